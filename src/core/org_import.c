/*
 * org_import: validate an org import as a whole, then apply it in the
 * caller's transaction.  Nothing is written unless every row is valid.
 *
 * Changes of team, manager and level close the open history row at the
 * effective time and open a new one; a person's first rows start at their
 * start date.  Every person, team and import gets an audit entry.
 */
#include <inttypes.h>

#include "base/arena.h"
#include "base/fileio.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/consent.h"
#include "core/country.h"
#include "core/ctx.h"
#include "core/identities.h"
#include "core/org.h"
#include "core/pseudonym.h"
#include "store/store.h"

#define ORG_FILE_CAP    ((size_t)1 << 30)
#define MAX_ERROR_LINES 20

/* A person already in the database, with their open history rows. */
struct existing {
	int64_t id;
	const char *employee_id, *name, *email, *title, *country, *track, *role_profile;
	int64_t start_date, end_date;
	bool has_end;
	int64_t team_id, team_from;
	bool has_team;
	int64_t manager_id, manager_from;
	bool has_manager;
	const char *level;
	int64_t level_from;
	bool has_level;
	bool in_file;
	const char *merged_into; /* the employee id it was merged into (person merge), or NULL */
};

struct team {
	int64_t id; /* 0 until inserted */
	const char *name;
	const char *kind, *want_kind;
	int64_t parent_id;
	const char *want_parent; /* NULL: none */
	bool explicit_parent;
	bool keep_parent; /* an existing team this import does not re-place */
	long parent_line;
	bool exists;
};

/* Who holds an identity, and as what spelling: in the database, person is
 * a person id; in the file, a row index. */
struct identity_use {
	int64_t person;
	const char *login;
};

/* Values of a row after validation. */
struct parsed {
	int64_t start, end;
	bool has_end;
	const char *track;
	int64_t existing; /* index + 1 into existing, 0 when new */
	int64_t person_id;
};

struct import {
	struct ctx *ctx;
	const struct org_import_input *in;
	const struct org_import_options *opts;
	struct org_import_summary *sum;
	int64_t now;
	struct parsed *parsed;
	struct hmap row_by_eid;
	struct existing *people;
	size_t npeople;
	struct hmap existing_by_eid, existing_by_id;
	/* Identity keys (identity_key) -> index into owners (the database) or
	 * into claim_list (the file; -1 once the claim is queued for insert). */
	struct hmap identity_owner, claims;
	struct identity_use *owners, *claim_list;
	size_t nowners, owners_alloc, nclaims, claims_alloc;
	struct team *teams;
	size_t nteams, teams_alloc;
	struct hmap team_by_name;
	struct hmap team_by_id; /* teams already in the database */
	struct store_batch *history_batch[3];
	bool email_changed; /* someone's primary email: their events move */
	bool manager_moved; /* someone already here got another manager or none */
	bool team_moved;    /* a team got another parent or none */
	/* The earliest date a corrected start date moved a reporting line back
	 * to (0: none): the lines from then on are checked for cycles too. */
	int64_t line_moved_back;
	struct sb errors;
	int nerrors;
	char first_error[ERR_MSG_MAX];
};

static void import_release(struct import *imp)
{
	hmap_release(&imp->row_by_eid);
	hmap_release(&imp->existing_by_eid);
	hmap_release(&imp->existing_by_id);
	hmap_release(&imp->identity_owner);
	hmap_release(&imp->claims);
	free(imp->owners);
	free(imp->claim_list);
	hmap_release(&imp->team_by_name);
	hmap_release(&imp->team_by_id);
	free(imp->teams);
	free(imp->people);
	free(imp->parsed);
	sb_release(&imp->errors);
}

__attribute__((format(printf, 4, 5))) static void row_error(struct import *imp, long line,
                                                            const char *field, const char *fmt, ...)
{
	struct sb msg = SB_INIT;
	sb_printf(&msg, "%s:%ld: %s: ", imp->in->file_name, line, field);
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (imp->nerrors == 0)
		snprintf(imp->first_error, sizeof imp->first_error, "%s", msg.buf);
	else if (imp->nerrors <= MAX_ERROR_LINES)
		sb_printf(&imp->errors, "%s%s", imp->errors.len ? "\n        " : "", msg.buf);
	imp->nerrors++;
	sb_release(&msg);
}

#define IDENTITY_KEY_MAX 512
/* The longest login or address, the same for every system (room left for
 * the longest system's name). */
#define IDENTITY_LOGIN_MAX (IDENTITY_KEY_MAX - 16)

/* GitHub logins and email addresses name one account in any letter case
 * (identity link and ingestion match them so); Jira and PagerDuty ids are
 * exact. */
static bool case_blind(const char *system)
{
	return strcmp(system, "github") == 0 || strcmp(system, "email") == 0;
}

/* "system\x1flogin", the identity maps' key, with the login's ASCII letters
 * in lower case where the system is case-blind, so that 'Alice' and 'alice'
 * are one key (GitHub logins are ASCII; an email's other letters are
 * compared as written, as identity resolve and ingestion compare them on
 * both engines); false when too long to be a login. */
static bool identity_key(char out[IDENTITY_KEY_MAX], const char *system, const char *login)
{
	size_t ns = strlen(system), nl = strlen(login);
	if (nl > IDENTITY_LOGIN_MAX || ns + nl + 2 > IDENTITY_KEY_MAX)
		return false;
	memcpy(out, system, ns);
	out[ns] = '\x1f';
	char *l = out + ns + 1;
	memcpy(l, login, nl + 1);
	if (case_blind(system))
		for (; *l; l++)
			if (*l >= 'A' && *l <= 'Z')
				*l = (char)(*l - 'A' + 'a');
	return true;
}

/* Append to a list of identity uses; returns the new entry's index. */
static int64_t use_append(struct identity_use **list, size_t *n, size_t *alloc, int64_t person,
                          const char *login)
{
	if (*n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 1024;
		*list = xreallocarray(*list, *alloc, sizeof **list);
	}
	(*list)[*n] = (struct identity_use){person, login};
	return (int64_t)(*n)++;
}

/* Record that the database gives SYSTEM LOGIN to person PERSON_ID.  Should
 * two people hold one case-blind account in two spellings (stored before the
 * import compared case-blind), the lower person id is its owner, as
 * ingestion attributes it (identities.h). */
static void owner_put(struct import *imp, const char *system, const char *login, int64_t person_id)
{
	char key[IDENTITY_KEY_MAX];
	int64_t idx;
	if (!identity_key(key, system, login))
		return; /* longer than any claim may be: claim_identity refuses those */
	if (hmap_get(&imp->identity_owner, key, &idx) && imp->owners[idx].person <= person_id)
		return;
	idx = use_append(&imp->owners, &imp->nowners, &imp->owners_alloc, person_id,
	                 arena_strdup(imp->ctx->arena, login));
	hmap_put(&imp->identity_owner, key, idx);
}

/* A new team entry, registered by name; pointers into imp->teams are
 * invalidated by the next append. */
static struct team *team_append(struct import *imp, const char *name)
{
	if (imp->nteams == imp->teams_alloc) {
		imp->teams_alloc = imp->teams_alloc ? imp->teams_alloc * 2 : 64;
		imp->teams = xreallocarray(imp->teams, imp->teams_alloc, sizeof *imp->teams);
	}
	struct team *t = &imp->teams[imp->nteams];
	memset(t, 0, sizeof *t);
	t->name = arena_strdup(imp->ctx->arena, name);
	hmap_put(&imp->team_by_name, t->name, (int64_t)imp->nteams);
	imp->nteams++;
	return t;
}

/* ---- loading what the database holds ----------------------------------- */

static int load_existing(struct import *imp, struct error *err)
{
	struct store *s = imp->ctx->store;
	struct arena *a = imp->ctx->arena;
	struct store_stmt *st;
	int rc = store_prepare(
	        s,
	        "SELECT id, employee_id, name, email, title, country, track, role_profile, "
	        "start_date, end_date, (SELECT q.employee_id FROM person_merges m JOIN people q ON "
	        "q.id = m.into_person_id WHERE m.from_person_id = people.id) FROM people ORDER BY "
	        "id",
	        &st, err);
	if (rc < 0)
		return rc;
	size_t alloc = 256;
	imp->people = xmalloc(alloc * sizeof *imp->people);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		if (imp->npeople == alloc)
			imp->people = xreallocarray(imp->people, alloc *= 2, sizeof *imp->people);
		struct existing *p = &imp->people[imp->npeople];
		memset(p, 0, sizeof *p);
		p->id = stmt_int(st, 0);
		p->employee_id = arena_strdup(a, stmt_text(st, 1));
		p->name = arena_strdup(a, stmt_text(st, 2));
		p->email = arena_strdup(a, stmt_text(st, 3));
		p->title = arena_strdup(a, stmt_text(st, 4));
		p->country = arena_strdup(a, stmt_text(st, 5));
		p->track = arena_strdup(a, stmt_text(st, 6));
		p->role_profile = arena_strdup(a, stmt_text(st, 7));
		p->start_date = stmt_int(st, 8);
		p->has_end = !stmt_is_null(st, 9);
		p->end_date = p->has_end ? stmt_int(st, 9) : 0;
		p->merged_into = stmt_is_null(st, 10) ? NULL : arena_strdup(a, stmt_text(st, 10));
		hmap_put(&imp->existing_by_eid, p->employee_id, (int64_t)imp->npeople);
		owner_put(imp, "email", p->email, p->id);
		char key[HMAP_ID_KEY_SIZE];
		hmap_id_key(key, p->id);
		hmap_put(&imp->existing_by_id, key, (int64_t)imp->npeople);
		imp->npeople++;
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;

	static const char *const open_rows[] = {
	        "SELECT person_id, team_id, valid_from FROM team_memberships WHERE valid_to IS "
	        "NULL",
	        "SELECT person_id, manager_id, valid_from FROM reporting_lines WHERE valid_to IS "
	        "NULL",
	        "SELECT person_id, level, valid_from FROM levels WHERE valid_to IS NULL",
	};
	for (int kind = 0; kind < 3; kind++) {
		if ((rc = store_prepare(s, open_rows[kind], &st, err)) < 0)
			return rc;
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			char key[HMAP_ID_KEY_SIZE];
			int64_t idx;
			hmap_id_key(key, stmt_int(st, 0));
			if (!hmap_get(&imp->existing_by_id, key, &idx))
				continue;
			struct existing *p = &imp->people[idx];
			int64_t from = stmt_int(st, 2);
			if (kind == 0) {
				p->team_id = stmt_int(st, 1), p->team_from = from,
				p->has_team = true;
			} else if (kind == 1) {
				p->manager_id = stmt_int(st, 1), p->manager_from = from,
				p->has_manager = true;
			} else {
				p->level = arena_strdup(a, stmt_text(st, 1));
				p->level_from = from, p->has_level = true;
			}
		}
		stmt_reset(st);
		if (rc < 0)
			return rc;
	}

	if ((rc = store_prepare(s, "SELECT system, login, person_id FROM identities", &st, err)) <
	    0)
		return rc;
	while ((rc = stmt_step(st, err)) == STORE_ROW)
		owner_put(imp, stmt_text(st, 0), stmt_text(st, 1), stmt_int(st, 2));
	stmt_reset(st);
	if (rc < 0)
		return rc;

	if ((rc = store_prepare(s, "SELECT id, name, kind, parent_id FROM teams ORDER BY id", &st,
	                        err)) < 0)
		return rc;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		struct team *t = team_append(imp, stmt_text(st, 1));
		t->id = stmt_int(st, 0);
		t->kind = arena_strdup(a, stmt_text(st, 2));
		t->parent_id = stmt_is_null(st, 3) ? 0 : stmt_int(st, 3);
		t->exists = true;
		char team_key[HMAP_ID_KEY_SIZE];
		hmap_id_key(team_key, t->id);
		hmap_put(&imp->team_by_id, team_key, (int64_t)imp->nteams - 1);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- validation ---------------------------------------------------------- */

/* One of a row's ';'-separated emails without the blanks around it: "a@x;
 * b@x" and "a@x ; b@x" both list two (the blank before ';' was taken for
 * part of the address and refused).  "" for a blank between two ';'. */
