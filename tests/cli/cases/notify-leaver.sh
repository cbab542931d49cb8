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
# An escalation goes once per row: sent to M001 about E102's self review, it is not sent again
# to M002, whom E102 reports to after a reorganization (found in review: it was); E103's goes.
sql "INSERT INTO reminders(cycle_id, assignment_id, recipient_id, kind, channel, sent_at) SELECT a.cycle_id, a.id, m.id, 'escalation', 'email', 0 FROM review_assignments a JOIN people p ON p.id = a.reviewee_id JOIN people m ON m.employee_id = 'M001' WHERE p.employee_id = 'E102' AND a.relation = 'self'"
sed 's/^\(E102,"Nguyen, Minh",[^,]*,\)M001,/\1M002,/' org2.csv >org3.csv
grep -q '^E102,.*,M002,payments,' org3.csv || fail "the org file did not move E102"
ok org import org3.csv
# Nor is an escalation sent to M002 about E103's self review one sent to E103's manager: E103 moves
# to M002 only in 2099 (found in review: a line still to come counted, and E103's was dropped).
sql "INSERT INTO reminders(cycle_id, assignment_id, recipient_id, kind, channel, sent_at) SELECT a.cycle_id, a.id, m.id, 'escalation', 'email', 0 FROM review_assignments a JOIN people p ON p.id = a.reviewee_id JOIN people m ON m.employee_id = 'M002' WHERE p.employee_id = 'E103' AND a.relation = 'self'"
sed 's/^\(E103,Sofia Rossi,[^,]*,\)M001,/\1M002,/' org3.csv >org4.csv
grep -q '^E103,.*,M002,payments,' org4.csv || fail "the org file did not move E103"
ok org import org4.csv --effective 2099-01-01
ok notify --as-of 2026-12-20T00:00:00Z --dry-run --smtp-url smtp://127.0.0.1:1 --from plumb@acme.example --json
expect_json '[.reminders[] | select(.kind == "escalation" and .relation == "self" and (.reviewee == "E102" or .reviewee == "E103")) | "\(.reviewee) \(.recipient)"] | join(",")' "E103 M001"
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
# A send that fails puts back only the record its run claimed: where another run, planned before,
# holds it by then, it is kept (found in review: deleted, or put back over theirs).  The SMTP
# server holds the first message until the record has changed hands, then hangs up.
python3 - "$T/stall.port" "$T/stall.go" <<'PY' &
import os, socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
c, _ = s.accept()
while not os.path.exists(sys.argv[2]):
    time.sleep(0.05)
c.close()
PY
stall=$!
at_exit "kill $stall 2>/dev/null"
wait_until 10 test -s "$T/stall.port" || fail "the stalling SMTP server did not start"
"$PLUMB" notify --as-of 2026-12-01T12:00:00Z --smtp-url "smtp://127.0.0.1:$(cat "$T/stall.port")" \
	--from plumb@acme.example >"$T/notify.out" 2>&1 &
notifier=$!
claimed() { [ "$(sql "SELECT COUNT(*) FROM reminders WHERE sent_at > 1000")" = 1 ]; }
wait_until 20 claimed || fail "notify claimed no reminder: $(cat "$T/notify.out")"
sql "UPDATE reminders SET sent_at = 7 WHERE sent_at > 1000" # as another run's record
touch "$T/stall.go"
wait "$notifier" && fail "the send did not fail: $(cat "$T/notify.out")"
[ "$(sql "SELECT COUNT(*) FROM reminders WHERE sent_at = 7")" = 1 ] ||
	fail "the other run's record was not kept: $(cat "$T/notify.out")"
