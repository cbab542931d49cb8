/*
 * test_store_pg: the storage interface on a real PostgreSQL server: the
 * placeholder rewrite, values through COPY batches (text that needs escaping,
 * extreme integers and doubles), booleans, constraint errors, serialization
 * failures as ERR_TRANSIENT, and a failed COPY leaving the connection usable.
 *
 * Needs PLUMB_TEST_PG_URL (postgres://USER@HOST:PORT, a server where USER may
 * create databases); tests/run sets it in its PostgreSQL pass.  Each test gets
 * a database of its own, dropped afterwards.  Without the variable the
 * program prints a TAP plan of zero and exits 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "store/store.h"
#include "testutil.h"

struct fixture {
	char admin_url[512];
	char url[600];
	char name[64];
	struct store *s;
};

static const char *server_url(void)
{
	const char *u = getenv("PLUMB_TEST_PG_URL");
	return u && *u ? u : NULL;
}

static void admin_exec(const struct fixture *f, const char *sql)
{
	struct error err = {0};
	struct store *admin = NULL;
	if (store_open(f->admin_url, STORE_OPEN_EXISTING, &admin, &err) < 0 ||
	    store_exec(admin, sql, &err) < 0)
		fail_msg("%s: %s", sql, err.message);
	store_close(admin);
}

static int setup(void **state)
{
	static int counter;
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->admin_url, sizeof f->admin_url, "%s/postgres", server_url());
	snprintf(f->name, sizeof f->name, "unit_%d_%d", (int)getpid(), ++counter);
	snprintf(f->url, sizeof f->url, "%s/%s", server_url(), f->name);
	char sql[128];
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->name);
	admin_exec(f, sql);
	struct error err = {0};
	if (store_open(f->url, STORE_OPEN_EXISTING, &f->s, &err) < 0)
		fail_msg("open %s: %s", f->url, err.message);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->s);
	char sql[128];
	snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", f->name);
	admin_exec(f, sql);
	free(f);
	return 0;
}

static void exec_ok(struct store *s, const char *sql)
{
	struct error err = {0};
	if (store_exec(s, sql, &err) < 0)
		fail_msg("%s: %s", sql, err.message);
}

/* '?' inside a literal, a quoted name or a comment is not a parameter. */
static void placeholders_skip_literals(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	struct store_stmt *st;
	assert_int_equal(store_prepare(f->s,
	                               "SELECT ?1 || '?' || ?2 || '''?' AS \"a?\" -- why?\n"
	                               ", CAST(?1 AS TEXT) IS NULL",
	                               &st, &err),
	                 0);
	stmt_bind_text(st, 1, "a");
	stmt_bind_text(st, 2, "b");
	assert_int_equal(stmt_step(st, &err), STORE_ROW);
	assert_string_equal(stmt_text(st, 0), "a?b'?");
	assert_int_equal(stmt_int(st, 1), 0); /* a boolean reads as 0 or 1 */
	stmt_reset(st);
	assert_int_equal(store_prepare(f->s, "SELECT CAST(? AS BIGINT) + CAST(? AS BIGINT), 1 = 1",
	                               &st, &err),
	                 0);
	stmt_bind_int(st, 1, 40);
	stmt_bind_int(st, 2, 2);
	assert_int_equal(stmt_step(st, &err), STORE_ROW);
	assert_int_equal(stmt_int(st, 0), 42);
	assert_int_equal(stmt_int(st, 1), 1);
	assert_int_equal(stmt_step(st, &err), STORE_DONE);
	stmt_reset(st);
}

static const char *const tricky[] = {
        "tab\there",
        "line\nbreak",
        "carriage\rreturn",
        "back\\slash",
        "\\N",
        "",
        "end\\",
        "\xc3\xbcnic\xc3\xb6"
        "de",
        "quote'\"",
        NULL,
};
#define NTRICKY (sizeof tricky / sizeof tricky[0])

/* 2,500 rows: two full COPY chunks and a remainder; every value comes back
 * exactly, nulls and empty strings apart. */
