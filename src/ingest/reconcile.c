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
#include "core/cgraph.h"
#include "core/consent.h"
#include "core/ctx.h"
#include "core/retention.h"
#include "core/sourceacl.h"
#include "ingest/parse.h"
#include "ingest/rekey.h"
#include "ingest/run.h"
#include "store/store.h"

/* Mismatches listed per check before the rest are only counted. */
#define LIST_MAX 50

/* What reconcile knows of one record key (kind and external id), packed in
 * its hmap value: flags in the low bits, and for a key events hold, the
 * raw payload the event points at (its raw_id) above them. */
enum {
	K_EVENT = 1,   /* an event has this key */
	K_RAW = 2,     /* a raw payload holds it */
	K_OLD = 4,     /* the payload read last dates it before the retention cutoff */
	K_LINEAGE = 8, /* the payload the event points at holds it */
	K_SHIFT = 4,
};

/* A pull request or work item a raw payload holds under a key no event
 * has: its identity, to find it stored under another key (rekey.h); or an
 * incident's, with the newest of its snapshots (updated_at; INT64_MAX when
 * one says none, which ingest never takes for older), to find it held by
 * another source. */
struct raw_ident {
	int64_t occurred_at, updated_at;
	const char *number, *id;
};

struct rec {
	struct ctx *ctx;
	struct reconcile_source *cur;
	int64_t source_id;
	struct reconcile_mismatch *items;
	size_t n, alloc;
	int64_t listed_here;
	struct hmap keys;       /* record key -> K_* flags and raw_id */
	struct hmap idents;     /* record key -> index in ident */
	struct hmap unreadable; /* ids of payloads that did not decode or parse */
	struct raw_ident *ident;
	size_t nident, ident_alloc;
	int64_t payload_id;     /* the payload being parsed */
	struct hmap builds;     /* "RAW_ID#NUMBER" of a Jenkins run -> index in build_key */
	const char **build_key; /* its event's external_id */
	size_t nbuild_key, build_key_alloc;
	struct sb key;
	struct arena *scratch;
	int64_t retention_cutoff; /* older records may have been deleted by retention */
	struct reconcile_reporting *reporting;
	struct pack_diff *diffs; /* the commits the packs and the events disagree on */
	size_t ndiffs, diffs_alloc;
	struct hmap diff_at;               /* event id -> index in diffs */
	struct reconcile_source no_source; /* where mismatches of no source count */
};

