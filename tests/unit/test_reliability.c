/*
 * test_reliability: intraclass correlations and Krippendorff's alpha against
 * published values, a few properties, and the CSV reader's errors.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/mem.h"
#include "calibrate/reliability.h"

#define assert_near(actual, expected, eps) near_at(actual, expected, eps, __LINE__)
static void near_at(double actual, double expected, double eps, int line)
{
	if (!(fabs(actual - expected) <= eps))
		fail_msg("line %d: got %.17g, expected %.17g (within %g)", line, actual, expected,
		         eps);
}

/* Ratings from a subjects x raters table; NAN is a missing rating. */
static size_t from_table(const double *table, size_t nsubjects, size_t nraters,
                         struct reliability_rating *out)
{
	size_t n = 0;
	for (size_t s = 0; s < nsubjects; s++)
		for (size_t r = 0; r < nraters; r++)
			if (!isnan(table[s * nraters + r]))
				out[n++] =
				        (struct reliability_rating){s, r, table[s * nraters + r]};
	return n;
}

static void compute(const struct reliability_rating *r, size_t n, size_t ns, size_t nr,
                    struct reliability_result *res)
{
	struct error err = {0};
	if (reliability_compute(r, n, ns, nr, res, &err) < 0)
		fail_msg("reliability_compute: %s", err.message);
}

/* Shrout & Fleiss (1979), "Intraclass correlations: uses in assessing rater
 * reliability", Psychological Bulletin 86(2), Table 2: 6 targets rated by
 * 4 judges (rows are targets). */
static const double shrout_fleiss[6 * 4] = {
        9, 2, 5, 8, 6, 1, 3, 2, 8, 4, 6, 8, 7, 1, 2, 6, 10, 5, 6, 9, 6, 2, 4, 7,
};

static void test_icc_shrout_fleiss(void **state)
{
	(void)state;
	struct reliability_rating r[24];
	size_t n = from_table(shrout_fleiss, 6, 4, r);
	struct reliability_result res;
	compute(r, n, 6, 4, &res);
	assert_true(res.icc_complete);
	assert_null(res.icc_note);
	/* Shrout & Fleiss (1979) Table 4: ICC(1,1) .17, ICC(2,1) .29,
	 * ICC(3,1) .71, ICC(1,4) .44, ICC(2,4) .62, ICC(3,4) .91. */
	static const double published[] = {.17, .29, .71, .44, .62, .91};
	/* R's psych::ICC on the same data, as printed in ramnathv/RExRepos
	 * md/interRaterICC.md (a copy of dwoll/RExRepos; "Intra-class-correlation
	 * for interval-scale ratings"): lower bounds -0.133 0.019 0.342 -0.884
	 * 0.071 0.676, upper bounds 0.72 0.76 0.95 0.91 0.93 0.99.  The current
	 * dwoll/RExRepos md/interRaterICC.md prints DescTools::ICC's estimates
	 * of the same data to three places: 0.166 0.290 0.715 0.443 0.620 0.909. */
	static const double psych[] = {0.166, 0.290, 0.715, 0.443, 0.620, 0.909};
	static const double lower[] = {-0.133, 0.019, 0.342, -0.884, 0.071, 0.676};
	static const double upper[] = {0.72, 0.76, 0.95, 0.91, 0.93, 0.99};
	/* The same psych::ICC intervals to three places, printed by the
	 * tutorial "Measurement Reliability in R: Alpha, ICC, Agreement"
	 * (psych::ICC(ratings)$results rounded to 3). */
	static const double upper3[] = {0.723, 0.761, 0.946, 0.912, 0.927, 0.986};
	for (int f = 0; f < RELIABILITY_ICC_COUNT; f++) {
		const struct reliability_estimate *e = &res.icc[f];
		assert_near(e->value, published[f], 0.005);
		assert_near(e->value, psych[f], 0.0005);
		assert_near(e->lower, lower[f], 0.0005);
		assert_near(e->upper, upper[f], 0.005);
		assert_near(e->upper, upper3[f], 0.0005);
	}
}

