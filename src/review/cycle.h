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
/* Whether a cycle in phase (cycles.phase) has delivered its reviews: from
 * then on the person reads the manager's feedback, evaluation and score. */
bool cycle_delivered(const char *phase);
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
struct calendar_overlap;
struct cycle_create_result {
	int64_t id;
	int members, assignments;
	/* Blackout windows the new cycle's phases overlap (calendar.h): a
	 * warning for the face, not a refusal. */
	struct calendar_overlap *overlaps;
	size_t noverlaps;
	/* Phases given a due date before the cycle opened (created_at), in
	 * order: taken (a cycle recorded after the fact), a warning for the
	 * face, as their work is overdue from the start and plumb notify
	 * reminds and escalates it at once. */
	struct cycle_past_due {
		enum cycle_phase phase;
		int64_t due_at;
	} past_due[CYCLE_PHASE_COUNT];
	size_t npast_due;
	int64_t created_at;
};
int cycle_create(struct ctx *ctx, const struct cycle_create_options *opt,
                 struct cycle_create_result *out, struct error *err);

/* Find a cycle by unique name or id (ERR_NOT_FOUND naming it). */
int cycle_find(struct ctx *ctx, const char *name_or_id, int64_t *id, struct error *err);

/* Whether person (a people id) is a record merged into another whose human
 * is reviewed in cycle as another record (person merge withdrew it there,
 * keeping its enrolment only for what was written about it): *into is then
 * the employee id of the record person went into, and *as that of the
 * record the human is reviewed as there: into itself, or where into is not
 * enrolled, the enrolled record nearest it (ORG_RECORD_RANK) (both in ctx's
 * arena), else both NULL.  Nothing more is asked about such a record: no
 * nomination, no first evaluation. */
int cycle_withdrawn_reviewee(struct ctx *ctx, int64_t cycle, int64_t person, const char **into,
                             const char **as, struct error *err);

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

/* ERR_CONFLICT naming the end date when person's human (ORG_HUMAN) has
 * left by now: nothing more is asked about a leaver in a cycle (no
 * nomination, no first evaluation).  employee_id names them. */
int cycle_refuse_leaver(struct ctx *ctx, const struct cycle_info *info, int64_t person,
                        const char *employee_id, struct error *err);

/* Who stands in for the reviewee's manager in the cycle (home_manager) once
 * that manager's human has left (their end date passed): the reviewee's
 * human's manager now (as ORG_HUMAN), when they are with the org and are not
 * the reviewee's human.  They owe the manager review, write the evaluation
 * and decide on nominations in the leaver's stead (docs/review.md).
 * out->person is 0 when nobody stands in: the home manager has not left,
 * or the reviewee has no manager now who could.  Strings are in ctx's
 * arena. */
struct cycle_stand_in {
	int64_t person; /* 0: nobody */
	const char *employee_id, *name, *email;
	int64_t manager; /* the stand-in's manager now (ORG_HUMAN); 0: none */
};
int cycle_stand_in(struct ctx *ctx, int64_t home_manager, int64_t reviewee,
                   struct cycle_stand_in *out, struct error *err);
/* Whether the actor is the reviewee's manager in the cycle: home_manager
 * (one of the actor's records, authz_is_actor_record), or the one who
 * stands in for them now (cycle_stand_in). */
int cycle_is_manager(struct ctx *ctx, int64_t home_manager, int64_t reviewee, bool *yes,
                     struct error *err);
/* Whether manager's human (ORG_HUMAN) was ever, in any reporting line that
 * began at or before at (past or present, not one still to come), a manager
 * of person's human: an escalation sent to them was about person (notify
 * sends it once per row, not again to a manager person moved to; a
 * stand-in's reminder count).  A line that starts after at is a manager
 * person will have, sent nothing yet (found in review: it counted). */
int cycle_ever_managed(struct ctx *ctx, int64_t manager, int64_t person, int64_t at, bool *yes,
                       struct error *err);

/* One assignment and how far it got: the service-level truth that cycle
 * status, reminders and the web pages share.  done: a submitted feedback
 * response (or, for the manager relation in a rated cycle, an evaluation). */
