/*
 * test_disttest: the Fisher-Freeman-Halton test on 2 x K tables against
 * published p-values, and its Monte Carlo fallback against the exact value.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/err.h"
#include "calibrate/disttest.h"

#define assert_near(actual, expected, eps) assert_near_(actual, expected, eps, __LINE__)
static void assert_near_(double actual, double expected, double eps, int line)
{
	if (!(fabs(actual - expected) <= eps))
		fail_msg("line %d: got %.10g, expected %.10g (tolerance %g)", line, actual,
		         expected, eps);
}

/* R's ?fisher.test, "Agresti (1990, p. 61f; 2002, p. 91) Fisher's Tea
 * Drinker": TeaTasting <- matrix(c(3, 1, 1, 3), nrow = 2);
 * fisher.test(TeaTasting) prints p-value = 0.4857 (17/35: five tables share
 * the margins). */
static void test_tea_tasting(void **state)
{
	(void)state;
	struct arena *a = arena_create();
	struct error err = {0};
	struct disttest_result r;
	const uint32_t guess_milk[2] = {3, 1}, guess_tea[2] = {1, 3};
	assert_int_equal(disttest_fisher(a, guess_milk, guess_tea, 2, NULL, &r, &err), 0);
	assert_int_equal(r.method, DISTTEST_EXACT);
	assert_near(r.p, 0.4857, 5e-5);
	assert_near(r.tables, 5, 0);
	assert_near(r.expected[0], 2, 1e-12);
	assert_near(r.expected[1], 2, 1e-12);
	arena_destroy(a);
}

/* A 2 x 3 table: R 4.5.2, fisher.test(matrix(c(10, 5, 8, 12, 6, 7), nrow = 2))
 * gives p = 0.3770904526630931 (R's output as recorded in the pystatistics
 * package's tests, TestFisherRxC.test_2x3).  Rows: (10, 8, 6) and (5, 12, 7). */
static const uint32_t row_a[3] = {10, 8, 6}, row_b[3] = {5, 12, 7};

static void test_two_by_three(void **state)
{
	(void)state;
	struct arena *a = arena_create();
	struct error err = {0};
	struct disttest_result r;
	assert_int_equal(disttest_fisher(a, row_a, row_b, 3, NULL, &r, &err), 0);
	assert_int_equal(r.method, DISTTEST_EXACT);
	assert_near(r.p, 0.3770904526630931, 1e-9);
	/* Either row may be "the group": the test is about the table. */
	struct disttest_result swapped;
	assert_int_equal(disttest_fisher(a, row_b, row_a, 3, NULL, &swapped, &err), 0);
	assert_near(swapped.p, r.p, 1e-12);
	/* The group's expected counts: 24 of 48 ratings, columns 15, 20, 13. */
	assert_near(r.expected[0], 7.5, 1e-12);
	assert_near(r.expected[1], 10.0, 1e-12);
	assert_near(r.expected[2], 6.5, 1e-12);
	arena_destroy(a);
}

/* More of R's fisher.test (its ?fisher.test: "Freeman-Halton" for r x c
 * tables, two-sided p the sum of the tables no more probable than the
 * observed one, relative tolerance 1e-7), each value computed here with R
 * 4.2.2 (Debian's r-base-core), fisher.test(rbind(group, rest))$p.value:
 *   - ?fisher.test's Convictions table (Fleiss 1981), matrix(c(2, 10, 15, 3),
 *     nrow = 2), two-sided: 0.0005367241191434364;
 *   - a group of 10 on a 5-point scale: 0.227916859236656;
 *   - a group of 10 all at the top against 120 nowhere near it, a p far in
 *     the tail: 3.753735986954921e-15;
 *   - a 7-point scale, group of 5 at the ends: 1.053164444699327e-06;
 *   - rbind(c(3, 1, 0), c(0, 1, 3)): 0.05714285714285708 (= 2/35);
 *   - a table whose every table with its margins is as probable or more
 *     (rbind(c(2, 2), c(2, 2))): 1. */
