/*
 * http: the HTTP client of plumb's connectors (GitHub, Jira, Jenkins,
 * PagerDuty pages), on libcurl's easy interface.  One http_client per sync
 * worker keeps its curl handle, so connections are reused across pages.
 * http_get applies a policy: capped exponential backoff for 5xx, timeouts and
 * connection failures, waits for rate limits, a body size cap, and errors that
 * name the URL and status but never the token.
 *
 * Ownership: http_client_new hands out a client freed by http_client_free;
 * http_get fills a caller's struct http_response whose strings are malloc'd
 * and freed by http_response_free.  A client is not thread-safe (one per
 * thread); different clients may run in different threads at once.
 */
#ifndef PLUMB_HTTP_H
#define PLUMB_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct arena;
struct http_client;

/* The default longest rate-limit wait, 65 min: GitHub's primary limit resets
 * within the hour, and a first sync of a large org spends its 5,000 requests
 * in less.  Failing sooner published nothing, and every next run started
 * over into the same limit. */
#define HTTP_MAX_WAIT_MS (65 * 60000)

/* What http_get does when a request fails.  Zero fields take the default
 * shown; the policy is copied by http_client_new. */
struct http_policy {
	int max_attempts;       /* requests per call for 5xx, timeouts, connection errors: 5 */
	int64_t backoff_ms;     /* first pause, doubled each attempt, with jitter: 1000 */
	int64_t backoff_cap_ms; /* longest backoff pause: 60000 */
	/* Longest rate-limit wait accepted (Retry-After, X-RateLimit-Reset):
	 * HTTP_MAX_WAIT_MS.  Beyond it http_get gives up naming when the limit
	 * resets. */
	int64_t max_wait_ms;
	/* Longest total of the client's waits over all its calls, such as a
	 * sync's run: its pauses (rate-limit waits and backoff) and the time
	 * of its attempts that failed (a timeout, a slow 5xx), the last one's
	 * too.  A pause that would take it past this is not waited, the call
	 * failing instead; once it is reached, a call fails before its first
	 * attempt.  0: no bound. */
	int64_t total_wait_ms;
	long timeout_ms;         /* whole request: 60000 */
	long connect_timeout_ms; /* 10000 */
	size_t max_body;         /* larger bodies are refused (ERR_TOO_BIG): 64 MiB */
	/* Called before every pause (rate-limit wait or backoff), so the face
	 * can show it; why never holds a token; retry: the pause follows a
	 * failed attempt (an error, a timeout, a 5xx), which may itself have
	 * taken up to timeout_ms.  May be NULL. */
	void (*on_wait)(void *data, const char *why, int64_t ms, bool retry);
	void *wait_data;
	/* Sleeps ms; NULL sleeps for real (tests pass a fake that records). */
	void (*sleep_ms)(void *data, int64_t ms);
	/* Wall clock in ms since the epoch, for X-RateLimit-Reset and
	 * Retry-After dates; NULL reads the system clock. */
	int64_t (*now_ms)(void *data);
	/* A monotonic clock in ms, for how long an attempt took (counted into
	 * total_wait_ms): never the wall clock, whose jumps are no time spent;
	 * NULL reads CLOCK_MONOTONIC. */
	int64_t (*elapsed_ms)(void *data);
	void *clock_data; /* passed to sleep_ms, now_ms and elapsed_ms */
	/* Asked before each attempt, during pauses and while a transfer runs;
	 * true ends http_get with "stopped" (a server shutting down).  May be
	 * NULL. */
	bool (*stopped)(void *data);
	void *stop_data;
};

struct http_request {
	const char *url; /* http or https only */
	/* Sent as "Authorization: Bearer <token>" unless auth_header is set;
	 * never logged nor put in an error. */
	const char *token;
	/* The environment variable the token came from ("GITHUB_TOKEN"), for
	 * the message of a 401; may be NULL. */
	const char *token_env;
	/* The whole Authorization value for other schemes (PagerDuty
	 * "Token token=...", Jira "Basic ..."); redacted like the token. */
	const char *auth_header;
	const char *accept; /* Accept header, or NULL */
	/* The ETag of the last run, or NULL; one holding a control character
	 * is not sent. */
	const char *if_none_match;
};

