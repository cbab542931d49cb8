# A sync's pause (a Retry-After, a backoff) cut short by a signal whose handler returns (a
# profiler's, a debugger's) sleeps on for what is left: it ended at the signal, the next
# attempt sent at once into the same 503, while --max-wait counted the pause whole. A shim
# makes every long nanosleep end early as such a signal would.
command -v cc >/dev/null || skip "no C compiler for the nanosleep shim"
source "$ROOT/tests/http/apiserver.sh"
init_db
cat >"$T/shim.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <time.h>

/* A sleep of half a second or more: 0.2 s of it, then EINTR with the rest left. */
int nanosleep(const struct timespec *asked, struct timespec *left)
{
	static int (*real)(const struct timespec *, struct timespec *);
	if (!real)
		real = (int (*)(const struct timespec *, struct timespec *))dlsym(RTLD_NEXT, "nanosleep");
	long long ns = (long long)asked->tv_sec * 1000000000LL + asked->tv_nsec;
	if (ns < 500000000LL)
		return real(asked, left);
	struct timespec part = {0, 200000000L};
	real(&part, NULL);
	ns -= 200000000LL;
	if (left)
		*left = (struct timespec){(time_t)(ns / 1000000000LL), (long)(ns % 1000000000LL)};
	errno = EINTR;
	return -1;
}
C
cc -shared -fPIC -o "$T/shim.so" "$T/shim.c" -ldl || skip "the nanosleep shim does not build"
# The first read of the pulls answers 503, asking for 2 s.
cp -r "$ROOT/tests/http/scenarios/github-sync" "$T/api"
jq '(.[] | select(.path == "/repos/acme/widgets/pulls" and .query == null and .when_header == null)
	| .responses) |= [{status: 503, headers: {"Retry-After": "2"}, body: "busy"}] + .' \
	"$ROOT/tests/http/scenarios/github-sync/routes.json" >"$T/api/routes.json"
api_start "$T/api"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL"
# The ASan runtime is not first in the list of libraries with the shim preloaded: said, not refused.
t0=$(date +%s%N)
LD_PRELOAD="$T/shim.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	run sync gh --since 2024-01-01 --json
ms=$((($(date +%s%N) - t0) / 1000000))
expect_status 0
expect_err "retry 2 of 5 in 2 s"
[ "$ms" -ge 2000 ] || fail "the 2 s pause ended after a signal: the sync took $ms ms"
pulls=$(jq -s '[.[] | select(.path == "/repos/acme/widgets/pulls" and .query.page == null)] | length' "$API_LOG")
[ "$pulls" = 2 ] || fail "reads of the pulls: $pulls"
