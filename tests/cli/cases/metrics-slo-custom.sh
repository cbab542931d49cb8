# SLO metrics through metrics show, a custom definition (a count formula) computed once
# approved, and the note for a service in a lifecycle stage the definition does not suit.
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
# api-availability (99 %): 99800 good of 100000 in February: attainment 0.998, budget left
# 1 - 0.002 / 0.01 = 0.8.  api-latency has no data and is listed without a figure.  A sample
# counts for the minute ending at its time: the one at 03-01 00:00 is February's last, the
# one at 02-01 00:00 (all bad) January's.
file ratio.csv <<'CSV'
time,good,total
2026-03-01T00:00:00Z,1000,1000
2026-02-28T23:58:00Z,800,1000
2026-02-20T00:00:00Z,98000,98000
2026-02-01T00:00:00Z,0,1000
CSV
ok slo ingest --slo api-availability ratio.csv
ok metrics show slo_attainment --service api --from 2026-02-01 --to 2026-03-01 --json
expect_json '.value | "\(.value) \(.n) \(.statistic)"' "0.998 1 lowest attainment"
expect_json '[.value.detail.slos[] | "\(.slo) \(.has_data)"] | join(",")' "api-availability true,api-latency false"
# Its inputs are SLI samples, not events: the arithmetic counts them per SLO, with the
# version counted, and explain says so (found in review: "0 inputs").
expect_json '[.value.detail.slos[] | "\(.slo) v\(.version) \(.samples) \(.good) \(.total) \(.counts)"] | join(",")' \
	"api-availability v1 3 99800 100000 events,api-latency v1 0 null null null"
id=$(jq -r .value.id "$T/out")
ok explain "$id"
expect_out "inputs: the SLOs' SLI samples, not events"
! grep -q "0 inputs" "$T/out" || fail "explain lists no inputs: $(cat "$T/out")"
ok explain "$id" --json
expect_json '"\(.inputs_from) \(.inputs | length)"' "sli_samples 0"
w=$(token admin read)
serve
http GET "/metric-values/${id#metric-value:}" -H "Authorization: Bearer $w"
expect_http 200
grep -q "The SLOs' SLI samples, not events" "$T/out" || fail "the page: $(grep -A2 Inputs "$T/out")"
grep -q "0 records" "$T/out" && fail "the page lists no records"
stop_server
ok metrics show deployment_frequency --service api --json
ok explain "$(jq -r .value.id "$T/out")" --json
expect_json .inputs_from events
ok metrics show error_budget_remaining --team platform --from 2026-02-01 --to 2026-03-01 --json
expect_json '.value.value * 1000 | round' 800
# A service's SLOs count for the team that owned it at the period's end, as an event counts
# for its team at its time (found in review: the newest owner was taken, so a move planned
# for 2099 took platform's SLOs away today and gave them to mobile).
ok service set api --team mobile --effective 2099-01-01
ok metrics show error_budget_remaining --team platform --from 2026-02-01 --to 2026-03-01 --json
expect_json '.value | "\(.value * 1000 | round) \(.n)"' "800 1"
ok metrics show slo_attainment --team mobile --from 2026-02-01 --to 2026-03-01 --json
expect_json .value.n 0
# Once the move's date has come, with no write since, the values asked again are mobile's,
# not the stored ones (found hunting: both teams' values were served as stored, platform
# still holding api's SLOs and mobile none, until some other write); asked again after that,
# they are served.
for i in 1 2; do
	PLUMB_NOW=2099-01-02T00:00:00Z ok metrics show error_budget_remaining --team platform --from 2026-02-01 --to 2026-03-01 --json
	expect_json '"\(.value.n) \(.reused)"' "0 $([ $i = 2 ] && echo true || echo false)"
	PLUMB_NOW=2099-01-02T00:00:00Z ok metrics show slo_attainment --team mobile --from 2026-02-01 --to 2026-03-01 --json
	expect_json '"\(.value.value * 1000 | round) \(.value.n) \(.reused)"' "998 1 $([ $i = 2 ] && echo true || echo false)"
