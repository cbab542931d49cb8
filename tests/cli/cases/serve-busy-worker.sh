# A request that waits past --timeout for a worker (its thread busy with a write waiting for
# the database) is answered 503 busy with Retry-After and a JSON error, not closed unanswered
# (found by tests/fuzz/stress_api.py: a GET shut after 30 s behind a long dashboard refresh).
init_db
tok=$(token admin write)
lock=8101244078216505961 # plumb's write lock on PostgreSQL (store_pg.c)
rm -f "$T/lock.in" && mkfifo "$T/lock.in"
sql_session <"$T/lock.in" >/dev/null 2>&1 &
locker=$!
exec 6>"$T/lock.in"
at_exit "exec 6>&-; kill $locker 2>/dev/null"
if [ "$(engine)" = postgres ]; then
	echo "BEGIN; SELECT pg_advisory_xact_lock($lock);" >&6
	held() { [ "$(sql "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
	  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" = 1 ]; }
else
	echo "BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES ('busy-test', 'x');" >&6
	held() { [ -n "$(sqlite3 "$PLUMB_DB" "PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; ROLLBACK;" 2>&1)" ]; }
fi
wait_until 30 held || fail "the other session did not take the write lock"
# expect_busy WHAT LOGGED: the answer read on fd 5 is a 503 busy with Retry-After and a JSON
# error, and the access log has a line matching LOGGED.
expect_busy() {
	timeout 20 cat <&5 >"$T/read.out"
	exec 5<&- 5>&-
	head -1 "$T/read.out" | grep -q '^HTTP/1.1 503' || fail "$1: $(cat "$T/read.out")"
	grep -qi '^Retry-After: 1' "$T/read.out" || fail "$1: no Retry-After: $(cat "$T/read.out")"
	grep -q '"code":"busy"' "$T/read.out" || fail "$1: no JSON busy error: $(cat "$T/read.out")"
	wait_until 10 grep -q -- "$2" "$T/access.log" || fail "$1: the 503 is not logged: $(cat "$T/access.log")"
}
# One worker thread.  A connection it accepted while idle; then a write that keeps it waiting
# 3 s for the database; then the connection's request, which waits past the 2 s timeout.
serve --threads 1 --timeout 2 --lock-wait 3
hostport=${URL#http://}
exec 5<>"/dev/tcp/${hostport%:*}/${hostport#*:}"
at_exit "exec 5<&- 5>&-"
sleep 0.5
curl -s -o "$T/w.out" -w '%{http_code}' -X POST -H "Authorization: Bearer $tok" \
	-H 'Content-Type: application/json' -d '{"args":["late"]}' "$URL/api/v1/objectives" >"$T/w.code" &
writer=$!
# The thread is busy with the write before the request comes: waited for, not a fixed 0.5 s
# (under load plumb_waiting returned up to 1.5 s after the write's curl began; a read that
# came before the write would have been answered at once).
plumb_waiting
printf 'GET /api/v1/org HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n' "$tok" >&5
expect_busy "the waiting read" ' - 503 '
wait $writer
[ "$(cat "$T/w.code")" = 503 ] || fail "the write: $(cat "$T/w.code") $(cat "$T/w.out")"
# The same with a request whose headers the thread read before it went busy, its body sent
# after: the client sent it all, so not 408 ("did not arrive in time") but 503, and not run.
exec 5<>"/dev/tcp/${hostport%:*}/${hostport#*:}"
body='{"args":["body-waited"]}'
printf 'POST /api/v1/objectives HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n' "$tok" "${#body}" >&5
sleep 0.5
curl -s -o /dev/null -X POST -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
	-d '{"args":["late2"]}' "$URL/api/v1/objectives" &
writer=$!
# Not plumb_waiting: the body must come within the 2 s timeout of the thread going busy, and
# under load plumb_waiting returned 2 s after the write's curl began (the answer was then 408).
sleep 0.5
printf '%s' "$body" >&5
expect_busy "the waiting body" 'POST - 503 '
wait $writer
# A connection no thread accepted: while the one thread has been busy past the timeout (a
# write waiting 8 s for the database), a new connection is answered 503 busy, not left
# waiting unanswered until the write gives up (found by tests/fuzz/stress_api.py: 24.7 s with
# a 10 s timeout).  Its request is not run: the answer comes at about 2 s, the write at 8.
stop_server
serve --threads 1 --timeout 2 --lock-wait 8
hostport=${URL#http://}
curl -s -o "$T/w.out" -w '%{http_code}' -X POST -H "Authorization: Bearer $tok" \
	-H 'Content-Type: application/json' -d '{"args":["late3"]}' "$URL/api/v1/objectives" >"$T/w.code" &
writer=$!
plumb_waiting # the one thread is busy with the write before the new connection comes
exec 5<>"/dev/tcp/${hostport%:*}/${hostport#*:}"
body='{"args":["never-accepted"]}'
printf 'POST /api/v1/objectives HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' "$tok" "${#body}" "$body" >&5
started=$(date +%s%N)
logged=$(grep -c -- '- - 503 ' "$T/access.log")
expect_busy "the connection not accepted" ' - 503 '
waited=$((($(date +%s%N) - started) / 1000000))
[ "$waited" -lt 7000 ] || fail "the connection not accepted was answered after $waited ms, when the write ended"
grep -q 'no worker read the request in time' "$T/read.out" || fail "not the watch's answer: $(cat "$T/read.out")"
wait_until 10 eval '[ "$(grep -c -- "- - 503 " "$T/access.log")" -gt "$logged" ]' ||
	fail "the 503 to the connection not accepted is not logged: $(cat "$T/access.log")"
kill -0 $writer 2>/dev/null || fail "the write ended before the waiting connection was answered"
# The lock let go, so the write goes through now rather than giving up at its 8 s: closing
# fd 6 alone did not end the session, whose FIFO the server and curl also hold open.
echo "ROLLBACK;" >&6
exec 6>&-
wait $writer
[ "$(sql "SELECT COUNT(*) FROM objectives WHERE name = 'never-accepted'")" = 0 ] || fail "the refused request was run"
[ "$(sql "SELECT COUNT(*) FROM objectives WHERE name = 'body-waited'")" = 0 ] || fail "the refused request was run"
# The worker is free again: answered as usual.
http GET /api/v1/org -H "Authorization: Bearer $tok"
expect_http 200
stop_server
