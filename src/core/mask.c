/* mask: pseudonyms, hidden text and suppressed small aggregates for analysts (see mask.h). */
#include "core/mask.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "base/arena.h"
#include "core/ctx.h"
#include "core/policy.h"
#include "core/pseudonym.h"
#include "store/store.h"

bool mask_people(const struct ctx *ctx)
{
	const struct actor *a = &ctx->actor;
	if (!actor_has_role(a, ROLE_ANALYST))
		return false;
	/* A role that names people wins: its holder sees names in its scope. */
	return !actor_has_role(a, ROLE_ADMIN) && !actor_has_role(a, ROLE_PEOPLE_PARTNER) &&
	       !actor_has_role(a, ROLE_LEADER) && !actor_has_role(a, ROLE_MANAGER);
}

/* The actor's own records by employee id, as authz_actor_records has them:
 * the person their user is and the records person merge folded into it.
 * Kept in the unit's arena, not ctx->arena: a path that swaps in a scratch
 * arena (calsession.c, dashboard.c, metrics.c) destroys it, cache and all,
 * before the operation is over. */
static int load_own(struct ctx *ctx, struct error *err)
{
	if (ctx->own_loaded)
		return 0;
	ctx->own_employee_ids = NULL;
	ctx->nown_employee_ids = 0;
	if (!ctx->actor.person_id) {
		ctx->own_loaded = true;
		return 0;
	}
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT p.employee_id FROM people p WHERE p.id = ?1 OR p.id IN "
	                       "(SELECT m.from_person_id FROM person_merges m WHERE "
	                       "m.into_person_id = ?1)",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, ctx->actor.person_id);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		ctx->own_employee_ids =
		        arena_grow(ctx->unit_arena, ctx->own_employee_ids, ctx->nown_employee_ids,
		                   &alloc, sizeof *ctx->own_employee_ids);
		ctx->own_employee_ids[ctx->nown_employee_ids++] =
		        stmt_text_dup(st, 0, ctx->unit_arena);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	ctx->own_loaded = true;
	return 0;
}

int mask_own_person(struct ctx *ctx, const char *employee_id, bool *own, struct error *err)
{
	*own = false;
	if (!employee_id || !ctx->actor.person_id)
		return 0;
	int rc = load_own(ctx, err);
	for (size_t i = 0; rc == 0 && !*own && i < ctx->nown_employee_ids; i++)
		*own = strcmp(ctx->own_employee_ids[i], employee_id) == 0;
	return rc;
}

int mask_person(struct ctx *ctx, const char *employee_id, const char **out, struct error *err)
{
	*out = employee_id;
	if (!employee_id || !mask_people(ctx))
		return 0;
	bool own;
	int rc = mask_own_person(ctx, employee_id, &own, err);
	if (rc < 0 || own) {
		*out = rc < 0 ? NULL : employee_id;
		return rc;
	}
	char p[PSEUDONYM_TEXT];
	rc = pseudonym_person(ctx, employee_id, p, err);
	*out = rc < 0 ? NULL : arena_strdup(ctx->arena, p);
	return rc;
}

int mask_person_named(struct ctx *ctx, const char **employee_id, const char **name,
                      struct error *err)
{
	const char *shown;
	int rc = mask_person(ctx, *employee_id, &shown, err);
	if (rc == 0 && shown != *employee_id)
		*employee_id = *name = shown;
	return rc;
}

const char *mask_text(const struct ctx *ctx, const char *text)
{
	return mask_people(ctx) ? NULL : text;
}

int mask_account(struct ctx *ctx, const char *system, const char *login, bool bot, const char **out,
                 struct error *err)
{
	*out = login;
	if (!login || bot || !mask_people(ctx))
		return 0;
	char p[PSEUDONYM_TEXT];
	int rc = pseudonym_account(ctx, 0, system ? system : "", login, p, err);
	*out = rc < 0 ? NULL : arena_strdup(ctx->arena, p);
	return rc;
}

