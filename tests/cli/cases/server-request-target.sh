# How the server reads a request line and the headers that frame a body (RFC 9112).  An
# absolute-form target ("GET http://host/people/M001", as a proxy sends it) is the page or
# route of its path, for pages and the API alike (found hunting: "no page http://host/..."),
# and its host is the one the request was sent to; a target that is neither a path nor such a
# URL, and a path with %00 (found hunting: /healthz%00x was /healthz), are 400.  The API
# matches its paths segment for segment, as the pages do (found hunting: /api/v1//org and
# /api/v1/org/ were /api/v1/org).  A framing header folded onto the next line, which
# libmicrohttpd 0.9.75 reads as no header at all, and Transfer-Encoding in an HTTP/1.0 request,
# and a bare CR in a header value, are refused as request smuggling shapes (found hunting: each
# was read); any header folded is refused as folded, and one whose name only starts with
# Content-Length or Transfer-Encoding is no fold.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person M001 --role manager
printf 'a long enough password\n' >"$T/pw"
ok user passwd M001 --password-file "$T/pw"
tok=$(token admin read)
auth=(-H "Authorization: Bearer $tok")
serve
host=${URL#http://}
# at TARGET [CURL_ARGS...]: one request with TARGET as its request-target, sent to the server.
at() {
	local target=$1
	shift
	echo "+ GET $target" >&2
	HTTP_STATUS=$(curl -s -o "$T/out" -D "$T/headers" -w '%{http_code}' --request-target "$target" "$@" "$URL/")
}
at "$URL/people/M001" "${auth[@]}"
expect_http 200
grep -qF '<title>Jonas Becker - plumb</title>' "$T/out" || fail "an absolute-form page: $(grep -o '<title>[^<]*' "$T/out")"
at "HTTP://$host/api/v1/org" "${auth[@]}"
expect_http 200
expect_json .teams 3
for t in "$URL" "$URL?x=1" "https://$host/"; do
	at "$t" "${auth[@]}"
	expect_http 200
	grep -qF '<title>Engineering dashboard - plumb</title>' "$T/out" || fail "$t is not the dashboard"
done
# Not signed in, it comes back to its path and query, on this site.
at "$URL/people/M001?x=1"
expect_http 303
tr -d '\r' <"$T/headers" | grep -qxi 'location: /signin?next=%2Fpeople%2FM001%3Fx%3D1' ||
	fail "sent to: $(grep -i '^location:' "$T/headers")"
# The host a sign-in was sent to is the target's, not the Host header's (RFC 9112 section 3.2.2)
# (the cookie given by hand: curl picks cookies by the Host header).
jar=$T/jar
csrf=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
form=(-b "plumb_signin=$csrf" -H "Origin: $URL" -H "Host: elsewhere.example" -d "csrf=$csrf&user=M001&password=a+long+enough+password")
HTTP_STATUS=$(curl -s -o "$T/out" -w '%{http_code}' "${form[@]}" "$URL/signin")
expect_http 403
HTTP_STATUS=$(curl -s -o "$T/out" -w '%{http_code}' --request-target "$URL/signin" "${form[@]}" "$URL/signin")
expect_http 303
# Not a path, nor a URL with a host this server takes: 400, for the pages and the API.
for t in "http://user@$host/people/M001" "http:///people/M001" "$host" "*" "ftp://$host/api/v1/org"; do
	at "$t" "${auth[@]}"
	expect_http 400
done
at "http://user@$host/api/v1/org" "${auth[@]}"
grep -qF 'the request-target is a URL without a host this server takes' "$T/out" || fail "userinfo: $(head -c 300 "$T/out")"
at "*" -X OPTIONS
expect_http 400
grep -qF 'the request-target is neither a path nor an http or https URL' "$T/out" || fail "asterisk-form: $(head -c 300 "$T/out")"
# A NUL in a path names nothing: 400 wherever the path leads, as JSON or a page as it would be.
for p in /healthz%00x /metrics%00 /api/v1/org%00 /signin%00x /people/M001%00; do
	http GET "$p" "${auth[@]}"
	expect_http 400
	grep -qF 'the request path holds a NUL character (%00)' "$T/out" || fail "$p: $(head -c 300 "$T/out")"
done
http GET /signin%00x
grep -qF '<title>Bad request (400) - plumb</title>' "$T/out" || fail "a page's 400 is not a page"
# The API's paths are matched segment for segment: an empty one is no route.
for p in /api/v1//org /api/v1/org/ /api//v1/org /api/v1/; do
	http GET "$p" "${auth[@]}"
	expect_http 404
	expect_json .error.message "no API route GET $p"
done
http GET /api/v1 "${auth[@]}"
expect_http 200
# Framing headers folded onto a next line, Transfer-Encoding in HTTP/1.0, and a bare CR in a
# value, which a proxy may read as the end of a line (found hunting: "X-A: a\rTransfer-Encoding:
# chunked" was one header, X-A): 400, the connection closed, what followed never run as a
# request of its own.
python3 - "${URL#http://}" >"$T/framing" <<'PY'
import socket, sys
host, port = sys.argv[1].rsplit(":", 1)
smuggled = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
chunk = b"%x\r\n" % len(smuggled) + smuggled + b"\r\n0\r\n\r\n"
cases = {
    "te-folded": b"POST /signin HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n" + chunk,
    "cl-folded": b"POST /signin HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n %d\r\n\r\n" % len(smuggled) + smuggled,
    "te-folded-after": b"POST /signin HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\tx\r\n\r\n" + chunk,
    "te-http10": b"POST /signin HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk,
    "bare-cr": b"POST /signin HTTP/1.1\r\nHost: x\r\nX-A: a\rTransfer-Encoding: chunked\r\n\r\n" + chunk,
    # Any header folded is refused as folded, its next line holding a space or not; a
    # header whose name only starts with a framing header's is no fold (found hunting:
    # Content-Length-Foo was refused as one, and a folded "X-A: a\r\n b c" was called
    # a name that is not a token).
    "x-folded": b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b c\r\n\r\n",
    "framing-prefix": b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                      b"Content-Length-Foo: 1\r\nTransfer-Encoding-Bar: x\r\n\r\n",
}
for name, data in cases.items():
    s = socket.create_connection((host, int(port)), timeout=10)
    s.sendall(data)
    got = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += b
    except socket.timeout:
        got += b" (still open)"
    s.close()
    text = got.decode("latin-1")
    said = any(why in text for why in ("folded", "HTTP/1.0 request", "bare CR"))
    print(name, text.count("HTTP/1.1 "), text.split(" ", 2)[1], said)
PY
[ "$(cat "$T/framing")" = "te-folded 1 400 True
cl-folded 1 400 True
te-folded-after 1 400 True
te-http10 1 400 True
bare-cr 1 400 True
x-folded 1 400 True
framing-prefix 1 200 False" ] || fail "framing (answers, first status, said why): $(cat "$T/framing")"
stop_server
# --max-header counts the request line as sent, an absolute-form target's host too.
serve --max-header 4096
at "http://$(head -c 3000 /dev/zero | tr '\0' a)/healthz" -H "X-Pad: $(head -c 1000 /dev/zero | tr '\0' x)"
expect_http 431
at "http://$host/healthz" -H "X-Pad: $(head -c 1000 /dev/zero | tr '\0' x)"
expect_http 200
stop_server
