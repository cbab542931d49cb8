# Someone whose end date is their start date (a hire who never came) has no team, manager or
# level, whether the file is imported before that date or after: found by importing N001,
# starting and leaving on 2026-12-15, on 2026-11-28: once the date passed, the next import
# closed her rows where they began (rows from 2026-12-15 to 2026-12-15), where one imported
# after it writes none. The same when a --full file leaves her out then.
init_db
printf '%s\n' 'employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date' \
	'M001,Mia,m1@x.example,,payments,EM,M2,manager,manager,US,2020-01-01,' \
	'N001,Nia,n1@x.example,M001,payments,Eng,L3,ic,backend,US,2026-12-15,2026-12-15' >v1.csv
head -2 v1.csv >without.csv
rows() { sql "SELECT (SELECT COUNT(*) FROM team_memberships m JOIN people p ON p.id = m.person_id WHERE p.employee_id = 'N001') || ' ' || (SELECT COUNT(*) FROM reporting_lines m JOIN people p ON p.id = m.person_id WHERE p.employee_id = 'N001') || ' ' || (SELECT COUNT(*) FROM levels m JOIN people p ON p.id = m.person_id WHERE p.employee_id = 'N001')"; }
# Imported after the date: no rows.
PLUMB_NOW=2026-12-20 ok org import v1.csv --effective 2026-12-20
[ "$(rows)" = "0 0 0" ] || fail "imported after the date: $(rows)"
# Imported before it: open rows until it comes, none once it has.
reset_db
init_db
PLUMB_NOW=2026-11-28 ok org import v1.csv --effective 2026-11-28
[ "$(rows)" = "1 1 1" ] || fail "imported before the date: $(rows)"
PLUMB_NOW=2026-12-20 ok org import v1.csv --effective 2026-12-20
[ "$(rows)" = "0 0 0" ] || fail "once the date passed: $(rows)"
ok audit log --json
expect_json '[.[] | select(.action == "person.update" and .object_id == "N001")][-1].detail.changed | join(" ")' "history_ended"
PLUMB_NOW=2026-12-21 ok org import v1.csv --effective 2026-12-21
expect_out "0 updated, 2 unchanged"
# Left out of a --full file once the date passed: the same.
reset_db
init_db
PLUMB_NOW=2026-11-28 ok org import v1.csv --effective 2026-11-28
PLUMB_NOW=2026-12-20 ok org import without.csv --full --effective 2026-12-20
[ "$(rows)" = "0 0 0" ] || fail "left out of --full: $(rows)"
