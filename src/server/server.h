/*
 * server: `plumb serve`, the HTTP face on libmicrohttpd.  It serves
 *   /healthz and /metrics (Prometheus text),
 *   /signin and /signout (browser sessions),
 *   /api/v1/... (the ops table's routes, each run as its CLI command with
 *   --json, so the two faces cannot disagree; server_api.c),
 *   /webhooks/{github,pagerduty,deploy} (signed deliveries),
 *   and the web pages (pages.c).
 * Each worker thread has its own ctx (database connection); a request
 * begins a unit of work on it as the signed-in user, so every permission
 * check happens in the core exactly as for the CLI's --as.
 * With notify options it also sends review reminders on a schedule
 * (server_notify.c).
 * server_run blocks until SIGTERM or SIGINT, then stops accepting, lets
 * requests in flight finish and returns.
 */
#ifndef PLUMB_SERVER_H
#define PLUMB_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"

struct ctx;
struct notify_options;

struct server_options {
	const char *listen;             /* ADDR:PORT; port 0 picks a free one */
	const char *tls_cert, *tls_key; /* PEM files; both or neither */
	size_t max_body;                /* request body bytes, else 413 */
	size_t max_webhook_body;        /* a webhook delivery's (at most max_body) */
	size_t max_header;              /* request line and header bytes, else 431 */
	unsigned timeout_s;             /* idle connection timeout */
	unsigned max_connections;       /* more are answered 503 */
	unsigned threads;               /* worker threads, each with a database connection */
	FILE *access_log;               /* NULL: none */
	/* Review reminders (notify_run) once listening and then every
	 * notify_every_ms; 0 or no notify: never.  as_of and stop are set
	 * per run. */
	int64_t notify_every_ms;
	const struct notify_options *notify;
	/* A sync of every source (sync_sources) once listening and then
	 * every sync_every_ms; 0: never. */
	int64_t sync_every_ms;
	/* Where a webhook delivery waits while another writer holds the
	 * database (webhook_queue.h), stored from there within a second or so
	 * of its release; NULL: no queue, such a delivery is 503. */
	const char *webhook_queue;
	/* How long a queued delivery whose storing keeps failing stays at
	 * the head: tries and ms, 0 for the defaults (webhook_queue.h). */
	unsigned webhook_queue_tries;
	int64_t webhook_queue_retry_ms;
	/* How long a delivery waits for another writer before it is queued
	 * (and the applier's wait for the database), and how often the
	 * applier looks at the queue: ms, 0 for WEBHOOK_LOCK_WAIT_MS and a
	 * second; each at most an hour (the wait is an int of ms to the
	 * database).  Set by tests only, which check what happens, not when. */
	int64_t webhook_queue_wait_ms, webhook_queue_every_ms;
	/* How long a request's write waits for another writer (a large ingest
	 * publishing) before it is 503 busy: ms, or the engine's default for 0
	 * (store_set_lock_wait). */
	int lock_wait_ms;
	/* Hosts a source's URL given over the API may name besides the hosted
	 * APIs (--source-host; source_host_pattern_check). */
	const char *const *source_hosts;
	size_t nsource_hosts;
	/* Called once listening, with the base URL (http://127.0.0.1:PORT). */
	void (*ready)(void *data, const char *base_url);
	void *ready_data;
};

int server_run(struct ctx *ctx, const struct server_options *o, struct error *err);

#endif
