# A reminder goes out only for work still pending when it is recorded: notify reads what is
# due, then records and sends each reminder in a write transaction of its own, and work done
# between the two (a self review submitted while notify waited for the write lock, or sent
# the mails before) is skipped, not reminded.  Found by a race on PostgreSQL, whose lock
# goes to its waiters in turn: E001's 'feedback submit' queued behind notify's reading
# committed before notify recorded E001's reminder, which still went out as due.  SQLite's
# busy handler grants the lock in no set order, so the race cannot be arranged there.
postgres_only "the write lock's waiters are served in turn only on PostgreSQL"
export PLUMB_NOW=2026-11-20T00:00:00Z
ok init
ok org import "$FIXTURES/review/org-reminders.csv"
ok framework import "$FIXTURES/review/framework-minimal.yaml"
ok user add --person E001 --role employee
ok cycle create 2026-annual --kind annual --scope core --due self_review=2026-12-04T00:00:00Z \
	--due feedback=2026-12-18T00:00:00Z --due manager_review=2027-01-08T00:00:00Z --due calibration=2027-01-15T00:00:00Z \
	--due signoff=2027-01-22T00:00:00Z --due delivery=2027-01-29T00:00:00Z
file self.yaml <<YAML
ratings: {delivery: 2, collaboration: 2, leadership: 2}
YAML
smtp_start
lock=8101244078216505961 # plumb's write lock on PostgreSQL (store_pg.c)

rm -f "$T/lock.in" && mkfifo "$T/lock.in"
sql_session <"$T/lock.in" >/dev/null 2>&1 &
locker=$!
exec 6>"$T/lock.in"
at_exit "exec 6>&-; kill $locker 2>/dev/null"
echo "BEGIN; SELECT pg_advisory_xact_lock($lock);" >&6
held() {
	[ "$(sql "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
	  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" = 1 ]
}
wait_until 10 held || fail "the other session did not take the write lock"
waiters() {
	[ "$(sql "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'plumb'
	  AND datname = current_database() AND wait_event_type = 'Lock'")" -ge "$1" ]
}
# notify first in the queue, then the self review: notify reads what is due, then waits
# for its first record behind the submit.
"$PLUMB" --lock-wait 60 notify --as-of 2026-12-02T12:00:00Z --smtp-url "$SMTP_URL" \
	--from plumb@acme.example >"$T/notify.out" 2>"$T/notify.err" &
notifier=$!
wait_until 60 waiters 1 || fail "notify did not come to wait for the lock"
"$PLUMB" --lock-wait 60 --as E001 feedback submit --cycle 2026-annual --for E001 --relation self \
	"$T/self.yaml" >"$T/submit.out" 2>"$T/submit.err" &
submitter=$!
wait_until 60 waiters 2 || fail "feedback submit did not come to wait for the lock"
echo "COMMIT;" >&6
echo '\q' >&6
exec 6>&-
wait "$locker" || fail "the session holding the lock failed"
wait "$submitter" || fail "feedback submit failed: $(cat "$T/submit.err")"
wait "$notifier" || fail "notify failed: $(cat "$T/notify.err")"
[ "$(mails '[.[] | select(.to == ["ana@acme.example"])] | length')" = 0 ] ||
	fail "E001's self review, submitted while notify waited, was reminded: $(mails)"
[ "$(mails)" = "bo@acme.example Due 2026-12-04: Self review of Bo Chen (2026-annual)
jose@acme.example Due 2026-12-04: Self review of José Núñez (2026-annual)
mia@acme.example Due 2026-12-04: Self review of Mia Manager (2026-annual)" ] || fail "mails: $(mails)"
grep -q "3 sent, 0 failed, 1 skipped" "$T/notify.out" || fail "report: $(cat "$T/notify.out")"
grep -q "skipped: due by email to Ana Ruiz (E001, ana@acme.example).*no longer pending" "$T/notify.out" ||
	fail "the skip does not say why: $(cat "$T/notify.out")"
[ "$(sql "SELECT COUNT(*) FROM reminders")" = 3 ] || fail "reminders: $(sql "SELECT * FROM reminders")"
ok audit verify
