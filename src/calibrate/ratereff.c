/*
 * ratereff: Henderson's Method III variance components and Gauss-Seidel
 * BLUPs for the crossed model y = mu + a_ratee + b_rater + e.
 *
 * Method III (Henderson 1953; Searle, Casella and McCulloch, "Variance
 * Components", 1992, sec. 5.5) equates reductions in sums of squares to
 * their expectations; it is unbiased for unbalanced data and equals ANOVA
 * (and REML, when the estimates are positive) for balanced data.  The fixed
 * additive fit is computed by backfitting, the mixed-model equations by
 * Gauss-Seidel: both O(n) per sweep, so a calibration of 250,000 ratings
 * takes milliseconds.
 */
#include "calibrate/ratereff.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>

#include "base/arena.h"
#include "base/mem.h"
#include "base/stats.h"

/* Union-find over ratees [0, I) and raters [I, I + J), path halving. */
static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return (a > b) - (a < b);
}

/* The design's counts: n_i, n_j, the present levels, the components, and
 * sum_i sum_j n_ij^2 / n_i (by ratee) and sum_j sum_i n_ij^2 / n_j (by rater),
 * which Method III's expectations need. */
struct design {
	size_t *n_ratee, *n_rater;
	size_t present_ratees, present_raters, components;
	double sq_by_ratee, sq_by_rater;
	uint64_t *pair; /* (ratee << 32 | rater) of each rating, sorted */
	uint32_t *root; /* [ratees, then raters]: its connected group's representative */
};

static void design_count(const struct ratereff_obs *obs, size_t n, size_t n_ratees, size_t n_raters,
                         struct design *d)
{
	d->n_ratee = xcalloc(n_ratees, sizeof *d->n_ratee);
	d->n_rater = xcalloc(n_raters, sizeof *d->n_rater);
	uint32_t *parent = xmalloc((n_ratees + n_raters) * sizeof *parent);
	for (size_t k = 0; k < n_ratees + n_raters; k++)
		parent[k] = (uint32_t)k;
	uint64_t *pair = xmalloc(n * sizeof *pair);
	for (size_t k = 0; k < n; k++) {
		d->n_ratee[obs[k].ratee]++;
		d->n_rater[obs[k].rater]++;
		uint32_t x = uf_find(parent, obs[k].ratee);
		uint32_t y = uf_find(parent, (uint32_t)n_ratees + obs[k].rater);
		if (x != y)
			parent[x] = y;
		pair[k] = (uint64_t)obs[k].ratee << 32 | obs[k].rater;
	}
	d->present_ratees = d->present_raters = d->components = 0;
	for (size_t i = 0; i < n_ratees; i++)
		if (d->n_ratee[i]) {
			d->present_ratees++;
			d->components += uf_find(parent, (uint32_t)i) == i;
		}
	for (size_t j = 0; j < n_raters; j++)
		if (d->n_rater[j]) {
			d->present_raters++;
			d->components += uf_find(parent, (uint32_t)(n_ratees + j)) == n_ratees + j;
		}
	/* n_ij from runs of equal (ratee, rater) pairs. */
	qsort(pair, n, sizeof *pair, cmp_u64);
	d->sq_by_ratee = d->sq_by_rater = 0;
	for (size_t k = 0; k < n;) {
		size_t run = 1;
		while (k + run < n && pair[k + run] == pair[k])
			run++;
		double nij2 = (double)run * (double)run;
		d->sq_by_ratee += nij2 / (double)d->n_ratee[pair[k] >> 32];
		d->sq_by_rater += nij2 / (double)d->n_rater[pair[k] & 0xffffffffu];
		k += run;
	}
	d->pair = pair;
	for (size_t k = 0; k < n_ratees + n_raters; k++)
		parent[k] = uf_find(parent, (uint32_t)k);
	d->root = parent;
}

/* Below this s2/ta2 + s2/tb2, S's smallest eigenvalue (about that sum per
 * connected group) is lost in the rounding of entries near n, about 1e-16
 * n: the sds take the limit, which is within about that sum of the exact
 * figure.  The square root of the double's epsilon, where the two errors
 * meet. */
