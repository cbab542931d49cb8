# One human reviews themselves once: a record merged into another after its self review was
# submitted, both enrolled in a running cycle, leaves the record it went into owing none
# (found hunting merges: E301's self review was owed, late and reminded though the human
# wrote one as E101).  E301's self assignment is covered by E101's response, and E301 stays
# the human's row in cycle status, short of peers as before; E301's evaluation cites it.
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E301,Lukas Schmidt,lukas.schmidt2@acme.example,M001,payments,Senior Software Engineer,L4,ic,backend,DE,2026-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
for u in E101 E301; do ok user add --person "$u" --role employee; done
ok cycle create y26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
# The self_review phase is the first: the human writes theirs as E101.
printf 'answers:\n  strengths: "Shipped the refunds rewrite"\n' >fb.yaml
ok --as E101 feedback submit --cycle y26 --for E101 fb.yaml
ok person merge E101 --into E301 --reason "rehired under a new id"
ok cycle assignments --cycle y26 --json
expect_json '[.assignments[] | select(.relation == "self" and (.reviewee == "E101" or .reviewee == "E301")) | "\(.reviewee) \(.status) \(.done) \(.covered)"] | join(",")' \
	"E101 active true false,E301 active false true"
ok cycle status --cycle y26 --json
expect_json '[.late[]? | select(.reviewee == "E301" and .relation == "self")] | length' 0
expect_json '[.short_of_peers[] | select(startswith("E101") or startswith("E301"))] | join(",")' "E301 (0 of 2)"
# The cycle page words it for a self review (found hunting merges: "covered by the same
# person's assignment as another record of theirs", as of a peer's twin).
tok=$(token M001 read)
serve
http GET /cycles/y26 -H "Authorization: Bearer $tok"
expect_http 200
grep -q "covered by the self review the same person wrote as another record of theirs" "$T/out" ||
	fail "the page does not word E301's covered self review as such"
stop_server
# feedback show about E301 says where the human's self review is.
ok --as M001 feedback show --cycle y26 --for E301
expect_out "E301's human wrote their self review in cycle 'y26' as E101"
ok notify --as-of 2026-12-31T12:00:00Z --dry-run --smtp-url smtp://127.0.0.1:1 --from plumb@acme.example --json
expect_json '[.reminders[] | select(.reviewee == "E301" and .relation == "self")] | length' 0
# A second self review is refused: the human revises the one they wrote, as E101.
run --as E301 feedback submit --cycle y26 --for E301 fb.yaml
expect_status 5
expect_err "the self review of E301's human in cycle 'y26' was written as E101"
expect_err "--for E101"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses")" = 1 ] || fail "a second self review was written"
ok --as E301 feedback submit --cycle y26 --for E101 fb.yaml
ok cycle advance --cycle y26 # feedback
# The human's self review, written as E101, is E301's to cite (found hunting merges: "no self
# feedback about E301 that may be cited").
ok cycle advance --cycle y26 # manager_review
file ev.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 4, evidence: [{kind: feedback, ref: self}]}
  delivery: {rating: 3, no_evidence_reason: "steady"}
  collaboration: {rating: 4, no_evidence_reason: "pairs a lot"}
case: Strong year.
EOF2
ok --as M001 evaluation submit --cycle y26 --person E301 ev.yaml
ok cycle list --json
ok audit verify
