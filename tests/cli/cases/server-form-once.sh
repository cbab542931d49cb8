# A form gives each field once: a page's form, the sign-in and the sign-out that repeat one
# ("a=1&a=2", or its name percent-encoded the second time) are 400 naming it, nothing saved
# (found hunting: the first was read and the rest dropped, as a page's repeated query
# argument no longer is).  No form of plumb's repeats a field.  A form's body is urlencoded.
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
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" \
	-d "csrf=$c&user=E101&password=a+long+enough+password&user=M001"
expect_http 400
grep -qF 'form field &#39;user&#39; given more than once' "$T/out" || fail "sign-in: $(head -c 600 "$T/out")"
grep -qi '^set-cookie: plumb_session' "$T/headers" && fail "signed in with two users"
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=E101&password=a+long+enough+password"
expect_http 303
http GET "/cycles/a26/feedback/E101?relation=self" -b "$jar"
expect_http 200
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/out" | head -1 | cut -d'"' -f4)
before=$(sql "SELECT COUNT(*) FROM audit_log")
for body in "comments=one&comments=two" "comments=one&%63omments=two" "answer.strengths=a&answer.strengths=b"; do
	http POST /cycles/a26/feedback/E101 -b "$jar" -H "Sec-Fetch-Site: same-origin" \
		-d "csrf=$csrf&relation=self&action=submit&$body"
	expect_http 400
	name=${body%%=*}
	grep -qF "form field &#39;$name&#39; given more than once" "$T/out" || fail "$body: $(grep -o '<main.*' "$T/out" | head -c 400)"
done
http POST /signout -b "$jar" -d "csrf=$csrf&csrf=$csrf"
expect_http 400
grep -qF 'form field &#39;csrf&#39; given more than once' "$T/out" || fail "sign-out: $(head -c 400 "$T/out")"
# A form is taken as application/x-www-form-urlencoded, as every page of plumb's sends one: a
# multipart or text/plain body is 415, not a forged form refused for its CSRF token and audited
# as access.denied (found hunting).
for type in multipart text/plain; do
	case $type in
	multipart) body=(-F "csrf=$csrf" -F relation=self -F action=draft -F comments=one) ;;
	*) body=(-H "Content-Type: text/plain" -d "csrf=$csrf&relation=self&action=draft&comments=one") ;;
	esac
	http POST /cycles/a26/feedback/E101 -b "$jar" -H "Sec-Fetch-Site: same-origin" "${body[@]}"
	expect_http 415
	grep -qF 'a form is taken as application/x-www-form-urlencoded only' "$T/out" || fail "$type: $(grep -o '<main.*' "$T/out" | head -c 400)"
	http POST /signout -b "$jar" "${body[@]}"
	expect_http 415
done
http POST /signin -H "Origin: $URL" -b "$jar" -F "csrf=$c" -F user=E101 -F "password=a long enough password"
expect_http 415
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$before" ] || fail "a refused form wrote"
# A field is read by its name decoded, as a browser may encode one (found hunting: a
# "%63omments" field was not the comments, and the sign-out's "%63srf" no token).
http POST /cycles/a26/feedback/E101 -b "$jar" -H "Sec-Fetch-Site: same-origin" \
	-d "csrf=$csrf&relation=self&action=draft&%63omments=encoded"
expect_http 303
http GET "/cycles/a26/feedback/E101?relation=self" -b "$jar"
grep -qF '>encoded</textarea>' "$T/out" || fail "an encoded name was not read: $(grep -o '<textarea[^>]*name="comments"[^<]*' "$T/out")"
# Still signed in; one of each is taken.
http POST /cycles/a26/feedback/E101 -b "$jar" -H "Sec-Fetch-Site: same-origin" \
	-H "Content-Type: Application/X-WWW-Form-Urlencoded ; charset=UTF-8" \
	-d "csrf=$csrf&relation=self&action=draft&comments=one"
expect_http 303
http POST /signout -b "$jar" -d "%63srf=$csrf"
expect_http 303
grep -qi '^location: /signin' "$T/headers" || fail "the sign-out with an encoded name: $(grep -i '^location' "$T/headers")"
stop_server
