/*
 * mem: allocation wrappers and the bug tier.
 *
 * xmalloc and friends abort on out-of-memory and on size overflow, so callers
 * never test for NULL; input-driven growth must still be capped by the caller.
 * BUG() reports a broken invariant with file and line and aborts: it is for
 * programming errors only, never for bad input.  Thread-safe.
 */
#ifndef PLUMB_MEM_H
#define PLUMB_MEM_H

#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Reallocate an array of count elements of size bytes, checking overflow. */
void *xreallocarray(void *ptr, size_t count, size_t size);
/* Room for item n of an array that doubles (from 16 items) as it fills. */
void *xgrow(void *items, size_t n, size_t *alloc, size_t size);
/* qsort's and bsearch's comparison of two int64_t (ids, times in ms). */
int cmp_int64(const void *x, const void *y);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

_Noreturn void bug_fl(const char *file, int line, const char *fmt, ...) __attribute__((noreturn))
__attribute__((format(printf, 3, 4)));
#define BUG(...) bug_fl(__FILE__, __LINE__, __VA_ARGS__)

#endif
