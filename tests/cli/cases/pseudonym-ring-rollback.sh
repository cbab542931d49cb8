# A server's worker keeps the pseudonym key ring it loaded, and whether the ring is bound to the
# database (its id in meta). In a database without the id (made before it was kept), a write
# that recorded it and then failed took the row away with its rollback: op_end (ctx.c) unbinds
# the ring then, so the worker's next write records the id again. Without that, none of its
# writes would, and a later command under another ring would be taken for this database's.
init_db
ok org import "$FIXTURES/org-small.csv"
ok policy import "$FIXTURES/policy-pr-activity.yaml"
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
held() { sql "SELECT COUNT(*) FROM events WHERE account LIKE 'H1-%' AND person_id IS NULL"; }
ring_rows() { sql "SELECT COUNT(*) FROM meta WHERE key = 'pseudonym_key_id'"; }
before=$(held)
[ "$before" -ge 1 ] || fail "no held events to resolve"
admin_w=$(token admin write)
# Another install's ring, for the last check.
PLUMB_PSEUDONYM_KEY="$T/other.key" ok --db "$T/other.db" --audit-key "$T/other-audit.key" init

# A new person whose GitHub login, carol, has held events: importing them resolves those, which
# loads the ring. With --full and an effective date before the records of E204, who is absent
# from the file, the import then fails (end_absent runs after the identities) and is rolled back.
{ grep -v '^E204,' "$FIXTURES/org-small.csv"
	echo 'E205,Carol Jones,carol.jones@acme.example,M002,search,Software Engineer,L3,ic,backend,US,2024-01-08,,carol,,,'
} >"$T/org.csv"
sql "DELETE FROM meta WHERE key = 'pseudonym_key_id'"
# One worker: both requests use the same ctx, and so the same cached ring.
serve --threads 1
http POST "/api/v1/org/import?full&effective=2001-01-01" -H "Authorization: Bearer $admin_w" \
	-H 'Content-Type: text/csv' --data-binary "@$T/org.csv"
expect_http 400
file_has "$T/out" "cannot end E204" || fail "the import failed otherwise: $(head -c 400 "$T/out")"
[ "$(ring_rows)" = 0 ] || fail "a rolled-back import left the ring's id"
[ "$(held)" = "$before" ] || fail "a rolled-back import resolved held events"

# The same import as of today, without --full, succeeds: it loads the ring again and records its id.
http POST /api/v1/org/import -H "Authorization: Bearer $admin_w" -H 'Content-Type: text/csv' \
	--data-binary "@$T/org.csv"
expect_http 200
[ "$(held)" -lt "$before" ] || fail "the import resolved no held events ($(held) of $before held)"
[ "$(ring_rows)" = 1 ] || fail "the server's write after a rollback did not record the ring's id"
stop_server
# So another ring is refused, as pseudonym-key-bound.sh checks.
PLUMB_PSEUDONYM_KEY="$T/other.key" run identity link github dave --person E202
expect_status 3
expect_err "is not the ring this database's pseudonyms were made with"
