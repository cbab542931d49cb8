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
