# An --as attempt refused by the operation's permission (an employee trying org import or audit log) still leaves an audit entry with the OS user.
init_db
ok demo --org-only
emp=$(sed -n 's/.*--as \([A-Z0-9]*\) person show \([A-Z0-9]*\) .*refused.*/\1/p' "$T/out")
me=$(id -un)
n0=$(sql "SELECT MAX(seq) FROM audit_log")
run --as "$emp" audit log
expect_status 3
run --as "$emp" org import "$FIXTURES/org-small.csv"
expect_status 3
[ "$(sql "SELECT COUNT(*) FROM people WHERE employee_id = 'H001'")" = 0 ] || fail "refused import wrote"
got=$(sql "SELECT actor || ' ' || os_user FROM audit_log WHERE seq > $n0" | sort -u)
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE seq > $n0")" -ge 2 ] ||
	fail "refused --as attempts left no audit entry (got '$got')"
[ "$got" = "$emp $me" ] || fail "refused attempts attributed to '$got', expected '$emp $me'"
ok audit verify
# So is acting as a user nobody has (every use of --as is recorded), named as given.
n1=$(sql "SELECT MAX(seq) FROM audit_log")
run --as NOSUCHUSER person list
expect_status 4
expect_err "no user 'NOSUCHUSER'"
[ "$(sql "SELECT actor || ' ' || os_user || ' ' || action || ' ' || object_type || ':' || object_id || ' ' || detail FROM audit_log WHERE seq > $n1")" = \
	"NOSUCHUSER $me access.denied user:NOSUCHUSER {\"reason\":\"no such user\"}" ] ||
	fail "acting as an unknown user left no entry: $(sql "SELECT * FROM audit_log WHERE seq > $n1")"
ok audit verify
