/*
 * authz: role and scope checks, in the core so the CLI and the HTTP API
 * cannot disagree.
 *
 * authz_check_op applies an operation's permission from the ops table.
 * Person-level scoping follows docs/security.md:
 *   admin           organization records (people, teams, identities) of all
 *   people-partner  people in the assigned org units (no unit: everyone)
 *   leader          people in the assigned org unit, and their reporting chain
 *   manager         their reporting chain, direct and indirect
 *   employee        themselves
 * Scopes are evaluated on the current (today's) org structure.  An actor that
 * is read-only (an API token with --scope read) may run no write operation.
 */
#ifndef PLUMB_AUTHZ_H
#define PLUMB_AUTHZ_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/hmap.h"

struct ctx;
struct op_def;

/* Whether the actor's roles allow op (authz_check_op without noting a
 * refusal): what a face offers, never what it lets run. */
bool authz_op_allowed(const struct ctx *ctx, const struct op_def *op);
int authz_check_op(struct ctx *ctx, const struct op_def *op, struct error *err);
/* ERR_DENIED (naming the person) unless the actor may see person_id. */
int authz_require_person(struct ctx *ctx, int64_t person_id, const char *employee_id,
                         struct error *err);
/* The same for a record about person_id named by what (its own id, never
 * whom it is about): the refusal names it to every reader, analysts too. */
int authz_require_record(struct ctx *ctx, int64_t person_id, const char *what, struct error *err);
/* Set *yes when the actor may see person_id, as authz_require_person
 * decides, without refusing or noting anything: for a page choosing whether
 * to link a person.  Reads the store; not thread-safe beyond the ctx. */
int authz_may_see_person(struct ctx *ctx, int64_t person_id, bool *yes, struct error *err);
/* An employee id no person has: ERR_NOT_FOUND for an actor who sees
 * everyone; to anyone else the refusal a person outside their scope gets
 * (audited), so that answers do not tell which ids exist. */
int authz_unknown_person(struct ctx *ctx, const char *employee_id, struct error *err);
/* Put the ids of the people in org unit team_id (the team and its
 * subteams; former members by their last team) into `into`, keys decimal. */
int authz_unit_members(struct ctx *ctx, int64_t team_id, struct hmap *into, struct error *err);
/* Fill *all = true when the actor sees everyone; else put every visible
 * person id (as decimal key) into visible (caller inits and releases). */
int authz_visible_people(struct ctx *ctx, bool *all, struct hmap *visible, struct error *err);

/* Set *yes when the actor holds a people-partner role over team_id: one
 * with no unit, or whose unit is team_id or a team above it (the current
 * tree).  Reads the store; not thread-safe beyond the ctx. */
int authz_partner_of_team(struct ctx *ctx, int64_t team_id, bool *yes, struct error *err);

/* How the actor stands to person_id for review content (feedback,
 * ratings, evaluations), which is stricter than records: admins see none
 * of it unless they also hold a people role, leaders only their reporting
 * chain.  About themselves everyone is only SELF (a people partner does
 * not see who wrote their own feedback), also about a record person merge
 * folded into theirs; otherwise the strongest wins. */
enum authz_review {
	AUTHZ_REVIEW_NONE = 0,
	AUTHZ_REVIEW_SELF,           /* the person themselves */
	AUTHZ_REVIEW_MANAGER,        /* person is in the actor's reporting chain */
	AUTHZ_REVIEW_PEOPLE_PARTNER, /* person is in a people partner's unit */
};
/* Whether person_id is the actor's record, or a record merged into it: the
 * merged record keeps its reports and cycles while its user acts no more, so
 * a cycle's home manager merged since is the human acting now. */
int authz_is_actor_record(struct ctx *ctx, int64_t person_id, bool *yes, struct error *err);
/* The same for many rows at once: the actor's record and those merged into
 * it (*ids in ctx->arena; none without a person). */
int authz_actor_records(struct ctx *ctx, int64_t **ids, size_t *n, struct error *err);
/* extra_manager: a person id that counts as the person's manager too (a
 * cycle's home manager, or a record of theirs merged into the actor's), or 0.
 * A manager or leader is MANAGER for people in their current reporting
 * chain, and for someone who has left, in the chain as of their last moment
 * with the org. */
int authz_review_relation(struct ctx *ctx, int64_t person_id, int64_t extra_manager,
                          enum authz_review *out, struct error *err);
/* How person `reader` (not the actor) stands to person_id for review
 * content, by position rather than by the roles they sign in with today (a
 * manager role can be granted later): MANAGER when person_id is in the
 * reader's current reporting chain (for someone who has left, the chain as
 * of their last moment with the org) or the reader is extra_manager,
 * PEOPLE_PARTNER when an enabled user of the reader's holds a
 * people-partner role over person_id's unit (or an unscoped one), SELF for
 * person_id (or a record person merge made one human with it).  For
 * rules about who may write what those readers will read. */
int authz_review_reader(struct ctx *ctx, int64_t reader, int64_t person_id, int64_t extra_manager,
                        enum authz_review *out, struct error *err);

#endif
