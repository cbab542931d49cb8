# A rate limit plumb will not wait out (a reset two hours away) fails a sync's run even at a
# read it otherwise takes as one item not read (a CI run stored open, left for the next
# sync). Taken so, each further build stored open was read once more, every read going into
# the spent limit (GitHub may block a client that keeps calling while limited), and the run
# published as if nothing was wrong (found in review).
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/api"
# Three builds running at the first sync; at the second, the listing has none and each
# build's own URL answers 429 asking for two hours.
jq -nc '((now - 86400) * 1000 | floor) as $t0 | "https://ci.acme.example/job/platform/job/build/" as $u |
	def b(n): {number: n, url: "\($u)\(n)/", result: null, building: true, timestamp: ($t0 + n * 60000), duration: 0};
	{url: $u, builds: [range(3; 0; -1) | b(.)]}' >"$T/api/first.json"
jq -nc '{url: "https://ci.acme.example/job/platform/job/build/", builds: []}' >"$T/api/second.json"
jq -nc '[{path: "/job/platform/job/build/api/json", responses: [{body_file: "first.json"}, {body_file: "second.json"}]}] +
	[range(1; 4) | {path: "/job/platform/job/build/\(.)/api/json",
		responses: [{status: 429, headers: {"Retry-After": "7200"}, body: "slow down"}]}]' \
	>"$T/api/routes.json"
api_start "$T/api"
ok source add jenkins --name ci --url "$API_URL" --job platform/build
export PLUMB_SYNC_BACKOFF_MS=1
ok sync ci --json
expect_json '.[0] | "\(.status) \(.inserted)"' "ok 3"
: >"$API_LOG"
run sync ci --json
expect_status 1
expect_json '.[0].status' failed
expect_err "429 Too Many Requests: rate limited until "
expect_err "(in 2 h 0 min), longer than the 65 min plumb waits"
reads=$(jq -s '[.[] | select(.path | test("/build/[0-9]+/"))] | length' "$API_LOG")
[ "$reads" = 1 ] || fail "builds read after the limit was spent: $reads"
ok sync --status --json
expect_json '.[0].last_run.status' failed
ok audit verify
