/* events: event history and unmatched accounts (see events.h). */
#include "ingest/events.h"

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/ts.h"
#include "core/authz.h"
#include "core/ctx.h"
#include "core/mask.h"
#include "core/sourceacl.h"
#include "ingest/pjson.h"
#include "store/store.h"

struct list_args {
	const struct events_filter *f;
	struct event_row **out;
	size_t *n;
	int64_t *total;
};

/* One WHERE for the count and the page: every filter bound, null when
 * not given (CAST so PostgreSQL knows each parameter's type). */
#define EVENTS_WHERE                                                                               \
	" FROM events e JOIN sources s ON s.id = e.source_id "                                     \
	"LEFT JOIN services v ON v.id = e.service_id "                                             \
	"LEFT JOIN teams t ON t.id = e.team_id "                                                   \
	"LEFT JOIN people p ON p.id = e.person_id "                                                \
	"WHERE e.kind = ?1 AND (CAST(?2 AS TEXT) IS NULL OR s.name = ?2) "                         \
	"AND (CAST(?3 AS TEXT) IS NULL OR v.name = ?3) "                                           \
	"AND (CAST(?4 AS BIGINT) IS NULL OR e.occurred_at >= ?4) "                                 \
	"AND (CAST(?5 AS BIGINT) IS NULL OR e.occurred_at < ?5) "

static void bind_filter(struct store_stmt *st, const struct events_filter *f)
{
	stmt_bind_text(st, 1, event_kind_name(f->kind));
	stmt_bind_text(st, 2, f->source);
	stmt_bind_text(st, 3, f->service);
	stmt_bind_opt_int(st, 4, f->since, f->has_since);
	stmt_bind_opt_int(st, 5, f->until, f->has_until);
}

/* The stored attrs as the JSON object they should be, written afresh so the
 * output is JSON whatever the column holds (found hunting: a row written by
 * hand or by an old version, copied as it was, made the whole of `events
 * list --json` unreadable); NULL, and *unreadable set, when they are not
 * one. */
static const char *attrs_object(struct arena *a, const char *text, bool *unreadable)
{
	const char *out = pj_object_text(a, text);
	*unreadable = text && !out;
	return out;
}

/* What an analyst sees of an event: pseudonyms for the person and the
 * account, and none of the text people wrote or that names them (title,
 * branch, url, attributes such as reviewers and Jira account ids).  Their
 * own event is theirs in clear (mask_own_person) but for the attributes
 * that name others (mask_attrs_strip_people). */
static int mask_event(struct ctx *ctx, struct event_row *e, struct error *err)
{
	if (!mask_people(ctx))
		return 0;
	bool own = false;
	int rc = mask_own_person(ctx, e->person, &own, err);
	if (rc < 0 || own) {
		e->attrs = mask_attrs_strip_people(ctx->arena, e->attrs);
		return rc;
	}
	rc = mask_person(ctx, e->person, &e->person, err);
	if (rc == 0)
		rc = mask_account(ctx, e->account_system, e->account, e->bot, &e->account, err);
	e->title = mask_text(ctx, e->title);
	e->ref = mask_text(ctx, e->ref);
	e->url = mask_text(ctx, e->url);
	e->attrs = mask_text(ctx, e->attrs);
	return rc;
}

