/*
 * store: engine dispatch, the prepared-statement cache, transactions and
 * migrations.  Engine-neutral: the engines live in store_<engine>.c.
 */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "store/store_engine.h"

/* The statement cache starts with this many slots and doubles when half full: every
 * statement plumb prepares is one of a bounded set (its prepare sites and their variants),
 * but a long-running server reaches more of them than any fixed size is sure to hold. */
#define STMT_CACHE_FIRST 256

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
	/* This connection shows other writers it wants the write lock
	 * (engine->write_want): from before its write transaction begins until
	 * it ends. */
	bool wants_write;
	/* A yield that waited STORE_YIELD_MAX_MS in vain: no other until then
	 * (monotonic ms). */
	int64_t yield_rest_until;
	/* As store_set_lock_wait and store_set_wait_notice last set it; the
	 * engine may point to it (engine->lock_wait). */
	struct store_wait wait;
	/* The engine ended the transaction the store began (engine->tx_ended)
	 * after a statement failed: every statement is refused until its
	 * rollback, or it would write outside the transaction, in autocommit. */
	bool tx_lost;
	unsigned sessions; /* store_session */
	/* Foreign key checks were turned off and could not be turned on again:
	 * no transaction may begin until the connection is opened again. */
	bool checks_stuck_off;
	bool read_tx; /* the transaction began with begin_read_sql */
	/* end_read_sql failed: the connection may still refuse writes, so no
	 * transaction begins until it is opened again. */
	bool read_stuck;
	struct store_stmt **cache; /* open addressing by sql_hash; cache_slots a power of 2 */
	size_t cache_slots, cache_used;
};

/* After a store call that may have waited for the write lock: a wait that
 * was told ends, had or not. */
static void wait_end(struct store *s)
{
	if (s->wait.told_ms > 0) {
		s->wait.told_ms = 0;
		s->wait.notice(s->wait.notice_data, -1);
	}
}

/* After a statement that failed (rc < 0) inside a transaction: whether the
 * engine ended that transaction. */
static int statement_done(struct store *s, int rc)
{
	wait_end(s);
	if (rc < 0 && s->in_tx && s->engine->tx_ended && s->engine->tx_ended(s->handle))
		s->tx_lost = true;
	return rc;
}

static int refuse_lost_tx(struct error *err)
{
	err_set(err, ERR_STORE, "the database rolled this transaction back after an earlier error");
	err_hint(err, "nothing of it was written; this is a bug in plumb, please report it");
	return ERR_STORE;
}

/* Outside a transaction, a lost session is replaced (engine->revive); the
 * new one checks references whatever the lost one was left with. */
static int revive(struct store *s, struct error *err)
{
	bool revived = false;
	if (s->in_tx || !s->engine->revive)
		return 0;
	int rc = s->engine->revive(s->handle, &revived, err);
	if (revived) {
		s->checks_stuck_off = false;
		s->sessions++;
	}
	return rc;
}

unsigned store_session(const struct store *s)
{
	return s->sessions;
}

static uint64_t sql_hash(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return h;
}

int store_open(const char *url, enum store_open_mode mode, struct store **out, struct error *err)
{
	const struct store_engine *engine =
	        store_url_is_postgres(url) ? &store_pg_engine : &store_sqlite_engine;
	void *handle = NULL;
	int rc = engine->open(url, mode, &handle, err);
	if (rc < 0)
		return rc;
	struct store *s = xcalloc(1, sizeof *s);
	s->cache_slots = STMT_CACHE_FIRST;
	s->cache = xcalloc(s->cache_slots, sizeof *s->cache);
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
	for (size_t i = 0; i < s->cache_slots; i++) {
		struct store_stmt *st = s->cache[i];
		if (st) {
			s->engine->finalize(st->engine_stmt);
			free(st->sql);
			free(st);
		}
	}
	free(s->cache);
	s->engine->close(s->handle);
	free(s->url);
	free(s);
}

