/* identities: link and unlink accounts by hand. */
#include "core/identities.h"

#include <string.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "core/audit.h"
#include "core/consent.h"
#include "core/ctx.h"
#include "core/holds.h"
#include "core/org.h"
#include "core/pseudonym.h"
#include "store/store.h"

int identity_check_system(const char *system, struct error *err)
{
	static const char *const systems[] = {"github",  "jira",   "pagerduty",
	                                      "jenkins", "deploy", "email"};
	for (size_t i = 0; i < sizeof systems / sizeof systems[0]; i++)
		if (strcmp(system, systems[i]) == 0)
			return 0;
	err_set(err, ERR_USAGE, "unknown system '%s'", system);
	err_hint(err, "the systems are github, jira, pagerduty, jenkins, deploy and email");
	return ERR_USAGE;
}

/* An address but for blanks that show nothing at its ends, as an earlier
 * plumb stored some (org_valid_email refuses them now). */
static bool email_with_blank_ends(const char *login)
{
	size_t start, end;
	utf8_trim_blanks(login, &start, &end);
	char trimmed[ORG_TEXT_MAX + 1];
	if (end - start >= sizeof trimmed)
		return false;
	memcpy(trimmed, login + start, end - start);
	trimmed[end - start] = '\0';
	return org_valid_email(trimmed);
}

/* identity_account_valid, but for the blanks that show nothing at an end
 * when blank_ends is true (as plumb took accounts before it refused them).
 * A deploy event's actor is whatever the team's pipeline writes, often a
 * name ("Ng, Alice"): spaces inside are allowed, not around it (the deploy
 * parser trims them, no-break and zero-width ones too).  Other systems'
 * logins and ids have none. */
static bool account_valid(const char *system, const char *login, bool blank_ends)
{
	bool deploy = strcmp(system, "deploy") == 0;
	size_t len = strlen(login);
	bool ok = len && org_valid_text(login, ORG_TEXT_MAX);
	/* A no-break or zero-width space at an end too: nothing shows it, and
	 * a deploy event's actor is read without it (found in the parsers'
	 * hunt: one linked with it matched no deploy). */
	if (ok && !blank_ends)
		ok = !utf8_blank_at_an_end(login);
	if (ok && deploy)
		ok = login[0] != ' ' && login[len - 1] != ' ';
	else if (ok)
		ok = !strchr(login, ' ');
	/* Logins and ids have no blank inside either: "mo<NBSP>na" looks like
	 * mona and is no login GitHub, Jira, Jenkins or PagerDuty issues (found
	 * in review).  An older plumb took one, so one held is still matched. */
	for (const char *c = login; ok && !deploy && !blank_ends && *c; c++)
		ok = !utf8_blank_len(c);
	if (ok && strcmp(system, "email") == 0)
		ok = blank_ends ? email_with_blank_ends(login) : org_valid_email(login);
	return ok;
}

bool identity_account_valid(const char *system, const char *login)
{
	return account_valid(system, login, false);
}

static bool ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* GitHub's own rule for the logins it issues: letters, digits and single
 * hyphens, none first, at most 39 characters; an app's login is its slug
 * and "[bot]"; an Enterprise Managed User's, a login, "_" and the
 * enterprise's short code (letters and digits, at most 8).  A trailing
 * hyphen is let through: accounts made before GitHub refused one still
 * have it. */
static bool github_login_shaped(const char *login)
{
	size_t len = strlen(login);
	static const char app[] = "[bot]";
	size_t app_len = sizeof app - 1;
	const char *underscore = strchr(login, '_');
	if (len > app_len && strcmp(login + len - app_len, app) == 0) {
		len -= app_len;
	} else if (underscore) {
		size_t code = len - (size_t)(underscore + 1 - login);
		if (!code || code > 8)
			return false;
		for (const char *c = underscore + 1; *c; c++)
			if (!ascii_alnum(*c))
				return false;
		len = (size_t)(underscore - login);
	}
	if (!len || len > 39 || login[0] == '-')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!ascii_alnum(login[i]) && (login[i] != '-' || login[i - 1] == '-'))
			return false;
	return true;
}

bool identity_account_entry_valid(const char *system, const char *login)
{
	if (!identity_account_valid(system, login))
		return false;
	return strcmp(system, "github") != 0 || github_login_shaped(login);
}

static int invalid_account(const char *system, const char *login, struct error *err)
{
	err_set(err, ERR_USAGE, "'%s' is not a valid %s account", login, system);
	if (strcmp(system, "github") == 0)
		err_detail(err, "%s", IDENTITY_GITHUB_LOGIN_RULE);
	else
		err_detail(err, "%s, up to %d bytes%s",
		           strcmp(system, "deploy") == 0 ? "one line without spaces around it"
		                                         : "one line without spaces",
		           ORG_TEXT_MAX, strcmp(system, "email") == 0 ? ", an email address" : "");
	return ERR_USAGE;
}

/* Usage error unless login is an account of system.  One whose only fault
 * is a blank that shows nothing at an end sets *if_held instead: plumb
 * stored and linked such accounts before it refused them, and one it holds
 * must still be linked and unlinked (found in review: an actor stored with
 * a no-break space, listed by identity unmatched, could not be linked, nor
 * one linked with it unlinked).  So does a GitHub login outside GitHub's
 * rule for new ones, which its API may still name (an old account's).
 * The caller's transaction checks that it is held (account_held). */
static int check_account(const char *system, const char *login, bool *if_held, struct error *err)
{
	*if_held = false;
	if (identity_check_system(system, err) < 0)
		return ERR_USAGE;
	if (identity_account_entry_valid(system, login))
		return 0;
	if (!account_valid(system, login, true))
		return invalid_account(system, login, err);
	*if_held = true;
	return 0;
}

