/*
 * store_pg: the PostgreSQL engine, on libpq.
 *
 * Parameters and results travel in text format: plumb binds int64, double
 * and text, PostgreSQL infers each parameter's type from where it is used,
 * and a text result maps one to one onto the interface's borrowed
 * stmt_text; binary format would need each parameter's type OID and byte
 * swapping for no measurable gain at plumb's row sizes (docs/scaling.md).
 *
 * Statements are prepared once per connection (PQprepare) with the '?' and
 * '?NNN' placeholders rewritten to '$n'.  Rows arrive one at a time
 * (libpq's single-row mode; see settle below).  Batches load with COPY FROM
 * STDIN.
 *
 * Writers take one transaction-level advisory lock, so write transactions
 * run one at a time, exactly as SQLite's BEGIN IMMEDIATE: every write
 * appends to the one audit hash chain, whose head must be read and extended
 * by one writer at a time across all processes.  Readers take no lock and
 * see a REPEATABLE READ snapshot.  Serialization failures and deadlocks
 * (which that leaves to other sessions and to read replicas cancelling
 * queries) come back as ERR_TRANSIENT, which ctx_run retries; the write lock
 * held by another past lock_timeout as ERR_BUSY, which it does not.
 */
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <string.h>

#include "base/dynlib.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "store/store_engine.h"

/* libpq, loaded by the first connection (base/dynlib.h): a command on SQLite never needs it. */
#ifndef PLUMB_LIBPQ
#define PLUMB_LIBPQ "libpq.so.5"
#endif
#define PQ_FUNCS(X)                                                                                \
	X(PQclear)                                                                                 \
	X(PQcmdStatus)                                                                             \
	X(PQconnectdbParams)                                                                       \
	X(PQconninfoFree)                                                                          \
	X(PQconninfoParse)                                                                         \
	X(PQconsumeInput)                                                                          \
	X(PQcopyResult)                                                                            \
	X(PQerrorMessage)                                                                          \
	X(PQexec)                                                                                  \
	X(PQfinish)                                                                                \
	X(PQfname)                                                                                 \
	X(PQfreemem)                                                                               \
	X(PQftype)                                                                                 \
	X(PQgetResult)                                                                             \
	X(PQgetisnull)                                                                             \
	X(PQgetlength)                                                                             \
	X(PQgetvalue)                                                                              \
	X(PQisBusy)                                                                                \
	X(PQnfields)                                                                               \
	X(PQntuples)                                                                               \
	X(PQprepare)                                                                               \
	X(PQputCopyData)                                                                           \
	X(PQputCopyEnd)                                                                            \
	X(PQresultErrorField)                                                                      \
	X(PQreset)                                                                                 \
	X(PQresultStatus)                                                                          \
	X(PQsendQuery)                                                                             \
	X(PQsendQueryPrepared)                                                                     \
	X(PQserverVersion)                                                                         \
	X(PQsetNoticeReceiver)                                                                     \
	X(PQsetSingleRowMode)                                                                      \
	X(PQsetvalue)                                                                              \
	X(PQsocket)                                                                                \
	X(PQstatus)                                                                                \
	X(PQtransactionStatus)
static struct {
	PQ_FUNCS(DYNLIB_FIELD)
} pq;
static const char *const pq_names[] = {PQ_FUNCS(DYNLIB_NAME)};
_Static_assert(sizeof pq == sizeof pq_names, "one pointer a function");
static struct dynlib libpq = DYNLIB_INIT(PLUMB_LIBPQ, "PostgreSQL databases", pq_names, pq);

/* The advisory lock writers hold; the bytes spell "plumbwri".  Advisory
 * locks are per database, so plumb databases on one server never contend. */
#define PG_WRITE_LOCK "8101244078216505961"
/* How long a writer waits for it (lock_timeout) unless told otherwise
 * (store_set_lock_wait). */
#define PG_LOCK_TIMEOUT_MS 60000
#define PG_STR_(x)         #x
#define PG_STR(x)          PG_STR_(x)

/* Type OIDs from PostgreSQL's pg_type.dat (stable across releases). */
enum {
	PG_BOOLOID = 16,
	PG_INT8OID = 20,
	PG_INT2OID = 21,
	PG_INT4OID = 23,
	PG_FLOAT4OID = 700,
	PG_FLOAT8OID = 701,
	PG_NUMERICOID = 1700
};

struct pg_stmt;

struct pg_conn {
	PGconn *conn;
	char *where; /* the URL, for messages */
	unsigned next_stmt;
	bool committing;           /* a lost COMMIT's outcome is unknown */
	struct pg_stmt *streaming; /* whose rows are still arriving, one by one */
	/* An error that came after the rows a caller read, in a statement it
	 * then let go: reported by the next command, as the whole result's
	 * error was by the first step when results came whole. */
	PGresult *pending;
	/* How to wait for the write lock (store_set_lock_wait; NULL: as set at
	 * open), and the lock_timeout the session has. */
	struct store_wait *wait;
	int lock_timeout_ms;
	/* The session ended under it (pg_error saw it go): pg_revive opens a
	 * new one, whose number is session; a statement prepared in an earlier
	 * one is prepared again before it runs. */
	bool lost;
	unsigned session;
	double revive_after; /* monotonic s: no new session tried before */
};

