# An entry's text stored as a blob of the same bytes breaks the chain. SQLite keeps what it is
# given, and plumb read such a column as the text its hash covers, so verify passed (found
# hunting); yet a blob equals no text, so the entry was found by no look-up: M001's read of
# E101's record dropped out of audit log --object person:E101 (and of retention's holds and
# plumb me, which match entries the same way). PostgreSQL's columns are text and take none.
sqlite_only "a text column on PostgreSQL holds text only"
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person M001 --role manager
ok --as M001 person show E101
seq=$(sql "SELECT MAX(seq) FROM audit_log WHERE object_type = 'person' AND object_id = 'E101'")
ok audit log --object person:E101 --json
expect_json "[.[] | select(.seq == $seq)] | length" 1
ok audit verify
disable_audit_triggers
# column COLUMN: entry seq's COLUMN rewritten as a blob of its bytes; verify fails naming it.
column() {
	sql "UPDATE audit_log SET $1 = CAST($1 AS BLOB) WHERE seq = $seq"
	[ "$(sql "SELECT typeof($1) FROM audit_log WHERE seq = $seq")" = blob ] || fail "setup: $1 is not a blob"
	run audit verify
	expect_status 1
	expect_err "plumb: error: audit chain broken at sequence number $seq"
	expect_err "its $1 is not stored as text (the row was edited outside plumb)"
	sql "UPDATE audit_log SET $1 = CAST($1 AS TEXT) WHERE seq = $seq"
}
column object_id
# What the edit did: the entry is gone from the person's listing.
sql "UPDATE audit_log SET object_id = CAST(object_id AS BLOB) WHERE seq = $seq"
ok audit log --object person:E101 --json
expect_json "[.[] | select(.seq == $seq)] | length" 0
sql "UPDATE audit_log SET object_id = CAST(object_id AS TEXT) WHERE seq = $seq"
for c in actor action object_type detail prev_hash hash; do column "$c"; done
# os_user is null on an entry of plumb's own; set, it is checked the same way.
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE seq = $seq AND os_user IS NOT NULL")" = 1 ] || fail "setup: no os_user"
column os_user
# Restored as text, it verifies again.
ok audit verify
