/*
 * audit: chain hashing, checkpoint signing and verification over libsodium.
 * The canonical encoding is a sequence of netstrings ("LEN:BYTES,"), with
 * "~," for null, so no two different entries encode alike.
 */
#include "core/audit.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <sys/stat.h>

#include "base/arena.h"
#include "base/fileio.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "core/ctx.h"
#include "store/store.h"

#define GENESIS_HASH     "0000000000000000000000000000000000000000000000000000000000000000"
#define KEY_FILE_MAGIC   "plumb-audit-key v1\n"
#define CHECKPOINT_MAGIC "plumb-audit-checkpoint v1\n"

/* One netstring field ("LEN:BYTES,", or "~," for null) into the hash. */
static void put_field(crypto_hash_sha256_state *h, const char *s)
{
	if (!s) {
		crypto_hash_sha256_update(h, (const unsigned char *)"~,", 2);
		return;
	}
	size_t n = strlen(s);
	char len[24];
	int k = snprintf(len, sizeof len, "%zu:", n);
	crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)k);
	crypto_hash_sha256_update(h, (const unsigned char *)s, n);
	crypto_hash_sha256_update(h, (const unsigned char *)",", 1);
}

static void entry_hash(const struct audit_entry *e, char out[AUDIT_HASH_HEX])
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	char num[32];
	snprintf(num, sizeof num, "%" PRId64, e->seq);
	put_field(&h, num);
	snprintf(num, sizeof num, "%" PRId64, e->at);
	put_field(&h, num);
	put_field(&h, e->actor);
	put_field(&h, e->os_user);
	put_field(&h, e->action);
	put_field(&h, e->object_type);
	put_field(&h, e->object_id);
	put_field(&h, e->detail);
	put_field(&h, e->prev_hash);
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(out, AUDIT_HASH_HEX, digest, sizeof digest);
}

/* A redacted row as it stands, into the digest its retention record carries:
 * every column, so editing any of them afterwards changes the digest. */
static void redaction_digest_add(crypto_hash_sha256_state *h, const struct audit_entry *e)
{
	char num[32];
	snprintf(num, sizeof num, "%" PRId64, e->seq);
	put_field(h, num);
	snprintf(num, sizeof num, "%" PRId64, e->at);
	put_field(h, num);
	put_field(h, e->actor);
	put_field(h, e->os_user);
	put_field(h, e->action);
	put_field(h, e->object_type);
	put_field(h, e->object_id);
	put_field(h, e->detail);
	put_field(h, e->prev_hash);
	put_field(h, e->hash);
	put_field(h, e->redacted);
}

static void digest_final_hex(crypto_hash_sha256_state *h, char out[AUDIT_HASH_HEX])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(h, digest);
	sodium_bin2hex(out, AUDIT_HASH_HEX, digest, sizeof digest);
}

static void checkpoint_message(struct sb *msg, int64_t seq, const char *hash, int64_t at)
{
	sb_printf(msg, CHECKPOINT_MAGIC "%" PRId64 "\n%s\n%" PRId64 "\n", seq, hash, at);
}

static bool checkpoint_signed(int64_t seq, const char *hash, int64_t at, const char *sig_hex,
                              const unsigned char pk[32])
{
	unsigned char sig[crypto_sign_BYTES];
	size_t sig_len = 0;
	struct sb msg = SB_INIT;
	checkpoint_message(&msg, seq, hash, at);
	bool ok =
	        sodium_hex2bin(sig, sizeof sig, sig_hex, strlen(sig_hex), NULL, &sig_len, NULL) ==
	                0 &&
	        sig_len == sizeof sig &&
	        crypto_sign_verify_detached(sig, (const unsigned char *)msg.buf, msg.len, pk) == 0;
	sb_release(&msg);
	return ok;
}

/* Every write signs its head before it commits, so the head a write starts
 * from is the one the last checkpoint signed.  Entries past it, or a head
 * that differs from it, were written outside plumb (a forged or rehashed
 * tail), and signing on top of them would vouch for them. */
static int head_signed(struct ctx *ctx, struct error *err)
{
	if (!ctx->key_loaded)
		BUG("audit entry without a loaded key");
	struct audit_checkpoint cp;
	int rc = audit_latest_checkpoint(ctx, &cp, err);
	bool ok = false;
	if (rc == ERR_NOT_FOUND) {
		err_clear(err);
		ok = ctx->head_seq == 0;
	} else if (rc < 0) {
		return rc;
	} else {
		char key_id[AUDIT_KEY_ID_HEX];
		audit_key_id(ctx->key_public, key_id);
		ok = cp.seq == ctx->head_seq && strcmp(cp.hash, ctx->head_hash) == 0;
		/* Another key's checkpoint is refused with its own message when the
		 * write signs (audit_checkpoint_head). */
		if (ok && strcmp(cp.key_id, key_id) == 0)
			ok = checkpoint_signed(cp.seq, cp.hash, cp.at, cp.signature,
			                       ctx->key_public);
	}
	if (ok)
		return 0;
	err_set(err, ERR_TAMPERED,
	        "the audit log was changed outside plumb after its last signed checkpoint");
	err_detail(err,
	           "the log ends at entry %" PRId64
	           " and the last valid checkpoint signs entry %" PRId64
	           "; signing a new entry on top would vouch for what was written there, so "
	           "nothing was written",
	           ctx->head_seq, cp.seq);
	err_hint(err, "run 'plumb audit verify', restore from a backup whose chain verifies, and "
	              "investigate who had write access to the database");
	return ERR_TAMPERED;
}

static int load_head(struct ctx *ctx, struct error *err)
{
	if (ctx->head_loaded)
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", &st, err);
	if (rc < 0)
		return rc;
	rc = stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (rc == STORE_ROW) {
		ctx->head_seq = stmt_int(st, 0);
		snprintf(ctx->head_hash, sizeof ctx->head_hash, "%s", stmt_text(st, 1));
	} else {
		ctx->head_seq = 0;
		snprintf(ctx->head_hash, sizeof ctx->head_hash, "%s", GENESIS_HASH);
	}
	stmt_reset(st);
	rc = head_signed(ctx, err);
	if (rc < 0)
		return rc;
	ctx->head_loaded = true;
	return 0;
}

