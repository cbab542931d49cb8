/* server: the libmicrohttpd daemon, limits, dispatch, access log and shutdown. */
#include "server/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/fileio.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "ingest/sync.h"
#include "ingest/webhook_queue.h"
#include "server/pages.h"
#include "server/server_int.h"
#include "store/store.h"

/* ---- replies ------------------------------------------------------------ */

void reply_header(struct reply *r, const char *name, const char *fmt, ...)
{
	if (r->nheaders == REPLY_MAX_HEADERS)
		BUG("reply has more than %d headers", REPLY_MAX_HEADERS);
	struct sb v = SB_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&v, fmt, ap);
	va_end(ap);
	r->headers[r->nheaders].name = name;
	r->headers[r->nheaders].value = sb_detach(&v, NULL);
	r->nheaders++;
}

void reply_location(struct reply *r, const char *url)
{
	/* Bytes a URL does not hold raw (a next typed with a non-ASCII name)
	 * percent-encoded: clients read raw bytes in a header differently. */
	struct sb v = SB_INIT;
	for (const unsigned char *c = (const unsigned char *)url; *c; c++)
		if (*c <= 0x20 || *c >= 0x7f)
			sb_printf(&v, "%%%02X", *c);
		else
			sb_putc(&v, (char)*c);
	reply_header(r, "Location", "%s", v.buf);
	sb_release(&v);
}

bool server_error_conceal(struct error *err)
{
	int code = err->code ? err->code : ERR_FAILED;
	bool own = err_http_status(code) >= 500;
	if (!own && !err->detail_private)
		return false;
	unsigned char raw[4];
	randombytes_buf(raw, sizeof raw);
	char ref[9];
	snprintf(ref, sizeof ref, "%02x%02x%02x%02x", raw[0], raw[1], raw[2], raw[3]);
	/* Made visible (utf8_put_visible): a line break in a driver's text
	 * must not forge a line of the log. */
	struct sb text = SB_INIT, line = SB_INIT;
	sb_printf(&text, "reference %s: %s: %s", ref, err_code_name(code),
	          err->message[0] ? err->message : err_code_name(code));
	if (err->detail[0])
		sb_printf(&text, "; detail: %s", err->detail);
	if (err->hint[0])
		sb_printf(&text, "; hint: %s", err->hint);
	utf8_put_visible(&line, text.buf, false);
	fprintf(stderr, "plumb serve: %s\n", line.buf);
	sb_release(&text);
	sb_release(&line);
	err->detail[0] = '\0';
	err->detail_private = false;
	err->code = code;
	/* The client's error (a conflict a race let through to the database)
	 * keeps its message, written for the client, and its hint. */
	if (!own) {
		size_t len = strlen(err->message);
		snprintf(err->message + len, sizeof err->message - len, " (reference %s)", ref);
		return true;
	}
	struct error plain = {0};
	err_set(&plain, code, NULL);
	snprintf(err->message, sizeof err->message, "%.400s (reference %s)", plain.message, ref);
	/* Which entry does not verify stays in the log; that the operator's
	 * 'plumb audit verify' finds it is safe to say. */
	snprintf(err->hint, sizeof err->hint, "%s",
	         code == ERR_TAMPERED
	                 ? "'plumb audit verify' shows where the log was changed; the server's "
	                   "log holds the rest under the reference"
	                 : "if it goes on, give the server's operator the reference, which its "
	                   "log holds");
	return true;
}

void reply_error(struct reply *r, const struct error *err)
{
	struct error told = *err;
	server_error_conceal(&told);
	reply_error_own(r, &told);
}

void reply_error_own(struct reply *r, const struct error *err)
{
	int code = err->code ? err->code : ERR_FAILED;
	r->status = err_http_status(code);
	if (r->status == 401 && r->nheaders < REPLY_MAX_HEADERS)
		reply_header(r, "WWW-Authenticate", "Bearer realm=\"plumb\"");
	if (r->status == 503 && r->nheaders < REPLY_MAX_HEADERS)
		reply_header(r, "Retry-After", "1");
	r->type = "application/json";
	sb_reset(&r->body);
	struct jw w;
	jw_init(&w, &r->body, false);
	jw_object_begin(&w);
	jw_key(&w, "error");
	jw_object_begin(&w);
	jw_kstr(&w, "code", err_code_name(code));
	jw_kstr(&w, "message", err->message[0] ? err->message : err_code_name(code));
	jw_kstr(&w, "detail", err->detail[0] ? err->detail : NULL);
	jw_kstr(&w, "hint", err->hint[0] ? err->hint : NULL);
	jw_object_end(&w);
	jw_object_end(&w);
	sb_putc(&r->body, '\n');
}

void reply_release(struct reply *r)
{
	cached_release(r->cached);
	r->cached = NULL;
	sb_release(&r->body);
	for (int i = 0; i < r->nheaders; i++)
		free(r->headers[i].value);
	r->nheaders = 0;
}

static void reply_simple_error(struct reply *r, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void reply_simple_error(struct reply *r, int code, const char *fmt, ...)
{
	struct error err = {0};
	char msg[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	err_set(&err, code, "%s", msg);
	reply_error(r, &err);
}

/* ---- request helpers ---------------------------------------------------- */

const char *request_header(const struct request *req, const char *name)
{
	return mhd.MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

struct header_count {
	const char *name;
	int n;
};

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
	(void)kind;
	(void)value;
	struct header_count *c = cls;
	c->n += strcasecmp(key, c->name) == 0;
	return MHD_YES;
}

const char *request_host(const struct request *req)
{
	return req->authority ? req->authority : request_header(req, "Host");
}

int request_header_count(const struct request *req, const char *name)
{
	struct header_count c = {name, 0};
	mhd.MHD_get_connection_values(req->conn, MHD_HEADER_KIND, count_header, &c);
	return c.n;
}

const char *request_query(const struct request *req, const char *name)
{
	return mhd.MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result count_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                       const char *value)
{
	(void)kind;
	(void)value;
	struct header_count *c = cls;
	c->n += strcmp(key, c->name) == 0;
	return MHD_YES;
}

int request_query_count(const struct request *req, const char *name)
{
	struct header_count c = {name, 0};
	mhd.MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, count_query_arg, &c);
	return c.n;
}

int request_cookie_count(const struct request *req, const char *name)
{
	struct header_count c = {name, 0};
	mhd.MHD_get_connection_values(req->conn, MHD_COOKIE_KIND, count_query_arg, &c);
	return c.n;
}

struct cookie_find {
	const char *name;
	const char **values;
	int max, n;
};

static enum MHD_Result find_cookie(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
	(void)kind;
	struct cookie_find *f = cls;
	if (strcmp(key, f->name) != 0 || !value)
		return MHD_YES;
	f->values[f->n++] = value;
	return f->n < f->max ? MHD_YES : MHD_NO;
}

int request_cookie_values(const struct request *req, const char *name, const char **values, int max)
{
	/* By its name as set, case and all, as browsers keep cookies:
	 * libmicrohttpd's lookup ignores case, and read a PLUMB_SESSION (or a
	 * __host-plumb_session, no prefix a browser enforces) that a sibling
	 * host set before the real one (found hunting). */
	struct cookie_find f = {name, values, max, 0};
	mhd.MHD_get_connection_values(req->conn, MHD_COOKIE_KIND, find_cookie, &f);
	return f.n;
}

bool request_cookie(const struct request *req, const char *name, char *out, size_t cap)
{
	const char *v = NULL;
	if (!request_cookie_values(req, name, &v, 1) || strlen(v) >= cap)
		return false;
	snprintf(out, cap, "%s", v);
	return true;
}

int hex_digit(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

bool path_segment_decode(char *seg)
{
	char *out = seg;
	for (const char *in = seg; *in; in++) {
		int hi, lo;
		if (*in == '%' && (hi = hex_digit(in[1])) >= 0 && (lo = hex_digit(in[2])) >= 0) {
			if (!hi && !lo)
				return false;
			*out++ = (char)(hi * 16 + lo);
			in += 2;
		} else {
			*out++ = *in;
		}
	}
	*out = '\0';
	return utf8_valid(seg, (size_t)(out - seg));
}

long form_decode(const char *in, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t k = 0; k < n; k++) {
		char c = in[k];
		if (c == '+') {
			c = ' ';
		} else if (c == '%' && k + 2 < n && hex_digit(in[k + 1]) >= 0 &&
		           hex_digit(in[k + 2]) >= 0) {
			c = (char)(hex_digit(in[k + 1]) * 16 + hex_digit(in[k + 2]));
			k += 2;
		}
		if (o + 1 >= cap || c == '\0')
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return (long)o;
}

bool form_next(const char *body, size_t len, size_t *at, struct form_span *f)
{
	if (*at >= len)
		return false;
	const char *start = body + *at, *amp = memchr(start, '&', len - *at);
	size_t n = amp ? (size_t)(amp - start) : len - *at;
	const char *eq = memchr(start, '=', n);
	f->name = start;
	f->name_len = eq ? (size_t)(eq - start) : n;
	f->value = eq ? eq + 1 : start + n;
	f->value_len = eq ? n - f->name_len - 1 : 0;
	f->has_value = eq != NULL;
	*at += n + 1;
	return true;
}

bool form_field(const char *body, size_t len, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name), at = 0;
	struct form_span f;
	/* A name is compared decoded, as a browser may encode it; one longer
	 * encoded than name never decodes to more. */
	char *decoded = xmalloc(n + 2);
	bool found = false;
	while (!found && form_next(body, len, &at, &f))
		found = f.has_value && f.name_len >= n &&
		        form_decode(f.name, f.name_len, decoded, n + 2) == (long)n &&
		        memcmp(decoded, name, n) == 0;
	free(decoded);
	return found && form_decode(f.value, f.value_len, out, cap) >= 0;
}

/* A field's name as said in an error: itself when it is UTF-8. */
static void say_field(struct error *err, const char *what, const char *name, size_t n,
                      const char *problem)
{
	if (name && utf8_valid(name, n))
		err_set(err, ERR_USAGE, "%s '%s' holds %s", what, name, problem);
	else
		err_set(err, ERR_USAGE, "a %s holds %s", what, problem);
}

int request_form_once(const char *body, size_t len, struct error *err)
{
	char *name = xmalloc(len + 1);
	struct hmap seen;
	hmap_init(&seen);
	int rc = 0;
	size_t at = 0;
	struct form_span f;
	while (rc == 0 && form_next(body, len, &at, &f)) {
		long n = f.has_value && f.name_len ? form_decode(f.name, f.name_len, name, len + 1)
		                                   : -1;
		if (n >= 0 && !hmap_put(&seen, name, 0)) {
			if (utf8_valid(name, (size_t)n))
				err_set(err, ERR_USAGE, "form field '%s' given more than once",
				        name);
			else
				err_set(err, ERR_USAGE, "a form field is given more than once");
			err_detail(err,
			           "a form gives each field once; nothing of the form was read or "
			           "saved");
			err_hint(err, "send each form field once");
			rc = ERR_USAGE;
		}
	}
	hmap_release(&seen);
	free(name);
	return rc;
}

/* Whether every field of the form is text: named and valued in UTF-8,
 * without a NUL; err names the first that is not. */
static int form_text_check(const char *body, size_t len, struct error *err)
{
	char *name = xmalloc(len + 1), *value = xmalloc(len + 1);
	int rc = 0;
	size_t at = 0;
	struct form_span f;
	while (rc == 0 && form_next(body, len, &at, &f)) {
		long n = form_decode(f.name, f.name_len, name, len + 1);
		long v = form_decode(f.value, f.value_len, value, len + 1);
		if (n < 0 || v < 0) {
			say_field(err, "form field", n < 0 ? NULL : name, (size_t)(n < 0 ? 0 : n),
			          "a NUL character (%00)");
			rc = ERR_USAGE;
		} else if (!utf8_valid(name, (size_t)n) || !utf8_valid(value, (size_t)v)) {
			say_field(err, "form field", name, (size_t)n, "bytes that are not UTF-8");
			rc = ERR_USAGE;
		}
	}
	free(name);
	free(value);
	if (rc < 0)
		err_detail(err, "nothing of the form was read or saved");
	return rc;
}

int request_form_check(const char *body, size_t len, struct error *err)
{
	int rc = form_text_check(body, len, err);
	return rc < 0 ? rc : request_form_once(body, len, err);
}

struct query_check {
	struct error *err;
	int rc;
};

static enum MHD_Result check_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                       size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	struct query_check *q = cls;
	size_t key_len = strlen(key);
	if (key_len != key_size || (value && strlen(value) != value_size)) {
		say_field(q->err, "query argument", key, key_len, "a NUL character (%00)");
		err_detail(q->err, "it would end the value there");
	} else if (!utf8_valid(key, key_size) || (value && !utf8_valid(value, value_size))) {
		err_set(q->err, ERR_USAGE, "a query argument holds bytes that are not UTF-8");
	} else {
		return MHD_YES;
	}
	q->rc = ERR_USAGE;
	return MHD_NO;
}

