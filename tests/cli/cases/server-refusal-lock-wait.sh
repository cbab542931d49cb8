# A page's refusal before its request is read (503 at --max-connections, 413, 431) names the
# signed-in user from the memo of who a credential is, never by resolving the session afresh,
# which may write its last use: a 503 at the connection limit waited the whole --lock-wait
# for a writer that held the database, where it is meant to shed load at once (found in
# review: 10 s here, 60 by default, a server thread held for each).
[ "$PLUMB_TEST_ENGINE" = sqlite ] || skip "holds SQLite's write lock from another connection"
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E101 --role employee
printf 'a long enough password\n' >"$T/pw"
ok user passwd E101 --password-file "$T/pw"
serve --max-connections 1 --lock-wait 10
jar="$T/jar"
c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=E101&password=a+long+enough+password"
expect_http 303
cookie=$(awk '/plumb_session/{print $NF}' "$jar")
[ -n "$cookie" ] || fail "no session cookie"
# Last seen two minutes ago: resolving it again would record its use, a write.
sql "UPDATE sessions SET last_seen = last_seen - 120000" >/dev/null
python3 - "$PLUMB_DB" "${URL##*:}" "$cookie" >"$T/probe" <<'PY' || fail "probe: $(cat "$T/probe")"
import socket, sqlite3, sys, time
db, port, cookie = sys.argv[1], int(sys.argv[2]), sys.argv[3]
writer = sqlite3.connect(db, isolation_level=None)
writer.execute("BEGIN IMMEDIATE")  # another writer holds the database
held = socket.create_connection(("127.0.0.1", port))
held.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # the one connection allowed, unfinished
time.sleep(0.3)
start = time.monotonic()
s = socket.create_connection(("127.0.0.1", port))
s.sendall(f"GET /reviews HTTP/1.1\r\nHost: x\r\nCookie: plumb_session={cookie}\r\n\r\n".encode())
s.settimeout(30)
line = s.recv(200).split(b"\r\n")[0].decode()
print(line, round(time.monotonic() - start, 2))
writer.execute("ROLLBACK")
PY
status=$(awk '{ print $2 }' "$T/probe") seconds=$(awk '{ print $NF }' "$T/probe")
[ "$status" = 503 ] || fail "expected 503 at the connection limit: $(cat "$T/probe")"
awk -v s="$seconds" 'BEGIN { exit !(s < 3) }' || fail "the 503 waited for the database: $seconds s"
stop_server
