# A bad framework file is exit status 1 with FILE:LINE: the path in the document: the
# reason, one case per check of docs/review.md; nothing is stored and nothing audited.
init_db
for f in reviews-given prs-merged; do ok metrics define "$ROOT/examples/metrics/$f.yaml"; done
ok metrics approve reviews_given --version 1 --function development
ok metrics approve prs_merged --version 1 --function development
state() { sql "SELECT (SELECT COUNT(*) FROM frameworks)||' '||(SELECT COUNT(*) FROM audit_log)"; }
before=$(state)
cp "$ROOT/examples/framework.yaml" good.yaml
# bad NAME EXPECTED-STDERR: NAME.yaml is refused with exit 1 and that message, storing nothing.
bad() {
	run framework import "$1.yaml"
	expect_status 1
	expect_err "plumb: error: $2"
	[ "$(state)" = "$before" ] || fail "$1.yaml wrote something: $(state) vs $before"
}
# line_of FILE PATTERN: the line of the first match.
line_of() { grep -n -m1 -- "$2" "$1" | cut -d: -f1; }
# insert_after PATTERN TEXT: good.yaml with the lines TEXT after the first line matching PATTERN.
insert_after() { awk -v pat="$1" -v text="$2" '{ print } !done && $0 ~ pat { print text; done = 1 }' good.yaml; }

# A name spelt with a terminal escape in a double-quoted scalar (found in review).
sed 's/^name: .*/name: "Acme \\e[2J ladder"/' good.yaml >escape.yaml
bad escape "escape.yaml:$(line_of escape.yaml '^name:'):"
expect_err "name: a control character (byte 0x1B at 6): expected text"
# A number no double holds is out of range, not "expected a number" (found in the calibrate
# hunt: 1e-400 is one, and lies between 0 and 1).
sed 's/^  recent_share: 0.5$/  recent_share: 1e-400/' good.yaml >tiny.yaml
bad tiny "tiny.yaml:$(line_of tiny.yaml 'recent_share: 1e-400'): evidence.recent_share: '1e-400': out of range: nonzero but too close to 0 for a double to hold (write 0 for zero)"
# The weights of an axis sum to 1.
sed 's/operational_excellence: 0.1, reviews_given: 0.1}/operational_excellence: 0.05, reviews_given: 0.1}/' good.yaml >sum.yaml
bad sum "sum.yaml:$(line_of sum.yaml 'operational_excellence: 0.05'): profiles.backend.weights.performance: the weights sum to 0.95; expected 1"

# Weights written as percents are told to be shares (found hunting: "expected a number from 0
# to 1" only), with a % and without.
sed 's/performance: {operational_excellence: 0.4, technical_skill: 0.3,/performance: {operational_excellence: 40%, technical_skill: 0.3,/' good.yaml >percent.yaml
bad percent "percent.yaml:$(line_of percent.yaml 'operational_excellence: 40%'): profiles.sre.weights.performance.operational_excellence: '40%': expected a share from 0 to 1: write 0.4, not 40%"
sed '0,/composite: {performance: 0.5,/s/composite: {performance: 0.5,/composite: {performance: 50,/' good.yaml >percent2.yaml
bad percent2 "percent2.yaml:$(line_of percent2.yaml 'performance: 50,'): profiles.backend.composite.performance: '50': expected a share from 0 to 1: write 0.5, not 50%"

# No weight above scoring.cap (0.4).
sed 's/performance: {operational_excellence: 0.4, technical_skill: 0.3,/performance: {operational_excellence: 0.5, technical_skill: 0.2,/' good.yaml >cap.yaml
bad cap "cap.yaml:$(line_of cap.yaml 'operational_excellence: 0.5'): profiles.sre.weights.performance.operational_excellence: 0.5 is above the cap of 0.4: no single competency or metric may carry more of an axis (scoring.cap)"

