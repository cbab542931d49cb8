/* cli_source: source add/set/list, and service map/mappings/owner-of (what the
 * sources' repositories, jobs and incident services belong to). */
#include <inttypes.h>

#include "base/fileio.h"
#include "base/sb.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "core/ctx.h"
#include "core/sourceacl.h"
#include "ingest/ownership.h"
#include "ingest/pjson.h"
#include "ingest/source.h"
#include "ingest/sync.h"

static struct source_list_arg list_of(struct cli_run *r, const char *name, const char **buf)
{
	int n = cli_opt_count(r, name);
	for (int i = 0; i < n; i++)
		buf[i] = cli_opt_at(r, name, i);
	return (struct source_list_arg){buf, (size_t)n};
}

/* Room for the repeatable settings' values. */
struct spec_lists {
	const char *repos[CLI_MAX_VALUES], *include[CLI_MAX_VALUES], *exclude[CLI_MAX_VALUES],
	        *services[CLI_MAX_VALUES], *bots[CLI_MAX_VALUES];
};

/* The settings source add and source set share, as given. */
static struct source_spec spec_of(struct cli_run *r, struct spec_lists *l)
{
	return (struct source_spec){
	        .api_url = cli_opt(r, "api-url"),
	        .token_env = cli_opt(r, "token-env"),
	        .webhook_secret_env = cli_opt(r, "webhook-secret-env"),
	        .repos = list_of(r, "repo", l->repos),
	        .org = cli_opt(r, "org"),
	        .include = list_of(r, "include", l->include),
	        .exclude = list_of(r, "exclude", l->exclude),
	        .url = cli_opt(r, "url"),
	        .project = cli_opt(r, "project"),
	        .jql = cli_opt(r, "jql"),
	        .job = cli_opt(r, "job"),
	        .services = list_of(r, "service", l->services),
	        .bots = list_of(r, "bot", l->bots),
	};
}

/* A missing variable is fine now (it is read at sync time) but worth saying. */
static void warn_unset_vars(const struct source_spec *spec)
{
	const char *vars[] = {spec->token_env, spec->webhook_secret_env};
	for (size_t i = 0; i < 2; i++)
		if (vars[i] && !getenv(vars[i]))
			cli_warn("%s is not set in this environment; set it where 'plumb sync' "
			         "or 'plumb serve' runs",
			         vars[i]);
}

static int cmd_source_add(struct cli_run *r)
{
	struct spec_lists lists;
	struct source_spec spec = spec_of(r, &lists);
	spec.kind = r->pos[0];
	spec.name = cli_opt(r, "name");
	spec.owner = cli_opt(r, "owner");
	int rc = source_add(r->ctx, &spec, &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "source %s (%s) added\n", spec.name, spec.kind);
	warn_unset_vars(&spec);
	return 0;
}

static int cmd_source_set(struct cli_run *r)
{
	struct spec_lists lists;
	struct source_spec ch = spec_of(r, &lists);
	const char *unset[CLI_MAX_VALUES];
	struct source_list_arg un = list_of(r, "unset", unset);
	int given = 0;
	for (int i = 0; i < CLI_MAX_OPTS; i++)
		given += r->nvalues[i];
	if (!given)
		return err_set(&r->err, ERR_USAGE, "nothing to change: give a setting or --unset");
	struct source_set_result res;
	int rc = source_set(r->ctx, r->pos[0], &ch, un.items, un.n, &res, &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "source %s (%s) %s\n", r->pos[0], res.kind,
	        res.unchanged ? "unchanged" : "changed");
	if (res.token_to && !res.unchanged)
		fprintf(r->out, "its token ($%s) is sent to %s\n", res.token_env, res.token_to);
	if (res.marked || res.unmarked)
		fprintf(r->out, "%" PRId64 " %s now marked as a bot's, %" PRId64 " no longer\n",
		        res.marked, cli_plural(res.marked, "event", "events"), res.unmarked);
	if (res.held)
		fprintf(r->out,
		        "%" PRId64 " of those no longer a bot's matched to nobody: held "
		        "pseudonymized as the policy says\n",
		        res.held);
	if (res.cursors_reset)
		fprintf(r->out,
		        "its scope changed: the next sync starts over, from --since or %d days "
		        "back (what it reads again changes nothing)\n",
		        SYNC_FIRST_DAYS);
	warn_unset_vars(&ch);
	return 0;
}

