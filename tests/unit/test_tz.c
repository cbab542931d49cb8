/*
 * test_tz: IANA zones from the system's TZif files, the POSIX footer rule past
 * the last transition, and local day, week and month starts across daylight
 * saving changes.  Expected instants were worked out independently of plumb:
 * Python's zoneinfo (CPython's own TZif and footer reader) and GNU date
 * (glibc), e.g. `TZ=Australia/Sydney date -d @1712455200 -R` prints
 * "Sun, 07 Apr 2024 12:00:00 +1000"; each case cites what was checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "base/ts.h"
#include "base/tz.h"
#include "testutil.h"

#define HOUR_MS INT64_C(3600000)

/* Milliseconds since the epoch for a UTC civil time, via libc's timegm. */
static int64_t utc_ms(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm) * 1000;
}

static struct tz *load_ok(const char *name)
{
	struct error err = {0};
	struct tz *z = NULL;
	int rc = tz_load(name, &z, &err);
	if (rc != 0)
		fail_msg("tz_load(\"%s\") failed: %s (%s)", name, err.message, err.detail);
	assert_non_null(z);
	assert_string_equal(tz_name(z), name);
	return z;
}

/* One instant and what python zoneinfo says about it (see the header). */
struct local_case {
	int64_t at;
	int64_t offset_ms;
	int64_t day, week, month;
};

static void check_case(const struct tz *z, const struct local_case *c)
{
	assert_int_equal(tz_offset_at(z, c->at), c->offset_ms);
	assert_int_equal(tz_day_start(z, c->at), c->day);
	assert_int_equal(tz_week_start(z, c->at), c->week);
	assert_int_equal(tz_month_start(z, c->at), c->month);
}

/* Sydney leaves daylight time at 03:00 AEDT on Sunday 2024-04-07 (16:00Z on
 * the 6th) and enters it at 02:00 AEST on Sunday 2024-10-06 (16:00Z on the 5th). */
