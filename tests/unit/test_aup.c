/*
 * test_aup: the acceptable-use engine on a real SQLite database.  Each rule
 * whose callers arrive with later issues (evidence, evaluations, curves,
 * compensation) is driven through its check function inside an operation:
 * the refusal is ERR_POLICY naming the rule, and the operation's end
 * records a policy.refused audit entry on rule:NAME; an allowed case
 * passes and records nothing.  Also: every rule has a unique name and text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "core/aup.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/policy.h"
#include "metrics/catalog.h"
#include "store/store.h"
#include "testutil.h"

static char dir[64], db[128], key[128];
static struct ctx *admin;

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/plumb-aup-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/x.db", dir);
	snprintf(key, sizeof key, "%s/k.key", dir);
	struct ctx_options o = {.db_url = db, .create = true, .audit_key_path = key};
	struct error err = {0};
	if (ctx_open(&o, &admin, &err) < 0)
		fail_msg("ctx_open: %s", err.message);
	struct db_init_result res;
	if (db_init(admin, &res, &err) < 0)
		fail_msg("db_init: %s", err.message);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ctx_close(admin);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int64_t count(const char *sql)
{
	int64_t n = -1;
	bool found;
	struct error err = {0};
	if (store_query_int(admin->store, sql, &n, &found, &err) < 0)
		fail_msg("%s: %s", sql, err.message);
	return n;
}

static int64_t refusals(const char *rule)
{
	char sql[256];
	snprintf(sql, sizeof sql,
	         "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.refused' AND "
	         "object_type = 'rule' AND object_id = '%s'",
	         rule);
	return count(sql);
}

/* One check run inside an operation, as a service would. */
typedef int (*check_fn)(struct ctx *ctx, struct error *err);
static int body(struct ctx *ctx, void *arg, struct error *err)
{
	return ((check_fn)arg)(ctx, err);
}

static void expect_refused(check_fn check, enum aup_rule rule)
{
	const char *name = aup_rule(rule)->name;
	int64_t before = refusals(name);
	struct error err = {0};
	int rc = ctx_run(admin, OP_POLICY_RULES, body, (void *)check, &err);
	assert_int_equal(rc, ERR_POLICY);
	char prefix[128];
	snprintf(prefix, sizeof prefix, "refused by acceptable-use rule %s: ", name);
	if (strncmp(err.message, prefix, strlen(prefix)) != 0)
		fail_msg("message does not name the rule: %s", err.message);
	assert_int_equal(refusals(name), before + 1);
}

static void expect_allowed(check_fn check)
{
	int64_t before = count("SELECT COUNT(*) FROM audit_log");
	struct error err = {0};
	int rc = ctx_run(admin, OP_POLICY_RULES, body, (void *)check, &err);
	if (rc != 0)
		fail_msg("refused: %s", err.message);
	assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), before);
}

static void rule_table(void **state)
{
	(void)state;
	int n;
	const struct aup_rule_def *r = aup_rules(&n);
	assert_int_equal(n, AUP_RULE_COUNT_);
	for (int i = 0; i < n; i++) {
		assert_int_equal(r[i].id, i);
		assert_true(strlen(r[i].name) > 3 && strlen(r[i].forbids) > 10 &&
		            strlen(r[i].applies_to) > 3);
		for (int k = 0; k < i; k++)
			assert_string_not_equal(r[i].name, r[k].name);
	}
	assert_string_equal(aup_rule(AUP_TEAM_METRIC_ON_PERSON)->name, "team-metric-on-person");
}

static int incident_against(struct ctx *c, struct error *e)
{
	return aup_check_evidence(c, "E101", "incident", true, e);
}
static int incident_for(struct ctx *c, struct error *e)
{
	return aup_check_evidence(c, "E101", "incident", false, e);
}
static int deploys_against(struct ctx *c, struct error *e)
{
	return aup_check_evidence(c, "E101", "deployment", true, e);
}

static void incident_negative_evidence(void **state)
{
	(void)state;
	expect_refused(incident_against, AUP_INCIDENT_NEGATIVE_EVIDENCE);
	expect_allowed(incident_for);
	expect_allowed(deploys_against);
}

static int metrics_alone(struct ctx *c, struct error *e)
{
	return aup_check_evaluation_basis(c, "E101", 3, 0, e);
}
static int with_rating(struct ctx *c, struct error *e)
{
	return aup_check_evaluation_basis(c, "E101", 3, 1, e);
}

