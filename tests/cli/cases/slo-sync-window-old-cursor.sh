# A series cursor an older plumb set keeps no window in its ETag column ("<sha256> step:<ms>
# nan:"): a window grown since (1d to 2d here) was taken as the same and its older part never
# read. The window is the one of the SLO's version in force when the cursor was set: read once.
source "$ROOT/tests/http/apiserver.sh"
init_db
export PLUMB_NOW=2026-02-28T22:00:00Z
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
api_start "$ROOT/tests/http/scenarios/prometheus-slo"
ok source add prometheus --name prom --api-url "$API_URL"
starts() { jq -s -r --arg q "$1" '[.[] | select(.query.query | test($q)) | .query.start] | first' "$API_LOG"; }
export PLUMB_NOW=2026-02-28T23:30:00Z
ok sync prom --since 2026-02-28T23:03:00Z --json
expect_json '.[0].status' ok
# A window read anew starts at the slice at or before its start (23:00 for the 10-minute
# slices): from 23:03, the slice to 23:10 was judged on its last seven samples only. By
# Occurrences, at the minute.
[ "$(starts latency)" = 1772319600.000 ] || fail "the latency query's first read: $(starts latency)"
[ "$(starts requests_total)" = 1772319780.000 ] || fail "the ratio's first read: $(starts requests_total)"
# As an older plumb left them: no window.
sql "UPDATE sync_cursors SET etag = replace(etag, ' window:86400000', '') WHERE resource LIKE 'slo:%'" >/dev/null
[ "$(sql "SELECT etag FROM sync_cursors WHERE resource = 'slo:api-latency:value'" | cut -d' ' -f2-)" = "step:60000 nan:" ] ||
	fail "the old cursor: $(sql "SELECT etag FROM sync_cursors WHERE resource = 'slo:api-latency:value'")"
export PLUMB_NOW=2026-02-28T23:40:00Z
sed 's/duration: 1d/duration: 2d/' "$FIXTURES/slo/api.yaml" >"$T/api2d.yaml"
grep -q 'duration: 2d' "$T/api2d.yaml" || fail "the SLO file was not changed"
ok slo import "$T/api2d.yaml"
: >"$API_LOG"
export PLUMB_NOW=2026-02-28T23:45:00Z
ok sync prom --json
expect_json '.[0].status' ok
# Two days before 23:45, from the 10-minute slice at or before it (23:40); the ratio SLO, its
# window the same, from 10 minutes before its cursor.
[ "$(starts latency)" = 1772149200.000 ] || fail "the latency query after its window grew: $(starts latency)"
[ "$(starts requests_total)" = 1772320800.000 ] || fail "the availability queries: $(starts requests_total)"
# The cursor keeps the window now: the next sync goes on from it.
[ "$(sql "SELECT etag FROM sync_cursors WHERE resource = 'slo:api-latency:value'" | cut -d' ' -f2-)" = "step:60000 window:172800000 nan:" ] ||
	fail "the new cursor: $(sql "SELECT etag FROM sync_cursors WHERE resource = 'slo:api-latency:value'")"
: >"$API_LOG"
export PLUMB_NOW=2026-02-28T23:50:00Z
ok sync prom --json
[ "$(starts latency)" = 1772321700.000 ] || fail "the next sync: $(starts latency)"
# A cursor stored with nothing beside it (before plumb kept the query's hash) is read the same
# way: its window, 2d then, grown to 3d since (the latency's read again whatever its window:
# such a cursor was set at the slice's step, slo-sync-step-changed), from 23:50 three days ago.
sql "UPDATE sync_cursors SET etag = NULL WHERE resource LIKE 'slo:%'" >/dev/null
export PLUMB_NOW=2026-02-28T23:52:00Z
sed 's/duration: 1d/duration: 3d/' "$FIXTURES/slo/api.yaml" >"$T/api3d.yaml"
ok slo import "$T/api3d.yaml"
: >"$API_LOG"
export PLUMB_NOW=2026-02-28T23:55:00Z
ok sync prom --json
expect_json '.[0].status' ok
[ "$(starts latency)" = 1772063400.000 ] || fail "the latency query after a bare cursor's window grew: $(starts latency)"
[ "$(starts requests_total)" = 1772322000.000 ] || fail "the availability queries from bare cursors: $(starts requests_total)"
ok audit verify
