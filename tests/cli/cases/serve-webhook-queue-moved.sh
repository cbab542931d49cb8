# A queued delivery another server moves away (into failed/, having failed it) between this
# server's open and its lock is no longer this server's to store: it stored it all the same,
# then could not remove it ("cannot remove ... it was stored"), and the delivery was both
# stored and failed (found in the sync hunt). A shim moves the file into failed/ just before
# the server locks it, as the other server would have.
command -v cc >/dev/null || skip "no C compiler for the flock shim"
# The server's queue timers shortened (cli_serve.c): a delivery waits 0.2 s for the held
# database before it is queued, not 2, and the applier looks every 0.1 s, not every second.
export PLUMB_WEBHOOK_QUEUE_TIMES=200,100
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set checkout --team payments --effective 2020-01-01
ok source add deploy --name hooks --webhook-secret-env HOOK_TOKEN
export HOOK_TOKEN=deploy-token-moved
Q=$T/queue
. "$ROOT/tests/cli/webhook-queue.sh"
cat >"$T/shim.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The first lock taken on a queued delivery (not one under failed/): the
 * file is first moved into failed/, as another server failing it would. */
int flock(int fd, int op)
{
	static int (*real)(int, int);
	static int done;
	if (!real)
		real = (int (*)(int, int))dlsym(RTLD_NEXT, "flock");
	char link[64], path[PATH_MAX];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (!done && n > 9) {
		path[n] = '\0';
		char *slash = strrchr(path, '/');
		if (strcmp(path + n - 9, ".delivery") == 0 && slash && !strstr(path, "/failed/")) {
			char to[PATH_MAX + 16];
			*slash = '\0';
			snprintf(to, sizeof to, "%s/failed", path);
			mkdir(to, 0700);
			snprintf(to, sizeof to, "%s/failed/%s", path, slash + 1);
			*slash = '/';
			if (rename(path, to) == 0)
				done = 1;
		}
	}
	return real(fd, op);
}
C
cc -shared -fPIC -o "$T/shim.so" "$T/shim.c" -ldl || skip "the flock shim does not build"
serve --webhook-queue "$Q"
hold_lock
deliver m-1 1
expect_http 202
expect_json .queued true
stop_server
release_lock
[ "$(queued)" = 1 ] || fail "not queued: $(ls -R "$Q")"
: >"$T/access.log"
LD_PRELOAD="$T/shim.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	serve --webhook-queue "$Q"
wait_until 30 queue_empty || fail "the queue still holds $(queued)"
sleep 0.5 # the applier's turn ends, and it looks again a few times
stop_server
[ "$(find "$Q/failed" -name '*.delivery' | wc -l)" = 1 ] || fail "the shim moved nothing: $(ls -R "$Q")"
[ "$(sql "SELECT COUNT(*) FROM webhook_deliveries WHERE delivery_id = 'm-1'")" = 0 ] ||
	fail "a delivery moved into failed/ by another server was stored: $(cat "$T/access.log")"
grep -q "cannot remove" "$T/access.log" && fail "the log says: $(grep 'cannot remove' "$T/access.log")"
ok audit verify
