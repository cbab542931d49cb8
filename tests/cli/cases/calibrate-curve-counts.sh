# calibrate curve on a population just large enough for one (30 rated people): the guardrails
# look at the whole session whoever reads it (a participant in the population reading the
# curve does not lift them for themselves), and the curve's counts follow the guidance but for
# what ties move: a tie group spilling over one rating does not starve the ratings below it.
init_db
{
	echo "employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date,github_login,jira_account_id,pagerduty_user_id,emails"
	echo "H001,Dana Head,dana@acme.example,,engineering,VP,M5,manager,manager,US,2018-03-01,,,,,"
	echo "P001,Pat Partner,pat@acme.example,H001,engineering,People Partner,M1,manager,manager,US,2018-03-01,,,,,"
	echo "M010,Marie Dupont,marie@acme.example,H001,core,Engineering Manager,M2,manager,manager,FR,2019-06-15,,,,,"
	for i in $(seq 300 328); do
		echo "E$i,Engineer $i,e$i@acme.example,M010,core,Engineer,L3,ic,backend,US,2020-01-01,,,,,"
	done
} >"$T/org.csv"
ok org import "$T/org.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create c26 --kind annual --scope core # M010 (in France) and E300..E328 (in the US)
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
# Scores: 5 for 3 people, 4 for 9, 3 for 9 (M010 among them), 2 for 6, 1 for 3.
for i in $(seq 300 328); do
	r=$((i < 303 ? 5 : i < 312 ? 4 : i < 320 ? 3 : i < 326 ? 2 : 1))
	rate M010 "E$i" "$r"
done
rate H001 M010 3
# Guidance 10/20/40/20/10 percent: on 30 people the targets are exactly 3, 6, 12, 6 and 3.
# The session has the default curve minimum, 30 rated people, M010 among them.
ok --as P001 calibrate session create --cycle c26 --population core --facilitator P001 \
	--participants M010 --name big \
	--guidance 1=10-10 --guidance 2=20-20 --guidance 3=40-40 --guidance 4=20-20 --guidance 5=10-10
expect_out "over 30 people"
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
# Elsewhere: the session has its 30 rated people for everyone; M010 sees the 29 others.
policy elsewhere JP
ok --as M010 calibrate curve --session big --json
expect_json '.people | length' 29
expect_json '"\(.reader_excluded) \(.people_shown) \(.people_in_session)"' "true 29 30"
expect_json '[.people[].person] | index("M010")' null

# ---- the counts ----
# Ranked by score, rating 5 takes ranks 1-3, 4 ranks 4-9, 3 ranks 10-21, 2 ranks 22-27 and
# 1 ranks 28-30. The 9 people at 4 hold ranks 4-12: 6 of them in rating 4's ranks, 3 in
# rating 3's, so all 9 get 4. The 9 at 3 hold ranks 13-21 (3), the 6 at 2 ranks 22-27 (2)
# and the 3 at 1 ranks 28-30 (1): 3, 9, 9, 6, 3 people at 5, 4, 3, 2, 1, and nobody moves.
# (Carrying rating 4's overflow of 3 into nothing gave rating 3 three ranks too many, 15, then
# 2 only 3 and 1 none.)
ok --as P001 calibrate curve --session big --json
expect_json '.people | length' 30
expect_json '[.people[].curve] | group_by(.) | map("\(.[0]):\(length)") | join(" ")' "1:3 2:6 3:9 4:9 5:3"
expect_json '[.people[] | select(.curve != .current)] | length' 0
expect_json .moves 0
# M010's 29: targets 2.9, 5.8, 11.6, 5.8, 2.9, by largest remainders 3, 6, 11, 6, 3 (ranks 1-3,
# 4-9, 10-20, 21-26, 27-29). The 9 at 4 (ranks 4-12) again get 4, the other 8 at 3 (ranks
# 13-20) 3, the 6 at 2 (21-26) 2 and the 3 at 1 (27-29) 1.
ok --as M010 calibrate curve --session big --json
expect_json '[.people[].curve] | group_by(.) | map("\(.[0]):\(length)") | join(" ")' "1:3 2:6 3:8 4:9 5:3"
[ "$(curves)" = 3 ] || fail "each proposal is audited once: $(curves)"
ok audit verify

# ---- guidance that gives no rating a share ----
# "--guidance 5=0-0" alone (no fives; nothing said of the rest) has every midpoint at 0: there
# is no rating to place anyone in, and the curve is refused saying so, nothing proposed (found
# in the calibrate hunt: the remainders handed the top ranks 15, 14, ... 1 and the rest 0,
# mostly no ratings of the scale).
ok --as P001 calibrate session create --cycle c26 --population core --facilitator P001 \
	--name nofives --guidance 5=0-0
run --as P001 calibrate curve --session nofives --json
expect_status 1
expect_err "calibration session 'nofives' has no rating a curve could place people in"
[ ! -s "$T/out" ] || fail "a refused curve wrote output"
# No proposal recorded: --as records the failed attempt, {"ok":false}, and nothing else.
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.curve' AND detail <> '{\"ok\":false}'")" = 3 ] ||
	fail "a refused curve was audited as proposed"