static char *email_trimmed(char *tok)
{
	while (*tok == ' ' || *tok == '\t')
		tok++;
	size_t n = strlen(tok);
	while (n > 0 && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
		tok[--n] = '\0';
	return tok;
}

/* Check one identity claim against the file and the database.  Case-blind
 * accounts are compared in any letter case (identity_key); a claim the
 * same person makes again, in whatever spelling, is no conflict. */
static void claim_identity(struct import *imp, const struct org_row *row, size_t idx,
                           const char *system, const char *field, const char *login)
{
	if (!*login)
		return;
	if (pseudonym_account_shaped(login)) {
		row_error(imp, row->line, field, "'%s' is an account pseudonym, not an account",
		          login);
		return;
	}
	char key[IDENTITY_KEY_MAX];
	if (!identity_key(key, system, login)) {
		row_error(imp, row->line, field, "too long (over %d bytes)", IDENTITY_LOGIN_MAX);
		return;
	}
	/* Who holds the account in the database, if anyone. */
	int64_t owner, e, pidx;
	const struct identity_use *u = NULL;
	const char *held_by = NULL;
	if (hmap_get(&imp->identity_owner, key, &owner)) {
		u = &imp->owners[owner];
		char idkey[HMAP_ID_KEY_SIZE];
		hmap_id_key(idkey, u->person);
		if (hmap_get(&imp->existing_by_id, idkey, &pidx))
			held_by = imp->people[pidx].employee_id;
	}
	/* What identity link would take: one with a space matched no event, and
	 * identity link could not unlink it (found in session 52).  A GitHub
	 * login outside GitHub's rule for new ones that plumb holds already
	 * (an old account's, imported before) is still taken, as identity link
	 * takes it, so that the file that named it still imports.  Text
	 * validate_row refused already is not named twice. */
	bool held_github =
	        u && strcmp(system, "github") == 0 && identity_account_valid(system, login);
	if (org_valid_text(login, ORG_TEXT_MAX) && !held_github &&
	    !identity_account_entry_valid(system, login)) {
		if (strcmp(system, "github") == 0)
			row_error(imp, row->line, field, "'%s' is not %s", login,
			          IDENTITY_GITHUB_LOGIN_RULE);
		else
			row_error(imp, row->line, field,
			          "'%s' is not a %s account: one word, without spaces", login,
			          system);
		return;
	}
	/* A merged record keeps no accounts (identity link refuses it too): one
	 * added here would credit the record its human left, not the survivor
	 * (found in review).  A file from the HRIS may well still list the old
	 * record with the accounts the merge moved: those stay where they went.
	 * Its primary email is no account: it follows the merge. */
	const char *merged = hmap_get(&imp->existing_by_eid, row->employee_id, &e)
	                             ? imp->people[e].merged_into
	                             : NULL;
	if (merged && strcmp(field, "email") != 0) {
		if (held_by && strcmp(held_by, merged) == 0)
			return;
		if (!u) {
			row_error(imp, row->line, field,
			          "%s was merged into %s (person merge), so takes no new accounts: "
			          "give %s '%s' on %s's row",
			          row->employee_id, merged, system, login, merged);
			return;
		}
	}
	int64_t other;
	if (!hmap_get(&imp->claims, key, &other)) {
		other = use_append(&imp->claim_list, &imp->nclaims, &imp->claims_alloc,
		                   (int64_t)idx, login);
		hmap_put(&imp->claims, key, other);
	} else if ((size_t)imp->claim_list[other].person != idx) {
		const struct identity_use *c = &imp->claim_list[other];
		const struct org_row *o = &imp->in->rows[c->person];
		bool same = strcmp(c->login, login) == 0;
		row_error(imp, row->line, field, "%s '%s' is also claimed by %s (line %ld%s%s%s)",
		          system, login, o->employee_id, o->line, same ? "" : ", as '",
		          same ? "" : c->login, same ? "" : "'");
	}
	if (held_by && strcmp(held_by, row->employee_id) != 0) {
		bool same = strcmp(u->login, login) == 0;
		row_error(imp, row->line, field, "%s '%s' already belongs to %s%s%s%s", system,
		          login, held_by, same ? "" : " (as '", same ? "" : u->login,
		          same ? "" : "')");
	}
}

static void validate_row(struct import *imp, size_t i)
{
	const struct org_row *row = &imp->in->rows[i];
	struct parsed *pv = &imp->parsed[i];
	struct error e = {0};
	long line = row->line;
	if (!org_valid_name(row->employee_id))
		row_error(imp, line, "employee_id",
		          "'%s' is not a valid id (letters, digits, - _ . up to 64)",
		          row->employee_id);
	else {
		int64_t first;
		if (hmap_get(&imp->row_by_eid, row->employee_id, &first))
			row_error(imp, line, "employee_id", "%s appears twice (first on line %ld)",
			          row->employee_id, imp->in->rows[first].line);
		else
			hmap_put(&imp->row_by_eid, row->employee_id, (int64_t)i);
	}
	/* Free text ends up in tables and terminals: bounded, no control bytes. */
	static const struct {
		const char *field;
		size_t offset;
	} texts[] = {
	        {"name", offsetof(struct org_row, name)},
	        {"title", offsetof(struct org_row, title)},
	        {"team", offsetof(struct org_row, team)},
	        {"level", offsetof(struct org_row, level)},
	        {"role_profile", offsetof(struct org_row, role_profile)},
	        {"parent_team", offsetof(struct org_row, parent_team)},
	        {"github_login", offsetof(struct org_row, github_login)},
	        {"jira_account_id", offsetof(struct org_row, jira_account_id)},
	        {"pagerduty_user_id", offsetof(struct org_row, pagerduty_user_id)},
	};
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		const char *v = *(const char *const *)((const char *)row + texts[t].offset);
		if (!org_valid_text(v, ORG_TEXT_MAX))
			row_error(imp, line, texts[t].field,
			          "longer than %d bytes, not UTF-8, or holds control characters",
			          ORG_TEXT_MAX);
	}
	if (!*row->name)
		row_error(imp, line, "name", "empty; every person needs a name");
	if (!org_valid_email(row->email))
		row_error(imp, line, "email", "'%s' is not an email address", row->email);
	else /* a primary email may not be anyone else's address either */
		claim_identity(imp, row, i, "email", "email", row->email);
	if (!*row->team)
		row_error(imp, line, "team", "empty; every person belongs to a team");
	if (!*row->level)
		row_error(imp, line, "level", "empty; expected a level such as L3 or M1");
	if (!*row->role_profile)
		row_error(imp, line, "role_profile",
		          "empty; expected e.g. backend, frontend, sre, data, manager");
	if (strcasecmp(row->track, "ic") == 0)
		pv->track = "ic";
	else if (strcasecmp(row->track, "manager") == 0)
		pv->track = "manager";
	else
		row_error(imp, line, "track", "'%s' is not a track; expected ic or manager",
		          row->track);
	if (!country_valid(row->country))
		row_error(imp, line, "country",
		          "'%s' is not an ISO 3166-1 alpha-2 code (e.g. DE, US)", row->country);
	if (ts_parse_date(row->start_date, &pv->start, &e) < 0) {
		row_error(imp, line, "start_date", "'%s' is not a valid date; expected YYYY-MM-DD",
		          row->start_date);
		err_clear(&e);
	}
	if (*row->end_date) {
		if (ts_parse_date(row->end_date, &pv->end, &e) < 0) {
			row_error(imp, line, "end_date",
			          "'%s' is not a valid date; expected YYYY-MM-DD", row->end_date);
			err_clear(&e);
		} else if (pv->end < pv->start) {
			row_error(imp, line, "end_date", "%s is before start_date %s",
			          row->end_date, row->start_date);
		} else {
			pv->has_end = true;
		}
	}
	if (*row->team_kind && strcmp(row->team_kind, "permanent") != 0 &&
	    strcmp(row->team_kind, "project") != 0)
		row_error(imp, line, "team_kind",
		          "'%s' is not a team kind; expected permanent or project", row->team_kind);
	if (*row->manager_id && strcmp(row->manager_id, row->employee_id) == 0)
		row_error(imp, line, "manager_id", "%s cannot manage themselves", row->employee_id);
	claim_identity(imp, row, i, "github", "github_login", row->github_login);
	claim_identity(imp, row, i, "jira", "jira_account_id", row->jira_account_id);
	claim_identity(imp, row, i, "pagerduty", "pagerduty_user_id", row->pagerduty_user_id);
	if (*row->emails) {
		char *list = xstrdup(row->emails);
		char *save = NULL;
		for (char *tok = strtok_r(list, ";", &save); tok;
		     tok = strtok_r(NULL, ";", &save)) {
			tok = email_trimmed(tok);
			if (!*tok)
				continue;
			if (!org_valid_email(tok))
				row_error(imp, line, "emails", "'%s' is not an email address", tok);
			else
				claim_identity(imp, row, i, "email", "emails",
				               arena_strdup(imp->ctx->arena, tok));
		}
		free(list);
	}
}

/* Manager id of node n in the combined graph (file rows, then DB-only people). */
static const char *manager_of(struct import *imp, const char *eid)
{
	int64_t idx;
	if (hmap_get(&imp->row_by_eid, eid, &idx)) {
		const char *m = imp->in->rows[idx].manager_id;
		return strcmp(m, eid) == 0 ? "" : m; /* self-management: validate_row */
	}
	if (hmap_get(&imp->existing_by_eid, eid, &idx) && imp->people[idx].has_manager) {
		char key[HMAP_ID_KEY_SIZE];
		int64_t midx;
		hmap_id_key(key, imp->people[idx].manager_id);
		if (hmap_get(&imp->existing_by_id, key, &midx))
			return imp->people[midx].employee_id;
	}
	return "";
}

static void validate_managers(struct import *imp)
{
	const struct org_import_input *in = imp->in;
	for (size_t i = 0; i < in->nrows; i++) {
		const struct org_row *row = &in->rows[i];
		if (!*row->manager_id || strcmp(row->manager_id, row->employee_id) == 0)
			continue;
		int64_t m;
		bool in_file = hmap_get(&imp->row_by_eid, row->manager_id, &m);
		bool in_db = !in_file && hmap_get(&imp->existing_by_eid, row->manager_id, &m);
		const struct parsed *pv = &imp->parsed[i];
		bool active = !pv->has_end || pv->end > imp->opts->as_of;
		if (!in_file && !in_db) {
			row_error(imp, row->line, "manager_id", "manager %s does not exist",
			          row->manager_id);
			continue;
		}
		if (!active)
			continue;
		bool left =
		        in_file ? imp->parsed[m].has_end && imp->parsed[m].end <= imp->opts->as_of
		                : imp->people[m].has_end &&
		                          imp->people[m].end_date <= imp->opts->as_of;
		/* A merged record counts as having left: its human manages as
		 * the record it went into (found in review: a report was moved
		 * out of that manager's chain). */
		int64_t e;
		const char *merged = hmap_get(&imp->existing_by_eid, row->manager_id, &e)
		                             ? imp->people[e].merged_into
		                             : NULL;
		if (left)
			row_error(imp, row->line, "manager_id",
			          "manager %s has left the organization", row->manager_id);
		else if (merged)
			row_error(imp, row->line, "manager_id",
			          "manager %s was merged into %s (person merge): name %s",
			          row->manager_id, merged, merged);
		else if (!in_file && imp->opts->full)
			row_error(imp, row->line, "manager_id",
			          "manager %s is not in the file, so --full would end them",
			          row->manager_id);
	}
	/* Cycle detection: walk up from each row; state 1 = on the current path. */
	struct hmap state;
	hmap_init(&state);
	for (size_t i = 0; i < in->nrows; i++) {
		const char *start = in->rows[i].employee_id;
		int64_t st;
		if (hmap_get(&state, start, &st))
			continue;
		const char *cur = start;
		size_t steps = 0;
		while (*cur && !hmap_get(&state, cur, &st) && steps++ <= in->nrows + imp->npeople) {
			hmap_put(&state, cur, 1);
			cur = manager_of(imp, cur);
		}
		if (*cur && hmap_get(&state, cur, &st) && st == 1) {
			struct sb path = SB_INIT;
			const char *p = cur;
			size_t guard = 0;
			do {
				sb_printf(&path, "%s -> ", p);
				p = manager_of(imp, p);
			} while (strcmp(p, cur) != 0 && guard++ < 64);
			sb_puts(&path, cur);
			int64_t line_idx;
			long line = hmap_get(&imp->row_by_eid, cur, &line_idx)
			                    ? in->rows[line_idx].line
			                    : in->rows[i].line;
			row_error(imp, line, "manager_id", "reporting cycle: %s", path.buf);
			sb_release(&path);
		}
		/* Mark the walked path done. */
		for (const char *p = start; *p && hmap_get(&state, p, &st) && st == 1;
		     p = manager_of(imp, p))
			hmap_put(&state, p, 2);
	}
	hmap_release(&state);
}

static struct team *team_get(struct import *imp, const char *name, bool create)
{
	int64_t idx;
	if (hmap_get(&imp->team_by_name, name, &idx))
		return &imp->teams[idx];
	return create ? team_append(imp, name) : NULL;
}

static void want_parent(struct import *imp, struct team *t, const char *parent, long line)
{
	if (t->explicit_parent && strcmp(t->want_parent ? t->want_parent : "", parent) != 0) {
		row_error(imp, line, "parent_team",
		          "team %s is given parent %s here but %s on line %ld", t->name,
		          *parent ? parent : "(none)", t->want_parent ? t->want_parent : "(none)",
		          t->parent_line);
		return;
	}
	if (strcmp(parent, t->name) == 0) {
		row_error(imp, line, "parent_team", "team %s cannot be its own parent", t->name);
		return;
	}
	t->explicit_parent = true;
	t->want_parent = *parent ? parent : NULL;
	t->parent_line = line;
}

static void want_kind(struct import *imp, struct team *t, const char *kind, long line)
{
	if (t->want_kind && strcmp(t->want_kind, kind) != 0) {
		row_error(imp, line, "team_kind", "team %s is %s here but %s elsewhere in the file",
		          t->name, kind, t->want_kind);
		return;
	}
	t->want_kind = kind;
}

