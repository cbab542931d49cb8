# --full ends people absent from the file at the effective date (end_date, active false, history closed); without --full nobody is ended.
# The clock is pinned after the effective date, so "ended" does not depend on when the suite runs.
export PLUMB_NOW=2026-11-28T12:00:00Z
ok init
ok org import "$FIXTURES/org-small.csv"
grep -v '^E204,' "$FIXTURES/org-small.csv" >without-e204.csv
ok org import without-e204.csv --effective 2026-08-01
expect_out "11 rows: 0 people created, 0 updated, 11 unchanged, 0 ended"
ok person show E204 --json
expect_json .end_date null
expect_json .active true
ok org import without-e204.csv --effective 2026-08-01 --full --json
expect_json .people_ended 1
expect_json .people_unchanged 11
ok person show E204 --json
expect_json .end_date 2026-08-01
expect_json .active false
expect_json '[.history[] | .valid_to] | unique | join(",")' 2026-08-01T00:00:00.000Z
ok person show E204
expect_out "employed    2020-10-01 to 2026-08-01 (ended)"
ok audit log --object person:E204 --json
only_writes
expect_json '[.[] | .action] | join(",")' person.create,person.end
expect_json '.[1].detail.end_date' 2026-08-01
# E105 already had an end date: not ended again.
ok audit log --object person:E105 --json
only_writes
expect_json 'length' 1
ok org show --json
expect_json .people_active 10
expect_json .people_ended 2
# The manager lost a direct report; the team lost a member.
ok person show M002 --json
expect_json .direct_reports 3
ok org tree search --json
expect_json '.[0].members' 4
# A second --full run ends nobody else.
ok org import without-e204.csv --effective 2026-08-01 --full
expect_out "0 ended"
ok audit verify
