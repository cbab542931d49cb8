/*
 * http: GET with retries, rate-limit waits and a body cap, on one reused
 * libcurl easy handle per client.  Every string that can reach a message
 * (URL, curl's error text, the body excerpt) goes through http_redact
 * first, so a token cannot leak into an error or an on_wait line.
 */
#include "ingest/http.h"

#include <errno.h>
#include <stdbool.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/dyncurl.h"
#include "base/mem.h"
#include "base/rng.h"
#include "base/sb.h"
#include "base/ts.h"

#ifndef PLUMB_VERSION
#define PLUMB_VERSION "dev"
#endif

#define HTTP_DETAIL_BYTES   200
#define HTTP_MAX_REDIRECTS  5
#define HTTP_RATE_GUESS_MS  60000 /* a rate limit without a hint: GitHub asks for a minute */
#define HTTP_RATE_MIN_MS    1000  /* a reset past by the server's Date still pauses this long */
#define HTTP_EPOCH_FLOOR_S  1000000000 /* X-RateLimit-Reset below this is seconds from now */
#define HTTP_LATEST_MS      INT64_C(253402300799999) /* 9999-12-31T23:59:59.999Z */
#define HTTP_DEFAULT_BODY   ((size_t)64 << 20)
#define HTTP_REDACTED       "<redacted>"
#define HTTP_URL_SHOWN_HEAD 160
#define HTTP_URL_SHOWN_TAIL 60

struct http_client {
	CURL *curl;
	struct http_policy policy;
	struct rng rng; /* backoff jitter */
	/* Every pause of every call and every failed attempt's time (a
	 * timeout, a 5xx after a slow answer), for total_wait_ms. */
	int64_t waited_total;
	char curl_error[CURL_ERROR_SIZE];
};

/* One http_get: what the callbacks fill and what messages need. */
struct http_call {
	struct http_client *c;
	const struct http_request *req;
	struct sb body;
	bool too_big;
	const char *url; /* redacted, for messages */
};

static const char *http_reason(long status)
{
	switch (status) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 301:
		return "Moved Permanently";
	case 302:
		return "Found";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 406:
		return "Not Acceptable";
	case 408:
		return "Request Timeout";
	case 409:
		return "Conflict";
	case 410:
		return "Gone";
	case 413:
		return "Content Too Large";
	case 422:
		return "Unprocessable Content";
	case 429:
		return "Too Many Requests";
	case 451:
		return "Unavailable For Legal Reasons";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	default:
		return "";
	}
}

const char *http_status_text(long status, char *buf, size_t size)
{
	const char *reason = http_reason(status);
	snprintf(buf, size, "%ld%s%s", status, *reason ? " " : "", reason);
	return buf;
}

/* "2 s", "52 min", "3 h 5 min" into buf. */
static const char *http_duration(int64_t ms, char *buf, size_t size)
{
	int64_t s = ms / 1000 + (ms % 1000 != 0); /* rounded up, without ms + 999 overflowing */
	if (s < 120)
		snprintf(buf, size, "%lld s", (long long)s);
	else if (s < 7200)
		snprintf(buf, size, "%lld min", (long long)((s + 59) / 60));
	else
		snprintf(buf, size, "%lld h %lld min", (long long)(s / 3600),
		         (long long)(s % 3600 / 60));
	return buf;
}

/* ---- redaction ---- */

struct http_secret {
	const char *s;
	size_t n;
};

#define HTTP_SECRETS     5
#define HTTP_DERIVED_MIN 8 /* a shorter piece of a header is not worth hiding everywhere */

/*
 * What must never reach a message: the token, the API token of a
 * USER:TOKEN one (Jira's, Jenkins'), the whole Authorization value, its
 * credentials after the scheme ("Basic xyz"), and the value of a name=value
 * credential ("Token token=xyz", quotes dropped).
 */
static void http_secrets(const struct http_request *req, struct http_secret out[HTTP_SECRETS])
{
	memset(out, 0, sizeof(struct http_secret) * HTTP_SECRETS);
	if (req->token) {
		out[0] = (struct http_secret){req->token, strlen(req->token)};
		const char *colon = strchr(req->token, ':');
		if (colon && strlen(colon + 1) >= HTTP_DERIVED_MIN)
			out[4] = (struct http_secret){colon + 1, strlen(colon + 1)};
	}
	const char *auth = req->auth_header;
	if (!auth)
		return;
	out[1] = (struct http_secret){auth, strlen(auth)};
	const char *cred = strchr(auth, ' ');
	if (!cred)
		return;
	cred += strspn(cred, " ");
	if (strlen(cred) >= HTTP_DERIVED_MIN)
		out[2] = (struct http_secret){cred, strlen(cred)};
	size_t name =
	        strspn(cred, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
	if (name == 0 || cred[name] != '=')
		return;
	const char *value = cred + name + 1;
	size_t n = strlen(value);
	if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
		value++;
		n -= 2;
	}
	if (n >= HTTP_DERIVED_MIN)
		out[3] = (struct http_secret){value, n};
}

/*
 * Append text (len bytes) to out with req's secrets replaced by <redacted>:
 * each whole, and each start of one at least HTTP_DERIVED_MIN bytes long that
 * ends where the text or the quote around it ends (a value quoted with
 * '%.80s' cut there, a message cut at ERR_MSG_MAX).  With controls, control
 * bytes become '?', so it can go into a message; without, other bytes stay
 * as they are (the faces escape what they show).  Whether anything was
 * redacted.
 */
