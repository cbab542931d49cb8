# calibrate curve's largest remainders break a tie as docs/calibration.md says: the extra
# person goes to the rating nearest the scale's meets, then to the higher (found fixing
# calibration leftovers: the lowest rating took it, so a rounding tie pushed people to 1).
#
# Guidance midpoints 5/5/50/25/15 percent on 30 people want 1.5, 1.5, 15, 7.5 and 4.5 of ratings
# 1 to 5: 28 by the whole parts, and the two left over tie at .5 for ratings 1, 2, 4 and 5. Nearest
# meets (3) are 2 and 4: targets 1, 2, 15, 8, 4 (the lowest-first rule gave 2, 2, 15, 7, 4).
# Scores: 4 at 5, 8 at 4, 15 at 3 (M010 among them), 1 at 2 and 2 at 1. From the top, 5 takes
# ranks 1-4, 4 ranks 5-12, 3 ranks 13-27, 2 ranks 28-29 and 1 rank 30: the two at 1 (ranks 29
# and 30) split evenly between 2 and 1 and take the higher, 2. (Under 2, 2, 15, 7, 4 they held
# rating 1's ranks 29-30 and stayed at 1.)
init_db
{
	echo "employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date,github_login,jira_account_id,pagerduty_user_id,emails"
	echo "H001,Dana Head,dana@acme.example,,engineering,VP,M5,manager,manager,US,2018-03-01,,,,,"
	echo "P001,Pat Partner,pat@acme.example,H001,engineering,People Partner,M1,manager,manager,US,2018-03-01,,,,,"
	echo "M010,Marie Dupont,marie@acme.example,H001,core,Engineering Manager,M2,manager,manager,US,2019-06-15,,,,,"
	for i in $(seq 300 328); do
		echo "E$i,Engineer $i,e$i@acme.example,M010,core,Engineer,L3,ic,backend,US,2020-01-01,,,,,"
	done
} >"$T/org.csv"
ok org import "$T/org.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create c26 --kind annual --scope core
ok user add --person H001 --role manager
ok user add --person M010 --role manager
ok user add --person P001 --role people-partner:core
rate() { # RATER PERSON R: every competency at R, so the performance score is R.
	file "$2.yaml" <<EOF
ratings:
  technical_skill: {rating: $3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: $3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: $3, no_evidence_reason: observed in one-to-ones}
EOF
	ok --as "$1" evaluation submit --cycle c26 --person "$2" "$T/$2.yaml"
}
for i in $(seq 300 328); do
	r=$((i < 304 ? 5 : i < 312 ? 4 : i < 326 ? 3 : i < 327 ? 2 : 1))
	rate M010 "E$i" "$r"
done
rate H001 M010 3
ok --as P001 calibrate session create --cycle c26 --population core --facilitator P001 \
	--name tie --guidance 1=5-5 --guidance 2=5-5 --guidance 3=50-50 --guidance 4=25-25 --guidance 5=15-15
ok --as P001 calibrate curve --session tie --json
expect_json '.people | length' 30
expect_json '[.people[].curve] | group_by(.) | map("\(.[0]):\(length)") | join(" ")' "2:3 3:15 4:8 5:4"
expect_json '[.people[] | select(.curve != .current) | "\(.person) \(.current)->\(.curve)"] | join(", ")' \
	"E327 1->2, E328 1->2"
