# Jira Cloud's /search/jql may answer a page with fewer issues than asked, none too, with a
# nextPageToken and isLast false: the walk goes on to the token's page. Ended there, the
# run published as if whole and its cursor moved past the issues of the pages after it
# (found in the sync hunt). A token that leads back to a page read before is still a loop.
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/jira"
issue() { # KEY
	jq -n -c --arg k "$1" '{id: ($k | sub("PAY-"; "1000")), key: $k, fields: {summary: "s",
		created: "2024-02-01T10:00:00.000+0000", updated: "2024-02-05T10:00:00.000+0000",
		status: {name: "To Do", statusCategory: {key: "new"}}, project: {key: "PAY"}}}'
}
jq -n -c --argjson a "$(issue PAY-1)" --argjson b "$(issue PAY-2)" '[
	{path: "/rest/api/3/search/jql", query: {nextPageToken: "T2"}, responses: [{body: ({issues: [], isLast: false, nextPageToken: "T3"} | tostring)}]},
	{path: "/rest/api/3/search/jql", query: {nextPageToken: "T3"}, responses: [{body: ({issues: [$b], isLast: true} | tostring)}]},
	{path: "/rest/api/3/search/jql", responses: [{body: ({issues: [$a], isLast: false, nextPageToken: "T2"} | tostring)}]}]' >"$T/jira/routes.json"
api_start "$T/jira"
ok source add jira --name jira --url "$API_URL" --project PAY
ok sync jira --since 2024-01-01 --json
expect_json '.[0].status' ok
ok events list --kind work_item --json
expect_json 'map(.external_id) | sort | join(",")' "PAY-1,PAY-2"
[ "$(jq -s '[.[] | select(.path == "/rest/api/3/search/jql")] | length' "$API_LOG")" = 3 ] ||
	fail "pages asked: $(jq -c .query.nextPageToken "$API_LOG")"
api_stop

# Empty pages whose tokens lead back to one read before: the loop is an error, not 10,000
# requests.
mkdir "$T/loop"
jq -n -c --argjson a "$(issue PAY-1)" '[
	{path: "/rest/api/3/search/jql", query: {nextPageToken: "T2"}, responses: [{body: ({issues: [], isLast: false, nextPageToken: "T2"} | tostring)}]},
	{path: "/rest/api/3/search/jql", responses: [{body: ({issues: [$a], isLast: false, nextPageToken: "T2"} | tostring)}]}]' >"$T/loop/routes.json"
api_start "$T/loop"
ok source add jira --name loop --url "$API_URL" --project OPS
run sync loop --since 2024-01-01
expect_status 1
expect_err "the next page is one read before: the pages loop"
[ "$(jq -s '[.[] | select(.path == "/rest/api/3/search/jql")] | length' "$API_LOG")" = 2 ] ||
	fail "pages asked: $(jq -c .query.nextPageToken "$API_LOG")"
ok audit verify
api_stop

# Empty pages each handing out a fresh token (X2, X3, ...): the walk fails after 20 in a row,
# naming the search, rather than after 10,000 requests (found in the sync hunt).
mkdir "$T/fresh"
jq -n -c --argjson a "$(issue PAY-1)" '[
	{path: "/rest/api/3/search/jql", query_re: {nextPageToken: "."}, responses: [{body: ({issues: [], isLast: false, nextPageToken: "X{next_page}"} | tostring)}]},
	{path: "/rest/api/3/search/jql", responses: [{body: ({issues: [$a], isLast: false, nextPageToken: "T2"} | tostring)}]}]' >"$T/fresh/routes.json"
api_start "$T/fresh"
ok source add jira --name fresh --url "$API_URL" --project FRE
run sync fresh --since 2024-01-01
expect_status 1
expect_err "/rest/api/3/search/jql?jql="
expect_err ": 20 pages in a row listed no records but gave a next page token"
[ "$(jq -s '[.[] | select(.path == "/rest/api/3/search/jql")] | length' "$API_LOG")" = 21 ] ||
	fail "pages asked: $(jq -s -c 'map(.query.nextPageToken)' "$API_LOG")"
[ "$(sql "SELECT COUNT(*) FROM events")" = 2 ] || fail "the failed run published"
ok audit verify
