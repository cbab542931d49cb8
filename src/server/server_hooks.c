/* server_hooks: POST /webhooks/{github,pagerduty,deploy}, and the refresher
 * that brings the dashboard's values up to date after a delivery (or a
 * scheduled sync, server_sync.c).
 *
 * A delivery is checked and stored by the ingest service (webhook_receive:
 * signature first, nothing stored on any failure).  Its services go on a
 * queue; one refresher thread recomputes the four keys of the teams that
 * own them (dashboard_refresh with service ids), so values of teams the
 * delivery did not touch are not recomputed.  Deliveries arriving while a
 * refresh runs are coalesced into the next one.
 *
 * With a webhook queue, a delivery waits WEBHOOK_LOCK_WAIT_MS at most (a
 * test may shorten it: webhook_lock_wait_ms) for a writer that holds the database (a large ingest
 * publishing) and is then queued (202, "queued": true) rather than refused 503: senders time out
 * after about 10 s and GitHub does not send again.  unqueue_job stores the
 * queue's deliveries once the database is free.
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "base/jw.h"
#include "base/mem.h"
#include "base/ts.h"
#include "core/ctx.h"
#include "ingest/webhook.h"
#include "ingest/webhook_queue.h"
#include "metrics/dashboard.h"
#include "server/server_int.h"
#include "store/store.h"

struct refresher {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	bool dead;        /* no database connection: deliveries are not queued */
	int64_t *pending; /* service ids */
	size_t npending, apending;
	struct server *server;
	atomic_llong refreshed; /* refreshes done, for /metrics and tests */
};

static void *refresher_main(void *arg)
{
	struct refresher *r = arg;
	struct ctx *ctx = NULL;
	struct error err = {0};
	if (server_open_ctx(r->server, &ctx, &err) < 0) {
		server_log(r->server->opts, "refresher: %s", err.message);
		pthread_mutex_lock(&r->lock);
		r->dead = true;
		pthread_mutex_unlock(&r->lock);
		return NULL;
	}
	for (;;) {
		pthread_mutex_lock(&r->lock);
		while (!r->stop && r->npending == 0)
			pthread_cond_wait(&r->wake, &r->lock);
		if (r->stop) {
			pthread_mutex_unlock(&r->lock);
			break;
		}
		int64_t *ids = r->pending;
		size_t n = r->npending;
		r->pending = NULL;
		r->npending = r->apending = 0;
		pthread_mutex_unlock(&r->lock);

		err_clear(&err);
		/* Beyond what one refresh takes by service, every team is refreshed. */
		struct dashboard_refresh_opts o = {.service_ids =
		                                           n <= DASHBOARD_REFRESH_MAX ? ids : NULL,
		                                   .nservices = n <= DASHBOARD_REFRESH_MAX ? n : 0};
		struct dashboard_refresh_result res;
		if (ctx_begin_request(ctx, NULL, &err) < 0 ||
		    dashboard_refresh(ctx, &o, &res, &err) < 0)
			server_log(r->server->opts, "refresher: %s", err.message);
		else
			server_log(r->server->opts,
			           "refresher: %zu teams after new events of %zu services",
			           res.nteams, n);
		atomic_fetch_add(&r->refreshed, 1);
		free(ids);
	}
	ctx_close(ctx);
	return NULL;
}

struct refresher *refresher_start(struct server *s)
{
	struct refresher *r = xcalloc(1, sizeof *r);
	r->server = s;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	if (pthread_create(&r->thread, NULL, refresher_main, r) != 0)
		BUG("cannot start the refresher thread");
	return r;
}

void refresher_stop(struct refresher *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = true;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
	free(r->pending);
	free(r);
}

void refresher_queue(struct refresher *r, const int64_t *ids, size_t n)
{
	if (n == 0)
		return;
	pthread_mutex_lock(&r->lock);
	for (size_t i = 0; i < n && !r->dead; i++) {
		bool have = false;
		for (size_t k = 0; k < r->npending && !have; k++)
			have = r->pending[k] == ids[i];
		if (!have) {
			r->pending =
			        xgrow(r->pending, r->npending, &r->apending, sizeof *r->pending);
			r->pending[r->npending++] = ids[i];
		}
	}
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
}