static void test_sydney(void **state)
{
	(void)state;
	struct tz *z = load_ok("Australia/Sydney");
	const struct local_case cases[] = {
	        /* 2024-04-06T23:00+11:00 (Saturday, still AEDT). */
	        {utc_ms(2024, 4, 6, 12, 0, 0), 11 * HOUR_MS, utc_ms(2024, 4, 5, 13, 0, 0),
	         utc_ms(2024, 3, 31, 13, 0, 0), utc_ms(2024, 3, 31, 13, 0, 0)},
	        /* 2024-04-07T12:00+10:00: the day began at midnight AEDT (13:00Z). */
	        {utc_ms(2024, 4, 7, 2, 0, 0), 10 * HOUR_MS, utc_ms(2024, 4, 6, 13, 0, 0),
	         utc_ms(2024, 3, 31, 13, 0, 0), utc_ms(2024, 3, 31, 13, 0, 0)},
	        /* 2024-04-08T00:30+10:00, a Monday: its week starts in AEST. */
	        {utc_ms(2024, 4, 7, 14, 30, 0), 10 * HOUR_MS, utc_ms(2024, 4, 7, 14, 0, 0),
	         utc_ms(2024, 4, 7, 14, 0, 0), utc_ms(2024, 3, 31, 13, 0, 0)},
	        /* 2024-10-05T22:00+10:00 (Saturday, AEST). */
	        {utc_ms(2024, 10, 5, 12, 0, 0), 10 * HOUR_MS, utc_ms(2024, 10, 4, 14, 0, 0),
	         utc_ms(2024, 9, 29, 14, 0, 0), utc_ms(2024, 9, 30, 14, 0, 0)},
	        /* 2024-10-06T13:00+11:00: the day began at midnight AEST (14:00Z). */
	        {utc_ms(2024, 10, 6, 2, 0, 0), 11 * HOUR_MS, utc_ms(2024, 10, 5, 14, 0, 0),
	         utc_ms(2024, 9, 29, 14, 0, 0), utc_ms(2024, 9, 30, 14, 0, 0)},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_case(z, &cases[i]);
	/* The changes themselves, to the second (GNU date -d @1712419199 / @1712419200). */
	assert_int_equal(tz_offset_at(z, utc_ms(2024, 4, 6, 15, 59, 59)), 11 * HOUR_MS);
	assert_int_equal(tz_offset_at(z, utc_ms(2024, 4, 6, 16, 0, 0)), 10 * HOUR_MS);
	assert_int_equal(tz_offset_at(z, utc_ms(2024, 10, 5, 15, 59, 59)), 10 * HOUR_MS);
	assert_int_equal(tz_offset_at(z, utc_ms(2024, 10, 5, 16, 0, 0)), 11 * HOUR_MS);
	/* The local date: 13:30Z on 2024-04-06 is already the 7th in Sydney. */
	char buf[TS_BUF];
	assert_string_equal(tz_local_date(z, utc_ms(2024, 4, 6, 13, 30, 0), buf), "2024-04-07");
	assert_string_equal(tz_local_date(z, utc_ms(2024, 4, 6, 12, 59, 0), buf), "2024-04-06");
	tz_free(z);
}

/* New York springs forward at 02:00 EST on 2024-03-10 (07:00Z) and falls back
 * at 02:00 EDT on 2024-11-03 (06:00Z). */
static void test_new_york(void **state)
{
	(void)state;
	struct tz *z = load_ok("America/New_York");
	const struct local_case cases[] = {
	        /* 2024-03-10T01:59:59-05:00, the last EST second. */
	        {utc_ms(2024, 3, 10, 6, 59, 59), -5 * HOUR_MS, utc_ms(2024, 3, 10, 5, 0, 0),
	         utc_ms(2024, 3, 4, 5, 0, 0), utc_ms(2024, 3, 1, 5, 0, 0)},
	        /* 2024-03-10T12:00-04:00. */
	        {utc_ms(2024, 3, 10, 16, 0, 0), -4 * HOUR_MS, utc_ms(2024, 3, 10, 5, 0, 0),
	         utc_ms(2024, 3, 4, 5, 0, 0), utc_ms(2024, 3, 1, 5, 0, 0)},
	        /* 2024-11-03T01:30-04:00, the first of the two 01:30s. */
	        {utc_ms(2024, 11, 3, 5, 30, 0), -4 * HOUR_MS, utc_ms(2024, 11, 3, 4, 0, 0),
	         utc_ms(2024, 10, 28, 4, 0, 0), utc_ms(2024, 11, 1, 4, 0, 0)},
	        /* 2024-11-03T11:00-05:00: the day began at midnight EDT (04:00Z). */
	        {utc_ms(2024, 11, 3, 16, 0, 0), -5 * HOUR_MS, utc_ms(2024, 11, 3, 4, 0, 0),
	         utc_ms(2024, 10, 28, 4, 0, 0), utc_ms(2024, 11, 1, 4, 0, 0)},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_case(z, &cases[i]);
	tz_free(z);
}

/* Kolkata: +05:30 all year; 2024-06-16T01:30+05:30 is a Sunday. */
static void test_kolkata(void **state)
{
	(void)state;
	struct tz *z = load_ok("Asia/Kolkata");
	const struct local_case c = {utc_ms(2024, 6, 15, 20, 0, 0), 5 * HOUR_MS + 30 * 60000,
	                             utc_ms(2024, 6, 15, 18, 30, 0), utc_ms(2024, 6, 9, 18, 30, 0),
	                             utc_ms(2024, 5, 31, 18, 30, 0)};
	check_case(z, &c);
	tz_free(z);
}

/* UTC needs no file: PLUMB_ZONEINFO pointing nowhere must not matter. */
static void test_utc(void **state)
{
	(void)state;
	setenv("PLUMB_ZONEINFO", "/nonexistent-zoneinfo", 1);
	const char *names[] = {"UTC", "Etc/UTC"};
	for (size_t i = 0; i < 2; i++) {
		struct tz *z = load_ok(names[i]);
		/* 2024-02-29T23:59:59Z, a Thursday in a leap February. */
		const struct local_case c = {
		        utc_ms(2024, 2, 29, 23, 59, 59), 0, utc_ms(2024, 2, 29, 0, 0, 0),
		        utc_ms(2024, 2, 26, 0, 0, 0), utc_ms(2024, 2, 1, 0, 0, 0)};
		check_case(z, &c);
		/* Before the epoch the floors still go down, not toward zero. */
		assert_int_equal(tz_day_start(z, utc_ms(1969, 12, 31, 12, 0, 0)),
		                 utc_ms(1969, 12, 31, 0, 0, 0));
		tz_free(z);
	}
	unsetenv("PLUMB_ZONEINFO");
}

/* 2100 is past the last transition stored in the files (2037), so the POSIX
 * footer decides: Sydney's "AEST-10AEDT,M10.1.0,M4.1.0/3" starts daylight
 * time on Sunday 2100-10-03 at 02:00 AEST (16:00Z on the 2nd), checked with
 * python zoneinfo and `TZ=Australia/Sydney date -d @4126262400 -R`. */
static void test_far_future_footer(void **state)
{
	(void)state;
	struct tz *z = load_ok("Australia/Sydney");
	const struct local_case cases[] = {
	        /* 2100-01-15T11:00+11:00; the month began on 2100-01-01 AEDT. */
	        {utc_ms(2100, 1, 15, 0, 0, 0), 11 * HOUR_MS, utc_ms(2100, 1, 14, 13, 0, 0),
	         utc_ms(2100, 1, 10, 13, 0, 0), utc_ms(2099, 12, 31, 13, 0, 0)},
	        /* 2100-07-15T10:00+10:00. */
	        {utc_ms(2100, 7, 15, 0, 0, 0), 10 * HOUR_MS, utc_ms(2100, 7, 14, 14, 0, 0),
	         utc_ms(2100, 7, 11, 14, 0, 0), utc_ms(2100, 6, 30, 14, 0, 0)},
	        /* 2100-10-03T23:00+11:00, the day daylight time starts. */
	        {utc_ms(2100, 10, 3, 12, 0, 0), 11 * HOUR_MS, utc_ms(2100, 10, 2, 14, 0, 0),
	         utc_ms(2100, 9, 26, 14, 0, 0), utc_ms(2100, 9, 30, 14, 0, 0)},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_case(z, &cases[i]);
	assert_int_equal(tz_offset_at(z, utc_ms(2100, 10, 2, 15, 59, 59)), 10 * HOUR_MS);
	assert_int_equal(tz_offset_at(z, utc_ms(2100, 10, 2, 16, 0, 0)), 11 * HOUR_MS);
	tz_free(z);

	/* "EST5EDT,M3.2.0,M11.1.0": 2100-03-14 is the second Sunday of March. */
	z = load_ok("America/New_York");
	const struct local_case ny[] = {
	        {utc_ms(2100, 7, 4, 12, 0, 0), -4 * HOUR_MS, utc_ms(2100, 7, 4, 4, 0, 0),
	         utc_ms(2100, 6, 28, 4, 0, 0), utc_ms(2100, 7, 1, 4, 0, 0)},
	        {utc_ms(2100, 3, 14, 12, 0, 0), -4 * HOUR_MS, utc_ms(2100, 3, 14, 5, 0, 0),
	         utc_ms(2100, 3, 8, 5, 0, 0), utc_ms(2100, 3, 1, 5, 0, 0)},
	};
	for (size_t i = 0; i < sizeof ny / sizeof ny[0]; i++)
		check_case(z, &ny[i]);
	tz_free(z);
}

/* Santiago changes clocks at midnight.  On 2024-09-08 local midnight does not
 * exist (00:00 -04 becomes 01:00 -03, at 04:00Z), so the day starts at
 * 01:00 -03; on 2024-04-07 midnight -03 becomes 23:00 -04 on the 6th, making
 * the 6th 25 hours long.  Both from python zoneinfo, and `TZ=America/Santiago
 * date -d @1725768000 -R` prints "Sun, 08 Sep 2024 01:00:00 -0300". */
static void test_midnight_transitions(void **state)
{
	(void)state;
	struct tz *z = load_ok("America/Santiago");
	const struct local_case cases[] = {
	        {utc_ms(2024, 9, 8, 12, 0, 0), -3 * HOUR_MS, utc_ms(2024, 9, 8, 4, 0, 0),
	         utc_ms(2024, 9, 2, 4, 0, 0), utc_ms(2024, 9, 1, 4, 0, 0)},
	        {utc_ms(2024, 4, 6, 12, 0, 0), -3 * HOUR_MS, utc_ms(2024, 4, 6, 3, 0, 0),
	         utc_ms(2024, 4, 1, 3, 0, 0), utc_ms(2024, 4, 1, 3, 0, 0)},
	        /* 2024-04-06T23:30-04:00, the repeated hour, is still the 6th. */
	        {utc_ms(2024, 4, 7, 3, 30, 0), -4 * HOUR_MS, utc_ms(2024, 4, 6, 3, 0, 0),
	         utc_ms(2024, 4, 1, 3, 0, 0), utc_ms(2024, 4, 1, 3, 0, 0)},
	        {utc_ms(2024, 4, 7, 12, 0, 0), -4 * HOUR_MS, utc_ms(2024, 4, 7, 4, 0, 0),
	         utc_ms(2024, 4, 1, 3, 0, 0), utc_ms(2024, 4, 1, 3, 0, 0)},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_case(z, &cases[i]);
	tz_free(z);
}

static void assert_load_fails(const char *name, const char *in_message)
{
	struct error err = {0};
	struct tz *z = (struct tz *)&err; /* must be reset to NULL */
	int rc = tz_load(name, &z, &err);
	if (rc != ERR_INVALID)
		fail_msg("tz_load(\"%s\") returned %d, expected ERR_INVALID", name, rc);
	assert_null(z);
	assert_int_equal(err.code, ERR_INVALID);
	if (!strstr(err.message, name))
		fail_msg("message \"%s\" does not name the zone \"%s\"", err.message, name);
	if (!strstr(err.message, in_message))
		fail_msg("message \"%s\" does not say \"%s\"", err.message, in_message);
	if (!strstr(err.detail, "expected"))
		fail_msg("detail \"%s\" does not say what was expected", err.detail);
}

static void test_invalid_names(void **state)
{
	(void)state;
	const char *bad[] = {"../../etc/passwd", "/etc/localtime",   "Europe/../UTC",
	                     "Europe/Lon don",   "Europe//London",   "Europe/",
	                     "Zone;rm",          "Australia/Syd.ney"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_load_fails(bad[i], "invalid time zone name");
	struct error err = {0};
	struct tz *z = NULL;
	assert_int_equal(tz_load("", &z, &err), ERR_INVALID);
	assert_null(z);
}

static void test_missing_zone(void **state)
{
	(void)state;
	unsetenv("PLUMB_ZONEINFO");
	assert_load_fails("Mars/Olympus_Mons", "unknown time zone");
	assert_load_fails("australia/sydney", "unknown time zone"); /* case matters */
	struct error err = {0};
	struct tz *z = NULL;
	tz_load("Mars/Olympus_Mons", &z, &err);
	assert_non_null(strstr(err.detail, "/usr/share/zoneinfo/Mars/Olympus_Mons"));
	/* A directory is not a zone. */
	assert_load_fails("Australia", "time zone 'Australia'");
}

/* ---- hand-made TZif files under PLUMB_ZONEINFO ---- */

static void put32(unsigned char **p, uint32_t v)
{
	for (int i = 3; i >= 0; i--)
		*(*p)++ = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char **p, int64_t v)
{
	put32(p, (uint32_t)((uint64_t)v >> 32));
	put32(p, (uint32_t)v);
}

/* A header and data block per RFC 8536 section 3: types all designated "ZZZ". */
static void put_block(unsigned char **p, char version, int tsize, size_t ntrans,
                      const int64_t *trans, const unsigned char *idx, size_t ntypes,
                      const int32_t *utoff)
{
	memcpy(*p, "TZif", 4);
	(*p)[4] = (unsigned char)version;
	memset(*p + 5, 0, 15);
	*p += 20;
	const uint32_t counts[6] = {0, 0, 0, (uint32_t)ntrans, (uint32_t)ntypes, 4};
	for (int i = 0; i < 6; i++)
		put32(p, counts[i]);
	for (size_t i = 0; i < ntrans; i++) {
		if (tsize == 8)
			put64(p, trans[i]);
		else
			put32(p, (uint32_t)(int32_t)trans[i]);
	}
	for (size_t i = 0; i < ntrans; i++)
		*(*p)++ = idx[i];
	for (size_t i = 0; i < ntypes; i++) {
		put32(p, (uint32_t)utoff[i]);
		*(*p)++ = 0;
		*(*p)++ = 0;
	}
	memcpy(*p, "ZZZ", 4);
	*p += 4;
}

static void write_file(const char *dir, const char *name, const unsigned char *data, size_t len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Version 0 writes the 32-bit block only; others add the 64-bit block and footer. */
static void write_tzif(const char *dir, const char *name, char version, size_t ntrans,
                       const int64_t *trans, const unsigned char *idx, size_t ntypes,
                       const int32_t *utoff, const char *footer)
{
	unsigned char buf[4096];
	unsigned char *p = buf;
	put_block(&p, version, 4, ntrans, trans, idx, ntypes, utoff);
	if (version != 0) {
		put_block(&p, version, 8, ntrans, trans, idx, ntypes, utoff);
		*p++ = '\n';
		memcpy(p, footer, strlen(footer));
		p += strlen(footer);
		*p++ = '\n';
	}
	write_file(dir, name, buf, (size_t)(p - buf));
}

static int setup_dir(void **state)
{
	char *dir = strdup("/tmp/plumb-test-tz-XXXXXX");
	if (!dir || !mkdtemp(dir))
		return -1;
	setenv("PLUMB_ZONEINFO", dir, 1);
	*state = dir;
	return 0;
}

static int teardown_dir(void **state)
{
	unsetenv("PLUMB_ZONEINFO");
	remove_tree(*state);
	free(*state);
	return 0;
}

/* The Jn and n rule forms, with quoted names and a version 3 file: expected
 * instants from glibc, e.g. `TZ='<-03>3<-02>,J60/2,300/2' date -d
 * '2024-10-27 04:00:00Z' -R` gives "Sun, 27 Oct 2024 01:00:00 -0300" (n = 300
 * is 27 October in a leap year, 28 October otherwise; J60 is always 1 March).
 * Not python: CPython 3.11's zoneinfo puts the zero-based n form a day early
 * (its days-before-year helper is one short), against POSIX and glibc. */
static void test_julian_footer(void **state)
{
	const char *dir = *state;
	const int32_t utoff[] = {-3 * 3600};
	write_tzif(dir, "Julian", '3', 0, NULL, NULL, 1, utoff, "<-03>3<-02>,J60/2,300/2");
	struct tz *z = load_ok("Julian");
	assert_int_equal(tz_offset_at(z, utc_ms(2023, 3, 1, 4, 59, 59)), -3 * HOUR_MS);
	assert_int_equal(tz_offset_at(z, utc_ms(2023, 3, 1, 5, 0, 0)), -2 * HOUR_MS);
	assert_int_equal(tz_offset_at(z, utc_ms(2024, 3, 1, 5, 0, 0)), -2 * HOUR_MS);
	assert_int_equal(tz_offset_at(z, utc_ms(2024, 2, 29, 12, 0, 0)), -3 * HOUR_MS);
	assert_int_equal(tz_offset_at(z, utc_ms(2024, 10, 27, 3, 59, 59)), -2 * HOUR_MS);
	assert_int_equal(tz_offset_at(z, utc_ms(2024, 10, 27, 4, 0, 0)), -3 * HOUR_MS);
	assert_int_equal(tz_offset_at(z, utc_ms(2023, 10, 28, 3, 59, 59)), -2 * HOUR_MS);
	assert_int_equal(tz_offset_at(z, utc_ms(2023, 10, 28, 4, 0, 0)), -3 * HOUR_MS);
	tz_free(z);
}

/* A version 1 file (no 64-bit data, no footer): type 0 before the first
 * transition, the last transition's type for ever after (RFC 8536 3.2). */
static void test_version1(void **state)
{
	const char *dir = *state;
	const int64_t trans[] = {1000000000}; /* 2001-09-09T01:46:40Z */
	const unsigned char idx[] = {1};
	const int32_t utoff[] = {3600, 7200};
	write_tzif(dir, "Old", 0, 1, trans, idx, 2, utoff, NULL);
	struct tz *z = load_ok("Old");
	assert_int_equal(tz_offset_at(z, INT64_C(999999999999)), HOUR_MS);
	assert_int_equal(tz_offset_at(z, INT64_C(1000000000000)), 2 * HOUR_MS);
	assert_int_equal(tz_offset_at(z, utc_ms(2200, 1, 1, 0, 0, 0)), 2 * HOUR_MS);
	/* 2001-09-09T03:46:40+02:00; that day began at midnight +01:00, before
	 * the change, i.e. 2001-09-08T23:00Z (python ZoneInfo.from_file agrees). */
	assert_int_equal(tz_day_start(z, INT64_C(1000000000000)), utc_ms(2001, 9, 8, 23, 0, 0));
	tz_free(z);
}

static void test_malformed_files(void **state)
{
	const char *dir = *state;
	write_file(dir, "Empty", (const unsigned char *)"", 0);
	assert_load_fails("Empty", "not a valid TZif file");
	write_file(dir, "Text", (const unsigned char *)"Europe/London\n", 14);
	assert_load_fails("Text", "not a valid TZif file");

	/* A good version 2 file cut short in its 64-bit block. */
	const int64_t trans[] = {0, 100};
	const unsigned char idx[] = {1, 0};
	const int32_t utoff[] = {0, 3600};
	write_tzif(dir, "Whole", '2', 2, trans, idx, 2, utoff, "ZZZ0");
	struct tz *z = load_ok("Whole");
	tz_free(z);
	unsigned char buf[4096];
	unsigned char *p = buf;
	put_block(&p, '2', 4, 2, trans, idx, 2, utoff);
	put_block(&p, '2', 8, 2, trans, idx, 2, utoff);
	write_file(dir, "Cut", buf, (size_t)(p - buf) - 5);
	assert_load_fails("Cut", "not a valid TZif file");

	/* A transition naming a type that does not exist. */
	const unsigned char bad_idx[] = {1, 7};
	write_tzif(dir, "BadIndex", '2', 2, trans, bad_idx, 2, utoff, "ZZZ0");
	assert_load_fails("BadIndex", "not a valid TZif file");

	/* Transitions out of order. */
	const int64_t backwards[] = {100, 0};
	write_tzif(dir, "Backwards", '2', 2, backwards, idx, 2, utoff, "ZZZ0");
	assert_load_fails("Backwards", "not a valid TZif file");

	/* Footers that are not POSIX TZ strings. */
	const char *footers[] = {"",
	                         "Z0",
	                         "ZZZ",
	                         "ZZZ0YYY,M13.1.0,M4.1.0",
	                         "ZZZ0YYY,M3.2.0",
	                         "ZZZ0YYY,J0,J100",
	                         "ZZZ0 trailing"};
	for (size_t i = 0; i < sizeof footers / sizeof footers[0]; i++) {
		write_tzif(dir, "BadFooter", '2', 2, trans, idx, 2, utoff, footers[i]);
		if (i == 0) { /* an empty footer is allowed: no rule past the last transition */
			z = load_ok("BadFooter");
			assert_int_equal(tz_offset_at(z, utc_ms(2100, 1, 1, 0, 0, 0)), 0);
			tz_free(z);
			continue;
		}
		assert_load_fails("BadFooter", "not a valid TZif file");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_sydney),
	        cmocka_unit_test(test_new_york),
	        cmocka_unit_test(test_kolkata),
	        cmocka_unit_test(test_utc),
	        cmocka_unit_test(test_far_future_footer),
	        cmocka_unit_test(test_midnight_transitions),
	        cmocka_unit_test(test_invalid_names),
	        cmocka_unit_test(test_missing_zone),
	        cmocka_unit_test_setup_teardown(test_julian_footer, setup_dir, teardown_dir),
	        cmocka_unit_test_setup_teardown(test_version1, setup_dir, teardown_dir),
	        cmocka_unit_test_setup_teardown(test_malformed_files, setup_dir, teardown_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
