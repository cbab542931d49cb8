/*
 * store: engine dispatch, the prepared-statement cache, transactions and
 * migrations.  Engine-neutral: the engines live in store_<engine>.c.
 */
#include "store/store.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/sb.h"
#include "store/store_engine.h"

#define STMT_CACHE_SLOTS 256

struct store_stmt {
	struct store *store;
	void *engine_stmt;
	char *sql;
};

struct store {
	const struct store_engine *engine;
	void *handle;
	char *url;
	bool in_tx;
	struct store_stmt *cache[STMT_CACHE_SLOTS];
};

static uint64_t sql_hash(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return h;
}

int store_open(const char *url, enum store_open_mode mode, struct store **out, struct error *err)
{
	const struct store_engine *engine = &store_sqlite_engine;
	if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
		err_set(err, ERR_INVALID, "the PostgreSQL engine is not built into this plumb");
		err_hint(err, "use a file path for SQLite");
		return ERR_INVALID;
	}
	void *handle = NULL;
	int rc = engine->open(url, mode, &handle, err);
	if (rc < 0)
		return rc;
	struct store *s = xcalloc(1, sizeof *s);
	s->engine = engine;
	s->handle = handle;
	s->url = xstrdup(url);
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		store_rollback(s);
	for (int i = 0; i < STMT_CACHE_SLOTS; i++) {
		struct store_stmt *st = s->cache[i];
		if (st) {
			s->engine->finalize(st->engine_stmt);
			free(st->sql);
			free(st);
		}
	}
	s->engine->close(s->handle);
	free(s->url);
	free(s);
}

const char *store_engine_name(const struct store *s)
{
	return s->engine->name;
}
const char *store_url(const struct store *s)
{
	return s->url;
}
bool store_in_transaction(const struct store *s)
{
	return s->in_tx;
}

int store_exec(struct store *s, const char *sql, struct error *err)
{
	return s->engine->exec(s->handle, sql, err);
}

int store_begin(struct store *s, struct error *err)
{
	if (s->in_tx)
		BUG("nested transaction");
	int rc = s->engine->exec(s->handle, s->engine->begin_sql, err);
	if (rc == 0)
		s->in_tx = true;
	return rc;
}

int store_begin_read(struct store *s, struct error *err)
{
	if (s->in_tx)
		BUG("nested transaction");
	int rc = s->engine->exec(s->handle, s->engine->begin_read_sql, err);
	if (rc == 0)
		s->in_tx = true;
	return rc;
}

int store_commit(struct store *s, struct error *err)
{
	if (!s->in_tx)
		BUG("commit without transaction");
	int rc = s->engine->exec(s->handle, "COMMIT", err);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	s->in_tx = false;
	return 0;
}

void store_rollback(struct store *s)
{
	if (!s->in_tx)
		return;
	struct error ignored = {0};
	for (int i = 0; i < STMT_CACHE_SLOTS; i++)
		if (s->cache[i])
			s->engine->reset(s->cache[i]->engine_stmt);
	s->engine->exec(s->handle, "ROLLBACK", &ignored);
	s->in_tx = false;
}

int store_prepare(struct store *s, const char *sql, struct store_stmt **out, struct error *err)
{
	uint64_t h = sql_hash(sql);
	for (int probe = 0; probe < STMT_CACHE_SLOTS; probe++) {
		size_t slot = (h + (uint64_t)probe) % STMT_CACHE_SLOTS;
		struct store_stmt *st = s->cache[slot];
		if (st && strcmp(st->sql, sql) == 0) {
			s->engine->reset(st->engine_stmt);
			*out = st;
			return 0;
		}
		if (!st) {
			void *engine_stmt = NULL;
			int rc = s->engine->prepare(s->handle, sql, &engine_stmt, err);
			if (rc < 0)
				return rc;
			st = xcalloc(1, sizeof *st);
			st->store = s;
			st->engine_stmt = engine_stmt;
			st->sql = xstrdup(sql);
			s->cache[slot] = st;
			*out = st;
			return 0;
		}
	}
	BUG("statement cache full (%d distinct statements)", STMT_CACHE_SLOTS);
}

void stmt_bind_int(struct store_stmt *st, int idx, int64_t v)
{
	st->store->engine->bind_int(st->engine_stmt, idx, v);
}

void stmt_bind_double(struct store_stmt *st, int idx, double v)
{
	st->store->engine->bind_double(st->engine_stmt, idx, v);
}

void stmt_bind_text(struct store_stmt *st, int idx, const char *s)
{
	if (s)
		st->store->engine->bind_text(st->engine_stmt, idx, s);
	else
		st->store->engine->bind_null(st->engine_stmt, idx);
}