int request_query_check(const struct request *req, struct error *err)
{
	struct query_check q = {err, 0};
	mhd.MHD_get_connection_values_n(req->conn, MHD_GET_ARGUMENT_KIND, check_query_arg, &q);
	return q.rc;
}

/* ---- workers ------------------------------------------------------------ */

int server_open_ctx(struct server *s, struct ctx **out, struct error *err)
{
	int rc = ctx_open_sibling(s->main, out, err);
	if (rc < 0)
		return rc;
	/* A request's wait is the access log's to tell (its time), not a
	 * line on the terminal the server was started from; nor is that of
	 * the workers a sync opens from this ctx, nor a sync's progress, which
	 * the access log sums up. */
	ctx_set_wait_notice(*out, NULL, NULL);
	(*out)->progress = NULL;
	(*out)->source_hosts = s->opts->source_hosts;
	(*out)->nsource_hosts = s->opts->nsource_hosts;
	rc = store_set_lock_wait((*out)->store, s->opts->lock_wait_ms, err);
	if (rc < 0) {
		ctx_close(*out);
		*out = NULL;
	}
	return rc;
}

static _Thread_local struct ctx *worker_ctx;

struct ctx *server_worker_ctx(struct server *s, struct error *err)
{
	if (worker_ctx)
		return worker_ctx;
	struct ctx *ctx;
	if (server_open_ctx(s, &ctx, err) < 0)
		return NULL;
	pthread_mutex_lock(&s->lock);
	s->workers = xgrow(s->workers, s->nworkers, &s->aworkers, sizeof *s->workers);
	s->workers[s->nworkers++] = ctx;
	pthread_mutex_unlock(&s->lock);
	worker_ctx = ctx;
	return ctx;
}

/* ---- dispatch ----------------------------------------------------------- */

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Whether req's method is one of allow ("GET, HEAD"); if not, out is the 405
 * JSON error with the Allow header, as the API answers. */
static bool method_allowed(const struct request *req, const char *allow, struct reply *out)
{
	size_t n = strlen(req->method);
	for (const char *m = allow; *m; m += strspn(m, ", ")) {
		size_t len = strcspn(m, ",");
		if (len == n && strncmp(m, req->method, n) == 0)
			return true;
		m += len;
	}
	struct error err = {0};
	err_set(&err, ERR_USAGE, "method %s is not allowed here", req->method);
	err_detail(&err, "this route takes %s", allow);
	reply_error(out, &err);
	out->status = 405;
	reply_header(out, "Allow", "%s", allow);
	return false;
}

/* A plumb bob, for the browser tab: every browser asks for /favicon.ico,
 * and a 404 on every page is an error in its console.  Public, like the
 * sign-in page's look; SVG, which browsers take as an icon. */
static const char favicon_svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">"
                                  "<rect width=\"16\" height=\"16\" rx=\"3\" fill=\"#17324d\"/>"
                                  "<path d=\"M8 2v5\" stroke=\"#fff\" stroke-width=\"1.5\"/>"
                                  "<path d=\"M4.5 7h7L8 14z\" fill=\"#f2a900\"/></svg>\n";

static void handle_healthz(struct server *s, struct ctx *ctx, struct reply *out)
{
	struct error err = {0};
	int64_t seq;
	if (!ctx || audit_head_seq(ctx->store, &seq, &err) < 0) {
		out->status = 503;
		sb_puts(&out->body, "{\"status\":\"unavailable\"}\n");
	} else {
		out->status = 200;
		sb_puts(&out->body, "{\"status\":\"ok\"}\n");
	}
	(void)s;
	out->type = "application/json";
}

struct source_age_arg {
	struct sb *out;
	int64_t now;
};

static void source_age_line(void *data, const char *source, int64_t at)
{
	struct source_age_arg *a = data;
	sb_puts(a->out, "plumb_source_last_sync_age_seconds{source=\"");
	for (const char *p = source; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_putc(a->out, '\\');
		if (*p != '\n')
			sb_putc(a->out, *p);
	}
	sb_printf(a->out, "\"} %.3f\n", (double)(a->now - at) / 1000.0);
}

static void handle_metrics(struct server *s, struct ctx *ctx, struct reply *out)
{
	out->status = 200;
	out->type = "text/plain; version=0.0.4";
	stats_render(s->stats, &out->body);
	if (!ctx)
		return;
	struct error err = {0};
	int64_t seq = 0;
	if (audit_head_seq(ctx->store, &seq, &err) == 0)
		sb_printf(&out->body,
		          "# HELP plumb_audit_chain_length Entries in the audit chain.\n"
		          "# TYPE plumb_audit_chain_length gauge\n"
		          "plumb_audit_chain_length %" PRId64 "\n"
		          "# HELP plumb_dashboard_refreshes_total Dashboard refreshes after "
		          "webhook deliveries.\n"
		          "# TYPE plumb_dashboard_refreshes_total counter\n"
		          "plumb_dashboard_refreshes_total %lld\n"
		          "# HELP plumb_notify_runs_total Review reminder runs (serve "
		          "--notify-every).\n"
		          "# TYPE plumb_notify_runs_total counter\n"
		          "plumb_notify_runs_total %lld\n"
		          "# HELP plumb_sync_runs_total Syncs of every source (serve "
		          "--sync-every).\n"
		          "# TYPE plumb_sync_runs_total counter\n"
		          "plumb_sync_runs_total %lld\n",
		          seq, refresher_count(s->refresher), every_runs(s->notifier),
		          every_runs(s->syncer));
	if (s->opts->webhook_queue) {
		size_t waiting = 0;
		struct error qerr = {0};
		bool readable = webhook_queue_length(s->opts->webhook_queue, &waiting, &qerr) == 0;
		/* A queue that cannot be read has no length to give: no sample,
		 * rather than a 0 that says nothing waits. */
		sb_printf(
		        &out->body,
		        "# HELP plumb_webhook_queue_readable Whether the webhook queue's directory "
		        "can be read (1) or not (0, and no plumb_webhook_queue_length).\n"
		        "# TYPE plumb_webhook_queue_readable gauge\n"
		        "plumb_webhook_queue_readable %d\n"
		        "# HELP plumb_webhook_queue_length Webhook deliveries waiting in the "
		        "queue for the database.\n"
		        "# TYPE plumb_webhook_queue_length gauge\n",
		        readable);
		if (readable)
			sb_printf(&out->body, "plumb_webhook_queue_length %zu\n", waiting);
		sb_printf(&out->body,
		          "# HELP plumb_webhook_queue_done_total Queued webhook deliveries stored, "
		          "and those that could not be (kept under failed/).\n"
		          "# TYPE plumb_webhook_queue_done_total counter\n"
		          "plumb_webhook_queue_done_total{result=\"stored\"} %lld\n"
		          "plumb_webhook_queue_done_total{result=\"failed\"} %lld\n",
		          atomic_load(&s->unqueued), atomic_load(&s->unqueue_failed));
		/* Said once while it lasts, not at each scrape. */
		if (readable) {
			atomic_store(&s->queue_unreadable_said, false);
		} else if (!atomic_exchange(&s->queue_unreadable_said, true)) {
			server_log(s->opts, "metrics: %s%s%s", qerr.message,
			           qerr.detail[0] ? ": " : "", qerr.detail);
		}
	}
	long long hits, misses;
	cache_counts(s->cache, &hits, &misses);
	sb_printf(&out->body,
	          "# HELP plumb_api_cache_total GET answers served from memory (hit) or computed "
	          "(miss).\n# TYPE plumb_api_cache_total counter\n"
	          "plumb_api_cache_total{result=\"hit\"} %lld\n"
	          "plumb_api_cache_total{result=\"miss\"} %lld\n",
	          hits, misses);
	sb_puts(&out->body, "# HELP plumb_source_last_sync_age_seconds Seconds since a source's "
	                    "last published sync or ingest.\n"
	                    "# TYPE plumb_source_last_sync_age_seconds gauge\n");
	/* Ages of runs the system clock timed: by it (a server pinned to a day
	 * by PLUMB_NOW would show them negative or years old). */
	struct source_age_arg arg = {&out->body, ts_clock_ms()};
	sync_each_last_published(ctx->store, source_age_line, &arg, &err);
}