static void batch_values_round_trip(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	exec_ok(f->s,
	        "CREATE TABLE t(id BIGINT PRIMARY KEY, s TEXT, n BIGINT, d DOUBLE PRECISION)");
	const double doubles[] = {0.1, -1e300, 5e-324, 1.0 / 3.0, 0.0};
	const int64_t ints[] = {INT64_MIN, INT64_MAX, -1, 0, 1};
	assert_int_equal(store_begin(f->s, &err), 0);
	struct store_batch *b = store_batch_new(f->s, "t(id, s, n, d)", 4);
	int rows = 2500, rc = 0;
	for (int i = 0; i < rows && rc == 0; i++) {
		store_batch_int(b, i);
		store_batch_text(b, tricky[i % NTRICKY]);
		store_batch_opt_int(b, ints[i % 5], i % 7 != 0);
		store_batch_double(b, doubles[i % 5]);
		rc = store_batch_row_end(b, &err);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(store_batch_finish(b, &err), 0);
	assert_int_equal(store_commit(f->s, &err), 0);
	struct store_stmt *st;
	assert_int_equal(store_prepare(f->s, "SELECT id, s, n, d FROM t ORDER BY id", &st, &err),
	                 0);
	int seen = 0;
	while ((rc = stmt_step(st, &err)) == STORE_ROW) {
		int i = (int)stmt_int(st, 0);
		assert_int_equal(i, seen);
		const char *want = tricky[i % NTRICKY];
		if (want)
			assert_string_equal(stmt_text(st, 1), want);
		else
			assert_true(stmt_is_null(st, 1));
		if (i % 7 != 0)
			assert_true(stmt_int(st, 2) == ints[i % 5]);
		else
			assert_true(stmt_is_null(st, 2));
		assert_true(stmt_double(st, 3) == doubles[i % 5]);
		seen++;
	}
	assert_int_equal(rc, STORE_DONE);
	assert_int_equal(seen, rows);
	stmt_reset(st);
}

/* A duplicate key inside a COPY chunk is a conflict; after the rollback the
 * connection takes new work and nothing of the batch is there. */
static void copy_conflict_then_usable(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	exec_ok(f->s, "CREATE TABLE u(k TEXT PRIMARY KEY)");
	assert_int_equal(store_begin(f->s, &err), 0);
	struct store_batch *b = store_batch_new(f->s, "u(k)", 1);
	int rc = 0;
	for (int i = 0; i < 10 && rc == 0; i++) {
		store_batch_text(b, i == 7 ? "k3" : (char[]){'k', (char)('0' + i), '\0'});
		rc = store_batch_row_end(b, &err);
	}
	assert_int_equal(rc, 0); /* written at finish: the batch is not full */
	assert_int_equal(store_batch_finish(b, &err), ERR_CONFLICT);
	assert_non_null(strstr(err.detail, "duplicate key"));
	store_rollback(f->s);
	int64_t n = -1;
	err = (struct error){0};
	assert_int_equal(store_query_int(f->s, "SELECT COUNT(*) FROM u", &n, NULL, &err), 0);
	assert_int_equal(n, 0);
}

/* A write that breaks a constraint (a race past a service's own check) is a conflict in words
 * a client may read, the same on SQLite and PostgreSQL (test_store's twin) and naming no
 * table or column; the driver's words are in the detail, which the server keeps to itself
 * (detail_private): they reached clients ("UNIQUE constraint failed: teams.name"). */
static void constraint_conflicts_name_nothing_internal(void **state)
{
	struct fixture *f = *state;
	exec_ok(f->s, "CREATE TABLE kp(k TEXT PRIMARY KEY, n INTEGER CHECK (n > 0))");
	exec_ok(f->s, "CREATE TABLE kc(k TEXT REFERENCES kp(k))");
	exec_ok(f->s, "INSERT INTO kp VALUES ('a', 1)");
	static const struct {
		const char *sql, *message;
	} writes[] = {
	        {"INSERT INTO kp VALUES ('a', 2)",
	         "the change conflicts with a stored record: one with the same key exists"},
	        {"INSERT INTO kc VALUES ('zz')", "the change conflicts with a stored record: a "
	                                         "record it refers to is gone, or another refers "
	                                         "to it"},
	        {"INSERT INTO kp VALUES ('b', 0)", "the change conflicts with a stored record"},
	};
	for (size_t i = 0; i < sizeof writes / sizeof *writes; i++) {
		struct error err = {0};
		assert_int_equal(store_exec(f->s, writes[i].sql, &err), ERR_CONFLICT);
		assert_string_equal(err.message, writes[i].message);
		assert_true(err.detail_private);
		assert_non_null(strstr(err.detail, "constraint"));
		assert_non_null(err.hint[0] ? err.hint : NULL);
		/* PostgreSQL's own DETAIL, which key, for the operator's log (private). */
		if (i == 0)
			assert_non_null(strstr(err.detail, "; Key (k)=(a) already exists."));
	}
}

/* Two serializable transactions that each read what the other writes (write
 * skew): the second commit is a serialization failure, ERR_TRANSIENT. */
static void serialization_failure_is_transient(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	exec_ok(f->s, "CREATE TABLE oncall(person TEXT, on_duty INTEGER)");
	exec_ok(f->s, "INSERT INTO oncall VALUES ('a', 1), ('b', 1)");
	struct store *other = NULL;
	assert_int_equal(store_open(f->url, STORE_OPEN_EXISTING, &other, &err), 0);
	exec_ok(f->s, "BEGIN ISOLATION LEVEL SERIALIZABLE");
	exec_ok(other, "BEGIN ISOLATION LEVEL SERIALIZABLE");
	exec_ok(f->s, "SELECT COUNT(*) FROM oncall WHERE on_duty = 1");
	exec_ok(other, "SELECT COUNT(*) FROM oncall WHERE on_duty = 1");
	exec_ok(f->s, "UPDATE oncall SET on_duty = 0 WHERE person = 'a'");
	exec_ok(other, "UPDATE oncall SET on_duty = 0 WHERE person = 'b'");
	exec_ok(f->s, "COMMIT");
	int rc = store_exec(other, "COMMIT", &err);
	assert_int_equal(rc, ERR_TRANSIENT);
	store_close(other);
}

/* A write begin that times out waiting for the write lock is busy and
 * leaves the session usable: the next begin works once the lock is free. */
static void failed_begin_leaves_session_usable(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	struct store *holder = NULL;
	assert_int_equal(store_open(f->url, STORE_OPEN_EXISTING, &holder, &err), 0);
	assert_int_equal(store_begin(holder, &err), 0); /* holds the write lock */
	exec_ok(f->s, "SET lock_timeout = '100ms'");
	/* Busy, as SQLite's busy timeout: exit 75 and HTTP 503, worth trying
	 * again, not a broken database. */
	assert_int_equal(store_begin(f->s, &err), ERR_BUSY);
	assert_non_null(strstr(err.message, "lock timeout"));
	assert_false(store_in_transaction(f->s));
	assert_int_equal(store_commit(holder, &err), 0);
	err_clear(&err);
	assert_int_equal(store_begin(f->s, &err), 0);
	exec_ok(f->s, "CREATE TABLE after_timeout(x INTEGER)");
	assert_int_equal(store_commit(f->s, &err), 0);
	store_close(holder);
}

/* A write that waits for the lock (the server's, not a busy handler's) tells
 * the notice each second, then its end once; the lock wait set through the
 * store is the session's lock_timeout. */
static void wait_notice_told_then_the_end(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	struct store *holder = NULL;
	assert_int_equal(store_open(f->url, STORE_OPEN_EXISTING, &holder, &err), 0);
	assert_int_equal(store_begin(holder, &err), 0);
	struct wait_told told = {0};
	store_set_wait_notice(f->s, record_wait, &told);
	assert_int_equal(store_set_lock_wait(f->s, 2500, &err), 0);
	assert_int_equal(store_begin(f->s, &err), ERR_BUSY);
	assert_non_null(strstr(err.message, "lock timeout"));
	assert_int_equal(told.ticks, 2);
	assert_true(told.waited[0] >= 1000 && told.waited[0] < 2000);
	assert_int_equal(told.ends, 1);
	assert_false(told.tick_after_end);
	/* Under a second: nothing to tell; the work goes on as before. */
	told = (struct wait_told){0};
	err_clear(&err);
	assert_int_equal(store_set_lock_wait(f->s, 300, &err), 0);
	assert_int_equal(store_begin(f->s, &err), ERR_BUSY);
	assert_int_equal(told.ticks + told.ends, 0);
	assert_int_equal(store_commit(holder, &err), 0);
	err_clear(&err);
	assert_int_equal(store_begin(f->s, &err), 0);
	exec_ok(f->s, "CREATE TABLE after_wait(x INTEGER)");
	assert_int_equal(store_commit(f->s, &err), 0);
	assert_int_equal(told.ticks + told.ends, 0);
	store_close(holder);
}

static int64_t query_int(struct store *s, const char *sql)
{
	struct error err = {0};
	int64_t v = 0;
	bool found = false;
	if (store_query_int(s, sql, &v, &found, &err) < 0 || !found)
		fail_msg("%s: %s", sql, err.message);
	return v;
}

/* The audit log's append-only guard refuses a change as a tampering attempt, ERR_TAMPERED,
 * as on SQLite (test_store's audit_log_refuses_*): here it was a database error (exit 1, a
 * 500) and there a conflict (exit 5, a 409). */
static void audit_log_refuses_change(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	assert_int_equal(store_migrate(f->s, &err), 0);
	exec_ok(f->s, "INSERT INTO audit_log(seq, at, actor, os_user, action, object_type, "
	              "object_id, detail, prev_hash, hash) VALUES (1, 0, 'admin', NULL, 'db.init', "
	              "'db', 'postgres', '{}', 'p', 'h')");
	static const char *const changes[] = {
	        "UPDATE audit_log SET detail = '{\"x\":1}' WHERE seq = 1",
	        "DELETE FROM audit_log",
	};
	for (size_t i = 0; i < sizeof changes / sizeof *changes; i++) {
		err_clear(&err);
		assert_int_equal(store_exec(f->s, changes[i], &err), ERR_TAMPERED);
		assert_string_equal(
		        err.message,
		        "the audit log is append-only: its entries cannot be changed or removed");
		assert_non_null(strstr(err.detail, "append-only"));
	}
	assert_int_equal(query_int(f->s, "SELECT COUNT(*) FROM audit_log WHERE detail = '{}'"), 1);
}

/* store_schema_drop leaves a migrated database with no table and no
 * function: store_functions names every one the migrations create. */
static void schema_drop_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	assert_int_equal(store_migrate(f->s, &err), 0);
	const char *functions = "SELECT COUNT(*) FROM pg_proc p JOIN pg_namespace n ON "
	                        "n.oid = p.pronamespace WHERE n.nspname = 'public'";
	assert_true(query_int(f->s, functions) > 0);
	assert_int_equal(store_schema_drop(f->s, 0, &err), 0);
	assert_int_equal(query_int(f->s, functions), 0);
	bool empty = false;
	assert_int_equal(store_is_empty(f->s, &empty, &err), 0);
	assert_true(empty);
	assert_int_equal(store_migrate(f->s, &err), 0);
}

