/* run: staging and publishing an ingest run (see run.h). */
#include "ingest/run.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>
#include <zstd.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/sha256.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "core/audit.h"
#include "core/cgraph.h"
#include "core/ctx.h"
#include "core/identities.h"
#include "core/org.h"
#include "core/sourceacl.h"
#include "ingest/govern.h"
#include "ingest/ownership.h"
#include "ingest/rekey.h"
#include "store/store.h"

/* The staging row: one table drives the batch, the fold of a record seen
 * twice, and the SQL that merges a staged row into a stored one. */
enum col_type { COL_TEXT, COL_INT, COL_OPT_INT };
/* How a later snapshot combines with an earlier one: M_LATEST keeps the
 * later value unless it is null (an end the source cleared aside:
 * open_statuses), M_MIN the earliest time (a deployment's status must not
 * move its start; but a CI run's start is its latest attempt's, a re-run
 * keeping the run's id: a newer snapshot's later start replaces it, found
 * in the parsers' hunt, a re-run's time spanned its attempts), M_OR a flag
 * either set (the bot flag, of one account),
 * M_ATTRS merges JSON objects key by key (a push webhook's `distinct`
 * beside a commit page's `parents`), the earliest time for
 * attrs_earliest's keys.  All but M_LATEST apply whichever snapshot the
 * source changed last. */
enum merge_rule { M_KEY, M_LATEST, M_MIN, M_OR, M_ATTRS };
struct col {
	const char *name;
	enum col_type type;
	enum merge_rule merge;
};
enum {
	C_KIND,
	C_EXTERNAL_ID,
	C_OWNER_SYSTEM,
	C_OWNER_KEY,
	C_ACCOUNT_SYSTEM,
	C_ACCOUNT,
	C_ACCOUNT_EMAIL,
	C_ACCOUNT_NAME,
	C_IS_BOT,
	C_OCCURRED_AT,
	C_ENDED_AT,
	C_UPDATED_AT,
	C_STATUS,
	C_ENVIRONMENT,
	C_SHA,
	C_REF,
	C_NUMBER,
	C_TITLE,
	C_URL,
	C_PARENT_ID,
	C_ATTRS,
	C_RAW_ID, /* lineage, not content: never a change by itself */
	C_COUNT
};
static const struct col cols[C_COUNT] = {
        {"kind", COL_TEXT, M_KEY},
        {"external_id", COL_TEXT, M_KEY},
        {"owner_system", COL_TEXT, M_LATEST},
        {"owner_key", COL_TEXT, M_LATEST},
        {"account_system", COL_TEXT, M_LATEST},
        {"account", COL_TEXT, M_LATEST},
        {"account_email", COL_TEXT, M_LATEST},
        {"account_name", COL_TEXT, M_LATEST},
        {"is_bot", COL_INT, M_OR},
        {"occurred_at", COL_INT, M_MIN},
        {"ended_at", COL_OPT_INT, M_LATEST},
        {"updated_at", COL_OPT_INT, M_LATEST},
        {"status", COL_TEXT, M_LATEST},
        {"environment", COL_TEXT, M_LATEST},
        {"sha", COL_TEXT, M_LATEST},
        {"ref", COL_TEXT, M_LATEST},
        {"number", COL_TEXT, M_LATEST},
        {"title", COL_TEXT, M_LATEST},
        {"url", COL_TEXT, M_LATEST},
        {"parent_id", COL_TEXT, M_LATEST},
        {"attrs", COL_TEXT, M_ATTRS},
        {"raw_id", COL_INT, M_LATEST},
};

struct ingest_row {
	const char *text[C_COUNT];
	int64_t num[C_COUNT];
	bool has[C_COUNT];
};

static void row_text(struct ingest_row *r, int c, const char *s)
{
	r->text[c] = s;
	r->has[c] = s != NULL;
}

static void row_int(struct ingest_row *r, int c, int64_t v, bool has)
{
	r->num[c] = v;
	r->has[c] = has;
}

static void batch_row(struct store_batch *b, int64_t run_id, int64_t seq,
                      const struct ingest_row *r)
{
	store_batch_int(b, run_id);
	store_batch_int(b, seq);
	for (int c = 0; c < C_COUNT; c++) {
		if (cols[c].type == COL_TEXT)
			store_batch_text(b, r->has[c] ? r->text[c] : NULL);
		else
			store_batch_opt_int(b, r->num[c], r->has[c]);
	}
}

static const char *staging_target(struct arena *a)
{
	struct sb sb = SB_INIT;
	sb_puts(&sb, "ingest_staging(run_id, seq");
	for (int c = 0; c < C_COUNT; c++)
		sb_printf(&sb, ", %s", cols[c].name);
	sb_putc(&sb, ')');
	const char *s = arena_strdup(a, sb.buf);
	sb_release(&sb);
	return s;
}

/* ---- sources ------------------------------------------------------------- */

/* A stored bot without the blanks that show nothing at its ends (a no-break
 * or zero-width space): an earlier plumb stored bots with one, and deploy
 * actors are read without them now, so such a bot matched no event and its
 * deploys counted as a person's (found in review). */
static const char *bot_unblanked(struct arena *a, const char *bot)
{
	size_t start, end;
	utf8_trim_blanks(bot, &start, &end);
	return arena_strndup(a, bot + start, end - start);
}

int ingest_source_load_tx(struct ctx *ctx, const char *name, struct ingest_source *out,
                          struct error *err)
{
	memset(out, 0, sizeof *out);
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT id, name, kind, config, token_env, webhook_secret_env, "
	                       "paused_at, paused_by, paused_reason, created_at FROM sources "
	                       "WHERE name = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, name);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		out->id = stmt_int(st, 0);
		out->name = stmt_text_dup(st, 1, ctx->arena);
		out->kind = stmt_text_dup(st, 2, ctx->arena);
		out->config = stmt_text_dup(st, 3, ctx->arena);
		out->token_env = stmt_text_dup(st, 4, ctx->arena);
		out->webhook_secret_env = stmt_text_dup(st, 5, ctx->arena);
		out->paused = source_pause_read(st, 6, ctx->arena);
		out->created_at = stmt_int(st, 9);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (rc == STORE_DONE) {
		return sourceacl_no_source(name, err);
	}
	cJSON *cfg = cJSON_Parse(out->config);
	const cJSON *job = cJSON_GetObjectItemCaseSensitive(cfg, "job");
	if (cJSON_IsString(job))
		out->job = arena_strdup(ctx->arena, job->valuestring);
	const cJSON *bots = cJSON_GetObjectItemCaseSensitive(cfg, "bots"), *b;
	size_t alloc = 0;
	cJSON_ArrayForEach(b, bots)
	{
		if (!cJSON_IsString(b))
			continue;
		out->bots =
		        arena_grow(ctx->arena, out->bots, out->nbots, &alloc, sizeof *out->bots);
		out->bots[out->nbots++] =
		        arena_strlower(ctx->arena, bot_unblanked(ctx->arena, b->valuestring));
	}
	cJSON_Delete(cfg);
	return 0;
}

/* ---- begin ----------------------------------------------------------------- */

int ingest_source_paused(struct arena *a, const struct ingest_source *src, struct error *err)
{
	if (!src->paused.at)
		return 0;
	err_set(err, ERR_CONFLICT, "source '%s' is paused", src->name);
	err_detail(err, "paused %s", source_pause_text(a, &src->paused));
	err_hint(err, "nothing of it was read; 'plumb source resume %s' lets it bring data again",
	         src->name);
	return ERR_CONFLICT;
}

struct begin_args {
	struct ingest_run *run;
	const char *source;
	const char *format;              /* given for every document, or NULL */
	const char *event;               /* a webhook event given for every document, or NULL */
	int64_t signed_id, signed_added; /* the source that signed a delivery, or 0 */
};

/* ERR_NOT_FOUND when the source loaded is not the one that signed the
 * delivery: removed and added again under its name since it came (a
 * delivery waiting in the webhook queue, or for the write lock). */
static int same_source(const struct begin_args *a, const struct ingest_source *src,
                       struct error *err)
{
	if (!a->signed_id || (src->id == a->signed_id && src->created_at == a->signed_added))
		return 0;
	char was[TS_BUF], now[TS_BUF];
	err_set(err, ERR_NOT_FOUND, "source '%s' is not the source that signed this delivery",
	        src->name);
	err_detail(err,
	           "the source of that name that signed it (added %s) was removed since; this "
	           "one was added %s, with its own secret and settings",
	           ts_format(a->signed_added, was), ts_format(src->created_at, now));
	err_hint(err,
	         "nothing was stored; its sender must deliver it again to be read by the "
	         "source now named '%s'",
	         src->name);
	return ERR_NOT_FOUND;
}

static void run_unlock(struct ingest_run *run)
{
	if (run->locked)
		store_run_unlock(run->ctx->store, run->id);
	run->locked = false;
}

static int abandon_dead_runs(struct ctx *ctx, struct ingest_run *own, struct error *err);

/* A run whose database session was replaced (store_session) lost its run
 * lock with it: another process may have taken it for dead and removed what
 * it staged, so it must not stage on or publish. */
static int run_session_kept(const struct ingest_run *run, struct error *err)
{
	if (store_session(run->ctx->store) == run->session)
		return 0;
	err_set(err, ERR_STORE, "the database connection was lost during ingest run %" PRId64,
	        run->id);
	err_detail(err, "the run's lock went with it; nothing of the run was published");
	err_hint(err, "run the command again");
	return ERR_STORE;
}

static int begin_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct begin_args *a = arg;
	run_unlock(a->run); /* an attempt that rolled back took it under another id */
	a->run->sync_going_on = 0;
	int rc = ingest_source_load_tx(ctx, a->source, &a->run->src, err);
	if (rc == 0)
		rc = same_source(a, &a->run->src, err);
	if (rc == 0)
		rc = ingest_source_paused(ctx->arena, &a->run->src, err);
	/* A kind without formats (prometheus), and a format given that is not
	 * the source's kind's, are usage errors: before any file is read, and
	 * before the run's row. */
	if (rc == 0 && strcmp(a->run->mode, "file") == 0)
		rc = parse_kind_check(a->run->src.kind, err);
	if (rc == 0 && a->format)
		rc = parse_format_check(a->run->src.kind, a->format, err);
	if (rc == 0 && a->event)
		rc = parse_event_check(a->run->src.kind, a->format, err);
	struct store_stmt *st;
	if (rc == 0)
		rc = store_prepare(
		        ctx->store,
		        "INSERT INTO ingest_runs(source_id, mode, actor, status, started_at) "
		        "VALUES (?, ?, ?, 'staging', ?) RETURNING id",
		        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->run->src.id);
	stmt_bind_text(st, 2, a->run->mode);
	stmt_bind_text(st, 3, ctx->actor.name);
	stmt_bind_int(st, 4, ts_clock_ms());
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		a->run->id = stmt_int(st, 0);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	/* Taken before the row commits, so no other run sees it unlocked. */
	if ((rc = store_run_lock(ctx->store, a->run->id, err)) < 0)
		return rc;
	a->run->locked = true;
	a->run->session = store_session(ctx->store);
	return abandon_dead_runs(ctx, a->run, err);
}

static int run_begin(struct ctx *ctx, struct ingest_run *run, const char *mode,
                     struct begin_args *a, struct error *err)
{
	memset(run, 0, sizeof *run);
	run->ctx = ctx;
	run->mode = mode;
	a->run = run;
	int rc = ctx_run(ctx, OP_INGEST_STAGE, begin_body, a, err);
	run->started = rc == 0;
	if (rc < 0)
		run_unlock(run);
	return rc;
}

int ingest_run_begin(struct ctx *ctx, const char *source, const char *mode, const char *format,
                     const char *event, struct ingest_run *run, struct error *err)
{
	struct begin_args a = {.source = source, .format = format, .event = event};
	return run_begin(ctx, run, mode, &a, err);
}

int ingest_run_begin_signed(struct ctx *ctx, const char *source, int64_t source_id,
                            int64_t source_added, struct ingest_run *run, struct error *err)
{
	struct begin_args a = {
	        .source = source, .signed_id = source_id, .signed_added = source_added};
	return run_begin(ctx, run, "webhook", &a, err);
}

/* ---- staging --------------------------------------------------------------- */

void ingest_stage_tx_begin(struct ingest_run *run)
{
	run->batch = NULL;
	run->tx_seq = run->next_seq;
	run->tx_doc = run->next_doc;
	run->tx_counts = run->counts;
}

void ingest_stage_tx_abandon(struct ingest_run *run)
{
	if (run->batch)
		store_batch_abandon(run->batch);
	run->batch = NULL;
	run->next_seq = run->tx_seq;
	run->next_doc = run->tx_doc;
	run->counts = run->tx_counts;
}

int ingest_stage_tx_end(struct ingest_run *run, struct error *err)
{
	struct store_batch *b = run->batch;
	run->batch = NULL;
	return b ? store_batch_finish(b, err) : 0;
}

void ingest_packer_release(struct ingest_packer *k)
{
	ZSTD_freeCCtx(k->cctx);
	k->cctx = NULL;
}

static void packer_release_hook(void *k)
{
	ingest_packer_release(k);
}

/* The stored form of a raw document: zstd, then base64 (the store binds text). */
static char *pack_body(struct ingest_packer *k, const char *data, size_t len, struct error *err)
{
	if (!k->cctx && !(k->cctx = ZSTD_createCCtx())) {
		err_set(err, ERR_FAILED, "could not create a compression context");
		return NULL;
	}
	size_t cap = ZSTD_compressBound(len);
	unsigned char *z = xmalloc(cap ? cap : 1);
	size_t zn = ZSTD_compressCCtx(k->cctx, z, cap, data, len, 3);
	if (ZSTD_isError(zn)) {
		free(z);
		err_set(err, ERR_FAILED, "could not compress a payload: %s", ZSTD_getErrorName(zn));
		return NULL;
	}
	size_t b64 = sodium_base64_encoded_len(zn, sodium_base64_VARIANT_ORIGINAL);
	char *out = xmalloc(b64);
	sodium_bin2base64(out, b64, z, zn, sodium_base64_VARIANT_ORIGINAL);
	free(z);
	return out;
}

int ingest_pack_doc(struct ingest_packer *k, const struct ingest_doc *d, struct ingest_parsed *p,
                    struct error *err)
{
	sha256_hex(d->data, d->len, p->sha256);
	p->packed = pack_body(k, d->data, d->len, err);
	return p->packed ? 0 : err->code;
}

/* The run's own packer, for documents not packed ahead: made on first use;
 * the run's end releases it (a sync worker runs many sources on one ctx),
 * and the hook on ctx->arena on any path that does not. */
static struct ingest_packer *run_packer(struct ingest_run *run)
{
	if (!run->packer) {
		run->packer = arena_alloc(run->ctx->arena, sizeof *run->packer);
		arena_on_destroy(run->ctx->arena, packer_release_hook, run->packer);
	}
	return run->packer;
}

/* The document's payload row, new or found by its SHA-256; hash and stored
 * form come from p when they were made ahead (ingest_pack_doc), the hash
 * from d when its caller had it. */
