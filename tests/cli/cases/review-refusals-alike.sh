# A refusal does not tell who exists, who is in a cycle or who has left: to someone who may
# not see a person, feedback show --mine, consent grant and withdraw, packet, evaluation
# submit, feedback authors, cycle nominate and cycle decide (for the reviewee and the
# reviewer) answer for them exactly as for an unknown id (found in review: each told the two
# apart, by its wording or its exit status).
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok policy import "$FIXTURES/aup/policy.yaml"
for u in E201 E202 E203; do ok user add --person "$u" --role employee; done
ok user add --person M002 --role manager
ok user add --person H001 --role people-partner:search
ok cycle create a26 --kind annual --scope payments # M001, E101..E104
ok cycle create s26 --kind annual --scope search   # M002, E201..E204
ok --as M002 cycle nominate --cycle s26 --for E202 --reviewer E203
file ev.yaml <<'EOF'
ratings:
  technical_skill: {rating: 3, no_evidence_reason: observed in one-to-ones}
EOF
# refused_alike WHO KNOWN ARGS...: plumb --as WHO ARGS, with @ standing for the person, is
# refused (exit 3) for KNOWN, who exists, and for E999, who does not, in the same words.
refused_alike() {
	local who=$1 known=$2
	shift 2
	local before
	before=$(counts)
	run --as "$who" "${@//@/$known}"
	local s1=$status e1
	e1=$(sed "s/$known/ID/g" "$T/err")
	run --as "$who" "${@//@/E999}"
	[ "$s1" = 3 ] && [ "$status" = 3 ] || fail "exit $s1 for $known and $status for E999: plumb --as $who $*"
	[ "$e1" = "$(sed "s/E999/ID/g" "$T/err")" ] ||
		fail "told $known from E999: '$e1' against '$(cat "$T/err")'"
	expect_err "is outside your scope"
	# Refusals are audited as access.denied; nothing else is written.
	[ "$(counts | sed 's/ [0-9]* audit$//')" = "$(echo "$before" | sed 's/ [0-9]* audit$//')" ] ||
		fail "a refusal wrote something"
}
refused_alike E201 E101 feedback show --mine --cycle a26 --for @
refused_alike E201 E101 consent grant --person @ --mechanism commit_metadata
refused_alike E201 E101 consent withdraw --person @ --mechanism commit_metadata
refused_alike M002 E101 packet --cycle a26 --person @ --target-level L5
refused_alike E201 E101 evaluation submit --cycle a26 --person @ "$T/ev.yaml"
refused_alike H001 E101 feedback authors --cycle a26 --for @
# In a cycle (E101 in a26) or not (M001 in s26), present or gone (E105 left in 2025).
refused_alike E201 E101 cycle nominate --cycle a26 --for @ --reviewer E202
refused_alike E201 M001 cycle nominate --cycle s26 --for @ --reviewer E202
refused_alike E201 E104 cycle nominate --cycle a26 --for @ --reviewer E105
refused_alike E201 E202 cycle decide --cycle s26 --for @ --reviewer E203 --decision approve
refused_alike E203 M001 cycle decide --cycle s26 --for @ --reviewer E203 --decision approve
# Whom the actor sees, they are told the rule.
run --as M002 packet --cycle s26 --person E202 --target-level L4
expect_status 4
ok user add --person E204 --role leader:search
run --as E204 cycle nominate --cycle s26 --for E202 --reviewer E203
expect_status 3
expect_err "E204 may not name peer reviewers for E202"
run --as E204 cycle decide --cycle s26 --for E202 --reviewer E203 --decision approve
expect_status 3
expect_err "E204 may not decide on E202's reviewers: their manager in the cycle does"
# The reviewee nominating for themselves is not told who has left (E105), and a manager
# deciding is not told who exists outside their scope (E104 in payments, not nominated): both
# are refused as an unknown reviewer is.
refused_alike E202 E105 cycle nominate --cycle s26 --for E202 --reviewer @
refused_alike M002 E104 cycle decide --cycle s26 --for E202 --reviewer @ --decision approve
# A check-in takes no nominations, and its creation does not point at them.
ok cycle create c26 --kind checkin --scope search
expect_out "next: self reviews, then plumb cycle advance --cycle c26"
expect_no_out "nominate"
ok cycle create b26 --kind annual --scope search --from 2025-01-01 --to 2025-12-31
expect_out "next: peers are nominated with plumb cycle nominate --cycle b26"
