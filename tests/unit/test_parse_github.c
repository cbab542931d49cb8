/*
 * test_parse_github: the GitHub REST pages and webhook bodies mapped to
 * events.  The project's own fixtures (tests/fixtures/github, in GitHub's
 * real API shapes) and the shared public samples (../shared/fixtures, when
 * present) are parsed and every field checked against values read off the
 * documents; expected instants come from libc's timegm, not from plumb.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/fileio.h"
#include "base/sb.h"
#include "ingest/parse.h"

#define OWN    "tests/fixtures/github/"
#define SHARED "../shared/fixtures/"

static int64_t utc_ms(int y, int mo, int d, int h, int mi, int s, int ms)
{
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm) * 1000 + ms;
}

#define MAX_EVENTS 32

/* What one parse produced: events copied out of the document. */
struct result {
	struct arena *arena;
	struct event ev[MAX_EVENTS];
	size_t n;
	struct parse_page page;
	struct error err;
	int rc;
};

static const char *dup_or_null(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

static int collect(void *data, const struct event *ev, struct error *err)
{
	(void)err;
	struct result *r = data;
	assert_true(r->n < MAX_EVENTS);
	struct event *c = &r->ev[r->n++];
	*c = *ev;
	struct arena *a = r->arena;
	const char **strs[] = {
	        &c->external_id, &c->owner_system,  &c->owner_key,    &c->account_system,
	        &c->account,     &c->account_email, &c->account_name, &c->status,
	        &c->environment, &c->sha,           &c->ref,          &c->number,
	        &c->title,       &c->url,           &c->parent_id,    &c->attrs};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		*strs[i] = dup_or_null(a, *strs[i]);
	/* Every event keeps parse's promises. */
	assert_true(event_status_valid(c->kind, c->status));
	assert_non_null(c->external_id);
	return 0;
}

static void parse_bytes(struct result *r, const char *data, size_t len, const char *format,
                        const char *event_name, const char *origin)
{
	memset(r, 0, sizeof *r);
	r->arena = arena_create();
	struct parse_input in = {.source_kind = "github",
	                         .format = format,
	                         .event_name = event_name,
	                         .origin = origin,
	                         .data = data,
	                         .len = len,
	                         .arena = r->arena};
	r->rc = parse_document(&in, collect, r, &r->page, &r->err);
}

static void parse_str(struct result *r, const char *json, const char *format,
                      const char *event_name)
{
	parse_bytes(r, json, strlen(json), format, event_name, "test.json");
}

static void parse_file(struct result *r, const char *path, const char *format,
                       const char *event_name)
{
	char *data = NULL;
	size_t len = 0;
	struct error err = {0};
	if (file_read(path, (size_t)1 << 24, &data, &len, &err) != 0)
		fail_msg("cannot read %s: %s", path, err.message);
	parse_bytes(r, data, len, format, event_name, path);
	free(data);
}

static void parse_ok(struct result *r, const char *path, const char *format, const char *event_name)
{
	parse_file(r, path, format, event_name);
	if (r->rc != 0)
		fail_msg("%s: %s", path, r->err.message);
	assert_int_equal(r->page.records, (int64_t)r->n);
}

static void result_free(struct result *r)
{
	arena_destroy(r->arena);
}

/* Skip the test (cleanly) when the shared fixtures are not on this machine. */
static void need_shared(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		skip();
}

static void assert_error_has(const struct result *r, const char *needle)
{
	if (r->rc == 0)
		fail_msg("expected an error naming '%s', the parse succeeded", needle);
	assert_int_equal(r->rc, ERR_INVALID);
	if (!strstr(r->err.message, needle))
		fail_msg("message \"%s\" does not contain \"%s\"", r->err.message, needle);
}

#define assert_str(a, b) assert_string_equal((a) ? (a) : "(null)", (b))

/* ---- the project's own fixtures -------------------------------------------- */

static void pulls_page(void **state)
{
	(void)state;
	struct result r;
	parse_ok(&r, OWN "pulls.json", NULL, NULL);
	assert_str(r.page.format, "github-pulls");
	assert_int_equal(r.n, 4);

	const struct event *m = &r.ev[0];
	assert_int_equal(m->kind, EVENT_PULL_REQUEST);
	assert_str(m->external_id, "acme/widgets#101");
	assert_str(m->owner_system, "github");
	assert_str(m->owner_key, "acme/widgets");
	assert_str(m->number, "101");
	assert_str(m->title, "Add widget cache");
	assert_str(m->account_system, "github");
	assert_str(m->account, "alice");
	assert_false(m->bot);
	assert_str(m->status, "merged");
	assert_int_equal(m->occurred_at, utc_ms(2024, 3, 1, 9, 0, 0, 0));
	assert_true(m->has_ended);
	assert_int_equal(m->ended_at, utc_ms(2024, 3, 2, 10, 29, 59, 0));
	assert_true(m->has_updated);
	assert_int_equal(m->updated_at, utc_ms(2024, 3, 2, 10, 30, 0, 0));
	assert_str(m->sha, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1");
	assert_str(m->ref, "widget-cache");
	assert_str(m->url, "https://github.com/acme/widgets/pull/101");
	/* GitHub's id first: a renamed repository's pull request is matched by it. */
	assert_str(m->attrs, "{\"id\":\"1800000101\",\"base\":\"main\",\"draft\":false,"
	                     "\"merged_at\":\"2024-03-02T10:29:59.000Z\","
	                     "\"closed_at\":\"2024-03-02T10:29:59.000Z\","
	                     "\"merge_commit_sha\":\"9f1c0d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9\"}");

	const struct event *c = &r.ev[1];
	assert_str(c->external_id, "acme/widgets#102");
	assert_str(c->status, "closed");
	assert_true(c->has_ended);
	assert_int_equal(c->ended_at, utc_ms(2024, 3, 3, 12, 0, 0, 0));
	assert_str(c->attrs, "{\"id\":\"1800000102\",\"base\":\"main\",\"draft\":false,"
	                     "\"merged_at\":null,"
	                     "\"closed_at\":\"2024-03-03T12:00:00.000Z\"}");

	const struct event *o = &r.ev[2];
	assert_str(o->external_id, "acme/widgets#103");
	assert_str(o->status, "open");
	assert_false(o->has_ended);
	assert_int_equal(o->occurred_at, utc_ms(2024, 3, 4, 8, 0, 0, 250));
	assert_non_null(strstr(o->attrs, "\"draft\":true"));

	const struct event *b = &r.ev[3];
	assert_str(b->external_id, "acme/widgets#104");
	assert_str(b->account, "dependabot[bot]");
	assert_true(b->bot);
	assert_str(b->status, "open");
	assert_str(b->ref, "dependabot/npm_and_yarn/lodash-4.17.21");
	result_free(&r);
}

static void reviews_page(void **state)
{
	(void)state;
	struct result r;
	parse_ok(&r, OWN "reviews.json", NULL, NULL);
	assert_str(r.page.format, "github-reviews");
	/* Four reviews, the PENDING one has no submitted_at: three events. */
	assert_int_equal(r.n, 3);
	static const char *const ids[] = {"2001", "2002", "2003"};
	static const char *const statuses[] = {"changes_requested", "commented", "approved"};
	static const char *const who[] = {"bob", "carol", "bob"};
	const int64_t at[] = {utc_ms(2024, 3, 1, 13, 0, 0, 0), utc_ms(2024, 3, 1, 14, 30, 0, 0),
	                      utc_ms(2024, 3, 2, 9, 45, 10, 0)};
	for (size_t i = 0; i < 3; i++) {
		const struct event *e = &r.ev[i];
		assert_int_equal(e->kind, EVENT_REVIEW);
		assert_str(e->external_id, ids[i]);
		assert_str(e->status, statuses[i]);
		assert_str(e->account, who[i]);
		assert_int_equal(e->occurred_at, at[i]);
		assert_str(e->parent_id, "acme/widgets#101");
		assert_str(e->owner_key, "acme/widgets");
		assert_str(e->sha, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1");
	}
	assert_str(r.ev[2].url, "https://github.com/acme/widgets/pull/101#pullrequestreview-2003");
	result_free(&r);
}

static void commits_page(void **state)
{
	(void)state;
	struct result r;
	parse_ok(&r, OWN "commits.json", NULL, NULL);
	assert_str(r.page.format, "github-commits");
	assert_int_equal(r.n, 2);

	const struct event *m = &r.ev[0];
	assert_int_equal(m->kind, EVENT_COMMIT);
	assert_str(m->external_id, "9f1c0d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9");
	assert_str(m->sha, "9f1c0d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9");
	assert_str(m->owner_key, "acme/widgets");
	assert_str(m->account, "alice");
	assert_str(m->account_email, "alice@example.com");
	assert_str(m->account_name, "Alice Example");
	assert_int_equal(m->occurred_at, utc_ms(2024, 3, 2, 10, 29, 58, 0));
	assert_true(m->has_ended);
	assert_int_equal(m->ended_at, utc_ms(2024, 3, 2, 10, 29, 59, 0));
	assert_str(m->title, "Merge pull request #101 from acme/widget-cache");
	assert_str(
	        m->url,
	        "https://github.com/acme/widgets/commit/9f1c0d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9");
	assert_str(m->attrs, "{\"parents\":[\"1111111111111111111111111111111111111111\","
	                     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1\"]}");

	/* No GitHub account matched the email: author is null. */
	const struct event *n = &r.ev[1];
	assert_null(n->account);
	assert_false(n->bot);
	assert_str(n->account_email, "dana@contractor.example");
	assert_str(n->account_name, "Dana Contractor");
	/* 2024-02-29T23:59:59+01:00 is 22:59:59 UTC. */
	assert_int_equal(n->occurred_at, utc_ms(2024, 2, 29, 22, 59, 59, 0));
	assert_str(n->title, "Cache widgets per tenant");
	assert_str(n->attrs, "{\"parents\":[\"1111111111111111111111111111111111111111\"]}");
	result_free(&r);
}

static void deployments_page(void **state)
{
	(void)state;
	struct result r;
	parse_ok(&r, OWN "deployments.json", NULL, NULL);
	assert_str(r.page.format, "github-deployments");
	assert_int_equal(r.n, 2);
	const struct event *p = &r.ev[0];
	assert_int_equal(p->kind, EVENT_DEPLOYMENT);
	assert_str(p->external_id, "9002");
	assert_str(p->owner_key, "acme/widgets");
	assert_str(p->account, "alice");
	assert_str(p->environment, "production");
	assert_str(p->sha, "9f1c0d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9");
	assert_str(p->ref, "main");
	assert_null(p->title);
	assert_null(p->status);
	assert_int_equal(p->occurred_at, utc_ms(2024, 3, 2, 11, 0, 0, 0));
	assert_int_equal(p->updated_at, utc_ms(2024, 3, 2, 11, 4, 30, 0));
	assert_false(p->has_ended);
	assert_str(p->attrs, "{\"task\":\"deploy\",\"production_environment\":true,"
	                     "\"original_environment\":\"production\"}");
	const struct event *s = &r.ev[1];
	assert_str(s->external_id, "9001");
	assert_str(s->title, "Deploy request from hubot");
	assert_str(s->environment, "staging");
	assert_str(s->attrs, "{\"task\":\"deploy:migrations\",\"production_environment\":false,"
	                     "\"original_environment\":\"staging\"}");
	result_free(&r);
}

static void deployment_statuses_page(void **state)
{
	(void)state;
	struct result r;
	parse_ok(&r, OWN "deployment-statuses.json", NULL, NULL);
	assert_str(r.page.format, "github-deployment-statuses");
	assert_int_equal(r.n, 3);
	static const char *const st[] = {"success", "in_progress", "queued"};
	const int64_t at[] = {utc_ms(2024, 3, 2, 11, 4, 30, 0), utc_ms(2024, 3, 2, 11, 1, 0, 0),
	                      utc_ms(2024, 3, 2, 11, 0, 5, 0)};
	for (size_t i = 0; i < 3; i++) {
		const struct event *e = &r.ev[i];
		assert_int_equal(e->kind, EVENT_DEPLOYMENT);
		assert_str(e->external_id, "9002"); /* the deployment's, not the status's */
		assert_str(e->status, st[i]);
		assert_str(e->owner_key, "acme/widgets");
		assert_null(e->account);
		assert_str(e->environment, "production");
		assert_int_equal(e->occurred_at, at[i]);
		assert_true(e->has_updated);
		assert_int_equal(e->updated_at, at[i]);
		assert_int_equal(e->has_ended, i == 0);
	}
	assert_int_equal(r.ev[0].ended_at, at[0]);
	assert_str(r.ev[0].attrs, "{\"status_id\":\"77003\","
	                          "\"log_url\":\"https://deploy.example.com/runs/77003/log\"}");
	result_free(&r);
}

static void workflow_runs_page(void **state)
{
	(void)state;
	struct result r;
	parse_ok(&r, OWN "workflow-runs.json", NULL, NULL);
	assert_str(r.page.format, "github-workflow-runs");
	assert_true(r.page.has_total);
	assert_int_equal(r.page.declared_total, 57);
	assert_int_equal(r.n, 3);

	const struct event *ip = &r.ev[0];
	assert_int_equal(ip->kind, EVENT_CI_RUN);
	assert_str(ip->external_id, "8000000003");
	assert_str(ip->status, "in_progress");
	assert_false(ip->has_ended);
	assert_str(ip->account, "dependabot[bot]");
	assert_true(ip->bot);
	assert_int_equal(ip->occurred_at, utc_ms(2024, 3, 5, 6, 2, 10, 0));

	const struct event *f = &r.ev[1];
	assert_str(f->external_id, "8000000002");
	assert_str(f->status, "failure");
	assert_true(f->has_ended);
	assert_int_equal(f->ended_at, utc_ms(2024, 3, 3, 10, 31, 15, 0));
	assert_str(f->attrs, "{\"event\":\"pull_request\",\"workflow_id\":\"5550001\","
	                     "\"run_attempt\":2,\"conclusion\":\"failure\"}");

	const struct event *s = &r.ev[2];
	assert_str(s->external_id, "8000000001");
	assert_str(s->owner_key, "acme/widgets");
	assert_str(s->status, "success");
	assert_str(s->number, "301");
	assert_str(s->title, "CI");
	assert_str(s->sha, "9f1c0d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9");
	assert_str(s->ref, "main");
	assert_str(s->account, "alice");
	assert_str(s->url, "https://github.com/acme/widgets/actions/runs/8000000001");
	/* run_started_at, not created_at */
	assert_int_equal(s->occurred_at, utc_ms(2024, 3, 2, 10, 30, 7, 0));
	assert_int_equal(s->ended_at, utc_ms(2024, 3, 2, 10, 36, 42, 0));
	assert_int_equal(s->updated_at, utc_ms(2024, 3, 2, 10, 36, 42, 0));
	result_free(&r);
}

static void webhook_pull_request_merged(void **state)
{
	(void)state;
	struct result r;
	parse_ok(&r, OWN "webhook-pull_request.closed-merged.json", NULL, "pull_request");
	assert_str(r.page.format, "github-webhook");
	assert_int_equal(r.n, 1);
	const struct event *e = &r.ev[0];
	assert_str(e->external_id, "acme/widgets#101");
	assert_str(e->status, "merged");
	assert_int_equal(e->ended_at, utc_ms(2024, 3, 2, 10, 29, 59, 0));
	assert_str(e->attrs, "{\"id\":\"1800000101\",\"base\":\"main\",\"draft\":false,"
	                     "\"merged_at\":\"2024-03-02T10:29:59.000Z\","
	                     "\"closed_at\":\"2024-03-02T10:29:59.000Z\","
	                     "\"merge_commit_sha\":\"9f1c0d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9\","
	                     "\"additions\":120,"
	                     "\"deletions\":7,\"commits\":3,\"changed_files\":4}");
	result_free(&r);

	/* Without X-GitHub-Event, the body's shape says what it is. */
	parse_ok(&r, OWN "webhook-pull_request.closed-merged.json", NULL, NULL);
	assert_int_equal(r.n, 1);
	assert_str(r.ev[0].status, "merged");
	result_free(&r);
}

static void webhook_review_emits_pull_and_review(void **state)
{
	(void)state;
	struct result r;
	parse_ok(&r, OWN "webhook-pull_request_review.approved.json", NULL, NULL);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[0].kind, EVENT_PULL_REQUEST);
	assert_str(r.ev[0].external_id, "acme/widgets#101");
	assert_str(r.ev[0].status, "open");
	assert_int_equal(r.ev[1].kind, EVENT_REVIEW);
	assert_str(r.ev[1].external_id, "2003");
	assert_str(r.ev[1].status, "approved"); /* webhooks write it in lower case */
	assert_str(r.ev[1].parent_id, "acme/widgets#101");
	assert_int_equal(r.ev[1].occurred_at, utc_ms(2024, 3, 2, 9, 45, 10, 0));
	result_free(&r);
}

static void webhook_push(void **state)
{
	(void)state;
	struct result r;
	/* repository.created_at and pushed_at are epoch integers here. */
	parse_ok(&r, OWN "webhook-push.json", NULL, "push");
	assert_int_equal(r.n, 2);
	const struct event *a = &r.ev[0];
	assert_int_equal(a->kind, EVENT_COMMIT);
	assert_str(a->external_id, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1");
	assert_null(a->account); /* no username in author */
	assert_str(a->account_email, "dana@contractor.example");
	assert_str(a->ref, "refs/heads/main");
	assert_str(a->owner_key, "acme/widgets");
	assert_str(a->title, "Cache widgets per tenant");
	assert_int_equal(a->occurred_at, utc_ms(2024, 2, 29, 22, 59, 59, 0));
	assert_str(a->attrs, "{\"distinct\":false}");
	const struct event *b = &r.ev[1];
	assert_str(b->account, "alice");
	assert_str(b->account_name, "Alice Example");
	assert_int_equal(b->occurred_at, utc_ms(2024, 3, 2, 10, 29, 58, 0));
	assert_str(b->attrs, "{\"distinct\":true}");
	result_free(&r);
}

static void webhook_deployment_status_failure(void **state)
{
	(void)state;
	struct result r;
	parse_ok(&r, OWN "webhook-deployment_status.failure.json", NULL, "deployment_status");
	assert_int_equal(r.n, 1);
	const struct event *e = &r.ev[0];
	assert_int_equal(e->kind, EVENT_DEPLOYMENT);
	assert_str(e->external_id, "9002");
	assert_str(e->status, "failure");
	assert_int_equal(e->occurred_at, utc_ms(2024, 3, 2, 11, 0, 0, 0)); /* the deployment's */
	assert_int_equal(e->ended_at, utc_ms(2024, 3, 2, 11, 6, 0, 0));
	assert_int_equal(e->updated_at, utc_ms(2024, 3, 2, 11, 6, 0, 0));
	assert_str(e->sha, "9f1c0d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9");
	assert_str(e->ref, "main");
	/* The embedded deployment's creator and task, as its own webhook gives
	 * them: the record is the same whichever of the two arrives first. */
	assert_str(e->account, "alice");
	assert_non_null(strstr(e->attrs, "\"task\":\"deploy\""));
	result_free(&r);
}

static void webhook_workflow_run_queued(void **state)
{
	(void)state;
	struct result r;
	parse_ok(&r, OWN "webhook-workflow_run.requested.json", NULL, NULL);
	assert_int_equal(r.n, 1);
	const struct event *e = &r.ev[0];
	assert_int_equal(e->kind, EVENT_CI_RUN);
	assert_str(e->external_id, "8000000004");
	assert_str(e->status, "queued");
	assert_false(e->has_ended);
	/* no run_started_at yet: created_at */
	assert_int_equal(e->occurred_at, utc_ms(2024, 3, 6, 7, 0, 0, 0));
	result_free(&r);
}

static void enterprise_urls_name_the_repository(void **state)
{
	(void)state;
	struct result r;
	parse_str(
	        &r,
	        "[{\"url\":\"https://ghe.example.com/api/v3/repos/Plat/Core/deployments/5/"
	        "statuses/9\",\"id\":9,\"state\":\"ERROR\",\"created_at\":\"2024-01-02T03:04:05Z\","
	        "\"deployment_url\":\"https://ghe.example.com/api/v3/repos/Plat/Core/deployments/"
	        "5\"}]",
	        NULL, NULL);
	if (r.rc)
		fail_msg("%s", r.err.message);
	assert_str(r.page.format, "github-deployment-statuses");
	assert_int_equal(r.n, 1);
	assert_str(r.ev[0].owner_key, "Plat/Core");
	assert_str(r.ev[0].external_id, "5");
	assert_str(r.ev[0].status, "error");
	assert_true(r.ev[0].has_ended);
	result_free(&r);

	/* A repository may be called like a collection. */
	parse_str(&r,
	          "[{\"id\":1,\"state\":\"APPROVED\",\"submitted_at\":\"2024-01-01T00:00:00Z\","
	          "\"commit_id\":\"abcdef0\",\"pull_request_url\":"
	          "\"https://api.github.com/repos/pulls/pulls/pulls/7\"}]",
	          NULL, NULL);
	if (r.rc)
		fail_msg("%s", r.err.message);
	assert_str(r.ev[0].parent_id, "pulls/pulls#7");
	result_free(&r);
}

static void workflow_conclusions_map(void **state)
{
	(void)state;
	static const char *const table[][2] = {
	        {"success", "success"},         {"neutral", "success"},
	        {"failure", "failure"},         {"timed_out", "failure"},
	        {"startup_failure", "failure"}, {"action_required", "failure"},
	        {"stale", "failure"},           {"cancelled", "cancelled"},
	        {"skipped", "skipped"},
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		char json[512];
		snprintf(json, sizeof json,
		         "{\"total_count\":1,\"workflow_runs\":[{\"id\":1,\"status\":\"completed\","
		         "\"conclusion\":\"%s\",\"created_at\":\"2024-01-01T00:00:00Z\","
		         "\"updated_at\":\"2024-01-01T00:05:00Z\",\"repository\":{\"full_name\":"
		         "\"a/b\"}}]}",
		         table[i][0]);
		struct result r;
		parse_str(&r, json, NULL, NULL);
		if (r.rc)
			fail_msg("%s: %s", table[i][0], r.err.message);
		assert_int_equal(r.n, 1);
		assert_str(r.ev[0].status, table[i][1]);
		result_free(&r);
	}
	static const char *const going[][2] = {{"queued", "queued"},
	                                       {"requested", "queued"},
	                                       {"waiting", "queued"},
	                                       {"pending", "queued"},
	                                       {"in_progress", "in_progress"}};
	for (size_t i = 0; i < sizeof going / sizeof going[0]; i++) {
		char json[512];
		snprintf(json, sizeof json,
		         "{\"total_count\":1,\"workflow_runs\":[{\"id\":1,\"status\":\"%s\","
		         "\"created_at\":\"2024-01-01T00:00:00Z\"}]}",
		         going[i][0]);
		struct result r;
		parse_str(&r, json, NULL, NULL);
		if (r.rc)
			fail_msg("%s: %s", going[i][0], r.err.message);
		assert_str(r.ev[0].status, going[i][1]);
		assert_false(r.ev[0].has_ended);
		result_free(&r);
	}
}

static void empty_array_is_an_empty_page(void **state)
{
	(void)state;
	struct result r;
	/* An export's last page is often []: it holds nothing in any format,
	 * so it needs no --format (and names none). */
	parse_str(&r, "[]", NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.page.records, 0);
	assert_null(r.page.format);
	result_free(&r);
	/* ... but not as a webhook body. */
	parse_str(&r, "[]", NULL, "push");
	assert_error_has(&r, "not a github webhook body (--event push)");
	result_free(&r);
	/* With the format named, an empty page is zero records. */
	parse_str(&r, "[]", "github-pulls", NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.page.records, 0);
	result_free(&r);
}

/* ---- the shared public samples ------------------------------------------ */

static void shared_rest(void **state)
{
	(void)state;
	need_shared(SHARED "github-rest");
	struct result r;
	parse_ok(&r, SHARED "github-rest/github-docs.list-commits.200.example.json", NULL, NULL);
	assert_str(r.page.format, "github-commits");
	assert_int_equal(r.n, 1);
	assert_str(r.ev[0].external_id, "6dcb09b5b57875f334f61aebed695e2e4193db5e");
	assert_str(r.ev[0].owner_key, "octocat/Hello-World");
	assert_str(r.ev[0].account, "octocat");
	assert_str(r.ev[0].title, "Fix all the bugs");
	assert_int_equal(r.ev[0].occurred_at, utc_ms(2011, 4, 14, 16, 0, 49, 0));
	result_free(&r);

	parse_ok(&r, SHARED "github-rest/github-docs.list-deployments.200.example.json", NULL,
	         NULL);
	assert_str(r.page.format, "github-deployments");
	assert_int_equal(r.n, 1);
	assert_str(r.ev[0].external_id, "1");
	assert_str(r.ev[0].owner_key, "octocat/example");
	assert_str(r.ev[0].environment, "production");
	assert_str(r.ev[0].ref, "topic-branch");
	assert_str(r.ev[0].title, "Deploy request from hubot");
	assert_str(r.ev[0].attrs, "{\"task\":\"deploy\",\"production_environment\":true,"
	                          "\"original_environment\":\"staging\"}");
	assert_int_equal(r.ev[0].occurred_at, utc_ms(2012, 7, 20, 1, 19, 13, 0));
	result_free(&r);

	parse_ok(&r, SHARED "github-rest/github-docs.list-deployment-statuses.200.example.json",
	         NULL, NULL);
	assert_str(r.page.format, "github-deployment-statuses");
	assert_int_equal(r.n, 1);
	assert_str(r.ev[0].external_id, "42");
	assert_str(r.ev[0].status, "success");
	assert_int_equal(r.ev[0].ended_at, utc_ms(2012, 7, 20, 1, 19, 13, 0));
	assert_str(r.ev[0].attrs, "{\"status_id\":\"1\","
	                          "\"log_url\":\"https://example.com/deployment/42/output\"}");
	result_free(&r);
}

static void shared_pull_requests(void **state)
{
	(void)state;
	need_shared(SHARED "github-webhooks");
	struct result r;
	parse_ok(&r, SHARED "github-webhooks/pull_request.closed.json", NULL, "pull_request");
	assert_int_equal(r.n, 1);
	assert_str(r.ev[0].external_id, "Codertocat/Hello-World#2");
	assert_str(r.ev[0].status, "closed");
	assert_true(r.ev[0].has_ended);
	assert_int_equal(r.ev[0].ended_at, utc_ms(2019, 5, 15, 15, 21, 18, 0));
	assert_int_equal(r.ev[0].occurred_at, utc_ms(2019, 5, 15, 15, 20, 33, 0));
	result_free(&r);

	parse_ok(&r, SHARED "github-webhooks/pull_request.opened.json", NULL, NULL);
	assert_int_equal(r.n, 1);
	assert_str(r.ev[0].status, "open");
	assert_str(r.ev[0].ref, "changes");
	assert_str(r.ev[0].account, "Codertocat");
	assert_str(r.ev[0].attrs, "{\"id\":\"279147437\",\"base\":\"master\",\"draft\":false,"
	                          "\"merged_at\":null,"
	                          "\"closed_at\":null,\"additions\":1,\"deletions\":1,"
	                          "\"commits\":1,\"changed_files\":1}");
	result_free(&r);

	parse_ok(&r, SHARED "github-webhooks/pull_request.synchronize.json", NULL, NULL);
	assert_int_equal(r.n, 1);
	assert_str(r.ev[0].external_id, "Codertocat/Hello-World#2");
	result_free(&r);

	parse_ok(&r, SHARED "github-webhooks/pull_request_review.submitted.json", NULL,
	         "pull_request_review");
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[1].kind, EVENT_REVIEW);
	assert_str(r.ev[1].external_id, "237895671");
	assert_str(r.ev[1].status, "commented");
	assert_str(r.ev[1].parent_id, "Codertocat/Hello-World#2");
	assert_int_equal(r.ev[1].occurred_at, utc_ms(2019, 5, 15, 15, 20, 38, 0));
	result_free(&r);
}

static void shared_push_deploy_runs(void **state)
{
	(void)state;
	need_shared(SHARED "github-webhooks");
	struct result r;
	parse_ok(&r, SHARED "github-webhooks/push.tag.json", NULL, "push");
	assert_int_equal(r.n, 0);
	result_free(&r);

	parse_ok(&r, SHARED "github-webhooks/push.with-new-branch.json", NULL, NULL);
	assert_int_equal(r.n, 1);
	assert_str(r.ev[0].external_id, "6113728f27ae82c7b1a177c8d03f9e96e0adf246");
	assert_str(r.ev[0].ref, "refs/heads/master");
	assert_str(r.ev[0].account, "Codertocat");
	assert_str(r.ev[0].title, "Initial commit");
	assert_int_equal(r.ev[0].occurred_at, utc_ms(2019, 5, 15, 15, 19, 25, 0));
	result_free(&r);

	parse_ok(&r, SHARED "github-webhooks/deployment.created.json", NULL, NULL);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ev[0].kind, EVENT_DEPLOYMENT);
	assert_str(r.ev[0].external_id, "145988746");
	assert_str(r.ev[0].environment, "production");
	assert_str(r.ev[0].ref, "master");
	assert_int_equal(r.ev[0].occurred_at, utc_ms(2019, 5, 15, 15, 20, 53, 0));
	result_free(&r);

	parse_ok(&r, SHARED "github-webhooks/deployment_status.created.json", NULL,
	         "deployment_status");
	assert_int_equal(r.n, 1);
	assert_str(r.ev[0].external_id, "145988746");
	assert_str(r.ev[0].status, "success");
	assert_str(r.ev[0].sha, "f95f852bd8fca8fcc58a9a2d6c842781e32a215e");
	assert_int_equal(r.ev[0].occurred_at, utc_ms(2019, 5, 15, 15, 20, 53, 0));
	assert_int_equal(r.ev[0].ended_at, utc_ms(2019, 5, 15, 15, 20, 55, 0));
	result_free(&r);

	parse_ok(&r, SHARED "github-webhooks/workflow_run.completed.with-pull-requests.json", NULL,
	         NULL);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ev[0].kind, EVENT_CI_RUN);
	assert_str(r.ev[0].external_id, "289782451");
	assert_str(r.ev[0].status, "success");
	assert_str(r.ev[0].owner_key, "octo-org/octo-repo");
	assert_str(r.ev[0].number, "163");
	assert_int_equal(r.ev[0].occurred_at, utc_ms(2020, 10, 5, 16, 33, 49, 0));
	assert_str(r.ev[0].attrs, "{\"event\":\"repository_dispatch\",\"workflow_id\":\"2823525\","
	                          "\"run_attempt\":1,\"conclusion\":\"success\"}");
	result_free(&r);
}

