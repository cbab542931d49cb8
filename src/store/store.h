/*
 * store: plumb's one storage interface.  Engines (SQLite now, PostgreSQL
 * later) sit behind struct store_engine; nothing outside src/store/ includes
 * an engine's header or writes engine-specific SQL.
 *
 * SQL given to store_prepare uses '?' or '?NNN' placeholders (not mixed in
 * one statement; every parameter used and bound, since PostgreSQL must infer
 * each one's type) and portable SQL (no INSERT OR REPLACE, no engine
 * functions); times are int64 UTC milliseconds.
 * Prepared statements are cached per store by SQL text: a statement from
 * store_prepare is reset with its bindings cleared, and stays owned by the
 * store (never finalize it).  Do not hold the same SQL twice at once.
 * Text returned by stmt_text borrows the engine's row buffer: copy it before
 * the next step or reset.  A store is used by one thread at a time.
 */
#ifndef PLUMB_STORE_H
#define PLUMB_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

struct store;
struct store_stmt;

enum { STORE_DONE = 0, STORE_ROW = 1 };

/* A value's type as the engine returns it. */
enum store_type { STORE_NULL, STORE_INT, STORE_FLOAT, STORE_TEXT };

struct store_value {
	enum store_type type;
	int64_t num;
	double real;
	const char *text;
};

enum store_open_mode {
	STORE_OPEN_EXISTING, /* the database must exist */
	STORE_OPEN_CREATE,   /* create it when absent */
};

/* Open url: postgres://USER@HOST:PORT/DB (or postgresql://) selects
 * PostgreSQL, anything else is a SQLite file path ("", ":memory:" and
 * "file:" URIs are ERR_USAGE: they keep nothing).  Does not migrate. */
bool store_url_is_postgres(const char *url);
int store_open(const char *url, enum store_open_mode mode, struct store **out, struct error *err);
void store_close(struct store *s);
const char *store_engine_name(const struct store *s);
/* The engine's text for a migration token (store_migrations.c), for SQL
 * built at run time: "BYTES" follows a text expression so it compares and
 * changes case byte by byte, as a {{TEXT}} column does (a parameter on
 * PostgreSQL otherwise takes the database's locale).  A static string;
 * an unknown name is a bug. */
const char *store_token(const struct store *s, const char *name);
const char *store_url(const struct store *s);

/* Transactions: one at a time.  store_begin takes the write lock at once;
 * store_begin_read gives a consistent snapshot for reads. */
int store_begin(struct store *s, struct error *err);
int store_begin_read(struct store *s, struct error *err);
int store_commit(struct store *s, struct error *err);
void store_rollback(struct store *s);
bool store_in_transaction(const struct store *s);
/* Whether the next transactions on this connection check foreign keys row by row. For
 * a writer whose every id refers to a row it has read or written (ingest's publish),
 * where each check repeats a lookup. Outside a transaction only (BUG otherwise); the
 * caller turns them on again, and if that fails the connection refuses every later
 * transaction. SQLite turns them off; PostgreSQL keeps checking (its checks are triggers,
 * which only a superuser may skip). Tests check the result with PRAGMA
 * foreign_key_check. Returns 0 or a negative ERR_* code. */
int store_check_references(struct store *s, bool on, struct error *err);

/* How long a write transaction on this connection waits for the write lock
 * another holds before failing ERR_BUSY: ms, or the engine's default (SQLite's
 * 10 s busy timeout, PostgreSQL's 60 s lock_timeout) for ms <= 0.  For a
 * caller with somewhere better to go than a long wait (the server queues a
 * webhook delivery).  Outside a transaction (BUG otherwise).  Returns 0 or a
 * negative ERR_* code. */
int store_set_lock_wait(struct store *s, int ms, struct error *err);
/* The wait store_set_lock_wait last set (0: the engine's default), for a
 * caller that changes it for a while and then puts it back. */
int store_lock_wait(const struct store *s);
/* Told of a long wait for the write lock: waited_ms so far, about once a
 * second from the first second on, then -1 once when the wait ends, whether
 * the lock was had or the wait gave up. */
typedef void (*store_wait_fn)(void *data, int64_t waited_ms);
/* Have fn told (with data) while this connection waits for the write lock
 * another holds (NULL: nobody).  The store prints nothing: the face shows
 * the wait as it sees fit (the CLI: a line on a terminal).  fn runs on the
 * thread using the connection, inside the store call that waits.  Outside a
 * transaction (BUG otherwise).  Never fails. */
void store_set_wait_notice(struct store *s, store_wait_fn fn, void *data);

