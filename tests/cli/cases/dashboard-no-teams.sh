# plumb dashboard on a database with no teams yet (a fresh plumb init): the teams' table is
# one line saying so and what makes teams, as every empty list is (docs/cli.md, "Output"), not
# a lone header row (found walking the docs); --json has an empty teams array.
init_db
ok dashboard
expect_out "No values stored yet"
expect_out "no teams yet (plumb org import FILE)"
! grep -q '^team  ' "$T/out" || fail "a lone header row of the teams' table"
expect_out "SLOs"
expect_out "Data freshness"
ok dashboard --json
expect_json '.teams | length' 0
