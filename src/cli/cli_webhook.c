/* cli_webhook: webhook deliver, which runs on a saved body exactly what the
 * server runs for a webhook POST (to replay a delivery, and for tests). */
#include <inttypes.h>
#include <stdlib.h>

#include "base/fileio.h"
#include "cli/cli.h"
#include "ingest/ingest.h"
#include "ingest/webhook.h"

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
	struct webhook_request req = {
	        .kind = r->pos[0],
	        .event = cli_opt(r, "event"),
	        .delivery_id = cli_opt(r, "delivery"),
	        .signature = signature,
	};
	char *body = NULL;
	int rc = file_read(r->pos[1], INGEST_DOCUMENT_MAX, &body, &req.len, &r->err);
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
};

const struct cli_group cli_group_webhook = {"webhook", commands,
                                            sizeof commands / sizeof commands[0]};
