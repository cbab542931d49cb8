# Reminders are not sent to a reviewer who has left (found in review: E104, gone since the cycle
# began, was sent an overdue reminder of their self review, and would have been of the peer
# feedback they were named for): each such reminder is skipped, saying why, and the others go.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create y26 --kind annual --scope payments --due self_review=2026-12-01 --due feedback=2026-12-02
ok user add --person M001 --role manager
ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer E104
sed -E 's/^(E104,.*,20[0-9]{2}-[0-9]{2}-[0-9]{2}),,/\1,2026-01-31,/' "$FIXTURES/org-small.csv" >org2.csv
grep -q '^E104,.*,2026-01-31,' org2.csv || fail "the org file did not end E104"
ok org import org2.csv
# Self reviews are overdue as of 2026-12-01T12:00.
ok notify --as-of 2026-12-01T12:00:00Z --dry-run --smtp-url smtp://127.0.0.1:1 --from plumb@acme.example --json
expect_json '[.reminders[] | select(.reviewer == "E104") | .outcome] | unique | join(",")' skipped
expect_json '[.reminders[] | select(.reviewer == "E104") | .why] | unique | join(",")' "the reviewer has left"
expect_json '[.reminders[] | select(.reviewer == "E104") | .relation] | unique | join(",")' self
expect_json '[.reminders[] | select(.reviewer == "E101" and .relation == "self") | .outcome] | join(",")' would_send
# In the feedback phase E104's peer and upward feedback are due within two days: skipped too.
ok cycle advance --cycle y26
ok notify --as-of 2026-12-01T12:00:00Z --dry-run --smtp-url smtp://127.0.0.1:1 --from plumb@acme.example --json
expect_json '[.reminders[] | select(.reviewer == "E104") | "\(.relation) \(.outcome) \(.why)"] | unique | join(",")' \
	"peer skipped the reviewer has left,upward skipped the reviewer has left"
# A reminder sent to a record since merged is not sent again to their human's record (found in
# review: E101's, sent before E101 was merged into E203, went out again to E203).
ok notify --as-of 2026-12-01T12:00:00Z --dry-run --smtp-url smtp://127.0.0.1:1 --from plumb@acme.example --json
expect_json '[.reminders[] | select(.reviewer == "E101") | "\(.relation) \(.kind) \(.outcome)"] | join(",")' \
	"upward due would_send"
sql "INSERT INTO reminders(cycle_id, assignment_id, recipient_id, kind, channel, sent_at) SELECT a.cycle_id, a.id, a.reviewer_id, 'due', 'email', 0 FROM review_assignments a JOIN people p ON p.id = a.reviewer_id WHERE p.employee_id = 'E101' AND a.relation = 'upward'"
ok person merge E101 --into E203 --reason "one human"
ok notify --as-of 2026-12-01T12:00:00Z --dry-run --smtp-url smtp://127.0.0.1:1 --from plumb@acme.example --json
expect_json '[.reminders[] | select(.recipient == "E101" or .recipient == "E203") | "\(.relation) \(.kind) \(.outcome)"] | join(",")' ""