/* A superuser's connection skips the foreign key triggers while the checks
 * are off (session_replication_role = replica), as SQLite does; plumb's own
 * triggers still fire (schema 15), and the checks come back. */
static void references_off_skips_only_foreign_keys(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	assert_int_equal(store_migrate(f->s, &err), 0);
	const char *not_always = "SELECT COUNT(*) FROM pg_trigger t JOIN pg_class c ON c.oid = "
	                         "t.tgrelid WHERE NOT t.tgisinternal AND c.relnamespace = "
	                         "current_schema()::regnamespace AND t.tgenabled <> 'A'";
	assert_int_equal(query_int(f->s, not_always), 0);
	assert_int_equal(query_int(f->s, "SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal"),
	                 8);
	assert_int_equal(store_check_references(f->s, false, &err), 0);
	assert_int_equal(query_int(f->s, "SELECT CAST(current_setting('session_replication_role') "
	                                 "= 'replica' AS INT)"),
	                 1);
	assert_int_equal(store_begin(f->s, &err), 0);
	exec_ok(f->s, "INSERT INTO user_roles(user_id, role) VALUES (999999, 'viewer')");
	assert_int_equal(store_exec(f->s, "TRUNCATE audit_log", &err), ERR_TAMPERED);
	assert_non_null(strstr(err.detail, "append-only"));
	store_rollback(f->s);
	err_clear(&err);
	assert_int_equal(store_check_references(f->s, true, &err), 0);
	assert_int_equal(
	        store_exec(f->s, "INSERT INTO user_roles(user_id, role) VALUES (999999, 'viewer')",
	                   &err),
	        ERR_CONFLICT);
}

