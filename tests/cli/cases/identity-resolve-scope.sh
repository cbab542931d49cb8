# Resolving an account outside the actor's scope is refused without naming its owner.
ok init
ok org import "$FIXTURES/org-small.csv"
ok user add --person E101 --role employee
run --as E101 identity resolve github ksato
expect_status 3
expect_err "the person with github identity 'ksato' is outside your scope"
! grep -q "E203" "$T/err" || fail "refusal names the owner"
ok --as E101 identity resolve github lschmidt --json
expect_json .employee_id E101
