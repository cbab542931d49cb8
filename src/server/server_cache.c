/* server_cache: answers of GET reads kept in memory, per user and URL, while
 * the audit chain's head is where it was.
 *
 * Every change to the database appends to the audit chain in its own
 * transaction, so the head's sequence number is a version of everything a
 * read can show: an answer stored at head H is the answer again while the
 * head is H (a change of roles, a revoked token, an ingest all move it).
 * Answers that depend on the clock as well (ages, "the last 90 days") are
 * kept at most CACHE_TTL_MS.  Audited reads are never cached: each must
 * leave its entry.  The table is direct-mapped by a hash of the key (a
 * collision evicts), under one mutex; entries are reference-counted so an
 * answer being sent survives its eviction.
 */
#include <stdatomic.h>

#include "base/mem.h"
#include "server/server_int.h"

#define CACHE_SLOTS 512

struct cached {
	atomic_int refs;
	char *key;
	int64_t head, at_ms;
	char *body;
	size_t len;
	int nheaders;
	struct {
		const char *name;
		char *value;
	} headers[REPLY_MAX_HEADERS];
};

struct cache {
	pthread_mutex_t lock;
	struct cached *slots[CACHE_SLOTS];
	atomic_llong hits, misses;
};

struct cache *cache_new(void)
{
	struct cache *c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void cached_release(struct cached *e)
{
	if (!e || atomic_fetch_sub(&e->refs, 1) != 1)
		return;
	free(e->key);
	free(e->body);
	for (int i = 0; i < e->nheaders; i++)
		free(e->headers[i].value);
	free(e);
}

void cache_free(struct cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		cached_release(c->slots[i]);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static size_t slot_of(const char *key)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)(h % CACHE_SLOTS);
}

struct cached *cache_get(struct cache *c, const char *key, int64_t head, int64_t now_ms)
{
	size_t i = slot_of(key);
	pthread_mutex_lock(&c->lock);
	struct cached *e = c->slots[i];
	if (e && (e->head != head || now_ms - e->at_ms >= CACHE_TTL_MS || strcmp(e->key, key) != 0))
		e = NULL;
	if (e)
		atomic_fetch_add(&e->refs, 1);
	pthread_mutex_unlock(&c->lock);
	atomic_fetch_add(e ? &c->hits : &c->misses, 1);
	return e;
}

void cache_put(struct cache *c, const char *key, int64_t head, int64_t now_ms,
               const struct reply *r)
{
	struct cached *e = xcalloc(1, sizeof *e);
	atomic_init(&e->refs, 1);
	e->key = xstrdup(key);
	e->head = head;
	e->at_ms = now_ms;
	e->len = r->body.len;
	e->body = xmalloc(e->len + 1);
	memcpy(e->body, r->body.len ? r->body.buf : "", e->len);
	for (int i = 0; i < r->nheaders; i++) {
		e->headers[i].name = r->headers[i].name;
		e->headers[i].value = xstrdup(r->headers[i].value);
	}
	e->nheaders = r->nheaders;
	size_t i = slot_of(key);
	pthread_mutex_lock(&c->lock);
	struct cached *old = c->slots[i];
	c->slots[i] = e;
	pthread_mutex_unlock(&c->lock);
	cached_release(old);
}

void cache_counts(struct cache *c, long long *hits, long long *misses)
{
	*hits = atomic_load(&c->hits);
	*misses = atomic_load(&c->misses);
}

const char *cached_header(const struct cached *e, const char *name)
{
	for (int i = 0; i < e->nheaders; i++)
		if (strcmp(e->headers[i].name, name) == 0)
			return e->headers[i].value;
	return NULL;
}

void reply_from_cache(struct reply *r, struct cached *e)
{
	r->status = 200;
	r->type = "application/json";
	r->cached = e; /* the reply owns this reference now */
	for (int i = 0; i < e->nheaders; i++)
		reply_header(r, e->headers[i].name, "%s", e->headers[i].value);
}

void reply_not_modified_from_cache(struct reply *r, struct cached *e)
{
	r->status = 304;
	r->type = NULL;
	for (int i = 0; i < e->nheaders; i++)
		reply_header(r, e->headers[i].name, "%s", e->headers[i].value);
	cached_release(e);
}

const char *cached_body(const struct cached *e, size_t *len)
{
	*len = e->len;
	return e->body;
}