static bool http_redact_scan(struct sb *out, const char *text, size_t len,
                             const struct http_request *req, bool controls)
{
	struct http_secret secrets[HTTP_SECRETS];
	http_secrets(req, secrets);
	/* The start of a USER:TOKEN is its user, no secret (an email quoted as
	 * itself stays): a cut counts once it reaches into the token. */
	size_t cut_min[HTTP_SECRETS];
	for (size_t k = 0; k < HTTP_SECRETS; k++)
		cut_min[k] = HTTP_DERIVED_MIN;
	const char *colon = req->token ? strchr(req->token, ':') : NULL;
	if (colon)
		cut_min[0] += (size_t)(colon - req->token) + 1;
	bool changed = false;
	for (size_t i = 0; i < len;) {
		size_t hit = 0;
		for (size_t k = 0; k < HTTP_SECRETS; k++) {
			size_t n = 0;
			while (n < secrets[k].n && i + n < len && text[i + n] == secrets[k].s[n])
				n++;
			size_t end = i + n;
			bool cut = n >= cut_min[k] &&
			           (end == len || text[end] == '\'' || text[end] == '"' ||
			            (len - end >= 3 && !memcmp(text + end, "...", 3)));
			if ((n && n == secrets[k].n) || cut)
				hit = n > hit ? n : hit;
		}
		if (hit) {
			sb_puts(out, HTTP_REDACTED);
			i += hit;
			changed = true;
			continue;
		}
		unsigned char ch = (unsigned char)text[i++];
		sb_putc(out, controls && (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch);
	}
	return changed;
}

static void http_redact(struct sb *out, const char *text, size_t len,
                        const struct http_request *req)
{
	http_redact_scan(out, text, len, req, true);
}

static void http_redact_text(char *text, size_t size, const struct http_request *req)
{
	struct sb out = SB_INIT;
	if (http_redact_scan(&out, text, strlen(text), req, false))
		snprintf(text, size, "%s", out.buf);
	sb_release(&out);
}

const char *http_redact_str(struct arena *a, const struct http_request *req, const char *text)
{
	if (!text)
		return NULL;
	struct sb out = SB_INIT;
	const char *copy = http_redact_scan(&out, text, strlen(text), req, false)
	                           ? arena_strdup(a, out.buf)
	                           : text;
	sb_release(&out);
	return copy;
}

void http_redact_error(const struct http_request *req, struct error *err)
{
	http_redact_text(err->message, sizeof err->message, req);
	http_redact_text(err->detail, sizeof err->detail, req);
	http_redact_text(err->hint, sizeof err->hint, req);
}

/* A query parameter whose value is a credential by its name. */
static bool http_secret_param(const char *name, size_t n)
{
	static const char *const words[] = {"token", "key", "secret", "password", "sig", "auth"};
	for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
		size_t wn = strlen(words[w]);
		for (size_t i = 0; i + wn <= n; i++)
			if (strncasecmp(name + i, words[w], wn) == 0)
				return true;
	}
	return false;
}

/*
 * The URL for messages: userinfo and the values of credential-named query
 * parameters (access_token, api_key ...) redacted, then the request's own
 * secrets.  The rest of the query stays: it says which page failed.
 */
/*
 * A URL of many query parameters (a PagerDuty source's every --service id)
 * would fill an error message before its cause: keep its two ends, which
 * hold the host, the path and the page, and say how much was left out.
 */
static void http_elide_middle(struct sb *url)
{
	if (url->len <= HTTP_URL_SHOWN_HEAD + HTTP_URL_SHOWN_TAIL + 32)
		return;
	size_t head = HTTP_URL_SHOWN_HEAD, tail = url->len - HTTP_URL_SHOWN_TAIL;
	/* Cut between characters, never inside one's UTF-8 bytes. */
	while (head > 0 && ((unsigned char)url->buf[head] & 0xC0) == 0x80)
		head--;
	while (tail < url->len && ((unsigned char)url->buf[tail] & 0xC0) == 0x80)
		tail++;
	struct sb shown = SB_INIT;
	sb_add(&shown, url->buf, head);
	sb_printf(&shown, "...[%zu bytes]...", tail - head);
	sb_add(&shown, url->buf + tail, url->len - tail);
	sb_release(url);
	*url = shown;
}

static char *http_safe_url(const struct http_request *req)
{
	const char *url = req->url;
	struct sb masked = SB_INIT;
	const char *scheme_end = strstr(url, "://");
	const char *p = url;
	if (scheme_end) {
		const char *auth = scheme_end + 3;
		size_t auth_len = strcspn(auth, "/?#");
		const char *at = memchr(auth, '@', auth_len);
		sb_add(&masked, url, (size_t)(auth - url));
		if (at) {
			sb_puts(&masked, HTTP_REDACTED);
			p = at;
		} else {
			p = auth;
		}
	}
	const char *query = strchr(p, '?');
	if (!query) {
		sb_puts(&masked, p);
	} else {
		sb_add(&masked, p, (size_t)(query - p));
		const char *q = query;
		while (*q && *q != '#') {
			sb_putc(&masked, *q++); /* '?' or '&' */
			size_t param = strcspn(q, "&#");
			const char *eq = memchr(q, '=', param);
			if (eq && http_secret_param(q, (size_t)(eq - q))) {
				sb_add(&masked, q, (size_t)(eq - q) + 1);
				sb_puts(&masked, HTTP_REDACTED);
			} else {
				sb_add(&masked, q, param);
			}
			q += param;
		}
		sb_puts(&masked, q);
	}
	struct sb safe = SB_INIT;
	http_redact(&safe, masked.buf, masked.len, req);
	sb_release(&masked);
	http_elide_middle(&safe);
	return sb_detach(&safe, NULL);
}

/* ---- client ---- */

