/* calendar: blackout windows, who keeps them, and which of them a cycle's phases run into. */
#include "review/calendar.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/actor.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/mask.h"
#include "core/org.h"
#include "review/cycle.h"
#include "store/store.h"

#define KIND_NAME_(id, name) name,
static const char *const kind_names[] = {CALENDAR_KIND_TABLE(KIND_NAME_) NULL};
#undef KIND_NAME_

int calendar_kind_parse(const char *text)
{
	for (int i = 0; kind_names[i]; i++)
		if (strcmp(kind_names[i], text) == 0)
			return i;
	return -1;
}

#define SQL_WINDOW                                                                                 \
	"SELECT w.id, w.name, w.kind, w.note, w.starts_at, w.ends_at, w.team_id, t.name,"          \
	" w.created_at, w.created_by FROM calendar_windows w"                                      \
	" LEFT JOIN teams t ON t.id = w.team_id"

static void read_window(struct store_stmt *st, struct arena *a, struct calendar_window *w)
{
	w->id = stmt_int(st, 0);
	w->name = stmt_text_dup(st, 1, a);
	w->kind = stmt_text_dup(st, 2, a);
	w->note = stmt_text_dup(st, 3, a);
	w->starts_at = stmt_int(st, 4);
	w->ends_at = stmt_int(st, 5);
	w->team_id = stmt_is_null(st, 6) ? 0 : stmt_int(st, 6);
	w->team = stmt_is_null(st, 7) ? NULL : stmt_text_dup(st, 7, a);
	w->created_at = stmt_int(st, 8);
	w->created_by = stmt_text_dup(st, 9, a);
}

/* ---- who may keep the calendar ---- */

static int denied(struct ctx *ctx, const char *what, struct error *err)
{
	err_set(err, ERR_DENIED, "permission denied: %s", what);
	err_detail(err,
	           "user '%s' may not; admins keep the calendar, and people partners for the "
	           "teams in their org units (company-wide windows: people partners without an "
	           "org unit)",
	           ctx->actor.name);
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

/* Admins and people partners keep the calendar; checked before anything is read. */
static int may_keep(struct ctx *ctx, struct error *err)
{
	if (actor_has_role(&ctx->actor, ROLE_ADMIN) ||
	    actor_has_role(&ctx->actor, ROLE_PEOPLE_PARTNER))
		return 0;
	return denied(ctx, "the calendar is kept by admins and people partners", err);
}

/* Whether team is unit or one of its subteams. */
static int in_unit(struct ctx *ctx, int64_t unit, int64_t team, bool *in, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "WITH RECURSIVE unit(id) AS (SELECT id FROM teams WHERE id = ?"
	                       "  UNION SELECT t.id FROM teams t JOIN unit u ON t.parent_id = u.id)"
	                       " SELECT 1 FROM unit WHERE id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, unit);
	stmt_bind_int(st, 2, team);
	rc = stmt_step(st, err);
	*in = rc == STORE_ROW;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* A window's scope is the team it names: a people partner's org unit must
 * hold that team (so the window cannot reach past their units, up the
 * tree or sideways), and a company-wide window needs a company-wide
 * people-partner role.  This is may_run_for's rule on teams rather than on
 * members, since a window is about a team, not about people. */
static int may_keep_for(struct ctx *ctx, int64_t team_id, const char *team, struct error *err)
{
	const struct actor *a = &ctx->actor;
	if (actor_has_role(a, ROLE_ADMIN))
		return 0;
	for (int i = 0; i < a->nroles; i++) {
		if (a->roles[i].role != ROLE_PEOPLE_PARTNER)
			continue;
		if (!a->roles[i].team_id)
			return 0;
		bool in = false;
		int rc = team_id ? in_unit(ctx, a->roles[i].team_id, team_id, &in, err) : 0;
		if (rc < 0)
			return rc;
		if (in)
			return 0;
	}
	if (!team_id)
		return denied(ctx, "a company-wide window needs a company-wide scope", err);
	return denied(ctx, arena_printf(ctx->arena, "team %s is outside your org units", team),
	              err);
}

/* ---- adding and removing ---- */

static int record(struct ctx *ctx, const char *action, const struct calendar_window *w,
                  const char *reason, struct error *err)
{
	char day[TS_BUF];
	struct sb detail = SB_INIT;
	struct jw j;
	jw_init(&j, &detail, false);
	jw_object_begin(&j);
	jw_kstr(&j, "name", w->name);
	jw_kstr(&j, "kind", w->kind);
	jw_kstr(&j, "from", ts_format_date(w->starts_at, day));
	jw_kstr(&j, "to", ts_format_date(w->ends_at - 1, day));
	jw_kstr(&j, "team", w->team);
	if (*w->note)
		jw_kstr(&j, "note", w->note);
	if (reason)
		jw_kstr(&j, "reason", reason);
	jw_object_end(&j);
	char object[24];
	snprintf(object, sizeof object, "%" PRId64, w->id);
	int rc = audit_append(ctx, action, "calendar_window", object, detail.buf, err);
	sb_release(&detail);
	return rc;
}

struct add_args {
	const struct calendar_add_options *opt;
	struct calendar_window *out;
};

static int add_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct add_args *a = arg;
	const struct calendar_add_options *opt = a->opt;
	struct calendar_window *w = a->out;
	memset(w, 0, sizeof *w);
	int rc = may_keep(ctx, err);
	if (rc == 0 && opt->team)
		rc = org_team_id(ctx, opt->team, &w->team_id, err);
	if (rc == 0)
		rc = may_keep_for(ctx, w->team_id, opt->team, err);
	if (rc < 0)
		return rc;
	w->name = opt->name;
	w->kind = opt->kind;
	w->note = opt->note ? opt->note : "";
	w->starts_at = opt->starts_at;
	w->ends_at = opt->ends_at;
	w->team = opt->team;
	w->created_at = ts_clock_ms();
	w->created_by = ctx->actor.name;
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "INSERT INTO calendar_windows(name, kind, starts_at, ends_at, team_id, "
	                   "note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
	                   "RETURNING id",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, w->name);
	stmt_bind_text(st, 2, w->kind);
	stmt_bind_int(st, 3, w->starts_at);
	stmt_bind_int(st, 4, w->ends_at);
	stmt_bind_opt_int(st, 5, w->team_id, w->team_id != 0);
	stmt_bind_text(st, 6, w->note);
	stmt_bind_int(st, 7, w->created_at);
	stmt_bind_text(st, 8, w->created_by);
	rc = stmt_step(st, err);
	w->id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	return record(ctx, "calendar.add", w, NULL, err);
}