done
# A period not over yet counts up to now: at 00:05 the slice (00:00, 00:10] of api-latency
# has not ended, so its bad sample at 00:03 counts for nothing yet (found hunting: the
# running slice counted, bad after one sample); at 00:15, with no write since, it has ended
# and counts: the stored value is not served again.
file march.csv <<'CSV'
time,value
2026-03-01T00:03:00Z,0.9
CSV
ok slo ingest --slo api-latency march.csv
PLUMB_NOW=2026-03-01T00:05:00Z ok metrics show slo_attainment --service api --from 2026-03-01 --to 2026-03-02 --json
expect_json '.value | "\(.value) \(.n) \(.detail.slos[1].has_data)"' "null 0 false"
PLUMB_NOW=2026-03-01T00:15:00Z ok metrics show slo_attainment --service api --from 2026-03-01 --to 2026-03-02 --json
expect_json '.value | "\(.value) \(.n) \(.detail.slos[1].total)"' "0 1 1"
expect_json .reused false
# Asked at 00:16 and again at 00:17, no sample come due and no slice ended between: the second
# is served as stored, with no new row and no audit entry (found hunting: keyed on the ms, every
# show of a period not over recomputed, stored and audited).
for by in "" "--by week"; do
	PLUMB_NOW=2026-03-01T00:16:00Z ok metrics show slo_attainment --service api --from 2026-03-01 --to 2026-03-02 $by --json
	rows=$(sql "SELECT COUNT(*) FROM metric_values")
	audits=$(sql "SELECT COUNT(*) FROM audit_log")
	PLUMB_NOW=2026-03-01T00:17:00Z ok metrics show slo_attainment --service api --from 2026-03-01 --to 2026-03-02 $by --json
	expect_json .reused true
	[ "$(sql "SELECT COUNT(*) FROM metric_values")" = "$rows" ] || fail "a reused show ($by) stored values"
	[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$audits" ] || fail "a reused show ($by) wrote an audit entry"
done
# The definitions say what is computed: the lowest of the SLOs in scope, over the period.
ok metrics show-def slo_attainment --json
expect_json .description "Lowest attainment among the SLOs in scope over the period: good events (or good time slices) over all of them."
ok metrics show-def error_budget_remaining --json
expect_json .description "Lowest error budget remaining among the SLOs in scope over the period: 1 - bad fraction / (1 - target), below 0 when overspent."

# A custom definition is computed only once every stakeholder function approved it.
ok source add deploy --name deploys
file deploys.csv <<'CSV'
id,service,environment,sha,ref,started,finished,status
a1,api,production,aaaaaaa,main,2026-02-02T10:00:00Z,2026-02-02T10:05:00Z,failure
a2,api,production,bbbbbbb,main,2026-02-03T10:00:00Z,2026-02-03T10:05:00Z,success
a3,api,production,ccccccc,main,2026-02-04T10:00:00Z,2026-02-04T10:05:00Z,failure
a4,api,staging,ddddddd,main,2026-02-04T11:00:00Z,2026-02-04T11:05:00Z,failure
CSV
ok ingest --source deploys deploys.csv
file failed.yaml <<'YAML'
key: failed_deploys
name: Failed production deployments
description: Production deployments that failed, per period.
unit: deployments
direction: lower
indicator: leading
stages: [growth]
scopes: [team, service]
audiences: [team]
stakeholders: [development, operations]
owner: platform
objectives: [quality]
formula:
  count: deployment
  where:
    status: failure
    environment: production
YAML
ok metrics define failed.yaml
run metrics show failed_deploys --service api --from 2026-02-01 --to 2026-03-01
expect_status 5
ok metrics approve failed_deploys --version 1 --function development
ok user add --person Y001 --role leader
ok --as Y001 metrics approve failed_deploys --version 1 --function operations
ok metrics show failed_deploys --service api --from 2026-02-01 --to 2026-03-01 --json
expect_json '.value | "\(.value) \(.statistic)"' "2 count"
expect_json '.notes | length' 0
# The service is mature; the definition suits growth only: computed, and flagged.
ok service stage api --stage mature --from 2026-01-01
ok metrics show failed_deploys --service api --from 2026-02-01 --to 2026-03-01 --json
expect_json '.notes[0]' "failed_deploys suits services in stages growth; api is in stage mature"
expect_err "note: failed_deploys suits services in stages growth"
# The org scope is not allowed by this definition.
run metrics show failed_deploys --org
expect_status 1
expect_err "metric 'failed_deploys' is not defined for the org scope (it allows: team,service)"
