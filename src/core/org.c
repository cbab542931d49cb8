/*
 * org: reads of the organization model (people, teams, services,
 * identities) and service ownership changes.  Person reads are scoped by
 * authz; results are copied into ctx->arena.
 */
#include "core/org.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "core/audit.h"
#include "core/authz.h"
#include "core/ctx.h"
#include "core/identities.h"
#include "core/mask.h"
#include "store/store.h"

bool org_valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > ORG_NAME_MAX)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return false;
	return true;
}

bool org_valid_email(const char *s)
{
	if (!utf8_valid(s, strlen(s)))
		return false;
	const char *at = strchr(s, '@');
	if (!at || at == s || !at[1] || strchr(at + 1, '@') || strpbrk(s, " ,;\t"))
		return false;
	/* Nor a no-break or zero-width space: nothing shows one, and an event's
	 * address, read without it (pj_account_trimmed), matched no person. */
	for (const char *c = s; *c; c++)
		if (utf8_blank_len(c))
			return false;
	return true;
}

bool org_valid_text(const char *s, size_t max)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++) {
		/* No control character (C1's NEL breaks a line as \n does), nor
		 * the line and paragraph separators U+2028, U+2029. */
		if (utf8_control_len((const char *)p))
			return false;
		if (*p == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))
			return false;
	}
	return n <= max && utf8_valid(s, n);
}

int org_check_reason(const char *reason, struct error *err)
{
	if (org_valid_text(reason, ORG_TEXT_MAX) && strspn(reason, " ") != strlen(reason))
		return 0;
	/* Say which rule it broke: a pasted reason too long was told only
	 * "one line of text". */
	err_set(err, ERR_USAGE,
	        "--reason: expected one line of text of at most %d bytes saying why", ORG_TEXT_MAX);
	size_t len = strlen(reason);
	if (len > ORG_TEXT_MAX)
		err_detail(err, "it has %zu bytes", len);
	else if (strspn(reason, " ") == len)
		err_detail(err, "it is blank");
	else
		err_detail(err, "it holds a line break, a control character or bytes that "
		                "are not UTF-8");
	return ERR_USAGE;
}

bool org_has_text(const char *s)
{
	return s && s[strspn(s, " \t\r\n")] != '\0';
}

int org_team_id(struct ctx *ctx, const char *name, int64_t *id, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT id FROM teams WHERE name = ?", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, name);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		*id = stmt_int(st, 0);
	stmt_reset(st);
	if (rc == STORE_DONE) {
		err_set(err, ERR_NOT_FOUND, "no team '%s'", name);
		err_hint(err, "list teams with 'plumb org tree'");
		return ERR_NOT_FOUND;
	}
	return rc < 0 ? rc : 0;
}

/* An empty employee id is a mistake of the caller's, not a person missing. */
static int empty_employee_id(struct error *err)
{
	return err_set(err, ERR_USAGE, "an employee id is needed, and this one is empty");
}

int org_person_id(struct ctx *ctx, const char *employee_id, int64_t *id, struct error *err)
{
	if (!employee_id || !*employee_id)
		return empty_employee_id(err);
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT id FROM people WHERE employee_id = ?", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, employee_id);
	rc = stmt_step(st, err);
	*id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc == STORE_DONE)
		return err_set(err, ERR_NOT_FOUND, "no person with employee id %s", employee_id);
	return rc < 0 ? rc : 0;
}

int org_merged_into(struct ctx *ctx, int64_t person_id, const char **employee_id, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT p.employee_id FROM person_merges m JOIN people p ON p.id = "
	                       "m.into_person_id WHERE m.from_person_id = ?1",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, person_id);
	rc = stmt_step(st, err);
	*employee_id = rc == STORE_ROW ? stmt_text_dup(st, 0, ctx->arena) : NULL;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- people ---------------------------------------------------------------- */

/* person_sql's ?1 is "now".  Team, level and manager are the latest as of
 * now (for someone who has left: as when they left; a manager line that
 * ended before they left means they had none).  People whose end date has
 * passed are nobody's current report.  Callers' parameters start at ?2. */

/* Whether person p was merged into another record (person merge). */
#define PERSON_MERGED "EXISTS (SELECT 1 FROM person_merges pm WHERE pm.from_person_id = p.id)"

static const char person_sql[] =
        "SELECT p.id, p.employee_id, p.name, p.email, p.title, p.country, p.track, p.role_profile, "
        "p.start_date, p.end_date, " PERSON_MERGED
        ", (SELECT l.level FROM levels l WHERE l.person_id = p.id AND l.valid_from <= ?1 "
        "  ORDER BY l.valid_from DESC, l.id DESC LIMIT 1), "
        "(SELECT t.name FROM team_memberships m JOIN teams t ON t.id = m.team_id "
        "  WHERE m.person_id = p.id AND m.valid_from <= ?1 "
        "  ORDER BY m.valid_from DESC, m.id DESC LIMIT 1), "
        "(SELECT mp.employee_id FROM reporting_lines r JOIN people mp ON mp.id = r.manager_id "
        "  WHERE r.person_id = p.id AND r.valid_from <= ?1 AND (r.valid_to IS NULL OR r.valid_to > "
        "?1 "
        "  OR (p.end_date IS NOT NULL AND r.valid_to >= p.end_date)) "
        "  ORDER BY r.valid_from DESC, r.id DESC LIMIT 1), "
        "(SELECT mp.name FROM reporting_lines r JOIN people mp ON mp.id = r.manager_id "
        "  WHERE r.person_id = p.id AND r.valid_from <= ?1 AND (r.valid_to IS NULL OR r.valid_to > "
        "?1 "
        "  OR (p.end_date IS NOT NULL AND r.valid_to >= p.end_date)) "
        "  ORDER BY r.valid_from DESC, r.id DESC LIMIT 1), "
        "(SELECT COUNT(*) FROM reporting_lines r JOIN people rp ON rp.id = r.person_id "
        "  WHERE r.manager_id = p.id AND r.valid_from <= ?1 AND (r.valid_to IS NULL OR r.valid_to "
        "> ?1) "
        "  AND " ORG_PERSON_CURRENT("rp", "?1") ") FROM people p";

/* Columns 0 to 10 of person_sql (and of person list's scan): the person's
 * own fields; active as of now. */
