# Retention by the policy's rules: nothing expires without a policy; events follow their
# person's country (DE keeps them 730 days, the company 1095), events without a person the
# company rule; individual metric values their person's country; a raw payload is emptied
# (kept as a stub) only once no surviving event refers to it, counting the events this same
# run deletes.  The plan's counts are what apply does, apply works in batches with an audit
# entry each (rule, cutoff, count, ids; never the data), a second apply finds nothing, and
# the audit chain verifies.  Dates are relative to now, since raw payloads and audit entries
# carry the real clock's time.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
ASOF=$(date -u -d "@$((NOW + 60 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
# As of ASOF: DE's cutoff is 670 days ago, the company's (US, IN, no person) 1035 days ago.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add deploy --name deploys
ok identity link deploy lschmidt --person E101 # DE
ok identity link deploy amehta --person E201   # IN
ok identity link deploy dwhitfield --person H001 # US
{
	echo "id,service,environment,sha,ref,started,finished,status,actor"
	echo "D1,api,production,aaaaaa1,main,$(ago 800),$(ago 800),success,lschmidt"   # DE, past
	echo "D2,api,production,aaaaaa2,main,$(ago 600),$(ago 600),success,lschmidt"   # DE, kept
	echo "D3,api,production,aaaaaa3,main,$(ago 800),$(ago 800),success,amehta"     # IN, kept
	echo "D4,api,production,aaaaaa4,main,$(ago 1100),$(ago 1100),success,"         # no person, past
	echo "D6,api,production,aaaaaa6,main,$(ago 1100),$(ago 1100),success,dwhitfield" # US, past
} >"$T/old.csv"
{
	echo "id,service,environment,sha,ref,started,finished,status,actor"
	echo "D5,api,production,aaaaaa5,main,$(ago 10),$(ago 10),success,lschmidt"
} >"$T/new.csv"
{
	echo "id,service,environment,sha,ref,started,finished,status,actor"
	echo "D7,api,production,aaaaaa7,main,$(ago 1100),$(ago 1100),success,"
} >"$T/gone.csv"
ok ingest --source deploys "$T/old.csv"
ok ingest --source deploys "$T/new.csv"
ok ingest --source deploys "$T/gone.csv"
[ "$(sql "SELECT COUNT(*) FROM events WHERE person_id IS NOT NULL")" = 5 ] || fail "events not attributed"
# Individual metric values (the review cycles bring them; here written as they will be) and
# a team value, all of a period long past.
def=$(sql "SELECT MIN(id) FROM metric_defs")
old_end=$(($(date -u -d "$(ago 500)" +%s) * 1000))
for who in E101 E201; do
	sql "INSERT INTO metric_values(def_id, scope, scope_id, period_start, period_end, grain, statistic,
	  value, n, detail, inputs_hash, computed_at) SELECT $def, 'individual', id, 0, $old_end, 'all', 'count', 1, 1,
	  '{}', 'x', 0 FROM people WHERE employee_id = '$who'"
done
sql "INSERT INTO metric_values(def_id, scope, scope_id, period_start, period_end, grain, statistic, value, n,
  detail, inputs_hash, computed_at) VALUES ($def, 'team', 1, 0, $old_end, 'all', 'count', 1, 1, '{}', 'y', 0)"
sql "INSERT INTO metric_lineage(value_id, event_id, role) SELECT MAX(id), 1, 'input' FROM metric_values"

# Without a policy nothing expires.
ok retention plan --as-of "$ASOF" --json
expect_json .policy_version 0
expect_json .affected 0
expect_json '[.lines[] | select(.due > 0)] | length' 0
expect_json '[.lines[] | select(.cutoff != null)] | length' 0
ok retention plan --as-of "$ASOF"
expect_out "no policy imported, nothing expires"

# The example policy, with raw payloads kept 30 days and DE's individual metric values 365.
sed -e 's/raw_payloads: {days: 400, action: delete}/raw_payloads: {days: 30, action: delete}/' \
	-e 's/^      events: {days: 730, action: delete}/&\n      metric_values: {days: 365, action: delete}/' \
	"$ROOT/examples/policy.yaml" >"$T/policy.yaml"
grep -q "metric_values: {days: 365" "$T/policy.yaml" || fail "policy edit"
ok policy import "$T/policy.yaml"

ok retention plan --as-of "$ASOF" --json
cp "$T/out" "$T/plan.json"
line() { echo "[.lines[] | select(.category == \"$1\" and .country == $2)][0]"; }
expect_json "$(line events '"DE"') | \"\(.rule) \(.due) \(.affected) \(.held) \(.first_id)\"" "events, DE: 730 days, delete 1 1 0 1"
expect_json "$(line events '"IN"') | \"\(.rule) \(.due) \(.affected)\"" "events, IN: 1095 days, delete 0 0"
expect_json "$(line events '"US"') | \"\(.due) \(.affected)\"" "1 1"
expect_json "$(line events null) | \"\(.rule) \(.due) \(.affected)\"" "events, company rule: 1095 days, delete 2 2"
expect_json "$(line metric_values '"DE"') | \"\(.rule) \(.due) \(.affected)\"" "metric_values, DE: 365 days, delete 1 1"
expect_json "$(line metric_values '"IN"') | \"\(.due) \(.affected)\"" "0 0"
expect_json "$(line metric_values null) | \"\(.due) \(.affected)\"" "0 0"
# Three payloads past 30 days; D7's is freed by this run, the other two still referred to.
expect_json "$(line raw_payloads null) | \"\(.rule) \(.due) \(.affected) \(.referenced) \(.action)\"" \
	"raw_payloads: 30 days, delete 3 1 2 empty"
