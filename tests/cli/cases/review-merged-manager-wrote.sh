# In a cycle with ratings the manager review is the evaluation, as cycle assignments counts it
# done: the manager's written feedback about the merged record alone does not make the human's
# review done, so person merge leaves the manager review of the record it went into owed, and
# evaluation submit takes it there (found in review: it was declined at the merge, neither
# owed nor chased, while evaluation submit still took it).  In a check-in without ratings the
# written feedback is the manager review, and the other is declined as before.
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E301,Lukas Schmidt,lukas.schmidt2@acme.example,M001,payments,Senior Software Engineer,L4,ic,backend,DE,2026-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
ok cycle create y26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
ok cycle create c26 --kind checkin --scope payments --from 2026-10-01 --to 2026-12-31
ok cycle advance --cycle y26 # feedback
ok cycle advance --cycle y26 # manager_review
ok cycle advance --cycle c26 # manager_review (a check-in asks no peers)
printf 'answers:\n  strengths: "Owns refunds end to end"\n' >mgr.yaml
for c in y26 c26; do ok --as M001 feedback submit --cycle $c --for E101 mgr.yaml; done
ok person merge E101 --into E301 --reason "rehired under a new id"
ok cycle assignments --cycle y26 --json
expect_json '[.assignments[] | select(.relation == "manager" and (.reviewee == "E101" or .reviewee == "E301")) | "\(.reviewee) \(.status) \(.done)"] | join(",")' \
	"E101 active false,E301 active false"
ok cycle assignments --cycle c26 --json
expect_json '[.assignments[] | select(.relation == "manager" and (.reviewee == "E101" or .reviewee == "E301")) | "\(.reviewee) \(.status) \(.done)"] | join(",")' \
	"E101 active true,E301 declined false"
file ev.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 4, no_evidence_reason: "the refunds rewrite"}
  delivery: {rating: 3, no_evidence_reason: "steady"}
  collaboration: {rating: 4, no_evidence_reason: "pairs a lot"}
case: Strong year.
EOF2
ok --as M001 evaluation submit --cycle y26 --person E301 ev.yaml
ok cycle assignments --cycle y26 --json
expect_json '[.assignments[] | select(.relation == "manager" and .reviewee == "E301") | "\(.status) \(.done)"] | join(",")' "active true"
# The manager writes about E301 too; delivered, the human's export says which record each
# manager feedback is about (found in review: two y26 entries alike).
printf 'answers:\n  strengths: "Ships refunds"\n' >mgr2.yaml
ok --as M001 feedback submit --cycle y26 --for E301 mgr2.yaml
ok user add --person E301 --role employee
for _ in 1 2 3; do ok cycle advance --cycle y26; done # calibration, signoff, delivery
ok --as E301 me export
expect_json '[.manager_feedback[] | select(.cycle == "y26") | "\(.employee_id) \(.body.answers.strengths)"] | join(",")' \
	"E101 Owns refunds end to end,E301 Ships refunds"
ok audit verify
