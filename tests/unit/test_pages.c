/*
 * test_pages: the web pages rendered from a real database: a small demo
 * organization with its source data, the dashboard refreshed, then every
 * page rendered as the admin and as an employee.  Asserts real content
 * (team names, a value equal to what dashboard_show returned, the explain
 * view's raw payload hash), the escaping of a team and a person named with
 * <script>, and the core's refusals (ERR_DENIED, ERR_NOT_FOUND).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/sb.h"
#include "base/ts.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/org.h"
#include "demo/demo.h"
#include "ingest/source.h"
#include "metrics/dashboard.h"
#include "metrics/metrics.h"
#include "server/pages.h"
#include "server/pages_int.h"
#include "server/server_int.h"
#include "store/store.h"

struct env {
	char dir[64], db[128], key[128];
	struct ctx *admin;
	char employee[64]; /* an employee-only user, and another person's id */
	char other[64];
};

static struct env env;

static const char *query_limit(void *data, const char *key)
{
	(void)data;
	return !strcmp(key, "limit") ? "5" : NULL;
}

static struct ctx *open_as(const char *user)
{
	struct ctx_options o = {.db_url = env.db, .audit_key_path = env.key, .actor_name = user};
	struct ctx *ctx;
	struct error err = {0};
	if (ctx_open(&o, &ctx, &err) < 0)
		fail_msg("ctx_open as %s: %s", user ? user : "admin", err.message);
	return ctx;
}

