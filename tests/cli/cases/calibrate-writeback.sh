# calibrate change and calibrate session close: what a close writes back keeps to the rules
# evaluation submit keeps. The blameless rule holds on each rating as it would be written back,
# with all its evidence (the stored version's and the room's), not only on the change at hand.
# (The setup of calibrate-session.sh: search on org-small, M002 rates E201..E204.)
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create a26 --kind annual --scope search
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok user add --person E101 --role people-partner:search
# rate PERSON RATING [EVIDENCE]: M002's evaluation, every competency at RATING; EVIDENCE (a
# YAML flow list) backs delivery.
rate() {
	local delivery="{rating: $2, no_evidence_reason: observed in one-to-ones}"
	[ -z "${3:-}" ] || delivery="{rating: $2, evidence: $3}"
	file "$1.yaml" <<EOF
ratings:
  technical_skill: {rating: $2, no_evidence_reason: observed in one-to-ones}
  delivery: $delivery
  collaboration: {rating: $2, no_evidence_reason: observed in one-to-ones}
EOF
	ok --as M002 evaluation submit --cycle a26 --person "$1" ${4:+--reason "$4"} "$T/$1.yaml"
}
rate E201 3
rate E202 4 "[{kind: incident, ref: INC-7}]" # ran the response to INC-7
rate E203 3
rate E204 2
ok --as E101 calibrate session create --cycle a26 --population search --facilitator E101 \
	--participants M001,M002 --name wb --guidance 1=0-100
for _ in 1 2 3; do ok cycle advance --cycle a26; done
ok --as E101 calibrate session open --session wb
versions() { sql "SELECT COUNT(*) FROM evaluations e JOIN people p ON p.id = e.person_id WHERE p.employee_id = '$1'"; }
changes() { sql "SELECT COUNT(*) FROM calibration_changes"; }

# ---- the blameless rule on the rating as written back ----
# The room raises E201's delivery for running INC-1's response (allowed), then lowers it below
# meets with a link: INC-1 would stay behind a rating of 1, counting against E201.
ok --as M001 calibrate change --session wb --person E201 --dimension delivery --rating 4 \
	--reason "ran the response to INC-1" --evidence incident:INC-1
run --as M001 calibrate change --session wb --person E201 --dimension delivery --rating 1 \
	--reason "missed the plan's deadlines" --evidence link:https://x.example/plan
expect_status 3
expect_err "refused by acceptable-use rule incident-negative-evidence: incident data cannot count against E201"
expect_err "E201's delivery would be written back as 1, below meets (3), with incident:INC-1 among its evidence"
expect_err "keep E201's delivery at meets (3) or above"
[ "$(changes)" = 1 ] || fail "a refused change was written: $(changes) changes"
# The manager's own version cites INC-7 behind E202's 4; lowering it to 2 with a link would
# leave INC-7 behind a 2.
run --as M001 calibrate change --session wb --person E202 --dimension delivery --rating 2 \
	--reason "slipped twice" --evidence link:https://x.example/slips
expect_status 3
expect_err "E202's delivery would be written back as 2, below meets (3), with incident:INC-7 among its evidence"
[ "$(changes)" = 1 ] || fail "a refused change was written: $(changes) changes"
# At meets nothing counts against them.
ok --as M001 calibrate change --session wb --person E202 --dimension delivery --rating 3 \
	--reason "delivery meets, not exceeds" --evidence link:https://x.example/slips
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.refused' AND object_id = 'incident-negative-evidence'")" = 2 ] ||
	fail "the refusals are not audited as policy.refused"

# ---- re-rated after the room changed it ----
# The room's changes: E201 delivery 3->4 (above), E202 delivery 4->3 (above), and:
ok --as M001 calibrate change --session wb --person E203 --dimension delivery --rating 2 \
	--reason "slipped the migration" --evidence link:https://x.example/migration
ok --as M001 calibrate change --session wb --person E204 --dimension technical_skill --rating 3 \
	--reason "rewrote the ranker" --evidence pull_request:https://x.example/pull/4
# Then M002 writes new versions: E201's delivery to 5, neither the room's from nor its to (a
# conflict); E202's delivery to the room's 3 (agreed: settled); E203's delivery kept at the
# room's from, 3, with INC-3 behind it (the change still applies on top: no conflict); only
# E204's collaboration (their technical skill, which the room changed, is not re-rated).
rate E201 5 "" "a strong second half"
rate E202 3 "[{kind: incident, ref: INC-7}]" "agree with calibration"
rate E203 3 "[{kind: incident, ref: INC-3}]" "ran the response to INC-3"
file E204.yaml <<EOF
ratings:
  technical_skill: {rating: 2, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: 2, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: 3, no_evidence_reason: paired on every release}
EOF
ok --as M002 evaluation submit --cycle a26 --person E204 --reason "collaboration" "$T/E204.yaml"
allversions() { sql "SELECT COUNT(*) FROM evaluations"; }
before=$(allversions)
run --as E101 calibrate session close --session wb
expect_status 5
expect_err "calibration session 'wb' cannot write its changes back: E201 delivery is 5 in evaluation version 2; the session changed it from 3 to 4"
for settled in E202 E203 E204; do
	! grep -q "$settled" "$T/err" || fail "$settled is no conflict: $(cat "$T/err")"
done
# The room agrees with E202's manager already; it keeps E201 at 4, from the new version's 5.
run --as M001 calibrate change --session wb --person E202 --dimension delivery --rating 3 \
	--reason "delivery meets, not exceeds" --evidence link:https://x.example/slips
expect_status 1
expect_err "E202's delivery is 3 already"
ok --as M001 calibrate change --session wb --person E201 --dimension delivery --rating 4 \
	--reason "the second half does not outweigh the first" --evidence link:https://x.example/h1
# E203's delivery would be written back as 2 with the manager's INC-3 behind it.
run --as E101 calibrate session close --session wb
expect_status 3
expect_err "incident data cannot count against E203"
expect_err "E203's delivery would be written back as 2, below meets (3), with incident:INC-3 among its evidence"
[ "$(allversions)" = "$before" ] || fail "a refused close wrote evaluation versions"
ok --as E101 calibrate session status --session wb --json
expect_json .status open
ok --as M001 calibrate change --session wb --person E203 --dimension delivery --rating 3 \
	--reason "INC-3's response outweighs the slip" --evidence link:https://x.example/migration
ok --as E101 calibrate session close --session wb
# E201 (delivery 4 over the manager's 5) and E204 (technical skill 3, with the manager's new
# collaboration): E202 and E203 hold the room's ratings already.
expect_out "closed calibration session wb: 6 changes, 2 evaluation versions written"
latest() {
	"$PLUMB" --as E101 evaluation history --cycle a26 --person "$1" --json |
		jq -r '.versions[-1] | "\(.version) \(.source) " + (.ratings | map("\(.dimension)=\(.rating)") | join(" "))'
}
[ "$(latest E201)" = "3 calibration technical_skill=5 delivery=4 collaboration=5" ] || fail "E201: $(latest E201)"
[ "$(latest E202)" = "2 manager technical_skill=3 delivery=3 collaboration=3" ] || fail "E202: $(latest E202)"
[ "$(latest E203)" = "2 manager technical_skill=3 delivery=3 collaboration=3" ] || fail "E203: $(latest E203)"
[ "$(latest E204)" = "3 calibration technical_skill=3 delivery=2 collaboration=3" ] || fail "E204: $(latest E204)"
ok audit verify
