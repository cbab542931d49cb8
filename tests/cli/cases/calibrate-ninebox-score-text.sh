# A calibration agenda writes each score on the side of the 9-box's bins it sits on, in the
# text and on the page alike (found in the metrics hunt: 1.999 read "2.00" beside a box
# moderate from 2 that left it low, and the page wrote 2 where the text wrote 2.00).
# Scale z: meets 2, the next point 3, so low is below 2, moderate 2 to below 3, high from 3.
#   performance = 0.998 x 2 + 0.001 x 3 + 0.001 x 0 = 1.999: low
#   impact      = 0.4 x 2 + 0.4 x 3 + 0.2 x 0 = 2
#   potential   = 0.001 x 2 + 0.998 x 3 + 0.001 x 0 = 2.996: moderate (score_reported's 3.00
#   reads high)
sqlite_only "the agenda's text is a face over the service, whose SQL runs on PostgreSQL in calibrate-score-rounding"
init_db
ok org import "$FIXTURES/org-small.csv"
file fw.yaml <<'YAML'
name: Eighths
scoring: {cap: 1}
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
  backend: {name: B, track: ic, weights: {performance: {a: 0.998, b: 0.001, c: 0.001}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {a: 0.001, b: 0.998, c: 0.001}}}
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
file e.yaml <<'YAML'
ratings:
  a: {rating: 2, no_evidence_reason: seen}
  b: {rating: 3, no_evidence_reason: seen}
  c: {rating: 0, no_evidence_reason: seen}
YAML
ok --as M002 evaluation submit --cycle an --person E201 e.yaml
ok cycle advance --cycle an # calibration
ok --as E101 calibrate session create --cycle an --population search --facilitator E101 --name cal \
	--guidance 2=0-100
ok --as E101 calibrate ninebox --session cal --json
expect_json '.boxes[] | select(.people | index("E201")) | "\(.performance) \(.potential)"' "low moderate"
ok --as E101 calibrate session status --session cal
expect_out "  E201 (search, L4, manager M002): performance 1.999, impact 2.00, potential 2.996; marks"

# The page's agenda writes them as the text does.
printf 'a long enough password\n' >"$T/pw"
ok user passwd E101 --password-file "$T/pw"
serve
jar="$T/jar"
c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=E101&password=a+long+enough+password"
expect_http 303
http GET /calibration/cal -b "$jar"
expect_http 200
grep -qF '<td class="num">1.999</td><td class="num">2.00</td><td class="num">2.996</td>' "$T/out" ||
	fail "the agenda's scores: $(grep -o 'E201.\{0,400\}' "$T/out" | head -1)"
stop_server
