# Several sources of one kind: the one whose secret signed the delivery gets it (its events,
# run, delivery record and audit entry), whichever order they were added in; the same
# delivery id at two sources is two deliveries.  PagerDuty signs with every secret of a
# rotation (several v1= values in one header); a deploy pipeline sends its token as a bearer.
init_db
ok source add github --name alpha --repo acme/widgets --webhook-secret-env ALPHA_SECRET
ok source add github --name beta --repo acme/widgets --webhook-secret-env BETA_SECRET
ok source add github --name gamma --repo acme/widgets
export ALPHA_SECRET=alpha-secret BETA_SECRET=beta-secret
hmac() { openssl dgst -sha256 -hmac "$1" <"$2" | sed 's/^.*= //'; }
body=$FIXTURES/github/webhook-push.json
ok webhook deliver github "$body" --event push --delivery same-id --signature "sha256=$(hmac beta-secret "$body")" --json
expect_json '"\(.source) \(.run) \(.inserted)"' "beta 1 2"
ok webhook deliver github "$body" --event push --delivery same-id --signature "sha256=$(hmac alpha-secret "$body")" --json
expect_json '"\(.source) \(.run) \(.duplicate) \(.inserted)"' "alpha 2 false 2"
[ "$(sql "SELECT s.name||' '||COUNT(*) FROM events e JOIN sources s ON s.id = e.source_id GROUP BY s.name ORDER BY s.name")" = "alpha 2
beta 2" ] || fail "events by source: $(sql "SELECT source_id, COUNT(*) FROM events GROUP BY source_id")"
[ "$(sql "SELECT s.name||' '||d.delivery_id||' '||d.run_id FROM webhook_deliveries d JOIN sources s ON s.id = d.source_id ORDER BY d.run_id")" = "beta same-id 1
alpha same-id 2" ] || fail "deliveries: $(sql "SELECT * FROM webhook_deliveries")"
ok audit log --json --object source:beta
expect_json '.[-1] | "\(.action) \(.detail.delivery) \(.detail.run)"' "ingest.publish same-id 1"
# Now a duplicate at beta, still new nowhere else.
ok webhook deliver github "$body" --event push --delivery same-id --signature "sha256=$(hmac beta-secret "$body")" --json
expect_json '"\(.source) \(.run) \(.duplicate)"' "beta 1 true"

# A source's repositories scope its deliveries as they scope its syncs: an organization's
# hook sends every repository's events, and those of a repository the source does not read
# (excluded, of another owner, not among its --repo) are acknowledged and not stored, and
# no service is made for them.  Names compare in any case, as GitHub compares them.
ok source add github --name org --org acme --exclude 'hr-*' --webhook-secret-env ORG_SECRET
export ORG_SECRET=org-secret
push_for() { # push_for OWNER/NAME FILE: the push fixture, about another repository
	jq --arg r "$1" '.repository.full_name = $r | .repository.name = ($r | sub(".*/"; ""))' "$body" >"$2"
}
stored() { sql "SELECT (SELECT COUNT(*) FROM events)||' '||(SELECT COUNT(*) FROM services)||' '||(SELECT COUNT(*) FROM ingest_runs)||' '||(SELECT COUNT(*) FROM raw_payloads)||' '||(SELECT COUNT(*) FROM webhook_deliveries)"; }
before=$(stored)
for repo in acme/hr-salaries ACME/HR-Payroll other/widgets; do
	push_for "$repo" out.json
	ok webhook deliver github out.json --event push --delivery "org-$repo" --signature "sha256=$(hmac org-secret out.json)" --json
	expect_json '"\(.source) \(.ignored) \(.run) \(.reason)"' "org true null repository $repo is not one source org reads"
done
push_for acme/other out.json
ok webhook deliver github out.json --event push --delivery beta-other --signature "sha256=$(hmac beta-secret out.json)"
expect_out "out.json: signed by beta's secret; nothing to store: repository acme/other is not one source beta reads"
[ "$(stored)" = "$before" ] || fail "a delivery out of its source's scope was stored: was '$before', now '$(stored)'"
push_for Acme/Payments in.json
ok webhook deliver github in.json --event push --delivery org-payments --signature "sha256=$(hmac org-secret in.json)" --json
expect_json '"\(.source) \(.ignored) \(.inserted)"' "org false 2"
[ "$(sql "SELECT COUNT(*) FROM services WHERE name = 'acme.payments'")" = 1 ] || fail "no service for a repository in scope"
push_for ACME/Widgets in.json
ok webhook deliver github in.json --event push --delivery beta-case --signature "sha256=$(hmac beta-secret in.json)" --json
expect_json '"\(.source) \(.ignored) \(.run)"' "beta false 4"
# Sources splitting one organization share its hook's one secret: a delivery goes to the
# first of them that reads its repository, and is out of scope only when none does (found in
# review: the first source whose secret matched took it, and called it out of scope).
ok source add github --name org-hr --org acme --include 'hr-*' --webhook-secret-env ORG_SECRET
push_for acme/hr-salaries out.json
ok webhook deliver github out.json --event push --delivery org-hr-1 --signature "sha256=$(hmac org-secret out.json)" --json
expect_json '"\(.source) \(.ignored) \(.inserted)"' "org-hr false 2"
push_for other/widgets out.json
ok webhook deliver github out.json --event push --delivery org-hr-2 --signature "sha256=$(hmac org-secret out.json)" --json
expect_json '"\(.source) \(.ignored) \(.reason)"' "org true repository other/widgets is not one source org reads"
# Among those, the first added, whatever its name (found in review: the first by name).
ok source add github --name a-later --org acme --webhook-secret-env ORG_SECRET
push_for acme/payments out.json
ok webhook deliver github out.json --event push --delivery org-order --signature "sha256=$(hmac org-secret out.json)" --json
expect_json '"\(.source) \(.ignored)"' "org false"

# PagerDuty: the old and the new secret during a rotation; the source holds the new one.
ok source add pagerduty --name pd --webhook-secret-env PD_SECRET
export PD_SECRET=new-pd-secret
pd=$FIXTURES/pagerduty/webhook-acknowledged.json
ok webhook deliver pagerduty "$pd" --signature "v1=$(hmac old-pd-secret "$pd"),v1=$(hmac new-pd-secret "$pd")" --json
expect_json '"\(.source) \(.inserted) \(.kinds | join(","))"' "pd 1 incident"
ok events list --kind incident --json
expect_json '.[0] | "\(.source) \(.status) \(.service)"' "pd acknowledged pagerduty.PSVC001"
# No delivery id (PagerDuty sends none in a header): nothing is recorded to deduplicate.
[ "$(sql "SELECT COUNT(*) FROM webhook_deliveries d JOIN sources s ON s.id = d.source_id WHERE s.name = 'pd'")" = 0 ] ||
	fail "a delivery without an id was recorded"

# Deploy: the token as a bearer, from the command line or from a variable.
ok source add deploy --name deploys --webhook-secret-env DEPLOY_TOKEN
export DEPLOY_TOKEN=tok-123
ok webhook deliver deploy "$FIXTURES/deploy/deployments.json" --signature "Bearer tok-123"
expect_out "delivered 2 records into deploys (run"
export HOOK_AUTH="Bearer tok-123"
ok webhook deliver deploy "$FIXTURES/deploy/deployments.csv" --signature-env HOOK_AUTH --json
expect_json '"\(.source) \(.records) \(.inserted)"' "deploys 2 2"
run webhook deliver deploy "$FIXTURES/deploy/deployments.json" --signature-env HOOK_AUTH --signature "Bearer tok-123"
expect_status 2
ok audit verify
