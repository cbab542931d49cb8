# A composite is scored when every axis it weighs is: potential, weighed 0 by the composite
# and on a metric nobody cited, has no score, and the composite of performance and impact
# (0.5 x 2.2 + 0.5 x 2.2 = 2.2) was "none: an axis has no score" all the same (found hunting
# scores), null in --json and left out of the packet.
init_db
ok org import "$FIXTURES/org-small.csv"
ok metrics define "$ROOT/examples/metrics/reviews-given.yaml"
ok metrics approve reviews_given --version 1 --function development
w='{L1: t, L2: t, L3: t, L4: t, L5: t, L6: t, M1: t, M2: t, M3: t, M4: t, M5: t}'
plain='{performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}'
file fw.yaml <<YAML
name: Unweighted axis
scoring: {cap: 1}
scales:
  z: {0: Zero, 1: One, 2: Two, 3: Three, 4: Four, meets: 2}
tracks:
  ic: {name: IC, levels: [{id: L1, name: E1}, {id: L2, name: E2}, {id: L3, name: E3}, {id: L4, name: E4}, {id: L5, name: E5}, {id: L6, name: E6}]}
  manager: {name: Manager, levels: [{id: M1, name: M1}, {id: M2, name: M2}, {id: M3, name: M3}, {id: M4, name: M4}, {id: M5, name: M5}]}
competencies:
  a: {name: A, scale: z, expectations: $w}
  b: {name: B, scale: z, expectations: $w}
  c: {name: C, scale: z, expectations: $w}
axes:
  performance: {scale: z, description: p}
  impact: {scale: z, description: i}
  potential: {scale: z, description: q}
evidence:
  metrics:
    reviews_given: {max_weight: 1, bands: [{at_least: 10, rating: 4}, {rating: 1}]}
profiles:
  backend:
    name: B
    track: ic
    weights: {performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {reviews_given: 1}}
    composite: {performance: 0.5, impact: 0.5}
  data: {name: D, track: ic, weights: $plain}
  frontend:
    name: F
    track: ic
    weights: {performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {reviews_given: 1}}
    composite: {performance: 0.5, potential: 0.5}
  manager: {name: M, track: manager, weights: $plain}
questions:
  - {id: s, text: S?, relations: [self, manager, peer, upward, cross_functional], kinds: [checkin, annual, project]}
YAML
ok framework import fw.yaml
ok cycle create an --kind annual --scope search --from 2024-01-01 --to 2024-07-01
ok user add --person M002 --role manager
file e.yaml <<'YAML'
ratings:
  a: {rating: 3, no_evidence_reason: seen}
  b: {rating: 2, no_evidence_reason: seen}
  c: {rating: 1, no_evidence_reason: seen}
YAML
ok --as M002 evaluation submit --cycle an --person E201 e.yaml
ok --as M002 score show --cycle an --person E201 --json
expect_json '.axes | map("\(.score)") | join(" ")' "2.2 2.2 null"
expect_json '.composite.score' 2.2
ok --as M002 score show --cycle an --person E201
expect_out "potential: no score: none of its dimensions is rated"
expect_out "0.5 x performance 2.2 + 0.5 x impact 2.2 + 0 x potential (no score) = 2.2"
ok --as M002 packet --cycle an --person E201 --target-level L5
expect_out "Composite, shown beside the axes and never instead of them: 2.20 (performance 0.5, impact 0.5, potential 0)."
# One that weighs the unscored axis has none: the frontend profile (E204) weighs potential.
ok --as M002 evaluation submit --cycle an --person E204 e.yaml
ok --as M002 score show --cycle an --person E204 --json
expect_json '.composite.score' null
ok --as M002 score show --cycle an --person E204
expect_out "never instead of them: none: an axis has no score"
