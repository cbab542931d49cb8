# --full and the rows of someone who changed: it may not end them on the day of their newest
# change (found in review: moved on the --effective day, they kept a team they never joined,
# a row that began and ended that day), as a file's end date may not; ended later and listed
# again before it came, their rows are as before the end; a corrected end date, once passed,
# moves the rows the end closed, not those a move closed before.
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
before=$(sql "SELECT COUNT(*) FROM audit_log")
PLUMB_NOW=2026-11-28 run org import without.csv --full --effective 2026-12-10
expect_status 1
expect_err "cannot end E103 at 2026-12-10: their records run from 2026-12-10"
[ "$(history)" = "$moved" ] || fail "a refused --full changed the history: $(history)"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = $((before + 1)) ] || fail "a refused --full wrote more than its person.show read"
PLUMB_NOW=2026-11-28 ok org import without.csv --full --effective 2026-12-20
ok person show E103 --json
expect_json .end_date 2026-12-20
[ "$(history)" = "manager:M001@2022-04-04/2026-12-10 manager:M002@2026-12-10/2026-12-20 team:payments@2022-04-04/2026-12-10 team:search@2026-12-10/2026-12-20" ] ||
	fail "after the end: $(history)"
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

# The end, once passed, corrected by a later file.
reset_db
init_db
PLUMB_NOW=2026-11-28 ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
PLUMB_NOW=2026-11-28 ok org import move.csv --effective 2026-12-10
PLUMB_NOW=2026-11-28 ok org import without.csv --full --effective 2026-12-20
sed 's/^\(E103,.*,2022-04-04,\),/\12026-12-15,/' move.csv >corrected.csv
grep -q '^E103,.*,2022-04-04,2026-12-15,' corrected.csv || fail "fixture edit did not apply"
PLUMB_NOW=2026-12-28 ok org import corrected.csv --effective 2026-12-28
ok person show E103 --json
expect_json .end_date 2026-12-15
[ "$(history)" = "manager:M001@2022-04-04/2026-12-10 manager:M002@2026-12-10/2026-12-15 team:payments@2022-04-04/2026-12-10 team:search@2026-12-10/2026-12-15" ] ||
	fail "after the corrected end: $(history)"

# A hire who never came, left out of a --full on their first day: their rows go, rather than
# ending where they began.
reset_db
init_db
H='employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date'
printf '%s\n' "$H" 'M001,Mia,m1@x.example,,payments,EM,M2,manager,manager,US,2020-01-01,' \
	'E001,Eve,e1@x.example,M001,payments,Eng,L3,ic,backend,US,2025-06-01,' >hire.csv
head -2 hire.csv >full.csv
PLUMB_NOW=2025-05-01 ok org import hire.csv --effective 2025-05-01
PLUMB_NOW=2025-05-02 ok org import full.csv --full --effective 2025-06-01
for t in team_memberships reporting_lines levels; do
	[ "$(sql "SELECT COUNT(*) FROM $t h JOIN people p ON p.id = h.person_id WHERE p.employee_id = 'E001'")" = 0 ] ||
		fail "$t rows left: $(sql "SELECT valid_from, valid_to FROM $t h JOIN people p ON p.id = h.person_id WHERE p.employee_id = 'E001'")"
done
ok person show E001 --json
expect_json .end_date 2025-06-01
