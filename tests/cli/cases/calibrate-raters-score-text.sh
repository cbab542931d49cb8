# calibrate raters writes a suggested adjusted score as the curve writes a score beside the
# rating it rounds to (calviews_rounded_score_text): two decimals, with more where those would
# read on the other side of a midpoint between two of the scale's points than the score is.
# Found in review: "%.2f" wrote 3.4985 as "3.50", a rating of 4 by the eye, where it rounds
# to 3. M001 rates technical skill 4 and delivery 3 (performance 3 + W), where the peers rate
# delivery 3: an effect of 2/9, so W = 0.7207 suggests 3.7207 - 0.2222 = 3.4985.
init_db
awk '
	/^      performance: \{/ { $0 = "      performance: {technical_skill: 0.7207, delivery: 0.2793}" }
	/^      impact: \{/ { $0 = "      impact: {technical_skill: 0.5, delivery: 0.5}" }
	/^      potential: \{/ { $0 = "      potential: {collaboration: 1}" }
	/^    composite:/ { next }
	{ print }
	END { print "scoring: {cap: 1}" }
' "$FIXTURES/review/framework.yaml" >fw.yaml
ok org import "$FIXTURES/org-small.csv"
ok framework import fw.yaml
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok cycle create a26 --kind annual --scope payments --scope search --from 2026-01-01 --to 2026-12-31 --reviewer-cap 10
for u in E101 E102 E201 E202; do ok user add --person "$u" --role employee; done
# Peers cross the teams (E201 and E101 rate people of both), so raters and ratees separate.
peers_of() {
	case $1 in
	E102) echo E201 E101 ;;
	E1*) echo E201 E102 ;;
	E202) echo E101 E201 ;;
	*) echo E101 E202 ;;
	esac
}
for p in E101 E102 E103 E104; do
	for r in $(peers_of $p); do ok --as M001 cycle nominate --cycle a26 --for "$p" --reviewer "$r"; done
done
for p in E201 E202 E203 E204; do
	for r in $(peers_of $p); do ok --as M002 cycle nominate --cycle a26 --for "$p" --reviewer "$r"; done
done
ok cycle advance --cycle a26 # feedback
for v in 2 3; do
	printf 'answers:\n  strengths: "Solid"\n  growth: "More"\nratings:\n  delivery: %s\n' $v >peer$v.yaml
done
for p in E101 E102 E103 E104; do
	for r in $(peers_of $p); do ok --as "$r" feedback submit --cycle a26 --for "$p" peer3.yaml; done
done
for p in E201 E202 E203 E204; do
	for r in $(peers_of $p); do ok --as "$r" feedback submit --cycle a26 --for "$p" peer2.yaml; done
done
ok cycle advance --cycle a26 # manager_review
rated_on() {
	printf 'ratings:\n  technical_skill: {rating: %s, no_evidence_reason: observed}\n' "$1"
	printf '  delivery: {rating: %s, no_evidence_reason: observed}\n' "$2"
	printf '  collaboration: {rating: 3, no_evidence_reason: observed}\n'
}
for p in E101 E102 E103 E104; do ok --as M001 evaluation submit --cycle a26 --person "$p" <(rated_on 4 3); done
for p in E201 E202 E203 E204; do ok --as M002 evaluation submit --cycle a26 --person "$p" <(rated_on 2 2); done
ok cycle advance --cycle a26 # calibration
ok user add --person H001 --role people-partner
ok --as H001 calibrate session create --cycle a26 --population payments --population search --facilitator H001 --name cal
ok --as H001 calibrate raters --session cal --json
expect_json '.people[] | select(.person == "E101") | "\(.performance) \(.suggested_adjusted * 10000 | round)"' "3.7207 34985"
ok --as H001 calibrate raters --session cal
expect_out "  E101 (rated by M001): 3.72 -> 3.498"
expect_out "  E201 (rated by M002): 2.00 -> 1.78"
expect_no_out "3.50"
