/* auth: argon2id passwords, sessions and API tokens stored by hash, offboarding. */
#include "core/auth.h"

#include <inttypes.h>
#include <sodium.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "core/actor.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "store/store.h"

/* A session's last use is written at most this often. */
#define TOUCH_EVERY_MS (60LL * 1000)

static void random_hex(char out[AUTH_SECRET_HEX])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, AUTH_SECRET_HEX, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
}

static void sha256_hex(const char *text, char out[AUTH_SECRET_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(out, AUTH_SECRET_HEX, h, sizeof h);
}

static int user_id_of(struct ctx *ctx, const char *user, int64_t *id, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT id FROM users WHERE name = ?", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, user);
	rc = stmt_step(st, err);
	*id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (!*id) {
		err_set(err, ERR_NOT_FOUND, "no user '%s'", user);
		err_hint(err, "list users with 'plumb user list'");
		return ERR_NOT_FOUND;
	}
	return 0;
}

/* Run sql with its one or two integer parameters. */
static int exec_bound(struct ctx *ctx, const char *sql, int64_t a, int64_t b, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a);
	if (strchr(strchr(sql, '?') + 1, '?'))
		stmt_bind_int(st, 2, b);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- passwords ---------------------------------------------------------- */

struct passwd_args {
	const char *user;
	const char *hash;
};

static int passwd_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct passwd_args *a = arg;
	int64_t uid;
	int rc = user_id_of(ctx, a->user, &uid, err);
	if (rc < 0)
		return rc;
	int64_t now = ts_clock_ms();
	struct store_stmt *st;
	rc = store_prepare(
	        ctx->store,
	        "INSERT INTO user_credentials(user_id, password_hash, changed_at) "
	        "VALUES (?,?,?) ON CONFLICT (user_id) DO UPDATE SET "
	        "password_hash = excluded.password_hash, changed_at = excluded.changed_at",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, uid);
	stmt_bind_text(st, 2, a->hash);
	stmt_bind_int(st, 3, now);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if ((rc = exec_bound(ctx,
	                     "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND "
	                     "revoked_at IS NULL",
	                     now, uid, err)) < 0)
		return rc;
	/* The hash is not a secret to publish either: the entry says only that
	 * the password changed. */
	return audit_append(ctx, "user.passwd", "user", a->user, "{\"sessions_revoked\":true}",
	                    err);
}

