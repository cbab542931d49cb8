# Retention of review data: feedback text, ratings and evaluations follow the reviewee's
# country rule.  Anonymizing feedback keeps a response's ratings and drops its words;
# anonymizing an evaluation keeps its version and ratings and drops the manager's case, the
# reason and the evidence; ratings are always deleted; delete removes the rows.  A person
# hold keeps all of it; the audit chain verifies.  The review data is made 400 days ago.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
ASOF=$(date -u -d "@$((NOW + 1 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
sed -e 's/feedback_text: {days: 730, action: delete}/feedback_text: {days: 300, action: anonymize}/' \
	-e 's/ratings: {days: 1825, action: delete}/ratings: {days: 365, action: anonymize}/' \
	-e 's/evaluations: {days: 2555, action: delete}/evaluations: {days: 300, action: anonymize}/' \
	"$ROOT/examples/policy.yaml" >"$T/anon.yaml"
ok policy import "$T/anon.yaml"
review_data_400_days_ago
close_cycle a25 # retention leaves an open cycle's review data
ok hold add --person E102 --reason "case 2026-3: review dispute"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses")" = 2 ] || fail "feedback rows"

PLUMB_NOW="$ASOF" ok retention plan --as-of "$ASOF" --json
line() { echo "[.lines[] | select(.category == \"$1\" and .country == $2)][0]"; }
# E101 is in DE, E102 in US: the company rule applies to both for review data.  The hold
# on E102 keeps the feedback E102 wrote about E101 (retention-hold-writer.sh).
expect_json "$(line feedback_text '"DE"') | \"\(.action) \(.due) \(.affected)\"" "anonymize 2 1"
expect_json "$(line ratings '"DE"') | \"\(.action) \(.due) \(.affected)\"" "delete 1 1"
expect_json "$(line ratings '"US"') | \"\(.action) \(.due) \(.affected) \(.held)\"" "delete 1 0 1"
expect_json "$(line evaluations '"DE"') | \"\(.action) \(.due) \(.affected)\"" "anonymize 1 1"
expect_json "$(line evaluations '"US"') | \"\(.due) \(.affected) \(.held)\"" "1 0 1"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
# The words are gone, the ratings stay; the response still counts.
[ "$(sql "SELECT body FROM feedback_responses ORDER BY id DESC LIMIT 1")" = '{"anonymized":true,"ratings":{"collaboration":4}}' ] ||
	fail "anonymized feedback: $(sql "SELECT body FROM feedback_responses")"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses WHERE body LIKE '%design docs%'")" = 1 ] || fail "feedback text kept, or the held writer's lost"
# E101's evaluation: no case, no evidence, no ratings; E102's (held) untouched.
[ "$(sql "SELECT p.employee_id || ':' || e.manager_case || ':' || (SELECT COUNT(*) FROM evaluation_evidence x WHERE x.evaluation_id = e.id) || ':' || (SELECT COUNT(*) FROM evaluation_ratings r WHERE r.evaluation_id = e.id) FROM evaluations e JOIN people p ON p.id = e.person_id ORDER BY p.employee_id" | tr '\n' ' ')" = \
	"E101::0:0 E102:A strong year on refunds.:1:3 " ] || fail "evaluations: $(sql "SELECT * FROM evaluations")"
PLUMB_NOW="$ASOF" ok retention plan --as-of "$ASOF" --json
expect_json "$(line feedback_text '"DE"') | \"\(.due) \(.held)\"" "1 1"
expect_json "$(line evaluations '"DE"') | .due" 0
# Delete: a peer group goes whole, so the hold on E102, one of its writers, keeps both its
# responses (feedback-retention-delete-group.sh); the evaluation rows go.
sed -e 's/feedback_text: {days: 300, action: anonymize}/feedback_text: {days: 300, action: delete}/' \
	-e 's/evaluations: {days: 300, action: anonymize}/evaluations: {days: 300, action: delete}/' "$T/anon.yaml" >"$T/del.yaml"
ok policy import "$T/del.yaml"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses")" = 2 ] || fail "the held writer's peer group was not kept whole"
[ "$(sql "SELECT p.employee_id FROM evaluations e JOIN people p ON p.id = e.person_id")" = E102 ] || fail "evaluations: $(sql "SELECT person_id FROM evaluations")"
ok audit verify

# A category hold on ratings keeps the evaluation versions that hold ratings from a delete,
# which would take the ratings with them (found hunting: the plan listed the ratings held
# while the evaluations line deleted them).
ok hold add --category ratings --reason "pay equity audit 7"
ok hold release 1 --reason "dispute settled"
PLUMB_NOW="$ASOF" ok retention plan --as-of "$ASOF" --json
expect_json "$(line ratings '"US"') | \"\(.due) \(.affected) \(.held)\"" "1 0 1"
expect_json "$(line evaluations '"US"') | \"\(.due) \(.affected) \(.held)\"" "1 0 1"
expect_json "$(line evaluations '"US"') | .holds | map(\"\(.hold) \(.covers) \(.rows)\") | join(\",\")" "2 category ratings 1"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
expect_json "$(line evaluations '"US"') | \"\(.affected) \(.held)\"" "0 1"
[ "$(sql "SELECT COUNT(*) FROM evaluation_ratings")" = 3 ] || fail "held ratings deleted with their evaluation"
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = 1 ] || fail "the evaluation holding held ratings was deleted"
# Released, the ratings go first, then the version.
ok hold release 2 --reason "audit closed"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
expect_json "$(line ratings '"US"') | .affected" 1
expect_json "$(line evaluations '"US"') | .affected" 1
[ "$(sql "SELECT (SELECT COUNT(*) FROM evaluations) + (SELECT COUNT(*) FROM evaluation_ratings)")" = 0 ] ||
	fail "kept after the release"
ok audit verify
