/* metrics: values from events, stored with lineage (see metrics.h). */
#include "metrics/metrics.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/stats.h"
#include "base/ts.h"
#include "base/tz.h"
#include "base/utf8.h"
#include "core/audit.h"
#include "core/aup.h"
#include "core/authz.h"
#include "core/cgraph.h"
#include "core/ctx.h"
#include "core/mask.h"
#include "core/org.h"
#include "core/sourceacl.h"
#include "metrics/dora.h"
#include "metrics/slo.h"
#include "store/store.h"

#define HOUR_MS 3600000.0

/* ---- settings ---------------------------------------------------------------- */

/* What a setting's value must be; metrics_setting_check holds the rules. */
enum setting_kind {
	SETTING_LIST,   /* comma list of names, at least one, none empty */
	SETTING_ZONE,   /* an IANA time zone */
	SETTING_NUMBER, /* plain decimal number from 0 to 10000 */
	SETTING_WHOLE,  /* whole number from 0 to 10000 */
};

struct setting_def {
	const char *key, *scopes, *fallback, *help;
	enum setting_kind kind;
};

static const struct setting_def setting_defs[] = {
        {"production_environments", "org,service", "production,prod",
         "comma list of environment names whose deployments count (case-blind)", SETTING_LIST},
        {"time_zone", "org,team", "UTC", "IANA zone in which days, weeks and months are counted",
         SETTING_ZONE},
        {"failure_window_hours", "org", "24",
         "an incident this many hours after a deployment on its service is its failure",
         SETTING_NUMBER},
        {"work_started_statuses", "org", "In Progress",
         "comma list of work item statuses that start the cycle time", SETTING_LIST},
        {"work_done_statuses", "org", "Done,Closed,Resolved",
         "comma list of work item statuses that end the cycle time", SETTING_LIST},
        {"min_team_size", "org", "5", "teams smaller than this are not compared per engineer",
         SETTING_WHOLE},
};
#define NSETTINGS (sizeof setting_defs / sizeof setting_defs[0])

struct settings {
	struct stored_setting {
		const char *scope, *key, *value;
		int64_t scope_id;
	} * rows;
	size_t n;
	int64_t version; /* the latest change, part of a value's inputs */
	/* A definition's formula params (settings_overlay): over every scope. */
	struct setting_param {
		const char *key, *value;
	} * params;
	size_t nparams;
};

static int settings_load(struct ctx *ctx, struct settings *s, struct error *err)
{
	memset(s, 0, sizeof *s);
	struct store_stmt *st;
	int rc =
	        store_prepare(ctx->store,
	                      "SELECT scope, scope_id, key, value, updated_at FROM metric_settings "
	                      "ORDER BY scope, scope_id, key",
	                      &st, err);
	if (rc < 0)
		return rc;
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		s->rows = arena_grow(ctx->arena, s->rows, s->n, &alloc, sizeof *s->rows);
		struct stored_setting *r = &s->rows[s->n++];
		r->scope = stmt_text_dup(st, 0, ctx->arena);
		r->scope_id = stmt_int(st, 1);
		r->key = stmt_text_dup(st, 2, ctx->arena);
		r->value = stmt_text_dup(st, 3, ctx->arena);
		if (stmt_int(st, 4) > s->version)
			s->version = stmt_int(st, 4);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The value for scope (or the org's, or the built-in default). */
static const char *setting(const struct settings *s, const char *key, const char *scope,
                           int64_t scope_id)
{
	const char *org = NULL;
	for (size_t i = 0; i < s->nparams; i++)
		if (!strcmp(s->params[i].key, key))
			return s->params[i].value;
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->rows[i].key, key) != 0)
			continue;
		if (scope && !strcmp(s->rows[i].scope, scope) && s->rows[i].scope_id == scope_id)
			return s->rows[i].value;
		if (!strcmp(s->rows[i].scope, "org"))
			org = s->rows[i].value;
	}
	if (org)
		return org;
	for (size_t i = 0; i < NSETTINGS; i++)
		if (!strcmp(setting_defs[i].key, key))
			return setting_defs[i].fallback;
	return NULL;
}

/* Which formula params a built-in applies (metrics.h). */
static const struct {
	const char *param, *builtins;
} param_uses[] = {
        {"environments", "deployment_frequency,lead_time,change_failure_rate,recovery_time"},
        {"production_environments",
         "deployment_frequency,lead_time,change_failure_rate,recovery_time"},
        {"failure_window_hours", "change_failure_rate,recovery_time"},
        {"min_team_size", "deployment_frequency,pr_throughput,wip"},
        {"work_started_statuses", "issue_cycle_time"},
        {"work_done_statuses", "issue_cycle_time"},
};

bool metrics_param_applies(const char *builtin, const char *param)
{
	for (size_t i = 0; i < sizeof param_uses / sizeof param_uses[0]; i++) {
		if (strcmp(param_uses[i].param, param) != 0)
			continue;
		size_t n = strlen(builtin);
		for (const char *p = param_uses[i].builtins; p; p = strchr(p, ',')) {
			p += *p == ',';
			if (!strncmp(p, builtin, n) && (p[n] == ',' || !p[n]))
				return true;
		}
	}
	return false;
}

/* A params value as the setting's text: a list's values joined with commas. */
static const char *param_text(struct arena *a, const cJSON *v)
{
	if (cJSON_IsString(v))
		return arena_strdup(a, v->valuestring);
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "true" : "false";
	struct sb b = SB_INIT;
	if (cJSON_IsNumber(v)) {
		/* The shortest text that reads back the same: 0.1 as the file gave
		 * it, not 0.10000000000000001 (an environment named 0.1 matched no
		 * deployment). */
		sb_double(&b, v->valuedouble);
		const char *num = arena_strdup(a, b.buf);
		sb_release(&b);
		return num;
	}
	for (const cJSON *x = v ? v->child : NULL; x; x = x->next)
		sb_printf(&b, "%s%s", b.len ? "," : "", param_text(a, x));
	const char *out = arena_strdup(a, b.buf);
	sb_release(&b);
	return out;
}

/* Whether def's formula is the built-in computation name. */
static bool built_on(const struct metric_def *def, const char *name)
{
	cJSON *f = def->formula ? cJSON_Parse(def->formula) : NULL;
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(f, "builtin");
	bool on = cJSON_IsString(b) && !strcmp(b->valuestring, name);
	cJSON_Delete(f);
	return on;
}

/* Overlay def's formula params on s: each param the built-in applies
 * (environments as production_environments) wins over the org's, team's
 * and service's setting for values of this definition; the names of those
 * it does not apply (a definition stored before they were refused) go to
 * *ignored, comma-separated, NULL when none. */
static void settings_overlay(struct arena *a, struct settings *s, const struct metric_def *def,
                             const char **ignored)
{
	*ignored = NULL;
	cJSON *f = def->formula ? cJSON_Parse(def->formula) : NULL;
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(f, "builtin");
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(f, "params");
	size_t n = (size_t)cJSON_GetArraySize(params);
	if (cJSON_IsString(b) && cJSON_IsObject(params) && n) {
		s->params = arena_array(a, n, sizeof *s->params);
		for (const cJSON *p = params->child; p; p = p->next) {
			if (!metrics_param_applies(b->valuestring, p->string)) {
				*ignored = *ignored ? arena_printf(a, "%s, %s", *ignored, p->string)
				                    : arena_strdup(a, p->string);
				continue;
			}
			const char *key = strcmp(p->string, "environments")
			                          ? p->string
			                          : "production_environments";
			s->params[s->nparams++] =
			        (struct setting_param){arena_strdup(a, key), param_text(a, p)};
		}
	}
	cJSON_Delete(f);
}

static bool settings_has_param(const struct settings *s, const char *key)
{
	for (size_t i = 0; i < s->nparams; i++)
		if (!strcmp(s->params[i].key, key))
			return true;
	return false;
}

/* Whether s's params change the DORA history (its deployments or failures):
 * such a definition walks a history of its own, not the shared one. */
static bool params_change_history(const struct settings *s)
{
	return settings_has_param(s, "production_environments") ||
	       settings_has_param(s, "failure_window_hours");
}

static bool setting_is_default(const struct settings *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->rows[i].key, key) && !strcmp(s->rows[i].scope, "org"))
			return false;
	return true;
}

/* Whether comma list holds word, ignoring case (beyond ASCII: a French
 * Jira's "Terminé(e)" is "TERMINÉ(E)", as its boards print it) and spaces
 * around entries. */
static bool list_has_ci(const char *list, const char *word)
{
	if (!list || !word)
		return false;
	size_t n = strlen(word);
	for (const char *p = list; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *e = p;
		while (*e && *e != ',')
			e++;
		const char *t = e;
		while (t > p && t[-1] == ' ')
			t--;
		if (utf8_equal_fold(p, (size_t)(t - p), word, n))
			return true;
		p = e;
	}
	return false;
}

/* ---- scope -------------------------------------------------------------------- */

/* A stretch of time [from, to): INT64_MIN from since always, INT64_MAX to
 * for open. */
struct span {
	int64_t from, to;
};

/* The times a team was in a team scope: the team itself always, a sub-team
 * while it sat under the team (team_parents, schema 21).  Few spans each,
 * merged. */
struct team_spans {
	struct span *v;
	size_t n, alloc;
	int64_t team;
};

struct scope {
	const char *kind, *name;
	int64_t id;
	/* team ids (decimal) that were ever in the scope -> index into spans:
	 * the team and every team under it at some time */
	struct hmap teams;
	struct team_spans *spans;
	size_t nspans;
	int64_t tz_team;
};

/* The spans of team_id in a team scope, or NULL when it never was in it. */
static const struct team_spans *scope_spans(const struct scope *sc, int64_t team_id)
{
	char k[HMAP_ID_KEY_SIZE];
	int64_t v;
	hmap_id_key(k, team_id);
	return team_id && hmap_get(&sc->teams, k, &v) ? &sc->spans[v] : NULL;
}

/* Whether an event of service_id, owned then by team_id, counts in the
 * scope at some time: a first sieve, before the time it counts at is known
 * (in_scope_at decides). */
static bool in_scope(const struct scope *sc, int64_t service_id, int64_t team_id)
{
	if (!strcmp(sc->kind, "org"))
		return true;
	if (!strcmp(sc->kind, "individual"))
		return false; /* only count formulas read people (count_items) */
	if (!strcmp(sc->kind, "service"))
		return service_id == sc->id;
	return scope_spans(sc, team_id) != NULL;
}

/* Whether an event of service_id, owned by team_id when it happened,
 * counts in the scope at time at: for a team scope, team_id was the team or
 * under it at `at` (docs/metrics.md, "Scope"). */
static bool in_scope_at(const struct scope *sc, int64_t service_id, int64_t team_id, int64_t at)
{
	if (strcmp(sc->kind, "team"))
		return in_scope(sc, service_id, team_id);
	const struct team_spans *ts = scope_spans(sc, team_id);
	for (size_t i = 0; ts && i < ts->n; i++)
		if (ts->v[i].from <= at && at < ts->v[i].to)
			return true;
	return false;
}

/* The kind of scope q asks for, as metric definitions name them. */
static const char *query_scope_kind(const struct metrics_query *q)
{
	return q->person ? "individual" : q->team ? "team" : q->service ? "service" : "org";
}

/* The individual scope: one person, whom the actor must be allowed to see. */
static int person_scope(struct ctx *ctx, const char *employee_id, struct scope *sc,
                        struct error *err)
{
	sc->kind = "individual";
	sc->name = employee_id;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT id FROM people WHERE employee_id = ?", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, employee_id);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		sc->id = stmt_int(st, 0);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	/* An unknown id is refused like one out of scope to a user who sees
	 * only some people, as person show does: ids cannot be probed. */
	if (rc == STORE_DONE && (rc = authz_require_person(ctx, 0, employee_id, err)) == 0) {
		err_set(err, ERR_NOT_FOUND, "no person with employee id %s", employee_id);
		return ERR_NOT_FOUND;
	}
	if (rc < 0)
		return rc;
	return authz_require_person(ctx, sc->id, employee_id, err);
}

/* A value about one person says whose each event it counts is, which the
 * owner of a source decides (sourceacl.h): refused, as what (a value named
 * for the refusal), when the actor may not read person_id's individual-level
 * events of a source that brings the kind def counts.  The answer follows
 * the sources and their sharing alone, never the person's events, so it
 * tells nothing of them; a value over part of the events would mislead. */
static int require_sources(struct ctx *ctx, const struct metric_def *def, int64_t person_id,
                           const char *what, struct error *err)
{
	cJSON *f = cJSON_Parse(def->formula);
	const cJSON *count = cJSON_GetObjectItemCaseSensitive(f, "count");
	const char *kind =
	        cJSON_IsString(count) ? arena_strdup(ctx->arena, count->valuestring) : NULL;
	cJSON_Delete(f);
	if (!kind) /* built-ins have no individual form (items_for) */
		return 0;
	struct sourceacl *acl;
	int rc = sourceacl_load(ctx, &acl, err);
	size_t n = 0;
	int64_t *ids = rc == 0 ? sourceacl_withheld(acl, person_id, ctx->arena, &n) : NULL;
	const char *names = NULL, *first = NULL;
	size_t nnames = 0;
	struct store_stmt *st = NULL;
	if (rc == 0 && n)
		rc = store_prepare(ctx->store,
		                   "SELECT name FROM sources WHERE id = ?1 AND EXISTS "
		                   "(SELECT 1 FROM events WHERE source_id = ?1 AND kind = ?2)",
		                   &st, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		stmt_bind_int(st, 1, ids[i]);
		stmt_bind_text(st, 2, kind);
		if ((rc = stmt_step(st, err)) == STORE_ROW) {
			const char *name = stmt_text(st, 0);
			first = first ? first : arena_strdup(ctx->arena, name);
			nnames++;
			names = names ? arena_printf(ctx->arena, "%s, %s", names, name)
			              : arena_strdup(ctx->arena, name);
		}
		stmt_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	if (rc < 0 || !names)
		return rc;
	err_set(err, ERR_DENIED,
	        "permission denied: %s counts the %s events of source%s %s, whose owner does "
	        "not share who did what with you",
	        what, kind, nnames == 1 ? "" : "s", names);
	err_detail(err,
	           "user '%s' may read the people behind a source's events only within its "
	           "owning team or a team it is shared with",
	           ctx->actor.name);
	err_hint(err,
	         "the owning team's leaders may share it with your team ('plumb source share %s "
	         "--with TEAM'); values for a team or the org count every event",
	         first);
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

/* Add [from, to) to ts unless it holds it already, merging the spans it
 * meets; whether ts grew. */
static bool spans_add(struct arena *a, struct team_spans *ts, int64_t from, int64_t to)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ts->v[i].from <= from && to <= ts->v[i].to)
			return false;
	size_t kept = 0;
	for (size_t i = 0; i < ts->n; i++) {
		if (ts->v[i].to < from || to < ts->v[i].from) {
			ts->v[kept++] = ts->v[i];
			continue;
		}
		from = ts->v[i].from < from ? ts->v[i].from : from;
		to = ts->v[i].to > to ? ts->v[i].to : to;
	}
	ts->n = kept;
	ts->v = arena_grow(a, ts->v, ts->n, &ts->alloc, sizeof *ts->v);
	ts->v[ts->n++] = (struct span){from, to};
	return true;
}

/* The index of team's spans in sc, added (empty) when new. */
static size_t scope_team_slot(struct arena *a, struct scope *sc, int64_t team, size_t *alloc)
{
	char k[HMAP_ID_KEY_SIZE];
	int64_t v;
	hmap_id_key(k, team);
	if (hmap_get(&sc->teams, k, &v))
		return (size_t)v;
	sc->spans = arena_grow(a, sc->spans, sc->nspans, alloc, sizeof *sc->spans);
	memset(&sc->spans[sc->nspans], 0, sizeof *sc->spans);
	sc->spans[sc->nspans].team = team;
	hmap_put(&sc->teams, k, (int64_t)sc->nspans);
	return sc->nspans++;
}

/* team_parents as the store gives its rows, each parent's rows linked in
 * that order (by_parent: parent id -> its first row; next: the next row of
 * the same parent, SIZE_MAX after the last), so a team's scope reads only
 * the rows under it.  In the arena they are loaded into (a batch's for all
 * its teams), by_parent released with it. */
struct parent_rows {
	struct parent_span {
		int64_t team, parent;
		struct span when;
	} * v;
	size_t n, *next;
	struct hmap by_parent;
};

static void parent_rows_release(void *data)
{
	hmap_release(&((struct parent_rows *)data)->by_parent);
}

static int parent_rows_load(struct ctx *ctx, struct arena *a, struct parent_rows **out,
                            struct error *err)
{
	struct parent_rows *pr = arena_alloc(a, sizeof *pr);
	hmap_init(&pr->by_parent);
	arena_on_destroy(a, parent_rows_release, pr);
	size_t alloc = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT team_id, parent_id, valid_from, valid_to FROM team_parents",
	                       &st, err);
	if (rc < 0)
		return rc;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		pr->v = arena_grow(a, pr->v, pr->n, &alloc, sizeof *pr->v);
		pr->v[pr->n++] =
		        (struct parent_span){stmt_int(st, 0),
		                             stmt_int(st, 1),
		                             {stmt_is_null(st, 2) ? INT64_MIN : stmt_int(st, 2),
		                              stmt_is_null(st, 3) ? INT64_MAX : stmt_int(st, 3)}};
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	pr->next = arena_array(a, pr->n ? pr->n : 1, sizeof *pr->next);
	/* Linked from the last row back, so each list runs in row order. */
	for (size_t i = pr->n; i-- > 0;) {
		char k[HMAP_ID_KEY_SIZE];
		int64_t first;
		hmap_id_key(k, pr->v[i].parent);
		pr->next[i] = hmap_get(&pr->by_parent, k, &first) ? (size_t)first : SIZE_MAX;
		hmap_put(&pr->by_parent, k, (int64_t)i);
	}
	*out = pr;
	return 0;
}

/* The rows of a team scope's fixed point still to visit (scope_team_tree). */
struct row_queue {
	size_t *v, n, alloc;
};

static void row_queue_push(struct arena *a, struct row_queue *q, size_t row)
{
	q->v = arena_grow(a, q->v, q->n, &q->alloc, sizeof *q->v);
	size_t i = q->n++;
	for (; i > 0 && q->v[(i - 1) / 2] > row; i = (i - 1) / 2)
		q->v[i] = q->v[(i - 1) / 2];
	q->v[i] = row;
}

static size_t row_queue_pop(struct row_queue *q)
{
	size_t top = q->v[0], last = q->v[--q->n], i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= q->n)
			break;
		if (c + 1 < q->n && q->v[c + 1] < q->v[c])
			c++;
		if (last <= q->v[c])
			break;
		q->v[i] = q->v[c];
		i = c;
	}
	if (q->n)
		q->v[i] = last;
	return top;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* The index of team's spans in sc, added (empty) when new; a new team's
 * rows as a parent join `active`, and this pass's queue when they come
 * after the row being visited (`at`). */
static size_t scope_team_enter(struct arena *a, struct scope *sc, const struct parent_rows *pr,
                               int64_t team, size_t at, size_t *alloc, struct row_queue *active,
                               struct row_queue *pass)
{
	size_t before = sc->nspans, slot = scope_team_slot(a, sc, team, alloc);
	char k[HMAP_ID_KEY_SIZE];
	int64_t first;
	hmap_id_key(k, team);
	if (sc->nspans == before || !hmap_get(&pr->by_parent, k, &first))
		return slot;
	for (size_t j = (size_t)first; j != SIZE_MAX; j = pr->next[j]) {
		active->v = arena_grow(a, active->v, active->n, &active->alloc, sizeof *active->v);
		active->v[active->n++] = j;
		if (j > at)
			row_queue_push(a, pass, j);
	}
	return slot;
}

/* The team sc->id and every team under it at some time, each with the
 * spans it was (docs/metrics.md, "Scope"): the team itself always, a team
 * whose parent was in the scope for the time both held.  Grown to a fixed
 * point over team_parents, as spans only grow and their ends are the rows'
 * own, so it ends even over a history whose tree looped for a while.
 * Each pass visits the rows in the store's order, as a pass over every row
 * would, but only those whose parent is in the scope by then (the others
 * add nothing): the spans, and their order, are those of such a pass, and
 * a team costs the rows under it, not the org's.  rows: team_parents
 * loaded (parent_rows_load); in ctx->arena. */
static void scope_team_tree(struct ctx *ctx, struct scope *sc, const struct parent_rows *pr)
{
	struct arena *a = ctx->arena;
	size_t slots = 0;
	struct row_queue active = {0}, pass = {0};
	size_t top = scope_team_enter(a, sc, pr, sc->id, SIZE_MAX, &slots, &active, &pass);
	spans_add(a, &sc->spans[top], INT64_MIN, INT64_MAX);
	for (bool grew = true; grew;) {
		grew = false;
		/* This pass: every row active by now, in row order; the rows that
		 * join during it come after the row visited, or wait for the next. */
		if (active.n > 1)
			qsort(active.v, active.n, sizeof *active.v, cmp_size);
		pass.n = 0;
		for (size_t i = 0; i < active.n; i++) /* sorted: already a heap */
			row_queue_push(a, &pass, active.v[i]);
		while (pass.n) {
			size_t i = row_queue_pop(&pass);
			const struct parent_span *row = &pr->v[i];
			char pk[HMAP_ID_KEY_SIZE];
			int64_t p;
			hmap_id_key(pk, row->parent);
			if (!hmap_get(&sc->teams, pk, &p))
				BUG("an active parent row's parent is not in the scope");
			size_t child =
			        scope_team_enter(a, sc, pr, row->team, i, &slots, &active, &pass);
			/* Spans added to child (another team) leave the parent's alone;
			 * the array may move, so it is indexed afresh. */
			for (size_t j = 0; j < sc->spans[p].n; j++) {
				struct span s = sc->spans[p].v[j];
				int64_t from = s.from > row->when.from ? s.from : row->when.from;
				int64_t to = s.to < row->when.to ? s.to : row->when.to;
				if (from < to && spans_add(a, &sc->spans[child], from, to))
					grew = true;
			}
		}
	}
}

/* The scope q asks for.  With rows, a team scope gets its tree over *rows
 * (scope_team_tree), team_parents loaded into *rows first when it is NULL,
 * in rows_arena (a batch keeps them for all its teams: its own arena, not
 * the call's); without, only the team itself (kind, name, id and time
 * zone), for a caller that reads no event.  The scope's tree is in
 * ctx->arena. */
static int scope_resolve(struct ctx *ctx, const struct metrics_query *q, struct scope *sc,
                         struct parent_rows **rows, struct arena *rows_arena, struct error *err)
{
	memset(sc, 0, sizeof *sc);
	hmap_init(&sc->teams);
	if (q->person)
		return person_scope(ctx, q->person, sc, err);
	sc->kind = query_scope_kind(q);
	sc->name = q->team ? q->team : q->service ? q->service : "org";
	if (!q->team && !q->service)
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       q->team ? "SELECT id FROM teams WHERE name = ?"
	                               : "SELECT id FROM services WHERE name = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, sc->name);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		sc->id = stmt_int(st, 0);
	stmt_reset(st);
	if (rc == STORE_DONE) {
		err_set(err, ERR_NOT_FOUND, "no %s '%s'", sc->kind, sc->name);
		err_hint(err, "'plumb %s' lists them", q->team ? "org tree" : "service list");
		return ERR_NOT_FOUND;
	}
	if (rc < 0)
		return rc;
	if (!q->team)
		return 0;
	sc->tz_team = sc->id;
	if (!rows)
		return 0;
	if (!*rows && (rc = parent_rows_load(ctx, rows_arena, rows, err)) < 0)
		return rc;
	scope_team_tree(ctx, sc, *rows);
	return 0;
}

/* ---- periods -------------------------------------------------------------------- */

