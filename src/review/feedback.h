/*
 * feedback: 360 feedback in review cycles, and the anonymity rules around it.
 *
 * A reviewer with an active assignment (cycle.h) saves drafts of, submits
 * and amends a response: every save is a new version (history kept), and a
 * response can change until its relation's phase closes.  Reading is
 * decided here, not in the faces:
 *   the reviewee, their managers and the people partners of their unit read
 *   the self review and the manager's feedback in full (the reviewee the
 *   manager's only from the delivery phase on), and peer, upward and
 *   cross-functional feedback only as a group per relation with at least
 *   the framework's threshold of submitted responses, once the feedback
 *   phase closed: texts in a random order, ratings as mean and count,
 *   nothing that could identify a writer; any other group is withheld
 *   whole, saying why (how many responses it has only once the phase
 *   closed, and never for upward);
 *   every reviewer reads their own responses (--mine), drafts and history;
 *   people partners look up who wrote peer or cross-functional feedback
 *   where the framework allows it (never upward), each read audited.
 * Returned structs and strings live in the ctx's unit arena.  A ctx is one
 * thread's, so these are as thread-safe as the ctx.
 */
#ifndef PLUMB_FEEDBACK_H
#define PLUMB_FEEDBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "core/org.h"
#include "review/framework.h"

struct ctx;
struct cycle_info;

#define FEEDBACK_TEXT_MAX 8000 /* bytes of one answer or of the comments */

/* ---- one response ---- */

struct feedback_answer {
	const char *question; /* the question's id */
	const char *text;     /* the question as the framework asks it */
	const char *answer;
};
struct feedback_rating {
	const char *competency;
	int value;
	const char *label; /* the scale's label for value */
};
struct feedback_response {
	const char *relation;
	const char *author; /* the writer's employee id */
	int version;
	const char *status; /* draft or submitted */
	int64_t saved_at;   /* when this version was saved */
	struct feedback_answer *answers;
	size_t nanswers;
	struct feedback_rating *ratings;
	size_t nratings;
	const char *comments; /* "" when none */
	/* Retention anonymized it: its answers and comments are gone, its
	 * ratings kept (docs/governance.md). */
	bool anonymized;
};

/* ---- groups of peer, upward and cross-functional feedback ---- */

struct feedback_group_answer {
	const char *question, *text;
	const char **answers; /* in a random order, new on every read */
	size_t n;
};
struct feedback_group_rating {
	const char *competency;
	int count;   /* responses that rated it */
	bool shown;  /* false: fewer than the threshold rated it; no mean */
	double mean; /* of the values, when shown, as computed (for statistics) */
	/* mean to FEEDBACK_MEAN_DECIMALS decimals, half away from zero on the
	 * exact mean (decimal_round_ratio): what every report prints, with
	 * "%.2f" or as a JSON number, so the packet, feedback show, the API and
	 * the pages agree (25/8 is 3.13 in each). */
	double mean_reported;
};
#define FEEDBACK_MEAN_DECIMALS 2

/* SQL: the peer, upward or cross-functional assignment aliased a was
 * written by a record of its reviewee's own human, w being the writer as
 * person merges resolve it (SQL, e.g. COALESCE(cm.into_person_id,
 * a.reviewer_id)): two records person merge made one after one was made
 * the other's reviewer.  The human rated themselves: such a response is
 * no one's feedback about another, and is left out of the groups (feedback
 * show, packets, calibration) while its writer reads it with --mine (found
 * in review: it counted toward the anonymity threshold, and withheld the
 * group from the reviewee as one they wrote in).  person merge keeps
 * person_merges one step deep. */
#define FEEDBACK_ABOUT_SELF(w)                                                                     \
	"(a.relation IN ('peer', 'upward', 'cross_functional') AND " w                             \
	" = " ORG_HUMAN("a.reviewee_id") ")"
