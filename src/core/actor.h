/*
 * actor: who is acting, with which roles and scopes.
 *
 * Every service call takes a ctx whose actor was loaded from the users table.
 * The local CLI acts as the built-in `admin` unless --as names another user
 * (by the person's employee id); that impersonation and the operating-system
 * user behind it are recorded in the audit log.  struct actor owns no heap
 * memory.
 */
#ifndef PLUMB_ACTOR_H
#define PLUMB_ACTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

/* SQL: the user aliased u may act at the moment the SQL expression now gives,
 * as actor_load judges it: enabled, and not a person who has left, was
 * merged into another record or has not started yet.  Its user includes
 * core/org.h (ORG_PERSON_CURRENT). */
#define ACTOR_USER_CAN_ACT(u, now)                                                                 \
	"(" u ".disabled = 0 AND (" u ".person_id IS NULL OR EXISTS (SELECT 1 FROM people ap "     \
	"WHERE ap.id = " u ".person_id AND ap.start_date <= " now                                  \
	" AND " ORG_PERSON_CURRENT("ap", now) ")))"

struct store;

#define ACTOR_MAX_ROLES      16
#define ACTOR_NAME_MAX       64
#define ACTOR_CREDENTIAL_HEX 65 /* a SHA-256 as hex, with the NUL */

#define ROLE_TABLE(X)                                                                              \
	X(ADMIN, "admin")                                                                          \
	X(PEOPLE_PARTNER, "people-partner")                                                        \
	X(LEADER, "leader")                                                                        \
	X(MANAGER, "manager")                                                                      \
	X(EMPLOYEE, "employee")                                                                    \
	X(ANALYST, "analyst")

#define ROLE_ENUM_(id, name) ROLE_##id,
enum role { ROLE_TABLE(ROLE_ENUM_) ROLE_COUNT_ };
#undef ROLE_ENUM_

struct actor_role {
	enum role role;
	int64_t team_id; /* 0: not limited to an org unit */
};

struct actor {
	int64_t user_id;
	char name[ACTOR_NAME_MAX];
	int64_t person_id; /* 0 for users without a person (admin) */
	int nroles;
	struct actor_role roles[ACTOR_MAX_ROLES];
	bool impersonated; /* --as was used */
	bool read_only;    /* a read-scoped API token: no write operation */
	/* Acting through the server, not on its machine: where a credential
	 * the server holds is sent stays its operator's to change. */
	bool remote;
	char os_user[ACTOR_NAME_MAX]; /* who ran the process, when impersonated */
	/* The server's credential, as its stored hash ("" on the CLI): a write
	 * checks it is still live once it holds the write lock. */
	char credential[ACTOR_CREDENTIAL_HEX];
	bool credential_is_token; /* an API token, else a browser session */
	/* When the request that sent it was identified (ms, the server's clock):
	 * a session's idleness is judged then, not after a wait for the lock. */
	int64_t credential_at;
};

/* Load the active user named name; ERR_NOT_FOUND, or ERR_DENIED when the
 * user is disabled or their person has left, was merged into another
 * record or has not started yet (start date ahead). */
int actor_load(struct store *s, const char *name, struct actor *out, struct error *err);
bool actor_has_role(const struct actor *a, enum role role);
const char *role_name(enum role role);
/* Parse "manager" or "leader:TEAM"; the team part is returned in *team. */
int role_parse(const char *text, enum role *role, const char **team, struct error *err);

#endif
