/*
 * test_ops: the operation table and the CLI command tables agree.  Every
 * operation has a permission and an audit decision; every command names a
 * real operation, has a handler and help; every operation is reachable;
 * read commands offer --json.  (STYLE.md, Shape 2: a test proves it.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "core/ops.h"

static void every_op_has_permission_and_audit(void **state)
{
	(void)state;
	int n = 0;
	const struct op_def *ops = op_table(&n);
	assert_int_equal(n, OP_COUNT_);
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		const struct op_def *op = &ops[i];
		if (op->perm == PERM_UNSET)
			fail_msg("operation %s has no permission", op->name);
		if (op->audit == OPA_UNSET)
			fail_msg("operation %s has no audit decision", op->name);
		assert_true(op->perm == PERM_ANY || op->perm == PERM_ADMIN ||
		            op->perm == PERM_PEOPLE_SCOPED);
		assert_true(op->audit == OPA_READ || op->audit == OPA_READ_AUDITED ||
		            op->audit == OPA_WRITE || op->audit == OPA_STAGE);
	}
}

static void op_rows_are_indexed_by_id(void **state)
{
	(void)state;
	int n = 0;
	const struct op_def *ops = op_table(&n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(ops[i].id, i);
		assert_ptr_equal(op_get((enum op_id)i), &ops[i]);
	}
}

static void op_names_unique_and_dotted(void **state)
{
	(void)state;
	int n = 0;
	const struct op_def *ops = op_table(&n);
	for (int i = 0; i < n; i++) {
		assert_non_null(ops[i].name);
		/* Names are "noun.verb", the audit action for writes. */
		const char *dot = strchr(ops[i].name, '.');
		if (!dot || dot == ops[i].name || !dot[1])
			fail_msg("operation name '%s' is not noun.verb", ops[i].name);
		assert_non_null(ops[i].help);
		assert_true(ops[i].help[0] != '\0');
		for (int j = 0; j < i; j++)
			if (strcmp(ops[i].name, ops[j].name) == 0)
				fail_msg("operation name %s appears twice", ops[i].name);
	}
}

static void routes_are_well_formed_and_unique(void **state)
{
	(void)state;
	int n = 0;
	const struct op_def *ops = op_table(&n);
	static const char *const methods[] = {"GET ", "POST ", "PUT ", "PATCH ", "DELETE "};
	for (int i = 0; i < n; i++) {
		const char *route = ops[i].route;
		if (!route)
			continue;
		bool method_ok = false;
		for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++)
			if (strncmp(route, methods[m], strlen(methods[m])) == 0 &&
			    strncmp(route + strlen(methods[m]), "/api/v1/", 8) == 0)
				method_ok = true;
		if (!method_ok)
			fail_msg("route '%s' of %s is not 'METHOD /api/v1/...'", route,
			         ops[i].name);
		/* GET is the safe method (RFC 9110 9.2.1): reads use it, writes do not. */
		bool get = strncmp(route, "GET ", 4) == 0;
		if (get != (ops[i].audit == OPA_READ || ops[i].audit == OPA_READ_AUDITED))
			fail_msg("route '%s' does not match %s's audit decision", route,
			         ops[i].name);
		for (int j = 0; j < i; j++)
			if (ops[j].route && strcmp(route, ops[j].route) == 0)
				fail_msg("route '%s' serves both %s and %s", route, ops[j].name,
				         ops[i].name);
	}
}

static void commands_name_valid_ops_with_handlers(void **state)
{
	(void)state;
	for (size_t g = 0; g < cli_ngroups; g++) {
		const struct cli_group *grp = cli_groups[g];
		assert_non_null(grp->name);
		assert_true(grp->ncommands > 0);
		for (size_t c = 0; c < grp->ncommands; c++) {
			const struct cli_command *cmd = &grp->commands[c];
			assert_non_null(cmd->name);
			if ((int)cmd->op < 0 || cmd->op >= OP_COUNT_)
				fail_msg("command '%s' names operation %d, which does not exist",
				         cmd->name, (int)cmd->op);
			if (!cmd->run)
				fail_msg("command '%s' has no handler", cmd->name);
			if (!cmd->summary || !cmd->summary[0])
				fail_msg("command '%s' has no summary", cmd->name);
			assert_non_null(cmd->synopsis);
			assert_true(cmd->min_pos >= 0);
			assert_true(cmd->min_pos <= cmd->max_pos);
		}
	}
}

static void command_names_unique(void **state)
{
	(void)state;
	for (size_t g = 0; g < cli_ngroups; g++)
		for (size_t c = 0; c < cli_groups[g]->ncommands; c++) {
			const char *name = cli_groups[g]->commands[c].name;
			for (size_t h = 0; h <= g; h++)
				for (size_t d = 0; d < cli_groups[h]->ncommands; d++) {
					if (h == g && d >= c)
						break;
					if (strcmp(name, cli_groups[h]->commands[d].name) == 0)
						fail_msg("command '%s' is declared twice", name);
				}
		}
}

static void group_names_unique(void **state)
{
	(void)state;
	for (size_t g = 0; g < cli_ngroups; g++)
		for (size_t h = 0; h < g; h++)
			assert_string_not_equal(cli_groups[g]->name, cli_groups[h]->name);
}

