/*
 * store_sqlite: the SQLite engine.  WAL, foreign keys on, a busy timeout so
 * concurrent writers wait instead of failing, and the online backup API for
 * consistent copies of a live database.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"
#include "base/ts.h"
#include "store/store_engine.h"

#define SQLITE_BUSY_TIMEOUT_MS 10000

/* Instead of sqlite3_busy_timeout's handler, which after its first few
 * tries sleeps 100 ms between them: a writer that another yields to
 * (store_yield_to_writers) should not keep it waiting that long.  Polls
 * every 10 ms at most, for the connection's limit in all: the handler's
 * argument's (store_set_lock_wait), or SQLITE_BUSY_TIMEOUT_MS when none is
 * set; and tells the argument's notice how long it has waited.  The wait is
 * timed on the clock, not summed from the sleeps asked for: on a loaded
 * machine each sleep overruns, and the sum fell behind (a wait of 1.5 s
 * counted under 1 s, so its notice was never told; the limit ran long).
 * One wait at a time per thread: the handler runs inside the call that
 * waits.  A wait starts where tries is 0, and also after a give-up or
 * where the handler was last left over a quarter of a second ago (its
 * sleeps are 10 ms at most): SQLite does not set tries back to 0 before
 * every wait (a schema load, a backup step), and a count left from an
 * earlier wait would have this one give up at once (found in review).  A
 * new wait taken for the old one only waits longer. */
static int busy_wait(void *arg, int tries)
{
	static _Thread_local double started_s, left_s;
	struct store_wait *wait = arg;
	int limit = wait && wait->limit_ms > 0 ? wait->limit_ms : SQLITE_BUSY_TIMEOUT_MS;
	static const int delays[] = {1, 2, 5, 10};
	enum { NDELAYS = sizeof delays / sizeof delays[0] };
	double now = ts_mono_s();
	if (tries == 0 || now - left_s > 0.25)
		started_s = now;
	int64_t waited = (int64_t)((now - started_s) * 1000);
	if (waited >= limit) {
		left_s = 0;
		return 0;
	}
	if (wait)
		store_wait_tick(wait, waited);
	sqlite3_sleep(tries < NDELAYS ? delays[tries] : delays[NDELAYS - 1]);
	left_s = ts_mono_s();
	return 1;
}

static int sqlite_error(sqlite3 *db, int rc, struct error *err, const char *what)
{
	int code = ERR_STORE;
	int primary = rc & 0xff;
	const char *said = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	if (rc == SQLITE_CONSTRAINT_TRIGGER && store_append_only_error(err, what, said) < 0)
		return ERR_TAMPERED;
	if (primary == SQLITE_CONSTRAINT)
		return store_conflict_error(
		        err,
		        rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
		                        rc == SQLITE_CONSTRAINT_ROWID
		                ? STORE_CONFLICT_UNIQUE
		        : rc == SQLITE_CONSTRAINT_FOREIGNKEY ? STORE_CONFLICT_REFERENCE
		                                             : STORE_CONFLICT_OTHER,
		        what, said);
	/* After the busy timeout: another writer held on, which is worth trying
	 * again (exit 75, HTTP 503), not a broken database.  ctx_run does not
	 * retry it: the timeout has waited already. */
	if (primary == SQLITE_BUSY)
		code = ERR_BUSY;
	err_set(err, code, "%s: %s", what, said);
	if (primary == SQLITE_NOTADB)
		err_hint(err, "the file is not a plumb database; check --db");
	if (primary == SQLITE_BUSY)
		err_hint(err, "another plumb process holds the database; try again");
	/* A plain READONLY on a database open for writing is a read
	 * transaction's query_only refusing a write: plumb's bug, not the
	 * file's permissions (found in review). */
	if (rc == SQLITE_READONLY && db && sqlite3_db_readonly(db, "main") == 0) {
		err_detail(err, "a read operation tried to write; reads run query-only");
		err_hint(err, "this is a bug in plumb: please report it with the command");
	} else if (primary == SQLITE_READONLY) {
		/* Also on reads: a WAL database is read through its -shm file, which
		 * needs a directory this user may write when it is not there yet. */
		err_hint(err, "check that this user may write the database file and its directory "
		              "(SQLite keeps the -wal and -shm files beside it, also for reads)");
	}
	return code;
}

