# A human merged on along a chain, A into B, then B into C where C is in no cycle, is reviewed
# in a running cycle as B, the record A went into (found hunting merges: with A's self review
# written, so A's enrolment kept, cycle status listed both A and B short of peers, and
# nominations for B were refused as if B were withdrawn too, so nobody could name the human's
# peers).  E101 goes into E301 (both in y26, payments), then E301 into E401 (search, not in y26).
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E301,Lukas Schmidt,lukas.schmidt2@acme.example,M001,payments,Senior Software Engineer,L4,ic,backend,DE,2026-03-01,,,,," >>org.csv
echo "E401,Lukas Schmidt,lukas.schmidt3@acme.example,M002,search,Senior Software Engineer,L4,ic,backend,DE,2026-09-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
for u in E101 E301 E401; do ok user add --person "$u" --role employee; done
ok cycle create y26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
printf 'answers:\n  strengths: "Written as E101"\n' >a.yaml
ok --as E101 feedback submit --cycle y26 --for E101 a.yaml
ok person merge E101 --into E301 --reason "rehired under a new id"
ok person merge E301 --into E401 --reason "moved to search under a new id"
ok cycle status --cycle y26 --json
expect_json '[.short_of_peers[] | select(startswith("E101") or startswith("E301") or startswith("E401"))] | join(",")' "E301 (0 of 2)"
# The human's peers are named for E301; E101 is withdrawn, in favour of E301.
ok --as M001 cycle nominate --cycle y26 --for E301 --reviewer E102
run --as M001 cycle nominate --cycle y26 --for E101 --reviewer E103
expect_status 5
# Said as person merge left it: E101 is E401's now, and the human is reviewed in y26 as E301.
expect_err "E101 was merged into E401, whose human is reviewed in cycle 'y26' as E301"
expect_err "--for E301"
# E301's self assignment is covered by E101's, which is the human's.
ok cycle assignments --cycle y26 --json
expect_json '[.assignments[] | select(.relation == "self" and (.reviewee == "E101" or .reviewee == "E301")) | "\(.reviewee) \(.done) \(.covered)"] | join(",")' \
	"E101 true false,E301 false true"
ok audit verify
