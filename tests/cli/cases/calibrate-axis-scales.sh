# Each axis is judged on its own scale. The framework rates performance on 1 to 5 (meets 3),
# impact on 0, 2 and 4 (meets 2) and potential on 1 to 9 (meets 5). The 9-box bins potential
# against 5 and 6, and high-performer-low-impact compares impact with 2. Both used the
# performance scale's meets (3) and its next point (4) for every axis: a potential at meets
# (5) was high, one of 4 (below meets) high too, and an impact at meets (2) low, so a high
# performer at meets on impact was flagged (found in the calibrate hunt). The peers' mean that
# low-visibility weighs is of the competencies on the performance scale.
init_db
ok org import "$FIXTURES/org-small.csv"
w='{L1: t, L2: t, L3: t, L4: t, L5: t, L6: t, M1: t, M2: t, M3: t, M4: t, M5: t}'
wt='{performance: {a: 0.5, b: 0.5}, impact: {c: 1}, potential: {d: 1}}'
file fw.yaml <<YAML
name: Axis scales
scoring: {cap: 1}
scales:
  five: {1: One, 2: Two, 3: Three, 4: Four, 5: Five, meets: 3}
  even: {0: Zero, 2: Two, 4: Four, meets: 2}
  nine: {1: P1, 2: P2, 3: P3, 4: P4, 5: P5, 6: P6, 7: P7, 8: P8, 9: P9, meets: 5}
tracks:
  ic: {name: IC, levels: [{id: L1, name: E1}, {id: L2, name: E2}, {id: L3, name: E3}, {id: L4, name: E4}, {id: L5, name: E5}, {id: L6, name: E6}]}
  manager: {name: Manager, levels: [{id: M1, name: M1}, {id: M2, name: M2}, {id: M3, name: M3}, {id: M4, name: M4}, {id: M5, name: M5}]}
competencies:
  a: {name: A, scale: five, expectations: $w}
  b: {name: B, scale: five, expectations: $w}
  c: {name: C, scale: even, expectations: $w}
  d: {name: D, scale: nine, expectations: $w}
axes:
  performance: {scale: five, description: p}
  impact: {scale: even, description: i}
  potential: {scale: nine, description: q}
profiles:
  backend: {name: B, track: ic, weights: $wt}
  data: {name: D, track: ic, weights: $wt}
  frontend: {name: F, track: ic, weights: $wt}
  manager: {name: M, track: manager, weights: $wt}
questions:
  - {id: s, text: S?, relations: [self, manager, peer, upward, cross_functional], kinds: [checkin, annual, project]}
YAML
ok framework import fw.yaml
ok cycle create an --kind annual --scope search
ok user add --person M002 --role manager
ok user add --person E101 --role people-partner:search
# person a b c d: performance (a + b) / 2, impact c, potential d.
# E201: performance 4 (a step above meets), impact 2 (at meets), potential 5 (at meets).
# E202: performance 3, impact 0, potential 4 (below meets: low).
# E203: performance 5, impact 0 (below meets), potential 9.
# E204: performance 2, impact 4, potential 6 (a step above meets: high).
while read -r p ra rb rc rd; do
	file "$p.yaml" <<YAML
ratings:
  a: {rating: $ra, no_evidence_reason: seen}
  b: {rating: $rb, no_evidence_reason: seen}
  c: {rating: $rc, no_evidence_reason: seen}
  d: {rating: $rd, no_evidence_reason: seen}
YAML
	ok --as M002 evaluation submit --cycle an --person "$p" "$T/$p.yaml"
done <<'PEOPLE'
E201 4 4 2 5
E202 3 3 0 4
E203 5 5 0 9
E204 2 2 4 6
PEOPLE
for p in E201 E203 E204; do
	ok user add --person "$p" --role employee
	ok --as M002 cycle nominate --cycle an --for E202 --reviewer "$p"
