# The default demo is a realistic org (~120 engineers, 12 permanent leaf teams and a project team, 25 services, several countries, mid-year moves) with six months of source data ingested through the real parsers.
demo_db --no-reviews # the demo's own database path in its first line: demo-deterministic
expect_out "demo organization created in "
expect_out " (seed 1):"
expect_out "25 services"
expect_out "events of about six months"
expect_out "acme/infra-scripts left unmapped"
expect_out "2 SLOs of checkout-web (examples/slo) with 47568 samples from slo/: plumb slo status"
for s in github jira pagerduty argo; do expect_out "    $s "; done
ok org show --json
active=$(json .people_active)
[ "$active" -ge 110 ] && [ "$active" -le 140 ] || fail "people_active $active not in 110..140"
expect_json .services 26 # the 25 and the unmapped repository's own
expect_json .project_teams 1
[ "$(json .countries)" -ge 4 ] || fail "fewer than 4 countries"
[ "$(json .people_ended)" -ge 1 ] || fail "nobody left the company"
# Leaf teams: no team names them as parent.
leaf=$(json '. as $o | [$o.team_list[] | select(.name as $n | [$o.team_list[] | .parent] | index($n) | not)]')
[ "$(echo "$leaf" | jq '[.[] | select(.kind == "permanent")] | length')" = 12 ] || fail "expected 12 permanent leaf teams: $(echo "$leaf" | jq -c 'map(.name)')"
[ "$(echo "$leaf" | jq '[.[] | select(.kind == "project")] | length')" = 1 ] || fail "expected one project leaf team"
expect_json '[.team_list[] | select(.depth == 0)] | length' 1
expect_json '([.team_list[] | select(.members_total > 0)] | length) == (.team_list | length)' true
# Every service has an owner but the one the unmapped repository became; a couple changed owners mid-year.
ok service list --json
expect_json '[.[] | select(.team == null) | .name] | join(",")' acme.infra-scripts
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
# The sources, the data files (kept beside a SQLite file; a temporary directory on PostgreSQL) and events of every kind.
ok source list --json
expect_json '[.[] | .name + ":" + .kind] | join(",")' "argo:deploy,github:github,jira:jira,pagerduty:pagerduty"
if [ "$(engine)" = sqlite ]; then
	[ -d "${PLUMB_DB%.db}-data/github/acme/payments-api" ] || fail "no data files beside the database"
	[ -f "${PLUMB_DB%.db}-data/github/acme/payments-api/pulls-001.json" ] || fail "no pulls page"
fi
total=$(sql "SELECT COUNT(*) FROM events")
[ "$total" -ge 3000 ] && [ "$total" -le 25000 ] || fail "$total events, expected 3000 to 25000"
for k in commit pull_request review deployment ci_run incident work_item; do
	[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = '$k'")" -ge 50 ] || fail "few $k events"
done
# Real shapes: merged and closed PRs, failed deployments and CI runs, merge commits with two parents.
for q in "kind = 'pull_request' AND status = 'merged'" "kind = 'pull_request' AND status = 'closed'" \
	"kind = 'deployment' AND status = 'failure'" "kind = 'ci_run' AND status = 'failure'" \
	"kind = 'incident' AND status = 'resolved'" "kind = 'work_item' AND status = 'done'" \
	"kind = 'commit' AND attrs LIKE '%\"parents\":[\"%\",\"%'"; do
	[ "$(sql "SELECT COUNT(*) FROM events WHERE $q")" -ge 5 ] || fail "few events where $q"
