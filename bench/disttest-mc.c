/* bench/disttest-mc: the Fisher-Freeman-Halton test's Monte Carlo
 * (src/calibrate/disttest.c), forced, on tables from a team of 60 to the size
 * limit (a smaller row of 20,000); CPU seconds each, and its p.  Built against
 * the release library (docs/PERFORMANCE.md, "Calibration's Monte Carlo"):
 *   cc -O2 -std=c11 -D_DEFAULT_SOURCE -Isrc -include src/base/prelude.h \
 *     bench/disttest-mc.c build/release/libplumb.a $(pkg-config --libs gsl) -lm \
 *     -o bench/out/disttest-mc
 */
#include <stdio.h>
#include <time.h>

#include "base/arena.h"
#include "calibrate/disttest.h"

int main(void)
{
	static const struct {
		const char *name;
		uint32_t group[7], rest[7];
		size_t k;
	} tables[] = {
	        {"60 against 900, 7 categories", {2, 6, 12, 16, 13, 8, 3},
	         {30, 90, 180, 250, 200, 110, 40}, 7},
	        {"485 against 1,410, 4 categories", {5, 30, 300, 150}, {20, 70, 900, 420}, 4},
	        {"4,000 against 4,000, 2 categories", {3000, 1000}, {2940, 1060}, 2},
	        {"2,000 against 20,000, 5 categories", {200, 400, 800, 400, 200},
	         {2000, 4000, 8000, 4000, 2000}, 5},
	        {"20,000 against 80,000, 5 categories", {2000, 4000, 8000, 4000, 2000},
	         {8000, 16000, 32000, 16000, 8000}, 5},
	};
	const struct disttest_params forced = {0, DISTTEST_MC_TABLES, DISTTEST_MC_SEED};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		struct arena *a = arena_create();
		struct error err = {0};
		struct disttest_result r;
		clock_t t0 = clock();
		if (disttest_fisher(a, tables[i].group, tables[i].rest, tables[i].k, &forced, &r,
		                    &err) < 0) {
			fprintf(stderr, "%s: %s\n", tables[i].name, err.message);
			return 1;
		}
		printf("%-38s p %.4f  %6.3f CPU s\n", tables[i].name, r.p,
		       (double)(clock() - t0) / CLOCKS_PER_SEC);
		arena_destroy(a);
	}
	return 0;
}