static int cmd_source_pause(struct cli_run *r)
{
	bool pause = r->cmd->op == OP_SOURCE_PAUSE, changed = false;
	struct source_pause p;
	int rc =
	        pause ? source_pause(r->ctx, r->pos[0], cli_opt(r, "reason"), &changed, &p, &r->err)
	              : source_resume(r->ctx, r->pos[0], &changed, &p, &r->err);
	if (rc < 0)
		return rc;
	const char *state = p.at ? source_pause_text(r->ctx->arena, &p) : NULL;
	if (pause)
		fprintf(r->out,
		        "source %s %s %s\nnothing brings it data until 'plumb source resume %s'\n",
		        r->pos[0], changed ? "paused" : "was already paused", state, r->pos[0]);
	else if (changed)
		fprintf(r->out, "source %s resumed (it was paused %s)\n", r->pos[0], state);
	else
		fprintf(r->out, "source %s was not paused\n", r->pos[0]);
	return 0;
}

static int cmd_source_remove(struct cli_run *r)
{
	int rc = source_remove(r->ctx, r->pos[0], &r->err);
	if (rc == 0)
		fprintf(r->out, "source %s removed\n", r->pos[0]);
	return rc;
}

static int cmd_source_check(struct cli_run *r)
{
	struct sync_check *res;
	size_t n, failed = 0;
	int rc = sync_check(r->ctx, r->pos, (size_t)r->npos, &res, &n, &r->err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		failed += !res[i].ok;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "source", res[i].source);
			jw_kstr(&w, "kind", res[i].kind);
			jw_kbool(&w, "ok", res[i].ok);
			jw_kint(&w, "requests", res[i].requests);
			source_pause_json(&w, "paused", &res[i].paused);
			jw_key(&w, "checks");
			jw_array_begin(&w);
			for (size_t k = 0; k < res[i].nitems; k++) {
				jw_object_begin(&w);
				jw_kstr(&w, "what", res[i].items[k].what);
				jw_kbool(&w, "ok", res[i].items[k].ok);
				jw_kstr(&w, "detail", res[i].items[k].detail);
				jw_object_end(&w);
			}
			jw_array_end(&w);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
	} else {
		if (n == 0)
			fprintf(r->out, "no sources to check: add one with 'plumb source add KIND "
			                "--name NAME ...'\n");
		for (size_t i = 0; i < n; i++) {
			const struct sync_check *c = &res[i];
			fprintf(r->out, "%s (%s): %s, %" PRId64 " %s%s%s\n", c->source, c->kind,
			        c->ok ? "ok" : "FAILED", c->requests,
			        cli_plural(c->requests, "request", "requests"),
			        c->paused.at ? "; paused " : "",
			        c->paused.at ? source_pause_text(r->ctx->arena, &c->paused) : "");
			/* A detail quotes the API's answers (an error's, a name it
			 * listed): shown, never obeyed by the terminal, and on its
			 * item's line (found in the sync hunt). */
			for (size_t k = 0; k < c->nitems; k++)
				cli_print_visible(r->out, "  %-6s %s: %s",
				                  c->items[k].ok ? "ok" : "FAILED",
				                  c->items[k].what, c->items[k].detail);
		}
	}
	if (failed)
		return err_set(&r->err, ERR_FAILED, "%zu of %zu %s failed a check", failed, n,
		               cli_plural((int64_t)n, "source", "sources"));
	return 0;
}

