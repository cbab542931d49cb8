/*
 * test_stats: quantiles, median and mean.  Expected quantiles are R's
 * documented default (type 7, `?quantile`): Hyndman and Fan (1996), "Sample
 * quantiles in statistical packages", The American Statistician 50(4),
 * definition 7: h = (n - 1) p + 1, Q(p) = x[floor h] + (h - floor h)
 * (x[floor h + 1] - x[floor h]).  Values below are R's own printed results.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/stats.h"

#define EPS 1e-12

/* cmocka 1.1 has no double comparison; this one names both values. */
#define assert_double_equal(actual, expected, eps) assert_near(actual, expected, eps, __LINE__)
static void assert_near(double actual, double expected, double eps, int line)
{
	if (!(fabs(actual - expected) <= eps))
		fail_msg("line %d: got %.17g, expected %.17g", line, actual, expected);
}

/* R: quantile(1:10, probs = c(.1, .5, .9)) prints 1.9 5.5 9.1. */
static void test_quantile_one_to_ten(void **state)
{
	(void)state;
	const double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	assert_double_equal(stats_quantile_sorted(x, 10, 0.1), 1.9, EPS);
	assert_double_equal(stats_quantile_sorted(x, 10, 0.5), 5.5, EPS);
	assert_double_equal(stats_quantile_sorted(x, 10, 0.9), 9.1, EPS);
	assert_double_equal(stats_median_sorted(x, 10), 5.5, EPS);
	/* R: quantile(1:10) prints 1.00 3.25 5.50 7.75 10.00 (p = 0, .25, .5, .75, 1). */
	assert_double_equal(stats_quantile_sorted(x, 10, 0.0), 1.0, EPS);
	assert_double_equal(stats_quantile_sorted(x, 10, 0.25), 3.25, EPS);
	assert_double_equal(stats_quantile_sorted(x, 10, 0.75), 7.75, EPS);
	assert_double_equal(stats_quantile_sorted(x, 10, 1.0), 10.0, EPS);
}

/* R: quantile(c(7, 15, 36, 39, 40, 41)) prints 7.00 20.25 37.50 39.75 41.00;
 * other definitions differ here (type 6 gives Q1 = 13, Q3 = 40.25), so this
 * pins type 7.  Input goes in unsorted through stats_sort. */
static void test_quantile_unsorted(void **state)
{
	(void)state;
	double x[] = {40, 7, 41, 15, 39, 36};
	stats_sort(x, 6);
	const double sorted[] = {7, 15, 36, 39, 40, 41};
	for (size_t i = 0; i < 6; i++)
		assert_double_equal(x[i], sorted[i], 0.0);
	assert_double_equal(stats_quantile_sorted(x, 6, 0.0), 7.0, EPS);
	assert_double_equal(stats_quantile_sorted(x, 6, 0.25), 20.25, EPS);
	assert_double_equal(stats_median_sorted(x, 6), 37.5, EPS);
	assert_double_equal(stats_quantile_sorted(x, 6, 0.75), 39.75, EPS);
	assert_double_equal(stats_quantile_sorted(x, 6, 1.0), 41.0, EPS);
	/* Odd n: R median(c(3, 1, 2)) is 2; quantile(c(3,1,2), .95) is 2.9. */
	double y[] = {3, 1, 2};
	stats_sort(y, 3);
	assert_double_equal(stats_median_sorted(y, 3), 2.0, EPS);
	assert_double_equal(stats_quantile_sorted(y, 3, 0.95), 2.9, EPS);
}

/* R: quantile(42, c(0, .37, 1)) is 42 throughout. */
static void test_single_value(void **state)
{
	(void)state;
	double x[] = {42};
	stats_sort(x, 1);
	assert_double_equal(stats_quantile_sorted(x, 1, 0.0), 42.0, EPS);
	assert_double_equal(stats_quantile_sorted(x, 1, 0.37), 42.0, EPS);
	assert_double_equal(stats_quantile_sorted(x, 1, 1.0), 42.0, EPS);
	assert_double_equal(stats_median_sorted(x, 1), 42.0, EPS);
	assert_double_equal(stats_mean(x, 1), 42.0, EPS);
}

