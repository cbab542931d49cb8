# A Prometheus SLO whose metricSourceRef names no Prometheus source is read by no sync, and
# nothing said so: its status went stale in silence. Naming a source of another kind is refused
# at import, naming the file, line and field, nothing stored; a name no source has (one added
# later, or removed since) is warned of by each sync of a Prometheus source.
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok source add deploy --name hooks
sed -e 's/^\( *\)type: Prometheus$/&\n\1metricSourceRef: hooks/' "$FIXTURES/slo/api.yaml" >"$T/hooks.yaml"
grep -q 'metricSourceRef: hooks' "$T/hooks.yaml" || fail "the refs file: $(cat "$T/hooks.yaml")"
run slo import "$T/hooks.yaml"
expect_status 1
expect_err "$T/hooks.yaml:18: field spec.indicator.spec.ratioMetric.good.metricSource.metricSourceRef: source 'hooks' is a deploy source, not a Prometheus one, so no sync would read SLO api-availability"
expect_err "nothing was stored"
[ "$(sql "SELECT COUNT(*) FROM slos")" = 0 ] || fail "a version was stored"

sed -e 's/^\( *\)type: Prometheus$/&\n\1metricSourceRef: prom-eu/' "$FIXTURES/slo/api.yaml" >"$T/eu.yaml"
ok slo import "$T/eu.yaml"
api_start "$ROOT/tests/http/scenarios/prometheus-slo"
ok source add prometheus --name prom --api-url "$API_URL"
export PLUMB_NOW=2026-02-28T23:02:00Z
ok sync prom --since 2026-02-28T23:00:00Z --json
expect_json '.[0].status' ok
expect_err "plumb: warning: prom: 2 SLOs name no Prometheus source, so no sync reads them, first SLO api-availability (metricSourceRef prom-eu)"
[ "$(sql "SELECT COUNT(*) FROM sli_samples")" = 0 ] || fail "samples were stored"
ok audit verify
