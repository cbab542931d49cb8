# Someone whose end date passes between imports has their history closed at that date, audited.
export PLUMB_NOW=2026-06-01T00:00:00Z
ok init
sed 's/^E204,\(.*\),2020-10-01,,/E204,\1,2020-10-01,2026-06-30,/' "$FIXTURES/org-small.csv" >left.csv
grep -q '^E204,.*,2026-06-30,' left.csv || fail "fixture edit did not apply"
ok org import left.csv
ok person show E204 --json
expect_json .active true
expect_json '[.history[] | .valid_to] | unique | join(",")' ""
export PLUMB_NOW=2026-08-01T00:00:00Z
ok org import left.csv --json
expect_json .people_updated 1
ok person show E204 --json
expect_json .active false
expect_json '[.history[] | .valid_to] | unique | join(",")' 2026-06-30T00:00:00.000Z
ok audit log --object person:E204 --json
only_writes
expect_json '.[-1].detail.changed | join(",")' history_ended
# Once closed, importing again changes nothing.
ok org import left.csv --json
expect_json .people_updated 0
