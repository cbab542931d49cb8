/*
 * db: database lifecycle operations: init (schema, signing key, pseudonym
 * key, first audit entry) and consistent backups whose audit chain is verified on the copy.
 */
#ifndef PLUMB_DB_H
#define PLUMB_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "core/audit.h"
#include "store/store.h"

struct ctx;

struct db_init_result {
	bool key_created;
	const char *key_path; /* ctx arena */
	char key_id[AUDIT_KEY_ID_HEX];
	int schema_version;
	bool pseudonym_key_created;
	const char *pseudonym_key_path; /* ctx arena */
};

/* Built-in data a schema version brings (such as the metric catalogue's
 * built-in definitions): each seeder writes its rows inside the
 * transaction of db.init, for a new database, or of the migration to
 * schema_version, for an existing one, and says what it added as one JSON
 * value written to detail: the entry of that db.init or db.migrate holds it
 * under "seeded", by seeder name.  A seeder leaves rows already present
 * alone.  The services that own the data fill the list
 * (src/metrics/seeds.c), so the core calls them without depending on them. */
struct jw;
struct db_seeder {
	int schema_version;
	const char *name; /* its key in the audit detail */
	int (*seed_tx)(struct ctx *ctx, struct jw *detail, struct error *err);
};
extern const struct db_seeder db_seeders[];
extern const size_t db_nseeders;
/* Run the seeders of schema versions in (from, to] inside the caller's
 * write transaction, writing "seeded": {NAME: ...} into the open JSON
 * object w when there are any. */
int db_seed_tx(struct ctx *ctx, int from, int to, struct jw *w, struct error *err);

/* ERR_CONFLICT when the database was initialized before. */
int db_init(struct ctx *ctx, struct db_init_result *out, struct error *err);

struct db_backup_result {
	int64_t entries_verified;
	int64_t checkpoints;
	/* The keys a restore needs besides the copy; neither is in it. */
	const char *audit_key_path, *pseudonym_key_path; /* ctx arena */
};

/* Copy the live database to path (which must not exist) and verify the
 * copy's audit chain with the signing key's public half. */
int db_backup(struct ctx *ctx, const char *path, struct db_backup_result *out, struct error *err);

struct db_copy_result {
	int ntables;
	const char *table[STORE_TABLES_MAX]; /* static names */
	int64_t rows[STORE_TABLES_MAX];      /* rows copied per table, each checked on both sides */
	int64_t total_rows;
	int64_t entries_verified; /* the target's audit chain, after the copy */
	const char *from_engine, *to_engine;
	/* Why the copy could not be recorded in the source ("" when it was):
	 * the copy stands; a read-only source refuses the entry. */
	char source_not_recorded[ERR_MSG_MAX];
};

/* Copy the whole database src (its ctx, opened on the source) into to_url,
 * a new SQLite file or an empty PostgreSQL database, in one transaction on
 * the target: the source's chain verified with the signing key, every
 * table copied with counts checked on both sides, the target's chain
 * verified, then the commit.  Nothing is written to the target on failure
 * (a new SQLite file is removed).  The copy is recorded in both chains; the
 * source's entry is best effort (source_not_recorded says why not).
 * ERR_CONFLICT when the target already holds plumb data. */
int db_copy(struct ctx *src, const char *to_url, struct db_copy_result *out, struct error *err);

#endif