static int stage_raw(struct ingest_run *run, const struct ingest_doc *d,
                     const struct ingest_parsed *p, const char *format, struct error *err)
{
	struct ctx *ctx = run->ctx;
	char computed[SHA256_HEX_LEN + 1];
	const char *hex = p->packed ? p->sha256 : d->sha256 ? d->sha256 : computed;
	if (hex == computed)
		sha256_hex(d->data, d->len, computed);
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT id, encoding FROM raw_payloads WHERE source_id = ? AND sha256 = ?", &st,
	        err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run->src.id);
	stmt_bind_text(st, 2, hex);
	rc = stmt_step(st, err);
	/* Retention empties a payload no event refers to and keeps the row as a
	 * stub (encoding 'deleted'): the same bytes read again fill it anew. */
	bool stub = rc == STORE_ROW && strcmp(stmt_text(st, 1), "deleted") == 0;
	if (rc == STORE_ROW)
		run->raw_id = stmt_int(st, 0);
	stmt_reset(st);
	if (rc != STORE_DONE && !stub)
		return rc < 0 ? rc : 0;
	char *made = p->packed ? NULL : pack_body(run_packer(run), d->data, d->len, err);
	const char *body = p->packed ? p->packed : made;
	if (!body)
		return err->code;
	if (stub) {
		rc = store_prepare(ctx->store,
		                   "UPDATE raw_payloads SET body = ?, encoding = 'zstd+base64', "
		                   "fetched_at = ? WHERE id = ?",
		                   &st, err);
		if (rc == 0) {
			stmt_bind_text(st, 1, body);
			stmt_bind_int(st, 2, ts_clock_ms());
			stmt_bind_int(st, 3, run->raw_id);
			rc = stmt_step(st, err);
			stmt_reset(st);
		}
		free(made);
		return rc < 0 ? rc : 0;
	}
	rc = store_prepare(
	        ctx->store,
	        "INSERT INTO raw_payloads(source_id, run_id, format, origin, event_name, "
	        "fetched_at, sha256, size, encoding, body) "
	        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'zstd+base64', ?) RETURNING id",
	        &st, err);
	if (rc == 0) {
		stmt_bind_int(st, 1, run->src.id);
		stmt_bind_int(st, 2, run->id);
		stmt_bind_text(st, 3, format);
		stmt_bind_text(st, 4, d->origin);
		stmt_bind_text(st, 5, d->event_name ? d->event_name : p->page.event_name);
		stmt_bind_int(st, 6, run->received_at ? run->received_at : ts_clock_ms());
		stmt_bind_text(st, 7, hex);
		stmt_bind_int(st, 8, (int64_t)d->len);
		stmt_bind_text(st, 9, body);
		rc = stmt_step(st, err);
		if (rc == STORE_ROW)
			run->raw_id = stmt_int(st, 0);
		stmt_reset(st);
	}
	free(made);
	return rc < 0 ? rc : 0;
}

const char *ingest_external_id(struct arena *a, const struct event *ev)
{
	bool github_owner = ev->owner_system && strcmp(ev->owner_system, "github") == 0;
	return github_owner && ev->kind == EVENT_PULL_REQUEST ? arena_strlower(a, ev->external_id)
	                                                      : ev->external_id;
}

int ingest_unpack_body(const char *stored, char **data, size_t *len, struct error *err)
{
	size_t slen = strlen(stored), zlen = 0;
	unsigned char *z = xmalloc(slen + 1);
	*data = NULL;
	*len = 0;
	if (sodium_base642bin(z, slen + 1, stored, slen, NULL, &zlen, NULL,
	                      sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(z);
		return err_set(err, ERR_TAMPERED, "a stored payload is not base64");
	}
	unsigned long long size = ZSTD_getFrameContentSize(z, zlen);
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    size > ((size_t)1 << 30)) {
		free(z);
		return err_set(err, ERR_TAMPERED, "a stored payload is not a zstd frame");
	}
	char *out = xmalloc((size_t)size + 1);
	size_t n = ZSTD_decompress(out, (size_t)size, z, zlen);
	free(z);
	if (ZSTD_isError(n) || n != size) {
		free(out);
		return err_set(err, ERR_TAMPERED, "a stored payload does not decompress");
	}
	out[n] = '\0';
	*data = out;
	*len = n;
	return 0;
}

/* A deployment's success status keeps its time in attrs.success_at, the
 * earliest of them (attrs_earliest): a later status (inactive, when a newer
 * deployment replaces it) takes the status, in the same run or another,
 * and the DORA keys still count the deployment at its first success.  A
 * failure or error status keeps its time in attrs.failed_at, which a newer
 * success takes away again (attrs_merge): a deployment whose last word was
 * a failure stays uncounted under a later inactive (deploy_finish in
 * metrics.c).  A copy in a (of attrs as it is when it is not a JSON object
 * or names key already). */
static const char *stamp_time(struct arena *a, const char *attrs, const char *key, int64_t at)
{
	cJSON *obj = attrs ? cJSON_Parse(attrs) : cJSON_CreateObject();
	const char *out = attrs ? arena_strdup(a, attrs) : NULL;
	if (cJSON_IsObject(obj) && !cJSON_GetObjectItemCaseSensitive(obj, key)) {
		char buf[TS_BUF];
		cJSON_AddStringToObject(obj, key, ts_format(at, buf));
		char *text = cJSON_PrintUnformatted(obj);
		out = arena_strdup(a, text);
		cJSON_free(text);
	}
	cJSON_Delete(obj);
	return out;
}

/* attrs (a JSON object) marked finish_implied (a deploy event's success
 * without its finish, taken to finish as it started: fill_implied_ends), a
 * copy in a; attrs as they are when they are no object. */
static const char *mark_implied(struct arena *a, const char *attrs)
{
	cJSON *obj = attrs ? cJSON_Parse(attrs) : NULL;
	const char *out = attrs;
	if (cJSON_IsObject(obj)) {
		cJSON_DeleteItemFromObjectCaseSensitive(obj, "finish_implied");
		cJSON_AddTrueToObject(obj, "finish_implied");
		char *text = cJSON_PrintUnformatted(obj);
		out = arena_strdup(a, text);
		cJSON_free(text);
	}
	cJSON_Delete(obj);
	return out;
}

/* ---- the run's owners and accounts, gathered as documents are staged ---- */

/* The key of a tuple of n texts: each "LEN:TEXT" or "-" for none, so no
 * text can make two tuples one key.  In sb, reset first. */
static const char *tuple_key(struct sb *sb, const struct ingest_tuple *t, int n)
{
	sb_reset(sb);
	for (int i = 0; i < n; i++) {
		if (!t->v[i]) {
			sb_putc(sb, '-');
			continue;
		}
		sb_int(sb, (int64_t)strlen(t->v[i]));
		sb_putc(sb, ':');
		sb_puts(sb, t->v[i]);
	}
	return sb->buf;
}