static int list_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct list_args *a = arg;
	const struct events_filter *f = a->f;
	struct arena *ar = ctx->arena;
	bool all = false;
	struct hmap visible;
	hmap_init(&visible);
	int rc = authz_visible_people(ctx, &all, &visible, err);
	struct sourceacl *acl = NULL;
	if (rc == 0)
		rc = sourceacl_load(ctx, &acl, err);
	struct store_stmt *st;
	/* A misspelt name is an error, not an empty list. */
	static const char *const exists[] = {"SELECT 1 FROM sources WHERE name = ?",
	                                     "SELECT 1 FROM services WHERE name = ?"};
	const char *names[] = {f->source, f->service}, *what[] = {"source", "service"};
	for (int i = 0; i < 2 && rc == 0; i++) {
		if (!names[i])
			continue;
		if ((rc = store_prepare(ctx->store, exists[i], &st, err)) < 0)
			break;
		stmt_bind_text(st, 1, names[i]);
		rc = stmt_step(st, err);
		stmt_reset(st);
		if (rc == STORE_DONE) {
			err_set(err, ERR_NOT_FOUND, "no %s '%s'", what[i], names[i]);
			err_hint(err, "'plumb %s list' shows them", what[i]);
			rc = ERR_NOT_FOUND;
		} else if (rc == STORE_ROW) {
			rc = 0;
		}
	}
	if (rc == 0)
		rc = store_prepare(ctx->store, "SELECT COUNT(*)" EVENTS_WHERE, &st, err);
	if (rc < 0) {
		hmap_release(&visible);
		return rc;
	}
	bind_filter(st, f);
	rc = stmt_step(st, err);
	*a->total = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc >= 0)
		rc = store_prepare(
		        ctx->store,
		        "SELECT e.kind, s.name, e.external_id, v.name, t.name, p.employee_id, "
		        /* An account known only by its email is that email account, as
		         * identity unmatched lists it and identity link takes it. */
		        "e.person_id, CASE WHEN e.account IS NULL AND e.account_email IS NOT NULL "
		        "THEN 'email' ELSE e.account_system END, COALESCE(e.account, "
		        "e.account_email), e.is_bot, e.occurred_at, "
		        "e.ended_at, e.updated_at, e.status, e.environment, e.sha, e.ref, "
		        "e.number, e.title, e.url, e.parent_id, e.attrs, e.version, "
		        "e.raw_id, e.source_id, e.is_bot = 0 AND (e.account IS NOT NULL OR "
		        "e.account_email IS NOT NULL), e.id" EVENTS_WHERE
		        "ORDER BY e.occurred_at, e.id LIMIT ?6",
		        &st, err);
	if (rc < 0) {
		hmap_release(&visible);
		return rc;
	}
	bind_filter(st, f);
	stmt_bind_int(st, 6, f->limit > 0 ? f->limit : INT64_MAX);
	struct event_row *rows = NULL;
	size_t n = 0, alloc = 0;
	/* An analyst sees everyone's events, each person as a pseudonym. */
	bool masked = mask_people(ctx);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		rows = arena_grow(ar, rows, n, &alloc, sizeof *rows);
		struct event_row *e = &rows[n++];
		memset(e, 0, sizeof *e);
		e->id = stmt_int(st, 26);
		e->kind = stmt_text_dup(st, 0, ar);
		e->source = stmt_text_dup(st, 1, ar);
		e->external_id = stmt_text_dup(st, 2, ar);
		e->service = stmt_text_dup(st, 3, ar);
		e->team = stmt_text_dup(st, 4, ar);
		bool shown = true;
		if (masked) {
			/* A pseudonym still says which events are one person's: the
			 * owner's sharing governs it as it governs the name.  A bot's
			 * login is no one's, but the person it is linked to is. */
			int64_t person = stmt_is_null(st, 6) ? 0 : stmt_int(st, 6);
			shown = sourceacl_individual_ok(acl, stmt_int(st, 24), person);
		} else if (!stmt_is_null(st, 6) && !all) {
			char key[24];
			snprintf(key, sizeof key, "%lld", (long long)stmt_int(st, 6));
			int64_t ignored;
			shown = hmap_get(&visible, key, &ignored) &&
			        sourceacl_individual_ok(acl, stmt_int(st, 24), stmt_int(st, 6));
		} else if (!all) {
			/* A person's activity attributed to nobody (an unmatched account,
			 * or one stored pseudonymized without consent) is still theirs. */
			shown = stmt_int(st, 25) == 0;
		}
		/* A bot's login is no one's: whoever sees the event sees it, even when
		 * the person it is linked to is hidden (as the analyst's pseudonym is). */
		bool account_shown = shown || stmt_int(st, 9) != 0;
		e->person = shown ? stmt_text_dup(st, 5, ar) : NULL;
		e->account_system = stmt_text_dup(st, 7, ar);
		e->account = account_shown ? stmt_text_dup(st, 8, ar) : NULL;
		e->bot = stmt_int(st, 9) != 0;
		e->occurred_at = stmt_int(st, 10);
		e->has_ended = !stmt_is_null(st, 11);
		e->ended_at = stmt_int(st, 11);
		e->has_updated = !stmt_is_null(st, 12);
		e->updated_at = stmt_int(st, 12);
		e->status = stmt_text_dup(st, 13, ar);
		e->environment = stmt_text_dup(st, 14, ar);
		e->sha = stmt_text_dup(st, 15, ar);
		/* Branch names, titles and links say whose activity it was (a branch
		 * named after its author's login, a pull request's page), and
		 * attributes name people too (a Jira reporter, transition authors):
		 * none of them for an event whose person the actor may not see. */
		e->ref = shown ? stmt_text_dup(st, 16, ar) : NULL;
		e->number = stmt_text_dup(st, 17, ar);
		e->title = shown ? stmt_text_dup(st, 18, ar) : NULL;
		e->url = shown ? stmt_text_dup(st, 19, ar) : NULL;
		e->parent_id = stmt_text_dup(st, 20, ar);
		e->attrs = shown ? attrs_object(ar, stmt_text(st, 21), &e->attrs_unreadable) : NULL;
		e->version = stmt_int(st, 22);
		e->raw_id = stmt_int(st, 23);
		if (masked && (rc = mask_event(ctx, e, err)) < 0)
			break;
	}
	stmt_reset(st);
	hmap_release(&visible);
	if (rc < 0)
		return rc;
	*a->out = rows;
	*a->n = n;
	return 0;
}

