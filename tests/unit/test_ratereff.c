/*
 * test_ratereff: rater effects against published mixed-model fits.
 *
 * Penicillin and Dyestuff are balanced, so Method III equals ANOVA, which
 * equals REML when the estimates are positive: lme4's REML fits are the
 * reference.  Data: lme4's datasets as exported by Rdatasets
 * (vincentarelbundock/Rdatasets, csv/lme4/Penicillin.csv, Dyestuff.csv).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_permutation.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/rng.h"
#include "calibrate/ratereff.h"

#define assert_near(actual, expected, eps) assert_near_(actual, expected, eps, __LINE__)
static void assert_near_(double actual, double expected, double eps, int line)
{
	if (!(fabs(actual - expected) <= eps))
		fail_msg("line %d: got %.10g, expected %.10g (tolerance %g)", line, actual,
		         expected, eps);
}

/* Penicillin (Davies and Goldsmith 1972, sec. 6.6; lme4's Penicillin):
 * diameter of the inhibition zone, 24 plates (a..x) by 6 samples (A..F),
 * listed plate by plate, samples A..F within each plate. */
static const double penicillin[144] = {
        27, 23, 26, 23, 23, 21, 27, 23, 26, 23, 23, 21, 25, 21, 25, 24, 24, 20, 26, 23, 25,
        23, 23, 20, 25, 22, 26, 22, 23, 20, 24, 22, 25, 23, 22, 19, 24, 20, 23, 21, 22, 19,
        26, 22, 26, 24, 24, 21, 24, 21, 24, 22, 22, 20, 24, 21, 24, 23, 22, 19, 26, 23, 26,
        24, 24, 21, 25, 22, 26, 24, 24, 20, 26, 24, 26, 24, 25, 22, 26, 23, 26, 23, 23, 20,
        26, 23, 25, 24, 24, 22, 25, 22, 25, 23, 23, 20, 25, 21, 24, 23, 23, 20, 25, 22, 24,
        23, 23, 19, 24, 21, 23, 21, 21, 19, 26, 23, 26, 24, 24, 21, 25, 21, 24, 22, 22, 18,
        25, 22, 25, 22, 22, 20, 24, 21, 24, 22, 24, 19, 24, 21, 24, 22, 21, 18};

/* Plate = ratee, sample = rater: lmer(diameter ~ 1 + (1|plate) + (1|sample)).
 * Published REML fit (Bates, "lme4: Mixed-effects modeling with R", ch. 2;
 * the same printout in lme4's own examples): plate variance 0.7169, sample
 * 3.7311, residual 0.3024, intercept 22.972.  The exact REML optimum of this
 * balanced design is the ANOVA solution; lme4's optimizer stops a little
 * short of it for the sample variance (3.7311318 against 3.730918).
 * Metida.jl's test suite ("Model 7: Penicillin.csv parameters") pins the
 * optimum closer: plate 0.716908, sample 3.73092, residual 0.302415; so does
 * MixedModels.jl's (JuliaStats/MixedModels.jl test/plstwoscalar.jl, REML:
 * sample sd 1.9315555733321477, plate sd 0.8467056820846379, sigma
 * 0.5499230109588108, each to its optimizer's 1e-5).
 * Sample BLUPs: ranef(fm)$sample as recorded from lme4 in LMMstar's tests
 * (bozenne/LMMstar tests/testthat, "Crossed random intercept model"):
 * 2.1870584 -1.01047635 1.93789985 -0.09689499 -0.01384214 -3.00374477;
 * plate a's BLUP 0.80454691. */
/* Plate = ratee, sample = rater; obs gets the 144 ratings. */
static struct ratereff_result *fit_penicillin(struct arena *a, struct ratereff_obs obs[144])
{
	for (uint32_t p = 0; p < 24; p++)
		for (uint32_t s = 0; s < 6; s++)
			obs[p * 6 + s] = (struct ratereff_obs){p, s, penicillin[p * 6 + s]};
	struct error err = {0};
	struct ratereff_result *r = NULL;
	assert_int_equal(ratereff_fit(a, obs, 144, 24, 6, NULL, &r, &err), 0);
	return r;
}

