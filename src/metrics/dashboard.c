/* dashboard: the four keys by team, SLO status and data freshness (see dashboard.h).
 * The refresh computes through the metrics service's batch (metrics.h); the
 * show reads metric_values, slo status and sync status without computing. */
#include "metrics/dashboard.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/tz.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/mask.h"
#include "ingest/sync.h"
#include "metrics/catalog.h"
#include "metrics/dora.h"
#include "metrics/metrics.h"
#include "metrics/slo.h"
#include "store/store.h"

#define DAY_MS    86400000LL
#define HOUR_MS   3600000.0
#define WINDOW_MS (DASHBOARD_WINDOW_DAYS * DAY_MS)
/* 90 local days are 90 * 24 h give or take the daylight saving shifts
 * between their ends (at most 2 h in any zone). */
#define WINDOW_SLACK_MS (3 * 3600000LL)
/* How far a team's window may start or end before or after the org's: each
 * is cut at local midnights in its own zone. To a --to date those lie as
 * far apart as the zones' clocks, up to 26 hours (UTC-12 to UTC+14); by
 * default each ends at the end of its own today, under 24 hours apart. And
 * 90 local days hold summer-time shifts of their own (WINDOW_SLACK_MS). */
#define ZONE_SPREAD_MS (26 * 3600000LL + WINDOW_SLACK_MS)

#define ID_LIST_MAX 2000 /* bytes of team names in the audit entry's object id */

const char *const dashboard_keys[DASHBOARD_NKEYS] = {"deployment_frequency", "lead_time",
                                                     "change_failure_rate", "recovery_time"};

/* ---- teams --------------------------------------------------------------------- */

struct team_row {
	int64_t id, parent_id;
	const char *name, *kind, *parent;
	int depth;
	bool picked;
};

struct team_set {
	struct team_row *v; /* in tree order */
	size_t n;
	/* team id (decimal) and name -> index into v; in ctx->arena, released
	 * with it */
	struct hmap *by_id, *by_name;
};

static void map_release(void *map)
{
	hmap_release(map);
}

/* A map in the arena, released when it is destroyed. */
static struct hmap *map_new(struct arena *a)
{
	struct hmap *map = arena_alloc(a, sizeof *map);
	hmap_init(map);
	arena_on_destroy(a, map_release, map);
	return map;
}

/* Depth first from the roots, each node's children in row (name) order:
 * first_child and next_sibling link the rows.  Iterative, so a deep tree
 * costs no stack; each row has one parent, so each is visited once. */
static void tree_walk(const struct team_row *rows, size_t n, const bool *root,
                      const size_t *first_child, const size_t *next_sibling, size_t *stack,
                      struct team_set *out)
{
	for (size_t r = 0; r < n; r++) {
		if (!root[r])
			continue;
		size_t depth = 0;
		stack[depth] = r;
		for (;;) {
			size_t i = stack[depth];
			out->v[out->n] = rows[i];
			out->v[out->n++].depth = (int)depth;
			if (first_child[i] != SIZE_MAX) {
				stack[++depth] = first_child[i];
				continue;
			}
			/* No children: on to the next sibling of the nearest node
			 * that has one. */
			while (next_sibling[stack[depth]] == SIZE_MAX && depth > 0)
				depth--;
			if (depth == 0)
				break;
			stack[depth] = next_sibling[stack[depth]];
		}
	}
}

