/*
 * arena: memory for one unit of work (a CLI command, a request, an import).
 *
 * Everything allocated from an arena is freed together by arena_destroy,
 * which first runs the registered cleanup hooks in reverse order (statements,
 * files, builders).  Allocation aborts on out-of-memory.  Not thread-safe.
 */
#ifndef PLUMB_ARENA_H
#define PLUMB_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_create(void);
void arena_destroy(struct arena *a);
void *arena_alloc(struct arena *a, size_t size); /* zeroed, 16-byte aligned */
/* The same, not zeroed: for a caller that writes every byte it reads
 * (a string copy; cJSON, which clears its own nodes). */
void *arena_alloc_raw(struct arena *a, size_t size);
void *arena_array(struct arena *a, size_t count, size_t size);
/* Make room for item n of an arena array of *alloc items of size bytes,
 * doubling (from 16) when full; returns the array, moved when it grew (the
 * old storage stays in the arena until it is destroyed). */
void *arena_grow(struct arena *a, void *items, size_t n, size_t *alloc, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* A copy with ASCII letters in lower case (GitHub logins, repositories and
 * emails are one account in any case); NULL for NULL. */
char *arena_strlower(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Run fn(data) when the arena is destroyed. */
void arena_on_destroy(struct arena *a, void (*fn)(void *), void *data);

#endif
