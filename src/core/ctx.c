/* ctx: opening a unit of work and the permission + transaction + audit frame around each op. */
#include "core/ctx.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/authz.h"
#include "core/db.h"
#include "core/pseudonym.h"
#include "store/store.h"

static int append_alone(struct ctx *ctx, const char *action, const char *object_type,
                        const char *object_id, const char *detail, struct error *err);

static int load_key(struct ctx *ctx, struct error *err);
static void op_end(struct ctx *ctx, bool failed, struct error *err);
static void refusal_unrecorded(struct error *err, const struct error *lost);

/* Start or end the audit state of one transaction: no cached head, no
 * entries counted, nothing pending (entries not flushed are dropped, as
 * their transaction is rolled back). */
static void audit_state(struct ctx *ctx, bool in_tx)
{
	ctx->op_in_tx = in_tx;
	ctx->head_loaded = false;
	ctx->audit_appended = ctx->audit_signed = 0;
	audit_discard(ctx);
}

/* A schema migration is a write like any other: its entry lands in the
 * migration's own transaction.  A new database's schema is recorded by
 * db.init instead. */
static int record_migration(void *data, int from, int to, const char *name, struct error *err)
{
	struct ctx *ctx = data;
	if (from == 0) {
		ctx->schema_made = true;
		return 0;
	}
	/* No entry yet: another process's init is creating this database, one
	 * migration at a time, and its db.init records the schema. */
	int64_t head = 0;
	int rc = audit_head_seq(ctx->store, &head, err);
	if (rc < 0 || head == 0)
		return rc;
	/* Before the users are read (a later schema may change them), a name
	 * given with --as is unchecked: upgrades run as the admin. */
	if (ctx->actor.impersonated) {
		err_set(err, ERR_POLICY,
		        "the database needs upgrading from schema %d to %d, which runs as the "
		        "admin, "
		        "not under --as",
		        from, to);
		err_hint(err, "run any command once without --as (plumb audit verify), then again");
		return ERR_POLICY;
	}
	rc = load_key(ctx, err);
	if (rc < 0) {
		struct error why = *err;
		err_clear(err);
		err_set(err, rc,
		        "the database needs upgrading from schema %d to %d, a write that "
		        "needs the audit key",
		        from, to);
		err_detail(err, "%s", why.message);
		err_hint(err, "%s", why.hint);
		return rc;
	}
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kint(&w, "from", from);
	jw_kint(&w, "to", to);
	jw_kstr(&w, "migration", name);
	audit_state(ctx, true);
	/* Built-in rows the new schema brings land with it (db.h). */
	rc = db_seed_tx(ctx, from, to, &w, err);
	jw_object_end(&w);
	if (rc == 0)
		rc = audit_append(ctx, "db.migrate", "db", store_engine_name(ctx->store),
		                  detail.buf, err);
	if (rc == 0)
		rc = audit_checkpoint_head(ctx, err);
	sb_release(&detail);
	audit_state(ctx, false);
	return rc;
}

