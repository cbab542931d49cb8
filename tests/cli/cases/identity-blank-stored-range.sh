# An account no identity is exactly is looked for among the logins stored with blanks after it
# (identity-blank-stored-match): only those that are the account and then a blank, two ranges
# of the index, so "gh-" matches "gh-<NBSP>" and not "gh- x" nor any "gh-N" beside it.  Found
# in review: the range was every login starting with the account, read again for each event
# (the cost is bench/identity-trimmed's, docs/PERFORMANCE.md "Identities stored with blanks").
init_db
ok org import "$FIXTURES/org-small.csv"
nbsp=$([ "$(engine)" = postgres ] && echo 'chr(160)' || echo 'char(160)')
person() { sql "SELECT id FROM people WHERE employee_id = '$1'"; }
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
  INSERT INTO identities(system, login, person_id, created_at)
  SELECT 'deploy', 'gh-' || i, $(person E101), 0 FROM n" >/dev/null
sql "INSERT INTO identities(system, login, person_id, created_at) VALUES
  ('deploy', 'gh-' || $nbsp, $(person E102), 0), ('deploy', 'gh- x', $(person E103), 0)" >/dev/null
ok source add deploy --name deploys
deploys() { # status
	echo "id,service,environment,started,status,actor"
	for i in $(seq 1 100); do echo "D$i,billing,production,2024-05-06T10:00:00Z,$1,gh-"; done
}
deploys in_progress >started.csv
ok ingest --source deploys started.csv
deploys success >finished.csv
ok ingest --source deploys --json finished.csv
expect_json '.updated' 100
[ "$(sql "SELECT COALESCE(p.employee_id, '-') || ' ' || COUNT(*) FROM events e LEFT JOIN people p ON p.id = e.person_id WHERE e.kind = 'deployment' GROUP BY p.employee_id")" = "E102 100" ] ||
	fail "attributed: $(sql "SELECT COALESCE(person_id, 0) || ' ' || COUNT(*) FROM events WHERE kind = 'deployment' GROUP BY person_id" | paste -sd,)"
