# The reminders sent for peer, upward and cross-functional feedback are the writer's, as when
# they wrote is (found in review: E102 read in cycle status that E101, who was done, had had a
# reminder, so wrote after it went, and which of their peers were chased): to anyone but the
# writer and admins they are null in --json and left out of the late lines; self and manager
# rows keep theirs.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for p in E101 E102 E103 E104; do ok user add --person "$p" --role employee; done
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --due self_review=2026-01-02 --due feedback=2026-01-03 \
	--due manager_review=2099-01-01 --due calibration=2099-01-02 --due signoff=2099-01-03 --due delivery=2099-01-04
for r in E101 E103 E104; do ok --as M001 cycle nominate --cycle a26 --for E102 --reviewer "$r"; done
ok cycle advance --cycle a26
ok --as E101 feedback submit --cycle a26 --for E102 <(printf 'answers:\n  strengths: "Careful reviews"\n')
# What plumb notify records: E101 and E103 were reminded of their peer feedback, E102 of their
# self review.
sql "INSERT INTO reminders(cycle_id, assignment_id, recipient_id, kind, channel, sent_at)
	SELECT a.cycle_id, a.id, a.reviewer_id, 'due', 'email', 1 FROM review_assignments a
	JOIN people p ON p.id = a.reviewer_id
	WHERE (p.employee_id IN ('E101', 'E103') AND a.relation = 'peer') OR (p.employee_id = 'E102' AND a.relation = 'self')" ||
	fail "could not record the reminders"
rows='.assignments | map(select(.reviewee == "E102")) | map("\(.reviewer) \(.relation) \(.reminders)") | join(",")'
ok --as E102 cycle status --cycle a26 --json
expect_json "$rows" "E102 self 1,E101 peer null,E103 peer null,E104 peer null"
ok --as E102 cycle status --cycle a26
expect_out "E103 (Sofia Rossi) owes peer feedback on E102, due 2026-01-03"
expect_no_out "owes peer feedback on E102, due 2026-01-03;"
expect_out "E102 (Nguyen, Minh) owes self feedback on E102, due 2026-01-02; 1 reminder sent"
ok --as M001 cycle assignments --cycle a26 --json
expect_json "$rows" "E102 self 1,M001 manager 0,E101 peer null,E103 peer null,E104 peer null"
# The writer sees their own; an admin, who sends them, sees all.
ok --as E103 cycle assignments --cycle a26 --reviewer E103 --json
expect_json '.assignments | map("\(.reviewee) \(.relation) \(.reminders)") | join(",")' "E102 peer 1,E103 self 0,M001 upward 0"
ok cycle status --cycle a26 --json
expect_json "$rows" "E102 self 1,M001 manager 0,E101 peer 1,E103 peer 1,E104 peer 0"
ok cycle status --cycle a26
expect_out "E103 (Sofia Rossi) owes peer feedback on E102, due 2026-01-03; 1 reminder sent"