static void read_person_base(struct ctx *ctx, struct store_stmt *st, int64_t now,
                             struct org_person *p)
{
	memset(p, 0, sizeof *p);
	p->id = stmt_int(st, 0);
	p->employee_id = stmt_text_dup(st, 1, ctx->arena);
	p->name = stmt_text_dup(st, 2, ctx->arena);
	p->email = stmt_text_dup(st, 3, ctx->arena);
	p->title = stmt_text_dup(st, 4, ctx->arena);
	p->country = stmt_text_dup(st, 5, ctx->arena);
	p->track = stmt_text_dup(st, 6, ctx->arena);
	p->role_profile = stmt_text_dup(st, 7, ctx->arena);
	p->start_date = stmt_int(st, 8);
	p->has_end_date = !stmt_is_null(st, 9);
	p->end_date = p->has_end_date ? stmt_int(st, 9) : 0;
	p->active = p->start_date <= now && (!p->has_end_date || p->end_date > now) &&
	            !stmt_int(st, 10);
}

/* All of person_sql's columns; active as of now. */
static void read_person(struct ctx *ctx, struct store_stmt *st, int64_t now, struct org_person *p)
{
	read_person_base(ctx, st, now, p);
	p->level = stmt_text_dup(st, 11, ctx->arena);
	p->team = stmt_text_dup(st, 12, ctx->arena);
	p->manager_id = stmt_text_dup(st, 13, ctx->arena);
	p->manager_name = stmt_text_dup(st, 14, ctx->arena);
	p->direct_reports = stmt_int(st, 15);
}

static int load_person_details(struct ctx *ctx, struct org_person *p, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store, "SELECT system, login FROM identities WHERE person_id = ?", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, p->id);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		p->identities = arena_grow(ctx->arena, p->identities, p->nidentities, &alloc,
		                           sizeof *p->identities);
		p->identities[p->nidentities].system = stmt_text_dup(st, 0, ctx->arena);
		p->identities[p->nidentities].login = stmt_text_dup(st, 1, ctx->arena);
		p->nidentities++;
	}
	stmt_reset(st);
	if (rc >= 0)
		rc = org_merged_into(ctx, p->id, &p->merged_into, err);
	if (rc < 0)
		return rc;
	rc = store_prepare(
	        ctx->store,
	        "SELECT 'team', t.name, m.valid_from, m.valid_to FROM team_memberships m "
	        "JOIN teams t ON t.id = m.team_id WHERE m.person_id = ? "
	        "UNION ALL SELECT 'manager', mp.employee_id, r.valid_from, r.valid_to "
	        "FROM reporting_lines r JOIN people mp ON mp.id = r.manager_id "
	        "WHERE r.person_id = ? "
	        "UNION ALL SELECT 'level', l.level, l.valid_from, l.valid_to FROM levels l "
	        "WHERE l.person_id = ?",
	        &st, err);
	if (rc < 0)
		return rc;
	for (int i = 1; i <= 3; i++)
		stmt_bind_int(st, i, p->id);
	alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		p->history =
		        arena_grow(ctx->arena, p->history, p->nhistory, &alloc, sizeof *p->history);
		struct org_history_row *h = &p->history[p->nhistory++];
		h->kind = stmt_text_dup(st, 0, ctx->arena);
		h->value = stmt_text_dup(st, 1, ctx->arena);
		h->valid_from = stmt_int(st, 2);
		h->open = stmt_is_null(st, 3);
		h->valid_to = h->open ? 0 : stmt_int(st, 3);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int cmp_identity(const void *a, const void *b)
{
	const struct org_identity *x = a, *y = b;
	int c = strcmp(x->system, y->system);
	return c ? c : strcmp(x->login, y->login);
}

static int cmp_history(const void *a, const void *b)
{
	const struct org_history_row *x = a, *y = b;
	int k = strcmp(x->kind, y->kind);
	if (k)
		return k;
	return (x->valid_from > y->valid_from) - (x->valid_from < y->valid_from);
}

static int find_person(struct ctx *ctx, const char *where_sql, const char *arg1, const char *arg2,
                       struct org_person **out, struct error *err)
{
	struct sb sql = SB_INIT;
	sb_printf(&sql, "%s %s", person_sql, where_sql);
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql.buf, &st, err);
	sb_release(&sql);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, ts_now_ms());
	stmt_bind_text(st, 2, arg1);
	if (arg2)
		stmt_bind_text(st, 3, arg2);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		*out = arena_alloc(ctx->arena, sizeof **out);
		read_person(ctx, st, ts_now_ms(), *out);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	return rc == STORE_ROW ? 0 : ERR_NOT_FOUND;
}

/* What an analyst sees of a person (mask.h): pseudonyms for the person,
 * their manager and managers in the history, account pseudonyms, and no
 * name, email or job title.  Their own record is theirs in clear, as their
 * own work is in a review cycle, with their accounts' logins, but for the
 * people in it; so is their own name as a report's manager. */
static int mask_org_person(struct ctx *ctx, struct org_person *p, struct error *err)
{
	p->own = false;
	if (!mask_people(ctx))
		return 0;
	bool own = false, own_manager = false;
	int rc = mask_own_person(ctx, p->employee_id, &own, err);
	p->own = own;
	if (rc == 0)
		rc = mask_own_person(ctx, p->manager_id, &own_manager, err);
	if (rc == 0)
		rc = mask_person(ctx, p->employee_id, &p->employee_id, err);
	if (rc == 0)
		rc = mask_person(ctx, p->manager_id, &p->manager_id, err);
	if (rc == 0)
		rc = mask_person(ctx, p->merged_into, &p->merged_into, err);
	if (!own) {
		p->name = mask_text(ctx, p->name);
		p->email = mask_text(ctx, p->email);
		p->title = mask_text(ctx, p->title);
	}
	if (!own_manager)
		p->manager_name = mask_text(ctx, p->manager_name);
	for (size_t i = 0; rc == 0 && !own && i < p->nidentities; i++)
		rc = mask_account(ctx, p->identities[i].system, p->identities[i].login, false,
		                  &p->identities[i].login, err);
	for (size_t i = 0; rc == 0 && i < p->nhistory; i++)
		if (!strcmp(p->history[i].kind, "manager"))
			rc = mask_person(ctx, p->history[i].value, &p->history[i].value, err);
	return rc;
}

