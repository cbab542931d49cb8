# A new version of an SLO with a longer time window (1d to 2d here), its query and step the
# same: the series reads its window's older part, which no sync read, once. Gone on from its
# cursor, the status over 2 days held a day of samples, its budget that day's. The window is
# kept in the cursor beside the step; a shorter one reads nothing again.
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
api_start "$ROOT/tests/http/scenarios/prometheus-slo"
ok source add prometheus --name prom --api-url "$API_URL"
starts() { jq -s -r --arg q "$1" '[.[] | select(.query.query | test($q)) | .query.start] | first' "$API_LOG"; }
export PLUMB_NOW=2026-02-28T23:30:00Z
ok sync prom --since 2026-02-28T23:00:00Z --json
expect_json '.[0].status' ok
[ "$(sql "SELECT etag FROM sync_cursors WHERE resource = 'slo:api-latency:value'" | cut -d' ' -f2-)" = "step:60000 window:86400000 nan:" ] ||
	fail "the cursor: $(sql "SELECT etag FROM sync_cursors WHERE resource = 'slo:api-latency:value'")"
sed 's/duration: 1d/duration: 2d/' "$FIXTURES/slo/api.yaml" >"$T/api2d.yaml"
grep -q 'duration: 2d' "$T/api2d.yaml" || fail "the SLO file was not changed"
ok slo import "$T/api2d.yaml"
: >"$API_LOG"
export PLUMB_NOW=2026-02-28T23:45:00Z
ok sync prom --json
expect_json '.[0].status' ok
# Two days before 23:45, from the 10-minute slice holding it (23:40: from 23:45 the oldest
# slice was judged on its last five samples); the ratio SLO, its window the same, from
# 10 minutes before its cursor.
[ "$(starts latency)" = 1772149200.000 ] || fail "the latency query after its window grew: $(starts latency)"
[ "$(starts requests_total)" = 1772320800.000 ] || fail "the availability queries: $(starts requests_total)"
# Once: the next sync goes on from the cursor; so does one after the window shrank.
: >"$API_LOG"
export PLUMB_NOW=2026-02-28T23:50:00Z
ok sync prom --json
[ "$(starts latency)" = 1772321700.000 ] || fail "the next sync: $(starts latency)"
ok slo import "$FIXTURES/slo/api.yaml"
: >"$API_LOG"
export PLUMB_NOW=2026-02-28T23:55:00Z
ok sync prom --json
[ "$(starts latency)" = 1772322000.000 ] || fail "after the window shrank: $(starts latency)"
ok audit verify
