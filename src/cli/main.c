/*
 * main: plumb's command-line entry.  Parses global options, finds the
 * command row in the groups' tables, parses its options, opens the unit of
 * work and runs the handler; then prints the error, if any, as
 *   plumb: error: WHAT / detail: ... / hint: ...
 * and exits with the error table's status.  exit() lives here only.
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include "base/leakcheck.h"
#include "base/mem.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "cli/cli.h"
#include "core/ctx.h"

static const struct cli_opt global_opts[] = {
        {"db", "PATH", OPT_VALUE, "database file (default $PLUMB_DB, else ./plumb.db)"},
        {"as", "USER", OPT_VALUE, "act as USER (an employee id); audited with your OS user"},
        {"audit-key", "PATH", OPT_VALUE,
         "audit signing key (default $PLUMB_AUDIT_KEY, else $XDG_CONFIG_HOME/plumb/audit.key, "
         "else ~/.config/plumb/audit.key)"},
        {"lock-wait", "SECONDS", OPT_VALUE,
         "how long a write waits for another writer, such as a large ingest publishing, "
         "before it fails busy, exit 75 (default $PLUMB_LOCK_WAIT, else 60)"},
        {"json", NULL, 0, "machine-readable output (read commands)"},
        {"csv", NULL, 0, "CSV output (table commands)"},
        {"help", NULL, 0, "show help"},
        {NULL, NULL, 0, NULL},
};

/* ---- help, generated from the tables ----------------------------------- */

static void print_opt(FILE *out, const struct cli_opt *o)
{
	char left[64];
	snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	/* Too long for its column, it ends its line and the help starts the next, in the
	 * column, as the general help does with a long command's summary. */
	if (strlen(left) > 24) {
		fprintf(out, "  %s\n", left);
		left[0] = '\0';
	}
	fprintf(out, "  %-24s %s%s%s%s\n", left, o->help,
	        o->flags & (OPT_REQUIRED | OPT_REQUIRED_BY_COMMAND) ? " (required)" : "",
	        o->flags & OPT_REPEAT ? " (repeatable)" : "",
	        o->flags & OPT_ALONE ? " (goes alone)" : "");
}

static void print_outputs(FILE *out, const struct cli_command *c)
{
	if (c->flags & CMD_JSON)
		fprintf(out, " [--json]");
	if (c->flags & CMD_CSV)
		fprintf(out, " [--csv]");
	fputc('\n', out);
}

/* The usage line, then one more for each option that goes alone. */
static void print_synopsis(FILE *out, const struct cli_command *c)
{
	fprintf(out, "plumb %s", c->name);
	if (c->synopsis && *c->synopsis)
		fprintf(out, " %s", c->synopsis);
	for (const struct cli_opt *o = c->opts; o && o->name; o++) {
		if (o->flags & OPT_ALONE)
			continue;
		bool req = o->flags & (OPT_REQUIRED | OPT_REQUIRED_BY_COMMAND);
		fprintf(out, " %s--%s%s%s%s", req ? "" : "[", o->name, o->arg ? " " : "",
		        o->arg ? o->arg : "", req ? "" : "]");
	}
	print_outputs(out, c);
	for (const struct cli_opt *o = c->opts; o && o->name; o++)
		if (o->flags & OPT_ALONE) {
			fprintf(out, "       plumb %s --%s%s%s", c->name, o->name,
			        o->arg ? " " : "", o->arg ? o->arg : "");
			print_outputs(out, c);
		}
}

