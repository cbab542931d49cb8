# Two PagerDuty sources splitting an account's services: an incident reassigned upstream from
# a service one reads (PSVC001, pd-a) to a service the other reads (PSVC002, pd-b) is one
# event, owned by the source that reads its service now (found in review: pd-a kept its copy
# on PSVC001, never listed again, and pd-b stored a second, so the incident counted twice in
# every incident metric and held pd-a's sync window back while its copy stayed open). The
# event moves with its versions; a snapshot older than the copy another source holds is not
# stored again; reconcile counts the moved record, not a mismatch; sources that both read the
# service keep their copies as before.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set checkout --team payments --effective 2024-01-01
ok service set billing --team payments --effective 2024-01-01
ok service map checkout --pagerduty PSVC001
ok service map billing --pagerduty PSVC002
ok source add pagerduty --name pd-a --service PSVC001
ok source add pagerduty --name pd-b --service PSVC002
page=$FIXTURES/pagerduty/incidents-page.json
# Q3ACKN0W, acknowledged on checkout (PSVC001), as pd-a reads it.
jq '.incidents = [.incidents[] | select(.id == "Q3ACKN0W")]' "$page" >on-a.json
ok ingest --source pd-a on-a.json
# Reassigned to billing (PSVC002) and resolved there: pd-b lists it now, pd-a no more.
jq '.incidents[0] |= (.service.id = "PSVC002" | .service.summary = "billing" | .status = "resolved" |
	.resolved_at = "2024-02-12T11:00:00Z" | .last_status_change_at = "2024-02-12T11:00:00Z" |
	.updated_at = "2024-02-12T11:00:00Z")' on-a.json >on-b.json
ok ingest --source pd-b on-b.json --json
expect_json '"\(.inserted) \(.updated) \(.moved)"' "0 1 1"
rows() { sql "SELECT s.name||' '||e.external_id||' '||e.status||' '||e.owner_key||' '||e.version FROM events e JOIN sources s ON s.id = e.source_id WHERE e.kind = 'incident' ORDER BY e.id"; }
[ "$(rows)" = "pd-b Q3ACKN0W resolved PSVC002 2" ] || fail "incidents after the move: $(rows)"
ok events list --kind incident --json
expect_json 'length' 1
# Counted once, on the service it is on now.
file incidents.yaml <<'YAML'
key: incidents_opened
name: Incidents opened
description: Incidents opened on the team's services.
unit: incidents
direction: lower
indicator: lagging
stages: [growth, mature]
scopes: [team]
audiences: [team]
stakeholders: [operations]
owner: sre
objectives: [reliability]
review_interval_days: 180
incentive_linked: false
formula:
  count: incident
YAML
ok metrics define incidents.yaml
ok metrics approve incidents_opened --version 1 --function operations
ok metrics show incidents_opened --team payments --from 2024-02-01 --to 2024-03-01 --json
expect_json '.value.value' 1
# The same page again changes nothing; pd-a's old page again (older than what pd-b holds)
# is not stored again under pd-a.
ok ingest --source pd-b on-b.json --json
expect_json '"\(.inserted) \(.updated) \(.moved)"' "0 0 0"
jq '.incidents[0].updated_at = "2024-02-12T10:05:00Z"' on-a.json >on-a-late.json
ok ingest --source pd-a on-a-late.json --json
expect_json '"\(.inserted) \(.updated)"' "0 0"
[ "$(rows)" = "pd-b Q3ACKN0W resolved PSVC002 2" ] || fail "incidents after a late page: $(rows)"
ok reconcile --json
expect_json '.mismatches' 0
expect_json '[.sources[] | select(.source == "pd-a")][0].moved_upstream' 1
# Back to checkout: pd-a takes it back, still one event.
jq '.incidents[0] |= (.service.id = "PSVC001" | .updated_at = "2024-02-12T12:00:00Z")' on-b.json >back.json
ok ingest --source pd-a back.json --json
expect_json '"\(.inserted) \(.moved)"' "0 1"
[ "$(rows)" = "pd-a Q3ACKN0W resolved PSVC001 3" ] || fail "incidents after the move back: $(rows)"
# Sources that both read the service (one reads every service) keep a copy each, as before.
ok source add pagerduty --name pd-all
ok ingest --source pd-all back.json --json
expect_json '"\(.inserted) \(.moved)"' "1 0"
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'incident'")" = 2 ] || fail "pd-all took pd-a's copy"
ok reconcile --json
expect_json '.mismatches' 0
ok audit verify
expect_references_intact
