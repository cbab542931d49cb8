# evaluation submit: who may submit (the manager in the cycle, a people partner over the
# person; not a peer, the person, a skip-level leader or an admin), versions (each a new row;
# a reason from version 2 on), every validation error with FILE:LINE: path: reason and
# nothing written, the recency flag (evidence dated in the last quarter of the period against
# evidence spread out), check-ins without ratings, no new version once the manager_review
# phase has closed (calibration, delivery), and evaluation history with its readers.
init_db
ok org import "$FIXTURES/org-small.csv"
# Four competencies on one scale; levels and profiles as in org-small.csv.
file fw.yaml <<'EOF'
name: Evaluation test framework
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
  backend: {name: Backend, track: ic, weights: {performance: {technical_skill: 0.4, delivery: 0.4, collaboration: 0.2}, impact: {delivery: 0.4, technical_skill: 0.3, collaboration: 0.3}, potential: {mentoring: 0.4, collaboration: 0.3, technical_skill: 0.3}}}
  data: {name: Data, track: ic, weights: {performance: {technical_skill: 0.4, delivery: 0.4, collaboration: 0.2}, impact: {delivery: 0.4, technical_skill: 0.3, collaboration: 0.3}, potential: {mentoring: 0.4, collaboration: 0.3, technical_skill: 0.3}}}
  frontend: {name: Frontend, track: ic, weights: {performance: {technical_skill: 0.4, delivery: 0.4, collaboration: 0.2}, impact: {delivery: 0.4, technical_skill: 0.3, collaboration: 0.3}, potential: {mentoring: 0.4, collaboration: 0.3, technical_skill: 0.3}}}
  manager: {name: Manager, track: manager, weights: {performance: {technical_skill: 0.4, delivery: 0.4, collaboration: 0.2}, impact: {delivery: 0.4, technical_skill: 0.3, collaboration: 0.3}, potential: {mentoring: 0.4, collaboration: 0.3, technical_skill: 0.3}}}
questions:
  - {id: strengths, text: What should they keep doing?, relations: [self, manager, peer, upward, cross_functional], kinds: [checkin, annual, project]}
EOF
ok framework import fw.yaml
# The period is 182 days; its last quarter starts 45.5 days before the end: 2024-05-16T12:00Z.
ok cycle create annual-2024 --kind annual --scope search --from 2024-01-01 --to 2024-07-01
ok user add --person M002 --role manager                # E201's manager
ok user add --person E201 --role employee               # the person rated
ok user add --person E202 --role employee               # a peer
ok user add --person E101 --role people-partner:search  # a people partner over search
ok user add --person H001 --role leader:engineering     # M002's manager: a skip-level

# technical_skill's evidence is two of three in the last quarter (2/3 > recent_share 0.5):
# flagged; delivery's one of three: not; collaboration cites none, with a reason.
file v1.yaml <<'EOF'
ratings:
  technical_skill:
    rating: 4
    evidence:
      - {kind: pull_request, ref: "https://github.com/acme/pay/pull/12", date: 2024-02-01, title: Idempotent refunds}
      - {kind: design_review, ref: "https://docs.acme.example/dr/7", date: 2024-05-20}
      - {kind: document, ref: "https://docs.acme.example/rfc/3", date: 2024-06-15}
  delivery:
    rating: 3
    evidence:
      - {kind: pull_request, ref: "https://github.com/acme/pay/pull/3", date: 2024-01-15}
      - {kind: link, ref: "https://tracker.acme.example/EPIC-9", date: 2024-03-10}
      - {kind: pull_request, ref: "https://github.com/acme/pay/pull/40", date: 2024-06-20}
  collaboration:
    rating: 3
    no_evidence_reason: "joined the team in May; no shared work yet"
  mentoring:
    rating: 2
    evidence:
      - {kind: link, ref: "https://wiki.acme.example/onboarding", date: 2024-04-01, title: Onboarding notes}
case: |
  Arjun carried the refunds rewrite. SECRET-CASE-TEXT
EOF
evals() { sql "SELECT COUNT(*)||' '||(SELECT COUNT(*) FROM evaluation_ratings)||' '||(SELECT COUNT(*) FROM evaluation_evidence)||' '||(SELECT COUNT(*) FROM audit_log WHERE action = 'evaluation.submit' AND detail <> '{\"ok\":false}') FROM evaluations"; }
[ "$(evals)" = "0 0 0 0" ] || fail "evaluations before any submission: $(evals)"

