# Metric and incident evidence in evaluations, under the acceptable-use rules: a team-level
# metric (deployment_frequency) is refused as evidence about a person (exit 3, rule
# team-metric-on-person named, nothing written, policy.refused audited; over the API a 403);
# an individual metric the framework lists is computed for the person over the cycle's
# period and stored with its lineage (plumb explain works on it); one it does not list is
# invalid; an incentive-linked one needs sign-off; incident data that counts against the
# person is refused under incident-negative-evidence; a metric or an event from a source not
# shared with the manager is refused.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
ok identity link github bob --person E201 # bob wrote reviews 2001 (2024-03-01) and 2003 (03-02)
ok source add pagerduty --name pd
ok ingest --source pd "$FIXTURES/pagerduty"
incident=$(sql "SELECT MIN(id) FROM events WHERE kind = 'incident' AND account IS NOT NULL")
[ -n "$incident" ] || fail "no incident event"
# The incident is E201's: evidence cites only the person's own events.
ok identity link pagerduty "$(sql "SELECT account FROM events WHERE id = $incident")" --person E201
[ "$(sql "SELECT p.employee_id FROM events e JOIN people p ON p.id = e.person_id WHERE e.id = $incident")" = E201 ] ||
	fail "the incident is not attributed to E201"

# Individual metrics: reviews a person wrote; merged pull requests (not in the framework);
# an incentive-linked one without sign-off.
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
sed -e 's/reviews_given/prs_authored/' -e 's/count: review/count: pull_request/' reviews-given.yaml >prs.yaml
sed -e 's/reviews_given/bonus_reviews/' -e 's/incentive_linked: false/incentive_linked: true/' reviews-given.yaml >bonus.yaml
for f in reviews-given.yaml prs.yaml bonus.yaml; do ok metrics define "$f"; done
for k in reviews_given prs_authored bonus_reviews; do ok metrics approve "$k" --version 1 --function development; done
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
axes:
  performance: {scale: five_point, description: meets the level's expectations}
  impact: {scale: five_point, description: scope and outcome}
  potential: {scale: five_point, description: readiness to grow}
profiles:
  backend: {name: Backend, track: ic, weights: {performance: {technical_skill: 0.4, delivery: 0.4, reviews_given: 0.2}, impact: {delivery: 0.5, technical_skill: 0.5}, potential: {technical_skill: 0.5, delivery: 0.5}}}
  data: {name: Data, track: ic, weights: {performance: {technical_skill: 0.5, delivery: 0.5}, impact: {delivery: 0.5, technical_skill: 0.5}, potential: {technical_skill: 0.5, delivery: 0.5}}}
  frontend: {name: Frontend, track: ic, weights: {performance: {technical_skill: 0.5, delivery: 0.5}, impact: {delivery: 0.5, technical_skill: 0.5}, potential: {technical_skill: 0.5, delivery: 0.5}}}
  manager: {name: Manager, track: manager, weights: {performance: {technical_skill: 0.5, delivery: 0.5}, impact: {delivery: 0.5, technical_skill: 0.5}, potential: {technical_skill: 0.5, delivery: 0.5}}}
scoring: {cap: 0.5}
evidence:
  metrics:
    reviews_given: {max_weight: 0.2, bands: [{at_least: 10, rating: 4}, {at_least: 2, rating: 3}, {rating: 2}]}
    bonus_reviews: {max_weight: 0.2, bands: [{at_least: 10, rating: 4}, {rating: 2}]}
questions:
  - {id: strengths, text: What should they keep doing?, relations: [self, manager, peer, upward, cross_functional], kinds: [checkin, annual, project]}
EOF
ok framework import fw.yaml
ok cycle create annual-2024 --kind annual --scope search --from 2024-01-01 --to 2024-07-01
ok user add --person M002 --role manager
ok user add --person E201 --role employee
state() { sql "SELECT (SELECT COUNT(*) FROM evaluations)||' '||(SELECT COUNT(*) FROM evaluation_evidence)||' '||(SELECT COUNT(*) FROM metric_values)"; }
refusals() { sql "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.refused' AND object_id = '$1'"; }
submit() { # FILE: technical_skill cites what FILE's line says; delivery has a reason
	run --as M002 evaluation submit --cycle annual-2024 --person E201 "$1"
}
evidence_file() { # NAME RATING EVIDENCE-ITEM
	file "$1" <<EOF
ratings:
  technical_skill:
    rating: $2
    evidence:
      - $3
  delivery: {rating: 3, no_evidence_reason: "no delivery this period"}
EOF
}

# A team-level metric as evidence about a person: refused by the rule, nothing written.
before=$(state)
evidence_file team.yaml 4 '{kind: metric, ref: deployment_frequency}'
submit team.yaml
expect_status 3
expect_err "plumb: error: refused by acceptable-use rule team-metric-on-person: metric 'deployment_frequency' cannot be attached as evidence to person E201"
expect_err "not individual"
expect_err "detail: the evidence is at team.yaml:5: ratings.technical_skill.evidence[0]"
[ "$(state)" = "$before" ] || fail "a refused submission wrote: was $before, now $(state)"
[ "$(refusals team-metric-on-person)" = 1 ] || fail "the refusal was not audited"
[ "$(sql "SELECT actor FROM audit_log WHERE action = 'policy.refused'")" = M002 ] || fail "the refusal does not name who"
[ "$(sql "SELECT detail FROM audit_log WHERE action = 'policy.refused'" | jq -r .op)" = evaluation.submit ] ||
	fail "the refusal does not name the operation"

# An individual metric the framework does not list is invalid input.
evidence_file unlisted.yaml 4 '{kind: metric, ref: prs_authored}'
submit unlisted.yaml
expect_status 1
expect_err "unlisted.yaml:5: ratings.technical_skill.evidence[0].ref: metric 'prs_authored' is not among the evidence.metrics of framework version 1"
# An incentive-linked metric without leadership sign-off.
evidence_file bonus.yaml 4 '{kind: metric, ref: bonus_reviews}'
submit bonus.yaml
expect_status 3
expect_err "refused by acceptable-use rule incentive-needs-signoff"
[ "$(refusals incentive-needs-signoff)" = 1 ] || fail "the sign-off refusal was not audited"
[ "$(state)" = "$before" ] || fail "a refused or invalid submission wrote"

# Someone else's event is not evidence about E201 (nor a way to read its title).
other=$(sql "SELECT MIN(e.id) FROM events e LEFT JOIN people p ON p.id = e.person_id WHERE p.employee_id IS NULL OR p.employee_id <> 'E201'")
evidence_file other.yaml 4 "{kind: event, ref: $other}"
submit other.yaml
expect_status 1
expect_err "other.yaml:5: ratings.technical_skill.evidence[0].ref: no event $other of E201's"
[ "$(state)" = "$before" ] || fail "someone else's event was accepted"

# Incident data that counts against the person: a plumb incident event behind a rating below
# meets, or an incident said to be negative.
evidence_file low.yaml 2 "{kind: event, ref: $incident}"
submit low.yaml
expect_status 3
expect_err "refused by acceptable-use rule incident-negative-evidence: incident data cannot count against E201"
expect_err "the evidence is at low.yaml:5: ratings.technical_skill.evidence[0]"
evidence_file neg.yaml 4 '{kind: incident, ref: "INC-7", negative: true}'
submit neg.yaml
expect_status 3
expect_err "refused by acceptable-use rule incident-negative-evidence"
[ "$(refusals incident-negative-evidence)" = 2 ] || fail "the incident refusals were not audited"
[ "$(state)" = "$before" ] || fail "a refused incident wrote"

# Data ownership (found in review): with gh owned by payments and not shared with search, M002
# may not attach E201's reviews_given, a count of gh's reviews (exit 3, access.denied, where
# the file asked for it), nor cite E201's review from gh as theirs; nothing is written.
ok source owner gh payments
file own.yaml <<'EOF'
ratings:
  technical_skill:
    rating: 4
    evidence:
      - {kind: metric, ref: reviews_given}
  delivery: {rating: 3, no_evidence_reason: "no delivery this period"}
EOF
submit own.yaml
expect_status 3
expect_err "permission denied: E201's reviews_given counts the review events of source gh"
expect_err "the evidence is at own.yaml:5: ratings.technical_skill.evidence[0]"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND actor = 'M002'")" = 1 ] ||
	fail "the refusal was not audited"
