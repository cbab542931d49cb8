/* cli_webhook: webhook deliver, which runs on a saved body exactly what the
 * server runs for a webhook POST (to replay a delivery, and for tests), and
 * webhook queue and requeue, a server's queue of deliveries that met a busy
 * database. */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/arena.h"
#include "base/fileio.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "core/ctx.h"
#include "ingest/ingest.h"
#include "ingest/webhook.h"
#include "ingest/webhook_queue.h"
#include "store/store.h"

static void print_json(struct cli_run *r, const struct webhook_result *res)
{
	struct sb buf;
	struct jw w;
	cli_json_begin(r, &buf, &w);
	jw_object_begin(&w);
	jw_kstr(&w, "source", res->source);
	jw_key(&w, "run");
	if (res->run_id)
		jw_int(&w, res->run_id);
	else
		jw_null(&w);
	jw_kbool(&w, "duplicate", res->duplicate);
	jw_kbool(&w, "ignored", res->ignored);
	jw_kstr(&w, "reason", res->reason);
	jw_kint(&w, "documents", res->documents);
	jw_kint(&w, "records", res->records);
	jw_kint(&w, "inserted", res->inserted);
	jw_kint(&w, "updated", res->updated);
	jw_kint(&w, "unchanged", res->unchanged);
	jw_kint(&w, "merged", res->merged);
	jw_kint(&w, "skipped", res->skipped);
	jw_key(&w, "services");
	jw_array_begin(&w);
	for (size_t i = 0; i < res->nservices; i++)
		jw_int(&w, res->service_ids[i]);
	jw_array_end(&w);
	jw_key(&w, "kinds");
	jw_array_begin(&w);
	for (size_t i = 0; i < res->nkinds; i++)
		jw_str(&w, res->event_kinds[i]);
	jw_array_end(&w);
	jw_object_end(&w);
	cli_json_end(r, &buf);
}

static int cmd_webhook_deliver(struct cli_run *r)
{
	const char *signature = cli_opt(r, "signature"), *env = cli_opt(r, "signature-env");
	if (signature && env)
		return err_set(&r->err, ERR_USAGE, "give --signature or --signature-env, not both");
	if (env)
		signature = getenv(env); /* unset: no header, as when the sender sends none */
	const char *delivery = cli_opt(r, "delivery");
	int rc = webhook_kind_check(r->pos[0], &r->err);
	if (rc < 0)
		return rc;
	if (delivery && !webhook_delivery_id_valid(delivery)) {
		err_set(&r->err, ERR_USAGE, "--delivery: '%.64s' is not a delivery id", delivery);
		err_detail(&r->err, "expected 1 to %d printable characters without spaces",
		           WEBHOOK_DELIVERY_MAX);
		return ERR_USAGE;
	}
	struct webhook_request req = {
	        .kind = r->pos[0],
	        .event = cli_opt(r, "event"),
	        .delivery_id = cli_opt(r, "delivery"),
	        .signature = signature,
	};
	char *body = NULL;
	rc = file_read(r->pos[1], INGEST_DOCUMENT_MAX, &body, &req.len, &r->err);
	req.body = body;
	struct webhook_result res;
	if (rc == 0)
		rc = webhook_receive(r->ctx, &req, &res, &r->err);
	free(body);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		print_json(r, &res);
		return 0;
	}
	if (res.ignored)
		fprintf(r->out, "%s: signed by %s's secret; nothing to store: %s\n", r->pos[1],
		        res.source, res.reason);
	else if (res.duplicate)
		fprintf(r->out,
		        "%s: delivery %s was received before by %s (run %" PRId64
		        "): nothing stored\n",
		        r->pos[1], req.delivery_id, res.source, res.run_id);
	else {
		fprintf(r->out, "delivered %" PRId64 " %s into %s (run %" PRId64 "): ", res.records,
		        cli_plural(res.records, "record", "records"), res.source, res.run_id);
		cli_print_outcomes(r,
		                   &(struct cli_outcomes){res.inserted, res.updated, res.unchanged,
		                                          res.merged, res.skipped, "delivery"});
		fputc('\n', r->out);
	}
	return 0;
}

