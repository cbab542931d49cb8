# calibrate session status flags low-visibility from peer feedback as its readers see it: the
# mean of the competencies a group shows (rated by at least the threshold), not of every
# competency rated, whose hidden ones count as 0 (found in review: E202's peers gave 5 where
# shown, the mean read 1.67 and the flag was not raised).
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create a26 --kind annual --scope search # M002 and E201..E204
ok user add --person M002 --role manager
ok user add --person E101 --role people-partner:search
for p in E201 E202 E203 E204; do ok user add --person "$p" --role employee; done
for r in E201 E203 E204; do ok --as M002 cycle nominate --cycle a26 --for E202 --reviewer "$r"; done
# Every rating meets (3) with no evidence: 0 evidence items for 3 ratings.
for p in E201 E202 E203 E204; do
	file "$p.yaml" <<EOF
ratings:
  technical_skill: {rating: 3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: 3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
EOF
	ok --as M002 evaluation submit --cycle a26 --person "$p" "$T/$p.yaml"
done
ok --as E101 calibrate session create --cycle a26 --population search --facilitator E101 --participants M002
ok cycle advance --cycle a26 # to feedback
# Three peers: collaboration rated 5 by all three (shown, mean 5); delivery by two and
# technical skill by one (below the threshold of 3: no mean).
file p1.yaml <<EOF
ratings: {technical_skill: 5, delivery: 5, collaboration: 5}
EOF
file p2.yaml <<EOF
ratings: {delivery: 1, collaboration: 5}
EOF
file p3.yaml <<EOF
ratings: {collaboration: 5}
EOF
ok --as E201 feedback submit --cycle a26 --for E202 --relation peer "$T/p1.yaml"
ok --as E203 feedback submit --cycle a26 --for E202 --relation peer "$T/p2.yaml"
ok --as E204 feedback submit --cycle a26 --for E202 --relation peer "$T/p3.yaml"
ok cycle advance --cycle a26 # the feedback phase closes
ok --as E101 feedback show --cycle a26 --for E202 --json
expect_json '[.groups[] | select(.relation == "peer") | .ratings[] | "\(.competency):\(.mean)"] | join(",")' \
	"technical_skill:null,delivery:null,collaboration:5"
ok --as E101 calibrate session status --session a26-search --json
agenda() { jq -r --arg p "$1" ".agenda[] | select(.person == \$p) | $2" "$T/out"; }
[ "$(agenda E202 .peer_feedback_mean)" = 5 ] || fail "E202's peer mean is $(agenda E202 .peer_feedback_mean), not 5"
[ "$(agenda E202 '[.flags[].flag] | join(",")')" = low-visibility ] ||
	fail "E202's flags: $(agenda E202 '[.flags[].flag] | join(",")')"
expect_out "0 evidence items for 3 ratings, but peers rate them 5.00 on average"
# No peer group shown: no mean (null, not 0), no flag.
[ "$(agenda E201 .peer_feedback_mean)" = null ] || fail "E201's peer mean is $(agenda E201 .peer_feedback_mean)"
[ "$(agenda E201 '.flags | length')" = 0 ] || fail "E201 is flagged"