/* GitHub logins and email addresses are the same account in any case of
 * their ASCII letters; Jira and PagerDuty ids are exact. */
static bool case_blind(const char *system)
{
	return strcmp(system, "github") == 0 || strcmp(system, "email") == 0;
}

/* The login as a case-blind system compares it, ASCII letters in lower
 * case, against lower() of a column, which folds only those on both engines
 * (text columns collate "C" on PostgreSQL); NULL for an exact system.
 * Folded here and not by lower() of the parameter: PostgreSQL's would also
 * fold other letters, by the server's locale, and the engines would match
 * different accounts. */
static const char *blind_key(struct ctx *ctx, const char *system, const char *login)
{
	return case_blind(system) ? arena_strlower(ctx->arena, login) : NULL;
}

const char *identity_account_key(struct arena *arena, const char *system, const char *login)
{
	return case_blind(system) ? arena_strlower(arena, login) : login;
}

/* The employee id sql finds (first column), binding ?1, then ?2 and ?3
 * when given. */
static int one_owner(struct ctx *ctx, const char *sql, const char *p1, const char *p2,
                     const char *p3, const char **employee_id, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, p1);
	if (p2)
		stmt_bind_text(st, 2, p2);
	if (p3)
		stmt_bind_text(st, 3, p3);
	rc = stmt_step(st, err);
	*employee_id = rc == STORE_ROW ? stmt_text_dup(st, 0, ctx->arena) : NULL;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The employee id a linked account points to, or NULL. */
static int current_owner(struct ctx *ctx, const char *system, const char *login,
                         const char **employee_id, struct error *err)
{
	const char *key = blind_key(ctx, system, login);
	return one_owner(ctx,
	                 key ? "SELECT p.employee_id FROM identities i JOIN people p ON p.id = "
	                       "i.person_id WHERE i.system = ?1 AND (i.login = ?2 OR "
	                       "lower(i.login) = ?3) ORDER BY i.login = ?2 DESC LIMIT 1"
	                     : "SELECT p.employee_id FROM identities i JOIN people p ON p.id = "
	                       "i.person_id WHERE i.system = ?1 AND i.login = ?2",
	                 system, login, key, employee_id, err);
}

/* Whose primary address an email account is (people.email), or NULL: the
 * org import counts it as theirs. */
static int primary_owner(struct ctx *ctx, const char *system, const char *login,
                         const char **employee_id, struct error *err)
{
	*employee_id = NULL;
	if (strcmp(system, "email") != 0)
		return 0;
	return one_owner(ctx,
	                 "SELECT employee_id FROM people WHERE lower(email) = ?1 ORDER BY "
	                 "employee_id LIMIT 1",
	                 blind_key(ctx, system, login), NULL, NULL, employee_id, err);
}

/* The audit entry of a link or unlink: whose account, how many events
 * changed person and (an unlink's, held not NULL) how many of them the
 * policy holds pseudonymized; already_linked for a link that only
 * re-attributed.  On
 * the account's key, so that one account's entries are on one object in
 * whatever case each command named it. */
static int record(struct ctx *ctx, const char *action, const char *system, const char *login,
                  const char *employee_id, int64_t events, const int64_t *held, bool already_linked,
                  const struct consent_kept_back *kept, struct error *err)
{
	struct sb object = SB_INIT, detail = SB_INIT;
	struct jw w;
	sb_printf(&object, "%s:%s", system, identity_account_key(ctx->arena, system, login));
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "person", employee_id);
	jw_kint(&w, "events", events);
	if (held)
		jw_kint(&w, "events_held", *held);
	if (already_linked)
		jw_kbool(&w, "already_linked", true);
	consent_kept_back_json(&w, kept);
	jw_object_end(&w);
	int rc = audit_append(ctx, action, "identity", object.buf, detail.buf, err);
	sb_release(&object);
	sb_release(&detail);
	return rc;
}

/* The events an account decides, binding ?1 the system and ?2 the login
 * (folded where the system is case-blind, as ingestion stores it), ?3 it
 * without blanks at its ends: its own, those of the account it is with
 * blanks after it (IDENTITY_TRIMMED_OF_EVENT), and for an email those whose
 * account_email it is. */
#define ACCOUNT_EVENTS                                                                             \
	" ((?1 = 'email' AND account_email = ?2) OR (account_system = ?1 AND account IN (?2, "     \
	"?3)))"
/* An event whose stored person is not the one the identities and primary
 * emails give now (anonymized events have neither account nor person). */
#define REATTRIBUTION_DUE                                                                          \
	" anonymized_at IS NULL AND COALESCE(person_id, 0) <> COALESCE(" IDENTITY_PERSON_OF_EVENT  \
	", 0)"
/* The event's person is under an active legal hold (holds_person_held_tx's
 * test, for each row). */
#define PERSON_HELD " " HOLDS_PERSON_HELD("events.person_id")

/* Run an UPDATE events ... RETURNING id, person_id, kind statement; *n
 * counts the events it left attributed to their new person.  The events it
 * left attributed to nobody are held as the policy holds an unmatched
 * account's (consent_hold_unmatched_tx, under system/login's pseudonym,
 * or with system NULL each event's own account's), counted in *held; those
 * it gave a person pass the consent gate for them
 * (consent_gate_reattributed_tx), and what it kept back is in *kept. */