enum grain { G_ALL, G_DAY, G_WEEK, G_MONTH };

static int64_t period_start(const struct tz *z, enum grain g, int64_t ms)
{
	switch (g) {
	case G_DAY:
		return tz_day_start(z, ms);
	case G_WEEK:
		return tz_week_start(z, ms);
	case G_MONTH:
		return tz_month_start(z, ms);
	case G_ALL:
		break;
	}
	return ms;
}

/* Local midnight in z of the date whose UTC midnight is day: the local
 * day is found from an instant an hour past its approximate start. */
static int64_t local_midnight(const struct tz *z, int64_t day)
{
	return tz_day_start(z, day - tz_offset_at(z, day) + 3600000);
}

/* The start of the period after the one starting at start. */
static int64_t period_next(const struct tz *z, enum grain g, int64_t start)
{
	int64_t step = g == G_DAY ? 36 * 3600000LL : g == G_WEEK ? 8 * 86400000LL : 32 * 86400000LL;
	return period_start(z, g, start + step);
}

/* The local calendar day that holds ms, as days since 1970-01-01, plus the
 * share of that day (however long daylight saving made it) before ms. */
static double local_day_number(const struct tz *z, int64_t ms)
{
	int64_t start = tz_day_start(z, ms), next = period_next(z, G_DAY, start);
	/* At its start a day's local time is midnight, or 01:00 where clocks
	 * sprang forward over midnight: either way within its date. */
	double date = floor((double)(start + tz_offset_at(z, start)) / 86400000.0);
	return date + (double)(ms - start) / (double)(next - start);
}

/* The days from `from` to `to` counted on the calendar of z: a whole local
 * day is one whether it lasted 23, 24 or 25 hours, so two weeks across a
 * change of daylight saving are 14 days, not 13.96. */
static double local_days(const struct tz *z, int64_t from, int64_t to)
{
	return local_day_number(z, to) - local_day_number(z, from);
}

/* Local midnight n days before local midnight day in z: noon of the day
 * n * 24 h earlier lies in that day whatever daylight saving did between. */
static int64_t days_before(const struct tz *z, int64_t day, int n)
{
	return tz_day_start(z, day - n * 86400000LL + 12 * 3600000LL);
}

/* The period q asks for, in the scope's zone z with now as the clock
 * (docs/metrics.md, "Period"): the given ends (a date is local midnight);
 * without --to the end of today, local; without --from the 90 days before
 * the end, whole local days unless --to was given as an instant. */
static void query_period(const struct tz *z, const struct metrics_query *q, int64_t now,
                         int64_t *from, int64_t *to)
{
	if (q->has_to)
		*to = q->to_date ? local_midnight(z, q->to) : q->to;
	else
		*to = period_next(z, G_DAY, tz_day_start(z, now));
	if (q->has_from)
		*from = q->from_date ? local_midnight(z, q->from) : q->from;
	else if (q->has_to && !q->to_date)
		*from = *to - METRICS_DEFAULT_DAYS * 86400000LL;
	else
		*from = days_before(z, *to, METRICS_DEFAULT_DAYS);
	/* 90 days before an end in year 1 would start in year 0, which no
	 * time plumb reads or writes can name: the period starts at year 1. */
	if (!q->has_from && *from < TS_MIN_MS)
		*from = TS_MIN_MS;
}

/* How many --by periods [from, to) holds (0 for one value). */
static size_t period_count(const struct tz *z, enum grain g, int64_t from, int64_t to)
{
	size_t n = 0;
	if (g == G_ALL)
		return 0;
	for (int64_t p = period_start(z, g, from); p < to; p = period_next(z, g, p))
		n++;
	return n;
}

/* A period end as the text output names it: its local date in z when it is
 * local midnight, else the instant (buf: TS_BUF bytes). */
static const char *period_text(const struct tz *z, int64_t ms, char *buf)
{
	return tz_day_start(z, ms) == ms ? tz_local_date(z, ms, buf) : ts_format(ms, buf);
}

/* ---- loading events --------------------------------------------------------------- */

/* A string value at key in attrs text (same shape caveat), or NULL. */
static const char *attrs_string(const char *attrs, const char *key, struct arena *a)
{
	if (!attrs)
		return NULL;
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\"", key);
	const char *p = strstr(attrs, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	while (*p == ' ' || *p == ':')
		p++;
	if (*p != '"')
		return NULL;
	const char *e = strchr(p + 1, '"');
	return e ? arena_strndup(a, p + 1, (size_t)(e - p - 1)) : NULL;
}

/* The two quantiles every duration reports, in the order they are selected. */
static const double median_p90[2] = {0.5, 0.9};

struct deploy_index;

struct history {
	struct dora_input in;
	struct cgraph *cg; /* the commits loaded: every one, or the walked services' */
	bool packs;        /* the commit packs are complete: read from them */
	struct dora_result out;
	bool loaded;
	struct parent_rows *parents;     /* team_parents, read by the first team scope */
	struct deploy_index *by_team;    /* out.deploys by owner, built by the first team scope */
	double read_s, engine_s, keep_s; /* where the time went, for make bench */
	/* Where what is loaded once lives (the history, parents, by_team): a
	 * batch's arena, which outlives the arena of each of its calls
	 * (metrics_batch_new); NULL: ctx->arena. */
	struct arena *arena;
};

/* The arena h's shared parts are loaded into (no history: ctx->arena). */
static struct arena *history_arena(struct ctx *ctx, const struct history *h)
{
	return h && h->arena ? h->arena : ctx->arena;
}

static void *heap_grow(void *items, size_t n, size_t *alloc, size_t size)
{
	if (n < *alloc)
		return items;
	*alloc = *alloc ? *alloc * 2 : 4096;
	return xreallocarray(items, *alloc, size);
}

/* All commits (service 0), or one service's; appended to h. */
static int load_commits(struct ctx *ctx, struct history *h, int64_t service, struct error *err)
{
	return cgraph_load(ctx->store, h->cg, service, h->packs, err);
}

/* Each source's API URL, in lower case (NULL for a source without one: deploy
 * webhooks), by source id: with a record's id there it names one upstream
 * record whichever source read it (record_key). */
struct source_apis {
	struct hmap by_id; /* source id -> index into api */
	const char **api;
	size_t n, alloc;
};

static int source_apis_load(struct ctx *ctx, struct source_apis *s, struct error *err)
{
	memset(s, 0, sizeof *s);
	hmap_init(&s->by_id);
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT id, config FROM sources", &st, err);
	if (rc < 0)
		return rc;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		const char *api = attrs_string(stmt_text(st, 1), "api_url", ctx->arena);
		char k[HMAP_ID_KEY_SIZE];
		hmap_put(&s->by_id, hmap_id_key(k, stmt_int(st, 0)), (int64_t)s->n);
		s->api = arena_grow(ctx->arena, s->api, s->n, &s->alloc, sizeof *s->api);
		s->api[s->n++] = api ? arena_strlower(ctx->arena, api) : NULL;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* What names one record whichever source read it, into out: its source's
 * API (a GitHub Enterprise host holds other repositories than github.com
 * under the same OWNER/NAME) and its id there; a source without an API
 * names its own records.  A pull request's OWNER/NAME#N is folded to lower
 * case, as GitHub compares names. */
static void record_key(struct sb *out, const struct source_apis *s, int64_t source_id,
                       const char *kind, const char *external_id)
{
	char k[HMAP_ID_KEY_SIZE];
	int64_t i;
	const char *api = hmap_get(&s->by_id, hmap_id_key(k, source_id), &i) ? s->api[i] : NULL;
	sb_reset(out);
	if (api)
		sb_printf(out, "%s ", api);
	else
		sb_printf(out, "#%lld ", (long long)source_id);
	size_t from = out->len;
	sb_puts(out, external_id ? external_id : "");
	if (!strcmp(kind, "pull_request"))
		for (size_t j = from; j < out->len; j++)
			if (out->buf[j] >= 'A' && out->buf[j] <= 'Z')
				out->buf[j] = (char)(out->buf[j] - 'A' + 'a');
}

/* Whether a copy of a record updated upstream at updated (0: not known),
 * with event id id, is the one to keep over kept: the newest upstream, then
 * the first stored, so both engines keep the same. */
static bool pr_copy_first(int64_t updated, int64_t id, int64_t kept_updated, int64_t kept_id)
{
	return updated > kept_updated || (updated == kept_updated && id < kept_id);
}

/* What a copy of a record knows, to choose among a record's copies by:
 * whether it heard how the record ended, when it last heard of it, then
 * when the record says it was updated (0: not known), then its event id. */
struct copy_rank {
	bool ended;
	int64_t heard, updated, id;
};

/* A copy's rank from its row (ended_at NULL: ended 0, attrs its text).  A
 * deployment's copy knows how it ended when it heard a success, failure or
 * error status (its ended_at, attrs.success_at or attrs.failed_at), and
 * heard of it when its latest status came (a status's time is the
 * updated_at and, for an end, the ended_at it gives), or never when it read
 * no status: GitHub need not move a deployment's own updated_at when a
 * status arrives, so a copy that read the deployment alone, or no status but
 * a later inactive (a webhook source added since), could beat one that read
 * its success (found hunting: the deployment left the DORA keys).  Any
 * other record ended as far as this goes, and was heard of as it was
 * updated. */
static struct copy_rank copy_rank(const char *kind, const char *status, int64_t updated,
                                  int64_t ended, const char *attrs, int64_t id)
{
	struct copy_rank r = {true, updated, updated, id};
	if (strcmp(kind, "deployment") != 0)
		return r;
	r.ended = ended ||
	          (attrs && (strstr(attrs, "\"success_at\"") || strstr(attrs, "\"failed_at\"")));
	r.heard = !status || !*status ? 0 : ended > updated ? ended : updated;
	return r;
}

/* The attrs copy_rank reads: a deployment's only (an issue's transitions
 * or a commit's would be read for nothing). */
#define COPY_ATTRS "CASE WHEN kind = 'deployment' THEN attrs END"

/* Whether copy c is the one to keep over kept: the one that knows how the
 * record ended, then the one that heard last, then the newest upstream,
 * then the first stored, so both engines keep the same (pr_copy_first). */
static bool copy_first(const struct copy_rank *c, const struct copy_rank *kept)
{
	if (c->ended != kept->ended)
		return c->ended;
	if (c->heard != kept->heard)
		return c->heard > kept->heard;
	return pr_copy_first(c->updated, c->id, kept->updated, kept->id);
}

/* The copies that count of kind's records, by event id (hmap_id_key) into
 * keep: of a record read by several sources (one repository's deployments
 * by a --repo and an --org source, one PagerDuty account or Jira site by
 * two), the copy that knows most (record_key, copy_first), so it counts
 * once and as it stands now. */
static int newest_copies(struct ctx *ctx, const char *kind, struct hmap *keep, struct error *err)
{
	struct source_apis apis;
	struct hmap by_key; /* record_key -> index into ranks */
	hmap_init(&by_key);
	struct sb key = SB_INIT;
	struct copy_rank *ranks = NULL;
	size_t n = 0, alloc = 0;
	struct store_stmt *st;
	int rc = source_apis_load(ctx, &apis, err);
	if (rc == 0)
		rc = store_prepare(ctx->store,
		                   "SELECT id, source_id, external_id, COALESCE(updated_at, 0), "
		                   "status, COALESCE(ended_at, 0), " COPY_ATTRS
		                   " FROM events WHERE kind = ?",
		                   &st, err);
	if (rc == 0) {
		stmt_bind_text(st, 1, kind);
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			record_key(&key, &apis, stmt_int(st, 1), kind, stmt_text(st, 2));
			struct copy_rank r =
			        copy_rank(kind, stmt_text(st, 4), stmt_int(st, 3), stmt_int(st, 5),
			                  stmt_text(st, 6), stmt_int(st, 0));
			int64_t k;
			bool had = hmap_get(&by_key, key.buf, &k);
			if (had && !copy_first(&r, &ranks[k]))
				continue;
			if (!had) {
				k = (int64_t)n;
				hmap_put(&by_key, key.buf, k);
				ranks = arena_grow(ctx->arena, ranks, n, &alloc, sizeof *ranks);
				n++;
			}
			ranks[k] = r;
		}
		stmt_reset(st);
	}
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		char k[HMAP_ID_KEY_SIZE];
		hmap_put(keep, hmap_id_key(k, ranks[i].id), 1);
	}
	hmap_release(&apis.by_id);
	hmap_release(&by_key);
	sb_release(&key);
	return rc < 0 ? rc : 0;
}

/* Whether event id is a copy that counts (newest_copies). */
static bool copy_counts(const struct hmap *keep, int64_t id)
{
	char k[HMAP_ID_KEY_SIZE];
	return hmap_get(keep, hmap_id_key(k, id), NULL);
}

/* The merged pull requests, each once (record_key): a repository read by
 * two sources holds each twice, and the copy newest upstream is the one
 * (pr_copy_first), merged or not; the same OWNER/NAME#N on two hosts is two.
 * Their ids are their keys, and so are those of the pull requests commits
 * name (h->in.commit_prs, looked up by id: commits naming one are few). */
static int load_prs(struct ctx *ctx, struct history *h, struct error *err)
{
	struct arena *a = ctx->arena;
	struct source_apis apis;
	struct hmap by_key;
	hmap_init(&by_key);
	struct sb key = SB_INIT;
	struct dora_pr *prs = NULL;
	int64_t *updated = NULL;
	bool *merged = NULL;
	size_t n = 0, alloc = 0, updated_alloc = 0, merged_alloc = 0;
	struct store_stmt *st;
	int rc = source_apis_load(ctx, &apis, err);
	if (rc == 0)
		rc = store_prepare(ctx->store,
		                   "SELECT id, external_id, occurred_at, ended_at, sha, attrs, "
		                   "source_id, COALESCE(updated_at, 0), status FROM events "
		                   "WHERE kind = 'pull_request' ORDER BY id",
		                   &st, err);
	if (rc == 0) {
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			record_key(&key, &apis, stmt_int(st, 6), "pull_request", stmt_text(st, 1));
			int64_t id = stmt_int(st, 0), at = stmt_int(st, 7), k;
			bool had = hmap_get(&by_key, key.buf, &k);
			if (had && !pr_copy_first(at, id, updated[k], prs[k].event_id))
				continue;
			if (!had) {
				k = (int64_t)n;
				hmap_put(&by_key, key.buf, k);
				prs = arena_grow(a, prs, n, &alloc, sizeof *prs);
				updated =
				        arena_grow(a, updated, n, &updated_alloc, sizeof *updated);
				merged = arena_grow(a, merged, n, &merged_alloc, sizeof *merged);
				n++;
			}
			updated[k] = at;
			const char *status = stmt_text(st, 8);
			merged[k] = status && !strcmp(status, "merged");
			prs[k] = (struct dora_pr){
			        .id = arena_strdup(a, key.buf),
			        .event_id = id,
			        .created_at = stmt_int(st, 2),
			        .merged_at = stmt_is_null(st, 3) ? 0 : stmt_int(st, 3),
			        .merge_sha = attrs_string(stmt_text(st, 5), "merge_commit_sha", a),
			        .head_sha = stmt_text_dup(st, 4, a),
			};
		}
		stmt_reset(st);
	}
	h->in.nprs = 0;
	for (size_t i = 0; i < n; i++)
		if (merged[i])
			prs[h->in.nprs++] = prs[i];
	h->in.prs = prs;
	/* The pull requests commits name, on their own sources' hosts. */
	h->in.commit_prs = NULL;
	for (size_t i = 0; rc == 0 && i < h->cg->ncommits; i++) {
		const struct cgraph_commit *c = &h->cg->commits[i];
		if (!c->pr)
			continue;
		if (!h->in.commit_prs) {
			h->in.commit_prs =
			        arena_array(a, h->cg->ncommits, sizeof *h->in.commit_prs);
			rc = store_prepare(ctx->store, "SELECT source_id FROM events WHERE id = ?",
			                   &st, err);
			if (rc < 0)
				break;
		}
		stmt_bind_int(st, 1, c->event_id);
		if ((rc = stmt_step(st, err)) == STORE_ROW) {
			record_key(&key, &apis, stmt_int(st, 0), "pull_request", c->pr);
			h->in.commit_prs[i] = arena_strdup(a, key.buf);
		}
		stmt_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	hmap_release(&apis.by_id);
	hmap_release(&by_key);
	sb_release(&key);
	return rc < 0 ? rc : 0;
}

/* Deployments that once succeeded, from their replaced versions: pairs of
 * (event id, first success), sorted by id.  Read apart from the deployments,
 * since a subquery per deployment doubles their reading.  Not a version whose
 * finish was implied (attrs.finish_implied: a success without its finish,
 * taken to finish as it started): a delivery that said the finish replaced
 * it. */
static int first_successes(struct ctx *ctx, int64_t **out, size_t *n, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT event_id, MIN(ended_at) FROM event_versions "
	                       "WHERE status = 'success' AND ended_at IS NOT NULL AND (attrs IS "
	                       "NULL OR attrs NOT LIKE '%\"finish_implied\":true%') "
	                       "GROUP BY event_id ORDER BY event_id",
	                       &st, err);
	if (rc < 0)
		return rc;
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		/* One item at a time: arena_grow copies the n it is told are there. */
		*out = arena_grow(ctx->arena, *out, *n, &alloc, sizeof **out);
		(*out)[(*n)++] = stmt_int(st, 0);
		*out = arena_grow(ctx->arena, *out, *n, &alloc, sizeof **out);
		(*out)[(*n)++] = stmt_int(st, 1);
	}
	*n /= 2;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* A deployment's finish: its first success, the earliest of the current
 * row's (status success), the success ingestion kept in attrs.success_at
 * when a later status (inactive) replaced it, and an earlier version's (was,
 * or NULL: versions published before success_at was kept).  False when it
 * never succeeded, when its status is now failure or error, or when a
 * failure was its last word (attrs.failed_at) and it is not success now:
 * the source corrected it (a later status, an event sent again), and a
 * deployment that failed did not ship, whatever success it reported first.
 * The DORA keys and explain both read it. */
static bool deploy_finish(const char *status, bool has_ended, int64_t ended_at, const char *attrs,
                          const int64_t *was, struct arena *a, int64_t *finished)
{
	*finished = 0;
	if (status && (!strcmp(status, "failure") || !strcmp(status, "error")))
		return false;
	bool found = was != NULL;
	*finished = was ? *was : 0;
	if (status && !strcmp(status, "success") && has_ended && (!found || ended_at < *finished)) {
		*finished = ended_at;
		found = true;
	}
	const char *success_at = attrs_string(attrs, "success_at", a);
	int64_t kept;
	struct error ignored = {0};
	if (success_at && ts_parse(success_at, &kept, &ignored) == 0 &&
	    (!found || kept < *finished)) {
		*finished = kept;
		found = true;
	}
	/* Its last word a failure (attrs.failed_at, which a newer success takes
	 * away), then another status than success (inactive): the correction
	 * stands (found in review: success, failure, inactive counted it
	 * again). */
	if (found && !(status && !strcmp(status, "success")) && attrs_string(attrs, "failed_at", a))
		found = false;
	return found;
}

/* Successful production deployments, finished at their first success
 * (deploy_finish), each once (newest_copies). */
static int load_deploys(struct ctx *ctx, const struct settings *set, struct history *h,
                        struct error *err)
{
	struct arena *a = ctx->arena;
	struct store_stmt *st;
	int64_t *firsts = NULL;
	size_t nfirsts = 0;
	struct hmap keep;
	hmap_init(&keep);
	int rc = first_successes(ctx, &firsts, &nfirsts, err);
	if (rc == 0)
		rc = newest_copies(ctx, "deployment", &keep, err);
	if (rc == 0)
		rc = store_prepare(
		        ctx->store,
		        "SELECT e.id, e.service_id, e.team_id, e.external_id, e.sha, e.ref, "
		        "e.title, e.environment, e.status, e.ended_at, e.attrs "
		        "FROM events e WHERE e.kind = 'deployment' AND e.service_id IS NOT NULL",
		        &st, err);
	if (rc < 0) {
		hmap_release(&keep);
		return rc;
	}
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		int64_t id = stmt_int(st, 0), service = stmt_int(st, 1);
		const char *env = stmt_text(st, 7), *status = stmt_text(st, 8);
		if (!copy_counts(&keep, id) ||
		    !list_has_ci(setting(set, "production_environments", "service", service), env))
			continue;
		const int64_t *was =
		        nfirsts ? bsearch(&id, firsts, nfirsts, 2 * sizeof *firsts, cmp_int64)
		                : NULL;
		int64_t finished;
		if (!deploy_finish(status, !stmt_is_null(st, 9), stmt_int(st, 9), stmt_text(st, 10),
		                   was ? &was[1] : NULL, a, &finished))
			continue;
		h->in.deploys =
		        arena_grow(a, h->in.deploys, h->in.ndeploys, &alloc, sizeof *h->in.deploys);
		struct dora_deploy *d = &h->in.deploys[h->in.ndeploys++];
		d->event_id = id;
		d->service_id = service;
		d->team_id = stmt_is_null(st, 2) ? 0 : stmt_int(st, 2);
		d->external_id = stmt_text_dup(st, 3, a);
		d->sha = stmt_text_dup(st, 4, a);
		d->ref = stmt_text_dup(st, 5, a);
		d->title = stmt_text_dup(st, 6, a);
		d->finished_at = finished;
	}
	stmt_reset(st);
	hmap_release(&keep);
	return rc < 0 ? rc : 0;
}

/* The incidents, each once (newest_copies): a source's stale copy of one
 * resolved since would leave its failure unrecovered. */
static int load_incidents(struct ctx *ctx, struct history *h, struct error *err)
{
	struct arena *a = ctx->arena;
	struct store_stmt *st;
	struct hmap keep;
	hmap_init(&keep);
	int rc = newest_copies(ctx, "incident", &keep, err);
	if (rc == 0)
		rc = store_prepare(ctx->store,
		                   "SELECT id, service_id, occurred_at, ended_at, status, title, "
		                   "attrs FROM events WHERE kind = 'incident'",
		                   &st, err);
	if (rc < 0) {
		hmap_release(&keep);
		return rc;
	}
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		if (!copy_counts(&keep, stmt_int(st, 0)))
			continue;
		h->in.incidents = arena_grow(a, h->in.incidents, h->in.nincidents, &alloc,
		                             sizeof *h->in.incidents);
		struct dora_incident *i = &h->in.incidents[h->in.nincidents++];
		i->event_id = stmt_int(st, 0);
		i->service_id = stmt_is_null(st, 1) ? 0 : stmt_int(st, 1);
		i->started_at = stmt_int(st, 2);
		const char *status = stmt_text(st, 4);
		i->resolved_at = status && !strcmp(status, "resolved") && !stmt_is_null(st, 3)
		                         ? stmt_int(st, 3)
		                         : 0;
		i->text = arena_printf(a, "%s %s", stmt_text(st, 5) ? stmt_text(st, 5) : "",
		                       stmt_text(st, 6) ? stmt_text(st, 6) : "");
	}
	stmt_reset(st);
	hmap_release(&keep);
	return rc < 0 ? rc : 0;
}

/* ---- items: what a metric aggregates ------------------------------------------------ */

enum agg { AGG_DURATION, AGG_COUNT, AGG_RATIO, AGG_GAUGE, AGG_SLO };

struct lineage {
	int64_t event_id;
	const char *role, *from_sha, *to_sha;
	int64_t commits; /* a change range's, -1 when the range is unknown */
	/* A work item's cycle as counted (its first start and last done
	 * transitions), 0 for other records. */
	int64_t started_at, done_at;
};

/* The parts of a pull request's cycle time (item.part), in this order:
 * from its creation to its first review, from that to its first approval,
 * and from that to its merge. */
enum pr_part { PART_TO_FIRST_REVIEW, PART_REVIEW_TO_APPROVAL, PART_APPROVAL_TO_MERGE, PR_NPARTS };

