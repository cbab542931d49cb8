# Response headers a flaky or odd API sends, which must not wedge a source's later syncs.
# An ETag holding a control character (a tab) is no ETag plumb can send back: kept, it made
# every later sync of the source fail before any request ("a request header holds a control
# character"), for good (found in the sync hunt). It is not kept, and one stored before is
# not sent: the resource is read again in full, and the run publishes.
source "$ROOT/tests/http/apiserver.sh"
init_db
api_start "$ROOT/tests/http/scenarios/odd-headers"
ok source add github --name tab --repo acme/tab --api-url "$API_URL"
ok sync tab --since 2024-01-01 --json
expect_json '.[0].status' ok
ok sync tab --json
expect_json '"\(.[0].status) \(.[0].requests) \(.[0].not_modified)"' "ok 4 0"
[ "$(jq -s '[.[] | select(.headers["If-None-Match"] != null)] | length' "$API_LOG")" = 0 ] ||
	fail "an ETag with a tab was sent back: $(jq -c '.headers["If-None-Match"]' "$API_LOG")"
ok sync --status --json
expect_json '[.[0].resources[] | select(.etag)] | length' 0
# A database whose cursor kept one (written before this was fixed) goes on too.
if [ "$(engine)" = postgres ]; then tab="chr(9)"; else tab="char(9)"; fi
sql "UPDATE sync_cursors SET etag = 'W/\"pulls' || $tab || 'v0\"' WHERE resource = 'acme/tab:pulls'"
: >"$API_LOG"
ok sync tab --json
expect_json '"\(.[0].status) \(.[0].requests)"' "ok 4"
[ "$(jq -s '[.[] | select(.headers["If-None-Match"] != null)] | length' "$API_LOG")" = 0 ] ||
	fail "the stored ETag with a tab was sent: $(jq -c '.headers["If-None-Match"]' "$API_LOG")"
ok audit verify
# An API's text quoted in a failure (a repository name the listing gave) is shown, never
# obeyed by the terminal, in sync's summary, sync --status and source check, as in the error
# on stderr
# (found in the sync hunt: an escape sequence cleared the screen, and a line break let the
# API write a line of its own, "plumb: esc: all published").
ok source add github --name esc --org esc --api-url "$API_URL"
run sync esc
expect_status 1
expect_out "esc: failed: "
expect_out "full_name 'esc/a?[2J?]0;pwned??plumb: esc: all published' is not OWNER/NAME"
for cmd in "sync esc" "sync --status" "source check esc"; do
	run $cmd
	! grep -q $'[\033\007]' "$T/out" || fail "$cmd printed the API's control characters: $(cat -v "$T/out")"
	! grep -q "^plumb: esc: all published" "$T/out" || fail "$cmd printed the API's line: $(cat -v "$T/out")"
done
ok sync --status
expect_out "esc: last run failed: "
expect_out "full_name 'esc/a?[2J?]0;pwned??plumb: esc: all published' is not OWNER/NAME"
run source check esc
expect_status 1
expect_out "FAILED repositories of esc it reads: "
expect_out "full_name 'esc/a?[2J?]0;pwned??plumb: esc: all published' is not OWNER/NAME"
