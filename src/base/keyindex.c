/* keyindex: a borrowed-key index from strings to positions (see keyindex.h). */
#include "base/keyindex.h"

void keyindex_init(struct keyindex *ix, size_t n, struct arena *a)
{
	size_t cap = 16;
	while (cap < n * 2)
		cap <<= 1;
	ix->slots = arena_alloc_raw(a, cap * sizeof *ix->slots);
	for (size_t i = 0; i < cap; i++)
		ix->slots[i] = (struct keyindex_slot){-1, 0};
	ix->mask = cap - 1;
}
