# The rater model carries a competency rated on another scale than the performance axis's onto
# the performance scale before averaging (docs/calibration.md, "What plumb feeds it"): the
# effects and adjusted scores are in points of the performance score. Found in review: the raw
# mean of a 1-9 and two 1-5 ratings made a manager rating the 1-9 competency high look lenient.
# Collaboration is on a 1-9 scale here (weighed into potential, on 1-9 too): 7 of 1-9 is
# 1 + (7 - 1) / 8 * 4 = 4 of 1-5, and 3 of 1-9 is 2. M001 rates 4, 4 and 7 (a mean of 4, not 5)
# and M002 2, 2 and 3 (2, not 7/3); the peers rate M001's people 4 and M002's 2. Everyone gives
# each person the same rating on the performance scale, so the fit is perfect: no rater's
# ratings run apart from the others' (raw and effect 0; docs/calibration.md). Averaged raw, M001
# gave 5 where the peers gave 4 and read as lenient.
init_db
# Collaboration, on a 1-9 scale, is weighed into potential only (an axis sums one scale).
awk '
	/^  five_point:/ { in5 = 1 }
	/^  collaboration:/ { collab = 1 }
	collab && /^    scale: five_point/ { sub(/five_point/, "nine_point"); collab = 0 }
	/^  potential: \{scale: five_point/ { sub(/five_point/, "nine_point") }
	/^      performance: \{/ { $0 = "      performance: {technical_skill: 0.5, delivery: 0.5}" }
	/^      impact: \{/ { $0 = "      impact: {technical_skill: 0.5, delivery: 0.5}" }
	/^      potential: \{/ { $0 = "      potential: {collaboration: 1}" }
	/^    composite:/ { next }
	{ print }
	in5 && /^    meets:/ {
		in5 = 0
		print "  nine_point:"
		for (i = 1; i <= 9; i++) print "    " i ": Point " i
		print "    meets: 5"
	}
	END { print "scoring: {cap: 1}" }
' "$FIXTURES/review/framework.yaml" >fw.yaml
grep -A2 '^  collaboration:' fw.yaml | grep -q 'scale: nine_point' || fail "the framework was not rewritten"
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
for v in 2 4; do
	printf 'answers:\n  strengths: "Solid"\n  growth: "More"\nratings:\n  delivery: %s\n' $v >peer$v.yaml
done
for p in E101 E102 E103 E104; do
	for r in $(peers_of $p); do ok --as "$r" feedback submit --cycle a26 --for "$p" peer4.yaml; done
done
for p in E201 E202 E203 E204; do
	for r in $(peers_of $p); do ok --as "$r" feedback submit --cycle a26 --for "$p" peer2.yaml; done
done
ok cycle advance --cycle a26 # manager_review
rated_on() {
	printf 'ratings:\n  technical_skill: {rating: %s, no_evidence_reason: observed}\n' "$1"
	printf '  delivery: {rating: %s, no_evidence_reason: observed}\n' "$1"
	printf '  collaboration: {rating: %s, no_evidence_reason: observed}\n' "$2"
}
for p in E101 E102 E103 E104; do ok --as M001 evaluation submit --cycle a26 --person "$p" <(rated_on 4 7); done
for p in E201 E202 E203 E204; do ok --as M002 evaluation submit --cycle a26 --person "$p" <(rated_on 2 3); done
ok cycle advance --cycle a26 # calibration
ok user add --person H001 --role people-partner
ok --as H001 calibrate session create --cycle a26 --population payments --population search --facilitator H001 --name cal
ok --as H001 calibrate raters --session cal --json
expect_json '"\(.model.ratings) \(.model.raters)"' "24 6"
expect_json '[.raters[] | "\(.rater)=\(.raw)/\(.effect)/\(.flagged)"] | sort | join(" ")' \
	"M001=0/0/false M002=0/0/false"
# An effect that reads as zero is written unsigned, a direction it has not (found in review:
# "%+.2f" wrote "+0.00", and "-0.00" for one a rounding error below zero).
ok --as H001 calibrate raters --session cal
grep -Eq '^M001 +4 +4 +0\.00 ' "$T/out" || fail "M001's effect is not 0.00: $(grep '^M001' "$T/out")"
expect_no_out "+0.00"
expect_no_out "-0.00"
ok audit verify
