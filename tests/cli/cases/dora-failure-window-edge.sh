# An incident exactly failure_window_hours after a deployment is within the window, whatever
# decimal the hours are written in (found hunting: 0.29 h was truncated to 1043999 ms, since
# 0.29 * 3600000 is 1043999.9999999999 in binary, so an incident at 17 min 24 s failed nothing).
#   D1 finishes 2026-03-01T14:00:00Z, D2 2026-03-04T00:00:00Z (api, production)
#   INC1 opens 14:17:24 (0.29 h = 1044 s after D1), resolved 14:47:24: D1 failed, 0.5 h to recover
# change failure rate 1 / 2 = 0.5; recovery time 0.5 h.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set api --team payments --effective 2026-01-01
ok service map api --pagerduty PAPI
ok source add deploy --name deploys
ok source add pagerduty --name pd
head -3 "$FIXTURES/metrics/deploys.csv" >deploys.csv
ok ingest --source deploys deploys.csv
jq '.incidents |= [.[0] | .created_at = "2026-03-01T14:17:24Z" | .updated_at = "2026-03-01T14:47:24Z" |
	.last_status_change_at = "2026-03-01T14:47:24Z" | .resolved_at = "2026-03-01T14:47:24Z"]' \
	"$FIXTURES/metrics/incidents.json" >incident.json
ok ingest --source pd incident.json
check() { # HOURS NUMERATOR RECOVERY
	ok metrics set failure_window_hours "$1"
	ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
	expect_json '.keys.change_failure_rate.value | "\(.detail.numerator) \(.detail.denominator)"' "$2 2"
	expect_json '.keys.recovery_time.value.value' "$3"
}
check 0.29 1 0.5
# A millisecond short of the incident: no failure.
check 0.2899997 0 null
check 24 1 0.5
