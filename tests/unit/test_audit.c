/*
 * test_audit: the hash-chained, checkpoint-signed audit log, through the
 * public API (ctx_open, db_init, ctx_op_begin/commit, audit_verify), with
 * an attacker who writes the SQLite file directly.  The attacker's hashes
 * come from an independent implementation of the canonical encoding
 * described in src/core/audit.c (netstrings "LEN:BYTES," with "~," for
 * null, SHA-256, lower-case hex), so a rewrite that rehashes correctly is
 * still caught by the signed checkpoints.
 */
#include <dirent.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include <sodium.h>
#include <sqlite3.h>

#include "base/fileio.h"
#include "base/sb.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/db.h"
#include "store/store.h"

#define GENESIS        "0000000000000000000000000000000000000000000000000000000000000000"
#define OPS_AFTER_INIT 3
#define ENTRIES_PER_OP 2
/* db.init writes one entry, then each demo op two. */
#define ENTRIES (1 + OPS_AFTER_INIT * ENTRIES_PER_OP)

struct fixture {
	char dir[64];
	char db[128];
	char key[128];
};

static struct ctx *open_ctx(const char *db, const char *key, bool create)
{
	struct ctx_options o = {.db_url = db, .create = create, .audit_key_path = key};
	struct ctx *ctx = NULL;
	struct error err = {0};
	if (ctx_open(&o, &ctx, &err) < 0)
		fail_msg("ctx_open %s: %s", db, err.message);
	return ctx;
}

/* One write operation with n audit entries, committed. */
static void audited_write(struct ctx *ctx, int n, const char *tag)
{
	struct error err = {0};
	if (ctx_op_begin(ctx, OP_DEMO, &err) < 0)
		fail_msg("ctx_op_begin: %s", err.message);
	for (int i = 0; i < n; i++) {
		char id[32], detail[64];
		snprintf(id, sizeof id, "%s-%d", tag, i);
		snprintf(detail, sizeof detail, "{\"step\":%d,\"note\":\"%s\"}", i, tag);
		if (audit_append(ctx, "demo.step", "demo", id, detail, &err) < 0)
			fail_msg("audit_append: %s", err.message);
	}
	if (ctx_op_commit(ctx, &err) < 0)
		fail_msg("ctx_op_commit: %s", err.message);
	ctx_op_end(ctx, NULL);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/plumb-audit-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof f->db, "%s/x.db", f->dir);
	snprintf(f->key, sizeof f->key, "%s/k.key", f->dir);
	struct ctx *ctx = open_ctx(f->db, f->key, true);
	struct db_init_result res;
	struct error err = {0};
	if (db_init(ctx, &res, &err) < 0)
		fail_msg("db_init: %s", err.message);
	for (int i = 0; i < OPS_AFTER_INIT; i++) {
		char tag[16];
		snprintf(tag, sizeof tag, "op%d", i);
		audited_write(ctx, ENTRIES_PER_OP, tag);
	}
	ctx_close(ctx);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	remove_tree(f->dir);
	free(f);
	return 0;
}

static void load_public_key(const char *path, unsigned char pk[32])
{
	unsigned char sk[64];
	struct error err = {0};
	if (audit_key_load(path, sk, pk, &err) < 0)
		fail_msg("audit_key_load %s: %s", path, err.message);
	sodium_memzero(sk, sizeof sk);
}

static int verify_file(const char *db, const unsigned char pk[32], struct audit_verify_report *r,
                       struct error *err)
{
	struct store *s = NULL;
	struct error open_err = {0};
	if (store_open(db, STORE_OPEN_EXISTING, &s, &open_err) < 0)
		fail_msg("store_open %s: %s", db, open_err.message);
	int rc = audit_verify(s, pk, NULL, r, err);
	store_close(s);
	return rc;
}

/* Verify with the fixture's own key; expect ERR_TAMPERED at bad_seq. */
static void expect_tampered(struct fixture *f, int64_t bad_seq, struct error *err)
{
	unsigned char pk[32];
	load_public_key(f->key, pk);
	struct audit_verify_report r;
	int rc = verify_file(f->db, pk, &r, err);
	if (rc != ERR_TAMPERED)
		fail_msg("verify returned %d (%s), expected ERR_TAMPERED", rc, err->message);
	assert_int_equal(err->code, ERR_TAMPERED);
	assert_int_equal(r.bad_seq, bad_seq);
	char seq[24];
	snprintf(seq, sizeof seq, "%" PRId64, bad_seq);
	assert_non_null(strstr(err->message, seq));
}

