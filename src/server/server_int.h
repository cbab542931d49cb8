/*
 * server_int: what the server's files share: one request, its reply, and
 * the server's state.  Not for use outside src/server.
 * A reply's body and header values are owned by the reply (reply_release).
 */
#ifndef PLUMB_SERVER_INT_H
#define PLUMB_SERVER_INT_H

#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/dynlib.h"
#include "base/err.h"
#include "base/sb.h"
#include "core/auth.h"
#include "ingest/webhook_queue.h"
#include "server/server.h"

struct conn_state;
struct ctx;
struct MHD_Connection;

/* libmicrohttpd's functions, loaded by server_run (base/dynlib.h): it and the GnuTLS it
 * brings are for plumb serve alone. */
#define SERVER_MHD_FUNCS(X)                                                                        \
	X(MHD_add_response_header)                                                                 \
	X(MHD_create_response_from_buffer)                                                         \
	X(MHD_create_response_from_buffer_with_free_callback_cls)                                  \
	X(MHD_destroy_response)                                                                    \
	X(MHD_get_connection_info)                                                                 \
	X(MHD_get_connection_values)                                                               \
	X(MHD_get_connection_values_n)                                                             \
	X(MHD_get_daemon_info)                                                                     \
	X(MHD_get_reason_phrase_for)                                                               \
	X(MHD_lookup_connection_value)                                                             \
	X(MHD_queue_response)                                                                      \
	X(MHD_quiesce_daemon)                                                                      \
	X(MHD_start_daemon)                                                                        \
	X(MHD_stop_daemon)
struct server_mhd_fns {
	SERVER_MHD_FUNCS(DYNLIB_FIELD)
};
extern struct server_mhd_fns mhd;

#define REPLY_MAX_HEADERS 8

struct cached;

struct reply {
	struct cached *cached; /* when set, the body to send (a reference the reply owns) */
	int status;
	const char *type; /* Content-Type, static */
	struct sb body;
	int nheaders;
	struct {
		const char *name; /* static */
		char *value;      /* owned */
	} headers[REPLY_MAX_HEADERS];
};

