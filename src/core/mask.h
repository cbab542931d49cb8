/*
 * mask: what an actor sees of people, decided in one place.
 *
 * An analyst (an actor with the analyst role and no role that names
 * people: admin, people-partner, leader or manager) sees every person as a
 * stable pseudonym (pseudonym_person: "P-" and 16 hex digits under the
 * newest key), never an employee id, name, email, account login or free
 * text people wrote (titles, descriptions, comments, branch names), and no
 * aggregate over fewer than a minimum number of distinct people.
 * Services apply these decisions to what they return, so every face (CLI
 * text, --json, CSV, the HTTP API and the pages) shows the same masked data.
 *
 * Strings returned live in ctx->arena.  A ctx is one thread's, so these
 * are as thread-safe as the ctx.
 */
#ifndef PLUMB_MASK_H
#define PLUMB_MASK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

struct arena;
struct ctx;

/* Does this actor see people masked? */
bool mask_people(const struct ctx *ctx);

/* Is employee_id one of the actor's own records: the person their user is
 * linked to, or a record person merge folded into it (as
 * authz_actor_records)?  Their own data is theirs to read in clear, as
 * everywhere in plumb.  Reads the records once an operation (kept in ctx),
 * so call it inside one.  NULL is nobody's. */
int mask_own_person(struct ctx *ctx, const char *employee_id, bool *own, struct error *err);

/* The display of a person for this actor: the employee id itself, or its
 * pseudonym when masked (never the actor's own: mask_own_person).  NULL
 * stays NULL. */
int mask_person(struct ctx *ctx, const char *employee_id, const char **out, struct error *err);

/* A person shown by employee id and name: both left as they are, or both
 * replaced by the pseudonym when masked (the actor's own stay, name too). */
int mask_person_named(struct ctx *ctx, const char **employee_id, const char **name,
                      struct error *err);

/* Text that names a person or that people wrote (a name, an email, a
 * title, a comment): NULL when masked, else text. */
const char *mask_text(const struct ctx *ctx, const char *text);

/* A source account: the login, or when masked its pseudonym ("H<gen>-" and
 * 16 hex digits).  Bots are not people: their logins stay.  NULL stays NULL. */
int mask_account(struct ctx *ctx, const char *system, const char *login, bool bot, const char **out,
                 struct error *err);

/* A user name as the audit log and approvals record it: users of people
 * are named by employee id and are masked like people; users without a
 * person (the built-in admin) are shown, and so is the actor's own (the
 * user of a record mask_own_person calls theirs).  Reads the users table,
 * so call it inside an operation. */
int mask_user(struct ctx *ctx, const char *user_name, const char **out, struct error *err);

/* An event's attributes (a JSON object) without the keys that name people
 * wherever they occur: "reporter" and each Jira transition's "by"
 * (Atlassian account ids) and "commit_authors" (Jenkins commit emails);
 * metrics read none of them.  attrs itself when it names no one; NULL when
 * attrs is NULL or is not a JSON object (what it holds cannot be checked).
 * A new result is copied to a. */
const char *mask_attrs_strip_people(struct arena *a, const char *attrs);

/* The smallest number of distinct people an aggregate may cover for a
 * masked actor (the policy's min_aggregate_people; 5 by default). */
int mask_min_people(struct ctx *ctx, int *min, struct error *err);

/* Should an aggregate over scope ("org", "team" or "service", with its id)
 * and [from, to) be suppressed for this actor?  The people it covers are
 * the distinct people whose attributed events (of any kind) fall in the
 * scope (a team with its sub-teams) and period.  *reason is NULL when the
 * value may be shown, else why not (ctx arena).  Reads events, so call it
 * inside an operation.  Unmasked actors are never suppressed (no read). */
int mask_aggregate(struct ctx *ctx, const char *scope, int64_t scope_id, int64_t from, int64_t to,
                   const char **reason, struct error *err);

#endif