/* ---- the attacker --------------------------------------------------------- */

static sqlite3 *attacker_open(const char *db)
{
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	/* The guards stop accidents, not someone with write access to the file. */
	assert_int_equal(sqlite3_exec(h,
	                              "DROP TRIGGER audit_log_no_update; "
	                              "DROP TRIGGER audit_log_no_delete;",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	return h;
}

static void attacker_exec(sqlite3 *h, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char copy[256];
		snprintf(copy, sizeof copy, "%s", msg ? msg : "?");
		sqlite3_free(msg);
		fail_msg("%s: %s", sql, copy);
	}
}

static void attack(struct fixture *f, const char *sql)
{
	sqlite3 *h = attacker_open(f->db);
	attacker_exec(h, sql);
	sqlite3_close(h);
}

static int64_t attacker_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int64_t file_int(struct fixture *f, const char *sql)
{
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
	int64_t v = attacker_int(h, sql);
	sqlite3_close(h);
	return v;
}

/* One audit row as the attacker sees it. */
struct row {
	int64_t seq, at;
	char *text[7]; /* actor, os_user, action, object_type, object_id, detail, prev_hash */
	char hash[65];
};

static void put_netstring(struct sb *enc, const char *s)
{
	if (!s) {
		sb_puts(enc, "~,");
		return;
	}
	sb_printf(enc, "%zu:", strlen(s));
	sb_puts(enc, s);
	sb_putc(enc, ',');
}

/* SHA-256 over seq, at, actor, os_user, action, object_type, object_id,
 * detail, prev_hash as netstrings; lower-case hex. */
static void row_hash(const struct row *r, const char *prev_hash, char out[65])
{
	struct sb enc = SB_INIT;
	char num[32];
	snprintf(num, sizeof num, "%" PRId64, r->seq);
	put_netstring(&enc, num);
	snprintf(num, sizeof num, "%" PRId64, r->at);
	put_netstring(&enc, num);
	for (int i = 0; i < 6; i++)
		put_netstring(&enc, r->text[i]);
	put_netstring(&enc, prev_hash);
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)enc.buf, enc.len);
	sb_release(&enc);
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < sizeof digest; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[64] = '\0';
}

static size_t read_rows(sqlite3 *h, struct row *rows, size_t max)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(
	        sqlite3_prepare_v2(h,
	                           "SELECT seq, at, actor, os_user, action, object_type, "
	                           "object_id, detail, prev_hash, hash FROM audit_log ORDER BY seq",
	                           -1, &st, NULL),
	        SQLITE_OK);
	size_t n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		assert_true(n < max);
		struct row *r = &rows[n++];
		r->seq = sqlite3_column_int64(st, 0);
		r->at = sqlite3_column_int64(st, 1);
		for (int i = 0; i < 7; i++) {
			const char *t = (const char *)sqlite3_column_text(st, 2 + i);
			r->text[i] = t ? strdup(t) : NULL;
		}
		snprintf(r->hash, sizeof r->hash, "%s", (const char *)sqlite3_column_text(st, 9));
	}
	sqlite3_finalize(st);
	return n;
}

static void free_rows(struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < 7; j++)
			free(rows[i].text[j]);
}

