/*
 * webhook_queue: webhook deliveries the server accepted while another writer
 * held the database (a large ingest publishing), kept in a directory until
 * they can be stored.  One file a delivery, written whole and fsynced under
 * a temporary name before it is linked into place, so a crash leaves it
 * there or not at all; applied oldest first, each through
 * ingest_webhook_body as if it had just arrived, then removed.
 *
 * A queued delivery has passed every check but the write: its signature
 * (the file names the source whose secret signed it, and keeps no
 * signature or token, so a deploy source's token never reaches the disk),
 * its scope and its body's parse.  So the directory is as trusted as the
 * database: 0700, files 0600.  Several processes may share one (servers on
 * one database): a file is taken under flock(2), and while another holds
 * the oldest, the others wait, so they store them in order too.
 *
 * Strings in a struct webhook_queue_item live in the arena given.
 */
#ifndef PLUMB_WEBHOOK_QUEUE_H
#define PLUMB_WEBHOOK_QUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "ingest/ingest.h"

struct arena;
struct ctx;
struct stat;

/* Deliveries one queue holds at most; past it a busy database is ERR_BUSY
 * again (1 MiB bodies by default: 10 GB at the very most). */
#define WEBHOOK_QUEUE_MAX 10000
/* Where deliveries that could not be stored go, within the queue. */
#define WEBHOOK_QUEUE_FAILED "failed"

struct webhook_queue_item {
	const char *kind;   /* github, pagerduty, deploy */
	const char *source; /* the source whose secret signed it */
	/* That source's id and when it was added, so that one added under its
	 * name since does not store it (ingest_body_opts); 0 in a file an
	 * older server wrote. */
	int64_t source_id, source_added;
	const char *format, *event_name, *delivery_id, *origin;
	/* With no delivery_id: the name its file was first queued under, which
	 * it is stored by (a move may rename the file); set by
	 * webhook_queue_put, NULL in a file an older server wrote. */
	const char *key;
	int64_t received_at; /* UTC ms */
	const char *body;    /* the body as read (a form's JSON, decoded) */
	size_t len;
};

/* Whether dir can be a queue, before a server starts with it: a directory
 * this user may write, or one it may make there (its parent writable); and
 * safe, this user's own with no other user allowed to write it, since
 * anyone who could put a file there could have it stored as a delivery its
 * source signed (a queue found unsafe later is refused, ERR_IO, while it
 * is).  ERR_USAGE saying which. */
int webhook_queue_usable(const char *dir, struct error *err);

/* How many deliveries dir holds (0 when it does not exist, and when others
 * may write it: nothing there is trusted, so nothing there is waited for). */
int webhook_queue_count(const char *dir, size_t *n, struct error *err);

/* The same for /metrics, which must not say 0 for a queue it cannot read:
 * ERR_IO when dir cannot be read or others may write it. */
int webhook_queue_length(const char *dir, size_t *n, struct error *err);

/* Queue one delivery in dir, made (0700) when absent.  ERR_BUSY when it
 * holds WEBHOOK_QUEUE_MAX; ERR_IO naming the file. */
int webhook_queue_put(const char *dir, const struct webhook_queue_item *item, struct error *err);

/* Turns: a process's deliveries choose between the database and the queue
 * one at a time, in the order they ask, and keep their turn until stored or
 * queued.  Without them a delivery that found the queue empty, and then the
 * database free, could be stored before an earlier one that had waited
 * meanwhile and been queued.  Thread-safe. */
struct webhook_queue_turns {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	unsigned long long next, serving; /* the next ticket given; the one served */
};
void webhook_queue_turns_init(struct webhook_queue_turns *t);
void webhook_queue_turns_destroy(struct webhook_queue_turns *t);
/* Wait for this caller's turn (first come, first served); give it back with
 * webhook_queue_turn_end. */
void webhook_queue_turn_begin(struct webhook_queue_turns *t);
void webhook_queue_turn_end(struct webhook_queue_turns *t);

/* A delivery whose storing keeps failing with an error that may pass, but
 * not the database busy or in conflict (a long publish is the normal case,
 * and never counts), stays at the head and every later one waits behind it:
 * for WEBHOOK_QUEUE_TRIES tries over WEBHOOK_QUEUE_RETRY_MS at least, and
 * then it goes to WEBHOOK_QUEUE_FAILED, so the rest proceed.  A try counts
 * only while the database answers otherwise (a server away is not the
 * delivery's fault). */
#define WEBHOOK_QUEUE_TRIES    10
#define WEBHOOK_QUEUE_RETRY_MS (10 * 60 * 1000)

