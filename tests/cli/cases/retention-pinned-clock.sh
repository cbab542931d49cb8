# retention apply without --as-of applies as of the system clock, even when PLUMB_NOW (business
# time, left in the environment from looking at data as of a day) is ahead of it: a pinned
# clock alone never deletes early (found in review: PLUMB_NOW=2031-01-01 deleted every event
# years before its rule). A later date takes --as-of too, given on purpose; plan follows
# PLUMB_NOW as every read does.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
ASOF=$(date -u -d "@$((NOW + 60 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add deploy --name deploys
ok identity link deploy lschmidt --person E101 # DE: events kept 730 days
{
	echo "id,service,environment,sha,ref,started,finished,status,actor"
	echo "D1,api,production,aaaaaa1,main,$(ago 700),$(ago 700),success,lschmidt" # due in 30 days
	echo "D2,api,production,aaaaaa2,main,$(ago 10),$(ago 10),success,lschmidt"
} >"$T/events.csv"
ok ingest --source deploys "$T/events.csv"
ok policy import "$ROOT/examples/policy.yaml"
grep -q "^      events: {days: 730, action: delete}" "$ROOT/examples/policy.yaml" || fail "the example policy changed"

PLUMB_NOW="$ASOF" ok retention plan --json
expect_json '[.lines[] | select(.category == "events" and .country == "DE")][0].due' 1
PLUMB_NOW="$ASOF" ok retention apply --json
expect_json '[.lines[] | select(.category == "events" and .country == "DE")][0].affected' 0
as_of=$(json .as_of)
[ "$(date -u -d "$as_of" +%s)" -le "$(date -u +%s)" ] || fail "applied as of $as_of, past the system clock"
[ "$(sql "SELECT COUNT(*) FROM events")" = 2 ] || fail "a pinned clock alone deleted events"
# Given on purpose, with the clock pinned to it, the later date applies.
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
expect_json '[.lines[] | select(.category == "events" and .country == "DE")][0].affected' 1
[ "$(sql "SELECT COUNT(*) FROM events")" = 1 ] || fail "the later date given on purpose did not apply"
# Still never past business time.
run retention apply --as-of "$ASOF"
expect_status 2
expect_err "is in the future"
ok audit verify
