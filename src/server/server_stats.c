/* server_stats: request counts and latency histograms for /metrics, and the
 * sign-in attempt limiter.  Both are small tables under one mutex each: a
 * few dozen routes, and failures that age out after LIMIT_WINDOW_MS. */
#include <pthread.h>

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
#define LIMIT_KEYS      4096 /* oldest entries make room beyond this */

struct limit_row {
	char key[80];
	int failures;
	int64_t first_ms;
};

struct limiter {
	pthread_mutex_t lock;
	struct limit_row *rows;
	size_t n, alloc;
};

struct limiter *limiter_new(void)
{
	struct limiter *l = xcalloc(1, sizeof *l);
	pthread_mutex_init(&l->lock, NULL);
	return l;
}

void limiter_free(struct limiter *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->lock);
	free(l->rows);
	free(l);
}

/* The row for key (made when make), with expired windows reset; lock held. */
static struct limit_row *limit_row(struct limiter *l, const char *key, int64_t now, bool make)
{
	size_t oldest = 0;
	for (size_t i = 0; i < l->n; i++) {
		struct limit_row *r = &l->rows[i];
		if (now - r->first_ms >= LIMIT_WINDOW_MS)
			r->failures = 0;
		if (strcmp(r->key, key) == 0)
			return r;
		if (r->first_ms < l->rows[oldest].first_ms)
			oldest = i;
	}
	if (!make)
		return NULL;
	struct limit_row *r;
	if (l->n == LIMIT_KEYS) {
		r = &l->rows[oldest];
	} else {
		l->rows = xgrow(l->rows, l->n, &l->alloc, sizeof *l->rows);
		r = &l->rows[l->n++];
	}
	memset(r, 0, sizeof *r);
	snprintf(r->key, sizeof r->key, "%s", key);
	r->first_ms = now;
	return r;
}

bool limiter_take(struct limiter *l, const char *const *keys, size_t n, int64_t now_ms)
{
	pthread_mutex_lock(&l->lock);
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++) {
		struct limit_row *r = limit_row(l, keys[i], now_ms, false);
		ok = !r || r->failures < LIMIT_FAILURES;
	}
	/* One row at a time: making a row may move the others. */
	for (size_t i = 0; i < n && ok; i++) {
		struct limit_row *r = limit_row(l, keys[i], now_ms, true);
		if (r->failures == 0)
			r->first_ms = now_ms;
		r->failures++;
	}
	pthread_mutex_unlock(&l->lock);
	return ok;
}

void limiter_give_back(struct limiter *l, const char *key, int64_t now_ms)
{
	pthread_mutex_lock(&l->lock);
	struct limit_row *r = limit_row(l, key, now_ms, false);
	if (r && r->failures > 0)
		r->failures--;
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
