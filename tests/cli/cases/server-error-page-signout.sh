# A page's error page carries the session's CSRF token in its Sign out button, as every page
# does: the 404 of an unknown page, the 405 of a POST to a page without a form and the 400 of
# a query holding %00 had an empty one, so Sign out from them was refused 403 and the browser
# stayed signed in (found hunting); so had the sign-out route's own 405 and 403 pages.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person M001 --role manager
printf 'a long enough password\n' >"$T/pw"
ok user passwd M001 --password-file "$T/pw"
serve
jar="$T/jar"
signin() {
	rm -f "$jar"
	local c
	c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
	http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=M001&password=a+long+enough+password"
	expect_http 303
}
# The Sign out button's token on the page last fetched.
signout_token() { grep -o '<form method="post" action="/signout"><input type="hidden" name="csrf" value="[0-9a-f]*"' "$T/out" | cut -d'"' -f10; }
for step in "GET /nosuch 404" "POST /people/M001 405" "GET /people/M001?x=%00 400"; do
	read -r method path want <<<"$step"
	signin
	body=()
	[ "$method" = POST ] && body=(--data-urlencode x=1)
	http "$method" "$path" -b "$jar" "${body[@]}"
	expect_http "$want"
	token=$(signout_token)
	[ ${#token} -eq 64 ] || fail "$method $path: the $want page's Sign out has no CSRF token: '$token'"
	# Its Sign out signs out: 303 to /signin, and the session no longer opens a page.
	http POST /signout -b "$jar" --data-urlencode "csrf=$token"
	expect_http 303
	http GET /people/M001 -b "$jar"
	expect_http 303
	[ "$(sql "SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL")" = 0 ] || fail "$method $path: a session is still live"
done
# The sign-out route's own refusals too: the 405 of a GET and the 403 of a wrong token.
for step in "GET 405" "POST 403"; do
	read -r method want <<<"$step"
	signin
	body=()
	[ "$method" = POST ] && body=(--data-urlencode csrf=0000)
	http "$method" /signout -b "$jar" "${body[@]}"
	expect_http "$want"
	token=$(signout_token)
	[ ${#token} -eq 64 ] || fail "$method /signout: the $want page's Sign out has no CSRF token: '$token'"
	http POST /signout -b "$jar" --data-urlencode "csrf=$token"
	expect_http 303
	[ "$(sql "SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL")" = 0 ] || fail "$method /signout: a session is still live"
done
stop_server
