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
ok --db "$T/d.db" init
ok --db "$T/d.db" demo --people 20
expect_out "demo organization created"
n=$(sqlite3 "$T/d.db" "SELECT COUNT(*) FROM audit_log")
run --db "$T/d.db" demo
expect_status 5
[ "$(sqlite3 "$T/d.db" "SELECT COUNT(*) FROM audit_log")" = "$n" ] || fail "refused demo appended to the audit log"
# The demo needs init first.
run --db "$T/none.db" demo
expect_status 4
expect_err "plumb init"
