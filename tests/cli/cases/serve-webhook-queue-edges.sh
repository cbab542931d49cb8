# The webhook queue's edges (found in review): a paused source's delivery is refused 409 while
# the database is held, never queued as accepted.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set checkout --team payments --effective 2020-01-01
ok source add deploy --name hooks --webhook-secret-env HOOK_TOKEN
export HOOK_TOKEN=deploy-token-queue-8
Q=$T/queue
# The servers' queue timers shortened (cli_serve.c): a delivery waits 0.2 s for the held
# database, not 2, before it is queued, and the applier looks every 0.1 s, not every second.
# What each section checks happens either way; at the defaults the case waited 20 of its 33 s.
export PLUMB_WEBHOOK_QUEUE_TIMES=200,100

. "$ROOT/tests/cli/webhook-queue.sh"

# A paused source's delivery is 409 (the sender keeps it to deliver again) whether or not
# another writer holds the database: queued, it was answered 202 and then failed.
ok source pause hooks --reason "moving the pipeline"
serve --webhook-queue "$Q"
hold_lock
deliver p-1 1
expect_http 409
expect_json .error.code conflict
release_lock
[ "$(queued)" = 0 ] || fail "a paused source's delivery was queued"
[ "$(find "$Q" -type f 2>/dev/null | wc -l)" = 0 ] || fail "a paused source's delivery reached the disk: $(find "$Q" -type f)"
stop_server
ok source resume hooks

# A queue without failed/ (an operator cleared it with rm -r): a delivery that cannot be
# stored is still moved there, once; it looped, logging it thousands of times a second, and
# kept every later delivery queued behind it.
mkdir -m 700 -p "$Q"
rm -rf "$Q/failed"
printf '{"kind":"deploy","source":"hooks","length":900}\n{"deploy' >"$Q/0000000000000001-1-000001.delivery"
: >"$T/access.log"
serve --webhook-queue "$Q"
wait_until 30 queue_empty
[ -f "$Q/failed/0000000000000001-1-000001.delivery" ] || fail "the bad file was not moved to failed/: $(ls -R "$Q")"
# The reason is written after the move: waited for (a look at once found none on PostgreSQL).
wait_until 10 grep -q "is not a queued webhook delivery" "$Q/failed/0000000000000001-1-000001.delivery.error" ||
	fail "no reason beside it"
sleep 0.5 # five more looks at the queue
n=$(grep -c 'not stored' "$T/access.log")
[ "$n" = 1 ] || fail "the failed delivery was logged $n times"
deliver f-1 1
expect_http 202
expect_json .queued false
stop_server

# A FIFO of a delivery's name (not a file plumb writes): moved to failed/ as not a regular
# file; opened as one, it held the applier, and shutdown with it.
mkfifo "$Q/0000000000000002-1-000001.delivery"
serve --webhook-queue "$Q"
wait_until 30 queue_empty
[ -p "$Q/failed/0000000000000002-1-000001.delivery" ] || fail "the FIFO was not moved to failed/: $(ls -R "$Q")"
wait_until 10 grep -q "not a regular file" "$Q/failed/0000000000000002-1-000001.delivery.error" ||
	fail "no reason beside the FIFO"
ok webhook queue --dir "$Q"
stop_server

# A file whose name holds a line break and an escape (planted: plumb names none so) cannot
# add a line to the server's log nor move a terminal's cursor; nor in `webhook queue`.
odd=$Q/$(printf '0000000000000002-2-000001\nwebhook-queue: gh: delivery X stored: run 99\033[2J.delivery')
printf 'not a delivery' >"$odd"
: >"$T/access.log"
serve --webhook-queue "$Q"
wait_until 30 queue_empty
stop_server
grep -q 'not stored' "$T/access.log" || fail "the odd file was not logged: $(cat -v "$T/access.log")"
! grep -q '^webhook-queue: gh: delivery X' "$T/access.log" || fail "a file name added a line to the log: $(cat -v "$T/access.log")"
! grep -q $'\033' "$T/access.log" || fail "an escape reached the log: $(cat -v "$T/access.log")"
grep -q '000001?webhook-queue: gh: delivery X stored: run 99?\[2J' "$T/access.log" || fail "the name not shown with ?: $(cat -v "$T/access.log")"
ok webhook queue --dir "$Q"
! grep -q '^webhook-queue: gh' "$T/out" || fail "a file name added a row to webhook queue: $(cat -v "$T/out")"
! grep -q $'\033' "$T/out" || fail "an escape reached webhook queue's output: $(cat -v "$T/out")"

