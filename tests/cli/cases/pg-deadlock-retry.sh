# A deadlock between a plumb write and another session: PostgreSQL cancels plumb's
# transaction, plumb rolls it back and runs it again (ctx_run), and both finish.  Without
# the retry one of the two would fail.
[ "$(engine)" = postgres ] || skip "postgres only: deadlock detection and retries"
ok init
ok org import "$FIXTURES/org-small.csv"
lock=8101244078216505961 # plumb's write lock (store_pg.c)
# The other session: holds audit_checkpoints (every plumb write inserts there last), then
# asks for plumb's write lock.  Its long deadlock_timeout makes plumb the one cancelled.
(
	echo "BEGIN; SET LOCAL deadlock_timeout = '20s'; LOCK TABLE audit_checkpoints IN EXCLUSIVE MODE;"
	echo "SELECT pg_sleep(1.2); SELECT pg_advisory_xact_lock($lock); COMMIT;"
) | sql_session >"$T/other.out" 2>&1 &
other=$!
sleep 0.3
start=$(date +%s)
ok service set ledger --team payments --effective 2026-01-01
wait "$other" || fail "the other session failed: $(cat "$T/other.out")"
expect_out "service ledger created"
[ $(($(date +%s) - start)) -lt 15 ] || fail "plumb waited for the other session's deadlock timeout instead of retrying"
[ "$(sql "SELECT COUNT(*) FROM services WHERE name = 'ledger'")" = 1 ] || fail "the retried write is missing or doubled"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'service.create' AND object_id = 'ledger'")" = 1 ] || fail "audit entry missing or doubled"
ok audit verify
