/*
 * pseudonym: stable pseudonyms for people, from a keyed hash whose key is
 * kept outside the database (a copy of the database alone cannot undo them).
 *
 * The key file (mode 0600) is a key ring: plumb init creates it with one
 * key, `plumb key rotate` appends a new one.  Pseudonyms shown to analysts
 * use the newest key, so after a rotation analysts see new pseudonyms.
 * Accounts held pseudonymized by ingestion (not yet matched to a person)
 * record the generation of the key they were made with, so a later match
 * finds them under that key.
 *
 * The path is $PLUMB_PSEUDONYM_KEY, else pseudonym.key beside the audit key.
 * The ring is loaded once per ctx and again when the file changes.  A
 * database is bound to one ring: the id of its first key (which rotation
 * keeps) is recorded in the database by init, or by the first write that
 * loads the ring, and any function here answers ERR_POLICY for another.
 */
#ifndef PLUMB_PSEUDONYM_H
#define PLUMB_PSEUDONYM_H

#include <stdbool.h>

#include "base/err.h"

struct arena;
struct ctx;

#define PSEUDONYM_TEXT 32 /* "P-" or "H<gen>-" and 16 hex digits, with room */

/* The key file's path for an audit key path; NULL when neither is known. */
const char *pseudonym_key_path(struct arena *a, const char *audit_key_path);
/* Create the key file with its first key unless it exists (init). */
int pseudonym_key_create(const char *path, bool *created, struct error *err);
/* Write a ring with one more key beside path (path.new) and return its
 * generation; pseudonym_key_commit renames it over path.  The rotation's
 * audit entry is written between the two, so a failed write leaves the old
 * ring in force. */
int pseudonym_key_prepare_rotation(const char *path, int *generation, struct error *err);
int pseudonym_key_commit_rotation(const char *path, struct error *err);
void pseudonym_key_abort_rotation(const char *path);
/* The generation of the newest key (1 after init). */
int pseudonym_key_generation(struct ctx *ctx, int *generation, struct error *err);

struct pseudonym_ring;
/* The ring a ctx loaded (ctx_close frees it). */
void pseudonym_ring_free(struct pseudonym_ring *r);
/* After a rollback: the ring id a write recorded may be gone with it, so the
 * next use checks (and records) it again.  r may be NULL. */
void pseudonym_ring_unbind(struct pseudonym_ring *r);

/* A person's pseudonym, "P-" and 16 hex digits, under the newest key. */
int pseudonym_person(struct ctx *ctx, const char *employee_id, char out[PSEUDONYM_TEXT],
                     struct error *err);
/* A held account's pseudonym, "H<gen>-" and 16 hex digits: under the newest
 * key, or under generation gen (> 0) to find accounts held earlier.  The
 * login is compared case-blind, as identities are. */
int pseudonym_account(struct ctx *ctx, int gen, const char *system, const char *login,
                      char out[PSEUDONYM_TEXT], struct error *err);
/* Whether login has the shape of an account pseudonym, "H<gen>-" and 16 hex
 * digits, in any case (events store GitHub logins in lower case, and
 * identities match them case-blind).  Such a login names no account: the
 * events stored under it are held or kept pseudonymized by the policy, and
 * a link or an org file naming it would give them a person.  Thread-safe. */
bool pseudonym_account_shaped(const char *login);

#endif
