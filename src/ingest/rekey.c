/* rekey: moved Jira issues and renamed repositories' pull requests kept as
 * one event each, matched by the id their source gives them (see rekey.h). */
#include "ingest/rekey.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "core/ctx.h"
#include "store/store.h"

/* The kinds whose key can change upstream while their id stays. */
#define REKEY_KINDS "('pull_request', 'work_item')"

/* attrs.id as text, copied to a; NULL when attrs has none. */
static const char *attrs_id(struct arena *a, const char *attrs)
{
	if (!attrs)
		return NULL;
	cJSON *doc = cJSON_Parse(attrs);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(doc, "id");
	const char *out =
	        cJSON_IsString(id) && *id->valuestring ? arena_strdup(a, id->valuestring) : NULL;
	cJSON_Delete(doc);
	return out;
}

/* Whether a stored work item without attrs.id is issue id: its url is the
 * API's self, which names the issue by id (.../rest/api/3/issue/10101). */
static bool url_names_issue(const char *url, const char *id)
{
	if (!url)
		return false;
	size_t ul = strlen(url), il = strlen(id), tail = strlen("/issue/");
	return ul > il + tail && strcmp(url + ul - il, id) == 0 &&
	       strncmp(url + ul - il - tail, "/issue/", tail) == 0;
}

/* Run sql binding ?1 to n and ?2 to text. */
static int exec_int_text(struct ctx *ctx, const char *sql, int64_t n, const char *text,
                         struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, n);
	if (text)
		stmt_bind_text(st, 2, text);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int set_staged_key(struct ctx *ctx, int64_t run_id, int64_t seq, const char *key,
                          struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "UPDATE ingest_staging SET external_id = ?3 WHERE run_id = ?1 AND "
	                       "seq = ?2",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run_id);
	stmt_bind_int(st, 2, seq);
	stmt_bind_text(st, 3, key);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Old keys of pull requests and the keys they became, for the parent_id
 * of their reviews and commits.  A temporary table of the connection,
 * emptied before the transaction ends (so a rollback empties it too). */
static const char *const sql_map_table =
        "CREATE TEMP TABLE IF NOT EXISTS rekey_map (old_key TEXT PRIMARY KEY, new_key TEXT "
        "NOT NULL)";

static int map_add(struct ctx *ctx, const char *old_key, const char *new_key, struct error *err)
{
	struct store_stmt *st;
	/* A key mapped twice in one step keeps its first target. */
	int rc = store_prepare(ctx->store,
	                       "INSERT INTO rekey_map(old_key, new_key) VALUES (?1, ?2) "
	                       "ON CONFLICT (old_key) DO NOTHING",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, old_key);
	stmt_bind_text(st, 2, new_key);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Point parent_id at the new keys: the run's staged rows, and with
 * source_id >= 0 the source's stored events too; then empty the map. */
static int map_apply(struct ctx *ctx, int64_t run_id, int64_t source_id, struct error *err)
{
	int rc = exec_int_text(ctx,
	                       "UPDATE ingest_staging SET parent_id = (SELECT m.new_key FROM "
	                       "rekey_map m WHERE m.old_key = ingest_staging.parent_id) WHERE "
	                       "run_id = ?1 AND parent_id IN (SELECT old_key FROM rekey_map)",
	                       run_id, NULL, err);
	if (rc == 0 && source_id >= 0)
		rc = exec_int_text(
		        ctx,
		        "UPDATE events SET parent_id = (SELECT m.new_key FROM rekey_map m "
		        "WHERE m.old_key = events.parent_id) WHERE source_id = ?1 AND "
		        "parent_id IN (SELECT old_key FROM rekey_map)",
		        source_id, NULL, err);
	return rc < 0 ? rc : store_exec(ctx->store, "DELETE FROM rekey_map", err);
}

/* ---- within the run -------------------------------------------------------- */

struct staged {
	int64_t seq;
	const char *kind, *key, *id;
	int64_t occurred_at;
};

/* rows[0..n) share kind and creation time, oldest snapshot first: each id
 * seen under more than one key gets the key of its newest snapshot. */
static int fold_group(struct ctx *ctx, int64_t run_id, const struct staged *rows, size_t n,
                      bool *mapped, struct error *err)
{
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!rows[i].id)
			continue;
		size_t newest = i;
		bool first = true;
		for (size_t j = 0; j < n; j++)
			if (rows[j].id && strcmp(rows[j].id, rows[i].id) == 0) {
				first = first && j >= i;
				newest = j;
			}
		if (!first) /* the id was handled at its first row */
			continue;
		const char *target = rows[newest].key;
		for (size_t j = i; j < n && rc == 0; j++) {
			if (!rows[j].id || strcmp(rows[j].id, rows[i].id) != 0 ||
			    strcmp(rows[j].key, target) == 0)
				continue;
			rc = set_staged_key(ctx, run_id, rows[j].seq, target, err);
			if (rc == 0 && strcmp(rows[j].kind, "pull_request") == 0) {
				rc = map_add(ctx, rows[j].key, target, err);
				*mapped = true;
			}
		}
	}
	return rc;
}

