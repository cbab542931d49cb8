# An end date given with a return before --full's end must come after the rows that return
# opens again: found by moving E103 from 2026-12-10, leaving her out of a --full file dated
# 2026-12-20, then listing her again with the end date 2026-12-05: accepted, and once it passed
# her rows closed at the move, after she had left, the new ones where they began.
init_db
sed 's/^E103,\(.*\),M001,payments,/E103,\1,M002,search,/' "$FIXTURES/org-small.csv" >move.csv
grep -v '^E103,' move.csv >without.csv
sed 's/^E103,\(.*\),2022-04-04,,/E103,\1,2022-04-04,2026-12-05,/' move.csv >move-end.csv
[ "$(diff "$FIXTURES/org-small.csv" move-end.csv | grep -c '^>')" = 1 ] || fail "fixture edit did not apply"
PLUMB_NOW=2026-11-28 ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
PLUMB_NOW=2026-11-28 ok org import move.csv --effective 2026-12-10
PLUMB_NOW=2026-11-28 ok org import without.csv --full --effective 2026-12-20
state() { sql "SELECT (SELECT COUNT(*) FROM audit_log) || ' ' || (SELECT COUNT(*) FROM team_memberships WHERE valid_to IS NULL) || ' ' || (SELECT end_date FROM people WHERE employee_id = 'E103')"; }
before=$(state)
for end in 2026-12-05 2026-12-10; do
	sed "s/^\(E103,.*\),2026-12-05,/\1,$end,/" move-end.csv >e.csv
	PLUMB_NOW=2026-11-28 run org import e.csv --effective 2026-12-01
	expect_status 1
	expect_err "e.csv:7: end_date: $end is not after E103's records from 2026-12-10"
	[ "$(state)" = "$before" ] || fail "a refused end date $end wrote something"
done
# After the move it is hers: the rows the end closed are open until it comes.
sed 's/^\(E103,.*\),2026-12-05,/\1,2026-12-15,/' move-end.csv >e.csv
PLUMB_NOW=2026-11-28 ok org import e.csv --effective 2026-12-01
PLUMB_NOW=2027-01-04 ok org import e.csv --effective 2027-01-04
ok person show E103 --json
expect_json .end_date 2026-12-15
expect_json '[.history[] | select(.kind != "level") | .value + "@" + .valid_from[0:10] + "/" + (.valid_to // "null" | .[0:10])] | join(" ")' \
	"M001@2022-04-04/2026-12-10 M002@2026-12-10/2026-12-15 payments@2022-04-04/2026-12-10 search@2026-12-10/2026-12-15"
