# slo status: a burn rate exactly at an alert threshold does not alert (the comparisons are
# strict, Google SRE workbook ch. 5 "Alerting on SLOs": burn rate = bad fraction / (1 - target),
# threshold = budget share x period / alert window, 10% in 1 day over 30 days = 3).  For a
# 28-day SLO of 95% the 1d/2h ticket threshold is 3 x 28 / 30 = 2.8, and 14 bad of 100 burns
# 0.14 / 0.05 = 2.8; in binary that was 2.8000000000000003 > 2.8, a ticket (found hunting).
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
file edge.yaml <<'YAML'
apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-edge
spec:
  service: api
  indicator:
    metadata:
      name: api-edge-success
    spec:
      ratioMetric:
        counter: false
        good:
          metricSource: {type: Prometheus, spec: {query: good}}
        total:
          metricSource: {type: Prometheus, spec: {query: total}}
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.95
YAML
ok slo import edge.yaml
export PLUMB_NOW=2026-03-31T00:00:00Z
# 5m..1d: 28 bad of 200 (0.14) -> 2.8, at the ticket threshold, under the page ones (13.44,
# 5.6); 3d: 28 bad of 10200 -> 0.0549..., under 1, so the 3d/6h rule cannot fire either.
file edge.csv <<'CSV'
time,good,total
2026-03-30T23:59:00Z,86,100
2026-03-30T12:00:00Z,86,100
2026-03-29T00:00:00Z,10000,10000
CSV
ok slo ingest --slo api-edge edge.csv
ok slo status --slo api-edge --json
expect_json '.[0].thresholds | "\(.page_1h_5m) \(.page_6h_30m) \(.ticket_1d_2h) \(.ticket_3d_6h)"' "13.44 5.6 2.8 1"
expect_json '[.[0].burn_rates | .["5m"], .["2h"], .["1d"]] | map(tostring) | join(" ")' "2.8 2.8 2.8"
expect_json '.[0] | "\(.alert) \(.alert_reason)"' "none null"
# 28 good of 10200 over the window: 1 - 0.0549019607843 = 0.945098039216 left (12 digits).
expect_json '.[0].error_budget_remaining' "0.945098039216"
# One more bad event in the last minute: 15 bad of 100 there, 29 of 200 over 1d -> 2.9 and
# 3 > 2.8: a ticket.
file more.csv <<'CSV'
time,good,total
2026-03-30T23:59:00Z,85,100
CSV
ok slo ingest --slo api-edge more.csv
ok slo status --slo api-edge --json
expect_json '[.[0].burn_rates | .["2h"], .["1d"]] | map(tostring) | join(" ")' "3 2.9"
expect_json '.[0] | "\(.alert): \(.alert_reason)"' "ticket: 1d and 2h burn rates above the ticket threshold"
# The text prints a burn rate on its side of each threshold (found hunting: 2.8004, a ticket
# for burning above 2.8, read "2.80"): 14002 bad of 100000 in the last minute burns
# 0.14002 / 0.05 = 2.8004 in every window (the 3d/6h rule's threshold is 1, the 1d/2h one's
# 2.8: a ticket).
sed 's/api-edge/api-above/' edge.yaml >above.yaml
ok slo import above.yaml
file above.csv <<'CSV'
time,good,total
2026-03-30T23:59:00Z,85998,100000
CSV
ok slo ingest --slo api-above above.csv
ok slo status
row() { grep -E "^$1 " "$T/out" | tr -s ' ' | cut -d' ' -f7-; }
[ "$(row api-above)" = "2.8004 2.8004 2.8004 ticket" ] || fail "api-above: $(row api-above)"
