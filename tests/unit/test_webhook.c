/*
 * test_webhook: the three webhook signature checks against published and
 * independently computed vectors, and malformed headers (a non-match, never
 * a crash); what a delivery is before it is read, and a github source's
 * repository scope; the webhook queue's file names.  webhook_receive
 * itself is covered by tests/cli/cases/webhook-*.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>
#include <sodium.h>

#include "base/arena.h"
#include "ingest/parse.h"
#include "ingest/source.h"
#include "ingest/webhook.h"
#include "ingest/webhook_queue.h"
#include "testutil.h"

/* GitHub's own example, from "Validating webhook deliveries":
 * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries */
#define GH_SECRET  "It's a Secret to Everybody"
#define GH_PAYLOAD "Hello, World!"
#define GH_SIG     "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"

/* PagerDuty v3: expected values computed outside plumb with
 *   printf '%s' "$PD_BODY" | openssl dgst -sha256 -hmac old-secret   (and new-secret) */
#define PD_BODY "{\"event\":{\"id\":\"01BZ\",\"event_type\":\"incident.triggered\"}}"
#define PD_OLD  "c3bee502a2c4e7b739be8f0d751574f1e8921637f054b85de7a27b1b8dbd77ca"
#define PD_NEW  "885e820aeb470585cbbbecae9fbbf0dd6c9cd2efe859e485b778ab5dd3904cc3"

static int gh(const char *header, const char *const *secrets, size_t n)
{
	return webhook_github_match(header, GH_PAYLOAD, strlen(GH_PAYLOAD), secrets, n);
}

static int pd(const char *header, const char *const *secrets, size_t n)
{
	return webhook_pagerduty_match(header, PD_BODY, strlen(PD_BODY), secrets, n);
}

static void github_docs_example(void **state)
{
	(void)state;
	const char *one[] = {GH_SECRET};
	assert_int_equal(gh(GH_SIG, one, 1), 0);
	/* Hex in upper case is the same digest. */
	assert_int_equal(
	        gh("sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17", one,
	           1),
	        0);
	/* The body is signed byte for byte: one byte more is another digest. */
	assert_int_equal(
	        webhook_github_match(GH_SIG, GH_PAYLOAD "\n", strlen(GH_PAYLOAD) + 1, one, 1), -1);
}

static void github_picks_the_secret_that_signed(void **state)
{
	(void)state;
	const char *secrets[] = {"another", NULL, "", GH_SECRET, GH_SECRET};
	/* Unset and empty secrets are skipped; the first that signed wins. */
	assert_int_equal(gh(GH_SIG, secrets, 5), 3);
	const char *wrong[] = {"It's a secret to everybody", "x"};
	assert_int_equal(gh(GH_SIG, wrong, 2), -1);
	assert_int_equal(gh(GH_SIG, NULL, 0), -1);
	/* An empty secret never signs, not even an empty body. */
	const char *empty[] = {""};
	assert_int_equal(
	        webhook_github_match("sha256=b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6"
	                             "c712144292c5ad",
	                             "", 0, empty, 1),
	        -1);
}

static void github_malformed_headers(void **state)
{
	(void)state;
	const char *one[] = {GH_SECRET};
	static const char *const bad[] = {
	        "",
	        "sha256=",
	        "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
	        "SHA256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
	        "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
	        /* one digit short, one long, a non-hex digit, spaces */
	        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",
	        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e170",
	        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1g",
	        "sha256= 757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
	        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17 ",
	        "sha256=757107ea:0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",
	};
	assert_int_equal(gh(NULL, one, 1), -1);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (gh(bad[i], one, 1) != -1)
			fail_msg("accepted '%s'", bad[i]);
	/* A header past the limit is not read at all. */
	char big[WEBHOOK_HEADER_MAX + 64];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big, GH_SIG, strlen(GH_SIG));
	assert_int_equal(gh(big, one, 1), -1);
}

static void pagerduty_single_and_rotation(void **state)
{
	(void)state;
	const char *old[] = {"old-secret"}, *rotated[] = {"new-secret"};
	assert_int_equal(pd("v1=" PD_OLD, old, 1), 0);
	/* While a secret rotates, PagerDuty signs with both: either matches. */
	assert_int_equal(pd("v1=" PD_OLD ",v1=" PD_NEW, old, 1), 0);
	assert_int_equal(pd("v1=" PD_OLD ",v1=" PD_NEW, rotated, 1), 0);
	assert_int_equal(pd("v1=" PD_OLD ", v1=" PD_NEW, rotated, 1), 0);
	/* The second value matches after a bad first one, and an unknown
	 * version or an empty item is skipped. */
	assert_int_equal(pd("v1=zz,v1=" PD_NEW, rotated, 1), 0);
	assert_int_equal(pd("v2=" PD_OLD ",,v1=" PD_NEW, rotated, 1), 0);
	/* Several sources: the index of the one whose secret signed. */
	const char *sources[] = {"nope", NULL, "new-secret"};
	assert_int_equal(pd("v1=" PD_OLD ",v1=" PD_NEW, sources, 3), 2);
	const char *wrong[] = {"other-secret"};
	assert_int_equal(pd("v1=" PD_OLD ",v1=" PD_NEW, wrong, 1), -1);
}

