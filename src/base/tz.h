/*
 * tz: IANA time zones read from the system's zoneinfo (TZif files), so a
 * team in Sydney has its days counted in Sydney.  A struct tz is loaded once
 * and is then read-only: thread-safe, no TZ environment games.  "UTC" (and
 * "Etc/UTC") needs no file.  tz_load returns a heap object the caller frees
 * with tz_free.
 */
#ifndef PLUMB_TZ_H
#define PLUMB_TZ_H

#include <stdint.h>

#include "base/err.h"

struct tz;

/* Load zone NAME ("Australia/Sydney"); ERR_INVALID naming the zone when it is
 * not a valid IANA name or its file is missing or malformed.  Honours
 * PLUMB_ZONEINFO (a directory) before /usr/share/zoneinfo, for tests. */
int tz_load(const char *name, struct tz **out, struct error *err);
/* Free a zone from tz_load; NULL is a no-op. */
void tz_free(struct tz *z);
/* The name it was loaded under; borrowed, valid until tz_free. */
const char *tz_name(const struct tz *z);
/* The functions below read a loaded zone only and are safe to call from any
 * number of threads at once.  Instants beyond about +-285,000 years are
 * clamped. */
/* The offset from UTC in milliseconds at UTC instant ms (e.g. +36000000 in
 * Sydney's winter), following the zone's transitions and, past the last
 * one, its POSIX TZ footer rule (daylight saving in future years). */
int64_t tz_offset_at(const struct tz *z, int64_t ms);
/* The local date (YYYY-MM-DD) of UTC instant ms in z, written into buf (at
 * least TS_BUF bytes, base/ts.h) and returned. */
const char *tz_local_date(const struct tz *z, int64_t ms, char *buf);
/* The UTC instant of local midnight starting the local day that holds ms.
 * Where midnight occurs twice (clocks fall back across it) the first; where
 * it is skipped (clocks spring forward over it, as in Santiago) the first
 * instant of that local day, i.e. the transition. */
int64_t tz_day_start(const struct tz *z, int64_t ms);
/* The UTC instant of local midnight on the Monday starting the ISO week
 * that holds ms. */
int64_t tz_week_start(const struct tz *z, int64_t ms);
/* The UTC instant of local midnight on the first of the month holding ms. */
int64_t tz_month_start(const struct tz *z, int64_t ms);

#endif
