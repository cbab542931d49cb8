# The governance policy: an import is a new immutable version whose text export gives back
# byte for byte; the same text again changes nothing; diff says what changed in readable
# terms; everyone may read the policy in force, only an admin imports one; every import is
# audited.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E201 --role employee
ok policy show --json
expect_json .version 0
expect_json .masking.min_aggregate_people 5
run policy export
expect_status 4
expect_err "no policy has been imported"

cp "$ROOT/examples/policy.yaml" policy.yaml
ok policy import policy.yaml
expect_out "policy version 1 imported"
ok policy import policy.yaml --json
expect_json .unchanged true
expect_json .version 1
[ "$(sql "SELECT COUNT(*) FROM policies")" = 1 ] || fail "an unchanged import stored a version"
ok policy export
cmp -s "$T/out" policy.yaml || fail "export is not the imported text"

ok policy show --json
expect_json .version 1
expect_json '.mechanisms | map(select(.prohibited)) | map(.key) | join(",")' keystroke_analytics
expect_json '.mechanisms[] | select(.key == "calendar_data") | .consent' required
expect_json '.countries.DE.approvals.commit_metadata' works-council
expect_json '.countries.DE.retention.events.days' 730
expect_json '.retention.audit_log.action' anonymize
expect_json '.signoff.required' 2

# A second version: calendar data switched on with the works council's approval, a shorter
# German retention.
sed -e '/key: calendar_data/,/approval: works-council/s/enabled: false/enabled: true/' \
	-e 's/      events: {days: 730, action: delete}/      events: {days: 365, action: delete}/' \
	policy.yaml >policy2.yaml
ok policy import policy2.yaml
expect_out "policy version 2 imported"
ok policy diff 1 2
expect_out "mechanism calendar_data: enabled: false -> true"
expect_out "country DE: retention events: 730 days, delete -> 365 days, delete"
expect_out_lines 2
ok policy diff 2 2
expect_out "say the same"
ok policy export --version 1
cmp -s "$T/out" policy.yaml || fail "version 1 changed"
ok policy show --json
expect_json .version 2

# Everyone reads it; only an admin imports.
ok --as E201 policy show --json
expect_json .version 2
run --as E201 policy import policy.yaml
expect_status 3
[ "$(sql "SELECT COUNT(*) FROM policies")" = 2 ] || fail "an employee imported a policy"

ok audit log --json
expect_json '[.[] | select(.action == "policy.import")] | map(.object_id) | join(",")' 1,2
expect_json '[.[] | select(.action == "policy.import")][1].detail.replaces' 1

# An analyst reads the policy with the sign-off approvers as pseudonyms, and cannot export
# the file, which names them.
ok user add --person E204 --role analyst
ok --as E204 policy show --json
expect_json '.signoff.approvers | map(test("^P-[0-9a-f]{16}$")) | all' true
expect_json '.signoff.approvers | length' 3
expect_no_out E001
sed 's/approvers: \[E001, E002, E003\]/approvers: [E001, E002]/' policy2.yaml >policy3.yaml
ok policy import policy3.yaml
ok --as E204 policy diff 2 3
expect_out "signoff: 2 of [P-"
expect_no_out E00
run --as E204 policy export
expect_status 3
expect_err "the policy file names people"