/* The server looks every second whether the client is still there (from
 * PostgreSQL 14, where its system can tell; set in a block that gives up
 * quietly where it cannot, rather than failing every connection). */
static void session_checks_the_client(void **state)
{
	struct fixture *f = *state;
	if (query_int(f->s, "SELECT current_setting('server_version_num')::int") < 140000)
		skip();
	assert_int_equal(query_int(f->s, "SELECT CAST(current_setting("
	                                 "'client_connection_check_interval') = '1s' AS INT)"),
	                 1);
}

/* A role that may not set the replica role keeps every check, and the
 * store says nothing: checks off is a speed-up, not a requirement. */
static void references_checked_without_the_privilege(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	char sql[256], url[700];
	snprintf(sql, sizeof sql, "CREATE ROLE %s_role LOGIN", f->name);
	admin_exec(f, sql);
	exec_ok(f->s, "CREATE TABLE parent(id BIGINT PRIMARY KEY)");
	exec_ok(f->s, "CREATE TABLE child(parent_id BIGINT REFERENCES parent(id))");
	snprintf(sql, sizeof sql, "GRANT ALL ON parent, child TO %s_role", f->name);
	exec_ok(f->s, sql);
	/* postgres://USER@HOST:PORT/DB with the role as the user */
	const char *at = strchr(f->url, '@');
	assert_non_null(at);
	snprintf(url, sizeof url, "postgres://%s_role%s", f->name, at);
	struct store *s = NULL;
	if (store_open(url, STORE_OPEN_EXISTING, &s, &err) < 0)
		fail_msg("open %s: %s", url, err.message);
	assert_int_equal(store_check_references(s, false, &err), 0);
	assert_int_equal(query_int(s, "SELECT CAST(current_setting('session_replication_role') = "
	                              "'origin' AS INT)"),
	                 1);
	assert_int_equal(store_exec(s, "INSERT INTO child VALUES (1)", &err), ERR_CONFLICT);
	err_clear(&err);
	assert_int_equal(store_check_references(s, true, &err), 0);
	exec_ok(s, "INSERT INTO parent VALUES (1)");
	exec_ok(s, "INSERT INTO child VALUES (1)");
	store_close(s);
	snprintf(sql, sizeof sql, "DROP OWNED BY %s_role", f->name);
	exec_ok(f->s, sql);
	snprintf(sql, sizeof sql, "DROP ROLE %s_role", f->name);
	admin_exec(f, sql);
}

