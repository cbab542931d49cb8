/*
 * catalog: the metric catalogue.  Every metric plumb computes has one written
 * definition here, versioned: key, name, description, unit, better direction,
 * leading or lagging, the lifecycle stages and audiences it suits, allowed
 * scopes, owner, business objectives, review interval and next review date,
 * status and the incentive_linked flag.  Built-in definitions (DORA keys,
 * flow metrics, SLO metrics) exist in every database; custom ones come from
 * YAML (plumb metrics define).  A new definition or version is "proposed"
 * until each stakeholder function approves it (a new version of a key also
 * each function of the version in use); an objection blocks it.  Approving
 * or objecting takes a leader, people-partner or admin role, and one user
 * speaks for one function of a version.  The review date counts from the
 * day a version became active, and again from each recorded review.
 *
 * What a definition computes is its formula, canonical JSON:
 *   {"builtin":"lead_time","params":{...}}   a built-in computation, with
 *       its parameters (e.g. {"statistic":"p90"} or {"environments":[...]})
 *   {"count":"deployment","where":{"status":"failure"}}   events of a kind
 *       per period, filtered on status, environment or is_bot
 * The metrics compute service reads definitions through catalog_active.
 *
 * Strings in a struct metric_def live in the arena the caller passes.
 */
#ifndef PLUMB_CATALOG_H
#define PLUMB_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

struct ctx;
struct jw;

struct metric_def {
	int64_t id;
	const char *key;
	int version;
	const char *name, *description, *unit;
	const char *direction;    /* "higher" or "lower" is better */
	const char *indicator;    /* "leading" or "lagging" */
	const char *stages;       /* comma list of new, growth, mature, sunset */
	const char *scopes;       /* comma list of org, team, service, individual */
	const char *audiences;    /* comma list of executives, team, individual */
	const char *stakeholders; /* comma list of functions that approve it */
	const char *owner;
	int review_interval_days;
	int64_t next_review;       /* ms, midnight UTC */
	const char *status;        /* proposed, active, deprecated, retired, rejected */
	const char *status_reason; /* why it has that status ("superseded by version 2"), or NULL */
	bool incentive_linked, builtin;
	const char *formula; /* canonical JSON, see above */
};

/* The version of KEY that reports compute: the newest whose status is active
 * (or deprecated, which still computes and says so).  ERR_NOT_FOUND naming
 * the key when it does not exist; ERR_CONFLICT naming its status when no
 * version may be computed (all proposed, retired or rejected), with *out
 * then the newest version, which says what the key was.  Runs inside the
 * caller's operation. */
int catalog_active(struct ctx *ctx, const char *key, struct arena *a, struct metric_def *out,
                   struct error *err);
/* One stored version by id (any status), for explaining old values. */
int catalog_def_by_id(struct ctx *ctx, int64_t id, struct arena *a, struct metric_def *out,
                      struct error *err);
/* The version that computed stored metric value value_id (any status, so
 * also once deprecated or retired): what the value means.  ERR_NOT_FOUND
 * when there is no such value.  Runs inside the caller's operation. */
int catalog_def_of_value(struct ctx *ctx, int64_t value_id, struct arena *a, struct metric_def *out,
                         struct error *err);
/* A value of metric key of this unit as people read it, into buf (of n
 * bytes): "-" when nan; hours to a tenth ("37.2 h"); a percent unit's
 * fraction as a percentage ("99.99%"); else 4 significant digits and never
 * an exponent (%g wrote 1234567 as 1.23457e+06), with " unit" after it when
 * with_unit.  Hours and percentages get more digits as decimal_marked gives
 * them: never 0 other than 0, never 100% below 1, and a DORA key's value on
 * its side of its band's edges (dora_band_edges).  Returns buf. */
const char *catalog_value_text(char *buf, size_t n, double v, const char *key, const char *unit,
                               bool with_unit);
/* Whether comma list list contains word (whole entries, case-sensitive). */
bool catalog_list_has(const char *list, const char *word);

/* ---- the catalogue's own operations -------------------------------------
 * Entry points named *_tx run inside the caller's operation; the others run
 * their own (ctx_run).  Everything they return lives in ctx->arena. */

/* The built-in objectives and definitions, written inside the transaction
 * of db.init (a new database) or of the migration to schema 5; rows
 * already present are left alone.  What was added goes into that
 * operation's audit entry: detail gets one JSON object value,
 * {"objectives":[...],"definitions":[...]} (a db_seeder, core/db.h). */
int catalog_seed_tx(struct ctx *ctx, struct jw *detail, struct error *err);

/* A definition file as read: the definition (status, version and dates not
 * yet set) and the objectives it names. */
struct catalog_file {
	struct metric_def def;
	const char *params; /* the formula's params as canonical JSON, or NULL */
	const char **objectives;
	long *objective_lines; /* where each is in the file, for an error about it */
	size_t nobjectives;
};
/* Parse and validate a definition file (YAML, see docs/cli.md); name is
 * how errors call the file ("NAME:LINE: field F: expected ...",
 * ERR_INVALID).  No database; strings in a.  Thread-safe. */
int catalog_parse(const char *name, const char *data, size_t len, struct arena *a,
                  struct catalog_file *out, struct error *err);

