# An empty directory name is no queue (found by a conformance hunt: 'webhook queue --dir ""'
# said "the webhook queue  holds no deliveries" after reading "/failed", requeue read it too,
# and 'serve --webhook-queue ""' started, its queue's files to be "/NAME").  Exit 2, nothing
# read, made or written.
init_db
before=$(sql "SELECT COUNT(*) FROM audit_log")
run webhook queue --dir ''
expect_status 2
expect_err "plumb: error: --dir: an empty name is not a directory"
[ -s "$T/out" ] && fail "webhook queue --dir '' printed output"
run webhook requeue --dir '' --all
expect_status 2
expect_err "plumb: error: --dir: an empty name is not a directory"
# Refused at start: a server that started would run until stopped.
echo "+ plumb serve --webhook-queue ''" >&2
timeout 20 "$PLUMB" serve --listen 127.0.0.1:0 --webhook-queue '' >"$T/out" 2>"$T/err"
status=$?
sanitizer_report "$T/err" && fail "sanitizer report from plumb serve"
expect_status 2
expect_err "plumb: error: --webhook-queue: an empty name is not a directory"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$before" ] || fail "an audit entry was written"
true
