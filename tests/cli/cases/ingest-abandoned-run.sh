# A run whose process ends between staging and publishing (killed, or cut off from the database)
# stays staging with what it staged. reconcile leaves out payloads no published run holds, so
# neither a run still going nor one abandoned gives false mismatches; a run still going in
# another process is left alone by the next run of its source; once its process is gone (here a
# real SIGKILL of a sync waiting on a page), the next run records it failed and removes what it
# staged, but not a payload a published run read too (the same bytes reuse its id), which
# becomes that run's.
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
"$PLUMB" sync gh --since 2024-01-01 >"$T/sync.out" 2>&1 &
pid=$!
wait_until 60 grep -q '"/repos/acme/widgets/commits"' "$API_LOG" 2>/dev/null
grep -q '"/repos/acme/widgets/commits"' "$API_LOG" || fail "the sync did not reach the commits page: $(cat "$T/sync.out")"
sync_run=$(sql "SELECT MAX(id) FROM ingest_runs")
[ "$(sql "SELECT status FROM ingest_runs WHERE id = $sync_run")" = staging ] || fail "the sync run is not staging"
staged=$(sql "SELECT COUNT(*) FROM raw_payloads WHERE run_id = $sync_run")
[ "$staged" -ge 2 ] || fail "the sync staged $staged payloads"
# Its payloads are no published data yet: no mismatches.
ok reconcile gh --json
expect_json '"\(.sources[0].raw_payloads) \(.sources[0].mismatches)"' "0 0"
# A run of the same source while the sync is live leaves it be; it reads the pull requests page
# the sync staged, so it publishes from the sync's payload.
ok ingest --source gh "$FIXTURES/github/pulls.json"
file_run=$(sql "SELECT MAX(id) FROM ingest_runs")
[ "$(sql "SELECT status FROM ingest_runs WHERE id = $sync_run")" = staging ] || fail "a live run was abandoned"
[ "$(sql "SELECT COUNT(*) FROM raw_payloads WHERE run_id = $sync_run")" = "$staged" ] || fail "a live run's payloads went"
[ "$(sql "SELECT COUNT(*) FROM events e JOIN raw_payloads p ON p.id = e.raw_id WHERE p.run_id = $sync_run")" -gt 0 ] ||
	fail "the file run should have reused the sync's payload"
ok reconcile gh --json
expect_json '"\(.sources[0].raw_payloads) \(.sources[0].mismatches)"' "1 0"
# The sync is killed: its run is left staging. On PostgreSQL the server ends its session (and its
# lock) once it notices, which the next run must see.
kill -9 "$pid"
wait "$pid" 2>/dev/null
backend_gone() { [ "$(sql "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'plumb' AND datname = current_database()")" = 0 ]; }
if [ "$(engine)" = postgres ]; then
	wait_until 30 backend_gone || fail "the killed sync's session is still there"
fi
ok reconcile gh --json
expect_json '"\(.sources[0].raw_payloads) \(.sources[0].mismatches)"' "1 0"
ok ingest --source gh "$FIXTURES/github/deployments.json"
next=$(sql "SELECT MAX(id) FROM ingest_runs")
[ "$(sql "SELECT status || ' ' || error FROM ingest_runs WHERE id = $sync_run")" = "failed abandoned: it ended without publishing or removing what it staged (found by run $next)" ] ||
	fail "the abandoned run: $(sql "SELECT status, error FROM ingest_runs WHERE id = $sync_run")"
# Recorded failed in the same transaction as an audit entry, as a run that fails itself is
# (found in review: it was not audited).
ok audit log --json --object source:gh
expect_json '[.[] | select(.action == "ingest.fail") | "\(.detail.run) \(.detail.mode) \(.detail.reason)"] | join(",")' \
	"$sync_run sync abandoned: it ended without publishing or removing what it staged (found by run $next)"
for t in ingest_staging run_documents run_cursors; do
	[ "$(sql "SELECT COUNT(*) FROM $t WHERE run_id = $sync_run")" = 0 ] || fail "$t rows of the abandoned run are left"
done
# Of its payloads only the one the file run published from stays, and becomes the file run's:
# no event traces back to a run that failed.
[ "$(sql "SELECT COUNT(*) FROM raw_payloads WHERE run_id = $sync_run")" = 0 ] ||
	fail "payloads of the abandoned run: $(sql "SELECT id, origin FROM raw_payloads WHERE run_id = $sync_run")"
[ "$(sql "SELECT COUNT(*) FROM raw_payloads WHERE run_id = $file_run AND origin LIKE '%pulls%'")" = 1 ] ||
	fail "the payload the file run published from: $(sql "SELECT id, run_id, origin FROM raw_payloads")"
[ "$(sql "SELECT COUNT(*) FROM events e JOIN raw_payloads p ON p.id = e.raw_id JOIN ingest_runs r ON r.id = p.run_id WHERE r.status <> 'published'")" = 0 ] ||
	fail "events whose payload's run did not publish"
ok sync --status --json
expect_json '.[0].last_run.status' published
ok reconcile gh --json
expect_json '"\(.sources[0].raw_payloads) \(.sources[0].mismatches)"' "2 0"
expect_references_intact
ok audit verify
