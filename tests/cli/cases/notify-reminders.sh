# plumb notify against a real SMTP server (tests/smtp/smtp-sink.py) and a chat webhook
# (tests/http/apiserver.py): due, overdue and escalation reminders go to exactly the right
# people once each, are recorded with audit entries, a done assignment gets nothing, --dry-run
# sends and records nothing, upward feedback goes by email only and is never escalated, an
# escalation in the chat names nobody late, an unreachable SMTP server fails clearly with
# nothing recorded for what it did not send, a token in the webhook's query is never shown,
# and a password goes without TLS only to the loopback by address or localhost.
export PLUMB_NOW=2026-11-20T00:00:00Z # the org's reporting lines and the cycle start here
ok init
ok org import "$FIXTURES/review/org-reminders.csv"
ok framework import "$FIXTURES/review/framework-minimal.yaml"
ok user add --person E001 --role employee
# Self reviews (M001, E001, E002, E003) due 2026-12-04, upward feedback (E001..E003 on M001)
# 2026-12-18; manager reviews later.
ok cycle create 2026-annual --kind annual --scope core --due self_review=2026-12-04T00:00:00Z \
	--due feedback=2026-12-18T00:00:00Z --due manager_review=2027-01-08T00:00:00Z --due calibration=2027-01-15T00:00:00Z \
	--due signoff=2027-01-22T00:00:00Z --due delivery=2027-01-29T00:00:00Z
# José's self review is done (submitted as plumb feedback submit would store it).
sql "INSERT INTO feedback_responses(assignment_id, version, status, body, created_at, created_by)
  SELECT a.id, 1, 'submitted', '{\"strengths\": \"secret words\"}', 0, 'E003'
  FROM review_assignments a JOIN people p ON p.id = a.reviewee_id
  WHERE p.employee_id = 'E003' AND a.relation = 'self'" || fail "could not submit E003's self review"

smtp_start
dead_smtp=smtp://127.0.0.1:1 # tcpmux: nothing listens there
chat_start
export NOTIFY_CHAT_URL=$CHAT_URL
send=(--smtp-url "$SMTP_URL" --from plumb@acme.example --chat-webhook-env NOTIFY_CHAT_URL)
reminders() { sql "SELECT COUNT(*) FROM reminders"; }
audits() { sql "SELECT COUNT(*) FROM audit_log WHERE action = '$1'"; }

# Nothing to send with, a secret given as a value, and a non-admin: refused, nothing sent.
run notify
expect_status 2
expect_err "plumb: error: no way to send reminders"
run notify --smtp-url "$SMTP_URL"
expect_status 2
expect_err "--smtp-url needs --from"
run notify --chat-webhook-env "$CHAT_URL"
expect_status 2
expect_err "--chat-webhook-env: expected the NAME of an environment variable"
! grep -q XsecretX "$T/err" || fail "the webhook URL was echoed"
run notify --chat-webhook-env UNSET_CHAT_URL
expect_status 2
expect_err "--chat-webhook-env: \$UNSET_CHAT_URL is not set"
run notify --as E001 "${send[@]}"
expect_status 3
[ "$(reminders)" = 0 ] || fail "refused runs recorded reminders"

