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
# stored AS TYPE: entry 5's time rewritten as AS, of SQLite's storage class TYPE; verify fails
# on it, and the listing shows what that did: the entry is listed by --since a later time.
stored() {
	sql "UPDATE audit_log SET at = $1 WHERE seq = 5"
	[ "$(sql "SELECT typeof(at) FROM audit_log WHERE seq = 5")" = "$2" ] || fail "setup: the time is not $2"
	[ "$2" = real ] || {
		ok audit log --since 2099-01-01T00:00:00Z --json
		expect_json '[.[] | .seq] | join(",")' 5
	}
	run audit verify
	expect_status 1
	expect_err "plumb: error: audit chain broken at sequence number 5"
	expect_err "its time is not stored as the integer its hash covers"
}
stored "'${at}x'" text
run audit verify --json
expect_status 1
expect_json .first_bad_seq 5
# A real that reads as the same integer is caught the same way.
stored "$at.5" real
# A blob of the same digits: its text is the integer's, yet it sorts after every number
# (found in review: CAST(at AS TEXT) alone let it pass).
stored "CAST('$at' AS BLOB)" blob
# As the integer it was, it verifies again.
sql "UPDATE audit_log SET at = $at WHERE seq = 5"
ok audit verify
