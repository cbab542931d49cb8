# retention apply commits batch by batch: when a later batch fails (here the audit line meets an
# entry edited by hand), the error says what the batches before it did, audited as they were,
# and that running apply again finishes (found in review: only the failure was told, though
# events were gone).
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
ASOF=$(date -u -d "@$((NOW + 60 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add deploy --name deploys
sed 's/audit_log: {days: 3650, action: anonymize}/audit_log: {days: 30, action: anonymize}/' \
	"$ROOT/examples/policy.yaml" >"$T/policy.yaml"
ok policy import "$T/policy.yaml"
{
	echo "id,service,environment,sha,ref,started,finished,status,actor"
	for i in 1 2 3; do echo "D$i,api,production,aaaaaa$i,main,$(ago 1200),$(ago 1200),success,"; done
} >"$T/old.csv"
ok ingest --source deploys "$T/old.csv"
disable_audit_triggers
sql "UPDATE audit_log SET detail = '{\"edited\":true}' WHERE seq = 2"
PLUMB_NOW="$ASOF" run retention apply --as-of "$ASOF" --batch 2
expect_status 1
expect_err "audit entry 2 "
expect_err "3 rows were deleted, anonymized or emptied in batches committed before this one, each audited as retention.apply"
expect_err "run 'plumb retention apply' again once the cause is fixed"
[ "$(sql "SELECT COUNT(*) FROM events")" = 0 ] || fail "the events batches did not commit"
ok audit log --object retention:events --json
expect_json 'map(.detail.count) | add' 3
