# calibrate agreement over competencies on two scales (docs/calibration.md, "Agreement of the
# 360 ratings"): interval and ratio alpha take each rating carried onto the performance scale,
# as the rater model does (7 of 1-9 is 1 + (7 - 1) / 8 * 4 = 4 of 1-5); nominal and ordinal
# are computed scale by scale, on each scale's own points.  Found in the calibrate hunt: a 1-9
# competency beside a 1-5 one inflated interval alpha from 0.750 to 0.827.
#
# Collaboration is on 1-9, delivery on 1-5.  Three peers rate E102 and E103 (threshold 3):
#   E102 delivery 4 4 5, collaboration 7 7 9 (on 1-5: 4 4 5)
#   E103 delivery 2 2 3, collaboration 3 3 5 (on 1-5: 2 2 3)
# Krippendorff (2011): alpha = 1 - (n - 1) sum_u [sum of the unit's ordered pairs' delta /
# (m_u - 1)] / sum of all ordered pairs' delta, n = 12 pairable values, m_u = 3.
# Interval, delta = (a - b)^2, on 1-5: each unit {a, a, a + 1} has 4 ordered pairs of delta
# 1, 4 / 2 = 2, so 8 over the 4 units; the 12 values have mean 10/3 and squared deviations
# summing to 44/3, so all ordered pairs give 2 * 12 * 44/3 = 352: 1 - 11 * 8 / 352 = 0.750.
# (Raw, 7 7 9 and 3 3 5 are units of 8 each, 20 in all; squared deviations 53, pairs 1272:
# 1 - 11 * 20 / 1272 = 0.827.)
# Ratio, delta = ((a - b) / (a + b))^2, on 1-5: the units give 2 * (4 * (1/9)^2 / 2) +
# 2 * (4 * (1/5)^2 / 2) = 4/81 + 4/25 = 0.209383; the values are 2 (x4), 3 (x2), 4 (x4) and
# 5 (x2), pairs 2-3: 8/25, 2-4: 16/9, 2-5: 72/49, 3-4: 8/49, 3-5: 1/4, 4-5: 8/81, summing to
# 4.079198, twice for ordered pairs 8.158396: 1 - 11 * 0.209383 / 8.158396 = 0.718.
# Nominal on each scale (the same for both): units {a, a, b} give (9 - 5) / 2 = 2 each, 4;
# 6 values in 4 categories of 2, 1, 2, 1 give 36 - 10 = 26 pairs that differ: 1 - 5 * 4 / 26
# = 0.231.  Ordinal on each scale: mid-ranks 1, 1, 2.5 and 4, 4, 5.5; each unit gives
# 4 * 1.5^2 / 2 = 4.5, 9 in all; the ranks' mean is 3 and squared deviations 16.5, pairs
# 2 * 6 * 16.5 = 198: 1 - 5 * 9 / 198 = 0.773.  (Checked with an independent coincidence-
# matrix computation in exact fractions.)
init_db
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
ok cycle create y26 --kind annual --scope payments
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person H001 --role people-partner
for r in E101 E103 E104; do ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer "$r"; done
for r in E101 E102 E104; do ok --as M001 cycle nominate --cycle y26 --for E103 --reviewer "$r"; done
rate() { # FOR REVIEWER DELIVERY COLLABORATION
	printf 'answers:\n  strengths: "Peer"\nratings:\n  delivery: %s\n  collaboration: %s\n' "$3" "$4" >"p-$1-$2.yaml"
	ok --as "$2" feedback submit --cycle y26 --for "$1" "p-$1-$2.yaml"
}
rate E102 E101 4 7
rate E102 E103 4 7
rate E102 E104 5 9
rate E103 E101 2 3
rate E103 E102 2 3
rate E103 E104 3 5
ok cycle advance --cycle y26 # to feedback
ok cycle advance --cycle y26 # the feedback phase closes
ok --as H001 calibrate session create --cycle y26 --population payments --facilitator H001 \
	--participants M001 --name room
ok --as H001 calibrate agreement --session room --json
expect_json '[.alpha | to_entries[] | "\(.key)=\(if .value == null then "null" else (.value * 1000 | round) end)"] | join(" ")' \
	"nominal=null ordinal=null interval=750 ratio=718"
expect_json '"\(.withheld) \(.raters) \(.ratings) \(.units) \(.scale)"' "false 4 12 4 five_point"
expect_json '[.by_scale[] | "\(.scale):\(.competencies | join(",")):\(.units)/\(.ratings):\(.alpha.nominal * 1000 | round)/\(.alpha.ordinal * 1000 | round)"] | join(" ")' \
	"five_point:delivery:2/6:231/773 nine_point:collaboration:2/6:231/773"
ok --as H001 calibrate agreement --session room
expect_out "Krippendorff's alpha: interval 0.750 ratio 0.718 (each rating carried onto the performance scale five_point)"
expect_out "  five_point (delivery): 6 ratings of 2 units: nominal 0.231 ordinal 0.773"
expect_out "  nine_point (collaboration): 6 ratings of 2 units: nominal 0.231 ordinal 0.773"
# E102 and E103 did not rate themselves: no complete design, so no ICCs, and the text says why
# (calibrate-agreement-icc.sh has them).
expect_out "intraclass correlation: none, the design is not complete ("
ok --as H001 calibrate agreement --session room --json
expect_json .icc null
ok audit verify