static void command_help(FILE *out, const struct cli_command *c)
{
	fprintf(out, "usage: ");
	print_synopsis(out, c);
	fprintf(out, "\n%s\n", c->summary);
	if (c->description)
		fprintf(out, "\n%s\n", c->description);
	if (c->opts && c->opts->name) {
		fprintf(out, "\noptions:\n");
		for (const struct cli_opt *o = c->opts; o->name; o++)
			print_opt(out, o);
	}
	for (size_t i = 0; i < cli_nhelp_more; i++)
		if (strcmp(cli_help_more[i].command, c->name) == 0) {
			fputc('\n', out);
			cli_help_more[i].print(out);
		}
	fprintf(out, "\nglobal options:\n");
	for (const struct cli_opt *o = global_opts; o->name; o++) {
		if ((strcmp(o->name, "json") == 0 && !(c->flags & CMD_JSON)) ||
		    (strcmp(o->name, "csv") == 0 && !(c->flags & CMD_CSV)))
			continue;
		print_opt(out, o);
	}
	const struct op_def *op = op_get(c->op);
	fprintf(out, "\noperation: %s (%s%s)\n", op->name,
	        op->perm == PERM_ADMIN           ? "needs admin"
	        : op->perm == PERM_PEOPLE_SCOPED ? "shows only the people your roles cover"
	                                         : "any user",
	        op->audit == OPA_WRITE          ? ", audited write"
	        : op->audit == OPA_READ_AUDITED ? ", audited read"
	                                        : "");
}

/* One command and its summary, the summaries in one column: a name too long
 * for it ("calibrate session create") has its summary on the next line, so
 * the two never run together ("calibrate session create create a ..."). */
static void print_command(FILE *out, const char *name, const char *summary)
{
	if (strlen(name) > 20)
		fprintf(out, "  %s\n  %-20s %s\n", name, "", summary);
	else
		fprintf(out, "  %-20s %s\n", name, summary);
}

static void general_help(FILE *out)
{
	fprintf(out, "usage: plumb [--db PATH] [--as USER] COMMAND [ARGS] [--json]\n\n"
	             "plumb evaluates engineering performance from delivery data, with governance "
	             "built in.\n\ncommands:\n");
	for (size_t g = 0; g < cli_ngroups; g++)
		for (size_t i = 0; i < cli_groups[g]->ncommands; i++) {
			const struct cli_command *c = &cli_groups[g]->commands[i];
			print_command(out, c->name, c->summary);
		}
	print_command(out, "help [COMMAND]", "show help for a command");
	fprintf(out, "\nglobal options:\n");
	for (const struct cli_opt *o = global_opts; o->name; o++)
		print_opt(out, o);
	fprintf(out, "  %-24s %s\n", "--version", "print the version");
	fprintf(out,
	        "\nexit status: 0 ok, 1 failed, 2 usage error, 3 refused by policy or permission,"
	        " 4 not found, 5 conflict,\n  75 the database was busy or in a conflict: try "
	        "again\n"
	        "see docs/cli.md for every command and its --json fields\n");
}

static void group_help(FILE *out, const char *group)
{
	size_t n = strlen(group);
	fprintf(out, "usage: plumb %s COMMAND [ARGS]\n\ncommands:\n", group);
	for (size_t g = 0; g < cli_ngroups; g++)
		for (size_t i = 0; i < cli_groups[g]->ncommands; i++) {
			const struct cli_command *c = &cli_groups[g]->commands[i];
			if (strncmp(c->name, group, n) == 0 && c->name[n] == ' ')
				print_command(out, c->name, c->summary);
		}
	fprintf(out, "\nrun 'plumb help %s COMMAND' for one command's options\n", group);
}

/* ---- finding the command --------------------------------------------- */

/* The longest command name made of the first words (at most three):
 * "sync --status" is not "sync" with an option, and "calibrate session
 * open" is not "calibrate session" with an argument. */
static const struct cli_command *find_command(char **w, int nw, int *words)
{
	for (int pass = nw < 3 ? nw : 3; pass >= 1; pass--) {
		char name[192] = "";
		for (int k = 0; k < pass; k++)
			snprintf(name + strlen(name), sizeof name - strlen(name), "%s%s",
			         k ? " " : "", w[k]);
		for (size_t g = 0; g < cli_ngroups; g++)
			for (size_t i = 0; i < cli_groups[g]->ncommands; i++) {
				const struct cli_command *c = &cli_groups[g]->commands[i];
				if (strcmp(c->name, name) == 0) {
					*words = pass;
					return c;
				}
			}
	}
	return NULL;
}

