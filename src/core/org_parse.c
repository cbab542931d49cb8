/*
 * org_parse: read an HRIS export (CSV) or the YAML form of the org into
 * struct org_import_input.  Only syntax and columns are checked here; the
 * rules about values live in org_import.c so both forms share them.
 */
#include <yaml.h>

#include "base/yamldoc.h"

#include "base/arena.h"
#include "base/csv.h"
#include "base/mem.h"
#include "base/sb.h"
#include "core/ctx.h"
#include "core/org.h"

#define ORG_MAX_ROWS 5000000

struct column {
	const char *name;
	size_t offset;
	bool required;
};

#define COL(field, req)                                                                            \
	{                                                                                          \
#field, offsetof(struct org_row, field), req                                       \
	}
static const struct column columns[] = {
        COL(employee_id, true),
        COL(name, true),
        COL(email, true),
        COL(manager_id, true),
        COL(team, true),
        COL(title, true),
        COL(level, true),
        COL(track, true),
        COL(role_profile, true),
        COL(country, true),
        COL(start_date, true),
        COL(end_date, false),
        COL(parent_team, false),
        COL(team_kind, false),
        COL(github_login, false),
        COL(jira_account_id, false),
        COL(pagerduty_user_id, false),
        COL(emails, false),
};
#undef COL
#define NCOLUMNS (sizeof columns / sizeof columns[0])

static const char **row_field(struct org_row *row, const struct column *c)
{
	return (const char **)((char *)row + c->offset);
}

/* Levenshtein distance, capped: enough to spot a misspelt column name. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 99;
	size_t prev[41], cur[41];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof prev);
	}
	return prev[lb];
}

static const struct column *near_column(const char *name)
{
	for (size_t i = 0; i < NCOLUMNS; i++)
		if (edit_distance(name, columns[i].name) <= 2)
			return &columns[i];
	return NULL;
}

static int parse_header(struct ctx *ctx, struct csv_reader *r, int *map,
                        struct org_import_input *in, struct error *err)
{
	bool seen[NCOLUMNS] = {false};
	const char **ignored = arena_array(ctx->arena, r->nfields, sizeof *ignored);
	/* Exact names first; then any other name within two edits of a column
	 * is an error (a misspelling would drop that column's data silently),
	 * and the rest are reported and ignored. */
	for (size_t f = 0; f < r->nfields; f++) {
		map[f] = -1;
		for (size_t c = 0; c < NCOLUMNS; c++) {
			if (strcmp(r->fields[f], columns[c].name) != 0)
				continue;
			if (seen[c]) {
				err_set(err, ERR_INVALID, "%s:1: column %s appears twice", r->name,
				        columns[c].name);
				return ERR_INVALID;
			}
			seen[c] = true;
			map[f] = (int)c;
		}
	}
	for (size_t f = 0; f < r->nfields; f++) {
		if (map[f] >= 0)
			continue;
		const char *name = r->fields[f];
		const struct column *near = near_column(name);
		if (near) {
			err_set(err, ERR_INVALID, "%s:1: unknown column '%s'", r->name, name);
			err_hint(
			        err,
			        "did you mean '%s'? A misspelt column would drop its data silently",
			        near->name);
			return ERR_INVALID;
		}
		ignored[in->nignored++] = arena_strdup(ctx->arena, name);
	}
	for (size_t c = 0; c < NCOLUMNS; c++) {
		if (columns[c].required && !seen[c]) {
			err_set(err, ERR_INVALID, "%s:1: missing required column %s", r->name,
			        columns[c].name);
			err_detail(err, "required: employee_id, name, email, manager_id, team, "
			                "title, level, "
			                "track, role_profile, country, start_date");
			return ERR_INVALID;
		}
	}
	in->ignored_columns = ignored;
	return 0;
}

