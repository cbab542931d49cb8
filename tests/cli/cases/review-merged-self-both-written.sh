# One human reviews themselves once, also where both records wrote a self review before `person
# merge` made them one (found hunting merges: neither was covered, each face read its own, and
# either could still be revised).  The self review of the record merged into (E301) is the
# human's; E101's is kept as history, covered: not counted, shown as such by cycle assignments,
# feedback show, me export and the cycle page, and not revised.
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E301,Lukas Schmidt,lukas.schmidt2@acme.example,M001,payments,Senior Software Engineer,L4,ic,backend,DE,2026-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
for u in E101 E301; do ok user add --person "$u" --role employee; done
ok cycle create y26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
printf 'answers:\n  strengths: "Written as E101"\n' >a.yaml
printf 'answers:\n  strengths: "Written as E301"\n' >b.yaml
ok --as E101 feedback submit --cycle y26 --for E101 a.yaml
ok --as E301 feedback submit --cycle y26 --for E301 b.yaml
ok person merge E101 --into E301 --reason "rehired under a new id"
ok cycle assignments --cycle y26 --json
expect_json '[.assignments[] | select(.relation == "self" and (.reviewee == "E101" or .reviewee == "E301")) | "\(.reviewee) \(.done) \(.covered)"] | join(",")' \
	"E101 true true,E301 true false"
ok cycle assignments --cycle y26
grep -q "^E101 .*self .*, covered" "$T/out" || fail "E101's self review is not shown covered: $(grep '^E101' "$T/out")"
# Counted once: six self assignments in payments, E101's not counted, one done.
ok cycle status --cycle y26 --json
expect_json '[.progress[] | select(.phase == "self_review") | "\(.done)/\(.total)"] | join(",")' "1/5"
expect_json '[.short_of_peers[] | select(startswith("E101") or startswith("E301"))] | join(",")' "E301 (0 of 2)"
# feedback show says which is the human's.
ok --as M001 feedback show --cycle y26 --for E101
expect_out "Written as E101"
expect_out "the self review written as E101 is kept as history: person merge made E101 and E301 one human's, whose self review in cycle 'y26' is the one written as E301"
ok --as M001 feedback show --cycle y26 --for E301
expect_out "Written as E301"
expect_no_out "kept as history"
ok --as E301 feedback show --cycle y26 --for E101 --mine
expect_out "is kept as history"
# me export marks it.
ok --as E301 me export --json
expect_json '[.feedback_written[] | select(.relation == "self") | "\(.body.answers.strengths) \(.covered)"] | join(",")' \
	"Written as E101 true,Written as E301 false"
# The history is not revised; the human's is.
run --as E301 feedback submit --cycle y26 --for E101 a.yaml
expect_status 5
expect_err "the self review of E101's human in cycle 'y26' was written as E301"
expect_err "revise it with --for E301"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses")" = 2 ] || fail "the history was revised"
ok --as E301 feedback submit --cycle y26 --for E301 b.yaml
# The cycle page says it of a self review.
tok=$(token M001 read)
serve
http GET /cycles/y26 -H "Authorization: Bearer $tok"
expect_http 200
grep -q "kept as history: the person's self review in this cycle is the one they wrote as another record of theirs" "$T/out" ||
	fail "the page does not say E101's self review is kept as history"
stop_server
ok audit verify
