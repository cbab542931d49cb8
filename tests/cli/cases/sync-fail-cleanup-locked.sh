# A sync that fails while another writer holds the database past --lock-wait, whose failure's
# own cleanup cannot be written at first either, removes what it staged all the same (found
# in review: a cleanup that failed once was followed by recording the run failed alone, and
# nothing ever removed its staged rows). The lock is held 5 s, --lock-wait is 2 s: the
# staging gives up at about 2 s, the cleanup at 4 s, and its second try, waiting from 4 s,
# gets the lock at 5 s (the mark alone did, before); and nothing it staged is left once the
# next sync of the source has run. SQLite only: the other writer is sqlite3 holding the write lock.
[ "$(engine)" = sqlite ] || exit 77
source "$ROOT/tests/http/apiserver.sh"
init_db
cp -r "$ROOT/tests/http/scenarios/github-sync" "$T/scenario"
jq '(.[] | select(.path == "/repos/acme/widgets/commits" and .when_header == null) | .responses[0].hold_until) = "go"' \
	"$ROOT/tests/http/scenarios/github-sync/routes.json" >"$T/scenario/routes.json"
api_start "$T/scenario"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL"
"$PLUMB" --lock-wait 2 sync gh --since 2024-01-01 >"$T/sync.out" 2>"$T/sync.err" &
sync_pid=$!
commits_asked() { grep -q '/commits' "$API_LOG" 2>/dev/null; }
wait_until 60 commits_asked || fail "the sync did not reach the commits"
sqlite3 "$PLUMB_DB" "BEGIN IMMEDIATE;" ".shell touch $T/locked" ".shell sleep 5" "COMMIT;" >/dev/null &
lock_pid=$!
locked() { [ -e "$T/locked" ]; }
wait_until 30 locked || fail "sqlite3 did not take the write lock"
touch "$T/scenario/go"
wait "$sync_pid"
status=$?
cp "$T/sync.out" "$T/out"
cp "$T/sync.err" "$T/err"
sanitizer_report "$T/err" && fail "sanitizer report from plumb sync"
expect_status 75
wait "$lock_pid"
run_id=$(sql "SELECT MAX(id) FROM ingest_runs")
# The second try, waiting from about 4 s, got the lock at 5 s: the run is failed with nothing
# of it staged (without that try it would be left staging; before, it was failed with its
# staged rows kept).
[ "$(sql "SELECT status || ' ' || (SELECT COUNT(*) FROM ingest_staging WHERE run_id = $run_id) FROM ingest_runs WHERE id = $run_id")" = "failed 0" ] ||
	fail "after the failed sync: $(sql "SELECT status || ' ' || COALESCE(error, '') FROM ingest_runs WHERE id = $run_id"), $(sql "SELECT COUNT(*) FROM ingest_staging WHERE run_id = $run_id") staged"
ok sync gh --since 2024-01-01
[ "$(sql "SELECT COUNT(*) FROM ingest_staging")" = 0 ] ||
	fail "staged rows left: $(sql "SELECT run_id, COUNT(*) FROM ingest_staging GROUP BY run_id")"
[ "$(sql "SELECT status FROM ingest_runs WHERE id = $run_id")" = failed ] ||
	fail "the run: $(sql "SELECT status || ' ' || error FROM ingest_runs WHERE id = $run_id")"
ok audit verify