/* The tuple back from its key; false when the key is not one. */
static bool tuple_of(struct arena *a, const char *key, const char **v, int n)
{
	for (int i = 0; i < n; i++) {
		if (*key == '-') {
			v[i] = NULL;
			key++;
			continue;
		}
		char *end;
		unsigned long long len = strtoull(key, &end, 10);
		if (end == key || *end != ':' || strnlen(end + 1, len) < len)
			return false;
		v[i] = arena_strndup(a, end + 1, (size_t)len);
		key = end + 1 + len;
	}
	return *key == '\0';
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* The last few noted are searched (rows of one owner or account come
 * together); a repeat further back is noted again, and the run's set keeps
 * it once: a document of many distinct accounts costs no square. */
#define NOTE_RECENT 8
static void note_tuple(struct arena *a, struct ingest_tuple **list, size_t *n, size_t *alloc,
                       const struct ingest_tuple *t)
{
	for (size_t i = *n; i-- > 0 && *n - i <= NOTE_RECENT;)
		if (same_text((*list)[i].v[0], t->v[0]) && same_text((*list)[i].v[1], t->v[1]) &&
		    same_text((*list)[i].v[2], t->v[2]))
			return;
	*list = arena_grow(a, *list, *n, alloc, sizeof **list);
	(*list)[(*n)++] = *t;
}

struct ingest_seen {
	struct hmap owners, accounts;
	/* A fold dropped rows of another owner than the one kept (a record
	 * renamed upstream): an owner seen may have no row left. */
	bool owner_folded;
};

static void seen_release(void *data)
{
	struct ingest_seen *seen = data;
	hmap_release(&seen->owners);
	hmap_release(&seen->accounts);
}

/* The document's keys into the run's sets.  A staging transaction that
 * rolls back and is tried again notes the same keys again. */
static void seen_note(struct ingest_run *run, const struct ingest_parsed *p)
{
	if (!run->seen) {
		run->seen = arena_alloc(run->ctx->arena, sizeof *run->seen);
		hmap_init(&run->seen->owners);
		hmap_init(&run->seen->accounts);
		arena_on_destroy(run->ctx->arena, seen_release, run->seen);
	}
	for (size_t i = 0; i < p->nowners; i++)
		hmap_put(&run->seen->owners, p->owner_keys[i], 0);
	for (size_t i = 0; i < p->naccounts; i++)
		hmap_put(&run->seen->accounts, p->account_keys[i], 0);
}

/* The staged form of one event: normalized (GitHub keys and logins and
 * emails in lower case, bots marked), every string a copy in p->arena so
 * it outlives the parsed document. */
static int collect_row(void *data, const struct event *ev, struct error *err)
{
	(void)err;
	struct ingest_parsed *p = data;
	struct arena *a = p->arena;
	bool github_owner = ev->owner_system && strcmp(ev->owner_system, "github") == 0;
	bool github_account = ev->account_system && strcmp(ev->account_system, "github") == 0;
	p->rows = arena_grow(a, p->rows, p->n, &p->alloc, sizeof *p->rows);
	struct ingest_row *r = &p->rows[p->n++];
	memset(r, 0, sizeof *r);
#define COPY(s) ((s) ? arena_strdup(a, (s)) : NULL)
	row_text(r, C_KIND, event_kind_name(ev->kind));
	row_text(r, C_EXTERNAL_ID, COPY(ingest_external_id(a, ev)));
	row_text(r, C_OWNER_SYSTEM, ev->owner_key ? COPY(ev->owner_system) : NULL);
	row_text(r, C_OWNER_KEY,
	         github_owner ? arena_strlower(a, ev->owner_key) : COPY(ev->owner_key));
	/* A system without an account or email is the mark of a source that
	 * says nobody is named (CLEARS_ACCOUNT); it is never stored. */
	row_text(r, C_ACCOUNT_SYSTEM,
	         ev->account || ev->account_email || ev->account_cleared ? COPY(ev->account_system)
	                                                                 : NULL);
	row_text(r, C_ACCOUNT, github_account ? arena_strlower(a, ev->account) : COPY(ev->account));
	row_text(r, C_ACCOUNT_EMAIL, arena_strlower(a, ev->account_email));
	row_text(r, C_ACCOUNT_NAME, COPY(ev->account_name));
	/* An account known only by its email is that email account, as identity
	 * unmatched lists it: --bot names it so too. */
	const char *who = r->text[C_ACCOUNT] ? r->text[C_ACCOUNT] : r->text[C_ACCOUNT_EMAIL];
	bool bot = ev->bot || event_login_is_bot(who);
	for (size_t i = 0; i < p->src->nbots && !bot && who; i++)
		bot = strcasecmp(p->src->bots[i], who) == 0;
	p->bots += bot;
	row_int(r, C_IS_BOT, bot, true);
	row_int(r, C_OCCURRED_AT, ev->occurred_at, true);
	/* An implied end is given at publishing, when the stored record's
	 * finish is known (fill_implied_ends). */
	row_int(r, C_ENDED_AT, ev->ended_at, ev->has_ended && !ev->end_implied);
	row_int(r, C_UPDATED_AT, ev->updated_at, ev->has_updated);
	row_text(r, C_STATUS, COPY(ev->status));
	row_text(r, C_ENVIRONMENT, COPY(ev->environment));
	row_text(r, C_SHA, COPY(ev->sha));
	row_text(r, C_REF, COPY(ev->ref));
	row_text(r, C_NUMBER, COPY(ev->number));
	row_text(r, C_TITLE, COPY(ev->title));
	row_text(r, C_URL, COPY(ev->url));
	row_text(r, C_PARENT_ID,
	         github_owner && ev->parent_id ? arena_strlower(a, ev->parent_id)
	                                       : COPY(ev->parent_id));
	if (ev->kind == EVENT_DEPLOYMENT && ev->has_ended && ev->status &&
	    !strcmp(ev->status, "success")) {
		const char *stamped = stamp_time(a, ev->attrs, "success_at", ev->ended_at);
		row_text(r, C_ATTRS, ev->end_implied ? mark_implied(a, stamped) : stamped);
	} else if (ev->kind == EVENT_DEPLOYMENT && ev->status &&
	           (!strcmp(ev->status, "failure") || !strcmp(ev->status, "error")))
		row_text(r, C_ATTRS,
		         stamp_time(a, ev->attrs, "failed_at",
		                    ev->has_ended     ? ev->ended_at
		                    : ev->has_updated ? ev->updated_at
		                                      : ev->occurred_at));
	else
		row_text(r, C_ATTRS, COPY(ev->attrs));
#undef COPY
	const struct ingest_tuple owner = {{r->text[C_OWNER_SYSTEM], r->text[C_OWNER_KEY]}};
	const struct ingest_tuple account = {
	        {r->text[C_ACCOUNT_SYSTEM], r->text[C_ACCOUNT], r->text[C_ACCOUNT_EMAIL]}};
	note_tuple(a, &p->owners, &p->nowners, &p->owners_alloc, &owner);
	note_tuple(a, &p->accounts, &p->naccounts, &p->accounts_alloc, &account);
	int64_t changed = ev->has_updated ? ev->updated_at : ev->occurred_at;
	if (changed > p->max_time)
		p->max_time = changed;
	if (changed < p->min_time)
		p->min_time = changed;
	return 0;
}

int ingest_parse_doc(const struct ingest_source *src, const struct ingest_doc *d,
                     struct ingest_parsed *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	out->src = src;
	out->arena = arena_create();
	out->min_time = INT64_MAX;
	out->max_time = INT64_MIN;
	struct parse_input in = {
	        .source_kind = src->kind,
	        .format = d->format,
	        .event_name = d->event_name,
	        .origin = d->origin,
	        .data = d->data,
	        .len = d->len,
	        .default_owner_key = src->job,
	        .arena = out->arena,
	};
	int rc = parse_document(&in, collect_row, out, &out->page, err);
	/* Their keys made here, off the thread that writes. */
	out->owner_keys = arena_array(out->arena, out->nowners + 1, sizeof *out->owner_keys);
	out->account_keys = arena_array(out->arena, out->naccounts + 1, sizeof *out->account_keys);
	struct sb key = SB_INIT;
	for (size_t i = 0; i < out->nowners; i++)
		out->owner_keys[i] = arena_strdup(out->arena, tuple_key(&key, &out->owners[i], 2));
	for (size_t i = 0; i < out->naccounts; i++)
		out->account_keys[i] =
		        arena_strdup(out->arena, tuple_key(&key, &out->accounts[i], 3));
	sb_release(&key);
	return rc;
}

void ingest_parsed_release(struct ingest_parsed *p)
{
	arena_destroy(p->arena);
	free(p->packed);
	memset(p, 0, sizeof *p);
}

int ingest_stage_parsed_tx(struct ingest_run *run, const struct ingest_doc *d,
                           const struct ingest_parsed *p, struct error *err)
{
	struct ctx *ctx = run->ctx;
	const struct parse_page *page = &p->page;
	const char *format = page->format ? page->format
	                     : d->format  ? d->format
	                                  : PARSE_FORMAT_EMPTY;
	int rc = run_session_kept(run, err);
	if (rc == 0)
		rc = stage_raw(run, d, p, format, err);
	for (size_t i = 0; i < p->n && rc == 0; i++) {
		struct ingest_row r = p->rows[i];
		row_int(&r, C_RAW_ID, run->raw_id, true);
		/* Any failure fails the staging transaction anyway. */
		if (!run->batch)
			run->batch = store_batch_new_ending_tx(
			        ctx->store, staging_target(ctx->arena), C_COUNT + 2);
		batch_row(run->batch, run->id, run->next_seq++, &r);
		rc = store_batch_row_end(run->batch, err);
	}
	struct store_stmt *st;
	if (rc >= 0)
		rc = store_prepare(
		        ctx->store,
		        "INSERT INTO run_documents(run_id, seq, raw_id, resource, records, "
		        "declared_total) VALUES (?, ?, ?, ?, ?, ?)",
		        &st, err);
	if (rc >= 0) {
		stmt_bind_int(st, 1, run->id);
		stmt_bind_int(st, 2, run->next_doc++);
		stmt_bind_int(st, 3, run->raw_id);
		stmt_bind_text(st, 4,
		               d->resource    ? d->resource
		               : page->format ? page->format
		                              : PARSE_FORMAT_EMPTY);
		stmt_bind_int(st, 5, page->records);
		stmt_bind_opt_int(st, 6, page->declared_total, page->has_total);
		rc = stmt_step(st, err);
		stmt_reset(st);
	}
	if (rc < 0)
		return rc;
	seen_note(run, p);
	/* A webhook's event told from its body (a PagerDuty body always says
	 * it) is named in the publish's audit entry, as a given one is. */
	if (!run->event_name && page->event_name && strcmp(run->mode, "webhook") == 0)
		run->event_name = arena_strdup(ctx->arena, page->event_name);
	run->doc_min_time = p->min_time;
	run->doc_max_time = p->max_time;
	run->counts.bots += p->bots;
	run->counts.documents++;
	run->counts.records += page->records;
	return 0;
}

/* One line a record: an id holds no line break (text_fields_check).  Its
 * change's time and status too: each item of a deployment's statuses page
 * is its deployment's event, so two such pages list one id alike. */
static void records_hash(const struct ingest_parsed *p, char out[SHA256_HEX_LEN + 1])
{
	struct sb keys;
	sb_init(&keys, 0);
	for (size_t i = 0; i < p->n; i++) {
		const struct ingest_row *r = &p->rows[i];
		sb_printf(&keys, "%s\t%s\t%" PRId64 "\t%s\n", r->text[C_KIND],
		          r->text[C_EXTERNAL_ID], r->has[C_UPDATED_AT] ? r->num[C_UPDATED_AT] : -1,
		          r->has[C_STATUS] ? r->text[C_STATUS] : "");
	}
	sha256_hex(keys.buf ? keys.buf : "", keys.len, out);
	sb_release(&keys);
}

int ingest_stage_doc_tx(struct ingest_run *run, const struct ingest_doc *d, struct parse_page *page,
                        char records_sha256[SHA256_HEX_LEN + 1], struct error *err)
{
	struct ingest_parsed p;
	int rc = ingest_parse_doc(&run->src, d, &p, err);
	if (rc == 0)
		rc = ingest_stage_parsed_tx(run, d, &p, err);
	records_hash(&p, records_sha256);
	*page = p.page;
	/* The page outlives the parse: its token goes to the caller's arena. */
	if (page->next_token)
		page->next_token = arena_strdup(run->ctx->arena, page->next_token);
	ingest_parsed_release(&p);
	return rc;
}

int ingest_stage_cursor_tx(struct ingest_run *run, const char *resource, const char *cursor,
                           const char *etag, struct error *err)
{
	struct store_stmt *st;
	int rc = run_session_kept(run, err);
	if (rc < 0)
		return rc;
	rc = store_prepare(run->ctx->store,
	                   "INSERT INTO run_cursors(run_id, resource, cursor, etag) "
	                   "VALUES (?, ?, ?, ?) ON CONFLICT (run_id, resource) DO UPDATE "
	                   "SET cursor = excluded.cursor, etag = excluded.etag",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run->id);
	stmt_bind_text(st, 2, resource);
	stmt_bind_text(st, 3, cursor);
	stmt_bind_text(st, 4, etag);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- publish --------------------------------------------------------------- */

static int run_sql3(struct ctx *ctx, const char *sql, int64_t a, int64_t b, int64_t c,
                    struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a);
	if (b >= 0)
		stmt_bind_int(st, 2, b);
	if (c >= 0)
		stmt_bind_int(st, 3, c);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int count_run(struct ctx *ctx, const char *sql, int64_t run, int64_t source, int64_t *out,
                     struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run);
	if (source >= 0)
		stmt_bind_int(st, 2, source);
	rc = stmt_step(st, err);
	*out = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static void read_row(struct store_stmt *st, int first, struct arena *a, struct ingest_row *r)
{
	for (int c = 0; c < C_COUNT; c++) {
		if (cols[c].type == COL_TEXT)
			row_text(r, c, stmt_text_dup(st, first + c, a));
		else
			row_int(r, c, stmt_int(st, first + c), !stmt_is_null(st, first + c));
	}
}

/* Attrs keys that keep the earliest time of any snapshot, in whatever order
 * the snapshots come: a deployment's first success (stamp_time). */
static const char *const attrs_earliest[] = {"success_at"};

static bool attrs_key_earliest(const char *key)
{
	for (size_t i = 0; i < sizeof attrs_earliest / sizeof *attrs_earliest; i++)
		if (strcmp(key, attrs_earliest[i]) == 0)
			return true;
	return false;
}

/* Whether item (of over) replaces have (of the base): the earlier time for
 * an earliest key, else whether over is the newer snapshot or the base
 * lacks the key.  A deployment's failed_at is the time of its last failure:
 * an older snapshot's later one replaces it too, as the fold of one run
 * would have it (older_failure_stands compares it with the successes). */
static bool attrs_item_wins(const cJSON *item, const cJSON *have, bool over_newer)
{
	bool earliest = attrs_key_earliest(item->string);
	bool latest = !over_newer && have && strcmp(item->string, "failed_at") == 0;
	if (!earliest && !latest)
		return over_newer || !have;
	if (!have)
		return true;
	int64_t t_item, t_have;
	struct error ignored = {0};
	if (!cJSON_IsString(item) || ts_parse(item->valuestring, &t_item, &ignored) < 0)
		return false;
	if (!cJSON_IsString(have) || ts_parse(have->valuestring, &t_have, &ignored) < 0)
		return true;
	return earliest ? t_item < t_have : t_item > t_have;
}

/* The time of obj's key (an RFC 3339 text), or false. */
static bool attrs_time(const cJSON *obj, const char *key, int64_t *at)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	struct error ignored = {0};
	return cJSON_IsString(v) && ts_parse(v->valuestring, at, &ignored) == 0;
}

/* The ends and status of the records whose attrs attrs_merge merges: a
 * deployment's end is its last success's or failure's time (a later
 * inactive keeps it). */
struct attrs_ends {
	int64_t base_end, over_end; /* INT64_MIN: none */
	bool base_succeeded;        /* the base record's status is success */
};

/* The latest time of a success obj's record says without a failure after
 * it: its end, or its first success when later; INT64_MIN when none. */
static int64_t last_success(const cJSON *obj, int64_t end)
{
	int64_t at = INT64_MIN, first;
	if (cJSON_GetObjectItemCaseSensitive(obj, "failed_at"))
		return at;
	if (attrs_time(obj, "success_at", &first))
		at = first > end ? first : end;
	else if (end != INT64_MIN)
		at = end; /* ended without a failure: a success, its mark once stamped */
	return at;
}

/* Whether a deployment's failure mark is its last word once over, a
 * snapshot older than base, is merged: as the newer-wins fold of one run
 * gives it (merge_one, where a success takes the mark back), so the same
 * statuses give one answer however they come.  Not an older failure base
 * succeeded after (its status success, newer than the failure, or a
 * success's time later than it), and not base's failure when over, older
 * than base, succeeded after it (found hunting: a failure delivered after
 * the retry's success, then inactive, left the deployment uncounted). */
static bool older_failure_stands(const cJSON *base, const cJSON *over, const struct attrs_ends *e)
{
	int64_t failed;
	if (!cJSON_GetObjectItemCaseSensitive(base, "failed_at"))
		return !e->base_succeeded && !(attrs_time(over, "failed_at", &failed) &&
		                               last_success(base, e->base_end) > failed);
	return !(attrs_time(base, "failed_at", &failed) &&
	         last_success(over, e->over_end) > failed);
}

/* A deploy event's success without its finish is stamped finished as it
 * started, attrs.finish_implied marking its success_at so (fill_implied_ends):
 * a success that says when it finished replaces it, whichever of the two
 * came first, as in one run (found in review: sent without its finish, then
 * with it, the start stayed its first success, the earliest, and the DORA
 * keys counted it then).  In merged, the merge of over into base. */
static void implied_gives_way(cJSON *merged, const cJSON *base, const cJSON *over)
{
	const cJSON *real = NULL;
	if (cJSON_GetObjectItemCaseSensitive(base, "finish_implied") &&
	    !cJSON_GetObjectItemCaseSensitive(over, "finish_implied"))
		real = cJSON_GetObjectItemCaseSensitive(over, "success_at");
	else if (cJSON_GetObjectItemCaseSensitive(over, "finish_implied") &&
	         !cJSON_GetObjectItemCaseSensitive(base, "finish_implied"))
		real = cJSON_GetObjectItemCaseSensitive(base, "success_at");
	if (!real)
		return;
	cJSON_ReplaceItemInObjectCaseSensitive(merged, "success_at", cJSON_Duplicate(real, true));
	cJSON_DeleteItemFromObjectCaseSensitive(merged, "finish_implied");
}

/* Attrs over base attrs, key by key: when over is the newer snapshot its
 * keys win, when it is older only what it says of an earliest key does
 * (attrs_earliest), and the keys the base lacks.  The base text itself when over changes nothing,
 * so an unchanged record compares equal; NULL for no attrs.  Not objects (or not JSON): the newer
 * wins.  ends: of the records, for an older snapshot (NULL when over is newer). */
static const char *attrs_merge(struct arena *a, const char *base_text, const char *over_text,
                               bool over_newer, const struct attrs_ends *ends)
{
	if (!over_text)
		return base_text;
	if (!base_text && over_newer)
		return over_text;
	cJSON *base = base_text ? cJSON_Parse(base_text) : cJSON_CreateObject(),
	      *over = cJSON_Parse(over_text);
	const char *out = over_newer ? over_text : base_text;
	if (cJSON_IsObject(base) && cJSON_IsObject(over)) {
		cJSON *merged = cJSON_Duplicate(base, true);
		const cJSON *item;
		cJSON_ArrayForEach(item, over)
		{
			const cJSON *have = cJSON_GetObjectItemCaseSensitive(merged, item->string);
			if (!attrs_item_wins(item, have, over_newer))
				continue;
			cJSON *copy = cJSON_Duplicate(item, true);
			if (have)
				cJSON_ReplaceItemInObjectCaseSensitive(merged, item->string, copy);
			else
				cJSON_AddItemToObject(merged, item->string, copy);
		}
		implied_gives_way(merged, base, over);
		/* A newer success (stamped, no failure of its own) takes back a
		 * failure: the deployment's last word is the success. */
		if (over_newer && cJSON_GetObjectItemCaseSensitive(over, "success_at") &&
		    !cJSON_GetObjectItemCaseSensitive(over, "failed_at"))
			cJSON_DeleteItemFromObjectCaseSensitive(merged, "failed_at");
		else if (!over_newer && cJSON_GetObjectItemCaseSensitive(merged, "failed_at") &&
		         !older_failure_stands(base, over, ends))
			cJSON_DeleteItemFromObjectCaseSensitive(merged, "failed_at");
		if (cJSON_Compare(merged, base, true)) {
			out = base_text;
		} else {
			char *text = cJSON_PrintUnformatted(merged);
			out = arena_strdup(a, text);
			cJSON_free(text);
		}
		cJSON_Delete(merged);
	}
	cJSON_Delete(base);
	cJSON_Delete(over);
	return out;
}

/* The statuses that say a record has not ended: a snapshot of a record in
 * one, dated by the source, that carries no end clears the end an earlier
 * snapshot gave (a pull request reopened, a Jira issue reopened, whose
 * resolution date is gone, an incident reopened, an Actions run re-run:
 * its id stays, found by a re-run shown queued with the end of the
 * attempt before).  A record in another
 * status keeps an end it does not carry: a deployment's later status
 * (inactive) carries none, and neither does a resolved PagerDuty incident
 * whose page lacks resolved_at and last_status_change_at. */
static const struct {
	const char *kind, *status;
} open_statuses[] = {
        {"pull_request", "open"},  {"work_item", "todo"},        {"work_item", "in_progress"},
        {"incident", "triggered"}, {"incident", "acknowledged"}, {"ci_run", "queued"},
        {"ci_run", "in_progress"},
};

static bool row_says_open(const struct ingest_row *r)
{
	if (!r->has[C_UPDATED_AT] || !r->has[C_STATUS] || !r->has[C_KIND])
		return false;
	for (size_t i = 0; i < sizeof open_statuses / sizeof *open_statuses; i++)
		if (!strcmp(r->text[C_KIND], open_statuses[i].kind) &&
		    !strcmp(r->text[C_STATUS], open_statuses[i].status))
			return true;
	return false;
}

/* Whether the row named a is a CI run or deployment that has not finished:
 * still running or waiting.  Never NULL. */
#define UNFINISHED(a)                                                                              \
	"(" a ".kind = 'ci_run' AND COALESCE(" a ".status, '') IN ('in_progress', 'queued') OR " a \
	".kind = 'deployment' AND COALESCE(" a ".status, '') IN ('in_progress', 'pending', "       \
	"'queued'))"

/* Whether the staged row s says nobody is named (event.account_cleared):
 * a system without an account or email.  Never NULL. */
#define CLEARS_ACCOUNT                                                                             \
	"(s.account_system IS NOT NULL AND s.account IS NULL AND s.account_email IS NULL)"

static bool row_clears_account(const struct ingest_row *r)
{
	return r->has[C_ACCOUNT_SYSTEM] && !r->has[C_ACCOUNT] && !r->has[C_ACCOUNT_EMAIL];
}

/* The same of the staged row s, in SQL. */
/* Whether the row named alias (s staged, e stored) is in an open status. */
static void sql_status_open(struct sb *sb, const char *alias)
{
	sb_puts(sb, "(");
	for (size_t i = 0; i < sizeof open_statuses / sizeof *open_statuses; i++)
		sb_printf(sb, "%s(%s.kind = '%s' AND %s.status = '%s')", i ? " OR " : "", alias,
		          open_statuses[i].kind, alias, open_statuses[i].status);
	sb_puts(sb, ")");
}

static void sql_says_open(struct sb *sb)
{
	sb_puts(sb, "(s.updated_at IS NOT NULL AND ");
	sql_status_open(sb, "s");
	sb_puts(sb, ")");
}

/* A record staged more than once in one run (a deployment and its status,
 * a pull request from its page and from a review webhook): fold the later
 * rows into the first, field by field, and keep one. */
static int merge_one(struct ingest_run *run, const char *kind, const char *external_id,
                     const char *select_sql, struct error *err)
{
	struct ctx *ctx = run->ctx;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, select_sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run->id);
	stmt_bind_text(st, 2, kind);
	stmt_bind_text(st, 3, external_id);
	struct ingest_row acc;
	int64_t n = 0, keep = 0;
	/* Rows fold oldest first: a later one's later start is a later
	 * attempt's. */
	bool latest_start = strcmp(kind, "ci_run") == 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		struct ingest_row r;
		memset(&r, 0, sizeof r);
		read_row(st, 1, ctx->arena, &r);
		if (n++ == 0) {
			acc = r;
			keep = stmt_int(st, 0);
			continue;
		}
		if (run->seen && (!same_text(r.text[C_OWNER_SYSTEM], acc.text[C_OWNER_SYSTEM]) ||
		                  !same_text(r.text[C_OWNER_KEY], acc.text[C_OWNER_KEY])))
			run->seen->owner_folded = true;
		/* Before the loop replaces acc's account: whether r names another. */
		bool other_account = r.has[C_ACCOUNT] &&
		                     !same_text(r.text[C_ACCOUNT],
		                                acc.has[C_ACCOUNT] ? acc.text[C_ACCOUNT] : NULL);
		/* A later row that says nobody is named takes the account away
		 * (and its bot flag), keeping the mark for the stored record. */
		if (row_clears_account(&r)) {
			row_text(&acc, C_ACCOUNT, NULL);
			row_text(&acc, C_ACCOUNT_EMAIL, NULL);
			row_text(&acc, C_ACCOUNT_NAME, NULL);
			row_int(&acc, C_IS_BOT, 0, true);
		}
		for (int c = 0; c < C_COUNT; c++) {
			if (c == C_IS_BOT && row_clears_account(&r))
				continue;
			if (c == C_ENDED_AT && !r.has[c] && row_says_open(&r)) {
				row_int(&acc, c, 0, false);
				continue;
			}
			if (!r.has[c])
				continue;
			switch (cols[c].merge) {
			case M_KEY:
				break;
			case M_LATEST:
				acc.text[c] = r.text[c], acc.num[c] = r.num[c], acc.has[c] = true;
				break;
			case M_MIN:
				if (!acc.has[c] ||
				    (latest_start ? r.num[c] > acc.num[c] : r.num[c] < acc.num[c]))
					row_int(&acc, c, r.num[c], true);
				break;
			case M_OR:
				/* The bot flag is its account's: a later row naming another
				 * account (a Jira issue an app assigned, then a person)
				 * brings its own, as merged_expr has it. */
				row_int(&acc, c, other_account ? r.num[c] : acc.num[c] || r.num[c],
				        true);
				break;
			case M_ATTRS:
				row_text(&acc, c,
				         attrs_merge(ctx->arena, acc.text[c], r.text[c], true,
				                     NULL));
				break;
			}
		}
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	rc = store_prepare(ctx->store,
	                   "DELETE FROM ingest_staging WHERE run_id = ?1 AND kind = ?2 AND "
	                   "external_id = ?3",
	                   &st, err);
	if (rc == 0) {
		stmt_bind_int(st, 1, run->id);
		stmt_bind_text(st, 2, kind);
		stmt_bind_text(st, 3, external_id);
		rc = stmt_step(st, err);
		stmt_reset(st);
	}
	if (rc < 0)
		return rc;
	/* A fold takes each account field from the latest row that has it: a
	 * tuple no document had, keyed too. */
	if (run->seen) {
		const struct ingest_tuple account = {
		        {acc.has[C_ACCOUNT_SYSTEM] ? acc.text[C_ACCOUNT_SYSTEM] : NULL,
		         acc.has[C_ACCOUNT] ? acc.text[C_ACCOUNT] : NULL,
		         acc.has[C_ACCOUNT_EMAIL] ? acc.text[C_ACCOUNT_EMAIL] : NULL}};
		struct sb key = SB_INIT;
		hmap_put(&run->seen->accounts, tuple_key(&key, &account, 3), 0);
		sb_release(&key);
	}
	struct store_batch *b =
	        store_batch_new(ctx->store, staging_target(ctx->arena), C_COUNT + 2);
	batch_row(b, run->id, keep, &acc);
	rc = store_batch_row_end(b, err);
	int frc = store_batch_finish(b, err);
	run->counts.merged += n - 1;
	return rc < 0 ? rc : frc;
}

