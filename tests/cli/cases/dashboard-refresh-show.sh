# The dashboard on the demo: `dashboard refresh` stores each team's four keys (as `plumb dora`
# stores them, with lineage) and a weekly trend in one audited write; `dashboard` only reads
# them back: the same values and ids `plumb dora` gives over the same window, nothing written.
demo_db --no-reviews
# The demo's today, the Sunday its data ends in the week of (PLUMB_DEMO_AS_OF): the default
# windows, to the end of today, hold its data whatever the day the suite runs, and midnight
# cannot move them between two commands.
export PLUMB_NOW=2026-11-01
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
# The demo's SLOs, the examples' (examples/slo) of checkout-web.
expect_json '[.slos[] | "\(.name) \(.service)"] | join(",")' "checkout-availability checkout-web,checkout-latency checkout-web"
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
# --team T` serves the dashboard's values, and a second refresh the same day has nothing to do.
ok dora --team payments --json
expect_json '.keys.lead_time.value.id' "metric-value:$(jq -r '.teams[] | select(.team == "payments") | .keys.lead_time.value_id' "$T/dash.json")"
expect_json '.to | endswith("T00:00:00.000Z")' true
ok dashboard refresh
expect_out "0 recomputed, $teams current"
# Nobody else's query replaces the dashboard's values: an analyst's dora over a window to come
# (the newest start of all), an employee's weekly series with partial weeks at both ends. The
# dashboard still shows the refresh's window and its 12 whole weeks, and a refresh (which
# finds them current) does not have to restore them.
# (A new user is a change of people: the refresh after it recomputes.)
ok user add --person E024 --role analyst
ok dashboard refresh
ok dashboard --team payments --json
cp "$T/out" "$T/pay.json"
pay() { jq -r ".teams[0].keys.lead_time | $1" "$T/pay.json"; }
ok --as E024 dora --team payments --to 2030-01-01
ok --as E021 metrics show lead_time --team payments --by week
ok dashboard refresh
# ... nor recompute them: the employee's whole weeks are the trend's, computed from the same
# data, found by either query (found hunting: each superseded the other's, so this refresh
# recomputed payments though nothing had changed, and the employee's series after it).
expect_out "0 recomputed, $teams current"
ok --as E021 metrics show lead_time --team payments --by week --json
expect_json .reused true
# A plain query over the series' period serves the series' own value of the whole period,
# and the series is served after it.
ok metrics show lead_time --team payments --json
expect_json .reused true
ok metrics show lead_time --team payments --by week --json
expect_json .reused true
ok dashboard --team payments --json
expect_json '.teams[0].keys.lead_time | "\(.from) \(.to) \(.value)"' "$(pay '"\(.from) \(.to) \(.value)"')"
expect_json '.teams[0].keys.lead_time.trend | length' 12
expect_json '[.teams[0].keys.lead_time.trend[] | "\(.start) \(.value)"] | join(",")' \
	"$(pay '[.trend[] | "\(.start) \(.value)"] | join(",")')"
ok dashboard --team payments
expect_no_out "2030-01-01"
# Nor does a normalized figure over the dashboard's own window: it supersedes only values
# normalized the same way (found in review: a per-engineer count replaced the team's plain
# deployment frequency until the next refresh).
dfrom=$(jq -r '.teams[0].keys.deployment_frequency.from' "$T/pay.json")
dto=$(jq -r '.teams[0].keys.deployment_frequency.to' "$T/pay.json")
ok metrics show deployment_frequency --team payments --from "${dfrom%%T*}" --to "${dto%%T*}" \
	--normalize per-engineer --json
nid=$(json '.value.id | ltrimstr("metric-value:")')
ok explain "metric-value:$nid" --json
expect_json '.normalize' per-engineer
expect_json '.superseded_at' null
ok dashboard --team payments --json
expect_json '.teams[0].keys.deployment_frequency | "\(.value_id) \(.value)"' \
	"$(jq -r '.teams[0].keys.deployment_frequency | "\(.value_id) \(.value)"' "$T/pay.json")"
# A refresh ending after today is refused, naming the option, nothing written.
audit=$(sql "SELECT COUNT(*) FROM audit_log")
run dashboard refresh --team payments --to 2030-01-01
expect_status 2
expect_err "--to"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$audit" ] || fail "a refused refresh wrote"
# Hundreds of newer values over windows that are not a default one (other queries' windows, a
# few milliseconds off): the dashboard still finds the refresh's (found in review: it looked
# at the newest 200 values only, so an employee's queries could blank a key).
ok dashboard --team payments --json
shown=$(json '.teams[0].keys.lead_time | "\(.value_id) \(.value)"')
sql "WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < 250)
	INSERT INTO metric_values (def_id, scope, scope_id, period_start, period_end, grain, statistic,
	value, n, detail, inputs_hash, computed_at) SELECT v.def_id, v.scope, v.scope_id,
	v.period_start + i.k, v.period_end, v.grain, v.statistic, 0, 0, v.detail, 'other', v.computed_at
	FROM metric_values v, i WHERE v.id = ${shown%% *}" >/dev/null
ok dashboard --team payments --json
expect_json '.teams[0].keys.lead_time | "\(.value_id) \(.value)"' "$shown"
# A refresh on a Sunday to tomorrow's date (a window holding today, whose week still runs):
# the trend is the 12 whole weeks before this week, as by default (found in review: the
# refresh stored the weeks to tomorrow's Monday, which the dashboard does not show).
PLUMB_NOW=2026-06-14T12:00:00Z ok dashboard refresh --team checkout --to 2026-06-15
PLUMB_NOW=2026-06-14T12:00:00Z ok dashboard --team checkout --json
# Under a now pinned before the last sync ended, data is no age, not a negative one (found in
# review: age -720 h).
expect_json '[.freshness[].age_seconds | select(. != null) | . >= 0] | all' true
expect_json '.teams[0].keys.lead_time | "\(.to) \(.trend | length) \(.trend[-1].start)"' \
	"2026-06-15T00:00:00.000Z 12 2026-06-01T00:00:00.000Z"