/* Each query argument a page is given at most once, as the API's paging:
 * a page read the first of a repeated key and dropped the rest (found
 * hunting: /audit?limit=5&limit=0 showed 5 rows).  No page's form repeats
 * a key in its query (only the packet's form is sent with GET, one select). */
struct query_once {
	struct hmap seen;
	struct error *err;
	int rc;
};

static enum MHD_Result check_query_once(void *cls, enum MHD_ValueKind kind, const char *key,
                                        const char *value)
{
	(void)kind;
	(void)value;
	struct query_once *q = cls;
	if (hmap_put(&q->seen, key, 0))
		return MHD_YES;
	/* request_query_check, run first, found the key UTF-8. */
	err_set(q->err, ERR_USAGE, "query argument '%s' given more than once", key);
	err_hint(q->err, "give each query argument once");
	q->rc = ERR_USAGE;
	return MHD_NO;
}

static int page_query_once(const struct request *req, struct error *err)
{
	struct query_once q = {.err = err};
	hmap_init(&q.seen);
	mhd.MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, check_query_once, &q);
	hmap_release(&q.seen);
	return q.rc;
}

static const char *page_query(void *data, const char *key)
{
	return request_query(data, key);
}

/* The session's CSRF token, for a page's forms and its Sign out button
 * (error pages too: found hunting, a 404's Sign out was refused); none for a
 * bearer token, which posts no form. */
static const char *page_csrf(const struct auth_identity *who)
{
	return who && who->via == AUTH_VIA_SESSION ? who->csrf : NULL;
}

/* Whether a form was posted from one of this site's pages, as the browser
 * says (Sec-Fetch-Site); a browser too old to say it (Safari before 16.4)
 * still sends an Origin with its form, ours or another site's (found in
 * review: such a post had its text shown on our page).  Only what typed text
 * is shown back hangs on it, never a write (the CSRF token decides those): a
 * post that says neither is not ours, since a client that is no browser
 * already has its text, and a browser old enough to send no Origin (Firefox
 * before 70) may be driven by another site. */
static bool form_from_here(const struct request *req)
{
	const char *site = request_header(req, "Sec-Fetch-Site");
	if (site)
		return strcmp(site, "same-origin") == 0;
	const char *origin = request_header(req, "Origin");
	if (!origin)
		return false;
	/* The host part only: behind a proxy that ends TLS the scheme differs. */
	const char *host = request_host(req), *sep = strstr(origin, "://");
	return host && sep && strcasecmp(sep + 3, host) == 0;
}

/* Refuse, 415, a posted form whose body is not
 * application/x-www-form-urlencoded, as every form of plumb's is sent (none
 * said: read as one, an empty sign-out's).  A multipart or text/plain body
 * was read as one, its CSRF token not found in it, and refused as a forged
 * form, audited (found hunting).  Whether it was. */
static bool form_type_refused(const struct request *req, const struct auth_identity *who,
                              const struct ctx *ctx, struct reply *out)
{
	static const char form[] = "application/x-www-form-urlencoded";
	const char *type = request_header(req, "Content-Type");
	if (!type)
		return false;
	if (strncasecmp(type, form, sizeof form - 1) == 0) {
		const char *rest = type + sizeof form - 1;
		rest += strspn(rest, " \t");
		if (*rest == '\0' || *rest == ';')
			return false;
	}
	struct error err = {0};
	err_set(&err, ERR_USAGE, "a form is taken as %s only", form);
	if (utf8_valid(type, strlen(type)))
		err_detail(&err, "this one was sent as '%.80s': nothing of it was read or saved",
		           type);
	err_hint(&err, "send the form as a page of this site does");
	page_refusal(req, out, 415, &err, who, ctx);
	return true;
}

/* Whether req's session cookie is of a session that timed out while its
 * user may still act (auth_identity.timed_out): ctx then acts as that user,
 * read only, so that the 401 page of a form that outlived its session labels
 * the framework's questions and competencies as the form did, from a
 * framework the user may read (PERM_ANY).  A stranger's cookie, or none,
 * loads nobody, nor does one revoked (a password changed, an admin's, a
 * sign-out: found in review, a stolen copy read the questions for a day):
 * the page names them by id. */
static bool ended_session_reader(struct server *s, struct ctx *ctx, struct request *req)
{
	struct error ignored = {0};
	struct auth_identity was = {.ended = false};
	int64_t head;
	if (request_header(req, "Authorization") ||
	    audit_head_seq(ctx->store, &head, &ignored) < 0 ||
	    session_identify(s, ctx, req, head, &was, &ignored) != 0 || !was.timed_out ||
	    ctx_begin_request(ctx, was.user, &ignored) < 0)
		return false;
	ctx->actor.read_only = true;
	ctx->actor.remote = true;
	return true;
}

static void handle_page(struct server *s, struct ctx *ctx, struct request *req,
                        const struct auth_identity *who, struct reply *out)
{
	bool posts = false;
	req->route = pages_route(req->path, &posts);
	out->type = "text/html; charset=utf-8";
	if (!req->route) {
		/* Whatever the method, and before asking anyone to sign in: no such
		 * page is no secret (there is no /favicon.ico either). */
		req->route = "/{unknown}";
		out->status = 404;
		struct error err = {0};
		err_set(&err, ERR_NOT_FOUND, "no page %s", req->path);
		struct page_request pr = {.path = req->path,
		                          .user = who ? who->user : NULL,
		                          .csrf = page_csrf(who),
		                          .ctx = who ? ctx : NULL};
		pages_error(&pr, 404, &err, &out->body);
		return;
	}
	bool get = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	bool post = strcmp(req->method, "POST") == 0;
	if (!get && !(post && posts)) {
		out->status = 405;
		reply_header(out, "Allow", posts ? "GET, HEAD, POST" : "GET, HEAD");
		struct error err = {0};
		err_set(&err, ERR_USAGE,
		        posts ? "this page is read with GET and takes its form with POST"
		              : "pages are read with GET");
		struct page_request pr = {.path = req->path,
		                          .user = who ? who->user : NULL,
		                          .csrf = page_csrf(who),
		                          .ctx = who ? ctx : NULL};
		pages_error(&pr, 405, &err, &out->body);
		return;
	}
	if (post && form_type_refused(req, who, who ? ctx : NULL, out))
		return;
	struct error unread = {0};
	/* A field given twice is kept too, both copies: nothing is read of the
	 * form, so which was meant does not matter (found in review: sent to
	 * sign in, the text lost). */
	if (!who && post && form_from_here(req) &&
	    form_text_check(req->body.buf, req->body.len, &unread) == 0) {
		/* A form that outlived its session (a long self review): what was
		 * typed comes back to copy, not lost in a redirect to sign in (found
		 * hunting).  Only from this site's own page, so that another site
		 * cannot put its words on one of ours. */
		struct page_request pr = {.path = req->path,
		                          .target = req->target,
		                          .post = true,
		                          .form = req->body.buf,
		                          .form_len = req->body.len};
		out->status = 401;
		pages_form_unsent(&pr, ended_session_reader(s, ctx, req) ? ctx : NULL, &out->body);
		return;
	}
	if (!who) {
		/* Sign in first, then come back here, query and all (a form is shown
		 * again, not sent); /signin takes next only as a path on this site. */
		struct sb next = SB_INIT;
		sb_puts(&next, "/signin?next=");
		sb_url_encode(&next, req->target);
		out->status = 303;
		reply_location(out, next.buf);
		sb_release(&next);
		return;
	}
	/* What a page echoes and a form saves is text, as over the API (found by
	 * a fuzz of the packet's form: a level of '%C3%28' came back as its raw
	 * bytes, and a form's were saved as U+FFFD). */
	struct error err = {0};
	if (request_query_check(req, &err) < 0 || page_query_once(req, &err) < 0 ||
	    (post && request_form_check(req->body.buf, req->body.len, &err) < 0)) {
		struct page_request pr = {
		        .path = req->path, .user = who->user, .csrf = page_csrf(who), .ctx = ctx};
		out->status = 400;
		pages_error(&pr, 400, &err, &out->body);
		return;
	}
	struct page_request pr = {
	        .path = req->path,
	        .target = req->target,
	        .query = page_query,
	        .query_data = req,
	        .user = who->user,
	        .csrf = page_csrf(who),
	        .post = post,
	        .form_here = post && form_from_here(req),
	        .form = req->body.buf,
	        .form_len = req->body.len,
	        .webhook_queue = s->opts->webhook_queue,
	        .ctx = ctx,
	};
	/* The dashboard is the page everyone opens; it reads aggregates only (no
	 * audited read), so it is kept like an API answer, per session (its
	 * forms carry the session's CSRF token). */
	bool cacheable = get && strcmp(req->url, "/") == 0;
	char key[AUTH_SECRET_HEX + 80];
	/* The kept answer's age is the system clock's: under a pinned
	 * PLUMB_NOW it would never grow, and the answer never expire. */
	int64_t head = req->head, now = ts_clock_ms();
	if (cacheable) {
		snprintf(key, sizeof key, "page %s %s /", who->user, who->csrf);
		struct cached *hit = cache_get(s->cache, key, head, now);
		if (hit) {
			reply_from_cache(out, hit);
			out->type = "text/html; charset=utf-8";
			return;
		}
	}
	struct page_answer ans;
	if (pages_render(ctx, &pr, &out->body, &ans, &err) < 0) {
		out->status = err_http_status(err.code ? err.code : ERR_FAILED);
		if (out->status == 503)
			reply_header(out, "Retry-After", "1");
		sb_reset(&out->body);
		server_error_conceal(&err);
		pages_error(&pr, out->status, &err, &out->body);
		return;
	}
	if (ans.location) {
		out->status = 303;
		reply_location(out, ans.location);
		return;
	}
	out->status = ans.status;
	if (cacheable)
		cache_put(s->cache, key, head, now, out);
}

/* Whether path is under /webhooks, the senders' (JSON, a webhook's body limit). */
static bool webhook_path(const char *path)
{
	return strncmp(path, "/webhooks", 9) == 0 && (path[9] == '\0' || path[9] == '/');
}

