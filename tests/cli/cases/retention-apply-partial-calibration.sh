# A retention apply that fails in a later line says how many rows the batches committed before
# it did, calibration marks and changes included: an earlier line's calibration batches (done
# before its versions, and audited as retention.apply) were left out of the count, and of the
# message when they were all that line had done (found in review).
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
ASOF=$(date -u -d "@$((NOW + 60 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person H001 --role manager
review_data_400_days_ago
at=$(ago 400)
PLUMB_NOW=$at ok calibrate session create --cycle a25 --population payments --facilitator H001 \
	--participants M001 --name a25-room --guidance 1=0-100
PLUMB_NOW=$at ok cycle advance --cycle a25 # calibration
for p in E101 E102; do
	PLUMB_NOW=$at ok --as H001 calibrate mark --session a25-room --person "$p" --mark question \
		--comment "$p's rating reads low"
done
PLUMB_NOW=$at ok --as H001 calibrate session open --session a25-room
PLUMB_NOW=$at ok --as M001 calibrate change --session a25-room --person E101 --dimension delivery \
	--rating 4 --reason "carried the refunds migration" --evidence link:https://x.example/refunds
PLUMB_NOW=$at ok --as H001 calibrate session close --session a25-room
close_cycle a25
# Only the evaluations (anonymized) and the audit log are due.
sed -e 's/evaluations: {days: 2555, action: delete}/evaluations: {days: 300, action: anonymize}/' \
	-e 's/audit_log: {days: 3650, action: anonymize}/audit_log: {days: 30, action: anonymize}/' \
	"$ROOT/examples/policy.yaml" >"$T/policy.yaml"
ok policy import "$T/policy.yaml"
disable_audit_triggers
seq=$(sql "SELECT MIN(seq) FROM audit_log WHERE action = 'calibrate.mark'")
sql "UPDATE audit_log SET detail = '{\"edited\":true}' WHERE seq = $seq"
PLUMB_NOW="$ASOF" run retention apply --as-of "$ASOF" --batch 100
expect_status 1
expect_err "audit entry $seq "
# What the committed batches did, as their audit entries count it.
done=$(sql "SELECT detail FROM audit_log WHERE action = 'retention.apply'" |
	jq -s 'map((.count // 0) + (.calibration_changes // 0) + (.calibration_marks // 0)) | add')
[ "$(sql "SELECT COUNT(*) FROM calibration_marks WHERE comment = ''")" = 2 ] ||
	fail "the calibration batch did not commit"
expect_err "$done rows were deleted, anonymized or emptied in batches committed before this one"
