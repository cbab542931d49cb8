# plumb serve --notify-every: the server sends the reminders that are due once it listens,
# records them as plumb notify does, counts the run in /metrics and the access log, and
# still stops cleanly on SIGTERM.  Its options are checked before it starts.
export PLUMB_NOW=2026-11-20T00:00:00Z
ok init
ok org import "$FIXTURES/review/org-reminders.csv"
ok framework import "$FIXTURES/review/framework-minimal.yaml"
ok cycle create 2026-annual --kind annual --scope core --due self_review=2026-12-04T00:00:00Z
smtp_start

run serve --notify-every 15x --smtp-url "$SMTP_URL" --from plumb@acme.example
expect_status 2
expect_err "--notify-every: '15x' is not a duration"
run serve --notify-every 1h
expect_status 2
expect_err "--notify-every needs a way to send reminders"
run serve --smtp-url "$SMTP_URL" --from plumb@acme.example
expect_status 2
expect_err "reminder options without --notify-every"

# Two days before the self reviews are due (PLUMB_NOW is the server's now).
export PLUMB_NOW=2026-12-02T12:00:00Z
serve --notify-every 1h --smtp-url "$SMTP_URL" --from plumb@acme.example
sent() { [ "$(sql "SELECT COUNT(*) FROM reminders")" = 4 ] && grep -q "^notify: " "$T/access.log"; }
wait_until 60 sent
grep -qx "notify: 4 sent, 0 failed, 0 skipped" "$T/access.log" || fail "access log: $(cat "$T/access.log")"
[ "$(mails)" = "ana@acme.example Due 2026-12-04: Self review of Ana Ruiz (2026-annual)
bo@acme.example Due 2026-12-04: Self review of Bo Chen (2026-annual)
jose@acme.example Due 2026-12-04: Self review of José Núñez (2026-annual)
mia@acme.example Due 2026-12-04: Self review of Mia Manager (2026-annual)" ] || fail "mails: $(mails)"
# The run is counted once the notify thread is done with it, after its line: asked until then.
notify_counted() { http GET /metrics && grep -qx "plumb_notify_runs_total 1" "$T/out"; }
wait_until 30 notify_counted || fail "metrics: $(grep notify "$T/out")"
expect_http 200
stop_server
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'notify.send'")" = 4 ] || fail "audit entries"

# A server started again sends nothing twice.
serve --notify-every 1h --smtp-url "$SMTP_URL" --from plumb@acme.example
second_run() { [ "$(grep -c "^notify: " "$T/access.log")" = 2 ]; }
wait_until 60 second_run
[ "$(grep "^notify: " "$T/access.log" | tail -1)" = "notify: 0 sent, 0 failed, 0 skipped" ] ||
	fail "second server: $(cat "$T/access.log")"
stop_server
[ "$(mails '. | length')" = 4 ] || fail "a restarted server sent again: $(mails)"
ok audit verify
