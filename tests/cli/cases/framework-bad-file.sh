# A bad framework file is exit status 1 with FILE:LINE: the path in the document: the
# reason, one case per check of docs/review.md; nothing is stored and nothing audited.
ok init
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

# The weights of an axis sum to 1.
sed 's/operational_excellence: 0.1, reviews_given: 0.1}/operational_excellence: 0.05, reviews_given: 0.1}/' good.yaml >sum.yaml
bad sum "sum.yaml:$(line_of sum.yaml 'operational_excellence: 0.05'): profiles.backend.weights.performance: the weights sum to 0.95; expected 1"

# No weight above scoring.cap (0.4).
sed 's/performance: {operational_excellence: 0.4, technical_skill: 0.3,/performance: {operational_excellence: 0.5, technical_skill: 0.2,/' good.yaml >cap.yaml
bad cap "cap.yaml:$(line_of cap.yaml 'operational_excellence: 0.5'): profiles.sre.weights.performance.operational_excellence: 0.5 is above the cap 0.4"

# No metric weight above its max_weight (0.15).
sed 's/performance: {technical_skill: 0.4, delivery: 0.3, collaboration: 0.2, reviews_given: 0.1}/performance: {technical_skill: 0.3, delivery: 0.3, collaboration: 0.2, reviews_given: 0.2}/' good.yaml >maxweight.yaml
bad maxweight "maxweight.yaml:$(line_of maxweight.yaml 'reviews_given: 0.2}'): profiles.data.weights.performance.reviews_given: 0.2 is above the metric's max_weight 0.15"

# The composite sums to 1 too.
sed '/^    track: manager$/,/composite/s/composite: {performance: 0.5, impact: 0.3, potential: 0.2}/composite: {performance: 0.5, impact: 0.3, potential: 0.3}/' good.yaml >composite.yaml
bad composite "composite.yaml:$(line_of composite.yaml 'potential: 0.3}'): profiles.manager.composite: the weights sum to 1.10; expected 1"

# Every level has an expectation for every competency.
grep -v '^      L4: Leads projects that span several teams' good.yaml >expectation.yaml
bad expectation "expectation.yaml:$(($(line_of expectation.yaml '^  delivery:') + 3)): competencies.delivery.expectations: no expectation for level L4"

# A profile names a known track and known competencies (or evidence metrics).
sed '/^  sre:$/,/^  manager:$/s/^    track: ic$/    track: ops/' good.yaml >track.yaml
[ "$(grep -c 'track: ops' track.yaml)" = 1 ] && [ "$(grep -c '^    track: ic$' track.yaml)" = 3 ] || fail "track.yaml is not what the case means"
bad track "track.yaml:$(line_of track.yaml 'track: ops'): profiles.sre.track: 'ops': expected one of ic, manager"
sed 's/impact: {leadership: 0.4, delivery: 0.3, collaboration: 0.3}/impact: {leadershp: 0.4, delivery: 0.3, collaboration: 0.3}/' good.yaml >competency.yaml
bad competency "competency.yaml:$(line_of competency.yaml 'leadershp'): profiles.manager.weights.impact.leadershp: not a competency or an evidence metric"

# An evidence metric exists in the catalogue and allows the individual scope.
insert_after '^  metrics:$' '    lines_changed:
      max_weight: 0.1
      bands:
        - {rating: 3}' >nometric.yaml
bad nometric "nometric.yaml:$(line_of nometric.yaml 'lines_changed:'): evidence.metrics.lines_changed: no metric lines_changed in the catalogue"
insert_after '^  metrics:$' '    deployment_frequency:
      max_weight: 0.1
      bands:
        - {rating: 3}' >teammetric.yaml
bad teammetric "teammetric.yaml:$(line_of teammetric.yaml 'deployment_frequency:'): evidence.metrics.deployment_frequency: the metric's definition does not allow the individual scope"

# A key given twice in one mapping (YAML would keep the last silently).
insert_after '^      L1: Owns their tasks' '      L1: Owns their tasks.' >twice.yaml
bad twice "twice.yaml:$(line_of twice.yaml '^      L1: Owns their tasks\.$'): competencies.leadership.expectations.L1: given twice"

# An unknown field, with the fields that are known.
insert_after '^    name: Frontend engineer$' '    level: L3' >unknown.yaml
bad unknown "unknown.yaml:$(line_of unknown.yaml '^    level: L3'): profiles.frontend.level: unknown field"

# A required field missing.
sed '/^axes:$/,/^    description: How ready/d' good.yaml >noaxes.yaml
bad noaxes "noaxes.yaml:"
expect_err "axes: field is missing"
sed '/^  potential:$/,/^    description: How ready/d' good.yaml >noaxis.yaml
bad noaxis "noaxis.yaml:$(line_of noaxis.yaml '^axes:$'):"
expect_err "axes.potential: field is missing"

# A scale whose meets is not among its values.
sed 's/^    meets: 3$/    meets: 6/' good.yaml >meets.yaml
bad meets "meets.yaml:$(line_of meets.yaml '^    meets: 6'): scales.five_point.meets: 6 is not one of the scale's values (1 to 5)"

# The last band has no condition (it catches every value).
sed '/^    prs_merged:$/,/^scoring:/s/- {rating: 2}/- {at_least: 1, rating: 2}/' good.yaml >band.yaml
bad band "band.yaml:$(line_of band.yaml 'at_least: 1, rating: 2'): evidence.metrics.prs_merged.bands: the last band has a condition; it must match every value"

ok framework import good.yaml
expect_out "framework version 1 imported"
