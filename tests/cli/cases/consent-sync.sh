# Consent withdrawn in the middle of a paged `plumb sync`: the first page of pull requests
# (bob's among them) is staged before the withdrawal, the second page is held back by the
# loopback API server until after it.  Nothing of bob's pull requests or reviews is
# published by that sync (collection stops from the moment of withdrawal, for everything
# the run publishes), his earlier events went with the withdrawal (on_withdrawal: delete),
# and the sync summary counts what was skipped, by mechanism and why.
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.csv"
awk '/^  - key: / { key = $3 }
	key == "pull_request_activity" && /^    consent: not-required$/ {
		print "    consent: required\n    without_consent: skip\n    on_withdrawal: delete"; next }
	{ print }' "$ROOT/examples/policy.yaml" >policy.yaml
ok policy import policy.yaml
ok mechanism list --json
expect_json '.mechanisms | map(select(.consent_required) | .key) | join(",")' "pull_request_activity,calendar_data"
ok identity link github alice --person E102
ok identity link github bob --person E103
ok identity link github carol --person E201
for p in E102 E103 E201; do ok consent grant --person $p --mechanism pull_request_activity; done

mkdir scenario
cp "$ROOT"/tests/http/scenarios/github-sync/*.json scenario/
# Held until the withdrawal is done (the file go), not for 3 s, which a loaded machine's
# withdrawal could outlast.
jq '(.[] | select(.query.page == "2") | .responses[0].hold_until) = "go"' \
	"$ROOT/tests/http/scenarios/github-sync/routes.json" >scenario/routes.json
api_start "$T/scenario"
export GH_TOKEN=ghp_test
ok source add github --name gh --repo acme/widgets --api-url "$API_URL" --token-env GH_TOKEN
# Bob's earlier data, from an exported page.
ok ingest --source gh "$FIXTURES/github"
bob_before=$(sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E103' AND e.kind IN ('pull_request', 'review')")
[ "$bob_before" -ge 1 ] || fail "bob has no pull requests before the sync"

"$PLUMB" sync gh --since 2024-01-01 --json >sync.out 2>sync.err &
sync_pid=$!
wait_until 60 grep -q '"page": "2"' "$API_LOG" 2>/dev/null
grep -q '"page": "2"' "$API_LOG" || { kill $sync_pid; fail "the sync never asked for page 2: $(cat "$API_LOG")"; }
# Page 1 (bob's pull request 102 is on it) is staged; page 2 is still in flight.
[ "$(sql "SELECT COUNT(*) FROM ingest_staging")" -ge 1 ] || fail "nothing staged before the withdrawal"
ok consent withdraw --person E103 --mechanism pull_request_activity --note "asked in person"
expect_out "earlier data deleted, as the policy says: $bob_before"
kill -0 $sync_pid 2>/dev/null || fail "the sync ended before the withdrawal: the case proves nothing"
touch "$T/scenario/go"
wait $sync_pid || fail "sync failed: $(cat sync.err)"
cp sync.out "$T/out"
expect_json '.[0].status' ok
expect_json '[.[0].governed[] | select(.mechanism == "pull_request_activity" and .reason == "no consent")][0].skipped' 3
expect_json '.[0].skipped' 3
[ "$(sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E103' AND e.kind IN ('pull_request', 'review')")" = 0 ] ||
	fail "bob's pull requests or reviews were published after his withdrawal"
[ "$(sql "SELECT COUNT(*) FROM events WHERE account = 'bob' AND kind IN ('pull_request', 'review')")" = 0 ] ||
	fail "bob's records were stored under his account"
[ "$(sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E201' AND e.kind = 'review'")" -ge 1 ] ||
	fail "carol's reviews (she consented) are missing"
[ "$(sql "SELECT skipped FROM ingest_runs WHERE mode = 'sync'")" = 3 ] || fail "ingest_runs.skipped of the sync"
# The text summary of the next sync says it too (no upstream change: nothing to skip).
ok sync gh
expect_out "gh: "
ok audit verify
