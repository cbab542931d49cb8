# Old tie data: two spellings of one GitHub login ("Ng" and "ng"), and two deploy logins an
# earlier plumb stored with blanks after them ("ng " and "ng" and a no-break space), each pair
# held by two people.  The account's events go to the lower person id (docs/cli.md, identity
# resolve).  person merge moved the lower one's events to the record it went into, whose id is
# higher than the other holder's, so the next org import re-attributed them to that third
# person (found hunting merges).  The merge attributes the moved accounts' events as the rules
# give them now, so re-attribution afterwards moves nothing.
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E301,Lukas Schmidt,lukas.schmidt2@acme.example,M001,payments,Senior Software Engineer,L4,ic,backend,DE,2025-03-01,,,,," >>org.csv
ok org import org.csv
nbsp=$([ "$(engine)" = postgres ] && echo 'chr(160)' || echo 'char(160)')
person() { sql "SELECT id FROM people WHERE employee_id = '$1'"; }
low=$(person E102) high=$(person E103) into=$(person E301)
[ "$low" -lt "$high" ] && [ "$high" -lt "$into" ] || fail "ids not in order: E102 $low, E103 $high, E301 $into"
sql "INSERT INTO identities(system, login, person_id, created_at) VALUES
  ('github', 'Ng', $low, 0), ('github', 'ng', $high, 0),
  ('deploy', 'ng ', $low, 0), ('deploy', 'ng' || $nbsp, $high, 0)" >/dev/null
ok source add deploy --name deploys
file deploys.csv <<'CSV'
id,service,environment,started,status,actor
D1,billing,production,2024-05-06T10:00:00Z,success,ng
CSV
ok ingest --source deploys deploys.csv
ok source add github --name gh --repo acme/widgets
mkdir gh && cp "$FIXTURES"/github/pulls.json gh/
sed -i 's/"login": "carol"/"login": "ng"/' gh/pulls.json
ok ingest --source gh gh
who() { sql "SELECT DISTINCT COALESCE(p.employee_id, '-') FROM events e LEFT JOIN people p ON p.id = e.person_id
  WHERE e.account_system = '$1' AND e.account = 'ng'" | paste -sd,; }
[ "$(who deploy)" = E102 ] || fail "before the merge the deploy is $(who deploy)'s"
[ "$(who github)" = E102 ] || fail "before the merge the pull request is $(who github)'s"
ok person merge E102 --into E301 --reason "rehired under a new id"
# The tie now falls to E103, the lower person id of the two holders.
[ "$(who deploy)" = E103 ] || fail "after the merge the deploy is $(who deploy)'s, not E103's"
[ "$(who github)" = E103 ] || fail "after the merge the pull request is $(who github)'s, not E103's"
ok audit log --json --object person:E102
n=$(json '[.[] | select(.action == "person.merge")][0].detail.events_reattributed')
[ "$n" -ge 2 ] || fail "the merge's audit entry counts $n events re-attributed"
ok identity resolve github ng --json
expect_json .employee_id E103
ok org import org.csv --json
expect_json .events_reattributed 0
[ "$(who deploy),$(who github)" = "E103,E103" ] || fail "the import moved the events: $(who deploy),$(who github)"
ok audit verify
