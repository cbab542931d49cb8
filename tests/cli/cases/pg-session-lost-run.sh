# PostgreSQL ends plumb's session while a sync waits on a page (a restart, a failover): the
# next statement opens a new session, but the run's lock (a session advisory lock) went with
# the old one, and another process may meanwhile have taken the run for dead and removed what
# it staged.  So the run stops, saying why, and publishes nothing; the next sync is whole.
postgres_only "session advisory locks"
source "$ROOT/tests/http/apiserver.sh"
init_db
# sync-github's API, whose commits page answers once the case has ended the session (the
# file go; a fixed 4 s could pass first on a loaded machine): the sync stages the pull
# requests and their reviews, then waits there.
cp -r "$ROOT/tests/http/scenarios/github-sync" scenario
jq '[.[] | if .path == "/repos/acme/widgets/commits" then .responses |= map(.hold_until = "go") else . end]' \
	"$ROOT/tests/http/scenarios/github-sync/routes.json" >scenario/routes.json
api_start "$T/scenario"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL" --token-env GH_TOKEN
export GH_TOKEN=ghp_secretvalue123
"$PLUMB" sync gh --since 2024-01-01 >"$T/sync.out" 2>"$T/sync.err" &
pid=$!
for _ in $(seq 400); do # bounded: 20 s
	grep -q '"/repos/acme/widgets/commits"' "$API_LOG" 2>/dev/null && break
	sleep 0.05
done
grep -q '"/repos/acme/widgets/commits"' "$API_LOG" || fail "the sync did not reach the commits page: $(cat "$T/sync.err")"
sync_run=$(sql "SELECT MAX(id) FROM ingest_runs")
[ "$(sql "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'plumb'
  AND datname = current_database()")" -ge 1 ] || fail "the sync held no session"
touch "$T/scenario/go"
wait "$pid"
sync_status=$?
[ "$sync_status" != 0 ] || fail "the sync went on without its run lock: $(cat "$T/sync.out")"
grep -q "the database connection was lost during ingest run $sync_run" "$T/sync.err" ||
	fail "the sync did not say why it stopped: $(cat "$T/sync.err")"
[ "$(sql "SELECT status FROM ingest_runs WHERE id = $sync_run")" != published ] || fail "the run was published"
[ "$(sql "SELECT COUNT(*) FROM events")" = 0 ] || fail "events of the stopped run were published"
[ "$(sql "SELECT COUNT(*) FROM ingest_staging WHERE run_id = $sync_run")" = 0 ] || fail "its staged rows are left"
ok sync gh --since 2024-01-01
[ "$(sql "SELECT COUNT(*) FROM events")" -gt 0 ] || fail "the next sync published nothing"
ok audit verify