# "In the future" is each team's own: a date after the end of today in Los Angeles is refused
# though it is today in UTC, and the end of its today is accepted (found in review: checked in
# the org's zone, the refresh wrote a window the dashboard could never show).
ok metrics set time_zone America/Los_Angeles --team growth
audit=$(sql "SELECT COUNT(*) FROM audit_log")
PLUMB_NOW=2026-06-14T05:00:00Z run dashboard refresh --team growth --to 2026-06-15
expect_status 2
expect_err "--to is in the future for team growth"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$audit" ] || fail "a refused refresh wrote"
PLUMB_NOW=2026-06-14T05:00:00Z ok dashboard refresh --team growth --to 2026-06-14
# A team moved to another time zone and refreshed to a week ago (a window that starts before
# the one stored in UTC): the dashboard shows that window and its weeks in the new zone (local
# midnights, never the old UTC ones), labelled so.
ok metrics set time_zone America/New_York --team search
ok dashboard refresh --team search --to 2026-10-25
ok dashboard --team search --json
expect_json '.teams[0].keys.lead_time.to | endswith("T00:00:00.000Z")' false
expect_json '.teams[0].keys.lead_time.from | endswith("T00:00:00.000Z")' false
expect_json '.teams[0].keys.lead_time.trend | length' 12
expect_json '[.teams[0].keys.lead_time.trend[].start | select(endswith("T00:00:00.000Z"))] | length' 0
ok dashboard --team search
expect_out "(America/New_York), computed"
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
PLUMB_NOW=2030-11-15T12:00:00Z ok dashboard --team web --json
expect_json '.teams[0].keys.lead_time | "\(.from) \(.to)"' "2030-08-17T22:00:00.000Z 2030-11-15T23:00:00.000Z"
expect_json '.teams[0].keys.lead_time.value_id != null' true
PLUMB_NOW=2030-11-15T12:00:00Z ok dashboard --team web
expect_out "2030-08-18 to 2030-11-16 (Europe/Berlin)"
# The demo imported the example SLOs as they are: importing them again changes nothing.
audit=$(sql "SELECT COUNT(*) FROM audit_log")
ok slo import "$ROOT/examples/slo/availability.yaml"
expect_out "0 new, 0 changed (a new version), 1 unchanged"
ok slo import "$ROOT/examples/slo/latency.yaml"
expect_out "0 new, 0 changed (a new version), 1 unchanged"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$audit" ] || fail "importing the demo's SLOs again wrote"
# A database from before schema 16, once upgraded (a write, so the first refresh after it
# computes afresh), has the indexes, and a refresh with nothing changed then serves every
# stored value: nothing stored, no entry.  The clock is pinned (above), so midnight cannot move
# the window between the two.
undo_schema_16
ok dashboard refresh
expect_out ": $teams recomputed, 0 current"
values=$(sql "SELECT COUNT(*) FROM metric_values")
audit=$(sql "SELECT COUNT(*) FROM audit_log")
ok dashboard refresh
expect_out ": 0 recomputed, $teams current"
[ "$(sql "SELECT COUNT(*) FROM metric_values")" = "$values" ] || fail "an unchanged refresh stored values"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$audit" ] || fail "an unchanged refresh wrote to the audit log"
# Audited reads leave entries (person show, and any read with --as) and so do refusals, but they
# change nothing: the refresh after them serves every stored value too (found hunting: a
# dashboard read with --as made the next refresh recompute every team, new ids for the same
# values, and plumb dora after any such read did the same).
ok --as E024 dashboard
ok --as E024 slo status
ok person show E024
run --as E024 dashboard refresh
expect_status 3
ok dashboard refresh
expect_out ": 0 recomputed, $teams current"
[ "$(sql "SELECT COUNT(*) FROM metric_values")" = "$values" ] || fail "a refresh after reads stored values"
# A setting given the value it has is no change: nothing written, no entry, nothing stale
# (found in session 39's metrics hunt: an entry each time, and every value recomputed).
audit=$(sql "SELECT COUNT(*) FROM audit_log")
ok metrics set time_zone Europe/Berlin --team web
expect_out "time_zone = Europe/Berlin for web (team) (unchanged)"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$audit" ] || fail "an unchanged setting wrote to the audit log"
ok dashboard refresh
expect_out ": 0 recomputed, $teams current"
if [ "$PLUMB_TEST_ENGINE" = postgres ]; then
	index=$(sql "SELECT COUNT(*) FROM pg_indexes WHERE indexname IN ('metric_values_current', 'users_person')")
else
	index=$(sql "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('metric_values_current', 'users_person')")
fi
[ "$index" = 2 ] || fail "the upgrade did not add schema 16's indexes"
# A change failure rate below 100% is never shown as 100% (found in review: "%.1f%%" printed
# 0.9996 as 100.0%); the stored value set by hand, as only the text is under test here.
ok dashboard --json
cfr=$(json '.teams[] | select(.team == "platform") | .keys.change_failure_rate.value_id')
sql "UPDATE metric_values SET value = 0.9996 WHERE id = $cfr"
ok dashboard
line=$(grep -E '^ *platform ' "$T/out" | head -1)
case "$line" in *"99.96% "*) ;; *) fail "platform's change failure rate of 0.9996: $line" ;; esac
