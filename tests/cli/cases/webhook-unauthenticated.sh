# A delivery whose signature no source's secret made (wrong secret, another body's
# signature, none, a malformed header, a secret variable unset, a source without a secret)
# is refused with exit status 3 (unauthenticated, HTTP 401) and stores nothing: no events,
# raw payloads, runs, deliveries or audit entries.  The message does not echo the secret.
init_db
ok source add github --name gh --repo acme/widgets --webhook-secret-env GH_HOOK_SECRET
ok source add github --name nosecret --repo acme/other
ok source add pagerduty --name pd --webhook-secret-env PD_HOOK_SECRET
ok source add deploy --name deploys --webhook-secret-env DEPLOY_HOOK_TOKEN
export GH_HOOK_SECRET=right-secret PD_HOOK_SECRET=pd-secret DEPLOY_HOOK_TOKEN=deploy-token
body=$FIXTURES/github/webhook-push.json
hmac() { openssl dgst -sha256 -hmac "$1" <"$2" | sed 's/^.*= //'; }
written() {
	sql "SELECT (SELECT COUNT(*) FROM events)||' events '||(SELECT COUNT(*) FROM raw_payloads)||' raw '||
	  (SELECT COUNT(*) FROM ingest_runs)||' runs '||(SELECT COUNT(*) FROM ingest_staging)||' staged '||
	  (SELECT COUNT(*) FROM webhook_deliveries)||' deliveries '||(SELECT COUNT(*) FROM services)||' services '||
	  (SELECT COUNT(*) FROM audit_log)||' audit'"
}
before=$(written)
refused() {
	run webhook deliver "$@"
	expect_status 3
	expect_err "does not match any"
	expect_err "hint: nothing was stored"
	! grep -q -- "right-secret\|pd-secret\|deploy-token" "$T/err" || fail "a secret in the message"
	[ -s "$T/out" ] && fail "a refused delivery printed a result"
	[ "$(written)" = "$before" ] || fail "a refused delivery wrote: was '$before', now '$(written)' ($*)"
}
refused github "$body" --event push --delivery d1 --signature "sha256=$(hmac wrong-secret "$body")"
expect_err "plumb: error: the github webhook's X-Hub-Signature-256 does not match any github source's secret"
refused github "$body" --event push --delivery d1 --signature "sha256=$(hmac right-secret "$FIXTURES/github/pulls.json")"
refused github "$body" --event push --delivery d1
refused github "$body" --event push --delivery d1 --signature "sha256=$(hmac right-secret "$body" | cut -c1-63)"
refused github "$body" --event push --delivery d1 --signature "sha1=$(hmac right-secret "$body")"
refused github "$body" --event push --delivery d1 --signature "sha256=$(hmac right-secret "$body" | tr 0-9 g-p)"
# A body changed after signing.
jq '.ref = "refs/heads/evil"' "$body" >changed.json
refused github changed.json --event push --delivery d1 --signature "sha256=$(hmac right-secret "$body")"
# The right signature, but the secret's variable is not set where plumb runs.
sig="sha256=$(hmac right-secret "$body")"
GH_HOOK_SECRET= refused github "$body" --event push --delivery d1 --signature "$sig"
expect_err "detail: no github source has a webhook secret here"
(unset GH_HOOK_SECRET; refused github "$body" --event push --delivery d1 --signature "$sig") || exit 1
# PagerDuty and deploy: wrong or missing.
pdbody=$FIXTURES/pagerduty/webhook-acknowledged.json
refused pagerduty "$pdbody" --signature "v1=$(hmac wrong "$pdbody"),v1=$(hmac other "$pdbody")"
refused pagerduty "$pdbody"
refused pagerduty "$pdbody" --signature "$(hmac pd-secret "$pdbody")"
refused deploy "$FIXTURES/deploy/deployments.json" --signature "Bearer deploy-token-x"
refused deploy "$FIXTURES/deploy/deployments.json" --signature "deploy-token"
refused deploy "$FIXTURES/deploy/deployments.json"
# A GitHub signature is no use for a PagerDuty source, and the other way round.
refused pagerduty "$pdbody" --signature "sha256=$(hmac pd-secret "$pdbody")"
# The exit status is the unauthenticated row's; an unknown kind is a usage error.
run webhook deliver gitlab "$body"
expect_status 2
expect_err "unknown webhook kind 'gitlab'"
[ "$(written)" = "$before" ] || fail "an unknown kind wrote"
# The right signature goes in.
ok webhook deliver github "$body" --event push --delivery d1 --signature "$sig"
expect_out "into gh (run"
ok audit verify