const char *audit_object_id(struct arena *a, const char *id)
{
	size_t len = strlen(id);
	if (len <= AUDIT_OBJECT_ID_MAX && utf8_valid(id, len))
		return id;
	struct sb out = SB_INIT;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len(id + i, len - i);
		size_t take = n ? n : 1;
		if (out.len + (n ? n : 3) > AUDIT_OBJECT_ID_KEPT)
			break;
		utf8_put_replaced(&out, id + i, take);
		i += take;
	}
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)id, len);
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	sb_printf(&out, "~sha256:%.16s", hex);
	char *stored = arena_strdup(a, out.buf);
	sb_release(&out);
	return stored;
}

/* Text as stored: itself when UTF-8 (or NULL), else a copy in a with
 * U+FFFD for each byte that is not. */
static const char *stored_text(struct arena *a, const char *s)
{
	if (!s || utf8_valid(s, strlen(s)))
		return s;
	struct sb out = SB_INIT;
	utf8_put_replaced(&out, s, strlen(s));
	char *text = arena_strdup(a, out.buf);
	sb_release(&out);
	return text;
}

/* The entries on these objects whose detail names people in these keys (a
 * string, or strings among an array's or object's values, as me.c's names()
 * reads them) go into audit_people too (schema 17, whose backfill lists the
 * same): plumb me finds a person's by them. */
static const char *const people_objects[] = {"identity", "evaluation", "calibration_session",
                                             "assignment"};
static const char *const people_keys[] = {"person",    "facilitator", "participants",
                                          "recipient", "reviewer",    "reviewee"};

/* The employee ids entry e's detail names for audit_people, each once, as
 * keys of named: what audit_append indexes and audit_verify expects. */
static void people_named(const struct audit_entry *e, struct hmap *named)
{
	size_t i = 0;
	while (i < sizeof people_objects / sizeof *people_objects &&
	       strcmp(e->object_type, people_objects[i]) != 0)
		i++;
	if (i == sizeof people_objects / sizeof *people_objects)
		return;
	cJSON *detail = cJSON_Parse(e->detail);
	for (size_t k = 0; k < sizeof people_keys / sizeof *people_keys; k++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(detail, people_keys[k]);
		if (cJSON_IsString(v)) {
			hmap_put(named, v->valuestring, 1);
			continue;
		}
		const cJSON *item;
		cJSON_ArrayForEach(item, v)
		{
			if (cJSON_IsString(item))
				hmap_put(named, item->valuestring, 1);
		}
	}
	cJSON_Delete(detail);
}

/* Entry e's rows of audit_people. */
static int index_people(struct ctx *ctx, const struct audit_entry *e, struct error *err)
{
	struct hmap named;
	hmap_init(&named);
	people_named(e, &named);
	int rc = 0;
	size_t pos = 0;
	const char *eid;
	while (rc == 0 && (eid = hmap_next(&named, &pos, NULL)) != NULL) {
		if (!ctx->audit_people_batch)
			ctx->audit_people_batch =
			        store_batch_new(ctx->store, "audit_people(employee_id, seq)", 2);
		store_batch_text(ctx->audit_people_batch, eid);
		store_batch_int(ctx->audit_people_batch, e->seq);
		rc = store_batch_row_end(ctx->audit_people_batch, err);
	}
	hmap_release(&named);
	return rc;
}

int audit_append(struct ctx *ctx, const char *action, const char *object_type,
                 const char *object_id, const char *detail_json, struct error *err)
{
	if (!store_in_transaction(ctx->store))
		BUG("audit_append outside a write transaction (%s)", action);
	int rc = load_head(ctx, err);
	if (rc < 0)
		return rc;
	struct audit_entry e = {
	        .seq = ctx->head_seq + 1,
	        .at = ts_clock_ms(), /* PLUMB_NOW pins business time, never audit time */
	        .actor = stored_text(ctx->arena, ctx->actor.name),
	        .os_user = stored_text(ctx->arena,
	                               ctx->actor.impersonated ? ctx->actor.os_user : NULL),
	        .action = stored_text(ctx->arena, action),
	        .object_type = stored_text(ctx->arena, object_type),
	        .object_id = audit_object_id(ctx->arena, object_id),
	        .detail = detail_json ? stored_text(ctx->arena, detail_json) : "{}",
	        .prev_hash = ctx->head_hash,
	};
	char hash[AUDIT_HASH_HEX];
	entry_hash(&e, hash);
	/* Batched: a round trip per batch instead of one per entry, which was
	 * most of a large import's time on PostgreSQL. */
	if (!ctx->audit_batch)
		ctx->audit_batch =
		        store_batch_new(ctx->store,
		                        "audit_log(seq, at, actor, os_user, action, "
		                        "object_type, object_id, detail, prev_hash, hash)",
		                        10);
	struct store_batch *b = ctx->audit_batch;
	store_batch_int(b, e.seq);
	store_batch_int(b, e.at);
	store_batch_text(b, e.actor);
	store_batch_text(b, e.os_user);
	store_batch_text(b, e.action);
	store_batch_text(b, e.object_type);
	store_batch_text(b, e.object_id);
	store_batch_text(b, e.detail);
	store_batch_text(b, e.prev_hash);
	store_batch_text(b, hash);
	rc = store_batch_row_end(b, err);
	if (rc == 0)
		rc = index_people(ctx, &e, err);
	if (rc < 0)
		return rc;
	ctx->head_seq = e.seq;
	memcpy(ctx->head_hash, hash, sizeof hash);
	ctx->audit_appended++;
	return 0;
}

/* The placeholder detail of a redacted entry: {"redacted":"RULE"}. */
static char *placeholder_detail(struct arena *a, const char *rule)
{
	struct sb out = SB_INIT;
	struct jw w;
	jw_init(&w, &out, false);
	jw_object_begin(&w);
	jw_kstr(&w, "redacted", rule);
	jw_object_end(&w);
	char *text = arena_strdup(a, out.buf);
	sb_release(&out);
	return text;
}

