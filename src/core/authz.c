/* authz: permission checks from the ops table and person scopes by recursive queries. */
#include "core/authz.h"

#include <inttypes.h>

#include "base/arena.h"
#include "base/mem.h"
#include "base/ts.h"
#include "core/ctx.h"
#include "core/mask.h"
#include "core/org.h"
#include "store/store.h"

bool authz_op_allowed(const struct ctx *ctx, const struct op_def *op)
{
	if (ctx->actor.read_only && (op->audit == OPA_WRITE || op->audit == OPA_STAGE))
		return false;
	switch (op->perm) {
	case PERM_ANY:
	case PERM_PEOPLE_SCOPED:
		return ctx->actor.nroles > 0 || ctx->actor.person_id;
	case PERM_ADMIN:
		return actor_has_role(&ctx->actor, ROLE_ADMIN);
	case PERM_UNSET:
		break;
	}
	BUG("operation %s has no permission", op->name);
}

int authz_check_op(struct ctx *ctx, const struct op_def *op, struct error *err)
{
	if (authz_op_allowed(ctx, op))
		return 0;
	if (ctx->actor.read_only && (op->audit == OPA_WRITE || op->audit == OPA_STAGE)) {
		err_set(err, ERR_DENIED, "this token may only read");
		err_detail(err, "%s writes; the token was created with --scope read", op->name);
		ctx_note_denied(ctx, err);
		return ERR_DENIED;
	}
	if (op->perm == PERM_ADMIN) {
		err_set(err, ERR_DENIED, "permission denied: %s needs the admin role", op->name);
		err_detail(err, "user '%s' does not have it", ctx->actor.name);
	} else {
		err_set(err, ERR_DENIED, "permission denied: %s needs a role", op->name);
		err_detail(err, "user '%s' has no roles", ctx->actor.name);
	}
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

/* The current reporting chain under manager m, direct and indirect: a
 * manager stops seeing people who have left, moved away or been merged
 * into another record.  Someone whose
 * end date has passed drops out (with everyone below them) even before
 * the import that closes their reporting line; a cycle's home manager is
 * passed to the review checks on its own (extra_manager). */
/* clang-format off */
static const char sql_chain[] =
        "WITH RECURSIVE chain(id) AS ("
        "  SELECT r.person_id FROM reporting_lines r JOIN people pe ON pe.id = r.person_id"
        "    WHERE r.manager_id = ?"
        "    AND r.valid_from <= ? AND (r.valid_to IS NULL OR r.valid_to > ?)"
        "    AND " ORG_PERSON_CURRENT("pe", "?")
        "  UNION SELECT r.person_id FROM reporting_lines r JOIN chain c ON r.manager_id = c.id"
        "    JOIN people pe ON pe.id = r.person_id"
        "    WHERE r.valid_from <= ? AND (r.valid_to IS NULL OR r.valid_to > ?)"
        "    AND " ORG_PERSON_CURRENT("pe", "?") ")"
        " SELECT id FROM chain";
/* clang-format on */
/* How many times sql_chain binds the present moment. */
#define CHAIN_NOWS 6

/* Members of team t and its subteams.  A membership counts when it is in
 * effect, or when it is the last one of someone who has left: people
 * partners and leaders keep seeing former members' records (whatever
 * their end date was later corrected to). */
static const char sql_unit[] =
        "WITH RECURSIVE unit(id) AS (SELECT id FROM teams WHERE id = ?"
        "  UNION SELECT t.id FROM teams t JOIN unit u ON t.parent_id = u.id)"
        " SELECT m.person_id FROM team_memberships m JOIN unit u ON m.team_id = u.id"
        " JOIN people pe ON pe.id = m.person_id"
        " WHERE m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to > ? OR"
        "  (pe.end_date IS NOT NULL AND NOT EXISTS (SELECT 1 FROM team_memberships later"
        "   WHERE later.person_id = m.person_id AND later.valid_from > m.valid_from)))";

/* Whether person ?1 is a member of team ?3 or a subteam, by sql_unit's
 * rule: up from the person's memberships, not down the whole unit, so a
 * check per person costs the depth of the tree and not the unit's size
 * (a scoped people partner's cycle create checked 12,500 people against
 * a unit of 12,500 each: 229 s). */
static const char sql_in_unit[] =
        "WITH RECURSIVE up(id) AS (SELECT m.team_id FROM team_memberships m"
        " JOIN people pe ON pe.id = m.person_id"
        " WHERE m.person_id = ?1 AND m.valid_from <= ?2 AND (m.valid_to IS NULL OR"
        "  m.valid_to > ?2 OR (pe.end_date IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
        "  team_memberships later WHERE later.person_id = m.person_id AND"
        "  later.valid_from > m.valid_from)))"
        "  UNION SELECT t.parent_id FROM teams t JOIN up u ON t.id = u.id"
        "  WHERE t.parent_id IS NOT NULL)"
        " SELECT 1 FROM up WHERE id = ?3";

/* Whether person ?1 is in manager ?3's current chain, by sql_chain's rule:
 * up from the person's reporting lines, each step's person current, so a
 * check per person costs the depth of the chain and not the size of
 * everything under the manager. */
/* clang-format off */
static const char sql_in_chain[] =
        "WITH RECURSIVE up(id) AS (SELECT r.manager_id FROM reporting_lines r"
        "  JOIN people pe ON pe.id = r.person_id"
        "  WHERE r.person_id = ?1"
        "  AND r.valid_from <= ?2 AND (r.valid_to IS NULL OR r.valid_to > ?2)"
        "  AND " ORG_PERSON_CURRENT("pe", "?2")
        "  UNION SELECT r.manager_id FROM reporting_lines r JOIN up u ON r.person_id = u.id"
        "    JOIN people pe ON pe.id = r.person_id"
        "    WHERE r.valid_from <= ?2 AND (r.valid_to IS NULL OR r.valid_to > ?2)"
        "    AND " ORG_PERSON_CURRENT("pe", "?2") ")"
        " SELECT 1 FROM up WHERE id = ?3";
/* clang-format on */

/* Whether person_id is under root as of the time at: team root by
 * sql_in_unit, or manager root by sql_in_chain. */
static int is_under_at(struct ctx *ctx, const char *sql, int64_t root, int64_t person_id,
                       int64_t at, bool *yes, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, person_id);
	stmt_bind_int(st, 2, at);
	stmt_bind_int(st, 3, root);
	rc = stmt_step(st, err);
	stmt_reset(st);
	*yes = rc == STORE_ROW;
	return rc < 0 ? rc : 0;
}

