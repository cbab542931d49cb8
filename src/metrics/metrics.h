/*
 * metrics: computing catalogued metrics from stored events, storing each
 * value with its lineage, and explaining a value down to the raw payloads.
 *
 * A query names a metric key, a scope (the org, a team with its sub-teams,
 * or a service), a period and a grain.  The active version of the key's
 * definition (catalog_active) decides what is computed.  Events are read in
 * a few narrow scans and computed on in C (dora.h for the four keys), so
 * the answer does not depend on the engine.  Each value is stored in
 * metric_values with the records it used in metric_lineage (a deployment's
 * changes as a commit range, a work item's cycle as its start and done
 * instants in the same columns); a query whose inputs have not changed since
 * (the same definition version, scope and period, and no event changed
 * since) returns the stored values without recomputing.
 *
 * Durations are reported in hours; every aggregate names its statistic
 * (median and p90 are R's type 7) and how many items it covers.
 * Results live in ctx->arena.
 */
#ifndef PLUMB_METRICS_H
#define PLUMB_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "metrics/catalog.h"

struct ctx;

struct metrics_query {
	const char *key;
	const char *team, *service; /* neither: the whole org */
	const char *person;         /* an employee id: the individual scope, only for
	                               metrics whose scopes include individual (rule
	                               team-metric-on-person, aup.h) */
	int64_t from, to;           /* [from, to) when has_from, has_to */
	bool has_from, has_to;      /* else (docs/metrics.md, "Period"): to is the end of
	                               today and from METRICS_DEFAULT_DAYS whole days
	                               before to, local days in the scope's zone (24-hour
	                               days before a to given as an instant) */
	bool from_date, to_date;    /* given as a date: local midnight in the scope's zone */
	int64_t now;                /* the clock for "today" (ms); 0: read once per call */
	const char *by;             /* NULL (one value), "day", "week" or "month" */
	const char *normalize;      /* NULL or "none", "per-engineer", "per-service" */
	bool align;                 /* with by: from and to go back to the start of their
	                               day, week or month (whole periods only) */
	bool by_reviewer;           /* review_turnaround only: also each reviewer's figure
	                               (metrics_report.reviewers); else ERR_USAGE */
};

#define METRICS_DEFAULT_DAYS 90   /* the default period: the 90 days up to the end of today */
#define METRICS_MAX_POINTS   1000 /* --by periods one query computes at most */

struct metrics_point {
	int64_t value_id;
	int64_t start, end;
	double value; /* NAN when there was nothing to measure */
	int64_t n;
	const char *statistic;
	const char *detail; /* JSON: the arithmetic */
	/* Why the value is withheld from this actor (mask.h: an aggregate over
	 * too few people, for an analyst): then value is NAN, n 0 and detail
	 * NULL.  NULL when shown. */
	const char *suppressed;
};

/* One reviewer's turnaround over a period: from the opening of each pull
 * request they reviewed to their first review of it, counted at that review. */
struct metrics_reviewer {
	const char *reviewer; /* an employee id, or an account's login; pseudonyms for
	                         an actor who sees people masked (mask.h) */
	const char *kind;     /* "person" or "account" (no person linked) */
	int64_t n;            /* pull requests */
	double median;        /* hours, R type 7 */
};

struct metrics_report {
	struct metric_def def;
	const char *scope, *scope_name; /* "org", "team", "service" */
	int64_t scope_id;
	const char *time_zone;
	int64_t from, to;
	const char *normalize;
	struct metrics_point overall;
	struct metrics_point *points; /* per day, week or month when asked */
	size_t npoints;
	bool reused;        /* stored values served, nothing recomputed */
	double compute_s;   /* reading events and computing, seconds */
	double read_s;      /* of which reading the events */
	double engine_s;    /* of which the four keys' engine (dora_run) */
	double store_s;     /* storing the values and their lineage, seconds */
	const char **notes; /* stage mismatches, deprecation */
	size_t nnotes;
	/* With q->by_reviewer: the reviewers whose reviews the actor may see
	 * (authz.h's scopes, as events list shows people), by name; how many
	 * reviews were by people they may not see; none when the overall value
	 * is suppressed.  Computed for the asking actor, not stored. */
	bool by_reviewer;
	struct metrics_reviewer *reviewers;
	size_t nreviewers;
	int64_t reviews_not_shown;
};

int metrics_show(struct ctx *ctx, const struct metrics_query *q, struct metrics_report *out,
                 struct error *err);

/* Lead time again, from each change's landing on the deployed branch (its
 * pull request's merge) to the deployment's finish, in hours. */
struct dora_merge_to_deploy {
	bool known; /* false without changes, or with lead time withheld */
	double median, p90;
	int64_t n;
};

/* The four keys at once for a scope and period, with DORA's bands.  A key
 * no version of which may be computed (retired) is not computed: computed[i]
 * false, keys[i] holds the scope and period, its newest version as def, no
 * value (value_id 0, value NAN) and a note saying so; the others are. */
struct dora_summary {
	struct metrics_report keys[4]; /* frequency, lead time, failure rate, recovery */
	bool computed[4];
	const char *bands[4];
	const char *frequency_bucket;
	const char *bands_source;
	struct dora_merge_to_deploy merge_to_deploy;
};
int metrics_dora(struct ctx *ctx, const struct metrics_query *q, struct dora_summary *out,
                 struct error *err);

