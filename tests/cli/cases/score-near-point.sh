# A packet's axis score is written to two decimals, unless that would put it on a point of
# the axis's scale or past one: weights of thirds (0.333, 0.333, 0.334) and ratings 3, 2, 1
# give 1.999, which "1.999" reads beside "between One and Two", not "2.00" (which reads as
# "Two", the scale's meets; found hunting packets), and 2.001 reads "2.001"; a score away
# from every point keeps its two decimals (2.20). The composite likewise, on the scale of the
# axes it weighs: 0.6 x 1.999 + 0.4 x 2.001 = 1.9998, not "2.00".
init_db
ok org import "$FIXTURES/org-small.csv"
file fw.yaml <<'YAML'
name: Thirds
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
  backend: {name: B, track: ic, weights: {performance: {a: 0.333, b: 0.333, c: 0.334}, impact: {a: 0.334, b: 0.333, c: 0.333}, potential: {a: 0.4, b: 0.4, c: 0.2}}, composite: {performance: 0.6, impact: 0.4}}
  data: {name: D, track: ic, weights: {performance: {a: 0.333333, b: 0.333333, c: 0.333334}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}, composite: {performance: 0.5, impact: 0.5}}
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
  a: {rating: 3, no_evidence_reason: seen}
  b: {rating: 2, no_evidence_reason: seen}
  c: {rating: 1, no_evidence_reason: seen}
YAML
ok --as M002 evaluation submit --cycle an --person E201 e.yaml
ok --as M002 evaluation submit --cycle an --person E202 e.yaml
# performance = 0.333 x 3 + 0.333 x 2 + 0.334 x 1 = 1.999; impact = 0.334 x 3 + 0.333 x 2 +
# 0.333 x 1 = 2.001; potential = 0.4 x 3 + 0.4 x 2 + 0.2 x 1 = 2.2.
ok --as M002 score show --cycle an --person E201 --json
expect_json '.axes | map("\(.score)") | join(" ")' "1.999 2.001 2.2"
expect_json '.composite.score' 1.9998
ok --as M002 packet --cycle an --person E201 --target-level L5
expect_out "| performance | 1.999 | between One and Two |"
expect_out "| impact | 2.001 | between Two and Three |"
expect_out "| potential | 2.20 | between Two and Three |"
expect_out "Composite, shown beside the axes and never instead of them: 1.9998 (performance 0.6, impact 0.4, potential 0)."
expect_no_out "| 2.00 |"
ok --as M002 packet --cycle an --person E201 --target-level L5 --format html
expect_out "<tr><td>performance</td><td>1.999</td><td>between One and Two</td>"
expect_out "<tr><td>impact</td><td>2.001</td><td>between Two and Three</td>"
expect_no_out "<td>2.00</td>"

# Score show writes six significant digits, as %g did, and more where fewer would put the
# score on a point or past one: E202's thirds written to six decimals give 0.333333 x 3 +
# 0.333333 x 2 + 0.333334 x 1 = 1.999999, which %g wrote "2" beside "between One and Two"
# (found hunting scores), in the axis line and its arithmetic, and as a term of the composite
# (0.5 x 1.999999 + 0.5 x 2.2 = 2.0999995, which 2.1 writes on its side of every point), on
# the score page too; the packet writes 1.999999.
ok --as M002 score show --cycle an --person E202 --json
expect_json '.axes[0].score' 1.999999
ok --as M002 score show --cycle an --person E202
expect_out "performance: 1.999999 (between One and Two)"
expect_out "  = 0.333333 x 3 + 0.333333 x 2 + 0.333334 x 1 = 1.999999"
expect_out "potential: 2.2 (between Two and Three)"
expect_out "0.5 x performance 1.999999 + 0.5 x impact 2.2 + 0 x potential 2.2 = 2.1"
ok --as M002 packet --cycle an --person E202 --target-level L5
expect_out "| performance | 1.999999 | between One and Two |"
tok=$(token M002 read)
serve
http GET /cycles/an/scores/E202 -H "Authorization: Bearer $tok"
expect_http 200
grep -qF "Performance: 1.999999</h2>" "$T/out" || fail "page: $(grep -o 'Performance: [^<]*' "$T/out")"
grep -qF "x 1 = 1.999999</code>" "$T/out" || fail "page arithmetic: $(grep -o 'performance = [^<]*' "$T/out")"
stop_server