static int check_text(const char *text, const char *option, size_t max, bool required,
                      struct error *err)
{
	if (!text && !required)
		return 0;
	if (!text || !*text || strspn(text, " \t") == strlen(text)) {
		if (!required)
			return 0;
		return err_set(err, ERR_USAGE, "%s: a window needs a name", option);
	}
	if (!org_valid_text(text, max)) {
		err_set(err, ERR_USAGE, "%s: expected one line of text", option);
		err_detail(err, "up to %zu bytes of UTF-8 without control characters", max);
		return ERR_USAGE;
	}
	return 0;
}

int calendar_add(struct ctx *ctx, const struct calendar_add_options *opt,
                 struct calendar_window *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	int rc = check_text(opt->name, "--name", CALENDAR_NAME_MAX, true, err);
	if (rc == 0)
		rc = check_text(opt->note, "--note", CALENDAR_NOTE_MAX, false, err);
	if (rc < 0)
		return rc;
	if (!opt->kind || calendar_kind_parse(opt->kind) < 0)
		return err_set(err, ERR_USAGE,
		               "--kind '%s': expected launch, reorg, holiday, freeze or other",
		               opt->kind ? opt->kind : "");
	if (opt->ends_at <= opt->starts_at)
		return err_set(err, ERR_USAGE, "the window ends before it starts");
	struct add_args a = {opt, out};
	return ctx_run(ctx, OP_CALENDAR_ADD, add_body, &a, err);
}

struct remove_args {
	int64_t id;
	const char *reason;
	struct calendar_window *out;
};

