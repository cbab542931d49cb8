# An API that ignores the paging parameter answers the first page again under each new URL,
# which the check for a URL read before cannot see (found in review: read to 10,000 pages, or,
# where a declared total ends the walk, published as whole with the other pages' records
# never read). A page listing the same records as the one before it fails the run naming
# its URL, with nothing published: PagerDuty's offset, a Jira search's and an issue
# changelog's startAt, a GitHub Link to page after page of the same. Each repeat differs
# from the page before in a field (the offset or startAt it echoes, a pull request's
# body): compared byte for byte, PagerDuty's and Jira's were published as whole,
# their declared totals reached. Empty pages following each other are no error.
source "$ROOT/tests/http/apiserver.sh"
init_db
api_start "$ROOT/tests/http/scenarios/repeated-page"
ok source add pagerduty --name pd --service PIJ90N7 --api-url "$API_URL"
PLUMB_NOW=2024-03-01T00:00:00Z run sync pd --since 2024-01-01
expect_status 1
expect_err "&offset=3: the API repeated the page before it (it may be ignoring the offset parameter)"
expect_err "nothing was published"
[ "$(jq -s '[.[] | select(.path == "/incidents")] | length' "$API_LOG")" = 2 ] ||
	fail "pagerduty pages read: $(jq -c 'select(.path == "/incidents") | .query' "$API_LOG")"
ok source add jira --name search --url https://acme.atlassian.net --project SRCH --api-url "$API_URL"
run sync search --since 2020-01-01
expect_status 1
expect_err "&startAt=3: the API repeated the page before it (it may be ignoring the startAt parameter)"
ok source add jira --name clog --url https://acme.atlassian.net --project CLOG --api-url "$API_URL"
run sync clog --since 2020-01-01
expect_status 1
expect_err "/rest/api/3/issue/10101/changelog?startAt=2&maxResults=100: the API repeated the page before it (it may be ignoring the startAt parameter)"
[ "$(jq -s '[.[] | select(.path == "/rest/api/3/issue/10101/changelog")] | length' "$API_LOG")" = 2 ] ||
	fail "changelog pages read: $(jq -c 'select(.path | endswith("/changelog")) | .query' "$API_LOG")"
ok source add github --name same --repo acme/same --api-url "$API_URL"
run sync same --since 2024-01-01
expect_status 1
expect_err "/repos/acme/same/pulls?state=all&page=2: the API repeated the page before it (it may be ignoring the page parameter)"
[ "$(sql "SELECT COUNT(*) FROM events") $(sql "SELECT COUNT(*) FROM sync_cursors") $(sql "SELECT COUNT(*) FROM ingest_staging")" = "0 0 0" ] ||
	fail "a failed run left events, cursors or staged rows"
ok sync --status --json
expect_json '[.[] | .last_run.status] | join(",")' "failed,failed,failed,failed"
# Two empty pages in a row: read, and the run publishes.
ok source add github --name hollow --repo acme/hollow --api-url "$API_URL"
ok sync hollow --since 2024-01-01 --json
expect_json '.[0].status' ok
[ "$(jq -s '[.[] | select(.path == "/repos/acme/hollow/pulls")] | length' "$API_LOG")" = 2 ] ||
	fail "the empty second page of pulls was not read"
# A deployment's statuses over two pages: each status is its deployment's event, so both
# pages list one id twice; their times and states tell them apart, and they are no repeat.
ok source add github --name paged --repo acme/paged --api-url "$API_URL"
ok sync paged --since 2024-01-01 --json
expect_json '.[0].status' ok
[ "$(jq -s '[.[] | select(.path == "/repos/acme/paged/deployments/9002/statuses")] | length' "$API_LOG")" = 2 ] ||
	fail "the second page of statuses was not read"
ok events list --kind deployment --source paged --json
expect_json '[.[] | .external_id + " " + .status] | join(",")' "9002 success"
ok audit verify