/* The server ends plumb's session (a restart, pg_terminate_backend): the
 * connection is not lost for good.  A BEGIN that finds it gone begins again
 * in a new session; a statement that finds it gone fails, and the next one
 * runs in a new session, its statements prepared there again. */
static void terminate(const struct fixture *f, int64_t pid)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld)", (long long)pid);
	admin_exec(f, sql);
	struct error err = {0};
	struct store *admin = NULL;
	if (store_open(f->admin_url, STORE_OPEN_EXISTING, &admin, &err) < 0)
		fail_msg("%s", err.message);
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = %lld",
	         (long long)pid);
	int64_t left = 1;
	for (int i = 0; i < 100 && left; i++) {
		left = query_int(admin, sql);
		if (left)
			usleep(20 * 1000);
	}
	store_close(admin);
	assert_int_equal(left, 0);
}

static void lost_session_is_replaced(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	exec_ok(f->s, "CREATE TABLE t(x BIGINT)");
	int64_t first = query_int(f->s, "SELECT pg_backend_pid()");
	terminate(f, first);
	assert_int_equal(store_begin(f->s, &err), 0);
	exec_ok(f->s, "INSERT INTO t VALUES (1)");
	assert_int_equal(store_commit(f->s, &err), 0);
	/* prepared in the first session, prepared again in the second */
	int64_t second = query_int(f->s, "SELECT pg_backend_pid()");
	assert_true(second != first);
	/* Ended while idle, its goodbye waits on the socket: the next read, outside
	 * a transaction, runs in a new session instead of failing on it. */
	terminate(f, second);
	int64_t n = 0;
	bool found = false;
	assert_int_equal(store_query_int(f->s, "SELECT COUNT(*) FROM t", &n, &found, &err), 0);
	assert_int_equal(n, 1);
	int64_t third = query_int(f->s, "SELECT pg_backend_pid()");
	assert_true(third != second);
	/* Ended inside a transaction: that transaction fails, saying so, and the
	 * next one runs in a new session. */
	assert_int_equal(store_begin(f->s, &err), 0);
	exec_ok(f->s, "INSERT INTO t VALUES (2)");
	terminate(f, third);
	assert_int_equal(store_exec(f->s, "INSERT INTO t VALUES (3)", &err), ERR_STORE);
	assert_non_null(strstr(err.message, "lost the connection"));
	err_clear(&err);
	store_rollback(f->s);
	assert_int_equal(query_int(f->s, "SELECT COUNT(*) FROM t"), 1);
	/* The new session is set up as the first was. */
	assert_int_equal(query_int(f->s, "SELECT CAST(current_setting('TimeZone') = 'UTC' AS INT)"),
	                 1);
	/* While no new session can be had, one try a second; the calls between fail at once. */
	char sql[200];
	snprintf(sql, sizeof sql, "ALTER DATABASE %s WITH ALLOW_CONNECTIONS false", f->name);
	admin_exec(f, sql);
	terminate(f, query_int(f->s, "SELECT pg_backend_pid()"));
	assert_int_equal(store_begin(f->s, &err), ERR_STORE); /* found gone; no new one */
	assert_non_null(strstr(err.message, "lost the connection"));
	err_clear(&err);
	assert_int_equal(store_begin(f->s, &err), ERR_STORE);
	assert_non_null(strstr(err.detail, "failed a moment ago"));
	err_clear(&err);
	snprintf(sql, sizeof sql, "ALTER DATABASE %s WITH ALLOW_CONNECTIONS true", f->name);
	admin_exec(f, sql);
	usleep(1100 * 1000);
	assert_int_equal(query_int(f->s, "SELECT COUNT(*) FROM t"), 1);
}

