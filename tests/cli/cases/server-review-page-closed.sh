# A review form whose phase takes no more saves is not offered: the page shows what is stored,
# read-only, and says why (found hunting: in the demo's closed 2026-annual, E021 was offered
# their self review and E005 their review of E075, and a submission was refused 409 after the
# answer was typed).  The rule is the services' (feedback_phase_accepts,
# evaluation_phase_accepts), which feedback and evaluation submit refuse by.  In the open
# 2026-q4-checkin both still get the form; once its self_review closed, Reviews links the self
# review as one to read.
sqlite_only "the pages are a face over the review services, whose SQL runs on PostgreSQL in the feedback-* and evaluation-* cases"
demo_db
[ "$(sql "SELECT phase FROM cycles WHERE name = '2026-annual'")" = closed ] || fail "the demo's 2026-annual is not closed"
[ "$(sql "SELECT phase FROM cycles WHERE name = '2026-q4-checkin'")" = self_review ] || fail "the demo's 2026-q4-checkin is not in self_review"
printf 'a long enough password\n' >"$T/pw"
for u in E021 E005; do ok user passwd "$u" --password-file "$T/pw"; done
ok --as E021 feedback show --cycle 2026-annual --for E021 --mine --json
answer=$(json '.responses[] | select(.relation == "self") | .answers[0].answer')
[ -n "$answer" ] || fail "the demo has no self review of E021's in 2026-annual"
serve
jar="$T/jar"
signin() {
	rm -f "$jar"
	local c
	c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
	http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=$1&password=a+long+enough+password"
	expect_http 303
}
escaped() { printf '%s' "$1" | sed "s/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/'/\&#39;/g"; }
no_form() { grep -qF '<form method="post" action="/cycles/' "$T/out" && fail "$1: a form is offered"; return 0; }

signin E021
http GET /cycles/2026-annual/feedback/E021 -b "$jar"
expect_http 200
grep -qF '<h1>Self review</h1>' "$T/out" || fail "not the self review page: $(grep -o '<h1>[^<]*' "$T/out")"
no_form "E021's self review in the closed cycle"
grep -qF '<p class="note">The self_review phase of cycle &#39;2026-annual&#39; closed at ' "$T/out" ||
	fail "the page does not say why it is read-only"
grep -qF 'self feedback can no longer change. It is shown here to read.' "$T/out" || fail "the why is cut"
# Its time as the pages show times, not as the service wrote it (found hunting: "closed at
# 2026-...T...Z").
shown_time='<time datetime="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z">[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC</time>'
grep -qE "closed at $shown_time: self feedback can no longer change" "$T/out" ||
	fail "the closing time: $(grep -o 'closed at .\{0,120\}' "$T/out")"
grep -qE 'closed at [0-9]{4}-[0-9]{2}-[0-9]{2}T' "$T/out" && fail "a raw time: $(grep -oE 'closed at [^:]*:[^:]*' "$T/out")"
grep -qF "$(escaped "$answer")" "$T/out" || fail "the stored answer is not shown"
grep -qF '<textarea' "$T/out" && fail "an answer is shown in a text area"
# The open cycle's self review is a form still, and Reviews links it to write.
http GET /reviews -b "$jar"
expect_http 200
grep -qF '<a href="/cycles/2026-q4-checkin/feedback/E021?relation=self">Write your self review</a>' "$T/out" ||
	fail "Reviews links the open self review as: $(grep -o '2026-q4-checkin/feedback/E021?relation=self">[^<]*' "$T/out")"
http GET /cycles/2026-q4-checkin/feedback/E021 -b "$jar"
expect_http 200
grep -qF '<form method="post" action="/cycles/2026-q4-checkin/feedback/E021">' "$T/out" || fail "the open self review has no form"
grep -qF 'can no longer change' "$T/out" && fail "the open self review says it is closed"
# Once its phase closed (the cycle on in manager_review), Reviews links it to read, and its
# page is read-only.
ok cycle advance --cycle 2026-q4-checkin
http GET /reviews -b "$jar"
expect_http 200
grep -qF '<a href="/cycles/2026-q4-checkin/feedback/E021?relation=self">Read your self review</a>' "$T/out" ||
	fail "Reviews links the closed self review as: $(grep -o '2026-q4-checkin/feedback/E021?relation=self">[^<]*' "$T/out")"
http GET /cycles/2026-q4-checkin/feedback/E021 -b "$jar"
expect_http 200
no_form "E021's self review once self_review closed"
grep -qF 'self feedback can no longer change. It is shown here to read.' "$T/out" || fail "the page does not say why"

signin E005
http GET /cycles/2026-annual/review/E075 -b "$jar"
expect_http 200
grep -qF '<h1>Manager review of ' "$T/out" || fail "not the review page: $(grep -o '<h1>[^<]*' "$T/out")"
no_form "E005's review of E075 in the closed cycle"
grep -qF 'Submit review' "$T/out" && fail "the closed review offers Submit review"
grep -qF '<p class="note">The manager_review phase of cycle &#39;2026-annual&#39; closed at ' "$T/out" ||
	fail "the page does not say why it is read-only"
grep -qF 'the evaluation can no longer change. It is shown here to read.' "$T/out" || fail "the why is cut"
grep -qE "closed at $shown_time: the evaluation can no longer change" "$T/out" ||
	fail "the closing time: $(grep -o 'closed at .\{0,120\}' "$T/out")"
grep -qF 'Technical skill</th><td>' "$T/out" || fail "the stored ratings are not shown"
# Who writes the review while manager_review is open has the form.
http GET /cycles/2026-q4-checkin/review/E021 -b "$jar"
expect_http 200
grep -qF 'Submit review' "$T/out" || fail "the manager has no form in the open cycle"
# The submission is refused as before, by the same rule (nothing written).
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/out" | head -1 | cut -d'"' -f4)
versions=$(sql "SELECT COUNT(*) FROM evaluations")
http POST /cycles/2026-annual/review/E075 -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode base=1 \
	--data-urlencode "case=late" --data-urlencode reason=late --data-urlencode action=submit
expect_http 409
grep -qF 'the evaluation can no longer change' "$T/out" || fail "the refusal does not say why"
grep -qE "closed at $shown_time" "$T/out" || fail "the refusal's time: $(grep -o 'closed at .\{0,60\}' "$T/out")"
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = "$versions" ] || fail "a closed review was written"
stop_server
