# A rule that refuses a close over the closer's own rating (here incentive-needs-signoff: the
# calibrated version would carry an incentive-linked metric whose sign-off no longer stands)
# is not told to a closer in the population as it is to others: naming them, and the rating,
# would tell them the room changed it (docs/calibration.md, "A reader in the population").
# The close is refused all the same (exit 3, nothing written, the refusal audited); a people
# partner over the population closing it is told why.  Found hunting: the refusal said
# "closing writes M002's calibrated evaluation" to M002.  (The setup of
# calibrate-incentive-signoff.sh, with M002 in the population facilitating.)
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
ok identity link github bob --person E201 # bob wrote reviews 2001 (2024-03-01) and 2003 (03-02)
file bonus.yaml <<'EOF'
key: bonus_reviews
name: Reviews given (bonus)
description: Pull request reviews a person submitted; bots left out.
unit: reviews
direction: higher
indicator: leading
stages: [growth, mature]
scopes: [individual, team]
audiences: [individual, team]
stakeholders: [development]
owner: developer-experience
objectives: [quality]
review_interval_days: 180
incentive_linked: true
formula:
  count: review
  where:
    is_bot: false
EOF
ok metrics define bonus.yaml
ok metrics approve bonus_reviews --version 1 --function development
file fw.yaml <<'EOF'
name: Calibration sign-off framework
scales:
  five_point: {1: Well below expectations, 2: Below expectations, 3: Meets expectations, 4: Exceeds expectations, 5: Far exceeds expectations, meets: 3}
tracks:
  ic: {name: IC, levels: [{id: L1, name: E1}, {id: L2, name: E2}, {id: L3, name: E3}, {id: L4, name: E4}, {id: L5, name: E5}, {id: L6, name: E6}]}
  manager: {name: Manager, levels: [{id: M1, name: M1}, {id: M2, name: M2}, {id: M3, name: M3}, {id: M4, name: M4}, {id: M5, name: M5}]}
competencies:
  technical_skill: {name: Technical skill, scale: five_point, expectations: {L1: t, L2: t, L3: t, L4: t, L5: t, L6: t, M1: t, M2: t, M3: t, M4: t, M5: t}}
  delivery: {name: Delivery, scale: five_point, expectations: {L1: d, L2: d, L3: d, L4: d, L5: d, L6: d, M1: d, M2: d, M3: d, M4: d, M5: d}}
axes:
  performance: {scale: five_point, description: meets the level's expectations}
  impact: {scale: five_point, description: scope and outcome}
  potential: {scale: five_point, description: readiness to grow}
profiles:
  backend: {name: Backend, track: ic, weights: {performance: {technical_skill: 0.5, delivery: 0.5}, impact: {delivery: 0.5, technical_skill: 0.5}, potential: {technical_skill: 0.5, delivery: 0.5}}}
  data: {name: Data, track: ic, weights: {performance: {technical_skill: 0.5, delivery: 0.5}, impact: {delivery: 0.5, technical_skill: 0.5}, potential: {technical_skill: 0.5, delivery: 0.5}}}
  frontend: {name: Frontend, track: ic, weights: {performance: {technical_skill: 0.5, delivery: 0.5}, impact: {delivery: 0.5, technical_skill: 0.5}, potential: {technical_skill: 0.5, delivery: 0.5}}}
  manager: {name: Manager, track: manager, weights: {performance: {technical_skill: 0.5, delivery: 0.5}, impact: {delivery: 0.5, technical_skill: 0.5}, potential: {technical_skill: 0.5, delivery: 0.5}}}
scoring: {cap: 0.5}
evidence:
  metrics:
    bonus_reviews: {max_weight: 0.2, bands: [{at_least: 10, rating: 4}, {rating: 2}]}
questions:
  - {id: strengths, text: What should they keep doing?, relations: [self, manager, peer, upward, cross_functional], kinds: [checkin, annual, project]}
EOF
ok framework import fw.yaml
for p in H001 M001 M002; do ok user add --person "$p" --role leader; done
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok user add --person E101 --role people-partner:search
# The policy's approvers are H001, M001 and M002, two of them needed.
ok policy import "$FIXTURES/aup/policy.yaml"
ok signoff request bonus_reviews
ok --as H001 signoff approve 1 --reason "matches the bonus plan"
ok --as M001 signoff approve 1 --reason "agreed with finance"
expect_out "approved by you: approved, 2 of 2 approvals"

ok cycle create annual-2024 --kind annual --scope search --from 2024-01-01 --to 2024-07-01
# H001 rates M002, citing the incentive-linked metric.
file m002.yaml <<'YAML'
ratings:
  technical_skill:
    rating: 3
    evidence:
      - {kind: metric, ref: bonus_reviews}
  delivery: {rating: 3, no_evidence_reason: "no delivery this period"}
YAML
ok --as H001 evaluation submit --cycle annual-2024 --person M002 "$T/m002.yaml"
ok --as E101 calibrate session create --cycle annual-2024 --population search --facilitator M002 \
	--participants M001 --name cal --guidance 1=0-100
for _ in 1 2 3; do ok cycle advance --cycle annual-2024; done
ok --as M002 calibrate session open --session cal
ok --as M001 calibrate change --session cal --person M002 --dimension delivery --rating 4 \
	--reason "shipped the search rewrite" --evidence link:https://x.example/rewrite
# A policy naming H001 and M002 only: M001's approval no longer counts, 1 of 2.
sed 's/approvers: \[H001, M001, M002\]/approvers: [H001, M002]/' "$FIXTURES/aup/policy.yaml" >v2.yaml
grep -q 'approvers: \[H001, M002\]' v2.yaml || fail "the policy file did not change its approvers"
ok policy import v2.yaml
versions() { sql "SELECT COUNT(*) FROM evaluations e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'M002'"; }
refusals() { sql "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.refused' AND object_id = 'incentive-needs-signoff'"; }
run --as M002 calibrate session close --session cal
expect_status 3
expect_err "calibration session 'cal' cannot write back a rating you may not read"
! file_has "$T/err" "M002" || fail "the refusal named M002: $(cat "$T/err")"
! file_has "$T/err" "bonus_reviews" || fail "the refusal named the metric: $(cat "$T/err")"
[ "$(versions)" = 1 ] || fail "a refused close wrote a version"
[ "$(sql "SELECT status FROM calibration_sessions WHERE name = 'cal'")" = open ] || fail "a refused close closed the session"
[ "$(refusals)" = 1 ] || fail "the refusal was not audited as policy.refused"
# A people partner over the population is told why.
run --as E101 calibrate session close --session cal
expect_status 3
expect_err "closing writes M002's calibrated evaluation, which carries the evidence of version 1"
ok audit verify
