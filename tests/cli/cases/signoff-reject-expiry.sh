# One rejection rejects a sign-off whatever approvals it had (a veto) and a new request starts
# over; a sign-off expires at the metric's next review date and then counts no more; a new
# version of the metric supersedes it.  policy check follows each state.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person H001 --role leader
ok user add --person M001 --role leader
ok user add --person M002 --role leader
ok policy import "$FIXTURES/aup/policy.yaml"
ok metrics define "$FIXTURES/aup/bonus-prs.yaml"
ok metrics approve bonus_prs --version 1 --function development
incentive_violation() { # the policy check's message about bonus_prs, or nothing
	run policy check --json
	json '.violations[] | select(.object == "metric:bonus_prs") | .message'
}

ok signoff request bonus_prs
ok --as H001 signoff approve 1 --reason "fine"
ok --as M002 signoff reject 1 --reason "rewards volume over outcomes" --json
expect_json '"\(.status) \(.approvals)"' "rejected 1"
run --as M001 signoff approve 1 --reason "late"
expect_status 5
expect_err "sign-off 1 is rejected"
[ "$(sql "SELECT COUNT(*) FROM signoff_votes WHERE signoff_id = 1")" = 2 ] || fail "a vote on a rejected sign-off was stored"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'signoff.reject' AND object_id = '1'")" = 1 ] || fail "rejection not audited"
[ "$(incentive_violation)" = "bonus_prs version 1 is incentive-linked without an approved, unexpired sign-off: sign-off 1 is rejected" ] ||
	fail "policy check after the rejection: $(incentive_violation)"

# A new request starts over and is approved.
ok signoff request bonus_prs --json
expect_json .id 2
ok --as M002 signoff approve 2 --reason "now tied to outcomes"
ok --as M001 signoff approve 2 --reason "agreed"
expect_out "approved"
[ -z "$(incentive_violation)" ] || fail "an approved sign-off still reported: $(incentive_violation)"

# At the metric's next review date the sign-off expires.
review=$(sql "SELECT next_review FROM metric_defs WHERE key = 'bonus_prs'")
day_before=$(jq -nr "($review / 1000 - 3600) | strftime(\"%Y-%m-%dT%H:%M:%SZ\")")
on_review=$(jq -nr "($review / 1000) | strftime(\"%Y-%m-%dT%H:%M:%SZ\")")
PLUMB_NOW=$day_before ok signoff list --metric bonus_prs --json
expect_json '.[0] | "\(.id) \(.state)"' "2 approved"
export PLUMB_NOW=$on_review
ok signoff list --metric bonus_prs --json
expect_json '.[0] | "\(.id) \(.state)"' "2 expired"
[ "$(incentive_violation)" = "bonus_prs version 1 is incentive-linked without an approved, unexpired sign-off: sign-off 2 is expired" ] ||
	fail "policy check after expiry: $(incentive_violation)"
# A request for a version whose review is due is refused: review it first.
run signoff request bonus_prs
expect_status 5
expect_err "is due for review since"
unset PLUMB_NOW

# A new version of the metric supersedes the sign-off of the old one.
sed -e 's/review_interval_days: 90/review_interval_days: 120/' "$FIXTURES/aup/bonus-prs.yaml" >v2.yaml
ok metrics define v2.yaml
ok metrics approve bonus_prs --version 2 --function development
ok signoff list --metric bonus_prs --json
expect_json '.[0] | "\(.id) \(.version) \(.state)"' "2 1 superseded"
[ "$(incentive_violation)" = "bonus_prs version 2 is incentive-linked without an approved, unexpired sign-off: sign-off 2 is superseded" ] ||
	fail "policy check after a new version: $(incentive_violation)"
ok signoff request bonus_prs --json
expect_json '"\(.id) \(.version)"' "3 2"
# A proposal taken back by defining the version in use again leaves its sign-off standing
# (it used to be a version 4, copying 2, whose approval would have superseded sign-off 3).
ok --as H001 signoff approve 3 --reason "fine"
ok --as M001 signoff approve 3 --reason "fine"
sed -e 's/review_interval_days: 90/review_interval_days: 60/' "$FIXTURES/aup/bonus-prs.yaml" >v3.yaml
ok metrics define v3.yaml
expect_out "metric bonus_prs version 3 proposed"
ok metrics define v2.yaml
expect_out "metric bonus_prs unchanged (version 2, active)"
ok signoff list --metric bonus_prs --json
expect_json '.[0] | "\(.id) \(.version) \(.state)"' "3 2 approved"
[ -z "$(incentive_violation)" ] || fail "the withdrawal took the sign-off back: $(incentive_violation)"
ok audit verify