/* Few subjects, many raters: 4 work samples each rated by the same 30,000
 * raters, score = subject + (7 rater + 3 subject) mod 5.  The intervals'
 * F quantiles have 3 and about 100,000 degrees of freedom, where GSL's
 * gsl_cdf_fdist_Qinv returns NaN (its incomplete beta stops after 512
 * continued-fraction terms), and every lower bound was missing.  Expected:
 * psych::ICC's formulas (psych 2.2.9, body(ICC); Shrout & Fleiss 1979 for
 * the estimates, their eq. 13 for ICC(2,1)'s Satterthwaite df, here
 * 101048.73) on the mean squares computed exactly (Python fractions: MSB
 * 50000, MSJ 0.50001667, MSW 2.00006667, MSE 2.50008334), with the F
 * quantiles as test_stats's test_f_quantile computes its references
 * (mpmath, 30 digits: qf(.975, 3, 119996) = 3.116242935556035361,
 * qf(.975, 3, 89997) = 3.1162790701636575283, ...).  Rows: value, lower,
 * upper. */
static void test_icc_many_raters(void **state)
{
	(void)state;
	enum { NS = 4, NR = 30000 };
	struct reliability_rating *r = xmalloc(NS * NR * sizeof *r);
	size_t n = 0;
	for (size_t s = 0; s < NS; s++)
		for (size_t k = 0; k < NR; k++)
			r[n++] = (struct reliability_rating){s, k,
			                                     (double)(s + (k * 7 + s * 3) % 5)};
	struct reliability_result res;
	compute(r, n, NS, NR, &res);
	free(r);
	static const double want[RELIABILITY_ICC_COUNT][3] = {
	        {0.45452727212119192, 0.21096679703833484, 0.92053825695375858},
	        {0.45452479260578052, 0.21096052298045843, 0.92053824915279988},
	        {0.39997999933331111, 0.17620204824653839, 0.90260759687894737},
	        {0.99995999866662222, 0.99987534612744867, 0.99999712264305489},
	        {0.99995999826659155, 0.99987534142954961, 0.99999712264274803},
	        {0.99994999833327778, 0.99984418085252023, 0.99999640330773612},
	};
	for (int f = 0; f < RELIABILITY_ICC_COUNT; f++) {
		assert_near(res.icc[f].value, want[f][0], 1e-12);
		assert_near(res.icc[f].lower, want[f][1], 1e-10);
		assert_near(res.icc[f].upper, want[f][2], 1e-10);
	}
}

/* Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
 * section C: 4 observers (A to D) x 12 units with missing values (NAN);
 * unit 12 has one value and is not pairable.  Published alphas: nominal
 * .743, ordinal .815, interval .849, ratio .797; the same numbers are the
 * expected values of two independent implementations' tests
 * (choroba/statistics-krippendorff t/02-example.t, "krippendorf_1980", and
 * pln-fing-udelar/fast-krippendorff tests/test_krippendorff.py). */
#define X NAN
static const double krippendorff_by_observer[4 * 12] = {
        1, 2, 3, 3, 2, 1, 4, 1, 2, X, X, X, /* A */
        1, 2, 3, 3, 2, 2, 4, 1, 2, 5, X, 3, /* B */
        X, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, X, /* C */
        1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, X, /* D */
};

/* Units as subjects: the table transposed. */
static size_t units_table(const double *by_observer, size_t nobs, size_t nunits,
                          struct reliability_rating *out)
{
	double *t = xmalloc(nobs * nunits * sizeof *t);
	for (size_t o = 0; o < nobs; o++)
		for (size_t u = 0; u < nunits; u++)
			t[u * nobs + o] = by_observer[o * nunits + u];
	size_t n = from_table(t, nunits, nobs, out);
	free(t);
	return n;
}

static void test_alpha_krippendorff_2011(void **state)
{
	(void)state;
	struct reliability_rating r[48];
	size_t n = units_table(krippendorff_by_observer, 4, 12, r);
	assert_int_equal(n, 41);
	struct reliability_result res;
	compute(r, n, 12, 4, &res);
	assert_false(res.icc_complete);
	assert_int_equal(res.pairable, 40);
	assert_near(res.alpha[RELIABILITY_NOMINAL], 0.743, 0.0005);
	assert_near(res.alpha[RELIABILITY_ORDINAL], 0.815, 0.0005);
	assert_near(res.alpha[RELIABILITY_INTERVAL], 0.849, 0.0005);
	assert_near(res.alpha[RELIABILITY_RATIO], 0.797, 0.0005);
}

/* Wikipedia, "Krippendorff's alpha", "A computational example": 3 coders x
 * 15 units, nominal alpha 0.691; pln-fing-udelar/fast-krippendorff
 * tests/test_krippendorff.py checks the same data to six places: nominal
 * 0.691358, interval 0.810845. */