static bool is_group(const char *w)
{
	for (size_t g = 0; g < cli_ngroups; g++)
		for (size_t i = 0; i < cli_groups[g]->ncommands; i++) {
			const char *name = cli_groups[g]->commands[i].name;
			size_t n = strlen(w);
			if (strncmp(name, w, n) == 0 && name[n] == ' ')
				return true;
		}
	return false;
}

/* How many of the first words (at most two) name a group, the longest
 * first: "calibrate session" as well as "calibrate"; 0 when none does.
 * Writes the group's name into name. */
static int group_prefix(char **w, int nw, char *name, size_t size)
{
	for (int k = nw < 2 ? nw : 2; k >= 1; k--) {
		name[0] = '\0';
		for (int j = 0; j < k; j++)
			snprintf(name + strlen(name), size - strlen(name), "%s%s", j ? " " : "",
			         w[j]);
		if (is_group(name))
			return k;
	}
	return 0;
}

static int unknown_command(char **w, int nw, struct error *err)
{
	char group[192];
	int k = group_prefix(w, nw, group, sizeof group);
	if (k > 0) {
		cli_usage_error(err, "unknown command 'plumb %s%s%s'", group, k < nw ? " " : "",
		                k < nw ? w[k] : "");
		struct sb list = SB_INIT;
		size_t n = strlen(group);
		for (size_t g = 0; g < cli_ngroups; g++)
			for (size_t i = 0; i < cli_groups[g]->ncommands; i++) {
				const char *name = cli_groups[g]->commands[i].name;
				if (strncmp(name, group, n) == 0 && name[n] == ' ')
					sb_printf(&list, "%s%s", list.len ? ", " : "",
					          name + n + 1);
			}
		err_detail(err, "'plumb %s' takes one of: %s", group, list.buf);
		sb_release(&list);
	} else {
		cli_usage_error(err, "unknown command '%s'", w[0]);
	}
	err_hint(err, "run 'plumb help' for the list of commands");
	return ERR_USAGE;
}

/* ---- parsing ---------------------------------------------------------- */

/* A global flag, given once only as every option not marked repeatable is. */
static int set_flag(bool *flag, const char *name, struct error *err)
{
	if (*flag)
		return cli_usage_error(err, "option --%s given more than once", name);
	*flag = true;
	return 0;
}

static int parse_global(int argc, char **argv, int *i, struct cli_global *g, bool *taken,
                        struct error *err)
{
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
	*taken = true;
	const char **slot = NULL;
	const char *name = NULL;
	if (n == 2 && strncmp(arg, "db", 2) == 0)
		slot = &g->db, name = "db";
	else if (n == 2 && strncmp(arg, "as", 2) == 0)
		slot = &g->as, name = "as";
	else if (n == 9 && strncmp(arg, "audit-key", 9) == 0)
		slot = &g->audit_key, name = "audit-key";
	else if (n == 9 && strncmp(arg, "lock-wait", 9) == 0)
		slot = &g->lock_wait, name = "lock-wait";
	if (slot) {
		/* Once only: a wrapper's --as must not be overridden by its caller's. */
		if (*slot)
			return cli_usage_error(err, "option --%s given more than once", name);
		int rc = cli_take_value(argc, argv, i, eq, name, slot, err);
		/* An empty user, key or database names nothing: not a default. */
		if (rc == 0 && !**slot)
			return cli_usage_error(err, "option --%s needs a value, not an empty one",
			                       name);
		return rc;
	}
	bool *flag = NULL;
	if (n == 4 && strncmp(arg, "json", 4) == 0)
		flag = &g->json, name = "json";
	else if (n == 3 && strncmp(arg, "csv", 3) == 0)
		flag = &g->csv, name = "csv";
	else if (n == 4 && strncmp(arg, "help", 4) == 0)
		flag = &g->help, name = "help";
	if (!flag) {
		*taken = false;
		return 0;
	}
	if (eq)
		return cli_usage_error(err, "option --%s takes no value", name);
	return set_flag(flag, name, err);
}

