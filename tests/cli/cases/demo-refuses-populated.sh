# demo refuses a database that already holds people (exit 5), whether from an import or an earlier demo, and writes nothing.
ok init
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
run demo
expect_status 5
expect_err "plumb: error: the database already holds people"
expect_err "detail: it holds 12 people"
expect_err "hint: create the demo in a new database"
expect_counts "$before"
d=$(extra_db d)
ok --db "$d" init
ok --db "$d" demo --people 20
expect_out "demo organization created"
n=$(sql_db "$d" "SELECT COUNT(*) FROM audit_log")
run --db "$d" demo
expect_status 5
[ "$(sql_db "$d" "SELECT COUNT(*) FROM audit_log")" = "$n" ] || fail "refused demo appended to the audit log"
# The demo needs init first.
run --db "$(extra_db none)" demo
expect_status 4
expect_err "plumb init"
