# A write is judged on the roles its user holds when it takes the write lock, not when the
# command began: a revoke, or the user's person leaving, that commits while the command
# waits for the lock refuses it (exit 3, audited, nothing written).  Found by a race on
# PostgreSQL: E104 (admin) ran 'user add --person E101 --role admin' while another writer
# held the lock and 'user revoke E104 --role admin' waited before it; the revoke committed
# first, and E104's grant, judged on the roles read at its start, went through after.
# Here the writer holding the lock makes the change itself, so the order is the same on
# both engines (SQLite's busy handler grants the lock in no set order).
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E104 --role admin
ok user add --person E103 --role admin

admin_roles() {
	sql "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id
	  WHERE u.name = '$1' AND r.role = 'admin'"
}

# ---- the admin role revoked while the admin's grant waits ----
hold_write_lock
"$PLUMB" --lock-wait 60 --as E104 user add --person E101 --role admin >"$T/grant.out" 2>"$T/grant.err" &
granter=$!
plumb_waiting
echo "DELETE FROM user_roles WHERE role = 'admin' AND user_id = (SELECT id FROM users WHERE name = 'E104');" >&6
release_write_lock
wait "$granter"
grant_status=$?
[ "$(admin_roles E104)" = 0 ] || fail "E104 kept admin"
[ "$(sql "SELECT COUNT(*) FROM users WHERE name = 'E101'")" = 0 ] ||
	fail "E104's grant went through after E104 lost admin (exit $grant_status)"
[ "$grant_status" = 3 ] || fail "the revoked admin's grant: exit $grant_status, expected 3: $(cat "$T/grant.err")"
grep -q "permission denied: user.add needs the admin role" "$T/grant.err" ||
	fail "the refusal does not say why: $(cat "$T/grant.err")"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE actor = 'E104' AND action = 'access.denied'")" = 1 ] ||
	fail "the refusal was not audited"

# ---- the admin's person leaves while their write waits: refused as disabled ----
hold_write_lock
"$PLUMB" --lock-wait 60 --as E103 source add deploy --name late >"$T/src.out" 2>"$T/src.err" &
writer=$!
plumb_waiting
echo "UPDATE people SET end_date = 1738281600000 WHERE employee_id = 'E103';" >&6
release_write_lock
wait "$writer"
w_status=$?
[ "$(sql "SELECT COUNT(*) FROM sources")" = 0 ] || fail "the departed admin's source was added (exit $w_status)"
[ "$w_status" = 3 ] || fail "the departed admin's write: exit $w_status, expected 3: $(cat "$T/src.err")"
grep -q "user 'E103' is disabled" "$T/src.err" || fail "the refusal does not say why: $(cat "$T/src.err")"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE actor = 'E103' AND action = 'access.denied'")" = 1 ] ||
	fail "the refusal was not audited"

ok audit verify