/* Current teams (not ended at `at`) in tree order, children by name. */
static int teams_load(struct ctx *ctx, int64_t at, struct team_set *out, struct error *err)
{
	struct arena *a = ctx->arena;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT t.id, t.name, t.kind, t.parent_id, p.name FROM teams t "
	                       "LEFT JOIN teams p ON p.id = t.parent_id "
	                       "WHERE t.ended_at IS NULL OR t.ended_at > ?1 ORDER BY t.name",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, at);
	struct team_row *rows = NULL;
	size_t n = 0, alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		rows = arena_grow(a, rows, n, &alloc, sizeof *rows);
		struct team_row *r = &rows[n++];
		memset(r, 0, sizeof *r);
		r->id = stmt_int(st, 0);
		r->name = stmt_text_dup(st, 1, a);
		r->kind = stmt_text_dup(st, 2, a);
		r->parent_id = stmt_is_null(st, 3) ? 0 : stmt_int(st, 3);
		r->parent = stmt_text_dup(st, 4, a);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	size_t count = n ? n : 1;
	out->by_id = map_new(a);
	out->by_name = map_new(a);
	out->v = arena_array(a, count, sizeof *out->v);
	out->n = 0;
	char key[HMAP_ID_KEY_SIZE];
	for (size_t i = 0; i < n; i++) {
		hmap_id_key(key, rows[i].id);
		hmap_put(out->by_id, key, (int64_t)i);
	}
	/* Roots: no parent, or a parent that is no longer current.  The others
	 * are linked under their parent; prepending in reverse row order leaves
	 * each node's children in row order, by name. */
	bool *root = arena_array(a, count, sizeof *root);
	size_t *first_child = arena_array(a, count, sizeof *first_child);
	size_t *next_sibling = arena_array(a, count, sizeof *next_sibling);
	for (size_t i = 0; i < n; i++)
		first_child[i] = next_sibling[i] = SIZE_MAX;
	for (size_t i = n; i-- > 0;) {
		int64_t parent;
		hmap_id_key(key, rows[i].parent_id);
		root[i] = !rows[i].parent_id || !hmap_get(out->by_id, key, &parent);
		if (!root[i]) {
			next_sibling[i] = first_child[parent];
			first_child[parent] = i;
		}
	}
	tree_walk(rows, n, root, first_child, next_sibling, arena_array(a, count, sizeof(size_t)),
	          out);
	/* The maps name positions in tree order from here on. */
	hmap_release(out->by_id);
	hmap_init(out->by_id);
	for (size_t i = 0; i < out->n; i++) {
		hmap_id_key(key, out->v[i].id);
		hmap_put(out->by_id, key, (int64_t)i);
		hmap_put(out->by_name, out->v[i].name, (int64_t)i);
	}
	return 0;
}

static struct team_row *team_find(struct team_set *t, const char *name)
{
	int64_t i;
	return hmap_get(t->by_name, name, &i) ? &t->v[i] : NULL;
}

static struct team_row *team_by_id(struct team_set *t, int64_t id)
{
	char key[HMAP_ID_KEY_SIZE];
	int64_t i;
	hmap_id_key(key, id);
	return hmap_get(t->by_id, key, &i) ? &t->v[i] : NULL;
}

static int team_missing(const char *name, struct error *err)
{
	err_set(err, ERR_NOT_FOUND, "no team '%s'", name);
	err_hint(err, "'plumb org tree' lists the teams");
	return ERR_NOT_FOUND;
}

/* Mark the teams that owned any of the services at some time in [from, to],
 * and every team above them then: events count for the team that owned
 * their service when they happened, and for the teams it sat under at that
 * time (team_parents), so after an owner change or a move in the window
 * both the old and the new teams' values can move. */
static int pick_owners(struct ctx *ctx, struct team_set *t, const int64_t *ids, size_t n,
                       int64_t from, int64_t to, struct error *err)
{
	struct arena *a = ctx->arena;
	struct store_stmt *st;
	/* The parent rows of the window, linked per team: a team's first row
	 * in parents_of (team id -> row), the next in up[].next. */
	struct {
		int64_t parent;
		size_t next;
	} *up = NULL;
	size_t nup = 0, alloc = 0;
	struct hmap *parents_of = map_new(a);
	int rc = store_prepare(ctx->store,
	                       "SELECT team_id, parent_id FROM team_parents WHERE "
	                       "(valid_from IS NULL OR valid_from <= ?2) AND "
	                       "(valid_to IS NULL OR valid_to > ?1)",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, from);
	stmt_bind_int(st, 2, to);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		char key[HMAP_ID_KEY_SIZE];
		int64_t first;
		up = arena_grow(a, up, nup, &alloc, sizeof *up);
		hmap_id_key(key, stmt_int(st, 0));
		up[nup].parent = stmt_int(st, 1);
		up[nup].next = hmap_get(parents_of, key, &first) ? (size_t)first : SIZE_MAX;
		hmap_put(parents_of, key, (int64_t)nup++);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	/* The teams to walk up from; each is marked once, so a history whose
	 * tree looped for a while cannot loop here. */
	int64_t *todo = arena_array(a, t->n + 1, sizeof *todo);
	rc = store_prepare(ctx->store,
	                   "SELECT o.team_id FROM service_owners o WHERE o.service_id = ?1 "
	                   "AND o.valid_from <= ?3 AND (o.valid_to IS NULL OR o.valid_to > ?2)",
	                   &st, err);
	for (size_t i = 0; i < n && rc >= 0; i++) {
		stmt_bind_int(st, 1, ids[i]);
		stmt_bind_int(st, 2, from);
		stmt_bind_int(st, 3, to);
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			struct team_row *r = team_by_id(t, stmt_int(st, 0));
			if (!r || r->picked)
				continue;
			size_t ntodo = 0;
			r->picked = true;
			todo[ntodo++] = r->id;
			while (ntodo) {
				char key[HMAP_ID_KEY_SIZE];
				int64_t first;
				hmap_id_key(key, todo[--ntodo]);
				if (!hmap_get(parents_of, key, &first))
					continue;
				for (size_t j = (size_t)first; j != SIZE_MAX; j = up[j].next) {
					struct team_row *p = team_by_id(t, up[j].parent);
					if (p && !p->picked) {
						p->picked = true;
						todo[ntodo++] = p->id;
					}
				}
			}
		}
		stmt_reset(st);
	}
	return rc < 0 ? rc : 0;
}