int audit_redact(struct ctx *ctx, const int64_t *seqs, size_t n, const char *rule,
                 const char *object_id, const char *detail_json, struct error *err)
{
	if (!store_in_transaction(ctx->store))
		BUG("audit_redact outside a write transaction");
	int rc = audit_flush(ctx, err); /* the rows read below must be in the table */
	if (rc == 0)
		rc = load_head(ctx, err);
	if (rc < 0)
		return rc;
	int64_t record_seq = ctx->head_seq + 1;
	const char *redacted = arena_printf(ctx->arena, "%s #%" PRId64, rule, record_seq);
	const char *placeholder = placeholder_detail(ctx->arena, rule);
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	for (size_t i = 0; i < n; i++) {
		struct store_stmt *st;
		rc = store_prepare(
		        ctx->store,
		        "SELECT at, action, object_type, object_id, prev_hash, hash, "
		        "redacted, actor, os_user, detail, (SELECT p.hash FROM audit_log p "
		        "WHERE p.seq = a.seq - 1) FROM audit_log a WHERE a.seq = ?",
		        &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_int(st, 1, seqs[i]);
		rc = stmt_step(st, err);
		if (rc == STORE_DONE || (rc == STORE_ROW && !stmt_is_null(st, 6))) {
			err_set(err, ERR_CONFLICT, "audit entry %" PRId64 " is %s", seqs[i],
			        rc == STORE_DONE ? "missing" : "already redacted");
			rc = ERR_CONFLICT;
		}
		if (rc < 0) {
			stmt_reset(st);
			return rc;
		}
		struct audit_entry e = {
		        .seq = seqs[i],
		        .at = stmt_int(st, 0),
		        .actor = AUDIT_REDACTED_ACTOR,
		        .os_user = NULL,
		        .action = stmt_text_dup(st, 1, ctx->arena),
		        .object_type = stmt_text_dup(st, 2, ctx->arena),
		        .object_id = stmt_text_dup(st, 3, ctx->arena),
		        .detail = placeholder,
		        .prev_hash = stmt_text_dup(st, 4, ctx->arena),
		        .hash = stmt_text_dup(st, 5, ctx->arena),
		        .redacted = redacted,
		};
		/* Redaction must not launder an edit: the row as it stands has to
		 * match its hash and its link, or retention stops here. */
		struct audit_entry as_is = e;
		as_is.actor = stmt_text_dup(st, 7, ctx->arena);
		as_is.os_user = stmt_text_dup(st, 8, ctx->arena);
		as_is.detail = stmt_text_dup(st, 9, ctx->arena);
		const char *prev = stmt_is_null(st, 10) ? NULL : stmt_text_dup(st, 10, ctx->arena);
		stmt_reset(st);
		char computed[AUDIT_HASH_HEX];
		entry_hash(&as_is, computed);
		bool linked = prev ? strcmp(prev, e.prev_hash) == 0
		                   : e.seq == 1 && strspn(e.prev_hash, "0") == 64;
		if (strcmp(computed, e.hash) != 0 || !linked) {
			err_set(err, ERR_TAMPERED,
			        "audit entry %" PRId64
			        " does not match its %s: the log was edited, so "
			        "retention will not redact it",
			        e.seq, linked ? "hash" : "link to the entry before it");
			err_hint(err, "run 'plumb audit verify' and restore the log from a backup");
			return ERR_TAMPERED;
		}
		redaction_digest_add(&h, &e);
		rc = store_prepare(ctx->store,
		                   "UPDATE audit_log SET actor = ?, os_user = NULL, detail = ?, "
		                   "redacted = ? WHERE seq = ? AND redacted IS NULL",
		                   &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_text(st, 1, e.actor);
		stmt_bind_text(st, 2, e.detail);
		stmt_bind_text(st, 3, e.redacted);
		stmt_bind_int(st, 4, e.seq);
		rc = stmt_step(st, err);
		stmt_reset(st);
		/* Whom the entry named goes with its detail. */
		if (rc >= 0)
			rc = store_prepare(ctx->store, "DELETE FROM audit_people WHERE seq = ?",
			                   &st, err);
		if (rc >= 0) {
			stmt_bind_int(st, 1, e.seq);
			rc = stmt_step(st, err);
			stmt_reset(st);
		}
		if (rc < 0)
			return rc;
	}
	char digest[AUDIT_HASH_HEX];
	digest_final_hex(&h, digest);
	/* The caller's object, extended with what verify checks the rows against. */
	size_t len = detail_json ? strlen(detail_json) : 0;
	while (len > 0 && detail_json[len - 1] != '}')
		len--;
	if (len == 0)
		BUG("audit_redact: detail is not a JSON object");
	bool empty = strspn(detail_json + 1, " \t\r\n") == len - 2;
	const char *record =
	        arena_printf(ctx->arena, "%.*s%s\"redacted_count\":%zu,\"redacted_digest\":\"%s\"}",
	                     (int)(len - 1), detail_json, empty ? "" : ",", n, digest);
	rc = audit_append(ctx, AUDIT_REDACTION_ACTION, "retention", object_id, record, err);
	if (rc == 0 && ctx->head_seq != record_seq)
		BUG("the redaction record got seq %" PRId64 ", not %" PRId64, ctx->head_seq,
		    record_seq);
	return rc;
}

void audit_key_id(const unsigned char pk[32], char out[AUDIT_KEY_ID_HEX])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, pk, 32);
	sodium_bin2hex(out, AUDIT_KEY_ID_HEX, digest, 8);
}

int audit_flush(struct ctx *ctx, struct error *err)
{
	int rc = 0;
	if (ctx->audit_batch)
		rc = store_batch_finish(ctx->audit_batch, err);
	ctx->audit_batch = NULL;
	if (rc == 0 && ctx->audit_people_batch)
		rc = store_batch_finish(ctx->audit_people_batch, err);
	else
		store_batch_abandon(ctx->audit_people_batch);
	ctx->audit_people_batch = NULL;
	return rc;
}

void audit_discard(struct ctx *ctx)
{
	store_batch_abandon(ctx->audit_batch);
	ctx->audit_batch = NULL;
	store_batch_abandon(ctx->audit_people_batch);
	ctx->audit_people_batch = NULL;
}

