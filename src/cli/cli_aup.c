/* cli_aup: the acceptable-use rules (policy rules) and the lint of what is
 * configured against the policy (policy check). */
#include <inttypes.h>

#include "base/jw.h"
#include "base/sb.h"
#include "cli/cli.h"
#include "core/aup.h"
#include "core/policylint.h"

/* Exit status of policy check when it finds violations. */
#define CHECK_VIOLATIONS_STATUS 1

static int cmd_rules(struct cli_run *r)
{
	const struct aup_rule_def *rules;
	int n;
	int rc = aup_rules_read(r->ctx, &rules, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (int i = 0; i < n; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "rule", rules[i].name);
			jw_kstr(&w, "forbids", rules[i].forbids);
			jw_kstr(&w, "applies_to", rules[i].applies_to);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"rule", "forbids", "applies to"};
	struct cli_table t;
	cli_table_init(&t, headers, 3);
	for (int i = 0; i < n; i++)
		cli_table_add(&t, rules[i].name, rules[i].forbids, rules[i].applies_to);
	cli_table_print(r, &t);
	cli_table_release(&t);
	return 0;
}

static int cmd_check(struct cli_run *r)
{
	struct policylint_report rep;
	int rc = policylint_run(r->ctx, &rep, &r->err);
	if (rc < 0)
		return rc;
	if (rep.nviolations)
		r->found_status = CHECK_VIOLATIONS_STATUS;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kint(&w, "policy_version", rep.policy_version);
		jw_kbool(&w, "ok", rep.nviolations == 0);
		jw_key(&w, "notes");
		jw_array_begin(&w);
		for (size_t i = 0; i < rep.nnotes; i++)
			jw_str(&w, rep.notes[i]);
		jw_array_end(&w);
		jw_key(&w, "violations");
		jw_array_begin(&w);
		for (size_t i = 0; i < rep.nviolations; i++) {
			const struct policylint_violation *v = &rep.violations[i];
			jw_object_begin(&w);
			jw_kstr(&w, "rule", v->rule);
			jw_kstr(&w, "area", v->area);
			jw_kstr(&w, "object", v->object);
			jw_kstr(&w, "message", v->message);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	if (rep.policy_version)
		fprintf(r->out, "checked against policy version %d\n", rep.policy_version);
	for (size_t i = 0; i < rep.nnotes; i++)
		fprintf(r->out, "note: %s\n", rep.notes[i]);
	for (size_t i = 0; i < rep.nviolations; i++) {
		const struct policylint_violation *v = &rep.violations[i];
		fprintf(r->out, "%s: %s: %s\n", v->rule, v->object, v->message);
	}
	fprintf(r->out, "%zu %s\n", rep.nviolations,
	        cli_plural((int64_t)rep.nviolations, "violation", "violations"));
	return 0;
}

static const struct cli_command commands[] = {
        {"policy rules", OP_POLICY_RULES, "", 0, 0, CMD_JSON, NULL, cmd_rules,
         "list the acceptable-use rules the core enforces",
         "Each rule with what it forbids and which objects it guards.  A violation is "
         "refused with exit status 3 (HTTP 403) and a message naming the rule, and the "
         "refusal is audited as policy.refused.  docs/governance.md explains each."},
        {"policy check", OP_POLICY_CHECK, "", 0, 0, CMD_JSON, NULL, cmd_check,
         "lint the framework, metrics, mechanisms and settings against the policy",
         "Lists every violation with the rule it breaks and the object: incentive-linked "
         "metrics without an approved, unexpired sign-off, metrics meant for individuals "
         "without the individual scope, prohibited mechanisms enabled or approved, enabled "
         "mechanisms missing an approval for a country where people work, consent-required "
         "mechanisms nobody consented to, an impossible sign-off quorum, approvers who are "
         "not leaders, masking below 2 people and a missing central owner.  Exits 1 when it "
         "finds any violation, 0 when there is none; over the API the answer is 200 with "
         "\"ok\": false."},
};

const struct cli_group cli_group_aup = {"acceptable use", commands,
                                        sizeof commands / sizeof commands[0]};
