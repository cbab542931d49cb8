/*
 * tz: IANA zones from TZif files (RFC 8536, versions 1 to 3), with the POSIX
 * TZ footer for instants past the last stored transition.  Everything is
 * parsed once into a read-only struct tz; lookups are pure arithmetic, so a
 * loaded zone may be shared between threads.  No libc time zone state.
 */
#include "base/tz.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/mem.h"
#include "base/ts.h"

#define TZ_DEFAULT_DIR "/usr/share/zoneinfo"
/* Real TZif files are a few kilobytes; anything far larger is not one. */
#define TZ_FILE_CAP (1024 * 1024)
#define TZ_NAME_MAX 255
/* RFC 8536 bounds a UT offset to -89999..93599 seconds (about +-25 h). */
#define TZ_UTOFF_MIN (-89999)
#define TZ_UTOFF_MAX 93599
/* Inputs are clamped to about +-285,000 years so offset arithmetic can not
 * overflow; plumb's own times stay within the years 1 to 9999. */
#define TZ_MS_LIMIT  (INT64_C(1) << 53)
#define SECS_PER_DAY INT64_C(86400)

/* A POSIX TZ rule date: Jn (1-365, Feb 29 never counted), n (0-365, counting
 * Feb 29) or Mm.w.d (day d of week w of month m, w = 5 the last), with the
 * local time of day (seconds; RFC 8536 allows -167 h to +167 h). */
enum rule_kind { RULE_JULIAN1, RULE_JULIAN0, RULE_MONTH };
struct tz_rule {
	enum rule_kind kind;
	int day; /* Jn and n forms */
	int month, week, weekday;
	int32_t secs;
};

/* The footer: standard and daylight offsets east of UTC, in seconds. */
struct tz_footer {
	int32_t std_off, dst_off;
	bool has_dst;
	struct tz_rule start, end; /* into and out of daylight time */
};

struct tz {
	char *name;
	size_t ntrans;
	int64_t *trans;      /* UTC seconds, strictly ascending */
	unsigned char *type; /* per transition, an index into utoff */
	size_t ntypes;
	int32_t *utoff; /* seconds east of UTC */
	bool has_footer;
	struct tz_footer footer;
};

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

static int64_t clamp_ms(int64_t ms)
{
	return ms < -TZ_MS_LIMIT ? -TZ_MS_LIMIT : ms > TZ_MS_LIMIT ? TZ_MS_LIMIT : ms;
}

/* ---- names ---- */

static bool valid_name(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > TZ_NAME_MAX || name[0] == '/' || name[len - 1] == '/')
		return false;
	if (strstr(name, "..") || strstr(name, "//"))
		return false;
	for (const char *p = name; *p; p++) {
		char c = *p;
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		          (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '-' || c == '/';
		if (!ok)
			return false;
	}
	return true;
}

/* ---- the POSIX TZ footer ---- */

/* "EST", or "<+0530>" (quoted names may hold digits and signs). */
static bool parse_abbr(const char **p)
{
	const char *s = *p;
	if (*s == '<') {
		s++;
		const char *begin = s;
		while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		       (*s >= '0' && *s <= '9') || *s == '+' || *s == '-')
			s++;
		if (*s != '>' || s - begin < 1)
			return false;
		*p = s + 1;
		return true;
	}
	const char *begin = s;
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
		s++;
	if (s - begin < 3)
		return false;
	*p = s;
	return true;
}

static bool parse_uint(const char **p, int max_digits, int *out)
{
	int v = 0, n = 0;
	while (n < max_digits && (*p)[n] >= '0' && (*p)[n] <= '9') {
		v = v * 10 + ((*p)[n] - '0');
		n++;
	}
	if (n == 0)
		return false;
	*p += n;
	*out = v;
	return true;
}

