# A source whose paging loops (page 2's Link points at page 2) and one that answers 304 to a
# request that was not conditional: each run fails saying why, publishes nothing and moves
# no cursor (found in review: the loop was read to 10,000 pages and published as whole, the
# 304 taken for an empty first sync); and one redirected to another host.
source "$ROOT/tests/http/apiserver.sh"
init_db
api_start "$ROOT/tests/http/scenarios/paging-faults"
ok source add github --name loop --repo acme/loop --api-url "$API_URL"
ok source add github --name stale --repo acme/stale --api-url "$API_URL"
run sync loop --since 2024-01-01
expect_status 1
expect_err "page=2: the next page is one read before: the pages loop"
[ "$(jq -s '[.[] | select(.path == "/repos/acme/loop/pulls")] | length' "$API_LOG")" = 2 ] ||
	fail "the loop was read more than once round"
run sync stale --since 2024-01-01
expect_status 1
expect_err "304 Not Modified to a request that was not conditional"
# A redirect to another origin (the same server as localhost): its data is not the source's.
ok source add github --name moved --repo acme/moved --api-url "$API_URL"
run sync moved --since 2024-01-01
expect_status 1
expect_err "redirected to another host; plumb reads a source only from its API's host"
# Whatever that origin would answer, it is asked nothing: its 503 is not retried, its 401 is
# not the token's refusal (found in review: plumb went there, retried a 503 five times and
# blamed $GH_TOKEN for a 401 to a request that carried no token).
export GH_TOKEN=ghp_secretvalue123 PLUMB_SYNC_BACKOFF_MS=10
for code in 503 401; do
	ok source add github --name "moved$code" --repo "acme/moved$code" --api-url "$API_URL" --token-env GH_TOKEN
	run sync "moved$code" --since 2024-01-01
	expect_status 1
	expect_err "/repos/acme/moved$code/pulls?state=all&sort=updated&direction=desc&per_page=100: redirected to another host; plumb reads a source only from its API's host"
	expect_err "302 Found to http://localhost:${API_URL##*:}/elsewhere$code/pulls?state=all"
	! grep -q "gave up\|was refused" "$T/err" || fail "moved$code: the other origin's status was taken as the API's"
	[ "$(jq -s "[.[] | select(.path == \"/elsewhere$code/pulls\")] | length" "$API_LOG")" = 0 ] ||
		fail "moved$code: the other origin was asked"
done
[ "$(sql "SELECT COUNT(*) FROM sync_cursors") $(sql "SELECT COUNT(*) FROM events") $(sql "SELECT COUNT(*) FROM ingest_staging")" = "0 0 0" ] ||
	fail "a failed run left cursors, events or staged rows"
ok sync --status --json
expect_json '[.[].last_run.status] | join(",")' "failed,failed,failed,failed,failed"
ok audit verify
# Pulls newest first over two pages, #103 with a review older than the cursor: the review's
# date does not end the walk (found in review: page 2 was never read, #101 and #102 lost
# for good as the cursor moved past them).
ok source add github --name reviewed --repo acme/widgets --api-url "$API_URL"
ok sync reviewed --since 2024-02-15
ok events list --kind pull_request --json
expect_json 'map(.external_id) | sort | join(",")' "acme/widgets#101,acme/widgets#102,acme/widgets#103,acme/widgets#104"
[ "$(jq -s '[.[] | select(.path == "/repos/acme/widgets/pulls" and .query.page == "2")] | length' "$API_LOG")" = 1 ] ||
	fail "page 2 of the pulls was not read"
# An organization whose repository listing links back to itself fails at once (found in
# review: it was read to 10,000 pages, then each repository synced as many times).
ok source add github --name loop-org --org loop --api-url "$API_URL"
run sync loop-org --since 2024-01-01
expect_status 1
expect_err "/orgs/loop/repos?per_page=100&type=all: the next page is one read before: the pages loop"
[ "$(jq -s '[.[] | select(.path == "/orgs/loop/repos")] | length' "$API_LOG")" = 1 ] ||
	fail "the org listing was read more than once round"
# A repository the listing names three times, in any case, is synced once.
ok source add github --name dup-org --org dup --api-url "$API_URL"
ok sync dup-org --since 2024-01-01
[ "$(jq -s '[.[] | select(.path | ascii_downcase | startswith("/repos/dup/widgets/"))] | length' "$API_LOG")" = 4 ] ||
	fail "dup/widgets was synced more than once"
# A Link that leads back to a page read before under another URL (page=1&round=2, then
# page=2&round=3 ...): no URL repeats and no page repeats the one just before it, yet the
# walk goes round (found in the sync hunt: read to 10,000 pages, a request each, before it
# failed). A page listing the records of one read before in its walk is a loop.
ok source add github --name cycle --repo acme/cycle --api-url "$API_URL"
: >"$API_LOG"
run sync cycle --since 2024-01-01
expect_status 1
expect_err "/repos/acme/cycle/commits?page=1&round=2: the page lists the records of page 1 of this walk again: the pages loop"
expect_err "nothing was published"
[ "$(jq -s '[.[] | select(.path == "/repos/acme/cycle/commits")] | length' "$API_LOG")" = 3 ] ||
	fail "the cycle was read past its first round: $(jq -s '[.[] | select(.path == "/repos/acme/cycle/commits")] | length' "$API_LOG") requests"
[ "$(sql "SELECT COUNT(*) FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = 'cycle'")" = 0 ] ||
	fail "the looping source published"
