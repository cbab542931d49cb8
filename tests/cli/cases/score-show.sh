# score show: per-axis scores with known answers computed by hand, a metric dimension rated
# by its band, renormalizing when a metric is not cited (with a weight over the cap flagged),
# the dominance flag, the composite beside the axes, plumb explain score:CYCLE:EID printing
# the same, and who may read a score (self, manager, people partner; not a peer, not an admin
# without a people role), each read audited.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
ok identity link github bob --person E201 # bob wrote reviews 2001 (2024-03-01) and 2003 (03-02)
file reviews-given.yaml <<'EOF'
key: reviews_given
name: Reviews given
description: Pull request reviews a person submitted; bots left out.
unit: reviews
direction: higher
indicator: leading
stages: [growth, mature]
scopes: [individual, team]
audiences: [individual, team]
stakeholders: [development]
owner: developer-experience
objectives: [quality]
review_interval_days: 180
incentive_linked: false
formula:
  count: review
  where:
    is_bot: false
EOF
ok metrics define reviews-given.yaml
ok metrics approve reviews_given --version 1 --function development
# backend: performance 0.3/0.3/0.2/0.1 and the metric 0.1; impact with the metric at 0.15;
# potential led by mentoring at 0.4.  reviews_given's bands: 2 reviews rate 2.
file fw.yaml <<'EOF'
name: Score test framework
scales:
  five_point: {1: Well below expectations, 2: Below expectations, 3: Meets expectations, 4: Exceeds expectations, 5: Far exceeds expectations, meets: 3}
tracks:
  ic: {name: IC, levels: [{id: L1, name: E1}, {id: L2, name: E2}, {id: L3, name: E3}, {id: L4, name: E4}, {id: L5, name: E5}, {id: L6, name: E6}]}
  manager: {name: Manager, levels: [{id: M1, name: M1}, {id: M2, name: M2}, {id: M3, name: M3}, {id: M4, name: M4}, {id: M5, name: M5}]}
competencies:
  technical_skill: {name: Technical skill, scale: five_point, expectations: {L1: t, L2: t, L3: t, L4: t, L5: t, L6: t, M1: t, M2: t, M3: t, M4: t, M5: t}}
  delivery: {name: Delivery, scale: five_point, expectations: {L1: d, L2: d, L3: d, L4: d, L5: d, L6: d, M1: d, M2: d, M3: d, M4: d, M5: d}}
  collaboration: {name: Collaboration, scale: five_point, expectations: {L1: c, L2: c, L3: c, L4: c, L5: c, L6: c, M1: c, M2: c, M3: c, M4: c, M5: c}}
  mentoring: {name: Mentoring, scale: five_point, expectations: {L1: m, L2: m, L3: m, L4: m, L5: m, L6: m, M1: m, M2: m, M3: m, M4: m, M5: m}}