static const double wikipedia_by_coder[3 * 15] = {
        X, X, X, X, X, 3, 4, 1, 2, 1, 1, 3, 3, X, 3, /* coder A */
        1, X, 2, 1, 3, 3, 4, 3, X, X, X, X, X, X, X, /* coder B */
        X, X, 2, 1, 3, 4, 4, X, 2, 1, 1, 3, 3, X, 4, /* coder C */
};
#undef X

static void test_alpha_wikipedia(void **state)
{
	(void)state;
	struct reliability_rating r[45];
	size_t n = units_table(wikipedia_by_coder, 3, 15, r);
	struct reliability_result res;
	compute(r, n, 15, 3, &res);
	assert_near(res.alpha[RELIABILITY_NOMINAL], 0.691358, 5e-7);
	assert_near(res.alpha[RELIABILITY_INTERVAL], 0.810845, 5e-7);
}

static void test_perfect_agreement_is_one(void **state)
{
	(void)state;
	/* 5 subjects, 3 raters who agree exactly. */
	struct reliability_rating r[15];
	size_t n = 0;
	for (size_t s = 0; s < 5; s++)
		for (size_t k = 0; k < 3; k++)
			r[n++] = (struct reliability_rating){s, k, 1.5 * (double)s + 2};
	struct reliability_result res;
	compute(r, n, 5, 3, &res);
	assert_true(res.icc_complete);
	for (int f = 0; f < RELIABILITY_ICC_COUNT; f++) {
		assert_near(res.icc[f].value, 1, 1e-12);
		/* No residual variance: no F-based interval. */
		assert_true(isnan(res.icc[f].lower) && isnan(res.icc[f].upper));
	}
	for (int m = 0; m < RELIABILITY_METRIC_COUNT; m++)
		assert_near(res.alpha[m], 1, 1e-12);
}

static void test_no_variation_is_undefined(void **state)
{
	(void)state;
	struct reliability_rating r[6];
	for (size_t i = 0; i < 6; i++)
		r[i] = (struct reliability_rating){i / 2, i % 2, 3};
	struct reliability_result res;
	compute(r, 6, 3, 2, &res);
	for (int m = 0; m < RELIABILITY_METRIC_COUNT; m++)
		assert_true(isnan(res.alpha[m]));
	assert_true(isnan(res.icc[RELIABILITY_ICC3].value));
}

/* Two subjects, each rated 1 and 2 by the two raters in opposite order: the
 * subjects' means are equal (MSB = 0) and so are the raters' (MSJ = 0), with
 * MSW = 1/2 and MSE = 1.  Shrout & Fleiss's formulas (1979, Table 1) give
 * ICC(1,1) = (0 - 1/2)/(0 + 1/2) = -1, ICC(3,1) = (0 - 1)/(0 + 1) = -1, and for ICC(2,1), ICC(1,k),
 * ICC(2,k), ICC(3,k) denominators of 0, 0, -1/2 and 0: undefined, not
 * -inf or (0 - 1)/(-1/2) = 2, which an ICC cannot be. */
static void test_degenerate_icc_is_undefined(void **state)
{
	(void)state;
	const double table[4] = {1, 2, 2, 1};
	struct reliability_rating r[4];
	size_t n = from_table(table, 2, 2, r);
	struct reliability_result res;
	compute(r, n, 2, 2, &res);
	assert_true(fabs(res.icc[RELIABILITY_ICC1].value + 1) < 1e-12);
	assert_true(fabs(res.icc[RELIABILITY_ICC3].value + 1) < 1e-12);
	const enum reliability_icc_form undefined[] = {RELIABILITY_ICC2, RELIABILITY_ICC1K,
	                                               RELIABILITY_ICC2K, RELIABILITY_ICC3K};
	for (size_t i = 0; i < sizeof undefined / sizeof undefined[0]; i++) {
		assert_true(isnan(res.icc[undefined[i]].value));
		assert_true(isnan(res.icc[undefined[i]].lower));
		assert_true(isnan(res.icc[undefined[i]].upper));
	}
	for (int f = 0; f < RELIABILITY_ICC_COUNT; f++)
		assert_true(isnan(res.icc[f].lower) ||
		            (isfinite(res.icc[f].lower) && isfinite(res.icc[f].upper)));
}

