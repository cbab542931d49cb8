/* server_sync: `plumb serve --sync-every`: `plumb sync` of every source
 * with an API (paused ones, and those another process syncs, left out) on
 * server_every's schedule, one access-log line per source; the dashboard of
 * the teams owning what it brought is refreshed as after a webhook
 * delivery.  Asked to stop, a source not begun is left out and a run under
 * way publishes nothing, what it staged removed (the next sync reads it
 * again). */
#include <inttypes.h>

#include "core/ctx.h"
#include "ingest/sync.h"
#include "server/server_int.h"

void sync_job(struct every *e, struct ctx *ctx)
{
	struct sync_opts o = {.stop = every_stopping, .stop_data = e, .touched = true};
	struct sync_result *res = NULL;
	size_t n = 0;
	struct error err = {0};
	int rc = ctx_begin_request(ctx, NULL, &err);
	if (rc == 0)
		rc = sync_sources(ctx, &o, &res, &n, &err);
	if (rc < 0 && n == 0)
		every_log(e, "%s%s%s", err.message, err.detail[0] ? ": " : "", err.detail);
	for (size_t i = 0; i < n; i++) {
		const struct sync_result *r = &res[i];
		/* As after a webhook delivery: the dashboard of the teams owning
		 * what changed. */
		refresher_queue(every_server(e)->refresher, r->service_ids, r->nservices);
		const struct ingest_counts *k = &r->counts;
		if (r->paused_at)
			every_log(e, "%s: paused, left out", r->source);
		else if (r->skipped)
			continue; /* a deploy source: files and webhooks feed it */
		else if (r->stopped)
			every_log(e, "%s: left out (stopped for shutdown)", r->source);
		/* Another process syncs it (a long plumb sync): no failure of it,
		 * and said as one on every tick it lasted. */
		else if (r->going_on_run)
			every_log(e,
			          "%s: skipped: its sync run %" PRId64
			          " (another process's) is going on; left for the next sync",
			          r->source, r->going_on_run);
		else if (r->ok) {
			/* What plumb sync warns of, for the operator (found in the sync
			 * hunt: only the skipped repositories were logged). */
			const char **said;
			size_t nsaid = sync_warnings(r, ctx->arena, &said);
			for (size_t j = 0; j < nsaid; j++)
				every_log(e, "warning: %s", said[j]);
			every_log(e,
			          "%s: run %" PRId64 " published: %" PRId64 " records, %" PRId64
			          " inserted, %" PRId64 " updated, %" PRId64 " requests (%" PRId64
			          " not modified), %.1f s",
			          r->source, r->run_id, k->records, k->inserted, k->updated,
			          k->requests, k->not_modified, (double)r->duration_ms / 1000.0);
		} else
			every_log(e, "%s: failed: %s", r->source, r->err.message);
	}
}
