/* reliability: intraclass correlations and Krippendorff's alpha over
 * (subject, rater, score) ratings, and the CSV reader for them. */
#include "calibrate/reliability.h"

#include <errno.h>
#include <math.h>

#include "base/csv.h"
#include "base/decimal.h"
#include "base/hmap.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/stats.h"
#include "core/org.h"

/* ---- grouping ----------------------------------------------------------------------------- */

/* Rating indices grouped by subject, in input order within a subject
 * (a counting sort): subject s's ratings are idx[start[s] .. start[s + 1]). */
struct by_subject {
	size_t *start; /* nsubjects + 1 */
	size_t *idx;   /* n */
};

static void group_by_subject(const struct reliability_rating *r, size_t n, size_t nsubjects,
                             struct by_subject *g)
{
	g->start = xcalloc(nsubjects + 1, sizeof *g->start);
	g->idx = xmalloc((n ? n : 1) * sizeof *g->idx);
	for (size_t i = 0; i < n; i++)
		g->start[r[i].subject + 1]++;
	for (size_t s = 0; s < nsubjects; s++)
		g->start[s + 1] += g->start[s];
	size_t *next = xmalloc((nsubjects ? nsubjects : 1) * sizeof *next);
	memcpy(next, g->start, nsubjects * sizeof *next);
	for (size_t i = 0; i < n; i++)
		g->idx[next[r[i].subject]++] = i;
	free(next);
}

static void by_subject_release(struct by_subject *g)
{
	free(g->start);
	free(g->idx);
}

/* A rater who rated one subject twice: true with the two rating indices
 * (first < second).  O(n + nraters). */
static bool find_repeat(const struct reliability_rating *r, const struct by_subject *g,
                        size_t nsubjects, size_t nraters, size_t *first, size_t *second)
{
	size_t *seen = xcalloc(nraters ? nraters : 1, sizeof *seen); /* subject + 1 */
	size_t *at = xmalloc((nraters ? nraters : 1) * sizeof *at);
	bool found = false;
	for (size_t s = 0; s < nsubjects && !found; s++)
		for (size_t j = g->start[s]; j < g->start[s + 1]; j++) {
			size_t i = g->idx[j], k = r[i].rater;
			if (seen[k] == s + 1) {
				*first = at[k];
				*second = i;
				found = true;
				break;
			}
			seen[k] = s + 1;
			at[k] = i;
		}
	free(seen);
	free(at);
	return found;
}

#define RELIABILITY_ID_MAX 200

/* ---- intraclass correlations -------------------------------------------------------------- */

/* The F quantile with upper tail 0.025 (R's qf(0.975, d1, d2)): not GSL's
 * gsl_cdf_fdist_Qinv, wrong beyond about 250,000 degrees of freedom, which
 * a design of 250,000 subjects has (stats_f_quantile). */
static double f975(double d1, double d2)
{
	return stats_f_quantile(0.975, d1, d2);
}

/* Single-rater ICC from an F ratio: (F - 1) / (F + k - 1). */
/* An ICC's quotient, undefined (NAN) where its denominator is not positive:
 * all mean squares 0, or the subjects' means all equal (ICC(1,k), ICC(3,k)),
 * or raters' means closer than chance (ICC(2,1), ICC(2,k)), where the
 * quotient would be infinite or above 1. */
static double icc_ratio(double num, double den)
{
	return den > 0 ? num / den : NAN;
}

static double icc_of_f(double f, double k)
{
	return (f - 1) / (f + k - 1);
}

/* Spearman-Brown, k r / (1 + (k - 1) r), for a bound of ICC(2,1): it
 * increases only above r = -1/(k - 1), its pole, and falls to -infinity
 * there, so a bound at or below the pole leaves the mean's interval
 * unbounded below.  psych::ICC applies the formula past the pole and prints
 * a lower bound above 1 and above the upper one (10.2 to 0.84). */
static double spearman_brown(double r, double k)
{
	double den = 1 + (k - 1) * r;
	return den > 0 ? k * r / den : -INFINITY;
}

static void set_nan(struct reliability_estimate *e)
{
	e->value = e->lower = e->upper = NAN;
}