/* The team a person (by employee id) will be in after this import. */
static const char *team_name_of(struct import *imp, const char *eid)
{
	int64_t idx;
	if (hmap_get(&imp->row_by_eid, eid, &idx))
		return imp->in->rows[idx].team;
	char key[HMAP_ID_KEY_SIZE];
	if (hmap_get(&imp->existing_by_eid, eid, &idx) && imp->people[idx].has_team &&
	    hmap_get(&imp->team_by_id, hmap_id_key(key, imp->people[idx].team_id), &idx))
		return imp->teams[idx].name;
	return "";
}

struct parent_vote {
	size_t team;
	const char *parent;
};

static int cmp_vote(const void *a, const void *b)
{
	const struct parent_vote *x = a, *y = b;
	if (x->team != y->team)
		return x->team < y->team ? -1 : 1;
	return strcmp(x->parent, y->parent);
}

/* How many managers within the file are above each row (a manager only in
 * the database, or none, makes a row the file's top: 0).  Each chain is
 * walked once, its depths filled back from where a known one was met; a
 * reporting loop (an error of its own) ends the walk. */
static size_t *row_depths(const struct import *imp)
{
	const struct org_import_input *in = imp->in;
	size_t n = in->nrows;
	size_t *depth = xcalloc(n ? n : 1, sizeof *depth);
	size_t *chain = xcalloc(n ? n : 1, sizeof *chain);
	bool *known = xcalloc(n ? n : 1, sizeof *known);
	bool *on_chain = xcalloc(n ? n : 1, sizeof *on_chain);
	for (size_t i = 0; i < n; i++) {
		size_t len = 0, cur = i;
		/* Up to a row whose depth is known, the top, or a row met before
		 * on this walk (a loop): each row is walked once in all. */
		while (!known[cur] && !on_chain[cur]) {
			chain[len++] = cur;
			on_chain[cur] = true;
			int64_t m;
			if (!*in->rows[cur].manager_id ||
			    !hmap_get(&imp->row_by_eid, in->rows[cur].manager_id, &m))
				break;
			cur = (size_t)m;
		}
		size_t above = known[cur] ? depth[cur] + 1 : 0;
		while (len > 0) {
			size_t r = chain[--len];
			on_chain[r] = false;
			depth[r] = above++;
			known[r] = true;
		}
	}
	free(chain);
	free(known);
	free(on_chain);
	return depth;
}

/* Without parent_team, a new team's parent is the team its members' outside
 * managers are most often in (ties broken by name, so the result is stable),
 * counting only the votes of members whose manager is higher than the
 * team's highest member in the file: in a matrix (engineering's VP above
 * payments' director, one of engineering's engineers reporting to that
 * director) each team's votes would name the other, a loop the file never
 * stated (found in review).  A manager only in the database counts as
 * higher than anyone in the file.
 * An existing team keeps its place unless the file says otherwise or the
 * import is --full (the file is the whole organization): a partial file
 * must not move teams.  One pass collects votes; sorting groups them. */
static void infer_parents(struct import *imp)
{
	const struct org_import_input *in = imp->in;
	struct parent_vote *votes = xcalloc(in->nrows ? in->nrows : 1, sizeof *votes);
	bool *has_members = xcalloc(imp->nteams ? imp->nteams : 1, sizeof *has_members);
	size_t *depth = row_depths(imp);
	/* Each team's highest member's depth; SIZE_MAX: none in the file. */
	size_t *top = xcalloc(imp->nteams ? imp->nteams : 1, sizeof *top);
	for (size_t t = 0; t < imp->nteams; t++)
		top[t] = SIZE_MAX;
	size_t nvotes = 0;
	for (size_t i = 0; i < in->nrows; i++) {
		int64_t tidx;
		if (hmap_get(&imp->team_by_name, in->rows[i].team, &tidx) && depth[i] < top[tidx])
			top[tidx] = depth[i];
	}
	for (size_t i = 0; i < in->nrows; i++) {
		const struct org_row *row = &in->rows[i];
		int64_t tidx, mrow;
		if (!hmap_get(&imp->team_by_name, row->team, &tidx))
			continue;
		has_members[tidx] = true;
		if (!*row->manager_id || imp->teams[tidx].explicit_parent ||
		    (imp->teams[tidx].exists && !imp->opts->full))
			continue;
		const char *mteam = team_name_of(imp, row->manager_id);
		bool higher = !hmap_get(&imp->row_by_eid, row->manager_id, &mrow) ||
		              depth[mrow] < top[tidx];
		if (*mteam && strcmp(mteam, row->team) != 0 && higher)
			votes[nvotes++] = (struct parent_vote){(size_t)tidx, mteam};
	}
	free(depth);
	free(top);
	if (nvotes > 1) /* qsort(NULL, 0) is undefined */
		qsort(votes, nvotes, sizeof *votes, cmp_vote);
	for (size_t t = 0; t < imp->nteams; t++) {
		struct team *team = &imp->teams[t];
		if (team->explicit_parent)
			continue;
		if (team->exists && (!imp->opts->full || !has_members[t])) {
			team->keep_parent = true;
			continue;
		}
		team->want_parent = NULL;
	}
	for (size_t v = 0; v < nvotes;) {
		size_t team_idx = votes[v].team;
		const char *best = NULL;
		size_t best_count = 0;
		while (v < nvotes && votes[v].team == team_idx) {
			size_t run = v;
			while (run < nvotes && votes[run].team == team_idx &&
			       strcmp(votes[run].parent, votes[v].parent) == 0)
				run++;
			if (run - v > best_count) /* sorted by name: first of equals wins */
				best = votes[v].parent, best_count = run - v;
			v = run;
		}
		struct team *team = &imp->teams[team_idx];
		if (!team->explicit_parent && !team->keep_parent)
			team->want_parent = arena_strdup(imp->ctx->arena, best);
	}
	free(votes);
	free(has_members);
}

/* Team t's parent chain leads back to t: said on the line that gave its
 * parent, or, when no line did, on line 1 saying where the parent came from. */
static void parent_loop(struct import *imp, const struct team *t)
{
	if (t->parent_line > 0) {
		row_error(imp, t->parent_line, "parent_team", "team %s would be its own ancestor",
		          t->name);
		return;
	}
	row_error(imp, 1, "parent_team",
	          "team %s would be its own ancestor through a parent the file does not give "
	          "(kept from the database, or inferred from its members' managers): give its "
	          "parent_team",
	          t->name);
}

static void validate_teams(struct import *imp)
{
	const struct org_import_input *in = imp->in;
	for (size_t i = 0; i < in->nteams; i++) {
		const struct org_team_row *tr = &in->teams[i];
		if (!tr->name || !*tr->name || !org_valid_text(tr->name, ORG_TEXT_MAX)) {
			row_error(imp, tr->line, "name",
			          "every team needs a name (up to %d bytes, no "
			          "control characters)",
			          ORG_TEXT_MAX);
			continue;
		}
		struct team *t = team_get(imp, tr->name, true);
		if (tr->kind && *tr->kind) {
			if (strcmp(tr->kind, "permanent") != 0 && strcmp(tr->kind, "project") != 0)
				row_error(imp, tr->line, "kind",
				          "'%s' is not a team kind; expected permanent or project",
				          tr->kind);
			else
				want_kind(imp, t, tr->kind, tr->line);
		}
		if (tr->parent)
			want_parent(imp, t, tr->parent, tr->line);
	}
	for (size_t i = 0; i < in->nrows; i++) {
		const struct org_row *row = &in->rows[i];
		if (!*row->team)
			continue;
		struct team *t = team_get(imp, row->team, true);
		if (strcmp(row->team_kind, "permanent") == 0 ||
		    strcmp(row->team_kind, "project") == 0)
			want_kind(imp, t, row->team_kind, row->line); /* bad kinds: validate_row */
		if (*row->parent_team) {
			team_get(imp, row->parent_team, true);
			t = team_get(imp, row->team, false); /* the array may have moved */
			want_parent(imp, t, row->parent_team, row->line);
		}
	}
	for (size_t i = 0; i < in->nteams; i++)
		if (in->teams[i].parent && *in->teams[i].parent)
			team_get(imp, in->teams[i].parent, true);
	infer_parents(imp);
	/* A parent chain that loops back is an error; kept parents count too,
	 * since a new explicit parent can close a loop through them. */
	for (size_t t = 0; t < imp->nteams; t++) {
		const struct team *cur = &imp->teams[t];
		for (size_t steps = 0; steps <= imp->nteams; steps++) {
			int64_t next = -1;
			char key[HMAP_ID_KEY_SIZE];
			if (!cur->keep_parent && cur->want_parent)
				hmap_get(&imp->team_by_name, cur->want_parent, &next);
			else if (cur->keep_parent && cur->parent_id)
				hmap_get(&imp->team_by_id, hmap_id_key(key, cur->parent_id), &next);
			if (next < 0)
				break;
			cur = &imp->teams[next];
			if (cur == &imp->teams[t]) {
				parent_loop(imp, cur);
				break;
			}
		}
	}
}

static void validate_services(struct import *imp)
{
	struct hmap seen;
	hmap_init(&seen);
	for (size_t i = 0; i < imp->in->nservices; i++) {
		const struct org_service_row *s = &imp->in->services[i];
		int64_t first;
		if (s->name && hmap_get(&seen, s->name, &first))
			row_error(imp, s->line, "name",
			          "service %s appears twice (first on line %ld)", s->name,
			          imp->in->services[first].line);
		else if (s->name)
			hmap_put(&seen, s->name, (int64_t)i);
		if (!s->name || !org_valid_name(s->name))
			row_error(imp, s->line, "name", "'%s' is not a valid service name",
			          s->name ? s->name : "");
		if (!s->team || !team_get(imp, s->team, false))
			row_error(imp, s->line, "team", "team '%s' does not exist",
			          s->team ? s->team : "");
		if (s->description && !org_valid_text(s->description, ORG_DESCRIPTION_MAX))
			row_error(imp, s->line, "description",
			          "not one line of UTF-8 text (up to %d bytes, no control "
			          "characters)",
			          ORG_DESCRIPTION_MAX);
	}
	hmap_release(&seen);
}

/* ---- applying ------------------------------------------------------------- */

struct history_kind {
	const char *name;
	const char *insert_target, *close_sql, *replace_sql;
	const char *drop_sql; /* remove the open row (only managers can go) */
	int batch;            /* index into import.history_batch */
	/* After a same-day replace: whether the row before the open one, ending
	 * where it starts, holds the same value; then the open row goes and
	 * that one is open again (one row, not two alike end to end). */
	const char *rejoin_check_sql, *delete_open_sql, *reopen_sql;
	/* With no open row: the row ending at ?2 holding the value ?3 (given
	 * back on the day it was taken away) is open again. */
	const char *reopen_same_sql;
	/* The end of the person's last closed row, or none. */
	const char *last_end_sql;
};

#define HISTORY_REJOIN(table, column)                                                              \
	"SELECT 1 FROM " table " p JOIN " table " o ON o.person_id = p.person_id AND o.valid_to "  \
	"IS NULL AND o.valid_from = p.valid_to AND o." column " = p." column                       \
	" WHERE p.person_id = ?",                                                                  \
	        "DELETE FROM " table " WHERE person_id = ? AND valid_to IS NULL",                  \
	        "UPDATE " table " SET valid_to = NULL WHERE person_id = ? AND valid_to = ?",       \
	        "UPDATE " table                                                                    \
	        " SET valid_to = NULL WHERE person_id = ?1 AND valid_to = ?2 AND " column          \
	        " = ?3 RETURNING person_id",                                                       \
	        "SELECT MAX(valid_to) FROM " table " WHERE person_id = ?1"

static const struct history_kind hist_team = {
        "team",
        "team_memberships(person_id, team_id, valid_from, valid_to)",
        "UPDATE team_memberships SET valid_to = ? WHERE person_id = ? AND valid_to IS NULL",
        "UPDATE team_memberships SET team_id = ? WHERE person_id = ? AND valid_to IS NULL",
        NULL,
        0,
        HISTORY_REJOIN("team_memberships", "team_id"),
};
static const struct history_kind hist_manager = {
        "manager",
        "reporting_lines(person_id, manager_id, valid_from, valid_to)",
        "UPDATE reporting_lines SET valid_to = ? WHERE person_id = ? AND valid_to IS NULL",
        "UPDATE reporting_lines SET manager_id = ? WHERE person_id = ? AND valid_to IS NULL",
        "DELETE FROM reporting_lines WHERE person_id = ? AND valid_to IS NULL",
        1,
        HISTORY_REJOIN("reporting_lines", "manager_id"),
};
static const struct history_kind hist_level = {
        "level",
        "levels(person_id, level, valid_from, valid_to)",
        "UPDATE levels SET valid_to = ? WHERE person_id = ? AND valid_to IS NULL",
        "UPDATE levels SET level = ? WHERE person_id = ? AND valid_to IS NULL",
        NULL,
        2,
        HISTORY_REJOIN("levels", "level"),
};
static const struct history_kind *const history_kinds[] = {&hist_team, &hist_manager, &hist_level};

static void bind_value(struct store_stmt *st, int idx, const char *text, int64_t num)
{
	if (text)
		stmt_bind_text(st, idx, text);
	else
		stmt_bind_int(st, idx, num);
}

