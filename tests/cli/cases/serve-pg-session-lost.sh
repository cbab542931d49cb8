# PostgreSQL ends plumb serve's sessions (a restart, a failover, pg_terminate_backend): each
# worker keeps its connection for the server's life, and found it lost for ever, every
# request it took answered 503 until plumb was restarted.  Now a worker opens a new session
# when it next begins, and one ended while idle is found so before its next statement (the
# server's goodbye waits on the socket): no request fails, and writes go on.
postgres_only "the server's PostgreSQL sessions"
init_db
ok org import "$FIXTURES/org-small.csv"
admin_w=$(token admin write)
serve --threads 2
auth=(-H "Authorization: Bearer $admin_w")
for _ in 1 2 3 4; do
	http GET /api/v1/org "${auth[@]}"
	expect_http 200
done
# Every session of this database ends, plumb's workers' among them.
before=$(pg_admin "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '$pg_db'")
[ "$before" -ge 1 ] || fail "the server holds no session"
pg_admin "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$pg_db'" >/dev/null
for _ in $(seq 100); do
	[ "$(pg_admin "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '$pg_db'")" = 0 ] && break
	sleep 0.05
done
# Every request answers: each worker found its session ended before using it (it was: its
# first request failed, 500, "lost the connection"; then one or two a worker).
failed=0 streak=0
for _ in $(seq 40); do
	http GET /api/v1/org "${auth[@]}"
	if [ "$HTTP_STATUS" = 200 ]; then
		streak=$((streak + 1))
		[ "$streak" -ge 8 ] && break
	else
		jq -e '.error.message | startswith("lost the connection to PostgreSQL")' "$T/out" >/dev/null ||
			fail "a lost session answered $HTTP_STATUS: $(cat "$T/out")"
		failed=$((failed + 1)) streak=0
	fi
done
[ "$streak" -ge 8 ] || fail "the server did not recover: $failed of 40 requests failed after the sessions ended"
[ "$failed" = 0 ] || fail "$failed requests failed after the sessions ended"
http POST /api/v1/services "${auth[@]}" -H 'Content-Type: application/json' -d '{"args":["search-api"],"team":"search"}'
expect_http 200
[ "$(sql "SELECT COUNT(*) FROM services WHERE name = 'search-api'")" = 1 ] || fail "the write after the loss was not stored"
ok audit verify
stop_server