/* ---- dashboard.refresh ------------------------------------------------------------- */

struct refresh_args {
	const struct dashboard_refresh_opts *o;
	struct dashboard_refresh_result *out;
	int64_t now; /* read once: a retried transaction asks for the same windows */
};

/* A team's window to a --to must end by the end of today in the team's own
 * zone: a later one the dashboard could never show (dashboard.show). */
static int refresh_not_to_come(struct ctx *ctx, const char *team, int64_t now, int64_t to,
                               struct error *err)
{
	struct metrics_query today = {.now = now, .team = team};
	int64_t from, end_of_today;
	const char *zone;
	int rc = metrics_period_tx(ctx, &today, &from, &end_of_today, &zone, err);
	if (rc < 0 || to <= end_of_today)
		return rc;
	char t1[TS_BUF], t2[TS_BUF];
	err_set(err, ERR_USAGE, "--to is in the future for team %s", team);
	err_detail(err, "its window ends %s, after the end of its today, %s (%s)",
	           ts_format(to, t1), ts_format(end_of_today, t2), zone);
	err_hint(err, "give a date up to today in that team's zone, or leave --to out");
	return ERR_USAGE;
}

/* What a refresh keeps of one team's computation: the rest is in the
 * team's scratch arena (refresh_team_scratch). */
struct team_refresh {
	bool stored;                       /* a value was stored, not all served */
	bool computed[DASHBOARD_NKEYS];    /* false: the key is retired */
	int64_t value_id[DASHBOARD_NKEYS]; /* the window's value of each computed key */
};

/* The four keys of team over the refresh's window and their weekly trends,
 * through the batch; *out says what was stored. */
static int refresh_team(struct ctx *ctx, struct metrics_batch *b, const struct refresh_args *ra,
                        const struct metrics_query *window, const char *team_name,
                        struct team_refresh *out, struct error *err)
{
	const struct dashboard_refresh_opts *o = ra->o;
	memset(out, 0, sizeof *out);
	struct metrics_query q = *window;
	q.team = team_name;
	struct dora_summary d = {0};
	bool stored = false, any;
	int rc = metrics_batch_dora(b, &q, &d, &any, err);
	stored |= any;
	/* A window ending after now holds today, whose week still runs:
	 * by default, or a --to of tomorrow's date. */
	if (rc == 0 && o->to && d.keys[0].to > ra->now)
		rc = refresh_not_to_come(ctx, team_name, ra->now, d.keys[0].to, err);
	/* The trend's weeks end where the week of the window's last day
	 * starts, or at a --to that starts a week of a window all past;
	 * they start 12 local weeks before, found from the middle of that
	 * Monday as dashboard.show finds them: 12 weeks across a change of
	 * summer time are an hour more or less than 12 times 7 days
	 * (found hunting: on a Sunday, a team in Los Angeles got 11 weeks
	 * after November's change, which the dashboard did not show). */
	int64_t trend_to = rc == 0 ? d.keys[0].to - (o->to && d.keys[0].to <= ra->now ? 0 : 1) : 0;
	int64_t trend_from = 0;
	struct tz *z = NULL;
	if (rc == 0 && (rc = tz_load(d.keys[0].time_zone, &z, err)) == 0) {
		trend_to = tz_week_start(z, trend_to);
		trend_from = tz_week_start(z, trend_to - DASHBOARD_TREND_WEEKS * 7 * DAY_MS +
		                                      12 * 3600000LL);
		tz_free(z);
	}
	for (int k = 0; k < DASHBOARD_NKEYS && rc == 0; k++) {
		if (!d.computed[k])
			continue; /* retired: no trend either */
		struct metrics_query tq = {.key = dashboard_keys[k],
		                           .team = team_name,
		                           .from = trend_from,
		                           .to = trend_to,
		                           .has_from = true,
		                           .has_to = true,
		                           .by = "week",
		                           .align = true};
		struct metrics_report m = {0};
		rc = metrics_batch_show(b, &tq, &m, &any, err);
		stored |= any;
	}
	if (rc < 0)
		return rc;
	out->stored = stored;
	for (int k = 0; k < DASHBOARD_NKEYS; k++) {
		out->computed[k] = d.computed[k];
		out->value_id[k] = d.computed[k] ? d.keys[k].overall.value_id : 0;
	}
	return 0;
}

