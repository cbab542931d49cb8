/*
 * auth: who a request is.  Passwords (argon2id, libsodium's encoded string),
 * browser sessions and API tokens, and offboarding.
 *
 * Session ids and tokens are 32 random bytes shown to the client once; the
 * database keeps only their SHA-256, so a copy of it signs nobody in.  A
 * session expires after AUTH_SESSION_IDLE_MS without use or
 * AUTH_SESSION_MAX_MS after sign-in, whichever comes first.  Credentials
 * keep the system clock (ts_clock_ms), as audit times do: PLUMB_NOW pins the
 * business day, and a server pinned to one must still expire sessions and
 * tokens (found in review: they never did).  A user whose
 * person has left (end date passed) is refused at once by actor_load, before
 * offboarding (auth_offboard) disables the user and revokes what they hold;
 * one whose person has not started yet is refused until the start date.
 *
 * Strings returned live in ctx->arena (or in the caller's buffers where a
 * size is given).  Sign-in, sign-out, password changes, token creation and
 * revocation and offboarding are audited writes; resolving a session or
 * token is authentication, not a read of anyone's record, and runs outside
 * an operation (it refreshes a session's last use at most once a minute,
 * housekeeping that is not audited).
 */
#ifndef PLUMB_AUTH_H
#define PLUMB_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct actor;
struct ctx;
struct store;

#define AUTH_SESSION_IDLE_MS (30LL * 60 * 1000)
#define AUTH_SESSION_MAX_MS  (12LL * 3600 * 1000)
#define AUTH_PASSWORD_MIN    12
#define AUTH_PASSWORD_MAX    1024 /* characters; in bytes: */
#define AUTH_PASSWORD_BYTES  (4 * AUTH_PASSWORD_MAX)
#define AUTH_SECRET_HEX      65 /* 32 bytes as hex, with the NUL */
#define AUTH_TOKEN_PREFIX    "plumb_"
#define AUTH_TOKEN_TEXT      (sizeof AUTH_TOKEN_PREFIX - 1 + AUTH_SECRET_HEX)

/* How long after a session ended its cookie still counts as ended rather
 * than unknown (auth_identity.ended): a form left open overnight. */
#define AUTH_SESSION_ENDED_GRACE_MS (24LL * 3600 * 1000)

/* Set (or replace) user's password (len bytes of UTF-8); ERR_INVALID when
 * it is not UTF-8, or too short or too long in characters.  Revokes the
 * user's sessions: a changed password ends them. */
int auth_set_password(struct ctx *ctx, const char *user, const char *password, size_t len,
                      struct error *err);

struct auth_session {
	char id[AUTH_SECRET_HEX];   /* for the cookie; never stored */
	char csrf[AUTH_SECRET_HEX]; /* for every form of the session */
	int64_t expires_at;
};
/* Check user's password and open a session, as that user.  A wrong name or
 * password is ERR_UNAUTHENTICATED with the same message either way, after
 * the same work; a disabled user (or one whose person has left) is told so,
 * ERR_DENIED, only once the password is right.  Every refusal of a user
 * that exists is audited as access.denied under that user.  The nprevious
 * session ids in previous (the browser's cookies; borrowed) that are still
 * live are revoked in the same transaction, each audited as a
 * session.signout of its user, whoever signs in. */
int auth_sign_in(struct ctx *ctx, const char *user, const char *password, size_t len,
                 const char *const *previous, size_t nprevious, struct auth_session *out,
                 struct error *err);
/* End the session whose id the cookie holds (the actor must be its user).
 * One that ended while this waited for the write lock is signed out
 * already: 0, with nothing written or audited. */
int auth_sign_out(struct ctx *ctx, const char *session_id, struct error *err);

enum auth_via { AUTH_VIA_SESSION, AUTH_VIA_TOKEN };
struct auth_identity {
	enum auth_via via;
	char user[64];
	bool write_scope;           /* a token's scope; sessions may write */
	char csrf[AUTH_SECRET_HEX]; /* sessions only */
	char hash[AUTH_SECRET_HEX]; /* the credential's stored hash, for actor.credential */
	/* Set with ERR_UNAUTHENTICATED for a session that existed and ended
	 * (signed out, revoked, expired) within AUTH_SESSION_ENDED_GRACE_MS,
	 * while its user may still act (as actor_load judges: enabled, not
	 * left, not merged, started). */
	bool ended;
	/* Of those, one that ended by itself (idle or past its end), not
	 * revoked: only its cookie may still read as its user (the 401 page's
	 * labels).  A revocation (a password changed, an admin's, a sign-out)
	 * ends a stolen copy's reading too. */
	bool timed_out;
};
/* Resolve a session id or a bearer token (starting AUTH_TOKEN_PREFIX) to
 * its user.  ERR_UNAUTHENTICATED when unknown, expired or revoked, or when
 * the user is disabled or has left (out->ended tells a session that ended
 * from one never known).  Uses ctx->store only. */
int auth_resolve(struct ctx *ctx, enum auth_via via, const char *secret, struct auth_identity *out,
                 struct error *err);

/* Whether the server credential the actor was identified by (actor.credential)
 * is still live: 0 (also for none, the CLI), or ERR_UNAUTHENTICATED as
 * auth_resolve says it: revoked or past its end now, or a session idle at
 * actor.credential_at (0: now).  Uses s only. */
int auth_credential_live(struct store *s, const struct actor *a, struct error *err);

/* Whether a secret as sent (a CSRF token) is want, in time that does not
 * tell how much of it matched; NULL or empty is never equal. */
bool auth_secret_equal(const char *sent, const char *want);

struct auth_token_info {
	int64_t id;
	const char *user, *scope;
	int64_t created_at, expires_at, revoked_at; /* revoked_at 0: live */
};
/* Create a token for user; *token (AUTH_TOKEN_TEXT bytes) is its only copy. */
int auth_token_create(struct ctx *ctx, const char *user, const char *scope, int64_t expires_at,
                      char token[AUTH_TOKEN_TEXT], struct auth_token_info *info, struct error *err);
int auth_token_list(struct ctx *ctx, const char *user, struct auth_token_info **out, size_t *n,
                    struct error *err);
int auth_token_revoke(struct ctx *ctx, int64_t id, struct error *err);

/* Disable every user whose person's end date has passed (or who no longer
 * has a person record) and revoke their sessions and tokens; *users gets
 * how many were offboarded. */
int auth_offboard(struct ctx *ctx, int64_t *users, struct error *err);
/* Inside the caller's operation (org import): person_id, who had left on
 * end_date, is back.  Their user, when not already disabled, is offboarded
 * now as auth_offboard would have done while they were gone (disabled,
 * sessions and tokens revoked, a user.offboard entry with "returned":true),
 * so the roles of the job they left do not come back with them: user add
 * enables them afresh.  No user, or a disabled one: nothing happens. */
int auth_offboard_returning_tx(struct ctx *ctx, int64_t person_id, int64_t end_date,
                               struct error *err);

#endif
