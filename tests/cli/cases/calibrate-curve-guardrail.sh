# calibrate curve and calibrate agreement on a small session (the setup of calibrate-session.sh:
# search on org-small, 5 people): a curve needs at least 30 people and is refused below, with
# nothing recorded; agreement is withheld while fewer than 3 people wrote feedback, and with a
# third author it is Krippendorff's alpha of their ratings.
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
before=$(sql "SELECT (SELECT COUNT(*) FROM evaluations) || ' ' || (SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.curve')")
for who in E101 M002; do
	run --as "$who" calibrate curve --session a26-search --json
	expect_status 3
	expect_err "a forced curve needs at least 30 people; calibration session 'a26-search' has 4 with a performance rating"
	[ ! -s "$T/out" ] || fail "a refused curve wrote output"
done
[ "$(sql "SELECT (SELECT COUNT(*) FROM evaluations) || ' ' || (SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.curve')")" = "$before" ] ||
	fail "a refused curve wrote something"
# Someone who may not read the session hears that first, not the session's size.
run --as E201 calibrate curve --session a26-search
expect_status 3
expect_err "E201 may not read calibration session 'a26-search'"
expect_no_out "needs at least"

# ---- agreement: withheld below 3 feedback authors ----
ok --as E101 calibrate agreement --session a26-search --json
expect_json '"\(.withheld) \(.alpha) \(.raters)"' "true null 0"
expect_json .why "0 feedback authors, fewer than the anonymity threshold of 3"
ok cycle advance --cycle a26 # to feedback
# Upward feedback on M002 from two of their reports: collaboration and delivery.
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
ok --as E101 calibrate agreement --session a26-search --json
expect_json '"\(.withheld) \(.alpha) \(.raters) \(.ratings)"' "true null 0 0"
expect_json .why "2 feedback authors, fewer than the anonymity threshold of 3"
ok --as E101 calibrate agreement --session a26-search
expect_out "agreement of a26-search's 360 ratings withheld: 2 feedback authors, fewer than the anonymity threshold of 3"
expect_no_out "alpha"
# M002 is in the population and the upward feedback is about them: they see none of it.
ok --as M002 calibrate agreement --session a26-search
expect_out "withheld: 0 feedback authors"
# E201's peer feedback on E202 makes three raters (a person in each relation) but still two
# people: the threshold counts people, or one author in two relations would lift it.
file peer.yaml <<EOF
ratings:
  collaboration: 4
  delivery: 3
EOF
ok --as E201 feedback submit --cycle a26 --for E202 --relation peer "$T/peer.yaml"
ok --as E101 calibrate agreement --session a26-search --json
expect_json '"\(.withheld) \(.alpha)"' "true null"
expect_json .why "2 feedback authors, fewer than the anonymity threshold of 3"
# A third author: 2 units (M002's collaboration 2,3,2 and delivery 4,5,5) by 3 raters, and
# E202's two units with one rating each, which pair with nothing and leave alpha alone.
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", alpha = 1 - D_o/D_e with
# D_o = 1/n sum_u 1/(m_u - 1) sum_{c != k in u} delta(c,k) and D_e = 1/(n(n-1)) sum_{c != k} delta(c,k),
# by hand, n = 6 values, m_u = 3:
#   interval (squared differences): D_o = (4/2 + 4/2)/6 = 2/3; the 30 ordered pairs of 2,2,3,4,5,5
#   sum to 114, D_e = 114/30 = 3.8; alpha = 1 - (2/3)/3.8 = 47/57 = 0.8245614...
#   nominal (mismatches): D_o = (4/2 + 4/2)/6 = 2/3; 26 of 30 ordered pairs mismatch, D_e = 26/30;
#   alpha = 1 - (2/3)/(26/30) = 3/13 = 0.2307692...
upward E203 2 5
ok --as E101 calibrate agreement --session a26-search --json
expect_json '"\(.withheld) \(.raters) \(.ratings) \(.units)"' "false 4 8 4"
expect_json '.alpha | keys | join(",")' "interval,nominal,ordinal,ratio"
expect_json '[.alpha[] | select(type == "number" and . >= -1 and . <= 1)] | length' 4
expect_json '(.alpha.interval - 47 / 57) | fabs < 1e-12' true
expect_json '(.alpha.nominal - 3 / 13) | fabs < 1e-12' true
ok audit verify
