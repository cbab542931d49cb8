# The default demo is a realistic org: ~120 engineers, 12 permanent leaf teams and a project team, 25 services, several countries, mid-year moves.
ok init
ok demo
expect_out "demo organization created in $PLUMB_DB (seed 1):"
expect_out "25 services"
ok org show --json
active=$(json .people_active)
[ "$active" -ge 110 ] && [ "$active" -le 140 ] || fail "people_active $active not in 110..140"
expect_json .services 25
expect_json .project_teams 1
[ "$(json .countries)" -ge 4 ] || fail "fewer than 4 countries"
[ "$(json .people_ended)" -ge 1 ] || fail "nobody left the company"
# Leaf teams: no team names them as parent.
leaf=$(json '. as $o | [$o.team_list[] | select(.name as $n | [$o.team_list[] | .parent] | index($n) | not)]')
[ "$(echo "$leaf" | jq '[.[] | select(.kind == "permanent")] | length')" = 12 ] || fail "expected 12 permanent leaf teams: $(echo "$leaf" | jq -c 'map(.name)')"
[ "$(echo "$leaf" | jq '[.[] | select(.kind == "project")] | length')" = 1 ] || fail "expected one project leaf team"
expect_json '[.team_list[] | select(.depth == 0)] | length' 1
expect_json '([.team_list[] | select(.members_total > 0)] | length) == (.team_list | length)' true
# Every service has an owner; a couple changed owners mid-year.
ok service list --json
expect_json '[.[] | select(.team == null)] | length' 0
[ "$(sql "SELECT COUNT(*) FROM service_owners WHERE valid_to IS NOT NULL")" -ge 1 ] || fail "no service changed owner"
# People who moved teams have two memberships (history).
movers=$(sql "SELECT COUNT(*) FROM (SELECT person_id FROM team_memberships GROUP BY person_id HAVING COUNT(*) >= 2) AS movers")
[ "$movers" -ge 5 ] || fail "only $movers people with two team memberships"
mover=$(sql "SELECT p.employee_id FROM people p JOIN team_memberships m ON m.person_id = p.id WHERE m.valid_to IS NOT NULL AND p.end_date IS NULL ORDER BY p.employee_id LIMIT 1")
ok person show "$mover" --json
expect_json '[.history[] | select(.kind == "team")] | length >= 2' true
expect_json '[.history[] | select(.kind == "team" and .valid_to == null)] | length' 1
# Identities in every system, users for every person with their roles.
for s in github jira pagerduty email; do
	[ "$(sql "SELECT COUNT(*) FROM identities WHERE system = '$s'")" -ge 10 ] || fail "few $s identities"
done
people=$(sql "SELECT COUNT(*) FROM people")
[ "$(sql "SELECT COUNT(*) FROM users WHERE person_id IS NOT NULL")" = "$people" ] || fail "not every person is a user"
[ "$(sql "SELECT COUNT(DISTINCT user_id) FROM user_roles WHERE role = 'manager'")" -ge 10 ] || fail "managers lack the manager role"
[ "$(sql "SELECT COUNT(*) FROM user_roles WHERE role = 'leader' AND team_id IS NOT NULL")" = 3 ] || fail "expected 3 scoped leaders"
[ "$(sql "SELECT COUNT(*) FROM user_roles WHERE role = 'people-partner'")" = 1 ] || fail "expected a people partner"
ok audit verify
