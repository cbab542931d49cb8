# The rater model carries every rating onto the performance scale of the session's cycle's
# framework version, an earlier cycle's included (calrater_fit_tx; docs/calibration.md, "What
# plumb feeds it"): the effects are in points of the score they adjust.  Found in the calibrate
# hunt: a rating of an earlier cycle went onto its own version's performance scale, so a
# framework moving from 1-9 to 1-5 mixed nine-point and five-point ratings in one model.
#
# Version 1 rates on 1-9, version 2 (the fixture) on 1-5. M001 rates each of their people one
# point of 1-5 above the peers in both cycles: 9 against the peers' 7 in 2025 (on 1-5, 5
# against 4: 1 + (9 - 1) / 8 * 4 = 5, 1 + (7 - 1) / 8 * 4 = 4) and 5 against 4 in 2026; M002
# rates as the peers do (3 of 1-9 is 2 of 1-5). So y = mu + ratee + rater fits every rating
# exactly with M001 one point above everyone else: the residual variance is 0. Carried onto
# its own version's scale, the 2025 deviation read 2 (of 1-9) beside 2026's 1 (of 1-5): no
# exact fit, and M001 ran further than a point ahead.
init_db
awk '
	/^  five_point:/ { print; print "    1: One"; for (i = 2; i <= 8; i++) print "    " i ": Point " i; print "    9: Nine"; print "    meets: 5"; skip = 1; next }
	skip && /^    / { next }
	{ skip = 0; print }
' "$FIXTURES/review/framework.yaml" >fw1.yaml
grep -q '^    9: Nine' fw1.yaml || fail "the framework was not rewritten"
ok org import "$FIXTURES/org-small.csv"
ok framework import fw1.yaml
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok user add --person H001 --role people-partner
for u in E101 E102 E201 E202; do ok user add --person "$u" --role employee; done
peers_of() {
	case $1 in
	E102) echo E201 E101 ;;
	E1*) echo E201 E102 ;;
	E202) echo E101 E201 ;;
	*) echo E101 E202 ;;
	esac
}
rated_on() {
	printf 'ratings:\n  technical_skill: {rating: %s, no_evidence_reason: observed}\n' "$1"
	printf '  delivery: {rating: %s, no_evidence_reason: observed}\n' "$1"
	printf '  collaboration: {rating: %s, no_evidence_reason: observed}\n' "$1"
}
# cycle NAME FROM TO PAYMENTS_PEERS SEARCH_PEERS M001 M002
cycle() {
	ok cycle create "$1" --kind annual --scope payments --scope search --from "$2" --to "$3" --reviewer-cap 10
	for p in E101 E102 E103 E104; do
		for r in $(peers_of $p); do ok --as M001 cycle nominate --cycle "$1" --for "$p" --reviewer "$r"; done
	done
	for p in E201 E202 E203 E204; do
		for r in $(peers_of $p); do ok --as M002 cycle nominate --cycle "$1" --for "$p" --reviewer "$r"; done
	done
	ok cycle advance --cycle "$1" # feedback
	for v in "$4" "$5"; do
		printf 'answers:\n  strengths: "Solid"\n  growth: "More"\nratings:\n  delivery: %s\n' "$v" >"peer-$1-$v.yaml"
	done
	for p in E101 E102 E103 E104; do
		for r in $(peers_of $p); do ok --as "$r" feedback submit --cycle "$1" --for "$p" "peer-$1-$4.yaml"; done
	done
	for p in E201 E202 E203 E204; do
		for r in $(peers_of $p); do ok --as "$r" feedback submit --cycle "$1" --for "$p" "peer-$1-$5.yaml"; done
	done
	ok cycle advance --cycle "$1" # manager_review
	for p in E101 E102 E103 E104; do ok --as M001 evaluation submit --cycle "$1" --person "$p" <(rated_on "$6"); done
	for p in E201 E202 E203 E204; do ok --as M002 evaluation submit --cycle "$1" --person "$p" <(rated_on "$7"); done
	ok cycle advance --cycle "$1" # calibration
}
cycle a25 2025-01-01 2025-12-31 7 3 9 3
# The default guidance is for a performance scale of 1 to 5 (docs/cli.md, calibrate session
# create): on 1 to 9 it is refused, nothing written.  Found in the calibrate hunt: each of its
# ratings 1 to 5 being a point of 1 to 9, it was taken, asking 40-70% at 3 and nothing of 6-9.
run --as H001 calibrate session create --cycle a25 --population payments --facilitator H001 --name dflt
expect_status 2
expect_err "the default guidance is for a performance scale of 1 to 5, not five_point (1 to 9)"
[ "$(sql "SELECT COUNT(*) FROM calibration_sessions")" = 0 ] || fail "a session was written"
ok framework import "$FIXTURES/review/framework.yaml"
cycle a26 2026-01-01 2026-12-31 4 2 5 2
ok --as H001 calibrate session create --cycle a26 --population payments --population search --facilitator H001 --name cal
ok --as H001 calibrate raters --session cal --json
expect_json '"\(.model.cycles) \(.model.ratings) \(.model.raters)"' "2 48 6"
expect_json '.model.residual_variance < 1e-9' true
# The effects are centred over the six raters (BLUPs): M001 +5/6, every other -1/6, one point apart.
expect_json '[.raters[] | {(.rater): .effect}] | add | (.M001 - .M002) * 1e6 | round' 1000000
expect_json '[.raters[] | "\(.rater)=\(.direction)/\(.flagged)"] | sort | join(" ")' \
	"M001=lenient/true M002=severe/false"
ok audit verify
