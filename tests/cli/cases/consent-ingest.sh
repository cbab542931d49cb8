# Consent applied by ingestion: pull requests and reviews need consent and are skipped without
# it; CI runs need consent and are stored pseudonymized without it; accounts matched to
# nobody are held pseudonymized until `identity link` resolves them (then consent applies);
# a withdrawal between two ingests stops collection and, with on_withdrawal: delete, removes
# the person's earlier events with their versions and lineage, audited with counts only.
# Who may record consent, what a refused command leaves (nothing), and the run counts.
init_db
ok org import "$FIXTURES/org-small.csv"
file policy.yaml <<'YAML'
name: consent test
mechanisms:
  - key: commit_metadata
    name: Commits
    purpose: Lead time.
    categories: [events]
    event_kinds: [commit]
    enabled: true
    consent: not-required
  - key: pull_request_activity
    name: Pull requests and reviews
    purpose: Review turnaround of teams.
    categories: [events]
    event_kinds: [pull_request, review]
    enabled: true
    consent: required
    without_consent: skip
    on_withdrawal: delete
  - key: delivery_pipeline
    name: CI runs and deployments
    purpose: Change failure rate.
    categories: [events]
    event_kinds: [deployment, ci_run]
    enabled: true
    consent: required
    without_consent: pseudonymize
    on_withdrawal: keep
  - key: keystroke_analytics
    name: Keystrokes
    purpose: None acceptable.
    categories: [events]
    enabled: false
    prohibited: true
YAML
policy_retention >>"$T/policy.yaml"
ok policy import policy.yaml
ok source add github --name gh --repo acme/widgets
ok identity link github alice --person E102    # US
ok identity link github bob --person E103      # GB
ok user add --person E102 --role employee
ok user add --person E103 --role employee
ok user add --person M002 --role people-partner:search
ok user add --person M001 --role manager

# Who may record: the person, a people partner in scope, an admin.
ok --as E102 consent grant --mechanism pull_request_activity --note "signed form 12"
expect_out "consent of E102 to pull_request_activity granted"
before=$(sql "SELECT (SELECT COUNT(*) FROM consents)||' '||(SELECT COUNT(*) FROM audit_log WHERE action LIKE 'consent.%')")
run --as E102 consent grant --person E103 --mechanism pull_request_activity
expect_status 3
# Someone E102 may not see is refused as an unknown id would be.
expect_err "permission denied: E103 is outside your scope"
run --as M002 consent grant --person E103 --mechanism pull_request_activity
expect_status 3
run --as M001 consent grant --person E103 --mechanism pull_request_activity
expect_status 3
run consent grant --person E103 --mechanism keystroke_analytics
expect_status 3
expect_err "refused by acceptable-use rule prohibited-mechanism: mechanism keystroke_analytics is prohibited and cannot be consented to"
run consent grant --person E103 --mechanism nope
expect_status 4
run consent grant --person E999 --mechanism pull_request_activity
expect_status 4
run consent grant --mechanism pull_request_activity
expect_status 2
expect_err "--person is needed: user 'admin' is no person"
run consent grant --person E103 --mechanism pull_request_activity --note "$(printf 'two\nlines')"
expect_status 2
[ "$(sql "SELECT (SELECT COUNT(*) FROM consents)||' '||(SELECT COUNT(*) FROM audit_log WHERE action LIKE 'consent.%')")" = "$before" ] ||
	fail "a refused consent command wrote something"
ok --as M002 consent grant --person E201 --mechanism pull_request_activity
ok consent list --json
expect_json 'map("\(.person) \(.mechanism) \(.state) \(.recorded_by) \(.current)") | join(",")' \
	"E102 pull_request_activity granted E102 true,E201 pull_request_activity granted M002 true"
# A record without a note says null, as other absent fields do, not "" (and so does me).
expect_json 'map("\(.person) \(.note | tojson)") | join(",")' 'E102 "signed form 12",E201 null'
# Reading someone else's consents is scoped and audited.
run --as E103 consent list --person E102
expect_status 3
ok --as M002 consent list --person E201 --json
expect_json 'length' 1
ok audit log --json --object person:E201
expect_json 'map(.action) | join(",")' "person.create,consent.grant,consent.list"
ok user add --person E201 --role employee
ok --as E201 me --json
expect_json '.consents | map(.note) | tojson' '[null]'
ok --as E201 me
expect_out "recorded by M002"
ok --as E102 me
expect_out "recorded by E102: signed form 12"

