# A person who left (end_date in the past) is no longer anyone's direct report and no longer counted in their team.
init_db
ok org import "$FIXTURES/org-small.csv"
# E105 left on 2025-03-31; M001 still manages E101..E104.
ok person show E105 --json
expect_json .active false
ok org tree payments --json
expect_json '.[0].members' 5
ok person list --team payments --json
expect_json '[.[] | select(.active) | .employee_id] | join(" ")' "E101 E102 E103 E104 M001"
ok person show M001 --json
expect_json .direct_reports 4
ok person show M001
expect_out "reports     4 direct"