long long refresher_count(struct refresher *r)
{
	return r ? atomic_load(&r->refreshed) : 0;
}

void webhook_handle(struct server *s, struct ctx *ctx, struct request *req, const char *kind,
                    struct reply *out)
{
	struct error err = {0};
	out->type = "application/json";
	if (strcmp(req->method, "POST") != 0) {
		err_set(&err, ERR_USAGE, "webhooks are delivered with POST");
		reply_error(out, &err);
		out->status = 405;
		reply_header(out, "Allow", "POST");
		return;
	}
	bool github = strcmp(kind, "github") == 0, pd = strcmp(kind, "pagerduty") == 0;
	/* One of each header the kind reads: libmicrohttpd would give the first
	 * copy, where a proxy or the sender's own log may read the last, and a
	 * delivery id told two ways is no id to deduplicate by (found in review). */
	static const char *const github_reads[] = {"X-GitHub-Event", "X-GitHub-Delivery",
	                                           "X-Hub-Signature-256", NULL};
	static const char *const pd_reads[] = {"X-PagerDuty-Signature", "X-Delivery-Id", NULL};
	static const char *const deploy_reads[] = {"Authorization", "X-Delivery-Id", NULL};
	for (const char *const *h = github ? github_reads : pd ? pd_reads : deploy_reads; *h; h++)
		if (request_header_count(req, *h) > 1) {
			err_set(&err, ERR_USAGE, "the delivery has more than one %s header", *h);
			err_hint(&err, "send each webhook header once");
			reply_error(out, &err);
			return;
		}
	struct webhook_request wr = {
	        .kind = kind,
	        .event = github ? request_header(req, "X-GitHub-Event") : NULL,
	        .delivery_id = github ? request_header(req, "X-GitHub-Delivery")
	                              : request_header(req, "X-Delivery-Id"),
	        .signature = github ? request_header(req, "X-Hub-Signature-256")
	                     : pd   ? request_header(req, "X-PagerDuty-Signature")
	                            : request_header(req, "Authorization"),
	        .body = req->body.buf ? req->body.buf : "",
	        .len = req->body.len,
	};
	struct webhook_result res;
	/* Deliveries are stored as the built-in admin; the entry names the source
	 * and the delivery. */
	wr.queue_dir = s->opts->webhook_queue;
	wr.queue_wait_ms = webhook_lock_wait_ms(s->opts);
	wr.turns = &s->webhook_turns;
	if (ctx_begin_request(ctx, NULL, &err) < 0 || webhook_receive(ctx, &wr, &res, &err) < 0) {
		if (err.code == ERR_UNAUTHENTICATED) {
			/* How the secrets are set up is for the operator's log, not for
			 * whoever sent an unsigned request. */
			long long left = 0;
			char more[64] = "";
			if (server_log_throttle(&s->hook_log, &left)) {
				if (left)
					snprintf(more, sizeof more,
					         " (%lld more refusals left out)", left);
				server_log(s->opts, "webhook %s refused: %s %s %s%s", kind,
				           err.message, err.detail, err.hint, more);
			}
			err.detail[0] = err.hint[0] = '\0';
		}
		reply_error(out, &err);
		return;
	}
	snprintf(req->user, sizeof req->user, "webhook:%s", res.source ? res.source : kind);
	if (!res.duplicate && !res.ignored)
		refresher_queue(s->refresher, res.service_ids, res.nservices);
	if (res.queued)
		server_log(s->opts,
		           "webhook-queue: %s: delivery %s queued until the database is free",
		           res.source, wr.delivery_id ? wr.delivery_id : "(no id)");
	out->status = res.duplicate || res.ignored ? 200 : 202;
	struct jw w;
	jw_init(&w, &out->body, false);
	jw_object_begin(&w);
	jw_kstr(&w, "source", res.source);
	jw_kbool(&w, "duplicate", res.duplicate);
	jw_kbool(&w, "ignored", res.ignored);
	jw_kbool(&w, "queued", res.queued);
	jw_kstr(&w, "reason", res.reason);
	/* Ignored, no run stored it: null, as webhook deliver --json has it. */
	jw_key(&w, "run_id");
	if (res.run_id)
		jw_int(&w, res.run_id);
	else
		jw_null(&w);
	jw_kint(&w, "inserted", res.inserted);
	jw_kint(&w, "updated", res.updated);
	jw_kint(&w, "unchanged", res.unchanged);
	jw_kint(&w, "merged", res.merged);
	jw_kint(&w, "skipped", res.skipped);
	jw_key(&w, "services");
	jw_array_begin(&w);
	for (size_t i = 0; i < res.nservices; i++)
		jw_int(&w, res.service_ids[i]);
	jw_array_end(&w);
	jw_object_end(&w);
	sb_putc(&out->body, '\n');
}

