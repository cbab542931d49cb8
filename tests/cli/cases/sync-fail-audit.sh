# A sync that fails is audited: its run stays recorded failed, and the same transaction
# appends an ingest.fail entry on its source naming the run and why (found in review: only
# ingest.publish was audited, so a failed run changed the database with no entry). The
# reason is the run's error, which never holds the token. A file ingest that fails leaves
# nothing, its run's row included, and so no entry (docs/cli.md, ingest, "All or nothing").
source "$ROOT/tests/http/apiserver.sh"
init_db
api_start "$ROOT/tests/http/scenarios/paging-faults"
ok source add github --name loop --repo acme/loop --api-url "$API_URL"
run sync loop --since 2024-01-01
expect_status 1
failed=$(sql "SELECT id FROM ingest_runs WHERE status = 'failed'")
[ -n "$failed" ] || fail "the failed sync left no failed run"
ok audit log --json --object source:loop
expect_json '[.[] | select(.action == "ingest.fail")] | length' 1
expect_json '.[] | select(.action == "ingest.fail") | "\(.actor) \(.detail.run) \(.detail.mode)"' "admin $failed sync"
expect_json '.[] | select(.action == "ingest.fail") | .detail.reason | test("page=2: the next page is one read before: the pages loop")' true
api_stop
# A server that echoes the token in its refusal: the entry names the variable, never the token.
api_start "$ROOT/tests/http/scenarios/token-echo"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL" --token-env GH_TOKEN
export GH_TOKEN=ghp_secretvalue123
run sync gh
expect_status 3
ok audit log --json --object source:gh
expect_json '[.[] | select(.action == "ingest.fail")] | length' 1
expect_json '.[] | select(.action == "ingest.fail") | .detail.reason | test("GH_TOKEN")' true
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%ghp_s%' OR detail LIKE '%secretvalue%'")" = 0 ] ||
	fail "the token is in the audit log"
# A file that fails to ingest: its run goes whole, and the log is as it was.
entries=$(sql "SELECT COUNT(*) FROM audit_log")
runs=$(sql "SELECT COUNT(*) FROM ingest_runs")
file bad.json <<'JSON'
[{"number": 1, "title": "x", "created_at": "yesterday"}]
JSON
run ingest --source gh --format github-pulls "$T/bad.json"
expect_status 1
expect_err "[0].created_at: expected an RFC 3339 time, got 'yesterday'"
[ "$(sql "SELECT COUNT(*) FROM audit_log") $(sql "SELECT COUNT(*) FROM ingest_runs")" = "$entries $runs" ] ||
	fail "a failed file ingest left an entry or a run: $(sql "SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 1")"
ok audit verify