/* [+-]hh[:mm[:ss]] in seconds, hours at most max_hours. */
static bool parse_hms(const char **p, int max_hours, int32_t *out)
{
	int sign = 1;
	if (**p == '+' || **p == '-')
		sign = *(*p)++ == '-' ? -1 : 1;
	int h, m = 0, s = 0;
	if (!parse_uint(p, 3, &h) || h > max_hours)
		return false;
	if (**p == ':') {
		(*p)++;
		if (!parse_uint(p, 2, &m) || m > 59)
			return false;
		if (**p == ':') {
			(*p)++;
			if (!parse_uint(p, 2, &s) || s > 59)
				return false;
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	return true;
}

static bool parse_rule(const char **p, struct tz_rule *r)
{
	if (**p == 'J') {
		(*p)++;
		r->kind = RULE_JULIAN1;
		if (!parse_uint(p, 3, &r->day) || r->day < 1 || r->day > 365)
			return false;
	} else if (**p == 'M') {
		(*p)++;
		r->kind = RULE_MONTH;
		if (!parse_uint(p, 2, &r->month) || r->month < 1 || r->month > 12 ||
		    *(*p)++ != '.' || !parse_uint(p, 1, &r->week) || r->week < 1 || r->week > 5 ||
		    *(*p)++ != '.' || !parse_uint(p, 1, &r->weekday) || r->weekday > 6)
			return false;
	} else {
		r->kind = RULE_JULIAN0;
		if (!parse_uint(p, 3, &r->day) || r->day > 365)
			return false;
	}
	r->secs = 2 * 3600; /* POSIX: 02:00 local unless given */
	if (**p == '/') {
		(*p)++;
		return parse_hms(p, 167, &r->secs);
	}
	return true;
}

/* Parse a footer such as "AEST-10AEDT,M10.1.0,M4.1.0/3".  POSIX offsets
 * count west of UTC; the struct stores them east of UTC, as TZif does. */
static bool parse_footer(const char *s, struct tz_footer *f)
{
	int32_t posix_off;
	if (!parse_abbr(&s) || !parse_hms(&s, 24, &posix_off))
		return false;
	f->std_off = -posix_off;
	f->has_dst = false;
	if (*s == '\0')
		return true;
	if (!parse_abbr(&s))
		return false;
	f->has_dst = true;
	f->dst_off = f->std_off + 3600;
	if (*s != ',' && *s != '\0') {
		if (!parse_hms(&s, 24, &posix_off))
			return false;
		f->dst_off = -posix_off;
	}
	if (*s == '\0') {
		/* No rules: POSIX leaves it to the implementation; glibc uses the
		 * US rules.  TZif footers always carry rules, so this is rare. */
		s = ",M3.2.0,M11.1.0";
	}
	if (*s++ != ',' || !parse_rule(&s, &f->start) || *s++ != ',' || !parse_rule(&s, &f->end))
		return false;
	return *s == '\0';
}

/* The day number (since 1970-01-01) a rule names in year y. */
static int64_t rule_day(const struct tz_rule *r, int y)
{
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int64_t jan1 = ts_days_from_civil(y, 1, 1);
	switch (r->kind) {
	case RULE_JULIAN1:
		return jan1 + r->day - 1 + (leap && r->day >= 60);
	case RULE_JULIAN0:
		return jan1 + r->day;
	case RULE_MONTH:
		break;
	}
	int64_t first = ts_days_from_civil(y, (unsigned)r->month, 1);
	int64_t next = r->month == 12 ? ts_days_from_civil((int64_t)y + 1, 1, 1)
	                              : ts_days_from_civil(y, (unsigned)r->month + 1, 1);
	int64_t first_wday = floor_mod(first + 4, 7); /* 1970-01-01 was a Thursday; 0 = Sunday */
	int64_t day = first + floor_mod(r->weekday - first_wday, 7) + (int64_t)(r->week - 1) * 7;
	while (day >= next)
		day -= 7;
	return day;
}

/* The footer's offset at UTC second t. */
static int32_t footer_offset(const struct tz_footer *f, int64_t t)
{
	if (!f->has_dst)
		return f->std_off;
	int y;
	unsigned m, d;
	ts_civil_from_days(floor_div(t + f->std_off, SECS_PER_DAY), &y, &m, &d);
	/* Each rule time is local time as it was before the change. */
	int64_t start = rule_day(&f->start, y) * SECS_PER_DAY + f->start.secs - f->std_off;
	int64_t end = rule_day(&f->end, y) * SECS_PER_DAY + f->end.secs - f->dst_off;
	bool dst = start < end ? (t >= start && t < end) : (t < end || t >= start);
	return dst ? f->dst_off : f->std_off;
}

/* ---- TZif ---- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_header {
	char version;
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static bool read_header(const unsigned char *p, size_t len, struct tzif_header *h)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return false;
	h->version = (char)p[4];
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	return true;
}

/* Bytes of the data block after a header, for times of tsize bytes. */
static uint64_t block_len(const struct tzif_header *h, unsigned tsize)
{
	return (uint64_t)h->timecnt * tsize + h->timecnt + (uint64_t)h->typecnt * 6 + h->charcnt +
	       (uint64_t)h->leapcnt * (tsize + 4) + h->isstdcnt + h->isutcnt;
}

static int malformed(const char *name, const char *path, const char *expected, struct error *err)
{
	err_set(err, ERR_INVALID, "time zone '%s' is not a valid TZif file", name);
	err_detail(err, "%s: expected %s", path, expected);
	err_hint(err, "reinstall the tzdata package, or point PLUMB_ZONEINFO at a zoneinfo "
	              "directory");
	return ERR_INVALID;
}

/* Parse one data block (RFC 8536 section 3.2) into z; p is just past its header. */
static const char *read_block(struct tz *z, const struct tzif_header *h, const unsigned char *p,
                              unsigned tsize)
{
	if (h->typecnt == 0 || h->typecnt > 256 || h->charcnt == 0)
		return "at least one local time type and its designation";
	if (h->isutcnt != 0 && h->isutcnt != h->typecnt)
		return "as many UT indicators as local time types";
	if (h->isstdcnt != 0 && h->isstdcnt != h->typecnt)
		return "as many standard/wall indicators as local time types";
	if (h->leapcnt != 0)
		return "no leap-second records ('right/' zones are not supported)";
	z->ntrans = h->timecnt;
	z->trans = xcalloc(h->timecnt ? h->timecnt : 1, sizeof *z->trans);
	z->type = xcalloc(h->timecnt ? h->timecnt : 1, 1);
	for (size_t i = 0; i < h->timecnt; i++, p += tsize) {
		z->trans[i] = tsize == 8 ? be64(p) : (int64_t)(int32_t)be32(p);
		if (i > 0 && z->trans[i] <= z->trans[i - 1])
			return "transition times in ascending order";
	}
	for (size_t i = 0; i < h->timecnt; i++, p++) {
		if (*p >= h->typecnt)
			return "each transition to name an existing local time type";
		z->type[i] = *p;
	}
	z->ntypes = h->typecnt;
	z->utoff = xcalloc(h->typecnt, sizeof *z->utoff);
	for (size_t i = 0; i < h->typecnt; i++, p += 6) {
		int32_t off = (int32_t)be32(p);
		if (off < TZ_UTOFF_MIN || off > TZ_UTOFF_MAX)
			return "UT offsets between -24:59:59 and +25:59:59";
		if (p[4] > 1 || p[5] >= h->charcnt)
			return "local time types with isdst 0 or 1 and a designation in range";
		z->utoff[i] = off;
	}
	return NULL;
}

static int parse_tzif(struct tz *z, const char *path, const unsigned char *data, size_t len,
                      struct error *err)
{
	struct tzif_header h;
	if (!read_header(data, len, &h))
		return malformed(z->name, path, "the magic 'TZif' and a 44-byte header", err);
	if (h.version != 0 && h.version != '2' && h.version != '3' && h.version != '4')
		return malformed(z->name, path, "TZif version 1, 2, 3 or 4", err);
	uint64_t v1 = block_len(&h, 4);
	if (v1 > len - 44)
		return malformed(z->name, path, "a complete version 1 data block", err);
	const unsigned char *block = data + 44;
	unsigned tsize = 4;
	const unsigned char *end = block + v1;
	if (h.version != 0) {
		/* Version 2+: skip the 32-bit block for the 64-bit one after it. */
		size_t rest = len - 44 - (size_t)v1;
		if (!read_header(block + v1, rest, &h))
			return malformed(z->name, path, "a second header after the version 1 data",
			                 err);
		uint64_t v2 = block_len(&h, 8);
		if (v2 > rest - 44)
			return malformed(z->name, path, "a complete version 2+ data block", err);
		block = block + v1 + 44;
		tsize = 8;
		end = block + v2;
	}
	const char *expected = read_block(z, &h, block, tsize);
	if (expected)
		return malformed(z->name, path, expected, err);
	if (tsize == 4)
		return 0; /* version 1 has no footer: the last type holds thereafter */
	/* The footer: "\n" POSIX-TZ "\n" at the end of the file. */
	size_t flen = len - (size_t)(end - data);
	if (flen < 2 || end[0] != '\n' || end[flen - 1] != '\n' || memchr(end + 1, '\n', flen - 2))
		return malformed(z->name, path, "a newline-enclosed POSIX TZ footer", err);
	if (flen == 2)
		return 0; /* empty footer: no rule past the last transition */
	char footer[128];
	if (flen - 2 >= sizeof footer || memchr(end + 1, '\0', flen - 2))
		return malformed(z->name, path, "a POSIX TZ footer shorter than 128 bytes", err);
	memcpy(footer, end + 1, flen - 2);
	footer[flen - 2] = '\0';
	if (!parse_footer(footer, &z->footer)) {
		err_set(err, ERR_INVALID, "time zone '%s' is not a valid TZif file", z->name);
		err_detail(err,
		           "%s: cannot parse the POSIX TZ footer '%s'; expected a rule such as "
		           "'AEST-10AEDT,M10.1.0,M4.1.0/3'",
		           path, footer);
		return ERR_INVALID;
	}
	z->has_footer = true;
	return 0;
}

int tz_load(const char *name, struct tz **out, struct error *err)
{
	*out = NULL;
	if (!name || !valid_name(name)) {
		err_set(err, ERR_INVALID, "invalid time zone name '%.*s'", TZ_NAME_MAX,
		        name ? name : "");
		err_detail(err, "expected an IANA zone name such as 'Australia/Sydney' or 'UTC': "
		                "letters, digits, '_', '+' and '-' in parts joined by '/'");
		return ERR_INVALID;
	}
	struct tz *z = xcalloc(1, sizeof *z);
	z->name = xstrdup(name);
	if (!strcmp(name, "UTC") || !strcmp(name, "Etc/UTC")) {
		z->has_footer = true; /* "UTC0": no transitions, offset zero throughout */
		*out = z;
		return 0;
	}
	const char *dir = getenv("PLUMB_ZONEINFO");
	if (!dir || !*dir)
		dir = TZ_DEFAULT_DIR;
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
		tz_free(z);
		err_set(err, ERR_INVALID, "cannot read time zone '%s'", name);
		err_detail(err, "expected a zoneinfo directory path shorter than %zu bytes",
		           sizeof path - TZ_NAME_MAX);
		return ERR_INVALID;
	}
	char *data = NULL;
	size_t len = 0;
	struct error io = {0};
	int rc = file_read(path, TZ_FILE_CAP, &data, &len, &io);
	if (rc == ERR_NOT_FOUND) {
		err_set(err, ERR_INVALID, "unknown time zone '%s'", name);
		err_detail(err,
		           "expected an IANA zone name such as 'Australia/Sydney'; there is no "
		           "file %s",
		           path);
		err_hint(err, "names are case-sensitive; list them with 'ls %s'", dir);
		rc = ERR_INVALID;
	} else if (rc != 0) {
		err_set(err, ERR_INVALID, "cannot read time zone '%s'", name);
		err_detail(err, "expected a TZif file at %s: %s %s", path, io.message, io.detail);
		rc = ERR_INVALID;
	} else {
		rc = parse_tzif(z, path, (const unsigned char *)data, len, err);
	}
	free(data);
	if (rc != 0) {
		tz_free(z);
		return rc;
	}
	*out = z;
	return 0;
}

void tz_free(struct tz *z)
{
	if (!z)
		return;
	free(z->name);
	free(z->trans);
	free(z->type);
	free(z->utoff);
	free(z);
}

const char *tz_name(const struct tz *z)
{
	return z->name;
}

/* ---- lookups ---- */

static int64_t offset_secs(const struct tz *z, int64_t t)
{
	if (z->ntrans == 0)
		return z->has_footer ? footer_offset(&z->footer, t) : z->utoff[0];
	if (t < z->trans[0])
		return z->utoff[0]; /* RFC 8536: type 0 before the first transition */
	if (t >= z->trans[z->ntrans - 1] && z->has_footer)
		return footer_offset(&z->footer, t);
	size_t lo = 0, hi = z->ntrans; /* the last transition at or before t */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->utoff[z->type[lo]];
}

int64_t tz_offset_at(const struct tz *z, int64_t ms)
{
	return offset_secs(z, floor_div(clamp_ms(ms), 1000)) * 1000;
}

static int64_t local_day_of(const struct tz *z, int64_t ms)
{
	return floor_div(ms + tz_offset_at(z, ms), MS_PER_DAY);
}

/*
 * The first UTC instant whose local date is day.  Local midnight is usually
 * one instant; where clocks fall back across it, it occurs twice and the
 * earlier wins; where they spring forward over it (Santiago, Beirut), the
 * day starts at the transition, which is found by bisection.  Offsets change
 * rarely, so those in force a day either side of midnight are the candidates.
 */
static int64_t local_day_start(const struct tz *z, int64_t day)
{
	const int64_t midnight = day * MS_PER_DAY;
	const int64_t around[3] = {midnight - MS_PER_DAY - 2 * 3600000, midnight,
	                           midnight + MS_PER_DAY + 2 * 3600000};
	int64_t best = INT64_MAX;
	for (int i = 0; i < 3; i++) {
		int64_t off = tz_offset_at(z, around[i]);
		int64_t u = midnight - off;
		if (tz_offset_at(z, u) == off && u < best)
			best = u;
	}
	if (best != INT64_MAX)
		return best;
	/* Midnight was skipped: bisect for the first instant in day or later. */
	int64_t lo = midnight - TZ_UTOFF_MAX * INT64_C(1000) - 1; /* local day before */
	int64_t hi = midnight - TZ_UTOFF_MIN * INT64_C(1000);     /* local day or after */
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		if (local_day_of(z, mid) >= day)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

const char *tz_local_date(const struct tz *z, int64_t ms, char *buf)
{
	return ts_format_date(ms + tz_offset_at(z, ms), buf);
}

int64_t tz_day_start(const struct tz *z, int64_t ms)
{
	return local_day_start(z, local_day_of(z, clamp_ms(ms)));
}

int64_t tz_week_start(const struct tz *z, int64_t ms)
{
	int64_t day = local_day_of(z, clamp_ms(ms));
	int64_t since_monday = floor_mod(day + 3, 7); /* 1970-01-01 was a Thursday */
	return local_day_start(z, day - since_monday);
}

int64_t tz_month_start(const struct tz *z, int64_t ms)
{
	int y;
	unsigned m, d;
	ts_civil_from_days(local_day_of(z, clamp_ms(ms)), &y, &m, &d);
	return local_day_start(z, ts_days_from_civil(y, m, 1));
}