#define RATEREFF_PERFECT_SHRINKAGE 1e-8

/* The rater sds of a perfect fit, the limit of s2 (Z'Z + s2 G^-1)^-1 as s2
 * goes to 0 (Z: the ratings' ratee and rater indicators; G: diag(ta2 for
 * ratees, tb2 for raters)).  By the block inverse, the part of that matrix
 * on the range of Z'Z vanishes with s2, and on its null space it is
 * B (B' G^-1 B)^-1 B' for a basis B of the null space.  Given mu, the
 * ratings fix every a_i + b_j, so the null space is spanned per connected
 * group of I ratees and J raters by +1 on its ratees and -1 on its raters
 * (one constant the ratings cannot split between the two), and by each
 * rater with no ratings: the variance is 1 / (I/ta2 + J/tb2), and the
 * prior's tb2 for a rater with none.  Positive with a ratee variance: a
 * perfect fit still cannot say how much of a group's level is its raters'
 * (0 took it to say exactly). */
static void perfect_fit_sds(const struct design *d, size_t n_ratees, size_t n_raters, double ta2,
                            double tb2, struct ratereff_rater *raters)
{
	size_t *ratees_in = xcalloc(n_ratees + n_raters, sizeof *ratees_in);
	size_t *raters_in = xcalloc(n_ratees + n_raters, sizeof *raters_in);
	for (size_t i = 0; i < n_ratees; i++)
		ratees_in[d->root[i]] += d->n_ratee[i] > 0;
	for (size_t j = 0; j < n_raters; j++)
		raters_in[d->root[n_ratees + j]] += d->n_rater[j] > 0;
	for (size_t j = 0; j < n_raters; j++) {
		uint32_t g = d->root[n_ratees + j];
		raters[j].sd = d->n_rater[j] ? sqrt(1 / ((double)ratees_in[g] / ta2 +
		                                         (double)raters_in[g] / tb2))
		                             : sqrt(tb2);
	}
	free(ratees_in);
	free(raters_in);
}

/* Each rater effect's conditional sd given mu and the variance components,
 * as lme4's condVar reports it (Bates et al., "Fitting Linear Mixed-Effects
 * Models Using lme4", J. Stat. Softw. 67(1), 2015, sec. 5.2): s2 times the
 * rater block of the inverse of the mixed-model equations' random-effects
 * block, here through its Schur complement
 *   S = D_b + lam_b I - N' (D_a + lam_a I)^-1 N
 * (D_a, D_b: ratings per ratee and per rater; N: ratings per ratee and
 * rater), so the ratees' own uncertainty counts.  Without a ratee variance
 * the ratee effects are 0, not estimated, and S is diagonal.  S is dense:
 * above RATEREFF_SD_MAX_RATERS raters, or when it cannot be factored, the
 * sds are NaN (not reported) rather than the smaller diagonal figure.
 * A perfect fit (s2 = 0, or within rounding of it) takes the limit as s2
 * goes to 0 instead (perfect_fit_sds): S is then singular but for
 * rounding, and its factorization failed (NaN) or gave rounding (an sd of
 * 0.00014 where the limit is 0.128; found in the calibrate hunt). */