int audit_key_signs(struct store *store, const unsigned char pk[32], struct error *err)
{
	char key_id[AUDIT_KEY_ID_HEX];
	audit_key_id(pk, key_id);
	struct store_stmt *st;
	int rc = store_prepare(
	        store, "SELECT key_id FROM audit_checkpoints ORDER BY seq DESC LIMIT 1", &st, err);
	if (rc < 0)
		return rc;
	rc = stmt_step(st, err);
	if (rc == STORE_ROW && strcmp(stmt_text(st, 0), key_id) != 0) {
		err_set(err, ERR_POLICY,
		        "the audit key (id %s) is not the key this database's chain is signed with "
		        "(id %s)",
		        key_id, stmt_text(st, 0));
		err_hint(err, "pass the right key with --audit-key or PLUMB_AUDIT_KEY; nothing was "
		              "written");
		rc = ERR_POLICY;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int audit_checkpoint_head(struct ctx *ctx, struct error *err)
{
	int rc = audit_flush(ctx, err);
	if (rc < 0 || ctx->audit_appended == ctx->audit_signed)
		return rc;
	if (!ctx->key_loaded)
		BUG("checkpoint without a loaded key");
	/* One key signs a chain: a write under another key would leave a chain
	 * that no longer verifies with either. */
	if ((rc = audit_key_signs(ctx->store, ctx->key_public, err)) < 0)
		return rc;
	char key_id[AUDIT_KEY_ID_HEX];
	audit_key_id(ctx->key_public, key_id);
	struct store_stmt *st;
	int64_t at = ts_clock_ms();
	struct sb msg = SB_INIT;
	checkpoint_message(&msg, ctx->head_seq, ctx->head_hash, at);
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, (const unsigned char *)msg.buf, msg.len, ctx->key_secret);
	sb_release(&msg);
	char sig_hex[2 * crypto_sign_BYTES + 1];
	sodium_bin2hex(sig_hex, sizeof sig_hex, sig, sizeof sig);
	rc = store_prepare(ctx->store,
	                   "INSERT INTO audit_checkpoints(seq, hash, at, key_id, signature) "
	                   "VALUES (?,?,?,?,?)",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, ctx->head_seq);
	stmt_bind_text(st, 2, ctx->head_hash);
	stmt_bind_int(st, 3, at);
	stmt_bind_text(st, 4, key_id);
	stmt_bind_text(st, 5, sig_hex);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	ctx->audit_signed = ctx->audit_appended;
	return 0;
}

const char *audit_key_default_path(struct arena *a)
{
	const char *env = getenv("PLUMB_AUDIT_KEY");
	if (env && *env)
		return arena_strdup(a, env);
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && *xdg)
		return arena_printf(a, "%s/plumb/audit.key", xdg);
	const char *home = getenv("HOME");
	if (!home || !*home)
		return NULL; /* no safe default: audit_key_load and _create say so */
	return arena_printf(a, "%s/.config/plumb/audit.key", home);
}

/* mkdir -p for the key's directory, private to the user. */
static int make_parent_dirs(const char *path, struct error *err)
{
	char *copy = xstrdup(path);
	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
			err_set(err, ERR_IO, "cannot create directory %s", copy);
			err_detail(err, "%s", strerror(errno));
			free(copy);
			return ERR_IO;
		}
		*p = '/';
	}
	free(copy);
	return 0;
}

static int no_key_path(struct error *err)
{
	err_set(err, ERR_USAGE, "no audit key path: HOME is not set");
	err_hint(err, "set PLUMB_AUDIT_KEY or pass --audit-key");
	return ERR_USAGE;
}

int audit_key_create(const char *path, bool *created, struct error *err)
{
	struct stat st;
	*created = false;
	if (!path)
		return no_key_path(err);
	if (stat(path, &st) == 0)
		return 0;
	int rc = make_parent_dirs(path, err);
	if (rc < 0)
		return rc;
	unsigned char seed[crypto_sign_SEEDBYTES];
	randombytes_buf(seed, sizeof seed);
	char hex[2 * crypto_sign_SEEDBYTES + 1];
	sodium_bin2hex(hex, sizeof hex, seed, sizeof seed);
	sodium_memzero(seed, sizeof seed);
	struct sb body = SB_INIT;
	sb_printf(&body, KEY_FILE_MAGIC "%s\n", hex);
	sodium_memzero(hex, sizeof hex);
	rc = file_create_new(path, body.buf, body.len, 0600, err);
	sodium_memzero(body.buf, body.len);
	sb_release(&body);
	if (rc == ERR_CONFLICT) { /* created meanwhile by another process */
		err_clear(err);
		return 0;
	}
	if (rc == 0)
		*created = true;
	return rc;
}

int audit_key_load(const char *path, unsigned char sk[64], unsigned char pk[32], struct error *err)
{
	if (!path)
		return no_key_path(err);
	/* Like ssh with its private keys: a key others can read is not secret. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		err_set(err, ERR_INVALID, "audit key %s is not a regular file", path);
		err_hint(err, "the key is a file 'plumb init' made");
		return ERR_INVALID;
	}
	if (stat(path, &st) == 0 && (st.st_mode & 077)) {
		err_set(err, ERR_POLICY, "audit key %s is readable by other users", path);
		err_detail(err, "its mode is %04o", (unsigned)(st.st_mode & 07777));
		err_hint(err, "chmod 600 %s", path);
		return ERR_POLICY;
	}
	char *data = NULL;
	size_t len = 0;
	int rc = file_read(path, 4096, &data, &len, err);
	if (rc < 0) {
		err_hint(err, "the audit signing key is created by 'plumb init'; point to it with "
		              "--audit-key or PLUMB_AUDIT_KEY");
		return rc;
	}
	unsigned char seed[crypto_sign_SEEDBYTES];
	size_t seed_len = 0;
	size_t magic = strlen(KEY_FILE_MAGIC);
	if (len < magic + 64 || memcmp(data, KEY_FILE_MAGIC, magic) != 0 ||
	    sodium_hex2bin(seed, sizeof seed, data + magic, 64, NULL, &seed_len, NULL) != 0 ||
	    seed_len != sizeof seed) {
		sodium_memzero(data, len);
		free(data);
		err_set(err, ERR_INVALID, "%s is not a plumb audit key", path);
		err_detail(err, "expected a first line 'plumb-audit-key v1' and 64 hex digits");
		return ERR_INVALID;
	}
	sodium_memzero(data, len);
	free(data);
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof seed);
	return 0;
}

int audit_parse_head(const char *text, struct audit_head *head, struct error *err)
{
	const char *colon = strchr(text, ':');
	char *end = NULL;
	/* Digits as printed: strtoll took a sign and spaces, and a number past
	 * its range as the largest, which verify then reported as a log cut
	 * off (found hunting: a mistyped head read as tampering). */
	size_t digits = strspn(text, "0123456789");
	errno = 0;
	long long seq = colon && digits > 0 && text + digits == colon ? strtoll(text, &end, 10) : 0;
	if (!colon || end != colon || errno == ERANGE || seq < 1 || strlen(colon + 1) != 64 ||
	    strspn(colon + 1, "0123456789abcdef") != 64) {
		err_set(err, ERR_USAGE, "invalid head '%s'", text);
		err_detail(err, "expected SEQ:HASH with the 64 hex digits printed by 'plumb audit "
		                "checkpoint'");
		return ERR_USAGE;
	}
	head->seq = seq;
	memcpy(head->hash, colon + 1, 65);
	return 0;
}