/* Run locks: a unit of work that spans many transactions (an ingest run,
 * named by its id) shows it is still going.  store_run_lock takes the lock
 * for id on this connection; store_run_unlock gives it back, and it also
 * goes when the connection closes or its process ends, however that ends
 * (SQLite: an open file description lock on a byte of the database file;
 * PostgreSQL: a session advisory lock).  store_run_live tells whether a
 * connection, this one or another, in this process or another, holds the
 * lock for id.  Inside or outside a transaction; a lock taken in one that
 * rolls back stays taken.  Return 0 or a negative ERR_* code. */
int store_run_lock(struct store *s, int64_t id, struct error *err);
/* How many times the connection was opened anew after the server ended it
 * (PostgreSQL): what a session held, such as a run lock, went with it. */
unsigned store_session(const struct store *s);
void store_run_unlock(struct store *s, int64_t id);
int store_run_live(struct store *s, int64_t id, bool *live, struct error *err);

/* Give way to other writers: a unit of work that writes in many transactions
 * one after another (an ingest staging its pages, then publishing) calls it
 * between them, and it waits while another connection, in this process or
 * another, wants the write lock, up to STORE_YIELD_MAX_MS, so that one has
 * it before this one begins again.  On SQLite, whose busy handler is not
 * fair, a writer would otherwise wait through every transaction of the run
 * and fail busy after its timeout; PostgreSQL grants its lock in turn, and
 * this returns at once.  Outside a transaction (BUG otherwise).  Never
 * fails: should the engine not tell, it does not wait. */
#define STORE_YIELD_MAX_MS 2000
/* After a yield that waited all of STORE_YIELD_MAX_MS in vain (a writer
 * that does not take its turn), none for so long. */
#define STORE_YIELD_REST_MS 60000
void store_yield_to_writers(struct store *s);

/* Bulk loads.  A transaction about to add more rows to a table than it
 * holds builds each secondary index once afterwards, from sorted keys,
 * instead of entry by entry: store_indexes_drop drops the table's indexes
 * other than its keys and unique constraints, keeping their definitions in
 * *saved (from a); store_indexes_create creates them again, by the same
 * names.  Inside a write transaction only (BUG otherwise), so a failure
 * between the two rolls the drop back with the rest.  An engine where a
 * dropped index would hold readers back until the commit drops none and
 * saves an empty list (PostgreSQL: DROP INDEX locks the table against
 * reads).  Return 0 or a negative ERR_* code. */
struct arena;
struct store_indexes;
int store_indexes_drop(struct store *s, const char *table, struct arena *a,
                       struct store_indexes **saved, struct error *err);
int store_indexes_create(struct store *s, const struct store_indexes *saved, struct error *err);

/* Run SQL without results (may hold several statements). */
int store_exec(struct store *s, const char *sql, struct error *err);
int store_prepare(struct store *s, const char *sql, struct store_stmt **out, struct error *err);

/* Bind parameters, 1-based.  Text is borrowed, not copied: it must stay
 * valid until the statement is stepped to completion or reset. */
void stmt_bind_int(struct store_stmt *st, int idx, int64_t v);
void stmt_bind_double(struct store_stmt *st, int idx, double v);
void stmt_bind_text(struct store_stmt *st, int idx, const char *s); /* NULL binds null */
void stmt_bind_null(struct store_stmt *st, int idx);
/* Bind v, or null when has_value is false. */
void stmt_bind_opt_int(struct store_stmt *st, int idx, int64_t v, bool has_value);

/* STORE_ROW, STORE_DONE, or a negative error (ERR_CONFLICT for constraint violations). */
int stmt_step(struct store_stmt *st, struct error *err);
void stmt_reset(struct store_stmt *st);
int64_t stmt_int(struct store_stmt *st, int col);
double stmt_double(struct store_stmt *st, int col);
const char *stmt_text(struct store_stmt *st, int col); /* NULL for null */
bool stmt_is_null(struct store_stmt *st, int col);
/* True when a text column holds a NUL byte before its end: stmt_text shows
 * only the part before it, so the value was written outside plumb. */
bool stmt_text_has_nul(struct store_stmt *st, int col);
/* A copy of a text column in a (NULL for null), to keep past the row. */
struct arena;
const char *stmt_text_dup(struct store_stmt *st, int col, struct arena *a);

/* Run a statement without results binding ?1 to a and ?2 to b. */
int store_exec_ints(struct store *s, const char *sql, int64_t a, int64_t b, struct error *err);

/* Run a statement expected to return one int (or none: *found = false). */
int store_query_int(struct store *s, const char *sql, int64_t *out, bool *found, struct error *err);

/* Batched inserts: rows are collected and written together, which costs a
 * fraction of one statement per row: multi-row INSERTs of STORE_BATCH_ROWS
 * rows on SQLite, COPY of up to STORE_COPY_ROWS rows on PostgreSQL.
 * `target` is "table(col, col, ...)" with ncols columns.  Text values are
 * copied.  Rows are written when the batch is full or at
 * store_batch_finish, so a constraint error may surface at a later row;
 * store_batch_finish writes what is left and frees the batch, also on error. */
