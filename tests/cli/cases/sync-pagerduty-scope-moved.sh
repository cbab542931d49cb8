# An incident moves between PagerDuty sources without changing upstream: one source stops
# reading a service (`source set --service`) and another that reads it reads the same page.
# The incident is one event, now the second source's (as sync-pagerduty-reassigned.sh moves a
# reassigned one), and the move is an update: the first source's copy is kept as an earlier
# version naming its run, and the event points at the second source's payload. Found hunting:
# with nothing in the record changed, the event moved without a version and kept pointing at
# the first source's payload, so reconcile reported the first source's records as in a raw
# payload but not in events and the second's events as pointing at another source's payload
# (4 mismatches after a plain scope change).
init_db
page=$FIXTURES/pagerduty/incidents-page.json
# Q1RESOLV3D and Q3ACKN0W are on PSVC001, Q2TRIGG3R on PSVC002.
ok source add pagerduty --name pd-a --service PSVC001 --service PSVC002
ok ingest --source pd-a "$page"
run_a=$(sql "SELECT MAX(id) FROM ingest_runs")
ok source set pd-a --service PSVC002
ok source add pagerduty --name pd-b --service PSVC001
cp "$page" page-b.json
ok ingest --source pd-b page-b.json --json
# Q2TRIGG3R's service pd-a still reads: both keep a copy (a new event of pd-b's).
expect_json '"\(.inserted) \(.updated) \(.unchanged) \(.moved)"' "1 2 0 2"
raw_b=$(sql "SELECT id FROM raw_payloads WHERE origin = 'page-b.json'")
rows() {
	sql "SELECT s.name||' '||e.external_id||' '||e.version||' '||CASE WHEN e.raw_id = $raw_b THEN 1 ELSE 0 END FROM events e
	  JOIN sources s ON s.id = e.source_id WHERE e.kind = 'incident' ORDER BY e.external_id, s.name"
}
[ "$(rows | tr '\n' ,)" = "pd-b Q1RESOLV3D 2 1,pd-a Q2TRIGG3R 1 0,pd-b Q2TRIGG3R 1 1,pd-b Q3ACKN0W 2 1," ] ||
	fail "incidents after the move: $(rows | tr '\n' ,)"
# The copy pd-a held, as an earlier version of its run.
[ "$(sql "SELECT e.external_id || ' ' || v.version || ' ' || CASE WHEN v.run_id = $run_a THEN 1 ELSE 0 END FROM event_versions v
  JOIN events e ON e.id = v.event_id ORDER BY 1" | tr '\n' ,)" = "Q1RESOLV3D 1 1,Q3ACKN0W 1 1," ] ||
	fail "versions: $(sql "SELECT event_id, version, run_id FROM event_versions")"
ok reconcile --json
expect_json '.mismatches' 0
expect_json '[.sources[] | "\(.source) \(.moved_upstream)"] | join(",")' "pd-a 2,pd-b 0"
# The same page again under pd-b changes nothing more.
ok ingest --source pd-b page-b.json --json
expect_json '"\(.inserted) \(.updated) \(.unchanged) \(.moved)"' "0 0 3 0"
ok reconcile
expect_references_intact