/* Why an item that would count cannot be measured: its detail's "left_out"
 * keys, in left_out_names. */
enum left_out {
	COUNTED,
	ENDS_BEFORE_START,     /* a merge, review or deployment before its start */
	TRANSITIONS_TRUNCATED, /* an issue whose start the cut changelog may not hold */
	NEVER_STARTED,         /* an issue done without passing through a started status */
	LEFT_OUT_N
};

static const char *const left_out_names[LEFT_OUT_N] = {NULL, "ends_before_start",
                                                       "transitions_truncated", "never_started"};

struct item {
	int64_t at;         /* when it counts (a deployment's finish, a merge) */
	int64_t until;      /* gauges: when it stopped being open, 0 while open */
	double value;       /* durations, in hours */
	bool flag;          /* ratios: counts in the numerator */
	int64_t service_id; /* for per-service normalizing */
	uint32_t lin, nlin; /* its lineage entries */
	/* Lead time: one item per deployment, a value per change (at - start). */
	const struct dora_change *changes;
	size_t nchanges;
	/* Left out of the value, and why (enum left_out; 0: counted), counted in
	 * its detail under "left_out". */
	uint8_t left_out;
	/* Pull request cycle time: its parts (enum pr_part), in hours, where
	 * bit k of part_known says the pull request has part k. */
	uint8_t part_known;
	double part[PR_NPARTS];
};

struct items {
	struct item *v;
	size_t n, alloc;
	size_t nvalues; /* values of all items: more than n when items hold changes */
	struct lineage *lin;
	size_t nlin, lin_alloc;
	enum agg agg;
	/* A count whose overall value is a rate: per "day" (deployment
	 * frequency) or per "week" (pull request throughput); NULL otherwise. */
	const char *rate_per;
	/* SLO metrics: the services in scope and which figure to report. */
	int64_t *services;
	size_t nservices;
	bool budget;
	/* Pull request cycle time: the detail gives its parts (item.part). */
	bool parts;
};

static struct item *item_add(struct items *it, int64_t at, int64_t service)
{
	/* Millions of changes: realloc, not the zeroing arena's doubling copies. */
	it->v = heap_grow(it->v, it->n, &it->alloc, sizeof *it->v); /* freed by show_body */
	struct item *x = &it->v[it->n++];
	memset(x, 0, sizeof *x);
	x->at = at;
	x->service_id = service;
	x->lin = (uint32_t)it->nlin;
	return x;
}

/* Room for n more items and nlin more lineage entries. */
static void items_reserve(struct arena *a, struct items *it, size_t n, size_t nlin)
{
	if (it->alloc < it->n + n) {
		it->alloc = it->n + n;
		it->v = xreallocarray(it->v, it->alloc, sizeof *it->v);
	}
	if (it->lin_alloc < it->nlin + nlin) {
		/* Not cleared: entries are written before they are read. */
		struct lineage *lin = arena_alloc_raw(a, (it->nlin + nlin) * sizeof *lin);
		if (it->nlin)
			memcpy(lin, it->lin, it->nlin * sizeof *lin);
		it->lin = lin;
		it->lin_alloc = it->nlin + nlin;
	}
}

static void item_lineage(struct arena *a, struct items *it, struct item *x, int64_t event_id,
                         const char *role, const char *from_sha, const char *to_sha,
                         int64_t commits)
{
	it->lin = arena_grow(a, it->lin, it->nlin, &it->lin_alloc, sizeof *it->lin);
	it->lin[it->nlin++] = (struct lineage){event_id, role, from_sha, to_sha, commits, 0, 0};
	x->nlin++;
}

/* A deployment's lineage: itself and, unless a baseline, its change range,
 * whose number of commits is -1 (stored as NULL) when the range is unknown:
 * no commits counted, but not a range known to hold none. */
static void deploy_lineage(struct arena *a, struct items *it, struct item *x,
                           const struct history *h, const struct dora_deploy_result *r)
{
	const struct dora_deploy *d = &h->in.deploys[r->deploy];
	item_lineage(a, it, x, d->event_id, "deployment", NULL, NULL, 0);
	if (!r->baseline) {
		const struct dora_deploy *p = &h->in.deploys[h->out.deploys[r->previous].deploy];
		item_lineage(a, it, x, d->event_id, "changes", p->sha, d->sha,
		             r->range_unknown ? -1 : (int64_t)r->nchanges);
	}
}

/* A kept row: a deployment's changes as the last computation walked them. */
struct kept {
	int64_t event_id, service_id;
	bool range_unknown, has_revert;
	struct dora_change *changes; /* start and merge times only (commit -1) */
	size_t n;
};

struct kept_rows {
	struct kept *v;
	size_t n;
};

static bool sorted_has(const int64_t *v, size_t n, int64_t x)
{
	return n && bsearch(&x, v, n, sizeof *v, cmp_int64) != NULL;
}

/* How many times x is in sorted v. */
static size_t sorted_count(const int64_t *v, size_t n, int64_t x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t c = 0;
	while (lo + c < n && v[lo + c] == x)
		c++;
	return c;
}

