# Legal holds stop retention: a person hold keeps that person's events and individual metric
# values (and their raw payloads, which those events still refer to), a category hold the
# whole category; the plan counts what each hold keeps, apply leaves it, and once a hold is
# released the next apply deletes it.  The audit chain verifies throughout.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
ASOF=$(date -u -d "@$((NOW + 60 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add deploy --name deploys
ok identity link deploy lschmidt --person E101 # DE: 730 days
ok identity link deploy amehta --person E201   # IN: 1095 days
sed 's/raw_payloads: {days: 400, action: delete}/raw_payloads: {days: 30, action: delete}/' \
	"$ROOT/examples/policy.yaml" >"$T/policy.yaml"
ok policy import "$T/policy.yaml"
{
	echo "id,service,environment,sha,ref,started,finished,status,actor"
	echo "D1,api,production,aaaaaa1,main,$(ago 800),$(ago 800),success,lschmidt"
	echo "D2,api,production,aaaaaa2,main,$(ago 900),$(ago 900),success,lschmidt"
	echo "D3,api,production,aaaaaa3,main,$(ago 1200),$(ago 1200),success,amehta"
	echo "D4,api,production,aaaaaa4,main,$(ago 1200),$(ago 1200),success,"
} >"$T/old.csv"
ok ingest --source deploys "$T/old.csv"
def=$(sql "SELECT MIN(id) FROM metric_defs")
old_end=$(($(date -u -d "$(ago 2000)" +%s) * 1000))
sql "INSERT INTO metric_values(def_id, scope, scope_id, period_start, period_end, grain, statistic,
  value, n, detail, inputs_hash, computed_at) SELECT $def, 'individual', id, 0, $old_end, 'all', 'count', 1, 1,
  '{}', 'x', 0 FROM people WHERE employee_id IN ('E101', 'E201')"

ok hold add --person E101 --reason "case 2024-17: dismissal dispute"
expect_out "hold 1 placed on person E101"
ok retention plan --as-of "$ASOF" --json
line() { echo "[.lines[] | select(.category == \"$1\" and .country == $2)][0]"; }
expect_json "$(line events '"DE"') | \"\(.due) \(.affected) \(.held)\"" "2 0 2"
expect_json "$(line events '"DE"') | .holds | map(\"\(.hold) \(.covers) \(.rows)\") | join(\",\")" "1 person E101 2"
expect_json "$(line events '"IN"') | \"\(.due) \(.affected) \(.held)\"" "1 1 0"
expect_json "$(line metric_values '"DE"') | \"\(.due) \(.affected) \(.held)\"" "1 0 1"
expect_json "$(line metric_values '"IN"') | \"\(.due) \(.affected) \(.held)\"" "1 1 0"
expect_json .held 3
ok retention plan --as-of "$ASOF"
expect_out "held by hold 1 (person E101): 2"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
expect_json "$(line events '"DE"') | \"\(.affected) \(.held)\"" "0 2"
[ "$(sql "SELECT external_id FROM events ORDER BY external_id" | tr '\n' ' ')" = "D1 D2 " ] || fail "held events deleted, or others kept"
[ "$(sql "SELECT COUNT(*) FROM metric_values v JOIN people p ON p.id = v.scope_id WHERE p.employee_id = 'E101'")" = 1 ] ||
	fail "the held person's metric value was deleted"
[ "$(sql "SELECT COUNT(*) FROM metric_values")" = 1 ] || fail "E201's value kept"
# The raw payload is still referred to by the held events: kept whole.
[ "$(sql "SELECT COUNT(*) FROM raw_payloads WHERE encoding = 'deleted'")" = 0 ] || fail "a payload of held events was emptied"
ok audit verify

# A category hold keeps all of a category, whatever the person holds.
ok hold add --category events --reason "regulator inquiry 9"
ok retention plan --as-of "$ASOF" --json
expect_json "$(line events '"DE"') | .holds | map(\"\(.hold) \(.covers) \(.rows)\") | join(\",\")" "2 category events 2"
ok hold release 1 --reason "case settled"
expect_out "hold 1 released"
ok retention plan --as-of "$ASOF" --json
expect_json "$(line events '"DE"') | \"\(.due) \(.affected) \(.held)\"" "2 0 2"
expect_json "$(line metric_values '"DE"') | \"\(.due) \(.affected) \(.held)\"" "1 1 0"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
[ "$(sql "SELECT COUNT(*) FROM events")" = 2 ] || fail "the category hold did not keep the events"
[ "$(sql "SELECT COUNT(*) FROM metric_values")" = 0 ] || fail "released person hold still kept the metric value"

# Released, the next apply deletes them, and then the payload they referred to.
ok hold release 2 --reason "inquiry closed"
ok retention plan --as-of "$ASOF" --json
expect_json "$(line events '"DE"') | \"\(.due) \(.affected) \(.held)\"" "2 2 0"
expect_json "$(line raw_payloads null) | \"\(.affected)\"" "1"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
expect_json "$(line events '"DE"') | .affected" 2
expect_json "$(line raw_payloads null) | .affected" 1
[ "$(sql "SELECT COUNT(*) FROM events")" = 0 ] || fail "events kept after release"
ok hold list --all --json
expect_json 'map("\(.id) \(.person) \(.category) \(.released_by) \(.release_reason)") | join(",")' \
	"1 E101 null admin case settled,2 null events admin inquiry closed"
ok hold list --json
expect_json length 0
ok audit verify
ok audit log --object hold:1 --json
expect_json 'map(.action) | join(",")' "hold.add,hold.release"

# A person hold keeps every audit entry about the person from redaction: on their record, on
# their sign-in (user:E101) and any naming them, as the link of their account (found in
# review: only person:E101 was kept, and retention redacted the rest of the evidence about
# the very person held).  Entries about others are redacted.
ok user add --person E101 --role employee
sed 's/audit_log: {days: 3650, action: anonymize}/audit_log: {days: 1, action: anonymize}/' \
	"$T/policy.yaml" >"$T/policy-audit.yaml"
ok policy import "$T/policy-audit.yaml"
ok hold add --person E101 --reason "case 2025-3: evidence"
# An entry on someone else's record whose detail names the held person is kept too (found
# hunting: E103's record, naming M001 as manager, was redacted under a hold on M001).
ok hold add --person M001 --reason "case 2025-4: team conduct"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
state() { sql "SELECT CASE WHEN redacted IS NULL THEN 'kept' ELSE 'redacted' END FROM audit_log WHERE $1"; }
[ "$(state "object_type = 'user' AND object_id = 'E101' AND action = 'user.create'")" = kept ] ||
	fail "the held person's sign-in entry was redacted"
[ "$(state "object_type = 'identity' AND object_id = 'deploy:lschmidt' AND action = 'identity.link'")" = kept ] ||
	fail "the link of the held person's account was redacted"
[ "$(state "object_type = 'identity' AND object_id = 'deploy:amehta' AND action = 'identity.link'")" = redacted ] ||
	fail "an entry about someone else was kept"
[ "$(state "object_type = 'person' AND object_id = 'E103' AND action = 'person.create'")" = kept ] ||
	fail "an entry naming the held M001 (E103's record, its manager) was redacted"
[ "$(state "object_type = 'person' AND object_id = 'E201' AND action = 'person.create'")" = redacted ] ||
	fail "an entry naming no held person (E201's record, managed by M002) was kept"
ok audit verify
