/*
 * stats: descriptive statistics for metric values, on top of GSL.  Every
 * aggregate plumb reports names its statistic; these are the ones it uses.
 * Quantiles are R's default type 7 (linear interpolation between order
 * statistics, Hyndman and Fan 1996), which is what GSL's
 * gsl_stats_quantile_from_sorted_data computes; and the F distribution's
 * quantile, for the ICCs' intervals.  Functions that sort do so in place;
 * nothing here allocates.
 */
#ifndef PLUMB_STATS_H
#define PLUMB_STATS_H

#include <stddef.h>

/* Sort x[0..n) ascending in place.  Thread-safe on distinct arrays. */
void stats_sort(double *x, size_t n);
/* The type 7 quantile p in [0, 1] of x, which must be sorted; NAN when n is 0
 * or p is outside [0, 1] (or NAN).  Thread-safe (reads only). */
double stats_quantile_sorted(const double *x, size_t n, double p);
/* Median (type 7, p = 0.5) of sorted x; NAN when n is 0. */
double stats_median_sorted(const double *x, size_t n);
/* The type 7 quantile p of unsorted x in linear time (GSL's selection),
 * equal to stats_quantile_sorted on the sorted data; reorders x.  NAN when
 * n is 0 or p is outside [0, 1]. */
double stats_quantile_select(double *x, size_t n, double p);
/* The type 7 quantiles p[0..np) of unsorted x into out, each equal to
 * stats_quantile_select's (NAN likewise); reorders x.  For ascending p each
 * selection searches only what the one before left above it. */
void stats_quantiles_select(double *x, size_t n, const double *p, size_t np, double *out);
/* Arithmetic mean; NAN when n is 0. */
double stats_mean(const double *x, size_t n);
/* R's qf(p, d1, d2): the p quantile of the F distribution with d1 and d2
 * degrees of freedom (any positive reals), by bisection in log F on the
 * regularized incomplete beta function, P(F <= f) = I_x(d1/2, d2/2) with
 * x = d1 f / (d1 f + d2), evaluated by its continued fraction (Numerical
 * Recipes, 3rd ed., sec. 6.4, modified Lentz) run to convergence: GSL's
 * stops after 512 terms, too few beyond about 250,000 degrees of freedom
 * (about 2 sqrt(df) are needed), where its gsl_cdf_fdist_Qinv is wrong and
 * from 2 million hangs.  Relative error below 1e-12 up to df 1e5, 1e-9 up
 * to 1e7 (the log-beta's rounding).  NAN when p is not in (0, 1) or a df
 * is not positive and finite.  Thread-safe; allocates nothing. */
double stats_f_quantile(double p, double d1, double d2);
/* GSL's errors as return values, not its default handler, which aborts the
 * process: once for the process, by every module before its first GSL call
 * that can fail (a factorization, a distribution's inverse), so the same
 * bad input gives the same answer whichever ran first. */
void stats_gsl_errors_returned(void);

#endif
