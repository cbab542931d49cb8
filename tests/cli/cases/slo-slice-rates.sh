# slo status by Timeslices: a slice is good when its good / total reaches timeSliceTarget
# (docs/metrics.md), counted as the decimals the samples give, as rates may be ("only ratios
# matter", docs/cli.md, slo ingest).  0.009 good of 0.01 is exactly 90%, but in binary
# 0.009 / 0.01 is 0.8999999999999999, under 0.9: the slice counted bad (found hunting).
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
file slices.yaml <<'YAML'
apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-slices
spec:
  service: api
  indicator:
    metadata:
      name: api-slices-ok
    spec:
      ratioMetric:
        counter: false
        good:
          metricSource: {type: Prometheus, spec: {query: "sum(rate(ok[1m]))"}}
        total:
          metricSource: {type: Prometheus, spec: {query: "sum(rate(all[1m]))"}}
  timeWindow:
    - duration: 1h
      isRolling: true
  budgetingMethod: Timeslices
  objectives:
    - target: 0.5
      timeSliceTarget: 0.9
      timeSliceWindow: 5m
YAML
ok slo import slices.yaml
# Slices of 5 minutes, each holding the sample at its end:
#   (09:55, 10:00]  0.009 of 0.01  = 90%, good (it reaches 0.9)
#   (10:00, 10:05]  9 of 10        = 90%, good
#   (10:05, 10:10]  0.0089 of 0.01 = 89%, bad
# At 10:30 the 1-hour window holds the three: 2 good of 3 slices, attainment 2/3; the bad
# share 1/3 over the budget 1 - 0.5 burns 2/3, leaving 1/3 of the budget.
file rates.csv <<'CSV'
time,good,total
2026-03-01T10:00:00Z,0.009,0.01
2026-03-01T10:05:00Z,9,10
2026-03-01T10:10:00Z,0.0089,0.01
CSV
ok slo ingest --slo api-slices rates.csv
export PLUMB_NOW=2026-03-01T10:30:00Z
ok slo status --slo api-slices --json
expect_json '.[0] | "\(.good) \(.total) \(.attainment * 1e9 | round) \(.error_budget_remaining * 1e9 | round)"' \
	"2 3 666666667 333333333"
# The 1h burn: the same three slices, 1/3 bad over 0.5 = 2/3.
expect_json '.[0].burn_rates["1h"] * 1e9 | round' 666666667
# The catalogue's slo_attainment over the period counts the slices the same way.
ok metrics show slo_attainment --service api --from 2026-03-01T09:00:00Z --to 2026-03-01T11:00:00Z --json
expect_json '.value.value * 1e9 | round' 666666667

# A burn window as long as a slice holds one whole slice, so it has a rate; only a window
# shorter than a slice has none (docs/metrics.md said slices "of 30 minutes or more" left no
# 30m rate).  Slices of 30 minutes, one bad sample closing the slice that ends at 10:30:
# the 30m window (10:00, 10:30] holds that slice, 1 bad of 1 over the budget 0.5 = 2; the
# 5m window, shorter than a slice, has no rate.  Slices of 31 minutes: no 30m rate either.
sed 's/name: api-slices$/name: api-halfhours/; s/name: api-slices-ok$/name: api-halfhours-ok/;
	s/duration: 1h/duration: 1d/; s/timeSliceWindow: 5m/timeSliceWindow: 30m/' slices.yaml >halfhours.yaml
sed 's/name: api-slices$/name: api-longer/; s/name: api-slices-ok$/name: api-longer-ok/;
	s/duration: 1h/duration: 1d/; s/timeSliceWindow: 5m/timeSliceWindow: 31m/' slices.yaml >longer.yaml
ok slo import halfhours.yaml
ok slo import longer.yaml
printf 'time,good,total\n2026-03-01T10:30:00Z,0,10\n' >bad.csv
ok slo ingest --slo api-halfhours bad.csv
ok slo ingest --slo api-longer bad.csv
export PLUMB_NOW=2026-03-01T10:30:00Z
ok slo status --slo api-halfhours --json
expect_json '.[0].burn_rates | "\(.["5m"]) \(.["30m"]) \(.["1h"])"' "null 2 2"
# 31-minute slices end on multiples of 31 minutes since the epoch: the one holding 10:30 ends
# at 10:53, so at 10:53 it has ended; the 30m window is shorter than it.
export PLUMB_NOW=2026-03-01T10:53:00Z
ok slo status --slo api-longer --json
expect_json '.[0].burn_rates | "\(.["5m"]) \(.["30m"]) \(.["1h"])"' "null null 2"
