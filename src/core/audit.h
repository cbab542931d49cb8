/*
 * audit: the append-only, hash-chained, checkpoint-signed audit log.
 *
 * Each entry's hash is SHA-256 over a canonical netstring encoding of
 * (seq, at, actor, os_user, action, object_type, object_id, detail,
 * prev_hash); the first entry's prev_hash is 64 zeros.  At each commit the
 * head is signed with Ed25519 by a key kept outside the database, so someone
 * who can write the database cannot rewrite history and recompute hashes
 * without verify noticing.  Cutting entries off the end together with their
 * checkpoints is caught only against a head published outside the database
 * (audit_verify's expect_head).
 * Functions taking a ctx must run inside ctx_op_begin/commit.  Returned
 * entries live in the ctx arena.
 */
#ifndef PLUMB_AUDIT_H
#define PLUMB_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

struct ctx;
struct store;
struct arena;

#define AUDIT_HASH_HEX   65
#define AUDIT_KEY_ID_HEX 17

/* The sequence number of the chain's newest entry (0 when empty).  Every
 * write appends in its own transaction, so this is a version of everything
 * stored: the server's caches and the metrics' kept changes compare it. */
int audit_head_seq(struct store *s, int64_t *seq, struct error *err);

/* An object id longer than AUDIT_OBJECT_ID_MAX bytes, or not UTF-8, is
 * stored as its first whole characters (at most AUDIT_OBJECT_ID_KEPT bytes,
 * each byte that is not UTF-8 as U+FFFD) then "~sha256:" and the first 16
 * hex digits of the SHA-256 of all its bytes: every entry can be written
 * (PostgreSQL refuses such bytes, and an index entry past about 2.7 KB) and
 * ids that differ still differ.  Returns id itself when it is stored as
 * given, else text in arena a. */
#define AUDIT_OBJECT_ID_MAX  256
#define AUDIT_OBJECT_ID_KEPT 200
const char *audit_object_id(struct arena *a, const char *id);

/* Append an entry in the current write transaction.  detail_json must be a
 * JSON object without secrets (NULL means {}).  The object id is stored as
 * audit_object_id gives it; any other text that is not UTF-8 has U+FFFD for
 * each such byte. */
int audit_append(struct ctx *ctx, const char *action, const char *object_type,
                 const char *object_id, const char *detail_json, struct error *err);
/* Entries are written in batches: audit_flush writes the rest (before
 * anything in the transaction reads audit_log); audit_discard drops them
 * when the transaction rolls back. */
int audit_flush(struct ctx *ctx, struct error *err);
void audit_discard(struct ctx *ctx);
/* Write what is pending and sign the current head as a checkpoint (no
 * checkpoint when nothing was appended). */
int audit_checkpoint_head(struct ctx *ctx, struct error *err);

/* 0 when pk signs the newest checkpoint of store's chain (or there is
 * none yet), else ERR_POLICY naming both key ids: a chain is signed by
 * one key, so writing to it, or copying it, under another is refused. */
int audit_key_signs(struct store *store, const unsigned char pk[32], struct error *err);

/* The signing key: a file holding the Ed25519 seed, mode 0600. */
/* $PLUMB_AUDIT_KEY, else $XDG_CONFIG_HOME/plumb/audit.key, else
 * $HOME/.config/plumb/audit.key; NULL when none of them is set. */
const char *audit_key_default_path(struct arena *a);
int audit_key_create(const char *path, bool *created, struct error *err);
int audit_key_load(const char *path, unsigned char sk[64], unsigned char pk[32], struct error *err);
void audit_key_id(const unsigned char pk[32], char out[AUDIT_KEY_ID_HEX]);
int audit_parse_public_key(const char *hex, unsigned char pk[32], struct error *err);

struct audit_verify_report {
	int64_t entries;
	int64_t redacted; /* of which redacted by retention */
	int64_t checkpoints;
	int64_t last_checkpoint_seq;
	int64_t bad_seq; /* first bad sequence number, 0 when intact */
	char key_id[AUDIT_KEY_ID_HEX];
};

/* A head published earlier: the entry at seq must still have hash. */
struct audit_head {
	int64_t seq;
	char hash[AUDIT_HASH_HEX];
};
int audit_parse_head(const char *text, struct audit_head *head, struct error *err); /* SEQ:HASH */

/* Verify the whole chain and every checkpoint against public key pk, and
 * against a published head when expect_head is not NULL.
 * Returns 0 when intact, ERR_TAMPERED (with the first bad seq in the report
 * and the message) when not. */
int audit_verify(struct store *s, const unsigned char pk[32], const struct audit_head *expect_head,
                 struct audit_verify_report *r, struct error *err);

struct audit_entry {
	int64_t seq, at;
	const char *actor, *os_user, *action, *object_type, *object_id, *detail, *prev_hash, *hash;
	const char *redacted; /* NULL, or the rule that redacted it ("... #SEQ" of its record) */
};

/* What a redacted entry's actor is replaced by. */
#define AUDIT_REDACTED_ACTOR "redacted"
/* The action of the record that vouches for redactions. */
#define AUDIT_REDACTION_ACTION "retention.apply"

/* Redact the entries seqs[0..n) (ascending, none redacted yet) in the
 * current write transaction, and append the record that vouches for them:
 * action AUDIT_REDACTION_ACTION, object retention:object_id, detail_json (a
 * JSON object saying what was redacted under which rule, never the data)
 * extended with "redacted_count" and "redacted_digest".  Each entry's
 * redacted column becomes "RULE #SEQ", SEQ the record's.  ERR_CONFLICT when
 * an entry is missing or already redacted. */
int audit_redact(struct ctx *ctx, const int64_t *seqs, size_t n, const char *rule,
                 const char *object_id, const char *detail_json, struct error *err);

struct audit_filter {
	bool has_since;
	int64_t since;
	const char *object_type; /* NULL: any */
	const char *object_id;   /* as given: matched in its stored form */
	int64_t limit;           /* 0: no limit; else the newest `limit` entries */
};

int audit_list(struct ctx *ctx, const struct audit_filter *f, struct audit_entry **out, size_t *n,
               struct error *err);

struct audit_checkpoint {
	int64_t seq, at;
	char hash[AUDIT_HASH_HEX];
	char key_id[AUDIT_KEY_ID_HEX];
	char signature[129];
	char public_key[65];
};

/* The latest signed head; ERR_NOT_FOUND when none. */
int audit_latest_checkpoint(struct ctx *ctx, struct audit_checkpoint *cp, struct error *err);

/* 0 when cp (audit_latest_checkpoint's) signs the newest entry of s's log
 * as it stands and, when pk is not NULL, its signature verifies with pk;
 * else ERR_TAMPERED: a row added to, or removed from, either table outside
 * plumb would make the head offered for publishing one that does not
 * vouch for the log (audit checkpoint).  Reads only; not thread-safe on a
 * shared store. */
int audit_checkpoint_current(struct store *s, const struct audit_checkpoint *cp,
                             const unsigned char *pk, struct error *err);

#endif