/* refresh_team with ctx->arena a scratch arena of the team's, destroyed
 * after: each team's reads and results (definitions, scope tree, items,
 * lineage, details, about 95 KB a team) were kept until the refresh ended,
 * 1.07 GB at 10,000 teams (docs/PERFORMANCE.md).  The batch keeps what it
 * shares across teams in its own arena, ctx->arena as it was when it was
 * made (metrics.h); *out holds no pointer into the scratch arena. */
static int refresh_team_scratch(struct ctx *ctx, struct metrics_batch *b,
                                const struct refresh_args *ra, const struct metrics_query *window,
                                const char *team_name, struct team_refresh *out, struct error *err)
{
	struct arena *keep = ctx->arena;
	ctx->arena = arena_create();
	int rc = refresh_team(ctx, b, ra, window, team_name, out, err);
	arena_destroy(ctx->arena);
	ctx->arena = keep;
	return rc;
}

static int refresh_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct refresh_args *ra = arg;
	const struct dashboard_refresh_opts *o = ra->o;
	struct dashboard_refresh_result *res = ra->out;
	memset(res, 0, sizeof *res);
	/* Each team's window is `plumb dora --team T`'s default (or its window
	 * to o->to), whole days in the team's time zone, all from one clock
	 * reading; res names the org's. */
	struct metrics_query window = {
	        .to = o->to, .has_to = o->to != 0, .to_date = o->to_date, .now = ra->now};
	const char *zone;
	int rc = metrics_period_tx(ctx, &window, &res->from, &res->to, &zone, err);
	if (rc < 0)
		return rc;
	struct team_set t;
	if ((rc = teams_load(ctx, o->to ? res->to : ra->now, &t, err)) < 0)
		return rc;
	bool all = o->nteams == 0 && o->nservices == 0;
	for (size_t i = 0; i < o->nteams; i++) {
		struct team_row *r = team_find(&t, o->teams[i]);
		if (!r)
			return team_missing(o->teams[i], err);
		r->picked = true;
	}
	/* Owners over the org's window widened by the zones' spread: a team whose
	 * own window holds a moment it owned the service is refreshed (found
	 * hunting: a team 14 hours ahead kept its value after a late delivery
	 * from its first hours); one picked for nothing only costs work. */
	if ((rc = pick_owners(ctx, &t, o->service_ids, o->nservices, res->from - ZONE_SPREAD_MS,
	                      res->to + ZONE_SPREAD_MS, err)) < 0)
		return rc;
	res->teams = arena_array(ctx->arena, t.n ? t.n : 1, sizeof *res->teams);

	struct sb detail = SB_INIT, ids = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_key(&w, "from");
	jw_time(&w, res->from, true);
	jw_key(&w, "to");
	jw_time(&w, res->to, true);
	jw_key(&w, "teams");
	jw_object_begin(&w);
	struct metrics_batch *b = metrics_batch_new(ctx);
	for (size_t i = 0; i < t.n && rc == 0; i++) {
		const struct team_row *team = &t.v[i];
		if (!all && !team->picked)
			continue;
		struct team_refresh tr;
		rc = refresh_team_scratch(ctx, b, ra, &window, team->name, &tr, err);
		if (rc < 0)
			break;
		res->teams[res->nteams++] = team->name;
		if (tr.stored) {
			res->computed++;
			jw_key(&w, team->name);
			jw_object_begin(&w);
			for (int k = 0; k < DASHBOARD_NKEYS; k++) {
				jw_key(&w, dashboard_keys[k]);
				if (tr.computed[k])
					jw_int(&w, tr.value_id[k]);
				else
					jw_null(&w);
			}
			jw_object_end(&w);
		}
		if (ids.len < ID_LIST_MAX)
			sb_printf(&ids, "%s%s", ids.len ? "," : "", team->name);
	}
	jw_object_end(&w);
	jw_object_end(&w);
	if (rc == 0 && res->computed)
		rc = audit_append(ctx, "dashboard.refresh", "dashboard", all ? "all" : ids.buf,
		                  detail.buf, err);
	sb_release(&detail);
	sb_release(&ids);
	if (rc < 0)
		return rc;
	return res->computed ? 0 : CTX_ROLLBACK;
}

int dashboard_refresh(struct ctx *ctx, const struct dashboard_refresh_opts *o,
                      struct dashboard_refresh_result *out, struct error *err)
{
	if (o->nteams > DASHBOARD_REFRESH_MAX || o->nservices > DASHBOARD_REFRESH_MAX)
		return err_set(err, ERR_TOO_BIG, "at most %d teams and %d services a refresh",
		               DASHBOARD_REFRESH_MAX, DASHBOARD_REFRESH_MAX);
	struct refresh_args a = {o, out, ts_now_ms()};
	int rc = ctx_run(ctx, OP_DASHBOARD_REFRESH, refresh_body, &a, err);
	return rc == CTX_ROLLBACK ? 0 : rc;
}