static void test_empty_and_out_of_range(void **state)
{
	(void)state;
	stats_sort(NULL, 0);
	assert_true(isnan(stats_quantile_sorted(NULL, 0, 0.5)));
	assert_true(isnan(stats_median_sorted(NULL, 0)));
	assert_true(isnan(stats_mean(NULL, 0)));
	const double x[] = {1, 2, 3};
	assert_true(isnan(stats_quantile_sorted(x, 3, -0.1)));
	assert_true(isnan(stats_quantile_sorted(x, 3, 1.5)));
	assert_true(isnan(stats_quantile_sorted(x, 3, NAN)));
}

/* R: mean(c(2, 4, 4, 4, 5, 5, 7, 9)) is 5; mean(c(.5, .25)) is .375. */
static void test_mean(void **state)
{
	(void)state;
	const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
	assert_double_equal(stats_mean(x, 8), 5.0, EPS);
	const double y[] = {0.5, 0.25};
	assert_double_equal(stats_mean(y, 2), 0.375, EPS);
}

/* The selection form gives R's type 7 without sorting: the same published
 * values as above (R: quantile(c(7, 15, 36, 39, 40, 41)) prints 7.00 20.25
 * 37.50 39.75 41.00; quantile(1:10, .9) prints 9.1), from shuffled input,
 * and agrees with the sorted form on 1,001 pseudo-random values. */
static void test_quantile_select(void **state)
{
	(void)state;
	const double want[] = {7.0, 20.25, 37.5, 39.75, 41.0};
	const double ps[] = {0.0, 0.25, 0.5, 0.75, 1.0};
	for (int i = 0; i < 5; i++) {
		double x[] = {40, 7, 41, 15, 39, 36};
		assert_double_equal(stats_quantile_select(x, 6, ps[i]), want[i], EPS);
	}
	double ten[] = {10, 3, 7, 1, 9, 2, 8, 4, 6, 5};
	assert_double_equal(stats_quantile_select(ten, 10, 0.9), 9.1, EPS);
	double one[] = {4.5};
	assert_double_equal(stats_quantile_select(one, 1, 0.5), 4.5, EPS);
	assert_true(isnan(stats_quantile_select(one, 0, 0.5)));
	assert_true(isnan(stats_quantile_select(one, 1, 1.5)));
	double a[1001], b[1001];
	uint64_t r = 88172645463325252u;
	for (int i = 0; i < 1001; i++) {
		r ^= r << 13, r ^= r >> 7, r ^= r << 17; /* xorshift64 */
		a[i] = b[i] = (double)(r % 100000) / 7.0;
	}
	stats_sort(b, 1001);
	for (double p = 0; p <= 1.0; p += 0.05) {
		double c[1001];
		memcpy(c, a, sizeof c);
		assert_double_equal(stats_quantile_select(c, 1001, p),
		                    stats_quantile_sorted(b, 1001, p), 1e-9);
	}
}

/* Several quantiles of one array, each selection after the first searching
 * only above the last: R's published values again (quantile(c(7, 15, 36,
 * 39, 40, 41)) prints 7.00 20.25 37.50 39.75 41.00), then, on 2,001 values
 * with many ties, every p of a grid ascending and some out of order, each
 * exactly what one selection on a fresh copy gives. */
static void test_quantiles_select(void **state)
{
	(void)state;
	double x[] = {40, 7, 41, 15, 39, 36};
	const double ps[] = {0.0, 0.25, 0.5, 0.75, 1.0};
	const double want[] = {7.0, 20.25, 37.5, 39.75, 41.0};
	double got[5];
	stats_quantiles_select(x, 6, ps, 5, got);
	for (int i = 0; i < 5; i++)
		assert_double_equal(got[i], want[i], EPS);
	enum { N = 2001 };
	double a[N], c[N], grid[24], q[24];
	uint64_t r = 2463534242u;
	for (int i = 0; i < N; i++) {
		r ^= r << 13, r ^= r >> 7, r ^= r << 17; /* xorshift64 */
		a[i] = (double)(r % 300) / 3.0;
	}
	for (int i = 0; i < 21; i++)
		grid[i] = i * 0.05;
	grid[21] = 0.3, grid[22] = 0.95, grid[23] = -1; /* out of order; invalid */
	memcpy(c, a, sizeof c);
	stats_quantiles_select(c, N, grid, 24, q);
	for (int i = 0; i < 23; i++) {
		double one[N];
		memcpy(one, a, sizeof one);
		double p = grid[i];
		if (q[i] != stats_quantile_select(one, N, p))
			fail_msg("p %.2f: %.17g against %.17g", p, q[i],
			         stats_quantile_select(one, N, p));
	}
	assert_true(isnan(q[23]));
	stats_quantiles_select(c, 0, grid, 2, q);
	assert_true(isnan(q[0]) && isnan(q[1]));
}