static int merge_duplicates(struct ingest_run *run, struct error *err)
{
	struct ctx *ctx = run->ctx;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT kind, external_id FROM ingest_staging WHERE run_id = ? "
	                       "GROUP BY kind, external_id HAVING COUNT(*) > 1",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run->id);
	const char **keys = NULL;
	size_t n = 0, alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		keys = arena_grow(ctx->arena, keys, n, &alloc, sizeof *keys);
		keys[n++] = stmt_text_dup(st, 0, ctx->arena);
		keys = arena_grow(ctx->arena, keys, n, &alloc, sizeof *keys);
		keys[n++] = stmt_text_dup(st, 1, ctx->arena);
	}
	stmt_reset(st);
	if (rc < 0 || n == 0)
		return rc < 0 ? rc : 0;
	struct sb sql = SB_INIT;
	sb_puts(&sql, "SELECT seq");
	for (int c = 0; c < C_COUNT; c++)
		sb_printf(&sql, ", %s", cols[c].name);
	/* Snapshots fold in the order the source changed them, not the order
	 * they were read: a review webhook's older copy of a pull request must
	 * not undo its merge.  Without updated_at, one that has not finished
	 * comes before one that has (NEWER): a running build read last must
	 * not undo its result. */
	sb_puts(&sql,
	        " FROM ingest_staging s WHERE run_id = ?1 AND kind = ?2 AND external_id = ?3 "
	        "ORDER BY CASE WHEN updated_at IS NULL THEN 0 ELSE 1 END, updated_at, "
	        "CASE WHEN updated_at IS NULL AND " UNFINISHED("s") " THEN 0 ELSE 1 END, seq");
	for (size_t i = 0; i < n && rc >= 0; i += 2)
		rc = merge_one(run, keys[i], keys[i + 1], sql.buf, err);
	sb_release(&sql);
	return rc < 0 ? rc : 0;
}

/* The file or URL a staged record of owner came from, for an error about it:
 * the records are staged by then, their documents long parsed. */
static const char *origin_of_owner(struct ingest_run *run, const char *system, const char *key)
{
	struct store_stmt *st;
	struct error ignored = {0};
	const char *origin = NULL;
	if (store_prepare(run->ctx->store,
	                  "SELECT r.origin FROM ingest_staging s JOIN raw_payloads r ON r.id = "
	                  "s.raw_id WHERE s.run_id = ?1 AND s.owner_system = ?2 AND "
	                  "s.owner_key = ?3 ORDER BY s.seq LIMIT 1",
	                  &st, &ignored) < 0)
		return NULL;
	stmt_bind_int(st, 1, run->id);
	stmt_bind_text(st, 2, system);
	stmt_bind_text(st, 3, key);
	if (stmt_step(st, &ignored) == STORE_ROW)
		origin = stmt_text_dup(st, 0, run->ctx->arena);
	stmt_reset(st);
	return origin;
}

/* The run's owners (a repository, job, service or project, by system and
 * key), read once: adopting, counting and keying them look each up once,
 * not once an event. */
struct owner {
	const char *system, *key;
};

static int cmp_owner(const void *x, const void *y)
{
	const struct owner *a = x, *b = y;
	int c = strcmp(a->system, b->system);
	return c ? c : strcmp(a->key, b->key);
}

static int load_owners(struct ingest_run *run, struct owner **out, size_t *n, struct error *err)
{
	struct ctx *ctx = run->ctx;
	struct store_stmt *st;
	*out = NULL;
	*n = 0;
	/* The owners seen as staged, unless governance skipped rows or a fold
	 * dropped another owner's: then some may have no row left, and an owner
	 * of no row must not be adopted. */
	const struct ingest_seen *seen = run->seen;
	if (seen && !run->counts.skipped && !seen->owner_folded) {
		*out = arena_array(ctx->arena, seen->owners.count + 1, sizeof **out);
		for (size_t i = 0; i < seen->owners.cap; i++) {
			const char *v[2];
			const char *key = seen->owners.slots[i].key;
			if (!key || !tuple_of(ctx->arena, key, v, 2))
				continue;
			if (!v[0] || !v[1])
				continue;
			(*out)[*n].system = v[0];
			(*out)[*n].key = v[1];
			(*n)++;
		}
		if (*n > 1)
			qsort(*out, *n, sizeof **out, cmp_owner);
		return 0;
	}
	int rc = store_prepare(ctx->store,
	                       /* DISTINCT keeps a few keys; GROUP BY would sort every
	                        * row. */
	                       "SELECT DISTINCT owner_system, owner_key FROM ingest_staging WHERE "
	                       "run_id = ?1 AND owner_system IS NOT NULL AND owner_key IS NOT NULL "
	                       "ORDER BY 1, 2",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run->id);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*out = arena_grow(ctx->arena, *out, *n, &alloc, sizeof **out);
		struct owner *o = &(*out)[(*n)++];
		o->system = stmt_text_dup(st, 0, ctx->arena);
		o->key = stmt_text_dup(st, 1, ctx->arena);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* One answer (0 or 1) of a query of the owner's system and key. */
static int owner_test(struct ctx *ctx, const char *sql, const struct owner *o, bool *yes,
                      struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, o->system);
	stmt_bind_text(st, 2, o->key);
	rc = stmt_step(st, err);
	*yes = rc == STORE_ROW && stmt_int(st, 0) != 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Repositories of the run that only path mappings cover: events carry no
 * file paths, so theirs get no service (SERVICE_OF_EVENT reads the
 * whole-repository mapping); counted, and the first named, for the output. */
static int count_path_only(struct ingest_run *run, const struct owner *owners, size_t n,
                           struct error *err)
{
	struct ingest_counts *k = &run->counts;
	k->path_only_repos = k->path_only_events = 0;
	k->path_only_repo = NULL;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		bool path_only = false;
		if (strcmp(owners[i].system, "github") != 0)
			continue;
		rc = owner_test(
		        run->ctx,
		        "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM service_mappings m WHERE "
		        "m.system = ?1 AND m.key = ?2 AND m.path_prefix = '') AND EXISTS "
		        "(SELECT 1 FROM service_mappings m WHERE m.system = ?1 AND m.key = ?2) "
		        "THEN 1 ELSE 0 END",
		        &owners[i], &path_only, err);
		if (rc < 0 || !path_only)
			continue;
		int64_t events = 0;
		struct store_stmt *st;
		rc = store_prepare(run->ctx->store,
		                   "SELECT COUNT(*) FROM ingest_staging WHERE run_id = ?1 AND "
		                   "owner_system = ?2 AND owner_key = ?3",
		                   &st, err);
		if (rc < 0)
			break;
		stmt_bind_int(st, 1, run->id);
		stmt_bind_text(st, 2, owners[i].system);
		stmt_bind_text(st, 3, owners[i].key);
		if ((rc = stmt_step(st, err)) == STORE_ROW)
			events = stmt_int(st, 0);
		stmt_reset(st);
		if (rc < 0)
			break;
		rc = 0;
		if (!k->path_only_repo)
			k->path_only_repo = owners[i].key;
		k->path_only_repos++;
		k->path_only_events += events;
	}
	return rc < 0 ? rc : 0;
}

/* Attribution: the service by mapping (or by name for deploy events),
 * the team that owned it when the event happened, and the person behind
 * the account (identities.h).  Over the columns of a row named `events`:
 * the attribution tables below apply them to each distinct owner and
 * account a run stages, which the insert joins; rows an update changed are
 * attributed again, row by row. */
#define SERVICE_OF_EVENT                                                                           \
	"CASE WHEN events.owner_system = 'deploy' THEN (SELECT v.id FROM services v WHERE "        \
	"v.name = events.owner_key) ELSE (SELECT m.service_id FROM service_mappings m WHERE "      \
	"m.system = events.owner_system AND m.key = events.owner_key AND m.path_prefix = '') END"

/* GitHub repositories renamed (or moved to another owner) upstream: for
 * each repository of the run, the one other repository its pull requests,
 * deployments or workflow runs were stored under (GitHub's ids of those
 * outlive a rename; a commit's sha does not tell a fork from a rename).
 * Read only when the run has an unmapped repository and the source has
 * stored events: a first backfill has none to match. */
struct renamed {
	const char *key, *from;
};

static int load_renames(struct ingest_run *run, struct renamed **out, size_t *n, struct error *err)
{
	struct ctx *ctx = run->ctx;
	*out = NULL;
	*n = 0;
	int64_t stored = 0;
	bool found = false;
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT 1 FROM events WHERE source_id = %lld LIMIT 1",
	         (long long)run->src.id);
	int rc = store_query_int(ctx->store, sql, &stored, &found, err);
	if (rc < 0 || !found)
		return rc < 0 ? rc : 0;
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "SELECT s.owner_key, MIN(e.owner_key), MAX(e.owner_key) FROM "
	                   "ingest_staging s JOIN events e ON e.source_id = ?2 AND e.kind = s.kind "
	                   "AND e.external_id = s.external_id WHERE s.run_id = ?1 AND s.kind IN "
	                   "('pull_request', 'deployment', 'ci_run') AND s.owner_system = 'github' "
	                   "AND e.owner_system = 'github' AND e.owner_key <> s.owner_key "
	                   "GROUP BY s.owner_key",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run->id);
	stmt_bind_int(st, 2, run->src.id);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		/* Records of two other repositories: no one rename to follow. */
		if (strcmp(stmt_text(st, 1), stmt_text(st, 2)) != 0)
			continue;
		*out = arena_grow(ctx->arena, *out, *n, &alloc, sizeof **out);
		(*out)[(*n)++] = (struct renamed){stmt_text_dup(st, 0, ctx->arena),
		                                  stmt_text_dup(st, 1, ctx->arena)};
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Things no mapping covers become services of their own; a deploy event
 * names its service, created when new.  A repository with mappings of
 * some of its paths only is not adopted: someone split it on purpose, and
 * a new unowned service for the whole would hide that its events found no
 * service.  Then each owner's service goes into publish_owners, which the
 * insert joins. */