# Nobody but the manager in the cycle and a people partner over the person.
for who in E202 E201 H001 admin; do
	run --as "$who" evaluation submit --cycle annual-2024 --person E201 v1.yaml
	expect_status 3
	# Who may not see E201 is refused as for an unknown id.
	case $who in
	E202) expect_err "E201 is outside your scope" ;;
	*) expect_err "may not submit an evaluation of E201" ;;
	esac
done
[ "$(evals)" = "0 0 0 0" ] || fail "a refused submission wrote: $(evals)"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND (detail LIKE '%submit an evaluation%' OR detail LIKE '%outside your scope%')")" = 4 ] ||
	fail "the refusals were not audited"

# Version 1 by the manager.
ok --as M002 evaluation submit --cycle annual-2024 --person E201 v1.yaml --json
expect_json '"\(.version) \(.ratings) \(.evidence) \(.recency_flags) \(.metric_values)"' "1 4 7 1 0"
expect_out_lines 9
ok --as M002 evaluation submit --cycle annual-2024 --person E203 v1.yaml
expect_out "evaluation of E203 in cycle annual-2024: version 1 stored (4 ratings, 7 evidence items)"
expect_out "1 rating flagged for review: most of the evidence is from the last quarter of the period"
[ "$(evals)" = "2 8 14 2" ] || fail "after two submissions: $(evals)"
[ "$(sql "SELECT e.version||' '||e.source||' '||e.created_by||' '||e.framework_version||' ['||e.reason||']' FROM evaluations e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E201'")" = "1 manager M002 1 []" ] ||
	fail "version 1 is not as submitted"
[ "$(sql "SELECT r.dimension||'='||CAST(r.rating AS INTEGER)||':'||r.recency_flag FROM evaluation_ratings r JOIN evaluations e ON e.id = r.evaluation_id JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E201' ORDER BY r.dimension" | paste -sd' ')" = \
	"collaboration=3:0 delivery=3:0 mentoring=2:0 technical_skill=4:1" ] || fail "ratings of version 1"
# Evidence behind a rating below meets (mentoring 2) is negative; the rest is not.
[ "$(sql "SELECT v.dimension||':'||v.negative FROM evaluation_evidence v JOIN evaluations e ON e.id = v.evaluation_id JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E201' AND v.dimension IN ('mentoring', 'delivery') ORDER BY v.id" | paste -sd' ')" = \
	"delivery:0 delivery:0 delivery:0 mentoring:1" ] || fail "negative evidence not marked"
# The audit entry names ids and the version, not what the ratings say.
detail=$(sql "SELECT detail FROM audit_log WHERE action = 'evaluation.submit' ORDER BY seq LIMIT 1")
[ "$(echo "$detail" | jq -r '"\(.person) \(.version) \(.source) \(.ratings) \(.evidence) \(.recency_flags)"')" = "E201 1 manager 4 7 1" ] ||
	fail "audit detail: $detail"
case $detail in *SECRET* | *refunds* | *joined*) fail "the audit entry holds review text: $detail" ;; esac

# Version 2 needs a reason; without one nothing is written.
before=$(evals)
run --as M002 evaluation submit --cycle annual-2024 --person E201 v1.yaml
expect_status 2
expect_err "E201's evaluation in cycle 'annual-2024' is at version 1: a new version needs a reason"
expect_err "--reason TEXT"
[ "$(evals)" = "$before" ] || fail "a submission without a reason wrote"
# The reason is one line of text without control characters, as every reason (found hunting:
# a newline, a \x01 and a terminal escape were stored and printed by evaluation history).
for bad in "$(printf 'after\nthe one-to-one')" "$(printf 'after\x01')" "$(printf 'after\x1b[2J')" \
	"$(head -c 2001 /dev/zero | tr '\0' r)"; do
	run --as M002 evaluation submit --cycle annual-2024 --person E201 v1.yaml --reason "$bad"
	expect_status 2
	expect_err "--reason must be one line of text of at most 2000 bytes without control characters"
done
[ "$(evals)" = "$before" ] || fail "a submission with a bad reason wrote"
# A people partner may submit too; the spread-out evidence is not flagged.
sed -e 's/date: 2024-05-20/date: 2024-03-20/' -e 's/rating: 4/rating: 5/' v1.yaml >v2.yaml
ok --as E101 evaluation submit --cycle annual-2024 --person E201 v2.yaml --reason "calibrated against the team" --json
expect_json '"\(.version) \(.recency_flags)"' "2 0"
# Version 1 is untouched: nothing is updated in place.
[ "$(sql "SELECT e.version||':'||CAST(r.rating AS INTEGER)||':'||e.created_by FROM evaluation_ratings r JOIN evaluations e ON e.id = r.evaluation_id JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E201' AND r.dimension = 'technical_skill' ORDER BY e.version" | paste -sd' ')" = \
	"1:4:M002 2:5:E101" ] || fail "versions of technical_skill"
# Evidence dated outside the period is stored, with a warning naming where it is (found
# hunting packets: taken silently, and the packet shows it as of the cycle). The period's end
# (--to 2024-07-01) is excluded, as the metrics and the recency flag take it (found hunting:
# evidence dated on it was neither warned of nor counted).
sed -e 's/date: 2024-02-01/date: 2023-12-01/' -e 's/date: 2024-06-20/date: 2024-09-01T10:00:00Z/' \
	-e 's/date: 2024-06-15/date: 2024-07-01/' v1.yaml >v-outside.yaml
ok --as M002 evaluation submit --cycle annual-2024 --person E203 v-outside.yaml --reason "older work" --json
expect_json '.outside_period | length' 3
expect_err "warning: v-outside.yaml:5: ratings.technical_skill.evidence[0].date: 2023-12-01 is before the cycle's period (2024-01-01 to 2024-07-01, the end excluded)"
expect_err "warning: v-outside.yaml:7: ratings.technical_skill.evidence[2].date: 2024-07-01 is after the cycle's period"
expect_err "v-outside.yaml:13: ratings.delivery.evidence[2].date: 2024-09-01T10:00:00.000Z is after the cycle's period"
[ "$(sql "SELECT MAX(e.version) FROM evaluations e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E203'")" = 2 ] ||
	fail "evidence outside the period was not stored"

# E202 writes a self review, which an evaluation may cite.
printf 'answers:\n  strengths: "I shipped the cache"\n' >"$T/self.yaml"
ok --as E202 feedback submit --cycle annual-2024 --for E202 "$T/self.yaml"

# Every validation error names the file, the line, the path and the reason; nothing written.
ratings_rest='  delivery: {rating: 3, no_evidence_reason: x}
  collaboration: {rating: 3, no_evidence_reason: x}
  mentoring: {rating: 3, no_evidence_reason: x}'
bad() { # EXPECTED-MESSAGE, then the file on stdin
	cat >"$T/bad.yaml"
	run --as M002 evaluation submit --cycle annual-2024 --person E202 bad.yaml
	expect_status 1
	expect_err "plumb: error: bad.yaml:$1"
}
before=$(evals)
bad "2: ratings.technical_skill: the rating cites no evidence; cite some, or write a no_evidence_reason saying why there is none" <<EOF
ratings:
  technical_skill: {rating: 4}
$ratings_rest
EOF
bad "2: ratings.technical_skill.rating: 7 is not on scale five_point (1 to 5)" <<EOF
ratings:
  technical_skill: {rating: 7, no_evidence_reason: x}
$ratings_rest
EOF
bad "2: ratings.technical_skill.rating: 'four': expected a whole number from 0 to 10" <<EOF
ratings:
  technical_skill: {rating: four, no_evidence_reason: x}
$ratings_rest
EOF
# A null rating says it has no value (it printed '' as if the file held an empty string).
bad "2: ratings.technical_skill.rating: no value (null): expected a whole number from 0 to 10" <<EOF
ratings:
  technical_skill: {rating: null, no_evidence_reason: x}
$ratings_rest
EOF
bad "2: ratings.technical_skill.rating: no value (null): expected a whole number from 0 to 10" <<EOF
ratings:
  technical_skill: {rating: , no_evidence_reason: x}
$ratings_rest
EOF
bad "2: ratings.technical_skill.rating: '': expected a whole number from 0 to 10" <<EOF
ratings:
  technical_skill: {rating: "", no_evidence_reason: x}
$ratings_rest
EOF
# A quoted ' 4' is no whole number (strtol took it as 4; found in review).
bad "2: ratings.technical_skill.rating: ' 4': expected a whole number from 0 to 10" <<EOF
ratings:
  technical_skill: {rating: " 4", no_evidence_reason: x}
$ratings_rest
EOF
bad "2: ratings.technical_skill: missing required field 'rating'" <<EOF
ratings:
  technical_skill: {no_evidence_reason: x}
$ratings_rest
EOF
bad "1: ratings.mentoring: not rated; cycle 'annual-2024' rates every competency of framework version 1" <<'EOF'
ratings:
  technical_skill: {rating: 4, no_evidence_reason: x}
  delivery: {rating: 3, no_evidence_reason: x}
  collaboration: {rating: 3, no_evidence_reason: x}
EOF
bad "3: ratings.humour: 'humour' is not a competency of framework version 1" <<EOF
ratings:
  technical_skill: {rating: 4, no_evidence_reason: x}
  humour: {rating: 3, no_evidence_reason: x}
$ratings_rest
EOF
bad "2: ratings.technical_skill.evidence[0].kind: 'tweet': expected one of pull_request, document, incident, design_review, feedback, metric, link, event" <<EOF
ratings:
  technical_skill: {rating: 4, evidence: [{kind: tweet, ref: x}]}
$ratings_rest
EOF
bad "2: ratings.technical_skill.evidence[0]: missing required field 'ref'" <<EOF
ratings:
  technical_skill: {rating: 4, evidence: [{kind: link}]}
$ratings_rest
EOF
bad "2: ratings.technical_skill.evidence[0].date: 'last spring': expected a date (YYYY-MM-DD) or an RFC 3339 time" <<EOF
ratings:
  technical_skill: {rating: 4, evidence: [{kind: link, ref: x, date: last spring}]}
$ratings_rest
EOF
# Evidence is of what happened (found in review: 2099 was taken, and counted as recent).
bad "2: ratings.technical_skill.evidence[0].date: '2099-01-01' is still to come" <<EOF
ratings:
  technical_skill: {rating: 4, evidence: [{kind: link, ref: x, date: 2099-01-01}]}
$ratings_rest
EOF
bad "2: ratings.technical_skill.evidence[0].colour: unknown field; the fields are: kind, ref, date, title, negative" <<EOF
ratings:
  technical_skill: {rating: 4, evidence: [{kind: link, ref: x, colour: red}]}
$ratings_rest
EOF
bad "2: ratings.technical_skill.evidence[0].ref: 'abc': an event is cited by its plumb id, a positive number" <<EOF
ratings:
  technical_skill: {rating: 4, evidence: [{kind: event, ref: abc}]}
$ratings_rest
EOF
# Past 64 bits, the id as typed, not the largest one (found in review).
bad "2: ratings.technical_skill.evidence[0].ref: '99999999999999999999': an event is cited by its plumb id, a positive number" <<EOF
ratings:
  technical_skill: {rating: 4, evidence: [{kind: event, ref: "99999999999999999999"}]}
$ratings_rest
EOF
bad "2: ratings.technical_skill.evidence[0].ref: no event 99999 of E202's" <<EOF
ratings:
  technical_skill: {rating: 4, evidence: [{kind: event, ref: 99999}]}
$ratings_rest
EOF
bad "2: ratings.technical_skill.evidence[0].date: the date of event evidence comes from plumb; leave it out" <<EOF
ratings:
  technical_skill: {rating: 4, evidence: [{kind: event, ref: 1, date: 2024-02-01}]}
$ratings_rest
EOF
bad "2: ratings.technical_skill.evidence[0].ref: 'friends' is not a feedback relation (self, manager, peer, upward, cross_functional)" <<EOF
ratings:
  technical_skill: {rating: 4, evidence: [{kind: feedback, ref: friends}]}
$ratings_rest
EOF
bad "2: ratings.technical_skill.evidence[0].ref: cycle 'annual-2024' has no peer feedback about E202 that may be cited" <<EOF
ratings:
  technical_skill: {rating: 4, evidence: [{kind: feedback, ref: peer}]}
$ratings_rest
EOF
bad "2: ratings.technical_skill.evidence[0].ref: no metric definition nosuch_metric" <<EOF
ratings:
  technical_skill: {rating: 4, evidence: [{kind: metric, ref: nosuch_metric}]}
$ratings_rest
EOF
bad "2: ratings.technical_skill.no_evidence_reason: the rating cites evidence; a reason for having none is for ratings without it" <<EOF
ratings:
  technical_skill: {rating: 4, evidence: [{kind: link, ref: x}], no_evidence_reason: y}
$ratings_rest
EOF
bad "2: ratings.technical_skill.evidence: expected a list of evidence items" <<EOF
ratings:
  technical_skill: {rating: 4, evidence: {kind: link, ref: x}}
$ratings_rest
EOF
bad "1: rating: unknown field; the fields are: ratings, case" <<'EOF'
rating: {}
EOF
[ "$(evals)" = "$before" ] || fail "an invalid file wrote: was $before, now $(evals)"

# Feedback evidence cites the self review E202 submitted.
file fb.yaml <<EOF
ratings:
  technical_skill: {rating: 4, evidence: [{kind: feedback, ref: self}]}
$ratings_rest
EOF
ok --as M002 evaluation submit --cycle annual-2024 --person E202 fb.yaml
[ "$(sql "SELECT kind||' '||ref||' '||title FROM evaluation_evidence WHERE kind = 'feedback'")" = "feedback self self feedback" ] ||
	fail "feedback evidence"

# History: every version with who, when, why and its ratings.
# The person reads it once the cycle delivers it (it may still change in calibration).
run --as E201 evaluation history --cycle annual-2024 --person E201
expect_status 3
expect_err "E201's evaluation is shown to them from the delivery phase on"
ok cycle advance --cycle annual-2024
ok cycle advance --cycle annual-2024
# Manager review is over: only calibration changes the evaluation now, and nothing is written.
ok cycle advance --cycle annual-2024
before=$(evals)
run --as M002 evaluation submit --cycle annual-2024 --person E201 v2.yaml --reason "late thoughts"
expect_status 5
expect_err "the manager_review phase of cycle 'annual-2024' closed at "
expect_err ": the evaluation can no longer change"
expect_err "plumb calibrate change"
[ "$(evals)" = "$before" ] || fail "an evaluation was stored after manager review closed"
ok cycle advance --cycle annual-2024
ok cycle advance --cycle annual-2024
run --as M002 evaluation submit --cycle annual-2024 --person E201 v2.yaml --reason "in delivery"
expect_status 5
expect_err "the manager_review phase of cycle 'annual-2024' closed at "
[ "$(evals)" = "$before" ] || fail "an evaluation was stored in delivery"
ok --as E201 evaluation history --cycle annual-2024 --person E201 --json
expect_json '[.versions[] | "\(.version) \(.source) \(.by) \(.reason)"] | join(",")' \
	"1 manager M002 ,2 manager E101 calibrated against the team"
expect_json '.versions[0].ratings | map("\(.dimension)=\(.rating):\(.recency_flag)") | join(" ")' \
	"technical_skill=4:true delivery=3:false collaboration=3:false mentoring=2:false"
expect_json '.versions[1].ratings[0] | "\(.rating) \(.label) \(.recency_flag)"' "5 Far exceeds expectations false"
expect_json '.versions[0].ratings[2].no_evidence_reason' "joined the team in May; no shared work yet"
expect_json '.versions[0].ratings[0].evidence[0] | "\(.kind) \(.ref) \(.date) \(.title)"' \
	"pull_request https://github.com/acme/pay/pull/12 2024-02-01T00:00:00.000Z Idempotent refunds"
ok --as M002 evaluation history --cycle annual-2024 --person E201
expect_out "version 2 (manager) by E101 at "
expect_out ": calibrated against the team"
expect_out "  technical_skill: 4 Exceeds expectations [recency: flagged for review]"
expect_out "    no evidence: joined the team in May; no shared work yet"
expect_out "  case: Arjun carried the refunds rewrite."
ok --as E101 evaluation history --cycle annual-2024 --person E201
ok --as H001 evaluation history --cycle annual-2024 --person E201 # in the leader's chain
for who in E202 admin; do
	run --as "$who" evaluation history --cycle annual-2024 --person E201
	expect_status 3
	# Outside E202's scope: refused as an unknown id would be (unknown-ids-scope.sh).
	if [ "$who" = admin ]; then expect_err "may not read E201's evaluation"; else expect_err "permission denied: E201 is outside your scope"; fi
done
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'evaluation.history' AND object_type = 'person' AND object_id = 'E201'")" = 4 ] ||
	fail "history reads are not audited on the person"

# A check-in without ratings refuses them, and takes the manager's case alone.
ok cycle create checkin-q2 --kind checkin --scope search --from 2024-04-01 --to 2024-07-01 --ratings no
run --as M002 evaluation submit --cycle checkin-q2 --person E201 v1.yaml
expect_status 1
expect_err "v1.yaml:1: ratings: cycle 'checkin-q2' collects no ratings (a check-in without ratings); leave ratings out"
file case.yaml <<'EOF'
case: On track; the refunds work shipped.
EOF
ok --as M002 evaluation submit --cycle checkin-q2 --person E201 case.yaml --json
expect_json '"\(.version) \(.ratings)"' "1 0"
# Someone outside the cycle, and an unknown cycle.
run --as E101 evaluation submit --cycle annual-2024 --person E101 v1.yaml
expect_status 4
expect_err "E101 is not reviewed in cycle 'annual-2024'"
run --as M002 evaluation submit --cycle nosuch --person E201 v1.yaml
expect_status 4
ok audit verify
