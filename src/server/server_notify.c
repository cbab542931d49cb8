/* server_notify: `plumb serve --notify-every`: review reminders
 * (notify_run) on server_every's schedule.  A run asked to stop ends
 * before its next send (a send in flight is bounded by the mail
 * timeouts). */
#include "base/ts.h"
#include "core/ctx.h"
#include "review/notify.h"
#include "server/server_int.h"

void notify_job(struct every *e, struct ctx *ctx)
{
	struct notify_options o = *every_server(e)->opts->notify;
	o.as_of = ts_now_ms();
	o.stop = every_stopping;
	o.stop_data = e;
	struct notify_report rep = {0};
	struct error err = {0};
	int rc = ctx_begin_request(ctx, NULL, &err);
	if (rc == 0)
		rc = notify_run(ctx, &o, &rep, &err);
	if (rc == 0 || rep.failed)
		every_log(e, "%d sent, %d failed, %d skipped%s", rep.sent, rep.failed, rep.skipped,
		          rep.stopped ? " (stopped for shutdown)" : "");
	if (rc < 0)
		every_log(e, "%s%s%s", err.message, err.detail[0] ? ": " : "", err.detail);
}