/* The F quantile, R's qf(0.975, d1, d2), where R's own is no reference for
 * large df: nmath's qf.c replaces F(d1, d2) by chisq(d1) / d1 once d2 >
 * 4e5 ("fudge the extreme DF cases"), so qf(.975, 2e6, 2e6) prints
 * 1.00196 for 1.00278.  Expected values are the definition, P(F <= f) =
 * I_x(d1/2, d2/2) with x = d1 f / (d1 f + d2) (Abramowitz & Stegun 26.6.2),
 * solved to 30 digits with mpmath 1.3: the incomplete beta as the integral
 * of the beta density by tanh-sinh quadrature (mpmath.quad), split around
 * the density's peak, and bisection on ln f.  Independent checks: F(1, 1)
 * is tan(0.975 pi / 2)^2 = 647.789011477845 (a Cauchy variable squared);
 * F(1, nu) is Student's t^2, whose Cornish-Fisher series (Abramowitz &
 * Stegun 26.7.5) gives 5.02388770048145540 at nu = 9999998; at small df
 * these agree with R 4.2.2's qf to 1e-13.  GSL's gsl_cdf_fdist_Qinv, used
 * before, returns NaN for (3, 1e5) and (1, 9999998) and does not return
 * for (2e6, 2e6). */
static void test_f_quantile(void **state)
{
	(void)state;
	static const struct {
		double d1, d2, want, rel;
	} cases[] = {
	        {1, 1, 647.78901147784530866, 1e-13},
	        {5, 18, 3.3819678058752428578, 1e-13}, /* Shrout & Fleiss's ICC(1,1) */
	        {18, 5, 6.36188320465435392, 1e-13},
	        {5, 15, 3.5764153492790619755, 1e-13},
	        {3, 119996, 3.116242935556035361, 1e-11},
	        {119996, 3, 13.90211021466059121, 1e-11},
	        {3, 89997, 3.1162790701636575283, 1e-11},
	        {89997, 3, 13.902125356761702236, 1e-11},
	        {1, 9999998, 5.0238877004814556151, 1e-9},
	        {9999998, 1, 1018.2582187567476593, 1e-9},
	        {2000000, 2000000, 1.002775653451569482, 1e-9},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double got = stats_f_quantile(0.975, cases[i].d1, cases[i].d2);
		if (!(fabs(got - cases[i].want) <= cases[i].rel * cases[i].want))
			fail_msg("qf(0.975, %g, %g): got %.17g, expected %.17g", cases[i].d1,
			         cases[i].d2, got, cases[i].want);
	}
	/* The lower tail by symmetry: qf(p, d1, d2) = 1 / qf(1 - p, d2, d1). */
	assert_double_equal(stats_f_quantile(0.025, 5, 18) * stats_f_quantile(0.975, 18, 5), 1,
	                    1e-13);
	assert_true(isnan(stats_f_quantile(0, 5, 18)));
	assert_true(isnan(stats_f_quantile(1, 5, 18)));
	assert_true(isnan(stats_f_quantile(0.5, 0, 18)));
	assert_true(isnan(stats_f_quantile(0.5, 5, INFINITY)));
	assert_true(isnan(stats_f_quantile(NAN, 5, 18)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_quantile_one_to_ten),
	        cmocka_unit_test(test_quantile_unsorted),
	        cmocka_unit_test(test_single_value),
	        cmocka_unit_test(test_empty_and_out_of_range),
	        cmocka_unit_test(test_mean),
	        cmocka_unit_test(test_quantile_select),
	        cmocka_unit_test(test_quantiles_select),
	        cmocka_unit_test(test_f_quantile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
