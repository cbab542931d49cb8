/*
 * evaluation: a manager's rubric ratings of one person in one review cycle,
 * each backed by evidence, stored as versions: every submission is a new
 * version (who, when, why), nothing is changed in place.
 *
 * A submission is a YAML file (docs/review.md, "Ratings, evidence and
 * scores"): per competency a rating on its scale with evidence (pull
 * requests, documents, incidents, design reviews, feedback groups, metric
 * values, links, plumb events) or a written reason for having none, and
 * the manager's case.  The acceptable-use rules apply (aup.h): a metric
 * whose definition does not allow the individual scope is refused
 * (team-metric-on-person), incident data never counts against the person
 * (incident-negative-evidence), incentive-linked metrics need a current
 * sign-off (incentive-needs-signoff), and metric inputs need a human rating
 * (metrics-only-evaluation).  Metric evidence is computed for the person
 * over the cycle's period inside the submission and stored with its lineage
 * (plumb explain metric-value:ID).  A rating whose dated evidence comes
 * mostly from the last quarter of the period carries a recency flag.
 *
 * Who may do what (checked here):
 *   submit    the person's manager in the cycle, or a people partner over them
 *   history   the person, their managers and people partners
 *   list      the same, per cycle (the person: every cycle, readable from
 *             its delivery phase on)
 * Everything returned lives in the ctx's unit arena.
 */
#ifndef PLUMB_EVALUATION_H
#define PLUMB_EVALUATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct ctx;
struct framework;
struct cycle_info;

/* The most evidence items one rating cites. */
#define EVALUATION_EVIDENCE_MAX 50
/* The longest reference (ref) of an evidence item, in bytes. */
#define EVALUATION_REF_MAX 2000

/* The kinds of evidence a rating may cite, in the order docs/review.md lists them. */
#define EVIDENCE_KIND_TABLE(X)                                                                     \
	X(PULL_REQUEST, "pull_request")                                                            \
	X(DOCUMENT, "document")                                                                    \
	X(INCIDENT, "incident")                                                                    \
	X(DESIGN_REVIEW, "design_review")                                                          \
	X(FEEDBACK, "feedback")                                                                    \
	X(METRIC, "metric")                                                                        \
	X(LINK, "link")                                                                            \
	X(EVENT, "event")
#define EVIDENCE_KIND_ENUM_(id, name) EVIDENCE_##id,
enum evidence_kind { EVIDENCE_KIND_TABLE(EVIDENCE_KIND_ENUM_) EVIDENCE_KIND_COUNT };
#undef EVIDENCE_KIND_ENUM_

/* Whether evidence of kind (its name) takes its date and title from plumb
 * (event, metric, feedback), so a submission gives neither.  Pure. */
bool evaluation_kind_from_plumb(const char *kind);

/* Whether ref cites an event by its id as plumb writes it (digits, no sign,
 * space or leading zero, within 64 bits), with the id in *id.  What is
 * stored is looked up by that text (a consent withdrawal scrubs the
 * citations of the events it deletes), so no other spelling is taken.  Pure. */
bool evaluation_event_ref(const char *ref, int64_t *id);

struct evaluation_evidence {
	const char *kind;    /* one of EVIDENCE_KIND_TABLE */
	const char *ref;     /* a link, a plumb event id, a metric key, a feedback relation */
	const char *title;   /* "" when none */
	int64_t occurred_at; /* ms; 0 when undated */
	bool negative;       /* counts against the person (a rating below meets, or said so) */
	bool negative_said;  /* said so: `negative: true`, or a calibration change lowering the
	                      * rating; a rating raised to meets keeps only these negative */
	bool has_metric_value;
	int64_t metric_value_id; /* metric evidence: the stored value (plumb explain) */
	double metric_value;     /* NAN when there was nothing to measure */
};

struct evaluation_rating {
	const char *dimension; /* a competency id */
	double rating;
	const char *label;              /* the scale's label for the rating */
	const char *no_evidence_reason; /* NULL when evidence is cited */
	bool recency_flag;              /* most dated evidence is from the last quarter */
	struct evaluation_evidence *evidence;
	size_t nevidence;
};

struct evaluation {
	int64_t id;
	int version;
	int framework_version;
	const char *source; /* manager, calibration, dispute */
	const char *reason; /* "" for a first version */
	const char *manager_case;
	const char *created_by;
	int64_t created_at;
	struct evaluation_rating *ratings; /* in the framework's competency order */
	size_t nratings;
};

struct evaluation_submission {
	const char *cycle;  /* name or id */
	const char *person; /* employee id */
	const char *name;   /* how errors call the file */
	const char *data;
	size_t len;
	const char *reason; /* required from version 2 on */
	/* When based, the version the submission was made from (0: none yet;
	 * below 0: its maker cannot say).  Unless it is still the newest the
	 * submission is refused (ERR_CONFLICT naming the newest, who stored it
	 * and when), so two editors do not overwrite each other unseen (a lost
	 * update).  Unbased, it is stored on whatever is newest. */
	bool based;
	int base_version;
	/* Set: the submission is a page's form of that name, and a refusal
	 * about the reason says "FORM: reason: ..." for the page to tie to its
	 * field; NULL: the CLI's, which name --reason. */
	const char *form;
};

struct evaluation_submit_result {
	int64_t id;
	int version; /* the version stored; on a refusal as stale, the newest */
	bool stale;  /* the ERR_CONFLICT is a based submission's on an older version */
	int ratings, evidence, recency_flags;
	int metric_values; /* metric evidence computed and stored */
	/* Evidence dated outside the cycle's period, stored all the same (a
	 * rating may rest on older work): "FILE:LINE: PATH.date: ..." each, in
	 * ctx's arena, for the face to warn with. */
	const char **outside_period;
	size_t noutside_period;
};

