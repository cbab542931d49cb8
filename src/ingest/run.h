/*
 * run: one ingest run of one source, the machinery `plumb ingest`, `plumb
 * sync` and webhooks share.  A run stages what it reads in short write
 * transactions (each document's raw payload, content-addressed, and its
 * parsed rows) and publishes everything in one transaction at the end:
 * merges rows seen twice, creates services for unmapped things, resolves
 * people and teams, keeps replaced versions, upserts events by (source,
 * kind, external id) after matching records whose key changed upstream by
 * their id (rekey.h), moves cursors, and appends the audit entry.  A run
 * that fails leaves no staged rows; a sync run's record stays, failed, for
 * `sync --status`.  A run holds its run lock (store_run_lock) from begin to
 * its end, so a run whose process ended without either (killed, or cut off
 * from the database) can be told from one still going: the next run of the
 * same source removes what such a run staged and records it failed.
 *
 * struct ingest_run is the caller's; strings in it live in ctx->arena.
 */
#ifndef PLUMB_RUN_H
#define PLUMB_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/sha256.h"
#include "ingest/parse.h"
#include "ingest/source.h"

struct ctx;
struct store_batch;

struct ingest_source {
	int64_t id;
	int64_t created_at; /* when it was added (source add), UTC ms */
	const char *name, *kind, *config;
	const char *token_env, *webhook_secret_env;
	const char *job;   /* jenkins: the configured job */
	const char **bots; /* the source's own bot accounts (--bot), lower case */
	size_t nbots;
	struct source_pause paused; /* plumb source pause */
};

/* ERR_CONFLICT, saying who paused it and why, when src is paused; else 0. */
int ingest_source_paused(struct arena *a, const struct ingest_source *src, struct error *err);

/* The external id as stored: GitHub pull request ids ("OWNER/NAME#12")
 * in lower case, like the repositories they name; others as given.
 * Returns ev->external_id or a copy in a. */
struct arena;
const char *ingest_external_id(struct arena *a, const struct event *ev);

/* A raw payload as stored (zstd, then base64) back to its bytes, which the
 * caller frees; ERR_TAMPERED when it does not decode. */
int ingest_unpack_body(const char *stored, char **data, size_t *len, struct error *err);

/* Whether the webhook delivery keyed key (its delivery id, or the key given
 * when it has none) was stored by the source named source or another of its
 * hook: one of its kind whose secret is read from the same variable, since a
 * delivery any of them stored is a redelivery to the others (a paused
 * source's went to the next).  *by names the one that did (the source's own
 * first; NULL: none, in ctx->arena) and *run_id its run (0: a run since
 * removed).  A read: inside an operation, or outside any transaction. */
int ingest_delivery_stored_tx(struct ctx *ctx, const char *source, const char *key, const char **by,
                              int64_t *run_id, struct error *err);

/* Load a source by name (ERR_NOT_FOUND listing none or the names). */
int ingest_source_load_tx(struct ctx *ctx, const char *name, struct ingest_source *out,
                          struct error *err);

/* Records governance kept out or stored pseudonymized, by mechanism and
 * reason ("no consent", "not enabled", "no works-council approval (DE)",
 * "held: account not matched"); past INGEST_GOVERNED_MAX pairs the rest
 * count under the last. */
#define INGEST_GOVERNED_MAX 16
struct ingest_governed {
	char mechanism[64];
	char reason[96];
	int64_t skipped, pseudonymized;
};

struct ingest_counts {
	int64_t documents, records;
	int64_t inserted, updated, unchanged, merged; /* merged: seen twice in the run */
	/* Stored events that took a new key (a moved Jira issue, a renamed
	 * repository's pull request) or came from another source (a PagerDuty
	 * incident reassigned to a service this source reads; rekey.h),
	 * counted in updated too. */
	int64_t moved;
	/* Of moved, the incidents that came from another source. */
	int64_t reassigned;
	int64_t services_created, unmatched_accounts, bots;
	int64_t repos_renamed; /* unmapped repositories that took a renamed one's service */
	/* Repositories only path mappings cover, and their events, which got
	 * no service (events carry no paths); the first such, in ctx->arena. */
	int64_t path_only_repos, path_only_events;
	const char *path_only_repo;
	int64_t requests, not_modified;
	/* Governance (consent.h): records not stored, and stored pseudonymized. */
	int64_t skipped, pseudonymized;
	struct ingest_governed governed[INGEST_GOVERNED_MAX];
	size_t ngoverned;
	/* Wall time spent staging (reading, parsing, writing the staging
	 * rows) and publishing, seconds: for make bench. */
	double staging_s, publish_s;
};

