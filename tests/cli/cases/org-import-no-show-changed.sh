# A hire who never came (start and end the same day), imported before that day, then again
# after it with another team from their start: no row is left that begins and ends that day
# (found in review: the team row stayed, from and to the start, and the audit entry said
# only that history ended).
init_db
H='employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date'
printf '%s\n' "$H" 'M001,Mia,m1@x.example,,payments,EM,M2,manager,manager,US,2020-01-01,' \
	'N001,Nia,n1@x.example,M001,payments,Eng,L3,ic,backend,US,2026-12-15,2026-12-15' >v1.csv
sed 's/,M001,payments,Eng,/,M001,search,Eng,/' v1.csv >v2.csv
grep -q '^N001,.*,search,' v2.csv || fail "fixture edit did not apply"
PLUMB_NOW=2026-11-28 ok org import v1.csv --effective 2026-11-28
PLUMB_NOW=2026-12-20 ok org import v2.csv --effective 2026-12-15
for t in team_memberships reporting_lines levels; do
	[ "$(sql "SELECT COUNT(*) FROM $t h JOIN people p ON p.id = h.person_id WHERE p.employee_id = 'N001'")" = 0 ] ||
		fail "$t rows left: $(sql "SELECT * FROM $t h JOIN people p ON p.id = h.person_id WHERE p.employee_id = 'N001'")"
done
ok audit log --json
expect_json '[.[] | select(.action == "person.update" and .object_id == "N001")][-1].detail.changed | join(" ")' "history_ended"
ok audit verify
