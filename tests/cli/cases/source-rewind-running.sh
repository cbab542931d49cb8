# plumb source rewind is refused while a sync of the source is going on (exit status 5,
# nothing forgotten, nothing audited): that run publishes its cursors when it ends, so the
# rewind said "forgotten" and was undone a moment later (found in review).  Once the run has
# ended the rewind goes through.
source "$ROOT/tests/http/apiserver.sh"
init_db
# The job answers only once the file go exists, so the sync is held mid-run.
cp -r "$ROOT/tests/http/scenarios/source-pause-race" "$T/scenario"
jq '(.[] | select(.path == "/job/slow/api/json") | .responses[0]) |= (del(.delay_ms) | .hold_until = "go")' \
	"$ROOT/tests/http/scenarios/source-pause-race/routes.json" >"$T/scenario/routes.json"
api_start "$T/scenario"
ok source add jenkins --name j --url "$API_URL" --job slow
touch "$T/scenario/go"
ok sync j --since 2020-01-01
[ "$(sql "SELECT COUNT(*) FROM sync_cursors")" = 1 ] || fail "the first sync set no cursor"
rm "$T/scenario/go"
: >"$API_LOG"
"$PLUMB" sync j --json >"$T/sync.out" 2>"$T/sync.err" &
sync_pid=$!
at_exit "kill $sync_pid 2>/dev/null"
started() { grep -q '/job/slow/' "$API_LOG" 2>/dev/null; }
wait_until 60 started || fail "the sync did not start"
run source rewind j --reason "a window missed"
expect_status 5
expect_err "source j is being synced now (run "
expect_err "rewind once it has ended"
[ "$(sql "SELECT COUNT(*) FROM sync_cursors")" = 1 ] || fail "a refused rewind forgot the cursor"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'source.rewind'")" = 0 ] || fail "a refused rewind was audited"
touch "$T/scenario/go"
wait "$sync_pid" || fail "the sync failed: $(cat "$T/sync.err")"
# Ended, the run is no obstacle.
ok source rewind j --reason "a window missed"
expect_out "source j: 1 cursor forgotten"
[ "$(sql "SELECT COUNT(*) FROM sync_cursors")" = 0 ] || fail "the cursor was kept"
ok audit verify
