# Two records person merge made one human are one person to the anonymity rules: the human
# is not a peer or cross-functional reviewer of their own record, whoever names them, and
# does not write in the group about it with an assignment made before the merge (found
# hunting merges: authz_review_reader compared the reader and the reviewee exactly, so the
# manager named the human a peer of their own earlier record, and the human wrote peer
# feedback about themselves, which they read as its person).  Nothing is stored; others are
# named as before.
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E301,Lukas Schmidt,lukas.schmidt2@acme.example,M002,search,Senior Software Engineer,L4,ic,backend,DE,2026-03-01,,,,," >>org.csv
echo "E302,Minh Nguyen,minh.nguyen2@acme.example,M002,search,Software Engineer,L3,ic,backend,US,2026-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E301 E302; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
# Before anyone knows E302 is E102, M001 names E302 a peer of E102.
ok --as M001 cycle nominate --cycle a26 --for E102 --reviewer E302
ok person merge E101 --into E301 --reason "rehired under a new id"
ok person merge E102 --into E302 --reason "rehired under a new id"
run --as M001 cycle nominate --cycle a26 --for E101 --reviewer E301
expect_status 1
expect_err "E301 cannot be a peer reviewer of E101"
expect_err "one person"
run --as M001 cycle nominate --cycle a26 --for E101 --reviewer E301 --relation cross_functional
expect_status 1
expect_err "E301 cannot be a cross_functional reviewer of E101"
[ "$(sql "SELECT COUNT(*) FROM review_assignments a JOIN people p ON p.id = a.reviewer_id WHERE p.employee_id = 'E301'")" = 0 ] ||
	fail "E301 was made a reviewer of their own record"
ok cycle advance --cycle a26 # feedback
printf 'answers:\n  strengths: "A great colleague"\n  growth: "None"\n' >fb.yaml
# The merge declined E302's peer work about E102, feedback about oneself: nothing is owed.
[ "$(sql "SELECT a.status FROM review_assignments a JOIN people p ON p.id = a.reviewer_id WHERE p.employee_id = 'E302'")" = declined ] ||
	fail "E302's peer assignment about their own record is still open"
run --as E302 feedback submit --cycle a26 --for E102 --relation peer fb.yaml
expect_status 5
expect_err "E302's peer review of E102 in cycle 'a26' was declined"
expect_err "person merge made the two records one human's"
# One left open by a merge made before plumb declined such work is refused as it is written.
sql "UPDATE review_assignments SET status = 'active' WHERE reviewer_id = (SELECT id FROM people WHERE employee_id = 'E302')" >/dev/null
run --as E302 feedback submit --cycle a26 --for E102 --relation peer fb.yaml
expect_status 1
expect_err "E302 cannot write peer feedback about E102: they are one person"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses")" = 0 ] || fail "E302 wrote peer feedback about their own record"
# Another peer is named and writes as before.
ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer E103
ok audit verify
