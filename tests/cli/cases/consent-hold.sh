# A legal hold outranks on_withdrawal: delete.  A withdrawal while a hold covers the person's
# events (a hold on the person, or a category hold on events) keeps them, says how many in
# its message, --json and audit entry, and still stops collection; a held account resolved
# to a held person without consent stays held instead of being deleted.  Once the holds are
# released, withdrawing again deletes what the hold kept.
init_db
ok org import "$FIXTURES/org-small.csv"
import_pr_policy
ok source add github --name gh --repo acme/widgets
ok identity link github alice --person E102
ok identity link github bob --person E103
ok consent grant --person E102 --mechanism pull_request_activity
ok consent grant --person E103 --mechanism pull_request_activity
ok ingest --source gh "$FIXTURES/github"
prs() { sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = '$1' AND e.kind IN ('pull_request', 'review')"; }
alice=$(prs E102)
bob=$(prs E103)
[ "$alice" -ge 1 ] && [ "$bob" -ge 1 ] || fail "alice ($alice) or bob ($bob) has no pull requests"

# A person hold on alice: her withdrawal deletes nothing and says what the hold kept.
ok hold add --person E102 --reason "case 2025-3: grievance"
ok consent withdraw --person E102 --mechanism pull_request_activity --json
expect_json '.consent.state' withdrawn
expect_json '"\(.deleted.events) \(.held_kept)"' "0 $alice"
[ "$(prs E102)" = "$alice" ] || fail "alice's held events were deleted by her withdrawal"
ok audit log --object person:E102 --json
expect_json '[.[] | select(.action == "consent.withdraw")][0].detail | "\(.events_deleted) \(.held_kept)"' "0 $alice"
[ "$(sql "SELECT COUNT(*) FROM withheld_records")" = 0 ] || fail "kept events were noted as withheld"
# Collection still stops: the next ingest skips her records, and keeps what the hold kept.
ok ingest --source gh "$FIXTURES/github" --json
expect_json '[.governed[] | select(.mechanism == "pull_request_activity" and .reason == "no consent")][0].skipped' "$alice"
[ "$(prs E102)" = "$alice" ] || fail "the ingest after the withdrawal changed alice's held events"

# carol's records are held pseudonymized (no match); linked to E201, held and without
# consent, they are kept held, not deleted.
held=$(sql "SELECT COUNT(*) FROM events WHERE kind IN ('pull_request', 'review') AND account LIKE 'H1-%' AND person_id IS NULL")
[ "$held" -ge 1 ] || fail "carol has no held events"
ok hold add --person E201 --reason "case 2025-4"
ok identity link github carol --person E201
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind IN ('pull_request', 'review') AND account LIKE 'H1-%' AND person_id IS NULL")" = "$held" ] ||
	fail "carol's held events were deleted under a hold"
ok audit log --json --object identity:github:carol
expect_json '[.[] | select(.action == "consent.resolve-held")][0].detail | "\(.held_events_resolved) \(.held_events_deleted) \(.held_kept)"' "0 0 $held"
# E201's export of that entry leaves out what the hold kept: holds are left out of what a
# person sees of themselves (found in the governance hunt: it told them of the hold).
ok user add --person E201 --role employee
ok --as E201 me export
expect_json '[.audit_entries[] | select(.action == "consent.resolve-held") | .detail | "\(.held_events_resolved) \(has("held_kept"))"] | join(",")' \
	"0 false"

# A category hold on events keeps bob's, in text too.
ok hold add --category events --reason "regulator inquiry 9"
ok consent withdraw --person E103 --mechanism pull_request_activity
expect_out "kept under a legal hold: $bob event"
[ "$(prs E103)" = "$bob" ] || fail "bob's events were deleted under a category hold"

# Released, a second withdrawal deletes what the holds kept.
ok hold release 1 --reason "grievance closed"
ok consent withdraw --person E102 --mechanism pull_request_activity --json
expect_json '"\(.deleted.events) \(.held_kept)"' "0 $alice" # the category hold still keeps them
ok hold release 3 --reason "inquiry closed"
ok consent withdraw --person E102 --mechanism pull_request_activity --json
expect_json '"\(.deleted.events) \(.held_kept)"' "$alice 0"
[ "$(prs E102)" = 0 ] || fail "alice's events were kept after the holds were released"
ok consent withdraw --person E103 --mechanism pull_request_activity
expect_out "earlier data deleted, as the policy says: $bob event"
! grep -q "legal hold" "$T/out" || fail "a hold was reported after the release"
[ "$(prs E103)" = 0 ] || fail "bob's events were kept after the holds were released"
ok audit log --object person:E102 --json
expect_json '[.[] | select(.action == "consent.withdraw") | .detail | "\(.events_deleted)/\(.held_kept)"] | join(",")' \
	"0/$alice,0/$alice,$alice/0"
ok audit verify
