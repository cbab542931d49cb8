# plumb serve --sync-every: the server syncs every source with an API once it listens (and
# then on the schedule), as plumb sync does, a line per source in the access log, paused
# sources left out, the syncs counted in /metrics.  On SIGTERM a sync waiting on a slow API
# stops at once: its run fails, publishes nothing and the server exits cleanly.
source "$ROOT/tests/http/apiserver.sh"
init_db
run serve --sync-every 0m
expect_status 2
expect_err "--sync-every: '0m' is not a duration"

ok org import "$FIXTURES/org-small.csv"
ok service set checkout --team payments --effective 2020-01-01
ok service map checkout --repo acme/widgets
api_start "$ROOT/tests/http/scenarios/github-sync"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL" --token-env GH_TOKEN
ok source add github --name idle --repo acme/idle --api-url "$API_URL"
ok source pause idle --reason "retired"
ok source add deploy --name ci
export GH_TOKEN=ghp_secretvalue123
serve --sync-every 1h
# Each source has its line once the run is over: gh's is written before idle's, which the
# server's sync thread may write a moment later.
synced() { grep -q "^sync: gh: " "$T/access.log" && grep -q "^sync: idle: " "$T/access.log"; }
wait_until 60 synced
line=$(grep "^sync: gh: " "$T/access.log") || fail "no sync line: $(cat "$T/access.log")"
events=$(sql "SELECT COUNT(*) FROM events")
[ "$events" -gt 0 ] || fail "the server's sync stored nothing: $line"
echo "$line" | grep -qE "^sync: gh: run [0-9]+ published: [0-9]+ records, $events inserted, 0 updated, [0-9]+ requests \(0 not modified\), [0-9.]+ s$" ||
	fail "sync line: $line"
grep -qx "sync: idle: paused, left out" "$T/access.log" || fail "no paused line: $(cat "$T/access.log")"
grep -q "^sync: ci" "$T/access.log" && fail "a deploy source (no API) was synced"
# As after a webhook delivery, the dashboard of the team owning what the sync brought is
# refreshed: payments had no values before.
wait_until 60 grep -q "^refresher: " "$T/access.log"
grep -qx "refresher: [1-9][0-9]* teams after new events of 1 services" "$T/access.log" ||
	fail "no refresh after the sync: $(cat "$T/access.log")"
ok dashboard --team payments --json
expect_json '[.teams[] | select(.team == "payments") | .keys.deployment_frequency.value_id] | map(select(. != null)) | length' 1
grep -q ghp_secretvalue123 "$T/access.log" "$SERVE_ERR" && fail "the token was logged"
# The run is counted once the sync thread is done with it, after its last line: asked until then.
sync_counted() { http GET /metrics && grep -qx "plumb_sync_runs_total 1" "$T/out"; }
wait_until 30 sync_counted || fail "metrics: $(grep sync "$T/out")"
expect_http 200
stop_server
ok sync --status --json
expect_json '.[] | select(.source == "gh") | .last_sync.status' published

# Started from a terminal, the server's syncs draw no progress line on it: that line is a
# command's own ("publish: 0/1"), not the work of a server's thread.
script -qefc "exec $PLUMB serve --listen 127.0.0.1:0 --sync-every 1h --access-log $T/tty-access.log" \
	"$T/serve-tty.log" >/dev/null 2>&1 </dev/null &
tty_serve=$!
wait_until 60 grep -q "^sync: gh: " "$T/tty-access.log" 2>/dev/null
grep -q "^sync: gh: run" "$T/tty-access.log" || fail "no sync from the server on a terminal: $(cat "$T/tty-access.log")"
kill -TERM "$(pgrep -P "$tty_serve")"
wait "$tty_serve"
# script's own first and last lines hold the command, whose path may say anything ("pages").
! sed '/^Script \(started\|done\) on /d' "$T/serve-tty.log" | grep -qE "publish: |sync: [0-9]|pages" ||
	fail "the server's sync drew progress on its terminal: $(cat -v "$T/serve-tty.log")"

