# A custom definition from YAML is proposed until each stakeholder function approves; an
# objection blocks it with its reason visible; the last approval activates it.  Changing it is
# a new version (the old one stays active until the new one is approved, then is deprecated);
# the same file again changes nothing.  One user speaks for one function of a version (admin
# for development, the leader H001 for operations), and a new version needs the functions of
# the version in use too.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person H001 --role leader
cp "$ROOT/examples/metrics/deploy-rework-rate.yaml" def.yaml
ok metrics define def.yaml
expect_out "metric deploy_rework_rate version 1 proposed"
expect_out "mapped to objective reliability"
[ "$(sql "SELECT status || ' ' || builtin || ' ' || created_by FROM metric_defs WHERE key = 'deploy_rework_rate'")" = "proposed 0 admin" ] ||
	fail "not stored as proposed"
[ "$(sql "SELECT formula FROM metric_defs WHERE key = 'deploy_rework_rate'")" = \
	'{"builtin":"change_failure_rate","params":{"environments":["production"],"failure_window_hours":24}}' ] ||
	fail "formula not canonical: $(sql "SELECT formula FROM metric_defs WHERE key = 'deploy_rework_rate'")"
[ "$(sql "SELECT source_text FROM metric_defs WHERE key = 'deploy_rework_rate'" | grep -c 'key: deploy_rework_rate')" = 1 ] ||
	fail "source text not kept"
ok metrics proposals --json
expect_json 'length' 1
expect_json '.[0] | "\(.key) \(.version) \(.blocked) \([.approvals[].decision] | join(","))"' "deploy_rework_rate 1 false pending,pending"
# Not computed while proposed: the catalogue shows it as proposed.
ok metrics catalog --json
expect_json '.[] | select(.key == "deploy_rework_rate") | .status' proposed
# The same file again: a no-op, not audited.
entries=$(sql "SELECT COUNT(*) FROM audit_log")
ok metrics define def.yaml
expect_out "metric deploy_rework_rate unchanged (version 1, proposed)"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "an unchanged define was audited"
[ "$(sql "SELECT COUNT(*) FROM metric_defs WHERE key = 'deploy_rework_rate'")" = 1 ] || fail "an unchanged define stored a version"
# Only its stakeholder functions decide; an objection needs a reason.
run metrics approve deploy_rework_rate --version 1 --function finance
expect_status 2
expect_err "finance is not a stakeholder function of deploy_rework_rate"
expect_err "development,operations"
run metrics object deploy_rework_rate --version 1 --function operations
expect_status 2
expect_err "needs --reason"
run metrics approve deploy_rework_rate --version 7 --function development
expect_status 4
ok metrics approve deploy_rework_rate --version 1 --function development
expect_out "waiting for operations"
# One user may not speak for a second function of the same version (found in audit: one
# user approved for every function).
run metrics object deploy_rework_rate --version 1 --function operations --reason "count incidents too"
expect_status 5
expect_err "admin already decided for development on version 1 of deploy_rework_rate"
expect_err "one user speaks for one stakeholder function of a version"
ok --as H001 metrics object deploy_rework_rate --version 1 --function operations --reason "count incidents too"
expect_out "blocked"
ok metrics proposals --json
expect_json '.[0].blocked' true
expect_json '.[0].approvals[] | select(.function == "operations") | "\(.decision) \(.reason) \(.decided_by)"' "objected count incidents too H001"
ok metrics proposals
expect_out "blocked"
expect_out "count incidents too"
[ "$(sql "SELECT status FROM metric_defs WHERE key = 'deploy_rework_rate'")" = proposed ] || fail "activated despite an objection"
# The objecting function approves once satisfied: the version becomes active, and its next
# review counts from that day, not from the day it was defined (found in audit).
PLUMB_NOW=2030-01-10T12:00:00Z ok --as H001 metrics approve deploy_rework_rate --version 1 --function operations --reason "incidents are in the formula's window"
expect_out "now active; next review 2030-04-10"
ok metrics show-def deploy_rework_rate --json
expect_json '.next_review' 2030-04-10
ok metrics proposals --json
expect_json 'length' 0
ok metrics show-def deploy_rework_rate --json
expect_json '"\(.status) \(.version) \([.approvals[].decision] | join(","))"' "active 1 approved,approved"
# Approving an active version is a conflict.
run metrics approve deploy_rework_rate --version 1 --function development
expect_status 5
expect_err "version 1 of deploy_rework_rate is active, not proposed"
# A changed definition is version 2, proposed; version 1 stays the one computed.
sed 's/review_interval_days: 90/review_interval_days: 60/' def.yaml >def2.yaml
ok metrics define def2.yaml
expect_out "metric deploy_rework_rate version 2 proposed"
ok metrics catalog --json
expect_json '.[] | select(.key == "deploy_rework_rate") | "\(.version) \(.status) \(.latest_version) \(.latest_status)"' "1 active 2 proposed"
ok metrics show-def deploy_rework_rate --version 2 --json
expect_json '.review_interval_days' 60
# Reordering lists and keys in the file is the same definition.
file def2b.yaml <<'YAML'
formula:
  params: {failure_window_hours: 24, environments: [production]}
  builtin: change_failure_rate
