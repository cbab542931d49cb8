/*
 * hmap: an open-addressing hash map from string keys to int64 values.
 *
 * Keys are copied into the map's own storage (blocks freed together by
 * hmap_release, so a large map costs few allocations).  Used for the org import's
 * lookups (employee id -> row, login -> row) where tens of thousands of
 * entries are probed.  Not thread-safe per map.
 */
#ifndef PLUMB_HMAP_H
#define PLUMB_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hmap_slot {
	char *key;
	uint64_t hash; /* compared before the key: most probes then touch no key */
	int64_t value;
};

struct hmap_key_block;

struct hmap {
	struct hmap_slot *slots;
	size_t cap, count;
	struct hmap_key_block *blocks;
};

void hmap_init(struct hmap *m);
void hmap_release(struct hmap *m);
/* Insert or replace; returns true when the key was new. */
bool hmap_put(struct hmap *m, const char *key, int64_t value);
bool hmap_get(const struct hmap *m, const char *key, int64_t *value);
/* The next key from *pos (start at 0), in no particular order, and its
 * value when value is not NULL; NULL after the last.  The key is the map's:
 * valid until the map is released. */
const char *hmap_next(const struct hmap *m, size_t *pos, int64_t *value);

/* A row id as a key: its decimal text in buf, which is returned. */
#define HMAP_ID_KEY_SIZE 24
const char *hmap_id_key(char buf[HMAP_ID_KEY_SIZE], int64_t id);

#endif
