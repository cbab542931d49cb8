# A webhook delivery's wait for the database is counted on the monotonic clock, not the
# system's: the system clock stepped forward meanwhile (NTP, a VM resumed) queued a delivery
# that had not waited at all, and stepped back kept one waiting for the lock past the sender's
# timeout. A shim moves the system clock a minute ahead at each reading; nothing holds the
# database, so the delivery is stored at once, not queued. The time it came is still the
# system clock's.
command -v cc >/dev/null || skip "no C compiler for the clock shim"
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set checkout --team payments --effective 2020-01-01
ok source add deploy --name hooks --webhook-secret-env HOOK_TOKEN
export HOOK_TOKEN=deploy-token-queue-clock
Q=$T/queue

. "$ROOT/tests/cli/webhook-queue.sh"

cat >"$T/shim.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>

/* CLOCK_REALTIME a minute further ahead at each reading; the other clocks as they are. */
int clock_gettime(clockid_t id, struct timespec *ts)
{
	static int (*real)(clockid_t, struct timespec *);
	static long ahead;
	if (!real)
		real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
	int rc = real(id, ts);
	if (rc == 0 && id == CLOCK_REALTIME)
		ts->tv_sec += __atomic_add_fetch(&ahead, 60, __ATOMIC_RELAXED);
	return rc;
}
C
cc -shared -fPIC -o "$T/shim.so" "$T/shim.c" -ldl || skip "the clock shim does not build"
# The ASan runtime is not first in the list of libraries with the shim preloaded: said, not refused.
LD_PRELOAD="$T/shim.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
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
ok audit verify
