# Resolving an account outside the actor's scope answers exactly as for an unknown account,
# so resolve is no oracle of who has which account; the refusal is audited.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E101 --role employee
run --as E101 identity resolve github ksato
expect_status 4
cp "$T/err" out-of-scope.err
run --as E101 identity resolve github nosuchlogin
expect_status 4
sed 's/nosuchlogin/ksato/' "$T/err" | cmp -s - out-of-scope.err || fail "out of scope and absent differ"
! grep -q "E203" out-of-scope.err || fail "refusal names the owner"
ok audit log --json
expect_json '[.[] | select(.action == "access.denied" and .actor == "E101")] | length' 1
ok --as E101 identity resolve github lschmidt --json
expect_json .employee_id E101
# An unknown system is a usage error, as for identity link, not "no person you may see".
entries=$(sql "SELECT COUNT(*) FROM audit_log") last=$(sql "SELECT MAX(seq) FROM audit_log")
run identity resolve gitlab x
expect_status 2
expect_err "unknown system 'gitlab'"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "a usage error was audited"
# Under --as it is on the record as a failed attempt, as every use of --as is.
run --as E101 identity resolve gitlab x
expect_status 2
expect_err "unknown system 'gitlab'"
[ "$(sql "SELECT actor || ' ' || action || ' ' || object_type || ':' || object_id || ' ' || detail FROM audit_log WHERE seq > $last")" = \
	'E101 identity.resolve op:identity.resolve {"ok":false}' ] || fail "the usage error under --as: $(sql "SELECT * FROM audit_log WHERE seq > $last")"