static int cmd_source_list(struct cli_run *r)
{
	struct source_info *items;
	size_t n;
	int rc = source_list(r->ctx, &items, &n, &r->err);
	if (rc < 0)
		return rc;
	char when[TS_BUF];
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "name", items[i].name);
			jw_kstr(&w, "kind", items[i].kind);
			/* As the JSON object it is, or null: a hand edit cut short
			 * made the whole output unreadable (found hunting). */
			const char *config = pj_object_text(r->ctx->arena, items[i].config);
			if (!config)
				cli_warn("source %s: its stored settings are not a JSON object; "
				         "listed "
				         "as null",
				         items[i].name);
			jw_key(&w, "config");
			if (config)
				jw_raw(&w, config);
			else
				jw_null(&w);
			jw_kstr(&w, "token_env", items[i].token_env);
			jw_kstr(&w, "webhook_secret_env", items[i].webhook_secret_env);
			jw_kstr(&w, "created_at", ts_format(items[i].created_at, when));
			jw_kstr(&w, "owner", items[i].owner);
			jw_kstrs(&w, "readers", items[i].readers, items[i].nreaders);
			source_pause_json(&w, "paused", &items[i].paused);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"name",           "kind",  "settings", "token",
	                                      "webhook secret", "owner", "readers",  "paused"};
	struct cli_table t;
	cli_table_init(&t, headers, 8);
	struct sb readers = SB_INIT;
	for (size_t i = 0; i < n; i++) {
		sb_reset(&readers);
		for (size_t k = 0; k < items[i].nreaders; k++)
			sb_printf(&readers, "%s%s", k ? " " : "", items[i].readers[k]);
		cli_table_add(&t, items[i].name, items[i].kind, items[i].config, items[i].token_env,
		              items[i].webhook_secret_env, items[i].owner, readers.buf,
		              items[i].paused.at ? ts_format(items[i].paused.at, when) : NULL);
	}
	sb_release(&readers);
	cli_table_print_or(r, &t, "no sources yet (plumb source add KIND --name NAME)");
	cli_table_release(&t);
	return 0;
}

static int cmd_source_owner(struct cli_run *r)
{
	int rc = sourceacl_set_owner(r->ctx, r->pos[0], r->pos[1], &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "source %s is owned by %s\n", r->pos[0], r->pos[1]);
	return 0;
}

static int cmd_source_share(struct cli_run *r)
{
	bool share = r->cmd->op == OP_SOURCE_SHARE, changed = false;
	const char *team = cli_opt(r, "with");
	int rc = sourceacl_share(r->ctx, r->pos[0], team, share, &changed, &r->err);
	if (rc < 0)
		return rc;
	if (share)
		fprintf(r->out, "%s %s read the individual-level events of source %s\n", team,
		        changed ? "may now" : "could already", r->pos[0]);
	else
		fprintf(r->out, "%s %s read the individual-level events of source %s\n", team,
		        changed ? "may no longer" : "could not", r->pos[0]);
	return 0;
}

/* --repo [--path] | --job | --pagerduty | --jira-project: exactly one system. */
static int ownership_key_of(struct cli_run *r, struct ownership_key *k)
{
	static const char *const opt[] = {"repo", "job", "pagerduty", "jira-project"};
	static const char *const sys[] = {"github", "jenkins", "pagerduty", "jira"};
	memset(k, 0, sizeof *k);
	for (size_t i = 0; i < 4; i++) {
		const char *v = cli_opt(r, opt[i]);
		if (!v)
			continue;
		if (k->system) {
			err_set(&r->err, ERR_USAGE,
			        "give one of --repo, --job, --pagerduty and --jira-project");
			return ERR_USAGE;
		}
		k->system = sys[i];
		k->key = v;
	}
	if (!k->system) {
		err_set(&r->err, ERR_USAGE,
		        "give --repo OWNER/NAME, --job NAME, --pagerduty ID or "
		        "--jira-project KEY");
		return ERR_USAGE;
	}
	k->path = cli_opt(r, "path");
	return 0;
}

/* Stored events a mapping took to another service (and its team as of
 * each event's time), which the numbers of both will show. */
static void print_moved(struct cli_run *r, int64_t moved)
{
	if (moved)
		fprintf(r->out, "%" PRId64 " stored %s moved, with the owning team as of %s\n",
		        moved, cli_plural(moved, "event", "events"),
		        moved == 1 ? "its time" : "their times");
}