# Two days before: self reviews are due (within --due-within 2), except José's, which is done.
sent_from=$(date +%s%3N)
ok notify --as-of 2026-12-02T12:00:00Z "${send[@]}"
sent_to=$(date +%s%3N)
expect_out "sent: due by email to Ana Ruiz (E001, ana@acme.example): cycle 2026-annual, assignment"
expect_out "notify as of 2026-12-02T12:00:00.000Z: 6 sent, 0 failed, 0 skipped (1 open cycle, 3 assignments pending)"
[ "$(mails)" = "ana@acme.example Due 2026-12-04: Self review of Ana Ruiz (2026-annual)
bo@acme.example Due 2026-12-04: Self review of Bo Chen (2026-annual)
mia@acme.example Due 2026-12-04: Self review of Mia Manager (2026-annual)" ] || fail "due mails: $(mails)"
[ "$(mails '.[] | select(.to == ["ana@acme.example"]) | .text')" = "Hello Ana Ruiz,

Self review of Ana Ruiz in cycle 2026-annual is due on 2026-12-04.

Please submit it by then.

-- 
plumb review reminders: each reminder is sent once." ] || fail "Ana's mail: $(mails '.[0].text')"
mails '.[] | .from' | sort -u | grep -qx plumb@acme.example || fail "envelope sender: $(mails '.[] | .from')"
mails '.[0].data' | grep -q '^From: "plumb" <plumb@acme.example>' || fail "From header"
[ "$(chats)" = "Ana Ruiz: Self review in cycle 2026-annual is due on 2026-12-04.
Bo Chen: Self review in cycle 2026-annual is due on 2026-12-04.
Mia Manager: Self review in cycle 2026-annual is due on 2026-12-04." ] || fail "due chats: $(chats)"
[ "$(reminders)" = 6 ] || fail "recorded $(reminders) reminders, expected 6"
[ "$(sql "SELECT p.employee_id || ' ' || r.kind || ' ' || r.channel FROM reminders r
  JOIN people p ON p.id = r.recipient_id ORDER BY 1")" = "E001 due chat
E001 due email
E002 due chat
E002 due email
M001 due chat
M001 due email" ] || fail "reminders: $(sql "SELECT * FROM reminders")"
# --as-of (and PLUMB_NOW) say what is due; sent_at is when it went out, by the system clock.
[ "$(sql "SELECT COUNT(*) FROM reminders WHERE sent_at < $sent_from OR sent_at > $sent_to")" = 0 ] ||
	fail "sent_at is not when the run sent: $(sql "SELECT DISTINCT sent_at FROM reminders") not in $sent_from..$sent_to"
[ "$(audits notify.send)" = 6 ] || fail "$(audits notify.send) notify.send entries, expected 6"
ok audit log --json
expect_json '[.[] | select(.action == "notify.send" and .detail.recipient == "E001" and .detail.channel == "email")][0].detail | "\(.cycle) \(.kind) \(.channel)"' "2026-annual due email"
ok audit verify
# Nothing of anyone's feedback goes out.
! grep -q "secret words" "$SMTP_LOG" "$CHAT_LOG" || fail "a reminder carried feedback text"
# cycle status counts them per assignment.
ok cycle assignments --cycle 2026-annual --json
expect_json '[.assignments[] | select(.relation == "self") | "\(.reviewee) \(.reminders)"] | sort | join(",")' "E001 2,E002 2,E003 0,M001 2"

# The same run again sends nothing new.
ok notify --as-of 2026-12-02T12:00:00Z "${send[@]}"
expect_out_lines 1
expect_out "notify as of 2026-12-02T12:00:00.000Z: 0 sent, 0 failed, 0 skipped (1 open cycle, 3 assignments pending)"
[ "$(mails '. | length')" = 3 ] && [ "$(chats | wc -l)" = 3 ] || fail "a second run sent again"

# A dry run past the grace period says what would go, and sends and records nothing.
before=$(counts)
ok notify --as-of 2026-12-09T12:00:00Z "${send[@]}" --dry-run --json
expect_json '"\(.dry_run) \(.would_send) \(.sent) \(.failed)"' "true 12 0 0"
expect_json '[.reminders[] | select(.kind == "escalation" and .channel == "email") | "\(.reviewer)>\(.recipient)"] | sort | join(",")' "E001>M001,E002>M001,M001>D001"
expect_json '[.reminders[].outcome] | unique | join(",")' "would_send"
expect_counts "$before"
[ "$(reminders)" = 6 ] && [ "$(mails '. | length')" = 3 ] && [ "$(chats | wc -l)" = 3 ] ||
	fail "the dry run sent or recorded something"

# Two and a half days late: overdue, not yet escalated (--grace 3).
ok notify --as-of 2026-12-06T12:00:00Z "${send[@]}"
expect_out "6 sent, 0 failed, 0 skipped"
[ "$(mails '[.[] | select(.subject | startswith("Overdue"))] | map("\(.to[0]) \(.subject)") | sort | .[]')" = \
	"ana@acme.example Overdue: Self review of Ana Ruiz (2026-annual), due 2026-12-04
bo@acme.example Overdue: Self review of Bo Chen (2026-annual), due 2026-12-04
mia@acme.example Overdue: Self review of Mia Manager (2026-annual), due 2026-12-04" ] || fail "overdue mails: $(mails)"

# Five and a half days late: each reviewer's manager is told, once.
ok notify --as-of 2026-12-09T12:00:00Z "${send[@]}"
expect_out "notify as of 2026-12-09T12:00:00.000Z: 6 sent, 0 failed, 0 skipped"
[ "$(mails '[.[] | select(.subject | startswith("Escalation"))] | map("\(.to[0]) \(.subject)") | sort | .[]')" = \
	"dana@acme.example Escalation: Self review of Mia Manager is 5 days overdue (2026-annual)
mia@acme.example Escalation: Self review of Ana Ruiz is 5 days overdue (2026-annual)
mia@acme.example Escalation: Self review of Bo Chen is 5 days overdue (2026-annual)" ] || fail "escalations: $(mails)"
# The channel is told whose follow-up it is, not who is late (a self review's writer is the
# person reviewed).
chats | grep -qx "Dana Director: Self review by one of your reports in cycle 2026-annual is 5 days overdue (due 2026-12-04)." ||
	fail "escalation chat: $(chats)"
[ "$(chats | grep -c "by one of your reports")" = 3 ] || fail "escalation chats: $(chats)"
[ "$(mails '[.[] | select(.to == ["jose@acme.example"])] | length')" = 0 ] || fail "José's done self review was reminded"
[ "$(reminders)" = 18 ] || fail "recorded $(reminders), expected 18"
ok notify --as-of 2026-12-11T00:00:00Z "${send[@]}"
expect_out "0 sent, 0 failed, 0 skipped"

# The feedback phase: upward feedback on Mia is due.  An unreachable SMTP server: a clear
# error, exit 1, and nothing recorded for what was not sent; the chat is not used for upward
# feedback (Mia would see who has not written yet).
ok cycle advance --cycle 2026-annual
# Upgraded from schema 21 here (its 18 reminders kept), so the ids below are the migrated
# table's; its newest reminder removed there first, as a failed send was, so that its id is
# left only in the audit log: the upgrade starts the counter past it (found in review).
undo_schema_22
top=$(sql "SELECT MAX(id) FROM reminders")
sql "CREATE TABLE kept_reminder AS SELECT * FROM reminders WHERE id = $top; DELETE FROM reminders WHERE id = $top"
ok cycle status --cycle 2026-annual
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 25 ] || fail "not migrated"
sql "INSERT INTO reminders(cycle_id, assignment_id, recipient_id, kind, channel, sent_at)
  SELECT cycle_id, assignment_id, recipient_id, kind, channel, sent_at FROM kept_reminder; DROP TABLE kept_reminder"
[ "$(sql "SELECT MAX(id) FROM reminders")" -gt "$top" ] || fail "reminder $top given again after the upgrade"
audit_before=$(audits notify.send)
run notify --as-of 2026-12-17T00:00:00Z --smtp-url "$dead_smtp" --from plumb@acme.example --chat-webhook-env NOTIFY_CHAT_URL
expect_status 1
expect_err "plumb: error: 3 of 3 reminders could not be sent"
expect_err "detail: first: $dead_smtp: cannot send mail: "
expect_err "hint: is the SMTP server running and --smtp-url right?"
expect_out "failed: due by email to Ana Ruiz (E001, ana@acme.example): cycle 2026-annual, assignment"
expect_out "not attempted: the SMTP server failed earlier in this run"
expect_out "0 sent, 3 failed, 0 skipped"
[ "$(reminders)" = 18 ] || fail "failed sends were recorded: $(reminders)"
# The one attempted was claimed and released, both audited; the others were not tried.
[ "$(audits notify.send)" = $((audit_before + 1)) ] && [ "$(audits notify.failed)" = 1 ] ||
	fail "audit: $(audits notify.send) notify.send, $(audits notify.failed) notify.failed"
ok audit log --json
expect_json '[.[] | select(.action == "notify.failed")][0].detail.error | startswith("'"$dead_smtp"': cannot send mail")' true
[ "$(chats | wc -l)" = 9 ] || fail "upward reminders went to the chat: $(chats)"

# With the chat alone they cannot go out at all: each is reported skipped, saying why (found
# in review: dropped silently, 0 sent and 0 skipped).
ok notify --as-of 2026-12-17T00:00:00Z --chat-webhook-env NOTIFY_CHAT_URL --dry-run --json
expect_json '"\(.would_send) \(.skipped)"' "0 3"
expect_json '[.reminders[].why] | unique | join(",")' "upward feedback is reminded by email only, and no SMTP server is set (--smtp-url)"
[ "$(chats | wc -l)" = 9 ] || fail "upward reminders went to the chat: $(chats)"

# The next run with the server up sends them.
ok notify --as-of 2026-12-17T00:00:00Z "${send[@]}"
expect_out "3 sent, 0 failed, 0 skipped (1 open cycle, 3 assignments pending)"
[ "$(mails '[.[] | select(.subject | contains("Upward"))] | map("\(.to[0]) \(.subject)") | sort | .[]')" = \
	"ana@acme.example Due 2026-12-18: Upward feedback for Mia Manager (2026-annual)
bo@acme.example Due 2026-12-18: Upward feedback for Mia Manager (2026-annual)
jose@acme.example Due 2026-12-18: Upward feedback for Mia Manager (2026-annual)" ] || fail "upward mails: $(mails)"
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 25 ] || fail "not migrated"
# The failed send's id is not given again (found: on SQLite the next reminder took the
# released row's id, so two audit entries named different reminders by one id).
sent_ids=$(sql "SELECT detail FROM audit_log WHERE action = 'notify.send'" | jq -r .reminder)
[ "$(echo "$sent_ids" | sort | uniq -d)" = "" ] || fail "reminder ids given twice: $(echo "$sent_ids" | sort | uniq -d | tr '\n' ' ')"
[ "$(echo "$sent_ids" | wc -l)" = 22 ] || fail "$(echo "$sent_ids" | wc -l) notify.send entries, expected 22"
# José's name is an RFC 2047 word in To: (base64 of the UTF-8 bytes).
mails '.[] | select(.to == ["jose@acme.example"]) | .data' | grep -q '^To: =?UTF-8?B?Sm9zw6kgTsO6w7Fleg==?= <jose@acme.example>' ||
	fail "To: of José: $(mails '.[] | select(.to == ["jose@acme.example"]) | .data' | head -5)"
# Long past due: overdue to the writers, never an escalation to Mia about her own upward feedback.
ok notify --as-of 2026-12-30T00:00:00Z "${send[@]}" --json
expect_json '[.reminders[] | "\(.kind) \(.channel) \(.recipient)"] | sort | join(",")' "overdue email E001,overdue email E002,overdue email E003"
[ "$(chats | wc -l)" = 9 ] || fail "upward reminders went to the chat: $(chats)"

# Manager reviews, to a webhook whose secret is in its query and that echoes it in its error:
# the token is redacted on stderr and in the notify.failed entries.
ok cycle advance --cycle 2026-annual
export KEYED_CHAT_URL="$API_URL/hooks/T0001/B0002/XkeyedX?key=k1&token=XqueryXsecretX"
failed_before=$(audits notify.failed)
run notify --as-of 2027-01-07T00:00:00Z --chat-webhook-env KEYED_CHAT_URL
expect_status 1
expect_err "(URL from \$KEYED_CHAT_URL): answered HTTP 403"
expect_out "invalid token <redacted> for key k1"
! grep -q XqueryXsecretX "$T/out" "$T/err" || fail "the webhook's token was shown"
[ "$(audits notify.failed)" -gt "$failed_before" ] || fail "no notify.failed entry"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%XqueryXsecretX%'")" = 0 ] ||
	fail "the webhook's token is in the audit log"
# A password goes in clear only to this machine by its address, or to localhost: a host name
# that merely starts with "127." needs TLS, which the sink does not offer (curl resolves
# *.localhost to the loopback itself).
export SMTP_PW=not-for-the-wire
run notify --as-of 2027-01-07T00:00:00Z --smtp-url "smtp://127.localhost:$SMTP_PORT" --from plumb@acme.example \
	--smtp-user plumb --smtp-password-env SMTP_PW
expect_status 1
expect_err "hint: a password is only sent over TLS"
ok audit verify