review=$(sql "SELECT MIN(e.id) FROM events e JOIN people p ON p.id = e.person_id WHERE e.kind = 'review' AND p.employee_id = 'E201'")
evidence_file review.yaml 4 "{kind: event, ref: $review}"
submit review.yaml
expect_status 1
expect_err "review.yaml:5: ratings.technical_skill.evidence[0].ref: no event $review of E201's"
[ "$(state)" = "$before" ] || fail "evidence from a source not shared with M002 wrote"
ok source share gh --with search
# An event is cited by its id as plumb writes it: digits without a sign, a space or a leading
# zero (found hunting: ' N', '+N' and '0N' were stored as written, and a consent withdrawal
# that deletes the event, which finds its citations by the id, left them its title and time).
before=$(state)
for ref in "\" $incident\"" "\"+$incident\"" "0$incident"; do
	evidence_file odd.yaml 4 "{kind: event, ref: $ref}"
	submit odd.yaml
	expect_status 1
	expect_err "an event is cited by its plumb id, a positive number"
done
[ "$(state)" = "$before" ] || fail "an event cited by an odd spelling of its id was stored"

# The individual metric the framework lists: E201's reviews over the cycle's period (2), with
# the incident they handled as evidence for a good rating (not negative: allowed).
file good.yaml <<EOF
ratings:
  technical_skill:
    rating: 4
    evidence:
      - {kind: metric, ref: reviews_given}
      - {kind: event, ref: $incident}
  delivery: {rating: 3, no_evidence_reason: "no delivery this period"}
