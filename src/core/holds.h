/*
 * holds: legal holds.  A hold keeps retention (retention.c) from deleting,
 * anonymizing or redacting what it covers until it is released:
 *   a person hold    that person's events, their individual metric values,
 *                    audit entries about them or by them, and (issue 8)
 *                    their review data; of every record of theirs, when
 *                    person merge made two one (HOLDS_RECORDS_OF);
 *   a category hold  every row of one data category (policy.h's names).
 * Who may: an admin any hold but one on themselves; a people partner holds
 * on the people in their org units, every record of the human
 * (HOLDS_RECORDS_OF) in them and none their own, never a category hold;
 * holds they may not place are left out of their list and answered as
 * unknown to their release.  Holds are never deleted: a release records
 * when, by whom and why.  Returned structs and strings live in the ctx
 * arena.
 */
#ifndef PLUMB_HOLDS_H
#define PLUMB_HOLDS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "core/org.h"

struct ctx;

#define HOLD_REASON_MAX 500

/* SQL: every record of the humans under an active person hold, for an IN
 * (...); never NULL.  A hold on a person covers everything that is that
 * human's, whichever record of theirs it names (found hunting merges: a
 * hold on a record merged away kept none of what had moved to the record it
 * went into, and a hold on that one none of what stayed with the merged
 * record): the held record, the one it went into, and those merged into
 * either.  Not correlated, so read once a statement. */
#define HOLDS_HELD_RECORDS                                                                         \
	"SELECT hh.person_id FROM legal_holds hh WHERE hh.released_at IS NULL AND hh.person_id "   \
	"IS NOT NULL UNION ALL SELECT hm.into_person_id FROM person_merges hm JOIN legal_holds "   \
	"hh ON hh.person_id = hm.from_person_id WHERE hh.released_at IS NULL UNION ALL SELECT "    \
	"hr.from_person_id FROM person_merges hr WHERE hr.into_person_id IN (SELECT " ORG_HUMAN(   \
	        "hh.person_id") " FROM legal_holds hh WHERE hh.released_at IS NULL AND "           \
	                        "hh.person_id IS NOT NULL)"
/* SQL: whether a person hold covers the person p (an expression; NULL:
 * false). */
#define HOLDS_PERSON_HELD(p) "(" p " IS NOT NULL AND " p " IN (" HOLDS_HELD_RECORDS "))"
/* SQL: whether the person hold aliased h covers the person p, where the
 * hold itself is wanted (which of several, in a plan's counts). */
#define HOLDS_COVERS(h, p) ORG_HUMAN(h ".person_id") " = " ORG_HUMAN(p)
/* SQL: the ids of every record of the human p is a record of (ORG_HUMAN
 * and those merged into it), for an IN (...). */
#define HOLDS_RECORDS_OF(p)                                                                        \
	"SELECT " ORG_HUMAN(p) " UNION ALL SELECT hr.from_person_id FROM person_merges hr "        \
	                       "WHERE hr.into_person_id = " ORG_HUMAN(p)

/* SQL: whether the event whose id is the SQL expression ev is named by the
 * lineage of a held metric value (a category hold on metric_values, or a
 * person hold on an individual value's person).  Such an event is the held
 * value's evidence: retention and a consent withdrawal keep it as it is
 * (found hunting: deleting it took the held value's lineage with it).
 * metric_lineage_event (schema 19) finds its rows. */
#define HOLDS_VALUE_HELD(ev)                                                                       \
	"EXISTS (SELECT 1 FROM metric_lineage ml JOIN metric_values v ON v.id = ml.value_id "      \
	"WHERE ml.event_id = " ev " AND (EXISTS (SELECT 1 FROM legal_holds hc WHERE "              \
	"hc.released_at IS NULL AND hc.category = 'metric_values') OR (v.scope = 'individual' "    \
	"AND " HOLDS_PERSON_HELD("v.scope_id") ")))"

struct hold {
	int64_t id;
	const char *employee_id; /* a person hold; NULL for a category hold */
	const char *person_name;
	const char *category; /* a category hold; NULL for a person hold */
	const char *reason;
	int64_t created_at;
	const char *created_by;
	int64_t released_at; /* 0 while active */
	const char *released_by, *release_reason;
};

/* Operation hold.add: exactly one of employee_id and category.  ERR_USAGE
 * for both or neither, an unknown category or an empty or multi-line
 * reason; ERR_NOT_FOUND for an unknown person; ERR_DENIED as above.  *id
 * is the new hold's. */
int hold_add(struct ctx *ctx, const char *employee_id, const char *category, const char *reason,
             int64_t *id, struct error *err);
/* Operation hold.list: the holds the actor may see (all of them for an
 * admin; category holds and holds on people in their units for a people
 * partner), active ones only unless include_released, oldest first. */
int hold_list(struct ctx *ctx, bool include_released, struct hold **out, size_t *n,
              struct error *err);
/* Operation hold.release: ERR_NOT_FOUND, ERR_CONFLICT when already
 * released, ERR_USAGE for a bad reason, ERR_DENIED as for hold_add. */
int hold_release(struct ctx *ctx, int64_t id, const char *reason, struct error *err);

/* Inside the caller's transaction: whether an active hold covers person_id's
 * rows of category (policy.h's name, e.g. "events"): a hold on that person
 * (on any record of theirs, HOLDS_COVERS) or a category hold on category.  Consent withdrawal asks
 * before deleting. */
int holds_person_held_tx(struct ctx *ctx, int64_t person_id, const char *category, bool *held,
                         struct error *err);

/* What holds_visible_tx has read of a people partner's org units, kept for
 * the next question within the same operation (the units do not change
 * inside it).  Start it as {NULL}; holds_visibility_release frees it.
 * Not thread-safe: one operation's. */
struct hold_scope;
struct holds_visibility {
	struct hold_scope *scope; /* in ctx->arena, its map malloc'd */
};

/* Inside the caller's transaction: whether the actor may know of holds on
 * person_id, as hold add, list and release would let them: an admin; a
 * people partner whose org units hold every record of the human, none of
 * them theirs.  Asked
 * whether or not there is one, so the answer tells nothing: what a hold
 * kept is said to those only (consent withdrawal).  seen keeps what one
 * question read for the next ones of the operation. */
int holds_visible_tx(struct ctx *ctx, struct holds_visibility *seen, int64_t person_id,
                     bool *visible, struct error *err);
/* Free what seen holds; it may be used again, as new. */
void holds_visibility_release(struct holds_visibility *seen);

#endif