# A temporary file left by a process killed while it queued goes once ten minutes old; a
# fresh one, a delivery being written, stays.
old_tmp=$Q/0000000000000003-1-000001.delivery.tmp.Ab12Cd
new_tmp=$Q/0000000000000004-1-000001.delivery.tmp.Ef34Gh
printf '{"kind":' >"$old_tmp"
touch -d '20 minutes ago' "$old_tmp"
printf '{"kind":' >"$new_tmp"
serve --webhook-queue "$Q"
old_gone() { [ ! -e "$old_tmp" ]; }
wait_until 30 old_gone
[ ! -e "$old_tmp" ] || fail "a leftover temporary file stayed"
[ -e "$new_tmp" ] || fail "a fresh temporary file was removed"
stop_server
rm -f "$new_tmp"

# A body that does not parse, met while another writer holds the database and the queue is
# empty: 400 naming the field, as when the database is free (it was 503 busy, the parse
# error lost behind the wait's).
serve --webhook-queue "$Q"
hold_lock
http POST /webhooks/deploy -H "Authorization: Bearer $HOOK_TOKEN" --data-binary '{"deployments":[{"service":"checkout"}]}'
expect_http 400
expect_json .error.code invalid_input
release_lock
[ "$(queued)" = 0 ] || fail "a body that does not parse was queued"
stop_server

# In the order they came: a delivery that arrives while an earlier one still waits for the
# database, and gets the database once it is free, is not stored before the earlier one,
# queued meanwhile (it was, whichever won the lock).  At the default timers: o-2 must come
# while o-1 still waits for the database, and 0.2 s could pass before it is sent.
PLUMB_WEBHOOK_QUEUE_TIMES= serve --webhook-queue "$Q"
hold_lock
for id in o-1 o-2 o-3; do deploy $id 1 >"$T/$id.json"; done
post_bg() { curl -s -o "$T/$1.out" -X POST -H "Authorization: Bearer $HOOK_TOKEN" -H "X-Delivery-Id: $1" --data-binary "@$T/$1.json" "$URL/webhooks/deploy"; }
# Each is sent once the one before has come: waited for, not slept for.  Sent 1 s and 0.5 s
# apart, a loaded machine's late curl could reach the server after the one sent after it.
# o-2 comes while o-1 waits for the database, and takes its turn after it; o-1 is queued at
# its 2 s, and o-2 at once behind it (the queue is not empty); o-3 comes after both.
post_bg o-1 &
p1=$!
plumb_waiting
post_bg o-2 &
p2=$!
o1_queued() { [ "$(queued)" -ge 1 ]; }
wait_until 30 o1_queued || fail "o-1 was not queued: $(cat "$T/o-1.out" 2>/dev/null)"
o2_queued() { [ "$(queued)" -ge 2 ]; }
wait_until 30 o2_queued || fail "o-2 was not queued behind o-1: $(cat "$T/o-2.out" 2>/dev/null)"
post_bg o-3 &
p3=$!
release_lock
wait $p1 $p2 $p3
wait_until 30 queue_empty
jq -e .queued "$T/o-1.out" >/dev/null || fail "o-1 was not queued: $(cat "$T/o-1.out")"
order=$(sql "SELECT delivery_id FROM webhook_deliveries WHERE delivery_id LIKE 'o-%' ORDER BY run_id" | tr '\n' ' ')
[ "$order" = "o-1 o-2 o-3 " ] || fail "stored in the order '$order'"
stop_server