static void shared_unsupported_events_refused(void **state)
{
	(void)state;
	need_shared(SHARED "github-webhooks");
	static const char *const files[][2] = {
	        {"issues.opened.json", "issues"},
	        {"check_run.completed.json", "check_run"},
	        {"workflow_job.completed.failure.json", "workflow_job"},
	};
	for (size_t i = 0; i < 3; i++) {
		char path[256], name[64];
		snprintf(path, sizeof path, SHARED "github-webhooks/%s", files[i][0]);
		snprintf(name, sizeof name, "'%s'", files[i][1]);
		struct result r;
		/* named by X-GitHub-Event, and told by shape */
		for (int named = 0; named < 2; named++) {
			parse_file(&r, path, NULL, named ? files[i][1] : NULL);
			assert_error_has(&r, name);
			assert_error_has(&r, "not one plumb reads");
			assert_error_has(&r, "pull_request_review");
			assert_int_equal(r.n, 0);
			result_free(&r);
		}
	}
}

/* ---- bad input ----------------------------------------------------------- */

static void bad_time_names_its_path(void **state)
{
	(void)state;
	struct result r;
	parse_str(&r,
	          "[{\"number\":1,\"head\":{},\"base\":{\"repo\":{\"full_name\":\"a/b\"}},"
	          "\"created_at\":\"2024-01-01T00:00:00Z\"},"
	          "{\"number\":2,\"head\":{},\"base\":{\"repo\":{\"full_name\":\"a/b\"}},"
	          "\"created_at\":\"yesterday\"}]",
	          NULL, NULL);
	assert_error_has(&r,
	                 "test.json: [1].created_at: expected an RFC 3339 time, got 'yesterday'");
	result_free(&r);

	parse_str(&r,
	          "[{\"number\":1,\"head\":{},\"base\":{\"repo\":{\"full_name\":\"a/b\"}},"
	          "\"created_at\":\"2024-01-01T00:00:00Z\",\"merged_at\":12}]",
	          NULL, NULL);
	assert_error_has(&r, "[0].merged_at: expected an RFC 3339 time, got a number");
	result_free(&r);

	parse_str(&r, "[{\"number\":1,\"head\":{},\"base\":{\"repo\":{\"full_name\":\"a/b\"}}}]",
	          NULL, NULL);
	assert_error_has(&r, "[0].created_at: missing");
	result_free(&r);

	/* An index of several digits, in order (pj_index writes them by hand). */
	struct sb many = SB_INIT;
	sb_putc(&many, '[');
	for (int i = 0; i < 24; i++)
		sb_printf(&many,
		          "%s{\"number\":%d,\"head\":{},\"base\":{\"repo\":{\"full_name\":"
		          "\"a/b\"}},\"created_at\":\"%s\"}",
		          i ? "," : "", i + 1, i == 20 ? "soon" : "2024-01-01T00:00:00Z");
	sb_putc(&many, ']');
	parse_str(&r, many.buf, NULL, NULL);
	assert_error_has(&r, "test.json: [20].created_at: expected an RFC 3339 time, got 'soon'");
	result_free(&r);
	sb_release(&many);
}