static int show_found(struct ctx *ctx, struct org_person *p, struct error *err)
{
	ctx_subject(ctx, "person", p->employee_id);
	int rc = authz_require_person(ctx, p->id, p->employee_id, err);
	if (rc == 0)
		rc = load_person_details(ctx, p, err);
	/* Sorted in C: output order never depends on the database's collation. */
	if (rc == 0 && p->nhistory > 1)
		qsort(p->history, p->nhistory, sizeof *p->history, cmp_history);
	if (rc == 0 && p->nidentities > 1)
		qsort(p->identities, p->nidentities, sizeof *p->identities, cmp_identity);
	/* Whether a page may link the manager: an employee sees their own record
	 * and not their manager's (found walking the demo: the link was refused). */
	if (rc == 0 && p->manager_id) {
		int64_t manager;
		rc = org_person_id(ctx, p->manager_id, &manager, err);
		if (rc == 0)
			rc = authz_may_see_person(ctx, manager, &p->manager_visible, err);
	}
	if (rc == 0)
		rc = mask_org_person(ctx, p, err);
	return rc;
}

/* The arguments of a lookup of one person, by employee id or identity. */
struct lookup_args {
	const char *a, *b;
	struct org_person **out;
};

static int person_show_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct lookup_args *l = arg;
	const char *employee_id = l->a;
	struct org_person **out = l->out;
	if (!*employee_id)
		return empty_employee_id(err);
	int rc = find_person(ctx, "WHERE p.employee_id = ?2", employee_id, NULL, out, err);
	if (rc == ERR_NOT_FOUND) {
		/* To a user who sees only some people an unknown id is refused as
		 * one outside their scope, or the answers would tell them which
		 * employee ids exist. */
		err_clear(err);
		ctx_subject(ctx, "person", employee_id);
		rc = authz_require_person(ctx, 0, employee_id, err);
		if (rc == 0) {
			err_set(err, ERR_NOT_FOUND, "no person with employee id %s", employee_id);
			err_hint(err, "list people with 'plumb person list'");
			rc = ERR_NOT_FOUND;
		}
	}
	if (rc == 0)
		rc = show_found(ctx, *out, err);
	return rc;
}

int org_person_show(struct ctx *ctx, const char *employee_id, struct org_person **out,
                    struct error *err)
{
	struct lookup_args l = {employee_id, NULL, out};
	return ctx_run(ctx, OP_PERSON_SHOW, person_show_body, &l, err);
}

static int resolve_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct lookup_args *l = arg;
	const char *system = l->a, *login = l->b;
	struct org_person **out = l->out;
	/* As ingestion attributes an account: GitHub logins and emails in any
	 * case of their ASCII letters, the lowest person id where two match;
	 * the primary email counts as an email identity too.  Folded here, not
	 * by lower() of the parameter, which on PostgreSQL would fold other
	 * letters too (by the server's locale) where lower() of a column, like
	 * SQLite's, folds only ASCII. */
	bool blind = strcmp(system, "github") == 0 || strcmp(system, "email") == 0;
	const char *key = blind ? arena_strlower(ctx->arena, login) : login;
	int rc = find_person(ctx,
	                     "WHERE p.id = (SELECT MIN(person_id) FROM identities WHERE "
	                     "system = ?2 AND (login = ?3 OR (?2 IN ('github', 'email') AND "
	                     "lower(login) = ?3)))",
	                     system, key, out, err);
	/* A login an earlier plumb stored with blanks after it is the account
	 * ingestion reads without them, and its events are that person's
	 * (IDENTITY_TRIMMED_OF_EVENT): resolve said no person had it (found
	 * in session 52).  Addresses are matched only as they are, there too. */
	if (rc == ERR_NOT_FOUND && strcmp(system, "email") != 0)
		rc = find_person(
		        ctx,
		        blind ? "WHERE p.id = (SELECT MIN(person_id) FROM identities WHERE "
		                "system = ?2 AND rtrim(lower(login), '" IDENTITY_BLANKS "') = ?3)"
		              : "WHERE p.id = (SELECT MIN(person_id) FROM identities WHERE "
		                "system = ?2 AND rtrim(login, '" IDENTITY_BLANKS "') = ?3)",
		        system, key, out, err);
	/* A merged record's primary email names the record it went into, as
	 * its events are attributed (IDENTITY_PERSON_OF_EVENT). */
	if (rc == ERR_NOT_FOUND && strcmp(system, "email") == 0)
		rc = find_person(
		        ctx,
		        "WHERE p.id = (SELECT MIN(COALESCE(m.into_person_id, q.id)) "
		        "FROM people q LEFT JOIN person_merges m ON m.from_person_id = q.id "
		        "WHERE lower(q.email) = ?2)",
		        key, NULL, out, err);
	if (rc == 0) {
		rc = show_found(ctx, *out, err);
		if (rc == ERR_DENIED) {
			/* Out of scope answers as absent, or resolve would tell anyone
			 * which accounts exist (the refusal is still audited). */
			err_clear(err);
			rc = ERR_NOT_FOUND;
		}
	}
	if (rc == ERR_NOT_FOUND) {
		err_set(err, ERR_NOT_FOUND, "no person you may see has %s identity '%s'", system,
		        login);
		err_hint(err, "identities come from the org import (github_login, jira_account_id, "
		              "pagerduty_user_id, emails)");
	}
	return rc;
}

int org_identity_resolve(struct ctx *ctx, const char *system, const char *login,
                         struct org_person **out, struct error *err)
{
	/* An unknown system is a usage error, as for identity link: no
	 * person has an account there to be looked for. */
	int rc = ctx_op_check(ctx, OP_IDENTITY_RESOLVE, err);
	if (rc == 0)
		rc = identity_check_system(system, err);
	if (rc < 0)
		return rc;
	struct lookup_args l = {system, login, out};
	return ctx_run(ctx, OP_IDENTITY_RESOLVE, resolve_body, &l, err);
}

static int cmp_person(const void *a, const void *b)
{
	return strcmp(((const struct org_person *)a)->employee_id,
	              ((const struct org_person *)b)->employee_id);
}

struct list_args {
	const char *team;
	void *out;
	size_t *n;
};

/* The latest row as of now of one history table, per listed person: rows
 * stream in any order and the one with the greatest (valid_from, id) wins,
 * as person_sql's ORDER BY valid_from DESC, id DESC LIMIT 1 picks it. */
enum latest_field { LATEST_LEVEL, LATEST_TEAM, LATEST_MANAGER };

