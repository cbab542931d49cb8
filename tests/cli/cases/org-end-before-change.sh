# An end date given after the fact must come after the person's newest recorded change: E1
# moved from payments to search on 2026-03-01, so an end date of 2026-02-01 (or the day of the
# move) is refused naming the line and nothing is written (found in review: the history kept
# the move after they left, a row from 2026-03-01 to 2026-03-01, and their last team, and so
# who could see them, was search). An end date after the move closes it.
init_db
printf '%s\n' 'employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date' \
	'M1,Mia,m1@x.example,,payments,EM,M2,manager,manager,US,2020-01-01,' \
	'M2,Max,m2@x.example,,search,EM,M2,manager,manager,US,2020-01-01,' \
	'E1,Eve,e1@x.example,M1,payments,Eng,L3,ic,backend,US,2020-01-01,' >v1.csv
sed 's/^E1,Eve,e1@x.example,M1,payments/E1,Eve,e1@x.example,M2,search/' v1.csv >v2.csv
PLUMB_NOW=2026-01-15T00:00:00Z ok org import v1.csv --effective 2026-01-01
PLUMB_NOW=2026-03-15T00:00:00Z ok org import v2.csv --effective 2026-03-01
state() { sql "SELECT (SELECT COUNT(*) FROM audit_log) || ' ' || (SELECT COUNT(*) FROM team_memberships) || ' ' || (SELECT COALESCE(end_date, 0) FROM people WHERE employee_id = 'E1')"; }
before=$(state)
for end in 2026-02-01 2026-03-01; do
	sed "s/^\(E1,.*\),2020-01-01,\$/\1,2020-01-01,$end/" v2.csv >ended.csv
	PLUMB_NOW=2026-06-15T00:00:00Z run org import ended.csv --effective 2026-06-01
	expect_status 1
	expect_err "ended.csv:4: end_date: $end is not after E1's records from 2026-03-01"
	[ "$(state)" = "$before" ] || fail "a refused end date $end wrote something"
done
sed 's/^\(E1,.*\),2020-01-01,$/\1,2020-01-01,2026-04-01/' v2.csv >ended.csv
PLUMB_NOW=2026-06-15T00:00:00Z ok org import ended.csv --effective 2026-06-01
PLUMB_NOW=2026-06-15T00:00:00Z ok person show E1 --json
expect_json '.end_date' 2026-04-01
expect_json '[.history[] | select(.kind == "team") | "\(.value) \(.valid_from[:10]) \(.valid_to[:10])"] | join(", ")' \
	"payments 2020-01-01 2026-03-01, search 2026-03-01 2026-04-01"
