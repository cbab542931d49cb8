# A cycle's home manager whose record is merged into another (the human rehired, or a
# contractor record found to be them) goes on managing the cycle's reviews as the record it
# went into: the merged record keeps its reports and its user acts no more, so the human
# lost their reports' evaluations mid-cycle (found hunting scores).  Another manager is
# still refused, and the refusal is audited.
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "M201,Jonas Becker,jonas.becker2@acme.example,H001,payments,Engineering Manager,M2,manager,manager,DE,2026-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
ok cycle advance --cycle a26 # feedback
ok cycle advance --cycle a26 # manager_review
file ev.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 4, no_evidence_reason: "the refunds rewrite"}
  delivery: {rating: 3, no_evidence_reason: "steady"}
  collaboration: {rating: 4, no_evidence_reason: "pairs a lot"}
case: Strong year.
EOF2
ok --as M001 evaluation submit --cycle a26 --person E101 ev.yaml
ok person merge M001 --into M201 --reason "rehired under a new id"
ok user add --person M201 --role manager
run --as M001 evaluation history --cycle a26 --person E101
expect_status 3
# The human, as the record M001 went into: reads and writes their reports' evaluations.
ok --as M201 evaluation history --cycle a26 --person E101
expect_out "Strong year"
sed 's/Strong year./Stronger second half./' ev.yaml >ev2.yaml
ok --as M201 evaluation submit --cycle a26 --person E101 --reason "second half" ev2.yaml
ok --as M201 evaluation submit --cycle a26 --person E102 ev.yaml
[ "$(sql "SELECT COUNT(*) FROM evaluations e JOIN people p ON p.id = e.person_id WHERE p.employee_id IN ('E101', 'E102')")" = 3 ] ||
	fail "M201's evaluations were not stored"
ok --as M201 score show --cycle a26 --person E101
# Another manager, outside the chain, is refused as before.
before=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'")
run --as M002 evaluation submit --cycle a26 --person E101 --reason "not mine" ev.yaml
expect_status 3
run --as M002 evaluation history --cycle a26 --person E101
expect_status 3
expect_no_out "Strong"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'")" = $((before + 2)) ] ||
	fail "the refusals are not audited as access.denied"
# A cycle made after the merge has the merged record as E101's manager still (it keeps its
# reports): its human decides on E101's nominations, nominates for E102, and sees their rows
# (found in review: refused as outside their scope, and listed none of them).
ok user add --person H001 --role people-partner
ok user add --person E101 --role employee
ok cycle create b26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
ok --as E101 cycle nominate --cycle b26 --for E101 --reviewer E103
ok --as M201 cycle decide --cycle b26 --for E101 --reviewer E103 --decision approve
ok --as M201 cycle nominate --cycle b26 --for E102 --reviewer E104
ok --as M201 cycle assignments --cycle b26 --json
expect_json '[.assignments[] | select(.reviewee == "E101" and .reviewer == "E103") | .status] | join(",")' active
expect_json '[.assignments[] | select(.reviewee == "E102" and .reviewer == "E104")] | length' 1
run --as M002 cycle decide --cycle b26 --for E101 --reviewer E103 --decision decline --reason "not mine"
expect_status 3
# As E101's manager they read the group, so they may not write in it (readers never write).
run --as H001 cycle nominate --cycle b26 --for E101 --reviewer M201 --relation cross_functional
expect_status 1
expect_err "M201 cannot be a cross_functional reviewer of E101: they read the feedback about E101 as one of their managers"
# About yourself you are only the person, even with your manager's record merged into yours
# (found in review: E201 approved their own peers and named cross-functional writers).
ok cycle create c26 --kind annual --scope search --from 2026-01-01 --to 2026-12-31
ok person merge M002 --into E201 --reason "one human, two records"
ok user add --person E201 --role employee
ok --as E201 cycle nominate --cycle c26 --for E201 --reviewer E202
ok --as E201 cycle assignments --cycle c26 --json
expect_json '[.assignments[] | select(.reviewee == "E201" and .reviewer == "E202") | .status] | join(",")' nominated
run --as E201 cycle decide --cycle c26 --for E201 --reviewer E202 --decision approve
expect_status 3
run --as E201 cycle nominate --cycle c26 --for E201 --reviewer E203 --relation cross_functional
expect_status 3
ok audit verify