static const char *const latest_sql[] = {
        [LATEST_LEVEL] = "SELECT person_id, valid_from, id, level, NULL FROM levels "
                         "WHERE valid_from <= ?1",
        [LATEST_TEAM] = "SELECT m.person_id, m.valid_from, m.id, t.name, NULL "
                        "FROM team_memberships m JOIN teams t ON t.id = m.team_id "
                        "WHERE m.valid_from <= ?1",
        [LATEST_MANAGER] = "SELECT r.person_id, r.valid_from, r.id, mp.employee_id, mp.name "
                           "FROM reporting_lines r JOIN people mp ON mp.id = r.manager_id "
                           "JOIN people p ON p.id = r.person_id "
                           "WHERE r.valid_from <= ?1 AND (r.valid_to IS NULL OR r.valid_to > ?1 "
                           "OR (p.end_date IS NOT NULL AND r.valid_to >= p.end_date))",
};

static int fill_latest(struct ctx *ctx, enum latest_field field, struct org_person *people,
                       const struct hmap *index, int64_t now, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, latest_sql[field], &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, now);
	size_t n = index->count;
	int64_t(*best)[2] = arena_array(ctx->arena, n ? n : 1, sizeof *best);
	bool *seen = arena_array(ctx->arena, n ? n : 1, sizeof *seen);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		char key[24];
		int64_t idx, from = stmt_int(st, 1), id = stmt_int(st, 2);
		snprintf(key, sizeof key, "%" PRId64, stmt_int(st, 0));
		if (!hmap_get(index, key, &idx))
			continue;
		if (seen[idx] &&
		    (from < best[idx][0] || (from == best[idx][0] && id < best[idx][1])))
			continue;
		seen[idx] = true;
		best[idx][0] = from;
		best[idx][1] = id;
		struct org_person *p = &people[idx];
		if (field == LATEST_LEVEL) {
			p->level = stmt_text_dup(st, 3, ctx->arena);
		} else if (field == LATEST_TEAM) {
			p->team = stmt_text_dup(st, 3, ctx->arena);
		} else {
			p->manager_id = stmt_text_dup(st, 3, ctx->arena);
			p->manager_name = stmt_text_dup(st, 4, ctx->arena);
		}
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Current direct reports per listed person, as person_sql counts them. */
static int fill_direct_reports(struct ctx *ctx, struct org_person *people, const struct hmap *index,
                               int64_t now, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT r.manager_id, COUNT(*) FROM reporting_lines r "
	                       "JOIN people rp ON rp.id = r.person_id WHERE r.valid_from <= ?1 "
	                       "AND (r.valid_to IS NULL OR r.valid_to > ?1) "
	                       "AND " ORG_PERSON_CURRENT("rp", "?1") " GROUP BY r.manager_id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, now);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		char key[24];
		int64_t idx;
		snprintf(key, sizeof key, "%" PRId64, stmt_int(st, 0));
		if (hmap_get(index, key, &idx))
			people[idx].direct_reports = stmt_int(st, 1);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Up to this many people, person list reads each through person_sql's
 * indexed lookups, so a manager's list of ten costs ten lookups, not the
 * scans of the whole org below (0.26 s at 50,000 people).  Past it, scans:
 * a lookup costs about 10 us on SQLite and 0.2 ms on PostgreSQL (16,198
 * people 0.28 s and 3.2 s, against the scans' 0.23 s and 0.85 s at 50,000). */
#define PERSON_LIST_LOOKUPS_MAX 1000

/* Whether person key passes person list's filters: visible (NULL: all)
 * and in_team (NULL: no --team). */
static bool listed(const char *key, const struct hmap *visible, const struct hmap *in_team)
{
	return (!visible || hmap_get(visible, key, NULL)) &&
	       (!in_team || hmap_get(in_team, key, NULL));
}

/* The people of candidates that pass the filters, one person_sql lookup
 * each, into *people (grown by arena_grow). */
static int list_by_lookups(struct ctx *ctx, const struct hmap *candidates,
                           const struct hmap *visible, const struct hmap *in_team, int64_t now,
                           struct org_person **people, size_t *count, size_t *alloc,
                           struct error *err)
{
	struct sb sql = SB_INIT;
	sb_printf(&sql, "%s WHERE p.id = ?2", person_sql);
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql.buf, &st, err);
	sb_release(&sql);
	size_t pos = 0;
	const char *key;
	while (rc >= 0 && (key = hmap_next(candidates, &pos, NULL))) {
		if (!listed(key, visible, in_team))
			continue;
		stmt_bind_int(st, 1, now);
		stmt_bind_int(st, 2, strtoll(key, NULL, 10));
		rc = stmt_step(st, err);
		if (rc == STORE_ROW) {
			*people = arena_grow(ctx->arena, *people, *count, alloc, sizeof **people);
			struct org_person *p = &(*people)[(*count)++];
			read_person(ctx, st, now, p);
		}
		stmt_reset(st);
	}
	return rc < 0 ? rc : 0;
}

/* The people that pass the filters in a handful of scans of the whole
 * org: person_sql's subqueries once per person took seconds at 50,000. */
static int list_by_scans(struct ctx *ctx, const struct hmap *visible, const struct hmap *in_team,
                         int64_t now, struct org_person **people, size_t *count, size_t *alloc,
                         struct error *err)
{
	struct hmap index;
	hmap_init(&index);
	struct store_stmt *st;
	int rc =
	        store_prepare(ctx->store,
	                      "SELECT id, employee_id, name, email, title, country, track, "
	                      "role_profile, start_date, end_date, " PERSON_MERGED " FROM people p",
	                      &st, err);
	while (rc >= 0 && (rc = stmt_step(st, err)) == STORE_ROW) {
		char key[24];
		snprintf(key, sizeof key, "%" PRId64, stmt_int(st, 0));
		if (!listed(key, visible, in_team))
			continue;
		*people = arena_grow(ctx->arena, *people, *count, alloc, sizeof **people);
		read_person_base(ctx, st, now, &(*people)[*count]);
		hmap_put(&index, key, (int64_t)(*count)++);
	}
	if (rc >= 0)
		stmt_reset(st);
	for (int f = LATEST_LEVEL; rc >= 0 && f <= LATEST_MANAGER; f++)
		rc = fill_latest(ctx, (enum latest_field)f, *people, &index, now, err);
	if (rc >= 0)
		rc = fill_direct_reports(ctx, *people, &index, now, err);
	hmap_release(&index);
	return rc < 0 ? rc : 0;
}

/* Everyone the actor may see (and in --team's unit): by lookups when the
 * scope or the unit is small, else by scans. */
static int person_list_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct list_args *a = arg;
	const char *team = a->team;
	int rc = 0;
	bool all = false;
	struct hmap visible, in_team;
	hmap_init(&visible);
	hmap_init(&in_team);
	int64_t team_id = 0, now = ts_now_ms();
	rc = authz_visible_people(ctx, &all, &visible, err);
	if (rc == 0 && team)
		rc = org_team_id(ctx, team, &team_id, err);
	if (rc == 0 && team)
		rc = authz_unit_members(ctx, team_id, &in_team, err);
	size_t count = 0, alloc = 0;
	struct org_person *people = NULL;
	const struct hmap *scope = all ? NULL : &visible, *unit = team ? &in_team : NULL;
	/* The smaller known set bounds who can be listed. */
	const struct hmap *candidates = scope;
	if (unit && (!scope || unit->count < scope->count))
		candidates = unit;
	if (rc >= 0 && candidates && candidates->count <= PERSON_LIST_LOOKUPS_MAX)
		rc = list_by_lookups(ctx, candidates, scope, unit, now, &people, &count, &alloc,
		                     err);
	else if (rc >= 0)
		rc = list_by_scans(ctx, scope, unit, now, &people, &count, &alloc, err);
	hmap_release(&visible);
	hmap_release(&in_team);
	for (size_t i = 0; rc >= 0 && i < count; i++)
		rc = mask_org_person(ctx, &people[i], err);
	if (rc >= 0) {
		if (count > 1) /* qsort(NULL, 0) is undefined */
			qsort(people, count, sizeof *people, cmp_person);
		*(struct org_person **)a->out = people;
		*a->n = count;
	}
	return rc < 0 ? rc : 0;
}