# No metric weight above its max_weight (0.15).
sed 's/performance: {technical_skill: 0.4, delivery: 0.3, collaboration: 0.2, reviews_given: 0.1}/performance: {technical_skill: 0.3, delivery: 0.3, collaboration: 0.2, reviews_given: 0.2}/' good.yaml >maxweight.yaml
bad maxweight "maxweight.yaml:$(line_of maxweight.yaml 'reviews_given: 0.2}'): profiles.data.weights.performance.reviews_given: 0.2 is above the metric's max_weight of 0.15 (evidence.metrics.reviews_given)"

# A weight of 0 is left out instead.
sed 's/performance: {technical_skill: 0.3, delivery: 0.3, collaboration: 0.3, prs_merged: 0.1}/performance: {technical_skill: 0.4, delivery: 0.3, collaboration: 0.3, prs_merged: 0}/' good.yaml >zero.yaml
bad zero "zero.yaml:$(line_of zero.yaml 'prs_merged: 0}'): profiles.frontend.weights.performance.prs_merged: a weight must be above 0; leave out what does not count"

# A single weight is compared with the cap exactly (the slack is for sums).
sed 's/performance: {operational_excellence: 0.4, technical_skill: 0.3,/performance: {operational_excellence: 0.4004, technical_skill: 0.2996,/' good.yaml >capslack.yaml
bad capslack "capslack.yaml:$(line_of capslack.yaml 'operational_excellence: 0.4004'): profiles.sre.weights.performance.operational_excellence: 0.4004 is above the cap of 0.4"

# A weight just above the cap is written in full, not as the cap (%g wrote "0.4 is above the
# cap of 0.4"; found hunting scores), and so is one just above a metric's max_weight.
sed 's/performance: {operational_excellence: 0.4, technical_skill: 0.3,/performance: {operational_excellence: 0.4000001, technical_skill: 0.2999999,/' good.yaml >capfull.yaml
bad capfull "capfull.yaml:$(line_of capfull.yaml 'operational_excellence: 0.4000001'): profiles.sre.weights.performance.operational_excellence: 0.4000001 is above the cap of 0.4"
sed 's/performance: {technical_skill: 0.4, delivery: 0.3, collaboration: 0.2, reviews_given: 0.1}/performance: {technical_skill: 0.3499999, delivery: 0.3, collaboration: 0.2, reviews_given: 0.1500001}/' good.yaml >maxfull.yaml
bad maxfull "maxfull.yaml:$(line_of maxfull.yaml 'reviews_given: 0.1500001}'): profiles.data.weights.performance.reviews_given: 0.1500001 is above the metric's max_weight of 0.15 (evidence.metrics.reviews_given)"

# An axis and the competencies it weighs share one scale.
insert_after '^scales:' '  three_point: {1: Low, 2: Medium, 3: High, meets: 2}' | sed '/^  potential:/,/^  [a-z]/s/scale: five_point/scale: three_point/' >axisscale.yaml
grep -q "three_point" axisscale.yaml || fail "axisscale.yaml was not made"
bad axisscale "axisscale.yaml:"
expect_err "the potential axis is on 'three_point': a weighted sum needs one scale"

# A band's rating is a value of the axes' scale, reported at the band.
sed '0,/{rating: 2}/s/{rating: 2}/{rating: 7}/' good.yaml >bandrating.yaml
bad bandrating "bandrating.yaml:$(line_of bandrating.yaml 'rating: 7'): evidence.metrics.reviews_given.bands[3].rating: 7 is not a value of the performance axis's scale 'five_point' (profile backend weighs reviews_given on it)"

# An anonymity threshold below 3: with two responses each writer could tell the other's.
sed 's/^  threshold: 3$/  threshold: 2/' good.yaml >threshold.yaml
bad threshold "threshold.yaml:$(line_of threshold.yaml 'threshold: 2'): anonymity.threshold: '2': expected a whole number from 3 to 50"