static int remove_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct remove_args *a = arg;
	memset(a->out, 0, sizeof *a->out);
	int rc = may_keep(ctx, err);
	if (rc < 0)
		return rc;
	struct store_stmt *st;
	rc = store_prepare(ctx->store, SQL_WINDOW " WHERE w.id = ?", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->id);
	rc = stmt_step(st, err);
	bool found = rc == STORE_ROW;
	if (found)
		read_window(st, ctx->arena, a->out);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (!found) {
		err_set(err, ERR_NOT_FOUND, "no calendar window %" PRId64, a->id);
		err_hint(err, "'plumb calendar list' lists them");
		return ERR_NOT_FOUND;
	}
	rc = may_keep_for(ctx, a->out->team_id, a->out->team, err);
	if (rc == 0)
		rc = store_prepare(ctx->store, "DELETE FROM calendar_windows WHERE id = ?", &st,
		                   err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->id);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	return record(ctx, "calendar.remove", a->out, a->reason, err);
}

int calendar_remove(struct ctx *ctx, int64_t id, const char *reason,
                    struct calendar_window *removed, struct error *err)
{
	memset(removed, 0, sizeof *removed);
	if (reason && !*reason)
		reason = NULL;
	int rc = check_text(reason, "--reason", CALENDAR_NOTE_MAX, false, err);
	if (rc < 0)
		return rc;
	struct remove_args a = {id, reason, removed};
	return ctx_run(ctx, OP_CALENDAR_REMOVE, remove_body, &a, err);
}

/* ---- reading ---- */

/* Windows overlapping [start, end) (0: unbounded) whose team is NULL or,
 * when teams is not NULL, in it (keys decimal ids); appended to *out. */
static int windows_between(struct ctx *ctx, int64_t start, int64_t end, const struct hmap *teams,
                           struct calendar_window **out, size_t *n, size_t *alloc,
                           struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       SQL_WINDOW " WHERE w.starts_at < ? AND w.ends_at > ?"
	                                  " ORDER BY w.starts_at, w.id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, end ? end : INT64_MAX);
	stmt_bind_int(st, 2, start);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		if (teams && !stmt_is_null(st, 6)) {
			char key[HMAP_ID_KEY_SIZE];
			hmap_id_key(key, stmt_int(st, 6));
			if (!hmap_get(teams, key, NULL))
				continue;
		}
		*out = arena_grow(ctx->arena, *out, *n, alloc, sizeof **out);
		read_window(st, ctx->arena, &(*out)[(*n)++]);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

struct list_args {
	int64_t from, to;
	struct calendar_window **out;
	size_t *n;
};

static int list_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct list_args *a = arg;
	*a->out = NULL;
	*a->n = 0;
	size_t alloc = 0;
	int rc = windows_between(ctx, a->from, a->to, NULL, a->out, a->n, &alloc, err);
	/* An analyst sees who added a window as a pseudonym and no notes
	 * (mask.h): here, so the CLI and the API show the same. */
	for (size_t i = 0; rc == 0 && i < *a->n; i++) {
		struct calendar_window *w = &(*a->out)[i];
		rc = mask_user(ctx, w->created_by, &w->created_by, err);
		w->note = mask_text(ctx, w->note);
	}
	return rc;
}

int calendar_list(struct ctx *ctx, int64_t from, int64_t to, struct calendar_window **out,
                  size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	if (from && to && to <= from)
		return err_set(err, ERR_USAGE, "the range ends before it starts");
	struct list_args a = {from, to, out, n};
	return ctx_run(ctx, OP_CALENDAR_LIST, list_body, &a, err);
}

/* The teams whose windows apply to work on team: itself, the teams above
 * it and its subteams. */
static int related_teams(struct ctx *ctx, int64_t team, struct hmap *into, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "WITH RECURSIVE up(id) AS (SELECT id FROM teams WHERE id = ?"
	                       "  UNION SELECT t.parent_id FROM teams t JOIN up u ON t.id = u.id"
	                       "  WHERE t.parent_id IS NOT NULL),"
	                       " down(id) AS (SELECT id FROM teams WHERE id = ?"
	                       "  UNION SELECT t.id FROM teams t JOIN down d ON t.parent_id = d.id)"
	                       " SELECT id FROM up UNION SELECT id FROM down",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, team);
	stmt_bind_int(st, 2, team);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		char key[HMAP_ID_KEY_SIZE];
		hmap_id_key(key, stmt_int(st, 0));
		hmap_put(into, key, 1);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int related_to_all(struct ctx *ctx, const int64_t *team_ids, size_t nteams,
                          struct hmap *into, struct error *err)
{
	int rc = 0;
	for (size_t i = 0; i < nteams && rc == 0; i++)
		rc = related_teams(ctx, team_ids[i], into, err);
	return rc;
}