/* A commit the packs and the events disagree on. */
struct pack_diff {
	int64_t event_id;
	const char *message;
	bool in_events; /* else only the packs hold it, and no source can be named */
	bool reported;
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

static const char *id_text(struct sb *sb, int64_t id)
{
	sb_reset(sb);
	sb_printf(sb, "%lld", (long long)id);
	return sb->buf;
}

/* The key a Jenkins build was stored under, by payload and number: one
 * whose url names no job took the source's --job then, which `source set
 * --job` may have changed since (load_events); id, the key read now, when
 * no event of this payload holds that build. */
static const char *build_key(struct rec *r, const struct event *ev, const char *id)
{
	int64_t at;
	sb_reset(&r->key);
	sb_printf(&r->key, "%lld#%s", (long long)r->payload_id, ev->number);
	return hmap_get(&r->builds, r->key.buf, &at) ? r->build_key[at] : id;
}

/* Each record a payload holds: marked as held, and as the lineage its
 * event claims when the event points at this payload.  A pull request or
 * work item no event has keeps its identity, to be looked for under
 * another key (moved upstream). */
static int collect(void *data, const struct event *ev, struct error *err)
{
	struct rec *r = data;
	(void)err;
	const char *id = ingest_external_id(r->scratch, ev);
	if (ev->kind == EVENT_CI_RUN && ev->number && r->builds.count)
		id = build_key(r, ev, id);
	key_of(&r->key, event_kind_name(ev->kind), id);
	int64_t v = 0;
	hmap_get(&r->keys, r->key.buf, &v);
	v |= K_RAW;
	/* Whether it may be gone, deleted by retention: as the payload read last says. */
	v = ev->occurred_at < r->retention_cutoff ? v | K_OLD : v & ~(int64_t)K_OLD;
	if ((v & K_EVENT) && v >> K_SHIFT == r->payload_id)
		v |= K_LINEAGE;
	hmap_put(&r->keys, r->key.buf, v);
	bool incident = ev->kind == EVENT_INCIDENT;
	if (v & K_EVENT ||
	    (ev->kind != EVENT_PULL_REQUEST && ev->kind != EVENT_WORK_ITEM && !incident))
		return 0;
	const char *attrs_id = incident ? NULL : rekey_attrs_id(r->scratch, ev->attrs);
	if (!attrs_id && !incident)
		return 0;
	struct raw_ident ri = {ev->occurred_at, ev->has_updated ? ev->updated_at : INT64_MAX,
	                       ev->number ? arena_strdup(r->ctx->arena, ev->number) : NULL,
	                       attrs_id ? arena_strdup(r->ctx->arena, attrs_id) : NULL};
	int64_t at;
	if (hmap_get(&r->idents, r->key.buf, &at)) {
		/* An incident's newest snapshot is what newer_elsewhere compares. */
		if (incident && r->ident[at].updated_at > ri.updated_at)
			ri.updated_at = r->ident[at].updated_at;
		r->ident[at] = ri;
		return 0;
	}
	r->ident =
	        arena_grow(r->ctx->arena, r->ident, r->nident, &r->ident_alloc, sizeof *r->ident);
	r->ident[r->nident] = ri;
	hmap_put(&r->idents, r->key.buf, (int64_t)r->nident++);
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

/* Each published run's own record of what it read (ingest_runs.documents
 * and records) against the documents kept for it (run_documents), and each
 * of those documents against the raw payload it names: a payload that is
 * gone leaves no body to check, so none of the other checks would see it
 * when no event refers to it any more.  Such a payload is named once, here;
 * its events are not named again, each as in no payload.  A prometheus
 * source's runs store samples, not documents. */
static int check_documents(struct rec *r, const struct ingest_source *src, struct error *err)
{
	if (strcmp(src->kind, "prometheus") == 0)
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(
	        r->ctx->store,
	        "SELECT x.id, x.documents, x.records, (SELECT COUNT(*) FROM run_documents d WHERE "
	        "d.run_id = x.id), (SELECT COALESCE(SUM(d.records), 0) FROM run_documents d WHERE "
	        "d.run_id = x.id) FROM ingest_runs x WHERE x.source_id = ? AND x.status = "
	        "'published' ORDER BY x.id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, src->id);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		long long docs = stmt_int(st, 1), recs = stmt_int(st, 2);
		long long kept = stmt_int(st, 3), kept_recs = stmt_int(st, 4);
		if (docs != kept || recs != kept_recs)
			mismatch(
			        r, "totals",
			        "run %lld recorded %lld %s with %lld %s; the documents kept for it "
			        "are %lld with %lld %s",
			        (long long)stmt_int(st, 0), docs,
			        docs == 1 ? "document" : "documents", recs,
			        recs == 1 ? "record" : "records", kept, kept_recs,
			        kept_recs == 1 ? "record" : "records");
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	rc = store_prepare(
	        r->ctx->store,
	        "SELECT d.raw_id, MIN(d.run_id), COUNT(DISTINCT d.run_id), (SELECT COUNT(*) FROM "
	        "events e WHERE e.raw_id = d.raw_id AND e.source_id = ?1) FROM run_documents d "
	        "JOIN ingest_runs x ON x.id = d.run_id WHERE x.source_id = ?1 AND x.status = "
	        "'published' AND NOT EXISTS (SELECT 1 FROM raw_payloads p WHERE p.id = d.raw_id) "
	        "GROUP BY d.raw_id ORDER BY d.raw_id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, src->id);
	struct sb idbuf = SB_INIT;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		int64_t id = stmt_int(st, 0);
		long long more = (long long)stmt_int(st, 2) - 1, events = stmt_int(st, 3);
		char runs[64] = "", refs[64] = "";
		if (more > 0)
			snprintf(runs, sizeof runs, " (and %lld more %s)", more,
			         more == 1 ? "run" : "runs");
		if (events > 0)
			snprintf(refs, sizeof refs, " (%lld %s at it)", events,
			         events == 1 ? "event points" : "events point");
		mismatch(r, "raw", "raw payload %lld, which run %lld read%s, does not exist%s",
		         (long long)id, (long long)stmt_int(st, 1), runs, refs);
		hmap_put(&r->unreadable, id_text(&idbuf, id), 1);
	}
	stmt_reset(st);
	sb_release(&idbuf);
	return rc < 0 ? rc : 0;
}

/* The payloads published data came from: those a published run read (its
 * documents), or an event refers to.  Not those only a run still staging
 * holds, or one that was abandoned before the next run of its source
 * removed them: nothing of theirs was meant to be in events yet.  A
 * payload's own run_id does not tell, as a later run reading the same bytes
 * reuses it.  Retention's stubs hold no body.  Each is parsed as ingestion
 * parsed it, with the source's own setting (a jenkins source's job). */
static int check_raw(struct rec *r, const struct ingest_source *src, struct error *err)
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
	stmt_bind_int(st, 1, src->id);
	struct sb idbuf = SB_INIT;
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
			hmap_put(&r->unreadable, id_text(&idbuf, id), 1);
			continue;
		}
		char hex[SHA256_HEX_LEN + 1];
		sha256_hex(data, len, hex);
		if (strcmp(hex, stmt_text(st, 4)) != 0)
			mismatch(r, "raw",
			         "raw payload %lld (%s): its bytes do not match its SHA-256",
			         (long long)id, origin);
		r->scratch = arena_create();
		r->payload_id = id;
		const char *format = stmt_text(st, 1);
		if (strcmp(format, "?") == 0 || strcmp(format, PARSE_FORMAT_EMPTY) == 0)
			format = NULL; /* detected, as when it was stored */
		struct parse_input in = {
		        .source_kind = src->kind,
		        .format = format,
		        .event_name = stmt_text(st, 3),
		        .origin = origin,
		        .data = data,
		        .len = len,
		        .default_owner_key = src->job,
		        .arena = r->scratch,
		};
		struct parse_page page;
		if (parse_document(&in, collect, r, &page, &perr) < 0) {
			mismatch(r, "raw", "raw payload %lld no longer parses: %s", (long long)id,
			         perr.message);
			hmap_put(&r->unreadable, id_text(&idbuf, id), 1);
		} else if (!stmt_is_null(st, 6) && page.records != stmt_int(st, 6)) {
			mismatch(r, "raw",
			         "raw payload %lld (%s) holds %lld records, %lld when read",
			         (long long)id, origin, (long long)page.records,
			         (long long)stmt_int(st, 6));
		}
		r->cur->raw_records += page.records;
		arena_destroy(r->scratch);
		free(data);
	}
	stmt_reset(st);
	sb_release(&idbuf);
	return rc < 0 ? rc : 0;
}

