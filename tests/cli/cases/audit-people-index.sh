# plumb audit verify checks the index of whom entries name (audit_people, which plumb me reads
# to find the entries about a person): a row deleted hid an entry from its person and one added
# showed it to another, and verify said the log was intact (found in the governance hunt).
init_db
ok org import "$FIXTURES/org-small.csv"
ok identity link github alice --person E101
ok identity link github bob --person E102
ok user add --person E101 --role employee
seq=$(sql "SELECT seq FROM audit_log WHERE object_type = 'identity' AND object_id = 'github:alice'")
[ -n "$seq" ] || fail "no entry for the link"
[ "$(sql "SELECT employee_id FROM audit_people WHERE seq = $seq")" = E101 ] || fail "the link is not indexed"
ok audit verify
ok --as E101 me --json
n_about=$(json '.holdings[] | select(.category == "audit_log") | .count')

# An operator deletes the row: E101's plumb me no longer lists the link.
sql "DELETE FROM audit_people WHERE seq = $seq"
ok --as E101 me --json
[ "$(json '.holdings[] | select(.category == "audit_log") | .count')" -lt "$n_about" ] ||
	fail "the row deleted did not hide the entry (the case no longer shows the defect)"
run audit verify
expect_status 1
expect_err "plumb: error: audit chain broken at sequence number $seq"
expect_err "audit_people) lacks its row naming E101"
run audit verify --json
expect_status 1
expect_json .verified false
expect_json .first_bad_seq "$seq"

# Put back, it verifies again.
sql "INSERT INTO audit_people(employee_id, seq) VALUES ('E101', $seq)"
ok audit verify

# A row added naming someone the entry does not name.
sql "INSERT INTO audit_people(employee_id, seq) VALUES ('E103', $seq)"
run audit verify
expect_status 1
expect_err "audit chain broken at sequence number $seq"
expect_err "has a row naming E103, which its detail does not"
sql "DELETE FROM audit_people WHERE employee_id = 'E103'"
ok audit verify

# A row naming an entry that names nobody (a user's), or one past the end of the log.
useq=$(sql "SELECT MAX(seq) FROM audit_log WHERE object_type = 'user'")
sql "INSERT INTO audit_people(employee_id, seq) VALUES ('E102', $useq)"
run audit verify
expect_status 1
expect_err "audit chain broken at sequence number $useq"
expect_err "has a row naming E102"
sql "DELETE FROM audit_people WHERE seq = $useq"
last=$(sql "SELECT MAX(seq) FROM audit_log")
sql "INSERT INTO audit_people(employee_id, seq) VALUES ('E102', $((last + 5)))"
run audit verify
expect_status 1
expect_err "audit chain broken at sequence number $((last + 5))"
sql "DELETE FROM audit_people WHERE seq = $((last + 5))"
ok audit verify
