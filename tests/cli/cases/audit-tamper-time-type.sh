# An entry's time stored as text, a real or a blob, not as the integer its hash covers, breaks
# the chain. SQLite keeps what it is given, and plumb read such a time as that integer, so
# verify passed (found hunting); yet SQLite compares text after every number, so retention
# never found the entry old enough to redact, and audit log --since listed it whatever the
# time asked for. PostgreSQL's column is a bigint and takes neither.
sqlite_only "a BIGINT column on PostgreSQL holds integers only"
init_db
ok org import "$FIXTURES/org-small.csv"
ok audit verify
disable_audit_triggers
at=$(sql "SELECT at FROM audit_log WHERE seq = 5")
sql "UPDATE audit_log SET at = '${at}x' WHERE seq = 5"
[ "$(sql "SELECT typeof(at) FROM audit_log WHERE seq = 5")" = text ] || fail "setup: the time is not text"
# What that did: the entry is listed by --since a time after it.
ok audit log --since 2099-01-01T00:00:00Z --json
expect_json '[.[] | .seq] | join(",")' 5
run audit verify
expect_status 1
expect_err "plumb: error: audit chain broken at sequence number 5"
expect_err "its time is not stored as the integer its hash covers"
run audit verify --json
expect_status 1
expect_json .first_bad_seq 5
# A real that reads as the same integer is caught the same way.
sql "UPDATE audit_log SET at = $at.5 WHERE seq = 5"
[ "$(sql "SELECT typeof(at) FROM audit_log WHERE seq = 5")" = real ] || fail "setup: the time is not a real"
run audit verify
expect_status 1
expect_err "its time is not stored as the integer its hash covers"
# A blob of the same digits: its text is the integer's, yet it sorts after every number
# (found in review: CAST(at AS TEXT) alone let it pass).
sql "UPDATE audit_log SET at = CAST('$at' AS BLOB) WHERE seq = 5"
[ "$(sql "SELECT typeof(at) FROM audit_log WHERE seq = 5")" = blob ] || fail "setup: the time is not a blob"
ok audit log --since 2099-01-01T00:00:00Z --json
expect_json '[.[] | .seq] | join(",")' 5
run audit verify
expect_status 1
expect_err "its time is not stored as the integer its hash covers"
# As the integer it was, it verifies again.
sql "UPDATE audit_log SET at = $at WHERE seq = 5"
ok audit verify
