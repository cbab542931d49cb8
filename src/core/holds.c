/* holds: legal holds, placed and released with audit entries; who may, decided here. */
#include "core/holds.h"

#include <inttypes.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/actor.h"
#include "core/audit.h"
#include "core/authz.h"
#include "core/ctx.h"
#include "core/org.h"
#include "core/policy.h"
#include "store/store.h"

/* The people the actor may place holds on: *all, or their ids in `in`. */
static int holdable_people(struct ctx *ctx, bool *all, struct hmap *in, struct error *err)
{
	const struct actor *a = &ctx->actor;
	*all = actor_has_role(a, ROLE_ADMIN);
	for (int i = 0; i < a->nroles && !*all; i++) {
		if (a->roles[i].role != ROLE_PEOPLE_PARTNER)
			continue;
		if (!a->roles[i].team_id) {
			*all = true;
			break;
		}
		int rc = authz_unit_members(ctx, a->roles[i].team_id, in, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int denied(struct ctx *ctx, struct error *err, const char *what)
{
	err_set(err, ERR_DENIED, "permission denied: %s", what);
	err_detail(err,
	           "user '%s' may not; legal holds are placed and released by admins, and "
	           "by people partners on the people in their org units",
	           ctx->actor.name);
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

/* Every record of the human person_id is a record of (HOLDS_RECORDS_OF),
 * in *ids (ctx->arena). */
static int human_records(struct ctx *ctx, int64_t person_id, int64_t **ids, size_t *n,
                         struct error *err)
{
	*ids = NULL;
	*n = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, HOLDS_RECORDS_OF("CAST(?1 AS BIGINT)"), &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, person_id);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*ids = arena_grow(ctx->arena, *ids, *n, &alloc, sizeof **ids);
		(*ids)[(*n)++] = stmt_int(st, 0);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* What a people partner may know of holds by: the people in their units
 * (*all, or `in`) and their own records (theirs and those merged into it). */
struct hold_scope {
	bool all;
	struct hmap in;
	int64_t *own;
	size_t nown;
};

static int scope_load(struct ctx *ctx, struct hold_scope *s, struct error *err)
{
	s->all = false;
	s->own = NULL;
	s->nown = 0;
	hmap_init(&s->in);
	int rc = holdable_people(ctx, &s->all, &s->in, err);
	if (rc == 0)
		rc = authz_actor_records(ctx, &s->own, &s->nown, err);
	return rc;
}

/* Why a people partner with scope s may not know of, place or release a
 * hold on person_id: *why NULL when they may, *self when it is theirs.  A
 * hold covers every record of the human (HOLDS_HELD_RECORDS), so each of
 * them must be in their units and none theirs (found hunting: a hold on a
 * record outside their units, merged into one inside, was told them by a
 * consent withdrawal while hold list left it out). */
static int scope_refusal(struct ctx *ctx, const struct hold_scope *s, int64_t person_id,
                         const char *label, const char **why, bool *self, struct error *err)
{
	*why = NULL;
	*self = false;
	int64_t *records;
	size_t n;
	int rc = human_records(ctx, person_id, &records, &n, err);
	if (rc < 0)
		return rc;
	bool named_outside = false, other_outside = false;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < s->nown && !*self; k++)
			*self = s->own[k] == records[i];
		char key[24];
		snprintf(key, sizeof key, "%" PRId64, records[i]);
		if (!s->all && !hmap_get(&s->in, key, NULL)) {
			named_outside = named_outside || records[i] == person_id;
			other_outside = other_outside || records[i] != person_id;
		}
	}
	if (*self)
		*why = actor_has_role(&ctx->actor, ROLE_ADMIN)
		               ? "a hold on yourself needs another admin"
		               : "a hold on yourself needs an admin";
	else if (named_outside)
		*why = arena_printf(ctx->arena, "%s is outside your org units", label);
	else if (other_outside)
		*why = arena_printf(ctx->arena,
		                    "%s is one person with a record outside your org units "
		                    "(person merge)",
		                    label);
	return 0;
}

/* Whether the actor's roles alone decide a hold on person_id (0: a
 * category hold): true with *why NULL when they may (an admin), or why not;
 * false when a people partner's org units decide. */
static bool decided_by_role(struct ctx *ctx, int64_t person_id, const char **why)
{
	*why = NULL;
	if (actor_has_role(&ctx->actor, ROLE_ADMIN))
		return true;
	if (!actor_has_role(&ctx->actor, ROLE_PEOPLE_PARTNER)) {
		*why = "legal holds need the admin or people-partner role";
		return true;
	}
	if (!person_id) {
		*why = "a category hold needs the admin role";
		return true;
	}
	return false;
}

/* Why a people partner with scope s may not place, release or know of a
 * hold on person_id (-1: no such person), as scope_refusal says. */
static int scope_decide(struct ctx *ctx, const struct hold_scope *s, int64_t person_id,
                        const char *label, const char **why, bool *self, struct error *err)
{
	if (person_id > 0)
		return scope_refusal(ctx, s, person_id, label, why, self, err);
	if (!s->all)
		*why = arena_printf(ctx->arena, "%s is outside your org units", label);
	return 0;
}

/* Why the actor may not place, release or know of a hold on person_id (0:
 * a category hold; -1: no such person): *why NULL when they may, *self
 * when the hold would be on the actor's own data.  An admin may not place
 * or release one on themselves either (found in fix-govern3: one who is
 * also a person held or released their own data); knowing of it is
 * holds_visible_tx's, which asks decided_by_role alone. */
static int hold_refusal(struct ctx *ctx, int64_t person_id, const char *label, const char **why,
                        bool *self, struct error *err)
{
	*self = false;
	if (decided_by_role(ctx, person_id, why) &&
	    (*why || person_id <= 0 || !actor_has_role(&ctx->actor, ROLE_ADMIN)))
		return 0;
	struct hold_scope s;
	int rc = scope_load(ctx, &s, err);
	if (rc == 0)
		rc = scope_decide(ctx, &s, person_id, label, why, self, err);
	hmap_release(&s.in);
	return rc;
}

/* May the actor place or release a hold on person_id (0: a category hold)? */
static int may_hold(struct ctx *ctx, int64_t person_id, const char *label, struct error *err)
{
	const char *why;
	bool self;
	int rc = hold_refusal(ctx, person_id, label, &why, &self, err);
	if (rc < 0)
		return rc;
	return why ? denied(ctx, err, why) : 0;
}

static int check_reason(const char *reason, const char *option, struct error *err)
{
	if (!reason || !*reason || strspn(reason, " \t") == strlen(reason)) {
		err_set(err, ERR_USAGE, "%s: a reason is required", option);
		err_hint(err, "say why, for example the case or ticket the hold is for");
		return ERR_USAGE;
	}
	if (!org_valid_text(reason, HOLD_REASON_MAX)) {
		err_set(err, ERR_USAGE, "%s: the reason must be one line of text", option);
		err_detail(err, "up to %d bytes of UTF-8 without control characters",
		           HOLD_REASON_MAX);
		return ERR_USAGE;
	}
	return 0;
}

static int record(struct ctx *ctx, const char *action, int64_t id, const char *employee_id,
                  const char *category, const char *reason, struct error *err)
{
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	if (employee_id)
		jw_kstr(&w, "person", employee_id);
	if (category)
		jw_kstr(&w, "category", category);
	jw_kstr(&w, "reason", reason);
	jw_object_end(&w);
	char object[24];
	snprintf(object, sizeof object, "%" PRId64, id);
	int rc = audit_append(ctx, action, "hold", object, detail.buf, err);
	sb_release(&detail);
	return rc;
}

struct add_args {
	const char *employee_id, *category, *reason;
	int64_t *id;
};

static int add_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct add_args *a = arg;
	int64_t person_id = 0;
	int rc;
	if (a->employee_id) {
		bool found = false;
		struct store_stmt *st;
		if ((rc = store_prepare(ctx->store, "SELECT id FROM people WHERE employee_id = ?1",
		                        &st, err)) < 0)
			return rc;
		stmt_bind_text(st, 1, a->employee_id);
		rc = stmt_step(st, err);
		found = rc == STORE_ROW;
		person_id = found ? stmt_int(st, 0) : 0;
		stmt_reset(st);
		if (rc < 0)
			return rc;
		if (!found) {
			/* A people partner learns nothing about who exists outside their units. */
			if ((rc = may_hold(ctx, -1, a->employee_id, err)) < 0)
				return rc;
			err_set(err, ERR_NOT_FOUND, "no person with employee id %s",
			        a->employee_id);
			return ERR_NOT_FOUND;
		}
	}
	if ((rc = may_hold(ctx, person_id, a->employee_id ? a->employee_id : a->category, err)) < 0)
		return rc;
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "INSERT INTO legal_holds(person_id, category, reason, created_at, "
	                   "created_by) VALUES (?, ?, ?, ?, ?) RETURNING id",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_opt_int(st, 1, person_id, person_id != 0);
	stmt_bind_text(st, 2, a->category);
	stmt_bind_text(st, 3, a->reason);
	stmt_bind_int(st, 4, ts_clock_ms());
	stmt_bind_text(st, 5, ctx->actor.name);
	rc = stmt_step(st, err);
	*a->id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	return record(ctx, "hold.add", *a->id, a->employee_id, a->category, a->reason, err);
}

int hold_add(struct ctx *ctx, const char *employee_id, const char *category, const char *reason,
             int64_t *id, struct error *err)
{
	*id = 0;
	if ((employee_id != NULL) == (category != NULL)) {
		err_set(err, ERR_USAGE, "give either --person or --category, not %s",
		        employee_id ? "both" : "neither");
		err_hint(err, "a hold covers one person's data or one whole data category");
		return ERR_USAGE;
	}
	if (employee_id && (!*employee_id || !org_valid_text(employee_id, ORG_TEXT_MAX))) {
		err_set(err, ERR_USAGE, "--person: '%s' is not an employee id", employee_id);
		return ERR_USAGE;
	}
	if (category && policy_category_parse(category) < 0) {
		struct sb names = SB_INIT;
		for (int c = 0; c < POLICY_CAT_COUNT_; c++)
			sb_printf(&names, "%s%s", c ? ", " : "",
			          policy_category_name((enum policy_category)c));
		err_set(err, ERR_USAGE, "--category: unknown data category '%s'", category);
		err_hint(err, "the categories are %s", names.buf);
		sb_release(&names);
		return ERR_USAGE;
	}
	int rc = check_reason(reason, "--reason", err);
	if (rc < 0)
		return rc;
	struct add_args a = {employee_id, category, reason, id};
	return ctx_run(ctx, OP_HOLD_ADD, add_body, &a, err);
}

struct list_args {
	bool include_released;
	struct hold **out;
	size_t *n;
};

static int list_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct list_args *a = arg;
	*a->out = NULL;
	*a->n = 0;
	bool admin = actor_has_role(&ctx->actor, ROLE_ADMIN);
	if (!admin && !actor_has_role(&ctx->actor, ROLE_PEOPLE_PARTNER))
		return denied(ctx, err, "legal holds need the admin or people-partner role");
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT h.id, p.id, p.employee_id, p.name, h.category, h.reason, "
	                       "h.created_at, h.created_by, h.released_at, h.released_by, "
	                       "h.release_reason FROM legal_holds h "
	                       "LEFT JOIN people p ON p.id = h.person_id "
	                       "WHERE ?1 = 1 OR h.released_at IS NULL ORDER BY h.id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->include_released);
	int64_t *person = NULL; /* the record each hold is on; 0: a category hold */
	size_t alloc = 0, alloc_person = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		person = arena_grow(ctx->arena, person, *a->n, &alloc_person, sizeof *person);
		person[*a->n] = stmt_is_null(st, 1) ? 0 : stmt_int(st, 1);
		*a->out = arena_grow(ctx->arena, *a->out, *a->n, &alloc, sizeof **a->out);
		struct hold *h = &(*a->out)[(*a->n)++];
		h->id = stmt_int(st, 0);
		h->employee_id = stmt_text_dup(st, 2, ctx->arena);
		h->person_name = stmt_text_dup(st, 3, ctx->arena);
		h->category = stmt_text_dup(st, 4, ctx->arena);
		h->reason = stmt_text_dup(st, 5, ctx->arena);
		h->created_at = stmt_int(st, 6);
		h->created_by = stmt_text_dup(st, 7, ctx->arena);
		h->released_at = stmt_is_null(st, 8) ? 0 : stmt_int(st, 8);
		h->released_by = stmt_text_dup(st, 9, ctx->arena);
		h->release_reason = stmt_text_dup(st, 10, ctx->arena);
	}
	stmt_reset(st);
	if (rc < 0 || admin)
		return rc < 0 ? rc : 0;
	/* A people partner sees the person holds hold add and release would
	 * let them place and release (scope_refusal), whether their role
	 * covers some units or all of them (found hunting: one whose role
	 * covers the whole organization was shown a hold on themselves);
	 * asked once the statement is done, as it reads other tables. */
	struct hold_scope scope;
	rc = scope_load(ctx, &scope, err);
	size_t kept = 0;
	for (size_t i = 0; rc == 0 && i < *a->n; i++) {
		const char *why = NULL;
		bool self;
		if (person[i])
			rc = scope_refusal(ctx, &scope, person[i], "", &why, &self, err);
		if (rc == 0 && !why)
			(*a->out)[kept++] = (*a->out)[i];
	}
	hmap_release(&scope.in);
	*a->n = rc < 0 ? 0 : kept;
	return rc < 0 ? rc : 0;
}

