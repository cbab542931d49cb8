/*
 * test_server_drain: plumb serve's drain at shutdown (server_drain in
 * server.c) waits for the requests in flight up to its limit, timed on the
 * monotonic clock, and ends as soon as the last one has.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <cmocka.h>

#include "base/ts.h"
#include "server/server_int.h"
#include "sleeps_overrun.h"

/* A request that never ends holds the drain its limit, however long each
 * sleep took: not 100 sleeps of 10 ms asked for (5 s here). */
static void drain_timed_on_the_clock(void **state)
{
	(void)state;
	atomic_int in_flight = 1;
	atomic_store(&sleeps_overrun, true);
	double t0 = ts_mono_s();
	int left = server_drain(&in_flight, 1000);
	double took = ts_mono_s() - t0;
	atomic_store(&sleeps_overrun, false);
	assert_int_equal(left, 1);
	if (took < 0.9 || took > 2.0)
		fail_msg("a drain of 1000 ms with overrunning sleeps took %.3f s", took);
}

static void *end_request_later(void *arg)
{
	atomic_int *in_flight = arg;
	clock_nanosleep(CLOCK_MONOTONIC, 0, &(struct timespec){0, 200 * 1000 * 1000}, NULL);
	atomic_fetch_sub(in_flight, 1);
	return NULL;
}

/* The drain ends once the last request in flight has, not at its limit. */
static void drain_ends_with_the_last_request(void **state)
{
	(void)state;
	atomic_int in_flight = 1;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, end_request_later, &in_flight), 0);
	double t0 = ts_mono_s();
	int left = server_drain(&in_flight, 10 * 1000);
	double took = ts_mono_s() - t0;
	pthread_join(t, NULL);
	assert_int_equal(left, 0);
	if (took < 0.15 || took > 5)
		fail_msg("a drain whose request ended after 0.2 s took %.3f s", took);
	/* Nothing in flight: no wait at all. */
	t0 = ts_mono_s();
	assert_int_equal(server_drain(&in_flight, 10 * 1000), 0);
	assert_true(ts_mono_s() - t0 < 0.5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(drain_timed_on_the_clock),
	        cmocka_unit_test(drain_ends_with_the_last_request),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