/* Recompute prev_hash and hash of every row from seq `from` on. */
static void attacker_rehash_from(sqlite3 *h, int64_t from)
{
	struct row rows[64];
	size_t n = read_rows(h, rows, 64);
	char prev[65] = GENESIS;
	sqlite3_stmt *up = NULL;
	assert_int_equal(
	        sqlite3_prepare_v2(h, "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?",
	                           -1, &up, NULL),
	        SQLITE_OK);
	for (size_t i = 0; i < n; i++) {
		if (rows[i].seq >= from) {
			char hash[65];
			row_hash(&rows[i], prev, hash);
			sqlite3_bind_text(up, 1, prev, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(up, 2, hash, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(up, 3, rows[i].seq);
			assert_int_equal(sqlite3_step(up), SQLITE_DONE);
			sqlite3_reset(up);
			memcpy(rows[i].hash, hash, sizeof hash);
		}
		memcpy(prev, rows[i].hash, sizeof prev);
	}
	sqlite3_finalize(up);
	free_rows(rows, n);
}

/* ---- tests ---------------------------------------------------------------- */

static void intact_chain_verifies(void **state)
{
	struct fixture *f = *state;
	unsigned char pk[32];
	load_public_key(f->key, pk);
	struct audit_verify_report r;
	struct error err = {0};
	assert_int_equal(verify_file(f->db, pk, &r, &err), 0);
	assert_int_equal(err.code, 0);
	assert_int_equal(r.entries, ENTRIES);
	assert_int_equal(r.entries, file_int(f, "SELECT COUNT(*) FROM audit_log"));
	/* One checkpoint per committed write: init plus each op. */
	assert_int_equal(r.checkpoints, 1 + OPS_AFTER_INIT);
	assert_int_equal(r.last_checkpoint_seq, ENTRIES);
	assert_int_equal(r.bad_seq, 0);
	char id[AUDIT_KEY_ID_HEX];
	audit_key_id(pk, id);
	assert_string_equal(r.key_id, id);
}

static void chain_matches_documented_encoding(void **state)
{
	/* Guards the attacker model: our independent hashes equal the stored ones. */
	struct fixture *f = *state;
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
	struct row rows[64];
	size_t n = read_rows(h, rows, 64);
	sqlite3_close(h);
	assert_int_equal(n, ENTRIES);
	const char *prev = GENESIS;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(rows[i].seq, (int64_t)i + 1);
		assert_string_equal(rows[i].text[6], prev);
		char hash[65];
		row_hash(&rows[i], prev, hash);
		assert_string_equal(hash, rows[i].hash);
		prev = rows[i].hash;
	}
	assert_string_equal(rows[0].text[2], "db.init");
	assert_null(rows[0].text[1]); /* no os_user without impersonation */
	free_rows(rows, n);
}

static void init_reports_key_and_creates_it_private(void **state)
{
	(void)state;
	char dir[64];
	snprintf(dir, sizeof dir, "/tmp/plumb-audit-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char db[128], key[128];
	snprintf(db, sizeof db, "%s/y.db", dir);
	snprintf(key, sizeof key, "%s/sub/k.key", dir); /* parent directory created too */
	struct ctx *ctx = open_ctx(db, key, true);
	struct db_init_result res;
	struct error err = {0};
	assert_int_equal(db_init(ctx, &res, &err), 0);
	assert_true(res.key_created);
	assert_string_equal(res.key_path, key);
	assert_int_equal(res.schema_version, store_latest_schema_version());
	struct stat st;
	assert_int_equal(stat(key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600); /* audit.h: mode 0600 */
	unsigned char pk[32];
	load_public_key(key, pk);
	char id[AUDIT_KEY_ID_HEX];
	audit_key_id(pk, id);
	assert_string_equal(res.key_id, id);
	/* A second init is refused and writes nothing. */
	struct db_init_result again;
	struct error err2 = {0};
	assert_int_equal(db_init(ctx, &again, &err2), ERR_CONFLICT);
	int64_t n = 0;
	assert_int_equal(
	        store_query_int(ctx->store, "SELECT COUNT(*) FROM audit_log", &n, NULL, &err), 0);
	assert_int_equal(n, 1);
	ctx_close(ctx);
	char sub[100];
	snprintf(sub, sizeof sub, "%s/sub", dir);
	remove_tree(sub); /* the key, and the pseudonym key made beside it */
	remove_tree(dir);
}

static void list_and_latest_checkpoint(void **state)
{
	struct fixture *f = *state;
	struct ctx *ctx = open_ctx(f->db, f->key, false);
	struct error err = {0};
	struct audit_filter all = {0};
	struct audit_entry *e = NULL;
	size_t n = 0;
	assert_int_equal(audit_list(ctx, &all, &e, &n, &err), 0);
	assert_int_equal(n, ENTRIES);
	assert_string_equal(e[0].action, "db.init");
	for (size_t i = 1; i < n; i++) {
		assert_int_equal(e[i].seq, (int64_t)i + 1);
		assert_string_equal(e[i].prev_hash, e[i - 1].hash);
		assert_string_equal(e[i].action, "demo.step");
		assert_string_equal(e[i].actor, "admin");
	}
	struct audit_filter one = {.object_type = "demo", .object_id = "op1-0"};
	assert_int_equal(audit_list(ctx, &one, &e, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].detail, "{\"step\":0,\"note\":\"op1\"}");
	struct audit_checkpoint cp;
	assert_int_equal(audit_latest_checkpoint(ctx, &cp, &err), 0);
	assert_int_equal(cp.seq, ENTRIES);
	unsigned char pk[32];
	load_public_key(f->key, pk);
	char id[AUDIT_KEY_ID_HEX];
	audit_key_id(pk, id);
	assert_string_equal(cp.key_id, id);
	ctx_close(ctx);
}

/* What audit.h promises of an id that is not UTF-8 or over
 * AUDIT_OBJECT_ID_MAX bytes: "PREFIX~sha256:" and 16 hex digits. */
static void expect_stored_id(const char *stored, const char *id, const char *prefix)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)id, strlen(id));
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	char want[AUDIT_OBJECT_ID_MAX];
	snprintf(want, sizeof want, "%s~sha256:%.16s", prefix, hex);
	assert_string_equal(stored, want);
}