static int update_counted(struct ctx *ctx, struct store_stmt *st, const char *system,
                          const char *login, int64_t *n, int64_t *held,
                          struct consent_kept_back *kept, struct error *err)
{
	*n = *held = 0;
	memset(kept, 0, sizeof *kept);
	/* Without a policy's mechanisms nothing is kept back: the events given
	 * a person (a million, for an import) are not listed then. */
	struct consent_gate *g;
	int rc = consent_gate_open(ctx, &g, err);
	if (rc < 0) {
		stmt_reset(st);
		return rc;
	}
	int64_t *unmatched = NULL;
	struct consent_reattributed *given = NULL;
	size_t nunmatched = 0, alloc = 0, ngiven = 0, alloc_given = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		(*n)++;
		if (!stmt_is_null(st, 1)) {
			if (!g)
				continue;
			given = arena_grow(ctx->arena, given, ngiven, &alloc_given, sizeof *given);
			given[ngiven++] = (struct consent_reattributed){
			        stmt_int(st, 0), stmt_int(st, 1), stmt_text_dup(st, 2, ctx->arena)};
			continue;
		}
		unmatched =
		        arena_grow(ctx->arena, unmatched, nunmatched, &alloc, sizeof *unmatched);
		unmatched[nunmatched++] = stmt_int(st, 0);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	rc = consent_hold_unmatched_tx(ctx, system, login, unmatched, nunmatched, held, err);
	if (rc == 0)
		rc = consent_gate_reattributed_tx(g, given, ngiven, kept, err);
	*n -= kept->deleted + kept->pseudonymized + kept->hold_kept;
	return rc;
}

/* login without blanks at its ends (utf8_trim_blanks), in arena. */
static const char *trim_blanks(struct arena *arena, const char *login)
{
	size_t start, end;
	utf8_trim_blanks(login, &start, &end);
	return arena_strndup(arena, login + start, end - start);
}

/* Attribute the account's events afresh, after its link changed; *moved
 * counts the events whose person changed, *held and *kept as
 * update_counted says.  Events that would leave a person under a legal
 * hold refuse it all (verb says what was being done, for the message), as
 * unlinking and merging refuse. */
static int reattribute(struct ctx *ctx, const char *system, const char *login, const char *verb,
                       int64_t *moved, int64_t *held, struct consent_kept_back *kept,
                       struct error *err)
{
	*moved = *held = 0;
	memset(kept, 0, sizeof *kept);
	const char *key = blind_key(ctx, system, login);
	if (!key)
		key = login;
	/* A login an earlier plumb stored with blanks after it decides the
	 * events of the account without them, which ingestion reads now: its
	 * unlink left them with its person (found in session 52). */
	const char *trimmed = trim_blanks(ctx->arena, key);
	bool blanks = strcmp(trimmed, key) != 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT DISTINCT events.person_id, p.employee_id FROM events JOIN "
	                       "people p ON p.id = events.person_id WHERE" ACCOUNT_EVENTS
	                       " AND" REATTRIBUTION_DUE " ORDER BY p.employee_id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, system);
	stmt_bind_text(st, 2, key);
	stmt_bind_text(st, 3, trimmed);
	int64_t *ids = NULL;
	const char **eids = NULL;
	size_t n = 0, alloc_ids = 0, alloc_eids = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		ids = arena_grow(ctx->arena, ids, n, &alloc_ids, sizeof *ids);
		eids = arena_grow(ctx->arena, eids, n, &alloc_eids, sizeof *eids);
		ids[n] = stmt_int(st, 0);
		eids[n++] = stmt_text_dup(st, 1, ctx->arena);
	}
	stmt_reset(st);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		bool under_hold = false;
		if ((rc = holds_person_held_tx(ctx, ids[i], NULL, &under_hold, err)) < 0 ||
		    !under_hold)
			continue;
		err_set(err, ERR_CONFLICT, "%s is under a legal hold", eids[i]);
		err_detail(err, "%s %s account '%s' would take their events out of the hold", verb,
		           system, login);
		err_hint(err, "%s once the hold is released (plumb hold list)",
		         strcmp(verb, "linking") == 0   ? "link"
		         : strcmp(verb, "merging") == 0 ? "merge"
		                                        : "unlink");
		return ERR_CONFLICT;
	}
	if (rc < 0)
		return rc;
	if ((rc = store_prepare(ctx->store,
	                        "UPDATE events SET person_id = " IDENTITY_PERSON_OF_EVENT
	                        " WHERE" ACCOUNT_EVENTS " AND" REATTRIBUTION_DUE
	                        " RETURNING id, person_id, kind",
	                        &st, err)) < 0)
		return rc;
	stmt_bind_text(st, 1, system);
	stmt_bind_text(st, 2, key);
	stmt_bind_text(st, 3, trimmed);
	/* Events of two spellings are each held under their own account's
	 * pseudonym, as ingestion holds them. */
	return update_counted(ctx, st, blanks ? NULL : system, blanks ? NULL : login, moved, held,
	                      kept, err);
}

int identity_reattribute_all_tx(struct ctx *ctx, int64_t *moved, int64_t *kept, int64_t *held,
                                struct consent_kept_back *kept_back, struct error *err)
{
	*moved = *kept = *held = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "UPDATE events SET person_id = " IDENTITY_PERSON_OF_EVENT
	                       " WHERE" REATTRIBUTION_DUE " AND NOT" PERSON_HELD
	                       " RETURNING id, person_id, kind",
	                       &st, err);
	if (rc < 0 || (rc = update_counted(ctx, st, NULL, NULL, moved, held, kept_back, err)) < 0)
		return rc;
	bool found = false;
	rc = store_query_int(ctx->store, "SELECT COUNT(*) FROM events WHERE" REATTRIBUTION_DUE,
	                     kept, &found, err);
	return rc < 0 ? rc : 0;
}

/* For a login check_account took only if held: ERR_USAGE, as for one not
 * valid, unless an identity links it or events name it, as stored (events
 * hold a case-blind system's account folded, identity_account_key). */
