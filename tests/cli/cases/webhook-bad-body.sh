# A correctly signed body that does not parse (invalid JSON, a field missing or of the wrong
# type) is an invalid_input error (exit status 1, HTTP 400) naming the delivery, the field
# and what was expected, and stores nothing: no run, raw payload, delivery, event or audit
# entry.  The delivery id stays free for a good body.  An event plumb does not read is
# acknowledged and stores nothing either.
init_db
ok source add github --name gh --repo acme/widgets --webhook-secret-env GH_HOOK_SECRET
ok source add deploy --name deploys --webhook-secret-env DEPLOY_HOOK_TOKEN
export GH_HOOK_SECRET=s3cret DEPLOY_HOOK_TOKEN=tok
sign() { echo "sha256=$(openssl dgst -sha256 -hmac "$GH_HOOK_SECRET" <"$1" | sed 's/^.*= //')"; }
written() {
	sql "SELECT (SELECT COUNT(*) FROM events)||' events '||(SELECT COUNT(*) FROM raw_payloads)||' raw '||
	  (SELECT COUNT(*) FROM ingest_runs)||' runs '||(SELECT COUNT(*) FROM ingest_staging)||' staged '||
	  (SELECT COUNT(*) FROM run_documents)||' documents '||(SELECT COUNT(*) FROM webhook_deliveries)||' deliveries '||
	  (SELECT COUNT(*) FROM services)||' services '||(SELECT COUNT(*) FROM audit_log)||' audit'"
}
before=$(written)
bad() { # bad FILE EVENT MESSAGE
	run webhook deliver github "$1" --event "$2" --delivery hook-1 --signature "$(sign "$1")"
	expect_status 1
	expect_err "$3"
	[ "$(written)" = "$before" ] || fail "a bad body wrote: was '$before', now '$(written)'"
}
printf '{"ref": "refs/heads/main",\n  "commits": [}\n' >broken.json
bad broken.json push "plumb: error: github webhook delivery hook-1:2:15: not valid JSON"
# Valid JSON nested deeper than the parser reads is said so, not called invalid (found in
# acceptance: "not valid JSON" for a well-formed body).
{ printf '{"ref": "refs/heads/main", "commits": [], "x": '; printf '[%.0s' $(seq 1001); printf ']%.0s' $(seq 1001); printf '}\n'; } >deep.json
bad deep.json push "github webhook delivery hook-1:1:1047: nested deeper than 1000 arrays and objects: expected at most 1000"
jq 'del(.ref)' "$FIXTURES/github/webhook-push.json" >noref.json
bad noref.json push "github webhook delivery hook-1: ref: missing: expected a string"
jq '.deployment_status.created_at = "yesterday"' "$FIXTURES/github/webhook-deployment_status.failure.json" >badtime.json
bad badtime.json deployment_status "deployment_status.created_at: expected an RFC 3339 time, got 'yesterday'"
ok webhook deliver github "$FIXTURES/github/webhook-push.json" --event star --delivery hook-1 --signature "$(sign "$FIXTURES/github/webhook-push.json")" --json
expect_json '"\(.ignored) \(.reason) \(.run)"' "true GitHub event 'star' is not one plumb reads null"
[ "$(written)" = "$before" ] || fail "an event plumb does not read wrote: was '$before', now '$(written)'"
: >empty.json
bad empty.json push "empty file: expected a JSON document"
# Deploy: an unknown field is refused, never ignored.
echo '{"service": "web", "environment": "production", "started": "2024-05-01T10:00:00Z", "status": "success", "colour": "red"}' >deploy.json
run webhook deliver deploy deploy.json --signature "Bearer tok"
expect_status 1
expect_err "deploy webhook: colour"
[ "$(written)" = "$before" ] || fail "a bad deploy body wrote"
# A delivery id that is not one.
run webhook deliver github "$FIXTURES/github/webhook-push.json" --event push --delivery "a b" --signature "$(sign "$FIXTURES/github/webhook-push.json")"
expect_status 2
expect_err "--delivery: 'a b' is not a delivery id"
[ "$(written)" = "$before" ] || fail "a bad delivery id wrote"
# An unknown kind is said before the file is looked for.
run webhook deliver gitlab no-such-file.json
expect_status 2
expect_err "unknown webhook kind 'gitlab': expected github, pagerduty or deploy"
# The delivery id of a refused body was not recorded: the good body goes in under it.
ok webhook deliver github "$FIXTURES/github/webhook-push.json" --event push --delivery hook-1 --signature "$(sign "$FIXTURES/github/webhook-push.json")"
expect_out "delivered 2 records into gh (run"
ok audit verify
