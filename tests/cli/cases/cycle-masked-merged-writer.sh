# A masked reader (an analyst whose reports are in the cycle) sees each record under its own
# pseudonym only: where `person merge` folded a peer reviewer (E101) into another record (E301),
# the late line named the writer beside the reviewer, "P-x owes peer feedback on P-y as P-z",
# and the JSON gave writer and reviewer, tying the two pseudonyms to one human (found hunting
# merges).  The rows name the reviewer's pseudonym as writer, and loads count by record.
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E301,Lukas Schmidt,lukas.schmidt2@acme.example,M001,payments,Senior Software Engineer,L4,ic,backend,DE,2025-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E301; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role analyst
ok cycle create a25 --kind annual --scope payments --from 2025-01-01 --to 2025-12-31
ok --as E103 cycle nominate --cycle a25 --for E103 --reviewer E101
sql "UPDATE review_assignments SET status = 'active' WHERE relation = 'peer'"
ok person merge E101 --into E301 --reason "rehired under a new id"
ok cycle advance --cycle a25 # feedback
export PLUMB_NOW=2027-06-01T00:00:00Z
ok --as M001 cycle assignments --cycle a25 --json
e101=$(json '.assignments[] | select(.relation == "peer") | .reviewer')
case "$e101" in P-*) ;; *) fail "the peer reviewer is not masked: $e101" ;; esac
expect_json '[.assignments[] | select(.writer != .reviewer)] | length' 0
expect_json "[.assignments[] | select(.relation == \"peer\") | .writer] | join(\",\")" "$e101"
ok --as M001 cycle status --cycle a25 --json
expect_json '[.late[] | select(.writer != .reviewer)] | length' 0
ok --as M001 cycle status --cycle a25
expect_out "owes peer feedback on"
grep -q "owes peer feedback on P-[0-9a-f]* as " "$T/out" && fail "a late line ties two pseudonyms: $(grep 'owes peer' "$T/out")"
# An admin still sees who writes it.
ok cycle status --cycle a25
expect_out "E301 (Lukas Schmidt) owes peer feedback on E103 as E101"
ok audit verify
