# A response a record wrote about another record of its own human, before `person merge` made
# them one, is not peer feedback: the human rated themselves.  It is left out of the group
# about them (found reviewing the merge rules: review-merged-own-peer.sh refuses such a writer
# after the merge, but one who wrote before it counted toward the threshold, so the manager
# read a group of "3 responses" from two peers and the reviewee, and the reviewee was told
# they wrote in their own peer group, withheld from them for good).  Two peers are two
# responses, under the threshold of 3, for every reader; the human still reads what they
# wrote with --mine.
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E302,Minh Nguyen,minh.nguyen2@acme.example,M002,search,Software Engineer,L3,ic,backend,US,2026-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E302; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
# Before anyone knows E302 is E102, M001 names E302 a peer of E102 with E101 and E103.
for r in E101 E103 E302; do ok --as M001 cycle nominate --cycle a26 --for E102 --reviewer "$r"; done
ok cycle advance --cycle a26 # feedback
for r in E101 E103 E302; do
	printf 'answers:\n  strengths: "Written by %s"\n  growth: "None"\n' "$r" >"fb-$r.yaml"
	ok --as "$r" feedback submit --cycle a26 --for E102 --relation peer "fb-$r.yaml"
done
ok person merge E302 --into E102 --reason "rehired under a new id"
ok cycle advance --cycle a26 # manager_review: the feedback phase is closed
peer='.groups[] | select(.relation == "peer")'
ok --as M001 feedback show --cycle a26 --for E102 --json
expect_json "$peer | \"\(.responses) \(.shown)\"" "2 false"
expect_json "$peer | .withheld" "2 peer responses, fewer than the threshold of 3"
if file_has "$T/out" "Written by"; then fail "the manager read the peer texts"; fi
for _ in 1 2 3; do ok cycle advance --cycle a26; done # calibration, delivery, closed
ok --as E102 feedback show --cycle a26 --for E102 --json
expect_json "$peer | \"\(.responses) \(.shown)\"" "2 false"
expect_json "$peer | .withheld" "2 peer responses, fewer than the threshold of 3"
# What the human wrote as E302 stays theirs to read.
ok --as E102 feedback show --cycle a26 --for E102 --mine --json
expect_out "Written by E302"
if file_has "$T/out" "Written by E101"; then fail "--mine showed another writer's response"; fi
ok audit verify
