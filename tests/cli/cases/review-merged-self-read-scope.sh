# The human's self review written as a record their manager in the cycle may not read: E201
# (M002's report) wrote it, then E201 and E102 were merged into E401, and the human is
# reviewed as E102, M001's report.  feedback show of E102 said "E102's human wrote their self
# review in cycle 'y26' as E201", and M001, following it, was told "E201 is outside your
# scope", exit 3 (found hunting merges).  The self review that stands for the human's is shown
# with E102's, to whoever reads E102's (docs/review.md), as it is cited there.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in M001 M002; do ok user add --person "$u" --role manager; done
ok cycle create y26 --kind annual --scope engineering --from 2026-01-01 --to 2026-12-31
# E401, the record the human is rehired under, comes after the cycle began: not enrolled.
cp "$FIXTURES/org-small.csv" org.csv
echo "E401,Lukas Schmidt,lukas.schmidt3@acme.example,M002,search,Senior Software Engineer,L4,ic,backend,DE,2026-09-01,,,,," >>org.csv
ok org import org.csv
for u in E102 E201 E401; do ok user add --person "$u" --role employee; done
printf 'answers:\n  strengths: "Written as E201"\n' >a.yaml
ok --as E201 feedback submit --cycle y26 --for E201 a.yaml
ok person merge E201 --into E401 --reason "rehired under a new id"
ok person merge E102 --into E401 --reason "the same human again"
run --as M001 feedback show --cycle y26 --for E201
expect_status 3
ok --as M001 feedback show --cycle y26 --for E102 --json
expect_json '[.responses[] | select(.relation == "self") | .answers[] | select(.question == "strengths") | .answer] | join(",")' "Written as E201"
ok --as M001 feedback show --cycle y26 --for E102
expect_out "Written as E201"
ok audit verify
