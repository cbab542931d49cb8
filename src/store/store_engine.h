/*
 * store_engine: the contract an engine implements (private to src/store/).
 * Each engine exports one const struct store_engine; store.c dispatches.
 */
#ifndef PLUMB_STORE_ENGINE_H
#define PLUMB_STORE_ENGINE_H

#include "store/store.h"

/* How a connection waits for the write lock, kept by store.c for as long as
 * the connection is open. */
struct store_wait {
	int limit_ms; /* 0: the engine's default */
	store_wait_fn notice;
	void *notice_data;
	int64_t told_ms; /* the wait under way was last told at so many ms; 0: not yet */
};

/* For an engine while it waits for the write lock, as often as it likes:
 * tells the notice, if any, each time another second has passed.  store.c
 * tells the end of the wait. */
void store_wait_tick(struct store_wait *wait, int64_t waited_ms);

/* The kinds of constraint a write can break, as every engine tells them apart. */
enum store_conflict {
	STORE_CONFLICT_OTHER,     /* a CHECK, a NOT NULL, a trigger's refusal */
	STORE_CONFLICT_UNIQUE,    /* a unique or primary key */
	STORE_CONFLICT_REFERENCE, /* a foreign key */
};

/* Set err (first error wins) to ERR_CONFLICT for a write that broke a constraint of kind:
 * a message a user understands, the same on every engine and naming nothing of the schema;
 * what (the step that failed) and driver (the driver's words) in the detail, kept from
 * clients (err_detail_private).  Returns ERR_CONFLICT.  Thread-safe. */
int store_conflict_error(struct error *err, enum store_conflict kind, const char *what,
                         const char *driver);

/* The audit log's append-only guard (its triggers, store_migrations.c, on every engine)
 * refuses a change with these words alone.  A migration is never edited: they stay. */
#define STORE_APPEND_ONLY_REFUSAL "audit_log is append-only"

/* If driver (the driver's message of a trigger's refusal) is the audit log's append-only
 * guard's, set err (first error wins) to ERR_TAMPERED, the same on every engine: an attempt
 * to change or remove an audit entry, refused and nothing written; what and driver in the
 * detail (err_detail_private); return ERR_TAMPERED.  Otherwise 0, err untouched.
 * Thread-safe. */
int store_append_only_error(struct error *err, const char *what, const char *driver);

