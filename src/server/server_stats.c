/* server_stats: request counts and latency histograms for /metrics, and the
 * sign-in attempt limiter.  Both are small tables under one mutex each: a
 * few dozen routes, and failures that age out after LIMIT_WINDOW_MS. */
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "base/mem.h"
#include "server/server_int.h"

static const double bucket_le[] = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5};
#define NBUCKETS (sizeof bucket_le / sizeof bucket_le[0])

struct stat_row {
	char route[64];
	int status;
	uint64_t count;
	double sum;
	uint64_t buckets[NBUCKETS];
};

struct stats {
	pthread_mutex_t lock;
	struct stat_row *rows;
	size_t n, alloc;
};

struct stats *stats_new(void)
{
	struct stats *s = xcalloc(1, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

void stats_free(struct stats *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->lock);
	free(s->rows);
	free(s);
}

void stats_observe(struct stats *s, const char *route, int status, double seconds)
{
	pthread_mutex_lock(&s->lock);
	struct stat_row *row = NULL;
	for (size_t i = 0; i < s->n && !row; i++)
		if (s->rows[i].status == status && strcmp(s->rows[i].route, route) == 0)
			row = &s->rows[i];
	if (!row) {
		s->rows = xgrow(s->rows, s->n, &s->alloc, sizeof *s->rows);
		row = &s->rows[s->n++];
		memset(row, 0, sizeof *row);
		snprintf(row->route, sizeof row->route, "%s", route);
		row->status = status;
	}
	row->count++;
	row->sum += seconds;
	for (size_t b = 0; b < NBUCKETS; b++)
		if (seconds <= bucket_le[b])
			row->buckets[b]++;
	pthread_mutex_unlock(&s->lock);
}

void stats_render(struct stats *s, struct sb *out)
{
	pthread_mutex_lock(&s->lock);
	sb_puts(out, "# HELP plumb_http_requests_total Requests by route and status.\n"
	             "# TYPE plumb_http_requests_total counter\n");
	for (size_t i = 0; i < s->n; i++)
		sb_printf(out, "plumb_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
		          s->rows[i].route, s->rows[i].status,
		          (unsigned long long)s->rows[i].count);
	sb_puts(out, "# HELP plumb_http_request_duration_seconds Time to answer, by route and "
	             "status.\n# TYPE plumb_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < s->n; i++) {
		const struct stat_row *r = &s->rows[i];
		for (size_t b = 0; b < NBUCKETS; b++)
			sb_printf(out,
			          "plumb_http_request_duration_seconds_bucket{route=\"%s\",status="
			          "\"%d\","
			          "le=\"%g\"} %llu\n",
			          r->route, r->status, bucket_le[b],
			          (unsigned long long)r->buckets[b]);
		sb_printf(
		        out,
		        "plumb_http_request_duration_seconds_bucket{route=\"%s\",status=\"%d\","
		        "le=\"+Inf\"} %llu\n"
		        "plumb_http_request_duration_seconds_sum{route=\"%s\",status=\"%d\"} %.6f\n"
		        "plumb_http_request_duration_seconds_count{route=\"%s\",status=\"%d\"} "
		        "%llu\n",
		        r->route, r->status, (unsigned long long)r->count, r->route, r->status,
		        r->sum, r->route, r->status, (unsigned long long)r->count);
	}
	pthread_mutex_unlock(&s->lock);
}

/* ---- sign-in limiter ---------------------------------------------------- */

#define LIMIT_FAILURES  5
#define LIMIT_WINDOW_MS (15LL * 60 * 1000)
#define LIMIT_KEYS      4096  /* beyond this, a row holding no lockout makes room */
#define LIMIT_KEYS_MAX  65536 /* beyond this, even the oldest lockout does (7 MB) */
#define LIMIT_WAIT_MS   10000

struct limit_row {
	char key[80];
	int failures;
	int in_flight; /* attempts let through and not yet settled */
	int64_t first_ms;
};

struct limiter {
	pthread_mutex_t lock;
	pthread_cond_t settled; /* an attempt in flight has settled */
	struct limit_row *rows;
	size_t n, alloc;
};

struct limiter *limiter_new(void)
{
	struct limiter *l = xcalloc(1, sizeof *l);
	pthread_mutex_init(&l->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&l->settled, &attr);
	pthread_condattr_destroy(&attr);
	return l;
}

void limiter_free(struct limiter *l)
{
	if (!l)
		return;
	pthread_cond_destroy(&l->settled);
	pthread_mutex_destroy(&l->lock);
	free(l->rows);
	free(l);
}

/* How readily a row makes room for another: one that counts no failure
 * first, then one that locks nothing out, a lockout last. */
static int keep_rank(const struct limit_row *r)
{
	return r->failures == 0 ? 0 : r->failures < LIMIT_FAILURES ? 1 : 2;
}

/* The row for key (made when make), with expired windows reset; lock held.
 * A row with attempts in flight is never the one that makes room, and a
 * lockout only when LIMIT_KEYS_MAX rows all hold one (found hunting: the
 * oldest row made room, so sign-ins failing under 4,096 other names, from
 * as many addresses as the limit asks, lifted an account's lockout). */
static struct limit_row *limit_row(struct limiter *l, const char *key, int64_t now, bool make)
{
	size_t best = SIZE_MAX;
	for (size_t i = 0; i < l->n; i++) {
		struct limit_row *r = &l->rows[i];
		if (now - r->first_ms >= LIMIT_WINDOW_MS)
			r->failures = 0;
		if (strcmp(r->key, key) == 0)
			return r;
		if (r->in_flight == 0 &&
		    (best == SIZE_MAX || keep_rank(r) < keep_rank(&l->rows[best]) ||
		     (keep_rank(r) == keep_rank(&l->rows[best]) &&
		      r->first_ms < l->rows[best].first_ms)))
			best = i;
	}
	if (!make)
		return NULL;
	bool room = l->n < LIMIT_KEYS ||
	            (l->n < LIMIT_KEYS_MAX && (best == SIZE_MAX || keep_rank(&l->rows[best]) == 2));
	struct limit_row *r;
	if (!room && best != SIZE_MAX) {
		r = &l->rows[best];
	} else {
		l->rows = xgrow(l->rows, l->n, &l->alloc, sizeof *l->rows);
		r = &l->rows[l->n++];
	}
	memset(r, 0, sizeof *r);
	snprintf(r->key, sizeof r->key, "%s", key);
	r->first_ms = now;
	return r;
}

/* LIMIT_GO, LIMIT_REFUSED, or LIMIT_BUSY while attempts in flight could
 * still bring a key to its limit; lock held. */
static enum limit_verdict verdict_of(struct limiter *l, const char *const *keys, size_t n,
                                     int64_t now)
{
	enum limit_verdict v = LIMIT_GO;
	for (size_t i = 0; i < n; i++) {
		const struct limit_row *r = limit_row(l, keys[i], now, false);
		if (r && r->failures >= LIMIT_FAILURES)
			return LIMIT_REFUSED;
		if (r && r->failures + r->in_flight >= LIMIT_FAILURES)
			v = LIMIT_BUSY;
	}
	return v;
}

enum limit_verdict limiter_take(struct limiter *l, const char *const *keys, size_t n,
                                int64_t now_ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += LIMIT_WAIT_MS / 1000;
	pthread_mutex_lock(&l->lock);
	enum limit_verdict v;
	/* Attempts in flight are not failures yet: wait for them to settle
	 * rather than refuse (found in review: more than five sign-ins at once
	 * from one address, behind a NAT, were refused while all were right). */
	while ((v = verdict_of(l, keys, n, now_ms)) == LIMIT_BUSY)
		if (pthread_cond_timedwait(&l->settled, &l->lock, &until) != 0)
			break;
	/* One row at a time: making a row may move the others. */
	for (size_t i = 0; i < n && v == LIMIT_GO; i++)
		limit_row(l, keys[i], now_ms, true)->in_flight++;
	pthread_mutex_unlock(&l->lock);
	return v;
}

void limiter_settle(struct limiter *l, const char *const *keys, size_t n, bool failed,
                    int64_t now_ms)
{
	pthread_mutex_lock(&l->lock);
	for (size_t i = 0; i < n; i++) {
		struct limit_row *r = limit_row(l, keys[i], now_ms, true);
		if (r->in_flight > 0)
			r->in_flight--;
		if (!failed)
			continue;
		/* Counted in the window current when it failed, not the one it began in. */
		if (r->failures == 0)
			r->first_ms = now_ms;
		r->failures++;
	}
	pthread_cond_broadcast(&l->settled);
	pthread_mutex_unlock(&l->lock);
}

void limiter_clear(struct limiter *l, const char *key)
{
	pthread_mutex_lock(&l->lock);
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->rows[i].key, key) == 0)
			l->rows[i].failures = 0;
	pthread_mutex_unlock(&l->lock);
}
