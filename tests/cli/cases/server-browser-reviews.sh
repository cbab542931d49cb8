# The review pages in a real browser: Debian's chromium driven by playwright-core
# (tests/browser/reviews.mjs): a self review filled in and submitted with JavaScript off, a
# peer's draft then submission, the manager's review refused with its message then
# submitted, the score and the packet.  Then what the browser wrote, and a form POSTed
# without the session's CSRF token (refused, nothing written).  Screenshots are kept in
# build/screenshots/reviews/.
sqlite_only "the pages are a face over the review services, whose SQL runs on PostgreSQL in the cycle-*, feedback-*, score-show and server-review-pages cases"
command -v node >/dev/null || skip "node is not installed (make test installs it)"
[ -x /usr/bin/chromium ] || skip "chromium is not installed (make test installs it)"
[ -d "$ROOT/tests/browser/node_modules/playwright-core" ] || skip "playwright-core is not installed (make test installs it)"
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
for r in E102 E103; do ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer "$r"; done
printf 'correct horse battery staple\n' >"$T/pw"
for u in E101 E102 M001; do ok user passwd "$u" --password-file "$T/pw"; done
serve
shots="$ROOT/build/screenshots/reviews"
mkdir -p "$shots"
node "$ROOT/tests/browser/reviews.mjs" "$URL" 'correct horse battery staple' "$shots" >"$T/browser.out" 2>&1 ||
	{ cat "$T/browser.out"; fail "$(grep FAIL: "$T/browser.out" || tail -3 "$T/browser.out")"; }
cat "$T/browser.out"
for s in r1-self-review r3-peer-feedback r4-review-error r5-score r6-packet; do
	[ -s "$shots/$s.png" ] || fail "screenshot $s missing"
done
# What the browser wrote: E101's self review, E102's draft and submission, M001's evaluation.
[ "$(sql "SELECT p.employee_id || ':' || a.relation || ':' || f.version || ':' || f.status FROM feedback_responses f
	JOIN review_assignments a ON a.id = f.assignment_id JOIN people p ON p.id = a.reviewer_id ORDER BY f.id" | tr '\n' ' ')" = \
	"E101:self:1:submitted E102:peer:1:draft E102:peer:2:submitted " ] || fail "feedback stored: $(sql "SELECT * FROM feedback_responses")"
sql "SELECT body FROM feedback_responses ORDER BY id LIMIT 1" | grep -qF '"strengths":"Shipped the ledger migration <without> downtime"' ||
	fail "self review body: $(sql "SELECT body FROM feedback_responses ORDER BY id LIMIT 1")"
# E102's draft began with a blank line, which the form reopened and submitted kept.
sql "SELECT body FROM feedback_responses ORDER BY id DESC LIMIT 1" | grep -qF '"strengths":"\nKeeps the refunds design doc current"' ||
	fail "the submitted peer feedback lost its leading blank line: $(sql "SELECT body FROM feedback_responses ORDER BY id DESC LIMIT 1")"
[ "$(sql "SELECT version || ':' || created_by FROM evaluations")" = 1:M001 ] || fail "evaluation not stored"
[ "$(sql "SELECT COUNT(*) FROM evaluation_evidence")" = 1 ] || fail "the evidence row was not stored"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'feedback.submit'")" = 3 ] || fail "feedback saves not audited"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'evaluation.submit'")" = 1 ] || fail "the review was not audited"

# A form POSTed with the session cookie but without its CSRF token (what another site's page
# would send) is refused, and nothing is written.
jar="$T/jar"
c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=E102&password=correct+horse+battery+staple"
expect_http 303
rows=$(sql "SELECT COUNT(*) FROM feedback_responses")
http POST /cycles/a26/feedback/E101 -b "$jar" -d "relation=peer&answer.strengths=forged&action=submit"
expect_http 403
grep -q "missing or wrong CSRF token" "$T/out" || fail "the refusal does not say why"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses")" = "$rows" ] || fail "a form without the CSRF token was saved"
stop_server
ok audit verify
