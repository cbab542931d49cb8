# A server down for maintenance for longer than plumb waits (a 503 asking, by Retry-After, for
# two hours) stops a sync's run as a rate limit does, even at a read it otherwise takes as one
# item not read (a CI run stored open, left for the next sync). Taken so, each further build
# stored open was requested into the same maintenance and the run published with a warning
# (found in the sync hunt). The error names the source, the URL and when to try again; nothing
# is published and the cursor stays where the first sync left it.
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/api"
# Three builds running at the first sync; at the second, the listing has none and each
# build's own URL answers 503 asking for two hours.
jq -nc '((now - 86400) * 1000 | floor) as $t0 | "https://ci.acme.example/job/platform/job/build/" as $u |
	def b(n): {number: n, url: "\($u)\(n)/", result: null, building: true, timestamp: ($t0 + n * 60000), duration: 0};
	{url: $u, builds: [range(3; 0; -1) | b(.)]}' >"$T/api/first.json"
jq -nc '{url: "https://ci.acme.example/job/platform/job/build/", builds: []}' >"$T/api/second.json"
jq -nc '[{path: "/job/platform/job/build/api/json", responses: [{body_file: "first.json"}, {body_file: "second.json"}]}] +
	[range(1; 4) | {path: "/job/platform/job/build/\(.)/api/json",
		responses: [{status: 503, headers: {"Retry-After": "7200"}, body: "down for maintenance"}]}]' \
	>"$T/api/routes.json"
api_start "$T/api"
ok source add jenkins --name ci --url "$API_URL" --job platform/build
export PLUMB_SYNC_BACKOFF_MS=1
ok sync ci --json
expect_json '.[0] | "\(.status) \(.inserted)"' "ok 3"
cursors=$(sql "SELECT resource || '=' || cursor FROM sync_cursors ORDER BY resource" | paste -sd,)
: >"$API_LOG"
run sync ci --json
expect_status 1
expect_json '.[0].status' failed
expect_json '.[0].error | test("^source ci: http://127\\.0\\.0\\.1:[0-9]+/job/platform/job/build/[0-9]+/api/json")' true
expect_err "503 Service Unavailable: asked to retry in 2 h 0 min (Retry-After), longer than the 65 min plumb waits"
expect_json '.[0].error_hint | test("^Run the sync again after 20[0-9-]+T[0-9:.]+Z\\.$")' true
reads=$(jq -s '[.[] | select(.path | test("/build/[0-9]+/"))] | length' "$API_LOG")
[ "$reads" = 1 ] || fail "builds read after the server said it was down: $reads"
[ "$(sql "SELECT resource || '=' || cursor FROM sync_cursors ORDER BY resource" | paste -sd,)" = "$cursors" ] ||
	fail "the cursor moved"
[ "$(sql "SELECT COUNT(*) FROM ingest_staging")" = 0 ] || fail "staging left behind"
ok sync --status --json
expect_json '.[0].last_run.status' failed
ok audit verify
