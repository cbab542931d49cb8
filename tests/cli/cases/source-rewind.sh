# plumb source rewind forgets a source's cursors: the next sync starts over from --since,
# reading again what the cursors had passed, upserted (no duplicate, nothing changed); the
# write is audited with its reason, refused to a non-admin, and a source with no cursors
# writes nothing.
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.csv"
api_start "$ROOT/tests/http/scenarios/github-sync"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL"
ok source add deploy --name ci
ok sync gh --since 2024-01-01
events=$(sql "SELECT COUNT(*) FROM events")
[ "$events" -gt 0 ] || fail "the first sync stored nothing"
cursors=$(sql "SELECT COUNT(*) FROM sync_cursors")
[ "$cursors" -gt 0 ] || fail "the first sync set no cursors"
# A sync from the cursors asks with the ETags they keep; one after a rewind asks with none.
etags_sent() { jq -s '[.[] | .headers | to_entries[] | select(.key | ascii_downcase == "if-none-match")] | length' "$API_LOG"; }
: >"$API_LOG"
ok sync gh
[ "$(etags_sent)" -gt 0 ] || fail "a sync from the cursors sent no ETag: $(jq -c .headers "$API_LOG" | head -2)"
# Refused to anyone but an admin, nothing forgotten, the refusal audited.
ok user add --person E201 --role employee
run --as E201 source rewind gh
expect_status 3
[ "$(sql "SELECT COUNT(*) FROM sync_cursors")" = "$cursors" ] || fail "a refused rewind forgot cursors"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND actor = 'E201'")" = 1 ] ||
	fail "the refusal was not audited"
run source rewind nosuch
expect_status 4
expect_err "nosuch"
# The admin's rewind: every cursor gone, audited with the count and reason.
ok source rewind gh --reason "a window missed"
expect_out "source gh: $cursors cursors forgotten; its next sync starts over"
[ "$(sql "SELECT COUNT(*) FROM sync_cursors")" = 0 ] || fail "cursors left"
[ "$(sql "SELECT detail FROM audit_log WHERE action = 'source.rewind' AND object_id = 'gh'")" = \
	"{\"cursors_reset\":$cursors,\"reason\":\"a window missed\"}" ] ||
	fail "audit: $(sql "SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 2")"
ok sync --status --json
# Again: nothing to forget, nothing written or audited.
n=$(sql "SELECT COUNT(*) FROM audit_log")
ok source rewind gh
expect_out "source gh has no cursors"
ok source rewind ci
expect_out "source ci has no cursors"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$n" ] || fail "a rewind with nothing to forget was audited"
# The next sync reads everything since --since again: the same events, none twice, the
# cursors back; the requests asked from the start (no If-None-Match, no since past it).
: >"$API_LOG"
ok sync gh --since 2024-01-01 --json
expect_json '.[0].status' ok
[ "$(sql "SELECT COUNT(*) FROM events")" = "$events" ] || fail "a re-read duplicated events"
[ "$(sql "SELECT COUNT(*) FROM sync_cursors")" = "$cursors" ] || fail "the cursors did not come back"
[ "$(etags_sent)" = 0 ] || fail "the re-read sent ETags: $(jq -c '.headers' "$API_LOG" | head -3)"
# Over the API, as the admin.
w=$(token admin write)
serve
http POST /api/v1/sources/gh/rewind -H "Authorization: Bearer $w" -H 'Content-Type: application/json' -d '{"reason":"again"}'
expect_http 200
expect_json .output "source gh: $cursors cursors forgotten; its next sync starts over, from --since or its first window"
stop_server
ok audit verify
