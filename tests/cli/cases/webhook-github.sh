# plumb webhook deliver: a signed GitHub push and deployment_status are stored like `plumb
# ingest` stores them, with lineage (a webhook run, one raw payload each, events pointing to
# it, the delivery id recorded with the run) and one ingest.publish audit entry naming the
# delivery and never the secret; a repeated delivery id stores nothing twice; a ping is
# acknowledged and stores nothing.  Signatures are computed here with openssl, as GitHub does.
init_db
ok source add github --name gh --repo acme/widgets --webhook-secret-env GH_HOOK_SECRET
export GH_HOOK_SECRET="It's a Secret to Everybody"
G=$FIXTURES/github
sign() { echo "sha256=$(openssl dgst -sha256 -hmac "$GH_HOOK_SECRET" <"$1" | sed 's/^.*= //')"; }

ok webhook deliver github "$G/webhook-push.json" --event push --delivery 7f0e-push --signature "$(sign "$G/webhook-push.json")"
expect_out "delivered 2 records into gh (run 1): 2 new, 0 updated, 0 unchanged, 0 merged within the delivery"
ok webhook deliver github "$G/webhook-deployment_status.failure.json" --event deployment_status \
	--delivery 7f0e-status --signature "$(sign "$G/webhook-deployment_status.failure.json")" --json
expect_json '"\(.source) \(.run) \(.duplicate) \(.inserted) \(.updated) \(.kinds | join(","))"' "gh 2 false 1 0 deployment"
expect_json '"\(.records) \(.inserted) \(.updated) \(.unchanged) \(.merged) \(.skipped)"' "1 1 0 0 0 0"
service=$(sql "SELECT id FROM services WHERE name = 'acme.widgets'")
expect_json '.services | map(tostring) | join(",")' "$service"

# Lineage: each event points to the raw payload of its delivery, kept with the run and event.
[ "$(sql "SELECT mode||' '||status FROM ingest_runs ORDER BY id")" = "webhook published
webhook published" ] || fail "runs: $(sql "SELECT * FROM ingest_runs")"
[ "$(sql "SELECT delivery_id||' '||run_id FROM webhook_deliveries ORDER BY run_id")" = "7f0e-push 1
7f0e-status 2" ] || fail "deliveries: $(sql "SELECT * FROM webhook_deliveries")"
[ "$(sql "SELECT r.origin||' '||r.event_name||' '||r.run_id FROM raw_payloads r ORDER BY r.id")" = "github webhook delivery 7f0e-push push 1
github webhook delivery 7f0e-status deployment_status 2" ] || fail "raw payloads: $(sql "SELECT origin, event_name, run_id FROM raw_payloads")"
[ "$(sql "SELECT COUNT(*) FROM events e JOIN raw_payloads r ON r.id = e.raw_id AND r.run_id = e.run_id")" = 3 ] ||
	fail "events without their raw payload"
ok events list --kind deployment --json
expect_json '.[0] | "\(.external_id) \(.status) \(.environment) \(.service)"' "9002 failure production acme.widgets"
ok events list --kind commit --json
expect_json 'length' 2
ok reconcile

# The audit entries name the delivery and the event, never the secret.
ok audit log --json --object source:gh
expect_json '.[-1] | "\(.action) \(.detail.mode) \(.detail.event) \(.detail.delivery) \(.detail.run)"' \
	"ingest.publish webhook deployment_status 7f0e-status 2"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%Secret to%' OR object_id LIKE '%Secret to%'")" = 0 ] ||
	fail "the secret is in the audit log"
[ "$(sql "SELECT COUNT(*) FROM sources WHERE config LIKE '%Secret to%' OR webhook_secret_env LIKE '%Secret to%'")" = 0 ] ||
	fail "the secret is stored with the source"
[ "$(sql "SELECT COUNT(*) FROM ingest_runs WHERE COALESCE(error, '') LIKE '%Secret to%'")" = 0 ] ||
	fail "the secret is stored with a run"

# The same delivery again (GitHub's redeliver): acknowledged, nothing stored twice.
counts_now() { sql "SELECT (SELECT COUNT(*) FROM events)||' '||(SELECT COUNT(*) FROM raw_payloads)||' '||(SELECT COUNT(*) FROM ingest_runs)||' '||(SELECT COUNT(*) FROM webhook_deliveries)||' '||(SELECT COUNT(*) FROM audit_log)||' '||(SELECT COUNT(*) FROM event_versions)"; }
before=$(counts_now)
ok webhook deliver github "$G/webhook-push.json" --event push --delivery 7f0e-push --signature "$(sign "$G/webhook-push.json")"
expect_out "delivery 7f0e-push was received before by gh (run 1): nothing stored"
ok webhook deliver github "$G/webhook-push.json" --event push --delivery 7f0e-push --signature "$(sign "$G/webhook-push.json")" --json
expect_json '"\(.source) \(.run) \(.duplicate) \(.inserted)"' "gh 1 true 0"
[ "$(counts_now)" = "$before" ] || fail "a redelivery wrote: was '$before', now '$(counts_now)'"

# The same body under a new delivery id is a new run that changes nothing.
ok webhook deliver github "$G/webhook-push.json" --event push --delivery 7f0e-again --signature "$(sign "$G/webhook-push.json")"
expect_out "delivered 2 records into gh (run 3): 0 new, 0 updated, 2 unchanged"
[ "$(sql "SELECT COUNT(*) FROM raw_payloads")" = 2 ] || fail "the same body was kept twice"

# A ping (sent when the hook is made): signed, acknowledged, nothing stored.
echo '{"zen": "Keep it logically awesome.", "hook_id": 1, "repository": {"full_name": "acme/widgets"}}' >ping.json
before=$(counts_now)
ok webhook deliver github ping.json --event ping --delivery 7f0e-ping --signature "$(sign ping.json)" --json
expect_json '"\(.source) \(.ignored) \(.run)"' "gh true null"
[ "$(counts_now)" = "$before" ] || fail "a ping wrote"
# The event told from the body (no X-GitHub-Event; PagerDuty's always is) is named in the
# audit entry as it is kept with the raw payload (found in acceptance: the entry said null).
ok webhook deliver github "$G/webhook-workflow_run.requested.json" --delivery 7f0e-run --signature "$(sign "$G/webhook-workflow_run.requested.json")"
ok audit log --json --object source:gh
expect_json '.[-1] | "\(.detail.mode) \(.detail.event) \(.detail.delivery)"' "webhook workflow_run 7f0e-run"
[ "$(sql "SELECT event_name FROM raw_payloads WHERE origin = 'github webhook delivery 7f0e-run'")" = workflow_run ] ||
	fail "the raw payload's event: $(sql "SELECT origin, event_name FROM raw_payloads")"
ok source add pagerduty --name pd --webhook-secret-env PD_HOOK_SECRET
export PD_HOOK_SECRET=pd-secret
pd=$FIXTURES/pagerduty/webhook-acknowledged.json
ok webhook deliver pagerduty "$pd" --signature "v1=$(openssl dgst -sha256 -hmac "$PD_HOOK_SECRET" <"$pd" | sed 's/^.*= //')"
ok audit log --json --object source:pd
expect_json '.[-1] | "\(.detail.mode) \(.detail.event) \(.detail.delivery)"' "webhook incident.acknowledged null"
ok audit verify
# Publish wrote without row-by-row foreign key checks on SQLite: every reference holds.
expect_references_intact
