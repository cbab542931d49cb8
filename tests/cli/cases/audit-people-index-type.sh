# A row of the index of whom entries name (audit_people) stored as a blob of the same bytes
# breaks the chain. SQLite keeps what it is given: verify read the row as the text and number
# the entry's detail asks for and passed, yet a blob equals no text, so plumb me, which finds a
# person's entries by the index, no longer listed the entry (found hunting). PostgreSQL's
# columns are text and bigint and take none.
sqlite_only "a text column on PostgreSQL holds text only"
init_db
ok org import "$FIXTURES/org-small.csv"
ok identity link github alice --person E101
ok user add --person E101 --role employee
seq=$(sql "SELECT seq FROM audit_log WHERE object_type = 'identity' AND object_id = 'github:alice'")
[ "$(sql "SELECT employee_id FROM audit_people WHERE seq = $seq")" = E101 ] || fail "the link is not indexed"
ok audit verify
ok --as E101 me --json
n_about=$(json '.holdings[] | select(.category == "audit_log") | .count')
# column COLUMN: the row's COLUMN rewritten as a blob of its bytes: plumb me loses the entry,
# and verify fails at it, naming the person; put back, it verifies again.
column() {
	sql "UPDATE audit_people SET $1 = CAST(CAST($1 AS TEXT) AS BLOB) WHERE seq = $seq"
	[ "$(sql "SELECT typeof($1) FROM audit_people WHERE employee_id = CAST('E101' AS BLOB) OR employee_id = 'E101' ORDER BY typeof($1) LIMIT 1")" = blob ] ||
		fail "setup: $1 is not a blob"
	ok --as E101 me --json
	[ "$(json '.holdings[] | select(.category == "audit_log") | .count')" -lt "$n_about" ] ||
		fail "the $1 made a blob did not hide the entry (the case no longer shows the defect)"
	run audit verify
	expect_status 1
	expect_err "plumb: error: audit chain broken at sequence number $seq"
	expect_err "audit_people) has its row naming E101 stored as another type than text and integer"
	run audit verify --json
	expect_status 1
	expect_json .first_bad_seq "$seq"
	sql "DELETE FROM audit_people WHERE seq = CAST(CAST($seq AS TEXT) AS BLOB) OR seq = $seq"
	sql "INSERT INTO audit_people(employee_id, seq) VALUES ('E101', $seq)"
	ok audit verify
}
column employee_id
column seq
