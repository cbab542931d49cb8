# A reporting cycle that holds only for a while is refused too: E101 moves away from M001 from
# 2026-09-01, then a file dated 2026-07-01 gives M001 the manager E101. The lines in effect once
# every change is in (M001 -> E101 -> M002) hold no cycle, but from 2026-07-01 to 2026-09-01
# M001 and E101 would manage each other (accepted before: found by importing out of date order).
init_db
ok org import "$FIXTURES/org-small.csv"
header=$(head -1 "$FIXTURES/org-small.csv")
{ echo "$header"; grep '^E101,' "$FIXTURES/org-small.csv" | sed 's/,M001,payments,/,M002,search,/'; } >later.csv
ok org import later.csv --effective 2026-09-01
expect_out "1 updated"
before=$(counts)
{ echo "$header"; grep '^M001,' "$FIXTURES/org-small.csv" | sed 's/,H001,payments,/,E101,payments,/'; } >earlier.csv
run org import earlier.csv --effective 2026-07-01
expect_status 1
expect_err "plumb: error: earlier.csv:2: manager_id: reporting cycle from 2026-07-01 to 2026-09-01: M001 -> E101 -> M001"
expect_err "nothing was imported"
expect_counts "$before"
# A dry run says the same.
run org import earlier.csv --effective 2026-07-01 --dry-run
expect_status 1
expect_err "reporting cycle from 2026-07-01 to 2026-09-01"
# With E101's row in the file too (already under M002, so no change of theirs), still refused:
# the database keeps E101 under M001 until 2026-09-01.
{ cat earlier.csv; grep '^E101,' later.csv; } >both.csv
run org import both.csv --effective 2026-07-01
expect_status 1
expect_err "both.csv:2: manager_id: reporting cycle from 2026-07-01 to 2026-09-01: M001 -> E101 -> M001"
expect_counts "$before"
# From the day E101's move takes effect there is no cycle.
ok org import earlier.csv --effective 2026-09-01
expect_out "1 updated"
ok person show M001 --json
expect_json .manager_id E101
# Longer cycles, and two in a row: E102 leaves M001 to have no manager from 2026-10-01; a file
# dated 2026-08-01 would have H001 report to E102. Until 09-01 M001 still reports to H001, then
# to E101 (above), so H001 -> E102 -> M001 -> H001, then H001 -> E102 -> M001 -> E101 -> M002 ->
# H001, until E102's move.
{ echo "$header"; grep '^E102,' "$FIXTURES/org-small.csv" | sed 's/,M001,payments,/,,payments,/'; } >e102.csv
ok org import e102.csv --effective 2026-10-01
before=$(counts)
{ echo "$header"; grep '^H001,' "$FIXTURES/org-small.csv" | sed 's/acme.example,,engineering/acme.example,E102,engineering/'; } >h001.csv
run org import h001.csv --effective 2026-08-01
expect_status 1
expect_err "plumb: error: h001.csv:2: manager_id: reporting cycle from 2026-08-01 to 2026-09-01: H001 -> E102 -> M001 -> H001"
expect_err "h001.csv:2: manager_id: reporting cycle from 2026-09-01 to 2026-10-01: H001 -> E102 -> M001 -> E101 -> M002 -> H001"
expect_counts "$before"
# From E102's move on, H001 may report to them (odd, but no cycle).
ok org import h001.csv --effective 2026-10-01
ok audit verify
