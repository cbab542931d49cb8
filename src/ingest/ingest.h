/*
 * ingest: `plumb ingest`, exported API pages and webhook bodies read from
 * files into events, through the same parsers and run machinery as sync.
 * All or nothing: every file is staged (read one at a time, so memory
 * stays flat however many there are) and published together; a bad file
 * publishes nothing and names the file, field and what was expected.
 */
#ifndef PLUMB_INGEST_H
#define PLUMB_INGEST_H

#include <stddef.h>

#include "base/err.h"
#include "ingest/run.h"

struct ctx;

struct ingest_files_opts {
	const char *source;
	const char *format;     /* NULL: detect per file */
	const char *event_name; /* webhook event for every file, or NULL */
	/* Files, or directories whose files (recursively, in name order,
	 * hidden ones skipped) are read. */
	const char *const *paths;
	size_t npaths;
};

/* *counts gets the run's figures; *run_id its id. */
int ingest_files(struct ctx *ctx, const struct ingest_files_opts *o, struct ingest_counts *counts,
                 int64_t *run_id, struct error *err);

#endif
