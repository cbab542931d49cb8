# Sources sync side by side: a slow source that fails (a 401, held back) neither holds up nor
# spoils a good one.  The good one is published while the slow one is still waiting; the
# summary lists both, the exit status is the failure's, and the failed run publishes nothing.
source "$ROOT/tests/http/apiserver.sh"
init_db
# a-slow's pulls are answered, 401, once gh has published (the file go), not after 1.5 s,
# inside which a loaded machine might not finish gh's sync.  A sync of one source after
# another would not publish gh while a-slow waits: the order check below fails, after 60 s.
cp -r "$ROOT/tests/http/scenarios/github-sync" "$T/scenario"
jq '(.[] | select(.path == "/repos/acme/slow/pulls") | .responses[0]) |= (del(.delay_ms) | .hold_until = "go")' \
	"$ROOT/tests/http/scenarios/github-sync/routes.json" >"$T/scenario/routes.json"
api_start "$T/scenario"
# "a-slow" sorts first: one after another, it would finish before gh starts.
ok source add github --name a-slow --repo acme/slow --api-url "$API_URL" --token-env GH_TOKEN
ok source add github --name gh --repo acme/widgets --api-url "$API_URL" --token-env GH_TOKEN
ok source add deploy --name argo
export GH_TOKEN=ghp_secretvalue123
"$PLUMB" sync --since 2024-01-01 --json >"$T/sync.out" 2>"$T/sync.err" &
sync_pid=$!
gh_published() {
	[ "$(sql "SELECT COUNT(*) FROM ingest_runs r JOIN sources s ON s.id = r.source_id WHERE s.name = 'gh' AND r.status = 'published'")" = 1 ]
}
wait_until 60 gh_published
touch "$T/scenario/go"
wait "$sync_pid"
status=$?
cp "$T/sync.out" "$T/out"
cp "$T/sync.err" "$T/err"
sanitizer_report "$T/err" && fail "sanitizer report from plumb sync"
expect_status 3
expect_json 'map("\(.source) \(.status)") | join(",")' "a-slow failed,argo skipped,gh ok"
# A skipped source had no run: null, not a run id 0 that does not exist (found in review).
expect_json '.[] | select(.source == "argo") | .run' null
expect_json '.[] | select(.source == "gh") | .inserted' 14
expect_json '.[] | select(.source == "a-slow") | .error | test("401")' true
# The error line names the source that failed, one of several (found in the sync hunt).
expect_err "plumb: error: a-slow: "
# The error's hint too, as the text gives it (found hunting: the message alone).
expect_json '.[] | select(.source == "a-slow") | .error_hint' 'create a new token and set $GH_TOKEN to it'
expect_json '.[] | select(.source == "gh") | "\(.error_detail) \(.error_hint)"' "null null"
run_time() { sql "SELECT r.$2 FROM ingest_runs r JOIN sources s ON s.id = r.source_id WHERE s.name = '$1'"; }
[ "$(run_time gh finished_at)" -lt "$(run_time a-slow finished_at)" ] ||
	fail "gh waited for the slow source"
[ "$(sql "SELECT COUNT(*) FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = 'a-slow'")" = 0 ] ||
	fail "the failed source published"
ok sync --status --json
expect_json '[.[] | select(.source == "a-slow")][0].last_run.status' failed
expect_json '[.[] | select(.source == "gh")][0].last_run.status' published
ok audit verify
# Publish wrote without row-by-row foreign key checks on SQLite: every reference holds.
expect_references_intact
