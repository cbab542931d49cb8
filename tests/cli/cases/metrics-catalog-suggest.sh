# A service's lifecycle stage is effective-dated; suggest lists the active leading and lagging
# metrics whose stages include the service's stage today, for an audience.
init_db
ok org import "$FIXTURES/org-small.csv"
team=$(sql "SELECT name FROM teams ORDER BY id LIMIT 1")
ok service set checkout --team "$team"
run metrics suggest --service checkout --audience team
expect_status 5
expect_err "service checkout has no lifecycle stage"
ok service stage checkout --stage new --from 2025-01-01
expect_out "service checkout: stage new"
# Before a stage that starts later, suggest names that stage's first day, not "no stage"
# (found in audit).
PLUMB_NOW=2024-06-01 run metrics suggest --service checkout --audience team
expect_status 5
expect_err "service checkout has no lifecycle stage yet"
expect_err "its first stage, new, starts on 2025-01-01"
ok service stage checkout --stage mature --from 2026-06-01
expect_out "stage mature, was new"
ok service stage checkout --stage mature --from 2026-07-01
expect_out "stage was already mature"
[ "$(sql "SELECT COUNT(*) FROM service_stages")" = 2 ] || fail "stages: $(sql "SELECT * FROM service_stages")"
run service stage checkout --stage retired
expect_status 2
expect_err "expected one of new, growth, mature, sunset"
run service stage nowhere --stage new
expect_status 4
# In 2025 the service was new: SLO metrics (growth on) do not fit, lead time does.
PLUMB_NOW=2025-06-01 ok metrics suggest --service checkout --audience executives --json
expect_json '"\(.stage) \(.stage_since)"' "new 2025-01-01"
expect_json '.leading | map(.key) | join(",")' "deployment_frequency,lead_time"
expect_json '.lagging | map(.key) | join(",")' "issue_cycle_time"
PLUMB_NOW=2026-09-01 ok metrics suggest --service checkout --audience executives --json
expect_json '.stage' mature
expect_json '.lagging | map(.key) | join(",")' "change_failure_rate,error_budget_remaining,issue_cycle_time,recovery_time,slo_attainment"
# The team audience adds the flow metrics.
PLUMB_NOW=2026-09-01 ok metrics suggest --service checkout --audience team --json
expect_json '.leading | map(.key) | join(",")' "deployment_frequency,lead_time,pr_cycle_time,pr_throughput,review_turnaround,wip"
PLUMB_NOW=2026-09-01 ok metrics suggest --service checkout --audience team
expect_out "leading:"
expect_out "lagging:"
expect_out "stage mature (since 2026-06-01)"
# Nothing built in is meant for individuals.
PLUMB_NOW=2026-09-01 ok metrics suggest --service checkout --audience individual --json
expect_json '(.leading + .lagging) | length' 0
run metrics suggest --service checkout --audience board
expect_status 2
# Only active definitions are suggested.
ok metrics retire lead_time --reason "measured elsewhere"
PLUMB_NOW=2026-09-01 ok metrics suggest --service checkout --audience executives --json
expect_json '.leading | map(.key) | join(",")' "deployment_frequency"
ok audit log --json
expect_json '[.[] | select(.action == "service.stage") | "\(.object_id) \(.detail.stage) \(.detail.from)"] | join(",")' \
	"checkout new 2025-01-01,checkout mature 2026-06-01"
# A change taken back on its day, and a stage given from before the next row of it: the stage is
# in effect since it began, not since the day of the change taken back (found by setting growth
# on the day mature began, then mature again: suggest said "since" that day, from a second row).
ok service stage checkout --stage growth --from 2026-06-01
expect_out "stage growth, was mature"
ok service stage checkout --stage new --from 2026-06-01
expect_out "stage new, was growth"
PLUMB_NOW=2026-09-01 ok metrics suggest --service checkout --audience team --json
expect_json '"\(.stage) \(.stage_since)"' "new 2025-01-01"
ok service stage checkout --stage new --from 2024-01-01
PLUMB_NOW=2026-09-01 ok metrics suggest --service checkout --audience team --json
expect_json '"\(.stage) \(.stage_since)"' "new 2024-01-01"
[ "$(sql "SELECT COUNT(*) FROM service_stages")" = 1 ] || fail "stages: $(sql "SELECT * FROM service_stages")"
ok service stage checkout --stage new --from 2025-01-01
expect_out "stage was already new"
