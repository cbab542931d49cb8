# Real webhook bodies from the public samples (../shared/fixtures: octokit/webhooks' GitHub
# examples, a PagerDuty v3 capture), signed here with openssl as the senders sign them, go in
# through plumb webhook deliver.  Skipped when the shared samples are absent.
[ -d "$SHARED_FIXTURES/github-webhooks" ] && [ -d "$SHARED_FIXTURES/pagerduty" ] || skip "no ../shared/fixtures"
init_db
ok source add github --name gh --repo Codertocat/Hello-World --webhook-secret-env GH_HOOK_SECRET
ok source add pagerduty --name pd --webhook-secret-env PD_HOOK_SECRET
export GH_HOOK_SECRET=gh-secret PD_HOOK_SECRET=pd-secret
hmac() { openssl dgst -sha256 -hmac "$1" <"$2" | sed 's/^.*= //'; }
W=$SHARED_FIXTURES/github-webhooks
ok webhook deliver github "$W/push.with-new-branch.json" --event push --delivery p1 --signature "sha256=$(hmac gh-secret "$W/push.with-new-branch.json")" --json
expect_json '"\(.source) \(.inserted) \(.kinds | join(","))"' "gh 1 commit"
ok webhook deliver github "$W/deployment_status.created.json" --event deployment_status --delivery s1 --signature "sha256=$(hmac gh-secret "$W/deployment_status.created.json")" --json
expect_json '"\(.source) \(.inserted) \(.kinds | join(","))"' "gh 1 deployment"
ok events list --kind deployment --json
expect_json '.[0] | "\(.external_id) \(.status) \(.service)"' "145988746 success codertocat.hello-world"
P=$SHARED_FIXTURES/pagerduty/zulip.webhook-v3.incident.triggered.json
ok webhook deliver pagerduty "$P" --signature "v1=$(hmac pd-secret "$P")" --json
expect_json '"\(.source) \(.inserted) \(.kinds | join(","))"' "pd 1 incident"
ok events list --kind incident --json
expect_json '.[0].status' triggered
[ "$(sql "SELECT COUNT(*) FROM events e JOIN raw_payloads r ON r.id = e.raw_id")" = 3 ] || fail "events without raw payloads"
# Real deliveries of events plumb does not read: acknowledged, nothing stored.
for f in issues.opened:issues check_run.completed:check_run workflow_job.completed.failure:workflow_job; do
	ok webhook deliver github "$W/${f%%:*}.json" --event "${f#*:}" --delivery "x-${f#*:}" --signature "sha256=$(hmac gh-secret "$W/${f%%:*}.json")" --json
	expect_json '"\(.ignored) \(.reason)"' "true GitHub event '${f#*:}' is not one plumb reads"
done
[ "$(sql "SELECT COUNT(*) FROM ingest_runs")" = 3 ] || fail "an ignored delivery made a run"
ok reconcile
ok audit verify
