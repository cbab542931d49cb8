# calibrate curve on a population large enough for one (40 rated people): the guardrails look
# at the whole session whoever reads it (a participant in the population reading the curve
# does not lift them for themselves), and the curve's counts follow the guidance but for what
# ties move: a tie group spilling over one rating does not starve the ratings below it.
init_db
{
	echo "employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date,github_login,jira_account_id,pagerduty_user_id,emails"
	echo "H001,Dana Head,dana@acme.example,,engineering,VP,M5,manager,manager,US,2018-03-01,,,,,"
	echo "P001,Pat Partner,pat@acme.example,H001,engineering,People Partner,M1,manager,manager,US,2018-03-01,,,,,"
	echo "M010,Marie Dupont,marie@acme.example,H001,core,Engineering Manager,M2,manager,manager,FR,2019-06-15,,,,,"
	for i in $(seq 300 338); do
		echo "E$i,Engineer $i,e$i@acme.example,M010,core,Engineer,L3,ic,backend,US,2020-01-01,,,,,"
	done
} >"$T/org.csv"
ok org import "$T/org.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create c26 --kind annual --scope core # M010 (in France) and E300..E338 (in the US)
ok user add --person H001 --role manager
ok user add --person M010 --role manager
ok user add --person P001 --role people-partner:core
# rate RATER PERSON R: every competency at R, so the performance score is R.
rate() {
	file "$2.yaml" <<EOF
ratings:
  technical_skill: {rating: $3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: $3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: $3, no_evidence_reason: observed in one-to-ones}
EOF
	ok --as "$1" evaluation submit --cycle c26 --person "$2" "$T/$2.yaml"
}
# Scores: 5 for 4 people, 4 for 12, 3 for 12 (M010 among them), 2 for 8, 1 for 4.
for i in $(seq 300 338); do
	r=$((i < 304 ? 5 : i < 316 ? 4 : i < 327 ? 3 : i < 335 ? 2 : 1))
	rate M010 "E$i" "$r"
done
rate H001 M010 3
# Guidance 10/20/40/20/10 percent: on 40 people the targets are exactly 4, 8, 16, 8 and 4.
# The curve minimum is the session's 40 rated people, M010 among them.
ok --as P001 calibrate session create --cycle c26 --population core --facilitator P001 \
	--participants M010 --name big --curve-minimum 40 \
	--guidance 1=10-10 --guidance 2=20-20 --guidance 3=40-40 --guidance 4=20-20 --guidance 5=10-10
expect_out "over 40 people"
policy() {
	file "$1.yaml" <<EOF
name: $1
forced_ranking: allowed
mechanisms: []
retention:
  events: {days: 0, action: delete}
countries:
  $2:
    forced_ranking: forbidden
EOF
	ok policy import "$T/$1.yaml"
}
curves() { sql "SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.curve'"; }

# ---- the guardrails over the whole session ----
# France forbids forced ranking and M010 works there: refused to everyone, M010 too, although
# M010 does not see their own row.
policy france FR
for who in P001 M010; do
	run --as "$who" calibrate curve --session big --json
	expect_status 3
	expect_err "forced-ranking-forbidden"
	expect_err "FR"
	[ ! -s "$T/out" ] || fail "a refused curve wrote output"
done
[ "$(curves)" = 0 ] || fail "a refused curve was audited as proposed"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.refused' AND object_id = 'forced-ranking-forbidden'")" = 2 ] ||
	fail "the refusals are not audited as policy.refused"
# Elsewhere: the session has its 40 rated people for everyone; M010 sees the 39 others.
policy elsewhere JP
ok --as M010 calibrate curve --session big --json
expect_json '.people | length' 39
expect_json '[.people[].person] | index("M010")' null

# ---- the counts ----
# Ranked by score, rating 5 takes ranks 1-4, 4 ranks 5-12, 3 ranks 13-28, 2 ranks 29-36 and
# 1 ranks 37-40. The 12 people at 4 hold ranks 5-16: 8 of them in rating 4's ranks, 4 in
# rating 3's, so all 12 get 4. The 12 at 3 hold ranks 17-28 (3), the 8 at 2 ranks 29-36 (2)
# and the 4 at 1 ranks 37-40 (1): 4, 12, 12, 8, 4 people at 5, 4, 3, 2, 1, and nobody moves.
# (Carrying rating 4's overflow of 4 into nothing gave rating 3 four ranks too many, 20, then
# 2 only 4 and 1 none.)
ok --as P001 calibrate curve --session big --json
expect_json '.people | length' 40
expect_json '[.people[].curve] | group_by(.) | map("\(.[0]):\(length)") | join(" ")' "1:4 2:8 3:12 4:12 5:4"
expect_json '[.people[] | select(.curve != .current)] | length' 0
expect_json .moves 0
# M010's 39: targets 3.9, 7.8, 15.6, 7.8, 3.9, by largest remainders 4, 8, 15, 8, 4 (ranks 1-4,
# 5-12, 13-27, 28-35, 36-39). The 12 at 4 (ranks 5-16) again get 4, the other 11 at 3 (ranks
# 17-27) 3, the 8 at 2 (28-35) 2 and the 4 at 1 (36-39) 1.
ok --as M010 calibrate curve --session big --json
expect_json '[.people[].curve] | group_by(.) | map("\(.[0]):\(length)") | join(" ")' "1:4 2:8 3:11 4:12 5:4"
[ "$(curves)" = 3 ] || fail "each proposal is audited once: $(curves)"
ok audit verify
