/* db: init and backup as audited operations. */
#include "core/db.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "core/ctx.h"
#include "core/pseudonym.h"
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
		rc = db_seed_tx(ctx, 0, out->schema_version, &w, err);
		/* Loading the ring records its id: the database's pseudonyms are
		 * this ring's from now on (pseudonym.h). */
		int generation;
		if (rc == 0)
			rc = pseudonym_key_generation(ctx, &generation, err);
		jw_object_end(&w);
		if (rc == 0)
			rc = audit_append(ctx, "db.init", "db", store_engine_name(ctx->store),
			                  detail.buf, err);
		sb_release(&detail);
	}
	return rc;
}

int db_seed_tx(struct ctx *ctx, int from, int to, struct jw *w, struct error *err)
{
	int rc = 0;
	bool any = false;
	for (size_t i = 0; i < db_nseeders && rc == 0; i++) {
		if (db_seeders[i].schema_version <= from || db_seeders[i].schema_version > to)
			continue;
		if (!any) {
			jw_key(w, "seeded");
			jw_object_begin(w);
			any = true;
		}
		jw_key(w, db_seeders[i].name);
		rc = db_seeders[i].seed_tx(ctx, w, err);
	}
	if (any)
		jw_object_end(w);
	return rc;
}

int db_init(struct ctx *ctx, struct db_init_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	out->key_path = ctx->audit_key_path;
	int rc = audit_key_create(ctx->audit_key_path, &out->key_created, err);
	out->pseudonym_key_path = pseudonym_key_path(ctx->arena, ctx->audit_key_path);
	if (rc == 0)
		rc = pseudonym_key_create(out->pseudonym_key_path, &out->pseudonym_key_created,
		                          err);
	if (rc == 0)
		rc = ctx_run(ctx, OP_DB_INIT, init_body, out, err);
	/* A refused init (a key others can read, a file that is no key) leaves
	 * no schema behind: it would take writes later as a plumb database with
	 * no db.init and no catalogue, and refuse init as one (found in review). */
	struct error why = {0};
	if (rc < 0 && rc != ERR_CONFLICT /* initialized already: not ours */ && ctx->schema_made &&
	    store_schema_drop(ctx->store, 0, &why) < 0 && why.code != ERR_CONFLICT)
		err_append_detail(err, "the schema made for it could not be removed: %s",
		                  why.message);
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
			store_remove_file(path);
		}
	}
	if (rc < 0)
		return rc;
	a->out->entries_verified = report.entries;
	a->out->audit_key_path = ctx->audit_key_path;
	a->out->pseudonym_key_path = pseudonym_key_path(ctx->arena, ctx->audit_key_path);
	a->out->checkpoints = report.checkpoints;
	return 0;
}

struct copy_args {
	struct ctx *src;
	const char *to_url;
	struct db_copy_result *out;
};

/* The copy's entry: which database, which engine, how many rows of each table. */
static int copy_entry(struct ctx *ctx, const char *dir, const char *url, const char *engine,
                      const struct db_copy_result *out, struct error *err)
{
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, dir, url);
	jw_kstr(&w, "engine", engine);
	jw_key(&w, "rows");
	jw_object_begin(&w);
	for (int i = 0; i < out->ntables; i++)
		jw_kint(&w, out->table[i], out->rows[i]);
	jw_object_end(&w);
	jw_object_end(&w);
	int rc = audit_append(ctx, "db.copy", "db", url, detail.buf, err);
	sb_release(&detail);
	return rc;
}

static void copy_progress(void *data, const char *table, int64_t done, int64_t total)
{
	ctx_progress(data, table, done, total);
}

static int copy_in_body(struct ctx *dst, void *arg, struct error *err)
{
	struct copy_args *a = arg;
	struct db_copy_result *out = a->out;
	/* Checked under the target's write lock: two copies into one target
	 * cannot both pass. */
	int64_t entries = 0;
	int rc = store_query_int(dst->store, "SELECT COUNT(*) FROM audit_log", &entries, NULL, err);
	if (rc == 0 && entries > 0) {
		rc = err_set(err, ERR_CONFLICT,
		             "%s already holds a plumb database (%" PRId64 " audit entries)",
		             a->to_url, entries);
		err_hint(err, "copy into a new file or an empty PostgreSQL database (createdb)");
	}
	if (rc < 0)
		return rc;
	if ((rc = store_begin_read(a->src->store, err)) < 0)
		return rc;
	/* The source's chain must verify with the key that will sign the
	 * copy's checkpoint, or the copy would hold a chain of two keys. */
	struct audit_verify_report report;
	/* Another key is refused as a write under it is (exit 3), not taken
	 * for a chain that does not verify. */
	rc = audit_key_signs(a->src->store, dst->key_public, err);
	if (rc < 0)
		err_detail(err, "the source's chain is signed with another key, so nothing was "
		                "copied");
	else if ((rc = audit_verify(a->src->store, dst->key_public, NULL, &report, err)) < 0)
		err_detail(err, "the source's audit chain does not verify with this signing key, "
		                "so nothing was copied");
	out->ntables = store_table_total();
	out->total_rows = 0;
	if (rc == 0)
		rc = store_copy(a->src->store, dst->store, out->rows, copy_progress, dst, err);
	store_rollback(a->src->store); /* ends the snapshot */
	for (int i = 0; i < out->ntables; i++) {
		out->table[i] = store_table_name(i);
		out->total_rows += rc == 0 ? out->rows[i] : 0;
	}
	if (rc == 0)
		rc = copy_entry(dst, "from", ctx_db_url(a->src), out->from_engine, out, err);
	/* Signed and verified before the commit, so a copy that does not
	 * verify is never written (the commit then has no new entry to sign). */
	if (rc == 0)
		rc = audit_checkpoint_head(dst, err);
	if (rc == 0 && (rc = audit_verify(dst->store, dst->key_public, NULL, &report, err)) < 0)
		err_detail(err, "the copy does not verify, so nothing was written to %s",
		           a->to_url);
	out->entries_verified = rc == 0 ? report.entries : 0;
	return rc;
}

