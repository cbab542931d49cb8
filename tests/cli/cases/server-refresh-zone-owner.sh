# A delivery refreshes the team that owned its service within that team's own window, cut in
# its own time zone: a team fourteen hours ahead of the org (Pacific/Kiritimati) starts its
# 90 days fourteen hours before the org's, and a late deployment of a service it owned only
# in those hours is its own. The server's refresher picked owners over the org's window, so
# that team kept its old value until a full refresh (found reading the dashboard's refresh).
init_db
ok org import "$FIXTURES/org-small.csv"
ok metrics set time_zone Pacific/Kiritimati --team payments
# The clock at 08:00 UTC, 22:00 in Kiritimati, both on 2026-06-15: the org's window is
# [2026-03-18 00:00Z, 2026-06-16 00:00Z), payments' [2026-03-17 10:00Z, 2026-06-15 10:00Z).
export PLUMB_NOW=2026-06-15T08:00:00Z
ok service set checkout --team payments --effective 2020-01-01
ok service set checkout --team search --effective 2026-03-18
ok source add deploy --name hooks --webhook-secret-env HOOK_TOKEN
export HOOK_TOKEN=deploy-token-123
deploy() { # deploy ID STARTED
	printf '{"deployments":[{"id":"%s","service":"checkout","environment":"production","sha":"%040d","started":"%s","finished":"%s","status":"success"}]}' \
		"$1" "$RANDOM" "$2" "$2"
}
deploy c1 2026-03-17T11:00:00Z >"$T/c1.json"
deploy c2 2026-04-01T11:00:00Z >"$T/c2.json"
ok ingest --source hooks "$T/c1.json" "$T/c2.json"
ok dashboard refresh
tok=$(token admin read)
serve
dash() { http GET /api/v1/dashboard -H "Authorization: Bearer $tok"; expect_http 200; }
key() { jq -r --arg t "$1" --arg f "$2" '.teams[] | select(.team == $t) | .keys.deployment_frequency[$f]' "$T/out"; }
dash
[ "$(key payments n)" = 1 ] || fail "payments had $(key payments n) deployments before, expected 1 (c1)"
[ "$(key search n)" = 1 ] || fail "search had $(key search n) deployments before, expected 1 (c2)"

# A late deployment at 12:00Z on 2026-03-17: payments' (in its window, checkout was its).
deploy c-late 2026-03-17T12:00:00Z >"$T/late.json"
http POST /webhooks/deploy -H "Authorization: Bearer $HOOK_TOKEN" --data-binary "@$T/late.json"
expect_http 202
wait_until 30 grep -q '^refresher: ' "$T/access.log" || fail "no refresh in the log: $(cat "$T/access.log")"
dash
[ "$(key payments n)" = 2 ] || fail "payments was not refreshed: n=$(key payments n), expected 2"
[ "$(key search n)" = 1 ] || fail "search: n=$(key search n), expected 1"
stop_server
