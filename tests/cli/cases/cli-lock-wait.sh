# The command line's --lock-wait (and PLUMB_LOCK_WAIT): how long a write waits for another
# writer's lock, such as a large ingest publishing, before it fails busy with exit 75 and
# nothing written; a write whose lock comes free within it goes through.  On a terminal the
# wait shows as a line on stderr, cleared when it ends; elsewhere nothing is printed.
init_db

busy_message() {
	expect_status 75
	if [ "$(engine)" = postgres ]; then
		expect_err "lock timeout"
		expect_err "hint: another plumb process holds the write lock; try again"
	else
		expect_err "database is locked"
		expect_err "hint: another plumb process holds the database; try again"
	fi
}

hold_write_lock
audit=$(sql "SELECT COUNT(*) FROM audit_log")
# A short --lock-wait gives up after it, with the busy error; not a terminal: no wait line.
start=$(date +%s%N)
run --lock-wait 2 source add deploy --name late
waited=$((($(date +%s%N) - start) / 1000000))
busy_message
[ "$waited" -ge 1900 ] && [ "$waited" -lt 8000 ] || fail "--lock-wait 2 gave up after $waited ms"
! grep -q "waiting for another writer" "$T/err" || fail "a wait line on stderr that is not a terminal"
# The same from the environment, and --lock-wait=N; the option wins over the variable.
PLUMB_LOCK_WAIT=1 run source add deploy --name late
busy_message
start=$(date +%s%N)
PLUMB_LOCK_WAIT=1000 run --lock-wait=1 source add deploy --name late
waited=$((($(date +%s%N) - start) / 1000000))
busy_message
[ "$waited" -lt 6000 ] || fail "--lock-wait=1 beside PLUMB_LOCK_WAIT=1000 gave up after $waited ms"

# On a terminal: a line each second while it waits, cleared when the wait ends.
script -qefc "$PLUMB --lock-wait 3 source add deploy --name late" "$T/tty.log" >/dev/null 2>&1 </dev/null
tty_status=$?
[ "$tty_status" = 75 ] || fail "on a terminal: exit $tty_status, expected 75: $(cat "$T/tty.log")"
grep -q "waiting for another writer\.\.\. 1 s (gives up after 3 s)" "$T/tty.log" ||
	fail "no wait line on a terminal: $(cat -v "$T/tty.log")"
grep -q "waiting for another writer\.\.\. 2 s (gives up after 3 s)" "$T/tty.log" ||
	fail "the wait line did not count on: $(cat -v "$T/tty.log")"
! grep -q "writer\.\.\. 3 s (gives up after 3 s)" "$T/tty.log" ||
	fail "a tick at the limit, just before the error: $(cat -v "$T/tty.log")"
# Cleared (carriage return, erase line) before the error is printed.
grep -q $'gives up after 3 s)\e\\[K\r\e\\[Kplumb: error:' "$T/tty.log" ||
	fail "the wait line was not cleared before the error: $(cat -v "$T/tty.log")"
[ "$(sql "SELECT COUNT(*) FROM sources")" = 0 ] || fail "a busy write wrote"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$audit" ] || fail "a busy write was audited"

# Ctrl-C during the wait stops the command at once, writes nothing and clears the line, so
# the shell's prompt does not follow a stale "waiting for another writer... 2 s".
# A terminal's command takes SIGINT; a case run in the background (tests/run) has it
# ignored, which plumb keeps, as it should for nohup: env gives the command the default.
# exec: script runs the command through $SHELL -c, and dash (the shell when SHELL is unset,
# as under CI) forks for it, so script's child would be the shell, which outlives a SIGINT.
script -qefc "exec env --default-signal=INT $PLUMB --lock-wait 30 source add deploy --name interrupted" \
	"$T/int.log" >/dev/null 2>&1 </dev/null &
term=$!
# The signal comes during the wait, once its line shows: after plumb's start and a second of
# waiting, which on a loaded machine can take more than the 5 s this was bounded by (and a
# Ctrl-C before the line had nothing to clear).
wait_until 60 grep -q "waiting for another writer\.\.\. 1 s" "$T/int.log" 2>/dev/null ||
	fail "no wait line before the Ctrl-C: $(cat -v "$T/int.log")"
