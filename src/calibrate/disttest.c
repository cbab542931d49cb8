/*
 * disttest: the Fisher-Freeman-Halton test on a 2 x K table (Freeman and
 * Halton 1951).  Given the margins, a table is fixed by one row x, with
 * probability prod_k C(c_k, x_k) / C(N, m) (multivariate hypergeometric);
 * the p-value sums the probabilities of the tables no more probable than the
 * observed one.  The row enumerated or drawn is the smaller of the two, so
 * both cost grows with min(group, rest), not with the population.
 */
#include "calibrate/disttest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_sf_gamma.h>

#include "base/arena.h"
#include "base/decimal.h"
#include "base/mem.h"
#include "base/rng.h"

struct ffh {
	size_t k;
	uint32_t m;          /* the smaller row's total */
	const uint64_t *col; /* column totals */
	double *lnc;         /* [k][m + 1]: ln C(col_k, x), x <= min(col_k, m) */
	uint32_t *suffix;    /* [k + 1]: sum over l >= k of min(col_l, m) */
	double cut;          /* ln of the observed probability, times 1 + tol */
	double p;
};

static double ln_prob(const struct ffh *f, const uint32_t *x, double ln_total)
{
	double lp = -ln_total;
	for (size_t c = 0; c < f->k; c++)
		lp += f->lnc[c * (f->m + 1) + x[c]];
	return lp;
}

/* Enumerate every completion of categories [c, k) that sums to left. */
static void enumerate(struct ffh *f, size_t c, uint32_t left, double lp)
{
	const double *lnc = f->lnc + c * (f->m + 1);
	if (c + 1 == f->k) {
		lp += lnc[left];
		if (lp <= f->cut)
			f->p += exp(lp);
		return;
	}
	uint32_t hi = f->col[c] < left ? (uint32_t)f->col[c] : left;
	uint32_t lo = left > f->suffix[c + 1] ? left - f->suffix[c + 1] : 0;
	for (uint32_t x = lo; x <= hi; x++)
		enumerate(f, c + 1, left - x, lp + lnc[x]);
}

/* How many rows x with 0 <= x_c <= col_c sum to m: a DP over categories
 * with prefix sums, O(k m).  A double: it only decides exact or not. */
static double count_tables(const struct ffh *f)
{
	double *ways = xcalloc((size_t)f->m + 1, sizeof *ways);
	double *prefix = xmalloc(((size_t)f->m + 2) * sizeof *prefix);
	ways[0] = 1;
	for (size_t c = 0; c < f->k; c++) {
		prefix[0] = 0;
		for (uint32_t s = 0; s <= f->m; s++)
			prefix[s + 1] = prefix[s] + ways[s];
		uint64_t cap = f->col[c];
		for (uint32_t s = 0; s <= f->m; s++) {
			uint32_t from = (uint64_t)s > cap ? s - (uint32_t)cap : 0;
			ways[s] = prefix[s + 1] - prefix[from];
		}
	}
	double n = ways[f->m];
	free(prefix);
	free(ways);
	return n;
}

/* ln C(n, j) for j = 0..m, tables of the draws below. */
struct lnchoose_row {
	const double *of_good, *of_bad, *of_all;
};

/* One draw of Hypergeometric(good, bad, n): how many of n ratings drawn
 * without replacement from good + bad are good.  By inversion from the mode,
 * the chop-down search of Kachitvichyanukul and Schmeiser (1985): the pmf at
 * the mode, then its ratio recurrence outward, the more probable side first;
 * the steps grow with the standard deviation, not with n.  Past the last
 * representable probability (u left over by rounding) the mode is taken. */
