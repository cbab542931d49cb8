# plumb sync's own input: with no source it says how to add one; an unknown name, a --since
# that is not a time, and a --since in the future are refused before anything is read or
# written (found in acceptance: a --since in the future was taken, read the first page of
# pull requests without their reviews and set cursors that a later --since could not move
# back, so those reviews were never read).
source "$ROOT/tests/http/apiserver.sh"
init_db
ok sync
expect_out "no sources to sync: add one with 'plumb source add KIND --name NAME ...'"
ok sync --json
expect_json 'length' 0
api_start "$ROOT/tests/http/scenarios/github-sync"
export GH_TOKEN=ghp_secretvalue123
ok source add github --name gh --repo acme/widgets --api-url "$API_URL" --token-env GH_TOKEN
before=$(counts)
run sync nope
expect_status 4
expect_err "no source 'nope'"
# The same hint wherever a source name is wrong.
expect_err "hint: configure it with 'plumb source add KIND --name nope ...'; 'plumb source list' shows the sources"
for c in "reconcile nope" "source pause nope" "source share nope --with payments"; do
	run $c
	expect_status 4
	expect_err "hint: configure it with 'plumb source add KIND --name nope ...'; 'plumb source list' shows the sources"
done
run sync --since yesterday
expect_status 2
expect_err "--since: invalid time 'yesterday'"
run sync --since 2205-01-01
expect_status 2
expect_err "--since: '2205-01-01' is in the future"
expect_counts "$before"
[ "$(sql "SELECT COUNT(*) FROM ingest_runs") $(sql "SELECT COUNT(*) FROM sync_cursors")" = "0 0" ] ||
	fail "a refused sync left a run or cursors"
[ ! -s "$API_LOG" ] || fail "a refused sync sent requests: $(cat "$API_LOG")"
# Today is not the future: a first sync from today's midnight.
ok sync --since "$(date -u +%Y-%m-%d)" --json
expect_json '.[0].status' ok
# --since is where a first sync starts: given again once the resources have cursors, it is
# not used, and plumb says so rather than look as if it had read back that far (found in
# acceptance: silent).
run sync --since 2023-01-01 --json
expect_status 0
expect_err "plumb: warning: gh: --since applies to resources never synced; those synced before went on from their cursors"
[ "$(jq -r '.query.since // empty' "$API_LOG" | sort -u | head -1)" != 2023-01-01T00:00:00Z ] ||
	fail "--since was used after all: $(jq -c .query "$API_LOG")"
ok sync
[ ! -s "$T/err" ] || fail "a warning without --since: $(cat "$T/err")"
