# A hold covers every record of the human (hold-merged-records.sh), so a people partner may
# know of it, place it or release it only when every one of those records is in their org
# units, in every place holds are shown or refused alike: hold add, hold list, hold release and
# what a consent withdrawal says a hold kept.  Found hunting: a hold on E201 (search), merged
# into E102 (payments), was told to payments' partner by a withdrawal of E102's consent, while
# their hold list left it out and hold release refused it as outside their units.
init_db
ok org import "$FIXTURES/org-small.csv"
import_pr_policy
ok source add github --name gh --repo acme/widgets
ok identity link github alice --person E102
ok identity link github bob --person E103
ok user add --person M001 --role people-partner:payments
for p in E102 E103; do ok consent grant --person "$p" --mechanism pull_request_activity; done
ok ingest --source gh "$FIXTURES/github"
prs() { sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = '$1' AND e.kind IN ('pull_request', 'review')"; }
alice=$(prs E102)
bob=$(prs E103)
[ "$alice" -ge 1 ] && [ "$bob" -ge 1 ] || fail "setup: pull requests $alice $bob"
ok person merge E201 --into E102 --reason "one human under two ids"
ok hold add --person E201 --reason "case 2026-50"
far=$(sql "SELECT MAX(id) FROM legal_holds")
ok hold add --person E103 --reason "case 2026-51"
near=$(sql "SELECT MAX(id) FROM legal_holds")

# The hold on E201 keeps E102's events, and payments' partner is not told of it.
ok --as M001 consent withdraw --person E102 --mechanism pull_request_activity --json
expect_json '"\(.consent.state) \(.deleted.events) \(.held_kept) \(.event_versions_held_kept)"' "withdrawn 0 null null"
ok --as M001 consent withdraw --person E102 --mechanism pull_request_activity
expect_no_out "hold"
[ "$(prs E102)" = "$alice" ] || fail "the held events were deleted"
# An admin is told.
ok consent withdraw --person E102 --mechanism pull_request_activity --json
expect_json '.held_kept' "$alice"
# A hold on a person all of whose records are in payments is told as before.
ok --as M001 consent withdraw --person E103 --mechanism pull_request_activity --json
expect_json '"\(.deleted.events) \(.held_kept)"' "0 $bob"

# hold list and hold release agree: the hold on E201 is not theirs to see or release.
ok --as M001 hold list --json
expect_json 'map(.id) | join(",")' "$near"
run --as M001 hold release "$far" --reason "closed"
expect_status 3
expect_err "outside your org units"
# Nor is one on E102, which covers E201 too: refused, left out and not released.
run --as M001 hold add --person E102 --reason "case 2026-52"
expect_status 3
expect_err "E102 is one person with a record outside your org units"
ok hold add --person E102 --reason "case 2026-53"
on_e102=$(sql "SELECT MAX(id) FROM legal_holds")
ok --as M001 hold list --json
expect_json 'map(.id) | join(",")' "$near"
run --as M001 hold release "$on_e102" --reason "closed"
expect_status 3
[ "$(sql "SELECT COUNT(*) FROM legal_holds WHERE released_at IS NULL")" = 3 ] || fail "a hold was released"
ok --as M001 hold release "$near" --reason "closed"
ok audit verify
