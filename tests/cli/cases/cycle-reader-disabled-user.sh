# A disabled user's roles make nobody a reader of review content: a people partner who left (offboarded) and came back as an engineer, their user still disabled, may be named a reviewer in their former unit; enabled again by user add with the old role, they may not.
init_db
export PLUMB_NOW=2026-01-10
ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
ok user add --person E203 --role employee --role people-partner:payments
# E203 leaves on 2026-02-01 and is offboarded; rehired on 2026-05-01, their user stays disabled.
sed 's/^\(E203,.*,2023-01-09,\),/\12026-02-01,/' "$FIXTURES/org-small.csv" >leave.csv
grep -q '^E203,.*,2026-02-01,ksato' leave.csv || fail "leave.csv does not end E203"
export PLUMB_NOW=2026-03-01
ok org import leave.csv --effective 2026-03-01
ok user offboard
export PLUMB_NOW=2026-05-01
ok org import "$FIXTURES/org-small.csv" --effective 2026-05-01
ok user list --json
expect_json '.[] | select(.user == "E203") | .disabled' true
ok cycle create a26 --kind annual --scope payments --scope search
ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer E203 --relation cross_functional
ok --as M001 cycle nominate --cycle a26 --for E102 --reviewer E203 --relation cross_functional
ok audit verify
# Enabled with the people-partner role of payments again, E203 reads payments' feedback: no more.
ok user add --person E203 --role people-partner:payments
run --as M001 cycle nominate --cycle a26 --for E103 --reviewer E203 --relation cross_functional
expect_status 1
expect_err "E203 cannot be a cross_functional reviewer of E103: they read the feedback about E103 as a people partner of their unit"
