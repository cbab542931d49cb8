# plumb init creates a database and key; a second init is a conflict; verify passes.
ok init
expect_out "initialized"
[ -f "$PLUMB_AUDIT_KEY" ] || fail "no key file"
[ "$(stat -c %a "$PLUMB_AUDIT_KEY")" = 600 ] || fail "key file mode is not 0600"
run init
expect_status 5
expect_err "plumb: error:"
ok audit verify
expect_out "verified 1 entries"