int audit_parse_public_key(const char *hex, unsigned char pk[32], struct error *err)
{
	size_t n = 0;
	if (strlen(hex) != 64 || sodium_hex2bin(pk, 32, hex, 64, NULL, &n, NULL) != 0 || n != 32) {
		err_set(err, ERR_USAGE, "invalid public key '%s'", hex);
		err_detail(err, "expected 64 hex digits, as printed by 'plumb audit checkpoint'");
		return ERR_USAGE;
	}
	return 0;
}

static int tampered(struct audit_verify_report *r, int64_t seq, struct error *err, const char *what)
{
	r->bad_seq = seq;
	err_set(err, ERR_TAMPERED, "audit chain broken at sequence number %" PRId64, seq);
	err_detail(err, "%s", what);
	err_hint(err, "restore from a backup whose chain verifies, and investigate who had write "
	              "access to the database");
	return ERR_TAMPERED;
}

/* Redacted entries waiting for the retention record that vouches for them
 * (named by the "#SEQ" at the end of their redacted column). */
struct redaction_group {
	int64_t record_seq, first_seq, count;
	crypto_hash_sha256_state h;
};

struct redaction_groups {
	struct redaction_group *v;
	size_t n, alloc;
};

static struct redaction_group *group_find(struct redaction_groups *g, int64_t record_seq,
                                          bool create)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].record_seq == record_seq)
			return &g->v[i];
	if (!create)
		return NULL;
	if (g->n == g->alloc) {
		g->alloc = g->alloc ? 2 * g->alloc : 8;
		g->v = xreallocarray(g->v, g->alloc, sizeof *g->v);
	}
	struct redaction_group *r = &g->v[g->n++];
	memset(r, 0, sizeof *r);
	r->record_seq = record_seq;
	crypto_hash_sha256_init(&r->h);
	return r;
}

/* The record seq a redacted column names ("RULE #SEQ"), or 0. */
static int64_t redaction_record_seq(const char *redacted)
{
	const char *mark = strrchr(redacted, '#');
	if (!mark || mark[1] < '1' || mark[1] > '9')
		return 0;
	char *end = NULL;
	long long v = strtoll(mark + 1, &end, 10);
	return *end ? 0 : (int64_t)v;
}

/* A field a redaction record's detail carries: "key":VALUE (digits) or
 * "key":"VALUE" (hex).  The detail was hash-verified and written by
 * audit_redact, so its keys are plumb's own and appear unescaped. */