EOF
ok --as M002 evaluation submit --cycle annual-2024 --person E201 good.yaml --json
expect_json '"\(.version) \(.evidence) \(.metric_values)"' "1 2 1"
value_id=$(sql "SELECT metric_value_id FROM evaluation_evidence WHERE kind = 'metric'")
[ "$(sql "SELECT CASE WHEN metric_value = 2 THEN 'two' END||' '||title FROM evaluation_evidence WHERE kind = 'metric'")" = "two Reviews given" ] ||
	fail "metric evidence: $(sql "SELECT metric_value||' '||title FROM evaluation_evidence WHERE kind = 'metric'")"
# 2024-01-01 and 2024-07-01 in ms: the cycle's period.
[ "$(sql "SELECT v.scope||' '||p.employee_id||' '||CASE WHEN v.value = 2 THEN 'two' END||' '||v.period_start||' '||v.period_end FROM metric_values v JOIN people p ON p.id = v.scope_id WHERE v.id = $value_id")" = \
	"individual E201 two 1704067200000 1719792000000" ] || fail "the stored value is not E201's over the period"
[ "$(sql "SELECT kind||' '||negative||' '||occurred_at FROM evaluation_evidence WHERE kind = 'event'")" = \
	"event 0 $(sql "SELECT occurred_at FROM events WHERE id = $incident")" ] || fail "event evidence takes the event's time"
# Its lineage: the two reviews.
ok --as M002 explain "metric-value:$value_id" --json
expect_json '"\(.scope) \(.scope_name) \(.value.value)"' "individual E201 2"
expect_json '[.inputs[].external_id] | join(",")' "2001,2003"
# The audit entry names the value.
[ "$(sql "SELECT detail FROM audit_log WHERE action = 'evaluation.submit' AND detail <> '{\"ok\":false}'" | jq -c .metric_values)" = "[$value_id]" ] ||
	fail "the audit entry does not name the metric value"

# Over the API: the same refusal is a 403 naming the rule, and nothing is written; a good
# file is stored as the next version.
serve
tok=$(token M002 write)
before=$(state)
http POST /api/v1/cycles/annual-2024/evaluations/E201?reason=again -H "Authorization: Bearer $tok" \
	-H 'Content-Type: application/yaml' --data-binary @team.yaml
expect_http 403
expect_json .error.code policy_refused
expect_json '.error.message | startswith("refused by acceptable-use rule team-metric-on-person:")' true
[ "$(state)" = "$before" ] || fail "a refused API submission wrote"
[ "$(refusals team-metric-on-person)" = 2 ] || fail "the API refusal was not audited"
http POST /api/v1/cycles/annual-2024/evaluations/E201?reason=again -H "Authorization: Bearer $tok" \
	-H 'Content-Type: application/yaml' --data-binary @good.yaml
expect_http 200
expect_json .version 2
# No body: a 400 that asks for one, not for the command's FILE argument (found in review).
http POST /api/v1/cycles/annual-2024/evaluations/E201?reason=again -H "Authorization: Bearer $tok"
expect_http 400
expect_json .error.message "this route needs a request body: the document 'plumb evaluation submit' reads from FILE"
http GET /api/v1/cycles/annual-2024/evaluations/E201 -H "Authorization: Bearer $tok"
expect_http 200
expect_json '[.versions[] | "\(.version):\(.reason)"] | join(" ")' "1: 2:again"
stop_server

