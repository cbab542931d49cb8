/* rekey: moved Jira issues, renamed repositories' pull requests and PagerDuty
 * incidents reassigned to another source's service kept as
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

const char *rekey_attrs_id(struct arena *a, const char *attrs)
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
	/* next[j]: the next row with rows[j]'s id (n: none); an id's rows are
	 * walked from its first, so the group costs O(n), not O(n^2). */
	size_t *next = arena_alloc_raw(ctx->arena, (n ? n : 1) * sizeof *next);
	struct hmap later;
	hmap_init(&later);
	for (size_t j = n; j-- > 0;) {
		next[j] = n;
		if (!rows[j].id)
			continue;
		int64_t k;
		if (hmap_get(&later, rows[j].id, &k))
			next[j] = (size_t)k;
		hmap_put(&later, rows[j].id, (int64_t)j);
	}
	/* later now maps each id to its first row */
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		int64_t first;
		if (!rows[i].id || !hmap_get(&later, rows[i].id, &first) || (size_t)first != i)
			continue;
		size_t newest = i;
		for (size_t j = next[i]; j < n; j = next[j])
			newest = j;
		const char *target = rows[newest].key;
		for (size_t j = i; j < n && rc == 0; j = next[j]) {
			if (strcmp(rows[j].key, target) == 0)
				continue;
			rc = set_staged_key(ctx, run_id, rows[j].seq, target, err);
			if (rc == 0 && strcmp(rows[j].kind, "pull_request") == 0) {
				rc = map_add(ctx, rows[j].key, target, err);
				*mapped = true;
			}
		}
	}
	hmap_release(&later);
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
		        .id = rekey_attrs_id(ctx->arena, stmt_text(st, 4)),
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

/* A work item an earlier plumb stored has no attrs.id: its url is the API's
 * self, which names the issue by id (.../rest/api/3/issue/10101).  Any text
 * that follows an "/issue/" something precedes is an id it may name: the
 * first such after prev (NULL: from the start), or NULL. */
static const char *url_issue_id(const char *url, const char *prev)
{
	const char *from = prev ? prev - strlen("/issue/") + 1 : url;
	for (const char *p = strstr(from, "/issue/"); p; p = strstr(p + 1, "/issue/"))
		if (p > url && p[strlen("/issue/")])
			return p + strlen("/issue/");
	return NULL;
}