/* Log an error that may pass, unless it was the last one logged, less than
 * a minute ago: the applier meets it every second while it lasts.  The
 * minute on the monotonic clock: the system clock stepped back kept it
 * unsaid for as long. */
static void log_unless_said(struct every *e, struct server *s, const struct error *err)
{
	const struct error *said = &s->unqueue_said;
	double now = ts_mono_s();
	if (strcmp(err->message, said->message) == 0 && strcmp(err->detail, said->detail) == 0 &&
	    now - s->unqueue_said_at < 60.0)
		return;
	every_log(e, "%s%s%s; trying again every second", err->message, err->detail[0] ? ": " : "",
	          err->detail);
	s->unqueue_said = *err;
	s->unqueue_said_at = now;
}

void unqueue_job(struct every *e, struct ctx *ctx)
{
	struct server *s = every_server(e);
	/* Not the server's minute: a shutdown would wait for it.  The job's
	 * own ctx keeps it, so only the first run asks the engine. */
	struct error lerr = {0};
	if (store_set_lock_wait(ctx->store, webhook_lock_wait_ms(s->opts), &lerr) < 0) {
		every_log(e, "%s", lerr.message);
		return;
	}
	while (!every_stopping(e)) {
		struct webhook_queue_outcome o;
		struct error err = {0};
		int rc = ctx_begin_request(ctx, NULL, &err);
		if (rc == 0)
			rc = webhook_queue_apply_next(ctx, s->opts->webhook_queue,
			                              &s->unqueue_drain, &o, &err);
		if (rc == 0)
			return; /* nothing waiting */
		if (rc < 0) {
			/* Busy: the writer that held the database still does. */
			if (rc != ERR_BUSY)
				log_unless_said(e, s, &err);
			return;
		}
		err_clear(&s->unqueue_said);
		const struct webhook_queue_item *it = &o.item;
		const char *id = it->delivery_id ? it->delivery_id : "(no id)";
		double waited = (double)(ts_clock_ms() - it->received_at) / 1000.0;
		if (!o.stored) {
			atomic_fetch_add(&s->unqueue_failed, 1);
			every_log(e, "%s: delivery %s not stored: %s%s%s; kept as %s",
			          it->source ? it->source : "?", id, o.err.message,
			          o.err.detail[0] ? ": " : "", o.err.detail, o.kept);
			continue;
		}
		atomic_fetch_add(&s->unqueued, 1);
		if (o.res.duplicate) {
			every_log(e, "%s: delivery %s: a duplicate, stored before", it->source, id);
			continue;
		}
		refresher_queue(s->refresher, o.res.touched.service_ids, o.res.touched.nservices);
		const struct ingest_counts *k = &o.res.counts;
		every_log(e,
		          "%s: delivery %s stored: run %" PRId64 ", %" PRId64 " inserted, %" PRId64
		          " updated, %" PRId64 " unchanged, after %.1f s in the queue",
		          it->source, id, o.res.run_id, k->inserted, k->updated, k->unchanged,
		          waited);
	}
}
