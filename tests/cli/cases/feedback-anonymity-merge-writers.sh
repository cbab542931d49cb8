# A 360 group counts each writer once, also two records that person merge makes one human
# (found in review: E103 merged into E101 after both wrote in E102's peer group left a group of
# two writers shown as "3 responses", at the threshold of 3, and citable as evidence). E101,
# E103 and E104 write peer feedback about E102; all four reports write upward feedback about
# M001, then E103 is merged into E101: E102's peer group is two writers, withheld (feedback
# show, --json, the packet) and not citable; M001's upward group is three writers, shown as
# three, each writer's ratings averaged first.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create y26 --kind annual --scope payments
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person H001 --role leader:engineering
for r in E101 E103 E104; do ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer "$r"; done
for r in E101 E103 E104; do
	printf 'answers:\n  strengths: "Peer %s"\nratings:\n  collaboration: 4\n' "$r" >"peer-$r.yaml"
	ok --as "$r" feedback submit --cycle y26 --for E102 "peer-$r.yaml"
done
# Upward ratings of collaboration: E101 4 and E103 2 (one human: 3), E102 5, E104 5.
for r in E101:4 E102:5 E103:2 E104:5; do
	printf 'answers:\n  strengths: "Upward %s"\nratings:\n  collaboration: %s\ncomments: "Comment %s"\n' \
		"${r%:*}" "${r#*:}" "${r%:*}" >"up-${r%:*}.yaml"
	ok --as "${r%:*}" feedback submit --cycle y26 --for M001 "up-${r%:*}.yaml"
done
ok cycle advance --cycle y26 # to feedback
ok cycle advance --cycle y26 # the feedback phase closes
ok --as M001 feedback show --cycle y26 --for E102 --json
expect_json '.groups[] | select(.relation == "peer") | "\(.responses) \(.shown)"' "3 true"

ok person merge E103 --into E101 --reason "one human, two records"
ok --as M001 feedback show --cycle y26 --for E102 --json
expect_json '.groups[] | select(.relation == "peer") | "\(.responses) \(.shown)"' "2 false"
expect_json '.groups[] | select(.relation == "peer") | .withheld' "2 peer responses, fewer than the threshold of 3"
ok --as M001 feedback show --cycle y26 --for E102
expect_out "peer feedback: withheld: 2 peer responses, fewer than the threshold of 3"
for t in "Peer E101" "Peer E103" "Peer E104" mean; do expect_no_out "$t"; done
file ev.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: 3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: 4, evidence: [{kind: feedback, ref: peer}]}
EOF2
run --as M001 evaluation submit --cycle y26 --person E102 "$T/ev.yaml"
expect_status 1
expect_err "ratings.collaboration.evidence[0].ref: cycle 'y26' has no peer feedback about E102 that may be cited"
sed -i 's/{rating: 4, evidence: \[{kind: feedback, ref: peer}\]}/{rating: 4, no_evidence_reason: seen}/' "$T/ev.yaml"
ok --as M001 evaluation submit --cycle y26 --person E102 "$T/ev.yaml"
ok --as M001 packet --cycle y26 --person E102 --target-level L4
expect_out "### peer feedback: withheld"
expect_out "2 peer responses, fewer than the threshold of 3."
expect_no_out "Peer E10"

# Three writers of upward feedback, four responses: shown as three, E101's two ratings
# averaged before the mean: (3 + 5 + 5) / 3.
ok --as H001 feedback show --cycle y26 --for M001 --json
expect_json '.groups[] | select(.relation == "upward") | "\(.responses) \(.shown)"' "3 true"
expect_json '.groups[] | select(.relation == "upward") | .ratings | map("\(.competency) \(.mean) \(.count)") | join(",")' \
	"collaboration 4.33 3"
# One answer a writer, too: four answers would say that one of three writers wrote twice
# (found in review). The merged writer's newest (E103's, written after E101's), not their two
# joined: a text of two answers would be the merged human's, whom person show names (found
# hunting).
up='.groups[] | select(.relation == "upward")'
expect_json "$up | .answers[] | select(.question == \"strengths\") | .answers | length" 3
expect_json "$up | .answers[] | select(.question == \"strengths\") | .answers | map(select(test(\"Upward E10[13]\"))) | join(\",\")" "Upward E103"
expect_json "$up | [.answers[].answers[] | select(test(\"\\n\"))] | length" 0
# And one comment a writer: four comments under "3 responses" would say the same (found
# hunting scores and packets), in feedback show (whose groups the packet shows too).
expect_json "$up | .comments | length" 3
expect_json "$up | .comments | map(select(test(\"Comment E10[13]\"))) | join(\",\")" "Comment E103"
ok --as H001 feedback show --cycle y26 --for M001
[ "$(grep -c '^    - Comment E10' "$T/out")" = 3 ] || fail "upward comments are not one a writer: $(cat "$T/out")"
expect_no_out "Comment E101"