static uint32_t hypergeometric(struct rng *g, uint64_t good, uint64_t bad, uint32_t n,
                               const struct lnchoose_row *ln)
{
	uint64_t lo = n > bad ? n - bad : 0, hi = n < good ? n : good;
	if (lo == hi)
		return (uint32_t)lo;
	double nn = (double)n, gd = (double)good, bd = (double)bad;
	uint64_t mode = (uint64_t)floor((nn + 1) * (gd + 1) / (gd + bd + 2));
	mode = mode < lo ? lo : mode > hi ? hi : mode;
	double pm = exp(ln->of_good[mode] + ln->of_bad[n - mode] - ln->of_all[n]);
	double u = (double)(rng_next(g) >> 11) * 0x1.0p-53 - pm;
	uint64_t down = mode, up = mode;
	double pd = pm, pu = pm;
	while (u > 0) {
		double x = (double)down, y = (double)up;
		/* P(x - 1) / P(x) and P(y + 1) / P(y) */
		double nd = down > lo ? pd * x * (bd - nn + x) / ((gd - x + 1) * (nn - x + 1)) : 0;
		double nu = up < hi ? pu * (gd - y) * (nn - y) / ((y + 1) * (bd - nn + y + 1)) : 0;
		if (nd == 0 && nu == 0)
			return (uint32_t)mode;
		if (nu >= nd) {
			pu = nu;
			u -= nu;
			if (u <= 0)
				return (uint32_t)(up + 1);
			up++;
		} else {
			pd = nd;
			u -= nd;
			if (u <= 0)
				return (uint32_t)(down - 1);
			down--;
		}
	}
	return (uint32_t)mode;
}

/* Draw tables with the margins: the smaller row, category by category, as
 * how many of its remaining ratings fall in this category among the ratings
 * left (a multivariate hypergeometric drawn as conditional hypergeometrics,
 * as Patefield's 1981 algorithm behind R's r2dtable does).  A table costs k
 * draws, not m swaps of a shuffled array of all N ratings (80 s against
 * 1.4 s at the size limit, docs/PERFORMANCE.md).  p = (1 + #{lp <= cut}) /
 * (B + 1). */
static double monte_carlo(const struct ffh *f, uint64_t total, double ln_total, size_t tables,
                          uint64_t seed)
{
	/* left[c]: the ratings in categories c..k-1; lnleft[c][j] = ln C(left[c], j). */
	size_t w = (size_t)f->m + 1;
	uint64_t left[DISTTEST_MAX_CATEGORIES + 1];
	double *lnleft = xmalloc((f->k + 1) * w * sizeof *lnleft);
	left[0] = total;
	for (size_t c = 0; c < f->k; c++)
		left[c + 1] = left[c] - f->col[c];
	for (size_t c = 0; c <= f->k; c++)
		for (uint32_t j = 0; j <= f->m; j++)
			lnleft[c * w + j] =
			        j <= left[c] ? gsl_sf_lnchoose((unsigned)left[c], j) : 0;
	uint32_t x[DISTTEST_MAX_CATEGORIES];
	struct rng g;
	rng_seed(&g, seed);
	size_t hits = 0;
	for (size_t b = 0; b < tables; b++) {
		uint32_t m = f->m;
		for (size_t c = 0; c + 1 < f->k; c++) {
			struct lnchoose_row ln = {f->lnc + c * w, lnleft + (c + 1) * w,
			                          lnleft + c * w};
			x[c] = hypergeometric(&g, f->col[c], left[c + 1], m, &ln);
			m -= x[c];
		}
		x[f->k - 1] = m;
		hits += ln_prob(f, x, ln_total) <= f->cut;
	}
	free(lnleft);
	return (1.0 + (double)hits) / ((double)tables + 1.0);
}

