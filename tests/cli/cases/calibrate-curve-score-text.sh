# calibrate curve writes each mover's score beside the rating it rounds to, so the score keeps
# its side of the midpoint where the rating changes (calviews_rounded_score_text: two decimals,
# more where two would cross it).  Found in the calibrate hunt: a performance of 2.499 (0.501 x 2
# + 0.499 x 3) rounds to 2 and read "score 2.50, rating 2", where 2.50 rounds to 3.
init_db
{
	echo "employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date,github_login,jira_account_id,pagerduty_user_id,emails"
	echo "H001,Dana Head,dana@acme.example,,engineering,VP,M5,manager,manager,US,2018-03-01,,,,,"
	echo "P001,Pat Partner,pat@acme.example,H001,engineering,People Partner,M1,manager,manager,US,2018-03-01,,,,,"
	echo "M010,Marie Dupont,marie@acme.example,H001,core,Engineering Manager,M2,manager,manager,US,2019-06-15,,,,,"
	for i in $(seq 300 328); do
		echo "E$i,Engineer $i,e$i@acme.example,M010,core,Engineer,$([ "$i" = 320 ] && echo L4 || echo L3),ic,backend,US,2020-01-01,,,,,"
	done
} >"$T/org.csv"
sed -e 's/^      performance: {.*/      performance: {technical_skill: 0.501, delivery: 0.499}/' \
	"$FIXTURES/review/framework.yaml" >fw.yaml
echo "scoring: {cap: 1}" >>fw.yaml
ok org import "$T/org.csv"
ok framework import fw.yaml
ok cycle create c26 --kind annual --scope core
ok user add --person H001 --role manager
ok user add --person M010 --role manager
ok user add --person P001 --role people-partner:core
rate() { # RATER PERSON TECHNICAL_SKILL DELIVERY
	file "$2.yaml" <<EOF
ratings:
  technical_skill: {rating: $3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: $4, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: $4, no_evidence_reason: observed in one-to-ones}
EOF
	ok --as "$1" evaluation submit --cycle c26 --person "$2" "$T/$2.yaml"
}
# Scores: 5 for 3 people, 4 for 9, 3 for 9 (M010 among them), 2.499 for E320, 2 for 5, 1 for 3.
for i in $(seq 300 328); do
	r=$((i < 303 ? 5 : i < 312 ? 4 : i < 320 ? 3 : i < 326 ? 2 : 1))
	if [ "$i" = 320 ]; then rate M010 E320 2 3; else rate M010 "E$i" "$r" "$r"; fi
done
rate H001 M010 3 3
# Targets 3, 3, 15, 6, 3 from the top: rating 3 takes ranks 10-24, and E320 at rank 22 (after
# the 3 fives, 9 fours and 9 threes) moves from 2 to 3.
ok --as P001 calibrate session create --cycle c26 --population core --facilitator P001 --name big \
	--guidance 1=10-10 --guidance 2=10-10 --guidance 3=50-50 --guidance 4=20-20 --guidance 5=10-10
ok --as P001 calibrate curve --session big --json
expect_json '.people[] | select(.person == "E320") | "\(.score) \(.current) \(.curve)"' "2.499 2 3"
ok --as P001 calibrate curve --session big
expect_out "  E320: score 2.499, rating 2, curve 3"
# The distribution writes a group's mean by the same rule: E320, alone at L4, read "2.50".
ok --as P001 calibrate distribution --session big --by level
grep -Eq '^L4 +1 +2\.499 ' "$T/out" || fail "L4's mean is not 2.499: $(grep '^L4' "$T/out")"
