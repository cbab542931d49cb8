# Calibration shows a person's axis scores to two decimals as the promotion packet does:
# rounded half away from zero on the score itself (found hunting scores: the agenda's
# printf("%.2f") gave 2.12 for 2.125, where its page gave 2.13 and the packet now does), in
# the agenda's text and the distribution's means (found in the calibrate hunt: a group of one
# read 2.12 there); its JSON keeps the score as score show does.
init_db
ok org import "$FIXTURES/org-small.csv"
file fw.yaml <<'YAML'
name: Eighths
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
  backend: {name: B, track: ic, weights: {performance: {a: 0.375, b: 0.375, c: 0.25}, impact: {a: 0.375, b: 0.375, c: 0.25}, potential: {a: 0.4, b: 0.4, c: 0.2}}}
  data: {name: D, track: ic, weights: {performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}}
  frontend: {name: F, track: ic, weights: {performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}}
  manager: {name: M, track: manager, weights: {performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.4, b: 0.4, c: 0.2}}}
questions:
  - {id: s, text: S?, relations: [self, manager, peer, upward, cross_functional], kinds: [checkin, annual, project]}
YAML
ok framework import fw.yaml
ok cycle create an --kind annual --scope search --from 2024-01-01 --to 2024-07-01
ok user add --person M002 --role manager
ok user add --person E101 --role people-partner:search
ok cycle advance --cycle an # feedback
ok cycle advance --cycle an # manager_review
# performance = impact = 0.375 x 2 + 0.375 x 1 + 0.25 x 4 = 0.75 + 0.375 + 1 = 2.125;
# potential = 0.4 x 2 + 0.4 x 1 + 0.2 x 4 = 2.
file e.yaml <<'YAML'
ratings:
  a: {rating: 2, no_evidence_reason: seen}
  b: {rating: 1, no_evidence_reason: seen}
  c: {rating: 4, no_evidence_reason: seen}
YAML
ok --as M002 evaluation submit --cycle an --person E201 e.yaml
ok cycle advance --cycle an # calibration
ok --as E101 calibrate session create --cycle an --population search --facilitator E101 --name cal \
	--guidance 2=0-100 # the default is for a scale of 1 to 5
ok --as E101 calibrate session status --session cal
expect_out "  E201 (search, L4, manager M002): performance 2.13, impact 2.13, potential 2.00; marks"
ok --as E101 calibrate session status --session cal --json
expect_json '.agenda[] | select(.person == "E201") | "\(.scores.performance) \(.scores.potential)"' "2.125 2"
ok --as M002 packet --cycle an --person E201 --target-level L5
expect_out "| performance | 2.13 |"
# The distribution's means as scores are shown: a group of one is E201's 2.13, not "%.2f"'s 2.12.
ok --as E101 calibrate distribution --session cal
expect_out "by manager: 1 person, mean 2.13"
expect_out "M002                  1   2.13"
