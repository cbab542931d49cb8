# A record merged into another (a rehire's earlier record, a contractor record found to be an
# employee) keeps its review assignments while its user acts no more: the human, signed in as
# the record it went into, owns them.  `cycle assignments` shows them as theirs (their upward
# work, which nobody else sees, and when they wrote), they write them, and `feedback show
# --mine` reads what they wrote as either record (found hunting merges: the rows were
# another's to them, the upward one hidden; writing was refused as holding no assignment, so
# a merged home manager could not write a check-in's manager review; and --mine showed none of
# it).  Nobody else gains anything: another report still does not see who owes their manager
# upward feedback.
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E301,Lukas Schmidt,lukas.schmidt2@acme.example,M002,search,Senior Software Engineer,L4,ic,backend,DE,2026-03-01,,,,," >>org.csv
echo "M201,Jonas Becker,jonas.becker2@acme.example,H001,payments,Engineering Manager,M2,manager,manager,DE,2026-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
# An annual review: each report owes M001 upward feedback.
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
ok --as E101 cycle assignments --cycle a26 --json
expect_json '[.assignments[] | select(.relation == "upward") | "\(.reviewer) \(.reviewee)"] | join(",")' "E101 M001"
for r in E102 E103; do ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer "$r"; done
ok cycle advance --cycle a26 # feedback
printf 'answers:\n  strengths: "Shields the team (as E101)"\n  growth: "Delegate more"\n' >up.yaml
ok --as E101 feedback submit --cycle a26 --for M001 --draft up.yaml
# E101 is rehired into search as E301; the records are merged.
ok person merge E101 --into E301 --reason "rehired under a new id"
ok user add --person E301 --role employee
ok --as E301 cycle assignments --cycle a26 --json
expect_json '[.assignments[] | select(.relation == "upward" and .reviewer == "E101") | "\(.reviewee) \(.draft)"] | join(",")' "M001 true"
# Asked by their own id, the reviewer's rows are those too (found in review: none listed).
ok --as E301 cycle assignments --cycle a26 --reviewer E301 --json
expect_json '[.assignments[] | "\(.reviewer) \(.relation) \(.reviewee)"] | join(",")' "E101 self E101,E101 upward M001"
# They finish the upward feedback E101 started, and read it back as theirs.
printf 'answers:\n  strengths: "Shields the team (as E301)"\n  growth: "Delegate more"\n' >up2.yaml
ok --as E301 feedback submit --cycle a26 --for M001 up2.yaml
[ "$(sql "SELECT COUNT(*) FROM feedback_responses f JOIN review_assignments a ON a.id = f.assignment_id JOIN people p ON p.id = a.reviewer_id WHERE p.employee_id = 'E101' AND a.relation = 'upward' AND f.status = 'submitted'")" = 1 ] ||
	fail "E301's upward feedback was not stored on E101's assignment"
ok --as E301 feedback show --cycle a26 --for M001 --mine --json
expect_out "Shields the team (as E101)"
expect_out "Shields the team (as E301)"
ok --as E301 cycle assignments --cycle a26 --json
expect_json '[.assignments[] | select(.relation == "upward" and .reviewer == "E101") | (.done_at != null)] | join(",")' "true"
# The rows about E101 are the human's as they were E101's: their two peers (done or not, never
# when), so cycle status does not call them short of peers; their upward reviewers never.
ok --as E301 cycle status --cycle a26 --json
expect_json '.short_of_peers | length' 0
ok --as E301 cycle assignments --cycle a26 --json
expect_json '[.assignments[] | select(.reviewee == "E101" and .relation == "peer") | "\(.reviewer) \(.done_at)"] | join(",")' "E102 null,E103 null"
# Another report sees only their own upward row.
ok --as E102 cycle assignments --cycle a26 --json
expect_json '[.assignments[] | select(.relation == "upward") | .reviewer] | join(",")' "E102"

# A check-in has no ratings: the manager review is the manager's feedback.  M001 is merged into
# M201, who writes it for their reports as the cycle's home manager.
ok cycle create q26 --kind checkin --scope payments --from 2026-10-01 --to 2026-12-31
ok cycle advance --cycle q26 # manager_review
ok person merge M001 --into M201 --reason "rehired under a new id"
ok user add --person M201 --role manager
printf 'answers:\n  strengths: "Owns the refunds service"\n' >mgr.yaml
ok --as M201 feedback submit --cycle q26 --for E102 mgr.yaml
ok --as M201 cycle assignments --cycle q26 --json
expect_json '[.assignments[] | select(.relation == "manager" and .reviewee == "E102") | "\(.reviewer) \(.done_at != null)"] | join(",")' "M001 true"
ok cycle advance --cycle q26 # delivery
ok --as E102 feedback show --cycle q26 --for E102 --json
expect_out "Owns the refunds service"
# Others still write only their own: E103 holds no manager review of E102.
run --as E103 feedback submit --cycle q26 --for E102 mgr.yaml
expect_status 3
ok audit verify