static void sql_text(const char *sql, char *out, size_t n)
{
	struct store_stmt *st;
	struct error err = {0};
	if (store_prepare(env.admin->store, sql, &st, &err) < 0)
		fail_msg("%s", err.message);
	if (stmt_step(st, &err) != STORE_ROW)
		fail_msg("no row: %s", sql);
	snprintf(out, n, "%s", stmt_text(st, 0));
	stmt_reset(st);
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(env.dir, sizeof env.dir, "/tmp/plumb-pages-XXXXXX");
	if (!mkdtemp(env.dir))
		return -1;
	snprintf(env.db, sizeof env.db, "%s/x.db", env.dir);
	snprintf(env.key, sizeof env.key, "%s/k.key", env.dir);
	struct ctx_options o = {.db_url = env.db, .create = true, .audit_key_path = env.key};
	struct error err = {0};
	if (ctx_open(&o, &env.admin, &err) < 0)
		fail_msg("ctx_open: %s", err.message);
	struct db_init_result res;
	if (db_init(env.admin, &res, &err) < 0)
		fail_msg("db_init: %s", err.message);
	char data[128];
	snprintf(data, sizeof data, "%s/data", env.dir);
	/* The demo of the week of 2026-11-01 (its data ends there), looked at
	 * as of its today, whatever the day the test runs: the dashboard's 90
	 * days to the end of today hold its data (docs/cli.md, plumb demo). */
	if (setenv("PLUMB_NOW", "2026-11-01", 1) != 0)
		return -1;
	struct demo_options d = {.people = 40,
	                         .seed = 1,
	                         .data_dir = data,
	                         .as_of = ts_days_from_civil(2026, 11, 1) * MS_PER_DAY,
	                         .has_as_of = true};
	struct demo_summary sum;
	if (demo_create(env.admin, &d, &sum, &err) < 0)
		fail_msg("demo: %s", err.message);
	/* A team and a person whose names would run a script if not escaped. */
	char csv[160];
	snprintf(csv, sizeof csv, "%s/evil.csv", env.dir);
	FILE *f = fopen(csv, "w");
	fputs("employee_id,name,email,manager_id,team,title,level,track,role_profile,country,"
	      "start_date\n"
	      "X001,Eve <script>alert(1)</script>,eve@example.com,,red<script>team,Engineer,L3,"
	      "ic,backend,DE,2020-01-06\n",
	      f);
	fclose(f);
	struct org_import_options io = {0};
	struct org_import_summary is;
	if (org_import_file(env.admin, csv, ORG_FORMAT_CSV, &io, &is, &err) < 0)
		fail_msg("import: %s", err.message);
	struct dashboard_refresh_opts ro = {0};
	struct dashboard_refresh_result rr;
	if (dashboard_refresh(env.admin, &ro, &rr, &err) < 0)
		fail_msg("refresh: %s", err.message);
	sql_text("SELECT u.name FROM users u JOIN user_roles r ON r.user_id = u.id "
	         "JOIN people pe ON pe.id = u.person_id WHERE u.disabled = 0 AND "
	         "pe.end_date IS NULL GROUP BY u.id, u.name HAVING MIN(r.role) = 'employee' "
	         "AND MAX(r.role) = 'employee' ORDER BY u.name LIMIT 1",
	         env.employee, sizeof env.employee);
	sql_text("SELECT employee_id FROM people WHERE employee_id <> 'X001' ORDER BY employee_id "
	         "LIMIT 1",
	         env.other, sizeof env.other);
	if (!strcmp(env.other, env.employee))
		sql_text("SELECT employee_id FROM people ORDER BY employee_id DESC LIMIT 1",
		         env.other, sizeof env.other);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	unsetenv("PLUMB_NOW");
	ctx_close(env.admin);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", env.dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Render path as ctx's actor; the page's HTML (heap, caller frees) or NULL with *rc. */
static char *render(struct ctx *ctx, const char *path, int *rc, struct error *err)
{
	struct page_request req = {
	        .path = path, .query = query_limit, .user = "tester", .csrf = "tok\"en<1>"};
	struct sb html = SB_INIT;
	struct page_answer ans;
	memset(err, 0, sizeof *err);
	*rc = pages_render(ctx, &req, &html, &ans, err);
	if (*rc < 0) {
		assert_int_equal(html.len, 0);
		sb_release(&html);
		return NULL;
	}
	return sb_detach(&html, NULL);
}

static char *render_ok(struct ctx *ctx, const char *path)
{
	int rc;
	struct error err;
	char *html = render(ctx, path, &rc, &err);
	if (rc != 0)
		fail_msg("%s: %d %s", path, rc, err.message);
	/* Every page: the document, a skip link, the user, the sign-out form with its token. */
	assert_non_null(strstr(html, "<!DOCTYPE html>"));
	assert_non_null(strstr(html, "href=\"#main\""));
	assert_non_null(strstr(html, "Signed in as <strong>tester</strong>"));
	assert_non_null(strstr(html, "<form method=\"post\" action=\"/signout\">"));
	assert_non_null(strstr(html, "name=\"csrf\" value=\"tok&quot;en&lt;1&gt;\""));
	assert_non_null(strstr(html, "</html>"));
	/* No value of the data made it in unescaped. */
	assert_null(strstr(html, "<script>"));
	return html;
}

static void render_fails(struct ctx *ctx, const char *path, int want)
{
	int rc;
	struct error err;
	char *html = render(ctx, path, &rc, &err);
	if (rc != want)
		fail_msg("%s: expected %d, got %d (%s)", path, want, rc, err.message);
	assert_null(html);
	assert_true(err.message[0] != '\0');
}

static void dashboard_page(void **state)
{
	(void)state;
	struct dashboard d;
	struct error err = {0};
	assert_int_equal(dashboard_show(env.admin, NULL, &d, &err), 0);
	char *html = render_ok(env.admin, "/");
	/* Every team, and each stored value as dashboard_show has it, linking to its explanation.
	 */
	int checked = 0;
	for (size_t i = 0; i < d.nteams; i++) {
		const struct dashboard_team *t = &d.teams[i];
		if (!strchr(t->name, '<')) {
			char a[256];
			snprintf(a, sizeof a, ">%s</a>", t->name);
			if (!strstr(html, a))
				fail_msg("team %s missing", t->name);
		}
		const struct dashboard_key *k = &t->keys[1]; /* lead time */
		if (!k->stored || isnan(k->value))
			continue;
		char want[128];
		snprintf(want, sizeof want, "<a href=\"/metric-values/%lld\">%.1f h</a>",
		         (long long)k->value_id, k->value);
		if (!strstr(html, want))
			fail_msg("lead time of %s: %s missing", t->name, want);
		checked++;
	}
	assert_true(checked >= 3);
	assert_non_null(strstr(html, "red&lt;script&gt;team"));
	assert_non_null(strstr(html, "<svg class=\"spark\""));
	assert_non_null(strstr(html, "<th scope=\"col\">Lead time for changes</th>"));
	assert_non_null(strstr(html, "Data freshness"));
	free(html);
	/* Aggregates: an employee sees the same dashboard. */
	struct ctx *emp = open_as(env.employee);
	html = render_ok(emp, "/");
	assert_non_null(strstr(html, "red&lt;script&gt;team"));
	free(html);
	ctx_close(emp);
}

static void team_and_service_pages(void **state)
{
	(void)state;
	struct dashboard d;
	struct error err = {0};
	assert_int_equal(dashboard_show(env.admin, NULL, &d, &err), 0);
	const struct dashboard_team *t = NULL;
	/* A leaf team (it owns services itself) that deployed. */
	for (size_t i = 0; i < d.nteams && !t; i++)
		if (d.teams[i].keys[0].stored && d.teams[i].keys[0].n > 0 &&
		    (i + 1 == d.nteams || d.teams[i + 1].depth <= d.teams[i].depth))
			t = &d.teams[i];
	assert_non_null(t);
	char path[256];
	snprintf(path, sizeof path, "/teams/%s", t->name);
	char *html = render_ok(env.admin, path);
	char want[256];
	snprintf(want, sizeof want, "<h1>Team %s</h1>", t->name);
	assert_non_null(strstr(html, want));
	snprintf(want, sizeof want, "/metric-values/%lld\"", (long long)t->keys[0].value_id);
	assert_non_null(strstr(html, want));
	assert_non_null(strstr(html, "<a href=\"/services/"));
	assert_non_null(strstr(html, "<a href=\"/people/"));
	/* A service of the team: its owner links back. */
	const char *s = strstr(html, "<a href=\"/services/");
	char svc[128];
	assert_int_equal(sscanf(s, "<a href=\"/services/%127[^\"]", svc), 1);
	free(html);
	snprintf(path, sizeof path, "/services/%s", svc);
	html = render_ok(env.admin, path);
	snprintf(want, sizeof want, ">%s</a>", t->name);
	assert_non_null(strstr(html, want));
	assert_non_null(strstr(html, "Recent deployments"));
	free(html);

	html = render_ok(env.admin, "/teams/red<script>team");
	assert_non_null(strstr(html, "<h1>Team red&lt;script&gt;team</h1>"));
	assert_non_null(strstr(html, "Eve &lt;script&gt;alert(1)&lt;/script&gt;"));
	free(html);

	render_fails(env.admin, "/teams/nosuch", ERR_NOT_FOUND);
	render_fails(env.admin, "/services/nosuch", ERR_NOT_FOUND);
	render_fails(env.admin, "/nosuch", ERR_NOT_FOUND);
	render_fails(env.admin, "/teams/", ERR_NOT_FOUND);
}

static void people_pages(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof path, "/people/X001");
	char *html = render_ok(env.admin, path);
	assert_non_null(strstr(html, "<h1>Eve &lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
	free(html);
	struct ctx *emp = open_as(env.employee);
	snprintf(path, sizeof path, "/people/%s", env.employee);
	html = render_ok(emp, path);
	free(html);
	snprintf(path, sizeof path, "/people/%s", env.other);
	render_fails(emp, path, ERR_DENIED);
	/* An unknown id is refused like one out of scope: ids cannot be probed. */
	render_fails(emp, "/people/NOBODY", ERR_DENIED);
	/* The employee's team page shows no one they may not see. */
	ctx_close(emp);
}

static void metric_pages(void **state)
{
	(void)state;
	char *html = render_ok(env.admin, "/catalog");
	assert_non_null(strstr(html, "<a href=\"/catalog/lead_time\">lead_time</a>"));
	free(html);
	html = render_ok(env.admin, "/catalog/lead_time");
	assert_non_null(strstr(html, "<h1>Lead time for changes</h1>"));
	assert_non_null(strstr(html, "engineering-effectiveness"));
	assert_non_null(strstr(html, "time to market"));
	free(html);
	render_fails(env.admin, "/catalog/nosuch", ERR_NOT_FOUND);

	struct dashboard d;
	struct error err = {0};
	assert_int_equal(dashboard_show(env.admin, NULL, &d, &err), 0);
	int64_t id = d.teams[0].keys[1].value_id;
	struct metrics_explanation x;
	assert_int_equal(metrics_explain(env.admin, id, &x, &err), 0);
	assert_true(x.ninputs > 0);
	char path[64];
	snprintf(path, sizeof path, "/metric-values/%lld", (long long)id);
	html = render_ok(env.admin, path);
	assert_non_null(strstr(html, "Arithmetic"));
	assert_non_null(strstr(html, x.inputs[0].raw_sha256));
	char want[64];
	snprintf(want, sizeof want, "<p>%zu records.</p>", x.ninputs);
	assert_non_null(strstr(html, want));
	free(html);
	render_fails(env.admin, "/metric-values/99999999", ERR_NOT_FOUND);
	render_fails(env.admin, "/metric-values/x1", ERR_NOT_FOUND);
}

static void admin_pages(void **state)
{
	(void)state;
	char *html = render_ok(env.admin, "/sources");
	assert_non_null(strstr(html, "<th scope=\"row\">github</th>"));
	assert_non_null(strstr(html, "Unmatched accounts"));
	free(html);
	/* A paused source says who paused it and why, escaped, and still its
	 * last run's outcome. */
	bool changed = false;
	struct source_pause p;
	struct error err = {0};
	assert_int_equal(
	        source_pause(env.admin, "github", "<b>token</b> revoked", &changed, &p, &err), 0);
	html = render_ok(env.admin, "/sources");
	assert_non_null(strstr(html, "paused since "));
	assert_non_null(strstr(html, "&lt;b&gt;token&lt;/b&gt; revoked; last run published"));
	assert_null(strstr(html, "<b>token"));
	free(html);
	assert_int_equal(source_resume(env.admin, "github", &changed, &p, &err), 0);
	html = render_ok(env.admin, "/audit");
	assert_non_null(strstr(html, "Intact:"));
	assert_non_null(strstr(html, "person.show")); /* people_pages' audited reads */
	assert_non_null(strstr(html, "The newest 5 entries"));
	free(html);
	struct ctx *emp = open_as(env.employee);
	render_fails(emp, "/audit", ERR_DENIED);
	render_fails(emp, "/sources", ERR_DENIED);
	ctx_close(emp);
}

static void error_page(void **state)
{
	(void)state;
	struct page_request req = {.path = "/audit", .user = "a<b", .csrf = "t"};
	struct error err = {0};
	err_set(&err, ERR_DENIED, "permission denied: <audit.log> needs the admin role");
	struct sb html = SB_INIT;
	pages_error(&req, 403, &err, &html);
	assert_non_null(strstr(html.buf, "Not allowed (403)"));
	assert_non_null(strstr(html.buf, "&lt;audit.log&gt;"));
	assert_non_null(strstr(html.buf, "Signed in as <strong>a&lt;b</strong>"));
	assert_non_null(strstr(html.buf, "action=\"/signout\""));
	sb_release(&html);
}

/* A service's hint on an error page is in the page's words: a command a page does is a link
 * to it, a hint naming another command or an option is left out (it was shown as the CLI's
 * words, "choose one with --relation R"), and any other hint is shown escaped. */
static void error_page_hints(void **state)
{
	(void)state;
	static const struct {
		const char *hint, *shown; /* shown NULL: no hint on the page */
	} cases[] = {
	        {"plumb cycle list shows the cycles",
	         "<p>Hint: <a href=\"/reviews\">the Reviews page</a> shows the cycles</p>"},
	        {"'plumb org tree' lists the teams",
	         "<p>Hint: <a href=\"/\">the dashboard</a> lists the teams</p>"},
	        {"plumb cycle status --cycle a/b lists who is",
	         "<p>Hint: <a href=\"/cycles/a%2Fb\">the cycle&#39;s page</a> lists who is</p>"},
	        {"their manager submits one: plumb evaluation submit --cycle c1 --person E7 "
	         "FILE.yaml",
	         "<p>Hint: their manager submits one: <a href=\"/cycles/c1/review/E7\">the manager "
	         "review form</a></p>"},
	        {"the <b>person</b> & their managers read it",
	         "<p>Hint: the &lt;b&gt;person&lt;/b&gt; &amp; their managers read it</p>"},
	        {"choose one with --relation R", NULL},
	        {"plumb me shows the signed-in person's own data; use --as EMPLOYEE_ID", NULL},
	        {"create it with 'plumb service set x --team TEAM'", NULL},
	        {"plumb evaluation submit --cycle c1 FILE.yaml", NULL}, /* no --person */
	        {"plumb cycle listing", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct page_request req = {.path = "/x", .user = "u", .csrf = "t"};
		struct error err = {0};
		err_set(&err, ERR_NOT_FOUND, "not here");
		err_hint(&err, "%s", cases[i].hint);
		struct sb html = SB_INIT;
		pages_error(&req, 404, &err, &html);
		if (cases[i].shown && !strstr(html.buf, cases[i].shown))
			fail_msg("hint '%s': expected %s in %s", cases[i].hint, cases[i].shown,
			         strstr(html.buf, "<main"));
		if (!cases[i].shown && strstr(html.buf, "Hint:"))
			fail_msg("hint '%s' is the CLI's, shown: %s", cases[i].hint,
			         strstr(html.buf, "Hint:"));
		sb_release(&html);
	}
}

static int64_t audit_rows(void)
{
	char n[32];
	sql_text("SELECT COUNT(*) FROM audit_log", n, sizeof n);
	return strtoll(n, NULL, 10);
}

/* POST path with body as the session whose token is csrf: the code, with
 * the page's HTML freed. */
static int post(struct ctx *ctx, const char *path, const char *body, const char *csrf,
                struct error *err)
{
	struct page_request req = {.path = path,
	                           .user = "tester",
	                           .csrf = csrf,
	                           .post = true,
	                           .form = body,
	                           .form_len = strlen(body)};
	struct sb html = SB_INIT;
	struct page_answer ans;
	memset(err, 0, sizeof *err);
	int rc = pages_render(ctx, &req, &html, &ans, err);
	if (rc < 0)
		assert_int_equal(html.len, 0);
	sb_release(&html);
	return rc;
}

static void review_routes_and_forms(void **state)
{
	(void)state;
	bool posts;
	assert_string_equal(pages_route("/cycles/a26/feedback/E101", &posts),
	                    "/cycles/{cycle}/feedback/{id}");
	assert_true(posts);
	assert_string_equal(pages_route("/cycles/a26/review/E101", &posts),
	                    "/cycles/{cycle}/review/{id}");
	assert_true(posts);
	assert_string_equal(pages_route("/cycles/a26", &posts), "/cycles/{cycle}");
	assert_false(posts);
	assert_string_equal(pages_route("/teams/x", &posts), "/teams/{name}");
	assert_false(posts);
	assert_string_equal(pages_route("/calibration/s1", &posts), "/calibration/{session}");
	assert_false(posts);
	assert_string_equal(pages_route("/calibration/s1/changes", &posts),
	                    "/calibration/{session}/changes");
	assert_true(posts);
	assert_null(pages_route("/cycles/a26/feedback/", &posts));
	assert_null(pages_route("/cycles//feedback/E1", &posts));
	assert_null(pages_route("/cycles/a26/feedback/E1/x", &posts));
	/* Split, then decoded: an encoded '/' belongs to the name. */
	assert_string_equal(pages_route("/teams/R%26D%2FInfra", &posts), "/teams/{name}");
	assert_string_equal(pages_route("/cycles/a%2f26/feedback/E101", &posts),
	                    "/cycles/{cycle}/feedback/{id}");
	assert_string_equal(pages_route("/%63atalog", &posts), "/catalog");
	assert_string_equal(pages_route("/teams/100%", &posts), "/teams/{name}");
	assert_null(pages_route("/teams/R%26D/Infra", &posts));
	assert_null(pages_route("/teams/x%00", &posts));
	assert_null(pages_route("/a/b/c/d/e/f/g", &posts));
	assert_null(pages_route("teams/x", &posts));

	/* A form without the session's token is refused before anything runs, and
	 * writes nothing but the refusal's audit entry (access.denied). */
	struct ctx *emp = open_as(env.employee);
	struct error err;
	int64_t before = audit_rows();
	const char *path = "/cycles/nosuch/feedback/E101";
	assert_int_equal(post(emp, path, "relation=self&answer.strengths=x", "tok", &err),
	                 ERR_DENIED);
	assert_non_null(strstr(err.message, "CSRF"));
	assert_int_equal(post(emp, path, "csrf=bad&answer.strengths=x", "tok", &err), ERR_DENIED);
	assert_int_equal(post(emp, path, "csrf=&answer.strengths=x", "", &err), ERR_DENIED);
	assert_int_equal(post(emp, path, "csrf=tok", NULL, &err), ERR_DENIED);
	assert_int_equal(audit_rows(), before + 4);
	/* With it, the page runs: here to find no such cycle. */
	assert_int_equal(post(emp, path, "answer.strengths=x&csrf=tok", "tok", &err),
	                 ERR_NOT_FOUND);
	/* A page without a form takes no POST. */
	assert_int_equal(post(emp, "/reviews", "csrf=tok", "tok", &err), ERR_NOT_FOUND);
	char *html = render_ok(emp, "/reviews");
	assert_non_null(strstr(html, "<h1>Reviews</h1>"));
	assert_non_null(strstr(html, "<a href=\"/reviews\">Reviews</a>"));
	free(html);
	render_fails(emp, "/cycles/nosuch", ERR_NOT_FOUND);
	ctx_close(emp);
}

/* An API error's detail reaches the client, but not the server's own failure (a 5xx): a
 * database's or a file's names the server's SQL and paths in its detail (found in review), and
 * the driver's words and table names in its message (found: "no such column: s.id" on the
 * sign-in page).  The client gets the table's message and a reference; the operator's stderr
 * the whole text. */
static void error_replies_keep_internals(void **state)
{
	(void)state;
	struct error store = {0}, bad = {0};
	err_set(&store, ERR_STORE, "cannot prepare statement: no such column: s.id");
	err_detail(&store, "SQL: SELECT secret FROM users");
	err_set(&bad, ERR_INVALID, "line 3: no such team");
	err_detail(&bad, "teams are named by their key");
	struct reply r = {0};
	reply_error(&r, &store);
	assert_int_equal(r.status, 500);
	assert_non_null(strstr(r.body.buf, "\"message\":\"database error (reference "));
	assert_non_null(strstr(r.body.buf, "\"detail\":null"));
	assert_null(strstr(r.body.buf, "SELECT"));
	assert_null(strstr(r.body.buf, "s.id"));
	assert_null(strstr(r.body.buf, "prepare"));
	reply_release(&r);
	memset(&r, 0, sizeof r);
	reply_error(&r, &bad);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body.buf, "\"message\":\"line 3: no such team\""));
	assert_non_null(strstr(r.body.buf, "\"detail\":\"teams are named by their key\""));
	reply_release(&r);
	/* Busy is the database's too: SQLite's busy timeout can end an open
	 * (detail: the file) or a prepare (detail: the SQL) as well as a step. */
	struct error busy = {0};
	err_set(&busy, ERR_BUSY, "cannot prepare statement: database is locked");
	err_detail(&busy, "SQL: SELECT secret FROM users");
	err_hint(&busy, "another plumb process holds the database; try again");
	memset(&r, 0, sizeof r);
	reply_error(&r, &busy);
	assert_int_equal(r.status, 503);
	assert_int_equal(r.nheaders, 1);
	assert_string_equal(r.headers[0].name, "Retry-After");
	assert_non_null(strstr(r.body.buf, "\"code\":\"busy\""));
	assert_non_null(strstr(r.body.buf, "\"message\":\"the database is busy with another "
	                                   "writer; try again (reference "));
	assert_non_null(strstr(r.body.buf, "\"detail\":null"));
	assert_null(strstr(r.body.buf, "SELECT"));
	assert_null(strstr(r.body.buf, "locked"));
	reply_release(&r);
	/* The face's own refusal keeps its words, a 503 too. */
	struct error limit = {0};
	err_set(&limit, ERR_TRANSIENT, "the server is at its connection limit");
	memset(&r, 0, sizeof r);
	reply_error_own(&r, &limit);
	assert_int_equal(r.status, 503);
	assert_non_null(
	        strstr(r.body.buf, "\"message\":\"the server is at its connection limit\""));
	reply_release(&r);
	/* A tampered audit log: which entry stays in the log, but where to look is told
	 * ('plumb audit verify', on a page the Audit page). */
	struct error tampered = {0};
	err_set(&tampered, ERR_TAMPERED, "audit entry 7 does not match its hash");
	err_detail(&tampered, "the log ends at entry 9");
	err_hint(&tampered, "run 'plumb audit verify' and restore the log from a backup");
	memset(&r, 0, sizeof r);
	reply_error(&r, &tampered);
	assert_int_equal(r.status, 500);
	assert_non_null(
	        strstr(r.body.buf, "\"message\":\"audit chain does not verify (reference "));
	assert_non_null(strstr(r.body.buf, "'plumb audit verify' shows where the log was changed"));
	assert_null(strstr(r.body.buf, "entry 7"));
	assert_null(strstr(r.body.buf, "entry 9"));
	reply_release(&r);
	struct error told = tampered;
	server_error_conceal(&told);
	struct sb html = SB_INIT;
	page_hint(&html, told.hint);
	assert_non_null(strstr(html.buf, "<a href=\"/audit\">the Audit page</a> shows where"));
	sb_release(&html);
}

/* A conflict the database found (a race past a service's check) is the client's error, told
 * in the store's words, but its detail holds the driver's, with table and column names: the
 * operator's log has it, not the API's answer nor a form shown again (they had it). */
static void conflict_replies_keep_driver_words(void **state)
{
	(void)state;
	struct ctx *ctx = open_as(env.employee);
	struct error conflict = {0};
	assert_int_equal(
	        store_exec(ctx->store, "CREATE TEMP TABLE kp(k TEXT PRIMARY KEY)", &conflict), 0);
	assert_int_equal(store_exec(ctx->store, "INSERT INTO kp VALUES ('a')", &conflict), 0);
	assert_int_equal(store_exec(ctx->store, "INSERT INTO kp VALUES ('a')", &conflict),
	                 ERR_CONFLICT);
	ctx_close(ctx);
	assert_non_null(strstr(conflict.detail, "kp.k")); /* the driver's, for the CLI */
	struct reply r = {0};
	reply_error(&r, &conflict);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body.buf, "\"code\":\"conflict\""));
	assert_non_null(strstr(r.body.buf, "\"message\":\"the change conflicts with a stored "
	                                   "record: one with the same key exists (reference "));
	assert_non_null(strstr(r.body.buf, "\"detail\":null"));
	assert_non_null(strstr(r.body.buf, "\"hint\":\"another change may have come"));
	assert_null(strstr(r.body.buf, "kp"));
	assert_null(strstr(r.body.buf, "UNIQUE"));
	reply_release(&r);
	struct sb html = SB_INIT;
	struct page p = {.html = &html};
	page_form_error(&p, &conflict);
	assert_non_null(strstr(html.buf, "conflicts with a stored record"));
	assert_null(strstr(html.buf, "kp"));
	assert_null(strstr(html.buf, "UNIQUE"));
	sb_release(&html);
	/* A service's own conflict keeps its detail, written for the client. */
	struct error own = {0};
	err_set(&own, ERR_CONFLICT, "team platform exists");
	err_detail(&own, "created on 2026-01-02");
	memset(&r, 0, sizeof r);
	reply_error(&r, &own);
	assert_non_null(strstr(r.body.buf, "\"message\":\"team platform exists\""));
	assert_non_null(strstr(r.body.buf, "\"detail\":\"created on 2026-01-02\""));
	reply_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(dashboard_page),
	        cmocka_unit_test(team_and_service_pages),
	        cmocka_unit_test(people_pages),
	        cmocka_unit_test(metric_pages),
	        cmocka_unit_test(admin_pages),
	        cmocka_unit_test(error_page),
	        cmocka_unit_test(error_page_hints),
	        cmocka_unit_test(review_routes_and_forms),
	        cmocka_unit_test(error_replies_keep_internals),
	        cmocka_unit_test(conflict_replies_keep_driver_words),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
