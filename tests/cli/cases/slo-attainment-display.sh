# An attainment or a budget left below 100% is never printed as 100% (found hunting: metrics show
# wrote 4 significant digits, so a four-nines SLO at 99.996% read "100%", as if nothing had
# failed; slo status, the dashboard and the pages fixed decimals, so 99.99996% read 100.000%
# and a budget of 99.96% left 100.0%).  More digits are printed until the text is below 100.
#   four: 99.99%, 99996 good of 100000 = 0.99996; bad 0.00004 / 0.0001 = 0.4 burnt, 0.6 left
#   six:  99.9%, 9999996 good of 10000000 = 0.9999996; bad 4e-7 / 0.001 = 0.0004, 0.9996 left
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
{ slo four 0.9999; echo ---; slo six 0.999; } >slos.yaml
ok slo import slos.yaml
printf 'time,good,total\n2026-02-10T00:00:00Z,99996,100000\n' >four.csv
printf 'time,good,total\n2026-02-10T00:00:00Z,9999996,10000000\n' >six.csv
ok slo ingest --slo four four.csv
ok slo ingest --slo six six.csv
export PLUMB_NOW=2026-03-01T00:00:00Z
# The lowest attainment is four's 0.99996, the lowest budget left its 0.6.
ok metrics show slo_attainment --service api --from 2026-02-01 --to 2026-03-01 --json
expect_json '.value.value' 0.99996
ok metrics show slo_attainment --service api --from 2026-02-01 --to 2026-03-01
expect_out "lowest attainment: 99.996% over 2 items"
ok metrics show error_budget_remaining --service api --from 2026-02-01 --to 2026-03-01
expect_out "lowest error budget remaining: 60% over 2 items"
row() { grep -E "^$1 " "$T/out" | tr -s ' '; }
ok slo status
[ "$(row four)" = "four api 99.99% 30d 99.996% 60.000% - - - none" ] || fail "four: $(row four)"
[ "$(row six)" = "six api 99.9% 30d 99.99996% 99.960% - - - none" ] || fail "six: $(row six)"
ok dashboard
[ "$(row four)" = "four api 99.99% 30d 99.996% 60.0% none" ] || fail "dashboard four: $(row four)"
[ "$(row six)" = "six api 99.9% 30d 99.99996% 99.96% none" ] || fail "dashboard six: $(row six)"
ok user add --person Y001 --role admin
tok=$(token Y001 read)
serve
for page in /services/api /; do
	http GET "$page" -H "Authorization: Bearer $tok"
	expect_http 200
	for figure in 99.996% 60.0% 99.99996% 99.96%; do
		grep -qF ">$figure<" "$T/out" || fail "$page lacks $figure"
	done
	! grep -qF '>100.0' "$T/out" || fail "$page prints a figure below 100% as 100"
done