# First ingest: bob (E103, no consent) loses his pull requests and reviews, his CI runs are
# stored pseudonymized; alice (E102) is kept; carol and the email-only author are held.
ok ingest --source gh "$FIXTURES/github"
# The summary's parts add up to the 24 records: 9 merged within the run, 3 skipped.
expect_out "ingested 24 records from 11 documents into gh (run 1): 12 new, 0 updated, 0 unchanged, 9 merged within the run, 3 skipped by policy"
expect_out "by policy: 3 records skipped"
expect_out "pull_request_activity: 3 skipped (no consent)"
expect_out "pull_request_activity: 2 pseudonymized (held: account not matched)"
ok ingest --source gh "$FIXTURES/github" --json
expect_json '"\(.skipped) \(.pseudonymized)"' "3 8"
expect_json '.governed | map("\(.mechanism)|\(.reason)|\(.skipped)|\(.pseudonymized)") | join(",")' \
	"commit_metadata|held: account not matched|0|1,delivery_pipeline|no consent|0|5,pull_request_activity|no consent|3|0,pull_request_activity|held: account not matched|0|2"
[ "$(sql "SELECT skipped||' '||pseudonymized FROM ingest_runs ORDER BY id")" = "3 8
3 8" ] || fail "ingest_runs counts: $(sql "SELECT skipped, pseudonymized FROM ingest_runs")"
ok audit log --json --object source:gh
expect_json '[.[] | select(.action == "ingest.publish")][0].detail | "\(.skipped) \(.pseudonymized) \(.governed | length)"' "3 8 4"
ok events list --kind pull_request --json
expect_json 'map("\(.external_id)=\(.person)") | join(",")' "acme/widgets#101=E102,acme/widgets#103=null,acme/widgets#104=null"
[ "$(sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E103'")" = 0 ] ||
	fail "E103's records were stored under E103 without consent"
# Pseudonymized: no person, no email, no name; the account is a keyed hash (H1-).
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'ci_run' AND account LIKE 'H1-%' AND person_id IS NULL AND account_email IS NULL AND account_name IS NULL")" -ge 1 ] ||
	fail "no pseudonymized CI run"
[ "$(sql "SELECT COUNT(*) FROM events WHERE account IN ('bob', 'carol') OR account_email = 'dana@contractor.example'")" = 0 ] ||
	fail "an account without consent or match is stored in the clear"
# Nor the branch, which often carries the login (found in review: carol's pull request kept
# its head branch); a deployment's, what was deployed, stays.
[ "$(sql "SELECT COUNT(*) FROM events WHERE account LIKE 'H1-%' AND kind <> 'deployment' AND ref IS NOT NULL")" = 0 ] ||
	fail "a pseudonymized record kept its branch: $(sql "SELECT external_id, ref FROM events WHERE account LIKE 'H1-%' AND ref IS NOT NULL")"
[ "$(sql "SELECT COUNT(*) FROM events WHERE account LIKE 'H1-%' AND kind IN ('pull_request', 'ci_run')")" -ge 2 ] ||
	fail "no pseudonymized pull request or CI run to check"
held_carol=$(sql "SELECT COUNT(*) FROM events WHERE kind IN ('pull_request', 'review') AND account LIKE 'H1-%'")
[ "$held_carol" = 2 ] || fail "carol's pull request and review should be held, got $held_carol"

# carol is linked to E201 (who consented): her held events get their account and person.
ok identity link github carol --person E201
ok events list --kind review --json
expect_json '[.[] | select(.person == "E201")][0].account' carol
[ "$(sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E201'")" = 2 ] ||
	fail "carol's held events were not resolved to E201"
ok audit log --json --object identity:github:carol
expect_json '[.[] | select(.action == "consent.resolve-held")][0].detail | "\(.person) \(.held_events_resolved) \(.held_events_deleted)"' "E201 2 0"
# The email-only commit author is linked to E203, who never consented: commits need no
# consent, so it is attributed.
ok identity link email dana@contractor.example --person E203
ok events list --kind commit --json
expect_json '[.[] | select(.person == "E203")] | length' 1

# Withdrawal between two ingests: alice's earlier pull requests and reviews go at once
# (on_withdrawal: delete), with their versions and metric lineage, and the next ingest skips her.
sql "INSERT INTO metric_lineage(value_id, event_id, role) SELECT 1, id, 'test' FROM events WHERE account = 'alice' AND kind = 'pull_request'"
alice_before=$(sql "SELECT COUNT(*) FROM events WHERE account = 'alice' AND kind IN ('pull_request', 'review')")
[ "$alice_before" -ge 1 ] || fail "alice has no pull requests to withdraw"
ok --as E102 consent withdraw --mechanism pull_request_activity --json
expect_json '.consent.state' withdrawn
expect_json ".deleted.events" "$alice_before"
expect_json ".deleted.metric_lineage" 1
[ "$(sql "SELECT COUNT(*) FROM events WHERE account = 'alice' AND kind IN ('pull_request', 'review')")" = 0 ] ||
	fail "alice's pull requests were kept after a withdrawal with delete"
