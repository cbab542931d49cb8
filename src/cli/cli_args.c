/* cli_args: a command's arguments parsed against its row, and the row run.  Shared by
 * main (argv) and the server (an API request's path, query and body as arguments). */
#include <stdarg.h>

#include "base/mem.h"
#include "cli/cli.h"
#include "core/ctx.h"

int cli_usage_error(struct error *err, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(err, ERR_USAGE, "%s", msg);
}

static int opt_index(const struct cli_command *c, const char *name, size_t n)
{
	int i = 0;
	for (const struct cli_opt *o = c->opts; o && o->name; o++, i++)
		if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
			return i;
	return -1;
}

/* Split "--name=value" or take the value from the next argument. */
int cli_take_value(int argc, char **argv, int *i, const char *eq, const char *name,
                   const char **value, struct error *err)
{
	if (eq) {
		*value = eq + 1;
		return 0;
	}
	if (*i + 1 >= argc)
		return cli_usage_error(err, "option --%s needs a value", name);
	*value = argv[++*i];
	return 0;
}

/* An option that goes alone (OPT_ALONE) given with arguments or other
 * options of the command. */
static int alone_check(const struct cli_run *r, struct error *err)
{
	const struct cli_command *c = r->cmd;
	const struct cli_opt *alone = NULL;
	int given = 0, i = 0;
	for (const struct cli_opt *o = c->opts; o && o->name; o++, i++)
		if (r->nvalues[i] > 0) {
			given++;
			if (o->flags & OPT_ALONE)
				alone = o;
		}
	if (!alone || (given == 1 && r->npos == 0))
		return 0;
	cli_usage_error(err, "option --%s goes alone: no arguments or other options with it",
	                alone->name);
	err_hint(err, "usage: plumb %s --%s%s%s", c->name, alone->name, alone->arg ? " " : "",
	         alone->arg ? alone->arg : "");
	return ERR_USAGE;
}

int cli_parse_args(struct cli_run *r, int argc, char **argv, struct error *err)
{
	const struct cli_command *c = r->cmd;
	bool only_pos = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!only_pos && strcmp(a, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (!only_pos && a[0] == '-' && a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t n = eq ? (size_t)(eq - name) : strlen(name);
			int idx = opt_index(c, name, n);
			if (idx < 0) {
				cli_usage_error(err, "unknown option --%.*s for 'plumb %s'", (int)n,
				                name, c->name);
				err_hint(err, "run 'plumb %s --help'", c->name);
				return ERR_USAGE;
			}
			const struct cli_opt *o = &c->opts[idx];
			const char *value = "";
			if (o->flags & OPT_VALUE) {
				int rc = cli_take_value(argc, argv, &i, eq, o->name, &value, err);
				if (rc < 0)
					return rc;
			} else if (eq) {
				return cli_usage_error(err, "option --%s takes no value", o->name);
			}
			if (r->nvalues[idx] > 0 && !(o->flags & OPT_REPEAT))
				return cli_usage_error(err, "option --%s given more than once",
				                       o->name);
			if (r->nvalues[idx] >= CLI_MAX_VALUES)
				return cli_usage_error(err, "option --%s given too many times",
				                       o->name);
			r->values[idx][r->nvalues[idx]++] = value;
			continue;
		}
		if (!only_pos && a[0] == '-' && a[1] && a[1] != '-' && strcmp(a, "-") != 0) {
			cli_usage_error(err, "unknown option %s", a);
			err_hint(err, "options are spelt with two dashes; run 'plumb %s --help'",
			         c->name);
			return ERR_USAGE;
		}
		if (r->npos >= c->max_pos) {
			cli_usage_error(err, "unexpected argument '%s'", a);
			bool args = c->synopsis && c->synopsis[0];
			err_hint(err, "usage: plumb %s%s%s", c->name, args ? " " : "",
			         args ? c->synopsis : "");
			return ERR_USAGE;
		}
		r->pos[r->npos++] = a;
	}
	int rc = alone_check(r, err);
	if (rc < 0)
		return rc;
	if (r->npos < c->min_pos) {
		cli_usage_error(err, "'plumb %s' needs %s", c->name, c->synopsis);
		err_hint(err, "run 'plumb %s --help'", c->name);
		return ERR_USAGE;
	}
	int i = 0;
	for (const struct cli_opt *o = c->opts; o && o->name; o++, i++)
		if ((o->flags & OPT_REQUIRED) && r->nvalues[i] == 0) {
			cli_usage_error(err, "'plumb %s' needs --%s %s", c->name, o->name,
			                o->arg ? o->arg : "");
			return ERR_USAGE;
		}
	if (r->global->json && !(c->flags & CMD_JSON))
		return cli_usage_error(err, "'plumb %s' has no --json output", c->name);
	if (r->global->csv && !(c->flags & CMD_CSV))
		return cli_usage_error(err, "'plumb %s' has no --csv output", c->name);
	if (r->global->json && r->global->csv)
		return cli_usage_error(err, "choose one of --json and --csv");
	return 0;
}

const struct cli_command *cli_command_for_op(enum op_id op)
{
	for (size_t g = 0; g < cli_ngroups; g++)
		for (size_t i = 0; i < cli_groups[g]->ncommands; i++)
			if (cli_groups[g]->commands[i].op == op)
				return &cli_groups[g]->commands[i];
	return NULL;
}

int cli_run_command(struct cli_run *r, struct error *err)
{
	int rc = r->cmd->run(r);
	/* A failure before or between its operations left no entry: with --as,
	 * every command is on the record. */
	if (rc < 0 && r->ctx)
		ctx_record_failed(r->ctx, r->cmd->op);
	if (rc < 0)
		*err = r->err;
	/* The row's op drives help, routes and tests; the handler must run that op. */
	else if (r->ctx && r->ctx->last_op != r->cmd->op)
		BUG("'plumb %s' ran %s, its row says %s", r->cmd->name,
		    op_get(r->ctx->last_op)->name, op_get(r->cmd->op)->name);
	return rc;
}
