# An employee acting with --as sees themselves and nobody else: person show of another person exits 3, person list holds only them.
init_db
ok demo --org-only
emp=$(sed -n 's/.*--as \([A-Z0-9]*\) person show \([A-Z0-9]*\) .*refused.*/\1/p' "$T/out")
other=$(sed -n 's/.*--as \([A-Z0-9]*\) person show \([A-Z0-9]*\) .*refused.*/\2/p' "$T/out")
[ -n "$emp" ] && [ -n "$other" ] || fail "demo output names no sample employee"
[ "$(sql "SELECT role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.name = '$emp'" | paste -sd, -)" = employee ] ||
	fail "sample employee $emp is not a plain employee"

ok --as "$emp" person show "$emp" --json
expect_json .employee_id "$emp"
ok --as "$emp" person show "$emp"
expect_out "$emp  "

run --as "$emp" person show "$other"
expect_status 3
expect_err "plumb: error: permission denied: $other is outside your scope"
expect_err "detail: user '$emp' may see only the people their roles cover"
[ -s "$T/out" ] && fail "a refused read printed data"
# An id nobody has is refused the same way, or the answers would tell which ids exist; to an
# admin it is absent.
run --as "$emp" person show E99999
expect_status 3
expect_err "plumb: error: permission denied: E99999 is outside your scope"
run person show E99999
expect_status 4
expect_err "no person with employee id E99999"
# The same through a metric for one person (found in review: metrics show --person and dora
# --person still told an unknown id from one out of scope).
run --as "$emp" metrics show pr_throughput --person E99999
expect_status 3
expect_err "permission denied: E99999 is outside your scope"
run --as "$emp" dora --person E99999
expect_status 3
expect_err "permission denied: E99999 is outside your scope"

# Their own manager is outside their scope too.
mgr=$(sql "SELECT m.employee_id FROM reporting_lines r JOIN people p ON p.id = r.person_id JOIN people m ON m.id = r.manager_id WHERE p.employee_id = '$emp' AND r.valid_to IS NULL")
run --as "$emp" person show "$mgr"
expect_status 3

ok --as "$emp" person list --json
expect_json 'length' 1
expect_json '.[0].employee_id' "$emp"
ok --as "$emp" person list --csv
expect_out_lines 2
# Another team, whose people they may not see, is not said to be empty (found walking the
# docs: "no people in team T" read as a team with nobody in it).
own_team=$(sql "SELECT t.name FROM teams t JOIN team_memberships m ON m.team_id = t.id JOIN people p ON p.id = m.person_id
  WHERE m.valid_to IS NULL AND p.employee_id = '$emp'")
# A team of people without subteams (so none of the employee's), other than theirs.
ok org tree --json
team=$(jq -r --arg own "$own_team" '[.[].parent] as $parents | [.[] | select(.members > 0 and .name != $own
  and (.name as $n | $parents | index($n) | not))][0].name' "$T/out")
[ -n "$team" ] && [ "$team" != "$own_team" ] || fail "no other team with people ($team, $own_team)"
ok --as "$emp" person list --team "$team"
[ "$(cat "$T/out")" = "no people you may see in team $team" ] || fail "person list --team $team: $(cat "$T/out")"

# Resolving someone else's account is a person read: refused.
login=$(sql "SELECT i.login FROM identities i JOIN people p ON p.id = i.person_id WHERE p.employee_id = '$other' AND i.system = 'github'")
[ -n "$login" ] || fail "no github login for $other"
# Out of scope answers as absent: resolve must not tell which accounts exist.
run --as "$emp" identity resolve github "$login"
expect_status 4
expect_err "no person you may see has github identity"
own=$(sql "SELECT i.login FROM identities i JOIN people p ON p.id = i.person_id WHERE p.employee_id = '$emp' AND i.system = 'github'")
ok --as "$emp" identity resolve github "$own" --json
expect_json .employee_id "$emp"

# Reads any user may make still work: org show, org tree, service list.
ok --as "$emp" org show --json
ok --as "$emp" org tree
ok --as "$emp" service list --json
expect_json 'length' 25 # the demo's services (--org-only: no unmapped repository's own)
