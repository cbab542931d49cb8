# The manager's review page of someone who may read the review and not write it (the person,
# from delivery on) shows the review, with no form: the form they were offered could only be
# refused, with a 403 page and what they typed lost (found hunting: E021 was offered their own
# manager's review to fill in).  So do their other managers above (E001, the leader of
# engineering), who may read it and whose submission is refused; their manager in the cycle
# still has the form.
sqlite_only "the pages are a face over the review services, whose SQL runs on PostgreSQL in the evaluation-* cases"
demo_db
printf 'a long enough password\n' >"$T/pw"
for u in E021 E005 E001; do ok user passwd "$u" --password-file "$T/pw"; done
ok --as E021 evaluation history --cycle 2026-annual --person E021 --json
case_text=$(json '.versions[-1].case // empty')
serve
jar="$T/jar"
signin() {
	rm -f "$jar"
	local c
	c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
	http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=$1&password=a+long+enough+password"
	expect_http 303
}
signin E021
http GET /cycles/2026-annual/review/E021 -b "$jar"
expect_http 200
grep -qF '<h1>Manager review of Fernanda Costa</h1>' "$T/out" || fail "not the review page: $(grep -o '<h1>[^<]*' "$T/out")"
grep -qF 'Submit review' "$T/out" && fail "the person is offered their own manager's review to submit"
grep -qF '<form method="post" action="/cycles/' "$T/out" && fail "the person's view holds a form"
grep -qF 'it is shown here to read' "$T/out" || fail "the page does not say it is to read"
grep -qF 'Technical skill</th><td>' "$T/out" || fail "the ratings are not shown"
[ -n "$case_text" ] || fail "the demo's review of E021 has no case"
grep -qF "$(printf '%s' "$case_text" | head -1 | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g')" "$T/out" ||
	fail "the case is not shown"
signin E001
http GET /cycles/2026-annual/review/E021 -b "$jar"
expect_http 200
grep -qF 'Submit review' "$T/out" && fail "a manager above the cycle's manager is offered the form"
grep -qF 'it is shown here to read' "$T/out" || fail "the page does not say it is to read"
# The manager, who writes it, has the form while its phase is open: in the demo's 2026-q4-checkin
# (2026-annual is closed: server-review-page-closed.sh).
signin E005
http GET /cycles/2026-q4-checkin/review/E021 -b "$jar"
expect_http 200
grep -qF 'Submit review' "$T/out" || fail "the manager has no form"
stop_server
