/*
 * calviews: what the calibration room looks at, computed over a session's
 * people (calsession_load_tx, so the same readers): rater effects with a
 * suggested adjusted score beside each original, rating distributions by
 * manager, team, role profile or level against the rest with an exact
 * small-count test, the 9-box of performance against potential, a forced
 * curve behind its guardrails, and the agreement of the session's 360
 * ratings.  Nothing here changes a rating: a suggestion is shown, never
 * applied.  Everything returned lives in the ctx's unit arena.
 */
#ifndef PLUMB_CALVIEWS_H
#define PLUMB_CALVIEWS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "calibrate/calsession.h"
#include "calibrate/reliability.h"

struct arena;
struct ctx;

#define CALVIEWS_MAX_RATING 15
#define CALVIEWS_ALPHA      0.05 /* a group's p below this is flagged for discussion */

/* ---- rater effects ---- */

struct calviews_rater {
	const char *rater;
	size_t n; /* ratings in the model (this cycle and earlier ones) */
	double raw, effect, sd;
	size_t crossed; /* of them, ratings of people someone else rated too */
	bool flagged;
	const char *direction; /* "lenient", "severe" or "neutral" */
	int people;            /* people in the session they rated */
};
struct calviews_raters {
	struct calsession s;
	const struct ratereff_result *fit; /* NULL: no ratings to fit */
	struct calviews_rater *rows;       /* evaluators of the session's people, by |effect| */
	size_t nrows;
	/* Per s.people[i]: the performance score less their rater's effect
	 * (NAN when unscored or the rater has no effect): a suggestion. */
	double *adjusted;
};
int calviews_raters(struct ctx *ctx, const char *session, struct calviews_raters *out,
                    struct error *err);
/* The rows and suggestions of out->s, a session already loaded for its
 * reader (calsession_status): for faces that show them beside other things. */
void calviews_fill_raters(struct arena *a, struct calviews_raters *out);
/* "lenient", "severe", or "neutral" within CALVIEWS_NEUTRAL of 0. */
#define CALVIEWS_NEUTRAL 0.05
const char *calviews_direction(double effect);

/* ---- distributions ---- */

#define CALVIEWS_BY_TABLE(X)                                                                       \
	X(MANAGER, "manager")                                                                      \
	X(TEAM, "team")                                                                            \
	X(PROFILE, "profile")                                                                      \
	X(LEVEL, "level")
#define CALVIEWS_BY_ENUM_(id, name) CALVIEWS_BY_##id,
enum calviews_by { CALVIEWS_BY_TABLE(CALVIEWS_BY_ENUM_) CALVIEWS_BY_COUNT };
#undef CALVIEWS_BY_ENUM_

struct calviews_group {
	const char *name;
	int n;
	int counts[CALVIEWS_MAX_RATING + 1]; /* by performance rating */
	double mean;                         /* of the performance scores */
	double p;                            /* against the rest: NAN when untestable */
	const char *method;                  /* "exact", "monte-carlo" or NULL */
	bool differs;                        /* p < CALVIEWS_ALPHA */
};
struct calviews_distribution {
	struct calsession s;
	const char *by;
	int lo, hi; /* the scale's range */
	int total;  /* people with a performance rating */
	int population[CALVIEWS_MAX_RATING + 1];
	double mean;
	struct calviews_group *groups; /* by name */
	size_t ngroups;
};
/* by: "manager", "team", "profile" or "level" (ERR_USAGE otherwise). */
int calviews_distribution(struct ctx *ctx, const char *session, const char *by,
                          struct calviews_distribution *out, struct error *err);

/* ---- 9-box ---- */

/* On each axis, against that axis's own scale: a score below the scale's
 * meets is low; from meets to below the scale's next point moderate; from
 * that point (one step above meets) high. */
struct calviews_box {
	const char **people; /* employee ids */
	size_t n;
};
struct calviews_ninebox_axis {
	const struct fw_scale *scale; /* the framework's scale for the axis */
	double moderate_from, high_from;
};
struct calviews_ninebox {
	struct calsession s;
	struct calviews_ninebox_axis performance, potential;
	struct calviews_box box[3][3]; /* [performance][potential], 0 low .. 2 high */
	const char **unplaced;         /* no performance or potential score */
	size_t nunplaced;
};
int calviews_ninebox(struct ctx *ctx, const char *session, struct calviews_ninebox *out,
                     struct error *err);
/* The boxes of out->s, a session already loaded for its reader. */
void calviews_fill_ninebox(struct arena *a, struct calviews_ninebox *out);
/* A person's score on axis of s, as the agenda of every face writes it: to
 * two decimals (score_reported_text), with more where those would read in
 * another bin of the 9-box than the score sits in (1.996 beside moderate
 * from 2 is "1.996", not "2.00").  Returns buf (48 bytes are enough).
 * Pure; thread-safe. */
const char *calviews_score_text(char *buf, size_t n, const struct calsession *s, enum fw_axis axis,
                                double score);
/* A performance score beside the rating it rounds to (calsession_round), as
 * the curve writes it: two decimals, with more where those would read on
 * the other side of a midpoint between two of the scale's points than the
 * score is (2.499 rounds to 2 on 1 to 5, and read "2.50").  Returns buf
 * (48 bytes are enough).  Pure; thread-safe. */
const char *calviews_rounded_score_text(char *buf, size_t n, const struct calsession *s,
                                        double score);

/* ---- forced curve ---- */

struct calviews_curve_row {
	const char *person;
	double score;
	int current, curve; /* performance rating now, and where the curve puts it */
};
struct calviews_curve {
	struct calsession s;
	int target[CALVIEWS_MAX_RATING + 1]; /* people per rating under the curve */
	struct calviews_curve_row *rows;     /* by score, highest first */
	size_t nrows;
	int moves; /* rows whose curve rating differs */
};
/* Refuses (ERR_POLICY) a population smaller than the session's curve
 * minimum, and people in a country whose policy forbids forced ranking
 * (forced-ranking-forbidden), both over the whole session, the reader's own
 * row too; the rows are the reader's (calsession_load_tx).  The proposal is
 * recorded in the audit log; no rating changes. */
int calviews_curve(struct ctx *ctx, const char *session, struct calviews_curve *out,
                   struct error *err);

/* ---- agreement of the 360 ratings ---- */

/* Nominal and ordinal alpha of the ratings on one scale of the framework:
 * the points of two scales are not one set of categories, nor one order. */
struct calviews_agreement_scale {
	const char *scale;         /* its id */
	const char **competencies; /* those rated on it, in the framework's order */
	size_t ncompetencies;
	size_t units, ratings;
	double nominal, ordinal; /* NAN when undefined */
};

struct calviews_agreement {
	struct calsession s;
	bool withheld;   /* until the feedback phase closes, or when no rating is shown */
	const char *why; /* when withheld */
	/* Units: (person, competency); raters: authors.  Each rating carried
	 * onto the performance axis's scale (common_scale) first, so interval
	 * and ratio alpha and the ICCs compare the competencies' ratings on one
	 * scale.  Nominal and ordinal alpha are NAN here when the ratings are on
	 * more than one scale: by_scale has them, scale by scale. */
	struct reliability_result all;
	size_t units;
	const char *common_scale;
	struct calviews_agreement_scale *by_scale; /* the scales rated on, framework order */
	size_t nscales;
};
int calviews_agreement(struct ctx *ctx, const char *session, struct calviews_agreement *out,
                       struct error *err);

#endif