start=$(date +%s%N)
kill -INT $(pgrep -P "$term") # plumb, script's child, as the terminal's Ctrl-C
wait "$term"
int_status=$?
waited=$((($(date +%s%N) - start) / 1000000))
[ "$int_status" = 130 ] || fail "Ctrl-C during the wait: exit $int_status, expected 130: $(cat -v "$T/int.log")"
[ "$waited" -lt 2000 ] || fail "Ctrl-C during the wait took $waited ms to stop the command"
grep -q $'gives up after 30 s)\e\\[K\r\e\\[K' "$T/int.log" ||
	fail "Ctrl-C left the wait line on the terminal: $(cat -v "$T/int.log")"
[ "$(sql "SELECT COUNT(*) FROM sources")" = 0 ] || fail "an interrupted write wrote"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$audit" ] || fail "an interrupted write was audited"
# Its PostgreSQL backend leaves the lock's queue within seconds (the server checks every
# second that the client is still there), not only once the holder lets go.
if [ "$(engine)" = postgres ]; then
	for _ in $(seq 50); do
		queued=$(sql "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
		  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
		[ "$queued" = 0 ] && break
		sleep 0.1
	done
	[ "$queued" = 0 ] || fail "the interrupted command's backend still waits for the write lock"
fi

# A write whose lock comes free within its wait goes through.
# The session is told to quit, not left to see the end of its input: a process started
# meanwhile (the psql behind sql on PostgreSQL) may hold the fifo open too.
(sleep 2; echo "ROLLBACK;" >&6; if [ "$(engine)" = postgres ]; then echo '\q' >&6; else echo .quit >&6; fi) &
releaser=$!
start=$(date +%s%N)
ok --lock-wait 20 source add deploy --name patient
waited=$((($(date +%s%N) - start) / 1000000))
wait "$releaser"
exec 6>&-
wait "$locker"
[ "$waited" -ge 1500 ] || fail "the write went through after $waited ms, while the lock was held 2 s"
[ "$(sql "SELECT COUNT(*) FROM sources WHERE name = 'patient'")" = 1 ] || fail "the patient write was not stored"
locker=

# Bad values are usage errors, before anything is opened.
run --lock-wait 0 source add deploy --name zero
expect_status 2
expect_err "--lock-wait: '0' is not a number of seconds from 1 to 3600"
run --lock-wait 5s source list
expect_status 2
PLUMB_LOCK_WAIT=soon run source list
expect_status 2
expect_err "PLUMB_LOCK_WAIT: 'soon' is not a number of seconds from 1 to 3600"
run --lock-wait 3 --lock-wait 4 source list
expect_status 2
expect_err "option --lock-wait given more than once"
[ "$(sql "SELECT COUNT(*) FROM sources")" = 1 ] || fail "a refused command wrote"
ok --lock-wait 3 source list
expect_out patient

# plumb serve started on a terminal shows no wait line, not even for the sources its
# --sync-every syncs on worker connections of their own: the access log tells a sync's time.
source "$ROOT/tests/http/apiserver.sh"
ok org import "$FIXTURES/org-small.csv"
api_start "$ROOT/tests/http/scenarios/github-sync"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL"
hold_write_lock
(sleep 3; echo "ROLLBACK;" >&6) &
releaser=$!
script -qefc "exec $PLUMB --lock-wait 20 serve --listen 127.0.0.1:0 --access-log $T/access.log --sync-every 1h" \
	"$T/serve-tty.log" >/dev/null 2>&1 </dev/null 6>&- &
server=$!
at_exit "kill $server 2>/dev/null"
wait_until 60 grep -q "^sync: gh: " "$T/access.log" 2>/dev/null
wait "$releaser"
exec 6>&-
wait "$locker"
locker=
grep -q "^sync: gh: run [0-9]* published" "$T/access.log" || fail "the server's sync did not outwait the lock: $(cat "$T/access.log")"
kill -TERM $(pgrep -P "$server") # plumb, script's child
wait "$server"
! grep -q "waiting for another writer" "$T/serve-tty.log" ||
	fail "a server's sync showed a wait line: $(cat -v "$T/serve-tty.log")"
