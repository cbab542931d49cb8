/*
 * keyindex: an open-addressing index from string keys to positions in an
 * array the caller owns: the keys are borrowed (read through key_of), never
 * copied, so indexing millions of shas costs one slot each.  Lookups are
 * inline: they run in the four keys' innermost loops.  The slots live in
 * the arena given to keyindex_init.
 */
#ifndef PLUMB_KEYINDEX_H
#define PLUMB_KEYINDEX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"

struct keyindex {
	/* Each slot holds an item's position (-1: empty) and its key's hash
	 * tag, compared before the key: most probes then touch no key. */
	struct keyindex_slot {
		int32_t pos;
		uint32_t tag;
	} * slots;
	size_t mask;
};

/* The key of item i of items. */
typedef const char *(*keyindex_key_fn)(const void *items, int32_t i);

/* Room for n keys, every slot empty. */
void keyindex_init(struct keyindex *ix, size_t n, struct arena *a);

/* A multiply-xorshift hash over 8 bytes at a time (keys are shas and ids,
 * up to a few dozen bytes). */
static inline uint64_t keyindex_hash(const char *s)
{
	size_t n = strlen(s);
	uint64_t h = 0x9e3779b97f4a7c15u ^ n;
	for (; n >= 8; s += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	uint64_t w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
	return h ^ (h >> 29);
}

/* The slot holding key (of hash h), or the empty slot where it would go
 * (its tag set): the caller sets its pos to add the key. */
static inline size_t keyindex_slot_hashed(const struct keyindex *ix, const char *key, uint64_t h,
                                          const void *items, keyindex_key_fn key_of)
{
	uint32_t tag = (uint32_t)(h >> 32);
	size_t i = (size_t)h & ix->mask;
	while (ix->slots[i].pos >= 0 &&
	       (ix->slots[i].tag != tag || strcmp(key_of(items, ix->slots[i].pos), key) != 0))
		i = (i + 1) & ix->mask;
	ix->slots[i].tag = tag;
	return i;
}

static inline size_t keyindex_slot(const struct keyindex *ix, const char *key, const void *items,
                                   keyindex_key_fn key_of)
{
	return keyindex_slot_hashed(ix, key, keyindex_hash(key), items, key_of);
}

/* The position of key, or -1 (for NULL too). */
static inline int32_t keyindex_get(const struct keyindex *ix, const char *key, const void *items,
                                   keyindex_key_fn key_of)
{
	if (!key)
		return -1;
	uint64_t h = keyindex_hash(key);
	uint32_t tag = (uint32_t)(h >> 32);
	size_t i = (size_t)h & ix->mask;
	while (ix->slots[i].pos >= 0) {
		if (ix->slots[i].tag == tag && strcmp(key_of(items, ix->slots[i].pos), key) == 0)
			return ix->slots[i].pos;
		i = (i + 1) & ix->mask;
	}
	return -1;
}

#endif
