# GitHub lists deployments newest first, and a sync stops at the first page reaching back past
# its cursor: a deployment 100 or more behind the newest, still in progress when synced, was
# never read again and stayed in progress for good (found in the sync hunt). Each deployment
# of the last 31 days stored queued, pending or in progress (or with no status yet, created
# in the last day) that the walk did not list has its statuses read again; one the API will
# not give is left as it was, with a warning, as an Actions run is. Here a page boundary
# stands for the 100 newer deployments.
source "$ROOT/tests/http/apiserver.sh"
init_db
G=$ROOT/tests/http/scenarios/github-sync
mkdir "$T/api"
at() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
export PLUMB_SYNC_BACKOFF_MS=10
# dep ID CREATED [UPDATED]: a deployment of acme/d; status ID DEPLOYMENT STATE AT: one of its statuses.
dep() { jq -c --arg id "$1" --arg at "$2" --arg up "${3:-$2}" '.[0] | .id = ($id | tonumber) | .url = "https://api.github.com/repos/acme/d/deployments/\($id)" |
	.statuses_url = .url + "/statuses" | .repository_url = "https://api.github.com/repos/acme/d" | .created_at = $at | .updated_at = $up' "$G/deployments.json"; }
status() { jq -c --arg id "$1" --arg d "$2" --arg s "$3" --arg at "$4" '.[0] | .id = ($id | tonumber) | .state = $s | .created_at = $at | .updated_at = $at |
	.deployment_url = "https://api.github.com/repos/acme/d/deployments/\($d)" | .repository_url = "https://api.github.com/repos/acme/d" |
	.url = .deployment_url + "/statuses/\($id)"' "$G/deployment-statuses.json"; }
jq -n -c --argjson d4 "$(dep 8004 "$(at '-30 min')")" --argjson s4 "$(status 4 8004 success "$(at '-30 min')")" --argjson d3 "$(dep 8003 "$(at '-1 hour')" "$(at '-50 min')")" --argjson d2 "$(dep 8002 "$(at '-2 hours')")" \
	--argjson d1 "$(dep 8001 "$(at '-3 hours')")" --argjson d0 "$(dep 8000 "$(at '-2 days')")" \
	--argjson dx "$(dep 7999 "$(at '-40 days')")" \
	--argjson s3 "$(status 3 8003 success "$(at '-50 min')")" --argjson s1 "$(status 1 8001 in_progress "$(at '-3 hours')")" \
	--argjson s1b "$(status 11 8001 success "$(at '-10 min')")" --argjson sx "$(status 9 7999 in_progress "$(at '-40 days')")" '
	def ok(b): {body: (b | tostring)};
	[{path: "/repos/acme/d/deployments", query: {page: "2"}, responses: [ok([$d2, $d1, $d0, $dx])]},
	 {path: "/repos/acme/d/deployments", responses: [{headers: {Link: "<{base}/repos/acme/d/deployments?per_page=100&page=2>; rel=\"next\""}, body: ([$d4, $d3] | tostring)}]},
	 {path: "/repos/acme/d/deployments/8004/statuses", responses: [ok([$s4])]},
	 {path: "/repos/acme/d/deployments/8003/statuses", responses: [ok([$s3])]},
	 {path: "/repos/acme/d/deployments/8002/statuses", responses: [ok([]), {status: 502, body: "upstream"}]},
	 {path: "/repos/acme/d/deployments/8001/statuses", responses: [ok([$s1]), ok([$s1b, $s1])]},
	 {path: "/repos/acme/d/deployments/8000/statuses", responses: [ok([])]},
	 {path: "/repos/acme/d/deployments/7999/statuses", responses: [ok([$sx])]},
	 {path: "/repos/acme/d/pulls", responses: [ok([])]},
	 {path: "/repos/acme/d/commits", responses: [ok([])]},
	 {path: "/repos/acme/d/actions/runs", responses: [ok({total_count: 0, workflow_runs: []})]}]' >"$T/api/routes.json"
api_start "$T/api"
ok source add github --name gh --repo acme/d --api-url "$API_URL"
ok sync gh --since "$(at '-60 days')"
ok events list --kind deployment --json
expect_json 'map("\(.external_id)=\(.status)") | sort | join(",")' "7999=in_progress,8000=null,8001=in_progress,8002=null,8003=success,8004=success"
: >"$API_LOG"
ok sync gh
# The walk stopped at page 1 (8004's statuses read as it changed since the cursor); 8001 (in
# progress) and 8002 (no status, a day old at most) were read again; 8000 (no status, two days
# old), 7999 (40 days old) and 8003 (done) were not.
[ "$(jq -s -c '[.[] | .path | select(test("/deployments"))] | unique' "$API_LOG")" = \
	'["/repos/acme/d/deployments","/repos/acme/d/deployments/8001/statuses","/repos/acme/d/deployments/8002/statuses","/repos/acme/d/deployments/8004/statuses"]' ] ||
	fail "deployment requests: $(jq -s -c '[.[] | .path + "?" + (.query.page // "")]' "$API_LOG")"
expect_err "plumb: warning: gh: 1 deployment stored as not finished could not be read again, left as it was (the next sync tries again): $API_URL/repos/acme/d/deployments/8002/statuses?per_page=100: gave up after 5 attempts: last 502 Bad Gateway"
ok events list --kind deployment --json
expect_json 'map("\(.external_id)=\(.status)") | sort | join(",")' "7999=in_progress,8000=null,8001=success,8002=null,8003=success,8004=success"
# Finished, 8001 is not read again.
: >"$API_LOG"
ok sync gh
[ "$(jq -s -c '[.[] | .path | select(test("/deployments/[0-9]+/statuses"))] | unique' "$API_LOG")" = \
	'["/repos/acme/d/deployments/8002/statuses","/repos/acme/d/deployments/8004/statuses"]' ] ||
	fail "read again: $(jq -s -c '[.[] | .path]' "$API_LOG")"
ok audit verify