# The composite sums to 1 too.
sed '/^    track: manager$/,/composite/s/composite: {performance: 0.5, impact: 0.3, potential: 0.2}/composite: {performance: 0.5, impact: 0.3, potential: 0.3}/' good.yaml >composite.yaml
bad composite "composite.yaml:$(line_of composite.yaml 'potential: 0.3}'): profiles.manager.composite: the axis weights sum to 1.1; expected 1"

# Every level has an expectation for every competency.
grep -v '^      L4: Leads projects that span several teams' good.yaml >expectation.yaml
bad expectation "expectation.yaml:$(line_of expectation.yaml '^      L1: Finishes well-scoped tasks'): competencies.delivery.expectations: level L4 (track ic) has no expectation; every level needs one for every competency"

# A profile names a known track and known competencies (or evidence metrics).
sed '/^  sre:$/,/^  manager:$/s/^    track: ic$/    track: ops/' good.yaml >track.yaml
[ "$(grep -c 'track: ops' track.yaml)" = 1 ] && [ "$(grep -c '^    track: ic$' track.yaml)" = $(($(grep -c '^    track: ic$' good.yaml) - 1)) ] || fail "track.yaml is not what the case means"
bad track "track.yaml:$(line_of track.yaml 'track: ops'): profiles.sre.track: 'ops' is not a track defined under tracks"
sed 's/impact: {leadership: 0.4, delivery: 0.3, collaboration: 0.3}/impact: {leadershp: 0.4, delivery: 0.3, collaboration: 0.3}/' good.yaml >competency.yaml
bad competency "competency.yaml:$(line_of competency.yaml 'leadershp'): profiles.manager.weights.impact.leadershp: 'leadershp' is neither a competency nor a metric listed under evidence.metrics"

# An evidence metric exists in the catalogue and allows the individual scope.
insert_after '^  metrics:$' '    lines_changed:
      max_weight: 0.1
      bands:
        - {at_least: 10, rating: 4}
        - {rating: 3}' >nometric.yaml
bad nometric "nometric.yaml:$(line_of nometric.yaml 'lines_changed:'): evidence.metrics.lines_changed: no metric definition lines_changed"
expect_err "hint: define it first: plumb metrics define FILE.yaml"
insert_after '^  metrics:$' '    deployment_frequency:
      max_weight: 0.1
      bands:
        - {at_least: 10, rating: 4}
        - {rating: 3}' >teammetric.yaml
bad teammetric "teammetric.yaml:$(line_of teammetric.yaml 'deployment_frequency:'): evidence.metrics.deployment_frequency: the metric's definition (version 1) allows the scopes org,team,service, not individual, so it cannot be evidence about a person"

# A key given twice in one mapping (YAML would keep the last silently).
insert_after '^      L1: Owns their tasks' '      L1: Owns their tasks.' >twice.yaml
bad twice "twice.yaml:$(line_of twice.yaml '^      L1: Owns their tasks\.$'): competencies.leadership.expectations.L1: given twice"

# One scale value under two spellings of its key (found in review).
for spelling in 01 +1; do
	insert_after '^    1: Well below expectations$' "    $spelling: Far below expectations" >twovalues.yaml
	bad twovalues "twovalues.yaml:$(line_of twovalues.yaml "^    $spelling: Far below"): scales.five_point.$spelling: the value 1 is given twice"
done

# An unknown field, with the fields that are known.
insert_after '^    name: Frontend engineer$' '    level: L3' >unknown.yaml
bad unknown "unknown.yaml:$(line_of unknown.yaml '^    level: L3'): profiles.frontend.level: unknown field in profiles.frontend; the fields are: name, track, weights, composite"
# A key given twice deep in the file is named by its full path (found in review).
insert_after '^      performance: {technical_skill: 0.3, delivery: 0.3, collaboration: 0.2, operational_excellence: 0.1, reviews_given: 0.1}$' \
	'      performance: {technical_skill: 0.3, delivery: 0.3, collaboration: 0.2, operational_excellence: 0.1, reviews_given: 0.1}' >dupaxis.yaml
