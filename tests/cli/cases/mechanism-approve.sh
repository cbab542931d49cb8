# plumb mechanism list shows each mechanism of the policy in force with its effective state;
# approve records a works-council or leadership approval (admins and people partners only);
# a prohibited mechanism is refused with exit 3 naming the rule prohibited-mechanism, with
# nothing written; a country whose policy demands an approval holds back its people's data
# until it is recorded (a DE person's commits are skipped, a GB person's kept), and a
# revocation makes the mechanism wait again.
init_db
ok mechanism list
expect_out "no policy imported"
# Without a policy, --csv is still a table (its header row) and --json an empty list.
ok mechanism list --csv
[ "$(cat "$T/out")" = $'mechanism,event kinds,consent,state\r' ] || fail "mechanism list --csv without a policy: $(cat "$T/out")"
ok mechanism list --json
expect_json '"\(.policy_version) \(.mechanisms | length)"' "0 0"
ok org import "$FIXTURES/org-small.csv"
ok policy import "$ROOT/examples/policy.yaml"
ok user add --person E101 --role employee
ok user add --person M002 --role people-partner:search
ok mechanism list
expect_out "commit_metadata"
expect_out "running; waiting for works-council approval (DE)"
ok mechanism list --json
expect_json '.policy_version' 1
expect_json '.mechanisms | map("\(.key)=\(.state)") | join(",")' \
	"commit_metadata=running,pull_request_activity=running,delivery_pipeline=running,incident_participation=running,work_items=running,calendar_data=disabled,keystroke_analytics=prohibited"
expect_json '.mechanisms[0].countries | map("\(.country) \(.approval_needed) \(.approved) \(.state)") | join(",")' \
	"DE works-council false waiting"
expect_json '.mechanisms[5] | "\(.consent_required) \(.without_consent) \(.on_withdrawal) \(.approval_needed)"' \
	"true skip delete works-council"
# An employee may read the registry (what is collected about them), not approve.
ok --as E101 mechanism list --json
expect_json '.mechanisms | length' 7

# Refused: prohibited (exit 3, the rule named), bad input (exit 2), not allowed (exit 3).
before=$(sql "SELECT (SELECT COUNT(*) FROM mechanism_approvals)||' '||(SELECT COUNT(*) FROM audit_log)")
run mechanism approve keystroke_analytics --body works-council --reference "BV 7"
expect_status 3
expect_err "refused by acceptable-use rule prohibited-mechanism: mechanism keystroke_analytics is prohibited and cannot be approved"
run mechanism approve keystroke_analytics --body works-council --reference "BV 7" --json
expect_status 3
run mechanism approve commit_metadata --body council --country DE --reference x
expect_status 2
expect_err "--body: expected works-council or leadership"
run mechanism approve commit_metadata --body works-council --country de --reference x
expect_status 2
expect_err "--country: 'de' is not a country code"
# Two capitals are not enough: the code is one ISO 3166-1 assigns, as people.country's is.
run mechanism approve commit_metadata --body works-council --country UK --reference x
expect_status 2
expect_err "--country: 'UK' is not a country code"
run mechanism approve commit_metadata --body works-council --country DE --reference ""
expect_status 2
# An approval the policy does not ask for would count for nothing (found checking the docs:
# recorded, exit 0): another body than the policy names there, or any body for a mechanism
# that needs none.
run mechanism approve commit_metadata --body leadership --country DE --reference x
expect_status 2
expect_err "the policy asks a works-council approval of commit_metadata for DE, not leadership"
run mechanism approve delivery_pipeline --body leadership --reference L-1
expect_status 2
expect_err "the policy asks no approval of delivery_pipeline"
run mechanism approve calendar_data --body leadership --reference L-1
expect_status 2
run mechanism approve no_such --body works-council --reference x
expect_status 4
expect_err "no mechanism 'no_such' in the policy in force"
# Nothing written but the two refusals' own entries (policy.refused on rule:prohibited-mechanism).
[ "$(sql "SELECT (SELECT COUNT(*) FROM mechanism_approvals)||' '||(SELECT COUNT(*) FROM audit_log WHERE action <> 'policy.refused')")" = "$before" ] ||
	fail "a refused approval wrote something"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.refused' AND object_id = 'prohibited-mechanism'")" = 2 ] ||
	fail "the prohibited approvals were not audited as refusals"
run --as E101 mechanism approve commit_metadata --body works-council --country DE --reference x
expect_status 3
expect_err "approvals are recorded by admins and people partners"
[ "$(sql "SELECT COUNT(*) FROM mechanism_approvals")" = 0 ] || fail "an employee recorded an approval"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'")" = 1 ] || fail "the refusal was not audited"

# Before the approval: the DE author's commit is skipped, the GB author's kept.
ok source add github --name gh --repo acme/widgets
ok identity link github alice --person E101    # DE
ok identity link email dana@contractor.example --person E104   # GB
ok ingest --source gh "$FIXTURES/github"
expect_out "commit_metadata: 1 skipped (no works-council approval (DE))"
ok events list --kind commit --json
expect_json 'map(.person) | join(",")' "E104"
[ "$(sql "SELECT skipped FROM ingest_runs ORDER BY id DESC LIMIT 1")" -ge 1 ] || fail "ingest_runs.skipped not counted"
# pull_request_activity also waits in DE: alice's pull requests and reviews are skipped too.
ok events list --kind pull_request --json
expect_json '[.[] | select(.person == "E101")] | length' 0

ok --as M002 mechanism approve commit_metadata --body works-council --country DE --reference "Betriebsvereinbarung 2026-04, section 3" --json
expect_json '.approval | "\(.body) \(.country) \(.recorded_by)"' "works-council DE M002"
run mechanism approve commit_metadata --body works-council --country DE --reference again
expect_status 5
ok mechanism list --json
expect_json '.mechanisms[0].countries[0] | "\(.approved) \(.state) \(.approval.reference)"' \
	"true running Betriebsvereinbarung 2026-04, section 3"
ok ingest --source gh "$FIXTURES/github" --json
expect_json '.governed | map(select(.mechanism == "commit_metadata")) | length' 0
ok events list --kind commit --json
expect_json 'map(.person) | sort | join(",")' "E101,E104"

# Revoked: waiting again; later ingests skip, what was stored stays.
ok mechanism revoke-approval commit_metadata --body works-council --country DE --reference "terminated"
expect_out "revoked"
ok mechanism list --json
expect_json '.mechanisms[0].countries[0].state' waiting
run mechanism revoke-approval commit_metadata --body works-council --country DE
expect_status 4
ok audit log --json --object mechanism:commit_metadata
expect_json 'map(.action) | join(",")' "mechanism.approve,mechanism.revoke-approval"
ok audit verify
