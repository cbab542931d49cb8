# A person with an end date still in the future is active: counted in people_active and in their team's members alike.
init_db
sed 's/^E104,\(.*\),2018-11-12,,/E104,\1,2018-11-12,2099-06-30,/' "$FIXTURES/org-small.csv" >leaving.csv
grep -q '^E104,.*,2099-06-30,' leaving.csv || fail "fixture edit did not apply"
ok org import leaving.csv
ok person show E104 --json
expect_json .end_date 2099-06-30
expect_json .active true
ok org show --json
expect_json .people_active 11
expect_json .people_ended 1
expect_json '.team_list[] | select(.name == "payments") | .members' 5
expect_json '.team_list[] | select(.name == "engineering") | .members_total' 11
ok org tree
expect_out "  payments  5 people (5 with subteams)"
