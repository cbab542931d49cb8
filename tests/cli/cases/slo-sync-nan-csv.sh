# A time a count query gives NaN for is left out, and a sample this source stored there before
# goes; one that 'slo ingest' stored from a file is not this source's: it stays, at a time no sync
# of the source read before (removed, a backfill from a CSV was lost to a Prometheus 0/0), and
# when the next sync reads that time again (removed before samples kept their origin, schema 25).
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
printf 'time,good,total\n2026-02-28T23:01:00Z,5,10\n' >"$T/backfill.csv"
ok slo ingest --slo api-availability "$T/backfill.csv"
mkdir "$T/prom"
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {}, values: [[1772319600, "900"], [1772319660, "800"]]}]}}' >"$T/prom/good.json"
jq -n -c '{status: "success", data: {resultType: "matrix", result: [
	{metric: {}, values: [[1772319600, "1000"], [1772319660, "NaN"]]}]}}' >"$T/prom/total.json"
jq -n -c '{status: "success", data: {resultType: "matrix", result: []}}' >"$T/prom/latency.json"
cp "$ROOT/tests/http/scenarios/prometheus-slo/routes.json" "$T/prom/routes.json"
api_start "$T/prom"
ok source add prometheus --name prom --api-url "$API_URL"
samples() { sql "SELECT at || ':' || COALESCE(CAST(CAST(good AS INTEGER) AS TEXT), '-') || '/' || COALESCE(CAST(CAST(total AS INTEGER) AS TEXT), '-') FROM sli_samples WHERE slo_name = 'api-availability' ORDER BY at" | paste -sd,; }
export PLUMB_NOW=2026-02-28T23:02:00Z
ok sync prom --since 2026-02-28T23:00:00Z --json
expect_json '.[0].status' ok
expect_err "plumb: warning: prom: 1 time of an SLO's count queries gave NaN or infinity (a query dividing 0 by 0?), first SLO api-availability at 2026-02-28T23:01:00.000Z: left out of every series of that SLO"
[ "$(samples)" = "1772319600000:900/1000,1772319660000:5/10" ] || fail "the file's sample went: $(samples)"
ok audit log --json
expect_json '[.[] | select(.action == "slo.ingest" and .object_type == "source")][-1].detail.removed_unknown' null
export PLUMB_NOW=2026-02-28T23:03:00Z
ok sync prom --json
expect_json '.[0].status' ok
[ "$(samples)" = "1772319600000:900/1000,1772319660000:5/10" ] || fail "the next sync removed the file's sample: $(samples)"
ok audit verify