/* Bytes that are not UTF-8 and an id past PostgreSQL's index row are stored
 * as text it takes; the chain verifies and the filter finds an id as given. */
static void odd_text_is_stored_as_utf8(void **state)
{
	struct fixture *f = *state;
	struct ctx *ctx = open_ctx(f->db, f->key, false);
	struct error err = {0};
	char long_id[3001];
	memset(long_id, 'x', sizeof long_id - 1);
	long_id[sizeof long_id - 1] = '\0';
	assert_int_equal(ctx_op_begin(ctx, OP_DEMO, &err), 0);
	assert_int_equal(
	        audit_append(ctx, "demo.step", "demo", "E\xff", "{\"note\":\"caf\xe9\"}", &err), 0);
	assert_int_equal(audit_append(ctx, "demo.step", "demo", long_id, NULL, &err), 0);
	assert_int_equal(ctx_op_commit(ctx, &err), 0);
	struct audit_entry *e = NULL;
	size_t n = 0;
	struct audit_filter odd = {.object_type = "demo", .object_id = "E\xff"};
	assert_int_equal(audit_list(ctx, &odd, &e, &n, &err), 0);
	assert_int_equal(n, 1);
	expect_stored_id(e[0].object_id, "E\xff", "E\xEF\xBF\xBD");
	assert_string_equal(e[0].detail, "{\"note\":\"caf\xEF\xBF\xBD\"}");
	struct audit_filter longer = {.object_type = "demo", .object_id = long_id};
	assert_int_equal(audit_list(ctx, &longer, &e, &n, &err), 0);
	assert_int_equal(n, 1);
	expect_stored_id(e[0].object_id, long_id,
	                 long_id + sizeof long_id - 1 - AUDIT_OBJECT_ID_KEPT);
	/* A short UTF-8 id is stored as given. */
	assert_string_equal(audit_object_id(ctx->arena, "op1-0"), "op1-0");
	ctx_close(ctx);
	unsigned char pk[32];
	load_public_key(f->key, pk);
	struct audit_verify_report r;
	assert_int_equal(verify_file(f->db, pk, &r, &err), 0);
	assert_int_equal(r.entries, ENTRIES + 2);
}

static void uncommitted_write_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct ctx *ctx = open_ctx(f->db, f->key, false);
	struct error err = {0};
	assert_int_equal(ctx_op_begin(ctx, OP_DEMO, &err), 0);
	assert_int_equal(audit_append(ctx, "demo.step", "demo", "lost", NULL, &err), 0);
	ctx_op_end(ctx, NULL); /* abandon: no commit */
	ctx_close(ctx);
	assert_int_equal(file_int(f, "SELECT COUNT(*) FROM audit_log"), ENTRIES);
	unsigned char pk[32];
	load_public_key(f->key, pk);
	struct audit_verify_report r;
	assert_int_equal(verify_file(f->db, pk, &r, &err), 0);
}

static void edited_detail_is_caught(void **state)
{
	struct fixture *f = *state;
	attack(f, "UPDATE audit_log SET detail = '{\"step\":1,\"note\":\"forged\"}' WHERE seq = 4");
	struct error err = {0};
	expect_tampered(f, 4, &err);
}

static void null_and_empty_os_user_differ(void **state)
{
	/* "~," (null) and "0:," (empty) encode differently, so this edit shows. */
	struct fixture *f = *state;
	attack(f, "UPDATE audit_log SET os_user = '' WHERE seq = 2");
	struct error err = {0};
	expect_tampered(f, 2, &err);
}

static void deleted_middle_row_is_caught(void **state)
{
	struct fixture *f = *state;
	attack(f, "DELETE FROM audit_log WHERE seq = 4");
	struct error err = {0};
	expect_tampered(f, 4, &err);
}

