# Retention that anonymizes some of a group's responses and not the others leaves the group's
# texts telling who wrote what: a legal hold on one writer keeps their words while the rest
# lose theirs, so the one text left in a group of three is the held writer's (the people
# partner who placed the hold reads both); and, without a hold, texts go in the order they
# were written, so a group read before and after a run shows which were written first. A group
# with an anonymized response shows its ratings and no answers or comments, saying why, in
# feedback show, its --json, the packet and plumb me export alike.
# Found hunting: E101's peer group, E103 held, showed E103's answer and comment alone.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
ASOF=$(date -u -d "@$((NOW + 1 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person H001 --role people-partner
sed -e 's/feedback_text: {days: 730, action: delete}/feedback_text: {days: 300, action: anonymize}/' \
	"$ROOT/examples/policy.yaml" >"$T/anon.yaml"
grep -q "feedback_text: {days: 300, action: anonymize}" "$T/anon.yaml" || fail "policy edit"
ok policy import "$T/anon.yaml"
at=$(ago 400)
PLUMB_NOW=$at ok cycle create a25 --kind annual --scope payments --from "$(ago 760)" --to "$at"
for r in E102 E103 E104; do PLUMB_NOW=$at ok --as M001 cycle nominate --cycle a25 --for E101 --reviewer "$r"; done
PLUMB_NOW=$at ok cycle advance --cycle a25
for r in E102:3 E103:4 E104:5; do
	printf 'answers:\n  strengths: "Words of %s"\nratings:\n  collaboration: %s\ncomments: "Comment of %s"\n' \
		"${r%:*}" "${r#*:}" "${r%:*}" >"$T/fb-${r%:*}.yaml"
	PLUMB_NOW=$at ok --as "${r%:*}" feedback submit --cycle a25 --for E101 "$T/fb-${r%:*}.yaml"
done
PLUMB_NOW=$at ok cycle advance --cycle a25 # the feedback phase closes
file ev.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 4, no_evidence_reason: "steady"}
  delivery: {rating: 3, no_evidence_reason: "steady"}
  collaboration: {rating: 4, no_evidence_reason: "peers say so"}
EOF2
PLUMB_NOW=$at ok --as M001 evaluation submit --cycle a25 --person E101 "$T/ev.yaml"
ok --as M001 feedback show --cycle a25 --for E101 --json
expect_json '.groups[] | select(.relation == "peer") | "\(.responses) \(.shown) \(.answers[0].answers | length) \(.comments | length)"' "3 true 3 3"
expect_json '.groups[] | select(.relation == "peer") | .texts_withheld' null

ok --as H001 hold add --person E103 --reason "case 2026-9"
close_cycle a25 # retention leaves an open cycle's review data
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses WHERE body LIKE '%Words of%'")" = 1 ] ||
	fail "the hold did not keep one writer's words: $(sql "SELECT body FROM feedback_responses")"

peer='.groups[] | select(.relation == "peer")'
for who in M001 H001 E101; do
	ok --as "$who" feedback show --cycle a25 --for E101 --json
	expect_json "$peer | \"\(.responses) \(.shown)\"" "3 true"
	expect_json "$peer | [.answers[].answers[]] | length" 0
	expect_json "$peer | .comments | length" 0
	expect_json "$peer | .ratings | map(\"\(.competency) \(.mean) \(.count)\") | join(\",\")" "collaboration 4 3"
	expect_json "$peer | .texts_withheld" "retention anonymized some of its responses: the answers and comments left would tell whose they are, or which were written first"
	ok --as "$who" feedback show --cycle a25 --for E101
	for t in "Words of" "Comment of"; do expect_no_out "$t"; done
	expect_out "nswers and comments withheld: retention anonymized some of its responses"
done
ok --as M001 packet --cycle a25 --person E101 --target-level L5
for t in "Words of" "Comment of"; do expect_no_out "$t"; done
expect_out "nswers and comments withheld: retention anonymized some of its responses"
ok --as E101 me export
for t in "Words of" "Comment of"; do expect_no_out "$t"; done
expect_json '.feedback_received[] | select(.relation == "peer") | "\(.responses) \(.texts_withheld != null)"' "3 true"
