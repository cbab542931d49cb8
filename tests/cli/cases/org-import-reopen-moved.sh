# Someone moved at a date to come, then ended at that same date by --full, then listed again
# before it came: only the rows the end closed open again (found: the team and manager rows
# the move had closed there opened too, so the person had two teams, and the next change
# closed one before it began).
init_db
sed 's/^E103,\(.*\),M001,payments,/E103,\1,M002,search,/' "$FIXTURES/org-small.csv" >move.csv
grep -v '^E103,' move.csv >without.csv
[ "$(diff "$FIXTURES/org-small.csv" move.csv | grep -c '^>')" = 1 ] || fail "fixture edit did not apply"
history() {
	ok person show E103 --json
	json '[.history[] | select(.kind != "level") | .kind + ":" + .value + "@" + .valid_from[0:10] + "/" + (.valid_to // "null" | .[0:10])] | join(" ")'
}
PLUMB_NOW=2026-11-28 ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
PLUMB_NOW=2026-11-28 ok org import move.csv --effective 2026-12-10
moved=$(history)
[ "$moved" = "manager:M001@2022-04-04/2026-12-10 manager:M002@2026-12-10/null team:payments@2022-04-04/2026-12-10 team:search@2026-12-10/null" ] ||
	fail "the move: $moved"
PLUMB_NOW=2026-11-28 ok org import without.csv --full --effective 2026-12-10
ok person show E103 --json
expect_json .end_date 2026-12-10
# Listed again before the end came: as if never ended, the move kept.
PLUMB_NOW=2026-11-28 ok org import move.csv --effective 2026-12-01
expect_out "1 updated"
ok person show E103 --json
expect_json .end_date null
[ "$(history)" = "$moved" ] || fail "after the return: $(history)"
[ "$(sql "SELECT COUNT(*) FROM team_memberships m JOIN people p ON p.id = m.person_id WHERE p.employee_id = 'E103' AND m.valid_to IS NULL")" = 1 ] ||
	fail "open team rows: $(sql "SELECT team_id, valid_from, valid_to FROM team_memberships m JOIN people p ON p.id = m.person_id WHERE p.employee_id = 'E103'")"
ok audit log --json
expect_json '[.[] | select(.action == "person.update" and .object_id == "E103")][-1].detail.changed | join(" ")' "end_date history_reopened"
# The next change starts from the reopened rows: nothing ends before it began.
sed 's/^E103,\(.*\),M002,search,/E103,\1,M001,payments,/' move.csv >back.csv
PLUMB_NOW=2026-11-28 ok org import back.csv --effective 2026-12-20
[ "$(history)" = "manager:M001@2022-04-04/2026-12-10 manager:M002@2026-12-10/2026-12-20 manager:M001@2026-12-20/null team:payments@2022-04-04/2026-12-10 team:search@2026-12-10/2026-12-20 team:payments@2026-12-20/null" ] ||
	fail "after moving back: $(history)"

# The same end, once passed, corrected by a later file: the rows the end closed move to the
# new date, not the ones the move closed that day (found in review: both moved, and the
# payments and search rows overlapped).
reset_db
init_db
PLUMB_NOW=2026-11-28 ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
PLUMB_NOW=2026-11-28 ok org import move.csv --effective 2026-12-10
PLUMB_NOW=2026-11-28 ok org import without.csv --full --effective 2026-12-10
sed 's/^\(E103,.*,2022-04-04,\),/\12026-12-15,/' move.csv >corrected.csv
grep -q '^E103,.*,2022-04-04,2026-12-15,' corrected.csv || fail "fixture edit did not apply"
PLUMB_NOW=2026-12-28 ok org import corrected.csv --effective 2026-12-28
ok person show E103 --json
expect_json .end_date 2026-12-15
[ "$(history)" = "manager:M001@2022-04-04/2026-12-10 manager:M002@2026-12-10/2026-12-15 team:payments@2022-04-04/2026-12-10 team:search@2026-12-10/2026-12-15" ] ||
	fail "after the corrected end: $(history)"