static int run1(struct store_stmt *st, struct error *err)
{
	int rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* A date when the time is midnight, else the full time. */
static const char *format_when(int64_t ms, char buf[TS_BUF])
{
	return ms == ts_day_floor(ms) ? ts_format_date(ms, buf) : ts_format(ms, buf);
}

/* What the file says one history (team, manager or level) should be. */
struct history_change {
	const struct history_kind *kind;
	int64_t person_id;
	bool has_open; /* the current (open) row */
	int64_t open_from;
	bool changed; /* the value differs from the open row's */
	bool has_new; /* false: no value any more (no manager) */
	const char *text;
	int64_t num;
	int64_t from; /* when a change takes effect */
	bool ends;    /* the person has left, at `until` */
	bool notice;  /* or will leave then: an end date still to come */
	int64_t until;
	const char *who; /* the person's employee id */
	bool rejoin;     /* still employed: a row closed at `from` may open again */
	long line;
};

static int history_close(struct import *imp, const struct history_kind *k, int64_t person_id,
                         int64_t at, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(imp->ctx->store, k->close_sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, at);
	stmt_bind_int(st, 2, person_id);
	return run1(st, err);
}

/* The open row ends when the person left (c->until); from its own start
 * or before (someone who left the day they started) it goes instead, as
 * an import after that day writes none (found by importing a hire who
 * never came before their day: once it passed, their rows closed where
 * they began). */
static int history_end(struct import *imp, const struct history_change *c, struct error *err)
{
	if (c->until > c->open_from)
		return history_close(imp, c->kind, c->person_id, c->until, err);
	struct store_stmt *st;
	int rc = store_prepare(imp->ctx->store, c->kind->delete_open_sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, c->person_id);
	return run1(st, err);
}

/* The open row, replaced on its own start day (c->from), back to the value
 * of the row before it: the two become one again (found in review: a move
 * taken back on its day left "payments to 03-01, payments from 03-01"). */
static int history_rejoin(struct import *imp, const struct history_kind *k,
                          const struct history_change *c, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(imp->ctx->store, k->rejoin_check_sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, c->person_id);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc != STORE_ROW)
		return rc < 0 ? rc : 0;
	if ((rc = store_prepare(imp->ctx->store, k->delete_open_sql, &st, err)) < 0)
		return rc;
	stmt_bind_int(st, 1, c->person_id);
	if ((rc = run1(st, err)) < 0)
		return rc;
	if ((rc = store_prepare(imp->ctx->store, k->reopen_sql, &st, err)) < 0)
		return rc;
	stmt_bind_int(st, 1, c->person_id);
	stmt_bind_int(st, 2, c->from);
	return run1(st, err);
}

/* Move a history to its new value from c->from on, closing the open row;
 * a change dated on the open row's own start replaces its value.  For
 * someone who has left, the last row ends when they left. */
static int history_apply(struct import *imp, const struct history_change *c, struct error *err)
{
	const struct history_kind *k = c->kind;
	if (!c->changed)
		return c->ends && c->has_open ? history_end(imp, c, err) : 0;
	/* A change from the day someone leaves on is refused, as an end date
	 * before a recorded change is (check_end_dates): found by giving notice,
	 * then moving the person after the date; once it passed, the rows closed
	 * at the move, after they had left, the new one where it began. */
	if (c->notice && c->from >= c->until) {
		char a[TS_BUF], b[TS_BUF];
		row_error(imp, c->line, k->name,
		          "change effective %s is not before %s's end date %s",
		          format_when(c->from, a), c->who, format_when(c->until, b));
		return 0;
	}
	/* A change from the day someone left on was never in effect: the kind
	 * ends as if unchanged (found in review: a hire who never came, given
	 * another team from their start day, kept a row that began and ended
	 * that day, and the audit entry did not name it). */
	if (c->ends && c->until <= c->from)
		return c->has_open ? history_end(imp, c, err) : 0;
	if (c->has_open && c->from < c->open_from) {
		char a[TS_BUF], b[TS_BUF];
		row_error(imp, c->line, k->name,
		          "change effective %s precedes the current record from %s",
		          format_when(c->from, a), format_when(c->open_from, b));
		return 0;
	}
	int rc;
	if (c->has_open && c->from == c->open_from && c->has_new) {
		struct store_stmt *st;
		if ((rc = store_prepare(imp->ctx->store, k->replace_sql, &st, err)) < 0)
			return rc;
		bind_value(st, 1, c->text, c->num);
		stmt_bind_int(st, 2, c->person_id);
		if ((rc = run1(st, err)) < 0 || (rc = history_rejoin(imp, k, c, err)) < 0)
			return rc;
		/* The open row may be the one before now (rejoined): it ends. */
		int64_t left = c->until > c->open_from ? c->until : c->open_from;
		return c->ends ? history_close(imp, k, c->person_id, left, err) : 0;
	}
	if (c->has_open && c->from == c->open_from && !c->has_new) {
		/* No value any more from the open row's own start: the row goes,
		 * rather than being closed where it opened. */
		struct store_stmt *st;
		if (!k->drop_sql)
			BUG("%s history without a value", k->name);
		if ((rc = store_prepare(imp->ctx->store, k->drop_sql, &st, err)) < 0)
			return rc;
		stmt_bind_int(st, 1, c->person_id);
		return run1(st, err);
	}
	bool insert = c->has_new && !(c->ends && c->until <= c->from);
	if (!c->has_open && insert && c->rejoin) {
		/* With no current row (a manager taken away), a change still may
		 * not reach back over the last one's end (found by taking a
		 * manager away, then giving another from an earlier date: the two
		 * rows overlapped). */
		struct store_stmt *st;
		if ((rc = store_prepare(imp->ctx->store, k->last_end_sql, &st, err)) < 0)
			return rc;
		stmt_bind_int(st, 1, c->person_id);
		rc = stmt_step(st, err);
		int64_t last_end = rc == STORE_ROW && !stmt_is_null(st, 0) ? stmt_int(st, 0) : 0;
		stmt_reset(st);
		if (rc < 0)
			return rc;
		if (c->from < last_end) {
			char a[TS_BUF], b[TS_BUF];
			row_error(imp, c->line, k->name,
			          "change effective %s precedes the end of the last record, %s",
			          format_when(c->from, a), format_when(last_end, b));
			return 0;
		}
	}
	if (!c->has_open && insert && c->rejoin) {
		/* A manager taken away and given back on the same day: the row
		 * closed then is open again, not followed by a second one alike
		 * (found by importing a file without the manager, then with it,
		 * at one --effective). */
		struct store_stmt *st;
		if ((rc = store_prepare(imp->ctx->store, k->reopen_same_sql, &st, err)) < 0)
			return rc;
		stmt_bind_int(st, 1, c->person_id);
		stmt_bind_int(st, 2, c->from);
		bind_value(st, 3, c->text, c->num);
		rc = stmt_step(st, err);
		stmt_reset(st);
		if (rc < 0)
			return rc;
		if (rc == STORE_ROW)
			return c->ends ? history_close(imp, k, c->person_id, c->until, err) : 0;
	}
	if (c->has_open) {
		rc = c->ends && c->until < c->from
		             ? history_end(imp, c, err)
		             : history_close(imp, k, c->person_id, c->from, err);
		if (rc < 0)
			return rc;
		imp->sum->history_rows += insert;
	}
	if (!insert)
		return 0;
	/* New rows are batched: each person's open row was closed just above,
	 * and no later statement of this import touches that person's history. */
	struct store_batch *b = imp->history_batch[k->batch];
	store_batch_int(b, c->person_id);
	if (c->text)
		store_batch_text(b, c->text);
	else
		store_batch_int(b, c->num);
	store_batch_int(b, c->from);
	store_batch_opt_int(b, c->until, c->ends);
	return store_batch_row_end(b, err);
}

/* A team's entry: its kind and parent, and for a team moved to another
 * parent (or none) the time the move took effect. */
static int audit_team(struct import *imp, const char *action, const struct team *team,
                      const char *kind, const char *parent, bool moved, struct error *err)
{
	struct sb detail = SB_INIT;
	struct jw w;
	char buf[TS_BUF];
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "kind", kind);
	jw_kstr(&w, "parent", parent);
	if (moved)
		jw_kstr(&w, "effective", ts_format(imp->opts->effective, buf));
	jw_object_end(&w);
	int rc = audit_append(imp->ctx, action, "team", team->name, detail.buf, err);
	sb_release(&detail);
	return rc;
}

/* The line to name for team's parent: the one that gave it, else line 1. */
static long parent_line_of(const struct team *team)
{
	return team->parent_line > 0 ? team->parent_line : 1;
}

/* One statement on a team's parent rows: ?1 the team, then the ints given. */
static int parent_rows_run(struct import *imp, const char *sql, int64_t team, int64_t a, int64_t b,
                           int nargs, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(imp->ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, team);
	if (nargs > 0)
		stmt_bind_int(st, 2, a);
	if (nargs > 1)
		stmt_bind_int(st, 3, b);
	return run1(st, err);
}

/* The row of team under parent that ended at at, open again (*reopened):
 * a move given back on the day it was made. */