int rekey_stored_key(struct ctx *ctx, int64_t source_id, const char *kind, int64_t occurred_at,
                     const char *number, const char *id, const char *key, const char **stored_key,
                     struct error *err)
{
	*stored_key = NULL;
	bool pull = strcmp(kind, "pull_request") == 0;
	if (!id || (pull && !number))
		return 0; /* nothing to match by */
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT external_id, attrs, url, number FROM events WHERE "
	                       "source_id = ?1 AND kind = ?2 AND occurred_at = ?3 AND "
	                       "external_id <> ?4 ORDER BY id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, source_id);
	stmt_bind_text(st, 2, kind);
	stmt_bind_int(st, 3, occurred_at);
	stmt_bind_text(st, 4, key);
	while (!*stored_key && (rc = stmt_step(st, err)) == STORE_ROW) {
		const char *stored_number = stmt_text(st, 3), *url = stmt_text(st, 2);
		if (pull && (!stored_number || strcmp(stored_number, number) != 0))
			continue;
		const char *stored_id = rekey_attrs_id(ctx->arena, stmt_text(st, 1));
		bool same = stored_id && strcmp(stored_id, id) == 0;
		for (const char *p = !stored_id && !pull && url ? url_issue_id(url, NULL) : NULL;
		     p && !same; p = url_issue_id(url, p))
			same = strcmp(p, id) == 0;
		if (same)
			*stored_key = stmt_text_dup(st, 0, ctx->arena);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

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

/* A staged row whose key is not stored, waiting for a stored event of its
 * kind, creation time and id (and number, for a pull request). */
struct waiting {
	int64_t seq;
	const char *kind, *key;
	bool has_updated;
	int64_t updated_at;
	size_t next;   /* the next row of its group, in seq order; NO_ROW ends */
	int64_t event; /* the stored event paired with it, or -1 */
	const char *stored_key;
	bool stored_moves;
};

/* The rows that share one match key, in seq order: first is the earliest
 * not yet paired (a group's rows pair in seq order). */
struct match_group {
	size_t first, last;
};

#define NO_ROW ((size_t)-1)

/* What a staged row and a stored event must share to be one record: kind,
 * creation time, id, and a pull request's number.  Kind and time contain no
 * separator, so the key is unambiguous whatever the id holds. */
static const char *match_key(struct arena *a, const char *kind, int64_t occurred_at,
                             const char *number, const char *id)
{
	return arena_printf(a, "%s\x1f%lld\x1f%s\x1f%s", kind, (long long)occurred_at,
	                    number ? number : "", id);
}

struct matcher {
	struct waiting *rows;
	size_t n;
	struct match_group *groups;
	size_t ngroups;
	struct hmap by_key; /* match key -> index in groups */
};

/* The staged rows that can take a stored event's key or give it theirs:
 * a pull request or work item with an id, whose key no stored event of its
 * kind has, and some stored event of its kind shares its creation time.
 * Read once, in seq order, each attrs parsed once, grouped by match key. */
static int read_waiting(struct ctx *ctx, int64_t run_id, int64_t source_id, struct matcher *m,
                        struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT s.seq, s.kind, s.occurred_at, s.external_id, s.attrs, s.updated_at, "
	        "s.number FROM ingest_staging s WHERE s.run_id = ?1 AND s.kind IN " REKEY_KINDS
	        " AND s.attrs IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events x WHERE "
	        "x.source_id = ?2 AND x.kind = s.kind AND x.external_id = s.external_id) AND "
	        "EXISTS (SELECT 1 FROM events e WHERE e.source_id = ?2 AND e.kind = s.kind AND "
	        "e.occurred_at = s.occurred_at) ORDER BY s.seq",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run_id);
	stmt_bind_int(st, 2, source_id);
	size_t alloc = 0, galloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		const char *id = rekey_attrs_id(ctx->arena, stmt_text(st, 4));
		const char *kind = stmt_text(st, 1);
		bool pull = strcmp(kind, "pull_request") == 0;
		if (!id || (pull && stmt_is_null(st, 6)))
			continue; /* nothing to match by (a null number equals none) */
		m->rows = arena_grow(ctx->arena, m->rows, m->n, &alloc, sizeof *m->rows);
		struct waiting *w = &m->rows[m->n];
		*w = (struct waiting){
		        .seq = stmt_int(st, 0),
		        .kind = stmt_text_dup(st, 1, ctx->arena),
		        .key = stmt_text_dup(st, 3, ctx->arena),
		        .has_updated = !stmt_is_null(st, 5),
		        .updated_at = stmt_int(st, 5),
		        .next = NO_ROW,
		        .event = -1,
		};
		const char *key = match_key(ctx->arena, w->kind, stmt_int(st, 2),
		                            pull ? stmt_text(st, 6) : NULL, id);
		int64_t g;
		if (hmap_get(&m->by_key, key, &g)) {
			m->rows[m->groups[g].last].next = m->n;
			m->groups[g].last = m->n;
		} else {
			m->groups = arena_grow(ctx->arena, m->groups, m->ngroups, &galloc,
			                       sizeof *m->groups);
			m->groups[m->ngroups] = (struct match_group){m->n, m->n};
			hmap_put(&m->by_key, key, (int64_t)m->ngroups++);
		}
		m->n++;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The group of key whose earliest unpaired row comes before *best's. */
static void earlier_in(const struct matcher *m, const char *key, struct match_group **best)
{
	int64_t g;
	if (!hmap_get(&m->by_key, key, &g) || m->groups[g].first == NO_ROW)
		return;
	if (!*best || m->rows[m->groups[g].first].seq < m->rows[(*best)->first].seq)
		*best = &m->groups[g];
}

/* Each staged row whose key is not stored, paired with the stored events
 * of its kind and creation time under another key (the most recently
 * changed first), confirmed by id; each side pairs at most once.
 *
 * Linear in the rows read (plus the sort): the waiting rows are hashed by
 * match key, and each stored event sharing a kind and creation time with
 * one of them is read once, most recently changed first, and takes the
 * earliest staged row still waiting under its key.  Both orders being
 * total, this is the pairing that lets each staged row, in seq order, take
 * the most recently changed stored event left.  A stored key differs from
 * the staged one: that one is stored under no event of the kind. */
static int find_rekeys(struct ctx *ctx, int64_t run_id, int64_t source_id, struct rekey **out,
                       size_t *count, struct error *err)
{
	struct matcher m = {0};
	hmap_init(&m.by_key);
	*out = NULL;
	*count = 0;
	int rc = read_waiting(ctx, run_id, source_id, &m, err);
	struct store_stmt *st = NULL;
	if (rc == 0 && m.n > 0)
		rc = store_prepare(
		        ctx->store,
		        "SELECT e.id, e.kind, e.occurred_at, e.external_id, e.attrs, e.url, "
		        "e.updated_at, e.number FROM events e JOIN (SELECT DISTINCT s.kind, "
		        "s.occurred_at FROM ingest_staging s WHERE s.run_id = ?1 AND s.kind "
		        "IN " REKEY_KINDS
		        " AND s.attrs IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events x WHERE "
		        "x.source_id = ?2 AND x.kind = s.kind AND x.external_id = s.external_id)) "
		        "g "
		        "ON e.kind = g.kind AND e.occurred_at = g.occurred_at WHERE e.source_id = "
		        "?2 "
		        "ORDER BY CASE WHEN e.updated_at IS NULL THEN 1 ELSE 0 END, e.updated_at "
		        "DESC, "
		        "e.id DESC",
		        &st, err);
	if (rc < 0 || !st) {
		hmap_release(&m.by_key);
		return rc;
	}
	stmt_bind_int(st, 1, run_id);
	stmt_bind_int(st, 2, source_id);
	size_t paired = 0;
	while (paired < m.n && (rc = stmt_step(st, err)) == STORE_ROW) {
		const char *kind = stmt_text(st, 1), *number = stmt_text(st, 7);
		bool pull = strcmp(kind, "pull_request") == 0;
		if (pull && !number)
			continue;
		int64_t at = stmt_int(st, 2);
		const char *id = rekey_attrs_id(ctx->arena, stmt_text(st, 4)),
		           *url = stmt_text(st, 5);
		struct match_group *best = NULL;
		if (id) {
			earlier_in(&m, match_key(ctx->arena, kind, at, pull ? number : NULL, id),
			           &best);
		} else if (!pull && url) {
			for (const char *p = url_issue_id(url, NULL); p; p = url_issue_id(url, p))
				earlier_in(&m, match_key(ctx->arena, kind, at, NULL, p), &best);
		}
		if (!best)
			continue;
		struct waiting *w = &m.rows[best->first];
		best->first = w->next;
		w->event = stmt_int(st, 0);
		w->stored_key = stmt_text_dup(st, 3, ctx->arena);
		/* As the upsert decides: a snapshot not older than the stored one
		 * (or either without updated_at) applies. */
		w->stored_moves =
		        !w->has_updated || stmt_is_null(st, 6) || w->updated_at >= stmt_int(st, 6);
		paired++;
	}
	stmt_reset(st);
	hmap_release(&m.by_key);
	if (rc < 0)
		return rc;
	size_t alloc = 0;
	for (size_t i = 0; i < m.n; i++) {
		const struct waiting *w = &m.rows[i];
		if (w->event < 0)
			continue;
		*out = arena_grow(ctx->arena, *out, *count, &alloc, sizeof **out);
		(*out)[(*count)++] = (struct rekey){
		        .seq = w->seq,
		        .event = w->event,
		        .kind = w->kind,
		        .staged_key = w->key,
		        .stored_key = w->stored_key,
		        .stored_moves = w->stored_moves,
		};
	}
	return 0;
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

/* ---- parents named by an old key ------------------------------------------- */

/* The run's reviews whose pull request neither the run stages nor the
 * source stores under the key they name (?1 the run, ?2 the source). */
#define ORPHAN_REVIEWS                                                                             \
	"FROM ingest_staging s WHERE s.run_id = ?1 AND s.kind = 'review' AND s.parent_id IS NOT "  \
	"NULL AND NOT EXISTS (SELECT 1 FROM ingest_staging p WHERE p.run_id = ?1 AND p.kind = "    \
	"'pull_request' AND p.external_id = s.parent_id) AND NOT EXISTS (SELECT 1 FROM events e "  \
	"WHERE e.source_id = ?2 AND e.kind = 'pull_request' AND e.external_id = s.parent_id)"

static int run_source_sql(struct ctx *ctx, const char *sql, int64_t run_id, int64_t source_id,
                          bool *row, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run_id);
	stmt_bind_int(st, 2, source_id);
	rc = stmt_step(st, err);
	if (row)
		*row = rc == STORE_ROW;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int rekey_parents_tx(struct ctx *ctx, int64_t run_id, int64_t source_id, struct error *err)
{
	bool any;
	int rc = run_source_sql(ctx, "SELECT 1 " ORPHAN_REVIEWS " LIMIT 1", run_id, source_id, &any,
	                        err);
	if (rc < 0 || !any)
		return rc;
	rc = store_exec(ctx->store, sql_map_table, err);
	/* An old key that versions of two pull requests had names neither. */
	if (rc == 0)
		rc = run_source_sql(
		        ctx,
		        "INSERT INTO rekey_map(old_key, new_key) SELECT v.owner_key || '#' || "
		        "v.number, MIN(e.external_id) FROM events e JOIN event_versions v ON "
		        "v.event_id = e.id WHERE e.source_id = ?2 AND e.kind = 'pull_request' AND "
		        "v.owner_key || '#' || v.number IN (SELECT s.parent_id " ORPHAN_REVIEWS
		        ") GROUP BY v.owner_key || '#' || v.number HAVING COUNT(DISTINCT "
		        "e.external_id) = 1",
		        run_id, source_id, NULL, err);
	return rc < 0 ? rc : map_apply(ctx, run_id, -1, err);
}

/* ---- incidents reassigned to another source's service ---------------------- */

/* Whether a PagerDuty source's config (JSON text) reads service: every
 * service without a --service list, else those it lists. */
static bool pd_reads_service(const char *config, const char *service)
{
	cJSON *doc = cJSON_Parse(config ? config : "{}");
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "services");
	bool reads = cJSON_GetArraySize(list) == 0;
	const cJSON *item;
	cJSON_ArrayForEach(item, list)
	{
		if (!reads && cJSON_IsString(item) && service &&
		    !strcmp(item->valuestring, service))
			reads = true;
	}
	cJSON_Delete(doc);
	return reads;
}

/* A staged incident whose key source_id does not store, and the copy another
 * PagerDuty source holds (same id and creation time). */
struct held_elsewhere {
	int64_t seq, event;
	const char *service, *holder_config;
	bool staged_older;
};

int rekey_reassigned_tx(struct ctx *ctx, int64_t run_id, int64_t source_id, int64_t *moved,
                        struct error *err)
{
	*moved = 0;
	struct store_stmt *st;
	/* Newest copy first, so a staged row pairs with it when two are held. */
	int rc = store_prepare(
	        ctx->store,
	        "SELECT s.seq, e.id, s.owner_key, h.config, CASE WHEN s.updated_at < e.updated_at "
	        "THEN 1 ELSE 0 END FROM ingest_staging s JOIN events e ON e.kind = 'incident' AND "
	        "e.occurred_at = s.occurred_at AND e.external_id = s.external_id AND e.source_id "
	        "<> "
	        "?2 JOIN sources h ON h.id = e.source_id AND h.kind = 'pagerduty' WHERE s.run_id = "
	        "?1 "
	        "AND s.kind = 'incident' AND s.owner_system = 'pagerduty' AND NOT EXISTS (SELECT 1 "
	        "FROM events x WHERE x.source_id = ?2 AND x.kind = 'incident' AND x.external_id = "
	        "s.external_id) ORDER BY s.seq, e.updated_at DESC, e.id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run_id);
	stmt_bind_int(st, 2, source_id);
	struct held_elsewhere *held = NULL;
	size_t n = 0, alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		held = arena_grow(ctx->arena, held, n, &alloc, sizeof *held);
		struct held_elsewhere *h = &held[n++];
		h->seq = stmt_int(st, 0);
		h->event = stmt_int(st, 1);
		h->service = stmt_text_dup(st, 2, ctx->arena);
		h->holder_config = stmt_text_dup(st, 3, ctx->arena);
		h->staged_older = stmt_int(st, 4) != 0;
	}
	stmt_reset(st);
	int64_t done = -1; /* the last staged row paired with a copy */
	for (size_t i = 0; i < n && rc >= 0; i++) {
		const struct held_elsewhere *h = &held[i];
		/* A source that reads the service too keeps its copy (sources
		 * overlapping by configuration); a staged row pairs once. */
		if (h->seq == done || pd_reads_service(h->holder_config, h->service))
			continue;
		done = h->seq;
		/* A snapshot from before the move (a late page or delivery) is
		 * older than the holder's copy, which stays where it is. */
		rc = store_exec_ints(
		        ctx->store,
		        h->staged_older
		                ? "DELETE FROM ingest_staging WHERE run_id = ?1 AND seq = ?2"
		                : "UPDATE events SET source_id = ?2 WHERE id = ?1",
		        h->staged_older ? run_id : h->event, h->staged_older ? h->seq : source_id,
		        err);
		*moved += rc == 0 && !h->staged_older;
	}
	return rc < 0 ? rc : 0;
}
