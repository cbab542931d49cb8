# A team, manager or level change dated at or after an end date still to come is refused, as an
# end date before a recorded change is (org-end-before-change): found by giving E103 notice for
# 2026-12-31, then moving her from 2027-01-15; the move was written, and once the end date
# passed her rows closed at the move, after she had left, the new ones where they began.
init_db
sed 's/^E103,\(.*\),2022-04-04,,/E103,\1,2022-04-04,2026-12-31,/' "$FIXTURES/org-small.csv" >notice.csv
sed 's/^E103,\(.*\),M001,payments,/E103,\1,M002,search,/' notice.csv >notice-move.csv
[ "$(diff "$FIXTURES/org-small.csv" notice-move.csv | grep -c '^>')" = 1 ] || fail "fixture edit did not apply"
PLUMB_NOW=2026-11-28 ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
PLUMB_NOW=2026-11-28 ok org import notice.csv --effective 2026-11-01
state() { sql "SELECT (SELECT COUNT(*) FROM audit_log) || ' ' || (SELECT COUNT(*) FROM team_memberships) || ' ' || (SELECT COUNT(*) FROM reporting_lines WHERE valid_to IS NULL)"; }
before=$(state)
for eff in 2027-01-15 2026-12-31; do
	PLUMB_NOW=2026-11-28 run org import notice-move.csv --effective $eff
	expect_status 1
	expect_err "notice-move.csv:7: team: change effective $eff is not before E103's end date 2026-12-31"
	expect_err "notice-move.csv:7: manager: change effective $eff is not before E103's end date 2026-12-31"
	[ "$(state)" = "$before" ] || fail "a refused change at $eff wrote something"
done
# The end date and the change in one file: the same.
sed 's/^E103,\(.*\),M001,payments,/E103,\1,M002,search,/' "$FIXTURES/org-small.csv" |
	sed 's/^E103,\(.*\),2022-04-04,,/E103,\1,2022-04-04,2026-12-15,/' >both.csv
PLUMB_NOW=2026-11-28 run org import both.csv --effective 2026-12-20
expect_status 1
expect_err "both.csv:7: team: change effective 2026-12-20 is not before E103's end date 2026-12-15"
# Before the end date the move is hers; once it passes, her rows end there.
PLUMB_NOW=2026-11-28 ok org import notice-move.csv --effective 2026-12-10
PLUMB_NOW=2027-01-04 ok org import notice-move.csv --effective 2027-01-04
ok person show E103 --json
expect_json '[.history[] | select(.kind != "level") | .value + "@" + .valid_from[0:10] + "/" + (.valid_to // "null" | .[0:10])] | join(" ")' \
	"M001@2022-04-04/2026-12-10 M002@2026-12-10/2026-12-31 payments@2022-04-04/2026-12-10 search@2026-12-10/2026-12-31"