/* Values that would key events and accounts wrongly (found in review): a
 * repository that is no OWNER/NAME renamed the stored pull request and added
 * a mapping no command could change; a number that is no positive integer
 * made a new event; a login 'identity link' refuses could never be linked. */
static void bad_keys_are_refused(void **state)
{
	(void)state;
	static const char pull[] =
	        "[{\"id\":1001,\"number\":%s,\"title\":\"t\",\"user\":{\"login\":%s},"
	        "\"created_at\":\"2024-05-01T09:00:00Z\",\"state\":\"open\",\"base\":{\"ref\":"
	        "\"main\",\"repo\":{\"full_name\":%s}},\"head\":{\"ref\":\"f\",\"sha\":"
	        "\"abcdef1234567\"}}]";
	static const struct {
		const char *number, *login, *repo, *error;
	} cases[] = {
	        {"5", "\"alice\"", "\"../..\"",
	         "[0].base.repo.full_name: '../..': expected OWNER/NAME"},
	        {"5", "\"alice\"", "\"acme\"",
	         "[0].base.repo.full_name: 'acme': expected OWNER/NAME"},
	        {"5", "\"alice\"", "\"a/b/c\"",
	         "[0].base.repo.full_name: 'a/b/c': expected OWNER/NAME"},
	        {"-5", "\"alice\"", "\"acme/w\"", "[0].number: '-5': expected a positive integer"},
	        {"0", "\"alice\"", "\"acme/w\"", "[0].number: '0': expected a positive integer"},
	        {"\"five\"", "\"alice\"", "\"acme/w\"",
	         "[0].number: 'five': expected a positive integer"},
	        {"5", "\"bad login\\nx\"", "\"acme/w\"",
	         "[0].user.login: expected a github account"},
	        {"5", "\"\"", "\"acme/w\"", "[0].user.login: expected a github account"},
	        {"5", "\"a b\"", "\"acme/w\"", "[0].user.login: expected a github account"},
	        /* A no-break space inside looks like "mona" (found in review). */
	        {"5", "\"mo\\u00a0na\"", "\"acme/w\"", "[0].user.login: expected a github account"},
	};
	char json[1024];
	struct result r;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(json, sizeof json, pull, cases[i].number, cases[i].login, cases[i].repo);
		parse_str(&r, json, "github-pulls", NULL);
		assert_error_has(&r, cases[i].error);
		result_free(&r);
	}
	/* The same page with sound values parses. */
	snprintf(json, sizeof json, pull, "5", "\"alice\"", "\"acme/w\"");
	parse_str(&r, json, "github-pulls", NULL);
	assert_int_equal(r.rc, 0);
	result_free(&r);
}

