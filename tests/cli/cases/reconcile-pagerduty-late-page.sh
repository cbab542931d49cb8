# A PagerDuty page from before an incident moved, read by a source that never held the
# incident, changes nothing: another source holds a newer copy of it (docs/cli.md,
# "Incidents reassigned between sources"). reconcile counts that page's record as moved, as
# it counts the first source's old pages once the incident moved away, not as a mismatch.
# Found hunting: a source added after the move, reading an export of its service from
# before it, was reported as holding a record "in a raw payload but not in events". A
# copy missing whose payload is newer than the other source's copy is still a mismatch.
init_db
page=$FIXTURES/pagerduty/incidents-page.json
ok source add pagerduty --name pd-b --service PSVC002
# Q3ACKN0W after it moved from checkout (PSVC001) to billing (PSVC002), as pd-b reads it.
jq '.incidents = [.incidents[] | select(.id == "Q3ACKN0W") | .service.id = "PSVC002" | .status = "resolved" |
	.resolved_at = "2024-02-12T11:00:00Z" | .last_status_change_at = "2024-02-12T11:00:00Z" |
	.updated_at = "2024-02-12T11:00:00Z"] | .total = 1' "$page" >on-b.json
ok ingest --source pd-b on-b.json
# pd-a, added since, reads checkout's export from before the move.
ok source add pagerduty --name pd-a --service PSVC001
jq '.incidents = [.incidents[] | select(.id == "Q3ACKN0W")] | .total = 1' "$page" >old-a.json
ok ingest --source pd-a old-a.json --json
expect_json '"\(.inserted) \(.updated) \(.unchanged)"' "0 0 1"
[ "$(sql "SELECT s.name || ' ' || e.status FROM events e JOIN sources s ON s.id = e.source_id WHERE e.kind = 'incident'")" = "pd-b resolved" ] ||
	fail "incidents: $(sql "SELECT source_id, external_id, status FROM events")"
ok reconcile --json
expect_json '.mismatches' 0
expect_json '[.sources[] | "\(.source) \(.moved_upstream)"] | join(",")' "pd-a 1,pd-b 0"
ok reconcile pd-a
expect_out "pd-a: 1 raw payload, 1 record (1 distinct), 0 events: 0 mismatches (1 record moved upstream"

# Both read checkout: pd-a keeps a copy of its own of a newer page, and that copy deleted
# by hand is a mismatch, not a move.
ok source set pd-b --service PSVC001 --service PSVC002
jq '.incidents[0] |= (.title = "Checkout errors" | .updated_at = "2024-02-12T12:00:00Z")' old-a.json >old-a2.json
ok ingest --source pd-a old-a2.json --json
expect_json '.inserted' 1
ok reconcile
sql "DELETE FROM events WHERE source_id = (SELECT id FROM sources WHERE name = 'pd-a')"
run reconcile pd-a
expect_status 1
expect_out "pd-a: normalized: incident Q3ACKN0W is in a raw payload but not in events"
