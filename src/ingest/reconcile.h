/*
 * reconcile: does what plumb holds add up?  Per source, three checks:
 *   totals     a sync run's pages against the totals the API declared
 *              (Jira total, PagerDuty total, GitHub total_count);
 *   raw        every raw payload decodes to the bytes its SHA-256 names
 *              and re-parses to as many records as when it was read;
 *   normalized the records the raw payloads hold against the events
 *              table, both ways (nothing lost, nothing without a source;
 *              a record events hold under the key it moved to upstream,
 *              found as the publish found it (rekey.h), is counted moved);
 *   lineage    each event's raw_id names a payload of its own source that
 *              holds its key.
 * Each disagreement is one mismatch.  Results live in ctx->arena.
 */
#ifndef PLUMB_RECONCILE_H
#define PLUMB_RECONCILE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct ctx;

struct reconcile_mismatch {
	const char *source, *check, *message;
};

struct reconcile_source {
	const char *source;
	int64_t raw_payloads, raw_records, distinct_records, events, runs_checked;
	int64_t mismatches;
	int64_t retained_away; /* records whose events retention deleted */
	int64_t withheld;      /* records governance kept out of events or removed */
	int64_t moved;         /* records payloads hold under a key they left upstream */
};

/* source NULL: every source. */
int reconcile(struct ctx *ctx, const char *source, struct reconcile_source **sources,
              size_t *nsources, struct reconcile_mismatch **mismatches, size_t *nmismatches,
              struct error *err);

#endif