static void options_declared_sanely(void **state)
{
	(void)state;
	for (size_t g = 0; g < cli_ngroups; g++)
		for (size_t c = 0; c < cli_groups[g]->ncommands; c++) {
			const struct cli_command *cmd = &cli_groups[g]->commands[c];
			if (!cmd->opts)
				continue;
			size_t n = 0;
			for (; cmd->opts[n].name; n++) {
				const struct cli_opt *o = &cmd->opts[n];
				if (o->name[0] == '-')
					fail_msg("option '%s' of '%s' includes its dashes", o->name,
					         cmd->name);
				if (!o->help || !o->help[0])
					fail_msg("option --%s of '%s' has no help", o->name,
					         cmd->name);
				if ((o->flags & OPT_VALUE) && !o->arg)
					fail_msg("option --%s of '%s' takes a value but names no "
					         "placeholder",
					         o->name, cmd->name);
				for (size_t p = 0; p < n; p++)
					if (strcmp(o->name, cmd->opts[p].name) == 0)
						fail_msg("option --%s of '%s' is declared twice",
						         o->name, cmd->name);
				/* Help adds these from the flags: written by hand too,
				 * they showed twice ("(repeatable) (repeatable)"). */
				if ((o->flags & OPT_REPEAT) && strstr(o->help, "repeatable"))
					fail_msg("option --%s of '%s' says it is repeatable; "
					         "help adds that from OPT_REPEAT",
					         o->name, cmd->name);
				if ((o->flags & (OPT_REQUIRED | OPT_REQUIRED_BY_COMMAND)) &&
				    strstr(o->help, "required"))
					fail_msg("option --%s of '%s' says it is required; help "
					         "adds that from OPT_REQUIRED",
					         o->name, cmd->name);
				/* The usage line lists the options after the synopsis
				 * (an option that goes alone on a line of its own). */
				char dashed[64];
				snprintf(dashed, sizeof dashed, "--%s", o->name);
				const char *at = strstr(cmd->synopsis, dashed);
				size_t len = strlen(dashed);
				if (at && !(at[len] == '-' || (at[len] >= 'a' && at[len] <= 'z')))
					fail_msg(
					        "the synopsis of '%s' names its option --%s, which "
					        "help adds from the options: '%s'",
					        cmd->name, o->name, cmd->synopsis);
			}
			assert_true(n <= CLI_MAX_OPTS);
		}
}

static void help_more_names_commands(void **state)
{
	(void)state;
	for (size_t i = 0; i < cli_nhelp_more; i++) {
		bool found = false;
		for (size_t g = 0; g < cli_ngroups && !found; g++)
			for (size_t c = 0; c < cli_groups[g]->ncommands; c++)
				if (strcmp(cli_groups[g]->commands[c].name,
				           cli_help_more[i].command) == 0)
					found = true;
		if (!found)
			fail_msg("cli_help_more names '%s', which is no command",
			         cli_help_more[i].command);
		assert_non_null(cli_help_more[i].print);
	}
}

static void every_op_has_a_command(void **state)
{
	(void)state;
	int n = 0;
	const struct op_def *ops = op_table(&n);
	for (int i = 0; i < n; i++) {
		bool used = false;
		for (size_t g = 0; g < cli_ngroups && !used; g++)
			for (size_t c = 0; c < cli_groups[g]->ncommands; c++)
				if ((int)cli_groups[g]->commands[c].op == i)
					used = true;
		/* Staging, and recording a run failed, are steps of the commands
		 * that publish, never one alone; sessions exist only in the
		 * server's sign-in pages (tests/server). */
		if (!used && ops[i].audit != OPA_STAGE && ops[i].id != OP_INGEST_FAIL &&
		    strncmp(ops[i].name, "session.", 8) != 0)
			fail_msg("operation %s has no CLI command", ops[i].name);
	}
}

static void read_commands_offer_json(void **state)
{
	(void)state;
	for (size_t g = 0; g < cli_ngroups; g++)
		for (size_t c = 0; c < cli_groups[g]->ncommands; c++) {
			const struct cli_command *cmd = &cli_groups[g]->commands[c];
			if (op_get(cmd->op)->audit == OPA_READ && !(cmd->flags & CMD_JSON))
				fail_msg("read command '%s' does not declare CMD_JSON", cmd->name);
		}
}

static void only_init_creates_the_database(void **state)
{
	(void)state;
	for (size_t g = 0; g < cli_ngroups; g++)
		for (size_t c = 0; c < cli_groups[g]->ncommands; c++) {
			const struct cli_command *cmd = &cli_groups[g]->commands[c];
			if (cmd->flags & CMD_CREATE_DB)
				assert_int_equal(cmd->op, OP_DB_INIT);
			/* A command without a database cannot write audited changes. */
			if (cmd->flags & CMD_NO_DB)
				assert_true(op_get(cmd->op)->audit == OPA_READ ||
				            op_get(cmd->op)->audit == OPA_READ_AUDITED);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(every_op_has_permission_and_audit),
	        cmocka_unit_test(op_rows_are_indexed_by_id),
	        cmocka_unit_test(op_names_unique_and_dotted),
	        cmocka_unit_test(routes_are_well_formed_and_unique),
	        cmocka_unit_test(commands_name_valid_ops_with_handlers),
	        cmocka_unit_test(command_names_unique),
	        cmocka_unit_test(group_names_unique),
	        cmocka_unit_test(options_declared_sanely),
	        cmocka_unit_test(help_more_names_commands),
	        cmocka_unit_test(every_op_has_a_command),
	        cmocka_unit_test(read_commands_offer_json),
	        cmocka_unit_test(only_init_creates_the_database),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