/* Several computations inside another service's write operation (the
 * dashboard's refresh): the event history is read once and shared by every
 * computation of the batch; values and lineage are stored as metrics_show
 * and metrics_dora store them, but without their audit entries, which the
 * caller writes (one for the batch).  *stored says whether the call stored
 * a value (false: every value was current and served).  A batch lives in
 * ctx->arena as it is at metrics_batch_new, with what it reads once for
 * all its calls (the history, team_parents), and belongs to the operation
 * that made it (BUG outside a write operation).  Each call allocates its
 * results (out's strings, points, notes) and all its transient memory in
 * ctx->arena as it is at the call: a caller may point ctx->arena at a
 * scratch arena for a call or a group of calls and destroy it once it has
 * kept what it needs, which the batch's own arena must outlive. */
struct metrics_batch;
struct metrics_batch *metrics_batch_new(struct ctx *ctx);
int metrics_batch_dora(struct metrics_batch *b, const struct metrics_query *q,
                       struct dora_summary *out, bool *stored, struct error *err);
int metrics_batch_show(struct metrics_batch *b, const struct metrics_query *q,
                       struct metrics_report *out, bool *stored, struct error *err);

/* The definition of key that reports compute (catalog_active) with
 * *computable true; when no version of key may be computed (every one
 * retired, or only proposed), its newest version with *computable false.
 * ERR_NOT_FOUND for a key that does not exist.  Strings in a.  Runs inside
 * the caller's operation. */
int metrics_key_def_tx(struct ctx *ctx, const char *key, struct arena *a, struct metric_def *out,
                       bool *computable, struct error *err);

/* The period q names, [*from, *to), resolved as metrics_show resolves it
 * (the ends and defaults above, in the time zone of q's scope, *time_zone
 * in ctx->arena).  Runs inside the caller's operation: it reads the
 * scope (ERR_NOT_FOUND for an unknown team or service) and the settings.
 * q->key and q->person are not read. */
int metrics_period_tx(struct ctx *ctx, const struct metrics_query *q, int64_t *from, int64_t *to,
                      const char **time_zone, struct error *err);

/* One stored value explained: its definition and version, the arithmetic,
 * and every record it used with its source url and raw payload. */
struct metrics_input {
	const char *role; /* deployment, change-range, incident, pull_request, ... */
	int64_t event_id;
	const char *kind, *source, *external_id, *url, *title;
	int64_t occurred_at;
	int64_t ended_at; /* 0 for none; a deployment's first success, as DORA counts it */
	const char *from_sha, *to_sha;
	int64_t commits; /* a change range's, -1 when unknown (a sha not in the history) */
	/* A work item's cycle as issue_cycle_time counted it: its first
	 * transition into a started status and last into a done status; 0 for
	 * other records and for values stored before plumb kept them. */
	int64_t started_at, done_at;
	int64_t raw_id;
	const char *raw_origin, *raw_sha256;
	bool raw_deleted; /* retention emptied the payload: its bytes are gone */
	/* The record's version the value was computed from (its fields and raw
	 * payload above are that version's), and the version it has now. */
	int64_t version, current_version;
};

struct metrics_explanation {
	struct metric_def def;
	struct metrics_point value;
	const char *scope, *scope_name, *grain;
	const char *normalize; /* none, per-engineer, per-service */
	int64_t computed_at, superseded_at;
	/* The version of def.key that reports compute now (catalog_active),
	 * 0 when none may be (retired): def is the version the value was
	 * computed with, and def.status its status now. */
	int version_in_use;
	/* "events", or "sli_samples" for the SLO built-ins, whose inputs are
	 * samples counted in value.detail (per SLO: samples, good, total) and
	 * never listed in inputs. */
	const char *inputs_from;
	struct metrics_input *inputs;
	size_t ninputs;
};
int metrics_explain(struct ctx *ctx, int64_t value_id, struct metrics_explanation *out,
                    struct error *err);

/* Settings definitions read: production_environments, time_zone,
 * failure_window_hours, work_started_statuses, work_done_statuses,
 * min_team_size.  scope "org", "team" or "service" with its name. */
struct metrics_setting {
	const char *scope, *scope_name, *key, *value;
	bool is_default;
};
int metrics_settings(struct ctx *ctx, struct metrics_setting **out, size_t *n, struct error *err);
int metrics_set(struct ctx *ctx, const char *key, const char *value, const char *team,
                const char *service, bool *unchanged, struct error *err);

/* The rule a setting's value follows, shared by metrics set and by the
 * formula params of the same name (catalog_parse):
 *   time_zone                a zone in the zone database (tz_load);
 *   failure_window_hours     a plain decimal number (digits, optionally '.'
 *                            and digits: no sign, exponent, hex, inf or nan)
 *                            from 0 to 10000;
 *   min_team_size            a whole number (digits) from 0 to 10000;
 *   the lists                a comma list naming at least one entry, none
 *                            empty once the spaces around it are trimmed.
 * Returns 0, or ERR_INVALID with "WHAT must be ..., not 'VALUE'" (what
 * names the setting or param).  No database; thread-safe. */
int metrics_setting_check(const char *key, const char *what, const char *value, struct error *err);
/* Whether built-in builtin applies formula param param: environments and
 * production_environments (the DORA four), failure_window_hours
 * (change_failure_rate, recovery_time), min_team_size (the counts:
 * deployment_frequency, pr_throughput, wip), work_started_statuses and
 * work_done_statuses (issue_cycle_time).  An applied param wins over the
 * org's, team's and service's setting of that name for values of that
 * definition (environments stands for production_environments); statistic
 * and time_zone apply to none.  catalog_parse refuses a param that does not
 * apply.  No database; thread-safe. */
bool metrics_param_applies(const char *builtin, const char *param);
/* The key of setting i (0, 1, ...), NULL past the last; static storage. */
const char *metrics_setting_key(size_t i);
/* Whether key is a setting whose value is a comma list. */
bool metrics_setting_is_list(const char *key);

#endif
