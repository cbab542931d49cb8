# An account an earlier plumb stored or linked with a no-break or zero-width space at an end
# (deploy actors were trimmed of ASCII spaces only) is still linked and unlinked: identity
# unmatched lists it, and refusing it left its events with nobody for good, and a link made
# with it for good (found in review). One nothing holds is refused as before: no deploy event
# is read as it now.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add deploy --name deploys
file deploys.json <<'JSON'
[{"id": "D1", "service": "billing", "environment": "production", "started": "2024-05-06T10:00:00Z", "status": "success", "actor": "Ng, Alice"}]
JSON
ok ingest --source deploys deploys.json
# As an earlier plumb stored "Ng, Alice" and a no-break space.
nbsp=$([ "$(engine)" = postgres ] && echo 'chr(160)' || echo 'char(160)')
sql "UPDATE events SET account = account || $nbsp WHERE account_system = 'deploy'" >/dev/null
stored=$(printf 'Ng, Alice\302\240')
ok identity unmatched --json
expect_json '[.[] | select(.system == "deploy") | .login] | join(",")' "$stored"
ok identity link deploy "$stored" --person E105
expect_out "linked to E105; 1 event attributed to them afresh"
[ "$(sql "SELECT p.employee_id FROM events e JOIN people p ON p.id = e.person_id WHERE e.external_id = 'D1'")" = E105 ] ||
	fail "the stored account's event was not attributed"
ok identity unlink deploy "$stored"
[ "$(sql "SELECT COUNT(*) FROM identities WHERE system = 'deploy'")" = 0 ] || fail "the link stayed"
[ "$(sql "SELECT COUNT(*) FROM events WHERE external_id = 'D1' AND person_id IS NULL")" = 1 ] ||
	fail "the event kept its person after the unlink"
# One that nothing holds is refused, and writes nothing.
before=$(sql "SELECT COUNT(*) FROM audit_log")
run identity link deploy "$(printf 'Ng, Bob\302\240')" --person E105
expect_status 2
expect_err "is not a valid deploy account"
run identity link deploy "$(printf '\342\200\213Ng, Alice')" --person E105
expect_status 2
expect_err "is not a valid deploy account"
run identity unlink deploy "$(printf 'Ng, Bob\302\240')"
expect_status 2
expect_err "is not a valid deploy account"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$before" ] || fail "a refused link wrote"
ok audit verify