/* What a run inserted or changed, for a caller that refreshes what
 * depends on it: the distinct services (ids, ascending; events without a
 * service are left out) and event kinds (names, in event.h order). */
struct ingest_touched {
	int64_t *service_ids;
	size_t nservices;
	const char **kinds;
	size_t nkinds;
};

struct ingest_run {
	struct ctx *ctx;
	struct ingest_source src;
	const char *mode; /* file, sync, webhook */
	int64_t id;
	struct ingest_counts counts;
	/* A webhook run (mode "webhook") publishes as OP_WEBHOOK_RECEIVE.  Its
	 * delivery id (NULL when the sender gave none) is recorded in
	 * webhook_deliveries in the publish transaction and named, with the
	 * event, in the audit entry; a delivery already recorded publishes
	 * nothing and sets duplicate instead.  Publishing a webhook run, or one
	 * with want_touched, fills touched (in ctx->arena). */
	const char *delivery_id, *event_name;
	/* Recorded in webhook_deliveries in place of a delivery id the sender
	 * gave none of (ingest_body_opts), never named as one; NULL: none. */
	const char *delivery_key;
	/* When a webhook delivery arrived, if not now: one the server queued
	 * while the database was busy (webhook_queue.h).  Its raw payload's
	 * fetch time and its delivery record say so, and the audit entry
	 * names it.  0: now. */
	int64_t received_at;
	bool duplicate;
	struct ingest_touched touched;
	bool want_touched; /* fill touched for a run that is no webhook's */
	/* Staging state, within one stage transaction. */
	int64_t next_seq, next_doc;
	struct store_batch *batch;
	int64_t raw_id;
	struct ingest_packer *packer; /* made on first use; released as the run ends */
	/* The distinct owners and accounts of what was staged (keys of
	 * ingest_note_keys), gathered as documents are staged: publishing keys
	 * them without reading every staged row.  Made on first use, released
	 * with ctx->arena. */
	struct ingest_seen *seen;
	/* Where the stage transaction began, to return to when it rolls back. */
	int64_t tx_seq, tx_doc;
	struct ingest_counts tx_counts;
	/* Of the last document staged: the earliest and latest change time
	 * (updated_at, else occurred_at) of its records, for sync cursors. */
	int64_t doc_min_time, doc_max_time;
	/* ingest_run_begin refused a sync (ERR_CONFLICT) because this sync
	 * run of its source is going on; 0: not so refused. */
	int64_t sync_going_on;
	bool started;     /* a run row exists */
	bool locked;      /* its run lock is held (store_run_lock) */
	unsigned session; /* the store's session the lock was taken in */
};

/* Create the run (status staging) in its own short transaction, with its
 * run lock; first, in the same transaction, the source's runs left staging
 * by a process that ended are recorded failed (an ingest.fail audit entry
 * each) and their staged rows go.
 * A file run (mode "file") of a kind that has no formats (prometheus) is
 * ERR_USAGE (parse_kind_check), and nothing is written.
 * format, when not NULL, is a format the caller was given for every
 * document (ingest --format): one that is not the source kind's is
 * ERR_USAGE (parse_format_check), and nothing is written; so is event, a
 * webhook event given for every document (ingest --event), when the kind
 * reads no webhook bodies or format is not a webhook's (parse_event_check). */
int ingest_run_begin(struct ctx *ctx, const char *source, const char *mode, const char *format,
                     const char *event, struct ingest_run *run, struct error *err);

/* ingest_run_begin for a webhook delivery (mode "webhook") whose signature
 * was checked against the source of that name whose id is source_id and
 * that was added at source_added: a source of that name that is another one
 * now (removed and added again since, its secret and scope its own) is
 * ERR_NOT_FOUND, saying so, and nothing is written.  source_id 0: any. */
int ingest_run_begin_signed(struct ctx *ctx, const char *source, int64_t source_id,
                            int64_t source_added, struct ingest_run *run, struct error *err);

