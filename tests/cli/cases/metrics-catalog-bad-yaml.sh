# A bad definition file is an error naming the file, the line and the field, with what was
# expected; nothing is written (no definition, no mapping, no audit entry).
init_db
state() { sql "SELECT (SELECT COUNT(*) FROM metric_defs)||' '||(SELECT COUNT(*) FROM metric_objectives)||' '||(SELECT COUNT(*) FROM audit_log)"; }
before=$(state)
good() {
	cat <<'YAML'
key: good_metric
name: Good metric
description: A metric.
unit: count
direction: higher
indicator: leading
stakeholders: [development]
owner: team-a
formula:
  count: deployment
YAML
}
# bad NAME EXPECTED-STDERR: the file NAME.yaml fails with exit 1 and says EXPECTED-STDERR.
bad() {
	run metrics define "$1.yaml"
	expect_status 1
	expect_err "$2"
	[ "$(state)" = "$before" ] || fail "$1.yaml wrote something: $(state) vs $before"
}
good | sed 's/^direction: higher/direction: up/' >direction.yaml
bad direction "direction.yaml:5: field direction: 'up': expected one of higher, lower"
good | sed 's/^indicator: leading/indicator: [leading]/' >indicator.yaml
bad indicator "indicator.yaml:6: field indicator: expected a single value"
{ good; echo "stages: [new, old]"; } >stages.yaml
bad stages "stages.yaml:11: field stages: 'old': expected a list of new, growth, mature, sunset"
{ good; echo "scopes: [team, everyone]"; } >scopes.yaml
bad scopes "scopes.yaml:11: field scopes: 'everyone': expected a list of org, team, service, individual"
# An objective listed twice, as every other list refuses a repeat (found in audit).
{ good; echo "objectives: [reliability, reliability]"; } >objectives.yaml
bad objectives "objectives.yaml:11: field objectives: 'reliability' is listed twice"
{ good; echo "review_interval_days: soon"; } >review.yaml
bad review "review.yaml:11: field review_interval_days: 'soon': expected a number of days"
{ good; echo "incentive_linked: maybe"; } >incentive.yaml
bad incentive "incentive.yaml:11: field incentive_linked: 'maybe': expected true or false"
good | sed 's/count: deployment/count: coffee/' >kind.yaml
bad kind "kind.yaml:10: field formula.count: 'coffee': expected one of commit, pull_request"
good | sed 's/count: deployment/builtin: happiness/' >builtin.yaml
bad builtin "builtin.yaml:10: field formula.builtin: 'happiness': expected one of deployment_frequency"
{ good; echo "  where: {is_bot: perhaps}"; } >where.yaml
bad where "where.yaml:11: field formula.where.is_bot: 'perhaps': expected true or false"
{ good; echo "  params: {x: 1}"; } >params.yaml
bad params "params.yaml:10: field formula: params go with builtin, not count"
# Params are known names, each checked by the rule of the setting of that name (as metrics
# set checks it); environments by production_environments' rule.
# params NAME LINE...: NAME.yaml is the good file with a builtin formula and these params.
params() {
	local name=$1
	shift
	{ good | sed "s/count: deployment/builtin: ${BUILTIN:-change_failure_rate}/"; echo "  params:"; printf '    %s\n' "$@"; } >"$name.yaml"
}
params words 'failure_window_hours: lots'
bad words "words.yaml:12: field formula.params.failure_window_hours: failure_window_hours must be a number from 0 to 10000, not 'lots'"
params negative 'environments: [production]' 'failure_window_hours: -24'
bad negative "negative.yaml:13: field formula.params.failure_window_hours: failure_window_hours must be a number from 0 to 10000, not '-24'"
for v in .nan .inf 0x10 1e3 "''" 10001; do
	params number "failure_window_hours: $v"
	bad number "number.yaml:12: field formula.params.failure_window_hours: failure_window_hours must be a number from 0 to 10000"
