# A branch merged by a merge commit after the last sync keeps its own commit dates, older
# than the cursor, so GitHub's commits `since` the cursor list the merge but not the branch
# (found in acceptance: the branch's commits were never read, and lead time could not walk
# from the merge to them).  The sync compares the merge's parents and stages the commits
# the merge brought; a merge whose branch it already holds costs no request.
source "$ROOT/tests/http/apiserver.sh"
init_db
G=$ROOT/tests/http/scenarios/github-sync
mkdir "$T/merge"
# commit(SHA; DATE; PARENTS), tests/http/commit.jq: a commit of acme/widgets as SHA.
jq -c -L "$ROOT/tests/http" 'include "commit";
	("0" * 40) as $h0 | ("1" * 40) as $h1 | ("b" * 39 + "1") as $b1 | ("b" * 39 + "2") as $b2 | ("c" * 40) as $m |
	("d" * 40) as $m2 |
	[commit($h1; "2024-03-02T10:00:00Z"; [$h0])],
	[commit($m2; "2024-03-03T13:00:00Z"; [$m, $b1]), commit($m; "2024-03-03T12:00:00Z"; [$h1, $b2])],
	{status: "ahead", ahead_by: 2, commits: [commit($b1; "2024-03-01T09:00:00Z"; [$h0]), commit($b2; "2024-03-01T10:00:00Z"; [$b1])]},
	[{path: "/repos/acme/widgets/commits", responses: [{body_file: "commits-1.json"}, {body_file: "commits-2.json"}]},
	 {path: "/repos/acme/widgets/compare/\($h1)...\($b2)", responses: [{body_file: "compare.json"}]},
	 {path: "/repos/acme/widgets/pulls", responses: [{body: "[]"}]},
	 {path: "/repos/acme/widgets/deployments", responses: [{body: "[]"}]},
	 {path: "/repos/acme/widgets/actions/runs", responses: [{body: "{\"total_count\": 0, \"workflow_runs\": []}"}]}]' \
	"$G/commits.json" >"$T/merge/all"
for f in commits-1 commits-2 compare routes; do
	read -r line && printf '%s\n' "$line" >"$T/merge/$f.json"
done <"$T/merge/all"
api_start "$T/merge"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL"
ok sync --since 2024-03-02
expect_out "gh: 4 requests"
: >"$API_LOG"
ok sync --json
# m2 merges b1 again, which m's compare brought: one compare for both.
expect_json '.[0] | "\(.status) \(.requests) \(.inserted)"' "ok 5 4"
[ "$(jq -r 'select(.path | contains("/compare/")) | .path' "$API_LOG")" = "/repos/acme/widgets/compare/$(printf '1%.0s' {1..40})...$(printf 'b%.0s' {1..39})2" ] ||
	fail "the merge's parents were not compared: $(jq -r .path "$API_LOG")"
ok events list --kind commit --json
expect_json 'map(.external_id[0:1] + .external_id[39:40]) | sort | join(",")' "11,b1,b2,cc,dd"
# Nothing new: the merge's branch is held, and is not compared again.
: >"$API_LOG"
ok sync --json
expect_json '.[0] | "\(.status) \(.inserted)"' "ok 0"
[ "$(jq -s '[.[] | select(.path | contains("/compare/"))] | length' "$API_LOG")" = 0 ] ||
	fail "a held branch was compared again"
ok reconcile --json
expect_json '.mismatches' 0
ok audit verify