static void rehashed_rewrite_is_caught_by_checkpoint(void **state)
{
	struct fixture *f = *state;
	sqlite3 *h = attacker_open(f->db);
	attacker_exec(
	        h,
	        "UPDATE audit_log SET detail = '{\"step\":1,\"note\":\"forged\"}' WHERE seq = 4");
	attacker_rehash_from(h, 4);
	int64_t first_cp = attacker_int(h, "SELECT MIN(seq) FROM audit_checkpoints WHERE seq >= 4");
	sqlite3_close(h);
	assert_true(first_cp >= 4);

	/* The chain itself is consistent again: every row hashes correctly. */
	h = NULL;
	assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
	struct row rows[64];
	size_t n = read_rows(h, rows, 64);
	sqlite3_close(h);
	const char *prev = GENESIS;
	for (size_t i = 0; i < n; i++) {
		char hash[65];
		row_hash(&rows[i], prev, hash);
		assert_string_equal(hash, rows[i].hash);
		prev = rows[i].hash;
	}
	free_rows(rows, n);

	/* But the first signed checkpoint at or after the edit no longer matches. */
	struct error err = {0};
	expect_tampered(f, first_cp, &err);
	assert_non_null(strstr(err.detail, "checkpoint"));
}

static void rewritten_checkpoint_hash_fails_signature(void **state)
{
	/* The attacker also copies the new hashes into the checkpoints, but
	 * cannot sign them. */
	struct fixture *f = *state;
	sqlite3 *h = attacker_open(f->db);
	attacker_exec(h, "UPDATE audit_log SET detail = '{}' WHERE seq = 4");
	attacker_rehash_from(h, 4);
	attacker_exec(h, "UPDATE audit_checkpoints SET hash = "
	                 "(SELECT hash FROM audit_log a WHERE a.seq = audit_checkpoints.seq)");
	int64_t first_cp = attacker_int(h, "SELECT MIN(seq) FROM audit_checkpoints WHERE seq >= 4");
	sqlite3_close(h);
	struct error err = {0};
	expect_tampered(f, first_cp, &err);
	assert_non_null(strstr(err.detail, "signature"));
}

static void cut_tail_is_caught(void **state)
{
	/* Delete the last entries and nothing else: the last signed checkpoint
	 * now points past the end of the log. */
	struct fixture *f = *state;
	attack(f, "DELETE FROM audit_log WHERE seq > 5");
	struct error err = {0};
	expect_tampered(f, 6, &err);
	assert_non_null(strstr(err.detail, "checkpoint"));
}

static void other_key_is_refused(void **state)
{
	struct fixture *f = *state;
	char other[160];
	snprintf(other, sizeof other, "%s/other.key", f->dir);
	bool created = false;
	struct error err = {0};
	assert_int_equal(audit_key_create(other, &created, &err), 0);
	assert_true(created);
	unsigned char pk[32], mine[32];
	load_public_key(other, pk);
	load_public_key(f->key, mine);
	assert_memory_not_equal(pk, mine, 32);
	struct audit_verify_report r;
	assert_int_equal(verify_file(f->db, pk, &r, &err), ERR_TAMPERED);
	assert_non_null(strstr(err.message, "another key"));
	assert_true(r.bad_seq > 0);
}