done
BUILTIN=wip params whole 'min_team_size: 2.5'
bad whole "whole.yaml:12: field formula.params.min_team_size: min_team_size must be a whole number from 0 to 10000, not '2.5'"
BUILTIN=wip params single 'min_team_size: [5]'
bad single "single.yaml:12: field formula.params.min_team_size: expected a single value"
params envs 'environments: []'
bad envs "envs.yaml:12: field formula.params.environments: environments must name at least one entry, and none empty, not ''"
params envs_empty "environments: [production, '']"
bad envs_empty "envs_empty.yaml:12: field formula.params.environments: environments must name at least one entry, and none empty, not 'production,'"
# A list's value with a comma would be read as two names (found hunting).
params comma_name "environments: [production, 'eu,us']"
bad comma_name "comma_name.yaml:12: field formula.params.environments: 'eu,us': expected one name, without commas"
params commas 'production_environments: ",,,"'
bad commas "commas.yaml:12: field formula.params.production_environments: production_environments must name at least one entry, and none empty, not ',,,'"
params unknown_param 'failure_window_hours: 24' 'bogus_param: 1'
bad unknown_param "unknown_param.yaml:13: field formula.params: unknown parameter bogus_param"
expect_err "detail: the parameters are: environments, statistic, production_environments, time_zone, failure_window_hours, work_started_statuses, work_done_statuses, min_team_size"
good | grep -v '^owner' >missing.yaml
bad missing "missing.yaml:1: field owner is missing"
{ good; echo "colour: blue"; } >unknown.yaml
bad unknown "unknown.yaml:11: unknown field colour"
{ good; echo "owner: team-b"; } >twice.yaml
bad twice "twice.yaml:11: field owner: given twice"
good | sed 's/^key: good_metric/key: Good Metric/' >key.yaml
bad key "key.yaml:1: field key: 'Good Metric': expected lower-case letters"
printf 'key: [unclosed\n' >syntax.yaml
bad syntax "syntax.yaml:2: invalid YAML"
# An unknown objective is a bad file like the others: its line, exit 1.
{ good; echo "objectives:"; echo "  - quality"; echo "  - happiness"; } >objective.yaml
run metrics define objective.yaml
expect_status 1
expect_err "objective.yaml:13: field objectives: no objective 'happiness'"
expect_err "the objectives are: time to market, reliability, quality, efficiency, people"
[ "$(state)" = "$before" ] || fail "an unknown objective wrote something"
run metrics define no-such-file.yaml
expect_status 4
[ "$(state)" = "$before" ] || fail "a missing file wrote something"
# individual scope only when listed; a good file goes through.
good >good.yaml
ok metrics define good.yaml
ok metrics show-def good_metric --json
expect_json '.scopes | join(",")' "org,team,service"
expect_json '.stages | join(",")' "new,growth,mature,sunset"
expect_json '.formula | tojson' '{"count":"deployment"}'
before=$(state)
# A param the built-in does not apply is refused, never kept and ignored (found in review:
# every param was stored and none used): statistic and time_zone apply to none, the others
# to the built-ins that read them (docs/cli.md), and environments stands for
# production_environments, so not both.
params stat 'statistic: rate'
bad stat "stat.yaml:12: field formula.params: statistic does not apply to built-in change_failure_rate"
expect_err "detail: built-in change_failure_rate applies environments, production_environments, failure_window_hours"
expect_err "hint: each built-in has its own statistic"
# A file from before params were applied: the hint says what becomes of its stored version.
expect_err "drop it from the file: a version stored with it computes without it"
params tz 'time_zone: Australia/Sydney'
bad tz "tz.yaml:12: field formula.params: time_zone does not apply to built-in change_failure_rate"
params done 'work_done_statuses: [Done, Closed]'
bad done "done.yaml:12: field formula.params: work_done_statuses does not apply to built-in change_failure_rate"
params both 'environments: [production]' 'production_environments: prod'
bad both "both.yaml:13: field formula.params: give environments or production_environments, not both"
# Every param the built-in applies, with a good value, goes through.
params all_params 'environments: [production, prod]' 'failure_window_hours: 36.5'
sed -i 's/^key: good_metric/key: all_params/' all_params.yaml
ok metrics define all_params.yaml
ok metrics show-def all_params --json
expect_json '.formula.params | tojson' '{"environments":["production","prod"],"failure_window_hours":36.5}'
{ good | sed 's/count: deployment/builtin: issue_cycle_time/; s/^key: good_metric/key: work_params/'
	printf '  params:\n    work_done_statuses: [Done, Closed]\n    work_started_statuses: In Progress\n'; } >work.yaml
ok metrics define work.yaml
{ good | sed 's/count: deployment/builtin: wip/; s/^key: good_metric/key: team_params/'
	printf '  params:\n    min_team_size: 3\n'; } >team.yaml
ok metrics define team.yaml
# YAML 1.2's core schema (yaml.org/spec/1.2.2, 10.3.2): True and FALSE are booleans as true
# and false are (TRUE was refused here while SLO files took it); tRUE is not.
{ good | sed 's/^key: good_metric/key: core_bools/'; echo "  where: {is_bot: False}"; echo "incentive_linked: TRUE"; } >core.yaml
ok metrics define core.yaml
ok metrics show-def core_bools --json
expect_json '.incentive_linked' 'true'
expect_json '.formula.where | tojson' '{"is_bot":false}'
{ good; echo "incentive_linked: tRUE"; } >mixed.yaml
before=$(state)
bad mixed "mixed.yaml:11: field incentive_linked: 'tRUE': expected true or false"