static const struct cli_opt deliver_opts[] = {
        {"event", "NAME", OPT_VALUE, "the X-GitHub-Event header (github)"},
        {"delivery", "ID", OPT_VALUE,
         "the delivery id (X-GitHub-Delivery): a delivery received before stores nothing"},
        {"signature", "VALUE", OPT_VALUE,
         "the signature header's value: X-Hub-Signature-256 (github), X-PagerDuty-Signature "
         "(pagerduty) or Authorization (deploy)"},
        {"signature-env", "VAR", OPT_VALUE,
         "read that value from the environment variable VAR instead (a deploy token stays "
         "out of the command line)"},
        {NULL, NULL, 0, NULL},
};

/* --dir, else the queue plumb serve keeps by default for this database. */
static int queue_dir(struct cli_run *r, const char **dir)
{
	*dir = cli_opt(r, "dir");
	/* An empty name is no directory (its failed deliveries would be "/failed"). */
	if (*dir && !**dir) {
		err_set(&r->err, ERR_USAGE, "--dir: an empty name is not a directory");
		err_hint(&r->err,
		         "give the directory the server was given with --webhook-queue, or "
		         "leave --dir out for this database's own queue");
		return ERR_USAGE;
	}
	if (!*dir)
		*dir = webhook_queue_default(store_url(r->ctx->store), r->ctx->arena);
	if (*dir)
		return 0;
	err_set(&r->err, ERR_USAGE, "a server on PostgreSQL has no webhook queue by default");
	err_hint(&r->err, "give --dir, the directory the server was given with --webhook-queue");
	return ERR_USAGE;
}

static int cmd_webhook_queue(struct cli_run *r)
{
	const char *dir;
	struct webhook_queue_entry *e;
	size_t n;
	int rc = queue_dir(r, &dir);
	if (rc == 0)
		rc = webhook_queue_list(r->ctx, dir, &e, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			const struct webhook_queue_item *it = &e[i].item;
			char at[TS_BUF];
			jw_object_begin(&w);
			jw_kstr(&w, "file", e[i].name);
			jw_kstr(&w, "state", e[i].failed ? "failed" : "waiting");
			jw_kstr(&w, "kind", it->kind);
			jw_kstr(&w, "source", it->source);
			jw_kstr(&w, "event", it->event_name);
			jw_kstr(&w, "delivery", it->delivery_id);
			jw_kstr(&w, "received_at",
			        it->kind ? ts_format(it->received_at, at) : NULL);
			jw_key(&w, "bytes");
			if (it->kind)
				jw_int(&w, (int64_t)it->len);
			else
				jw_null(&w);
			jw_kstr(&w, "reason", e[i].reason);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"state",    "received", "source", "event",
	                                      "delivery", "bytes",    "file",   "reason"};
	struct cli_table t;
	cli_table_init(&t, headers, sizeof headers / sizeof headers[0]);
	for (size_t i = 0; i < n; i++) {
		const struct webhook_queue_item *it = &e[i].item;
		char at[TS_BUF], bytes[32];
		snprintf(bytes, sizeof bytes, "%zu", it->len);
		cli_table_add(&t, e[i].failed ? "failed" : "waiting",
		              it->kind ? ts_format(it->received_at, at) : NULL, it->source,
		              it->event_name, it->delivery_id, it->kind ? bytes : NULL, e[i].name,
		              it->kind ? e[i].reason : "does not read as a queued delivery");
	}
	if (n == 0 && !r->global->csv)
		fprintf(r->out, "the webhook queue %s holds no deliveries\n", dir);
	else
		cli_table_print(r, &t);
	cli_table_release(&t);
	return 0;
}

