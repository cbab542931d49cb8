# A weight or a share just past the framework's cap or dominance threshold reads past it in
# every face (score show, the packet, the score page), as the flag beside it says: never
# "d weighs 0.4, above the cap 0.4" nor "carries 50.0% ... above the dominance threshold
# 50%".  Found in the metrics hunt: the cap flag printed %g, and the page's share column and
# flag %.1f, while score show's share column kept its side (decimal_percent_marked); and an
# axis score is not written as a point of its scale it is not on.
# Weights 0.4 + 0.4 + 0.199999 + 0.000001, the last a metric's no rating cites (unrated): each of a and b becomes
# 0.4 / 0.999999 = 0.4000004, above the cap of 0.4 by more than the slack; with a 4, b 2 and
# c 4, a's share is 1.6000016 / 3.1999992 = 0.5000006, above the dominance of 0.5.
init_db
ok org import "$FIXTURES/org-small.csv"
file reviews-given.yaml <<'YAML'
key: reviews_given
name: Reviews given
description: Pull request reviews a person submitted; bots left out.
unit: reviews
direction: higher
indicator: leading
scopes: [individual, team]
audiences: [individual, team]
stakeholders: [development]
owner: developer-experience
formula:
  count: review
  where:
    is_bot: false
YAML
ok metrics define reviews-given.yaml
ok metrics approve reviews_given --version 1 --function development
file fw.yaml <<'YAML'
name: Marks
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
  backend: {name: B, track: ic, weights: {performance: {a: 0.4, b: 0.4, c: 0.199999, reviews_given: 0.000001}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}, composite: {performance: 0.5, impact: 0.3, potential: 0.2}}
  data: {name: D, track: ic, weights: {performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}}
  frontend: {name: F, track: ic, weights: {performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}}
  manager: {name: M, track: manager, weights: {performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}}
evidence:
  metrics:
    reviews_given: {max_weight: 0.15, bands: [{at_least: 10, rating: 4}, {rating: 2}]}
questions:
  - {id: s, text: S?, relations: [self, manager, peer, upward, cross_functional], kinds: [checkin, annual, project]}
YAML
ok framework import fw.yaml
ok cycle create an --kind annual --scope search --from 2024-01-01 --to 2024-07-01
ok user add --person M002 --role manager
file e.yaml <<'YAML'
ratings:
  a: {rating: 4, no_evidence_reason: seen}
  b: {rating: 2, no_evidence_reason: seen}
  c: {rating: 4, no_evidence_reason: seen}
YAML
ok --as M002 evaluation submit --cycle an --person E201 e.yaml
ok --as M002 score show --cycle an --person E201 --json
expect_json '.axes[0] | "\(.capped) \(.dominated) \(.dimensions[0].used_weight) \(.dimensions[0].share)"' \
	"true true 0.4000004 0.500000625"

ok --as M002 score show --cycle an --person E201
expect_out "  flag: renormalized, a weighs 0.4000004, above the cap 0.4"
expect_out "  flag: renormalized, b weighs 0.4000004, above the cap 0.4"
expect_out "  flag: a carries 50.0001% of the performance score, above the dominance threshold 50%"
expect_out "0.4 -> 0.4000004"
expect_no_out "weighs 0.4,"
# A weight is written as people write one, never as %g's 1e-06.
expect_out "0.000001 -> 0 "
ok --as M002 packet --cycle an --person E201 --target-level L5
expect_out "driven by one dimension: a carries 50.0001%, above the dominance threshold 50%"
expect_out "a weighs 0.4000004, above the cap 0.4; b weighs 0.4000004, above the cap 0.4"

# An axis score beside its scale's words: E203's performance is 0.4000004 x (4 + 3) +
# 0.1999992 x 1 = 3.000002, between Three and Four, not "3" (%g) nor "3.00" (the packet's
# %.2f) beside those words.
file e203.yaml <<'YAML'
ratings:
  a: {rating: 4, no_evidence_reason: seen}
  b: {rating: 3, no_evidence_reason: seen}
  c: {rating: 1, no_evidence_reason: seen}
YAML
ok --as M002 evaluation submit --cycle an --person E203 e203.yaml
ok --as M002 score show --cycle an --person E203 --json
expect_json '.axes[0] | "\(.score) \(.label)"' "3.000002 between Three and Four"
ok --as M002 score show --cycle an --person E203
expect_out "performance: 3.000002 (between Three and Four)"
# The arithmetic writes each weight and the score as the table and the heading do.
expect_out "  = 0.4000004 x 4 + 0.4000004 x 3 + 0.199999 x 1 = 3.000002"
expect_out "impact: 3 (Three)"
# The composite's line writes each axis score as its heading does, and the composite on
# its side of 3 too: 0.5 x 3.000002 + 0.3 x 3 + 0.2 x 3 = 3.000001 (found in the metrics
# hunt: %g wrote "0.5 x performance 3 + ... = 3", and the page left the scores out).
expect_out "0.5 x performance 3.000002 + 0.3 x impact 3 + 0.2 x potential 3 = 3.000001"
ok --as M002 packet --cycle an --person E203 --target-level L3
expect_out "| performance | 3.000002 | between Three and Four |"
expect_out "| impact | 3.00 | Three |"

serve
http GET /cycles/an/scores/E203 -H "Authorization: Bearer $(token M002 read)"
expect_http 200
grep -qF "<h2>Performance: 3.000002</h2><p>between Three and Four" "$T/out" ||
	fail "page: the score reads as a point it is not on: $(grep -o '<h2>Performance[^/]*' "$T/out")"
grep -qF "<code>performance = 0.4000004 x 4 + 0.4000004 x 3 + 0.199999 x 1 = 3.000002</code>" "$T/out" ||
	fail "page: the arithmetic: $(grep -o '<code>performance[^<]*' "$T/out")"
grep -qF "<code>0.5 x performance 3.000002 + 0.3 x impact 3 + 0.2 x potential 3 = 3.000001</code>" "$T/out" ||
	fail "page: the composite: $(grep -o '<h2>Composite.\{0,200\}' "$T/out")"
http GET /cycles/an/scores/E201 -H "Authorization: Bearer $(token M002 read)"
expect_http 200
grep -qF "0.4 &rarr; 0.4000004 (above the cap)" "$T/out" || fail "page: the weight over the cap reads as the cap"
grep -qF '<td class="num">50.0001%</td>' "$T/out" || fail "page: the share reads as the threshold"
grep -qF "carries 50.0001% of the score" "$T/out" || fail "page: the flag's share reads as the threshold"
# An unrated dimension's weight renormalized away, as score show writes it ("0.000001 -> 0").
grep -qF '<td class="num">0.000001 &rarr; 0</td>' "$T/out" ||
	fail "page: the unrated weight: $(grep -o '<td class="num">0.000001[^<]*' "$T/out")"
stop_server
