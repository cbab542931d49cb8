# plumb init creates a database and key; a second init is a conflict; verify passes.  An init
# refused for its key leaves no schema behind (found in review: a database with plumb's tables,
# no db.init and no catalogue, which took writes and refused init), and init then works.
cp /dev/null "$T/loose.key"
chmod 644 "$T/loose.key"
run --audit-key "$T/loose.key" init
expect_status 3
expect_err "is readable by other users"
run org show
expect_status 4
expect_err "is not a plumb database"
ok init
expect_out "initialized"
[ -f "$PLUMB_AUDIT_KEY" ] || fail "no key file"
[ "$(stat -c %a "$PLUMB_AUDIT_KEY")" = 600 ] || fail "key file mode is not 0600"
run init
expect_status 5
expect_err "plumb: error:"
ok audit verify
expect_out "verified 1 entries"
