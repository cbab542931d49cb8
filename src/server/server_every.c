/* server_every: a job `plumb serve` runs once it listens and then every
 * interval (--notify-every, --sync-every), on a thread and a ctx of its own
 * as the built-in admin.  Runs never overlap: the interval counts from the
 * end of one to the start of the next.  Shutdown wakes the thread, and a
 * run in progress is asked to stop (every_stopping) and ends at its next
 * check. */
#include <stdarg.h>
#include <time.h>

#include "base/mem.h"
#include "core/ctx.h"
#include "server/server_int.h"

struct every {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_bool stop;
	struct server *server;
	const char *name; /* the access log's prefix: "notify", "sync" */
	int64_t interval_ms;
	every_job *job;
	atomic_llong runs; /* runs finished, for /metrics and tests */
};

bool every_stopping(void *e)
{
	return atomic_load(&((struct every *)e)->stop);
}

struct server *every_server(const struct every *e)
{
	return e->server;
}

void every_log(struct every *e, const char *fmt, ...)
{
	char line[ERR_MSG_MAX * 2];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	server_log(e->server->opts, "%s: %s", e->name, line);
}

static void *every_main(void *arg)
{
	struct every *e = arg;
	struct ctx *ctx = NULL;
	struct error err = {0};
	if (server_open_ctx(e->server, &ctx, &err) < 0) {
		every_log(e, "%s", err.message);
		return NULL;
	}
	while (!atomic_load(&e->stop)) {
		e->job(e, ctx);
		atomic_fetch_add(&e->runs, 1);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += (time_t)(e->interval_ms / 1000);
		until.tv_nsec += (long)(e->interval_ms % 1000) * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(&e->lock);
		while (!atomic_load(&e->stop) &&
		       pthread_cond_timedwait(&e->wake, &e->lock, &until) == 0)
			;
		pthread_mutex_unlock(&e->lock);
	}
	ctx_close(ctx);
	return NULL;
}

struct every *every_start(struct server *s, const char *name, int64_t interval_ms, every_job *job)
{
	if (interval_ms <= 0)
		return NULL;
	struct every *e = xcalloc(1, sizeof *e);
	e->server = s;
	e->name = name;
	e->interval_ms = interval_ms;
	e->job = job;
	pthread_mutex_init(&e->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&e->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&e->thread, NULL, every_main, e) != 0)
		BUG("cannot start the %s thread", name);
	return e;
}

void every_ask_stop(struct every *e)
{
	if (!e)
		return;
	pthread_mutex_lock(&e->lock);
	atomic_store(&e->stop, true);
	pthread_cond_signal(&e->wake);
	pthread_mutex_unlock(&e->lock);
}

void every_stop(struct every *e)
{
	if (!e)
		return;
	every_ask_stop(e);
	pthread_join(e->thread, NULL);
	pthread_cond_destroy(&e->wake);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

long long every_runs(struct every *e)
{
	return e ? atomic_load(&e->runs) : 0;
}
