# Two Prometheus sources: samples are kept by SLO and time, not by source, so an SLO naming no
# metricSourceRef, which every Prometheus source reads, had each sync store its samples over
# the other's (and one's NaN removal or changed-query clear delete the other's). Refused where
# it comes about: adding a second Prometheus source, importing such an SLO beside two, and a
# sync of a database that has both already; with metricSourceRef each source reads its own.
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
api_start "$ROOT/tests/http/scenarios/prometheus-slo"
ok source add prometheus --name prom --api-url "$API_URL"
run source add prometheus --name prom2 --api-url "$API_URL"
expect_status 5
expect_err "plumb: error: SLO api-availability names no metricSourceRef, so each of the Prometheus sources prom, prom2 reads it and stores its samples over the others'"
expect_err "2 SLOs name none: api-availability, api-latency"
expect_err "then add prom2; nothing was changed"
[ "$(sql "SELECT name FROM sources ORDER BY name" | paste -sd,)" = prom ] || fail "prom2 was stored"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'source.add' AND object_id = 'prom2'")" = 0 ] ||
	fail "prom2's add was audited"
# Another kind is no second reader.
ok source add deploy --name hooks

# Each SLO naming its source: the second may be added, and each sync reads its own SLOs.
sed -e 's/^\( *\)type: Prometheus$/&\n\1metricSourceRef: prom/' "$FIXTURES/slo/api.yaml" |
	awk '/name: api-latency/ { lat = 1 } { if (lat) sub(/metricSourceRef: prom$/, "metricSourceRef: prom2"); print }' >"$T/refs.yaml"
[ "$(grep -c 'metricSourceRef: prom$' "$T/refs.yaml"):$(grep -c 'metricSourceRef: prom2$' "$T/refs.yaml")" = 2:1 ] ||
	fail "the refs file: $(cat "$T/refs.yaml")"
ok slo import "$T/refs.yaml"
ok source add prometheus --name prom2 --api-url "$API_URL"
export PLUMB_NOW=2026-03-01T00:00:00Z
ok sync prom2 --since 2026-02-28T23:00:00Z --json
expect_json '.[0].status' ok
jq -s -e 'length == 1 and (.[0].query.query | test("latency"))' "$API_LOG" >/dev/null ||
	fail "prom2 read another source's SLO: $(cat "$API_LOG")"
: >"$API_LOG"
ok sync prom --since 2026-02-28T23:00:00Z --json
expect_json '.[0].status' ok
jq -s -e 'length == 2 and all(.[]; .query.query | test("requests_total"))' "$API_LOG" >/dev/null ||
	fail "prom read another source's SLO: $(cat "$API_LOG")"

# An SLO naming none, imported while two Prometheus sources exist: refused, naming the file,
# the line and the field.
run slo import "$FIXTURES/slo/api.yaml"
expect_status 5
expect_err "plumb: error: $FIXTURES/slo/api.yaml:18: field spec.indicator.spec.ratioMetric.good.metricSource.metricSourceRef: missing, and SLO api-availability would be read by each of the Prometheus sources prom, prom2, which store their samples over one another's"
expect_err "name the source that reads it (metricSourceRef: prom, say); nothing was stored"
[ "$(sql "SELECT COUNT(*) FROM slos")" = 4 ] || fail "a version was stored: $(sql "SELECT name, version FROM slos")"

# A database that has both already (from before plumb refused them): each sync is refused,
# and nothing is read or written.
sql "UPDATE slos SET spec = REPLACE(spec, '\"source_ref\":\"prom2\"', '\"source_ref\":null') WHERE name = 'api-latency'"
[ "$(sql "SELECT COUNT(*) FROM slos WHERE name = 'api-latency' AND spec LIKE '%prom2%'")" = 0 ] ||
	fail "the stored spec was not changed: $(sql "SELECT spec FROM slos WHERE name = 'api-latency'")"
before=$(sql "SELECT COUNT(*) FROM sli_samples")
: >"$API_LOG"
export PLUMB_NOW=2026-03-01T01:00:00Z
run sync prom
[ "$status" -ne 0 ] || fail "the sync went on"
expect_err "SLO api-latency names no metricSourceRef, so each of the Prometheus sources prom, prom2 reads it"
expect_err "or remove the other sources; nothing was synced"
[ ! -s "$API_LOG" ] || fail "the refused sync sent requests: $(cat "$API_LOG")"
[ "$(sql "SELECT COUNT(*) FROM sli_samples")" = "$before" ] || fail "the refused sync wrote samples"
ok audit verify