static int reopen_parent_row(struct import *imp, int64_t team, int64_t at, int64_t parent,
                             bool *reopened, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(imp->ctx->store,
	                       "UPDATE team_parents SET valid_to = NULL WHERE team_id = ?1 "
	                       "AND valid_to = ?2 AND parent_id = ?3 RETURNING id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, team);
	stmt_bind_int(st, 2, at);
	stmt_bind_int(st, 3, parent);
	rc = stmt_step(st, err);
	stmt_reset(st);
	*reopened = rc == STORE_ROW;
	return rc < 0 ? rc : 0;
}

/* Write team's move from its parent now to parent (0: a root) into
 * team_parents (schema 21), as team memberships are written: a new team's
 * first parent holds since always (NULL valid_from), as a person's first
 * rows start at their start date; an existing team's open row closes at
 * --effective and the new one opens there; a move dated on the open row's
 * own start replaces it (and joins the row before when that held the same
 * parent); a move dated before the open row's start, or before the end of
 * the last row of a team that is a root now, would rewrite history and is
 * an error (reported on the file's line; the import fails as a whole). */
static int parent_history_apply(struct import *imp, const struct team *team, int64_t parent,
                                struct error *err)
{
	int64_t at = imp->opts->effective;
	if (!team->exists)
		return parent ? parent_rows_run(imp,
		                                "INSERT INTO team_parents(team_id, parent_id, "
		                                "valid_from, valid_to) VALUES (?1, ?2, NULL, NULL)",
		                                team->id, parent, 0, 1, err)
		              : 0;
	struct store_stmt *st;
	int rc = store_prepare(imp->ctx->store,
	                       "SELECT valid_from FROM team_parents WHERE team_id = ?1 AND "
	                       "valid_to IS NULL",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, team->id);
	rc = stmt_step(st, err);
	bool has_open = rc == STORE_ROW, since_always = has_open && stmt_is_null(st, 0);
	int64_t open_from = has_open && !since_always ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	char a[TS_BUF], b[TS_BUF];
	if (has_open && !since_always && at < open_from) {
		row_error(imp, parent_line_of(team), "parent_team",
		          "team %s: change effective %s precedes the current record from %s",
		          team->name, format_when(at, a), format_when(open_from, b));
		return 0;
	}
	if (has_open && !since_always && at == open_from) {
		/* Replaced on its own start day: back to the parent of the row
		 * before, that row is open again; else the open row takes the new
		 * parent, or goes for a root. */
		if ((rc = parent_rows_run(imp,
		                          "DELETE FROM team_parents WHERE team_id = ?1 AND "
		                          "valid_to IS NULL",
		                          team->id, 0, 0, 0, err)) < 0)
			return rc;
		bool reopened = false;
		if (parent &&
		    (rc = reopen_parent_row(imp, team->id, at, parent, &reopened, err)) < 0)
			return rc;
		if (!parent || reopened)
			return 0;
	} else if (has_open) {
		if ((rc = parent_rows_run(
		             imp,
		             "UPDATE team_parents SET valid_to = ?2 WHERE team_id = ?1 "
		             "AND valid_to IS NULL",
		             team->id, at, 0, 1, err)) < 0)
			return rc;
	} else if (parent) {
		/* A root now: the new row may not reach back over the last one's end;
		 * given back on the day it was taken, that row is open again. */
		if ((rc = store_prepare(imp->ctx->store,
		                        "SELECT MAX(valid_to) FROM team_parents WHERE team_id = ?1",
		                        &st, err)) < 0)
			return rc;
		stmt_bind_int(st, 1, team->id);
		rc = stmt_step(st, err);
		int64_t last_end = rc == STORE_ROW && !stmt_is_null(st, 0) ? stmt_int(st, 0) : 0;
		bool has_last = rc == STORE_ROW && !stmt_is_null(st, 0);
		stmt_reset(st);
		if (rc < 0)
			return rc;
		if (has_last && at < last_end) {
			row_error(
			        imp, parent_line_of(team), "parent_team",
			        "team %s: change effective %s precedes the end of the last record, "
			        "%s",
			        team->name, format_when(at, a), format_when(last_end, b));
			return 0;
		}
		bool reopened;
		if ((rc = reopen_parent_row(imp, team->id, at, parent, &reopened, err)) < 0 ||
		    reopened)
			return rc;
	}
	return parent ? parent_rows_run(imp,
	                                "INSERT INTO team_parents(team_id, parent_id, valid_from, "
	                                "valid_to) VALUES (?1, ?2, ?3, NULL)",
	                                team->id, parent, at, 2, err)
	              : 0;
}

static int apply_teams(struct import *imp, struct error *err)
{
	struct store *s = imp->ctx->store;
	struct store_stmt *st;
	int rc;
	for (size_t t = 0; t < imp->nteams; t++) {
		struct team *team = &imp->teams[t];
		if (team->exists)
			continue;
		const char *kind = team->want_kind ? team->want_kind : "permanent";
		if ((rc = store_prepare(s,
		                        "INSERT INTO teams(name, kind, parent_id, created_at) "
		                        "VALUES (?, ?, NULL, ?) RETURNING id",
		                        &st, err)) < 0)
			return rc;
		stmt_bind_text(st, 1, team->name);
		stmt_bind_text(st, 2, kind);
		stmt_bind_int(st, 3, imp->now);
		if ((rc = stmt_step(st, err)) < 0)
			return rc;
		team->id = stmt_int(st, 0);
		stmt_reset(st);
		team->kind = kind;
		imp->sum->teams_created++;
		if ((rc = audit_team(imp, "team.create", team, kind, team->want_parent, false,
		                     err)) < 0)
			return rc;
	}
	for (size_t t = 0; t < imp->nteams; t++) {
		struct team *team = &imp->teams[t];
		int64_t parent_id = team->parent_id;
		if (!team->keep_parent)
			parent_id =
			        team->want_parent ? team_get(imp, team->want_parent, false)->id : 0;
		const char *kind = team->want_kind ? team->want_kind : team->kind;
		bool parent_changed = parent_id != team->parent_id;
		bool kind_changed = strcmp(kind, team->kind) != 0;
		if (!parent_changed && !kind_changed)
			continue;
		if ((rc = store_prepare(s, "UPDATE teams SET kind = ?, parent_id = ? WHERE id = ?",
		                        &st, err)) < 0)
			return rc;
		stmt_bind_text(st, 1, kind);
		stmt_bind_opt_int(st, 2, parent_id, parent_id != 0);
		stmt_bind_int(st, 3, team->id);
		if ((rc = run1(st, err)) < 0)
			return rc;
		if (parent_changed) {
			if ((rc = parent_history_apply(imp, team, parent_id, err)) < 0)
				return rc;
			imp->team_moved = true;
		}
		if (team->exists) {
			imp->sum->teams_updated++;
			const char *parent = team->want_parent;
			char key[HMAP_ID_KEY_SIZE];
			int64_t idx;
			if (team->keep_parent)
				parent = parent_id && hmap_get(&imp->team_by_id,
				                               hmap_id_key(key, parent_id), &idx)
				                 ? imp->teams[idx].name
				                 : NULL;
			if ((rc = audit_team(imp, "team.update", team, kind, parent, parent_changed,
			                     err)) < 0)
				return rc;
		}
		team->parent_id = parent_id;
		team->kind = kind;
	}
	return 0;
}

static bool differs(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") != 0;
}

/* Insert every new person in batches, then read their ids back in one pass
 * (RETURNING row by row costs more than the inserts themselves). */
static int insert_people(struct import *imp, struct error *err)
{
	const struct org_import_input *in = imp->in;
	struct store_batch *b = store_batch_new(imp->ctx->store,
	                                        "people(employee_id, name, email, title, country, "
	                                        "track, role_profile, start_date, end_date, "
	                                        "created_at, updated_at)",
	                                        11);
	int rc = 0;
	size_t created = 0;
	for (size_t i = 0; rc == 0 && i < in->nrows; i++) {
		const struct org_row *row = &in->rows[i];
		struct parsed *pv = &imp->parsed[i];
		if (pv->existing)
			continue;
		store_batch_text(b, row->employee_id);
		store_batch_text(b, row->name);
		store_batch_text(b, row->email);
		store_batch_text(b, row->title);
		store_batch_text(b, row->country);
		store_batch_text(b, pv->track);
		store_batch_text(b, row->role_profile);
		store_batch_int(b, pv->start);
		store_batch_opt_int(b, pv->end, pv->has_end);
		store_batch_int(b, imp->now);
		store_batch_int(b, imp->now);
		rc = store_batch_row_end(b, err);
		created++;
	}
	int frc = store_batch_finish(b, err);
	rc = rc < 0 ? rc : frc;
	if (rc < 0 || created == 0)
		return rc;
	imp->sum->people_created = (int64_t)created;
	struct store_stmt *st;
	if ((rc = store_prepare(imp->ctx->store, "SELECT id, employee_id FROM people", &st, err)) <
	    0)
		return rc;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		int64_t idx;
		if (hmap_get(&imp->row_by_eid, stmt_text(st, 1), &idx) &&
		    !imp->parsed[idx].existing)
			imp->parsed[idx].person_id = stmt_int(st, 0);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Update changed columns; list changed field names into changed. */
static int update_person(struct import *imp, size_t i, struct jw *changed, bool *any,
                         struct error *err)
{
	const struct org_row *row = &imp->in->rows[i];
	struct parsed *pv = &imp->parsed[i];
	struct existing *p = &imp->people[pv->existing - 1];
	pv->person_id = p->id;
	struct {
		const char *name;
		bool changed;
	} fields[] = {
	        {"name", differs(p->name, row->name)},
	        {"email", differs(p->email, row->email)},
	        {"title", differs(p->title, row->title)},
	        {"country", differs(p->country, row->country)},
	        {"track", differs(p->track, pv->track)},
	        {"role_profile", differs(p->role_profile, row->role_profile)},
	        {"start_date", p->start_date != pv->start},
	        {"end_date", p->has_end != pv->has_end || (pv->has_end && p->end_date != pv->end)},
	};
	bool column_change = false;
	imp->email_changed |= fields[1].changed;
	for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
		if (fields[f].changed) {
			jw_str(changed, fields[f].name);
			column_change = *any = true;
		}
	}
	if (!column_change)
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(
	        imp->ctx->store,
	        "UPDATE people SET name = ?, email = ?, title = ?, country = ?, track = ?, "
	        "role_profile = ?, start_date = ?, end_date = ?, updated_at = ? WHERE id = ?",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, row->name);
	stmt_bind_text(st, 2, row->email);
	stmt_bind_text(st, 3, row->title);
	stmt_bind_text(st, 4, row->country);
	stmt_bind_text(st, 5, pv->track);
	stmt_bind_text(st, 6, row->role_profile);
	stmt_bind_int(st, 7, pv->start);
	stmt_bind_opt_int(st, 8, pv->end, pv->has_end);
	stmt_bind_int(st, 9, imp->now);
	stmt_bind_int(st, 10, p->id);
	return run1(st, err);
}

struct new_identity {
	const char *system, *login;
	size_t row;
};

struct identity_batch {
	struct new_identity *items;
	size_t n, alloc;
};

/* Queue an identity unless the database has it or it was queued already
 * (the same email twice in one row), in any letter case where the system
 * is case-blind: the spelling stored first stays.  Validation put every
 * claim in imp->claims; queued ones are marked -1 there. */
static void queue_identity(struct import *imp, struct identity_batch *b, size_t row_idx,
                           const char *system, const char *login)
{
	char key[IDENTITY_KEY_MAX];
	int64_t row;
	if (!*login || !identity_key(key, system, login) || !hmap_get(&imp->claims, key, &row) ||
	    row < 0 || hmap_get(&imp->identity_owner, key, NULL))
		return;
	hmap_put(&imp->claims, key, -1);
	if (b->n == b->alloc) {
		b->alloc = b->alloc ? b->alloc * 2 : 1024;
		b->items = xreallocarray(b->items, b->alloc, sizeof *b->items);
	}
	b->items[b->n++] = (struct new_identity){system, login, row_idx};
}

/* A new account for someone already known changes what is attributed to
 * them: it gets an entry of its own (a new person's are part of their
 * creation). */
static int audit_identity(struct import *imp, const struct new_identity *id, struct error *err)
{
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "system", id->system);
	jw_kstr(&w, "login", id->login);
	jw_object_end(&w);
	int rc = audit_append(imp->ctx, "identity.add", "person",
	                      imp->in->rows[id->row].employee_id, detail.buf, err);
	sb_release(&detail);
	return rc;
}

/* New identities go in as batched multi-row inserts. */
static int apply_identities(struct import *imp, struct error *err)
{
	struct identity_batch b = {0};
	for (size_t i = 0; i < imp->in->nrows; i++) {
		const struct org_row *row = &imp->in->rows[i];
		queue_identity(imp, &b, i, "github", row->github_login);
		queue_identity(imp, &b, i, "jira", row->jira_account_id);
		queue_identity(imp, &b, i, "pagerduty", row->pagerduty_user_id);
		if (!*row->emails)
			continue;
		char *list = arena_strdup(imp->ctx->arena, row->emails);
		char *save = NULL;
		for (char *tok = strtok_r(list, ";", &save); tok;
		     tok = strtok_r(NULL, ";", &save)) {
			tok = email_trimmed(tok);
			if (*tok)
				queue_identity(imp, &b, i, "email", tok);
		}
	}
	struct store_batch *batch = store_batch_new(
	        imp->ctx->store, "identities(system, login, person_id, created_at)", 4);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < b.n; i++) {
		store_batch_text(batch, b.items[i].system);
		store_batch_text(batch, b.items[i].login);
		store_batch_int(batch, imp->parsed[b.items[i].row].person_id);
		store_batch_int(batch, imp->now);
		rc = store_batch_row_end(batch, err);
		if (rc == 0 && imp->parsed[b.items[i].row].existing)
			rc = audit_identity(imp, &b.items[i], err);
	}
	int frc = store_batch_finish(batch, err);
	rc = rc < 0 ? rc : frc;
	/* Events held pseudonymized until their account was known (consent.h):
	 * by the new identities, and by each person's primary email, which
	 * matches records as an identity would but has no identity row. */
	bool held = false;
	if (rc == 0 && imp->in->nrows)
		rc = consent_any_held_tx(imp->ctx, &held, err);
	for (size_t i = 0; rc == 0 && held && i < b.n; i++) {
		int64_t resolved, dropped;
		rc = consent_resolve_held_tx(imp->ctx, b.items[i].system, b.items[i].login,
		                             imp->parsed[b.items[i].row].person_id, &resolved,
		                             &dropped, err);
	}
	for (size_t i = 0; rc == 0 && held && i < imp->in->nrows; i++) {
		int64_t resolved, dropped;
		if (*imp->in->rows[i].email)
			rc = consent_resolve_held_tx(imp->ctx, "email", imp->in->rows[i].email,
			                             imp->parsed[i].person_id, &resolved, &dropped,
			                             err);
	}
	imp->sum->identities_added = (int64_t)b.n;
	free(b.items);
	return rc;
}

static int64_t person_id_of(struct import *imp, const char *eid)
{
	int64_t idx;
	/* An existing person's id is known before their own row is applied: a
	 * report's row may come first (found in review: its manager resolved to
	 * none, and the reporting line was closed with no new one). */
	if (hmap_get(&imp->row_by_eid, eid, &idx))
		return imp->parsed[idx].existing ? imp->people[imp->parsed[idx].existing - 1].id
		                                 : imp->parsed[idx].person_id;
	if (hmap_get(&imp->existing_by_eid, eid, &idx))
		return imp->people[idx].id;
	BUG("manager %s vanished after validation", eid);
}

/* A person ended ahead of time (--full at a later --effective closes their
 * rows at that date) whom the file lists again before it came: the closing
 * is undone, each row ending there open again and taken as the current one,
 * so that the row's changes apply to it (found by re-importing such a
 * person: a second, overlapping row opened beside the closed one).  Listed
 * with that same end date they are as one given notice, whose rows stay
 * open until it comes (found in review: the file was refused, its changes
 * "preceding the end of the last record").  Of each kind's rows ending
 * there, the one the end closed is the latest to begin: one a change
 * closed at that same date ends there too, with that row after it (found
 * by moving someone at the date --full then ended them at: both rows opened
 * again, and the next change closed the second before it began).  A kind
 * with no open row when the end came (a manager taken away that day) is
 * not told apart. */
