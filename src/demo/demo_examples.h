/*
 * demo_examples: the files of examples/ the demo loads (the career
 * framework and the metric definitions it names), built into the binary by
 * scripts/embed so the demo reads no path at run time and always matches
 * the examples it documents.  The table is generated (build/gen/); the
 * texts are static and NUL-terminated.
 */
#ifndef PLUMB_DEMO_EXAMPLES_H
#define PLUMB_DEMO_EXAMPLES_H

#include <stddef.h>

struct demo_example {
	const char *path; /* as in the source tree: "examples/framework.yaml" */
	const char *text;
	size_t len;
};

extern const struct demo_example demo_examples[];
extern const size_t demo_nexamples;
/* The example of path ("examples/framework.yaml"), or NULL when it is not
 * built in (Makefile's DEMO_EXAMPLES). */
const struct demo_example *demo_example_find(const char *path);

#endif