static int adopt_unmapped(struct ingest_run *run, struct error *err)
{
	struct ctx *ctx = run->ctx;
	struct owner *owners;
	struct renamed *renames = NULL;
	size_t n, nrenames = 0;
	bool renames_read = false;
	int rc = load_owners(run, &owners, &n, err);
	for (size_t i = 0; i < n && rc >= 0; i++) {
		static const char *const adopted[] = {"github", "jenkins", "pagerduty", "jira",
		                                      "deploy"};
		const struct owner *o = &owners[i];
		bool adoptable = false, covered = false;
		for (size_t a = 0; a < sizeof adopted / sizeof *adopted; a++)
			adoptable = adoptable || strcmp(o->system, adopted[a]) == 0;
		if (!adoptable)
			continue;
		rc = owner_test(
		        ctx,
		        "SELECT CASE WHEN EXISTS (SELECT 1 FROM service_mappings m WHERE "
		        "m.system = ?1 AND m.key = ?2) OR (?1 = 'deploy' AND EXISTS (SELECT 1 "
		        "FROM services v WHERE v.name = ?2)) THEN 1 ELSE 0 END",
		        o, &covered, err);
		/* A repository renamed upstream that a push made a service of its
		 * own before its pull requests showed the rename: the service
		 * follows the rename once they do, while it is as ingest made it. */
		bool bare = false;
		if (rc >= 0 && covered && strcmp(o->system, "github") == 0)
			rc = ownership_adopted_as_made_tx(ctx, o->system, o->key, &bare, err);
		if (rc >= 0 && bare && !renames_read) {
			rc = load_renames(run, &renames, &nrenames, err);
			renames_read = true;
		}
		for (size_t r = 0; rc >= 0 && bare && r < nrenames; r++) {
			bool inherited = false;
			if (strcmp(renames[r].key, o->key) == 0 &&
			    (rc = ownership_rename_adopted_tx(ctx, o->system, o->key,
			                                      renames[r].from, &inherited, err)) ==
			            0)
				run->counts.repos_renamed += inherited;
		}
		if (rc < 0 || covered)
			continue;
		int64_t id;
		bool created;
		const char *name = o->key;
		if (strcmp(o->system, "deploy") == 0) {
			rc = org_service_ensure_tx(ctx, name, NULL, &id, &created, err);
			if (rc < 0) {
				const char *origin = origin_of_owner(run, o->system, name);
				err_detail(err,
				           "field service of a deploy event of source %s, in %s",
				           run->src.name, origin ? origin : "this run");
			} else {
				struct sb d = SB_INIT;
				sb_puts(&d, "{\"reason\":\"named by a deploy event\",\"source\":");
				sb_json_str(&d, run->src.name);
				sb_putc(&d, '}');
				rc = audit_append(ctx, "service.create", "service", name, d.buf,
				                  err);
				sb_release(&d);
			}
		} else {
			const char *from = NULL;
			if (strcmp(o->system, "github") == 0 && !renames_read) {
				rc = load_renames(run, &renames, &nrenames, err);
				renames_read = true;
			}
			for (size_t r = 0; r < nrenames && !from; r++)
				if (strcmp(renames[r].key, o->key) == 0)
					from = renames[r].from;
			bool inherited = false;
			if (rc >= 0)
				rc = ownership_adopt_tx(ctx, o->system, o->key, from, &id, &name,
				                        &created, &inherited, err);
			run->counts.repos_renamed += rc == 0 && inherited;
			if (rc < 0 && !err->detail[0]) {
				const char *origin = origin_of_owner(run, o->system, o->key);
				err_detail(err, "the %s %s of source %s, in %s", o->system,
				           strcmp(o->system, "github") == 0    ? "repository"
				           : strcmp(o->system, "jenkins") == 0 ? "job"
				           : strcmp(o->system, "jira") == 0    ? "project"
				                                               : "service",
				           run->src.name, origin ? origin : "this run");
			}
		}
		run->counts.services_created += rc == 0 && created;
	}
	if (rc >= 0)
		rc = count_path_only(run, owners, n, err);
	for (size_t i = 0; i < n && rc >= 0; i++) {
		struct store_stmt *st;
		rc = store_prepare(ctx->store,
		                   "INSERT INTO publish_owners(system, key, service_id) SELECT "
		                   "events.owner_system, events.owner_key, " SERVICE_OF_EVENT
		                   " FROM (SELECT CAST(?1 AS TEXT) AS owner_system, CAST(?2 AS "
		                   "TEXT) AS owner_key) events",
		                   &st, err);
		if (rc < 0)
			break;
		stmt_bind_text(st, 1, owners[i].system);
		stmt_bind_text(st, 2, owners[i].key);
		rc = stmt_step(st, err);
		stmt_reset(st);
	}
	return rc < 0 ? rc : 0;
}

/* Publishing SQL, generated from cols: a staged row s joins the stored row
 * e of the same record; "merged" is what e becomes (the merge rules of
 * cols); a row changes when merged differs from e in any column.  A staged
 * snapshot older than the stored one (by the source's own updated_at)
 * changes what merges whatever the order (the earliest start, a flag
 * either set, the earliest keys of attrs: merge_stored_attrs) and fills
 * what e lacks, but the account: a webhook delivered late must neither
 * undo a later state nor be lost where it knew better (an incident's
 * trigger after its resolution). */
#define STAGED_JOIN                                                                                \
	" FROM ingest_staging s JOIN events e ON e.source_id = ?2 AND e.kind = s.kind AND "        \
	"e.external_id = s.external_id WHERE s.run_id = ?1"
/* Whether s is the newer snapshot.  A record its source gives no updated_at
 * (a Jenkins build, a deploy event) has no order but its status: a snapshot
 * that has not finished is older than one that has (a running build read
 * after its result), else the later read wins.  Never NULL. */
#define NEWER                                                                                      \
	"(CASE WHEN s.updated_at IS NOT NULL AND e.updated_at IS NOT NULL THEN s.updated_at >= "   \
	"e.updated_at WHEN " UNFINISHED("s") " AND COALESCE(e.status, '') <> '' AND "              \
	                                     "NOT " UNFINISHED("e") " THEN 1 = 0 ELSE 1 = 1 END)"

/* What column c of e becomes. */
static void merged_expr(struct sb *sb, int c)
{
	const char *n = cols[c].name;
	/* Retention anonymized the stored row: what names its person stays out
	 * of it, whatever the source says again (its account, email and name,
	 * and the attributes it stripped).  An older snapshot never changes the
	 * account: its fields filled one by one could join one person's email
	 * to another's login. */
	if (c == C_ACCOUNT || c == C_ACCOUNT_EMAIL || c == C_ACCOUNT_NAME) {
		sb_printf(sb,
		          "CASE WHEN e.anonymized_at IS NOT NULL THEN NULL WHEN " NEWER
		          " THEN CASE WHEN " CLEARS_ACCOUNT " THEN NULL ELSE COALESCE(s.%s, e.%s) "
		          "END ELSE e.%s END",
		          n, n, n);
		return;
	}
	/* A newer snapshot that says nobody is named clears the account. */
	if (c == C_ACCOUNT_SYSTEM) {
		sb_printf(sb,
		          "CASE WHEN " NEWER " THEN CASE WHEN " CLEARS_ACCOUNT
		          " THEN NULL ELSE COALESCE(s.%s, e.%s) END ELSE e.%s END",
		          n, n, n);
		return;
	}
	/* Nor its branch name (but a deployment's): see retention's anonymize. */
	if (c == C_REF) {
		sb_printf(sb,
		          "CASE WHEN e.anonymized_at IS NOT NULL AND e.kind <> 'deployment' THEN "
		          "NULL WHEN " NEWER
		          " THEN COALESCE(s.%s, e.%s) ELSE COALESCE(e.%s, s.%s) END",
		          n, n, n, n);
		return;
	}
	/* Staged attrs are merged over the stored ones by then, older or newer
	 * (merge_stored_attrs). */
	if (c == C_ATTRS) {
		sb_printf(sb,
		          "CASE WHEN e.anonymized_at IS NOT NULL THEN e.%s ELSE COALESCE(s.%s, "
		          "e.%s) END",
		          n, n, n);
		return;
	}
	switch (cols[c].merge) {
	case M_MIN:
		/* A CI run's start is its latest attempt's (see enum merge_rule). */
		sb_printf(sb,
		          "CASE WHEN e.kind = 'ci_run' THEN CASE WHEN " NEWER
		          " AND s.%s > e.%s THEN s.%s ELSE e.%s END WHEN s.%s < e.%s THEN s.%s "
		          "ELSE e.%s END",
		          n, n, n, n, n, n, n, n);
		return;
	case M_OR:
		/* The bot flag, its account's: snapshots of one account agree on it
		 * whichever says it (GitHub's type "Bot" is not in every body), but
		 * a newer one naming another account (a Jira issue Automation for
		 * Jira assigned, then a person) brings its own, and an older one
		 * naming another leaves the stored account's. */
		sb_printf(sb,
		          "CASE WHEN e.anonymized_at IS NULL AND " CLEARS_ACCOUNT " AND " NEWER
		          " THEN 0 WHEN e.anonymized_at IS NOT NULL OR s.account IS NULL OR "
		          "s.account = e.account THEN CASE WHEN s.%s = 1 OR e.%s = 1 THEN 1 ELSE 0 "
		          "END WHEN " NEWER " THEN s.%s ELSE e.%s END",
		          n, n, n, n);
		return;
	default:
		break;
	}
	if (c == C_ENDED_AT) {
		/* An older snapshot's end fills a stored record that has ended
		 * without one (a resolution delivered after a later event about
		 * the resolved incident, which carries no end); a newer one that
		 * says the record is open clears it.  A deployment's end is its
		 * last success's or failure's time, as the fold of one run has it:
		 * an older status's later end (a retry's success read after the
		 * inactive that followed it, the first success stored) is that
		 * (found hunting: the failure between them, read last, then
		 * seemed the last word). */
		sb_printf(sb, "CASE WHEN NOT " NEWER " THEN CASE WHEN e.%s IS NULL AND NOT ", n);
		sql_status_open(sb, "e");
		sb_printf(sb,
		          " THEN s.%s WHEN e.kind = 'deployment' AND s.updated_at IS NOT NULL AND "
		          "s.%s > e.%s THEN s.%s ELSE e.%s END WHEN ",
		          n, n, n, n, n);
		sql_says_open(sb);
		sb_printf(sb, " THEN s.%s ELSE COALESCE(s.%s, e.%s) END", n, n, n);
	} else if (c == C_RAW_ID) {
		sb_printf(sb, "CASE WHEN NOT " NEWER " THEN e.%s ELSE s.%s END", n, n);
	} else if (c == C_STATUS) {
		/* A deployment's status is its latest: an older snapshot's status
		 * later than the stored success or failure (a stored record newer
		 * by its deployments page, whose updated_at GitHub moves with each
		 * status, filled by an earlier status) takes it over, as the fold
		 * of one run has it (found hunting: the status first read stayed, a
		 * failure the retry's success came after among them; and in review,
		 * a success the inactive replacing it came after).  A stored
		 * success's or failure's end is its time; a status snapshot's
		 * updated_at is its own. */
		sb_printf(sb,
		          "CASE WHEN NOT " NEWER
		          " THEN CASE WHEN e.kind = 'deployment' AND s.updated_at IS NOT NULL AND "
		          "s.%s IS NOT NULL AND e.%s IN ('success', 'failure', 'error') AND "
		          "(e.ended_at IS NULL OR s.updated_at > e.ended_at) THEN s.%s ELSE "
		          "COALESCE(e.%s, s.%s) END ELSE COALESCE(s.%s, e.%s) END",
		          n, n, n, n, n, n, n);
	} else {
		/* An older snapshot fills what the stored record lacks, as within
		 * a run (merge_one): the same documents give the same record
		 * however they are split into runs. */
		sb_printf(sb,
		          "CASE WHEN NOT " NEWER " THEN COALESCE(e.%s, s.%s) ELSE COALESCE(s.%s, "
		          "e.%s) END",
		          n, n, n, n);
	}
}

/* Whether merged differs from e in any column: an older snapshot changes
 * what is merged whatever the order, and fills what e lacks.  An incident
 * another source's run wrote last has just moved to this source
 * (rekey_reassigned_tx): a change even when nothing in it did, so that the
 * copy the other source held is kept as an earlier version naming its run
 * (as reconcile finds a moved record) and the event points at this
 * source's payload (found hunting: a source's --service narrowed, another
 * read the same page, and the move left no version and the old lineage). */
static void changed_pred(struct sb *sb)
{
	sb_puts(sb, " AND ((e.kind = 'incident' AND NOT EXISTS (SELECT 1 FROM ingest_runs x WHERE "
	            "x.id = e.run_id AND x.source_id = e.source_id)) OR ");
	bool first = true;
	for (int c = 0; c < C_COUNT; c++) {
		if (cols[c].merge == M_KEY || c == C_RAW_ID)
			continue;
		sb_puts(sb, first ? "" : " OR ");
		merged_expr(sb, c);
		sb_printf(sb, " IS DISTINCT FROM e.%s", cols[c].name);
		first = false;
	}
	sb_puts(sb, ")");
}

/* New events are attributed once per distinct owner and account of the
 * run, not once per event: a million events name a few thousand accounts,
 * and the per-event subqueries were half the publish's time.  The keyed
 * tables are the connection's own (temporary), filled, joined by the
 * insert and emptied in the publish transaction, so a rollback empties
 * them too.  The accounts are keyed before governance, which reads them
 * (govern.h); the owners by adopt_unmapped, which creates services. */
static const char *const sql_attribution_tables[] = {
        "CREATE TEMP TABLE IF NOT EXISTS publish_owners (system TEXT NOT NULL, key TEXT NOT "
        "NULL, service_id BIGINT, PRIMARY KEY (system, key))",
        "CREATE TEMP TABLE IF NOT EXISTS publish_accounts (system_k TEXT NOT NULL, login_k "
        "TEXT NOT NULL, email_k TEXT NOT NULL, person_id BIGINT, PRIMARY KEY (system_k, "
        "login_k, email_k))",
};

#define DISTINCT_ACCOUNTS                                                                          \
	"(SELECT DISTINCT account_system, account, account_email FROM ingest_staging WHERE "       \
	"run_id = ?1)"

/* One account, as key_accounts reads it from the run's seen set (%s: the
 * store's BYTES, so lower() changes it as it would the staged column). */
static const char sql_account[] =
        "INSERT INTO publish_accounts(system_k, login_k, email_k, person_id) SELECT " ACCOUNT_KEYS
        ", " IDENTITY_PERSON_OF_EVENT " FROM (SELECT CAST(?1 AS TEXT)%1$s AS account_system, "
        "CAST(?2 AS TEXT)%1$s AS account, CAST(?3 AS TEXT)%1$s AS account_email) events WHERE "
        "true ON CONFLICT DO NOTHING";
/* Keys already there (the run's accounts before governance pseudonymized
 * some of them) keep their person. */
static const char sql_accounts[] =
        "INSERT INTO publish_accounts(system_k, login_k, email_k, person_id) SELECT " ACCOUNT_KEYS
        ", " IDENTITY_PERSON_OF_EVENT " FROM " DISTINCT_ACCOUNTS
        " events WHERE true ON CONFLICT DO NOTHING";

struct publish_sql {
	const char *count_updated, *versions, *update;
	/* insert_all when every staged row is new; insert skips stored ones. */
	const char *insert, *insert_all;
};

static void publish_sql(struct arena *a, struct publish_sql *q)
{
	struct sb sb = SB_INIT;
	sb_puts(&sb, "SELECT COUNT(*)" STAGED_JOIN);
	changed_pred(&sb);
	q->count_updated = arena_strdup(a, sb.buf);

	sb_reset(&sb);
	sb_puts(&sb,
	        "INSERT INTO event_versions(event_id, version, service_id, team_id, person_id");
	for (int c = 0; c < C_COUNT; c++)
		if (cols[c].merge != M_KEY)
			sb_printf(&sb, ", %s", cols[c].name);
	sb_puts(&sb, ", run_id, superseded_at) SELECT e.id, e.version, e.service_id, e.team_id, "
	             "e.person_id");
	for (int c = 0; c < C_COUNT; c++)
		if (cols[c].merge != M_KEY)
			sb_printf(&sb, ", e.%s", cols[c].name);
	sb_puts(&sb, ", e.run_id, ?3" STAGED_JOIN);
	changed_pred(&sb);
	q->versions = arena_strdup(a, sb.buf);

	sb_reset(&sb);
	sb_puts(&sb, "UPDATE events AS e SET version = e.version + 1");
	for (int c = 0; c < C_COUNT; c++) {
		if (cols[c].merge == M_KEY)
			continue;
		sb_printf(&sb, ", %s = ", cols[c].name);
		merged_expr(&sb, c);
	}
	sb_puts(&sb, ", run_id = ?1, last_changed = ?3 FROM ingest_staging s WHERE s.run_id = ?1 "
	             "AND e.source_id = ?2 AND e.kind = s.kind AND e.external_id = s.external_id");
	changed_pred(&sb);
	q->update = arena_strdup(a, sb.buf);

	sb_reset(&sb);
	sb_puts(&sb, "INSERT INTO events(source_id, version, run_id, first_seen, last_changed, "
	             "service_id, team_id, person_id");
	for (int c = 0; c < C_COUNT; c++)
		sb_printf(&sb, ", %s", cols[c].name);
	sb_puts(&sb, ") SELECT ?2, 1, ?1, ?3, ?3, po.service_id, " ORG_TEAM_OF(
	                     "po.service_id", "events.occurred_at") ", pa.person_id");
	for (int c = 0; c < C_COUNT; c++)
		if (c == C_ACCOUNT_SYSTEM) /* not the mark of a row naming nobody */
			sb_puts(&sb,
			        ", CASE WHEN events.account IS NULL AND events.account_email IS "
			        "NULL THEN NULL ELSE events.account_system END");
		else
			sb_printf(&sb, ", events.%s", cols[c].name);
	sb_puts(&sb, " FROM ingest_staging events LEFT JOIN publish_owners po ON po.system = "
	             "events.owner_system AND po.key = events.owner_key LEFT JOIN "
	             "publish_accounts pa ON (pa.system_k, pa.login_k, pa.email_k) = "
	             "(" ACCOUNT_KEYS ") WHERE events.run_id = ?1");
	/* Probing for stored rows cost a third of a first ingest's insert;
	 * leaving them to ON CONFLICT would spend an id per stored row on
	 * PostgreSQL (its default is taken first), so the probe stays when
	 * some are stored. */
	q->insert_all = arena_printf(a, "%s ORDER BY events.seq", sb.buf);
	q->insert = arena_printf(a,
	                         "%s AND NOT EXISTS (SELECT 1 FROM events e WHERE e.source_id = ?2 "
	                         "AND e.kind = events.kind AND e.external_id = events.external_id) "
	                         "ORDER BY events.seq",
	                         sb.buf);
	sb_release(&sb);
}

