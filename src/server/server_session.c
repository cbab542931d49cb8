/* server_session: the sign-in page and form, sign-out, and who a request is
 * (a bearer token or the session cookie).  The sign-in form carries a
 * pre-session CSRF token (cookie and hidden field must match, and the
 * server's MAC vouches for it) and must come from this site's own page, so
 * another site cannot sign a browser in as someone else. */
#include <arpa/inet.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/mem.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "server/server_int.h"

/* Over HTTPS the names carry the prefixes browsers enforce (RFC 6265bis,
 * 4.1.3): a __Host- cookie is kept only if set Secure, without a Domain and
 * on Path=/, so a sibling subdomain or a plain-HTTP page on the same host
 * cannot plant a session of its own (the sign-in form's, on /signin,
 * takes __Secure-). */
const char *session_cookie(const struct server *s)
{
	return s->tls ? SESSION_COOKIE_TLS : SESSION_COOKIE;
}

bool request_has_credential(const struct request *req)
{
	/* Either name: a page's refusal may not know the server (a browser
	 * sends the __Host- one over HTTPS alone). */
	return request_header(req, "Authorization") || request_cookie_count(req, SESSION_COOKIE) ||
	       request_cookie_count(req, SESSION_COOKIE_TLS);
}

static const char *pre_cookie(const struct server *s)
{
	return s->tls ? "__Secure-plumb_signin" : "plumb_signin";
}

/* Where to go after signing in: a path on this site only. */
static const char *safe_next(const char *next)
{
	/* A path on this site: no scheme, no "//host", and nothing a browser
	 * strips or bends (control characters, spaces, backslashes, bytes that
	 * are not UTF-8: the sign-in page echoed them raw, found hunting). */
	if (!next || next[0] != '/' || next[1] == '/' || !utf8_valid(next, strlen(next)))
		return "/";
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '\\')
			return "/";
	return next;
}

static void client_address(const struct request *req, char *out, size_t cap)
{
	const union MHD_ConnectionInfo *ci =
	        mhd.MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, cap, "?");
	if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, out,
		          (socklen_t)cap);
}

static void signin_page(struct server *s, struct request *req, const char *next, const char *user,
                        const char *message, struct reply *out);

void session_signin_page(struct server *s, struct request *req, const char *message,
                         struct reply *out)
{
	/* Two nexts are no next, as one that is not a path here: the first was
	 * taken where a proxy may read the last (found hunting). */
	const char *next =
	        request_query_count(req, "next") == 1 ? request_query(req, "next") : NULL;
	signin_page(s, req, next, NULL, message, out);
}

/* The sign-in form's token: a random nonce and the server's MAC of it, in
 * hex, also set as a cookie.  Cookie and field must agree and the MAC must
 * be the server's: a token another site (or a sibling host that can set a
 * cookie here) made up does not sign a browser in to an account of its
 * choosing (found in review: any equal pair passed). */
#define PRE_NONCE 16
#define PRE_HEX   (2 * (PRE_NONCE + crypto_auth_BYTES))

static void pre_token(const struct server *s, const unsigned char nonce[PRE_NONCE],
                      char out[PRE_HEX + 1])
{
	unsigned char raw[PRE_NONCE + crypto_auth_BYTES];
	memcpy(raw, nonce, PRE_NONCE);
	crypto_auth(raw + PRE_NONCE, nonce, PRE_NONCE, s->signin_key);
	sodium_bin2hex(out, PRE_HEX + 1, raw, sizeof raw);
}

static bool pre_token_valid(const struct server *s, const char *token)
{
	unsigned char raw[PRE_NONCE + crypto_auth_BYTES];
	size_t len = 0;
	if (strlen(token) != PRE_HEX ||
	    sodium_hex2bin(raw, sizeof raw, token, PRE_HEX, NULL, &len, NULL) != 0 ||
	    len != sizeof raw)
		return false;
	return crypto_auth_verify(raw + PRE_NONCE, raw, PRE_NONCE, s->signin_key) == 0;
}

/* The sign-in form; user (or NULL) is the name a refused sign-in was sent
 * with, kept in its field so that only the password is typed again. */