static void http_real_sleep(void *data, int64_t ms)
{
	(void)data;
	struct timespec ts = {.tv_sec = (time_t)(ms / 1000),
	                      .tv_nsec = (long)(ms % 1000) * 1000000};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int64_t http_real_now(void *data)
{
	(void)data;
	return ts_clock_ms();
}

/* CLOCK_MONOTONIC in ms: the wall clock, set back or forward while an
 * attempt ran (NTP, a suspended laptop), counted its jump as the attempt's
 * time. */
static int64_t http_real_elapsed(void *data)
{
	(void)data;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static bool http_stopped(const struct http_policy *pol)
{
	return pol->stopped && pol->stopped(pol->stop_data);
}

/* libcurl's progress callback, there only to end a transfer when asked to
 * stop: a non-zero answer aborts it. */
static int http_on_progress(void *data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                            curl_off_t ulnow)
{
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return http_stopped(data) ? 1 : 0;
}

int http_client_new(const struct http_policy *p, struct http_client **out, struct error *err)
{
	*out = NULL;
	int rc = dyncurl_load(err);
	if (rc < 0)
		return rc;
	CURL *curl = libcurl.curl_easy_init();
	if (!curl)
		return err_set(err, ERR_FAILED, "cannot start libcurl: curl_easy_init failed");

	struct http_client *c = xcalloc(1, sizeof *c);
	c->curl = curl;
	if (p)
		c->policy = *p;
	struct http_policy *pol = &c->policy;
	if (pol->max_attempts <= 0)
		pol->max_attempts = 5;
	if (pol->backoff_ms <= 0)
		pol->backoff_ms = 1000;
	if (pol->backoff_cap_ms <= 0)
		pol->backoff_cap_ms = 60000;
	if (pol->backoff_cap_ms < pol->backoff_ms)
		pol->backoff_cap_ms = pol->backoff_ms;
	if (pol->max_wait_ms <= 0)
		pol->max_wait_ms = HTTP_MAX_WAIT_MS;
	if (pol->timeout_ms <= 0)
		pol->timeout_ms = 60000;
	if (pol->connect_timeout_ms <= 0)
		pol->connect_timeout_ms = 10000;
	if (pol->max_body == 0 || pol->max_body > SB_DEFAULT_CAP)
		pol->max_body = pol->max_body ? SB_DEFAULT_CAP : HTTP_DEFAULT_BODY;
	if (!pol->sleep_ms)
		pol->sleep_ms = http_real_sleep;
	if (!pol->now_ms)
		pol->now_ms = http_real_now;
	if (!pol->elapsed_ms)
		pol->elapsed_ms = http_real_elapsed;
	rng_seed(&c->rng,
	         (uint64_t)ts_clock_ms() ^ (uint64_t)(uintptr_t)c ^ ((uint64_t)getpid() << 32));

	/* What does not change between requests; the handle keeps it. */
	libcurl.curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for timeouts */
	libcurl.curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	libcurl.curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, pol->timeout_ms);
	libcurl.curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, pol->connect_timeout_ms);
	libcurl.curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)pol->max_body);
	libcurl.curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	libcurl.curl_easy_setopt(curl, CURLOPT_USERAGENT, "plumb/" PLUMB_VERSION);
	libcurl.curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, c->curl_error);
	if (pol->stopped) {
		libcurl.curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, http_on_progress);
		libcurl.curl_easy_setopt(curl, CURLOPT_XFERINFODATA, pol);
		libcurl.curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	}
	*out = c;
	return 0;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	libcurl.curl_easy_cleanup(c->curl);
	free(c);
}

void http_response_free(struct http_response *r)
{
	free(r->body);
	free(r->etag);
	free(r->next_url);
	memset(r, 0, sizeof *r);
}

