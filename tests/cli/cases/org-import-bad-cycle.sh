# A reporting cycle (in the file, or closed through a person already in the database) is refused with "reporting cycle"; nothing is written.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
file cycle.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
C1,Chris Cole,chris@acme.example,C2,payments,Engineering Manager,M1,manager,manager,US,2024-01-01
C2,Dee Dunn,dee@acme.example,C1,payments,Engineering Manager,M1,manager,manager,US,2024-01-01
CSV
run org import cycle.csv
expect_status 1
expect_err "plumb: error: cycle.csv:"
expect_err "manager_id: reporting cycle:"
grep -qE 'reporting cycle: C1 -> C2 -> C1|reporting cycle: C2 -> C1 -> C2' "$T/err" || fail "cycle path not shown"
expect_counts "$before"
# Through the database: the head now reports to someone who reports (in the DB) to them.
file cycle2.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
H001,Dana Whitfield,dana.whitfield@acme.example,E101,engineering,VP Engineering,M5,manager,manager,US,2018-03-01
CSV
run org import cycle2.csv
expect_status 1
expect_err "cycle2.csv:2: manager_id: reporting cycle:"
expect_counts "$before"
# Managing oneself is a cycle of one.
file self.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
S1,Sam Self,sam@acme.example,S1,payments,Software Engineer,L3,ic,backend,US,2024-01-01
CSV
run org import self.csv
expect_status 1
expect_err "self.csv:2: manager_id: S1 cannot manage themselves"
expect_counts "$before"
