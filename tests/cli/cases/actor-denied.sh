# Acting as an unknown user exits 4 (as an empty one, 2); an employee running admin commands (org import, audit log, ...) exits 3 and writes nothing.
init_db
ok demo --org-only
emp=$(sed -n 's/.*--as \([A-Z0-9]*\) person show \([A-Z0-9]*\) .*refused.*/\1/p' "$T/out")
[ -n "$emp" ] || fail "no sample employee"
run --as NOSUCHUSER person list
expect_status 4
expect_err "plumb: error: no user 'NOSUCHUSER'"
expect_err "hint: users are named by employee id"
# An empty --as names no user at all: a usage error, not a user '' that is not found.
run --as "" person list
expect_status 2
expect_err "option --as needs a value, not an empty one"

# Refusals may be audited (access.denied); nothing else may be written.
data() { counts | sed 's/ [0-9]* audit$//'; }
before=$(data)
n0=$(sql "SELECT MAX(seq) FROM audit_log")
file change.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
X1,Xavier Xu,xavier@example.com,,web,Engineer,L3,ic,backend,US,2024-01-01
CSV
run --as "$emp" org import change.csv
expect_status 3
expect_err "plumb: error: permission denied: org.import needs the admin role"
expect_err "detail: user '$emp' does not have it"
run --as "$emp" audit log
expect_status 3
expect_err "permission denied: audit.log needs the admin role"
run --as "$emp" audit verify
expect_status 3
run --as "$emp" audit checkpoint
expect_status 3
run --as "$emp" user list
expect_status 3
run --as "$emp" user add --person "$emp" --role admin
expect_status 3
run --as "$emp" service set sneaky --team web
expect_status 3
run --as "$emp" backup "$T/copy.db"
expect_status 3
[ -e "$T/copy.db" ] && fail "refused backup wrote a file"
[ "$(data)" = "$before" ] || fail "a refused command wrote: was '$before', now '$(data)'"
other=$(sql "SELECT COUNT(*) FROM audit_log WHERE seq > $n0 AND NOT (action = 'access.denied' AND actor = '$emp')")
[ "$other" = 0 ] || fail "refused commands left $other audit entries other than access.denied"
ok audit verify
[ "$(sql "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.name = '$emp' AND r.role = 'admin'")" = 0 ] ||
	fail "employee granted themselves admin"
