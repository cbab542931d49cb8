/*
 * reconcile: does what plumb holds add up?  Per source, these checks:
 *   totals     a sync run's pages against the totals the API declared
 *              (Jira total, PagerDuty total, GitHub total_count), and each
 *              published run's recorded documents and records against the
 *              documents kept for it;
 *   raw        every raw payload decodes to the bytes its SHA-256 names
 *              and re-parses to as many records as when it was read, and
 *              every payload a published run read still exists;
 *   normalized the records the raw payloads hold against the events
 *              table, both ways (nothing lost, nothing without a source;
 *              a record events hold under the key it moved to upstream,
 *              found as the publish found it (rekey.h), is counted moved);
 *   lineage    each event's raw_id names a payload of its own source that
 *              holds its key;
 *   reporting  the reporting layer's own copy of events against them: the
 *              commit graph the four keys read from the packs publishing
 *              keeps (core/cgraph.h), commit by commit.
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
	const char *source, *kind;
	int64_t raw_payloads, raw_records, distinct_records, events, runs_checked;
	int64_t mismatches;
	int64_t retained_away; /* records whose events retention deleted */
	int64_t withheld;      /* records governance kept out of events or removed */
	int64_t moved;         /* records payloads hold under a key they left upstream */
};

/* The reporting check.  The packs hold every source's commits and are
 * compared whole; a named source's reconcile lists the differences of its
 * own commits, and those of no source. */
struct reconcile_reporting {
	/* "kept": the four keys read the packs; "not kept": they read the events
	 * (and keep the packs as they do), so there is nothing to compare;
	 * "damaged": a pack could not be read. */
	const char *packs;
	int64_t commits_in_events; /* every source's */
	int64_t commits_in_packs;  /* -1 unless kept */
	int64_t mismatches;        /* all of them, the sources' included */
	int64_t unattributed;      /* of commits only the packs hold: no source to name */
};

/* source NULL: every source.  A mismatch of no source has source NULL. */
int reconcile(struct ctx *ctx, const char *source, struct reconcile_source **sources,
              size_t *nsources, struct reconcile_mismatch **mismatches, size_t *nmismatches,
              struct reconcile_reporting *reporting, struct error *err);

#endif