static bool unsafe_method(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
}

/* page_refusal's page, why shown as it is: the face's own refusal (a limit, a bad header),
 * whose words are written for the client. */
static void page_refusal_own(const struct request *req, struct reply *out, int status,
                             const struct error *why, const struct auth_identity *who,
                             const struct ctx *ctx)
{
	sb_reset(&out->body);
	out->status = status;
	out->type = "text/html; charset=utf-8";
	/* A 503 without who: not looked up (reply_refusal), or the lookup was
	 * what failed; either way who sent a credential is not known to be
	 * signed out.  A visitor who sent none is, and is offered Sign in. */
	struct page_request pr = {.path = req->path,
	                          .user = who ? who->user : NULL,
	                          .csrf = page_csrf(who),
	                          .ctx = who ? ctx : NULL,
	                          .who_unknown = status == 503 && request_has_credential(req)};
	pages_error(&pr, status, why, &out->body);
}

void page_refusal(const struct request *req, struct reply *out, int status, const struct error *why,
                  const struct auth_identity *who, const struct ctx *ctx)
{
	struct error told = *why;
	server_error_conceal(&told);
	page_refusal_own(req, out, status, &told, who, ctx);
}

static void dispatch(struct server *s, struct request *req, struct reply *out)
{
	struct error err = {0};
	struct ctx *ctx = server_worker_ctx(s, &err);
	const char *url = req->url;
	if (strcmp(url, "/healthz") == 0) {
		req->route = "/healthz";
		if (method_allowed(req, "GET, HEAD", out))
			handle_healthz(s, ctx, out);
		return;
	}
	if (strcmp(url, "/favicon.ico") == 0) {
		req->route = "/favicon.ico";
		if (method_allowed(req, "GET, HEAD", out)) {
			out->status = 200;
			out->type = "image/svg+xml";
			/* The same for everyone and every release: no need to fetch it
			 * again with every page. */
			reply_header(out, "Cache-Control", "public, max-age=86400");
			sb_puts(&out->body, favicon_svg);
		}
		return;
	}
	if (!ctx) {
		reply_error(out, &err);
		return;
	}
	if (strcmp(url, "/metrics") == 0) {
		req->route = "/metrics";
		if (method_allowed(req, "GET, HEAD", out))
			handle_metrics(s, ctx, out);
		return;
	}
	if (webhook_path(url)) {
		static const char *const kinds[] = {"github", "pagerduty", "deploy"};
		static const char *const routes[] = {"/webhooks/github", "/webhooks/pagerduty",
		                                     "/webhooks/deploy"};
		for (size_t i = 0; url[9] == '/' && i < 3; i++)
			if (strcmp(url + 10, kinds[i]) == 0) {
				req->route = routes[i];
				webhook_handle(s, ctx, req, kinds[i], out);
				return;
			}
		/* A sender's misconfigured URL: JSON, as the sender reads (found in
		 * review: /webhooks alone was the pages' HTML 404). */
		req->route = "/webhooks/{unknown}";
		reply_simple_error(out, ERR_NOT_FOUND,
		                   "no webhook at '%s': the webhooks are /webhooks/github, "
		                   "/webhooks/pagerduty and /webhooks/deploy",
		                   url);
		return;
	}
	if (strcmp(url, "/signin") == 0) {
		req->route = "/signin";
		if (!method_allowed(req, "GET, HEAD, POST", out)) {
			/* A page: its refusal is a page too (found in review: JSON). */
			struct error why = {0};
			err_set(&why, ERR_USAGE,
			        "the sign-in page is read with GET and takes its form "
			        "with POST");
			page_refusal(req, out, 405, &why, NULL, NULL);
			return;
		}
		if (strcmp(req->method, "POST") == 0 && form_type_refused(req, NULL, NULL, out))
			return;
		if (strcmp(req->method, "POST") == 0 && ctx_begin_request(ctx, NULL, &err) < 0)
			reply_error(out, &err);
		else if (strcmp(req->method, "POST") == 0)
			session_signin(s, ctx, req, out);
		else
			session_signin_page(s, req, NULL, out);
		return;
	}
	struct auth_identity who;
	int found = audit_head_seq(ctx->store, &req->head, &err);
	if (found == 0)
		found = session_identify(s, ctx, req, req->head, &who, &err);
	if (found < 0) {
		/* A page's refusal is a page (found in review: a bad token on /
		 * answered JSON). */
		if (strncmp(url, "/api/", 5) == 0)
			reply_error(out, &err);
		else
			page_refusal(req, out, err_http_status(err.code), &err, NULL, NULL);
		return;
	}
	if (found)
		snprintf(req->user, sizeof req->user, "%s", who.user);
	if (strncmp(url, "/api/", 5) == 0) {
		req->route = "/api";
		/* No such route is 404 signed in or not; what a route holds still
		 * needs a token. */
		/* Not signed in, no request began: the worker's arena is the last
		 * signed-in request's, and would grow with every such path until
		 * the next (found in review: a stranger's requests piled up). */
		bool known = found;
		if (!found) {
			struct arena *scratch = arena_create();
			known = api_route_known(s, scratch, req->path);
			arena_destroy(scratch);
		}
		if (!known) {
			req->route = "/api/{unknown}";
			err_set(&err, ERR_NOT_FOUND, "no API route %s %s", req->method, req->path);
			err_hint(&err, "docs/api.md lists every route");
			reply_error(out, &err);
			return;
		}
		if (!found) {
			err_set(&err, ERR_UNAUTHENTICATED, "not signed in");
			err_hint(&err, "send 'Authorization: Bearer TOKEN' (plumb token create)");
			reply_error(out, &err);
			return;
		}
		if (who.via == AUTH_VIA_SESSION && unsafe_method(req->method)) {
			/* A cookie rides along with any cross-site form; the token in a
			 * header proves the page that sent it was ours. */
			const char *sent = request_header(req, "X-CSRF-Token");
			req->csrf_wrong = !auth_secret_equal(sent, who.csrf);
		}
		api_handle(s, ctx, req, out);
		return;
	}
	if (strcmp(url, "/signout") == 0) {
		req->route = "/signout";
		if (strcmp(req->method, "POST") != 0) {
			/* Found in review: a PUT was sent to sign in, as if signed out. */
			struct error why = {0};
			err_set(&why, ERR_USAGE, "sign-out is a POST from the page's button");
			page_refusal(req, out, 405, &why, found ? &who : NULL, ctx);
			reply_header(out, "Allow", "POST");
			return;
		}
		if (!found) {
			out->status = 303;
			reply_location(out, "/signin");
			return;
		}
		if (form_type_refused(req, &who, ctx, out))
			return;
		session_signout(s, ctx, req, &who, out);
		return;
	}
	handle_page(s, ctx, req, found ? &who : NULL, out);
}

/* ---- libmicrohttpd callbacks ------------------------------------------- */

/* The largest body of a request without credentials (the sign-in form). */
#define SMALL_BODY (16 * 1024)

void server_log(const struct server_options *o, const char *fmt, ...)
{
	if (!o->access_log)
		return;
	struct sb text = SB_INIT, line = SB_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&text, fmt, ap);
	va_end(ap);
	utf8_put_visible(&line, text.buf, false);
	sb_putc(&line, '\n');
	fwrite(line.buf, 1, line.len, o->access_log);
	fflush(o->access_log);
	sb_release(&text);
	sb_release(&line);
}

static void access_log(struct server *s, const struct request *req, int status, size_t bytes,
                       double seconds)
{
	if (!s->opts->access_log)
		return;
	char when[TS_BUF];
	/* The route's template, not the path: paths can name people. The time is the
	 * system clock's, as an audit entry's: when the request came, not the business
	 * day PLUMB_NOW pins. */
	fprintf(s->opts->access_log, "%s %s %s %d %zu %.3fms user=%s\n",
	        ts_format(ts_clock_ms(), when), req->method, req->route ? req->route : "-", status,
	        bytes, seconds * 1000.0, req->user[0] ? req->user : "-");
	fflush(s->opts->access_log);
}

static void release_cached(void *e)
{
	cached_release(e);
}

/* Sent with every answer.  The pages run no script and load nothing but
 * their own forms' posts and styles: whatever text got into one cannot run,
 * and no other site may frame a page to trick a click (found in review:
 * none was sent). */
static const struct {
	const char *name, *value;
} always_sent[] = {
        {"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "same-origin"},
        {"Cache-Control", "no-store"},         {"Content-Security-Policy", CONTENT_SECURITY_POLICY},
        {"X-Frame-Options", "DENY"},
};

/* Whether r gives its own header name, which then replaces the one
 * always_sent has (the icon's Cache-Control). */
static bool reply_gives(const struct reply *r, const char *name)
{
	for (int i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return true;
	return false;
}

void reply_raw(const struct reply *r, struct sb *out)
{
	/* The Date libmicrohttpd sends with its own answers (RFC 9110 section
	 * 6.6.1: an origin server with a clock sends it; found in review: the
	 * 408 had none). */
	char date[64];
	time_t now = time(NULL);
	struct tm tm;
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&now, &tm));
	const char *reason = mhd.MHD_get_reason_phrase_for((unsigned)r->status);
	sb_printf(out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n", r->status,
	          reason && *reason ? reason : "Error", r->type ? r->type : "application/json",
	          r->body.len);
	for (int i = 0; i < r->nheaders; i++)
		sb_printf(out, "%s: %s\r\n", r->headers[i].name, r->headers[i].value);
	for (size_t i = 0; i < sizeof always_sent / sizeof *always_sent; i++)
		if (!reply_gives(r, always_sent[i].name))
			sb_printf(out, "%s: %s\r\n", always_sent[i].name, always_sent[i].value);
	sb_printf(out, "Date: %s\r\nConnection: close\r\n\r\n", date);
	sb_add(out, r->body.buf, r->body.len);
}