int hold_list(struct ctx *ctx, bool include_released, struct hold **out, size_t *n,
              struct error *err)
{
	struct list_args a = {include_released, out, n};
	return ctx_run(ctx, OP_HOLD_LIST, list_body, &a, err);
}

struct release_args {
	int64_t id;
	const char *reason;
};

static int release_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct release_args *a = arg;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT h.person_id, p.employee_id, h.category, h.released_at "
	                       "FROM legal_holds h LEFT JOIN people p ON p.id = h.person_id "
	                       "WHERE h.id = ?1",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->id);
	rc = stmt_step(st, err);
	bool found = rc == STORE_ROW;
	int64_t person_id = found && !stmt_is_null(st, 0) ? stmt_int(st, 0) : 0;
	const char *employee_id = found ? stmt_text_dup(st, 1, ctx->arena) : NULL;
	const char *category = found ? stmt_text_dup(st, 2, ctx->arena) : NULL;
	bool released = found && !stmt_is_null(st, 3);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	char label[32];
	snprintf(label, sizeof label, "hold %" PRId64, a->id);
	/* A person hold the actor may not list (a people partner's on
	 * themselves, or on someone any record of whom is outside their
	 * units) is refused as one that does not exist, by its number: naming
	 * whom it is on, or that it is on them, would say it exists (found in
	 * the governance hunt). */
	const char *why = NULL;
	bool self = false;
	if (found && (rc = hold_refusal(ctx, person_id, label, &why, &self, err)) < 0)
		return rc;
	/* An admin lists every hold, one on themselves too: refused as theirs. */
	bool admin_self = self && actor_has_role(&ctx->actor, ROLE_ADMIN);
	if (!found || (person_id && why && !admin_self)) {
		if ((rc = may_hold(ctx, -1, label, err)) < 0)
			return rc;
		err_set(err, ERR_NOT_FOUND, "no legal hold %" PRId64, a->id);
		err_hint(err, "'plumb hold list --all' lists them");
		return ERR_NOT_FOUND;
	}
	if (why)
		return denied(ctx, err, why);
	if (released) {
		err_set(err, ERR_CONFLICT, "legal hold %" PRId64 " is already released", a->id);
		return ERR_CONFLICT;
	}
	rc = store_prepare(ctx->store,
	                   "UPDATE legal_holds SET released_at = ?, released_by = ?, "
	                   "release_reason = ? WHERE id = ? AND released_at IS NULL",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, ts_clock_ms());
	stmt_bind_text(st, 2, ctx->actor.name);
	stmt_bind_text(st, 3, a->reason);
	stmt_bind_int(st, 4, a->id);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	return record(ctx, "hold.release", a->id, employee_id, category, a->reason, err);
}

