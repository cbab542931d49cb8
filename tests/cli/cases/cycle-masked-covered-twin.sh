# A masked reader (an analyst) sees each record under its own pseudonym only: where person
# merge made two of E103's peer reviewers one human (E101 into E301), the covered twin beside
# the active one, about the same reviewee and relation, told that the two pseudonyms are one
# human (found hunting merges).  The twin is not shown to a masked reader (it is no work:
# docs/review.md), and an admin still sees it covered.  So are the human's two self reviews.
init_db
# E301 in ledger, a team under payments: the human's two records in two teams of the cycle.
sed '1s/$/,parent_team/; 2,$s/$/,/' "$FIXTURES/org-small.csv" >org.csv
echo "E301,Lukas Schmidt,lukas.schmidt2@acme.example,M001,ledger,Senior Software Engineer,L4,ic,backend,DE,2025-03-01,,,,,,payments" >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E301; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role analyst
ok cycle create a25 --kind annual --scope payments --reviewer-cap 6 --from 2025-01-01 --to 2025-12-31
for r in E101 E301 E102; do ok --as E103 cycle nominate --cycle a25 --for E103 --reviewer "$r"; done
ok --as E101 cycle nominate --cycle a25 --for E101 --reviewer E102
sql "UPDATE review_assignments SET status = 'active' WHERE relation = 'peer'"
printf 'answers:\n  strengths: "Shipped the refunds rewrite"\n' >self.yaml
ok --as E101 feedback submit --cycle a25 --for E101 self.yaml
ok person merge E101 --into E301 --reason "rehired under a new id"
ok cycle advance --cycle a25 # feedback
ok cycle assignments --cycle a25 --json
expect_json '[.assignments[] | select(.reviewee == "E103" and .relation == "peer") | "\(.reviewer) \(.covered)"] | join(",")' \
	"E101 true,E301 false,E102 false"
ok --as M001 cycle assignments --cycle a25 --json
expect_json '[.assignments[] | select(.covered)] | length' 0
# Nor is the peer row person merge declined, E102's about E101, shown under the human's
# pseudonym (found in review): a declined row is no work, as a withdrawn one is not.
expect_json '[.assignments[] | select(.relation == "peer")] | length' 2
expect_json '[.assignments[] | select(.status == "declined" and .id == null)] | length' 0
ok --as M001 cycle status --cycle a25 --json
expect_json '[.loads[] | .load] | add' 2
# The peer row about E101, merged away, is shown under the record its human is reviewed as
# (E301's pseudonym): under E101's, which has no self row shown, it marked that pseudonym as a
# merged record (found in review).
expect_json '[.assignments[] | select(.relation == "self") | .reviewee] as $s | [.assignments[] | select(.relation == "peer" and (.reviewee as $r | $s | any(.[]; . == $r) | not))] | length' 0
# And the totals count the rows shown, team by team: the human's self review is E301's row, in
# ledger, not E101's, in payments.
shown='[.assignments[] | select(.status == "active" and (.covered | not) and (.withdrawn | not)) | "\(.phase) \(.team)"] | group_by(.) | map("\(.[0]) \(length)") | join(",")'
expect_json "$shown" "$(json '[.progress[] | select(.total > 0) | "\(.phase) \(.team) \(.total)"] | sort | join(",")')"
expect_json '[.progress[] | select(.phase == "self_review") | "\(.team) \(.total)"] | sort | join(",")' "ledger 1,payments 4"
# The human's self reviews likewise: E101's, written, and E301's, covered by it, were two
# pseudonyms' rows, one done and one covered, which told they are one human (found in
# review).  The masked reader sees one row, done, under the pseudonym short_of_peers names.
expect_json '[.assignments[] | select(.relation == "self" and .covered)] | length' 0
expect_json '[.assignments[] | select(.relation == "self" and (.reviewee | startswith("P-")))] | length' 4
done_self=$(json '[.assignments[] | select(.relation == "self" and .done) | .reviewee] | join(",")')
[[ $done_self =~ ^P-[0-9a-f]{16}$ ]] || fail "done self reviews shown: $done_self"
expect_json "[.short_of_peers[] | select(startswith(\"$done_self \"))] | length" 1
ok --as M001 cycle assignments --cycle a25
expect_no_out "covered"
# Nor does person list or show name E101's record beside E301's (merged_into): a masked
# reader's scope is their own record, which no merge has folded into another.
run --as M001 person show E101 --json
expect_status 3
ok --as M001 person list --json
expect_json '[.[] | .merged_into | select(. != null)] | length' 0
# The team they lead names them as they are, name too (found in review: withheld).
ok --as M001 org tree --json
expect_json '[.. | objects | select(.name == "payments" and has("lead")) | .lead | "\(.employee_id) \(.name)"] | join(",")' "M001 Jonas Becker"
# E101's record is E301's own, also to an analyst (found in review: refused, though their
# cycles hold it as theirs).
ok user add --person E301 --role analyst
ok --as E301 person show E101
# So is the feedback about it: E101's self review (found in review: refused, as "own" was the
# user's name there).
ok --as E301 feedback show --cycle a25 --for E101 --json
expect_json '[.responses[] | "\(.relation) \(.author) \(.answers[0].answer)"] | join(",")' "self E101 Shipped the refunds rewrite"
# In clear, as their own (found in review: "own" was the user's name, so E101 was a pseudonym
# with no name), and so are their accounts' logins, E101's before the merge.
ok --as E301 person show E101 --json
expect_json '"\(.employee_id) \(.name) \(.merged_into)"' "E101 Lukas Schmidt E301"
ok --as E301 person show E301 --json
expect_json '[.identities[].login] | sort | join(",")' "PD0101,jira-5f1a0101,lschmidt"
# A masked reviewee's peer rows about them name them as they are, name too (found in review:
# reviewee_name was their employee id).
ok user add --person E103 --role analyst
ok --as E103 cycle assignments --cycle a25 --json
expect_json '[.assignments[] | select(.relation == "peer") | "\(.reviewee) \(.reviewee_name)"] | unique | join(",")' "E103 Sofia Rossi"
# A user is the person they are linked to, whatever the user's name: one named M001 whose
# person is E102 sees E102 in clear and M001, E102's manager, as a pseudonym.
ok user add --person E102 --role analyst
sql "UPDATE users SET name = 'M001-old' WHERE name = 'M001'; UPDATE users SET name = 'M001' WHERE name = 'E102'"
ok --as M001 person show E102 --json
expect_json '"\(.employee_id) \(.name) \(.manager_id | test("^P-[0-9a-f]{16}$"))"' "E102 Nguyen, Minh true"
# And the feedback about E102, not about M001 (found in review: the reverse, by the user's name).
ok --as M001 feedback show --cycle a25 --for E102
run --as M001 feedback show --cycle a25 --for M001
expect_status 3
ok audit verify
