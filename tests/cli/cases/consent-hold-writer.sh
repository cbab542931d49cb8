# A legal hold on the manager who WROTE an evaluation (not its subject) keeps the events it
# cites as evidence from a consent withdrawal of the reviewee's, as retention keeps them
# (holds.h: a person hold covers what they wrote about others), and counts them in held_kept,
# said to an admin but never to the person withdrawing their own consent. Released, the next
# withdrawal deletes them and the evidence keeps only its citation.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E201 --role employee
ok source add pagerduty --name pd
ok ingest --source pd "$FIXTURES/pagerduty"
cited=$(sql "SELECT MAX(id) FROM events")
account=$(sql "SELECT account FROM events WHERE id = $cited")
ok identity link pagerduty "$account" --person E201
mine() { sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E201'"; }
[ "$(mine)" = 1 ] || fail "setup: E201 has $(mine) events, want the one cited"
awk '/key: incident_participation/ { inc = 1 } inc && /consent: not-required/ {
	print "    consent: required"; print "    without_consent: skip"; print "    on_withdrawal: delete"; inc = 0; next } { print }' \
	"$ROOT/examples/policy.yaml" >policy.yaml
grep -q "on_withdrawal: delete" policy.yaml || fail "the policy was not rewritten"
ok policy import policy.yaml
ok --as E201 consent grant --mechanism incident_participation
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create a26 --kind annual --scope search
ok user add --person M002 --role manager
file e201.yaml <<YAML
ratings:
  technical_skill: {rating: 4, evidence: [{kind: event, ref: $cited}]}
  delivery: {rating: 3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
YAML
ok --as M002 evaluation submit --cycle a26 --person E201 "$T/e201.yaml"
ok hold add --person M002 --reason "case 2026-77: the writer's reviews"

# E201's own withdrawal keeps the cited event, telling them of no hold.
ok --as E201 consent withdraw --mechanism incident_participation --json
expect_json '"\(.held_kept) \(.event_versions_held_kept)"' "null null"
[ "$(sql "SELECT COUNT(*) FROM events WHERE id = $cited")" = 1 ] || fail "the held evaluation's evidence was deleted"
ok --as E201 consent withdraw --mechanism incident_participation
expect_no_out "hold"
# An admin's withdrawal is told what the hold kept, as is its audit entry.
ok consent withdraw --person E201 --mechanism incident_participation --json
expect_json '"\(.deleted.events) \(.held_kept)"' "0 1"
ok audit log --object person:E201 --json
expect_json '[.[] | select(.action == "consent.withdraw")][-1].detail.held_kept' 1
# Released, the next withdrawal deletes it; the evaluation keeps the citation and its rating.
ok hold release 1 --reason "case closed"
ok consent withdraw --person E201 --mechanism incident_participation --json
expect_json '"\(.deleted.events) \(.held_kept)"' "1 0"
ok --as M002 evaluation history --cycle a26 --person E201 --json
expect_json '.versions[-1].ratings[] | select(.dimension == "technical_skill") | "\(.rating) \(.evidence[0].ref) \(.evidence[0].title)"' \
	"4 $cited (removed when its person withdrew consent)"
ok audit verify
