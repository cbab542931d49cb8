/* mem: allocation that never returns NULL, and BUG(). */
#include "base/mem.h"

#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static _Noreturn void die_oom(size_t size)
{
	fprintf(stderr, "plumb: fatal: out of memory allocating %zu bytes\n", size);
	abort();
}

/* Large arrays (millions of commits, a big import's rows) are asked to be
 * backed by 2 MB pages where the kernel leaves that to the program
 * (transparent huge pages in "madvise" mode, Debian's default): on a
 * virtual machine each 4 KB page's first touch is a costly fault, and
 * faulting in fresh pages was a quarter to a third of the samples of a
 * four keys run (perf, docs/PERFORMANCE.md).  The kernel backs only whole
 * 2 MB-aligned ranges, so xmalloc aligns such blocks to 2 MB, and xrealloc
 * grows a block past 2 MB into such a block of its own. */
#define HUGE_SPAN ((size_t)2 << 20)

static void *prefer_huge_pages(void *p, size_t size)
{
	if (size >= HUGE_SPAN) {
		uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE),
		          lo = ((uintptr_t)p + page - 1) & ~(page - 1),
		          hi = ((uintptr_t)p + size) & ~(page - 1);
		if (hi > lo)
			(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	}
	return p;
}

void *xmalloc(size_t size)
{
	void *p = NULL;
	if (size >= HUGE_SPAN) {
		if (posix_memalign(&p, HUGE_SPAN, size) != 0)
			p = NULL;
	} else {
		p = malloc(size ? size : 1);
	}
	if (!p)
		die_oom(size);
	return prefer_huge_pages(p, size);
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		die_oom(count * size);
	return prefer_huge_pages(p, count * size);
}

void *xrealloc(void *ptr, size_t size)
{
	if (size >= HUGE_SPAN) {
		/* realloc copies into fresh memory before the advice could be given,
		 * so that copy faults 4 KB at a time: a new block advised first. */
		size_t old = ptr ? malloc_usable_size(ptr) : 0;
		if (old >= size)
			return ptr;
		void *p = xmalloc(size);
		if (old)
			memcpy(p, ptr, old);
		free(ptr);
		return p;
	}
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		die_oom(size);
	return p;
}

void *xreallocarray(void *ptr, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		BUG("array size overflow: %zu * %zu", count, size);
	return xrealloc(ptr, count * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void bug_fl(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "plumb: BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void *xgrow(void *items, size_t n, size_t *alloc, size_t size)
{
	if (n < *alloc)
		return items;
	*alloc = *alloc ? *alloc * 2 : 16;
	return xreallocarray(items, *alloc, size);
}

int cmp_int64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}
