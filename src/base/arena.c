/* arena: bump allocation in chained blocks plus LIFO cleanup hooks. */
#include "base/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

/* Blocks start at 64 KB and double, up to 4 MB: an arena holding a
 * hundred thousand deployments' strings takes few blocks, and blocks from
 * 2 MB are 2 MB-aligned with 2 MB pages (mem.c), whose first touch costs
 * one fault instead of 512. */
#define ARENA_BLOCK     65536
#define ARENA_BLOCK_MAX ((size_t)4 << 20)

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

struct arena_hook {
	struct arena_hook *next;
	void (*fn)(void *);
	void *data;
};

struct arena {
	struct arena_block *blocks;
	size_t next_block; /* the size of the next shared block */
	struct arena_hook *hooks;
};

struct arena *arena_create(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void arena_destroy(struct arena *a)
{
	if (!a)
		return;
	for (struct arena_hook *h = a->hooks; h; h = h->next)
		h->fn(h->data);
	struct arena_block *b = a->blocks;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *arena_alloc_raw(struct arena *a, size_t size)
{
	if (size > SIZE_MAX / 2)
		BUG("arena allocation of %zu bytes", size);
	size = (size + 15) & ~(size_t)15;
	struct arena_block *b = a->blocks;
	if (!b || b->size - b->used < size) {
		if (a->next_block < ARENA_BLOCK)
			a->next_block = ARENA_BLOCK;
		size_t bsize = size > ARENA_BLOCK / 4 ? size : a->next_block;
		if (size <= ARENA_BLOCK / 4 && a->next_block < ARENA_BLOCK_MAX)
			a->next_block *= 2;
		b = xmalloc(sizeof *b + bsize);
		b->size = bsize;
		b->used = 0;
		if (size > ARENA_BLOCK / 4 && a->blocks) {
			/* Big allocations get their own block behind the current one. */
			b->next = a->blocks->next;
			a->blocks->next = b;
		} else {
			b->next = a->blocks;
			a->blocks = b;
		}
	}
	void *p = b->data + b->used;
	b->used += size;
	return p;
}

/* From this size a zeroed allocation is a block from calloc: fresh pages
 * come zeroed from the kernel, and clearing them again touched every page
 * up front, even those a caller never uses (a walk's state for the
 * services of another thread, docs/PERFORMANCE.md). */
#define ARENA_CALLOC_MIN ((size_t)1 << 20)

void *arena_alloc(struct arena *a, size_t size)
{
	if (size < ARENA_CALLOC_MIN)
		return memset(arena_alloc_raw(a, size), 0, size);
	if (size > SIZE_MAX / 2) /* as arena_alloc_raw: rounding up would wrap */
		BUG("arena allocation of %zu bytes", size);
	size = (size + 15) & ~(size_t)15;
	struct arena_block *b = xcalloc(1, sizeof *b + size);
	b->size = b->used = size;
	/* Behind the current block, as arena_alloc_raw keeps big ones. */
	if (a->blocks) {
		b->next = a->blocks->next;
		a->blocks->next = b;
	} else {
		b->next = NULL;
		a->blocks = b;
	}
	return b->data;
}

void *arena_array(struct arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		BUG("arena array overflow: %zu * %zu", count, size);
	return arena_alloc(a, count * size);
}

void *arena_grow(struct arena *a, void *items, size_t n, size_t *alloc, size_t size)
{
	if (n < *alloc)
		return items;
	size_t next = *alloc ? *alloc * 2 : 16;
	if (next > SIZE_MAX / size)
		BUG("arena array overflow: %zu * %zu", next, size);
	/* Only the new part is cleared: the rest is copied over at once. */
	char *bigger = arena_alloc_raw(a, next * size);
	if (n)
		memcpy(bigger, items, n * size);
	memset(bigger + n * size, 0, (next - n) * size);
	*alloc = next;
	return bigger;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc_raw(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, cp;
	va_start(ap, fmt);
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		BUG("bad format");
	char *p = arena_alloc_raw(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_on_destroy(struct arena *a, void (*fn)(void *), void *data)
{
	struct arena_hook *h = arena_alloc(a, sizeof *h);
	h->fn = fn;
	h->data = data;
	h->next = a->hooks;
	a->hooks = h;
}

char *arena_strlower(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	char *out = arena_strdup(a, s);
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return out;
}