static int account_held(struct ctx *ctx, const char *system, const char *login, struct error *err)
{
	bool email = strcmp(system, "email") == 0;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        email ? "SELECT 1 FROM identities WHERE system = ?1 AND (login = ?2 OR "
	                "lower(login) = ?3) UNION ALL "
	                "SELECT 1 FROM events WHERE account_email = ?3 LIMIT 1"
	              : "SELECT 1 FROM identities WHERE system = ?1 AND (login = ?2 OR "
	                "lower(login) = ?3) UNION ALL "
	                "SELECT 1 FROM events WHERE account_system = ?1 AND account = ?3 LIMIT 1",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, system);
	stmt_bind_text(st, 2, login);
	stmt_bind_text(st, 3, identity_account_key(ctx->arena, system, login));
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	return rc == STORE_ROW ? 0 : invalid_account(system, login, err);
}

struct link_args {
	const char *system, *login, *employee_id;
	bool if_held; /* check_account's: the login is taken only if held */
	bool *changed;
	int64_t *events, *held;
	const char **previous;
	struct consent_kept_back *kept;
};

static int link_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct link_args *a = arg;
	*a->changed = false;
	*a->events = 0;
	struct store_stmt *st;
	int64_t person_id = 0;
	int rc = a->if_held ? account_held(ctx, a->system, a->login, err) : 0;
	if (rc >= 0)
		rc = org_person_id(ctx, a->employee_id, &person_id, err);
	const char *owner = NULL, *primary = NULL, *into = NULL;
	if (rc >= 0)
		rc = org_merged_into(ctx, person_id, &into, err);
	if (rc >= 0 && into) {
		err_set(err, ERR_CONFLICT, "%s was merged into %s", a->employee_id, into);
		err_detail(err, "a merged record keeps no accounts or events of its own");
		err_hint(err, "link the account to %s", into);
		return ERR_CONFLICT;
	}
	if (rc >= 0)
		rc = current_owner(ctx, a->system, a->login, &owner, err);
	if (rc >= 0)
		rc = primary_owner(ctx, a->system, a->login, &primary, err);
	if (rc < 0)
		return rc;
	/* A merged record's primary email is attributed to the record it went
	 * into, so it is that one's already (found in review: a conflict). */
	const char *primary_into = NULL;
	int64_t primary_id = 0;
	if (primary && strcmp(primary, a->employee_id) != 0) {
		rc = org_person_id(ctx, primary, &primary_id, err);
		if (rc >= 0)
			rc = org_merged_into(ctx, primary_id, &primary_into, err);
		if (rc < 0)
			return rc;
	}
	if (primary && strcmp(primary, a->employee_id) != 0 &&
	    !(primary_into && strcmp(primary_into, a->employee_id) == 0)) {
		err_set(err, ERR_CONFLICT, "'%s' is the primary email of %s%s%s", a->login, primary,
		        primary_into ? ", merged into " : "", primary_into ? primary_into : "");
		err_hint(err, "primary emails come from the HRIS file: change it there and import");
		return ERR_CONFLICT;
	}
	bool already = (owner && strcmp(owner, a->employee_id) == 0) || primary;
	if (owner && !already) {
		err_set(err, ERR_CONFLICT, "%s account '%s' belongs to %s", a->system, a->login,
		        owner);
		err_hint(err, "if that is wrong: plumb identity unlink %s %s, then link it again",
		         a->system, a->login);
		return ERR_CONFLICT;
	}
	if (!already) {
		rc = store_prepare(ctx->store,
		                   "INSERT INTO identities(system, login, person_id, created_at) "
		                   "VALUES (?1, ?2, ?3, ?4)",
		                   &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_text(st, 1, a->system);
		stmt_bind_text(st, 2, a->login);
		stmt_bind_int(st, 3, person_id);
		stmt_bind_int(st, 4, ts_clock_ms());
		rc = stmt_step(st, err);
		stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	/* Linked already, the account's events may still name nobody or
	 * someone else (stored before the link, or kept by a hold since
	 * released): they are attributed afresh all the same. */
	int64_t unmatched = 0; /* none: a link gives its account's events a person */
	rc = reattribute(ctx, a->system, a->login, "linking", a->events, &unmatched, a->kept, err);
	*a->changed = !already;
	if (rc >= 0 && !already)
		rc = record(ctx, "identity.link", a->system, a->login, a->employee_id, *a->events,
		            NULL, false, a->kept, err);
	/* Events held pseudonymized until this account was matched: the
	 * person's consent applies from now on.  Also on a link made already,
	 * as an unlink and link again resolves them, and under the login
	 * without blanks at its ends too, as ingestion holds an account an
	 * earlier plumb stored with them (found hunting merges: a blank-stored
	 * login linked again left them held). */
	int64_t resolved = 0, dropped = 0;
	const char *trimmed = trim_blanks(ctx->arena, a->login);
	for (int pass = 0; rc >= 0 && pass < (strcmp(trimmed, a->login) != 0 ? 2 : 1); pass++) {
		int64_t r = 0, d = 0;
		rc = consent_resolve_held_tx(ctx, a->system, pass ? trimmed : a->login, person_id,
		                             &r, &d, err);
		resolved += r;
		dropped += d;
	}
	if (rc < 0 || !already)
		return rc < 0 ? rc : 0;
	/* Events left to no one under a hold are a change too (found in review:
	 * rolled back, while the output said they were). */
	if (*a->events == 0 && resolved == 0 && dropped == 0 && !consent_kept_back_any(a->kept))
		return CTX_ROLLBACK; /* no change */
	return record(ctx, "identity.link", a->system, a->login, a->employee_id, *a->events, NULL,
	              true, a->kept, err);
}

int identity_link(struct ctx *ctx, const char *system, const char *login, const char *employee_id,
                  bool *changed, int64_t *events, struct consent_kept_back *kept, struct error *err)
{
	*changed = false;
	*events = 0;
	memset(kept, 0, sizeof *kept);
	bool if_held = false;
	int rc = ctx_op_check(ctx, OP_IDENTITY_LINK, err);
	if (rc == 0)
		rc = check_account(system, login, &if_held, err);
	if (rc < 0)
		return rc;
	if (pseudonym_account_shaped(login)) {
		err_set(err, ERR_USAGE, "'%s' is an account pseudonym, not an account", login);
		err_detail(err,
		           "the policy keeps the events of an account matched to nobody, or of "
		           "a person without a consent it requires, under a keyed hash of the "
		           "account; identity unmatched lists them so");
		err_hint(err, "link the account's own login or email address: the events held "
		              "under its pseudonym are resolved with it");
		return ERR_USAGE;
	}
	struct link_args a = {system, login, employee_id, if_held, changed,
	                      events, NULL,  NULL,        kept};
	return ctx_run(ctx, OP_IDENTITY_LINK, link_body, &a, err);
}

static int unlink_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct link_args *a = arg;
	int rc = a->if_held ? account_held(ctx, a->system, a->login, err) : 0;
	if (rc == 0)
		rc = current_owner(ctx, a->system, a->login, a->previous, err);
	const char *primary = NULL;
	if (rc == 0 && !*a->previous)
		rc = primary_owner(ctx, a->system, a->login, &primary, err);
	if (rc == 0 && !*a->previous) {
		err_set(err, ERR_NOT_FOUND, "no person has %s account '%s' linked", a->system,
		        a->login);
		if (primary)
			err_hint(err,
			         "it is the primary email of %s, which comes from the HRIS file",
			         primary);
		return ERR_NOT_FOUND;
	}
	/* The account's events would leave their person, and with it a hold on
	 * them (as a merge would move them out of it). */
	int64_t owner_id = 0;
	bool held = false;
	if (rc == 0)
		rc = org_person_id(ctx, *a->previous, &owner_id, err);
	if (rc == 0)
		rc = holds_person_held_tx(ctx, owner_id, NULL, &held, err);
	if (rc == 0 && held) {
		err_set(err, ERR_CONFLICT, "%s is under a legal hold", *a->previous);
		err_detail(err, "unlinking %s account '%s' would take its events out of the hold",
		           a->system, a->login);
		err_hint(err, "unlink once the hold is released (plumb hold list)");
		return ERR_CONFLICT;
	}
	struct store_stmt *st;
	if (rc == 0)
		rc = store_prepare(ctx->store,
		                   "DELETE FROM identities WHERE system = ?1 AND (login = ?2 OR "
		                   "lower(login) = ?3)",
		                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, a->system);
	stmt_bind_text(st, 2, a->login);
	stmt_bind_text(st, 3, blind_key(ctx, a->system, a->login));
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc == 0)
		rc = reattribute(ctx, a->system, a->login, "unlinking", a->events, a->held, a->kept,
		                 err);
	if (rc < 0)
		return rc;
	return record(ctx, "identity.unlink", a->system, a->login, *a->previous, *a->events,
	              a->held, false, a->kept, err);
}