# Two servers sharing one queue store it in order too: one that finds the oldest delivery
# taken by the other waits for it, rather than taking the next one and racing it to the
# database.
serve --webhook-queue "$Q"
first=$SERVE_PID first_err=$SERVE_ERR first_url=$URL
hold_lock
for i in 1 2 3 4 5 6; do
	deliver s-$i 1
	expect_json .queued true
done
serve --webhook-queue "$Q" 6>&- # not the lock session's input
sleep 1 # both appliers have tried the queue while the database is held (each every 0.3 s)
release_lock
wait_until 30 queue_empty
[ "$(queued)" = 0 ] || fail "the shared queue still holds $(queued)"
order=$(sql "SELECT delivery_id FROM webhook_deliveries WHERE delivery_id LIKE 's-%' ORDER BY run_id" | tr '\n' ' ')
[ "$order" = "s-1 s-2 s-3 s-4 s-5 s-6 " ] || fail "two servers stored the shared queue in the order '$order'"
stop_server
stop_server "$first" "$first_err"

# The queue's directory: given with a trailing slash, made as without; one other users may
# write (anyone could put a delivery there, stored as if signed) or owned by another user is
# refused at start, and at the first delivery when it appears only later.
serve --webhook-queue "$T/slash/"
stop_server
mkdir -m 777 "$T/open"
chmod 777 "$T/open"
run serve --webhook-queue "$T/open" --listen 127.0.0.1:0
expect_status 2
expect_err "--webhook-queue: other users may write $T/open"
chmod 770 "$T/open"
run serve --webhook-queue "$T/open/" --listen 127.0.0.1:0
expect_status 2
expect_err "--webhook-queue: other users may write $T/open"
# Made by someone else after the start, before the first delivery.
serve --webhook-queue "$T/later"
mkdir -m 777 "$T/later"
chmod 777 "$T/later"
printf '{"kind":"deploy","source":"hooks","origin":"deploy webhook","received_at":1,"length":%d}\n%s' \
	"$(deploy forged 1 | wc -c)" "$(deploy forged 1)" >"$T/later/0000000000000001-1-000001.delivery"
# The applier looks every second: its refusal is waited for, not slept for (1.5 s was too
# short for a loaded machine's tick), and then nothing was stored.
wait_until 30 grep -q "webhook-queue: .*other users may write $T/later" "$T/access.log" ||
	fail "the applier did not say why: $(grep webhook-queue "$T/access.log")"
[ "$(sql "SELECT COUNT(*) FROM events WHERE external_id = 'forged'")" = 0 ] ||
	fail "a delivery planted in a directory others may write was stored"
# Meanwhile a delivery to a free database is stored, as with no queue; one to a busy database
# is refused where it would be queued.
deliver u-1 1
expect_http 202
expect_json .queued false
hold_lock
deliver u-2 1
expect_http 500
# Why is the operator's, a path on the server's disk: the sender gets a reference the
# server's stderr holds it under.
grep -q "$T/later" "$T/out" && fail "the sender was told the server's path: $(cat "$T/out")"
ref=$(jq -r .error.message "$T/out" | sed -n 's/^input\/output error (reference \([0-9a-f]\{8\}\))$/\1/p')
[ -n "$ref" ] || fail "no reference in the error: $(cat "$T/out")"
grep "reference $ref: io_error: " "$SERVE_ERR" | grep -q "other users may write $T/later" ||
	fail "the server's log lacks why: $(cat "$SERVE_ERR")"
release_lock
[ "$(sql "SELECT COUNT(*) FROM events WHERE external_id = 'forged'")" = 0 ] || fail "the planted delivery was stored"
# Said once, not every second while it lasts.
n=$(grep -c "webhook-queue: .*other users may write $T/later" "$T/access.log")
[ "$n" = 1 ] || fail "the applier said the same thing $n times in a few seconds"
stop_server

