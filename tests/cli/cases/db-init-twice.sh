# A second init is a conflict (exit 5) that leaves the database, its chain and the key as they were.
ok init
expect_out "initialized $PLUMB_DB (schema version 25, $(engine))"
expect_out "audit signing key created: $PLUMB_AUDIT_KEY"
key_before=$(sha256sum <"$PLUMB_AUDIT_KEY")
run init
expect_status 5
expect_err "plumb: error: $PLUMB_DB is already a plumb database"
expect_err "hint:"
[ "$(sha256sum <"$PLUMB_AUDIT_KEY")" = "$key_before" ] || fail "second init replaced the key"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = 1 ] || fail "second init appended to the audit log"
# A second database with the same key: the key is reused, not replaced.
second=$(extra_db second)
ok --db "$second" init
expect_out "audit signing key in use: $PLUMB_AUDIT_KEY"
[ "$(sha256sum <"$PLUMB_AUDIT_KEY")" = "$key_before" ] || fail "init of a second database replaced the key"
ok --db "$second" audit verify
expect_out "verified 1 entries"
