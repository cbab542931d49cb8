# A person who left and came back without user offboard having run between (no server ran it) does not act with the roles of the job they left: the import that brings them back offboards their user, and user add starts them afresh.
init_db
export PLUMB_NOW=2026-01-10
ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
ok user add --person E104 --role employee --role people-partner:payments
ok token create --user E104 --scope write --expires 2099-01-01
# E104 leaves on 2026-02-01; nobody runs user offboard.
sed 's/^\(E104,.*,2018-11-12,\),/\12026-02-01,/' "$FIXTURES/org-small.csv" >leave.csv
grep -q '^E104,.*,2026-02-01,tbaker' leave.csv || fail "leave.csv does not end E104"
export PLUMB_NOW=2026-03-01
ok org import leave.csv --effective 2026-03-01
run --as E104 me
expect_status 3
# Rehired on 2026-05-01, the user never offboarded: not the people partner of payments again.
export PLUMB_NOW=2026-05-01
ok org import "$FIXTURES/org-small.csv" --effective 2026-05-01
run --as E104 person show E101
expect_status 3
expect_err "user 'E104' is disabled"
ok user list --json
expect_json '.[] | select(.user == "E104") | .disabled' true
ok audit log --object user:E104 --json
expect_json '[.[] | select(.action == "user.offboard")] | length' 1
expect_json '[.[] | select(.action == "user.offboard")] | last | .detail.reason' "end date passed"
expect_json '[.[] | select(.action == "user.offboard")] | last | .detail.end_date' 2026-02-01
expect_json '[.[] | select(.action == "user.offboard")] | last | .detail.returned' true
ok token list --user E104 --json
expect_json '.[0].revoked_at != null' true
# The offboard that runs later finds nothing more to do.
ok user offboard
expect_out "0 users offboarded"
# user add enables them with only the roles given now.
ok user add --person E104 --role employee
ok user list --json
expect_json '.[] | select(.user == "E104") | .disabled' false
expect_json '.[] | select(.user == "E104") | .roles | join(",")' employee
ok --as E104 me --json
expect_json .employee_id E104
run --as E104 person show E101
expect_status 3