/* Shrout & Fleiss (1979) Table 1 mean squares from a complete design, then
 * their ICCs and the intervals psych::ICC computes: ICC1 and ICC3 from the
 * F ratios MSB/MSW and MSB/MSE, ICC2 with Satterthwaite's approximate
 * degrees of freedom (Shrout & Fleiss eq. 13), the k forms by inverting
 * F the same way (ICC1k, ICC3k) or by Spearman-Brown (ICC2k).  An interval
 * needs a nonzero residual: where MSW or MSE is 0 it is NAN. */
static void compute_icc(const struct reliability_rating *r, size_t nsubjects, size_t nraters,
                        struct reliability_result *out)
{
	size_t N = nsubjects * nraters;
	double ns = (double)nsubjects, k = (double)nraters;
	double *row = xcalloc(nsubjects, sizeof *row), *col = xcalloc(nraters, sizeof *col);
	double total = 0;
	for (size_t i = 0; i < N; i++) {
		row[r[i].subject] += r[i].score;
		col[r[i].rater] += r[i].score;
		total += r[i].score;
	}
	double gm = total / (double)N;
	double ssb = 0, ssj = 0, ssw = 0, sse = 0;
	for (size_t s = 0; s < nsubjects; s++) {
		row[s] /= k;
		ssb += (row[s] - gm) * (row[s] - gm);
	}
	for (size_t j = 0; j < nraters; j++) {
		col[j] /= ns;
		ssj += (col[j] - gm) * (col[j] - gm);
	}
	ssb *= k;
	ssj *= ns;
	/* The residuals directly, not by subtraction: exact zeros stay zero. */
	for (size_t i = 0; i < N; i++) {
		double w = r[i].score - row[r[i].subject];
		double e = w - col[r[i].rater] + gm;
		ssw += w * w;
		sse += e * e;
	}
	free(row);
	free(col);
	/* Means of thirds leave residuals of 1e-32 where exact arithmetic has
	 * none: such a table has no interval, whatever the rounding (found in
	 * review: [1, 1], or a Satterthwaite df from an MSE of 1e-32). */
	double zero = 1e-12 * (ssb + ssj + ssw);
	if (sse <= zero)
		sse = 0;
	if (ssw <= zero)
		ssw = 0;
	/* Subjects' means equal in exact arithmetic likewise (psych::ICC's MSB
	 * of 1e-32 gives ICC1k -2e31): F is 0, below. */
	if (ssb <= zero)
		ssb = 0;

	double msb = ssb / (ns - 1), msj = ssj / (k - 1);
	double msw = ssw / (ns * (k - 1)), mse = sse / ((ns - 1) * (k - 1));
	struct reliability_estimate *icc = out->icc;
	icc[RELIABILITY_ICC1].value = icc_ratio(msb - msw, msb + (k - 1) * msw);
	icc[RELIABILITY_ICC2].value =
	        icc_ratio(msb - mse, msb + (k - 1) * mse + k * (msj - mse) / ns);
	icc[RELIABILITY_ICC3].value = icc_ratio(msb - mse, msb + (k - 1) * mse);
	icc[RELIABILITY_ICC1K].value = icc_ratio(msb - msw, msb);
	icc[RELIABILITY_ICC2K].value = icc_ratio(msb - mse, msb + (msj - mse) / ns);
	icc[RELIABILITY_ICC3K].value = icc_ratio(msb - mse, msb);
	for (int f = 0; f < RELIABILITY_ICC_COUNT; f++)
		icc[f].lower = icc[f].upper = NAN;

