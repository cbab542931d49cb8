/*
 * ctx: one unit of work (a CLI command, later a request): the store, the
 * acting user, an arena for transient memory, and the operation in progress.
 *
 * Every service entry point takes a ctx and runs its work through ctx_run,
 * which calls ctx_op_begin (checks the actor's permission for the operation,
 * from the ops table, and opens the transaction), the work, then
 * ctx_op_commit (signs the new audit head and commits, so a write and its
 * audit entries land together or not at all), and retries transient
 * conflicts.  The three steps stay public for tests that drive them.
 * Reads run in one snapshot; an audited read (ops.h) writes its entry, naming
 * the record read (ctx_subject), once that snapshot is closed.
 * ctx_op_end rolls back whatever was not committed, then records a refusal
 * noted by authz (so denied attempts are audited even though their
 * transaction is not), an audited read that failed and, with --as, a
 * failure: every use of --as leaves an entry, whatever became of it.  A
 * failed read whose entry cannot be written fails with that error in err
 * instead (the read's message in the detail), as a read that succeeded
 * does; a refusal stands, its detail saying it was not recorded.  Memory
 * from ctx->arena lives until ctx_close.  A ctx is used by one thread at a
 * time.
 */
#ifndef PLUMB_CTX_H
#define PLUMB_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "core/actor.h"
#include "core/ops.h"
#include "store/store.h"

struct pseudonym_ring;
struct policy;

/* Progress of long work: phase name, units done, total (0 when unknown).
 * done == total ends the phase.  Set by the face; the core only reports. */
typedef void (*ctx_progress_fn)(void *data, const char *phase, int64_t done, int64_t total);

struct ctx_options {
	const char *db_url;
	const char *actor_name;     /* NULL: the built-in admin */
	const char *os_user;        /* recorded when actor_name is given */
	const char *audit_key_path; /* NULL: audit_key_default_path() */
	bool create;                /* create the database when absent (init) */
	/* How long a write waits for another writer's lock, in ms (0: the
	 * engine's default; store_set_lock_wait), and who is told while it
	 * waits (NULL: nobody; store_set_wait_notice). */
	int lock_wait_ms;
	store_wait_fn wait_notice;
	void *wait_notice_data;
	/* Told of an upgrade while it runs (one rebuilds tables); NULL: nobody. */
	ctx_progress_fn progress;
};

struct ctx {
	struct store *store;
	ctx_progress_fn progress;
	void *progress_data;
	store_wait_fn wait_notice; /* as ctx_set_wait_notice last set it, for siblings */
	void *wait_notice_data;
	int64_t progress_at;     /* when progress was last reported (ms, monotonic) */
	char progress_phase[48]; /* and of which phase */
	struct arena *arena;
	/* The unit of work's own arena, as begin_unit made it: arena, unless a
	 * path has swapped in a scratch arena it destroys afterwards (what must
	 * outlive that, such as own_employee_ids, goes here). */
	struct arena *unit_arena;
	struct actor actor;
	const char *audit_key_path;
	/* ctx_open gave the database its schema (create, on an empty one). */
	bool schema_made;
	const struct op_def *op;
	enum op_id last_op; /* the last operation checked or begun, for the face's check */
	bool op_in_tx;
	/* Signing key, loaded for writes. */
	bool key_loaded;
	unsigned char key_secret[64];
	unsigned char key_public[32];
	/* Audit chain head, cached within one write transaction. */
	bool head_loaded;
	int64_t head_seq;
	char head_hash[65];
	int64_t audit_appended; /* entries of this transaction */
	int64_t audit_signed;   /* of which a checkpoint covers so many */
	/* Entries hashed but not yet written: they go to the database in
	 * multi-row INSERTs, the rest before the checkpoint (audit.c). */
	struct store_batch *audit_batch;
	struct store_batch *audit_people_batch; /* their rows of audit_people */
	/* The policy in force, parsed once per audit head (policy.c); its
	 * own arena outlives the units of work. */
	const struct policy *policy;
	struct arena *policy_arena;
	int64_t policy_head;
	/* Arenas of policies replaced during this unit of work: a caller may
	 * still hold one, so they go when the unit ends. */
	struct arena **policy_retired;
	size_t npolicy_retired;
	/* Hosts a source's URL given over the API may name besides the hosted
	 * APIs (plumb serve --source-host; source.h); the server sets them. */
	const char *const *source_hosts;
	size_t nsource_hosts;
	/* The employee ids of the actor's own records, read once an operation
	 * (mask_own_person); in unit_arena. */
	bool own_loaded;
	const char **own_employee_ids;
	size_t nown_employee_ids;
	/* The pseudonym key ring, loaded on first use (pseudonym.c). */
	struct pseudonym_ring *pseudonyms;
	/* The record an audited read is about, once the service knows it. */
	const char *subject_type, *subject_id;
	/* An audit entry of this unit of work was committed (ctx_record_failed). */
	bool recorded;
	/* A permission refusal to record when the operation ends. */
	bool denied;
	char denied_reason[ERR_MSG_MAX];
	/* Set with denied when an acceptable-use rule refused (aup.h): the
	 * refusal is recorded as policy.refused naming the rule. */
	const char *denied_rule;
};

