# A reader who wrote in a 360 group is not shown it, also when the record they wrote as was
# merged into theirs (person merge): assignments keep the record they were made for, and the
# check compared person ids (found in review: the merged-into person read the group their
# merged record wrote in, and could take out their own response). E103 writes in E102's peer
# group of three, then E103's record is merged into E201's, a people partner of payments:
# feedback show and calibration's peer feedback mean withhold the group from E201, who is told
# why, and E201 may not write E102's promotion packet, while M001 reads the group and writes the
# packet as before.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create y26 --kind annual --scope payments
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person H001 --role leader:engineering
ok user add --person E201 --role people-partner:payments
for r in E101 E103 E104; do ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer "$r"; done
i=0
for r in E101 E103 E104; do
	i=$((i + 1))
	file "p$r.yaml" <<EOF
answers:
  strengths: "Strength $i"
ratings:
  collaboration: $((3 + i % 2))
EOF
	ok --as "$r" feedback submit --cycle y26 --for E102 "$T/p$r.yaml"
done
ok cycle advance --cycle y26 # to feedback
ok cycle advance --cycle y26 # the feedback phase closes
file ev.yaml <<'EOF'
ratings:
  technical_skill: {rating: 3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: 3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
EOF
ok --as M001 evaluation submit --cycle y26 --person E102 "$T/ev.yaml"
ok calibrate session create --cycle y26 --population payments --facilitator H001 --participants E201,M001 \
	--name y26-payments
peer_group() {
	ok --as "$1" feedback show --cycle y26 --for E102 --json
	json '.groups[] | select(.relation == "peer") | "\(.responses) \(.shown)"'
}
peer_mean() {
	ok --as "$1" calibrate session status --session y26-payments --json
	json '.agenda[] | select(.person == "E102") | .peer_feedback_mean'
}
# Before the merge E201 wrote nothing: both read the group, and its mean of 4, 3 and 4.
for reader in E201 M001; do
	[ "$(peer_group "$reader")" = "3 true" ] || fail "$reader does not read E102's peer group before the merge"
	[ "$(peer_mean "$reader")" != null ] || fail "$reader has no peer mean for E102 before the merge"
done
mean=$(peer_mean M001)

ok person merge E103 --into E201 --reason "one human, two records"
[ "$(sql "SELECT p.employee_id FROM review_assignments a JOIN people p ON p.id = a.reviewer_id JOIN cycles c ON c.id = a.cycle_id WHERE c.name = 'y26' AND a.relation = 'peer' AND p.employee_id IN ('E103', 'E201')")" = E103 ] ||
	fail "the merge moved the assignment: the case no longer covers a writer recorded under the merged record"
ok --as E201 feedback show --cycle y26 --for E102 --json
expect_json '.groups | map(select(.relation == "peer")) | map("\(.responses) \(.shown)") | join(",")' "null false"
expect_json '.groups[] | select(.relation == "peer") | .withheld' \
	"peer feedback is not shown to you: you wrote in it, and with your own response taken out the rest would tell the other writers apart"
ok --as E201 feedback show --cycle y26 --for E102
expect_out "peer feedback: withheld: peer feedback is not shown to you: you wrote in it"
for t in "Strength 1" "Strength 2" "Strength 3" "mean"; do expect_no_out "$t"; done
[ "$(peer_mean E201)" = null ] || fail "E201 is shown E102's peer mean after the merge: $(peer_mean E201)"
# The group's other readers read it as before.
[ "$(peer_group M001)" = "3 true" ] || fail "M001 no longer reads E102's peer group"
[ "$(peer_mean M001)" = "$mean" ] || fail "M001's peer mean for E102 changed: $(peer_mean M001), was $mean"
run --as E201 packet --cycle y26 --person E102 --target-level L4
expect_status 3
expect_err "E201 may not write a promotion packet for E102: they wrote in E102's peer feedback"
ok --as M001 packet --cycle y26 --person E102 --target-level L4
expect_out "### peer feedback (3 responses)"
