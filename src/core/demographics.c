/* demographics: attributes stored apart, for the policy's readers only (see demographics.h). */
#include "core/demographics.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/csv.h"
#include "base/fileio.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/audit.h"
#include "core/authz.h"
#include "core/ctx.h"
#include "core/org.h"
#include "core/policy.h"
#include "store/store.h"

#define ATTRIBUTE_MAX 64

/* The people the actor's reader roles cover: *all, or ids in visible.
 * ERR_DENIED (noted for the audit log) when no role of the actor is a
 * reader.  The scope is that of the reader roles alone, so a people partner
 * who is also a manager reads demographics of their units, not of their
 * reports. */
static int reader_scope(struct ctx *ctx, const char *what, bool *all, struct hmap *visible,
                        struct error *err)
{
	const struct policy *pol;
	int rc = policy_load(ctx, &pol, err);
	if (rc < 0)
		return rc;
	struct actor saved = ctx->actor;
	struct actor *a = &ctx->actor;
	int k = 0;
	for (int i = 0; i < saved.nroles; i++)
		if (policy_demographics_reader(pol, role_name(saved.roles[i].role)))
			a->roles[k++] = saved.roles[i];
	if (k == 0) {
		struct sb names = SB_INIT;
		for (size_t i = 0; i < pol->ndemographics_readers; i++)
			sb_printf(&names, "%s%s", i ? ", " : "", pol->demographics_readers[i]);
		err_set(err, ERR_DENIED,
		        "permission denied: only the policy's demographics readers may %s", what);
		err_detail(err, "readers: %s; user '%s' has none of these roles",
		           names.len ? names.buf : "none", saved.name);
		err_hint(err, "the policy's demographics.readers names them");
		sb_release(&names);
		ctx_note_denied(ctx, err);
		return ERR_DENIED;
	}
	a->nroles = k;
	rc = authz_visible_people(ctx, all, visible, err);
	ctx->actor = saved;
	return rc;
}

static bool in_scope(bool all, const struct hmap *visible, int64_t person_id)
{
	char key[24];
	snprintf(key, sizeof key, "%" PRId64, person_id);
	return all || hmap_get(visible, key, NULL);
}

