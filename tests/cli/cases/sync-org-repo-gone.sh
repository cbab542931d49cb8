# A repository an --org source's organization lists, then gone before sync reads it (deleted
# or made private in between: 404), or one GitHub withholds (451 Unavailable For Legal
# Reasons, a DMCA takedown, or 403 "Repository access blocked" for its terms of service,
# which the listing still names on every run), is skipped with a warning naming it and its
# status; the other repositories publish (found in the sync hunt:
# the whole source failed, and for a 451 on every run). A repository named by --repo that
# answers 404 still fails its source: that is the source's settings, not a race; and so does
# any other 403 (a token without access is no repository's own state).
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/org"
empty_repo() { # the routes of a repository with nothing in it
	jq -n -c --arg r "$1" '[
	{path: "/repos/\($r)/pulls", responses: [{body: "[]"}]},
	{path: "/repos/\($r)/commits", responses: [{body: "[]"}]},
	{path: "/repos/\($r)/deployments", responses: [{body: "[]"}]},
	{path: "/repos/\($r)/actions/runs", responses: [{body: "{\"total_count\": 0, \"workflow_runs\": []}"}]}]'
}
legal='{"message": "Repository access blocked", "block": {"reason": "dmca"}}'
tos='{"message": "Repository access blocked", "block": {"reason": "tos", "html_url": "https://github.com/tos"}}'
jq -n -c --argjson a "$(empty_repo acme/alive)" --argjson z "$(empty_repo acme/zeta)" --arg legal "$legal" --arg tos "$tos" '
	[{path: "/orgs/acme/repos", responses: [{body: ([{full_name: "acme/alive"}, {full_name: "acme/blocked"},
	   {full_name: "acme/gone"}, {full_name: "acme/legal"}, {full_name: "acme/zeta"}] | tostring)}]},
	 {path: "/orgs/other/repos", responses: [{body: ([{full_name: "other/denied"}] | tostring)}]},
	 {path: "/repos/other/denied/pulls", responses: [{status: 403, body: "{\"message\": \"Resource not accessible by integration\"}"}]},
	 {path: "/repos/acme/blocked/pulls", responses: [{status: 403, body: $tos}]},
	 {path: "/repos/acme/legal/pulls", responses: [{status: 451, body: $legal}]}] + $a + $z' >"$T/org/routes.json"
api_start "$T/org"
ok source add github --name gh --org acme --api-url "$API_URL"
run sync gh --since 2024-01-01 --json
expect_status 0
expect_json '.[0].status' ok
expect_json '.[0].repositories_skipped | map("\(.repository) \(.status)") | join(",")' "acme/blocked 403,acme/gone 404,acme/legal 451"
expect_err "plumb: warning: gh: repository acme/blocked, listed by its organization, answered 403 Forbidden: skipped"
expect_err "plumb: warning: gh: repository acme/gone, listed by its organization, answered 404 Not Found: skipped"
expect_err "plumb: warning: gh: repository acme/legal, listed by its organization, answered 451 Unavailable For Legal Reasons: skipped"
# The readable ones published: their cursors moved; the skipped ones have none.
[ "$(sql "SELECT resource FROM sync_cursors WHERE resource LIKE '%:pulls' ORDER BY resource" | paste -sd,)" = "acme/alive:pulls,acme/zeta:pulls" ] ||
	fail "cursors: $(sql "SELECT resource FROM sync_cursors")"
# Nothing more of a skipped repository was asked for than its first page.
[ "$(jq -s '[.[] | select(.path | test("^/repos/acme/(blocked|gone|legal)/"))] | map(.path) | join(",")' "$API_LOG")" = '"/repos/acme/blocked/pulls,/repos/acme/gone/pulls,/repos/acme/legal/pulls"' ] ||
	fail "asked of the skipped: $(jq -c 'select(.path | test("gone|legal")) | .path' "$API_LOG")"
# In text too, and again on the next run (a 451 stays).
run sync gh
expect_status 0
expect_out "gh: "
expect_err "repository acme/legal, listed by its organization, answered 451 Unavailable For Legal Reasons: skipped"
ok sync --status --json
expect_json '.[0].last_run.status' published

# Named by --repo, a repository answering 404 fails its source as before.
ok source add github --name one --repo acme/gone --api-url "$API_URL"
run sync one --since 2024-01-01
expect_status 4
expect_err "/repos/acme/gone/pulls"
expect_err "404 Not Found"
ok source add github --name other --org other --api-url "$API_URL"
run sync other --since 2024-01-01
expect_status 3
expect_err "/repos/other/denied/pulls"
expect_err "403 Forbidden"
ok audit verify
