# A performance scale with 0 among its points and gaps between them (0, 2, 4): a score rounds
# to the nearest point of the scale, the higher one halfway, and a person rated 0 is rated
# (found in the calibrate hunt: 0 stood for "no rating", so the people rated 0 were left out
# of the distribution and shown with no performance rating, and floor(score + 0.5) gave 1 and
# 3, no ratings of the scale, which the distribution counted and the guidance check at close
# did not). The default guidance, for a scale of 1 to 5, is refused on it, and a rating moves
# by the scale's steps.
init_db
ok org import "$FIXTURES/org-small.csv"
file fw.yaml <<'YAML'
name: Even
scales:
  z: {0: Zero, 2: Two, 4: Four, meets: 2}
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
questions:
  - {id: s, text: S?, relations: [self, manager, peer, upward, cross_functional], kinds: [checkin, annual, project]}
YAML
ok framework import fw.yaml
ok cycle create an --kind annual --scope search --from 2024-01-01 --to 2024-07-01
ok user add --person M002 --role manager
ok user add --person E101 --role people-partner:search
ok cycle advance --cycle an # feedback
ok cycle advance --cycle an # manager_review
# rate PERSON A B C
rate() {
	file "$1.yaml" <<YAML
ratings:
  a: {rating: $2, no_evidence_reason: seen}
  b: {rating: $3, no_evidence_reason: seen}
  c: {rating: $4, no_evidence_reason: seen}
YAML
	ok --as M002 evaluation submit --cycle an --person "$1" "$T/$1.yaml"
}
rate E201 0 0 0 # 0: rated 0
rate E202 0 2 2 # 0.8 + 0.4 = 1.2: nearer 2 than 0 (not 1)
rate E203 2 4 4 # 0.8 + 1.6 + 0.8 = 3.2: nearer 4 than 2 (not 3)
rate E204 4 4 4 # 4
ok cycle advance --cycle an # calibration
# The default guidance (1=0-10 2=5-20 3=40-70 4=15-30 5=0-10) is for a scale of 1 to 5: on this
# one it is refused, nothing written, as a --guidance rating off the scale is (it asked 40-70%
# at 3, so every close was outside it, and the curve placed people at 1, 3 and 5).
run --as E101 calibrate session create --cycle an --population search --facilitator E101 --name dflt
expect_status 2
expect_err "the default guidance is for a performance scale of 1 to 5, not z (0, 2, 4)"
expect_err "--guidance RATING=LOW-HIGH"
run --as E101 calibrate session create --cycle an --population search --facilitator E101 --name dflt \
	--guidance 3=40-70
expect_status 2
expect_err "--guidance '3=40-70': rating 3 is not on the performance scale z (0, 2, 4)"
[ "$(sql "SELECT COUNT(*) FROM calibration_sessions")" = 0 ] || fail "a refused session was written"
ok --as E101 calibrate session create --cycle an --population search --facilitator E101 --name cal \
	--guidance 0=25-25 --guidance 2=25-25 --guidance 4=50-50
ok --as E101 calibrate session status --session cal --json
expect_json '[.agenda[] | select(.evaluated) | "\(.person)=\(.performance_rating)"] | join(" ")' \
	"E201=0 E202=2 E203=4 E204=4"
ok --as E101 calibrate distribution --session cal --json
expect_json .people 4
expect_json '[.population | to_entries[] | "\(.key):\(.value)"] | join(" ")' "0:1 2:1 4:2"
expect_json '[.groups[] | "\(.group) \(.people)"] | join(",")' "M002 4"
# Only the scale's points are listed: 1 and 3 are no one's rating.
expect_json '[.groups[0].counts | keys[]] | join(" ")' "0 2 4"
ok --as E101 calibrate distribution --session cal
expect_out "4 people"
expect_out "(everyone)            4   2.10    1    1    2"
# The close counts the same ratings as the distribution: 1 of 4 at 0, 1 at 2, 2 at 4, inside
# the guidance, so no override is needed.
ok --as E101 calibrate session open --session cal
# A step is one of the scale's: 2 to 4 is one (no flag), 0 to 4 two (moved-more-than-one-step);
# the difference of 2 took both for two. Neither moves a performance rating: E203 scores 4,
# E202 2.8, nearer 2.
ok --as E101 calibrate change --session cal --person E203 --dimension a --rating 4 \
	--reason "led the release" --evidence link:https://wiki.acme.example/release
ok --as E101 calibrate change --session cal --person E202 --dimension a --rating 4 \
	--reason "carried the migration" --evidence link:https://wiki.acme.example/migration
ok --as E101 calibrate session status --session cal --json
expect_json '[.agenda[] | select(.flags | map(.flag) | index("moved-more-than-one-step")) | .person] | join(" ")' "E202"
# Its why writes the ratings by the agenda's rule, as the rest of the agenda does (found
# fixing the conflicts' text: the flag wrote "a moved from 0 to 4").
expect_json '.agenda[] | select(.person == "E202") | .flags[] | select(.flag == "moved-more-than-one-step") | .why' "a moved from 0.00 to 4.00"
ok --as E101 calibrate session close --session cal
expect_out "closed calibration session cal"
expect_no_out "outside"