/* ---- dashboard.show ------------------------------------------------------------------ */

static const char *band_of(struct arena *a, const char *key, double value, const char *detail,
                           const char **bucket)
{
	*bucket = NULL;
	if (!strcmp(key, "deployment_frequency")) {
		cJSON *j = cJSON_Parse(detail);
		const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "bucket");
		if (cJSON_IsString(b))
			*bucket = arena_strdup(a, b->valuestring);
		cJSON_Delete(j);
		return dora_band_frequency(*bucket);
	}
	if (isnan(value))
		return NULL;
	if (!strcmp(key, "lead_time"))
		return dora_band_lead_time(value * HOUR_MS);
	if (!strcmp(key, "change_failure_rate"))
		return dora_band_change_failure(value);
	return dora_band_recovery(value * HOUR_MS);
}

/* The definition a key's values are read of: the version computed (a value
 * of an older version is not shown under the new version's name).  A key
 * none of whose versions may be computed (retired) shows no value. */
#define KEY_DEFS "v.def_id IN (SELECT d.id FROM metric_defs d WHERE d.key = ?1 AND d.id = ?3) "

/* Whether [start, end) is a default window of the team's (plumb dora
 * --team T's on the day before end): 90 whole local days in zone z. */
static bool default_window(const struct tz *z, int64_t start, int64_t end)
{
	return end == tz_day_start(z, end) &&
	       start == tz_day_start(z, end - WINDOW_MS + 12 * 3600000LL);
}

/* The key's value over the newest of the team's default windows ending by
 * the end of today (today_end), as the refresh stores it: a value over any
 * other window (another --to, a time zone the team no longer has, a date
 * to come) is not the dashboard's, whoever stored it. */
static int key_value(struct ctx *ctx, int64_t team_id, int64_t def_id, const struct tz *z,
                     int64_t today_end, struct dashboard_key *k, struct error *err)
{
	struct arena *a = ctx->arena;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT v.id, v.period_start, v.period_end, v.value, v.n, v.statistic, v.detail, "
	        "v.computed_at FROM metric_values v WHERE " KEY_DEFS
	        "AND v.scope = 'team' AND v.scope_id = ?2 AND v.grain = 'all' "
	        "AND v.normalize = 'none' AND v.superseded_at IS NULL AND v.period_end <= ?4 "
	        "AND v.period_end - v.period_start BETWEEN ?5 AND ?6 "
	        "ORDER BY v.period_end DESC, v.id DESC",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, k->key);
	stmt_bind_int(st, 2, team_id);
	stmt_bind_int(st, 3, def_id);
	stmt_bind_int(st, 4, today_end);
	stmt_bind_int(st, 5, WINDOW_MS - WINDOW_SLACK_MS);
	stmt_bind_int(st, 6, WINDOW_MS + WINDOW_SLACK_MS);
	const char *detail = NULL;
	while (!k->stored && (rc = stmt_step(st, err)) == STORE_ROW) {
		if (!default_window(z, stmt_int(st, 1), stmt_int(st, 2)))
			continue;
		k->stored = true;
		k->value_id = stmt_int(st, 0);
		k->from = stmt_int(st, 1);
		k->to = stmt_int(st, 2);
		k->value = stmt_is_null(st, 3) ? NAN : stmt_double(st, 3);
		k->n = stmt_int(st, 4);
		k->statistic = stmt_text_dup(st, 5, a);
		detail = stmt_text_dup(st, 6, a);
		k->computed_at = stmt_int(st, 7);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (k->stored)
		k->band = band_of(a, k->key, k->value, detail, &k->bucket);
	else
		k->value = NAN;
	return 0;
}

/* The stored whole weeks of the trend ending at week_end (a week start in
 * z): the DASHBOARD_TREND_WEEKS weeks before it, oldest first, as far as
 * they are stored without a gap from the first; a week stored more than
 * once (another query over it) gives its newest value. */
