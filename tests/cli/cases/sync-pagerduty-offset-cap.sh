# PagerDuty lists at most 10,000 records by offset (offset + limit), and refuses an offset
# past that. A window whose pages say "more": true on and on, with no total to split it by
# (a proxy that drops it, an API that ignores total=true), ends there with an error naming
# the window's URL and the limit, and publishes nothing (found in the sync hunt: plumb read
# on to 10,000 pages, past every offset PagerDuty answers).
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/pd"
# 100 incidents a page, their ids new on every page ({next_page}), "more" always true.
jq -n -c '{incidents: [range(100) as $i | {id: "Q{next_page}N\($i)", type: "incident",
	incident_number: 1, title: "t", created_at: "2024-02-10T08:15:00Z", updated_at: "2024-02-10T09:05:30Z",
	status: "triggered", service: {id: "PSVC001", type: "service_reference", summary: "checkout"}}],
	limit: 100, offset: 0, more: true}' >"$T/pd/page.json"
echo '[{"path": "/incidents", "responses": [{"body_file": "page.json"}]}]' >"$T/pd/routes.json"
api_start "$T/pd"
ok source add pagerduty --name pd --service PSVC001 --api-url "$API_URL"
PLUMB_NOW=2024-03-02T00:00:00Z run sync pd --since 2024-02-01
expect_status 1
expect_err "PagerDuty lists at most 10000 incidents by offset"
expect_err "/incidents?limit=100&total=true&since=2024-02-01T00%3A00%3A00.000Z&until=2024-03-02T00%3A00%3A00.000Z"
# Offsets 0 to 9900: the 100 pages PagerDuty answers, and not one more.
n=$(jq -s '[.[] | select(.path == "/incidents")] | length' "$API_LOG")
[ "$n" = 100 ] || fail "$n pages read"
[ "$(jq -s -r '[.[] | select(.path == "/incidents") | .query.offset // "0" | tonumber] | max' "$API_LOG")" = 9900 ] ||
	fail "offsets asked: $(jq -s -c '[.[] | .query.offset] | unique' "$API_LOG")"
[ "$(sql "SELECT COUNT(*) FROM events") $(sql "SELECT COUNT(*) FROM sync_cursors") $(sql "SELECT COUNT(*) FROM ingest_staging")" = "0 0 0" ] ||
	fail "the failed run published or left staged rows"
ok sync --status --json
expect_json '.[0].last_run.status' failed
ok audit verify