int ctx_open(const struct ctx_options *opts, struct ctx **out, struct error *err)
{
	if (sodium_init() < 0) {
		err_set(err, ERR_FAILED, "cannot initialize libsodium");
		return ERR_FAILED;
	}
	struct ctx *ctx = xcalloc(1, sizeof *ctx);
	ctx->arena = ctx->unit_arena = arena_create();
	ctx->audit_key_path = opts->audit_key_path
	                              ? arena_strdup(ctx->arena, opts->audit_key_path)
	                              : audit_key_default_path(ctx->arena); /* may be NULL */
	int rc = 0;
	if (opts->create && !ctx->audit_key_path) { /* before a file is made */
		rc = err_set(err, ERR_USAGE, "no audit key path: HOME is not set");
		err_hint(err, "set PLUMB_AUDIT_KEY or pass --audit-key");
	}
	if (rc == 0)
		rc = store_open(opts->db_url,
		                opts->create ? STORE_OPEN_CREATE : STORE_OPEN_EXISTING, &ctx->store,
		                err);
	/* Before the migration, which writes. */
	if (rc == 0)
		rc = store_set_lock_wait(ctx->store, opts->lock_wait_ms, err);
	if (rc == 0)
		ctx_set_wait_notice(ctx, opts->wait_notice, opts->wait_notice_data);
	int version = 0;
	bool empty = true;
	if (rc == 0)
		rc = store_schema_version(ctx->store, &version, err);
	if (rc == 0 && version == 0)
		rc = store_is_empty(ctx->store, &empty, err);
	/* Tables but no version: another init may have committed its first
	 * migration between the two reads. */
	if (rc == 0 && version == 0 && !empty)
		rc = store_schema_version(ctx->store, &version, err);
	if (rc == 0 && version == 0 && (!opts->create || !empty)) {
		/* Only init makes a plumb database, and only in an empty one. */
		rc = err_set(err, opts->create ? ERR_CONFLICT : ERR_NOT_FOUND,
		             "%s is not a plumb database", opts->db_url);
		if (opts->create)
			err_detail(err, "it already holds other tables");
		else
			err_hint(err, "create one with 'plumb init --db %s'", opts->db_url);
	}
	const char *name = opts->actor_name ? opts->actor_name : "admin";
	/* The migration's entry names who ran the command that upgraded. */
	snprintf(ctx->actor.name, sizeof ctx->actor.name, "%s", name);
	ctx->actor.impersonated = opts->actor_name != NULL;
	int latest = store_latest_schema_version();
	bool upgrade = rc == 0 && version > 0 && version < latest;
	char upgrading[48] = "";
	if (upgrade)
		snprintf(upgrading, sizeof upgrading, "upgrading the database to schema %d",
		         latest);
	ctx->progress = opts->progress;
	if (upgrade)
		ctx_progress(ctx, upgrading, 0, latest - version);
	if (rc == 0)
		rc = store_migrate_hooked(ctx->store, record_migration, ctx, err);
	/* Ended either way, so that an error is not written after it. */
	if (upgrade)
		ctx_progress(ctx, upgrading, latest - version, latest - version);
	bool loading_actor = rc == 0;
	if (rc == 0)
		rc = actor_load(ctx->store, name, &ctx->actor, err);
	if (rc == 0 && opts->actor_name) {
		ctx->actor.impersonated = true;
		snprintf(ctx->actor.os_user, sizeof ctx->actor.os_user, "%s",
		         opts->os_user ? opts->os_user : "unknown");
	}
	bool unknown_as = loading_actor && rc == ERR_NOT_FOUND && opts->actor_name;
	if (rc == ERR_DENIED || unknown_as) {
		/* A disabled user's attempt is a refusal like any other: audited; so
		 * is acting as a user nobody has, as every use of --as is. */
		snprintf(ctx->actor.name, sizeof ctx->actor.name, "%s", name);
		ctx->actor.impersonated = opts->actor_name != NULL;
		snprintf(ctx->actor.os_user, sizeof ctx->actor.os_user, "%s",
		         opts->os_user ? opts->os_user : "unknown");
		struct error lost = {0};
		if (append_alone(ctx, "access.denied", "user", ctx->actor.name,
		                 unknown_as ? "{\"reason\":\"no such user\"}"
		                            : "{\"reason\":\"user is disabled\"}",
		                 &lost) < 0)
			refusal_unrecorded(err, &lost);
	}
	if (rc < 0) {
		ctx_close(ctx);
		return rc;
	}
	*out = ctx;
	return 0;
}

static void free_retired_policies(struct ctx *ctx)
{
	for (size_t i = 0; i < ctx->npolicy_retired; i++)
		arena_destroy(ctx->policy_retired[i]);
	ctx->npolicy_retired = 0;
}

void ctx_close(struct ctx *ctx)
{
	if (!ctx)
		return;
	ctx_op_end(ctx, NULL);
	store_close(ctx->store);
	arena_destroy(ctx->arena);
	pseudonym_ring_free(ctx->pseudonyms);
	free_retired_policies(ctx);
	free(ctx->policy_retired);
	if (ctx->policy_arena)
		arena_destroy(ctx->policy_arena);
	sodium_memzero(ctx->key_secret, sizeof ctx->key_secret);
	free(ctx);
}