static enum MHD_Result send_reply(struct server *s, struct request *req, struct reply *r)
{
	if (!watch_answer(s->watch, req->watch))
		return MHD_NO; /* answered 408 already */
	req->answered = true;
	size_t len = r->body.len;
	struct MHD_Response *resp;
	if (r->cached) {
		/* The stored answer itself, no copy: the response holds a reference. */
		const char *body = cached_body(r->cached, &len);
		resp = mhd.MHD_create_response_from_buffer_with_free_callback_cls(
		        len, (void *)body, release_cached, r->cached);
		if (resp)
			r->cached = NULL;
	} else {
		resp = mhd.MHD_create_response_from_buffer(len, len ? r->body.buf : (void *)"",
		                                           MHD_RESPMEM_MUST_COPY);
	}
	if (!resp)
		return MHD_NO;
	if (len || r->type)
		mhd.MHD_add_response_header(resp, "Content-Type",
		                            r->type ? r->type : "application/json");
	for (int i = 0; i < r->nheaders; i++)
		mhd.MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
	for (size_t i = 0; i < sizeof always_sent / sizeof *always_sent; i++)
		if (!reply_gives(r, always_sent[i].name))
			mhd.MHD_add_response_header(resp, always_sent[i].name,
			                            always_sent[i].value);
	enum MHD_Result ok = mhd.MHD_queue_response(req->conn, (unsigned)r->status, resp);
	mhd.MHD_destroy_response(resp);
	double seconds = (double)(now_ns() - req->started_ns) / 1e9;
	stats_observe(s->stats, req->route ? req->route : "-", r->status, seconds);
	access_log(s, req, r->status, len, seconds);
	return ok;
}

/* Whether path is a page's, whose refusals are pages: not the API's, a
 * webhook's or a probe's. */
static bool page_path(const char *path)
{
	return strncmp(path, "/api/", 5) != 0 && !webhook_path(path) &&
	       strcmp(path, "/healthz") != 0 && strcmp(path, "/metrics") != 0 &&
	       strcmp(path, "/favicon.ico") != 0;
}

/* err in the form req's route answers, with status (0: err's): JSON, or a
 * page (found in review: a page's 413 and 503 were JSON; hunting, its 431).  A page's carries the
 * navigation of the session its cookie holds while that is valid (found hunting: a signed-in user's
 * 413 offered only "Sign in"), as the memo of who a credential is knows it: a 413's was checked
 * just before.  Never resolved afresh, which may write the session's last use: a refusal at the
 * connection limit waited --lock-wait for a writer holding the database (found in review).  Not
 * a 503's at all: the server is at its connection limit or the database is struggling, and the
 * refusal reads nothing (docs/PERFORMANCE.md, "A page's refusal"), so its page does not know
 * who asks (page_refusal).  err is the face's own, shown as it is (reply_error_own): a
 * database's error comes concealed (server_error_conceal). */
static void reply_refusal(struct server *s, struct request *req, struct reply *out, int status,
                          const struct error *err)
{
	if (!status)
		status = err_http_status(err->code);
	if (!page_path(req->url)) {
		reply_error_own(out, err);
		out->status = status;
		return;
	}
	struct error ignored = {0};
	struct auth_identity who;
	struct ctx *ctx = NULL;
	bool found = false;
	if (status != 503 && request_cookie_count(req, session_cookie(s)) &&
	    (ctx = server_worker_ctx(s, &ignored)) != NULL &&
	    audit_head_seq(ctx->store, &req->head, &ignored) == 0)
		found = session_identify_memo(s, ctx, req, req->head, &who) == 1;
	page_refusal_own(req, out, status, err, found ? &who : NULL, ctx);
	if (out->status == 503)
		reply_header(out, "Retry-After", "1");
}

/* Send r, a refusal made before the request was read whole, and close its
 * connection; r is released. */
static enum MHD_Result send_now(struct server *s, struct request *req, struct reply *r)
{
	reply_header(r, "Connection", "close");
	enum MHD_Result ok = send_reply(s, req, r);
	reply_release(r);
	return ok;
}

/* Answer err with status (0: err's own) before the request is read whole,
 * and close its connection. */
static enum MHD_Result reply_now_as(struct server *s, struct request *req, int status,
                                    const struct error *err)
{
	struct reply r = {.status = 200, .body = SB_INIT};
	reply_refusal(s, req, &r, status, err);
	return send_now(s, req, &r);
}

static enum MHD_Result reply_now(struct server *s, struct request *req, const struct error *err)
{
	return reply_now_as(s, req, 0, err);
}

static void too_big(const struct request *req, struct error *err)
{
	err_set(err, ERR_TOO_BIG, "request body is larger than the server's limit");
	err_detail(err, "%s may send at most %zu bytes", req->body_limit_for, req->body_limit);
}

static enum MHD_Result reply_too_big(struct server *s, struct request *req)
{
	struct error err = {0};
	too_big(req, &err);
	req->route = "-";
	return reply_now(s, req, &err);
}

/* A body past its limit while it is still coming: libmicrohttpd queues no
 * answer until a body is read whole, so the 413 is written on the socket
 * here and the rest is read and dropped for a moment, so the client reads
 * the answer rather than a reset, then the connection is shut (found in
 * review: a chunked body was read without end).  Under TLS it is closed at
 * once, unanswered. */
static enum MHD_Result refuse_mid_body(struct server *s, struct request *req)
{
	struct error err = {0};
	too_big(req, &err);
	req->route = "-";
	req->body_too_big = true;
	struct reply r = {.status = 200, .body = SB_INIT};
	reply_refusal(s, req, &r, 0, &err);
	struct sb raw = SB_INIT;
	reply_raw(&r, &raw);
	bool sent = watch_refuse(s->watch, req->watch, raw.buf, raw.len);
	sb_release(&raw);
	/* Logged and counted sent or not (under TLS, 0 bytes): the refusal was
	 * made (found in review: a closed one left no line). */
	req->answered = true;
	double seconds = (double)(now_ns() - req->started_ns) / 1e9;
	stats_observe(s->stats, "-", r.status, seconds);
	access_log(s, req, r.status, sent ? r.body.len : 0, seconds);
	reply_release(&r);
	return sent ? MHD_YES : MHD_NO;
}

/* Whether req carries a token or session cookie that is valid now: 1, 0 (none, or one
 * unknown, expired, revoked or of a disabled user), or the database's error; *ended
 * says a session cookie's session existed and ended (auth_identity.ended).  Cheap
 * when the credential was seen within the second: the memo of who it is. */
static int credential_valid(struct server *s, struct request *req, bool *ended, struct error *err)
{
	*ended = false;
	if (!request_header(req, "Authorization") && !request_cookie_count(req, session_cookie(s)))
		return 0;
	struct ctx *ctx = server_worker_ctx(s, err);
	if (!ctx)
		return err->code;
	int64_t head;
	struct auth_identity who = {.ended = false};
	int rc = audit_head_seq(ctx->store, &head, err);
	if (rc == 0)
		rc = session_identify(s, ctx, req, head, &who, err);
	if (rc == ERR_UNAUTHENTICATED || rc == ERR_DENIED || rc == ERR_NOT_FOUND) {
		err_clear(err);
		return 0;
	}
	*ended = rc == 0 && who.via == AUTH_VIA_SESSION && who.ended;
	return rc;
}

static enum MHD_Result sum_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
	(void)kind;
	*(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* RFC 9110 section 5.6.2: the characters of a method or a header name. */
static bool http_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool alnum =
		        (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
		if (!alnum && !strchr("!#$%&'*+-.^_`|~", c))
			return false;
	}
	return true;
}

/* Headers a request is judged by, which libmicrohttpd gives as their first
 * copy where a proxy may keep the last (found hunting: a second Origin, or
 * a second Authorization, was not read); RFC 9110 has one of each, and RFC
 * 6265 one Cookie (libmicrohttpd reads cookies from the first alone, where
 * a proxy joins them: found hunting).  A session's write is judged by its
 * X-CSRF-Token, of which only the first was read (found in review).  A
 * webhook's Authorization is judged by its kind (server_hooks.c), and its
 * X-CSRF-Token by nobody: no webhook path reads it. */
static const char *const once_said[] = {"Origin", "Sec-Fetch-Site", "Authorization", "Cookie",
                                        "X-CSRF-Token"};
#define ONCE_SAID_AUTHORIZATION 2
#define ONCE_SAID_CSRF          4

struct header_tally {
	int content_length, transfer_encoding, host;
	const char *twice_said; /* the first of once_said given more than once */
	int said[sizeof once_said / sizeof *once_said]; /* how often each of once_said is given */
	bool webhook;         /* a webhook's: server_hooks.c checks the headers its kind reads */
	const char *bad_name; /* the first header name that is not a token */
	bool folded;          /* a header continued on the next line */
	bool bare_cr;         /* a value holding a CR (or LF) */
};

/* Whether a header was folded onto the next line (obs-fold, "Transfer-
 * Encoding:\r\n chunked").  libmicrohttpd 0.9.75 appends the next line's
 * text to the name ("Transfer-Encodingchunked") in a copy of it elsewhere,
 * and reads no length from it where a proxy that unfolds it does (RFC 9112
 * section 5.2 asks a server to refuse obs-fold or to read it as a space).
 * A header as sent is one line of its read buffer, "name\0", blanks, then
 * its value: one folded is not (found hunting: telling it by the name
 * refused "Content-Length-Foo: 1" as folded). */
static bool header_folded(const char *key, const char *value)
{
	if (!value)
		return false;
	uintptr_t at = (uintptr_t)key + strlen(key) + 1, to = (uintptr_t)value;
	if (to < at)
		return true;
	const char *blank = key + (at - (uintptr_t)key);
	while ((uintptr_t)blank < to && (*blank == ' ' || *blank == '\t'))
		blank++;
	return (uintptr_t)blank != to;
}

static enum MHD_Result tally_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
	(void)kind;
	struct header_tally *t = cls;
	/* libmicrohttpd keeps a bare CR in a value, where a proxy may end the
	 * line ("X: a\rTransfer-Encoding: chunked", found hunting): RFC 9112
	 * section 2.2 has it refused or read as a space. */
	if (value && strpbrk(value, "\r\n"))
		t->bare_cr = true;
	if (header_folded(key, value)) {
		t->folded = true; /* its name holds the next line's text */
	} else if (!http_token(key)) {
		if (!t->bad_name)
			t->bad_name = key;
	} else if (strcasecmp(key, "Content-Length") == 0) {
		t->content_length++;
	} else if (strcasecmp(key, "Transfer-Encoding") == 0) {
		t->transfer_encoding++;
	} else if (strcasecmp(key, "Host") == 0) {
		t->host++;
	} else {
		for (size_t i = 0; i < sizeof once_said / sizeof *once_said; i++)
			if (strcasecmp(key, once_said[i]) == 0 && ++t->said[i] > 1 &&
			    !t->twice_said &&
			    !(t->webhook && (i == ONCE_SAID_AUTHORIZATION || i == ONCE_SAID_CSRF)))
				t->twice_said = once_said[i];
	}
	return MHD_YES;
}