static size_t http_on_body(char *data, size_t size, size_t n, void *userdata)
{
	struct http_call *call = userdata;
	size_t bytes = size * n;
	if (bytes > call->c->policy.max_body - call->body.len) {
		call->too_big = true;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	sb_add(&call->body, data, bytes);
	return bytes;
}

static size_t http_on_header(char *data, size_t size, size_t n, void *userdata)
{
	struct http_call *call = userdata;
	size_t bytes = size * n;
	/* A new response (after a redirect or a 100): only the last body counts. */
	if (bytes >= 5 && memcmp(data, "HTTP/", 5) == 0)
		sb_reset(&call->body);
	return bytes;
}

/* The value of the last response's header name, or NULL. */
static const char *http_header(CURL *curl, const char *name)
{
	struct curl_header *h;
	if (libcurl.curl_easy_header(curl, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return NULL;
	return h->value;
}

/* A whole non-negative decimal number, or -1. */
static int64_t http_number(const char *s)
{
	if (!s)
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	bool too_big = errno == ERANGE;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end || (errno && !too_big))
		return -1;
	/* Digits past 64 bits are a very large number, not no number: a
	 * Retry-After of 10^20 s is a wait plumb refuses, not a guess. */
	return too_big ? INT64_MAX : (int64_t)v;
}

static bool http_has_ctl(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static bool http_retryable_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

/* Every 5xx but those that say the request can never work (501 Not
 * Implemented, 505 HTTP Version Not Supported), and 408: a proxy's 520 to
 * 524 (Cloudflare's) pass as a 503 does (found in the sync hunt: they failed
 * the run at once). */
static bool http_retryable_status(long status)
{
	return status == 408 || (status >= 500 && status <= 599 && status != 501 && status != 505);
}

/* Pause ms, telling on_wait first; counts what it slept into the response
 * and the client's waits: a stop that cuts it short counted the whole
 * pause toward total_wait_ms. */
static void http_pause(struct http_call *call, struct http_response *out, const char *why,
                       int64_t ms, bool retry)
{
	const struct http_policy *pol = &call->c->policy;
	if (pol->on_wait)
		pol->on_wait(pol->wait_data, why, ms, retry);
	/* In slices when it may be asked to stop: a rate-limit wait can be
	 * minutes long. */
	int64_t slice = pol->stopped ? 250 : ms, slept = 0;
	while (slept < ms && !http_stopped(pol)) {
		int64_t part = ms - slept < slice ? ms - slept : slice;
		pol->sleep_ms(pol->clock_data, part);
		slept += part;
	}
	out->waited_ms += slept;
	call->c->waited_total += slept;
}

static void http_detail_body(struct http_call *call, long status, struct error *err);

/* Whether a pause of ms (for why: "Retry-After", "backoff") would take the
 * client's waits past total_wait_ms: then the error, naming what the
 * request got (what) and what was waited before.  Each wait bounded alone,
 * a 5xx with a Retry-After of an hour was waited on every attempt of every
 * request, and one sync ran for hours (found in the sync hunt).  The failed
 * attempts' own time counts too: a server that answers a 5xx after 60 s, or
 * never, held a run 5 minutes a request with pauses of a few seconds. */
static int http_wait_spent(struct http_call *call, struct http_response *out, const char *what,
                           int64_t ms, const char *why, struct error *err)
{
	const struct http_policy *pol = &call->c->policy;
	int64_t done = call->c->waited_total;
	if (!pol->total_wait_ms || ms <= pol->total_wait_ms - done)
		return 0;
	char pause[64], limit[64], before[64];
	err_set(err, ERR_FAILED,
	        "%s: %s: not retried: %s more (%s) would take the waits past %s in all (%s "
	        "waited before, in pauses and failed attempts)",
	        call->url, what, http_duration(ms, pause, sizeof pause), why,
	        http_duration(pol->total_wait_ms, limit, sizeof limit),
	        http_duration(done, before, sizeof before));
	if (out->status)
		http_detail_body(call, out->status, err);
	out->out_of_wait = true;
	return err->code;
}

/* An attempt begun at began (the policy's elapsed clock) failed and is
 * retried or given up after retries: its time counts into the client's
 * waits, the last one's too (not counted, a request that gave up after 5
 * slow attempts left a fifth of its time out of the bound).  An answer
 * taken as final at once (a 404, a 403) is no wait and is not counted. */
static void http_attempt_failed(struct http_client *c, int64_t began)
{
	int64_t took = c->policy.elapsed_ms(c->policy.clock_data) - began;
	if (took > 0)
		c->waited_total += took;
}

/* Whether the client's waits already reached total_wait_ms: then no request
 * is begun, and the error names the bound.  Checked before a retry alone,
 * each further request of a run whose bound was spent still made an
 * attempt, each up to timeout_ms. */
static int http_waits_reached(struct http_call *call, struct http_response *out, struct error *err)
{
	const struct http_policy *pol = &call->c->policy;
	int64_t done = call->c->waited_total;
	if (!pol->total_wait_ms || done < pol->total_wait_ms)
		return 0;
	char limit[64], before[64];
	err_set(err, ERR_FAILED,
	        "%s: not requested: the waits reached the %s allowed in all (%s waited, in "
	        "pauses and failed attempts)",
	        call->url, http_duration(pol->total_wait_ms, limit, sizeof limit),
	        http_duration(done, before, sizeof before));
	out->out_of_wait = true;
	return err->code;
}

/* Backoff before transient retry number n (1-based): backoff_ms * 2^(n-1),
 * capped, then "equal jitter": a random point in its upper half, so workers
 * that failed together do not retry together. */
static int64_t http_backoff(struct http_client *c, int n)
{
	int64_t d = c->policy.backoff_ms;
	for (int i = 1; i < n && d < c->policy.backoff_cap_ms; i++)
		d = d > c->policy.backoff_cap_ms / 2 ? c->policy.backoff_cap_ms : d * 2;
	if (d > c->policy.backoff_cap_ms)
		d = c->policy.backoff_cap_ms;
	int64_t half = d / 2;
	return d - half + (int64_t)rng_below(&c->rng, (uint64_t)half + 1);
}

/*
 * The server's clock when it answered (its Date header), else ours.  A
 * Retry-After date and an X-RateLimit-Reset are times of the server's clock:
 * read against this machine's, one ten minutes ahead took a reset 3 s off
 * for past and retried into the same limit at once, and one an hour behind
 * took it for an hour off and gave up (found in the sync hunt).  Date counts
 * whole seconds, so a wait read against it is at most a second long.
 */
static int64_t http_server_now(struct http_client *c)
{
	const char *date = http_header(c->curl, "Date");
	time_t at = date ? libcurl.curl_getdate(date, NULL) : -1;
	return at > 0 ? (int64_t)at * 1000 : c->policy.now_ms(c->policy.clock_data);
}

/* Retry-After as milliseconds from now (seconds or an HTTP date), or -1. */
static int64_t http_retry_after(struct http_client *c, const char *value)
{
	if (!value)
		return -1;
	int64_t s = http_number(value);
	if (s >= 0)
		return s > INT64_MAX / 1000 ? INT64_MAX : s * 1000;
	time_t when = libcurl.curl_getdate(value, NULL);
	if (when < 0)
		return -1;
	int64_t ms = (int64_t)when * 1000 - http_server_now(c);
	return ms < 0 ? 0 : ms;
}

/* X-RateLimit-Reset as milliseconds from now (epoch seconds, or seconds
 * from now when too small to be an epoch), or -1. */
static int64_t http_rate_reset(struct http_client *c, const char *value)
{
	int64_t s = http_number(value);
	if (s < 0 || s > INT64_MAX / 1000)
		return -1;
	if (s < HTTP_EPOCH_FLOOR_S)
		return s * 1000;
	int64_t ms = s * 1000 - http_server_now(c);
	return ms < 0 ? 0 : ms; /* reset since it answered */
}

/*
 * Whether the last response (status) is a rate limit, and for how long to
 * wait: *wait_ms, *source naming the header it came from, and *none whether
 * the server asked for no wait at all (Retry-After 0, a reset past).
 */
static bool http_rate_limited(struct http_call *call, long status, int64_t *wait_ms,
                              const char **source, bool *none)
{
	CURL *curl = call->c->curl;
	const char *retry_after = http_header(curl, "Retry-After");
	const char *remaining = http_header(curl, "X-RateLimit-Remaining");
	bool exhausted = http_number(remaining) == 0;
	if (status != 403 && status != 429)
		return false;
	/* A Retry-After that is no number of seconds nor a date says nothing:
	 * a 403 is a refusal unless something else says rate limit (found in
	 * review: "abc" made a 403 a limit, waited on as if no header came). */
	int64_t ms = http_retry_after(call->c, retry_after);
	if (status == 403 && ms < 0 && !exhausted &&
	    !strstr(call->body.buf, "secondary rate limit"))
		return false;
	*source = "Retry-After";
	const char *reset = http_header(curl, "X-RateLimit-Reset");
	if (ms < 0 && exhausted) {
		ms = http_rate_reset(call->c, reset);
		*source = "X-RateLimit-Reset";
	}
	if (ms < 0) {
		ms = HTTP_RATE_GUESS_MS;
		*source = retry_after || (exhausted && reset)
		                  ? "Retry-After or X-RateLimit-Reset unreadable"
		                  : "no Retry-After nor X-RateLimit-Reset";
	}
	*none = ms < HTTP_RATE_MIN_MS;
	*wait_ms = *none ? HTTP_RATE_MIN_MS : ms;
	return true;
}

/* Up to HTTP_DETAIL_BYTES of the body, redacted, as the error's detail. */
static void http_detail_body(struct http_call *call, long status, struct error *err)
{
	/* Redacted before it is cut: a secret across the cut was printed up to
	 * it (found in review: 20 of a token's 21 characters).  Enough is
	 * redacted to hold any secret that starts before the cut. */
	struct http_secret secrets[HTTP_SECRETS];
	http_secrets(call->req, secrets);
	size_t longest = 0;
	for (size_t k = 0; k < HTTP_SECRETS; k++)
		longest = secrets[k].n > longest ? secrets[k].n : longest;
	size_t n = call->body.len;
	if (n > HTTP_DETAIL_BYTES + longest)
		n = HTTP_DETAIL_BYTES + longest;
	struct sb excerpt = SB_INIT;
	http_redact(&excerpt, call->body.buf, n, call->req);
	bool cut = excerpt.len > HTTP_DETAIL_BYTES || n < call->body.len;
	if (excerpt.len > HTTP_DETAIL_BYTES)
		excerpt.buf[HTTP_DETAIL_BYTES] = '\0';
	err_detail(err, "status %ld; response body%s: %s", status, cut ? " (first 200 bytes)" : "",
	           call->body.len ? excerpt.buf : "(empty)");
	sb_release(&excerpt);
}

/* The error for a final status that is neither success nor retried. */
static int http_status_error(struct http_call *call, long status, struct error *err)
{
	char st[64];
	http_status_text(status, st, sizeof st);
	const char *env = call->req->token_env;
	int rc;
	switch (status) {
	case 401:
		/* "Refused (expired or revoked?)" sent a user after a token that
		 * was never there (found in acceptance). */
		if (!(call->req->token && *call->req->token) && !call->req->auth_header) {
			rc = err_set(err, ERR_DENIED,
			             "%s: %s: the API wants credentials and none were sent",
			             call->url, st);
			http_detail_body(call, status, err);
			err_hint(err, "a source sends the token in the environment variable its "
			              "--token-env names; this one names none");
			return rc;
		}
		if (env && *env)
			rc = err_set(err, ERR_DENIED,
			             "%s: %s: the token in $%s was refused (expired or revoked?)",
			             call->url, st, env);
		else
			rc = err_set(err, ERR_DENIED,
			             "%s: %s: the credentials were refused (expired or revoked?)",
			             call->url, st);
		http_detail_body(call, status, err);
		if (env && *env)
			err_hint(err, "create a new token and set $%s to it", env);
		return rc;
	case 403:
		rc = err_set(err, ERR_DENIED, "%s: %s", call->url, st);
		http_detail_body(call, status, err);
		err_hint(err, "the token may lack a scope or access to this resource");
		return rc;
	case 404:
		rc = err_set(err, ERR_NOT_FOUND, "%s: %s", call->url, st);
		http_detail_body(call, status, err);
		err_hint(err, "check the names in the URL; APIs also answer 404 for what the token "
		              "may not see");
		return rc;
	default:
		rc = err_set(err, ERR_FAILED, "%s: %s", call->url, st);
		http_detail_body(call, status, err);
		return rc;
	}
}

/* scheme, host and port of url are those of base. */
static bool http_same_origin(const char *url, const char *base)
{
	CURLU *a = libcurl.curl_url(), *b = libcurl.curl_url();
	bool same = false;
	char *as = NULL, *ah = NULL, *ap = NULL, *bs = NULL, *bh = NULL, *bp = NULL;
	if (a && b && libcurl.curl_url_set(a, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    libcurl.curl_url_set(b, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    libcurl.curl_url_get(a, CURLUPART_SCHEME, &as, 0) == CURLUE_OK &&
	    libcurl.curl_url_get(b, CURLUPART_SCHEME, &bs, 0) == CURLUE_OK &&
	    libcurl.curl_url_get(a, CURLUPART_HOST, &ah, 0) == CURLUE_OK &&
	    libcurl.curl_url_get(b, CURLUPART_HOST, &bh, 0) == CURLUE_OK &&
	    libcurl.curl_url_get(a, CURLUPART_PORT, &ap, CURLU_DEFAULT_PORT) == CURLUE_OK &&
	    libcurl.curl_url_get(b, CURLUPART_PORT, &bp, CURLU_DEFAULT_PORT) == CURLUE_OK)
		same = !strcasecmp(as, bs) && !strcasecmp(ah, bh) && !strcmp(ap, bp);
	char *parts[] = {as, ah, ap, bs, bh, bp};
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
		libcurl.curl_free(parts[i]);
	libcurl.curl_url_cleanup(a);
	libcurl.curl_url_cleanup(b);
	return same;
}

/* link resolved against base (the URL that answered), malloc'd, or NULL. */
static char *http_resolve(const char *base, const char *link)
{
	CURLU *u = libcurl.curl_url();
	char *abs = NULL, *copy = NULL;
	if (u && libcurl.curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    libcurl.curl_url_set(u, CURLUPART_URL, link, 0) == CURLUE_OK &&
	    libcurl.curl_url_get(u, CURLUPART_URL, &abs, 0) == CURLUE_OK)
		copy = xstrdup(abs);
	libcurl.curl_free(abs);
	libcurl.curl_url_cleanup(u);
	return copy;
}

/* Fill out's etag and next_url from the last response. */
static int http_take_headers(struct http_call *call, struct http_response *out, struct error *err)
{
	CURL *curl = call->c->curl;
	/* An ETag holding a control character (a tab) is none plumb can send
	 * back: kept, every later request of the resource was refused before
	 * it went, for good (found in the sync hunt). */
	const char *etag = http_header(curl, "ETag");
	if (etag && *etag && !http_has_ctl(etag))
		out->etag = xstrdup(etag);
	struct curl_header *h;
	char *next = NULL;
	for (size_t i = 0; !next; i++) {
		if (libcurl.curl_easy_header(curl, "Link", i, CURLH_HEADER, -1, &h) != CURLHE_OK)
			break;
		next = http_link_next(h->value);
		if (i + 1 >= h->amount)
			break;
	}
	if (!next)
		return 0;
	char *effective = NULL;
	libcurl.curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &effective);
	out->next_url = http_resolve(effective ? effective : call->req->url, next);
	free(next);
	if (!out->next_url || !http_same_origin(out->next_url, call->req->url)) {
		free(out->next_url);
		out->next_url = NULL;
		err_set(err, ERR_INVALID,
		        "%s: the Link header's next page is on another host or unreadable; "
		        "plumb does not send the token there",
		        call->url);
		return err->code;
	}
	return 0;
}

/* Headers of req as a curl list; ERR_INVALID for a value with a line break. */
static int http_request_headers(const struct http_request *req, const char *url,
                                struct curl_slist **list, struct error *err)
{
	if (http_has_ctl(req->token) || http_has_ctl(req->auth_header) || http_has_ctl(req->accept))
		return err_set(err, ERR_INVALID, "%s: a request header holds a control character",
		               url);
	struct sb line = SB_INIT;
	*list = NULL;
	if (req->auth_header)
		sb_printf(&line, "Authorization: %s", req->auth_header);
	else if (req->token && *req->token)
		sb_printf(&line, "Authorization: Bearer %s", req->token);
	if (line.len)
		*list = libcurl.curl_slist_append(*list, line.buf);
	sb_reset(&line);
	if (req->accept) {
		sb_printf(&line, "Accept: %s", req->accept);
		*list = libcurl.curl_slist_append(*list, line.buf);
		sb_reset(&line);
	}
	/* One with a control character (an ETag stored before http_get stopped
	 * handing such out) is left out: the request asks for the whole
	 * resource, as without one. */
	if (req->if_none_match && !http_has_ctl(req->if_none_match)) {
		sb_printf(&line, "If-None-Match: %s", req->if_none_match);
		*list = libcurl.curl_slist_append(*list, line.buf);
	}
	/* The token was in line: do not leave it in freed memory. */
	if (line.alloc)
		memset(line.buf, 0, line.alloc);
	sb_release(&line);
	return 0;
}

static bool http_url_scheme_ok(const char *url)
{
	return !strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8);
}

/* ERR_FAILED "gave up after N attempts: last ..." */
static int http_gave_up(struct http_call *call, const struct http_response *out, const char *last,
                        CURLcode failed, struct error *err)
{
	int rc = err_set(err, ERR_FAILED, "%s: gave up after %d attempts: last %s", call->url,
	                 out->attempts, last);
	if (out->status)
		http_detail_body(call, out->status, err);
	/* A name that does not resolve, or an address where nothing listens,
	 * is more often a wrong URL or this machine's network than an outage. */
	if (failed == CURLE_COULDNT_RESOLVE_HOST || failed == CURLE_COULDNT_RESOLVE_PROXY)
		err_hint(err, "the host name does not resolve here: check the source's URL "
		              "('plumb source list') and this machine's DNS or proxy");
	else if (failed == CURLE_COULDNT_CONNECT)
		err_hint(err, "nothing answers at that address: check the source's URL ('plumb "
		              "source list') and this machine's network (a firewall, a proxy)");
	else
		err_hint(err, "the service may be down or overloaded; run the sync again later");
	return rc;
}

static int http_stop_error(struct http_call *call, struct error *err)
{
	int rc = err_set(err, ERR_FAILED, "%s: not read: asked to stop", call->url);
	err_hint(err, "the sync was stopped (the server shutting down); the next one reads it");
	return rc;
}

/* ERR_INVALID for a redirect from the request's origin to the URL to. */
static int http_redirect_error(struct http_call *call, long status, const char *to,
                               struct error *err)
{
	struct http_request there = *call->req;
	there.url = to;
	char *safe_to = http_safe_url(&there);
	char st[64];
	int rc = err_set(err, ERR_INVALID,
	                 "%s: redirected to another host; plumb reads a source only from its "
	                 "API's host",
	                 call->url);
	err_detail(err, "%s to %s", http_status_text(status, st, sizeof st), safe_to);
	err_hint(err, "if the API has moved there, give the source that URL (--api-url)");
	free(safe_to);
	return rc;
}

/*
 * One attempt: GET req->url, then each redirect on its origin, by hand and
 * at most HTTP_MAX_REDIRECTS; a redirect to another origin is refused before
 * anything is sent there.  Not curl's own following: it went there, retried
 * there, and reported that origin's 503 or 401 as the API's (found in
 * review).  Returns curl's code with *status, and in *refused the error's
 * code (0 for none).
 */
static CURLcode http_attempt(struct http_call *call, long *status, int *refused, struct error *err)
{
	CURL *curl = call->c->curl;
	libcurl.curl_easy_setopt(curl, CURLOPT_URL, call->req->url);
	for (int hops = 0;; hops++) {
		*status = 0;
		CURLcode rc = libcurl.curl_easy_perform(curl);
		if (rc != CURLE_OK)
			return rc;
		libcurl.curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
		char *to = NULL;
		/* A 304 is the ETag's match, whatever Location it carries;
		 * curl resolves a relative Location against the URL asked. */
		if (*status < 300 || *status > 399 || *status == 304 ||
		    libcurl.curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &to) != CURLE_OK || !to)
			return CURLE_OK;
		if (!http_same_origin(to, call->req->url)) {
			*refused = http_redirect_error(call, *status, to, err);
			return CURLE_OK;
		}
		if (hops == HTTP_MAX_REDIRECTS) {
			*refused = err_set(err, ERR_FAILED, "%s: more than %d redirects", call->url,
			                   HTTP_MAX_REDIRECTS);
			return CURLE_OK;
		}
		/* Copied: the pointer is the handle's, replaced by the next request. */
		char *next = xstrdup(to);
		libcurl.curl_easy_setopt(curl, CURLOPT_URL, next);
		free(next);
	}
}

/* The retry loop of http_get; call->body holds the last body. */
static int http_get_loop(struct http_call *call, struct http_response *out, struct error *err)
{
	struct http_client *c = call->c;
	const struct http_policy *pol = &c->policy;
	int transient = 0, rate_waits = 0;
	char last[CURL_ERROR_SIZE + 64], why[1024], dur[64];
	if (http_waits_reached(call, out, err))
		return err->code;
	for (;;) {
		if (http_stopped(pol))
			return http_stop_error(call, err);
		sb_reset(&call->body);
		call->too_big = false;
		c->curl_error[0] = '\0';
		long status;
		int refused = 0;
		int64_t began = pol->elapsed_ms(pol->clock_data);
		CURLcode rc = http_attempt(call, &status, &refused, err);
		out->attempts++;
		out->status = status;
		if (refused)
			return refused;
		if (rc == CURLE_ABORTED_BY_CALLBACK)
			return http_stop_error(call, err);

		if ((rc == CURLE_WRITE_ERROR && call->too_big) || rc == CURLE_FILESIZE_EXCEEDED) {
			err_set(err, ERR_TOO_BIG, "%s: the response is larger than %zu bytes",
			        call->url, pol->max_body);
			err_hint(err, "ask for smaller pages, or raise the body limit");
			return err->code;
		}
		if (rc != CURLE_OK) {
			struct sb text = SB_INIT;
			const char *what =
			        c->curl_error[0] ? c->curl_error : libcurl.curl_easy_strerror(rc);
			http_redact(&text, what, strlen(what), call->req);
			snprintf(last, sizeof last, "%s", text.buf);
			sb_release(&text);
			if (!http_retryable_curl(rc)) {
				err_set(err,
				        rc == CURLE_UNSUPPORTED_PROTOCOL ? ERR_INVALID : ERR_FAILED,
				        "%s: %s", call->url, last);
				/* curl says no more than this of a response header over
				 * its 100 KB (found in review). */
				if (rc == CURLE_OUT_OF_MEMORY)
					err_hint(err,
					         "a response header larger than curl's limit of "
					         "100 KB gives this");
				return err->code;
			}
			http_attempt_failed(c, began);
			if (++transient >= pol->max_attempts)
				return http_gave_up(call, out, last, rc, err);
			int64_t ms = http_backoff(c, transient);
			if (http_wait_spent(call, out, last, ms, "backoff", err))
				return err->code;
			snprintf(why, sizeof why, "%s: %s; retry %d of %d in %s", call->url, last,
			         transient + 1, pol->max_attempts,
			         http_duration(ms, dur, sizeof dur));
			http_pause(call, out, why, ms, true);
			continue;
		}

		if ((status >= 200 && status < 300) || status == 304)
			return 0;

		char st[64];
		http_status_text(status, st, sizeof st);
		int64_t wait_ms;
		const char *source;
		bool asked_none;
		if (http_rate_limited(call, status, &wait_ms, &source, &asked_none)) {
			out->rate_limited =
			        wait_ms > pol->max_wait_ms || rate_waits + 1 >= pol->max_attempts;
			if (wait_ms > pol->max_wait_ms) {
				char when[TS_BUF], max[64];
				/* The reset's time only while it is one: a wait of 2^63 ms
				 * overflowed the sum, a crash under the sanitizers (found
				 * in review). */
				int64_t now = pol->now_ms(pol->clock_data);
				bool dated = wait_ms <= HTTP_LATEST_MS - now;
				if (dated)
					ts_format(now + wait_ms, when);
				err_set(err, ERR_FAILED,
				        "%s: %s: rate limited %s%s (%s%s), longer than the %s "
				        "plumb "
				        "waits",
				        call->url, st, dated ? "until " : "for", dated ? when : "",
				        dated ? "in " : "", http_duration(wait_ms, dur, sizeof dur),
				        http_duration(pol->max_wait_ms, max, sizeof max));
				http_detail_body(call, status, err);
				if (dated)
					err_hint(err,
					         "Run the sync again after %s (the limit resets "
					         "then, "
					         "per %s).",
					         when, source);
				else
					err_hint(err,
					         "The server's %s names no time plumb can wait "
					         "for; run the sync again later.",
					         source);
				return err->code;
			}
			http_attempt_failed(c, began);
			if (++rate_waits >= pol->max_attempts) {
				snprintf(last, sizeof last, "%s (rate limited)", st);
				return http_gave_up(call, out, last, CURLE_OK, err);
			}
			/* Asked to wait no time (Retry-After 0, a reset already past):
			 * the backoff's, growing, rather than a second each time
			 * (found in the sync hunt).  A Retry-After of 1 asks for a
			 * second, which is waited as asked (found in the sync hunt:
			 * taken for none, it got the backoff's growing pauses). */
			if (asked_none) {
				int64_t backoff = http_backoff(c, rate_waits);
				wait_ms = backoff > wait_ms ? backoff : wait_ms;
			}
			snprintf(last, sizeof last, "%s (rate limited)", st);
			if (http_wait_spent(call, out, last, wait_ms, source, err))
				return err->code;
			snprintf(why, sizeof why, "%s: %s: rate limited; waiting %s (%s)",
			         call->url, st, http_duration(wait_ms, dur, sizeof dur), source);
			http_pause(call, out, why, wait_ms, false);
			continue;
		}

		if (http_retryable_status(status)) {
			int64_t ms = http_retry_after(c, http_header(c->curl, "Retry-After"));
			/* Asked for longer than plumb waits (maintenance): said at
			 * once, as a rate limit is; the backoff's few quick attempts
			 * into it ended in "gave up", the server's word lost.  A
			 * final answer, not waited on: not counted toward
			 * total_wait_ms either (found in the sync hunt: counted, it
			 * spent a run's bound on waits never made).  The server is
			 * down past the wait for every request, as under a rate
			 * limit: rate_limited, so a sync stops rather than send each
			 * further request into the same maintenance (found in the
			 * sync hunt). */
			if (ms > pol->max_wait_ms) {
				char when[TS_BUF], max[64];
				int64_t now = pol->now_ms(pol->clock_data);
				bool dated = ms <= HTTP_LATEST_MS - now;
				if (dated)
					ts_format(now + ms, when);
				out->rate_limited = true;
				err_set(err, ERR_FAILED,
				        "%s: %s: asked to retry in %s (Retry-After), longer than "
				        "the %s plumb waits",
				        call->url, st, http_duration(ms, dur, sizeof dur),
				        http_duration(pol->max_wait_ms, max, sizeof max));
				http_detail_body(call, status, err);
				if (dated)
					err_hint(err, "Run the sync again after %s.", when);
				else
					err_hint(err, "Run the sync again later.");
				return err->code;
			}
			http_attempt_failed(c, began);
			if (++transient >= pol->max_attempts)
				return http_gave_up(call, out, st, CURLE_OK, err);
			/* A Retry-After lengthens the backoff, never shortens it: one
			 * of 0 (or a date past by the server's clock) sent the
			 * attempts in a row with no pause at all (found in the sync
			 * hunt). */
			int64_t backoff = http_backoff(c, transient);
			if (ms < backoff)
				ms = backoff;
			if (http_wait_spent(call, out, st, ms,
			                    ms == backoff ? "backoff" : "Retry-After", err))
				return err->code;
			snprintf(why, sizeof why, "%s: %s; retry %d of %d in %s", call->url, st,
			         transient + 1, pol->max_attempts,
			         http_duration(ms, dur, sizeof dur));
			http_pause(call, out, why, ms, true);
			continue;
		}
		return http_status_error(call, status, err);
	}
}

int http_get(struct http_client *c, const struct http_request *req, struct http_response *out,
             struct error *err)
{
	memset(out, 0, sizeof *out);
	if (!req->url)
		BUG("http_get without a URL");
	struct http_call call = {.c = c, .req = req};
	char *safe_url = http_safe_url(req);
	call.url = safe_url;
	if (!http_url_scheme_ok(req->url)) {
		int rc = err_set(err, ERR_INVALID, "%s: only http and https URLs are fetched",
		                 safe_url);
		free(safe_url);
		return rc;
	}
	struct curl_slist *headers = NULL;
	if (http_request_headers(req, safe_url, &headers, err)) {
		free(safe_url);
		return err->code;
	}
	sb_init(&call.body, c->policy.max_body + 1);

	CURL *curl = c->curl;
	libcurl.curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
	libcurl.curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	libcurl.curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, http_on_body);
	libcurl.curl_easy_setopt(curl, CURLOPT_WRITEDATA, &call);
	libcurl.curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, http_on_header);
	libcurl.curl_easy_setopt(curl, CURLOPT_HEADERDATA, &call);

	int rc = http_get_loop(&call, out, err);
	if (rc == 0)
		rc = http_take_headers(&call, out, err);
	if (rc == 0) {
		out->body = sb_detach(&call.body, &out->len);
	} else {
		free(out->etag);
		free(out->next_url);
		out->etag = out->next_url = NULL;
	}

	/* The handle outlives this call: leave it pointing at nothing of ours. */
	libcurl.curl_easy_setopt(curl, CURLOPT_HTTPHEADER, NULL);
	libcurl.curl_easy_setopt(curl, CURLOPT_WRITEDATA, NULL);
	libcurl.curl_easy_setopt(curl, CURLOPT_HEADERDATA, NULL);
	libcurl.curl_slist_free_all(headers);
	sb_release(&call.body);
	free(safe_url);
	return rc;
}

