# A people partner's consent withdrawal for a person named in earlier versions of many others'
# deployments asks, once a person whose event it is, whether the partner may know of holds on
# them: their org units' members were read afresh for each, quadratic (found in review: 5.4 s
# in a release build on an org of 3,000, 0.07 s reading them once).  The speed is measured by
# bench/consent-partner (docs/PERFORMANCE.md), not here: this case checks that the cached
# answer is the right one, for 3,000 owners and after a hold on one of them.
init_db
awk 'BEGIN { OFS = ","
	print "employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date"
	print "H1,Head,h1@acme.example,,eng,Head,M5,manager,manager,US,2020-01-01"
	print "PP,Partner,pp@acme.example,H1,eng,HR,M2,manager,manager,US,2020-01-01"
	print "X1,Withdrawn,x1@acme.example,H1,eng,Engineer,L3,ic,ic,US,2020-01-01"
	for (i = 1; i <= 3000; i++)
		print "P" i, "Person " i, "p" i "@acme.example", "H1", "eng", "Engineer", "L3", "ic", "ic", "US", "2020-01-01" }' >"$T/org.csv"
ok org import "$T/org.csv"
import_deliveries_policy skip delete
ok source add deploy --name deploys
ok identity link deploy lx --person X1
ok consent grant --person X1 --mechanism delivery_pipeline
ok user add --person PP --role people-partner:eng
for st in in_progress success; do
	awk -v st=$st 'BEGIN { print "id,service,environment,sha,ref,started,finished,status,actor"
		for (i = 1; i <= 3000; i++)
			printf "D%d,api,production,aaaaaa1,main,2024-05-03T14:00:00Z,%s,%s,lx\n", i,
				st == "success" ? "2024-05-03T14:06:00Z" : "", st }' >"$T/$st.csv"
	ok ingest --source deploys "$T/$st.csv"
done
# Each finished by another person (as ingest names them through their own identity): D<i> is
# P<i>'s, and its earlier version still names X1.
sql "UPDATE events SET person_id = (SELECT p.id FROM people p WHERE p.employee_id = 'P' || SUBSTR(events.external_id, 2)) WHERE kind = 'deployment'"
[ "$(sql "SELECT COUNT(DISTINCT person_id) FROM events WHERE kind = 'deployment'")" = 3000 ] || fail "not 3,000 owners"
ok --as PP consent withdraw --person X1 --mechanism delivery_pipeline --json
expect_json '"\(.event_versions_anonymized) \(.event_versions_held_kept)"' "3000 0"
# The partner may know of holds on each of them: what one keeps is said to them.
ok hold add --person P7 --reason "case 7"
ok consent grant --person X1 --mechanism delivery_pipeline
ok --as PP consent withdraw --person X1 --mechanism delivery_pipeline --json
expect_json '.holds_hidden // false' false