static void rater_sds(const struct design *d, size_t n, size_t n_ratees, size_t n_raters, double s2,
                      double ta2, double tb2, struct ratereff_rater *raters)
{
	if (ta2 <= 0) {
		/* s2 / (n_j + s2/tb2), written so that a perfect fit's rater with
		 * ratings gets 0 and one with none the prior's tb2, not 0/0. */
		for (size_t j = 0; j < n_raters; j++)
			raters[j].sd = raters[j].n
			                       ? sqrt(s2 * tb2 / ((double)raters[j].n * tb2 + s2))
			                       : sqrt(tb2);
		return;
	}
	double lam_a = s2 / ta2, lam_b = s2 / tb2;
	if (lam_a + lam_b <= RATEREFF_PERFECT_SHRINKAGE) {
		perfect_fit_sds(d, n_ratees, n_raters, ta2, tb2, raters);
		return;
	}
	for (size_t j = 0; j < n_raters; j++)
		raters[j].sd = NAN;
	if (n_raters > RATEREFF_SD_MAX_RATERS)
		return;
	stats_gsl_errors_returned();
	gsl_matrix *m = gsl_matrix_calloc(n_raters, n_raters);
	for (size_t j = 0; j < n_raters; j++)
		gsl_matrix_set(m, j, j, (double)d->n_rater[j] + lam_b);
	/* Each ratee's raters, with their counts: runs of the sorted pairs. */
	uint32_t *who = xmalloc((n + 1) * sizeof *who);
	double *count = xmalloc((n + 1) * sizeof *count);
	for (size_t k = 0; k < n;) {
		uint32_t ratee = (uint32_t)(d->pair[k] >> 32);
		size_t m_i = 0;
		while (k < n && (uint32_t)(d->pair[k] >> 32) == ratee) {
			size_t run = 1;
			while (k + run < n && d->pair[k + run] == d->pair[k])
				run++;
			who[m_i] = (uint32_t)(d->pair[k] & 0xffffffffu);
			count[m_i++] = (double)run;
			k += run;
		}
		double w = 1.0 / ((double)d->n_ratee[ratee] + lam_a);
		for (size_t x = 0; x < m_i; x++)
			for (size_t y = 0; y < m_i; y++)
				*gsl_matrix_ptr(m, who[x], who[y]) -= w * count[x] * count[y];
	}
	free(who);
	free(count);
	if (gsl_linalg_cholesky_decomp1(m) == GSL_SUCCESS &&
	    gsl_linalg_cholesky_invert(m) == GSL_SUCCESS)
		for (size_t j = 0; j < n_raters; j++)
			raters[j].sd = sqrt(s2 * gsl_matrix_get(m, j, j));
	gsl_matrix_free(m);
}

/* Residual sum of squares about the group means (a one-way fit). */
static double sse_one_way(const struct ratereff_obs *obs, size_t n, size_t levels,
                          const size_t *count, bool by_ratee)
{
	double *sum = xcalloc(levels, sizeof *sum);
	for (size_t k = 0; k < n; k++)
		sum[by_ratee ? obs[k].ratee : obs[k].rater] += obs[k].y;
	for (size_t l = 0; l < levels; l++)
		if (count[l])
			sum[l] /= (double)count[l];
	double sse = 0;
	for (size_t k = 0; k < n; k++) {
		double r = obs[k].y - sum[by_ratee ? obs[k].ratee : obs[k].rater];
		sse += r * r;
	}
	free(sum);
	return sse;
}

/* One backfitting step: each level's effect becomes the mean of y - other
 * over its ratings.  Returns the largest change. */
static double backfit_step(const struct ratereff_obs *obs, size_t n, bool by_ratee, double *effect,
                           size_t levels, const size_t *count, const double *other, double *scratch)
{
	for (size_t l = 0; l < levels; l++)
		scratch[l] = 0;
	for (size_t k = 0; k < n; k++)
		scratch[by_ratee ? obs[k].ratee : obs[k].rater] +=
		        obs[k].y - other[by_ratee ? obs[k].rater : obs[k].ratee];
	double delta = 0;
	for (size_t l = 0; l < levels; l++) {
		double v = count[l] ? scratch[l] / (double)count[l] : 0;
		if (fabs(v - effect[l]) > delta)
			delta = fabs(v - effect[l]);
		effect[l] = v;
	}
	return delta;
}

/* Solve the intercept and one factor's effects jointly given the other
 * factor (NULL: fixed at 0).  Updating mu on its own would crawl: with
 * little shrinkage the mean of the effects and mu are nearly confounded.
 * With r_l = sum over level l of (y - other), the effects are
 * (r_l - n_l mu) / (n_l + lambda), and mu follows from sum(y - a - b) = N mu.
 * Returns the largest change. */