int identity_unlink(struct ctx *ctx, const char *system, const char *login,
                    const char **employee_id, int64_t *events, int64_t *held,
                    struct consent_kept_back *kept, struct error *err)
{
	*employee_id = NULL;
	*events = *held = 0;
	memset(kept, 0, sizeof *kept);
	bool if_held = false;
	int rc = ctx_op_check(ctx, OP_IDENTITY_UNLINK, err);
	if (rc == 0)
		rc = check_account(system, login, &if_held, err);
	if (rc < 0)
		return rc;
	struct link_args a = {system, login, NULL, if_held, NULL, events, held, employee_id, kept};
	return ctx_run(ctx, OP_IDENTITY_UNLINK, unlink_body, &a, err);
}

/* ---- merging two people ---------------------------------------------------- */

struct merge_args {
	const char *from, *into, *reason;
	struct identity_merge_result *out;
};

static int count_of(struct ctx *ctx, const char *sql, int64_t id, int64_t *n, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, id);
	rc = stmt_step(st, err);
	*n = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The cycles still running (not closed) in which the record ?1 of INTO's
 * (?2) human is enrolled as a reviewee beside one nearer the record kept
 * (ORG_RECORD_RANK), once the merge is recorded: FROM where INTO, or a
 * record merged into INTO before, is enrolled; and where INTO is not, but
 * such a record and FROM are, that record, which went into INTO earlier
 * (found hunting merges: FROM was withdrawn, while a chain's record merged
 * later is the nearer, and the human's row, evaluation and self review went
 * two ways). */
/* clang-format off */
#define BOTH_ENROLLED \
	"(SELECT c.id FROM cycles c JOIN cycle_members mf ON mf.cycle_id = c.id AND" \
	" mf.person_id = ?1 WHERE c.phase <> 'closed' AND EXISTS (SELECT 1 FROM cycle_members mi" \
	" WHERE mi.cycle_id = c.id AND mi.person_id <> ?1 AND " ORG_HUMAN("mi.person_id") " = ?2" \
	" AND " ORG_RECORD_RANK("mi.person_id") " > " ORG_RECORD_RANK("CAST(?1 AS BIGINT)") "))"
/* clang-format on */
/* What is still asked about FROM there: an assignment not declined, with no
 * submitted response and, for the manager's, no evaluation of FROM. */
#define OPEN_ABOUT_FROM                                                                            \
	" WHERE reviewee_id = ?1 AND status <> 'declined' AND cycle_id IN " BOTH_ENROLLED          \
	" AND NOT EXISTS (SELECT 1 FROM feedback_responses f WHERE f.assignment_id = "             \
	"review_assignments.id AND f.status = 'submitted') AND NOT (relation = 'manager' AND "     \
	"EXISTS (SELECT 1 FROM evaluations e WHERE e.cycle_id = review_assignments.cycle_id AND "  \
	"e.person_id = ?1))"
