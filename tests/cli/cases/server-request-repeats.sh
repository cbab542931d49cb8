# What a request says twice, or says malformed, where the server would otherwise read one
# copy of it (found hunting).  A page refuses a query argument given more than once, as the
# API refuses a repeated per_page or cursor (/audit?limit=5&limit=0 showed 5 rows); a Host
# that is not host[:port] is 400, as RFC 9112 section 3.2 asks ("Host: a b" was taken); and
# two Origin, Sec-Fetch-Site or Authorization headers, by which a form, a sign-in and a token
# are judged, are 400 (libmicrohttpd gave the first copy, where a proxy may keep the last).  If-None-Match is a
# list, and two lines of it are one list (RFC 9110 section 5.3): the etag on the second line
# was a 200; its tags are compared whole (a tag holding the ETag matched).
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person M001 --role manager
printf 'a long enough password\n' >"$T/pw"
ok user passwd M001 --password-file "$T/pw"
admin=(-H "Authorization: Bearer $(token admin read)")
serve
http GET "/audit?limit=5" "${admin[@]}"
expect_http 200
for q in "limit=5&limit=0" "limit=5&limit=5" "x=1&limit=2&x=2"; do
	http GET "/audit?$q" "${admin[@]}"
	expect_http 400
	grep -qF '<title>Bad request (400) - plumb</title>' "$T/out" || fail "$q: $(grep -o '<title>[^<]*' "$T/out")"
	grep -qF 'given more than once' "$T/out" || fail "$q does not say why: $(head -c 300 "$T/out")"
done
grep -qF 'query argument &#39;x&#39; given more than once' "$T/out" || fail "the key is not named"
http GET "/?a=1&b=2" "${admin[@]}"
expect_http 200
# The sign-in page, which strands no one, takes two nexts as none: back to /.
curl -s "$URL/signin?next=/audit" | grep -qF 'name="next" value="/audit"' || fail "one next is not kept"
curl -s "$URL/signin?next=/audit&next=/people" | grep -qF 'name="next" value="/"' || fail "two nexts are not /"
# Host: a name, an IPv4 or bracketed IPv6 address, each with a port or not.
for h in "example.com" "example.com:8080" "127.0.0.1:1" "[::1]:80" "[::1]" "a-b.c_d~"; do
	http GET /healthz -H "Host: $h"
	expect_http 200
done
for h in "a b" "x/y" "x:y" "[::1" "[]" "a@b" "x?y" "x#y" "%41" "a:1:2" "[::1]x"; do
	http GET /healthz -H "Host: $h"
	expect_http 400
	grep -qF 'the Host header is not a host and port' "$T/out" || fail "Host: $h: $(head -c 300 "$T/out")"
done
# The sign-in as a script sends it, then with a second Origin or Sec-Fetch-Site.
jar=$T/jar
csrf=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
form=(-b "plumb_signin=$csrf" -d "csrf=$csrf&user=M001&password=a+long+enough+password")
http POST /signin "${form[@]}" -H "Origin: $URL" -H "Origin: http://elsewhere.example"
expect_http 400
grep -qF 'the request has more than one Origin header' "$T/out" || fail "two Origins: $(head -c 300 "$T/out")"
http POST /signin "${form[@]}" -H "Origin: $URL" -H "Sec-Fetch-Site: same-origin" -H "Sec-Fetch-Site: cross-site"
expect_http 400
grep -qF 'the request has more than one Sec-Fetch-Site header' "$T/out" || fail "two Sec-Fetch-Sites: $(head -c 300 "$T/out")"
http POST /signin "${form[@]}" -H "Origin: $URL" -H "Sec-Fetch-Site: same-origin"
expect_http 303
# An expectation other than 100-continue, on any Expect line or in its list, is 417 before the
# request is read, nothing run (RFC 9110 section 10.1.1; found hunting: it was ignored).
for e in "x-wait" "100-continue, x-wait"; do
	http POST /signin "${form[@]}" -H "Origin: $URL" -H "Expect: $e"
	expect_http 417
	grep -qF "the expectation &#39;Expect: $e&#39; cannot be met" "$T/out" || fail "Expect: $e: $(head -c 300 "$T/out")"
	! grep -qi '^set-cookie: plumb_session' "$T/headers" || fail "Expect: $e signed in"