/* One thread storing a queue, from one call of webhook_queue_apply_next to
 * the next: the names of one listing, taken in turn (listing the directory
 * for each delivery cost n^2 for n queued), and the failures of the one at
 * the head.  Zeroed before the first call; webhook_queue_drain_free after
 * the last. */
struct webhook_queue_drain {
	unsigned max_tries; /* 0: WEBHOOK_QUEUE_TRIES */
	int64_t retry_ms;   /* 0: WEBHOOK_QUEUE_RETRY_MS */
	/* The queue's own. */
	char **names; /* oldest first (heap) */
	size_t n, next;
	char *failing; /* the delivery failing at the head (heap), or NULL */
	unsigned tries;
	double failing_since; /* its first counted failure, ts_mono_s */
};
void webhook_queue_drain_free(struct webhook_queue_drain *d);

/* What webhook_queue_apply_next did with the oldest delivery it could take. */
struct webhook_queue_outcome {
	struct webhook_queue_item item;
	bool stored; /* stored (or found a duplicate) and removed */
	struct ingest_result res;
	struct error err; /* when not stored: why */
	const char *kept; /* when not stored: its file, now under failed/ */
};

/*
 * Store the oldest delivery in dir, unless another process holds it, as
 * OP_WEBHOOK_RECEIVE on ctx (a unit of work begun; its arena holds the
 * outcome's strings).  Returns 1 with *out filled when one was stored, or
 * could not be and was moved to WEBHOOK_QUEUE_FAILED (a source paused or
 * removed since, a record its run refused, a file that does not read, an
 * error that may pass met too long, above) with its reason beside it
 * (NAME.error); 0 when there is none to take, or another process holds the
 * oldest.  An error that may pass (ERR_BUSY: the database still held; a
 * transient or database error; ERR_IO) is returned, and the delivery stays
 * for the next try.
 *
 * The deliveries are taken from one listing of dir, in d, each checked to
 * be there still when its turn comes; dir is listed again once they are
 * all done.  A delivery stored from the queue without a delivery id is
 * recorded by its key, the name it was first queued under (or, in a file
 * an older server wrote, its file's name: ingest_body_opts.delivery_key), so one
 * stored by a process that died before it removed the file is found a
 * duplicate by the next, and only removed.
 */
int webhook_queue_apply_next(struct ctx *ctx, const char *dir, struct webhook_queue_drain *d,
                             struct webhook_queue_outcome *out, struct error *err);

/* The queue a server keeps by default for the database at db_url: the
 * SQLite file's path and ".webhooks", in a; NULL for PostgreSQL, whose
 * server has no directory of plumb's. */
char *webhook_queue_default(const char *db_url, struct arena *a);

/* One delivery a queue holds, as `plumb webhook queue` lists it. */
struct webhook_queue_entry {
	const char *name; /* its file's name */
	bool failed;      /* under WEBHOOK_QUEUE_FAILED */
	/* What its first line says (body NULL; len as the line says); kind,
	 * source and the rest NULL when the line does not read. */
	struct webhook_queue_item item;
	const char *reason; /* a failed one's reason (its NAME.error), or NULL */
	/* Requeued (webhook_queue_requeue): its source has it stored already,
	 * by its delivery id or, with none, its key (without one, its file's
	 * name in dir), as the server will store it, as run stored_run
	 * (0: a run since removed); the server will only remove it, as a
	 * duplicate. */
	bool stored_before;
	const char *stored_by; /* the source that stored it: its own, or one sharing its hook */
	int64_t stored_run;
};

/* Every delivery dir holds, waiting ones first and then failed ones, each
 * oldest first, as OP_WEBHOOK_QUEUE (nothing read from the database); in
 * ctx->arena.  A directory that does not exist holds none. */
int webhook_queue_list(struct ctx *ctx, const char *dir, struct webhook_queue_entry **out,
                       size_t *n, struct error *err);

/* Put failed deliveries back to be stored: those named (file names as
 * listed), or every one when all, as OP_WEBHOOK_REQUEUE, one audit entry
 * each (the delivery, named as it will be in dir, its source and why it
 * had failed).  The names are chosen under dir's lock, held until the
 * moves are done.  Checked first:
 * a name that is not a failed delivery of dir is ERR_NOT_FOUND and nothing
 * moves.  *requeued (in ctx->arena) and *moved: those that went back, each
 * saying whether it was stored before (a redelivery meanwhile, or a copy
 * put back by hand), and named as it is in dir: NAME-N.delivery when a
 * delivery there had its name (never replaced). */
int webhook_queue_requeue(struct ctx *ctx, const char *dir, const char *const *names, size_t nnames,
                          bool all, const struct webhook_queue_entry **requeued, size_t *moved,
                          struct error *err);

#endif
