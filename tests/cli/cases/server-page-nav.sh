# The header of a page a signed-out visitor gets (a 404, a 405, the 401 of a form that outlived
# its session) offers Sign in alone: it listed every page (Sources, Audit, ...) and a Sign out
# button with an empty CSRF token (found hunting: pages_error and pages_form_unsent had no
# user to decide by).  A signed-in user's error pages link what their roles open, the sign-out
# route's own refusals included (they linked every page), with Sign out; a bearer token's
# pages have no Sign out, which it has no session for.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person M001 --role manager
ok user add --person H001 --role admin
printf 'a long enough password\n' >"$T/pw"
for u in M001 H001; do ok user passwd "$u" --password-file "$T/pw"; done
serve --max-body 20000
jar="$T/jar"
signin() {
	rm -f "$jar"
	local c
	c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
	http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=$1&password=a+long+enough+password"
	expect_http 303
}
# The header's links, one a line, and whether it has a Sign out button.
links() { grep -o '<header>.*</header>' "$T/out" | grep -o '<li><a href="[^"]*"' | cut -d'"' -f2 | paste -sd' '; }
signs_out() { grep -o '<header>.*</header>' "$T/out" | grep -qF 'action="/signout"'; }
signed_out_header() {
	[ "$(links)" = /signin ] || fail "$1: the signed-out header links: $(links)"
	signs_out && fail "$1: a signed-out page has a Sign out button"
	grep -qF 'Signed in as' "$T/out" && fail "$1: a signed-out page says who is signed in"
	return 0
}
# Signed out.
http GET /nosuch
expect_http 404
signed_out_header "the 404"
http PUT /signin
expect_http 405
signed_out_header "the sign-in page's 405"
http GET /signout
expect_http 405
signed_out_header "the sign-out route's 405"
http POST /cycles/a26/feedback/M001 -H "Sec-Fetch-Site: same-origin" --data-urlencode "answer.growth=typed"
expect_http 401
grep -qF 'nothing was saved' "$T/out" || fail "not the page of a form that outlived its session"
signed_out_header "the 401 of a form without a session"
{ printf 'answer.growth='; head -c 30000 /dev/zero | tr '\0' a; } >"$T/big"
http POST /cycles/a26/feedback/M001 -H "Sec-Fetch-Site: same-origin" --data-binary @"$T/big"
expect_http 413
signed_out_header "the 413 of a body too large without a session"

# A manager: their pages, not Sources or Audit, and Sign out with the session's token.
signin M001
for step in "GET /nosuch 404" "GET /signout 405" "POST /signout 403"; do
	read -r method path want <<<"$step"
	body=()
	[ "$method" = POST ] && body=(--data-urlencode csrf=0000)
	http "$method" "$path" -b "$jar" "${body[@]}"
	expect_http "$want"
	[ "$(links)" = "/ /catalog /reviews /me" ] || fail "$method $path: the manager's header links: $(links)"
	signs_out || fail "$method $path: no Sign out"
	grep -qF '<p>Signed in as <strong>M001</strong></p>' "$T/out" || fail "$method $path: does not say who is signed in"
done
# A refusal sent before the body is read (past --max-body) is the signed-in user's page too
# (found hunting: it offered Sign in alone).
{ printf 'answer.growth='; head -c 30000 /dev/zero | tr '\0' a; } >"$T/big"
http POST /cycles/a26/feedback/M001 -b "$jar" -H "Sec-Fetch-Site: same-origin" --data-binary @"$T/big"
expect_http 413
[ "$(links)" = "/ /catalog /reviews /me" ] || fail "the 413's header links: $(links)"
signs_out || fail "the 413 has no Sign out"
grep -qF '<p>Signed in as <strong>M001</strong></p>' "$T/out" || fail "the 413 does not say who is signed in"
# The 503 of a server at its connection limit answers without the database: not even the
# session's navigation is looked up (it was, for every page refusal with a cookie), so the page
# does not know who asks, and offers nothing: not Sign in to a signed-in user (found in
# review), nor pages or Sign out.  A visitor who sent no credential is signed out, and is
# offered Sign in (they were offered nothing).
stop_server
serve --max-connections 2 --max-body 20000
hostport=${URL#http://}
session=$(awk '$6 == "plumb_session" { print $7 }' "$jar")
[ -n "$session" ] || fail "no session cookie in $jar"
python3 - "${hostport%:*}" "${hostport#*:}" "$URL" "$session" >"$T/limit" <<'PY'
import socket, sys, time, urllib.error, urllib.request
host, port, url, session = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
held = [socket.create_connection((host, port)) for _ in range(2)]
# Asked again briefly until the held connections are counted (server-limits.sh).
def refusal(headers):
    for _ in range(40):
        try:
            urllib.request.urlopen(urllib.request.Request(url + "/nosuch", headers=headers), timeout=10)
        except urllib.error.HTTPError as e:
            if e.code == 503:
                return e.read().decode()
        time.sleep(0.05)
    return "no 503"
print(refusal({"Cookie": "plumb_session=" + session}).replace("\n", " "))
print(refusal({}).replace("\n", " "))
for s in held:
    s.close()
PY
head -1 "$T/limit" >"$T/out"
grep -qF 'the server is at its connection limit' "$T/out" || fail "no 503 at the connection limit: $(head -c 300 "$T/out")"
grep -qE '<header|href="/signin"|Signed in as|action="/signout"' "$T/out" &&
	fail "the 503 at the connection limit has a header: $(grep -o '<header.*</header>' "$T/out")"
sed -n 2p "$T/limit" >"$T/out"
grep -qF 'the server is at its connection limit' "$T/out" || fail "no 503 without a cookie: $(head -c 300 "$T/out")"
signed_out_header "the 503 at the connection limit without a credential"
served() { http GET /healthz && [ "$HTTP_STATUS" = 200 ]; }
wait_until 30 served
# The session is still good: the 413 below the limit carries its navigation.
http POST /cycles/a26/feedback/M001 -b "$jar" -H "Sec-Fetch-Site: same-origin" --data-binary @"$T/big"
expect_http 413
grep -qF '<p>Signed in as <strong>M001</strong></p>' "$T/out" || fail "the 413 does not say who is signed in"
# An admin: Sources and Audit too.
signin H001
http GET /nosuch -b "$jar"
expect_http 404
[ "$(links)" = "/ /catalog /sources /audit /reviews /me" ] || fail "the admin's header links: $(links)"
signs_out || fail "the admin's 404 has no Sign out"
# A bearer token: the links of its user's roles, no Sign out.
tok=$(token M001 read)
http GET /nosuch -H "Authorization: Bearer $tok"
expect_http 404
[ "$(links)" = "/ /catalog /reviews /me" ] || fail "the token's header links: $(links)"
signs_out && fail "a bearer token's page has a Sign out button"
stop_server