static bool record_field(const char *detail, const char *key, char *out, size_t cap)
{
	char needle[48];
	snprintf(needle, sizeof needle, "\"%s\":", key);
	const char *p = strstr(detail, needle);
	if (!p)
		return false;
	p += strlen(needle);
	if (*p == '"')
		p++;
	size_t n = strspn(p, "0123456789abcdef");
	if (n == 0 || n >= cap)
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

/* A retention record: its count and digest must be those of the entries
 * that name it, all of which come before it. */
static int check_redaction_record(struct redaction_groups *g, const struct audit_entry *e,
                                  struct audit_verify_report *r, struct error *err)
{
	char count_text[24], digest[AUDIT_HASH_HEX];
	if (!record_field(e->detail, "redacted_count", count_text, sizeof count_text) ||
	    !record_field(e->detail, "redacted_digest", digest, sizeof digest))
		return 0; /* a retention entry about other categories */
	struct redaction_group *grp = group_find(g, e->seq, false);
	char computed[AUDIT_HASH_HEX] = "";
	int64_t count = 0;
	if (grp) {
		digest_final_hex(&grp->h, computed);
		count = grp->count;
		*grp = g->v[--g->n]; /* closed */
	} else {
		crypto_hash_sha256_state h;
		crypto_hash_sha256_init(&h);
		digest_final_hex(&h, computed);
	}
	if (strtoll(count_text, NULL, 10) != count || strcmp(digest, computed) != 0)
		return tampered(r, e->seq, err,
		                "the entries redacted under this retention record are not the ones "
		                "it vouches for (a redacted entry was edited, or an entry was "
		                "marked redacted by hand)");
	return 0;
}

/* An entry's columns, in the order the readers of a row take them. */
#define AUDIT_ENTRY_SELECT                                                                         \
	"SELECT seq, at, actor, os_user, action, object_type, object_id, detail, prev_hash, "      \
	"hash, redacted FROM audit_log "

/* The text columns of an entry, in the order of the bits of
 * TEXT_COLUMNS_NOT_TEXT.  SQLite keeps a blob in a text column as given: its
 * bytes read, and hash, as the text they spell, yet it equals no text, so
 * an entry whose object was made a blob of the same bytes verified and was
 * found by no look-up (audit log --object, retention's holds, plumb me;
 * found hunting).  A column stored as text equals its cast to text; on
 * PostgreSQL every one does. */
static const char *const text_columns[] = {"actor",       "os_user",   "action",
                                           "object_type", "object_id", "detail",
                                           "prev_hash",   "hash",      "redacted"};
#define NOT_TEXT(col, bit)                                                                         \
	"CASE WHEN " col " IS NULL OR " col " = CAST(" col " AS TEXT) THEN 0 ELSE " bit " END"
/* clang-format off */
#define TEXT_COLUMNS_NOT_TEXT                                                                      \
	"(" NOT_TEXT("actor", "1") " + " NOT_TEXT("os_user", "2") " + "                            \
	NOT_TEXT("action", "4") " + " NOT_TEXT("object_type", "8") " + "                           \
	NOT_TEXT("object_id", "16") " + " NOT_TEXT("detail", "32") " + "                           \
	NOT_TEXT("prev_hash", "64") " + " NOT_TEXT("hash", "128") " + "                            \
	NOT_TEXT("redacted", "256") ")"
/* clang-format on */

/* audit_people's key for an entry and a person it names: "SEQ:EMPLOYEE_ID". */
static const char *index_key(struct sb *key, int64_t seq, const char *employee_id)
{
	sb_reset(key);
	sb_printf(key, "%" PRId64 ":%s", seq, employee_id);
	return key->buf;
}

/* Add the audit_people rows entry e should have to expected (value: its seq). */
static void expect_people(struct hmap *expected, struct sb *key, const struct audit_entry *e)
{
	struct hmap named;
	hmap_init(&named);
	people_named(e, &named);
	size_t pos = 0;
	const char *eid;
	while ((eid = hmap_next(&named, &pos, NULL)) != NULL)
		hmap_put(expected, index_key(key, e->seq, eid), e->seq);
	hmap_release(&named);
}

/* audit_people must hold exactly the rows index_people wrote for the kept
 * entries (expected, by "SEQ:EMPLOYEE_ID"): plumb me finds the entries
 * naming a person by it, so a row deleted hid an entry from them, and one
 * added showed them another's.  The first bad entry is reported. */
static int check_people_index(struct store *s, struct hmap *expected, struct audit_verify_report *r,
                              struct error *err)
{
	/* And whether a row is stored as the types it reads as: on SQLite an
	 * employee id made a blob of the same bytes (or a seq made one of its
	 * digits) read as the row expected, yet equals no text, so plumb me,
	 * which looks rows up by them, found none (found hunting, as for
	 * audit_log's own columns). */
	struct store_stmt *st;
	int rc = store_prepare(s,
	                       "SELECT seq, employee_id, CASE WHEN employee_id = CAST(employee_id "
	                       "AS TEXT) AND seq = CAST(seq AS BIGINT) THEN 0 ELSE 1 END FROM "
	                       "audit_people ORDER BY seq",
	                       &st, err);
	if (rc < 0)
		return rc;
	struct sb key = SB_INIT, extra = SB_INIT, mistyped = SB_INIT;
	int64_t extra_seq = 0, mistyped_seq = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		int64_t seq = stmt_int(st, 0);
		const char *eid = stmt_text(st, 1);
		if (stmt_int(st, 2) && !mistyped_seq) {
			mistyped_seq = seq;
			sb_puts(&mistyped, eid ? eid : "");
		}
		int64_t value;
		const char *k = index_key(&key, seq, eid ? eid : "");
		if (hmap_get(expected, k, &value))
			hmap_put(expected, k, 0); /* found */
		else if (!extra_seq) {
			extra_seq = seq;
			sb_puts(&extra, eid ? eid : "");
		}
	}
	stmt_reset(st);
	int64_t missing_seq = 0;
	const char *missing = NULL;
	size_t pos = 0;
	const char *k;
	int64_t value;
	while (rc >= 0 && (k = hmap_next(expected, &pos, &value)) != NULL)
		if (value > 0 && (!missing_seq || value < missing_seq)) {
			missing_seq = value;
			missing = strchr(k, ':') + 1;
		}
	/* The first bad entry is reported: a mistyped row only before the others. */
	if (mistyped_seq && ((missing_seq && missing_seq <= mistyped_seq) ||
	                     (extra_seq && extra_seq <= mistyped_seq)))
		mistyped_seq = 0;
	if (rc >= 0 && mistyped_seq) {
		sb_reset(&key);
		sb_printf(
		        &key,
		        "the index of whom entries name (audit_people) has its row naming %s "
		        "stored as another type than text and integer (the row was edited outside "
		        "plumb: plumb me no longer finds the entry for %s)",
		        mistyped.buf, mistyped.buf);
		rc = tampered(r, mistyped_seq, err, key.buf);
	} else if (rc >= 0 && missing_seq && (!extra_seq || missing_seq < extra_seq)) {
		sb_reset(&key);
		sb_printf(&key,
		          "the index of whom entries name (audit_people) lacks its row naming %s, "
		          "which its detail does (the row was deleted: plumb me no longer shows "
		          "the entry to %s)",
		          missing, missing);
		rc = tampered(r, missing_seq, err, key.buf);
	} else if (rc >= 0 && extra_seq) {
		sb_reset(&key);
		sb_printf(&key,
		          "the index of whom entries name (audit_people) has a row naming %s, "
		          "which its detail does not (the row was added: plumb me may show the "
		          "entry to %s)",
		          extra.buf, extra.buf);
		rc = tampered(r, extra_seq, err, key.buf);
	}
	sb_release(&key);
	sb_release(&extra);
	sb_release(&mistyped);
	return rc < 0 ? rc : 0;
}

