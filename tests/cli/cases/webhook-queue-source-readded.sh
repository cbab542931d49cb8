# A delivery queued while the database was busy names the source whose secret signed it.
# Sequence: a GitHub push for acme/widgets is queued for source gh; the server stops; gh (no
# history yet) is removed and a source of the same name added again, with another secret and
# another repository; a server stores the queue.  The delivery is not the new gh's: it goes
# to failed/ saying so, and nothing is stored (it was stored into the new source, which
# neither signed nor reads it, on SQLite even under the same source id).
# The server's queue timers shortened (cli_serve.c): a delivery waits 0.2 s for the held
# database before it is queued, not 2, and the applier looks every 0.1 s, not every second.
export PLUMB_WEBHOOK_QUEUE_TIMES=200,100
init_db
ok source add github --name gh --repo acme/widgets --webhook-secret-env GH_SECRET
export GH_SECRET="It's a Secret to Everybody" NEW_SECRET=another-secret
Q=$T/queue
. "$ROOT/tests/cli/webhook-queue.sh"

serve --webhook-queue "$Q"
hold_lock
body=$FIXTURES/github/webhook-push.json
sig="sha256=$(openssl dgst -sha256 -hmac "$GH_SECRET" <"$body" | sed 's/^.*= //')"
http POST /webhooks/github -H "X-GitHub-Event: push" -H "X-GitHub-Delivery: push-1" -H "X-Hub-Signature-256: $sig" --data-binary "@$body"
expect_http 202
expect_json .queued true
stop_server
release_lock
[ "$(queued)" = 1 ] || fail "expected the delivery queued, found $(queued)"

ok source remove gh
ok source add github --name gh --repo other/thing --webhook-secret-env NEW_SECRET
before=$(sql "SELECT (SELECT COUNT(*) FROM events)||' '||(SELECT COUNT(*) FROM ingest_runs)||' '||(SELECT COUNT(*) FROM raw_payloads)||' '||(SELECT COUNT(*) FROM webhook_deliveries)")
serve --webhook-queue "$Q"
# The outcome itself is waited for: it is logged after the delivery is moved to failed/ and
# both directories are synced, which a loaded disk takes its time over.
wait_until 30 grep -q 'delivery push-1 not stored' "$T/access.log" ||
	fail "no outcome logged: $(grep webhook-queue "$T/access.log"); $(queued) deliveries queued"
queue_empty || fail "the queue still holds $(queued) deliveries"
stop_server
grep -q "webhook-queue: gh: delivery push-1 not stored: source 'gh' is not the source that signed this delivery" "$T/access.log" ||
	fail "the log does not say why: $(grep webhook-queue "$T/access.log")"
after=$(sql "SELECT (SELECT COUNT(*) FROM events)||' '||(SELECT COUNT(*) FROM ingest_runs)||' '||(SELECT COUNT(*) FROM raw_payloads)||' '||(SELECT COUNT(*) FROM webhook_deliveries)")
[ "$after" = "$before" ] || fail "the delivery was stored into the new source: was '$before', now '$after'"
ok webhook queue --dir "$Q" --json
expect_json '.[0] | "\(.state) \(.source) \(.delivery)"' "failed gh push-1"
expect_json '.[0].reason' "source 'gh' is not the source that signed this delivery"

# Put back, it fails again for the same reason; the sender's redelivery, signed with the
# new source's secret, is the new source's to read (here out of its scope: acknowledged).
ok webhook requeue --all --dir "$Q"
serve --webhook-queue "$Q"
# Counted at each try, in a function: "$(grep -c ...)" as wait_until's argument was counted
# once, before the wait, and when the outcome came after that count (the queue was empty
# before the line was logged) it waited its 10 s for a count that never changed.
not_stored_twice() { [ "$(grep -c 'delivery push-1 not stored' "$T/access.log")" = 2 ]; }
wait_until 30 not_stored_twice ||
	fail "the requeued delivery was not taken, or was stored: $(grep webhook-queue "$T/access.log")"
queue_empty || fail "the requeued delivery is still queued"
sig="sha256=$(openssl dgst -sha256 -hmac "$NEW_SECRET" <"$body" | sed 's/^.*= //')"
http POST /webhooks/github -H "X-GitHub-Event: push" -H "X-GitHub-Delivery: push-1" -H "X-Hub-Signature-256: $sig" --data-binary "@$body"
expect_http 200
expect_json .ignored true
stop_server
[ "$(sql "SELECT COUNT(*) FROM events")" = 0 ] || fail "events were stored"