	/* With the subjects' means all equal (MSB = 0, F = 0) every F-based
	 * interval is the point -1/(k - 1): Shrout & Fleiss's (1979) bounds
	 * F/F(.975) and F F(.975), and McGraw & Wong's (1996), scale F, so both
	 * are 0, and ICC2's are the same point.  That is the pivot at the edge
	 * of its range, not certainty: psych::ICC prints [-0.5, -0.5] for 3
	 * raters (found in the calibrate hunt).  No interval, and say why. */
	if (msb == 0 && msw > 0) {
		out->icc_interval_note = "the subjects' means are all equal (F = 0), where the "
		                         "F-based interval collapses to a point";
		return;
	}
	double df_b = ns - 1, df_w = ns * (k - 1), df_e = (ns - 1) * (k - 1);
	if (msw > 0) {
		double f1 = msb / msw;
		double fl = f1 / f975(df_b, df_w), fu = f1 * f975(df_w, df_b);
		icc[RELIABILITY_ICC1].lower = icc_of_f(fl, k);
		icc[RELIABILITY_ICC1].upper = icc_of_f(fu, k);
		icc[RELIABILITY_ICC1K].lower = 1 - 1 / fl;
		icc[RELIABILITY_ICC1K].upper = 1 - 1 / fu;
	}
	if (mse > 0) {
		double f3 = msb / mse;
		double fl = f3 / f975(df_b, df_e), fu = f3 * f975(df_e, df_b);
		icc[RELIABILITY_ICC3].lower = icc_of_f(fl, k);
		icc[RELIABILITY_ICC3].upper = icc_of_f(fu, k);
		icc[RELIABILITY_ICC3K].lower = 1 - 1 / fl;
		icc[RELIABILITY_ICC3K].upper = 1 - 1 / fu;

		double icc2 = icc[RELIABILITY_ICC2].value, fj = msj / mse;
		double a = ns * (1 + (k - 1) * icc2) - k * icc2;
		double vn = (k - 1) * (ns - 1) * (k * icc2 * fj + a) * (k * icc2 * fj + a);
		double vd = (ns - 1) * k * k * icc2 * icc2 * fj * fj + a * a;
		double v = vn / vd;
		if (v > 0 && isfinite(v)) {
			double qu = f975(df_b, v), ql = f975(v, df_b);
			double c = k * msj + (k * ns - k - ns) * mse;
			double lo = ns * (msb - qu * mse) / (qu * c + ns * msb);
			double hi = ns * (ql * msb - mse) / (c + ns * ql * msb);
			icc[RELIABILITY_ICC2].lower = lo;
			icc[RELIABILITY_ICC2].upper = hi;
			icc[RELIABILITY_ICC2K].lower = spearman_brown(lo, k);
			icc[RELIABILITY_ICC2K].upper = spearman_brown(hi, k);
		}
	}
	/* No interval around an undefined value, nor an infinite bound (an F
	 * ratio of 0 when the subjects' means are all equal). */
	for (int f = 0; f < RELIABILITY_ICC_COUNT; f++)
		if (isnan(icc[f].value) || !isfinite(icc[f].lower) || !isfinite(icc[f].upper))
			icc[f].lower = icc[f].upper = NAN;
}

/* ---- Krippendorff's alpha ----------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void sort_doubles(double *x, size_t n)
{
	if (n > 16) {
		qsort(x, n, sizeof *x, cmp_double);
		return;
	}
	for (size_t i = 1; i < n; i++) /* units are small: insertion sort */
		for (size_t j = i; j > 0 && x[j - 1] > x[j]; j--) {
			double t = x[j];
			x[j] = x[j - 1];
			x[j - 1] = t;
		}
}

/* Sum over ordered pairs (i, j) of w_i w_j (x_i - x_j)^2: 2 W sum w (x - mean)^2,
 * two passes for accuracy.  w NULL means all 1. */
static double squared_pair_sum(const double *x, const double *w, size_t n)
{
	double sw = 0, swx = 0;
	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1;
		sw += wi;
		swx += wi * x[i];
	}
	if (sw <= 0)
		return 0;
	double mean = swx / sw, q = 0;
	for (size_t i = 0; i < n; i++) {
		double d = x[i] - mean;
		q += (w ? w[i] : 1) * d * d;
	}
	return 2 * sw * q;
}

#define RATIO_STEP 0.25 /* trapezoid step in u = ln t */

/* Sum over ordered pairs (i, j) of w_i w_j ((x_i - x_j) / (x_i + x_j))^2 for
 * x >= 0 ascending (a pair of zeros counts 0), w NULL meaning all 1.
 * For a + b > 0, ((a - b) / (a + b))^2 = (a - b)^2 * integral over t > 0 of
 * t e^-(a+b)t dt, so the sum is the integral over u = ln t of
 * e^2u * 2 W(t) Q(t), where W and Q are the total and the squared spread of
 * the weights w_i e^-t x_i (squared_pair_sum).  A pair summing to s
 * contributes X^2 e^-X / s^2 at u, X = s e^u: analytic in the strip
 * |Im u| < pi/2, so the trapezoid rule with step 0.25 errs by about
 * 2 e^(-2 pi 1.4 / 0.25) / cos(1.4)^2 < 1e-13 relative (Trefethen & Weideman
 * 2014, "The exponentially convergent trapezoidal rule", SIAM Review 56(3),
 * Theorem 5.1, with strip half-width 1.4).  The nodes run from where the
 * largest pair's X is 1e-9 to where the smallest one's is 50, where each
 * term is below 1e-18 of its peak; at each node the values whose own X
 * exceeds 50 are left out for the same reason (x is sorted, so they are a
 * tail), which makes the large-t nodes cheap.  scratch holds n doubles. */
