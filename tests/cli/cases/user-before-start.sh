# A user whose person has not started yet (start date ahead) may run nothing until that day, as one whose person has left may run nothing after it: refused with the reason, audited; the admin may give them roles and a token ahead.
init_db
export PLUMB_NOW=2026-11-28T12:00:00Z
ok org import "$FIXTURES/org-small.csv"
file hire.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
E106,Omar Haddad,omar.haddad@acme.example,M001,payments,Engineering Manager,M2,manager,manager,ES,2027-01-04
CSV
ok org import hire.csv
ok user add --person E106 --role employee --role people-partner:payments
run --as E106 person show E101
expect_status 3
expect_err "user 'E106' is disabled"
expect_err "their person has not started yet (start date 2027-01-04)"
ok audit log --object user:E106 --json
expect_json '[.[] | select(.action == "access.denied")] | length' 1
run --as E106 me
expect_status 3
# Not offboarded: nothing to undo on the start date.
ok user offboard
expect_out "0 users offboarded"
export PLUMB_NOW=2027-01-04T00:00:00Z
ok --as E106 me --json
expect_json .employee_id E106
ok --as E106 person show E101
