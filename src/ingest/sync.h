/*
 * sync: live pulls from the sources' APIs (`plumb sync`), page by page
 * through the same parsers as `plumb ingest`.  Each page is staged in its
 * own short transaction; a run publishes at its end, in one, and only then
 * moves the cursors, so a run that fails part way (bad JSON on page 7, a
 * 401) publishes nothing and the next run starts again from the last good
 * cursor.  Incremental: a cursor per source and resource (since/updated
 * filters) and ETags (If-None-Match) where the API has them.  Sources sync
 * side by side (up to four at once, each worker with its own connection);
 * a slow or failing source does not hold up the others.
 *
 * Results live in ctx->arena.
 */
#ifndef PLUMB_SYNC_H
#define PLUMB_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "ingest/run.h"

struct ctx;
struct store;

/* Where a resource's first sync starts without --since: so many days back. */
#define SYNC_FIRST_DAYS 180
/* The longest a source's run waits in all (rate-limit waits, backoff,
 * Retry-After, failed attempts retried) without --max-wait: 2 h, room for
 * one wait on GitHub's hourly limit (up to HTTP_MAX_WAIT_MS) and retries
 * besides. */
#define SYNC_MAX_WAIT_MS (2 * 3600 * 1000LL)

struct sync_opts {
	const char *const *sources; /* names; none: every source with an API */
	size_t nsources;
	int64_t first_since; /* where a first sync starts; 0: 180 days ago */
	/* Shown before every pause (rate limit or backoff; retry as in
	 * http_policy); may be NULL. */
	void (*on_wait)(void *data, const char *source, const char *why, int64_t ms, bool retry);
	void *wait_data;
	/* Called after each page a source stages, with the pages and records
	 * (points, for prometheus) its run has read so far; may be NULL.
	 * Called from the sync's worker threads, one source per thread. */
	void (*on_page)(void *data, const char *source, int64_t pages, int64_t records);
	void *page_data;
	/* Tests: shorten pauses (backoff base in ms; 0 = the client's default). */
	int64_t backoff_ms;
	/* The longest each source's run waits in all (http_policy's
	 * total_wait_ms); a pause that would take it further fails the run.
	 * 0: SYNC_MAX_WAIT_MS.  Longer than HTTP_MAX_WAIT_MS, it is also the
	 * longest single wait (max_wait_ms). */
	int64_t max_wait_ms;
	/* Asked between sources, requests and pause slices: true stops the
	 * sync (a server shutting down).  A source not begun is left out with
	 * nothing written (its result stopped); a run under way fails and
	 * publishes nothing, what it staged removed.  May be NULL; called from
	 * the workers. */
	bool (*stop)(void *data);
	void *stop_data;
	/* Fill each result's service_ids (one more read of the run's rows as
	 * it publishes): the server refreshes the dashboard with them. */
	bool touched;
};

/* A repository an --org source's organization listed that answered its
 * first request 404 (gone, or made private, since the listing), 451
 * (withheld for legal reasons) or 403 "Repository access blocked"
 * (GitHub's block for its terms): skipped, the others read. */
struct sync_skipped_repo {
	const char *repo;
	long status;
};

struct sync_result {
	const char *source, *kind;
	bool ok, skipped;  /* skipped: a kind without an API (deploy), or paused */
	int64_t paused_at; /* a paused source left out of a sync of all (0: not) */
	/* Some resource went on from a stored cursor, so first_since did not
	 * apply to it. */
	bool resumed;
	/* Asked to stop (sync_opts.stop) before it began: no run, nothing
	 * written; not ok, err saying so. */
	bool stopped;
	/* Refused at its start because this sync run of the source (another
	 * process's) is going on: nothing read or written; not ok, err
	 * (ERR_CONFLICT) saying so.  No failure of the source: the next sync
	 * reads what that one does not. */
	int64_t going_on_run;
	/* A github --org source whose organization listed no repository that
	 * its --include and --exclude take: the run read nothing. */
	bool org_matched_none;
	/* CI runs stored open (Actions runs, Jenkins builds) that could not be
	 * read again (neither read nor gone: a 5xx, a body refused), left as
	 * they were for the next sync; and the first one's error. */
	int64_t open_unread;
	char open_unread_error[ERR_MSG_MAX];
	/* The same of GitHub deployments stored not finished, whose statuses
	 * are read again. */
	int64_t deploys_unread;
	char deploys_unread_error[ERR_MSG_MAX];
	/* Times an SLO's count query gave NaN or infinity for, left out of
	 * every series of that SLO; and the first ("SLO NAME at TIME"). */
	int64_t slo_times_unknown;
	char slo_unknown_first[ERR_MSG_MAX];
	/* SLOs of type Prometheus whose metricSourceRef names no Prometheus
	 * source, which no sync reads; and the first ("SLO NAME
	 * (metricSourceRef REF)"). */
	size_t slos_unread;
	char slo_unread_first[ERR_MSG_MAX];
	/* The first resource whose stored cursor was later than the run's
	 * start, and that cursor ("issues (2099-01-01T00:00:00.000Z)"), read as
	 * the run's start instead; "" for none. */
	char future_cursor[ERR_MSG_MAX];
	/* Repositories skipped (see struct sync_skipped_repo), in the order
	 * read; in the caller's ctx->arena. */
	struct sync_skipped_repo *repos_skipped;
	size_t nrepos_skipped;
	struct error err;
	int64_t run_id, duration_ms;
	struct ingest_counts counts;
	/* With sync_opts.touched, the services whose events the run inserted
	 * or changed (ascending, in the caller's ctx->arena): what the
	 * dashboard refreshes. */
	int64_t *service_ids;
	size_t nservices;
};

