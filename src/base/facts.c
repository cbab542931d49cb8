/* facts: see facts.h. */
#include "base/facts.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"

static void push(struct facts *f, const char *what, const char *value)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 64;
		const char **w = arena_array(f->a, cap, sizeof *w);
		const char **v = arena_array(f->a, cap, sizeof *v);
		if (f->n) {
			memcpy(w, f->what, f->n * sizeof *w);
			memcpy(v, f->value, f->n * sizeof *v);
		}
		f->what = w;
		f->value = v;
		f->cap = cap;
	}
	f->what[f->n] = arena_strdup(f->a, what);
	f->value[f->n] = arena_strdup(f->a, value);
	f->n++;
}

void facts_add(struct facts *f, const char *what, const char *fmt, ...)
{
	char buf[FACTS_VALUE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	push(f, what, buf);
}

static long find(const struct facts *f, const char *what)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->what[i], what) == 0)
			return (long)i;
	return -1;
}

void facts_diff(const struct facts *a, const struct facts *b, struct facts *out)
{
	for (size_t i = 0; i < a->n; i++) {
		long j = find(b, a->what[i]);
		if (j < 0)
			facts_add(out, "", "removed %s (was %s)", a->what[i], a->value[i]);
		else if (strcmp(a->value[i], b->value[j]) != 0)
			facts_add(out, "", "%s: %s -> %s", a->what[i], a->value[i], b->value[j]);
	}
	for (size_t j = 0; j < b->n; j++)
		if (find(a, b->what[j]) < 0)
			facts_add(out, "", "added %s: %s", b->what[j], b->value[j]);
}