/* Raters a constant apart (1,2 / 3,4 / 6,7): in exact arithmetic the
 * residual mean square is 0 (Shrout & Fleiss 1979: ICC(3,1) = (BMS - EMS) /
 * (BMS + (k-1) EMS) = 1), and an F-based interval does not exist; the
 * means of thirds left 1e-32 and gave [1, 1] (found in review). */
static void test_exact_fit_has_no_interval(void **state)
{
	(void)state;
	const double table[6] = {1, 2, 3, 4, 6, 7};
	struct reliability_rating r[6];
	size_t n = from_table(table, 3, 2, r);
	struct reliability_result res;
	compute(r, n, 3, 2, &res);
	assert_true(res.icc[RELIABILITY_ICC3].value == 1);
	const enum reliability_icc_form none[] = {RELIABILITY_ICC2, RELIABILITY_ICC3,
	                                          RELIABILITY_ICC2K, RELIABILITY_ICC3K};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
		assert_true(isnan(res.icc[none[i]].lower) && isnan(res.icc[none[i]].upper));
}

/* Two subjects both rated 1, 2, 0 by the same three raters: the subjects'
 * means are equal, so MSB = 0 and the F ratios MSB/MSW and MSB/MSE are 0.
 * Shrout & Fleiss's (1979) bounds are F/F(.975) and F F(.975), McGraw &
 * Wong's (1996) the same, so both are 0 and the interval is the
 * single point -1/(k - 1): R 4.2.2 with psych 2.2.9, ICC(x, lmer =
 * FALSE)$results, prints ICC1 -0.5 [-0.5, -0.5] (and ICC2, ICC1k, ICC2k from
 * a MSB of 1e-32: -1.6e-32 [-3.3e-32, 6.6e-30], -2.0e31 [-2.5e32, -2.3e28]).
 * A 95% interval of width 0 is the pivot at the edge of its range, not
 * certainty about the ICC: no interval, and a note why.  The values stay. */
static void test_equal_subject_means_have_no_interval(void **state)
{
	(void)state;
	const double table[6] = {1, 2, 0, 1, 2, 0};
	struct reliability_rating r[6];
	size_t n = from_table(table, 2, 3, r);
	struct reliability_result res;
	compute(r, n, 2, 3, &res);
	assert_near(res.icc[RELIABILITY_ICC1].value, -0.5, 1e-15);
	for (int f = 0; f < RELIABILITY_ICC_COUNT; f++)
		assert_true(isnan(res.icc[f].lower) && isnan(res.icc[f].upper));
	assert_non_null(res.icc_interval_note);
	/* Subjects that differ (Shrout & Fleiss's table) have intervals, no note. */
	struct reliability_rating sf[24];
	compute(sf, from_table(shrout_fleiss, 6, 4, sf), 6, 4, &res);
	assert_true(isfinite(res.icc[RELIABILITY_ICC1].lower));
	assert_null(res.icc_interval_note);
}

/* Five subjects, three raters, each subject's ratings a rotation of the
 * last (0 1 2 / -2 -1 0 / 1 2 -2 / -1 0 1 / 2 -2 -1): raters disagree more
 * than subjects differ.  R 4.2.2 with psych 2.2.9, ICC(x)$results, prints
 * ICC(2,1) -0.2173913043478265 [-0.5861526506998159, 0.6325324423559824]
 * and ICC(2,k) -1.1538461538461577 [10.2054779383776104,
 * 0.8377673151333382]: its k bounds are Spearman-Brown's k r / (1 + (k - 1)
 * r) of ICC(2,1)'s, and -0.586 is below the formula's pole at -1/(k - 1) =
 * -0.5, where it is no longer increasing: the "lower bound" above 1 and above
 * the upper one is the formula's far branch.  Below the pole the mean's
 * interval is unbounded below: no interval, as for an infinite bound
 * elsewhere.  ICC(2,1)'s own interval and the other forms are psych's. */
