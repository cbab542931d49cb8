# Peer nominations: the reviewee nominates (pending), their manager approves or declines (with a
# reason); the manager's own nominations and cross-functional reviewers are active at once; the
# framework's peer maximum and the reviewer cap hold; a declined nominee is named again only by
# the manager, reopening it; nobody else may nominate; nobody who reads the reviewee's feedback
# (managers, people partners of their unit) may write in its groups; nothing is named or
# decided after the feedback phase; check-ins take no nominations.  The small framework allows
# 2..3 peers and 3 feedback assignments per reviewer.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for p in E101 E102 E103 E104 E201 E202 E203 E204; do ok user add --person "$p" --role employee; done
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok cycle create a26 --kind annual --scope payments --scope search
n_assign() { sql "SELECT COUNT(*) FROM review_assignments"; }
before=$(n_assign)
ok --as E101 cycle nominate --cycle a26 --for E101 --reviewer E102
expect_out "E102 is nominated as a peer reviewer of E101; their manager approves (their load: 2 of 3)"
# A peer may not nominate for someone else, nor name cross-functional reviewers for themselves.
run --as E103 cycle nominate --cycle a26 --for E101 --reviewer E104
expect_status 3
expect_err "E101 is outside your scope" # as for an unknown id: E103 may not see E101
run --as E101 cycle nominate --cycle a26 --for E101 --reviewer E201 --relation cross_functional
expect_status 3
expect_err "the manager names cross-functional reviewers"
run --as E101 cycle nominate --cycle a26 --for E101 --reviewer E101
expect_status 1
expect_err "E101 cannot be their own peer reviewer"
run --as E101 cycle nominate --cycle a26 --for E101 --reviewer E102
expect_status 5
expect_err "E102 is already a peer reviewer of E101"
# A leaver E101 may not see is refused as an unknown id is: the answer tells nobody who has
# left; a people partner over them is told.
run --as E101 cycle nominate --cycle a26 --for E101 --reviewer E105
expect_status 3
expect_err "permission denied: E105 is outside your scope"
run --as E101 cycle nominate --cycle a26 --for E101 --reviewer E999
expect_status 3
expect_err "permission denied: E999 is outside your scope"
ok user add --person E204 --role people-partner:payments
run --as E204 cycle nominate --cycle a26 --for E101 --reviewer E105
expect_status 1
expect_err "E105 has left and cannot review anyone"
# Nobody who reads E101's feedback writes in its groups, whoever names them: their manager, a
# manager further up (H001, who has no user at all) or a people partner of their unit.
for by in E101 M001; do
	run --as "$by" cycle nominate --cycle a26 --for E101 --reviewer M001
	expect_status 1
	expect_err "M001 cannot be a peer reviewer of E101: they read the feedback about E101 as one of their managers"
done
run --as M001 cycle nominate --cycle a26 --for E101 --reviewer H001 --relation cross_functional
expect_status 1
expect_err "H001 cannot be a cross_functional reviewer of E101: they read the feedback about E101 as one of their managers"
run --as M001 cycle nominate --cycle a26 --for E101 --reviewer E204 --relation cross_functional
expect_status 1
expect_err "E204 cannot be a cross_functional reviewer of E101: they read the feedback about E101 as a people partner of their unit"
# A nominee who has come to read the feedback since (a people partner of search now) is not
# approved either.
ok --as E201 cycle nominate --cycle a26 --for E201 --reviewer E202
ok user add --person E202 --role people-partner:search
run --as M002 cycle decide --cycle a26 --for E201 --reviewer E202 --decision approve
expect_status 1
expect_err "E202 cannot be a peer reviewer of E201: they read the feedback about E201 as a people partner of their unit"
[ "$(sql "SELECT a.status FROM review_assignments a JOIN people p ON p.id = a.reviewer_id WHERE p.employee_id = 'E202' AND a.relation = 'peer'")" = nominated ] ||
	fail "a refused approval changed the nomination"