int auth_set_password(struct ctx *ctx, const char *user, const char *password, size_t len,
                      struct error *err)
{
	/* The sign-in page sends UTF-8: a password in another encoding could
	 * never be typed there. */
	size_t chars = 0;
	if (!utf8_count(password, len, &chars)) {
		err_set(err, ERR_INVALID, "the password is not UTF-8 text");
		err_hint(err, "the sign-in page sends UTF-8; type it where the terminal or the "
		              "file is UTF-8");
		return ERR_INVALID;
	}
	if (chars < AUTH_PASSWORD_MIN || chars > AUTH_PASSWORD_MAX) {
		err_set(err, ERR_INVALID, "the password must be %d to %d characters",
		        AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
		err_detail(err, "it has %zu", chars);
		err_hint(err, "a passphrase of several words is long enough and easy to type");
		return ERR_INVALID;
	}
	/* Hashed before the transaction: argon2id takes a while on purpose. */
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(hash, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return err_set(err, ERR_FAILED, "cannot hash the password (out of memory)");
	struct passwd_args a = {user, hash};
	return ctx_run(ctx, OP_USER_PASSWD, passwd_body, &a, err);
}

/* ---- sessions ----------------------------------------------------------- */

struct signin_args {
	const char *user;
	bool ok;
	const char *hash;            /* the stored hash the password was checked against */
	const char *const *previous; /* session ids the browser sent, ended by this sign-in */
	size_t nprevious;
	struct auth_session *out;
};

/* The user's stored password hash (NULL: none), into the ctx arena. */
static int stored_hash(struct ctx *ctx, int64_t user_id, const char **hash, struct error *err)
{
	*hash = NULL;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT password_hash FROM user_credentials WHERE user_id = ?", &st,
	                       err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, user_id);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		*hash = stmt_text_dup(st, 0, ctx->arena);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* End the session whose id the browser sent as it signed in again, if it is
 * still live, audited as its sign-out: the new cookie replaces it in the
 * browser, and a copy of the old one (a shared computer's next user, a
 * stolen cookie) must not stay signed in as whoever had it (found in
 * review).  The entry names the session's user, the actor the one signing
 * in. */
static int end_previous(struct ctx *ctx, const char *session_id, int64_t now, struct error *err)
{
	char id_hash[AUTH_SECRET_HEX];
	sha256_hex(session_id, id_hash);
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT u.name FROM sessions s JOIN users u ON u.id = s.user_id "
	                       "WHERE s.id_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? "
	                       "AND s.last_seen > ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, id_hash);
	stmt_bind_int(st, 2, now);
	stmt_bind_int(st, 3, now - AUTH_SESSION_IDLE_MS);
	rc = stmt_step(st, err);
	const char *user = rc == STORE_ROW ? stmt_text_dup(st, 0, ctx->arena) : NULL;
	stmt_reset(st);
	if (rc < 0 || !user)
		return rc < 0 ? rc : 0;
	rc = store_prepare(ctx->store, "UPDATE sessions SET revoked_at = ? WHERE id_hash = ?", &st,
	                   err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, now);
	stmt_bind_text(st, 2, id_hash);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	return audit_append(ctx, "session.signout", "user", user, "{\"signed_in_again\":true}",
	                    err);
}

static int signin_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct signin_args *a = arg;
	/* The password was checked before the write lock (argon2id is slow on
	 * purpose): one changed while this waited for it ('user passwd', which
	 * also ends every session) signs nobody in with the old one. */
	const char *now_hash = NULL;
	int rc = a->ok ? stored_hash(ctx, ctx->actor.user_id, &now_hash, err) : 0;
	if (rc < 0)
		return rc;
	if (!a->ok || !now_hash || strcmp(now_hash, a->hash) != 0) {
		err_set(err, ERR_UNAUTHENTICATED, "wrong user name or password");
		if (a->ok)
			err_detail(err, "the password was changed while signing in");
		ctx_note_denied(ctx, err);
		return ERR_UNAUTHENTICATED;
	}
	int64_t now = ts_clock_ms();
	for (size_t i = 0; i < a->nprevious; i++)
		if ((rc = end_previous(ctx, a->previous[i], now, err)) < 0)
			return rc;
	random_hex(a->out->id);
	random_hex(a->out->csrf);
	a->out->expires_at = now + AUTH_SESSION_MAX_MS;
	char id_hash[AUTH_SECRET_HEX];
	sha256_hex(a->out->id, id_hash);
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "INSERT INTO sessions(id_hash, user_id, csrf, created_at, last_seen, "
	                   "expires_at) VALUES (?,?,?,?,?,?)",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, id_hash);
	stmt_bind_int(st, 2, ctx->actor.user_id);
	stmt_bind_text(st, 3, a->out->csrf);
	stmt_bind_int(st, 4, now);
	stmt_bind_int(st, 5, now);
	stmt_bind_int(st, 6, a->out->expires_at);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	char detail[96];
	snprintf(detail, sizeof detail, "{\"expires_at\":%" PRId64 "}", a->out->expires_at);
	return audit_append(ctx, "session.signin", "user", a->user, detail, err);
}