#define PG_NUM_BUF 32

struct pg_stmt {
	struct pg_conn *pc;
	char name[16];
	unsigned session; /* the pg_conn session it was prepared in */
	char *sql;        /* as rewritten, for messages */
	int nparams;
	const char **values;
	char (*numbuf)[PG_NUM_BUF];
	PGresult *result; /* the rows being read: one row, or the final (empty) result */
	bool executed, ended;
	int row, nrows;
	/* What settle took off the connection for this statement: its remaining
	 * rows in one result, and the result that ended them (an error, or the
	 * final empty one). */
	PGresult *held_rows, *held_end;
};

static int pg_error(struct pg_conn *pc, const PGresult *res, struct error *err, const char *what);

/* Keep r for the next command if it is an error (the first one only). */
static void hold_pending(struct pg_conn *pc, PGresult *r)
{
	if (pq.PQresultStatus(r) == PGRES_FATAL_ERROR && !pc->pending)
		pc->pending = r;
	else
		pq.PQclear(r);
}

/* Append the single row of r to rows (made by the first call). */
static PGresult *append_row(PGresult *rows, const PGresult *r)
{
	if (!rows) {
		rows = pq.PQcopyResult(r, PG_COPYRES_ATTRS | PG_COPYRES_TUPLES);
		if (!rows)
			BUG("out of memory copying a PostgreSQL row");
		return rows;
	}
	int n = pq.PQntuples(rows);
	for (int c = 0; c < pq.PQnfields(r); c++) {
		bool null = pq.PQgetisnull(r, 0, c);
		if (!pq.PQsetvalue(rows, n, c, null ? NULL : pq.PQgetvalue(r, 0, c),
		                   null ? -1 : pq.PQgetlength(r, 0, c)))
			BUG("out of memory holding a PostgreSQL row");
	}
	return rows;
}

/* Rows are read in libpq's single-row mode: a PGresult per row, freed as the
 * next arrives, instead of the whole result built in memory first (twice as
 * slow over 100,000 rows, most of it faulting in fresh pages).  The
 * connection is busy until the last row is read; a command that needs it
 * sooner first takes the remaining rows into the streaming statement, in one
 * result as whole mode would have built, so reads and writes can still nest
 * as they do on SQLite. */
static void settle(struct pg_conn *pc)
{
	struct pg_stmt *st = pc->streaming;
	if (!st)
		return;
	PGresult *r;
	while ((r = pq.PQgetResult(pc->conn)) != NULL) {
		if (st->held_end) {
			pq.PQclear(r); /* nothing follows the end but NULL */
		} else if (pq.PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
			st->held_rows = append_row(st->held_rows, r);
			pq.PQclear(r);
		} else {
			st->held_end = r;
		}
	}
	pc->streaming = NULL;
}

/* Before a new command: the connection freed of a streaming statement, and
 * the error an earlier statement left behind reported (ERR_* after filling
 * err), unless the command gives the transaction up (forgive). */
static int command_start(struct pg_conn *pc, bool forgive, struct error *err)
{
	settle(pc);
	PGresult *pending = pc->pending;
	pc->pending = NULL;
	int code = 0;
	if (pending && !forgive) {
		code = pg_error(pc, pending, err, "database error");
		err_detail(err, "in an earlier statement, after the rows that were read of it");
	}
	pq.PQclear(pending);
	return code;
}

/* Drop what is left of st's results, on the connection and held; an error
 * among them is kept for the next command. */
static void discard_rest(struct pg_stmt *st)
{
	struct pg_conn *pc = st->pc;
	if (pc->streaming == st) {
		PGresult *r;
		while ((r = pq.PQgetResult(pc->conn)) != NULL)
			hold_pending(pc, r);
		pc->streaming = NULL;
	}
	pq.PQclear(st->held_rows);
	st->held_rows = NULL;
	if (st->held_end)
		hold_pending(pc, st->held_end);
	st->held_end = NULL;
}

/* The next result of st: its held rows (*rows_only), then what ended them,
 * then the connection's; NULL when there is none (a lost connection). */
static PGresult *next_result(struct pg_stmt *st, bool *rows_only)
{
	PGresult *r = NULL;
	*rows_only = false;
	if (st->held_rows) {
		r = st->held_rows;
		st->held_rows = NULL;
		*rows_only = true;
	} else if (st->held_end) {
		r = st->held_end;
		st->held_end = NULL;
	} else if (st->pc->streaming == st) {
		r = pq.PQgetResult(st->pc->conn);
		if (!r)
			st->pc->streaming = NULL;
	}
	return r;
}

/* Notices are not shown, but a FATAL one is the server saying goodbye: the
 * session is being ended (libpq hands one that arrives between statements
 * to the notice receiver, not to a result). */
static void quiet_notices(void *arg, const PGresult *res)
{
	struct pg_conn *pc = arg;
	const char *severity = pq.PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	if (severity && (strcmp(severity, "FATAL") == 0 || strcmp(severity, "PANIC") == 0))
		pc->lost = true;
}