/* Open the database (migrating it), load the actor.  *out is owned by the
 * caller and freed with ctx_close. */
int ctx_open(const struct ctx_options *opts, struct ctx **out, struct error *err);
void ctx_close(struct ctx *ctx);
/* Another ctx on the same database, as the same actor with the same audit
 * key, lock wait, wait notice and progress reporter: for a worker thread (a
 * ctx is one thread's).  Freed with ctx_close. */
int ctx_open_sibling(const struct ctx *ctx, struct ctx **out, struct error *err);
/* Have fn told (with data) while this ctx's connection waits for another
 * writer's lock, and the siblings opened from it after (NULL: nobody); see
 * store_set_wait_notice.  Outside a transaction.  Never fails. */
void ctx_set_wait_notice(struct ctx *ctx, store_wait_fn fn, void *data);
/* Start the next unit of work on an open ctx (the server: one per request):
 * drop the last one's arena memory and act as user (NULL: the built-in
 * admin), loaded afresh so a disabled user or a changed role takes effect
 * at once.  ERR_NOT_FOUND or ERR_DENIED as actor_load. */
int ctx_begin_request(struct ctx *ctx, const char *user, struct error *err);
/* The same with an actor loaded earlier in this database state (the server's
 * memo of who a credential is, valid while the audit head has not moved). */
void ctx_begin_request_as(struct ctx *ctx, const struct actor *actor);
/* The database's URL (a file path for SQLite) and engine name, for display. */
const char *ctx_db_url(const struct ctx *ctx);
const char *ctx_db_engine(const struct ctx *ctx);

/* Check the actor may run op, without starting it (a refusal is audited);
 * for work to do before the transaction, such as reading an import file. */
int ctx_op_check(struct ctx *ctx, enum op_id op, struct error *err);
/* Whether the actor's roles allow op, noting and auditing nothing: for a
 * face to offer only what the actor may open (the operation still checks
 * for itself, scope included). */
bool ctx_op_allowed(const struct ctx *ctx, enum op_id op);
int ctx_op_begin(struct ctx *ctx, enum op_id op, struct error *err);
int ctx_op_commit(struct ctx *ctx, struct error *err);
/* err: the operation's error, NULL when there is nobody to tell. */
void ctx_op_end(struct ctx *ctx, struct error *err);
/* The work of one operation, run by ctx_run between ctx_op_begin and
 * ctx_op_commit.  It may run more than once, so it sets its outputs afresh
 * each time and has no effects outside the transaction (arena memory
 * aside).  It returns 0 to commit, CTX_ROLLBACK to end the operation
 * without writing (a dry run, nothing changed), or an error. */
typedef int (*ctx_body_fn)(struct ctx *ctx, void *arg, struct error *err);
#define CTX_ROLLBACK 1
/* Attempts at an operation whose transaction hit a transient conflict. */
#define CTX_ATTEMPTS 5

/* Run op: permission check, transaction, body, audit checkpoint, commit.
 * A transient failure (ERR_TRANSIENT: a serialization failure or deadlock,
 * or a replica cancelling a read) rolls back and runs the body again, up
 * to CTX_ATTEMPTS times with a growing randomized pause, so no caller
 * writes its own retry loop. */
int ctx_run(struct ctx *ctx, enum op_id op, ctx_body_fn body, void *arg, struct error *err);

/* Report progress when a reporter is set: every call for done == total
 * and a phase's first, else at most one each CTX_PROGRESS_MS, so hot loops
 * can call it freely (a clock read a call). */
#define CTX_PROGRESS_MS 100
void ctx_progress(struct ctx *ctx, const char *phase, int64_t done, int64_t total);
/* Name the record an operation reads (person:E042), for its audit entry. */
void ctx_subject(struct ctx *ctx, const char *type, const char *id);
/* With --as, every command is on the record: when the command that ran
 * op failed and this unit of work committed no audit entry (it failed
 * before its operation began or between two, reading or parsing its
 * input), record its failure as a failed operation is ({"ok":false} on
 * op:NAME).  Nothing without --as.  Best effort, like a refusal's entry;
 * outside any operation. */
void ctx_record_failed(struct ctx *ctx, enum op_id op);
/* Called by authz on a refusal: ctx_op_end records it as access.denied. */
void ctx_note_denied(struct ctx *ctx, const struct error *why);
/* Refuse: ERR_DENIED with the formatted message and hint (may be NULL),
 * noted as the operation's refusal (ctx_note_denied). */
int ctx_deny(struct ctx *ctx, struct error *err, const char *hint, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
/* Record a refusal of op decided before op could run (the sign-in of a
 * disabled user, who may begin no operation), as ctx_op_end records one
 * noted by authz: access.denied on op:NAME with why's message, under the
 * actor.  Returns why's code; why's detail says so when the entry cannot
 * be written. */
int ctx_record_denied(struct ctx *ctx, enum op_id op, struct error *why);
/* Called by aup on a refusal under rule (static storage): ctx_op_end
 * records it as policy.refused on object rule:NAME. */
void ctx_note_refused(struct ctx *ctx, const char *rule, const struct error *why);

#endif