int events_list(struct ctx *ctx, const struct events_filter *f, struct event_row **out, size_t *n,
                int64_t *total, struct error *err)
{
	*out = NULL;
	*n = 0;
	*total = 0;
	/* since is inclusive, until not: an empty window is a mistake, not "no events". */
	if (f->has_since && f->has_until && f->since >= f->until) {
		char t0[TS_BUF], t1[TS_BUF];
		err_set(err, ERR_USAGE, "the window is empty: since %s is not before until %s",
		        ts_format(f->since, t0), ts_format(f->until, t1));
		err_hint(err, "events from since up to, not including, until are listed");
		return ERR_USAGE;
	}
	struct list_args a = {f, out, n, total};
	return ctx_run(ctx, OP_EVENTS_LIST, list_body, &a, err);
}

struct unmatched_args {
	bool bots;
	struct unmatched_account **out;
	size_t *n;
};

static int unmatched_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct unmatched_args *a = arg;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       /* An account known only by its email is listed as an email
	                        * identity, which is how it is linked. */
	                       "SELECT CASE WHEN account IS NULL THEN 'email' ELSE account_system "
	                       "END, COALESCE(account, account_email), MAX(account_name), "
	                       "MAX(account_email), MAX(is_bot), COUNT(*), MIN(occurred_at), "
	                       "MAX(occurred_at) FROM events WHERE person_id IS NULL AND "
	                       "COALESCE(account, account_email) IS NOT NULL AND (?1 = 1 OR "
	                       "is_bot = 0) GROUP BY 1, 2 ORDER BY COUNT(*) DESC, 1, 2",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->bots);
	struct unmatched_account *rows = NULL;
	size_t n = 0, alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		rows = arena_grow(ctx->arena, rows, n, &alloc, sizeof *rows);
		struct unmatched_account *u = &rows[n++];
		u->system = stmt_text_dup(st, 0, ctx->arena);
		u->login = stmt_text_dup(st, 1, ctx->arena);
		u->name = stmt_text_dup(st, 2, ctx->arena);
		u->email = stmt_text_dup(st, 3, ctx->arena);
		u->bot = stmt_int(st, 4) != 0;
		u->events = stmt_int(st, 5);
		u->first = stmt_int(st, 6);
		u->last = stmt_int(st, 7);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	*a->out = rows;
	*a->n = n;
	return 0;
}

int identity_unmatched(struct ctx *ctx, bool with_bots, struct unmatched_account **out, size_t *n,
                       struct error *err)
{
	*out = NULL;
	*n = 0;
	struct unmatched_args a = {with_bots, out, n};
	return ctx_run(ctx, OP_IDENTITY_UNMATCHED, unmatched_body, &a, err);
}