static void test_r_reference_values(void **state)
{
	(void)state;
	static const struct {
		size_t k;
		uint32_t group[7], rest[7];
		double p, tol;
	} cases[] = {
	        {2, {2, 15}, {10, 3}, 0.0005367241191434364, 1e-15},
	        {5, {0, 1, 3, 5, 1}, {4, 10, 20, 8, 2}, 0.227916859236656, 1e-12},
	        {5, {0, 0, 0, 0, 10}, {30, 30, 30, 30, 0}, 3.753735986954921e-15, 1e-25},
	        {7, {1, 0, 0, 0, 0, 0, 4}, {3, 9, 27, 40, 30, 9, 2}, 1.053164444699327e-06, 1e-15},
	        {3, {3, 1, 0}, {0, 1, 3}, 2.0 / 35.0, 1e-14},
	        {2, {2, 2}, {2, 2}, 1.0, 1e-12},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct arena *a = arena_create();
		struct error err = {0};
		struct disttest_result r;
		assert_int_equal(disttest_fisher(a, cases[i].group, cases[i].rest, cases[i].k, NULL,
		                                 &r, &err),
		                 0);
		assert_int_equal(r.method, DISTTEST_EXACT);
		assert_near(r.p, cases[i].p, cases[i].tol);
		arena_destroy(a);
	}
}

/* The Monte Carlo on the same table (forced by an exact limit of 0) lands
 * within 0.005 of the exact p: its standard error at B = 100,000 is
 * sqrt(p (1 - p) / B) = 0.0015.  A fixed seed makes it repeatable. */
static void test_monte_carlo_close_to_exact(void **state)
{
	(void)state;
	struct arena *a = arena_create();
	struct error err = {0};
	struct disttest_result r, again;
	struct disttest_params mc = {0, DISTTEST_MC_TABLES, DISTTEST_MC_SEED};
	assert_int_equal(disttest_fisher(a, row_a, row_b, 3, &mc, &r, &err), 0);
	assert_int_equal(r.method, DISTTEST_MONTE_CARLO);
	assert_int_equal(r.simulated, DISTTEST_MC_TABLES);
	assert_near(r.p, 0.3770904526630931, 0.005);
	assert_int_equal(disttest_fisher(a, row_a, row_b, 3, &mc, &again, &err), 0);
	assert_true(again.p == r.p);
	arena_destroy(a);
}

/* The draws where a row is large, so that each category's count is found
 * far from zero (the hypergeometric's search from its mode): a 2 x 2 table
 * with 4,000 ratings in the group (2,061 tables share its margins, exact p
 * 0.1314) and a 2 x 4 one with 485 (1.1 million tables, exact p 0.6220).
 * Forced, the Monte Carlo lands within four of its standard errors of the
 * enumeration's p, which the tests above check against R. */
static void test_monte_carlo_large_rows(void **state)
{
	(void)state;
	struct arena *a = arena_create();
	struct error err = {0};
	struct disttest_result ex, mc;
	const uint32_t g2[2] = {3000, 1000}, r2[2] = {2940, 1060};
	const uint32_t g4[4] = {5, 30, 300, 150}, r4[4] = {20, 70, 900, 420};
	const struct {
		const uint32_t *g, *r;
		size_t k;
	} cases[] = {{g2, r2, 2}, {g4, r4, 4}};
	const struct disttest_params exact = {DISTTEST_MAX_EXACT_TABLES, 1, 1},
	                             forced = {0, DISTTEST_MC_TABLES, DISTTEST_MC_SEED};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(
		        disttest_fisher(a, cases[i].g, cases[i].r, cases[i].k, &exact, &ex, &err),
		        0);
		assert_int_equal(ex.method, DISTTEST_EXACT);
		assert_true(ex.p > 0.01 && ex.p < 0.99); /* a p the draws can miss */
		assert_int_equal(
		        disttest_fisher(a, cases[i].g, cases[i].r, cases[i].k, &forced, &mc, &err),
		        0);
		assert_int_equal(mc.method, DISTTEST_MONTE_CARLO);
		double se = sqrt(ex.p * (1 - ex.p) / DISTTEST_MC_TABLES);
		assert_near(mc.p, ex.p, 4 * se);
	}
	arena_destroy(a);
}