static void metrics_only_evaluation(void **state)
{
	(void)state;
	expect_refused(metrics_alone, AUP_METRICS_ONLY_EVALUATION);
	expect_allowed(with_rating);
}

static int team_metric(struct ctx *c, struct error *e)
{
	return aup_check_metric_for_person(c, "lead_time", "org,team,service", "E101",
	                                   "attached as evidence to", e);
}
static int individual_metric(struct ctx *c, struct error *e)
{
	return aup_check_metric_for_person(c, "my_prs", "team,individual", "E101", "computed for",
	                                   e);
}

static void team_metric_on_person(void **state)
{
	(void)state;
	expect_refused(team_metric, AUP_TEAM_METRIC_ON_PERSON);
	expect_allowed(individual_metric);
}

static const char policy_text[] =
        "name: test\n"
        "signoff:\n  approvers: [L1, L2]\n  required: 2\n"
        "forced_ranking: allowed\n"
        "mechanisms:\n"
        "  - key: keys\n    name: Keystrokes\n    purpose: none\n    categories: [events]\n"
        "    enabled: false\n    prohibited: true\n"
        "  - key: commits\n    name: Commits\n    purpose: lead time\n"
        "    categories: [events]\n    enabled: true\n"
        "retention:\n  events: {days: 10, action: delete}\n"
        "countries:\n  FR:\n    forced_ranking: forbidden\n";

static struct policy parsed;
static struct arena *policy_arena;

static int curve_fr(struct ctx *c, struct error *e)
{
	return aup_check_forced_ranking(c, &parsed, "FR", e);
}
static int curve_us(struct ctx *c, struct error *e)
{
	return aup_check_forced_ranking(c, &parsed, "US", e);
}
static int approve_keys(struct ctx *c, struct error *e)
{
	return aup_check_mechanism(c, policy_mechanism(&parsed, "keys"), "approved", e);
}
static int approve_commits(struct ctx *c, struct error *e)
{
	return aup_check_mechanism(c, policy_mechanism(&parsed, "commits"), "approved", e);
}

static void policy_rules(void **state)
{
	(void)state;
	policy_arena = arena_create();
	struct error err = {0};
	if (policy_parse("t.yaml", policy_text, strlen(policy_text), policy_arena, &parsed, &err) <
	    0)
		fail_msg("policy_parse: %s", err.message);
	expect_refused(curve_fr, AUP_FORCED_RANKING_FORBIDDEN);
	expect_allowed(curve_us);
	expect_refused(approve_keys, AUP_PROHIBITED_MECHANISM);
	expect_allowed(approve_commits);
	arena_destroy(policy_arena);
}

static const char metric_text[] = "key: bonus_prs\nname: Bonus PRs\ndescription: merged PRs\n"
                                  "unit: prs/week\ndirection: higher\nindicator: leading\n"
                                  "stakeholders: [development]\nowner: dx\n"
                                  "objectives: [efficiency]\nincentive_linked: true\n"
                                  "formula:\n  count: pull_request\n";

static int use_bonus(struct ctx *c, struct error *e)
{
	return aup_check_incentive_use(c, "bonus_prs", "promotion", e);
}
static int use_lead_time(struct ctx *c, struct error *e)
{
	return aup_check_incentive_use(c, "lead_time", "promotion", e);
}

static void incentive_needs_signoff(void **state)
{
	(void)state;
	struct error err = {0};
	struct catalog_define_result def;
	if (catalog_define(admin, "m.yaml", metric_text, strlen(metric_text), &def, &err) < 0)
		fail_msg("define: %s", err.message);
	struct catalog_decide_result dec;
	if (catalog_decide(admin, "bonus_prs", 1, "development", CATALOG_APPROVE, NULL, &dec,
	                   &err) < 0)
		fail_msg("approve: %s", err.message);
	assert_string_equal(dec.status, "active");
	expect_refused(use_bonus, AUP_INCENTIVE_NEEDS_SIGNOFF);
	/* Not incentive-linked: no sign-off needed. */
	expect_allowed(use_lead_time);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(rule_table),
	        cmocka_unit_test(incident_negative_evidence),
	        cmocka_unit_test(metrics_only_evaluation),
	        cmocka_unit_test(team_metric_on_person),
	        cmocka_unit_test(policy_rules),
	        cmocka_unit_test(incentive_needs_signoff),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
