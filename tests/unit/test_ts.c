/*
 * test_ts: RFC 3339 parsing and formatting, civil-day arithmetic and the
 * PLUMB_NOW clock pin.  Expected instants come from libc's timegm (an
 * independent implementation) or from the RFC's own rules, never from
 * plumb's output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/ts.h"

/* Milliseconds since the epoch for a UTC civil time, via libc's timegm. */
static int64_t utc_ms(int y, int mo, int d, int h, int mi, int s, int ms)
{
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm) * 1000 + ms;
}

static int64_t parse_ok(const char *s)
{
	struct error err = {0};
	int64_t ms = INT64_MIN;
	int rc = ts_parse(s, &ms, &err);
	if (rc != 0)
		fail_msg("ts_parse(\"%s\") failed: %s", s, err.message);
	assert_int_equal(err.code, 0);
	return ms;
}

/* Parsing must fail with ERR_INVALID and a message that names the input. */
static void assert_parse_rejects(const char *s)
{
	struct error err = {0};
	int64_t ms = 12345;
	int rc = ts_parse(s, &ms, &err);
	if (rc != ERR_INVALID)
		fail_msg("ts_parse(\"%s\") returned %d, expected ERR_INVALID", s, rc);
	assert_int_equal(err.code, ERR_INVALID);
	if (!strstr(err.message, s))
		fail_msg("message \"%s\" does not name the input \"%s\"", err.message, s);
}

static void assert_date_rejects(const char *s)
{
	struct error err = {0};
	int64_t ms = 12345;
	int rc = ts_parse_date(s, &ms, &err);
	if (rc != ERR_INVALID)
		fail_msg("ts_parse_date(\"%s\") returned %d, expected ERR_INVALID", s, rc);
	if (!strstr(err.message, s))
		fail_msg("message \"%s\" does not name the input \"%s\"", err.message, s);
}

static void parses_utc_with_z(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(parse_ok("2024-05-01T09:30:00Z"), utc_ms(2024, 5, 1, 9, 30, 0, 0));
	assert_int_equal(parse_ok("2024-05-01T09:30:00.123Z"), utc_ms(2024, 5, 1, 9, 30, 0, 123));
}

static void parses_offset_with_colon(void **state)
{
	(void)state;
	/* RFC 3339 5.6: local time = UTC + offset, so UTC = local - offset. */
	assert_int_equal(parse_ok("2024-05-01T11:30:00+02:00"), utc_ms(2024, 5, 1, 9, 30, 0, 0));
	assert_int_equal(parse_ok("2024-05-01T04:00:00-05:30"), utc_ms(2024, 5, 1, 9, 30, 0, 0));
	/* An offset that crosses midnight moves the date. */
	assert_int_equal(parse_ok("2024-03-01T01:00:00+02:00"), utc_ms(2024, 2, 29, 23, 0, 0, 0));
}

static void parses_offset_without_colon(void **state)
{
	(void)state;
	/* Jira writes offsets without a colon: 08:35 at +08:00 is 00:35 UTC. */
	assert_int_equal(parse_ok("2020-06-12T08:35:15.489+0800"),
	                 parse_ok("2020-06-12T00:35:15.489Z"));
	assert_int_equal(parse_ok("2020-06-12T08:35:15.489+0800"),
	                 utc_ms(2020, 6, 12, 0, 35, 15, 489));
	assert_int_equal(parse_ok("2020-06-11T19:35:15-0500"), utc_ms(2020, 6, 12, 0, 35, 15, 0));
}

static void offset_zero_forms_agree(void **state)
{
	(void)state;
	/* RFC 3339 4.3: "Z", "+00:00" and "-00:00" all denote UTC. */
	int64_t z = parse_ok("2023-09-05T18:21:21Z");
	assert_int_equal(parse_ok("2023-09-05T18:21:21+00:00"), z);
	assert_int_equal(parse_ok("2023-09-05T18:21:21-00:00"), z);
	assert_int_equal(parse_ok("2023-09-05T18:21:21+0000"), z);
}

