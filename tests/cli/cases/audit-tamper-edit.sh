# Editing an audit row (after dropping the append-only triggers) is caught by verify, exit 1, naming that sequence number.
init_db
ok org import "$FIXTURES/org-small.csv"
ok audit verify
# The triggers stop an accidental edit.
sql "UPDATE audit_log SET detail='{}' WHERE seq=5" 2>"$T/sqlerr" && fail "audit_log accepted an UPDATE"
grep -q "append-only" "$T/sqlerr" || fail "trigger message missing"
sql "DELETE FROM audit_log WHERE seq=5" 2>/dev/null && fail "audit_log accepted a DELETE"
# An operator drops them and edits a row.
disable_audit_triggers
sql "UPDATE audit_log SET detail='{\"changed\":[],\"team\":\"payments\",\"manager\":\"M001\",\"level\":\"L9\"}' WHERE seq=7"
run audit verify
expect_status 1
expect_err "plumb: error: audit chain broken at sequence number 7"
expect_err "detail: its content does not match its hash (the row was edited)"
expect_err "hint:"
run audit verify --json
expect_status 1
expect_json .verified false
expect_json .first_bad_seq 7
# Other fields are covered too: the actor.
sql "UPDATE audit_log SET detail=(SELECT detail FROM audit_log WHERE seq=8) WHERE seq=7"
sql "UPDATE audit_log SET actor='someone-else' WHERE seq=3"
run audit verify
expect_status 1
expect_err "audit chain broken at sequence number 3"
# Deleting a row in the middle.
fresh() { reset_db; "$PLUMB" init >/dev/null && "$PLUMB" org import "$FIXTURES/org-small.csv" >/dev/null 2>&1 || fail "setup"; \
	disable_audit_triggers; }
fresh
sql "DELETE FROM audit_log WHERE seq=4"
run audit verify
expect_status 1
expect_err "audit chain broken at sequence number 4"
expect_err "this entry is missing"
# Deleting and renumbering: prev_hash no longer links.
fresh
sql "DELETE FROM audit_log WHERE seq=4; UPDATE audit_log SET seq=seq-1 WHERE seq>4"
run audit verify
expect_status 1
expect_err "audit chain broken at sequence number 4"
# Bytes hidden after a NUL byte in a field (SQLite text can hold one; plumb never writes
# one) are tampering too, though the text before the NUL still hashes right.
if [ "$(engine)" = sqlite ]; then
	fresh
	sql "UPDATE audit_log SET detail = detail || char(0) || '{\"evil\":1}' WHERE seq = 2"
	run audit verify
	expect_status 1
	expect_err "audit chain broken at sequence number 2"
	expect_err "a field holds a NUL byte"
fi
