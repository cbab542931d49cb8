# A series whose query changed is read again over the window and the old query's samples go
# where the new query gives no point; a sample 'slo ingest' stored from a file is not the old
# query's: it stays, at a time no sync of the source read before (cleared, a backfill from a CSV
# was lost to the new query's gap) and at one a sync read (cleared before samples kept their
# origin, schema 25), as the NaN removal spares it.
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
mkdir "$T/prom"
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {}, values: [[1772319600, "900"], [1772319660, "800"]]}]}}' >"$T/prom/good.json"
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {}, values: [[1772319600, "1000"], [1772319660, "1000"]]}]}}' >"$T/prom/total.json"
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {}, values: [[1772319600, "2000"]]}]}}' >"$T/prom/total2.json"
jq -n -c '{status: "success", data: {resultType: "matrix", result: []}}' >"$T/prom/latency.json"
jq '. + [{method: "GET", path: "/api/v1/query_range", query: {query: "sum(rate(http_requests_total[1m]))"},
	responses: [{status: 200, body_file: "total2.json"}]}]' \
	"$ROOT/tests/http/scenarios/prometheus-slo/routes.json" >"$T/prom/routes.json"
api_start "$T/prom"
ok source add prometheus --name prom --api-url "$API_URL"
samples() { sql "SELECT at || ':' || COALESCE(CAST(CAST(good AS INTEGER) AS TEXT), '-') || '/' || COALESCE(CAST(CAST(total AS INTEGER) AS TEXT), '-') FROM sli_samples WHERE slo_name = 'api-availability' ORDER BY at" | paste -sd,; }
export PLUMB_NOW=2026-02-28T23:02:00Z
ok sync prom --since 2026-02-28T23:00:00Z --json
[ "$(samples)" = "1772319600000:900/1000,1772319660000:800/1000" ] || fail "first sync: $(samples)"
export PLUMB_NOW=2026-02-28T23:05:00Z
printf 'time,good,total\n2026-02-28T23:00:30Z,7,14\n2026-02-28T23:04:00Z,5,10\n' >"$T/backfill.csv"
ok slo ingest --slo api-availability "$T/backfill.csv"
sed 's/query: sum(rate(requests_total\[1m\]))/query: sum(rate(http_requests_total[1m]))/' "$FIXTURES/slo/api.yaml" >"$T/api2.yaml"
grep -q http_requests_total "$T/api2.yaml" || fail "the SLO file was not changed"
ok slo import "$T/api2.yaml"
ok sync prom --json
expect_json '.[0].status' ok
[ "$(samples)" = "1772319600000:900/2000,1772319630000:7/14,1772319660000:800/-,1772319840000:5/10" ] ||
	fail "a file's sample was cleared: $(samples)"
ok audit log --json
expect_json '[.[] | select(.action == "slo.ingest" and .object_type == "source")][-1].detail.removed_old_query' 1
ok audit verify
