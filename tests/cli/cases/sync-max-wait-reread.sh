# --max-wait bounds a sync's run, not each request: a run whose waits passed it fails, even at
# a request whose failure it otherwise takes as one item not read (a CI run stored open that
# Jenkins will not give, left for the next sync). Taken so, each further build stored open was
# tried once more past the bound, each attempt up to the request's 60 s timeout, and the run
# published as if nothing was wrong.
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/api"
# Three builds running at the first sync; at the second, the listing has none (the walk reads
# nothing new) and each build's own URL answers 500 after 1.5 s.
jq -nc '((now - 86400) * 1000 | floor) as $t0 | "https://ci.acme.example/job/platform/job/build/" as $u |
	def b(n): {number: n, url: "\($u)\(n)/", result: null, building: true, timestamp: ($t0 + n * 60000), duration: 0};
	{url: $u, builds: [range(3; 0; -1) | b(.)]}' >"$T/api/first.json"
jq -nc '{url: "https://ci.acme.example/job/platform/job/build/", builds: []}' >"$T/api/second.json"
jq -nc '[{path: "/job/platform/job/build/api/json", responses: [{body_file: "first.json"}, {body_file: "second.json"}]}] +
	[range(1; 4) | {path: "/job/platform/job/build/\(.)/api/json", responses: [{status: 500, delay_ms: 1500, body: "overloaded"}]}]' \
	>"$T/api/routes.json"
api_start "$T/api"
ok source add jenkins --name ci --url "$API_URL" --job platform/build
export PLUMB_SYNC_BACKOFF_MS=1
ok sync ci --json
expect_json '.[0] | "\(.status) \(.inserted)"' "ok 3"
: >"$API_LOG"
run sync ci --max-wait 1 --json
expect_status 1
expect_json '.[0].status' failed
expect_err "plumb: error: source ci: $API_URL/job/platform/job/build/"
expect_err "500 Internal Server Error: not retried: "
expect_err "would take the waits past 1 s in all ("
reads=$(jq -s '[.[] | select(.path | test("/build/[0-9]+/"))] | length' "$API_LOG")
[ "$reads" = 1 ] || fail "builds read after the bound was passed: $reads"
ok sync --status --json
expect_json '.[0].last_run.status' failed
ok audit verify