/* Sync; *results gets one entry per source (a name given twice counts
 * once).  With none named, a paused source is skipped; named, it fails as
 * paused.  The permission (OP_INGEST) is checked before anything is read.
 * Returns 0 when every source synced, else the first failure's code (each
 * result says its own). */
int sync_sources(struct ctx *ctx, const struct sync_opts *o, struct sync_result **results,
                 size_t *n, struct error *err);

/* What one source's sync has to say beside its summary, a line each (no
 * "warning:"): an organization listing nothing it reads, repositories
 * skipped, a cursor in the future, records stored open that could not be
 * read again.  *out in arena a; returns how many.  The CLI prints them as
 * warnings, serve --sync-every logs them. */
size_t sync_warnings(const struct sync_result *r, struct arena *a, const char ***out);

/* One thing source check tried ("repository acme/api", "token GH_TOKEN"):
 * whether it worked, and what it found or the error. */
struct sync_check_item {
	const char *what, *detail;
	bool ok;
};

struct sync_check {
	const char *source, *kind;
	struct source_pause paused; /* checked all the same */
	struct sync_check_item *items;
	size_t nitems;
	int64_t requests;
	bool ok; /* every item */
};

/* Try each source's settings against its API without reading its data or
 * writing anything: the token's and webhook secret's variables, then each
 * repository (or the organization, and which of its repositories the
 * patterns take), the Jira account and project or query, the Jenkins job,
 * each PagerDuty service, the Prometheus server; a few requests each, one
 * retry, no long rate-limit wait.  names: none is every source; a name that
 * is no source is ERR_NOT_FOUND before any request.  A failed item is not
 * an error: each result says its own. */
int sync_check(struct ctx *ctx, const char *const *names, size_t n, struct sync_check **out,
               size_t *nout, struct error *err);

struct sync_status_resource {
	const char *resource, *cursor;
	bool has_etag;
	int64_t updated_at;
	/* False for a GitHub repository's resource the source no longer reads
	 * (dropped from its --repo list or its --org's patterns): kept, so the
	 * repository goes on from it if it comes back, but nothing syncs it. */
	bool in_scope;
};

struct sync_status_run {
	int64_t id, started_at, finished_at;
	const char *status, *error;
};

/* A run still staging: going on, or left behind by a process that ended
 * (live false: nobody holds its run lock), which the next run of its
 * source records failed.  pages and records: what it staged so far. */
struct sync_status_staging {
	int64_t id, started_at, pages, records;
	const char *mode;
	bool live;
};

struct sync_status {
	const char *source, *kind;
	/* The last run of any outcome, and the last published one. */
	bool has_last, has_published;
	int64_t last_run, last_started, last_finished, last_records, last_requests,
	        last_not_modified;
	const char *last_status, *last_mode, *last_error;
	int64_t published_at;
	int64_t events, newest_event; /* data freshness: the newest event's time */
	bool has_newest;
	struct sync_status_resource *resources;
	size_t nresources;
	struct source_pause paused; /* plumb source pause */
	/* The last sync, apart: a file or webhook run after a failed sync
	 * would otherwise hide the failure. */
	bool has_last_sync;
	struct sync_status_run last_sync;
	/* The newest run still staging, which the last run (finished ones
	 * only) does not show. */
	bool has_staging;
	struct sync_status_staging staging;
};

int sync_status(struct ctx *ctx, struct sync_status **out, size_t *n, struct error *err);
/* The same inside the caller's operation (the dashboard's freshness). */
int sync_status_tx(struct ctx *ctx, struct sync_status **out, size_t *n, struct error *err);

/* Each source's newest published sync or ingest (ms), in name order, to fn;
 * sources never published are left out.  Monitoring, outside any
 * operation: names and times only, no records. */
int sync_each_last_published(struct store *s,
                             void (*fn)(void *data, const char *source, int64_t at), void *data,
                             struct error *err);

#endif