key: deploy_rework_rate
owner: platform-reliability
stakeholders: [operations, development]
name: Deployment rework rate
description: Share of production deployments that were rollbacks or redeploys of a fix.
unit: percent
direction: lower
indicator: lagging
stages: [sunset, growth, mature]
scopes: [service, team, org]
audiences: [team, executives]
objectives: [quality]
review_interval_days: 60
YAML
ok metrics define def2b.yaml
expect_out "unchanged (version 2, proposed)"
ok --as H001 metrics approve deploy_rework_rate --version 2 --function operations
ok metrics approve deploy_rework_rate --version 2 --function development
expect_out "now active (version 1 deprecated)"
[ "$(sql "SELECT version || ' ' || status FROM metric_defs WHERE key = 'deploy_rework_rate' ORDER BY version" | paste -sd, -)" = "1 deprecated,2 active" ] ||
	fail "versions: $(sql "SELECT version || ' ' || status FROM metric_defs WHERE key = 'deploy_rework_rate'")"
# A new version that drops a function still needs it: operations answers for version 2, in
# use, so it decides version 3 too (found in audit: a version could leave out a function).
sed 's/stakeholders: \[development, operations\]/stakeholders: [development]/' def2.yaml >def3.yaml
ok metrics define def3.yaml
expect_out "to approve: development, operations (operations as a stakeholder function of version 2, in use)"
ok metrics approve deploy_rework_rate --version 3 --function development
expect_out "waiting for operations"
ok metrics proposals --json
expect_json '.[0] | "\(.version) \([.approvals[] | "\(.function):\(.decision)"] | join(","))"' "3 development:approved,operations:pending"
expect_json '.[0] | "\(.latest_version) \(.latest_status) \(.review_interval_days) \(.incentive_linked)"' "3 proposed 60 false"
ok --as H001 metrics approve deploy_rework_rate --version 3 --function operations
expect_out "now active (version 2 deprecated)"
ok metrics show-def deploy_rework_rate --json
expect_json '"\(.version) \(.stakeholders | join(",")) \([.approvals[] | "\(.function):\(.decided_by)"] | join(","))"' \
	"3 development development:admin,operations:H001"
# The version in use defined again while a newer one waits takes the proposal back: nothing
# new to approve, the version in use stays active with its review date and sign-offs (found
# trying sequences: it was stored as version 5, a copy of 3 that every function had to
# approve again and that would then deprecate 3).
sed 's/review_interval_days: 60/review_interval_days: 30/' def3.yaml >def4.yaml
ok metrics define def4.yaml
expect_out "metric deploy_rework_rate version 4 proposed"
ok metrics object deploy_rework_rate --version 4 --function development --reason "60 days is often enough"
review3=$(sql "SELECT next_review FROM metric_defs WHERE key = 'deploy_rework_rate' AND version = 3")
ok metrics define def3.yaml
expect_out "metric deploy_rework_rate unchanged (version 3, active)"
expect_out "replaces the proposal of version 4"
[ "$(sql "SELECT version || ' ' || status || ' ' || COALESCE(status_reason, '') FROM metric_defs WHERE key = 'deploy_rework_rate' AND version >= 3 ORDER BY version" | paste -sd, -)" = \
	"3 active ,4 rejected withdrawn: version 3, in use, was defined again" ] ||
	fail "versions after the withdrawal: $(sql "SELECT version || ' ' || status FROM metric_defs WHERE key = 'deploy_rework_rate'" | paste -sd, -)"
[ "$(sql "SELECT next_review FROM metric_defs WHERE key = 'deploy_rework_rate' AND version = 3")" = "$review3" ] ||
	fail "the withdrawal moved the review date of the version in use"
ok metrics proposals --json
expect_json 'length' 0
# Once withdrawn, the same file again changes nothing and records nothing.
entries=$(sql "SELECT COUNT(*) FROM audit_log")
ok metrics define def3.yaml
expect_out "metric deploy_rework_rate unchanged (version 3, active)"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "a define that changed nothing was audited"
# The withdrawn definition proposed again is a new version.
ok metrics define def4.yaml
expect_out "metric deploy_rework_rate version 5 proposed"
# Redefining a built-in key proposes its version 2.
file lead.yaml <<'YAML'
key: lead_time
name: Lead time for changes
description: Time from a change's first commit to production or prod.
unit: hours
direction: lower
indicator: leading
stakeholders: [development, operations]
owner: engineering-effectiveness
formula:
  builtin: lead_time
  params:
    environments: [production, prod]
YAML
# A statistic plumb does not compute is refused, not stored and ignored (found in review: a
# p90 lead time was the median).
sed 's/environments: \[production, prod\]/statistic: p90/' lead.yaml >p90.yaml
run metrics define p90.yaml
expect_status 1
expect_err "p90.yaml:12: field formula.params: statistic does not apply to built-in lead_time"
ok metrics define lead.yaml
expect_out "metric lead_time version 2 proposed"
ok metrics show-def lead_time --json
expect_json '"\(.version) \(.status) \(.latest_version)"' "1 active 2"
# Every write is audited with the actor.
ok audit log --json
expect_json '[.[] | select(.object_type == "metric") | .action] | join(",")' \
	"metric.define,metric.map,metric.map,metric.approve,metric.object,metric.approve,metric.define,metric.approve,metric.approve,metric.define,metric.approve,metric.approve,metric.define,metric.object,metric.define,metric.define,metric.define"
ok audit verify
