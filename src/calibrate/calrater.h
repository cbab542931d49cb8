/*
 * calrater: the rater-effects model over a review cycle's ratings, read
 * from the store.  Observations are one per (rater, ratee, cycle): the mean
 * of the competency ratings, each carried onto the performance axis's scale
 * of the cycle's framework version (the adjusted score's), of a manager's newest evaluation (source
 * 'manager': calibration's own versions are not a rater's judgement) and of
 * each submitted peer, upward and cross-functional feedback response, in
 * the cycle and every earlier one (by period).  A ratee is a person in one
 * cycle, since people change between cycles.  Self reviews are left out:
 * each self-rater rates one person, which says nothing about leniency.
 * Peers make the data cross: they rate people under several managers,
 * which is what separates a manager's leniency from a strong team.
 *
 * Only raters who wrote evaluations are reported by name (calrater_find);
 * feedback authors' effects stay inside the model, under the anonymity
 * rules.  Everything lives in the ctx's unit arena.  No permission check:
 * for services inside their own operation.
 */
#ifndef PLUMB_CALRATER_H
#define PLUMB_CALRATER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "calibrate/ratereff.h"

struct ctx;
struct framework;
struct fw_scale;

/* SQL: the rater an evaluation's author (the user name SQL expression
 * created_by) is: the employee id of the record their person was merged
 * into, when person merge folded it into another, else the name.  Two
 * records of one human are one rater (found hunting merges: a manager who
 * wrote a cycle's evaluations partly before and partly after the merge was
 * fitted as two raters, each with part of their ratings). */
#define CALRATER_AUTHOR(created_by)                                                                \
	"COALESCE((SELECT rq.employee_id FROM users ru JOIN person_merges rm ON "                  \
	"rm.from_person_id = ru.person_id JOIN people rq ON rq.id = rm.into_person_id WHERE "      \
	"ru.name = " created_by "), " created_by ")"

struct calrater_model {
	struct ratereff_result *fit; /* NULL when there were no ratings */
	const char **raters;         /* [fit->n_raters] user or employee ids */
	bool *evaluator;             /* [fit->n_raters] wrote an evaluation */
	size_t cycles;               /* cycles the ratings came from */
};

/* Fit the model of cycle_id, every rating carried onto scale, the
 * performance axis's scale of the cycle's framework version (an earlier
 * cycle's version may rate on another); the ratings of the nleft_out people
 * left_out in that cycle stay out: a reader in the population (their record
 * and any merged into it), whose own ratings would move what they are
 * shown. */
int calrater_fit_tx(struct ctx *ctx, int64_t cycle_id, const struct fw_scale *scale,
                    const int64_t *left_out, size_t nleft_out, struct calrater_model *out,
                    struct error *err);

/* A rating of competency dimension of framework version fw carried onto
 * the scale to (a performance axis's): its place between its own scale's
 * lowest and highest point, at the same place on to (7 of 1-9 is 4 of
 * 1-5), in *out.  false for a dimension fw does not have.  Every view that
 * puts ratings of several competencies, or of several framework versions,
 * side by side uses it (the rater model, agreement).  Pure; thread-safe. */
bool calrater_on_scale(const struct framework *fw, const char *dimension, double rating,
                       const struct fw_scale *to, double *out);

/* The evaluator's fitted effect, or NULL when they wrote no evaluation. */
const struct ratereff_rater *calrater_find(const struct calrater_model *m, const char *rater);

#endif
