/* cli_demographics: demographic attributes, stored apart (plumb demographics import|show). */
#include <inttypes.h>

#include "base/arena.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "core/ctx.h"
#include "core/demographics.h"

static int cmd_demographics_import(struct cli_run *r)
{
	struct demographics_import_result res;
	int rc = demographics_import_file(r->ctx, r->pos[0], &res, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kint(&w, "rows", res.rows);
		jw_kint(&w, "people", res.people);
		jw_kint(&w, "set", res.set);
		jw_kint(&w, "unchanged", res.unchanged);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out,
	        "imported %s: %" PRId64 " rows for %" PRId64 " %s, %" PRId64
	        " attributes set, %" PRId64 " unchanged\n",
	        r->pos[0], res.rows, res.people, cli_plural(res.people, "person", "people"),
	        res.set, res.unchanged);
	return 0;
}

static int cmd_demographics_show(struct cli_run *r)
{
	struct demographic *d;
	size_t n;
	int rc = demographics_show(r->ctx, r->npos ? r->pos[0] : NULL, &d, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "employee_id", d[i].employee_id);
			jw_kstr(&w, "attribute", d[i].attribute);
			jw_kstr(&w, "value", d[i].value);
			jw_key(&w, "updated_at");
			jw_time(&w, d[i].updated_at, true);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"employee_id", "attribute", "value", "updated"};
	struct cli_table t;
	cli_table_init(&t, headers, 4);
	for (size_t i = 0; i < n; i++) {
		char at[TS_BUF];
		cli_table_add(&t, d[i].employee_id, d[i].attribute, d[i].value,
		              ts_format(d[i].updated_at, at));
	}
	/* Nothing held is one line saying so, as every empty list is (docs/cli.md, "Output"). */
	const char *none = r->npos ? arena_printf(r->ctx->arena,
	                                          "%s has no demographic attributes held (plumb "
	                                          "demographics import FILE.csv)",
	                                          r->pos[0])
	                           : "no demographic attributes held yet (plumb demographics "
	                             "import FILE.csv)";
	cli_table_print_or(r, &t, none);
	cli_table_release(&t);
	return 0;
}

static const struct cli_command demographics_commands[] = {
        {"demographics import", OP_DEMOGRAPHICS_IMPORT, "FILE.csv", 1, 1, CMD_JSON, NULL,
         cmd_demographics_import, "import demographic attributes, stored apart from people",
         "The CSV has the header employee_id,attribute,value.  Only the roles the policy names "
         "(demographics.readers; by default people-partner) may import, for the people their "
         "scope covers.  Every row is checked first: an error names file:line and the field, "
         "and nothing is imported.  Audited with counts, never values."},
        {"demographics show", OP_DEMOGRAPHICS_SHOW, "[EMPLOYEE_ID]", 0, 1, CMD_JSON | CMD_CSV, NULL,
         cmd_demographics_show,
         "show demographic attributes (the policy's readers only; every read audited)",
         "One person's attributes, or everyone's within the reader role's scope.  An admin "
         "without a reader role is refused; refusals are audited too."},
};

const struct cli_group cli_group_demographics = {"demographics", demographics_commands,
                                                 sizeof demographics_commands /
                                                         sizeof demographics_commands[0]};
