# sync --status shows a run still staging, which last_run (finished runs only) leaves out
# (found in review: a source whose only run was killed showed last_run null, nothing about
# the pages it left): staging_run with what it staged so far and whether its process still
# holds the run lock. Once its process is gone the next run of the source records it failed,
# removes what it staged and audits that (ingest.fail), as a failed run is audited.
source "$ROOT/tests/http/apiserver.sh"
init_db
# The GitHub API of sync-github, whose commits page answers only after a minute: the sync
# stages the pull requests and their reviews, then waits there.
cp -r "$ROOT/tests/http/scenarios/github-sync" scenario
jq '[.[] | if .path == "/repos/acme/widgets/commits" then .responses |= map(.delay_ms = 60000) else . end]' \
	"$ROOT/tests/http/scenarios/github-sync/routes.json" >scenario/routes.json
api_start "$T/scenario"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL" --token-env GH_TOKEN
export GH_TOKEN=ghp_secretvalue123
ok sync --status --json
expect_json '.[0].staging_run' null
"$PLUMB" sync gh --since 2024-01-01 >"$T/sync.out" 2>&1 &
pid=$!
wait_until 60 grep -q '"/repos/acme/widgets/commits"' "$API_LOG" 2>/dev/null
grep -q '"/repos/acme/widgets/commits"' "$API_LOG" || fail "the sync did not reach the commits page: $(cat "$T/sync.out")"
sync_run=$(sql "SELECT MAX(id) FROM ingest_runs")
pages=$(sql "SELECT COUNT(*) FROM run_documents WHERE run_id = $sync_run")
records=$(sql "SELECT SUM(records) FROM run_documents WHERE run_id = $sync_run")
[ "$pages" -ge 2 ] && [ "$records" -gt 0 ] || fail "the sync staged $pages pages, $records records"
started=$(sql "SELECT started_at FROM ingest_runs WHERE id = $sync_run")
ok sync --status --json
expect_json '.[0].last_run' null
expect_json '.[0].staging_run | "\(.id) \(.mode) \(.pages) \(.records) \(.live)"' "$sync_run sync $pages $records true"
expect_json '.[0].staging_run.started_at | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601' "$((started / 1000))"
expect_json '.[0] | keys_unsorted | join(",")' \
	"source,kind,last_run,last_published_at,events,newest_event_at,freshness_seconds,resources,paused,last_sync,staging_run"
expect_json '.[0].staging_run | keys_unsorted | join(",")' "id,mode,started_at,pages,records,live"
ok sync --status
expect_out "gh: run $sync_run (sync) staging since "
expect_out ": $pages pages, $records records so far"
# Killed: the run stays staging, its lock gone with its process (on PostgreSQL once the server
# notices the session ended).
kill -9 "$pid"
wait "$pid" 2>/dev/null
backend_gone() { [ "$(sql "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'plumb' AND datname = current_database()")" = 0 ]; }
if [ "$(engine)" = postgres ]; then
	wait_until 30 backend_gone || fail "the killed sync's session is still there"
fi
ok sync --status --json
expect_json '.[0].last_run' null
expect_json '.[0].staging_run | "\(.id) \(.pages) \(.records) \(.live)"' "$sync_run $pages $records false"
ok sync --status
expect_out "gh: run $sync_run (sync) left staging since "
expect_out ": $pages pages, $records records staged; its process ended, and the next run of the source records it failed and removes them"
# The next run of the source finds it abandoned: failed, what it staged gone, and audited.
ok ingest --source gh "$FIXTURES/github/deployments.json"
next=$(sql "SELECT MAX(id) FROM ingest_runs")
[ "$(sql "SELECT status FROM ingest_runs WHERE id = $sync_run")" = failed ] || fail "the killed run was not recorded failed"
ok audit log --json --object source:gh
expect_json '[.[] | select(.action == "ingest.fail")] | length' 1
expect_json '.[] | select(.action == "ingest.fail") | "\(.detail.run) \(.detail.mode) \(.detail.reason)"' \
	"$sync_run sync abandoned: it ended without publishing or removing what it staged (found by run $next)"
ok sync --status --json
expect_json '.[0] | "\(.staging_run) \(.last_run.id) \(.last_sync.id) \(.last_sync.status)"' "null $next $sync_run failed"
ok sync --status
expect_no_out "staging since"
ok audit verify