int auth_sign_in(struct ctx *ctx, const char *user, const char *password, size_t len,
                 const char *const *previous, size_t nprevious, struct auth_session *out,
                 struct error *err)
{
	/* An unknown user costs the same argon2id check as a known one, so
	 * timing does not tell which names exist. */
	static const char dummy[crypto_pwhash_STRBYTES] =
	        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
	        "RdescudvJCsgt3ub+b+dWRWJTmaaJObG3mJ2/oqa4Bk";
	struct error why = {0};
	int rc = actor_load(ctx->store, user, &ctx->actor, &why);
	if (rc < 0 && rc != ERR_NOT_FOUND && rc != ERR_DENIED) {
		*err = why;
		return rc;
	}
	/* A disabled user's hash is checked too: the same work, and the
	 * refusal can say why once the password proved who is asking. */
	const char *hash = NULL;
	int lrc = ctx->actor.user_id ? stored_hash(ctx, ctx->actor.user_id, &hash, err) : 0;
	if (lrc < 0)
		return lrc;
	char stored[crypto_pwhash_STRBYTES] = {0};
	snprintf(stored, sizeof stored, "%s", hash ? hash : dummy);
	bool ok = crypto_pwhash_str_verify(stored, password, len) == 0 && hash;
	if (!ctx->actor.user_id) {
		/* Nobody to act as: the refusal cannot be recorded under a user. */
		err_set(err, ERR_UNAUTHENTICATED, "wrong user name or password");
		return ERR_UNAUTHENTICATED;
	}
	if (rc == ERR_DENIED) {
		/* A disabled user or one who has left may begin no operation:
		 * the refusal is recorded as the sign-in's, under the user. */
		if (ok)
			*err = why;
		else
			err_set(err, ERR_UNAUTHENTICATED, "wrong user name or password");
		return ctx_record_denied(ctx, OP_SESSION_SIGNIN, err);
	}
	struct signin_args a = {user, ok, hash, previous, nprevious, out};
	return ctx_run(ctx, OP_SESSION_SIGNIN, signin_body, &a, err);
}

static int signout_body(struct ctx *ctx, void *arg, struct error *err)
{
	const char *id_hash = arg;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND user_id = ? "
	        "AND revoked_at IS NULL",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, ts_clock_ms());
	stmt_bind_text(st, 2, id_hash);
	stmt_bind_int(st, 3, ctx->actor.user_id);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	return audit_append(ctx, "session.signout", "user", ctx->actor.name, NULL, err);
}

int auth_sign_out(struct ctx *ctx, const char *session_id, struct error *err)
{
	char id_hash[AUTH_SECRET_HEX];
	sha256_hex(session_id, id_hash);
	int rc = ctx_run(ctx, OP_SESSION_SIGNOUT, signout_body, id_hash, err);
	/* Ended while this waited for the write lock (actor_refresh): signed
	 * out already, with nothing written. */
	if (rc == ERR_UNAUTHENTICATED) {
		err_clear(err);
		return 0;
	}
	return rc;
}

static int unauthenticated(struct error *err, const char *why)
{
	err_set(err, ERR_UNAUTHENTICATED, "not signed in");
	err_detail(err, "%s", why);
	err_hint(err, "sign in again, or send a live API token as 'Authorization: Bearer TOKEN'");
	return ERR_UNAUTHENTICATED;
}

/* Whether a session that ended (revoked at revoked_at, INT64_MAX when not;
 * or expired) did so within AUTH_SESSION_ENDED_GRACE_MS: rows are never
 * deleted, so an old cookie must not stay a larger-body pass forever. */
static bool session_ended_recently(int64_t now, int64_t last_seen, int64_t expires_at,
                                   int64_t revoked_at)
{
	int64_t ended_at = last_seen + AUTH_SESSION_IDLE_MS;
	if (expires_at < ended_at)
		ended_at = expires_at;
	if (revoked_at < ended_at)
		ended_at = revoked_at;
	return now - ended_at < AUTH_SESSION_ENDED_GRACE_MS;
}

/* Whether user is one actor_load would let act now (not left, merged, not
 * yet started or disabled).  Any failure, the database's too, is a no: it
 * only decides whether an ended session's form may be larger than a
 * stranger's, never the request's answer. */
