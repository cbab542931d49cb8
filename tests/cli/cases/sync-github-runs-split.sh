# GitHub lists at most 1,000 workflow runs for a query with `created` (its REST docs: "up to
# 1,000 results for each search when using ... created"), and sync asks for the runs
# created since the cursor's day: a repository with more in that window (5.5 runs a day over
# a first sync's 180 days) lost all but the newest 1,000 for good, the run published as
# whole and the cursor moved past them; only reconcile saw it (found in the sync hunt). A
# window whose first page declares more is read as two halves instead (created=FROM..TO),
# in turn down to a minute, as PagerDuty's are; nothing of the wide window is staged, and
# each half's pages add up to its own total. A minute holding more is an error that
# publishes nothing.
source "$ROOT/tests/http/apiserver.sh"
init_db
runs=$ROOT/tests/http/scenarios/github-sync/workflow-runs.json
mkdir "$T/gh"
run_page() { # the Nth run of the fixture (its times moved to $2, when given), as a page of one
	jq -c --argjson n "$1" --arg day "${2:-}" '.workflow_runs[$n]
		| if $day == "" then . else (.created_at, .updated_at, .run_started_at) |= ($day + .[10:]) end
		| {total_count: 1, workflow_runs: [.]}' "$runs"
}
over=$(jq -c '{total_count: 1500, workflow_runs: [.workflow_runs[0]]}' "$runs")
jq -n -c --argjson over "$over" --argjson a "$(run_page 2 2024-02-10)" --argjson b "$(run_page 1)" '
	[{path: "/repos/acme/busy/actions/runs", query_re: {created: "^>="}, responses: [{body: ($over | tostring)}]},
	 {path: "/repos/acme/busy/actions/runs", query_re: {created: "[.][.]"},
	  responses: [{body: ($a | tostring)}, {body: ($b | tostring)}]},
	 {path: "/repos/acme/busy/pulls", responses: [{body: "[]"}]},
	 {path: "/repos/acme/busy/commits", responses: [{body: "[]"}]},
	 {path: "/repos/acme/busy/deployments", responses: [{body: "[]"}]}]' >"$T/gh/routes.json"
api_start "$T/gh"
ok source add github --name busy --repo acme/busy --api-url "$API_URL"
PLUMB_NOW=2024-03-06T00:00:00Z ok sync busy --since 2024-02-05 --json
expect_json '.[0] | "\(.status) \(.inserted)"' "ok 2"
windows=$(jq -r 'select(.path == "/repos/acme/busy/actions/runs") | .query.created' "$API_LOG" | paste -sd' ')
[ "$windows" = ">=2024-02-05 2024-02-05T00:00:00Z..2024-02-19T23:59:59Z 2024-02-20T00:00:00Z..2024-03-06T00:00:00Z" ] ||
	fail "the windows read: $windows"
ok events list --kind ci_run --source busy --json
expect_json 'map(.external_id) | sort | join(",")' "8000000001,8000000002"
ok reconcile busy --json
expect_json '.mismatches' 0
# Only the halves' pages were kept: the wide window's page of one was read to learn its total.
[ "$(sql "SELECT COUNT(*) FROM raw_payloads WHERE origin LIKE '%/actions/runs?%'")" = 2 ] &&
	[ "$(sql "SELECT COUNT(*) FROM raw_payloads WHERE origin LIKE '%created=\%3E%' ESCAPE '\'")" = 0 ] ||
	fail "raw payloads: $(sql "SELECT origin FROM raw_payloads")"
# The cursor moved to the newest run read, in whichever half.
ok sync --status --json
expect_json '.[0].resources[] | select(.resource == "acme/busy:actions-runs") | .cursor' "2024-03-03T10:31:15.000Z"
api_stop

# More than GitHub lists in every window, down to a minute: an error, nothing published.
mkdir "$T/gh2"
jq -n -c --argjson over "$over" '
	[{path: "/repos/acme/packed/actions/runs", responses: [{body: ($over | tostring)}]},
	 {path: "/repos/acme/packed/pulls", responses: [{body: "[]"}]},
	 {path: "/repos/acme/packed/commits", responses: [{body: "[]"}]},
	 {path: "/repos/acme/packed/deployments", responses: [{body: "[]"}]}]' >"$T/gh2/routes.json"
api_start "$T/gh2"
ok source add github --name packed --repo acme/packed --api-url "$API_URL"
before=$(sql "SELECT COUNT(*) FROM events")
PLUMB_NOW=2024-03-06T00:00:00Z run sync packed --since 2024-02-05
expect_status 1
expect_err "more than 1000 workflow runs created from"
expect_err "more than GitHub lists"
[ "$(sql "SELECT COUNT(*) FROM events") $(sql "SELECT COUNT(*) FROM sync_cursors WHERE source_id = (SELECT id FROM sources WHERE name = 'packed')")" = "$before 0" ] ||
	fail "a failed split published something"
n=$(jq -s '[.[] | select(.path == "/repos/acme/packed/actions/runs")] | length' "$API_LOG")
[ "$n" -le 20 ] || fail "$n requests to give up"
ok audit verify
