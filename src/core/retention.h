/*
 * retention: what the policy's retention rules delete or anonymize, and
 * doing it (docs/governance.md, "Retention and legal holds").
 *
 * Each data category is a row of one table in retention.c with a planner
 * (which rows are past their rule's cutoff, which of them holds keep) and
 * an applier (what happens to a batch of them); a category with no tables
 * yet has neither and is reported as holding no data.  Rows that belong to
 * a person (events, individual metric values) follow the rule of their
 * person's country; rows without a person, and categories that are not one
 * person's (raw payloads, the audit log), follow the company rule.  Without
 * an imported policy nothing expires.
 *
 * retention_plan is a read; retention_apply runs the plan in batches, each
 * in its own transaction with an audit entry naming the rule, the cutoff,
 * the count and the id range (never the data).  A plan and the apply that
 * follows it count the same rows, and a second apply finds nothing.
 * Results live in the ctx arena.
 */
#ifndef PLUMB_RETENTION_H
#define PLUMB_RETENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

struct ctx;

/* The meta key holding the latest cutoff events were deleted under: records
 * of raw payloads older than it may be missing from events (reconcile). */
#define RETENTION_META_EVENTS_CUTOFF "retention.events_cutoff"

/* SQL conditions on a feedback response f and an evaluation version e that
 * still hold what an anonymize rule takes (the response's words; the case,
 * the reason and the evidence): not anonymized yet. */
#define RETENTION_FEEDBACK_ANONYMIZED_PREFIX "{\"anonymized\":true"
#define RETENTION_FEEDBACK_NAMING            "f.body NOT LIKE '" RETENTION_FEEDBACK_ANONYMIZED_PREFIX "%'"
#define RETENTION_EVALUATION_NAMING                                                                \
	"(e.manager_case <> '' OR e.reason <> '' OR EXISTS (SELECT 1 FROM evaluation_evidence x "  \
	"WHERE x.evaluation_id = e.id))"

/* Why a line's review data waits: a cycle uses it until it closes (a
 * response or evaluation gone would be work not done, and reminded). */
#define RETENTION_DEFERRED_WHY                                                                     \
	"its review cycle is not closed yet: it is done once the cycle closes"

#define RETENTION_BATCH_DEFAULT 1000
#define RETENTION_BATCH_MAX     100000

struct retention_held {
	int64_t hold_id;
	const char *what; /* "person E101" or "category events" */
	int64_t rows;
};

/* One category in one country (or the company rule). */
struct retention_line {
	const char *category;
	const char *country; /* ISO code; "" for the company rule */
	const char *rule;    /* "events, DE: 730 days, delete" */
	int64_t days;        /* 0: kept without limit */
	const char *action;  /* delete, anonymize, redact (audit log) or empty (raw payloads) */
	const char *effect;  /* what happens to each row, in words */
	int64_t cutoff;      /* rows before it are past the rule; when days > 0 */
	int64_t due;         /* rows past the cutoff not yet done */
	int64_t affected;    /* of which deleted or anonymized now */
	int64_t held;        /* of which kept by legal holds */
	int64_t referenced;  /* raw payloads: of which still referred to by surviving events */
	/* Review data: of which left until its review cycle closes, and why
	 * (RETENTION_DEFERRED_WHY; NULL when none is). */
	int64_t deferred;
	const char *deferred_why;
	int64_t first_id, last_id; /* of the affected rows (audit log: sequence numbers) */
	/* ratings and evaluations: the calibration marks and changes of the
	 * line's people it deletes or anonymizes, and on the evaluations
	 * company line the calibration overrides, counted apart from its rows
	 * (retention.c, "calibration marks and changes", "calibration
	 * overrides"), and those holds keep. */
	int64_t calibration, calibration_held;
	struct retention_held *holds;
	size_t nholds;
	int64_t batches; /* apply: transactions it took */
};

struct retention_report {
	int64_t as_of;
	int policy_version; /* 0: no policy imported, nothing expires */
	struct retention_line *lines;
	size_t nlines;
	int64_t affected, held, deferred;
};

/* Operation retention.plan: what an apply at as_of would do. */
int retention_plan(struct ctx *ctx, int64_t as_of, struct retention_report *out, struct error *err);
/* Operation retention.apply: do it, batch rows at a time (1 to
 * RETENTION_BATCH_MAX); out says what was done, line by line.  as_of may not
 * be ahead of now (ERR_USAGE): only the plan looks ahead.  A failure
 * leaves the batches before it committed; running it again continues. */
int retention_apply(struct ctx *ctx, int64_t as_of, int64_t batch, struct retention_report *out,
                    struct error *err);

#endif
