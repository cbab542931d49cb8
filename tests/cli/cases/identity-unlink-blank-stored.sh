# A login an earlier plumb stored with a blank after it ("ng" and a no-break space) gives its
# person the events of the account without it, which ingestion reads now. Linking it (again)
# attributes those events, and unlinking it takes them back, in the same transaction. Found
# in session 52: both re-attributed only events naming the login with its blank, and the
# deploy stayed with the person it was unlinked from.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add deploy --name deploys
file deploys.csv <<'CSV'
id,service,environment,started,status,actor
D1,billing,production,2024-05-06T10:00:00Z,success,ng
CSV
ok ingest --source deploys deploys.csv
nbsp=$([ "$(engine)" = postgres ] && echo 'chr(160)' || echo 'char(160)')
sql "INSERT INTO identities(system, login, person_id, created_at) VALUES
  ('deploy', 'ng' || $nbsp, (SELECT id FROM people WHERE employee_id = 'E102'), 0)" >/dev/null
who() { sql "SELECT COALESCE(p.employee_id, '-') FROM events e LEFT JOIN people p ON p.id = e.person_id WHERE e.external_id = 'D1'"; }
[ "$(who)" = - ] || fail "the deploy ingested before the identity went to $(who)"
stored=$(printf 'ng\302\240')
ok identity link deploy "$stored" --person E102
expect_out "was already linked to E102; 1 event attributed to them afresh"
[ "$(who)" = E102 ] || fail "the linked login's deploy went to $(who), not E102"
ok identity unlink deploy "$stored"
expect_out "unlinked from E102; 1 event attributed afresh"
[ "$(who)" = - ] || fail "the unlinked login's deploy stayed with $(who)"
ok audit verify
