# metrics show on the hand-built history of metrics-dora.sh: periods in the team's time
# zone, normalizing with the minimum team size, settings, and usage errors.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set api --team search --effective 2026-01-01
ok service map api --repo acme/api
ok service map api --pagerduty PAPI
ok source add github --name gh --repo acme/api
ok source add deploy --name deploys
ok source add pagerduty --name pd
ok ingest --source gh "$FIXTURES/metrics/commits.json"
ok ingest --source deploys "$FIXTURES/metrics/deploys.csv"
ok ingest --source pd "$FIXTURES/metrics/incidents.json"

# By UTC day: D1 on 03-01 (14:00Z), D2 on 03-04, D3 and D4 on 03-06.
ok metrics show deployment_frequency --team search --from 2026-03-01 --to 2026-03-08 --by day --json
expect_json '[.points[] | "\(.from[0:10]):\(.value)"] | join(" ")' \
	"2026-03-01:1 2026-03-02:0 2026-03-03:0 2026-03-04:1 2026-03-05:0 2026-03-06:2 2026-03-07:0"
expect_json '.time_zone' UTC
expect_json '.value | "\(.n) \(.statistic)"' "4 count per day"
expect_json '.value.detail.per_week' 4
# In Sydney (UTC+11 in March) D1 at 14:00Z is 01:00 on 03-02: a day later.  Sydney days
# start at 13:00Z, and the dates of --from and --to are Sydney's too.
ok metrics set time_zone Australia/Sydney --team search
ok metrics show deployment_frequency --team search --from 2026-03-01 --to 2026-03-08 --by day --json
expect_json '.time_zone' Australia/Sydney
expect_json '"\(.from) \(.to)"' "2026-02-28T13:00:00.000Z 2026-03-07T13:00:00.000Z"
expect_json '.points | length' 7
expect_json '[.points[] | "\(.from):\(.value)"] | .[0:3] | join(" ")' \
	"2026-02-28T13:00:00.000Z:0 2026-03-01T13:00:00.000Z:1 2026-03-02T13:00:00.000Z:0"
expect_json '[.points[] | .value] | add' 4
# Weeks start on Monday in the team's zone.  In UTC D1 (Sunday 03-01 14:00Z) ends the
# week of 02-23; in Sydney it is Monday 03-02 01:00, in the week of 03-02 with the rest.
ok metrics show deployment_frequency --team search --from 2026-03-01 --to 2026-03-08 --by week --json
expect_json '[.points[] | "\(.from):\(.value)"] | join(" ")' "2026-02-28T13:00:00.000Z:0 2026-03-01T13:00:00.000Z:4"
# Text names the periods by their local dates, the dates --from and --to were given as;
# explain, whose stored value does not record its zone, gives the instants.
ok metrics show deployment_frequency --team search --from 2026-03-01 --to 2026-03-08 --by day
expect_out "for team search, 2026-03-01 to 2026-03-08 (Australia/Sydney)"
periods=$(awk '$1 ~ /^2026-/ {print $1}' "$T/out" | paste -sd' ')
[ "$periods" = "2026-03-01 2026-03-02 2026-03-03 2026-03-04 2026-03-05 2026-03-06 2026-03-07" ] ||
	fail "periods are not Sydney's days: $periods"
ok dora --team search --from 2026-03-01 --to 2026-03-08
expect_out "DORA keys for team search, 2026-03-01 to 2026-03-08 (Australia/Sydney)"
# A period given as times that are not local midnights prints its instants, so giving the
# printed bounds back asks for the same period (found in review: an hour printed as a day).
ok metrics show deployment_frequency --team search --from 2026-03-01T10:00:00Z --to 2026-03-01T11:00:00Z
expect_out "for team search, 2026-03-01T10:00:00.000Z to 2026-03-01T11:00:00.000Z (Australia/Sydney)"
# A rate counts the zone's calendar days, whatever daylight saving made them last: six weeks
# in Sydney across the end of summer time (04-05, a day of 25 h) are 42 days, not 42.04.
ok metrics show deployment_frequency --team search --from 2026-03-02 --to 2026-04-13 --json
expect_json '.value.detail | "\(.days) \(.per_week) \(.weeks)"' "42 0.666667 6"
ok metrics show deployment_frequency --team search --from 2026-03-01 --to 2026-03-08 --json
ok explain "$(json .value.id)"
expect_out "team search, 2026-02-28T13:00:00.000Z to 2026-03-07T13:00:00.000Z: count per day"

