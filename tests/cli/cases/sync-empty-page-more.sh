# An offset walk's page that lists nothing but says more follow (PagerDuty's more: true, Jira's
# startAt short of its total) cannot be walked past: the next page would ask the same offset.
# It fails the run and publishes nothing, rather than publishing the records before it as the
# whole listing with the cursor moved past the rest (found in the sync hunt: the walk ended
# there silently).
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/pd"
jq -n -c '{incidents: [range(2) as $i | {id: "QEMPTY\($i)", type: "incident",
	incident_number: ($i + 1), title: "t", created_at: "2024-02-10T08:15:00Z", updated_at: "2024-02-10T09:05:30Z",
	status: "triggered", service: {id: "PSVC001", type: "service_reference", summary: "checkout"}}],
	limit: 100, offset: 0, more: true}' >"$T/pd/page1.json"
jq -n -c '{incidents: [], limit: 100, offset: 2, more: true}' >"$T/pd/empty.json"
echo '[{"path": "/incidents", "responses": [{"body_file": "page1.json"}, {"body_file": "empty.json"}]}]' >"$T/pd/routes.json"
api_start "$T/pd"
ok source add pagerduty --name pd --service PSVC001 --api-url "$API_URL"
PLUMB_NOW=2024-03-02T00:00:00Z run sync pd --since 2024-02-01
expect_status 1
expect_err "a page at offset 2 listed no records but says more follow"
expect_err "nothing was published"
[ "$(sql "SELECT COUNT(*) FROM events") $(sql "SELECT COUNT(*) FROM sync_cursors")" = "0 0" ] ||
	fail "the failed run published: $(sql "SELECT COUNT(*) FROM events") events"
ok sync --status --json
expect_json '.[0].last_run.status' failed
ok audit verify
