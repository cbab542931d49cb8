# Retention defers a review cycle's feedback until the cycle closes.  A feedback_text rule
# shorter than a cycle deleted the self review E101 submitted in a cycle still open: the
# assignment counted as not done and plumb notify reminded E101 as overdue for work they had
# done.  The plan counts such rows as deferred, saying why, and apply leaves them; once the
# cycle closes they go.  Anonymize waits the same way: the manager still reads the words.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person E101 --role employee
sed -e 's/feedback_text: {days: 730, action: delete}/feedback_text: {days: 30, action: delete}/' \
	"$ROOT/examples/policy.yaml" >policy.yaml
grep -q "feedback_text: {days: 30, action: delete}" policy.yaml || fail "policy edit"
ok policy import policy.yaml

# A check-in opened 60 days ago whose self review was due 5 days ago and is not closed yet
# (phases move with cycle advance); E101 did theirs 60 days ago.
PLUMB_NOW=$(ago 60) ok cycle create q3 --kind checkin --scope payments --from "$(ago 150)" --to "$(ago 60)" \
	--due "self_review=$(ago 5)" --due "manager_review=$(ago -20)" --due "delivery=$(ago -30)"
printf 'answers:\n  strengths: "Shipped refunds"\n  blockers: "none"\n' >self.yaml
PLUMB_NOW=$(ago 60) ok --as E101 feedback submit --cycle q3 --for E101 self.yaml
done_of_e101() { sql "SELECT COUNT(*) FROM feedback_responses f JOIN review_assignments a ON a.id = f.assignment_id JOIN people p ON p.id = a.reviewee_id WHERE p.employee_id = 'E101' AND a.relation = 'self'"; }
[ "$(done_of_e101)" = 1 ] || fail "E101's self review was not stored"

ok retention plan --json
expect_json '.lines[] | select(.category == "feedback_text" and .country == "DE") | "\(.due) \(.affected) \(.held) \(.deferred) \(.deferred_reason)"' \
	"1 0 0 1 its review cycle is not closed yet: it is done once the cycle closes"
expect_json '.deferred' 1
ok retention plan
expect_out "feedback_text, DE: 30 days, delete: cutoff"
expect_out "1 past it, 0 to do (delete), 1 deferred (its review cycle is not closed yet: it is done once the cycle closes)"
expect_out "total: 0 rows to delete, anonymize or redact, 0 held, 1 deferred until their review cycles close"
ok retention apply --json
expect_json '.lines[] | select(.category == "feedback_text" and .country == "DE") | "\(.affected) \(.deferred)"' "0 1"
[ "$(done_of_e101)" = 1 ] || fail "retention deleted a response of a cycle still open"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'retention.apply' AND object_id = 'feedback_text'")" = 0 ] ||
	fail "a feedback batch was applied"
# Done, so no reminder for it: only the others' self reviews are overdue.
export NOTIFY_CHAT_URL=http://127.0.0.1:1/hook # a dry run sends nothing
ok notify --dry-run --json --chat-webhook-env NOTIFY_CHAT_URL
expect_json '[.reminders[] | select(.reviewer == "E101")] | length' 0

# Anonymize waits the same way.
sed -i 's/feedback_text: {days: 30, action: delete}/feedback_text: {days: 30, action: anonymize}/' policy.yaml
ok policy import policy.yaml
ok retention apply --json
expect_json '.lines[] | select(.category == "feedback_text" and .country == "DE") | "\(.affected) \(.deferred)"' "0 1"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses WHERE body LIKE '%Shipped refunds%'")" = 1 ] ||
	fail "retention anonymized a response of a cycle still open"

# Closed, the cycle's feedback goes at the next apply.
for _ in 1 2 3; do ok cycle advance --cycle q3; done
[ "$(sql "SELECT phase FROM cycles WHERE name = 'q3'")" = closed ] || fail "q3 did not close"
sed -i 's/feedback_text: {days: 30, action: anonymize}/feedback_text: {days: 30, action: delete}/' policy.yaml
ok policy import policy.yaml
ok retention apply --json
expect_json '.lines[] | select(.category == "feedback_text" and .country == "DE") | "\(.affected) \(.deferred)"' "1 0"
[ "$(done_of_e101)" = 0 ] || fail "the closed cycle's response was kept"
ok audit verify