# Per engineer: search has five people all period (FTE 5): 4 deployments / 7 days / 5.
ok metrics show deployment_frequency --team search --from 2026-03-01 --to 2026-03-08 --normalize per-engineer --json
expect_json '.value | "\(.statistic) \(.detail.fte) \(.detail.days) \(.value * 35 | round)"' \
	"count per day per engineer (FTE) 5 7 4"
# Under a minimum team size of 6, a team of five is not compared per engineer, and says why.
ok metrics set min_team_size 6
run metrics show deployment_frequency --team payments --normalize per-engineer
expect_status 1
expect_err "team 'payments' has 5 people at the period's end, fewer than 6"
expect_err "min_team_size"
run metrics show lead_time --team search --normalize per-engineer
expect_status 1
expect_err "--normalize per-engineer applies to counts; 'lead_time' is a duration"
ok metrics set min_team_size 3
ok metrics show deployment_frequency --team payments --normalize per-engineer --json
expect_json '.normalize' per-engineer
# Each value says how it was normalized; a database from before schema 12 learns it from the
# statistic when it is upgraded.
ok metrics show deployment_frequency --team payments --json
expect_json '.normalize' none
sql "UPDATE metric_defs SET unit = 'days' WHERE key = 'issue_cycle_time' AND builtin = 1"
undo_schema_12
ok metrics catalog
[ "$(sql "SELECT unit FROM metric_defs WHERE key = 'issue_cycle_time' AND builtin = 1")" = hours ] ||
	fail "issue_cycle_time's unit not corrected to hours by the upgrade"
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 25 ] || fail "not migrated"
[ "$(sql "SELECT normalize || ' ' || COUNT(*) FROM metric_values GROUP BY normalize ORDER BY normalize" | paste -sd,)" = \
	"none $(sql "SELECT COUNT(*) FROM metric_values WHERE statistic NOT LIKE '% per engineer (FTE)'"),per-engineer 2" ] ||
	fail "normalization not restored: $(sql "SELECT normalize, statistic FROM metric_values")"
# A definition's own min_team_size wins over the setting, and the refusal says where it is,
# not to change the setting (found in review).
file wip2.yaml <<'YAML'
key: wip
name: Work in progress
description: Open pull requests at the period's end.
unit: pull requests
direction: lower
indicator: leading
stakeholders: [development]
owner: engineering-effectiveness
formula: {builtin: wip, params: {min_team_size: 1000}}
YAML
ok metrics define wip2.yaml
ok metrics approve wip --version 2 --function development
# wip version 1, in use, answers to product too.
ok user add --person H001 --role leader
ok --as H001 metrics approve wip --version 2 --function product
run metrics show wip --team payments --normalize per-engineer
expect_status 1
expect_err "fewer than 1000"
expect_err "min_team_size is a formula param of wip version 2"
# Per engineer is for the org and teams: a service has no members and a person's count is
# theirs already, each refused with its own reason (found in review: "service 'api' has 0
# people ... fewer than 3").
run metrics show deployment_frequency --service api --normalize per-engineer
expect_status 1
expect_err "--normalize per-engineer applies to the org and teams: service 'api' has no members"
expect_err "--normalize per-service"
# Nothing to divide by is refused too, whatever min_team_size (found in review: under 0 the
# count came back undivided): search has nobody before M002 starts on 2020-01-06.
ok metrics set min_team_size 0
run metrics show deployment_frequency --team search --from 2019-06-01 --to 2019-07-01 --normalize per-engineer
expect_status 1
expect_err "team 'search' has no engineers over the period (0 full-time equivalents)"
# Someone who has given notice counts until their end date, though the import that saw the
# notice left their rows open (found in review: a full member after leaving).  E206 joins
# the org's 11 with an end date of 03-05: over 03-01..03-08 (UTC) 11 + 4/7 FTE, and 11
# people at the period's end.  Each --by point has the FTE of its own period (found in
# review: every day had the week's).
head -1 "$FIXTURES/org-small.csv" >leaver.csv
echo "E206,Future Leaver,fl@acme.example,M002,search,SE,L2,ic,backend,US,2024-01-01,2026-03-05,fleaver,,," >>leaver.csv
PLUMB_NOW=2026-02-01 ok org import leaver.csv
[ "$(sql "SELECT COUNT(*) FROM team_memberships m JOIN people p ON p.id = m.person_id WHERE p.employee_id = 'E206' AND m.valid_to IS NULL")" = 1 ] ||
	fail "E206's membership is not open"
