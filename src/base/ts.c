/* ts: RFC 3339 parsing and formatting on civil-day arithmetic (no libc time zones). */
#include "base/ts.h"

#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The first instant of the year 2 and of the year 9999 (neither the year 1
 * nor 9999 is a leap year): a payload time outside them is a sentinel. */
#define TS_YEAR2_MS    (TS_MIN_MS + 365 * MS_PER_DAY)
#define TS_YEAR9999_MS (TS_MAX_MS + 1 - 365 * MS_PER_DAY)

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
int64_t ts_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void ts_civil_from_days(int64_t days, int *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

const char *ts_month_abbr(unsigned month)
{
	static const char *const names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	return month >= 1 && month <= 12 ? names[month - 1] : "?";
}

bool ts_valid_date(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	int max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

/* Read exactly n digits at *p into *out; advance. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/* What a time must say, and where it may have a second 60. */
enum ts_rules {
	RULES_SOURCE,  /* ts_parse: anything ts_parse_strict takes, and :60 read as :59 */
	RULES_TYPED,   /* ts_parse_strict: dates, no seconds, no offset (UTC); no :60 */
	RULES_PAYLOAD, /* ts_parse_payload: seconds and a zone; :60 only as a leap second */
};

#define TS_EXPECT_TYPED                                                                            \
	"expected RFC 3339 (2024-05-01T09:30:00Z, 2024-05-01T09:30:00.123+02:00), "                \
	"'2024-05-01 09:30:00 UTC' or YYYY-MM-DD"
#define TS_EXPECT_PAYLOAD                                                                          \
	"expected a date, a time with seconds and a zone: RFC 3339 (2024-05-01T09:30:00Z, "        \
	"2024-05-01T09:30:00.123+02:00, +0200 or +02) or '2024-05-01 09:30:00 UTC' (or GMT)"

/* why: what is missing, for a payload time that is well formed but says too
 * little (NULL when it is malformed). */
static int bad_time(const char *s, enum ts_rules rules, const char *why, struct error *err)
{
	err_set(err, ERR_INVALID, "invalid time '%s'", s);
	if (rules != RULES_PAYLOAD)
		err_detail(err, TS_EXPECT_TYPED);
	else if (why)
		err_detail(err, "%s: " TS_EXPECT_PAYLOAD, why);
	else
		err_detail(err, TS_EXPECT_PAYLOAD);
	return ERR_INVALID;
}

/* 0001-01-01T00:00:00Z is what Go and .NET write for a time never set
 * (their zero value), 9999-12-31 what stands for "no end": neither is
 * when something happened, and stored it would sit in every window. */
static int unset_time(const char *s, struct error *err)
{
	err_set(err, ERR_INVALID, "invalid time '%s'", s);
	err_detail(err, "a time in the year 1 or 9999 is how a date type writes one never set "
	                "(its zero or its largest value): expected when it happened, or the "
	                "field left out");
	return ERR_INVALID;
}

static bool parse_date_part(const char **p, int *y, int *mo, int *d)
{
	return digits(p, 4, y) && *(*p)++ == '-' && digits(p, 2, mo) && *(*p)++ == '-' &&
	       digits(p, 2, d) && ts_valid_date(*y, *mo, *d);
}

int ts_parse_date(const char *s, int64_t *ms, struct error *err)
{
	const char *p = s;
	int y, mo, d;
	if (!parse_date_part(&p, &y, &mo, &d) || *p) {
		err_set(err, ERR_INVALID, "invalid date '%s'", s);
		err_detail(err, "expected YYYY-MM-DD, a real calendar date");
		return ERR_INVALID;
	}
	*ms = ts_days_from_civil(y, (unsigned)mo, (unsigned)d) * MS_PER_DAY;
	return 0;
}

static int64_t floor_div(int64_t a, int64_t b);

/* Whether secs, UTC seconds since the epoch counted with a second 60 as
 * written, is one past 23:59:59 UTC on the last day of a month: where
 * ITU-R TF.460 lets a leap second fall (in practice June 30 and December 31),
 * whatever the offset it was written in. */
static bool leap_second_place(int64_t secs)
{
	if (secs - floor_div(secs, 86400) * 86400 != 0)
		return false;
	int y;
	unsigned m, d;
	ts_civil_from_days(floor_div(secs, 86400), &y, &m, &d);
	return d == 1;
}

/* Whether z is the zone name UTC or GMT and nothing after it, in any case
 * (as 'Z' is: a hand-written " utc" was refused, found in the parsers'
 * hunt). */
static bool zone_name(const char *z)
{
	return strcasecmp(z, "UTC") == 0 || strcasecmp(z, "GMT") == 0;
}

/* The zone after the seconds: 'Z', +hh:mm, +hhmm or +hh (also after a space),
 * " UTC" or " GMT" in any case (GitLab's and Jenkins's "2017-09-15
 * 16:50:55 UTC").  Advances *p past it and sets *has_zone; false when
 * malformed. */
static bool parse_zone(const char **p, bool *has_zone, int64_t *offset_min)
{
	const char *z = *p;
	*has_zone = false;
	*offset_min = 0;
	bool spaced = *z == ' ' && (z[1] == '+' || z[1] == '-' || zone_name(z + 1));
	if (spaced)
		z++;
	if (spaced && zone_name(z)) {
		z += 3;
	} else if (*z == 'Z' || *z == 'z') {
		z++;
	} else if (*z == '+' || *z == '-') {
		int sign = *z++ == '-' ? -1 : 1, oh, om;
		if (!digits(&z, 2, &oh))
			return false;
		/* ISO 8601 lets the minutes go (+hh): PostgreSQL writes its
		 * timestamptz so ("2026-01-01 00:00:00+00"). */
		om = 0;
		bool colon = *z == ':';
		z += colon;
		if ((colon || (*z >= '0' && *z <= '9')) && !digits(&z, 2, &om))
			return false;
		if (oh > 23 || om > 59)
			return false;
		*offset_min = sign * (oh * 60 + om);
	} else {
		return true; /* no zone */
	}
	*has_zone = true;
	*p = z;
	return true;
}

static int parse_time(const char *s, enum ts_rules rules, int64_t *ms, struct error *err)
{
	const bool payload = rules == RULES_PAYLOAD;
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	int64_t frac_ms = 0;
	if (!parse_date_part(&p, &y, &mo, &d))
		return bad_time(s, rules, NULL, err);
	int64_t days = ts_days_from_civil(y, (unsigned)mo, (unsigned)d);
	if (*p == '\0') {
		if (payload)
			return bad_time(s, rules, "a date without a time of day", err);
		*ms = days * MS_PER_DAY;
		return 0;
	}
	if (*p != 'T' && *p != 't' && *p != ' ')
		return bad_time(s, rules, NULL, err);
	p++;
	if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
		return bad_time(s, rules, NULL, err);
	bool has_seconds = *p == ':';
	if (has_seconds) {
		p++;
		if (!digits(&p, 2, &sec))
			return bad_time(s, rules, NULL, err);
		if (*p == '.' || *p == ',') {
			p++;
			int n = 0;
			int64_t scale = 100;
			while (*p >= '0' && *p <= '9') {
				if (n < 3)
					frac_ms += (*p - '0') * scale, scale /= 10;
				p++, n++;
			}
			if (n == 0 || n > 9)
				return bad_time(s, rules, NULL, err);
		}
	}
	if (h > 23 || mi > 59 || sec > (rules == RULES_TYPED ? 59 : 60))
		return bad_time(s, rules, NULL, err);
	bool has_zone;
	int64_t offset_min;
	if (!parse_zone(&p, &has_zone, &offset_min) || *p)
		return bad_time(s, rules, NULL, err);
	/* Typed, no offset means UTC, as plumb's conventions say; a source's
	 * time without one is local to somewhere plumb cannot know. */
	if (payload && !has_seconds)
		return bad_time(s, rules, "no seconds", err);
	if (payload && !has_zone)
		return bad_time(s, rules, "no zone, so not one instant", err);
	int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_min * 60;
	int64_t out = secs * 1000 + frac_ms;
	if (sec == 60 && payload) {
		/* A leap second is the last instant of its day: 23:59:59.999, so
		 * it stays in its day and month and sorts after the second
		 * before it; its fraction is dropped. */
		if (!leap_second_place(secs))
			return bad_time(s, rules,
			                "second 60 is a leap second only at 23:59:60 UTC on the "
			                "last day of a month",
			                err);
		out = secs * 1000 - 1;
	} else if (sec == 60) {
		out -= 1000; /* read as :59 */
	}
	if (out < TS_MIN_MS || out > TS_MAX_MS) /* an offset pushed it out of range */
		return payload ? unset_time(s, err) : bad_time(s, rules, NULL, err);
	*ms = out;
	return 0;
}

int ts_parse(const char *s, int64_t *ms, struct error *err)
{
	return parse_time(s, RULES_SOURCE, ms, err);
}

int ts_parse_strict(const char *s, int64_t *ms, struct error *err)
{
	return parse_time(s, RULES_TYPED, ms, err);
}

bool ts_is_year9999(int64_t ms)
{
	return ms >= TS_YEAR9999_MS;
}

int ts_parse_payload(const char *s, int64_t *ms, struct error *err)
{
	int64_t when;
	int rc = parse_time(s, RULES_PAYLOAD, &when, err);
	if (rc < 0)
		return rc;
	if (when < TS_YEAR2_MS || when >= TS_YEAR9999_MS)
		return unset_time(s, err);
	*ms = when;
	return 0;
}

int ts_from_epoch(int64_t v, enum ts_unit unit, int64_t *ms, struct error *err)
{
	static const char *const names[] = {"seconds", "milliseconds", "microseconds",
	                                    "nanoseconds"};
	int64_t out = 0;
	bool ok = true;
	switch (unit) {
	case TS_SECONDS:
		ok = v >= TS_MIN_MS / 1000 && v <= TS_MAX_MS / 1000;
		out = ok ? v * 1000 : 0;
		break;
	case TS_MILLIS:
		out = v;
		break;
	case TS_MICROS:
		out = floor_div(v, 1000);
		break;
	case TS_NANOS:
		out = floor_div(v, 1000000);
		break;
	default:
		BUG("unknown time unit %d", (int)unit);
	}
	if (!ok || out < TS_MIN_MS || out > TS_MAX_MS) {
		err_set(err, ERR_INVALID, "epoch %s %lld is out of range", names[unit],
		        (long long)v);
		err_detail(err, "expected a time between the years 1 and 9999");
		return ERR_INVALID;
	}
	*ms = out;
	return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t ts_day_floor(int64_t ms)
{
	return floor_div(ms, MS_PER_DAY) * MS_PER_DAY;
}

char *ts_format(int64_t ms, char buf[TS_BUF])
{
	int64_t days = floor_div(ms, MS_PER_DAY);
	int64_t rem = ms - days * MS_PER_DAY;
	int y;
	unsigned m, d;
	ts_civil_from_days(days, &y, &m, &d);
	int64_t secs = rem / 1000;
	snprintf(buf, TS_BUF, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, d, (int)(secs / 3600),
	         (int)(secs / 60 % 60), (int)(secs % 60), (int)(rem % 1000));
	return buf;
}

char *ts_format_date(int64_t ms, char buf[TS_BUF])
{
	int y;
	unsigned m, d;
	ts_civil_from_days(floor_div(ms, MS_PER_DAY), &y, &m, &d);
	snprintf(buf, TS_BUF, "%04d-%02u-%02u", y, m, d);
	return buf;
}

int64_t ts_now_ms(void)
{
	const char *pinned = getenv("PLUMB_NOW");
	int64_t ms;
	struct error err = {0};
	if (pinned && *pinned && ts_parse_strict(pinned, &ms, &err) == 0)
		return ms;
	return ts_clock_ms();
}

int64_t ts_clock_ms(void)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

double ts_mono_s(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}
