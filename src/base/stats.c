/*
 * stats: the statistics plumb reports, as thin wrappers over GSL so each one
 * is a well-tested implementation rather than our own.  n == 0 gives NAN, as
 * the header promises, where GSL would return 0.
 */
#include "base/stats.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <pthread.h>
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

static void gsl_handler_off(void)
{
	gsl_set_error_handler_off();
}

void stats_gsl_errors_returned(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, gsl_handler_off);
}