done
http GET /api/v1/org "${admin[@]}" -H "Expect: 100-continue" -H "Expect: x-wait"
expect_http 417
expect_json .error.code usage
expect_json .error.message "the expectation 'Expect: x-wait' cannot be met"
# What it quotes of a header is text on a page too: a byte of no UTF-8 as U+FFFD, as in JSON
# (found hunting: the page, said to be UTF-8, held the raw byte).
http GET /people -H $'Expect: x\xffy'
expect_http 417
python3 -c 'import sys; sys.exit(0 if open(sys.argv[1], "rb").read().decode("utf-8").count("Expect: x\ufffdy") else 1)' "$T/out" ||
	fail "the 417 page is not UTF-8, or lost the header: $(grep -ao "Expect: x[^&]*" "$T/out" | od -c | head -3)"
for e in "100-continue" "100-Continue" " 100-continue ,"; do
	http GET /api/v1/org "${admin[@]}" -H "Expect: $e"
	expect_http 200
done
# A body said to be content-coded is 415 before it is read, Accept-Encoding saying what is
# taken (RFC 9110 section 15.5.16; found hunting: it was read as sent, gzip as no JSON and a
# plain body so labelled as plain).  Identity is the body as sent; a request without a body
# says nothing by it.
printf '{"kind":"freeze"}' | gzip >"$T/body.gz"
http POST /api/v1/calendar "${admin[@]}" -H "Content-Type: application/json" -H "Content-Encoding: gzip" \
	--data-binary @"$T/body.gz"
expect_http 415
expect_json .error.message "Content-Encoding 'gzip' is not supported"
grep -qi '^accept-encoding: identity' "$T/headers" || fail "415 without Accept-Encoding: $(cat "$T/headers")"
http POST /signin "${form[@]}" -H "Origin: $URL" -H "Content-Encoding: identity, br"
expect_http 415
grep -qF "Content-Encoding &#39;identity, br&#39; is not supported" "$T/out" || fail "a page's 415: $(head -c 300 "$T/out")"
http POST /signin "${form[@]}" -H "Origin: $URL" -H "Content-Encoding: Identity"
expect_http 303
http GET /api/v1/org "${admin[@]}" -H "Content-Encoding: gzip"
expect_http 200
# A page's form alike, before its session or token is looked at.
http POST /signout -H "Origin: $URL" -H "Origin: $URL" -d "csrf=x"
expect_http 400
# Two Authorization headers, the valid one first or last.
http GET /api/v1/org "${admin[@]}" -H 'Authorization: Bearer plumb_junk'
expect_http 400
expect_json .error.message "the request has more than one Authorization header"
http GET /api/v1/org -H 'Authorization: Bearer plumb_junk' "${admin[@]}"
expect_http 400
# Every line is read (the GET above left the answer in the cache, whose check is the same).
http GET /api/v1/org "${admin[@]}"
etag=$(tr -d '\r' <"$T/headers" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
[ -n "$etag" ] || fail "no ETag"
for i in 1 2; do
	http GET /api/v1/org "${admin[@]}" -H 'If-None-Match: "other"' -H "If-None-Match: $etag"
	expect_http 304
done
http GET /api/v1/org "${admin[@]}" -H 'If-None-Match: "other"' -H 'If-None-Match: "else"'
expect_http 200
# Entity tags are read as a list and compared whole, weakly (RFC 9110 section 13.1.2): a
# weak W/ tag, one among others and "*" match; a tag that only holds the ETag, or a line that
# is no list of tags, does not (found hunting: each matched as a substring, a 304).
for inm in "W/$etag" "\"a\" , ,W/\"b\",$etag" '*'; do
	http GET /api/v1/org "${admin[@]}" -H "If-None-Match: $inm"
	expect_http 304
done
for inm in "x$etag" "$etag-2" "\"a$etag\"" "W/ $etag" "${etag%\"}" "$etag ;"; do
	http GET /api/v1/org "${admin[@]}" -H "If-None-Match: $inm"
	expect_http 200
done
stop_server