/* The run's accounts keyed, each with its person: from the accounts seen
 * as staged (a superset of what is left, which costs only unused keys),
 * else from the staged rows. */
static int key_accounts(struct ingest_run *run, struct error *err)
{
	struct ctx *ctx = run->ctx;
	int rc = 0;
	for (size_t i = 0;
	     i < sizeof sql_attribution_tables / sizeof *sql_attribution_tables && rc == 0; i++)
		rc = store_exec(ctx->store, sql_attribution_tables[i], err);
	if (rc < 0 || !run->seen)
		return rc < 0 ? rc : run_sql3(ctx, sql_accounts, run->id, -1, -1, err);
	const struct hmap *seen = &run->seen->accounts;
	const char *sql = arena_printf(ctx->arena, sql_account, store_token(ctx->store, "BYTES"));
	for (size_t i = 0; i < seen->cap && rc >= 0; i++) {
		const char *v[3];
		if (!seen->slots[i].key || !tuple_of(ctx->arena, seen->slots[i].key, v, 3))
			continue;
		struct store_stmt *st;
		rc = store_prepare(ctx->store, sql, &st, err);
		if (rc < 0)
			break;
		for (int c = 0; c < 3; c++)
			stmt_bind_text(st, c + 1, v[c]);
		rc = stmt_step(st, err);
		stmt_reset(st);
	}
	return rc < 0 ? rc : 0;
}

/* The run's new events, attributed through the keyed tables. */
/* A run that brings at least this many new events, and at least as many as
 * events holds (a first backfill), builds the table's indexes once after its
 * insert rather than entry by entry: publishing 1,000,000 events into an
 * empty table took a median 13.4 s instead of 14.7 s over five alternating
 * runs (docs/PERFORMANCE.md).  Building reads the whole
 * table, so a run smaller than what is stored keeps them; so does a small
 * one, whose drops would only make every connection read the schema again. */
#define BULK_EVENTS 10000

static int insert_new(struct ingest_run *run, const char *insert, int64_t now, struct error *err)
{
	struct ctx *ctx = run->ctx;
	int64_t inserted = run->counts.inserted, held = 0;
	struct store_indexes *dropped = NULL;
	int rc = 0;
	/* Pseudonyms governance gave are accounts of no one, keyed too. */
	if (run->counts.pseudonymized)
		rc = run_sql3(ctx, sql_accounts, run->id, -1, -1, err);
	/* The highest id bounds the rows held from above, from one index probe. */
	if (rc == 0 && inserted >= BULK_EVENTS)
		rc = store_query_int(ctx->store, "SELECT MAX(id) FROM events", &held, NULL, err);
	if (rc == 0 && inserted >= BULK_EVENTS && held <= inserted)
		rc = store_indexes_drop(ctx->store, "events", ctx->arena, &dropped, err);
	if (rc == 0)
		rc = run_sql3(ctx, insert, run->id, run->src.id, now, err);
	if (rc == 0 && dropped)
		rc = store_indexes_create(ctx->store, dropped, err);
	return rc;
}

/* Emptied again in the publish that filled them: they name accounts and
 * people, and retention and erasure do not look there. */
static int empty_attribution(struct store *store, struct error *err)
{
	int rc = store_exec(store, "DELETE FROM publish_owners", err);
	return rc < 0 ? rc : store_exec(store, "DELETE FROM publish_accounts", err);
}

/* Staged attrs merged over the stored ones before comparing, so a page
 * that lacks a key another format gave does not erase it; a staged
 * snapshot older than the stored one brings its earliest keys and those
 * the stored lack (attrs_merge), NULL when it has none to bring. */
static int merge_stored_attrs(struct ingest_run *run, struct error *err)
{
	struct ctx *ctx = run->ctx;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT s.seq, s.attrs, e.attrs, CASE WHEN " NEWER
	                       " THEN 1 ELSE 0 END, CASE WHEN e.status = 'success' THEN 1 ELSE 0 "
	                       "END, e.ended_at, s.ended_at" STAGED_JOIN
	                       " AND s.attrs IS NOT NULL AND (e.attrs IS NULL AND NOT " NEWER
	                       " OR e.attrs IS NOT NULL AND s.attrs <> e.attrs)",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run->id);
	stmt_bind_int(st, 2, run->src.id);
	int64_t *seqs = NULL;
	const char **attrs = NULL;
	size_t n = 0, a1 = 0, a2 = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		seqs = arena_grow(ctx->arena, seqs, n, &a1, sizeof *seqs);
		attrs = arena_grow(ctx->arena, attrs, n, &a2, sizeof *attrs);
		seqs[n] = stmt_int(st, 0);
		const struct attrs_ends ends = {stmt_is_null(st, 5) ? INT64_MIN : stmt_int(st, 5),
		                                stmt_is_null(st, 6) ? INT64_MIN : stmt_int(st, 6),
		                                stmt_int(st, 4) != 0};
		attrs[n++] =
		        attrs_merge(ctx->arena, stmt_text_dup(st, 2, ctx->arena),
		                    stmt_text_dup(st, 1, ctx->arena), stmt_int(st, 3) != 0, &ends);
	}
	stmt_reset(st);
	if (rc < 0 || n == 0)
		return rc < 0 ? rc : 0;
	rc = store_prepare(ctx->store,
	                   "UPDATE ingest_staging SET attrs = ?3 WHERE run_id = ?1 AND seq = ?2",
	                   &st, err);
	for (size_t i = 0; i < n && rc >= 0; i++) {
		stmt_bind_int(st, 1, run->id);
		stmt_bind_int(st, 2, seqs[i]);
		stmt_bind_text(st, 3, attrs[i]);
		rc = stmt_step(st, err);
		stmt_reset(st);
	}
	return rc < 0 ? rc : 0;
}

static const char *const sql_attribute_updated =
        "UPDATE events SET service_id = " SERVICE_OF_EVENT ", team_id = " ORG_TEAM_OF(
                "(" SERVICE_OF_EVENT ")",
                "events.occurred_at") ", person_id = CASE WHEN anonymized_at "
                                      "IS NOT NULL THEN NULL ELSE " IDENTITY_PERSON_OF_EVENT
                                      " END WHERE run_id = ?1 AND version > 1";

/* A deploy event's success without its finish (staged without an end, its
 * start stamped as its first success, marked attrs.finish_implied: collect_row)
 * finished as it started, unless a delivery of it said when it finished:
 * then it keeps that finish and first success, whichever came first (found
 * hunting: the event sent again without its finish replaced the finish with
 * its start, and the DORA keys counted it then).  Within a run the rows are
 * folded by then (one with a finish gave it, implied_gives_way); the record
 * may be in another status since (inactive, found in review: a success then
 * inactive in one run, given no end, was never counted).  The mark stays
 * while no delivery said the finish, for one that does to replace it, and
 * for the DORA keys not to take the version it was in for a first success. */
static int fill_implied_ends(struct ingest_run *run, struct error *err)
{
	struct ctx *ctx = run->ctx;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT s.seq, s.occurred_at, s.attrs, e.status, e.ended_at, e.attrs FROM "
	        "ingest_staging s LEFT JOIN events e ON e.source_id = ?2 AND e.kind = s.kind AND "
	        "e.external_id = s.external_id WHERE s.run_id = ?1 AND s.kind = 'deployment' AND "
	        "s.ended_at IS NULL AND s.attrs IS NOT NULL",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run->id);
	stmt_bind_int(st, 2, run->src.id);
	int64_t *seqs = NULL, *ends = NULL;
	const char **attrs = NULL;
	size_t n = 0, a1 = 0, a2 = 0, a3 = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		cJSON *staged = cJSON_Parse(stmt_text(st, 2));
		if (!cJSON_GetObjectItemCaseSensitive(staged, "finish_implied")) {
			cJSON_Delete(staged);
			continue;
		}
		int64_t success = stmt_int(st, 1), end;
		attrs_time(staged, "success_at", &success);
		cJSON *stored = stmt_is_null(st, 5) ? NULL : cJSON_Parse(stmt_text(st, 5));
		bool stored_implied = cJSON_GetObjectItemCaseSensitive(stored, "finish_implied");
		bool stored_success = !stored_implied && !stmt_is_null(st, 3) &&
		                      strcmp(stmt_text(st, 3), "success") == 0 &&
		                      !stmt_is_null(st, 4);
		/* A finish a delivery gave: the stored success's, or its first
		 * success kept under a later status. */
		int64_t kept;
		bool real = false;
		if (!stored_implied && attrs_time(stored, "success_at", &kept)) {
			success = kept;
			real = true;
		} else if (stored_success) {
			success = stmt_int(st, 4);
			real = true;
		}
		end = stored_success ? stmt_int(st, 4) : success;
		cJSON_Delete(stored);
		if (real) {
			char buf[TS_BUF];
			cJSON_DeleteItemFromObjectCaseSensitive(staged, "finish_implied");
			cJSON_DeleteItemFromObjectCaseSensitive(staged, "success_at");
			cJSON_AddStringToObject(staged, "success_at", ts_format(success, buf));
		}
		char *text = cJSON_PrintUnformatted(staged);
		cJSON_Delete(staged);
		seqs = arena_grow(ctx->arena, seqs, n, &a1, sizeof *seqs);
		ends = arena_grow(ctx->arena, ends, n, &a2, sizeof *ends);
		attrs = arena_grow(ctx->arena, attrs, n, &a3, sizeof *attrs);
		seqs[n] = stmt_int(st, 0);
		ends[n] = end;
		attrs[n++] = arena_strdup(ctx->arena, text);
		cJSON_free(text);
	}
	stmt_reset(st);
	if (rc < 0 || n == 0)
		return rc < 0 ? rc : 0;
	rc = store_prepare(ctx->store,
	                   "UPDATE ingest_staging SET ended_at = ?3, attrs = ?4 WHERE run_id = ?1 "
	                   "AND seq = ?2",
	                   &st, err);
	for (size_t i = 0; i < n && rc >= 0; i++) {
		stmt_bind_int(st, 1, run->id);
		stmt_bind_int(st, 2, seqs[i]);
		stmt_bind_int(st, 3, ends[i]);
		stmt_bind_text(st, 4, attrs[i]);
		rc = stmt_step(st, err);
		stmt_reset(st);
	}
	return rc < 0 ? rc : 0;
}

static bool webhook_run(const struct ingest_run *run)
{
	return strcmp(run->mode, "webhook") == 0;
}

/* What webhook_deliveries keys the run's delivery by: its id, or the key
 * given when it has none. */
static const char *delivery_key(const struct ingest_run *run)
{
	return run->delivery_id ? run->delivery_id : run->delivery_key;
}

int ingest_delivery_stored_tx(struct ctx *ctx, const char *source, const char *key, const char **by,
                              int64_t *run_id, struct error *err)
{
	*by = NULL;
	*run_id = 0;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        /* From the sources (CROSS JOIN: SQLite keeps the order), so each is
	         * one probe of (source_id, delivery_id), not a scan of every
	         * delivery (found in review). */
	        "SELECT s.name, d.run_id FROM sources me CROSS JOIN sources s CROSS JOIN "
	        "webhook_deliveries d WHERE me.name = ?1 AND d.source_id = s.id AND "
	        "d.delivery_id = ?2 AND (s.id = me.id OR (s.kind = me.kind AND "
	        "s.webhook_secret_env = me.webhook_secret_env)) ORDER BY CASE WHEN s.id = me.id "
	        "THEN 0 ELSE 1 END LIMIT 1",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, source);
	stmt_bind_text(st, 2, key);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		*by = stmt_text_dup(st, 0, ctx->arena);
		*run_id = stmt_is_null(st, 1) ? 0 : stmt_int(st, 1);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Whether the run's webhook delivery was recorded before (a redelivery), by
 * its source or another of its hook (found hunting: a delivery queued for a
 * source paused since, redelivered to the other meanwhile and then requeued,
 * was stored twice). */
static int delivery_seen(struct ingest_run *run, bool *seen, struct error *err)
{
	const char *by;
	int64_t earlier;
	int rc = ingest_delivery_stored_tx(run->ctx, run->src.name, delivery_key(run), &by,
	                                   &earlier, err);
	*seen = by != NULL;
	return rc;
}

