/*
 * test_catalog: definition files to canonical definitions (catalog_parse):
 * formulas as canonical JSON whatever the file's key order, list order and
 * number spelling; defaults; individual scope only when listed; errors
 * naming file, line and field.  No database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "metrics/catalog.h"

#define HEAD                                                                                       \
	"key: k\nname: N\ndescription: D\nunit: u\ndirection: lower\nindicator: leading\n"         \
	"stakeholders: [operations, development]\nowner: o\n"

static struct catalog_file parse_ok(struct arena *a, const char *text)
{
	struct catalog_file f;
	struct error err = {0};
	int rc = catalog_parse("t.yaml", text, strlen(text), a, &f, &err);
	if (rc != 0)
		fail_msg("parse failed: %s", err.message);
	return f;
}

static void parse_fails(const char *text, const char *message)
{
	struct arena *a = arena_create();
	struct catalog_file f;
	struct error err = {0};
	assert_int_equal(catalog_parse("t.yaml", text, strlen(text), a, &f, &err), ERR_INVALID);
	if (!strstr(err.message, message))
		fail_msg("message '%s' lacks '%s'", err.message, message);
	arena_destroy(a);
}

static void builtin_formula_is_canonical(void **state)
{
	(void)state;
	struct arena *a = arena_create();
	struct catalog_file f = parse_ok(
	        a, HEAD "formula:\n  params:\n    failure_window_hours: 24.50\n"
	                "    environments: [prod, 'staging']\n  builtin: change_failure_rate\n");
	assert_string_equal(f.def.formula,
	                    "{\"builtin\":\"change_failure_rate\",\"params\":{\"environments\":"
	                    "[\"prod\",\"staging\"],\"failure_window_hours\":24.5}}");
	assert_string_equal(f.params, "{\"environments\":[\"prod\",\"staging\"],"
	                              "\"failure_window_hours\":24.5}");
	/* Another spelling of the same formula compares equal. */
	struct catalog_file g = parse_ok(
	        a, HEAD "formula: {builtin: change_failure_rate, params: {failure_window_hours: "
	                "24.5, environments: [prod, staging]}}\n");
	assert_string_equal(f.def.formula, g.def.formula);
	/* Numbers as JSON, a quoted number as text. */
	struct catalog_file h = parse_ok(a, HEAD "formula: {builtin: issue_cycle_time, params: "
	                                         "{work_done_statuses: '10'}}\n");
	assert_string_equal(h.params, "{\"work_done_statuses\":\"10\"}");
	struct catalog_file w =
	        parse_ok(a, HEAD "formula: {builtin: wip, params: {min_team_size: 05}}\n");
	assert_string_equal(w.params, "{\"min_team_size\":5}");
	arena_destroy(a);
}

static void count_formula_and_defaults(void **state)
{
	(void)state;
	struct arena *a = arena_create();
	struct catalog_file f = parse_ok(
	        a, HEAD "formula:\n  where: {status: failure, is_bot: false, environment: prod}\n"
	                "  count: deployment\n");
	assert_string_equal(f.def.formula, "{\"count\":\"deployment\",\"where\":{\"environment\":"
	                                   "\"prod\",\"is_bot\":false,\"status\":\"failure\"}}");
	assert_null(f.params);
	assert_string_equal(f.def.stakeholders, "development,operations");
	assert_string_equal(f.def.stages, "new,growth,mature,sunset");
	assert_string_equal(f.def.scopes, "org,team,service");
	assert_string_equal(f.def.audiences, "executives,team");
	assert_int_equal(f.def.review_interval_days, 180);
	assert_false(f.def.incentive_linked);
	struct catalog_file g = parse_ok(a, HEAD "scopes: [individual, team]\n"
	                                         "stages: [sunset, new]\nincentive_linked: true\n"
	                                         "formula: {count: commit}\n");
	assert_string_equal(g.def.scopes, "team,individual");
	assert_string_equal(g.def.stages, "new,sunset");
	assert_true(g.def.incentive_linked);
	assert_string_equal(g.def.formula, "{\"count\":\"commit\"}");
	arena_destroy(a);
}

static void errors_name_file_line_and_field(void **state)
{
	(void)state;
	parse_fails(HEAD "formula: {count: coffee}\n", "t.yaml:9: field formula.count: 'coffee'");
	parse_fails(HEAD "stages: [new, old]\nformula: {count: commit}\n",
	            "t.yaml:9: field stages: 'old'");
	parse_fails(HEAD "formula: {count: commit, builtin: wip}\n",
	            "t.yaml:9: field formula: expected exactly one of builtin and count");
	parse_fails(HEAD "formula: {builtin: wip, params: {Bad: 1}}\n",
	            "t.yaml:9: field formula.params: 'Bad'");
	parse_fails(HEAD "formula: {builtin: wip, params: {min_team_size: {b: 1}}}\n",
	            "field formula.params.min_team_size: expected a value or a list of values");
	/* A param the built-in does not read is refused, not stored and ignored. */
	parse_fails(HEAD "formula: {builtin: lead_time, params: {statistic: p90}}\n",
	            "t.yaml:9: field formula.params: statistic does not apply to built-in "
	            "lead_time");
	parse_fails(HEAD "formula: {builtin: wip, params: {failure_window_hours: 1}}\n",
	            "t.yaml:9: field formula.params: failure_window_hours does not apply to "
	            "built-in wip");
	parse_fails(HEAD "formula: {builtin: wip, params: {bogus_param: 1}}\n",
	            "t.yaml:9: field formula.params: unknown parameter bogus_param");
	parse_fails(HEAD
	            "formula: {builtin: recovery_time, params: {failure_window_hours: .nan}}\n",
	            "t.yaml:9: field formula.params.failure_window_hours: failure_window_hours "
	            "must be a number from 0 to 10000, not '.nan'");
	parse_fails(HEAD "formula: {builtin: lead_time, params: {environments: [a, ' ']}}\n",
	            "environments must name at least one entry, and none empty, not 'a, '");
	parse_fails(HEAD "formula: {builtin: wip}\nstakeholders: [x]\n",
	            "t.yaml:10: field stakeholders: given twice");
	parse_fails("key: k\n", "t.yaml:1: field name is missing");
	parse_fails(HEAD "formula: {count: commit}\nscopes: [team, team]\n",
	            "field scopes: 'team' is listed twice");
	parse_fails("- a\n- b\n", "t.yaml:1: expected a mapping of definition fields");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(builtin_formula_is_canonical),
	        cmocka_unit_test(count_formula_and_defaults),
	        cmocka_unit_test(errors_name_file_line_and_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