ok metrics show deployment_frequency --org --from 2026-03-01 --to 2026-03-08 --by day --normalize per-engineer --json
expect_json '"\(.value.detail.fte * 7 | round) \([.points[] | .detail.fte] | map(tostring) | join(","))"' \
	"81 12,12,12,12,11,11,11"
expect_json '[.points[] | .value * .detail.fte] | map(tostring) | join(" ")' "1 0 0 1 0 2 0"
ok metrics set min_team_size 12
run metrics show deployment_frequency --org --from 2026-03-01 --to 2026-03-08 --normalize per-engineer
expect_status 1
expect_err "org 'org' has 11 people at the period's end, fewer than 12"
ok metrics set min_team_size 3

# Settings: defaults, set values, and bad ones named.
ok metrics settings --json
expect_json '[.[] | select(.scope == "org") | "\(.key)=\(.value)"] | join(",")' \
	"production_environments=production,prod,time_zone=UTC,failure_window_hours=24,work_started_statuses=In Progress,work_done_statuses=Done,Closed,Resolved,min_team_size=3"
expect_json '[.[] | select(.scope == "team") | "\(.scope_name) \(.key)=\(.value)"] | join(",")' "search time_zone=Australia/Sydney"
run metrics set time_zone Mars/Olympus --team search
expect_status 1
expect_err "Mars/Olympus"
run metrics set colour blue
expect_status 1
expect_err "no metric setting 'colour'; the settings are: production_environments, time_zone"
run metrics set failure_window_hours soon
expect_status 1
expect_err "failure_window_hours must be a number"
run metrics set time_zone UTC --service api
expect_status 1
expect_err "time_zone is set for the org or a team, not per service"
# A number is plain decimal within its range (strtod's hex, nan, inf and exponents are not),
# a list names at least one entry and none empty; a refused value writes no setting and no
# audit entry.
settings_state() { sql "SELECT COUNT(*) FROM audit_log"; sql "SELECT scope, scope_id, key, value FROM metric_settings ORDER BY scope, scope_id, key"; }
# refused KEY VALUE EXPECTED-STDERR [OPTION...]
refused() {
	local before
	before=$(settings_state)
	run metrics set "${@:4}" -- "$1" "$2"
	expect_status 1
	expect_err "$3"
	[ "$(settings_state)" = "$before" ] || fail "metrics set $1 '$2' wrote something"
}
for v in nan NaN inf -inf 0x10 1e3 1e3x '' ' 24' 24. .5 +5 -1 10000.5; do
	refused failure_window_hours "$v" "failure_window_hours must be a number from 0 to 10000, not '$v'"
done
for v in ' 5' +5 0x10 1e1 -0; do
	refused min_team_size "$v" "min_team_size must be a whole number from 0 to 10000, not '$v'"
done
for v in ,,, '' ' ' production,,prod production, ' , prod'; do
	refused production_environments "$v" "production_environments must name at least one entry, and none empty, not '$v'"
done
refused production_environments , "must name at least one entry" --service api
refused work_done_statuses "Done, ,Closed" "work_done_statuses must name at least one entry"
ok metrics set failure_window_hours 24.0
# A number is kept in one spelling: 24.0 is 24, and 03 is the 3 set above, no change that
# would make stored values stale (found hunting: the text was compared, 010 against 10).
[ "$(sql "SELECT value FROM metric_settings WHERE key = 'failure_window_hours'")" = 24 ] ||
	fail "failure_window_hours stored as $(sql "SELECT value FROM metric_settings WHERE key = 'failure_window_hours'")"
