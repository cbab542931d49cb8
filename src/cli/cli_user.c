/* cli_user: users, their passwords, offboarding and API tokens. */
#include <inttypes.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/mem.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "core/auth.h"
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

static int cmd_user_revoke(struct cli_run *r)
{
	int n = cli_opt_count(r, "role");
	const char *roles[CLI_MAX_VALUES];
	for (int i = 0; i < n; i++)
		roles[i] = cli_opt_at(r, "role", i);
	const char **taken;
	size_t ntaken;
	int rc = users_revoke(r->ctx, r->pos[0], roles, (size_t)n, &taken, &ntaken, &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "user %s updated: revoked", r->pos[0]);
	for (size_t i = 0; i < ntaken; i++)
		fprintf(r->out, "%s %s", i ? "," : "", taken[i]);
	fputc('\n', r->out);
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
			jw_kstrs(&w, "roles", users[i].role_list, users[i].nroles);
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

/* Read a password from the terminal without echo; the buffer holds len + 1. */
static int read_password_tty(const char *prompt, char *buf, size_t cap, size_t *len,
                             struct error *err)
{
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty)
		return err_set(err, ERR_USAGE, "no terminal to ask for the password on");
	struct termios old, quiet;
	bool restore = tcgetattr(fileno(tty), &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	}
	fputs(prompt, tty);
	fflush(tty);
	bool got = fgets(buf, (int)cap, tty) != NULL;
	if (restore)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	if (!got)
		return err_set(err, ERR_USAGE, "no password given");
	*len = strcspn(buf, "\r\n");
	buf[*len] = '\0';
	return 0;
}

static int cmd_user_passwd(struct cli_run *r)
{
	const char *file = cli_opt(r, "password-file");
	char *pw = NULL;
	size_t len = 0;
	/* Refused (and audited) before the file or the terminal is read: a
	 * refusal must not first say whether a file exists or a password would
	 * do (found in review). */
	int rc = ctx_op_check(r->ctx, OP_USER_PASSWD, &r->err);
	if (rc < 0)
		return rc;
	if (file) {
		rc = file_read(file, AUTH_PASSWORD_BYTES + 2, &pw, &len, &r->err);
		if (rc < 0)
			return rc;
		len = strcspn(pw,
		              "\r\n"); /* the first line; a trailing newline is not part of it */
		pw[len] = '\0';
	} else {
		if (!isatty(STDIN_FILENO))
			return err_set(&r->err, ERR_USAGE,
			               "no terminal: give the password with --password-file F");
		char again[AUTH_PASSWORD_BYTES + 2];
		size_t len2 = 0;
		pw = xmalloc(AUTH_PASSWORD_BYTES + 2);
		rc = read_password_tty("new password: ", pw, AUTH_PASSWORD_BYTES + 2, &len,
		                       &r->err);
		if (rc == 0)
			rc = read_password_tty("again: ", again, sizeof again, &len2, &r->err);
		if (rc == 0 && (len != len2 || memcmp(pw, again, len) != 0))
			rc = err_set(&r->err, ERR_USAGE, "the two passwords differ");
		sodium_memzero(again, sizeof again);
		if (rc < 0) {
			sodium_memzero(pw, AUTH_PASSWORD_BYTES + 2);
			free(pw);
			return rc;
		}
	}
	rc = auth_set_password(r->ctx, r->pos[0], pw, len, &r->err);
	sodium_memzero(pw, len);
	free(pw);
	if (rc < 0)
		return rc;
	fprintf(r->out, "password of %s set; their sessions were ended\n", r->pos[0]);
	return 0;
}

static int cmd_user_offboard(struct cli_run *r)
{
	int64_t n = 0;
	int rc = auth_offboard(r->ctx, &n, &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "%" PRId64 " %s offboarded\n", n, cli_plural(n, "user", "users"));
	return 0;
}

static void json_token(struct jw *w, const struct auth_token_info *t)
{
	char buf[TS_BUF];
	jw_object_begin(w);
	jw_kint(w, "id", t->id);
	jw_kstr(w, "user", t->user);
	jw_kstr(w, "scope", t->scope);
	jw_kstr(w, "created_at", ts_format(t->created_at, buf));
	jw_kstr(w, "expires_at", ts_format(t->expires_at, buf));
	jw_kstr(w, "revoked_at", t->revoked_at ? ts_format(t->revoked_at, buf) : NULL);
	jw_object_end(w);
}

static int cmd_token_create(struct cli_run *r)
{
	int64_t expires;
	bool given;
	int rc = cli_opt_time(r, "expires", &expires, &given);
	if (rc < 0)
		return rc;
	char token[AUTH_TOKEN_TEXT];
	struct auth_token_info info;
	rc = auth_token_create(r->ctx, cli_opt(r, "user"), cli_opt(r, "scope"), expires, token,
	                       &info, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "token", token);
		jw_key(&w, "info");
		json_token(&w, &info);
		jw_object_end(&w);
		cli_json_end(r, &buf);
	} else {
		char when[TS_BUF];
		fprintf(r->out,
		        "%s\ntoken %" PRId64 " for %s, scope %s, expires %s; shown once, keep it "
		        "secret\n",
		        token, info.id, info.user, info.scope, ts_format(info.expires_at, when));
	}
	sodium_memzero(token, sizeof token);
	return 0;
}

