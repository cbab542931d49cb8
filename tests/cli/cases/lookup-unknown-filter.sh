# A filter naming what does not exist is an error, not an empty list (found by a conformance
# hunt: a typo read as "this user has no tokens" or "this reviewer has no assignments", exit
# 0, where consent list --person, person list --team and signoff list --metric say exit 4).
# To a scoped reader an unknown reviewer stays an empty list, as one outside their scope is,
# so the answer does not tell which employee ids exist.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31

run token list --user nosuch
expect_status 4
expect_err "plumb: error: no user 'nosuch'"
run token list --user nosuch --json
expect_status 4
[ -s "$T/out" ] && fail "an unknown --user printed output"
ok token list --user M001 --json
expect_json 'length' 0

run cycle assignments --cycle a26 --reviewer E999
expect_status 4
expect_err "no person with employee id E999"
ok cycle assignments --cycle a26 --reviewer E101 --json
expect_json '[.assignments[].reviewer] | unique | join(",")' "E101"
# A manager sees their chain only: an unknown id reads as one outside it.
ok --as M001 cycle assignments --cycle a26 --reviewer E999 --json
expect_json '.assignments | length' 0
