# A 360 group's mean rating reads the same wherever it is shown: two decimals, half away from
# zero, rounded once in the core on the exact mean (found in review: the promotion packet
# printed %.1f, feedback show %.2f of the binary double and feedback show --json
# round(v * 100) / 100 in the CLI, so 25/8 = 3.125 read 3.1, 3.12 and 3.13, and 10/3 read 3.3
# and 3.33). M001's eight reports write upward feedback: collaboration 3 x 7 and 4 (25/8),
# technical skill 3, 3 and 4 by three of them (10/3).
init_db
{
	echo "employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date,github_login,jira_account_id,pagerduty_user_id,emails"
	echo "H001,Dana Whitfield,dana@acme.example,,engineering,VP Engineering,M5,manager,manager,US,2018-03-01,,,,,"
	echo "M001,Jonas Becker,jonas@acme.example,H001,payments,Engineering Manager,M2,manager,manager,DE,2019-06-15,,,,,"
	for i in 1 2 3 4 5 6 7 8; do
		echo "E10$i,Engineer $i,e10$i@acme.example,M001,payments,Software Engineer,L3,ic,backend,DE,2020-01-0$i,,,,,"
	done
} >org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
ok user add --person H001 --role leader:engineering
for i in 1 2 3 4 5 6 7 8; do ok user add --person "E10$i" --role employee; done
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
ok cycle advance --cycle a26 # to feedback
for i in 1 2 3 4 5 6 7 8; do
	collab=3 tech=
	[ "$i" = 8 ] && collab=4
	case $i in 1 | 2) tech=3 ;; 3) tech=4 ;; esac
	{
		printf 'answers:\n  strengths: "Upward %s"\nratings:\n  collaboration: %s\n' "$i" "$collab"
		[ -z "$tech" ] || printf '  technical_skill: %s\n' "$tech"
	} >"up$i.yaml"
	ok --as "E10$i" feedback submit --cycle a26 --for M001 "up$i.yaml"
done
ok cycle advance --cycle a26 # the feedback phase closes

ok --as H001 feedback show --cycle a26 --for M001
expect_out "rating collaboration: mean 3.13 of 8"
expect_out "rating technical_skill: mean 3.33 of 3"
ok --as H001 feedback show --cycle a26 --for M001 --json
expect_json '.groups[] | select(.relation == "upward") | .ratings | map("\(.competency) \(.mean) \(.count)") | join(",")' \
	"technical_skill 3.33 3,collaboration 3.13 8"

file ev.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 3, no_evidence_reason: "seen in design reviews"}
  delivery: {rating: 3, no_evidence_reason: "the roadmap shipped"}
  collaboration: {rating: 3, evidence: [{kind: feedback, ref: upward}]}
EOF2
ok --as H001 evaluation submit --cycle a26 --person M001 "$T/ev.yaml"
ok --as H001 packet --cycle a26 --person M001 --target-level M3
expect_out "### upward feedback (8 responses)"
expect_out "- rating of collaboration: mean 3.13 over 8 responses"
expect_out "- rating of technical_skill: mean 3.33 over 3 responses"
ok --as H001 packet --cycle a26 --person M001 --target-level M3 --format html
expect_out "rating of collaboration: mean 3.13 over 8 responses"
