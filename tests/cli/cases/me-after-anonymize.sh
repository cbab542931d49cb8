# plumb me after retention anonymized review data: what an anonymize rule has done is not
# shown as due since then (found hunting: a self review anonymized long ago was "due since"
# its cutoff for ever); the oldest still due gives the date, and the anonymized are counted.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
ASOF=$(date -u -d "@$((NOW + 1 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person E101 --role employee
ok user add --person M001 --role manager
sed -e 's/feedback_text: {days: 730, action: delete}/feedback_text: {days: 300, action: anonymize}/' \
	-e 's/evaluations: {days: 2555, action: delete}/evaluations: {days: 300, action: anonymize}/' \
	"$ROOT/examples/policy.yaml" >"$T/anon.yaml"
ok policy import "$T/anon.yaml"
file self.yaml <<'EOF2'
answers:
  strengths: "I rebuilt refunds"
EOF2
file ev.yaml <<'EOF2'
case: A strong quarter on refunds.
EOF2
# Two check-ins: one 400 days ago (past the 300 days), one 100 days ago.
cycle() { # NAME DAYS_AGO
	export PLUMB_NOW
	PLUMB_NOW=$(ago "$2")
	ok cycle create "$1" --kind checkin --scope payments --from "$(ago $(($2 + 90)))" --to "$(ago "$2")"
	ok --as E101 feedback submit --cycle "$1" --for E101 "$T/self.yaml"
	ok cycle advance --cycle "$1"
	ok --as M001 evaluation submit --cycle "$1" --person E101 "$T/ev.yaml"
	close_cycle "$1" # retention leaves an open cycle's review data
	unset PLUMB_NOW
}
cycle q1 400
cycle q2 100
holding() { echo "[.holdings[] | select(.what == \"$1\")][0]$2"; }
ok --as E101 me --json
expect_json "$(holding "self reviews you wrote" ".count")" 2
expect_json "$(holding "evaluation versions about you" ".count")" 2
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses WHERE body LIKE '{\"anonymized\":true%'")" = 1 ] || fail "the old self review was not anonymized"
[ "$(sql "SELECT COUNT(*) FROM evaluations WHERE manager_case = ''")" = 1 ] || fail "the old evaluation was not anonymized"

# Both still held; the next date is the newer one's, 300 days after it.
ok --as E101 me --json
expect_json "$(holding "self reviews you wrote" ".count")" 2
expect_json "$(holding "self reviews you wrote" ".retention.anonymized")" 1
next_self=$(date -u -d "$(ago 100) + 300 days" +%Y-%m-%d)
expect_json "$(holding "self reviews you wrote" ".retention.next[0:10]")" "$next_self"
expect_json "$(holding "evaluation versions about you" ".retention.next[0:10]")" "$next_self"
ok --as E101 me
expect_out "1 anonymized already"
grep -A1 "self reviews you wrote" "$T/out" | grep -q "has been due since" && fail "an anonymized self review shown as due: $(cat "$T/out")"

# Once both are anonymized, there is no next date, and nothing is shown as due.
LATER=$(date -u -d "@$((NOW + 201 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
PLUMB_NOW="$LATER" ok retention apply --as-of "$LATER"
PLUMB_NOW="$LATER" ok --as E101 me --json
expect_json "$(holding "self reviews you wrote" ".retention | \"\(.next) \(.anonymized)\"")" "null 2"
expect_json "$(holding "evaluation versions about you" ".retention.next")" null
PLUMB_NOW="$LATER" ok --as E101 me
grep -q "has been due since" "$T/out" && grep -B1 "has been due since" "$T/out" | grep -q -E "self reviews|evaluation versions" &&
	fail "anonymized review data shown as due: $(cat "$T/out")"
expect_out "2 anonymized already"