/* A team of 60 against 900 others on a 7-point scale has ~1e8 tables with
 * its margins: the Monte Carlo answers, and a team rated like everyone else
 * is not flagged while one shifted to the top of the scale is. */
static void test_large_uses_monte_carlo(void **state)
{
	(void)state;
	struct arena *a = arena_create();
	struct error err = {0};
	struct disttest_result r;
	const uint32_t rest[7] = {30, 90, 180, 250, 200, 110, 40};
	const uint32_t like_rest[7] = {2, 6, 12, 16, 13, 8, 3};
	const uint32_t top_heavy[7] = {0, 1, 4, 10, 15, 18, 12};
	assert_int_equal(disttest_fisher(a, like_rest, rest, 7, NULL, &r, &err), 0);
	assert_int_equal(r.method, DISTTEST_MONTE_CARLO);
	assert_true(r.tables > DISTTEST_MAX_EXACT_TABLES);
	assert_true(r.p > 0.5);
	assert_int_equal(disttest_fisher(a, top_heavy, rest, 7, NULL, &r, &err), 0);
	assert_true(r.p < 0.001);
	arena_destroy(a);
}

static void test_bad_input(void **state)
{
	(void)state;
	struct arena *a = arena_create();
	struct error err = {0};
	struct disttest_result r;
	const uint32_t none[3] = {0, 0, 0}, some[3] = {1, 2, 3};
	assert_int_equal(disttest_fisher(a, none, some, 3, NULL, &r, &err), ERR_INVALID);
	err_clear(&err);
	assert_int_equal(disttest_fisher(a, some, some, 0, NULL, &r, &err), ERR_INVALID);
	err_clear(&err);
	const uint32_t big[2] = {30000, 30000};
	assert_int_equal(disttest_fisher(a, big, big, 2, NULL, &r, &err), ERR_TOO_BIG);
	arena_destroy(a);
}

/* The p the distribution view prints beside its verdict (p < 0.05).  Four
 * significant digits as R prints a test's p: stats:::print.htest writes
 * format.pval(pv, digits = max(1L, digits - 3L)), 4 at R's default of 7, so
 * R 4.2.2 prints fisher.test's p-value = 0.4857 for ?fisher.test's
 * TeaTasting, 0.0005367 for its Convictions and 0.05714 for 2/35 (the
 * values of test_r_reference_values).  Where four digits would round across
 * 0.05, enough digits to stay on the verdict's side; below 0.0001 a bound. */
static void test_p_text(void **state)
{
	(void)state;
	static const struct {
		double p;
		const char *text;
	} cases[] = {
	        {17.0 / 35.0, "0.4857"},
	        {0.0005367241191434364, "0.0005367"},
	        {2.0 / 35.0, "0.05714"},
	        {0.04996, "0.04996"},     /* "%.4f" wrote 0.0500 beside "differs" */
	        {0.0499996, "0.0499996"}, /* four or five digits read 0.05 */
	        {0.05, "0.05"},           /* not below: no "differs", and reads so */
	        {0.050000004, "0.05"},
	        {0.0001, "0.0001"},
	        {0.00009999, "< 0.0001"},            /* "%.4f" wrote 0.0001 */
	        {3.753735986954921e-15, "< 0.0001"}, /* "%.4f" wrote 0.0000 */
	        {1.0, "1"},
	        {NAN, "-"},
	};
	char buf[32];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(disttest_p_text(buf, sizeof buf, cases[i].p, 0.05),
		                    cases[i].text);
	/* The double just below 0.05 reads as 0.05 up to 15 digits: all 17. */
	double below = nextafter(0.05, 0);
	disttest_p_text(buf, sizeof buf, below, 0.05);
	assert_true(strtod(buf, NULL) < 0.05);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_tea_tasting),
	        cmocka_unit_test(test_two_by_three),
	        cmocka_unit_test(test_r_reference_values),
	        cmocka_unit_test(test_monte_carlo_close_to_exact),
	        cmocka_unit_test(test_large_uses_monte_carlo),
	        cmocka_unit_test(test_monte_carlo_large_rows),
	        cmocka_unit_test(test_bad_input),
	        cmocka_unit_test(test_p_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
