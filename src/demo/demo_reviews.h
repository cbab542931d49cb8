/*
 * demo_reviews: the demo's review cycles, run through the review services
 * as the people who would do each step (ctx_begin_request on a sibling ctx):
 * the example framework and its metrics (examples/, built into the binary),
 * a finished annual review of the engineering organization over the demo's
 * six months of data, and an open quarterly check-in of one or two teams.
 *
 * What the annual review portrays, so later work (calibration, packets,
 * bias audits) has something real to find: lenient and severe managers (a
 * consistent offset in their ratings), a team too small for anonymous peer
 * feedback, a high performer on a project of little impact, and a quiet
 * contributor with little visible evidence.  Everything but the dates is
 * drawn from the seed; due dates are placed around today (the annual's all
 * before it, the check-in's self review just past).
 */
#ifndef PLUMB_DEMO_REVIEWS_H
#define PLUMB_DEMO_REVIEWS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct ctx;

/* What the organization gives the cycles; strings borrowed for the call. */
struct demo_reviews_input {
	uint64_t seed;
	int64_t period_start, period_end; /* ms: the six months of source data */
	const char *const *scope;         /* the teams the annual review covers */
	size_t nscope;
	const char *const *checkin_teams; /* the check-in's teams; the first one's
	                                   * manager gets the high performer */
	size_t ncheckin;
	const char *project_team;  /* where the high performer works */
	const char *partner_group; /* where the quiet contributor works */
};

struct demo_reviews_summary {
	const char *framework; /* its name */
	int framework_version;
	const char *annual, *checkin; /* cycle names */
	const char *annual_phase, *checkin_phase;
	int64_t annual_start, annual_end, checkin_start, checkin_end; /* periods, ms */
	int annual_people, checkin_people;
	const char *checkin_teams; /* "payments, search" */
	int self_reviews, nominations, declined, cross_functional, feedback, evaluations, revised;
	int checkin_submitted, checkin_drafts, checkin_not_started;
	/* Employee ids, comma-separated; "" when the organization had nobody to
	 * portray so. */
	const char *lenient, *severe; /* managers with a rater offset */
	const char *small_team, *small_team_people;
	const char *high_performer, *high_performer_manager;
	const char *quiet, *quiet_manager;
	const char *revised_people; /* evaluations with a second version */
	const char *checkin_late;   /* not submitted, past due */
	/* The annual review's calibration session, who ran it, marks and changes made. */
	const char *calibration, *calibration_facilitator;
	int calibration_marks, calibration_changes;
};

/* Import the example framework and metrics and run both cycles.  Runs its
 * own operations, as the admin and as the demo's users, so call it outside
 * any transaction once the organization and its data are committed; the
 * ctx's actor and arena are left as they were.  *out's strings live in
 * ctx->arena.  Not thread-safe. */
int demo_reviews_create(struct ctx *ctx, const struct demo_reviews_input *in,
                        struct demo_reviews_summary *out, struct error *err);

#endif
