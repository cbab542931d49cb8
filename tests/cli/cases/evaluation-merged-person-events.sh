# A record merged into another keeps its evaluation (review data stays with the record it was
# made for) while its events move to the record it went into: its manager may still cite the
# human's events as evidence, and an event of someone else stays refused.  Found in session
# 40's hunt: after `person merge E201 --into E104`, a new version of E201's evaluation citing
# E201's own incident was refused ("no event N of E201's"), the event being E104's now.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add pagerduty --name pd
ok ingest --source pd "$FIXTURES/pagerduty"
incident=$(sql "SELECT MIN(id) FROM events WHERE kind = 'incident' AND account IS NOT NULL")
other=$(sql "SELECT MAX(id) FROM events WHERE kind = 'incident' AND account IS NOT NULL AND account <> (SELECT account FROM events WHERE id = $incident)")
[ -n "$incident" ] && [ -n "$other" ] || fail "two incidents of two accounts are needed"
ok identity link pagerduty "$(sql "SELECT account FROM events WHERE id = $incident")" --person E201
ok identity link pagerduty "$(sql "SELECT account FROM events WHERE id = $other")" --person E202
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create a26 --kind annual --scope search
ok user add --person M002 --role manager
for _ in 1 2; do ok cycle advance --cycle a26; done
evaluation() { # file: an evaluation of E201 citing event $1 for technical skill
	cat >"$T/e201.yaml" <<-YAML
		ratings:
		  technical_skill: {rating: 4, evidence: [{kind: event, ref: $1}]}
		  delivery: {rating: 3, no_evidence_reason: observed in one-to-ones}
		  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
	YAML
}
evaluation "$incident"
ok --as M002 evaluation submit --cycle a26 --person E201 "$T/e201.yaml"

ok person merge E201 --into E104 --reason "one human under two ids"
[ "$(sql "SELECT p.employee_id FROM events e JOIN people p ON p.id = e.person_id WHERE e.id = $incident")" = E104 ] ||
	fail "the merge did not move the incident"
# The human's event, now under the record E201 went into, is still E201's to cite.
ok --as M002 evaluation submit --cycle a26 --person E201 --reason "after the merge" "$T/e201.yaml"
expect_out "version 2 stored"
# Someone else's event stays refused, and nothing is written.
evaluation "$other"
run --as M002 evaluation submit --cycle a26 --person E201 --reason "another's incident" "$T/e201.yaml"
expect_status 1
expect_err "ratings.technical_skill.evidence[0].ref: no event $other of E201's"
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = 2 ] || fail "a refused version was written"
ok audit verify
