/*
 * users: plumb users (named by their person's employee id, plus the built-in
 * `admin`) and their roles, each optionally limited to an org unit (a team
 * and its subteams).  Sign-in credentials arrive with the server.
 * users_*_tx run inside the caller's operation; results live in ctx->arena.
 */
#ifndef PLUMB_USERS_H
#define PLUMB_USERS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

struct ctx;

/* Create the user for employee_id (or add roles to it).  Each role is
 * "ROLE" or "ROLE:TEAM".  *created tells whether the user is new. */
int users_add_tx(struct ctx *ctx, const char *employee_id, const char *const *roles, size_t nroles,
                 bool *created, struct error *err);
int users_add(struct ctx *ctx, const char *employee_id, const char *const *roles, size_t nroles,
              bool *created, struct error *err);

/* Take roles from the user named name (an employee id, or admin).  Each
 * role is "ROLE" or "ROLE:TEAM" as users_add takes it, and must be one the
 * user holds: an unknown role or unit on a role that takes none is
 * ERR_USAGE, an unknown team or a role not held ERR_NOT_FOUND, and then
 * nothing is taken.  Taking the last admin role of every enabled user is
 * ERR_CONFLICT (nobody could administer plumb again).  One user.revoke
 * entry lists the roles taken, as *taken does (*ntaken of them: a role given
 * twice is taken once; strings of roles, the array in ctx->arena).  Needs
 * admin; an audited write. */
int users_revoke(struct ctx *ctx, const char *name, const char *const *roles, size_t nroles,
                 const char ***taken, size_t *ntaken, struct error *err);

struct user_info {
	const char *name;
	const char *person_name; /* NULL for admin */
	bool disabled;
	const char *roles;      /* "manager, leader:platform" */
	const char **role_list; /* the same, one "ROLE" or "ROLE:TEAM" each */
	size_t nroles;
};

/* All users, sorted by name. */
int users_list(struct ctx *ctx, struct user_info **out, size_t *n, struct error *err);

#endif
