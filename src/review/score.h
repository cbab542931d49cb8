/*
 * score: a person's three axis scores in a review cycle, with the
 * arithmetic shown so anyone can recompute them.
 *
 * From the newest evaluation version and the cycle's framework version,
 * for the person's role profile: per axis (performance, impact, potential,
 * never mixed into one number), score = sum of weight x rating over the
 * profile's weights for that axis.  A competency's rating is the manager's;
 * a metric's is the framework's band of its value, the value cited as
 * metric evidence.  A dimension without a rating is said so, and the axis
 * is renormalized over the rated ones.  Anti-gaming: an axis is flagged
 * when one dimension carries more than scoring.dominance of its score, and
 * any renormalized weight above scoring.cap is flagged.  A profile's
 * composite is computed beside the axes, never instead of them.
 *
 * Who may read a score: the person, their managers and people partners
 * over them (score show).  score_compute_tx is for other services inside
 * their own operation (the promotion packet) and checks nothing.
 * Everything returned lives in the ctx's unit arena.
 */
#ifndef PLUMB_SCORE_H
#define PLUMB_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "review/evaluation.h"
#include "review/framework.h"

struct ctx;

/* ---- the arithmetic, pure ---- */

/* One weighted dimension of an axis.  The caller fills weight, rated and
 * rating; score_combine fills the rest. */
struct score_term {
	double weight; /* the profile's */
	bool rated;
	double rating;
	double used_weight;  /* weight renormalized over the rated terms; 0 when unrated */
	double contribution; /* used_weight x rating */
	double share;        /* contribution / the axis score (0 when the score is 0) */
	bool over_cap;       /* used_weight above the cap, some term being unrated */
};

struct score_sum {
	bool scored;         /* at least one term is rated */
	double score;        /* sum of the contributions */
	double rated_weight; /* the profile's weights of the rated terms (1: all rated) */
	bool renormalized;   /* scored, and some term is unrated or the rated weights do not
	                        sum to 1 */
	size_t top;          /* the term with the largest share */
	double top_share;
	bool dominated; /* top_share above the dominance threshold */
	bool capped;    /* some term over_cap */
};

/* Combine n terms.  Outputs are rounded to 1e-9 so that 0.3 x 4 + ... reads
 * 3.4 and not 3.4000000000000004.  Pure; thread-safe. */
void score_combine(struct score_term *t, size_t n, double cap, double dominance,
                   struct score_sum *out);

/* ---- a person's score ---- */

struct score_dimension {
	const char *dimension; /* competency id or metric key */
	const char *name;      /* the competency's or metric's name */
	bool is_metric;
	struct score_term term;
	const char *label;              /* the rating's label on its scale, or NULL */
	const char *why_unrated;        /* NULL when rated */
	const char *no_evidence_reason; /* the manager's, for a rating without evidence */
	/* A metric's value and the band that rated it. */
	bool has_value;
	double metric_value;
	int64_t metric_value_id;
	const char *band; /* "at least 20", "at most 4", "the last band" */
	bool recency_flag;
	const struct evaluation_evidence *evidence; /* what the rating cites */
	size_t nevidence;
};

struct score_axis {
	const char *name;
	const struct fw_scale *scale;
	const char *label; /* the score in the scale's words: "between X and Y" */
	struct score_sum sum;
	struct score_dimension *dims; /* the profile's order */
	size_t ndims;
};

struct score {
	const char *cycle, *person, *level, *role_profile, *profile_name;
	int framework_version;
	int evaluation_version;
	const char *evaluated_by, *evaluation_source, *evaluation_reason;
	int64_t evaluated_at;
	double cap, dominance;
	struct score_axis axes[FW_AXIS_COUNT];
	bool has_composite;    /* the profile defines one */
	bool composite_scored; /* every axis it weighs has a score */
	double composite_weights[FW_AXIS_COUNT];
	double composite;
};

/* The person's score in the cycle, inside the caller's operation (no
 * permission check).  ERR_NOT_FOUND when they have no evaluation yet. */
int score_compute_tx(struct ctx *ctx, int64_t cycle_id, int64_t person_id, struct score *out,
                     struct error *err);
/* What score_compute_tx computes once it has read the member (employee_id,
 * level, role_profile in cycle) and their newest evaluation ev, on fw, the
 * cycle's framework version: for a caller that holds them already (a
 * calibration session reads every member's evaluation).  Reads nothing;
 * what it allocates is in a, and out points into ev and fw too.  ERR_INVALID
 * when fw has no such profile. */
int score_of_evaluation(struct arena *a, const struct framework *fw, const char *cycle,
                        const char *employee_id, const char *level, const char *role_profile,
                        const struct evaluation *ev, struct score *out, struct error *err);

/* A score as a report shows it to two decimals (the packet): rounded half away
 * from zero on the decimal the score is (scores are kept to nine decimals),
 * not on the binary double near it, whose "%.2f" gives 3.46 for 3.465.
 * Returns the double nearest that decimal, which "%.2f" prints as it.  Pure;
 * thread-safe. */
double score_reported(double score);
/* A score (or a composite) as score show writes it, in buf (of n bytes, 48
 * suffice): six significant digits, as %g would, and more where fewer would
 * put it on a point of scale or past one (2.999999 read "3" beside "between
 * Two and Three").  Returns buf.  Pure; thread-safe. */
const char *score_number(char *buf, size_t n, double score, const struct fw_scale *scale);

/* t's used weight as every face writes it (buf of n bytes), 6 significant
 * digits as %g gave, and more for a term over the cap until it reads above
 * cap (decimal_marked): never "weighs 0.4, above the cap 0.4".  Returns buf.
 * Pure; thread-safe. */
const char *score_weight_text(char *buf, size_t n, const struct score_term *t, double cap);
/* v to two decimals as a report shows a score (score_reported), with more
 * digits where those would put it on the other side of one of the nmarks
 * marks[] (or of 0) than v is (decimal_marked): 1.996 beside a box from 2
 * is "1.996", not "2.00".  Returns buf.  Pure; thread-safe. */
const char *score_reported_text(char *buf, size_t n, double v, const double *marks, size_t nmarks);
/* v as score_reported_text writes it against scale's points (a rating, an
 * axis score of the packet): "2.00", "1.999" below "Two".  Returns buf. */
const char *score_scale_text(char *buf, size_t n, double v, const struct fw_scale *scale);
/* A share (0.5714) as a percentage without the sign ("57.1"), to a tenth,
 * with more digits where a tenth would put it on the other side of the
 * dominance threshold (decimal_percent_marked): the share column and the
 * dominance flag of every face.  Returns buf.  Pure; thread-safe. */
const char *score_share_text(char *buf, size_t n, double share, double dominance);
/* A scored composite's arithmetic as every face writes it, "0.5 x
 * performance 3.000002 + ... = 3.000001": each weight to 6 significant
 * digits without an exponent, each axis score as its heading writes it
 * (score_number; "(no score)" for an axis it gives no weight), the composite
 * likewise on its side of the points of the scale of the axes it weighs.  In a; pure; thread-safe.
 */
const char *score_composite_text(struct arena *a, const struct score *s);

/* score show: the person (employee id) in cycle (name or id), for its readers;
 * an audited read. */
int score_show(struct ctx *ctx, const char *cycle, const char *person, struct score *out,
               struct error *err);

#endif
