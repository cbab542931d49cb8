/*
 * stats: the statistics plumb reports, as thin wrappers over GSL so each one
 * is a well-tested implementation rather than our own.  n == 0 gives NAN, as
 * the header promises, where GSL would return 0.  The exception is the F
 * quantile: GSL's is wrong or does not return at large degrees of freedom,
 * so it is solved here on the incomplete beta's continued fraction.
 */
#include "base/stats.h"

#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* glibc's qsort (a merge sort) rather than gsl_sort (a heap sort): over the
 * two million lead times of make bench it is about twice as fast. */
void stats_sort(double *x, size_t n)
{
	if (n > 1)
		qsort(x, n, sizeof *x, cmp_double);
}

double stats_quantile_sorted(const double *x, size_t n, double p)
{
	/* GSL does not check p: outside [0, 1] it would read outside the data. */
	if (n == 0 || !(p >= 0.0 && p <= 1.0))
		return NAN;
	return gsl_stats_quantile_from_sorted_data(x, 1, n, p);
}

double stats_median_sorted(const double *x, size_t n)
{
	return stats_quantile_sorted(x, n, 0.5);
}

double stats_mean(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	return gsl_stats_mean(x, 1, n);
}

/* The type 7 quantile p of x, whose order statistics from `from` on are
 * all in x[from, n) (everything before is at most x[from]). */
static double quantile_from(double *x, size_t n, size_t from, double p, size_t *at)
{
	/* Hyndman and Fan's definition 7: h = (n - 1) p, between the order
	 * statistics floor(h) and floor(h) + 1 (0-based). */
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)h;
	double frac = h - (double)lo;
	double a = gsl_stats_select(x + from, 1, n - from, lo - from);
	*at = lo;
	if (frac == 0.0 || lo + 1 >= n)
		return a;
	/* Selection leaves everything after lo at least as large: the next
	 * order statistic is their smallest. */
	double b = x[lo + 1];
	for (size_t i = lo + 2; i < n; i++)
		if (x[i] < b)
			b = x[i];
	/* As GSL weighs them (stats_quantile_sorted), (1 - f) a + f b with
	 * f = h - floor(h); R takes f from 1 + h, which can differ in the last
	 * bit (found in review).  Equal neighbours give the value itself, which
	 * that sum may miss by one, as R's code keeps it. */
	return b == a ? a : (1.0 - frac) * a + frac * b;
}

double stats_quantile_select(double *x, size_t n, double p)
{
	size_t at;
	if (n == 0 || !(p >= 0.0 && p <= 1.0))
		return NAN;
	return quantile_from(x, n, 0, p, &at);
}

void stats_quantiles_select(double *x, size_t n, const double *p, size_t np, double *out)
{
	size_t from = 0, at;
	double last = 0.0;
	for (size_t i = 0; i < np; i++) {
		if (n == 0 || !(p[i] >= 0.0 && p[i] <= 1.0)) {
			out[i] = NAN;
			continue;
		}
		/* A selection leaves the order statistics from its own on above
		 * it: a larger p searches only there. */
		if (p[i] < last)
			from = 0;
		out[i] = quantile_from(x, n, from, p[i], &at);
		from = at;
		last = p[i];
	}
}

/* The continued fraction of I_x(a, b) (Numerical Recipes, 3rd ed., eq.
 * 6.4.5, evaluated by the modified Lentz method), for x < (a + 1) / (a + b
 * + 2), where it converges in O(sqrt(max(a, b))) terms; NAN should it not
 * within BETA_CF_MAX_TERMS. */
#define BETA_CF_MAX_TERMS 10000000
static double beta_cf(double a, double b, double x)
{
	const double tiny = DBL_MIN / DBL_EPSILON;
	double qab = a + b, qap = a + 1, qam = a - 1;
	double c = 1, d = 1 - qab * x / qap;
	d = 1 / (fabs(d) < tiny ? tiny : d);
	double h = d;
	for (int m = 1; m <= BETA_CF_MAX_TERMS; m++) {
		double m2 = 2.0 * m;
		double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
		d = 1 + aa * d;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
		d = 1 + aa * d;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		double step = d * c;
		h *= step;
		if (fabs(step - 1) <= 2 * DBL_EPSILON)
			return h;
	}
	return NAN;
}

/* The regularized incomplete beta I_x(a, b), given x and y = 1 - x and
 * their logarithms, each computed without cancellation: near 1, x and its
 * log lose the digits that a (x^a, a large) multiplies. */
static double beta_inc(double a, double b, double x, double y, double log_x, double log_y)
{
	double front = exp(a * log_x + b * log_y - gsl_sf_lnbeta(a, b));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_cf(a, b, x) / a;
	return 1 - front * beta_cf(b, a, y) / b;
}

/* P(F <= e^t) for F with d1 and d2 degrees of freedom: I_x(d1/2, d2/2),
 * x = d1 f / (d1 f + d2) = 1 / (1 + r) and 1 - x = r / (1 + r) with
 * r = d2 / (d1 f), or the other way round for f below 1, so that r <= 1. */
static double f_cdf_log(double t, double d1, double d2)
{
	double log_r = log(d2) - log(d1) - t;
	bool flip = log_r > 0; /* f < d2 / d1: r is large, use its inverse */
	if (flip)
		log_r = -log_r;
	double r = exp(log_r), big = 1 / (1 + r), small = r / (1 + r);
	double log_big = -log1p(r), log_small = log_r - log1p(r);
	if (flip)
		return beta_inc(d1 / 2, d2 / 2, small, big, log_small, log_big);
	return beta_inc(d1 / 2, d2 / 2, big, small, log_big, log_small);
}

double stats_f_quantile(double p, double d1, double d2)
{
	if (!(p > 0 && p < 1) || !(d1 > 0 && d1 < INFINITY) || !(d2 > 0 && d2 < INFINITY))
		return NAN;
	stats_gsl_errors_returned();
	/* Bracket ln F, then halve: P is increasing in it. */
	double lo = -1, hi = 1;
	while (lo > -740 && f_cdf_log(lo, d1, d2) > p)
		lo *= 2;
	while (hi < 740 && f_cdf_log(hi, d1, d2) < p)
		hi *= 2;
	for (int i = 0; i < 200 && hi - lo > 4 * DBL_EPSILON * fmax(1, fabs(lo)); i++) {
		double mid = lo + (hi - lo) / 2;
		double at = f_cdf_log(mid, d1, d2);
		if (isnan(at))
			return NAN;
		if (at < p)
			lo = mid;
		else
			hi = mid;
	}
	return exp(lo + (hi - lo) / 2);
}

static void gsl_handler_off(void)
{
	gsl_set_error_handler_off();
}

void stats_gsl_errors_returned(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, gsl_handler_off);
}