static int out_of_scope(struct ctx *ctx, const char *employee_id, struct error *err)
{
	err_set(err, ERR_DENIED, "permission denied: demographics of %s are outside your scope",
	        employee_id);
	err_detail(err, "user '%s' reads demographics only of the people their reader roles cover",
	           ctx->actor.name);
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

static bool valid_attribute(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > ATTRIBUTE_MAX || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* ---- import ------------------------------------------------------------------------ */

struct import_row {
	long line;
	const char *employee_id, *attribute, *value;
	int64_t person_id;
};

struct import_args {
	const char *path;
	const char *data;
	size_t len;
	struct demographics_import_result *out;
};

static int bad_row(struct error *err, const char *path, long line, const char *field,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int bad_row(struct error *err, const char *path, long line, const char *field,
                   const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	err_set(err, ERR_INVALID, "%s:%ld: %s: %s", path, line, field, msg);
	err_hint(err, "nothing was imported; fix the file and import it again");
	return ERR_INVALID;
}

/* A row naming nobody the actor may import for.  An id outside the scope
 * gets the answer an unknown one gets, so the error tells nothing of who
 * exists; the refusal is still recorded for the auditor. */
static int unknown_row(struct ctx *ctx, const char *path, const struct import_row *row, bool all,
                       struct error *err)
{
	if (all)
		return bad_row(err, path, row->line, "employee_id", "no person with employee id %s",
		               row->employee_id);
	bad_row(err, path, row->line, "employee_id", "no person in your scope has employee id %s",
	        row->employee_id);
	err_detail(err,
	           "user '%s' imports demographics only of the people their reader roles cover",
	           ctx->actor.name);
	ctx_note_denied(ctx, err);
	return ERR_INVALID;
}

/* Read and check every row of the file: header, fields and duplicates. */
static int parse_rows(struct ctx *ctx, const struct import_args *a, struct import_row **rows,
                      size_t *n, struct error *err)
{
	struct csv_reader r;
	csv_init(&r, a->path, a->data, a->len);
	int rc = csv_next(&r, err);
	static const char *const header[] = {"employee_id", "attribute", "value"};
	if (rc == 0) {
		rc = err_set(err, ERR_INVALID,
		             "%s:1: empty file: expected the header "
		             "employee_id,attribute,value",
		             a->path);
	} else if (rc == 1) {
		rc = 0;
		if (r.nfields != 3)
			rc = err_set(err, ERR_INVALID,
			             "%s:1: expected the header employee_id,attribute,value",
			             a->path);
		for (size_t i = 0; rc == 0 && i < 3; i++)
			if (strcmp(r.fields[i], header[i]) != 0)
				rc = err_set(err, ERR_INVALID,
				             "%s:1: column %zu is '%s', expected '%s' "
				             "(the header is employee_id,attribute,value)",
				             a->path, i + 1, r.fields[i], header[i]);
	}
	struct hmap seen;
	hmap_init(&seen);
	size_t alloc = 0;
	*rows = NULL;
	*n = 0;
	while (rc == 0 && (rc = csv_next(&r, err)) == 1) {
		rc = 0;
		long line = r.record_line;
		if (r.nfields == 1 && r.fields[0][0] == '\0')
			continue; /* a blank line */
		if (r.nfields != 3) {
			rc = err_set(err, ERR_INVALID, "%s:%ld: expected 3 fields, found %zu",
			             a->path, line, r.nfields);
			break;
		}
		const char *eid = r.fields[0], *attr = r.fields[1], *value = r.fields[2];
		if (!org_valid_name(eid))
			rc = bad_row(err, a->path, line, "employee_id",
			             "'%s' is not an employee id", eid);
		else if (!valid_attribute(attr))
			rc = bad_row(
			        err, a->path, line, "attribute",
			        "'%s' is not an attribute name (lower-case letters, digits and "
			        "'_', starting with a letter, at most 64)",
			        attr);
		else if (!*value)
			rc = bad_row(err, a->path, line, "value", "empty");
		else if (!org_valid_text(value, ORG_TEXT_MAX))
			rc = bad_row(err, a->path, line, "value",
			             "not one line of text of at most 200 bytes");
		if (rc < 0)
			break;
		char key[2 * ORG_TEXT_MAX + 2];
		snprintf(key, sizeof key, "%s\x1f%s", eid, attr);
		int64_t first;
		if (hmap_get(&seen, key, &first)) {
			char what[ORG_TEXT_MAX + 80];
			snprintf(what, sizeof what, "%s of %s is also on line %" PRId64, attr, eid,
			         first);
			rc = bad_row(err, a->path, line, "attribute", "%s", what);
			break;
		}
		hmap_put(&seen, key, line);
		*rows = arena_grow(ctx->arena, *rows, *n, &alloc, sizeof **rows);
		(*rows)[(*n)++] = (struct import_row){line, arena_strdup(ctx->arena, eid),
		                                      arena_strdup(ctx->arena, attr),
		                                      arena_strdup(ctx->arena, value), 0};
	}
	hmap_release(&seen);
	csv_release(&r);
	/* As org import: a file of no rows is a mistake, not an import of
	 * nothing on the record (found in review). */
	if (rc == 0 && *n == 0)
		rc = err_set(err, ERR_INVALID,
		             "%s:2: rows: the file lists nothing; expected one row per person "
		             "and attribute",
		             a->path);
	return rc < 0 ? rc : 0;
}

static int import_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct import_args *a = arg;
	struct demographics_import_result *out = a->out;
	memset(out, 0, sizeof *out);
	/* Who may, before anything of the file is read out. */
	bool all = false;
	struct hmap visible, people;
	hmap_init(&visible);
	hmap_init(&people);
	int rc = reader_scope(ctx, "import demographics", &all, &visible, err);
	struct import_row *rows = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = parse_rows(ctx, a, &rows, &n, err);
	struct store_stmt *st;
	/* With the record a person was merged into (person merge), whose
	 * attributes the human's are from then on: stored under the merged
	 * record, `me export` would leave them out (found hunting merges). */
	if (rc == 0)
		rc = store_prepare(ctx->store,
		                   "SELECT p.id, (SELECT q.employee_id FROM person_merges m JOIN "
		                   "people q ON q.id = m.into_person_id WHERE m.from_person_id = "
		                   "p.id) FROM people p WHERE p.employee_id = ?",
		                   &st, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		stmt_bind_text(st, 1, rows[i].employee_id);
		int s = stmt_step(st, err);
		rows[i].person_id = s == STORE_ROW ? stmt_int(st, 0) : 0;
		const char *into = s == STORE_ROW ? stmt_text_dup(st, 1, ctx->arena) : NULL;
		stmt_reset(st);
		if (s < 0)
			rc = s;
		else if (s != STORE_ROW || !in_scope(all, &visible, rows[i].person_id))
			rc = unknown_row(ctx, a->path, &rows[i], all, err);
		else if (into)
			rc = bad_row(err, a->path, rows[i].line, "employee_id",
			             "%s was merged into %s (person merge): name %s",
			             rows[i].employee_id, into, into);
		else if (hmap_put(&people, rows[i].employee_id, 1))
			out->people++;
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		/* The stored value, to count changes and leave equal values alone. */
		rc = store_prepare(ctx->store,
		                   "SELECT value FROM person_demographics WHERE person_id = ?1 AND "
		                   "attribute = ?2",
		                   &st, err);
		if (rc < 0)
			break;
		stmt_bind_int(st, 1, rows[i].person_id);
		stmt_bind_text(st, 2, rows[i].attribute);
		int s = stmt_step(st, err);
		bool exists = s == STORE_ROW;
		bool same = exists && strcmp(stmt_text(st, 0), rows[i].value) == 0;
		stmt_reset(st);
		if (s < 0) {
			rc = s;
			break;
		}
		if (same) {
			out->unchanged++;
			continue;
		}
		rc = store_prepare(
		        ctx->store,
		        exists ? "UPDATE person_demographics SET value = ?3, updated_at = "
		                 "?4 WHERE person_id = ?1 AND attribute = ?2"
		               : "INSERT INTO person_demographics (person_id, attribute, "
		                 "value, updated_at) VALUES (?1, ?2, ?3, ?4)",
		        &st, err);
		if (rc < 0)
			break;
		stmt_bind_int(st, 1, rows[i].person_id);
		stmt_bind_text(st, 2, rows[i].attribute);
		stmt_bind_text(st, 3, rows[i].value);
		stmt_bind_int(st, 4, ts_clock_ms()); /* when it was recorded: never PLUMB_NOW */
		s = stmt_step(st, err);
		stmt_reset(st);
		if (s < 0)
			rc = s;
		else
			out->set++;
	}
	hmap_release(&visible);
	hmap_release(&people);
	out->rows = (int64_t)n;
	if (rc < 0)
		return rc;
	/* Counts only: the values stay in their table. */
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "file", a->path);
	jw_kint(&w, "rows", out->rows);
	jw_kint(&w, "people", out->people);
	jw_kint(&w, "set", out->set);
	jw_kint(&w, "unchanged", out->unchanged);
	jw_object_end(&w);
	rc = audit_append(ctx, "demographics.import", "demographics", "import", detail.buf, err);
	sb_release(&detail);
	return rc;
}

int demographics_import_file(struct ctx *ctx, const char *path,
                             struct demographics_import_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	int rc = ctx_op_check(ctx, OP_DEMOGRAPHICS_IMPORT, err);
	if (rc < 0)
		return rc;
	char *data = NULL;
	size_t len = 0;
	rc = file_read(path, DEMOGRAPHICS_FILE_CAP, &data, &len, err);
	struct import_args a = {path, data, len, out};
	if (rc == 0)
		rc = ctx_run(ctx, OP_DEMOGRAPHICS_IMPORT, import_body, &a, err);
	free(data);
	return rc;
}

/* ---- show -------------------------------------------------------------------------- */

struct show_args {
	const char *employee_id;
	struct demographic **out;
	size_t *n;
};

static int cmp_demographic(const void *a, const void *b)
{
	const struct demographic *x = a, *y = b;
	int c = strcmp(x->employee_id, y->employee_id);
	return c ? c : strcmp(x->attribute, y->attribute);
}

static int show_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct show_args *a = arg;
	*a->out = NULL;
	*a->n = 0;
	/* The entry names whose attributes were asked for, refused or not. */
	ctx_subject(ctx, a->employee_id ? "person" : "demographics",
	            a->employee_id ? a->employee_id : "all");
	bool all = false;
	struct hmap visible;
	hmap_init(&visible);
	const char *what =
	        a->employee_id ? arena_printf(ctx->arena, "read demographics of %s", a->employee_id)
	                       : "read demographics";
	int rc = reader_scope(ctx, what, &all, &visible, err);
	int64_t only = 0;
	if (rc == 0 && a->employee_id) {
		struct store_stmt *st;
		rc = store_prepare(ctx->store, "SELECT id FROM people WHERE employee_id = ?", &st,
		                   err);
		if (rc == 0) {
			stmt_bind_text(st, 1, a->employee_id);
			int s = stmt_step(st, err);
			only = s == STORE_ROW ? stmt_int(st, 0) : 0;
			stmt_reset(st);
			/* An unknown id is refused as one outside the scope, to a reader
			 * who does not cover everyone, as import does: the answer tells
			 * nothing of who exists. */
			if (s < 0)
				rc = s;
			else if (s != STORE_ROW && all)
				rc = err_set(err, ERR_NOT_FOUND, "no person with employee id %s",
				             a->employee_id);
			else if (s != STORE_ROW || !in_scope(all, &visible, only))
				rc = out_of_scope(ctx, a->employee_id, err);
		}
	}
	struct store_stmt *st;
	if (rc == 0)
		rc = store_prepare(ctx->store,
		                   "SELECT d.person_id, p.employee_id, d.attribute, d.value, "
		                   "d.updated_at FROM person_demographics d "
		                   "JOIN people p ON p.id = d.person_id "
		                   "WHERE (?1 = 0 OR d.person_id = ?1)",
		                   &st, err);
	if (rc == 0) {
		stmt_bind_int(st, 1, only);
		size_t alloc = 0;
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			if (!in_scope(all, &visible, stmt_int(st, 0)))
				continue;
			*a->out = arena_grow(ctx->arena, *a->out, *a->n, &alloc, sizeof **a->out);
			struct demographic *d = &(*a->out)[(*a->n)++];
			d->employee_id = stmt_text_dup(st, 1, ctx->arena);
			d->attribute = stmt_text_dup(st, 2, ctx->arena);
			d->value = stmt_text_dup(st, 3, ctx->arena);
			d->updated_at = stmt_int(st, 4);
		}
		stmt_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	hmap_release(&visible);
	if (rc == 0 && *a->n > 1)
		qsort(*a->out, *a->n, sizeof **a->out, cmp_demographic);
	return rc;
}

int demographics_show(struct ctx *ctx, const char *employee_id, struct demographic **out, size_t *n,
                      struct error *err)
{
	struct show_args a = {employee_id, out, n};
	return ctx_run(ctx, OP_DEMOGRAPHICS_SHOW, show_body, &a, err);
}