/* ---- page buffers -----------------------------------------------------------
 *
 * SQLite takes each page of its cache (64 MB a connection, below) from
 * malloc, one 8 KB block at a time.  Filling the cache touches every page of
 * that memory for the first time, and on this machine's virtual CPUs each
 * first touch of a 4 KB page is a costly fault: a scan of 2,000,000 commits
 * took 0.97 s with the 64 MB cache against 0.71 s with 8 MB.  So page
 * buffers come from one region of address space that asks for 2 MB pages,
 * handed out in fixed slots and reused through a free list; everything
 * else goes to SQLite's own allocator.  The region is address space only
 * (where the kernel overcommits; where it does not, the mmap fails and
 * SQLite keeps its allocator): memory is used as slots are first touched,
 * and a freed slot stays resident for the next page, so the region holds
 * the process's peak of cached pages.  Under AddressSanitizer a free slot
 * is poisoned, so a pointer kept into a page SQLite let go still faults. */
#define PAGE_SIZE_BYTES 8192 /* PRAGMA page_size below */
#define SPELLED(x)      #x
#define TEXT_OF(x)      SPELLED(x)
#define PAGE_SIZE_TEXT  TEXT_OF(PAGE_SIZE_BYTES)
#define PAGE_SLOT       (PAGE_SIZE_BYTES + 1024) /* the page and SQLite's header for it */
#define PAGE_REGION     ((size_t)1 << 30)

static struct {
	sqlite3_mem_methods base;
	char *start, *end, *next;
	void *free_list;
	pthread_mutex_t lock;
} pages = {.lock = PTHREAD_MUTEX_INITIALIZER};

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define SLOT_POISON(p)   ASAN_POISON_MEMORY_REGION((p), PAGE_SLOT)
#define SLOT_UNPOISON(p) ASAN_UNPOISON_MEMORY_REGION((p), PAGE_SLOT)
#else
#define SLOT_POISON(p)   ((void)(p))
#define SLOT_UNPOISON(p) ((void)(p))
#endif

static bool page_slot(const void *p)
{
	uintptr_t at = (uintptr_t)p;
	return at >= (uintptr_t)pages.start && at < (uintptr_t)pages.end;
}

static void *page_malloc(int n)
{
	if (n > PAGE_SIZE_BYTES && n <= PAGE_SLOT) {
		pthread_mutex_lock(&pages.lock);
		void *p = pages.free_list;
		if (p) {
			SLOT_UNPOISON(p);
			pages.free_list = *(void **)p;
		} else if ((size_t)(pages.end - pages.next) >= PAGE_SLOT) {
			p = pages.next;
			pages.next += PAGE_SLOT;
		}
		pthread_mutex_unlock(&pages.lock);
		if (p)
			return p;
	}
	return pages.base.xMalloc(n);
}

static void page_free(void *p)
{
	if (!page_slot(p)) {
		pages.base.xFree(p);
		return;
	}
	pthread_mutex_lock(&pages.lock);
	*(void **)p = pages.free_list;
	pages.free_list = p;
	SLOT_POISON(p);
	pthread_mutex_unlock(&pages.lock);
}

static int page_size_of(void *p)
{
	return page_slot(p) ? PAGE_SLOT : pages.base.xSize(p);
}

static void *page_realloc(void *p, int n)
{
	if (!page_slot(p))
		return pages.base.xRealloc(p, n);
	if (n <= PAGE_SLOT)
		return p;
	void *bigger = pages.base.xMalloc(n);
	if (bigger) {
		memcpy(bigger, p, PAGE_SLOT);
		page_free(p);
	}
	return bigger;
}

