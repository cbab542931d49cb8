/*
 * calendar: blackout windows (launches, reorganizations, holidays, change
 * freezes) that review cycles, and calibration sessions, are checked
 * against.  A window covers [starts_at, ends_at) in UTC milliseconds.  One
 * without a team is company-wide; one with a team applies to work on that
 * team, on the teams above it and on its subteams (a reorganization of
 * engineering touches search; a launch in search touches a cycle over
 * engineering).
 *
 * Who may do what (checked here, in the core):
 *   add, remove   admins; people partners: team windows for the teams in
 *                 their org units (a unit's team or a subteam of it),
 *                 company-wide windows only with a people-partner role
 *                 that has no org unit (a company-wide scope)
 *   list, check   any signed-in user (a calendar is nobody's record)
 * Returned structs and strings live in the ctx's unit arena.  A ctx is one
 * thread's, and so is everything here.
 */
#ifndef PLUMB_CALENDAR_H
#define PLUMB_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct ctx;

#define CALENDAR_NAME_MAX 200
#define CALENDAR_NOTE_MAX 1000

/* Window kinds: what the blackout is for. */
#define CALENDAR_KIND_TABLE(X)                                                                     \
	X(LAUNCH, "launch")                                                                        \
	X(REORG, "reorg")                                                                          \
	X(HOLIDAY, "holiday")                                                                      \
	X(FREEZE, "freeze")                                                                        \
	X(OTHER, "other")
#define CALENDAR_KIND_ENUM_(id, name) CALENDAR_KIND_##id,
enum calendar_kind { CALENDAR_KIND_TABLE(CALENDAR_KIND_ENUM_) CALENDAR_KIND_COUNT };
#undef CALENDAR_KIND_ENUM_
/* The kind named text, or -1. */
int calendar_kind_parse(const char *text);

struct calendar_window {
	int64_t id;
	const char *name, *kind, *note; /* note: "" when none */
	int64_t starts_at, ends_at;     /* ms UTC; ends_at exclusive */
	int64_t team_id;                /* 0: company-wide */
	const char *team;               /* NULL: company-wide */
	int64_t created_at;
	const char *created_by;
};

struct calendar_add_options {
	const char *name, *kind;
	int64_t starts_at, ends_at; /* ms UTC; ends_at exclusive, after starts_at */
	const char *team;           /* NULL: company-wide */
	const char *note;           /* NULL: none */
};
/* Operation calendar.add: store a window and its audit entry.  ERR_USAGE
 * for a bad name, kind, note or span (naming the option); ERR_NOT_FOUND
 * for an unknown team; ERR_DENIED as above.  *out is the stored window. */
int calendar_add(struct ctx *ctx, const struct calendar_add_options *opt,
                 struct calendar_window *out, struct error *err);

/* Operation calendar.list: every window overlapping [from, to) (0: no
 * bound on that side), by start then id.  For an actor who sees people
 * masked, created_by is a pseudonym and note is NULL (mask.h). */
int calendar_list(struct ctx *ctx, int64_t from, int64_t to, struct calendar_window **out,
                  size_t *n, struct error *err);

/* Operation calendar.remove: delete window id (ERR_NOT_FOUND when there is
 * none), audited with the reason (NULL: none given).  *removed is the
 * window as it was. */
int calendar_remove(struct ctx *ctx, int64_t id, const char *reason,
                    struct calendar_window *removed, struct error *err);

/* One window overlapping one phase of a cycle.  A phase runs from the
 * previous phase's due time (the first: the cycle's creation) to its own,
 * that one included: (phase_start, phase_end]. */
struct calendar_overlap {
	const char *phase;
	int64_t phase_start, phase_end;
	struct calendar_window window;
};
struct calendar_check {
	const char *cycle; /* its name */
	struct calendar_overlap *overlaps;
	size_t noverlaps;
};
/* Operation cycle.check-calendar: the windows that overlap each phase of
 * cycle (name or id) and apply to its teams, by phase then window start. */
int calendar_check_cycle(struct ctx *ctx, const char *cycle, struct calendar_check *out,
                         struct error *err);

/* Inside the caller's transaction, no permission check: the same for the
 * cycle with id cycle_id (cycle create warns with it). */
int calendar_cycle_overlaps_tx(struct ctx *ctx, int64_t cycle_id, struct calendar_overlap **out,
                               size_t *n, struct error *err);

/* Inside the caller's transaction, no permission check: the windows that
 * overlap [start, end) and apply to work on the teams team_ids (company-wide
 * ones, and those of a team that is one of them, above one or below one;
 * nteams 0: company-wide ones only), by start then id.  For calibration
 * sessions. */
int calendar_overlaps_tx(struct ctx *ctx, int64_t start, int64_t end, const int64_t *team_ids,
                         size_t nteams, struct calendar_window **out, size_t *n, struct error *err);

#endif