static int cmd_webhook_requeue(struct cli_run *r)
{
	bool all = cli_flag(r, "all");
	if (!all && r->npos == 0)
		return err_set(&r->err, ERR_USAGE,
		               "'plumb webhook requeue' needs FILE... or --all: the failed "
		               "deliveries' file names, as 'plumb webhook queue' lists them, or "
		               "every one");
	if (all && r->npos > 0)
		return err_set(&r->err, ERR_USAGE,
		               "give the failed deliveries' file names or --all, not both");
	const char *dir;
	const struct webhook_queue_entry *requeued;
	size_t moved;
	int rc = queue_dir(r, &dir);
	if (rc == 0)
		rc = webhook_queue_requeue(r->ctx, dir, r->pos, (size_t)r->npos, all, &requeued,
		                           &moved, &r->err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < moved; i++) {
		const struct webhook_queue_entry *e = &requeued[i];
		if (!e->stored_before)
			continue;
		char run[40] = "";
		if (e->stored_run)
			snprintf(run, sizeof run, ", as run %" PRId64, e->stored_run);
		cli_warn(
		        "%s: %s stored it before%s: the server will only remove it, as a duplicate",
		        e->name, e->stored_by, run);
	}
	if (moved == 0)
		fprintf(r->out, "the webhook queue %s holds no failed deliveries\n", dir);
	else
		fprintf(r->out,
		        "%zu %s back in %s; a server with this queue stores %s within a second\n",
		        moved, cli_plural((int64_t)moved, "delivery", "deliveries"), dir,
		        moved == 1 ? "it" : "them");
	return 0;
}

static const struct cli_opt queue_opts[] = {
        {"dir", "DIR", OPT_VALUE,
         "the queue's directory, as given to plumb serve --webhook-queue (default: the SQLite "
         "file's path and .webhooks)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt requeue_opts[] = {
        {"dir", "DIR", OPT_VALUE,
         "the queue's directory, as given to plumb serve --webhook-queue (default: the SQLite "
         "file's path and .webhooks)"},
        {"all", NULL, 0, "every failed delivery"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"webhook deliver", OP_WEBHOOK_RECEIVE, "KIND FILE", 2, 2, CMD_JSON, deliver_opts,
         cmd_webhook_deliver, "store a saved webhook body as if it had just been POSTed",
         "KIND is github, pagerduty or deploy; FILE the raw body.  Runs exactly what the "
         "server runs for a webhook: the signature is checked against the secret of each "
         "source of that kind (its --webhook-secret-env variable) and the source whose "
         "secret signed gets the body, ingested like 'plumb ingest' as one all-or-nothing "
         "run.  No match is exit status 3 and stores nothing; so does a body that does not "
         "parse (exit status 1), a delivery id received before (exit status 0) and what "
         "plumb does not read (exit status 0: a ping, another event, a repository or "
         "PagerDuty service the source does not read)."},
        {"webhook queue", OP_WEBHOOK_QUEUE, "", 0, 0, CMD_JSON | CMD_CSV, queue_opts,
         cmd_webhook_queue, "list the deliveries a server's webhook queue holds",
         "Deliveries plumb serve queued while another writer held the database: waiting "
         "ones, which the server stores within a second of the database being free, and "
         "failed ones (under failed/), which it could not store, with the reason."},
        {"webhook requeue", OP_WEBHOOK_REQUEUE, "[FILE...]", 0, INT32_MAX, 0, requeue_opts,
         cmd_webhook_requeue, "put failed queued webhook deliveries back to be stored",
         "FILE is a failed delivery's file name as 'plumb webhook queue' lists it; --all "
         "takes every failed one.  Each is audited (webhook.requeue) and moved back into the "
         "queue, where a server with this queue stores it within a second.  Fix what made it "
         "fail first (plumb source resume, for a source paused since)."},
};

const struct cli_group cli_group_webhook = {"webhook", commands,
                                            sizeof commands / sizeof commands[0]};