static void test_penicillin(void **state)
{
	(void)state;
	struct ratereff_obs obs[144];
	struct arena *a = arena_create();
	struct ratereff_result *r = fit_penicillin(a, obs);
	assert_true(r->ratee_identifiable && r->rater_identifiable && r->converged);
	assert_int_equal(r->components, 1);
	/* Against lme4's printed values, to their printed precision. */
	assert_near(r->ratee_var, 0.7169, 5e-5);
	assert_near(r->rater_var, 3.7311, 5e-4);
	assert_near(r->residual_var, 0.3024, 5e-5);
	assert_near(r->mu, 22.972, 5e-4);
	/* Against the REML optimum (Metida.jl, MixedModels.jl). */
	assert_near(r->ratee_var, 0.716908, 5e-6);
	assert_near(r->rater_var, 3.73092, 5e-6);
	assert_near(r->residual_var, 0.302415, 5e-6);
	assert_near(sqrt(r->rater_var), 1.9315555733321477, 1e-5);
	assert_near(sqrt(r->ratee_var), 0.8467056820846379, 1e-5);
	assert_near(sqrt(r->residual_var), 0.5499230109588108, 1e-5);
	static const double sample_blup[6] = {2.1870584,   -1.01047635, 1.93789985,
	                                      -0.09689499, -0.01384214, -3.00374477};
	for (int s = 0; s < 6; s++) {
		assert_near(r->raters[s].effect, sample_blup[s], 2e-5);
		assert_int_equal(r->raters[s].n, 24);
	}
	assert_near(r->ratee_effect[0], 0.80454691, 2e-5);
	/* Default threshold 0.3 with 24 ratings each: A, B, C, F flagged. */
	assert_true(r->raters[0].flagged && r->raters[0].direction == RATEREFF_LENIENT);
	assert_true(r->raters[1].flagged && r->raters[1].direction == RATEREFF_SEVERE);
	assert_false(r->raters[3].flagged);
	assert_false(r->raters[4].flagged);
	assert_near(ratereff_adjusted(r, 5, 20.0), 20.0 + 3.00374477, 2e-5);
	arena_destroy(a);
}

/* Penicillin a billion higher (the largest score a ratings file may hold):
 * the model is the same shifted, the intercept by as much (Searle, Casella
 * and McCulloch 1992: variance components and BLUPs are invariant to a
 * constant added to y).  Found in the calibrate hunt: the effects started
 * from an intercept near 1e9, whose last bit (1.2e-7) is above
 * RATEREFF_TOL of the spread, so no sweep met it: 20,000 sweeps, converged
 * false. */
static void test_shifted_by_a_billion(void **state)
{
	(void)state;
	struct ratereff_obs obs[144];
	struct arena *a = arena_create();
	struct ratereff_result *base = fit_penicillin(a, obs);
	for (int k = 0; k < 144; k++)
		obs[k].y += 1e9;
	struct error err = {0};
	struct ratereff_result *r = NULL;
	assert_int_equal(ratereff_fit(a, obs, 144, 24, 6, NULL, &r, &err), 0);
	assert_true(r->converged);
	assert_true(r->sweeps < 1000);
	assert_near(r->mu, base->mu + 1e9, 1e-5);
	assert_near(r->ratee_var, base->ratee_var, 1e-6);
	assert_near(r->rater_var, base->rater_var, 1e-6);
	assert_near(r->residual_var, base->residual_var, 1e-6);
	for (int s = 0; s < 6; s++) {
		assert_near(r->raters[s].effect, base->raters[s].effect, 1e-6);
		assert_near(r->raters[s].raw_mean, base->raters[s].raw_mean, 1e-6);
	}
	assert_near(r->ratee_effect[0], base->ratee_effect[0], 1e-6);
	arena_destroy(a);
}

/* Dyestuff (Davies 1947; lme4's Dyestuff): yield of 6 batches x 5
 * preparations.  All on one ratee, batch = rater, so only the rater variance
 * is identifiable.  Published: lmer(Yield ~ 1 + (1|Batch)) REML, Bates,
 * "lme4: Mixed-effects modeling with R", ch. 1: Batch variance 1764.0
 * (sd 42.00), residual 2451.3 (sd 49.51), intercept 1527.5;
 * ranef: -17.6068514 0.3912634 28.5622255 -23.0845384 56.7331877
 * -44.9952868.  ANOVA gives 1764.05 and 2451.25 exactly. */
