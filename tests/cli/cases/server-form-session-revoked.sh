# The 401 page of a form that outlived its session labels the framework's questions as the
# form does only for a session that timed out: one revoked (a password changed, a sign-out)
# may be a stolen copy, and reads nothing as its user (found in review: it read the questions
# for a day).  A form with a field given twice keeps its text too (found in review: it was
# sent to sign in, the text lost).
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person E101 --role employee
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
printf 'a long enough password\n' >"$T/pw"
ok user passwd E101 --password-file "$T/pw"
serve
jar="$T/jar"
c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=E101&password=a+long+enough+password"
expect_http 303
http GET "/cycles/a26/feedback/E101?relation=self" -b "$jar"
expect_http 200
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/out" | head -1 | cut -d'"' -f4)
post() {
	http POST /cycles/a26/feedback/E101 -b "$jar" -H "Sec-Fetch-Site: same-origin" \
		--data-urlencode "csrf=$csrf" --data-urlencode relation=self "$@"
}
label() { grep -o '<label for="kept-[0-9]*">[^<]*</label>' "$T/out" | sed 's/<[^>]*>//g' | paste -sd'|'; }
# Timed out (30 minutes idle): the question as the form asks it.
sql "UPDATE sessions SET last_seen = $((($(date +%s) - 3600) * 1000))"
post --data-urlencode "answer.strengths=typed"
expect_http 401
[ "$(label)" = "What should they keep doing?" ] || fail "timed out, the label: $(label)"
# A field given twice: both copies kept, not a redirect to sign in.
post --data-urlencode "answer.strengths=first words" --data-urlencode "answer.strengths=second words"
expect_http 401
grep -qi '^location:' "$T/headers" && fail "a repeated field was sent on: $(grep -i '^location:' "$T/headers")"
grep -qF '>
first words</textarea>' "$T/out" || fail "the first copy is not kept: $(grep -o '<main.*' "$T/out" | head -c 600)"
grep -qF '>
second words</textarea>' "$T/out" || fail "the second copy is not kept"
[ "$(label)" = "What should they keep doing?|What should they keep doing?" ] || fail "repeated, the labels: $(label)"
# Still not from another site, repeated or not.
http POST /cycles/a26/feedback/E101 -b "$jar" -H "Sec-Fetch-Site: cross-site" --data-urlencode "csrf=$csrf" \
	--data-urlencode "answer.strengths=first words" --data-urlencode "answer.strengths=second words"
expect_http 303
grep -qF 'first words' "$T/out" && fail "cross-site: the text was shown"
# The password changed (the sessions revoked, as when a theft is feared): by its id, read as
# nobody.  Nothing audited as a read, nothing saved.
ok user passwd E101 --password-file "$T/pw"
post --data-urlencode "answer.strengths=typed"
expect_http 401
[ "$(label)" = "Question strengths" ] || fail "revoked by a password change, the label: $(label)"
grep -qF 'typed</textarea>' "$T/out" || fail "revoked: the text is not kept"
# Revoked by a sign-out: by its id too.
c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=E101&password=a+long+enough+password"
expect_http 303
http GET "/cycles/a26/feedback/E101?relation=self" -b "$jar"
expect_http 200
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/out" | head -1 | cut -d'"' -f4)
cp "$jar" "$T/jar.tab"
http POST /signout -b "$jar" -c "$jar" -d "csrf=$csrf"
expect_http 303
jar="$T/jar.tab"
post --data-urlencode "answer.strengths=typed"
expect_http 401
[ "$(label)" = "Question strengths" ] || fail "signed out, the label: $(label)"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses")" = 0 ] || fail "a form without a session was saved"
stop_server
