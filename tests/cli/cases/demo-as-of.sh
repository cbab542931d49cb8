# The demo's data ends where the week of its as-of day starts (--as-of, else PLUMB_DEMO_AS_OF, else today; the Saturday before): another week moves every date by whole weeks and changes nothing else, a day of the same week changes nothing, the cycles are named for the year and quarter of the data's last day, and an as-of after today or before 2000 is refused before anything is written.
demo_db --no-reviews # PLUMB_DEMO_AS_OF=2026-11-01 (lib.sh): the week from Sunday 2026-11-01
week=$((7 * 86400000))
events() { # DB SHIFT: every event's facts, its times moved back by SHIFT ms
	sql_db "$1" "SELECT s.name, e.kind, e.external_id, e.occurred_at - $2, e.ended_at - $2, e.updated_at - $2, e.status, e.title, p.employee_id, tm.name, v.name, e.is_bot FROM events e JOIN sources s ON s.id = e.source_id LEFT JOIN services v ON v.id = e.service_id LEFT JOIN people p ON p.id = e.person_id LEFT JOIN teams tm ON tm.id = e.team_id ORDER BY 1, 2, 3"
}
history() { # DB SHIFT: team memberships and service owners, moved back by SHIFT ms
	sql_db "$1" "SELECT p.employee_id, t.name, m.valid_from - $2, m.valid_to - $2 FROM team_memberships m JOIN people p ON p.id = m.person_id JOIN teams t ON t.id = m.team_id ORDER BY 1, 3"
	sql_db "$1" "SELECT v.name, t.name, o.valid_from - $2 FROM service_owners o JOIN services v ON v.id = o.service_id JOIN teams t ON t.id = o.team_id ORDER BY 1, 3"
}
events "$PLUMB_DB" 0 >"$T/base.txt"
history "$PLUMB_DB" 0 >"$T/base-hist.txt"
[ "$(wc -l <"$T/base.txt")" -ge 3000 ] || fail "the demo has few events"
# The base week's data ends on Saturday 2026-10-31.
[ "$(sql "SELECT CASE WHEN MAX(occurred_at) < 1793491200000 AND MAX(occurred_at) >= 1793491200000 - 86400000 * 7 THEN 1 ELSE 0 END FROM events")" = 1 ] ||
	fail "the pinned demo's data does not end in the week before 2026-11-01"

# Saturday of the same week: the same demo.
same=$(extra_db same)
ok --db "$same" init
ok --db "$same" demo --no-reviews --as-of 2026-11-07
expect_out "events of about six months to 2026-10-31 from"
events "$same" 0 >"$T/same.txt"
cmp -s "$T/base.txt" "$T/same.txt" || fail "a day of the same week changed the demo: $(diff "$T/base.txt" "$T/same.txt" | head -4)"

# The next Sunday: every time a week later, nothing else changed. --as-of wins over PLUMB_DEMO_AS_OF.
next=$(extra_db next)
ok --db "$next" init
ok --db "$next" demo --no-reviews --as-of 2026-11-08T09:30:00Z
expect_out "events of about six months to 2026-11-07 from"
events "$next" "$week" >"$T/next.txt"
cmp -s "$T/base.txt" "$T/next.txt" || fail "the next week's demo is not the same moved by 7 days: $(diff "$T/base.txt" "$T/next.txt" | head -4)"
history "$next" "$week" >"$T/next-hist.txt"
cmp -s "$T/base-hist.txt" "$T/next-hist.txt" || fail "the next week's org history is not moved by 7 days: $(diff "$T/base-hist.txt" "$T/next-hist.txt" | head -4)"
[ "$(sql_db "$next" "SELECT COUNT(*) FROM events")" = "$(wc -l <"$T/base.txt")" ] || fail "the moved demo has other events"
[ "$(sql_db "$next" "SELECT detail FROM audit_log WHERE action = 'demo.create'" | jq -r .as_of)" = 2026-11-08 ] ||
	fail "the demo.create entry does not name its as-of day"

# Without either: the week of today, so the data ends at most a week before today.
if [ "$(engine)" = sqlite ]; then
	now=$(extra_db now)
	ok --db "$now" init
	PLUMB_DEMO_AS_OF='' ok --db "$now" demo --no-reviews --org-only
	sunday=$(date -u -d "$(date -u +%F) - $(date -u +%w) days" +%F)
	[ "$(sql_db "$now" "SELECT detail FROM audit_log WHERE action = 'demo.create'" | jq -r .as_of)" = "$sunday" ] ||
		fail "the default demo does not end in this week (from Sunday $sunday)"
fi

# The cycles are named for the year and quarter the data ends in.
old=$(extra_db old)
ok --db "$old" init
ok --db "$old" demo --people 20 --as-of 2025-08-20
expect_out "events of about six months to 2025-08-16 from"
ok --db "$old" cycle list --json
[ "$(json '[.[].name] | join(" ")')" = "2025-annual 2025-q3-checkin" ] || fail "cycles of a demo ending in August 2025: $(json '[.[].name] | join(" ")')"
[ "$(json '.[0].period_end')" = 2025-08-17 ] || fail "the annual review does not end where the data does"
# Data to the year's last day (the week of Sunday 2023-01-01): both cycles are 2022's, the
# check-in of the quarter that holds the data, not the next one.
new=$(extra_db new)
ok --db "$new" init
ok --db "$new" demo --people 20 --as-of 2023-01-01
ok --db "$new" cycle list --json
[ "$(json '[.[].name] | join(" ")')" = "2022-annual 2022-q4-checkin" ] || fail "cycles of a demo ending on 2022-12-31: $(json '[.[].name] | join(" ")')"

# Refused before anything is written, naming where the day came from.
bad=$(extra_db bad)
ok --db "$bad" init
run --db "$bad" demo --no-reviews --as-of 2099-01-01
expect_status 2
expect_err "as-of day 2099-01-01 is after today"
run --db "$bad" demo --org-only --as-of 1999-12-31
expect_status 2
expect_err "as-of day 1999-12-31 is too early: expected a day from 2000-01-01 to today"
run --db "$bad" demo --org-only --as-of yesterday
expect_status 2
expect_err "--as-of: invalid time 'yesterday'"
# Today is business time: a clock pinned before the as-of day refuses it (the review cycles
# would be due before the data ends), one pinned ahead takes a later day.
PLUMB_NOW=2026-10-01 run --db "$bad" demo --org-only
expect_status 2
expect_err "as-of day 2026-11-01 is after today: expected a day from 2000-01-01 to today, 2026-10-01"
ahead=$(extra_db ahead)
ok --db "$ahead" init
PLUMB_NOW=2099-01-05 PLUMB_DEMO_AS_OF= ok --db "$ahead" demo --org-only
[ "$(sql_db "$ahead" "SELECT detail FROM audit_log WHERE action = 'demo.create'" | jq -r .as_of)" = 2099-01-04 ] ||
	fail "a demo under a clock pinned to 2099-01-05 does not end in that week"
PLUMB_DEMO_AS_OF=soon run --db "$bad" demo --org-only
expect_status 2
expect_err "PLUMB_DEMO_AS_OF: invalid time 'soon'"
[ "$(sql_db "$bad" "SELECT COUNT(*) FROM people") $(sql_db "$bad" "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'demo.%'")" = "0 0" ] ||
	fail "a refused demo wrote"
