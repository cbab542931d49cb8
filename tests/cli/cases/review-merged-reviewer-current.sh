# A record merged into another is no leaver's: its human goes on as the record it went into,
# which writes its review work (review-merged-writer.sh).  So an unwritten assignment of the
# merged record keeps its peer place (found hunting merges: it was counted as a leaver's, and
# naming another peer declined it, taking the work from the human who could still write it),
# and its reminders go to the human at the record they use now: its address, its manager
# (found hunting merges: skipped as "the reviewer has left", with the merged record's address
# beside it).
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E301,Lukas Schmidt,lukas.schmidt2@acme.example,M002,search,Senior Software Engineer,L4,ic,backend,DE,2026-03-01,,,,," >>org.csv
echo "M201,Jonas Becker,jonas.becker2@acme.example,H001,payments,Engineering Manager,M2,manager,manager,DE,2026-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
ok cycle create y26 --kind annual --scope payments --due self_review=2026-12-01 --due feedback=2026-12-02
ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer E101
ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer E103
ok cycle advance --cycle y26 # feedback
# E101 is rehired into search as E301; the records are merged.
ok person merge E101 --into E301 --reason "rehired under a new id"
ok cycle assignments --cycle y26 --json
expect_json '[.assignments[] | select(.reviewer == "E101" and .relation == "peer") | .reviewee] | join(",")' "E102"
# E102 has two peers, E101 one of them: a third may be named, not a fourth.
ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer E104
run --as M001 cycle nominate --cycle y26 --for E102 --reviewer E204
expect_status 5
expect_err "E102 has 3 peer reviewers already"
[ "$(sql "SELECT a.status FROM review_assignments a JOIN people p ON p.id = a.reviewer_id WHERE p.employee_id = 'E101' AND a.relation = 'peer'")" = active ] ||
	fail "E101's peer feedback was taken from them as a leaver's"
# The human's load is theirs as E301: E101's peer and upward feedback, so the cap of 3 is
# reached with one more (found hunting merges: E301's own rows alone were counted).
ok cycle status --cycle y26 --json
expect_json '[.loads[] | select(.reviewer == "E301" or .reviewer == "E101") | "\(.reviewer) \(.load)"] | join(",")' "E301 2"
ok --as M001 cycle nominate --cycle y26 --for E104 --reviewer E301
run --as M001 cycle nominate --cycle y26 --for E103 --reviewer E301
expect_status 5
expect_err "E301 holds 3 feedback assignments in cycle 'y26' already, the cap"
# The reminder of E101's peer feedback goes to the human as E301, at E301's address; an
# escalation to E301's manager.
ok notify --as-of 2026-12-01T12:00:00Z --dry-run --smtp-url smtp://127.0.0.1:1 --from plumb@acme.example --json
expect_json '[.reminders[] | select(.reviewer == "E101" and .relation == "peer" and .kind != "escalation") | "\(.outcome) \(.recipient) \(.email)"] | unique | join(",")' \
	"would_send E301 lukas.schmidt2@acme.example"
ok notify --as-of 2026-12-05T12:00:00Z --grace 1 --dry-run --smtp-url smtp://127.0.0.1:1 --from plumb@acme.example --json
expect_json '[.reminders[] | select(.reviewer == "E101" and .relation == "peer" and .kind == "escalation") | "\(.outcome) \(.recipient)"] | unique | join(",")' \
	"would_send M002"
# A manager merged into another record is escalated to as that one: E103's manager M001 is
# rehired as M201 (found hunting merges: the escalation went to M001's address).
ok person merge M001 --into M201 --reason "rehired under a new id"
ok notify --as-of 2026-12-05T12:00:00Z --grace 1 --dry-run --smtp-url smtp://127.0.0.1:1 --from plumb@acme.example --json
expect_json '[.reminders[] | select(.reviewer == "E103" and .relation == "peer" and .kind == "escalation") | "\(.outcome) \(.recipient) \(.email)"] | unique | join(",")' \
	"would_send M201 jonas.becker2@acme.example"
ok audit verify
