/* users: creating users for people and granting roles, with audit entries. */
#include "core/users.h"

#include <inttypes.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/actor.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/org.h"
#include "store/store.h"

static int lookup_id(struct ctx *ctx, const char *sql, const char *key, int64_t *id,
                     struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, key);
	rc = stmt_step(st, err);
	*id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The role and team (0: none) role_text names, and the id of the
 * user_roles row of user_id holding them in *row (0: not held); ERR_USAGE or
 * ERR_NOT_FOUND for a bad role or team. */
static int held_role(struct ctx *ctx, int64_t user_id, const char *role_text, int64_t *row,
                     enum role *role, int64_t *team_id, struct error *err)
{
	const char *team = NULL;
	*row = *team_id = 0;
	int rc = role_parse(role_text, role, &team, err);
	if (rc < 0)
		return rc;
	if (team) {
		if ((rc = lookup_id(ctx, "SELECT id FROM teams WHERE name = ?", team, team_id,
		                    err)) < 0)
			return rc;
		if (!*team_id) {
			err_set(err, ERR_NOT_FOUND, "no team '%s' for role %s", team, role_text);
			err_hint(err, "list teams with 'plumb org tree'");
			return ERR_NOT_FOUND;
		}
	}
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "SELECT id FROM user_roles WHERE user_id = ? AND role = ? AND "
	                   "COALESCE(team_id, 0) = ?",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, user_id);
	stmt_bind_text(st, 2, role_name(*role));
	stmt_bind_int(st, 3, *team_id);
	rc = stmt_step(st, err);
	*row = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int grant(struct ctx *ctx, int64_t user_id, const char *role_text, bool *granted,
                 struct error *err)
{
	enum role role;
	int64_t team_id, have;
	int rc = held_role(ctx, user_id, role_text, &have, &role, &team_id, err);
	if (rc < 0)
		return rc;
	*granted = !have;
	if (have)
		return 0;
	struct store_stmt *st;
	int64_t held = 0;
	rc = store_prepare(ctx->store, "SELECT COUNT(*) FROM user_roles WHERE user_id = ?", &st,
	                   err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, user_id);
	rc = stmt_step(st, err);
	held = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (held >= ACTOR_MAX_ROLES) {
		err_set(err, ERR_CONFLICT, "a user may hold at most %d roles", ACTOR_MAX_ROLES);
		err_hint(err, "use a role for a larger org unit instead of many small ones");
		return ERR_CONFLICT;
	}
	rc = store_prepare(ctx->store,
	                   "INSERT INTO user_roles(user_id, role, team_id) VALUES (?,?,?)", &st,
	                   err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, user_id);
	stmt_bind_text(st, 2, role_name(role));
	stmt_bind_opt_int(st, 3, team_id, team_id != 0);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* A record merged into another is a person who has left: a user of it
 * could never act (actor_load refuses it), so roles go to the record it went
 * into. */
static int refuse_merged(struct ctx *ctx, const char *employee_id, int64_t person_id,
                         struct error *err)
{
	const char *into;
	int rc = org_merged_into(ctx, person_id, &into, err);
	if (rc < 0 || !into)
		return rc;
	err_set(err, ERR_CONFLICT, "person %s was merged into %s", employee_id, into);
	err_hint(err, "give the roles to %s: 'plumb user add --person %s --role ROLE'", into, into);
	return ERR_CONFLICT;
}

/* A user offboarded (disabled) whose person is back (rehired: no end date,
 * or one still to come) starts afresh: enabled again, without the roles of
 * the job they left, which are listed in *dropped (a JSON array) for the
 * audit entry.  Without this a rehire's user could never act again. */
static int enable_rehired(struct ctx *ctx, int64_t user_id, struct sb *dropped, bool *enabled,
                          struct error *err)
{
	*enabled = false;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT 1 FROM users u JOIN people p ON p.id = u.person_id "
	                       "WHERE u.id = ? AND u.disabled <> 0 AND "
	                       "(p.end_date IS NULL OR p.end_date > ?)",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, user_id);
	stmt_bind_int(st, 2, ts_now_ms());
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : 0;
	rc = store_prepare(ctx->store,
	                   "SELECT r.role, t.name FROM user_roles r LEFT JOIN teams t ON "
	                   "t.id = r.team_id WHERE r.user_id = ? ORDER BY r.id",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, user_id);
	struct jw w;
	jw_init(&w, dropped, false);
	jw_array_begin(&w);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		if (stmt_is_null(st, 1))
			jw_str(&w, stmt_text(st, 0));
		else
			jw_str(&w, arena_printf(ctx->arena, "%s:%s", stmt_text(st, 0),
			                        stmt_text(st, 1)));
	}
	stmt_reset(st);
	jw_array_end(&w);
	if (rc < 0)
		return rc;
	/* The password too: set by or for the person who left, it is not
	 * theirs to sign in with on coming back (user passwd gives a new one). */
	static const char *const sql[] = {
	        "DELETE FROM user_roles WHERE user_id = ?",
	        "DELETE FROM user_credentials WHERE user_id = ?",
	        "UPDATE users SET disabled = 0 WHERE id = ?",
	};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		if ((rc = store_prepare(ctx->store, sql[i], &st, err)) < 0)
			return rc;
		stmt_bind_int(st, 1, user_id);
		rc = stmt_step(st, err);
		stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	*enabled = true;
	return 0;
}