/* Messages quote files and arguments: shown, never obeyed by the terminal. */
static void print_error(const struct error *err)
{
	struct sb out = SB_INIT;
	sb_puts(&out, "plumb: error: ");
	/* One line: a value quoted from a file cannot add lines of its own
	 * (found in review: "hint: the import succeeded" from a CSV cell). */
	utf8_put_visible(&out, err->message, false);
	if (err->detail[0]) {
		sb_puts(&out, "\ndetail: ");
		utf8_put_visible(&out, err->detail, true);
	}
	if (err->hint[0]) {
		sb_puts(&out, "\nhint: ");
		utf8_put_visible(&out, err->hint, true);
	}
	sb_putc(&out, '\n');
	fwrite(out.buf, 1, out.len, stderr);
	sb_release(&out);
}

/* A progress or wait line is on the terminal, not yet cleared: Ctrl-C (or
 * SIGTERM, SIGHUP) then clears it, so the shell's prompt does not follow a
 * stale "waiting for another writer... 3 s". */
static volatile sig_atomic_t line_shown;

static void clear_line_and_stop(int sig)
{
	if (line_shown) {
		static const char clear[] = "\r\033[K";
		ssize_t n = write(STDERR_FILENO, clear, sizeof clear - 1);
		(void)n; /* nothing to do about a terminal that is gone */
	}
	signal(sig, SIG_DFL);
	raise(sig); /* blocked in the handler: taken as it returns */
}

/* On a terminal: the lines below are cleared when a signal ends the command
 * (plumb serve blocks these and takes them itself). */
static void clear_line_on_signals(void)
{
	struct sigaction sa = {.sa_handler = clear_line_and_stop};
	sigemptyset(&sa.sa_mask);
	const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction was;
		/* A signal the caller ignores (nohup, a background job) stays so. */
		if (sigaction(sigs[i], NULL, &was) == 0 && was.sa_handler == SIG_DFL)
			sigaction(sigs[i], &sa, NULL);
	}
}

/* A progress line on stderr, rewritten in place; only on a terminal. */
static void progress_line(void *data, const char *phase, int64_t done, int64_t total)
{
	(void)data;
	line_shown = 1; /* before it shows: at worst a signal clears an empty line */
	if (total > 0)
		fprintf(stderr, "\r%s: %lld/%lld (%d%%)\033[K", phase, (long long)done,
		        (long long)total, (int)(100 * done / total));
	else
		fprintf(stderr, "\r%s: %lld\033[K", phase, (long long)done);
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
	line_shown = done != total;
}

/* While a write waits for another writer's lock: a line on stderr, rewritten
 * each second and cleared when the wait ends; installed only on a terminal.
 * data: the wait's limit in seconds. */
static void wait_line(void *data, int64_t waited_ms)
{
	int limit_s = *(const int *)data;
	/* The tick at the limit would come just before the busy error. */
	if (waited_ms / 1000 >= limit_s)
		return;
	line_shown = 1; /* before it shows: at worst a signal clears an empty line */
	if (waited_ms < 0)
		fputs("\r\033[K", stderr);
	else
		fprintf(stderr,
		        "\rwaiting for another writer... %lld s (gives up after %d s)\033[K",
		        (long long)(waited_ms / 1000), limit_s);
	fflush(stderr);
	line_shown = waited_ms >= 0;
}

/* --lock-wait, else $PLUMB_LOCK_WAIT, else CLI_LOCK_WAIT_S: whole seconds. */
static int lock_wait_seconds(struct cli_global *g, struct error *err)
{
	const char *env = getenv("PLUMB_LOCK_WAIT");
	const char *text = g->lock_wait ? g->lock_wait : env && *env ? env : NULL;
	g->lock_wait_s = CLI_LOCK_WAIT_S;
	if (!text)
		return 0;
	char *end = NULL;
	errno = 0;
	long long n = strtoll(text, &end, 10);
	if (!cli_number_start(text) || errno || *end || n < 1 || n > CLI_LOCK_WAIT_MAX_S) {
		cli_usage_error(err, "%s: '%s' is not a number of seconds from 1 to %d",
		                g->lock_wait ? "--lock-wait" : "PLUMB_LOCK_WAIT", text,
		                CLI_LOCK_WAIT_MAX_S);
		return ERR_USAGE;
	}
	g->lock_wait_s = (int)n;
	return 0;
}