/* Whether the run stages one creation time of a kind under several keys
 * (a cheap pass; usually none, and then nothing more is read). */
static int staged_groups(struct ctx *ctx, int64_t run_id, bool *any, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT 1 FROM ingest_staging WHERE run_id = ?1 AND kind IN " REKEY_KINDS
	        " AND attrs IS NOT NULL GROUP BY kind, occurred_at "
	        "HAVING COUNT(DISTINCT external_id) > 1 LIMIT 1",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run_id);
	rc = stmt_step(st, err);
	*any = rc == STORE_ROW;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int rekey_staged_tx(struct ctx *ctx, int64_t run_id, struct error *err)
{
	bool any;
	int rc = staged_groups(ctx, run_id, &any, err);
	if (rc < 0 || !any)
		return rc;
	struct store_stmt *st;
	rc = store_prepare(
	        ctx->store,
	        "SELECT s.seq, s.kind, s.occurred_at, s.external_id, s.attrs FROM ingest_staging "
	        "s JOIN (SELECT kind, occurred_at FROM ingest_staging WHERE run_id = ?1 AND "
	        "kind IN " REKEY_KINDS " AND attrs IS NOT NULL GROUP BY kind, occurred_at HAVING "
	        "COUNT(DISTINCT external_id) > 1) g ON g.kind = s.kind AND g.occurred_at = "
	        "s.occurred_at WHERE s.run_id = ?1 AND s.attrs IS NOT NULL ORDER BY s.kind, "
	        "s.occurred_at, CASE WHEN s.updated_at IS NULL THEN 0 ELSE 1 END, s.updated_at, "
	        "s.seq",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run_id);
	struct staged *rows = NULL;
	size_t n = 0, alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		rows = arena_grow(ctx->arena, rows, n, &alloc, sizeof *rows);
		rows[n++] = (struct staged){
		        .seq = stmt_int(st, 0),
		        .kind = stmt_text_dup(st, 1, ctx->arena),
		        .occurred_at = stmt_int(st, 2),
		        .key = stmt_text_dup(st, 3, ctx->arena),
		        .id = attrs_id(ctx->arena, stmt_text(st, 4)),
		};
	}
	stmt_reset(st);
	if (rc < 0 || n == 0)
		return rc < 0 ? rc : 0;
	rc = store_exec(ctx->store, sql_map_table, err);
	bool mapped = false;
	for (size_t i = 0, j; i < n && rc == 0; i = j) {
		for (j = i + 1; j < n && rows[j].occurred_at == rows[i].occurred_at &&
		                strcmp(rows[j].kind, rows[i].kind) == 0;
		     j++)
			;
		rc = fold_group(ctx, run_id, rows + i, j - i, &mapped, err);
	}
	return rc == 0 && mapped ? map_apply(ctx, run_id, -1, err) : rc;
}

/* ---- against the stored events --------------------------------------------- */

/* A staged row and the stored event it was found to be. */
struct rekey {
	int64_t seq, event;
	const char *kind, *staged_key, *stored_key;
	bool stored_moves; /* the stored event takes the staged key (else the reverse) */
};

static int has_candidates(struct ctx *ctx, int64_t source_id, bool *any, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT 1 FROM events WHERE source_id = ?1 AND kind IN " REKEY_KINDS
	                       " LIMIT 1",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, source_id);
	rc = stmt_step(st, err);
	*any = rc == STORE_ROW;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Each staged row whose key is not stored, paired with the stored events
 * of its kind and creation time under another key (the most recently
 * changed first), confirmed by id; each side pairs at most once. */
