/*
 * test_policy: the policy's query functions honour country overrides and
 * defaults, and the event kinds a mechanism may name are ingestion's kinds.
 * Parsing errors and storage are covered by tests/cli/cases/policy-*.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "core/policy.h"
#include "ingest/event.h"

static const char doc[] = "name: test\n"
                          "forced_ranking: allowed\n"
                          "signoff: {approvers: [E1, E2], required: 2}\n"
                          "mechanisms:\n"
                          "  - key: commits\n"
                          "    name: Commits\n"
                          "    purpose: lead time\n"
                          "    event_kinds: [commit]\n"
                          "    enabled: true\n"
                          "  - key: calendar\n"
                          "    name: Calendar\n"
                          "    purpose: meeting load\n"
                          "    enabled: false\n"
                          "    consent: required\n"
                          "    without_consent: pseudonymize\n"
                          "    approval: leadership\n"
                          "retention:\n"
                          "  events: {days: 1095}\n"
                          "  audit_log: {days: 3650}\n"
                          "countries:\n"
                          "  DE:\n"
                          "    approvals: {commits: works-council}\n"
                          "    forced_ranking: forbidden\n"
                          "    retention: {events: {days: 730, action: anonymize}}\n";

static void kinds_are_ingestions(void **state)
{
	(void)state;
	size_t n = 0;
	while (policy_event_kinds[n])
		n++;
	assert_int_equal(n, EVENT_KIND_COUNT);
	for (int k = 0; k < EVENT_KIND_COUNT; k++)
		assert_string_equal(policy_event_kinds[k], event_kind_name((enum event_kind)k));
}

static void queries_honour_countries(void **state)
{
	(void)state;
	struct arena *a = arena_create();
	struct policy p;
	struct error err = {0};
	assert_int_equal(policy_parse("t.yaml", doc, strlen(doc), a, &p, &err), 0);

	const struct policy_mechanism *m = policy_mechanism_for_kind(&p, "commit");
	assert_non_null(m);
	assert_string_equal(m->key, "commits");
	assert_null(policy_mechanism_for_kind(&p, "incident")); /* no mechanism: not governed */
	assert_int_equal(policy_mechanism_approval(&p, m, "DE"), POLICY_APPROVAL_WORKS_COUNCIL);
	assert_int_equal(policy_mechanism_approval(&p, m, "FR"), POLICY_APPROVAL_NONE);
	assert_int_equal(policy_mechanism_approval(&p, m, NULL), POLICY_APPROVAL_NONE);
	const struct policy_mechanism *cal = policy_mechanism(&p, "calendar");
	assert_true(cal->consent_required);
	assert_int_equal(cal->without_consent, POLICY_PSEUDONYMIZE);
	assert_false(cal->delete_on_withdrawal); /* on_withdrawal defaults to keep */
	assert_int_equal(policy_mechanism_approval(&p, cal, "DE"), POLICY_APPROVAL_LEADERSHIP);

	struct policy_retention r = policy_retention_for(&p, POLICY_CAT_EVENTS, "DE");
	assert_int_equal(r.days, 730);
	assert_int_equal(r.action, POLICY_RETAIN_ANONYMIZE);
	r = policy_retention_for(&p, POLICY_CAT_EVENTS, "US");
	assert_int_equal(r.days, 1095);
	assert_int_equal(r.action, POLICY_RETAIN_DELETE);
	r = policy_retention_for(&p, POLICY_CAT_AUDIT_LOG, "DE");
	assert_int_equal(r.days, 3650);
	assert_int_equal(r.action, POLICY_RETAIN_ANONYMIZE); /* the audit log's default */
	r = policy_retention_for(&p, POLICY_CAT_RATINGS, NULL);
	assert_int_equal(r.days, 0); /* not named: kept without limit */

	assert_false(policy_forced_ranking_allowed(&p, "DE"));
	assert_true(policy_forced_ranking_allowed(&p, "US"));
	assert_true(policy_signoff_approver(&p, "E2"));
	assert_false(policy_signoff_approver(&p, "E3"));
	assert_true(policy_demographics_reader(&p, "people-partner")); /* the default readers */
	assert_false(policy_demographics_reader(&p, "admin"));
	assert_int_equal(p.min_aggregate_people, 5);
	assert_true(p.federated);
	arena_destroy(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(kinds_are_ingestions),
	        cmocka_unit_test(queries_honour_countries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