int disttest_fisher(struct arena *a, const uint32_t *group, const uint32_t *rest, size_t k,
                    const struct disttest_params *params, struct disttest_result *out,
                    struct error *err)
{
	const struct disttest_params def = {DISTTEST_MAX_EXACT_TABLES, DISTTEST_MC_TABLES,
	                                    DISTTEST_MC_SEED};
	if (!params)
		params = &def;
	if (params->mc_tables == 0)
		return err_set(err, ERR_INVALID, "the Monte Carlo needs at least one table");
	if (k == 0 || k > DISTTEST_MAX_CATEGORIES) {
		err_set(err, ERR_INVALID, "a distribution needs 1 to %d rating categories",
		        DISTTEST_MAX_CATEGORIES);
		err_detail(err, "got %zu", k);
		return err->code;
	}
	uint64_t col[DISTTEST_MAX_CATEGORIES], n1 = 0, n2 = 0;
	for (size_t c = 0; c < k; c++) {
		col[c] = (uint64_t)group[c] + rest[c];
		n1 += group[c];
		n2 += rest[c];
	}
	if (n1 == 0)
		return err_set(err, ERR_INVALID, "the group has no ratings to compare");
	uint64_t small = n1 < n2 ? n1 : n2, total = n1 + n2;
	if (small > DISTTEST_MAX_SMALL_ROW || total > DISTTEST_MAX_TOTAL) {
		err_set(err, ERR_TOO_BIG, "too many ratings for an exact test");
		err_detail(err,
		           "%llu ratings in the group and %llu in the rest; the smaller may "
		           "hold at most %u, both %u",
		           (unsigned long long)n1, (unsigned long long)n2, DISTTEST_MAX_SMALL_ROW,
		           DISTTEST_MAX_TOTAL);
		err_hint(err, "at these sizes a chi-square test of homogeneity is accurate");
		return err->code;
	}

	struct ffh f = {.k = k, .m = (uint32_t)small, .col = col};
	const uint32_t *row = n1 <= n2 ? group : rest;
	f.lnc = xmalloc(k * ((size_t)f.m + 1) * sizeof *f.lnc);
	f.suffix = xcalloc(k + 1, sizeof *f.suffix);
	for (size_t c = k; c-- > 0;) {
		uint32_t top = col[c] < f.m ? (uint32_t)col[c] : f.m;
		f.suffix[c] = f.suffix[c + 1] + top;
		for (uint32_t x = 0; x <= top; x++)
			f.lnc[c * ((size_t)f.m + 1) + x] = gsl_sf_lnchoose((unsigned)col[c], x);
	}
	double ln_total = gsl_sf_lnchoose((unsigned)total, f.m);
	double lp_obs = ln_prob(&f, row, ln_total);
	f.cut = lp_obs + log1p(DISTTEST_REL_TOL);

	out->tables = count_tables(&f);
	out->p_observed = exp(lp_obs);
	out->group_total = n1;
	out->rest_total = n2;
	out->k = k;
	if (out->tables <= params->max_exact_tables) {
		enumerate(&f, 0, f.m, -ln_total);
		out->p = fmin(1.0, f.p);
		out->method = DISTTEST_EXACT;
		out->simulated = 0;
	} else {
		out->p = monte_carlo(&f, total, ln_total, params->mc_tables, params->seed);
		out->method = DISTTEST_MONTE_CARLO;
		out->simulated = params->mc_tables;
	}
	out->expected = arena_array(a, k, sizeof *out->expected);
	for (size_t c = 0; c < k; c++)
		out->expected[c] = (double)n1 * (double)col[c] / (double)total;
	free(f.suffix);
	free(f.lnc);
	return 0;
}

const char *disttest_p_text(char *buf, size_t n, double p, double alpha)
{
	if (isnan(p)) {
		snprintf(buf, n, "-");
		return buf;
	}
	if (p < DISTTEST_P_FLOOR) {
		snprintf(buf, n, "< %g", DISTTEST_P_FLOOR);
		return buf;
	}
	/* The text must say what the verdict says: a p below alpha never reads
	 * as alpha or above, nor one at or above it as below. */
	for (int digits = 4; digits <= DECIMAL_EXACT; digits++) {
		decimal_format(buf, n, p, digits);
		if ((strtod(buf, NULL) < alpha) == (p < alpha))
			return buf;
	}
	snprintf(buf, n, "%.17g", p);
	return buf;
}
