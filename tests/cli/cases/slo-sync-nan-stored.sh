# A time a count query gives NaN for where an earlier sync stored the other count (the total
# had no point yet at 23:01, its sample late, while the good had one): the sample stored there
# goes too, as the time is left out of every series of its SLO. Kept, its good stood without a
# total for good.
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
mkdir "$T/prom"
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {}, values: [[1772319600, "900"], [1772319660, "800"]]}]}}' >"$T/prom/good.json"
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {}, values: [[1772319600, "1000"]]}]}}' >"$T/prom/total.json"
jq -n -c '{status: "success", data: {resultType: "matrix", result: []}}' >"$T/prom/latency.json"
jq '.' "$ROOT/tests/http/scenarios/prometheus-slo/routes.json" >"$T/prom/routes.json"
api_start "$T/prom"
ok source add prometheus --name prom --api-url "$API_URL"
samples() { sql "SELECT at || ':' || COALESCE(CAST(CAST(good AS INTEGER) AS TEXT), '-') || '/' || COALESCE(CAST(CAST(total AS INTEGER) AS TEXT), '-') FROM sli_samples WHERE slo_name = 'api-availability' ORDER BY at" | paste -sd,; }
export PLUMB_NOW=2026-02-28T23:02:00Z
ok sync prom --since 2026-02-28T23:00:00Z --json
[ "$(samples)" = "1772319600000:900/1000,1772319660000:800/-" ] || fail "first sync: $(samples)"
# The next sync reads 23:01 again (10 minutes back from its cursor): the total there is NaN.
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {}, values: [[1772319600, "1000"], [1772319660, "NaN"]]}]}}' >"$T/prom/total.json"
export PLUMB_NOW=2026-02-28T23:05:00Z
ok sync prom --json
expect_json '.[0].status' ok
expect_err "plumb: warning: prom: 1 time of an SLO's count queries gave NaN or infinity (a query dividing 0 by 0?), first SLO api-availability at 2026-02-28T23:01:00.000Z: left out of every series of that SLO"
[ "$(samples)" = "1772319600000:900/1000" ] || fail "the good at 23:01 stayed without its total: $(samples)"
ok audit log --json
expect_json '[.[] | select(.action == "slo.ingest" and .object_type == "source")][-1].detail.removed_unknown' 1
# Said once: the next syncs read 23:01 again (the lookback), still NaN, with nothing stored
# there to remove: no warning (each sync for 10 minutes warned of it again). A NaN at a time
# not read before (23:08, past the cursor) is warned of.
export PLUMB_NOW=2026-02-28T23:07:00Z
ok sync prom --json
expect_json '.[0].status' ok
grep -q "warning" "$T/err" && fail "23:01 warned of again: $(cat "$T/err")"
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {}, values: [[1772319600, "1000"], [1772319660, "NaN"], [1772320080, "NaN"]]}]}}' >"$T/prom/total.json"
export PLUMB_NOW=2026-02-28T23:08:00Z
ok sync prom --json
expect_err "plumb: warning: prom: 1 time of an SLO's count queries gave NaN or infinity (a query dividing 0 by 0?), first SLO api-availability at 2026-02-28T23:08:00.000Z: left out"
export PLUMB_NOW=2026-02-28T23:09:00Z
ok sync prom --json
grep -q "warning" "$T/err" && fail "23:08 warned of again: $(cat "$T/err")"
ok audit verify
