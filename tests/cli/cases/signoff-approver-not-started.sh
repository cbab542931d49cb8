# A sign-off approver whose person has not started yet (a hire or a rehire whose start date is
# ahead) cannot vote, as actor_load refuses their user, so policy check and the sign-off counts
# treat them as a leaver (found in review: signoff_approver_standing counted them as a leader
# who could vote: policy check found nothing wrong, the quorum looked reachable, and an approval
# they cast before their start date moved ahead still counted).
init_db
ok org import "$FIXTURES/org-small.csv"
for p in H001 M001 M002; do ok user add --person "$p" --role leader; done
ok policy import "$FIXTURES/aup/policy.yaml" # approvers H001, M001, M002; 2 required
ok metrics define "$FIXTURES/aup/bonus-prs.yaml"
ok metrics approve bonus_prs --version 1 --function development
ok signoff request bonus_prs
ok --as H001 signoff approve 1 --reason "matches the bonus plan"
ok --as M002 signoff approve 1 --reason "agreed with finance"
expect_out "approved by you: approved, 2 of 2 approvals"
run policy check --json
expect_json '[.violations[] | select(.rule == "signoff-approver-invalid")] | length' 0

# M002 leaves and is rehired from a date still ahead.
awk -F, 'BEGIN{OFS=","} $1=="M002"{$11="2099-01-04"} {print}' "$FIXTURES/org-small.csv" >m002-later.csv
grep -q '^M002,.*,2099-01-04,' m002-later.csv || fail "the org file did not change M002's start date"
ok org import m002-later.csv
run --as M002 signoff approve 1 --reason "again"
expect_status 3
expect_err "their person has not started yet (start date 2099-01-04)"

run policy check --json
expect_json '[.violations[] | select(.object == "person:M002") | "\(.rule) \(.message)"] | join(";")' \
	"signoff-approver-invalid sign-off approver M002 has not started yet, so cannot vote"
expect_json '[.violations[] | select(.object == "metric:bonus_prs") | .message] | join(";")' \
	"bonus_prs version 1 is incentive-linked without an approved, unexpired sign-off: sign-off 1 is pending (1 of 2 approvals, not counting 1 by approvers who have left, have not started yet or no longer hold the leader role)"
ok signoff list --metric bonus_prs --json
expect_json '.[0] | "\(.status) \(.state) \(.approvals) \(.required)"' "approved pending 1 2"
expect_json '[.[0].votes[] | "\(.approver) \(.counts) \(.not_counted)"] | join(";")' \
	"H001 true null;M002 false has not started yet"

# A quorum the approvers who can vote cannot reach is reported.
sed 's/required: 2/required: 3/' "$FIXTURES/aup/policy.yaml" >v3.yaml
ok policy import v3.yaml
run policy check --json
expect_json '[.violations[] | select(.rule == "signoff-quorum-impossible") | .message] | join(";")' \
	"sign-off needs 3 approvals but only 2 of the 3 approvers can vote"