static double gs_block(const struct ratereff_obs *obs, size_t n, bool by_ratee, double *effect,
                       size_t levels, const size_t *count, double lambda, const double *other,
                       double *scratch, double *mu)
{
	for (size_t l = 0; l < levels; l++)
		scratch[l] = 0;
	for (size_t k = 0; k < n; k++) {
		double o = other ? other[by_ratee ? obs[k].rater : obs[k].ratee] : 0;
		scratch[by_ratee ? obs[k].ratee : obs[k].rater] += obs[k].y - o;
	}
	double num = 0, denom = 0;
	for (size_t l = 0; l < levels; l++) {
		double nl = (double)count[l];
		num += scratch[l] * lambda / (nl + lambda);
		denom += nl * lambda / (nl + lambda);
	}
	/* mu = sum r_l lambda/(n_l + lambda) / denom, the same as (sum r_l - sum
	 * n_l r_l/(n_l + lambda)) / denom without its cancellation: near a
	 * perfect fit lambda is about 1e-22, the difference was rounding, and
	 * divided by a denom that small it moved mu and every effect by a
	 * million (found in the calibrate hunt).  denom is 0 only when s2 = 0
	 * (a perfect fit): mu is then not unique. */
	double mu_new = denom > 0 ? num / denom : *mu;
	double delta = fabs(mu_new - *mu);
	*mu = mu_new;
	for (size_t l = 0; l < levels; l++) {
		double nl = (double)count[l];
		double v = count[l] ? (scratch[l] - nl * mu_new) / (nl + lambda) : 0;
		if (fabs(v - effect[l]) > delta)
			delta = fabs(v - effect[l]);
		effect[l] = v;
	}
	return delta;
}

/* SSE of the fixed additive model mu + a + b, by backfitting. */
static double sse_additive(const struct ratereff_obs *obs, size_t n, size_t n_ratees,
                           size_t n_raters, const struct design *d, double tol, size_t *sweeps,
                           bool *converged)
{
	double *a = xcalloc(n_ratees, sizeof *a), *b = xcalloc(n_raters, sizeof *b);
	double *scratch = xmalloc((n_ratees > n_raters ? n_ratees : n_raters) * sizeof *scratch);
	*converged = false;
	for (size_t s = 0; s < RATEREFF_MAX_SWEEPS && !*converged; s++) {
		double da = backfit_step(obs, n, true, a, n_ratees, d->n_ratee, b, scratch);
		double db = backfit_step(obs, n, false, b, n_raters, d->n_rater, a, scratch);
		*converged = da <= tol && db <= tol;
		++*sweeps;
	}
	double sse = 0;
	for (size_t k = 0; k < n; k++) {
		double r = obs[k].y - a[obs[k].ratee] - b[obs[k].rater];
		sse += r * r;
	}
	free(scratch);
	free(b);
	free(a);
	return sse;
}

static int check_input(const struct ratereff_obs *obs, size_t n, size_t n_ratees, size_t n_raters,
                       struct error *err)
{
	/* With n > 0 and every index in range, both counts are at least 1. */
	if (n == 0)
		return err_set(err, ERR_INVALID, "no ratings to calibrate");
	if (n_ratees > UINT32_MAX || n_raters > UINT32_MAX || n_ratees + n_raters > UINT32_MAX)
		return err_set(err, ERR_INVALID, "too many ratees or raters");
	for (size_t k = 0; k < n; k++) {
		if (obs[k].ratee >= n_ratees || obs[k].rater >= n_raters) {
			err_set(err, ERR_INVALID, "rating %zu names a ratee or rater out of range",
			        k);
			err_detail(err, "ratee %u of %zu, rater %u of %zu", obs[k].ratee, n_ratees,
			           obs[k].rater, n_raters);
			return err->code;
		}
		if (!isfinite(obs[k].y))
			return err_set(err, ERR_INVALID, "rating %zu is not a finite number", k);
	}
	return 0;
}

/* The spread of y that the convergence tolerance is relative to. */
/* A noun or verb agreeing with n (the error read "1 ratings of 1 ratees";
 * found in the calibrate hunt). */
