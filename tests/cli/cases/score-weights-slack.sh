# An axis whose weights sum to 1 within the framework's slack (0.4 + 0.4 + 0.1996 = 0.9996,
# as people write thirds and such) is scaled to sum to 1, and the score says so: each weight
# shows what it became, as when a dimension is unrated, so that weight x rating adds up. No
# weight is flagged above the cap then: the file's 0.4 is at the cap, not above it, and every
# dimension is rated (found hunting scores: "0.4 ... 1.60064" and "flag: renormalized, a
# weighs 0.40016, above the cap 0.4" for a framework import accepted, in the packet too).
init_db
ok org import "$FIXTURES/org-small.csv"
file fw.yaml <<'YAML'
name: Slack
scales:
  z: {0: Zero, 1: One, 2: Two, 3: Three, 4: Four, meets: 2}
tracks:
  ic: {name: IC, levels: [{id: L1, name: E1}, {id: L2, name: E2}, {id: L3, name: E3}, {id: L4, name: E4}, {id: L5, name: E5}, {id: L6, name: E6}]}
  manager: {name: Manager, levels: [{id: M1, name: M1}, {id: M2, name: M2}, {id: M3, name: M3}, {id: M4, name: M4}, {id: M5, name: M5}]}
competencies:
  a: {name: A, scale: z, expectations: {L1: t, L2: t, L3: t, L4: t, L5: t, L6: t, M1: t, M2: t, M3: t, M4: t, M5: t}}
  b: {name: B, scale: z, expectations: {L1: t, L2: t, L3: t, L4: t, L5: t, L6: t, M1: t, M2: t, M3: t, M4: t, M5: t}}
  c: {name: C, scale: z, expectations: {L1: t, L2: t, L3: t, L4: t, L5: t, L6: t, M1: t, M2: t, M3: t, M4: t, M5: t}}
axes:
  performance: {scale: z, description: p}
  impact: {scale: z, description: i}
  potential: {scale: z, description: q}
profiles:
  backend: {name: B, track: ic, weights: {performance: {a: 0.4, b: 0.4, c: 0.1996}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}}
  data: {name: D, track: ic, weights: {performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}}
  frontend: {name: F, track: ic, weights: {performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}}
  manager: {name: M, track: manager, weights: {performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}}
questions:
  - {id: s, text: S?, relations: [self, manager, peer, upward, cross_functional], kinds: [checkin, annual, project]}
YAML
ok framework import fw.yaml
ok cycle create an --kind annual --scope search --from 2024-01-01 --to 2024-07-01
ok user add --person M002 --role manager
file e.yaml <<'YAML'
ratings:
  a: {rating: 4, no_evidence_reason: seen}
  b: {rating: 0, no_evidence_reason: seen}
  c: {rating: 3, no_evidence_reason: seen}
YAML
ok --as M002 evaluation submit --cycle an --person E201 e.yaml
# performance = (0.4 x 4 + 0.4 x 0 + 0.1996 x 3) / 0.9996 = 2.1988 / 0.9996 = 2.199679872;
# the weights become 0.4 / 0.9996 = 0.400160064 and 0.1996 / 0.9996 = 0.199679872.
# impact = 0.4 x 4 + 0.4 x 0 + 0.2 x 3 = 2.2, its weights as the file gives them.
ok --as M002 score show --cycle an --person E201 --json
expect_json '.axes[0] | "\(.score) \(.renormalized) \(.rated_weight) \(.capped)"' "2.199679872 true 0.9996 false"
expect_json '.axes[0].dimensions | map("\(.dimension):\(.used_weight):\(.over_cap)") | join(" ")' \
	"a:0.400160064:false b:0.400160064:false c:0.199679872:false"
expect_json '.axes[1] | "\(.score) \(.renormalized) \(.capped)"' "2.2 false false"
ok --as M002 score show --cycle an --person E201
expect_out "  a          4 Four   0.4 -> 0.40016     1.60064          72.8%"
expect_out "  renormalized: the rated dimensions' weights (0.9996 of 1) are scaled to sum to 1"
expect_no_out "above the cap"
ok --as M002 packet --cycle an --person E201 --target-level L5
expect_out "| performance | 2.20 | between Two and Three | driven by one dimension: a carries 72.8%, above the dominance threshold 50%; weights renormalized over the rated dimensions |"
expect_no_out "above the cap"

