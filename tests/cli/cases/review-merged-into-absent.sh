# Two records of one human both enrolled in a running cycle, merged one after the other into a
# third the cycle does not enrol (E101 into E401, then E102, whose self review was written, into
# E401): the human is reviewed as the record merged last, E102, and E101 is withdrawn (found
# hunting merges: the second merge declined E102's manager review while E101, which went into
# E401 earlier, was the record refused as withdrawn, so the human's evaluation was owed, late
# and reminded as E101 and refused there).
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E401,Lukas Schmidt,lukas.schmidt3@acme.example,M002,search,Senior Software Engineer,L4,ic,backend,DE,2026-09-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
for u in E101 E102 E401; do ok user add --person "$u" --role employee; done
ok cycle create y26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
printf 'answers:\n  strengths: "Written as E102"\n' >b.yaml
ok --as E102 feedback submit --cycle y26 --for E102 b.yaml
ok person merge E101 --into E401 --reason "rehired under a new id"
ok person merge E102 --into E401 --reason "the same human again"
ok cycle assignments --cycle y26 --json
expect_json '[.assignments[] | select((.relation == "self" or .relation == "manager") and (.reviewee == "E101" or .reviewee == "E102")) | "\(.reviewee) \(.relation) \(.status)"] | join(",")' \
	"E102 self active,E102 manager active"
ok cycle status --cycle y26 --json
expect_json '[.short_of_peers[] | select(startswith("E101") or startswith("E102"))] | join(",")' "E102 (0 of 2)"
ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer E103
# The human is evaluated as E102.
ok cycle advance --cycle y26 # feedback
ok cycle advance --cycle y26 # manager_review
file ev.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 4, no_evidence_reason: "the refunds rewrite"}
  delivery: {rating: 3, no_evidence_reason: "steady"}
  collaboration: {rating: 4, no_evidence_reason: "pairs a lot"}
case: Strong year.
EOF2
ok --as M001 evaluation submit --cycle y26 --person E102 ev.yaml
ok cycle status --cycle y26 --json
expect_json '[.late[]? | select(.reviewee == "E101" or .reviewee == "E102")] | length' 0
ok audit verify