struct cycle_assignment {
	/* 0: withheld, to a masked actor of rows not theirs (read_assignments). */
	int64_t id;
	const char *relation, *status; /* status: nominated, active, declined */
	int64_t reviewee_id, reviewer_id;
	int64_t reviewee_human_id; /* the reviewee's record as person merge left it (ORG_HUMAN) */
	/* Its employee id and name; to a masked actor the reviewee's, so that
	 * no two of the human's records are tied. */
	const char *reviewee_human, *reviewee_human_name;
	/* How near the reviewee's record is to the one its human is reviewed as
	 * (ORG_RECORD_RANK): of a human's self rows, the nearest is their row. */
	int64_t reviewee_rank;
	const char *reviewee, *reviewer;           /* employee ids */
	const char *reviewee_name, *reviewer_name; /* masked as the actor must see them */
	/* The reviewer's human as their current record (person merge: the
	 * record a merged reviewer went into, who writes their work): whom a
	 * reminder goes to, at its address, escalated to its manager.  To a
	 * masked actor, of rows not theirs, the reviewer's record itself (and
	 * writer its pseudonym), so no two pseudonyms are tied to one human. */
	int64_t writer_id;
	const char *writer, *writer_name; /* employee id and name, masked as reviewer's */
	const char *reviewer_email;       /* the writer's */
	int64_t reviewer_manager_id;      /* the writer's (as ORG_HUMAN); 0: none */
	const char *team;                 /* the reviewee's team in the cycle */
	const char *phase;                /* cycle_phase_of_relation */
	int64_t due_at;
	bool done, draft;
	int64_t done_at;
	/* Sent for it so far, to whoever owes it now: of a stand-in's row, those
	 * sent to the stand-in and escalations to their managers, not the
	 * leaver's (their sends are in the audit log); -1 withheld (as done_at
	 * is). */
	int reminders;
	bool reviewer_left; /* the reviewer's human has left (as the record they use now) */
	/* Another active assignment of the same human (person merge made two
	 * records one), reviewee and relation stands for this one
	 * (FEEDBACK_TWIN_COVERED): one human writes once, so this one is not
	 * pending, counted or reminded; a self review another record of the
	 * reviewee's human submitted stands for (FEEDBACK_SELF_COVERED: this one
	 * not written, or kept as history) is covered too. */
	bool covered;
	/* The actor's own work: they are the reviewer, or the reviewer is a
	 * record person merge folded into theirs (authz_actor_records). */
	bool mine;
	int64_t home_manager_id; /* the reviewee's manager in the cycle; 0: none */
	/* A peer, upward or cross-functional assignment of a record of the
	 * reviewee's own human (FEEDBACK_ABOUT_SELF): no peer place, and its
	 * response is in no group. */
	bool about_self;
	/* The reviewee has an evaluation (by their manager or a people partner;
	 * whether the cycle is rated or not): the score and the packet stand on
	 * it.  The same on each of the reviewee's rows; for pages, not shown. */
	bool evaluated;
	/* The dates the reviewer's and the reviewee's humans left on (their
	 * end date, now past); 0: still with the org. */
	int64_t reviewer_left_on, reviewee_left_on;
	/* Active, not written and no longer owed, as a leaver's
	 * (docs/review.md): the reviewer has left, or the reviewee has and has
	 * no evaluation.  Not pending, late, counted or reminded; decided at
	 * read time, so a person re-hired owes and is owed it again. */
	bool withdrawn;
	/* A manager review whose manager in the cycle has left, owed by the one
	 * who stands in for them (cycle_stand_in): writer and its fields name
	 * the stand-in, reviewer the leaver.  unowned: nobody stands in (the
	 * reviewee has no manager now who could), so it is owed by nobody yet
	 * and a people partner may write the evaluation. */
	bool stand_in, unowned;
	/* A manager review its leaver left undone, written by one who did not
	 * stand in for them (a people partner over the reviewee, or a user with
	 * no person, such as an admin): writer names them (their user name,
	 * writer_id 0, where they have no person), reviewer the leaver. */
	bool in_place;
	/* stand_in or in_place: the leaver whose row it was (their human as the
	 * record they use now, as writer named them) and the day they left. */
	const char *leaver, *leaver_name;
	int64_t leaver_left_on;
};
/* The pages about x's reviewee the actor may open (CYCLE_PAGE_* bits): the
 * manager's review, the score and the packet are their managers' and people
 * partners' (an admin sees the row, for reminders, and none of them); the
 * score and the packet stand on an evaluation (x->evaluated), which the
 * person sees once the cycle is delivered.  For the cycle page's links. */
