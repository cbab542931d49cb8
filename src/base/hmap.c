/* hmap: FNV-1a hashing (with a murmur-style finalizer) and linear probing; grows at 50% load. */
#include "base/hmap.h"

#include "base/mem.h"

static uint64_t hash_str(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	/* FNV's low bits mix poorly and the table masks them: fold the high bits in. */
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return h;
}

void hmap_init(struct hmap *m)
{
	m->slots = NULL;
	m->cap = m->count = 0;
}

void hmap_release(struct hmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	hmap_init(m);
}

static struct hmap_slot *find(struct hmap_slot *slots, size_t cap, const char *key)
{
	size_t i = hash_str(key) & (cap - 1);
	while (slots[i].key && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void grow(struct hmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	struct hmap_slot *nslots = xcalloc(ncap, sizeof *nslots);
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*find(nslots, ncap, m->slots[i].key) = m->slots[i];
	free(m->slots);
	m->slots = nslots;
	m->cap = ncap;
}

bool hmap_put(struct hmap *m, const char *key, int64_t value)
{
	if ((m->count + 1) * 2 > m->cap)
		grow(m);
	struct hmap_slot *slot = find(m->slots, m->cap, key);
	if (slot->key) {
		slot->value = value;
		return false;
	}
	slot->key = xstrdup(key);
	slot->value = value;
	m->count++;
	return true;
}

bool hmap_get(const struct hmap *m, const char *key, int64_t *value)
{
	if (!m->cap)
		return false;
	const struct hmap_slot *slot = find(m->slots, m->cap, key);
	if (!slot->key)
		return false;
	if (value)
		*value = slot->value;
	return true;
}
