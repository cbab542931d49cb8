# The server drops plumb's connection in the middle of a write: a clear error, exit 1, and
# nothing of the write is in the database.
[ "$(engine)" = postgres ] || skip "postgres only: server connections"
init_db
ok org import "$FIXTURES/org-small.csv"
file new.csv <<CSV
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,github_login
N001,Noor Haddad,noor.haddad@acme.example,H001,payments,Engineer,L3,ic,backend,DE,2024-01-01,nhaddad
CSV
before=$(counts)
# The other session blocks writes to the audit log, which the import appends to after its
# other writes, inside its transaction; once plumb waits there it ends plumb's session.
# (A session ended while plumb waits for the write lock, at its BEGIN, is replaced and the
# import goes on: nothing of it had run; test_store_pg's lost_session_is_replaced.)
(
	echo "BEGIN; LOCK TABLE audit_log IN EXCLUSIVE MODE;"
	sql_until_plumb_waits
	echo "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'plumb' AND datname = current_database();"
	echo "COMMIT;"
) | sql_session >"$T/other.out" 2>&1 &
other=$!
# plumb starts once the other session holds the lock.
audit_held() {
	[ "$(sql "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'relation' AND granted
	  AND mode = 'ExclusiveLock' AND relation = 'audit_log'::regclass
	  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" -ge 1 ]
}
wait_until 30 audit_held || fail "the other session did not lock audit_log: $(cat "$T/other.out")"
run org import new.csv --effective 2026-01-01
wait "$other" || fail "the other session failed: $(cat "$T/other.out")"
expect_status 1
expect_err "lost the connection to PostgreSQL"
expect_err "nothing of it was written"
expect_counts "$before"
ok audit verify
# The same import once the server is reachable again goes through whole.
ok org import new.csv --effective 2026-01-01
[ "$(sql "SELECT COUNT(*) FROM people WHERE employee_id = 'N001'")" = 1 ] || fail "import after reconnect"
# Ended while its BEGIN waits for the write lock, nothing of the write has run: plumb begins
# again in a new session, and the write goes through whole, once.
file again.csv <<CSV
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,github_login
N002,Ola Berg,ola.berg@acme.example,H001,payments,Engineer,L3,ic,backend,DE,2024-01-01,oberg
CSV
lock=8101244078216505961 # plumb's write lock (store_pg.c): the write waits behind it
(
	echo "BEGIN; SELECT pg_advisory_xact_lock($lock);"
	sql_until_plumb_waits
	echo "SELECT 'ended', COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'plumb' AND datname = current_database();"
	echo "SELECT pg_sleep(0.5); COMMIT;"
) | sql_session >"$T/other.out" 2>&1 &
other=$!
write_lock_held() {
	[ "$(sql "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
	  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" -ge 1 ]
}
wait_until 30 write_lock_held || fail "the other session did not take the write lock: $(cat "$T/other.out")"
ok org import again.csv --effective 2026-01-01
wait "$other" || fail "the other session failed: $(cat "$T/other.out")"
grep -qx 'ended|1' "$T/other.out" || fail "plumb's session was not ended while it waited: $(cat "$T/other.out")"
[ "$(sql "SELECT COUNT(*) FROM people WHERE employee_id = 'N002'")" = 1 ] || fail "the import after a new BEGIN"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'org.import'")" = 3 ] || fail "not audited once"
ok audit verify