/* Whether a Host value is uri-host [":" port] (RFC 9110 section 7.2; RFC
 * 3986 section 3.2.2): a reg-name (an IPv4 address is one) or an IP literal
 * in brackets.  A percent-encoded reg-name is refused, as in an
 * absolute-form target (absolute_prefix). */
static bool host_valid(const char *h)
{
	if (*h == '[') {
		size_t n = strspn(h + 1, "0123456789abcdefABCDEF:.");
		if (n == 0 || h[1 + n] != ']')
			return false;
		h += n + 2;
	} else {
		while ((*h >= '0' && *h <= '9') || (*h >= 'A' && *h <= 'Z') ||
		       (*h >= 'a' && *h <= 'z') || (*h && strchr("-._~!$&'()*+,;=", *h)))
			h++;
	}
	if (*h == ':')
		h += 1 + strspn(h + 1, "0123456789");
	return *h == '\0';
}

/* Whether the request's head is one a proxy in front might read otherwise
 * than libmicrohttpd does, and whose body could then be sent on as a request
 * of its own (request smuggling); err says why.  RFC 9112: a header name is
 * a token with no space before its colon (5.1); a body's length is stated
 * once, by one Content-Length or by Transfer-Encoding ending in chunked
 * alone, which libmicrohttpd decodes (6.1, 6.3); HTTP/1.1 has exactly one
 * Host (3.2).  A method that is not a token would reach the log as sent. */
static bool head_malformed(struct MHD_Connection *conn, const char *method, const char *version,
                           bool webhook, struct error *err)
{
	struct header_tally t = {.webhook = webhook};
	mhd.MHD_get_connection_values(conn, MHD_HEADER_KIND, tally_header, &t);
	const char *te =
	        mhd.MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding");
	bool http11 = strcmp(version, MHD_HTTP_VERSION_1_1) == 0;
	if (!http_token(method)) {
		err_set(err, ERR_USAGE, "the request method is not an HTTP token");
	} else if (t.folded) {
		err_set(err, ERR_USAGE, "a header is folded onto the next line (obs-fold)");
		err_detail(err, "a line that starts with a space or tab continues the header "
		                "before it, which RFC 9112 no longer allows");
		err_hint(err, "send each header on one line");
	} else if (t.bad_name) {
		err_set(err, ERR_USAGE, "a header name is not an HTTP token");
		err_detail(err, "a header name has a space, or another character a name may not "
		                "have, before its colon");
	} else if (t.bare_cr) {
		err_set(err, ERR_USAGE, "a header value holds a bare CR");
		err_detail(err,
		           "a carriage return not followed by a line feed ends a line for some "
		           "servers and not for others");
		err_hint(err, "end each header line with CR LF");
	} else if (te && !http11) {
		/* RFC 9112 section 6.1: HTTP/1.0 has no chunked bodies, and a proxy
		 * of that version reads this body otherwise (found hunting: it was
		 * decoded). */
		err_set(err, ERR_USAGE, "an HTTP/1.0 request has a Transfer-Encoding header");
		err_hint(err, "send Content-Length, or the request as HTTP/1.1");
	} else if (t.content_length > 1 || (t.content_length && t.transfer_encoding)) {
		err_set(err, ERR_USAGE, "the request states its length twice");
		err_detail(err, "more than one Content-Length header, or Content-Length "
		                "with Transfer-Encoding");
	} else if (t.transfer_encoding > 1) {
		err_set(err, ERR_USAGE, "the request has more than one Transfer-Encoding header");
	} else if (te && strcasecmp(te, "chunked") != 0) {
		/* Another coding's body would be waited for until the request
		 * timed out (found in review). */
		err_set(err, ERR_USAGE, "Transfer-Encoding '%.40s' is not supported", te);
	} else if (t.host > 1 || (http11 && t.host == 0)) {
		err_set(err, ERR_USAGE, "an HTTP/1.1 request has exactly one Host header");
		err_detail(err, "this one has %d", t.host);
		return true;
	} else if (t.host &&
	           !host_valid(mhd.MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host"))) {
		/* RFC 9112 section 3.2: a server MUST answer 400 (found hunting:
		 * "Host: a b" and "Host: x/y" were taken, and are echoed in
		 * redirects and compared with Origin). */
		err_set(err, ERR_USAGE, "the Host header is not a host and port");
		err_hint(err, "send Host: NAME or Host: NAME:PORT");
		return true;
	} else if (t.twice_said) {
		err_set(err, ERR_USAGE, "the request has more than one %s header", t.twice_said);
		err_hint(err, "send it once");
		return true;
	} else {
		return false;
	}
	if (!err->hint[0] && (t.content_length || t.transfer_encoding))
		err_hint(err, "send one Content-Length, or Transfer-Encoding: chunked alone");
	return true;
}

/* A list header's lines (RFC 9110 section 5.6.1) looked through for an
 * element other than allowed, compared without case. */
struct list_beyond {
	const char *header, *allowed;
	const char *line; /* the first line holding another element, or NULL */
};

static enum MHD_Result list_element(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
	(void)kind;
	struct list_beyond *l = cls;
	if (l->line || strcasecmp(key, l->header) != 0 || !value)
		return MHD_YES;
	size_t want = strlen(l->allowed);
	for (const char *p = value; *p;) {
		p += strspn(p, " \t,");
		size_t n = strcspn(p, ",");
		size_t len = n;
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len && !(len == want && strncasecmp(p, l->allowed, want) == 0)) {
			l->line = value;
			return MHD_NO;
		}
		p += n;
	}
	return MHD_YES;
}

static const char *list_beyond(struct MHD_Connection *conn, const char *header, const char *allowed)
{
	struct list_beyond l = {header, allowed, NULL};
	mhd.MHD_get_connection_values(conn, MHD_HEADER_KIND, list_element, &l);
	return l.line;
}

/* Whether an Expect header asks for more than 100-continue, which
 * libmicrohttpd answers itself: RFC 9110 section 10.1.1 has a server answer
 * an expectation it does not meet 417, where it was ignored and the request
 * run (found hunting).  Every Expect line, each element of its list. */
static bool expectation_unmet(struct MHD_Connection *conn, struct error *err)
{
	const char *unmet = list_beyond(conn, "Expect", "100-continue");
	if (!unmet)
		return false;
	err_set(err, ERR_USAGE, "the expectation 'Expect: %.60s' cannot be met", unmet);
	err_detail(err, "this server meets Expect: 100-continue alone; nothing was run");
	err_hint(err, "send the request without Expect, or with Expect: 100-continue");
	return true;
}

/* Whether a request with a body says it is content-coded (gzip): nothing
 * decodes it, and it was read as sent, a gzip body as not JSON and a
 * body so labelled but sent plain as it was (found hunting), where a
 * proxy in front may have read it decoded.  RFC 9110 section 15.5.16: 415. */
static bool body_coded(struct MHD_Connection *conn, bool has_body, struct error *err)
{
	const char *coding = has_body ? list_beyond(conn, "Content-Encoding", "identity") : NULL;
	if (!coding)
		return false;
	err_set(err, ERR_USAGE, "Content-Encoding '%.40s' is not supported", coding);
	err_detail(err, "the server reads a request's body as sent; nothing was read or run");
	err_hint(err, "send the body without Content-Encoding");
	return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **state)
{
	struct server *s = cls;
	struct request *req = *state;
	if (req->refused)
		return MHD_NO; /* answered 431 from its request line */
	if (!req->begun) {
		req->begun = true;
		req->conn = conn;
		req->method = http_token(method) ? method : "-"; /* as sent, into the log */
		(void)url; /* libmicrohttpd's is as sent, scheme and host too: req->url */
		atomic_fetch_add(&s->in_flight, 1);
		if ((unsigned)atomic_load(&s->connections) > s->opts->max_connections) {
			req->route = "-";
			struct error err = {0};
			err_set(&err, ERR_TRANSIENT, "the server is at its connection limit");
			return reply_now(s, req, &err);
		}
		/* The request line as sent: an absolute-form target's scheme and host too. */
		size_t header_bytes = strlen(req->target) + strlen(method) + 16 +
		                      (req->authority ? strlen(req->authority) + 8 : 0);
		mhd.MHD_get_connection_values(conn, MHD_HEADER_KIND, sum_header, &header_bytes);
		if (header_bytes > s->opts->max_header) {
			req->route = "-";
			struct error err = {0};
			err_set(&err, ERR_TOO_BIG, "request headers are too large");
			return reply_now_as(s, req, 431, &err);
		}
		struct error bad = {0};
		if (req->target_problem) {
			req->route = "-";
			err_set(&bad, ERR_USAGE, "%s", req->target_problem);
			err_hint(&bad, "send a path starting with '/', or an http or https URL");
			return reply_now(s, req, &bad);
		}
		if (head_malformed(conn, method, version, webhook_path(req->url), &bad)) {
			req->route = "-";
			return reply_now(s, req, &bad);
		}
		if (expectation_unmet(conn, &bad)) {
			req->route = "-";
			return reply_now_as(s, req, 417, &bad);
		}
		const char *cl =
		        mhd.MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
		bool chunked = mhd.MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                               "Transfer-Encoding") != NULL;
		if (body_coded(conn, declared > 0 || chunked, &bad)) {
			req->route = "-";
			struct reply r = {.status = 200, .body = SB_INIT};
			reply_refusal(s, req, &r, 415, &bad);
			reply_header(&r, "Accept-Encoding", "identity");
			return send_now(s, req, &r);
		}
		watch_headers(s->watch, req->watch, req->method);
		/* More than a sign-in form only from someone who may send it, decided
		 * before the body is read, so a stranger cannot make the server hold
		 * max_body per connection: a request whose token or session is valid
		 * (checked only when it says its body is larger), or a webhook, which
		 * anyone may send (it is checked once read), up to max_webhook_body. */
		req->body_limit = s->opts->max_body;
		req->body_limit_for = "a request";
		bool small = SMALL_BODY < s->opts->max_body;
		if (small) {
			req->body_limit = SMALL_BODY;
			req->body_limit_for = "a request without a valid token or session";
		}
		if (webhook_path(req->url)) {
			req->body_limit = s->opts->max_webhook_body < s->opts->max_body
			                          ? s->opts->max_webhook_body
			                          : s->opts->max_body;
			req->body_limit_for = "a webhook delivery";
		} else if (small && (chunked || declared > SMALL_BODY)) {
			struct error err = {0};
			bool ended;
			int rc = credential_valid(s, req, &ended, &err);
			if (rc < 0) {
				req->route = "-";
				server_error_conceal(&err); /* a database's, not the face's own */
				return reply_now(s, req, &err);
			}
			if (rc) {
				req->body_limit = s->opts->max_body;
				req->body_limit_for = "a request";
			} else if (ended && strcmp(method, "POST") == 0 && page_path(req->url) &&
			           form_from_here(req)) {
				/* A form that outlived its session comes back to copy
				 * (handle_page) whatever its size: its cookie is one the
				 * server gave, which a stranger has not, so the bound on
				 * what strangers make it hold stands. */
				req->body_limit = s->opts->max_body;
				req->body_limit_for = "a form of a session that ended";
			}
		}
		if (declared > req->body_limit)
			return reply_too_big(s, req);
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (req->body_too_big)
			return MHD_YES; /* answered: dropped until the watch shuts it */
		if (req->body.len + n > req->body_limit)
			return refuse_mid_body(s, req);
		watch_body(s->watch, req->watch, n);
		sb_add(&req->body, upload_data, n);
		return MHD_YES;
	}
	if (req->body_too_big)
		return MHD_NO; /* answered 413 already */
	/* Read whole: from here the deadline no longer runs, however long the
	 * answer takes. */
	if (!watch_answer(s->watch, req->watch))
		return MHD_NO; /* cut: answered 408 (or 503, never read) already */
	struct reply r = {.status = 200, .body = SB_INIT};
	dispatch(s, req, &r);
	enum MHD_Result ok = send_reply(s, req, &r);
	reply_release(&r);
	return ok;
}

