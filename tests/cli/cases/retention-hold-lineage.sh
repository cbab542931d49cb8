# A held metric value keeps the events its lineage names, from deletion and anonymizing:
# they are the value's evidence (found hunting: retention deleted them, and the value's
# lineage with them, under a hold on metric_values).  A category hold on metric_values keeps
# every event a value names; a person hold the events the person's individual values name,
# counted under that hold; the raw payload those events refer to stays whole; released, the
# next apply deletes them and their lineage.
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
	echo "D3,api,production,aaaaaa3,main,$(ago 1200),$(ago 1200),success,amehta"
	echo "D4,api,production,aaaaaa4,main,$(ago 1200),$(ago 1200),success,"
} >"$T/old.csv"
ok ingest --source deploys "$T/old.csv"
def=$(sql "SELECT MIN(id) FROM metric_defs")
recent_end=$(($(date -u -d "$(ago 10)" +%s) * 1000))
# A team value whose lineage names D3 and D4, and E101's individual value naming D3 (E201's
# deployment: say, one E101 approved).  Neither value is due.
sql "INSERT INTO metric_values(def_id, scope, scope_id, period_start, period_end, grain, statistic,
  value, n, detail, inputs_hash, computed_at) VALUES ($def, 'team', (SELECT MIN(id) FROM teams), 0,
  $recent_end, 'all', 'count', 2, 2, '{}', 'x', 0)"
sql "INSERT INTO metric_values(def_id, scope, scope_id, period_start, period_end, grain, statistic,
  value, n, detail, inputs_hash, computed_at) SELECT $def, 'individual', id, 0, $recent_end, 'all',
  'count', 1, 1, '{}', 'y', 0 FROM people WHERE employee_id = 'E101'"
sql "INSERT INTO metric_lineage(value_id, event_id, role) SELECT v.id, e.id, 'input' FROM metric_values v,
  events e WHERE (v.scope = 'team' AND e.external_id IN ('D3', 'D4')) OR (v.scope = 'individual' AND e.external_id = 'D3')"
[ "$(sql "SELECT COUNT(*) FROM metric_lineage")" = 3 ] || fail "lineage setup"

line() { echo "[.lines[] | select(.category == \"$1\" and .country == $2)][0]"; }
holds() { echo "$(line "$1" "$2") | .holds | map(\"\(.hold) \(.covers) \(.rows)\") | join(\",\")"; }
ok hold add --category metric_values --reason "regulator inquiry 4: delivery figures"
ok retention plan --as-of "$ASOF" --json
expect_json "$(line events '"IN"') | \"\(.due) \(.affected) \(.held)\"" "1 0 1"
expect_json "$(holds events '"IN"')" "1 category metric_values 1"
expect_json "$(line events null) | \"\(.due) \(.affected) \(.held)\"" "1 0 1"
expect_json "$(line events '"DE"') | \"\(.due) \(.affected) \(.held)\"" "1 1 0"
expect_json "$(line raw_payloads null) | .affected" 0
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
[ "$(sql "SELECT external_id FROM events ORDER BY external_id" | tr '\n' ' ')" = "D3 D4 " ] ||
	fail "events held values name were deleted, or D1 kept: $(sql "SELECT external_id FROM events")"
[ "$(sql "SELECT COUNT(*) FROM metric_lineage")" = 3 ] || fail "the lineage of held values was deleted"
[ "$(sql "SELECT COUNT(*) FROM raw_payloads WHERE encoding = 'deleted'")" = 0 ] || fail "the payload of kept events was emptied"

# An anonymize rule leaves them as they are too: who did the work is the value's evidence.
sed 's/events: {days: 1095, action: delete}/events: {days: 1095, action: anonymize}/' "$T/policy.yaml" >"$T/anon.yaml"
ok policy import "$T/anon.yaml"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
[ "$(sql "SELECT account FROM events WHERE external_id = 'D3'")" = amehta ] || fail "a held value's event was anonymized"
ok policy import "$T/policy.yaml"

# A person hold: the events E101's individual values name, counted under E101's hold.
ok hold add --person E101 --reason "case 2026-9"
ok hold release 1 --reason "inquiry closed"
ok retention plan --as-of "$ASOF" --json
expect_json "$(line events '"IN"') | \"\(.due) \(.affected) \(.held)\"" "1 0 1"
expect_json "$(holds events '"IN"')" "2 person E101 1"
expect_json "$(line events null) | \"\(.due) \(.affected) \(.held)\"" "1 1 0"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
[ "$(sql "SELECT external_id FROM events ORDER BY external_id" | tr '\n' ' ')" = "D3 " ] ||
	fail "after the person hold: $(sql "SELECT external_id FROM events")"
[ "$(sql "SELECT COUNT(*) FROM metric_lineage")" = 2 ] || fail "lineage of D3 (held) or D4 (free): $(sql "SELECT * FROM metric_lineage")"

# D3 is E201's: a hold on E201 too (newer than E101's) leaves it under E101's, the older; one
# older than E101's would take it (found in review: the value's person's hold was taken
# whatever the event's own person's).
ok hold add --person E201 --reason "case 2026-10"
ok retention plan --as-of "$ASOF" --json
expect_json "$(holds events '"IN"')" "2 person E101 1"
ok hold release 2 --reason "case closed"
ok hold add --person E101 --reason "case 2026-9, reopened"
ok retention plan --as-of "$ASOF" --json
expect_json "$(holds events '"IN"')" "3 person E201 1"
ok hold release 3 --reason "case 2026-10 closed"

# Released, the next apply deletes D3 and its lineage, then the payload.
ok hold release 4 --reason "case closed"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
[ "$(sql "SELECT COUNT(*) FROM events")" = 0 ] || fail "kept after the release"
[ "$(sql "SELECT COUNT(*) FROM metric_lineage")" = 0 ] || fail "lineage kept after the release"
[ "$(sql "SELECT COUNT(*) FROM raw_payloads WHERE encoding = 'deleted'")" = 1 ] || fail "payload kept after the release"
ok audit verify