static int record_delivery(struct ingest_run *run, int64_t now, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(run->ctx->store,
	                       "INSERT INTO webhook_deliveries(source_id, delivery_id, run_id, "
	                       "received_at) VALUES (?, ?, ?, ?)",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run->src.id);
	stmt_bind_text(st, 2, delivery_key(run));
	stmt_bind_int(st, 3, run->id);
	stmt_bind_int(st, 4, run->received_at ? run->received_at : now);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The services and kinds of the events this run inserted or changed (their
 * run_id is this run's), read from the staged keys before they go: the
 * service an event has now, and the one it had before this run changed it
 * (an incident reassigned to another PagerDuty service, a Jira issue moved
 * to another project), whose events changed too (found by a reassignment:
 * only the new service's dashboards were refreshed). */
static int collect_touched(struct ingest_run *run, struct error *err)
{
	struct ctx *ctx = run->ctx;
	struct ingest_touched *t = &run->touched;
	memset(t, 0, sizeof *t);
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT e.kind, e.service_id" STAGED_JOIN
	                       " AND e.run_id = ?1 UNION SELECT e.kind, v.service_id FROM "
	                       "ingest_staging s JOIN events e ON e.source_id = ?2 AND e.kind = "
	                       "s.kind AND e.external_id = s.external_id JOIN event_versions v ON "
	                       "v.event_id = e.id AND v.version = e.version - 1 WHERE s.run_id = "
	                       "?1 AND e.run_id = ?1 ORDER BY 2",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run->id);
	stmt_bind_int(st, 2, run->src.id);
	bool kinds[EVENT_KIND_COUNT] = {false};
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		enum event_kind kind;
		struct error ignored = {0};
		if (event_kind_parse(stmt_text(st, 0), &kind, &ignored) == 0)
			kinds[kind] = true;
		if (stmt_is_null(st, 1))
			continue;
		int64_t service = stmt_int(st, 1);
		if (t->nservices && t->service_ids[t->nservices - 1] == service)
			continue;
		t->service_ids = arena_grow(ctx->arena, t->service_ids, t->nservices, &alloc,
		                            sizeof *t->service_ids);
		t->service_ids[t->nservices++] = service;
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	t->kinds = arena_alloc(ctx->arena, EVENT_KIND_COUNT * sizeof *t->kinds);
	for (int k = 0; k < EVENT_KIND_COUNT; k++)
		if (kinds[k])
			t->kinds[t->nkinds++] = event_kind_name((enum event_kind)k);
	return 0;
}

/* Delete the run's staging rows. When no other run has any (the usual case), every row
 * goes, and SQLite, checking no foreign keys (ingest_run_publish), then frees the table's
 * pages without visiting each row: 4.0 s against 7.5 s for 1,000,000 rows in sqlite3.
 * Writers run one at a time on both engines (store.h), so no other run can stage rows
 * between the check and the delete. */
static int drop_staging(struct ctx *ctx, int64_t run, struct error *err)
{
	struct store_stmt *st;
	/* Two subqueries: each is then one step down the primary key. */
	int rc = store_prepare(ctx->store,
	                       "SELECT (SELECT MIN(run_id) FROM ingest_staging), "
	                       "(SELECT MAX(run_id) FROM ingest_staging)",
	                       &st, err);
	if (rc < 0)
		return rc;
	rc = stmt_step(st, err);
	bool only_this_run = rc == STORE_ROW && !stmt_is_null(st, 0) && stmt_int(st, 0) == run &&
	                     stmt_int(st, 1) == run;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (only_this_run)
		return store_exec(ctx->store, "DELETE FROM ingest_staging", err);
	return run_sql3(ctx, "DELETE FROM ingest_staging WHERE run_id = ?1", run, -1, -1, err);
}

#define RUN_SPELLING                                                                               \
	"(SELECT r.resource FROM run_cursors r WHERE r.run_id = ?1 AND lower(r.resource) = "       \
	"lower(sync_cursors.resource))"
static const char sql_cursor_respelt[] =
        "UPDATE sync_cursors SET resource = " RUN_SPELLING " WHERE source_id = ?2 AND "
        "resource <> " RUN_SPELLING " AND NOT EXISTS (SELECT 1 FROM sync_cursors c WHERE "
        "c.source_id = ?2 AND lower(c.resource) = lower(sync_cursors.resource) AND "
        "c.resource <> sync_cursors.resource)";

/* The run's cursors become the source's: only now, as it publishes.  A
 * cursor and ETag as they were keep their time, when they last moved (a
 * sync answered 304 throughout moves none). */
static int move_cursors(struct ctx *ctx, int64_t run_id, int64_t src_id, bool github, int64_t now,
                        struct error *err)
{
	/* A GitHub repository's cursor under another spelling of its name
	 * (sync reads it in any case) takes the run's, keeping its time when
	 * it is the only one; others give way. */
	int rc = github ? run_sql3(ctx, sql_cursor_respelt, run_id, src_id, -1, err) : 0;
	if (rc == 0 && github)
		rc = run_sql3(
		        ctx,
		        "DELETE FROM sync_cursors WHERE source_id = ?2 AND EXISTS (SELECT 1 "
		        "FROM run_cursors r WHERE r.run_id = ?1 AND lower(r.resource) = "
		        "lower(sync_cursors.resource) AND r.resource <> sync_cursors.resource)",
		        run_id, src_id, -1, err);
	if (rc == 0)
		rc = run_sql3(
		        ctx,
		        "INSERT INTO sync_cursors(source_id, resource, cursor, etag, updated_at) "
		        "SELECT ?2, resource, cursor, etag, ?3 FROM run_cursors WHERE run_id = ?1 "
		        "ON CONFLICT (source_id, resource) DO UPDATE SET cursor = "
		        "excluded.cursor, etag = excluded.etag, updated_at = excluded.updated_at "
		        "WHERE sync_cursors.cursor IS DISTINCT FROM excluded.cursor OR "
		        "sync_cursors.etag IS DISTINCT FROM excluded.etag",
		        run_id, src_id, now, err);
	return rc < 0 ? rc
	              : run_sql3(ctx, "DELETE FROM run_cursors WHERE run_id = ?1", run_id, -1, -1,
	                         err);
}

/* A run another found abandoned is failed: it must not publish or close. */
static int still_staging(struct ingest_run *run, struct error *err)
{
	int64_t staging = 0;
	int rc = count_run(run->ctx,
	                   "SELECT COUNT(*) FROM ingest_runs WHERE id = ?1 AND status = 'staging'",
	                   run->id, -1, &staging, err);
	if (rc == 0 && !staging) {
		rc = err_set(err, ERR_CONFLICT, "run %lld is no longer staging",
		             (long long)run->id);
		err_detail(err, "another run of %s found it abandoned and recorded it failed",
		           run->src.name);
		err_hint(err, "run it again");
	}
	return rc;
}

/* A GitHub deployment status (a row without a sha: a REST statuses item,
 * whose start is only its own time) dated before the creation of its
 * deployment (a row with a sha: a deployment object, which always names
 * one), in this run or stored, would move the deployment's start back to
 * it: an error naming the file, as for a webhook (parse_github.c).  Both
 * ways round: the status staged, or the deployment staged after it.  In
 * the run, each id's earliest status against its latest deployment (g),
 * then those two rows: a deployment's k statuses were each compared with
 * all its rows, k^2 (5 deployments of 3,200 statuses: 8.4 s to publish).
 * CROSS JOIN keeps SQLite starting from g. */
static const char sql_status_before_deployment[] =
        "SELECT st.external_id, st.occurred_at, st.raw_id, d.occurred_at, d.raw_id FROM "
        "(SELECT external_id, MIN(CASE WHEN sha IS NULL AND owner_system = 'github' THEN "
        "occurred_at END) AS st_at, MAX(CASE WHEN sha IS NOT NULL THEN occurred_at END) AS "
        "d_at FROM ingest_staging WHERE run_id = ?1 AND kind = 'deployment' GROUP BY "
        "external_id) g CROSS JOIN ingest_staging st CROSS JOIN ingest_staging d "
        "WHERE st.run_id = ?1 AND st.kind = 'deployment' AND st.external_id = g.external_id "
        "AND d.run_id = ?1 AND d.kind = 'deployment' AND d.external_id = g.external_id "
        "AND g.st_at < g.d_at AND "
        "st.owner_system = 'github' AND st.sha IS NULL AND st.occurred_at = g.st_at AND "
        "d.sha IS NOT NULL AND d.occurred_at = g.d_at "
        "UNION ALL SELECT s.external_id, s.occurred_at, s.raw_id, e.occurred_at, "
        "e.raw_id" STAGED_JOIN " AND s.kind = 'deployment' AND s.owner_system = 'github' AND "
        "s.sha IS NULL AND e.sha IS NOT NULL AND s.occurred_at < e.occurred_at "
        "UNION ALL SELECT s.external_id, e.occurred_at, e.raw_id, s.occurred_at, "
        "s.raw_id" STAGED_JOIN " AND s.kind = 'deployment' AND s.owner_system = 'github' AND "
        "s.sha IS NOT NULL AND e.sha IS NULL AND e.occurred_at < s.occurred_at LIMIT 1";

static const char *origin_of_raw(struct ctx *ctx, int64_t raw_id)
{
	struct store_stmt *st;
	struct error ignored = {0};
	const char *origin = NULL;
	if (store_prepare(ctx->store, "SELECT origin FROM raw_payloads WHERE id = ?1", &st,
	                  &ignored) < 0)
		return "?";
	stmt_bind_int(st, 1, raw_id);
	if (stmt_step(st, &ignored) == STORE_ROW)
		origin = stmt_text_dup(st, 0, ctx->arena);
	stmt_reset(st);
	return origin ? origin : "?";
}

/* Prepare sql, bind ?1 to the run and ?2 to its source, and step: 1 with
 * *st on the first row (the caller resets it), 0 when there is none. */
static int run_first_row(struct ingest_run *run, const char *sql, struct store_stmt **st,
                         struct error *err)
{
	int rc = store_prepare(run->ctx->store, sql, st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(*st, 1, run->id);
	stmt_bind_int(*st, 2, run->src.id);
	rc = stmt_step(*st, err);
	if (rc == STORE_ROW)
		return 1;
	stmt_reset(*st);
	return rc < 0 ? rc : 0;
}

static int check_status_times(struct ingest_run *run, struct error *err)
{
	struct ctx *ctx = run->ctx;
	struct store_stmt *st;
	int rc = run_first_row(run, sql_status_before_deployment, &st, err);
	if (rc <= 0)
		return rc;
	const char *id = stmt_text_dup(st, 0, ctx->arena);
	int64_t status_at = stmt_int(st, 1), status_raw = stmt_int(st, 2);
	int64_t created = stmt_int(st, 3), deployment_raw = stmt_int(st, 4);
	stmt_reset(st);
	char t0[TS_BUF], t1[TS_BUF];
	err_set(err, ERR_INVALID,
	        "%s: deployment %s: a status at %s is before the deployment's created_at %s",
	        origin_of_raw(ctx, status_raw), id, ts_format(status_at, t0),
	        ts_format(created, t1));
	err_detail(err, "the deployment is in %s", origin_of_raw(ctx, deployment_raw));
	err_hint(err, "a deployment's status is created at or after the deployment; nothing was "
	              "written");
	return err->code;
}

/* A deploy event's id named for another service or environment than by an
 * earlier file of the run, or by the stored deployment: one id names one
 * deployment across files and runs as within a file (parse_deploy.c), where
 * the fold would make one record of the two (the later service, the earlier
 * start and success).  Deploy sources only (owner_system deploy).  Each
 * id's rows against its first (f), found by key (+seq: SQLite read the
 * rest of the run for every row by seq instead, and every pair of an id's
 * rows was compared): 12,346 deploy events took 10.7 s to publish, 50,000
 * took 274 s (docs/PERFORMANCE.md, Ingest, 2026-12-05).  A row that differs
 * from another differs from the first (owner_key and environment are
 * never NULL on a deploy row: parse_deploy.c requires both). */
static const char sql_deploy_id_elsewhere[] =
        "SELECT b.external_id, b.owner_key, b.environment, b.raw_id, a.owner_key, "
        "a.environment, a.raw_id, 0 FROM (SELECT MIN(seq) AS seq FROM ingest_staging WHERE "
        "run_id = ?1 AND kind = 'deployment' AND owner_system = 'deploy' GROUP BY "
        "external_id) f JOIN ingest_staging a ON a.run_id = ?1 AND a.seq = f.seq "
        "JOIN ingest_staging b ON b.run_id = a.run_id AND b.kind = a.kind AND "
        "b.external_id = a.external_id AND +b.seq > +a.seq "
        "WHERE (b.owner_key <> a.owner_key OR b.environment <> a.environment) "
        "UNION ALL SELECT s.external_id, s.owner_key, s.environment, s.raw_id, e.owner_key, "
        "e.environment, e.raw_id, 1" STAGED_JOIN " AND s.kind = 'deployment' AND "
        "s.owner_system = 'deploy' AND (e.owner_key <> s.owner_key OR e.environment <> "
        "s.environment) LIMIT 1";

static int check_deploy_ids(struct ingest_run *run, struct error *err)
{
	struct ctx *ctx = run->ctx;
	if (strcmp(run->src.kind, "deploy") != 0)
		return 0;
	struct store_stmt *st;
	int rc = run_first_row(run, sql_deploy_id_elsewhere, &st, err);
	if (rc <= 0)
		return rc;
	const char *id = stmt_text_dup(st, 0, ctx->arena);
	const char *service = stmt_text_dup(st, 1, ctx->arena);
	const char *env = stmt_text_dup(st, 2, ctx->arena);
	int64_t raw = stmt_int(st, 3);
	const char *first_service = stmt_text_dup(st, 4, ctx->arena);
	const char *first_env = stmt_text_dup(st, 5, ctx->arena);
	int64_t first_raw = stmt_int(st, 6);
	bool stored = stmt_int(st, 7) != 0;
	stmt_reset(st);
	const char *first = origin_of_raw(ctx, first_raw);
	err_set(err, ERR_INVALID,
	        "%s: id: '%.80s' names a deployment of %.80s to %.80s, but %s%s%s one of %.80s "
	        "to %.80s; one id names one deployment",
	        origin_of_raw(ctx, raw), id, service, env,
	        stored ? "the stored one (read from " : "", first, stored ? ") is" : " names it",
	        first_service, first_env);
	err_hint(err, "give this one its own id, or none; nothing was written");
	return err->code;
}

static int publish_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct ingest_run *run = arg;
	if (run_session_kept(run, err) < 0)
		return err->code;
	struct ingest_counts *k = &run->counts;
	int64_t now = ts_clock_ms(), src = run->src.id, id = run->id;
	k->merged = k->services_created = k->inserted = k->updated = k->unchanged = k->moved = 0;
	k->unmatched_accounts = k->repos_renamed = k->reassigned = 0;
	run->duplicate = false;
	memset(&run->touched, 0, sizeof run->touched);
	bool webhook = webhook_run(run) && delivery_key(run);
	int rc = still_staging(run, err);
	/* Writers run one at a time (store.h), so no second delivery of the
	 * same id can slip in between this check and the insert below. */
	if (rc == 0 && webhook) {
		rc = delivery_seen(run, &run->duplicate, err);
		if (rc == 0 && run->duplicate)
			return CTX_ROLLBACK;
	}
	if (rc < 0)
		return rc;
	struct publish_sql q;
	publish_sql(ctx->arena, &q);
	/* Snapshots of one record under two keys (moved or renamed upstream)
	 * take one key first, so they fold too. */
	rc = rekey_staged_tx(ctx, id, err);
	if (rc == 0)
		rc = check_status_times(run, err);
	if (rc == 0)
		rc = check_deploy_ids(run, err);
	if (rc == 0)
		rc = merge_duplicates(run, err);
	/* Before governance, which treats a record stored before differently. */
	if (rc == 0)
		rc = rekey_stored_tx(ctx, id, src, &k->moved, err);
	if (rc == 0 && strcmp(run->src.kind, "pagerduty") == 0) {
		int64_t reassigned = 0;
		rc = rekey_reassigned_tx(ctx, id, src, &reassigned, err);
		k->moved += reassigned;
		k->reassigned = reassigned;
	}
	if (rc == 0)
		rc = rekey_parents_tx(ctx, id, src, err);
	if (rc == 0)
		rc = key_accounts(run, err);
	/* Governance first: what it skips creates no service either. */
	if (rc == 0)
		rc = ingest_govern_tx(ctx, id, src, k, err);
	if (rc == 0)
		rc = adopt_unmapped(run, err);
	if (rc == 0)
		rc = fill_implied_ends(run, err);
	if (rc == 0)
		rc = merge_stored_attrs(run, err);
	if (rc == 0)
		rc = count_run(
		        ctx,
		        "SELECT COUNT(*) FROM ingest_staging s WHERE s.run_id = ?1 AND NOT EXISTS "
		        "(SELECT 1 FROM events e WHERE e.source_id = ?2 AND e.kind = s.kind AND "
		        "e.external_id = s.external_id)",
		        id, src, &k->inserted, err);
	if (rc == 0)
		rc = count_run(ctx, q.count_updated, id, src, &k->updated, err);
	k->unchanged = k->records - k->merged - k->skipped - k->inserted - k->updated;
	if (rc == 0 && k->updated)
		rc = run_sql3(ctx, q.versions, id, src, now, err);
	if (rc == 0 && k->updated)
		rc = run_sql3(ctx, q.update, id, src, now, err);
	if (rc == 0 && k->inserted)
		rc = insert_new(run, k->updated || k->unchanged ? q.insert : q.insert_all, now,
		                err);
	if (rc == 0)
		rc = empty_attribution(ctx->store, err);
	if (rc == 0 && k->updated)
		rc = run_sql3(ctx, sql_attribute_updated, id, -1, -1, err);
	if (rc == 0)
		rc = count_run(
		        ctx,
		        "SELECT COUNT(DISTINCT COALESCE(account, account_email)) FROM events "
		        "WHERE run_id = ?1 AND person_id IS NULL AND is_bot = 0",
		        id, -1, &k->unmatched_accounts, err);
	if (rc == 0)
		rc = move_cursors(ctx, id, src, strcmp(run->src.kind, "github") == 0, now, err);
	/* For the server's refresher, after a delivery or a scheduled sync. */
	if (rc == 0 && (webhook_run(run) || run->want_touched))
		rc = collect_touched(run, err);
	if (rc == 0 && webhook)
		rc = record_delivery(run, now, err);
	if (rc == 0)
		rc = drop_staging(ctx, id, err);
	/* The commit packs of the services this run brought commits of. */
	if (rc == 0)
		rc = cgraph_published(ctx->store, id, err);
	struct store_stmt *st;
	if (rc == 0)
		rc = store_prepare(
		        ctx->store,
		        "UPDATE ingest_runs SET status = 'published', finished_at = ?2, "
		        "documents = ?3, records = ?4, inserted = ?5, updated = ?6, "
		        "unchanged = ?7, requests = ?8, not_modified = ?9, skipped = ?10, "
		        "pseudonymized = ?11 WHERE id = ?1 AND status = 'staging'",
		        &st, err);
	if (rc < 0)
		return rc;
	int64_t v[] = {id,           k->documents, k->records,      k->inserted, k->updated,
	               k->unchanged, k->requests,  k->not_modified, k->skipped,  k->pseudonymized};
	stmt_bind_int(st, 1, v[0]);
	stmt_bind_int(st, 2, now);
	for (int i = 1; i < 10; i++)
		stmt_bind_int(st, i + 2, v[i]);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	struct sb detail = SB_INIT, object = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kint(&w, "run", id);
	jw_kstr(&w, "mode", run->mode);
	if (webhook_run(run)) {
		/* The delivery, never the secret that signed it. */
		jw_kstr(&w, "event", run->event_name);
		jw_kstr(&w, "delivery", run->delivery_id);
		if (run->received_at) {
			char at[TS_BUF];
			jw_kstr(&w, "queued_since", ts_format(run->received_at, at));
		}
	}
	jw_kint(&w, "documents", k->documents);
	jw_kint(&w, "records", k->records);
	jw_kint(&w, "inserted", k->inserted);
	jw_kint(&w, "updated", k->updated);
	jw_kint(&w, "unchanged", k->unchanged);
	jw_kint(&w, "merged", k->merged);
	if (k->moved)
		jw_kint(&w, "moved", k->moved);
	jw_kint(&w, "services_created", k->services_created);
	if (k->repos_renamed)
		jw_kint(&w, "repos_renamed", k->repos_renamed);
	jw_kint(&w, "unmatched_accounts", k->unmatched_accounts);
	if (k->ngoverned) {
		/* Counts by mechanism and reason, never whose records they were. */
		jw_kint(&w, "skipped", k->skipped);
		jw_kint(&w, "pseudonymized", k->pseudonymized);
		jw_key(&w, "governed");
		jw_array_begin(&w);
		for (size_t i = 0; i < k->ngoverned; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "mechanism", k->governed[i].mechanism);
			jw_kstr(&w, "reason", k->governed[i].reason);
			jw_kint(&w, "skipped", k->governed[i].skipped);
			jw_kint(&w, "pseudonymized", k->governed[i].pseudonymized);
			jw_object_end(&w);
		}
		jw_array_end(&w);
	}
	jw_object_end(&w);
	sb_printf(&object, "%s", run->src.name);
	rc = audit_append(ctx, "ingest.publish", "source", object.buf, detail.buf, err);
	sb_release(&detail);
	sb_release(&object);
	return rc;
}

int ingest_run_publish(struct ingest_run *run, struct error *err)
{
	ctx_progress(run->ctx, "publish", 0, 1);
	/* Each id an event refers to is the run's own, its source's (both written when the
	 * run began), a staged payload's, or a service, team or person publish reads in its
	 * transaction: SQLite's six foreign key lookups per event only repeat them (18 % of
	 * publishing at 100,000 events, docs/PERFORMANCE.md). */
	struct store *store = run->ctx->store;
	/* Publishing is the run's longest transaction: a writer that waited
	 * through the last staging one goes before it. */
	store_yield_to_writers(store);
	int rc = store_check_references(store, false, err);
	if (rc == 0) {
		rc = ctx_run(run->ctx, webhook_run(run) ? OP_WEBHOOK_RECEIVE : OP_INGEST,
		             publish_body, run, err);
		/* A publish that committed stays published: if the checks cannot come back,
		 * the store refuses this connection's next transaction instead. */
		struct error ignored = {0};
		(void)store_check_references(store, true, &ignored);
	}
	if (rc == 0 && !run->duplicate)
		run_unlock(run);
	ctx_progress(run->ctx, "publish", 1, 1);
	if (run->packer)
		ingest_packer_release(run->packer);
	if (run->seen)
		seen_release(run->seen);
	return rc;
}

int ingest_run_close_tx(struct ingest_run *run, struct error *err)
{
	struct ctx *ctx = run->ctx;
	const struct ingest_counts *k = &run->counts;
	int64_t now = ts_clock_ms(), id = run->id;
	int rc = still_staging(run, err);
	if (rc == 0)
		rc = move_cursors(ctx, id, run->src.id, false, now, err);
	struct store_stmt *st;
	if (rc == 0)
		rc = store_prepare(ctx->store,
		                   "UPDATE ingest_runs SET status = 'published', finished_at = ?2, "
		                   "documents = ?3, records = ?4, inserted = ?5, updated = ?6, "
		                   "unchanged = ?7, requests = ?8, not_modified = ?9 "
		                   "WHERE id = ?1 AND status = 'staging'",
		                   &st, err);
	if (rc < 0)
		return rc;
	int64_t v[] = {id,         now,          k->documents, k->records,     k->inserted,
	               k->updated, k->unchanged, k->requests,  k->not_modified};
	for (int i = 0; i < 9; i++)
		stmt_bind_int(st, i + 1, v[i]);
	rc = stmt_step(st, err);
	stmt_reset(st);
	/* Safe before the commit: no other run can see it unlocked until the
	 * caller's transaction, which holds the write lock, ends. */
	if (rc >= 0)
		run_unlock(run);
	return rc < 0 ? rc : 0;
}

/* ---- failure --------------------------------------------------------------- */

struct fail_args {
	struct ingest_run *run;
	const char *message;
};

/* The ingest.fail entry of a run recorded failed, on its source: which run
 * and why.  The reason is an error message, which holds no secret (http.c
 * redacts the URLs and text it quotes), and the run's row keeps it too. */
static int audit_failed(struct ctx *ctx, const char *source, int64_t run, const char *mode,
                        const char *reason, struct error *err)
{
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kint(&w, "run", run);
	jw_kstr(&w, "mode", mode);
	jw_kstr(&w, "reason", reason);
	jw_object_end(&w);
	int rc = audit_append(ctx, "ingest.fail", "source", source, detail.buf, err);
	sb_release(&detail);
	return rc;
}

/* Remove what run id staged: its staging rows, cursors and documents, and
 * the raw payloads it brought that nothing else refers to.  A payload it
 * brought that another run reused (raw payloads are shared by content: the
 * same delivery or file read by two runs at once) stays, and becomes the
 * payload of a run that refers to it: a published one that read it, else
 * the run that published an event from it, else one still staging it.
 * Left as this run's, its events would trace back to a run that failed,
 * and the run's row could not go (the payload refers to it). */
static int discard_staged(struct ctx *ctx, int64_t id, struct error *err)
{
	static const char *const cleanup[] = {
	        "DELETE FROM ingest_staging WHERE run_id = ?1",
	        "DELETE FROM run_cursors WHERE run_id = ?1",
	        "DELETE FROM run_documents WHERE run_id = ?1",
	        "UPDATE raw_payloads SET run_id = COALESCE((SELECT MIN(d.run_id) FROM "
	        "run_documents d JOIN ingest_runs r ON r.id = d.run_id WHERE d.raw_id = "
	        "raw_payloads.id AND r.status = 'published'), (SELECT MIN(e.run_id) FROM events e "
	        "WHERE e.raw_id = raw_payloads.id), (SELECT MIN(v.run_id) FROM event_versions v "
	        "WHERE v.raw_id = raw_payloads.id), (SELECT MIN(d.run_id) FROM run_documents d "
	        "WHERE d.raw_id = raw_payloads.id), run_id) WHERE run_id = ?1 AND (EXISTS (SELECT "
	        "1 FROM run_documents d WHERE d.raw_id = raw_payloads.id) OR EXISTS (SELECT 1 FROM "
	        "events e WHERE e.raw_id = raw_payloads.id) OR EXISTS (SELECT 1 FROM "
	        "event_versions v WHERE v.raw_id = raw_payloads.id))",
	        "DELETE FROM raw_payloads WHERE run_id = ?1",
	};
	int rc = 0;
	for (size_t i = 0; i < sizeof cleanup / sizeof cleanup[0] && rc == 0; i++)
		rc = run_sql3(ctx, cleanup[i], id, -1, -1, err);
	return rc;
}

/* ERR_CONFLICT: sync run `other` of own's source is going on.  Two syncs of
 * one source at once read the same pages from the same cursors on one
 * token's rate limit, and the one that published last set the source's
 * cursors and ETags to its own, which may be older than the other's. */
static int sync_going_on(struct ctx *ctx, struct ingest_run *own, int64_t other, struct error *err)
{
	own->sync_going_on = other;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT started_at, actor FROM ingest_runs WHERE id = ?1", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, other);
	rc = stmt_step(st, err);
	char at[TS_BUF] = "";
	const char *actor = NULL;
	if (rc == STORE_ROW) {
		ts_format(stmt_int(st, 0), at);
		actor = stmt_text_dup(st, 1, ctx->arena);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	err_set(err, ERR_CONFLICT,
	        "source %s: a sync of it is going on (run %lld, started %s by %s)", own->src.name,
	        (long long)other, at, actor ? actor : "?");
	err_detail(err, "two syncs of one source at once read the same pages twice and could move "
	                "its cursors back; this one read and wrote nothing");
	err_hint(err, "sync it again once that run has ended ('plumb sync --status' shows it)");
	return ERR_CONFLICT;
}

/* The runs of source left staging with no process behind them: nobody
 * holds their run lock.  Their process was killed or lost the database
 * before it published or failed, or could not write its failure's cleanup
 * (ingest_run_fail), so they never will: what they staged goes,
 * as their own failure would have removed it, and they are recorded failed
 * (their rows stay, whatever their mode, for sync --status to show), each
 * with an ingest.fail entry.  The query reads the few runs still staging (a
 * partial index), not every run of the source. */
static int abandon_dead_runs(struct ctx *ctx, struct ingest_run *own, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT id, source_id, mode FROM ingest_runs WHERE status = 'staging' ORDER BY id",
	        &st, err);
	if (rc < 0)
		return rc;
	int64_t *ids = NULL;
	const char **modes = NULL;
	size_t n = 0, alloc = 0, alloc_modes = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		if (stmt_int(st, 1) != own->src.id || stmt_int(st, 0) == own->id)
			continue;
		ids = arena_grow(ctx->arena, ids, n, &alloc, sizeof *ids);
		modes = arena_grow(ctx->arena, modes, n, &alloc_modes, sizeof *modes);
		modes[n] = stmt_text_dup(st, 2, ctx->arena);
		ids[n++] = stmt_int(st, 0);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	char why[96];
	snprintf(why, sizeof why,
	         "abandoned: it ended without publishing or removing what it staged (found by run "
	         "%lld)",
	         (long long)own->id);
	for (size_t i = 0; i < n && rc == 0; i++) {
		bool live = true;
		rc = store_run_live(ctx->store, ids[i], &live, err);
		if (rc == 0 && live && strcmp(own->mode, "sync") == 0 &&
		    strcmp(modes[i], "sync") == 0)
			return sync_going_on(ctx, own, ids[i], err);
		if (rc < 0 || live)
			continue;
		rc = discard_staged(ctx, ids[i], err);
		if (rc == 0)
			rc = store_prepare(
			        ctx->store,
			        "UPDATE ingest_runs SET status = 'failed', finished_at = ?2, "
			        "error = ?3 WHERE id = ?1",
			        &st, err);
		if (rc < 0)
			break;
		stmt_bind_int(st, 1, ids[i]);
		stmt_bind_int(st, 2, ts_clock_ms());
		stmt_bind_text(st, 3, why);
		rc = stmt_step(st, err);
		stmt_reset(st);
		if (rc >= 0)
			rc = audit_failed(ctx, own->src.name, ids[i], modes[i], why, err);
	}
	return rc;
}

/* The run's row recorded failed, with why and how far it got, and audited
 * (OP_INGEST_FAIL). */
static int fail_mark_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct fail_args *a = arg;
	int64_t id = a->run->id;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "UPDATE ingest_runs SET status = 'failed', finished_at = ?, error = ?, "
	        "documents = ?, records = ?, requests = ? WHERE id = ?",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, ts_clock_ms());
	stmt_bind_text(st, 2, a->message);
	stmt_bind_int(st, 3, a->run->counts.documents);
	stmt_bind_int(st, 4, a->run->counts.records);
	stmt_bind_int(st, 5, a->run->counts.requests);
	stmt_bind_int(st, 6, id);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : audit_failed(ctx, a->run->src.name, id, a->run->mode, a->message, err);
}