bool store_url_is_postgres(const char *url)
{
	return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

const char *store_engine_name(const struct store *s)
{
	return s->engine->name;
}
const char *store_token(const struct store *s, const char *name)
{
	const char *value = s->engine->token(name);
	if (!value)
		BUG("unknown store token %s", name);
	return value;
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
	if (s->tx_lost)
		return refuse_lost_tx(err);
	int rc = revive(s, err);
	if (rc < 0)
		return rc;
	return statement_done(s, s->engine->exec(s->handle, sql, err));
}

struct store_indexes {
	size_t n;
	const char **names, **sql;
};

int store_indexes_drop(struct store *s, const char *table, struct arena *a,
                       struct store_indexes **saved, struct error *err)
{
	if (!s->in_tx)
		BUG("indexes dropped outside a transaction");
	struct store_indexes *x = arena_alloc(a, sizeof *x);
	*saved = x;
	if (!s->engine->droppable_indexes_sql)
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(s, s->engine->droppable_indexes_sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, table);
	size_t a1 = 0, a2 = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		x->names = arena_grow(a, x->names, x->n, &a1, sizeof *x->names);
		x->sql = arena_grow(a, x->sql, x->n, &a2, sizeof *x->sql);
		x->names[x->n] = stmt_text_dup(st, 0, a);
		x->sql[x->n++] = stmt_text_dup(st, 1, a);
	}
	stmt_reset(st);
	struct sb drop = SB_INIT;
	for (size_t i = 0; i < x->n && rc >= 0; i++) {
		sb_reset(&drop);
		sb_puts(&drop, "DROP INDEX \"");
		/* A name's own quotes doubled, as the SQL standard quotes them. */
		for (const char *c = x->names[i]; *c; c++) {
			if (*c == '"')
				sb_putc(&drop, '"');
			sb_putc(&drop, *c);
		}
		sb_putc(&drop, '"');
		rc = store_exec(s, drop.buf, err);
	}
	sb_release(&drop);
	return rc < 0 ? rc : 0;
}

int store_indexes_create(struct store *s, const struct store_indexes *saved, struct error *err)
{
	if (!s->in_tx)
		BUG("indexes created outside a transaction");
	int rc = 0;
	for (size_t i = 0; i < saved->n && rc >= 0; i++)
		rc = store_exec(s, saved->sql[i], err);
	return rc < 0 ? rc : 0;
}

static void unwant_write(struct store *s)
{
	if (s->wants_write)
		s->engine->write_want(s->handle, false);
	s->wants_write = false;
}

/* A begin can fail after its BEGIN ran (PostgreSQL's write lock times
 * out): roll back, or the session stays in an aborted transaction. */
static int begin(struct store *s, const char *sql, struct error *err)
{
	if (s->in_tx)
		BUG("nested transaction");
	int rc = revive(s, err);
	if (rc < 0)
		return rc;
	if (s->checks_stuck_off) {
		err_set(err, ERR_STORE,
		        "this database connection could not turn its foreign key "
		        "checks back on");
		err_hint(err, "open the database again");
		return ERR_STORE;
	}
	if (s->read_stuck) {
		err_set(err, ERR_STORE,
		        "this database connection could not leave its last read-only "
		        "transaction's mode");
		err_hint(err, "open the database again");
		return ERR_STORE;
	}
	if (sql == s->engine->begin_sql && s->engine->write_want) {
		s->engine->write_want(s->handle, true);
		s->wants_write = true;
	}
	rc = s->engine->exec(s->handle, sql, err);
	wait_end(s);
	/* A session found lost by the BEGIN itself: nothing was done yet, so
	 * begin once more in a new one. */
	unsigned session = s->sessions;
	if (rc < 0 && revive(s, err) == 0 && s->sessions != session) {
		err_clear(err);
		rc = s->engine->exec(s->handle, sql, err);
		wait_end(s);
	}
	if (rc == 0) {
		s->in_tx = true;
	} else {
		struct error ignored = {0};
		s->engine->exec(s->handle, "ROLLBACK", &ignored);
		unwant_write(s);
	}
	return rc;
}

int store_check_references(struct store *s, bool on, struct error *err)
{
	if (s->in_tx)
		BUG("foreign key checks changed inside a transaction");
	const char *sql = on ? s->engine->references_on_sql : s->engine->references_off_sql;
	int rc = sql ? s->engine->exec(s->handle, sql, err) : 0;
	if (on)
		s->checks_stuck_off = rc < 0;
	return rc;
}

int store_set_lock_wait(struct store *s, int ms, struct error *err)
{
	if (s->in_tx)
		BUG("changing the lock wait inside a transaction");
	ms = ms > 0 ? ms : 0;
	if (ms == s->wait.limit_ms)
		return 0; /* a round trip on PostgreSQL, spared */
	int was = s->wait.limit_ms;
	s->wait.limit_ms = ms;
	int rc = s->engine->lock_wait(s->handle, &s->wait, err);
	if (rc < 0)
		s->wait.limit_ms = was;
	return rc;
}

int store_lock_wait(const struct store *s)
{
	return s->wait.limit_ms;
}

void store_set_wait_notice(struct store *s, store_wait_fn fn, void *data)
{
	if (s->in_tx)
		BUG("changing the wait notice inside a transaction");
	s->wait.notice = fn;
	s->wait.notice_data = data;
	struct error ignored = {0};
	(void)s->engine->lock_wait(s->handle, &s->wait, &ignored); /* the same limit: no SQL */
}

void store_wait_tick(struct store_wait *wait, int64_t waited_ms)
{
	if (wait->notice && waited_ms >= wait->told_ms + 1000) {
		wait->told_ms = waited_ms - waited_ms % 1000;
		wait->notice(wait->notice_data, waited_ms);
	}
}

