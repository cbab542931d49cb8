# A person merge withdraws the merged record from a running cycle where the human is enrolled
# as the other record too, and drops its enrolment only where nothing about it was written.
# A calibration mark and its comment are written about the record: the enrolment stays for
# them (found in review: the enrolment went, and with it the record's row, marks and comment
# from the session, which reads its people through the cycle's members).
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok user add --person H001 --role people-partner
ok cycle create a26 --kind annual --scope payments --scope search --from 2026-01-01 --to 2026-12-31
ok cycle advance --cycle a26 # feedback
ok cycle advance --cycle a26 # manager_review
file ev.yaml <<'YAML'
ratings:
  technical_skill: {rating: 4, no_evidence_reason: "the refunds rewrite"}
  delivery: {rating: 3, no_evidence_reason: "steady"}
  collaboration: {rating: 4, no_evidence_reason: "pairs a lot"}
YAML
# E101 has no evaluation: its manager's review is still owed at the merge.
for p in E102 E103; do ok --as M001 evaluation submit --cycle a26 --person "$p" ev.yaml; done
for p in E201 E202; do ok --as M002 evaluation submit --cycle a26 --person "$p" ev.yaml; done
ok cycle advance --cycle a26 # calibration
ok --as H001 calibrate session create --cycle a26 --population payments --population search \
	--facilitator H001 --participants M001,M002 --name cal
ok --as M002 calibrate mark --session cal --person E101 --mark question --comment "no review yet"
ok --as H001 calibrate session status --session cal --json
before=$(jq .people_in_session "$T/out")
ok person merge E101 --into E201 --reason "duplicate record"
expect_out "review cycles: 2 assignments declined as one human's"
# What was asked about E101 is declined; its enrolment stays for the mark about it.
[ "$(sql "SELECT COUNT(*) FROM cycle_members m JOIN people p ON p.id = m.person_id WHERE p.employee_id = 'E101'")" = 1 ] ||
	fail "E101's enrolment went with a calibration mark about it"
ok --as H001 calibrate session status --session cal --json
expect_json .people_in_session "$before"
expect_json '[.. | objects | select(.comment == "no review yet")] | length' 1
ok audit verify
