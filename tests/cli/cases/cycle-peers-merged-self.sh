# A peer assignment of a record of the reviewee's own human (named before `person merge` made
# the two one) holds no peer place, written or not: the response is left out of the group
# (review-merged-self-peer-response.sh), so counting it would leave the reviewee short of the
# peers the threshold needs with no room to name them (found in review: E102, with E101 and
# their own record E302 as peers, was not short of peers, and at the framework's maximum of 3
# a third real peer was refused).  The framework: peers min 2, max 3.
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E302,Minh Nguyen,minh.nguyen2@acme.example,M002,search,Software Engineer,L3,ic,backend,US,2026-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E302; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
for r in E101 E302; do ok --as M001 cycle nominate --cycle a26 --for E102 --reviewer "$r"; done
ok cycle advance --cycle a26 # feedback
printf 'answers:\n  strengths: "Written by E302"\n  growth: "None"\n' >fb.yaml
ok --as E302 feedback submit --cycle a26 --for E102 --relation peer fb.yaml
ok cycle status --cycle a26 --json
expect_json '.short_of_peers | map(select(startswith("E102 "))) | length' 0
ok person merge E302 --into E102 --reason "rehired under a new id"
# One real peer: short of the minimum of 2.
ok cycle status --cycle a26 --json
expect_json '.short_of_peers | map(select(startswith("E102 "))) | join(",")' "E102 (1 of 2)"
# Two more real peers make three, the maximum.
ok --as M001 cycle nominate --cycle a26 --for E102 --reviewer E103
ok --as M001 cycle nominate --cycle a26 --for E102 --reviewer E104
ok cycle status --cycle a26 --json
expect_json '.short_of_peers | map(select(startswith("E102 "))) | length' 0
run --as M001 cycle nominate --cycle a26 --for E102 --reviewer E201
expect_status 5
expect_err "E102 has 3 peer reviewers already, the framework's maximum"
ok audit verify
