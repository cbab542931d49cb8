# Two logins an earlier plumb stored with blanks after one account, "ng " and "ng" and a
# no-break space, of two people: the account's events go to the lower person id, as two
# spellings of one GitHub login do (docs/cli.md, identity resolve), whichever blank it is.
# Found in session 52: the space's login won, whoever held it.
init_db
ok org import "$FIXTURES/org-small.csv"
nbsp=$([ "$(engine)" = postgres ] && echo 'chr(160)' || echo 'char(160)')
person() { sql "SELECT id FROM people WHERE employee_id = '$1'"; }
low=$(person E102) high=$(person E103)
[ "$low" -lt "$high" ] || fail "E102's id $low is not below E103's $high"
sql "INSERT INTO identities(system, login, person_id, created_at) VALUES
  ('deploy', 'ng ', $high, 0), ('deploy', 'ng' || $nbsp, $low, 0),
  ('github', 'Ng ', $high, 0), ('github', 'ng' || $nbsp, $low, 0)" >/dev/null
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
[ "$(who deploy)" = E102 ] || fail "the deploy went to $(who deploy), not the lower person id's E102"
[ "$(who github)" = E102 ] || fail "the pull request went to $(who github), not the lower person id's E102"
# Re-attributed by a link elsewhere, the same.
ok identity link github ng-other --person E105
[ "$(who github)" = E102 ] || fail "after a link, the pull request went to $(who github)"
# identity resolve answers as the events are attributed: it found no person for an account
# held only with blanks after it (found in session 52).
ok identity resolve github NG --json
expect_json .employee_id E102
ok identity resolve deploy ng --json
expect_json .employee_id E102
run identity resolve jira ng
expect_status 4