enum { CYCLE_PAGE_REVIEW = 1, CYCLE_PAGE_SCORE = 2, CYCLE_PAGE_PACKET = 4 };
int cycle_review_pages(struct ctx *ctx, const struct cycle_info *info,
                       const struct cycle_assignment *x, unsigned *pages, struct error *err);
/* Every assignment of the cycle the actor may see (admins: all of them,
 * for reminders: who reviews whom is not review content). */
int cycle_assignments(struct ctx *ctx, int64_t cycle_id, struct cycle_assignment **out, size_t *n,
                      struct error *err);
/* The same, of one reviewer only (an employee id as the actor sees it), read
 * along the reviewer's index: for a check of one assignment. */
int cycle_reviewer_assignments(struct ctx *ctx, int64_t cycle_id, const char *reviewer,
                               struct cycle_assignment **out, size_t *n, struct error *err);

struct cycle_advance_result {
	const char *name, *from, *to; /* to: the phase now open, or "closed" */
	int left_undone;              /* active assignments of the closed phase not done */
};
/* cycle advance: close the current phase and open the next. */
int cycle_advance(struct ctx *ctx, const char *cycle, struct cycle_advance_result *out,
                  struct error *err);

/* cycle list: every cycle (its name, kind, phase and dates are not review
 * content). */
int cycle_list(struct ctx *ctx, struct cycle_info **out, size_t *n, struct error *err);

struct cycle_progress {
	const char *phase, *team;
	int total, done, drafts;
};
struct cycle_load {
	const char *reviewer, *name;
	int load, cap; /* feedback assignments held, nominated ones included */
};
/* A person who left while a cycle of theirs runs: what was owed by or
 * about them and is withdrawn ("self review of E103", "manager review of
 * E103 by M001", "peer feedback on E102 by E103"), as the reader sees rows. */
struct cycle_leaver {
	const char *person, *name; /* employee id and name, masked as the rows */
	int64_t left_on;
	const char **withdrawn;
	size_t nwithdrawn;
	/* Their manager reviews owed or written by another now: "manager
	 * review of E102 to M002" (a stand-in), "... written by pp" (in_place),
	 * "... owed by nobody yet" (unowned). */
	const char **moved;
	size_t nmoved;
};
struct cycle_status {
	struct cycle_info info;
	struct cycle_assignment *assignments; /* what the actor may see */
	size_t nassignments;
	struct cycle_progress *progress; /* completion by phase and team */
	size_t nprogress;
	struct cycle_assignment *late; /* active, not done, past due */
	size_t nlate;
	const char **short_of_peers; /* "E042 (1 of 3)": fewer approved peers than the minimum */
	size_t nshort_of_peers;
	struct cycle_load *loads;
	size_t nloads;
	struct cycle_leaver *leavers; /* by employee id as shown */
	size_t nleavers;
};
/* cycle status: completion by phase and team, who is late, reminders sent. */
int cycle_status(struct ctx *ctx, const char *cycle, struct cycle_status *out, struct error *err);
/* cycle assignments: the same, as the assignments op (each reviewer's load);
 * with reviewer (an employee id as the actor sees it: a masked actor's
 * pseudonym), only that reviewer's assignments and load, read through the
 * reviewer's index.  The rest of out is of those assignments alone. */
int cycle_assignment_list(struct ctx *ctx, const char *cycle, const char *reviewer,
                          struct cycle_status *out, struct error *err);

struct cycle_nomination {
	const char *cycle, *reviewee, *reviewer; /* employee ids */
	const char *relation;                    /* peer or cross_functional */
};
struct cycle_nominate_result {
	int64_t id;
	const char *status; /* nominated (awaits the manager) or active */
	int load, cap;      /* the reviewer's feedback assignments, this one included */
};
/* cycle nominate: the reviewee nominates peers (the manager approves them);
 * the manager or a people partner names peers or cross-functional
 * reviewers directly.  Refused past the framework's peer maximum or the
 * reviewer's cap. */
int cycle_nominate(struct ctx *ctx, const struct cycle_nomination *nom,
                   struct cycle_nominate_result *out, struct error *err);
/* cycle approve / decline: the reviewee's manager decides on a peer
 * nomination (decline needs a reason). */
int cycle_decide(struct ctx *ctx, const struct cycle_nomination *nom, bool approve,
                 const char *reason, struct error *err);

#endif