/* Every argument is text in UTF-8: names, ids and file names reach the
 * audit log and the database, and PostgreSQL refuses other bytes (a SQLite
 * file holding them could never be copied there).  Shown with its bytes
 * that are not UTF-8 as \xNN, cut at CLI_ARG_SHOWN bytes. */
#define CLI_ARG_SHOWN 80
static int check_utf8_args(int argc, char **argv, struct error *err)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		size_t len = strlen(arg);
		if (utf8_valid(arg, len))
			continue;
		struct sb shown = SB_INIT;
		for (size_t k = 0; k < len && k < CLI_ARG_SHOWN;) {
			size_t n = utf8_seq_len(arg + k, len - k);
			if (n == 0) {
				sb_printf(&shown, "\\x%02x", (unsigned char)arg[k]);
				n = 1;
			} else {
				sb_add(&shown, arg + k, n);
			}
			k += n;
		}
		if (len > CLI_ARG_SHOWN)
			sb_puts(&shown, "...");
		cli_usage_error(err, "argument %d is not UTF-8 text", i);
		if (i > 1 && strncmp(argv[i - 1], "--", 2) == 0 && argv[i - 1][2])
			err_detail(err, "it follows %s and reads '%s'", argv[i - 1], shown.buf);
		else
			err_detail(err, "it reads '%s'", shown.buf);
		sb_release(&shown);
		err_hint(err, "give names, ids and file names in UTF-8; rename a file whose name "
		              "is not");
		return ERR_USAGE;
	}
	return 0;
}

static const char *os_user_name(void)
{
	struct passwd *pw = getpwuid(getuid());
	return pw && pw->pw_name ? pw->pw_name : "unknown";
}

