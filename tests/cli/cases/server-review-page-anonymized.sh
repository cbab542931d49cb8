# A response retention anonymized, read back on its read-only page: its answers and comments
# say they were removed by the retention policy, not "No answer." as if none was written
# (found hunting).  feedback show says so too, in its text and its JSON (the API's answer),
# where it was an empty list of answers.
sqlite_only "the pages are a face over the review services, whose SQL runs on PostgreSQL in the feedback-* and retention-* cases"
demo_db
printf 'a long enough password\n' >"$T/pw"
ok user passwd E021 --password-file "$T/pw"
sed -e 's/feedback_text: {days: 730, action: delete}/feedback_text: {days: 1, action: anonymize}/' \
	"$ROOT/examples/policy.yaml" >"$T/anon.yaml"
ok policy import "$T/anon.yaml"
ok --as E021 feedback show --cycle 2026-annual --for E021 --mine --json
answer=$(json '.responses[] | select(.relation == "self") | .answers[0].answer')
[ -n "$answer" ] || fail "the demo has no self review of E021's in 2026-annual"
# The demo saved its responses today, by the clock: a year on they are due.
later=$(date -u -d "@$(($(date -u +%s) + 365 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
PLUMB_NOW="$later" ok retention apply --as-of "$later"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses f JOIN review_assignments a ON a.id = f.assignment_id
	JOIN cycles c ON c.id = a.cycle_id JOIN people p ON p.id = a.reviewer_id
	WHERE c.name = '2026-annual' AND p.employee_id = 'E021' AND a.relation = 'self'
	AND f.body LIKE '{\"anonymized\":true%'")" -gt 0 ] || fail "retention did not anonymize E021's self review"
ok --as E021 feedback show --cycle 2026-annual --for E021 --mine --json
expect_json '.responses[] | select(.relation == "self") | .anonymized' true
expect_json '.responses[] | select(.relation == "self") | .answers | length' 0
ok --as E021 feedback show --cycle 2026-annual --for E021 --mine
expect_out "  answers and comments removed by the retention policy"
serve
tok=$(token E021 read)
http GET "/api/v1/cycles/2026-annual/feedback/E021?mine" -H "Authorization: Bearer $tok"
expect_http 200
expect_json '.responses[] | select(.relation == "self") | .anonymized' true
jar="$T/jar"
c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=E021&password=a+long+enough+password"
expect_http 303
http GET /cycles/2026-annual/feedback/E021 -b "$jar"
expect_http 200
grep -qF '<h1>Self review</h1>' "$T/out" || fail "not the self review page: $(grep -o '<h1>[^<]*' "$T/out")"
grep -qF 'No answer.' "$T/out" && fail "an anonymized answer reads as unwritten"
grep -qF 'None written.' "$T/out" && fail "anonymized comments read as unwritten"
grep -qF '<p class="note">The retention policy has removed its answers and comments since the cycle closed; its ratings are kept.</p>' "$T/out" ||
	fail "the page does not say retention removed the words"
grep -qF '<p style="white-space:pre-wrap">Removed by the retention policy.</p>' "$T/out" ||
	fail "an answer does not say it was removed"
grep -qF "${answer:0:20}" "$T/out" && fail "the anonymized answer is still shown"
stop_server
