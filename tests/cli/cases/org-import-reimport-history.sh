# Re-importing with --effective closes the changed team/manager/level rows at that date and opens new ones, audited as person.update.
init_db
ok org import "$FIXTURES/org-small.csv"
# E201 moves from search to payments; E203 gets a new manager (M001) and level (L2 -> L3).
sed -e 's/^E201,\(.*\),M002,search,/E201,\1,M002,payments,/' \
	-e 's/^E203,\(.*\),M002,search,\(.*\),L2,/E203,\1,M001,search,\2,L3,/' \
	"$FIXTURES/org-small.csv" >v2.csv
[ "$(diff "$FIXTURES/org-small.csv" v2.csv | grep -c '^>')" = 2 ] || fail "fixture edit did not apply"
ok org import v2.csv --effective 2026-07-01
expect_out "v2.csv: 12 rows: 0 people created, 2 updated, 10 unchanged, 0 ended; 0 teams created, 0 updated; 0 identities added; 3 history changes"

ok person show E201 --json
expect_json .team payments
expect_json .manager_id M002
expect_json '[.history[] | select(.kind == "team") | .value + "@" + .valid_from + "/" + (.valid_to | tostring)] | join(" ")' \
	"search@2020-05-18T00:00:00.000Z/2026-07-01T00:00:00.000Z payments@2026-07-01T00:00:00.000Z/null"
expect_json '[.history[] | select(.kind != "team")] | length' 2
expect_json '[.history[] | select(.kind != "team") | .valid_to] | map(tostring) | join(",")' null,null

ok person show E203 --json
expect_json .manager_id M001
expect_json .level L3
expect_json .team search
expect_json '[.history[] | select(.kind == "manager") | .value + "/" + (.valid_to | tostring)] | join(" ")' \
	"M002/2026-07-01T00:00:00.000Z M001/null"
expect_json '[.history[] | select(.kind == "level") | .value + "@" + .valid_from + "/" + (.valid_to | tostring)] | join(" ")' \
	"L2@2023-01-09T00:00:00.000Z/2026-07-01T00:00:00.000Z L3@2026-07-01T00:00:00.000Z/null"
expect_json '[.history[] | select(.kind == "team")] | length' 1

# The new manager sees the change in their direct reports.
ok person show M001 --json
expect_json .direct_reports 5  # E101-E104 and E203; E105 has left
ok person show M002 --json
expect_json .direct_reports 3

# Importing the same file again changes nothing.
ok org import v2.csv --effective 2026-07-01
expect_out "0 people created, 0 updated, 12 unchanged, 0 ended"
expect_out "0 history changes"
# A change dated before the open row starts is refused.
before=$(counts)
sed -e 's/^E201,\(.*\),M002,payments,/E201,\1,M002,search,/' v2.csv >v3.csv
run org import v3.csv --effective 2026-03-01
expect_status 1
expect_err "team: change effective 2026-03-01 precedes the current record from 2026-07-01"
expect_counts "$before"
ok audit verify

# The audit trail of the person: created, then updated with what changed and from when.
ok audit log --object person:E203 --json
only_writes
expect_json 'length' 2
expect_json '.[0].action' person.create
expect_json '.[1].action' person.update
expect_json '.[0].object_type + ":" + .[0].object_id' person:E203
expect_json '.[1].detail.changed | join(",")' manager,level
expect_json '.[1].detail.manager' M001
expect_json '.[1].detail.level' L3
expect_json '[.[1].detail[]] | map(tostring) | any(. == "2026-07-01T00:00:00.000Z")' true
ok audit log --object person:E201 --json
only_writes
expect_json '[.[] | .action] | join(",")' person.create,person.update
expect_json '.[1].detail.changed | join(",")' team
# Nobody else was touched.
ok audit log --object person:E101 --json
only_writes
expect_json 'length' 1
# A manager taken away on the very day the current manager row starts: that row goes, rather
# than being closed where it opened (a change at a row's own start replaces its value).
sed 's/^E203,\(.*\),M001,search,/E203,\1,,search,/' v2.csv >v4.csv
grep -q '^E203,[^,]*,[^,]*,,search,' v4.csv || fail "fixture edit did not apply"
ok org import v4.csv --effective 2026-07-01
ok person show E203 --json
expect_json .manager_id null
expect_json '[.history[] | select(.kind == "manager") | .value + "@" + .valid_from[0:10] + "/" + (.valid_to // "null" | .[0:10])] | join(" ")' \
	"M002@2023-01-09/2026-07-01"
