# Leadership sign-off, N of M: only incentive-linked metrics; only the policy's approvers vote,
# once each, with a reason (one line, up to 500 bytes); one approval of two needed is not
# enough, the second approves it.
# Every write is audited; refusals write nothing.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person H001 --role leader
ok user add --person M001 --role leader
ok user add --person M002 --role leader
ok user add --person E101 --role employee
ok policy import "$FIXTURES/aup/policy.yaml"
ok metrics define "$FIXTURES/aup/bonus-prs.yaml"
ok metrics approve bonus_prs --version 1 --function development
ok metrics define "$FIXTURES/aup/my-prs.yaml"
ok metrics approve my_prs --version 1 --function development

# Only incentive-linked metrics are signed off; an unknown metric is not found.
run signoff request my_prs
expect_status 1
expect_err "metric 'my_prs' version 1 is not incentive-linked: sign-off is only for incentive-linked metrics"
run signoff request nosuch
expect_status 4
[ "$(sql "SELECT COUNT(*) FROM signoffs")" = 0 ] || fail "a refused request was stored"
# Only an admin requests.
run --as H001 signoff request bonus_prs
expect_status 3

ok signoff request bonus_prs --json
expect_json '"\(.id) \(.metric) \(.version) \(.state) \(.approvals) \(.required)"' "1 bonus_prs 1 pending 0 2"
expires=$(json .expires_at)
[ "$expires" = "$(sql "SELECT next_review FROM metric_defs WHERE key = 'bonus_prs'" | jq -r '. / 1000 | strftime("%Y-%m-%dT%H:%M:%S.000Z")')" ] ||
	fail "the sign-off does not expire at the metric's next review: $expires"
run signoff request bonus_prs
expect_status 5
expect_err "already has sign-off 1 (pending)"

# Not an approver: refused and audited, nothing written.
run --as E101 signoff approve 1 --reason "looks fine"
expect_status 3
expect_err "only the policy's sign-off approvers may approve"
run signoff approve 1 --reason "admin is no leader"
expect_status 3
[ "$(sql "SELECT COUNT(*) FROM signoff_votes")" = 0 ] || fail "a refused vote was stored"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND object_id = 'signoff.approve'")" = 2 ] ||
	fail "refused votes not audited"
# An approver the policy names must hold the leader role to vote (policy check says they cannot).
sed 's/approvers: \[H001, M001, M002\]/approvers: [H001, M001, M002, E101]/' "$FIXTURES/aup/policy.yaml" >"$T/policy-e101.yaml"
ok policy import "$T/policy-e101.yaml"
run --as E101 signoff approve 1 --reason "named in the policy"
expect_status 3
expect_err "only the policy's sign-off approvers who hold the leader role may approve"
expect_err "user 'E101' has no leader role"
[ "$(sql "SELECT COUNT(*) FROM signoff_votes")" = 0 ] || fail "a non-leader's vote was stored"
run policy check --json
expect_json '[.violations[] | select(.object == "person:E101") | .message] | join(";")' "sign-off approver E101 has no leader role"
ok policy import "$FIXTURES/aup/policy.yaml"
# A vote needs a reason.
run --as H001 signoff approve 1
expect_status 2
run --as H001 signoff approve 1 --reason " "
expect_status 1
# One line of text of at most 500 bytes, as a hold's reason (found in review: control
# characters, a newline and 100,000 bytes were stored and audited as given).
run --as H001 signoff approve 1 --reason $'ok\x1b[2J\x1b[31mFAKE\nsecond line'
expect_status 2
expect_err "plumb: error: --reason: the reason must be one line of text"
expect_err "up to 500 bytes of UTF-8 without control characters"
run --as H001 signoff reject 1 --reason "$(head -c 501 /dev/zero | tr '\0' x)"
expect_status 2
[ "$(sql "SELECT COUNT(*) FROM signoff_votes")" = 0 ] || fail "a vote with a bad reason was stored"

# 1 of 2: still pending, and the metric still may not be used for pay.
ok --as H001 signoff approve 1 --reason "matches the bonus plan"
expect_out "pending, 1 of 2 approvals"
run policy check --json
expect_status 1
expect_json '.violations[] | select(.object == "metric:bonus_prs") | "\(.rule) \(.message)"' \
	"incentive-needs-signoff bonus_prs version 1 is incentive-linked without an approved, unexpired sign-off: sign-off 1 is pending (1 of 2 approvals)"
# Voting twice is refused.
run --as H001 signoff approve 1 --reason "again"
expect_status 5
expect_err "H001 has already voted on sign-off 1 (approved)"
[ "$(sql "SELECT COUNT(*) FROM signoff_votes")" = 1 ] || fail "a second vote was stored"

# The second approval approves it.
ok --as M001 signoff approve 1 --reason "agreed with finance" --json
expect_json '"\(.status) \(.approvals) \([.votes[].approver] | join(","))"' "approved 2 H001,M001"
[ "$(sql "SELECT status FROM signoffs WHERE id = 1")" = approved ] || fail "not stored as approved"
[ "$(sql "SELECT COUNT(*) FROM signoffs WHERE id = 1 AND decided_at IS NOT NULL")" = 1 ] || fail "no decision time"
run policy check --json
expect_json '[.violations[] | select(.object == "metric:bonus_prs")] | length' 0
# A decided sign-off takes no more votes.
run --as M002 signoff reject 1 --reason "too late"
expect_status 5
expect_err "sign-off 1 is approved"
ok --as E101 signoff list --metric bonus_prs --json
expect_json '.[0] | "\(.state) \(.votes[0].reason)"' "approved matches the bonus plan"
ok signoff list
expect_out "H001 approved, M001 approved"
run signoff list --metric nosuch
expect_status 4
# Audited: the request and each vote, in order.
[ "$(sql "SELECT action FROM audit_log WHERE object_type = 'signoff' ORDER BY seq" | paste -sd,)" = \
	"signoff.request,signoff.approve,signoff.approve" ] || fail "sign-off writes not audited as expected"
ok audit verify
