/*
 * keys: operations on the keys plumb keeps outside the database.  For now
 * key.rotate: a new pseudonym key appended to the ring (pseudonym.h), after
 * which analysts see new pseudonyms; accounts held pseudonymized earlier are
 * still found under the generation they were made with.
 */
#ifndef PLUMB_KEYS_H
#define PLUMB_KEYS_H

#include "base/err.h"

struct ctx;

struct key_rotate_result {
	int generation;   /* the new newest key's generation (2 after the first rotation) */
	const char *path; /* the key ring's file (ctx arena) */
};

/* Operation key.rotate (admin): write the new ring beside the old one,
 * append the audit entry (the generation, never key material) in the
 * operation's transaction, and after the commit rename the new ring over
 * the old.  On failure before the commit the old ring stays in force. */
int key_rotate(struct ctx *ctx, struct key_rotate_result *out, struct error *err);

#endif
