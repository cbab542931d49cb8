# Cutting off the end of the log is caught when a signed checkpoint covers the removed entries.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set ledger --team payments
ok audit checkpoint --json
last=$(json .seq)
published=$(json .hash)
disable_audit_triggers
cut=$((last - 2))
sql "DELETE FROM audit_log WHERE seq > $cut"
run audit verify
expect_status 1
expect_err "plumb: error: audit chain broken at sequence number $((cut + 1))"
expect_err "a signed checkpoint covers entries that are no longer in the log"
run audit verify --json
expect_status 1
expect_json .first_bad_seq $((cut + 1))
# Also removing the checkpoints that cover the cut leaves entries no checkpoint covers.
sql "DELETE FROM audit_checkpoints WHERE seq > $cut"
run audit verify
expect_status 1
expect_err "are not covered by a signed checkpoint"
# Cutting back exactly to an earlier checkpoint verifies inside the database; only the
# published head shows it: the chain no longer reaches the published seq.
first_cp=$(sql "SELECT MIN(seq) FROM audit_checkpoints")
sql "DELETE FROM audit_log WHERE seq > $first_cp; DELETE FROM audit_checkpoints WHERE seq > $first_cp"
ok audit verify --json
expect_json .entries "$first_cp"
[ "$first_cp" -lt "$last" ] || fail "test setup: no earlier checkpoint"
ok audit checkpoint --json
[ "$(json .hash)" != "$published" ] || fail "head unchanged"
# Against the published head, verify catches that cut.
run audit verify --head "$last:$published"
expect_status 1
expect_err "plumb: error: audit chain broken at sequence number $((first_cp + 1))"
expect_err "the log ends before the published head"
# Emptying the log and its checkpoints leaves no chain to break, but no plumb database has an
# empty log (init writes its first entry): verify says so (found in review: "verified 0").
sql "DELETE FROM audit_log; DELETE FROM audit_checkpoints"
run audit verify
expect_status 1
expect_err "plumb: error: audit chain broken at sequence number 1"
expect_err "the log holds no entry"