done
# Events reach people and teams; the deploy tool's and PagerDuty's reach their services.
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'pull_request' AND person_id IS NOT NULL AND team_id IS NOT NULL")" -ge 1000 ] || fail "few attributed pull requests"
[ "$(sql "SELECT COUNT(DISTINCT v.name) FROM events e JOIN sources s ON s.id = e.source_id JOIN services v ON v.id = e.service_id WHERE s.name = 'argo'")" = 4 ] || fail "deploy events not on their 4 services"
# Work items reach their teams through each team's Jira project's service (found in audit:
# none had a service, so issue_cycle_time --team payments was always empty).
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'work_item' AND (service_id IS NULL OR team_id IS NULL)")" = 0 ] || fail "work items without a service or a team"
[ "$(sql "SELECT v.name FROM service_mappings m JOIN services v ON v.id = m.service_id WHERE m.system = 'jira' AND m.key = 'PAY'")" = payments-api ] || fail "PAY is not mapped to payments-api"
PLUMB_NOW=2026-11-01 ok metrics show issue_cycle_time --team payments --json # the demo's today
[ "$(json .value.n)" -ge 10 ] || fail "issue_cycle_time of payments over $(json .value.n) items"
# One service pages far more than the others.
top=$(sql "SELECT v.name FROM events e JOIN services v ON v.id = e.service_id WHERE e.kind = 'incident' GROUP BY v.name ORDER BY COUNT(*) DESC, v.name LIMIT 1")
[ "$top" = payments-api ] || fail "the noisiest service is $top"
# The renamed repository: its old and new names both map to search-indexer.
[ "$(sql "SELECT COUNT(DISTINCT e.owner_key) FROM events e JOIN services v ON v.id = e.service_id WHERE v.name = 'search-indexer' AND e.kind = 'pull_request'")" = 2 ] || fail "search-indexer's pull requests are not from two repositories"
[ "$(sql "SELECT CASE WHEN MAX(occurred_at) < (SELECT MIN(occurred_at) FROM events WHERE owner_key = 'acme/search-indexer' AND kind = 'pull_request') THEN 1 ELSE 0 END FROM events WHERE owner_key = 'acme/indexer' AND kind = 'pull_request'")" = 1 ] || fail "the old repository's pull requests are not all before the new one's"
# Every review falls within its pull request's life: none before it was opened, none after
# it was closed (found in review: a comment half an hour before the approval came before
# the opening, and a pull request closed unmerged a day in could close before a slow
# approval, so review_turnaround left reviews out as ending before they started).
[ "$(sql "SELECT COUNT(*) FROM events r JOIN events p ON p.source_id = r.source_id AND p.kind = 'pull_request' AND p.external_id = r.parent_id WHERE r.kind = 'review' AND (r.occurred_at < p.occurred_at OR r.occurred_at > p.ended_at)")" = 0 ] || fail "reviews outside their pull request's life"
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'review' AND parent_id IS NOT NULL")" -ge 1000 ] || fail "few reviews tied to their pull request"
ok metrics show review_turnaround --from 2026-05-01 --to 2026-11-01 --json
expect_json '.value.detail.left_out' null
# Bots are marked and match nobody; the contractors are listed as unmatched.
for b in 'dependabot[bot]' 'renovate[bot]' 'github-actions[bot]'; do
	[ "$(sql "SELECT COUNT(*) FROM events WHERE account = '$b' AND is_bot = 1 AND person_id IS NULL")" -ge 10 ] || fail "few events by $b marked as a bot"
done
ok identity unmatched
expect_out jlee-contract
expect_out pk-freelance
expect_no_out '[bot]'
# The data ends at the demo's today, and starts about six months before.
[ "$(sql "SELECT COUNT(*) FROM events WHERE occurred_at >= 1793491200000 OR occurred_at < 1777680000000 - 3 * 86400000")" = 0 ] || fail "events outside the six months before 2026-11-01"
ok events list --kind deployment --limit 5
expect_out deployment
# The example SLOs of checkout-web, with an hour's requests over the six months and a minute's
# p95 latency over the latency SLO's 30 days, all before the demo's today.
[ "$(sql "SELECT slo_name || ' ' || COUNT(*) FROM sli_samples GROUP BY slo_name ORDER BY 1" | tr '\n' ' ')" = \
	"checkout-availability 4368 checkout-latency 43200 " ] || fail "the SLOs' samples: $(sql "SELECT slo_name, COUNT(*) FROM sli_samples GROUP BY 1")"
[ "$(sql "SELECT COUNT(*) FROM sli_samples WHERE at > 1793491200000 OR at <= 1793491200000 - 15724800000")" = 0 ] ||
	fail "SLO samples outside the six months before 2026-11-01"
# Requests fail while one of checkout-web's incidents is open: the worst hours are in them.
incident_hours="SELECT COUNT(*) FROM (SELECT at FROM sli_samples WHERE slo_name = 'checkout-availability'
  ORDER BY (total - good) / total DESC LIMIT 5) s WHERE EXISTS (SELECT 1 FROM events e JOIN services v ON v.id = e.service_id
  WHERE e.kind = 'incident' AND v.name = 'checkout-web' AND e.occurred_at < s.at AND e.ended_at > s.at - 3600000)"
[ "$(sql "$incident_hours")" = 5 ] || fail "the availability SLO's worst hours are not checkout-web's incidents"
# As of the demo's today each SLO has spent some of its budget, not all.
PLUMB_NOW=2026-11-01 ok slo status --json
expect_json '[.[] | select(.attainment > .target and .attainment < 1 and .error_budget_remaining > 0 and .error_budget_remaining < 1)] | length' 2
ok audit verify
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'demo.data'")" = 1 ] || fail "no demo.data audit entry"
# Publish wrote without row-by-row foreign key checks on SQLite: every reference holds.
expect_references_intact