static int find_rekeys(struct ctx *ctx, int64_t run_id, int64_t source_id, struct rekey **out,
                       size_t *count, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT s.seq, s.kind, s.external_id, s.attrs, s.updated_at, e.id, e.external_id, "
	        "e.attrs, e.url, e.updated_at FROM ingest_staging s JOIN events e ON e.kind = "
	        "s.kind AND e.occurred_at = s.occurred_at AND e.source_id = ?2 AND e.external_id "
	        "<> s.external_id WHERE s.run_id = ?1 AND s.kind IN " REKEY_KINDS
	        " AND s.attrs IS NOT NULL AND (s.kind <> 'pull_request' OR e.number = s.number) "
	        "AND NOT EXISTS (SELECT 1 FROM events x WHERE x.source_id = ?2 AND x.kind = "
	        "s.kind AND x.external_id = s.external_id) ORDER BY s.seq, CASE WHEN "
	        "e.updated_at IS NULL THEN 1 ELSE 0 END, e.updated_at DESC, e.id DESC",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run_id);
	stmt_bind_int(st, 2, source_id);
	struct hmap used;
	hmap_init(&used);
	size_t alloc = 0;
	int64_t last_seq = -1;
	const char *sid = NULL;
	*out = NULL;
	*count = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		int64_t seq = stmt_int(st, 0), event = stmt_int(st, 5);
		if (seq != last_seq) {
			last_seq = seq;
			sid = attrs_id(ctx->arena, stmt_text(st, 3));
		} else if (*count && (*out)[*count - 1].seq == seq) {
			continue; /* paired already */
		}
		char ekey[24];
		snprintf(ekey, sizeof ekey, "%lld", (long long)event);
		if (!sid || hmap_get(&used, ekey, NULL))
			continue;
		const char *eid = attrs_id(ctx->arena, stmt_text(st, 7));
		bool work_item = strcmp(stmt_text(st, 1), "work_item") == 0;
		bool same = eid ? strcmp(eid, sid) == 0
		                : work_item && url_names_issue(stmt_text(st, 8), sid);
		if (!same)
			continue;
		hmap_put(&used, ekey, 1);
		*out = arena_grow(ctx->arena, *out, *count, &alloc, sizeof **out);
		(*out)[(*count)++] = (struct rekey){
		        .seq = seq,
		        .event = event,
		        .kind = stmt_text_dup(st, 1, ctx->arena),
		        .staged_key = stmt_text_dup(st, 2, ctx->arena),
		        .stored_key = stmt_text_dup(st, 6, ctx->arena),
		        /* As the upsert decides: a snapshot not older than the
		         * stored one (or either without updated_at) applies. */
		        .stored_moves = stmt_is_null(st, 4) || stmt_is_null(st, 9) ||
		                        stmt_int(st, 4) >= stmt_int(st, 9),
		};
	}
	stmt_reset(st);
	hmap_release(&used);
	return rc < 0 ? rc : 0;
}

/* Whether the run stages a row of kind under key. */
static int staged_has(struct ctx *ctx, int64_t run_id, const char *kind, const char *key, bool *has,
                      struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT 1 FROM ingest_staging WHERE run_id = ?1 AND kind = ?2 AND "
	                       "external_id = ?3",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run_id);
	stmt_bind_text(st, 2, kind);
	stmt_bind_text(st, 3, key);
	rc = stmt_step(st, err);
	*has = rc == STORE_ROW;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int rekey_stored_tx(struct ctx *ctx, int64_t run_id, int64_t source_id, int64_t *moved,
                    struct error *err)
{
	*moved = 0;
	bool any;
	int rc = has_candidates(ctx, source_id, &any, err);
	if (rc < 0 || !any) /* a source's first run: nothing stored to match */
		return rc;
	struct rekey *rk;
	size_t n;
	if ((rc = find_rekeys(ctx, run_id, source_id, &rk, &n, err)) < 0 || n == 0)
		return rc;
	rc = store_exec(ctx->store, sql_map_table, err);
	bool mapped = false;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct rekey *r = &rk[i];
		const char *from = r->stored_moves ? r->stored_key : r->staged_key;
		const char *to = r->stored_moves ? r->staged_key : r->stored_key;
		if (r->stored_moves) {
			/* Not stored (find_rekeys), and staged once: the key is free. */
			rc = exec_int_text(ctx, "UPDATE events SET external_id = ?2 WHERE id = ?1",
			                   r->event, to, err);
			*moved += rc == 0;
		} else {
			/* A stale snapshot under its old key joins the stored event,
			 * unless the run stages that key already (another record). */
			bool taken;
			rc = staged_has(ctx, run_id, r->kind, to, &taken, err);
			if (rc < 0 || taken)
				continue;
			rc = set_staged_key(ctx, run_id, r->seq, to, err);
		}
		if (rc == 0 && strcmp(r->kind, "pull_request") == 0) {
			rc = map_add(ctx, from, to, err);
			mapped = true;
		}
	}
	return rc == 0 && mapped ? map_apply(ctx, run_id, source_id, err) : rc;
}