# A delivery whose storing keeps failing with an error that is not the database busy (here a
# trigger that makes its event's insert fail, a database error) goes to failed/ after a bound
# of tries and time, saying why and how many tries, and those behind it are stored; it stayed
# at the head for ever, and every later delivery waited behind it.  The bound is 10 tries over
# at least 10 minutes; PLUMB_WEBHOOK_QUEUE_RETRY (test only: TRIES,MS) shortens it.  The
# database busy does not count: the delivery waited for the lock longer than the bound first.
Q=$T/queue-retry
if [ "$(engine)" = postgres ]; then
	sql "CREATE FUNCTION queue_test_refuse() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN
	  IF NEW.external_id = ''h-1'' THEN RAISE EXCEPTION ''refused by a test trigger''; END IF;
	  RETURN NEW; END';
	  CREATE TRIGGER queue_test_refuse BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION queue_test_refuse();
	  ALTER TABLE events ENABLE ALWAYS TRIGGER queue_test_refuse"
	# ALWAYS: publishing runs in the replica role where the role may (the test cluster's
	# superuser), which fires no trigger left at the default (docs/scaling.md).
else
	sql "CREATE TRIGGER queue_test_refuse BEFORE INSERT ON events WHEN NEW.external_id = 'h-1'
	  BEGIN SELECT json('{refused by a test trigger'); END"
fi
: >"$T/access.log"
PLUMB_WEBHOOK_QUEUE_RETRY=3,1 serve --webhook-queue "$Q"
hold_lock
deliver h-1 1
expect_json .queued true
deliver h-2 1
expect_json .queued true
sleep 1 # the applier finds the database busy, about 3 times (counted, they would use up the 3 tries)
release_lock
wait_until 30 grep -q 'webhook-queue: .*trying again' "$T/access.log"
grep -q 'webhook-queue: .*trying again' "$T/access.log" ||
	fail "the first failure after the database was freed was not retried: $(grep webhook-queue "$T/access.log")"
wait_until 30 queue_empty
[ "$(queued)" = 0 ] || fail "the failing delivery still holds up the queue: $(ls "$Q")"
h1=$(grep -l '"delivery":"h-1"' "$Q"/failed/*.delivery) || fail "h-1 is not under failed/: $(ls -R "$Q")"
grep -q "3 tries" "$h1.error" || fail "the reason does not say how many tries: $(cat "$h1.error")"
grep -q "refused by a test trigger\|malformed JSON" "$h1.error" || fail "the reason does not say why: $(cat "$h1.error")"
grep -q "webhook-queue: hooks: delivery h-1 not stored: .*3 tries.*; kept as .*failed/" "$T/access.log" ||
	fail "the move is not in the log: $(grep webhook-queue "$T/access.log")"
[ "$(sql "SELECT COUNT(*) FROM events WHERE external_id = 'h-2'")" = 1 ] || fail "the delivery behind it was not stored"
stop_server
if [ "$(engine)" = postgres ]; then
	sql "DROP TRIGGER queue_test_refuse ON events; DROP FUNCTION queue_test_refuse()"
else
	sql "DROP TRIGGER queue_test_refuse"
fi

# A delivery with no id (a deploy hook may send none), stored from the queue by a server that
# died before it removed the file, is not stored again by the next: the queue file's name is
# its delivery key (it was stored twice, two runs of the same body).
Q=$T/queue-noid
serve --webhook-queue "$Q"
hold_lock
deploy n-1 1 >"$T/n-1.json"
http POST /webhooks/deploy -H "Authorization: Bearer $HOOK_TOKEN" --data-binary "@$T/n-1.json"
expect_json .queued true
f=$(find "$Q" -maxdepth 1 -name '*.delivery')
cp -p "$f" "$T/saved.delivery"
release_lock
wait_until 30 queue_empty
[ "$(sql "SELECT COUNT(*) FROM events WHERE external_id = 'n-1'")" = 1 ] || fail "the queued delivery without an id was not stored"
runs=$(sql "SELECT COUNT(*) FROM ingest_runs WHERE status = 'published'")
payloads=$(sql "SELECT COUNT(*) FROM raw_payloads")
cp -p "$T/saved.delivery" "$f" # as the crash between the commit and the unlink leaves it
wait_until 30 queue_empty
[ "$(queued)" = 0 ] || fail "the delivery stored before stayed in the queue"
[ "$(sql "SELECT COUNT(*) FROM ingest_runs WHERE status = 'published'")" = "$runs" ] || fail "a delivery without an id was stored a second time"
[ "$(sql "SELECT COUNT(*) FROM raw_payloads")" = "$payloads" ] || fail "a delivery without an id was stored a second time"
grep -q "webhook-queue: hooks: delivery (no id): a duplicate, stored before" "$T/access.log" ||
	fail "the log does not say it was stored before: $(grep webhook-queue "$T/access.log")"
# The queue's key is no delivery id: a live delivery without one is stored each time.
http POST /webhooks/deploy -H "Authorization: Bearer $HOOK_TOKEN" --data-binary "@$T/n-1.json"
expect_json .duplicate false
ok audit log --json
[ "$(jq '[.[] | select(.action == "ingest.publish" and .detail.queued_since != null and .detail.delivery == null)] | length' "$T/out")" = 1 ] ||
	fail "the queued delivery's audit entry names a delivery id"
# Put back by hand (a copy kept from failed/, say), it is requeued, but saying that it was
# stored before and the server only removes it: not that the server stores it.
run_n1=$(sql "SELECT run_id FROM webhook_deliveries WHERE delivery_id LIKE 'queued %'")
runs=$(sql "SELECT COUNT(*) FROM ingest_runs WHERE status = 'published'")
mkdir -p "$Q/failed"
cp -p "$T/saved.delivery" "$Q/failed/${f##*/}"
ok webhook requeue --dir "$Q" "${f##*/}"
expect_err "plumb: warning: ${f##*/}: hooks stored it before, as run $run_n1: the server will only remove it, as a duplicate"
ok audit log --json
[ "$(jq -r '[.[] | select(.action == "webhook.requeue")] | last | .detail.stored_before' "$T/out")" = "$run_n1" ] ||
	fail "the requeue's audit entry does not say it was stored before"