axes:
  performance: {scale: five_point, description: meets the level's expectations}
  impact: {scale: five_point, description: scope and outcome}
  potential: {scale: five_point, description: readiness to grow}
profiles:
  backend:
    name: Backend engineer
    track: ic
    weights:
      performance: {technical_skill: 0.3, delivery: 0.3, collaboration: 0.2, mentoring: 0.1, reviews_given: 0.1}
      impact: {delivery: 0.4, technical_skill: 0.3, reviews_given: 0.15, collaboration: 0.15}
      potential: {mentoring: 0.4, collaboration: 0.3, technical_skill: 0.3}
    composite: {performance: 0.5, impact: 0.3, potential: 0.2}
  data: {name: Data, track: ic, weights: {performance: {technical_skill: 0.4, delivery: 0.4, collaboration: 0.2}, impact: {delivery: 0.4, technical_skill: 0.3, collaboration: 0.3}, potential: {mentoring: 0.4, collaboration: 0.3, technical_skill: 0.3}}}
  frontend: {name: Frontend, track: ic, weights: {performance: {technical_skill: 0.4, delivery: 0.4, collaboration: 0.2}, impact: {delivery: 0.4, technical_skill: 0.3, collaboration: 0.3}, potential: {mentoring: 0.4, collaboration: 0.3, technical_skill: 0.3}}}
  manager: {name: Manager, track: manager, weights: {performance: {technical_skill: 0.4, delivery: 0.4, collaboration: 0.2}, impact: {delivery: 0.4, technical_skill: 0.3, collaboration: 0.3}, potential: {mentoring: 0.4, collaboration: 0.3, technical_skill: 0.3}}}
evidence:
  recent_share: 0.5
  metrics:
    reviews_given: {max_weight: 0.15, bands: [{at_least: 10, rating: 4}, {at_least: 3, rating: 3}, {rating: 2}]}
scoring: {dominance: 0.4}
questions:
  - {id: strengths, text: What should they keep doing?, relations: [self, manager, peer, upward, cross_functional], kinds: [checkin, annual, project]}
EOF
ok framework import fw.yaml
ok cycle create annual-2024 --kind annual --scope search --from 2024-01-01 --to 2024-07-01
ok user add --person M002 --role manager                # manager of E201 and E203
ok user add --person E201 --role employee               # the person scored
ok user add --person E202 --role employee               # a peer
ok user add --person E101 --role people-partner:search  # a people partner over search

# E201: technical_skill 4, delivery 3, collaboration 3, mentoring 5; reviews_given cited
# (2 reviews: the last band, rating 2).  Two of collaboration's three dated items are in the
# last quarter (from 2024-05-16T12:00Z): flagged.
file e201.yaml <<'EOF'
ratings:
  technical_skill:
    rating: 4
    evidence:
      - {kind: pull_request, ref: "https://github.com/acme/widgets/pull/101", date: 2024-03-02, title: Widget cache}
      - {kind: metric, ref: reviews_given}
  delivery:
    rating: 3
    evidence:
      - {kind: link, ref: "https://tracker.acme.example/EPIC-4", date: 2024-02-12}
  collaboration:
    rating: 3
    evidence:
      - {kind: document, ref: "https://docs.acme.example/rfc/9", date: 2024-06-01}
      - {kind: design_review, ref: "https://docs.acme.example/dr/2", date: 2024-06-15}
      - {kind: link, ref: "https://chat.acme.example/t/1", date: 2024-02-01}
  mentoring:
    rating: 5
    no_evidence_reason: "mentoring happens in one-to-ones"
case: Arjun carried the widget cache.
EOF
ok --as M002 evaluation submit --cycle annual-2024 --person E201 e201.yaml

# performance = 0.3 x 4 + 0.3 x 3 + 0.2 x 3 + 0.1 x 5 + 0.1 x 2 = 1.2 + 0.9 + 0.6 + 0.5 + 0.2 = 3.4
# impact      = 0.4 x 3 + 0.3 x 4 + 0.15 x 2 + 0.15 x 3 = 1.2 + 1.2 + 0.3 + 0.45 = 3.15
# potential   = 0.4 x 5 + 0.3 x 3 + 0.3 x 4 = 2 + 0.9 + 1.2 = 4.1; mentoring carries 2 / 4.1 = 48.8 %,
#               above the file's dominance of 0.4: flagged
# composite   = 0.5 x 3.4 + 0.3 x 3.15 + 0.2 x 4.1 = 1.7 + 0.945 + 0.82 = 3.465, beside the axes
ok --as M002 score show --cycle annual-2024 --person E201 --json
expect_json '[.axes[] | "\(.axis)=\(.score)"] | join(" ")' "performance=3.4 impact=3.15 potential=4.1"
expect_json '.axes[0].arithmetic' "0.3 x 4 + 0.3 x 3 + 0.2 x 3 + 0.1 x 5 + 0.1 x 2 = 3.4"
expect_json '.axes[0].dimensions | map("\(.dimension):\(.rating):\(.weight):\(.contribution)") | join(" ")' \
	"technical_skill:4:0.3:1.2 delivery:3:0.3:0.9 collaboration:3:0.2:0.6 mentoring:5:0.1:0.5 reviews_given:2:0.1:0.2"
expect_json '.axes[0].dimensions[4] | "\(.metric) \(.metric_value) \(.band) \(.label)"' "true 2 the last band Below expectations"
# A competency's dimension has the same keys, null (before, they were left out).
expect_json '.axes[0].dimensions[0] | "\(.metric) \(has("metric_value")) \(.metric_value) \(has("metric_value_id")) \(has("band")) \(.band)"' \
	"false true null true true null"
expect_json '[.axes[].dimensions[] | keys | join(",")] | unique | length' 1
expect_json '.axes[0].dimensions[0] | "\(.label) \(.share)"' "Exceeds expectations 0.352941176" # 1.2 / 3.4
expect_json '.axes[0].label' "between Meets expectations and Exceeds expectations"
expect_json '[.axes[] | "\(.dominated):\(.dominant)"] | join(" ")' "false:null false:null true:mentoring"
expect_json '.axes[2].top_share' 0.487804878 # 2 / 4.1
expect_json '"\(.composite.score) \(.composite.weights.performance) \(.composite.note)"' \
	"3.465 0.5 shown beside the axes, never instead of them"
expect_json '"\(.framework_version) \(.evaluation.version) \(.evaluation.by)"' "1 1 M002"
expect_json '.axes[0].dimensions[2] | "\(.recency_flag) \(.evidence | length)"' "true 3"
expect_json '.axes[0].dimensions[0].evidence[0] | "\(.kind) \(.ref) \(.date) \(.title)"' \
	"pull_request https://github.com/acme/widgets/pull/101 2024-03-02T00:00:00.000Z Widget cache"
expect_json '.axes[0].dimensions[3].no_evidence_reason' "mentoring happens in one-to-ones"
ok --as M002 score show --cycle annual-2024 --person E201
cp "$T/out" score.txt
expect_out "performance: 3.4 (between Meets expectations and Exceeds expectations)"
expect_out "  = 0.4 x 3 + 0.3 x 4 + 0.15 x 2 + 0.15 x 3 = 3.15"
expect_out "  flag: mentoring carries 48.8% of the potential score, above the dominance threshold 40%"
expect_out "composite (role profile backend), shown beside the axes, never instead of them: 0.5 x performance 3.4 + 0.3 x impact 3.15 + 0.2 x potential 4.1 = 3.465"
expect_out "framework version 1; evaluation version 1 (manager) by M002 at"
expect_out "  collaboration [recency: flagged for review"
expect_out "    metric reviews_given \"Reviews given\" = 2 (plumb explain metric-value:"
# explain score:CYCLE:EID prints the same arithmetic.
ok --as M002 explain score:annual-2024:E201
diff score.txt "$T/out" >/dev/null || fail "explain score: differs from score show: $(diff score.txt "$T/out")"
ok --as M002 explain score:annual-2024:E201 --json
expect_json '.axes[1].score' 3.15
run --as M002 explain score:annual-2024
expect_status 2
expect_err "expected score:CYCLE:EMPLOYEE_ID"

# E203 cites no metric: performance and impact are renormalized over the rated weights.
# performance over 0.9: (0.3 x 4 + 0.3 x 2 + 0.2 x 3 + 0.1 x 3) / 0.9 = 2.7 / 0.9 = 3
# impact over 0.85: (0.4 x 2 + 0.3 x 4 + 0.15 x 3) / 0.85 = 2.45 / 0.85 = 2.882352941, delivery's
#   weight 0.4 / 0.85 = 0.470588235 is above the cap 0.4: flagged
file e203.yaml <<'EOF'
ratings:
  technical_skill: {rating: 4, evidence: [{kind: pull_request, ref: "https://github.com/acme/widgets/pull/7"}]}
  delivery: {rating: 2, evidence: [{kind: link, ref: "https://tracker.acme.example/EPIC-5"}]}
  collaboration: {rating: 3, no_evidence_reason: new to the team}
  mentoring: {rating: 3, no_evidence_reason: new to the team}
EOF
ok --as M002 evaluation submit --cycle annual-2024 --person E203 e203.yaml
ok --as M002 score show --cycle annual-2024 --person E203 --json
expect_json '[.axes[] | "\(.axis)=\(.score):\(.renormalized):\(.capped)"] | join(" ")' \
	"performance=3:true:false impact=2.882352941:true:true potential=3.3:false:false"
expect_json '.axes[0].dimensions | map("\(.dimension):\(.used_weight)") | join(" ")' \
	"technical_skill:0.333333333 delivery:0.333333333 collaboration:0.222222222 mentoring:0.111111111 reviews_given:0"
expect_json '.axes[0].dimensions[4] | "\(.rated) \(.rating) \(.unrated_reason)"' "false null no rating cites this metric as evidence"
expect_json '.axes[1].dimensions[0] | "\(.used_weight) \(.over_cap)"' "0.470588235 true"
ok --as M002 score show --cycle annual-2024 --person E203
expect_out "  reviews_given (metric)  no rating cites this metric as evidence"
expect_out "renormalized: the rated dimensions' weights (0.9 of 1) are scaled to sum to 1"
expect_out "  flag: renormalized, delivery weighs 0.470588, above the cap 0.4"
# The promotion packet shows each axis with the flags score show prints, rounded as it rounds
# them: 48.8 %, not 49 %, and the weight over the cap.
ok --as M002 packet --cycle annual-2024 --person E203 --target-level L3
expect_out "| impact | 2.88 | between Below expectations and Meets expectations | driven by one dimension: technical_skill carries 49.0%, above the dominance threshold 40%; weights renormalized over the rated dimensions; delivery weighs 0.470588, above the cap 0.4 |"
expect_out "| potential | 3.30 |"
ok --as M002 packet --cycle annual-2024 --person E201 --target-level L5
expect_out "| potential | 4.10 | between Exceeds expectations and Far exceeds expectations | driven by one dimension: mentoring carries 48.8%, above the dominance threshold 40% |"
# The composite 3.465 to two decimals, rounded half away from zero as every figure a report
# rounds (docs/review.md): 3.47, not the 3.46 printf("%.2f") gives of the double nearest
# 3.465 (3.46499999...).  HTML alike.
expect_out "Composite, shown beside the axes and never instead of them: 3.47 (performance 0.5, impact 0.3, potential 0.2)."
ok --as M002 packet --cycle annual-2024 --person E201 --target-level L5 --format html
expect_out "Composite, shown beside the axes and never instead of them: 3.47 (performance 0.5, impact 0.3, potential 0.2).</p>"
ok --as M002 packet --cycle annual-2024 --person E201 --target-level L5
# The metric cited is described by the version that computed its value, also once a newer
# version is active and once the metric is retired.
expect_out "2 reviews over the cycle's period."
expect_out "Pull request reviews a person submitted; bots left out. (definition version 1, owner developer-experience; higher is better)."
sed -e 's/^description: .*/description: Approving reviews only (v2)./' -e 's/^unit: reviews/unit: approvals/' \
	reviews-given.yaml >reviews-given-2.yaml
ok metrics define reviews-given-2.yaml
ok metrics approve reviews_given --version 2 --function development
ok --as M002 packet --cycle annual-2024 --person E201 --target-level L5
expect_out "2 reviews over the cycle's period."
expect_out "bots left out. (definition version 1, now deprecated, owner developer-experience"
expect_no_out "(v2)"
expect_no_out "approvals"
ok metrics retire reviews_given --reason "replaced by approvals"
ok --as M002 packet --cycle annual-2024 --person E201 --target-level L5
expect_out "bots left out. (definition version 1, now retired, owner developer-experience"
# Values as a reader reads them, set by hand on the stored evidence and put back after: a
# large count whole (%g wrote 1234567 as 1.23457e+06), a percent metric's fraction 0.9999996
# as 99.99996%, never 100%; the evidence lines and the score's band give the value itself.
cited="kind = 'metric' AND evaluation_id = (SELECT MAX(e.id) FROM evaluations e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E201')"
def="id = (SELECT def_id FROM metric_values WHERE id = (SELECT MAX(metric_value_id) FROM evaluation_evidence WHERE $cited))"
sql "UPDATE evaluation_evidence SET metric_value = 1234567 WHERE $cited"
ok --as M002 packet --cycle annual-2024 --person E201 --target-level L5
expect_out "1234567 reviews over the cycle's period."
expect_out "reviews_given = 1234567 (plumb explain"
ok --as M002 score show --cycle annual-2024 --person E201 # (a read the count below holds)
expect_out "(value 1234567, band: "
sql "UPDATE evaluation_evidence SET metric_value = 0.9999996 WHERE $cited; UPDATE metric_defs SET unit = 'percent' WHERE $def"
ok --as M002 packet --cycle annual-2024 --person E201 --target-level L5
expect_out "99.99996% over the cycle's period."
expect_out "reviews_given = 0.9999996 (plumb explain"
ok --as M002 evaluation history --cycle annual-2024 --person E201
expect_out "= 0.9999996 (plumb explain"
sql "UPDATE evaluation_evidence SET metric_value = 2 WHERE $cited; UPDATE metric_defs SET unit = 'reviews' WHERE $def"

# Who may read E201's score: themselves, their manager, a people partner over them.
# The person reads it once the cycle delivers it (it may still change in calibration).
run --as E201 score show --cycle annual-2024 --person E201
expect_status 3
expect_err "E201's score is shown to them from the delivery phase on"
for _ in 1 2 3 4 5; do ok cycle advance --cycle annual-2024; done
ok --as E201 score show --cycle annual-2024 --person E201 --json
expect_json '.axes[0].score' 3.4
ok --as E101 score show --cycle annual-2024 --person E201
for who in E202 admin; do
	run --as "$who" score show --cycle annual-2024 --person E201
	expect_status 3
	# Outside E202's scope: refused as an unknown id would be (unknown-ids-scope.sh).
	if [ "$who" = admin ]; then expect_err "may not read E201's score"; else expect_err "permission denied: E201 is outside your scope"; fi
	run --as "$who" explain score:annual-2024:E201
	expect_status 3
done
# Each read is audited on the person, each refusal as access.denied.
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'score.show' AND object_type = 'person' AND object_id = 'E201'")" = 7 ] ||
	fail "score reads are not audited: $(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'score.show' AND object_id = 'E201'")"
# (five: the peer, the admin, twice each, and E201 before delivery)
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND (detail LIKE '%score%' OR detail LIKE '%E201 is outside your scope%')")" = 5 ] ||
	fail "refused score reads are not audited"
# Nobody has rated E204 yet.
run --as M002 score show --cycle annual-2024 --person E204
expect_status 4
expect_err "E204 has no evaluation in cycle 'annual-2024' yet"

# Over the API, for the same readers.
serve
http GET /api/v1/cycles/annual-2024/scores/E201 -H "Authorization: Bearer $(token M002 read)"
expect_http 200
expect_json '"\(.axes[0].score) \(.composite.score)"' "3.4 3.465"
http GET /api/v1/cycles/annual-2024/scores/E201 -H "Authorization: Bearer $(token E202 read)"
expect_http 403
http GET /api/v1/explain/score:annual-2024:E201 -H "Authorization: Bearer $(token E201 read)"
expect_http 200
expect_json '.axes[2].score' 4.1
stop_server
ok audit verify