int org_person_list(struct ctx *ctx, const char *team, struct org_person **out, size_t *n,
                    struct error *err)
{
	struct list_args a = {team, out, n};
	return ctx_run(ctx, OP_PERSON_LIST, person_list_body, &a, err);
}

/* ---- teams ----------------------------------------------------------------- */

struct team_set {
	struct org_team *teams;
	size_t n;
};

static int load_teams(struct ctx *ctx, struct team_set *set, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        /* Counted once per table and joined, not per team: one pass
	         * over each history table instead of a lookup per team. */
	        "SELECT t.id, t.name, t.kind, p.name, COALESCE(mc.n, 0), COALESCE(sc.n, 0) "
	        "FROM teams t LEFT JOIN teams p ON p.id = t.parent_id "
	        "LEFT JOIN (SELECT m.team_id, COUNT(*) AS n FROM team_memberships m "
	        "  JOIN people pe ON pe.id = m.person_id "
	        "  WHERE m.valid_from <= ?1 AND (m.valid_to IS NULL OR m.valid_to > ?1) "
	        "  AND " ORG_PERSON_CURRENT(
	                "pe",
	                "?1") " GROUP BY m.team_id) mc "
	                      "  ON mc.team_id = t.id "
	                      "LEFT JOIN (SELECT s.team_id, COUNT(*) AS n FROM service_owners s "
	                      "  WHERE s.valid_from <= ?1 AND (s.valid_to IS NULL OR s.valid_to > "
	                      "?1) "
	                      "  GROUP BY s.team_id) sc ON sc.team_id = t.id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, ts_now_ms());
	size_t alloc = 0;
	set->teams = NULL;
	set->n = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		set->teams = arena_grow(ctx->arena, set->teams, set->n, &alloc, sizeof *set->teams);
		struct org_team *t = &set->teams[set->n++];
		memset(t, 0, sizeof *t);
		t->id = stmt_int(st, 0);
		t->name = stmt_text_dup(st, 1, ctx->arena);
		t->kind = stmt_text_dup(st, 2, ctx->arena);
		t->parent = stmt_text_dup(st, 3, ctx->arena);
		t->members = stmt_int(st, 4);
		t->services = stmt_int(st, 5);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	/* Lead: the member who manages the most people, else (a team of
	 * individual contributors, such as a project team) the manager most of
	 * its members report to.  Ties go to the lower employee id, compared in
	 * C so the choice never depends on the database's collation. */
	/* Rows in effect now (?1): not closed, and not a move dated ahead. */
	static const char *const lead_sql[] = {
	        "SELECT m.team_id, p.employee_id, p.name, COUNT(*) FROM team_memberships m "
	        "JOIN people p ON p.id = m.person_id JOIN reporting_lines r ON r.manager_id = p.id "
	        "AND r.valid_from <= ?1 AND (r.valid_to IS NULL OR r.valid_to > ?1) "
	        "WHERE m.valid_from <= ?1 AND (m.valid_to IS NULL OR m.valid_to > ?1) "
	        "AND " ORG_PERSON_CURRENT("p", "?1") " GROUP BY m.team_id, p.employee_id, "
	                                             "p.name",
	        "SELECT m.team_id, mp.employee_id, mp.name, COUNT(*) "
	        "FROM team_memberships m JOIN reporting_lines r ON r.person_id = m.person_id "
	        "AND r.valid_from <= ?1 AND (r.valid_to IS NULL OR r.valid_to > ?1) "
	        "JOIN people mp ON mp.id = r.manager_id "
	        "WHERE m.valid_from <= ?1 AND (m.valid_to IS NULL OR m.valid_to > ?1) "
	        "AND " ORG_PERSON_CURRENT("mp", "?1") " "
	                                              "GROUP BY m.team_id, mp.employee_id, mp.name",
	};
	struct hmap by_id;
	hmap_init(&by_id);
	for (size_t i = 0; i < set->n; i++) {
		char key[24];
		snprintf(key, sizeof key, "%" PRId64, set->teams[i].id);
		hmap_put(&by_id, key, (int64_t)i);
	}
	int64_t *best = arena_array(ctx->arena, set->n ? set->n : 1, sizeof *best);
	bool *decided = arena_array(ctx->arena, set->n ? set->n : 1, sizeof *decided);
	for (int pass = 0; pass < 2 && rc >= 0; pass++) {
		if ((rc = store_prepare(ctx->store, lead_sql[pass], &st, err)) < 0)
			break;
		stmt_bind_int(st, 1, ts_now_ms());
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			char key[24];
			int64_t idx;
			snprintf(key, sizeof key, "%" PRId64, stmt_int(st, 0));
			if (!hmap_get(&by_id, key, &idx) || decided[idx])
				continue;
			struct org_team *t = &set->teams[idx];
			int64_t n = stmt_int(st, 3);
			const char *eid = stmt_text(st, 1);
			if (t->lead_id &&
			    (n < best[idx] || (n == best[idx] && strcmp(eid, t->lead_id) > 0)))
				continue;
			best[idx] = n;
			t->lead_id = stmt_text_dup(st, 1, ctx->arena);
			t->lead_name = stmt_text_dup(st, 2, ctx->arena);
		}
		stmt_reset(st);
		for (size_t i = 0; i < set->n; i++)
			decided[i] = set->teams[i].lead_id != NULL;
	}
	hmap_release(&by_id);
	return rc < 0 ? rc : 0;
}

