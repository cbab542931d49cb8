# PagerDuty lists at most 10,000 records by offset. A window whose first page declares more
# is read as two halves instead, down to a minute; nothing of the wide window is staged, and
# each half's pages add up to its own total (found in acceptance: such a window failed every
# run). A minute holding more is an error that publishes nothing.
source "$ROOT/tests/http/apiserver.sh"
init_db
inc=$ROOT/tests/http/scenarios/jira-pd-sync/incidents-1.json
mkdir "$T/pd"
page() { # the Nth incident of the fixture, as a page of one
	jq -c --argjson n "$1" '{incidents: [.incidents[$n]], limit: 100, offset: 0, total: 1, more: false}' "$inc"
}
over='{"incidents": [], "limit": 100, "offset": 0, "total": 10001, "more": true}'
jq -n -c --argjson over "$over" --argjson a "$(page 0)" --argjson b "$(page 1)" \
	'[{path: "/incidents", responses: [{body: ($over | tostring)}, {body: ($a | tostring)}, {body: ($b | tostring)}]}]' \
	>"$T/pd/routes.json"
api_start "$T/pd"
ok source add pagerduty --name pd --service PIJ90N7 --api-url "$API_URL"
PLUMB_NOW=2024-03-02T00:00:00Z ok sync pd --since 2024-02-01 --json
expect_json '.[0] | "\(.status) \(.requests) \(.inserted)"' "ok 3 2"
windows=$(jq -r 'select(.path == "/incidents") | .query | "\(.since) \(.until)"' "$API_LOG" | tr '\n' ',')
[ "$windows" = "2024-02-01T00:00:00.000Z 2024-03-02T00:00:00.000Z,2024-02-01T00:00:00.000Z 2024-02-16T00:00:00.000Z,2024-02-16T00:00:00.000Z 2024-03-02T00:00:00.000Z," ] ||
	fail "the windows read: $windows"
[ "$(sql "SELECT COUNT(*) FROM raw_payloads")" = 2 ] || fail "the wide window's page was stored"
ok reconcile pd --json
expect_json '.mismatches' 0
expect_json '.sources[0].runs_with_totals' 2 # a total each half
api_stop

# More than PagerDuty lists in every window, down to a minute: an error, nothing published.
mkdir "$T/pd2"
jq -n -c --argjson over "$over" '[{path: "/incidents", responses: [{body: ($over | tostring)}]}]' >"$T/pd2/routes.json"
api_start "$T/pd2"
ok source add pagerduty --name pd2 --api-url "$API_URL"
before=$(sql "SELECT COUNT(*) FROM events")
PLUMB_NOW=2024-03-02T00:00:00Z run sync pd2 --since 2024-02-01
expect_status 1
expect_err "more than 10000 incidents created from"
expect_err "more than PagerDuty lists"
[ "$(sql "SELECT COUNT(*) FROM events") $(sql "SELECT COUNT(*) FROM sync_cursors WHERE source_id = (SELECT id FROM sources WHERE name = 'pd2')")" = "$before 0" ] ||
	fail "a failed split published something"
# Halving 30 days reaches a minute in 16 steps, each a request; not thousands.
n=$(jq -s '[.[] | select(.path == "/incidents")] | length' "$API_LOG")
[ "$n" -le 20 ] || fail "$n requests to give up"
api_stop
