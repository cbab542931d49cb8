# The deployments a sync reads again (stored unfinished, not listed by the walk) are at most
# 100 a run, the newest first of all the source's repositories: a hundred a repository, every
# sync for a month, spent an organization's hourly limit on deployments a tool never finished
# (found in review). Here acme/a holds 101 deployments with no status yet and acme/b the
# newest one: acme/b's and acme/a's 99 newest are read, acme/a's two oldest are not.
source "$ROOT/tests/http/apiserver.sh"
init_db
G=$ROOT/tests/fixtures/github
mkdir "$T/api"
at() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
# deps REPO FIRST-ID COUNT: COUNT deployments of REPO, ids from FIRST-ID, a minute apart, the
# first 3 hours ago (a day at most: one with no status yet is read again that long).
deps() {
	jq -c --arg repo "$1" --argjson first "$2" --argjson n "$3" --argjson t0 "$(date -u -d '-3 hours' +%s)" '
		.[0] as $d | [range($n) | . as $i | $d | .id = ($first + $i) |
		.url = "https://api.github.com/repos/\($repo)/deployments/\(.id)" | .statuses_url = .url + "/statuses" |
		.repository_url = "https://api.github.com/repos/\($repo)" |
		.created_at = ($t0 + 60 * $i | todate) | .updated_at = .created_at]' "$G/deployments.json"
}
deps acme/a 5000 101 >a.json
deps acme/b 9000 1 | jq -c --arg at "$(at '-10 min')" '.[0].created_at = $at | .[0].updated_at = $at' >b.json
jq -n -c '
	def ok(b): {body: (b | tostring)};
	[("a", "b") as $r |
	 {path: "/repos/acme/\($r)/deployments", responses: [ok([])]},
	 {path: "/repos/acme/\($r)/pulls", responses: [ok([])]},
	 {path: "/repos/acme/\($r)/commits", responses: [ok([])]},
	 {path: "/repos/acme/\($r)/actions/runs", responses: [ok({total_count: 0, workflow_runs: []})]}]' >"$T/api/routes.json"
api_start "$T/api"
ok source add github --name gh --repo acme/a --repo acme/b --api-url "$API_URL"
ok ingest --source gh --format github-deployments a.json b.json
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'deployment' AND status IS NULL")" = 102 ] ||
	fail "setup: $(sql "SELECT COUNT(*), status FROM events WHERE kind = 'deployment' GROUP BY status")"
: >"$API_LOG"
ok sync gh --since "$(at '-2 days')"
read_again() { jq -s -r '[.[] | .path | select(test("/deployments/[0-9]+/statuses$"))] | .[]' "$API_LOG"; }
[ "$(read_again | wc -l)" = 100 ] || fail "read again: $(read_again | wc -l) deployments"
read_again | grep -qx "/repos/acme/b/deployments/9000/statuses" || fail "acme/b's newest was not read again"
read_again | grep -qE "/repos/acme/a/deployments/(5000|5001)/statuses" && fail "acme/a's oldest were read again: $(read_again | sort | head -3)"
read_again | grep -qx "/repos/acme/a/deployments/5100/statuses" || fail "acme/a's newest was not read again"
ok audit verify
