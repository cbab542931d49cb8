# A count query's NaN or infinite point in a live Prometheus sync (a query dividing 0 by 0):
# that time is no sample of its SLO, left out of every series of it (a total kept without
# its good would count as all bad), and said; the rest of the sync is published. Refused as
# a file's point is, it failed every sync until the point left the window (found in review).
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
mkdir "$T/prom"
# good: two series, the second NaN at 23:01; total at 23:00 and 23:01.
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {code: "200"}, values: [[1772319600, "900"], [1772319660, "800"]]},
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
# A file's NaN count is still refused, naming the point: the file is the user's to mend.
run slo ingest --slo api-availability --series good "$T/prom/good.json"
expect_status 1
expect_err "data.result[1].values[1]: 'NaN': expected a count of events"
ok audit verify
