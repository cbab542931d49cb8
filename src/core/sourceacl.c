/* sourceacl: who may read the individual-level events of which source. */
#include "core/sourceacl.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/actor.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/org.h"
#include "core/policy.h"
#include "store/store.h"

int sourceacl_no_source(const char *name, struct error *err)
{
	err_set(err, ERR_NOT_FOUND, "no source '%s'", name);
	err_hint(err,
	         "configure it with 'plumb source add KIND --name %s ...'; "
	         "'plumb source list' shows the sources",
	         name);
	return ERR_NOT_FOUND;
}

#define MAX_UNITS 64

struct acl_source {
	int64_t id, owner;
	int64_t *readers;
	size_t nreaders;
};

struct sourceacl {
	bool all;         /* admin or an org-wide role */
	int64_t self;     /* the actor's person */
	int64_t *team_id; /* teams and their parents, sorted by id */
	int64_t *parent;
	size_t nteams;
	int64_t units[MAX_UNITS]; /* the actor's org units */
	size_t nunits;
	struct acl_source *sources; /* sorted by id */
	size_t nsources;
};

static int64_t parent_of(const struct sourceacl *acl, int64_t team)
{
	size_t lo = 0, hi = acl->nteams;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (acl->team_id[mid] < team)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < acl->nteams && acl->team_id[lo] == team ? acl->parent[lo] : 0;
}

/* Whether team lies in unit (unit itself or one of its subteams). */
static bool within(const struct sourceacl *acl, int64_t team, int64_t unit)
{
	for (size_t depth = 0; team && depth <= acl->nteams; depth++) {
		if (team == unit)
			return true;
		team = parent_of(acl, team);
	}
	return false;
}

static const struct acl_source *source_of(const struct sourceacl *acl, int64_t id)
{
	for (size_t i = 0; i < acl->nsources; i++)
		if (acl->sources[i].id == id)
			return &acl->sources[i];
	return NULL;
}

bool sourceacl_individual_ok(const struct sourceacl *acl, int64_t source_id, int64_t person_id)
{
	if (acl->all || (person_id && person_id == acl->self))
		return true;
	const struct acl_source *s = source_of(acl, source_id);
	if (!s || !s->owner)
		return true;
	for (size_t u = 0; u < acl->nunits; u++) {
		int64_t unit = acl->units[u];
		if (within(acl, unit, s->owner) || within(acl, s->owner, unit))
			return true;
		for (size_t r = 0; r < s->nreaders; r++)
			if (within(acl, unit, s->readers[r]))
				return true;
	}
	return false;
}

int64_t *sourceacl_withheld(const struct sourceacl *acl, int64_t person_id, struct arena *a,
                            size_t *n)
{
	int64_t *ids = NULL;
	size_t alloc = 0;
	*n = 0;
	for (size_t i = 0; i < acl->nsources; i++) {
		if (sourceacl_individual_ok(acl, acl->sources[i].id, person_id))
			continue;
		ids = arena_grow(a, ids, *n, &alloc, sizeof *ids);
		ids[(*n)++] = acl->sources[i].id;
	}
	return ids;
}

static void add_unit(struct sourceacl *acl, int64_t team)
{
	for (size_t i = 0; i < acl->nunits; i++)
		if (acl->units[i] == team)
			return;
	if (acl->nunits < MAX_UNITS)
		acl->units[acl->nunits++] = team;
}

/* The team a centralized policy gives every source (*central 0 under a
 * federated one): one answer for who reads and who decides. */
static int central_owner(struct ctx *ctx, int64_t *central, struct error *err)
{
	*central = 0;
	const struct policy *pol;
	int rc = policy_load(ctx, &pol, err);
	if (rc == 0 && !pol->federated)
		rc = org_team_id(ctx, pol->central_owner, central, err);
	return rc;
}