static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static double y_scale(const struct ratereff_obs *obs, size_t n)
{
	double lo = obs[0].y, hi = obs[0].y;
	for (size_t k = 1; k < n; k++) {
		lo = fmin(lo, obs[k].y);
		hi = fmax(hi, obs[k].y);
	}
	return hi > lo ? hi - lo : 1.0;
}

int ratereff_fit(struct arena *ar, const struct ratereff_obs *given, size_t n, size_t n_ratees,
                 size_t n_raters, const struct ratereff_params *params,
                 struct ratereff_result **out, struct error *err)
{
	int rc = check_input(given, n, n_ratees, n_raters, err);
	if (rc)
		return rc;
	struct ratereff_params def = {RATEREFF_DEFAULT_THRESHOLD, RATEREFF_DEFAULT_MIN_RATINGS};
	if (!params)
		params = &def;

	struct design d;
	design_count(given, n, n_ratees, n_raters, &d);
	double N = (double)n;
	double rank_ab = (double)(d.present_ratees + d.present_raters - d.components);
	if (N - rank_ab < 1) {
		err_set(err, ERR_INVALID, "too few ratings to separate raters from ratees");
		err_detail(err,
		           "%zu %s of %zu %s by %zu %s in %zu connected %s %s no residual degrees "
		           "of freedom",
		           n, plural(n, "rating", "ratings"), d.present_ratees,
		           plural(d.present_ratees, "ratee", "ratees"), d.present_raters,
		           plural(d.present_raters, "rater", "raters"), d.components,
		           plural(d.components, "group", "groups"), plural(n, "leaves", "leave"));
		err_hint(err, "collect more ratings per ratee, or from more than one rater each");
		free(d.n_ratee);
		free(d.n_rater);
		free(d.pair);
		free(d.root);
		return err->code;
	}

	/* The fit on y less its mean, which it shifts by that much: near 1e9 the
	 * intercept the effects start from is 1e9, whose last bit (1.2e-7) is
	 * above RATEREFF_TOL of a spread of a few points, so no sweep ever met it
	 * (found in the calibrate hunt: 20,000 sweeps, converged false). */
	double shift = 0;
	for (size_t k = 0; k < n; k++)
		shift += given[k].y;
	shift /= N;
	struct ratereff_obs *obs = xmalloc(n * sizeof *obs);
	for (size_t k = 0; k < n; k++) {
		obs[k] = given[k];
		obs[k].y -= shift;
	}

	struct ratereff_result *r = arena_alloc(ar, sizeof *r);
	r->n_obs = n;
	r->n_ratees = n_ratees;
	r->n_raters = n_raters;
	r->components = d.components;
	double tol = RATEREFF_TOL * y_scale(obs, n);

	/* Method III: s2 from the full fixed fit; each random factor from its
	 * reduction in SSE given the other, E[R(b|a)] = (J - c) s2 + coef tb2. */
	bool conv_fixed;
	double sse_ab = sse_additive(obs, n, n_ratees, n_raters, &d, tol, &r->sweeps, &conv_fixed);
	double sse_a = sse_one_way(obs, n, n_ratees, d.n_ratee, true);
	double sse_b = sse_one_way(obs, n, n_raters, d.n_rater, false);
	double s2 = sse_ab / (N - rank_ab);
	double coef_b = N - d.sq_by_ratee, coef_a = N - d.sq_by_rater;
	double c = (double)d.components;
	r->residual_var = s2;
	r->rater_identifiable = coef_b > 1e-9 * N;
	r->ratee_identifiable = coef_a > 1e-9 * N;
	r->rater_var =
	        r->rater_identifiable
	                ? fmax(0, (sse_a - sse_ab - ((double)d.present_raters - c) * s2) / coef_b)
	                : 0;
	r->ratee_var =
	        r->ratee_identifiable
	                ? fmax(0, (sse_b - sse_ab - ((double)d.present_ratees - c) * s2) / coef_a)
	                : 0;

