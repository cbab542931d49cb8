# The applier's lasting error is logged once a minute, the minute measured on the monotonic
# clock: on the system clock, stepped forward (NTP, a VM resumed), it was logged at every
# second's try. A shim moves the system clock SHIM_CLOCK_STEP seconds at each reading.
command -v cc >/dev/null || skip "no C compiler for the clock shim"
# The server's queue timers shortened (cli_serve.c): the applier looks every 0.1 s, not
# every second.
export PLUMB_WEBHOOK_QUEUE_TIMES=200,100
init_db
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
SHIM_CLOCK_STEP=60 LD_PRELOAD="$T/shim.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	serve --webhook-queue "$T/later"
mkdir -m 777 "$T/later"
chmod 777 "$T/later"
said() { grep -c "webhook-queue: .*other users may write $T/later" "$T/access.log"; }
wait_until 30 grep -q "other users may write $T/later" "$T/access.log" ||
	fail "the applier did not say why: $(grep webhook-queue "$T/access.log")"
# Three more of the applier's tries (one each 0.1 s): each would be a minute later by the
# system clock.
sleep 0.3
[ "$(said)" = 1 ] || fail "the lasting error was logged again: $(grep webhook-queue "$T/access.log")"
stop_server
