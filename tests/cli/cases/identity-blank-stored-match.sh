# Accounts are read without the blanks around them, a no-break or zero-width space too (deploy
# actors, and since the parsers' hunt every system's ids, which failed the whole file before).
# An identity an earlier plumb linked with such a blank after the login ("Ng, Alice" and a
# no-break space, inserted here as it stored it) still names the account it is: events read
# without the blank are attributed to its person, on first ingest and when updated. identity
# link still refuses a login with one that nothing holds.
init_db
ok org import "$FIXTURES/org-small.csv"
nbsp=$([ "$(engine)" = postgres ] && echo 'chr(160)' || echo 'char(160)')
zwsp=$([ "$(engine)" = postgres ] && echo 'chr(8203)' || echo 'char(8203)')
person() { sql "SELECT id FROM people WHERE employee_id = '$1'"; }
sql "INSERT INTO identities(system, login, person_id, created_at) VALUES
  ('deploy', 'Ng, Alice' || $nbsp, $(person E102), 0),
  ('jenkins', 'alice' || $zwsp || $nbsp, $(person E101), 0),
  ('github', 'Carol' || $nbsp, $(person E105), 0)" >/dev/null
ok source add deploy --name deploys
printf 'id,service,environment,started,status,actor\nD1,billing,production,2024-05-06T10:00:00Z,in_progress,"Ng, Alice"\nD2,billing,production,2024-05-06T11:00:00Z,success,"Ng, Alice\302\240"\n' >deploys.csv
ok ingest --source deploys deploys.csv
attributed() { sql "SELECT e.external_id || ' ' || COALESCE(p.employee_id, '-') FROM events e LEFT JOIN people p ON p.id = e.person_id WHERE e.kind = '$1' ORDER BY e.external_id" | paste -sd,; }
[ "$(attributed deployment)" = "D1 E102,D2 E102" ] || fail "deploys: $(attributed deployment)"
# Updated, the event keeps its person.
printf 'id,service,environment,started,finished,status,actor\nD1,billing,production,2024-05-06T10:00:00Z,2024-05-06T10:05:00Z,success,"Ng, Alice"\n' >finish.csv
ok ingest --source deploys --json finish.csv
expect_json '.updated' 1
[ "$(attributed deployment)" = "D1 E102,D2 E102" ] || fail "updated deploy: $(attributed deployment)"
# A Jenkins build whose user id carries a no-break space: the file is read, the build is alice's.
ok source add jenkins --name ci --url https://ci.acme.example --job platform/build
jq '(.. | objects | select(has("userId")) | .userId) |= "alice\u00a0"' \
	"$FIXTURES/jenkins/build-git-changeset.json" >build.json
ok ingest --source ci build.json
[ "$(sql "SELECT account || ' ' || COALESCE((SELECT employee_id FROM people p WHERE p.id = person_id), '-') FROM events WHERE kind = 'ci_run'")" = "alice E101" ] ||
	fail "build: $(sql "SELECT account || ' ' || COALESCE(person_id, 0) FROM events WHERE kind = 'ci_run'")"
# A GitHub login, matched in any case.
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github/pulls.json"
[ "$(sql "SELECT COALESCE((SELECT employee_id FROM people p WHERE p.id = person_id), '-') FROM events WHERE kind = 'pull_request' AND account = 'carol'")" = "E105" ] ||
	fail "carol's pull request is not E105's"
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'pull_request' AND account = 'bob' AND person_id IS NOT NULL")" = 0 ] ||
	fail "bob was matched to someone"
# identity link still refuses a login with a blank at an end that no event holds.
before=$(sql "SELECT COUNT(*) FROM audit_log")
run identity link jenkins "$(printf 'dave\302\240')" --person E101
expect_status 2
expect_err "is not a valid jenkins account"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$before" ] || fail "a refused link wrote"
ok audit verify