/* Walk the chain; remember hashes at checkpointed seqs in a sorted list. */
int audit_verify(struct store *s, const unsigned char pk[32], const struct audit_head *expect_head,
                 struct audit_verify_report *r, struct error *err)
{
	memset(r, 0, sizeof *r);
	audit_key_id(pk, r->key_id);
	struct store_stmt *st;
	/* The time as stored, too: the hash covers it as an integer; and which
	 * text columns are not stored as text (TEXT_COLUMNS_NOT_TEXT). */
	int rc = store_prepare(
	        s,
	        "SELECT seq, at, actor, os_user, action, object_type, object_id, "
	        "detail, prev_hash, hash, redacted, CAST(at AS TEXT), "
	        "CASE WHEN at = CAST(at AS BIGINT) THEN 1 ELSE 0 END, " TEXT_COLUMNS_NOT_TEXT
	        " FROM audit_log ORDER BY seq",
	        &st, err);
	if (rc < 0)
		return rc;
	char prev[AUDIT_HASH_HEX] = GENESIS_HASH;
	int64_t expect = 1;
	/* Hashes by seq, for checking checkpoints afterwards. */
	size_t hashes_alloc = 1024;
	char(*hashes)[AUDIT_HASH_HEX] = xmalloc(hashes_alloc * AUDIT_HASH_HEX);
	struct redaction_groups groups = {0};
	/* The audit_people rows of the kept entries, checked once the chain is. */
	struct hmap expected;
	hmap_init(&expected);
	struct sb key = SB_INIT;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		struct audit_entry e = {
		        .seq = stmt_int(st, 0),
		        .at = stmt_int(st, 1),
		        .actor = stmt_text(st, 2),
		        .os_user = stmt_text(st, 3),
		        .action = stmt_text(st, 4),
		        .object_type = stmt_text(st, 5),
		        .object_id = stmt_text(st, 6),
		        .detail = stmt_text(st, 7),
		        .prev_hash = stmt_text(st, 8),
		        .hash = stmt_text(st, 9),
		        .redacted = stmt_text(st, 10),
		};
		if (!e.actor || !e.action || !e.object_type || !e.object_id || !e.detail ||
		    !e.prev_hash || !e.hash) {
			rc = tampered(r, e.seq, err,
			              "a required field is null (the table was altered)");
			break;
		}
		/* The hash covers a field up to its first NUL byte, which plumb
		 * never writes: bytes after one would pass unseen. */
		bool nul = false;
		for (int col = 2; col <= 10; col++)
			nul = nul || stmt_text_has_nul(st, col);
		if (nul) {
			rc = tampered(
			        r, e.seq, err,
			        "a field holds a NUL byte (the row was edited outside plumb)");
			break;
		}
		/* SQLite keeps what it is given: a time stored as text, a real or
		 * a blob reads as the integer its hash covers, yet compares
		 * otherwise (text and blobs sort after every number, so retention
		 * never found the entry old enough to redact, nor --since too new
		 * to list). Its text must be the integer's, and it must equal that
		 * integer, which a blob of the same digits does not (review). */
		char at_text[32];
		snprintf(at_text, sizeof at_text, "%" PRId64, e.at);
		const char *at_stored = stmt_text(st, 11);
		if (!at_stored || strcmp(at_stored, at_text) != 0 || stmt_int(st, 12) != 1) {
			rc = tampered(
			        r, e.seq, err,
			        "its time is not stored as the integer its hash covers (the row "
			        "was edited outside plumb)");
			break;
		}
		int64_t not_text = stmt_int(st, 13);
		if (not_text) {
			size_t col = 0;
			while (!(not_text & (INT64_C(1) << col)))
				col++;
			char what[128];
			snprintf(what, sizeof what,
			         "its %s is not stored as text (the row was edited outside plumb)",
			         text_columns[col]);
			rc = tampered(r, e.seq, err, what);
			break;
		}
		if (e.seq != expect) {
			rc = tampered(r, expect, err,
			              e.seq > expect
			                      ? "this entry is missing (deleted or renumbered)"
			                      : "entries are out of order");
			break;
		}
		if (strcmp(e.prev_hash, prev) != 0) {
			rc = tampered(
			        r, e.seq, err,
			        "its prev_hash does not match the previous entry's hash (an entry "
			        "before it was removed, inserted or reordered)");
			break;
		}
		if (e.redacted) {
			/* Its content is gone, so its hash cannot be recomputed: the next
			 * entry's prev_hash, the checkpoints and its record vouch for it. */
			int64_t record_seq = redaction_record_seq(e.redacted);
			if (record_seq <= e.seq || strlen(e.hash) != 64 ||
			    strspn(e.hash, "0123456789abcdef") != 64) {
				rc = tampered(r, e.seq, err,
				              "it is marked redacted but names no later retention "
				              "record (it was marked by hand)");
				break;
			}
			struct redaction_group *grp = group_find(&groups, record_seq, true);
			if (grp->count++ == 0)
				grp->first_seq = e.seq;
			redaction_digest_add(&grp->h, &e);
			r->redacted++;
		} else {
			char computed[AUDIT_HASH_HEX];
			entry_hash(&e, computed);
			if (strcmp(computed, e.hash) != 0) {
				rc = tampered(
				        r, e.seq, err,
				        "its content does not match its hash (the row was edited)");
				break;
			}
			if (strcmp(e.action, AUDIT_REDACTION_ACTION) == 0 &&
			    (rc = check_redaction_record(&groups, &e, r, err)) < 0)
				break;
			expect_people(&expected, &key, &e);
		}
		memcpy(prev, e.hash, sizeof prev);
		if ((size_t)e.seq >= hashes_alloc) {
			hashes_alloc *= 2;
			hashes = xreallocarray(hashes, hashes_alloc, AUDIT_HASH_HEX);
		}
		memcpy(hashes[e.seq], e.hash, AUDIT_HASH_HEX);
		r->entries = e.seq;
		expect++;
	}
	if (rc >= 0 && groups.n > 0) {
		/* Entries name a record that is not a retention record vouching for them. */
		int64_t first = groups.v[0].first_seq;
		for (size_t i = 1; i < groups.n; i++)
			if (groups.v[i].first_seq < first)
				first = groups.v[i].first_seq;
		rc = tampered(
		        r, first, err,
		        "it is marked redacted but no retention record vouches for it (it was "
		        "marked by hand)");
	}
	/* plumb init writes the first entry (db.init), so no database of plumb's
	 * has an empty log: one emptied with its checkpoints verified as
	 * "0 entries" (found in review). */
	if (rc >= 0 && r->entries == 0)
		rc = tampered(r, 1, err,
		              "the log holds no entry, though a plumb database's first is written "
		              "by its init (the log was emptied)");
	free(groups.v);
	sb_release(&key);
	stmt_reset(st);
	if (rc < 0) {
		hmap_release(&expected);
		free(hashes);
		return rc;
	}
	rc = store_prepare(
	        s, "SELECT seq, hash, at, key_id, signature FROM audit_checkpoints ORDER BY seq",
	        &st, err);
	if (rc < 0) {
		hmap_release(&expected);
		free(hashes);
		return rc;
	}
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		int64_t seq = stmt_int(st, 0);
		const char *hash = stmt_text(st, 1);
		int64_t at = stmt_int(st, 2);
		const char *key_id = stmt_text(st, 3);
		const char *sig_hex = stmt_text(st, 4);
		if (!hash || !key_id || !sig_hex) {
			rc = tampered(r, seq, err,
			              "a checkpoint field is null (the table was altered)");
			break;
		}
		if (seq > r->entries) {
			rc = tampered(
			        r, r->entries + 1, err,
			        "a signed checkpoint covers entries that are no longer in the log "
			        "(the end of the log was cut off)");
			break;
		}
		if (strcmp(key_id, r->key_id) != 0) {
			r->bad_seq = seq;
			rc = err_set(err, ERR_TAMPERED,
			             "checkpoint at sequence number %" PRId64
			             " was signed by another key",
			             seq);
			err_detail(err, "signed by key %s; verifying with key %s", key_id,
			           r->key_id);
			err_hint(err, "pass the right key with --audit-key or --public-key");
			break;
		}
		if (!checkpoint_signed(seq, hash, at, sig_hex, pk)) {
			rc = tampered(r, seq, err, "the checkpoint's signature does not verify");
			break;
		}
		if (strcmp(hashes[seq], hash) != 0) {
			rc = tampered(
			        r, seq, err,
			        "the entry's hash differs from the signed checkpoint (history was "
			        "rewritten and rehashed)");
			break;
		}
		r->checkpoints++;
		r->last_checkpoint_seq = seq;
	}
	stmt_reset(st);
	if (rc >= 0 && expect_head && expect_head->seq > r->entries) {
		rc = tampered(
		        r, r->entries + 1, err,
		        "the log ends before the published head (the end of the log was cut off)");
	} else if (rc >= 0 && expect_head && expect_head->seq > 0 &&
	           strcmp(hashes[expect_head->seq], expect_head->hash) != 0) {
		rc = tampered(
		        r, expect_head->seq, err,
		        "the entry's hash differs from the published head (history was rewritten)");
	}
	free(hashes);
	if (rc >= 0)
		rc = check_people_index(s, &expected, r, err);
	hmap_release(&expected);
	if (rc < 0)
		return rc;
	if (r->entries > r->last_checkpoint_seq) {
		char what[96];
		snprintf(what, sizeof what,
		         "entries %" PRId64 " to %" PRId64
		         " are not covered by a signed checkpoint",
		         r->last_checkpoint_seq + 1, r->entries);
		return tampered(r, r->last_checkpoint_seq + 1, err, what);
	}
	return 0;
}

