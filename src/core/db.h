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
};

/* Copy the whole database src (its ctx, opened on the source) into to_url,
 * a new SQLite file or an empty PostgreSQL database, in one transaction on
 * the target: every table, with counts checked on both sides, then the
 * target's audit chain verified.  The copy is recorded in both chains.
 * ERR_CONFLICT when the target already holds plumb data. */
int db_copy(struct ctx *src, const char *to_url, struct db_copy_result *out, struct error *err);

#endif
