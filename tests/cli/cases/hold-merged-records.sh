# A legal hold on a person covers everything that is that human's, whichever of their records
# `person merge` made one it names: a hold on the record merged away (placed after the merge)
# keeps the events and metric values now under the record it went into and the audit entries
# about it, and a hold on the record that stayed keeps the metric values and audit entries
# the merge left under the merged record (found hunting merges: each kept only the rows of
# the very record it named, and retention deleted the rest of the human's data).
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
ASOF=$(date -u -d "@$((NOW + 60 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add deploy --name deploys
ok identity link deploy lschmidt --person E101 # DE: events kept 730 days
ok identity link deploy mnguyen --person E102  # US: 1095 days
ok identity link deploy amehta --person E201   # IN: 1095 days
ok identity link deploy ksato --person E203    # US
ok identity link deploy eclarke --person E202  # US, no hold: the control
sed -e 's/audit_log: {days: 3650, action: anonymize}/audit_log: {days: 30, action: anonymize}/' \
	"$ROOT/examples/policy.yaml" >policy.yaml
grep -q "audit_log: {days: 30" policy.yaml || fail "policy edit"
ok policy import policy.yaml
{
	echo "id,service,environment,sha,ref,started,finished,status,actor"
	echo "D1,api,production,aaaaaa1,main,$(ago 1200),$(ago 1200),success,lschmidt"
	echo "D2,api,production,aaaaaa2,main,$(ago 1200),$(ago 1200),success,mnguyen"
	echo "D3,api,production,aaaaaa3,main,$(ago 1200),$(ago 1200),success,amehta"
	echo "D4,api,production,aaaaaa4,main,$(ago 1200),$(ago 1200),success,ksato"
	echo "D5,api,production,aaaaaa5,main,$(ago 1200),$(ago 1200),success,eclarke"
} >old.csv
ok ingest --source deploys old.csv
# An individual value for each record, its period ended 2000 days ago (kept 1825).
def=$(sql "SELECT MIN(id) FROM metric_defs")
old_end=$(($(date -u -d "$(ago 2000)" +%s) * 1000))
sql "INSERT INTO metric_values(def_id, scope, scope_id, period_start, period_end, grain, statistic,
  value, n, detail, inputs_hash, computed_at) SELECT $def, 'individual', id, 0, $old_end, 'all', 'count', 1, 1,
  '{}', 'x', 0 FROM people WHERE employee_id IN ('E101', 'E102', 'E201', 'E202', 'E203')"

# E102 is found to be E101: their events go to E101; a hold then names the record merged
# away, as the case papers do.
ok person merge E102 --into E101 --reason "one human, two records"
ok hold add --person E102 --reason "case 2026-31"
old_hold=$(sql "SELECT MAX(id) FROM legal_holds")
# E201 is held, then E203 is found to be them.
ok hold add --person E201 --reason "case 2026-32"
new_hold=$(sql "SELECT MAX(id) FROM legal_holds")
ok person merge E203 --into E201 --reason "one human, two records"

ok retention plan --as-of "$ASOF" --json
line() { echo "[.lines[] | select(.category == \"$1\" and .country == \"$2\")][0]"; }
# E101's two deployments (theirs and E102's) are due under DE's 730 days, and the hold on E102
# keeps both; E201's two under IN's rule, kept by the hold on E201; E202's goes.
expect_json "$(line events DE) | \"\(.due) \(.affected) \(.held)\"" "2 0 2"
expect_json "$(line events DE) | .holds | map(\"\(.hold) \(.covers) \(.rows)\") | join(\",\")" "$old_hold person E102 2"
expect_json "$(line events IN) | \"\(.due) \(.affected) \(.held)\"" "2 0 2"
expect_json "$(line events US) | \"\(.due) \(.affected) \(.held)\"" "1 1 0"
# The values: E101's (DE) and E102's (US) under the hold on E102, E201's (IN) and E203's (US)
# under the hold on E201; E202's goes.
expect_json "$(line metric_values DE) | \"\(.due) \(.affected) \(.held)\"" "1 0 1"
expect_json "$(line metric_values DE) | .holds | map(\"\(.hold) \(.covers) \(.rows)\") | join(\",\")" "$old_hold person E102 1"
expect_json "$(line metric_values US) | \"\(.due) \(.affected) \(.held)\"" "3 1 2"
expect_json "$(line metric_values US) | .holds | map(\"\(.hold) \(.covers) \(.rows)\") | join(\",\")" \
	"$old_hold person E102 1,$new_hold person E201 1"

PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
[ "$(sql "SELECT external_id FROM events ORDER BY external_id" | tr '\n' ' ')" = "D1 D2 D3 D4 " ] ||
	fail "a held human's events were deleted, or E202's kept: $(sql "SELECT external_id FROM events")"
[ "$(sql "SELECT p.employee_id FROM metric_values v JOIN people p ON p.id = v.scope_id ORDER BY 1" | tr '\n' ' ')" = "E101 E102 E201 E203 " ] ||
	fail "a held human's metric values were deleted, or E202's kept: $(sql "SELECT p.employee_id FROM metric_values v JOIN people p ON p.id = v.scope_id")"
# The audit entries about each record of a held human are kept; E202's are redacted.
state() { sql "SELECT CASE WHEN redacted IS NULL THEN 'kept' ELSE 'redacted' END FROM audit_log WHERE $1"; }
for who in E101 E102 E201 E203; do
	[ "$(state "object_type = 'person' AND object_id = '$who' AND action = 'person.create'")" = kept ] ||
		fail "the entry creating $who, a record of a held human, was redacted"
done
[ "$(state "object_type = 'identity' AND object_id = 'deploy:ksato' AND action = 'identity.link'")" = kept ] ||
	fail "the link of E203's account (the held E201's) was redacted"
[ "$(state "object_type = 'identity' AND object_id = 'deploy:lschmidt' AND action = 'identity.link'")" = kept ] ||
	fail "the link of E101's account (the held E102's) was redacted"
[ "$(state "object_type = 'person' AND object_id = 'E202' AND action = 'person.create'")" = redacted ] ||
	fail "an entry about E202, held by no one, was kept"
[ "$(state "object_type = 'identity' AND object_id = 'deploy:eclarke' AND action = 'identity.link'")" = redacted ] ||
	fail "the link of E202's account was kept"
ok audit verify

# The hold on E102 holds E101, the human's record now: E101's events are not moved out of it
# by an unlink of its account (exit status 5, nothing written), as with a hold on E101 itself.
# (A merge of E101 into another record of the human keeps them held: person-merge-held.sh.)
before=$(counts)
run identity unlink deploy mnguyen
expect_status 5
expect_err "E101 is under a legal hold"
expect_counts "$before"