static bool may_still_act(struct store *s, const char *user)
{
	struct actor scratch;
	struct error ignored = {0};
	return actor_load(s, user, &scratch, &ignored) == 0;
}

int auth_resolve(struct ctx *ctx, enum auth_via via, const char *secret, struct auth_identity *out,
                 struct error *err)
{
	memset(out, 0, sizeof *out);
	out->via = via;
	if (via == AUTH_VIA_TOKEN &&
	    strncmp(secret, AUTH_TOKEN_PREFIX, sizeof AUTH_TOKEN_PREFIX - 1) != 0)
		return unauthenticated(err, "the bearer token is not a plumb token");
	char *hash = out->hash;
	sha256_hex(secret, hash);
	const char *sql =
	        via == AUTH_VIA_SESSION
	                ? "SELECT u.name, s.csrf, s.last_seen, s.expires_at, s.revoked_at, "
	                  "u.disabled "
	                  "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?"
	                : "SELECT u.name, t.scope, 0, t.expires_at, t.revoked_at, u.disabled "
	                  "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = "
	                  "?";
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, hash);
	rc = stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (rc == STORE_DONE) {
		stmt_reset(st);
		return unauthenticated(err, via == AUTH_VIA_SESSION ? "no such session"
		                                                    : "no such token");
	}
	int64_t now = ts_clock_ms();
	snprintf(out->user, sizeof out->user, "%s", stmt_text(st, 0));
	const char *second = stmt_text(st, 1);
	int64_t last_seen = stmt_int(st, 2), expires_at = stmt_int(st, 3);
	bool revoked = !stmt_is_null(st, 4), disabled = stmt_int(st, 5) != 0;
	int64_t revoked_at = revoked ? stmt_int(st, 4) : INT64_MAX;
	if (via == AUTH_VIA_SESSION) {
		snprintf(out->csrf, sizeof out->csrf, "%s", second);
		out->write_scope = true;
	} else {
		out->write_scope = strcmp(second, "write") == 0;
	}
	stmt_reset(st);
	bool expired = now >= expires_at ||
	               (via == AUTH_VIA_SESSION && now - last_seen >= AUTH_SESSION_IDLE_MS);
	out->ended = via == AUTH_VIA_SESSION && !disabled && (revoked || expired) &&
	             session_ended_recently(now, last_seen, expires_at, revoked_at) &&
	             may_still_act(ctx->store, out->user);
	out->timed_out = out->ended && !revoked;
	if (revoked || disabled)
		return unauthenticated(err, revoked ? "it was revoked" : "the user is disabled");
	if (expired)
		return unauthenticated(err, "it has expired");
	if (via == AUTH_VIA_SESSION && now - last_seen >= TOUCH_EVERY_MS) {
		/* Best effort: a busy database must not sign anyone out; the next
		 * request (within the idle limit) tries again. */
		struct error ignored = {0};
		if (store_prepare(ctx->store, "UPDATE sessions SET last_seen = ? WHERE id_hash = ?",
		                  &st, &ignored) == 0) {
			stmt_bind_int(st, 1, now);
			stmt_bind_text(st, 2, hash);
			stmt_step(st, &ignored);
			stmt_reset(st);
		}
	}
	return 0;
}

/* A credential identified when the request came, checked again by a write
 * once it holds the lock (ctx.c): revoked or expired since is refused as
 * auth_resolve refuses it, a session idle past AUTH_SESSION_IDLE_MS too
 * (found in review: a write that waited that long for the lock went
 * through, where a read then was refused).  Idle as of the request's
 * arrival, though: a session in use then, whose last use auth_resolve
 * could not write (the database busy), is not idle for the time its write
 * waited for the lock (found in review: 29.5 minutes idle, a wait of one
 * more, refused). */