# An API that does not answer: SIGTERM ends the sync at once, nothing published.
mkdir "$T/slow"
jq -n '[{path: "/repos/acme/widgets/pulls", responses: [{delay_ms: 30000, body: "[]"}]}]' >"$T/slow/routes.json"
api_stop
api_start "$T/slow"
ok source set gh --api-url "$API_URL"
serve --sync-every 1h
wait_until 60 test -s "$API_LOG" || fail "the server's sync sent no request"
t0=$(date +%s%N)
stop_server
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -lt 5000 ] || fail "the server took $ms ms to stop during a sync"
[ "$(sql "SELECT COUNT(*) FROM events")" = "$events" ] || fail "a stopped sync published"
grep -q "^sync: gh: failed: .*not read: asked to stop" "$T/access.log" || fail "no stop line: $(cat "$T/access.log")"
# What the stopped run staged is removed with it: the next sync reads it again.
[ "$(sql "SELECT COUNT(*) FROM ingest_staging") $(sql "SELECT COUNT(*) FROM run_documents WHERE run_id NOT IN (SELECT id FROM ingest_runs WHERE status = 'published')")" = "0 0" ] ||
	fail "a stopped run's staged pages were left"
# SIGTERM while a request to the server is in flight: the sync is asked to stop at once, not
# once the server has let that request finish (up to 10 s).
# The log of the server before holds that one's requests: this sync's are waited for.
: >"$API_LOG"
serve --sync-every 1h
wait_until 60 test -s "$API_LOG" || fail "the server's sync sent no request"
head -c 600000 /dev/zero | tr '\0' 'x' >"$T/big.json"
curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H 'X-GitHub-Event: push' \
	--limit-rate 100K --data-binary "@$T/big.json" "$URL/webhooks/github" >"$T/big.code" &
curl_pid=$!
sleep 0.5 # the upload (6 s) under way
: >"$T/access.log"
kill -TERM "$SERVE_PID"
# The stop line comes while the upload still arrives, not once the server has let the
# request finish and answered it: waited for until then (a loaded machine takes its time),
# and looked for before the upload is, so that it came first.  An upload the server had not
# begun to read is cut off with the listener, unanswered (000): no request was in flight.
early=false
for _ in $(seq 1200); do # bounded: 60 s
	grep -q "^sync: gh: failed: .*not read: asked to stop" "$T/access.log" && kill -0 "$curl_pid" 2>/dev/null &&
		{ early=true; break; }
	kill -0 "$curl_pid" 2>/dev/null || break
	sleep 0.05
done
wait "$curl_pid"
$early || [ "$(cat "$T/big.code")" = 000 ] ||
	fail "the sync went on while the server drained a request: $(cat "$T/access.log")"
wait "$SERVE_PID" || fail "plumb serve exited $? after SIGTERM"
sanitizer_report "$SERVE_ERR" && fail "sanitizer report from plumb serve: $(cat "$SERVE_ERR")"
# More sources than sync workers (4): those not begun when the server stops are left out, with
# nothing written, and say so (not "failed").
for i in 1 2 3 4 5; do ok source add github --name s$i --repo acme/widgets --api-url "$API_URL"; done
: >"$API_LOG"
serve --sync-every 1h
four_asked() { [ "$(wc -l <"$API_LOG")" -ge 4 ]; }
wait_until 60 four_asked || fail "the 4 sync workers did not all begin: $(cat "$API_LOG")"
stop_server
grep -c "^sync: .*: failed: .*not read: asked to stop" "$T/access.log" | grep -qx 5 ||
	fail "expected the first stop line and 4 more: $(cat "$T/access.log")"
grep -qE "^sync: s[45]: left out \(stopped for shutdown\)$" "$T/access.log" ||
	fail "no left-out line for a source not begun: $(cat "$T/access.log")"
grep -q "not synced: asked to stop" "$T/access.log" && fail "a source not begun logged as failed: $(cat "$T/access.log")"
[ "$(sql "SELECT COUNT(*) FROM ingest_runs r JOIN sources s ON s.id = r.source_id WHERE s.name = 's5'")" = 0 ] ||
	fail "a source not begun has a run"
ok sync --status --json
expect_json '.[] | select(.source == "gh") | .last_sync.status' failed
ok audit verify