/* What page_malloc would hand out for n bytes. */
static int page_roundup(int n)
{
	return n > PAGE_SIZE_BYTES && n <= PAGE_SLOT ? PAGE_SLOT : pages.base.xRoundup(n);
}

/* Before SQLite's first use; leaves its allocator as it is when the
 * region cannot be had. */
static void page_buffers_init(void)
{
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &pages.base) != SQLITE_OK)
		return;
	void *region = mmap(NULL, PAGE_REGION, PROT_READ | PROT_WRITE,
	                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (region == MAP_FAILED)
		return;
	(void)madvise(region, PAGE_REGION, MADV_HUGEPAGE);
	sqlite3_mem_methods mine = pages.base; /* its xInit, xShutdown and pAppData */
	mine.xMalloc = page_malloc;
	mine.xFree = page_free;
	mine.xRealloc = page_realloc;
	mine.xSize = page_size_of;
	mine.xRoundup = page_roundup;
	pages.start = pages.next = region;
	pages.end = pages.start + PAGE_REGION;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mine) != SQLITE_OK) {
		munmap(region, PAGE_REGION);
		pages.start = pages.next = pages.end = NULL;
	}
}

/* Only plumb's own databases are written to as they open: a new one (no
 * tables yet, opened to create) gets plumb's page size, and it and a plumb
 * database (one with `meta`) that may be written get WAL.  Another
 * program's database, or an empty file opened to read, stays as it was:
 * the caller then finds it is no plumb database and says so. */
static int sq_journal(sqlite3 *db, enum store_open_mode mode)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db,
	                            "SELECT COUNT(*), COALESCE(SUM(name = 'meta'), 0) FROM "
	                            "sqlite_master WHERE type = 'table'",
	                            -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		rc = SQLITE_OK;
	bool fresh = rc == SQLITE_OK && sqlite3_column_int64(st, 0) == 0;
	bool plumb = rc == SQLITE_OK && sqlite3_column_int64(st, 1) > 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return rc;
	if (fresh && mode == STORE_OPEN_CREATE)
		return sqlite3_exec(
		        db, "PRAGMA page_size = " PAGE_SIZE_TEXT "; PRAGMA journal_mode = WAL;",
		        NULL, NULL, NULL);
	if (plumb && !sqlite3_db_readonly(db, "main"))
		return sqlite3_exec(db, "PRAGMA journal_mode = WAL;", NULL, NULL, NULL);
	return SQLITE_OK;
}

static int sq_lock_wait(void *handle, struct store_wait *wait, struct error *err)
{
	(void)err;
	sqlite3_busy_handler(handle, busy_wait, wait);
	return 0;
}