int auth_credential_live(struct store *s, const struct actor *a, struct error *err)
{
	if (!a->credential[0])
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(
	        s,
	        a->credential_is_token
	                ? "SELECT revoked_at, expires_at FROM api_tokens WHERE token_hash = ?"
	                : "SELECT revoked_at, expires_at, last_seen FROM sessions "
	                  "WHERE id_hash = ?",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, a->credential);
	rc = stmt_step(st, err);
	if (rc < 0)
		return rc;
	const char *why = NULL;
	int64_t now = ts_clock_ms(), arrived = a->credential_at ? a->credential_at : now;
	if (rc == STORE_DONE)
		why = a->credential_is_token ? "no such token" : "no such session";
	else if (!stmt_is_null(st, 0))
		why = "it was revoked";
	else if (now >= stmt_int(st, 1) ||
	         (!a->credential_is_token && arrived - stmt_int(st, 2) >= AUTH_SESSION_IDLE_MS))
		why = "it has expired";
	stmt_reset(st);
	return why ? unauthenticated(err, why) : 0;
}

bool auth_secret_equal(const char *sent, const char *want)
{
	if (!sent || !want || !*want)
		return false;
	/* Only the length may show: the tokens are of one fixed length. */
	size_t n = strlen(want);
	return strlen(sent) == n && sodium_memcmp(sent, want, n) == 0;
}

/* ---- API tokens --------------------------------------------------------- */

struct token_args {
	const char *user, *scope;
	int64_t expires_at;
	char *token;
	struct auth_token_info *info;
};

static int token_create_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct token_args *a = arg;
	int64_t uid;
	int rc = user_id_of(ctx, a->user, &uid, err);
	if (rc < 0)
		return rc;
	/* A token of a user refused on every request (disabled, their person
	 * left or merged into another record) could never be used. */
	struct actor holder;
	struct error why = {0};
	rc = actor_load(ctx->store, a->user, &holder, &why);
	if (rc == ERR_DENIED) {
		err_set(err, ERR_CONFLICT, "%s: no token for them", why.message);
		if (why.detail[0])
			err_detail(err, "%s", why.detail);
		return ERR_CONFLICT;
	}
	if (rc < 0) {
		*err = why;
		return rc;
	}
	char secret[AUTH_SECRET_HEX], hash[AUTH_SECRET_HEX];
	random_hex(secret);
	snprintf(a->token, AUTH_TOKEN_TEXT, "%s%s", AUTH_TOKEN_PREFIX, secret);
	sodium_memzero(secret, sizeof secret);
	sha256_hex(a->token, hash);
	int64_t now = ts_clock_ms();
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "INSERT INTO api_tokens(token_hash, user_id, scope, created_at, "
	                   "expires_at) VALUES (?,?,?,?,?) RETURNING id",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, hash);
	stmt_bind_int(st, 2, uid);
	stmt_bind_text(st, 3, a->scope);
	stmt_bind_int(st, 4, now);
	stmt_bind_int(st, 5, a->expires_at);
	rc = stmt_step(st, err);
	int64_t id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	*a->info = (struct auth_token_info){id, a->user, a->scope, now, a->expires_at, 0};
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_key(&w, "token_id");
	jw_int(&w, id);
	jw_key(&w, "scope");
	jw_str(&w, a->scope);
	jw_key(&w, "expires_at");
	jw_time(&w, a->expires_at, true);
	jw_object_end(&w);
	rc = audit_append(ctx, "token.create", "user", a->user, detail.buf, err);
	sb_release(&detail);
	return rc;
}

