# Someone listed again without their end date after it passed comes back after the time away,
# whether or not an import ran in between to close their rows: found by giving E103 notice
# for 2026-10-31, then, with no import between, listing her on 2026-11-28 without an end date,
# moved from 2026-11-15: her rows ran on through the time she was gone, payments until
# 2026-11-15, where the file that closed them first ended them at 2026-10-31.
init_db
sed 's/^\(E103,.*,2022-04-04\),,/\1,2026-10-31,/' "$FIXTURES/org-small.csv" >notice.csv
sed 's/^E103,\(.*\),M001,payments,/E103,\1,M002,search,/' "$FIXTURES/org-small.csv" >move.csv
[ "$(diff "$FIXTURES/org-small.csv" notice.csv | grep -c '^>')" = 1 ] || fail "fixture edit did not apply"
history() {
	ok person show E103 --json
	json '[.history[] | .kind + ":" + .value + "@" + .valid_from[0:10] + "/" + (.valid_to // "null" | .[0:10])] | join(" ")'
}
want="level:L3@2022-04-04/2026-10-31 level:L3@2026-11-15/null manager:M001@2022-04-04/2026-10-31 manager:M002@2026-11-15/null team:payments@2022-04-04/2026-10-31 team:search@2026-11-15/null"
PLUMB_NOW=2026-10-01 ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
PLUMB_NOW=2026-10-01 ok org import notice.csv --effective 2026-10-01
PLUMB_NOW=2026-11-28 ok org import move.csv --effective 2026-11-15
got=$(history)
[ "$got" = "$want" ] || fail "the return: $got"
ok audit log --json
expect_json '[.[] | select(.action == "person.update" and .object_id == "E103")][-1].detail.changed | join(" ")' \
	"end_date team manager level history_ended"
# The same as when an import closed her rows first.
reset_db
init_db
PLUMB_NOW=2026-10-01 ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
PLUMB_NOW=2026-10-01 ok org import notice.csv --effective 2026-10-01
PLUMB_NOW=2026-11-01 ok org import notice.csv --effective 2026-11-01
PLUMB_NOW=2026-11-28 ok org import move.csv --effective 2026-11-15
got=$(history)
[ "$got" = "$want" ] || fail "the return after the rows closed: $got"
# Back in her old team unchanged: the time away stays apart all the same.
reset_db
init_db
PLUMB_NOW=2026-10-01 ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
PLUMB_NOW=2026-10-01 ok org import notice.csv --effective 2026-10-01
PLUMB_NOW=2026-11-28 ok org import "$FIXTURES/org-small.csv" --effective 2026-11-20
got=$(history)
[ "$got" = "level:L3@2022-04-04/2026-10-31 level:L3@2026-11-20/null manager:M001@2022-04-04/2026-10-31 manager:M001@2026-11-20/null team:payments@2022-04-04/2026-10-31 team:payments@2026-11-20/null" ] ||
	fail "the return to her team: $got"
# Rehired with the start date the HRIS reset to the new one: her rows of before stay, closed at
# the old end date, and new ones open (found: the start date moved the still open rows first,
# and they then ended before they began).
reset_db
init_db
sed 's/^\(E103,.*\),2022-04-04,,/\1,2026-11-15,,/' "$FIXTURES/org-small.csv" >rehired.csv
PLUMB_NOW=2026-10-01 ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
PLUMB_NOW=2026-10-01 ok org import notice.csv --effective 2026-10-01
PLUMB_NOW=2026-11-28 ok org import rehired.csv --effective 2026-11-15
got=$(history)
[ "$got" = "level:L3@2022-04-04/2026-10-31 level:L3@2026-11-15/null manager:M001@2022-04-04/2026-10-31 manager:M001@2026-11-15/null team:payments@2022-04-04/2026-10-31 team:payments@2026-11-15/null" ] ||
	fail "the return with its start date reset: $got"