static const struct kept *kept_find(const struct kept_rows *k, int64_t event_id)
{
	size_t lo = 0, hi = k->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (k->v[mid].event_id < event_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < k->n && k->v[lo].event_id == event_id ? &k->v[lo] : NULL;
}

/* The next number of a comma list written by kept_changes (plain digits,
 * perhaps a minus): parsed by hand, two million of them at full scale.
 * False at the list's end. */
static bool next_time(const char **pp, int64_t *out)
{
	const char *p = *pp;
	if (!p || !((*p >= '0' && *p <= '9') || *p == '-'))
		return false;
	bool negative = *p == '-';
	int64_t v = 0;
	for (p += negative; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	*out = negative ? -v : v;
	*pp = p + (*p == ',');
	return true;
}

/* How many numbers a comma list holds. */
static size_t list_count(const char *p)
{
	if (!p || !*p)
		return 0;
	size_t n = 1;
	while ((p = strchr(p, ',')) != NULL) {
		n++;
		p++;
	}
	return n;
}

/* The kept rows, by event id, their changes parsed as they are read.  Each
 * row's changes are counted first and go straight into the arena: an array
 * grown by doubling spent a quarter of a kept-changes run copying and
 * faulting in two million changes. */
static int kept_load(struct ctx *ctx, struct kept_rows *k, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT event_id, service_id, range_unknown, has_revert, starts, "
	                       "merges FROM deploy_changes ORDER BY event_id",
	                       &st, err);
	if (rc < 0)
		return rc;
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		k->v = arena_grow(ctx->arena, k->v, k->n, &alloc, sizeof *k->v);
		struct kept *r = &k->v[k->n++];
		*r = (struct kept){stmt_int(st, 0),
		                   stmt_int(st, 1),
		                   stmt_int(st, 2) != 0,
		                   stmt_int(st, 3) != 0,
		                   NULL,
		                   0};
		const char *starts = stmt_text(st, 4), *merges = stmt_text(st, 5);
		size_t max = list_count(starts);
		if (!max)
			continue;
		r->changes = arena_alloc_raw(ctx->arena, max * sizeof *r->changes);
		int64_t started, merged;
		/* A merge is kept as its distance from the start: "0" for a commit
		 * pushed straight to the branch, and taken as 0 where it is missing,
		 * so a change is never dropped. */
		while (r->n < max && next_time(&starts, &started)) {
			if (!next_time(&merges, &merged))
				merged = 0;
			r->changes[r->n++] = (struct dora_change){
			        .commit = -1, .started_at = started, .merged_at = merged + started};
		}
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static void kept_fill(struct dora_deploy_result *r, const struct kept *row)
{
	r->range_unknown = row->range_unknown;
	r->has_revert = row->has_revert;
	r->changes = row->changes; /* freed with the arena; NULL for none */
	r->nchanges = row->n;
}

/* How many times commits, pull requests or deployments changed other than
 * by publishing (schema 11's triggers count them). */
static int events_epoch(struct ctx *ctx, int64_t *n, struct error *err)
{
	bool found;
	int rc = store_query_int(ctx->store, "SELECT n FROM events_epoch", n, &found, err);
	if (rc == 0 && !found)
		*n = -1; /* a copy without the row: never matches, so all is walked */
	return rc;
}

/* What publishing left since the last computation: the last ingestion run
 * then, and the runs still staging then, which may publish later under
 * their lower ids.  Every row a run publishes, new or updated, carries its
 * run id (raw payload ids do not tell: a page seen before keeps its id). */
struct published {
	int64_t last_run;
	int64_t *open;
	size_t nopen;
};

static int runs_now(struct ctx *ctx, struct published *p, struct error *err)
{
	struct store_stmt *st;
	bool found;
	memset(p, 0, sizeof *p);
	int rc = store_query_int(ctx->store, "SELECT COALESCE(MAX(id), 0) FROM ingest_runs",
	                         &p->last_run, &found, err);
	if (rc == 0)
		rc = store_prepare(
		        ctx->store,
		        "SELECT id FROM ingest_runs WHERE status = 'staging' ORDER BY id", &st,
		        err);
	if (rc < 0)
		return rc;
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		p->open = arena_grow(ctx->arena, p->open, p->nopen, &alloc, sizeof *p->open);
		p->open[p->nopen++] = stmt_int(st, 0);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Sort ids and drop repeats. */
static void sort_unique(int64_t *ids, size_t *n)
{
	if (*n)
		qsort(ids, *n, sizeof *ids, cmp_int64);
	size_t distinct = 0;
	for (size_t i = 0; i < *n; i++)
		if (!distinct || ids[distinct - 1] != ids[i])
			ids[distinct++] = ids[i];
	*n = distinct;
}

/* The services of the commits, pull requests and deployments a run
 * condition ("> ?" or "= ?", then the run id) selects. */
/* Through the run_id index: SQLite without statistics otherwise scans every
 * commit by the kind index (or every event by the service index, for the
 * DISTINCT), 1.5 s over 2,000,000 commits when no run is new; so kind is
 * compared as an expression, and the caller makes the ids unique. */
#define WALKED_SERVICES                                                                            \
	"SELECT service_id FROM events WHERE service_id IS NOT NULL AND (kind || '') IN "          \
	"('commit', 'pull_request', 'deployment') AND run_id "

/* Append the services sql (one run id bound) selects. */
static int add_services(struct ctx *ctx, const char *sql, int64_t run, int64_t **out, size_t *n,
                        size_t *alloc, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*out = arena_grow(ctx->arena, *out, *n, alloc, sizeof **out);
		(*out)[(*n)++] = stmt_int(st, 0);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The services with commits, pull requests or deployments published since
 * p was taken, sorted, each once: by the runs after it and each run open
 * then, through the run_id index. */
static int services_published_since(struct ctx *ctx, const struct published *p, int64_t **out,
                                    size_t *n, struct error *err)
{
	size_t alloc = 0;
	int rc = add_services(ctx, WALKED_SERVICES "> ?", p->last_run, out, n, &alloc, err);
	for (size_t r = 0; r < p->nopen && rc >= 0; r++)
		rc = add_services(ctx, WALKED_SERVICES "= ?", p->open[r], out, n, &alloc, err);
	sort_unique(*out, n); /* a service may come from several runs */
	return rc;
}

/* A walk of service svc that read commits of service dep, or (dep 0) that
 * read commits of no service or could not tell a deployment's range: svc is
 * walked again when dep publishes (after any run, for 0).  A deploy event
 * naming its own service ships commits of its repository's service (found
 * in review: svc kept its unknown range once the commits came in).  Kept in
 * metric_state as "reads.SVC.DEP". */
struct read_pair {
	int64_t svc, dep;
};

struct read_pairs {
	struct read_pair *v;
	size_t n, alloc;
};

static void pairs_add(struct arena *a, struct read_pairs *p, int64_t svc, int64_t dep)
{
	p->v = arena_grow(a, p->v, p->n, &p->alloc, sizeof *p->v);
	p->v[p->n++] = (struct read_pair){svc, dep};
}

static int cmp_pair(const void *x, const void *y)
{
	const struct read_pair *a = x, *b = y;
	if (a->svc != b->svc)
		return (a->svc > b->svc) - (a->svc < b->svc);
	return (a->dep > b->dep) - (a->dep < b->dep);
}

static int state_put(struct ctx *ctx, const char *key, int64_t value, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "INSERT INTO metric_state (key, value) VALUES (?, ?)",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, key);
	stmt_bind_int(st, 2, value);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Keep where publishing and other changes stood, and which services each
 * walk read (reads, sorted and unique): metric_state's rows. */
static int state_keep(struct ctx *ctx, const struct published *p, int64_t epoch,
                      const struct read_pairs *reads, struct error *err)
{
	int rc = store_exec(ctx->store, "DELETE FROM metric_state", err);
	if (rc == 0)
		rc = state_put(ctx, "run_id", p->last_run, err);
	if (rc == 0)
		rc = state_put(ctx, "events_epoch", epoch, err);
	for (size_t r = 0; r < p->nopen && rc == 0; r++)
		rc = state_put(ctx,
		               arena_printf(ctx->arena, "open_run.%lld", (long long)p->open[r]),
		               p->open[r], err);
	for (size_t i = 0; i < reads->n && rc == 0; i++)
		rc = state_put(ctx,
		               arena_printf(ctx->arena, "reads.%lld.%lld",
		                            (long long)reads->v[i].svc, (long long)reads->v[i].dep),
		               reads->v[i].dep, err);
	return rc;
}

/* A walk of some services reads their commits only, but a deployment's
 * commits may sit under another service (a repository mapped by path, a
 * deploy event naming its own service): the services whose commits hold a
 * walked deployment's sha that none of those read does are read too, so a
 * walk of a few services answers as a full one (found in review: the
 * range came out unknown).  Looked up through the events' unique key, a
 * source at a time; shas held by no commit cost a lookup each. */
static int load_commits_elsewhere(struct ctx *ctx, struct history *h, const struct dora_input *sub,
                                  const int64_t *walked, size_t nwalked, struct error *err)
{
	if (!sub->ndeploys)
		return 0;
	int64_t *more = NULL, *sources = NULL;
	size_t nmore = 0, more_alloc = 0, nsources = 0, src_alloc = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT id FROM sources ORDER BY id", &st, err);
	if (rc < 0)
		return rc;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		sources = arena_grow(ctx->arena, sources, nsources, &src_alloc, sizeof *sources);
		sources[nsources++] = stmt_int(st, 0);
	}
	stmt_reset(st);
	if (rc >= 0)
		rc = store_prepare(ctx->store,
		                   "SELECT service_id FROM events WHERE source_id = ? AND kind = "
		                   "'commit' AND external_id = ? AND service_id IS NOT NULL",
		                   &st, err);
	if (rc < 0)
		return rc;
	struct hmap have;
	hmap_init(&have);
	for (size_t i = 0; i < h->cg->ncommits; i++)
		hmap_put(&have, h->cg->commits[i].sha, 1);
	for (size_t d = 0; rc >= 0 && d < sub->ndeploys; d++) {
		const char *sha = sub->deploys[d].sha;
		if (!sha || !*sha || hmap_get(&have, sha, NULL))
			continue;
		hmap_put(&have, sha, 1); /* looked up once */
		for (size_t k = 0; rc >= 0 && k < nsources; k++) {
			stmt_bind_int(st, 1, sources[k]);
			stmt_bind_text(st, 2, sha);
			while ((rc = stmt_step(st, err)) == STORE_ROW) {
				int64_t svc = stmt_int(st, 0);
				if (!sorted_has(walked, nwalked, svc)) {
					more = arena_grow(ctx->arena, more, nmore, &more_alloc,
					                  sizeof *more);
					more[nmore++] = svc;
				}
			}
			stmt_reset(st);
		}
	}
	hmap_release(&have);
	if (rc < 0)
		return rc;
	sort_unique(more, &nmore);
	for (size_t i = 0; rc >= 0 && i < nmore; i++)
		rc = load_commits(ctx, h, more[i], err);
	return rc < 0 ? rc : 0;
}

/* Each production deployment's changes: kept in deploy_changes from the last
 * computation for services nothing touched since, walked again (and kept)
 * for the others. */
static int kept_changes(struct ctx *ctx, struct history *h, struct error *err)
{
	struct arena *a = ctx->arena;
	double entry = ts_mono_s(), counted = h->read_s + h->engine_s + h->keep_s;
	int64_t last_epoch = -1, cur_epoch = 0;
	struct published last = {.last_run = -1}, cur;
	struct read_pairs last_reads = {0}, reads = {0};
	size_t open_alloc = 0;
	bool full;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT key, value FROM metric_state", &st, err);
	if (rc < 0)
		return rc;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		const char *key = stmt_text(st, 0);
		if (!strcmp(key, "run_id")) {
			last.last_run = stmt_int(st, 1);
		} else if (!strcmp(key, "events_epoch")) {
			last_epoch = stmt_int(st, 1);
		} else if (!strncmp(key, "open_run.", 9)) {
			last.open = arena_grow(a, last.open, last.nopen, &open_alloc,
			                       sizeof *last.open);
			last.open[last.nopen++] = stmt_int(st, 1);
		} else if (!strncmp(key, "reads.", 6)) {
			long long svc, dep;
			if (sscanf(key + 6, "%lld.%lld", &svc, &dep) == 2)
				pairs_add(a, &last_reads, svc, dep);
		}
	}
	stmt_reset(st);
	if (rc < 0 || (rc = runs_now(ctx, &cur, err)) < 0 ||
	    (rc = events_epoch(ctx, &cur_epoch, err)) < 0 ||
	    (rc = cgraph_packs_complete(ctx->store, &h->packs, err)) < 0)
		return rc;
	h->cg = cgraph_new(a);
	/* Without complete packs every commit is read from the events anyway,
	 * and kept as packs: an upgraded database, or packs a publish of
	 * commits of no service or a damaged pack dropped, get theirs at the
	 * next computation, not only after a change walks everything. */
	full = last.last_run < 0 || last_epoch < 0 || last_epoch != cur_epoch || !h->packs;
	dora_skeleton(&h->in, a, &h->out);
	struct dora_result *out = &h->out;

	/* Services to walk: all, or those with events published since, or whose
	 * kept rows do not match their deployments. */
	int64_t *dirty = NULL, *kept_services = NULL;
	size_t ndirty = 0;
	struct kept_rows kept = {0};
	if (!full) {
		rc = services_published_since(ctx, &last, &dirty, &ndirty, err);
		if (rc == 0)
			rc = kept_load(ctx, &kept, err);
		if (rc < 0)
			return rc;
		kept_services = arena_array(a, kept.n + 1, sizeof *kept_services);
		for (size_t i = 0; i < kept.n; i++)
			kept_services[i] = kept.v[i].service_id;
		qsort(kept_services, kept.n, sizeof *kept_services, cmp_int64);
		/* Services whose last walk read a service that published since. */
		size_t dalloc = ndirty, npublished = ndirty;
		int64_t *published = arena_array(a, ndirty + 1, sizeof *published);
		if (ndirty)
			memcpy(published, dirty, ndirty * sizeof *dirty);
		bool any_run = cur.last_run > last.last_run || last.nopen > 0;
		for (size_t i = 0; i < last_reads.n; i++) {
			const struct read_pair *pr = &last_reads.v[i];
			if (pr->dep ? sorted_has(published, npublished, pr->dep) : any_run) {
				dirty = arena_grow(a, dirty, ndirty, &dalloc, sizeof *dirty);
				dirty[ndirty++] = pr->svc;
			}
		}
		/* Deployments are grouped by service in the skeleton. */
		for (size_t k = 0; k < out->ndeploys;) {
			int64_t svc = h->in.deploys[out->deploys[k].deploy].service_id;
			size_t end = k, have = 0;
			for (; end < out->ndeploys &&
			       h->in.deploys[out->deploys[end].deploy].service_id == svc;
			     end++) {
				const struct kept *row = kept_find(
				        &kept, h->in.deploys[out->deploys[end].deploy].event_id);
				have += row && row->service_id == svc;
			}
			if (have != end - k || sorted_count(kept_services, kept.n, svc) != have) {
				dirty = arena_grow(a, dirty, ndirty, &dalloc, sizeof *dirty);
				dirty[ndirty++] = svc;
			}
			k = end;
		}
		sort_unique(dirty, &ndirty);
	}
	/* Walk the services to walk: their deployments, commits and pull requests. */
	struct dora_input sub = h->in;
	sub.deploys = arena_array(a, h->in.ndeploys + 1, sizeof *sub.deploys);
	sub.ndeploys = 0;
	int64_t *walked = arena_array(a, h->in.ndeploys + 1, sizeof *walked);
	size_t nwalked = 0;
	for (size_t k = 0; k < out->ndeploys; k++) {
		const struct dora_deploy *d = &h->in.deploys[out->deploys[k].deploy];
		if (!full && !sorted_has(dirty, ndirty, d->service_id))
			continue;
		sub.deploys[sub.ndeploys++] = *d;
		if (!nwalked || walked[nwalked - 1] != d->service_id)
			walked[nwalked++] = d->service_id;
	}
	double t0 = ts_mono_s();
	if (full)
		rc = load_commits(ctx, h, 0, err);
	for (size_t i = 0; rc >= 0 && !full && i < nwalked; i++)
		rc = load_commits(ctx, h, walked[i], err);
	if (rc >= 0 && !full)
		rc = load_commits_elsewhere(ctx, h, &sub, walked, nwalked, err);
	if (rc >= 0 && sub.ndeploys)
		rc = load_prs(ctx, h, err);
	h->read_s += ts_mono_s() - t0;
	struct dora_result walked_out;
	memset(&walked_out, 0, sizeof walked_out);
	if (rc >= 0 && sub.ndeploys) {
		sub.commits = h->cg->commits;
		sub.ncommits = h->cg->ncommits;
		sub.parent_shas = h->cg->parent_shas;
		sub.parent_hint = h->cg->parent_hint;
		sub.prs = h->in.prs;
		sub.nprs = h->in.nprs;
		sub.commit_prs = h->in.commit_prs;
		t0 = ts_mono_s();
		rc = dora_changes(&sub, a, &walked_out, err);
		h->engine_s += ts_mono_s() - t0;
	}
	if (rc < 0)
		return rc;
	/* The walked results come in the skeleton's order (both sort by service,
	 * finish and id); the rest from the kept rows. */
	size_t w = 0;
	for (size_t k = 0; k < out->ndeploys; k++) {
		struct dora_deploy_result *r = &out->deploys[k];
		const struct dora_deploy *d = &h->in.deploys[r->deploy];
		if (full || sorted_has(dirty, ndirty, d->service_id)) {
			const struct dora_deploy_result *x = &walked_out.deploys[w++];
			r->changes = x->changes;
			r->nchanges = x->nchanges;
			r->range_unknown = x->range_unknown;
			r->has_revert = x->has_revert;
		} else {
			const struct kept *row = kept_find(&kept, d->event_id);
			if (row) /* always, for a service not walked */
				kept_fill(r, row);
		}
	}
	out->missing_commits = walked_out.missing_commits;
	/* What each walk read: the services not walked keep theirs. */
	for (size_t i = 0; !full && i < last_reads.n; i++)
		if (!sorted_has(dirty, ndirty, last_reads.v[i].svc))
			pairs_add(a, &reads, last_reads.v[i].svc, last_reads.v[i].dep);
	for (size_t k = 0; k < walked_out.ndeploys; k++) {
		const struct dora_deploy_result *x = &walked_out.deploys[k];
		int64_t svc = sub.deploys[x->deploy].service_id;
		if (x->range_unknown)
			pairs_add(a, &reads, svc, 0);
		for (size_t i = 0; i < x->nchanges; i++)
			if (h->cg->service[x->changes[i].commit] != svc)
				pairs_add(a, &reads, svc, h->cg->service[x->changes[i].commit]);
	}
	if (reads.n)
		qsort(reads.v, reads.n, sizeof *reads.v, cmp_pair);
	size_t nreads = 0;
	for (size_t i = 0; i < reads.n; i++)
		if (!nreads || cmp_pair(&reads.v[nreads - 1], &reads.v[i]) != 0)
			reads.v[nreads++] = reads.v[i];
	reads.n = nreads;

	/* Keep what was walked, and the commits as packs once read whole from
	 * the events (the first time, or after a change other than publishing
	 * dropped them); a damaged pack read partly is dropped. */
	t0 = ts_mono_s();
	if (full && (!h->packs || h->cg->packs_damaged))
		rc = cgraph_keep(ctx->store, h->cg, err);
	else if (h->cg->packs_damaged)
		rc = cgraph_drop(ctx->store, err);
	if (rc >= 0 && full)
		rc = store_exec(ctx->store, "DELETE FROM deploy_changes", err);
	/* Every dirty service's: one whose deployments no longer count has
	 * none walked, and its old rows must not serve when they count again. */
	for (size_t i = 0; rc >= 0 && !full && i < ndirty; i++) {
		rc = store_prepare(ctx->store, "DELETE FROM deploy_changes WHERE service_id = ?",
		                   &st, err);
		if (rc >= 0) {
			stmt_bind_int(st, 1, dirty[i]);
			rc = stmt_step(st, err);
			stmt_reset(st);
		}
	}
	struct store_batch *b = NULL;
	if (rc >= 0)
		b = store_batch_new(
		        ctx->store,
		        "deploy_changes (event_id, service_id, range_unknown, has_revert, "
		        "commits, starts, merges, computed_at)",
		        8);
	struct sb starts = SB_INIT, merges = SB_INIT;
	int64_t now = ts_clock_ms();
	for (size_t k = 0; rc >= 0 && k < walked_out.ndeploys; k++) {
		const struct dora_deploy_result *x = &walked_out.deploys[k];
		const struct dora_deploy *d = &sub.deploys[x->deploy];
		sb_reset(&starts);
		sb_reset(&merges);
		for (size_t i = 0; i < x->nchanges; i++) {
			if (i) {
				sb_putc(&starts, ',');
				sb_putc(&merges, ',');
			}
			sb_int(&starts, x->changes[i].started_at);
			sb_int(&merges, x->changes[i].merged_at - x->changes[i].started_at);
		}
		store_batch_int(b, d->event_id);
		store_batch_int(b, d->service_id);
		store_batch_int(b, x->range_unknown);
		store_batch_int(b, x->has_revert);
		store_batch_int(b, (int64_t)x->nchanges);
		store_batch_text(b, starts.buf);
		store_batch_text(b, merges.buf);
		store_batch_int(b, now);
		rc = store_batch_row_end(b, err);
	}
	sb_release(&starts);
	sb_release(&merges);
	if (b && rc >= 0)
		rc = store_batch_finish(b, err);
	else if (b)
		store_batch_abandon(b);
	if (rc >= 0)
		rc = state_keep(ctx, &cur, cur_epoch, &reads, err);
	h->keep_s += ts_mono_s() - t0;
	/* The rest (the kept rows read and parsed) counts as reading. */
	h->read_s += ts_mono_s() - entry - (h->read_s + h->engine_s + h->keep_s - counted);
	return rc < 0 ? rc : 0;
}

/* Load what key needs (everything when the history is shared by the four
 * keys of one `plumb dora`) and run the engine, in ctx->arena. */
static int history_read(struct ctx *ctx, const char *key, const struct settings *set,
                        struct history *h, bool all, struct error *err)
{
	bool changes = all || strcmp(key, "deployment_frequency") != 0;
	bool incidents =
	        all || !strcmp(key, "change_failure_rate") || !strcmp(key, "recovery_time");
	double t0 = ts_mono_s();
	int rc = load_deploys(ctx, set, h, err);
	if (rc == 0 && incidents)
		rc = load_incidents(ctx, h, err);
	if (rc < 0)
		return rc;
	/* Rounded, not cut: 0.29 h is 1043999.9999999999 ms in binary, and an
	 * incident at 1044 s, on the window's end, failed nothing (found hunting). */
	h->in.failure_window_ms =
	        (int64_t)llround(atof(setting(set, "failure_window_hours", NULL, 0)) * HOUR_MS);
	h->read_s += ts_mono_s() - t0;
	if (!changes) {
		/* Deployment frequency counts deployments: no ranges, no failures. */
		dora_skeleton(&h->in, ctx->arena, &h->out);
	} else {
		if ((rc = kept_changes(ctx, h, err)) < 0)
			return rc;
		t0 = ts_mono_s();
		dora_failures(&h->in, &h->out, ctx->arena);
		h->engine_s += ts_mono_s() - t0;
	}
	h->loaded = true;
	return 0;
}

/* history_read once, into the history's arena (history_arena): what the
 * loaders read and the engine computes stays with the history, not in the
 * arena of the call that happened to load it first. */
static int history_load(struct ctx *ctx, const char *key, const struct settings *set,
                        struct history *h, bool all, struct error *err)
{
	if (h->loaded)
		return 0;
	struct arena *call = ctx->arena;
	ctx->arena = history_arena(ctx, h);
	int rc = history_read(ctx, key, set, h, all, err);
	ctx->arena = call;
	return rc;
}

/* A history's deployment results grouped by the team that owned each when
 * it happened (dora_deploy.team_id), each team's sorted by finish: a team
 * scope visits the deployments of the teams it holds, over the spans it
 * holds them and the query's window, not the org's (docs/PERFORMANCE.md,
 * "Each team's deployments, not the org's").  Deployments of no team are
 * in no team scope (in_scope_at) and left out.  In the history's arena
 * (history_arena), by_team released with it. */
struct deploy_index {
	struct owned_deploy {
		int64_t team, finished_at;
		size_t result; /* index into out.deploys */
	} * v;
	size_t n;
	struct team_run {
		size_t first, n;
	} * runs;
	struct hmap by_team; /* team id -> index into runs */
};

static void deploy_index_release(void *data)
{
	hmap_release(&((struct deploy_index *)data)->by_team);
}

static int cmp_owned_deploy(const void *x, const void *y)
{
	const struct owned_deploy *a = x, *b = y;
	if (a->team != b->team)
		return (a->team > b->team) - (a->team < b->team);
	if (a->finished_at != b->finished_at)
		return (a->finished_at > b->finished_at) - (a->finished_at < b->finished_at);
	return (a->result > b->result) - (a->result < b->result);
}

static struct deploy_index *deploy_index_build(struct arena *a, const struct history *h)
{
	struct deploy_index *ix = arena_alloc(a, sizeof *ix);
	hmap_init(&ix->by_team);
	arena_on_destroy(a, deploy_index_release, ix);
	ix->v = arena_array(a, h->out.ndeploys + 1, sizeof *ix->v);
	for (size_t k = 0; k < h->out.ndeploys; k++) {
		const struct dora_deploy *d = &h->in.deploys[h->out.deploys[k].deploy];
		if (d->team_id)
			ix->v[ix->n++] = (struct owned_deploy){d->team_id, d->finished_at, k};
	}
	qsort(ix->v, ix->n, sizeof *ix->v, cmp_owned_deploy);
	size_t nruns = 0;
	for (size_t i = 0; i < ix->n; i++)
		nruns += i == 0 || ix->v[i].team != ix->v[i - 1].team;
	ix->runs = arena_array(a, nruns + 1, sizeof *ix->runs);
	nruns = 0;
	for (size_t i = 0; i < ix->n; i++) {
		if (i > 0 && ix->v[i].team == ix->v[i - 1].team) {
			ix->runs[nruns - 1].n++;
			continue;
		}
		char k[HMAP_ID_KEY_SIZE];
		hmap_id_key(k, ix->v[i].team);
		hmap_put(&ix->by_team, k, (int64_t)nruns);
		ix->runs[nruns++] = (struct team_run){i, 1};
	}
	return ix;
}

/* The deployment results a team scope may hold that finished in [from,
 * to): those of each team in sc over its spans there, in out.deploys order
 * (so items, their lineage and sums come in the order a pass over every
 * deployment gives).  *n of them, on the heap: the caller frees them (the
 * org's size would be reserved for each team and key). */
static size_t *team_scope_deploys(const struct deploy_index *ix, const struct scope *sc,
                                  int64_t from, int64_t to, size_t *n)
{
	size_t *ks = NULL, alloc = 0;
	*n = 0;
	for (size_t t = 0; t < sc->nspans; t++) {
		const struct team_spans *ts = &sc->spans[t];
		char k[HMAP_ID_KEY_SIZE];
		int64_t run;
		hmap_id_key(k, ts->team);
		if (!hmap_get(&ix->by_team, k, &run))
			continue;
		const struct owned_deploy *v = ix->v + ix->runs[run].first;
		size_t nv = ix->runs[run].n;
		for (size_t j = 0; j < ts->n; j++) {
			int64_t lo = ts->v[j].from > from ? ts->v[j].from : from;
			int64_t hi = ts->v[j].to < to ? ts->v[j].to : to;
			if (lo >= hi)
				continue;
			size_t first = 0, last = nv; /* the first finished at lo or later */
			while (first < last) {
				size_t mid = first + (last - first) / 2;
				if (v[mid].finished_at < lo)
					first = mid + 1;
				else
					last = mid;
			}
			for (size_t i = first; i < nv && v[i].finished_at < hi; i++) {
				ks = heap_grow(ks, *n, &alloc, sizeof *ks);
				ks[(*n)++] = v[i].result;
			}
		}
	}
	if (*n > 1)
		qsort(ks, *n, sizeof *ks, cmp_size);
	return ks;
}

/* The items of DORA key `key` in scope sc: every deployment result in the
 * scope, or for a team scope those finished in [from, to) (the query's
 * period: aggregate counts no other), visited through the history's
 * deploy_index.  A caller reading items outside its period (a baseline, a
 * trailing window) passes the period it reads: a team's would be cut to it
 * while the org's and a service's are not. */
static int dora_items(struct ctx *ctx, const char *key, const struct settings *set,
                      const struct scope *sc, int64_t from, int64_t to, struct history *shared,
                      struct items *it, double *read_s, double *engine_s, double *keep_s,
                      struct error *err)
{
	struct arena *a = ctx->arena;
	struct history own;
	memset(&own, 0, sizeof own);
	struct history *hp = shared ? shared : &own;
	bool was_loaded = hp->loaded;
	int rc = history_load(ctx, key, set, hp, shared != NULL, err);
	if (rc < 0)
		return rc;
	const struct history h = *hp;
	*read_s = was_loaded ? 0 : h.read_s;
	*engine_s = was_loaded ? 0 : h.engine_s;
	*keep_s = was_loaded ? 0 : h.keep_s;
	/* At most an item a deployment in the scope, and its lineage entries:
	 * sized at once, for grown arrays are copied and their fresh pages
	 * faulted in twice.  Sized to the scope's deployments, not the org's:
	 * 10,000 teams each reserving the org's deployments for each key, when a
	 * refresh kept every team's allocations, outgrew the machine's memory. */
	bool failures = !strcmp(key, "change_failure_rate") || !strcmp(key, "recovery_time");
	/* A team scope visits the deployments of its teams (deploy_index), not
	 * the org's: a refresh asks for every team's, so a pass over the org's
	 * for each cost teams times deployments (1,250 teams and 100,000
	 * deployments: 65 s).  Other scopes pass over every one. */
	size_t *cand = NULL, ncand = h.out.ndeploys;
	if (!strcmp(sc->kind, "team")) {
		if (!hp->by_team)
			hp->by_team = deploy_index_build(history_arena(ctx, hp), hp);
		cand = team_scope_deploys(hp->by_team, sc, from, to, &ncand);
	}
	bool *in = xmalloc(ncand + 1);
	size_t nin = 0, nlin = 0;
	for (size_t c = 0; c < ncand; c++) {
		size_t k = cand ? cand[c] : c;
		const struct dora_deploy *d = &h.in.deploys[h.out.deploys[k].deploy];
		in[c] = in_scope_at(sc, d->service_id, d->team_id, d->finished_at);
		nin += in[c];
		if (in[c])
			nlin += failures ? 4 + (size_t)h.out.deploys[k].nfailure_incidents : 2;
	}
	items_reserve(a, it, nin, nlin);
	for (size_t c = 0; c < ncand; c++) {
		size_t k = cand ? cand[c] : c;
		const struct dora_deploy_result *r = &h.out.deploys[k];
		const struct dora_deploy *d = &h.in.deploys[r->deploy];
		if (!in[c])
			continue;
		if (!strcmp(key, "deployment_frequency")) {
			struct item *x = item_add(it, d->finished_at, d->service_id);
			item_lineage(a, it, x, d->event_id, "deployment", NULL, NULL, 0);
		} else if (!strcmp(key, "lead_time")) {
			if (r->nchanges) {
				struct item *x = item_add(it, d->finished_at, d->service_id);
				x->changes = r->changes;
				x->nchanges = r->nchanges;
				it->nvalues += r->nchanges - 1;
				deploy_lineage(a, it, x, &h, r);
			}
		} else if (!strcmp(key, "change_failure_rate")) {
			struct item *x = item_add(it, d->finished_at, d->service_id);
			x->flag = r->failure != DORA_OK;
			deploy_lineage(a, it, x, &h, r);
			/* The numerator's deployments, each named (found in review: all
			 * were plain deployments, the failed ones not told apart). */
			if (x->flag)
				item_lineage(a, it, x, d->event_id, "failed-deployment", NULL, NULL,
				             0);
			for (int j = 0; j < r->nfailure_incidents; j++)
				item_lineage(a, it, x,
				             h.in.incidents[r->failure_incidents[j]].event_id,
				             "incident", NULL, NULL, 0);
			if (r->restored_by >= 0)
				item_lineage(
				        a, it, x,
				        h.in.deploys[h.out.deploys[r->restored_by].deploy].event_id,
				        "restoring-deployment", NULL, NULL, 0);
		} else if (r->failure != DORA_OK && r->recovery_end) {
			struct item *x = item_add(it, d->finished_at, d->service_id);
			x->value = (double)(r->recovery_end - r->recovery_start) / HOUR_MS;
			item_lineage(a, it, x, d->event_id, "failed-deployment", NULL, NULL, 0);
			for (int j = 0; j < r->nfailure_incidents; j++)
				item_lineage(a, it, x,
				             h.in.incidents[r->failure_incidents[j]].event_id,
				             "incident", NULL, NULL, 0);
			if (r->restored_by >= 0)
				item_lineage(
				        a, it, x,
				        h.in.deploys[h.out.deploys[r->restored_by].deploy].event_id,
				        "restoring-deployment", NULL, NULL, 0);
		}
	}
	free(in);
	free(cand);
	return 0;
}

/* ---- flow metrics --------------------------------------------------------------- */

/* A review that counts: submitted (approved, changes requested, commented or
 * dismissed) by someone other than the pull request's author, not a bot. */
struct pr_review {
	size_t pr; /* index into the pull requests */
	int64_t event_id, at, person_id, source_id;
	bool approval;
	const char *employee_id;            /* the reviewer's person, or NULL */
	const char *account_system, *login; /* the reviewer's account, as the source gives it */
};

struct pr_row {
	int64_t id, service_id, team_id, created_at, ended_at, person_id;
	const char *external_id, *status, *author;
	bool bot;
	/* The first review at any time (review turnaround), and the first
	 * review and first approval up to the merge (the parts of the cycle
	 * time): the time, and the review's event id for the lineage; 0 when
	 * none. */
	int64_t first_review, first_review_id;
	int64_t merge_review, merge_review_id, merge_approval, merge_approval_id;
};

/* Whether review (at, id) comes before the one kept in (*at, *id): by time,
 * then by event id, so ties give the same answer on both engines. */
static bool review_earlier(int64_t at, int64_t id, const int64_t *kept_at, const int64_t *kept_id)
{
	return !*kept_id || at < *kept_at || (at == *kept_at && id < *kept_id);
}

static void pr_note_review(struct pr_row *p, const struct pr_review *rv)
{
	if (review_earlier(rv->at, rv->event_id, &p->first_review, &p->first_review_id)) {
		p->first_review = rv->at;
		p->first_review_id = rv->event_id;
	}
	/* Parts of the cycle time end at the merge: a review after it is not
	 * on the way there. */
	if (!p->ended_at || rv->at > p->ended_at)
		return;
	if (review_earlier(rv->at, rv->event_id, &p->merge_review, &p->merge_review_id)) {
		p->merge_review = rv->at;
		p->merge_review_id = rv->event_id;
	}
	if (rv->approval &&
	    review_earlier(rv->at, rv->event_id, &p->merge_approval, &p->merge_approval_id)) {
		p->merge_approval = rv->at;
		p->merge_approval_id = rv->event_id;
	}
}

/* The reviews that count of the pull requests loaded (by_key: their
 * record_key), into each one's first ones and, when reviews is not NULL,
 * every one of them.  A dismissed review was submitted all the same
 * (GitHub's REST pages report an approval or a change request dismissed
 * later as DISMISSED): it is a review, but not an approval. */
static int load_pr_reviews(struct ctx *ctx, const struct source_apis *apis,
                           const struct hmap *by_key, struct sb *key, struct pr_row *prs,
                           struct pr_review **reviews, size_t *nreviews, struct error *err)
{
	struct arena *a = ctx->arena;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT r.parent_id, r.occurred_at, r.status, lower(r.account), r.id, "
	        "COALESCE(r.person_id, 0), r.source_id, p.employee_id, r.account_system, "
	        "r.account "
	        "FROM events r LEFT JOIN people p ON p.id = r.person_id "
	        "WHERE r.kind = 'review' AND r.is_bot = 0 AND r.parent_id IS NOT NULL "
	        "AND r.status IN ('approved', 'changes_requested', 'commented', 'dismissed')",
	        &st, err);
	if (rc < 0)
		return rc;
	size_t ralloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		int64_t i;
		/* The pull request the review's own source holds. */
		record_key(key, apis, stmt_int(st, 6), "pull_request", stmt_text(st, 0));
		if (!hmap_get(by_key, key->buf, &i))
			continue;
		struct pr_row *p = &prs[i];
		/* The author's own review, from the login they opened it with or
		 * from another account linked to the same person. */
		const char *reviewer = stmt_text(st, 3);
		int64_t person = stmt_int(st, 5);
		if ((reviewer && p->author && !strcmp(reviewer, p->author)) ||
		    (person && person == p->person_id))
			continue;
		struct pr_review rv = {
		        .pr = (size_t)i,
		        .event_id = stmt_int(st, 4),
		        .at = stmt_int(st, 1),
		        .person_id = person,
		        .source_id = stmt_int(st, 6),
		        .approval = !strcmp(stmt_text(st, 2), "approved"),
		};
		pr_note_review(p, &rv);
		if (reviews) {
			rv.employee_id = stmt_text_dup(st, 7, a);
			rv.account_system = stmt_text_dup(st, 8, a);
			rv.login = stmt_text_dup(st, 9, a);
			*reviews = arena_grow(a, *reviews, *nreviews, &ralloc, sizeof **reviews);
			(*reviews)[(*nreviews)++] = rv;
		}
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The pull requests, and with with_reviews the reviews that count
 * (load_pr_reviews; ctx->arena).  A repository read by two sources (a
 * webhook and a sync, or two syncs of one organization) holds each pull
 * request twice: it counts once (record_key), as the copy newest upstream
 * (pr_copy_first), with the reviews of both. */
static int load_pr_rows(struct ctx *ctx, bool with_reviews, struct pr_row **out, size_t *n,
                        struct pr_review **reviews, size_t *nreviews, struct error *err)
{
	struct arena *a = ctx->arena;
	*n = 0;
	if (nreviews)
		*nreviews = 0;
	struct source_apis apis;
	struct hmap by_key;
	hmap_init(&by_key);
	struct sb key = SB_INIT;
	int64_t *updated = NULL;
	size_t alloc = 0, updated_alloc = 0;
	struct store_stmt *st;
	int rc = source_apis_load(ctx, &apis, err);
	if (rc == 0)
		rc = store_prepare(
		        ctx->store,
		        "SELECT id, COALESCE(service_id, 0), COALESCE(team_id, 0), "
		        "occurred_at, ended_at, external_id, status, is_bot, "
		        "lower(account), COALESCE(person_id, 0), COALESCE(updated_at, 0), "
		        "source_id FROM events WHERE kind = 'pull_request' "
		        "ORDER BY external_id, id",
		        &st, err);
	if (rc == 0) {
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			record_key(&key, &apis, stmt_int(st, 11), "pull_request", stmt_text(st, 5));
			int64_t id = stmt_int(st, 0), at = stmt_int(st, 10), k;
			bool had = hmap_get(&by_key, key.buf, &k);
			if (had && !pr_copy_first(at, id, updated[k], (*out)[k].id))
				continue;
			if (!had) {
				k = (int64_t)*n;
				hmap_put(&by_key, key.buf, k);
				*out = arena_grow(a, *out, *n, &alloc, sizeof **out);
				updated =
				        arena_grow(a, updated, *n, &updated_alloc, sizeof *updated);
				(*n)++;
			}
			updated[k] = at;
			struct pr_row *p = &(*out)[k];
			memset(p, 0, sizeof *p);
			p->id = id;
			p->service_id = stmt_int(st, 1);
			p->team_id = stmt_int(st, 2);
			p->created_at = stmt_int(st, 3);
			p->ended_at = stmt_is_null(st, 4) ? 0 : stmt_int(st, 4);
			p->external_id = stmt_text_dup(st, 5, a);
			p->status = stmt_text_dup(st, 6, a);
			p->bot = stmt_int(st, 7) != 0;
			p->author = stmt_text_dup(st, 8, a);
			p->person_id = stmt_int(st, 9);
		}
		stmt_reset(st);
	}
	if (rc == 0 && with_reviews)
		rc = load_pr_reviews(ctx, &apis, &by_key, &key, *out, reviews, nreviews, err);
	hmap_release(&apis.by_id);
	hmap_release(&by_key);
	sb_release(&key);
	return rc < 0 ? rc : 0;
}

static void pr_part(struct item *x, enum pr_part k, int64_t from, int64_t to)
{
	if (!from || !to)
		return;
	x->part[k] = (double)(to - from) / HOUR_MS;
	x->part_known |= (uint8_t)(1u << k);
}

static int flow_pr_items(struct ctx *ctx, const char *key, const struct scope *sc, struct items *it,
                         struct error *err)
{
	struct arena *a = ctx->arena;
	struct pr_row *prs = NULL;
	size_t n = 0;
	bool cycle = !strcmp(key, "pr_cycle_time"), turnaround = !strcmp(key, "review_turnaround");
	int rc = load_pr_rows(ctx, cycle || turnaround, &prs, &n, NULL, NULL, err);
	if (rc < 0)
		return rc;
	it->parts = cycle;
	for (size_t i = 0; i < n; i++) {
		const struct pr_row *p = &prs[i];
		if (p->bot || !in_scope(sc, p->service_id, p->team_id))
			continue;
		bool merged = p->status && !strcmp(p->status, "merged") && p->ended_at;
		struct item *x = NULL;
		int64_t first_review = 0, first_approval = 0;
		if (cycle && merged) {
			x = item_add(it, p->ended_at, p->service_id);
			x->value = (double)(p->ended_at - p->created_at) / HOUR_MS;
			pr_part(x, PART_TO_FIRST_REVIEW, p->created_at, p->merge_review);
			pr_part(x, PART_REVIEW_TO_APPROVAL, p->merge_review, p->merge_approval);
			pr_part(x, PART_APPROVAL_TO_MERGE, p->merge_approval,
			        p->merge_approval ? p->ended_at : 0);
			first_review = p->merge_review_id;
			first_approval = p->merge_approval_id;
		} else if (turnaround && p->first_review) {
			x = item_add(it, p->first_review, p->service_id);
			x->value = (double)(p->first_review - p->created_at) / HOUR_MS;
			first_review = p->first_review_id;
		} else if (!strcmp(key, "pr_throughput") && merged) {
			x = item_add(it, p->ended_at, p->service_id);
		} else if (!strcmp(key, "wip")) {
			/* Open is what its status says: a pull request reopened is open
			 * whatever end an earlier snapshot left. */
			x = item_add(it, p->created_at, p->service_id);
			x->until = p->status && !strcmp(p->status, "open") ? 0 : p->ended_at;
		}
		if (!x)
			continue;
		/* The tree of the time it counts at: the item just added goes again
		 * when its team was not under the scope's then. */
		if (!in_scope_at(sc, p->service_id, p->team_id, x->at)) {
			it->n--;
			continue;
		}
		/* A merge or review before the pull request's creation (ingestion
		 * refuses one now; rows stored earlier may hold it) is no duration. */
		if ((cycle || turnaround) && x->value < 0) {
			x->left_out = ENDS_BEFORE_START;
			continue;
		}
		item_lineage(a, it, x, p->id, "pull_request", NULL, NULL, 0);
		if (first_review)
			item_lineage(a, it, x, first_review, "first-review", NULL, NULL, 0);
		if (first_approval)
			item_lineage(a, it, x, first_approval, "first-approval", NULL, NULL, 0);
	}
	return 0;
}

/* A work item's cycle from its attrs' transitions (Jira's changelog): its
 * first move into a started status and its last into a done status (0 for
 * none), and whether the source cut the changelog short.  end is 0 also
 * when it was reopened: moved out of the done statuses after its last move
 * into one, or in none now (done is what work_done_statuses says, not
 * Jira's category alone: found in review).  One rule for the metric and for
 * the note on work no team owns, which counted by Jira's resolution date
 * and differed at a period's edge and for reopened issues. */
struct work_cycle {
	int64_t start, end;
	bool truncated;
};

static struct work_cycle work_cycle(const char *attrs_text, const char *category,
                                    const char *started, const char *done)
{
	cJSON *attrs = attrs_text ? cJSON_Parse(attrs_text) : NULL;
	const cJSON *tr = cJSON_GetObjectItemCaseSensitive(attrs, "transitions");
	struct work_cycle w = {
	        .truncated = cJSON_IsTrue(
	                cJSON_GetObjectItemCaseSensitive(attrs, "transitions_truncated")),
	};
	int64_t last = 0;
	bool last_done = false;
	const char *last_from = NULL;
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(attrs, "status");
	/* Its status now is no done status, and Jira's category agrees. */
	bool open_now = cJSON_IsString(name) && !list_has_ci(done, name->valuestring) && category &&
	                (!strcmp(category, "todo") || !strcmp(category, "in_progress"));
	const cJSON *t;
	cJSON_ArrayForEach(t, tr)
	{
		const cJSON *at = cJSON_GetObjectItemCaseSensitive(t, "at");
		const cJSON *to = cJSON_GetObjectItemCaseSensitive(t, "to");
		const cJSON *from = cJSON_GetObjectItemCaseSensitive(t, "from");
		int64_t ms;
		struct error ignored;
		if (!cJSON_IsString(at) || !cJSON_IsString(to) ||
		    ts_parse(at->valuestring, &ms, &ignored) < 0)
			continue;
		if (list_has_ci(started, to->valuestring) && (!w.start || ms < w.start))
			w.start = ms;
		if (list_has_ci(done, to->valuestring) && ms > w.end)
			w.end = ms;
		/* At one instant, not a move into the status the last one left:
		 * stored before the parser ordered such moves by their chain. */
		if (ms > last ||
		    (ms == last && !(last_from && !strcmp(to->valuestring, last_from)))) {
			last = ms;
			last_done = list_has_ci(done, to->valuestring);
			last_from = cJSON_IsString(from) ? from->valuestring : NULL;
		}
	}
	cJSON_Delete(attrs);
	if (!last_done || open_now)
		w.end = 0;
	return w;
}

/* Work items: from the first transition into a started status to the last
 * into a done status, from the transitions Jira's changelog gave.  A done
 * item whose changelog the source cut short (attrs.transitions_truncated:
 * a file of search pages holds an issue's newest histories only) is left
 * out, counted at its end: its first start may be among those missing.  An
 * issue read by two sources of one site counts once (newest_copies). */
static int flow_work_items(struct ctx *ctx, const struct settings *set, const struct scope *sc,
                           struct items *it, struct error *err)
{
	struct arena *a = ctx->arena;
	const char *started = setting(set, "work_started_statuses", NULL, 0);
	const char *done = setting(set, "work_done_statuses", NULL, 0);
	struct store_stmt *st;
	struct hmap keep;
	hmap_init(&keep);
	int rc = newest_copies(ctx, "work_item", &keep, err);
	if (rc == 0)
		rc = store_prepare(ctx->store,
		                   "SELECT id, COALESCE(service_id, 0), COALESCE(team_id, 0), "
		                   "attrs, status FROM events WHERE kind = 'work_item'",
		                   &st, err);
	if (rc < 0) {
		hmap_release(&keep);
		return rc;
	}
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		/* Whoever its assignee (an automation may hold it at the last
		 * snapshot): the work is the team's, and the bot rule is for pull
		 * requests and reviews. */
		if (!in_scope(sc, stmt_int(st, 1), stmt_int(st, 2)) ||
		    !copy_counts(&keep, stmt_int(st, 0)))
			continue;
		struct work_cycle w = work_cycle(stmt_text(st, 3), stmt_text(st, 4), started, done);
		if (w.end && !in_scope_at(sc, stmt_int(st, 1), stmt_int(st, 2), w.end))
			continue;
		if (w.truncated && w.end) {
			item_add(it, w.end, stmt_int(st, 1))->left_out = TRANSITIONS_TRUNCATED;
		} else if (w.end && !w.start) {
			/* Done without passing through a started status (closed as a
			 * duplicate, or moved straight to done): no cycle to measure,
			 * but counted as left out so the value says what it skipped. */
			item_add(it, w.end, stmt_int(st, 1))->left_out = NEVER_STARTED;
		} else if (w.start && w.end >= w.start) { /* 0 h: started and done at once */
			struct item *x = item_add(it, w.end, stmt_int(st, 1));
			x->value = (double)(w.end - w.start) / HOUR_MS;
			item_lineage(a, it, x, stmt_int(st, 0), "work_item", NULL, NULL, 0);
			it->lin[it->nlin - 1].started_at = w.start;
			it->lin[it->nlin - 1].done_at = w.end;
		}
	}
	stmt_reset(st);
	hmap_release(&keep);
	return rc < 0 ? rc : 0;
}

