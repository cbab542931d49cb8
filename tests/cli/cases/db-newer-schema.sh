# A database whose schema version is newer than this plumb is refused (exit 5) with a message about a newer plumb, and not touched.
ok init
ok org import "$FIXTURES/org-small.csv"
sql "UPDATE meta SET value='99' WHERE key='schema_version'"
before=$(counts)
for cmd in "org show" "person list" "audit verify" "org import $FIXTURES/org-small.csv" "init"; do
	run $cmd
	expect_status 5
	expect_err "plumb: error: database schema version 99 is newer than this plumb's (25)"
	expect_err "newer plumb"
	expect_err "hint: upgrade plumb"
done
expect_counts "$before"
[ "$(sql "SELECT value FROM meta WHERE key='schema_version'")" = 99 ] || fail "schema version was rewritten"