static void unsigned_appended_entry_is_caught(void **state)
{
	struct fixture *f = *state;
	sqlite3 *h = attacker_open(f->db);
	struct row rows[64];
	size_t n = read_rows(h, rows, 64);
	struct row forged = {.seq = rows[n - 1].seq + 1, .at = rows[n - 1].at + 1};
	char *text[6] = {"admin", NULL, "user.add", "user", "E666", "{\"roles\":[\"admin\"]}"};
	memcpy(forged.text, text, sizeof text);
	row_hash(&forged, rows[n - 1].hash, forged.hash);
	sqlite3_stmt *st = NULL;
	assert_int_equal(
	        sqlite3_prepare_v2(h,
	                           "INSERT INTO audit_log(seq, at, actor, os_user, action, "
	                           "object_type, object_id, detail, prev_hash, hash) "
	                           "VALUES (?,?,?,?,?,?,?,?,?,?)",
	                           -1, &st, NULL),
	        SQLITE_OK);
	sqlite3_bind_int64(st, 1, forged.seq);
	sqlite3_bind_int64(st, 2, forged.at);
	for (int i = 0; i < 6; i++)
		if (text[i])
			sqlite3_bind_text(st, 3 + i, text[i], -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 3 + i);
	sqlite3_bind_text(st, 9, rows[n - 1].hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, forged.hash, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(h);
	free_rows(rows, n);
	struct error err = {0};
	expect_tampered(f, ENTRIES + 1, &err);
	assert_non_null(strstr(err.detail, "checkpoint"));
}

static void deleted_checkpoints_leave_entries_uncovered(void **state)
{
	struct fixture *f = *state;
	attack(f, "DELETE FROM audit_checkpoints");
	struct error err = {0};
	expect_tampered(f, 1, &err);
}

static void write_without_key_fails_and_writes_nothing(void **state)
{
	struct fixture *f = *state;
	char missing[160];
	snprintf(missing, sizeof missing, "%s/missing.key", f->dir);
	struct ctx *ctx = open_ctx(f->db, missing, false);
	struct error err = {0};
	int rc = ctx_op_begin(ctx, OP_DEMO, &err);
	assert_true(rc < 0);
	assert_int_equal(err.code, rc);
	assert_non_null(strstr(err.message, missing));
	assert_false(store_in_transaction(ctx->store));
	assert_null(ctx->op);
	ctx_close(ctx);
	assert_int_equal(file_int(f, "SELECT COUNT(*) FROM audit_log"), ENTRIES);
	assert_int_equal(file_int(f, "SELECT COUNT(*) FROM audit_checkpoints"), 1 + OPS_AFTER_INIT);
	struct stat st;
	assert_int_not_equal(stat(missing, &st), 0); /* and no key was made up */
}

/* As ssh refuses private keys others can read, plumb refuses such a signing key. */
static void readable_key_file_is_refused(void **state)
{
	struct fixture *f = *state;
	char copy[160];
	snprintf(copy, sizeof copy, "%s/readable.key", f->dir);
	char *data = NULL;
	size_t len = 0;
	struct error err = {0};
	assert_int_equal(file_read(f->key, 4096, &data, &len, &err), 0);
	assert_int_equal(file_create_new(copy, data, len, 0644, &err), 0);
	free(data);
	assert_int_equal(chmod(copy, 0644), 0);
	unsigned char sk[64], pk[32];
	assert_int_equal(audit_key_load(copy, sk, pk, &err), ERR_POLICY);
	assert_non_null(strstr(err.message, "readable by other users"));
	assert_non_null(strstr(err.hint, "chmod 600"));
	assert_int_equal(chmod(copy, 0600), 0);
	err_clear(&err);
	assert_int_equal(audit_key_load(copy, sk, pk, &err), 0);
}

static void garbage_key_file_is_refused(void **state)
{
	struct fixture *f = *state;
	char bad[160];
	snprintf(bad, sizeof bad, "%s/bad.key", f->dir);
	FILE *fp = fopen(bad, "w");
	assert_non_null(fp);
	fputs("not a key\n", fp);
	fclose(fp);
	assert_int_equal(chmod(bad, 0600), 0);
	unsigned char sk[64], pk[32];
	struct error err = {0};
	assert_int_equal(audit_key_load(bad, sk, pk, &err), ERR_INVALID);
	assert_non_null(strstr(err.message, bad));
	struct ctx *ctx = open_ctx(f->db, bad, false);
	struct error err2 = {0};
	assert_true(ctx_op_begin(ctx, OP_DEMO, &err2) < 0);
	ctx_close(ctx);
	assert_int_equal(file_int(f, "SELECT COUNT(*) FROM audit_log"), ENTRIES);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(intact_chain_verifies),
	        T(chain_matches_documented_encoding),
	        cmocka_unit_test(init_reports_key_and_creates_it_private),
	        T(list_and_latest_checkpoint),
	        T(odd_text_is_stored_as_utf8),
	        T(uncommitted_write_leaves_nothing),
	        T(edited_detail_is_caught),
	        T(null_and_empty_os_user_differ),
	        T(deleted_middle_row_is_caught),
	        T(rehashed_rewrite_is_caught_by_checkpoint),
	        T(rewritten_checkpoint_hash_fails_signature),
	        T(cut_tail_is_caught),
	        T(other_key_is_refused),
	        T(unsigned_appended_entry_is_caught),
	        T(deleted_checkpoints_leave_entries_uncovered),
	        T(write_without_key_fails_and_writes_nothing),
	        T(readable_key_file_is_refused),
	        T(garbage_key_file_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