/* One document to stage. */
struct ingest_doc {
	const char *origin;     /* file path or URL */
	const char *format;     /* NULL: detect */
	const char *event_name; /* webhook event, or NULL */
	const char *resource;   /* sync resource ("pulls"), or NULL: the format */
	const char *data;
	size_t len;
	const char *sha256; /* data's SHA-256 in hex when the caller has it, or
	                     * NULL: staging hashes data */
};

/* A document parsed ahead of its stage transaction (possibly on another
 * thread: ingest_parse_doc touches no ctx), its events normalized into
 * rows that live in ->arena.  Free with ingest_parsed_release. */
struct ingest_row;
struct ingest_tuple {
	const char *v[3];
};
struct ingest_parsed {
	const struct ingest_source *src;
	struct arena *arena;
	struct ingest_row *rows;
	size_t n, alloc;
	struct parse_page page;
	int64_t min_time, max_time, bots;
	/* Each distinct owner (system, key) and account (system, login,
	 * email) of the document's rows; the strings are the rows'. */
	struct ingest_tuple *owners, *accounts;
	size_t nowners, naccounts, owners_alloc, accounts_alloc;
	const char **owner_keys, **account_keys; /* their keys, made as the parse ends */
	/* Made ahead by ingest_pack_doc, else NULL: the stored form (owned). */
	char *packed;
	char sha256[SHA256_HEX_LEN + 1];
};
int ingest_parse_doc(const struct ingest_source *src, const struct ingest_doc *d,
                     struct ingest_parsed *out, struct error *err);
void ingest_parsed_release(struct ingest_parsed *p);

/* A zstd compression context for stored payloads, made on first use; one
 * per thread.  Release frees it (and may be called again). */
struct ingest_packer {
	void *cctx;
};
void ingest_packer_release(struct ingest_packer *k);
/* The document's SHA-256 and stored form (zstd, then base64) into p, ahead
 * of its stage transaction and on any thread: hashing and compressing are a
 * quarter of staging's time on the thread that writes. */
int ingest_pack_doc(struct ingest_packer *k, const struct ingest_doc *d, struct ingest_parsed *p,
                    struct error *err);
/* Stage a parsed document inside the caller's OP_INGEST_STAGE transaction. */
int ingest_stage_parsed_tx(struct ingest_run *run, const struct ingest_doc *d,
                           const struct ingest_parsed *p, struct error *err);

/* Parse and stage one document inside the caller's OP_INGEST_STAGE transaction
 * (ingest_stage_tx_begin/end bracket a transaction's documents).  *page
 * gets what the page said about itself; records_sha256 the SHA-256 of its
 * records' kinds, ids, times of change and statuses in order, alike for two
 * pages that list the same records whatever else in them differs (a sync's
 * repeated-page check). */
void ingest_stage_tx_begin(struct ingest_run *run);
int ingest_stage_doc_tx(struct ingest_run *run, const struct ingest_doc *d, struct parse_page *page,
                        char records_sha256[SHA256_HEX_LEN + 1], struct error *err);
int ingest_stage_tx_end(struct ingest_run *run, struct error *err);
/* On a failed stage transaction: forget its rows and counts (the
 * transaction rolls back), so a retry stages them afresh. */
void ingest_stage_tx_abandon(struct ingest_run *run);
/* Record where a resource's next sync starts, applied at publish. */
int ingest_stage_cursor_tx(struct ingest_run *run, const char *resource, const char *cursor,
                           const char *etag, struct error *err);

/* Publish everything staged, in one audited transaction (for a webhook
 * run: 0 with nothing written and run->duplicate set when its delivery was
 * recorded before; the caller then removes what it staged with
 * ingest_run_fail).  ERR_CONFLICT when the run is no longer staging (found
 * abandoned by another run). */
int ingest_run_publish(struct ingest_run *run, struct error *err);
/* Close a run that staged no events (a Prometheus sync, whose samples the
 * caller wrote) inside the caller's write transaction: move its staged
 * cursors and record it published with run->counts.  The caller appends
 * the audit entry. */
int ingest_run_close_tx(struct ingest_run *run, struct error *err);
/* Remove what the run staged; a sync run stays recorded as failed with
 * why's message and an ingest.fail audit entry, a file or webhook run
 * leaves nothing (nor an entry; but one whose removal fails stays, recorded
 * failed with both errors, and audited).  Best effort: its own errors are
 * not reported over why. */
void ingest_run_fail(struct ingest_run *run, const struct error *why);

#endif