static void wrong_type_names_its_path(void **state)
{
	(void)state;
	struct result r;
	parse_str(&r,
	          "[{\"number\":1,\"head\":{\"sha\":7},\"base\":{},"
	          "\"created_at\":\"2024-01-01T00:00:00Z\"}]",
	          NULL, NULL);
	assert_error_has(&r, "[0].head.sha: expected a string, got a number");
	result_free(&r);

	parse_str(&r, "[{\"number\":1,\"head\":[],\"base\":{}}]", "github-pulls", NULL);
	assert_error_has(&r, "[0].head: expected an object, got an array");
	result_free(&r);

	parse_str(&r, "{\"total_count\":1,\"workflow_runs\":[3]}", NULL, NULL);
	assert_error_has(&r, "workflow_runs[0]: expected a workflow run object");
	result_free(&r);

	parse_str(&r,
	          "{\"ref\":\"refs/heads/x\",\"repository\":{\"full_name\":\"acme/x\"},"
	          "\"commits\":[{\"id\":\"abcdef0\",\"timestamp\":true}]}",
	          NULL, "push");
	assert_error_has(&r, "commits[0].timestamp: expected an RFC 3339 time, got a boolean");
	result_free(&r);

	/* Every event plumb reads names its repository, which scopes it. */
	parse_str(&r, "{\"ref\":\"refs/heads/x\",\"commits\":[]}", NULL, "push");
	assert_error_has(&r, "repository: missing: a push webhook names its repository");
	result_free(&r);

	parse_str(&r,
	          "{\"ref\":\"refs/heads/x\",\"repository\":{\"full_name\":\"acme/x\"},"
	          "\"commits\":{}}",
	          NULL, "push");
	assert_error_has(&r, "commits: expected an array, got an object");
	result_free(&r);

	parse_str(
	        &r,
	        "[{\"id\":1,\"state\":\"MAYBE\",\"submitted_at\":\"2024-01-01T00:00:00Z\","
	        "\"commit_id\":\"abcdef0\",\"pull_request_url\":\"https://api.github.com/repos/a/b/"
	        "pulls/3\"}]",
	        NULL, NULL);
	assert_error_has(&r, "[0].state: unknown value 'MAYBE'");
	result_free(&r);

	parse_str(&r,
	          "{\"total_count\":1,\"workflow_runs\":[{\"id\":5,\"status\":\"paused\",\"created_"
	          "at\":\"2024-01-01T00:00:00Z\"}]}",
	          NULL, NULL);
	assert_error_has(&r, "workflow_runs[0].status: unknown value 'paused': expected one of "
	                     "queued, requested, waiting, pending, in_progress, completed");
	result_free(&r);

	parse_str(&r, "{\"pull_request\":\"nope\",\"repository\":{\"full_name\":\"a/b\"}}", NULL,
	          "pull_request");
	assert_error_has(&r, "pull_request: expected an object, got a string");
	result_free(&r);

	parse_str(&r, "{\"repository\":{\"full_name\":\"a/b\"}}", NULL, "deployment");
	assert_error_has(&r, "deployment: missing");
	result_free(&r);

	/* A review whose pull_request_url names no pull request. */
	parse_str(&r,
	          "[{\"id\":1,\"state\":\"APPROVED\",\"submitted_at\":\"2024-01-01T00:00:00Z\","
	          "\"commit_id\":\"abcdef0\",\"pull_request_url\":\"https://example.com/x\"}]",
	          NULL, NULL);
	assert_error_has(&r, "[0].pull_request_url: expected an API url");
	result_free(&r);
}

