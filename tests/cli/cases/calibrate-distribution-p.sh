# calibrate distribution prints a group's p so that it never contradicts the verdict beside
# it: "%8.4f" wrote a p of 0.04996 as 0.0500 beside "differs from the rest", and a tiny one
# as 0.0000 (found in the calibrate hunt). Ten people all rated 5 by one manager and ten all
# rated 1 by another: each group's exact p is 2 / C(20, 10) = 1.08e-5, shown "< 0.0001"
# (disttest_p_text's digits are checked in tests/unit/test_disttest.c); --json keeps it whole.
init_db
{
	echo "employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date,github_login,jira_account_id,pagerduty_user_id,emails"
	echo "H001,Head,h001@acme.example,,engineering,VP,M5,manager,manager,US,2018-03-01,,,,,"
	echo "M001,Mona,m001@acme.example,H001,core,EM,M2,manager,manager,US,2019-03-01,,,,,"
	echo "M002,Milo,m002@acme.example,H001,core,EM,M2,manager,manager,US,2019-03-01,,,,,"
	for i in $(seq 101 120); do
		m=M001
		[ "$i" -gt 110 ] && m=M002
		echo "E$i,Person $i,e$i@acme.example,$m,core,Engineer,L3,ic,backend,US,2021-03-01,,,,,"
	done
} >"$T/org.csv"
ok org import "$T/org.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create an --kind annual --scope core
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok user add --person H001 --role people-partner:core
for i in $(seq 101 120); do
	r=5 m=M001
	[ "$i" -gt 110 ] && r=1 m=M002
	file "E$i.yaml" <<YAML
ratings:
  technical_skill: {rating: $r, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: $r, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: $r, no_evidence_reason: observed in one-to-ones}
YAML
	ok --as "$m" evaluation submit --cycle an --person "E$i" "$T/E$i.yaml"
done
ok --as H001 calibrate session create --cycle an --population core --facilitator H001 --name cal
ok --as H001 calibrate distribution --session cal
expect_out "M001                 10   5.00    0    0    0    0   10  < 0.0001  differs from the rest"
expect_out "M002                 10   1.00   10    0    0    0    0  < 0.0001  differs from the rest"
expect_no_out "0.0000"
ok --as H001 calibrate distribution --session cal --json
expect_json '[.groups[] | "\(.group) \(.p * 184756 | round) \(.differs)"] | join(",")' "M001 2 true,M002 2 true"
