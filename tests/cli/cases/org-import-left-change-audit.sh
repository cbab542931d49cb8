# A team or manager change dated after the person left is not written (their rows end when they
# left), and their person.update does not list it either: found by importing E103 with an end
# date passed and another team and manager, dated after it: the entry said "team" and "manager"
# changed, while her history kept payments and M001 to the end.
init_db
sed 's/^\(E103,.*\),M001,payments,\(.*\),2022-04-04,,/\1,M002,search,\2,2022-04-04,2026-10-31,/' \
	"$FIXTURES/org-small.csv" >left-moved.csv
[ "$(diff "$FIXTURES/org-small.csv" left-moved.csv | grep -c '^>')" = 1 ] || fail "fixture edit did not apply"
PLUMB_NOW=2026-11-28 ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
PLUMB_NOW=2026-11-28 ok org import left-moved.csv --effective 2026-11-28
ok person show E103 --json
expect_json '[.history[] | .kind + ":" + .value + "@" + .valid_from[0:10] + "/" + (.valid_to // "null" | .[0:10])] | join(" ")' \
	"level:L3@2022-04-04/2026-10-31 manager:M001@2022-04-04/2026-10-31 team:payments@2022-04-04/2026-10-31"
ok audit log --json
expect_json '[.[] | select(.action == "person.update" and .object_id == "E103")][-1].detail.changed | join(" ")' \
	"end_date history_ended"
# Dated before she left, the move is hers, and listed.
reset_db
init_db
PLUMB_NOW=2026-11-28 ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
PLUMB_NOW=2026-11-28 ok org import left-moved.csv --effective 2026-10-01
ok person show E103 --json
expect_json '[.history[] | select(.kind == "team") | .value + "@" + .valid_from[0:10] + "/" + (.valid_to // "null" | .[0:10])] | join(" ")' \
	"payments@2022-04-04/2026-10-01 search@2026-10-01/2026-10-31"
ok audit log --json
expect_json '[.[] | select(.action == "person.update" and .object_id == "E103")][-1].detail.changed | join(" ")' \
	"end_date team manager history_ended"