void reply_header(struct reply *r, const char *name, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* A Location header of url, its bytes outside printable ASCII percent-encoded. */
void reply_location(struct reply *r, const char *url);
/* A JSON error body {"error":{code,message,detail,hint}} with err's HTTP status; the
 * server's own failure told as server_error_conceal tells it. */
void reply_error(struct reply *r, const struct error *err);
/* reply_error for the face's own refusal (a limit, a deadline), made in src/server with words
 * written for the client: err shown as it is, a 5xx too. */
void reply_error_own(struct reply *r, const struct error *err);
/* If err is the server's own failure (an HTTP 5xx: a database, file or internal error), whose
 * text may hold SQL, table names or a driver's words: write all of it to stderr, the
 * operator's log, under a new random reference, and leave in err only the table's message
 * for its code with that reference and a hint to quote it (a tampered audit log's: to run
 * 'plumb audit verify'); true.  The client's error whose detail is the server's own
 * (detail_private: a conflict's, with the driver's words) likewise, but keeping its message,
 * the reference added, and its hint; true.  Otherwise (the client's error, for the client)
 * false, err untouched.  Every answer that shows a client an error passes it through here
 * once.  Thread-safe. */
bool server_error_conceal(struct error *err);
struct request;
/* A refusal on a page route, as an HTML page with that status, why told as
 * server_error_conceal tells it; who (or
 * NULL: signed out, or not known yet) is the signed-in session, whose Sign
 * out button the page carries, and ctx its request (the actor's roles pick
 * the navigation links; NULL with who). */
struct auth_identity;
struct ctx;
void page_refusal(const struct request *req, struct reply *out, int status, const struct error *why,
                  const struct auth_identity *who, const struct ctx *ctx);
void reply_release(struct reply *r);
/* r as the bytes of an HTTP/1.1 response that closes its connection, with
 * the headers every answer carries, appended to out. */
void reply_raw(const struct reply *r, struct sb *out);

struct request {
	struct MHD_Connection *conn;
	const char *method;
	char *target;    /* the request-target in origin-form, path and query as sent (owned) */
	char *path;      /* its path, still percent-encoded (owned) */
	char *url;       /* its path percent-decoded (owned) */
	char *authority; /* an absolute-form target's host[:port], or NULL (owned) */
	const char *target_problem; /* why the request-target is refused (400), or NULL */
	struct sb body;
	size_t body_limit;          /* max_body, or less for a request without credentials */
	const char *body_limit_for; /* whom body_limit is for, for the 413 (static) */
	bool body_too_big;
	bool begun;               /* the handler has seen its headers */
	bool answered;            /* plumb queued its answer (send_reply) */
	bool refused;             /* answered from its request line: never run */
	bool csrf_wrong;          /* a session's write without its X-CSRF-Token */
	struct watch_conn *watch; /* its connection's deadline */
	struct conn_state *cs;    /* its connection (server.c), or NULL */
	int64_t started_ns;
	const char *route; /* the route's template, for the log and /metrics */
	char user[64];     /* who, once known, for the access log */
	int64_t head;      /* the audit head when the request began */
};

/* A request header or query argument, or NULL. */
const char *request_header(const struct request *req, const char *name);
/* The host the request was sent to: an absolute-form target's authority,
 * else the Host header (RFC 9112 section 3.2.2), or NULL. */
const char *request_host(const struct request *req);
/* How many times the request carries the header (by name, in any case). */
int request_header_count(const struct request *req, const char *name);
const char *request_query(const struct request *req, const char *name);
/* How many times the query names the argument (by name as decoded, case and all). */
int request_query_count(const struct request *req, const char *name);
/* Cookie name's value from the Cookie header, copied into out; false if absent. */
bool request_cookie(const struct request *req, const char *name, char *out, size_t cap);
/* How many times the Cookie header names the cookie (case and all). */
int request_cookie_count(const struct request *req, const char *name);
/* The values of cookie name (case and all), the first max of them, into
 * values (borrowed: they live as long as the request); how many. */
int request_cookie_values(const struct request *req, const char *name, const char **values,
                          int max);
/* The value of a hex digit, or -1. */
int hex_digit(char c);
/* Percent-decode one segment of a path as sent, in place, once the path is
 * cut at its slashes, so a segment may hold a '/' of its own (the team
 * "R&D/Infra" is R%26D%2FInfra).  A '%' without two hex digits stays as it
 * is.  False for a segment that decodes to a NUL or to bytes that are not
 * UTF-8 (they would reach error messages and audit entries as they are). */
bool path_segment_decode(char *seg);
/* Decode n bytes of an application/x-www-form-urlencoded name or value into
 * out, NUL-terminated: '+' is a space, a '%' without two hex digits stays as
 * it is.  The decoded length, or -1 for one that holds a NUL or needs more
 * than cap bytes. */
long form_decode(const char *in, size_t n, char *out, size_t cap);
/* One field of an application/x-www-form-urlencoded body, as sent: its name
 * and, after the first '=', its value (has_value false: no '='). */
struct form_span {
	const char *name, *value;
	size_t name_len, value_len;
	bool has_value;
};
/* The field of body at *at, moving *at past it; false past the end. */
bool form_next(const char *body, size_t len, size_t *at, struct form_span *f);
/* Decode the value of the application/x-www-form-urlencoded field of body
 * whose name, decoded, is name into out (cap bytes); false when there is
 * none or it does not fit. */
bool form_field(const char *body, size_t len, const char *name, char *out, size_t cap);
/* Every query argument, and every field of a form body, is text: UTF-8
 * without NUL, as command-line arguments are.  ERR_USAGE naming the first
 * that is not (its name when that is UTF-8), else 0. */
int request_query_check(const struct request *req, struct error *err);
int request_form_check(const char *body, size_t len, struct error *err);
/* Each field of a form body given once, by its decoded name (found hunting:
 * the first of "a=1&a=2" was read, the rest dropped; no form of plumb's
 * repeats a field): ERR_USAGE naming the first given twice, else 0.
 * request_form_check checks this too. */
int request_form_once(const char *body, size_t len, struct error *err);

/* server_cache.c: GET answers per user and URL while the audit head stands. */
#define CACHE_TTL_MS 10000
struct cache;
struct cache *cache_new(void);
void cache_free(struct cache *c);
/* A reference to the answer stored under key at head, younger than the TTL, or NULL. */
struct cached *cache_get(struct cache *c, const char *key, int64_t head, int64_t now_ms);
void cache_put(struct cache *c, const char *key, int64_t head, int64_t now_ms,
               const struct reply *r);
void cache_counts(struct cache *c, long long *hits, long long *misses);
void cached_release(struct cached *e);
const char *cached_header(const struct cached *e, const char *name);
const char *cached_body(const struct cached *e, size_t *len);
/* Answer r from e (taking over the caller's reference). */
void reply_from_cache(struct reply *r, struct cached *e);
/* A 304 for the cached answer e: its headers as a 200 of it has them (ETag,
 * X-Total-Count, Link: RFC 9110 15.4.5), no body; releases e. */
void reply_not_modified_from_cache(struct reply *r, struct cached *e);

/* Per-route request counts and latency histograms for /metrics. */
struct stats;
struct stats *stats_new(void);
void stats_free(struct stats *s);
void stats_observe(struct stats *s, const char *route, int status, double seconds);
void stats_render(struct stats *s, struct sb *out);

/* Sign-in failures per account and per address. */
struct limiter;
struct limiter *limiter_new(void);
void limiter_free(struct limiter *l);
/* An attempt for each of keys (an account, an address).  LIMIT_REFUSED
 * when one of them has failed too often lately; else the attempt is let
 * through and counted in flight, under one lock, so that attempts racing
 * each other cannot pass the limit together (found in review: 40 at once
 * let 6 through).  While failures and attempts in flight together reach
 * the limit it waits for those to settle, up to 10 s, then says LIMIT_BUSY.
 * Every attempt let through is settled (limiter_settle): failed or not. */
enum limit_verdict { LIMIT_GO, LIMIT_REFUSED, LIMIT_BUSY };
enum limit_verdict limiter_take(struct limiter *l, const char *const *keys, size_t n,
                                int64_t now_ms);
void limiter_settle(struct limiter *l, const char *const *keys, size_t n, bool failed,
                    int64_t now_ms);
void limiter_clear(struct limiter *l, const char *key);

struct api_routes;
struct arena;
struct refresher;
struct every;

/* Sent with every answer (server.c); the pages are built to it. */
#define CONTENT_SECURITY_POLICY                                                                    \
	"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "      \
	"frame-ancestors 'none'; base-uri 'none'"

/* At most one log line a second of a kind any client can cause. */
struct log_throttle {
	atomic_llong logged_s; /* the second the last was logged */
	atomic_llong left_out; /* lines left out since */
};
/* Whether a line may be logged now; *left: how many were left out before it. */
bool server_log_throttle(struct log_throttle *t, long long *left);

struct server {
	struct ctx *main;
	const struct server_options *opts;
	bool tls;
	struct stats *stats;
	struct limiter *limiter;
	struct api_routes *routes;
	struct refresher *refresher;
	struct every *notifier; /* NULL without --notify-every */
	struct every *syncer;   /* NULL without --sync-every */
	struct every *unqueuer; /* NULL without a webhook queue */
	/* Queued deliveries stored, and those that could not be, for /metrics. */
	atomic_llong unqueued, unqueue_failed;
	/* Lines any client can cause, at most one a second each: libmicrohttpd's
	 * own messages, and unsigned webhook deliveries refused. */
	struct log_throttle mhd_log, hook_log;
	/* Deliveries take turns between the database and the queue. */
	struct webhook_queue_turns webhook_turns;
	/* The applier's last error logged, and when (ts_mono_s): the same one again is
	 * logged once a minute at most.  Its thread's alone. */
	struct error unqueue_said;
	double unqueue_said_at;
	/* The applier's listing of the queue and its head's failures; its
	 * thread's alone. */
	struct webhook_queue_drain unqueue_drain;
	/* Whether /metrics has said it cannot read the queue, since it last
	 * could: said once. */
	atomic_bool queue_unreadable_said;
	/* Signs the sign-in form's tokens (session_signin): made at start, so a
	 * form from before a restart has expired. */
	unsigned char signin_key[crypto_auth_KEYBYTES];
	struct cache *cache;
	struct auth_memo *memo;
	struct watch *watch;
	atomic_int connections;
	atomic_int in_flight;
	size_t max_query_args; /* what the connection's memory holds, with room to answer */
	pthread_mutex_t lock;  /* guards workers */
	struct ctx **workers;
	size_t nworkers, aworkers;
};

/* A ctx of the server's own (a worker's, a job's), on its own connection,
 * whose writes wait opts->lock_wait_ms for another writer. */
int server_open_ctx(struct server *s, struct ctx **out, struct error *err);
/* The calling thread's ctx (opened on first use), or NULL with err. */
struct ctx *server_worker_ctx(struct server *s, struct error *err);

/* server_api.c: the /api/v1 routes from the ops table. */
struct api_routes *api_routes_new(void);
void api_routes_free(struct api_routes *r);
/* Whether some API route (whatever its method) answers path, as sent. */
bool api_route_known(const struct server *s, struct arena *a, const char *path);
void api_handle(struct server *s, struct ctx *ctx, struct request *req, struct reply *out);

/* server_hooks.c: signed webhook deliveries and the dashboard refresher. */
struct refresher *refresher_start(struct server *s);
void refresher_stop(struct refresher *r);
long long refresher_count(struct refresher *r);
/* Refresh the dashboard of the teams owning these services (a delivery's,
 * a sync's), coalesced with what is queued. */
void refresher_queue(struct refresher *r, const int64_t *ids, size_t n);
void webhook_handle(struct server *s, struct ctx *ctx, struct request *req, const char *kind,
                    struct reply *out);
/* How long a delivery waits for another writer before it is queued
 * (server_options' webhook_queue_wait_ms, when set, instead). */
#define WEBHOOK_LOCK_WAIT_MS 2000
static inline int webhook_lock_wait_ms(const struct server_options *o)
{
	return o->webhook_queue_wait_ms > 0 ? (int)o->webhook_queue_wait_ms : WEBHOOK_LOCK_WAIT_MS;
}
/* Store what the webhook queue holds, oldest first (every second). */
void unqueue_job(struct every *e, struct ctx *ctx);

/* server_every.c: job once listening and then every interval_ms, on a
 * thread of its own (NULL, and no thread, when interval_ms is 0).  stop
 * asks a run under way to end (every_stopping, given the every as data)
 * and waits for it. */
typedef void every_job(struct every *e, struct ctx *ctx);
struct every *every_start(struct server *s, const char *name, int64_t interval_ms, every_job *job);
void every_stop(struct every *e);
/* Ask a run under way to end, and no other to begin, without waiting. */
void every_ask_stop(struct every *e);
long long every_runs(struct every *e); /* runs finished; 0 for NULL */
bool every_stopping(void *e);
struct server *every_server(const struct every *e);
/* A line "NAME: ..." in the access log, if there is one. */
void every_log(struct every *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One line on the server's log (when it has one), its control characters
 * shown as '?': a file name, an error or a value from outside cannot add a
 * line or move a terminal's cursor.  One write, flushed, so the lines of
 * threads do not mix. */
void server_log(const struct server_options *o, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* server_notify.c: review reminders (--notify-every). */
void notify_job(struct every *e, struct ctx *ctx);
/* server_sync.c: a sync of every source (--sync-every). */
void sync_job(struct every *e, struct ctx *ctx);

/* server_session.c: /signin, /signout and who a request is. */
void session_signin_page(struct server *s, struct request *req, const char *message,
                         struct reply *out);
void session_signin(struct server *s, struct ctx *ctx, struct request *req, struct reply *out);
void session_signout(struct server *s, struct ctx *ctx, struct request *req,
                     const struct auth_identity *who, struct reply *out);
/* The session cookie's name: over HTTPS with the __Host- prefix. */
#define SESSION_COOKIE     "plumb_session"
#define SESSION_COOKIE_TLS "__Host-" SESSION_COOKIE
const char *session_cookie(const struct server *s);
/* Whether req carries a credential (a bearer token, or a session cookie of either name),
 * good or not: who asks may be signed in.  Reads no database.  Thread-safe. */
bool request_has_credential(const struct request *req);
/* Resolve the bearer token or session cookie, and begin the request on ctx
 * as its user: 1 found, 0 none sent (ctx not begun), or an error.  head is
 * the audit chain's head now, for the memo of who a credential is. */
int session_identify(struct server *s, struct ctx *ctx, struct request *req, int64_t head,
                     struct auth_identity *who, struct error *err);
/* The session cookie's user from the memo alone (session_identify's of
 * the last second at head), the request begun on ctx as them: 1, else 0.
 * Never waits for the database, which resolving a session may write. */
int session_identify_memo(struct server *s, struct ctx *ctx, struct request *req, int64_t head,
                          struct auth_identity *who);
struct auth_memo;
struct auth_memo *memo_new(void);
void memo_free(struct auth_memo *m);

/* server_watch.c: each request's deadline, --timeout from its first line (a
 * body may take longer while it keeps coming at 64 KiB/s).  Past it a request
 * still being read is answered 408 (not under TLS) and shut; an idle
 * connection is shut.  timed_out(data, t) is called on the watch's thread
 * for each 408 sent. */
struct watch;
struct watch_conn;
/* One 408, for the access log: the method once the headers came whole. */
struct watch_timeout {
	int status;
	const char *method; /* "-" while the headers were still coming */
	size_t bytes;       /* of the answer's body */
	double seconds;     /* from the request line */
};
struct watch *watch_start(unsigned timeout_s, bool tls,
                          void (*timed_out)(void *, const struct watch_timeout *), void *data);
void watch_stop(struct watch *w);
/* The daemon's listening socket and worker threads, once it listens: while
 * every thread has been answering a request for --timeout, the connections
 * waiting to be accepted are accepted here and answered 503 busy (not under
 * TLS, nor when the socket is blocking). */
void watch_listen(struct watch *w, int listen_fd, unsigned threads);
/* A connection opened on fd, and closed: before its socket is. */
struct watch_conn *watch_open(struct watch *w, int fd);
void watch_close(struct watch *w, struct watch_conn *c);
/* Its request line came; bytes of its body came; its request is answered. */
void watch_request_line(struct watch *w, struct watch_conn *c);
/* Its headers came whole, with this method (an HTTP token). */
void watch_headers(struct watch *w, struct watch_conn *c, const char *method);
void watch_body(struct watch *w, struct watch_conn *c, size_t bytes);
void watch_done(struct watch *w, struct watch_conn *c);
/* Write answer (a whole response) on c's socket and end its sending side:
 * its request is refused while its body still comes.  What the client
 * sends then is dropped for a moment before c is shut.  False when the
 * answer did not go whole (under TLS, a full send buffer, timed out). */
bool watch_refuse(struct watch *w, struct watch_conn *c, const char *answer, size_t len);
/* Read whole, or answered early: the deadline stops.  False when the request
 * already timed out (do not answer it). */
bool watch_answer(struct watch *w, struct watch_conn *c);

/* Shutdown's drain (server.c): wait while *in_flight is above 0, up to
 * limit_ms; the requests still in flight at the end. */
int server_drain(const atomic_int *in_flight, int limit_ms);

#endif
