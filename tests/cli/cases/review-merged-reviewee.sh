# One human is one reviewee of a cycle: a record merged into another after both were enrolled
# in a cycle still running is withdrawn from it at the merge (found hunting merges: the human
# owed two self reviews, their manager two reviews, and they got two evaluations).  What was
# still asked about the merged record is declined; its enrolment goes where nothing about it
# was written, and stays, with only what was written, where something was.  A closed cycle
# is left as it was.  All in the merge's transaction, counted in its audit entry.
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E301,Lukas Schmidt,lukas.schmidt2@acme.example,M001,payments,Senior Software Engineer,L4,ic,backend,DE,2026-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
for u in E101 E103 E301; do ok user add --person "$u" --role employee; done
ok cycle create c26 --kind checkin --scope payments --from 2026-10-01 --to 2026-12-31
ok cycle create y26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
for r in E103 E104; do ok --as M001 cycle nominate --cycle y26 --for E101 --reviewer "$r"; done
# Not yet known to be one human, E101 is named a peer of E301.
ok --as M001 cycle nominate --cycle y26 --for E301 --reviewer E101
ok cycle advance --cycle y26 # feedback
printf 'answers:\n  strengths: "Pairs generously"\n' >fb.yaml
ok --as E103 feedback submit --cycle y26 --for E101 fb.yaml
members() { sql "SELECT c.name FROM cycle_members m JOIN cycles c ON c.id = m.cycle_id JOIN people p ON p.id = m.person_id WHERE p.employee_id = '$1' ORDER BY c.name" | paste -sd,; }
[ "$(members E101)" = c26,y26 ] || fail "E101 should be enrolled in both cycles: $(members E101)"

ok person merge E101 --into E301 --reason "rehired under a new id"
expect_out "review cycles: 6 assignments declined as one human's"
# Withdrawn from both running cycles, y26 too, where its enrolment stays with what was written
# (found in review: only the enrolments deleted were counted).
expect_out "review cycles: E101 withdrawn as a reviewee from 2 running cycles"
# c26: nothing was written about E101, so E101 is no reviewee of it any more: the human owes
# one self review, as E301, and M001 one manager review of them.
[ "$(members E101)" = y26 ] || fail "E101 still enrolled in: $(members E101)"
ok --as E301 cycle assignments --cycle c26 --reviewer E301 --json
expect_json '[.assignments[] | select(.status == "active") | "\(.reviewee) \(.relation)"] | join(",")' "E301 self"
ok --as M001 cycle assignments --cycle c26 --json
expect_json '[.assignments[] | select(.reviewee == "E101" or .reviewee == "E301") | "\(.reviewee) \(.relation) \(.status)"] | join(",")' \
	"E301 self active,E301 manager active"
# y26: E103's response about E101 stays with E101's enrolment, done; what was still asked
# (E101's self review, M001's review, E104's peer feedback) is declined, so nothing about
# E101 is pending, late or reminded.
ok cycle assignments --cycle y26 --json
expect_json '[.assignments[] | select(.reviewee == "E101") | "\(.reviewer) \(.relation) \(.status) \(.done)"] | join(",")' \
	"E101 self declined false,M001 manager declined false,E103 peer active true,E104 peer declined false"
# Nobody more is named for the withdrawn record: the human's reviewers are E301's.
run --as M001 cycle nominate --cycle y26 --for E101 --reviewer E102
expect_status 5
expect_err "E101 was merged into E301, whose human is reviewed in cycle 'y26'"
expect_err "--for E301"
ok --as M001 cycle nominate --cycle y26 --for E301 --reviewer E102
# The human's export lists y26's peer feedback twice, about each record enrolled: each entry
# says which (found in review: two alike entries and nothing telling them apart).
ok --as E301 me export
expect_json '[.feedback_received[] | select(.cycle == "y26") | "\(.employee_id) \(.relation)"] | join(",")' \
	"E101 peer,E301 peer"
ok cycle status --cycle y26 --json
expect_json '[.short_of_peers[] | select(startswith("E101") or startswith("E301"))] | join(",")' "E301 (1 of 2)"
# E101's peer work about E301 is now feedback about oneself, which the human may not write:
# declined, so neither owed, late nor reminded (found hunting merges: it was all three).
ok cycle assignments --cycle y26 --json
expect_json '[.assignments[] | select(.reviewee == "E301" and .relation == "peer") | "\(.reviewer) \(.status)"] | join(",")' "E101 declined,E102 active"
ok notify --as-of 2026-12-31T12:00:00Z --dry-run --smtp-url smtp://127.0.0.1:1 --from plumb@acme.example --json
expect_json '[.reminders[] | select(.reviewee == "E101" or .reviewer == "E101")] | length' 0
detail=$(sql "SELECT detail FROM audit_log WHERE action = 'person.merge'")
[ "$(echo "$detail" | jq -r '"\(.assignments_declined) \(.cycles_withdrawn)"')" = "6 2" ] ||
	fail "merge audit detail: $detail"
# One human, one evaluation: E101's enrolment in y26 holds E103's response only, and takes no
# evaluation of its own; the human is evaluated as E301.
ok cycle advance --cycle y26 # manager_review
file ev.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 4, no_evidence_reason: "the refunds rewrite"}
  delivery: {rating: 3, no_evidence_reason: "steady"}
  collaboration: {rating: 4, no_evidence_reason: "pairs a lot"}
case: Strong year.
EOF2
run --as M001 evaluation submit --cycle y26 --person E101 ev.yaml
expect_status 5
expect_err "E101 was merged into E301, whose human is reviewed in cycle 'y26'"
expect_err "--person E301"
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = 0 ] || fail "a refused evaluation was written"
ok --as M001 evaluation submit --cycle y26 --person E301 ev.yaml
# A closed cycle keeps both records as they were reviewed; y26, still running, loses E104.
for _ in 1 2 3; do ok cycle advance --cycle c26; done
ok cycle list --json
expect_json '.[] | select(.name == "c26") | .phase' closed
ok person merge E104 --into E102 --reason "one human"
[ "$(members E104)" = c26 ] || fail "E104 should stay in closed c26 alone: $(members E104)"
ok audit verify