int store_conflict_error(struct error *err, enum store_conflict kind, const char *what,
                         const char *driver)
{
	/* A service checks what it writes first; a write that still breaks a
	 * constraint raced another one past that check.  The driver's words
	 * name tables and columns: the detail's, which no client is shown. */
	err_set(err, ERR_CONFLICT, "the change conflicts with a stored record%s",
	        kind == STORE_CONFLICT_UNIQUE ? ": one with the same key exists"
	        : kind == STORE_CONFLICT_REFERENCE
	                ? ": a record it refers to is gone, or another refers to it"
	                : "");
	err_detail_private(err, "%s: %s", what, driver);
	err_hint(err, "another change may have come at the same moment; look again and retry");
	return ERR_CONFLICT;
}

int store_append_only_error(struct error *err, const char *what, const char *driver)
{
	if (!driver || strcmp(driver, STORE_APPEND_ONLY_REFUSAL) != 0)
		return 0;
	/* SQLite's RAISE(ABORT) was a constraint (a 409, exit 5), PostgreSQL's RAISE EXCEPTION
	 * a database error (a 500, exit 1): one attempt, told two ways. */
	err_set(err, ERR_TAMPERED,
	        "the audit log is append-only: its entries cannot be changed or removed");
	err_detail_private(err, "%s: %s", what, driver);
	err_hint(err, "nothing was changed; 'plumb audit verify' checks the log");
	return ERR_TAMPERED;
}

int store_begin(struct store *s, struct error *err)
{
	return begin(s, s->engine->begin_sql, err);
}

int store_begin_read(struct store *s, struct error *err)
{
	int rc = begin(s, s->engine->begin_read_sql, err);
	s->read_tx = rc == 0;
	return rc;
}

/* After a transaction ends: a read's connection setting undone.  Should that
 * fail, the connection may stay query-only: no transaction begins on it
 * again (begin says so) rather than writes failing later for no clear
 * reason (found in review). */
static void end_read(struct store *s)
{
	if (!s->read_tx)
		return;
	s->read_tx = false;
	if (s->engine->end_read_sql) {
		struct error ignored = {0};
		s->read_stuck = s->engine->exec(s->handle, s->engine->end_read_sql, &ignored) < 0;
	}
}

int store_commit(struct store *s, struct error *err)
{
	if (!s->in_tx)
		BUG("commit without transaction");
	int rc = s->tx_lost ? refuse_lost_tx(err) : s->engine->exec(s->handle, "COMMIT", err);
	wait_end(s);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	s->in_tx = false;
	unwant_write(s);
	end_read(s);
	return 0;
}

void store_rollback(struct store *s)
{
	if (!s->in_tx)
		return;
	struct error ignored = {0};
	for (size_t i = 0; i < s->cache_slots; i++)
		if (s->cache[i])
			s->engine->reset(s->cache[i]->engine_stmt);
	s->engine->exec(s->handle, "ROLLBACK", &ignored);
	s->in_tx = false;
	s->tx_lost = false;
	unwant_write(s);
	end_read(s);
}

/* The slot of sql in the cache: its statement's, or the empty one where it would go. */
static size_t cache_slot(const struct store *s, const char *sql)
{
	size_t slot = (size_t)sql_hash(sql) & (s->cache_slots - 1);
	while (s->cache[slot] && strcmp(s->cache[slot]->sql, sql) != 0)
		slot = (slot + 1) & (s->cache_slots - 1);
	return slot;
}

/* Twice the slots, every statement moved; the statements themselves stay where they are,
 * so a caller's pointer to one stays good. */
static void cache_grow(struct store *s)
{
	struct store_stmt **old = s->cache;
	size_t nold = s->cache_slots;
	s->cache_slots *= 2;
	s->cache = xcalloc(s->cache_slots, sizeof *s->cache);
	for (size_t i = 0; i < nold; i++)
		if (old[i])
			s->cache[cache_slot(s, old[i]->sql)] = old[i];
	free(old);
}

