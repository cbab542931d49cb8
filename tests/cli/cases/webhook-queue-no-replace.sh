# A delivery moved into failed/, or put back into the queue, never replaces a file of the
# same name there (found in the sync hunt: rename() did, and a delivery was lost without a
# word; names repeat with the same pid after a container restart, the sequence restarted,
# or the same millisecond after the clock was set back). It takes NAME-1.delivery instead,
# its reason beside it under that name; the one there keeps its own.
init_db
ok source add deploy --name hooks --webhook-secret-env HOOK_TOKEN
export HOOK_TOKEN=deploy-token-no-replace
Q=$T/queue
. "$ROOT/tests/cli/webhook-queue.sh"
name=0000000000000001-1-000001.delivery
mkdir -m 700 -p "$Q/failed"
printf 'failed before\n' >"$Q/failed/$name"
printf 'failed before: its reason\n' >"$Q/failed/$name.error"
printf '{"kind":"deploy","source":"hooks","length":900}\n{"deploy' >"$Q/$name"
serve --webhook-queue "$Q"
wait_until 30 queue_empty || fail "the bad delivery was not taken: $(ls -R "$Q")"
stop_server
[ "$(cat "$Q/failed/$name")" = "failed before" ] || fail "the failed delivery was replaced: $(ls -R "$Q")"
[ "$(cat "$Q/failed/$name.error")" = "failed before: its reason" ] || fail "its reason was replaced"
second=${name%.delivery}-1.delivery
grep -q '"length":900' "$Q/failed/$second" || fail "the second is not under failed/ as $second: $(ls -R "$Q")"
grep -q "is not a queued webhook delivery" "$Q/failed/$second.error" || fail "no reason beside $second"
grep -q "kept as .*failed/$second" "$T/access.log" || fail "the log names another file"

# Put back while a delivery of the same name waits in the queue: both stay.
printf 'waiting\n' >"$Q/$name"
ok webhook requeue --dir "$Q" "$name"
expect_out "1 delivery back in $Q"
[ "$(cat "$Q/$name")" = waiting ] || fail "the waiting delivery was replaced: $(ls -R "$Q")"
[ "$(cat "$Q/$second")" = "failed before" ] || fail "the requeued one is not beside it as $second: $(ls -R "$Q")"
[ ! -e "$Q/failed/$name" ] && [ ! -e "$Q/failed/$name.error" ] || fail "the requeued one stayed under failed/"
[ -e "$Q/failed/$second" ] || fail "the other failed delivery moved"
ok audit verify
