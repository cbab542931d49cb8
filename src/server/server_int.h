/*
 * server_int: what the server's files share: one request, its reply, and
 * the server's state.  Not for use outside src/server.
 * A reply's body and header values are owned by the reply (reply_release).
 */
#ifndef PLUMB_SERVER_INT_H
#define PLUMB_SERVER_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/sb.h"
#include "core/auth.h"
#include "server/server.h"

struct ctx;
struct MHD_Connection;

#define REPLY_MAX_HEADERS 8

struct reply {
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
/* A JSON error body {"error":{code,message,detail,hint}} with err's HTTP status. */
void reply_error(struct reply *r, const struct error *err);
void reply_release(struct reply *r);

struct request {
	struct MHD_Connection *conn;
	const char *method, *url; /* url: the decoded path */
	struct sb body;
	bool body_too_big;
	int64_t started_ns;
	const char *route; /* the route's template, for the log and /metrics */
	char user[64];     /* who, once known, for the access log */
};

/* A request header or query argument, or NULL. */
const char *request_header(const struct request *req, const char *name);
const char *request_query(const struct request *req, const char *name);
/* Cookie name's value from the Cookie header, copied into out; false if absent. */
bool request_cookie(const struct request *req, const char *name, char *out, size_t cap);
void url_encode(struct sb *out, const char *s);
/* Decode application/x-www-form-urlencoded field name of body into out. */
bool form_field(const char *body, size_t len, const char *name, char *out, size_t cap);

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
/* True when key (an account or an address) may try again now. */
bool limiter_allows(struct limiter *l, const char *key, int64_t now_ms);
void limiter_fail(struct limiter *l, const char *key, int64_t now_ms);
void limiter_clear(struct limiter *l, const char *key);

struct api_routes;
struct refresher;

struct server {
	struct ctx *main;
	const struct server_options *opts;
	bool tls;
	struct stats *stats;
	struct limiter *limiter;
	struct api_routes *routes;
	struct refresher *refresher;
	atomic_int connections;
	atomic_int in_flight;
	pthread_mutex_t lock; /* guards workers */
	struct ctx **workers;
	size_t nworkers, aworkers;
};

/* The calling thread's ctx (opened on first use), or NULL with err. */
struct ctx *server_worker_ctx(struct server *s, struct error *err);

/* server_api.c: the /api/v1 routes from the ops table. */
struct api_routes *api_routes_new(void);
void api_routes_free(struct api_routes *r);
void api_handle(struct server *s, struct ctx *ctx, struct request *req,
                const struct auth_identity *who, struct reply *out);

/* server_hooks.c: signed webhook deliveries and the dashboard refresher. */
struct refresher *refresher_start(struct server *s);
void refresher_stop(struct refresher *r);
long long refresher_count(struct refresher *r);
void webhook_handle(struct server *s, struct ctx *ctx, struct request *req, const char *kind,
                    struct reply *out);

/* server_session.c: /signin, /signout and who a request is. */
void session_signin_page(struct server *s, struct request *req, const char *message,
                         struct reply *out);
void session_signin(struct server *s, struct ctx *ctx, struct request *req, struct reply *out);
void session_signout(struct server *s, struct ctx *ctx, struct request *req,
                     const struct auth_identity *who, struct reply *out);
/* Resolve the bearer token or session cookie: 1 found, 0 none sent, or an error. */
int session_identify(struct server *s, struct ctx *ctx, struct request *req,
                     struct auth_identity *who, struct error *err);

#endif