int mask_user(struct ctx *ctx, const char *user_name, const char **out, struct error *err)
{
	*out = user_name;
	if (!user_name || !mask_people(ctx))
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT u.person_id, p.employee_id FROM users u LEFT JOIN people p "
	                       "ON p.id = u.person_id WHERE u.name = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, user_name);
	rc = stmt_step(st, err);
	/* Only a user known to have no person is shown as it is, and the
	 * actor's own: the user of their person, whatever its name. */
	bool personless = rc == STORE_ROW && stmt_is_null(st, 0);
	const char *person = rc == STORE_ROW ? stmt_text_dup(st, 1, ctx->arena) : NULL;
	stmt_reset(st);
	bool own = false;
	if (rc >= 0 && !personless)
		rc = mask_own_person(ctx, person, &own, err);
	if (rc < 0 || personless || own)
		return rc < 0 ? rc : 0;
	char p[PSEUDONYM_TEXT];
	rc = pseudonym_person(ctx, user_name, p, err);
	*out = rc < 0 ? NULL : arena_strdup(ctx->arena, p);
	return rc;
}

/* Keys of event attributes whose values name people (the parsers' attrs). */
static const char *const people_keys[] = {"reporter", "by", "commit_authors"};

/* Remove people_keys from every object under item; true when one was. */
static bool strip_people(cJSON *item)
{
	bool changed = false;
	if (cJSON_IsObject(item))
		for (size_t i = 0; i < sizeof people_keys / sizeof *people_keys; i++)
			while (cJSON_GetObjectItemCaseSensitive(item, people_keys[i])) {
				cJSON_DeleteItemFromObjectCaseSensitive(item, people_keys[i]);
				changed = true;
			}
	cJSON *child;
	cJSON_ArrayForEach(child, item)
	{
		if (strip_people(child))
			changed = true;
	}
	return changed;
}

const char *mask_attrs_strip_people(struct arena *a, const char *attrs)
{
	if (!attrs)
		return NULL;
	cJSON *root = cJSON_Parse(attrs);
	const char *out = NULL;
	if (cJSON_IsObject(root)) {
		out = attrs;
		if (strip_people(root)) {
			char *text = cJSON_PrintUnformatted(root);
			out = text ? arena_strdup(a, text) : NULL;
			cJSON_free(text);
		}
	}
	cJSON_Delete(root);
	return out;
}

int mask_min_people(struct ctx *ctx, int *min, struct error *err)
{
	const struct policy *pol;
	int rc = policy_load(ctx, &pol, err);
	*min = rc == 0 ? pol->min_aggregate_people : 0;
	return rc;
}

/* Distinct people with events in a scope and period, counted up to a
 * limit (enough to know the aggregate may be shown). */
static const char sql_org[] =
        "SELECT COUNT(*) FROM (SELECT DISTINCT e.person_id FROM events e"
        " WHERE e.person_id IS NOT NULL AND e.occurred_at >= ?1 AND e.occurred_at < ?2"
        " AND ?3 = ?3 LIMIT ?4) x";
static const char sql_team[] =
        "WITH RECURSIVE unit(id) AS (SELECT id FROM teams WHERE id = ?3"
        "  UNION SELECT t.id FROM teams t JOIN unit u ON t.parent_id = u.id)"
        " SELECT COUNT(*) FROM (SELECT DISTINCT e.person_id FROM events e"
        " WHERE e.person_id IS NOT NULL AND e.occurred_at >= ?1 AND e.occurred_at < ?2"
        " AND e.team_id IN (SELECT id FROM unit) LIMIT ?4) x";
static const char sql_service[] =
        "SELECT COUNT(*) FROM (SELECT DISTINCT e.person_id FROM events e"
        " WHERE e.person_id IS NOT NULL AND e.occurred_at >= ?1 AND e.occurred_at < ?2"
        " AND e.service_id = ?3 LIMIT ?4) x";

int mask_aggregate(struct ctx *ctx, const char *scope, int64_t scope_id, int64_t from, int64_t to,
                   const char **reason, struct error *err)
{
	*reason = NULL;
	if (!mask_people(ctx))
		return 0;
	int min;
	int rc = mask_min_people(ctx, &min, err);
	if (rc < 0 || min <= 1)
		return rc;
	const char *sql = !strcmp(scope, "team")      ? sql_team
	                  : !strcmp(scope, "service") ? sql_service
	                                              : sql_org;
	struct store_stmt *st;
	if ((rc = store_prepare(ctx->store, sql, &st, err)) < 0)
		return rc;
	stmt_bind_int(st, 1, from);
	stmt_bind_int(st, 2, to);
	stmt_bind_int(st, 3, scope_id);
	stmt_bind_int(st, 4, min);
	rc = stmt_step(st, err);
	int64_t people = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (people < min)
		*reason = arena_printf(ctx->arena,
		                       "covers fewer than %d people: suppressed for analysts "
		                       "(policy min_aggregate_people)",
		                       min);
	return 0;
}
