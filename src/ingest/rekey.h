/*
 * rekey: a record whose key changed upstream stays one event.  A Jira issue
 * moved to another project (PLAT-101 becomes OPS-55) and a pull request of a
 * renamed GitHub repository (acme/widgets#12 becomes acme/widgets-v2#12) keep
 * the id their source gives them, which the parsers put in attrs.id.  When
 * a run publishes, a record whose key finds nothing is matched by that id:
 * within the run, older snapshots take the newest one's key (and are then
 * folded with it); against the stored events, the stored one takes the new
 * key when the staged snapshot is as new or newer (the upsert then updates
 * it, keeping its earlier version, with the old number, url and owner, in
 * event_versions), and an older staged snapshot takes the stored key (and
 * changes nothing).  Events whose parent_id named a pull request's old key
 * (its reviews and commits, stored or staged) name the new one, and so do
 * reviews read later under it (the earlier version keeps the old owner).
 *
 * Candidates share kind and occurred_at (the creation time, which a move or
 * a rename keeps), which the events_kind_time index finds; attrs.id
 * confirms.  An event an earlier plumb stored has no attrs.id: a Jira
 * issue's id is then read from its url (the API's self, .../issue/ID); a
 * pull request's cannot be, so it is matched once it has been read again.
 * No schema change: external_id stays the key, and stays what it was for
 * every record whose key did not change.
 */
#ifndef PLUMB_REKEY_H
#define PLUMB_REKEY_H

#include <stdint.h>

#include "base/err.h"

struct arena;
struct ctx;

/* attrs.id of a parsed or stored record (the id its source gives it) as
 * text, copied to a; NULL when attrs (JSON text, or NULL) has none. */
const char *rekey_attrs_id(struct arena *a, const char *attrs);

/* The key under which source_id stores the pull request or work item a
 * raw payload holds under key (kind, creation time occurred_at, number for
 * a pull request, id its rekey_attrs_id), matched as a publish matches it
 * (attrs.id, or a Jira issue's url): *stored_key, in ctx->arena, or NULL
 * when no stored event of another key is that record.  For reconcile, which
 * finds records that moved upstream.  Returns 0 or a negative ERR_* code. */
int rekey_stored_key(struct ctx *ctx, int64_t source_id, const char *kind, int64_t occurred_at,
                     const char *number, const char *id, const char *key, const char **stored_key,
                     struct error *err);

/* In run_id's publish transaction, before its staged rows with the same key
 * are folded: staged pull requests and work items that share their id but
 * not their key take the key of the newest of them (by updated_at, then
 * the order staged).  Returns 0 or a negative ERR_* code. */
int rekey_staged_tx(struct ctx *ctx, int64_t run_id, struct error *err);

/* In run_id's publish transaction, after folding and before anything
 * looks the staged rows up among source_id's stored events (governance,
 * which treats a record stored before differently, and the upsert): a
 * staged pull request
 * or work item whose key no stored event has, and a stored one of the same
 * id under another key, are given one key (see above).  *moved counts the
 * stored events that took a new key.  Returns 0 or a negative ERR_* code. */
int rekey_stored_tx(struct ctx *ctx, int64_t run_id, int64_t source_id, int64_t *moved,
                    struct error *err);

/* In run_id's publish transaction, after rekey_stored_tx: a staged review
 * whose parent_id names a key no pull request has now, neither staged nor
 * stored (an old reviews page read after its repository was renamed), names
 * the key of the stored pull request an earlier version of which had it
 * (owner and number, kept in event_versions); one such pull request only.
 * Returns 0 or a negative ERR_* code. */
int rekey_parents_tx(struct ctx *ctx, int64_t run_id, int64_t source_id, struct error *err);

/* In run_id's publish transaction, after rekey_stored_tx: a staged PagerDuty
 * incident whose key source_id does not store, while another PagerDuty
 * source stores it (same id and creation time) and does not read the
 * service the staged snapshot names (the incident was reassigned upstream
 * from a service that source reads to one source_id reads): the stored
 * event moves to source_id, keeping its id and versions, and the upsert
 * then updates it, so the incident stays one event, owned by the source
 * that reads its service now.  A staged snapshot older than that copy (by
 * updated_at: a page or delivery from before the move) is dropped from the
 * run instead.  A holder that reads the service too (sources overlapping by
 * configuration) keeps its copy.  *moved counts the events that moved.
 * Returns 0 or a negative ERR_* code. */
int rekey_reassigned_tx(struct ctx *ctx, int64_t run_id, int64_t source_id, int64_t *moved,
                        struct error *err);

#endif
