/*
 * ratereff: rater leniency and severity from a crossed random-effects model,
 * y = mu + a_ratee + b_rater + e, a ~ N(0, ta2), b ~ N(0, tb2), e ~ N(0, s2).
 * Variance components by Henderson's Method III (fitting constants); effects
 * are the BLUPs of the mixed-model equations (an empirical-Bayes estimate:
 * a rater seen on few ratings is shrunk toward 0).  See docs/calibration.md.
 *
 * Pure: no database, no I/O.  The result and everything it points to live in
 * the arena given; scratch memory is freed before return.  Thread-safe on
 * distinct arenas.
 */
#ifndef PLUMB_RATEREFF_H
#define PLUMB_RATEREFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct arena;

/* A rater is flagged when its shrunken effect is at least this far from 0 on
 * the rating scale and it gave at least this many ratings. */
#define RATEREFF_DEFAULT_THRESHOLD   0.3
#define RATEREFF_DEFAULT_MIN_RATINGS 5
/* Gauss-Seidel sweeps stop when no effect moves by more than
 * RATEREFF_TOL times the spread of y, or after RATEREFF_MAX_SWEEPS. */
#define RATEREFF_TOL        1e-11
#define RATEREFF_MAX_SWEEPS 20000
/* The sds take a dense raters x raters factorization, which every session
 * load computes: 0.04 s more for 500 raters, 0.55 s for 1,000 on a 2-core
 * machine (docs/PERFORMANCE.md, "Calibration"). */
#define RATEREFF_SD_MAX_RATERS 500

/* One rating: ratee index < n_ratees, rater index < n_raters. */
struct ratereff_obs {
	uint32_t ratee, rater;
	double y;
};

struct ratereff_params {
	double threshold;   /* |effect| at or above this flags the rater */
	size_t min_ratings; /* ... when the rater gave at least this many */
};

enum ratereff_direction { RATEREFF_SEVERE = -1, RATEREFF_NEUTRAL = 0, RATEREFF_LENIENT = 1 };

struct ratereff_rater {
	size_t n;        /* ratings given */
	double raw_mean; /* mean of y - mu - a_ratee over them (unshrunk) */
	double effect;   /* BLUP b_j = raw_mean * n / (n + s2/tb2) */
	/* Conditional sd given mu and the variance components (lme4's condVar):
	 * sqrt(s2 / (n + s2/tb2)) when the ratees have no variance, else from the
	 * mixed-model equations with the ratees' uncertainty; in a perfect fit
	 * (s2 = 0 or within rounding of it) that figure's limit as s2 goes to
	 * 0, never NaN (0 without a ratee variance; sqrt(tb2) for a rater with
	 * no ratings); 0 when tb2 = 0; NaN above RATEREFF_SD_MAX_RATERS raters. */
	double sd;
	size_t crossed;                    /* ratings of ratees someone else rated too */
	bool flagged;                      /* |effect| >= threshold, n and crossed >= min_ratings */
	enum ratereff_direction direction; /* sign of effect */
};

struct ratereff_result {
	size_t n_obs, n_ratees, n_raters;
	size_t components; /* connected components of the ratee-rater graph */
	double mu;         /* the intercept (GLS, from the mixed-model equations) */
	double ratee_var, rater_var, residual_var; /* ta2, tb2, s2 (Method III, >= 0) */
	/* false when the data cannot separate the component from the others
	 * (e.g. each ratee rated by one rater only: no crossing); it is then 0. */
	bool ratee_identifiable, rater_identifiable;
	bool converged;                /* both Gauss-Seidel solves met RATEREFF_TOL */
	size_t sweeps;                 /* total sweeps over the data */
	double *ratee_effect;          /* [n_ratees], BLUP a_i */
	struct ratereff_rater *raters; /* [n_raters] */
};

/* Fit the model to obs[0..n).  params NULL means the defaults above.
 * On success *out is a result in arena a and 0 is returned; on bad input
 * (no ratings, an index out of range, a non-finite y, fewer ratings than the
 * model has fixed effects) ERR_INVALID with detail, and *out untouched.
 * Raters or ratees with no ratings get n = 0 and effect 0. */
int ratereff_fit(struct arena *a, const struct ratereff_obs *obs, size_t n, size_t n_ratees,
                 size_t n_raters, const struct ratereff_params *params,
                 struct ratereff_result **out, struct error *err);

/* The rating with the rater's estimated leniency removed: y - b_rater.
 * rater must be < r->n_raters.  Thread-safe (reads only). */
double ratereff_adjusted(const struct ratereff_result *r, uint32_t rater, double y);

#endif
