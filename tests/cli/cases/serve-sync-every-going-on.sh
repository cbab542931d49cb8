# serve --sync-every while a plumb sync of the same source (another process) is going on: the
# server's sync of it is refused at its start, as any second sync is, but that is no failure
# of the source: each tick logs it skipped and left for the next sync (it logged
# "gh: failed: source gh: a sync of it is going on" every tick), nothing is written, and once
# the other sync has ended the server's next tick syncs it.
source "$ROOT/tests/http/apiserver.sh"
init_db
# The first read of the pulls (the CLI's sync) is held until the case says so ("go").
cp -r "$ROOT/tests/http/scenarios/github-sync" "$T/scenario"
jq '(.[] | select(.path == "/repos/acme/widgets/pulls" and .query == null and .when_header == null)
	| .responses) |= [(.[0] + {hold_until: "go"}), .[0]]' \
	"$ROOT/tests/http/scenarios/github-sync/routes.json" >"$T/scenario/routes.json"
api_start "$T/scenario"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL" --token-env GH_TOKEN
export GH_TOKEN=ghp_secretvalue123
pulls_read() { [ "$(jq -s '[.[] | select(.path == "/repos/acme/widgets/pulls" and .query.page == null)] | length' "$API_LOG")" -ge 1 ]; }
"$PLUMB" sync gh --since 2024-01-01 --json >"$T/cli.out" 2>"$T/cli.err" &
cli=$!
at_exit "kill $cli 2>/dev/null"
wait_until 60 pulls_read || fail "the CLI's sync did not read the pulls"
serve --sync-every 1s
skipped() { [ "$(grep -c "^sync: gh: skipped: " "$T/access.log")" -ge 2 ]; }
wait_until 60 skipped || fail "no two skipped lines: $(cat "$T/access.log")"
grep -qE "^sync: gh: skipped: its sync run [0-9]+ \(another process's\) is going on; left for the next sync$" "$T/access.log" ||
	fail "skipped line: $(grep '^sync: gh' "$T/access.log")"
grep -q "^sync: gh: failed" "$T/access.log" && fail "logged as failed: $(grep '^sync: gh' "$T/access.log")"
[ "$(sql "SELECT COUNT(*) FROM ingest_runs")" = 1 ] || fail "runs: $(sql "SELECT id, status, error FROM ingest_runs")"
touch "$T/scenario/go"
wait "$cli" || fail "the CLI's sync failed: $(cat "$T/cli.err")"
# The tick after it ended syncs it.
published() { grep -q "^sync: gh: run [0-9]* published: " "$T/access.log"; }
wait_until 60 published || fail "the server did not sync it after: $(cat "$T/access.log")"
stop_server
grep -q "^sync: gh: failed" "$T/access.log" && fail "logged as failed: $(grep '^sync: gh' "$T/access.log")"
[ "$(sql "SELECT status FROM ingest_runs ORDER BY id" | sort -u | paste -sd,)" = published ] ||
	fail "runs: $(sql "SELECT id, status, error FROM ingest_runs")"
ok audit verify