static void signin_page(struct server *s, struct request *req, const char *next, const char *user,
                        const char *message, struct reply *out)
{
	/* One token per browser while it signs in: a page opened twice (or a
	 * favicon fetched on the way) must not void the first form. */
	char pre[PRE_HEX + 1];
	if (!request_cookie(req, pre_cookie(s), pre, sizeof pre) || !pre_token_valid(s, pre)) {
		unsigned char nonce[PRE_NONCE];
		randombytes_buf(nonce, sizeof nonce);
		pre_token(s, nonce, pre);
	}
	reply_header(out, "Set-Cookie", "%s=%s; Path=/signin; HttpOnly; SameSite=Strict%s",
	             pre_cookie(s), pre, s->tls ? "; Secure" : "");
	out->type = "text/html; charset=utf-8";
	struct sb *b = &out->body;
	sb_puts(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	           "<title>Sign in - plumb</title><style>"
	           "body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;"
	           "max-width:24rem;margin:4rem auto;padding:0 1rem}"
	           "label{display:block;margin-top:1rem;font-weight:600}"
	           "input{font:inherit;width:100%;padding:.4rem;border:1px solid #555;"
	           "box-sizing:border-box}"
	           "button{font:inherit;margin-top:1.5rem;padding:.5rem 1.5rem;background:#0b4f8a;"
	           "color:#fff;border:0;cursor:pointer}"
	           "button:focus,input:focus{outline:3px solid #f2a900}"
	           ".error{color:#a4000f;font-weight:600}</style></head><body><main>"
	           "<h1>Sign in to plumb</h1>");
	if (message) {
		sb_puts(b, "<p class=\"error\" id=\"signin-error\" role=\"alert\">");
		sb_html(b, message);
		sb_puts(b, "</p>");
	}
	sb_puts(b, "<form method=\"post\" action=\"/signin\">"
	           "<input type=\"hidden\" name=\"csrf\" value=\"");
	sb_puts(b, pre);
	sb_puts(b, "\"><input type=\"hidden\" name=\"next\" value=\"");
	sb_html(b, safe_next(next));
	/* The refusal is tied to the fields it is about, for a screen reader
	 * that lands on them; the cursor goes where the typing resumes. */
	const char *about = message ? " aria-describedby=\"signin-error\"" : "";
	bool kept = user && *user;
	sb_printf(b,
	          "\"><label for=\"user\">User (employee id)</label>"
	          "<input id=\"user\" name=\"user\" autocomplete=\"username\" required%s%s",
	          about, kept ? " value=\"" : " autofocus>");
	if (kept) {
		sb_html(b, user);
		sb_puts(b, "\">");
	}
	sb_printf(b,
	          "<label for=\"password\">Password</label>"
	          "<input id=\"password\" name=\"password\" type=\"password\" "
	          "autocomplete=\"current-password\" required%s%s>"
	          "<button type=\"submit\">Sign in</button></form></main></body></html>\n",
	          about, kept ? " autofocus" : "");
}

/* Whether the sign-in form was posted from this site's own page, as the
 * browser says: Sec-Fetch-Site same-origin (or none: typed or bookmarked),
 * and an Origin naming this host.  A page of a sibling host that planted
 * a token it fetched as a cookie posts as same-site, and is refused (found
 * in review: the token alone did not stop that).  A post that says neither
 * is not this site's, as for any form (docs/security.md): a browser old
 * enough to send no Origin with a form (Firefox before 70) may be driven by
 * another site, to sign its user in as someone else (found hunting). */
static bool posted_here(const struct request *req)
{
	const char *site = request_header(req, "Sec-Fetch-Site");
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return false;
	const char *origin = request_header(req, "Origin");
	if (!origin)
		return site != NULL;
	/* The host part only: behind a proxy that ends TLS the scheme differs. */
	const char *host = request_host(req), *sep = strstr(origin, "://");
	return host && sep && strcasecmp(sep + 3, host) == 0;
}