static void begin_unit(struct ctx *ctx)
{
	if (ctx->op)
		BUG("a request began inside %s", ctx->op->name);
	struct arena *fresh = arena_create();
	if (ctx->audit_key_path)
		ctx->audit_key_path = arena_strdup(fresh, ctx->audit_key_path);
	arena_destroy(ctx->arena);
	ctx->arena = ctx->unit_arena = fresh;
	free_retired_policies(ctx);
	ctx->own_loaded = false; /* in the arena just freed */
	ctx->subject_type = ctx->subject_id = NULL;
	ctx->denied = false;
	ctx->denied_rule = NULL;
	ctx->last_op = 0;
	ctx->recorded = false;
}

int ctx_begin_request(struct ctx *ctx, const char *user, struct error *err)
{
	begin_unit(ctx);
	return actor_load(ctx->store, user ? user : "admin", &ctx->actor, err);
}

void ctx_begin_request_as(struct ctx *ctx, const struct actor *actor)
{
	begin_unit(ctx);
	ctx->actor = *actor;
}

const char *ctx_db_url(const struct ctx *ctx)
{
	return store_url(ctx->store);
}

const char *ctx_db_engine(const struct ctx *ctx)
{
	return store_engine_name(ctx->store);
}

static int load_key(struct ctx *ctx, struct error *err)
{
	if (ctx->key_loaded)
		return 0;
	int rc = audit_key_load(ctx->audit_key_path, ctx->key_secret, ctx->key_public, err);
	if (rc < 0) {
		err_detail(err,
		           "every change is signed into the audit chain, so writes need the key");
		return rc;
	}
	ctx->key_loaded = true;
	return 0;
}

static int begin_write(struct ctx *ctx, struct error *err)
{
	int rc = load_key(ctx, err);
	if (rc == 0)
		rc = store_begin(ctx->store, err);
	if (rc < 0)
		return rc;
	audit_state(ctx, true);
	return 0;
}

/* Exponential backoff with jitter, so colliding processes spread out:
 * 10-20 ms, 20-40 ms, ... */
