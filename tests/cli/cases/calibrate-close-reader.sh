# A facilitator in their own session's population closes it: what the close tells them leaves
# out what is about them, as every view of theirs does (docs/calibration.md, "A reader in the
# population"): the changes not written back are the others', the counts are of changes and
# versions about the others, and the line says so.  Each rating not written back is listed
# once, however many changes the room made to it.  Found hunting: the close said "not written
# back: M002 delivery: ..." to M002, which told them the room had changed their rating, and
# repeated a line per change.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create a26 --kind annual --scope search # M002 and E201..E204
ok user add --person H001 --role manager         # rates M002
ok user add --person M002 --role manager         # facilitates, in the population
ok user add --person M001 --role manager         # a participant from payments
rate() {
	file "$1.yaml" <<YAML
ratings:
  technical_skill: {rating: 3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: 3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
YAML
	ok --as "$2" evaluation submit --cycle a26 --person "$1" "$T/$1.yaml"
}
rate M002 H001
for e in E201 E202 E203 E204; do rate "$e" M002; done
ok calibrate session create --cycle a26 --population search --facilitator M002 --participants M001 \
	--name room --guidance 3=0-100
for _ in 1 2 3; do ok cycle advance --cycle a26; done # to calibration
ok --as M002 calibrate session open --session room
for p in M002 E201; do
	ok --as M001 calibrate change --session room --person "$p" --dimension delivery --rating 4 \
		--reason "$p carried the search rewrite" --evidence link:https://x.example/rewrite
done
# A change the close cannot write back: its competency is not rated in the newest evaluation.
# No command records one today (a rated cycle's evaluation rates every competency); rows from
# an earlier framework's session stand for it, two for each of M002 and E201.
# One row a statement, so that their order (by id) is the same on every engine.
for _ in 1 2; do
	for p in E201 M002; do
		sql "INSERT INTO calibration_changes(session_id, person_id, dimension, from_rating, to_rating, reason, evidence, changed_at, changed_by) SELECT s.id, p.id, 'design', 3, 4, 'older framework', '[\"link:https://x.example/d\"]', 1, 'M001' FROM calibration_sessions s, people p WHERE s.name = 'room' AND p.employee_id = '$p'"
	done
done
# The session's readers see the others' changes only.
ok --as M002 calibrate session status --session room --json
expect_json '[.changes[] | .person] | unique | join(",")' "E201"
ok --as M001 calibrate session status --session room --json
expect_json '[.changes[] | .person] | unique | join(",")' "E201,M002"

ok --as M002 calibrate session close --session room
expect_out "not written back: E201 design: no longer rated on it in the newest evaluation"
expect_no_out "M002"
[ "$(grep -c "not written back" "$T/out")" = 1 ] || fail "not one line per rating: $(cat "$T/out")"
expect_out "closed calibration session room: 3 changes, 1 evaluation version written (about the others; you are not shown)"
# Both were written back all the same, and the audit entry keeps the whole.
[ "$(sql "SELECT COUNT(*) FROM evaluations e JOIN people p ON p.id = e.person_id WHERE e.source = 'calibration' AND p.employee_id IN ('M002', 'E201')")" = 2 ] ||
	fail "the close did not write both back"
detail=$(sql "SELECT detail FROM audit_log WHERE action = 'calibrate.session.close'")
[ "$(jq -r '"\(.changes) \(.not_written | join(","))"' <<<"$detail")" = \
	"6 E201 design: no longer rated on it in the newest evaluation,M002 design: no longer rated on it in the newest evaluation" ] ||
	fail "the audit entry: $detail"
ok audit verify