int sourceacl_load(struct ctx *ctx, struct sourceacl **out, struct error *err)
{
	struct arena *ar = ctx->arena;
	struct sourceacl *acl = arena_alloc(ar, sizeof *acl);
	const struct actor *a = &ctx->actor;
	acl->self = a->person_id;
	for (int i = 0; i < a->nroles; i++) {
		const struct actor_role *r = &a->roles[i];
		if (r->role == ROLE_ADMIN ||
		    ((r->role == ROLE_PEOPLE_PARTNER || r->role == ROLE_LEADER) && !r->team_id))
			acl->all = true;
		else if (r->team_id)
			add_unit(acl, r->team_id);
	}
	*out = acl;
	if (acl->all)
		return 0;
	int64_t central;
	int rc = central_owner(ctx, &central, err);
	struct store_stmt *st = NULL;
	size_t alloc = 0;
	if (rc == 0)
		rc = store_prepare(ctx->store,
		                   "SELECT id, COALESCE(parent_id, 0) FROM teams ORDER BY id", &st,
		                   err);
	while (rc >= 0 && (rc = stmt_step(st, err)) == STORE_ROW) {
		size_t n = acl->nteams, a2 = alloc;
		acl->team_id = arena_grow(ar, acl->team_id, n, &a2, sizeof *acl->team_id);
		acl->parent = arena_grow(ar, acl->parent, n, &alloc, sizeof *acl->parent);
		acl->team_id[n] = stmt_int(st, 0);
		acl->parent[n] = stmt_int(st, 1);
		acl->nteams++;
	}
	if (st)
		stmt_reset(st);
	if (rc < 0)
		return rc;
	/* A manager's or employee's unit is the team they belong to now. */
	if (a->person_id) {
		int64_t now = ts_now_ms();
		rc = store_prepare(ctx->store,
		                   "SELECT team_id FROM team_memberships WHERE person_id = ? AND "
		                   "valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)",
		                   &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_int(st, 1, a->person_id);
		stmt_bind_int(st, 2, now);
		stmt_bind_int(st, 3, now);
		while ((rc = stmt_step(st, err)) == STORE_ROW)
			add_unit(acl, stmt_int(st, 0));
		stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	st = NULL;
	rc = store_prepare(ctx->store,
	                   "SELECT s.id, COALESCE(s.owner_team_id, 0), COALESCE(r.team_id, 0) "
	                   "FROM sources s LEFT JOIN source_readers r ON r.source_id = s.id "
	                   "ORDER BY s.id, r.team_id",
	                   &st, err);
	size_t salloc = 0, ralloc = 0;
	while (rc >= 0 && (rc = stmt_step(st, err)) == STORE_ROW) {
		int64_t id = stmt_int(st, 0);
		struct acl_source *s = acl->nsources ? &acl->sources[acl->nsources - 1] : NULL;
		if (!s || s->id != id) {
			acl->sources = arena_grow(ar, acl->sources, acl->nsources, &salloc,
			                          sizeof *acl->sources);
			s = &acl->sources[acl->nsources++];
			memset(s, 0, sizeof *s);
			s->id = id;
			s->owner = central ? central : stmt_int(st, 1);
			ralloc = 0;
		}
		int64_t reader = stmt_int(st, 2);
		if (reader) {
			s->readers = arena_grow(ar, s->readers, s->nreaders, &ralloc,
			                        sizeof *s->readers);
			s->readers[s->nreaders++] = reader;
		}
	}
	if (st)
		stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int source_row(struct ctx *ctx, const char *name, int64_t *id, int64_t *owner,
                      struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT id, COALESCE(owner_team_id, 0) FROM sources WHERE name = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, name);
	rc = stmt_step(st, err);
	*id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	*owner = rc == STORE_ROW ? stmt_int(st, 1) : 0;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (!*id)
		return sourceacl_no_source(name, err);
	return 0;
}

struct owner_args {
	const char *source, *team;
};

static int owner_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct owner_args *a = arg;
	int64_t sid, old, team;
	int rc = source_row(ctx, a->source, &sid, &old, err);
	if (rc == 0)
		rc = org_team_id(ctx, a->team, &team, err);
	if (rc < 0)
		return rc;
	if (team == old)
		return CTX_ROLLBACK;
	struct store_stmt *st;
	rc = store_prepare(ctx->store, "UPDATE sources SET owner_team_id = ? WHERE id = ?", &st,
	                   err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, team);
	stmt_bind_int(st, 2, sid);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	struct sb d = SB_INIT;
	struct jw w;
	jw_init(&w, &d, false);
	jw_object_begin(&w);
	jw_kstr(&w, "owner", a->team);
	jw_object_end(&w);
	rc = audit_append(ctx, "source.owner", "source", a->source, d.buf, err);
	sb_release(&d);
	return rc;
}

int sourceacl_set_owner(struct ctx *ctx, const char *source, const char *team, struct error *err)
{
	struct owner_args a = {source, team};
	return ctx_run(ctx, OP_SOURCE_OWNER, owner_body, &a, err);
}

struct share_args {
	const char *source, *team;
	bool share, *changed;
};

/* Admins, and leaders whose unit holds the owning team, decide for the
 * owner: the stored one, or under a centralized policy the central owner,
 * as sourceacl_load reads it. */
static int may_decide(struct ctx *ctx, int64_t stored_owner, const char *source, struct error *err)
{
	if (actor_has_role(&ctx->actor, ROLE_ADMIN))
		return 0;
	struct sourceacl *acl;
	int64_t central;
	int rc = central_owner(ctx, &central, err);
	if (rc == 0)
		rc = sourceacl_load(ctx, &acl, err);
	if (rc < 0)
		return rc;
	int64_t owner = central ? central : stored_owner;
	for (int i = 0; owner && i < ctx->actor.nroles; i++) {
		const struct actor_role *r = &ctx->actor.roles[i];
		if (r->role == ROLE_LEADER && (!r->team_id || within(acl, owner, r->team_id)))
			return 0;
	}
	err_set(err, ERR_DENIED, "only the owning team's leaders or an admin share source %s",
	        source);
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

static int share_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct share_args *a = arg;
	int64_t sid, owner, team;
	/* Someone who can never decide learns nothing about sources or teams. */
	if (!actor_has_role(&ctx->actor, ROLE_ADMIN) && !actor_has_role(&ctx->actor, ROLE_LEADER)) {
		err_set(err, ERR_DENIED,
		        "only the owning team's leaders or an admin share source %s", a->source);
		ctx_note_denied(ctx, err);
		return ERR_DENIED;
	}
	/* Nor does a leader outside the owner learn which sources exist: no
	 * such source is refused as one they may not share (found in review). */
	bool admin = actor_has_role(&ctx->actor, ROLE_ADMIN);
	int rc = source_row(ctx, a->source, &sid, &owner, err);
	if (rc == ERR_NOT_FOUND && !admin) {
		err_clear(err);
		err_set(err, ERR_DENIED,
		        "only the owning team's leaders or an admin share source %s", a->source);
		ctx_note_denied(ctx, err);
		return ERR_DENIED;
	}
	if (rc == 0)
		rc = may_decide(ctx, owner, a->source, err);
	if (rc == 0)
		rc = org_team_id(ctx, a->team, &team, err);
	if (rc < 0)
		return rc;
	int64_t n = 0;
	bool found = false;
	char sql[160];
	snprintf(sql, sizeof sql,
	         "SELECT COUNT(*) FROM source_readers WHERE source_id = %" PRId64
	         " AND team_id = %" PRId64,
	         sid, team);
	rc = store_query_int(ctx->store, sql, &n, &found, err);
	if (rc < 0)
		return rc;
	*a->changed = (n == 0) == a->share;
	if (!*a->changed)
		return CTX_ROLLBACK;
	struct store_stmt *st;
	rc = store_prepare(
	        ctx->store,
	        a->share ? "INSERT INTO source_readers(source_id, team_id, granted_at, "
	                   "granted_by) VALUES (?, ?, ?, ?)"
	                 : "DELETE FROM source_readers WHERE source_id = ? AND team_id = ?",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, sid);
	stmt_bind_int(st, 2, team);
	if (a->share) {
		stmt_bind_int(st, 3, ts_clock_ms()); /* when, as the audit entry's */
		stmt_bind_text(st, 4, ctx->actor.name);
	}
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	struct sb d = SB_INIT;
	struct jw w;
	jw_init(&w, &d, false);
	jw_object_begin(&w);
	jw_kstr(&w, "team", a->team);
	jw_object_end(&w);
	rc = audit_append(ctx, a->share ? "source.share" : "source.unshare", "source", a->source,
	                  d.buf, err);
	sb_release(&d);
	return rc;
}

int sourceacl_share(struct ctx *ctx, const char *source, const char *team, bool share,
                    bool *changed, struct error *err)
{
	*changed = false;
	struct share_args a = {source, team, share, changed};
	return ctx_run(ctx, share ? OP_SOURCE_SHARE : OP_SOURCE_UNSHARE, share_body, &a, err);
}
