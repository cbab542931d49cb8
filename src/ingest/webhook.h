/*
 * webhook: signed deliveries from GitHub, PagerDuty and deploy pipelines,
 * authenticated and stored.  The signature checks are pure functions (no
 * ctx, no allocation, thread-safe); webhook_receive finds the source whose
 * secret signed a delivery and ingests its body through ingest.h, so a
 * webhook stores exactly what `plumb ingest` would, with its lineage.
 *
 * A secret is read from its source's --webhook-secret-env variable when a
 * delivery arrives and is never logged, stored, audited or put in an error.
 * Strings and arrays in a struct webhook_result live in ctx->arena (freed
 * by ctx_close); the caller frees nothing.
 */
#ifndef PLUMB_WEBHOOK_H
#define PLUMB_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct ctx;

/* Longest signature header read; a longer one matches nothing. */
#define WEBHOOK_HEADER_MAX 8192
/* Longest delivery id (GitHub's are 36-character GUIDs). */
#define WEBHOOK_DELIVERY_MAX 200
/* How a GitHub delivery sent as application/x-www-form-urlencoded starts. */
#define WEBHOOK_FORM_PREFIX "payload="

/*
 * The three checks.  Each takes the header's value as received and a list
 * of candidate secrets (NULL or empty entries are skipped: a source
 * without one), and returns the index of the first secret that signed, or
 * -1 when none did or the header is malformed (NULL, too long, a wrong
 * prefix, bad hex, a wrong length): never a crash.  Comparisons are
 * constant-time (sodium_memcmp).
 */

/* GitHub: "X-Hub-Signature-256: sha256=<64 hex>", the HMAC-SHA256 of the
 * raw body keyed with the secret. */
int webhook_github_match(const char *header, const char *body, size_t len,
                         const char *const *secrets, size_t nsecrets);
/* PagerDuty v3: "X-PagerDuty-Signature: v1=<64 hex>[,v1=<64 hex>...]",
 * one HMAC-SHA256 of the raw body per secret the account signs with while
 * one is rotated; any v1 value that matches accepts, other versions are
 * ignored. */
int webhook_pagerduty_match(const char *header, const char *body, size_t len,
                            const char *const *secrets, size_t nsecrets);
/* Deploy: "Authorization: Bearer <token>" (the scheme in any case), the
 * token equal to the secret.  Both are hashed before comparing, so the time
 * taken tells nothing of either, not even its length. */
int webhook_bearer_match(const char *authorization, const char *const *secrets, size_t nsecrets);

struct webhook_queue_turns;

/* Whether id may be a delivery id: 1 to WEBHOOK_DELIVERY_MAX printable
 * ASCII characters without spaces, as GitHub's GUIDs are. */
bool webhook_delivery_id_valid(const char *id);
/* ERR_USAGE naming the kinds when kind is none of github, pagerduty and
 * deploy (before a body is read). */
int webhook_kind_check(const char *kind, struct error *err);

/* One POST as the server received it; every pointer borrowed. */
struct webhook_request {
	const char *kind;        /* "github", "pagerduty" or "deploy" */
	const char *event;       /* X-GitHub-Event; NULL for pagerduty and deploy */
	const char *delivery_id; /* X-GitHub-Delivery; NULL when absent */
	/* X-Hub-Signature-256, X-PagerDuty-Signature or Authorization; NULL
	 * when absent. */
	const char *signature;
	const char *body; /* the raw bytes; need not end in a NUL */
	size_t len;
	/* The server's queue (webhook_queue.h), or NULL: a delivery that would
	 * be stored is queued there instead, once its body parses, when the
	 * write lock stays held by another writer past queue_wait_ms from its
	 * arrival (its turn, below, and the lock together), and while the queue
	 * holds any, so they are stored in the order they came. */
	const char *queue_dir;
	int queue_wait_ms; /* with a queue; the connection's lock wait is what is left, then back */
	/* With a queue, the process's turns (webhook_queue.h), which a delivery
	 * holds from its look at the queue until it is stored or queued. */
	struct webhook_queue_turns *turns;
};

struct webhook_result {
	const char *source; /* the source whose secret signed */
	/* The run that stored the delivery; for a duplicate, the run that
	 * stored it the first time (0 if unknown); 0 when ignored. */
	int64_t run_id;
	bool duplicate; /* the delivery id was recorded before: nothing stored */
	/* Authenticated, and nothing plumb reads: a ping, an event it does
	 * not read, a repository the source does not read.  Nothing stored. */
	bool ignored;
	/* Queued (webhook_request.queue_dir): to be stored later; no run yet,
	 * the counts 0. */
	bool queued;
	const char *reason; /* why, when ignored */
	/* Where its records went; merged: seen twice in the delivery,
	 * skipped: kept out by the policy.  They add up to records. */
	int64_t documents, records, inserted, updated, unchanged, merged, skipped;
	/* What the delivery inserted or changed, for the caller to refresh
	 * metrics: service ids (ascending) and event kinds ("deployment"). */
	const int64_t *service_ids;
	size_t nservices;
	const char *const *event_kinds;
	size_t nkinds;
};

/*
 * Authenticate and store one delivery, as operation webhook.receive.  The
 * sources of req->kind are tried in the order added with the secret in each
 * one's --webhook-secret-env variable; the one that signed is the source.
 * A GitHub body sent form-encoded (WEBHOOK_FORM_PREFIX, its JSON
 * URL-encoded) is decoded once its signature is checked.
 * Returns 0 and fills *res when stored, a duplicate or ignored, else:
 *   ERR_UNAUTHENTICATED (HTTP 401) when no source's secret signed it;
 *   ERR_INVALID (400) naming the field when the body does not parse, or
 *     for a bad delivery id;
 *   ERR_USAGE (400) for an unknown kind; ERR_TOO_BIG (413) past 64 MiB;
 *   ERR_BUSY (503) when another writer holds the database and there is no
 *     queue, or it is full;
 * and nothing is written for any of them.  A stored delivery is one
 * ingest run (mode webhook, one raw payload) published, with its delivery
 * id recorded, in one audited transaction.  Not thread-safe on one ctx.
 */
int webhook_receive(struct ctx *ctx, const struct webhook_request *req, struct webhook_result *res,
                    struct error *err);

#endif
