# A PagerDuty source's --service list scopes its deliveries as it scopes its syncs: a
# subscription for the whole account sends every service's incidents, and those of a
# service the source does not read are acknowledged (HTTP 200, ignored with the reason) and
# not stored, and no service is made for them (found in acceptance: they were stored, each
# under a new service sync would never have fetched).  A source without --service reads
# every service; sources splitting an account's services share its one secret, and a
# delivery goes to the first of them, in the order added, that reads its service.
init_db
ok source add pagerduty --name pd --service PSVC001 --service PSVC002 --webhook-secret-env PD_SECRET
export PD_SECRET=pd-secret
hmac() { openssl dgst -sha256 -hmac "$1" <"$2" | sed 's/^.*= //'; }
pd=$FIXTURES/pagerduty/webhook-acknowledged.json
for_service() { # for_service ID FILE: the fixture, about an incident of another service
	jq --arg s "$1" '.event.data.service.id = $s | .event.data.id = "P" + $s' "$pd" >"$2"
}
stored() { sql "SELECT (SELECT COUNT(*) FROM events)||' '||(SELECT COUNT(*) FROM services)||' '||(SELECT COUNT(*) FROM ingest_runs)||' '||(SELECT COUNT(*) FROM raw_payloads)||' '||(SELECT COUNT(*) FROM audit_log)"; }

before=$(stored)
for_service POTHER9 out.json
ok webhook deliver pagerduty out.json --signature "v1=$(hmac pd-secret out.json)" --json
expect_json '"\(.source) \(.ignored) \(.run) \(.reason)"' "pd true null PagerDuty service POTHER9 is not one source pd reads"
[ "$(stored)" = "$before" ] || fail "a delivery out of its source's scope was stored: was '$before', now '$(stored)'"
ok webhook deliver pagerduty out.json --signature "v1=$(hmac pd-secret out.json)"
expect_out "out.json: signed by pd's secret; nothing to store: PagerDuty service POTHER9 is not one source pd reads"
ok webhook deliver pagerduty "$pd" --signature "v1=$(hmac pd-secret "$pd")" --json
expect_json '"\(.source) \(.ignored) \(.inserted)"' "pd false 1"
for_service PSVC002 in.json
ok webhook deliver pagerduty in.json --signature "v1=$(hmac pd-secret in.json)" --json
expect_json '"\(.source) \(.ignored) \(.inserted)"' "pd false 1"

# Over HTTP, as PagerDuty sends it.
serve
before=$(stored)
http POST /webhooks/pagerduty -H "Content-Type: application/json" -H "X-PagerDuty-Signature: v1=$(hmac pd-secret out.json)" --data-binary @out.json
expect_http 200
expect_json '"\(.source) \(.ignored) \(.reason)"' "pd true PagerDuty service POTHER9 is not one source pd reads"
[ "$(stored)" = "$before" ] || fail "an HTTP delivery out of scope was stored: was '$before', now '$(stored)'"
# A note (incident.annotated) carries no incident: acknowledged, and nothing stored, not
# even a run.
http POST /webhooks/pagerduty -H "X-PagerDuty-Signature: v1=$(hmac pd-secret "$FIXTURES/pagerduty-unread/webhook-annotated.json")" --data-binary "@$FIXTURES/pagerduty-unread/webhook-annotated.json"
expect_http 200
expect_json '"\(.ignored) \(.reason)"' "true PagerDuty event 'incident.annotated' carries data of type incident_note, not the incident"
[ "$(stored)" = "$before" ] || fail "a note was stored: was '$before', now '$(stored)'"
stop_server

# Sources splitting the account's services, sharing its secret: the first that reads the
# service gets it; one no source reads is ignored, named by the first signer.
ok source add pagerduty --name pd-other --service POTHER9 --webhook-secret-env PD_SECRET
ok webhook deliver pagerduty out.json --signature "v1=$(hmac pd-secret out.json)" --json
expect_json '"\(.source) \(.ignored) \(.inserted)"' "pd-other false 1"
for_service PNONE00 none.json
ok webhook deliver pagerduty none.json --signature "v1=$(hmac pd-secret none.json)" --json
expect_json '"\(.source) \(.ignored) \(.reason)"' "pd true PagerDuty service PNONE00 is not one source pd reads"
# Without --service a source reads every service.
ok source add pagerduty --name pd-all --webhook-secret-env PD_ALL_SECRET
export PD_ALL_SECRET=pd-all-secret
ok webhook deliver pagerduty none.json --signature "v1=$(hmac pd-all-secret none.json)" --json
expect_json '"\(.source) \(.ignored) \(.inserted)"' "pd-all false 1"
[ "$(sql "SELECT s.name||' '||e.external_id FROM events e JOIN sources s ON s.id = e.source_id ORDER BY e.id")" = "pd Q3ACKN0W
pd PPSVC002
pd-other PPOTHER9
pd-all PPNONE00" ] || fail "events: $(sql "SELECT source_id, external_id FROM events")"
ok audit verify