static int copy_out_body(struct ctx *src, void *arg, struct error *err)
{
	struct copy_args *a = arg;
	return copy_entry(src, "to", a->to_url, a->out->to_engine, a->out, err);
}

int db_copy(struct ctx *src, const char *to_url, struct db_copy_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	int rc = ctx_op_check(src, OP_DB_COPY, err);
	if (rc < 0)
		return rc;
	if (strcmp(to_url, ctx_db_url(src)) == 0) {
		err_set(err, ERR_USAGE, "--from and --to name the same database");
		return ERR_USAGE;
	}
	if (store_table_total() > (int)(sizeof out->rows / sizeof out->rows[0]))
		BUG("db_copy_result holds %zu tables, the schema has %d",
		    sizeof out->rows / sizeof out->rows[0], store_table_total());
	/* A new SQLite file is written under a name of its own and put in
	 * place whole: a second copy to the same path, started meanwhile,
	 * writes its own file, and the one placed second refuses, leaving
	 * the first's in place.  A file that exists already is written where
	 * it is and never removed: it is not this process's. */
	struct stat st;
	char *staged = NULL;
	bool is_new = !store_url_is_postgres(to_url) && stat(to_url, &st) != 0 && errno == ENOENT;
	/* A link to nothing cannot take the new file's place (placing never
	 * replaces a name): refused before copying anything. */
	if (is_new && lstat(to_url, &st) == 0) {
		err_set(err, ERR_CONFLICT, "%s is a symbolic link to a file that does not exist",
		        to_url);
		err_hint(err, "give the path it points to with --to, or remove the link");
		return ERR_CONFLICT;
	}
	if (is_new && (rc = store_file_stage(to_url, &staged, err)) < 0)
		return rc;
	struct ctx_options opts = {
	        .db_url = staged ? staged : to_url,
	        .audit_key_path = src->audit_key_path,
	        .create = true,
	};
	struct ctx *dst = NULL;
	if ((rc = ctx_open(&opts, &dst, err)) < 0)
		err_detail(err, "while opening the target %s", to_url);
	struct copy_args a = {src, to_url, out};
	if (rc == 0) {
		dst->actor = src->actor; /* the entry names who copied, not the target's admin */
		dst->progress = src->progress;
		dst->progress_data = src->progress_data;
		out->from_engine = ctx_db_engine(src);
		out->to_engine = ctx_db_engine(dst);
		rc = ctx_run(dst, OP_DB_COPY, copy_in_body, &a, err);
		/* A database that was empty is left so (a new file goes whole,
		 * below): its schema, made for the copy, would take writes as a
		 * plumb database with no audit entry. */
		struct error why = {0};
		if (rc < 0 && !staged && dst->schema_made &&
		    /* Under --as its failure was recorded there: that entry goes too
		     * (found in review: it kept the schema). */
		    store_schema_drop(dst->store, dst->recorded ? 1 : 0, &why) < 0)
			err_append_detail(
			        err,
			        "the schema made for the copy could not be removed from %s: %s",
			        to_url, why.message);
		ctx_close(dst);
	}
	if (rc == 0 && staged && (rc = store_file_place(staged, to_url, err)) == ERR_CONFLICT)
		err_hint(err, "another process made it while this copy ran; it was left as it is");
	if (rc < 0 && staged) /* a failed copy leaves no half-made file behind */
		store_remove_file(staged);
	free(staged);
	if (rc < 0)
		return rc;
	/* The copy stands once committed.  Recording it in the source is the
	 * source's own write, which a read-only source (a replica) refuses:
	 * the face reports that as a warning, not as a failed copy. */
	struct error why = {0};
	if (ctx_run(src, OP_DB_COPY, copy_out_body, &a, &why) < 0)
		snprintf(out->source_not_recorded, sizeof out->source_not_recorded, "%s",
		         why.message);
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