int store_prepare(struct store *s, const char *sql, struct store_stmt **out, struct error *err)
{
	int rc = revive(s, err);
	if (rc < 0)
		return rc;
	size_t slot = cache_slot(s, sql);
	struct store_stmt *st = s->cache[slot];
	if (st) {
		s->engine->reset(st->engine_stmt);
		*out = st;
		return 0;
	}
	void *engine_stmt = NULL;
	rc = s->engine->prepare(s->handle, sql, &engine_stmt, err);
	if (rc < 0)
		return rc;
	st = xcalloc(1, sizeof *st);
	st->store = s;
	st->engine_stmt = engine_stmt;
	st->sql = xstrdup(sql);
	if (2 * (s->cache_used + 1) > s->cache_slots) {
		cache_grow(s);
		slot = cache_slot(s, sql);
	}
	s->cache[slot] = st;
	s->cache_used++;
	*out = st;
	return 0;
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
	if (st->store->tx_lost)
		return refuse_lost_tx(err);
	return statement_done(st->store, st->store->engine->step(st->engine_stmt, err));
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
const char *stmt_text_dup(struct store_stmt *st, int col, struct arena *a)
{
	return stmt_is_null(st, col) ? NULL : arena_strdup(a, stmt_text(st, col));
}

bool stmt_is_null(struct store_stmt *st, int col)
{
	return st->store->engine->col_is_null(st->engine_stmt, col);
}

bool stmt_text_has_nul(struct store_stmt *st, int col)
{
	const struct store_engine *e = st->store->engine;
	return e->col_has_nul && e->col_has_nul(st->engine_stmt, col);
}

/* The engine's run lock SQL for id; *count gets its one integer, if any. */
static int run_lock_sql(struct store *s, const char *sql, int64_t id, int64_t *count,
                        struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(s, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, id);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW && count)
		*count = stmt_int(st, 0);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int store_run_lock(struct store *s, int64_t id, struct error *err)
{
	if (!s->engine->run_lock_sql)
		return s->engine->run_lock(s->handle, id, true, err);
	return run_lock_sql(s, s->engine->run_lock_sql, id, NULL, err);
}

void store_run_unlock(struct store *s, int64_t id)
{
	/* A lock that cannot be given back goes with the connection. */
	struct error ignored = {0};
	if (!s->engine->run_unlock_sql)
		(void)s->engine->run_lock(s->handle, id, false, &ignored);
	else
		(void)run_lock_sql(s, s->engine->run_unlock_sql, id, NULL, &ignored);
}

int store_run_live(struct store *s, int64_t id, bool *live, struct error *err)
{
	*live = true; /* unless known otherwise: a live run must never look abandoned */
	if (!s->engine->run_live_sql)
		return s->engine->run_live(s->handle, id, live, err);
	int64_t holders = 1;
	int rc = run_lock_sql(s, s->engine->run_live_sql, id, &holders, err);
	if (rc == 0)
		*live = holders > 0;
	return rc;
}

void store_yield_to_writers(struct store *s)
{
	if (s->in_tx)
		BUG("yielding to writers inside a transaction");
	if (!s->engine->writers_waiting)
		return;
	int64_t started = (int64_t)(ts_mono_s() * 1000);
	if (started < s->yield_rest_until)
		return;
	/* Timed on the clock, not summed from the sleeps asked for: on a
	 * loaded machine each 2 ms sleep overruns, and a yield to a writer
	 * that never came lasted several times STORE_YIELD_MAX_MS. */
	const struct timespec step = {.tv_sec = 0, .tv_nsec = 2 * 1000 * 1000};
	int64_t waited = 0;
	while (s->engine->writers_waiting(s->handle)) {
		waited = (int64_t)(ts_mono_s() * 1000) - started;
		if (waited >= STORE_YIELD_MAX_MS)
			break;
		nanosleep(&step, NULL);
	}
	/* A writer that never takes its turn (its process stopped, Ctrl-Z,
	 * while it waited) would cost every later yield the whole wait: a
	 * sync of 1,000 pages half an hour (found in review). */
	if (waited >= STORE_YIELD_MAX_MS)
		s->yield_rest_until = started + waited + STORE_YIELD_REST_MS;
}

int store_exec_ints(struct store *s, const char *sql, int64_t a, int64_t b, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(s, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a);
	stmt_bind_int(st, 2, b);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
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

struct store_batch {
	struct store *store;
	char *target;
	char *one_row_sql, *full_sql;
	int ncols, rows, capacity;
	int nvalues;
	struct arena *text; /* copies of the pending rows' text */
	struct store_value values[];
};

static char *insert_sql(const char *verb, const char *target, int ncols, int rows)
{
	struct sb sql = SB_INIT;
	sb_printf(&sql, "%s INTO %s VALUES ", verb, target);
	for (int r = 0; r < rows; r++) {
		sb_puts(&sql, r ? ",(" : "(");
		for (int c = 0; c < ncols; c++)
			sb_puts(&sql, c ? ",?" : "?");
		sb_putc(&sql, ')');
	}
	return sb_detach(&sql, NULL);
}

static struct store_batch *batch_new(struct store *s, const char *target, int ncols,
                                     const char *verb)
{
	/* COPY's cost per statement is a few round trips, so it pays off only
	 * for batches far larger than an INSERT's parameter list allows. */
	int capacity = s->engine->copy_in ? STORE_COPY_ROWS : STORE_BATCH_ROWS;
	struct store_batch *b = xcalloc(1, sizeof *b + (size_t)ncols * (size_t)capacity *
	                                                       sizeof(struct store_value));
	b->store = s;
	b->ncols = ncols;
	b->capacity = capacity;
	b->target = xstrdup(target);
	b->one_row_sql = insert_sql(verb, target, ncols, 1);
	if (!s->engine->copy_in)
		b->full_sql = insert_sql(verb, target, ncols, STORE_BATCH_ROWS);
	b->text = arena_create();
	return b;
}

struct store_batch *store_batch_new(struct store *s, const char *target, int ncols)
{
	return batch_new(s, target, ncols, "INSERT");
}

struct store_batch *store_batch_new_ending_tx(struct store *s, const char *target, int ncols)
{
	return batch_new(s, target, ncols, s->engine->insert_ending_tx_sql);
}

static void batch_push(struct store_batch *b, struct store_value v)
{
	if (b->nvalues >= (b->rows + 1) * b->ncols)
		BUG("batch row has more than %d values", b->ncols);
	b->values[b->nvalues++] = v;
}

void store_batch_int(struct store_batch *b, int64_t v)
{
	batch_push(b, (struct store_value){.type = STORE_INT, .num = v});
}

void store_batch_double(struct store_batch *b, double v)
{
	batch_push(b, (struct store_value){.type = STORE_FLOAT, .real = v});
}

void store_batch_text(struct store_batch *b, const char *v)
{
	batch_push(b, (struct store_value){.type = v ? STORE_TEXT : STORE_NULL,
	                                   .text = v ? arena_strdup(b->text, v) : NULL});
}

void store_batch_opt_int(struct store_batch *b, int64_t v, bool has_value)
{
	batch_push(b, (struct store_value){.type = has_value ? STORE_INT : STORE_NULL, .num = v});
}

/* Write rows [first, first + n) with the statement for n rows. */
static int batch_write(struct store_batch *b, const char *sql, int first, int n, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(b->store, sql, &st, err);
	if (rc < 0)
		return rc;
	const struct store_value *v = &b->values[first * b->ncols];
	for (int i = 0; i < n * b->ncols; i++) {
		switch (v[i].type) {
		case STORE_NULL:
			stmt_bind_null(st, i + 1);
			break;
		case STORE_TEXT:
			stmt_bind_text(st, i + 1, v[i].text);
			break;
		case STORE_FLOAT:
			stmt_bind_double(st, i + 1, v[i].real);
			break;
		case STORE_INT:
			stmt_bind_int(st, i + 1, v[i].num);
			break;
		}
	}
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Write the pending rows and start over with an empty batch. */
static int batch_flush(struct store_batch *b, struct error *err)
{
	int rc = 0;
	if (b->rows == 0)
		return 0;
	if (b->store->engine->copy_in && b->rows > 1) /* one row: an INSERT is one round trip */
		rc = b->store->engine->copy_in(b->store->handle, b->target, b->ncols, b->values,
		                               b->rows, err);
	else if (b->rows == STORE_BATCH_ROWS)
		rc = batch_write(b, b->full_sql, 0, STORE_BATCH_ROWS, err);
	else /* a remainder goes one row at a time, so the statement cache holds
	      * two statements per table, not one per remainder size */
		for (int r = 0; rc == 0 && r < b->rows; r++)
			rc = batch_write(b, b->one_row_sql, r, 1, err);
	b->rows = b->nvalues = 0;
	arena_destroy(b->text);
	b->text = arena_create();
	return rc;
}

int store_batch_row_end(struct store_batch *b, struct error *err)
{
	if (b->nvalues != (b->rows + 1) * b->ncols)
		BUG("batch row has %d values, expected %d", b->nvalues - b->rows * b->ncols,
		    b->ncols);
	if (++b->rows < b->capacity)
		return 0;
	return batch_flush(b, err);
}

void store_batch_abandon(struct store_batch *b)
{
	if (!b)
		return;
	arena_destroy(b->text);
	free(b->target);
	free(b->one_row_sql);
	free(b->full_sql);
	free(b);
}

int store_batch_finish(struct store_batch *b, struct error *err)
{
	int rc = batch_flush(b, err);
	store_batch_abandon(b);
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

int store_schema_drop(struct store *s, int64_t own, struct error *err)
{
	bool pg = strcmp(s->engine->name, "sqlite") != 0;
	struct sb sql = SB_INIT;
	/* Children first: SQLite checks the foreign keys of each table dropped. */
	for (int i = store_table_count - 1; i >= 0; i--)
		sb_printf(&sql, "DROP TABLE IF EXISTS %s;\n", store_tables[i].name);
	for (const char *const *f = store_functions; pg && *f; f++)
		sb_printf(&sql, "DROP FUNCTION IF EXISTS %s();\n", *f);
	/* Under the write lock, so a database another process filled meanwhile
	 * (a copy beside this one, which waited for it) is seen and kept. */
	int64_t entries = 0;
	int rc = store_begin(s, err);
	if (rc == 0)
		rc = store_query_int(s, "SELECT COUNT(*) FROM audit_log", &entries, NULL, err);
	if (rc == 0 && entries > own)
		rc = err_set(err, ERR_CONFLICT,
		             "another process wrote %" PRId64 " audit entries there",
		             entries - own);
	if (rc == 0 && (rc = store_exec(s, sql.buf, err)) == 0)
		rc = store_commit(s, err);
	if (store_in_transaction(s))
		store_rollback(s);
	sb_release(&sql);
	bool empty = false;
	if (rc == 0 && (rc = store_is_empty(s, &empty, err)) == 0 && !empty)
		rc = err_set(err, ERR_FAILED, "tables are left after dropping plumb's");
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
	return store_migrate_hooked(s, NULL, NULL, err);
}

/* One migration in its own transaction; *have becomes the version the
 * database is at after it (another process may have got there first). */
static int migrate_one(struct store *s, const struct store_migration *m, store_migrate_hook hook,
                       void *data, bool fresh, bool rebuilds, int *have, struct error *err)
{
	int rc = store_begin(s, err);
	if (rc < 0)
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
		*have = now;
		return 0;
	}
	/* A rebuild runs without foreign key checks: it may leave no reference
	 * without its row that was not so before (one already broken must not
	 * block the upgrade for good; found in review). */
	static const char broken_sql[] = "SELECT COUNT(*) FROM pragma_foreign_key_check";
	int64_t broken_before = 0, broken = 0;
	if (rebuilds)
		rc = store_query_int(s, broken_sql, &broken_before, NULL, err);
	if (rc == 0 && m->sql) {
		char *sql = expand_tokens(s->engine, m->sql);
		rc = store_exec(s, sql, err);
		free(sql);
	}
	const char *extra = strcmp(s->engine->name, "sqlite") == 0 ? m->sqlite_sql : m->pg_sql;
	if (rc == 0 && extra)
		rc = store_exec(s, extra, err);
	if (rc == 0 && rebuilds && (rc = store_query_int(s, broken_sql, &broken, NULL, err)) == 0 &&
	    broken > broken_before)
		rc = err_set(err, ERR_STORE,
		             "%" PRId64 " more references would no longer find their row (%" PRId64
		             " before)",
		             broken - broken_before, broken_before);
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
	if (rc >= 0 && hook) /* a new database reports 0 for all its migrations */
		rc = hook(data, fresh ? 0 : now, m->version, m->name, err);
	if (rc < 0)
		goto fail;
	if ((rc = store_commit(s, err)) < 0)
		return rc;
	*have = m->version;
	return 0;
fail:
	store_rollback(s);
	return rc;
}

int store_migrate_hooked(struct store *s, store_migrate_hook hook, void *data, struct error *err)
{
	int have;
	int rc = store_schema_version(s, &have, err);
	if (rc < 0)
		return rc;
	bool fresh = have == 0;
	if (have > store_latest_schema_version())
		return newer_database(have, err);
	bool sqlite = strcmp(s->engine->name, "sqlite") == 0;
	for (int i = 0; i < store_migration_count && rc == 0; i++) {
		const struct store_migration *m = &store_migrations[i];
		if (m->version <= have)
			continue;
		bool rebuilds = sqlite && m->sqlite_rebuilds;
		if (rebuilds && (rc = store_check_references(s, false, err)) < 0)
			return rc;
		rc = migrate_one(s, m, hook, data, fresh, rebuilds, &have, err);
		struct error ignored;
		if (rebuilds && store_check_references(s, true, rc < 0 ? &ignored : err) < 0 &&
		    rc == 0)
			rc = ERR_STORE;
	}
	return rc;
}

void store_remove_file(const char *path)
{
	if (store_url_is_postgres(path))
		return;
	char buf[4096];
	unlink(path);
	snprintf(buf, sizeof buf, "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof buf, "%s-shm", path);
	unlink(buf);
}

/* Exclusively, with SQLite's own mode for a new database file (0644, less
 * the umask); 1 when it exists already. */
static int create_new(const char *path, struct error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EEXIST)
		return 1;
	err_set(err, ERR_STORE, "cannot create %s: %s", path, strerror(errno));
	return ERR_STORE;
}

int store_file_name_check(const char *path, struct error *err)
{
	/* SQLite reads "" as a temporary database, ":memory:" as one in memory
	 * and "file:..." as a URI that may ask for either: a write there would
	 * succeed, be audited and be gone when plumb exits. */
	if (*path && strcmp(path, ":memory:") != 0 && strncmp(path, "file:", 5) != 0)
		return 0;
	err_set(err, ERR_USAGE, "'%s' is not a database file", path);
	err_detail(err, "a SQLite database is named by its file path; an empty name, ':memory:' "
	                "and 'file:' URIs name databases that keep nothing");
	err_hint(err, "give a file path such as plumb.db (./file:NAME for a file so named), or a "
	              "postgres:// URL");
	return ERR_USAGE;
}

int store_file_create(const char *path, struct error *err)
{
	int rc = store_file_name_check(path, err);
	if (rc < 0)
		return rc;
	rc = create_new(path, err);
	if (rc == 1)
		rc = err_set(err, ERR_CONFLICT, "%s already exists", path);
	return rc;
}

int store_file_stage(const char *path, char **staged, struct error *err)
{
	int rc = store_file_name_check(path, err);
	if (rc < 0)
		return rc;
	/* A name a copy killed earlier left behind is passed over. */
	for (int n = 0; n < 100; n++) {
		struct sb name = SB_INIT;
		sb_printf(&name, "%s.copy-%ld-%d", path, (long)getpid(), n);
		rc = create_new(name.buf, err);
		if (rc == 0) {
			*staged = sb_detach(&name, NULL);
			return 0;
		}
		sb_release(&name);
		if (rc < 0)
			return rc;
	}
	return err_set(err, ERR_STORE, "cannot create a file beside %s to copy into", path);
}

int store_file_place(const char *staged, const char *path, struct error *err)
{
	/* Committed pages still in the write-ahead log would not come along;
	 * closing the last connection checkpoints and removes it. */
	struct sb wal = SB_INIT;
	sb_printf(&wal, "%s-wal", staged);
	struct stat st;
	bool whole = stat(wal.buf, &st) != 0 || st.st_size == 0;
	sb_release(&wal);
	if (!whole)
		return err_set(err, ERR_STORE, "the copy in %s still has a write-ahead log",
		               staged);
	if (link(staged, path) != 0) {
		if (errno == EEXIST)
			return err_set(err, ERR_CONFLICT, "%s already exists", path);
		return err_set(err, ERR_STORE, "cannot put the copy at %s: %s", path,
		               strerror(errno));
	}
	store_remove_file(staged);
	return 0;
}

int store_backup(struct store *s, const char *path, struct error *err)
{
	if (store_url_is_postgres(path)) {
		err_set(err, ERR_USAGE, "a backup is a SQLite file, not %s", path);
		err_hint(err, "to copy into PostgreSQL, use 'plumb db copy --from ... --to %s'",
		         path);
		return ERR_USAGE;
	}
	if (s->engine->backup)
		return s->engine->backup(s->handle, path, err);
	/* Engines without a file-level backup write the rows of the caller's
	 * snapshot into a new SQLite file. */
	if (!s->in_tx)
		BUG("store_backup of a %s database outside a read snapshot", s->engine->name);
	int rc = store_file_create(path, err);
	if (rc == ERR_CONFLICT)
		err_hint(err, "choose a new file name; plumb never overwrites a backup");
	if (rc < 0)
		return rc;
	struct store *copy = NULL;
	if ((rc = store_open(path, STORE_OPEN_CREATE, &copy, err)) < 0) {
		store_remove_file(path);
		return rc;
	}
	int64_t rows[STORE_TABLES_MAX];
	rc = store_migrate(copy, err);
	if (rc == 0)
		rc = store_begin(copy, err);
	if (rc == 0)
		rc = store_copy(s, copy, rows, NULL, NULL, err);
	if (rc == 0)
		rc = store_commit(copy, err);
	store_close(copy);
	if (rc < 0)
		store_remove_file(path);
	return rc;
}

int store_table_total(void)
{
	return store_table_count;
}

const char *store_table_name(int i)
{
	return store_tables[i].name;
}

static int count_rows(struct store *s, const char *table, int64_t *n, struct error *err)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	return store_query_int(s, sql, n, NULL, err);
}

static void copy_value(struct store_batch *b, struct store_stmt *src, int col, bool as_null)
{
	enum store_type type =
	        as_null ? STORE_NULL : src->store->engine->col_type(src->engine_stmt, col);
	switch (type) {
	case STORE_NULL:
		store_batch_text(b, NULL);
		break;
	case STORE_INT:
		store_batch_int(b, stmt_int(src, col));
		break;
	case STORE_FLOAT:
		store_batch_double(b, stmt_double(src, col));
		break;
	case STORE_TEXT:
		store_batch_text(b, stmt_text(src, col));
		break;
	}
}

/* A self-referencing column, written as null by copy_table, filled in now
 * that every row exists. */
static int copy_self_refs(struct store *src, struct store *dst, const struct store_table *t,
                          struct error *err)
{
	char sql[256], upd[256];
	snprintf(sql, sizeof sql, "SELECT id, %s FROM %s WHERE %s IS NOT NULL ORDER BY id",
	         t->self_ref, t->name, t->self_ref);
	snprintf(upd, sizeof upd, "UPDATE %s SET %s = ?1 WHERE id = ?2", t->name, t->self_ref);
	struct store_stmt *st, *u;
	int rc = store_prepare(src, sql, &st, err);
	if (rc < 0)
		return rc;
	rc = store_prepare(dst, upd, &u, err);
	while (rc >= 0 && (rc = stmt_step(st, err)) == STORE_ROW) {
		stmt_bind_int(u, 1, stmt_int(st, 1));
		stmt_bind_int(u, 2, stmt_int(st, 0));
		rc = stmt_step(u, err);
		stmt_reset(u);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The id table's generator gives next: past its rows, and past the last
 * it gave. */
static int next_id_of(struct store *s, const char *table, int64_t *next, struct error *err)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(id), 0) FROM %s", table);
	int64_t max_id = 0, last = 0;
	int rc = store_query_int(s, sql, &max_id, NULL, err);
	struct store_stmt *st;
	if (rc == 0)
		rc = store_prepare(s, s->engine->last_id_sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, table);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW && !stmt_is_null(st, 0))
		last = stmt_int(st, 0);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	*next = (last > max_id ? last : max_id) + 1;
	return 0;
}

/* Rows of one table; a self-referencing column is written as null first and
 * filled in afterwards, as a parent may come after its child. */
static int copy_table(struct store *src, struct store *dst, const struct store_table *t,
                      int64_t *copied, store_progress_fn progress, void *data, struct error *err)
{
	char sql[256];
	/* The source's next id, so the copy never gives an id the source gave
	 * to a row deleted since (reminders, calendar windows). */
	int64_t next_id = 0;
	int rc = t->has_id ? next_id_of(src, t->name, &next_id, err) : 0;
	snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY %s", t->name, t->order_by);
	struct store_stmt *st;
	if (rc == 0)
		rc = store_prepare(src, sql, &st, err);
	if (rc < 0)
		return rc;
	struct store_batch *b = NULL;
	int ncols = 0, self_col = -1;
	int64_t n = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		if (!b) {
			ncols = src->engine->col_count(st->engine_stmt);
			for (int c = 0; t->self_ref && c < ncols; c++)
				if (strcmp(src->engine->col_name(st->engine_stmt, c),
				           t->self_ref) == 0)
					self_col = c;
			b = store_batch_new(dst, t->name, ncols);
		}
		for (int c = 0; c < ncols; c++)
			copy_value(b, st, c, c == self_col);
		if ((rc = store_batch_row_end(b, err)) < 0)
			break;
		if (++n % 4096 == 0 && progress)
			progress(data, t->name, n, 0);
	}
	stmt_reset(st);
	if (b) {
		int frc = store_batch_finish(b, err);
		if (rc == STORE_DONE)
			rc = frc;
	}
	if (rc < 0)
		return rc;
	if (t->self_ref && n > 0 && (rc = copy_self_refs(src, dst, t, err)) < 0)
		return rc;
	if (t->has_id && (rc = dst->engine->after_copy(dst->handle, t->name, next_id, err)) < 0)
		return rc;
	if (progress)
		progress(data, t->name, n, n);
	*copied = n;
	return 0;
}