static int trend_load(struct ctx *ctx, int64_t team_id, int64_t def_id, const struct tz *z,
                      int64_t week_end, struct dashboard_key *k, struct error *err)
{
	struct arena *a = ctx->arena;
	int64_t expect =
	        tz_week_start(z, week_end - DASHBOARD_TREND_WEEKS * 7 * DAY_MS + 12 * 3600000LL);
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT v.id, v.period_start, v.period_end, v.value, v.n "
	        "FROM metric_values v WHERE " KEY_DEFS
	        "AND v.scope = 'team' AND v.scope_id = ?2 AND v.grain = 'week' "
	        "AND v.normalize = 'none' AND v.superseded_at IS NULL AND v.period_start >= ?4 "
	        "AND v.period_end <= ?5 ORDER BY v.period_start, v.id DESC",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, k->key);
	stmt_bind_int(st, 2, team_id);
	stmt_bind_int(st, 3, def_id);
	stmt_bind_int(st, 4, expect);
	stmt_bind_int(st, 5, week_end);
	k->ntrend = 0;
	k->trend = arena_array(a, DASHBOARD_TREND_WEEKS, sizeof *k->trend);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		int64_t start = stmt_int(st, 1), end = stmt_int(st, 2);
		/* Only whole weeks, each where the one before it ends. */
		if (start != expect || end != tz_week_start(z, start + 8 * DAY_MS) ||
		    k->ntrend == DASHBOARD_TREND_WEEKS)
			continue;
		k->trend[k->ntrend++] = (struct dashboard_point){
		        .value_id = stmt_int(st, 0),
		        .start = start,
		        .end = end,
		        .value = stmt_is_null(st, 3) ? NAN : stmt_double(st, 3),
		        .n = stmt_int(st, 4),
		};
		expect = end;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The trend of the value's window [.., to): the refresh's 12 whole weeks
 * before the week holding its last day.  A window given as --to a week's
 * first day has its trend end there instead, which a window that is not
 * today's may be: that series when the first is not stored whole. */
static int key_trend(struct ctx *ctx, int64_t team_id, int64_t def_id, const struct tz *z,
                     int64_t to, int64_t today_end, struct dashboard_key *k, struct error *err)
{
	int64_t first = tz_week_start(z, to - 1), second = tz_week_start(z, to);
	int rc = trend_load(ctx, team_id, def_id, z, first, k, err);
	if (rc < 0 || k->ntrend == DASHBOARD_TREND_WEEKS || to >= today_end || second == first)
		return rc;
	struct dashboard_key other = *k;
	if ((rc = trend_load(ctx, team_id, def_id, z, second, &other, err)) < 0)
		return rc;
	if (other.ntrend > k->ntrend) {
		k->trend = other.trend;
		k->ntrend = other.ntrend;
	}
	return 0;
}

/* Whether a team's aggregate over [from, to) is withheld from the actor,
 * asked once per period: the four keys share their window and weeks. */
static int team_suppressed(struct ctx *ctx, int64_t team_id, int64_t from, int64_t to,
                           struct hmap *memo, const char **reason, struct error *err)
{
	char key[64];
	snprintf(key, sizeof key, "%" PRId64 ":%" PRId64, from, to);
	int64_t seen;
	*reason = NULL;
	if (hmap_get(memo, key, &seen)) {
		*reason = seen ? (const char *)(intptr_t)seen : NULL;
		return 0;
	}
	int rc = mask_aggregate(ctx, "team", team_id, from, to, reason, err);
	if (rc == 0)
		hmap_put(memo, key, (int64_t)(intptr_t)*reason);
	return rc;
}

/* An analyst's view of a team's key (mask.h): small aggregates withheld. */
static int mask_key(struct ctx *ctx, int64_t team_id, struct hmap *memo, struct dashboard_key *k,
                    struct error *err)
{
	int rc = 0;
	if (k->stored)
		rc = team_suppressed(ctx, team_id, k->from, k->to, memo, &k->suppressed, err);
	if (rc == 0 && k->suppressed) {
		k->value = NAN;
		k->n = 0;
		k->band = NULL;
		k->bucket = NULL;
	}
	for (size_t i = 0; rc == 0 && i < k->ntrend; i++) {
		struct dashboard_point *p = &k->trend[i];
		const char *why;
		rc = team_suppressed(ctx, team_id, p->start, p->end, memo, &why, err);
		if (rc == 0 && why) {
			p->suppressed = why;
			p->value = NAN;
			p->n = 0;
		}
	}
	return rc;
}

struct show_args {
	const char *team;
	struct dashboard *out;
};