/* Whether the server ended an idle session (a restart, a failover,
 * pg_terminate_backend): its goodbye and the end of the stream are waiting
 * on the socket already, so a look that does not wait finds them, where the
 * next statement would have failed on them. */
static bool ended_while_idle(struct pg_conn *pc)
{
	if (pq.PQtransactionStatus(pc->conn) != PQTRANS_IDLE)
		return false;
	struct pollfd in = {.fd = pq.PQsocket(pc->conn), .events = POLLIN};
	if (in.fd < 0)
		return true;
	if (poll(&in, 1, 0) <= 0)
		return false;
	if (!pq.PQconsumeInput(pc->conn))
		return true;
	/* What came is parsed here: a goodbye before the end of the stream
	 * reaches quiet_notices. */
	(void)pq.PQisBusy(pc->conn);
	return pc->lost || pq.PQstatus(pc->conn) != CONNECTION_OK;
}

/* The session is gone (why: libpq's or the server's words, or NULL). */
static int lost_error(struct pg_conn *pc, const char *why, const char *detail, struct error *err)
{
	pc->lost = true;
	err_set(err, ERR_STORE, "lost the connection to PostgreSQL at %s%s%s", pc->where,
	        why ? ": " : "", why ? why : "");
	err_detail(err, "%s", detail);
	err_hint(err, "check the server, then run the command again");
	return ERR_STORE;
}

/* Map a failed result (or connection) to plumb's error table. */
static int pg_error(struct pg_conn *pc, const PGresult *res, struct error *err, const char *what)
{
	const char *state = res ? pq.PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? pq.PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg)
		msg = pq.PQerrorMessage(pc->conn);
	char clean[ERR_MSG_MAX];
	snprintf(clean, sizeof clean, "%s", msg);
	clean[strcspn(clean, "\n")] = '\0';
	/* PostgreSQL's own DETAIL ("Key (k)=(a) already exists."): the facts the operator
	 * wants, in the detail the server keeps (err_detail_private), never a client's. */
	const char *pg_detail = res ? pq.PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	/* Class 08 (connection exception) and 57P01-57P03 (the server shutting
	 * down or terminating the session) end the session as surely as a
	 * broken socket, whose status libpq may not have noticed yet. */
	bool lost = pq.PQstatus(pc->conn) == CONNECTION_BAD ||
	            (state && (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
	                       strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0));
	if (lost)
		return lost_error(pc, clean,
		                  pc->committing
		                          ? "the connection was lost while committing: the change "
		                            "may or may not have been written"
		                          : "the transaction in progress was not committed; "
		                            "nothing of it was written",
		                  err);
	/* P0001, a PL/pgSQL RAISE EXCEPTION: the audit log's guard among them. */
	if (state && strcmp(state, "P0001") == 0 && store_append_only_error(err, what, clean) < 0)
		return ERR_TAMPERED;
	/* Class 23, integrity constraint violation. */
	if (state && strncmp(state, "23", 2) == 0) {
		char said[ERR_MSG_MAX * 2];
		snprintf(said, sizeof said, "%s%s%s", clean, pg_detail ? "; " : "",
		         pg_detail ? pg_detail : "");
		return store_conflict_error(err,
		                            strcmp(state, "23505") == 0   ? STORE_CONFLICT_UNIQUE
		                            : strcmp(state, "23503") == 0 ? STORE_CONFLICT_REFERENCE
		                                                          : STORE_CONFLICT_OTHER,
		                            what, said);
	}
	int code = ERR_STORE;
	if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0))
		code = ERR_TRANSIENT; /* serialization failure, deadlock */
	/* The write lock still held by another writer after lock_timeout: busy,
	 * as SQLite past its busy timeout (exit 75, HTTP 503), and not retried,
	 * since the timeout has waited already. */
	else if (state && strcmp(state, "55P03") == 0)
		code = ERR_BUSY;
	err_set(err, code, "%s: %s", what, clean);
	if (pg_detail)
		err_detail_private(err, "%s", pg_detail);
	if (state && strcmp(state, "25006") == 0)
		err_hint(err, "%s is a read-only server (a replica?); writes go to the primary",
		         pc->where);
	else if (state && strcmp(state, "55P03") == 0)
		err_hint(err, "another plumb process holds the write lock; try again");
	else if (state && strcmp(state, "42P01") == 0)
		err_hint(err, "is %s a plumb database? create one with 'plumb init'", pc->where);
	return code;
}

/* libpq's own parse, so every spelling counts (user:pw@, ?password=,
 * percent-encoded keywords). */
static bool url_has_password(const char *url)
{
	char *msg = NULL;
	PQconninfoOption *opts = pq.PQconninfoParse(url, &msg);
	pq.PQfreemem(msg);
	if (!opts)
		return false; /* not parseable: connecting reports why */
	bool found = false;
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
			found = true;
	pq.PQconninfoFree(opts);
	return found;
}

