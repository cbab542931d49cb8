/*
 * db: database lifecycle operations: init (schema, signing key, first audit
 * entry) and consistent backups whose audit chain is verified on the copy.
 */
#ifndef PLUMB_DB_H
#define PLUMB_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "core/audit.h"

struct ctx;

struct db_init_result {
	bool key_created;
	const char *key_path; /* ctx arena */
	char key_id[AUDIT_KEY_ID_HEX];
	int schema_version;
};

/* ERR_CONFLICT when the database was initialized before. */
int db_init(struct ctx *ctx, struct db_init_result *out, struct error *err);

struct db_backup_result {
	int64_t entries_verified;
	int64_t checkpoints;
};

/* Copy the live database to path (which must not exist) and verify the
 * copy's audit chain with the signing key's public half. */
int db_backup(struct ctx *ctx, const char *path, struct db_backup_result *out, struct error *err);

struct db_copy_result {
	int ntables;
	const char *table[64]; /* static names */
	int64_t rows[64];      /* rows copied per table, each checked on both sides */
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
