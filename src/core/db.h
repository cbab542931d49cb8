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

#endif
