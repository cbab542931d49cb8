# Deliveries stored in another order than they came (server A waits for the database lock with
# the first while server B, or the queue, stores a later one first): a pull request's "closed"
# stored before its "opened" stays closed and merged. Publishing keeps the newer snapshot by
# the pull request's own updated_at, so the order of storing changes nothing a user sees; an
# older snapshot only fills what the stored one lacks.
init_db
ok source add github --name gh --repo acme/widgets --webhook-secret-env GH_SECRET
export GH_SECRET="It's a Secret to Everybody"
ghsig() { echo "sha256=$(openssl dgst -sha256 -hmac "$GH_SECRET" <"$1" | sed 's/^.*= //')"; }
closed=$FIXTURES/github/webhook-pull_request.closed-merged.json
jq -c '.action = "opened" | .pull_request |= (.state = "open" | .merged = false | .merged_at = null |
	.closed_at = null | .merge_commit_sha = null | .updated_at = .created_at)' "$closed" >"$T/opened.json"
pr() { sql "SELECT COALESCE(status, '-') || ' ' || COALESCE(ended_at, -1) || ' ' || COALESCE(updated_at, -1) FROM events WHERE kind = 'pull_request' AND external_id = 'acme/widgets#101'"; }
serve
http POST /webhooks/github -H "X-GitHub-Event: pull_request" -H "X-GitHub-Delivery: pr-2" -H "X-Hub-Signature-256: $(ghsig "$closed")" --data-binary "@$closed"
expect_http 202
expect_json .inserted 1
after_closed=$(pr)
case $after_closed in "- "*) fail "the closed pull request has no status: $after_closed" ;; esac
http POST /webhooks/github -H "X-GitHub-Event: pull_request" -H "X-GitHub-Delivery: pr-1" -H "X-Hub-Signature-256: $(ghsig "$T/opened.json")" --data-binary "@$T/opened.json"
expect_http 202
stop_server
[ "$(pr)" = "$after_closed" ] || fail "the earlier opened, stored later, changed the pull request: was '$after_closed', now '$(pr)'"
[ "$(sql "SELECT COUNT(*) FROM webhook_deliveries")" = 2 ] || fail "not both deliveries were stored"
ok audit verify