wait_until 30 queue_empty
[ "$(sql "SELECT COUNT(*) FROM ingest_runs WHERE status = 'published'")" = "$runs" ] || fail "a requeued delivery stored before was stored again"
stop_server

# /metrics does not say the queue is empty when it cannot read it: no length sample, and
# plumb_webhook_queue_readable 0 (1 when it can), said once in the log.
Q=$T/queue-metrics
serve --webhook-queue "$Q"
http GET /metrics
grep -q '^plumb_webhook_queue_readable 1$' "$T/out" || fail "/metrics: no plumb_webhook_queue_readable 1: $(grep webhook_queue "$T/out")"
grep -q '^plumb_webhook_queue_length 0$' "$T/out" || fail "/metrics: no queue length"
rm -rf "$Q"
echo "not a directory" >"$Q"
for _ in 1 2 3; do http GET /metrics; done
expect_http 200
! grep -q '^plumb_webhook_queue_length' "$T/out" || fail "/metrics gives a length of a queue it cannot read: $(grep webhook_queue "$T/out")"
grep -q '^plumb_webhook_queue_readable 0$' "$T/out" || fail "/metrics: the queue is not said unreadable: $(grep webhook_queue "$T/out")"
n=$(grep -c "metrics: cannot read the webhook queue $Q" "$T/access.log")
[ "$n" = 1 ] || fail "an unreadable queue was logged $n times by /metrics: $(grep metrics: "$T/access.log")"
# One that others may write is not read either.
rm -f "$Q"
mkdir -m 777 "$Q"
chmod 777 "$Q"
http GET /metrics
grep -q '^plumb_webhook_queue_readable 0$' "$T/out" || fail "/metrics: a queue others may write is read: $(grep webhook_queue "$T/out")"
chmod 700 "$Q"
http GET /metrics
grep -q '^plumb_webhook_queue_readable 1$' "$T/out" || fail "/metrics: the queue is not readable again"
stop_server