[ "$(n_assign)" = $((before + 2)) ] || fail "refused nominations wrote something"
# Only the manager decides; declining needs a reason.
run --as E101 cycle decide --cycle a26 --for E101 --reviewer E102 --decision approve
expect_status 3
expect_err "their manager in the cycle does"
run --as M001 cycle decide --cycle a26 --for E101 --reviewer E102 --decision decline
expect_status 2
expect_err "declining a nomination needs --reason TEXT"
run --as M001 cycle decide --cycle a26 --for E101 --reviewer E102 --decision decline --reason " 	 "
expect_status 2
expect_err "declining a nomination needs --reason TEXT"
ok --as M001 cycle decide --cycle a26 --for E101 --reviewer E102 --decision approve
expect_out "E102 as a peer reviewer of E101: approved"
run --as M001 cycle decide --cycle a26 --for E101 --reviewer E102 --decision decline --reason x
expect_status 5
expect_err "decided already (active)"
# The manager's nominations are active at once; cross-functional too.
ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer E103
expect_out "E103 is a peer reviewer of E101 (their load: 2 of 3)"
ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer E201 --relation cross_functional
expect_out "E201 is a cross_functional reviewer of E101"
# The maximum of 3 peers: a fourth is refused, a declined one does not count.
ok --as E101 cycle nominate --cycle a26 --for E101 --reviewer E104
run --as M001 cycle nominate --cycle a26 --for E101 --reviewer E202
expect_status 5
expect_err "E101 has 3 peer reviewers already, the framework's maximum"
ok --as M001 cycle decide --cycle a26 --for E101 --reviewer E104 --decision decline --reason "on leave in December"
# The reviewee does not ask again over the decision, and is told who declined; the manager may
# name the declined nominee after all, which reopens the same assignment.
run --as E101 cycle nominate --cycle a26 --for E101 --reviewer E104
expect_status 5
expect_err "E104 was declined as a peer reviewer of E101 by M001"
expect_err "their manager may still name E104 (plumb cycle nominate), which reopens the nomination"
e104=$(sql "SELECT a.id || ' ' || a.status FROM review_assignments a JOIN people p ON p.id = a.reviewer_id JOIN people q ON q.id = a.reviewee_id WHERE p.employee_id = 'E104' AND q.employee_id = 'E101' AND a.relation = 'peer'")
[ "${e104#* }" = declined ] || fail "E104's nomination: $e104"
ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer E104
expect_out "E104 is a peer reviewer of E101"
[ "$(sql "SELECT a.id || ' ' || a.status || ' ' || a.nominated_by FROM review_assignments a JOIN people p ON p.id = a.reviewer_id JOIN people q ON q.id = a.reviewee_id WHERE p.employee_id = 'E104' AND q.employee_id = 'E101' AND a.relation = 'peer'")" = "${e104% *} active M001" ] ||
	fail "the declined nomination was not reopened: $(sql "SELECT * FROM review_assignments WHERE id = ${e104% *}")"
[ "$(sql "SELECT detail FROM audit_log WHERE action = 'cycle.nominate' ORDER BY seq DESC LIMIT 1" | jq -r '"\(.status) \(.reopened)"')" = "active true" ] ||
	fail "the reopening is not audited as such"
# The reviewer cap of 3: E201 holds upward (M002) and cross-functional (E101); one more fits.
ok --as M001 cycle nominate --cycle a26 --for E102 --reviewer E201 --relation cross_functional
run --as M001 cycle nominate --cycle a26 --for E103 --reviewer E201 --relation cross_functional
expect_status 5
expect_err "E201 holds 3 feedback assignments in cycle 'a26' already, the cap"
ok cycle assignments --cycle a26 --reviewer E201 --json
expect_json '.loads[0].load' 3
expect_json '[.assignments[] | "\(.reviewee) \(.relation)"] | sort | join(", ")' \
	"E101 cross_functional, E102 cross_functional, E201 self, M002 upward"
# A reviewer with none says so, with no heading over loads it leaves out: E301, who joins
# engineering, outside the cycle's teams (one nobody is: exit 4, lookup-unknown-filter.sh).
{
	head -1 "$FIXTURES/org-small.csv"
	echo "E301,Sam Quiet,sam.quiet@acme.example,H001,engineering,Software Engineer,L2,ic,backend,US,2020-01-01,,,,,"
} >"$T/e301.csv"
ok org import "$T/e301.csv"
ok cycle assignments --cycle a26 --reviewer E301
[ "$(cat "$T/out")" = "no assignments of E301 in cycle a26" ] || fail "assignments of nobody: $(cat "$T/out")"
# Status counts approved peers against the minimum of 2.
ok cycle status --cycle a26 --json
expect_json '[.short_of_peers[] | select(startswith("E101"))] | length' 0
expect_json '[.short_of_peers[] | select(startswith("E102"))] | join(",")' "E102 (0 of 2)"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action IN ('cycle.nominate', 'cycle.decide') AND detail <> '{\"ok\":false}'")" = 9 ] || fail "nominations not audited"
# After the feedback phase nobody is named, and a pending nomination is not decided either: the
# assignment could never be done.  Nothing changes.
ok --as E103 cycle nominate --cycle a26 --for E103 --reviewer E104
for _ in 1 2; do ok cycle advance --cycle a26; done
# The phase is checked before the reviewer: whoever is named, an active colleague, a leaver,
# someone outside the actor's scope or an unknown id, the answer is the same.
for r in E102 E105 E201 E999; do
	run --as M001 cycle nominate --cycle a26 --for E103 --reviewer $r
	expect_status 5
	expect_err "cycle 'a26' takes no nominations after its feedback phase"
done
for r in E104 E105 E201 E999; do
	for d in approve decline; do
		run --as M001 cycle decide --cycle a26 --for E103 --reviewer $r --decision $d --reason late
		expect_status 5
		expect_err "cycle 'a26' takes no decisions on nominations after its feedback phase"
	done
done
[ "$(sql "SELECT a.status FROM review_assignments a JOIN people p ON p.id = a.reviewer_id JOIN people q ON q.id = a.reviewee_id WHERE p.employee_id = 'E104' AND q.employee_id = 'E103'")" = nominated ] ||
	fail "a decision after the feedback phase changed the nomination"
# A check-in has no 360 feedback.
ok cycle create q4 --kind checkin --scope payments
run --as M001 cycle nominate --cycle q4 --for E101 --reviewer E102
expect_status 5
expect_err "a check-in has no 360 feedback"