audits=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'metric.set'")
ok metrics set min_team_size 03
expect_out "(unchanged)"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'metric.set'")" = "$audits" ] || fail "03 after 3 was written"
ok metrics set work_done_statuses " Done , Closed,Resolved"

# Staging counts once it is a production environment of the service: S1 joins.
ok metrics set production_environments production,staging --service api
ok metrics show deployment_frequency --service api --from 2026-03-01 --to 2026-03-08 --json
expect_json '.value.n' 5

# A lifecycle stage is judged over the period, not at its exclusive end (found in review: the
# stage of the day after the period was named).  api is growth, sunset from the period's end
# on: no note.  Sunset from inside the period: named with its dates; a stage the whole period
# long: named alone.
ok service stage api --stage growth --from 2026-01-01
ok service stage api --stage sunset --from 2026-03-08
ok metrics show lead_time --service api --from 2026-03-01 --to 2026-03-08 --json
expect_json '.notes | length' 0
ok service stage api --stage sunset --from 2026-03-04
ok metrics show lead_time --service api --from 2026-03-01 --to 2026-03-08 --json
expect_json '.notes | join("|")' \
	"lead_time suits services in stages new,growth,mature; api is in stage sunset from 2026-03-04, part of the period"
expect_err "plumb: note: lead_time suits services in stages new,growth,mature; api is in stage sunset from 2026-03-04"
ok service stage api --stage mature --from 2026-03-06
ok metrics show lead_time --service api --from 2026-03-01 --to 2026-03-08 --json
expect_json '.notes | join("|")' \
	"lead_time suits services in stages new,growth,mature; api is in stage sunset from 2026-03-04 until 2026-03-06, part of the period"
ok metrics show lead_time --service api --from 2026-03-04 --to 2026-03-06 --json
expect_json '.notes | join("|")' "lead_time suits services in stages new,growth,mature; api is in stage sunset"
# new until 2026-01-01, then growth: the failure rate suits growth, not new.
ok service stage api --stage new --from 2025-12-01
ok metrics show change_failure_rate --service api --from 2025-12-20 --to 2026-01-10 --json
expect_json '.notes | join("|")' \
	"change_failure_rate suits services in stages growth,mature,sunset; api is in stage new until 2026-01-01, part of the period"

# Usage errors.
run metrics show lead_time --by year
expect_status 2
expect_err "--by takes day, week or month"
run metrics show lead_time --team search --service api
expect_status 2
expect_err "give one of --team, --service, --person and --org"
run metrics show lead_time --from 2026-03-08 --to 2026-03-01
expect_status 2
expect_err "the period is empty: from 2026-03-08T00:00:00.000Z is not before to 2026-03-01T00:00:00.000Z"
# --from alone, later than now: empty too, not a backwards period.
run metrics show lead_time --from 2999-01-01
expect_status 2
expect_err "the period is empty"
run metrics set min_team_size 2.5
expect_status 1
expect_err "min_team_size must be a whole number from 0 to 10000, not '2.5'"
run metrics show no_such_metric
expect_status 4

# The text writes a value as the JSON has it, never in exponent form (found in review: a day
# of 12,346 deployments was printed 1.235e+04; the dashboard's %.3g the same).
awk 'BEGIN { print "id,service,environment,started,status"
	for (i = 0; i < 12346; i++)
		printf "bulk%d,api,production,2026-05-02T%02d:%02d:%02dZ,success\n", i, int(i / 3600) % 24, int(i / 60) % 60, i % 60 }' >bulk.csv
ok ingest --source deploys bulk.csv
ok metrics show deployment_frequency --team search --from 2026-05-02 --to 2026-05-03 --json
expect_json '.value.value' 12346
ok metrics show deployment_frequency --team search --from 2026-05-02 --to 2026-05-03
expect_out "count per day: 12346 over 12346 items"