static void lowercase_t_and_z_accepted(void **state)
{
	(void)state;
	/* RFC 3339 5.6 NOTE: "T" and "Z" may be lower case. */
	assert_int_equal(parse_ok("2023-09-05t18:21:21z"), utc_ms(2023, 9, 5, 18, 21, 21, 0));
}

static void fractions_of_one_to_nine_digits(void **state)
{
	(void)state;
	int64_t base = utc_ms(2023, 9, 5, 18, 21, 21, 0);
	/* A fraction is a decimal fraction of a second: .49 is 490 ms. */
	assert_int_equal(parse_ok("2023-09-05T18:21:21.4Z"), base + 400);
	assert_int_equal(parse_ok("2023-09-05T18:21:21.49Z"), base + 490);
	assert_int_equal(parse_ok("2023-09-05T18:21:21.490Z"), base + 490);
	assert_int_equal(parse_ok("2023-09-05T18:21:21.0490Z"), base + 49);
	/* Digits beyond milliseconds are dropped, not rounded up into the next second. */
	assert_int_equal(parse_ok("2023-09-05T18:21:21.123456Z"), base + 123);
	assert_int_equal(parse_ok("2023-09-05T18:21:21.999999999Z"), base + 999);
	assert_int_equal(parse_ok("2023-09-05T18:21:21.000000001Z"), base);

	char buf[TS_BUF];
	assert_string_equal(ts_format(parse_ok("2023-09-05T18:21:21.49Z"), buf),
	                    "2023-09-05T18:21:21.490Z");
}

static void fraction_needs_one_to_nine_digits(void **state)
{
	(void)state;
	assert_parse_rejects("2023-09-05T18:21:21.Z");
	assert_parse_rejects("2023-09-05T18:21:21.1234567890Z");
}

static void bare_date_is_midnight_utc(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2024-05-01"), utc_ms(2024, 5, 1, 0, 0, 0, 0));
	struct error err = {0};
	int64_t ms = 0;
	assert_int_equal(ts_parse_date("2024-05-01", &ms, &err), 0);
	assert_int_equal(ms, utc_ms(2024, 5, 1, 0, 0, 0, 0));
}

static void parse_date_refuses_a_time(void **state)
{
	(void)state;
	assert_date_rejects("2024-05-01T00:00:00Z");
	assert_date_rejects("2024-5-1");
	assert_date_rejects("");
}

static void leap_days(void **state)
{
	(void)state;
	/* Gregorian rule: divisible by 4, except centuries not divisible by 400. */
	struct error err = {0};
	int64_t ms = 0;
	assert_int_equal(ts_parse_date("2024-02-29", &ms, &err), 0);
	assert_int_equal(ms, utc_ms(2024, 2, 29, 0, 0, 0, 0));
	assert_int_equal(ts_parse_date("2000-02-29", &ms, &err), 0);
	assert_int_equal(ms, utc_ms(2000, 2, 29, 0, 0, 0, 0));
	assert_date_rejects("2023-02-29");
	assert_date_rejects("1900-02-29");
	assert_parse_rejects("2023-02-29T00:00:00Z");
	assert_true(ts_valid_date(2024, 2, 29));
	assert_false(ts_valid_date(2023, 2, 29));
	assert_false(ts_valid_date(2100, 2, 29));
}

static void invalid_calendar_fields(void **state)
{
	(void)state;
	assert_date_rejects("2024-13-01");
	assert_date_rejects("2024-00-10");
	assert_date_rejects("2024-04-31"); /* April has 30 days */
	assert_date_rejects("2024-01-00");
	assert_parse_rejects("2024-13-01T00:00:00Z");
	assert_parse_rejects("2024-05-01T24:00:00Z");
	assert_parse_rejects("2024-05-01T23:60:00Z");
	assert_parse_rejects("2024-05-01T09:30:00+24:00");
}

