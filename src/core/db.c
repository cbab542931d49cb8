/* db: init and backup as audited operations. */
#include "core/db.h"

#include <unistd.h>

#include "base/jw.h"
#include "base/sb.h"
#include "core/ctx.h"
#include "store/store.h"

static int init_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct db_init_result *out = arg;
	/* Checked under the write lock: of two concurrent inits, one wins. */
	int64_t entries = 0;
	int rc = store_query_int(ctx->store, "SELECT COUNT(*) FROM audit_log", &entries, NULL, err);
	if (rc == 0 && entries > 0) {
		rc = err_set(err, ERR_CONFLICT, "%s is already a plumb database",
		             store_url(ctx->store));
		err_hint(err, "use it as is; commands migrate it when needed");
	}
	if (rc == 0 && (rc = store_schema_version(ctx->store, &out->schema_version, err)) == 0) {
		audit_key_id(ctx->key_public, out->key_id);
		struct sb detail = SB_INIT;
		struct jw w;
		jw_init(&w, &detail, false);
		jw_object_begin(&w);
		jw_kint(&w, "schema_version", out->schema_version);
		jw_kstr(&w, "engine", store_engine_name(ctx->store));
		jw_kstr(&w, "key_id", out->key_id);
		jw_object_end(&w);
		rc = audit_append(ctx, "db.init", "db", store_engine_name(ctx->store), detail.buf,
		                  err);
		sb_release(&detail);
	}
	return rc;
}

int db_init(struct ctx *ctx, struct db_init_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	out->key_path = ctx->audit_key_path;
	int rc = audit_key_create(ctx->audit_key_path, &out->key_created, err);
	if (rc == 0)
		rc = ctx_run(ctx, OP_DB_INIT, init_body, out, err);
	return rc;
}

struct backup_args {
	const char *path;
	struct db_backup_result *out;
};

static int backup_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct backup_args *a = arg;
	const char *path = a->path;
	ctx_subject(ctx, "backup", path);
	int rc = store_backup(ctx->store, path, err);
	struct store *copy = NULL;
	struct audit_verify_report report;
	if (rc == 0) {
		rc = store_open(path, STORE_OPEN_EXISTING, &copy, err);
		if (rc == 0)
			rc = audit_verify(copy, ctx->key_public, NULL, &report, err);
		store_close(copy);
		if (rc < 0) {
			err_detail(err, "the backup at %s does not verify and was removed", path);
			unlink(path);
		}
	}
	if (rc < 0)
		return rc;
	a->out->entries_verified = report.entries;
	a->out->checkpoints = report.checkpoints;
	return 0;
}

int db_backup(struct ctx *ctx, const char *path, struct db_backup_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	/* An audited read: its entry, written when the operation ends, says
	 * whether a verified copy was made. */
	struct backup_args a = {path, out};
	return ctx_run(ctx, OP_DB_BACKUP, backup_body, &a, err);
}