void session_signin(struct server *s, struct ctx *ctx, struct request *req, struct reply *out)
{
	char user[64], password[AUTH_PASSWORD_BYTES + 1], csrf[PRE_HEX + 2], cookie[PRE_HEX + 2];
	char addr[64], user_key[96], addr_key[96];
	const char *body = req->body.buf ? req->body.buf : "";
	size_t len = req->body.len;
	bool have_user = form_field(body, len, "user", user, sizeof user);
	bool have_pw = form_field(body, len, "password", password, sizeof password);
	/* A name kept in its field is text: one that is not UTF-8 was echoed
	 * raw on a page said to be (found hunting), and is no user's. */
	bool user_text = have_user && utf8_valid(user, strlen(user));
	/* As long as the form sends (its body is bounded before it is read):
	 * a page's target may be as long as a request line, and one over a
	 * fixed 512 bytes was dropped for "/" (found hunting). */
	char *next = arena_alloc(ctx->arena, len + 2);
	if (!form_field(body, len, "next", next, len + 2))
		snprintf(next, len + 2, "/");
	if (!form_field(body, len, "csrf", csrf, sizeof csrf) ||
	    !request_cookie(req, pre_cookie(s), cookie, sizeof cookie) ||
	    !auth_secret_equal(csrf, cookie) || !pre_token_valid(s, csrf) || !posted_here(req)) {
		/* A client that is no browser is told what it lacks. */
		bool unsaid =
		        !request_header(req, "Sec-Fetch-Site") && !request_header(req, "Origin");
		out->status = 403;
		signin_page(s, req, next, user_text ? user : NULL,
		            unsaid ? "The form did not say it came from this site's sign-in page "
		                     "(it had no Origin header, which browsers send). Please sign "
		                     "in from the page."
		                   : "The form expired. Please sign in again.",
		            out);
		return;
	}
	struct error twice = {0};
	if (request_form_once(body, len, &twice) < 0) {
		/* Which of two users or passwords was meant is not guessed. */
		out->status = 400;
		sodium_memzero(password, sizeof password);
		signin_page(s, req, next, NULL, twice.message, out);
		return;
	}
	if (!have_user || !have_pw || !user[0]) {
		out->status = 400;
		signin_page(s, req, next, user_text ? user : NULL,
		            "Give your user name and password.", out);
		return;
	}
	if (!user_text) {
		out->status = 400;
		signin_page(s, req, next, NULL, "The user name holds bytes that are not UTF-8.",
		            out);
		return;
	}
	client_address(req, addr, sizeof addr);
	snprintf(user_key, sizeof user_key, "user:%s", user);
	snprintf(addr_key, sizeof addr_key, "addr:%s", addr);
	int64_t now = ts_clock_ms();
	const char *const keys[] = {user_key, addr_key};
	enum limit_verdict verdict = limiter_take(s->limiter, keys, 2, now);
	if (verdict == LIMIT_BUSY) {
		out->status = 503;
		reply_header(out, "Retry-After", "1");
		signin_page(s, req, next, user, "Too many sign-ins at once. Try again in a moment.",
		            out);
		sodium_memzero(password, sizeof password);
		return;
	}
	if (verdict == LIMIT_REFUSED) {
		out->status = 429;
		reply_header(out, "Retry-After", "900");
		signin_page(s, req, next, user,
		            "Too many failed attempts. Wait 15 minutes and try again.", out);
		sodium_memzero(password, sizeof password);
		return;
	}
	/* The browser's session before this sign-in ends with it (two cookies
	 * of the name, as a sibling host may add: each). */
	const char *previous[4];
	int nprevious = request_cookie_values(req, session_cookie(s), previous, 4);
	struct auth_session sess;
	struct error err = {0};
	int rc = auth_sign_in(ctx, user, password, strlen(password), previous, (size_t)nprevious,
	                      &sess, &err);
	sodium_memzero(password, sizeof password);
	snprintf(req->user, sizeof req->user, "%s", rc == 0 ? user : "-");
	/* Only a wrong password counts against the account and the address. */
	limiter_settle(s->limiter, keys, 2, rc == ERR_UNAUTHENTICATED, ts_clock_ms());
	if (rc < 0) {
		out->status = err_http_status(rc);
		/* Busy: when to come back, as every other 503 says (reply_error_own). */
		if (out->status == 503)
			reply_header(out, "Retry-After", "1");
		server_error_conceal(&err);
		signin_page(s, req, next, user, err.message, out);
		return;
	}
	limiter_clear(s->limiter, user_key);
	out->status = 303;
	reply_header(out, "Set-Cookie", "%s=%s; Path=/; HttpOnly; SameSite=Strict%s",
	             session_cookie(s), sess.id, s->tls ? "; Secure" : "");
	reply_location(out, safe_next(next));
	sodium_memzero(&sess, sizeof sess);
}

