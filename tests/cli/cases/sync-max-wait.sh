# A source's run pauses at most --max-wait (PLUMB_SYNC_MAX_WAIT, else 2 h) in all: a 503 asking
# each time for 65 minutes was waited on every attempt of every request, 4 h 20 min a
# request (found in the sync hunt). The pause that would pass the limit is not waited: the run
# fails at once, naming the source, the URL, the pause asked and what was waited before, and
# publishes nothing.
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/api"
jq -n -c '[
	{path: "/repos/acme/widgets/pulls", responses: [
		{status: 502, body: "upstream"},
		{status: 503, headers: {"Retry-After": "3900"}, body: "down for maintenance"}]}]' >"$T/api/routes.json"
api_start "$T/api"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL"
export PLUMB_SYNC_BACKOFF_MS=10
# Bad limits are refused before anything is read.
run sync gh --max-wait 0
expect_status 2
expect_err "--max-wait: '0' is not a number of seconds from 1 to 604800"
PLUMB_SYNC_MAX_WAIT=1h run sync gh
expect_status 2
expect_err "PLUMB_SYNC_MAX_WAIT: '1h' is not a number of seconds"
[ -s "$API_LOG" ] && fail "a refused limit still read: $(cat "$API_LOG")"
SECONDS=0
PLUMB_SYNC_MAX_WAIT=600 run sync gh --since 2024-01-01
expect_status 1
[ "$SECONDS" -lt 30 ] || fail "the sync waited ${SECONDS} s"
expect_err "plumb: error: source gh: $API_URL/repos/acme/widgets/pulls?state=all&sort=updated&direction=desc&per_page=100: 503 Service Unavailable: not retried: 65 min more (Retry-After) would take the waits past 10 min in all (1 s waited before, in pauses and failed attempts)"
expect_err "down for maintenance"
expect_err "hint: nothing was published; sync again later, or let a sync wait longer in all with --max-wait SECONDS (or PLUMB_SYNC_MAX_WAIT)"
[ "$(jq -s 'length' "$API_LOG")" = 2 ] || fail "requests: $(jq -s -c 'map(.path)' "$API_LOG")"
# --max-wait wins over the variable.
: >"$API_LOG"
PLUMB_SYNC_MAX_WAIT=999999 run sync gh --max-wait 5 --json
expect_status 1
expect_json '.[0].error | test("would take the waits past 5 s in all")' true
ok sync --status --json
expect_json '.[0].last_run.status' failed
[ "$(sql "SELECT COUNT(*) FROM events") $(sql "SELECT COUNT(*) FROM sync_cursors")" = "0 0" ] || fail "a failed run published"
ok audit verify
# The failed attempts' own time counts too, not the pauses alone: a server answering each
# attempt a 503 after 1.5 s (or only at the request's 60 s timeout) held a run 5 attempts a
# request, whatever the bound. Past the bound, no attempt is retried.
api_stop
mkdir "$T/slow"
jq -n -c '[{path: "/repos/acme/widgets/pulls", responses: [{status: 503, delay_ms: 1500, body: "overloaded"}]}]' \
	>"$T/slow/routes.json"
api_start "$T/slow"
ok source add github --name slow --repo acme/widgets --api-url "$API_URL"
run sync slow --since 2024-01-01 --max-wait 1
expect_status 1
expect_err "plumb: error: source slow: $API_URL/repos/acme/widgets/pulls?state=all&sort=updated&direction=desc&per_page=100: 503 Service Unavailable: not retried: "
expect_err "(backoff) would take the waits past 1 s in all ("
expect_err " waited before, in pauses and failed attempts)"
[ "$(jq -s 'length' "$API_LOG")" = 1 ] || fail "attempts: $(jq -s 'length' "$API_LOG")"