void stmt_bind_null(struct store_stmt *st, int idx)
{
	st->store->engine->bind_null(st->engine_stmt, idx);
}

void stmt_bind_opt_int(struct store_stmt *st, int idx, int64_t v, bool has_value)
{
	if (has_value)
		stmt_bind_int(st, idx, v);
	else
		stmt_bind_null(st, idx);
}

int stmt_step(struct store_stmt *st, struct error *err)
{
	return st->store->engine->step(st->engine_stmt, err);
}

void stmt_reset(struct store_stmt *st)
{
	st->store->engine->reset(st->engine_stmt);
}
int64_t stmt_int(struct store_stmt *st, int col)
{
	return st->store->engine->col_int(st->engine_stmt, col);
}
double stmt_double(struct store_stmt *st, int col)
{
	return st->store->engine->col_double(st->engine_stmt, col);
}
const char *stmt_text(struct store_stmt *st, int col)
{
	return st->store->engine->col_text(st->engine_stmt, col);
}
bool stmt_is_null(struct store_stmt *st, int col)
{
	return st->store->engine->col_is_null(st->engine_stmt, col);
}

int store_query_int(struct store *s, const char *sql, int64_t *out, bool *found, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(s, sql, &st, err);
	if (rc < 0)
		return rc;
	rc = stmt_step(st, err);
	if (rc < 0)
		return rc;
	bool have = rc == STORE_ROW && !stmt_is_null(st, 0);
	if (have)
		*out = stmt_int(st, 0);
	if (found)
		*found = have;
	stmt_reset(st);
	return 0;
}

struct batch_value {
	bool is_text, is_null;
	int64_t num;
	const char *text;
};

struct store_batch {
	struct store *store;
	char *one_row_sql, *full_sql;
	int ncols, rows;
	int nvalues;
	struct batch_value values[];
};

static char *insert_sql(const char *target, int ncols, int rows)
{
	struct sb sql = SB_INIT;
	sb_printf(&sql, "INSERT INTO %s VALUES ", target);
	for (int r = 0; r < rows; r++) {
		sb_puts(&sql, r ? ",(" : "(");
		for (int c = 0; c < ncols; c++)
			sb_puts(&sql, c ? ",?" : "?");
		sb_putc(&sql, ')');
	}
	return sb_detach(&sql, NULL);
}

struct store_batch *store_batch_new(struct store *s, const char *target, int ncols)
{
	struct store_batch *b = xcalloc(1, sizeof *b + (size_t)ncols * STORE_BATCH_ROWS *
	                                                       sizeof(struct batch_value));
	b->store = s;
	b->ncols = ncols;
	b->one_row_sql = insert_sql(target, ncols, 1);
	b->full_sql = insert_sql(target, ncols, STORE_BATCH_ROWS);
	return b;
}

static void batch_push(struct store_batch *b, struct batch_value v)
{
	if (b->nvalues >= (b->rows + 1) * b->ncols)
		BUG("batch row has more than %d values", b->ncols);
	b->values[b->nvalues++] = v;
}

void store_batch_int(struct store_batch *b, int64_t v)
{
	batch_push(b, (struct batch_value){.num = v});
}

void store_batch_text(struct store_batch *b, const char *v)
{
	batch_push(b, (struct batch_value){.is_text = true, .is_null = v == NULL, .text = v});
}

void store_batch_opt_int(struct store_batch *b, int64_t v, bool has_value)
{
	batch_push(b, (struct batch_value){.is_null = !has_value, .num = v});
}

