# Two records of one human both enrolled in a running cycle, merged one after the other into a
# third the cycle does not enrol, where the one merged first was evaluated already: E101 into
# E401, then E102 into E401 withdraws E101, nearer the record kept being E102, yet the human's
# manager review is E101's evaluation, so E102's is declined (found hunting merges: it stayed
# owed, late and reminded, and evaluation submit refused it, "evaluated ... already, as E101").
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E401,Lukas Schmidt,lukas.schmidt3@acme.example,M002,search,Senior Software Engineer,L4,ic,backend,DE,2026-09-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
for u in E101 E102 E401; do ok user add --person "$u" --role employee; done
ok cycle create y26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
ok cycle advance --cycle y26 # feedback
ok cycle advance --cycle y26 # manager_review
file ev.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 4, no_evidence_reason: "the refunds rewrite"}
  delivery: {rating: 3, no_evidence_reason: "steady"}
  collaboration: {rating: 4, no_evidence_reason: "pairs a lot"}
case: Strong year.
EOF2
ok --as M001 evaluation submit --cycle y26 --person E101 ev.yaml
ok person merge E101 --into E401 --reason "rehired under a new id"
ok person merge E102 --into E401 --reason "the same human again"
ok cycle assignments --cycle y26 --json
expect_json '[.assignments[] | select(.relation == "manager" and (.reviewee == "E101" or .reviewee == "E102")) | "\(.reviewee) \(.status) \(.done)"] | join(",")' \
	"E101 active true,E102 declined false"
export PLUMB_NOW=2027-06-01T00:00:00Z
ok cycle status --cycle y26 --json
expect_json '[.late[]? | select(.relation == "manager" and (.reviewee == "E101" or .reviewee == "E102"))] | length' 0
ok audit verify
