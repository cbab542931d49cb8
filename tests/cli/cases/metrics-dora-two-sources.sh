# One repository's deployments read by two GitHub sources (a --repo source and an --org one,
# or a second source added to move a token) count once, as the copy GitHub updated last
# (found in the metrics hunt: load_deploys read every copy, so each deployment counted once
# per source, in the frequency and the failure rate's denominator alike).  The fixture's
# production deployment 9002 (of 9f1c0d2e, a success at 2024-03-02T11:04:30Z) and its
# staging one, which does not count.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set widgets --team payments --effective 2024-01-01
ok service map widgets --repo acme/widgets
ok source add github --name gh --repo acme/widgets
ok source add github --name gh-org --org acme
for s in gh gh-org; do
	ok ingest --source $s "$FIXTURES/github/deployments.json" "$FIXTURES/github/deployment-statuses.json"
done
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'deployment' AND environment = 'production'")" = 2 ] ||
	fail "setup: expected the production deployment stored by both sources"
ok dora --team payments --from 2024-03-01 --to 2024-03-08 --json
expect_json '.keys.deployment_frequency.value.n' 1

# An incident read by two PagerDuty sources of one account counts once, as the copy updated
# last: metrics-dora's history, where INC1 fails D2 and is resolved 2 h on, with a second
# source that read INC1 while it was still triggered.  Found in the metrics hunt:
# load_incidents read both copies, and the stale one left D2 unrecovered.
reset_db
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set api --team payments --effective 2026-01-01
ok service map api --repo acme/api
ok service map api --pagerduty PAPI
ok source add github --name gh --repo acme/api
ok source add deploy --name deploys
ok source add pagerduty --name pd
ok source add pagerduty --name pd-old
ok ingest --source gh "$FIXTURES/metrics/commits.json"
ok ingest --source deploys "$FIXTURES/metrics/deploys.csv"
ok ingest --source pd "$FIXTURES/metrics/incidents.json"
jq '{incidents: [.incidents[] | select(.id == "INC1") | .status = "triggered" |
	.resolved_at = null | .updated_at = .created_at | .last_status_change_at = .created_at]}' \
	"$FIXTURES/metrics/incidents.json" >inc1-triggered.json
ok ingest --source pd-old inc1-triggered.json
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'incident' AND external_id LIKE '%INC1'")" = 2 ] ||
	fail "setup: expected INC1 stored by both sources"
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
expect_json '.keys.recovery_time.value | "\(.value) \(.n)"' "2 2"
expect_json '.keys.change_failure_rate.value.value' 0.5