/* ---- RFC 8288 Link ---- */

static const char *http_skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Whether the space-separated relation types in [v, v+n) include "next". */
static bool http_rel_has_next(const char *v, size_t n)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		size_t start = i;
		while (i < n && v[i] != ' ' && v[i] != '\t')
			i++;
		if (i - start == 4 && !strncasecmp(v + start, "next", 4))
			return true;
	}
	return false;
}

/*
 * One link-param value at *pp (a token or a quoted-string) into val,
 * unescaped; advances *pp.  Returns false when malformed.
 */
static bool http_link_value(const char **pp, struct sb *val)
{
	const char *p = *pp;
	if (*p == '"') {
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1])
				p++;
			sb_putc(val, *p);
		}
		if (*p != '"')
			return false;
		p++;
	} else {
		size_t n = strcspn(p, ";, \t");
		sb_add(val, p, n);
		p += n;
	}
	*pp = p;
	return true;
}

char *http_link_next(const char *link_header)
{
	if (!link_header)
		return NULL;
	const char *p = link_header;
	struct sb val = SB_INIT;
	char *found = NULL;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p != '<')
			break; /* the end, or malformed */
		const char *uri = ++p;
		const char *close = strchr(uri, '>');
		if (!close)
			break;
		p = http_skip_ws(close + 1);
		bool next = false, seen_rel = false, ok = true;
		while (*p == ';') {
			p = http_skip_ws(p + 1);
			size_t name_len = strcspn(p, "=;, \t");
			const char *name = p;
			p = http_skip_ws(p + name_len);
			sb_reset(&val);
			if (*p == '=') {
				p = http_skip_ws(p + 1);
				if (!http_link_value(&p, &val)) {
					ok = false;
					break;
				}
				p = http_skip_ws(p);
			}
			/* RFC 8288 3.3: only the first rel counts. */
			if (name_len == 3 && !strncasecmp(name, "rel", 3) && !seen_rel) {
				seen_rel = true;
				next = http_rel_has_next(val.buf, val.len);
			}
		}
		if (!ok || (*p && *p != ','))
			break;
		if (next) {
			found = xstrndup(uri, (size_t)(close - uri));
			break;
		}
	}
	sb_release(&val);
	return found;
}