/* One stored copy of a record a count: definition reads, as kept by count_items. */
struct count_row {
	int64_t service_id, team_id, at, person_id;
	struct copy_rank rank;
	const char *status, *environment; /* environment in lower case */
	bool bot;
};

/* A custom definition: {"count":"KIND","where":{"status":..,"environment":..,"is_bot":..}}.
 * A record read by two sources (one repository by a webhook and a sync)
 * counts once, as the copy that knows most (record_key, copy_first); the
 * where and the scope are asked of that copy, so a source's stale copy (a
 * pull request still open there) does not count for a state left since. */
static int count_items(struct ctx *ctx, const cJSON *formula, const struct scope *sc,
                       struct items *it, struct error *err)
{
	struct arena *a = ctx->arena;
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(formula, "count");
	const cJSON *where = cJSON_GetObjectItemCaseSensitive(formula, "where");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(where, "status");
	const cJSON *env = cJSON_GetObjectItemCaseSensitive(where, "environment");
	const cJSON *bot = cJSON_GetObjectItemCaseSensitive(where, "is_bot");
	struct source_apis apis;
	struct store_stmt *st;
	int rc = source_apis_load(ctx, &apis, err);
	if (rc == 0)
		rc = store_prepare(ctx->store,
		                   "SELECT id, COALESCE(service_id, 0), COALESCE(team_id, 0), "
		                   "occurred_at, COALESCE(person_id, 0), source_id, external_id, "
		                   "COALESCE(updated_at, 0), status, lower(environment), is_bot, "
		                   "COALESCE(ended_at, 0), " COPY_ATTRS
		                   " FROM events WHERE kind = ? ORDER BY id",
		                   &st, err);
	if (rc < 0) {
		hmap_release(&apis.by_id);
		return rc;
	}
	const char *kind_text = cJSON_IsString(kind) ? kind->valuestring : "";
	stmt_bind_text(st, 1, kind_text);
	struct hmap by_key;
	hmap_init(&by_key);
	struct sb key = SB_INIT;
	struct count_row *rows = NULL;
	size_t n = 0, alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		record_key(&key, &apis, stmt_int(st, 5), kind_text, stmt_text(st, 6));
		struct copy_rank rank =
		        copy_rank(kind_text, stmt_text(st, 8), stmt_int(st, 7), stmt_int(st, 11),
		                  stmt_text(st, 12), stmt_int(st, 0));
		int64_t k;
		bool had = hmap_get(&by_key, key.buf, &k);
		if (had && !copy_first(&rank, &rows[k].rank))
			continue;
		if (!had) {
			k = (int64_t)n;
			hmap_put(&by_key, key.buf, k);
			rows = arena_grow(a, rows, n, &alloc, sizeof *rows);
			n++;
		}
		rows[k] = (struct count_row){.service_id = stmt_int(st, 1),
		                             .team_id = stmt_int(st, 2),
		                             .at = stmt_int(st, 3),
		                             .person_id = stmt_int(st, 4),
		                             .rank = rank,
		                             .status = stmt_text_dup(st, 8, a),
		                             .environment = stmt_text_dup(st, 9, a),
		                             .bot = stmt_int(st, 10) != 0};
	}
	stmt_reset(st);
	hmap_release(&by_key);
	hmap_release(&apis.by_id);
	sb_release(&key);
	if (rc < 0)
		return rc;
	/* Folded here: lower() of a parameter would fold non-ASCII letters on
	 * PostgreSQL only (lower() of a column folds ASCII on both engines). */
	const char *want_env = cJSON_IsString(env) ? arena_strlower(a, env->valuestring) : NULL;
	bool individual = !strcmp(sc->kind, "individual");
	for (size_t i = 0; i < n; i++) {
		const struct count_row *r = &rows[i];
		if (cJSON_IsString(status) &&
		    (!r->status || strcmp(r->status, status->valuestring)))
			continue;
		if (want_env && (!r->environment || strcmp(r->environment, want_env)))
			continue;
		if (cJSON_IsBool(bot) && r->bot != cJSON_IsTrue(bot))
			continue;
		if (individual ? r->person_id != sc->id
		               : !in_scope_at(sc, r->service_id, r->team_id, r->at))
			continue;
		struct item *x = item_add(it, r->at, r->service_id);
		item_lineage(a, it, x, r->rank.id, "event", NULL, NULL, 0);
	}
	return 0;
}

/* One computed value and the lineage entries it used. */
struct computed {
	struct metrics_point pt;
	uint32_t *lin; /* lineage entries used */
	size_t nlin;
};

/* The services in scope for SLO metrics: the service, or those the team
 * (with its sub-teams) owns now, or all.  Now, as an SLO is its latest
 * version: not the newest owner, which may be one from a date still to come
 * (found in review: a move planned for next year took a team's SLOs away
 * today). */
static int slo_services(struct ctx *ctx, const struct scope *sc, struct items *it,
                        struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT s.id, " ORG_TEAM_OF("s.id", "?1") " FROM services s ORDER BY s.id", &st,
	        err);
	if (rc < 0)
		return rc;
	int64_t now = ts_now_ms();
	stmt_bind_int(st, 1, now);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		int64_t id = stmt_int(st, 0), team = stmt_is_null(st, 1) ? 0 : stmt_int(st, 1);
		if (!in_scope_at(sc, id, team, now))
			continue;
		it->services = arena_grow(ctx->arena, it->services, it->nservices, &alloc,
		                          sizeof *it->services);
		it->services[it->nservices++] = id;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* One SLO metric value: the worst attainment (or budget left) among the
 * SLOs of the services in scope over [start, end). */
static int slo_point(struct ctx *ctx, const struct items *it, int64_t start, int64_t end,
                     struct computed *c, struct error *err)
{
	memset(c, 0, sizeof *c);
	c->pt.start = start;
	c->pt.end = end;
	c->pt.value = NAN;
	c->pt.statistic = it->budget ? "lowest error budget remaining" : "lowest attainment";
	struct sb sb = SB_INIT;
	struct jw w;
	jw_init(&w, &sb, false);
	jw_object_begin(&w);
	jw_kstr(&w, "statistic", c->pt.statistic);
	jw_key(&w, "slos");
	jw_array_begin(&w);
	int rc = 0;
	for (size_t i = 0; i < it->nservices && rc == 0; i++) {
		struct slo_service_summary sum;
		rc = slo_service_summary(ctx, it->services[i], start, end, ctx->arena, &sum, err);
		for (size_t k = 0; rc == 0 && k < sum.n; k++) {
			const struct slo_period *p = &sum.slos[k];
			jw_object_begin(&w);
			jw_kstr(&w, "slo", p->name);
			jw_kint(&w, "version", p->version);
			jw_key(&w, "target");
			jw_double(&w, p->target);
			jw_kbool(&w, "has_data", p->has_data);
			/* The inputs, which are SLI samples and not events: explain has
			 * no event to list (found in review: "0 inputs"). */
			jw_kint(&w, "samples", (int64_t)p->samples);
			if (p->has_data) {
				jw_kstr(&w, "counts", p->slices ? "time slices" : "events");
				jw_key(&w, "good");
				jw_double(&w, p->good);
				jw_key(&w, "total");
				jw_double(&w, p->total);
				jw_key(&w, "attainment");
				jw_double(&w, p->attainment);
				jw_key(&w, "budget_remaining");
				jw_double(&w, p->budget_remaining);
				double v = it->budget ? p->budget_remaining : p->attainment;
				if (isnan(c->pt.value) || v < c->pt.value)
					c->pt.value = v;
				c->pt.n++;
			}
			jw_object_end(&w);
		}
	}
	jw_array_end(&w);
	jw_kint(&w, "items", c->pt.n);
	jw_object_end(&w);
	c->pt.detail = arena_strdup(ctx->arena, sb.buf);
	sb_release(&sb);
	return rc;
}

/* ---- per engineer ------------------------------------------------------------------ */

/* A team membership in the scope: [from, to), to INT64_MAX while open. */
struct stint {
	int64_t from, to;
};

/* The team memberships of the scope (the org's or a team's with its
 * sub-teams), each ending at its person's end date at the latest: someone
 * who has given notice leaves then, even while the import that saw the
 * notice left their rows open (docs/security.md: people drop out from
 * their end date).  A record merged into another ends at its merge, as
 * ORG_PERSON_CURRENT has it: from then on its human counts once, under the
 * record it went into.  In ctx->arena. */
static int scope_stints(struct ctx *ctx, const struct scope *sc, struct stint **out, size_t *n,
                        struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT m.team_id, m.valid_from, m.valid_to, p.end_date, pm.merged_at "
	        "FROM team_memberships m JOIN people p ON p.id = m.person_id "
	        "LEFT JOIN person_merges pm ON pm.from_person_id = p.id",
	        &st, err);
	if (rc < 0)
		return rc;
	*out = NULL;
	*n = 0;
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		if (!in_scope(sc, 0, stmt_int(st, 0)))
			continue;
		int64_t from = stmt_int(st, 1);
		int64_t to = stmt_is_null(st, 2) ? INT64_MAX : stmt_int(st, 2);
		for (int end = 3; end <= 4; end++)
			if (!stmt_is_null(st, end) && stmt_int(st, end) < to)
				to = stmt_int(st, end);
		/* In a team's scope, only while the member's team sat under it:
		 * each span the membership meets is a stint of its own. */
		const struct team_spans *ts =
		        strcmp(sc->kind, "team") ? NULL : scope_spans(sc, stmt_int(st, 0));
		struct team_spans always = {&(struct span){INT64_MIN, INT64_MAX}, 1, 1, 0};
		if (!ts)
			ts = &always;
		for (size_t i = 0; i < ts->n; i++) {
			int64_t a = from > ts->v[i].from ? from : ts->v[i].from;
			int64_t b = to < ts->v[i].to ? to : ts->v[i].to;
			if (a >= b)
				continue;
			*out = arena_grow(ctx->arena, *out, *n, &alloc, sizeof **out);
			(*out)[(*n)++] = (struct stint){a, b};
		}
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Full-time equivalents over [from, to): each membership counts for the
 * share of the period it overlaps.  *headcount, when not NULL, is how many
 * were members at the period's end. */
static double stints_fte(const struct stint *m, size_t n, int64_t from, int64_t to,
                         int64_t *headcount)
{
	double fte = 0;
	if (headcount)
		*headcount = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t lo = m[i].from > from ? m[i].from : from;
		int64_t hi = m[i].to < to ? m[i].to : to;
		if (hi > lo)
			fte += (double)(hi - lo) / (double)(to - from);
		if (headcount && m[i].from < to && m[i].to >= to)
			(*headcount)++;
	}
	return fte;
}

/* ---- aggregating ------------------------------------------------------------------- */

/* The parts of the cycle time of the pull requests merged in [start, end),
 * into the detail: each with the number of pull requests that have it, how
 * many have not (no review, or no approval, before the merge) and, when
 * some have, its median, p90 (R type 7) and mean. */
static void parts_detail(struct jw *w, const struct items *it, int64_t start, int64_t end)
{
	static const char *const names[PR_NPARTS] = {"to_first_review", "review_to_approval",
	                                             "approval_to_merge"};
	static const char *const lacking[PR_NPARTS] = {"without_review", "without_approval",
	                                               "without_approval"};
	double *vals = xmalloc((it->n + 1) * sizeof *vals);
	for (int k = 0; k < PR_NPARTS; k++) {
		size_t n = 0, without = 0, left_out = 0;
		for (size_t i = 0; i < it->n; i++) {
			const struct item *x = &it->v[i];
			if (x->at < start || x->at >= end || x->left_out)
				continue;
			if (!(x->part_known & (1u << k)))
				without++;
			else if (x->part[k] < 0) /* a review stamped before the creation */
				left_out++;
			else
				vals[n++] = x->part[k];
		}
		jw_key(w, names[k]);
		jw_object_begin(w);
		jw_kint(w, "n", (int64_t)n);
		jw_kint(w, lacking[k], (int64_t)without);
		if (left_out) {
			jw_key(w, "left_out");
			jw_object_begin(w);
			jw_kint(w, left_out_names[ENDS_BEFORE_START], (int64_t)left_out);
			jw_object_end(w);
		}
		if (n) {
			double mean = stats_mean(vals, n), q[2];
			stats_quantiles_select(vals, n, median_p90, 2, q);
			jw_key(w, "median");
			jw_double(w, q[0]);
			jw_key(w, "p90");
			jw_double(w, q[1]);
			jw_key(w, "mean");
			jw_double(w, mean);
		}
		jw_object_end(w);
	}
	free(vals);
}

/* Aggregate the items of [start, end) into one point. */
/* What a count is divided by: a span of time (days or weeks) and a size
 * (engineers' FTE or services); 0 for none. */
struct divisor {
	double span;
	const char *span_unit; /* "day", "week" */
	double size;
	const char *size_unit; /* "engineer (FTE)", "service" */
	const char *size_key;  /* its key in the detail: "fte", "services" */
};

static void aggregate(struct arena *a, const struct items *it, int64_t start, int64_t end,
                      const struct divisor *div, struct computed *c)
{
	memset(c, 0, sizeof *c);
	c->pt.start = start;
	c->pt.end = end;
	c->pt.value = NAN;
	/* Freed below: --by day over years calls this a thousand times. */
	double *vals = xmalloc((it->n + it->nvalues + 1) * sizeof *vals);
	double *merges = NULL; /* lead time's changes, from merge to deploy */
	size_t nmerges = 0;
	struct hmap services;
	hmap_init(&services);
	bool per_service = div->size_key && !strcmp(div->size_key, "services");
	size_t n = 0, flagged = 0, alloc = 0, left_out[LEFT_OUT_N] = {0};
	bool any_left_out = false;
	for (size_t i = 0; i < it->n; i++) {
		const struct item *x = &it->v[i];
		bool counts = it->agg == AGG_GAUGE ? x->at < end && (!x->until || x->until >= end)
		                                   : x->at >= start && x->at < end;
		if (!counts)
			continue;
		if (x->left_out) {
			left_out[x->left_out]++;
			any_left_out = true;
			continue;
		}
		if (x->nchanges && !merges)
			merges = xmalloc((it->n + it->nvalues + 1) * sizeof *merges);
		for (size_t k = 0; k < x->nchanges; k++) {
			/* A change started or landed after the deployment that shipped
			 * it finished (a commit dated ahead, a skewed clock) has no lead
			 * time: left out of both figures and counted, as flow's negative
			 * durations are (found hunting: a commit dated six days ahead
			 * made a median of -48 h, banded elite). */
			int64_t lead = x->at - x->changes[k].started_at;
			int64_t wait = x->at - x->changes[k].merged_at;
			if (lead < 0 || wait < 0) {
				left_out[ENDS_BEFORE_START]++;
				any_left_out = true;
				continue;
			}
			vals[n++] = (double)lead / HOUR_MS;
			merges[nmerges++] = (double)wait / HOUR_MS;
		}
		if (!x->nchanges)
			vals[n++] = x->value;
		flagged += x->flag;
		if (per_service && x->service_id) {
			char k[HMAP_ID_KEY_SIZE];
			hmap_id_key(k, x->service_id);
			hmap_put(&services, k, 1);
		}
		for (uint32_t k = 0; k < x->nlin; k++) {
			c->lin = arena_grow(a, c->lin, c->nlin, &alloc, sizeof *c->lin);
			c->lin[c->nlin++] = x->lin + k;
		}
	}
	c->pt.n = (int64_t)n;
	struct sb sb = SB_INIT;
	struct jw w;
	jw_init(&w, &sb, false);
	jw_object_begin(&w);
	jw_kint(&w, "items", (int64_t)n);
	if (any_left_out) {
		/* What would have counted here but cannot be measured, and why
		 * (items of flow metrics, or lead time's changes). */
		jw_key(&w, "left_out");
		jw_object_begin(&w);
		for (int k = COUNTED + 1; k < LEFT_OUT_N; k++)
			if (left_out[k])
				jw_kint(&w, left_out_names[k], (int64_t)left_out[k]);
		jw_object_end(&w);
	}
	switch (it->agg) {
	case AGG_DURATION:
		c->pt.statistic = "median";
		jw_kstr(&w, "unit", "hours");
		jw_kstr(&w, "quantiles",
		        "linear interpolation between order statistics (R type 7)");
		if (n) {
			/* Mean, min and max first: selection reorders the values. */
			double mean = stats_mean(vals, n), lo = vals[0], hi = vals[0];
			for (size_t i = 1; i < n; i++) {
				lo = vals[i] < lo ? vals[i] : lo;
				hi = vals[i] > hi ? vals[i] : hi;
			}
			double q[2];
			stats_quantiles_select(vals, n, median_p90, 2, q);
			c->pt.value = q[0];
			jw_key(&w, "median");
			jw_double(&w, c->pt.value);
			jw_key(&w, "p90");
			jw_double(&w, q[1]);
			jw_key(&w, "mean");
			jw_double(&w, mean);
			jw_key(&w, "min");
			jw_double(&w, lo);
			jw_key(&w, "max");
			jw_double(&w, hi);
		}
		if (nmerges) {
			/* Lead time again, from each change's landing on the deployed branch. */
			jw_key(&w, "merge_to_deploy");
			jw_object_begin(&w);
			jw_kint(&w, "items", (int64_t)nmerges);
			double q[2];
			stats_quantiles_select(merges, nmerges, median_p90, 2, q);
			jw_key(&w, "median");
			jw_double(&w, q[0]);
			jw_key(&w, "p90");
			jw_double(&w, q[1]);
			jw_object_end(&w);
		}
		if (it->parts)
			parts_detail(&w, it, start, end);
		break;
	case AGG_RATIO:
		c->pt.statistic = "ratio";
		jw_kint(&w, "numerator", (int64_t)flagged);
		jw_kint(&w, "denominator", (int64_t)n);
		if (n)
			c->pt.value = (double)flagged / (double)n;
		break;
	case AGG_SLO: /* slo_point */
	case AGG_COUNT:
	case AGG_GAUGE:
		c->pt.statistic = it->agg == AGG_GAUGE ? "open at period end" : "count";
		c->pt.value = (double)n; /* a gauge's items are the ones open */
		jw_key(&w, "count");
		jw_double(&w, c->pt.value);
		if (div->span > 0) {
			c->pt.value /= div->span;
			c->pt.statistic =
			        arena_printf(a, "%s per %s", c->pt.statistic, div->span_unit);
			jw_key(&w, arena_printf(a, "%ss", div->span_unit));
			jw_double(&w, div->span);
		}
		/* Per service: the services with items here (docs/metrics.md), not
		 * the 1 the caller passes for them (found in review). */
		double size = per_service ? (double)services.count : div->size;
		if (size > 0 || div->size_key) {
			/* A point of a period with no engineers has no value per
			 * engineer (show_body refuses such a whole period); one with
			 * no items has none per service, 0 like its siblings' unit
			 * (found hunting: a plain count beside counts per service). */
			c->pt.value = size > 0 ? c->pt.value / size : per_service && !n ? 0 : NAN;
			c->pt.statistic =
			        arena_printf(a, "%s per %s", c->pt.statistic, div->size_unit);
			jw_key(&w, div->size_key);
			jw_double(&w, size);
		}
		break;
	}
	jw_kstr(&w, "statistic", c->pt.statistic);
	jw_object_end(&w);
	c->pt.detail = arena_strdup(a, sb.buf);
	sb_release(&sb);
	free(vals);
	free(merges);
	hmap_release(&services);
}

