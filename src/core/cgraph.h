/*
 * cgraph: the commit graph the four keys walk, every commit with its
 * parents, author time, pull request and whether it reverts another, read
 * from the events or from the packs publishing keeps of it.
 *
 * Why packs: SQLite steps through two million commit rows in about a
 * second, however narrow they are, which alone spent the four keys' budget
 * (docs/PERFORMANCE.md).  The same commits kept as a few text values a
 * service (commit_packs, schema 13: up to CGRAPH_PART commits a value, in
 * event id order) read in a fraction of that.  The packs are complete when
 * commit_packs holds its marker row (service -1): then they hold every
 * commit as the events do.  Publishing rebuilds, in its own transaction,
 * the packs of each service whose commits it published (cgraph_published).
 * Any other change to what a walk reads of a commit (an in-place edit, a
 * move to another service, a deletion) fires schema 13's triggers, which
 * delete every pack, marker included, so a retention or consent purge
 * leaves no copy behind; the next full read from the events keeps them
 * again (cgraph_keep).
 *
 * A pack is text, so that both engines store and read it as is: per commit
 * "ID,AUTHOR_AT,REVERT,SHA,PR,NPARENTS," then its parents, each string as
 * LEN:BYTES and a comma ("-," for no pull request), and a parent as "=D,"
 * when a commit written with it (by the same publish or full read) has that
 * sha, D positions away in the service, which spares the engine a lookup.
 * The first commit of each write starts with "#" and has its id and author
 * time whole; the others have their differences from the commit before, so
 * that a publish's text joins the value it is appended to as it is.
 *
 * Memory: a graph, its arrays and strings are freed with the arena given to
 * cgraph_new.
 */
#ifndef PLUMB_CGRAPH_H
#define PLUMB_CGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

struct store;

/* Commits a pack value holds at most: a publish appends to a service's last
 * value, so this bounds what one webhook rewrites (about 1.3 MB). */
#define CGRAPH_PART 16384

struct cgraph_commit {
	const char *sha;
	int64_t event_id;
	int64_t author_at;
	bool revert;          /* its message starts "Revert " or "revert:" */
	const char *pr;       /* the pull request it belongs to, or NULL (no source sets it yet) */
	uint32_t parents_off; /* into cgraph.parent_shas */
	uint32_t parents_n;
};

struct cgraph {
	struct cgraph_commit *commits;
	int64_t *service; /* each commit's service, 0 for none */
	size_t ncommits;
	const char **parent_shas;
	/* Per parent: a commit whose sha is this very string (from a pack's
	 * "=POS"), or -1 when none is known. */
	int32_t *parent_hint;
	size_t nparents;
	/* A pack could not be read (edited by hand?): its commits came from the
	 * events instead, and the packs want rebuilding. */
	bool packs_damaged;

	struct arena *arena;
	size_t commits_alloc, parents_alloc;
	char *pool; /* the current string chunk */
	size_t pool_left;
};

struct cgraph *cgraph_new(struct arena *a);

/* Whether the packs hold every commit as the events do now. */
int cgraph_packs_complete(struct store *s, bool *complete, struct error *err);

/* Append every commit (service 0) or one service's, from the packs when
 * from_packs (the caller saw them complete in this transaction), else from
 * the events.  A damaged pack is read from the events (packs_damaged). */
int cgraph_load(struct store *s, struct cgraph *g, int64_t service, bool from_packs,
                struct error *err);

/* Keep g, every commit as read from the events, as the packs (complete).
 * In the caller's write transaction. */
int cgraph_keep(struct store *s, const struct cgraph *g, struct error *err);

/* Delete every pack: the next full read keeps them again. */
int cgraph_drop(struct store *s, struct error *err);

/* At the end of publishing run_id, in its transaction: rebuild the packs of
 * the services whose commits it published, while the packs are complete. */
int cgraph_published(struct store *s, int64_t run_id, struct error *err);

bool cgraph_is_revert(const char *title);

#endif