static void test_icc2k_interval_past_the_pole(void **state)
{
	(void)state;
	const double table[15] = {0, 1, 2, -2, -1, 0, 1, 2, -2, -1, 0, 1, 2, -2, -1};
	struct reliability_rating r[15];
	size_t n = from_table(table, 5, 3, r);
	struct reliability_result res;
	compute(r, n, 5, 3, &res);
	const struct reliability_estimate *two = &res.icc[RELIABILITY_ICC2];
	assert_near(two->value, -0.2173913043478265, 1e-12);
	assert_near(two->lower, -0.5861526506998159, 1e-9);
	assert_near(two->upper, 0.6325324423559824, 1e-9);
	const struct reliability_estimate *mean = &res.icc[RELIABILITY_ICC2K];
	assert_near(mean->value, -1.1538461538461577, 1e-12);
	assert_true(isnan(mean->lower) && isnan(mean->upper));
	/* psych's ICC1k and ICC3k, whose bounds come from F directly. */
	assert_near(res.icc[RELIABILITY_ICC1K].lower, -5.2556782095153993, 1e-8);
	assert_near(res.icc[RELIABILITY_ICC3K].upper, 0.8051133884747497, 1e-9);
}

/* One unit rated 3 and 4: observed and expected disagreement are the same
 * pair, so alpha is exactly 0 for every metric (Krippendorff 2011, alpha =
 * 1 - Do/De); the ratio metric's sum gave -1.3e-15. */
static void test_equal_disagreement_is_zero(void **state)
{
	(void)state;
	const double table[2] = {3, 4};
	struct reliability_rating r[2];
	size_t n = from_table(table, 1, 2, r);
	struct reliability_result res;
	compute(r, n, 1, 2, &res);
	for (int m = 0; m < RELIABILITY_METRIC_COUNT; m++)
		assert_true(res.alpha[m] == 0 && !signbit(res.alpha[m]));
}

static void test_incomplete_design_has_no_icc(void **state)
{
	(void)state;
	/* The Shrout-Fleiss table without one rating. */
	struct reliability_rating r[24];
	size_t n = from_table(shrout_fleiss, 6, 4, r);
	struct reliability_result res;
	compute(r, n - 1, 6, 4, &res);
	assert_false(res.icc_complete);
	assert_string_equal(res.icc_note, "not every rater rated every subject");
	for (int f = 0; f < RELIABILITY_ICC_COUNT; f++)
		assert_true(isnan(res.icc[f].value));
	assert_false(isnan(res.alpha[RELIABILITY_INTERVAL]));
	/* One rater only. */
	compute(r, 1, 6, 1, &res);
	assert_string_equal(res.icc_note, "fewer than 2 raters");
	assert_true(isnan(res.alpha[RELIABILITY_NOMINAL])); /* nothing pairable */
}

static void test_repeat_and_range_are_errors(void **state)
{
	(void)state;
	struct reliability_rating r[] = {{0, 0, 1}, {0, 1, 2}, {1, 0, 3}, {0, 1, 4}};
	struct reliability_result res;
	struct error err = {0};
	assert_int_equal(reliability_compute(r, 4, 2, 2, &res, &err), ERR_INVALID);
	assert_string_equal(err.message, "rating 3: rater 1 rated subject 0 again (first in "
	                                 "rating 1)");
	err_clear(&err);
	assert_int_equal(reliability_compute(r, 3, 2, 1, &res, &err), ERR_INVALID);
	r[0].score = INFINITY;
	err_clear(&err);
	assert_int_equal(reliability_compute(r, 3, 2, 2, &res, &err), ERR_INVALID);
}

/* Alpha by its definition (Krippendorff 2011): ordered pairs within units
 * and over all pairable values, delta given; quadratic, for small inputs. */
static double brute_alpha(const struct reliability_rating *r, size_t n, size_t ns,
                          double (*delta)(double, double))
{
	double obs = 0, all = 0, npair = 0;
	for (size_t s = 0; s < ns; s++) {
		double m = 0, within = 0;
		for (size_t i = 0; i < n; i++)
			if (r[i].subject == s) {
				m++;
				for (size_t j = 0; j < n; j++)
					if (j != i && r[j].subject == s)
						within += delta(r[i].score, r[j].score);
			}
		if (m >= 2) {
			obs += within / (m - 1);
			npair += m;
		}
	}
	/* A score is pairable when its unit has another. */
	size_t *in_unit = xcalloc(ns + 1, sizeof *in_unit);
	for (size_t i = 0; i < n; i++)
		in_unit[r[i].subject]++;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (i != j && in_unit[r[i].subject] >= 2 && in_unit[r[j].subject] >= 2)
				all += delta(r[i].score, r[j].score);
	free(in_unit);
	return 1 - (npair - 1) * obs / all;
}