# E201 withdraws consent to incident data collected about them, under a policy that deletes
# it then: the evaluations that cited the incident keep the citation and the rating, not the
# incident's title or time (found in review: the evidence kept copies of deleted events).
awk '/key: incident_participation/ { inc = 1 } inc && /consent: not-required/ {
	print "    consent: required"; print "    without_consent: skip"; print "    on_withdrawal: delete"; inc = 0; next } { print }' \
	"$ROOT/examples/policy.yaml" >consent-policy.yaml
grep -q "on_withdrawal: delete" consent-policy.yaml || fail "the policy was not rewritten"
ok policy import consent-policy.yaml
ok --as E201 consent grant --mechanism incident_participation
[ "$(sql "SELECT COUNT(*) FROM evaluation_evidence WHERE kind = 'event' AND ref = '$incident' AND occurred_at IS NOT NULL")" -ge 1 ] ||
	fail "no evidence cites the incident before the withdrawal"
# A legal hold on evaluations, or on the manager who wrote one, keeps the evidence as it is,
# so the incident it cites stays, counted as held (found hunting: the withdrawal deleted the
# incident and took the held evidence's title and time with it).  Released, withdrawing
# again deletes it.
evidence() { sql "SELECT title, occurred_at FROM evaluation_evidence WHERE kind = 'event' AND ref = '$incident' ORDER BY id"; }
held_evidence=$(evidence)
writer=$(sql "SELECT created_by FROM evaluations e JOIN evaluation_evidence x ON x.evaluation_id = e.id WHERE x.kind = 'event' AND x.ref = '$incident' ORDER BY e.id LIMIT 1")
[ "$writer" = M002 ] || fail "test setup: the evidence was written by $writer"
for hold in "--category evaluations" "--person M002"; do
	ok hold add $hold --reason "litigation over the 2024 reviews"
	hold_id=$(sql "SELECT MAX(id) FROM legal_holds")
	ok consent withdraw --person E201 --mechanism incident_participation --json
	expect_json '.held_kept' 1
	[ "$(sql "SELECT COUNT(*) FROM events WHERE id = $incident")" = 1 ] || fail "hold $hold: the withdrawal deleted the cited incident"
	[ "$(evidence)" = "$held_evidence" ] || fail "hold $hold: the held evidence changed: $(evidence)"
	ok hold release "$hold_id" --reason "settled"
	ok --as E201 consent grant --mechanism incident_participation
done
ok --as E201 consent withdraw --mechanism incident_participation
[ "$(sql "SELECT COUNT(*) FROM events WHERE id = $incident")" = 0 ] || fail "the withdrawal kept the incident"
[ "$(sql "SELECT COUNT(*) FROM evaluation_evidence WHERE kind = 'event' AND ref = '$incident' AND (occurred_at IS NOT NULL OR title <> '(removed when its person withdrew consent)')")" = 0 ] ||
	fail "evidence kept the deleted incident's title or time: $(sql "SELECT title, occurred_at FROM evaluation_evidence WHERE kind = 'event'")"
[ "$(sql "SELECT COUNT(*) FROM evaluation_evidence WHERE kind = 'event' AND ref = '$incident'")" -ge 1 ] ||
	fail "the citation itself went"

# With leadership sign-off the incentive-linked metric may be cited; a policy that no longer
# names one of the two who approved takes the sign-off back, and the citation is refused
# again (found in review: the former approver's approval still counted).
ok policy import "$FIXTURES/aup/policy.yaml"
for p in H001 M001; do ok user add --person "$p" --role leader; done
ok signoff request bonus_reviews
ok --as H001 signoff approve 1 --reason "tied to review quality"
ok --as M001 signoff approve 1 --reason "agreed with finance"
ok --as M002 evaluation submit --cycle annual-2024 --person E201 bonus.yaml --reason "with sign-off"
sed 's/approvers: \[H001, M001, M002\]/approvers: [H001, M002, E101]/' "$FIXTURES/aup/policy.yaml" >without-m001.yaml
ok policy import without-m001.yaml
before=$(state)
run --as M002 evaluation submit --cycle annual-2024 --person E201 bonus.yaml --reason "once more"
expect_status 3
expect_err "sign-off 1 is pending with 1 of 2 approvals, not counting 1 by people the policy no longer names as approvers"
[ "$(state)" = "$before" ] || fail "a refused submission wrote"
ok audit verify