int calendar_overlaps_tx(struct ctx *ctx, int64_t start, int64_t end, const int64_t *team_ids,
                         size_t nteams, struct calendar_window **out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	if (end <= start)
		return 0;
	struct hmap teams;
	hmap_init(&teams);
	size_t alloc = 0;
	int rc = related_to_all(ctx, team_ids, nteams, &teams, err);
	if (rc == 0)
		rc = windows_between(ctx, start, end, &teams, out, n, &alloc, err);
	hmap_release(&teams);
	return rc;
}

static int cycle_team_ids(struct ctx *ctx, int64_t cycle_id, int64_t **ids, size_t *n,
                          struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT team_id FROM cycle_teams WHERE cycle_id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle_id);
	size_t alloc = 0;
	*ids = NULL;
	*n = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*ids = arena_grow(ctx->arena, *ids, *n, &alloc, sizeof **ids);
		(*ids)[(*n)++] = stmt_int(st, 0);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int calendar_cycle_overlaps_tx(struct ctx *ctx, int64_t cycle_id, struct calendar_overlap **out,
                               size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	struct cycle_info info;
	int64_t *team_ids = NULL;
	size_t nteams = 0;
	int rc = cycle_info(ctx, cycle_id, &info, err);
	if (rc == 0)
		rc = cycle_team_ids(ctx, cycle_id, &team_ids, &nteams, err);
	if (rc < 0)
		return rc;
	struct hmap teams;
	hmap_init(&teams);
	rc = related_to_all(ctx, team_ids, nteams, &teams, err);
	size_t alloc = 0;
	int64_t start = info.created_at;
	for (size_t p = 0; p < info.nphases && rc == 0; p++) {
		int64_t end = info.phases[p].due_at;
		struct calendar_window *ws = NULL;
		size_t nws = 0, wsalloc = 0;
		/* A due time is inclusive ("by the end of the 10th" is 23:59:59.999), so a
		 * phase covers (start, end]: the day after the previous phase's due date is
		 * the first in it, and that due date is the previous phase's. */
		if (end > start)
			rc = windows_between(ctx, start + 1, end + 1, &teams, &ws, &nws, &wsalloc,
			                     err);
		for (size_t i = 0; i < nws; i++) {
			*out = arena_grow(ctx->arena, *out, *n, &alloc, sizeof **out);
			struct calendar_overlap *o = &(*out)[(*n)++];
			o->phase = info.phases[p].name;
			o->phase_start = start;
			o->phase_end = end;
			o->window = ws[i];
		}
		/* No phase runs before the cycle exists: after one due before its
		 * creation the next runs from the creation (found hunting packets:
		 * a window that ended before the cycle was created overlapped it). */
		if (end > start)
			start = end;
	}
	hmap_release(&teams);
	return rc;
}

struct check_args {
	const char *cycle;
	struct calendar_check *out;
};

static int check_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct check_args *a = arg;
	memset(a->out, 0, sizeof *a->out);
	int64_t cycle_id;
	struct cycle_info info;
	int rc = cycle_find(ctx, a->cycle, &cycle_id, err);
	if (rc == 0)
		rc = cycle_info(ctx, cycle_id, &info, err);
	if (rc < 0)
		return rc;
	a->out->cycle = info.name;
	return calendar_cycle_overlaps_tx(ctx, cycle_id, &a->out->overlaps, &a->out->noverlaps,
	                                  err);
}

int calendar_check_cycle(struct ctx *ctx, const char *cycle, struct calendar_check *out,
                         struct error *err)
{
	memset(out, 0, sizeof *out);
	struct check_args a = {cycle, out};
	return ctx_run(ctx, OP_CYCLE_CHECK_CALENDAR, check_body, &a, err);
}