#define STORE_BATCH_ROWS 64
#define STORE_COPY_ROWS  1024
struct store_batch;
struct store_batch *store_batch_new(struct store *s, const char *target, int ncols);
/* The same, but a conflict in its rows rolls the whole transaction back, not
 * only the statement, so the engine keeps no statement journal (on SQLite,
 * 1.9 GB of temporary writes staging a million events); the store then
 * refuses every statement until the rollback. */
struct store_batch *store_batch_new_ending_tx(struct store *s, const char *target, int ncols);
void store_batch_int(struct store_batch *b, int64_t v);
void store_batch_double(struct store_batch *b, double v);
void store_batch_text(struct store_batch *b, const char *v); /* NULL stores null */
void store_batch_opt_int(struct store_batch *b, int64_t v, bool has_value);
int store_batch_row_end(struct store_batch *b, struct error *err);
int store_batch_finish(struct store_batch *b, struct error *err);
/* Free a batch without writing what is left (its transaction rolls back). */
void store_batch_abandon(struct store_batch *b);

/* Schema: bring the database to the binary's version (each migration in a
 * transaction, under the write lock, so concurrent openers never both run
 * one); refuse a database from a newer plumb with ERR_CONFLICT. */
int store_migrate(struct store *s, struct error *err);
/* The same, calling hook inside each migration's transaction, before its
 * commit (from is the version before it; 0 throughout when the database
 * was new); an error
 * from the hook rolls that migration back.  For the audit entry. */
typedef int (*store_migrate_hook)(void *data, int from, int to, const char *name,
                                  struct error *err);
int store_migrate_hooked(struct store *s, store_migrate_hook hook, void *data, struct error *err);
int store_schema_version(struct store *s, int *version, struct error *err);
/* Whether the database holds no tables at all (a new file). */
int store_is_empty(struct store *s, bool *empty, struct error *err);
/* Drop every table and function of plumb's schema, in one transaction,
 * leaving the database with no tables (ERR_FAILED when any is left): for a
 * database whose schema this process made for work that then failed (a
 * copy), never for another's.  ERR_CONFLICT, nothing dropped, when the
 * audit log holds more than own entries (those this process wrote there:
 * the failure of a command under --as): another process has written there
 * since. */
int store_schema_drop(struct store *s, int64_t own, struct error *err);
int store_latest_schema_version(void);

/* Remove a SQLite database file and its -wal and -shm companions (a copy
 * or backup that failed); nothing for a PostgreSQL URL.  Only for a file
 * this process made (store_file_create, store_file_stage): another
 * process may be writing one it did not. */
void store_remove_file(const char *path);

/* ERR_USAGE for a SQLite name that keeps nothing: "", ":memory:" and
 * "file:" URIs (a temporary or in-memory database). */
int store_file_name_check(const char *path, struct error *err);
/* Make path, a new empty file, exclusively (O_EXCL): ERR_CONFLICT ("PATH
 * already exists") when it exists, so the file a caller then fills, and
 * may remove, is its own.  Thread-safe. */
int store_file_create(const char *path, struct error *err);
/* A new empty SQLite file beside path (PATH.copy-PID-N, made exclusively)
 * to write a whole copy into before store_file_place puts it at path, so
 * that path never holds half a copy and no other process writes into the
 * staged file.  *staged is malloc'd: the caller frees it. */
int store_file_stage(const char *path, char **staged, struct error *err);
/* Put the staged copy, closed, at path, which must not exist (a hard link,
 * then the staged name goes): ERR_CONFLICT when another process made path
 * meanwhile; the staged file then stays, for the caller to remove. */
int store_file_place(const char *staged, const char *path, struct error *err);

/* Write a consistent copy of the live database to path (must not exist), a
 * SQLite file.  For PostgreSQL the copy is of the caller's read snapshot. */
int store_backup(struct store *s, const char *path, struct error *err);

/* Copy every row of src (inside a read snapshot) into dst (inside a write
 * transaction, at the same schema version), replacing what dst holds.  Each
 * table's count is checked on both sides; rows[i] gets the rows copied into
 * table i (store_table_name), so rows holds store_table_total() entries. */
typedef void (*store_progress_fn)(void *data, const char *phase, int64_t done, int64_t total);
int store_copy(struct store *src, struct store *dst, int64_t *rows, store_progress_fn progress,
               void *data, struct error *err);
int store_table_total(void);
/* The most tables a schema may have: copies keep one count per table on the stack. */
#define STORE_TABLES_MAX 128
const char *store_table_name(int i);

#endif