/* GitHub's "ghost" takes the place of every deleted account
 * (https://github.com/ghost; the REST list-commits and list-pulls item
 * shapes of docs.github.com/en/rest/commits/commits#list-commits and
 * docs.github.com/en/rest/pulls/pulls#list-pull-requests): no one's
 * account, so a commit keeps its author's email and a pull request has no
 * account, rather than one login holding every deleted account's work. */
static void ghost_is_no_account(void **state)
{
	(void)state;
	struct result r;
	parse_str(&r,
	          "[{\"sha\":\"8dcb09b5b57875f334f61aebed695e2e4193db5e\","
	          "\"url\":\"https://api.github.com/repos/octo/widgets/commits/"
	          "8dcb09b5b57875f334f61aebed695e2e4193db5e\","
	          "\"commit\":{\"author\":{\"name\":\"Mona\",\"email\":\"mona@acme.example\","
	          "\"date\":\"2024-01-01T10:00:00Z\"},\"committer\":{\"name\":\"Mona\","
	          "\"email\":\"mona@acme.example\",\"date\":\"2024-01-01T10:00:00Z\"},"
	          "\"message\":\"x\"},"
	          "\"author\":{\"login\":\"ghost\",\"id\":10137,\"type\":\"User\"},"
	          "\"committer\":{\"login\":\"ghost\",\"id\":10137,\"type\":\"User\"},"
	          "\"parents\":[]}]",
	          NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 1);
	assert_null(r.ev[0].account);
	assert_string_equal(r.ev[0].account_email, "mona@acme.example");
	result_free(&r);

	parse_str(&r,
	          "[{\"url\":\"https://api.github.com/repos/octo/widgets/pulls/3\",\"id\":3,"
	          "\"number\":3,\"state\":\"open\",\"title\":\"t\","
	          "\"user\":{\"login\":\"Ghost\",\"id\":10137,\"type\":\"User\"},"
	          "\"created_at\":\"2024-01-01T10:00:00Z\","
	          "\"head\":{\"ref\":\"f\",\"sha\":\"6dcb09b5b57875f334f61aebed695e2e4193db5e\"},"
	          "\"base\":{\"ref\":\"main\",\"repo\":{\"full_name\":\"octo/widgets\"}}}]",
	          NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 1);
	assert_null(r.ev[0].account);
	assert_null(r.ev[0].account_system);
	assert_false(r.ev[0].bot);
	result_free(&r);
}

