# The webhook queue and a system clock stepped (NTP, a VM resumed). A delivery's wait for the
# database is counted on the monotonic clock: the system clock stepped forward meanwhile
# queued a delivery that had not waited at all (and stepped back kept one waiting for the lock
# past the sender's timeout). And deliveries queued while the clock goes back are stored in
# the order they came: named by the time each came, a later one sorted first. A shim moves
# the system clock SHIM_CLOCK_STEP seconds at each reading.
command -v cc >/dev/null || skip "no C compiler for the clock shim"
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set checkout --team payments --effective 2020-01-01
ok source add deploy --name hooks --webhook-secret-env HOOK_TOKEN
export HOOK_TOKEN=deploy-token-queue-clock
# The servers' queue timers shortened (cli_serve.c): a delivery waits 0.2 s for the held
# database before it is queued, not 2, and the applier looks every 0.1 s, not every second.
# Either way the first server, its clock stepped a minute forward at each reading, stores a
# delivery to a free database at once.
export PLUMB_WEBHOOK_QUEUE_TIMES=200,100
Q=$T/queue

. "$ROOT/tests/cli/webhook-queue.sh"

cat >"$T/shim.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>

#include <stdlib.h>

/* CLOCK_REALTIME SHIM_CLOCK_STEP seconds further at each reading; the other clocks as they are. */
int clock_gettime(clockid_t id, struct timespec *ts)
{
	static int (*real)(clockid_t, struct timespec *);
	static long moved;
	if (!real)
		real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
	int rc = real(id, ts);
	const char *step = getenv("SHIM_CLOCK_STEP");
	if (rc == 0 && id == CLOCK_REALTIME && step)
		ts->tv_sec += __atomic_add_fetch(&moved, strtol(step, NULL, 10), __ATOMIC_RELAXED);
	return rc;
}
C
cc -shared -fPIC -o "$T/shim.so" "$T/shim.c" -ldl || skip "the clock shim does not build"
# The ASan runtime is not first in the list of libraries with the shim preloaded: said, not refused.
SHIM_CLOCK_STEP=60 LD_PRELOAD="$T/shim.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	serve --webhook-queue "$Q"
deliver c-1 1
expect_http 202
expect_json .queued false
expect_json .source hooks
[ "$(json .run_id)" != null ] || fail "no run stored the delivery"
[ "$(queued)" = 0 ] || fail "the delivery was queued: $(ls "$Q")"
[ "$(sql "SELECT COUNT(*) FROM events e JOIN ingest_runs r ON r.id = e.run_id WHERE r.source_id = (SELECT id FROM sources WHERE name = 'hooks')")" -ge 1 ] ||
	fail "no event stored"
stop_server

# A minute back at each reading: two deliveries queued while another writer holds the
# database are stored in the order they came.
SHIM_CLOCK_STEP=-60 LD_PRELOAD="$T/shim.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	serve --webhook-queue "$Q"
hold_lock
deliver b-1 2
expect_http 202
expect_json .queued true
deliver b-2 1
expect_http 202
expect_json .queued true
[ "$(queued)" = 2 ] || fail "expected 2 queued deliveries: $(ls "$Q")"
release_lock
wait_until 30 queue_empty || fail "the queue was not stored: $(ls "$Q")"
[ "$(sql "SELECT delivery_id FROM webhook_deliveries WHERE delivery_id LIKE 'b-%' ORDER BY run_id" | paste -sd,)" = b-1,b-2 ] ||
	fail "stored out of order: $(sql "SELECT delivery_id, run_id FROM webhook_deliveries ORDER BY run_id" | paste -sd' ')"
stop_server
ok audit verify
