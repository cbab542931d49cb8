# The dashboard on the demo: `dashboard refresh` stores each team's four keys (as `plumb dora`
# stores them, with lineage) and a weekly trend in one audited write; `dashboard` only reads
# them back: the same values and ids `plumb dora` gives over the same window, nothing written.
demo_db --no-reviews
# Before a refresh: every team, nothing stored, and that is said.
ok dashboard
expect_out "No values stored yet"
ok dashboard --json
teams=$(json '.teams | length')
[ "$teams" -ge 10 ] || fail "only $teams teams"
expect_json '[.teams[].keys[] | select(.value_id != null)] | length' 0
expect_json '.window.days' 90

ok dashboard refresh
expect_out "dashboard refreshed for $teams teams"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'dashboard.refresh'")" = 1 ] || fail "one dashboard.refresh entry"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action IN ('dora.compute', 'metric.compute')")" = 0 ] ||
	fail "the refresh wrote per-computation entries"

# Reading writes nothing: no audit entry, no metric value.
audit=$(sql "SELECT COUNT(*) FROM audit_log")
values=$(sql "SELECT COUNT(*) FROM metric_values")
ok dashboard
expect_out "The four keys over 90 days"
expect_out "platform"
ok dashboard --json
cp "$T/out" "$T/dash.json"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$audit" ] || fail "dashboard wrote to the audit log"
[ "$(sql "SELECT COUNT(*) FROM metric_values")" = "$values" ] || fail "dashboard stored metric values"
expect_json '[.teams[].keys[] | select(.value_id == null)] | length' 0
expect_json '.computed_at != null' true
expect_json '[.freshness[].source] | join(",")' "argo,github,jira,pagerduty"
expect_json '[.freshness[] | select(.last_sync == null)] | length' 0
expect_json '.slos' '[]'
# Each key has a band where DORA gives one, and 12 weekly trend points, each a stored value.
expect_json '.teams[] | select(.team == "platform") | .keys.lead_time.band != null' true
expect_json '.teams[] | select(.team == "platform") | .keys.lead_time.trend | length' 12
expect_json '.teams[] | select(.team == "platform") | .keys.deployment_frequency.unit' "deployments/day"
tid=$(json '.teams[] | select(.team == "platform") | .keys.lead_time.trend[3].value_id')
ok explain "metric-value:$tid" --json
expect_json '.grain' week
expect_json '.scope_name' platform

# The values are plumb dora's over the same window, and served from the same stored rows.
for team in platform payments search web; do
	from=$(jq -r ".teams[] | select(.team == \"$team\") | .keys.lead_time.from" "$T/dash.json")
	to=$(jq -r ".teams[] | select(.team == \"$team\") | .keys.lead_time.to" "$T/dash.json")
	ok dora --team "$team" --from "$from" --to "$to" --json
	for k in deployment_frequency lead_time change_failure_rate recovery_time; do
		want=$(json ".keys.$k.value.value")
		got=$(jq -r ".teams[] | select(.team == \"$team\") | .keys.$k.value" "$T/dash.json")
		[ "$want" = "$got" ] || fail "$team $k: dora says $want, the dashboard $got"
		want=$(json ".keys.$k.value.id")
		got=$(jq -r ".teams[] | select(.team == \"$team\") | \"metric-value:\(.keys.$k.value_id)\"" "$T/dash.json")
		[ "$want" = "$got" ] || fail "$team $k: dora's value is $want, the dashboard's $got"
		want=$(json ".keys.$k.band")
		got=$(jq -r ".teams[] | select(.team == \"$team\") | .keys.$k.band" "$T/dash.json")
		[ "$want" = "$got" ] || fail "$team $k: dora's band is $want, the dashboard's $got"
	done
done
[ "$(sql "SELECT COUNT(*) FROM metric_values")" = "$values" ] || fail "dora recomputed the dashboard's values"
# The window is `plumb dora`'s default: whole days to the end of today, so plain `plumb dora
# --team T` serves the dashboard's values, and a second refresh the same day has nothing to do
# (unless midnight passed).
day=$(date -u +%F)
ok dora --team payments --json
expect_json '.keys.lead_time.value.id' "metric-value:$(jq -r '.teams[] | select(.team == "payments") | .keys.lead_time.value_id' "$T/dash.json")"
expect_json '.to | endswith("T00:00:00.000Z")' true
ok dashboard refresh
[ "$(date -u +%F)" != "$day" ] || expect_out "0 recomputed, $teams current"
ok dashboard
expect_out "(UTC), computed"
# The text has values and bands, the trend is in --json: README.md says where.
grep -E '^\./plumb --db demo\.db dashboard +#' "$ROOT/README.md" | grep -q 'trends: --json' ||
	fail "README.md's dashboard line does not say the trends are in --json"
# A team in Berlin (refreshed as of 2030, so that window is its newest): the window starts at
# Berlin's midnight, 90 local days that span the end of summer time on 2030-10-27 (an hour
# longer than 90 times 24 h), and the dashboard still shows it.
ok metrics set time_zone Europe/Berlin --team web
PLUMB_NOW=2030-11-15T12:00:00Z ok dashboard refresh --team web
ok dashboard --team web --json
expect_json '.teams[0].keys.lead_time | "\(.from) \(.to)"' "2030-08-17T22:00:00.000Z 2030-11-15T23:00:00.000Z"
expect_json '.teams[0].keys.lead_time.value_id != null' true
ok dashboard --team web
expect_out "2030-08-18 to 2030-11-16 (Europe/Berlin)"
# The example SLOs name a service of the demo, so they import on it, and the dashboard lists
# them.
ok slo import "$ROOT/examples/slo/availability.yaml"
ok slo import "$ROOT/examples/slo/latency.yaml"
ok dashboard --json
expect_json '[.slos[] | "\(.name) \(.service)"] | join(",")' "checkout-availability checkout-web,checkout-latency checkout-web"