static void pagerduty_malformed_headers(void **state)
{
	(void)state;
	const char *old[] = {"old-secret"};
	static const char *const bad[] = {
	        "",
	        ",",
	        "v1=",
	        "v1",
	        PD_OLD,
	        "V1=" PD_OLD,
	        "v2=" PD_OLD,
	        "v1=" PD_OLD "0",
	        "v1=c3bee502a2c4e7b739be8f0d751574f1e8921637f054b85de7a27b1b8dbd77c",
	        "v1=c3bee502a2c4e7b739be8f0d751574f1e8921637f054b85de7a27b1b8dbd77cx",
	        "v1=" PD_OLD ";v1=" PD_NEW,
	        "sha256=" PD_OLD,
	};
	assert_int_equal(pd(NULL, old, 1), -1);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (pd(bad[i], old, 1) != -1)
			fail_msg("accepted '%s'", bad[i]);
	/* Many values: only the first few are read, so a long list cannot
	 * make plumb compare forever (the match here is past them). */
	char many[WEBHOOK_HEADER_MAX];
	size_t at = 0;
	for (int i = 0; i < 20; i++)
		at += (size_t)snprintf(many + at, sizeof many - at, "v1=%s,", PD_NEW);
	snprintf(many + at, sizeof many - at, "v1=%s", PD_OLD);
	assert_int_equal(pd(many, old, 1), -1);
	/* Malformed values count too (found in review: twenty "v1=00" were
	 * skipped without counting, and the match after them was read). */
	at = 0;
	for (int i = 0; i < 20; i++)
		at += (size_t)snprintf(many + at, sizeof many - at, "v1=00,");
	snprintf(many + at, sizeof many - at, "v1=%s", PD_OLD);
	assert_int_equal(pd(many, old, 1), -1);
	/* Fifteen of them, then the match: within the first sixteen. */
	at = 0;
	for (int i = 0; i < 15; i++)
		at += (size_t)snprintf(many + at, sizeof many - at, "v1=00,");
	snprintf(many + at, sizeof many - at, "v1=%s", PD_OLD);
	assert_int_equal(pd(many, old, 1), 0);
}

static void bearer_tokens(void **state)
{
	(void)state;
	const char *secrets[] = {NULL, "deploy-token-1", "deploy-token-2"};
	assert_int_equal(webhook_bearer_match("Bearer deploy-token-2", secrets, 3), 2);
	assert_int_equal(webhook_bearer_match("bearer deploy-token-1", secrets, 3), 1);
	assert_int_equal(webhook_bearer_match("Bearer  deploy-token-1 ", secrets, 3), 1);
	static const char *const bad[] = {
	        "",
	        "Bearer",
	        "Bearer ",
	        "deploy-token-1",
	        "Basic deploy-token-1",
	        "Bearer deploy-token-",
	        "Bearer deploy-token-10",
	        "Bearer DEPLOY-TOKEN-1",
	        "Bearerdeploy-token-1",
	};
	assert_int_equal(webhook_bearer_match(NULL, secrets, 3), -1);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (webhook_bearer_match(bad[i], secrets, 3) != -1)
			fail_msg("accepted '%s'", bad[i]);
	const char *empty[] = {""};
	assert_int_equal(webhook_bearer_match("Bearer x", empty, 1), -1);
}

/* --repo names exactly; --org with --include and --exclude filters names;
 * both in any case, as GitHub compares names. */
static void github_repository_scope(void **state)
{
	(void)state;
	cJSON *repos = cJSON_Parse("{\"repos\": [\"acme/widgets\", \"acme/Ledger\"]}");
	assert_true(source_github_wants(repos, "acme/widgets"));
	assert_true(source_github_wants(repos, "ACME/ledger"));
	assert_false(source_github_wants(repos, "acme/other"));
	assert_false(source_github_wants(repos, "other/widgets"));
	assert_false(source_github_wants(repos, "acme"));
	assert_false(source_github_wants(repos, NULL));
	cJSON_Delete(repos);
	cJSON *org = cJSON_Parse("{\"org\": \"acme\", \"exclude\": [\"hr-*\"]}");
	assert_true(source_github_wants(org, "acme/payments"));
	assert_true(source_github_wants(org, "Acme/payments"));
	assert_false(source_github_wants(org, "acme/hr-salaries"));
	assert_false(source_github_wants(org, "acme/HR-Salaries"));
	assert_false(source_github_wants(org, "acmex/payments"));
	assert_false(source_github_wants(org, "acm/payments"));
	cJSON_Delete(org);
	cJSON *inc = cJSON_Parse(
	        "{\"org\": \"acme\", \"include\": [\"svc-*\"], \"exclude\": [\"svc-old*\"]}");
	assert_true(source_github_wants(inc, "acme/svc-pay"));
	assert_true(source_github_wants(inc, "acme/SVC-Pay"));
	assert_false(source_github_wants(inc, "acme/web"));
	assert_false(source_github_wants(inc, "acme/svc-oldpay"));
	cJSON_Delete(inc);
}

