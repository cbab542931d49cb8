/*
 * err: plumb's one error table and the error value that carries detail.
 *
 * Functions return 0 on success or a negative ERR_* code, and fill a caller's
 * struct error.  The first error set wins, so calls can be chained and the
 * most specific message survives.  The face (CLI or HTTP) decides how to show
 * it: the table maps each code to a CLI exit status and an HTTP status.
 * struct error owns no heap memory; it is safe to copy and discard.
 */
#ifndef PLUMB_ERR_H
#define PLUMB_ERR_H

#include <stdarg.h>
#include <stdbool.h>

/* X(enum suffix, string code, CLI exit status, HTTP status, default message) */
#define ERR_TABLE(X)                                                                               \
	X(OK, "ok", 0, 200, "ok")                                                                  \
	X(FAILED, "failed", 1, 500, "operation failed")                                            \
	X(INVALID, "invalid_input", 1, 400, "invalid input")                                       \
	X(USAGE, "usage", 2, 400, "usage error")                                                   \
	X(DENIED, "forbidden", 3, 403, "permission denied")                                        \
	X(UNAUTHENTICATED, "unauthenticated", 3, 401, "authentication required")                   \
	X(RATE_LIMITED, "rate_limited", 3, 429, "too many attempts; wait and try again")           \
	X(POLICY, "policy_refused", 3, 403, "refused by policy")                                   \
	X(NOT_FOUND, "not_found", 4, 404, "not found")                                             \
	X(CONFLICT, "conflict", 5, 409, "conflict")                                                \
	X(IO, "io_error", 1, 500, "input/output error")                                            \
	X(STORE, "store_error", 1, 500, "database error")                                          \
	X(TOO_BIG, "too_large", 1, 413, "input too large")                                         \
	X(TAMPERED, "tampered", 1, 500, "audit chain does not verify")                             \
	X(TRANSIENT, "transient", 75, 503, "transient database conflict; try again")               \
	X(BUSY, "busy", 75, 503, "the database is busy with another writer; try again")            \
	X(TIMEOUT, "timeout", 1, 408, "the request did not arrive in time")

#define ERR_ENUM_(name, code, exitc, http, msg) ERR_##name##_IDX,
enum err_index { ERR_TABLE(ERR_ENUM_) ERR_COUNT_ };
#undef ERR_ENUM_

/* Codes are the negated table index, so 0 is success. */
#define ERR_ENUM_(name, code, exitc, http, msg) ERR_##name = -ERR_##name##_IDX,
enum err_code { ERR_TABLE(ERR_ENUM_) };
#undef ERR_ENUM_

#define ERR_MSG_MAX 512

struct error {
	int code; /* 0 while unset */
	char message[ERR_MSG_MAX];
	char detail[ERR_MSG_MAX * 8]; /* room for a list of import errors */
	char hint[ERR_MSG_MAX];
	/* The detail is the server's own (a driver's words: table and column
	 * names) though the code is the client's (a conflict): for the CLI and
	 * the server's log, never for a client over HTTP (err_detail_private). */
	bool detail_private;
};

/* Set code and message unless an error is already set; returns code. */
int err_set(struct error *err, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* Add detail or hint to the current error (no-op if none set or already filled). */
void err_detail(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Add to the current error's detail, after what it says already ("; "). */
void err_append_detail(struct error *err, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* err_detail for a detail the server keeps to itself (detail_private), whatever the code. */
void err_detail_private(struct error *err, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
void err_hint(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_clear(struct error *err);

const char *err_code_name(int code); /* "not_found"; static storage */
int err_exit_status(int code);       /* CLI exit status */
int err_http_status(int code);
/* Whether code's detail is the server's own (a database or file error, a
 * busy database included: a statement's SQL, a path on its disk): for its
 * operator, never for a client over HTTP. */
bool err_detail_internal(int code);

#endif
