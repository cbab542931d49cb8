# GitHub posts a deployment status `waiting` while a deployment waits on its environment's
# protection rules (required reviewers, a wait timer), then `queued` once approved.  It is
# read as queued (not started), from a webhook and from a REST statuses page alike (found in
# acceptance: 'waiting' was refused as an unknown state, so such a delivery was a 400 and a
# statuses page holding one failed the whole sync).
init_db
ok source add github --name gh --repo acme/widgets --webhook-secret-env GH_HOOK_SECRET
export GH_HOOK_SECRET=gh-secret
G=$FIXTURES/github
sign() { echo "sha256=$(openssl dgst -sha256 -hmac "$GH_HOOK_SECRET" <"$1" | sed 's/^.*= //')"; }
jq '.deployment_status.state = "waiting" | .deployment_status.id = 77000 |
    .deployment_status.created_at = "2024-03-02T11:00:02Z" | .deployment_status.updated_at = "2024-03-02T11:00:02Z"' \
	"$G/webhook-deployment_status.failure.json" >waiting.json
ok webhook deliver github waiting.json --event deployment_status --delivery w1 --signature "$(sign waiting.json)" --json
expect_json '"\(.ignored) \(.inserted)"' "false 1"
ok events list --kind deployment --json
expect_json '.[0] | "\(.external_id) \(.status) \(.ended_at)"' "9002 queued null"
# The failure that follows ends it.
ok webhook deliver github "$G/webhook-deployment_status.failure.json" --event deployment_status --delivery w2 \
	--signature "$(sign "$G/webhook-deployment_status.failure.json")"
ok events list --kind deployment --json
expect_json '.[0] | "\(.status) \(.ended_at)"' "failure 2024-03-02T11:06:00.000Z"

# Over HTTP, as GitHub sends it.
serve
jq '.deployment_status.state = "waiting" | .deployment.id = 9003 | .deployment_status.id = 77100' waiting.json >waiting2.json
http POST /webhooks/github -H "Content-Type: application/json" -H "X-GitHub-Event: deployment_status" -H "X-GitHub-Delivery: w3" \
	-H "X-Hub-Signature-256: $(sign waiting2.json)" --data-binary @waiting2.json
expect_http 202
stop_server
[ "$(sql "SELECT status FROM events WHERE kind = 'deployment' AND external_id = '9003'")" = queued ] ||
	fail "the HTTP delivery: $(sql "SELECT external_id, status FROM events")"

# A REST statuses page with a waiting status among the others, as sync reads it.
ok source add github --name page --repo acme/widgets
jq '[{"id": 77000, "state": "waiting", "created_at": "2024-03-02T11:00:02Z", "updated_at": "2024-03-02T11:00:02Z",
      "environment": "production", "deployment_url": "https://api.github.com/repos/acme/widgets/deployments/9002",
      "repository_url": "https://api.github.com/repos/acme/widgets"}] + .' "$G/deployment-statuses.json" >statuses.json
ok ingest --source page --format github-deployment-statuses statuses.json
ok events list --kind deployment --source page --json
expect_json '.[0] | "\(.external_id) \(.status)"' "9002 success"
ok audit verify
