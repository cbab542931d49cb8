# A dimension's share of an axis prints on its side of the framework's dominance threshold
# (found hunting: a carrying 4/7 = 57.14% of the score, flagged as above a threshold of
# 0.571, read "carries 57.1%, above the dominance threshold 57.1%" in score show and the
# packet).  More digits until it reads above (docs/metrics.md, "A shown value stays on its
# side"), on the score page too.  performance = 0.4 x 4 + 0.4 x 3 + 0.2 x 0 = 2.8; a's share
# 1.6 / 2.8 = 0.571428571.
init_db
ok org import "$FIXTURES/org-small.csv"
file fw.yaml <<'YAML'
name: Share
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
  backend: {name: B, track: ic, weights: {performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}}
  data: {name: D, track: ic, weights: {performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}}
  frontend: {name: F, track: ic, weights: {performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}}
  manager: {name: M, track: manager, weights: {performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}}
scoring: {dominance: 0.571}
questions:
  - {id: s, text: S?, relations: [self, manager, peer, upward, cross_functional], kinds: [checkin, annual, project]}
YAML
ok framework import fw.yaml
ok cycle create an --kind annual --scope search --from 2024-01-01 --to 2024-07-01
ok user add --person M002 --role manager
file e.yaml <<'YAML'
ratings:
  a: {rating: 4, no_evidence_reason: seen}
  b: {rating: 3, no_evidence_reason: seen}
  c: {rating: 0, no_evidence_reason: seen}
YAML
ok --as M002 evaluation submit --cycle an --person E201 e.yaml
ok --as M002 score show --cycle an --person E201 --json
expect_json '.axes[0] | "\(.score) \(.dominated)"' "2.8 true"
ok --as M002 score show --cycle an --person E201
expect_out "  flag: a carries 57.14% of the performance score, above the dominance threshold 57.1%"
grep -E '^  a +4 Four' "$T/out" | grep -qE ' 57\.14%$' || fail "a's share: $(grep -E '^  a ' "$T/out")"
grep -E '^  b +3 Three' "$T/out" | grep -qE ' 42\.9%$' || fail "b's share: $(grep -E '^  b ' "$T/out")"
ok --as M002 packet --cycle an --person E201 --target-level L5
expect_out "| performance | 2.80 | between Two and Three | driven by one dimension: a carries 57.14%, above the dominance threshold 57.1% |"
# The score page writes the share as score show does (it wrote "57.1%" in the table and
# "carries 57.1% of the score, above the framework's dominance threshold"; found hunting).
tok=$(token M002 read)
serve
http GET /cycles/an/scores/E201 -H "Authorization: Bearer $tok"
expect_http 200
grep -qF '<td class="num">57.14%</td>' "$T/out" || fail "page share: $(grep -o '<td class="num">[0-9.]*%</td>' "$T/out" | head -1)"
grep -qF "carries 57.14% of the score, above the framework's dominance threshold (57.1%)" "$T/out" ||
	fail "page flag: $(grep -o 'carries [^<]*' "$T/out")"
stop_server
