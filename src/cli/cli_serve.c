/* cli_serve: `plumb serve`, the HTTP server (src/server) in the foreground. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "core/ctx.h"
#include "ingest/source.h"
#include "ingest/webhook_queue.h"
#include "review/mail.h"
#include "review/notify.h"
#include "server/server.h"
#include "store/store.h"

struct ready_arg {
	struct cli_run *r;
};

static void on_ready(void *data, const char *base_url)
{
	struct cli_run *r = ((struct ready_arg *)data)->r;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "url", base_url);
		jw_kstr(&w, "database", ctx_db_url(r->ctx));
		jw_object_end(&w);
		cli_json_end(r, &buf);
	} else {
		fprintf(r->out, "plumb serving %s on %s (stop with Ctrl-C)\n", ctx_db_url(r->ctx),
		        base_url);
	}
	fflush(r->out);
}

static int size_opt(struct cli_run *r, const char *name, long long min, long long max,
                    long long dflt, long long *out)
{
	bool given;
	int rc = cli_opt_int(r, name, min, max, out, &given);
	if (rc == 0 && !given)
		*out = dflt;
	return rc;
}

/* --notify-every, --sync-every: a whole number and a unit, "90s", "15m", "1h", "1d". */
static int duration_opt(struct cli_run *r, const char *name, int64_t *ms)
{
	*ms = 0;
	const char *text = cli_opt(r, name);
	if (!text)
		return 0;
	char *end;
	long long n = strtoll(text, &end, 10);
	int64_t unit = !strcmp(end, "s")   ? 1000
	               : !strcmp(end, "m") ? 60 * 1000
	               : !strcmp(end, "h") ? 3600 * 1000
	               : !strcmp(end, "d") ? MS_PER_DAY
	                                   : 0;
	if (!cli_number_start(text) || n < 1 || !unit || n > 30 * MS_PER_DAY / unit) {
		err_set(&r->err, ERR_USAGE, "--%s: '%s' is not a duration", name, text);
		err_hint(&r->err, "give a whole number and a unit, s, m, h or d, from 1s to 30d: "
		                  "15m, 1h");
		return ERR_USAGE;
	}
	*ms = n * unit;
	return 0;
}

/* A test's knob of `plumb serve`, NAME=A,B: two whole numbers from 0 to max[0] and max[1];
 * unset or empty, 0 and 0 (the defaults).  A time of the queue is at most an hour (its wait
 * becomes a database's lock wait, an int of ms). */
struct knob {
	const char *name;
	const char *is_not;   /* the message: NAME: 'TEXT' is not ... */
	const char *expected; /* the detail: the shape, the bounds, an example */
	int64_t max[2];
};
#define KNOB_HOUR_MS  3600000
#define KNOB_TEXT_(n) #n
#define KNOB_TEXT(n)  KNOB_TEXT_(n)

/* For tests, as PLUMB_SYNC_BACKOFF_MS: TRIES,MS, how long a queued delivery that keeps
 * failing stays at the head (webhook_queue.h). */
static const struct knob queue_retry_knob = {
        "PLUMB_WEBHOOK_QUEUE_RETRY",
        "a count of tries and a time in ms",
        "expected TRIES,MS: the tries a whole number from 0 to 1000, the time in ms from 0 "
        "to " KNOB_TEXT(KNOB_HOUR_MS) " (an hour), such as 3,1; 0 for either's default",
        {1000, KNOB_HOUR_MS},
};
/* For tests too: WAIT_MS,EVERY_MS, the queue's timers (server.h), so that a case about the
 * queue does not wait seconds at each step. */
static const struct knob queue_times_knob = {
        "PLUMB_WEBHOOK_QUEUE_TIMES",
        "two times in ms",
        "expected WAIT_MS,EVERY_MS, each a whole number from 0 to " KNOB_TEXT(
                KNOB_HOUR_MS) " (an hour), such as 200,100",
        {KNOB_HOUR_MS, KNOB_HOUR_MS},
};

/* The knob's two numbers into out, or, for anything but two whole numbers in its bounds,
 * ERR_USAGE (exit 2) at start-up, naming the variable and what it takes: sscanf had taken
 * "3x" as 3, fallen back to the defaults on worse and overflowed silently. */