static void test_dyestuff(void **state)
{
	(void)state;
	static const double yield[30] = {1545, 1440, 1440, 1520, 1580, 1540, 1555, 1490,
	                                 1560, 1495, 1595, 1550, 1605, 1510, 1560, 1445,
	                                 1440, 1595, 1465, 1545, 1595, 1630, 1515, 1635,
	                                 1625, 1520, 1455, 1450, 1480, 1445};
	struct ratereff_obs obs[30];
	for (uint32_t k = 0; k < 30; k++)
		obs[k] = (struct ratereff_obs){0, k / 5, yield[k]};
	struct arena *a = arena_create();
	struct error err = {0};
	struct ratereff_result *r = NULL;
	assert_int_equal(ratereff_fit(a, obs, 30, 1, 6, NULL, &r, &err), 0);
	assert_false(r->ratee_identifiable);
	assert_true(r->rater_identifiable);
	assert_near(r->ratee_var, 0, 0);
	assert_near(r->residual_var, 2451.25, 1e-6);
	assert_near(r->rater_var, 1764.05, 1e-6);
	assert_near(sqrt(r->rater_var), 42.00, 5e-3);
	assert_near(sqrt(r->residual_var), 49.51, 5e-3);
	assert_near(r->mu, 1527.5, 1e-6);
	static const double blup[6] = {-17.6068514, 0.3912634,  28.5622255,
	                               -23.0845384, 56.7331877, -44.9952868};
	for (int j = 0; j < 6; j++)
		assert_near(r->raters[j].effect, blup[j], 1e-5);
	/* The conditional sd, lme4's condVar: R 4.2.2 with lme4 1.1-31,
	 * sqrt(attr(ranef(lmer(Yield ~ 1 + (1|Batch), Dyestuff), condVar =
	 * TRUE)$Batch, "postVar")) prints 19.5865700902 for every batch; with
	 * no ratee variance it is sqrt(s2 / (5 + s2 / tb2)). */
	for (int j = 0; j < 6; j++)
		assert_near(r->raters[j].sd, 19.5865700902, 1e-6);
	arena_destroy(a);
}

/* A perfect fit (residual variance 0): two raters rate six ratees 3 and 4.
 * The mixed-model equations with s2 = 0 are the fixed-effects equations,
 * whose additive solution here is mu = 3.5 (the grand mean) and rater
 * effects -0.5 and +0.5 (Searle, Casella & McCulloch, Variance Components,
 * 1992, ch. 7: as s2 -> 0 the BLUP tends to the fixed-effects estimate).
 * Found in review: mu stayed 0 and the effects were 3 and 4, both lenient. */
static void test_perfect_fit(void **state)
{
	(void)state;
	struct ratereff_obs obs[12];
	for (uint32_t i = 0; i < 6; i++) {
		obs[2 * i] = (struct ratereff_obs){i, 0, 3};
		obs[2 * i + 1] = (struct ratereff_obs){i, 1, 4};
	}
	struct arena *a = arena_create();
	struct error err = {0};
	struct ratereff_result *r = NULL;
	assert_int_equal(ratereff_fit(a, obs, 12, 6, 2, NULL, &r, &err), 0);
	assert_near(r->residual_var, 0, 1e-12);
	assert_near(r->mu, 3.5, 1e-9);
	assert_near(r->raters[0].effect, -0.5, 1e-9);
	assert_near(r->raters[1].effect, 0.5, 1e-9);
	arena_destroy(a);
}