int audit_list(struct ctx *ctx, const struct audit_filter *f, struct audit_entry **out, size_t *n,
               struct error *err)
{
	/* One object's entries (--object TYPE:ID) by the audit_log_object index:
	 * the filter written as "?3 IS NULL OR object_type = ?3" scanned the whole
	 * log, so a person's access list grew with everyone's entries. */
	static const char sql_any[] = AUDIT_ENTRY_SELECT
	        "WHERE (?1 = 0 OR at >= ?2) "
	        "AND (CAST(?3 AS TEXT) IS NULL OR object_type = ?3) "
	        "AND (CAST(?4 AS TEXT) IS NULL OR object_id = ?4) "
	        "ORDER BY seq DESC LIMIT ?5"; /* PostgreSQL fetches whole results */
	static const char sql_object[] =
	        AUDIT_ENTRY_SELECT "WHERE (?1 = 0 OR at >= ?2) AND object_type = ?3 AND "
	                           "object_id = ?4 ORDER BY seq DESC LIMIT ?5";
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, f->object_type && f->object_id ? sql_object : sql_any,
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, f->has_since);
	stmt_bind_int(st, 2, f->since);
	stmt_bind_text(st, 3, f->object_type);
	stmt_bind_text(st, 4, f->object_id ? audit_object_id(ctx->arena, f->object_id) : NULL);
	stmt_bind_int(st, 5, f->limit ? f->limit : INT64_MAX);
	size_t count = 0, alloc = 0;
	struct audit_entry *entries = NULL;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		entries = arena_grow(ctx->arena, entries, count, &alloc, sizeof *entries);
		struct audit_entry *e = &entries[count++];
		e->seq = stmt_int(st, 0);
		e->at = stmt_int(st, 1);
		e->actor = arena_strdup(ctx->arena, stmt_text(st, 2));
		e->os_user = arena_strdup(ctx->arena, stmt_text(st, 3));
		e->action = arena_strdup(ctx->arena, stmt_text(st, 4));
		e->object_type = arena_strdup(ctx->arena, stmt_text(st, 5));
		e->object_id = arena_strdup(ctx->arena, stmt_text(st, 6));
		e->detail = arena_strdup(ctx->arena, stmt_text(st, 7));
		e->prev_hash = arena_strdup(ctx->arena, stmt_text(st, 8));
		e->hash = arena_strdup(ctx->arena, stmt_text(st, 9));
		e->redacted = stmt_text_dup(st, 10, ctx->arena);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	/* Read newest first (so --limit keeps the newest), shown oldest first. */
	for (size_t i = 0; i < count / 2; i++) {
		struct audit_entry tmp = entries[i];
		entries[i] = entries[count - 1 - i];
		entries[count - 1 - i] = tmp;
	}
	*out = entries;
	*n = count;
	return 0;
}

int audit_latest_checkpoint(struct ctx *ctx, struct audit_checkpoint *cp, struct error *err)
{
	memset(cp, 0, sizeof *cp);
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT seq, hash, at, key_id, signature FROM audit_checkpoints "
	                       "ORDER BY seq DESC LIMIT 1",
	                       &st, err);
	if (rc < 0)
		return rc;
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		cp->seq = stmt_int(st, 0);
		/* A null field (the table altered by hand) reads as empty: it
		 * then matches no head and verifies with no key. */
		const char *hash = stmt_text(st, 1), *key_id = stmt_text(st, 3),
		           *signature = stmt_text(st, 4);
		snprintf(cp->hash, sizeof cp->hash, "%s", hash ? hash : "");
		cp->at = stmt_int(st, 2);
		snprintf(cp->key_id, sizeof cp->key_id, "%s", key_id ? key_id : "");
		snprintf(cp->signature, sizeof cp->signature, "%s", signature ? signature : "");
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (rc == STORE_DONE) {
		err_set(err, ERR_NOT_FOUND, "no signed checkpoint yet");
		err_hint(err,
		         "checkpoints are written with every change; run a write command first");
		return ERR_NOT_FOUND;
	}
	return 0;
}

int audit_checkpoint_current(struct store *s, const struct audit_checkpoint *cp,
                             const unsigned char *pk, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(s, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", &st,
	                       err);
	if (rc < 0)
		return rc;
	rc = stmt_step(st, err);
	if (rc < 0)
		return rc;
	int64_t head_seq = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	const char *hash = rc == STORE_ROW ? stmt_text(st, 1) : NULL;
	bool is_head = head_seq == cp->seq && hash && strcmp(hash, cp->hash) == 0;
	stmt_reset(st);
	if (!is_head) {
		err_set(err, ERR_TAMPERED,
		        "the newest checkpoint does not sign the head of the audit log");
		err_detail(err,
		           "the log ends at entry %" PRId64
		           " and the newest checkpoint signs entry %" PRId64
		           "%s; a head published now would not vouch for the log as it stands",
		           head_seq, cp->seq, head_seq == cp->seq ? " with another hash" : "");
	} else if (pk && !checkpoint_signed(cp->seq, cp->hash, cp->at, cp->signature, pk)) {
		err_set(err, ERR_TAMPERED, "the newest checkpoint's signature does not verify");
		err_detail(err, "checkpoint at entry %" PRId64 ", key %s", cp->seq, cp->key_id);
	} else {
		return 0;
	}
	err_hint(err, "nothing to publish: run 'plumb audit verify', restore from a backup whose "
	              "chain verifies, and investigate who had write access to the database");
	return ERR_TAMPERED;
}

int audit_head_seq(struct store *s, int64_t *seq, struct error *err)
{
	bool found;
	return store_query_int(s, "SELECT COALESCE(MAX(seq), 0) FROM audit_log", seq, &found, err);
}