static int cmd_token_list(struct cli_run *r)
{
	struct auth_token_info *list;
	size_t n;
	int rc = auth_token_list(r->ctx, cli_opt(r, "user"), &list, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++)
			json_token(&w, &list[i]);
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"id", "user", "scope", "expires", "revoked"};
	struct cli_table t;
	cli_table_init(&t, headers, 5);
	for (size_t i = 0; i < n; i++) {
		char id[24], exp[TS_BUF], rev[TS_BUF];
		snprintf(id, sizeof id, "%" PRId64, list[i].id);
		cli_table_add(&t, id, list[i].user, list[i].scope,
		              ts_format(list[i].expires_at, exp),
		              list[i].revoked_at ? ts_format(list[i].revoked_at, rev) : "");
	}
	const char *user = cli_opt(r, "user");
	char none[256];
	snprintf(none, sizeof none,
	         "no tokens%s%s (plumb token create --user USER --scope read|write --expires DATE)",
	         user ? " of " : " yet", user ? user : "");
	cli_table_print_or(r, &t, none);
	cli_table_release(&t);
	return 0;
}

static int cmd_token_revoke(struct cli_run *r)
{
	int64_t id;
	if (!cli_parse_id(r->pos[0], &id))
		return err_set(&r->err, ERR_USAGE, "invalid token id '%s'", r->pos[0]);
	int rc = auth_token_revoke(r->ctx, id, &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "token %" PRId64 " revoked\n", id);
	return 0;
}

static const struct cli_opt passwd_opts[] = {
        {"password-file", "F", OPT_VALUE,
         "read the password from the first line of F (for scripts); else asked on the "
         "terminal"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt token_create_opts[] = {
        {"user", "USER", OPT_VALUE | OPT_REQUIRED, "the user the token acts as"},
        {"scope", "read|write", OPT_VALUE | OPT_REQUIRED,
         "read: GET requests only; write: everything the user's roles allow"},
        {"expires", "DATE", OPT_VALUE | OPT_REQUIRED, "when the token stops working"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt token_list_opts[] = {
        {"user", "USER", OPT_VALUE, "only this user's tokens"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt add_opts[] = {
        {"person", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the person the user belongs to"},
        {"role", "ROLE[:TEAM]", OPT_VALUE | OPT_REPEAT | OPT_REQUIRED,
         "admin, people-partner, leader, manager, employee or analyst, optionally limited to "
         "an org unit"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt revoke_opts[] = {
        {"role", "ROLE[:TEAM]", OPT_VALUE | OPT_REPEAT | OPT_REQUIRED,
         "a role the user holds, written as user add and user list write it"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"user add", OP_USER_ADD, "", 0, 0, 0, add_opts, cmd_user_add,
         "create a user for a person, or grant more roles",
         "Users are named by their person's employee id. A role may be limited to an org unit "
         "(a team and its subteams): --role people-partner:platform."},
        {"user revoke", OP_USER_REVOKE, "USER", 1, 1, 0, revoke_opts, cmd_user_revoke,
         "take roles from a user",
         "Each --role must be one the user holds (ROLE or ROLE:TEAM, as 'plumb user list' shows "
         "it); otherwise nothing is taken. The last admin role of the users who can act (enabled, "
         "their person started and still with the organization) stays."},
        {"user list", OP_USER_LIST, "", 0, 0, CMD_JSON | CMD_CSV, NULL, cmd_user_list,
         "list users and their roles", NULL},
        {"user passwd", OP_USER_PASSWD, "USER", 1, 1, 0, passwd_opts, cmd_user_passwd,
         "set a user's password for the web pages",
         "Asked twice on the terminal, or read from --password-file. At least 12 characters; "
         "stored as an argon2id hash. Ends the user's open sessions."},
        {"user offboard", OP_USER_OFFBOARD, "", 0, 0, 0, NULL, cmd_user_offboard,
         "disable users whose person has left; revoke their sessions and tokens",
         "A user whose person's end date has passed is refused at once anyway; this records "
         "it. 'plumb serve' runs it every minute."},
};

static const struct cli_command token_commands[] = {
        {"token create", OP_TOKEN_CREATE, "", 0, 0, CMD_JSON, token_create_opts, cmd_token_create,
         "create an API token, shown once",
         "The token is sent as 'Authorization: Bearer TOKEN'. Only its SHA-256 is stored."},
        {"token list", OP_TOKEN_LIST, "", 0, 0, CMD_JSON | CMD_CSV, token_list_opts, cmd_token_list,
         "list API tokens (never the tokens themselves)", NULL},
        {"token revoke", OP_TOKEN_REVOKE, "ID", 1, 1, 0, NULL, cmd_token_revoke,
         "revoke an API token at once", NULL},
};

const struct cli_group cli_group_token = {"token", token_commands,
                                          sizeof token_commands / sizeof token_commands[0]};

const struct cli_group cli_group_user = {"user", commands, sizeof commands / sizeof commands[0]};