/* A standard normal by Box-Muller on the project's generator. */
static double normal(struct rng *g)
{
	double u1 = ((double)(rng_next(g) >> 11) + 0.5) / 9007199254740992.0;
	double u2 = (double)(rng_next(g) >> 11) / 9007199254740992.0;
	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/* Simulated calibration: 2,000 ratees (quality ~ N(0, 0.6^2)), 5 ratings
 * each from distinct random raters among 100, noise sd 0.5, six raters with
 * planted leniency.  Each planted effect must come back within 0.15, and
 * exactly those six raters be flagged. */
static void test_simulated_leniency(void **state)
{
	(void)state;
	enum { RATEES = 2000, RATERS = 100, PER = 5 };
	static const uint32_t planted_rater[6] = {3, 17, 42, 58, 71, 99};
	static const double planted[6] = {0.8, 0.6, -0.7, -0.9, 0.5, -0.5};
	double lenience[RATERS] = {0};
	for (int k = 0; k < 6; k++)
		lenience[planted_rater[k]] = planted[k];
	struct rng g;
	rng_seed(&g, 20240611);
	static struct ratereff_obs obs[RATEES * PER];
	size_t n = 0;
	for (uint32_t i = 0; i < RATEES; i++) {
		double quality = 0.6 * normal(&g);
		uint32_t chosen[PER];
		for (int k = 0; k < PER; k++) {
			bool again;
			do {
				chosen[k] = (uint32_t)rng_below(&g, RATERS);
				again = false;
				for (int m = 0; m < k; m++)
					again |= chosen[m] == chosen[k];
			} while (again);
			double y = 3.0 + quality + lenience[chosen[k]] + 0.5 * normal(&g);
			obs[n++] = (struct ratereff_obs){i, chosen[k], y};
		}
	}
	struct arena *a = arena_create();
	struct error err = {0};
	struct ratereff_result *r = NULL;
	struct ratereff_params p = {0.3, 5};
	assert_int_equal(ratereff_fit(a, obs, n, RATEES, RATERS, &p, &r, &err), 0);
	assert_true(r->converged);
	assert_near(r->residual_var, 0.25, 0.03);
	assert_near(r->ratee_var, 0.36, 0.06);
	for (uint32_t j = 0; j < RATERS; j++) {
		bool is_planted = lenience[j] != 0;
		assert_near(r->raters[j].effect, lenience[j], 0.15);
		if (r->raters[j].flagged != is_planted)
			fail_msg("rater %u: flagged %d, planted %g, effect %g", j,
			         r->raters[j].flagged, lenience[j], r->raters[j].effect);
		if (is_planted)
			assert_int_equal(r->raters[j].direction,
			                 lenience[j] > 0 ? RATEREFF_LENIENT : RATEREFF_SEVERE);
	}
	arena_destroy(a);
}

/* The sds: each rater effect's conditional variance given mu and the
 * variance components, s2 times the rater block of C^-1, C = Z'Z + diag(s2/ta2
 * for ratees, s2/tb2 for raters) (Henderson 1975, "Best linear unbiased
 * estimation and prediction under a selection model", Biometrics 31; lme4's
 * condVar, Bates et al. 2015, J. Stat. Softw. 67(1), sec. 5.2).  Checked two
 * ways that do not share the code's Schur complement:
 *   - Penicillin, balanced and complete (I = 24 plates, J = 6 samples, one
 *     rating each): C's sample block by Sherman-Morrison is
 *     (1/(I + lb)) (1 + c/(I + lb - J c)), c = I/(J + la), la = s2/ta2,
 *     lb = s2/tb2.  With the REML components 0.716908, 3.73092, 0.302415
 *     that is sd 0.20217 for every sample, by hand; the ratees' uncertainty
 *     nearly doubles the 0.11207 of sqrt(s2/(I + lb)), which treats the plate
 *     effects as known;
 *   - an unbalanced design (some pairs rated twice, some not at all): the
 *     whole (I + J) x (I + J) matrix C inverted by LU. */
static double full_inverse_sd(const struct ratereff_obs *obs, size_t n, size_t I, size_t J,
                              const struct ratereff_result *r, size_t rater)
{
	size_t m = I + J;
	gsl_matrix *c = gsl_matrix_calloc(m, m), *inv = gsl_matrix_alloc(m, m);
	for (size_t k = 0; k < n; k++) {
		size_t i = obs[k].ratee, j = I + obs[k].rater;
		*gsl_matrix_ptr(c, i, i) += 1;
		*gsl_matrix_ptr(c, j, j) += 1;
		*gsl_matrix_ptr(c, i, j) += 1;
		*gsl_matrix_ptr(c, j, i) += 1;
	}
	for (size_t i = 0; i < I; i++)
		*gsl_matrix_ptr(c, i, i) += r->residual_var / r->ratee_var;
	for (size_t j = 0; j < J; j++)
		*gsl_matrix_ptr(c, I + j, I + j) += r->residual_var / r->rater_var;
	gsl_permutation *perm = gsl_permutation_alloc(m);
	int sign;
	gsl_linalg_LU_decomp(c, perm, &sign);
	gsl_linalg_LU_invert(c, perm, inv);
	double sd = sqrt(r->residual_var * gsl_matrix_get(inv, I + rater, I + rater));
	gsl_permutation_free(perm);
	gsl_matrix_free(inv);
	gsl_matrix_free(c);
	return sd;
}

static void test_rater_sd(void **state)
{
	(void)state;
	struct ratereff_obs obs[144];
	struct arena *a = arena_create();
	struct ratereff_result *r = fit_penicillin(a, obs);
	double la = r->residual_var / r->ratee_var, lb = r->residual_var / r->rater_var;
	double c = 24 / (6 + la);
	double closed = sqrt(r->residual_var * (1 + c / (24 + lb - 6 * c)) / (24 + lb));
	for (int s = 0; s < 6; s++) {
		assert_near(r->raters[s].sd, 0.20217, 5e-5);
		assert_near(r->raters[s].sd, closed, 1e-12);
		assert_near(r->raters[s].sd, full_inverse_sd(obs, 144, 24, 6, r, (size_t)s), 1e-12);
	}

	/* Unbalanced: 40 ratees, 7 raters, each rating kept with probability
	 * one half, a second rating of the pair one time in four; rater 6 gives
	 * none and keeps the prior's sd, sqrt(tb2). */
	enum { I = 40, J = 7 };
	static struct ratereff_obs u[I * (J - 1) * 2];
	size_t n = 0;
	struct rng g;
	rng_seed(&g, 7);
	for (uint32_t i = 0; i < I; i++)
		for (uint32_t j = 0; j + 1 < J; j++) {
			if (rng_below(&g, 2) && j != i % (J - 1))
				continue;
			for (int twice = 0; twice < (rng_below(&g, 4) ? 1 : 2); twice++)
				u[n++] = (struct ratereff_obs){
				        i, j,
				        3.0 + 0.3 * (double)(i % 5) + 0.2 * (double)j +
				                0.1 * (double)rng_below(&g, 7)};
		}
	struct error err = {0};
	assert_int_equal(ratereff_fit(a, u, n, I, J, NULL, &r, &err), 0);
	assert_true(r->ratee_var > 0 && r->rater_var > 0);
	for (size_t j = 0; j < J; j++)
		assert_near(r->raters[j].sd, full_inverse_sd(u, n, I, J, r, j), 1e-10);
	assert_near(r->raters[J - 1].sd, sqrt(r->rater_var), 1e-10);
	/* Each sd is at least the one that takes the ratees as known. */
	lb = r->residual_var / r->rater_var;
	for (size_t j = 0; j < J; j++)
		assert_true(r->raters[j].sd >=
		            sqrt(r->residual_var / ((double)r->raters[j].n + lb)) - 1e-12);
	arena_destroy(a);
}

/* The rater sds of a perfect fit (s2 = 0, or within rounding of it): the
 * limit as s2 goes to 0 of s2 times the rater block of C^-1, C = Z'Z +
 * s2 G^-1 (Henderson 1975, Biometrics 31; lme4's condVar, Bates et al.
 * 2015, J. Stat. Softw. 67(1), sec. 5.2).  On the range of Z'Z that
 * vanishes with s2; on its null space it is B (B' G^-1 B)^-1 B' for a
 * basis B of it.  Given mu a connected group of I ratees and J raters
 * leaves one direction free (its ratees' effects up by a constant, its
 * raters' down by as much), and a rater with no ratings its own: so the
 * variance is 1 / (I/ta2 + J/tb2), or tb2 with no ratings; without a ratee
 * variance, s2 / (n + s2/tb2) = 0.  Checked against the limit computed
 * another way, full_inverse_sd with a small s2 (1e-9 of the components).
 * Found in the calibrate hunt: the sds were NaN (0/0 for a rater with no
 * ratings; a singular S that would not factor), or an S made of rounding
 * factored to 0.00014, and the effects of an exactly additive table of
 * fractional means came out near -2.7e11 or +1.26e6 (rounding divided by
 * a shrinkage of 1e-22). */
static void test_perfect_fit_sd(void **state)
{
	(void)state;
	struct arena *a = arena_create();
	struct error err = {0};
	struct ratereff_result *r = NULL;
	/* No ratee variance: two raters rate six ratees 3 and 4; a third rater
	 * is in the model with no ratings. */
	struct ratereff_obs flat[12];
	for (uint32_t i = 0; i < 6; i++) {
		flat[2 * i] = (struct ratereff_obs){i, 0, 3};
		flat[2 * i + 1] = (struct ratereff_obs){i, 1, 4};
	}
	assert_int_equal(ratereff_fit(a, flat, 12, 6, 3, NULL, &r, &err), 0);
	assert_near(r->ratee_var, 0, 0);
	assert_true(r->rater_var > 0);
	assert_near(r->raters[0].sd, 0, 0);
	assert_near(r->raters[1].sd, 0, 0);
	assert_near(r->raters[2].sd, sqrt(r->rater_var), 1e-12);

	/* Ratees and raters both vary, and every rating is exactly ratee plus
	 * rater: fractional means (s2 is rounding, about 1e-23) on an
	 * unbalanced table, 18 of 24 cells; then whole numbers (s2 exactly 0). */
	static const double ratee[6] = {0, 1.0 / 3, 2.0 / 3, 0.1, 0.7, 1.3};
	static const double rater[4] = {3.1, 3.7, 2.9, 3.3};
	static const double whole_ratee[6] = {0, 1, 2, 0, 1, 1};
	static const double whole_rater[4] = {3, 4, 2, 3};
	for (int whole = 0; whole < 2; whole++) {
		struct ratereff_obs obs[24];
		size_t n = 0;
		for (uint32_t i = 0; i < 6; i++)
			for (uint32_t j = 0; j < 4; j++)
				if ((i + 2 * j) % 4)
					obs[n++] = (struct ratereff_obs){
					        i, j,
					        whole ? whole_ratee[i] + whole_rater[j]
					              : ratee[i] + rater[j]};
		const double *b = whole ? whole_rater : rater;
		assert_int_equal(ratereff_fit(a, obs, n, 6, 4, NULL, &r, &err), 0);
		assert_true(r->converged);
		assert_true(r->residual_var < 1e-20);
		assert_true(r->ratee_var > 0 && r->rater_var > 0);
		/* The effects: the raters' levels less their mean (as s2 goes to 0
		 * the BLUP tends to the fixed-effects solution least in G^-1). */
		double mean_b = (b[0] + b[1] + b[2] + b[3]) / 4;
		double limit = sqrt(1 / (6 / r->ratee_var + 4 / r->rater_var));
		struct ratereff_result small = *r;
		small.residual_var = 1e-9 * fmin(r->ratee_var, r->rater_var);
		for (size_t j = 0; j < 4; j++) {
			assert_near(r->raters[j].effect, b[j] - mean_b, 1e-9);
			assert_near(r->raters[j].sd, limit, 1e-12);
			assert_near(r->raters[j].sd, full_inverse_sd(obs, n, 6, 4, &small, j),
			            1e-6);
		}
	}
	arena_destroy(a);
}

/* Unbalanced, with repeated ratings (n_ij = 2 in some cells) and empty
 * cells: 40 ratings of 10 ratees by 6 raters.  Method III by its
 * definition (Searle, Casella & McCulloch 1992, sec. 5.5) in R 4.2.2 from
 * least-squares fits, independent of the backfitting here: s2 =
 * deviance(lm(y ~ ratee + rater)) / (N - rank), tb2 = (deviance(lm(y ~
 * ratee)) - SSE(a+b) - (rank(a+b) - rank(a)) s2) / (N - sum n_ij^2 / n_i),
 * ta2 likewise; then the BLUPs by solving Henderson's mixed-model
 * equations [X'X X'Z; Z'X Z'Z + s2 G^-1] densely with solve(), and each
 * rater's sd given mu as s2 times the diagonal of (Z'Z + s2 G^-1)^-1 (what
 * lme4's condVar reports).  Data: y = 3 + (i mod 4) / 2 + (j - 2.5) / 5 +
 * 0.3 ((7i + 11j) mod 5 - 2) for ratee i, rater j when (3i + 5j) mod 7 < 4,
 * and when (i + j) mod 6 = 0 a second rating 0.4 ((ij) mod 3 - 1) higher. */
static void test_unbalanced_against_lm(void **state)
{
	(void)state;
	struct ratereff_obs obs[64];
	size_t n = 0;
	for (uint32_t i = 0; i < 10; i++)
		for (uint32_t j = 0; j < 6; j++) {
			if ((i * 3 + j * 5) % 7 >= 4)
				continue;
			double y = 3 + (i % 4) * 0.5 + (j - 2.5) * 0.2 +
			           ((double)((i * 7 + j * 11) % 5) - 2) * 0.3;
			obs[n++] = (struct ratereff_obs){i, j, y};
			if ((i + j) % 6 == 0)
				obs[n++] = (struct ratereff_obs){
				        i, j, y + 0.4 * ((double)((i * j) % 3) - 1)};
		}
	assert_int_equal(n, 40);
	struct arena *a = arena_create();
	struct error err = {0};
	struct ratereff_result *r = NULL;
	assert_int_equal(ratereff_fit(a, obs, n, 10, 6, NULL, &r, &err), 0);
	assert_true(r->converged);
	assert_int_equal(r->components, 1);
	assert_near(r->residual_var, 0.16690701045865791, 1e-10);
	assert_near(r->ratee_var, 0.48428945399044709, 1e-10);
	assert_near(r->rater_var, 0.25308753429451619, 1e-10);
	assert_near(r->mu, 3.6139302087680938, 1e-9);
	static const double rater[6] = {-0.70722940175771976, -0.035050301725427488,
	                                -0.23643161939066396, 0.23169383248652814,
	                                0.079369853450706115, 0.6676476369365103};
	static const double sd[6] = {0.21229273921660494, 0.2262839276259247,  0.21317819481173272,
	                             0.2083833511450989,  0.22048942570177749, 0.21109740292055709};
	for (int j = 0; j < 6; j++) {
		assert_near(r->raters[j].effect, rater[j], 1e-9);
		assert_near(r->raters[j].sd, sd[j], 1e-9);
	}
	static const double ratee[10] = {-0.76796279486205599, -0.06399612890387632,
	                                 0.38727585920011048,  0.79142256565653291,
	                                 -0.57897849914977639, 0.076054479718234785,
	                                 0.47615961913643129,  0.94783702886790966,
	                                 -0.79589200217561018, -0.47192012748807249};
	for (int i = 0; i < 10; i++)
		assert_near(r->ratee_effect[i], ratee[i], 1e-9);
	arena_destroy(a);
}

/* Nested design: each ratee rated (three times) by its one manager, two
 * ratees per manager.  A manager's leniency cannot be told from the
 * strength of their team: the rater variance is not identifiable, no rater
 * effect is estimated and nobody is flagged. */
static void test_nested_not_identifiable(void **state)
{
	(void)state;
	struct ratereff_obs obs[60];
	struct rng g;
	rng_seed(&g, 7);
	size_t n = 0;
	for (uint32_t i = 0; i < 20; i++)
		for (int k = 0; k < 3; k++)
			obs[n++] = (struct ratereff_obs){i, i / 2, (i / 2) * 0.5 + normal(&g)};
	struct arena *a = arena_create();
	struct error err = {0};
	struct ratereff_result *r = NULL;
	assert_int_equal(ratereff_fit(a, obs, n, 20, 10, NULL, &r, &err), 0);
	assert_false(r->rater_identifiable);
	assert_true(r->ratee_identifiable);
	assert_int_equal(r->components, 10);
	assert_near(r->rater_var, 0, 0);
	for (int j = 0; j < 10; j++) {
		assert_false(r->raters[j].flagged);
		assert_near(r->raters[j].effect, 0, 0);
	}
	arena_destroy(a);
}

static void test_bad_input(void **state)
{
	(void)state;
	struct arena *a = arena_create();
	struct error err = {0};
	struct ratereff_result *r = NULL;
	struct ratereff_obs obs[2] = {{0, 0, 1.0}, {0, 3, 2.0}};
	assert_int_equal(ratereff_fit(a, obs, 2, 1, 2, NULL, &r, &err), ERR_INVALID);
	assert_non_null(strstr(err.message, "rating 1"));
	assert_null(r);
	err_clear(&err);
	obs[1].rater = 1;
	/* Two ratings, one ratee, two raters: no residual degrees of freedom. */
	assert_int_equal(ratereff_fit(a, obs, 2, 1, 2, NULL, &r, &err), ERR_INVALID);
	assert_null(r);
	err_clear(&err);
	obs[1].y = NAN;
	assert_int_equal(ratereff_fit(a, obs, 2, 1, 2, NULL, &r, &err), ERR_INVALID);
	arena_destroy(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_penicillin),
	        cmocka_unit_test(test_shifted_by_a_billion),
	        cmocka_unit_test(test_dyestuff),
	        cmocka_unit_test(test_perfect_fit),
	        cmocka_unit_test(test_perfect_fit_sd),
	        cmocka_unit_test(test_simulated_leniency),
	        cmocka_unit_test(test_rater_sd),
	        cmocka_unit_test(test_nested_not_identifiable),
	        cmocka_unit_test(test_bad_input),
	        cmocka_unit_test(test_unbalanced_against_lm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
