/*
 * cycle: review cycles on a framework version.  A cycle has a kind
 * (checkin, annual, project), a period, the teams it covers (their members
 * are snapshotted with home manager, level and role profile when the cycle
 * is created), phases with due dates that move one at a time, and review
 * assignments: self; manager; peers nominated by the reviewee or manager
 * and approved by the manager (between the framework's minimum and
 * maximum); upward, from a people manager's reports; cross-functional,
 * named by the manager.  A reviewer holds at most the cycle's cap of
 * feedback assignments.
 *
 * Who may do what (checked here, in the core):
 *   create, advance           people partners over every scoped team, admins
 *   status, assignments       people partners, leaders and managers see the
 *                             members they may see; everyone sees their own
 *   nominate                  the reviewee (peers) or their manager (peers,
 *                             cross-functional)
 *   decide                    the reviewee's manager
 * Returned structs and strings live in the ctx's unit arena.
 */
#ifndef PLUMB_CYCLE_H
#define PLUMB_CYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "review/framework.h"

struct ctx;
struct jw;

/* The phases, in order; a kind runs a subset (checkin: self_review,
 * manager_review, delivery; project: self_review, feedback, manager_review,
 * delivery; annual: all). */
#define CYCLE_PHASE_TABLE(X)                                                                       \
	X(SELF_REVIEW, "self_review", 14)                                                          \
	X(FEEDBACK, "feedback", 28)                                                                \
	X(MANAGER_REVIEW, "manager_review", 42)                                                    \
	X(CALIBRATION, "calibration", 56)                                                          \
	X(SIGNOFF, "signoff", 63)                                                                  \
	X(DELIVERY, "delivery", 70)
#define CYCLE_PHASE_ENUM_(id, name, days) CYCLE_PHASE_##id,
enum cycle_phase { CYCLE_PHASE_TABLE(CYCLE_PHASE_ENUM_) CYCLE_PHASE_COUNT };
#undef CYCLE_PHASE_ENUM_
const char *cycle_phase_name(enum cycle_phase p);
int cycle_phase_parse(const char *text);
/* The phase in which an assignment of relation rel is due. */
enum cycle_phase cycle_phase_of_relation(enum fw_relation rel);

struct cycle_create_options {
	const char *name;
	enum fw_kind kind;
	const char **teams; /* team names */
	size_t nteams;
	int framework_version;            /* 0: the newest */
	int64_t period_start, period_end; /* ms; 0: the quarter (checkin) or year (annual) to now */
	int64_t due[CYCLE_PHASE_COUNT];   /* 0: the default offset from creation */
	int ratings;                      /* -1: the kind's default */
	int reviewer_cap;                 /* 0: the framework's */
};
struct cycle_create_result {
	int64_t id;
	int members, assignments;
};
int cycle_create(struct ctx *ctx, const struct cycle_create_options *opt,
                 struct cycle_create_result *out, struct error *err);

/* Find a cycle by unique name or id (ERR_NOT_FOUND naming it). */
int cycle_find(struct ctx *ctx, const char *name_or_id, int64_t *id, struct error *err);

struct cycle_phase_row {
	const char *name;
	int64_t due_at, opened_at, closed_at; /* 0 when not yet */
};
struct cycle_info {
	int64_t id;
	const char *name, *kind, *phase; /* phase: the current one, or "closed" */
	int framework_version;
	int64_t period_start, period_end, created_at;
	bool ratings;
	int reviewer_cap;
	const char **teams;
	size_t nteams;
	struct cycle_phase_row *phases;
	size_t nphases;
};
int cycle_info(struct ctx *ctx, int64_t cycle_id, struct cycle_info *out, struct error *err);

/* One assignment and how far it got: the service-level truth that cycle
 * status, reminders and the web pages share.  done: a submitted feedback
 * response (or, for the manager relation in a rated cycle, an evaluation). */
struct cycle_assignment {
	int64_t id;
	const char *relation, *status; /* status: nominated, active, declined */
	int64_t reviewee_id, reviewer_id;
	const char *reviewee, *reviewer;           /* employee ids */
	const char *reviewee_name, *reviewer_name; /* masked as the actor must see them */
	const char *reviewer_email;
	int64_t reviewer_manager_id; /* 0: none */
	const char *team;            /* the reviewee's team in the cycle */
	const char *phase;           /* cycle_phase_of_relation */
	int64_t due_at;
	bool done, draft;
	int64_t done_at;
};
/* Every assignment of the cycle the actor may see (admins: all of them,
 * for reminders: who reviews whom is not review content). */
int cycle_assignments(struct ctx *ctx, int64_t cycle_id, struct cycle_assignment **out, size_t *n,
                      struct error *err);

#endif
