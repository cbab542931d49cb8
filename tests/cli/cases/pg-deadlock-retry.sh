# A deadlock between a plumb write and another session: PostgreSQL cancels plumb's
# transaction, plumb rolls it back and runs it again (ctx_run), and both finish.  Without
# the retry one of the two would fail.
[ "$(engine)" = postgres ] || skip "postgres only: deadlock detection and retries"
init_db
ok org import "$FIXTURES/org-small.csv"
lock=8101244078216505961 # plumb's write lock (store_pg.c)
# The other session: holds audit_checkpoints (every plumb write inserts there last), waits
# until plumb is blocked on it, then asks for plumb's write lock: a deadlock, whatever the
# machine's speed.  Its long deadlock_timeout makes plumb the one cancelled.
(
	echo "BEGIN; SET LOCAL deadlock_timeout = '20s'; LOCK TABLE audit_checkpoints IN EXCLUSIVE MODE;"
	sql_until_plumb_waits
	echo "SELECT pg_advisory_xact_lock($lock); COMMIT;"
) | sql_session >"$T/other.out" 2>&1 &
other=$!
# plumb starts once the other session holds the table.
table_held() {
	[ "$(sql "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
	  WHERE c.relname = 'audit_checkpoints' AND l.mode = 'ExclusiveLock' AND l.granted
	  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")" = 1 ]
}
wait_until 30 table_held || fail "the other session did not lock audit_checkpoints: $(cat "$T/other.out")"
deadlocks_before=$(sql "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
start=$(date +%s)
ok service set ledger --team payments --effective 2026-01-01
wait "$other" || fail "the other session failed: $(cat "$T/other.out")"
expect_out "service ledger created"
[ $(($(date +%s) - start)) -lt 15 ] || fail "plumb waited for the other session's deadlock timeout instead of retrying"
[ "$(sql "SELECT COUNT(*) FROM services WHERE name = 'ledger'")" = 1 ] || fail "the retried write is missing or doubled"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'service.create' AND object_id = 'ledger'")" = 1 ] || fail "audit entry missing or doubled"
ok audit verify
# PostgreSQL saw the deadlock (its statistics arrive within a second or so, once plumb's
# backend is idle or gone: later on a loaded machine).
deadlock_counted() {
	[ "$(sql "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")" -gt "$deadlocks_before" ]
}
wait_until 30 deadlock_counted || fail "no deadlock happened, so the retry was not exercised"