/* Every event's key, and the raw payload it points at, before the payloads
 * are read (collect marks what they hold). */
static int load_events(struct rec *r, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(r->ctx->store,
	                       "SELECT kind, external_id, raw_id, CASE WHEN kind = 'ci_run' AND "
	                       "external_id = owner_key || '#' || number THEN 1 ELSE 0 END, number "
	                       "FROM events WHERE source_id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, r->source_id);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		r->cur->events++;
		int64_t raw = stmt_int(st, 2);
		key_of(&r->key, stmt_text(st, 0), stmt_text(st, 1));
		hmap_put(&r->keys, r->key.buf, raw << K_SHIFT | K_EVENT);
		if (!stmt_int(st, 3))
			continue;
		/* A Jenkins build (keyed JOB#NUMBER), by payload and number: build_key. */
		r->build_key = arena_grow(r->ctx->arena, r->build_key, r->nbuild_key,
		                          &r->build_key_alloc, sizeof *r->build_key);
		r->build_key[r->nbuild_key] = arena_strdup(r->ctx->arena, stmt_text(st, 1));
		sb_reset(&r->key);
		sb_printf(&r->key, "%lld#%s", (long long)raw, stmt_text(st, 4));
		hmap_put(&r->builds, r->key.buf, (int64_t)r->nbuild_key++);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The events whose key no payload holds, or whose raw_id points at a payload
 * that does not hold it (another source's, one that does not exist), in
 * event order.  Not a payload that did not parse (check_raw said so) or one
 * retention emptied (nothing left to tell). */
static int event_mismatches(struct rec *r, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        r->ctx->store,
	        "SELECT e.kind, e.external_id, e.raw_id, p.source_id, p.encoding, s.name FROM "
	        "events e LEFT JOIN raw_payloads p ON p.id = e.raw_id LEFT JOIN sources s ON "
	        "s.id = p.source_id WHERE e.source_id = ? ORDER BY e.id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, r->source_id);
	struct sb idbuf = SB_INIT;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		const char *kind = stmt_text(st, 0), *id = stmt_text(st, 1);
		long long raw = (long long)stmt_int(st, 2);
		int64_t v = 0;
		key_of(&r->key, kind, id);
		hmap_get(&r->keys, r->key.buf, &v);
		int64_t ignored;
		bool unreadable = hmap_get(&r->unreadable, id_text(&idbuf, raw), &ignored);
		/* Its own payload, emptied by retention while the event stays (an
		 * anonymized event does not keep it): there is nothing left to
		 * check it against, which is no mismatch (found hunting: every
		 * event anonymized by retention was reported as in no payload). */
		bool emptied = !stmt_is_null(st, 3) && stmt_int(st, 3) == r->source_id &&
		               strcmp(stmt_text(st, 4), "deleted") == 0;
		if (!(v & K_RAW)) {
			/* Its payload that did not parse was named by check_raw: one
			 * mismatch, not one more per record it held. */
			if (!unreadable && !emptied)
				mismatch(r, "normalized",
				         "%s %s is in events but in no raw payload", kind, id);
			continue;
		}
		if (v & K_LINEAGE || unreadable)
			continue;
		if (stmt_is_null(st, 3))
			mismatch(r, "lineage",
			         "%s %s points at raw payload %lld, which does not exist", kind, id,
			         raw);
		else if (stmt_int(st, 3) != r->source_id)
			mismatch(r, "lineage",
			         "%s %s points at raw payload %lld, which is source %s's", kind, id,
			         raw, stmt_text(st, 5) ? stmt_text(st, 5) : "?");
		else if (strcmp(stmt_text(st, 4), "deleted") != 0)
			mismatch(r, "lineage",
			         "%s %s points at raw payload %lld, which does not hold it", kind,
			         id, raw);
	}
	stmt_reset(st);
	sb_release(&idbuf);
	return rc < 0 ? rc : 0;
}

/* Whether a record only payloads hold moved upstream: events hold it under
 * another key (a Jira issue moved to another project, a pull request of a
 * renamed repository), found by the identity the publish matched it by. */
static int moved_upstream(struct rec *r, const char *kind, const char *key, const char *full_key,
                          bool *moved, struct error *err)
{
	*moved = false;
	int64_t at;
	if (!hmap_get(&r->idents, full_key, &at) || !r->ident[at].id)
		return 0;
	const struct raw_ident *ri = &r->ident[at];
	const char *stored;
	int rc = rekey_stored_key(r->ctx, r->source_id, kind, ri->occurred_at, ri->number, ri->id,
	                          key, &stored, err);
	*moved = rc == 0 && stored;
	return rc;
}

/* Whether another PagerDuty source holds a copy of the incident (of the same
 * creation time) newer than every snapshot of it this source's payloads
 * hold (ri): ingest keeps such snapshots out when the holder does not read
 * their service, as from before the incident moved (rekey_reassigned_tx),
 * even when this source never held it (found hunting: a page of before the
 * move, read by a source added after it, was a mismatch).  Not by the
 * holder's configuration now: that, and which source holds the incident,
 * may have changed since the snapshot was read. */
static int newer_elsewhere(struct rec *r, const char *key, const struct raw_ident *ri, bool *moved,
                           struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        r->ctx->store,
	        "SELECT 1 FROM sources o CROSS JOIN events e WHERE e.source_id = o.id AND "
	        "o.kind = 'pagerduty' AND o.id <> ?1 AND e.kind = 'incident' AND e.external_id = "
	        "?2 AND e.occurred_at = ?3 AND e.updated_at > ?4 LIMIT 1",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, r->source_id);
	stmt_bind_text(st, 2, key);
	stmt_bind_int(st, 3, ri->occurred_at);
	stmt_bind_int(st, 4, ri->updated_at);
	rc = stmt_step(st, err);
	*moved = rc == STORE_ROW;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Whether an incident only this source's payloads hold is another source's
 * event now, which was this source's before: reassigned upstream to a
 * service that source reads, it moved there as it was published
 * (rekey_reassigned_tx), an earlier version naming a run of this one; or
 * which it never held, its snapshots older than that source's copy
 * (newer_elsewhere). */
static int moved_to_source(struct rec *r, const char *kind, const char *key, const char *full_key,
                           bool *moved, struct error *err)
{
	*moved = false;
	if (strcmp(kind, "incident") != 0)
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(
	        r->ctx->store,
	        /* By the other sources' ids (CROSS JOIN: SQLite keeps that order),
	         * so each lookup is one probe of the (source_id, kind, external_id)
	         * key, not a scan of every incident (found in review). */
	        "SELECT 1 FROM sources o CROSS JOIN events e WHERE e.source_id = o.id AND "
	        "e.kind = 'incident' AND e.external_id = ?2 AND o.id <> ?1 AND EXISTS (SELECT 1 "
	        "FROM event_versions v "
	        "JOIN ingest_runs u ON u.id = v.run_id WHERE v.event_id = e.id AND "
	        "u.source_id = ?1) LIMIT 1",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, r->source_id);
	stmt_bind_text(st, 2, key);
	rc = stmt_step(st, err);
	*moved = rc == STORE_ROW;
	stmt_reset(st);
	if (rc < 0 || *moved)
		return rc < 0 ? rc : 0;
	int64_t at;
	return hmap_get(&r->idents, full_key, &at)
	               ? newer_elsewhere(r, key, &r->ident[at], moved, err)
	               : 0;
}

/* Events against what the payloads hold, both ways. */
static int check_events(struct rec *r, struct error *err)
{
	int64_t event_side = 0;
	for (size_t i = 0; i < r->keys.cap; i++) {
		const struct hmap_slot *s = &r->keys.slots[i];
		if (!s->key)
			continue;
		r->cur->distinct_records += (s->value & K_RAW) != 0;
		event_side += (s->value & K_EVENT) && !(s->value & K_LINEAGE);
	}
	int rc = event_side ? event_mismatches(r, err) : 0;
	for (size_t i = 0; i < r->keys.cap && rc == 0; i++) {
		const struct hmap_slot *s = &r->keys.slots[i];
		if (!s->key || s->value & K_EVENT)
			continue;
		if (s->value & K_OLD) {
			r->cur->retained_away++;
			continue;
		}
		char *sep = strchr(s->key, '\x1f');
		char *kind = arena_strndup(r->ctx->arena, s->key, (size_t)(sep - s->key));
		bool withheld = false, moved = false;
		rc = consent_withheld(r->ctx, r->source_id, kind, sep + 1, false, &withheld, err);
		if (rc == 0 && !withheld)
			rc = moved_upstream(r, kind, sep + 1, s->key, &moved, err);
		if (rc == 0 && !withheld && !moved)
			rc = moved_to_source(r, kind, sep + 1, s->key, &moved, err);
		if (rc < 0)
			return rc;
		if (withheld)
			r->cur->withheld++;
		else if (moved)
			r->cur->moved++;
		else
			mismatch(r, "normalized", "%s %s is in a raw payload but not in events",
			         kind, sep + 1);
	}
	return rc;
}

/* ---- reporting: the commit graph the four keys read against the events ---- */

struct by_id {
	int64_t event_id;
	size_t at;
};

static int by_id_order(const void *a, const void *b)
{
	int64_t x = ((const struct by_id *)a)->event_id, y = ((const struct by_id *)b)->event_id;
	return (x > y) - (x < y);
}

static struct by_id *by_event_id(struct arena *a, const struct cgraph *g)
{
	struct by_id *v = arena_array(a, g->ncommits + 1, sizeof *v);
	for (size_t i = 0; i < g->ncommits; i++)
		v[i] = (struct by_id){g->commits[i].event_id, i};
	qsort(v, g->ncommits, sizeof *v, by_id_order);
	return v;
}

static bool same_opt(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* What of commit i the packs p hold otherwise than the events e (commit j),
 * or NULL: everything a walk reads of it. */
static const char *commit_differs(const struct cgraph *p, size_t i, const struct cgraph *e,
                                  size_t j)
{
	const struct cgraph_commit *a = &p->commits[i], *b = &e->commits[j];
	if (strcmp(a->sha, b->sha) != 0)
		return "sha";
	if (a->author_at != b->author_at)
		return "author time";
	if (a->revert != b->revert)
		return "revert mark";
	if (p->service[i] != e->service[j])
		return "service";
	if (!same_opt(a->pr, b->pr))
		return "pull request";
	if (a->parents_n != b->parents_n)
		return "parents";
	for (uint32_t k = 0; k < a->parents_n; k++)
		if (!same_opt(p->parent_shas[a->parents_off + k],
		              e->parent_shas[b->parents_off + k]))
			return "parents";
	return NULL;
}

static void pack_diff(struct rec *r, int64_t event_id, bool in_events, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void pack_diff(struct rec *r, int64_t event_id, bool in_events, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	struct sb id = SB_INIT;
	int64_t at;
	/* One mismatch a commit, saying all that is wrong with it (a commit the
	 * packs hold twice, once otherwise than events). */
	if (hmap_get(&r->diff_at, id_text(&id, event_id), &at)) {
		struct pack_diff *d = &r->diffs[at];
		d->message = arena_printf(r->ctx->arena, "%s; %s", d->message, msg);
		d->in_events |= in_events;
	} else {
		r->diffs = arena_grow(r->ctx->arena, r->diffs, r->ndiffs, &r->diffs_alloc,
		                      sizeof *r->diffs);
		r->diffs[r->ndiffs] = (struct pack_diff){event_id, arena_strdup(r->ctx->arena, msg),
		                                         in_events, false};
		hmap_put(&r->diff_at, id.buf, (int64_t)r->ndiffs++);
	}
	sb_release(&id);
}

/* While the packs are kept, the four keys read every commit from them, not
 * from the events (core/cgraph.h): both are read whole and compared by
 * event id, before the sources claim the differences of their commits. */
static int compare_packs(struct rec *r, struct error *err)
{
	struct reconcile_reporting *rep = r->reporting;
	bool kept = false;
	int rc = cgraph_packs_complete(r->ctx->store, &kept, err);
	rep->packs = kept ? "kept" : "not kept";
	rep->commits_in_packs = -1;
	if (rc == 0 && !kept)
		rc = store_query_int(r->ctx->store,
		                     "SELECT COUNT(*) FROM events WHERE kind = 'commit'",
		                     &rep->commits_in_events, NULL, err);
	if (rc < 0 || !kept)
		return rc;
	struct arena *a = arena_create();
	struct cgraph *p = cgraph_new(a), *e = cgraph_new(a);
	rc = cgraph_load(r->ctx->store, p, 0, true, err);
	if (rc == 0)
		rc = cgraph_load(r->ctx->store, e, 0, false, err);
	if (rc < 0) {
		arena_destroy(a);
		return rc;
	}
	rep->commits_in_events = (int64_t)e->ncommits;
	if (p->packs_damaged) {
		/* What was read instead are the events: nothing left to compare. */
		rep->packs = "damaged";
		pack_diff(r, 0, false,
		          "the commit packs could not be read: the four keys read the events "
		          "instead, and keep the packs again when they next read them all");
		arena_destroy(a);
		return 0;
	}
	rep->commits_in_packs = (int64_t)p->ncommits;
	struct by_id *ps = by_event_id(a, p), *es = by_event_id(a, e);
	size_t i = 0, j = 0;
	int64_t matched = 0; /* the event id last found on both sides */
	while (i < p->ncommits || j < e->ncommits) {
		if (i > 0 && i < p->ncommits && ps[i].event_id == ps[i - 1].event_id) {
			const struct cgraph_commit *c = &p->commits[ps[i++].at];
			pack_diff(
			        r, c->event_id, c->event_id == matched,
			        "commit %s (event %lld) is held more than once in the commit packs "
			        "the four keys read",
			        c->sha, (long long)c->event_id);
		} else if (j == e->ncommits ||
		           (i < p->ncommits && ps[i].event_id < es[j].event_id)) {
			const struct cgraph_commit *c = &p->commits[ps[i++].at];
			pack_diff(
			        r, c->event_id, false,
			        "commit %s (event %lld) is in the commit packs the four keys read "
			        "but not in events",
			        c->sha, (long long)c->event_id);
		} else if (i == p->ncommits || es[j].event_id < ps[i].event_id) {
			const struct cgraph_commit *c = &e->commits[es[j++].at];
			pack_diff(r, c->event_id, true,
			          "commit %s (event %lld) is in events but not in the commit packs "
			          "the four keys read",
			          c->sha, (long long)c->event_id);
		} else {
			const char *what = commit_differs(p, ps[i].at, e, es[j].at);
			if (what)
				pack_diff(r, es[j].event_id, true,
				          "commit %s (event %lld): the commit packs the four keys "
				          "read "
				          "hold another %s than events",
				          e->commits[es[j].at].sha, (long long)es[j].event_id,
				          what);
			matched = es[j].event_id;
			i++;
			j++;
		}
	}
	arena_destroy(a);
	return 0;
}

/* The differences of this source's commits, in event order. */
static int check_reporting(struct rec *r, struct error *err)
{
	if (!r->ndiffs)
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(r->ctx->store,
	                       "SELECT id FROM events WHERE source_id = ? AND kind = 'commit' "
	                       "ORDER BY id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, r->source_id);
	struct sb idbuf = SB_INIT;
	int64_t at;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		if (!hmap_get(&r->diff_at, id_text(&idbuf, stmt_int(st, 0)), &at))
			continue;
		struct pack_diff *d = &r->diffs[at];
		if (d->in_events && !d->reported) {
			d->reported = true;
			r->reporting->mismatches++;
			mismatch(r, "reporting", "%s", d->message);
		}
	}
	stmt_reset(st);
	sb_release(&idbuf);
	return rc < 0 ? rc : 0;
}

/* What only the packs hold (or packs that could not be read) names no
 * source: listed with none, whichever sources were reconciled. */
static void unattributed(struct rec *r)
{
	r->no_source = (struct reconcile_source){0};
	r->cur = &r->no_source;
	r->listed_here = 0;
	for (size_t i = 0; i < r->ndiffs; i++)
		if (!r->diffs[i].in_events) {
			r->reporting->mismatches++;
			r->reporting->unattributed++;
			mismatch(r, "reporting", "%s", r->diffs[i].message);
		}
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
	r->ndiffs = r->diffs_alloc = 0;
	r->diffs = NULL;
	hmap_release(&r->diff_at);
	hmap_init(&r->diff_at);
	*r->reporting = (struct reconcile_reporting){0};
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT id, name, kind FROM sources WHERE CAST(?1 AS TEXT) IS NULL "
	                       "OR name = ?1 ORDER BY name",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, a->source);
	int64_t *ids = NULL;
	struct reconcile_source *src = NULL;
	size_t n = 0, a1 = 0, a3 = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		ids = arena_grow(ctx->arena, ids, n, &a1, sizeof *ids);
		src = arena_grow(ctx->arena, src, n, &a3, sizeof *src);
		ids[n] = stmt_int(st, 0);
		memset(&src[n], 0, sizeof src[n]);
		src[n].source = stmt_text_dup(st, 1, ctx->arena);
		src[n++].kind = stmt_text_dup(st, 2, ctx->arena);
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
		return sourceacl_no_source(a->source, err);
	}
	rc = compare_packs(r, err);
	for (size_t i = 0; i < n && rc == 0; i++) {
		r->cur = &src[i];
		r->source_id = ids[i];
		hmap_init(&r->keys);
		hmap_init(&r->idents);
		hmap_init(&r->unreadable);
		hmap_init(&r->builds);
		r->nident = r->ident_alloc = 0;
		r->ident = NULL;
		r->nbuild_key = r->build_key_alloc = 0;
		r->build_key = NULL;
		r->listed_here = 0;
		struct ingest_source source;
		rc = ingest_source_load_tx(ctx, src[i].source, &source, err);
		if (rc == 0)
			rc = check_totals(r, ids[i], err);
		if (rc == 0)
			rc = check_documents(r, &source, err);
		if (rc == 0)
			rc = load_events(r, err);
		if (rc == 0)
			rc = check_raw(r, &source, err);
		if (rc == 0)
			rc = check_events(r, err);
		if (rc == 0)
			rc = check_reporting(r, err);
		hmap_release(&r->keys);
		hmap_release(&r->idents);
		hmap_release(&r->unreadable);
		hmap_release(&r->builds);
		ctx_progress(ctx, "reconcile", (int64_t)i + 1, (int64_t)n);
	}
	if (rc == 0)
		unattributed(r);
	sb_release(&r->key);
	*a->sources = src;
	*a->nsources = n;
	return rc;
}

int reconcile(struct ctx *ctx, const char *source, struct reconcile_source **sources,
              size_t *nsources, struct reconcile_mismatch **mismatches, size_t *nmismatches,
              struct reconcile_reporting *reporting, struct error *err)
{
	struct rec r = {.ctx = ctx, .key = SB_INIT, .reporting = reporting};
	struct rec_args a = {source, sources, nsources, &r};
	*sources = NULL;
	*nsources = 0;
	*reporting = (struct reconcile_reporting){0};
	hmap_init(&r.diff_at);
	int rc = ctx_run(ctx, OP_RECONCILE, body, &a, err);
	hmap_release(&r.diff_at);
	*mismatches = r.items;
	*nmismatches = r.n;
	return rc;
}