void session_signout(struct server *s, struct ctx *ctx, struct request *req,
                     const struct auth_identity *who, struct reply *out)
{
	char csrf[AUTH_SECRET_HEX], id[AUTH_SECRET_HEX];
	const char *body = req->body.buf ? req->body.buf : "";
	/* A page's refusal is a page (found in review: JSON, and a token was
	 * told of a CSRF token). */
	if (who->via != AUTH_VIA_SESSION) {
		struct error err = {0};
		err_set(&err, ERR_USAGE, "sign-out ends a browser session, not an API token");
		err_hint(&err, "revoke a token with 'plumb token revoke ID'");
		page_refusal(req, out, 400, &err, who, ctx);
		return;
	}
	struct error twice = {0};
	if (request_form_once(body, req->body.len, &twice) < 0) {
		page_refusal(req, out, 400, &twice, who, ctx);
		return;
	}
	if (!form_field(body, req->body.len, "csrf", csrf, sizeof csrf) ||
	    !auth_secret_equal(csrf, who->csrf) ||
	    !request_cookie(req, session_cookie(s), id, sizeof id)) {
		/* Audited, as a page's form refused for its token is (found hunting:
		 * the sign-out's refusal left no entry). */
		struct error err = {0};
		err_set(&err, ERR_DENIED, "missing or wrong CSRF token");
		ctx_record_denied(ctx, OP_SESSION_SIGNOUT, &err);
		page_refusal(req, out, 403, &err, who, ctx);
		return;
	}
	struct error err = {0};
	int rc = auth_sign_out(ctx, id, &err);
	if (rc < 0) {
		page_refusal(req, out, err_http_status(rc), &err, who, ctx);
		return;
	}
	out->status = 303;
	reply_header(out, "Set-Cookie", "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
	             session_cookie(s), s->tls ? "; Secure" : "");
	reply_location(out, "/signin");
}

/* ---- who a credential is, remembered ----------------------------------- */

#define MEMO_SLOTS  256
#define MEMO_TTL_MS 1000

struct memo_row {
	char key[AUTH_SECRET_HEX]; /* SHA-256 of the credential, never the credential */
	struct auth_identity who;
	struct actor actor;
	int64_t head, at_ms;
};

struct auth_memo {
	pthread_mutex_t lock;
	struct memo_row rows[MEMO_SLOTS];
};

struct auth_memo *memo_new(void)
{
	struct auth_memo *m = xcalloc(1, sizeof *m);
	pthread_mutex_init(&m->lock, NULL);
	return m;
}

void memo_free(struct auth_memo *m)
{
	if (!m)
		return;
	pthread_mutex_destroy(&m->lock);
	sodium_memzero(m, sizeof *m);
	free(m);
}

static void credential_key(enum auth_via via, const char *secret, char key[AUTH_SECRET_HEX],
                           size_t *slot)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)(via == AUTH_VIA_TOKEN ? "t" : "s"),
	                          1);
	crypto_hash_sha256_update(&st, (const unsigned char *)secret, strlen(secret));
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(key, AUTH_SECRET_HEX, h, sizeof h);
	*slot = ((size_t)h[0] << 8 | h[1]) % MEMO_SLOTS;
}

/* Who the credential keyed key is, from the memo: whether it was there,
 * seen while the audit head was head, and briefly (a change of roles, a
 * revocation or a sign-out moves the head; an end date passing is caught
 * within MEMO_TTL_MS); if so, the request begun on ctx as them. */
static bool memo_hit(struct server *s, struct ctx *ctx, const char *key, size_t slot, int64_t head,
                     int64_t now, struct auth_identity *who)
{
	struct auth_memo *m = s->memo;
	pthread_mutex_lock(&m->lock);
	struct memo_row *row = &m->rows[slot];
	bool hit = row->head == head && now - row->at_ms < MEMO_TTL_MS && row->at_ms &&
	           strcmp(row->key, key) == 0;
	struct actor actor;
	if (hit) {
		*who = row->who;
		actor = row->actor;
	}
	pthread_mutex_unlock(&m->lock);
	if (hit)
		ctx_begin_request_as(ctx, &actor);
	return hit;
}