	/* BLUPs: Gauss-Seidel on the mixed-model equations; a factor with no
	 * variance is fixed at 0 (infinite shrinkage). */
	r->ratee_effect = arena_array(ar, n_ratees, sizeof *r->ratee_effect);
	double *b = xcalloc(n_raters, sizeof *b);
	double *scratch = xmalloc((n_ratees > n_raters ? n_ratees : n_raters) * sizeof *scratch);
	bool use_a = r->ratee_var > 0, use_b = r->rater_var > 0;
	double lam_a = use_a ? s2 / r->ratee_var : 0, lam_b = use_b ? s2 / r->rater_var : 0;
	bool conv_blup = false;
	double *a = r->ratee_effect;
	/* Started at the grand mean, which a perfect fit (s2 = 0, where the
	 * equations leave mu free) keeps: from 0 the effects took in the mean
	 * and every rater was flagged lenient (found in review).  The mean of
	 * the shifted y, 0 but for rounding. */
	double sum = 0;
	for (size_t k = 0; k < n; k++)
		sum += obs[k].y;
	r->mu = sum / N;
	conv_blup = !use_a && !use_b;
	for (size_t s = 0; s < RATEREFF_MAX_SWEEPS && !conv_blup; s++) {
		double delta = 0;
		if (use_a)
			delta = gs_block(obs, n, true, a, n_ratees, d.n_ratee, lam_a,
			                 use_b ? b : NULL, scratch, &r->mu);
		if (use_b)
			delta = fmax(delta, gs_block(obs, n, false, b, n_raters, d.n_rater, lam_b,
			                             use_a ? a : NULL, scratch, &r->mu));
		conv_blup = delta <= tol;
		r->sweeps++;
	}
	r->converged = conv_fixed && conv_blup;

	/* Per rater: the unshrunk mean residual and the shrunken effect. */
	for (size_t j = 0; j < n_raters; j++)
		scratch[j] = 0;
	for (size_t k = 0; k < n; k++)
		scratch[obs[k].rater] += obs[k].y - r->mu - a[obs[k].ratee];
	/* A rating crosses when someone else rated the same ratee: only those
	 * tell a rater's leniency from the ratees' merit.  A rater none of whose
	 * ratees anyone else rated (a team seen only by its manager) is never
	 * flagged, however far its effect: its ratees' shift leaks into it. */
	uint32_t *first = xcalloc(n_ratees + 1, sizeof *first);
	bool *multi = xcalloc(n_ratees + 1, sizeof *multi);
	for (size_t k = 0; k < n; k++) {
		uint32_t i = obs[k].ratee, who = obs[k].rater + 1;
		if (!first[i])
			first[i] = who;
		else if (first[i] != who)
			multi[i] = true;
	}
	size_t *crossed = xcalloc(n_raters + 1, sizeof *crossed);
	for (size_t k = 0; k < n; k++)
		crossed[obs[k].rater] += multi[obs[k].ratee];
	r->raters = arena_array(ar, n_raters, sizeof *r->raters);
	for (size_t j = 0; j < n_raters; j++) {
		struct ratereff_rater *rt = &r->raters[j];
		rt->n = d.n_rater[j];
		rt->crossed = crossed[j];
		rt->raw_mean = rt->n ? scratch[j] / (double)rt->n : 0;
		rt->effect = b[j];
		rt->flagged = fabs(rt->effect) >= params->threshold &&
		              rt->n >= params->min_ratings && rt->crossed >= params->min_ratings;
		rt->direction = rt->effect > 0   ? RATEREFF_LENIENT
		                : rt->effect < 0 ? RATEREFF_SEVERE
		                                 : RATEREFF_NEUTRAL;
	}
	if (use_b)
		rater_sds(&d, n, n_ratees, n_raters, s2, r->ratee_var, r->rater_var, r->raters);
	free(first);
	free(multi);
	free(crossed);
	free(scratch);
	free(b);
	free(d.n_ratee);
	free(d.n_rater);
	free(d.pair);
	free(d.root);
	free(obs);
	r->mu += shift;
	*out = r;
	return 0;
}

double ratereff_adjusted(const struct ratereff_result *r, uint32_t rater, double y)
{
	if (rater >= r->n_raters)
		BUG("rater %u of %zu", rater, r->n_raters);
	return y - r->raters[rater].effect;
}
