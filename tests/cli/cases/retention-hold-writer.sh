# A person hold keeps what the person wrote, not only what was written about them: the
# feedback a held peer gave, the evaluations a held manager wrote, and the audit entries of
# what a held user did (found hunting: retention anonymized a held peer's feedback on
# someone else and a held manager's cases, and redacted the held manager's own actions).
# A row covered by two person holds counts once, under the older hold.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
ASOF=$(date -u -d "@$((NOW + 1 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
sed -e 's/feedback_text: {days: 730, action: delete}/feedback_text: {days: 300, action: anonymize}/' \
	-e 's/evaluations: {days: 2555, action: delete}/evaluations: {days: 300, action: anonymize}/' \
	-e 's/audit_log: {days: 3650, action: anonymize}/audit_log: {days: 300, action: anonymize}/' \
	"$ROOT/examples/policy.yaml" >"$T/anon.yaml"
grep -q "audit_log: {days: 300" "$T/anon.yaml" || fail "policy edit"
ok policy import "$T/anon.yaml"
review_data_400_days_ago
close_cycle a25 # retention leaves an open cycle's review data
m001_acts=$(sql "SELECT COUNT(*) FROM audit_log a JOIN users u ON u.name = a.actor JOIN people p ON p.id = u.person_id WHERE p.employee_id = 'M001'")
[ "$m001_acts" -ge 4 ] || fail "M001's nominations and evaluations are not audited as theirs: $m001_acts"

# E103, a peer, is held; E101 (whom E103 wrote about) is not.
ok hold add --person E103 --reason "case 2026-5: harassment complaint"
PLUMB_NOW="$ASOF" ok retention plan --as-of "$ASOF" --json
line() { echo "[.lines[] | select(.category == \"$1\" and .country == $2)][0]"; }
expect_json "$(line feedback_text '"DE"') | \"\(.due) \(.affected) \(.held)\"" "2 1 1"
expect_json "$(line feedback_text '"DE"') | .holds | map(\"\(.hold) \(.covers) \(.rows)\") | join(\",\")" "1 person E103 1"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
[ "$(sql "SELECT p.employee_id || ':' || CASE WHEN f.body LIKE '%design docs%' THEN 'words' ELSE 'none' END FROM feedback_responses f JOIN review_assignments a ON a.id = f.assignment_id JOIN people p ON p.id = a.reviewer_id ORDER BY p.employee_id" | tr '\n' ' ')" = \
	"E102:none E103:words " ] || fail "feedback after a hold on its writer: $(sql "SELECT assignment_id, body FROM feedback_responses")"
# Evaluations M001 wrote were not held by E103's hold: anonymized.
[ "$(sql "SELECT COUNT(*) FROM evaluations WHERE manager_case <> ''")" = 0 ] || fail "E103's hold kept evaluations"

# M001, the manager who wrote the evaluations, is held: their later versions keep the
# manager's case, and the audit entries of what M001 did are not redacted.
ok hold add --person M001 --reason "case 2026-6: rating dispute"
# (in a later cycle: a25 is closed)
PLUMB_NOW=$(ago 370) ok cycle create b25 --kind annual --scope payments --from "$(ago 400)" --to "$(ago 370)"
for _ in 1 2; do PLUMB_NOW=$(ago 360) ok cycle advance --cycle b25; done
PLUMB_NOW=$(ago 350) ok --as M001 evaluation submit --cycle b25 --person E101 "$T/ev.yaml"
close_cycle b25
PLUMB_NOW="$ASOF" ok retention plan --as-of "$ASOF" --json
expect_json "$(line evaluations '"DE"') | \"\(.due) \(.affected) \(.held)\"" "1 0 1"
expect_json "$(line evaluations '"DE"') | .holds | map(\"\(.hold) \(.covers) \(.rows)\") | join(\",\")" "2 person M001 1"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
[ "$(sql "SELECT COUNT(*) FROM evaluations WHERE manager_case = 'A strong year on refunds.'")" = 1 ] ||
	fail "a held manager's case was anonymized: $(sql "SELECT id, manager_case FROM evaluations")"
# Audit entries are stamped with the real clock: 301 days on, all are past the cutoff.
LATER=$(date -u -d "@$((NOW + 301 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
PLUMB_NOW="$LATER" ok retention apply --as-of "$LATER"
[ "$(sql "SELECT COUNT(*) FROM audit_log a JOIN users u ON u.name = a.actor JOIN people p ON p.id = u.person_id WHERE p.employee_id = 'M001' AND a.redacted IS NOT NULL")" = 0 ] ||
	fail "what the held M001 did was redacted"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE redacted IS NOT NULL")" -gt 0 ] || fail "nothing redacted at all: the line did not run"

# Both holds cover E103's response about E101 only through E103; a response both a
# reviewee's and a writer's hold cover counts once, under the older hold.
ok hold add --person E101 --reason "case 2026-7"
PLUMB_NOW="$ASOF" ok retention plan --as-of "$ASOF" --json
expect_json "$(line feedback_text '"DE"') | .holds | map(\"\(.hold) \(.covers) \(.rows)\") | join(\",\")" "1 person E103 1"
# Released, the writer's feedback goes the way of the rest.
ok hold release 1 --reason "complaint closed"
ok hold release 3 --reason "closed"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses WHERE body LIKE '%design docs%'")" = 0 ] || fail "kept after the release"
ok audit verify
