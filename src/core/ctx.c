/* ctx: opening a unit of work and the permission + transaction + audit frame around each op. */
#include "core/ctx.h"

#include <sodium.h>

#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "core/audit.h"
#include "core/authz.h"
#include "store/store.h"

int ctx_open(const struct ctx_options *opts, struct ctx **out, struct error *err)
{
	if (sodium_init() < 0) {
		err_set(err, ERR_FAILED, "cannot initialize libsodium");
		return ERR_FAILED;
	}
	struct ctx *ctx = xcalloc(1, sizeof *ctx);
	ctx->arena = arena_create();
	ctx->audit_key_path = opts->audit_key_path ? arena_strdup(ctx->arena, opts->audit_key_path)
	                                           : audit_key_default_path(ctx->arena); /* may be NULL */
	int rc = store_open(opts->db_url, opts->create ? STORE_OPEN_CREATE : STORE_OPEN_EXISTING,
	                    &ctx->store, err);
	int version = 0;
	if (rc == 0 && !opts->create)
		rc = store_schema_version(ctx->store, &version, err);
	if (rc == 0 && !opts->create && version == 0) {
		/* An empty file is not a plumb database: init records its creation. */
		rc = err_set(err, ERR_NOT_FOUND, "%s is not a plumb database", opts->db_url);
		err_hint(err, "create one with 'plumb init --db %s'", opts->db_url);
	}
	if (rc == 0)
		rc = store_migrate(ctx->store, err);
	if (rc == 0)
		rc = actor_load(ctx->store, opts->actor_name ? opts->actor_name : "admin", &ctx->actor, err);
	if (rc == 0 && opts->actor_name) {
		ctx->actor.impersonated = true;
		snprintf(ctx->actor.os_user, sizeof ctx->actor.os_user, "%s",
		         opts->os_user ? opts->os_user : "unknown");
	}
	if (rc < 0) {
		ctx_close(ctx);
		return rc;
	}
	*out = ctx;
	return 0;
}

void ctx_close(struct ctx *ctx)
{
	if (!ctx)
		return;
	ctx_op_end(ctx);
	store_close(ctx->store);
	arena_destroy(ctx->arena);
	sodium_memzero(ctx->key_secret, sizeof ctx->key_secret);
	free(ctx);
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
		err_detail(err, "every change is signed into the audit chain, so writes need the key");
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
	ctx->op_in_tx = true;
	ctx->head_loaded = false;
	ctx->audit_appended = 0;
	return 0;
}

/* A refused operation leaves an entry of its own, written after whatever the
 * operation had begun is rolled back: refusals are what an auditor looks
 * for.  Best effort: the refusal stands even if recording it fails. */
static void audit_denied(struct ctx *ctx, const struct op_def *op)
{
	struct error ignored = {0};
	if (begin_write(ctx, &ignored) < 0)
		return;
	ctx->op = op;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "reason", ctx->denied_reason);
	jw_object_end(&w);
	if (audit_append(ctx, "access.denied", "op", op->name, detail.buf, &ignored) == 0)
		ctx_op_commit(ctx, &ignored);
	sb_release(&detail);
	if (ctx->op_in_tx)
		store_rollback(ctx->store);
	ctx->op_in_tx = false;
	ctx->op = NULL;
}

void ctx_progress(struct ctx *ctx, const char *phase, int64_t done, int64_t total)
{
	if (ctx->progress && (done == total || (done & 4095) == 0))
		ctx->progress(ctx->progress_data, phase, done, total);
}

void ctx_note_denied(struct ctx *ctx, const struct error *why)
{
	ctx->denied = true;
	snprintf(ctx->denied_reason, sizeof ctx->denied_reason, "%s", why->message);
}

int ctx_op_check(struct ctx *ctx, enum op_id op_id, struct error *err)
{
	const struct op_def *op = op_get(op_id);
	if (ctx->op)
		BUG("operation %s checked inside %s", op->name, ctx->op->name);
	ctx->op = op;
	int rc = authz_check_op(ctx, op, err);
	ctx_op_end(ctx); /* records a refusal */
	return rc;
}

int ctx_op_begin(struct ctx *ctx, enum op_id op_id, struct error *err)
{
	const struct op_def *op = op_get(op_id);
	int rc = ctx_op_check(ctx, op_id, err);
	if (rc < 0)
		return rc;
	ctx->op = op;
	ctx->last_op = op_id;
	if (op->audit != OPA_WRITE && (op->audit == OPA_READ_AUDITED || ctx->actor.impersonated)) {
		/* Audited reads leave their entry in a transaction of its own, so
		 * it stands even when the read itself fails later. */
		if ((rc = begin_write(ctx, err)) == 0)
			rc = audit_append(ctx, op->name, "op", op->name, NULL, err);
		if (rc == 0)
			rc = ctx_op_commit(ctx, err);
		if (rc < 0) {
			ctx_op_end(ctx);
			return rc;
		}
		ctx->op = op;
	}
	if (op->audit == OPA_WRITE) {
		rc = begin_write(ctx, err);
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

int ctx_op_commit(struct ctx *ctx, struct error *err)
{
	if (!ctx->op)
		BUG("commit without an operation");
	if (!ctx->op_in_tx) {
		ctx->op = NULL;
		return 0;
	}
	if (ctx->op->audit == OPA_WRITE && ctx->audit_appended == 0)
		BUG("write operation %s committed without an audit entry", ctx->op->name);
	int rc = audit_checkpoint_head(ctx, err);
	if (rc == 0)
		rc = store_commit(ctx->store, err);
	if (rc < 0) {
		ctx_op_end(ctx);
		return rc;
	}
	ctx->op_in_tx = false;
	ctx->head_loaded = false;
	ctx->op = NULL;
	return 0;
}

void ctx_op_end(struct ctx *ctx)
{
	const struct op_def *op = ctx->op;
	if (ctx->op_in_tx)
		store_rollback(ctx->store);
	ctx->op_in_tx = false;
	ctx->head_loaded = false;
	ctx->audit_appended = 0;
	ctx->op = NULL;
	if (ctx->denied && op) {
		ctx->denied = false;
		audit_denied(ctx, op);
	}
}