static int show_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct show_args *sa = arg;
	struct dashboard *d = sa->out;
	struct arena *a = ctx->arena;
	memset(d, 0, sizeof *d);
	/* Business time picks the teams and their windows (PLUMB_NOW pins
	 * it); when this was read, and so the sources' ages, is the system
	 * clock's, as the runs' times are. */
	int64_t as_of = ts_now_ms();
	d->generated_at = ts_clock_ms();
	d->bands_source = DORA_BANDS_SOURCE;
	struct team_set t;
	int rc = teams_load(ctx, as_of, &t, err);
	if (rc < 0)
		return rc;
	if (sa->team) {
		struct team_row *r = team_find(&t, sa->team);
		if (!r)
			return team_missing(sa->team, err);
		t.v = r;
		t.n = 1;
	}
	/* The definitions computed, with their names and units; a key no
	 * version of which may be computed (retired) shows its newest. */
	struct metric_def defs[DASHBOARD_NKEYS];
	bool computable[DASHBOARD_NKEYS];
	for (int k = 0; k < DASHBOARD_NKEYS; k++)
		if ((rc = metrics_key_def_tx(ctx, dashboard_keys[k], a, &defs[k], &computable[k],
		                             err)) < 0)
			return rc;
	d->teams = arena_array(a, t.n ? t.n : 1, sizeof *d->teams);
	bool masked = mask_people(ctx);
	for (size_t i = 0; i < t.n && rc == 0; i++) {
		struct hmap memo;
		hmap_init(&memo);
		struct dashboard_team *dt = &d->teams[d->nteams++];
		dt->id = t.v[i].id;
		dt->name = t.v[i].name;
		dt->kind = t.v[i].kind;
		dt->parent = t.v[i].parent;
		dt->depth = t.v[i].depth;
		/* The team's default window today, in its time zone now. */
		struct metrics_query today = {.team = dt->name, .now = as_of};
		int64_t today_from, today_end;
		const char *zone = NULL;
		struct tz *z = NULL;
		rc = metrics_period_tx(ctx, &today, &today_from, &today_end, &zone, err);
		if (rc == 0)
			rc = tz_load(zone, &z, err);
		for (int k = 0; k < DASHBOARD_NKEYS && rc == 0; k++) {
			struct dashboard_key *key = &dt->keys[k];
			key->key = dashboard_keys[k];
			key->name = defs[k].name;
			key->unit = defs[k].unit;
			key->direction = defs[k].direction;
			key->status = defs[k].status;
			key->computable = computable[k];
			if (!key->computable) {
				key->value = NAN;
				continue;
			}
			rc = key_value(ctx, dt->id, defs[k].id, z, today_end, key, err);
			if (rc == 0)
				rc = key_trend(ctx, dt->id, defs[k].id, z,
				               key->stored ? key->to : today_end, today_end, key,
				               err);
			if (rc == 0 && masked)
				rc = mask_key(ctx, dt->id, &memo, key, err);
			if (rc == 0 && key->stored) {
				if (key->to > d->to) {
					d->to = key->to;
					d->from = key->from;
					d->time_zone = zone;
				}
				if (key->computed_at > d->computed_at)
					d->computed_at = key->computed_at;
			}
		}
		tz_free(z);
		hmap_release(&memo);
	}
	if (rc < 0)
		return rc;

	struct slo_status *slos;
	size_t nslos;
	if ((rc = slo_status_tx(ctx, NULL, &slos, &nslos, err)) < 0)
		return rc;
	d->slos = arena_array(a, nslos ? nslos : 1, sizeof *d->slos);
	for (size_t i = 0; i < nslos; i++) {
		struct dashboard_slo *s = &d->slos[d->nslos++];
		s->name = slos[i].name;
		s->service = slos[i].service;
		s->window = slos[i].window;
		s->target = slos[i].spec->target;
		s->has_data = slos[i].tally.has_data;
		s->attainment = slos[i].attainment;
		s->budget_remaining = slos[i].budget_remaining;
		s->alert = slo_alert_name(slos[i].alert);
		s->alert_reason = slos[i].alert_reason;
	}

	struct sync_status *src;
	size_t nsrc;
	if ((rc = sync_status_tx(ctx, &src, &nsrc, err)) < 0)
		return rc;
	d->sources = arena_array(a, nsrc ? nsrc : 1, sizeof *d->sources);
	for (size_t i = 0; i < nsrc; i++) {
		struct dashboard_source *s = &d->sources[d->nsources++];
		s->source = src[i].source;
		s->kind = src[i].kind;
		s->has_sync = src[i].has_published;
		s->last_sync = src[i].published_at;
		s->age_ms = s->has_sync && d->generated_at > s->last_sync
		                    ? d->generated_at - s->last_sync
		                    : 0;
		s->has_newest = src[i].has_newest;
		s->newest_event = src[i].newest_event;
		s->events = src[i].events;
	}
	return 0;
}

int dashboard_show(struct ctx *ctx, const char *team, struct dashboard *out, struct error *err)
{
	struct show_args a = {team, out};
	return ctx_run(ctx, OP_DASHBOARD_SHOW, show_body, &a, err);
}

/* ---- JSON ---------------------------------------------------------------------------- */

static void number_or_null(struct jw *w, const char *key, double v, bool has)
{
	jw_key(w, key);
	if (has && !isnan(v))
		jw_double(w, v);
	else
		jw_null(w);
}

