# A deployment the source corrects to failed after it reported success does not count as a
# deployment any more (docs/metrics.md, "Deployment"): found hunting, the keys still counted
# it, finished at its first success, in the frequency, the lead time and the failure rate.
# Its own failure is no change failure (by definition): it is simply not a deployment.
# The hand-built history of metrics-dora.sh: D1 c1 (baseline), D2 c3 (ships c2 48 h, c3
# 24 h; INC1 fails it), D3 c5 (ships c4 60 h, c5 24 h), D4 c4 (a rollback of D3).  D3 sent
# again with status failure leaves D1, D2 and D4: D4 now ships c4 (c3..c4, 62 h) and is no
# rollback, so
#   deployments 3; lead time median of 24 48 62 = 48 h; failure rate 1 / 3 (D2, INC1);
#   recovery 2 h over 1.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set api --team payments --effective 2026-01-01
ok service map api --repo acme/api
ok service map api --pagerduty PAPI
ok source add github --name gh --repo acme/api
ok source add deploy --name deploys
ok source add pagerduty --name pd
ok ingest --source gh "$FIXTURES/metrics/commits.json"
ok ingest --source deploys "$FIXTURES/metrics/deploys.csv"
ok ingest --source pd "$FIXTURES/metrics/incidents.json"
keys() { jq -r '[.keys | (.deployment_frequency, .lead_time, .change_failure_rate, .recovery_time) | .value | "\(.n) \(.value * 1000 | round)"] | join(",")' "$T/out"; }
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
[ "$(keys)" = "4 571,4 36000,4 500,2 2000" ] || fail "before the correction: $(keys)"
lead_before=$(json '.keys.lead_time.value.id')

# D3 sent again, failed.  Computed afresh from the kept changes of the first computation.
{ head -1 "$FIXTURES/metrics/deploys.csv"; grep '^D3,' "$FIXTURES/metrics/deploys.csv" | sed 's/,success$/,failure/'; } >d3-failed.csv
ok ingest --source deploys d3-failed.csv
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
[ "$(keys)" = "3 429,3 48000,3 333,1 2000" ] || fail "D3 corrected to failed still counts: $(keys)"
cp "$T/out" dora.json
# The lead time's lineage: D2 and D4, D4 with the range from D2's sha.
ok explain "$(jq -r '.keys.lead_time.value.id' dora.json)" --json
expect_json '[.inputs[] | select(.role == "changes") | "\(.external_id) \(.from_sha[0:2])..\(.to_sha[0:2]) \(.commits)"] | join(",")' \
	"D2 c1..c3 2,D4 c3..c4 1"
# The value computed before the correction still explains D3 as it was counted then.
ok explain "$lead_before" --json
expect_json '[.inputs[] | select(.role == "deployment") | "\(.external_id) \(.ended_at)"] | join(",")' \
	"D2 2026-03-04T00:00:00.000Z,D3 2026-03-06T00:00:00.000Z"
# The dashboard's refresh counts the same three.
export PLUMB_NOW=2026-03-10T12:00:00Z
ok dashboard refresh --team payments
ok dashboard --team payments --json
expect_json '.teams[0].keys.deployment_frequency.n' 3
unset PLUMB_NOW
# A later status other than success (inactive, which GitHub gives a deployment a newer one
# replaced) does not bring it back: it failed after its first success (found in session 41's
# review: success, failure, inactive counted D3 at its first success again).
{ head -1 "$FIXTURES/metrics/deploys.csv"; grep '^D3,' "$FIXTURES/metrics/deploys.csv" | sed 's/,success$/,inactive/'; } >d3-inactive.csv
ok ingest --source deploys d3-inactive.csv
[ "$(sql "SELECT status FROM events WHERE kind = 'deployment' AND external_id LIKE '%D3'")" = inactive ] ||
	fail "D3 is not inactive: $(sql "SELECT external_id, status FROM events WHERE kind = 'deployment'")"
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
[ "$(keys)" = "3 429,3 48000,3 333,1 2000" ] || fail "D3 counts again once inactive: $(keys)"
# Sent again as a success, the source says it shipped after all: it counts at its first success.
ok ingest --source deploys "$FIXTURES/metrics/deploys.csv"
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
[ "$(keys)" = "4 571,4 36000,4 500,2 2000" ] || fail "D3 corrected back to success: $(keys)"
# Its last word is now the success: a later inactive keeps it counted.  Then a failure, a
# retry's success and an inactive, all with the same times (the order they came in decides,
# found in review: a failure kept as the earliest left D3 uncounted after its success).
ok ingest --source deploys d3-inactive.csv
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
[ "$(keys)" = "4 571,4 36000,4 500,2 2000" ] || fail "success, then inactive: $(keys)"
for f in d3-failed.csv "$FIXTURES/metrics/deploys.csv" d3-inactive.csv; do ok ingest --source deploys "$f"; done
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
[ "$(keys)" = "4 571,4 36000,4 500,2 2000" ] || fail "failure, success, inactive: $(keys)"
for f in d3-failed.csv d3-inactive.csv; do ok ingest --source deploys "$f"; done
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
[ "$(keys)" = "3 429,3 48000,3 333,1 2000" ] || fail "failure, then inactive: $(keys)"

# The same history with D3 failed from the start, in a new database (nothing kept from
# an earlier computation): the same values.
sed 's/^\(D3,.*\),success$/\1,failure/' "$FIXTURES/metrics/deploys.csv" >deploys-failed.csv
reset_db
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set api --team payments --effective 2026-01-01
ok service map api --repo acme/api
ok service map api --pagerduty PAPI
ok source add github --name gh --repo acme/api
ok source add deploy --name deploys
ok source add pagerduty --name pd
ok ingest --source gh "$FIXTURES/metrics/commits.json"
ok ingest --source deploys deploys-failed.csv
ok ingest --source pd "$FIXTURES/metrics/incidents.json"
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
[ "$(keys)" = "3 429,3 48000,3 333,1 2000" ] || fail "computed afresh: $(keys)"

# GitHub: deployment 9002 succeeded (status 77003 at 11:04:30), then a failure status
# (77004 at 11:06) came by webhook.  It counted once, and then not at all.
G=$FIXTURES/github
ok source add github --name gh2 --repo acme/widgets
ok ingest --source gh2 "$G/deployments.json" "$G/deployment-statuses.json"
ok dora --org --from 2024-03-01 --to 2024-03-08 --json
expect_json '.keys.deployment_frequency.value.n' 1
ok ingest --source gh2 --event deployment_status "$G/webhook-deployment_status.failure.json"
[ "$(sql "SELECT status FROM events WHERE kind = 'deployment' AND external_id LIKE '%9002'")" = failure ] ||
	fail "9002 is not failed: $(sql "SELECT external_id, status FROM events WHERE kind = 'deployment'")"
ok dora --org --from 2024-03-01 --to 2024-03-08 --json
expect_json '.keys.deployment_frequency.value.n' 0