static int knob_env(struct cli_run *r, const struct knob *knob, int64_t out[2])
{
	const char *text = getenv(knob->name);
	out[0] = out[1] = 0;
	if (!text || !*text)
		return 0;
	const char *at = text;
	for (int i = 0; i < 2; i++) {
		char *end = (char *)at;
		errno = 0;
		long long n = cli_number_start(at) ? strtoll(at, &end, 10) : -1;
		if (n < 0 || n > knob->max[i] || errno || *end != (i ? '\0' : ',')) {
			err_set(&r->err, ERR_USAGE, "%s: '%.80s' is not %s", knob->name, text,
			        knob->is_not);
			err_detail(&r->err, "%s", knob->expected);
			err_hint(&r->err, "unset it for the defaults; tests alone set it");
			return ERR_USAGE;
		}
		out[i] = n;
		at = end + 1;
	}
	return 0;
}

/* --webhook-queue DIR, by default the database's path and ".webhooks" on
 * SQLite and none on PostgreSQL (whose server has no directory of plumb's);
 * --no-webhook-queue: none.  Made when first needed: checked here so a
 * typo fails now, not at the first busy delivery. */
static int queue_opt(struct cli_run *r, const char **dir)
{
	const char *given = cli_opt(r, "webhook-queue");
	if (given && cli_flag(r, "no-webhook-queue"))
		return err_set(&r->err, ERR_USAGE,
		               "--webhook-queue and --no-webhook-queue: give one of them");
	*dir = NULL;
	if (cli_flag(r, "no-webhook-queue"))
		return 0;
	*dir = given ? given : webhook_queue_default(store_url(r->ctx->store), r->ctx->arena);
	if (!*dir)
		return 0;
	int rc = webhook_queue_usable(*dir, &r->err);
	if (rc < 0) {
		struct error why = r->err;
		err_clear(&r->err); /* the first error set stands otherwise */
		err_set(&r->err, rc, "--webhook-queue: %s", why.message);
		err_detail(&r->err, "%s", why.detail);
		err_hint(&r->err, "%s%s--no-webhook-queue", why.hint,
		         why.hint[0] ? ", or " : "give ");
	}
	return rc;
}

static int cmd_serve(struct cli_run *r)
{
	int rc = ctx_op_check(r->ctx, OP_SERVE, &r->err);
	if (rc < 0)
		return rc;
	long long max_body, max_webhook_body, max_header, timeout, max_conn, threads;
	if ((rc = size_opt(r, "max-body", 1024, 1LL << 30, 16LL << 20, &max_body)) < 0 ||
	    (rc = size_opt(r, "max-webhook-body", 1024, 1LL << 30, 1LL << 20, &max_webhook_body)) <
	            0 ||
	    (rc = size_opt(r, "max-header", 1024, 1 << 20, 16 << 10, &max_header)) < 0 ||
	    (rc = size_opt(r, "timeout", 1, 3600, 30, &timeout)) < 0 ||
	    (rc = size_opt(r, "max-connections", 1, 100000, 512, &max_conn)) < 0 ||
	    (rc = size_opt(r, "threads", 1, 64, 2, &threads)) < 0)
		return rc;
	struct notify_options notify = {0};
	struct mail_smtp smtp;
	struct mail_chat chat;
	int64_t notify_every, sync_every;
	if ((rc = duration_opt(r, "notify-every", &notify_every)) < 0 ||
	    (rc = duration_opt(r, "sync-every", &sync_every)) < 0 ||
	    (rc = cli_notify_options(r, &notify, &smtp, &chat)) < 0)
		return rc;
	if (!notify_every && (notify.smtp || notify.chat))
		return err_set(&r->err, ERR_USAGE,
		               "reminder options without --notify-every: nothing would send them");
	if (notify_every && !notify.smtp && !notify.chat) {
		err_set(&r->err, ERR_USAGE, "--notify-every needs a way to send reminders");
		err_hint(&r->err, "give --smtp-url and --from, --chat-webhook-env, or both");
		return ERR_USAGE;
	}
	const char *queue = NULL;
	if ((rc = queue_opt(r, &queue)) < 0)
		return rc;
	const char *source_hosts[CLI_MAX_VALUES];
	int nsource_hosts = cli_opt_count(r, "source-host");
	for (int i = 0; i < nsource_hosts; i++) {
		source_hosts[i] = cli_opt_at(r, "source-host", i);
		if ((rc = source_host_pattern_check(source_hosts[i], &r->err)) < 0)
			return rc;
	}
	int64_t retry[2], queue_times[2];
	if ((rc = knob_env(r, &queue_retry_knob, retry)) < 0 ||
	    (rc = knob_env(r, &queue_times_knob, queue_times)) < 0)
		return rc;
	const char *log_path = cli_opt(r, "access-log");
	FILE *log = stderr;
	if (log_path && strcmp(log_path, "-") != 0) {
		log = fopen(log_path, "a");
		if (!log)
			return err_set(&r->err, ERR_IO, "cannot open access log %s", log_path);
	}
	struct ready_arg ready = {r};
	struct server_options o = {
	        .listen = cli_opt(r, "listen") ? cli_opt(r, "listen") : "127.0.0.1:8080",
	        .tls_cert = cli_opt(r, "tls-cert"),
	        .tls_key = cli_opt(r, "tls-key"),
	        .max_body = (size_t)max_body,
	        .max_webhook_body = (size_t)max_webhook_body,
	        .max_header = (size_t)max_header,
	        .timeout_s = (unsigned)timeout,
	        .max_connections = (unsigned)max_conn,
	        .threads = (unsigned)threads,
	        .access_log = cli_flag(r, "no-access-log") ? NULL : log,
	        .notify_every_ms = notify_every,
	        .notify = notify_every ? &notify : NULL,
	        .sync_every_ms = sync_every,
	        .webhook_queue = queue,
	        .webhook_queue_tries = (unsigned)retry[0],
	        .webhook_queue_retry_ms = retry[1],
	        .webhook_queue_wait_ms = queue_times[0],
	        .webhook_queue_every_ms = queue_times[1],
	        .lock_wait_ms = r->global->lock_wait_s * 1000, /* the global --lock-wait */
	        .source_hosts = source_hosts,
	        .nsource_hosts = (size_t)nsource_hosts,
	        .ready = on_ready,
	        .ready_data = &ready,
	};
	rc = server_run(r->ctx, &o, &r->err);
	if (log != stderr)
		fclose(log);
	return rc;
}