ok person show M001 --json
expect_json .direct_reports 4
# A move taken back on the day it took effect leaves one row, not "payments to 03-01, payments
# from 03-01" (found in review), for the team, the manager and the level alike.
reset_db
ok init
sed 's/^\(E101,[^,]*,[^,]*,\)M001,payments,\([^,]*\),L4,/\1M002,search,\2,L5,/' "$FIXTURES/org-small.csv" >moved.csv
grep -q '^E101,.*,M002,search,.*,L5,' moved.csv || fail "fixture edit did not apply"
PLUMB_NOW=2026-01-15T00:00:00Z ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
PLUMB_NOW=2026-03-15T00:00:00Z ok org import moved.csv --effective 2026-03-01
PLUMB_NOW=2026-03-15T00:00:00Z ok org import "$FIXTURES/org-small.csv" --effective 2026-03-01
ok person show E101 --json
expect_json '[.history[] | "\(.kind) \(.value) \(.valid_from[:10]) \(.valid_to)"] | join(", ")' \
	"level L4 2019-09-01 null, manager M001 2019-09-01 null, team payments 2019-09-01 null"
# A manager taken away and given back on the same day: one row again, as for a move taken back,
# not "M001 to 03-01, M001 from 03-01" (found by importing a file without the manager, then with
# it, at one --effective: the row closed was followed by a second one alike).
sed 's/^\(E101,[^,]*,[^,]*,\)M001,/\1,/' "$FIXTURES/org-small.csv" >no-manager.csv
grep -q '^E101,[^,]*,[^,]*,,payments,' no-manager.csv || fail "fixture edit did not apply"
PLUMB_NOW=2026-04-15T00:00:00Z ok org import no-manager.csv --effective 2026-04-01
ok person show E101 --json
expect_json .manager_id null
PLUMB_NOW=2026-04-15T00:00:00Z ok org import "$FIXTURES/org-small.csv" --effective 2026-04-01
ok person show E101 --json
expect_json '[.history[] | "\(.kind) \(.value) \(.valid_from[:10]) \(.valid_to)"] | join(", ")' \
	"level L4 2019-09-01 null, manager M001 2019-09-01 null, team payments 2019-09-01 null"
# Given back on a later day, the gap stays: two rows.
PLUMB_NOW=2026-05-15T00:00:00Z ok org import no-manager.csv --effective 2026-05-01
PLUMB_NOW=2026-05-15T00:00:00Z ok org import "$FIXTURES/org-small.csv" --effective 2026-05-02
ok person show E101 --json
expect_json '[.history[] | select(.kind == "manager") | "\(.value) \(.valid_from[:10]) \(.valid_to // "null" | .[:10])"] | join(", ")' \
	"M001 2019-09-01 2026-05-01, M001 2026-05-02 null"
# With the manager taken away, another given from before that day is refused: the rows would
# overlap (found by taking a manager away, then giving another from an earlier date).
sed 's/^\(E101,[^,]*,[^,]*,\)M001,/\1M002,/' "$FIXTURES/org-small.csv" >m002.csv
grep -q '^E101,[^,]*,[^,]*,M002,payments,' m002.csv || fail "fixture edit did not apply"
PLUMB_NOW=2026-05-15T00:00:00Z ok org import no-manager.csv --effective 2026-05-10
before=$(counts)
PLUMB_NOW=2026-05-15T00:00:00Z run org import m002.csv --effective 2026-05-05
expect_status 1
expect_err "m002.csv:5: manager: change effective 2026-05-05 precedes the end of the last record, 2026-05-10"
expect_counts "$before"
PLUMB_NOW=2026-05-15T00:00:00Z ok org import m002.csv --effective 2026-05-10
ok person show E101 --json
expect_json '[.history[] | select(.kind == "manager") | "\(.value) \(.valid_from[:10]) \(.valid_to // "null" | .[:10])"] | join(", ")' \
	"M001 2019-09-01 2026-05-01, M001 2026-05-02 2026-05-10, M002 2026-05-10 null"
# A start date corrected in the file moves the start of the rows that began at the old one: a
# team, manager and level from the day they started (found by correcting a start date: the
# history kept the old one, and the weeks between had no team).
sed 's/^\(E203,.*\),2023-01-09,,/\1,2022-12-01,,/' m002.csv >e203-start.csv
grep -q '^E203,.*,2022-12-01,,' e203-start.csv || fail "fixture edit did not apply"
PLUMB_NOW=2026-05-15T00:00:00Z ok org import e203-start.csv --effective 2026-05-02
ok person show E203 --json
expect_json .start_date 2022-12-01
expect_json '[.history[] | "\(.kind) \(.valid_from[:10]) \(.valid_to)"] | join(", ")' \
	"level 2022-12-01 null, manager 2022-12-01 null, team 2022-12-01 null"
ok audit log --object person:E203 --json
only_writes
expect_json '.[-1].detail.changed | join(",")' start_date
ok audit verify

