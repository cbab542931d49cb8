# The reviewee's manager in the cycle leaves mid-cycle: the manager review they had not done is
# owed by the reviewee's manager now, who stands in (found in review: it was withdrawn, owed by
# nobody, and only a people partner could rate E102; in a cycle without ratings nobody could write
# it, and only the leaver could decide on E102's nominations). Where the reviewee's manager now is
# the leaver, nobody can: the review is unowned, not withdrawn. While the manager in the cycle
# is with the org, a manager the reviewee moved to neither rates nor decides.
init_db
export PLUMB_NOW=2026-11-01T00:00:00Z
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for p in E102 E103; do ok user add --person "$p" --role employee; done
for p in M001 M002; do ok user add --person "$p" --role manager; done
for c in "a26 --ratings yes" "c26 --ratings no"; do
	# shellcheck disable=SC2086 # the name and its option
	ok cycle create $c --kind annual --scope payments --due self_review=2026-11-10 \
		--due feedback=2026-11-20 --due manager_review=2026-11-30
done
ok --as E102 cycle nominate --cycle a26 --for E102 --reviewer E104
file e.yaml <<'YAML'
ratings:
  technical_skill: {rating: 3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: 3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
YAML
file fb.yaml <<'YAML'
answers:
  strengths: Took the ledger over when Jonas left.
YAML
# E102 moves to M002 (in payments still); M001 is still there: M002 may neither rate E102 nor
# decide on E102's nominations, and M001 owes the review.
sed 's/^\(E102,"Nguyen, Minh",[^,]*,\)M001,/\1M002,/' "$FIXTURES/org-small.csv" >org2.csv
grep -q '^E102,.*,M002,payments,' org2.csv || fail "the org file did not move E102"
PLUMB_NOW=2026-11-03T00:00:00Z ok org import org2.csv
export PLUMB_NOW=2026-11-04T00:00:00Z
run --as M002 evaluation submit --cycle a26 --person E102 "$T/e.yaml"
expect_status 3
run --as M002 cycle decide --cycle a26 --for E102 --reviewer E104 --decision approve
expect_status 3
# M001 saves a draft of E102's review before leaving: theirs, not the stand-in's.
ok --as M001 feedback submit --cycle c26 --for E102 "$T/fb.yaml" --draft
ok cycle status --cycle a26 --json
expect_json '[.assignments[] | select(.reviewee == "E102" and .relation == "manager") | "\(.writer) \(.unowned)"] | join(",")' "M001 false"
# M001 leaves on 2026-11-05, and so does E103 as E203, the record person merge folded it into
# (not in the cycle): one leaver, named as E203.
ok person merge E103 --into E203 --reason "one human"
sed -E 's/^((M001|E203),.*,20[0-9]{2}-[0-9]{2}-[0-9]{2}),,/\1,2026-11-05,/' org2.csv >org3.csv
[ "$(grep -c ',2026-11-05,' org3.csv)" = 2 ] || fail "the org file did not end M001 and E203"
ok org import org3.csv
export PLUMB_NOW=2026-11-12T00:00:00Z
ok cycle status --cycle a26 --json
expect_json '[.assignments[] | select(.relation == "manager" and (.reviewee == "E101" or .reviewee == "E102")) | "\(.reviewee) \(.writer) \(.withdrawn) \(.unowned)"] | join(",")' \
	"E101 M001 false true,E102 M002 false false"
expect_json '.left | map(.person) | join(",")' "E203,M001"
expect_json '.left[0].withdrawn | sort | join(",")' \
	"manager review of E103 by M001,self review of E103,upward feedback on M001 by E203"
expect_json '[.left[1].withdrawn[] | select(test("manager review of E10[124]"))] | length' 0
# They are listed under M001 as moved, saying where to (found in review: gone from the entry).
expect_json '.left[1].moved | join(",")' \
	"manager review of E101 owed by nobody yet,manager review of E102 to M002,manager review of E104 owed by nobody yet"
ok --as M002 cycle assignments --cycle a26 --reviewer M002
grep -Eq '^E102 +M002 for M001 +manager +active +manager_review +2026-11-30 *$' "$T/out" ||
	fail "M002 is not shown owing E102's manager review"
ok cycle assignments --cycle a26
grep -Eq '^E101 +M001 +manager +active +manager_review +2026-11-30 +unowned *$' "$T/out" ||
	fail "E101's manager review is not shown unowned"
ok --as M002 cycle decide --cycle a26 --for E102 --reviewer E104 --decision approve
ok --as M002 cycle nominate --cycle a26 --for E102 --reviewer E101 --json
expect_json .status active
# M001's draft is not shown as M002's (found in review: "draft saved" on M002's row).
ok cycle assignments --cycle c26 --json
expect_json '[.assignments[] | select(.reviewee == "E102" and .relation == "manager") | "\(.writer) \(.draft)"] | join(",")' "M002 false"
# Without ratings the manager review is the manager's written feedback: M002 writes it and reads
# it back; M001 (their user disabled) cannot, nor may M002 write E101's (unowned).
ok --as M002 feedback submit --cycle c26 --for E102 "$T/fb.yaml"
expect_out "manager feedback on E102 submitted (version 2)" # after M001's draft
ok --as M002 feedback show --cycle c26 --for E102 --mine
expect_out "(1 version)"
run --as M001 feedback submit --cycle c26 --for E102 "$T/fb.yaml"
expect_status 3
run --as M002 feedback submit --cycle c26 --for E101 "$T/fb.yaml"
expect_status 3
ok cycle assignments --cycle c26 --json
expect_json '[.assignments[] | select(.reviewee == "E102" and .relation == "manager") | "\(.writer) \(.done) \(.withdrawn)"] | join(",")' "M002 true false"
# Reminders of the manager review go to M002, also where M001 was sent one before leaving (an
# earlier run's record; found in review: M002 was never reminded); E101's is skipped, saying
# why, and pending.
ok cycle advance --cycle a26
ok cycle advance --cycle a26
sql "INSERT INTO reminders(cycle_id, assignment_id, recipient_id, kind, channel, sent_at) SELECT a.cycle_id, a.id, a.reviewer_id, 'due', 'email', 0 FROM review_assignments a JOIN cycles c ON c.id = a.cycle_id JOIN people p ON p.id = a.reviewee_id WHERE c.name = 'a26' AND a.relation = 'manager' AND p.employee_id = 'E102'"
# And an escalation about M001, before leaving, to H001, who manages M002 too: about M001, not
# M002 (found in review: counted as M002's, and H001 never told M002 was late).
sql "INSERT INTO reminders(cycle_id, assignment_id, recipient_id, kind, channel, sent_at) SELECT r.cycle_id, r.assignment_id, h.id, 'escalation', 'email', 0 FROM reminders r, people h WHERE r.kind = 'due' AND h.employee_id = 'H001'"
# Counted as sent to who owes it now (found in review: M001's, counted as M002's).
ok cycle assignments --cycle a26 --json
expect_json '[.assignments[] | select(.reviewee == "E102" and .relation == "manager") | .reminders | tostring] | join(",")' 0
ok notify --as-of 2026-11-29T00:00:00Z --dry-run --smtp-url smtp://127.0.0.1:1 --from plumb@acme.example --json
expect_json '[.reminders[] | select(.cycle == "a26" and .relation == "manager" and (.reviewee == "E101" or .reviewee == "E102")) | "\(.reviewee) \(.recipient) \(.outcome) \(.why // "")"] | join(",")' \
	"E101 M001 skipped the manager in the cycle has left, and the reviewee has no manager now to stand in,E102 M002 would_send "
smtp_start
for sent in "M002 sent" ""; do # once sent to M002, not again
	ok notify --as-of 2026-11-29T00:00:00Z --smtp-url "$SMTP_URL" --from plumb@acme.example --json
	expect_json '[.reminders[] | select(.cycle == "a26" and .reviewee == "E102" and .relation == "manager") | "\(.recipient) \(.outcome)"] | join(",")' "$sent"
done
[ "$(mails | grep -c '^priya.raman@acme.example ')" -ge 1 ] || fail "M002 got no reminder: $(mails)"
# Escalated to M002's manager, it names M002, who owes it (found in review: M001).
ok notify --as-of 2026-12-10T00:00:00Z --smtp-url "$SMTP_URL" --from plumb@acme.example
mails | grep -q '^dana.whitfield@acme.example Escalation: Manager review of Nguyen, Minh by Priya Raman ' ||
	fail "the escalation does not name M002: $(mails)"
smtp_stop
PLUMB_NOW=2026-12-01T00:00:00Z ok cycle status --cycle a26
expect_out "M002 (Priya Raman) owes manager feedback on E102 in place of M001, due 2026-11-30; 3 reminders sent"
expect_out "nobody owes manager feedback on E101 (M001 has left, and E101 has no manager now to stand in), due 2026-11-30"
# The cycle's page says the same, and lists the leavers.
tok=$(token admin read)
serve
http GET /cycles/a26 -H "Authorization: Bearer $tok"
expect_http 200
grep -q 'owed by nobody yet: the manager in the cycle has left' "$T/out" || fail "the page does not say E101's review is unowned"
grep -q 'Jonas Becker (M001) (now Priya Raman (M002))' "$T/out" || fail "the page does not name M002 for E102's review"
grep -q 'Kenji Sato (E203) left on' "$T/out" || fail "the page does not list E203 as a leaver"
# M002's review work lists it, as theirs to write.
http GET /reviews -H "Authorization: Bearer $(token M002 read)"
expect_http 200
grep -q 'Nguyen, Minh (E102)</th><td>Manager' "$T/out" || fail "M002's review work does not list E102's manager review"
stop_server
ok --as M002 evaluation submit --cycle a26 --person E102 "$T/e.yaml"
expect_out "evaluation of E102 in cycle a26: version 1 stored"
ok cycle status --cycle a26 --json
expect_json '[.assignments[] | select(.reviewee == "E102" and .relation == "manager") | "\(.writer) \(.done) \(.withdrawn)"] | join(",")' "M002 true false"
ok cycle assignments --cycle a26
grep -Eq '^E102 +M002 for M001 +manager +active +manager_review +2026-11-30 +2026-11-12 *$' "$T/out" ||
	fail "E102's manager review is not shown written by M002"
ok --as M002 evaluation history --cycle a26 --person E102
expect_out "version 1 (manager) by M002"
# M002 is no manager of E101 (still M001's report, in the file): refused.
run --as M002 evaluation submit --cycle a26 --person E101 "$T/e.yaml"
expect_status 3
# A people partner over E101 writes it (owed by nobody), then the admin, a user with no person
# (granted the role as older versions could): each in M001's place, standing in for nobody
# (found in review: "E204 for M001", then M001's own).
ok user add --person E204 --role people-partner:payments
sql "INSERT INTO user_roles(user_id, role) SELECT id, 'people-partner' FROM users WHERE name = 'admin'"
for by in E204 admin; do
	ok --as $by evaluation submit --cycle a26 --person E101 "$T/e.yaml" --reason "written for M001"
	ok cycle assignments --cycle a26
	grep -Eq "^E101 +written by $by in place of M001 +manager " "$T/out" ||
		fail "E101's manager review is not shown written by $by: $(grep '^E101 .*manager' "$T/out")"
done
ok cycle status --cycle a26 --json
expect_json '.left[] | select(.person == "M001") | .moved | join(",")' \
	"manager review of E101 written by admin,manager review of E102 to M002,manager review of E104 owed by nobody yet"
# From delivery E102 reads their manager review's row: as an analyst (masked), it names M002
# who wrote it by M002's own pseudonym (found in review: M001's, the leaver's).
for _ in 1 2 3; do ok cycle advance --cycle a26; done
ok user add --person E102 --role analyst
ok --as E102 cycle status --cycle a26 --json
expect_json '[.assignments[] | select(.relation == "manager") | "\(.reviewee) \(.writer != .reviewer) \(.writer | startswith("P-"))"] | join(",")' \
	"E102 true true"
# E102 then moves to H001: M002 stood in when writing, so the row still says so (found in review:
# "written by M002 in place of M001", decided by who stands in now).
{ head -1 org3.csv; sed -n 's/^\(E102,"Nguyen, Minh",[^,]*,\)M002,/\1H001,/p' org3.csv; } >org4.csv
grep -q '^E102,.*,H001,payments,' org4.csv || fail "the org file did not move E102 to H001"
export PLUMB_NOW=2026-12-02T00:00:00Z
ok org import org4.csv
ok cycle assignments --cycle a26
grep -Eq '^E102 +M002 for M001 +manager ' "$T/out" ||
	fail "E102's manager review is not shown written by M002 for M001: $(grep '^E102 .*manager' "$T/out")"