static int map_file(struct cli_run *r, const char *file)
{
	char *data = NULL;
	size_t len = 0;
	struct ownership_file_result res;
	int rc = file_read(file, (size_t)16 << 20, &data, &len, &r->err);
	if (rc == 0)
		rc = ownership_map_file(r->ctx, file, data, len, &res, &r->err);
	free(data);
	if (rc < 0)
		return rc;
	fprintf(r->out, "%" PRId64 " %s in %s: %" PRId64 " new or moved, %" PRId64 " already so\n",
	        res.entries, cli_plural(res.entries, "mapping", "mappings"), file, res.changed,
	        res.unchanged);
	print_moved(r, res.moved);
	return 0;
}

static int cmd_service_map(struct cli_run *r)
{
	if (cli_opt(r, "file"))
		return map_file(r, cli_opt(r, "file"));
	if (r->npos != 1) {
		err_set(&r->err, ERR_USAGE, "'plumb service map' needs SERVICE, or --file FILE");
		return ERR_USAGE;
	}
	struct ownership_key k, stored;
	bool changed;
	int64_t moved;
	int rc = ownership_key_of(r, &k);
	if (rc == 0)
		rc = ownership_map(r->ctx, r->pos[0], &k, &changed, &moved, &stored, &r->err);
	if (rc < 0)
		return rc;
	/* As stored (found in acceptance: ACME/X was echoed, acme/x kept). */
	fprintf(r->out, "%s %s%s%s %s %s\n", stored.system, stored.key,
	        *stored.path ? " path " : "", stored.path,
	        changed ? "mapped to" : "was already mapped to", r->pos[0]);
	print_moved(r, moved);
	return 0;
}

static int cmd_service_unowned(struct cli_run *r)
{
	struct ownership_unowned *rows;
	size_t n;
	int rc = ownership_unowned(r->ctx, &rows, &n, &r->err);
	if (rc < 0)
		return rc;
	char when[TS_BUF];
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "service", rows[i].service);
			jw_kint(&w, "events", rows[i].events);
			jw_key(&w, "newest_event_at");
			jw_time(&w, rows[i].newest, rows[i].newest != 0);
			jw_kstrs(&w, "mapped", rows[i].mapped, rows[i].nmapped);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"service", "events", "newest event", "mapped"};
	struct cli_table t;
	cli_table_init(&t, headers, 4);
	struct sb mapped = SB_INIT;
	for (size_t i = 0; i < n; i++) {
		char events[24];
		snprintf(events, sizeof events, "%" PRId64, rows[i].events);
		sb_reset(&mapped);
		for (size_t k = 0; k < rows[i].nmapped; k++)
			sb_printf(&mapped, "%s%s", k ? " " : "", rows[i].mapped[k]);
		cli_table_add(&t, rows[i].service, events,
		              rows[i].newest ? ts_format(rows[i].newest, when) : NULL, mapped.buf);
	}
	sb_release(&mapped);
	if (n == 0 && !r->global->csv)
		fprintf(r->out, "every service has an owning team\n");
	else
		cli_table_print(r, &t);
	cli_table_release(&t);
	return 0;
}

static int cmd_service_mappings(struct cli_run *r)
{
	struct ownership_row *rows;
	size_t n;
	int rc = ownership_list(r->ctx, &rows, &n, &r->err);
	if (rc < 0)
		return rc;
	char when[TS_BUF];
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "system", rows[i].system);
			jw_kstr(&w, "key", rows[i].key);
			jw_kstr(&w, "path", rows[i].path);
			jw_kstr(&w, "service", rows[i].service);
			jw_kstr(&w, "updated_at", ts_format(rows[i].updated_at, when));
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"system", "key", "path", "service"};
	struct cli_table t;
	cli_table_init(&t, headers, 4);
	for (size_t i = 0; i < n; i++)
		cli_table_add(&t, rows[i].system, rows[i].key, rows[i].path, rows[i].service);
	cli_table_print_or(
	        r, &t,
	        "no mappings yet (plumb service map SERVICE --repo OWNER/NAME, or --file FILE)");
	cli_table_release(&t);
	return 0;
}

static int cmd_service_owner_of(struct cli_run *r)
{
	struct ownership_key k;
	struct ownership_row row;
	int rc = ownership_key_of(r, &k);
	if (rc == 0)
		rc = ownership_owner_of(r->ctx, &k, &row, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "system", row.system);
		jw_kstr(&w, "key", row.key);
		jw_kstr(&w, "matched_path", row.path);
		jw_kstr(&w, "service", row.service);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out, "%s\n", row.service);
	return 0;
}