int users_add_tx(struct ctx *ctx, const char *employee_id, const char *const *roles, size_t nroles,
                 bool *created, struct error *err)
{
	*created = false;
	int64_t person_id, user_id;
	int rc = lookup_id(ctx, "SELECT id FROM people WHERE employee_id = ?", employee_id,
	                   &person_id, err);
	if (rc < 0)
		return rc;
	if (!person_id) {
		err_set(err, ERR_NOT_FOUND, "no person with employee id %s", employee_id);
		err_hint(err,
		         "users belong to people; import the person first with 'plumb org import'");
		return ERR_NOT_FOUND;
	}
	if ((rc = refuse_merged(ctx, employee_id, person_id, err)) < 0)
		return rc;
	if ((rc = lookup_id(ctx, "SELECT id FROM users WHERE name = ?", employee_id, &user_id,
	                    err)) < 0)
		return rc;
	/* Users are named by employee id, but the built-in admin user is named
	 * admin and is nobody: a person with that id cannot have it. */
	int64_t owner = 0;
	if (user_id &&
	    (rc = lookup_id(ctx, "SELECT COALESCE(person_id, 0) FROM users WHERE name = ?",
	                    employee_id, &owner, err)) < 0)
		return rc;
	if (user_id && owner != person_id) {
		if (owner)
			err_set(err, ERR_CONFLICT, "user '%s' belongs to another person",
			        employee_id);
		else
			err_set(err, ERR_CONFLICT,
			        "person %s cannot have a user: '%s' is the built-in admin user",
			        employee_id, employee_id);
		err_detail(err, "users are named by employee id; nothing was granted");
		return ERR_CONFLICT;
	}
	if (!user_id) {
		struct store_stmt *st;
		rc = store_prepare(ctx->store,
		                   "INSERT INTO users(name, person_id, disabled, created_at) "
		                   "VALUES (?, ?, 0, ?) RETURNING id",
		                   &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_text(st, 1, employee_id);
		stmt_bind_int(st, 2, person_id);
		stmt_bind_int(st, 3, ts_clock_ms()); /* when it was made: never PLUMB_NOW */
		rc = stmt_step(st, err);
		user_id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
		stmt_reset(st);
		if (rc < 0)
			return rc;
		rc = 0;
		*created = true;
	}
	struct sb dropped = SB_INIT;
	bool enabled = false;
	if (!*created && (rc = enable_rehired(ctx, user_id, &dropped, &enabled, err)) < 0) {
		sb_release(&dropped);
		return rc;
	}
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_key(&w, "granted");
	jw_array_begin(&w);
	bool any = false;
	for (size_t i = 0; rc == 0 && i < nroles; i++) {
		bool granted = false;
		rc = grant(ctx, user_id, roles[i], &granted, err);
		if (granted) {
			jw_str(&w, roles[i]);
			any = true;
		}
	}
	jw_array_end(&w);
	if (enabled) {
		jw_key(&w, "enabled");
		jw_bool(&w, true);
		jw_key(&w, "dropped");
		jw_raw(&w, dropped.buf);
	}
	jw_object_end(&w);
	sb_release(&dropped);
	if (rc == 0 && (any || *created || enabled))
		rc = audit_append(ctx, *created ? "user.create" : "user.grant", "user", employee_id,
		                  detail.buf, err);
	sb_release(&detail);
	return rc;
}

struct add_args {
	const char *employee_id;
	const char *const *roles;
	size_t nroles;
	bool *created;
};

static int add_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct add_args *a = arg;
	int rc = users_add_tx(ctx, a->employee_id, a->roles, a->nroles, a->created, err);
	if (rc == 0 && ctx->audit_appended == 0) {
		err_set(err, ERR_CONFLICT, "user %s already has these roles", a->employee_id);
		rc = ERR_CONFLICT;
	}
	return rc;
}

