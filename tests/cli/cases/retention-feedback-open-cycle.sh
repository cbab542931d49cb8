# Retention defers a review cycle's review data until the cycle closes.  A feedback_text rule
# shorter than a cycle deleted the manager feedback M001 submitted on E101 in a cycle still
# open: the assignment counted as not done and plumb notify reminded M001 as overdue for work
# they had done; an evaluations rule deleted the evaluation calibration was to weigh.  The
# plan counts such rows as deferred, saying why, and apply leaves them; once the cycle closes
# they go.  Anonymize waits the same way: the manager still reads the words.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person E101 --role employee
ok user add --person M001 --role manager
sed -e 's/feedback_text: {days: 730, action: delete}/feedback_text: {days: 30, action: delete}/' \
	-e 's/evaluations: {days: 2555, action: delete}/evaluations: {days: 30, action: delete}/' \
	"$ROOT/examples/policy.yaml" >policy.yaml
grep -q "evaluations: {days: 30, action: delete}" policy.yaml || fail "policy edit"
ok policy import policy.yaml

# A check-in opened 60 days ago whose manager review was due 5 days ago and is not closed yet
# (phases move with cycle advance); E101 did their self review 60 days ago, M001 their
# feedback on E101 and its evaluation 45 days ago.
PLUMB_NOW=$(ago 60) ok cycle create q3 --kind checkin --scope payments --from "$(ago 150)" --to "$(ago 60)" \
	--due "self_review=$(ago 50)" --due "manager_review=$(ago 5)" --due "delivery=$(ago -30)"
printf 'answers:\n  strengths: "Shipped refunds"\n  blockers: "none"\n' >self.yaml
PLUMB_NOW=$(ago 60) ok --as E101 feedback submit --cycle q3 --for E101 self.yaml
PLUMB_NOW=$(ago 50) ok cycle advance --cycle q3
printf 'answers:\n  strengths: "Refunds, steady"\n' >manager.yaml
PLUMB_NOW=$(ago 45) ok --as M001 feedback submit --cycle q3 --for E101 manager.yaml
printf 'case: A steady quarter on refunds.\n' >ev.yaml
PLUMB_NOW=$(ago 45) ok --as M001 evaluation submit --cycle q3 --person E101 ev.yaml
self_of_e101() { sql "SELECT COUNT(*) FROM feedback_responses f JOIN review_assignments a ON a.id = f.assignment_id JOIN people p ON p.id = a.reviewee_id WHERE p.employee_id = 'E101'"; }
evaluations_of_e101() { sql "SELECT COUNT(*) FROM evaluations e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E101'"; }
[ "$(self_of_e101) $(evaluations_of_e101)" = "2 1" ] || fail "E101's self review, manager feedback or evaluation was not stored"

why="its review cycle is not closed yet: it is done once the cycle closes"
line() { echo ".lines[] | select(.category == \"$1\" and .country == \"DE\")"; }
ok retention plan --json
expect_json "$(line feedback_text) | \"\(.due) \(.affected) \(.held) \(.deferred) \(.deferred_reason)\"" "2 0 0 2 $why"
expect_json "$(line evaluations) | \"\(.due) \(.affected) \(.held) \(.deferred) \(.deferred_reason)\"" "1 0 0 1 $why"
expect_json "$(line events) | \"\(.deferred) \(.deferred_reason)\"" "0 null"
expect_json '.deferred' 3
ok retention plan
expect_out "feedback_text, DE: 30 days, delete: cutoff"
expect_out "2 past it, 0 to do (delete), 2 deferred ($why)"
expect_out "total: 0 rows to delete, anonymize or redact, 0 held, 3 deferred until their review cycles close"
ok retention apply --json
expect_json "$(line feedback_text) | \"\(.affected) \(.deferred)\"" "0 2"
expect_json "$(line evaluations) | \"\(.affected) \(.deferred)\"" "0 1"
[ "$(self_of_e101) $(evaluations_of_e101)" = "2 1" ] || fail "retention deleted review data of a cycle still open"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'retention.apply' AND object_id IN ('feedback_text', 'evaluations')")" = 0 ] ||
	fail "a review data batch was applied"
# plumb me tells E101 no date for their self review while it waits for the cycle (found in
# review: the date retention would have deleted it by, "has been due since" 30 days).
ok --as E101 me --json
expect_json '.holdings[] | select(.what == "self reviews you wrote") | "\(.count) \(.retention.next)"' "1 null"
ok --as E101 me
expect_out "self reviews you wrote: 1,"
expect_no_out "has been due since"
# Done, so no reminder for it: only the manager feedback M001 has not written is overdue.
export NOTIFY_CHAT_URL=http://127.0.0.1:1/hook # a dry run sends nothing
ok notify --dry-run --json --chat-webhook-env NOTIFY_CHAT_URL
expect_json '[.reminders[] | select(.reviewer == "M001")] | length > 0' true
expect_json '[.reminders[] | select(.reviewee == "E101")] | length' 0
expect_json '[.reminders[] | select(.reviewee == "E102")] | length > 0' true

# Anonymize waits the same way.
sed -i -e 's/feedback_text: {days: 30, action: delete}/feedback_text: {days: 30, action: anonymize}/' \
	-e 's/evaluations: {days: 30, action: delete}/evaluations: {days: 30, action: anonymize}/' policy.yaml
ok policy import policy.yaml
ok retention apply --json
expect_json "$(line feedback_text) | \"\(.affected) \(.deferred)\"" "0 2"
expect_json "$(line evaluations) | \"\(.affected) \(.deferred)\"" "0 1"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses WHERE body LIKE '%Shipped refunds%' OR body LIKE '%Refunds, steady%'") $(sql "SELECT COUNT(*) FROM evaluations WHERE manager_case <> ''")" = "2 1" ] ||
	fail "retention anonymized review data of a cycle still open"

# Closed, the cycle's review data goes at the next apply, as plumb me now says.
close_cycle q3
ok --as E101 me --json
expect_json '.holdings[] | select(.what == "self reviews you wrote") | .retention.next' \
	"$(date -u -d "@$((NOW - 60 * 86400 + 30 * 86400))" +%Y-%m-%dT%H:%M:%S.000Z)"
sed -i -e 's/feedback_text: {days: 30, action: anonymize}/feedback_text: {days: 30, action: delete}/' \
	-e 's/evaluations: {days: 30, action: anonymize}/evaluations: {days: 30, action: delete}/' policy.yaml
ok policy import policy.yaml
ok retention apply --json
expect_json "$(line feedback_text) | \"\(.affected) \(.deferred)\"" "2 0"
expect_json "$(line evaluations) | \"\(.affected) \(.deferred)\"" "1 0"
[ "$(self_of_e101) $(evaluations_of_e101)" = "0 0" ] || fail "the closed cycle's review data was kept"
ok audit verify