/* is_under_at as of now. */
static int is_under(struct ctx *ctx, const char *sql, int64_t root, int64_t person_id, bool *yes,
                    struct error *err)
{
	return is_under_at(ctx, sql, root, person_id, ts_now_ms(), yes, err);
}

/* Whether person_id is in manager's reporting chain for review content: the
 * current chain, or for someone who has left (end date passed, not merged
 * into another record), the chain as of their last moment with the org.  A
 * leaver's review records stay their managers' to read, as the cycle's home
 * manager's (found hunting: a skip-level leader was refused a leaver's score
 * and packet while the home manager kept them). */
static int in_review_chain(struct ctx *ctx, int64_t manager, int64_t person_id, bool *yes,
                           struct error *err)
{
	int rc = is_under(ctx, sql_in_chain, manager, person_id, yes, err);
	if (rc < 0 || *yes)
		return rc;
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "SELECT p.end_date FROM people p WHERE p.id = ?1"
	                   " AND p.end_date IS NOT NULL AND p.end_date <= ?2"
	                   " AND NOT EXISTS (SELECT 1 FROM person_merges pm"
	                   "  WHERE pm.from_person_id = p.id)",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, person_id);
	stmt_bind_int(st, 2, ts_now_ms());
	rc = stmt_step(st, err);
	int64_t left = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : 0;
	return is_under_at(ctx, sql_in_chain, manager, person_id, left - 1, yes, err);
}

