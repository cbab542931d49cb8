# SIGTERM while a write is in flight: the server stops accepting, lets the request finish
# and answer, and exits 0; the write is whole and the audit chain verifies.
init_db
tok=$(token admin write)
awk -v n=5000 -f "$ROOT/bench/gen-org.awk" >"$T/org.csv"
serve
# The upload (700 KB) is slowed to about 2 s, so the signal comes while it arrives whatever
# the machine's speed (a fast one imported 5,000 people within the 0.3 s before it); the
# import then takes about a second, well inside the server's 10 s drain.
curl -s -o "$T/import.out" -w '%{http_code}' -X POST -H "Authorization: Bearer $tok" \
	-H 'Content-Type: text/csv' --limit-rate 350K --data-binary "@$T/org.csv" \
	"$URL/api/v1/org/import" >"$T/code" &
curl_pid=$!
sleep 0.3
kill_ms=$(date +%s%3N)
kill -TERM "$SERVE_PID"
wait "$curl_pid"
[ "$(cat "$T/code")" = 200 ] || fail "the request in flight was answered $(cat "$T/code"): $(head -c 300 "$T/import.out")"
wait "$SERVE_PID" || fail "plumb serve exited $? after SIGTERM"
SERVE_PID=
# It was in flight: answered after the signal.
done_at=$(grep ' POST /api/v1/org/import 200 ' "$T/access.log" | cut -d' ' -f1)
[ -n "$done_at" ] || fail "the import is not in the access log"
done_ms=$(date -d "$done_at" +%s%3N)
[ "$done_ms" -gt "$kill_ms" ] || skip "the import finished before the signal (in $((done_ms - kill_ms)) ms); nothing was in flight"
[ "$(sql "SELECT COUNT(*) FROM people")" = 5000 ] || fail "the import is not whole: $(sql "SELECT COUNT(*) FROM people") people"
# After the shutdown, nothing listens.
curl -s -o /dev/null "$URL/healthz" && fail "still answering after SIGTERM"
ok audit verify