static int cmp_team_name(const void *a, const void *b)
{
	return strcmp(((const struct org_team *)a)->name, ((const struct org_team *)b)->name);
}

#define NO_TEAM SIZE_MAX

/* Children as linked lists over the name-sorted teams, built in one pass. */
struct team_links {
	size_t *first_child, *next_sibling;
};

/* Depth-first, children by name; returns members_total of the subtree. */
static int64_t walk(const struct team_set *set, const struct team_links *links, size_t idx,
                    int depth, struct org_team *out, size_t *n)
{
	size_t at = (*n)++;
	out[at] = set->teams[idx];
	out[at].depth = depth;
	int64_t total = set->teams[idx].members;
	for (size_t c = links->first_child[idx]; c != NO_TEAM; c = links->next_sibling[c])
		total += walk(set, links, c, depth + 1, out, n);
	out[at].members_total = total;
	return total;
}

static int tree(struct ctx *ctx, const char *root, struct org_team **out, size_t *n,
                struct error *err)
{
	struct team_set set;
	int rc = load_teams(ctx, &set, err);
	if (rc < 0)
		return rc;
	if (set.n > 1) /* qsort(NULL, 0) is undefined */
		qsort(set.teams, set.n, sizeof *set.teams, cmp_team_name);
	size_t count = set.n ? set.n : 1;
	struct team_links links = {arena_array(ctx->arena, count, sizeof(size_t)),
	                           arena_array(ctx->arena, count, sizeof(size_t))};
	struct hmap by_name;
	hmap_init(&by_name);
	for (size_t i = 0; i < set.n; i++) {
		hmap_put(&by_name, set.teams[i].name, (int64_t)i);
		links.first_child[i] = links.next_sibling[i] = NO_TEAM;
	}
	/* Prepending in reverse name order leaves siblings in name order. */
	for (size_t i = set.n; i-- > 0;) {
		int64_t parent;
		if (set.teams[i].parent && hmap_get(&by_name, set.teams[i].parent, &parent)) {
			links.next_sibling[i] = links.first_child[parent];
			links.first_child[parent] = i;
		}
	}
	hmap_release(&by_name);
	struct org_team *ordered = arena_array(ctx->arena, count, sizeof *ordered);
	*n = 0;
	bool found = root == NULL;
	for (size_t i = 0; i < set.n; i++) {
		bool start =
		        root ? strcmp(set.teams[i].name, root) == 0 : set.teams[i].parent == NULL;
		if (start) {
			walk(&set, &links, i, 0, ordered, n);
			found = true;
		}
	}
	if (!found) {
		err_set(err, ERR_NOT_FOUND, "no team '%s'", root);
		err_hint(err, "run 'plumb org tree' for all teams");
		return ERR_NOT_FOUND;
	}
	/* An analyst sees each team's lead as a pseudonym, but themselves; the
	 * others' own records are not read (a query per org tree). */
	for (size_t i = 0; mask_people(ctx) && i < *n; i++) {
		bool own = false;
		int rc2 = mask_own_person(ctx, ordered[i].lead_id, &own, err);
		if (rc2 == 0)
			rc2 = mask_person(ctx, ordered[i].lead_id, &ordered[i].lead_id, err);
		if (rc2 < 0)
			return rc2;
		if (!own)
			ordered[i].lead_name = mask_text(ctx, ordered[i].lead_name);
	}
	*out = ordered;
	return 0;
}

struct tree_args {
	const char *root;
	struct org_summary *summary;
	struct org_team **out;
	size_t *n;
};

static int tree_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct tree_args *a = arg;
	return tree(ctx, a->root, a->out, a->n, err);
}

int org_tree(struct ctx *ctx, const char *root, struct org_team **out, size_t *n, struct error *err)
{
	struct tree_args a = {root, NULL, out, n};
	return ctx_run(ctx, OP_ORG_TREE, tree_body, &a, err);
}

static int show_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct tree_args *a = arg;
	struct org_summary *s = a->summary;
	int rc = 0;
	memset(s, 0, sizeof *s);
	/* Counts of people are as of now; the others are plain totals. */
	struct {
		const char *sql;
		int64_t *out;
	} counts[] = {
	        {"SELECT COUNT(*) FROM people WHERE start_date <= ?1 AND " ORG_PERSON_CURRENT(
	                 "people", "?1"),
	         &s->people_active},
	        {"SELECT COUNT(*) FROM people WHERE end_date IS NOT NULL AND end_date <= ?",
	         &s->people_ended},
	        {"SELECT COUNT(*) FROM people WHERE start_date > ?", &s->people_starting},
	        {"SELECT COUNT(*) FROM person_merges", &s->people_merged},
	        {"SELECT COUNT(DISTINCT country) FROM people "
	         "WHERE start_date <= ?1 AND " ORG_PERSON_CURRENT("people", "?1"),
	         &s->countries},
	        {"SELECT COUNT(*) FROM teams", &s->teams},
	        {"SELECT COUNT(*) FROM teams WHERE kind = 'project'", &s->project_teams},
	        {"SELECT COUNT(*) FROM services", &s->services},
	        {"SELECT COUNT(*) FROM identities", &s->identities},
	        {"SELECT COUNT(*) FROM users", &s->users},
	};
	int64_t now = ts_now_ms();
	for (size_t i = 0; rc == 0 && i < sizeof counts / sizeof counts[0]; i++) {
		struct store_stmt *st;
		if ((rc = store_prepare(ctx->store, counts[i].sql, &st, err)) < 0)
			break;
		if (strchr(counts[i].sql, '?'))
			stmt_bind_int(st, 1, now);
		rc = stmt_step(st, err);
		if (rc == STORE_ROW)
			*counts[i].out = stmt_int(st, 0);
		stmt_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	if (rc == 0)
		rc = tree(ctx, NULL, a->out, a->n, err);
	return rc;
}

int org_show(struct ctx *ctx, struct org_summary *s, struct org_team **teams, size_t *nteams,
             struct error *err)
{
	memset(s, 0, sizeof *s);
	struct tree_args a = {NULL, s, teams, nteams};
	return ctx_run(ctx, OP_ORG_SHOW, show_body, &a, err);
}

/* ---- services -------------------------------------------------------------- */

