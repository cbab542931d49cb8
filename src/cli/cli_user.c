/* cli_user: user add and user list. */
#include "cli/cli.h"
#include "core/ctx.h"
#include "core/users.h"

static int cmd_user_add(struct cli_run *r)
{
	int n = cli_opt_count(r, "role");
	const char *roles[CLI_MAX_VALUES];
	for (int i = 0; i < n; i++)
		roles[i] = cli_opt_at(r, "role", i);
	bool created;
	const char *person = cli_opt(r, "person");
	int rc = users_add(r->ctx, person, roles, (size_t)n, &created, &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "user %s %s\n", person, created ? "created" : "updated");
	return 0;
}

static int cmd_user_list(struct cli_run *r)
{
	struct user_info *users;
	size_t n;
	int rc = users_list(r->ctx, &users, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "user", users[i].name);
			jw_kstr(&w, "person_name", users[i].person_name);
			jw_kbool(&w, "disabled", users[i].disabled);
			jw_key(&w, "roles");
			jw_array_begin(&w);
			for (size_t k = 0; k < users[i].nroles; k++)
				jw_str(&w, users[i].role_list[k]);
			jw_array_end(&w);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"user", "name", "roles", "disabled"};
	struct cli_table t;
	cli_table_init(&t, headers, 4);
	for (size_t i = 0; i < n; i++)
		cli_table_add(&t, users[i].name, users[i].person_name, users[i].roles,
		              users[i].disabled ? "yes" : "no");
	cli_table_print(r, &t);
	cli_table_release(&t);
	return 0;
}

static const struct cli_opt add_opts[] = {
        {"person", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the person the user belongs to"},
        {"role", "ROLE[:TEAM]", OPT_VALUE | OPT_REPEAT | OPT_REQUIRED,
         "admin, people-partner, leader, manager or employee, optionally limited to an org unit"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"user add", OP_USER_ADD, "", 0, 0, 0, add_opts, cmd_user_add,
         "create a user for a person, or grant more roles",
         "Users are named by their person's employee id. A role may be limited to an org unit "
         "(a team and its subteams): --role people-partner:platform."},
        {"user list", OP_USER_LIST, "", 0, 0, CMD_JSON | CMD_CSV, NULL, cmd_user_list,
         "list users and their roles", NULL},
};

const struct cli_group cli_group_user = {"user", commands, sizeof commands / sizeof commands[0]};
