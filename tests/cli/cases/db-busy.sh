# SQLite: a write that waits past its --lock-wait behind another process's write lock
# fails as busy, exit status 75 (EX_TEMPFAIL: run it again) and over HTTP 503 with
# Retry-After, not as a broken database (exit 1, 500); nothing is written.  Writes wait
# 60 s by default, the command line's as the server's: held 12 s, past SQLite's own 10 s
# busy timeout, both go through once the lock is free.  (cli-lock-wait.sh: the option on
# both engines.)
sqlite_only "the busy timeout is SQLite's"
init_db
tok=$(token admin write)
printf 'a long enough password\n' >"$T/pw"
ok user passwd admin --password-file "$T/pw"
serve --lock-wait 1
jar="$T/jar"
csrf=$(curl -s -c "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
# Another process takes the write lock and keeps it; locked: it says it holds it. (It waits
# for the lock, and says so once it has it: found in session 39's CI, a check that a write
# is refused passed on the server's own short write at its start, while the other process's
# BEGIN IMMEDIATE had failed on it, and the write that should have waited went through.)
locked() { grep -q have-lock "$T/lock.out" 2>/dev/null; }
take_lock() { # the meta key its uncommitted insert writes
	printf '.timeout 20000\n.bail on\nBEGIN IMMEDIATE;\nINSERT INTO meta(key, value) VALUES (%s, %s);\nSELECT %s;\n' \
		"'$1'" "'x'" "'have-lock'" >&7
}
mkfifo "$T/lock.in"
sqlite3 "$PLUMB_DB" <"$T/lock.in" >"$T/lock.out" 2>&1 &
locker=$!
exec 7>"$T/lock.in"
at_exit "exec 7>&-; kill $locker 2>/dev/null; wait $locker 2>/dev/null"
take_lock busy-test
wait_until 30 locked || fail "the other process did not take the write lock"
audit=$(sqlite3 "$PLUMB_DB" "SELECT COUNT(*) FROM audit_log")
run --lock-wait 1 source add deploy --name late
expect_status 75
expect_err "database is locked"
expect_err "hint: another plumb process holds the database; try again"
http POST /api/v1/sources -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' -d '{"args":["deploy"],"name":"late"}'
expect_http 503
expect_json .error.code busy
expect_header "Retry-After: 1"
# A sign-in's session is a write: busy, the page says so and when to come back, as the API does
# (found in fix-pages11: no Retry-After).
http POST /signin -b "$jar" -H "Origin: $URL" -d "csrf=$csrf&user=admin&password=a+long+enough+password"
expect_http 503
expect_header "Retry-After: 1"
echo "ROLLBACK;" >&7
exec 7>&-
wait $locker
[ "$(sql "SELECT COUNT(*) FROM sources")" = 0 ] || fail "a busy write wrote"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$audit" ] || fail "a busy write was audited"
ok source add deploy --name late
stop_server

# By default a server's write, and the command line's, outwaits a long one (a large
# ingest publishing).
serve
# Emptied first: the redirection below comes only after the fifo is open, and meanwhile
# locked could find the first session's have-lock (under load, 20 of 300 tries).
: >"$T/lock.out"
sqlite3 "$PLUMB_DB" <"$T/lock.in" >"$T/lock.out" 2>&1 &
locker=$!
exec 7>"$T/lock.in"
take_lock busy-test-2
wait_until 30 locked || fail "the other process did not take the write lock"
(sleep 12; echo "ROLLBACK;" >&7; exec 7>&-) &
releaser=$!
start=$(date +%s)
"$PLUMB" source add deploy --name patient-cli >"$T/cli.out" 2>"$T/cli.err" 7>&- &
cli=$!
http POST /api/v1/sources -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' -d '{"args":["deploy"],"name":"patient"}'
waited=$(($(date +%s) - start))
wait $cli || fail "the command line's write did not outwait the lock: $(cat "$T/cli.err")"
wait $releaser
exec 7>&-
wait $locker
expect_http 200
[ "$waited" -ge 11 ] || fail "the write went through after $waited s, while the lock was held 12 s"
[ "$(sql "SELECT COUNT(*) FROM sources WHERE name = 'patient'")" = 1 ] || fail "the patient write was not stored"
[ "$(sql "SELECT COUNT(*) FROM sources WHERE name = 'patient-cli'")" = 1 ] || fail "the command line's patient write was not stored"