/* FROM's enrolments there about which nothing stays asked or written: a
 * calibration mark is written about it too (found in review: the session,
 * which reads its people through the cycle's, lost the row and its comment;
 * a change needs an evaluation, which keeps the enrolment already). */
#define UNWRITTEN_ENROLMENT                                                                        \
	" WHERE person_id = ?1 AND cycle_id IN " BOTH_ENROLLED " AND NOT EXISTS (SELECT 1 FROM "   \
	"review_assignments a WHERE a.cycle_id = cycle_members.cycle_id AND a.reviewee_id = ?1 "   \
	"AND a.status <> 'declined') AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE "           \
	"e.cycle_id = cycle_members.cycle_id AND e.person_id = ?1) AND NOT EXISTS (SELECT 1 FROM " \
	"calibration_marks k JOIN calibration_sessions s ON s.id = k.session_id WHERE "            \
	"s.cycle_id = cycle_members.cycle_id AND k.person_id = ?1)"

/* The records of FROM's human (?1) and of INTO's (?2) before the merge. */
#define FROM_SIDE                                                                                  \
	"(SELECT CAST(?1 AS BIGINT) UNION ALL SELECT from_person_id FROM person_merges WHERE "     \
	"into_person_id = ?1)"
#define INTO_SIDE                                                                                  \
	"(SELECT CAST(?2 AS BIGINT) UNION ALL SELECT from_person_id FROM person_merges WHERE "     \
	"into_person_id = ?2)"
/* The running cycles FROM's side is withdrawn from: each once, whether an
 * enrolment went or stayed holding what was written (found in review: the
 * count was of enrolments deleted, so left out the kept ones, and counted a
 * cycle again for a record merged into FROM before). */
#define CYCLES_WITHDRAWN                                                                           \
	"SELECT COUNT(DISTINCT c.id) FROM cycles c JOIN cycle_members mf ON mf.cycle_id = c.id "   \
	"AND mf.person_id IN " FROM_SIDE " WHERE c.phase <> 'closed' AND EXISTS (SELECT 1 FROM "   \
	"cycle_members mi WHERE mi.cycle_id = c.id AND mi.person_id IN " INTO_SIDE ")"
/* Peer, upward and cross-functional work one side holds about the other in
 * a cycle not closed, not written: the merge makes it feedback about
 * oneself, which feedback submit refuses. */
#define OPEN_ABOUT_SELF                                                                            \
	" WHERE relation IN ('peer', 'upward', 'cross_functional') AND status <> 'declined' AND "  \
	"cycle_id IN (SELECT id FROM cycles WHERE phase <> 'closed') AND ((reviewer_id "           \
	"IN " FROM_SIDE " AND reviewee_id IN " INTO_SIDE ") OR (reviewer_id IN " INTO_SIDE         \
	" AND reviewee_id IN " FROM_SIDE ")) AND NOT EXISTS (SELECT 1 FROM feedback_responses f "  \
	"WHERE f.assignment_id = review_assignments.id AND f.status = 'submitted')"

/* The manager's work about one side, not done, in a cycle not closed where
 * the manager's about the other side is done: the human's manager review is
 * that one.  Both ways: where INTO is not enrolled, the merge may withdraw
 * INTO's side and not FROM (BOTH_ENROLLED), whose review is then declined
 * here (found hunting merges: owed, late and reminded for ever, evaluation
 * submit refusing it as evaluated already as the other).  Done as cycle assignments counts it: an
 * evaluation, or in a cycle without ratings the written feedback (found in review: in a ratings
 * cycle written feedback alone declined INTO's review, which evaluation submit still took and cycle
 * status no longer chased). */
#define MANAGER_DONE(reviewee)                                                                     \
	"(EXISTS (SELECT 1 FROM evaluations e WHERE e.cycle_id = review_assignments.cycle_id AND " \
	"e.person_id IN " reviewee ") OR EXISTS (SELECT 1 FROM review_assignments m JOIN "         \
	"feedback_responses f ON f.assignment_id = m.id AND f.status = 'submitted' JOIN cycles "   \
	"mc ON mc.id = m.cycle_id AND mc.ratings = 0 WHERE m.cycle_id = "                          \
	"review_assignments.cycle_id AND m.relation = 'manager' AND m.reviewee_id IN " reviewee    \
	"))"
/* clang-format off */
#define OPEN_SECOND_MANAGER \
	" WHERE relation = 'manager' AND status <> 'declined' AND cycle_id IN (SELECT id FROM" \
	" cycles WHERE phase <> 'closed') AND ((reviewee_id IN " INTO_SIDE " AND " \
	MANAGER_DONE(FROM_SIDE) ") OR (reviewee_id IN " FROM_SIDE " AND " MANAGER_DONE(INTO_SIDE) \
	")) AND NOT " MANAGER_DONE("(review_assignments.reviewee_id)")
/* clang-format on */

/* Run sql binding ?1 from, ?2 into and ?3 the actor's name; *n the first
 * column of its row when it returns one. */
static int run_two(struct ctx *ctx, const char *sql, int64_t from, int64_t into, int64_t *n,
                   struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, from);
	stmt_bind_int(st, 2, into);
	if (!n)
		stmt_bind_text(st, 3, ctx->actor.name);
	rc = stmt_step(st, err);
	if (n)
		*n = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* One human is one reviewee of a cycle: where a record of INTO's human
 * (from, FROM or another) is enrolled in a cycle not closed beside a nearer
 * one (BOTH_ENROLLED), it is withdrawn (found hunting merges: the human
 * owed two self reviews and got two evaluations).  What is still asked
 * about it is declined; its enrolment goes where nothing about it was
 * written, and stays, holding only what was, where something was. */
