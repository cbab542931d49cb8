# webhook requeue with nothing to put back: --all on a queue that holds no failed delivery
# (none at all, no directory yet, or only waiting ones) says so, exits 0 and writes
# nothing (found by an acceptance pass: 'plumb webhook requeue --all' on the default,
# empty queue aborted with "BUG: ... ran webhook.queue, its row says webhook.requeue").
# Neither FILE nor --all is a usage error that says what is needed, not "not both".
init_db
before=$(counts)
audit=$(sql "SELECT COUNT(*) FROM audit_log")
Q="$T/q"
run webhook requeue --all
if [ "$(engine)" = postgres ]; then
	expect_status 2 # no default queue: --dir names it
	expect_err "give --dir"
else
	expect_status 0
	expect_out "the webhook queue $PLUMB_DB.webhooks holds no failed deliveries"
fi
ok webhook requeue --all --dir "$Q"
expect_out "holds no failed deliveries"
mkdir -p "$Q/failed"
printf 'not a delivery\n' >"$Q/0000000000000001-1-000000.delivery"
ok webhook requeue --all --dir "$Q"
expect_out "the webhook queue $Q holds no failed deliveries"
[ -f "$Q/0000000000000001-1-000000.delivery" ] || fail "a waiting delivery moved"
expect_counts "$before"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$audit" ] || fail "requeuing nothing was audited"

# Usage: what is needed, and not both.
run webhook requeue --dir "$Q"
expect_status 2
expect_err "plumb: error: 'plumb webhook requeue' needs FILE... or --all"
run webhook requeue --dir "$Q" --all 0000000000000001-1-000000.delivery
expect_status 2
expect_err "give the failed deliveries' file names or --all, not both"

# One failed delivery, then --all again: one back, then nothing.
printf 'not a delivery either\n' >"$Q/failed/0000000000000002-1-000000.delivery"
ok webhook requeue --all --dir "$Q"
expect_out "1 delivery back in $Q"
ok webhook requeue --all --dir "$Q"
expect_out "holds no failed deliveries"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'webhook.requeue'")" = 1 ] || fail "the requeue is not audited once"