/* ---- metrics show ------------------------------------------------------------------- */

/* The items def aggregates in sc; over [from, to) at least (the DORA keys
 * of a team scope leave out the rest). */
static int items_for(struct ctx *ctx, const struct metric_def *def, const struct settings *set,
                     const struct scope *sc, int64_t from, int64_t to, struct history *shared,
                     struct items *it, double *read_s, double *engine_s, double *keep_s,
                     struct error *err)
{
	cJSON *f = cJSON_Parse(def->formula);
	const cJSON *builtin = cJSON_GetObjectItemCaseSensitive(f, "builtin");
	const cJSON *count = cJSON_GetObjectItemCaseSensitive(f, "count");
	int rc = 0;
	if (cJSON_IsString(count)) {
		it->agg = AGG_COUNT;
		rc = count_items(ctx, f, sc, it, err);
	} else if (cJSON_IsString(builtin) && !strcmp(sc->kind, "individual")) {
		rc = err_set(err, ERR_INVALID,
		             "metric '%s' uses built-in '%s', which plumb computes for the org, "
		             "teams and services only",
		             def->key, builtin->valuestring);
		err_hint(err, "a metric for one person counts their events (formula: count)");
	} else if (cJSON_IsString(builtin)) {
		const char *k = builtin->valuestring;
		static const struct {
			const char *key;
			enum agg agg;
			const char *rate_per;
		} kinds[] = {
		        {"deployment_frequency", AGG_COUNT, "day"},
		        {"lead_time", AGG_DURATION, NULL},
		        {"change_failure_rate", AGG_RATIO, NULL},
		        {"recovery_time", AGG_DURATION, NULL},
		        {"pr_cycle_time", AGG_DURATION, NULL},
		        {"review_turnaround", AGG_DURATION, NULL},
		        {"pr_throughput", AGG_COUNT, "week"},
		        {"wip", AGG_GAUGE, NULL},
		        {"issue_cycle_time", AGG_DURATION, NULL},
		};
		size_t i = 0;
		while (i < sizeof kinds / sizeof kinds[0] && strcmp(kinds[i].key, k) != 0)
			i++;
		if (!strcmp(k, "slo_attainment") || !strcmp(k, "error_budget_remaining")) {
			it->agg = AGG_SLO;
			it->budget = !strcmp(k, "error_budget_remaining");
			rc = slo_services(ctx, sc, it, err);
		} else if (i == sizeof kinds / sizeof kinds[0]) {
			rc = err_set(err, ERR_INVALID,
			             "metric '%s' uses built-in '%s', which plumb does not have",
			             def->key, k);
		} else {
			it->agg = kinds[i].agg;
			it->rate_per = kinds[i].rate_per;
			if (i < 4)
				rc = dora_items(ctx, k, set, sc, from, to,
				                params_change_history(set) ? NULL : shared, it,
				                read_s, engine_s, keep_s, err);
			else if (i < 8)
				rc = flow_pr_items(ctx, k, sc, it, err);
			else
				rc = flow_work_items(ctx, set, sc, it, err);
		}
	} else {
		rc = err_set(err, ERR_INVALID,
		             "metric '%s' version %d has a formula plumb cannot compute", def->key,
		             def->version);
	}
	cJSON_Delete(f);
	return rc;
}

struct show_args {
	const struct metrics_query *q;
	struct metrics_report *out;
	struct history *shared; /* the four keys of one `plumb dora` load once */
};

/* Whether a formula is one of the SLO built-ins, whose services in scope are
 * those owned now (slo_services). */
static bool formula_is_slo(const char *formula)
{
	cJSON *f = formula ? cJSON_Parse(formula) : NULL;
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(f, "builtin");
	bool slo = cJSON_IsString(b) && (!strcmp(b->valuestring, "slo_attainment") ||
	                                 !strcmp(b->valuestring, "error_budget_remaining"));
	cJSON_Delete(f);
	return slo;
}

/* What a value depends on besides its own grain and period (row_hash), so
 * an unchanged query serves stored values: the definition version and its
 * formula (with the params it overlays on the settings), scope and
 * normalizing, the settings, and the last write other than a metric's own
 * (the audit chain's head).
 * An entry that records a read (an audited read such as person show, or
 * any command run with --as that wrote nothing: `{"ok":...}`)
 * or a refusal changes nothing (found hunting: a dashboard read with --as
 * made the next refresh recompute every team, and plumb dora after any
 * such read gave new ids for the same values).
 * An SLO value's services are those their teams own now: the ownership
 * starts and ends passed by now count too, so a move `service set
 * --effective` scheduled takes effect on its date without a write (found
 * hunting: after the date, the old team's value still held the service's
 * SLOs and the new team's none, served as stored), and so do the team
 * parent rows (schema 21): a team moved under another parent from a later
 * date takes its services' SLOs there on that date (found in review). */
static int inputs_state(struct ctx *ctx, const struct metrics_report *r, int64_t settings_version,
                        const char **state, struct error *err)
{
	int64_t seq = 0, owners = 0;
	bool found;
	int rc = store_query_int(
	        ctx->store,
	        "SELECT seq FROM audit_log WHERE action NOT IN ('metric.compute', 'dora.compute', "
	        "'dashboard.refresh', 'access.denied', 'policy.refused') "
	        "AND detail NOT IN ('{\"ok\":true}', '{\"ok\":false}') "
	        "ORDER BY seq DESC LIMIT 1",
	        &seq, &found, err);
	if (rc < 0)
		return rc;
	if (formula_is_slo(r->def.formula)) {
		struct store_stmt *st;
		rc = store_prepare(
		        ctx->store,
		        "SELECT (SELECT COUNT(*) FROM service_owners WHERE valid_from <= ?1) "
		        "+ (SELECT COUNT(*) FROM service_owners WHERE valid_to <= ?1) "
		        "+ (SELECT COUNT(*) FROM team_parents WHERE valid_from <= ?1) "
		        "+ (SELECT COUNT(*) FROM team_parents WHERE valid_to <= ?1)",
		        &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_int(st, 1, ts_now_ms());
		rc = stmt_step(st, err);
		if (rc == STORE_ROW)
			owners = stmt_int(st, 0);
		stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	/* Only an SLO value's text names the owners, and, for a query reaching
	 * past now, what the clock changes: slo_service_summary counts such a
	 * period up to now, so its value changes as slices end and as samples
	 * dated later come due, with no write (found hunting: a month's value
	 * stored before a slice ended was served after it).  Not now itself:
	 * keyed on the millisecond, a running period was never served, so every
	 * show stored new values and an audit entry (slo_clock_state_tx). */
	char *text =
	        arena_printf(ctx->arena, "%lld|%s|%s|%lld|%s|%lld|%lld", (long long)r->def.id,
	                     r->def.formula ? r->def.formula : "", r->scope, (long long)r->scope_id,
	                     r->normalize, (long long)settings_version, (long long)seq);
	if (owners)
		text = arena_printf(ctx->arena, "%s|owners %lld", text, (long long)owners);
	int64_t now = ts_now_ms();
	if (formula_is_slo(r->def.formula) && r->to > now) {
		const char *clock;
		rc = slo_clock_state_tx(ctx, now, ctx->arena, &clock, err);
		if (rc < 0)
			return rc;
		text = arena_printf(ctx->arena, "%s|clock%s", text, clock);
	}
	*state = text;
	return 0;
}

/* One stored value's hash: the state (inputs_state) and the value's own
 * grain and period, not the query's.  The same week computed at the same
 * state by two queries (a series over 90 days, the dashboard's 12-week
 * trend) is the same value, found by either (found hunting: plumb metrics
 * show --by week over the default window superseded the trend's weeks,
 * so the next refresh, nothing changed, recomputed them; and a plain
 * query over a --by query's period made that one recompute). */
static void row_hash(struct arena *a, const char *state, const char *grain, int64_t start,
                     int64_t end, char hex[65])
{
	char *text =
	        arena_printf(a, "%s|%s|%lld|%lld", state, grain, (long long)start, (long long)end);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(hex, 65, h, sizeof h);
}

/* The stored values of r's query at state, served when every one is there:
 * the whole period's, and with grain g each period's (cut at the query's
 * ends), each found by its own hash (row_hash), whichever query stored it. */
static int reuse_values(struct ctx *ctx, struct metrics_report *r, const char *state,
                        const struct tz *z, enum grain g, const char *grain, bool *reused,
                        struct error *err)
{
	*reused = false;
	r->npoints = 0;
	size_t n = 1 + period_count(z, g, r->from, r->to);
	if (n > METRICS_MAX_POINTS + 1) /* more than show_body computes: it refuses them */
		return 0;
	struct metrics_point *want = arena_array(ctx->arena, n, sizeof *want);
	char(*hash)[65] = arena_array(ctx->arena, n, sizeof *hash);
	want[0].start = r->from;
	want[0].end = r->to;
	row_hash(ctx->arena, state, "all", r->from, r->to, hash[0]);
	size_t k = 1;
	for (int64_t p = n > 1 ? period_start(z, g, r->from) : r->to; p < r->to && k < n;
	     p = period_next(z, g, p), k++) {
		want[k].start = p > r->from ? p : r->from;
		want[k].end = period_next(z, g, p) < r->to ? period_next(z, g, p) : r->to;
		row_hash(ctx->arena, state, grain, want[k].start, want[k].end, hash[k]);
	}
	/* The hash covers scope and scope_id; naming them too, and
	 * superseded_at IS NULL, lets metric_values_current (schema 16) read
	 * this scope's current values for these inputs only: a refresh read
	 * every value of the definition for each team and key (24 s for 1,250
	 * teams), then every value the scope ever stored (slower with every
	 * refresh kept). */
	/* As many places as the next power of two, the spare ones given the
	 * first hash again: a few statements to prepare, not one per length. */
	size_t places = 1;
	while (places < k)
		places *= 2;
	struct sb sql = SB_INIT;
	sb_puts(&sql, "SELECT id, grain, period_start, period_end, value, n, statistic, detail, "
	              "inputs_hash FROM metric_values WHERE def_id = ? AND scope = ? AND "
	              "scope_id = ? AND superseded_at IS NULL AND inputs_hash IN (");
	for (size_t i = 0; i < places; i++)
		sb_puts(&sql, i ? ", ?" : "?");
	sb_puts(&sql, ")");
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql.buf, &st, err);
	sb_release(&sql);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, r->def.id);
	stmt_bind_text(st, 2, r->scope);
	stmt_bind_int(st, 3, r->scope_id);
	struct hmap at;
	hmap_init(&at);
	for (size_t i = 0; i < places; i++)
		stmt_bind_text(st, 4 + (int)i, hash[i < k ? i : 0]);
	for (size_t i = 0; i < k; i++)
		hmap_put(&at, hash[i], (int64_t)i);
	size_t found = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		int64_t i;
		if (!hmap_get(&at, stmt_text(st, 8), &i) || want[i].value_id ||
		    strcmp(stmt_text(st, 1), i ? grain : "all") != 0 ||
		    stmt_int(st, 2) != want[i].start || stmt_int(st, 3) != want[i].end)
			continue;
		want[i].value_id = stmt_int(st, 0);
		want[i].value = stmt_is_null(st, 4) ? NAN : stmt_double(st, 4);
		want[i].n = stmt_int(st, 5);
		want[i].statistic = stmt_text_dup(st, 6, ctx->arena);
		want[i].detail = stmt_text_dup(st, 7, ctx->arena);
		found++;
	}
	stmt_reset(st);
	hmap_release(&at);
	if (rc < 0)
		return rc;
	if (found == k) {
		*reused = true;
		r->overall = want[0];
		r->points = k > 1 ? want + 1 : NULL;
		r->npoints = k - 1;
	}
	return 0;
}

static int store_point(struct ctx *ctx, const struct metrics_report *r, const char *grain,
                       const char *hash, const struct items *it, struct computed *c,
                       struct error *err)
{
	struct store_stmt *st;
	int64_t now = ts_clock_ms();
	int rc = store_prepare(
	        ctx->store,
	        "UPDATE metric_values SET superseded_at = ?1 WHERE def_id = ?2 "
	        "AND scope = ?3 AND scope_id = ?4 AND grain = ?5 AND period_start = ?6 "
	        "AND period_end = ?7 AND normalize = ?8 AND superseded_at IS NULL",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, now);
	stmt_bind_int(st, 2, r->def.id);
	stmt_bind_text(st, 3, r->scope);
	stmt_bind_int(st, 4, r->scope_id);
	stmt_bind_text(st, 5, grain);
	stmt_bind_int(st, 6, c->pt.start);
	stmt_bind_int(st, 7, c->pt.end);
	stmt_bind_text(st, 8, r->normalize);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	rc = store_prepare(
	        ctx->store,
	        "INSERT INTO metric_values (def_id, scope, scope_id, period_start, "
	        "period_end, grain, statistic, value, n, detail, inputs_hash, computed_at, "
	        "normalize) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, r->def.id);
	stmt_bind_text(st, 2, r->scope);
	stmt_bind_int(st, 3, r->scope_id);
	stmt_bind_int(st, 4, c->pt.start);
	stmt_bind_int(st, 5, c->pt.end);
	stmt_bind_text(st, 6, grain);
	stmt_bind_text(st, 7, c->pt.statistic);
	if (isnan(c->pt.value))
		stmt_bind_null(st, 8);
	else
		stmt_bind_double(st, 8, c->pt.value);
	stmt_bind_int(st, 9, c->pt.n);
	stmt_bind_text(st, 10, c->pt.detail);
	stmt_bind_text(st, 11, hash);
	stmt_bind_int(st, 12, now);
	stmt_bind_text(st, 13, r->normalize);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		c->pt.value_id = stmt_int(st, 0);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	/* Lineage, once per (event, role) for this value. */
	struct store_batch *b = store_batch_new(ctx->store,
	                                        "metric_lineage (value_id, event_id, role, "
	                                        "from_sha, to_sha, commits, started_at, done_at)",
	                                        8);
	struct hmap seen;
	hmap_init(&seen);
	rc = 0;
	for (size_t i = 0; i < c->nlin && rc == 0; i++) {
		const struct lineage *l = &it->lin[c->lin[i]];
		char key[96];
		snprintf(key, sizeof key, "%lld|%s", (long long)l->event_id, l->role);
		if (!hmap_put(&seen, key, 1))
			continue;
		store_batch_int(b, c->pt.value_id);
		store_batch_int(b, l->event_id);
		store_batch_text(b, l->role);
		store_batch_text(b, l->from_sha);
		store_batch_text(b, l->to_sha);
		store_batch_opt_int(b, l->commits, l->from_sha != NULL && l->commits >= 0);
		store_batch_opt_int(b, l->started_at, l->done_at != 0);
		store_batch_opt_int(b, l->done_at, l->done_at != 0);
		rc = store_batch_row_end(b, err);
	}
	hmap_release(&seen);
	if (rc == 0)
		rc = store_batch_finish(b, err);
	else
		store_batch_abandon(b);
	return rc;
}

static enum grain grain_of(const char *by)
{
	return !by ? G_ALL : !strcmp(by, "day") ? G_DAY : !strcmp(by, "week") ? G_WEEK : G_MONTH;
}

static void note(struct ctx *ctx, struct metrics_report *r, const char *text)
{
	/* Few notes: growing by one each time is fine. */
	size_t alloc = r->nnotes;
	r->notes = arena_grow(ctx->arena, r->notes, r->nnotes, &alloc, sizeof *r->notes);
	r->notes[r->nnotes++] = text;
}

/* A team's issue cycle time over work items no team owns says so: their
 * Jira projects are on services without an owner (found in review: an
 * empty value, and nothing said why). */
static int teamless_work_note(struct ctx *ctx, const struct settings *set, struct metrics_report *r,
                              struct error *err)
{
	if (!built_on(&r->def, "issue_cycle_time"))
		return 0;
	const char *started = setting(set, "work_started_statuses", NULL, 0);
	const char *done = setting(set, "work_done_statuses", NULL, 0);
	int64_t n = 0;
	struct store_stmt *st;
	struct hmap keep; /* an issue two sources read is one (newest_copies) */
	hmap_init(&keep);
	int rc = newest_copies(ctx, "work_item", &keep, err);
	if (rc == 0)
		rc = store_prepare(ctx->store,
		                   "SELECT id, attrs, status FROM events WHERE kind = 'work_item' "
		                   "AND team_id IS NULL",
		                   &st, err);
	if (rc == 0) {
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			if (!copy_counts(&keep, stmt_int(st, 0)))
				continue;
			/* 0: not done (or reopened), whatever the period: a --from of
			 * 1970-01-01 counted the open items too. */
			int64_t end =
			        work_cycle(stmt_text(st, 1), stmt_text(st, 2), started, done).end;
			n += end && end >= r->from && end < r->to;
		}
		stmt_reset(st);
	}
	hmap_release(&keep);
	if (rc < 0)
		return rc;
	if (n > 0)
		note(ctx, r,
		     arena_printf(
		             ctx->arena,
		             "%lld work %s done in the period %s to no team: map their Jira "
		             "projects with 'plumb service map SERVICE --jira-project KEY', or "
		             "give their services an owner ('plumb service list')",
		             (long long)n, n == 1 ? "item" : "items",
		             n == 1 ? "belongs" : "belong"));
	return 0;
}

/* The deployment frequency bucket of the overall period, into the detail. */
static const char *frequency_detail(struct ctx *ctx, const struct items *it, const struct tz *z,
                                    int64_t from, int64_t to, const char *detail)
{
	size_t n = 0;
	int64_t *d = arena_array(ctx->arena, it->n + 1, sizeof *d);
	int64_t *w = arena_array(ctx->arena, it->n + 1, sizeof *w);
	for (size_t i = 0; i < it->n; i++) {
		if (it->v[i].at < from || it->v[i].at >= to)
			continue;
		d[n] = tz_day_start(z, it->v[i].at);
		w[n++] = tz_week_start(z, it->v[i].at);
	}
	size_t nweeks = 0;
	for (int64_t s = tz_week_start(z, from); s < to; s = period_next(z, G_WEEK, s))
		nweeks++;
	int64_t *weeks = arena_array(ctx->arena, nweeks + 1, sizeof *weeks);
	int64_t *week_month = arena_array(ctx->arena, nweeks + 1, sizeof *week_month);
	size_t k = 0;
	for (int64_t s = tz_week_start(z, from); s < to && k < nweeks;
	     s = period_next(z, G_WEEK, s)) {
		weeks[k] = s;
		week_month[k++] = tz_month_start(z, s);
	}
	const char *bucket = dora_frequency_bucket(d, w, n, weeks, week_month, nweeks);
	size_t months = 0;
	for (int64_t s = tz_month_start(z, from); s < to; s = period_next(z, G_MONTH, s))
		months++;
	double days = local_days(z, from, to);
	/* detail is an object: splice the extra keys before its closing brace. */
	size_t len = strlen(detail);
	return arena_printf(ctx->arena,
	                    "%.*s,\"per_day\":%.6g,\"per_week\":%.6g,\"weeks\":%zu,\"months\":%zu,"
	                    "\"bucket\":%s%s%s,\"bucket_rule\":\"daily: the median week has "
	                    "deployments on 3 or more days; weekly: most weeks have one; monthly: "
	                    "the median week is in a month with a week that has one; else "
	                    "yearly\"}",
	                    (int)(len - 1), detail, (double)n / days, (double)n / days * 7, nweeks,
	                    months, bucket ? "\"" : "", bucket ? bucket : "null",
	                    bucket ? "\"" : "");
}

/* Per engineer: the scope's memberships (*stints, in ctx->arena) and its
 * full-time equivalents over r's period (*fte).  ERR_INVALID with the
 * reason for a service or a person (no members to divide by), for a team
 * smaller than min_team_size at the period's end, and for no engineers at
 * all over the period. */
static int per_engineer(struct ctx *ctx, const struct settings *set, const struct metrics_report *r,
                        const struct scope *sc, struct stint **stints, size_t *nstints, double *fte,
                        struct error *err)
{
	if (!strcmp(sc->kind, "service") || !strcmp(sc->kind, "individual")) {
		bool service = !strcmp(sc->kind, "service");
		if (service)
			err_set(err, ERR_INVALID,
			        "--normalize per-engineer applies to the org and teams: service "
			        "'%s' has no members to divide by",
			        sc->name);
		else
			err_set(err, ERR_INVALID,
			        "--normalize per-engineer applies to the org and teams: person "
			        "%s's count is one engineer's already",
			        sc->name);
		err_hint(err, service ? "compare services with --normalize per-service, or the "
		                        "owning team with --team"
		                      : "compare without --normalize");
		return ERR_INVALID;
	}
	int64_t heads;
	int rc = scope_stints(ctx, sc, stints, nstints, err);
	if (rc < 0)
		return rc;
	*fte = stints_fte(*stints, *nstints, r->from, r->to, &heads);
	int64_t min = atoll(setting(set, "min_team_size", NULL, 0));
	if (heads < min) {
		err_set(err, ERR_INVALID,
		        "%s '%s' has %lld people at the period's end, fewer than %lld: "
		        "per-engineer figures of a team this small swing with one person and "
		        "are not compared",
		        sc->kind, sc->name, (long long)heads, (long long)min);
		/* The definition's own param wins over the setting. */
		if (settings_has_param(set, "min_team_size"))
			err_hint(err,
			         "compare without --normalize: min_team_size is a formula param "
			         "of %s version %d, which a new version would change",
			         r->def.key, r->def.version);
		else
			err_hint(err, "compare without --normalize, or change the metric setting "
			              "min_team_size");
		return ERR_INVALID;
	}
	if (*fte <= 0) {
		err_set(err, ERR_INVALID,
		        "%s '%s' has no engineers over the period (0 full-time equivalents): "
		        "there is nothing to divide by",
		        sc->kind, sc->name);
		err_hint(err, "compare without --normalize; 'plumb org tree' shows the teams' "
		              "members");
		return ERR_INVALID;
	}
	return 0;
}

/* A note for each lifecycle stage the service (r's scope) is in during the
 * period [r->from, r->to) that the definition does not suit: the stage
 * alone when it holds the whole period, else with its dates (stages are
 * effective-dated from a day, UTC). */
