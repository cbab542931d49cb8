# An event cited as evidence before schema 23 could be stored as written: ' 7', '+7', '07'
# (read then as event 7). Plumb now reads only '7' as event 7, so such a citation went
# unresolved: an incident behind a rating the room lowered below meets passed the blameless
# rule as a plain event. The upgrade rewrites each as the id, in evaluations' evidence and in
# a calibration change's evidence list, and leaves what was never an event id alone.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add pagerduty --name pd
ok ingest --source pd "$FIXTURES/pagerduty"
incident=$(sql "SELECT MIN(id) FROM events WHERE kind = 'incident' AND account IS NOT NULL")
[ -n "$incident" ] || fail "no incident event"
ok identity link pagerduty "$(sql "SELECT account FROM events WHERE id = $incident")" --person E201
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create a26 --kind annual --scope search
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok user add --person E101 --role people-partner:search
file e201.yaml <<YAML
ratings:
  technical_skill: {rating: 3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: 4, evidence: [{kind: event, ref: $incident}, {kind: link, ref: "007"}]}
  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
YAML
ok --as M002 evaluation submit --cycle a26 --person E201 "$T/e201.yaml"
ok --as E101 calibrate session create --cycle a26 --population search --facilitator E101 \
	--participants M001 --name room --guidance 1=0-100
for _ in 1 2 3; do ok cycle advance --cycle a26; done
ok --as E101 calibrate session open --session room
ok --as M001 calibrate change --session room --person E201 --dimension technical_skill --rating 4 \
	--reason "ran the response" --evidence "event:$incident" --evidence link:https://x.example/a

# As an older plumb stored them.
sql "UPDATE evaluation_evidence SET ref = '0$incident' WHERE kind = 'event'"
# And a citation of an event E201's consent withdrawal deleted then: an older plumb scrubbed
# only citations written '7', so this one kept the deleted event's title and time.
gone=$(( $(sql "SELECT MAX(id) FROM events") + 1000 ))
sql "INSERT INTO evaluation_evidence(evaluation_id, dimension, kind, ref, title, occurred_at, negative,
  negative_said) SELECT evaluation_id, dimension, 'event', ' +0$gone', 'the withdrawn event''s title', 1700000000000,
  0, 0 FROM evaluation_evidence WHERE kind = 'event'"
sql "INSERT INTO consents(person_id, mechanism, state, at, recorded_by) SELECT id, 'incident_participation',
  'withdrawn', 1700000000000, 'E201' FROM people WHERE employee_id = 'E201'"
sql "UPDATE calibration_changes SET evidence = '[\"event: +0$incident\",\"link:https://x.example/a\",\"event:x7\"]'"
# What plumb never wrote as a list of strings is left as it is, on either engine (PostgreSQL's
# casts failed the upgrade on it; SQLite's LIKE took "EVENT:07" for an event).
odd=('{"k":"event:07"}' '"event:07"' '[1,"event:07"]' '["EVENT:07"]' 'event:07 not json' '[]')
for e in "${odd[@]}"; do
	sql "INSERT INTO calibration_changes(session_id, person_id, dimension, from_rating, to_rating, reason,
	  evidence, changed_at, changed_by) SELECT session_id, person_id, 'collaboration', from_rating,
	  to_rating, 'odd', '$e', changed_at, changed_by FROM calibration_changes WHERE reason = 'ran the response'"
done
undo_schema_23
ok cycle status --cycle a26
[ "$(sql "SELECT evidence FROM calibration_changes WHERE reason = 'odd' ORDER BY id")" = "$(printf '%s\n' "${odd[@]}")" ] ||
	fail "evidence not written by plumb was changed: $(sql "SELECT evidence FROM calibration_changes WHERE reason = 'odd' ORDER BY id")"
sql "DELETE FROM calibration_changes WHERE reason = 'odd'"
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 25 ] || fail "not migrated"
[ "$(sql "SELECT kind || ':' || ref FROM evaluation_evidence ORDER BY id" | tr '\n' ' ')" = "event:$incident link:007 event:$gone " ] ||
	fail "evidence not rewritten as the id: $(sql "SELECT kind || ':' || ref FROM evaluation_evidence ORDER BY id")"
# The withdrawn event's citation keeps nothing of it; the incident's, still there, its title.
[ "$(sql "SELECT title || '|' || COALESCE(CAST(occurred_at AS TEXT), 'null') FROM evaluation_evidence WHERE ref = '$gone'")" = \
	"(removed when its person withdrew consent)|null" ] ||
	fail "the withdrawn event's citation: $(sql "SELECT title, occurred_at FROM evaluation_evidence WHERE ref = '$gone'")"
[ "$(sql "SELECT CASE WHEN title <> '(removed when its person withdrew consent)' THEN 'kept' END FROM evaluation_evidence WHERE ref = '$incident'")" = kept ] ||
	fail "the incident's citation lost its title"
changed=$(sql "SELECT evidence FROM calibration_changes")
[ "$(echo "$changed" | jq -c .)" = "[\"event:$incident\",\"link:https://x.example/a\",\"event:x7\"]" ] ||
	fail "the change's evidence: $changed"

# The incident behind delivery is incident data again: the room may not lower it below meets.
run --as M001 calibrate change --session room --person E201 --dimension delivery --rating 2 \
	--reason "slipped twice" --evidence link:https://x.example/slips
expect_status 3
expect_err "refused by acceptable-use rule incident-negative-evidence: incident data cannot count against E201"
[ "$(sql "SELECT COUNT(*) FROM calibration_changes")" = 1 ] || fail "a refused change was written"
ok audit verify
