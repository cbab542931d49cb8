/*
 * ts: time on plumb's terms.  Times are int64 milliseconds since the Unix
 * epoch, UTC.  Input is RFC 3339 (offset with or without a colon, 'Z', a
 * fraction of 1 to 9 digits) or a bare YYYY-MM-DD (midnight UTC); output is
 * RFC 3339 UTC with milliseconds.  Also accepted, as real sources write
 * them: a space for the 'T', and a zone after a space ("... UTC", "... GMT",
 * "... +0000").  Epoch counts go through ts_from_epoch with their unit: a
 * number alone does not say whether it is seconds or milliseconds.  All functions are pure and
 * thread-safe, except that ts_now_ms honours PLUMB_NOW (an RFC 3339 time, read as
 * ts_parse_strict reads it) so tests and demos can pin the clock.  A source's
 * payload must say more (ts_parse_payload): seconds and a zone.
 */
#ifndef PLUMB_TS_H
#define PLUMB_TS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

#define TS_BUF     32
#define MS_PER_DAY INT64_C(86400000)
/* The first and last instants of the years 1 to 9999 (UTC), all RFC 3339
 * writes: times outside them are not times a source meant. */
#define TS_MIN_MS INT64_C(-62135596800000)
#define TS_MAX_MS INT64_C(253402300799999)

/* Parse s into *ms; on failure returns ERR_INVALID naming s, with a detail
 * saying what was expected.  Seconds may be 60, read as 59.  For times plumb
 * wrote itself or keeps (cursors, attrs); a source's payload goes through
 * ts_parse_payload, a time a person types through ts_parse_strict. */
int ts_parse(const char *s, int64_t *ms, struct error *err);
/* As ts_parse, but seconds run to 59: for times people type (command-line
 * options, PLUMB_NOW), where a date is midnight UTC, seconds may be left
 * out, no offset means UTC, and :60 is a slip, not a leap second. */
int ts_parse_strict(const char *s, int64_t *ms, struct error *err);
/* A time in a source's payload, which must say one instant: a date, a time
 * with seconds (a fraction of up to 9 digits optional), and a zone: 'Z',
 * +hh:mm or +hhmm (after a space too, as Jenkins writes it) or " UTC" /
 * " GMT".  A date alone, a time without seconds or without a zone is
 * ERR_INVALID, the detail saying what is missing: guessing UTC would move
 * a local time by its offset.  Seconds 60 are a leap second only where one
 * can fall, at 23:59:60 UTC on the last day of a month (in any offset), and
 * read as 23:59:59.999 UTC: the last instant of its day. */
int ts_parse_payload(const char *s, int64_t *ms, struct error *err);
/* Whether a time falls in the year 9999, which payloads write for "no end"
 * (ts_parse_payload refuses it as text; epoch counts are held to it too). */
bool ts_is_year9999(int64_t ms);
/* 10^11 ms, 1973-03-03T09:46:40Z: an epoch count read in the wrong unit
 * (seconds as milliseconds) lands before it, and no tool plumb reads wrote
 * a time before it, so a count that comes to one earlier is refused. */
#define TS_EPOCH_PLAUSIBLE_MS INT64_C(100000000000)
enum ts_unit { TS_SECONDS, TS_MILLIS, TS_MICROS, TS_NANOS };
/* An epoch count in unit to milliseconds (rounded down); ERR_INVALID when it
 * falls outside the years 1 to 9999. */
int ts_from_epoch(int64_t v, enum ts_unit unit, int64_t *ms, struct error *err);
/* Parse a date only (YYYY-MM-DD). */
int ts_parse_date(const char *s, int64_t *ms, struct error *err);
/* Days since 1970-01-01 for a proleptic Gregorian date; no range checks. */
int64_t ts_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The inverse: the proleptic Gregorian date of a day count since 1970-01-01. */
void ts_civil_from_days(int64_t days, int *y, unsigned *m, unsigned *d);
/* "Jan" to "Dec" for month 1 to 12 (English, as RFC 5322 and the pages
 * write them); "?" for another number. */
const char *ts_month_abbr(unsigned month);
bool ts_valid_date(int y, int m, int d);
/* Write "2020-06-12T00:35:15.489Z" into buf; returns buf. */
char *ts_format(int64_t ms, char buf[TS_BUF]);
/* Write "2020-06-12" into buf; returns buf. */
char *ts_format_date(int64_t ms, char buf[TS_BUF]);
/* Now, or PLUMB_NOW when set and valid: the "today" of business rules. */
int64_t ts_now_ms(void);
/* The system clock, never pinned: for what records when something was done
 * on this machine (audit entries, runs and their ages, credentials, records
 * of changes, timers; docs/cli.md, "Now has two meanings"). */
int64_t ts_clock_ms(void);
/* A monotonic clock in seconds: for measuring how long work took. */
double ts_mono_s(void);
/* Midnight UTC of the day holding ms. */
int64_t ts_day_floor(int64_t ms);

#endif