static int reopen_withdrawn(struct import *imp, struct existing *p, bool *reopened,
                            struct error *err)
{
	*reopened = false;
	if (!p->has_end || p->end_date <= imp->opts->as_of)
		return 0;
	static const char *const reopen[] = {
	        "UPDATE team_memberships SET valid_to = NULL WHERE id = "
	        "(SELECT id FROM team_memberships WHERE person_id = ?1 AND valid_to = ?2 "
	        "ORDER BY valid_from DESC, id DESC LIMIT 1) RETURNING team_id, valid_from",
	        "UPDATE reporting_lines SET valid_to = NULL WHERE id = "
	        "(SELECT id FROM reporting_lines WHERE person_id = ?1 AND valid_to = ?2 "
	        "ORDER BY valid_from DESC, id DESC LIMIT 1) RETURNING manager_id, valid_from",
	        "UPDATE levels SET valid_to = NULL WHERE id = "
	        "(SELECT id FROM levels WHERE person_id = ?1 AND valid_to = ?2 "
	        "ORDER BY valid_from DESC, id DESC LIMIT 1) RETURNING level, valid_from",
	};
	bool *open[] = {&p->has_team, &p->has_manager, &p->has_level};
	for (int k = 0; k < 3; k++) {
		if (*open[k])
			continue;
		struct store_stmt *st;
		int rc = store_prepare(imp->ctx->store, reopen[k], &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_int(st, 1, p->id);
		stmt_bind_int(st, 2, p->end_date);
		if ((rc = stmt_step(st, err)) == STORE_ROW) {
			int64_t from = stmt_int(st, 1);
			if (k == 0)
				p->team_id = stmt_int(st, 0), p->team_from = from;
			else if (k == 1)
				p->manager_id = stmt_int(st, 0), p->manager_from = from;
			else
				p->level = stmt_text_dup(st, 0, imp->ctx->arena),
				p->level_from = from;
			*open[k] = true;
			*reopened = true;
		}
		stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* A start_date the file corrects: the rows that began at the old one (a
 * new person's first team, manager and level) begin at the new one, so
 * that the person has a team, manager and level from the day they started
 * and none before it (found by correcting a start date: the history kept
 * the old one, and the weeks between had no team).  A new start at or
 * after such a row's end moves none: that history is over by then (the
 * start date of someone rehired, which some HRIS reset), and stays. */
static int move_start(struct import *imp, struct existing *p, const struct parsed *pv,
                      struct error *err)
{
	if (p->start_date == pv->start)
		return 0;
	static const char *const ended[] = {
	        "SELECT valid_to FROM team_memberships WHERE person_id = ?1 AND valid_from = ?2 "
	        "AND valid_to <= ?3",
	        "SELECT valid_to FROM reporting_lines WHERE person_id = ?1 AND valid_from = ?2 "
	        "AND valid_to <= ?3",
	        "SELECT valid_to FROM levels WHERE person_id = ?1 AND valid_from = ?2 "
	        "AND valid_to <= ?3",
	};
	static const char *const move[] = {
	        "UPDATE team_memberships SET valid_from = ?3 WHERE person_id = ?1 AND "
	        "valid_from = ?2",
	        "UPDATE reporting_lines SET valid_from = ?3 WHERE person_id = ?1 AND "
	        "valid_from = ?2",
	        "UPDATE levels SET valid_from = ?3 WHERE person_id = ?1 AND valid_from = ?2",
	};
	for (int k = 0; k < 3; k++) {
		struct store_stmt *st;
		int rc = store_prepare(imp->ctx->store, ended[k], &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_int(st, 1, p->id);
		stmt_bind_int(st, 2, p->start_date);
		stmt_bind_int(st, 3, pv->start);
		rc = stmt_step(st, err);
		stmt_reset(st);
		if (rc != STORE_DONE)
			return rc < 0 ? rc : 0;
	}
	for (int k = 0; k < 3; k++) {
		struct store_stmt *st;
		int rc = store_prepare(imp->ctx->store, move[k], &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_int(st, 1, p->id);
		stmt_bind_int(st, 2, p->start_date);
		stmt_bind_int(st, 3, pv->start);
		if ((rc = run1(st, err)) < 0)
			return rc;
		/* A reporting line begun earlier may close a cycle with lines
		 * that ended before --effective (found: a manager's line to a
		 * report that ended when the report's line to them began, the
		 * report's start then corrected to before that end). */
		if (k == 1 && pv->start < p->start_date &&
		    (!imp->line_moved_back || pv->start < imp->line_moved_back))
			imp->line_moved_back = pv->start;
	}
	/* The open rows among them now start at the new date. */
	int64_t *from[] = {&p->team_from, &p->manager_from, &p->level_from};
	bool open[] = {p->has_team, p->has_manager, p->has_level};
	for (int k = 0; k < 3; k++)
		if (open[k] && *from[k] == p->start_date)
			*from[k] = pv->start;
	return 0;
}

/* Someone who has left, whose passed end date the file corrects to another
 * passed one: the rows the end closed at the old date close at the new one
 * (of each kind the latest to begin there, as reopen_withdrawn says; found
 * by correcting a leaver's end date: the history kept the old one, and the
 * person had a team after they left, or none before; in review, the row a
 * move closed that day moved too).  A new date at or before such a row's
 * start is refused, as check_end_dates refuses one before a current row's. */
static int move_end(struct import *imp, const struct existing *p, const struct parsed *pv,
                    long line, struct error *err)
{
	static const char *const started[] = {
	        "SELECT valid_from FROM team_memberships WHERE valid_from >= ?3 AND id = "
	        "(SELECT id FROM team_memberships WHERE person_id = ?1 AND valid_to = ?2 "
	        "ORDER BY valid_from DESC, id DESC LIMIT 1)",
	        "SELECT valid_from FROM reporting_lines WHERE valid_from >= ?3 AND id = "
	        "(SELECT id FROM reporting_lines WHERE person_id = ?1 AND valid_to = ?2 "
	        "ORDER BY valid_from DESC, id DESC LIMIT 1)",
	        "SELECT valid_from FROM levels WHERE valid_from >= ?3 AND id = "
	        "(SELECT id FROM levels WHERE person_id = ?1 AND valid_to = ?2 "
	        "ORDER BY valid_from DESC, id DESC LIMIT 1)",
	};
	static const char *const move[] = {
	        "UPDATE team_memberships SET valid_to = ?3 WHERE id = "
	        "(SELECT id FROM team_memberships WHERE person_id = ?1 AND valid_to = ?2 "
	        "ORDER BY valid_from DESC, id DESC LIMIT 1)",
	        "UPDATE reporting_lines SET valid_to = ?3 WHERE id = "
	        "(SELECT id FROM reporting_lines WHERE person_id = ?1 AND valid_to = ?2 "
	        "ORDER BY valid_from DESC, id DESC LIMIT 1)",
	        "UPDATE levels SET valid_to = ?3 WHERE id = "
	        "(SELECT id FROM levels WHERE person_id = ?1 AND valid_to = ?2 "
	        "ORDER BY valid_from DESC, id DESC LIMIT 1)",
	};
	static const char *const kinds[] = {"team", "manager", "level"};
	/* A manager taken away before the end closed a line the end did not:
	 * the new date may not come before that either (found by correcting a
	 * leaver's end date to before it: the line ran on after they left). */
	struct store_stmt *st;
	int rc = store_prepare(imp->ctx->store,
	                       "SELECT MAX(valid_to) FROM reporting_lines WHERE person_id = ?1 "
	                       "AND valid_to < ?2",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, p->id);
	stmt_bind_int(st, 2, p->end_date);
	rc = stmt_step(st, err);
	bool before = rc == STORE_ROW && !stmt_is_null(st, 0) && stmt_int(st, 0) >= pv->end;
	int64_t line_end = before ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (before) {
		char a[TS_BUF], b[TS_BUF];
		row_error(imp, line, "end_date",
		          "%s is not after %s's last manager record, to %s: expected an end date "
		          "after it",
		          format_when(pv->end, a), p->employee_id, format_when(line_end, b));
		return 0;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (int k = 0; k < 3; k++) {
			rc = store_prepare(imp->ctx->store, pass ? move[k] : started[k], &st, err);
			if (rc < 0)
				return rc;
			stmt_bind_int(st, 1, p->id);
			stmt_bind_int(st, 2, p->end_date);
			stmt_bind_int(st, 3, pv->end);
			rc = stmt_step(st, err);
			int64_t from = rc == STORE_ROW && !pass ? stmt_int(st, 0) : 0;
			stmt_reset(st);
			if (rc < 0)
				return rc;
			if (rc == STORE_ROW && !pass) {
				char a[TS_BUF], b[TS_BUF];
				row_error(
				        imp, line, "end_date",
				        "%s is not after %s's last %s record from %s: expected an "
				        "end date after it",
				        format_when(pv->end, a), p->employee_id, kinds[k],
				        format_when(from, b));
				return 0;
			}
		}
	}
	return 0;
}

/* A person's open rows end at their end date, as history_end ends them. */
static int end_open_rows(struct import *imp, const struct existing *p, struct error *err)
{
	bool open[] = {p->has_team, p->has_manager, p->has_level};
	int64_t from[] = {p->team_from, p->manager_from, p->level_from};
	for (int k = 0; k < 3; k++) {
		if (!open[k])
			continue;
		struct history_change c = {.kind = history_kinds[k],
		                           .person_id = p->id,
		                           .open_from = from[k],
		                           .until = p->end_date};
		int rc = history_end(imp, &c, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The start of a person's newest recorded change: their records run from
 * it.  A manager taken away from someone still here counts at the date it
 * was, where their last reporting line ends (found by taking a manager
 * away at a date to come, then ending the person before it: the line ran
 * on after they left). */
static int latest_change(struct import *imp, const struct existing *p, int64_t *latest,
                         struct error *err)
{
	*latest = p->start_date;
	*latest = p->has_team && p->team_from > *latest ? p->team_from : *latest;
	*latest = p->has_manager && p->manager_from > *latest ? p->manager_from : *latest;
	*latest = p->has_level && p->level_from > *latest ? p->level_from : *latest;
	if (p->has_manager || !(p->has_team || p->has_level))
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(imp->ctx->store, hist_manager.last_end_sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, p->id);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW && !stmt_is_null(st, 0) && stmt_int(st, 0) > *latest)
		*latest = stmt_int(st, 0);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* An end date the file gives anew must come after the person's newest
 * recorded change: the history would keep a change made after they left, a
 * row that ends before (or where) it starts (found in review: their last
 * team was the one they moved to after leaving, and scopes followed it). */
static int check_end_date(struct import *imp, size_t i, struct error *err)
{
	const struct parsed *pv = &imp->parsed[i];
	if (!pv->existing || !pv->has_end)
		return 0;
	const struct existing *p = &imp->people[pv->existing - 1];
	if (p->has_end && p->end_date == pv->end)
		return 0;
	int64_t latest;
	int rc = latest_change(imp, p, &latest, err);
	/* On the day of a change it would leave a row ending where it starts. */
	if (rc < 0 || pv->end > latest || (pv->end == latest && latest == p->start_date))
		return rc;
	char a[TS_BUF], b[TS_BUF];
	row_error(imp, imp->in->rows[i].line, "end_date",
	          "%s is not after %s's records from %s (their newest team, manager or "
	          "level change): expected an end date after it",
	          format_when(pv->end, a), p->employee_id, format_when(latest, b));
	return 0;
}

static int check_end_dates(struct import *imp, struct error *err)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < imp->in->nrows; i++)
		rc = check_end_date(imp, i, err);
	return rc;
}

/* History rows and the audit entry for one row. */
static int apply_row_history(struct import *imp, size_t i, struct error *err)
{
	const struct org_row *row = &imp->in->rows[i];
	struct parsed *pv = &imp->parsed[i];
	struct existing none = {0};
	struct existing *p = pv->existing ? &imp->people[pv->existing - 1] : &none;
	bool is_new = pv->existing == 0;
	int64_t from = is_new ? pv->start : imp->opts->effective;
	bool ends = pv->has_end && pv->end <= imp->opts->as_of;
	/* Someone coming back, without an end date or with one still to come
	 * (found by rehiring with a notice: the new rows overlapped the old):
	 * their new rows start after the old ones ended.  A notice withdrawn
	 * before its end date came is no return: the changes take effect when
	 * the import says. */
	bool returning = !is_new && p->has_end && p->end_date <= imp->opts->as_of && !ends;
	if (returning && from < p->end_date)
		from = p->end_date;
	int64_t team_id = team_get(imp, row->team, false)->id;
	int64_t manager_id = *row->manager_id ? person_id_of(imp, row->manager_id) : 0;

	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_key(&w, "changed");
	jw_array_begin(&w);
	bool any = false;
	bool reopened = false; /* audited as such: the end date may say the same */
	int rc = is_new ? 0 : reopen_withdrawn(imp, p, &reopened, err);
	/* The rows open again count as the person's records, as if never closed:
	 * check_end_dates did not see them (found by moving someone, ending them
	 * later by --full, then listing them with an end date before the move:
	 * once it passed, the rows closed after they had left). */
	if (rc == 0 && reopened)
		rc = check_end_date(imp, i, err);
	/* Someone coming back whose end date passed with no import since: their
	 * rows close at it first, as that import would have closed them (found
	 * by listing someone again without their passed end date: the rows ran
	 * on through the time away), and before a start date the HRIS reset
	 * to the new one can move them. */
	bool ended_now = false;
	if (rc == 0 && returning && (p->has_team || p->has_manager || p->has_level)) {
		rc = end_open_rows(imp, p, err);
		p->has_team = p->has_manager = p->has_level = false;
		ended_now = true;
	}
	if (rc == 0 && !is_new)
		rc = move_start(imp, p, pv, err);
	if (rc == 0 && !is_new)
		rc = update_person(imp, i, &w, &any, err);
	/* Someone who has left keeps their closed history: with no open row
	 * there is nothing to change. */
	bool closed = !is_new && ends && !p->has_team && !p->has_manager && !p->has_level;
	bool team_changed = !closed && (!p->has_team || p->team_id != team_id);
	bool manager_changed =
	        !closed && (p->has_manager != (manager_id != 0) || p->manager_id != manager_id);
	bool level_changed = !closed && (!p->has_level || differs(p->level, row->level));
	/* Their end date has passed since the last import: history closes now. */
	bool ending = !is_new && ends && !closed;
	if (rc == 0 && closed && p->has_end && p->end_date != pv->end)
		rc = move_end(imp, p, pv, row->line, err);
	struct history_change changes[] = {
	        {.kind = &hist_team,
	         .has_open = p->has_team,
	         .open_from = p->team_from,
	         .changed = team_changed,
	         .has_new = true,
	         .num = team_id},
	        {.kind = &hist_manager,
	         .has_open = p->has_manager,
	         .open_from = p->manager_from,
	         .changed = manager_changed,
	         .has_new = manager_id != 0,
	         .num = manager_id},
	        {.kind = &hist_level,
	         .has_open = p->has_level,
	         .open_from = p->level_from,
	         .changed = level_changed,
	         .has_new = true,
	         .text = row->level},
	};
	for (size_t c = 0; rc == 0 && c < sizeof changes / sizeof changes[0]; c++) {
		changes[c].person_id = pv->person_id;
		changes[c].from = from;
		changes[c].ends = ends;
		changes[c].notice = !is_new && pv->has_end && !ends;
		changes[c].until = pv->end;
		changes[c].who = row->employee_id;
		/* A return keeps the rows of before and after apart. */
		changes[c].rejoin = !is_new && !returning;
		changes[c].line = row->line;
		rc = history_apply(imp, &changes[c], err);
	}
	/* Their user acted as the job they left until they left: when user
	 * offboard did not run while they were gone, it is done now, or those
	 * roles would come back with them (found by rehiring a people partner
	 * as an engineer: the old unit's records were theirs again). */
	if (rc == 0 && returning)
		rc = auth_offboard_returning_tx(imp->ctx, pv->person_id, p->end_date, err);
	/* A change dated after the person left is not written (history_apply):
	 * nor listed (found by importing a leaver moved after their end date:
	 * the entry said their team changed, their history did not). */
	bool after_left = ends && pv->end <= from;
	if (!is_new && !after_left) {
		if (team_changed)
			jw_str(&w, "team");
		if (manager_changed)
			jw_str(&w, "manager");
		if (level_changed)
			jw_str(&w, "level");
	}
	if (!is_new) {
		if (ending || ended_now)
			jw_str(&w, "history_ended");
		if (reopened)
			jw_str(&w, "history_reopened");
	}
	jw_array_end(&w);
	jw_kstr(&w, "team", row->team);
	jw_kstr(&w, "manager", *row->manager_id ? row->manager_id : NULL);
	jw_kstr(&w, "level", row->level);
	if (!is_new) {
		jw_key(&w, "effective");
		jw_time(&w, from, true);
	}
	jw_object_end(&w);
	any = any || team_changed || manager_changed || level_changed || ending || ended_now ||
	      reopened;
	imp->manager_moved = imp->manager_moved || (!is_new && (manager_changed || reopened));
	if (rc == 0 && (is_new || any)) {
		if (!is_new)
			imp->sum->people_updated++;
		rc = audit_append(imp->ctx, is_new ? "person.create" : "person.update", "person",
		                  row->employee_id, detail.buf, err);
	} else if (rc == 0) {
		imp->sum->people_unchanged++;
	}
	sb_release(&detail);
	return rc;
}

/* Someone absent from a --full file whose end date has passed since the
 * last import: their open rows close at it, as their row would close them
 * (found by giving a person notice in one file and leaving them out of the
 * next: no import read their row again, and the rows stayed open). */
static int close_absent_leaver(struct import *imp, const struct existing *p, struct error *err)
{
	if (p->end_date > imp->opts->as_of || !(p->has_team || p->has_manager || p->has_level))
		return 0;
	int rc = end_open_rows(imp, p, err);
	if (rc < 0)
		return rc;
	char buf[TS_BUF], detail[96];
	snprintf(detail, sizeof detail, "{\"changed\":[\"history_ended\"],\"effective\":\"%s\"}",
	         ts_format(p->end_date, buf));
	imp->sum->people_updated++;
	return audit_append(imp->ctx, "person.update", "person", p->employee_id, detail, err);
}

static int end_absent(struct import *imp, struct error *err)
{
	int64_t at = imp->opts->effective;
	for (size_t i = 0; i < imp->npeople; i++) {
		struct existing *p = &imp->people[i];
		if (p->in_file)
			continue;
		if (p->has_end) {
			int rc = close_absent_leaver(imp, p, err);
			if (rc < 0)
				return rc;
			continue;
		}
		int64_t latest;
		int rc = latest_change(imp, p, &latest, err);
		if (rc < 0)
			return rc;
		/* On the day of a change it would leave a row ending where it
		 * starts, as an end date given there would (check_end_date): found
		 * in review, someone moved on the --effective day kept a team they
		 * never joined.  On the first day of a hire who never came, their
		 * rows go (end_open_rows). */
		if (at < latest || (at == latest && latest != p->start_date)) {
			char a[TS_BUF], b[TS_BUF];
			row_error(imp, 1, "--full",
			          "cannot end %s at %s: their records run from %s", p->employee_id,
			          format_when(at, a), format_when(latest, b));
			continue;
		}
		struct store_stmt *st;
		rc = store_prepare(imp->ctx->store,
		                   "UPDATE people SET end_date = ?, updated_at = ? WHERE id = ?",
		                   &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_int(st, 1, at);
		stmt_bind_int(st, 2, imp->now);
		stmt_bind_int(st, 3, p->id);
		if ((rc = run1(st, err)) < 0)
			return rc;
		p->has_end = true;
		p->end_date = at;
		if ((rc = end_open_rows(imp, p, err)) < 0)
			return rc;
		char buf[TS_BUF], detail[80];
		snprintf(detail, sizeof detail,
		         "{\"end_date\":\"%s\",\"reason\":\"absent from full import\"}",
		         ts_format_date(at, buf));
		if ((rc = audit_append(imp->ctx, "person.end", "person", p->employee_id, detail,
		                       err)) < 0)
			return rc;
		imp->sum->people_ended++;
	}
	return 0;
}

/* ---- reporting cycles over time ----------------------------------------- */

/* One reporting line in effect at or after --effective. */
struct line_row {
	int64_t person, manager, from, to; /* to: 0 while open */
};

struct line_set {
	struct line_row *rows; /* by person, then valid_from */
	size_t n;
	struct hmap first; /* person id -> index of their first row */
};

/* The manager of person at time at (0: none), and the end of that line
 * (0: open). */
static int64_t manager_at(const struct line_set *ls, int64_t person, int64_t at, int64_t *to)
{
	char key[HMAP_ID_KEY_SIZE];
	int64_t j;
	*to = 0;
	if (!hmap_get(&ls->first, hmap_id_key(key, person), &j))
		return 0;
	for (size_t i = (size_t)j; i < ls->n && ls->rows[i].person == person; i++)
		if (ls->rows[i].from <= at && (!ls->rows[i].to || ls->rows[i].to > at)) {
			*to = ls->rows[i].to;
			return ls->rows[i].manager;
		}
	return 0;
}

static const char *eid_of(const struct import *imp, const struct hmap *file_by_id, int64_t id,
                          long *line)
{
	char key[HMAP_ID_KEY_SIZE];
	int64_t idx;
	hmap_id_key(key, id);
	*line = 0;
	if (hmap_get(file_by_id, key, &idx)) {
		*line = imp->in->rows[idx].line;
		return imp->in->rows[idx].employee_id;
	}
	if (hmap_get(&imp->existing_by_id, key, &idx))
		return imp->people[idx].employee_id;
	return "?";
}

/* Report the cycle through start at time at, once, on the first line of
 * the file that lists one of its people, the path starting there. */
static void report_cycle(struct import *imp, const struct line_set *ls,
                         const struct hmap *file_by_id, struct hmap *reported, int64_t start,
                         int64_t at)
{
	long line = 0, l;
	int64_t first = 0, until = 0, to, cur = start;
	do {
		if ((eid_of(imp, file_by_id, cur, &l), l) && (!line || l < line))
			line = l, first = cur;
		cur = manager_at(ls, cur, at, &to);
		if (to && (!until || to < until))
			until = to;
	} while (cur != start);
	if (!line)
		return; /* none of them is in the file: not this import's doing */
	struct sb path = SB_INIT;
	cur = first;
	do {
		sb_printf(&path, "%s -> ", eid_of(imp, file_by_id, cur, &l));
		cur = manager_at(ls, cur, at, &to);
	} while (cur != first);
	sb_puts(&path, eid_of(imp, file_by_id, first, &l));
	if (hmap_put(reported, path.buf, 1)) {
		char a[TS_BUF], b[TS_BUF];
		if (until)
			row_error(imp, line, "manager_id", "reporting cycle from %s to %s: %s",
			          format_when(at, a), format_when(until, b), path.buf);
		else
			row_error(imp, line, "manager_id", "reporting cycle from %s: %s",
			          format_when(at, a), path.buf);
	}
	sb_release(&path);
}

/* validate_managers checks the reporting lines as they will be when every
 * change is in effect.  Between --effective and a later change the
 * database holds for someone (a move an import dated after this one's),
 * the lines are others: found by moving E101 away from M001 from
 * 2026-09-01, then giving M001 the manager E101 from 2026-07-01 (accepted:
 * each managed the other for two months).  So, once the changes are
 * written, every moment from --effective on at which a line starts is
 * checked, walking up from the people whose line starts then. */
static int check_cycles_over_time(struct import *imp, struct error *err)
{
	if (!imp->manager_moved && !imp->line_moved_back)
		return 0;
	int64_t effective = imp->opts->effective;
	if (imp->line_moved_back && imp->line_moved_back < effective)
		effective = imp->line_moved_back;
	struct line_set ls = {0};
	hmap_init(&ls.first);
	struct store_stmt *st;
	int rc = store_prepare(imp->ctx->store,
	                       "SELECT person_id, manager_id, valid_from, valid_to FROM "
	                       "reporting_lines WHERE valid_to IS NULL OR valid_to > ? "
	                       "ORDER BY person_id, valid_from",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, effective);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		if (ls.n == alloc)
			ls.rows = xreallocarray(ls.rows, alloc = alloc ? alloc * 2 : 256,
			                        sizeof *ls.rows);
		struct line_row *r = &ls.rows[ls.n];
		r->person = stmt_int(st, 0);
		r->manager = stmt_int(st, 1);
		r->from = stmt_int(st, 2);
		r->to = stmt_is_null(st, 3) ? 0 : stmt_int(st, 3);
		char key[HMAP_ID_KEY_SIZE];
		if (!ls.n || ls.rows[ls.n - 1].person != r->person)
			hmap_put(&ls.first, hmap_id_key(key, r->person), (int64_t)ls.n);
		ls.n++;
	}
	stmt_reset(st);
	struct hmap file_by_id, reported;
	hmap_init(&file_by_id);
	hmap_init(&reported);
	for (size_t i = 0; rc >= 0 && i < imp->in->nrows; i++) {
		char key[HMAP_ID_KEY_SIZE];
		hmap_put(&file_by_id, hmap_id_key(key, imp->parsed[i].person_id), (int64_t)i);
	}
	/* A line that starts after --effective is walked from when it starts;
	 * one in effect then that ends later, from --effective (the lines open
	 * throughout are those validate_managers saw). */
	for (size_t i = 0; rc >= 0 && i < ls.n; i++) {
		const struct line_row *r = &ls.rows[i];
		int64_t at = r->from > effective ? r->from : effective, to;
		if (r->from <= effective && !r->to)
			continue;
		/* Floyd's walk: fast meets slow on a cycle that does not pass
		 * through r->person (its own rows report it), so no walk goes round
		 * one (found in review: each walk ran ls.n steps, quadratic). */
		int64_t slow = r->person, fast = r->person;
		bool done = false;
		while (!done) {
			for (int k = 0; k < 2 && !done; k++) {
				fast = manager_at(&ls, fast, at, &to);
				if (fast == r->person)
					report_cycle(imp, &ls, &file_by_id, &reported, r->person,
					             at);
				done = !fast || fast == r->person;
			}
			slow = manager_at(&ls, slow, at, &to);
			done = done || slow == fast;
		}
	}
	hmap_release(&reported);
	hmap_release(&file_by_id);
	hmap_release(&ls.first);
	free(ls.rows);
	return rc < 0 ? rc : 0;
}

/* ---- the team tree over time ------------------------------------------- */

/* One team_parents row in effect at or after --effective. */
struct parent_row {
	int64_t team, parent, from, to; /* from: INT64_MIN since always; to: 0 while open */
};

/* The parent of team (an index into imp->teams) at time at, or -1; *to is
 * the end of that row (0: open). */
static int64_t parent_at(const struct import *imp, const struct parent_row *rows, size_t n,
                         const struct hmap *first, const struct hmap *by_id, size_t team,
                         int64_t at, int64_t *to)
{
	char key[HMAP_ID_KEY_SIZE];
	int64_t j, idx;
	*to = 0;
	if (!hmap_get(first, hmap_id_key(key, imp->teams[team].id), &j))
		return -1;
	for (size_t i = (size_t)j; i < n && rows[i].team == imp->teams[team].id; i++)
		if (rows[i].from <= at && (!rows[i].to || rows[i].to > at)) {
			*to = rows[i].to;
			return hmap_get(by_id, hmap_id_key(key, rows[i].parent), &idx) ? idx : -1;
		}
	return -1;
}

static int cmp_time(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* validate_teams checks the tree as it will be when every change is in
 * effect.  A team's parent row that an import dated later than this one
 * opened or closed (made a root) changes the tree after --effective, and
 * until then the tree is another: so the tree is checked at --effective
 * and at each later row start, once per date, as reporting lines are
 * (check_cycles_over_time).  A loop can only begin at one of those. */
static int check_tree_over_time(struct import *imp, struct error *err)
{
	if (!imp->team_moved)
		return 0;
	int64_t effective = imp->opts->effective;
	struct store_stmt *st;
	int rc = store_prepare(imp->ctx->store,
	                       "SELECT team_id, parent_id, valid_from, valid_to FROM team_parents "
	                       "WHERE valid_to IS NULL OR valid_to > ?1 "
	                       "ORDER BY team_id, valid_from",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, effective);
	struct parent_row *rows = NULL;
	size_t n = 0, alloc = 0;
	int64_t *starts = NULL;
	size_t nstarts = 0;
	struct hmap first, by_id;
	hmap_init(&first);
	hmap_init(&by_id);
	char key[HMAP_ID_KEY_SIZE];
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		if (n == alloc) {
			rows = xreallocarray(rows, alloc = alloc ? alloc * 2 : 64, sizeof *rows);
			starts = xreallocarray(starts, alloc, sizeof *starts);
		}
		struct parent_row *r = &rows[n];
		r->team = stmt_int(st, 0);
		r->parent = stmt_int(st, 1);
		r->from = stmt_is_null(st, 2) ? INT64_MIN : stmt_int(st, 2);
		r->to = stmt_is_null(st, 3) ? 0 : stmt_int(st, 3);
		if (!n || rows[n - 1].team != r->team)
			hmap_put(&first, hmap_id_key(key, r->team), (int64_t)n);
		if (r->from > effective)
			starts[nstarts++] = r->from;
		n++;
	}
	stmt_reset(st);
	/* A reorg moves many teams on one date: one check for it. */
	if (nstarts)
		qsort(starts, nstarts, sizeof *starts, cmp_time);
	size_t uniq = 0;
	for (size_t i = 0; i < nstarts; i++)
		if (!uniq || starts[uniq - 1] != starts[i])
			starts[uniq++] = starts[i];
	nstarts = uniq;
	for (size_t t = 0; t < imp->nteams; t++)
		hmap_put(&by_id, hmap_id_key(key, imp->teams[t].id), (int64_t)t);
	/* 0 unseen, 1 on the walk at hand, 2 known to reach a root. */
	unsigned char *state = xcalloc(imp->nteams ? imp->nteams : 1, 1);
	bool reported = false;
	for (size_t k = 0; rc >= 0 && k <= nstarts && !reported; k++) {
		int64_t at = k == 0 ? effective : starts[k - 1];
		memset(state, 0, imp->nteams);
		for (size_t t = 0; t < imp->nteams && !reported; t++) {
			int64_t cur = (int64_t)t, to;
			while (cur >= 0 && !state[cur]) {
				state[cur] = 1;
				cur = parent_at(imp, rows, n, &first, &by_id, (size_t)cur, at, &to);
			}
			if (cur >= 0 && state[cur] == 1) {
				/* A loop through cur: named by its first team, until the
				 * first of its rows ends. */
				int64_t until = 0, c = cur;
				const struct team *named = &imp->teams[cur];
				do {
					c = parent_at(imp, rows, n, &first, &by_id, (size_t)c, at,
					              &to);
					if (to && (!until || to < until))
						until = to;
					if (imp->teams[c].parent_line > 0 &&
					    (named->parent_line <= 0 ||
					     imp->teams[c].parent_line < named->parent_line))
						named = &imp->teams[c];
				} while (c != cur);
				char a[TS_BUF], b[TS_BUF];
				if (until)
					row_error(imp, parent_line_of(named), "parent_team",
					          "team %s would be its own ancestor from %s to %s",
					          named->name, format_when(at, a),
					          format_when(until, b));
				else
					row_error(imp, parent_line_of(named), "parent_team",
					          "team %s would be its own ancestor from %s",
					          named->name, format_when(at, a));
				reported = true;
			}
			for (cur = (int64_t)t; cur >= 0 && state[cur] == 1;) {
				state[cur] = 2;
				cur = parent_at(imp, rows, n, &first, &by_id, (size_t)cur, at, &to);
			}
		}
	}
	free(state);
	free(starts);
	free(rows);
	hmap_release(&first);
	hmap_release(&by_id);
	return rc < 0 ? rc : 0;
}

static int apply_services(struct import *imp, struct error *err)
{
	for (size_t i = 0; i < imp->in->nservices; i++) {
		const struct org_service_row *s = &imp->in->services[i];
		bool created = false, changed = false;
		int rc = org_service_set_tx(imp->ctx, s->name, s->team, s->description,
		                            imp->opts->effective, &created, &changed, err);
		if (rc < 0 && !err_detail_internal(rc)) {
			/* Validation caught the rest: what is left is the owner
			 * change dated before the current owner's start. */
			struct sb msg = SB_INIT;
			sb_printf(&msg, "%s:%ld: team: %s", imp->in->file_name, s->line,
			          err->message);
			snprintf(err->message, sizeof err->message, "%s", msg.buf);
			sb_release(&msg);
		}
		if (rc < 0)
			return rc;
		imp->sum->services_created += created;
		imp->sum->services_updated += !created && changed;
	}
	return 0;
}

static int fail_with_errors(struct import *imp, struct error *err)
{
	err_set(err, ERR_INVALID, "%s", imp->first_error);
	if (imp->nerrors > 1) {
		int more = imp->nerrors - 1;
		if (more > MAX_ERROR_LINES)
			err_detail(err, "%d more errors, the first %d of them:\n        %s", more,
			           MAX_ERROR_LINES, imp->errors.buf);
		else
			err_detail(err, "%d more %s:\n        %s", more,
			           more == 1 ? "error" : "errors", imp->errors.buf);
	}
	err_hint(err, "nothing was imported; fix the file and run the import again");
	return ERR_INVALID;
}

static int import_summary_entry(struct import *imp, struct error *err)
{
	struct org_import_summary *sum = imp->sum;
	struct sb detail = SB_INIT;
	struct jw w;
	char buf[TS_BUF];
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "file", imp->in->file_name);
	jw_kstr(&w, "effective", ts_format(imp->opts->effective, buf));
	jw_kbool(&w, "full", imp->opts->full);
	jw_kint(&w, "rows", sum->rows);
	jw_kint(&w, "people_created", sum->people_created);
	jw_kint(&w, "people_updated", sum->people_updated);
	jw_kint(&w, "people_unchanged", sum->people_unchanged);
	jw_kint(&w, "people_ended", sum->people_ended);
	jw_kint(&w, "teams_created", sum->teams_created);
	jw_kint(&w, "teams_updated", sum->teams_updated);
	jw_kint(&w, "services_created", sum->services_created);
	jw_kint(&w, "services_updated", sum->services_updated);
	jw_kint(&w, "identities_added", sum->identities_added);
	jw_kint(&w, "history_rows", sum->history_rows);
	jw_kint(&w, "events_reattributed", sum->events_reattributed);
	jw_kint(&w, "events_kept_by_hold", sum->events_kept_by_hold);
	jw_kint(&w, "events_held", sum->events_held);
	jw_kint(&w, "events_deleted_no_consent", sum->events_deleted_no_consent);
	jw_kint(&w, "events_held_no_consent", sum->events_held_no_consent);
	jw_kint(&w, "events_deleted_no_approval", sum->events_deleted_no_approval);
	jw_object_end(&w);
	int rc = audit_append(imp->ctx, "org.import", "org", imp->in->file_name, detail.buf, err);
	sb_release(&detail);
	return rc;
}

int org_import_tx(struct ctx *ctx, const struct org_import_input *in,
                  const struct org_import_options *opts, struct org_import_summary *sum,
                  struct error *err)
{
	struct org_import_options eff = *opts;
	if (!eff.effective)
		eff.effective = ts_day_floor(ts_now_ms());
	if (!eff.as_of)
		eff.as_of = ts_now_ms();
	struct import imp = {.ctx = ctx, .in = in, .opts = &eff, .sum = sum, .now = ts_now_ms()};
	memset(sum, 0, sizeof *sum);
	sum->effective = imp.opts->effective;
	sum->rows = (int64_t)in->nrows;
	sum->ignored_columns = in->ignored_columns;
	sum->nignored = in->nignored;
	hmap_init(&imp.row_by_eid);
	hmap_init(&imp.existing_by_eid);
	hmap_init(&imp.existing_by_id);
	hmap_init(&imp.identity_owner);
	hmap_init(&imp.claims);
	hmap_init(&imp.team_by_name);
	hmap_init(&imp.team_by_id);
	sb_init(&imp.errors, 0);
	imp.parsed = xcalloc(in->nrows ? in->nrows : 1, sizeof *imp.parsed);

	int rc = load_existing(&imp, err);
	if (rc == 0 && opts->full && in->nrows == 0) {
		rc = err_set(err, ERR_INVALID, "%s lists nobody, and --full would end everyone",
		             in->file_name);
		err_hint(err, "--full is for a complete export of the organization");
	}
	if (rc == 0 && in->nrows == 0 && in->nteams == 0 && in->nservices == 0)
		row_error(&imp, 1, "rows", "the file lists nobody; expected one row per person");
	for (size_t i = 0; rc == 0 && i < in->nrows; i++) {
		validate_row(&imp, i);
		ctx_progress(ctx, "validating", (int64_t)i + 1, (int64_t)in->nrows);
	}
	if (rc == 0) {
		validate_managers(&imp);
		validate_teams(&imp);
		validate_services(&imp);
	}
	if (rc == 0 && imp.nerrors)
		rc = fail_with_errors(&imp, err);
	for (size_t i = 0; rc == 0 && i < in->nrows; i++) {
		int64_t idx;
		if (hmap_get(&imp.existing_by_eid, in->rows[i].employee_id, &idx)) {
			imp.parsed[i].existing = idx + 1;
			imp.people[idx].in_file = true;
		}
	}
	if (rc == 0) {
		rc = check_end_dates(&imp, err);
		if (rc == 0 && imp.nerrors)
			rc = fail_with_errors(&imp, err);
	}
	if (rc == 0)
		rc = apply_teams(&imp, err);
	if (rc == 0)
		rc = insert_people(&imp, err);
	for (int k = 0; k < 3; k++)
		imp.history_batch[k] =
		        store_batch_new(ctx->store, history_kinds[k]->insert_target, 4);
	for (size_t i = 0; rc == 0 && i < in->nrows; i++) {
		rc = apply_row_history(&imp, i, err);
		ctx_progress(ctx, "writing people", (int64_t)i + 1, (int64_t)in->nrows);
	}
	for (int k = 0; k < 3; k++) {
		int frc = store_batch_finish(imp.history_batch[k], err);
		rc = rc < 0 ? rc : frc;
	}
	if (rc == 0)
		rc = apply_identities(&imp, err);
	/* Events stored before their account was known, or matched by an old
	 * primary email, go to the person the identities give now. */
	if (rc == 0 && (sum->identities_added || sum->people_created || imp.email_changed)) {
		struct consent_kept_back kept;
		rc = identity_reattribute_all_tx(ctx, &sum->events_reattributed,
		                                 &sum->events_kept_by_hold, &sum->events_held,
		                                 &kept, err);
		sum->events_deleted_no_consent = kept.deleted - kept.deleted_no_approval;
		sum->events_held_no_consent = kept.pseudonymized;
		sum->events_deleted_no_approval = kept.deleted_no_approval;
	}
	if (rc == 0 && opts->full)
		rc = end_absent(&imp, err);
	if (rc == 0)
		rc = check_cycles_over_time(&imp, err);
	if (rc == 0)
		rc = check_tree_over_time(&imp, err);
	if (rc == 0)
		rc = apply_services(&imp, err);
	/* History conflicts are found while applying; the transaction is rolled back. */
	if (rc == 0 && imp.nerrors)
		rc = fail_with_errors(&imp, err);
	if (rc == 0)
		rc = import_summary_entry(&imp, err);
	import_release(&imp);
	return rc;
}

struct import_args {
	const struct org_import_input *input;
	const struct org_import_options *opts;
	struct org_import_summary *summary;
};

static int import_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct import_args *a = arg;
	int rc = org_import_tx(ctx, a->input, a->opts, a->summary, err);
	return rc == 0 && a->opts->dry_run ? CTX_ROLLBACK : rc;
}

int org_import_file(struct ctx *ctx, const char *path, enum org_format format,
                    const struct org_import_options *opts, struct org_import_summary *summary,
                    struct error *err)
{
	/* Permission first, so someone who may not import learns nothing of the
	 * file; the write lock only once the file is read and parsed. */
	int rc = ctx_op_check(ctx, OP_ORG_IMPORT, err);
	if (rc < 0)
		return rc;
	char *data = NULL;
	size_t len = 0;
	struct org_import_input input;
	rc = file_read(path, ORG_FILE_CAP, &data, &len, err);
	if (rc == 0)
		rc = org_parse(ctx, path, format, data, len, &input, err);
	struct import_args a = {&input, opts, summary};
	if (rc == 0)
		rc = ctx_run(ctx, OP_ORG_IMPORT, import_body, &a, err);
	free(data);
	return rc;
}
