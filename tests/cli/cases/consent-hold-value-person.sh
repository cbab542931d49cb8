# A hold on the person of an individual metric value keeps the events its lineage names, also
# another person's (retention-hold-lineage.sh), and a consent withdrawal of theirs counts them
# in held_kept.  That is said only to who may know of holds on every such value's person, held
# or not: a people partner whose units hold the person withdrawing but not the value's person
# is told nothing of holds (null).  Found hunting: payments' partner withdrawing E102's consent
# was told of a hold on E201 (search), whose value counted one of E102's pull requests.
init_db
ok org import "$FIXTURES/org-small.csv"
import_pr_policy
ok source add github --name gh --repo acme/widgets
ok identity link github alice --person E102
ok user add --person M001 --role people-partner:payments
ok consent grant --person E102 --mechanism pull_request_activity
ok ingest --source gh "$FIXTURES/github"
prs() { sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = '$1' AND e.kind IN ('pull_request', 'review')"; }
[ "$(prs E102)" -ge 1 ] || fail "setup: E102 has $(prs E102) pull requests"
# E201's individual value names one of E102's pull requests (say, one E201 reviewed).
def=$(sql "SELECT MIN(id) FROM metric_defs")
sql "INSERT INTO metric_values(def_id, scope, scope_id, period_start, period_end, grain, statistic,
  value, n, detail, inputs_hash, computed_at) SELECT $def, 'individual', id, 0, 1, 'all', 'count',
  1, 1, '{}', 'y', 0 FROM people WHERE employee_id = 'E201'"
sql "INSERT INTO metric_lineage(value_id, event_id, role) SELECT v.id, MIN(e.id), 'input' FROM metric_values v,
  events e JOIN people p ON p.id = e.person_id WHERE v.scope = 'individual' AND p.employee_id = 'E102'
  AND e.kind IN ('pull_request', 'review') GROUP BY v.id"
ok hold add --person E201 --reason "case 2026-60"

ok --as M001 consent withdraw --person E102 --mechanism pull_request_activity --json
expect_json '"\(.consent.state) \(.held_kept) \(.event_versions_held_kept)"' "withdrawn null null"
ok --as M001 consent withdraw --person E102 --mechanism pull_request_activity
expect_no_out "hold"
[ "$(prs E102)" = 1 ] || fail "the held value's pull request was not kept, or others were: $(prs E102)"
# An admin may know of it, and is told.
ok consent withdraw --person E102 --mechanism pull_request_activity --json
expect_json '.held_kept' 1
ok audit verify