/* evaluation submit: validate the file against the cycle's framework and
 * store it as the person's next version.  Bad input is ERR_INVALID naming
 * FILE:LINE: path: reason; a refusal under an acceptable-use rule is
 * ERR_POLICY; a based submission on a version that is no longer the newest
 * is ERR_CONFLICT, checked after the actor's permission and before the
 * file; nothing is written on error. */
int evaluation_submit(struct ctx *ctx, const struct evaluation_submission *sub,
                      struct evaluation_submit_result *out, struct error *err);

/* The checks evaluation submit makes of the file before it reads the
 * database: sub's file parsed against framework fw, for a cycle as info
 * says (whether it is rated, its name for errors).  No database: only ctx's
 * arena is used (the fuzz target, tests/fuzz/fuzz_yaml.c, calls it so).
 * Errors as evaluation_submit's. */
int evaluation_check_file(struct ctx *ctx, const struct evaluation_submission *sub,
                          const struct framework *fw, const struct cycle_info *info,
                          struct error *err);

struct evaluation_history {
	const char *cycle, *person;  /* the cycle's name, the employee id */
	struct evaluation *versions; /* oldest first */
	size_t nversions;
};
/* evaluation history: every version with its ratings and evidence. */
int evaluation_history(struct ctx *ctx, const char *cycle, const char *person,
                       struct evaluation_history *out, struct error *err);

/* One review cycle a person is reviewed in, as the actor sees it. */
struct evaluation_cycle {
	const char *cycle, *kind, *phase;
	int64_t period_start, period_end;
	bool readable;        /* the actor may read the evaluation and score now */
	bool self;            /* the actor is the person (else a manager or partner over them) */
	int latest_version;   /* the newest evaluation version; 0: none, or !readable */
	int64_t evaluated_at; /* when it was stored; 0 likewise */
};
/* evaluation list: the cycles person is reviewed in whose evaluation the
 * actor may read (as evaluation history decides), the latest period first;
 * the person sees their own cycles before delivery too, not readable.  A
 * person outside the actor's scope with none is refused as an unknown id. */
int evaluation_list(struct ctx *ctx, const char *person, struct evaluation_cycle **out, size_t *n,
                    struct error *err);

/* ---- for other review services, inside their own operation ---- */

/* The person as the cycle holds them, for readers' checks and scores. */
struct evaluation_member {
	int64_t person_id, manager_id; /* manager_id: the home manager in the cycle, or 0 */
	const char *employee_id, *level, *role_profile;
	const char *phase; /* the cycle's current phase, or "closed" */
};
/* For an unknown employee id, or one outside the actor's scope, the refusal
 * authz_unknown_person gives; ERR_NOT_FOUND when the person is not reviewed
 * in the cycle (cycle_name names it). */
int evaluation_member(struct ctx *ctx, int64_t cycle_id, const char *cycle_name,
                      const char *employee_id, struct evaluation_member *out, struct error *err);
/* ERR_DENIED (noted for the audit log) unless the actor is the person (from
 * the cycle's delivery phase on), one of their managers (the cycle's home
 * manager counts) or a people partner over them: who may read their
 * evaluation and score. */
int evaluation_may_read(struct ctx *ctx, const struct evaluation_member *m, const char *what,
                        struct error *err);
/* Whether the actor may submit person's evaluation in the cycle (their
 * manager in the cycle, or a people partner over them) into *writes, for a
 * page to offer the form only to who can send it.  Errors as
 * evaluation_member's; no refusal is noted for the audit log. */
int evaluation_writer(struct ctx *ctx, int64_t cycle_id, const char *cycle_name, const char *person,
                      bool *writes, struct error *err);
/* Whether the cycle as info holds it still takes a manager's evaluation
 * submission: 0, or ERR_CONFLICT (its message says when) once its
 * manager_review phase closed.  The rule evaluation submit refuses by, for a
 * page to show the stored review read-only to its writer rather than a form
 * whose submission would be refused.  Pure; thread-safe. */
int evaluation_phase_accepts(const struct cycle_info *info, struct error *err);
/* Version `version` (0: the newest) of the person's evaluation in the
 * cycle, with ratings and evidence labelled on fw's scales; *found false
 * when there is none.  No permission check. */
int evaluation_load_tx(struct ctx *ctx, int64_t cycle_id, int64_t person_id, int version,
                       const struct framework *fw, struct evaluation *out, bool *found,
                       struct error *err);

/* A change another service makes to a rating (calibration, a dispute):
 * the new rating and the evidence it adds. */
struct evaluation_change {
	const char *dimension;
	double rating;
	const struct evaluation_evidence *evidence;
	size_t nevidence;
};
/* Store the person's next version: the newest one's ratings, evidence and
 * case with changes applied (a changed rating's recency flag recomputed
 * over its evidence and the change's; below the scale's meets all of its
 * evidence counts against the person, as a submission stores it), by source ("calibration",
 * "dispute") with reason, created by the actor; *version is its number.  In the caller's write
 * operation, which checks permission and writes the audit entry. ERR_NOT_FOUND when there is no
 * evaluation, ERR_INVALID when a change names a dimension the evaluation does not rate. */
int evaluation_revise_tx(struct ctx *ctx, int64_t cycle_id, int64_t person_id, const char *source,
                         const char *reason, const struct evaluation_change *changes,
                         size_t nchanges, int *version, struct error *err);

/* Whether enough of a rating's dated evidence is recent to flag it: more
 * than recent_share of the dated times fall in the last quarter of
 * [start, end).  Pure; thread-safe. */
bool evaluation_recency_flag(const int64_t *dated, size_t n, int64_t start, int64_t end,
                             double recent_share);

#endif
