# Two records found to be one human: their consent records move with their events and
# accounts, so ingestion keeps collecting what the human consented to as the record merged
# away, and the newest record of either wins. (Found in session 39: after the merge, the
# human's next deployments were skipped for want of consent, and one they had started stayed
# in progress for good.)
init_db
ok org import "$FIXTURES/org-small.csv"
import_deliveries_policy skip delete
ok source add deploy --name deploys
ok identity link deploy srossi-ci --person E103
ok consent grant --person E103 --mechanism delivery_pipeline
header='id,service,environment,sha,ref,started,finished,status,actor'
printf '%s\nD1,api,production,aaaaaa1,main,2024-05-03T14:00:00Z,,in_progress,srossi-ci\n' "$header" >a.csv
printf '%s\nD1,api,production,aaaaaa1,main,2024-05-03T14:00:00Z,2024-05-03T14:06:00Z,success,srossi-ci\nD2,api,production,aaaaaa2,main,2024-05-04T14:00:00Z,2024-05-04T14:06:00Z,success,srossi-ci\n' "$header" >b.csv
ok ingest --source deploys a.csv
ok person merge E103 --into E101 --reason "one human, two HRIS records"
ok audit log --json --object person:E103
expect_json '[.[] | select(.action == "person.merge")][0].detail.consents' 1
ok consent list --person E101 --json
expect_json 'map(.mechanism + " " + .state) | join(",")' "delivery_pipeline granted"
ok ingest --source deploys b.csv --json
expect_json .skipped 0
stored="SELECT e.external_id || ' ' || e.status || ' ' || p.employee_id FROM events e JOIN people p ON p.id = e.person_id ORDER BY 1"
[ "$(sql "$stored" | tr '\n' ,)" = "D1 success E101,D2 success E101," ] || fail "after the merge: $(sql "$stored" | tr '\n' ,)"
# The newest record of either wins: E101 withdraws, and collection stops.
ok consent withdraw --person E101 --mechanism delivery_pipeline
[ "$(sql "SELECT COUNT(*) FROM events")" = 0 ] || fail "the withdrawal after the merge kept the events"
ok audit verify
