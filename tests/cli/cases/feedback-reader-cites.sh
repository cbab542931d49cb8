# A reader who wrote in a person's 360 group may not cite that group as evidence either (found
# in review: feedback show, calibration's peer mean and the packet withheld the group from such
# a reader, but evaluation submit let them cite it, and whether it was citable told them what
# the withholding hides: that the group reached the threshold). E101, E103 and E104 write peer
# feedback about E102; after the feedback phase closes E103 is made a people partner of payments
# and may not cite the peer group (exit 1, the field named, nothing stored), while M001, E102's
# manager and no writer in it, may.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok cycle create y26 --kind annual --scope payments
for r in E101 E103 E104; do ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer "$r"; done
# E101's peer group will have two writers: below the threshold of 3.
for r in E103 E104; do ok --as M001 cycle nominate --cycle y26 --for E101 --reviewer "$r"; done
ok cycle advance --cycle y26 # to feedback
for r in E101 E103 E104; do
	printf 'answers:\n  strengths: "Peer %s"\nratings:\n  collaboration: 4\n' "$r" >"peer-$r.yaml"
	ok --as "$r" feedback submit --cycle y26 --for E102 "peer-$r.yaml"
done
for r in E103 E104; do ok --as "$r" feedback submit --cycle y26 --for E101 "peer-$r.yaml"; done
ok cycle advance --cycle y26 # the feedback phase closes

ok user add --person E103 --role people-partner:payments
ok --as E103 feedback show --cycle y26 --for E102
expect_out "peer feedback: withheld: peer feedback is not shown to you: you wrote in it"

file ev.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 3, no_evidence_reason: "seen in design reviews"}
  delivery: {rating: 3, no_evidence_reason: "the roadmap shipped"}
  collaboration: {rating: 4, evidence: [{kind: feedback, ref: peer}]}
EOF2
before=$(sql "SELECT COUNT(*) FROM evaluations")
run --as E103 evaluation submit --cycle y26 --person E102 "$T/ev.yaml"
expect_status 1
expect_err "ratings.collaboration.evidence[0].ref"
expect_err "E103 may not cite peer feedback about E102: you wrote in it"
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = "$before" ] || fail "a refused evaluation was stored"
# The same answer for a group below the threshold, or it would tell them whether one reached it.
run --as E103 evaluation submit --cycle y26 --person E101 "$T/ev.yaml"
expect_status 1
expect_err "E103 may not cite peer feedback about E101: you wrote in it"
! file_has "$T/err" threshold || fail "the refusal spoke of the threshold"
# Others cite the group shown to them, as before.
ok --as M001 evaluation submit --cycle y26 --person E102 "$T/ev.yaml"
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = "$((before + 1))" ] || fail "M001's evaluation was not stored"
run --as M001 evaluation submit --cycle y26 --person E101 "$T/ev.yaml"
expect_status 1
expect_err "cycle 'y26' has no peer feedback about E101 that may be cited"