struct store_engine {
	const char *name;
	int (*open)(const char *url, enum store_open_mode mode, void **handle, struct error *err);
	void (*close)(void *handle);
	int (*exec)(void *handle, const char *sql, struct error *err);
	int (*prepare)(void *handle, const char *sql, void **stmt, struct error *err);
	void (*finalize)(void *stmt);
	void (*reset)(void *stmt);
	void (*bind_int)(void *stmt, int idx, int64_t v);
	void (*bind_double)(void *stmt, int idx, double v);
	void (*bind_text)(void *stmt, int idx, const char *s);
	void (*bind_null)(void *stmt, int idx);
	int (*step)(void *stmt, struct error *err);
	int64_t (*col_int)(void *stmt, int col);
	double (*col_double)(void *stmt, int col);
	const char *(*col_text)(void *stmt, int col);
	bool (*col_is_null)(void *stmt, int col);
	/* Whether a text column holds a NUL byte before its end, which plumb
	 * never writes; NULL: the engine's text cannot hold one. */
	bool (*col_has_nul)(void *stmt, int col);
	int (*col_count)(void *stmt); /* of the current result */
	const char *(*col_name)(void *stmt, int col);
	enum store_type (*col_type)(void *stmt, int col);
	/* Begin with the write lock taken (SQLite: BEGIN IMMEDIATE). */
	const char *begin_sql;
	/* Begin a read-only snapshot (SQLite in WAL: BEGIN, deferred, with the
	 * connection made query-only, as PostgreSQL's READ ONLY transaction is:
	 * a read operation that wrote by mistake fails on both engines). */
	const char *begin_read_sql;
	/* Run after a read transaction ends, to undo what begin_read_sql set on
	 * the connection (SQLite: query_only off); NULL: nothing to undo. */
	const char *end_read_sql;
	/* Whether the engine itself ended the transaction the store began
	 * (SQLite rolls back on INSERT OR ROLLBACK's conflict, and may on a full
	 * disk or out of memory); NULL: it never does (PostgreSQL refuses every
	 * statement of a failed transaction until its rollback). */
	bool (*tx_ended)(void *handle);
	/* Outside a transaction: open a new session when the last one was lost
	 * (*revived then), so a long-lived connection (a server's worker) does
	 * not fail for ever after the server restarts; NULL: never lost. */
	int (*revive)(void *handle, bool *revived, struct error *err);
	/* The verb of a batch insert whose conflict rolls the whole transaction
	 * back (store_batch_new_ending_tx): no statement journal is kept. */
	const char *insert_ending_tx_sql;
	/* Turn this connection's per-row foreign key checks off and on again
	 * (store_check_references); NULL: the engine always checks. */
	const char *references_off_sql;
	const char *references_on_sql;
	/* One row, one integer: 1 when the table `meta` exists. */
	const char *meta_exists_sql;
	/* One row, one integer: how many tables the database holds. */
	const char *table_count_sql;
	/* One row per index of table ?1 a bulk load may drop and create again
	 * (store_indexes_drop): its name and its CREATE statement; NULL: none. */
	const char *droppable_indexes_sql;
	/* Replace the schema's portable tokens, e.g. {{PK}}. */
	const char *(*token)(const char *name);
	/* Write nrows rows of ncols values into target ("table(col, ...)") in
	 * one bulk load; NULL: batches are multi-row INSERTs. */
	int (*copy_in)(void *handle, const char *target, int ncols,
	               const struct store_value *values, int nrows, struct error *err);
	/* One row, one integer or none: the last id table ?1's generator
	 * gave, also to a row deleted since. */
	const char *last_id_sql;
	/* After a copy wrote a table's rows with their keys: move its id
	 * generator to give next_id or later (the source's next_id_sql). */
	int (*after_copy)(void *handle, const char *table, int64_t next_id, struct error *err);
	/* A consistent copy to a new SQLite file; NULL: store.c copies row by row. */
	int (*backup)(void *handle, const char *path, struct error *err);
	/* Wait for the write lock as wait says (store_set_lock_wait,
	 * store_set_wait_notice), calling store_wait_tick while it waits; wait
	 * stays valid while the connection is open, and the engine may keep it
	 * until then.  Fails only when it changes the limit. */
	int (*lock_wait)(void *handle, struct store_wait *wait, struct error *err);
	/* Run locks (store_run_lock), as SQL with the run id as ?1: take one,
	 * give it back, and count its holders (one row, one integer)... */
	const char *run_lock_sql, *run_unlock_sql, *run_live_sql;
	/* ...or, where those are NULL, by hand: take (take true) or give back
	 * the lock, and whether anyone holds it. */
	int (*run_lock)(void *handle, int64_t id, bool take, struct error *err);
	int (*run_live)(void *handle, int64_t id, bool *live, struct error *err);
	/* Writers waiting (store_yield_to_writers), where the engine's write lock
	 * is not taken in turn (NULL where it is): show that this connection
	 * wants the write lock (want true, before it begins a write transaction)
	 * or no longer does (after it ends), and whether any other connection
	 * wants it now. */
	void (*write_want)(void *handle, bool want);
	bool (*writers_waiting)(void *handle);
};

extern const struct store_engine store_sqlite_engine;
extern const struct store_engine store_pg_engine;

/* Migrations, shared by all engines (store_migrations.c). */
struct store_migration {
	int version;
	const char *name;
	const char *sql;        /* portable, with {{TOKEN}}s; NULL: none */
	const char *sqlite_sql; /* engine-specific extras, may be NULL */
	const char *pg_sql;
	/* SQLite: foreign keys off while it runs, as a table others refer to
	 * is rebuilt (dropping it would otherwise delete under its children);
	 * the references are checked before its commit. */
	bool sqlite_rebuilds;
};
extern const struct store_migration store_migrations[];
extern const int store_migration_count;

/* Every table in the schema, parents first, for copies between engines. */
struct store_table {
	const char *name;
	const char *order_by; /* its key, for a deterministic copy */
	bool has_id;          /* a generated id ({{PK}}) */
	const char *self_ref; /* a column referring to the same table, or NULL */
};
extern const struct store_table store_tables[];
extern const int store_table_count;
/* Every function a migration creates (PostgreSQL's trigger functions),
 * NULL-terminated, for store_schema_drop; a unit test holds the
 * migrations to it. */
extern const char *const store_functions[];

#endif
