/*
 * facts: a document as a list of "what: value" facts, and the readable
 * difference of two such lists ("removed X (was V)", "X: A -> B", "added
 * X: V"), in the order of the first list then the new facts of the second.
 * Policy and framework diffs are built on it.  Everything lives in the
 * arena the struct names; facts longer than FACTS_VALUE_MAX are cut.
 */
#ifndef PLUMB_FACTS_H
#define PLUMB_FACTS_H

#include <stddef.h>

struct arena;

#define FACTS_VALUE_MAX 4096

struct facts {
	const char **what, **value;
	size_t n, cap;
	struct arena *a;
};

void facts_add(struct facts *f, const char *what, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* The lines saying how b differs from a, appended to out->value. */
void facts_diff(const struct facts *a, const struct facts *b, struct facts *out);

#endif