static const struct cli_opt serve_opts[] = {
        {"listen", "ADDR:PORT", OPT_VALUE,
         "where to listen (default 127.0.0.1:8080; port 0 picks a free one)"},
        {"tls-cert", "F", OPT_VALUE, "serve HTTPS with this PEM certificate (with --tls-key)"},
        {"tls-key", "F", OPT_VALUE, "the certificate's PEM private key"},
        {"max-body", "BYTES", OPT_VALUE, "largest request body (default 16 MiB), else 413"},
        {"max-webhook-body", "BYTES", OPT_VALUE,
         "largest webhook delivery, which anyone may send (default 1 MiB, at most --max-body), "
         "else 413"},
        {"max-header", "BYTES", OPT_VALUE,
         "largest request line and headers (default 16 KiB), else 431"},
        {"timeout", "SECONDS", OPT_VALUE,
         "answer 408 to a request not read whole this long after its first line (503 when it "
         "was sent but its worker was busy, or every worker was busy that long), and close "
         "idle connections (default 30)"},
        {"max-connections", "N", OPT_VALUE, "answer 503 beyond N connections (default 512)"},
        {"threads", "N", OPT_VALUE, "worker threads, one database connection each (default 2)"},
        {"access-log", "FILE", OPT_VALUE, "append the access log to FILE (default: stderr)"},
        {"no-access-log", NULL, 0, "no access log"},
        {"sync-every", "DURATION", OPT_VALUE,
         "sync every source with an API (as plumb sync) now and then every DURATION: 15m, 1h"},
        {"webhook-queue", "DIR", OPT_VALUE,
         "keep webhook deliveries here while another writer holds the database, and store them "
         "once it is free (default: the SQLite file's path and .webhooks; none on PostgreSQL)"},
        {"no-webhook-queue", NULL, 0,
         "no queue: a delivery waits for the database as long as any write, then gets 503"},
        {"source-host", "HOST", OPT_VALUE | OPT_REPEAT,
         "a host a source's --api-url or --url given over the API may name, besides "
         "api.github.com, api.pagerduty.com and *.atlassian.net: HOST, HOST:PORT or *.DOMAIN"},
        {"notify-every", "DURATION", OPT_VALUE,
         "send review reminders (as plumb notify) now and then every DURATION: 15m, 1h, 1d"},
        CLI_NOTIFY_OPTS,
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"serve", OP_SERVE, "", 0, 0, CMD_JSON, serve_opts, cmd_serve,
         "serve the JSON API, webhooks and web pages",
         "Runs until SIGTERM or SIGINT, then lets requests in flight finish. The access log "
         "names the route, status, size, time and user id, never paths, queries or secrets. "
         "With --notify-every it also runs plumb notify on that schedule and logs each run's "
         "counts to the access log; with --sync-every, plumb sync of every source, a line per "
         "source. "
         "With --json, prints {\"url\": ...} once listening."},
};

const struct cli_group cli_group_serve = {"serve", commands, sizeof commands / sizeof commands[0]};
