/*
 * test_limiter: the sign-in limiter (server_stats.c): five failures lock an
 * account or an address out for 15 minutes, a success lets it through
 * again, and the table's bound never lifts a lockout while rows that hold
 * none can make room.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "server/server_int.h"

#define T0     INT64_C(1700000000000)
#define MINUTE INT64_C(60000)

/* One sign-in of user from addr at now, settled as failed or not. */
static enum limit_verdict attempt(struct limiter *l, const char *user, const char *addr,
                                  int64_t now, bool failed)
{
	char ukey[64], akey[64];
	snprintf(ukey, sizeof ukey, "user:%s", user);
	snprintf(akey, sizeof akey, "addr:%s", addr);
	const char *const keys[] = {ukey, akey};
	enum limit_verdict v = limiter_take(l, keys, 2, now);
	if (v == LIMIT_GO)
		limiter_settle(l, keys, 2, failed, now);
	return v;
}

static void five_failures_lock_out_for_the_window(void **state)
{
	(void)state;
	struct limiter *l = limiter_new();
	for (int i = 0; i < 5; i++)
		assert_int_equal(attempt(l, "victim", "10.0.0.1", T0 + i, true), LIMIT_GO);
	assert_int_equal(attempt(l, "victim", "10.0.0.1", T0 + 5, false), LIMIT_REFUSED);
	/* The account is locked from another address too, and the address for another account. */
	assert_int_equal(attempt(l, "victim", "10.0.0.2", T0 + 6, false), LIMIT_REFUSED);
	assert_int_equal(attempt(l, "other", "10.0.0.1", T0 + 7, false), LIMIT_REFUSED);
	/* 15 minutes after the first failure, the window is over. */
	assert_int_equal(attempt(l, "victim", "10.0.0.2", T0 + 15 * MINUTE, false), LIMIT_GO);
	limiter_free(l);
}

static void a_flood_of_other_names_keeps_a_lockout(void **state)
{
	(void)state;
	struct limiter *l = limiter_new();
	for (int i = 0; i < 5; i++)
		assert_int_equal(attempt(l, "victim", "10.0.0.1", T0 + i, true), LIMIT_GO);
	/* 9,000 failures under other names, four from each of 2,250 addresses (under the
	 * limit): 11,250 rows, the victim's the oldest. */
	char user[32], addr[32];
	for (int i = 0; i < 9000; i++) {
		snprintf(user, sizeof user, "x%d", i);
		snprintf(addr, sizeof addr, "10.1.%d.%d", i / 4 / 250, i / 4 % 250);
		assert_int_equal(attempt(l, user, addr, T0 + MINUTE + i, true), LIMIT_GO);
	}
	assert_int_equal(attempt(l, "victim", "10.9.9.9", T0 + 2 * MINUTE, false), LIMIT_REFUSED);
	limiter_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(five_failures_lock_out_for_the_window),
	        cmocka_unit_test(a_flood_of_other_names_keeps_a_lockout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
