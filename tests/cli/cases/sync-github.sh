# plumb sync against a loopback GitHub API: Link pagination, reviews and deployment statuses
# per changed item, cursors and ETags; a second sync with no upstream change sends only
# conditional requests, all answered 304, and writes no events.  The token comes from the
# variable the source names and never lands in the database.
source "$ROOT/tests/http/apiserver.sh"
init_db
api_start "$ROOT/tests/http/scenarios/github-sync"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL" --token-env GH_TOKEN
run sync gh
expect_status 1
expect_err "GH_TOKEN is not set"
[ "$(sql "SELECT COUNT(*) FROM events")" = 0 ] || fail "events without a token"
export GH_TOKEN=ghp_secretvalue123
ok sync --since 2024-01-01 --json
expect_json '.[0].status' ok
expect_json '.[0].requests' 11
expect_json '.[0].inserted' 14
ok events list --kind pull_request --json
expect_json 'length' 4
expect_json '[.[] | select(.external_id == "acme/widgets#101")][0].status' merged
ok events list --kind review --json
expect_json 'length' 3
ok events list --kind deployment --json
expect_json '[.[] | select(.external_id == "9002")][0].status' success
expect_json '[.[] | select(.external_id == "9002")][0].sha | length' 40
# Every request carried the token; the log saw it only as present.
[ "$(jq -s '[.[] | select(.headers.Authorization == null)] | length' "$API_LOG")" = 0 ] || fail "a request without Authorization"
[ "$(sql "SELECT COUNT(*) FROM raw_payloads WHERE origin LIKE '%ghp_%'") $(sql "SELECT COUNT(*) FROM ingest_runs WHERE error LIKE '%ghp_%'")" = "0 0" ] || fail "the token was stored"
ok sync --status --json
expect_json '.[0].last_run.status' published
expect_json '.[0].resources | length' 4
expect_json '[.[0].resources[] | select(.etag)] | length' 4
expect_json '.[0].resources[] | select(.resource == "acme/widgets:commits") | .cursor' "2024-03-02T10:29:58.000Z"
before=$(sql "SELECT COUNT(*), SUM(version) FROM events")
: >"$API_LOG"
ok sync gh --json
expect_json '.[0].requests' 4
expect_json '.[0].not_modified' 4
expect_json '.[0].records' 0
[ "$(jq -s '[.[] | select(.headers["If-None-Match"] != null)] | length' "$API_LOG")" = 4 ] || fail "second sync was not conditional"
[ "$(sql "SELECT COUNT(*), SUM(version) FROM events")" = "$before" ] || fail "a no-change sync changed events"
ok sync --status
expect_out "gh      github"
ok audit verify
# The pages add up to the totals the API declared, and raw payloads to events.
ok reconcile gh --json
expect_json '.mismatches' 0
expect_json '.sources[0].runs_with_totals' 1
# An event removed behind plumb's back is found.
sql "DELETE FROM events WHERE kind = 'review' AND external_id = '2002'"
run reconcile
expect_status 1
expect_out "review 2002 is in a raw payload but not in events"
expect_err "1 mismatch"
