# An API that ignores the page parameter answers the same page under each new URL, its Link
# to the next one never ending: the check for a URL read before cannot see it. An
# organization's repository listing and a compare's commits fail at the first page that
# repeats the one before, naming its URL, with nothing published (an org listing read to
# 10,000 pages would then sync each repository that many times). They compare what sync
# reads of a page, the repositories' names and the commits, so a field around them that
# changes with each repetition hides nothing.
source "$ROOT/tests/http/apiserver.sh"
init_db
api_start "$ROOT/tests/http/scenarios/org-repeat"
ok source add github --name spin --org spin --api-url "$API_URL"
run sync spin --since 2024-01-01
expect_status 1
expect_err "/orgs/spin/repos?per_page=100&type=all&page=2: the API repeated the page before it (it may be ignoring the page parameter)"
expect_err "nothing was published; the source's paging is broken"
[ "$(jq -s '[.[] | select(.path == "/orgs/spin/repos")] | length' "$API_LOG")" = 2 ] ||
	fail "org pages read: $(jq -c 'select(.path == "/orgs/spin/repos") | .query' "$API_LOG")"
[ "$(jq -s '[.[] | select(.path | startswith("/repos/"))] | length' "$API_LOG")" = 0 ] ||
	fail "a repository of the repeating listing was synced"
[ "$(sql "SELECT COUNT(*) FROM events") $(sql "SELECT COUNT(*) FROM sync_cursors") $(sql "SELECT COUNT(*) FROM ingest_staging")" = "0 0 0" ] ||
	fail "a failed run left events, cursors or staged rows"
ok sync --status --json
expect_json '.[0].last_run.status' failed
# Two pages listing other repositories are read, both (every one excluded: none synced).
ok source add github --name turn --org turn --exclude '*' --api-url "$API_URL"
ok sync turn --since 2024-01-01
[ "$(jq -s '[.[] | select(.path == "/orgs/turn/repos")] | length' "$API_LOG")" = 2 ] ||
	fail "the second page of turn's repositories was not read"
api_stop

# A compare (of a merge's parents, as sync-merged-branch.sh) whose Link never ends, each
# page listing the same commits around an ahead_by that changes.
G=$ROOT/tests/http/scenarios/github-sync
mkdir "$T/compare"
jq -c -L "$ROOT/tests/http" 'include "commit";
	("0" * 40) as $h0 | ("1" * 40) as $h1 | ("b" * 39 + "1") as $b1 | ("b" * 39 + "2") as $b2 | ("c" * 40) as $m |
	[commit($h1; "2024-03-02T10:00:00Z"; [$h0])],
	[commit($m; "2024-03-03T12:00:00Z"; [$h1, $b2])],
	{status: "ahead", ahead_by: "{next_page}", commits: [commit($b1; "2024-03-01T09:00:00Z"; [$h0]), commit($b2; "2024-03-01T10:00:00Z"; [$b1])]},
	[{path: "/repos/acme/widgets/commits", responses: [{body_file: "commits-1.json"}, {body_file: "commits-2.json"}]},
	 {path: "/repos/acme/widgets/compare/\($h1)...\($b2)", responses: [{body_file: "compare.json",
	  headers: {Link: "<{base}/repos/acme/widgets/compare/\($h1)...\($b2)?per_page=100&page={next_page}>; rel=\"next\""}}]},
	 {path: "/repos/acme/widgets/pulls", responses: [{body: "[]"}]},
	 {path: "/repos/acme/widgets/deployments", responses: [{body: "[]"}]},
	 {path: "/repos/acme/widgets/actions/runs", responses: [{body: "{\"total_count\": 0, \"workflow_runs\": []}"}]}]' \
	"$G/commits.json" >"$T/compare/all"
for f in commits-1 commits-2 compare routes; do
	read -r line && printf '%s\n' "$line" >"$T/compare/$f.json"
done <"$T/compare/all"
api_start "$T/compare"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL"
ok sync gh --since 2024-03-02
before="$(sql "SELECT COUNT(*) FROM events") $(sql "SELECT COUNT(*) FROM sync_cursors")"
: >"$API_LOG"
run sync gh
expect_status 1
expect_err "/compare/$(printf '1%.0s' {1..40})...$(printf 'b%.0s' {1..39})2?per_page=100&page=2: the API repeated the page before it (it may be ignoring the page parameter)"
[ "$(jq -s '[.[] | select(.path | contains("/compare/"))] | length' "$API_LOG")" = 2 ] ||
	fail "compare pages read: $(jq -c 'select(.path | contains("/compare/")) | .query' "$API_LOG")"
[ "$(sql "SELECT COUNT(*) FROM events") $(sql "SELECT COUNT(*) FROM sync_cursors") $(sql "SELECT COUNT(*) FROM ingest_staging")" = "$before 0" ] ||
	fail "the failed run published or left staged rows"
ok audit verify