int users_add(struct ctx *ctx, const char *employee_id, const char *const *roles, size_t nroles,
              bool *created, struct error *err)
{
	struct add_args a = {employee_id, roles, nroles, created};
	return ctx_run(ctx, OP_USER_ADD, add_body, &a, err);
}

struct revoke_args {
	const char *name;
	const char *const *roles;
	size_t nroles;
	const char **taken; /* out */
	size_t ntaken;
};

static int revoke_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct revoke_args *a = arg;
	int64_t user_id;
	int rc = lookup_id(ctx, "SELECT id FROM users WHERE name = ?", a->name, &user_id, err);
	if (rc < 0)
		return rc;
	if (!user_id) {
		err_set(err, ERR_NOT_FOUND, "no user '%s'", a->name);
		err_hint(err, "list users with 'plumb user list'");
		return ERR_NOT_FOUND;
	}
	/* Every role is checked before any is taken: all or nothing. */
	int64_t *rows = arena_array(ctx->arena, a->nroles ? a->nroles : 1, sizeof *rows);
	bool admin_taken = false;
	for (size_t i = 0; i < a->nroles; i++) {
		enum role role;
		int64_t team_id;
		if ((rc = held_role(ctx, user_id, a->roles[i], &rows[i], &role, &team_id, err)) < 0)
			return rc;
		if (!rows[i]) {
			err_set(err, ERR_NOT_FOUND, "user %s does not have role %s", a->name,
			        a->roles[i]);
			err_detail(err, "nothing was revoked");
			err_hint(err, "see the user's roles with 'plumb user list'");
			return ERR_NOT_FOUND;
		}
		admin_taken = admin_taken || role == ROLE_ADMIN;
	}
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_key(&w, "revoked");
	jw_array_begin(&w);
	a->taken = arena_array(ctx->arena, a->nroles ? a->nroles : 1, sizeof *a->taken);
	a->ntaken = 0;
	struct store_stmt *st;
	rc = store_prepare(ctx->store, "DELETE FROM user_roles WHERE id = ?", &st, err);
	for (size_t i = 0; rc >= 0 && i < a->nroles; i++) {
		bool again = false; /* the same role given twice is taken once */
		for (size_t j = 0; j < i; j++)
			again = again || rows[j] == rows[i];
		if (again)
			continue;
		stmt_bind_int(st, 1, rows[i]);
		rc = stmt_step(st, err);
		stmt_reset(st);
		jw_str(&w, a->roles[i]);
		a->taken[a->ntaken++] = a->roles[i];
	}
	jw_array_end(&w);
	jw_object_end(&w);
	/* Somebody must still be able to administer plumb (grant, offboard,
	 * read the audit log): the last admin role of a user who can act stays
	 * (found in review: one whose person had left, not yet offboarded,
	 * counted, and revoking the built-in admin's role left no one). */
	if (rc >= 0 && admin_taken) {
		int64_t admins = 0;
		rc = store_prepare(
		        ctx->store,
		        "SELECT COUNT(*) FROM user_roles r JOIN users u ON "
		        "u.id = r.user_id WHERE r.role = ?1 AND " ACTOR_USER_CAN_ACT("u", "?2"),
		        &st, err);
		if (rc >= 0) {
			stmt_bind_text(st, 1, role_name(ROLE_ADMIN));
			stmt_bind_int(st, 2, ts_now_ms());
			rc = stmt_step(st, err);
			admins = rc == STORE_ROW ? stmt_int(st, 0) : 0;
			stmt_reset(st);
		}
		if (rc >= 0 && admins == 0) {
			err_set(err, ERR_CONFLICT, "%s holds the last admin role", a->name);
			err_detail(err,
			           "without it no user who can act could administer plumb; nothing "
			           "was revoked");
			err_hint(err, "grant admin to another user first with 'plumb user add'");
			rc = ERR_CONFLICT;
		}
	}
	if (rc >= 0)
		rc = audit_append(ctx, "user.revoke", "user", a->name, detail.buf, err);
	sb_release(&detail);
	return rc < 0 ? rc : 0;
}