static int sq_open(const char *url, enum store_open_mode mode, void **handle, struct error *err)
{
	if (store_file_name_check(url, err) < 0)
		return ERR_USAGE;
	struct stat st;
	if (mode == STORE_OPEN_EXISTING && stat(url, &st) != 0) {
		err_set(err, ERR_NOT_FOUND, "no plumb database at %s", url);
		err_hint(err, "create one with 'plumb init --db %s', or pass --db or set PLUMB_DB",
		         url);
		return ERR_NOT_FOUND;
	}
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, page_buffers_init);
	sqlite3 *db = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
	            (mode == STORE_OPEN_CREATE ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(url, &db, flags, NULL);
	if (rc != SQLITE_OK) {
		int code = sqlite_error(db, rc, err, "cannot open database");
		err_detail(err, "file: %s", url);
		sqlite3_close(db);
		return code;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_handler(db, busy_wait, NULL);
	/* Settings of this connection only: nothing is written to the file.
	 * temp_store FILE: a sort larger than the 64 MB cache (an ingest run
	 * publishing a million events) spills to a temporary file rather than
	 * growing the heap: 227 MB at a million events instead of 493 MB, for
	 * 34 % more time there (PERFORMANCE.md). */
	rc = sqlite3_exec(db,
	                  "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
	                  "PRAGMA cache_size = -65536; PRAGMA temp_store = FILE;",
	                  NULL, NULL, NULL);
	/* Switching a new file to WAL while another process creates it can
	 * answer busy without waiting in the busy handler: wait here instead,
	 * as long as the busy timeout.  Timed on the clock, not summed from the
	 * 20 ms sleeps asked for: a try may itself wait the busy handler's whole
	 * timeout (a reader holds a rollback-journal file), and 500 of those
	 * counted as 10 s held the open for 83 minutes (found by test_store). */
	double journal_started_s = ts_mono_s();
	while (rc == SQLITE_OK) {
		rc = sq_journal(db, mode);
		if ((rc & 0xff) != SQLITE_BUSY ||
		    (ts_mono_s() - journal_started_s) * 1000 >= SQLITE_BUSY_TIMEOUT_MS)
			break;
		sqlite3_sleep(20);
		rc = SQLITE_OK; /* and once more */
	}
	if (rc != SQLITE_OK) {
		int code = sqlite_error(db, rc, err, "cannot open database");
		err_detail(err, "file: %s", url);
		sqlite3_close(db);
		return code;
	}
	*handle = db;
	return 0;
}

static void sq_close(void *handle)
{
	sqlite3_close(handle);
}

static bool sq_tx_ended(void *handle)
{
	return sqlite3_get_autocommit(handle) != 0;
}

static int sq_exec(void *handle, const char *sql, struct error *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(handle, sql, NULL, NULL, &msg);
	sqlite3_free(msg);
	if (rc != SQLITE_OK)
		return sqlite_error(handle, rc, err, "database error");
	return 0;
}

static int sq_prepare(void *handle, const char *sql, void **stmt, struct error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		int code = sqlite_error(handle, rc, err, "cannot prepare statement");
		err_detail(err, "SQL: %.400s", sql);
		return code;
	}
	*stmt = st;
	return 0;
}

static void sq_finalize(void *stmt)
{
	sqlite3_finalize(stmt);
}