static double delta_ratio(double a, double b)
{
	return a + b > 0 ? ((a - b) / (a + b)) * ((a - b) / (a + b)) : 0;
}

static double delta_interval(double a, double b)
{
	return (a - b) * (a - b);
}

/* The ratio metric's integral form against the pairwise definition, on
 * continuous scores spanning six decades (every value distinct, zeros
 * included) and with one unit of 300 scores (the integral inside a unit). */
static void test_ratio_matches_pairwise(void **state)
{
	(void)state;
	enum { N = 900 };
	struct reliability_rating *r = xmalloc(N * sizeof *r);
	uint64_t seed = 42;
	for (size_t i = 0; i < N; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		double u = (double)(seed >> 11) / 9007199254740992.0;
		size_t s = i < 300 ? 0 : 1 + (i - 300) / 4;
		r[i] = (struct reliability_rating){s, i < 300 ? i : (i - 300) % 4,
		                                   i % 97 == 5 ? 0 : pow(10, 6 * u - 3)};
	}
	struct reliability_result res;
	compute(r, N, 151, 300, &res);
	assert_near(res.alpha[RELIABILITY_RATIO], brute_alpha(r, N, 151, delta_ratio), 1e-12);
	assert_near(res.alpha[RELIABILITY_INTERVAL], brute_alpha(r, N, 151, delta_interval), 1e-12);
	/* A negative score has no ratio alpha. */
	r[7].score = -1;
	compute(r, N, 151, 300, &res);
	assert_true(isnan(res.alpha[RELIABILITY_RATIO]));
	free(r);
}

/* The pairable values' counts n_g by value, for delta_ordinal. */
static double ordinal_values[16], ordinal_counts[16];
static size_t ordinal_nvalues;

/* Krippendorff (2011), the ordinal metric as he writes it: delta(c, k) =
 * (sum of n_g for g from c to k - (n_c + n_k) / 2)^2, over the pairable
 * values' counts; not the cumulative mid-ranks reliability.c uses. */
static double delta_ordinal(double c, double k)
{
	double lo = c < k ? c : k, hi = c < k ? k : c, sum = 0, nc = 0, nk = 0;
	for (size_t g = 0; g < ordinal_nvalues; g++) {
		if (ordinal_values[g] >= lo && ordinal_values[g] <= hi)
			sum += ordinal_counts[g];
		if (ordinal_values[g] == c)
			nc = ordinal_counts[g];
		if (ordinal_values[g] == k)
			nk = ordinal_counts[g];
	}
	double d = sum - (nc + nk) / 2;
	return d * d;
}

static double delta_nominal(double c, double k)
{
	return c != k;
}

/* A 7-point scale, 60 units by up to 6 raters with ratings missing and
 * many ties, some units with one rating (not pairable): ordinal and
 * nominal alpha as computed against Krippendorff's formulas summed pair by
 * pair. */
static void test_ordinal_matches_pairwise(void **state)
{
	(void)state;
	struct reliability_rating r[360];
	size_t n = 0;
	for (size_t u = 0; u < 60; u++)
		for (size_t k = 0; k < 6; k++)
			if ((u * 5 + k * 3) % 7 < (u % 9 == 0 ? 1 : 4))
				r[n++] = (struct reliability_rating){
				        u, k, (double)(1 + (u % 5 + (u * k) % 3 + k / 4) % 7)};
	size_t *in_unit = xcalloc(60, sizeof *in_unit);
	for (size_t i = 0; i < n; i++)
		in_unit[r[i].subject]++;
	ordinal_nvalues = 7;
	for (size_t g = 0; g < 7; g++) {
		ordinal_values[g] = (double)(g + 1);
		ordinal_counts[g] = 0;
	}
	for (size_t i = 0; i < n; i++)
		if (in_unit[r[i].subject] >= 2)
			ordinal_counts[(size_t)r[i].score - 1]++;
	free(in_unit);
	struct reliability_result res;
	compute(r, n, 60, 6, &res);
	assert_true(res.pairable < n); /* some units have one rating */
	assert_near(res.alpha[RELIABILITY_ORDINAL], brute_alpha(r, n, 60, delta_ordinal), 1e-12);
	assert_near(res.alpha[RELIABILITY_NOMINAL], brute_alpha(r, n, 60, delta_nominal), 1e-12);
}

