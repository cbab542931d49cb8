/* actor: users and roles read from the store. */
#include "core/actor.h"

#include "base/ts.h"
#include "store/store.h"

#define ROLE_NAME_(id, name) name,
static const char *const role_names[] = {ROLE_TABLE(ROLE_NAME_)};
#undef ROLE_NAME_

const char *role_name(enum role role)
{
	return (int)role >= 0 && role < ROLE_COUNT_ ? role_names[role] : "?";
}

int role_parse(const char *text, enum role *role, const char **team, struct error *err)
{
	const char *colon = strchr(text, ':');
	size_t n = colon ? (size_t)(colon - text) : strlen(text);
	*team = colon ? colon + 1 : NULL;
	for (int i = 0; i < ROLE_COUNT_; i++) {
		if (strlen(role_names[i]) == n && strncmp(role_names[i], text, n) == 0) {
			*role = (enum role)i;
			if (colon && !colon[1])
				break;
			if (colon && *role != ROLE_PEOPLE_PARTNER && *role != ROLE_LEADER) {
				err_set(err, ERR_USAGE, "role %s cannot be limited to an org unit",
				        role_names[i]);
				err_detail(
				        err,
				        "only people-partner and leader take a unit (ROLE:TEAM); "
				        "a manager's scope is their reporting chain");
				return ERR_USAGE;
			}
			return 0;
		}
	}
	err_set(err, ERR_USAGE, "invalid role '%s'", text);
	err_detail(err,
	           "expected ROLE or ROLE:TEAM with ROLE one of admin, people-partner, leader, "
	           "manager, employee, analyst");
	return ERR_USAGE;
}

int actor_load(struct store *s, const char *name, struct actor *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	struct store_stmt *st;
	int rc = store_prepare(
	        s,
	        "SELECT u.id, u.person_id, u.disabled, p.end_date, "
	        "(SELECT q.employee_id FROM person_merges m JOIN people q ON "
	        "q.id = m.into_person_id WHERE m.from_person_id = u.person_id), p.start_date "
	        "FROM users u LEFT JOIN people p ON p.id = u.person_id WHERE u.name = ?",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, name);
	rc = stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (rc == STORE_DONE) {
		err_set(err, ERR_NOT_FOUND, "no user '%s'", name);
		err_hint(err, "users are named by employee id; create one with 'plumb user add "
		              "--person ID "
		              "--role ROLE'");
		return ERR_NOT_FOUND;
	}
	out->user_id = stmt_int(st, 0);
	out->person_id = stmt_is_null(st, 1) ? 0 : stmt_int(st, 1);
	bool disabled = stmt_int(st, 2) != 0;
	int64_t now = ts_now_ms();
	bool has_left = !stmt_is_null(st, 3) && stmt_int(st, 3) <= now;
	/* Not employed yet (a hire or a rehire whose start date is ahead): in
	 * nobody's reporting line or unit, and not theirs to act in either. */
	int64_t starts = stmt_is_null(st, 5) ? 0 : stmt_int(st, 5);
	bool not_started = starts > now;
	/* A merged record counts as having left: the human acts as the record
	 * it went into, whose scope and reports are now theirs. */
	char merged_into[64] = "";
	if (!stmt_is_null(st, 4))
		snprintf(merged_into, sizeof merged_into, "%s", stmt_text(st, 4));
	stmt_reset(st);
	snprintf(out->name, sizeof out->name, "%s", name);
	if (disabled || has_left || not_started || merged_into[0]) {
		err_set(err, ERR_DENIED, "user '%s' is disabled", name);
		if (merged_into[0]) {
			err_detail(err, "their person was merged into %s (person merge)",
			           merged_into);
			err_hint(err,
			         "act as the user of %s; create it with 'plumb user add "
			         "--person %s --role ROLE'",
			         merged_into, merged_into);
		} else if (has_left) {
			err_detail(err, "their person has left the organization (end date passed)");
		} else if (not_started && !disabled) {
			char date[TS_BUF];
			err_detail(err, "their person has not started yet (start date %s)",
			           ts_format_date(starts, date));
		}
		return ERR_DENIED;
	}
	rc = store_prepare(s, "SELECT role, team_id FROM user_roles WHERE user_id = ? ORDER BY id",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, out->user_id);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		const char *rname = stmt_text(st, 0);
		int known = -1;
		for (int i = 0; i < ROLE_COUNT_; i++)
			if (strcmp(rname, role_names[i]) == 0)
				known = i;
		/* Never drop a role silently: a missing one could hide a grant. */
		if (known < 0 || out->nroles == ACTOR_MAX_ROLES) {
			rc = err_set(err, ERR_STORE, "user '%s' has %s", name,
			             known < 0 ? "an unknown role"
			                       : "more roles than plumb supports");
			err_detail(err, "role '%s'; at most %d roles", rname, ACTOR_MAX_ROLES);
			break;
		}
		out->roles[out->nroles].role = (enum role)known;
		out->roles[out->nroles].team_id = stmt_is_null(st, 1) ? 0 : stmt_int(st, 1);
		out->nroles++;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

bool actor_has_role(const struct actor *a, enum role role)
{
	for (int i = 0; i < a->nroles; i++)
		if (a->roles[i].role == role)
			return true;
	return false;
}
