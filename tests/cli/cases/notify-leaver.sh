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
