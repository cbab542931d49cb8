# A person merged mid-session keeps their evaluation (review data stays with the record it was
# made for) while their events move to the record they went into. What the room and the close
# know about the events cited as evidence must not change with that move: an incident event
# stays incident data under the blameless rule, and an event cited in the room keeps its date
# and title when the close writes it back.
# Found by a sequence: M002 backs E201's delivery 4 with E201's incident event; the session
# opens; person merge E201 --into E104; the room lowers delivery to 2 with a link. The rule
# looked the event up as E201's, found none (it was E104's now), took it for a plain event,
# and the close wrote a 2 with the incident behind it, counting against E201.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add pagerduty --name pd
ok ingest --source pd "$FIXTURES/pagerduty"
incident=$(sql "SELECT MIN(id) FROM events WHERE kind = 'incident' AND account IS NOT NULL")
[ -n "$incident" ] || fail "no incident event"
ok identity link pagerduty "$(sql "SELECT account FROM events WHERE id = $incident")" --person E201
owner() { sql "SELECT p.employee_id FROM events e JOIN people p ON p.id = e.person_id WHERE e.id = $incident"; }
[ "$(owner)" = E201 ] || fail "the incident is not E201's"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create a26 --kind annual --scope search
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok user add --person E101 --role people-partner:search
file e201.yaml <<YAML
ratings:
  technical_skill: {rating: 3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: 4, evidence: [{kind: event, ref: $incident}]}
  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
YAML
ok --as M002 evaluation submit --cycle a26 --person E201 "$T/e201.yaml"
ok --as E101 calibrate session create --cycle a26 --population search --facilitator E101 \
	--participants M001 --name room --guidance 1=0-100
for _ in 1 2 3; do ok cycle advance --cycle a26; done
ok --as E101 calibrate session open --session room
changes() { sql "SELECT COUNT(*) FROM calibration_changes"; }

# Before the merge: lowering delivery below meets would leave the incident behind it.
lower() {
	run --as M001 calibrate change --session room --person E201 --dimension delivery --rating 2 \
		--reason "slipped twice" --evidence link:https://x.example/slips
	expect_status 3
	expect_err "refused by acceptable-use rule incident-negative-evidence: incident data cannot count against E201"
	expect_err "E201's delivery would be written back as 2.00, below meets (3.00), with event:$incident among its evidence"
	[ "$(changes)" = "$1" ] || fail "a refused change was written: $(changes) changes"
}
lower 0
# The room raises technical skill on the incident's response (allowed: operational work).
ok --as M001 calibrate change --session room --person E201 --dimension technical_skill --rating 4 \
	--reason "ran the response" --evidence "event:$incident"

# The merge moves the event to E104; the evaluation stays E201's.
ok person merge E201 --into E104 --reason "one human under two ids"
[ "$(owner)" = E104 ] || fail "the merge did not move the incident: $(owner)"
lower 1
# The room may still cite the human's event for E201, now under E104 (found in session 41:
# "no event N of E201's").
ok --as M001 calibrate change --session room --person E201 --dimension collaboration --rating 4 \
	--reason "paired on the response" --evidence "event:$incident"
ok --as E101 calibrate session close --session room
expect_out "closed calibration session room: 2 changes, 1 evaluation version written"
[ "$(latest_evaluation E101 a26 E201)" = "2 calibration technical_skill=4 delivery=4 collaboration=4" ] ||
	fail "E201: $(latest_evaluation E101 a26 E201)"
# The room's evidence is written back as the event it cited, with its date and title.
ok --as E101 evaluation history --cycle a26 --person E201 --json
expect_json '.versions[-1].ratings[] | select(.dimension == "technical_skill") | .evidence[0] | "\(.kind) \(.ref) \(.date != null) \(.title != "")"' \
	"event $incident true true"
ok audit verify