int auth_token_create(struct ctx *ctx, const char *user, const char *scope, int64_t expires_at,
                      char token[AUTH_TOKEN_TEXT], struct auth_token_info *info, struct error *err)
{
	if (strcmp(scope, "read") != 0 && strcmp(scope, "write") != 0) {
		err_set(err, ERR_USAGE, "invalid token scope '%s'", scope);
		err_detail(err, "expected read or write");
		return ERR_USAGE;
	}
	int64_t now = ts_clock_ms();
	if (expires_at <= now) {
		/* The example is a day to come whatever today is (a fixed one, 2030-01-01,
		 * would itself lie in the past from 2030 on). */
		char day[TS_BUF];
		ts_format_date(ts_day_floor(now) + 90 * MS_PER_DAY, day);
		err_set(err, ERR_USAGE, "the token's expiry is in the past");
		err_hint(err, "give --expires a future date, such as %s (in 90 days)", day);
		return ERR_USAGE;
	}
	struct token_args a = {user, scope, expires_at, token, info};
	return ctx_run(ctx, OP_TOKEN_CREATE, token_create_body, &a, err);
}

struct token_list_args {
	const char *user;
	struct auth_token_info **out;
	size_t *n;
};

static int token_list_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct token_list_args *a = arg;
	struct store_stmt *st;
	/* A user named that does not exist is an error, not an empty list: a typo
	 * would otherwise read as "this user has no tokens". */
	int64_t user_id;
	int rc = a->user ? user_id_of(ctx, a->user, &user_id, err) : 0;
	if (rc < 0)
		return rc;
	rc = store_prepare(ctx->store,
	                   "SELECT t.id, u.name, t.scope, t.created_at, t.expires_at, "
	                   "t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id "
	                   "WHERE u.name = COALESCE(?, u.name) ORDER BY t.id",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, a->user);
	size_t count = 0, alloc = 0;
	struct auth_token_info *list = NULL;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		list = arena_grow(ctx->arena, list, count, &alloc, sizeof *list);
		list[count++] = (struct auth_token_info){
		        stmt_int(st, 0),
		        stmt_text_dup(st, 1, ctx->arena),
		        stmt_text_dup(st, 2, ctx->arena),
		        stmt_int(st, 3),
		        stmt_int(st, 4),
		        stmt_is_null(st, 5) ? 0 : stmt_int(st, 5),
		};
	}
	stmt_reset(st);
	*a->out = list;
	*a->n = count;
	return rc < 0 ? rc : 0;
}

int auth_token_list(struct ctx *ctx, const char *user, struct auth_token_info **out, size_t *n,
                    struct error *err)
{
	struct token_list_args a = {user, out, n};
	return ctx_run(ctx, OP_TOKEN_LIST, token_list_body, &a, err);
}

static int token_revoke_body(struct ctx *ctx, void *arg, struct error *err)
{
	int64_t id = *(int64_t *)arg;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT u.name, t.revoked_at FROM api_tokens t JOIN users u ON "
	                       "u.id = t.user_id WHERE t.id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, id);
	rc = stmt_step(st, err);
	const char *user = rc == STORE_ROW ? stmt_text_dup(st, 0, ctx->arena) : NULL;
	bool revoked = rc == STORE_ROW && !stmt_is_null(st, 1);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (!user) {
		err_set(err, ERR_NOT_FOUND, "no token %" PRId64, id);
		err_hint(err, "list tokens with 'plumb token list'");
		return ERR_NOT_FOUND;
	}
	if (revoked) {
		err_set(err, ERR_CONFLICT, "token %" PRId64 " is already revoked", id);
		return ERR_CONFLICT;
	}
	if ((rc = exec_bound(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?",
	                     ts_clock_ms(), id, err)) < 0)
		return rc;
	char detail[48];
	snprintf(detail, sizeof detail, "{\"token_id\":%" PRId64 "}", id);
	return audit_append(ctx, "token.revoke", "user", user, detail, err);
}

int auth_token_revoke(struct ctx *ctx, int64_t id, struct error *err)
{
	return ctx_run(ctx, OP_TOKEN_REVOKE, token_revoke_body, &id, err);
}

/* ---- offboarding -------------------------------------------------------- */

/* Disable user_id, revoke their sessions and tokens and append the
 * user.offboard entry with detail (JSON).  The revocation's time is the
 * system clock's, as every credential time is; who has left is judged by
 * business time, by the caller. */