/* Run a statement that takes only integers and returns no rows. */
static int exec_ints(struct ctx *ctx, const char *sql, const int64_t *values, int n,
                     struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	for (int i = 0; i < n; i++)
		stmt_bind_int(st, i + 1, values[i]);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Find or create the service; update a changed description. */
static int service_upsert(struct ctx *ctx, const char *name, const char *description,
                          int64_t *service_id, bool *created, bool *changed, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT id, description FROM services WHERE name = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, name);
	rc = stmt_step(st, err);
	*service_id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	bool desc_changed =
	        rc == STORE_ROW && description && strcmp(stmt_text(st, 1), description) != 0;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (*service_id && !desc_changed)
		return 0;
	/* Two statements, each binding all its parameters (PostgreSQL must
	 * know every parameter's type). */
	if (*service_id) {
		rc = store_prepare(ctx->store, "UPDATE services SET description = ? WHERE id = ?",
		                   &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_text(st, 1, description);
		stmt_bind_int(st, 2, *service_id);
	} else {
		rc = store_prepare(
		        ctx->store,
		        "INSERT INTO services(name, description, created_at) VALUES (?, ?, ?) "
		        "RETURNING id",
		        &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_text(st, 1, name);
		stmt_bind_text(st, 2, description ? description : "");
		stmt_bind_int(st, 3, ts_clock_ms()); /* when it was made: never PLUMB_NOW */
	}
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		*service_id = stmt_int(st, 0);
	stmt_reset(st);
	*created = rc == STORE_ROW;
	*changed = desc_changed;
	return rc < 0 ? rc : 0;
}

int org_service_ensure_tx(struct ctx *ctx, const char *name, const char *description,
                          int64_t *service_id, bool *created, struct error *err)
{
	bool changed;
	*created = false;
	if (!org_valid_name(name))
		return err_set(err, ERR_INVALID, "'%s' is not a valid service name", name);
	return service_upsert(ctx, name, description, service_id, created, &changed, err);
}

/* An earlier start for the team that owns the service now.  `service set`
 * without --effective starts an ownership today, as when an admin claims a
 * service ingest made unowned; its events before today stayed unowned, and
 * naming the same team with the real start was "unchanged", so the mistake
 * could not be undone.  Only time no other team owned the service is
 * claimed so: ownership history is not rewritten. */
static int service_claim_earlier(struct ctx *ctx, int64_t service_id, int64_t effective,
                                 bool *moved, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT t.name, o.valid_to FROM service_owners o "
	        "JOIN teams t ON t.id = o.team_id "
	        "WHERE o.service_id = ? AND o.valid_to IS NOT NULL AND o.valid_to > ? "
	        "ORDER BY o.valid_to DESC LIMIT 1",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, service_id);
	stmt_bind_int(st, 2, effective);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		char a[TS_BUF], b[TS_BUF];
		err_set(err, ERR_CONFLICT,
		        "ownership from %s would overlap that of %s, which ended %s",
		        ts_format_date(effective, a), stmt_text(st, 0),
		        ts_format_date(stmt_int(st, 1), b));
		err_detail(err, "an earlier start for the owning team claims only time no other "
		                "team owned the service; ownership history is not rewritten");
		rc = ERR_CONFLICT;
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	int64_t start[] = {effective, service_id};
	rc = exec_ints(ctx,
	               "UPDATE service_owners SET valid_from = ? "
	               "WHERE service_id = ? AND valid_to IS NULL",
	               start, 2, err);
	*moved = rc == 0;
	return rc;
}

/* Ownership history: close the open row at `effective`, open one for team_id.
 * With claim_earlier, the same team given an earlier start gets it. */
static int service_move(struct ctx *ctx, int64_t service_id, int64_t team_id, int64_t effective,
                        bool claim_earlier, bool *moved, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT team_id, valid_from FROM service_owners "
	                       "WHERE service_id = ? AND valid_to IS NULL",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, service_id);
	rc = stmt_step(st, err);
	bool has_owner = rc == STORE_ROW;
	int64_t owner = has_owner ? stmt_int(st, 0) : 0,
	        owner_from = has_owner ? stmt_int(st, 1) : 0;
	stmt_reset(st);
	*moved = false;
	if (rc < 0)
		return rc;
	if (has_owner && owner == team_id)
		return claim_earlier && effective < owner_from
		               ? service_claim_earlier(ctx, service_id, effective, moved, err)
		               : 0;
	/* An org file says who owned the service at its date: when that team
	 * did, a move `service set` scheduled for later is no change it makes
	 * (found by scheduling a move, then importing the file of today: the
	 * import failed until the move's date). */
	int64_t then = 0;
	if (!claim_earlier && has_owner && effective < owner_from &&
	    (rc = org_team_of_service_at(ctx, service_id, effective, &then, err)) < 0)
		return rc;
	if (!claim_earlier && has_owner && effective < owner_from && then == team_id)
		return 0;
	if (has_owner && effective < owner_from) {
		char a[TS_BUF], b[TS_BUF];
		err_set(err, ERR_CONFLICT,
		        "ownership change effective %s precedes the current owner's start %s",
		        ts_format_date(effective, a), ts_format_date(owner_from, b));
		return ERR_CONFLICT;
	}
	int64_t close[] = {effective, service_id}, open[] = {service_id, team_id, effective};
	/* A change on the open row's own start day replaces it rather than
	 * leaving it from that day to that day; back to the team of the row
	 * before, that row is open again (found in review: a zero-length row
	 * and the earlier owner's row split in two). */
	if (has_owner && effective == owner_from) {
		int64_t drop[] = {service_id};
		if ((rc = exec_ints(
		             ctx,
		             "DELETE FROM service_owners WHERE service_id = ? AND valid_to IS NULL",
		             drop, 1, err)) < 0)
			return rc;
		rc = store_prepare(
		        ctx->store,
		        "UPDATE service_owners SET valid_to = NULL WHERE service_id = ? AND "
		        "valid_to = ? AND team_id = ? RETURNING service_id",
		        &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_int(st, 1, service_id);
		stmt_bind_int(st, 2, effective);
		stmt_bind_int(st, 3, team_id);
		rc = stmt_step(st, err);
		stmt_reset(st);
		if (rc < 0)
			return rc;
		if (rc == STORE_ROW) {
			*moved = true;
			return 0;
		}
	} else if (has_owner && (rc = exec_ints(ctx,
	                                        "UPDATE service_owners SET valid_to = ? "
	                                        "WHERE service_id = ? AND valid_to IS NULL",
	                                        close, 2, err)) < 0) {
		return rc;
	}
	rc = exec_ints(ctx,
	               "INSERT INTO service_owners(service_id, team_id, valid_from, valid_to) "
	               "VALUES (?, ?, ?, NULL)",
	               open, 3, err);
	*moved = rc == 0;
	return rc;
}

/* org_service_set_tx; claim_earlier as for service_move. */
static int service_set_tx(struct ctx *ctx, const char *name, const char *team,
                          const char *description, int64_t effective, bool claim_earlier,
                          bool *created, bool *changed, struct error *err)
{
	*created = *changed = false;
	if (effective == 0)
		effective = ts_day_floor(ts_now_ms());
	if (!org_valid_name(name)) {
		err_set(err, ERR_INVALID, "'%s' is not a valid service name", name);
		err_detail(err, "names use letters, digits, '-', '_' and '.', up to %d characters",
		           ORG_NAME_MAX);
		return ERR_INVALID;
	}
	if (description && !org_valid_text(description, ORG_DESCRIPTION_MAX)) {
		err_set(err, ERR_INVALID, "the description of %s is not one line of UTF-8 text",
		        name);
		err_detail(err, "up to %d bytes, no control characters", ORG_DESCRIPTION_MAX);
		return ERR_INVALID;
	}
	int64_t team_id = 0, service_id = 0;
	bool moved = false;
	int rc = org_team_id(ctx, team, &team_id, err);
	if (rc == 0)
		rc = service_upsert(ctx, name, description, &service_id, created, changed, err);
	if (rc == 0)
		rc = service_move(ctx, service_id, team_id, effective, claim_earlier, &moved, err);
	/* Events are attributed to the team that owned the service when they
	 * happened: an ownership change re-derives them. */
	int64_t sid[] = {service_id};
	if (rc == 0 && moved)
		rc = exec_ints(ctx,
		               "UPDATE events SET team_id = " ORG_TEAM_OF_EVENT
		               " WHERE service_id = ?",
		               sid, 1, err);
	*changed = *changed || moved;
	if (rc < 0 || (!*created && !*changed))
		return rc;
	struct sb detail = SB_INIT;
	struct jw w;
	char buf[TS_BUF];
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "team", team);
	jw_kstr(&w, "effective", ts_format(effective, buf));
	jw_object_end(&w);
	rc = audit_append(ctx, *created ? "service.create" : "service.update", "service", name,
	                  detail.buf, err);
	sb_release(&detail);
	return rc;
}