/* A connection: its deadline, and its request while libmicrohttpd holds
 * one.  libmicrohttpd may drop a request without completing it (one whose
 * query arguments overflow the connection's memory, when the client goes
 * away); the connection frees it then. */
struct conn_state {
	struct watch_conn *watch;
	struct request *req;
};

static void request_free(struct server *s, struct request *req)
{
	watch_done(s->watch, req->watch);
	if (req->begun)
		atomic_fetch_sub(&s->in_flight, 1);
	if (req->cs)
		req->cs->req = NULL;
	sb_release(&req->body);
	free(req->target);
	free(req->path);
	free(req->url);
	free(req->authority);
	free(req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode why)
{
	(void)why;
	struct server *s = cls;
	struct request *req = *state;
	if (!req)
		return;
	/* Not answered by plumb: libmicrohttpd answered it (headers too large
	 * for the connection's memory, a malformed request or, once its headers
	 * were handed over, a malformed chunk), counted and logged like any
	 * answer. */
	const union MHD_ConnectionInfo *info =
	        req->answered ? NULL
	                      : mhd.MHD_get_connection_info(conn, MHD_CONNECTION_INFO_HTTP_STATUS);
	if (info && info->http_status) {
		double seconds = (double)(now_ns() - req->started_ns) / 1e9;
		req->method = "-";
		req->route = "-";
		stats_observe(s->stats, "-", (int)info->http_status, seconds);
		access_log(s, req, (int)info->http_status, 0, seconds);
	}
	request_free(s, req);
	*state = NULL;
}

/* libmicrohttpd parses the query's arguments into the connection's memory
 * right after the request line, some 64 bytes each: past about a thousand
 * none was left, not even for its own 431, and the request waited for the
 * 408 of --timeout, or was closed unanswered while logged 200 (found in
 * review).  Such a request line is answered 431 here, before that, as the
 * watch answers a body too large (not under TLS, where it waits as before). */
static void refuse_many_args(struct server *s, struct request *req)
{
	/* Every '&' counts: the library keeps an entry for an empty one too
	 * (found in review: 2,000 bare '&' waited for the 408). */
	const char *query = strchr(req->target, '?');
	size_t args = query ? 1 : 0;
	for (const char *at = query; at && (at = strchr(at + 1, '&'));)
		args++;
	if (args <= s->max_query_args)
		return;
	struct error err = {0};
	err_set(&err, ERR_TOO_BIG, "the request has %zu query arguments, more than %zu", args,
	        s->max_query_args);
	struct reply r = {.status = 200, .body = SB_INIT};
	/* A page's is a page, as its other refusals are (found hunting: JSON);
	 * its headers are not read yet, so it knows no session. */
	if (page_path(req->path)) {
		page_refusal(req, &r, 431, &err, NULL, NULL);
	} else {
		reply_error(&r, &err);
		r.status = 431;
	}
	struct sb raw = SB_INIT;
	reply_raw(&r, &raw);
	if (watch_refuse(s->watch, req->watch, raw.buf, raw.len)) {
		req->refused = req->answered = true;
		req->method = "-";
		req->route = "-";
		double seconds = (double)(now_ns() - req->started_ns) / 1e9;
		stats_observe(s->stats, "-", r.status, seconds);
		access_log(s, req, r.status, r.body.len, seconds);
	}
	sb_release(&raw);
	reply_release(&r);
}

/* The length of an absolute-form target's "http://host[:port]" (RFC 9112
 * section 3.2.2: a server MUST accept it, as a proxy sends it), or 0 for any
 * other target; *bad says one that starts as a URL but names its host in a
 * way this server does not take: userinfo (RFC 9110 section 4.2.4 says to
 * treat it as an error), a percent-encoded or empty host. */
static size_t absolute_prefix(const char *uri, size_t *scheme, bool *bad)
{
	*scheme = strncasecmp(uri, "http://", 7) == 0    ? 7
	          : strncasecmp(uri, "https://", 8) == 0 ? 8
	                                                 : 0;
	*bad = false;
	if (!*scheme)
		return 0;
	size_t n = strcspn(uri + *scheme, "/?#");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)uri[*scheme + i];
		bool alnum =
		        (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
		if (!alnum && !strchr("-._~!$&'()*+,;=:[]", c))
			*bad = true;
	}
	*bad = *bad || n == 0;
	return *scheme + n;
}

/* req's target, path, url and authority from the request line's uri: an
 * origin-form target as sent, an absolute-form one less its scheme and host
 * (found hunting: "http://host/people/E085" was "no page http://host/...");
 * anything else (asterisk- or authority-form, a path with %00 that would
 * end the decoded path early, found hunting: /healthz%00x was /healthz) is
 * refused by on_request, with the target_problem it notes. */
static void request_target(struct request *req, const char *uri)
{
	bool bad;
	size_t scheme, skip = absolute_prefix(uri, &scheme, &bad);
	if (skip && !bad) {
		req->authority = xstrndup(uri + scheme, skip - scheme);
		uri += skip;
	}
	struct sb target = SB_INIT;
	if (*uri != '/')
		sb_putc(&target, '/'); /* "http://host" and "http://host?q" are of "/" */
	sb_puts(&target, uri);
	req->target = sb_detach(&target, NULL);
	req->path = xstrndup(req->target, strcspn(req->target, "?"));
	/* Decoded as libmicrohttpd decodes its url: %XX with two hex digits. */
	size_t n = strlen(req->path), o = 0;
	req->url = xmalloc(n + 1);
	bool nul = false;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (req->path[i] == '%' && (hi = hex_digit(req->path[i + 1])) >= 0 &&
		    (lo = hex_digit(req->path[i + 2])) >= 0) {
			req->url[o] = (char)(hi * 16 + lo);
			nul = nul || !req->url[o];
			o++;
			i += 2;
		} else {
			req->url[o++] = req->path[i];
		}
	}
	req->url[o] = '\0';
	if (bad)
		req->target_problem =
		        "the request-target is a URL without a host this server takes";
	else if (!skip && *uri != '/')
		req->target_problem =
		        "the request-target is neither a path nor an http or https URL";
	else if (nul)
		req->target_problem = "the request path holds a NUL character (%00)";
}

/* The request line is in: the request exists from here, so its deadline
 * covers the headers too.  What it returns is the handler's *state. */
static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct server *s = cls;
	struct request *req = xcalloc(1, sizeof *req);
	/* As sent: libmicrohttpd decodes the path it hands on_request, and a
	 * page's segment may hold an encoded '/'. */
	request_target(req, uri);
	req->body = (struct sb)SB_INIT;
	req->started_ns = now_ns();
	const union MHD_ConnectionInfo *info =
	        mhd.MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	req->cs = info ? info->socket_context : NULL;
	if (req->cs) {
		if (req->cs->req)
			request_free(s, req->cs->req); /* dropped, the connection kept */
		req->cs->req = req;
		req->watch = req->cs->watch;
	}
	watch_request_line(s->watch, req->watch);
	refuse_many_args(s, req);
	return req;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	struct server *s = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		atomic_fetch_add(&s->connections, 1);
		const union MHD_ConnectionInfo *info =
		        mhd.MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct conn_state *cs = xcalloc(1, sizeof *cs);
		cs->watch = info ? watch_open(s->watch, info->connect_fd) : NULL;
		*socket_context = cs;
	} else {
		atomic_fetch_sub(&s->connections, 1);
		struct conn_state *cs = *socket_context;
		if (cs && cs->req)
			request_free(s, cs->req);
		if (cs)
			watch_close(s->watch, cs->watch);
		free(cs);
		*socket_context = NULL;
	}
}

/* A 408 from the watch's thread: counted and logged like any answer, with
 * its method when the headers had come (found in review: "- - 408 0"). */
static void on_timed_out(void *data, const struct watch_timeout *t)
{
	struct server *s = data;
	struct request req = {.method = t->method, .route = "-"};
	stats_observe(s->stats, "-", t->status, t->seconds);
	access_log(s, &req, t->status, t->bytes, t->seconds);
}

/* libmicrohttpd's own messages, at most one a second, saying how many were
 * left out: any client can cause one (a connection closed mid-request), and
 * a flood of them filled the log (found in review: 5,900 lines). */
bool server_log_throttle(struct log_throttle *t, long long *left)
{
	long long now = (long long)(now_ns() / 1000000000);
	long long last = atomic_load(&t->logged_s);
	if (now == last || !atomic_compare_exchange_strong(&t->logged_s, &last, now)) {
		atomic_fetch_add(&t->left_out, 1);
		return false;
	}
	*left = atomic_exchange(&t->left_out, 0);
	return true;
}