/* A file or webhook run that fails goes whole, its row too: nothing of it
 * remains to audit, and its command or request got the error.  A sync run
 * stays, recorded failed, for sync --status. */
static bool fail_keeps_row(const struct ingest_run *run)
{
	return strcmp(run->mode, "file") != 0 && !webhook_run(run);
}

static int fail_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct fail_args *a = arg;
	int64_t id = a->run->id;
	int rc = discard_staged(ctx, id, err);
	if (rc < 0)
		return rc;
	if (!fail_keeps_row(a->run))
		return run_sql3(ctx, "DELETE FROM ingest_runs WHERE id = ?1", id, -1, -1, err);
	return fail_mark_body(ctx, arg, err);
}

void ingest_run_fail(struct ingest_run *run, const struct error *why)
{
	if (run->packer)
		ingest_packer_release(run->packer);
	if (run->seen)
		seen_release(run->seen);
	if (!run->started)
		return;
	if (run->batch)
		store_batch_abandon(run->batch);
	run->batch = NULL;
	struct fail_args a = {run, why && why->code ? why->message : "failed"};
	enum op_id op = fail_keeps_row(run) ? OP_INGEST_FAIL : OP_INGEST_STAGE;
	/* A cleanup that rolled back (the database locked past the wait, as
	 * what failed the run may have been) is tried once more; then the run
	 * is left staging, for the next run of its source to find abandoned and
	 * remove what it staged.  Recorded failed instead, its staged rows were
	 * never removed (found in review). */
	struct error ignored = {0};
	if (ctx_run(run->ctx, op, fail_body, &a, &ignored) < 0) {
		err_clear(&ignored);
		(void)ctx_run(run->ctx, op, fail_body, &a, &ignored);
	}
	/* After the cleanup: were the lock given back first, another run could
	 * find this one abandoned and clean up alongside. */
	run_unlock(run);
}