/* SQL: how strongly the assignment aliased x is its human's one of a
 * relation and reviewee, where person merge left them several (a record's
 * and a merged one's): the one written first, then one begun (a draft), then
 * the current record's.  Ties go to the lower id. */
/* clang-format off */
#define FEEDBACK_WRITER_RANK(x) \
	"(CASE WHEN EXISTS (SELECT 1 FROM feedback_responses wf WHERE wf.assignment_id = " \
	x ".id AND wf.status = 'submitted') THEN 4 ELSE 0 END" \
	" + CASE WHEN EXISTS (SELECT 1 FROM feedback_responses wf WHERE wf.assignment_id = " \
	x ".id) THEN 2 ELSE 0 END" \
	" + CASE WHEN " x ".reviewer_id = " ORG_HUMAN(x ".reviewer_id") " THEN 1 ELSE 0 END)"
/* SQL: whether another active peer, upward or cross-functional assignment of
 * the same human (person merge made its reviewer and this one's one),
 * reviewee and relation stands for the assignment aliased x
 * (FEEDBACK_WRITER_RANK): the human writes once, on that one (feedback
 * submit picks it), so x is not pending, late, reminded, a peer place or a
 * load (found hunting merges: the twin left open kept the cycle short of
 * done and was reminded for ever).  Two responses the records wrote before
 * the merge are the one writer's in the group all the same (docs/review.md).
 * Only a reviewer with a merge behind it has a twin: that test first, its
 * subquery read once a statement, spares every other row the search (a
 * cycle's assignments took 3.6 times as long at 12,500 people without it). */
#define FEEDBACK_TWIN_COVERED(x) \
	"(" x ".relation IN ('peer', 'upward', 'cross_functional') AND " x ".reviewer_id IN" \
	" (SELECT mg.from_person_id FROM person_merges mg UNION ALL" \
	" SELECT mg.into_person_id FROM person_merges mg) AND EXISTS (SELECT 1" \
	" FROM review_assignments tw WHERE tw.cycle_id = " x ".cycle_id" \
	" AND tw.reviewee_id = " x ".reviewee_id AND tw.relation = " x ".relation" \
	" AND tw.id <> " x ".id AND tw.status = 'active'" \
	" AND " ORG_HUMAN("tw.reviewer_id") " = " ORG_HUMAN(x ".reviewer_id") \
	" AND (" FEEDBACK_WRITER_RANK("tw") " > " FEEDBACK_WRITER_RANK(x) \
	" OR (" FEEDBACK_WRITER_RANK("tw") " = " FEEDBACK_WRITER_RANK(x) \
	" AND tw.id < " x ".id))))"
/* SQL: whether the self assignment aliased x is not its human's self review
 * in its cycle, where another record of the reviewee's human (person merge)
 * submitted its own: x not written, or written too by a record the human is
 * reviewed as less (ORG_RECORD_RANK).  The human reviews themselves
 * once, so x is not pending, late, reminded or counted (found hunting
 * merges: a record merged in after its self review left the one it went
 * into owing a second); one written is kept as history (found hunting
 * merges: with both records' written, neither was covered, and each face
 * read its own).  x stays the human's row in cycle status, which finds its
 * reviewees through self assignments.  Only a reviewee with a merge behind
 * it is searched, as for FEEDBACK_TWIN_COVERED. */
#define FEEDBACK_SELF_COVERED(x) \
	"(" x ".relation = 'self' AND " x ".reviewee_id IN" \
	" (SELECT mg.from_person_id FROM person_merges mg UNION ALL" \
	" SELECT mg.into_person_id FROM person_merges mg) AND EXISTS (SELECT 1 FROM" \
	" review_assignments so JOIN feedback_responses sf ON sf.assignment_id = so.id" \
	" AND sf.status = 'submitted' WHERE so.cycle_id = " x ".cycle_id" \
	" AND so.relation = 'self' AND so.id <> " x ".id" \
	" AND " ORG_HUMAN("so.reviewee_id") " = " ORG_HUMAN(x ".reviewee_id") \
	" AND (NOT EXISTS (SELECT 1 FROM feedback_responses xf WHERE xf.assignment_id = " x \
	".id AND xf.status = 'submitted') OR " ORG_RECORD_RANK("so.reviewee_id") \
	" > " ORG_RECORD_RANK(x ".reviewee_id") ")))"