static void sq_reset(void *stmt)
{
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

static void sq_bind_int(void *stmt, int idx, int64_t v)
{
	sqlite3_bind_int64(stmt, idx, v);
}
static void sq_bind_double(void *stmt, int idx, double v)
{
	sqlite3_bind_double(stmt, idx, v);
}
static void sq_bind_null(void *stmt, int idx)
{
	sqlite3_bind_null(stmt, idx);
}

static void sq_bind_text(void *stmt, int idx, const char *s)
{
	sqlite3_bind_text(stmt, idx, s, -1, SQLITE_STATIC);
}

static int sq_step(void *stmt, struct error *err)
{
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		return STORE_ROW;
	if (rc == SQLITE_DONE)
		return STORE_DONE;
	sqlite3 *db = sqlite3_db_handle(stmt);
	int code = sqlite_error(db, rc, err, "database error");
	sqlite3_reset(stmt);
	return code;
}

static int64_t sq_col_int(void *stmt, int col)
{
	return sqlite3_column_int64(stmt, col);
}
static double sq_col_double(void *stmt, int col)
{
	return sqlite3_column_double(stmt, col);
}

static const char *sq_col_text(void *stmt, int col)
{
	return (const char *)sqlite3_column_text(stmt, col);
}

static bool sq_col_is_null(void *stmt, int col)
{
	return sqlite3_column_type(stmt, col) == SQLITE_NULL;
}

static bool sq_col_has_nul(void *stmt, int col)
{
	const char *text = (const char *)sqlite3_column_text(stmt, col);
	return text && (size_t)sqlite3_column_bytes(stmt, col) != strlen(text);
}

static int sq_col_count(void *stmt)
{
	return sqlite3_column_count(stmt);
}

static const char *sq_col_name(void *stmt, int col)
{
	return sqlite3_column_name(stmt, col);
}

static enum store_type sq_col_type(void *stmt, int col)
{
	switch (sqlite3_column_type(stmt, col)) {
	case SQLITE_NULL:
		return STORE_NULL;
	case SQLITE_INTEGER:
		return STORE_INT;
	case SQLITE_FLOAT:
		return STORE_FLOAT;
	default:
		return STORE_TEXT;
	}
}

static const char *sq_token(const char *name)
{
	if (strcmp(name, "PK") == 0 || strcmp(name, "INT_PK") == 0)
		return "INTEGER PRIMARY KEY";
	if (strcmp(name, "TEXT") == 0)
		return "TEXT";
	if (strcmp(name, "BYTES") == 0)
		return "";
	if (strcmp(name, "WITHOUT_ROWID") == 0)
		return " WITHOUT ROWID";
	return NULL;
}

/* An AUTOINCREMENT table's last id is kept in sqlite_sequence, also one
 * whose row was deleted since; another table gives the one after its
 * largest.  After a copy wrote a table's rows, an AUTOINCREMENT table's
 * counter is moved to give next_id or later. */
static int sq_after_copy(void *handle, const char *table, int64_t next_id, struct error *err)
{
	char sql[640];
	snprintf(
	        sql, sizeof sql,
	        "INSERT INTO sqlite_sequence(name, seq) SELECT '%s', 0 WHERE EXISTS (SELECT 1 FROM "
	        "sqlite_master WHERE type = 'table' AND name = '%s' AND sql LIKE "
	        "'%%AUTOINCREMENT%%') AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = "
	        "'%s'); UPDATE sqlite_sequence SET seq = MAX(seq, %" PRId64 ") WHERE name = '%s'",
	        table, table, table, next_id - 1, table);
	return sq_exec(handle, sql, err);
}

static int sq_backup(void *handle, const char *path, struct error *err)
{
	if (store_file_name_check(path, err) < 0)
		return ERR_USAGE;
	/* Made exclusively: of two backups to one path, the second refuses
	 * rather than write into (or remove) the first one's file. */
	int rc = store_file_create(path, err);
	if (rc == ERR_CONFLICT)
		err_hint(err, "choose a new file name; plumb never overwrites a backup");
	if (rc < 0)
		return rc;
	sqlite3 *dest = NULL;
	rc = sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		int code = sqlite_error(dest, rc, err, "cannot create backup");
		err_detail(err, "file: %s", path);
		sqlite3_close(dest);
		store_remove_file(path);
		return code;
	}
	sqlite3_backup *b = sqlite3_backup_init(dest, "main", handle, "main");
	if (!b) {
		int code = sqlite_error(dest, sqlite3_errcode(dest), err, "cannot start backup");
		sqlite3_close(dest);
		store_remove_file(path);
		return code;
	}
	/* Copy in one step: the source is read in one read transaction, so the
	 * copy is a consistent snapshot even while other processes write. */
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		int code = sqlite_error(dest, rc, err, "backup failed");
		sqlite3_close(dest);
		store_remove_file(path);
		return code;
	}
	sqlite3_close(dest);
	return 0;
}

/* ---- run locks ---------------------------------------------------------------
 *
 * A run shows other processes it is live with an open file description lock
 * (F_OFD_SETLK) on one byte of the database file, RUN_LOCK_BASE + its id: far
 * past SQLite's own lock bytes (at 1 GB) and any data, and advisory, so no
 * read or write of the file waits on it.  It goes with the process, however
 * that ends.  The descriptor is opened once per database file and kept until
 * the process ends: closing any descriptor of the file would drop SQLite's
 * own POSIX locks on it.  Locks through one descriptor never conflict with
 * each other, so the ids this process holds are listed beside it. */
