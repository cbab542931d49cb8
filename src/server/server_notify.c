/* server_notify: `plumb serve --notify-every`: one thread runs review
 * reminders (notify_run) once the server listens and then every interval,
 * on a ctx of its own as the built-in admin.  Shutdown wakes it, and a run
 * in progress stops before its next send (a send in flight is bounded by
 * the mail timeouts). */
#include <time.h>

#include "base/mem.h"
#include "base/ts.h"
#include "core/ctx.h"
#include "review/notify.h"
#include "server/server_int.h"

struct notifier {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_bool stop;
	struct server *server;
	atomic_llong runs; /* runs finished, for /metrics and tests */
};

static bool notifier_stopping(void *data)
{
	return atomic_load(&((struct notifier *)data)->stop);
}

static void notifier_log(struct notifier *n, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
static void notifier_log(struct notifier *n, const char *fmt, ...)
{
	FILE *log = n->server->opts->access_log;
	if (!log)
		return;
	char line[ERR_MSG_MAX * 2];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(log, "notify: %s\n", line); /* one call: lines of threads do not mix */
	fflush(log);
}

static void notifier_run_once(struct notifier *n, struct ctx *ctx)
{
	struct notify_options o = *n->server->opts->notify;
	o.as_of = ts_now_ms();
	o.stop = notifier_stopping;
	o.stop_data = n;
	struct notify_report rep = {0};
	struct error err = {0};
	int rc = ctx_begin_request(ctx, NULL, &err);
	if (rc == 0)
		rc = notify_run(ctx, &o, &rep, &err);
	if (rc == 0 || rep.failed)
		notifier_log(n, "%d sent, %d failed, %d skipped%s", rep.sent, rep.failed,
		             rep.skipped, rep.stopped ? " (stopped for shutdown)" : "");
	if (rc < 0)
		notifier_log(n, "%s%s%s", err.message, err.detail[0] ? ": " : "", err.detail);
	atomic_fetch_add(&n->runs, 1);
}

static void *notifier_main(void *arg)
{
	struct notifier *n = arg;
	struct ctx *ctx = NULL;
	struct error err = {0};
	if (ctx_open_sibling(n->server->main, &ctx, &err) < 0) {
		notifier_log(n, "%s", err.message);
		return NULL;
	}
	int64_t every = n->server->opts->notify_every_ms;
	while (!atomic_load(&n->stop)) {
		notifier_run_once(n, ctx);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += (time_t)(every / 1000);
		until.tv_nsec += (long)(every % 1000) * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(&n->lock);
		while (!atomic_load(&n->stop) &&
		       pthread_cond_timedwait(&n->wake, &n->lock, &until) == 0)
			;
		pthread_mutex_unlock(&n->lock);
	}
	ctx_close(ctx);
	return NULL;
}

struct notifier *notifier_start(struct server *s)
{
	if (!s->opts->notify || s->opts->notify_every_ms <= 0)
		return NULL;
	struct notifier *n = xcalloc(1, sizeof *n);
	n->server = s;
	pthread_mutex_init(&n->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&n->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&n->thread, NULL, notifier_main, n) != 0)
		BUG("cannot start the notify thread");
	return n;
}

void notifier_stop(struct notifier *n)
{
	if (!n)
		return;
	pthread_mutex_lock(&n->lock);
	atomic_store(&n->stop, true);
	pthread_cond_signal(&n->wake);
	pthread_mutex_unlock(&n->lock);
	pthread_join(n->thread, NULL);
	pthread_cond_destroy(&n->wake);
	pthread_mutex_destroy(&n->lock);
	free(n);
}

long long notifier_runs(struct notifier *n)
{
	return n ? atomic_load(&n->runs) : 0;
}
