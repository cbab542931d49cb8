# Retention of calibration overrides: closing a session outside its distribution guidance keeps
# the reason its facilitator gave (calibration_overrides), free text about the session's
# people.  The evaluations rule takes it by the company rule (a session's people may be
# employed in several countries, as the audit log's close entry carrying the same reason is):
# delete the row, anonymize the reason; due by when it was recorded, once the cycle has closed;
# a hold on one of the session's people or on who closed it keeps it.  Found in the governance
# hunt: it belonged to no category, and stayed after the rules took everything else.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
# A session is closed, and its override recorded, by the system clock, not PLUMB_NOW: the
# rules are looked at 301 days on.
ASOF=$(date -u -d "@$((NOW + 301 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person H001 --role manager
review_data_400_days_ago # M001 evaluated E101 (DE) and E102 (US) in cycle a25
at=$(ago 400)
PLUMB_NOW=$at ok calibrate session create --cycle a25 --population payments --facilitator H001 \
	--participants M001 --name a25-room --guidance 1=50-100
PLUMB_NOW=$at ok cycle advance --cycle a25 # calibration
PLUMB_NOW=$at ok --as H001 calibrate session open --session a25-room
PLUMB_NOW=$at run --as H001 calibrate session close --session a25-room
expect_status 3
PLUMB_NOW=$at ok --as H001 calibrate session close --session a25-room \
	--override-reason "E101 and E102 carried the refunds migration between them"
reason() { sql "SELECT reason FROM calibration_overrides" | paste -sd, -; }
[ "$(reason)" = "E101 and E102 carried the refunds migration between them" ] ||
	fail "setup: no override recorded: $(reason)"
ok --as H001 calibrate session status --session a25-room --json
expect_json '.overrides[0].reason_removed' false
detail=$(sql "SELECT detail FROM calibration_overrides")

sed -e 's/evaluations: {days: 2555, action: delete}/evaluations: {days: 300, action: anonymize}/' \
	"$ROOT/examples/policy.yaml" >"$T/anon.yaml"
ok policy import "$T/anon.yaml"
company='[.lines[] | select(.category == "evaluations" and .country == null)][0]'
# The cycle is still open: the override waits for it.
PLUMB_NOW="$ASOF" ok retention plan --as-of "$ASOF" --json
expect_json "$company | \"\(.calibration) \(.calibration_held)\"" "0 0"
close_cycle a25

# ---- a hold on one of the session's people keeps it ----
ok hold add --person E102 --reason "case 2026-3: review dispute"
PLUMB_NOW="$ASOF" ok retention plan --as-of "$ASOF" --json
expect_json "$company | \"\(.calibration) \(.calibration_held)\"" "0 1"
PLUMB_NOW="$ASOF" ok retention plan --as-of "$ASOF"
expect_out "evaluations, company rule: 300 days, anonymize"
expect_out "calibration overrides: 0 to do, 1 held"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
[ "$(reason)" = "E101 and E102 carried the refunds migration between them" ] ||
	fail "the held session's override was anonymized: $(reason)"
ok hold release 1 --reason "dispute settled"

# ---- anonymize: the reason goes, the departure from guidance stays ----
PLUMB_NOW="$ASOF" ok retention plan --as-of "$ASOF" --json
expect_json "$company | \"\(.calibration) \(.calibration_held)\"" "1 0"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
expect_json "$company | .calibration" 1
[ "$(sql "SELECT '[' || reason || '] ' || detail FROM calibration_overrides")" = "[] $detail" ] ||
	fail "anonymized: $(sql "SELECT reason, detail FROM calibration_overrides")"
[ "$(sql "SELECT detail FROM audit_log WHERE action = 'retention.apply' AND detail LIKE '%calibration_overrides%'" |
	jq -r '"\(.category) \(.country) \(.calibration_overrides) \(.action)"')" = "evaluations null 1 anonymize" ] ||
	fail "the override batch is not audited: $(sql "SELECT detail FROM audit_log WHERE action = 'retention.apply'")"
PLUMB_NOW="$ASOF" ok retention plan --as-of "$ASOF" --json
expect_json "$company | .calibration" 0 # an anonymized reason is not due again
ok --as H001 calibrate session status --session a25-room
expect_out "reason: (removed by retention) (by H001)"
# The core says the reason was removed; the faces do not guess it from an empty string.
ok --as H001 calibrate session status --session a25-room --json
expect_json '.overrides[0] | "[\(.reason)] \(.reason_removed)"' "[] true"
serve
http GET /calibration/a25-room -H "Authorization: Bearer $(token H001 read)"
expect_http 200
grep -qF "(removed by retention) - H001" "$T/out" || fail "the page does not say the reason was removed"
stop_server

# ---- delete: the row goes ----
sed -e 's/evaluations: {days: 300, action: anonymize}/evaluations: {days: 300, action: delete}/' \
	"$T/anon.yaml" >"$T/del.yaml"
ok policy import "$T/del.yaml"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
expect_json "$company | .calibration" 1
[ "$(sql "SELECT COUNT(*) FROM calibration_overrides")" = 0 ] || fail "the override was kept after a delete"
ok audit verify