bad dupaxis "dupaxis.yaml:$(($(line_of dupaxis.yaml '^      performance: {technical_skill: 0.3, delivery: 0.3, collaboration: 0.2, operational_excellence') + 1)): profiles.backend.weights.performance: given twice"
insert_after '^    name: Individual contributor$' '    name: IC' >duptrack.yaml
bad duptrack "duptrack.yaml:$(line_of duptrack.yaml '^    name: IC$'): tracks.ic.name: given twice"
# At the top, a field is named alone.
insert_after '^name: ' 'name: Again' >duptop.yaml
bad duptop "duptop.yaml:$(line_of duptop.yaml '^name: Again$'): name: given twice"

# A required field missing.
sed '/^axes:$/,/^    description: How ready/d' good.yaml >noaxes.yaml
bad noaxes "noaxes.yaml:$(line_of noaxes.yaml '^name:'): framework: missing required field 'axes'"
sed '/^  potential:$/,/^    description: How ready/d' good.yaml >noaxis.yaml
bad noaxis "noaxis.yaml:$(line_of noaxis.yaml '^  performance:$'): axes: missing required field 'potential'"

# A scale whose meets is not among its values.
sed 's/^    meets: 3$/    meets: 6/' good.yaml >meets.yaml
bad meets "meets.yaml:$(line_of meets.yaml '^    meets: 6'): scales.five_point.meets: 6 is not one of the scale's values"

# The last band has no condition (it catches every value).
sed '/^    prs_merged:$/,/^scoring:/s/- {rating: 2}/- {at_least: 1, rating: 2}/' good.yaml >band.yaml
bad band "band.yaml:$(line_of band.yaml 'at_least: 1, rating: 2'): evidence.metrics.prs_merged.bands[3]: the last band takes everything the others did not: give it only a rating"

# A composite over axes on different scales: performance on 1 to 5 and potential on 1 to 9 made
# one number on neither (found hunting scores), as an axis's competencies share its scale. An
# axis the composite gives no weight may be on its own scale.
w='{L1: t, L2: t, L3: t, L4: t, L5: t, L6: t, M1: t, M2: t, M3: t, M4: t, M5: t}'
wt='{performance: {a: 0.4, b: 0.4, c: 0.2}, impact: {a: 0.4, b: 0.4, c: 0.2}, potential: {d: 1}}'
mixed() {
	cat <<YAML
name: Mixed scales
scoring: {cap: 1}
scales:
  five: {1: One, 2: Two, 3: Three, 4: Four, 5: Five, meets: 3}
  nine: {1: P1, 2: P2, 3: P3, 4: P4, 5: P5, 6: P6, 7: P7, 8: P8, 9: P9, meets: 5}
tracks:
  ic: {name: IC, levels: [{id: L1, name: E1}, {id: L2, name: E2}, {id: L3, name: E3}, {id: L4, name: E4}, {id: L5, name: E5}, {id: L6, name: E6}]}
  manager: {name: Manager, levels: [{id: M1, name: M1}, {id: M2, name: M2}, {id: M3, name: M3}, {id: M4, name: M4}, {id: M5, name: M5}]}
competencies:
  a: {name: A, scale: five, expectations: $w}
  b: {name: B, scale: five, expectations: $w}
  c: {name: C, scale: five, expectations: $w}
  d: {name: D, scale: nine, expectations: $w}
axes:
  performance: {scale: five, description: p}
  impact: {scale: five, description: i}
  potential: {scale: nine, description: q}
profiles:
  backend:
    name: B
    track: ic
    weights: $wt
    composite: $1
questions:
  - {id: s, text: S?, relations: [self, manager, peer, upward, cross_functional], kinds: [checkin, annual, project]}
YAML
}
mixed '{performance: 0.5, impact: 0.3, potential: 0.2}' >composite.yaml
bad composite "composite.yaml:$(line_of composite.yaml '^    composite:'): profiles.backend.composite: the performance axis is on scale 'five' and the potential axis on 'nine': a weighted sum needs one scale"
mixed '{performance: 0.6, impact: 0.4}' >composite-two.yaml