/* An org file's date is when it was true, not when an ownership began: an
 * import does not move a start back. */
int org_service_set_tx(struct ctx *ctx, const char *name, const char *team, const char *description,
                       int64_t effective, bool *created, bool *changed, struct error *err)
{
	return service_set_tx(ctx, name, team, description, effective, false, created, changed,
	                      err);
}

struct service_args {
	const char *name, *team, *description;
	int64_t effective;
	bool *created, *changed;
};

static int service_set_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct service_args *a = arg;
	int rc = service_set_tx(ctx, a->name, a->team, a->description, a->effective, true,
	                        a->created, a->changed, err);
	if (rc == 0 && !*a->created && !*a->changed)
		return CTX_ROLLBACK; /* nothing to record */
	return rc;
}

int org_service_set(struct ctx *ctx, const char *name, const char *team, const char *description,
                    int64_t effective, bool *created, bool *changed, struct error *err)
{
	struct service_args a = {name, team, description, effective, created, changed};
	return ctx_run(ctx, OP_SERVICE_SET, service_set_body, &a, err);
}

static int cmp_service(const void *a, const void *b)
{
	return strcmp(((const struct org_service *)a)->name, ((const struct org_service *)b)->name);
}

static int service_list_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct list_args *a = arg;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT s.name, s.description, t.name, o.valid_from FROM services s "
	        "LEFT JOIN service_owners o ON o.service_id = s.id "
	        "  AND o.valid_from <= ?1 AND (o.valid_to IS NULL OR o.valid_to > ?1) "
	        "LEFT JOIN teams t ON t.id = o.team_id",
	        &st, err);
	if (rc >= 0)
		stmt_bind_int(st, 1, ts_now_ms());
	size_t count = 0, alloc = 0;
	struct org_service *items = NULL;
	while (rc >= 0 && (rc = stmt_step(st, err)) == STORE_ROW) {
		items = arena_grow(ctx->arena, items, count, &alloc, sizeof *items);
		struct org_service *s = &items[count++];
		s->name = stmt_text_dup(st, 0, ctx->arena);
		s->description = stmt_text_dup(st, 1, ctx->arena);
		s->team = stmt_text_dup(st, 2, ctx->arena);
		s->owned_since = stmt_is_null(st, 3) ? 0 : stmt_int(st, 3);
	}
	if (rc >= 0) {
		stmt_reset(st);
		/* Sorted by name in C: output order never depends on collation. */
		if (count > 1) /* qsort(NULL, 0) is undefined */
			qsort(items, count, sizeof *items, cmp_service);
		*(struct org_service **)a->out = items;
		*a->n = count;
	}
	return rc < 0 ? rc : 0;
}

int org_service_list(struct ctx *ctx, struct org_service **out, size_t *n, struct error *err)
{
	struct list_args a = {NULL, out, n};
	return ctx_run(ctx, OP_SERVICE_LIST, service_list_body, &a, err);
}

/* ---- attribution ----------------------------------------------------------- */

static int team_at(struct ctx *ctx, const char *sql, int64_t id, int64_t at, int64_t *team_id,
                   struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, id);
	stmt_bind_int(st, 2, at);
	stmt_bind_int(st, 3, at);
	rc = stmt_step(st, err);
	*team_id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int org_team_of_person_at(struct ctx *ctx, int64_t person_id, int64_t at, int64_t *team_id,
                          struct error *err)
{
	return team_at(
	        ctx,
	        "SELECT team_id FROM team_memberships WHERE person_id = ? AND valid_from <= ? "
	        "AND (valid_to IS NULL OR valid_to > ?)",
	        person_id, at, team_id, err);
}

int org_team_of_service_at(struct ctx *ctx, int64_t service_id, int64_t at, int64_t *team_id,
                           struct error *err)
{
	return team_at(
	        ctx,
	        "SELECT team_id FROM service_owners WHERE service_id = ? AND valid_from <= ? "
	        "AND (valid_to IS NULL OR valid_to > ?)",
	        service_id, at, team_id, err);
}
