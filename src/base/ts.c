/* ts: RFC 3339 parsing and formatting on civil-day arithmetic (no libc time zones). */
#include "base/ts.h"

#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Times outside the years 1 to 9999 (UTC) are not times a source meant. */
#define TS_MIN_MS INT64_C(-62135596800000)
#define TS_MAX_MS INT64_C(253402300799999)

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

static int bad_time(const char *s, struct error *err)
{
	err_set(err, ERR_INVALID, "invalid time '%s'", s);
	err_detail(err, "expected RFC 3339 (2024-05-01T09:30:00Z, 2024-05-01T09:30:00.123+02:00), "
	                "'2024-05-01 09:30:00 UTC' or YYYY-MM-DD");
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

/* leap_second: accept seconds 60, read as 59. */
static int parse_time(const char *s, bool leap_second, int64_t *ms, struct error *err)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	int64_t frac_ms = 0;
	if (!parse_date_part(&p, &y, &mo, &d))
		return bad_time(s, err);
	int64_t days = ts_days_from_civil(y, (unsigned)mo, (unsigned)d);
	if (*p == '\0') {
		*ms = days * MS_PER_DAY;
		return 0;
	}
	if (*p != 'T' && *p != 't' && *p != ' ')
		return bad_time(s, err);
	p++;
	if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
		return bad_time(s, err);
	if (*p == ':') {
		p++;
		if (!digits(&p, 2, &sec))
			return bad_time(s, err);
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
				return bad_time(s, err);
		}
	}
	if (h > 23 || mi > 59 || sec > (leap_second ? 60 : 59))
		return bad_time(s, err);
	int64_t offset_min = 0;
	/* GitLab's and Jenkins's "2017-09-15 16:50:55 UTC" / "... GMT" /
	 * "... +0000": the zone after a space. */
	bool spaced = *p == ' ' && (p[1] == '+' || p[1] == '-' || strcmp(p + 1, "UTC") == 0 ||
	                            strcmp(p + 1, "GMT") == 0);
	if (spaced)
		p++;
	if (spaced && (strcmp(p, "UTC") == 0 || strcmp(p, "GMT") == 0)) {
		p += 3;
	} else if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh, om;
		if (!digits(&p, 2, &oh))
			return bad_time(s, err);
		if (*p == ':')
			p++;
		if (!digits(&p, 2, &om) || oh > 23 || om > 59)
			return bad_time(s, err);
		offset_min = sign * (oh * 60 + om);
	}
	/* No offset means UTC, as plumb's conventions say. */
	if (*p)
		return bad_time(s, err);
	int64_t secs = days * 86400 + h * 3600 + mi * 60 + (sec > 59 ? 59 : sec) - offset_min * 60;
	int64_t out = secs * 1000 + frac_ms;
	if (out < TS_MIN_MS || out > TS_MAX_MS) /* an offset pushed it out of range */
		return bad_time(s, err);
	*ms = out;
	return 0;
}

int ts_parse(const char *s, int64_t *ms, struct error *err)
{
	return parse_time(s, true, ms, err);
}

int ts_parse_strict(const char *s, int64_t *ms, struct error *err)
{
	return parse_time(s, false, ms, err);
}

static int64_t floor_div(int64_t a, int64_t b);

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
