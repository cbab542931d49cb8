# A partial file (one new hire) adds the person without moving their team in the tree.
init_db
ok org import "$FIXTURES/org-small.csv"
ok org tree --json
expect_json '[.[] | select(.name == "payments") | .parent] | .[0]' engineering
file hire.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
E106,Omar Haddad,omar.haddad@acme.example,M001,payments,Software Engineer,L2,ic,backend,ES,2026-09-01
CSV
ok org import hire.csv --json
expect_json .people_created 1
expect_json .teams_updated 0
ok org tree --json
expect_json '[.[] | select(.name == "payments") | .parent] | .[0]' engineering
ok person show E106 --json
expect_json .manager_id M001
