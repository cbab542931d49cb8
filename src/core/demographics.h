/*
 * demographics: demographic attributes of people (for bias audits), stored
 * apart from people in person_demographics so that one grant covers them.
 *
 * Only the roles the policy names (policy_demographics_reader; by default
 * people-partner) may import or read them, and only for the people that
 * role's scope covers; an admin without such a role is refused.  Every read
 * leaves an audit entry naming whose attributes were read, a refusal too.
 * Attribute values never go into the audit log.
 *
 * Everything returned lives in ctx->arena.
 */
#ifndef PLUMB_DEMOGRAPHICS_H
#define PLUMB_DEMOGRAPHICS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct ctx;

#define DEMOGRAPHICS_FILE_CAP (64 << 20) /* bytes of one import file */

struct demographics_import_result {
	int64_t rows;      /* data rows in the file */
	int64_t people;    /* distinct people named */
	int64_t set;       /* attributes added or changed */
	int64_t unchanged; /* attributes already holding that value */
};

/* Operation demographics.import: a CSV with the header
 * employee_id,attribute,value.  Every row is checked (a known person within
 * the actor's reader scope, an attribute name of lower-case letters, digits
 * and '_', a value of one line of text) before anything is written; an
 * error names file:line and the field, and nothing is written.  One audit
 * entry with the counts (no values). */
int demographics_import_file(struct ctx *ctx, const char *path,
                             struct demographics_import_result *out, struct error *err);

struct demographic {
	const char *employee_id, *attribute, *value;
	int64_t updated_at;
};

/* Operation demographics.show: one person's attributes (employee_id), or
 * those of everyone the actor's reader roles cover (NULL), sorted by
 * employee id and attribute.  Audited as a read of person:ID, or of
 * demographics:all. */
int demographics_show(struct ctx *ctx, const char *employee_id, struct demographic **out, size_t *n,
                      struct error *err);

#endif