/* fmt is libmicrohttpd's: the attribute tells clang's -Wformat-nonliteral so. */
static void log_mhd(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void log_mhd(void *cls, const char *fmt, va_list ap)
{
	struct server *s = cls;
	long long left;
	if (!s->opts->access_log || !server_log_throttle(&s->mhd_log, &left))
		return;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	msg[strcspn(msg, "\r\n")] = '\0';
	if (left)
		fprintf(s->opts->access_log,
		        "libmicrohttpd: %s (%lld more such messages left out)\n", msg, left);
	else
		fprintf(s->opts->access_log, "libmicrohttpd: %s\n", msg);
}

/* ---- run ---------------------------------------------------------------- */

static int parse_listen(const char *text, struct sockaddr_in *addr, struct error *err)
{
	char host[64];
	const char *colon = strrchr(text, ':');
	if (!colon || (size_t)(colon - text) >= sizeof host) {
		err_set(err, ERR_USAGE, "invalid --listen '%s'", text);
		err_detail(err, "expected ADDR:PORT, such as 127.0.0.1:8080");
		return ERR_USAGE;
	}
	memcpy(host, text, (size_t)(colon - text));
	host[colon - text] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	memset(addr, 0, sizeof *addr);
	addr->sin_family = AF_INET;
	if (*end || port < 0 || port > 65535 || colon[1] == '\0' ||
	    inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &addr->sin_addr) != 1) {
		err_set(err, ERR_USAGE, "invalid --listen '%s'", text);
		err_detail(err, "expected an IPv4 address and a port from 0 to 65535");
		return ERR_USAGE;
	}
	addr->sin_port = htons((uint16_t)port);
	return 0;
}

#ifndef PLUMB_LIBMICROHTTPD
#define PLUMB_LIBMICROHTTPD "libmicrohttpd.so.12"
#endif

struct server_mhd_fns mhd;
static const char *const mhd_names[] = {SERVER_MHD_FUNCS(DYNLIB_NAME)};
_Static_assert(sizeof mhd == sizeof mhd_names, "one pointer a function");
static struct dynlib libmicrohttpd =
        DYNLIB_INIT(PLUMB_LIBMICROHTTPD, "the web server (plumb serve)", mhd_names, mhd);

static int record_start(struct ctx *ctx, void *base_url, struct error *err)
{
	(void)err;
	ctx_subject(ctx, "server", base_url);
	return 0;
}

/* Timed on the clock, not counted in the 10 ms sleeps asked for: on a loaded
 * machine each sleep overruns, and 1,000 of them lasted longer than the 10 s
 * the drain is (test_server_drain). */
int server_drain(const atomic_int *in_flight, int limit_ms)
{
	double started_s = ts_mono_s();
	while (atomic_load(in_flight) > 0 && (ts_mono_s() - started_s) * 1000 < limit_ms)
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	return atomic_load(in_flight);
}

int server_run(struct ctx *main_ctx, const struct server_options *o, struct error *err)
{
	struct sockaddr_in addr;
	int rc = parse_listen(o->listen, &addr, err);
	if (rc < 0)
		return rc;
	if (!o->tls_cert != !o->tls_key) {
		err_set(err, ERR_USAGE, "--tls-cert and --tls-key go together");
		return ERR_USAGE;
	}
	if ((rc = dynlib_load(&libmicrohttpd, err)) < 0)
		return rc;
	char *cert = NULL, *key = NULL;
	size_t len;
	if (o->tls_cert && ((rc = file_read(o->tls_cert, 1 << 20, &cert, &len, err)) < 0 ||
	                    (rc = file_read(o->tls_key, 1 << 20, &key, &len, err)) < 0)) {
		free(cert);
		return rc;
	}
	/* Signals are taken by sigtimedwait below, in this thread only: blocked
	 * before any thread starts, so every thread inherits the mask. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct server s = {.main = main_ctx, .opts = o, .tls = cert != NULL};
	s.stats = stats_new();
	s.limiter = limiter_new();
	crypto_auth_keygen(s.signin_key);
	s.routes = api_routes_new();
	s.refresher = refresher_start(&s);
	s.cache = cache_new();
	s.memo = memo_new();
	/* Before the workers, which read them for /metrics. */
	s.notifier = every_start(&s, "notify", o->notify ? o->notify_every_ms : 0, notify_job);
	s.syncer = every_start(&s, "sync", o->sync_every_ms, sync_job);
	s.unqueue_drain.max_tries = o->webhook_queue_tries;
	s.unqueue_drain.retry_ms = o->webhook_queue_retry_ms;
	s.unqueuer = every_start(&s, "webhook-queue",
	                         !o->webhook_queue               ? 0
	                         : o->webhook_queue_every_ms > 0 ? o->webhook_queue_every_ms
	                                                         : 1000,
	                         unqueue_job);
	s.watch = watch_start(o->timeout_s, s.tls, on_timed_out, &s);
	pthread_mutex_init(&s.lock, NULL);
	webhook_queue_turns_init(&s.webhook_turns);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
	                 MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	if (s.tls)
		flags |= MHD_USE_TLS;
	struct MHD_OptionItem tls_opts[] = {
	        {MHD_OPTION_HTTPS_MEM_CERT, 0, cert},
	        {MHD_OPTION_HTTPS_MEM_KEY, 0, key},
	        {MHD_OPTION_END, 0, NULL},
	};
	/* Headers beyond max_header are answered 431 by on_request, which sees
	 * them once libmicrohttpd has read them into the connection's pool: room
	 * for a few times max_header (a field costs it some 64 bytes besides its
	 * text).  Beyond that it answers 431 or 414 itself (on_completed logs it).
	 * It clears the whole pool of a kept-alive connection after each request:
	 * the pool is resident memory per open connection, so not more. */
	size_t pool = 4 * o->max_header + 16 * 1024;
	s.max_query_args = pool / 128; /* half of it: 640 by default */
	/* clang-format off */
	struct MHD_Daemon *d = mhd.MHD_start_daemon(
	        /* the port is SOCK_ADDR's; given here too for libmicrohttpd's messages */
	        flags, ntohs(addr.sin_port), NULL, NULL, on_request, &s,
	        /* first, so libmicrohttpd logs nothing by itself */
	        MHD_OPTION_EXTERNAL_LOGGER, log_mhd, &s,
	        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
	        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads ? o->threads : 2),
	        /* a backstop: the watch shuts a connection first */
	        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->timeout_s + 2,
	        MHD_OPTION_CONNECTION_LIMIT, (unsigned)(o->max_connections + 64),
	        MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool,
	        MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s,
	        MHD_OPTION_NOTIFY_CONNECTION, on_connection, &s,
	        MHD_OPTION_URI_LOG_CALLBACK, on_request_line, &s,
	        MHD_OPTION_ARRAY, s.tls ? tls_opts : tls_opts + 2,
	        MHD_OPTION_END);
	/* clang-format on */
	if (!d) {
		err_set(err, ERR_IO, "cannot listen on %s", o->listen);
		err_detail(err, "%s", errno ? strerror(errno) : "libmicrohttpd refused to start");
		err_hint(err, "is another server on that port? try --listen 127.0.0.1:0");
		rc = ERR_IO;
		goto out;
	}
	const union MHD_DaemonInfo *lfd = mhd.MHD_get_daemon_info(d, MHD_DAEMON_INFO_LISTEN_FD);
	watch_listen(s.watch, lfd ? lfd->listen_fd : -1, o->threads ? o->threads : 2);
	const union MHD_DaemonInfo *info = mhd.MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char ip[INET_ADDRSTRLEN], base[96];
	inet_ntop(AF_INET, &addr.sin_addr, ip, sizeof ip);
	snprintf(base, sizeof base, "%s://%s:%u", s.tls ? "https" : "http", ip,
	         info ? (unsigned)info->port : (unsigned)ntohs(addr.sin_port));
	/* Under --as, as every command, the start is on the record, naming
	 * where it serves: once listening, so a port taken is recorded failed. */
	if ((rc = ctx_run(main_ctx, OP_SERVE, record_start, base, err)) < 0) {
		mhd.MHD_stop_daemon(d);
		goto out;
	}
	if (o->ready)
		o->ready(o->ready_data, base);

	/* Housekeeping every minute, between waits for a signal: people who
	 * left lose their sessions and tokens in the record too.  It has a ctx
	 * of its own: workers open theirs from main_ctx, which stays untouched. */
	struct ctx *house = NULL;
	struct error house_err = {0};
	if (server_open_ctx(&s, &house, &house_err) < 0)
		server_log(o, "housekeeping: %s", house_err.message);
	for (;;) {
		struct timespec tick = {60, 0};
		int sig = sigtimedwait(&stop, NULL, &tick);
		if (sig == SIGINT || sig == SIGTERM)
			break;
		struct error ignored = {0};
		int64_t n = 0;
		if (house && ctx_begin_request(house, NULL, &ignored) == 0)
			auth_offboard(house, &n, &ignored);
	}
	/* The periodic jobs are asked to stop now, not once requests in flight
	 * have finished: a sync ends at its next request meanwhile (found in
	 * review: it went on for as long as the drain took). */
	every_ask_stop(s.notifier);
	every_ask_stop(s.syncer);
	every_ask_stop(s.unqueuer);
	/* Stop accepting; requests in flight finish (up to 10 s), then stop. */
	MHD_socket listen_fd = mhd.MHD_quiesce_daemon(d);
	server_drain(&s.in_flight, 10 * 1000);
	mhd.MHD_stop_daemon(d);
	if (listen_fd != MHD_INVALID_SOCKET)
		close(listen_fd);
	ctx_close(house);
out:
	for (size_t i = 0; i < s.nworkers; i++)
		ctx_close(s.workers[i]);
	free(s.workers);
	pthread_mutex_destroy(&s.lock);
	webhook_queue_turns_destroy(&s.webhook_turns);
	/* A run in progress ends after its current send or request: both asked
	 * first (again, after a signal), so neither waits for the other's join. */
	every_ask_stop(s.notifier);
	every_ask_stop(s.syncer);
	every_ask_stop(s.unqueuer);
	every_stop(s.notifier);
	every_stop(s.syncer);
	every_stop(s.unqueuer);
	webhook_queue_drain_free(&s.unqueue_drain);
	watch_stop(s.watch);
	refresher_stop(s.refresher);
	cache_free(s.cache);
	memo_free(s.memo);
	api_routes_free(s.routes);
	limiter_free(s.limiter);
	stats_free(s.stats);
	if (key)
		sodium_memzero(key, strlen(key));
	free(key);
	free(cert);
	return rc;
}