static int stage_notes(struct ctx *ctx, struct metrics_report *r, int64_t service_id,
                       struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT stage, valid_from FROM service_stages WHERE service_id = ?1 "
	                       "AND valid_from < ?2 ORDER BY valid_from",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, service_id);
	stmt_bind_int(st, 2, r->to);
	const char *stage = NULL;
	int64_t since = 0;
	for (bool more = true; more;) {
		/* stage holds from since until the next row with another stage. */
		const char *next = NULL;
		int64_t until = 0;
		rc = stmt_step(st, err);
		more = rc == STORE_ROW;
		if (more) {
			next = stmt_text_dup(st, 0, ctx->arena);
			until = stmt_int(st, 1);
			if (stage && !strcmp(next, stage))
				continue;
		}
		if (stage && (!more || until > r->from) &&
		    !catalog_list_has(r->def.stages, stage)) {
			char d1[TS_BUF], d2[TS_BUF];
			const char *when = "";
			if (since > r->from && more)
				when = arena_printf(
				        ctx->arena, " from %s until %s, part of the period",
				        ts_format_date(since, d1), ts_format_date(until, d2));
			else if (since > r->from)
				when = arena_printf(ctx->arena, " from %s, part of the period",
				                    ts_format_date(since, d1));
			else if (more)
				when = arena_printf(ctx->arena, " until %s, part of the period",
				                    ts_format_date(until, d2));
			note(ctx, r,
			     arena_printf(ctx->arena,
			                  "%s suits services in stages %s; %s is in stage %s%s",
			                  r->def.key, r->def.stages, r->scope_name, stage, when));
		}
		stage = next;
		since = until;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int show_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct show_args *s = arg;
	const struct metrics_query *q = s->q;
	struct metrics_report *r = s->out;
	memset(r, 0, sizeof *r);
	int rc = catalog_active(ctx, q->key, ctx->arena, &r->def, err);
	if (rc < 0)
		return rc;
	if (!strcmp(r->def.status, "deprecated"))
		note(ctx, r,
		     arena_printf(ctx->arena, "%s version %d is deprecated", r->def.key,
		                  r->def.version));
	struct scope sc;
	struct parent_rows *own_rows = NULL;
	if ((rc = scope_resolve(ctx, q, &sc, s->shared ? &s->shared->parents : &own_rows,
	                        history_arena(ctx, s->shared), err)) < 0) {
		hmap_release(&sc.teams);
		return rc;
	}
	if (q->person && (rc = aup_check_metric_for_person(ctx, r->def.key, r->def.scopes,
	                                                   q->person, "computed for", err)) < 0) {
		hmap_release(&sc.teams);
		return rc;
	}
	r->scope = sc.kind;
	r->scope_name = sc.name;
	r->scope_id = sc.id;
	if (!catalog_list_has(r->def.scopes, sc.kind)) {
		hmap_release(&sc.teams);
		err_set(err, ERR_INVALID,
		        "metric '%s' is not defined for the %s scope (it allows: %s)", r->def.key,
		        sc.kind, r->def.scopes);
		return ERR_INVALID;
	}
	if (q->person &&
	    (rc = require_sources(ctx, &r->def, sc.id,
	                          arena_printf(ctx->arena, "%s's %s", q->person, r->def.key),
	                          err)) < 0) {
		hmap_release(&sc.teams);
		return rc;
	}
	struct settings set;
	if ((rc = settings_load(ctx, &set, err)) < 0) {
		hmap_release(&sc.teams);
		return rc;
	}
	const char *ignored;
	settings_overlay(ctx->arena, &set, &r->def, &ignored);
	if (ignored)
		note(ctx, r,
		     arena_printf(ctx->arena,
		                  "%s version %d: formula params %s are not applied (the "
		                  "built-in does not use them)",
		                  r->def.key, r->def.version, ignored));
	r->time_zone = setting(&set, "time_zone", sc.tz_team ? "team" : NULL, sc.tz_team);
	struct tz *z = NULL;
	if ((rc = tz_load(r->time_zone, &z, err)) < 0) {
		hmap_release(&sc.teams);
		return rc;
	}
	query_period(z, q, q->now ? q->now : ts_now_ms(), &r->from, &r->to);
	if (q->align && q->by) {
		r->from = period_start(z, grain_of(q->by), r->from);
		r->to = period_start(z, grain_of(q->by), r->to);
	}
	if (r->from >= r->to) {
		char f[TS_BUF], t[TS_BUF];
		tz_free(z);
		hmap_release(&sc.teams);
		err_set(err, ERR_USAGE, "the period is empty: from %s is not before to %s",
		        ts_format(r->from, f), ts_format(r->to, t));
		return ERR_USAGE;
	}
	r->normalize = q->normalize ? q->normalize : "none";
	enum grain g = grain_of(q->by);
	/* More points than are computed is the query's own fault: refused
	 * before anything is computed, as an empty period is (found hunting:
	 * exit status 1, after the whole period's value was computed). */
	size_t npoints = period_count(z, g, r->from, r->to);
	if (npoints > METRICS_MAX_POINTS) {
		char f[TS_BUF], t[TS_BUF];
		err_set(err, ERR_USAGE, "--by %s over %s to %s gives %zu values; at most %d", q->by,
		        period_text(z, r->from, f), period_text(z, r->to, t), npoints,
		        METRICS_MAX_POINTS);
		err_hint(err, "ask for a shorter period%s",
		         g == G_DAY    ? ", or --by week or month"
		         : g == G_WEEK ? ", or --by month"
		                       : "");
		tz_free(z);
		hmap_release(&sc.teams);
		return ERR_USAGE;
	}
	const char *grain = q->by ? q->by : "all";
	char hash[65];
	const char *state = NULL;
	bool reused = false;
	rc = inputs_state(ctx, r, set.version, &state, err);
	if (rc == 0)
		rc = reuse_values(ctx, r, state, z, g, grain, &reused, err);
	if (rc == 0 && !reused) {
		double t0 = ts_mono_s(), t1;
		struct items it = {0};
		double keep_s = 0;
		rc = items_for(ctx, &r->def, &set, &sc, r->from, r->to, s->shared, &it, &r->read_s,
		               &r->engine_s, &keep_s, err);
		const char *per = NULL;
		double norm = 0;
		struct stint *stints = NULL; /* per engineer: the scope's memberships */
		size_t nstints = 0;
		if (rc == 0 && strcmp(r->normalize, "none") != 0) {
			if (it.agg != AGG_COUNT && it.agg != AGG_GAUGE) {
				rc = err_set(err, ERR_INVALID,
				             "--normalize %s applies to counts; '%s' is %s, not a "
				             "count",
				             r->normalize, r->def.key,
				             it.agg == AGG_RATIO ? "a rate"
				             : it.agg == AGG_SLO ? "an SLO figure"
				                                 : "a duration");
			} else if (!strcmp(r->normalize, "per-engineer")) {
				rc = per_engineer(ctx, &set, r, &sc, &stints, &nstints, &norm, err);
				per = "engineer (FTE)";
			} else {
				norm = 1; /* counted per period in aggregate */
				per = "service";
			}
		}
		struct computed c;
		struct divisor all = {0}, each = {0};
		if (rc == 0) {
			double days = local_days(z, r->from, r->to);
			bool freq = it.rate_per && !strcmp(it.rate_per, "day");
			if (per) {
				all.size = each.size = norm;
				all.size_unit = each.size_unit = per;
				all.size_key = each.size_key =
				        strcmp(per, "service") ? "fte" : "services";
			}
			if (it.rate_per) {
				all.span = freq ? days : days / 7;
				all.span_unit = it.rate_per;
			}
			if (it.agg == AGG_SLO)
				rc = slo_point(ctx, &it, r->from, r->to, &c, err);
			else
				aggregate(ctx->arena, &it, r->from, r->to, &all, &c);
			if (freq)
				c.pt.detail =
				        frequency_detail(ctx, &it, z, r->from, r->to, c.pt.detail);
		}
		if (rc == 0) {
			r->overall = c.pt;
			t1 = ts_mono_s();
			/* The changes and packs kept for later computations are
			 * lineage of a sort (commit ranges): timed with storing. */
			r->compute_s += t1 - t0 - keep_s;
			row_hash(ctx->arena, state, "all", r->from, r->to, hash);
			rc = store_point(ctx, r, "all", hash, &it, &c, err);
			r->store_s += ts_mono_s() - t1 + keep_s;
			r->overall.value_id = c.pt.value_id;
		}
		size_t alloc = 0;
		if (rc == 0 && g != G_ALL) {
			int64_t s0 = period_start(z, g, r->from);
			for (int64_t p = s0; rc == 0 && p < r->to; p = period_next(z, g, p)) {
				if (r->npoints >= METRICS_MAX_POINTS)
					BUG("--by %s: more points than period_count said", q->by);
				t0 = ts_mono_s();
				int64_t ps = p > r->from ? p : r->from;
				int64_t pe =
				        period_next(z, g, p) < r->to ? period_next(z, g, p) : r->to;
				/* Per engineer, each point by the people of its own period. */
				if (per && strcmp(per, "service") != 0)
					each.size = stints_fte(stints, nstints, ps, pe, NULL);
				if (it.agg == AGG_SLO)
					rc = slo_point(ctx, &it, ps, pe, &c, err);
				else
					aggregate(ctx->arena, &it, ps, pe, &each, &c);
				if (rc < 0)
					break;
				t1 = ts_mono_s();
				r->compute_s += t1 - t0;
				row_hash(ctx->arena, state, grain, ps, pe, hash);
				rc = store_point(ctx, r, grain, hash, &it, &c, err);
				r->store_s += ts_mono_s() - t1;
				r->points = arena_grow(ctx->arena, r->points, r->npoints, &alloc,
				                       sizeof *r->points);
				r->points[r->npoints++] = c.pt;
			}
		}
		/* plumb dora writes one entry for its four keys. */
		if (rc == 0 && !s->shared) {
			struct sb d = SB_INIT;
			struct jw w;
			jw_init(&w, &d, false);
			jw_object_begin(&w);
			jw_kint(&w, "version", r->def.version);
			jw_kstr(&w, "scope", r->scope);
			jw_kstr(&w, "scope_name", r->scope_name);
			jw_key(&w, "from");
			jw_time(&w, r->from, true);
			jw_key(&w, "to");
			jw_time(&w, r->to, true);
			jw_kstr(&w, "by", grain);
			jw_kstr(&w, "normalize", r->normalize);
			jw_kint(&w, "values", (int64_t)r->npoints + 1);
			jw_object_end(&w);
			rc = audit_append(ctx, ctx->op->name, "metric", r->def.key, d.buf, err);
			sb_release(&d);
		}
		free(it.v);
	}
	r->reused = reused;
	if (rc == 0 && !strcmp(sc.kind, "service"))
		rc = stage_notes(ctx, r, sc.id, err);
	if (rc == 0 && !strcmp(sc.kind, "team"))
		rc = teamless_work_note(ctx, &set, r, err);
	tz_free(z);
	hmap_release(&sc.teams);
	if (rc < 0)
		return rc;
	return reused ? CTX_ROLLBACK : 0;
}

/* Withhold a point from an analyst when it covers too few people (mask.h). */
static int mask_point(struct ctx *ctx, const char *scope, int64_t scope_id, struct metrics_point *p,
                      struct error *err)
{
	int rc = mask_aggregate(ctx, scope, scope_id, p->start, p->end, &p->suppressed, err);
	if (rc == 0 && p->suppressed) {
		p->value = NAN;
		p->n = 0;
		p->detail = NULL;
	}
	return rc;
}

static int mask_report(struct ctx *ctx, struct metrics_report *r, struct error *err)
{
	int rc = mask_point(ctx, r->scope, r->scope_id, &r->overall, err);
	for (size_t i = 0; rc == 0 && i < r->npoints; i++)
		rc = mask_point(ctx, r->scope, r->scope_id, &r->points[i], err);
	return rc;
}

/* ---- review turnaround per reviewer --------------------------------------------------- */

struct reviewer_group {
	const char *key; /* "p" and a person id, or "a", the account system, ':' and login */
	const struct pr_review *who;
	double *hours;
	size_t n, alloc;
};

static int cmp_reviewer(const void *x, const void *y)
{
	const struct metrics_reviewer *a = x, *b = y;
	int c = strcmp(a->reviewer, b->reviewer);
	return c ? c : strcmp(a->kind, b->kind);
}

/* May the actor see whose review rv is?  As events list decides (events.c):
 * a person within their scope and the source's sharing; an account linked
 * to no one only for those who see everyone; everyone, as pseudonyms, for
 * an actor who sees people masked. */
static bool person_shown(int64_t person_id, int64_t source_id, bool all, const struct hmap *visible,
                         const struct sourceacl *acl)
{
	if (all)
		return true;
	if (!person_id)
		return false;
	char k[HMAP_ID_KEY_SIZE];
	int64_t v;
	hmap_id_key(k, person_id);
	return hmap_get(visible, k, &v) && sourceacl_individual_ok(acl, source_id, person_id);
}

static bool reviewer_shown(const struct pr_review *rv, bool all, const struct hmap *visible,
                           const struct sourceacl *acl)
{
	return person_shown(rv->person_id, rv->source_id, all, visible, acl);
}

/* r's reviewers (metrics.h): each reviewer's first review of each pull
 * request in scope, counted in [r->from, r->to) at that review. */
static int reviewer_figures(struct ctx *ctx, const struct scope *sc, struct metrics_report *r,
                            struct error *err)
{
	struct arena *a = ctx->arena;
	struct pr_row *prs = NULL;
	struct pr_review *rvs = NULL;
	size_t n = 0, nrv = 0;
	int rc = load_pr_rows(ctx, true, &prs, &n, &rvs, &nrv, err);
	bool all = false;
	struct hmap visible, first, groups;
	hmap_init(&visible);
	hmap_init(&first);
	hmap_init(&groups);
	struct sourceacl *acl = NULL;
	if (rc == 0)
		rc = authz_visible_people(ctx, &all, &visible, err);
	if (rc == 0)
		rc = sourceacl_load(ctx, &acl, err);
	/* Each reviewer's first review of each pull request: picked[first's value]. */
	const char **keys = arena_array(a, nrv + 1, sizeof *keys);
	size_t *picked = arena_array(a, nrv + 1, sizeof *picked), npicked = 0;
	for (size_t i = 0; rc == 0 && i < nrv; i++) {
		const struct pr_review *rv = &rvs[i];
		const struct pr_row *p = &prs[rv->pr];
		if (p->bot || !in_scope_at(sc, p->service_id, p->team_id, rv->at) ||
		    (!rv->person_id && !rv->login))
			continue;
		keys[i] = rv->person_id ? arena_printf(a, "p%lld", (long long)rv->person_id)
		                        : arena_printf(a, "a%s:%s",
		                                       rv->account_system ? rv->account_system : "",
		                                       arena_strlower(a, rv->login));
		const char *pk = arena_printf(a, "%zu|%s", rv->pr, keys[i]);
		int64_t k;
		if (!hmap_get(&first, pk, &k)) {
			hmap_put(&first, pk, (int64_t)npicked);
			picked[npicked++] = i;
		} else if (review_earlier(rv->at, rv->event_id, &rvs[picked[k]].at,
		                          &rvs[picked[k]].event_id)) {
			picked[k] = i;
		}
	}
	struct reviewer_group *g = arena_array(a, npicked + 1, sizeof *g);
	size_t ng = 0;
	for (size_t s = 0; rc == 0 && s < npicked; s++) {
		const struct pr_review *rv = &rvs[picked[s]];
		const char *key = keys[picked[s]];
		double hours = (double)(rv->at - prs[rv->pr].created_at) / HOUR_MS;
		if (rv->at < r->from || rv->at >= r->to || hours < 0)
			continue;
		if (!reviewer_shown(rv, all, &visible, acl)) {
			r->reviews_not_shown++;
			continue;
		}
		int64_t k;
		if (!hmap_get(&groups, key, &k)) {
			k = (int64_t)ng;
			hmap_put(&groups, key, k);
			g[ng++] = (struct reviewer_group){.key = key, .who = rv};
		}
		struct reviewer_group *x = &g[k];
		/* Named as their earliest review has it (a login's case may vary). */
		if (review_earlier(rv->at, rv->event_id, &x->who->at, &x->who->event_id))
			x->who = rv;
		x->hours = arena_grow(a, x->hours, x->n, &x->alloc, sizeof *x->hours);
		x->hours[x->n++] = hours;
	}
	r->reviewers = arena_array(a, ng + 1, sizeof *r->reviewers);
	for (size_t i = 0; rc == 0 && i < ng; i++) {
		const struct pr_review *who = g[i].who;
		struct metrics_reviewer *m = &r->reviewers[r->nreviewers++];
		m->kind = who->person_id ? "person" : "account";
		m->n = (int64_t)g[i].n;
		m->median = stats_quantile_select(g[i].hours, g[i].n, 0.5);
		m->reviewer = who->person_id ? who->employee_id : who->login;
	}
	if (rc == 0 && r->nreviewers)
		qsort(r->reviewers, r->nreviewers, sizeof *r->reviewers, cmp_reviewer);
	hmap_release(&visible);
	hmap_release(&first);
	hmap_release(&groups);
	return rc;
}

/* metrics show --by-reviewer: review_turnaround's figure per reviewer, for
 * the people the actor may see. */
static int reviewer_breakdown(struct ctx *ctx, const struct metrics_query *q,
                              struct metrics_report *r, struct error *err)
{
	if (!built_on(&r->def, "review_turnaround"))
		return err_set(err, ERR_USAGE,
		               "--by-reviewer applies to metrics built on review_turnaround; '%s' "
		               "is not",
		               r->def.key);
	/* One figure a reviewer is a metric about each of them: only for a
	 * definition with the individual scope, and never for analysts, who
	 * see aggregates only (found in review: both were bypassed). */
	int rc = aup_check_metric_for_person(ctx, r->def.key, r->def.scopes,
	                                     "by person (--by-reviewer)", "broken down", err);
	if (rc < 0)
		return rc;
	if (mask_people(ctx)) {
		err_set(err, ERR_DENIED,
		        "permission denied: --by-reviewer shows one figure per person, and "
		        "analysts "
		        "see aggregates only");
		ctx_note_denied(ctx, err);
		return ERR_DENIED;
	}
	r->by_reviewer = true;
	struct scope sc;
	struct parent_rows *rows = NULL;
	rc = scope_resolve(ctx, q, &sc, &rows, ctx->arena, err);
	if (rc == 0)
		rc = reviewer_figures(ctx, &sc, r, err);
	hmap_release(&sc.teams);
	return rc;
}

/* metrics.compute as the actor sees it: computed and stored in full,
 * returned masked, with its reviewers when asked. */
static int show_masked_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct show_args *a = arg;
	int rc = show_body(ctx, arg, err);
	if (rc >= 0) {
		int mrc = mask_report(ctx, a->out, err);
		if (mrc == 0 && a->q->by_reviewer)
			mrc = reviewer_breakdown(ctx, a->q, a->out, err);
		if (mrc < 0)
			return mrc;
	}
	return rc;
}

int metrics_show(struct ctx *ctx, const struct metrics_query *q, struct metrics_report *out,
                 struct error *err)
{
	struct metrics_query at = *q;
	if (!at.now)
		at.now = ts_now_ms();
	struct show_args a = {&at, out, NULL};
	int rc = ctx_run(ctx, OP_METRIC_COMPUTE, show_masked_body, &a, err);
	return rc == CTX_ROLLBACK ? 0 : rc;
}

int metrics_period_tx(struct ctx *ctx, const struct metrics_query *q, int64_t *from, int64_t *to,
                      const char **time_zone, struct error *err)
{
	struct metrics_query sq = *q;
	sq.person = NULL;
	struct scope sc;
	int rc = scope_resolve(ctx, &sq, &sc, NULL, NULL, err);
	hmap_release(&sc.teams);
	struct settings set;
	if (rc == 0)
		rc = settings_load(ctx, &set, err);
	if (rc < 0)
		return rc;
	*time_zone = setting(&set, "time_zone", sc.tz_team ? "team" : NULL, sc.tz_team);
	struct tz *z = NULL;
	if ((rc = tz_load(*time_zone, &z, err)) < 0)
		return rc;
	query_period(z, q, q->now ? q->now : ts_now_ms(), from, to);
	tz_free(z);
	return 0;
}

int metrics_key_def_tx(struct ctx *ctx, const char *key, struct arena *a, struct metric_def *out,
                       bool *computable, struct error *err)
{
	struct error why = {0};
	int rc = catalog_active(ctx, key, a, out, &why);
	*computable = rc == 0;
	if (rc == ERR_CONFLICT) /* *out is the newest version: what the key was */
		return 0;
	if (rc < 0 && !err->code)
		*err = why;
	return rc;
}

/* ---- dora ----------------------------------------------------------------------------- */

static const char *const dora_keys[4] = {"deployment_frequency", "lead_time", "change_failure_rate",
                                         "recovery_time"};

struct dora_args {
	const struct metrics_query *q;
	struct dora_summary *out;
	bool wrote;
};

/* A key of the four that is not computed (no version may be, and def is its
 * newest; or its version is not defined for the query's scope): r gets the
 * scope and period show_body would have given it, no value, and a note. */
static int dora_not_computed(struct ctx *ctx, const struct metrics_query *q,
                             const struct metric_def *def, struct metrics_report *r,
                             struct error *err)
{
	memset(r, 0, sizeof *r);
	r->def = *def;
	struct scope sc;
	int rc = scope_resolve(ctx, q, &sc, NULL, NULL, err);
	hmap_release(&sc.teams);
	if (rc < 0)
		return rc;
	r->scope = sc.kind;
	r->scope_name = sc.name;
	r->scope_id = sc.id;
	struct settings set;
	if ((rc = settings_load(ctx, &set, err)) < 0)
		return rc;
	r->time_zone = setting(&set, "time_zone", sc.tz_team ? "team" : NULL, sc.tz_team);
	struct tz *z = NULL;
	if ((rc = tz_load(r->time_zone, &z, err)) < 0)
		return rc;
	query_period(z, q, q->now, &r->from, &r->to);
	tz_free(z);
	if (r->from >= r->to) {
		char f[TS_BUF], t[TS_BUF];
		return err_set(err, ERR_USAGE, "the period is empty: from %s is not before to %s",
		               ts_format(r->from, f), ts_format(r->to, t));
	}
	r->normalize = "none";
	r->overall = (struct metrics_point){.start = r->from, .end = r->to, .value = NAN};
	if (strcmp(def->status, "active") != 0 && strcmp(def->status, "deprecated") != 0)
		note(ctx, r,
		     arena_printf(ctx->arena, "%s is not computed: its newest version, %d, is %s",
		                  def->key, def->version, def->status));
	else
		note(ctx, r,
		     arena_printf(ctx->arena,
		                  "%s is not computed: version %d is not defined for the %s scope "
		                  "(it allows: %s)",
		                  def->key, def->version, sc.kind, def->scopes));
	return 0;
}

/* The four keys over one history (shared, loaded on first use); *wrote
 * says whether a value was stored.  A key no version of which may be
 * computed is not (dora_not_computed).  No audit entry. */