/* A bulk load drops no index here: DROP INDEX would lock readers out of the
 * table until the commit. */
static void indexes_kept_for_readers(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	exec_ok(f->s, "CREATE TABLE t(id BIGINT PRIMARY KEY, k TEXT)");
	exec_ok(f->s, "CREATE INDEX t_k ON t(k)");
	struct arena *a = arena_create();
	struct store_indexes *saved = NULL;
	assert_int_equal(store_begin(f->s, &err), 0);
	assert_int_equal(store_indexes_drop(f->s, "t", a, &saved, &err), 0);
	int64_t n = -1;
	assert_int_equal(store_query_int(f->s,
	                                 "SELECT COUNT(*) FROM pg_catalog.pg_indexes WHERE "
	                                 "tablename = 't' AND indexname = 't_k'",
	                                 &n, NULL, &err),
	                 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_indexes_create(f->s, saved, &err), 0);
	assert_int_equal(store_commit(f->s, &err), 0);
	arena_destroy(a);
}

/* Rows arrive one at a time (libpq's single-row mode), yet a read can still
 * nest writes and other reads inside its loop, as on SQLite: the rows not yet
 * read are taken off the connection first, and every one still comes back in
 * order. */
static void rows_stream_and_nest(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	exec_ok(f->s, "CREATE TABLE seen(g BIGINT PRIMARY KEY)");
	struct store_stmt *outer, *ins, *count;
	assert_int_equal(store_prepare(f->s, "SELECT g FROM generate_series(1, 3000) g ORDER BY g",
	                               &outer, &err),
	                 0);
	int64_t rows = 0, sum = 0;
	int rc;
	while ((rc = stmt_step(outer, &err)) == STORE_ROW) {
		int64_t g = stmt_int(outer, 0);
		assert_int_equal(g, rows + 1);
		rows++;
		sum += g;
		if (g % 500)
			continue;
		assert_int_equal(store_prepare(f->s, "INSERT INTO seen VALUES (?)", &ins, &err), 0);
		stmt_bind_int(ins, 1, g);
		assert_int_equal(stmt_step(ins, &err), STORE_DONE);
		stmt_reset(ins);
		assert_int_equal(store_prepare(f->s, "SELECT COUNT(*) FROM seen", &count, &err), 0);
		assert_int_equal(stmt_step(count, &err), STORE_ROW);
		assert_int_equal(stmt_int(count, 0), g / 500);
		stmt_reset(count);
	}
	assert_int_equal(rc, STORE_DONE);
	assert_int_equal(rows, 3000);
	assert_int_equal(sum, 3000 * 3001 / 2);
	stmt_reset(outer);

	/* Left after three rows of many: the connection is free again. */
	assert_int_equal(
	        store_prepare(f->s, "SELECT g FROM generate_series(1, 200000) g", &outer, &err), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(stmt_step(outer, &err), STORE_ROW);
	stmt_reset(outer);
	int64_t n = 0;
	bool found = false;
	assert_int_equal(store_query_int(f->s, "SELECT COUNT(*) FROM seen", &n, &found, &err), 0);
	assert_int_equal(n, 6);

	/* An error after some rows: the rows before it arrive (whole results
	 * gave none), the step that reaches it reports it, and the session goes
	 * on. */
	const char *failing = "SELECT g, 1 / (2000 - g) FROM generate_series(1, 3000) g";
	assert_int_equal(store_prepare(f->s, failing, &outer, &err), 0);
	rows = 0;
	while ((rc = stmt_step(outer, &err)) == STORE_ROW)
		rows++;
	assert_true(rc < 0);
	assert_int_equal(rows, 1999);
	assert_non_null(strstr(err.message, "division by zero"));
	err_clear(&err);
	assert_int_equal(store_query_int(f->s, "SELECT COUNT(*) FROM seen", &n, &found, &err), 0);
	assert_int_equal(n, 6);

	/* The same, with a read nested at its first row: the rest and the
	 * error are held, and still come in order. */
	assert_int_equal(store_prepare(f->s, failing, &outer, &err), 0);
	rows = 0;
	while ((rc = stmt_step(outer, &err)) == STORE_ROW) {
		assert_int_equal(stmt_int(outer, 0), rows + 1); /* in order, none lost */
		if (rows++ == 0) {
			assert_int_equal(store_query_int(f->s, "SELECT COUNT(*) FROM seen", &n,
			                                 &found, &err),
			                 0);
			assert_int_equal(n, 6);
		}
	}
	assert_true(rc < 0);
	assert_int_equal(rows, 1999);
	assert_non_null(strstr(err.message, "division by zero"));
	err_clear(&err);
}

/* A statement left after its first rows, whose error came later, still
 * fails the transaction: its COMMIT reports the error instead of the server's
 * quiet ROLLBACK, and nothing of it is written. */
static void error_after_rows_fails_commit(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	exec_ok(f->s, "CREATE TABLE kept(x BIGINT)");
	assert_int_equal(store_begin(f->s, &err), 0);
	exec_ok(f->s, "INSERT INTO kept VALUES (1)");
	struct store_stmt *st;
	assert_int_equal(
	        store_prepare(f->s, "SELECT 1 / (3 - g) FROM generate_series(1, 5) g", &st, &err),
	        0);
	assert_int_equal(stmt_step(st, &err), STORE_ROW);
	stmt_reset(st);
	assert_true(store_commit(f->s, &err) < 0);
	assert_non_null(strstr(err.message, "division by zero"));
	assert_false(store_in_transaction(f->s));
	err_clear(&err);
	int64_t n = -1;
	bool found = false;
	assert_int_equal(store_query_int(f->s, "SELECT COUNT(*) FROM kept", &n, &found, &err), 0);
	assert_int_equal(n, 0);
}

/* A session stuck in a transaction is ended by the server, so a vanished
 * client cannot hold the write lock for ever (concurrency audit). */
static void stuck_transaction_is_bounded(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	struct store_stmt *st;
	assert_int_equal(store_prepare(f->s, "SHOW idle_in_transaction_session_timeout", &st, &err),
	                 0);
	assert_int_equal(stmt_step(st, &err), STORE_ROW);
	assert_string_equal(stmt_text(st, 0), "10min");
	stmt_reset(st);
}

int main(void)
{
	if (!server_url()) {
		printf("1..0 # SKIP PLUMB_TEST_PG_URL is not set\n");
		return 0;
	}
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(placeholders_skip_literals),
	        T(batch_values_round_trip),
	        T(copy_conflict_then_usable),
	        T(constraint_conflicts_name_nothing_internal),
	        T(audit_log_refuses_change),
	        T(serialization_failure_is_transient),
	        T(failed_begin_leaves_session_usable),
	        T(references_off_skips_only_foreign_keys),
	        T(indexes_kept_for_readers),
	        T(rows_stream_and_nest),
	        T(error_after_rows_fails_commit),
	        T(stuck_transaction_is_bounded),
	        T(lost_session_is_replaced),
	        T(wait_notice_told_then_the_end),
	        T(references_checked_without_the_privilege),
	        T(session_checks_the_client),
	        T(schema_drop_leaves_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