static int withdraw_reviewee(struct ctx *ctx, int64_t from, int64_t into, int64_t *declined,
                             struct error *err)
{
	int rc = run_two(ctx, "SELECT COUNT(*) FROM review_assignments" OPEN_ABOUT_FROM, from, into,
	                 declined, err);
	if (rc == 0 && *declined)
		rc = run_two(ctx,
		             "UPDATE review_assignments SET status = 'declined', decided_by = "
		             "?3" OPEN_ABOUT_FROM,
		             from, into, NULL, err);
	if (rc == 0)
		rc = store_exec_ints(ctx->store, "DELETE FROM cycle_members" UNWRITTEN_ENROLMENT,
		                     from, into, err);
	return rc;
}

/* Work the merge makes one the service refuses is declined, else it is owed,
 * late and reminded for ever (found hunting merges): what one record holds
 * about the other, feedback about oneself (what was written stays, out of
 * the groups: docs/review.md), and a second manager review of the human. */
static int decline_refused_work(struct ctx *ctx, int64_t from, int64_t into, int64_t *declined,
                                struct error *err)
{
	int rc = run_two(ctx, "SELECT COUNT(*) FROM review_assignments" OPEN_ABOUT_SELF, from, into,
	                 declined, err);
	if (rc == 0 && *declined)
		rc = run_two(ctx,
		             "UPDATE review_assignments SET status = 'declined', decided_by = "
		             "?3" OPEN_ABOUT_SELF,
		             from, into, NULL, err);
	int64_t manager = 0;
	if (rc == 0)
		rc = run_two(ctx, "SELECT COUNT(*) FROM review_assignments" OPEN_SECOND_MANAGER,
		             from, into, &manager, err);
	if (rc == 0 && manager)
		rc = run_two(ctx,
		             "UPDATE review_assignments SET status = 'declined', decided_by = "
		             "?3" OPEN_SECOND_MANAGER,
		             from, into, NULL, err);
	*declined += manager;
	return rc;
}

struct account {
	const char *system, *login;
};

