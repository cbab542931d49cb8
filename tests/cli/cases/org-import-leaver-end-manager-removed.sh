# A leaver's end date corrected to before the day their manager was taken away is refused, as
# one before any other change of theirs is: found by taking E103's manager away from
# 2026-06-01, her leaving on 2026-09-30, then the end date corrected to 2026-05-01: her team and
# level rows ended at the new date, her reporting line still at 2026-06-01, after she had left.
init_db
sed 's/^E103,\(.*\),M001,payments,/E103,\1,,payments,/' "$FIXTURES/org-small.csv" >nomgr.csv
sed 's/^\(E103,.*,2022-04-04\),,/\1,2026-09-30,/' nomgr.csv >left.csv
[ "$(diff "$FIXTURES/org-small.csv" left.csv | grep -c '^>')" = 1 ] || fail "fixture edit did not apply"
PLUMB_NOW=2026-11-28 ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
PLUMB_NOW=2026-11-28 ok org import nomgr.csv --effective 2026-06-01
PLUMB_NOW=2026-11-28 ok org import left.csv --effective 2026-11-28
state() { sql "SELECT (SELECT COUNT(*) FROM audit_log) || ' ' || (SELECT MAX(valid_to) FROM team_memberships) || ' ' || (SELECT end_date FROM people WHERE employee_id = 'E103')"; }
before=$(state)
for end in 2026-05-01 2026-06-01; do
	sed "s/^\(E103,.*\),2026-09-30,/\1,$end,/" left.csv >corrected.csv
	PLUMB_NOW=2026-11-28 run org import corrected.csv --effective 2026-11-28
	expect_status 1
	expect_err "corrected.csv:7: end_date: $end is not after E103's last manager record, to 2026-06-01"
	[ "$(state)" = "$before" ] || fail "a refused end date $end wrote something"
done
# After it, the correction moves the rows the end closed, and no other.
sed 's/^\(E103,.*\),2026-09-30,/\1,2026-07-01,/' left.csv >corrected.csv
PLUMB_NOW=2026-11-28 ok org import corrected.csv --effective 2026-11-28
ok person show E103 --json
expect_json '[.history[] | .kind + ":" + .value + "@" + .valid_from[0:10] + "/" + (.valid_to // "null" | .[0:10])] | join(" ")' \
	"level:L3@2022-04-04/2026-07-01 manager:M001@2022-04-04/2026-06-01 team:payments@2022-04-04/2026-07-01"
