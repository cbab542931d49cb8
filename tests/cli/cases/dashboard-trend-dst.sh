# The dashboard's trend is 12 whole weeks in the team's time zone, across a change of summer
# time too: 12 local weeks are then an hour more or less than 12 times 7 days (found hunting:
# a refresh on a Sunday after November's change stored 11 weeks for a team in Los Angeles,
# from a Monday an hour past the 84 days, and the dashboard showed that team no trend).
init_db
ok org import "$FIXTURES/org-small.csv"
ok metrics set time_zone America/Los_Angeles --team payments
# Sunday 2026-11-08 in Los Angeles; summer time ended on Sunday 2026-11-01.
export PLUMB_NOW=2026-11-08T20:00:00Z
ok dashboard refresh --team payments
ok dashboard --team payments --json
for k in deployment_frequency lead_time change_failure_rate recovery_time; do
	expect_json ".teams[0].keys.$k.trend | length" 12
	# Mondays 2026-08-10 to 2026-10-26 (PDT): the week holding today, from 2026-11-02, is not one.
	expect_json ".teams[0].keys.$k.trend | \"\(.[0].start) \(.[11].start)\"" \
		"2026-08-10T07:00:00.000Z 2026-10-26T07:00:00.000Z"
done
# Each key's 12 weeks are stored once, with their 12-week value: nothing more.
tid=$(sql "SELECT id FROM teams WHERE name = 'payments'")
[ "$(sql "SELECT COUNT(*) FROM metric_values WHERE scope = 'team' AND scope_id = $tid AND grain = 'week'")" = 48 ] ||
	fail "not 12 weeks a key"
# A window given as --to a Monday ends its trend there: the 12 weeks before Monday 2026-03-16
# (07:00Z, PDT), across March's change to summer time (12 weeks an hour shorter), not 13 from
# the Sunday before the first.
ok dashboard refresh --team payments --to 2026-03-16
weeks() { sql "SELECT COUNT(*) || ' ' || MIN(period_start) FROM metric_values WHERE scope = 'team' AND scope_id = $tid AND grain = 'week' AND period_end <= 1773644400000"; }
# 2025-12-22T08:00:00Z, PST
[ "$(weeks)" = "48 1766390400000" ] || fail "not 12 weeks a key before 2026-03-16: $(weeks)"