static void delivery_look(void **state)
{
	(void)state;
	struct arena *a = arena_create();
	struct parse_delivery d;
	const char *push = "{\"ref\": \"refs/heads/main\", \"commits\": [], "
	                   "\"repository\": {\"full_name\": \"acme/widgets\"}}";
	parse_delivery_look("github", "push", push, strlen(push), a, &d);
	assert_string_equal(d.format, "github-webhook");
	assert_null(d.unread);
	assert_string_equal(d.repository, "acme/widgets");
	parse_delivery_look("github", "issues", push, strlen(push), a, &d);
	assert_string_equal(d.unread, "GitHub event 'issues' is not one plumb reads");
	/* No header: told from the body's shape. */
	const char *issue = "{\"action\": \"opened\", \"issue\": {}}";
	parse_delivery_look("github", NULL, issue, strlen(issue), a, &d);
	assert_string_equal(d.unread, "GitHub event 'issues' is not one plumb reads");
	assert_null(d.repository);
	/* Not JSON: nothing said here, the parser says what is wrong. */
	parse_delivery_look("github", NULL, "nonsense", 8, a, &d);
	assert_string_equal(d.format, "github-webhook");
	assert_null(d.unread);
	const char *ping = "{\"event\": {\"event_type\": \"pagey.ping\"}}";
	parse_delivery_look("pagerduty", NULL, ping, strlen(ping), a, &d);
	assert_string_equal(d.format, "pagerduty-webhook");
	assert_string_equal(d.unread, "PagerDuty event 'pagey.ping' is not an incident event");
	const char *inc = "{\"event\": {\"event_type\": \"incident.triggered\"}}";
	parse_delivery_look("pagerduty", NULL, inc, strlen(inc), a, &d);
	assert_null(d.unread);
	parse_delivery_look("deploy", NULL, " \n{}", 4, a, &d);
	assert_string_equal(d.format, "deploy-json");
	parse_delivery_look("deploy", NULL, "service,environment", 19, a, &d);
	assert_string_equal(d.format, "deploy-csv");
	arena_destroy(a);
}

/* Deliveries two servers sharing a queue put at once, all at one time:
 * each took the newest's time plus one, and theirs sorted by pid, unpadded
 * ("10" before "9"), not as they came.  Names are made under the
 * directory's lock: each time is one delivery's, each name as long as the
 * others, and each process's sort in the order it put them. */
#define QUEUE_PUTS 40
static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void queue_names_sort_as_deliveries_came(void **state)
{
	(void)state;
	char dir[] = "/tmp/plumb-queue.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char queue[300];
	snprintf(queue, sizeof queue, "%s/q", dir);
	pid_t kids[2];
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		assert_true(kids[k] >= 0);
		if (kids[k] > 0)
			continue;
		for (int i = 0; i < QUEUE_PUTS; i++) {
			char body[32];
			snprintf(body, sizeof body, "%d %03d", k, i);
			struct webhook_queue_item item = {.kind = "deploy",
			                                  .source = "hooks",
			                                  .origin = "test",
			                                  .received_at = 1000,
			                                  .body = body,
			                                  .len = strlen(body)};
			struct error err = {0};
			if (webhook_queue_put(queue, &item, &err) < 0)
				_exit(1);
		}
		_exit(0);
	}
	for (int k = 0; k < 2; k++) {
		int status;
		assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	DIR *d = opendir(queue);
	assert_non_null(d);
	char *names[2 * QUEUE_PUTS + 1];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (strstr(e->d_name, ".delivery") && n < 2 * QUEUE_PUTS + 1)
			names[n++] = strdup(e->d_name);
	closedir(d);
	assert_int_equal(n, 2 * QUEUE_PUTS);
	qsort(names, n, sizeof names[0], by_string);
	int next[2] = {0, 0};
	size_t width = strlen(names[0]);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(strlen(names[i]), width);
		if (i) /* each time one delivery's */
			assert_true(strncmp(names[i - 1], names[i], 16) < 0);
		char path[700], line[256];
		snprintf(path, sizeof path, "%s/%s", queue, names[i]);
		FILE *f = fopen(path, "r");
		assert_non_null(f);
		assert_non_null(fgets(line, sizeof line, f)); /* the header */
		int k = -1, at = -1;
		assert_int_equal(fscanf(f, "%d %d", &k, &at), 2);
		fclose(f);
		assert_true(k == 0 || k == 1);
		assert_int_equal(at, next[k]++);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	remove_tree(dir);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(github_docs_example),
	        cmocka_unit_test(github_picks_the_secret_that_signed),
	        cmocka_unit_test(github_malformed_headers),
	        cmocka_unit_test(pagerduty_single_and_rotation),
	        cmocka_unit_test(pagerduty_malformed_headers),
	        cmocka_unit_test(bearer_tokens),
	        cmocka_unit_test(github_repository_scope),
	        cmocka_unit_test(delivery_look),
	        cmocka_unit_test(queue_names_sort_as_deliveries_came),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
