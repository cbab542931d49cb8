# calibrate curve and calibrate agreement on a small session (the setup of calibrate-session.sh:
# search on org-small, 5 people): a curve needs at least 30 people and is refused below, with
# nothing recorded; agreement is withheld until the feedback phase closes, then it is
# Krippendorff's alpha of the ratings feedback show shows (groups at the threshold).
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create a26 --kind annual --scope search # M002 and E201..E204
ok user add --person M002 --role manager
ok user add --person E101 --role people-partner:search
for p in E201 E202 E203 E204; do ok user add --person "$p" --role employee; done
# E201 reviews E202 as a peer too: two relations, still one author (below).
ok --as M002 cycle nominate --cycle a26 --for E202 --reviewer E201
rate() {
	file "$1.yaml" <<EOF
ratings:
  technical_skill: {rating: $2, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: $2, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: $2, no_evidence_reason: observed in one-to-ones}
EOF
	ok --as M002 evaluation submit --cycle a26 --person "$1" "$T/$1.yaml"
}
rate E201 3
rate E202 4
rate E203 3
rate E204 2
ok --as E101 calibrate session create --cycle a26 --population search --facilitator E101 --participants M002
expect_out "over 5 people"
run --as E101 calibrate session create --cycle a26 --population search --facilitator E101 --name tiny --curve-minimum 5
[ "$status" -ne 0 ] || fail "a curve minimum below 30 was accepted"
expect_err "--curve-minimum"

# ---- curve: below the minimum population ----
before=$(sql "SELECT (SELECT COUNT(*) FROM evaluations) || ' ' || (SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.curve' AND detail <> '{\"ok\":false}')")
for who in E101 M002; do
	run --as "$who" calibrate curve --session a26-search --json
	expect_status 3
	expect_err "a forced curve needs at least 30 people; calibration session 'a26-search' has 4 with a performance rating"
	[ ! -s "$T/out" ] || fail "a refused curve wrote output"
done
[ "$(sql "SELECT (SELECT COUNT(*) FROM evaluations) || ' ' || (SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.curve' AND detail <> '{\"ok\":false}')")" = "$before" ] ||
	fail "a refused curve wrote something"
# Someone who may not read the session hears that first, not the session's size.
run --as E201 calibrate curve --session a26-search
expect_status 3
expect_err "E201 may not read calibration session 'a26-search'"
expect_no_out "needs at least"

# ---- agreement: withheld until the feedback phase closes, then over the ratings shown ----
ok --as E101 calibrate agreement --session a26-search --json
expect_json '"\(.withheld) \(.alpha) \(.raters)"' "true null 0"
expect_json .why "the cycle's feedback phase has not closed"
ok cycle advance --cycle a26 # to feedback
# Upward feedback on M002 from three of their reports: collaboration and delivery.
upward() {
	file "up-$1.yaml" <<EOF
ratings:
  collaboration: $2
  delivery: $3
EOF
	ok --as "$1" feedback submit --cycle a26 --for M002 --relation upward "$T/up-$1.yaml"
}
upward E201 2 4
upward E202 3 5
upward E203 2 5
# Peer feedback on E202 from two peers, E201 (also an upward author: two relations) and E203:
# a group below the threshold of 3.  Its ratings pair (two on each competency) and would
# move alpha, telling whether the two agreed (found in review: they were counted).
ok --as M002 cycle nominate --cycle a26 --for E202 --reviewer E203
peer() {
	file "peer-$1.yaml" <<EOF
ratings:
  collaboration: $2
  delivery: $3
EOF
	ok --as "$1" feedback submit --cycle a26 --for E202 --relation peer "$T/peer-$1.yaml"
}
peer E201 4 3
peer E203 1 3
# While feedback may still arrive, a statistic moving with each response would tell who
# just answered.
ok --as E101 calibrate agreement --session a26-search --json
expect_json '"\(.withheld) \(.alpha) \(.raters) \(.ratings)"' "true null 0 0"
expect_json .why "the cycle's feedback phase has not closed"
ok --as E101 calibrate agreement --session a26-search
expect_out "agreement of a26-search's 360 ratings withheld: the cycle's feedback phase has not closed"
expect_no_out "alpha"
ok cycle advance --cycle a26 # the feedback phase closes
# Shown: M002's upward group, 2 units (collaboration 2,3,2 and delivery 4,5,5) by 3 raters;
# E202's peer pair is left out.
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", alpha = 1 - D_o/D_e with
# D_o = 1/n sum_u 1/(m_u - 1) sum_{c != k in u} delta(c,k) and D_e = 1/(n(n-1)) sum_{c != k} delta(c,k),
# by hand, n = 6 values, m_u = 3:
#   interval (squared differences): D_o = (4/2 + 4/2)/6 = 2/3; the 30 ordered pairs of 2,2,3,4,5,5
#   sum to 114, D_e = 114/30 = 3.8; alpha = 1 - (2/3)/3.8 = 47/57 = 0.8245614...
#   nominal (mismatches): D_o = (4/2 + 4/2)/6 = 2/3; 26 of 30 ordered pairs mismatch, D_e = 26/30;
#   alpha = 1 - (2/3)/(26/30) = 3/13 = 0.2307692...
ok --as E101 calibrate agreement --session a26-search --json
expect_json '"\(.withheld) \(.raters) \(.ratings) \(.units)"' "false 3 6 2"
expect_json '.alpha | keys | join(",")' "interval,nominal,ordinal,ratio"
expect_json '[.alpha[] | select(type == "number" and . >= -1 and . <= 1)] | length' 4
expect_json '(.alpha.interval - 47 / 57) | fabs < 1e-12' true
expect_json '(.alpha.nominal - 3 / 13) | fabs < 1e-12' true
ok --as E101 calibrate agreement --session a26-search
expect_out "6 ratings of 2 (person, competency) units by 3 raters"
expect_out "interval 0.825"
# M002 is in the population and the upward feedback is about them: they see none of it, and
# the peer pair stays withheld.
ok --as M002 calibrate agreement --session a26-search --json
expect_json '"\(.withheld) \(.ratings)"' "true 0"
expect_json .why "no rating is shown: none by a manager, and no competency rated by at least 3 in a peer, upward or cross-functional group"
ok audit verify
