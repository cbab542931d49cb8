# Two records found to be one human, then a withdrawal that deletes on withdrawal: the earlier
# versions of others' events that named the record merged away name the human too, so they
# stop naming them as those naming the record it went into do. (Found in session 40: the merge
# moved events but not the versions naming the merged record, and the withdrawal, which
# matched versions by the record it was recorded for, left a deployment srossi started and
# amehta finished naming srossi.)
init_db
ok org import "$FIXTURES/org-small.csv"
import_deliveries_policy skip delete
ok source add deploy --name deploys
ok identity link deploy srossi-ci --person E103
ok identity link deploy amehta --person E201
ok consent grant --person E103 --mechanism delivery_pipeline
ok consent grant --person E201 --mechanism delivery_pipeline
deploy() { # id status actor
	printf 'id,service,environment,sha,ref,started,finished,status,actor\n%s,api,production,aaaaaa1,main,2024-05-03T14:00:00Z,%s,%s,%s\n' \
		"$1" "$([ "$2" = in_progress ] || echo 2024-05-03T14:06:00Z)" "$2" "$3"
}
deploy D1 in_progress srossi-ci >d1.csv
deploy D1 success amehta >d1b.csv
ok ingest --source deploys d1.csv
ok ingest --source deploys d1b.csv
naming="SELECT COUNT(*) FROM event_versions WHERE person_id IN (SELECT id FROM people WHERE employee_id IN ('E103', 'E101')) OR account = 'srossi-ci'"
[ "$(sql "$naming")" = 1 ] || fail "no earlier version names E103: the case tests nothing"
ok person merge E103 --into E101 --reason "one human, two HRIS records"
ok audit log --json --object person:E103
expect_json '[.[] | select(.action == "person.merge")][0].detail.event_versions' 1
ok consent withdraw --person E101 --mechanism delivery_pipeline --json
expect_json '.event_versions_anonymized' 1
[ "$(sql "$naming")" = 0 ] || fail "an earlier version still names the human merged away"
[ "$(sql "SELECT e.external_id || ' ' || p.employee_id FROM events e JOIN people p ON p.id = e.person_id")" = "D1 E201" ] ||
	fail "D1 is not E201's alone after the withdrawal"
ok audit verify