static int parse_csv(struct ctx *ctx, const char *name, const char *data, size_t len,
                     struct org_import_input *in, struct error *err)
{
	struct csv_reader r;
	csv_init(&r, name, data, len);
	int rc = csv_next(&r, err);
	if (rc == 0) {
		err_set(err, ERR_INVALID, "%s: empty file", name);
		err_detail(err, "expected a header row and one row per person");
	}
	if (rc <= 0) {
		csv_release(&r);
		return rc == 0 ? ERR_INVALID : rc;
	}
	int map[CSV_MAX_FIELDS];
	size_t ncols = r.nfields;
	if ((rc = parse_header(ctx, &r, map, in, err)) < 0) {
		csv_release(&r);
		return rc;
	}
	size_t alloc = 1024;
	struct org_row *rows = xmalloc(alloc * sizeof *rows);
	size_t n = 0;
	while ((rc = csv_next(&r, err)) == 1) {
		if (r.nfields != ncols) {
			rc = err_set(err, ERR_INVALID, "%s:%ld: expected %zu fields, found %zu",
			             name, r.record_line, ncols, r.nfields);
			err_hint(err, "quote fields that contain commas");
			break;
		}
		if (n == ORG_MAX_ROWS) {
			rc = err_set(err, ERR_TOO_BIG, "%s: more than %d rows", name, ORG_MAX_ROWS);
			break;
		}
		if (n == alloc)
			rows = xreallocarray(rows, alloc *= 2, sizeof *rows);
		struct org_row *row = &rows[n++];
		for (size_t c = 0; c < NCOLUMNS; c++)
			*row_field(row, &columns[c]) = "";
		row->line = r.record_line;
		for (size_t f = 0; f < ncols; f++)
			if (map[f] >= 0)
				*row_field(row, &columns[map[f]]) =
				        arena_strdup(ctx->arena, r.fields[f]);
	}
	csv_release(&r);
	if (rc < 0) {
		free(rows);
		return rc;
	}
	in->rows = arena_array(ctx->arena, n ? n : 1, sizeof *rows);
	memcpy(in->rows, rows, n * sizeof *rows);
	in->nrows = n;
	free(rows);
	return 0;
}

/* ---- YAML ---------------------------------------------------------------- */

struct yaml_cursor {
	struct ctx *ctx;
	const char *name;
	yaml_document_t *doc;
};

static long node_line(const yaml_node_t *node)
{
	return yamldoc_line(node);
}

static int yaml_expect(struct yaml_cursor *y, const yaml_node_t *node, yaml_node_type_t type,
                       const char *what, struct error *err)
{
	return yamldoc_expect(y->name, node, type, what, err);
}

/* A scalar's text, or "a;b" for a sequence of scalars (emails). */
static int yaml_text(struct yaml_cursor *y, yaml_node_t *node, const char *key, const char **out,
                     struct error *err)
{
	if (node->type == YAML_SCALAR_NODE)
		return yamldoc_scalar(y->name, node, key, y->ctx->arena, out, err);
	if (node->type == YAML_SEQUENCE_NODE && strcmp(key, "emails") == 0) {
		struct sb joined = SB_INIT;
		for (yaml_node_item_t *it = node->data.sequence.items.start;
		     it < node->data.sequence.items.top; it++) {
			yaml_node_t *item = yaml_document_get_node(y->doc, *it);
			if (yaml_expect(y, item, YAML_SCALAR_NODE, "an email address", err) < 0) {
				sb_release(&joined);
				return ERR_INVALID;
			}
			if (joined.len)
				sb_putc(&joined, ';');
			sb_puts(&joined, (const char *)item->data.scalar.value);
		}
		*out = arena_strdup(y->ctx->arena, joined.buf);
		sb_release(&joined);
		return 0;
	}
	err_set(err, ERR_INVALID, "%s:%ld: field %s: expected a single value", y->name,
	        node_line(node), key);
	return ERR_INVALID;
}

typedef int (*yaml_set_fn)(void *record, const char *key, const char *value);

static int set_person(void *record, const char *key, const char *value)
{
	struct org_row *row = record;
	for (size_t c = 0; c < NCOLUMNS; c++) {
		if (strcmp(key, columns[c].name) == 0) {
			*row_field(row, &columns[c]) = value;
			return 0;
		}
	}
	return -1;
}

static int set_team(void *record, const char *key, const char *value)
{
	struct org_team_row *t = record;
	if (strcmp(key, "name") == 0)
		t->name = value;
	else if (strcmp(key, "kind") == 0)
		t->kind = value;
	else if (strcmp(key, "parent") == 0)
		t->parent = value;
	else
		return -1;
	return 0;
}

static int set_service(void *record, const char *key, const char *value)
{
	struct org_service_row *s = record;
	if (strcmp(key, "name") == 0)
		s->name = value;
	else if (strcmp(key, "team") == 0)
		s->team = value;
	else if (strcmp(key, "description") == 0)
		s->description = value;
	else
		return -1;
	return 0;
}

