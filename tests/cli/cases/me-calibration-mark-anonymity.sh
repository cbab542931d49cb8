# me export gives the person each calibration mark with its participant and comment once the
# cycle delivers; but not the comment of a participant who also wrote anonymous (peer,
# upward or cross-functional) feedback about them in that cycle: in their words beside their
# name, it could tell which response was theirs (found in review). The mark stays.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person H001 --role manager
review_data_400_days_ago # M001 evaluated E101 and E102 in cycle a25
at=$(ago 400)
PLUMB_NOW=$at ok calibrate session create --cycle a25 --population payments --facilitator H001 \
	--participants M001 --name a25-room --guidance 1=0-100
PLUMB_NOW=$at ok cycle advance --cycle a25 # calibration
for p in E101 E102; do
	PLUMB_NOW=$at ok --as H001 calibrate mark --session a25-room --person "$p" --mark question \
		--comment "$p's rating reads low for the refunds rewrite"
done
PLUMB_NOW=$at ok --as H001 calibrate session open --session a25-room
PLUMB_NOW=$at ok --as H001 calibrate session close --session a25-room
close_cycle a25
# H001 was also one of E101's peer reviewers in a25 (a cross-team peer), not E102's.
sql "INSERT INTO review_assignments(cycle_id, reviewee_id, reviewer_id, relation, status, nominated_by, created_at)
	SELECT c.id, e.id, h.id, 'peer', 'active', 'M001', 0 FROM cycles c, people e, people h
	WHERE c.name = 'a25' AND e.employee_id = 'E101' AND h.employee_id = 'H001'" >/dev/null
ok --as E101 me export
expect_json '.calibration_marks | map("\(.marked_by) \(.mark) \(.comment)") | join(",")' "H001 question null"
ok --as E102 me export
expect_json '.calibration_marks | map("\(.marked_by) \(.mark) \(.comment)") | join(",")' \
	"H001 question E102's rating reads low for the refunds rewrite"
