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
static void test_penicillin(void **state)
{
	(void)state;
	struct ratereff_obs obs[144];
	for (uint32_t p = 0; p < 24; p++)
		for (uint32_t s = 0; s < 6; s++)
			obs[p * 6 + s] = (struct ratereff_obs){p, s, penicillin[p * 6 + s]};
	struct arena *a = arena_create();
	struct error err = {0};
	struct ratereff_result *r = NULL;
	assert_int_equal(ratereff_fit(a, obs, 144, 24, 6, NULL, &r, &err), 0);
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
	        cmocka_unit_test(test_dyestuff),
	        cmocka_unit_test(test_simulated_leniency),
	        cmocka_unit_test(test_nested_not_identifiable),
	        cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