expect_json "$(line feedback_text '"DE"') | \"\(.action) \(.due)\"" "delete 0"
expect_json "$(line audit_log null) | \"\(.action) \(.due)\"" "redact 0"
expect_json .affected 6
ok retention plan --as-of "$ASOF"
expect_out "events, DE: 730 days, delete: cutoff "
expect_out "feedback_text, DE: 730 days, delete: cutoff "
expect_out "total: 6 rows to delete, anonymize or redact, 0 held"

# As of the year 1 every cutoff is the year's first instant, nothing being older (found
# hunting: they were written as "-002-01-02T...", no time at all).
ok retention plan --as-of 0001-01-01 --json
expect_json '[.lines[] | .cutoff | select(. != null)] | unique | join(",")' "0001-01-01T00:00:00.000Z"
expect_json .affected 0
# As of 1972-01-01 DE's 730 days end at the epoch itself: a cutoff there is still one (it
# read as "without limit", the cutoff's zero being that sentinel).
ok retention plan --as-of 1972-01-01 --json
expect_json "$(line events '"DE"') | .cutoff" "1970-01-01T00:00:00.000Z"
ok retention plan --as-of 1972-01-01
expect_out "events, DE: 730 days, delete: cutoff 1970-01-01"

# Nothing was written by planning.
entries=$(sql "SELECT COUNT(*) FROM audit_log")
ok retention plan --as-of "$ASOF"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "a plan wrote to the audit log"

# Apply, two rows a transaction: the same counts, line by line.
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --batch 2 --json
cp "$T/out" "$T/apply.json"
plan_counts=$(jq -c '[.lines[] | [.category, .country, .affected]]' "$T/plan.json")
apply_counts=$(jq -c '[.lines[] | [.category, .country, .affected]]' "$T/apply.json")
[ "$plan_counts" = "$apply_counts" ] || fail "apply did not do what the plan said: $plan_counts vs $apply_counts"
expect_json .affected 6
expect_json "$(line events null) | \"\(.affected) \(.batches)\"" "2 1"
expect_json "[.lines[].batches] | add" 5

# What is gone and what stays.
[ "$(sql "SELECT external_id FROM events ORDER BY external_id" | tr '\n' ' ')" = "D2 D3 D5 " ] || fail "wrong events left: $(sql "SELECT external_id FROM events")"
[ "$(sql "SELECT COUNT(*) FROM metric_lineage")" = 0 ] || fail "lineage of a deleted event kept"
[ "$(sql "SELECT p.employee_id FROM metric_values v JOIN people p ON p.id = v.scope_id WHERE v.scope = 'individual'")" = E201 ] ||
	fail "individual values: DE's should be gone, IN's kept"
[ "$(sql "SELECT COUNT(*) FROM metric_values WHERE scope = 'team'")" = 1 ] || fail "the team value was deleted"
# D7's payload is a stub: no body, its hash and size kept; the others keep their bodies.
[ "$(sql "SELECT COUNT(*) FROM raw_payloads WHERE encoding = 'deleted' AND body = '' AND length(sha256) = 64 AND size > 0")" = 1 ] ||
	fail "no raw payload stub"
[ "$(sql "SELECT COUNT(*) FROM raw_payloads WHERE encoding <> 'deleted'")" = 2 ] || fail "a referred-to payload was emptied"

# One audit entry per batch, saying what under which rule, never the data.
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'retention.apply'")" = 5 ] || fail "one entry per batch"
ok audit log --object retention:events --json
expect_json '[.[] | .detail | "\(.rule)|\(.count)|\(.first_id)"] | join(",")' \
	"events, DE: 730 days, delete|1|1,events, US: 1095 days, delete|1|5,events, company rule: 1095 days, delete|2|4"
expect_json '.[0].detail | "\(.category) \(.country) \(.days) \(.action) \(.cutoff != null) \(.last_id)"' "events DE 730 delete true 1"
! grep -q "lschmidt\|\"D1\"\|E101" "$T/out" || fail "an audit entry holds the deleted data"

# Idempotent: nothing more to do, nothing written.
entries=$(sql "SELECT COUNT(*) FROM audit_log")
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
expect_json .affected 0
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "an empty apply wrote to the audit log"
ok retention plan --as-of "$ASOF" --json
expect_json .affected 0
expect_json "$(line raw_payloads null) | \"\(.due) \(.referenced)\"" "2 2"

ok audit verify
expect_out "0 redacted by retention"

# Reconcile expects the records of deleted events to be missing from events.
ok reconcile --json
expect_json '.sources[0] | "\(.mismatches) \(.deleted_by_retention)"' "0 3"
# Reading the stub's bytes again fills it anew.
ok ingest --source deploys "$T/gone.csv"
[ "$(sql "SELECT COUNT(*) FROM raw_payloads WHERE encoding = 'deleted'")" = 0 ] || fail "the stub stayed empty"
ok reconcile
ok audit verify

# Only an admin plans or applies.
ok user add --person E101 --role people-partner
run --as E101 retention plan
expect_status 3
run --as E101 retention apply
expect_status 3

# Bad input: refused, nothing written.
entries=$(sql "SELECT COUNT(*) FROM audit_log")
run retention apply --batch 0
expect_status 2
expect_err "--batch"
run retention apply --as-of yesterday-ish
expect_status 2
expect_err "--as-of"
run retention plan --as-of 2026-13-45
expect_status 2
# Apply looks no further than now: a date ahead would delete what the policy still keeps.
run retention apply --as-of "$ASOF"
expect_status 2
expect_err "is in the future: apply deletes only what is due now"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "bad input wrote to the audit log"