/* clang-format on */
struct feedback_group {
	enum fw_relation relation;
	/* Submitted responses, one per reviewer; -1 when withheld without saying
	 * how many (while the feedback phase is open, and upward below the
	 * threshold), as the count would tell when, or which of a manager's
	 * reports, wrote. */
	int responses;
	int threshold;
	/* Fewer than the threshold, or the feedback phase open: nothing below is filled. */
	bool withheld;
	const char *why; /* when withheld: "2 peer responses, fewer than the threshold of 3" */
	/* Withheld because the reader wrote in it (counted through person
	 * merges): a document others read must not carry that why. */
	bool reader_wrote;
	/* Shown, but with no answers or comments: retention anonymized some of
	 * its responses and not the others, and the texts left would tell
	 * whose they are (a held writer's) or which were written first.  NULL
	 * otherwise. */
	const char *texts_withheld;
	struct feedback_group_answer *answers; /* in the framework's question order */
	size_t nanswers;
	struct feedback_group_rating *ratings; /* by competency id */
	size_t nratings;
	const char **comments; /* in a random order */
	size_t ncomments;
};

/* ---- submit ---- */

struct feedback_submit_options {
	const char *cycle;    /* name or id */
	const char *reviewee; /* employee id */
	const char *relation; /* NULL: the actor's only active assignment for the reviewee */
	bool draft;
	const char *name; /* the file's name, for errors */
	const char *data;
	size_t len;
};
struct feedback_submit_result {
	int64_t id; /* the new version's row */
	int version;
	const char *relation, *status;
	bool amended; /* a submitted version existed before */
};
/* feedback submit: validate the YAML (answers: {question: text}, ratings:
 * {competency: value}, comments: text; errors name FILE:LINE: path:
 * reason) against the cycle's framework, the relation and the cycle's kind,
 * and store it as the next version, draft or submitted.  ERR_DENIED without
 * an active assignment; ERR_CONFLICT once the relation's phase closed. */
int feedback_submit(struct ctx *ctx, const struct feedback_submit_options *opt,
                    struct feedback_submit_result *out, struct error *err);

/* Whether the cycle as info holds it still takes a save of rel's feedback:
 * 0, or ERR_CONFLICT (its message says which) once the phase rel is due in
 * (cycle_phase_of_relation) closed or the cycle did.  The rule feedback
 * submit refuses by, for a page to show a stored response read-only rather
 * than a form whose save would be refused.  Pure; thread-safe. */
int feedback_phase_accepts(const struct cycle_info *info, enum fw_relation rel, struct error *err);

/* The checks feedback submit makes of the file before it reads the
 * database: the file parsed against framework fw, for a cycle as info says
 * (its kind, whether it collects ratings, its name for errors) and relation
 * rel.  No database: only ctx's arena is used (the fuzz target,
 * tests/fuzz/fuzz_yaml.c, calls it so).  Errors as feedback_submit's. */
int feedback_check_file(struct ctx *ctx, const struct framework *fw, const struct cycle_info *info,
                        enum fw_relation rel, const char *name, const char *data, size_t len,
                        struct error *err);

/* ---- show ---- */

