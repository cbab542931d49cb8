/*
 * jw: a streaming JSON writer into an sb, for stable, ordered output.
 *
 * Keys come out in the order written (plumb's --json field order is part of
 * its interface).  The writer tracks commas and nesting; misuse (a value
 * without a key inside an object) is a BUG.  Not thread-safe per writer.
 */
#ifndef PLUMB_JW_H
#define PLUMB_JW_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sb.h"

#define JW_MAX_DEPTH 32

struct jw {
	struct sb *out;
	int depth;
	bool first[JW_MAX_DEPTH];
	bool in_object[JW_MAX_DEPTH];
	bool pretty;
	bool key_pending; /* jw_key was written, its value not yet */
};

void jw_init(struct jw *w, struct sb *out, bool pretty);
void jw_object_begin(struct jw *w);
void jw_object_end(struct jw *w);
void jw_array_begin(struct jw *w);
void jw_array_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s); /* NULL writes null */
void jw_int(struct jw *w, int64_t v);
void jw_double(struct jw *w, double v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
void jw_raw(struct jw *w, const char *json); /* already-valid JSON */
/* RFC 3339 time, or null when has_value is false. */
void jw_time(struct jw *w, int64_t ms, bool has_value);
void jw_date(struct jw *w, int64_t ms, bool has_value);

/* Shorthands for key + value. */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_kint(struct jw *w, const char *key, int64_t v);
void jw_kbool(struct jw *w, const char *key, bool v);
/* key: an array of the n strings. */
void jw_kstrs(struct jw *w, const char *key, const char *const *s, size_t n);

#endif
