# API answers after a sequence of requests: what one request left behind must
# not make a later one wrong.
init_db
ok org import "$FIXTURES/org-small.csv"
admin_w=$(token admin write)
serve
auth=(-H "Authorization: Bearer $admin_w")

# An ETag names the page with its paging: a write that adds a page past this
# one changes X-Total-Count and Link, so the old ETag is not 304 (it was, and
# the client kept a last page that no longer was).
http GET "/api/v1/tokens?per_page=1" "${auth[@]}"
expect_http 200
expect_header "X-Total-Count: 1"
grep -qi '^link:' "$T/headers" && fail "a Link on the only page"
etag=$(grep -i '^etag:' "$T/headers" | cut -d' ' -f2 | tr -d '\r')
token admin read >/dev/null
http GET "/api/v1/tokens?per_page=1" "${auth[@]}" -H "If-None-Match: $etag"
expect_http 200
expect_header "X-Total-Count: 2"
expect_header "Link: </api/v1/tokens?per_page=1&cursor=1\."

# A page's cursor names where the page ended, not only how far: a user added
# before it between two pages neither repeats the last entry seen nor hides
# one (the cursor was an offset, and E203 came twice).
for u in E202 E203 E204; do ok user add --person "$u" --role employee; done
http GET "/api/v1/users?per_page=2" "${auth[@]}"
expect_http 200
[ "$(jq -r 'map(.user) | join(" ")' "$T/out")" = "E202 E203" ] || fail "first page: $(cat "$T/out")"
next=$(grep -i '^link:' "$T/headers" | sed 's/.*<\(.*\)>.*/\1/')
ok user add --person E201 --role employee
http GET "$next" "${auth[@]}"
expect_http 200
[ "$(jq -r 'map(.user) | join(" ")' "$T/out")" = "E204 admin" ] || fail "second page: $(cat "$T/out")"
expect_header "X-Total-Count: 5"
# A bare offset is still a cursor, and a cursor whose entry is gone falls back to it.
http GET "/api/v1/users?per_page=2&cursor=2" "${auth[@]}"
expect_http 200
[ "$(jq -r 'map(.user) | join(" ")' "$T/out")" = "E203 E204" ] || fail "offset page: $(cat "$T/out")"
http GET "/api/v1/users?per_page=2&cursor=2.00000000000000000000000000000000" "${auth[@]}"
expect_http 200
[ "$(jq -r 'map(.user) | join(" ")' "$T/out")" = "E203 E204" ] || fail "unknown entry: $(cat "$T/out")"
for bad in 2. 2.xyz 2.0000 .00000000000000000000000000000000; do
	http GET "/api/v1/users?per_page=2&cursor=$bad" "${auth[@]}"
	expect_http 400
	expect_json .error.message "invalid cursor '$bad'"
done
stop_server

# The index of routes is a GET answer like any: it carries an ETag, and If-None-Match with
# it is a 304 (found in session 39's hunt: it had none).
serve
http GET /api/v1 "${auth[@]}"
expect_http 200
etag=$(grep -i '^etag:' "$T/headers" | cut -d' ' -f2 | tr -d '\r')
[ -n "$etag" ] || fail "GET /api/v1 has no ETag"
http GET /api/v1 "${auth[@]}" -H "If-None-Match: $etag"
expect_http 304
stop_server

# A session's API write without its X-CSRF-Token is refused, and audited as any refusal is,
# on the operation it would have run (found in session 39's review: no entry); with the token
# the same write goes through.
printf 'a long enough password\n' >"$T/pw"
ok user passwd admin --password-file "$T/pw"
serve
jar="$T/jar"
form=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$form&user=admin&password=a+long+enough+password"
expect_http 303
page=$(curl -s -b "$jar" "$URL/" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
[ -n "$page" ] || fail "no CSRF token on the home page"
denied=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND actor = 'admin'")
http POST /api/v1/objectives -b "$jar" -H 'Content-Type: application/json' -d '{"args":["customer trust"]}'
expect_http 403
expect_json .error.message "missing or wrong X-CSRF-Token"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND actor = 'admin'")" = $((denied + 1)) ] ||
	fail "the refusal was not audited"
[ "$(sql "SELECT COUNT(*) FROM objectives WHERE name = 'customer trust'")" = 0 ] || fail "the refused write wrote"
http POST /api/v1/objectives -b "$jar" -H "X-CSRF-Token: $page" -H 'Content-Type: application/json' -d '{"args":["customer trust"]}'
expect_http 200
stop_server

# Requests without credentials, one after another, leave nothing behind: each unknown
# API path was copied into the worker's memory until a signed-in request came (8 KB
# paths grew the server by some 16 MB for every 2000).
serve --threads 1
rss() { awk '/VmRSS/{print $2}' "/proc/$SERVE_PID/status"; }
long=$(head -c 8000 /dev/zero | tr '\0' 'a')
for i in $(seq 1 2000); do printf 'url = "%s/api/v1/%s%d"\noutput = /dev/null\n' "$URL" "$long" "$i"; done >"$T/urls"
curl -s -K "$T/urls" >/dev/null # warm up
r0=$(rss)
curl -s -K "$T/urls" >/dev/null
curl -s -K "$T/urls" >/dev/null
r1=$(rss)
[ $((r1 - r0)) -lt 8000 ] || fail "the server grew by $((r1 - r0)) KiB over 4000 requests without credentials"
stop_server

# A 304 from the answer cache carries the headers a 200 of it has, as one made afresh does
# (RFC 9110 15.4.5; found hunting: the cached one had its ETag alone, so a client updating
# its stored page lost X-Total-Count and Link).
serve
http GET "/api/v1/users?per_page=2" "${auth[@]}"
expect_http 200
etag=$(grep -i '^etag:' "$T/headers" | cut -d' ' -f2 | tr -d '\r')
link=$(grep -i '^link:' "$T/headers" | tr -d '\r')
[ -n "$link" ] || fail "no Link on the first of three pages"
http GET "/api/v1/users?per_page=2" "${auth[@]}" -H "If-None-Match: $etag"
expect_http 304
expect_header "X-Total-Count: 5"
[ "$(grep -i '^link:' "$T/headers" | tr -d '\r')" = "$link" ] || fail "the 304's Link: $(grep -i '^link:' "$T/headers")"
expect_header "ETag: $etag"
stop_server