static int run_command(int argc, char **argv, int *found_status, struct error *err)
{
	struct cli_global global = {.prog = argv[0]};
	char **words = xcalloc((size_t)argc + 1, sizeof *words);
	int nwords = 0;
	bool version = false, only_pos = false;
	int rc = check_utf8_args(argc, argv, err);
	for (int i = 1; i < argc && rc == 0; i++) {
		bool taken = false;
		if (only_pos) {
			words[nwords++] = argv[i];
			continue;
		}
		if (strcmp(argv[i], "--") == 0) {
			only_pos = true;
			words[nwords++] = argv[i];
		} else if (strcmp(argv[i], "--version") == 0 && nwords == 0) {
			/* After a command's words it is that command's option
			 * (metrics approve KEY --version N). */
			version = true;
		} else if (strcmp(argv[i], "-h") == 0) {
			rc = set_flag(&global.help, "help", err);
		} else if (strncmp(argv[i], "--", 2) == 0) {
			rc = parse_global(argc, argv, &i, &global, &taken, err);
			if (rc == 0 && !taken)
				words[nwords++] = argv[i];
		} else {
			words[nwords++] = argv[i];
		}
	}
	if (rc < 0)
		goto out;
	if (version && nwords == 0) {
		if (global.json)
			printf("{\"version\": \"%s\"}\n", PLUMB_VERSION);
		else
			printf("plumb %s\n", PLUMB_VERSION);
		goto out;
	}
	/* Help is text only: --json there would promise what it does not print
	 * (found in review: it printed the text and exited 0). */
	if (global.json && (global.help || (nwords > 0 && strcmp(words[0], "help") == 0))) {
		rc = cli_usage_error(err, "help has no --json output");
		err_hint(err, "the commands and their options are in docs/cli.md");
		goto out;
	}
	if (nwords > 0 && words[0][0] == '-' && words[0][1] && strcmp(words[0], "--") != 0) {
		/* Before a command there is no command's option it could be. */
		rc = cli_usage_error(err, "unknown option %s", words[0]);
		err_hint(err, "run 'plumb help' for the global options and the commands");
		goto out;
	}
	if (nwords == 0 || words[0][0] == '-') {
		if (nwords == 0 && global.help) {
			general_help(stdout);
			goto out;
		}
		general_help(stderr);
		rc = cli_usage_error(err, "no command given");
		goto out;
	}
	if (strcmp(words[0], "help") == 0) {
		if (nwords == 1) {
			general_help(stdout);
			goto out;
		}
		int used = 0;
		char group[192];
		const struct cli_command *c = find_command(words + 1, nwords - 1, &used);
		if (c)
			command_help(stdout, c);
		else if (strcmp(words[1], "help") == 0)
			general_help(stdout);
		else if (group_prefix(words + 1, nwords - 1, group, sizeof group) == nwords - 1)
			group_help(stdout, group);
		else
			rc = unknown_command(words + 1, nwords - 1, err);
		goto out;
	}
	int used = 0;
	const struct cli_command *c = find_command(words, nwords, &used);
	if (!c) {
		char group[192];
		int k = group_prefix(words, nwords, group, sizeof group);
		if (global.help && k > 0) {
			group_help(stdout, group);
			goto out;
		}
		/* A group alone ("plumb metrics"): its commands, as help gives them. */
		if (k > 0 && k == nwords) {
			group_help(stderr, group);
			rc = cli_usage_error(err, "plumb %s needs a subcommand", group);
			goto out;
		}
		rc = unknown_command(words, nwords, err);
		goto out;
	}
	if (global.help) {
		command_help(stdout, c);
		goto out;
	}
	struct cli_run *r = xcalloc(1, sizeof *r);
	r->cmd = c;
	r->global = &global;
	r->out = stdout;
	r->pos = xcalloc((size_t)nwords + 1, sizeof *r->pos);
	rc = cli_parse_args(r, nwords - used, words + used, err);
	const char *pinned = getenv("PLUMB_NOW");
	int64_t pinned_ms;
	if (rc == 0 && pinned && *pinned && ts_parse_strict(pinned, &pinned_ms, err) < 0) {
		/* A mistyped pin must not silently fall back to the real clock. */
		struct error why = *err;
		err_clear(err);
		rc = cli_usage_error(err, "PLUMB_NOW: %s", why.message);
		err_detail(err, "%s", why.detail);
	}
	if (rc == 0)
		rc = lock_wait_seconds(&global, err);
	if (rc == 0 && !(c->flags & CMD_NO_DB)) {
		const char *env_db = getenv("PLUMB_DB");
		struct ctx_options opts = {
		        .db_url = (c->flags & CMD_DB_FROM) ? cli_opt(r, "from")
		                  : global.db              ? global.db
		                  : env_db && *env_db      ? env_db
		                                           : "plumb.db",
		        .actor_name = global.as,
		        .os_user = os_user_name(),
		        .audit_key_path = global.audit_key,
		        .create = (c->flags & CMD_CREATE_DB) != 0,
		        .lock_wait_ms = global.lock_wait_s * 1000,
		        .wait_notice = isatty(STDERR_FILENO) ? wait_line : NULL,
		        .wait_notice_data = &global.lock_wait_s,
		        .progress = isatty(STDERR_FILENO) ? progress_line : NULL,
		};
		if (isatty(STDERR_FILENO))
			clear_line_on_signals();
		rc = ctx_open(&opts, &r->ctx, err);
	}
	if (rc == 0) {
		rc = cli_run_command(r, err);
		*found_status = r->found_status;
	}
	ctx_close(r->ctx);
	free(r->pos);
	free(r);
out:
	free(words);
	return rc;
}

int main(int argc, char **argv)
{
	leakcheck_init();
	struct error err = {0};
	int found_status = 0;
	int rc = run_command(argc, argv, &found_status, &err);
	if (fflush(stdout) != 0 && rc == 0) {
		err_set(&err, ERR_IO, "cannot write output");
		rc = ERR_IO;
	}
	if (rc < 0) {
		print_error(&err);
		return err_exit_status(rc);
	}
	return found_status;
}
