# Refreshing some teams (after a deployment of their service) leaves every other team's stored
# values as they were; only an admin refreshes, every role reads.
demo_db --no-reviews
ok dashboard refresh --to 2026-10-01T00:00:00Z
ok dashboard --json
cp "$T/out" "$T/before.json"
ids() { jq -r "[.teams[] | select(.team $1) | .keys[] | .value_id, (.trend[] | .value_id)] | join(\",\")" "$2"; }
others_before=$(ids '!= "search"' "$T/before.json")
search_before=$(ids '== "search"' "$T/before.json")
[ -n "$search_before" ] || fail "search has no values"

ok dashboard refresh --team search --to 2026-10-02T00:00:00Z
expect_out "dashboard refreshed for 1 team"
ok dashboard --json
[ "$(ids '!= "search"' "$T/out")" = "$others_before" ] || fail "other teams' values changed"
[ "$(ids '== "search"' "$T/out")" != "$search_before" ] || fail "search was not refreshed"
expect_json '.teams[] | select(.team == "search") | .keys.lead_time.to' "2026-10-02T00:00:00.000Z"
expect_json '.teams[] | select(.team == "payments") | .keys.lead_time.to' "2026-10-01T00:00:00.000Z"
[ "$(sql "SELECT object_id FROM audit_log WHERE action = 'dashboard.refresh' ORDER BY seq DESC LIMIT 1")" = search ] ||
	fail "the audit entry does not name search"
# Several teams at once; an unknown one refuses the whole refresh.
values=$(sql "SELECT COUNT(*) FROM metric_values")
run dashboard refresh --team web --team nosuch
expect_status 4
expect_err "no team 'nosuch'"
[ "$(sql "SELECT COUNT(*) FROM metric_values")" = "$values" ] || fail "a refused refresh stored values"

# An employee reads the dashboard (aggregates only) but may not refresh it.
emp=$(sql "SELECT u.name FROM users u JOIN user_roles r ON r.user_id = u.id JOIN people pe ON pe.id = u.person_id
  WHERE u.disabled = 0 AND pe.end_date IS NULL
  GROUP BY u.id, u.name HAVING MIN(r.role) = 'employee' AND MAX(r.role) = 'employee' ORDER BY u.name LIMIT 1")
[ -n "$emp" ] || fail "no employee-only user in the demo"
ok --as "$emp" dashboard --json
[ "$(ids '!= "search"' "$T/out")" = "$others_before" ] || fail "the employee sees other values"
values=$(sql "SELECT COUNT(*) FROM metric_values")
run --as "$emp" dashboard refresh
expect_status 3
expect_err "dashboard.refresh needs the admin role"
[ "$(sql "SELECT COUNT(*) FROM metric_values")" = "$values" ] || fail "a refused refresh stored values"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'")" -ge 1 ] || fail "the refusal is not audited"

# A retired key is shown as retired, not its value stored before, and the refresh computes
# the other keys (found in review: the refresh failed, the dashboard kept the old value).
# Read as of the refresh's day, so its window is the dashboard's.
at=2026-10-01T12:00:00Z
PLUMB_NOW=$at ok dashboard refresh --team search
PLUMB_NOW=$at ok dashboard --team search --json
expect_json '.teams[0].keys.lead_time.value != null' true
ok metrics retire lead_time --reason "replaced"
PLUMB_NOW=$at ok dashboard --team search --json
expect_json '.teams[0].keys.lead_time | "\(.status) \(.value) \(.band) \(.value_id) \(.trend | length)"' \
	"retired null null null 0"
expect_json '.teams[0].keys.lead_time | "\(.name) \(.unit)"' "Lead time for changes hours"
expect_json '.teams[0].keys.deployment_frequency | "\(.status) \(.value != null)"' "active true"
PLUMB_NOW=$at ok dashboard --team search
grep -Eq '^ *search .* retired ' "$T/out" || fail "the text does not say lead time is retired"
ok dashboard refresh --team search
[ "$(sql "SELECT detail FROM audit_log WHERE action = 'dashboard.refresh' ORDER BY seq DESC LIMIT 1" |
	jq -c '.teams.search | [.lead_time, (.deployment_frequency | type)]')" = '[null,"number"]' ] ||
	fail "the refresh's audit entry: $(sql "SELECT detail FROM audit_log WHERE action = 'dashboard.refresh' ORDER BY seq DESC LIMIT 1")"
ok dashboard --team search --json
expect_json '.teams[0].keys.lead_time | "\(.status) \(.value)"' "retired null"
expect_json '.teams[0].keys.recovery_time.value_id != null' true