/* The accounts (identities) linked to person, in the arena. */
static int accounts_of(struct ctx *ctx, int64_t person, struct account **out, size_t *n,
                       struct error *err)
{
	*out = NULL;
	*n = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT system, login FROM identities WHERE person_id = ?1 ORDER BY "
	                       "system, login",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, person);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*out = arena_grow(ctx->arena, *out, *n, &alloc, sizeof **out);
		(*out)[*n].system = stmt_text_dup(st, 0, ctx->arena);
		(*out)[(*n)++].login = stmt_text_dup(st, 1, ctx->arena);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int merge_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct merge_args *a = arg;
	struct store_stmt *st;
	int64_t from = 0, into = 0, merged = 0;
	int rc = org_person_id(ctx, a->from, &from, err);
	if (rc == 0)
		rc = org_person_id(ctx, a->into, &into, err);
	if (rc == 0)
		rc = count_of(ctx, "SELECT COUNT(*) FROM person_merges WHERE from_person_id = ?1",
		              from, &merged, err);
	if (rc == 0 && merged)
		return err_set(err, ERR_CONFLICT, "%s was merged into another person already",
		               a->from);
	if (rc == 0)
		rc = count_of(ctx, "SELECT COUNT(*) FROM person_merges WHERE from_person_id = ?1",
		              into, &merged, err);
	if (rc == 0 && merged)
		return err_set(err, ERR_CONFLICT, "%s was itself merged into another person",
		               a->into);
	/* A legal hold on either record does not stand in the way: a person hold
	 * covers every record of the human (holds.h, HOLDS_HELD_RECORDS), so
	 * after the merge a hold on FROM covers INTO, where its records go, and
	 * one on INTO covers FROM, whose review data stays (found hunting
	 * merges: refused while any record was held, though nothing left the
	 * hold; identity link and unlink, which move events to another human,
	 * are still refused). */
	if (rc == 0)
		rc = count_of(ctx, "SELECT COUNT(*) FROM identities WHERE person_id = ?1", from,
		              &a->out->identities, err);
	if (rc == 0)
		rc = count_of(ctx, "SELECT COUNT(*) FROM events WHERE person_id = ?1", from,
		              &a->out->events, err);
	struct account *moved = NULL;
	size_t nmoved = 0;
	if (rc == 0)
		rc = accounts_of(ctx, from, &moved, &nmoved, err);
	if (rc == 0)
		rc = store_exec_ints(ctx->store,
		                     "UPDATE identities SET person_id = ?2 WHERE person_id = ?1",
		                     from, into, err);
	if (rc == 0)
		rc = store_exec_ints(ctx->store,
		                     "UPDATE events SET person_id = ?2 WHERE person_id = ?1", from,
		                     into, err);
	/* The earlier versions naming them too, others' events' among them (a
	 * deployment FROM started and someone else finished): a withdrawal
	 * finds versions by the record it is recorded for (found in session
	 * 40: after a merge, a withdrawal left such versions naming FROM). */
	int64_t versions = 0;
	if (rc == 0)
		rc = count_of(ctx, "SELECT COUNT(*) FROM event_versions WHERE person_id = ?1", from,
		              &versions, err);
	if (rc == 0)
		rc = store_exec_ints(
		        ctx->store, "UPDATE event_versions SET person_id = ?2 WHERE person_id = ?1",
		        from, into, err);
	/* Their consent records go with their events: the human consented (or
	 * withdrew) as FROM, and the newest record of either wins (found in
	 * session 39: after a merge, ingestion skipped the human's records for
	 * want of a consent they had given as FROM). */
	int64_t consents = 0;
	if (rc == 0)
		rc = count_of(ctx, "SELECT COUNT(*) FROM consents WHERE person_id = ?1", from,
		              &consents, err);
	if (rc == 0)
		rc = store_exec_ints(ctx->store,
		                     "UPDATE consents SET person_id = ?2 WHERE person_id = ?1",
		                     from, into, err);
	/* So do their demographic attributes: the human's, read by `me` and
	 * bias audits under the record they went into (found in session 40:
	 * after a merge, `me export` left out the attributes held under FROM).
	 * Where both records hold an attribute, the newer value stays. */
	int64_t demographics = 0;
	if (rc == 0)
		rc = count_of(ctx, "SELECT COUNT(*) FROM person_demographics WHERE person_id = ?1",
		              from, &demographics, err);
	if (rc == 0)
		rc = store_exec_ints(
		        ctx->store,
		        "DELETE FROM person_demographics WHERE person_id = ?2 AND attribute IN "
		        "(SELECT f.attribute FROM person_demographics f WHERE f.person_id = ?1 "
		        "AND f.updated_at > person_demographics.updated_at)",
		        from, into, err);
	if (rc == 0)
		rc = store_exec_ints(
		        ctx->store,
		        "DELETE FROM person_demographics WHERE person_id = ?1 AND attribute IN "
		        "(SELECT i.attribute FROM person_demographics i WHERE i.person_id = ?2)",
		        from, into, err);
	if (rc == 0)
		rc = store_exec_ints(
		        ctx->store,
		        "UPDATE person_demographics SET person_id = ?2 WHERE person_id = ?1", from,
		        into, err);
	int64_t declined = 0, withdrawn = 0;
	if (rc == 0)
		rc = run_two(ctx, CYCLES_WITHDRAWN, from, into, &withdrawn, err);
	if (rc == 0)
		rc = decline_refused_work(ctx, from, into, &declined, err);
	if (rc == 0)
		rc = store_exec_ints(
		        ctx->store,
		        "UPDATE person_merges SET into_person_id = ?2 WHERE into_person_id = ?1",
		        from, into, err);
	if (rc == 0)
		rc = store_prepare(
		        ctx->store,
		        "INSERT INTO person_merges(from_person_id, into_person_id, merged_at, "
		        "reason) VALUES (?1, ?2, ?3, ?4)",
		        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, from);
	stmt_bind_int(st, 2, into);
	stmt_bind_int(st, 3, ts_clock_ms());
	stmt_bind_text(st, 4, a->reason);
	rc = stmt_step(st, err);
	stmt_reset(st);
	/* The moved accounts' events as the identity rules give them now, as
	 * the next re-attribution would: where two spellings of one login (or
	 * two logins with blanks after them) were FROM's and another's, the
	 * lower person id wins, and INTO's may not be FROM's (found hunting
	 * merges: the next org import moved them to a third person).  After
	 * the merge is recorded, which a merged record's primary email reads. */
	int64_t reattributed = 0;
	struct consent_kept_back *kept = &a->out->kept;
	for (size_t i = 0; rc >= 0 && i < nmoved; i++) {
		int64_t n = 0, held = 0;
		struct consent_kept_back k;
		rc = reattribute(ctx, moved[i].system, moved[i].login, "merging", &n, &held, &k,
		                 err);
		reattributed += n;
		consent_kept_back_add(kept, &k);
	}
	/* One human is one reviewee of a cycle: every record of theirs but the
	 * nearest the one kept is withdrawn, FROM, the records merged into it
	 * before, now INTO's too, and INTO's own (BOTH_ENROLLED). */
	int64_t *records = NULL;
	size_t nrecords = 0, alloc = 0;
	if (rc >= 0)
		rc = store_prepare(
		        ctx->store,
		        "SELECT from_person_id FROM person_merges WHERE into_person_id = ? "
		        "ORDER BY from_person_id",
		        &st, err);
	if (rc >= 0) {
		stmt_bind_int(st, 1, into);
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			records =
			        arena_grow(ctx->arena, records, nrecords, &alloc, sizeof *records);
			records[nrecords++] = stmt_int(st, 0);
		}
		stmt_reset(st);
	}
	for (size_t i = 0; rc >= 0 && i < nrecords; i++) {
		int64_t d = 0;
		rc = withdraw_reviewee(ctx, records[i], into, &d, err);
		declined += d;
	}
	if (rc < 0)
		return rc;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "into", a->into);
	jw_kstr(&w, "reason", a->reason);
	jw_kint(&w, "identities", a->out->identities);
	jw_kint(&w, "events", a->out->events);
	jw_kint(&w, "events_reattributed", reattributed);
	consent_kept_back_json(&w, kept);
	jw_kint(&w, "event_versions", versions);
	jw_kint(&w, "consents", consents);
	jw_kint(&w, "demographics", demographics);
	jw_kint(&w, "assignments_declined", declined);
	jw_kint(&w, "cycles_withdrawn", withdrawn);
	a->out->assignments_declined = declined;
	a->out->cycles_withdrawn = withdrawn;
	jw_object_end(&w);
	rc = audit_append(ctx, "person.merge", "person", a->from, detail.buf, err);
	sb_release(&detail);
	return rc;
}

int identity_merge_people(struct ctx *ctx, const char *from, const char *into, const char *reason,
                          struct identity_merge_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	int rc = ctx_op_check(ctx, OP_PERSON_MERGE, err);
	if (rc < 0)
		return rc;
	if (strcmp(from, into) == 0)
		return err_set(err, ERR_USAGE, "a person cannot be merged into themselves");
	if (!reason)
		return err_set(err, ERR_USAGE, "--reason: expected one line of text saying why");
	if ((rc = org_check_reason(reason, err)) < 0)
		return rc;
	struct merge_args a = {from, into, reason, out};
	return ctx_run(ctx, OP_PERSON_MERGE, merge_body, &a, err);
}
