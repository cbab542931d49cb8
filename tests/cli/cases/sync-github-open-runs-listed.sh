# An Actions run stored still running is read again by id only when the walk of the runs
# listing did not list it (docs/cli.md: "one request per Actions run still open ... that
# the walk did not list"), as for Jenkins builds: one the listing gave this run is as new
# as a read by id, and reading it again spent a request of the hourly limit per open run
# on every sync (found in the sync hunt). One the listing no longer gives is still read.
source "$ROOT/tests/http/apiserver.sh"
init_db
G=$ROOT/tests/http/scenarios/github-sync
mkdir "$T/runs"
at() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
jq -c --arg c "$(at '-2 hours')" --arg u1 "$(at '-110 min')" --arg u2 "$(at '-100 min')" '
	.workflow_runs[1] | .repository.full_name = "acme/w" | .head_repository.full_name = "acme/w" |
	(.created_at = $c | .run_started_at = $c | .status = "in_progress" | .conclusion = null) as $open |
	($open | .id = 7001 | .updated_at = $u1) as $a | ($open | .id = 7002 | .updated_at = $u1) as $b |
	{total_count: 2, workflow_runs: [$a, $b]},
	{total_count: 1, workflow_runs: [$a | .updated_at = $u2]},
	($b | .status = "completed" | .conclusion = "success" | .updated_at = $u2),
	[{path: "/repos/acme/w/actions/runs", responses: [{body_file: "runs-1.json"}, {body_file: "runs-2.json"}]},
	 {path: "/repos/acme/w/actions/runs/7002", responses: [{body_file: "run-7002.json"}]},
	 {path: "/repos/acme/w/pulls", responses: [{body: "[]"}]},
	 {path: "/repos/acme/w/deployments", responses: [{body: "[]"}]},
	 {path: "/repos/acme/w/commits", responses: [{body: "[]"}]}]' "$G/workflow-runs.json" >"$T/runs/all"
for f in runs-1 runs-2 run-7002 routes; do
	read -r line && printf '%s\n' "$line" >"$T/runs/$f.json"
done <"$T/runs/all"
api_start "$T/runs"
ok source add github --name gh --repo acme/w --api-url "$API_URL"
ok sync gh --since "$(at '-1 day')"
: >"$API_LOG"
ok sync gh
# 7001, listed again still running, is not asked for by id; 7002, no longer listed, is.
[ "$(jq -s -c '[.[] | select(.path | test("/actions/runs/[0-9]+$")) | .path]' "$API_LOG")" = '["/repos/acme/w/actions/runs/7002"]' ] ||
	fail "read again by id: $(jq -s -c '[.[] | .path]' "$API_LOG")"
ok events list --kind ci_run --json
expect_json 'map(.external_id + "=" + .status) | sort | join(",")' "7001=in_progress,7002=success"
ok audit verify
