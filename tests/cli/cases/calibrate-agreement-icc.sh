# calibrate agreement shows the intraclass correlations of the session's 360 ratings beside
# Krippendorff's alpha, with their 95% intervals and labelled by their Shrout & Fleiss forms, as
# calibrate reliability does (docs/cli.md): units (person, competency) as subjects, writers as
# raters.  Found fixing calibration leftovers: agreement computed them and printed only alpha.
#
# Shrout & Fleiss (1979)'s Table 2 data, 6 subjects by 4 judges on 1 to 10, as 360 ratings: the
# units are E101's and E102's three competencies, the judges four peers, E103, E104, E201 and
# E202.  psych::ICC on it (tests/unit/test_reliability.c, docs/calibration.md's output of
# calibrate reliability on tests/fixtures/calibrate/shrout-fleiss.csv): ICC1 0.166
# [-0.133, 0.723], ICC2 0.290 [0.019, 0.761], ICC3 0.715 [0.342, 0.946], ICC1k 0.443
# [-0.884, 0.912], ICC2k 0.620 [0.071, 0.927], ICC3k 0.909 [0.676, 0.986].
init_db
sed -e 's/five_point/ten_point/g' -e 's/^  peers: {min: 2, max: 3}$/  peers: {min: 2, max: 4}/' \
	-e 's/^    5: Far exceeds expectations$/&\n    6: Point 6\n    7: Point 7\n    8: Point 8\n    9: Point 9\n    10: Point 10/' \
	"$FIXTURES/review/framework.yaml" >fw.yaml
grep -q '^    10: Point 10$' fw.yaml && grep -q 'max: 4' fw.yaml || fail "the framework was not rewritten"
ok org import "$FIXTURES/org-small.csv"
ok framework import fw.yaml
ok cycle create y26 --kind annual --scope payments
for u in E101 E102 E103 E104 E201 E202; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person H001 --role people-partner
for p in E101 E102; do
	for r in E103 E104 E201 E202; do ok --as M001 cycle nominate --cycle y26 --for "$p" --reviewer "$r"; done
done
rate() { # FOR REVIEWER TECHNICAL_SKILL DELIVERY COLLABORATION
	printf 'answers:\n  strengths: "Peer"\nratings:\n  technical_skill: %s\n  delivery: %s\n  collaboration: %s\n' \
		"$3" "$4" "$5" >"p-$1-$2.yaml"
	ok --as "$2" feedback submit --cycle y26 --for "$1" "p-$1-$2.yaml"
}
rate E101 E103 9 6 8
rate E102 E103 7 10 6
rate E101 E104 2 1 4
rate E102 E104 1 5 2
rate E101 E201 5 3 6
rate E102 E201 2 6 4
rate E101 E202 8 2 8
rate E102 E202 6 9 7
ok cycle advance --cycle y26 # to feedback
ok cycle advance --cycle y26 # the feedback phase closes
ok --as H001 calibrate session create --cycle y26 --population payments --facilitator H001 \
	--participants M001 --name room $(for g in $(seq 1 10); do printf ' --guidance %s=0-100' "$g"; done)
ok --as H001 calibrate agreement --session room --json
expect_json '"\(.raters) \(.ratings) \(.units)"' "4 24 6"
expect_json '[.icc | to_entries[] | "\(.key)=\(.value.value * 1000 | round)[\(.value.lower * 1000 | round),\(.value.upper * 1000 | round)]"] | join(" ")' \
	"ICC1=166[-133,723] ICC2=290[19,761] ICC3=715[342,946] ICC1k=443[-884,912] ICC2k=620[71,927] ICC3k=909[676,986]"
ok --as H001 calibrate agreement --session room
expect_out "intraclass correlation (95% confidence interval):"
expect_out "  ICC1   ICC(1,1)      0.166  [-0.133, 0.723]   one-way random, single rater"
expect_out "  ICC2   ICC(2,1)      0.290  [0.019, 0.761]    two-way random, absolute agreement"
expect_out "  ICC3   ICC(3,1)      0.715  [0.342, 0.946]    two-way mixed, consistency"
expect_out "  ICC1k  ICC(1,k)      0.443  [-0.884, 0.912]   one-way random, mean of raters"
expect_out "  ICC2k  ICC(2,k)      0.620  [0.071, 0.927]    two-way random, mean of raters"
expect_out "  ICC3k  ICC(3,k)      0.909  [0.676, 0.986]    two-way mixed, mean of raters"
# The ratings the alpha counts too: calibrate reliability's on the same data.
expect_out "Krippendorff's alpha: nominal -0.065 ordinal 0.109 interval 0.147 ratio 0.082"

ok audit verify