int hold_release(struct ctx *ctx, int64_t id, const char *reason, struct error *err)
{
	int rc = check_reason(reason, "--reason", err);
	if (rc < 0)
		return rc;
	struct release_args a = {id, reason};
	return ctx_run(ctx, OP_HOLD_RELEASE, release_body, &a, err);
}

int holds_person_held_tx(struct ctx *ctx, int64_t person_id, const char *category, bool *held,
                         struct error *err)
{
	*held = false;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT 1 WHERE " HOLDS_PERSON_HELD(
	                "CAST(?1 AS BIGINT)") " OR EXISTS (SELECT 1 FROM legal_holds h "
	                                      "WHERE h.released_at IS NULL AND "
	                                      "h.category = ?2)",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, person_id);
	stmt_bind_text(st, 2, category);
	rc = stmt_step(st, err);
	*held = rc == STORE_ROW;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int holds_visible_tx(struct ctx *ctx, struct holds_visibility *seen, int64_t person_id,
                     bool *visible, struct error *err)
{
	const char *why;
	bool self = false;
	int rc = 0;
	if (!decided_by_role(ctx, person_id, &why)) {
		/* A people partner's units are read once an operation, not once a
		 * person asked about: a withdrawal asks about every event owner. */
		if (!seen->scope) {
			seen->scope = arena_alloc(ctx->arena, sizeof *seen->scope);
			rc = scope_load(ctx, seen->scope, err);
			if (rc < 0)
				holds_visibility_release(seen);
		}
		if (rc == 0)
			rc = scope_decide(ctx, seen->scope, person_id, "", &why, &self, err);
	}
	*visible = rc == 0 && !why;
	return rc < 0 ? rc : 0;
}

void holds_visibility_release(struct holds_visibility *seen)
{
	if (seen->scope)
		hmap_release(&seen->scope->in);
	seen->scope = NULL;
}