static void backoff(int attempt)
{
	long base_ms = 10L << attempt;
	long ms = base_ms + (long)randombytes_uniform((uint32_t)base_ms);
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* One audit entry in a transaction of its own, outside any operation: for
 * refusals and audited reads, written after the operation's own
 * transaction is closed, so they stand whatever became of it. */
static int append_alone(struct ctx *ctx, const char *action, const char *object_type,
                        const char *object_id, const char *detail, struct error *err)
{
	for (int attempt = 1;; attempt++) {
		int rc = begin_write(ctx, err);
		if (rc == 0)
			rc = audit_append(ctx, action, object_type, object_id, detail, err);
		if (rc == 0)
			rc = audit_checkpoint_head(ctx, err);
		if (rc == 0)
			rc = store_commit(ctx->store, err);
		if (rc == 0)
			ctx->recorded = true;
		if (store_in_transaction(ctx->store))
			store_rollback(ctx->store);
		audit_state(ctx, false);
		if (rc != ERR_TRANSIENT || attempt == CTX_ATTEMPTS)
			return rc;
		err_clear(err);
		backoff(attempt);
	}
}

/* An audited read failed with err, and its entry could not be written for
 * lost: lost is the error now, as a read whose entry cannot be written
 * fails, with what the read failed with in the detail.  err may be NULL
 * (nobody to tell). */
static void entry_lost(struct error *err, const struct error *lost)
{
	if (!err)
		return;
	struct error was = *err;
	*err = *lost;
	if (was.code)
		err_append_detail(err, "the attempt's own error: %s", was.message);
}

/* A refusal stands whether or not its entry is written (the operation did
 * nothing, and a read-only replica can write none), but one not written
 * says so in err's detail; the reason only where a client may see it. */
static void refusal_unrecorded(struct error *err, const struct error *lost)
{
	if (!err)
		return;
	if (err_detail_internal(lost->code))
		err_append_detail(err, "the refusal could not be recorded in the audit log");
	else
		err_append_detail(err, "the refusal could not be recorded in the audit log: %s",
		                  lost->message);
}

/* Refusals are what an auditor looks for: one not recorded says so. */
static void audit_denied(struct ctx *ctx, const struct op_def *op, struct error *err)
{
	struct error lost = {0};
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	if (ctx->denied_rule)
		jw_kstr(&w, "op", op->name);
	jw_kstr(&w, "reason", ctx->denied_reason);
	jw_object_end(&w);
	int rc;
	if (ctx->denied_rule)
		rc = append_alone(ctx, "policy.refused", "rule", ctx->denied_rule, detail.buf,
		                  &lost);
	else
		rc = append_alone(ctx, "access.denied", "op", op->name, detail.buf, &lost);
	ctx->denied_rule = NULL;
	sb_release(&detail);
	if (rc < 0)
		refusal_unrecorded(err, &lost);
}

void ctx_progress(struct ctx *ctx, const char *phase, int64_t done, int64_t total)
{
	if (!ctx->progress)
		return;
	/* By time, not by count: a unit may be a row or a file of thousands
	 * (a count of 4096 left a 2,000-file ingest without a line). */
	int64_t now = (int64_t)(ts_mono_s() * 1000); /* a clock set back stops nothing */
	bool new_phase = strncmp(ctx->progress_phase, phase, sizeof ctx->progress_phase) != 0;
	if (done != total && !new_phase && now - ctx->progress_at < CTX_PROGRESS_MS)
		return;
	ctx->progress_at = now;
	snprintf(ctx->progress_phase, sizeof ctx->progress_phase, "%s", phase);
	ctx->progress(ctx->progress_data, phase, done, total);
}

void ctx_note_denied(struct ctx *ctx, const struct error *why)
{
	ctx->denied = true;
	ctx->denied_rule = NULL;
	snprintf(ctx->denied_reason, sizeof ctx->denied_reason, "%s", why->message);
}

int ctx_deny(struct ctx *ctx, struct error *err, const char *hint, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	err_set(err, ERR_DENIED, "%s", msg);
	if (hint)
		err_hint(err, "%s", hint);
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

int ctx_record_denied(struct ctx *ctx, enum op_id op_id, struct error *why)
{
	if (ctx->op)
		BUG("a refusal of %s recorded inside %s", op_get(op_id)->name, ctx->op->name);
	ctx_note_denied(ctx, why);
	audit_denied(ctx, op_get(op_id), why);
	ctx->denied = false;
	return why->code;
}

void ctx_note_refused(struct ctx *ctx, const char *rule, const struct error *why)
{
	ctx_note_denied(ctx, why);
	ctx->denied_rule = rule;
}

int ctx_op_check(struct ctx *ctx, enum op_id op_id, struct error *err)
{
	const struct op_def *op = op_get(op_id);
	if (ctx->op)
		BUG("operation %s checked inside %s", op->name, ctx->op->name);
	ctx->op = op;
	int rc = authz_check_op(ctx, op, err);
	if (rc < 0)
		ctx_op_end(ctx, err); /* records the refusal */
	else
		ctx->last_op = op_id;
	ctx->op = NULL;
	return rc;
}

bool ctx_op_allowed(const struct ctx *ctx, enum op_id op)
{
	return authz_op_allowed(ctx, op_get(op));
}

int ctx_open_sibling(const struct ctx *ctx, struct ctx **out, struct error *err)
{
	struct ctx_options opts = {
	        .db_url = store_url(ctx->store),
	        .actor_name = ctx->actor.impersonated ? ctx->actor.name : NULL,
	        .os_user = ctx->actor.impersonated ? ctx->actor.os_user : NULL,
	        .audit_key_path = ctx->audit_key_path,
	        .lock_wait_ms = store_lock_wait(ctx->store),
	        .wait_notice = ctx->wait_notice,
	        .wait_notice_data = ctx->wait_notice_data,
	};
	int rc = ctx_open(&opts, out, err);
	if (rc == 0) {
		(*out)->progress = ctx->progress;
		(*out)->progress_data = ctx->progress_data;
	}
	return rc;
}

void ctx_set_wait_notice(struct ctx *ctx, store_wait_fn fn, void *data)
{
	store_set_wait_notice(ctx->store, fn, data);
	ctx->wait_notice = fn;
	ctx->wait_notice_data = data;
}

/* Reads that leave an entry: sensitive ones, and every read made with --as. */
static bool audited_read(const struct ctx *ctx, const struct op_def *op)
{
	return (op->audit == OPA_READ || op->audit == OPA_READ_AUDITED) &&
	       (op->audit == OPA_READ_AUDITED || ctx->actor.impersonated);
}

/* An audited read's entry, naming the record read when the service said
 * which (ctx_subject). */
static int record_read(struct ctx *ctx, const struct op_def *op, bool ok, struct error *err)
{
	int rc = append_alone(ctx, op->name, ctx->subject_type ? ctx->subject_type : "op",
	                      ctx->subject_type ? ctx->subject_id : op->name,
	                      ok ? "{\"ok\":true}" : "{\"ok\":false}", err);
	ctx->subject_type = ctx->subject_id = NULL;
	return rc;
}

void ctx_subject(struct ctx *ctx, const char *type, const char *id)
{
	ctx->subject_type = arena_strdup(ctx->arena, type);
	ctx->subject_id = arena_strdup(ctx->arena, id);
}

/* The actor as the write lock finds them, checked again for op: the roles
 * were read when the command or request began, outside the lock, and a
 * revoke, a disable or a person leaving may have committed while this one
 * waited for it (found by a race: an admin's 'user add --role admin', queued
 * for the lock behind 'user revoke' of that admin's role, went through after
 * the revoke).  The server's credential is checked again too: a token
 * revoked, or a session signed out, while the write waited refuses it.  What
 * the credential says (a token's scope, --as and who ran it) stays.  A
 * refusal is noted, for op_end to record. */
static int actor_refresh(struct ctx *ctx, const struct op_def *op, struct error *err)
{
	struct actor now;
	int rc = auth_credential_live(ctx->store, &ctx->actor, err);
	/* A sign-out whose session ended while it waited (signed out in another
	 * tab, a password change) has nothing left to do, and was refused
	 * nothing: no access.denied (found in the governance hunt). */
	if (rc == ERR_UNAUTHENTICATED && op->id == OP_SESSION_SIGNOUT)
		return rc;
	if (rc == 0)
		rc = actor_load(ctx->store, ctx->actor.name, &now, err);
	if (rc == ERR_DENIED || rc == ERR_NOT_FOUND || rc == ERR_UNAUTHENTICATED) {
		ctx_note_denied(ctx, err);
		return rc;
	}
	if (rc < 0)
		return rc;
	ctx->actor.user_id = now.user_id;
	ctx->actor.person_id = now.person_id;
	ctx->actor.nroles = now.nroles;
	memcpy(ctx->actor.roles, now.roles, sizeof now.roles);
	return authz_check_op(ctx, op, err);
}

int ctx_op_begin(struct ctx *ctx, enum op_id op_id, struct error *err)
{
	const struct op_def *op = op_get(op_id);
	int rc = ctx_op_check(ctx, op_id, err);
	if (rc < 0)
		return rc;
	/* An audited read must be able to write its entry: fail before reading. */
	if (audited_read(ctx, op) && (rc = load_key(ctx, err)) < 0)
		return rc;
	ctx->op = op;
	ctx->last_op = op_id;
	ctx->subject_type = ctx->subject_id = NULL;
	ctx->own_loaded = false; /* a merge since may have given the actor more */
	if (op->audit == OPA_WRITE || op->audit == OPA_STAGE) {
		rc = begin_write(ctx, err);
		if (rc == 0 && (rc = actor_refresh(ctx, op, err)) < 0) {
			/* Roll back; record a refusal, or under --as a failure, but not an
			 * attempt ctx_run makes again. */
			if (rc == ERR_TRANSIENT)
				ctx->op = NULL;
			op_end(ctx, rc != ERR_TRANSIENT, err);
			return rc;
		}
	} else {
		/* Reads see one snapshot: audit verify must not mix the log of one
		 * moment with the checkpoints of another. */
		rc = store_begin_read(ctx->store, err);
		ctx->op_in_tx = rc == 0;
	}
	if (rc < 0)
		ctx->op = NULL;
	return rc;
}

/* Sign the head and commit; on failure the operation is still open. */
static int commit_tx(struct ctx *ctx, struct error *err)
{
	const struct op_def *op = ctx->op;
	if (!op)
		BUG("commit without an operation");
	if (op->audit == OPA_WRITE && ctx->audit_appended == 0)
		BUG("write operation %s committed without an audit entry", op->name);
	int rc = 0;
	if (ctx->op_in_tx) {
		rc = audit_checkpoint_head(ctx, err);
		if (rc == 0)
			rc = store_commit(ctx->store, err);
		if (rc == 0 && ctx->audit_appended)
			ctx->recorded = true;
	}
	return rc;
}

static int after_commit(struct ctx *ctx, const struct op_def *op, struct error *err)
{
	audit_state(ctx, false);
	ctx->op = NULL;
	/* A read whose entry cannot be written fails: its result is not shown. */
	return audited_read(ctx, op) ? record_read(ctx, op, true, err) : 0;
}

int ctx_op_commit(struct ctx *ctx, struct error *err)
{
	const struct op_def *op = ctx->op;
	int rc = commit_tx(ctx, err);
	if (rc < 0) {
		ctx_op_end(ctx, err);
		return err->code ? err->code : rc;
	}
	return after_commit(ctx, op, err);
}

static int commit_tx(struct ctx *ctx, struct error *err);
static int after_commit(struct ctx *ctx, const struct op_def *op, struct error *err);

/* Forget an attempt that will be made again: roll back, record nothing. */
static void drop_attempt(struct ctx *ctx)
{
	ctx->op = NULL;
	ctx->denied = false;
	ctx->denied_rule = NULL;
	ctx_op_end(ctx, NULL); /* nothing to record: no operation */
}

int ctx_run(struct ctx *ctx, enum op_id op_id, ctx_body_fn body, void *arg, struct error *err)
{
	for (int attempt = 1;; attempt++) {
		int rc = ctx_op_begin(ctx, op_id, err);
		if (rc == 0)
			rc = body(ctx, arg, err);
		if (rc == CTX_ROLLBACK) {
			/* Nothing written, and nothing failed: an audited read is recorded
			 * as done, and with --as so is every operation, a write that found
			 * nothing to change or answered from stored data included (found
			 * in review: a reused metric value left no entry). */
			const struct op_def *op = ctx->op;
			op_end(ctx, false, err);
			return audited_read(ctx, op) || ctx->actor.impersonated
			               ? record_read(ctx, op, true, err)
			               : 0;
		}
		if (rc == 0 && (rc = commit_tx(ctx, err)) == 0) /* never retried past here */
			return after_commit(ctx, op_get(op_id), err);
		if (rc != ERR_TRANSIENT || attempt == CTX_ATTEMPTS) {
			ctx_op_end(ctx, err);
			return err->code ? err->code : rc;
		}
		drop_attempt(ctx);
		err_clear(err);
		backoff(attempt);
	}
}

/* Roll back what was not committed and record how the operation ended: a
 * refusal, else, when it failed, an audited read's failure and, with --as,
 * any operation's (found in review: a write that failed under --as left no
 * trace of the attempt). */
static void op_end(struct ctx *ctx, bool failed, struct error *err)
{
	const struct op_def *op = ctx->op;
	if (ctx->op_in_tx) {
		store_rollback(ctx->store);
		ctx->policy = NULL; /* it may have been read from what was rolled back */
		pseudonym_ring_unbind(ctx->pseudonyms);
	}
	audit_state(ctx, false);
	ctx->op = NULL;
	if (!op)
		return;
	struct error lost = {0};
	if (ctx->denied) {
		ctx->denied = false;
		audit_denied(ctx, op, err);
	} else if (failed && audited_read(ctx, op)) {
		if (record_read(ctx, op, false, &lost) < 0)
			entry_lost(err, &lost);
	} else if (failed && ctx->actor.impersonated) {
		/* Best effort: the operation failed anyway. */
		record_read(ctx, op, false, &lost);
	}
}

void ctx_op_end(struct ctx *ctx, struct error *err)
{
	op_end(ctx, true, err);
}

void ctx_record_failed(struct ctx *ctx, enum op_id op_id)
{
	if (ctx->op)
		BUG("a failure of %s recorded inside %s", op_get(op_id)->name, ctx->op->name);
	if (!ctx->actor.impersonated || ctx->recorded)
		return;
	struct error ignored = {0};
	record_read(ctx, op_get(op_id), false, &ignored);
}
