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
# Once the end date passes, the manager stops seeing the person (and everyone below them)
# before the next import closes their reporting line.
reset_db
init_db
sed 's/^E104,\(.*\),2018-11-12,,/E104,\1,2018-11-12,2026-11-20,/' "$FIXTURES/org-small.csv" >ends-soon.csv
PLUMB_NOW=2026-11-01 ok org import ends-soon.csv
ok user add --person M001 --role manager
ok user add --person H001 --role manager
PLUMB_NOW=2026-11-19 ok --as M001 person show E104
PLUMB_NOW=2026-11-28 run --as M001 person show E104
expect_status 3
expect_err "E104 is outside your scope"
PLUMB_NOW=2026-11-28 run --as H001 person show E104
expect_status 3
PLUMB_NOW=2026-11-28 ok --as M001 person list --json
expect_json '[.[] | .employee_id] | join(" ")' "E101 E102 E103 M001"
PLUMB_NOW=2026-11-28 ok --as H001 person show E103
# A notice withdrawn before its end date came is no return: the same import's move takes
# effect at --effective, not at the old end date.
reset_db
init_db
sed 's/^E103,\(.*\),2022-04-04,,/E103,\1,2022-04-04,2026-12-31,/' "$FIXTURES/org-small.csv" >notice.csv
sed 's/^E103,\(.*\),M001,payments,/E103,\1,M002,search,/' "$FIXTURES/org-small.csv" >move.csv
[ "$(diff notice.csv move.csv | grep -c '^>')" = 1 ] || fail "fixture edit did not apply"
PLUMB_NOW=2026-11-28 ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
PLUMB_NOW=2026-11-28 ok org import notice.csv --effective 2026-11-01
PLUMB_NOW=2026-11-28 ok org import move.csv --effective 2026-11-15
ok person show E103 --json
expect_json .end_date null
expect_json '[.history[] | select(.kind != "level") | .value + "@" + .valid_from[0:10] + "/" + (.valid_to // "null" | .[0:10])] | join(" ")' \
	"M001@2022-04-04/2026-11-15 M002@2026-11-15/null payments@2022-04-04/2026-11-15 search@2026-11-15/null"
