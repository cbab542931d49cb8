# A delivery two sources of one hook (one secret) could read is stored once, whichever took it
# (found hunting): A and B read acme/widgets under one secret; push-1 is queued for A while
# the database is busy; A is paused, so the queue fails it; the sender redelivers it, and B
# stores it; A is resumed and the failed delivery requeued.  The requeue warns that B stored
# it, and the server removes it as a duplicate: no second copy of its events under A (there
# was one).
# The server's queue timers shortened (cli_serve.c): a delivery waits 0.2 s for the held
# database before it is queued, not 2, and the applier looks every 0.1 s, not every second.
export PLUMB_WEBHOOK_QUEUE_TIMES=200,100
init_db
export HOOK_SECRET="It's a Secret to Everybody"
ok source add github --name A --repo acme/widgets --webhook-secret-env HOOK_SECRET
ok source add github --name B --repo acme/widgets --webhook-secret-env HOOK_SECRET
Q=$T/queue
. "$ROOT/tests/cli/webhook-queue.sh"
body=$FIXTURES/github/webhook-push.json
sig="sha256=$(openssl dgst -sha256 -hmac "$HOOK_SECRET" <"$body" | sed 's/^.*= //')"
push() { http POST /webhooks/github -H "X-GitHub-Event: push" -H "X-GitHub-Delivery: push-1" -H "X-Hub-Signature-256: $sig" --data-binary "@$body"; }

serve --webhook-queue "$Q"
hold_lock
push
expect_http 202
stop_server
release_lock
ok webhook queue --dir "$Q" --json
expect_json '.[0] | "\(.state) \(.source)"' "waiting A"
ok source pause A --reason "token revoked upstream"
serve --webhook-queue "$Q"
wait_until 30 queue_empty || fail "the queue still holds $(queued) deliveries"
# The sender redelivers it: A is paused, so B, of the same hook, reads it.
push
expect_http 202
expect_json '"\(.source) \(.queued) \(.duplicate)"' "B false false"
stop_server
events=$(sql "SELECT COUNT(*) FROM events")
[ "$events" -gt 0 ] || fail "B stored nothing"
[ "$(sql "SELECT s.name FROM webhook_deliveries d JOIN sources s ON s.id = d.source_id WHERE d.delivery_id = 'push-1'")" = B ] ||
	fail "push-1 not stored by B: $(sql "SELECT * FROM webhook_deliveries")"

ok source resume A
ok webhook requeue --all --dir "$Q"
expect_err "B stored it before, as run"
serve --webhook-queue "$Q"
wait_until 30 queue_empty || fail "the requeued delivery was not taken"
stop_server
[ "$(sql "SELECT COUNT(*) FROM events")" = "$events" ] || fail "push-1 stored a second time under A: $(sql "SELECT COUNT(*) FROM events") events, was $events"
[ "$(sql "SELECT COUNT(*) FROM webhook_deliveries WHERE delivery_id = 'push-1'")" = 1 ] || fail "push-1 recorded twice"
ok audit verify
