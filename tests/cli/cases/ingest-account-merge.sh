# Two snapshots of one deploy event with different actors: folded in one run, the record
# keeps the later actor's login and the earlier one's email (a field a snapshot does not
# carry keeps the value an earlier one gave), and is attributed as that account says, as
# when each row was attributed by itself (found in review: the fold's account had no key).
# Read in two runs, the older snapshot second, the account stays the newer one's: filled
# field by field it would join one person's email to another's login.  A deploy event
# without a sha is no GitHub status: no status check applies to it.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add deploy --name d1
ok source add deploy --name d2
printf '{"id": "rel-1", "service": "billing", "environment": "prod", "started": "2024-05-01T10:00:00Z", "status": "in_progress", "actor": "lukas.schmidt@acme.example"}' >a.json
printf '{"id": "rel-1", "service": "billing", "environment": "prod", "started": "2024-05-01T10:00:00Z", "finished": "2024-05-01T10:05:00Z", "status": "success", "actor": "cibot"}' >b.json
of() { sql "SELECT e.account || ' ' || COALESCE(e.account_email, '-') || ' ' || COALESCE(p.employee_id, '-') FROM events e LEFT JOIN people p ON p.id = e.person_id WHERE e.source_id = (SELECT id FROM sources WHERE name = '$1')"; }
ok ingest --source d1 a.json b.json
[ "$(of d1)" = "cibot lukas.schmidt@acme.example E101" ] || fail "folded in one run: $(of d1)"
ok ingest --source d2 b.json
ok ingest --source d2 a.json
expect_out "0 new, 0 updated, 1 unchanged"
[ "$(of d2)" = "cibot - -" ] || fail "an older snapshot changed the account: $(of d2)"

ok source add deploy --name d3
printf '{"id": "rel-2", "service": "billing", "environment": "prod", "sha": "abc1234", "started": "2024-05-01T10:00:00Z", "status": "success"}' >c.json
printf '{"id": "rel-2", "service": "billing", "environment": "prod", "started": "2024-05-01T09:00:00Z", "finished": "2024-05-01T09:30:00Z", "status": "success"}' >d.json
ok ingest --source d3 c.json d.json
expect_out "1 merged within the run"