/* A login with a blank that shows nothing at an end (a no-break or a
 * zero-width space, as a copy adds one) is read without it: GitHub issues no
 * login with one, and refused it failed the whole page (found in the
 * parsers' hunt).  Blanks alone, or one inside, are still refused. */
static void login_blanks_at_the_ends_trimmed(void **state)
{
	(void)state;
	static const char pull[] =
	        "[{\"url\":\"https://api.github.com/repos/octo/widgets/pulls/3\",\"id\":3,"
	        "\"number\":3,\"state\":\"open\",\"title\":\"t\","
	        "\"user\":{\"login\":\"%s\",\"id\":7,\"type\":\"User\"},"
	        "\"created_at\":\"2024-01-01T10:00:00Z\","
	        "\"head\":{\"ref\":\"f\",\"sha\":\"6dcb09b5b57875f334f61aebed695e2e4193db5e\"},"
	        "\"base\":{\"ref\":\"main\",\"repo\":{\"full_name\":\"octo/widgets\"}}}]";
	const char *trimmed[] = {"mona\\u00a0", "\\u200bmona", "mona\\ufeff", " mona "};
	char json[1024];
	struct result r;
	for (size_t i = 0; i < sizeof trimmed / sizeof *trimmed; i++) {
		snprintf(json, sizeof json, pull, trimmed[i]);
		parse_str(&r, json, "github-pulls", NULL);
		if (r.rc != 0)
			fail_msg("login '%s': %s", trimmed[i], r.err.message);
		assert_string_equal(r.ev[0].account, "mona");
		result_free(&r);
	}
	const char *refused[] = {"\\u00a0", "\\u200b "};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		snprintf(json, sizeof json, pull, refused[i]);
		parse_str(&r, json, "github-pulls", NULL);
		assert_error_has(&r, "[0].user.login: expected a github account");
		result_free(&r);
	}
}

