# A delivery's --json `services` names the services whose events it inserted or changed, so
# the server refreshes their teams' dashboards: an incident reassigned upstream to another
# PagerDuty service, mapped to another service, changes both, the one it left and the one
# it joined (found by a reassignment: only the new service was named, and the team of the
# old one kept counting the incident).
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add pagerduty --name pd --webhook-secret-env PD_SECRET
export PD_SECRET=pd-secret
hmac() { openssl dgst -sha256 -hmac "$1" <"$2" | sed 's/^.*= //'; }
ok service set api --team payments --effective 2020-01-01
ok service set web --team search --effective 2020-01-01
ok service map api --pagerduty PSVC001
ok service map web --pagerduty PSVC002
id() { sql "SELECT id FROM services WHERE name = '$1'"; }
pd=$FIXTURES/pagerduty/webhook-acknowledged.json
ok webhook deliver pagerduty "$pd" --signature "v1=$(hmac pd-secret "$pd")" --json
expect_json '"\(.inserted) \(.services | map(tostring) | join(","))"' "1 $(id api)"
jq '.event.id = "re-1" | .event.event_type = "incident.reassigned" |
	.event.occurred_at = "2024-02-12T10:05:00Z" | .event.data.service.id = "PSVC002"' "$pd" >re.json
ok webhook deliver pagerduty re.json --signature "v1=$(hmac pd-secret re.json)" --json
expect_json '"\(.updated) \(.services | map(tostring) | join(",")) \(.kinds | join(","))"' \
	"1 $(id api),$(id web) incident"
[ "$(sql "SELECT s.name || ' ' || t.name FROM events e JOIN services s ON s.id = e.service_id JOIN teams t ON t.id = e.team_id")" = "web search" ] ||
	fail "the incident did not follow its service"
# Delivered again, changed nowhere: no service is named.
ok webhook deliver pagerduty re.json --signature "v1=$(hmac pd-secret re.json)" --json
expect_json '"\(.unchanged) \(.services | length)"' "1 0"
