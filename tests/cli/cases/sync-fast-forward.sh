# Commits that reach the default branch by a fast-forward push keep the dates they were
# made with, older than the cursor, and GitHub's commits `since` the cursor never list
# them; no merge commit names them either.  The sync keeps the head it saw (REPO:head) and,
# when the oldest commit listed names a first parent neither listed nor held, compares the
# old head with the new one, page by page, and stages what it lists.  A push of old commits
# with nothing newer on top is seen when the next commit lands; a sync without a gap costs
# no request more.
source "$ROOT/tests/http/apiserver.sh"
init_db
G=$ROOT/tests/http/scenarios/github-sync
mkdir "$T/ff"
# commit(SHA; DATE; PARENTS), tests/http/commit.jq: a commit of acme/widgets as SHA.
jq -c -L "$ROOT/tests/http" 'include "commit";
	("0" * 40) as $h0 | ("1" * 40) as $h1 | ("f" * 39 + "1") as $f1 | ("f" * 39 + "2") as $f2 | ("e" * 40) as $n |
	[commit($h1; "2024-03-02T10:00:00Z"; [$h0])],
	[commit($n; "2024-03-05T12:00:00Z"; [$f2])],
	{status: "ahead", ahead_by: 3, total_commits: 3, commits: [commit($f1; "2024-03-01T09:00:00Z"; [$h1]), commit($f2; "2024-03-01T10:00:00Z"; [$f1])]},
	{status: "ahead", ahead_by: 3, total_commits: 3, commits: [commit($n; "2024-03-05T12:00:00Z"; [$f2])]},
	[{path: "/repos/acme/widgets/commits", responses: [{body_file: "commits-1.json"}, {body: "[]"}, {body_file: "commits-3.json"}]},
	 {path: "/repos/acme/widgets/compare/\($h1)...\($n)", query: {page: "2"}, responses: [{body_file: "compare-2.json"}]},
	 {path: "/repos/acme/widgets/compare/\($h1)...\($n)", responses: [{headers: {Link: "<{base}/repos/acme/widgets/compare/\($h1)...\($n)?per_page=100&page=2>; rel=\"next\""}, body_file: "compare-1.json"}]},
	 {path: "/repos/acme/widgets/pulls", responses: [{body: "[]"}]},
	 {path: "/repos/acme/widgets/deployments", responses: [{body: "[]"}]},
	 {path: "/repos/acme/widgets/actions/runs", responses: [{body: "{\"total_count\": 0, \"workflow_runs\": []}"}]}]' \
	"$G/commits.json" >"$T/ff/all"
for f in commits-1 commits-3 compare-1 compare-2 routes; do
	read -r line && printf '%s\n' "$line" >"$T/ff/$f.json"
done <"$T/ff/all"
api_start "$T/ff"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL"
ok sync --since 2024-03-02 --json
expect_json '.[0] | "\(.status) \(.requests) \(.inserted)"' "ok 4 1"
ok sync --status --json
expect_json '.[0].resources[] | select(.resource == "acme/widgets:head") | .cursor' "$(printf '1%.0s' {1..40})"
# f1 and f2 pushed by a fast-forward, dated before the cursor: not listed, not seen yet.
: >"$API_LOG"
ok sync --json
expect_json '.[0] | "\(.status) \(.requests) \(.inserted)"' "ok 4 0"
# n lands on top of them: its parent f2 is unknown, so the heads are compared (two pages).
: >"$API_LOG"
ok sync --json
expect_json '.[0] | "\(.status) \(.requests) \(.inserted)"' "ok 6 3"
[ "$(jq -s '[.[] | select(.path | contains("/compare/1111"))] | length' "$API_LOG")" = 2 ] ||
	fail "the old and new heads were not compared page by page: $(jq -r '.path + " " + (.query | tostring)' "$API_LOG")"
ok events list --kind commit --json
expect_json 'map(.external_id[0:1] + .external_id[39:40]) | sort | join(",")' "11,ee,f1,f2"
ok sync --status --json
expect_json '.[0].resources[] | select(.resource == "acme/widgets:head") | .cursor' "$(printf 'e%.0s' {1..40})"
# Nothing new: no compare.
: >"$API_LOG"
ok sync --json
expect_json '.[0] | "\(.status) \(.inserted)"' "ok 0"
[ "$(jq -s '[.[] | select(.path | contains("/compare/"))] | length' "$API_LOG")" = 0 ] ||
	fail "a sync without a gap compared"
ok reconcile --json
expect_json '.mismatches' 0
ok audit verify

# The head the last sync saw is gone upstream (a force-push, then its commits collected):
# GitHub answers the compare 404.  The run publishes what it listed and the head moves on.
mkdir "$T/gone"
cp "$T/ff/commits-1.json" "$T/ff/commits-3.json" "$T/gone/"
jq -c '[.[] | if .path == "/repos/acme/widgets/commits" then .responses = [{body_file: "commits-1.json"}, {body_file: "commits-3.json"}]
	elif (.path | contains("/compare/")) then .responses = [{status: 404, body: "{\"message\": \"Not Found\"}"}] else . end]' \
	"$T/ff/routes.json" >"$T/gone/routes.json"
api_stop
api_start "$T/gone"
ok source add github --name gone --repo acme/widgets --api-url "$API_URL"
ok sync gone --since 2024-03-02 --json
: >"$API_LOG"
ok sync gone --json
expect_json '.[0] | "\(.status) \(.inserted)"' "ok 1" # n alone
[ "$(jq -s '[.[] | select(.path | contains("/compare/"))] | length' "$API_LOG")" = 1 ] ||
	fail "the heads were not compared once: $(jq -r .path "$API_LOG")"
ok sync --status --json
expect_json '.[] | select(.source == "gone") | .resources[] | select(.resource == "acme/widgets:head") | .cursor' "$(printf 'e%.0s' {1..40})"
ok audit verify
