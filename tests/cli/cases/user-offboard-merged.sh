# A user whose person was merged into another record is refused like a leaver's, so user offboard disables it and revokes its tokens, as it does a leaver's.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E102 --role employee
ok token create --user E102 --scope read --expires 2099-01-01
ok person merge E102 --into E101 --reason "rehired under a new id"
run --as E102 me
expect_status 3
expect_err "their person was merged into E101"
ok user offboard
expect_out "1 user offboarded"
ok user list --json
expect_json '.[] | select(.user == "E102") | .disabled' true
ok token list --user E102 --json
expect_json '.[0].revoked_at != null' true
ok audit log --object user:E102 --json
expect_json '[.[] | select(.action == "user.offboard")] | .[0].detail.reason' "person merged"
expect_json '[.[] | select(.action == "user.offboard")] | .[0].detail.merged_into' E101
ok user offboard
expect_out "0 users offboarded"
