# Consent is recorded on the record that stays: after `person merge`, a grant or withdrawal
# naming the record merged away is refused (exit status 5) with a hint naming the record it
# went into, as `user add` and `identity link` refuse it, and nothing is written.  (Found
# hunting merges: it was stored on the merged record, which ingestion and `plumb me` no longer
# read, so a withdrawal by the old employee id was silently without effect: the human's
# events stayed and collection went on.)
init_db
ok org import "$FIXTURES/org-small.csv"
import_deliveries_policy skip delete
ok source add deploy --name deploys
ok identity link deploy srossi-ci --person E103
ok consent grant --person E103 --mechanism delivery_pipeline
header='id,service,environment,sha,ref,started,finished,status,actor'
printf '%s\nD1,api,production,aaaaaa1,main,2024-05-03T14:00:00Z,2024-05-03T14:06:00Z,success,srossi-ci\n' "$header" >a.csv
ok ingest --source deploys a.csv
ok person merge E103 --into E101 --reason "one human, two HRIS records"
ok user add --person E101 --role employee
ok user add --person H001 --role people-partner
consents=$(sql "SELECT COUNT(*) FROM consents")
for by in admin H001; do
	run --as "$by" consent withdraw --person E103 --mechanism delivery_pipeline
	expect_status 5
	expect_err "E103 was merged into E101"
	expect_err "--person E101"
	run --as "$by" consent grant --person E103 --mechanism delivery_pipeline
	expect_status 5
	expect_err "E103 was merged into E101"
done
# Each refusal is audited as a failed attempt, and nothing else is written.
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'consent.%' AND detail = '{\"ok\":false}'")" = 4 ] ||
	fail "the refusals are not audited as failed attempts"
[ "$(sql "SELECT COUNT(*) FROM consents")" = "$consents" ] || fail "a consent was recorded on the merged record"
[ "$(sql "SELECT COUNT(*) FROM events")" = 1 ] || fail "the human's event went"
# The human themselves, naming their own old record, is told the same (found hunting merges:
# they got exit status 3, permission denied, with no word of the record to use).
for verb in withdraw grant; do
	run --as E101 consent "$verb" --person E103 --mechanism delivery_pipeline
	expect_status 5
	expect_err "E103 was merged into E101"
	expect_err "--person E101"
done
[ "$(sql "SELECT COUNT(*) FROM consents")" = "$consents" ] || fail "a consent was recorded on the merged record"
# Another's old record is still not theirs: E102 is refused as before.
ok user add --person E102 --role employee
run --as E102 consent withdraw --person E103 --mechanism delivery_pipeline
expect_status 3
# Named by the record that stays, the withdrawal takes effect.
ok --as E101 consent withdraw --mechanism delivery_pipeline
[ "$(sql "SELECT COUNT(*) FROM events")" = 0 ] || fail "the withdrawal kept the events"
ok audit verify