/* Write rows [first, first + n) with the statement for n rows. */
static int batch_write(struct store_batch *b, const char *sql, int first, int n, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(b->store, sql, &st, err);
	if (rc < 0)
		return rc;
	const struct batch_value *v = &b->values[first * b->ncols];
	for (int i = 0; i < n * b->ncols; i++) {
		if (v[i].is_null)
			stmt_bind_null(st, i + 1);
		else if (v[i].is_text)
			stmt_bind_text(st, i + 1, v[i].text);
		else
			stmt_bind_int(st, i + 1, v[i].num);
	}
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int store_batch_row_end(struct store_batch *b, struct error *err)
{
	if (b->nvalues != (b->rows + 1) * b->ncols)
		BUG("batch row has %d values, expected %d", b->nvalues - b->rows * b->ncols,
		    b->ncols);
	if (++b->rows < STORE_BATCH_ROWS)
		return 0;
	int rc = batch_write(b, b->full_sql, 0, STORE_BATCH_ROWS, err);
	b->rows = b->nvalues = 0;
	return rc;
}

int store_batch_finish(struct store_batch *b, struct error *err)
{
	/* The remainder goes one row at a time, so the statement cache holds two
	 * statements per table, not one per remainder size. */
	int rc = 0;
	for (int r = 0; rc == 0 && r < b->rows; r++)
		rc = batch_write(b, b->one_row_sql, r, 1, err);
	free(b->one_row_sql);
	free(b->full_sql);
	free(b);
	return rc;
}

/* Expand {{TOKEN}}s in a portable migration script. */
static char *expand_tokens(const struct store_engine *engine, const char *sql)
{
	struct sb out = SB_INIT;
	const char *p = sql;
	for (;;) {
		const char *open = strstr(p, "{{");
		if (!open) {
			sb_puts(&out, p);
			break;
		}
		const char *close = strstr(open, "}}");
		char name[64];
		if (!close)
			BUG("unterminated token in migration near '%.20s'", open);
		if (close - open - 2 >= (ptrdiff_t)sizeof name)
			BUG("token too long in migration near '%.20s'", open);
		sb_add(&out, p, (size_t)(open - p));
		snprintf(name, sizeof name, "%.*s", (int)(close - open - 2), open + 2);
		const char *value = engine->token(name);
		if (!value)
			BUG("unknown migration token {{%s}}", name);
		sb_puts(&out, value);
		p = close + 2;
	}
	return sb_detach(&out, NULL);
}

int store_is_empty(struct store *s, bool *empty, struct error *err)
{
	int64_t tables = 0;
	int rc = store_query_int(s, s->engine->table_count_sql, &tables, NULL, err);
	*empty = tables == 0;
	return rc;
}

int store_latest_schema_version(void)
{
	return store_migrations[store_migration_count - 1].version;
}

int store_schema_version(struct store *s, int *version, struct error *err)
{
	int64_t v = 0;
	bool found = false;
	/* A database without meta is a fresh file (version 0). */
	int rc = store_query_int(s, s->engine->meta_exists_sql, &v, &found, err);
	if (rc < 0)
		return rc;
	if (v == 0) {
		*version = 0;
		return 0;
	}
	rc = store_query_int(s,
	                     "SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'schema_version'",
	                     &v, &found, err);
	if (rc < 0)
		return rc;
	*version = found ? (int)v : 0;
	return 0;
}

static int newer_database(int have, struct error *err)
{
	err_set(err, ERR_CONFLICT, "database schema version %d is newer than this plumb's (%d)",
	        have, store_latest_schema_version());
	err_detail(err,
	           "the database was written by a newer plumb; this binary cannot read it safely");
	err_hint(err, "upgrade plumb to a release that knows schema version %d", have);
	return ERR_CONFLICT;
}

int store_migrate(struct store *s, struct error *err)
{
	int have;
	int rc = store_schema_version(s, &have, err);
	if (rc < 0)
		return rc;
	if (have > store_latest_schema_version())
		return newer_database(have, err);
	for (int i = 0; i < store_migration_count; i++) {
		const struct store_migration *m = &store_migrations[i];
		if (m->version <= have)
			continue;
		if ((rc = store_begin(s, err)) < 0)
			return rc;
		/* Re-read under the write lock: another process may have migrated. */
		int now;
		if ((rc = store_schema_version(s, &now, err)) < 0)
			goto fail;
		if (now > store_latest_schema_version()) {
			rc = newer_database(now, err);
			goto fail;
		}
		if (now >= m->version) {
			store_rollback(s);
			have = now;
			continue;
		}
		char *sql = expand_tokens(s->engine, m->sql);
		rc = store_exec(s, sql, err);
		free(sql);
		const char *extra =
		        strcmp(s->engine->name, "sqlite") == 0 ? m->sqlite_sql : m->pg_sql;
		if (rc == 0 && extra)
			rc = store_exec(s, extra, err);
		if (rc < 0) {
			err_detail(err, "while applying migration %d (%s)", m->version, m->name);
			goto fail;
		}
		struct store_stmt *st;
		rc = store_prepare(s,
		                   "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
		                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		                   &st, err);
		if (rc < 0)
			goto fail;
		char vbuf[16];
		snprintf(vbuf, sizeof vbuf, "%d", m->version);
		stmt_bind_text(st, 1, vbuf);
		rc = stmt_step(st, err);
		stmt_reset(st);
		if (rc < 0)
			goto fail;
		if ((rc = store_commit(s, err)) < 0)
			return rc;
		have = m->version;
	}
	return 0;
fail:
	store_rollback(s);
	return rc;
}

int store_backup(struct store *s, const char *path, struct error *err)
{
	return s->engine->backup(s->handle, path, err);
}