done
ok --as E101 calibrate session create --cycle an --population search --facilitator E101 \
	--participants M002 --name cal

ok --as E101 calibrate ninebox --session cal --json
expect_json '[.boxes[] | select(.count > 0) | "\(.performance)/\(.potential):\(.people | join(","))"] | join(" ")' \
	"low/high:E204 moderate/low:E202 high/moderate:E201 high/high:E203"
# The performance axis's thresholds keep their names; each axis's are under thresholds.
expect_json '"\(.moderate_from)-\(.high_from)"' "3-4"
expect_json '[.thresholds | to_entries[] | "\(.key):\(.value.scale):\(.value.moderate_from)-\(.value.high_from)"] | join(" ")' \
	"performance:five:3-4 potential:nine:5-6"
ok --as E101 calibrate ninebox --session cal
expect_out "performance low below 3, high from 4; potential low below 5, high from 6"
expect_out "performance high     potential moderate   1: E201"

ok --as E101 calibrate session status --session cal --json
expect_json '[.agenda[] | select(.evaluated) | "\(.person):\([.flags[].flag] | join("+"))"] | sort | join(" ")' \
	"E201: E202: E203:high-performer-low-impact E204:"
expect_json '.agenda[] | select(.person == "E203") | .flags[0].why' \
	"performance 5.00 but impact 0.00, below meets (2)"

# low-visibility compares the peers' mean with the performance scale, so the mean is of the
# competencies on that scale: three peers rate E202 (no evidence, performance 3) 3 on a and 9
# on d, potential's 1 to 9. The mean of both, 6, was far above 3.5 (half a step above meets)
# and flagged E202; a's 3 is not.
ok cycle advance --cycle an # feedback
for p in E201 E203 E204; do
	file "peer-$p.yaml" <<'YAML'
ratings: {a: 3, d: 9}
YAML
	ok --as "$p" feedback submit --cycle an --for E202 --relation peer "$T/peer-$p.yaml"
done
ok cycle advance --cycle an # the feedback phase closes
ok --as E101 calibrate session status --session cal --json
expect_json '.agenda[] | select(.person == "E202") | "\(.peer_feedback_mean) \([.flags[].flag] | join("+"))"' "3 "
ok cycle advance --cycle an # calibration
ok --as E101 calibrate session open --session cal

# The session's page says each axis's thresholds, and its change form offers each
# competency scale's values (only the performance scale's 1 to 5 were: d could not be moved
# to 7 from the page, and c was offered 1, 3 and 5, which its scale refuses).
printf 'a long enough password\n' >"$T/pw"
ok user passwd E101 --password-file "$T/pw"
serve
jar="$T/jar"
c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=E101&password=a+long+enough+password"
expect_http 303
http GET /calibration/cal -b "$jar"
expect_http 200
grep -qF "Performance: low below 3, moderate from 3 to below 4, high from 4. Potential: low below 5, moderate from 5 to below 6, high from 6." "$T/out" ||
	fail "the page's 9-box note: $(grep -o 'Low is below[^<]*\|Each axis[^<]*' "$T/out")"
grep -qF 'data-performance="high" data-potential="moderate"><ul aria-label="performance high, potential moderate: 1 person"><li>' "$T/out" ||
	fail "E201 is not in the page's high/moderate box"
tr -d '\n' <"$T/out" | sed 's|.*<select id="rating"|<select id="rating"|; s|</select>.*||' >"$T/ratings"
for want in '<optgroup label="A, B">' '<optgroup label="C">' '<optgroup label="D">' \
	'<option value="0">0 - Zero</option>' '<option value="7">7 - P7</option>'; do
	grep -qF "$want" "$T/ratings" || fail "the change form's ratings lack $want: $(cat "$T/ratings")"
done
[ "$(grep -o '<option value="[0-9]*"' "$T/ratings" | wc -l)" -eq 17 ] ||
	fail "expected 5 + 3 + 9 rating options: $(cat "$T/ratings")"
stop_server
