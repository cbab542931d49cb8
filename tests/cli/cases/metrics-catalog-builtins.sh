# Every database holds the 11 built-in definitions (active, built in, with owners, objectives
# and a review date 180 days out) and the five built-in objectives; init records them in its
# db.init entry.
ok init
ok metrics catalog --json
expect_json 'length' 11
expect_json '[.[].key] | join(",")' "change_failure_rate,deployment_frequency,error_budget_remaining,issue_cycle_time,lead_time,pr_cycle_time,pr_throughput,recovery_time,review_turnaround,slo_attainment,wip"
expect_json '[.[] | select(.status == "active" and .builtin and .version == 1)] | length' 11
expect_json '[.[] | select(.key == "lead_time")][0] | "\(.indicator) \(.owner) \(.objectives | join(","))"' \
	"leading engineering-effectiveness time to market"
expect_json '[.[] | select(.key == "change_failure_rate")][0] | "\(.indicator) \(.direction) \(.objectives | join(","))"' \
	"lagging lower reliability,quality"
# Each definition gives its stages, scopes, review interval and incentive flag (found in audit:
# the catalogue lacked them).
expect_json '[.[] | select(.key == "lead_time")][0] | "\(.stages | join(",")) \(.scopes | join(",")) \(.review_interval_days) \(.incentive_linked) \(.latest_version) \(.latest_status)"' \
	"new,growth,mature org,team,service 180 false 1 active"
# Durations are in hours, issue_cycle_time's too; wip counts open pull requests (found in audit:
# "days", and "work items").
expect_json '[.[] | select(.key == "issue_cycle_time")][0].unit' hours
[ "$(sql "SELECT description FROM metric_defs WHERE key = 'wip'")" = "Pull requests open at the end of each period." ] ||
	fail "wip's description: $(sql "SELECT description FROM metric_defs WHERE key = 'wip'")"
[ "$(sql "SELECT COUNT(*) FROM metric_defs WHERE builtin = 1 AND status = 'active' AND formula = '{\"builtin\":\"' || key || '\"}'")" = 11 ] ||
	fail "built-in formulas are not {\"builtin\":KEY}"
[ "$(sql "SELECT COUNT(*) FROM metric_defs WHERE next_review - (created_at - created_at % 86400000) = 180 * CAST(86400000 AS BIGINT)")" = 11 ] ||
	fail "next review is not creation day + 180 days"
ok metrics catalog
expect_out "deployment_frequency"
expect_out "engineering-effectiveness"
ok objectives --json
expect_json '[.[].name] | join(",")' "time to market,reliability,quality,efficiency,people"
expect_json '.[] | select(.name == "reliability") | .lagging | join(",")' \
	"change_failure_rate,error_budget_remaining,recovery_time,slo_attainment"
expect_json '.[] | select(.name == "time to market") | .leading | join(",")' "deployment_frequency,lead_time,pr_cycle_time"
ok metrics show-def lead_time --json
expect_json '"\(.version) \(.status) \(.formula.builtin) \(.review_interval_days) \(.stakeholders | join(","))"' \
	"1 active lead_time 180 development,operations"
ok audit log --json
expect_json '[.[] | select(.action == "db.init")][0].detail.seeded.metric_catalogue.definitions | length' 11
expect_json '[.[] | select(.action == "db.init")][0].detail.seeded.metric_catalogue.objectives | length' 5
expect_json 'length' 1
ok audit verify
# Reading is for any user; an unknown key is exit 4.
run metrics show-def no_such_metric
expect_status 4
expect_err "no metric definition no_such_metric"