static int dora_compute(struct ctx *ctx, const struct metrics_query *query, struct history *shared,
                        struct dora_summary *out, bool *wrote, struct error *err)
{
	*wrote = false;
	memset(out, 0, sizeof *out);
	out->bands_source = DORA_BANDS_SOURCE;
	/* One clock reading for the four keys: one period, as one query. */
	int64_t now = query->now ? query->now : ts_now_ms();
	for (int i = 0; i < 4; i++) {
		struct metrics_query q = *query;
		q.now = now;
		q.key = dora_keys[i];
		q.by = NULL;
		q.normalize = NULL;
		struct metric_def def;
		int rc = metrics_key_def_tx(ctx, q.key, ctx->arena, &def, &out->computed[i], err);
		/* One key whose version leaves out the scope is withheld, not the
		 * four (found in review: an org-only lead time failed dora --team
		 * and the dashboard's refresh).  Not for a person: the acceptable-use
		 * rules refuse team metrics on one first (show_body). */
		if (rc == 0 && out->computed[i] && !q.person &&
		    !catalog_list_has(def.scopes, query_scope_kind(&q)))
			out->computed[i] = false;
		if (rc == 0 && !out->computed[i])
			rc = dora_not_computed(ctx, &q, &def, &out->keys[i], err);
		if (rc < 0)
			return rc;
		if (!out->computed[i])
			continue;
		struct show_args s = {&q, &out->keys[i], shared};
		if ((rc = show_body(ctx, &s, err)) < 0)
			return rc;
		*wrote |= rc == 0;
	}
	struct metrics_report *k = out->keys;
	cJSON *detail = cJSON_Parse(k[0].overall.detail);
	const cJSON *bucket = cJSON_GetObjectItemCaseSensitive(detail, "bucket");
	if (cJSON_IsString(bucket))
		out->frequency_bucket = arena_strdup(ctx->arena, bucket->valuestring);
	cJSON_Delete(detail);
	/* Lead time's merge-to-deploy figures, from its detail (also of a value
	 * served again, which is read back from the store). */
	detail = k[1].overall.detail ? cJSON_Parse(k[1].overall.detail) : NULL;
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(detail, "merge_to_deploy");
	const cJSON *med = cJSON_GetObjectItemCaseSensitive(m, "median"),
	            *p90 = cJSON_GetObjectItemCaseSensitive(m, "p90"),
	            *n = cJSON_GetObjectItemCaseSensitive(m, "items");
	if (cJSON_IsNumber(med) && cJSON_IsNumber(p90) && cJSON_IsNumber(n))
		out->merge_to_deploy = (struct dora_merge_to_deploy){
		        true, med->valuedouble, p90->valuedouble, (int64_t)n->valuedouble};
	cJSON_Delete(detail);
	out->bands[0] = dora_band_frequency(out->frequency_bucket);
	if (!isnan(k[1].overall.value))
		out->bands[1] = dora_band_lead_time(k[1].overall.value * HOUR_MS);
	if (!isnan(k[2].overall.value))
		out->bands[2] = dora_band_change_failure(k[2].overall.value);
	if (!isnan(k[3].overall.value))
		out->bands[3] = dora_band_recovery(k[3].overall.value * HOUR_MS);
	return 0;
}

static int dora_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct dora_args *d = arg;
	struct history shared;
	memset(&shared, 0, sizeof shared);
	int rc = dora_compute(ctx, d->q, &shared, d->out, &d->wrote, err);
	if (rc < 0)
		return rc;
	struct metrics_report *k = d->out->keys;
	if (d->wrote) {
		struct sb buf = SB_INIT;
		struct jw w;
		jw_init(&w, &buf, false);
		jw_object_begin(&w);
		jw_kstr(&w, "scope", k[0].scope);
		jw_kstr(&w, "scope_name", k[0].scope_name);
		jw_key(&w, "from");
		jw_time(&w, k[0].from, true);
		jw_key(&w, "to");
		jw_time(&w, k[0].to, true);
		jw_key(&w, "values");
		jw_object_begin(&w);
		for (int i = 0; i < 4; i++) {
			jw_key(&w, k[i].def.key);
			if (d->out->computed[i])
				jw_int(&w, k[i].overall.value_id);
			else
				jw_null(&w);
		}
		jw_object_end(&w);
		jw_object_end(&w);
		rc = audit_append(ctx, "dora.compute", "dora", k[0].scope_name, buf.buf, err);
		sb_release(&buf);
		if (rc < 0)
			return rc;
	}
	/* Stored in full, returned masked: no band or bucket for a withheld key. */
	for (int i = 0; i < 4; i++) {
		if (!d->out->computed[i])
			continue;
		if ((rc = mask_report(ctx, &k[i], err)) < 0)
			return rc;
		if (k[i].overall.suppressed) {
			d->out->bands[i] = NULL;
			if (i == 0)
				d->out->frequency_bucket = NULL;
		}
	}
	if (k[1].overall.suppressed)
		d->out->merge_to_deploy.known = false;
	return d->wrote ? 0 : CTX_ROLLBACK;
}

int metrics_dora(struct ctx *ctx, const struct metrics_query *q, struct dora_summary *out,
                 struct error *err)
{
	/* The clock read once, so a retried transaction asks for the same period. */
	struct metrics_query at = *q;
	if (!at.now)
		at.now = ts_now_ms();
	struct dora_args a = {&at, out, false};
	int rc = ctx_run(ctx, OP_DORA_COMPUTE, dora_body, &a, err);
	return rc == CTX_ROLLBACK ? 0 : rc;
}

/* ---- batches, for another service's write operation --------------------------------- */

struct metrics_batch {
	struct ctx *ctx;
	struct history shared;
};

struct metrics_batch *metrics_batch_new(struct ctx *ctx)
{
	struct metrics_batch *b = arena_alloc(ctx->arena, sizeof *b);
	memset(b, 0, sizeof *b);
	b->ctx = ctx;
	b->shared.arena = ctx->arena; /* the history outlives each call's arena */
	return b;
}

int metrics_batch_dora(struct metrics_batch *b, const struct metrics_query *q,
                       struct dora_summary *out, bool *stored, struct error *err)
{
	if (!b->ctx->op || !b->ctx->op_in_tx || b->ctx->op->audit != OPA_WRITE)
		BUG("metrics_batch_dora outside a write operation");
	return dora_compute(b->ctx, q, &b->shared, out, stored, err);
}

int metrics_batch_show(struct metrics_batch *b, const struct metrics_query *q,
                       struct metrics_report *out, bool *stored, struct error *err)
{
	if (!b->ctx->op || !b->ctx->op_in_tx || b->ctx->op->audit != OPA_WRITE)
		BUG("metrics_batch_show outside a write operation");
	struct show_args s = {q, out, &b->shared};
	int rc = show_body(b->ctx, &s, err);
	if (rc < 0)
		return rc;
	*stored = rc == 0;
	return 0;
}

/* ---- explain --------------------------------------------------------------------------- */

struct explain_args {
	int64_t id;
	struct metrics_explanation *out;
};

static int explain_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct explain_args *e = arg;
	struct metrics_explanation *x = e->out;
	struct arena *a = ctx->arena;
	memset(x, 0, sizeof *x);
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT v.def_id, v.scope, v.scope_id, v.grain, v.period_start, "
	        "v.period_end, v.value, v.n, v.statistic, v.detail, v.computed_at, "
	        "v.superseded_at, COALESCE(t.name, s.name, pe.employee_id, 'org'), v.normalize "
	        "FROM metric_values v "
	        "LEFT JOIN teams t ON v.scope = 'team' AND t.id = v.scope_id "
	        "LEFT JOIN services s ON v.scope = 'service' AND s.id = v.scope_id "
	        "LEFT JOIN people pe ON v.scope = 'individual' AND pe.id = v.scope_id "
	        "WHERE v.id = ?",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, e->id);
	rc = stmt_step(st, err);
	int64_t def_id = 0, scope_id = 0;
	if (rc == STORE_ROW) {
		def_id = stmt_int(st, 0);
		scope_id = stmt_int(st, 2);
		x->scope = stmt_text_dup(st, 1, a);
		x->grain = stmt_text_dup(st, 3, a);
		x->value = (struct metrics_point){
		        .value_id = e->id,
		        .start = stmt_int(st, 4),
		        .end = stmt_int(st, 5),
		        .value = stmt_is_null(st, 6) ? NAN : stmt_double(st, 6),
		        .n = stmt_int(st, 7),
		        .statistic = stmt_text_dup(st, 8, a),
		        .detail = stmt_text_dup(st, 9, a),
		};
		x->computed_at = stmt_int(st, 10);
		x->superseded_at = stmt_is_null(st, 11) ? 0 : stmt_int(st, 11);
		x->scope_name = stmt_text_dup(st, 12, a);
		x->normalize = stmt_text_dup(st, 13, a);
	}
	stmt_reset(st);
	/* A value about one person is that person's record; refused, it is
	 * named by its id, not by whom it is about (found in review: any
	 * employee could list who each value was about).  An unknown id is
	 * refused alike to whoever does not see everyone, as explain score:
	 * refuses an unknown person (authz_unknown_person), so the answer does
	 * not tell which ids hold someone's value. */
	const char *what = arena_printf(a, "metric value %lld", (long long)e->id);
	if (rc == STORE_DONE) {
		if ((rc = authz_require_record(ctx, 0, what, err)) < 0)
			return rc;
		err_set(err, ERR_NOT_FOUND, "no metric value %lld", (long long)e->id);
		err_hint(err, "ids are shown by 'plumb metrics show' and 'plumb dora'");
		return ERR_NOT_FOUND;
	}
	if (rc == STORE_ROW && !strcmp(x->scope, "individual") &&
	    (rc = authz_require_record(ctx, scope_id, what, err)) < 0)
		return rc;
	if (rc < 0 || (rc = catalog_def_by_id(ctx, def_id, a, &x->def, err)) < 0)
		return rc;
	x->inputs_from = formula_is_slo(x->def.formula) ? "sli_samples" : "events";
	/* The value keeps the version it was computed with; which one is
	 * computed now, if any, is told beside it (a value of a version since
	 * narrowed or retired is not what the key means now). */
	struct metric_def in_use;
	struct error why = {0};
	rc = catalog_active(ctx, x->def.key, a, &in_use, &why);
	if (rc == 0) {
		x->version_in_use = in_use.version;
	} else if (rc != ERR_CONFLICT) {
		*err = why;
		return rc;
	}
	rc = 0;
	if (!strcmp(x->scope, "individual") &&
	    (rc = require_sources(ctx, &x->def, scope_id, what, err)) == ERR_DENIED) {
		/* Refused for a source its owner does not share, the value reads
		 * as one outside the reader's scope and as an id that holds none:
		 * naming the sources said it existed and what it counted (found in
		 * fix-govern3).  Only readers who see everyone are told apart,
		 * and every source is theirs to read. */
		struct error by_source = *err;
		err_clear(err);
		if ((rc = authz_require_record(ctx, 0, what, err)) == 0) {
			*err = by_source;
			rc = ERR_DENIED;
		}
	}
	if (rc < 0)
		return rc;
	/* A value withheld from an analyst is explained without its inputs. */
	if ((rc = mask_point(ctx, x->scope, scope_id, &x->value, err)) < 0 || x->value.suppressed)
		return rc;
	bool masked = mask_people(ctx), all = false;
	struct hmap visible;
	hmap_init(&visible);
	struct sourceacl *acl = NULL;
	if (!masked && (rc = authz_visible_people(ctx, &all, &visible, err)) == 0)
		rc = sourceacl_load(ctx, &acl, err);
	if (rc < 0) {
		hmap_release(&visible);
		return rc;
	}
	/* Each record as it was when the value was computed: a version replaced
	 * since (superseded after computed_at) is read from event_versions, with
	 * the raw payload it came from (found in review: explain cited the
	 * newest payload, which the value never saw).  A deployment's first
	 * success is that of the versions up to that one: a later version's
	 * success was not there to count (found hunting: a deployment's finish
	 * edited upstream, then edited again, and explain gave the value's
	 * deployment the second version's finish); not one whose finish was
	 * implied, as first_successes. */
	rc = store_prepare(
	        ctx->store,
	        "SELECT l.role, e.id, e.kind, src.name, e.external_id, "
	        "CASE WHEN v.event_id IS NULL THEN e.url ELSE v.url END, "
	        "CASE WHEN v.event_id IS NULL THEN e.title ELSE v.title END, "
	        "CASE WHEN v.event_id IS NULL THEN e.occurred_at ELSE v.occurred_at END, "
	        "CASE WHEN v.event_id IS NULL THEN e.ended_at ELSE v.ended_at END, "
	        "l.from_sha, l.to_sha, l.commits, r.id, r.origin, r.sha256, "
	        "CASE WHEN v.event_id IS NULL THEN e.status ELSE v.status END, "
	        "CASE WHEN v.event_id IS NULL THEN e.attrs ELSE v.attrs END, "
	        "CASE WHEN e.kind = 'deployment' THEN (SELECT MIN(w.ended_at) "
	        "FROM event_versions w WHERE w.event_id = e.id AND w.status = 'success' "
	        "AND w.version <= COALESCE(v.version, e.version) AND (w.attrs IS NULL OR "
	        "w.attrs NOT LIKE '%\"finish_implied\":true%')) END, "
	        "COALESCE(v.version, e.version), e.version, l.started_at, l.done_at, "
	        "CASE WHEN v.event_id IS NULL THEN e.person_id ELSE v.person_id END, "
	        "e.source_id, e.is_bot = 0 AND (e.account IS NOT NULL OR "
	        "e.account_email IS NOT NULL), r.encoding "
	        "FROM metric_lineage l "
	        "JOIN events e ON e.id = l.event_id "
	        "JOIN sources src ON src.id = e.source_id "
	        "LEFT JOIN event_versions v ON v.event_id = e.id AND v.version = (SELECT "
	        "MIN(u.version) FROM event_versions u WHERE u.event_id = e.id "
	        "AND u.superseded_at > ?2) "
	        "JOIN raw_payloads r ON r.id = "
	        "CASE WHEN v.event_id IS NULL THEN e.raw_id ELSE v.raw_id END "
	        "WHERE l.value_id = ?1 ORDER BY e.occurred_at, e.id, l.role",
	        &st, err);
	if (rc < 0) {
		hmap_release(&visible);
		return rc;
	}
	stmt_bind_int(st, 2, x->computed_at);
	stmt_bind_int(st, 1, e->id);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		x->inputs = arena_grow(a, x->inputs, x->ninputs, &alloc, sizeof *x->inputs);
		struct metrics_input *in = &x->inputs[x->ninputs++];
		in->role = stmt_text_dup(st, 0, a);
		in->event_id = stmt_int(st, 1);
		in->kind = stmt_text_dup(st, 2, a);
		in->source = stmt_text_dup(st, 3, a);
		in->external_id = stmt_text_dup(st, 4, a);
		/* Titles are people's words, and urls lead to their names: not
		 * for an analyst, nor for a record whose person the actor may not
		 * see, as events list (found in review: an employee read other
		 * people's titles through a team's value). */
		bool shown = !masked && (stmt_is_null(st, 22)
		                                 ? all || stmt_int(st, 24) == 0
		                                 : person_shown(stmt_int(st, 22), stmt_int(st, 23),
		                                                all, &visible, acl));
		in->url = shown ? stmt_text_dup(st, 5, a) : NULL;
		in->title = shown ? stmt_text_dup(st, 6, a) : NULL;
		in->occurred_at = stmt_int(st, 7);
		in->ended_at = stmt_is_null(st, 8) ? 0 : stmt_int(st, 8);
		/* A deployment ended when the DORA keys count it: at its first success. */
		int64_t was = stmt_int(st, 17), finished;
		if (!strcmp(in->kind, "deployment") &&
		    deploy_finish(stmt_text(st, 15), !stmt_is_null(st, 8), stmt_int(st, 8),
		                  stmt_text(st, 16), stmt_is_null(st, 17) ? NULL : &was, a,
		                  &finished))
			in->ended_at = finished;
		in->from_sha = stmt_text_dup(st, 9, a);
		in->to_sha = stmt_text_dup(st, 10, a);
		in->commits = stmt_is_null(st, 11) ? -1 : stmt_int(st, 11);
		in->started_at = stmt_is_null(st, 20) ? 0 : stmt_int(st, 20);
		in->done_at = stmt_is_null(st, 21) ? 0 : stmt_int(st, 21);
		in->raw_id = stmt_int(st, 12);
		in->raw_origin = stmt_text_dup(st, 13, a);
		in->raw_sha256 = stmt_text_dup(st, 14, a);
		/* Retention emptied it (encoding 'deleted', its SHA-256 kept): said,
		 * not cited as if it could still be read and checked. */
		in->raw_deleted = !stmt_is_null(st, 25) && !strcmp(stmt_text(st, 25), "deleted");
		in->version = stmt_int(st, 18);
		in->current_version = stmt_int(st, 19);
	}
	stmt_reset(st);
	hmap_release(&visible);
	return rc < 0 ? rc : 0;
}

int metrics_explain(struct ctx *ctx, int64_t value_id, struct metrics_explanation *out,
                    struct error *err)
{
	struct explain_args a = {value_id, out};
	return ctx_run(ctx, OP_METRIC_EXPLAIN, explain_body, &a, err);
}

/* ---- settings --------------------------------------------------------------------------- */

struct settings_args {
	struct metrics_setting **out;
	size_t *n;
};

static int settings_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct settings_args *s = arg;
	struct settings set;
	int rc = settings_load(ctx, &set, err);
	if (rc < 0)
		return rc;
	size_t alloc = 0;
	*s->n = 0;
	for (size_t i = 0; i < NSETTINGS; i++) {
		*s->out = arena_grow(ctx->arena, *s->out, *s->n, &alloc, sizeof **s->out);
		(*s->out)[(*s->n)++] =
		        (struct metrics_setting){"org", "org", setting_defs[i].key,
		                                 setting(&set, setting_defs[i].key, NULL, 0),
		                                 setting_is_default(&set, setting_defs[i].key)};
	}
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "SELECT m.scope, COALESCE(t.name, s.name), m.key, m.value "
	                   "FROM metric_settings m "
	                   "LEFT JOIN teams t ON m.scope = 'team' AND t.id = m.scope_id "
	                   "LEFT JOIN services s ON m.scope = 'service' AND s.id = m.scope_id "
	                   "WHERE m.scope <> 'org' ORDER BY m.scope, 2, m.key",
	                   &st, err);
	if (rc < 0)
		return rc;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*s->out = arena_grow(ctx->arena, *s->out, *s->n, &alloc, sizeof **s->out);
		(*s->out)[(*s->n)++] = (struct metrics_setting){
		        stmt_text_dup(st, 0, ctx->arena), stmt_text_dup(st, 1, ctx->arena),
		        stmt_text_dup(st, 2, ctx->arena), stmt_text_dup(st, 3, ctx->arena), false};
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int metrics_settings(struct ctx *ctx, struct metrics_setting **out, size_t *n, struct error *err)
{
	*out = NULL;
	struct settings_args a = {out, n};
	return ctx_run(ctx, OP_METRIC_SETTINGS, settings_body, &a, err);
}

struct set_args {
	const char *key, *value, *team, *service;
	bool *unchanged;
};

static const struct setting_def *setting_def_find(const char *key)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (!strcmp(setting_defs[i].key, key))
			return &setting_defs[i];
	return NULL;
}

const char *metrics_setting_key(size_t i)
{
	return i < NSETTINGS ? setting_defs[i].key : NULL;
}

bool metrics_setting_is_list(const char *key)
{
	const struct setting_def *d = setting_def_find(key);
	return d && d->kind == SETTING_LIST;
}

/* Digits, then optionally '.' and digits (whole: digits only).  No sign,
 * spaces, exponent, hex, inf or nan, all of which strtod would take. */
static bool plain_decimal(const char *v, bool whole)
{
	const char *c = v;
	while (*c >= '0' && *c <= '9')
		c++;
	if (c == v)
		return false;
	if (*c == '.' && !whole) {
		const char *frac = ++c;
		while (*c >= '0' && *c <= '9')
			c++;
		if (c == frac)
			return false;
	}
	return *c == '\0';
}

/* Every entry of comma list v, spaces around it trimmed (as list_has_ci
 * reads it), is non-empty, and there is at least one. */
static bool list_entries_ok(const char *v)
{
	for (const char *p = v;; p++) {
		const char *e = p;
		while (*e == ' ')
			e++;
		if (*e == ',' || *e == '\0')
			return false;
		p = strchr(e, ',');
		if (!p)
			return true;
	}
}

int metrics_setting_check(const char *key, const char *what, const char *value, struct error *err)
{
	const struct setting_def *d = setting_def_find(key);
	if (!d)
		return err_set(err, ERR_INVALID, "no metric setting '%s'", key);
	switch (d->kind) {
	case SETTING_ZONE: {
		struct tz *z;
		int rc = tz_load(value, &z, err);
		if (rc == 0)
			tz_free(z);
		return rc;
	}
	case SETTING_NUMBER:
	case SETTING_WHOLE: {
		bool whole = d->kind == SETTING_WHOLE;
		double v = plain_decimal(value, whole) ? strtod(value, NULL) : -1;
		if (v < 0 || v > 10000)
			return err_set(err, ERR_INVALID, "%s must be %s from 0 to 10000, not '%s'",
			               what, whole ? "a whole number" : "a number", value);
		return 0;
	}
	case SETTING_LIST:
		if (!list_entries_ok(value))
			return err_set(err, ERR_INVALID,
			               "%s must name at least one entry, and none empty, not '%s'",
			               what, value);
		return 0;
	}
	return 0;
}

static int set_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct set_args *s = arg;
	const struct setting_def *d = setting_def_find(s->key);
	if (!d) {
		struct sb names = SB_INIT;
		for (size_t i = 0; i < NSETTINGS; i++)
			sb_printf(&names, "%s%s", i ? ", " : "", setting_defs[i].key);
		err_set(err, ERR_INVALID, "no metric setting '%s'; the settings are: %s", s->key,
		        names.buf);
		sb_release(&names);
		return ERR_INVALID;
	}
	const char *scope = s->team ? "team" : s->service ? "service" : "org";
	if (!catalog_list_has(d->scopes, scope))
		return err_set(err, ERR_INVALID, "%s is set for %s, not per %s", d->key,
		               !strcmp(d->scopes, "org")        ? "the whole org"
		               : !strcmp(d->scopes, "org,team") ? "the org or a team"
		                                                : "the org or a service",
		               scope);
	int rc = metrics_setting_check(d->key, d->key, s->value, err);
	if (rc < 0)
		return rc;
	/* A number in one spelling: 010 and 10 are one value, and a new
	 * spelling of it would make every stored value stale (found hunting). */
	const char *value = s->value;
	if (d->kind == SETTING_NUMBER || d->kind == SETTING_WHOLE)
		value = arena_printf(ctx->arena, "%.15g", strtod(s->value, NULL));
	struct metrics_query q = {.team = s->team, .service = s->service};
	struct scope sc;
	rc = scope_resolve(ctx, &q, &sc, NULL, NULL, err);
	hmap_release(&sc.teams);
	if (rc < 0)
		return rc;
	/* One upsert that writes only a new value: the value it has already is
	 * no change, and written and audited it would make every stored value
	 * stale (found in session 39's metrics hunt). */
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "INSERT INTO metric_settings (scope, scope_id, key, value, updated_at) "
	                   "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (scope, scope_id, key) DO "
	                   "UPDATE SET value = excluded.value, updated_at = excluded.updated_at "
	                   "WHERE metric_settings.value <> excluded.value RETURNING 1",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, scope);
	stmt_bind_int(st, 2, sc.id);
	stmt_bind_text(st, 3, s->key);
	stmt_bind_text(st, 4, value);
	stmt_bind_int(st, 5, ts_clock_ms());
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (rc != STORE_ROW) {
		*s->unchanged = true;
		return CTX_ROLLBACK;
	}
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "scope", scope);
	jw_kstr(&w, "scope_name", sc.name);
	jw_kstr(&w, "value", value);
	jw_object_end(&w);
	rc = audit_append(ctx, "metric.set", "metric_setting", s->key, detail.buf, err);
	sb_release(&detail);
	return rc;
}

int metrics_set(struct ctx *ctx, const char *key, const char *value, const char *team,
                const char *service, bool *unchanged, struct error *err)
{
	*unchanged = false;
	struct set_args a = {key, value, team, service, unchanged};
	return ctx_run(ctx, OP_METRIC_SET, set_body, &a, err);
}