static int collect(struct ctx *ctx, const char *sql, int64_t root, int nnow, struct hmap *into,
                   struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	int64_t now = ts_now_ms();
	stmt_bind_int(st, 1, root);
	for (int i = 0; i < nnow; i++)
		stmt_bind_int(st, 2 + i, now);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		char key[24];
		snprintf(key, sizeof key, "%" PRId64, stmt_int(st, 0));
		hmap_put(into, key, 1);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int authz_unit_members(struct ctx *ctx, int64_t team_id, struct hmap *into, struct error *err)
{
	return collect(ctx, sql_unit, team_id, 2, into, err);
}

int authz_visible_people(struct ctx *ctx, bool *all, struct hmap *visible, struct error *err)
{
	const struct actor *a = &ctx->actor;
	*all = false;
	int rc = 0;
	for (int i = 0; i < a->nroles && rc == 0; i++) {
		const struct actor_role *r = &a->roles[i];
		switch (r->role) {
		case ROLE_ADMIN:
			*all = true;
			return 0;
		case ROLE_PEOPLE_PARTNER:
		case ROLE_LEADER:
			if (!r->team_id) {
				*all = true;
				return 0;
			}
			rc = collect(ctx, sql_unit, r->team_id, 2, visible, err);
			if (rc == 0 && r->role == ROLE_LEADER && a->person_id)
				rc = collect(ctx, sql_chain, a->person_id, CHAIN_NOWS, visible,
				             err);
			break;
		case ROLE_MANAGER:
			if (a->person_id)
				rc = collect(ctx, sql_chain, a->person_id, CHAIN_NOWS, visible,
				             err);
			break;
		case ROLE_EMPLOYEE:
		case ROLE_ANALYST: /* aggregates only: no one else's record */
		case ROLE_COUNT_:
			break;
		}
	}
	/* The actor's own records, also those merged into theirs, as
	 * may_see_person has them. */
	int64_t *mine = NULL;
	size_t nmine = 0;
	if (rc == 0)
		rc = authz_actor_records(ctx, &mine, &nmine, err);
	for (size_t i = 0; rc == 0 && i < nmine; i++) {
		char key[24];
		snprintf(key, sizeof key, "%" PRId64, mine[i]);
		hmap_put(visible, key, 1);
	}
	return rc;
}

/* authz_visible_people's rule for one person, walking up from them: a
 * per-person check costs the depth of the org, not the actor's scope. */
static int may_see_person(struct ctx *ctx, int64_t person_id, bool *yes, struct error *err)
{
	const struct actor *a = &ctx->actor;
	*yes = person_id && a->person_id == person_id;
	int rc = 0;
	for (int i = 0; i < a->nroles && rc == 0 && !*yes; i++) {
		const struct actor_role *r = &a->roles[i];
		switch (r->role) {
		case ROLE_ADMIN:
			*yes = true;
			break;
		case ROLE_PEOPLE_PARTNER:
		case ROLE_LEADER:
			if (!r->team_id) {
				*yes = true;
				break;
			}
			rc = is_under(ctx, sql_in_unit, r->team_id, person_id, yes, err);
			if (rc == 0 && !*yes && r->role == ROLE_LEADER && a->person_id)
				rc = is_under(ctx, sql_in_chain, a->person_id, person_id, yes, err);
			break;
		case ROLE_MANAGER:
			if (a->person_id)
				rc = is_under(ctx, sql_in_chain, a->person_id, person_id, yes, err);
			break;
		case ROLE_EMPLOYEE:
		case ROLE_ANALYST: /* aggregates only: no one else's record */
		case ROLE_COUNT_:
			break;
		}
	}
	/* A record merged into the actor's is their own, as cycles hold it
	 * (authz_actor_records; found in review: an analyst was refused their
	 * former record).  Asked last: it costs a query. */
	if (rc == 0 && !*yes)
		rc = authz_is_actor_record(ctx, person_id, yes, err);
	return rc;
}

int authz_may_see_person(struct ctx *ctx, int64_t person_id, bool *yes, struct error *err)
{
	return may_see_person(ctx, person_id, yes, err);
}

/* ERR_DENIED naming name unless the actor may see person_id; name_is_person:
 * name says who, which an analyst is not told. */
static int require_person(struct ctx *ctx, int64_t person_id, const char *name, bool name_is_person,
                          struct error *err)
{
	bool ok = false;
	int rc = may_see_person(ctx, person_id, &ok, err);
	if (rc < 0)
		return rc;
	if (!ok) {
		/* An analyst sees pseudonyms only: the refusal must not name who. */
		if (name_is_person && mask_people(ctx))
			err_set(err, ERR_DENIED,
			        "permission denied: that person is outside your scope");
		else
			err_set(err, ERR_DENIED, "permission denied: %s is outside your scope",
			        name);
		err_detail(err, "user '%s' may see only the people their roles cover",
		           ctx->actor.name);
		ctx_note_denied(ctx, err);
		return ERR_DENIED;
	}
	return 0;
}

int authz_require_person(struct ctx *ctx, int64_t person_id, const char *employee_id,
                         struct error *err)
{
	return require_person(ctx, person_id, employee_id, true, err);
}

int authz_require_record(struct ctx *ctx, int64_t person_id, const char *what, struct error *err)
{
	return require_person(ctx, person_id, what, false, err);
}

int authz_unknown_person(struct ctx *ctx, const char *employee_id, struct error *err)
{
	int rc = authz_require_person(ctx, 0, employee_id, err);
	if (rc < 0)
		return rc;
	return err_set(err, ERR_NOT_FOUND, "no person has employee id '%s'", employee_id);
}

int authz_partner_of_team(struct ctx *ctx, int64_t team_id, bool *yes, struct error *err)
{
	const struct actor *a = &ctx->actor;
	*yes = false;
	for (int i = 0; i < a->nroles && !*yes; i++) {
		const struct actor_role *r = &a->roles[i];
		if (r->role != ROLE_PEOPLE_PARTNER)
			continue;
		if (!r->team_id) {
			*yes = true;
			break;
		}
		struct store_stmt *st;
		int rc = store_prepare(
		        ctx->store,
		        "WITH RECURSIVE up(id) AS (SELECT id FROM teams WHERE id = ?"
		        "  UNION SELECT t.parent_id FROM teams t JOIN up u ON t.id = u.id"
		        "  WHERE t.parent_id IS NOT NULL)"
		        " SELECT 1 FROM up WHERE id = ?",
		        &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_int(st, 1, team_id);
		stmt_bind_int(st, 2, r->team_id);
		rc = stmt_step(st, err);
		stmt_reset(st);
		if (rc < 0)
			return rc;
		*yes = rc == STORE_ROW;
	}
	return 0;
}

/* Whether person merge folded record from into record into. */
static int merged_into(struct ctx *ctx, int64_t from, int64_t into, bool *yes, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT 1 FROM person_merges WHERE from_person_id = ? AND "
	                       "into_person_id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, from);
	stmt_bind_int(st, 2, into);
	rc = stmt_step(st, err);
	stmt_reset(st);
	*yes = rc == STORE_ROW;
	return rc < 0 ? rc : 0;
}

/* Whether records a and b are one human's: the same record, or one merged
 * into the other, or both into a third (person merge keeps person_merges
 * one step deep). */
static int one_human(struct ctx *ctx, int64_t a, int64_t b, bool *yes, struct error *err)
{
	*yes = a == b;
	if (*yes)
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT 1 WHERE " ORG_HUMAN("?1") " = " ORG_HUMAN("?2"),
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a);
	stmt_bind_int(st, 2, b);
	rc = stmt_step(st, err);
	stmt_reset(st);
	*yes = rc == STORE_ROW;
	return rc < 0 ? rc : 0;
}

int authz_is_actor_record(struct ctx *ctx, int64_t person_id, bool *yes, struct error *err)
{
	const struct actor *a = &ctx->actor;
	*yes = a->person_id && a->person_id == person_id;
	if (*yes || !a->person_id || !person_id)
		return 0;
	return merged_into(ctx, person_id, a->person_id, yes, err);
}

int authz_actor_records(struct ctx *ctx, int64_t **ids, size_t *n, struct error *err)
{
	*ids = NULL;
	*n = 0;
	int64_t me = ctx->actor.person_id;
	if (!me)
		return 0;
	size_t alloc = 0;
	*ids = arena_grow(ctx->arena, *ids, *n, &alloc, sizeof **ids);
	(*ids)[(*n)++] = me;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT from_person_id FROM person_merges WHERE into_person_id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, me);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*ids = arena_grow(ctx->arena, *ids, *n, &alloc, sizeof **ids);
		(*ids)[(*n)++] = stmt_int(st, 0);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int authz_review_relation(struct ctx *ctx, int64_t person_id, int64_t extra_manager,
                          enum authz_review *out, struct error *err)
{
	const struct actor *a = &ctx->actor;
	*out = AUTHZ_REVIEW_NONE;
	/* About yourself you are only ever the person, whatever else you are:
	 * also about a record merged into yours (found hunting packets: a
	 * rehired human, people partner of their old record's unit, read who
	 * wrote their own peer feedback; and in review: without a grant on the
	 * old record, its feedback was outside their scope, while me export
	 * gave it). */
	bool self = false;
	int rc = authz_is_actor_record(ctx, person_id, &self, err);
	if (rc < 0 || self) {
		*out = self ? AUTHZ_REVIEW_SELF : AUTHZ_REVIEW_NONE;
		return rc;
	}
	for (int i = 0; i < a->nroles && rc == 0; i++) {
		const struct actor_role *r = &a->roles[i];
		if (r->role != ROLE_PEOPLE_PARTNER)
			continue;
		if (!r->team_id) {
			*out = AUTHZ_REVIEW_PEOPLE_PARTNER;
			break;
		}
		bool yes = false;
		rc = is_under(ctx, sql_in_unit, r->team_id, person_id, &yes, err);
		if (rc == 0 && yes)
			*out = AUTHZ_REVIEW_PEOPLE_PARTNER;
	}
	if (rc == 0 && *out == AUTHZ_REVIEW_NONE && a->person_id) {
		if (a->person_id == extra_manager) {
			*out = AUTHZ_REVIEW_MANAGER;
		} else if (actor_has_role(a, ROLE_MANAGER) || actor_has_role(a, ROLE_LEADER)) {
			bool yes = false;
			rc = in_review_chain(ctx, a->person_id, person_id, &yes, err);
			if (rc == 0 && yes)
				*out = AUTHZ_REVIEW_MANAGER;
		}
		if (rc == 0 && *out == AUTHZ_REVIEW_NONE && extra_manager) {
			bool actor = false;
			rc = authz_is_actor_record(ctx, extra_manager, &actor, err);
			if (rc == 0 && actor)
				*out = AUTHZ_REVIEW_MANAGER;
		}
	}
	return rc;
}

int authz_review_reader(struct ctx *ctx, int64_t reader, int64_t person_id, int64_t extra_manager,
                        enum authz_review *out, struct error *err)
{
	*out = AUTHZ_REVIEW_NONE;
	/* Two records person merge made one human are that person (found
	 * hunting merges: the human was named a peer of their own earlier
	 * record, and wrote peer feedback about themselves). */
	bool self = false;
	int rc = one_human(ctx, reader, person_id, &self, err);
	if (rc < 0 || self) {
		*out = self ? AUTHZ_REVIEW_SELF : AUTHZ_REVIEW_NONE;
		return rc;
	}
	/* The people-partner units of the reader's users who can act, read out
	 * before the unit queries run.  A disabled user's roles read nothing,
	 * and never will: user add enables a user afresh, without them (found
	 * by naming a rehired former people partner, user still disabled, as a
	 * reviewer in their old unit: refused as a reader). */
	struct store_stmt *st;
	rc = store_prepare(
	        ctx->store,
	        "SELECT r.team_id FROM user_roles r JOIN users u ON u.id = r.user_id "
	        "WHERE u.person_id = ?1 AND r.role = ?2 AND " ACTOR_USER_CAN_ACT("u", "?3"),
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, reader);
	stmt_bind_text(st, 2, role_name(ROLE_PEOPLE_PARTNER));
	stmt_bind_int(st, 3, ts_now_ms());
	int64_t *units = NULL;
	size_t nunits = 0, alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		if (stmt_is_null(st, 0)) {
			*out = AUTHZ_REVIEW_PEOPLE_PARTNER;
			continue;
		}
		units = arena_grow(ctx->arena, units, nunits, &alloc, sizeof *units);
		units[nunits++] = stmt_int(st, 0);
	}
	stmt_reset(st);
	if (rc < 0 || *out)
		return rc < 0 ? rc : 0;
	rc = 0;
	for (size_t i = 0; i < nunits && rc == 0 && !*out; i++) {
		bool yes = false;
		rc = is_under(ctx, sql_in_unit, units[i], person_id, &yes, err);
		if (rc == 0 && yes)
			*out = AUTHZ_REVIEW_PEOPLE_PARTNER;
	}
	if (rc == 0 && !*out) {
		bool yes = reader == extra_manager;
		if (!yes)
			rc = in_review_chain(ctx, reader, person_id, &yes, err);
		/* A home manager merged into the reader since reads as the
		 * reader does (authz_review_relation; found in review: they
		 * wrote in a group they then read as its manager). */
		if (rc == 0 && !yes && extra_manager)
			rc = merged_into(ctx, extra_manager, reader, &yes, err);
		if (rc == 0 && yes)
			*out = AUTHZ_REVIEW_MANAGER;
	}
	return rc;
}