# A file in UTF-16 is refused, not stored cut at its first NUL byte, which left a version
# that framework show, export and every cycle on it could not read (found hunting).
iconv -f UTF-8 -t UTF-16 good.yaml >utf16.yaml
bad utf16 "utf16.yaml:1: the file is UTF-16, not UTF-8"

# A metric key that is also a competency's id: a profile's weight on it scored the metric's
# band and left the manager's rating of the competency unused, unsaid (found hunting scores).
# collide.yaml has the mentoring competency again as reviews_given.
awk '/^  mentoring:$/ { grab = 1 } grab && /^  operational_excellence:$/ { grab = 0; sub(/^  mentoring:/, "  reviews_given:", copy); printf "%s", copy }
	grab { copy = copy $0 "\n" } { print }' good.yaml >collide.yaml
[ "$(grep -c '^  reviews_given:$' collide.yaml)" = 1 ] || fail "collide.yaml was not made"
bad collide "collide.yaml:$(grep -n '^    reviews_given:$' collide.yaml | cut -d: -f1): evidence.metrics.reviews_given: 'reviews_given' is also a competency's id: a profile's weight on it could not tell which it means; rename the competency"

# Two points of a scale with one label: "between X and Y" and "rated N (label)" could not
# tell them apart (found in review).
sed 's/^    2: Below expectations$/    2: Well below expectations/' good.yaml >labels.yaml
bad labels "labels.yaml:$(line_of labels.yaml '^    2: Well below'): scales.five_point.2: the label 'Well below expectations' is also value 1's: each value needs its own label"
# Nor one label in two cases: a reader takes "well below expectations" for value 1's
# (found in session 52: accepted).
sed 's/^    2: Below expectations$/    2: well below EXPECTATIONS/' good.yaml >labelcase.yaml
bad labelcase "labelcase.yaml:$(line_of labelcase.yaml '^    2: well below'): scales.five_point.2: the label 'well below EXPECTATIONS' is also value 1's (as 'Well below expectations', in another case): each value needs its own label"
# Fewer peers allowed than the anonymity threshold: every peer group would be withheld for
# good (found in review), whether the maximum or the threshold is the one set.
sed 's/^  peers: {min: 3, max: 5}$/  peers: {min: 2, max: 2}/' good.yaml >peers.yaml
bad peers "peers.yaml:$(line_of peers.yaml 'max: 2}'): assignments.peers.max: at most 2 peers (assignments.peers.max) can never reach the anonymity threshold of 3 responses (anonymity.threshold)"
sed -e 's/^  threshold: 3$/  threshold: 6/' -e '/^  peers: {min: 3, max: 5}$/d' good.yaml >threshold6.yaml
bad threshold6 "threshold6.yaml:$(line_of threshold6.yaml 'threshold: 6'): anonymity.threshold: at most 5 peers (assignments.peers.max) can never reach the anonymity threshold of 6 responses"
# No peers at all withholds nothing: accepted, as is a maximum at the threshold.
sed 's/^  peers: {min: 3, max: 5}$/  peers: {min: 0, max: 0}/' good.yaml >nopeers.yaml
sed 's/^  peers: {min: 3, max: 5}$/  peers: {min: 3, max: 3}/' good.yaml >peers3.yaml
ok framework import good.yaml
expect_out "framework version 1 imported"
for f in nopeers peers3; do ok framework import $f.yaml; done
ok framework import composite-two.yaml
expect_out "framework version 4 imported"