static void key_json(struct jw *w, const struct dashboard_key *k)
{
	jw_object_begin(w);
	jw_kstr(w, "name", k->name);
	number_or_null(w, "value", k->value, k->stored);
	jw_kstr(w, "unit", k->unit);
	jw_kstr(w, "direction", k->direction);
	jw_kstr(w, "status", k->status);
	jw_kstr(w, "statistic", k->statistic);
	jw_key(w, "n");
	if (k->stored)
		jw_int(w, k->n);
	else
		jw_null(w);
	jw_kstr(w, "band", k->band);
	if (!strcmp(k->key, "deployment_frequency"))
		jw_kstr(w, "bucket", k->bucket);
	jw_key(w, "value_id");
	if (k->stored)
		jw_int(w, k->value_id);
	else
		jw_null(w);
	jw_key(w, "from");
	jw_time(w, k->from, k->stored);
	jw_key(w, "to");
	jw_time(w, k->to, k->stored);
	jw_key(w, "computed_at");
	jw_time(w, k->computed_at, k->stored);
	if (k->suppressed) {
		jw_kbool(w, "suppressed", true);
		jw_kstr(w, "suppressed_reason", k->suppressed);
	}
	jw_key(w, "trend");
	jw_array_begin(w);
	for (size_t i = 0; i < k->ntrend; i++) {
		const struct dashboard_point *p = &k->trend[i];
		jw_object_begin(w);
		/* A point is one whole week from start (window.trend_grain), so
		 * its end is not repeated: twelve points by four keys by every team
		 * add up on the dashboard's hottest answer. */
		jw_key(w, "start");
		jw_time(w, p->start, true);
		number_or_null(w, "value", p->value, true);
		jw_kint(w, "n", p->n);
		jw_kint(w, "value_id", p->value_id);
		if (p->suppressed)
			jw_kbool(w, "suppressed", true);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

void dashboard_json(struct jw *w, const struct dashboard *d)
{
	jw_object_begin(w);
	jw_key(w, "window");
	jw_object_begin(w);
	jw_kint(w, "days", DASHBOARD_WINDOW_DAYS);
	jw_key(w, "from");
	jw_time(w, d->from, d->to != 0);
	jw_key(w, "to");
	jw_time(w, d->to, d->to != 0);
	jw_kstr(w, "trend_grain", "week");
	jw_kint(w, "trend_weeks", DASHBOARD_TREND_WEEKS);
	jw_object_end(w);
	jw_kstr(w, "bands_source", d->bands_source);
	jw_key(w, "teams");
	jw_array_begin(w);
	for (size_t i = 0; i < d->nteams; i++) {
		const struct dashboard_team *t = &d->teams[i];
		jw_object_begin(w);
		jw_kstr(w, "team", t->name);
		jw_kstr(w, "kind", t->kind);
		jw_kstr(w, "parent", t->parent);
		jw_kint(w, "depth", t->depth);
		jw_key(w, "keys");
		jw_object_begin(w);
		for (int k = 0; k < DASHBOARD_NKEYS; k++) {
			jw_key(w, t->keys[k].key);
			key_json(w, &t->keys[k]);
		}
		jw_object_end(w);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "slos");
	jw_array_begin(w);
	for (size_t i = 0; i < d->nslos; i++) {
		const struct dashboard_slo *s = &d->slos[i];
		jw_object_begin(w);
		jw_kstr(w, "name", s->name);
		jw_kstr(w, "service", s->service);
		jw_kstr(w, "window", s->window);
		jw_key(w, "target");
		jw_double(w, s->target);
		jw_kbool(w, "has_data", s->has_data);
		number_or_null(w, "attainment", s->attainment, s->has_data);
		number_or_null(w, "budget_remaining", s->budget_remaining, s->has_data);
		jw_kstr(w, "alert", s->alert);
		jw_kstr(w, "alert_reason", s->alert_reason);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "freshness");
	jw_array_begin(w);
	for (size_t i = 0; i < d->nsources; i++) {
		const struct dashboard_source *s = &d->sources[i];
		jw_object_begin(w);
		jw_kstr(w, "source", s->source);
		jw_kstr(w, "kind", s->kind);
		jw_key(w, "last_sync");
		jw_time(w, s->last_sync, s->has_sync);
		jw_key(w, "age_seconds");
		if (s->has_sync)
			jw_int(w, s->age_ms / 1000);
		else
			jw_null(w);
		jw_key(w, "newest_event");
		jw_time(w, s->newest_event, s->has_newest);
		jw_kint(w, "events", s->events);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "computed_at");
	jw_time(w, d->computed_at, d->computed_at != 0);
	jw_key(w, "generated_at");
	jw_time(w, d->generated_at, true);
	jw_object_end(w);
}
