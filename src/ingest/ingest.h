/*
 * ingest: `plumb ingest`, exported API pages and webhook bodies read from
 * files into events, and a webhook delivery's body held in memory, both
 * through one code path and the same parsers and run machinery as sync.
 * All or nothing: every file is staged (read one at a time, so memory
 * stays flat however many there are) and published together; a bad file
 * publishes nothing and names the file, field and what was expected.
 */
#ifndef PLUMB_INGEST_H
#define PLUMB_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "ingest/run.h"

struct ctx;

/* One document is one API page or one webhook body: large pages exist
 * (100 pull requests with bodies), anything past this is not one. */
#define INGEST_DOCUMENT_MAX ((size_t)64 << 20)

struct ingest_files_opts {
	const char *source;
	const char *format;     /* NULL: detect per file; one not of the source's
	                         * kind is ERR_USAGE, before any file is read */
	const char *event_name; /* webhook event for every file, or NULL */
	/* Files, or directories whose files (recursively, in name order,
	 * hidden ones skipped) are read. */
	const char *const *paths;
	size_t npaths;
};

/* *counts gets the run's figures; *run_id its id. */
int ingest_files(struct ctx *ctx, const struct ingest_files_opts *o, struct ingest_counts *counts,
                 int64_t *run_id, struct error *err);

/* One webhook delivery's body, already authenticated (webhook.h checks
 * signatures; this does not). */
struct ingest_body_opts {
	const char *source; /* the source whose secret signed it */
	/* That source's id and when it was added, told apart from one added
	 * under its name since (ingest_run_begin_signed); 0: not checked. */
	int64_t source_id, source_added;
	const char *origin;      /* names the body in messages and its raw payload */
	const char *event_name;  /* X-GitHub-Event, or NULL */
	const char *format;      /* the format to read it in (parse_delivery_look), or NULL */
	const char *delivery_id; /* recorded with the publish, or NULL */
	/* Recorded instead when there is no delivery id, so storing it twice
	 * finds it stored (a queued delivery's file, webhook_queue.h); NULL:
	 * none, and a body without an id is stored each time it comes. */
	const char *delivery_key;
	int64_t received_at; /* when it arrived, if not now (run.h); 0: now */
	const char *data;    /* borrowed; need not end in a NUL */
	size_t len;
};

struct ingest_result {
	int64_t run_id; /* 0 for a duplicate */
	bool duplicate; /* the delivery id was recorded before: nothing written */
	struct ingest_counts counts;
	struct ingest_touched touched; /* in ctx->arena */
};

/* Ingest the body as one document of a webhook run (run.h), as
 * OP_WEBHOOK_RECEIVE: staged, published with its delivery recorded and
 * audited in one transaction, or nothing at all.  A redelivery returns 0
 * with res->duplicate set.  ERR_INVALID names the field when the body does
 * not parse; ERR_TOO_BIG past the one-document limit. */
int ingest_webhook_body(struct ctx *ctx, const struct ingest_body_opts *o,
                        struct ingest_result *res, struct error *err);

#endif
