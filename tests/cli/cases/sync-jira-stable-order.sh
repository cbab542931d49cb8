# A Jira search paged by startAt (a page that declares startAt and total and no
# nextPageToken) must be ordered by something an update does not change. Ordered by
# updated, an issue updated while sync walks the pages moves to the end, every issue after
# it moves up one place, and the one that crosses the page boundary is never listed; the
# cursor then moves past it for good (found in the sync hunt). The replay server answers
# each order as Jira would after PAY-1 was updated between the two pages.
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/jira"
issue() { # KEY UPDATED
	jq -n -c --arg k "$1" --arg u "$2" '{id: ($k | sub("PAY-"; "1000")), key: $k,
		fields: {summary: "s \($k)", created: "2024-02-0\($k | sub("PAY-"; ""))T10:00:00.000+0000",
		updated: $u, status: {name: "To Do", statusCategory: {key: "new"}}, project: {key: "PAY"}}}'
}
p1=$(issue PAY-1 2024-02-10T10:00:00.000+0000)
p1b=$(issue PAY-1 2024-02-20T10:00:00.000+0000)
p2=$(issue PAY-2 2024-02-11T10:00:00.000+0000)
p3=$(issue PAY-3 2024-02-12T10:00:00.000+0000)
page() { jq -n -c --argjson s "$1" --argjson i "$2" '{startAt: $s, maxResults: 2, total: 3, issues: $i}'; }
jq -n -c --arg first "$(page 0 "[$p1, $p2]")" \
	--arg upd2 "$(page 2 "[$p1b]")" --arg stable2 "$(page 2 "[$p3]")" '[
	{path: "/rest/api/3/search/jql", query: {startAt: "2"}, query_re: {jql: "ORDER BY updated"}, responses: [{body: $upd2}]},
	{path: "/rest/api/3/search/jql", query: {startAt: "2"}, responses: [{body: $stable2}]},
	{path: "/rest/api/3/search/jql", responses: [{body: $first}]}]' >"$T/jira/routes.json"
api_start "$T/jira"
ok source add jira --name jira --url "$API_URL" --project PAY
ok sync jira --since 2024-01-01 --json
expect_json '.[0].status' ok
ok events list --kind work_item --json
expect_json 'map(.external_id) | sort | join(",")' "PAY-1,PAY-2,PAY-3"
# Every page of the walk was asked for in one order, and the same one.
[ "$(jq -s -r '[.[] | select(.path == "/rest/api/3/search/jql") | .query.jql | sub(".* ORDER BY "; "")] | unique | length' "$API_LOG")" = 1 ] ||
	fail "the pages were asked in different orders: $(jq -c .query.jql "$API_LOG")"
ok audit verify
