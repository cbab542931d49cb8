# A change sent from the calibration page after the session closed (another tab, the
# facilitator closing it meanwhile) is refused, and the page says why: the form is gone from a
# closed session's page, and its refusal went with it (found hunting: a 409 page saying nothing
# of the change, which the user took for saved).
sqlite_only "the page is a face over the service, whose SQL runs on PostgreSQL in the calibrate-* cases"
demo_db
printf 'a long enough password\n' >"$T/pw"
ok user passwd E002 --password-file "$T/pw"
serve
jar="$T/jar"
c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=E002&password=a+long+enough+password"
expect_http 303
http GET /calibration/2026-annual-calibration -b "$jar"
expect_http 200
grep -qF 'Status</dt><dd>closed' "$T/out" || fail "the demo's annual session is not closed"
grep -qF 'name="person"' "$T/out" && fail "a closed session's page offers the change form"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/out" | head -1 | cut -d'"' -f4)
changes=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.change'")
http POST /calibration/2026-annual-calibration/changes -b "$jar" --data-urlencode "csrf=$csrf" \
	--data-urlencode person=E075 --data-urlencode dimension=delivery --data-urlencode rating=3 \
	--data-urlencode "reason=raised in the room" --data-urlencode "evidence=link:https://wiki.example.com/e075"
expect_http 409
grep -qF '<div class="error" role="alert"><p>cannot change ratings in calibration session &#39;2026-annual-calibration&#39;: it is closed</p>' "$T/out" ||
	fail "the refusal is not on the page: $(grep -o '<h2>Changes</h2>.\{0,300\}' "$T/out")"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.change'")" = "$changes" ] || fail "a change was written"
stop_server
