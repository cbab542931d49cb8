# Retention and metric evidence: a metric value an evaluation cites is part of the evaluation
# and follows the evaluations rule, not metric_values': kept while a version cites it, so the
# promotion packet and the evaluation's explain link still find it (found hunting: deleted
# under metric_values' rule, the packet failed with "no metric value 1"); once the
# evaluation is deleted, the next apply deletes the value.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
ok identity link github bob --person E201 # bob wrote reviews 2001 (2024-03-01) and 2003 (03-02)
ok source add pagerduty --name pd
ok ingest --source pd "$FIXTURES/pagerduty"
incident=$(sql "SELECT MIN(id) FROM events WHERE kind = 'incident' AND account IS NOT NULL")
[ -n "$incident" ] || fail "no incident event"
# The incident is E201's: evidence cites only the person's own events.
ok identity link pagerduty "$(sql "SELECT account FROM events WHERE id = $incident")" --person E201
[ "$(sql "SELECT p.employee_id FROM events e JOIN people p ON p.id = e.person_id WHERE e.id = $incident")" = E201 ] ||
	fail "the incident is not attributed to E201"

# Individual metrics: reviews a person wrote; merged pull requests (not in the framework);
# an incentive-linked one without sign-off.
file reviews-given.yaml <<'EOF'
key: reviews_given
name: Reviews given
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
incentive_linked: false
formula:
  count: review
  where:
    is_bot: false
EOF
sed -e 's/reviews_given/prs_authored/' -e 's/count: review/count: pull_request/' reviews-given.yaml >prs.yaml
sed -e 's/reviews_given/bonus_reviews/' -e 's/incentive_linked: false/incentive_linked: true/' reviews-given.yaml >bonus.yaml
for f in reviews-given.yaml prs.yaml bonus.yaml; do ok metrics define "$f"; done
for k in reviews_given prs_authored bonus_reviews; do ok metrics approve "$k" --version 1 --function development; done
file fw.yaml <<'EOF'
name: Evaluation test framework
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
  backend: {name: Backend, track: ic, weights: {performance: {technical_skill: 0.4, delivery: 0.4, reviews_given: 0.2}, impact: {delivery: 0.5, technical_skill: 0.5}, potential: {technical_skill: 0.5, delivery: 0.5}}}
  data: {name: Data, track: ic, weights: {performance: {technical_skill: 0.5, delivery: 0.5}, impact: {delivery: 0.5, technical_skill: 0.5}, potential: {technical_skill: 0.5, delivery: 0.5}}}
  frontend: {name: Frontend, track: ic, weights: {performance: {technical_skill: 0.5, delivery: 0.5}, impact: {delivery: 0.5, technical_skill: 0.5}, potential: {technical_skill: 0.5, delivery: 0.5}}}
  manager: {name: Manager, track: manager, weights: {performance: {technical_skill: 0.5, delivery: 0.5}, impact: {delivery: 0.5, technical_skill: 0.5}, potential: {technical_skill: 0.5, delivery: 0.5}}}
scoring: {cap: 0.5}
evidence:
  metrics:
    reviews_given: {max_weight: 0.2, bands: [{at_least: 10, rating: 4}, {at_least: 2, rating: 3}, {rating: 2}]}
    bonus_reviews: {max_weight: 0.2, bands: [{at_least: 10, rating: 4}, {rating: 2}]}
questions:
  - {id: strengths, text: What should they keep doing?, relations: [self, manager, peer, upward, cross_functional], kinds: [checkin, annual, project]}
EOF
ok framework import fw.yaml
ok cycle create annual-2024 --kind annual --scope search --from 2024-01-01 --to 2024-07-01
ok user add --person M002 --role manager
ok user add --person E201 --role employee
file good.yaml <<EOF
ratings:
  technical_skill:
    rating: 4
    evidence:
      - {kind: metric, ref: reviews_given}
  delivery: {rating: 3, no_evidence_reason: "no delivery this period"}
EOF
ok --as M002 evaluation submit --cycle annual-2024 --person E201 good.yaml --json
value_id=$(sql "SELECT metric_value_id FROM evaluation_evidence WHERE kind = 'metric'")
[ -n "$value_id" ] || fail "no metric value cited"
# Metric values are kept 100 days: the cited one (period ended 2024-07-01) is past it.
sed 's/metric_values: {days: 1825, action: delete}/metric_values: {days: 100, action: delete}/' \
	"$ROOT/examples/policy.yaml" >pol.yaml
grep -q "metric_values: {days: 100" pol.yaml || fail "policy edit"
ok policy import pol.yaml
ok retention plan --json
expect_json '[.lines[] | select(.category == "metric_values" and .country == "IN")][0].due' 0
ok retention apply
[ "$(sql "SELECT COUNT(*) FROM metric_values WHERE id = $value_id")" = 1 ] || fail "the cited value was deleted"
ok --as M002 packet --cycle annual-2024 --person E201 --target-level L5
expect_out "explain metric-value:$value_id"
ok --as M002 explain "metric-value:$value_id" --json
expect_json '.value.value' 2

# Evaluations kept 100 days too, 101 days on: the evaluation goes with its evidence, and the
# value, cited no more, with the same apply's next run.
sed 's/evaluations: {days: 2555, action: delete}/evaluations: {days: 100, action: delete}/' pol.yaml >pol2.yaml
ok policy import pol2.yaml
LATER=$(date -u -d "@$(($(date -u +%s) + 101 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
PLUMB_NOW="$LATER" ok retention apply --as-of "$LATER"
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = 0 ] || fail "the evaluation was kept"
PLUMB_NOW="$LATER" ok retention apply --as-of "$LATER"
[ "$(sql "SELECT COUNT(*) FROM metric_values WHERE id = $value_id")" = 0 ] || fail "the value, cited no more, was kept"
ok audit verify
