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
# Its audit entry names the file as it is in the queue, and the name it had in failed/:
# audited under that name before the move, the entry named no file there.
[ "$(sql "SELECT object_id FROM audit_log WHERE action = 'webhook.requeue'")" = "$second" ] ||
	fail "the requeue's audit entry names $(sql "SELECT object_id FROM audit_log WHERE action = 'webhook.requeue'"), not $second"
ok audit log --json
[ "$(jq -r '[.[] | select(.action == "webhook.requeue")] | last | .detail.failed_as' "$T/out")" = "$name" ] ||
	fail "the requeue's audit entry does not say the name it had in failed/"

# One without a delivery id is stored by its key, the name it was first queued under
# (written in its first line): put back beside a copy of it that waits in the queue, it
# takes NAME-1.delivery but is still the delivery stored before (by its file's name it was
# stored again, an extra run). One an older plumb wrote, without a key,
# keeps the file-name rule: checked by the name it takes, as the server stores it.
rm -rf "$Q" && mkdir -m 700 "$Q"
serve --webhook-queue "$Q"
hold_lock
printf '{"deployments":[{"id":"n-1","service":"checkout","environment":"production","sha":"%040d","started":"2026-01-02T00:00:00Z","finished":"2026-01-02T00:01:00Z","status":"success"}]}' 1 >"$T/n-1.json"
http POST /webhooks/deploy -H "Authorization: Bearer $HOOK_TOKEN" --data-binary "@$T/n-1.json"
expect_json .queued true
f=$(find "$Q" -maxdepth 1 -name '*.delivery')
n1=${f##*/}
# The name and a random part: the name is unique in the queue only, and a server restarted
# with the same pid and its clock set back gave a new delivery a stored one's name.
head -1 "$f" | grep -qE "\"key\":\"${n1%.delivery}-[0-9a-f]{16}\"" ||
	fail "no key of the name and a random part in the queued file's first line: $(head -1 "$f")"
cp -p "$f" "$T/n-1.delivery"
release_lock
wait_until 30 queue_empty || fail "the delivery without an id was not stored"
stop_server
runs=$(sql "SELECT COUNT(*) FROM ingest_runs WHERE status = 'published'")
cp -p "$T/n-1.delivery" "$Q/$n1"
cp -p "$T/n-1.delivery" "$Q/failed/$n1"
ok webhook requeue --dir "$Q" "$n1"
grep -q "${n1%.delivery}-1.delivery: hooks stored it before" "$T/err" ||
	fail "put back as ${n1%.delivery}-1.delivery, not said stored before: $(cat "$T/err")"
sed '1s/"key":"[^"]*",//' "$T/n-1.delivery" >"$Q/failed/$n1"
ok webhook requeue --dir "$Q" "$n1"
grep -q "stored it before" "$T/err" && fail "without a key, said stored before as $n1, but put back as ${n1%.delivery}-2.delivery: $(cat "$T/err")"
serve --webhook-queue "$Q"
wait_until 30 queue_empty || fail "the queue was not emptied: $(ls -R "$Q")"
stop_server
[ "$(sql "SELECT COUNT(*) FROM ingest_runs WHERE status = 'published'")" = $((runs + 1)) ] ||
	fail "the renamed copy with a key was stored again, or the one without a key was not stored"
ok audit verify