int users_revoke(struct ctx *ctx, const char *name, const char *const *roles, size_t nroles,
                 const char ***taken, size_t *ntaken, struct error *err)
{
	struct revoke_args a = {name, roles, nroles, NULL, 0};
	int rc = ctx_run(ctx, OP_USER_REVOKE, revoke_body, &a, err);
	*taken = a.taken;
	*ntaken = rc < 0 ? 0 : a.ntaken;
	return rc;
}

static int cmp_user(const void *a, const void *b)
{
	return strcmp(((const struct user_info *)a)->name, ((const struct user_info *)b)->name);
}

struct list_args {
	struct user_info **out;
	size_t *n;
};

static int list_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct list_args *a = arg;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT u.id, u.name, p.name, u.disabled FROM users u "
	                       "LEFT JOIN people p ON p.id = u.person_id",
	                       &st, err);
	size_t count = 0, alloc = 0, ids_alloc = 0;
	struct user_info *users = NULL;
	int64_t *ids = NULL;
	while (rc >= 0 && (rc = stmt_step(st, err)) == STORE_ROW) {
		users = arena_grow(ctx->arena, users, count, &alloc, sizeof *users);
		ids = arena_grow(ctx->arena, ids, count, &ids_alloc, sizeof *ids);
		ids[count] = stmt_int(st, 0);
		users[count].name = stmt_text_dup(st, 1, ctx->arena);
		users[count].person_name = stmt_text_dup(st, 2, ctx->arena);
		users[count].disabled = stmt_int(st, 3) != 0;
		users[count].roles = "";
		count++;
	}
	if (rc >= 0) {
		stmt_reset(st);
		rc = store_prepare(ctx->store,
		                   "SELECT r.role, t.name FROM user_roles r LEFT JOIN teams t ON "
		                   "t.id = r.team_id "
		                   "WHERE r.user_id = ? ORDER BY r.id",
		                   &st, err);
	}
	for (size_t i = 0; rc >= 0 && i < count; i++) {
		struct sb roles = SB_INIT;
		users[i].role_list = arena_array(ctx->arena, ACTOR_MAX_ROLES, sizeof(char *));
		stmt_bind_int(st, 1, ids[i]);
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			const char *role = stmt_is_null(st, 1) ? stmt_text_dup(st, 0, ctx->arena)
			                                       : arena_printf(ctx->arena, "%s:%s",
			                                                      stmt_text(st, 0),
			                                                      stmt_text(st, 1));
			sb_printf(&roles, "%s%s", roles.len ? ", " : "", role);
			if (users[i].nroles < ACTOR_MAX_ROLES)
				users[i].role_list[users[i].nroles++] = role;
		}
		stmt_reset(st);
		users[i].roles = arena_strdup(ctx->arena, roles.buf);
		sb_release(&roles);
	}
	if (rc >= 0) {
		if (count > 1) /* qsort(NULL, 0) is undefined */
			qsort(users, count, sizeof *users, cmp_user);
		*a->out = users;
		*a->n = count;
	}
	return rc < 0 ? rc : 0;
}

int users_list(struct ctx *ctx, struct user_info **out, size_t *n, struct error *err)
{
	struct list_args a = {out, n};
	return ctx_run(ctx, OP_USER_LIST, list_body, &a, err);
}