struct http_response {
	long status; /* final status after retries: 200, 304 ... */
	char *body;  /* NUL-terminated, never NULL on success ("" for a 304) */
	size_t len;
	char *etag;        /* the ETag header, or NULL (also for one with a control character) */
	char *next_url;    /* rel="next" of the Link header, absolute, or NULL */
	int attempts;      /* requests made by this call */
	int64_t waited_ms; /* total pause of this call */
	/* The call failed rather than pause past the policy's total_wait_ms. */
	bool out_of_wait;
	/* The call failed on a rate limit it would not wait out (a reset later
	 * than max_wait_ms, or rate limited on every attempt), or on a 5xx
	 * whose Retry-After is later than max_wait_ms (down for maintenance):
	 * further requests to the server would fail the same way. */
	bool rate_limited;
};

/* A client with policy p (NULL: all defaults).  Initialises libcurl once per
 * process, thread-safely.  Returns 0, or ERR_FAILED when libcurl cannot
 * start.  Free with http_client_free. */
int http_client_new(const struct http_policy *p, struct http_client **out, struct error *err);
/* Closes the client's connections and frees it; NULL is a no-op. */
void http_client_free(struct http_client *c);

/*
 * GET req->url under the client's policy and fill *out (which it clears
 * first).  Retries 408 and every 5xx but 501 and 505, timeouts and
 * connection failures with capped exponential backoff (a longer Retry-After
 * within max_wait_ms replaces the backoff; a shorter one, 0 too, does not
 * shorten it; a longer one fails the call at once, naming it); a 429, or a 403 that is a rate limit
 * (X-RateLimit-Remaining: 0, a Retry-After, or GitHub's "secondary rate
 * limit"), waits for Retry-After
 * or until X-RateLimit-Reset (at least 1 s, and the backoff's when either
 * asks for no wait at all; a minute when neither says) and
 * retries, at most max_attempts times per call.  A redirect on the request's
 * origin (scheme, host and port) is followed, with the Authorization header,
 * at most 5 in a row; one to another origin is refused before anything is
 * sent there.  A 304 is a success with an empty body.
 *
 * Errors, each naming the URL (query kept, credentials redacted) and with up
 * to 200 bytes of the body as detail: 401 and 403 ERR_DENIED, 404
 * ERR_NOT_FOUND, other statuses ERR_FAILED; ERR_FAILED "gave up after N
 * attempts" naming the last status or failure; ERR_FAILED when a rate limit
 * resets later than max_wait_ms, naming when, and when a 5xx's Retry-After
 * asks for longer; ERR_FAILED (out->out_of_wait)
 * when a pause would take the client's waits past total_wait_ms, naming
 * the pause, its reason and what was waited before, and before any attempt
 * when they already reached it, naming it; ERR_TOO_BIG for a body over
 * max_body; ERR_INVALID for a URL that is not http or https, for a redirect
 * to another origin (naming it as detail), and for a Link next on another
 * host (the token would follow it); ERR_FAILED for more than 5 redirects.
 * On error out->body, etag and next_url are NULL while status, attempts and
 * waited_ms say what happened.  Not thread-safe per client.
 */
int http_get(struct http_client *c, const struct http_request *req, struct http_response *out,
             struct error *err);
/* Replace in err's message, detail and hint the secrets req carries (its
 * token and Authorization value, as http_get's own messages leave them
 * out) by <redacted>: each whole, and the start of one that a quote cut
 * ('%.80s').  For errors that quote what an API answered outside http_get
 * (a parser's "got '...'"), which an API echoing the token would fill with
 * it.  Thread-safe. */
void http_redact_error(const struct http_request *req, struct error *err);
/* text with the same secrets redacted, as http_redact_error does: a copy in
 * a when any was found, else text itself; NULL for NULL.  For a text of
 * any length quoting what an API answered (source check's findings).
 * Thread-safe. */
const char *http_redact_str(struct arena *a, const struct http_request *req, const char *text);
/* Frees the strings of r and clears it; safe on a cleared or failed response. */
void http_response_free(struct http_response *r);

/* The status with its reason phrase where plumb knows one ("502 Bad
 * Gateway", "299"), into buf (64 bytes are enough); returns buf.
 * Thread-safe. */
const char *http_status_text(long status, char *buf, size_t size);

/* The URL of the link with relation "next" in an RFC 8288 Link header value
 * (rel may list several types), as written (not resolved); malloc'd, or
 * NULL when there is none or the value is malformed.  Thread-safe. */
char *http_link_next(const char *link_header);

#endif
