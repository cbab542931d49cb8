# A DORA key's value is never printed on, or past, a band's edge it is not on, nor a duration
# other than 0 as 0 (found hunting: a change failure rate of 5.04% read "5.0% high" on the
# dashboard, where 5% or less is elite; a lead time of 23.96 h "24.0 h elite", where 24 h
# starts high; a 2-minute recovery "0.0 h").  More digits are printed until the text is on
# the value's side (docs/metrics.md, "A shown value stays on its side").  The JSON keeps
# the full values.
# Service api deploys every 2 hours from 2026-03-02, 119 production deployments, each after
# the first shipping one new commit made 23.96 h (23:57:36) before it finished: lead time
# median 23.96 h, elite (under 24 h).  Six of them fail, each with an incident 30 minutes
# later that is resolved 2 minutes after it opened: change failure rate 6 / 119 = 0.0504,
# high (above 5%); recovery median 2 min = 0.0333 h, elite.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set api --team payments --effective 2026-01-01
ok service map api --repo acme/api
ok service map api --pagerduty PAPI
ok source add github --name gh --repo acme/api
ok source add deploy --name deploys
ok source add pagerduty --name pd
t0=$(date -u -d 2026-03-02T00:00:00Z +%s)
jq -n --argjson t0 "$t0" '
	def sha: tostring | ([range(40 - length)] | map("0") | join("")) + .;
	[range(119) as $i | {sha: ($i | sha), commit: {
		author: {name: "Alice Example", email: "alice@example.com",
		         date: ($t0 + $i * 7200 - 86256 | todate)},
		committer: {name: "Alice Example", email: "alice@example.com",
		            date: ($t0 + $i * 7200 - 86256 | todate)},
		message: "change \($i)"},
	  author: {login: "alice", id: 1001, type: "User"},
	  committer: {login: "alice", id: 1001, type: "User"},
	  parents: (if $i == 0 then [] else [{sha: ($i - 1 | sha)}] end)}] | reverse' >commits.json
jq -rn --argjson t0 "$t0" '
	def sha: tostring | ([range(40 - length)] | map("0") | join("")) + .;
	"id,service,environment,sha,ref,started,finished,status",
	(range(119) as $i | "D\($i),api,production,\($i | sha),main,\($t0 + $i * 7200 - 600 | todate),\($t0 + $i * 7200 | todate),success")' >deploys.csv
jq -n --argjson t0 "$t0" '{incidents: [(10, 30, 50, 70, 90, 110) as $i |
	($t0 + $i * 7200 + 1800) as $open | {id: "INC\($i)", type: "incident",
	title: "Errors \($i)", incident_number: $i, created_at: ($open | todate),
	updated_at: ($open + 120 | todate), status: "resolved", incident_key: "INC\($i)",
	service: {id: "PAPI", type: "service_reference", summary: "PAPI"}, assignments: [],
	last_status_change_at: ($open + 120 | todate), resolved_at: ($open + 120 | todate),
	urgency: "high"}], limit: 25, offset: 0, more: false, total: null}' >incidents.json
ok ingest --source gh commits.json
ok ingest --source deploys deploys.csv
ok ingest --source pd incidents.json
export PLUMB_NOW=2026-03-20

ok dora --team payments --json
expect_json '.keys.lead_time.value | "\(.value) \(.n)"' "23.96 118"
expect_json '.keys.lead_time.band' elite
expect_json '.keys.change_failure_rate.value | "\(.value * 1e6 | round) \(.detail.numerator) \(.detail.denominator)"' \
	"50420 6 119"
expect_json '.keys.change_failure_rate.band' high
expect_json '.keys.recovery_time.value | "\(.value * 3600 | round) \(.n)"' "120 6"
expect_json '.keys.recovery_time.band' elite
key() { grep -E "^$1 " "$T/out" | tr -s ' ' | sed 's/ metric-value:.*//'; }
ok dora --team payments
[ "$(key lead_time)" = "lead_time 23.96 h median 118 elite" ] || fail "dora: $(key lead_time)"
[ "$(key change_failure_rate)" = "change_failure_rate 5.042% ratio 119 high" ] ||
	fail "dora: $(key change_failure_rate)"
[ "$(key recovery_time)" = "recovery_time 0.03 h median 6 elite" ] || fail "dora: $(key recovery_time)"
# Merge to deploy is a lead time too (here the same, every commit pushed straight).
expect_out "lead time from merge to deploy: median 23.96 h, p90 23.96 h (118 changes)"
ok metrics show lead_time --team payments
expect_out "median: 23.96 h over 118 items"
ok metrics show recovery_time --team payments
expect_out "median: 0.03 h over 6 items"

ok dashboard refresh
ok dashboard --json
expect_json '.teams[] | select(.team == "payments") | .keys.lead_time.value' 23.96
ok dashboard
row=$(grep -E '^ +payments ' "$T/out" | tr -s ' ')
[ "$row" = " payments 1.32/day low 23.96 h elite 5.04% high 0.03 h elite" ] ||
	fail "dashboard payments: $row"

ok user add --person H001 --role admin
tok=$(token H001 read)
serve
http GET /teams/payments -H "Authorization: Bearer $tok"
expect_http 200
for figure in "23.96 h" "5.04%" "0.03 h"; do
	grep -qF ">$figure<" "$T/out" || fail "/teams/payments lacks $figure"
done
for figure in "24.0 h" "5.0%" "0.0 h"; do
	! grep -qF ">$figure<" "$T/out" || fail "/teams/payments prints $figure"
done
