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
lock=8101244078216505961 # plumb's write lock (store_pg.c): the write waits behind it
# The other session holds the lock until plumb waits for it, then ends plumb's session.
(
	echo "BEGIN; SELECT pg_advisory_xact_lock($lock);"
	sql_until_plumb_waits
	echo "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'plumb' AND datname = current_database();"
	echo "COMMIT;"
) | sql_session >"$T/other.out" 2>&1 &
other=$!
for _ in $(seq 100); do # plumb starts once the other session holds the lock (bounded: 10 s)
	[ "$(sql "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
	  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" -ge 1 ] && break
	sleep 0.1
done
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
