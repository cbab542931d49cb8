# A new version of an SLO whose query changed: that series is read again over the SLO's time
# window, not from its cursor, which kept the old query's samples before it and took the new
# one's after it (its status mixed the two for a window's length); the series whose query
# is the same goes on from its cursor. The query's hash is kept by the cursor, not shown as
# an ETag.
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
mkdir "$T/prom"
cp "$ROOT/tests/http/scenarios/prometheus-slo/"*.json "$T/prom/"
jq '. + [{method: "GET", path: "/api/v1/query_range", query: {query: "sum(rate(http_requests_total[1m]))"},
	responses: [{status: 200, body_file: "total.json"}]}]' \
	"$ROOT/tests/http/scenarios/prometheus-slo/routes.json" >"$T/prom/routes.json"
api_start "$T/prom"
ok source add prometheus --name prom --api-url "$API_URL"
export PLUMB_NOW=2026-03-01T00:00:00Z
ok sync prom --since 2026-02-28T23:00:00Z --json
expect_json '.[0].status' ok
ok sync --status --json
expect_json '[.[0].resources[].etag] | unique | map(tostring) | join(",")' false
sed 's/query: sum(rate(requests_total\[1m\]))/query: sum(rate(http_requests_total[1m]))/' "$FIXTURES/slo/api.yaml" >"$T/api2.yaml"
grep -q http_requests_total "$T/api2.yaml" || fail "the SLO file was not changed"
ok slo import "$T/api2.yaml"
: >"$API_LOG"
export PLUMB_NOW=2026-03-01T01:00:00Z
ok sync prom --json
expect_json '.[0].status' ok
starts() { jq -s -r --arg q "$1" '[.[] | select(.query.query == $q) | .query.start] | first' "$API_LOG"; }
# 30 days before 01:00, and 10 minutes before the last sync's 00:00.
[ "$(starts 'sum(rate(http_requests_total[1m]))')" = 1769734800.000 ] ||
	fail "the changed total: $(starts 'sum(rate(http_requests_total[1m]))')"
[ "$(starts 'sum(rate(requests_total{code!~"5.."}[1m]))')" = 1772322600.000 ] ||
	fail "the good: $(starts 'sum(rate(requests_total{code!~"5.."}[1m]))')"
# Read once under the new query, it goes on from its cursor.
: >"$API_LOG"
export PLUMB_NOW=2026-03-01T02:00:00Z
ok sync prom --json
[ "$(starts 'sum(rate(http_requests_total[1m]))')" = 1772326200.000 ] ||
	fail "the total after: $(starts 'sum(rate(http_requests_total[1m]))')"
ok audit verify
