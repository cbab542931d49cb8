# The default period, 90 days before its end, starts no earlier than year 1: an end in the first
# days of year 1 gave a start in year 0 (0000-10-04), a time no plumb command reads or writes
# (`--from 0000-10-04` is refused).  Found hunting flow metrics.
init_db
ok org import "$FIXTURES/org-small.csv"
run dora --from 0000-10-04 --to 0001-01-02
expect_status 2
expect_err "--from: invalid time '0000-10-04'"
ok dora --to 0001-01-02
expect_out "DORA keys for the org, 0001-01-01 to 0001-01-02 (UTC)"
ok dora --to 0001-01-02 --json
expect_json .from "0001-01-01T00:00:00.000Z"
expect_json .to "0001-01-02T00:00:00.000Z"
ok metrics show deployment_frequency --to 0001-01-02T00:00:00Z --json
expect_json .from "0001-01-01T00:00:00.000Z"
# Days from the start of year 1 on: the 90 days before the end, as everywhere else.
ok dora --to 0001-04-01 --json
expect_json .from "0001-01-01T00:00:00.000Z"
ok dora --to 0001-04-02 --json
expect_json .from "0001-01-02T00:00:00.000Z"
# An end at the start of year 1 leaves an empty period, refused as any other.
run dora --to 0001-01-01
expect_status 2
expect_err "the period is empty"