struct feedback_view {
	const char *cycle, *person; /* name, employee id */
	const char *phase;          /* the cycle's current phase, or "closed" */
	int framework_version;
	const char *reader; /* self, manager, people_partner or mine */
	/* In full: the self review and the manager's feedback (newest submitted
	 * version each); with mine, every version the actor wrote, oldest first. */
	struct feedback_response *responses;
	size_t nresponses;
	const char **notes; /* what is held back and why, e.g. the manager's
	                     * feedback before the delivery phase */
	size_t nnotes;
	struct feedback_group *groups; /* peer, upward, cross_functional that have reviewers */
	size_t ngroups;
};
/* feedback show: what the actor may read about reviewee in cycle (see the
 * top of this file); mine: the actor's own responses about them.  An
 * audited read on person:EMPLOYEE_ID (mine: on the cycle, so the reviewee's
 * access list does not say which report wrote upward feedback). */
int feedback_show(struct ctx *ctx, const char *cycle, const char *reviewee, bool mine,
                  struct feedback_view *out, struct error *err);

/* ---- authors ---- */

struct feedback_authored {
	const char *author, *author_name;  /* employee id and name */
	struct feedback_response response; /* the newest submitted version */
};
struct feedback_author_group {
	enum fw_relation relation;
	struct feedback_authored *items;
	size_t n;
};
struct feedback_authors {
	const char *cycle, *person;
	int framework_version;
	struct feedback_author_group *groups; /* the relations the framework allows */
	size_t ngroups;
	const char **refused; /* one sentence per relation left out */
	size_t nrefused;
};
/* feedback authors: people partners of the reviewee's unit only; the
 * relations the framework's anonymity.partner_sees_authors lists (never
 * upward).  An audited read on person:EMPLOYEE_ID. */
int feedback_authors(struct ctx *ctx, const char *cycle, const char *reviewee,
                     struct feedback_authors *out, struct error *err);

/* ---- for other services, inside their own operation ---- */

/* The grouped, withheld-aware view of peer, upward and cross-functional
 * feedback about person_id in cycle_id, as feedback show gives it, without
 * permission checks (the caller checked).  threshold <= 0: the framework's.
 * Groups with no active reviewers are left out. */
int feedback_groups_tx(struct ctx *ctx, int64_t cycle_id, int64_t person_id, int threshold,
                       struct feedback_group **out, size_t *n, struct error *err);
/* feedback_groups_tx in two steps, for a caller asking about many people of
 * one cycle (a calibration session): the cycle as the groups read it,
 * loaded once into ctx->arena (feedback_cycle_load_tx, with feedback_groups_tx's
 * errors about it), then the groups of each person in it. */
struct feedback_cycle;
int feedback_cycle_load_tx(struct ctx *ctx, int64_t cycle_id, const struct feedback_cycle **out,
                           struct error *err);
int feedback_groups_in_tx(struct ctx *ctx, const struct feedback_cycle *cycle, int64_t person_id,
                          int threshold, struct feedback_group **out, size_t *n, struct error *err);
/* Submitted responses of relation rel about person_id in cycle_id, one per
 * reviewer (an amended response counts once, and so do two records person
 * merges made one human). */
int feedback_count_tx(struct ctx *ctx, int64_t cycle_id, int64_t person_id, enum fw_relation rel,
                      int *count, struct error *err);
/* Whether the actor's evaluation may cite relation rel's feedback about
 * person_id as evidence: a submitted self or manager response; for peer,
 * upward and cross-functional a group as feedback_groups_tx shows it to the
 * actor (at least the framework's threshold of submitted responses, the
 * feedback phase closed, and the actor no writer in it), never a single
 * response.  *reader_wrote: not citable because the actor wrote in the group
 * (whatever its size, so that the answer tells them nothing of it). */
int feedback_exists_tx(struct ctx *ctx, int64_t cycle_id, int64_t person_id, enum fw_relation rel,
                       bool *out, bool *reader_wrote, struct error *err);
/* Whether the cycle's feedback phase has not closed yet (false for a kind
 * without one): until it closes no group is shown. */
int feedback_phase_open_tx(struct ctx *ctx, int64_t cycle_id, bool *open, struct error *err);

#endif
