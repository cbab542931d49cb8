# Under a policy, a deploy of an account matched to nobody is held under its pseudonym.  A login
# an earlier plumb stored with a no-break space after it ("ng" and the space), linked again,
# releases to its person the events held under the account without it, which ingestion read:
# the link returned before resolving anything where the login was linked already, and resolved
# by the login as typed (found hunting merges).
init_db
ok org import "$FIXTURES/org-small.csv"
ok policy import "$ROOT/examples/policy.yaml"
ok source add deploy --name deploys
file deploys.csv <<'CSV'
id,service,environment,started,status,actor
D1,billing,production,2024-05-06T10:00:00Z,success,ng
CSV
ok ingest --source deploys deploys.csv
account() { sql "SELECT account FROM events WHERE external_id = 'D1'"; }
who() { sql "SELECT COALESCE(p.employee_id, '-') FROM events e LEFT JOIN people p ON p.id = e.person_id WHERE e.external_id = 'D1'"; }
account | grep -qE '^H1-[0-9a-f]{16}$' || fail "the unmatched deploy is not held: $(account)"
nbsp=$([ "$(engine)" = postgres ] && echo 'chr(160)' || echo 'char(160)')
sql "INSERT INTO identities(system, login, person_id, created_at) VALUES
  ('deploy', 'ng' || $nbsp, (SELECT id FROM people WHERE employee_id = 'E102'), 0)" >/dev/null
stored=$(printf 'ng\302\240')
ok identity link deploy "$stored" --person E102
expect_out "was already linked to E102"
[ "$(who)" = E102 ] || fail "the held deploy went to $(who), not E102"
[ "$(account)" = ng ] || fail "the released deploy's account is '$(account)', not ng"
ok audit log --json --object identity:deploy:ng
expect_json '[.[] | select(.action == "consent.resolve-held")] | length' 1
# Linked again, nothing is left to do: no change, nothing written.
before=$(sql "SELECT COUNT(*) FROM audit_log")
ok identity link deploy "$stored" --person E102
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$before" ] || fail "a link with nothing to do wrote"
ok audit verify
