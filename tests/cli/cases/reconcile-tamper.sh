# plumb reconcile against a database changed behind plumb's back, as an auditor would
# check it: each kind of damage it claims to find is reported, naming what is wrong, with
# exit status 1; clean data is 0 mismatches and exit 0.  The runs' own record of what they
# read (their documents and records) is checked against the documents kept for them, and a
# raw payload a published run read that is gone is a mismatch even when no event refers to
# it any more (found in acceptance: deleting such a payload, or a run's document row,
# went unreported, and a payload events referred to was reported once per event as
# "in no raw payload", never naming the payload).
source "$ROOT/tests/http/apiserver.sh"
init_db
# Deletes past the foreign keys, as a hand with sqlite3 (which does not enforce them) or a
# superuser on PostgreSQL could.
unchecked() {
	if [ "$(engine)" = postgres ]; then
		sql "SET LOCAL session_replication_role = replica; $1"
	else
		sql "$1"
	fi
}
ok source add deploy --name deploys
ok source add deploy --name never
file d1.json <<'JSON'
{"id": "d1", "service": "checkout", "environment": "production", "started": "2024-05-01T10:00:00Z", "status": "in_progress"}
JSON
file d1-done.json <<'JSON'
{"id": "d1", "service": "checkout", "environment": "production", "started": "2024-05-01T10:00:00Z", "finished": "2024-05-01T10:05:00Z", "status": "success"}
JSON
file three.json <<'JSON'
[{"id": "d2", "service": "checkout", "environment": "production", "started": "2024-05-02T10:00:00Z", "status": "success"},
 {"id": "d3", "service": "checkout", "environment": "production", "started": "2024-05-03T10:00:00Z", "status": "success"},
 {"id": "d4", "service": "checkout", "environment": "production", "started": "2024-05-04T10:00:00Z", "status": "failure"}]
JSON
ok ingest --source deploys d1.json
ok ingest --source deploys d1-done.json
ok ingest --source deploys three.json
# The sync of a source that declares totals, PagerDuty's.
api_start "$ROOT/tests/http/scenarios/jira-pd-sync"
ok source add pagerduty --name pd --service PIJ90N7 --api-url "$API_URL" --token-env PD_TOKEN
PD_TOKEN=pd-secret PLUMB_NOW=2024-03-01T00:00:00Z ok sync pd --since 2024-01-01

ok reconcile
expect_out "deploys: 3 raw payloads, 5 records (4 distinct), 4 events: 0 mismatches"
expect_out "never: 0 raw payloads, 0 records (0 distinct), 0 events: 0 mismatches"
ok reconcile never --json
expect_json '"\(.mismatches) \(.sources | length) \(.sources[0].source)"' "0 1 never"
raw_of() { sql "SELECT id FROM raw_payloads WHERE origin = '$1'"; }
run_of() { sql "SELECT run_id FROM run_documents WHERE raw_id = $(raw_of "$1")"; }
r1=$(raw_of d1.json) r3=$(raw_of three.json)
run1=$(run_of d1.json) run3=$(run_of three.json)

# The API's declared total changed: the pages no longer add up to it.
sql "UPDATE run_documents SET declared_total = declared_total + 1 WHERE declared_total IS NOT NULL"
run reconcile pd
expect_status 1
expect_out "pd: totals: run "
expect_out ": the API declared 5 records, its pages held 4"
sql "UPDATE run_documents SET declared_total = declared_total - 1 WHERE declared_total IS NOT NULL"
ok reconcile pd

# A payload's bytes that are not those its SHA-256 names.
sql "UPDATE raw_payloads SET sha256 = '$(printf '0%.0s' $(seq 64))' WHERE id = $r3"
run reconcile deploys
expect_status 1
expect_out "deploys: raw: raw payload $r3 (three.json): its bytes do not match its SHA-256"
sql "UPDATE raw_payloads SET sha256 = '$(sha256sum three.json | cut -c1-64)' WHERE id = $r3"
ok reconcile deploys

# A run's record of what it read against the documents kept for it.
sql "UPDATE ingest_runs SET records = records + 2 WHERE id = $run3"
run reconcile deploys --json
expect_status 1
expect_json '[.details[] | "\(.source) \(.check) \(.message)"] | join("|")' \
	"deploys totals run $run3 recorded 1 document with 5 records; the documents kept for it are 1 with 3 records"
sql "UPDATE ingest_runs SET records = records - 2 WHERE id = $run3"
ok reconcile deploys

# A normalized row deleted: its record is in a raw payload but not in events.
unchecked "DELETE FROM events WHERE external_id = 'd3'"
run reconcile deploys
expect_status 1
expect_out "deploys: 3 raw payloads, 5 records (4 distinct), 3 events: 1 mismatch"
expect_out "deploys: normalized: deployment d3 is in a raw payload but not in events"
ok ingest --source deploys three.json # published again: the event is back
ok reconcile deploys

# A payload a published run read, that no event refers to any more (d1's later file
# replaced it), deleted: the run's document names a payload that does not exist.
[ "$(sql "SELECT COUNT(*) FROM events WHERE raw_id = $r1")" = 0 ] || fail "an event still refers to d1.json's payload"
unchecked "DELETE FROM raw_payloads WHERE id = $r1"
run reconcile deploys
expect_status 1
expect_out "deploys: raw: raw payload $r1, which run $run1 read, does not exist"
expect_out "1 mismatch"
# ... and that document's row gone as well: the run recorded one document, none is kept.
unchecked "DELETE FROM run_documents WHERE raw_id = $r1"
run reconcile deploys
expect_status 1
expect_out "deploys: totals: run $run1 recorded 1 document with 1 record; the documents kept for it are 0 with 0 records"

# A payload events refer to, read by two runs (the file was ingested again above),
# deleted: named once, by the raw check, with the events that point at it, not once per
# event.
unchecked "DELETE FROM raw_payloads WHERE id = $r3"
run reconcile deploys --json
expect_status 1
expect_json '[.details[] | select(.check != "totals") | "\(.check) \(.message)"] | join("|")' \
	"raw raw payload $r3, which run $run3 read (and 1 more run), does not exist (3 events point at it)"
run reconcile
expect_status 1
expect_err "plumb: error: 2 mismatches"
expect_out "never: 0 raw payloads, 0 records (0 distinct), 0 events: 0 mismatches"