/* Sources write leap seconds (23:59:60), read as the second before; a person
 * typing :60 has slipped, so the strict form (command-line times, PLUMB_NOW)
 * refuses it and otherwise reads what ts_parse reads. */
static void leap_second_only_from_sources(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2016-12-31T23:59:60Z"), utc_ms(2016, 12, 31, 23, 59, 59, 0));
	assert_int_equal(parse_ok("2027-03-15T09:30:60+01:00"), utc_ms(2027, 3, 15, 8, 30, 59, 0));
	const char *refused[] = {"2016-12-31T23:59:60Z", "2027-03-15T09:30:60+01:00",
	                         "2027-03-15 09:30:60 UTC"};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		struct error err = {0};
		int64_t ms = 12345;
		assert_int_equal(ts_parse_strict(refused[i], &ms, &err), ERR_INVALID);
		assert_int_equal(ms, 12345);
		assert_non_null(strstr(err.message, refused[i]));
	}
	const char *same[] = {"2027-03-15T09:30:59.999+01:00", "2027-03-15", "2027-03-15T09:30Z",
	                      "2027-03-15 09:30:00 GMT"};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		struct error err = {0};
		int64_t ms = 0;
		assert_int_equal(ts_parse_strict(same[i], &ms, &err), 0);
		assert_int_equal(ms, parse_ok(same[i]));
	}
}

static void trailing_junk_rejected(void **state)
{
	(void)state;
	assert_parse_rejects("2024-05-01T09:30:00Zjunk");
	assert_parse_rejects("2024-05-01T09:30:00Z ");
	assert_parse_rejects("2024-05-01x");
	assert_parse_rejects("2024-05-01T09:30:00+02:00:00");
	assert_parse_rejects("2024-05-01T09:30:00+2");
	assert_date_rejects("2024-05-01 ");
	assert_parse_rejects("yesterday");
	assert_parse_rejects("");
}

static void error_explains_expected_form(void **state)
{
	(void)state;
	struct error err = {0};
	int64_t ms;
	assert_int_equal(ts_parse("2024-99-99", &ms, &err), ERR_INVALID);
	assert_non_null(strstr(err.message, "2024-99-99"));
	assert_non_null(strstr(err.detail, "RFC 3339"));
}

static void negative_epoch_round_trips(void **state)
{
	(void)state;
	char buf[TS_BUF];
	int64_t ms = parse_ok("1969-12-31T23:59:59.999Z");
	assert_int_equal(ms, -1);
	assert_string_equal(ts_format(ms, buf), "1969-12-31T23:59:59.999Z");
	assert_string_equal(ts_format_date(ms, buf), "1969-12-31");
	assert_int_equal(ts_day_floor(ms), -MS_PER_DAY);
	int64_t older = parse_ok("1901-07-04T12:00:00.250Z");
	assert_int_equal(older, utc_ms(1901, 7, 4, 12, 0, 0, 250));
	assert_string_equal(ts_format(older, buf), "1901-07-04T12:00:00.250Z");
}

static void year_9999_round_trips(void **state)
{
	(void)state;
	char buf[TS_BUF];
	int64_t ms = parse_ok("9999-12-31T23:59:59.999Z");
	/* 9999-12-31 is day 2932896 (Python: (date(9999,12,31) - date(1970,1,1)).days). */
	assert_int_equal(ms, 2932896 * MS_PER_DAY + MS_PER_DAY - 1);
	assert_string_equal(ts_format(ms, buf), "9999-12-31T23:59:59.999Z");
}

static void format_is_utc_with_milliseconds(void **state)
{
	(void)state;
	char buf[TS_BUF];
	assert_string_equal(ts_format(0, buf), "1970-01-01T00:00:00.000Z");
	assert_string_equal(ts_format(utc_ms(2020, 6, 12, 0, 35, 15, 489), buf),
	                    "2020-06-12T00:35:15.489Z");
	assert_string_equal(ts_format_date(utc_ms(2020, 6, 12, 23, 59, 59, 999), buf),
	                    "2020-06-12");
	/* Every formatted time parses back to itself. */
	for (int64_t ms = -5 * MS_PER_DAY; ms < 5 * MS_PER_DAY; ms += 3600 * 1000 + 7)
		assert_int_equal(parse_ok(ts_format(ms, buf)), ms);
}