static const struct cli_opt map_opts[] = {
        {"repo", "OWNER/NAME", OPT_VALUE, "a GitHub repository"},
        {"path", "PREFIX", OPT_VALUE,
         "with --repo: only this directory of it (monorepos), for service owner-of; events "
         "carry no paths, so they follow the repository's mapping as a whole"},
        {"job", "NAME", OPT_VALUE, "a Jenkins job (folders as a/b)"},
        {"pagerduty", "ID", OPT_VALUE, "a PagerDuty service id"},
        {"jira-project", "KEY", OPT_VALUE, "a Jira project key (its issues' work items)"},
        {"file", "FILE", OPT_VALUE | OPT_ALONE,
         "many mappings from a YAML file (services: NAME: repos, jobs, pagerduty, "
         "jira_projects), all or nothing"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt owner_opts[] = {
        {"repo", "OWNER/NAME", OPT_VALUE, "a GitHub repository"},
        {"path", "PATH", OPT_VALUE,
         "with --repo: a file or directory in it; the mapping with the longest covering prefix "
         "wins"},
        {"job", "NAME", OPT_VALUE, "a Jenkins job"},
        {"pagerduty", "ID", OPT_VALUE, "a PagerDuty service id"},
        {"jira-project", "KEY", OPT_VALUE, "a Jira project key"},
        {NULL, NULL, 0, NULL},
};

/* The settings that name credentials' variables, as add and set take them. */
#define OPT_CREDENTIALS                                                                            \
	{"token-env", "VAR", OPT_VALUE,                                                            \
	 "the environment variable that holds the API token (its name is stored, never the "       \
	 "token)"},                                                                                \
	{                                                                                          \
		"webhook-secret-env", "VAR", OPT_VALUE,                                            \
		        "github, pagerduty, deploy: the environment variable that holds the "      \
		        "webhook "                                                                 \
		        "signing secret"                                                           \
	}

static const struct cli_opt add_opts[] = {
        {"name", "NAME", OPT_VALUE | OPT_REQUIRED,
         "the source's name (letters, digits, '-', '_', '.'), used by sync and ingest"},
        {"api-url", "URL", OPT_VALUE,
         "any kind: the API's base URL (GitHub Enterprise, a proxy, tests); https, or http to "
         "this machine"},
        OPT_CREDENTIALS,
        {"repo", "OWNER/NAME", OPT_VALUE | OPT_REPEAT, "github: a repository"},
        {"org", "ORG", OPT_VALUE, "github: every repository of an organization"},
        {"include", "GLOB", OPT_VALUE | OPT_REPEAT,
         "github with --org: only repositories whose name matches"},
        {"exclude", "GLOB", OPT_VALUE | OPT_REPEAT,
         "github with --org: leave out repositories whose name matches"},
        {"url", "URL", OPT_VALUE, "jira, jenkins: the server (https://acme.atlassian.net)"},
        {"project", "KEY", OPT_VALUE, "jira: a project key"},
        {"jql", "QUERY", OPT_VALUE, "jira: a JQL query instead of a project"},
        {"job", "NAME", OPT_VALUE, "jenkins: the job (folders as a/b)"},
        {"service", "ID", OPT_VALUE | OPT_REPEAT, "pagerduty: a service id (none: every service)"},
        {"owner", "TEAM", OPT_VALUE,
         "any kind: the team that owns the source's data and decides who else reads its "
         "individual-level events"},
        {"bot", "LOGIN", OPT_VALUE | OPT_REPEAT,
         "any kind: an account to mark as a bot, besides [bot] logins, dependabot, renovate "
         "and the like"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt set_opts[] = {
        {"api-url", "URL", OPT_VALUE, "any kind: the API's base URL"},
        OPT_CREDENTIALS,
        {"repo", "OWNER/NAME", OPT_VALUE | OPT_REPEAT,
         "github: the repositories (replaces the list, and an --org)"},
        {"org", "ORG", OPT_VALUE, "github: every repository of an organization (replaces --repo)"},
        {"include", "GLOB", OPT_VALUE | OPT_REPEAT,
         "github with --org: only repositories whose name matches (replaces the list)"},
        {"exclude", "GLOB", OPT_VALUE | OPT_REPEAT,
         "github with --org: leave out repositories whose name matches (replaces the list)"},
        {"url", "URL", OPT_VALUE, "jira, jenkins: the server"},
        {"project", "KEY", OPT_VALUE, "jira: a project key (replaces --jql)"},
        {"jql", "QUERY", OPT_VALUE, "jira: a JQL query (replaces --project)"},
        {"job", "NAME", OPT_VALUE, "jenkins: the job (folders as a/b)"},
        {"service", "ID", OPT_VALUE | OPT_REPEAT, "pagerduty: the service ids (replaces the list)"},
        {"bot", "LOGIN", OPT_VALUE | OPT_REPEAT,
         "any kind: the accounts to mark as bots (replaces the list; stored events are marked "
         "again)"},
        {"unset", "SETTING", OPT_VALUE | OPT_REPEAT,
         "clear a setting: api-url, token-env, webhook-secret-env, bot, include, exclude or "
         "service"},
        {NULL, NULL, 0, NULL},
};

static int cmd_source_rewind(struct cli_run *r)
{
	int64_t n;
	int rc = source_rewind(r->ctx, r->pos[0], cli_opt(r, "reason"), &n, &r->err);
	if (rc < 0)
		return rc;
	if (n == 0)
		fprintf(r->out,
		        "source %s has no cursors: its next sync starts from --since (or its "
		        "first window) already\n",
		        r->pos[0]);
	else
		fprintf(r->out,
		        "source %s: %" PRId64 " %s forgotten; its next sync starts over, "
		        "from --since or its first window\n",
		        r->pos[0], n, cli_plural(n, "cursor", "cursors"));
	return 0;
}

static const struct cli_opt pause_opts[] = {
        {"reason", "TEXT", OPT_VALUE, "why, one line (kept with the pause and in the audit log)"},
        {NULL, NULL, 0, NULL},
};
static const struct cli_opt rewind_opts[] = {
        {"reason", "TEXT", OPT_VALUE, "why, one line (kept in the audit log)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt share_opts[] = {
        {"with", "TEAM", OPT_VALUE | OPT_REQUIRED, "the org unit (with its subteams)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"source add", OP_SOURCE_ADD, "KIND", 1, 1, 0, add_opts, cmd_source_add,
         "configure a data source: github, jira, jenkins, pagerduty, deploy or prometheus",
         "Each kind takes its own settings (see the options); a setting another kind takes "
         "is a usage error. Credentials are the names of environment variables, read when "
         "plumb syncs; their values are never stored or logged."},
        {"source set", OP_SOURCE_SET, "NAME", 1, 1, 0, set_opts, cmd_source_set,
         "change a data source's settings",
         "Each setting given replaces the stored one (a repeatable one, its whole list); "
         "--unset clears one. The result is checked as source add checks a new source. When "
         "--bot changes the list, the source's stored events are marked again: an account "
         "put on the list becomes a bot's, one taken off a person's unless its login is a "
         "bot's by the built-in rules. A changed Jira site or query, Jenkins server or job, or "
         "PagerDuty services makes the next sync start over; other cursors are kept: a "
         "changed --api-url, or a GitHub scope, goes "
         "on from them."},
        {"source check", OP_SOURCE_CHECK, "[NAME...]", 0, INT32_MAX, CMD_JSON, NULL,
         cmd_source_check, "try data sources' settings against their APIs",
         "Without reading their data or writing anything: whether the token's and webhook "
         "secret's variables are set here, then each repository (or the organization, and "
         "which of its repositories --include and --exclude take), the Jira account and "
         "project or query, the Jenkins job, each PagerDuty service, the Prometheus server. "
         "A few requests a source, one retry, no long rate-limit wait. Exits 1 when a check "
         "fails. Every source when none is named."},
        {"source pause", OP_SOURCE_PAUSE, "NAME", 1, 1, 0, pause_opts, cmd_source_pause,
         "stop a data source bringing data until it is resumed",
         "While it is paused no sync, file ingest or webhook delivery of the source begins "
         "(each is refused, exit status 5; a webhook gets 409), and 'plumb sync' without "
         "names leaves it out. What it brought stays, and is read as before. A run already "
         "going on finishes."},
        {"source rewind", OP_SOURCE_REWIND, "NAME", 1, 1, 0, rewind_opts, cmd_source_rewind,
         "forget a data source's cursors: its next sync reads from --since again",
         "After a window was missed (a cursor set while this machine's clock was ahead, data "
         "an earlier plumb read wrong): 'plumb sync NAME --since TIME' then reads everything "
         "since TIME again, as a first sync does (180 days back without --since). What it "
         "reads again is upserted and changes nothing; an upstream edit becomes a new "
         "version. What the source brought stays."},
        {"source remove", OP_SOURCE_REMOVE, "NAME", 1, 1, 0, NULL, cmd_source_remove,
         "remove a data source that has no history yet",
         "For a source added by mistake or under a wrong name: it goes, with its sharing. A "
         "source with a history (a run of any outcome, a payload, an event, a webhook delivery) is "
         "kept for the lineage of what it brought: refused, exit status 5, nothing written; "
         "'plumb source pause' stops it instead."},
        {"source resume", OP_SOURCE_RESUME, "NAME", 1, 1, 0, NULL, cmd_source_pause,
         "let a paused data source bring data again",
         "Its next sync goes on from its cursors, so what changed upstream while it was "
         "paused comes in then."},
        {"source list", OP_SOURCE_LIST, "", 0, 0, CMD_JSON | CMD_CSV, NULL, cmd_source_list,
         "list the configured data sources, their owners and readers", NULL},
        {"source owner", OP_SOURCE_OWNER, "SOURCE TEAM", 2, 2, 0, NULL, cmd_source_owner,
         "set the team that owns a source's data",
         "Under a federated policy each source's owning team decides which other org units "
         "may read the individual-level events it brings; org-wide aggregates are always "
         "allowed. Under a centralized policy the policy's central owner owns every source."},
        {"source share", OP_SOURCE_SHARE, "SOURCE", 1, 1, 0, share_opts, cmd_source_share,
         "let an org unit read a source's individual-level events",
         "Admins and the leaders of the owning team's unit decide."},
        {"source unshare", OP_SOURCE_UNSHARE, "SOURCE", 1, 1, 0, share_opts, cmd_source_share,
         "stop an org unit reading a source's individual-level events", NULL},
        {"service map", OP_SERVICE_MAP, "SERVICE", 0, 1, 0, map_opts, cmd_service_map,
         "say which service a repository (or a directory of it), job, incident service or "
         "Jira project belongs to",
         "Events from it are attributed to SERVICE, and through the service's ownership to "
         "its team as of each event's time, with those already stored; a directory's "
         "mapping (--path) answers service owner-of only, since events carry no paths. "
         "Mapping the same thing again moves it."},
        {"service unowned", OP_SERVICE_UNOWNED, "", 0, 0, CMD_JSON | CMD_CSV, NULL,
         cmd_service_unowned, "list the services no team owns, with their events",
         "Most events first: ingest makes a service of each repository, job, incident "
         "service or Jira project no mapping covers, and its events count for no team until "
         "one is assigned ('plumb service set SERVICE --team TEAM --effective DATE') or it is "
         "mapped to a service that has one ('plumb service map'). A service emptied by a "
         "mapping shows 0 events."},
        {"service mappings", OP_SERVICE_MAPPINGS, "", 0, 0, CMD_JSON | CMD_CSV, NULL,
         cmd_service_mappings, "list what is mapped to which service", NULL},
        {"service owner-of", OP_SERVICE_OWNER_OF, "", 0, 0, CMD_JSON, owner_opts,
         cmd_service_owner_of,
         "find the service a repository path, job, incident service or Jira project "
         "belongs to",
         "With --repo and --path, --path is a file or directory in the repository; the "
         "mapping with the longest prefix covering it wins."},
};

const struct cli_group cli_group_source = {"source", commands,
                                           sizeof commands / sizeof commands[0]};