/* Who the credential is: from the memo (memo_hit), else from the database. */
static int identify(struct server *s, struct ctx *ctx, enum auth_via via, const char *secret,
                    int64_t head, struct auth_identity *who, struct error *err)
{
	char key[AUTH_SECRET_HEX];
	size_t slot;
	credential_key(via, secret, key, &slot);
	int64_t now = ts_clock_ms();
	if (memo_hit(s, ctx, key, slot, head, now, who)) {
		ctx->actor.credential_at = now; /* this request's, not the memo's */
		return 0;
	}
	int rc = auth_resolve(ctx, via, secret, who, err);
	if (rc == 0)
		rc = ctx_begin_request(ctx, who->user, err);
	if (rc < 0)
		return rc;
	/* The token's scope travels with the actor: the core refuses writes. */
	ctx->actor.read_only = !who->write_scope;
	ctx->actor.remote = true;
	snprintf(ctx->actor.credential, sizeof ctx->actor.credential, "%s", who->hash);
	ctx->actor.credential_is_token = via == AUTH_VIA_TOKEN;
	ctx->actor.credential_at = now;
	struct auth_memo *m = s->memo;
	pthread_mutex_lock(&m->lock);
	struct memo_row *row = &m->rows[slot];
	snprintf(row->key, sizeof row->key, "%s", key);
	row->who = *who;
	row->actor = ctx->actor;
	row->head = head;
	row->at_ms = now;
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int session_identify(struct server *s, struct ctx *ctx, struct request *req, int64_t head,
                     struct auth_identity *who, struct error *err)
{
	const char *authz = request_header(req, "Authorization");
	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7) != 0) {
			err_set(err, ERR_UNAUTHENTICATED, "unsupported Authorization scheme");
			err_hint(err, "send 'Authorization: Bearer TOKEN'");
			return ERR_UNAUTHENTICATED;
		}
		/* One or more spaces before the token (RFC 7235's 1*SP) and none of
		 * the field's trailing whitespace, as /webhooks/deploy reads its
		 * bearer: "Bearer  TOKEN" was refused (found hunting). */
		const char *token = authz + 7;
		token += strspn(token, " ");
		size_t n = strlen(token);
		while (n && (token[n - 1] == ' ' || token[n - 1] == '\t'))
			n--;
		char trimmed[AUTH_TOKEN_TEXT];
		if (n < sizeof trimmed) {
			memcpy(trimmed, token, n);
			trimmed[n] = '\0';
			token = trimmed;
		}
		int rc = identify(s, ctx, AUTH_VIA_TOKEN, token, head, who, err);
		sodium_memzero(trimmed, sizeof trimmed);
		return rc < 0 ? rc : 1;
	}
	if (request_cookie_count(req, session_cookie(s)) > 1) {
		/* Without TLS the name has no __Host- prefix, and a sibling host
		 * may set one of its own for the whole domain, read first (found in
		 * review): which is this browser's session is not guessed, as of
		 * two Origin headers. */
		err_set(err, ERR_USAGE, "the request has more than one %s cookie",
		        session_cookie(s));
		err_detail(err, "another site under the same domain may have set one");
		err_hint(err, "clear this site's cookies in the browser, then sign in again");
		return ERR_USAGE;
	}
	char id[AUTH_SECRET_HEX];
	if (!request_cookie(req, session_cookie(s), id, sizeof id))
		return 0;
	/* A stale cookie is the same as none: the page asks to sign in.  Any
	 * other failure (the database) is the server's, not a sign-out. */
	int rc = identify(s, ctx, AUTH_VIA_SESSION, id, head, who, err);
	if (rc == ERR_UNAUTHENTICATED || rc == ERR_DENIED) {
		err_clear(err);
		return 0;
	}
	return rc < 0 ? rc : 1;
}

int session_identify_memo(struct server *s, struct ctx *ctx, struct request *req, int64_t head,
                          struct auth_identity *who)
{
	char id[AUTH_SECRET_HEX], key[AUTH_SECRET_HEX];
	size_t slot;
	if (request_header(req, "Authorization") ||
	    request_cookie_count(req, session_cookie(s)) > 1 ||
	    !request_cookie(req, session_cookie(s), id, sizeof id))
		return 0;
	credential_key(AUTH_VIA_SESSION, id, key, &slot);
	sodium_memzero(id, sizeof id);
	return memo_hit(s, ctx, key, slot, head, ts_clock_ms(), who);
}