/* Read a sequence of mappings into an arena array of records. */
static int yaml_records(struct yaml_cursor *y, yaml_node_t *seq, const char *section,
                        size_t record_size, yaml_set_fn set, const char *keys, void **out,
                        size_t *n, struct error *err)
{
	if (yaml_expect(y, seq, YAML_SEQUENCE_NODE, "a list", err) < 0)
		return ERR_INVALID;
	size_t count = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	if (count > ORG_MAX_ROWS) {
		err_set(err, ERR_TOO_BIG, "%s:%ld: more than %d entries in %s", y->name,
		        node_line(seq), ORG_MAX_ROWS, section);
		return ERR_TOO_BIG;
	}
	char *records = arena_array(y->ctx->arena, count ? count : 1, record_size);
	for (size_t i = 0; i < count; i++) {
		yaml_node_t *map =
		        yaml_document_get_node(y->doc, seq->data.sequence.items.start[i]);
		if (yaml_expect(y, map, YAML_MAPPING_NODE, "a mapping of field: value", err) < 0)
			return ERR_INVALID;
		void *record = records + i * record_size;
		*(long *)record = node_line(map); /* every record type starts with its line */
		if (set == set_person)
			for (size_t c = 0; c < NCOLUMNS; c++)
				*row_field(record, &columns[c]) = "";
		for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
		     p < map->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(y->doc, p->key);
			yaml_node_t *v = yaml_document_get_node(y->doc, p->value);
			if (yaml_expect(y, k, YAML_SCALAR_NODE, "a field name", err) < 0)
				return ERR_INVALID;
			if (yamldoc_repeated_key(y->doc, map, p)) {
				err_set(err, ERR_INVALID, "%s:%ld: field '%s' given twice", y->name,
				        node_line(k), (const char *)k->data.scalar.value);
				return ERR_INVALID;
			}
			const char *key = (const char *)k->data.scalar.value, *value;
			if (yaml_text(y, v, key, &value, err) < 0)
				return ERR_INVALID;
			if (set(record, key, value) < 0) {
				err_set(err, ERR_INVALID, "%s:%ld: unknown field '%s' in %s",
				        y->name, node_line(k), key, section);
				err_detail(err, "fields: %s", keys);
				return ERR_INVALID;
			}
		}
	}
	*out = records;
	*n = count;
	return 0;
}

static int parse_yaml(struct ctx *ctx, const char *name, const char *data, size_t len,
                      struct org_import_input *in, struct error *err)
{
	yaml_document_t doc;
	if (yamldoc_load(name, data, len, &doc, err) < 0)
		return ERR_INVALID;
	struct yaml_cursor y = {ctx, name, &doc};
	int rc = 0;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (!root) {
		rc = err_set(err, ERR_INVALID, "%s: empty file", name);
		err_detail(err, "expected a mapping with people, teams and services");
	} else if (yaml_expect(&y, root, YAML_MAPPING_NODE,
	                       "a mapping with people, teams, services", err) < 0) {
		rc = ERR_INVALID;
	}
	for (yaml_node_pair_t *p = rc == 0 ? root->data.mapping.pairs.start : NULL;
	     p && p < root->data.mapping.pairs.top && rc == 0; p++) {
		yaml_node_t *k = yaml_document_get_node(&doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&doc, p->value);
		const char *key =
		        k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
		if (yamldoc_repeated_key(&doc, root, p)) {
			rc = err_set(err, ERR_INVALID, "%s:%ld: section '%s' given twice", name,
			             node_line(k), key);
			break;
		}
		void *records = NULL;
		size_t n = 0;
		if (strcmp(key, "people") == 0) {
			rc = yaml_records(&y, v, "people", sizeof(struct org_row), set_person,
			                  "the CSV columns (docs/org-import.md)", &records, &n,
			                  err);
			in->rows = records;
			in->nrows = n;
		} else if (strcmp(key, "teams") == 0) {
			rc = yaml_records(&y, v, "teams", sizeof(struct org_team_row), set_team,
			                  "name, kind, parent", &records, &n, err);
			in->teams = records;
			in->nteams = n;
		} else if (strcmp(key, "services") == 0) {
			rc = yaml_records(&y, v, "services", sizeof(struct org_service_row),
			                  set_service, "name, team, description", &records, &n,
			                  err);
			in->services = records;
			in->nservices = n;
		} else {
			rc = err_set(err, ERR_INVALID, "%s:%ld: unknown section '%s'", name,
			             node_line(k), key);
			err_detail(err, "expected people, teams and services");
		}
	}
	yaml_document_delete(&doc);
	return rc;
}

int org_parse(struct ctx *ctx, const char *name, enum org_format format, const char *data,
              size_t len, struct org_import_input *input, struct error *err)
{
	memset(input, 0, sizeof *input);
	input->file_name = arena_strdup(ctx->arena, name);
	if (format == ORG_FORMAT_AUTO) {
		const char *dot = strrchr(name, '.');
		if (dot && strcmp(dot, ".csv") == 0)
			format = ORG_FORMAT_CSV;
		else if (dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
			format = ORG_FORMAT_YAML;
		else {
			err_set(err, ERR_USAGE, "cannot tell the format of %s", name);
			err_hint(err, "name it .csv, .yaml or .yml, or pass --format csv|yaml");
			return ERR_USAGE;
		}
	}
	if (format == ORG_FORMAT_CSV)
		return parse_csv(ctx, name, data, len, input, err);
	return parse_yaml(ctx, name, data, len, input, err);
}
