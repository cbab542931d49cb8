# A user offboarded when their person left, then rehired by a later import, is enabled again by user add, which starts them afresh: the roles of the job they left are dropped, not restored.
init_db
export PLUMB_NOW=2026-01-10
ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
ok user add --person E104 --role employee --role people-partner:payments
ok token create --user E104 --scope read --expires 2099-01-01
printf 'old-password-of-2026\n' >pw.txt
ok user passwd E104 --password-file pw.txt
# E104 leaves on 2026-02-01 and is offboarded.
sed 's/^\(E104,.*,2018-11-12,\),/\12026-02-01,/' "$FIXTURES/org-small.csv" >leave.csv
grep -q '^E104,.*,2026-02-01,tbaker' leave.csv || fail "leave.csv does not end E104"
export PLUMB_NOW=2026-03-01
ok org import leave.csv --effective 2026-03-01
ok user offboard
expect_out "1 user offboarded"
run --as E104 me
expect_status 3
expect_err "user 'E104' is disabled"
# While the person is still gone, user add grants but does not enable.
ok user add --person E104 --role analyst
run --as E104 me
expect_status 3
ok user list --json
expect_json '.[] | select(.user == "E104") | .disabled' true
# Rehired on 2026-05-01: the user is still disabled (their own flag) ...
export PLUMB_NOW=2026-05-01
ok org import "$FIXTURES/org-small.csv" --effective 2026-05-01
run --as E104 me
expect_status 3
expect_err "user 'E104' is disabled"
# ... until user add enables them, with only the roles given now.
ok user add --person E104 --role employee
expect_out "user E104 updated"
ok user list --json
expect_json '.[] | select(.user == "E104") | .disabled' false
# The password of the job they left is gone: user passwd gives them one.
[ "$(sql "SELECT COUNT(*) FROM user_credentials c JOIN users u ON u.id = c.user_id WHERE u.name = 'E104'")" = 0 ] ||
	fail "the rehired user kept the password of the job they left"
expect_json '.[] | select(.user == "E104") | .roles | join(",")' employee
ok --as E104 me --json
expect_json .employee_id E104
ok --as E104 person list --json
expect_json '[.[] | .employee_id] | join(" ")' E104
run --as E104 person show E101
expect_status 3
ok audit log --object user:E104 --json
expect_json '[.[] | select(.action == "user.grant")] | last | .detail.enabled' true
expect_json '[.[] | select(.action == "user.grant")] | last | .detail.dropped | join(",")' "employee,people-partner:payments,analyst"
expect_json '[.[] | select(.action == "user.grant")] | last | .detail.granted | join(",")' employee
# The token revoked at offboarding stays revoked.
ok token list --user E104 --json
expect_json '.[0].revoked_at != null' true
# Enabled once: the same grant again is nothing new.
run user add --person E104 --role employee
expect_status 5
expect_err "user E104 already has these roles"