/* A status created without a log URL has "log_url": "" (and an older
 * integration's URL only in target_url): the empty string is no URL. */
static void empty_log_url_falls_back(void **state)
{
	(void)state;
	static const char *const fmt =
	        "[{\"url\":\"https://api.github.com/repos/octo/widgets/deployments/42/statuses/1\","
	        "\"id\":1,\"state\":\"success\",\"environment\":\"production\","
	        "\"created_at\":\"2024-01-01T10:00:00Z\",\"updated_at\":\"2024-01-01T10:00:00Z\","
	        "\"deployment_url\":\"https://api.github.com/repos/octo/widgets/deployments/42\","
	        "\"repository_url\":\"https://api.github.com/repos/octo/widgets\","
	        "\"log_url\":\"%s\",\"target_url\":\"%s\"}]";
	char json[1024];
	struct result r;

	snprintf(json, sizeof json, fmt, "", "https://ci.example.com/run/9");
	parse_str(&r, json, NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 1);
	assert_str(r.ev[0].attrs,
	           "{\"status_id\":\"1\",\"log_url\":\"https://ci.example.com/run/9\"}");
	result_free(&r);

	snprintf(json, sizeof json, fmt, "", "");
	parse_str(&r, json, NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 1);
	assert_str(r.ev[0].attrs, "{\"status_id\":\"1\"}");
	result_free(&r);
}

static void invalid_json_names_line_and_column(void **state)
{
	(void)state;
	struct result r;
	parse_str(&r, "[\n  {\"number\": 1,\n   \"title\": oops}\n]", NULL, NULL);
	assert_error_has(&r, "test.json:3:");
	assert_error_has(&r, "not valid JSON");
	result_free(&r);
}

