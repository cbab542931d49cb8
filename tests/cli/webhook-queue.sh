# Helpers of the webhook queue's cases (serve-webhook-queue*.sh), sourced by them: $Q is
# the queue's directory, $HOOK_TOKEN the deploy source hooks' secret.

# hold_lock / release_lock: another session takes plumb's write lock and keeps it.
hold_lock() {
	# lock.out emptied here, not only by the session's redirection: that one comes after the
	# fifo is open, and a look meanwhile found the last session's "locked" (under load, 20 of
	# 300 tries), so this one was taken for holding the lock before it had asked for it.
	rm -f "$T/lock.in" && mkfifo "$T/lock.in" && : >"$T/lock.out"
	sql_session <"$T/lock.in" >"$T/lock.out" 2>&1 &
	locker=$!
	exec 6>"$T/lock.in"
	if [ "$(engine)" = postgres ]; then
		echo "BEGIN; SELECT pg_advisory_xact_lock(8101244078216505961);" >&6 # store_pg.c
		# This database's: another case's (CI runs two at a time on one cluster) holds the
		# same key in its own database whenever it writes, and a count of all of them was 2.
		for _ in $(seq 100); do
			[ "$(sql "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = 550824553
			  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" = 1 ] && return 0
			sleep 0.05
		done
	else
		# Waiting out a write of the server's own (a dashboard refresh after a delivery), and
		# saying so once it holds the lock: a probe of the lock could see that write instead.
		printf '%s\n' ".timeout 10000" ".bail on" \
			"BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES ('queue-test', 'x'); SELECT 'locked';" >&6
		for _ in $(seq 200); do
			grep -qx locked "$T/lock.out" && return 0
			sleep 0.05
		done
	fi
	fail "the other session did not take the write lock"
}
release_lock() {
	echo "ROLLBACK;" >&6
	exec 6>&-
	wait "$locker"
}
deploy() { # deploy ID DAYS_AGO
	printf '{"deployments":[{"id":"%s","service":"checkout","environment":"production","sha":"%040d","started":"%s","finished":"%s","status":"success"}]}' \
		"$1" "$RANDOM" "$(date -u -d "$2 days ago" +%Y-%m-%dT%H:%M:%SZ)" "$(date -u -d "$2 days ago" +%Y-%m-%dT%H:%M:%SZ)"
}
deliver() { # deliver ID DAYS_AGO
	deploy "$1" "$2" >"$T/$1.json"
	http POST /webhooks/deploy -H "Authorization: Bearer $HOOK_TOKEN" -H "X-Delivery-Id: $1" --data-binary "@$T/$1.json"
}
queued() { find "$Q" -maxdepth 1 -name '*.delivery' 2>/dev/null | wc -l; }
queue_empty() { [ "$(queued)" = 0 ]; } # for wait_until
