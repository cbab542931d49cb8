# Retention of calibration data: a session's marks (a participant's agree or question, with a
# comment) and changes (a rating from and to, the reason and the evidence) about a person are
# part of their evaluation in that cycle.  The evaluations rule takes them (delete: the rows;
# anonymize: the comment, the reason and the evidence), the ratings rule the changes, which
# hold ratings; they are due with the oldest evaluation version of their cycle and person, and
# a hold on the person or on the participant who wrote one keeps it.  Found in the governance
# hunt: they belonged to no category, and stayed after the rules took the evaluations.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
ASOF=$(date -u -d "@$((NOW + 1 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person H001 --role manager
review_data_400_days_ago # M001 evaluated E101 (DE) and E102 (US) in cycle a25
at=$(ago 400)
PLUMB_NOW=$at ok calibrate session create --cycle a25 --population payments --facilitator H001 \
	--participants M001 --name a25-room --guidance 1=0-100
PLUMB_NOW=$at ok cycle advance --cycle a25 # calibration
for p in E101 E102; do
	PLUMB_NOW=$at ok --as H001 calibrate mark --session a25-room --person "$p" --mark question \
		--comment "$p's rating reads low for the refunds rewrite"
done
PLUMB_NOW=$at ok --as H001 calibrate session open --session a25-room
for p in E101 E102; do
	PLUMB_NOW=$at ok --as M001 calibrate change --session a25-room --person "$p" --dimension delivery \
		--rating 4 --reason "$p carried the refunds migration" --evidence link:https://x.example/refunds
done
PLUMB_NOW=$at ok --as H001 calibrate session close --session a25-room
close_cycle a25
calib() { # PERSON: "marks:comment|... changes:reason|evidence|..." of the person
	echo "$(sql "SELECT m.mark || ':' || m.comment FROM calibration_marks m JOIN people p ON p.id = m.person_id WHERE p.employee_id = '$1'") $(sql "SELECT CAST(c.from_rating AS INTEGER) || '-' || CAST(c.to_rating AS INTEGER) || ':' || c.reason || ':' || c.evidence FROM calibration_changes c JOIN people p ON p.id = c.person_id WHERE p.employee_id = '$1'")"
}
[ "$(calib E101)" = "question:E101's rating reads low for the refunds rewrite 3-4:E101 carried the refunds migration:[\"link:https://x.example/refunds\"]" ] ||
	fail "setup: $(calib E101)"
e102=$(calib E102)
# E101 can read what calibration holds about them.
ok --as E101 me --json
expect_json '.holdings[] | select(.what | startswith("calibration")) | "\(.category) \(.count)"' "evaluations 2"
ok --as E101 me export
expect_json '.calibration_changes | map("\(.dimension) \(.from) \(.to) \(.reason)") | join(",")' \
	"delivery 3 4 E101 carried the refunds migration"
expect_json '.calibration_marks | map("\(.mark) \(.comment)") | join(",")' \
	"question E101's rating reads low for the refunds rewrite"

# ---- evaluations: anonymize ----
# A hold on E102 keeps what is about them; one on H001 the marks H001 made.
ok hold add --person E102 --reason "case 2026-3: review dispute"
ok hold add --person H001 --reason "case 2026-4: calibration conduct"
sed -e 's/evaluations: {days: 2555, action: delete}/evaluations: {days: 300, action: anonymize}/' \
	"$ROOT/examples/policy.yaml" >"$T/anon.yaml"
ok policy import "$T/anon.yaml"
line() { echo "[.lines[] | select(.category == \"$1\" and .country == $2)][0]"; }
PLUMB_NOW="$ASOF" ok retention plan --as-of "$ASOF" --json
expect_json "$(line evaluations '"DE"') | \"\(.calibration) \(.calibration_held)\"" "1 1"
expect_json "$(line evaluations '"US"') | \"\(.calibration) \(.calibration_held)\"" "0 2"
expect_json "$(line ratings '"DE"') | .calibration" 0
PLUMB_NOW="$ASOF" ok retention plan --as-of "$ASOF"
expect_out "evaluations, DE: 300 days, anonymize: cutoff"
expect_out "calibration marks and changes: 1 to do, 1 held"
expect_out "calibration marks and changes: 0 to do, 2 held"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
expect_json "$(line evaluations '"DE"') | .calibration" 1
# The words are gone; the mark and the ratings stay.  The held E102's are as they were, and
# so is the mark H001 made.
[ "$(calib E101)" = "question:E101's rating reads low for the refunds rewrite 3-4::[]" ] ||
	fail "anonymized: $(calib E101)"
[ "$(calib E102)" = "$e102" ] || fail "the held person's calibration data changed: $(calib E102)"
[ "$(sql "SELECT detail FROM audit_log WHERE action = 'retention.apply' AND detail LIKE '%calibration_changes%'" |
	jq -r '"\(.category) \(.country) \(.calibration_changes) \(.calibration_marks) \(.action)"')" = "evaluations DE 1 0 anonymize" ] ||
	fail "the calibration batch is not audited: $(sql "SELECT detail FROM audit_log WHERE action = 'retention.apply'")"
PLUMB_NOW="$ASOF" ok retention plan --as-of "$ASOF" --json
expect_json "$(line evaluations '"DE"') | \"\(.calibration) \(.calibration_held)\"" "0 1"
ok audit verify
ok hold release 2 --reason "conduct reviewed"

# ---- ratings: the changes go, they hold ratings; the marks stay ----
sed -e 's/ratings: {days: 1825, action: delete}/ratings: {days: 300, action: delete}/' "$T/anon.yaml" >"$T/ratings.yaml"
ok policy import "$T/ratings.yaml"
PLUMB_NOW="$ASOF" ok retention plan --as-of "$ASOF" --json
expect_json "$(line ratings '"DE"') | \"\(.calibration) \(.calibration_held)\"" "1 0"
expect_json "$(line ratings '"US"') | \"\(.calibration) \(.calibration_held)\"" "0 1"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
[ "$(calib E101)" = "question: " ] || fail "ratings rule: $(calib E101)"
[ "$(calib E102)" = "$e102" ] || fail "the held person's calibration data changed: $(calib E102)"

# ---- evaluations: delete; released, the hold's go too ----
sed -e 's/evaluations: {days: 300, action: anonymize}/evaluations: {days: 300, action: delete}/' "$T/ratings.yaml" >"$T/del.yaml"
ok policy import "$T/del.yaml"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
expect_json "$(line evaluations '"DE"') | .calibration" 1
[ "$(calib E101)" = " " ] || fail "evaluations delete: $(calib E101)"
[ "$(calib E102)" = "$e102" ] || fail "the held person's calibration data changed: $(calib E102)"
ok hold release 1 --reason "dispute settled"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
expect_json "$(line ratings '"US"') | .calibration" 1
expect_json "$(line evaluations '"US"') | .calibration" 1
[ "$(sql "SELECT (SELECT COUNT(*) FROM calibration_changes) + (SELECT COUNT(*) FROM calibration_marks)")" = 0 ] ||
	fail "calibration data kept after the release"
ok audit verify