static int read_csv(const char *text, struct reliability_data *d, struct error *err)
{
	return reliability_read_csv("r.csv", text, strlen(text), d, err);
}

static void test_csv_reads_ratings(void **state)
{
	(void)state;
	struct reliability_data d;
	struct error err = {0};
	assert_int_equal(read_csv("subject,rater,score\r\na,x,1\na,y,2.5\n\nb,x,-3\n", &d, &err),
	                 0);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.nsubjects, 2);
	assert_int_equal(d.nraters, 2);
	assert_int_equal(d.ratings[2].subject, 1);
	assert_int_equal(d.ratings[2].rater, 0);
	assert_near(d.ratings[1].score, 2.5, 0);
	reliability_data_release(&d);
}

static void expect_csv_error(const char *text, const char *message)
{
	struct reliability_data d = {0};
	struct error err = {0};
	assert_int_equal(read_csv(text, &d, &err), ERR_INVALID);
	assert_string_equal(err.message, message);
	assert_null(d.ratings);
}

static void test_csv_errors(void **state)
{
	(void)state;
	expect_csv_error("", "r.csv: empty; expected the header subject,rater,score");
	expect_csv_error(
	        "subject,score,rater\n",
	        "r.csv:1: expected the header subject,rater,score, got 'subject,score,rater'");
	expect_csv_error("subject,rater,score\n",
	                 "r.csv: no ratings; expected a row per rating after the header "
	                 "subject,rater,score");
	expect_csv_error("subject,rater,score\na,x,1\na,y,high\n",
	                 "r.csv:3: column score: expected a number, got 'high'");
	expect_csv_error("subject,rater,score\na,x,\n",
	                 "r.csv:2: column score: expected a number, got ''");
	expect_csv_error("subject,rater,score\na,x,nan\n",
	                 "r.csv:2: column score: expected a number, got 'nan'");
	/* Numbers out of a double's range say so, not "expected a number"
	 * (found in the calibrate hunt). */
	expect_csv_error("subject,rater,score\na,x,1e-400\n",
	                 "r.csv:2: column score: '1e-400' is out of range: nonzero but too "
	                 "close to 0 for a double to hold");
	expect_csv_error("subject,rater,score\na,x,-1e400\n",
	                 "r.csv:2: column score: expected a number from -1000000000 to "
	                 "1000000000, got '-1e400'");
	expect_csv_error("subject,rater,score\na,x,1,2\n",
	                 "r.csv:2: expected 3 fields (subject,rater,score), got 4");
	expect_csv_error("subject,rater,score\n,x,1\n",
	                 "r.csv:2: column subject: expected an id, got ''");
	expect_csv_error("subject,rater,score\na,x,1\nb,x,2\na,y,3\na,x,4\n",
	                 "r.csv:5: subject 'a' and rater 'x' again (first at line 2)");
	/* Ids go to the terminal and to --json (found in review). */
	expect_csv_error("subject,rater,score\na,x\x1b[2J,1\n",
	                 "r.csv:2: column rater: expected an id of at most 200 bytes of UTF-8 "
	                 "text without control characters");
	expect_csv_error("subject,rater,score\na\xff,x,1\n",
	                 "r.csv:2: column subject: expected an id of at most 200 bytes of UTF-8 "
	                 "text without control characters");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_icc_shrout_fleiss),
	        cmocka_unit_test(test_icc_many_raters),
	        cmocka_unit_test(test_alpha_krippendorff_2011),
	        cmocka_unit_test(test_alpha_wikipedia),
	        cmocka_unit_test(test_perfect_agreement_is_one),
	        cmocka_unit_test(test_no_variation_is_undefined),
	        cmocka_unit_test(test_degenerate_icc_is_undefined),
	        cmocka_unit_test(test_equal_subject_means_have_no_interval),
	        cmocka_unit_test(test_exact_fit_has_no_interval),
	        cmocka_unit_test(test_icc2k_interval_past_the_pole),
	        cmocka_unit_test(test_equal_disagreement_is_zero),
	        cmocka_unit_test(test_incomplete_design_has_no_icc),
	        cmocka_unit_test(test_repeat_and_range_are_errors),
	        cmocka_unit_test(test_ratio_matches_pairwise),
	        cmocka_unit_test(test_ordinal_matches_pairwise),
	        cmocka_unit_test(test_csv_reads_ratings),
	        cmocka_unit_test(test_csv_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