[ "$(sql "SELECT COUNT(*) FROM metric_lineage WHERE role = 'test'")" = 0 ] || fail "lineage of deleted events kept"
ok audit log --json --object person:E102
expect_json '[.[] | select(.action == "consent.withdraw")][0].detail | "\(.events_deleted) \(.metric_lineage_deleted)"' "$alice_before 1"
[ "$(json '[.[] | select(.action == "consent.withdraw")][0].detail | tostring' | grep -c 'acme/widgets')" = 0 ] || fail "the audit entry names deleted data"
# Her commits (another mechanism) are untouched.
ok events list --kind commit --json
expect_json '[.[] | select(.person == "E102")] | length' 1
ok ingest --source gh "$FIXTURES/github" --json
[ "$(json '[.governed[] | select(.reason == "no consent" and .mechanism == "pull_request_activity")][0].skipped')" -gt 3 ] ||
	fail "alice's pull requests and reviews were not skipped after her withdrawal"
[ "$(sql "SELECT COUNT(*) FROM events WHERE account = 'alice' AND kind IN ('pull_request', 'review')")" = 0 ] ||
	fail "alice's pull requests came back after her withdrawal"
ok consent list --person E102 --json
expect_json 'map("\(.state) \(.current)") | join(",")' "withdrawn true,granted false"
# Reconcile tells what the policy withheld (bob's records never stored, alice's removed on
# withdrawal) from records ingestion lost: no mismatch, the withheld counted.  The trail
# holds keyed hashes of the records' keys, never the records.
ok reconcile --json
expect_json '.mismatches' 0
withheld=$(json '.sources[0].withheld_by_policy')
missing=$(sql "SELECT COUNT(*) FROM withheld_records")
[ "$withheld" -gt 0 ] && [ "$withheld" = "$missing" ] || fail "reconcile counted $withheld withheld of $missing"
[ "$(sql "SELECT COUNT(*) FROM withheld_records WHERE record_hash NOT LIKE 'H1-%' OR record_hash LIKE '%widgets%'")" = 0 ] ||
	fail "withheld_records holds more than keyed hashes"
ok reconcile
expect_out "withheld by the governance policy"
# Without the trail the same records are mismatches (what reconcile said before it existed).
sql "DELETE FROM withheld_records"
run reconcile --json
[ "$(json '.mismatches')" = "$withheld" ] || fail "reconcile without the trail: $(json .mismatches) mismatches"
# Granted again: collected from then on.
ok --as E102 consent grant --mechanism pull_request_activity
ok ingest --source gh "$FIXTURES/github"
[ "$(sql "SELECT COUNT(*) FROM events WHERE account = 'alice' AND kind = 'pull_request'")" = 1 ] ||
	fail "alice's pull request was not collected after she granted consent again"
# Withdrawn again, under a policy that collects pull requests pseudonymized without consent:
# the records a withdrawal removed stay out (their numbers, titles and links lead to their
# author whatever the account says; found in review).  bob's were first kept out by an
# ingest (no consent), then collected once he granted it, then removed by his withdrawal:
# they stay out too (found in review: the first note, with its run, hid the removal).
ok --as E103 consent grant --mechanism pull_request_activity
ok ingest --source gh "$FIXTURES/github"
ids=$(sql "SELECT external_id FROM events WHERE account IN ('alice', 'bob') AND kind IN ('pull_request', 'review')" | sed "s/.*/'&'/" | paste -sd,)
theirs="SELECT COUNT(*) FROM events WHERE kind IN ('pull_request', 'review') AND external_id IN (${ids:-''})"
[ "$(sql "SELECT COUNT(*) FROM events WHERE account = 'bob' AND kind IN ('pull_request', 'review')")" -ge 1 ] ||
	fail "bob's records were not collected after he granted consent"
ok --as E102 consent withdraw --mechanism pull_request_activity
ok --as E103 consent withdraw --mechanism pull_request_activity
[ "$(sql "$theirs")" = 0 ] || fail "the withdrawals kept records"
sed 's/without_consent: skip/without_consent: pseudonymize/' "$T/policy.yaml" >"$T/policy2.yaml"
ok policy import "$T/policy2.yaml"
ok ingest --source gh "$FIXTURES/github" --json
[ "$(sql "$theirs")" = 0 ] || fail "records a withdrawal removed came back pseudonymized: $(sql "SELECT external_id, account FROM events WHERE external_id IN (${ids:-''})")"
[ "$(json '[.governed[] | select(.mechanism == "pull_request_activity" and .reason == "no consent")][0].skipped')" -ge 2 ] ||
	fail "the removed records were not counted as skipped"
ok audit verify

# What governance skips creates no service: a pull request of alice's (consent withdrawn,
# pull requests skipped without it) in a repository nothing maps.
ok policy import "$T/policy.yaml"
jq '[.[0] | .user.login = "alice" | .number = 401 | .id = 1800000401 |
	.base.repo.full_name = "acme/skipped-only" | .html_url = "https://github.com/acme/skipped-only/pull/401"]' \
	"$FIXTURES/github/pulls.json" >skipped-only.json
ok ingest --source gh skipped-only.json --json
expect_json '"\(.records) \(.skipped) \(.services_created)"' "1 1 0"
[ "$(sql "SELECT COUNT(*) FROM services WHERE name = 'acme.skipped-only'")" = 0 ] || fail "a skipped record's repository became a service"
