# plumb sync of Jira (search with expand=changelog, startAt paging against total) and
# PagerDuty (incidents, offset paging until more is false), against a loopback API: every
# page read, the auth each API wants (Jira Cloud's user:token as Basic, PagerDuty's Token),
# the declared totals reconciled, and a second sync starting from the cursors.
source "$ROOT/tests/http/apiserver.sh"
init_db
api_start "$ROOT/tests/http/scenarios/jira-pd-sync"
ok source add jira --name jira --url https://acme.atlassian.net --project PAY --api-url "$API_URL" --token-env JIRA_TOKEN
ok source add pagerduty --name pd --service PIJ90N7 --api-url "$API_URL" --token-env PD_TOKEN
export JIRA_TOKEN=me@acme.example:jira-secret PD_TOKEN=pd-secret
ok sync --since 2020-01-01 --json
expect_json 'map("\(.source) \(.status) \(.requests) \(.inserted)") | join(",")' "jira ok 2 5,pd ok 2 4"
ok events list --kind work_item --json
expect_json 'map(.external_id) | sort | join(",")' "OPS-7,PAY-901,PAY-902,PLAT-101,PLAT-102"
ok events list --kind incident --json
expect_json 'length' 4
# What was asked: paging parameters, the JQL window and the credentials each API takes.
jq -s -e '[.[] | select(.path == "/rest/api/3/search")] | length == 2 and (.[1].query.startAt == "3")' "$API_LOG" >/dev/null ||
	fail "jira paging: $(cat "$API_LOG")"
jq -s -e '[.[] | select(.path == "/rest/api/3/search")][0].query.jql | test("project = \"PAY\"") and test("updated >=")' "$API_LOG" >/dev/null ||
	fail "jira query: $(cat "$API_LOG")"
jq -s -e '[.[] | select(.path == "/incidents")][1].query.offset == "3"' "$API_LOG" >/dev/null || fail "pagerduty paging"
jq -s -e '[.[] | select(.path == "/incidents")][0].query["service_ids[]"] == "PIJ90N7"' "$API_LOG" >/dev/null || fail "pagerduty services"
jq -s -e 'all(.[]; .headers.Authorization != null)' "$API_LOG" >/dev/null || fail "a request without credentials"
ok reconcile --json
expect_json '.mismatches' 0
expect_json '[.sources[] | .runs_with_totals] | add' 2
ok sync --status --json
expect_json '[.[] | select(.source == "jira")][0].resources[0].resource' issues
expect_json '[.[] | select(.source == "pd")][0].resources[0].resource' incidents
# The second sync starts from the cursors: Jira's window moves past 2020.
: >"$API_LOG"
ok sync jira
jq -s -e '.[0].query.jql | test("updated >= \"2019-12-31\"") | not' "$API_LOG" >/dev/null || fail "the cursor did not move the window"
ok audit verify
# Publish wrote without row-by-row foreign key checks on SQLite: every reference holds.
expect_references_intact
