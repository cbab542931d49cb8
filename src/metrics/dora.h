/*
 * dora: the four keys computed in memory over a history the caller loads:
 * commits with their parents, merged pull requests, production deployments
 * and incidents.  Pure: no store, no clock, so tests build histories by
 * hand and the answers do not depend on an engine.
 *
 * The definitions are written out in docs/metrics.md; in short:
 *   - a deployment's changes are the commits reachable from its sha and
 *     not from the previous deployment of the same service (a walk over
 *     parents in generation order, as git rev-list B..A does); the first
 *     deployment of a service is a baseline with no changes counted;
 *   - a change's start is its author time, or for a squash or rebase merge
 *     (a one-parent commit that is a pull request's merge commit) the
 *     earliest time known of the pull request's own commits;
 *   - a deployment failed when an incident names its id, or its sha and it
 *     is the latest deployment of that sha (on any service) before the
 *     incident, when an incident opens on its service within the failure
 *     window after it (before the next deployment), or when the next
 *     deployment is a rollback (no new changes, another sha), a revert or a
 *     hotfix;
 *   - recovery runs from the failure's start (the incident's, or the
 *     deployment's finish) to its end (the last linked incident resolved,
 *     or the restoring deployment's finish).
 *
 * The caller owns every array it passes; dora_run allocates its results in
 * the arena given.
 */
#ifndef PLUMB_DORA_H
#define PLUMB_DORA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "core/cgraph.h"

struct dora_pr {
	/* What commits name it by: "OWNER/NAME#12", or a key that tells two
	 * hosts' OWNER/NAME#12 apart (dora_input.commit_prs).  One each. */
	const char *id;
	int64_t event_id;
	int64_t created_at, merged_at;
	const char *merge_sha; /* NULL when not known */
	const char *head_sha;
};

struct dora_deploy {
	int64_t event_id;
	int64_t service_id, team_id;
	const char *external_id;
	const char *sha, *ref, *title;
	int64_t finished_at; /* first success */
};

struct dora_incident {
	int64_t event_id;
	int64_t service_id;
	const char *text; /* title and attrs, searched for a deployment's sha or id */
	int64_t started_at;
	int64_t resolved_at; /* 0 while open */
};

struct dora_input {
	struct cgraph_commit *commits; /* core/cgraph.h */
	size_t ncommits;
	const char **parent_shas;
	/* NULL, or per parent a commit whose sha is that very string (-1: none
	 * known), which spares a lookup when it is the sha's first commit. */
	const int32_t *parent_hint;
	struct dora_pr *prs;
	size_t nprs;
	/* NULL, or per commit the id of the pull request it names (NULL: none),
	 * in place of its pr: one OWNER/NAME#N named on two hosts is two. */
	const char **commit_prs;
	struct dora_deploy *deploys; /* any order */
	size_t ndeploys;
	struct dora_incident *incidents;
	size_t nincidents;
	int64_t failure_window_ms; /* an incident this soon after a deployment is its failure */
};

enum dora_failure_cause {
	DORA_OK = 0,
	DORA_FAIL_INCIDENT_REF,    /* an incident names the deployment */
	DORA_FAIL_INCIDENT_WINDOW, /* an incident on the service soon after */
	DORA_FAIL_ROLLBACK,
	DORA_FAIL_REVERT,
	DORA_FAIL_HOTFIX,
};

/* One change shipped by a deployment. */
struct dora_change {        /* 24 bytes: two million of them at full scale */
	int64_t started_at; /* author time, or the pull request's first commit */
	/* When it landed on the deployed branch: for a commit on the deployed
	 * sha's first-parent chain, its pull request's merge (it is the merge,
	 * squashed or, when its pr is known, a rebased commit) or else its own
	 * time; for a commit of a merged branch, the landing of the merge that
	 * brought it (the earliest).  No source sets a commit's pr yet, so a
	 * rebase merge's commits but its last land at their own times. */
	int64_t merged_at;
	int32_t commit;    /* index into input commits */
	bool traced_to_pr; /* a squash or rebase merge traced to its pull request */
};

struct dora_deploy_result {
	int32_t deploy;   /* index into input deploys */
	int32_t previous; /* the previous deployment of the service, -1 for the baseline */
	bool baseline;
	bool range_unknown; /* its sha or the previous one's is not in the history */
	bool has_revert;    /* one of its changes reverts another */
	struct dora_change *changes;
	size_t nchanges;
	enum dora_failure_cause failure;
	int32_t *failure_incidents; /* every linked incident (indexes), in the arena */
	int nfailure_incidents;
	size_t failure_incidents_alloc;
	int32_t restored_by;                  /* deployment index that restored it, -1 */
	int64_t recovery_start, recovery_end; /* 0 when not failed or not yet recovered */
};

struct dora_result {
	struct dora_deploy_result *deploys; /* in order of finish within each service */
	size_t ndeploys;
	int32_t *incident_deploy; /* per incident: the result index it failed, or -1 */
	size_t missing_commits;   /* parents named but not in the history */
};

int dora_run(const struct dora_input *in, struct arena *a, struct dora_result *out,
             struct error *err);
/* dora_run in its steps, for a caller that keeps each deployment's changes:
 * dora_skeleton orders the deployments (by service, then finish) with their
 * previous one; dora_changes does that and walks each range; dora_failures
 * then links failures and recovery, reading only nchanges, range_unknown and
 * has_revert of each result. */
void dora_skeleton(const struct dora_input *in, struct arena *a, struct dora_result *out);
int dora_changes(const struct dora_input *in, struct arena *a, struct dora_result *out,
                 struct error *err);
void dora_failures(const struct dora_input *in, struct dora_result *out, struct arena *a);

/* DORA's performance levels, from the 2023 Accelerate State of DevOps
 * report: "elite", "high", "medium" or "low". */
#define DORA_BANDS_SOURCE "Accelerate State of DevOps Report 2023 (DORA, Google Cloud)"
const char *dora_band_lead_time(double median_ms);
const char *dora_band_recovery(double median_ms);
const char *dora_band_change_failure(double rate);
const char *dora_band_frequency(const char *bucket);
/* The edges between the bands of key's values (lead_time and recovery_time
 * in hours, change_failure_rate a fraction), ascending, into *edges (static;
 * NULL for none): for text to write a value on its side of each
 * (decimal_marked).  Returns how many: 3, or 0 for a key without bands of
 * values (deployment_frequency's are of its bucket) or not DORA's. */
size_t dora_band_edges(const char *key, const double **edges);

/* The deployment frequency bucket, as Google's Four Keys computes it:
 * "daily" when the median week of the period has deployments on at least
 * 3 distinct days, "weekly" when most weeks have one (the median of 1 or 0
 * a week), "monthly" when the median week lies in a month with at least
 * one week that deployed (a month weighs the weeks it holds), else
 * "yearly"; NULL when n is 0.  day_start[i] and week_start[i] are the
 * local day and week holding deployment i (any order); weeks[] the nweeks
 * week starts the period spans, ascending, and week_month[] the month
 * start of each (the month its first day is in). */
const char *dora_frequency_bucket(const int64_t *day_start, const int64_t *week_start, size_t n,
                                  const int64_t *weeks, const int64_t *week_month, size_t nweeks);

#endif