static int offboard_one(struct ctx *ctx, int64_t user_id, const char *name, const char *detail,
                        struct error *err)
{
	int64_t now = ts_clock_ms();
	static const char *const revoke[] = {
	        "UPDATE users SET disabled = 1 WHERE id = ?",
	        "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
	        "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
	};
	int rc;
	if ((rc = exec_bound(ctx, revoke[0], user_id, 0, err)) < 0 ||
	    (rc = exec_bound(ctx, revoke[1], now, user_id, err)) < 0 ||
	    (rc = exec_bound(ctx, revoke[2], now, user_id, err)) < 0)
		return rc;
	return audit_append(ctx, "user.offboard", "user", name, detail, err);
}

static int offboard_body(struct ctx *ctx, void *arg, struct error *err)
{
	int64_t *count = arg;
	*count = 0;
	int64_t now = ts_now_ms();
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT u.id, u.name, p.end_date, (SELECT q.employee_id FROM "
	        "person_merges m JOIN people q ON q.id = m.into_person_id WHERE "
	        "m.from_person_id = p.id) FROM users u LEFT JOIN people p ON "
	        "p.id = u.person_id WHERE u.disabled = 0 AND u.name <> 'admin' AND "
	        "(p.id IS NULL OR (p.end_date IS NOT NULL AND p.end_date <= ?) OR "
	        "EXISTS (SELECT 1 FROM person_merges m WHERE m.from_person_id = p.id)) "
	        "ORDER BY u.id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, now);
	size_t n = 0, alloc = 0;
	struct gone {
		int64_t id, end_date;
		const char *name, *merged_into;
	} *gone = NULL;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		gone = arena_grow(ctx->arena, gone, n, &alloc, sizeof *gone);
		gone[n++] = (struct gone){
		        stmt_int(st, 0), stmt_is_null(st, 2) ? 0 : stmt_int(st, 2),
		        stmt_text_dup(st, 1, ctx->arena),
		        stmt_is_null(st, 3) ? NULL : stmt_text_dup(st, 3, ctx->arena)};
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		char detail[192], date[TS_BUF];
		/* A merged record counts as having left, as actor_load refuses it. */
		if (gone[i].merged_into)
			snprintf(detail, sizeof detail,
			         "{\"reason\":\"person merged\",\"merged_into\":\"%s\"}",
			         gone[i].merged_into);
		else if (gone[i].end_date)
			snprintf(detail, sizeof detail,
			         "{\"reason\":\"end date passed\",\"end_date\":\"%s\"}",
			         ts_format_date(gone[i].end_date, date));
		else
			snprintf(detail, sizeof detail, "{\"reason\":\"person removed\"}");
		if ((rc = offboard_one(ctx, gone[i].id, gone[i].name, detail, err)) < 0)
			return rc;
	}
	*count = (int64_t)n;
	return n ? 0 : CTX_ROLLBACK;
}

int auth_offboard_returning_tx(struct ctx *ctx, int64_t person_id, int64_t end_date,
                               struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT id, name FROM users WHERE person_id = ? AND disabled = 0",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, person_id);
	rc = stmt_step(st, err);
	int64_t user_id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	const char *name = rc == STORE_ROW ? stmt_text_dup(st, 1, ctx->arena) : NULL;
	stmt_reset(st);
	if (rc < 0 || !user_id)
		return rc < 0 ? rc : 0;
	char detail[192], date[TS_BUF];
	snprintf(detail, sizeof detail,
	         "{\"reason\":\"end date passed\",\"end_date\":\"%s\",\"returned\":true}",
	         ts_format_date(end_date, date));
	return offboard_one(ctx, user_id, name, detail, err);
}

int auth_offboard(struct ctx *ctx, int64_t *users, struct error *err)
{
	return ctx_run(ctx, OP_USER_OFFBOARD, offboard_body, users, err);
}
