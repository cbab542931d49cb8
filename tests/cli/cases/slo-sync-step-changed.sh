# A new version of an SLO that changes its step (timeSliceWindow here; budgetingMethod too) but
# keeps its query is read again over its time window, as a changed query is: gone on from its
# cursor, the window held samples of two grids (10-minute slices at 23:10 and 23:20 among the
# 15-minute ones), and its status counted both. The old step's samples the new read gives no
# point for go. The step is kept beside the query's hash in the cursor; a cursor without it
# (from before plumb kept it) goes on when the step of the SLO's version in force when it was
# set is the same, and starts over when it is not: such a cursor was set at the slice's step
# (plumb read a threshold SLI finer than its slice only once it kept the step), so a threshold
# SLI's one is read again, its old slices holding one sample each.
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
mkdir "$T/prom"
jq -n -c '{status: "success", data: {resultType: "matrix", result: []}}' >"$T/prom/empty.json"
# 23:00, 23:10 and 23:20 on the 10-minute grid; then 23:00 and 23:15 on the 15-minute one.
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {}, values: [[1772319600, "0.2"], [1772320200, "0.9"], [1772320800, "0.9"]]}]}}' >"$T/prom/latency10.json"
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {}, values: [[1772319600, "0.2"], [1772320500, "0.3"]]}]}}' >"$T/prom/latency15.json"
cat >"$T/prom/routes.json" <<'EOF'
[
 {"method": "GET", "path": "/api/v1/query_range",
  "query": {"query": "histogram_quantile(0.99, sum(rate(latency_bucket[5m])) by (le))"},
  "responses": [{"status": 200, "body_file": "latency10.json"}, {"status": 200, "body_file": "latency15.json"}]},
 {"method": "GET", "path": "/api/v1/query_range", "responses": [{"status": 200, "body_file": "empty.json"}]}
]
EOF
api_start "$T/prom"
ok source add prometheus --name prom --api-url "$API_URL"
latency() { sql "SELECT at / 1000 FROM sli_samples WHERE slo_name = 'api-latency' ORDER BY at" | paste -sd,; }
starts() { jq -s -r '[.[] | select(.query.query | test("latency")) | "\(.query.start) \(.query.step)"] | first' "$API_LOG"; }
export PLUMB_NOW=2026-02-28T23:30:00Z
ok sync prom --since 2026-02-28T23:00:00Z --json
expect_json '.[0].status' ok
[ "$(latency)" = 1772319600,1772320200,1772320800 ] || fail "first sync: $(latency)"
[ "$(sql "SELECT etag FROM sync_cursors WHERE resource = 'slo:api-latency:value'" | cut -d' ' -f2-)" = "step:60000 window:86400000 nan:" ] ||
	fail "the cursor: $(sql "SELECT etag FROM sync_cursors WHERE resource = 'slo:api-latency:value'")"
sed 's/timeSliceWindow: 10m/timeSliceWindow: 15m/' "$FIXTURES/slo/api.yaml" >"$T/api15.yaml"
grep -q 'timeSliceWindow: 15m' "$T/api15.yaml" || fail "the SLO file was not changed"
ok slo import "$T/api15.yaml"
: >"$API_LOG"
export PLUMB_NOW=2026-02-28T23:45:00Z
ok sync prom --json
expect_json '.[0].status' ok
# One day (the SLO's window) before 23:45, at 90-second steps (a tenth of the 15-minute
# slice); not from 10 minutes before the cursor.
[ "$(starts)" = "1772235900.000 90.000" ] || fail "the latency query after its step changed: $(starts)"
[ "$(latency)" = 1772319600,1772320500 ] || fail "the old step's samples stayed: $(latency)"
ok audit log --json
expect_json '[.[] | select(.action == "slo.ingest" and .object_type == "source")][-1].detail.removed_old_query' 2
# The same step again: on from the cursor (23:45, less 10 minutes, on the 90-second grid).
: >"$API_LOG"
export PLUMB_NOW=2026-02-28T23:50:00Z
ok sync prom --json
[ "$(starts)" = "1772321670.000 90.000" ] || fail "the next sync: $(starts)"
# A cursor without the step was set at the 15-minute slice, one sample a slice, each slice
# judged on that one sample whatever timeSliceTarget says: read again over the window (from
# the slice at or before 23:55 a day ago), not gone on from the cursor at 90-second steps.
sql "UPDATE sync_cursors SET etag = REPLACE(etag, ' step:90000', '') WHERE resource = 'slo:api-latency:value'"
[ "$(sql "SELECT etag FROM sync_cursors WHERE resource = 'slo:api-latency:value'" | cut -d' ' -f2-)" = "window:86400000 nan:" ] ||
	fail "the cursor was not made old"
: >"$API_LOG"
export PLUMB_NOW=2026-02-28T23:55:00Z
ok sync prom --json
[ "$(starts)" = "1772235900.000 90.000" ] || fail "the old cursor of a threshold SLI: $(starts)"
[ "$(sql "SELECT etag FROM sync_cursors WHERE resource = 'slo:api-latency:value'" | cut -d' ' -f2-)" = "step:90000 window:86400000 nan:" ] ||
	fail "the cursor read again: $(sql "SELECT etag FROM sync_cursors WHERE resource = 'slo:api-latency:value'")"
# A cursor with neither step nor window (set at 23:55, under the 15-minute version) and a
# 10-minute version imported since: read again over the window at 1-minute steps. Gone on
# from the cursor, the window held 15-minute samples among the 10-minute ones.
sql "UPDATE sync_cursors SET etag = substr(etag, 1, 64) || ' nan:' WHERE resource = 'slo:api-latency:value'"
[ "$(sql "SELECT etag FROM sync_cursors WHERE resource = 'slo:api-latency:value'" | cut -d' ' -f2-)" = "nan:" ] ||
	fail "the cursor was not made older"
export PLUMB_NOW=2026-02-28T23:57:00Z
ok slo import "$FIXTURES/slo/api.yaml"
: >"$API_LOG"
export PLUMB_NOW=2026-03-01T00:00:00Z
ok sync prom --json
expect_json '.[0].status' ok
[ "$(starts)" = "1772236800.000 60.000" ] || fail "the old cursor after the step changed: $(starts)"
ok audit verify
