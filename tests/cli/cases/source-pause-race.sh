# A source paused while a sync of every source is going on, before that sync reached it,
# is left out as paused (exit status 0), as one paused before the sync began is: the
# sync read the names first and each source's run begins later. Four slow sources hold
# the sync's four workers while the fifth is paused.
source "$ROOT/tests/http/apiserver.sh"
init_db
# The slow jobs answer once the pause is done (the file go), not after 2.5 s, which a loaded
# machine's pause could outlast.
cp -r "$ROOT/tests/http/scenarios/source-pause-race" "$T/scenario"
jq '(.[] | select(.path == "/job/slow/api/json") | .responses[0]) |= (del(.delay_ms) | .hold_until = "go")' \
	"$ROOT/tests/http/scenarios/source-pause-race/routes.json" >"$T/scenario/routes.json"
api_start "$T/scenario"
for n in a1 a2 a3 a4; do
	ok source add jenkins --name "$n" --url "$API_URL" --job slow
done
ok source add jenkins --name zz --url "$API_URL" --job quick
"$PLUMB" sync --since 2020-01-01 --json >"$T/sync.out" 2>"$T/sync.err" &
sync_pid=$!
four_slow() { [ "$(grep -c '/job/slow/' "$API_LOG" 2>/dev/null)" -ge 4 ]; }
wait_until 60 four_slow || fail "the four slow sources did not start"
ok source pause zz --reason "paused while the sync ran"
touch "$T/scenario/go"
wait "$sync_pid"
status=$?
cp "$T/sync.out" "$T/out"
cp "$T/sync.err" "$T/err"
sanitizer_report "$T/err" && fail "sanitizer report from plumb sync"
expect_status 0
expect_json '.[] | select(.source == "zz") | "\(.status) \(.run) \(.error)"' "paused null null"
expect_json '[.[] | select(.status == "ok")] | length' 4
grep -q '/job/quick/' "$API_LOG" && fail "the paused source's API was read"
true