/* A new session's settings. */
static int session_setup(struct pg_conn *pc, struct error *err)
{
	/* UTC and UTF-8 whatever the server's defaults; plumb's times are
	 * integers, but error messages and now() should not depend on them.
	 * A client stuck mid-transaction (killed, or cut off by a proxy that
	 * keeps its socket open) must not hold the write lock for ever: the
	 * server ends such a session after 10 minutes idle in a transaction,
	 * far longer than plumb ever pauses inside one.
	 * A command stopped by Ctrl-C while its statement waits for the write
	 * lock would leave its backend queued for that lock until the holder
	 * lets go, the server noticing the closed connection only as it answers:
	 * from PostgreSQL 14 it looks every second while a statement runs, on
	 * the systems it can (Linux, macOS, the BSDs): elsewhere (Windows) the
	 * server refuses the setting, and the session goes on without it. */
	static const char setup[] =
	        "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; "
	        "SET lock_timeout = '" PG_STR(
	                PG_LOCK_TIMEOUT_MS) "ms'; "
	                                    "SET client_min_messages = warning; "
	                                    "SET idle_in_transaction_session_timeout = '10min'";
	static const char check_client[] =
	        "; DO $$ BEGIN SET client_connection_check_interval = '1s'; "
	        "EXCEPTION WHEN invalid_parameter_value THEN NULL; END $$";
	char sql[sizeof setup + sizeof check_client];
	snprintf(sql, sizeof sql, "%s%s", setup,
	         pq.PQserverVersion(pc->conn) >= 140000 ? check_client : "");
	PGresult *res = pq.PQexec(pc->conn, sql);
	int rc = 0;
	if (pq.PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_error(pc, res, err, "cannot set up the session");
	pq.PQclear(res);
	return rc;
}

static int pg_open(const char *url, enum store_open_mode mode, void **handle, struct error *err)
{
	(void)mode; /* the server creates databases (createdb); plumb creates tables */
	int rc = dynlib_load(&libpq, err);
	if (rc < 0)
		return rc;
	if (url_has_password(url)) {
		err_set(err, ERR_USAGE, "a password in the database URL is refused");
		err_detail(err, "command lines are visible to other users of the machine");
		err_hint(err, "drop it from the URL and set PGPASSWORD or use ~/.pgpass");
		return ERR_USAGE;
	}
	/* Keywords before dbname are defaults the URL may override.  A peer
	 * that vanishes mid-command (a dropped NAT entry, a dead host) must end
	 * the command within minutes, not the kernel's hours: keepalives probe
	 * an idle connection after 30 s, and unacknowledged data fails it after
	 * 60 s. */
	const char *const keys[] = {"application_name", "connect_timeout",  "keepalives",
	                            "keepalives_idle",  "keepalives_count", "keepalives_interval",
	                            "tcp_user_timeout", "dbname",           NULL};
	const char *const values[] = {"plumb", "10", "1", "30", "3", "10", "60000", url, NULL};
	PGconn *conn = pq.PQconnectdbParams(keys, values, 1);
	if (!conn)
		BUG("out of memory");
	struct pg_conn *pc = xcalloc(1, sizeof *pc);
	pc->conn = conn;
	if (pq.PQstatus(conn) != CONNECTION_OK) {
		char msg[ERR_MSG_MAX];
		snprintf(msg, sizeof msg, "%s", pq.PQerrorMessage(conn));
		msg[strcspn(msg, "\n")] = '\0';
		/* libpq gives no SQLSTATE for a failed connection, only its text. */
		bool missing = strstr(msg, "database \"") && strstr(msg, "does not exist");
		int code = missing ? ERR_NOT_FOUND : ERR_STORE;
		if (missing) {
			err_set(err, code, "no plumb database at %s: %s", url, msg);
			err_hint(err, "create the database (createdb), then 'plumb init --db %s'",
			         url);
		} else {
			err_set(err, code, "cannot connect to PostgreSQL: %s", msg);
			err_detail(err, "database URL: %s", url);
			err_hint(err,
			         "check the server is running and the database exists (createdb); "
			         "passwords come from PGPASSWORD or ~/.pgpass");
		}
		pq.PQfinish(conn);
		free(pc);
		return code;
	}
	pc->where = xstrdup(url);
	pc->lock_timeout_ms = PG_LOCK_TIMEOUT_MS;
	pq.PQsetNoticeReceiver(conn, quiet_notices, pc);
	rc = session_setup(pc, err);
	if (rc < 0) {
		pq.PQfinish(conn);
		free(pc->where);
		free(pc);
		return rc;
	}
	*handle = pc;
	return 0;
}

static void pg_close(void *handle)
{
	struct pg_conn *pc = handle;
	pq.PQclear(pc->pending);
	pq.PQfinish(pc->conn);
	free(pc->where);
	free(pc);
}

static int pg_exec(void *handle, const char *sql, struct error *err);

static int pg_lock_wait(void *handle, struct store_wait *wait, struct error *err)
{
	struct pg_conn *pc = handle;
	pc->wait = wait;
	int ms = wait->limit_ms > 0 ? wait->limit_ms : PG_LOCK_TIMEOUT_MS;
	if (ms == pc->lock_timeout_ms)
		return 0;
	char sql[64];
	snprintf(sql, sizeof sql, "SET lock_timeout = '%dms'", ms);
	int rc = pg_exec(handle, sql, err);
	if (rc == 0)
		pc->lock_timeout_ms = ms;
	return rc;
}

/* A new session for one that was lost (the server restarted, or ended it),
 * unless a statement's rows are still being read: that statement's next
 * step says the session is gone, and the caller stops. */
static int pg_revive(void *handle, bool *revived, struct error *err)
{
	struct pg_conn *pc = handle;
	*revived = false;
	if (pc->streaming ||
	    (!pc->lost && pq.PQstatus(pc->conn) == CONNECTION_OK && !ended_while_idle(pc)))
		return 0;
	/* An error held from the lost session's last statement (a read's, as
	 * nothing writes outside a transaction) went with it: its loss was told. */
	pq.PQclear(pc->pending);
	pc->pending = NULL;
	/* A server that does not answer costs a connect timeout a try: at
	 * most one a second, the calls between failing at once. */
	double now = ts_mono_s();
	if (now < pc->revive_after)
		return lost_error(pc, NULL,
		                  "a new connection failed a moment ago; nothing was written", err);
	pq.PQreset(pc->conn);
	if (pq.PQstatus(pc->conn) != CONNECTION_OK) {
		char msg[ERR_MSG_MAX];
		snprintf(msg, sizeof msg, "%s", pq.PQerrorMessage(pc->conn));
		msg[strcspn(msg, "\n")] = '\0';
		pc->revive_after = ts_mono_s() + 1.0;
		return lost_error(pc, msg, "a new connection failed too; nothing was written", err);
	}
	pc->lost = pc->committing = false;
	pc->session++;
	pc->lock_timeout_ms = PG_LOCK_TIMEOUT_MS;
	int rc = session_setup(pc, err);
	if (rc == 0 && pc->wait)
		rc = pg_lock_wait(pc, pc->wait, err);
	if (rc < 0) {
		pc->lost = true; /* not used without its settings: set up again next time */
		return rc;
	}
	*revived = true;
	return 0;
}

/* PQexec, telling the wait notice (store_wait_tick) while the server takes
 * its time, as it does when a BEGIN waits for the write lock.  The result
 * as PQexec's: the last, or the error that ended the statements. */
static PGresult *exec_told(struct pg_conn *pc, const char *sql)
{
	if (!pc->wait || !pc->wait->notice || !pq.PQsendQuery(pc->conn, sql))
		return pq.PQexec(pc->conn, sql);
	double start = ts_mono_s();
	PGresult *last = NULL;
	for (;;) {
		/* Until the next result is in; a broken connection ends the
		 * wait, and PQgetResult then says why. */
		while (pq.PQisBusy(pc->conn)) {
			struct pollfd in = {.fd = pq.PQsocket(pc->conn), .events = POLLIN};
			int n = poll(&in, 1, 250);
			if ((n < 0 && errno != EINTR) || (n > 0 && !pq.PQconsumeInput(pc->conn)))
				break;
			store_wait_tick(pc->wait, (int64_t)((ts_mono_s() - start) * 1000));
		}
		PGresult *r = pq.PQgetResult(pc->conn);
		if (!r)
			break;
		if (last && pq.PQresultStatus(last) == PGRES_FATAL_ERROR) {
			pq.PQclear(r);
			continue;
		}
		pq.PQclear(last);
		last = r;
	}
	return last;
}

static int pg_exec(void *handle, const char *sql, struct error *err)
{
	struct pg_conn *pc = handle;
	/* A ROLLBACK gives up what failed in the transaction. */
	int rc = command_start(pc, strcmp(sql, "ROLLBACK") == 0, err);
	if (rc < 0)
		return rc;
	pc->committing = strcmp(sql, "COMMIT") == 0;
	PGresult *res = exec_told(pc, sql);
	ExecStatusType st = pq.PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = pg_error(pc, res, err, "database error");
	else if (pc->committing && strcmp(pq.PQcmdStatus(res), "COMMIT") != 0)
		/* A COMMIT of a failed transaction answers ROLLBACK, not an error. */
		rc = err_set(err, ERR_STORE,
		             "the transaction was rolled back: a statement in it "
		             "failed");
	pq.PQclear(res);
	return rc;
}

/* '?' and '?NNN' to '$n', outside string literals, quoted names and
 * comments.  Returns the number of parameters, or -1 when the two styles
 * are mixed. */
static int rewrite_placeholders(const char *sql, struct sb *out)
{
	int next = 0, max = 0;
	bool numbered = false, plain = false;
	for (const char *p = sql; *p;) {
		if (*p == '\'' || *p == '"') {
			const char *end = strchr(p + 1, *p);
			size_t n = end ? (size_t)(end - p) + 1 : strlen(p);
			sb_add(out, p, n);
			p += n;
		} else if (p[0] == '-' && p[1] == '-') {
			size_t n = strcspn(p, "\n");
			sb_add(out, p, n);
			p += n;
		} else if (*p == '?') {
			p++;
			int idx;
			if (*p >= '0' && *p <= '9') {
				char *end;
				idx = (int)strtol(p, &end, 10);
				p = end;
				numbered = true;
			} else {
				idx = ++next;
				plain = true;
			}
			if (idx > max)
				max = idx;
			sb_printf(out, "$%d", idx);
		} else {
			sb_putc(out, *p++);
		}
	}
	return numbered && plain ? -1 : max;
}

/* Prepare st under its name in the connection's current session. */
static int prepare_in_session(struct pg_stmt *st, struct error *err)
{
	struct pg_conn *pc = st->pc;
	PGresult *res = pq.PQprepare(pc->conn, st->name, st->sql, st->nparams, NULL);
	int rc = pq.PQresultStatus(res) == PGRES_COMMAND_OK
	                 ? 0
	                 : pg_error(pc, res, err, "cannot prepare statement");
	pq.PQclear(res);
	if (rc == 0)
		st->session = pc->session;
	return rc;
}

static int pg_prepare(void *handle, const char *sql, void **stmt, struct error *err)
{
	struct pg_conn *pc = handle;
	struct sb text = SB_INIT;
	int nparams = rewrite_placeholders(sql, &text);
	if (nparams < 0)
		BUG("'?' and '?NNN' mixed in one statement: %.200s", sql);
	int rc = command_start(pc, false, err);
	if (rc < 0) {
		sb_release(&text);
		return rc;
	}
	struct pg_stmt *st = xcalloc(1, sizeof *st);
	st->pc = pc;
	snprintf(st->name, sizeof st->name, "p%u", ++pc->next_stmt);
	st->sql = sb_detach(&text, NULL);
	st->nparams = nparams;
	rc = prepare_in_session(st, err);
	if (rc < 0) {
		err_detail(err, "SQL: %.400s", sql);
		free(st->sql);
		free(st);
		return rc;
	}
	st->values = xcalloc((size_t)nparams + 1, sizeof *st->values);
	st->numbuf = xcalloc((size_t)nparams + 1, sizeof *st->numbuf);
	*stmt = st;
	return 0;
}

static void pg_reset(void *stmt)
{
	struct pg_stmt *st = stmt;
	discard_rest(st);
	pq.PQclear(st->result);
	st->result = NULL;
	st->executed = st->ended = false;
	st->row = st->nrows = 0;
	memset(st->values, 0, (size_t)st->nparams * sizeof *st->values);
}

static void pg_finalize(void *stmt)
{
	struct pg_stmt *st = stmt;
	pg_reset(st);
	/* The connection is closing with it; DEALLOCATE would be a round trip
	 * per statement for nothing. */
	free(st->values);
	free(st->numbuf);
	free(st->sql);
	free(st);
}

static void check_index(const struct pg_stmt *st, int idx)
{
	if (idx < 1 || idx > st->nparams)
		BUG("parameter %d out of range (statement has %d): %.200s", idx, st->nparams,
		    st->sql);
}

static void pg_bind_int(void *stmt, int idx, int64_t v)
{
	struct pg_stmt *st = stmt;
	check_index(st, idx);
	snprintf(st->numbuf[idx - 1], PG_NUM_BUF, "%lld", (long long)v);
	st->values[idx - 1] = st->numbuf[idx - 1];
}

static void pg_bind_double(void *stmt, int idx, double v)
{
	struct pg_stmt *st = stmt;
	check_index(st, idx);
	if (isnan(v))
		snprintf(st->numbuf[idx - 1], PG_NUM_BUF, "NaN");
	else if (isinf(v))
		snprintf(st->numbuf[idx - 1], PG_NUM_BUF, "%sInfinity", v < 0 ? "-" : "");
	else /* 17 significant digits round-trip every double */
		snprintf(st->numbuf[idx - 1], PG_NUM_BUF, "%.17g", v);
	st->values[idx - 1] = st->numbuf[idx - 1];
}

static void pg_bind_text(void *stmt, int idx, const char *s)
{
	struct pg_stmt *st = stmt;
	check_index(st, idx);
	st->values[idx - 1] = s;
}

static void pg_bind_null(void *stmt, int idx)
{
	struct pg_stmt *st = stmt;
	check_index(st, idx);
	st->values[idx - 1] = NULL;
}

static int pg_step(void *stmt, struct error *err)
{
	struct pg_stmt *st = stmt;
	struct pg_conn *pc = st->pc;
	if (!st->executed) {
		int rc = command_start(pc, false, err);
		if (rc < 0)
			return rc;
		/* Prepared in a session since lost: prepared again in this one. */
		if (st->session != pc->session && (rc = prepare_in_session(st, err)) < 0)
			return rc;
		st->executed = true;
		pc->committing = false;
		if (!pq.PQsendQueryPrepared(pc->conn, st->name, st->nparams, st->values, NULL, NULL,
		                            0)) {
			int code = pg_error(pc, NULL, err, "database error");
			pg_reset(st);
			return code;
		}
		pc->streaming = st;
		pq.PQsetSingleRowMode(pc->conn); /* if refused, the whole result comes at once */
	}
	for (;;) {
		if (st->row + 1 < st->nrows) {
			st->row++;
			return STORE_ROW;
		}
		if (st->ended) {
			st->row = st->nrows;
			return STORE_DONE;
		}
		pq.PQclear(st->result);
		bool rows_only;
		st->result = next_result(st, &rows_only);
		st->row = -1;
		st->nrows = 0;
		ExecStatusType status = pq.PQresultStatus(st->result);
		if (rows_only || status == PGRES_SINGLE_TUPLE) { /* more may follow */
			st->nrows = pq.PQntuples(st->result);
			continue;
		}
		switch (status) {
		case PGRES_TUPLES_OK: /* the end of the rows, or all of them */
		case PGRES_COMMAND_OK:
			st->nrows = pq.PQntuples(st->result);
			st->ended = true;
			discard_rest(st); /* the NULL that frees the connection */
			break;
		default: {
			/* A missing result (NULL) is a lost connection: pg_error says so. */
			int code = pg_error(pc, st->result, err, "database error");
			pg_reset(st);
			return code;
		}
		}
	}
}

static const char *cell(const struct pg_stmt *st, int col)
{
	if (!st->result || st->row < 0 || st->row >= st->nrows || col < 0 ||
	    col >= pq.PQnfields(st->result))
		BUG("column %d read outside a row", col);
	if (pq.PQgetisnull(st->result, st->row, col))
		return NULL;
	return pq.PQgetvalue(st->result, st->row, col);
}

static int64_t pg_col_int(void *stmt, int col)
{
	struct pg_stmt *st = stmt;
	const char *v = cell(st, col);
	if (!v)
		return 0;
	if (pq.PQftype(st->result, col) == PG_BOOLOID) /* comparisons are boolean here */
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static double pg_col_double(void *stmt, int col)
{
	const char *v = cell(stmt, col);
	return v ? strtod(v, NULL) : 0.0;
}

static const char *pg_col_text(void *stmt, int col)
{
	return cell(stmt, col);
}

static bool pg_col_is_null(void *stmt, int col)
{
	return cell(stmt, col) == NULL;
}

static int pg_col_count(void *stmt)
{
	struct pg_stmt *st = stmt;
	return st->result ? pq.PQnfields(st->result) : 0;
}

static const char *pg_col_name(void *stmt, int col)
{
	struct pg_stmt *st = stmt;
	return pq.PQfname(st->result, col);
}

static enum store_type pg_col_type(void *stmt, int col)
{
	struct pg_stmt *st = stmt;
	if (!cell(st, col))
		return STORE_NULL;
	switch (pq.PQftype(st->result, col)) {
	case PG_BOOLOID:
	case PG_INT2OID:
	case PG_INT4OID:
	case PG_INT8OID:
		return STORE_INT;
	case PG_FLOAT4OID:
	case PG_FLOAT8OID:
	case PG_NUMERICOID:
		return STORE_FLOAT;
	default:
		return STORE_TEXT;
	}
}

static const char *pg_token(const char *name)
{
	if (strcmp(name, "PK") == 0)
		return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
	if (strcmp(name, "INT_PK") == 0)
		return "BIGINT PRIMARY KEY";
	if (strcmp(name, "WITHOUT_ROWID") == 0)
		return "";
	/* Byte order, as SQLite's BINARY: the same ORDER BY on both engines,
	 * whatever locale the server was created with. */
	if (strcmp(name, "TEXT") == 0)
		return "TEXT COLLATE \"C\"";
	if (strcmp(name, "BYTES") == 0)
		return " COLLATE \"C\"";
	return NULL;
}

/* One value in COPY's text format: \N for null, backslash escapes for the
 * characters that delimit fields and rows. */
static void copy_field(struct sb *out, const struct store_value *v)
{
	switch (v->type) {
	case STORE_NULL:
		sb_puts(out, "\\N");
		break;
	case STORE_INT:
		sb_int(out, v->num);
		break;
	case STORE_FLOAT:
		if (isnan(v->real))
			sb_puts(out, "NaN");
		else if (isinf(v->real))
			sb_puts(out, v->real < 0 ? "-Infinity" : "Infinity");
		else
			sb_printf(out, "%.17g", v->real);
		break;
	case STORE_TEXT:
		for (const char *p = v->text; *p; p++) {
			switch (*p) {
			case '\\':
				sb_puts(out, "\\\\");
				break;
			case '\t':
				sb_puts(out, "\\t");
				break;
			case '\n':
				sb_puts(out, "\\n");
				break;
			case '\r':
				sb_puts(out, "\\r");
				break;
			default:
				sb_putc(out, *p);
			}
		}
		break;
	}
}

static int pg_copy_in(void *handle, const char *target, int ncols, const struct store_value *values,
                      int nrows, struct error *err)
{
	struct pg_conn *pc = handle;
	char sql[512];
	snprintf(sql, sizeof sql, "COPY %s FROM STDIN", target);
	int pending = command_start(pc, false, err);
	if (pending < 0)
		return pending;
	PGresult *res = pq.PQexec(pc->conn, sql);
	if (pq.PQresultStatus(res) != PGRES_COPY_IN) {
		int code = pg_error(pc, res, err, "cannot start COPY");
		err_detail(err, "SQL: %s", sql);
		pq.PQclear(res);
		return code;
	}
	pq.PQclear(res);
	struct sb data = SB_INIT;
	for (int r = 0; r < nrows; r++)
		for (int c = 0; c < ncols; c++) {
			copy_field(&data, &values[r * ncols + c]);
			sb_putc(&data, c + 1 < ncols ? '\t' : '\n');
		}
	bool sent = data.len <= INT_MAX && pq.PQputCopyData(pc->conn, data.buf, (int)data.len) == 1;
	sb_release(&data);
	/* Ending with an error message makes the server abandon the COPY. */
	pq.PQputCopyEnd(pc->conn, sent ? NULL : "plumb could not send the rows");
	int rc = 0;
	while ((res = pq.PQgetResult(pc->conn)) != NULL) {
		ExecStatusType status = pq.PQresultStatus(res);
		if (rc == 0 && status != PGRES_COMMAND_OK)
			rc = pg_error(pc, res, err, "database error");
		pq.PQclear(res);
		if (status == PGRES_COPY_IN) /* the end never reached the server */
			break;
	}
	if (rc == 0 && !sent)
		rc = pg_error(pc, NULL, err, "cannot send rows to PostgreSQL");
	if (rc < 0)
		err_detail(err, "while loading %s", target);
	return rc;
}

/* After rows were copied in with their ids, the id generator gives next_id
 * (past them, and past what the source's gave). */
static int pg_after_copy(void *handle, const char *table, int64_t next_id, struct error *err)
{
	char sql[320];
	/* Called, so that the sequence's last value shows in pg_sequences for the
	 * next copy (last_id_sql): uncalled, it is NULL there (found in review). */
	if (next_id > 1)
		snprintf(sql, sizeof sql,
		         "SELECT setval(pg_get_serial_sequence('%s', 'id'), %" PRId64 ", true)",
		         table, next_id - 1);
	else
		snprintf(sql, sizeof sql,
		         "SELECT setval(pg_get_serial_sequence('%s', 'id'), 1, false)", table);
	return pg_exec(handle, sql, err);
}

const struct store_engine store_pg_engine = {
        .name = "postgres",
        .open = pg_open,
        .close = pg_close,
        .exec = pg_exec,
        .prepare = pg_prepare,
        .finalize = pg_finalize,
        .reset = pg_reset,
        .bind_int = pg_bind_int,
        .bind_double = pg_bind_double,
        .bind_text = pg_bind_text,
        .bind_null = pg_bind_null,
        .step = pg_step,
        .col_int = pg_col_int,
        .col_double = pg_col_double,
        .col_text = pg_col_text,
        .col_is_null = pg_col_is_null,
        .col_count = pg_col_count,
        .col_name = pg_col_name,
        .col_type = pg_col_type,
        .begin_sql = "BEGIN ISOLATION LEVEL READ COMMITTED; "
                     "SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK ")",
        .begin_read_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        .insert_ending_tx_sql = "INSERT",
        .revive = pg_revive,
        /* Foreign keys are triggers here, off in the replica role, which takes a
         * superuser or, from PostgreSQL 15, GRANT SET ON PARAMETER
         * session_replication_role TO plumb's role: without it the checks stay
         * on, slower and as safe.  plumb's own triggers fire in every role
         * (schema 15). */
        .references_off_sql = "DO $$ BEGIN SET session_replication_role = replica; "
                              "EXCEPTION WHEN insufficient_privilege THEN NULL; END $$",
        .references_on_sql = "DO $$ BEGIN IF current_setting('session_replication_role') <> "
                             "'origin' THEN SET session_replication_role = origin; END IF; END $$",
        .meta_exists_sql = "SELECT COUNT(*) FROM pg_catalog.pg_tables "
                           "WHERE schemaname = current_schema() AND tablename = 'meta'",
        .table_count_sql = "SELECT COUNT(*) FROM pg_catalog.pg_tables "
                           "WHERE schemaname = current_schema()",
        .token = pg_token,
        .copy_in = pg_copy_in,
        /* NULL before the sequence gave any (pg_sequences). */
        .last_id_sql = "SELECT q.last_value FROM pg_sequences q WHERE format('%I.%I',"
                       " q.schemaname, q.sequencename) = pg_get_serial_sequence(?1, 'id')",
        .after_copy = pg_after_copy,
        .backup = NULL,
        .lock_wait = pg_lock_wait,
        /* A run's key is minus its id: never the writers' (positive) key.
         * pg_locks shows a bigint key as its high and low 32 bits. */
        .run_lock_sql = "SELECT pg_advisory_lock(-CAST(?1 AS BIGINT))",
        .run_unlock_sql = "SELECT pg_advisory_unlock(-CAST(?1 AS BIGINT))",
        .run_live_sql = "SELECT COUNT(*) FROM pg_catalog.pg_locks WHERE locktype = 'advisory' "
                        "AND granted AND objsubid = 1 AND database = (SELECT oid FROM "
                        "pg_catalog.pg_database WHERE datname = current_database()) AND "
                        "CAST(classid AS BIGINT) = (-CAST(?1 AS BIGINT) >> 32) & 4294967295 "
                        "AND CAST(objid AS BIGINT) = -CAST(?1 AS BIGINT) & 4294967295",
};
