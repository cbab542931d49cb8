# What a legal hold kept from a consent withdrawal is said only to those who may know of the
# hold (as hold list shows it: an admin, a people partner whose org units hold the person, not
# themselves).  A person withdrawing their own consent is not told of a hold on them, whether
# or not one kept anything (`held_kept` null, no line), nor is their export of the audit entry;
# collection stops and the hold keeps their events all the same.  Found in the governance
# hunt: the withdrawal's output, and plumb me export, said "kept under a legal hold" to the
# person themselves, whom hold list refuses and plumb me never shows a hold.
init_db
ok org import "$FIXTURES/org-small.csv"
import_pr_policy
ok source add github --name gh --repo acme/widgets
ok identity link github alice --person E102
ok identity link github bob --person E103
ok user add --person E102 --role employee
ok user add --person E103 --role employee
ok user add --person M001 --role people-partner:payments
for p in E102 E103; do ok consent grant --person "$p" --mechanism pull_request_activity; done
ok ingest --source gh "$FIXTURES/github"
prs() { sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = '$1' AND e.kind IN ('pull_request', 'review')"; }
alice=$(prs E102)
[ "$alice" -ge 1 ] || fail "alice has no pull requests"

# Without a hold, the person is told what went, and nothing of holds: null, as under one.
bob=$(prs E103)
ok --as E103 consent withdraw --mechanism pull_request_activity --json
expect_json '"\(.deleted.events) \(.held_kept) \(.event_versions_held_kept)"' "$bob null null"

# Under a hold on alice, her own withdrawal keeps her events and says nothing of why.
ok hold add --person E102 --reason "case 2025-3: grievance"
ok --as E102 consent withdraw --mechanism pull_request_activity --json
expect_json '"\(.consent.state) \(.deleted.events) \(.held_kept) \(.event_versions_held_kept)"' "withdrawn 0 null null"
ok --as E102 consent withdraw --mechanism pull_request_activity
expect_out "consent of E102 to pull_request_activity withdrawn"
expect_no_out "hold"
[ "$(prs E102)" = "$alice" ] || fail "alice's held events were deleted by her withdrawal"
# The audit entry keeps the count, for those who read the log; her export leaves it out.
ok audit log --object person:E102 --json
expect_json '[.[] | select(.action == "consent.withdraw") | .detail.held_kept] | join(",")' "$alice,$alice"
ok --as E102 me export
expect_json '[.audit_entries[] | select(.action == "consent.withdraw") | .detail | "\(.events_deleted) \(has("held_kept"))"] | join(",")' \
	"0 false,0 false"

# A people partner whose units hold alice may know of the hold: told, as an admin is.
ok --as M001 consent withdraw --person E102 --mechanism pull_request_activity --json
expect_json '"\(.deleted.events) \(.held_kept)"' "0 $alice"
ok --as M001 consent withdraw --person E102 --mechanism pull_request_activity
expect_out "kept under a legal hold: $alice event"
ok consent withdraw --person E102 --mechanism pull_request_activity --json
expect_json '"\(.deleted.events) \(.held_kept)"' "0 $alice"
ok audit verify
