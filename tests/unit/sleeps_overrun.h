/*
 * sleeps_overrun: sleeps that overrun, as on a loaded machine, for the unit
 * programs that test a wait is timed on the clock.  While sleeps_overrun is
 * set, each nanosleep of the program lasts five times what it asked for:
 * this definition takes the C library's place for the code linked in.
 * Include it in one file of a program only (it defines, not declares).
 */
#ifndef PLUMB_TEST_SLEEPS_OVERRUN_H
#define PLUMB_TEST_SLEEPS_OVERRUN_H

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

static atomic_bool sleeps_overrun;

int nanosleep(const struct timespec *asked, struct timespec *left);
int nanosleep(const struct timespec *asked, struct timespec *left)
{
	struct timespec t = *asked;
	if (atomic_load(&sleeps_overrun)) {
		int64_t ns = ((int64_t)asked->tv_sec * 1000000000 + asked->tv_nsec) * 5;
		t = (struct timespec){(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
	}
	int rc = clock_nanosleep(CLOCK_MONOTONIC, 0, &t, left);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	return 0;
}

#endif
