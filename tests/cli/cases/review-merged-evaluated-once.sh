# One human, one evaluation a cycle, also when the merged record was evaluated before the
# merge: that evaluation stands for the human, and the record it went into gets no first one
# (found hunting merges: the manager evaluated the human a second time as E301), and its
# manager review is no work left.  Its new
# versions are written on the record evaluated, and the refusal writes nothing.
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E301,Lukas Schmidt,lukas.schmidt2@acme.example,M001,payments,Senior Software Engineer,L4,ic,backend,DE,2026-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
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
ok person merge E101 --into E301 --reason "rehired under a new id"
# E301's manager review is no work left: declined at the merge, so neither owed, late nor
# reminded (it was all three, and could not be done).
ok cycle assignments --cycle y26 --json
expect_json '[.assignments[] | select(.relation == "manager" and (.reviewee == "E101" or .reviewee == "E301")) | "\(.reviewee) \(.status) \(.done)"] | join(",")' \
	"E101 active true,E301 declined false"
ok notify --as-of 2026-12-31T12:00:00Z --dry-run --smtp-url smtp://127.0.0.1:1 --from plumb@acme.example --json
expect_json '[.reminders[] | select(.reviewee == "E301" and .relation == "manager")] | length' 0
run --as M001 evaluation submit --cycle y26 --person E301 ev.yaml
expect_status 5
expect_err "E301 is evaluated in cycle 'y26' already, as E101"
expect_err "--person E101"
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = 1 ] || fail "the refused evaluation was written"
ok --as M001 evaluation submit --cycle y26 --person E101 --reason "one more project" ev.yaml
[ "$(sql "SELECT MAX(version) FROM evaluations")" = 2 ] || fail "no second version of E101's evaluation"
ok audit verify
