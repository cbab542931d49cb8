# About yourself you are only ever the person, also about a record merged into yours: a
# human whose earlier record (reviewed in a cycle) was merged into the one they act as, and
# who is a people partner of that record's unit, was that record's people partner (found
# hunting scores and packets): they read who wrote the peer feedback about themselves
# (feedback authors), their own evaluation and score during calibration, before delivery,
# and wrote their own promotion packet.  Each refusal is audited; nothing else changes
# for them (their partner's view of the others, creating and advancing cycles over their
# unit), and another people partner reads the record as before.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml" # partner_sees_authors: peer
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
for r in E102 E103 E104; do ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer "$r"; done
ok cycle advance --cycle a26 # feedback
for r in E102 E103 E104; do
	printf 'answers:\n  strengths: "Pairs generously (%s)"\n' "$r" >"fb-$r.yaml"
	ok --as "$r" feedback submit --cycle a26 --for E101 "fb-$r.yaml"
done
ok cycle advance --cycle a26 # manager_review
file ev.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 4, no_evidence_reason: "the refunds rewrite"}
  delivery: {rating: 3, no_evidence_reason: "steady"}
  collaboration: {rating: 4, no_evidence_reason: "pairs a lot"}
case: Strong year.
EOF2
ok --as M001 evaluation submit --cycle a26 --person E101 ev.yaml
ok --as M001 evaluation submit --cycle a26 --person E102 ev.yaml
ok cycle advance --cycle a26 # calibration
# The human of E101 is rehired as E201, the records merged, and made people partner of payments.
ok person merge E101 --into E201 --reason "rehired under a new id"
ok user add --person E201 --role people-partner:payments
ok user add --person H001 --role people-partner:engineering

before=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'")
run --as E201 feedback authors --cycle a26 --for E101
expect_status 3
expect_no_out "Pairs generously"
for c in "evaluation history --cycle a26 --person E101" "score show --cycle a26 --person E101" \
	"packet --cycle a26 --person E101 --target-level L5"; do
	run --as E201 $c
	expect_status 3
	expect_no_out "Strong year"
	expect_no_out "technical_skill"
done
expect_err "E201 may not write a promotion packet for E101"
run --as E201 evaluation submit --cycle a26 --person E101 --reason "my own" ev.yaml
expect_status 3
[ "$(sql "SELECT COUNT(*) FROM evaluations e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E101'")" = 1 ] ||
	fail "E201 stored an evaluation of their own record"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'")" = $((before + 5)) ] ||
	fail "the refusals are not audited as access.denied"
# As the person: their feedback as the person reads it (no manager's feedback before delivery).
ok --as E201 feedback show --cycle a26 --for E101 --json
expect_json .reader self

# Still their unit's people partner for the others, and of the cycle.
ok --as E201 score show --cycle a26 --person E102
ok --as E201 feedback authors --cycle a26 --for E102
ok --as E201 cycle create b27 --kind checkin --scope payments --from 2027-01-01 --to 2027-04-01
ok --as E201 cycle advance --cycle a26 # signoff
# Another people partner reads E101's record as before.
ok --as H001 feedback authors --cycle a26 --for E101
expect_out "Pairs generously (E102)"
ok --as H001 packet --cycle a26 --person E101 --target-level L5
# And once delivered the human reads their own score and evaluation, as the person.
ok cycle advance --cycle a26 # delivery
ok --as E201 score show --cycle a26 --person E101
expect_out "score of E101 in cycle a26"
ok --as E201 evaluation history --cycle a26 --person E101
expect_out "Strong year"
run --as E201 packet --cycle a26 --person E101 --target-level L5
expect_status 3
ok audit verify