static void day_floor(void **state)
{
	(void)state;
	int64_t noon = utc_ms(2024, 5, 1, 12, 0, 0, 0);
	assert_int_equal(ts_day_floor(noon), utc_ms(2024, 5, 1, 0, 0, 0, 0));
	assert_int_equal(ts_day_floor(utc_ms(2024, 5, 1, 0, 0, 0, 0)),
	                 utc_ms(2024, 5, 1, 0, 0, 0, 0));
	assert_int_equal(ts_day_floor(-MS_PER_DAY - 1), -2 * MS_PER_DAY);
}

static void days_from_civil_known_values(void **state)
{
	(void)state;
	/* Values from Python's datetime.date (proleptic Gregorian). */
	assert_int_equal(ts_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(ts_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(ts_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(ts_days_from_civil(2024, 2, 29), 19782);
	assert_int_equal(ts_days_from_civil(1600, 3, 1), -135080);
	assert_int_equal(ts_days_from_civil(1, 1, 1), -719162);
	assert_int_equal(ts_days_from_civil(9999, 12, 31), 2932896);
}

static void days_from_civil_agrees_with_timegm(void **state)
{
	(void)state;
	/* Every day of 1999..2001 (a 400-year leap year and both neighbours). */
	for (int y = 1999; y <= 2001; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= 31; d++)
				if (ts_valid_date(y, m, d))
					assert_int_equal(
					        ts_days_from_civil(y, (unsigned)m, (unsigned)d) *
					                MS_PER_DAY,
					        utc_ms(y, m, d, 0, 0, 0, 0));
}

static void plumb_now_pins_the_clock(void **state)
{
	(void)state;
	assert_int_equal(setenv("PLUMB_NOW", "2024-05-01T09:30:00.250+02:00", 1), 0);
	assert_int_equal(ts_now_ms(), utc_ms(2024, 5, 1, 7, 30, 0, 250));
	assert_int_equal(setenv("PLUMB_NOW", "2021-01-01", 1), 0);
	assert_int_equal(ts_now_ms(), utc_ms(2021, 1, 1, 0, 0, 0, 0));
	unsetenv("PLUMB_NOW");
}

/* The clock ts_now_ms reads, in ms: time(NULL) reads a coarser one, which
 * can lag it by a tick and made these tests fail now and then (a CI run:
 * 1796369426002 against at most 1796369426000). */
static int64_t realtime_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void unusable_plumb_now_falls_back_to_the_clock(void **state)
{
	(void)state;
	assert_int_equal(setenv("PLUMB_NOW", "not a time", 1), 0);
	int64_t before = realtime_ms();
	int64_t now = ts_now_ms();
	int64_t after = realtime_ms();
	unsetenv("PLUMB_NOW");
	assert_in_range(now, before, after);
}

static void leap_second_plumb_now_falls_back_to_the_clock(void **state)
{
	(void)state;
	assert_int_equal(setenv("PLUMB_NOW", "2016-12-31T23:59:60Z", 1), 0);
	int64_t before = realtime_ms();
	int64_t now = ts_now_ms();
	int64_t after = realtime_ms();
	unsetenv("PLUMB_NOW");
	assert_in_range(now, before, after);
}

/* The zone after a space, as GitLab webhooks and Jenkins changesets write it
 * (../shared/fixtures/README.md lists these forms). */
static void zone_after_a_space(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2017-09-15 16:50:55 UTC"), utc_ms(2017, 9, 15, 16, 50, 55, 0));
	assert_int_equal(parse_ok("2016-04-19 18:51:32 GMT"), utc_ms(2016, 4, 19, 18, 51, 32, 0));
	/* The zone name in any case, as 'Z' and 'T' are. */
	assert_int_equal(parse_ok("2017-09-15 16:50:55 utc"), utc_ms(2017, 9, 15, 16, 50, 55, 0));
	assert_int_equal(parse_ok("2016-04-19 18:51:32 gmt"), utc_ms(2016, 4, 19, 18, 51, 32, 0));
	assert_int_equal(parse_ok("2016-04-19 18:51:32 Utc"), utc_ms(2016, 4, 19, 18, 51, 32, 0));
	assert_int_equal(parse_ok("2025-05-02 11:55:16 +0000"), utc_ms(2025, 5, 2, 11, 55, 16, 0));
	assert_int_equal(parse_ok("2025-05-02 11:55:16 -0130"), utc_ms(2025, 5, 2, 13, 25, 16, 0));
	assert_int_equal(parse_ok("2020-06-12T08:35:15.489+0800"),
	                 utc_ms(2020, 6, 12, 0, 35, 15, 489));
	assert_parse_rejects("2017-09-15T16:50:55UTC"); /* the zone name only after a space */
	assert_parse_rejects("2017-09-15 16:50UTC");
	/* An offset may not carry a time out of the years 1 to 9999. */
	assert_parse_rejects("9999-12-31T23:59:59-23:59");
	assert_parse_rejects("0001-01-01T00:00:00+23:59");
	assert_parse_rejects("2017-09-15 16:50:55 PST"); /* not a guess */
	assert_parse_rejects("2017-09-15 16:50:55  UTC");
	assert_parse_rejects("2017-09-15 16:50:55 UTC ");
	assert_parse_rejects("2017-09-15 16:50:55 utcx");
}

static int64_t payload_ok(const char *s)
{
	struct error err = {0};
	int64_t ms = INT64_MIN;
	if (ts_parse_payload(s, &ms, &err) != 0)
		fail_msg("ts_parse_payload(\"%s\") failed: %s (%s)", s, err.message, err.detail);
	assert_int_equal(err.code, 0);
	return ms;
}

/* A payload time refused: ERR_INVALID naming the input, *ms untouched, and
 * the detail saying why (why NULL: only what was expected). */
static void assert_payload_rejects(const char *s, const char *why)
{
	struct error err = {0};
	int64_t ms = 12345;
	int rc = ts_parse_payload(s, &ms, &err);
	if (rc != ERR_INVALID)
		fail_msg("ts_parse_payload(\"%s\") returned %d, expected ERR_INVALID", s, rc);
	assert_int_equal(ms, 12345);
	if (!strstr(err.message, s))
		fail_msg("message \"%s\" does not name the input \"%s\"", err.message, s);
	if (!strstr(err.detail, "a time with seconds and a zone"))
		fail_msg("detail \"%s\" does not say what was expected", err.detail);
	if (why && strncmp(err.detail, why, strlen(why)) != 0)
		fail_msg("detail \"%s\" does not start with \"%s\"", err.detail, why);
}

/* The sentinel years a date type writes for a time never set (Go's and
 * .NET's zero value 0001-01-01T00:00:00Z, .NET's largest 9999-12-31T23:59:59)
 * are refused in payloads, saying so; the years next to them are times. */
static void payload_refuses_unset_sentinels(void **state)
{
	(void)state;
	const char *unset[] = {"0001-01-01T00:00:00Z", "0001-12-31T23:59:59.999Z",
	                       "9999-12-31T23:59:59Z", "9999-01-01T00:00:00Z",
	                       "0001-06-01 00:00:00 UTC",
	                       /* An offset that takes the sentinel out of the
	                        * years 1 to 9999 says so too (found in review). */
	                       "0001-01-01T00:00:00+02:00", "9999-12-31T23:59:59-05:00"};
	for (size_t i = 0; i < sizeof unset / sizeof *unset; i++) {
		struct error err = {0};
		int64_t ms = 12345;
		if (ts_parse_payload(unset[i], &ms, &err) != ERR_INVALID)
			fail_msg("ts_parse_payload(\"%s\") was accepted", unset[i]);
		assert_int_equal(ms, 12345);
		assert_non_null(strstr(err.message, unset[i]));
		assert_non_null(strstr(err.detail, "never set"));
	}
	assert_int_equal(payload_ok("0002-01-01T00:00:00Z"), utc_ms(2, 1, 1, 0, 0, 0, 0));
	assert_int_equal(payload_ok("9998-12-31T23:59:59.999Z"),
	                 utc_ms(9998, 12, 31, 23, 59, 59, 999));
}

/* Every form the fixtures README lists for text times (../shared/fixtures),
 * and the other spellings RFC 3339 allows, read as ts_parse reads them. */
static void payload_reads_what_sources_write(void **state)
{
	(void)state;
	const char *forms[] = {
	        "2019-05-15T15:20:33Z",           /* GitHub */
	        "2021-08-05T10:26:11.000Z",       /* GitHub, with a fraction */
	        "2020-06-12T08:35:15.489+0800",   /* Jira Cloud, no colon */
	        "2024-01-01T10:00:00.000+0000",   /* Jira, UTC */
	        "2017-09-15 16:50:55 UTC",        /* GitLab webhooks */
	        "2025-05-02 11:55:16 +0000",      /* GitLab, Jenkins changesets */
	        "2016-04-19 18:51:32 GMT",        /* Jenkins changesets */
	        "2012-01-03T23:36:29+02:00",      /* GitLab */
	        "2021-06-04T13:35:29.781Z",       /* PagerDuty */
	        "2023-09-05T18:21:21.49Z",        /* Opsgenie: 1 to 3 digits */
	        "2023-09-05T18:21:21.123456789Z", /* nine digits */
	        "2023-09-05t18:21:21z",           "2023-09-05T18:21:21-00:00",
	        "2023-09-05 18:21:21-0530",
	};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		assert_int_equal(payload_ok(forms[i]), parse_ok(forms[i]));
	assert_int_equal(payload_ok("2020-06-12T08:35:15.489+0800"),
	                 utc_ms(2020, 6, 12, 0, 35, 15, 489));
	assert_int_equal(payload_ok("2017-09-15 16:50:55 UTC"), utc_ms(2017, 9, 15, 16, 50, 55, 0));
	/* ISO 8601:2004 4.2.2.4 allows a comma as the decimal sign (RFC 3339 only
	 * the full stop): the same fraction, not a guess. */
	assert_int_equal(payload_ok("2020-06-12T08:35:15,489+0800"),
	                 payload_ok("2020-06-12T08:35:15.489+0800"));
	assert_payload_rejects("2020-06-12T08:35:15,+0800", NULL);
}

/* ISO 8601 lets an offset be hours alone (+hh): PostgreSQL writes its
 * timestamptz so ("2026-01-01 00:00:00+00"), and exported CSVs carry it.
 * It is the same instant as +hh:mm with zero minutes; anything shorter,
 * longer or half-written is still refused. */
static void short_offsets(void **state)
{
	(void)state;
	assert_int_equal(payload_ok("2026-01-01 00:00:00+00"), utc_ms(2026, 1, 1, 0, 0, 0, 0));
	assert_int_equal(payload_ok("2026-01-01T00:00:00+05"), utc_ms(2025, 12, 31, 19, 0, 0, 0));
	assert_int_equal(payload_ok("2026-01-01T00:00:00.250-03"),
	                 utc_ms(2026, 1, 1, 3, 0, 0, 250));
	assert_int_equal(payload_ok("2026-01-01 00:00:00 +05"),
	                 payload_ok("2026-01-01T00:00:00+05:00"));
	assert_int_equal(parse_ok("2026-01-01T00:00+05"), parse_ok("2026-01-01T00:00+0500"));
	const char *refused[] = {"2026-01-01T00:00:00+5",   "2026-01-01T00:00:00+05:",
	                         "2026-01-01T00:00:00+053", "2026-01-01T00:00:00+05:3",
	                         "2026-01-01T00:00:00+24",  "2026-01-01T00:00:00+05x",
	                         "2026-01-01T00:00:00+",    "2026-01-01T00:00:00+05:00:00"};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		assert_payload_rejects(refused[i], NULL);
		assert_parse_rejects(refused[i]);
	}
}

/* A payload time must name one instant: without a zone (or seconds, or a
 * time at all) it is refused, saying what it lacks, not read as UTC. */
static void payload_refuses_what_says_too_little(void **state)
{
	(void)state;
	assert_payload_rejects("2024-05-01 15:00:00", "no zone");
	assert_payload_rejects("2024-05-01T15:00:00", "no zone");
	assert_payload_rejects("2024-05-01T15:00:00.250", "no zone");
	assert_payload_rejects("2024-05-01T15:00", "no seconds");
	assert_payload_rejects("2024-05-01T15:00Z", "no seconds");
	assert_payload_rejects("2024-05-01 15:00 UTC", "no seconds");
	assert_payload_rejects("2024-05-01", "a date without a time of day");
	/* Malformed as before. */
	assert_payload_rejects("yesterday", NULL);
	assert_payload_rejects("", NULL);
	assert_payload_rejects("2024-02-30T14:30:00Z", NULL);
	assert_payload_rejects("2024-05-01T09:30:00+2", NULL);
	assert_payload_rejects("2017-09-15 16:50:55 PST", NULL);
	assert_payload_rejects("2017-09-15T16:50:55UTC", NULL);
	assert_payload_rejects("2023-09-05T18:21:21.1234567890Z", NULL);
	assert_payload_rejects("2023-09-05T18:21:21.Z", NULL);
	assert_payload_rejects("2024-05-01T09:30:00Z ", NULL);
	/* The same texts typed on the command line are read, as UTC. */
	struct error err = {0};
	int64_t ms = 0;
	assert_int_equal(ts_parse_strict("2024-05-01 15:00:00", &ms, &err), 0);
	assert_int_equal(ms, utc_ms(2024, 5, 1, 15, 0, 0, 0));
}

/* Seconds 60 in a payload: a leap second where one can fall (23:59:60 UTC at
 * the end of a month, in whatever offset it was written), read as the last
 * millisecond of its day; anywhere else an error, not :59. */
static void payload_leap_second_only_at_the_end_of_a_month(void **state)
{
	(void)state;
	int64_t last = utc_ms(2016, 12, 31, 23, 59, 59, 999);
	assert_int_equal(payload_ok("2016-12-31T23:59:60Z"), last);
	assert_int_equal(payload_ok("2016-12-31T23:59:60.250Z"), last);
	assert_int_equal(payload_ok("2016-12-31 23:59:60 UTC"), last);
	assert_int_equal(payload_ok("2017-01-01T08:59:60+09:00"), last); /* Tokyo's view of it */
	assert_int_equal(payload_ok("2016-12-31T18:59:60-0500"), last);
	assert_int_equal(payload_ok("2015-06-30T23:59:60Z"), utc_ms(2015, 6, 30, 23, 59, 59, 999));
	/* It sorts after the second before it and before midnight. */
	assert_true(payload_ok("2016-12-31T23:59:59.998Z") < last);
	assert_true(last < payload_ok("2017-01-01T00:00:00Z"));
	const char *why = "second 60 is a leap second only at 23:59:60 UTC";
	assert_payload_rejects("2024-05-01T12:00:60Z", why);
	assert_payload_rejects("2024-05-01T23:59:60Z", why);      /* not a month's last day */
	assert_payload_rejects("2016-12-31T23:59:60+01:00", why); /* 22:59:60 UTC */
	assert_payload_rejects("2016-12-31T23:58:60Z", why);
	assert_payload_rejects("2016-12-31T23:59:61Z", NULL);
}

/* Epoch counts from the fixtures README, each with its documented unit; the
 * expected instants are timegm's. */
static void epoch_counts_by_unit(void **state)
{
	(void)state;
	struct error err = {0};
	int64_t ms = 0;
	/* GitHub push webhook repository.pushed_at: seconds */
	assert_int_equal(ts_from_epoch(1557933565, TS_SECONDS, &ms, &err), 0);
	assert_int_equal(ms, utc_ms(2019, 5, 15, 15, 19, 25, 0));
	/* Jenkins timestamp: milliseconds */
	assert_int_equal(ts_from_epoch(INT64_C(1650024049161), TS_MILLIS, &ms, &err), 0);
	assert_int_equal(ms, utc_ms(2022, 4, 15, 12, 0, 49, 161));
	/* Opsgenie updatedAt: nanoseconds, beyond 2^53 */
	assert_int_equal(ts_from_epoch(INT64_C(1502709956288000110), TS_NANOS, &ms, &err), 0);
	assert_int_equal(ms, utc_ms(2017, 8, 14, 11, 25, 56, 288));
	assert_int_equal(ts_from_epoch(INT64_C(1502709956288123), TS_MICROS, &ms, &err), 0);
	assert_int_equal(ms, utc_ms(2017, 8, 14, 11, 25, 56, 288));
	/* Before 1970 rounds down, like the civil arithmetic. */
	assert_int_equal(ts_from_epoch(-1, TS_NANOS, &ms, &err), 0);
	assert_int_equal(ms, -1);
	/* Milliseconds taken for seconds land in year 51,000: refused. */
	assert_int_equal(ts_from_epoch(INT64_C(1650024049161), TS_SECONDS, &ms, &err), ERR_INVALID);
	assert_non_null(strstr(err.message, "epoch seconds 1650024049161 is out of range"));
	err_clear(&err);
	assert_int_equal(ts_from_epoch(INT64_MAX, TS_SECONDS, &ms, &err), ERR_INVALID);
	err_clear(&err);
	assert_int_equal(ts_from_epoch(INT64_MIN, TS_MILLIS, &ms, &err), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(parses_utc_with_z),
	        cmocka_unit_test(zone_after_a_space),
	        cmocka_unit_test(epoch_counts_by_unit),
	        cmocka_unit_test(parses_offset_with_colon),
	        cmocka_unit_test(parses_offset_without_colon),
	        cmocka_unit_test(offset_zero_forms_agree),
	        cmocka_unit_test(lowercase_t_and_z_accepted),
	        cmocka_unit_test(fractions_of_one_to_nine_digits),
	        cmocka_unit_test(fraction_needs_one_to_nine_digits),
	        cmocka_unit_test(bare_date_is_midnight_utc),
	        cmocka_unit_test(parse_date_refuses_a_time),
	        cmocka_unit_test(leap_days),
	        cmocka_unit_test(invalid_calendar_fields),
	        cmocka_unit_test(leap_second_only_from_sources),
	        cmocka_unit_test(trailing_junk_rejected),
	        cmocka_unit_test(error_explains_expected_form),
	        cmocka_unit_test(negative_epoch_round_trips),
	        cmocka_unit_test(year_9999_round_trips),
	        cmocka_unit_test(payload_refuses_unset_sentinels),
	        cmocka_unit_test(format_is_utc_with_milliseconds),
	        cmocka_unit_test(day_floor),
	        cmocka_unit_test(days_from_civil_known_values),
	        cmocka_unit_test(days_from_civil_agrees_with_timegm),
	        cmocka_unit_test(plumb_now_pins_the_clock),
	        cmocka_unit_test(unusable_plumb_now_falls_back_to_the_clock),
	        cmocka_unit_test(leap_second_plumb_now_falls_back_to_the_clock),
	        cmocka_unit_test(payload_reads_what_sources_write),
	        cmocka_unit_test(short_offsets),
	        cmocka_unit_test(payload_refuses_what_says_too_little),
	        cmocka_unit_test(payload_leap_second_only_at_the_end_of_a_month),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
