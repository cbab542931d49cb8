# A new version of a ratio SLO that counts bad events where it counted good ones: its bad
# series is read over the window, and the good values the old version's sync stored there go.
# Left, a step where the bad query gave no point (no error then) kept its old good count,
# which status read as the numerator (200 bad of 1000 at 23:01, where none was bad).
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
	{metric: {}, values: [[1772319600, "10"]]}]}}' >"$T/prom/bad.json"
jq -n -c '{status: "success", data: {resultType: "matrix", result: []}}' >"$T/prom/latency.json"
jq '. + [{method: "GET", path: "/api/v1/query_range", query: {query: "sum(rate(requests_total{code=~\"5..\"}[1m]))"},
	responses: [{status: 200, body_file: "bad.json"}]}]' \
	"$ROOT/tests/http/scenarios/prometheus-slo/routes.json" >"$T/prom/routes.json"
api_start "$T/prom"
ok source add prometheus --name prom --api-url "$API_URL"
samples() { sql "SELECT at || ':' || COALESCE(CAST(CAST(good AS INTEGER) AS TEXT), '-') || '/' || COALESCE(CAST(CAST(bad AS INTEGER) AS TEXT), '-') || '/' || COALESCE(CAST(CAST(total AS INTEGER) AS TEXT), '-') FROM sli_samples WHERE slo_name = 'api-availability' ORDER BY at" | paste -sd,; }
export PLUMB_NOW=2026-02-28T23:02:00Z
ok sync prom --since 2026-02-28T23:00:00Z --json
[ "$(samples)" = "1772319600000:900/-/1000,1772319660000:800/-/1000" ] || fail "first sync: $(samples)"
sed -e 's/^        good:$/        bad:/' -e 's/code!~"5\.\."/code=~"5.."/' "$FIXTURES/slo/api.yaml" >"$T/api-bad.yaml"
grep -q '^        bad:$' "$T/api-bad.yaml" && grep -q 'code=~' "$T/api-bad.yaml" || fail "the SLO file was not changed"
ok slo import "$T/api-bad.yaml"
export PLUMB_NOW=2026-02-28T23:05:00Z
ok sync prom --json
expect_json '.[0].status' ok
[ "$(samples)" = "1772319600000:-/10/1000,1772319660000:-/-/1000" ] || fail "the old good stayed: $(samples)"
ok audit log --json
expect_json '[.[] | select(.action == "slo.ingest" and .object_type == "source")][-1].detail.removed_old_query' 1
# 10 bad of 2000: none at 23:01.
ok slo status --slo api-availability --json
expect_json '.[0] | "\(.good) \(.total)"' "1990 2000"
ok audit verify
