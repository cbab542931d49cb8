/*
 * testutil: what the unit tests share: a temporary directory per test, and
 * its removal (files one level deep, as the tests make them); a misuse that
 * must die by BUG; a store wait notice that records what it was told.
 * Header-only: each test file is its own program, which includes cmocka.h
 * first.
 */
#ifndef PLUMB_TESTUTIL_H
#define PLUMB_TESTUTIL_H

#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static inline void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* Run misuse(arg) in a child process: it must die by abort() (the BUG
 * tier), its message kept off the test's output. */
static inline void expect_abort(void (*misuse)(void *arg), void *arg)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGABRT, SIG_DFL);
		FILE *devnull = freopen("/dev/null", "w", stderr);
		(void)devnull;
		misuse(arg);
		_exit(0); /* not reached when the misuse is caught */
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

/* What a store wait notice (store_set_wait_notice) was told: each second's
 * waited ms (the first eight), then the end. */
struct wait_told {
	int ticks, ends;
	int64_t waited[8];
	bool tick_after_end;
};

static inline void record_wait(void *data, int64_t waited_ms)
{
	struct wait_told *t = data;
	if (waited_ms < 0) {
		t->ends++;
		return;
	}
	t->tick_after_end |= t->ends > 0;
	if (t->ticks < 8)
		t->waited[t->ticks] = waited_ms;
	t->ticks++;
}

#endif
