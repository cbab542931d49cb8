# An SLO's target is printed as it was written, in every table: five nines is 99.999% and
# four and a half 99.995%, not 100% (found hunting: the dashboard's text wrote the target to 4
# significant digits, so 99.999% read 100%, and the pages to 2 decimals, 100.00%); 99.9% stays
# 99.9%; slo status wrote six nines as 100.000%.  No samples: attained and budget are "-", so each percentage on a row is a target.
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
slo() { # NAME TARGET
	cat <<-YAML
		apiVersion: openslo/v1
		kind: SLO
		metadata: {name: $1}
		spec:
		  service: api
		  indicator:
		    metadata: {name: $1-sli}
		    spec:
		      ratioMetric:
		        good: {metricSource: {type: Prometheus, spec: {query: "sum(rate(ok[1m]))"}}}
		        total: {metricSource: {type: Prometheus, spec: {query: "sum(rate(all[1m]))"}}}
		  timeWindow: [{duration: 30d, isRolling: true}]
		  budgetingMethod: Occurrences
		  objectives: [{target: $2}]
	YAML
}
{ slo five-nines 0.99999; echo ---; slo four-and-a-half 0.99995; echo ---; slo three-nines 0.999; } >targets.yaml
ok slo import targets.yaml
# slo status wrote 3 decimals: six nines read 100.000%.
slo six-nines 0.999999 >six.yaml
ok slo import six.yaml
ok slo status
row() { grep -E "^$1 " "$T/out" | tr -s ' '; }
[ "$(row six-nines)" = "six-nines api 99.9999% 30d - - - - - none" ] || fail "six-nines: $(row six-nines)"
[ "$(row three-nines)" = "three-nines api 99.9% 30d - - - - - none" ] || fail "three-nines: $(row three-nines)"
ok dashboard
[ "$(row five-nines)" = "five-nines api 99.999% 30d - - none" ] || fail "five-nines: $(row five-nines)"
[ "$(row four-and-a-half)" = "four-and-a-half api 99.995% 30d - - none" ] || fail "four-and-a-half: $(row four-and-a-half)"
[ "$(row three-nines)" = "three-nines api 99.9% 30d - - none" ] || fail "three-nines: $(row three-nines)"
# The service's page and the dashboard's page: the same targets, none rounded to 100.
ok user add --person Y001 --role admin
tok=$(token Y001 read)
serve
for page in /services/api /; do
	http GET "$page" -H "Authorization: Bearer $tok"
	expect_http 200
	for target in 99.9999% 99.999% 99.995% 99.9%; do
		grep -qF ">$target<" "$T/out" || fail "$page lacks the target $target"
	done
	! grep -qF '100.00%' "$T/out" || fail "$page rounds a target to 100.00%"
done
