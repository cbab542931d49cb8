# The agenda's flags and the 9-box count the performance scale's steps, not its units:
# one step above meets is the scale's next point, half a step halfway to it. On a scale of
# 0, 2 and 4 (meets 2) meets + 1 took 3 as a step above meets, so a performance of 3 was
# high-performer-low-impact and high on the 9-box, and a peer mean of 2.67 (meets + 0.5 took
# 2.5) low-visibility (found in the calibrate hunt). On a scale of 1 to 5 nothing changes.
#
# scenario SCALE MEETS GUIDANCE... then per person "A B C" and the peers' ratings of a:
# E201 and E203 are rated only by their manager; E202 and E204 by three peers each.
scenario() {
	init_db
	ok org import "$FIXTURES/org-small.csv"
	local w='{L1: t, L2: t, L3: t, L4: t, L5: t, L6: t, M1: t, M2: t, M3: t, M4: t, M5: t}'
	local wt='{performance: {a: 0.5, b: 0.5}, impact: {c: 1}, potential: {a: 0.5, b: 0.5}}'
	file fw.yaml <<YAML
name: Steps
scoring: {cap: 1}
scales:
  z: $1
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
	for p in E201 E202 E203 E204; do ok user add --person "$p" --role employee; done
	for r in E201 E203 E204; do ok --as M002 cycle nominate --cycle an --for E202 --reviewer "$r"; done
	for r in E201 E202 E203; do ok --as M002 cycle nominate --cycle an --for E204 --reviewer "$r"; done
	local p ratings
	for p in E201 E202 E203 E204; do
		case $p in E201) ratings=$2 ;; E202) ratings=$3 ;; E203) ratings=$4 ;; E204) ratings=$5 ;; esac
		read -r ra rb rc <<<"$ratings"
		file "$p.yaml" <<YAML
ratings:
  a: {rating: $ra, no_evidence_reason: seen}
  b: {rating: $rb, no_evidence_reason: seen}
  c: {rating: $rc, no_evidence_reason: seen}
YAML
		ok --as M002 evaluation submit --cycle an --person "$p" "$T/$p.yaml"
	done
	ok --as E101 calibrate session create --cycle an --population search --facilitator E101 \
		--participants M002 --name cal $6
	ok cycle advance --cycle an # feedback
	# peer FOR REVIEWER RATING_OF_A
	peer() {
		file "peer-$1-$2.yaml" <<YAML
ratings: {a: $3}
YAML
		ok --as "$2" feedback submit --cycle an --for "$1" --relation peer "$T/peer-$1-$2.yaml"
	}
	local i=0 r
	read -r -a pe202 <<<"$7"
	for r in E201 E203 E204; do peer E202 "$r" "${pe202[$i]}"; i=$((i + 1)); done
	i=0
	read -r -a pe204 <<<"$8"
	for r in E201 E202 E203; do peer E204 "$r" "${pe204[$i]}"; i=$((i + 1)); done
	ok cycle advance --cycle an # the feedback phase closes
}
flags() {
	ok --as E101 calibrate session status --session cal --json
	expect_json '[.agenda[] | select(.evaluated) | "\(.person):\([.flags[].flag] | sort | join("+"))"] | sort | join(" ")' "$1"
}
boxes() {
	ok --as E101 calibrate ninebox --session cal --json
	expect_json '"\(.moderate_from)-\(.high_from)"' "$1"
	expect_json '[.boxes[] | select(.count > 0) | "\(.performance)/\(.potential):\(.people | sort | join(","))"] | join(" ")' "$2"
}

# 0, 2 and 4, meets 2: one step above meets is 4, half a step 3.
# E201: performance (4 + 2) / 2 = 3, impact 0: not a step above meets, and moderate.
# E202: rated 2, peers 2, 2 and 4 (mean 2.67): not half a step above meets (3).
# E203: performance 4, impact 0: a step above meets, and high.
# E204: rated 2, peers 4, 4 and 2 (mean 3.33): half a step above meets and above the
# performance score (2 + half the step from 2 to 4 is 3).
scenario "{0: Zero, 2: Two, 4: Four, meets: 2}" "4 2 0" "2 2 2" "4 4 0" "2 2 2" \
	"--guidance 0=0-100 --guidance 2=0-100 --guidance 4=0-100" "2 2 4" "4 4 2"
flags "E201: E202: E203:high-performer-low-impact E204:low-visibility"
expect_out "peers rate them 3.33 on average"
boxes 2-4 "moderate/moderate:E201,E202,E204 high/high:E203"
ok --as E101 calibrate ninebox --session cal
expect_out "low below 2, high from 4"
# The session's page says the same (it read "moderate from 2 to below 3, high from 3").
printf 'a long enough password\n' >"$T/pw"
ok user passwd E101 --password-file "$T/pw"
serve
jar="$T/jar"
c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=E101&password=a+long+enough+password"
expect_http 303
http GET /calibration/cal -b "$jar"
expect_http 200
grep -qF "Low is below the scale's meets (2), moderate from 2 to below 4, high from 4." "$T/out" ||
	fail "the page's 9-box note: $(grep -o 'Low is below[^<]*' "$T/out")"
stop_server

# 1 to 5, meets 3: one step above meets is 4, half a step 3.5, as before.
# E201: performance 3.5, impact 1: below 4, moderate. E202: peers 3, 3, 4 (3.33): below 3.5.
# E203: performance 4, impact 1: flagged, high. E204: rated 3, peers 4, 4, 3 (3.67): flagged.
reset_db
scenario "{1: One, 2: Two, 3: Three, 4: Four, 5: Five, meets: 3}" "4 3 1" "3 3 3" "4 4 1" "3 3 3" \
	"" "3 3 4" "4 4 3"
flags "E201: E202: E203:high-performer-low-impact E204:low-visibility"
boxes 3-4 "moderate/moderate:E201,E202,E204 high/high:E203"
ok --as E101 calibrate ninebox --session cal
expect_out "low below 3, high from 4"