struct catalog_define_result {
	const char *key;
	int version;
	const char *status;  /* of that version */
	bool created;        /* a new version was stored */
	const char **mapped; /* objectives newly mapped */
	size_t nmapped;
	const char *superseded; /* comma list of proposed versions this one replaced, or
	                         * that defining the version in use again withdrew */
	const char *approvers;  /* comma list of the functions that must approve */
	const char *inherited;  /* of those, the ones only the version in use names, or NULL */
	int in_use;             /* the version in use whose functions were added, or 0 */
};
/* metrics define: store the file as a new version of its key (proposed
 * until each stakeholder function approves), or nothing when the newest
 * version says the same (created false).  When the version in use says the
 * same while newer proposals wait, they are withdrawn (rejected, listed in
 * superseded) and no version is stored. */
int catalog_define(struct ctx *ctx, const char *name, const char *data, size_t len,
                   struct catalog_define_result *out, struct error *err);

enum catalog_decision { CATALOG_APPROVE, CATALOG_OBJECT };
struct catalog_decide_result {
	const char *status;   /* of the version afterwards */
	const char **pending; /* functions yet to approve */
	size_t npending;
	int deprecated;      /* the earlier active version now deprecated, or 0 */
	int64_t next_review; /* when it became active: its next review (ms), else 0 */
};
/* metrics approve / object: record function's decision on a proposed
 * version, in the actor's name (reason required to object).  The actor
 * must hold the leader, people-partner or admin role (ERR_DENIED, audited
 * as access.denied) and may decide for one function of a version only
 * (ERR_CONFLICT).  The functions are the version's stakeholders and, for a
 * new version of a key, those of the version in use.  The last approval
 * activates the version and sets its next review from that day. */
int catalog_decide(struct ctx *ctx, const char *key, int version, const char *function,
                   enum catalog_decision decision, const char *reason,
                   struct catalog_decide_result *out, struct error *err);

struct catalog_approval {
	const char *function;
	const char *decision; /* approved, objected or pending */
	const char *reason, *decided_by;
	int64_t decided_at; /* 0 when pending */
};
/* One version with what its stakeholders decided and the key's objectives. */
struct catalog_entry {
	struct metric_def def;
	const char *params, *source_text, *status_reason, *created_by;
	int64_t created_at;
	struct catalog_approval *approvals; /* one per stakeholder function */
	size_t napprovals;
	const char **objectives;
	size_t nobjectives;
	const char *approvers; /* a proposal's functions to approve: its stakeholders
	                        * and those of the version in use; else stakeholders */
	int latest_version;    /* the key's newest version (may be proposed) */
	const char *latest_status;
};
/* metrics proposals: every proposed version, oldest first. */
int catalog_proposals(struct ctx *ctx, struct catalog_entry **out, size_t *n, struct error *err);
/* metrics catalog: every key with its current version (the one computed,
 * else the newest), by key. */
int catalog_list(struct ctx *ctx, struct catalog_entry **out, size_t *n, struct error *err);
/* metrics review-due: current versions, not retired, whose next review is
 * on or before the day of now (ms). */
int catalog_review_due(struct ctx *ctx, int64_t now, struct catalog_entry **out, size_t *n,
                       struct error *err);
/* metrics show-def: one version (0: the current one). */
int catalog_show(struct ctx *ctx, const char *key, int version, struct catalog_entry *out,
                 struct error *err);
/* metrics retire: every version of key not yet retired becomes retired;
 * *versions says how many. */
int catalog_retire(struct ctx *ctx, const char *key, const char *reason, int *versions,
                   struct error *err);
/* metrics map: map key to a known objective (*changed false when it was). */
int catalog_map(struct ctx *ctx, const char *key, const char *objective, bool *changed,
                struct error *err);
/* metrics unmap: remove key's mapping to objective.  ERR_NOT_FOUND for an
 * unknown key or objective, ERR_CONFLICT when the two are not mapped. */
int catalog_unmap(struct ctx *ctx, const char *key, const char *objective, struct error *err);

struct catalog_review_result {
	int version;           /* the version reviewed: the one in use */
	int64_t reviewed_on;   /* ms, the day (midnight UTC) */
	int64_t previous_next; /* the next review it had */
	int64_t next_review;   /* reviewed_on + its review interval */
	int review_interval_days;
};
/* metrics reviewed: record that the version of key in use was reviewed
 * today (note optional), moving its next review to today + its review
 * interval.  ERR_NOT_FOUND for an unknown key, ERR_CONFLICT when no
 * version is in use. */
int catalog_reviewed(struct ctx *ctx, const char *key, const char *note,
                     struct catalog_review_result *out, struct error *err);

struct catalog_objective {
	const char *name, *description;
	bool builtin;
	const char **leading, **lagging; /* keys, by key */
	size_t nleading, nlagging;
};
int catalog_objectives(struct ctx *ctx, struct catalog_objective **out, size_t *n,
                       struct error *err);
int catalog_objective_add(struct ctx *ctx, const char *name, const char *description,
                          struct error *err);

/* service stage: the service's lifecycle stage from `from` (ms; 0: today)
 * on.  *changed false (nothing written) when it was so already. */
int catalog_stage_set(struct ctx *ctx, const char *service, const char *stage, int64_t from,
                      bool *changed, const char **previous, struct error *err);

struct catalog_suggestion {
	const char *stage;
	int64_t stage_since;
	struct metric_def *leading, *lagging;
	size_t nleading, nlagging;
};
/* metrics suggest: the active definitions fit for a service's current
 * stage and an audience, whose scopes allow a service. */
int catalog_suggest(struct ctx *ctx, const char *service, const char *audience,
                    struct catalog_suggestion *out, struct error *err);

#endif
