# Two records person merge made one human's may each hold an assignment of one relation about
# one reviewee (both were named as E102's peers before anyone knew).  One human gives one
# response: the human writes on one of them (the one begun, else the current record's), and
# the other is covered by it: not pending, not late, not reminded, no second peer place or
# load (found hunting merges: the second stayed open for ever, kept the cycle short of done
# and was reminded).  A record's human is not named again
# as a reviewer they are already as a merged record.
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E301,Lukas Schmidt,lukas.schmidt2@acme.example,M002,search,Senior Software Engineer,L4,ic,backend,DE,2026-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
ok user add --person E101 --role employee
ok user add --person E103 --role employee
ok cycle create y26 --kind annual --scope payments --reviewer-cap 6 --due self_review=2026-12-01 --due feedback=2026-12-02
for r in E101 E301 E103; do ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer "$r"; done
ok --as M001 cycle nominate --cycle y26 --for E104 --reviewer E101
# E103 asks for E101 and for E301 as peers; their manager has not decided yet.
for r in E101 E301; do ok --as E103 cycle nominate --cycle y26 --for E103 --reviewer "$r"; done
ok cycle advance --cycle y26 # feedback
printf 'answers:\n  strengths: "Careful reviews (begun as E101)"\n  growth: "Speak up more"\n' >draft.yaml
ok --as E101 feedback submit --cycle y26 --for E102 --draft draft.yaml
ok person merge E101 --into E301 --reason "rehired under a new id"
ok user add --person E301 --role employee
# E301 is E104's peer already, as E101.
run --as M001 cycle nominate --cycle y26 --for E104 --reviewer E301
expect_status 5
expect_err "E301 is already a peer reviewer of E104, as E101"
# A merged record is named by the record the human uses now (to whom may see it: a people
# partner of the whole org; to M001 it is no report of theirs any more, outside their scope).
ok user add --person H001 --role people-partner
run --as H001 cycle nominate --cycle y26 --for E102 --reviewer E101
expect_status 1
expect_err "E101 was merged into E301"
expect_err "--reviewer E301"
# E101's nomination is the human's, and may be approved (found hunting merges: refused as a
# leaver's, while E301's was the same human's); then E301's is the same human's second.
ok --as M001 cycle decide --cycle y26 --for E103 --reviewer E101 --decision approve
run --as M001 cycle decide --cycle y26 --for E103 --reviewer E301 --decision approve
expect_status 5
expect_err "E301 is already a peer reviewer of E103, as E101"
ok --as M001 cycle decide --cycle y26 --for E103 --reviewer E301 --decision decline --reason "one human"
# Before anyone writes, the current record's assignment stands; E101's begun one wins it.
ok cycle assignments --cycle y26 --json
expect_json '[.assignments[] | select(.reviewee == "E102" and .relation == "peer") | "\(.reviewer) \(.covered)"] | join(",")' \
	"E101 false,E301 true,E103 false"
# The human finishes, as E301, the response begun as E101: stored on E101's assignment.
printf 'answers:\n  strengths: "Careful reviews (as E301)"\n  growth: "Speak up more"\n' >peer.yaml
ok --as E301 feedback submit --cycle y26 --for E102 peer.yaml
owner() { sql "SELECT p.employee_id FROM feedback_responses f JOIN review_assignments a ON a.id = f.assignment_id JOIN people p ON p.id = a.reviewer_id WHERE a.reviewee_id = (SELECT id FROM people WHERE employee_id = 'E102') AND f.status = '$1'" | sort -u | paste -sd,; }
[ "$(owner submitted)" = E101 ] || fail "the human's response went to another assignment: $(owner submitted)"
ok cycle assignments --cycle y26 --json
expect_json '[.assignments[] | select(.reviewee == "E102" and .relation == "peer") | "\(.reviewer) \(.done) \(.covered)"] | join(",")' \
	"E101 true false,E301 false true,E103 false false"
# E301's twin is no work left: not late, not reminded; E102 has two peers, E301's human one
# load of four (peer of E102, E103 and E104, upward of M001), and one response in the group.
ok cycle status --cycle y26 --json
expect_json '[.late[] | select(.relation == "peer" and .reviewee == "E102") | .reviewer] | join(",")' "E103"
expect_json '[.loads[] | select(.reviewer == "E301" or .reviewer == "E101") | "\(.reviewer) \(.load)"] | join(",")' "E301 4"
# E101's late work is the human's to do as E301, whom the late line names (found hunting
# merges: it named E101, a user refused since the merge).
expect_json '[.late[] | select(.reviewee == "E104" and .relation == "peer") | "\(.reviewer) \(.writer)"] | join(",")' "E101 E301"
ok cycle status --cycle y26
expect_out "E301 (Lukas Schmidt) owes peer feedback on E104 as E101, due 2026-12-02"
ok notify --as-of 2026-12-02T12:00:00Z --dry-run --smtp-url smtp://127.0.0.1:1 --from plumb@acme.example --json
expect_json '[.reminders[] | select(.relation == "peer" and .reviewee == "E102") | .reviewer] | unique | join(",")' "E103"
ok --as E103 feedback submit --cycle y26 --for E102 peer.yaml
# Closing the phase counts E301's twin as nothing left undone.
ok cycle assignments --cycle y26 --json
undone=$(json '[.assignments[] | select(.phase == "feedback" and .status == "active" and (.done | not) and (.covered | not))] | length')
ok cycle advance --cycle y26 --json # manager_review
expect_json .left_undone "$undone"
ok --as M001 feedback show --cycle y26 --for E102 --json
expect_json '[.groups[] | select(.relation == "peer") | .responses | length] | join(",")' "2"
ok audit verify
