/*
 * catalog: the metric catalogue.  Every metric plumb computes has one written
 * definition here, versioned: key, name, description, unit, better direction,
 * leading or lagging, the lifecycle stages and audiences it suits, allowed
 * scopes, owner, business objectives, review interval and next review date,
 * status and the incentive_linked flag.  Built-in definitions (DORA keys,
 * flow metrics, SLO metrics) exist in every database; custom ones come from
 * YAML (plumb metrics define).  A new definition or version is "proposed"
 * until each stakeholder function approves it; an objection blocks it.
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
	int64_t next_review; /* ms, midnight UTC */
	const char *status;  /* proposed, active, deprecated, retired, rejected */
	bool incentive_linked, builtin;
	const char *formula; /* canonical JSON, see above */
};

/* The version of KEY that reports compute: the newest whose status is active
 * (or deprecated, which still computes and says so).  ERR_NOT_FOUND naming
 * the key when it does not exist; ERR_CONFLICT naming its status when no
 * version may be computed (all proposed, retired or rejected).  Runs inside
 * the caller's operation. */
int catalog_active(struct ctx *ctx, const char *key, struct arena *a, struct metric_def *out,
                   struct error *err);
/* One stored version by id (any status), for explaining old values. */
int catalog_def_by_id(struct ctx *ctx, int64_t id, struct arena *a, struct metric_def *out,
                      struct error *err);
/* The lifecycle stage of a service at time at (ms), or *stage NULL when none
 * was ever set. */
int catalog_service_stage(struct ctx *ctx, int64_t service_id, int64_t at, struct arena *a,
                          const char **stage, struct error *err);
/* Whether comma list list contains word (whole entries, case-sensitive). */
bool catalog_list_has(const char *list, const char *word);

#endif