int store_copy(struct store *src, struct store *dst, int64_t *rows, store_progress_fn progress,
               void *data, struct error *err)
{
	if (!src->in_tx || !dst->in_tx)
		BUG("store_copy outside transactions");
	int have, want;
	int rc = store_schema_version(src, &have, err);
	if (rc == 0)
		rc = store_schema_version(dst, &want, err);
	if (rc < 0)
		return rc;
	if (have != want) {
		err_set(err, ERR_CONFLICT, "schema versions differ: source %d, target %d", have,
		        want);
		return ERR_CONFLICT;
	}
	/* A new database holds what its migrations seeded; the copy replaces it. */
	for (int i = store_table_count - 1; i >= 0 && rc == 0; i--) {
		char sql[128];
		snprintf(sql, sizeof sql, "DELETE FROM %s", store_tables[i].name);
		rc = store_exec(dst, sql, err);
	}
	for (int i = 0; i < store_table_count && rc == 0; i++) {
		const struct store_table *t = &store_tables[i];
		int64_t in_src = 0, in_dst = 0;
		rc = copy_table(src, dst, t, &rows[i], progress, data, err);
		if (rc == 0)
			rc = count_rows(src, t->name, &in_src, err);
		if (rc == 0)
			rc = count_rows(dst, t->name, &in_dst, err);
		if (rc == 0 && (in_src != rows[i] || in_dst != rows[i])) {
			rc = err_set(err, ERR_FAILED, "copy of %s does not add up", t->name);
			err_detail(err,
			           "source holds %" PRId64 " rows, %" PRId64
			           " were read, the target holds %" PRId64,
			           in_src, rows[i], in_dst);
		}
		if (rc < 0)
			err_detail(err, "while copying table %s", t->name);
	}
	return rc;
}
