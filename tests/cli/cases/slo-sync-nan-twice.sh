# A time two series of one count query both give NaN for (a query by status code, every code
# dividing 0 by 0 in the same minute) is one time left out, said once: the warning counted
# it once per series that gave it (found in review).
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
mkdir "$T/prom"
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {code: "200"}, values: [[1772319600, "900"], [1772319660, "NaN"]]},
	{metric: {code: "302"}, values: [[1772319600, "50"], [1772319660, "NaN"]]}]}}' >"$T/prom/good.json"
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {}, values: [[1772319600, "1000"], [1772319660, "1000"]]}]}}' >"$T/prom/total.json"
jq -n -c '{status: "success", data: {resultType: "matrix", result: []}}' >"$T/prom/latency.json"
jq '.' "$ROOT/tests/http/scenarios/prometheus-slo/routes.json" >"$T/prom/routes.json"
api_start "$T/prom"
ok source add prometheus --name prom --api-url "$API_URL"
export PLUMB_NOW=2026-03-01T00:00:00Z
ok sync prom --since 2026-02-28T23:00:00Z --json
expect_json '.[0].status' ok
expect_err "plumb: warning: prom: 1 time of an SLO's count queries gave NaN or infinity (a query dividing 0 by 0?), first SLO api-availability at 2026-02-28T23:01:00.000Z: left out of every series of that SLO"
[ "$(sql "SELECT at || ':' || CAST(good AS INTEGER) || '/' || CAST(total AS INTEGER) FROM sli_samples WHERE slo_name = 'api-availability' ORDER BY at" | paste -sd,)" = \
	"1772319600000:950/1000" ] || fail "samples: $(sql "SELECT * FROM sli_samples")"
ok audit verify
