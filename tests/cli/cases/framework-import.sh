# The career framework: examples/framework.yaml imports (after its two evidence metrics are
# defined and active) as version 1, with the counts written in it; export gives the text
# back byte for byte; the same text again stores nothing; a changed copy is version 2 and
# diff names what changed in readable terms; every import is audited.
init_db
for f in reviews-given prs-merged; do ok metrics define "$ROOT/examples/metrics/$f.yaml"; done
ok metrics approve reviews_given --version 1 --function development
expect_out "now active"
ok metrics approve prs_merged --version 1 --function development
expect_out "now active"

cp "$ROOT/examples/framework.yaml" fw.yaml
ok framework import fw.yaml
expect_out "framework version 1 imported"
[ "$(sql "SELECT version || ' ' || imported_by FROM frameworks")" = "1 admin" ] || fail "version 1 not stored"

ok framework show --json
expect_json .version 1
expect_json .name "Example Software engineering career framework"
expect_json '.tracks | length' 2
expect_json '[.tracks[].levels[]] | length' 10
expect_json '[.tracks[].levels[].id] | join(",")' L1,L2,L3,L4,L5,L6,M1,M2,M3,M4
expect_json '.competencies | length' 6
expect_json '"\(.scales.five_point.meets) \(.scales.five_point.points | map(.value) | join(","))"' "3 1,2,3,4,5"
expect_json '[.competencies[].expectations | length] | unique | join(",")' 10
expect_json '.profiles | length' 6
expect_json '.evidence.metrics | keys | join(",")' prs_merged,reviews_given
expect_json '.evidence.metrics.reviews_given.bands | map(.rating) | join(",")' 5,4,3,2
expect_json '.profiles[] | select(.id == "sre") | .weights.performance.operational_excellence' 0.4
expect_json '"\(.scoring.cap) \(.anonymity.threshold) \(.anonymity.partner_sees_authors | join(",")) \(.assignments.peers_min)-\(.assignments.peers_max) \(.assignments.reviewer_cap) \(.checkin_ratings)"' \
	"0.4 3 peer,cross_functional 3-5 8 false"
expect_json '.questions | length' 9

ok framework export
cmp -s "$T/out" fw.yaml || fail "export is not the imported text"

# The same text again: no new version, and no audit entry.
audit_before=$(sql "SELECT COUNT(*) FROM audit_log")
ok framework import fw.yaml
expect_out "framework unchanged: the file is version 1"
ok framework import fw.yaml --json
expect_json .version 1
expect_json .unchanged true
[ "$(sql "SELECT COUNT(*) FROM frameworks")" = 1 ] || fail "an unchanged import stored a version"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$audit_before" ] || fail "an unchanged import was audited"

# Version 2: the backend profile weighs technical skill more than delivery on performance,
# and a senior engineer's delivery expectation grows from weeks to months.
sed -e 's/performance: {technical_skill: 0.3, delivery: 0.3, collaboration: 0.2, operational_excellence: 0.1, reviews_given: 0.1}/performance: {technical_skill: 0.4, delivery: 0.2, collaboration: 0.2, operational_excellence: 0.1, reviews_given: 0.1}/' \
	-e 's/L3: Leads multi-week projects inside the team/L3: Leads multi-month projects inside the team/' \
	fw.yaml >fw2.yaml
[ "$(diff fw.yaml fw2.yaml | grep -c '^>')" = 2 ] || fail "the sed changed $(diff fw.yaml fw2.yaml | grep -c '^>') lines, not 2"
ok framework import fw2.yaml
expect_out "framework version 2 imported"
ok framework diff 1 2
expect_out "profile backend performance weight of technical_skill: 0.3 -> 0.4"
expect_out "profile backend performance weight of delivery: 0.3 -> 0.2"
expect_out 'competency delivery expectation at L3: "Leads multi-week projects inside the team, planning milestones, managing scope and dependencies, and shipping in increments." -> "Leads multi-month projects inside the team, planning milestones, managing scope and dependencies, and shipping in increments."'
expect_out_lines 3
ok framework diff 2 2
expect_out "say the same"
# An axis's description and a track's name are part of what a diff names.
sed -e 's/^    name: Individual contributor$/    name: Engineer/' \
	-e 's/^    description: What changed for customers, the team or the company because of the person.s work in this period\.$/    description: What changed for customers./' \
	fw.yaml >fw3.yaml
[ "$(diff fw.yaml fw3.yaml | grep -c '^>')" = 2 ] || fail "the sed changed $(diff fw.yaml fw3.yaml | grep -c '^>') lines, not 2"
ok framework import fw3.yaml
ok framework diff 1 3
expect_out "track ic: Individual contributor -> Engineer"
expect_out "axis impact description: \"What changed for customers, the team or the company because of the person's work in this period.\" -> \"What changed for customers.\""
expect_out_lines 2
# Numbers are named as the file reads them: %g wrote 1000000 and 1000001 both as 1e+06, and
# a changed band bound or share read "say the same" (import v4, then diff 3 4).
sed -e 's/at_least: 40, rating: 5/at_least: 1000000, rating: 5/' -e 's/recent_share: 0.5/recent_share: 0.1234567/' \
	fw3.yaml >fw4.yaml
sed -e 's/at_least: 1000000, rating: 5/at_least: 1000001, rating: 5/' -e 's/recent_share: 0.1234567/recent_share: 0.12345671/' \
	fw4.yaml >fw5.yaml
ok framework import fw4.yaml
ok framework import fw5.yaml
ok framework diff 4 5
expect_out "evidence metric reviews_given: max weight 0.15, bands at least 1000000: 5; at least 20: 4; at least 8: 3; otherwise 2 -> max weight 0.15, bands at least 1000001: 5; at least 20: 4; at least 8: 3; otherwise 2"
expect_out "evidence recent share: 0.1234567 -> 0.12345671"
expect_out_lines 2
ok framework import fw3.yaml # back to version 3's text: version 6
ok framework diff 3 6
expect_out "say the same"
ok framework export --version 1
cmp -s "$T/out" fw.yaml || fail "version 1 changed"
ok framework export
cmp -s "$T/out" fw3.yaml || fail "export of the newest is not version 3's text (as version 6)"
ok framework show --json
expect_json .version 6
ok framework show --version 1 --json
expect_json .version 1

ok audit log --json
expect_json '[.[] | select(.action == "framework.import")] | map(.object_id) | join(",")' 1,2,3,4,5,6
expect_json '[.[] | select(.action == "framework.import")][1].detail.replaces' 1
