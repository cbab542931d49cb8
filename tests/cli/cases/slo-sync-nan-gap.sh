# A time read before with no point in any series (a gap: nothing stored there) that gives NaN
# on a later read is warned of, once: its series' cursors keep the times that were unknown
# when last read, so a gap turning NaN is told from a NaN read again (the lookback). Taken as
# warned of, it never was.
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
mkdir "$T/prom"
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {}, values: [[1772319600, "900"]]}]}}' >"$T/prom/good.json"
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {}, values: [[1772319600, "1000"]]}]}}' >"$T/prom/total.json"
jq -n -c '{status: "success", data: {resultType: "matrix", result: []}}' >"$T/prom/latency.json"
cp "$ROOT/tests/http/scenarios/prometheus-slo/routes.json" "$T/prom/routes.json"
api_start "$T/prom"
ok source add prometheus --name prom --api-url "$API_URL"
export PLUMB_NOW=2026-02-28T23:02:00Z
ok sync prom --since 2026-02-28T23:00:00Z --json
grep -q "warning" "$T/err" && fail "a warning on the first sync: $(cat "$T/err")"
# The next sync reads 23:01 again (the lookback): the total there is now NaN.
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {}, values: [[1772319600, "1000"], [1772319660, "NaN"]]}]}}' >"$T/prom/total.json"
export PLUMB_NOW=2026-02-28T23:05:00Z
ok sync prom --json
expect_json '.[0].status' ok
expect_err "plumb: warning: prom: 1 time of an SLO's count queries gave NaN or infinity (a query dividing 0 by 0?), first SLO api-availability at 2026-02-28T23:01:00.000Z: left out of every series of that SLO"
# Read again, still NaN: said once.
export PLUMB_NOW=2026-02-28T23:06:00Z
ok sync prom --json
grep -q "warning" "$T/err" && fail "23:01 warned of again: $(cat "$T/err")"
ok sync --status --json
expect_json '[.[0].resources[].etag] | unique | map(tostring) | join(",")' false
# A cursor from before the times were kept (its query's hash alone) goes on from itself.
sql "UPDATE sync_cursors SET etag = substr(etag, 1, 64)" >/dev/null
: >"$API_LOG"
export PLUMB_NOW=2026-02-28T23:07:00Z
ok sync prom --json
# 10 minutes before the cursor, 23:06.
starts=$(jq -s -r '[.[] | select(.query.query | test("^sum")) | .query.start] | unique | join(",")' "$API_LOG")
[ "$starts" = 1772319360.000 ] || fail "read from: $starts"
ok audit verify
