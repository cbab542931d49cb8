/* reconcile: sources, raw payloads and events against each other (see reconcile.h). */
#include "ingest/reconcile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/sb.h"
#include "base/sha256.h"
#include "core/consent.h"
#include "core/ctx.h"
#include "core/retention.h"
#include "ingest/parse.h"
#include "ingest/run.h"
#include "store/store.h"

/* Mismatches listed per check before the rest are only counted. */
#define LIST_MAX 50

struct rec {
	struct ctx *ctx;
	struct reconcile_source *cur;
	struct reconcile_mismatch *items;
	size_t n, alloc;
	int64_t listed_here;
	struct hmap raw_keys;
	struct arena *scratch;
	int64_t retention_cutoff; /* older records may have been deleted by retention */
};

static void mismatch(struct rec *r, const char *check, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void mismatch(struct rec *r, const char *check, const char *fmt, ...)
{
	r->cur->mismatches++;
	if (r->listed_here++ >= LIST_MAX)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->items = arena_grow(r->ctx->arena, r->items, r->n, &r->alloc, sizeof *r->items);
	r->items[r->n++] = (struct reconcile_mismatch){r->cur->source, check,
	                                               arena_strdup(r->ctx->arena, msg)};
}

static void key_of(struct sb *k, const char *kind, const char *id)
{
	sb_reset(k);
	sb_puts(k, kind);
	sb_putc(k, '\x1f');
	sb_puts(k, id);
}

static int collect(void *data, const struct event *ev, struct error *err)
{
	(void)err;
	struct rec *r = data;
	struct sb k = SB_INIT;
	key_of(&k, event_kind_name(ev->kind), ingest_external_id(r->scratch, ev));
	/* 0: expected in events; 2: may be gone, deleted by retention. */
	hmap_put(&r->raw_keys, k.buf, ev->occurred_at < r->retention_cutoff ? 2 : 0);
	sb_release(&k);
	return 0;
}

static int check_totals(struct rec *r, int64_t source_id, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(r->ctx->store,
	                       "SELECT d.run_id, d.resource, SUM(d.records), MAX(d.declared_total) "
	                       "FROM run_documents d JOIN ingest_runs x ON x.id = d.run_id "
	                       "WHERE x.source_id = ? AND x.status = 'published' AND x.mode = "
	                       "'sync' AND d.declared_total IS NOT NULL GROUP BY d.run_id, "
	                       "d.resource ORDER BY d.run_id, d.resource",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, source_id);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		r->cur->runs_checked++;
		int64_t got = stmt_int(st, 2), said = stmt_int(st, 3);
		if (got != said)
			mismatch(r, "totals",
			         "run %lld, %s: the API declared %lld records, its pages held %lld",
			         (long long)stmt_int(st, 0), stmt_text(st, 1), (long long)said,
			         (long long)got);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The payloads published data came from: those a published run read (its
 * documents), or an event refers to.  Not those only a run still staging
 * holds, or one that was abandoned before the next run of its source
 * removed them: nothing of theirs was meant to be in events yet.  A
 * payload's own run_id does not tell, as a later run reading the same bytes
 * reuses it.  Retention's stubs hold no body. */
static int check_raw(struct rec *r, int64_t source_id, const char *kind, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        r->ctx->store,
	        "SELECT p.id, p.format, p.origin, p.event_name, p.sha256, p.body, "
	        "(SELECT MAX(d.records) FROM run_documents d WHERE d.raw_id = p.id) "
	        "FROM raw_payloads p WHERE p.source_id = ? AND p.encoding <> 'deleted' AND "
	        "(EXISTS (SELECT 1 FROM run_documents d JOIN ingest_runs x ON x.id = d.run_id "
	        "WHERE d.raw_id = p.id AND x.status = 'published') OR EXISTS (SELECT 1 FROM "
	        "events e WHERE e.raw_id = p.id)) ORDER BY p.id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, source_id);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		int64_t id = stmt_int(st, 0);
		const char *origin = stmt_text(st, 2);
		char *data;
		size_t len;
		struct error perr = {0};
		r->cur->raw_payloads++;
		if (ingest_unpack_body(stmt_text(st, 5), &data, &len, &perr) < 0) {
			mismatch(r, "raw", "raw payload %lld (%s): %s", (long long)id, origin,
			         perr.message);
			continue;
		}
		char hex[SHA256_HEX_LEN + 1];
		sha256_hex(data, len, hex);
		if (strcmp(hex, stmt_text(st, 4)) != 0)
			mismatch(r, "raw",
			         "raw payload %lld (%s): its bytes do not match its SHA-256",
			         (long long)id, origin);
		r->scratch = arena_create();
		struct parse_input in = {
		        .source_kind = kind,
		        .format = strcmp(stmt_text(st, 1), "?") ? stmt_text(st, 1) : NULL,
		        .event_name = stmt_text(st, 3),
		        .origin = origin,
		        .data = data,
		        .len = len,
		        .arena = r->scratch,
		};
		struct parse_page page;
		if (parse_document(&in, collect, r, &page, &perr) < 0)
			mismatch(r, "raw", "raw payload %lld no longer parses: %s", (long long)id,
			         perr.message);
		else if (!stmt_is_null(st, 6) && page.records != stmt_int(st, 6))
			mismatch(r, "raw",
			         "raw payload %lld (%s) holds %lld records, %lld when read",
			         (long long)id, origin, (long long)page.records,
			         (long long)stmt_int(st, 6));
		r->cur->raw_records += page.records;
		arena_destroy(r->scratch);
		free(data);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int check_events(struct rec *r, int64_t source_id, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        r->ctx->store,
	        "SELECT kind, external_id FROM events WHERE source_id = ? ORDER BY id", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, source_id);
	struct sb k = SB_INIT;
	int64_t found = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		r->cur->events++;
		key_of(&k, stmt_text(st, 0), stmt_text(st, 1));
		int64_t seen;
		if (!hmap_get(&r->raw_keys, k.buf, &seen)) {
			mismatch(r, "normalized", "%s %s is in events but in no raw payload",
			         stmt_text(st, 0), stmt_text(st, 1));
			continue;
		}
		found++;
		hmap_put(&r->raw_keys, k.buf, 1);
	}
	stmt_reset(st);
	sb_release(&k);
	if (rc < 0)
		return rc;
	r->cur->distinct_records = (int64_t)r->raw_keys.count;
	if (found < (int64_t)r->raw_keys.count)
		for (size_t i = 0; i < r->raw_keys.cap; i++) {
			const struct hmap_slot *s = &r->raw_keys.slots[i];
			if (!s->key || s->value == 1)
				continue;
			if (s->value == 2) {
				r->cur->retained_away++;
				continue;
			}
			char *sep = strchr(s->key, '\x1f');
			char *kind = arena_strndup(r->ctx->arena, s->key, (size_t)(sep - s->key));
			bool withheld = false;
			rc = consent_withheld(r->ctx, source_id, kind, sep + 1, false, &withheld,
			                      err);
			if (rc < 0)
				return rc;
			if (withheld) {
				r->cur->withheld++;
				continue;
			}
			mismatch(r, "normalized", "%s %s is in a raw payload but not in events",
			         kind, sep + 1);
		}
	return 0;
}

struct rec_args {
	const char *source;
	struct reconcile_source **sources;
	size_t *nsources;
	struct rec *r;
};

static int body(struct ctx *ctx, void *arg, struct error *err)
{
	struct rec_args *a = arg;
	struct rec *r = a->r;
	r->n = r->alloc = 0;
	r->items = NULL;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT id, name, kind FROM sources WHERE CAST(?1 AS TEXT) IS NULL "
	                       "OR name = ?1 ORDER BY name",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, a->source);
	int64_t *ids = NULL;
	const char **kinds = NULL;
	struct reconcile_source *src = NULL;
	size_t n = 0, a1 = 0, a2 = 0, a3 = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		ids = arena_grow(ctx->arena, ids, n, &a1, sizeof *ids);
		kinds = arena_grow(ctx->arena, kinds, n, &a2, sizeof *kinds);
		src = arena_grow(ctx->arena, src, n, &a3, sizeof *src);
		ids[n] = stmt_int(st, 0);
		memset(&src[n], 0, sizeof src[n]);
		src[n].source = stmt_text_dup(st, 1, ctx->arena);
		kinds[n++] = stmt_text_dup(st, 2, ctx->arena);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	bool found = false;
	r->retention_cutoff = 0;
	rc = store_query_int(ctx->store,
	                     "SELECT CAST(value AS BIGINT) FROM meta WHERE key = "
	                     "'" RETENTION_META_EVENTS_CUTOFF "'",
	                     &r->retention_cutoff, &found, err);
	if (rc < 0)
		return rc;
	if (a->source && n == 0) {
		err_set(err, ERR_NOT_FOUND, "no source '%s'", a->source);
		err_hint(err, "'plumb source list' shows the sources");
		return ERR_NOT_FOUND;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		r->cur = &src[i];
		hmap_init(&r->raw_keys);
		r->listed_here = 0;
		rc = check_totals(r, ids[i], err);
		if (rc == 0)
			rc = check_raw(r, ids[i], kinds[i], err);
		if (rc == 0)
			rc = check_events(r, ids[i], err);
		hmap_release(&r->raw_keys);
		ctx_progress(ctx, "reconcile", (int64_t)i + 1, (int64_t)n);
	}
	*a->sources = src;
	*a->nsources = n;
	return rc;
}

int reconcile(struct ctx *ctx, const char *source, struct reconcile_source **sources,
              size_t *nsources, struct reconcile_mismatch **mismatches, size_t *nmismatches,
              struct error *err)
{
	struct rec r = {.ctx = ctx};
	struct rec_args a = {source, sources, nsources, &r};
	*sources = NULL;
	*nsources = 0;
	int rc = ctx_run(ctx, OP_RECONCILE, body, &a, err);
	*mismatches = r.items;
	*nmismatches = r.n;
	return rc;
}
