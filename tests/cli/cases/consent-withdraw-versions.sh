# A withdrawal whose mechanism says on_withdrawal: delete deletes the person's events, and the
# earlier versions of others' events that named them stop naming them: a deployment lschmidt
# (E101) started and amehta (E201) finished is E201's, and its first version, kept for history
# (statuses, times), loses E101's person, account and the attributes that name people, while
# what metrics read of it stays. (Found in session 39: the version kept naming E101.)
init_db
ok org import "$FIXTURES/org-small.csv"
import_deliveries_policy skip delete
ok source add deploy --name deploys
ok identity link deploy lschmidt --person E101
ok identity link deploy amehta --person E201
ok consent grant --person E101 --mechanism delivery_pipeline
ok consent grant --person E201 --mechanism delivery_pipeline
deploy() { # id status actor
	printf 'id,service,environment,sha,ref,started,finished,status,actor\n%s,api,production,aaaaaa1,main,2024-05-03T14:00:00Z,%s,%s,%s\n' \
		"$1" "$([ "$2" = in_progress ] || echo 2024-05-03T14:06:00Z)" "$2" "$3"
}
deploy D1 in_progress lschmidt >d1.csv
deploy D1 success amehta >d1b.csv
deploy D2 success lschmidt >d2.csv
ok ingest --source deploys d1.csv
ok ingest --source deploys d2.csv
ok ingest --source deploys d1b.csv
naming="SELECT COUNT(*) FROM event_versions WHERE person_id = (SELECT id FROM people WHERE employee_id = 'E101') OR account = 'lschmidt'"
[ "$(sql "$naming")" -ge 1 ] || fail "no earlier version names E101: the case tests nothing"
statuses="SELECT v.status FROM event_versions v JOIN events e ON e.id = v.event_id WHERE e.external_id = 'D1' ORDER BY v.version"
before=$(sql "$statuses")
# Until then E101's subject access export lists the version naming them (found hunting: it
# listed only the events that are theirs now).
ok user add --person E101 --role employee
ok --as E101 me export
expect_json '[.event_versions[] | "\(.external_id) \(.version) \(.account)"] | join(",")' "D1 1 lschmidt"
expect_json '[.events[].external_id] | join(",")' "D2"

ok consent withdraw --person E101 --mechanism delivery_pipeline --json
expect_json '"\(.deleted.events) \(.event_versions_anonymized)"' "1 1"
[ "$(sql "$naming")" = 0 ] || fail "an earlier version still names E101"
ok --as E101 me export
expect_json '.event_versions | length' 0
[ "$(sql "$statuses")" = "$before" ] || fail "the earlier versions' statuses changed: $(sql "$statuses")"
[ "$(sql "SELECT e.external_id || ' ' || p.employee_id FROM events e JOIN people p ON p.id = e.person_id")" = "D1 E201" ] ||
	fail "D1 is not E201's alone after the withdrawal"
ok audit log --json --object person:E101
expect_json '[.[] | select(.action == "consent.withdraw")][0].detail.event_versions_anonymized' 1

# A legal hold on the person whose event it is now keeps its versions as they are (found in
# review: E101's withdrawal rewrote a version of E201's held deployment).
deploy D4 in_progress lschmidt >d4.csv
deploy D4 success amehta >d4b.csv
ok consent grant --person E101 --mechanism delivery_pipeline
ok ingest --source deploys d4.csv
ok ingest --source deploys d4b.csv
ok hold add --person E201 --reason "case 6"
ok consent withdraw --person E101 --mechanism delivery_pipeline --json
expect_json '"\(.event_versions_anonymized) \(.event_versions_held_kept)"' "0 1"
[ "$(sql "SELECT COUNT(*) FROM event_versions v JOIN events e ON e.id = v.event_id WHERE e.external_id = 'D4' AND v.account = 'lschmidt'")" = 1 ] ||
	fail "a version of a held person's deployment was changed"
ok consent withdraw --person E101 --mechanism delivery_pipeline
expect_out "kept under a legal hold on their event's person: 1 earlier version naming them"
# What the hold kept is said to who may know of it: not a people partner over payments (E201
# is in search), who is told neither count, but one over the whole organization.
ok user add --person M001 --role people-partner:payments
ok --as M001 consent withdraw --person E101 --mechanism delivery_pipeline --json
expect_json '"\(.event_versions_anonymized) \(.event_versions_held_kept) \(.held_kept)"' "0 null null"
ok --as M001 consent withdraw --person E101 --mechanism delivery_pipeline
expect_no_out "hold"
ok user add --person H001 --role people-partner
ok --as H001 consent withdraw --person E101 --mechanism delivery_pipeline --json
expect_json '"\(.event_versions_anonymized) \(.event_versions_held_kept) \(.held_kept)"' "0 1 0"
ok hold release 1 --reason "case 6 closed"

# Under a legal hold on the person nothing is touched: the hold keeps the versions too.
ok consent grant --person E201 --mechanism delivery_pipeline
deploy D3 in_progress amehta >d3.csv
deploy D3 success lschmidt >d3b.csv
ok consent grant --person E101 --mechanism delivery_pipeline
ok ingest --source deploys d3.csv
ok ingest --source deploys d3b.csv
ok hold add --person E201 --reason "case 7"
ok consent withdraw --person E201 --mechanism delivery_pipeline
expect_no_out "no longer name"
[ "$(sql "SELECT COUNT(*) FROM event_versions WHERE account = 'amehta'")" -ge 1 ] || fail "a version under a hold was changed"

# E101's deployment D5 is in the lineage of E201's individual value, which E201's hold (case 7,
# in force) keeps: E101's withdrawal keeps D5 and its lineage, counted as held (found hunting:
# it deleted them, and with them the held value's lineage, which retention keeps).
ok consent grant --person E101 --mechanism delivery_pipeline
deploy D5 success lschmidt >d5.csv
ok ingest --source deploys d5.csv
def=$(sql "SELECT MIN(id) FROM metric_defs")
sql "INSERT INTO metric_values(def_id, scope, scope_id, period_start, period_end, grain, statistic, value, n, detail,
  inputs_hash, computed_at) SELECT $def, 'individual', id, 0, 1, 'all', 'count', 1, 1, '{}', 'x', 0 FROM people
  WHERE employee_id = 'E201'"
sql "INSERT INTO metric_lineage(value_id, event_id, role) SELECT v.id, e.id, 'input' FROM metric_values v, events e
  WHERE v.scope = 'individual' AND e.external_id = 'D5'"
ok consent withdraw --person E101 --mechanism delivery_pipeline --json
expect_json '"\(.deleted.events) \(.held_kept)"' "1 1" # D3 (E101 finished it) goes
[ "$(sql "SELECT COUNT(*) FROM events WHERE external_id = 'D5'")" = 1 ] || fail "an event a held value names was deleted"
[ "$(sql "SELECT COUNT(*) FROM metric_lineage")" = 1 ] || fail "the held value's lineage was deleted"
ok audit verify
