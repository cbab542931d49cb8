# Someone hired with a start date ahead is not active yet and not yet counted in their team.
export PLUMB_NOW=2026-11-28T12:00:00Z
ok init
ok org import "$FIXTURES/org-small.csv"
ok org tree payments --json
members=$(json '.[0].members')
file hire.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
E106,Omar Haddad,omar.haddad@acme.example,M001,payments,Software Engineer,L2,ic,backend,ES,2027-01-04
CSV
ok org import hire.csv
ok person show E106 --json
expect_json .active false
ok person show E106
expect_out "employed    2027-01-04 to now (not started yet)"
expect_no_out "(ended)"
ok org show --json
expect_json .people_starting 1
ok org tree payments --json
expect_json '.[0].members' "$members"
export PLUMB_NOW=2027-01-05T00:00:00Z
ok person show E106 --json
expect_json .active true
expect_json .team payments
ok person show E106
expect_out "employed    2027-01-04 to now"
expect_no_out "not started"
ok org tree payments --json
expect_json '.[0].members' "$((members + 1))"
# A move dated ahead leaves the person counted in their current team until it takes effect.
export PLUMB_NOW=2026-11-28T12:00:00Z
sed 's/^E101,\(.*\),M001,payments,/E101,\1,M002,search,/' "$FIXTURES/org-small.csv" >move.csv
grep -q '^E101,.*,M002,search,' move.csv || fail "fixture edit did not apply"
ok org tree --json
before_pay=$(json '.[] | select(.name == "payments") | .members')
ok org import move.csv --effective 2027-03-01
ok org tree --json
expect_json '.[] | select(.name == "payments") | .members' "$before_pay"
ok org show --json
[ "$(json '[.team_list[] | .members] | add')" = "$(json '.people_active')" ] || fail "tree and active counts differ"
before_search=$(json '.team_list[] | select(.name == "search") | .members')
export PLUMB_NOW=2027-03-02T00:00:00Z
ok org tree --json
expect_json '.[] | select(.name == "search") | .members' "$((before_search + 1))"
ok person show E101 --json
expect_json .team search
