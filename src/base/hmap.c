/* hmap: FNV-1a hashing (with a murmur-style finalizer) and linear probing; grows at 50% load. */
#include "base/hmap.h"

#include <inttypes.h>
#include <stdio.h>

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

#define KEY_BLOCK 65536

struct hmap_key_block {
	struct hmap_key_block *next;
	size_t used, size;
	char data[];
};

void hmap_init(struct hmap *m)
{
	m->slots = NULL;
	m->cap = m->count = 0;
	m->blocks = NULL;
}

void hmap_release(struct hmap *m)
{
	free(m->slots);
	while (m->blocks) {
		struct hmap_key_block *next = m->blocks->next;
		free(m->blocks);
		m->blocks = next;
	}
	hmap_init(m);
}

static char *copy_key(struct hmap *m, const char *key)
{
	size_t n = strlen(key) + 1;
	struct hmap_key_block *b = m->blocks;
	if (!b || b->size - b->used < n) {
		size_t size = n > KEY_BLOCK ? n : KEY_BLOCK;
		b = xmalloc(sizeof *b + size);
		b->size = size;
		b->used = 0;
		b->next = m->blocks;
		m->blocks = b;
	}
	char *p = b->data + b->used;
	memcpy(p, key, n);
	b->used += n;
	return p;
}

static struct hmap_slot *find(struct hmap_slot *slots, size_t cap, const char *key, uint64_t hash)
{
	size_t i = hash & (cap - 1);
	while (slots[i].key && (slots[i].hash != hash || strcmp(slots[i].key, key) != 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void grow(struct hmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	struct hmap_slot *nslots = xcalloc(ncap, sizeof *nslots);
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*find(nslots, ncap, m->slots[i].key, m->slots[i].hash) = m->slots[i];
	free(m->slots);
	m->slots = nslots;
	m->cap = ncap;
}

bool hmap_put(struct hmap *m, const char *key, int64_t value)
{
	if ((m->count + 1) * 2 > m->cap)
		grow(m);
	uint64_t hash = hash_str(key);
	struct hmap_slot *slot = find(m->slots, m->cap, key, hash);
	if (slot->key) {
		slot->value = value;
		return false;
	}
	slot->key = copy_key(m, key);
	slot->hash = hash;
	slot->value = value;
	m->count++;
	return true;
}

bool hmap_get(const struct hmap *m, const char *key, int64_t *value)
{
	if (!m->cap)
		return false;
	const struct hmap_slot *slot = find(m->slots, m->cap, key, hash_str(key));
	if (!slot->key)
		return false;
	if (value)
		*value = slot->value;
	return true;
}

const char *hmap_next(const struct hmap *m, size_t *pos, int64_t *value)
{
	for (; *pos < m->cap; (*pos)++)
		if (m->slots[*pos].key) {
			const struct hmap_slot *slot = &m->slots[(*pos)++];
			if (value)
				*value = slot->value;
			return slot->key;
		}
	return NULL;
}

const char *hmap_id_key(char buf[HMAP_ID_KEY_SIZE], int64_t id)
{
	snprintf(buf, HMAP_ID_KEY_SIZE, "%" PRId64, id);
	return buf;
}