static void unknown_event_refused(void **state)
{
	(void)state;
	struct result r;
	parse_str(&r, "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}", NULL, NULL);
	assert_error_has(&r, "GitHub webhook event 'ping' is not one plumb reads");
	result_free(&r);

	/* A workflow_job body carries the deployment its job makes: still a
	 * workflow_job's (found in the parsers' hunt: read as a deployment). */
	parse_str(&r,
	          "{\"action\":\"completed\",\"workflow_job\":{\"id\":1},"
	          "\"deployment\":{\"id\":2,\"sha\":\"e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\","
	          "\"environment\":\"production\",\"created_at\":\"2024-01-01T00:00:00Z\"},"
	          "\"repository\":{\"full_name\":\"a/b\"}}",
	          NULL, NULL);
	assert_error_has(&r, "GitHub webhook event 'workflow_job' is not one plumb reads");
	assert_int_equal(r.n, 0);
	result_free(&r);

	/* A deployment_protection_rule body carries the deployment waiting on
	 * the rule, and a deployment_review body the run waiting on the review
	 * (members as GitHub's webhook docs give them): told so, not read as a
	 * deployment and a run (found in the parsers' hunt). */
	static const char *const gated[][2] = {
	        {"{\"action\":\"requested\",\"environment\":\"production\",\"event\":\"push\","
	         "\"deployment_callback_url\":\"https://api.github.com/x\","
	         "\"deployment\":{\"id\":2,\"sha\":\"e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\","
	         "\"environment\":\"production\",\"created_at\":\"2024-01-01T00:00:00Z\"},"
	         "\"pull_requests\":[],\"repository\":{\"full_name\":\"a/b\"}}",
	         "deployment_protection_rule"},
	        {"{\"action\":\"requested\",\"environment\":\"production\","
	         "\"since\":\"2024-01-01T00:00:00Z\",\"reviewers\":[],\"requestor\":null,"
	         "\"workflow_job_run\":{\"id\":3,\"environment\":\"production\"},"
	         "\"workflow_run\":{\"id\":4,\"status\":\"waiting\","
	         "\"created_at\":\"2024-01-01T00:00:00Z\",\"updated_at\":\"2024-01-01T00:00:00Z\"},"
	         "\"repository\":{\"full_name\":\"a/b\"}}",
	         "deployment_review"},
	        {"{\"action\":\"approved\",\"since\":\"2024-01-01T00:00:00Z\","
	         "\"workflow_job_runs\":[{\"id\":3}],\"workflow_run\":{\"id\":4,"
	         "\"status\":\"waiting\",\"created_at\":\"2024-01-01T00:00:00Z\","
	         "\"updated_at\":\"2024-01-01T00:00:00Z\"},\"repository\":{\"full_name\":\"a/b\"}}",
	         "deployment_review"},
	        {"{\"action\":\"rejected\",\"since\":\"2024-01-01T00:00:00Z\","
	         "\"workflow_run\":{\"id\":4,\"status\":\"waiting\","
	         "\"created_at\":\"2024-01-01T00:00:00Z\",\"updated_at\":\"2024-01-01T00:00:00Z\"},"
	         "\"repository\":{\"full_name\":\"a/b\"}}",
	         "deployment_review"},
	};
	for (size_t i = 0; i < sizeof gated / sizeof gated[0]; i++) {
		char want[128];
		snprintf(want, sizeof want, "GitHub webhook event '%s' is not one plumb reads",
		         gated[i][1]);
		parse_str(&r, gated[i][0], NULL, NULL);
		assert_error_has(&r, want);
		assert_int_equal(r.n, 0);
		result_free(&r);
		/* Named as the event it resembles, the body says otherwise. */
		parse_str(&r, gated[i][0], NULL, i ? "workflow_run" : "deployment");
		assert_error_has(&r, gated[i][1]);
		assert_int_equal(r.n, 0);
		result_free(&r);
	}

	parse_str(&r, "{\"action\":\"x\",\"repository\":{\"full_name\":\"a/b\"}}", "github-webhook",
	          "bogus_event");
	assert_error_has(&r, "'bogus_event'");
	assert_error_has(&r, "push, pull_request, pull_request_review, deployment, "
	                     "deployment_status, workflow_run");
	result_free(&r);

	/* A body that names no event the parser can tell. */
	parse_str(&r, "{\"repository\":{\"full_name\":\"a/b\"}}", NULL, NULL);
	assert_error_has(&r, "cannot tell which GitHub webhook event");
	result_free(&r);

	/* An unknown format. */
	parse_str(&r, "[]", "github-issues", NULL);
	assert_error_has(&r, "unknown format 'github-issues'");
	result_free(&r);
}

static void hostile_shapes_do_not_crash(void **state)
{
	(void)state;
	static const char *const docs[] = {
	        "null",
	        "0",
	        "\"x\"",
	        "[null]",
	        "[[]]",
	        "[1,2]",
	        "{}",
	        "{\"workflow_runs\":7}",
	        "[{\"number\":1e300,\"head\":{},\"base\":{}}]",
	        "[{\"sha\":\"x\",\"commit\":{\"author\":{\"date\":\"2024-01-01\"}},\"parents\":[1]}"
	        "]",
	        "[{\"sha\":\"x\",\"commit\":{\"author\":{\"date\":\"2024-01-01\"}},\"parents\":{}}"
	        "]",
	        "[{\"deployment_url\":\"https://h/repos//deployments/\",\"state\":\"success\","
	        "\"created_at\":\"2024-01-01T00:00:00Z\"}]",
	        "[{\"deployment_url\":\"https://h/repos/a/b/deployments/"
	        "12x\",\"state\":\"success\","
	        "\"created_at\":\"2024-01-01T00:00:00Z\"}]",
	};
	static const char *const formats[] = {NULL,
	                                      "github-pulls",
	                                      "github-reviews",
	                                      "github-commits",
	                                      "github-deployments",
	                                      "github-deployment-statuses",
	                                      "github-workflow-runs",
	                                      "github-webhook"};
	for (size_t d = 0; d < sizeof docs / sizeof docs[0]; d++)
		for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
			struct result r;
			parse_str(&r, docs[d], formats[f], f == 7 ? "push" : NULL);
			if (r.rc)
				assert_int_equal(r.rc, ERR_INVALID);
			result_free(&r);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(pulls_page),
	        cmocka_unit_test(reviews_page),
	        cmocka_unit_test(commits_page),
	        cmocka_unit_test(deployments_page),
	        cmocka_unit_test(deployment_statuses_page),
	        cmocka_unit_test(workflow_runs_page),
	        cmocka_unit_test(webhook_pull_request_merged),
	        cmocka_unit_test(webhook_review_emits_pull_and_review),
	        cmocka_unit_test(webhook_push),
	        cmocka_unit_test(webhook_deployment_status_failure),
	        cmocka_unit_test(webhook_workflow_run_queued),
	        cmocka_unit_test(enterprise_urls_name_the_repository),
	        cmocka_unit_test(workflow_conclusions_map),
	        cmocka_unit_test(empty_array_is_an_empty_page),
	        cmocka_unit_test(shared_rest),
	        cmocka_unit_test(shared_pull_requests),
	        cmocka_unit_test(shared_push_deploy_runs),
	        cmocka_unit_test(shared_unsupported_events_refused),
	        cmocka_unit_test(bad_time_names_its_path),
	        cmocka_unit_test(wrong_type_names_its_path),
	        cmocka_unit_test(bad_keys_are_refused),
	        cmocka_unit_test(ghost_is_no_account),
	        cmocka_unit_test(empty_log_url_falls_back),
	        cmocka_unit_test(invalid_json_names_line_and_column),
	        cmocka_unit_test(unknown_event_refused),
	        cmocka_unit_test(login_blanks_at_the_ends_trimmed),
	        cmocka_unit_test(hostile_shapes_do_not_crash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