#define RUN_LOCK_BASE ((off_t)1 << 62)
#ifndef F_OFD_GETLK /* Linux's since 3.15; glibc declares them for _GNU_SOURCE only */
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#endif

struct run_locks {
	dev_t dev;
	ino_t ino;
	int fd;
	int64_t *held;
	size_t nheld, alloc;
	int wanting; /* connections of this process that want the write lock */
	struct run_locks *next;
};

static struct {
	struct run_locks *files;
	pthread_mutex_t mu;
} run_locks = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* The database file's entry, made on first use; with run_locks.mu held. */
static struct run_locks *run_locks_of(sqlite3 *db, struct error *err)
{
	const char *path = sqlite3_db_filename(db, "main");
	struct stat st;
	if (!path || !*path || stat(path, &st) != 0) {
		err_set(err, ERR_STORE, "cannot find the database file of %s", path ? path : "?");
		return NULL;
	}
	for (struct run_locks *l = run_locks.files; l; l = l->next)
		if (l->dev == st.st_dev && l->ino == st.st_ino)
			return l;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_set(err, ERR_STORE, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	struct run_locks *l = xcalloc(1, sizeof *l);
	l->dev = st.st_dev;
	l->ino = st.st_ino;
	l->fd = fd;
	l->next = run_locks.files;
	run_locks.files = l;
	return l;
}

static int sq_run_lock(void *handle, int64_t id, bool take, struct error *err)
{
	pthread_mutex_lock(&run_locks.mu);
	struct run_locks *l = run_locks_of(handle, err);
	int rc = l ? 0 : ERR_STORE;
	size_t at = 0;
	while (l && at < l->nheld && l->held[at] != id)
		at++;
	struct flock fl = {.l_type = take ? F_RDLCK : F_UNLCK,
	                   .l_whence = SEEK_SET,
	                   .l_start = RUN_LOCK_BASE + id,
	                   .l_len = 1};
	if (l && take && at == l->nheld) {
		if (fcntl(l->fd, F_OFD_SETLK, &fl) != 0) {
			rc = err_set(err, ERR_STORE, "cannot lock run %lld: %s", (long long)id,
			             strerror(errno));
		} else {
			l->held = xgrow(l->held, l->nheld, &l->alloc, sizeof *l->held);
			l->held[l->nheld++] = id;
		}
	} else if (l && !take && at < l->nheld) {
		l->held[at] = l->held[--l->nheld];
		if (fcntl(l->fd, F_OFD_SETLK, &fl) != 0)
			rc = err_set(err, ERR_STORE, "cannot unlock run %lld: %s", (long long)id,
			             strerror(errno));
	}
	pthread_mutex_unlock(&run_locks.mu);
	return rc;
}

static int sq_run_live(void *handle, int64_t id, bool *live, struct error *err)
{
	pthread_mutex_lock(&run_locks.mu);
	struct run_locks *l = run_locks_of(handle, err);
	int rc = l ? 0 : ERR_STORE;
	bool here = false;
	for (size_t i = 0; l && i < l->nheld && !here; i++)
		here = l->held[i] == id;
	/* Would a write lock wait: then another process holds a read lock. */
	struct flock fl = {
	        .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = RUN_LOCK_BASE + id, .l_len = 1};
	if (l && !here && fcntl(l->fd, F_OFD_GETLK, &fl) != 0)
		rc = err_set(err, ERR_STORE, "cannot test the lock of run %lld: %s", (long long)id,
		             strerror(errno));
	if (rc == 0)
		*live = here || fl.l_type != F_UNLCK;
	pthread_mutex_unlock(&run_locks.mu);
	return rc;
}

/* ---- writers waiting ---------------------------------------------------------
 *
 * SQLite's busy handler is not fair: a writer that finds the write lock held
 * sleeps and tries again, and a process that commits and begins again at
 * once (an ingest staging 20,000 records a transaction) has it back before
 * the waiter wakes, so the waiter could wait through the whole run and fail
 * busy.  So a connection that wants the write lock says so from before its
 * BEGIN IMMEDIATE until its transaction ends: the first of this process's
 * connections to want it takes a shared OFD lock on WRITE_WANT_BYTE (below
 * the run locks' bytes; run ids start at 1), the last to stop gives it back.
 * Another process's shared lock shows as a conflict to F_OFD_GETLK; this
 * process's own are counted in wanting.  Best effort: a lock that cannot
 * be taken or tested only makes a yield shorter. */
#define WRITE_WANT_BYTE (RUN_LOCK_BASE - 1)

static void sq_write_want(void *handle, bool want)
{
	pthread_mutex_lock(&run_locks.mu);
	struct error ignored = {0};
	struct run_locks *l = run_locks_of(handle, &ignored);
	struct flock fl = {.l_type = want ? F_RDLCK : F_UNLCK,
	                   .l_whence = SEEK_SET,
	                   .l_start = WRITE_WANT_BYTE,
	                   .l_len = 1};
	if (l && (want ? l->wanting++ == 0 : --l->wanting == 0))
		(void)fcntl(l->fd, F_OFD_SETLK, &fl);
	pthread_mutex_unlock(&run_locks.mu);
}

/* Called by a connection that does not want the lock itself. */
static bool sq_writers_waiting(void *handle)
{
	pthread_mutex_lock(&run_locks.mu);
	struct error ignored = {0};
	struct run_locks *l = run_locks_of(handle, &ignored);
	struct flock fl = {
	        .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = WRITE_WANT_BYTE, .l_len = 1};
	bool waiting = l && (l->wanting > 0 ||
	                     (fcntl(l->fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK));
	pthread_mutex_unlock(&run_locks.mu);
	return waiting;
}

const struct store_engine store_sqlite_engine = {
        .name = "sqlite",
        .open = sq_open,
        .close = sq_close,
        .exec = sq_exec,
        .prepare = sq_prepare,
        .finalize = sq_finalize,
        .reset = sq_reset,
        .bind_int = sq_bind_int,
        .bind_double = sq_bind_double,
        .bind_text = sq_bind_text,
        .bind_null = sq_bind_null,
        .step = sq_step,
        .col_int = sq_col_int,
        .col_double = sq_col_double,
        .col_text = sq_col_text,
        .col_is_null = sq_col_is_null,
        .col_has_nul = sq_col_has_nul,
        .col_count = sq_col_count,
        .col_name = sq_col_name,
        .col_type = sq_col_type,
        .begin_sql = "BEGIN IMMEDIATE",
        .begin_read_sql = "BEGIN; PRAGMA query_only = 1",
        .end_read_sql = "PRAGMA query_only = 0",
        .tx_ended = sq_tx_ended,
        .insert_ending_tx_sql = "INSERT OR ROLLBACK",
        .references_off_sql = "PRAGMA foreign_keys = OFF",
        .references_on_sql = "PRAGMA foreign_keys = ON",
        .meta_exists_sql =
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
        /* Not SQLite's own (sqlite_sequence stays once an AUTOINCREMENT
         * table was made, and cannot be dropped). */
        .table_count_sql = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' "
                           "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        /* Without sql: the indexes of PRIMARY KEY and UNIQUE constraints. */
        .droppable_indexes_sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                 "AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY name",
        .token = sq_token,
        .copy_in = NULL,
        .last_id_sql = "SELECT seq FROM sqlite_sequence WHERE name = ?1",
        .after_copy = sq_after_copy,
        .backup = sq_backup,
        .run_lock = sq_run_lock,
        .run_live = sq_run_live,
        .lock_wait = sq_lock_wait,
        .write_want = sq_write_want,
        .writers_waiting = sq_writers_waiting,
};
