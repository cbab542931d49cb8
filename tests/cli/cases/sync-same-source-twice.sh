# Two syncs of one source at once: the second is refused at its start, exit status 5, naming
# the run going on, and reads and writes nothing. Both running, both read the same pages and
# the one that published last set the source's cursors and ETags to its own, older than the
# other's. A sync killed part way holds nothing up: the next one runs, recording the killed
# one failed.
source "$ROOT/tests/http/apiserver.sh"
init_db
# The first read of the pulls is held until the case says so ("go"); a second read would be
# answered at once (that sync would publish while the first one waits). A read with the
# pulls' ETag, as a sync after the first sends, is held until "go2".
cp -r "$ROOT/tests/http/scenarios/github-sync" "$T/scenario"
jq '(.[] | select(.path == "/repos/acme/widgets/pulls" and .query == null and .when_header == null)
	| .responses) |= [(.[0] + {hold_until: "go"}), .[0]]
	| (.[] | select(.path == "/repos/acme/widgets/pulls" and .when_header != null) | .responses[0])
	|= . + {hold_until: "go2"}' \
	"$ROOT/tests/http/scenarios/github-sync/routes.json" >"$T/scenario/routes.json"
api_start "$T/scenario"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL" --token-env GH_TOKEN
export GH_TOKEN=ghp_secretvalue123
pulls_read() { [ "$(jq -s "[.[] | select(.path == \"/repos/acme/widgets/pulls\" and .query.page == null ${1:-})] | length" "$API_LOG")" -ge 1 ]; }
"$PLUMB" sync gh --since 2024-01-01 --json >"$T/first.out" 2>"$T/first.err" &
first=$!
at_exit "kill $first 2>/dev/null"
wait_until 60 pulls_read || fail "the first sync did not read the pulls"
before=$(ingest_written)
requests=$(jq -s length "$API_LOG")
run sync gh --json
expect_status 5
expect_err "plumb: error: source gh: a sync of it is going on (run 1, started "
expect_err "two syncs of one source at once read the same pages twice and could move its cursors back"
expect_err "hint: sync it again once that run has ended ('plumb sync --status' shows it)"
expect_json '.[0].status' failed
expect_json '.[0].run' null
[ "$(ingest_written)" = "$before" ] || fail "the refused sync wrote: was '$before', now '$(ingest_written)'"
[ "$(jq -s length "$API_LOG")" = "$requests" ] || fail "the refused sync read the API"
touch "$T/scenario/go"
wait "$first" || fail "the first sync failed: $(cat "$T/first.err")"
sanitizer_report "$T/first.err" && fail "sanitizer report from the first sync"
cp "$T/first.out" "$T/out"
expect_json '.[0].status' ok
expect_json '.[0].inserted' 14
# A sync killed while it reads leaves its run staging, its lock gone with its process: the
# next sync is not refused, and records it failed.
"$PLUMB" sync gh --json >/dev/null 2>"$T/killed.err" &
killed=$!
wait_until 60 pulls_read 'and .headers["If-None-Match"] != null' || fail "the second sync did not read the pulls"
kill -KILL "$killed"
wait "$killed"
# Run ids by order, not number: on PostgreSQL the refused sync's rolled-back run took one.
last_run() { sql "SELECT status FROM ingest_runs ORDER BY id DESC LIMIT 1"; }
[ "$(last_run)" = staging ] || fail "the killed run: $(last_run)"
touch "$T/scenario/go2"
ok sync gh --json
expect_json '.[0].status' ok
[ "$(sql "SELECT status FROM ingest_runs ORDER BY id" | paste -sd,)" = "published,failed,published" ] ||
	fail "runs: $(sql "SELECT id, status, error FROM ingest_runs")"
ok audit verify
