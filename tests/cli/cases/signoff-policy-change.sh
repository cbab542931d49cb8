# A sign-off is judged against the policy in force, not the one its votes were cast under:
# an approval by someone the policy no longer names as an approver does not count (found in
# review: it made up the quorum with one current approver), a raised quorum takes back an
# approval that falls short of it, and signoff list, the voter's answer and policy check say
# so; the approvers the policy names can still vote it back to approved.
init_db
ok org import "$FIXTURES/org-small.csv"
for p in H001 M001 M002 E101; do ok user add --person "$p" --role leader; done
ok metrics define "$FIXTURES/aup/bonus-prs.yaml"
ok metrics approve bonus_prs --version 1 --function development
incentive_violation() { # the policy check's message about bonus_prs, or nothing
	run policy check --json
	json '.violations[] | select(.object == "metric:bonus_prs") | .message'
}
needs="bonus_prs version 1 is incentive-linked without an approved, unexpired sign-off"

# Policy version 1 names E101 among the approvers, who approves.
sed 's/approvers: \[H001, M001, M002\]/approvers: [H001, M001, M002, E101]/' "$FIXTURES/aup/policy.yaml" >v1.yaml
ok policy import v1.yaml
ok signoff request bonus_prs
ok --as E101 signoff approve 1 --reason "fine by me"
expect_out "pending, 1 of 2 approvals"

# Version 2 no longer names E101: E101 may not vote, and E101's approval no longer counts.
ok policy import "$FIXTURES/aup/policy.yaml"
run --as E101 signoff approve 1 --reason "again"
expect_status 3
ok --as H001 signoff approve 1 --reason "matches the bonus plan"
expect_out "approved by you: pending, 1 of 2 approvals, not counting 1 by people the policy no longer names as approvers"
[ "$(sql "SELECT status FROM signoffs WHERE id = 1")" = pending ] || fail "approved by one current approver of two"
ok signoff list --metric bonus_prs --json
expect_json '.[0] | "\(.status) \(.state) \(.approvals) \(.required)"' "pending pending 1 2"
expect_json '[.[0].votes[] | "\(.approver) \(.counts) \(.not_counted)"] | join(";")' \
	"E101 false not a sign-off approver in policy version 2;H001 true null"
ok signoff list
expect_out "E101 approved (not counted: not a sign-off approver in policy version 2), H001 approved"
[ "$(incentive_violation)" = "$needs: sign-off 1 is pending (1 of 2 approvals, not counting 1 by people the policy no longer names as approvers)" ] ||
	fail "policy check with an approval that does not count: $(incentive_violation)"
# The audit entry of the vote says what it left the sign-off at.
[ "$(sql "SELECT detail FROM audit_log WHERE action = 'signoff.approve' ORDER BY seq DESC LIMIT 1" | jq -r '"\(.status) \(.approvals)"')" = "pending 1" ] ||
	fail "the vote's audit entry: $(sql "SELECT detail FROM audit_log WHERE action = 'signoff.approve' ORDER BY seq DESC LIMIT 1")"

# A second current approver approves it.
ok --as M001 signoff approve 1 --reason "agreed with finance"
expect_out "approved by you: approved, 2 of 2 approvals, not counting 1 by people the policy no longer names as approvers, expires"
[ -z "$(incentive_violation)" ] || fail "an approved sign-off still reported: $(incentive_violation)"

# Version 3 raises the quorum to 3: the approval falls short and counts no more, though it
# is stored as approved; the third approver may vote and approves it again.
sed 's/required: 2/required: 3/' "$FIXTURES/aup/policy.yaml" >v3.yaml
ok policy import v3.yaml
ok signoff list --metric bonus_prs --json
expect_json '.[0] | "\(.status) \(.state) \(.approvals) \(.required)"' "approved pending 2 3"
[ "$(incentive_violation)" = "$needs: sign-off 1 is pending (2 of 3 approvals, not counting 1 by people the policy no longer names as approvers)" ] ||
	fail "policy check under a raised quorum: $(incentive_violation)"
run signoff request bonus_prs
expect_status 5
expect_err "already has sign-off 1 (pending)"
ok --as M002 signoff approve 1 --reason "three of three now"
expect_out "approved by you: approved, 3 of 3 approvals"
[ -z "$(incentive_violation)" ] || fail "approved again, still reported: $(incentive_violation)"
[ "$(sql "SELECT COUNT(*) FROM signoff_votes WHERE signoff_id = 1")" = 4 ] || fail "votes: $(sql "SELECT COUNT(*) FROM signoff_votes")"
ok audit verify

# An approver who leaves (their user disabled) can no longer vote: their approval is taken
# back as a policy that drops them takes it back (found in review: it counted until the
# policy changed), and policy check says why they cannot vote.
awk -F, 'BEGIN{OFS=","} $1=="M002"{$12="2025-06-30"} $4=="M002"{$4="M001"} {print}' \
	"$FIXTURES/org-small.csv" >m002-left.csv
ok org import m002-left.csv
ok signoff list --metric bonus_prs --json
expect_json '.[0] | "\(.state) \(.approvals) \(.required)"' "pending 2 3"
expect_json '[.[0].votes[] | select(.approver == "M002") | "\(.counts) \(.not_counted)"] | join(";")' \
	"false has left the organization"
[ "$(incentive_violation)" = "$needs: sign-off 1 is pending (2 of 3 approvals, not counting 1 by people the policy no longer names as approvers, not counting 1 by approvers who have left, have not started yet or no longer hold the leader role)" ] ||
	fail "policy check with a leaver's approval: $(incentive_violation)"
run policy check --json
expect_json '[.violations[] | select(.object == "person:M002") | .message] | join(";")' \
	"sign-off approver M002 has left the organization (or was merged into another record), so cannot vote"
# One merged into another record is gone as well: M001's approval no longer counts.
ok person merge M001 --into E102 --reason "duplicate record"
ok signoff list --metric bonus_prs --json
expect_json '.[0] | "\(.state) \(.approvals)"' "pending 1"
expect_json '[.[0].votes[] | select(.approver == "M001") | .not_counted] | join(";")' "has left the organization"
ok audit verify