static double ratio_pair_sum(const double *x, const double *w, size_t n, double *scratch)
{
	if (n < 2 || !(x[n - 1] > 0))
		return 0;
	size_t first = 0;
	while (!(x[first] > 0))
		first++;
	double x0 = x[0], u0 = log(1e-9 / (2 * x[n - 1])), u1 = log(50 / x[first]);
	size_t nodes = (size_t)ceil((u1 - u0) / RATIO_STEP) + 1, k = n;
	double sum = 0;
	for (size_t m = 0; m < nodes; m++) {
		double u = u0 + (double)m * RATIO_STEP, t = exp(u);
		while (k > 2 && t * x[k - 1] > 50)
			k--;
		/* Weights relative to the smallest x, so they do not all underflow;
		 * the pair product's factor e^-2t x0 goes back in below. */
		for (size_t i = 0; i < k; i++)
			scratch[i] = (w ? w[i] : 1) * exp(-t * (x[i] - x0));
		sum += exp(2 * u - 2 * t * x0) * squared_pair_sum(x, scratch, k);
	}
	return sum * RATIO_STEP;
}

/* The index of x in the ascending distinct values dv[0..n), which hold it. */
static size_t index_of(const double *dv, size_t n, double x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (dv[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Ordered-pair disagreement within one unit of m scores, sorted, for the
 * ratio metric: pairwise when small, by ratio_pair_sum when large (the
 * pairwise sum is m^2; the integral about 400 m). */
static double unit_ratio_sum(const double *v, size_t m, double *scratch)
{
	if (m > 256)
		return ratio_pair_sum(v, NULL, m, scratch);
	double sum = 0;
	for (size_t i = 0; i < m; i++)
		for (size_t j = i + 1; j < m; j++) {
			double s = v[i] + v[j];
			if (s > 0) {
				double d = (v[i] - v[j]) / s;
				sum += d * d;
			}
		}
	return 2 * sum;
}

/* Krippendorff (2011): alpha = 1 - Do / De with Do = (1 / n..) sum over
 * units u of (1 / (m_u - 1)) sum over ordered pairs of the unit's values of
 * delta, and De = 1 / (n.. (n.. - 1)) sum over ordered pairs of all pairable
 * values of delta, i.e. alpha = 1 - (n.. - 1) sum_u(...) / sum(...).
 * Ordinal delta(c, k) = (sum of n_g for g from c to k - (n_c + n_k) / 2)^2
 * is (P(k) - P(c))^2 with P(c) the count of values below c plus n_c / 2, so
 * it is the interval metric on P. */
static void compute_alpha(const struct reliability_rating *r, const struct by_subject *g,
                          size_t nsubjects, struct reliability_result *out)
{
	for (int m = 0; m < RELIABILITY_METRIC_COUNT; m++)
		out->alpha[m] = NAN;
	size_t npair = 0, nunits = 0;
	for (size_t s = 0; s < nsubjects; s++) {
		size_t m = g->start[s + 1] - g->start[s];
		if (m >= 2) {
			npair += m;
			nunits++;
		}
	}
	out->pairable = npair;
	if (npair < 2)
		return;
	/* Pairable values unit by unit, each unit sorted; unit bounds. */
	double *val = xmalloc(npair * sizeof *val);
	size_t *ustart = xmalloc((nunits + 1) * sizeof *ustart);
	size_t p = 0, u = 0;
	for (size_t s = 0; s < nsubjects; s++) {
		size_t m = g->start[s + 1] - g->start[s];
		if (m < 2)
			continue;
		ustart[u++] = p;
		for (size_t j = g->start[s]; j < g->start[s + 1]; j++)
			val[p++] = r[g->idx[j]].score;
		sort_doubles(val + ustart[u - 1], m);
	}
	ustart[u] = p;

	/* Distinct values and their counts n_c; mid-ranks P(c). */
	double *sorted = xmalloc(npair * sizeof *sorted);
	memcpy(sorted, val, npair * sizeof *sorted);
	sort_doubles(sorted, npair);
	double *dv = xmalloc(npair * sizeof *dv), *dn = xmalloc(npair * sizeof *dn);
	size_t V = 0;
	for (size_t i = 0; i < npair; i++) {
		if (V && dv[V - 1] == sorted[i]) {
			dn[V - 1] += 1;
		} else {
			dv[V] = sorted[i];
			dn[V++] = 1;
		}
	}
	free(sorted);
	double *mid = xmalloc(V * sizeof *mid), below = 0;
	for (size_t c = 0; c < V; c++) {
		mid[c] = below + dn[c] / 2;
		below += dn[c];
	}

	double nn = (double)npair, obs[RELIABILITY_METRIC_COUNT] = {0};
	double *rank = xmalloc(npair * sizeof *rank), *scratch = xmalloc(npair * sizeof *scratch);
	bool negative = dv[0] < 0;
	for (u = 0; u < nunits; u++) {
		const double *v = val + ustart[u];
		size_t m = ustart[u + 1] - ustart[u];
		double within = 0; /* sum of squared run lengths: agreeing ordered pairs */
		for (size_t i = 0, run = 1; i < m; i++, run++)
			if (i + 1 == m || v[i + 1] != v[i]) {
				within += (double)run * (double)run;
				run = 0;
			}
		double md = (double)m, scale = 1 / (md - 1);
		for (size_t i = 0; i < m; i++)
			rank[i] = mid[index_of(dv, V, v[i])];
		obs[RELIABILITY_NOMINAL] += (md * md - within) * scale;
		obs[RELIABILITY_INTERVAL] += squared_pair_sum(v, NULL, m) * scale;
		obs[RELIABILITY_ORDINAL] += squared_pair_sum(rank, NULL, m) * scale;
		if (!negative)
			obs[RELIABILITY_RATIO] += unit_ratio_sum(v, m, scratch) * scale;
	}
	double sq = 0;
	for (size_t c = 0; c < V; c++)
		sq += dn[c] * dn[c];
	double exp_sum[RELIABILITY_METRIC_COUNT] = {
	        [RELIABILITY_NOMINAL] = nn * nn - sq,
	        [RELIABILITY_ORDINAL] = squared_pair_sum(mid, dn, V),
	        [RELIABILITY_INTERVAL] = squared_pair_sum(dv, dn, V),
	        [RELIABILITY_RATIO] = negative ? 0 : ratio_pair_sum(dv, dn, V, scratch),
	};
	/* Disagreements equal but for rounding are equal: alpha 0, not -1e-15
	 * (found in review: ratio printed -0.000). */
	for (int m = 0; m < RELIABILITY_METRIC_COUNT; m++)
		if (exp_sum[m] > 0) {
			double d_o = (nn - 1) * obs[m];
			out->alpha[m] = fabs(d_o - exp_sum[m]) <= 1e-12 * exp_sum[m]
			                        ? 0
			                        : 1 - d_o / exp_sum[m];
		}
	free(val);
	free(ustart);
	free(dv);
	free(dn);
	free(mid);
	free(rank);
	free(scratch);
}

/* ---- entry points ------------------------------------------------------------------------- */

int reliability_compute(const struct reliability_rating *ratings, size_t n, size_t nsubjects,
                        size_t nraters, struct reliability_result *out, struct error *err)
{
	for (size_t i = 0; i < n; i++) {
		const struct reliability_rating *x = &ratings[i];
		if (x->subject >= nsubjects || x->rater >= nraters || !isfinite(x->score))
			return err_set(
			        err, ERR_INVALID,
			        "rating %zu: expected a subject below %zu, a rater below %zu "
			        "and a finite score",
			        i, nsubjects, nraters);
	}
	struct reliability_result res = {.subjects = nsubjects, .raters = nraters, .ratings = n};
	struct by_subject g;
	group_by_subject(ratings, n, nsubjects, &g);
	size_t first, second;
	if (find_repeat(ratings, &g, nsubjects, nraters, &first, &second)) {
		by_subject_release(&g);
		return err_set(
		        err, ERR_INVALID,
		        "rating %zu: rater %zu rated subject %zu again (first in rating %zu)",
		        second, ratings[second].rater, ratings[second].subject, first);
	}
	for (int f = 0; f < RELIABILITY_ICC_COUNT; f++)
		set_nan(&res.icc[f]);
	if (nsubjects < 2)
		res.icc_note = "fewer than 2 subjects";
	else if (nraters < 2)
		res.icc_note = "fewer than 2 raters";
	else if (n != nsubjects * nraters)
		res.icc_note = "not every rater rated every subject";
	else
		res.icc_complete = true;
	if (res.icc_complete)
		compute_icc(ratings, nsubjects, nraters, &res);
	compute_alpha(ratings, &g, nsubjects, &res);
	by_subject_release(&g);
	*out = res;
	return 0;
}

const char *reliability_icc_name(enum reliability_icc_form f)
{
	static const char *const names[] = {"ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"};
	if ((int)f < 0 || f >= RELIABILITY_ICC_COUNT)
		BUG("unknown ICC form %d", (int)f);
	return names[f];
}

const char *reliability_icc_label(enum reliability_icc_form f)
{
	static const char *const labels[] = {"ICC(1,1)", "ICC(2,1)", "ICC(3,1)",
	                                     "ICC(1,k)", "ICC(2,k)", "ICC(3,k)"};
	if ((int)f < 0 || f >= RELIABILITY_ICC_COUNT)
		BUG("unknown ICC form %d", (int)f);
	return labels[f];
}

const char *reliability_metric_name(enum reliability_metric m)
{
	static const char *const names[] = {"nominal", "ordinal", "interval", "ratio"};
	if ((int)m < 0 || m >= RELIABILITY_METRIC_COUNT)
		BUG("unknown metric %d", (int)m);
	return names[m];
}

/* ---- CSV ---------------------------------------------------------------------------------- */

/* The index of name in ids, numbering a new name next; names[] keeps a
 * copy of each for error messages. */
static size_t intern(struct hmap *ids, char ***names, size_t *count, size_t *alloc,
                     const char *name)
{
	int64_t id;
	if (hmap_get(ids, name, &id))
		return (size_t)id;
	hmap_put(ids, name, (int64_t)*count);
	*names = xgrow(*names, *count, alloc, sizeof **names);
	(*names)[*count] = xstrdup(name);
	return (*count)++;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int parse_rows(struct csv_reader *cr, const char *file, struct reliability_data *d,
                      long **lines, char ***subjects, char ***raters, struct error *err)
{
	struct hmap sid, rid;
	hmap_init(&sid);
	hmap_init(&rid);
	size_t alloc = 0, lalloc = 0, salloc = 0, ralloc = 0;
	int rc;
	while ((rc = csv_next(cr, err)) == 1) {
		if (cr->nfields == 1 && !*cr->fields[0])
			continue; /* a blank line */
		long line = cr->record_line;
		if (cr->nfields != 3) {
			rc = err_set(err, ERR_INVALID,
			             "%s:%ld: expected 3 fields (subject,rater,score), got %zu",
			             file, line, cr->nfields);
			break;
		}
		const char *what = !*cr->fields[0] ? "subject" : !*cr->fields[1] ? "rater" : NULL;
		if (what) {
			rc = err_set(err, ERR_INVALID, "%s:%ld: column %s: expected an id, got ''",
			             file, line, what);
			break;
		}
		/* Ids are printed and written to --json: text, one line (found in review). */
		what = !org_valid_text(cr->fields[0], RELIABILITY_ID_MAX)   ? "subject"
		       : !org_valid_text(cr->fields[1], RELIABILITY_ID_MAX) ? "rater"
		                                                            : NULL;
		if (what) {
			rc = err_set(
			        err, ERR_INVALID,
			        "%s:%ld: column %s: expected an id of at most %d bytes of UTF-8 "
			        "text without control characters",
			        file, line, what, RELIABILITY_ID_MAX);
			break;
		}
		const char *text = cr->fields[2];
		double score;
		enum decimal_status st = decimal_read(text, &score);
		if (st == DECIMAL_NOT_A_NUMBER) {
			rc = err_set(err, ERR_INVALID,
			             "%s:%ld: column score: expected a number, got '%s'", file,
			             line, text);
			err_hint(err, "leave a missing rating out: one row per rating given");
			break;
		}
		/* A number, out of range: say so (1e-400 read "expected a number";
		 * found in the calibrate hunt). */
		if (st == DECIMAL_UNDERFLOW) {
			rc = err_set(err, ERR_INVALID,
			             "%s:%ld: column score: '%s' is out of range: nonzero but too "
			             "close to 0 for a double to hold",
			             file, line, text);
			err_hint(err, "write 0 for a score of zero");
			break;
		}
		if (st == DECIMAL_OVERFLOW || fabs(score) > RELIABILITY_MAX_SCORE) {
			rc = err_set(err, ERR_INVALID,
			             "%s:%ld: column score: expected a number from -%.0f to %.0f, "
			             "got '%s'",
			             file, line, RELIABILITY_MAX_SCORE, RELIABILITY_MAX_SCORE,
			             text);
			break;
		}
		if (d->n == RELIABILITY_MAX_RATINGS) {
			rc = err_set(err, ERR_TOO_BIG, "%s:%ld: more than %d ratings", file, line,
			             RELIABILITY_MAX_RATINGS);
			break;
		}
		d->ratings = xgrow(d->ratings, d->n, &alloc, sizeof *d->ratings);
		*lines = xgrow(*lines, d->n, &lalloc, sizeof **lines);
		d->ratings[d->n] = (struct reliability_rating){
		        .subject = intern(&sid, subjects, &d->nsubjects, &salloc, cr->fields[0]),
		        .rater = intern(&rid, raters, &d->nraters, &ralloc, cr->fields[1]),
		        .score = score,
		};
		(*lines)[d->n++] = line;
	}
	hmap_release(&sid);
	hmap_release(&rid);
	return rc;
}

int reliability_read_csv(const char *file, const char *data, size_t len,
                         struct reliability_data *out, struct error *err)
{
	static const char *const header[] = {"subject", "rater", "score"};
	struct reliability_data d = {0};
	struct csv_reader cr;
	csv_init(&cr, file, data, len);
	int rc = csv_next(&cr, err);
	if (rc == 0)
		rc = err_set(err, ERR_INVALID, "%s: empty; expected the header subject,rater,score",
		             file);
	if (rc == 1) {
		bool ok = cr.nfields == 3;
		for (size_t i = 0; ok && i < 3; i++)
			ok = strcmp(cr.fields[i], header[i]) == 0;
		if (!ok) {
			struct sb got = SB_INIT;
			for (size_t i = 0; i < cr.nfields && got.len < 200; i++)
				sb_printf(&got, "%s%s", i ? "," : "", cr.fields[i]);
			rc = err_set(
			        err, ERR_INVALID,
			        "%s:%ld: expected the header subject,rater,score, got '%.200s'",
			        file, cr.record_line, got.buf);
			sb_release(&got);
		}
	}
	long *lines = NULL;
	char **subjects = NULL, **raters = NULL;
	if (rc == 1)
		rc = parse_rows(&cr, file, &d, &lines, &subjects, &raters, err);
	csv_release(&cr);
	if (rc == 0 && d.n == 0)
		rc = err_set(err, ERR_INVALID,
		             "%s: no ratings; expected a row per rating after "
		             "the header subject,rater,score",
		             file);
	if (rc == 0) {
		struct by_subject g;
		size_t first, second;
		group_by_subject(d.ratings, d.n, d.nsubjects, &g);
		if (find_repeat(d.ratings, &g, d.nsubjects, d.nraters, &first, &second)) {
			const struct reliability_rating *x = &d.ratings[second];
			rc = err_set(
			        err, ERR_INVALID,
			        "%s:%ld: subject '%s' and rater '%s' again (first at line %ld)",
			        file, lines[second], subjects[x->subject], raters[x->rater],
			        lines[first]);
			err_hint(err, "give one rating per subject and rater");
		}
		by_subject_release(&g);
	}
	free(lines);
	d.subject_names = subjects;
	d.rater_names = raters;
	if (rc < 0) {
		reliability_data_release(&d);
		return rc;
	}
	*out = d;
	return 0;
}

void reliability_data_release(struct reliability_data *d)
{
	free(d->ratings);
	free_names(d->subject_names, d->nsubjects);
	free_names(d->rater_names, d->nraters);
	*d = (struct reliability_data){0};
}
