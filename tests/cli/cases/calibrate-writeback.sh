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
