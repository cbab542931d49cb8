/* catalog: the metric catalogue: built-in and YAML definitions, versions,
 * stakeholder approval, objectives, review dates, and which metrics fit a
 * service's lifecycle stage and an audience. */
#include "metrics/catalog.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/decimal.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/yamldoc.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/mask.h"
#include "core/org.h"
#include "metrics/dora.h"
#include "metrics/metrics.h"
#include "store/store.h"

#define KEY_MAX          64
#define DESCRIPTION_MAX  2000
#define REVIEW_DAYS_MAX  3650
#define DEFAULT_REVIEW   180
#define FILE_MAX_LIST    32
#define PARAM_VALUES_MAX 64

/* ---- vocabularies ------------------------------------------------------ */

static const char *const stages_all[] = {"new", "growth", "mature", "sunset", NULL};
static const char *const scopes_all[] = {"org", "team", "service", "individual", NULL};
static const char *const audiences_all[] = {"executives", "team", "individual", NULL};
static const char *const count_kinds[] = {"commit", "pull_request", "review",    "deployment",
                                          "ci_run", "incident",     "work_item", NULL};

struct builtin_def {
	const char *key, *name, *description, *unit, *direction, *indicator, *stages, *scopes,
	        *audiences, *stakeholders, *objectives; /* objectives: ';' list */
};

/* The definitions every database holds.  Leading: what teams can move this
 * week (flow, batch size, deploy cadence); lagging: outcomes seen after the
 * fact (failures, recovery, SLOs). */
static const struct builtin_def builtins[] = {
        {"deployment_frequency", "Deployment frequency",
         "How often a service deploys to production, per day.", "deployments/day", "higher",
         "leading", "new,growth,mature,sunset", "org,team,service", "executives,team",
         "development,operations", "time to market;efficiency"},
        {"lead_time", "Lead time for changes",
         "Time from a change's first commit to its deployment to production.", "hours", "lower",
         "leading", "new,growth,mature", "org,team,service", "executives,team",
         "development,operations", "time to market"},
        {"change_failure_rate", "Change failure rate",
         /* A deployment whose own status is failure never reached
          * production: it is no change that failed there (docs/metrics.md). */
         "Share of production deployments that caused a failure in production: an incident, "
         "a rollback, a revert or a hotfix.",
         "percent", "lower", "lagging", "growth,mature,sunset", "org,team,service",
         "executives,team", "development,operations", "reliability;quality"},
        {"recovery_time", "Failed deployment recovery time",
         "Time from a failure in production to its recovery.", "hours", "lower", "lagging",
         "growth,mature,sunset", "org,team,service", "executives,team", "development,operations",
         "reliability"},
        {"pr_cycle_time", "Pull request cycle time",
         "Time from a pull request's opening to its merge.", "hours", "lower", "leading",
         "new,growth,mature", "org,team,service", "team", "development",
         "time to market;efficiency"},
        {"review_turnaround", "Review turnaround",
         "Time from a pull request's opening to its first review by someone else.", "hours",
         "lower", "leading", "new,growth,mature", "org,team,service", "team", "development",
         "efficiency;quality"},
        {"pr_throughput", "Pull request throughput", "Pull requests merged per week.",
         "pull requests/week", "higher", "leading", "new,growth,mature", "org,team,service", "team",
         "development,product", "efficiency"},
        {"wip", "Work in progress", "Pull requests open at the end of each period.", "items",
         "lower", "leading", "new,growth,mature,sunset", "org,team,service", "team",
         "development,product", "efficiency;people"},
        {"issue_cycle_time", "Issue cycle time", "Time from a work item's start to its completion.",
         "hours", "lower", "lagging", "new,growth,mature", "org,team,service", "executives,team",
         "development,product", "time to market"},
        {"slo_attainment", "SLO attainment",
         "Lowest attainment among the SLOs in scope over the period: good events (or good time "
         "slices) over all of them.",
         "percent", "higher", "lagging", "growth,mature,sunset", "org,team,service",
         "executives,team", "operations,product", "reliability"},
        {"error_budget_remaining", "Error budget remaining",
         "Lowest error budget remaining among the SLOs in scope over the period: 1 - bad "
         "fraction / (1 - target), below 0 when overspent.",
         "percent", "higher", "lagging", "growth,mature,sunset", "org,team,service",
         "executives,team", "development,operations", "reliability"},
};
#define NBUILTINS (sizeof builtins / sizeof builtins[0])

static const struct {
	const char *name, *description;
} builtin_objectives[] = {
        {"time to market", "Getting changes to users quickly"},
        {"reliability", "Services that stay up and recover fast"},
        {"quality", "Changes that work the first time"},
        {"efficiency", "Work that flows without waste"},
        {"people", "Sustainable pace and growth"},
};
#define NOBJECTIVES (sizeof builtin_objectives / sizeof builtin_objectives[0])

/* ---- small helpers ----------------------------------------------------- */

const char *catalog_value_text(char *buf, size_t n, double v, const char *key, const char *unit,
                               bool with_unit)
{
	char num[48];
	const double *edges;
	size_t nedges = dora_band_edges(key, &edges);
	if (isnan(v))
		snprintf(buf, n, "-");
	else if (unit && !strcmp(unit, "hours"))
		snprintf(buf, n, "%s h", decimal_marked(num, sizeof num, v, 0, 1, edges, nedges));
	else if (unit && !strcmp(unit, "percent"))
		snprintf(buf, n, "%s%%",
		         decimal_percent_marked(num, sizeof num, v, 4, 0, edges, nedges));
	else if (with_unit && unit && *unit)
		snprintf(buf, n, "%s %s", decimal_format(num, sizeof num, v, 4), unit);
	else
		decimal_format(buf, n, v, 4);
	return buf;
}

bool catalog_list_has(const char *list, const char *word)
{
	if (!list || !word)
		return false;
	size_t n = strlen(word);
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

static bool in_set(const char *const *set, const char *word)
{
	for (; *set; set++)
		if (strcmp(*set, word) == 0)
			return true;
	return false;
}

static void join_set(struct sb *out, const char *const *set)
{
	for (size_t i = 0; set[i]; i++)
		sb_printf(out, "%s%s", i ? ", " : "", set[i]);
}

static bool valid_key(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > KEY_MAX || s[0] < 'a' || s[0] > 'z')
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* Function and owner names: letters, digits, '-', '_', '.'. */
static bool valid_function(const char *s)
{
	return org_valid_name(s);
}

static bool is_builtin_key(const char *key)
{
	for (size_t i = 0; i < NBUILTINS; i++)
		if (strcmp(builtins[i].key, key) == 0)
			return true;
	return false;
}

static int audit_json(struct ctx *ctx, const char *action, const char *type, const char *id,
                      struct sb *detail, struct error *err)
{
	int rc = audit_append(ctx, action, type, id, detail->buf, err);
	sb_release(detail);
	return rc;
}

/* ---- stored definitions ------------------------------------------------ */

#define DEF_COLS                                                                                   \
	"d.id, d.key, d.version, d.name, d.description, d.unit, d.direction, d.indicator, "        \
	"d.stages, d.scopes, d.audiences, d.stakeholders, d.owner, d.review_interval_days, "       \
	"d.next_review, d.status, d.incentive_linked, d.builtin, d.formula, d.params, "            \
	"d.source_text, d.status_reason, d.created_by, d.created_at"

static void def_of_row(struct store_stmt *st, struct arena *a, struct catalog_entry *e)
{
	memset(e, 0, sizeof *e);
	struct metric_def *d = &e->def;
	d->id = stmt_int(st, 0);
	d->key = stmt_text_dup(st, 1, a);
	d->version = (int)stmt_int(st, 2);
	d->name = stmt_text_dup(st, 3, a);
	d->description = stmt_text_dup(st, 4, a);
	d->unit = stmt_text_dup(st, 5, a);
	d->direction = stmt_text_dup(st, 6, a);
	d->indicator = stmt_text_dup(st, 7, a);
	d->stages = stmt_text_dup(st, 8, a);
	d->scopes = stmt_text_dup(st, 9, a);
	d->audiences = stmt_text_dup(st, 10, a);
	d->stakeholders = stmt_text_dup(st, 11, a);
	d->owner = stmt_text_dup(st, 12, a);
	d->review_interval_days = (int)stmt_int(st, 13);
	d->next_review = stmt_int(st, 14);
	d->status = stmt_text_dup(st, 15, a);
	d->incentive_linked = stmt_int(st, 16) != 0;
	d->builtin = stmt_int(st, 17) != 0;
	d->formula = stmt_text_dup(st, 18, a);
	e->params = stmt_text_dup(st, 19, a);
	e->source_text = stmt_text_dup(st, 20, a);
	e->status_reason = stmt_text_dup(st, 21, a);
	d->status_reason = e->status_reason;
	e->created_by = stmt_text_dup(st, 22, a);
	e->created_at = stmt_int(st, 23);
	e->latest_version = d->version;
	e->latest_status = d->status;
}

/* Every version of key (NULL: of every key), by key then version. */
static int load_versions(struct ctx *ctx, const char *key, struct catalog_entry **out, size_t *n,
                         struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT " DEF_COLS " FROM metric_defs d "
	                       "WHERE CAST(?1 AS TEXT) IS NULL OR d.key = ?1 "
	                       "ORDER BY d.key, d.version",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, key);
	size_t count = 0, alloc = 0;
	struct catalog_entry *items = NULL;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		items = arena_grow(ctx->arena, items, count, &alloc, sizeof *items);
		def_of_row(st, ctx->arena, &items[count++]);
	}
	stmt_reset(st);
	*out = items;
	*n = count;
	return rc < 0 ? rc : 0;
}

static bool computable(const char *status)
{
	return strcmp(status, "active") == 0 || strcmp(status, "deprecated") == 0;
}

/* Of the versions v[0..n) of one key (by version): the one computed (the
 * newest active, else the newest deprecated), or NULL. */
static const struct catalog_entry *computed_of(const struct catalog_entry *v, size_t n)
{
	const struct catalog_entry *best = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!computable(v[i].def.status))
			continue;
		bool active = strcmp(v[i].def.status, "active") == 0;
		if (!best || active || strcmp(best->def.status, "active") != 0)
			best = &v[i];
	}
	return best;
}

/* own, then the functions of other that own does not name; *added those
 * (NULL when none). */
static const char *with_functions_of(struct arena *a, const char *own, const char *other,
                                     const char **added)
{
	struct sb all = SB_INIT, extra = SB_INIT;
	sb_puts(&all, own);
	for (const char *p = other ? other : ""; *p;) {
		size_t len = strcspn(p, ",");
		const char *fn = arena_strndup(a, p, len);
		if (!catalog_list_has(own, fn)) {
			sb_printf(&all, "%s%s", all.len ? "," : "", fn);
			sb_printf(&extra, "%s%s", extra.len ? "," : "", fn);
		}
		p += len;
		if (*p == ',')
			p++;
	}
	const char *out = arena_strdup(a, all.buf);
	*added = extra.len ? arena_strdup(a, extra.buf) : NULL;
	sb_release(&all);
	sb_release(&extra);
	return out;
}

/* The functions that decide version e of a key whose versions are
 * v[0..n): its stakeholders and, while it is proposed, those of the
 * version in use that it does not name, so a new version cannot drop a
 * function the metric answers to now. */
static void set_approvers(struct arena *a, const struct catalog_entry *v, size_t n,
                          struct catalog_entry *e)
{
	e->approvers = e->def.stakeholders;
	if (strcmp(e->def.status, "proposed") != 0)
		return;
	const struct catalog_entry *use = computed_of(v, n);
	const char *added;
	if (use && use->def.version != e->def.version)
		e->approvers =
		        with_functions_of(a, e->def.stakeholders, use->def.stakeholders, &added);
}

/* The current version of each key: computed, else the newest; the key's
 * newest version noted in latest_*. */
static void current_versions(struct catalog_entry *all, size_t n, struct catalog_entry *out,
                             size_t *nout)
{
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && strcmp(all[j].def.key, all[i].def.key) == 0)
			j++;
		const struct catalog_entry *cur = computed_of(&all[i], j - i);
		out[k] = cur ? *cur : all[j - 1];
		out[k].latest_version = all[j - 1].def.version;
		out[k].latest_status = all[j - 1].def.status;
		k++;
		i = j;
	}
	*nout = k;
}

static int load_objectives_of(struct ctx *ctx, struct catalog_entry *e, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT o.name FROM metric_objectives m "
	                       "JOIN objectives o ON o.id = m.objective_id "
	                       "WHERE m.metric_key = ?1 ORDER BY o.id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, e->def.key);
	size_t alloc = 0;
	e->nobjectives = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		e->objectives = arena_grow(ctx->arena, e->objectives, e->nobjectives, &alloc,
		                           sizeof *e->objectives);
		e->objectives[e->nobjectives++] = stmt_text_dup(st, 0, ctx->arena);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* One entry per function that decides (approvers, else stakeholders), in
 * their order, then any other decision recorded (a function of the version
 * that was in use when this one was approved). */
static int load_approvals_of(struct ctx *ctx, struct catalog_entry *e, struct error *err)
{
	const char *functions = e->approvers ? e->approvers : e->def.stakeholders;
	size_t alloc = 0;
	e->approvals = NULL;
	e->napprovals = 0;
	for (const char *p = functions; *p;) {
		size_t len = strcspn(p, ",");
		e->approvals = arena_grow(ctx->arena, e->approvals, e->napprovals, &alloc,
		                          sizeof *e->approvals);
		struct catalog_approval *ap = &e->approvals[e->napprovals++];
		memset(ap, 0, sizeof *ap);
		ap->function = arena_strndup(ctx->arena, p, len);
		ap->decision = "pending";
		p += len;
		if (*p == ',')
			p++;
	}
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT function, decision, reason, decided_by, decided_at "
	                       "FROM metric_approvals WHERE def_id = ?1 ORDER BY function",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, e->def.id);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		struct catalog_approval *ap = NULL;
		for (size_t i = 0; i < e->napprovals && !ap; i++)
			if (strcmp(e->approvals[i].function, stmt_text(st, 0)) == 0)
				ap = &e->approvals[i];
		if (!ap) {
			e->approvals = arena_grow(ctx->arena, e->approvals, e->napprovals, &alloc,
			                          sizeof *e->approvals);
			ap = &e->approvals[e->napprovals++];
			ap->function = stmt_text_dup(st, 0, ctx->arena);
		}
		ap->decision = stmt_text_dup(st, 1, ctx->arena);
		ap->reason = stmt_text_dup(st, 2, ctx->arena);
		ap->decided_by = stmt_text_dup(st, 3, ctx->arena);
		ap->decided_at = stmt_int(st, 4);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	/* Only a proposal waits on anyone; otherwise list the decisions made. */
	if (strcmp(e->def.status, "proposed") != 0) {
		size_t k = 0;
		for (size_t i = 0; i < e->napprovals; i++)
			if (e->approvals[i].decided_by)
				e->approvals[k++] = e->approvals[i];
		e->napprovals = k;
	}
	/* An analyst sees who decided as a pseudonym, and no one's comments. */
	rc = mask_user(ctx, e->created_by, &e->created_by, err);
	e->status_reason = mask_text(ctx, e->status_reason);
	for (size_t i = 0; rc == 0 && i < e->napprovals; i++) {
		e->approvals[i].reason = mask_text(ctx, e->approvals[i].reason);
		rc = mask_user(ctx, e->approvals[i].decided_by, &e->approvals[i].decided_by, err);
	}
	return rc;
}

static int key_not_found(const char *key, struct error *err)
{
	err_set(err, ERR_NOT_FOUND, "no metric definition %s", key);
	err_hint(err, "see the keys with 'plumb metrics catalog'");
	return ERR_NOT_FOUND;
}

static int insert_def(struct ctx *ctx, const struct metric_def *d, const char *params,
                      const char *source_text, int64_t *id, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "INSERT INTO metric_defs(key, version, name, description, unit, direction, "
	        "indicator, stages, scopes, audiences, stakeholders, owner, review_interval_days, "
	        "next_review, status, incentive_linked, builtin, formula, params, source_text, "
	        "status_reason, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	        "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, NULL, ?21, ?22)",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, d->key);
	stmt_bind_int(st, 2, d->version);
	stmt_bind_text(st, 3, d->name);
	stmt_bind_text(st, 4, d->description);
	stmt_bind_text(st, 5, d->unit);
	stmt_bind_text(st, 6, d->direction);
	stmt_bind_text(st, 7, d->indicator);
	stmt_bind_text(st, 8, d->stages);
	stmt_bind_text(st, 9, d->scopes);
	stmt_bind_text(st, 10, d->audiences);
	stmt_bind_text(st, 11, d->stakeholders);
	stmt_bind_text(st, 12, d->owner);
	stmt_bind_int(st, 13, d->review_interval_days);
	stmt_bind_int(st, 14, d->next_review);
	stmt_bind_text(st, 15, d->status);
	stmt_bind_int(st, 16, d->incentive_linked);
	stmt_bind_int(st, 17, d->builtin);
	stmt_bind_text(st, 18, d->formula);
	stmt_bind_text(st, 19, params);
	stmt_bind_text(st, 20, source_text);
	stmt_bind_text(st, 21, ctx->actor.name);
	stmt_bind_int(st, 22, ts_clock_ms());
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	bool found = false;
	struct store_stmt *q;
	rc = store_prepare(ctx->store, "SELECT id FROM metric_defs WHERE key = ?1 AND version = ?2",
	                   &q, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(q, 1, d->key);
	stmt_bind_int(q, 2, d->version);
	rc = stmt_step(q, err);
	if (rc == STORE_ROW) {
		*id = stmt_int(q, 0);
		found = true;
	}
	stmt_reset(q);
	if (rc >= 0 && !found)
		BUG("metric definition %s version %d vanished", d->key, d->version);
	return rc < 0 ? rc : 0;
}

/* A version becomes active, due for review on next_review. */
static int activate(struct ctx *ctx, int64_t id, int64_t next_review, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "UPDATE metric_defs SET status = 'active', status_reason = NULL, "
	                       "next_review = ?2 WHERE id = ?1",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, id);
	stmt_bind_int(st, 2, next_review);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int set_status(struct ctx *ctx, int64_t id, const char *status, const char *reason,
                      struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store, "UPDATE metric_defs SET status = ?2, status_reason = ?3 WHERE id = ?1",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, id);
	stmt_bind_text(st, 2, status);
	stmt_bind_text(st, 3, reason);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int objective_id(struct ctx *ctx, const char *name, int64_t *id, bool *found,
                        struct error *err)
{
	struct store_stmt *st;
	*found = false;
	int rc = store_prepare(ctx->store, "SELECT id FROM objectives WHERE name = ?1", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, name);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		*id = stmt_int(st, 0);
		*found = true;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The objectives' names, ", "-joined, in ctx->arena: for an error about an
 * unknown one. */
static int objective_names(struct ctx *ctx, const char **out, struct error *err)
{
	struct store_stmt *st;
	struct sb known = SB_INIT;
	int rc = store_prepare(ctx->store, "SELECT name FROM objectives ORDER BY id", &st, err);
	while (rc >= 0 && (rc = stmt_step(st, err)) == STORE_ROW)
		sb_printf(&known, "%s%s", known.len ? ", " : "", stmt_text(st, 0));
	if (rc >= 0)
		stmt_reset(st);
	*out = arena_strdup(ctx->arena, known.buf);
	sb_release(&known);
	return rc < 0 ? rc : 0;
}

/* ERR_NOT_FOUND naming the known objectives. */
static int unknown_objective(struct ctx *ctx, const char *name, struct error *err)
{
	const char *known;
	int rc = objective_names(ctx, &known, err);
	if (rc < 0)
		return rc;
	err_set(err, ERR_NOT_FOUND, "no objective '%s'", name);
	err_detail(err, "the objectives are: %s", known);
	err_hint(err, "add one with 'plumb objectives add NAME'");
	return ERR_NOT_FOUND;
}

/* Map key to objective unless it is; *changed says whether it was written. */
static int map_tx(struct ctx *ctx, const char *key, const char *objective, bool *changed,
                  struct error *err)
{
	*changed = false;
	int64_t oid = 0;
	bool found;
	int rc = objective_id(ctx, objective, &oid, &found, err);
	if (rc < 0)
		return rc;
	if (!found)
		return unknown_objective(ctx, objective, err);
	int64_t have = 0;
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "SELECT COUNT(*) FROM metric_objectives WHERE metric_key = ?1 "
	                   "AND objective_id = ?2",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, key);
	stmt_bind_int(st, 2, oid);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		have = stmt_int(st, 0);
	stmt_reset(st);
	if (rc < 0 || have)
		return rc < 0 ? rc : 0;
	rc = store_prepare(
	        ctx->store,
	        "INSERT INTO metric_objectives(metric_key, objective_id) VALUES (?1, ?2)", &st,
	        err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, key);
	stmt_bind_int(st, 2, oid);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	*changed = true;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "objective", objective);
	jw_object_end(&w);
	return audit_json(ctx, "metric.map", "metric", key, &detail, err);
}

/* ---- seeding ----------------------------------------------------------- */

static int seed_objectives(struct ctx *ctx, struct jw *w, struct error *err)
{
	jw_key(w, "objectives");
	jw_array_begin(w);
	int rc = 0;
	for (size_t i = 0; i < NOBJECTIVES && rc == 0; i++) {
		int64_t id;
		bool found;
		rc = objective_id(ctx, builtin_objectives[i].name, &id, &found, err);
		if (rc < 0 || found)
			continue;
		struct store_stmt *st;
		rc = store_prepare(ctx->store,
		                   "INSERT INTO objectives(name, description) VALUES (?1, ?2)", &st,
		                   err);
		if (rc < 0)
			break;
		stmt_bind_text(st, 1, builtin_objectives[i].name);
		stmt_bind_text(st, 2, builtin_objectives[i].description);
		rc = stmt_step(st, err);
		stmt_reset(st);
		if (rc >= 0) {
			rc = 0;
			jw_str(w, builtin_objectives[i].name);
		}
	}
	jw_array_end(w);
	return rc;
}

static int seed_builtin(struct ctx *ctx, const struct builtin_def *b, int64_t today, bool *added,
                        struct error *err)
{
	*added = false;
	int64_t have = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT COUNT(*) FROM metric_defs WHERE key = ?1", &st,
	                       err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, b->key);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		have = stmt_int(st, 0);
	stmt_reset(st);
	if (rc < 0 || have)
		return rc < 0 ? rc : 0;
	char *formula = arena_printf(ctx->arena, "{\"builtin\":\"%s\"}", b->key);
	struct metric_def d = {
	        .key = b->key,
	        .version = 1,
	        .name = b->name,
	        .description = b->description,
	        .unit = b->unit,
	        .direction = b->direction,
	        .indicator = b->indicator,
	        .stages = b->stages,
	        .scopes = b->scopes,
	        .audiences = b->audiences,
	        .stakeholders = b->stakeholders,
	        .owner = "engineering-effectiveness",
	        .review_interval_days = DEFAULT_REVIEW,
	        .next_review = today + DEFAULT_REVIEW * MS_PER_DAY,
	        .status = "active",
	        .builtin = true,
	        .formula = formula,
	};
	int64_t id;
	rc = insert_def(ctx, &d, NULL, NULL, &id, err);
	for (const char *p = b->objectives; rc == 0 && *p;) {
		size_t len = strcspn(p, ";");
		int64_t oid;
		bool found;
		const char *name = arena_strndup(ctx->arena, p, len);
		rc = objective_id(ctx, name, &oid, &found, err);
		if (rc == 0 && !found)
			BUG("built-in objective %s missing", name);
		if (rc == 0) {
			/* Not map_tx: the db.init or db.migrate entry covers these. */
			rc = store_prepare(
			        ctx->store,
			        "INSERT INTO metric_objectives(metric_key, objective_id) "
			        "VALUES (?1, ?2)",
			        &st, err);
			if (rc == 0) {
				stmt_bind_text(st, 1, b->key);
				stmt_bind_int(st, 2, oid);
				rc = stmt_step(st, err);
				stmt_reset(st);
				rc = rc < 0 ? rc : 0;
			}
		}
		p += len;
		if (*p == ';')
			p++;
	}
	*added = rc == 0;
	return rc;
}

int catalog_seed_tx(struct ctx *ctx, struct jw *detail, struct error *err)
{
	jw_object_begin(detail);
	int rc = seed_objectives(ctx, detail, err);
	jw_key(detail, "definitions");
	jw_array_begin(detail);
	int64_t today = ts_day_floor(ts_now_ms());
	for (size_t i = 0; i < NBUILTINS && rc == 0; i++) {
		bool added;
		rc = seed_builtin(ctx, &builtins[i], today, &added, err);
		if (added)
			jw_str(detail, builtins[i].key);
	}
	jw_array_end(detail);
	jw_object_end(detail);
	return rc;
}

/* ---- the definition file ----------------------------------------------- */

struct parse {
	const char *name;
	yaml_document_t *doc;
	struct arena *a;
	struct error *err;
};

static int field_error(struct parse *p, const yaml_node_t *node, const char *field, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));

static int field_error(struct parse *p, const yaml_node_t *node, const char *field, const char *fmt,
                       ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(p->err, ERR_INVALID, "%s:%ld: field %s: %s", p->name, yamldoc_line(node),
	               field, msg);
}

static int scalar(struct parse *p, const yaml_node_t *node, const char *field, const char **out)
{
	return yamldoc_scalar(p->name, node, field, p->a, out, p->err);
}

static int text_field(struct parse *p, const yaml_node_t *node, const char *field, size_t max,
                      const char **out)
{
	int rc = scalar(p, node, field, out);
	if (rc == 0 && (!**out || !org_valid_text(*out, max)))
		return field_error(p, node, field, "expected one line of text, 1 to %zu bytes",
		                   max);
	return rc;
}

/* A list of words from set (any order, no repeats), stored as a comma list
 * in the set's order; set NULL: any function name, stored sorted. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int word_list(struct parse *p, const yaml_node_t *node, const char *field,
                     const char *const *set, const char **out)
{
	struct sb expected = SB_INIT;
	if (set) {
		sb_puts(&expected, "a list of ");
		join_set(&expected, set);
	} else {
		sb_puts(&expected, "a list of names (letters, digits, '-', '_', '.')");
	}
	int rc = 0;
	if (!node || node->type != YAML_SEQUENCE_NODE ||
	    node->data.sequence.items.top == node->data.sequence.items.start) {
		rc = field_error(p, node, field, "expected %s", expected.buf);
		sb_release(&expected);
		return rc;
	}
	const char *words[FILE_MAX_LIST] = {NULL};
	size_t n = 0;
	for (yaml_node_item_t *it = node->data.sequence.items.start;
	     rc == 0 && it < node->data.sequence.items.top; it++) {
		const yaml_node_t *item = yaml_document_get_node(p->doc, *it);
		const char *w;
		rc = scalar(p, item, field, &w);
		if (rc < 0)
			break;
		if (set ? !in_set(set, w) : !valid_function(w)) {
			rc = field_error(p, item, field, "'%s': expected %s", w, expected.buf);
			break;
		}
		for (size_t i = 0; i < n; i++)
			if (strcmp(words[i], w) == 0)
				rc = field_error(p, item, field, "'%s' is listed twice", w);
		if (rc == 0 && n == FILE_MAX_LIST)
			rc = field_error(p, item, field, "more than %d entries", FILE_MAX_LIST);
		if (rc == 0)
			words[n++] = w;
	}
	sb_release(&expected);
	if (rc < 0)
		return rc;
	struct sb joined = SB_INIT;
	if (set) {
		for (size_t s = 0; set[s]; s++)
			for (size_t i = 0; i < n; i++)
				if (strcmp(words[i], set[s]) == 0)
					sb_printf(&joined, "%s%s", joined.len ? "," : "", set[s]);
	} else {
		qsort(words, n, sizeof words[0], cmp_str);
		for (size_t i = 0; i < n; i++)
			sb_printf(&joined, "%s%s", i ? "," : "", words[i]);
	}
	*out = arena_strdup(p->a, joined.buf);
	sb_release(&joined);
	return 0;
}

static int one_of(struct parse *p, const yaml_node_t *node, const char *field,
                  const char *const *set, const char **out)
{
	int rc = scalar(p, node, field, out);
	if (rc == 0 && !in_set(set, *out)) {
		struct sb expected = SB_INIT;
		join_set(&expected, set);
		rc = field_error(p, node, field, "'%s': expected one of %s", *out, expected.buf);
		sb_release(&expected);
	}
	return rc;
}

static bool plain(const yaml_node_t *node)
{
	return node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static int bool_field(struct parse *p, const yaml_node_t *node, const char *field, bool *out)
{
	const char *v;
	int rc = scalar(p, node, field, &v);
	if (rc < 0)
		return rc;
	int b = yamldoc_bool(node);
	if (b < 0)
		return field_error(p, node, field, "'%s': expected true or false, unquoted", v);
	*out = b == 1;
	return 0;
}

/* A plain scalar that is a decimal number, written canonically (shortest
 * form that reads back the same), or NULL. */
static const char *canonical_number(struct arena *a, const char *v)
{
	const char *s = v + (*v == '-');
	if (!*s || !(*s >= '0' && *s <= '9'))
		return NULL;
	bool dot = false;
	for (const char *c = s; *c; c++) {
		if (*c == '.' && !dot && c[1])
			dot = true;
		else if (!(*c >= '0' && *c <= '9'))
			return NULL;
	}
	errno = 0;
	if (!dot) {
		long long n = strtoll(v, NULL, 10);
		return errno ? NULL : arena_printf(a, "%lld", n);
	}
	double d = strtod(v, NULL);
	for (int prec = 1; prec <= 17; prec++) {
		char buf[40];
		snprintf(buf, sizeof buf, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return arena_strdup(a, buf);
	}
	return NULL;
}

/* A param value: true/false and numbers as JSON, other text as a string.
 * A list's values are names, kept as written: an environment called 1.10
 * is not the number 1.1. */
static void param_scalar(struct arena *a, struct jw *w, const yaml_node_t *node, const char *v,
                         bool names)
{
	const char *num = plain(node) && !names ? canonical_number(a, v) : NULL;
	if (names)
		jw_str(w, v);
	else if (yamldoc_bool(node) >= 0)
		jw_bool(w, yamldoc_bool(node) == 1);
	else if (num)
		jw_raw(w, num);
	else
		jw_str(w, v);
}

struct param {
	const char *name;
	const yaml_node_t *value;
};

static int cmp_param(const void *a, const void *b)
{
	return strcmp(((const struct param *)a)->name, ((const struct param *)b)->name);
}

/* The params a builtin formula may carry: each metric setting, checked by
 * that setting's rule (metrics_setting_check, the one metrics set applies);
 * environments, a list checked as production_environments is; statistic,
 * one value. */
struct param_rule {
	const char *setting; /* whose rule checks the value, or NULL */
	bool single;         /* one value, not a list */
};

static bool param_rule(const char *name, struct param_rule *out)
{
	if (strcmp(name, "statistic") == 0) {
		*out = (struct param_rule){NULL, true};
		return true;
	}
	if (strcmp(name, "environments") == 0) {
		*out = (struct param_rule){"production_environments", false};
		return true;
	}
	for (size_t i = 0; metrics_setting_key(i); i++)
		if (strcmp(metrics_setting_key(i), name) == 0) {
			*out = (struct param_rule){name, !metrics_setting_is_list(name)};
			return true;
		}
	return false;
}

static int unknown_param(struct parse *p, const yaml_node_t *k, const char *name)
{
	struct sb names = SB_INIT;
	sb_puts(&names, "environments, statistic");
	for (size_t i = 0; metrics_setting_key(i); i++)
		sb_printf(&names, ", %s", metrics_setting_key(i));
	int rc = field_error(p, k, "formula.params", "unknown parameter %s", name);
	err_detail(p->err, "the parameters are: %s", names.buf);
	sb_release(&names);
	return rc;
}

/* value, the param's text (a list's values joined with commas), against
 * the rule of its name. */
static int check_param(struct parse *p, const yaml_node_t *node, const char *field,
                       const char *name, const char *value)
{
	struct param_rule rule;
	param_rule(name, &rule);
	if (!rule.setting)
		return *value ? 0 : field_error(p, node, field, "expected a value");
	struct error e = {0};
	if (metrics_setting_check(rule.setting, name, value, &e) == 0)
		return 0;
	int rc = field_error(p, node, field, "%s", e.message);
	if (e.hint[0])
		err_hint(p->err, "%s", e.hint);
	return rc;
}

/* A known param the built-in does not apply (metrics_param_applies) is
 * refused, never kept and ignored. */
static int param_not_applied(struct parse *p, const yaml_node_t *k, const char *builtin,
                             const char *name)
{
	int rc = field_error(p, k, "formula.params", "%s does not apply to built-in %s", name,
	                     builtin);
	struct sb names = SB_INIT;
	const char *all[] = {"environments", "statistic"};
	for (size_t i = 0; i < 2; i++)
		if (metrics_param_applies(builtin, all[i]))
			sb_printf(&names, "%s%s", names.len ? ", " : "", all[i]);
	for (size_t i = 0; metrics_setting_key(i); i++)
		if (metrics_param_applies(builtin, metrics_setting_key(i)))
			sb_printf(&names, "%s%s", names.len ? ", " : "", metrics_setting_key(i));
	err_detail(p->err, "built-in %s applies %s", builtin, names.len ? names.buf : "no params");
	/* A file defined before params were applied may carry one: say what
	 * becomes of the stored version. */
	const char *why = !strcmp(name, "statistic")
	                          ? "each built-in has its own statistic (plumb metrics show names "
	                            "it); "
	                  : !strcmp(name, "time_zone") ? "a time zone is set for the org or a team "
	                                                 "with plumb metrics set time_zone; "
	                                               : "";
	err_hint(p->err,
	         "%sdrop it from the file: a version stored with it computes without it, and the "
	         "file without it proposes a new version",
	         why);
	sb_release(&names);
	return rc;
}

/* params: a mapping of known names (param_rule) that builtin applies to
 * scalars or lists of scalars, each checked, written with sorted keys. */
static int params_json(struct parse *p, const yaml_node_t *map, const char *builtin, struct jw *w)
{
	if (map->type != YAML_MAPPING_NODE)
		return field_error(p, map, "formula.params",
		                   "expected a mapping of names to values");
	struct param items[FILE_MAX_LIST] = {{NULL, NULL}};
	size_t n = 0;
	int rc = 0;
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start;
	     rc == 0 && pr < map->data.mapping.pairs.top; pr++) {
		const yaml_node_t *k = yaml_document_get_node(p->doc, pr->key);
		const char *name;
		struct param_rule rule;
		rc = scalar(p, k, "formula.params", &name);
		if (rc == 0 && !valid_key(name))
			rc = field_error(
			        p, k, "formula.params",
			        "'%s': expected a name of lower-case letters, digits and '_'",
			        name);
		if (rc == 0 && !param_rule(name, &rule))
			rc = unknown_param(p, k, name);
		if (rc == 0 && yamldoc_repeated_key(p->doc, map, pr))
			rc = field_error(p, k, "formula.params", "'%s' is given twice", name);
		if (rc == 0 && !metrics_param_applies(builtin, name))
			rc = param_not_applied(p, k, builtin, name);
		for (size_t i = 0; rc == 0 && i < n; i++)
			if ((!strcmp(name, "environments") &&
			     !strcmp(items[i].name, "production_environments")) ||
			    (!strcmp(name, "production_environments") &&
			     !strcmp(items[i].name, "environments")))
				rc = field_error(p, k, "formula.params",
				                 "give environments or production_environments, "
				                 "not both");
		if (rc == 0 && n == FILE_MAX_LIST)
			rc = field_error(p, k, "formula.params", "more than %d parameters",
			                 FILE_MAX_LIST);
		if (rc == 0)
			items[n++] =
			        (struct param){name, yaml_document_get_node(p->doc, pr->value)};
	}
	if (rc < 0)
		return rc;
	qsort(items, n, sizeof items[0], cmp_param);
	jw_object_begin(w);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *field = arena_printf(p->a, "formula.params.%s", items[i].name);
		const yaml_node_t *v = items[i].value;
		struct param_rule rule;
		param_rule(items[i].name, &rule);
		if (v && v->type == YAML_SEQUENCE_NODE && rule.single) {
			rc = field_error(p, v, field, "expected a single value");
			break;
		}
		jw_key(w, items[i].name);
		if (v && v->type == YAML_SEQUENCE_NODE) {
			struct sb joined = SB_INIT;
			jw_array_begin(w);
			size_t count = 0;
			for (yaml_node_item_t *it = v->data.sequence.items.start;
			     rc == 0 && it < v->data.sequence.items.top; it++) {
				const yaml_node_t *item = yaml_document_get_node(p->doc, *it);
				const char *s;
				rc = scalar(p, item, field, &s);
				if (rc == 0 && ++count > PARAM_VALUES_MAX)
					rc = field_error(p, item, field, "more than %d values",
					                 PARAM_VALUES_MAX);
				/* The values are read as one comma list: "a,b" in it
				 * would be two names (found hunting). */
				if (rc == 0 && strchr(s, ','))
					rc = field_error(p, item, field,
					                 "'%s': expected one name, without commas",
					                 s);
				if (rc == 0) {
					param_scalar(p->a, w, item, s, true);
					sb_printf(&joined, "%s%s", count > 1 ? "," : "", s);
				}
			}
			jw_array_end(w);
			if (rc == 0)
				rc = check_param(p, v, field, items[i].name, joined.buf);
			sb_release(&joined);
		} else {
			const char *s;
			if (v && v->type != YAML_SCALAR_NODE)
				rc = field_error(p, v, field,
				                 "expected a value or a list of values");
			if (rc == 0)
				rc = scalar(p, v, field, &s);
			if (rc == 0)
				rc = check_param(p, v, field, items[i].name, s);
			if (rc == 0)
				param_scalar(p->a, w, v, s, !rule.single);
		}
	}
	jw_object_end(w);
	return rc;
}

/* where: status, environment (text) and is_bot (true/false), in that
 * order whatever the file's. */
static int where_json(struct parse *p, const yaml_node_t *map, struct jw *w)
{
	static const char *const fields[] = {"environment", "is_bot", "status", NULL};
	if (map->type != YAML_MAPPING_NODE)
		return field_error(p, map, "formula.where",
		                   "expected a mapping of environment, is_bot and status");
	const yaml_node_t *vals[3] = {NULL, NULL, NULL};
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
	     pr++) {
		const yaml_node_t *k = yaml_document_get_node(p->doc, pr->key);
		const char *name;
		int rc = scalar(p, k, "formula.where", &name);
		if (rc < 0)
			return rc;
		size_t i = 0;
		while (fields[i] && strcmp(fields[i], name) != 0)
			i++;
		if (!fields[i])
			return field_error(p, k, "formula.where",
			                   "'%s': expected environment, is_bot or status", name);
		if (vals[i])
			return field_error(p, k, "formula.where", "'%s' is given twice", name);
		vals[i] = yaml_document_get_node(p->doc, pr->value);
	}
	jw_object_begin(w);
	for (size_t i = 0; fields[i]; i++) {
		if (!vals[i])
			continue;
		char *field = arena_printf(p->a, "formula.where.%s", fields[i]);
		jw_key(w, fields[i]);
		int rc;
		if (i == 1) {
			bool b;
			rc = bool_field(p, vals[i], field, &b);
			if (rc == 0)
				jw_bool(w, b);
		} else {
			const char *s;
			rc = text_field(p, vals[i], field, 200, &s);
			if (rc == 0)
				jw_str(w, s);
		}
		if (rc < 0)
			return rc;
	}
	jw_object_end(w);
	return 0;
}

/* formula: builtin KEY [params] | count KIND [where], as canonical JSON:
 * {"builtin":K,"params":{...}} or {"count":K,"where":{...}}. */
static int formula_json(struct parse *p, const yaml_node_t *map, struct catalog_file *out)
{
	if (map->type != YAML_MAPPING_NODE)
		return field_error(p, map, "formula", "expected a mapping with builtin or count");
	const yaml_node_t *builtin = NULL, *count = NULL, *params = NULL, *where = NULL;
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
	     pr++) {
		const yaml_node_t *k = yaml_document_get_node(p->doc, pr->key);
		const yaml_node_t *v = yaml_document_get_node(p->doc, pr->value);
		const char *name;
		int rc = scalar(p, k, "formula", &name);
		if (rc < 0)
			return rc;
		const yaml_node_t **slot = strcmp(name, "builtin") == 0  ? &builtin
		                           : strcmp(name, "count") == 0  ? &count
		                           : strcmp(name, "params") == 0 ? &params
		                           : strcmp(name, "where") == 0  ? &where
		                                                         : NULL;
		if (!slot)
			return field_error(p, k, "formula",
			                   "'%s': expected builtin, params, count or where", name);
		if (*slot)
			return field_error(p, k, "formula", "'%s' is given twice", name);
		*slot = v;
	}
	if (!builtin == !count)
		return field_error(p, map, "formula", "expected exactly one of builtin and count");
	if ((builtin && where) || (count && params))
		return field_error(p, map, "formula",
		                   builtin ? "where goes with count, not builtin"
		                           : "params go with builtin, not count");
	struct sb json = SB_INIT, pjson = SB_INIT;
	struct jw w, pw;
	jw_init(&w, &json, false);
	jw_object_begin(&w);
	const char *kind;
	int rc;
	if (builtin) {
		rc = scalar(p, builtin, "formula.builtin", &kind);
		if (rc == 0 && !is_builtin_key(kind)) {
			struct sb keys = SB_INIT;
			for (size_t i = 0; i < NBUILTINS; i++)
				sb_printf(&keys, "%s%s", i ? ", " : "", builtins[i].key);
			rc = field_error(p, builtin, "formula.builtin", "'%s': expected one of %s",
			                 kind, keys.buf);
			sb_release(&keys);
		}
		if (rc == 0)
			jw_kstr(&w, "builtin", kind);
		if (rc == 0 && params) {
			jw_init(&pw, &pjson, false);
			rc = params_json(p, params, kind, &pw);
			if (rc == 0 && strcmp(pjson.buf, "{}") != 0) {
				jw_key(&w, "params");
				jw_raw(&w, pjson.buf);
				out->params = arena_strdup(p->a, pjson.buf);
			}
		}
	} else {
		rc = one_of(p, count, "formula.count", count_kinds, &kind);
		if (rc == 0)
			jw_kstr(&w, "count", kind);
		if (rc == 0 && where) {
			jw_init(&pw, &pjson, false);
			rc = where_json(p, where, &pw);
			if (rc == 0 && strcmp(pjson.buf, "{}") != 0) {
				jw_key(&w, "where");
				jw_raw(&w, pjson.buf);
			}
		}
	}
	jw_object_end(&w);
	if (rc == 0)
		out->def.formula = arena_strdup(p->a, json.buf);
	sb_release(&json);
	sb_release(&pjson);
	return rc;
}

enum file_field {
	F_KEY,
	F_NAME,
	F_DESCRIPTION,
	F_UNIT,
	F_DIRECTION,
	F_INDICATOR,
	F_STAGES,
	F_SCOPES,
	F_AUDIENCES,
	F_STAKEHOLDERS,
	F_OWNER,
	F_OBJECTIVES,
	F_REVIEW,
	F_INCENTIVE,
	F_FORMULA,
	F_COUNT_
};

static const struct {
	const char *name;
	bool required;
} file_fields[F_COUNT_] = {
        [F_KEY] = {"key", true},
        [F_NAME] = {"name", true},
        [F_DESCRIPTION] = {"description", true},
        [F_UNIT] = {"unit", true},
        [F_DIRECTION] = {"direction", true},
        [F_INDICATOR] = {"indicator", true},
        [F_STAGES] = {"stages", false},
        [F_SCOPES] = {"scopes", false},
        [F_AUDIENCES] = {"audiences", false},
        [F_STAKEHOLDERS] = {"stakeholders", true},
        [F_OWNER] = {"owner", true},
        [F_OBJECTIVES] = {"objectives", false},
        [F_REVIEW] = {"review_interval_days", false},
        [F_INCENTIVE] = {"incentive_linked", false},
        [F_FORMULA] = {"formula", true},
};

static int objectives_list(struct parse *p, const yaml_node_t *node, struct catalog_file *out)
{
	if (node->type != YAML_SEQUENCE_NODE)
		return field_error(p, node, "objectives", "expected a list of objective names");
	size_t n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
	if (n > FILE_MAX_LIST)
		return field_error(p, node, "objectives", "more than %d entries", FILE_MAX_LIST);
	out->objectives = arena_array(p->a, n ? n : 1, sizeof *out->objectives);
	out->objective_lines = arena_array(p->a, n ? n : 1, sizeof *out->objective_lines);
	for (yaml_node_item_t *it = node->data.sequence.items.start;
	     it < node->data.sequence.items.top; it++) {
		const yaml_node_t *item = yaml_document_get_node(p->doc, *it);
		const char *s;
		int rc = text_field(p, item, "objectives", ORG_TEXT_MAX, &s);
		if (rc < 0)
			return rc;
		for (size_t i = 0; i < out->nobjectives; i++)
			if (strcmp(out->objectives[i], s) == 0)
				return field_error(p, item, "objectives", "'%s' is listed twice",
				                   s);
		out->objective_lines[out->nobjectives] = yamldoc_line(item);
		out->objectives[out->nobjectives++] = s;
	}
	return 0;
}

static int file_field_value(struct parse *p, enum file_field f, const yaml_node_t *v,
                            struct catalog_file *out)
{
	struct metric_def *d = &out->def;
	static const char *const directions[] = {"higher", "lower", NULL};
	static const char *const indicators[] = {"leading", "lagging", NULL};
	const char *name = file_fields[f].name;
	const char *s;
	int rc;
	switch (f) {
	case F_KEY:
		rc = scalar(p, v, name, &d->key);
		if (rc == 0 && !valid_key(d->key))
			rc = field_error(
			        p, v, name,
			        "'%s': expected lower-case letters, digits and '_', starting "
			        "with a letter, up to %d",
			        d->key, KEY_MAX);
		return rc;
	case F_NAME:
		return text_field(p, v, name, ORG_TEXT_MAX, &d->name);
	case F_DESCRIPTION:
		return text_field(p, v, name, DESCRIPTION_MAX, &d->description);
	case F_UNIT:
		return text_field(p, v, name, KEY_MAX, &d->unit);
	case F_DIRECTION:
		return one_of(p, v, name, directions, &d->direction);
	case F_INDICATOR:
		return one_of(p, v, name, indicators, &d->indicator);
	case F_STAGES:
		return word_list(p, v, name, stages_all, &d->stages);
	case F_SCOPES:
		return word_list(p, v, name, scopes_all, &d->scopes);
	case F_AUDIENCES:
		return word_list(p, v, name, audiences_all, &d->audiences);
	case F_STAKEHOLDERS:
		return word_list(p, v, name, NULL, &d->stakeholders);
	case F_OWNER:
		rc = scalar(p, v, name, &d->owner);
		if (rc == 0 && !org_valid_name(d->owner))
			rc = field_error(p, v, name,
			                 "'%s': expected a name (letters, digits, '-', '_', '.')",
			                 d->owner);
		return rc;
	case F_OBJECTIVES:
		return objectives_list(p, v, out);
	case F_REVIEW: {
		rc = scalar(p, v, name, &s);
		char *end = NULL;
		long days = rc == 0 ? strtol(s, &end, 10) : 0;
		if (rc == 0 && (!*s || *end || days < 1 || days > REVIEW_DAYS_MAX))
			rc = field_error(p, v, name, "'%s': expected a number of days, 1 to %d", s,
			                 REVIEW_DAYS_MAX);
		d->review_interval_days = (int)days;
		return rc;
	}
	case F_INCENTIVE:
		return bool_field(p, v, name, &d->incentive_linked);
	case F_FORMULA:
		return formula_json(p, v, out);
	case F_COUNT_:
		break;
	}
	BUG("unknown field %d", (int)f);
}

int catalog_parse(const char *name, const char *data, size_t len, struct arena *a,
                  struct catalog_file *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	yaml_document_t doc;
	int rc = yamldoc_load(name, data, len, &doc, err);
	if (rc < 0)
		return rc;
	struct parse p = {name, &doc, a, err};
	const yaml_node_t *root = yaml_document_get_root_node(&doc);
	rc = yamldoc_expect(name, root, YAML_MAPPING_NODE, "a mapping of definition fields", err);
	bool seen[F_COUNT_] = {false};
	for (yaml_node_pair_t *pr = rc == 0 ? root->data.mapping.pairs.start : NULL;
	     rc == 0 && pr < root->data.mapping.pairs.top; pr++) {
		const yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
		const char *field;
		rc = yamldoc_scalar(name, k, "name", a, &field, err);
		if (rc < 0)
			break;
		int f = 0;
		while (f < F_COUNT_ && strcmp(file_fields[f].name, field) != 0)
			f++;
		if (f == F_COUNT_) {
			struct sb known = SB_INIT;
			for (int i = 0; i < F_COUNT_; i++)
				sb_printf(&known, "%s%s", i ? ", " : "", file_fields[i].name);
			rc = err_set(err, ERR_INVALID, "%s:%ld: unknown field %s", name,
			             yamldoc_line(k), field);
			err_detail(err, "the fields are: %s", known.buf);
			sb_release(&known);
			break;
		}
		if (seen[f]) {
			rc = field_error(&p, k, field, "given twice");
			break;
		}
		seen[f] = true;
		rc = file_field_value(&p, (enum file_field)f,
		                      yaml_document_get_node(&doc, pr->value), out);
	}
	for (int f = 0; rc == 0 && f < F_COUNT_; f++)
		if (file_fields[f].required && !seen[f])
			rc = err_set(err, ERR_INVALID, "%s:%ld: field %s is missing", name,
			             yamldoc_line(root), file_fields[f].name);
	yaml_document_delete(&doc);
	if (rc < 0)
		return rc;
	struct metric_def *d = &out->def;
	if (!d->stages)
		d->stages = "new,growth,mature,sunset";
	if (!d->scopes)
		d->scopes = "org,team,service"; /* individual only when the file says so */
	if (!d->audiences)
		d->audiences = "executives,team";
	if (!d->review_interval_days)
		d->review_interval_days = DEFAULT_REVIEW;
	return 0;
}

/* ---- define ------------------------------------------------------------ */

/* Whether two versions define the same thing (metadata and formula). */
static bool same_definition(const struct metric_def *a, const struct metric_def *b)
{
	const char *const fa[] = {a->name,         a->description, a->unit,   a->direction,
	                          a->indicator,    a->stages,      a->scopes, a->audiences,
	                          a->stakeholders, a->owner,       a->formula};
	const char *const fb[] = {b->name,         b->description, b->unit,   b->direction,
	                          b->indicator,    b->stages,      b->scopes, b->audiences,
	                          b->stakeholders, b->owner,       b->formula};
	for (size_t i = 0; i < sizeof fa / sizeof fa[0]; i++)
		if (strcmp(fa[i], fb[i]) != 0)
			return false;
	return a->review_interval_days == b->review_interval_days &&
	       a->incentive_linked == b->incentive_linked;
}

/* A review interval's next review, counted from today (a version's
 * activation, or its review). */
static int64_t next_review_from_today(int interval_days)
{
	return ts_day_floor(ts_now_ms()) + (int64_t)interval_days * MS_PER_DAY;
}

struct define_args {
	const char *name; /* the file, as errors call it */
	struct catalog_file *file;
	const char *source_text;
	struct catalog_define_result *out;
};

/* Maps the file's objectives to the key; out->mapped gets those newly mapped. */
static int map_file_objectives(struct ctx *ctx, const struct define_args *a, struct error *err)
{
	struct catalog_define_result *out = a->out;
	out->mapped = arena_array(ctx->arena, a->file->nobjectives + 1, sizeof *out->mapped);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < a->file->nobjectives; i++) {
		bool changed;
		rc = map_tx(ctx, a->file->def.key, a->file->objectives[i], &changed, err);
		if (rc == 0 && changed)
			out->mapped[out->nmapped++] = a->file->objectives[i];
	}
	return rc;
}

/* The file says what the version in use says while newer proposals wait:
 * they are rejected as withdrawn and no version is stored. */
static int withdraw_proposals(struct ctx *ctx, const struct define_args *a,
                              const struct catalog_entry *versions, size_t n,
                              const struct catalog_entry *use, struct error *err)
{
	struct catalog_define_result *out = a->out;
	out->version = use->def.version;
	out->status = use->def.status;
	out->approvers = use->def.stakeholders;
	char *why = arena_printf(ctx->arena, "withdrawn: version %d, in use, was defined again",
	                         use->def.version);
	struct sb withdrawn = SB_INIT;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (strcmp(versions[i].def.status, "proposed") != 0)
			continue;
		rc = set_status(ctx, versions[i].def.id, "rejected", why, err);
		sb_printf(&withdrawn, "%s%d", withdrawn.len ? "," : "", versions[i].def.version);
	}
	out->superseded = withdrawn.len ? arena_strdup(ctx->arena, withdrawn.buf) : NULL;
	sb_release(&withdrawn);
	/* None left to withdraw (an earlier one was): the same file again. */
	if (rc == 0 && !out->superseded) {
		rc = map_file_objectives(ctx, a, err);
		return rc == 0 && out->nmapped == 0 ? CTX_ROLLBACK : rc;
	}
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kint(&w, "version", use->def.version);
	jw_kstr(&w, "status", use->def.status);
	jw_kstr(&w, "withdrawn", out->superseded);
	jw_object_end(&w);
	if (rc == 0)
		rc = audit_json(ctx, "metric.define", "metric", a->file->def.key, &detail, err);
	else
		sb_release(&detail);
	return rc < 0 ? rc : map_file_objectives(ctx, a, err);
}

static int define_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct define_args *a = arg;
	struct metric_def *d = &a->file->def;
	struct catalog_define_result *out = a->out;
	memset(out, 0, sizeof *out);
	out->key = d->key;
	/* The objectives first: an unknown one writes nothing. */
	for (size_t i = 0; i < a->file->nobjectives; i++) {
		int64_t id;
		bool found;
		int rc = objective_id(ctx, a->file->objectives[i], &id, &found, err);
		if (rc < 0)
			return rc;
		if (!found) {
			/* A bad file like any other: its line, exit 1. */
			const char *known;
			rc = objective_names(ctx, &known, err);
			if (rc < 0)
				return rc;
			err_set(err, ERR_INVALID, "%s:%ld: field objectives: no objective '%s'",
			        a->name, a->file->objective_lines[i], a->file->objectives[i]);
			err_detail(err, "the objectives are: %s", known);
			err_hint(err, "add one with 'plumb objectives add NAME', or fix the file");
			return ERR_INVALID;
		}
	}
	struct catalog_entry *versions;
	size_t n;
	int rc = load_versions(ctx, d->key, &versions, &n, err);
	if (rc < 0)
		return rc;
	const struct catalog_entry *newest = n ? &versions[n - 1] : NULL;
	bool same = newest && same_definition(&newest->def, d) &&
	            strcmp(newest->def.status, "retired") != 0 &&
	            strcmp(newest->def.status, "rejected") != 0;
	/* A new version answers to the functions of the version in use too. */
	const struct catalog_entry *use = computed_of(versions, n);
	/* The version in use defined again while a newer one waits takes the
	 * proposal back: as a new version it would need every function again
	 * and, once approved, deprecate what it copies, restart its review and
	 * supersede its sign-offs (found trying define v2, then v1's file). */
	if (!same && use && use != newest && same_definition(&use->def, d))
		return withdraw_proposals(ctx, a, versions, n, use, err);
	out->approvers = d->stakeholders;
	if (use && !(same && use == newest)) {
		out->approvers = with_functions_of(ctx->arena, d->stakeholders,
		                                   use->def.stakeholders, &out->inherited);
		out->in_use = out->inherited ? use->def.version : 0;
	}
	if (same) {
		out->version = newest->def.version;
		out->status = newest->def.status;
	} else {
		d->version = newest ? newest->def.version + 1 : 1;
		d->status = "proposed";
		d->builtin = false;
		d->next_review = next_review_from_today(d->review_interval_days);
		rc = insert_def(ctx, d, a->file->params, a->source_text, &d->id, err);
		/* A proposal nobody decided on yet gives way to the new one. */
		struct sb superseded = SB_INIT;
		for (size_t i = 0; rc == 0 && i < n; i++) {
			if (strcmp(versions[i].def.status, "proposed") != 0)
				continue;
			char *why =
			        arena_printf(ctx->arena, "superseded by version %d", d->version);
			rc = set_status(ctx, versions[i].def.id, "rejected", why, err);
			sb_printf(&superseded, "%s%d", superseded.len ? "," : "",
			          versions[i].def.version);
		}
		out->superseded = superseded.len ? arena_strdup(ctx->arena, superseded.buf) : NULL;
		sb_release(&superseded);
		out->version = d->version;
		out->status = d->status;
		out->created = true;
		struct sb detail = SB_INIT;
		struct jw w;
		jw_init(&w, &detail, false);
		jw_object_begin(&w);
		jw_kint(&w, "version", d->version);
		jw_kstr(&w, "status", d->status);
		jw_key(&w, "formula");
		jw_raw(&w, d->formula);
		jw_kstr(&w, "stakeholders", d->stakeholders);
		jw_kstr(&w, "approvers", out->approvers);
		jw_kstr(&w, "owner", d->owner);
		jw_kbool(&w, "incentive_linked", d->incentive_linked);
		jw_kstr(&w, "superseded", out->superseded);
		jw_object_end(&w);
		if (rc == 0)
			rc = audit_json(ctx, "metric.define", "metric", d->key, &detail, err);
		else
			sb_release(&detail);
	}
	if (rc == 0)
		rc = map_file_objectives(ctx, a, err);
	if (rc == 0 && !out->created && out->nmapped == 0)
		return CTX_ROLLBACK;
	return rc;
}

int catalog_define(struct ctx *ctx, const char *name, const char *data, size_t len,
                   struct catalog_define_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	int rc = ctx_op_check(ctx, OP_METRIC_DEFINE, err);
	struct catalog_file file;
	if (rc == 0)
		rc = catalog_parse(name, data, len, ctx->arena, &file, err);
	if (rc < 0)
		return rc;
	struct define_args a = {name, &file, arena_strndup(ctx->arena, data, len), out};
	return ctx_run(ctx, OP_METRIC_DEFINE, define_body, &a, err);
}

/* ---- approve and object ------------------------------------------------ */

struct decide_args {
	const char *key, *function, *reason;
	int version;
	enum catalog_decision decision;
	struct catalog_decide_result *out;
};

static int find_version(const struct catalog_entry *v, size_t n, int version,
                        const struct catalog_entry **out)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].def.version == version) {
			*out = &v[i];
			return 0;
		}
	return -1;
}

static int record_decision(struct ctx *ctx, int64_t def_id, const struct decide_args *a,
                           struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "DELETE FROM metric_approvals WHERE def_id = ?1 AND function = ?2",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, def_id);
	stmt_bind_text(st, 2, a->function);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	rc = store_prepare(ctx->store,
	                   "INSERT INTO metric_approvals(def_id, function, decision, reason, "
	                   "decided_by, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, def_id);
	stmt_bind_text(st, 2, a->function);
	stmt_bind_text(st, 3, a->decision == CATALOG_APPROVE ? "approved" : "objected");
	stmt_bind_text(st, 4, a->reason);
	stmt_bind_text(st, 5, ctx->actor.name);
	stmt_bind_int(st, 6, ts_clock_ms());
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Approving speaks for a function: a leader, a people partner or an admin
 * may; employees, managers and analysts may not.  Checked before anything
 * is read. */
static int may_decide(struct ctx *ctx, const char *verb, struct error *err)
{
	static const enum role speakers[] = {ROLE_LEADER, ROLE_PEOPLE_PARTNER, ROLE_ADMIN};
	for (size_t i = 0; i < sizeof speakers / sizeof speakers[0]; i++)
		if (actor_has_role(&ctx->actor, speakers[i]))
			return 0;
	err_set(err, ERR_DENIED,
	        "permission denied: only a leader, people partner or admin may %s a metric "
	        "definition",
	        verb);
	err_detail(err, "user '%s' has none of these roles", ctx->actor.name);
	err_hint(err, "a decision speaks for a stakeholder function: ask the function's leader");
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

/* One user speaks for one function of a version: the function another
 * decision of the actor on def_id is for, or *other NULL. */
static int actor_decided_other(struct ctx *ctx, int64_t def_id, const char *function,
                               const char **other, struct error *err)
{
	*other = NULL;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT function FROM metric_approvals WHERE def_id = ?1 "
	                       "AND decided_by = ?2 AND function <> ?3 ORDER BY function",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, def_id);
	stmt_bind_text(st, 2, ctx->actor.name);
	stmt_bind_text(st, 3, function);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		*other = stmt_text_dup(st, 0, ctx->arena);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int decide_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct decide_args *a = arg;
	struct catalog_decide_result *out = a->out;
	memset(out, 0, sizeof *out);
	struct catalog_entry *versions;
	size_t n;
	const struct catalog_entry *cur = NULL;
	int rc = may_decide(ctx, a->decision == CATALOG_APPROVE ? "approve" : "object to", err);
	if (rc == 0)
		rc = load_versions(ctx, a->key, &versions, &n, err);
	if (rc < 0)
		return rc;
	if (n == 0)
		return key_not_found(a->key, err);
	if (find_version(versions, n, a->version, &cur) < 0) {
		err_set(err, ERR_NOT_FOUND, "%s has no version %d", a->key, a->version);
		err_detail(err, "its newest version is %d", versions[n - 1].def.version);
		return ERR_NOT_FOUND;
	}
	if (strcmp(cur->def.status, "proposed") != 0) {
		err_set(err, ERR_CONFLICT, "version %d of %s is %s, not proposed", a->version,
		        a->key, cur->def.status);
		if (cur->status_reason)
			err_detail(err, "%s", cur->status_reason);
		return ERR_CONFLICT;
	}
	struct catalog_entry e = *cur;
	set_approvers(ctx->arena, versions, n, &e);
	if (!catalog_list_has(e.approvers, a->function)) {
		err_set(err, ERR_USAGE, "%s is not a stakeholder function of %s", a->function,
		        a->key);
		const struct catalog_entry *use = computed_of(versions, n);
		if (strcmp(e.approvers, cur->def.stakeholders) != 0 && use)
			err_detail(err,
			           "version %d's stakeholder functions are: %s (with those of "
			           "version %d, in use)",
			           a->version, e.approvers, use->def.version);
		else
			err_detail(err, "version %d's stakeholder functions are: %s", a->version,
			           e.approvers);
		return ERR_USAGE;
	}
	const char *other;
	rc = actor_decided_other(ctx, cur->def.id, a->function, &other, err);
	if (rc < 0)
		return rc;
	if (other) {
		err_set(err, ERR_CONFLICT, "%s already decided for %s on version %d of %s",
		        ctx->actor.name, other, a->version, a->key);
		err_detail(err, "one user speaks for one stakeholder function of a version");
		err_hint(err, "someone who speaks for %s decides for it", a->function);
		return ERR_CONFLICT;
	}
	rc = record_decision(ctx, cur->def.id, a, err);
	if (rc == 0)
		rc = load_approvals_of(ctx, &e, err);
	if (rc < 0)
		return rc;
	bool objected = false;
	out->pending = arena_array(ctx->arena, e.napprovals + 1, sizeof *out->pending);
	for (size_t i = 0; i < e.napprovals; i++) {
		if (strcmp(e.approvals[i].decision, "pending") == 0)
			out->pending[out->npending++] = e.approvals[i].function;
		objected = objected || strcmp(e.approvals[i].decision, "objected") == 0;
	}
	out->status = "proposed";
	if (!objected && out->npending == 0) {
		out->status = "active";
		/* The review date counts from the day the version is in use. */
		out->next_review = next_review_from_today(cur->def.review_interval_days);
		rc = activate(ctx, cur->def.id, out->next_review, err);
		char *why = arena_printf(ctx->arena, "superseded by version %d", a->version);
		for (size_t i = 0; rc == 0 && i < n; i++)
			if (versions[i].def.version < a->version &&
			    strcmp(versions[i].def.status, "active") == 0) {
				rc = set_status(ctx, versions[i].def.id, "deprecated", why, err);
				out->deprecated = versions[i].def.version;
			}
	}
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kint(&w, "version", a->version);
	jw_kstr(&w, "function", a->function);
	jw_kstr(&w, "reason", a->reason);
	jw_kstr(&w, "status", out->status);
	if (out->deprecated)
		jw_kint(&w, "deprecated", out->deprecated);
	if (out->next_review) {
		jw_key(&w, "next_review");
		jw_date(&w, out->next_review, true);
	}
	jw_object_end(&w);
	if (rc < 0) {
		sb_release(&detail);
		return rc;
	}
	return audit_json(ctx, a->decision == CATALOG_APPROVE ? "metric.approve" : "metric.object",
	                  "metric", a->key, &detail, err);
}

int catalog_decide(struct ctx *ctx, const char *key, int version, const char *function,
                   enum catalog_decision decision, const char *reason,
                   struct catalog_decide_result *out, struct error *err)
{
	enum op_id op = decision == CATALOG_APPROVE ? OP_METRIC_APPROVE : OP_METRIC_OBJECT;
	int rc = ctx_op_check(ctx, op, err);
	if (rc < 0)
		return rc;
	if (!org_has_text(reason))
		reason = NULL;
	if (decision == CATALOG_OBJECT && !reason) {
		err_set(err, ERR_USAGE, "an objection needs --reason TEXT");
		err_detail(err, "the reason is what the definition's owner must answer");
		return ERR_USAGE;
	}
	if (reason && !org_valid_text(reason, DESCRIPTION_MAX)) {
		err_set(err, ERR_USAGE, "--reason: expected one line of text, up to %d bytes",
		        DESCRIPTION_MAX);
		return ERR_USAGE;
	}
	struct decide_args a = {key, function, reason, version, decision, out};
	return ctx_run(ctx, op, decide_body, &a, err);
}

/* ---- reading the catalogue --------------------------------------------- */

struct list_args {
	int64_t now;
	int mode; /* 0 catalog, 1 proposals, 2 review due */
	struct catalog_entry **out;
	size_t *n;
};

static int list_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct list_args *a = arg;
	struct catalog_entry *all;
	size_t n;
	int rc = load_versions(ctx, NULL, &all, &n, err);
	if (rc < 0)
		return rc;
	struct catalog_entry *items = arena_array(ctx->arena, n + 1, sizeof *items);
	size_t count = 0;
	if (a->mode == 1) {
		for (size_t i = 0; i < n; i++)
			if (strcmp(all[i].def.status, "proposed") == 0)
				items[count++] = all[i];
	} else {
		current_versions(all, n, items, &count);
	}
	if (a->mode == 2) {
		int64_t today = ts_day_floor(a->now);
		size_t k = 0;
		for (size_t i = 0; i < count; i++)
			/* Only a version in use is reviewed (metrics reviewed): a
			 * proposal never approved, or a key retired, is not due. */
			if (computable(items[i].def.status) && items[i].def.next_review <= today)
				items[k++] = items[i];
		count = k;
	}
	for (size_t i = 0; rc == 0 && i < count; i++) {
		if (strcmp(items[i].def.status, "proposed") == 0) {
			size_t lo = 0, hi;
			while (strcmp(all[lo].def.key, items[i].def.key) != 0)
				lo++;
			for (hi = lo; hi < n && strcmp(all[hi].def.key, items[i].def.key) == 0;
			     hi++)
				;
			set_approvers(ctx->arena, &all[lo], hi - lo, &items[i]);
		}
		rc = load_objectives_of(ctx, &items[i], err);
		if (rc == 0)
			rc = load_approvals_of(ctx, &items[i], err);
	}
	*a->out = items;
	*a->n = count;
	return rc;
}

static int run_list(struct ctx *ctx, enum op_id op, int mode, int64_t now,
                    struct catalog_entry **out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	struct list_args a = {now, mode, out, n};
	return ctx_run(ctx, op, list_body, &a, err);
}

int catalog_list(struct ctx *ctx, struct catalog_entry **out, size_t *n, struct error *err)
{
	return run_list(ctx, OP_METRIC_CATALOG, 0, 0, out, n, err);
}

int catalog_proposals(struct ctx *ctx, struct catalog_entry **out, size_t *n, struct error *err)
{
	return run_list(ctx, OP_METRIC_PROPOSALS, 1, 0, out, n, err);
}

int catalog_review_due(struct ctx *ctx, int64_t now, struct catalog_entry **out, size_t *n,
                       struct error *err)
{
	return run_list(ctx, OP_METRIC_REVIEW_DUE, 2, now, out, n, err);
}

struct show_args {
	const char *key;
	int version;
	struct catalog_entry *out;
};

static int show_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct show_args *a = arg;
	struct catalog_entry *versions;
	size_t n;
	int rc = load_versions(ctx, a->key, &versions, &n, err);
	if (rc < 0)
		return rc;
	if (n == 0)
		return key_not_found(a->key, err);
	const struct catalog_entry *pick = NULL;
	if (a->version) {
		if (find_version(versions, n, a->version, &pick) < 0) {
			err_set(err, ERR_NOT_FOUND, "%s has no version %d", a->key, a->version);
			err_detail(err, "its newest version is %d", versions[n - 1].def.version);
			return ERR_NOT_FOUND;
		}
	} else {
		pick = computed_of(versions, n);
		if (!pick)
			pick = &versions[n - 1];
	}
	*a->out = *pick;
	a->out->latest_version = versions[n - 1].def.version;
	a->out->latest_status = versions[n - 1].def.status;
	set_approvers(ctx->arena, versions, n, a->out);
	rc = load_objectives_of(ctx, a->out, err);
	if (rc == 0)
		rc = load_approvals_of(ctx, a->out, err);
	return rc;
}

int catalog_show(struct ctx *ctx, const char *key, int version, struct catalog_entry *out,
                 struct error *err)
{
	memset(out, 0, sizeof *out);
	struct show_args a = {key, version, out};
	return ctx_run(ctx, OP_METRIC_SHOW, show_body, &a, err);
}

/* ---- retire and map ---------------------------------------------------- */

struct retire_args {
	const char *key, *reason;
	int *versions;
};

static int retire_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct retire_args *a = arg;
	*a->versions = 0;
	struct catalog_entry *versions;
	size_t n;
	int rc = load_versions(ctx, a->key, &versions, &n, err);
	if (rc < 0)
		return rc;
	if (n == 0)
		return key_not_found(a->key, err);
	struct sb list = SB_INIT;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const char *s = versions[i].def.status;
		if (strcmp(s, "retired") == 0 || strcmp(s, "rejected") == 0)
			continue;
		rc = set_status(ctx, versions[i].def.id, "retired", a->reason, err);
		sb_printf(&list, "%s%d", list.len ? "," : "", versions[i].def.version);
		(*a->versions)++;
	}
	if (rc == 0 && *a->versions == 0) {
		err_set(err, ERR_CONFLICT, "%s is already retired", a->key);
		rc = ERR_CONFLICT;
	}
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "versions", list.buf);
	jw_kstr(&w, "reason", a->reason);
	jw_object_end(&w);
	sb_release(&list);
	if (rc < 0) {
		sb_release(&detail);
		return rc;
	}
	return audit_json(ctx, "metric.retire", "metric", a->key, &detail, err);
}

int catalog_retire(struct ctx *ctx, const char *key, const char *reason, int *versions,
                   struct error *err)
{
	*versions = 0;
	int rc = ctx_op_check(ctx, OP_METRIC_RETIRE, err);
	if (rc < 0)
		return rc;
	if (!reason || !*reason || !org_valid_text(reason, DESCRIPTION_MAX)) {
		err_set(err, ERR_USAGE, "--reason: expected one line of text, up to %d bytes",
		        DESCRIPTION_MAX);
		return ERR_USAGE;
	}
	struct retire_args a = {key, reason, versions};
	return ctx_run(ctx, OP_METRIC_RETIRE, retire_body, &a, err);
}

struct map_args {
	const char *key, *objective;
	bool *changed;
};

static int map_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct map_args *a = arg;
	struct catalog_entry *versions;
	size_t n;
	int rc = load_versions(ctx, a->key, &versions, &n, err);
	if (rc < 0)
		return rc;
	if (n == 0)
		return key_not_found(a->key, err);
	rc = map_tx(ctx, a->key, a->objective, a->changed, err);
	return rc == 0 && !*a->changed ? CTX_ROLLBACK : rc;
}

int catalog_map(struct ctx *ctx, const char *key, const char *objective, bool *changed,
                struct error *err)
{
	*changed = false;
	struct map_args a = {key, objective, changed};
	return ctx_run(ctx, OP_METRIC_MAP, map_body, &a, err);
}

struct unmap_args {
	const char *key, *objective;
};

static int unmap_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct unmap_args *a = arg;
	struct catalog_entry *versions;
	size_t n;
	int64_t oid = 0;
	bool found;
	int rc = load_versions(ctx, a->key, &versions, &n, err);
	if (rc < 0)
		return rc;
	if (n == 0)
		return key_not_found(a->key, err);
	rc = objective_id(ctx, a->objective, &oid, &found, err);
	if (rc < 0)
		return rc;
	if (!found)
		return unknown_objective(ctx, a->objective, err);
	struct catalog_entry e = versions[n - 1];
	rc = load_objectives_of(ctx, &e, err);
	if (rc < 0)
		return rc;
	bool mapped = false;
	for (size_t i = 0; i < e.nobjectives; i++)
		mapped = mapped || strcmp(e.objectives[i], a->objective) == 0;
	if (!mapped) {
		struct sb names = SB_INIT;
		for (size_t i = 0; i < e.nobjectives; i++)
			sb_printf(&names, "%s%s", i ? ", " : "", e.objectives[i]);
		err_set(err, ERR_CONFLICT, "metric %s is not mapped to objective '%s'", a->key,
		        a->objective);
		err_detail(err, "%s%s", e.nobjectives ? "its objectives are: " : "it maps to none",
		           names.buf);
		sb_release(&names);
		return ERR_CONFLICT;
	}
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "DELETE FROM metric_objectives WHERE metric_key = ?1 "
	                   "AND objective_id = ?2",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, a->key);
	stmt_bind_int(st, 2, oid);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "objective", a->objective);
	jw_object_end(&w);
	return audit_json(ctx, "metric.unmap", "metric", a->key, &detail, err);
}

int catalog_unmap(struct ctx *ctx, const char *key, const char *objective, struct error *err)
{
	struct unmap_args a = {key, objective};
	return ctx_run(ctx, OP_METRIC_UNMAP, unmap_body, &a, err);
}

/* ---- review ------------------------------------------------------------ */

struct reviewed_args {
	const char *key, *note;
	struct catalog_review_result *out;
};

static int reviewed_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct reviewed_args *a = arg;
	struct catalog_review_result *out = a->out;
	struct catalog_entry *versions;
	size_t n;
	int rc = load_versions(ctx, a->key, &versions, &n, err);
	if (rc < 0)
		return rc;
	if (n == 0)
		return key_not_found(a->key, err);
	const struct catalog_entry *use = computed_of(versions, n);
	if (!use) {
		err_set(err, ERR_CONFLICT, "no version of %s is in use", a->key);
		err_detail(err, "its newest version, %d, is %s; a review is of the version in use",
		           versions[n - 1].def.version, versions[n - 1].def.status);
		return ERR_CONFLICT;
	}
	const struct metric_def *d = &use->def;
	out->version = d->version;
	out->reviewed_on = ts_day_floor(ts_now_ms());
	out->previous_next = d->next_review;
	out->review_interval_days = d->review_interval_days;
	out->next_review = next_review_from_today(d->review_interval_days);
	struct store_stmt *st;
	rc = store_prepare(ctx->store, "UPDATE metric_defs SET next_review = ?2 WHERE id = ?1", &st,
	                   err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, d->id);
	stmt_bind_int(st, 2, out->next_review);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kint(&w, "version", d->version);
	jw_kstr(&w, "note", a->note);
	jw_key(&w, "previous_next_review");
	jw_date(&w, out->previous_next, true);
	jw_key(&w, "next_review");
	jw_date(&w, out->next_review, true);
	jw_object_end(&w);
	return audit_json(ctx, "metric.reviewed", "metric", a->key, &detail, err);
}

int catalog_reviewed(struct ctx *ctx, const char *key, const char *note,
                     struct catalog_review_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	int rc = ctx_op_check(ctx, OP_METRIC_REVIEWED, err);
	if (rc < 0)
		return rc;
	if (note && !*note)
		note = NULL;
	if (note && !org_valid_text(note, DESCRIPTION_MAX)) {
		err_set(err, ERR_USAGE, "--note: expected one line of text, up to %d bytes",
		        DESCRIPTION_MAX);
		return ERR_USAGE;
	}
	struct reviewed_args a = {key, note, out};
	return ctx_run(ctx, OP_METRIC_REVIEWED, reviewed_body, &a, err);
}

/* ---- objectives -------------------------------------------------------- */

struct objectives_args {
	struct catalog_objective **out;
	size_t *n;
};

static void add_key(struct arena *a, const char ***list, size_t *n, const char *key)
{
	const char **grown = arena_array(a, *n + 1, sizeof *grown);
	if (*n)
		memcpy(grown, *list, *n * sizeof *grown);
	grown[(*n)++] = key;
	*list = grown;
}

static int objectives_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct objectives_args *a = arg;
	struct catalog_entry *all, *cur;
	size_t n, ncur = 0;
	int rc = load_versions(ctx, NULL, &all, &n, err);
	if (rc < 0)
		return rc;
	cur = arena_array(ctx->arena, n + 1, sizeof *cur);
	current_versions(all, n, cur, &ncur);
	struct store_stmt *st;
	rc = store_prepare(ctx->store, "SELECT id, name, description FROM objectives ORDER BY id",
	                   &st, err);
	if (rc < 0)
		return rc;
	size_t count = 0, alloc = 0;
	struct catalog_objective *items = NULL;
	int64_t *ids = NULL;
	size_t ids_alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		items = arena_grow(ctx->arena, items, count, &alloc, sizeof *items);
		ids = arena_grow(ctx->arena, ids, count, &ids_alloc, sizeof *ids);
		struct catalog_objective *o = &items[count];
		memset(o, 0, sizeof *o);
		ids[count++] = stmt_int(st, 0);
		o->name = stmt_text_dup(st, 1, ctx->arena);
		o->description = stmt_text_dup(st, 2, ctx->arena);
		for (size_t i = 0; i < NOBJECTIVES; i++)
			o->builtin = o->builtin || strcmp(builtin_objectives[i].name, o->name) == 0;
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	rc = store_prepare(ctx->store,
	                   "SELECT metric_key, objective_id FROM metric_objectives "
	                   "ORDER BY metric_key",
	                   &st, err);
	if (rc < 0)
		return rc;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		const char *key = stmt_text(st, 0);
		int64_t oid = stmt_int(st, 1);
		const struct catalog_entry *e = NULL;
		for (size_t i = 0; i < ncur && !e; i++)
			if (strcmp(cur[i].def.key, key) == 0)
				e = &cur[i];
		if (!e || strcmp(e->def.status, "retired") == 0)
			continue;
		for (size_t i = 0; i < count; i++) {
			if (ids[i] != oid)
				continue;
			bool leading = strcmp(e->def.indicator, "leading") == 0;
			if (leading)
				add_key(ctx->arena, &items[i].leading, &items[i].nleading,
				        e->def.key);
			else
				add_key(ctx->arena, &items[i].lagging, &items[i].nlagging,
				        e->def.key);
		}
	}
	stmt_reset(st);
	*a->out = items;
	*a->n = count;
	return rc < 0 ? rc : 0;
}

int catalog_objectives(struct ctx *ctx, struct catalog_objective **out, size_t *n,
                       struct error *err)
{
	*out = NULL;
	*n = 0;
	struct objectives_args a = {out, n};
	return ctx_run(ctx, OP_OBJECTIVE_LIST, objectives_body, &a, err);
}

struct objective_add_args {
	const char *name, *description;
};

static int objective_add_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct objective_add_args *a = arg;
	int64_t id;
	bool found;
	int rc = objective_id(ctx, a->name, &id, &found, err);
	if (rc < 0)
		return rc;
	if (found) {
		err_set(err, ERR_CONFLICT, "objective '%s' exists already", a->name);
		return ERR_CONFLICT;
	}
	struct store_stmt *st;
	rc = store_prepare(ctx->store, "INSERT INTO objectives(name, description) VALUES (?1, ?2)",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, a->name);
	stmt_bind_text(st, 2, a->description);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "description", a->description);
	jw_object_end(&w);
	return audit_json(ctx, "objective.add", "objective", a->name, &detail, err);
}

int catalog_objective_add(struct ctx *ctx, const char *name, const char *description,
                          struct error *err)
{
	int rc = ctx_op_check(ctx, OP_OBJECTIVE_ADD, err);
	if (rc < 0)
		return rc;
	if (!*name || !org_valid_text(name, KEY_MAX) || strchr(name, ',')) {
		err_set(err, ERR_USAGE, "'%s' is not a valid objective name", name);
		err_detail(err, "one line of text without commas, 1 to %d bytes", KEY_MAX);
		return ERR_USAGE;
	}
	if (!description)
		description = "";
	if (!org_valid_text(description, DESCRIPTION_MAX)) {
		err_set(err, ERR_USAGE, "--description: expected one line of text, up to %d bytes",
		        DESCRIPTION_MAX);
		return ERR_USAGE;
	}
	struct objective_add_args a = {name, description};
	return ctx_run(ctx, OP_OBJECTIVE_ADD, objective_add_body, &a, err);
}

/* ---- service lifecycle stages ------------------------------------------ */

static int service_id_of(struct ctx *ctx, const char *name, int64_t *id, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT id FROM services WHERE name = ?1", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, name);
	rc = stmt_step(st, err);
	bool found = rc == STORE_ROW;
	if (found)
		*id = stmt_int(st, 0);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (!found) {
		err_set(err, ERR_NOT_FOUND, "no service %s", name);
		err_hint(err, "create it with 'plumb service set %s --team TEAM'", name);
		return ERR_NOT_FOUND;
	}
	return 0;
}

/* One stage row of the service that sql (service ?1, instant ?2) selects:
 * the stage and its first day, or *stage NULL. */
static int stage_row(struct ctx *ctx, const char *sql, int64_t service_id, int64_t at,
                     const char **stage, int64_t *from, struct error *err)
{
	*stage = NULL;
	*from = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, service_id);
	stmt_bind_int(st, 2, at);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		*stage = stmt_text_dup(st, 0, ctx->arena);
		*from = stmt_int(st, 1);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The stage in effect at `at` and since when. */
static int stage_at(struct ctx *ctx, int64_t service_id, int64_t at, const char **stage,
                    int64_t *since, struct error *err)
{
	return stage_row(ctx,
	                 "SELECT stage, valid_from FROM service_stages WHERE service_id = ?1 "
	                 "AND valid_from <= ?2 ORDER BY valid_from DESC LIMIT 1",
	                 service_id, at, stage, since, err);
}

/* The earliest stage that starts after `at`, and when, or *stage NULL. */
static int first_stage_after(struct ctx *ctx, int64_t service_id, int64_t at, const char **stage,
                             int64_t *from, struct error *err)
{
	return stage_row(ctx,
	                 "SELECT stage, valid_from FROM service_stages WHERE service_id = ?1 "
	                 "AND valid_from > ?2 ORDER BY valid_from LIMIT 1",
	                 service_id, at, stage, from, err);
}

static int stage_delete(struct ctx *ctx, int64_t service_id, int64_t from, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store, "DELETE FROM service_stages WHERE service_id = ?1 AND valid_from = ?2",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, service_id);
	stmt_bind_int(st, 2, from);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* After stage was written from `from` on: no two rows in a row hold one
 * stage, so that "since" is when the stage began.  A same-day change taken
 * back leaves the row before in effect, and a stage given from before the
 * next row's start of that stage moves that start back (found by setting a
 * stage, then another on its day, then the first again: metrics suggest
 * said "since" the day of the change taken back). */
static int stage_join(struct ctx *ctx, int64_t service_id, int64_t from, const char *stage,
                      struct error *err)
{
	const char *next = NULL, *before = NULL;
	int64_t next_from = 0, before_from = 0;
	int rc = first_stage_after(ctx, service_id, from, &next, &next_from, err);
	if (rc == 0 && next && strcmp(next, stage) == 0)
		rc = stage_delete(ctx, service_id, next_from, err);
	if (rc == 0)
		rc = stage_at(ctx, service_id, from - 1, &before, &before_from, err);
	if (rc == 0 && before && strcmp(before, stage) == 0)
		rc = stage_delete(ctx, service_id, from, err);
	return rc;
}

struct stage_args {
	const char *service, *stage;
	int64_t from;
	bool *changed;
	const char **previous;
};

static int stage_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct stage_args *a = arg;
	*a->changed = false;
	*a->previous = NULL;
	int64_t sid = 0, since;
	int rc = service_id_of(ctx, a->service, &sid, err);
	if (rc == 0)
		rc = stage_at(ctx, sid, a->from, a->previous, &since, err);
	if (rc < 0)
		return rc;
	if (*a->previous && strcmp(*a->previous, a->stage) == 0)
		return CTX_ROLLBACK; /* so already */
	struct store_stmt *st;
	bool same_day = *a->previous && since == a->from;
	rc = store_prepare(ctx->store,
	                   same_day ? "UPDATE service_stages SET stage = ?3 "
	                              "WHERE service_id = ?1 AND valid_from = ?2"
	                            : "INSERT INTO service_stages(service_id, valid_from, stage) "
	                              "VALUES (?1, ?2, ?3)",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, sid);
	stmt_bind_int(st, 2, a->from);
	stmt_bind_text(st, 3, a->stage);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc == 0)
		rc = stage_join(ctx, sid, a->from, a->stage, err);
	if (rc < 0)
		return rc;
	*a->changed = true;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "stage", a->stage);
	jw_key(&w, "from");
	jw_date(&w, a->from, true);
	jw_kstr(&w, "previous", *a->previous);
	jw_object_end(&w);
	return audit_json(ctx, "service.stage", "service", a->service, &detail, err);
}

int catalog_stage_set(struct ctx *ctx, const char *service, const char *stage, int64_t from,
                      bool *changed, const char **previous, struct error *err)
{
	*changed = false;
	*previous = NULL;
	int rc = ctx_op_check(ctx, OP_SERVICE_STAGE, err);
	if (rc < 0)
		return rc;
	if (!in_set(stages_all, stage)) {
		struct sb set = SB_INIT;
		join_set(&set, stages_all);
		err_set(err, ERR_USAGE, "--stage '%s': expected one of %s", stage, set.buf);
		sb_release(&set);
		return ERR_USAGE;
	}
	struct stage_args a = {service, stage,
	                       from ? ts_day_floor(from) : ts_day_floor(ts_now_ms()), changed,
	                       previous};
	return ctx_run(ctx, OP_SERVICE_STAGE, stage_body, &a, err);
}

/* ---- fit for purpose --------------------------------------------------- */

struct suggest_args {
	const char *service, *audience;
	struct catalog_suggestion *out;
};

static int suggest_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct suggest_args *a = arg;
	struct catalog_suggestion *out = a->out;
	memset(out, 0, sizeof *out);
	int64_t sid = 0;
	int rc = service_id_of(ctx, a->service, &sid, err);
	if (rc == 0)
		rc = stage_at(ctx, sid, ts_now_ms(), &out->stage, &out->stage_since, err);
	if (rc < 0)
		return rc;
	if (!out->stage) {
		const char *first = NULL;
		int64_t from = 0;
		rc = first_stage_after(ctx, sid, ts_now_ms(), &first, &from, err);
		if (rc < 0)
			return rc;
		char day[TS_BUF];
		if (first) {
			err_set(err, ERR_CONFLICT, "service %s has no lifecycle stage yet",
			        a->service);
			err_detail(err, "its first stage, %s, starts on %s", first,
			           ts_format_date(from, day));
			err_hint(err,
			         "ask again from that day, or set a stage from today with 'plumb "
			         "service stage %s --stage new|growth|mature|sunset'",
			         a->service);
		} else {
			err_set(err, ERR_CONFLICT, "service %s has no lifecycle stage", a->service);
			err_hint(err,
			         "set one with 'plumb service stage %s --stage "
			         "new|growth|mature|sunset'",
			         a->service);
		}
		return ERR_CONFLICT;
	}
	struct catalog_entry *all, *cur;
	size_t n, ncur = 0;
	rc = load_versions(ctx, NULL, &all, &n, err);
	if (rc < 0)
		return rc;
	cur = arena_array(ctx->arena, n + 1, sizeof *cur);
	current_versions(all, n, cur, &ncur);
	out->leading = arena_array(ctx->arena, ncur + 1, sizeof *out->leading);
	out->lagging = arena_array(ctx->arena, ncur + 1, sizeof *out->lagging);
	for (size_t i = 0; i < ncur; i++) {
		const struct metric_def *d = &cur[i].def;
		if (strcmp(d->status, "active") != 0 || !catalog_list_has(d->stages, out->stage) ||
		    !catalog_list_has(d->audiences, a->audience) ||
		    !catalog_list_has(d->scopes, "service"))
			continue;
		if (strcmp(d->indicator, "leading") == 0)
			out->leading[out->nleading++] = *d;
		else
			out->lagging[out->nlagging++] = *d;
	}
	return 0;
}

int catalog_suggest(struct ctx *ctx, const char *service, const char *audience,
                    struct catalog_suggestion *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	int rc = ctx_op_check(ctx, OP_METRIC_SUGGEST, err);
	if (rc < 0)
		return rc;
	if (!in_set(audiences_all, audience)) {
		struct sb set = SB_INIT;
		join_set(&set, audiences_all);
		err_set(err, ERR_USAGE, "--audience '%s': expected one of %s", audience, set.buf);
		sb_release(&set);
		return ERR_USAGE;
	}
	struct suggest_args a = {service, audience, out};
	return ctx_run(ctx, OP_METRIC_SUGGEST, suggest_body, &a, err);
}

/* ---- for the compute service ------------------------------------------- */

int catalog_active(struct ctx *ctx, const char *key, struct arena *a, struct metric_def *out,
                   struct error *err)
{
	struct catalog_entry *versions;
	size_t n;
	int rc = load_versions(ctx, key, &versions, &n, err);
	if (rc < 0)
		return rc;
	if (n == 0)
		return key_not_found(key, err);
	const struct catalog_entry *e = computed_of(versions, n);
	*out = e ? e->def : versions[n - 1].def;
	/* Strings were copied into ctx->arena; the caller asked for a. */
	if (a != ctx->arena) {
		const char **fields[] = {&out->key,          &out->name,         &out->description,
		                         &out->unit,         &out->direction,    &out->indicator,
		                         &out->stages,       &out->scopes,       &out->audiences,
		                         &out->stakeholders, &out->owner,        &out->status,
		                         &out->formula,      &out->status_reason};
		for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
			*fields[i] = arena_strdup(a, *fields[i]);
	}
	if (!e) {
		err_set(err, ERR_CONFLICT, "no version of %s may be computed", key);
		err_detail(err, "its newest version, %d, is %s", out->version, out->status);
		return ERR_CONFLICT;
	}
	return 0;
}

/* The one definition sql (with ?1 bound to id) selects, or *found false. */
static int def_of_query(struct ctx *ctx, const char *sql, int64_t id, struct arena *a,
                        struct metric_def *out, bool *found, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, id);
	rc = stmt_step(st, err);
	*found = rc == STORE_ROW;
	if (*found) {
		struct catalog_entry e;
		def_of_row(st, a, &e);
		*out = e.def;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int catalog_def_by_id(struct ctx *ctx, int64_t id, struct arena *a, struct metric_def *out,
                      struct error *err)
{
	bool found;
	int rc = def_of_query(ctx, "SELECT " DEF_COLS " FROM metric_defs d WHERE d.id = ?1", id, a,
	                      out, &found, err);
	if (rc == 0 && !found)
		rc = err_set(err, ERR_NOT_FOUND, "no metric definition with id %" PRId64, id);
	return rc;
}

int catalog_def_of_value(struct ctx *ctx, int64_t value_id, struct arena *a, struct metric_def *out,
                         struct error *err)
{
	bool found;
	int rc = def_of_query(ctx,
	                      "SELECT " DEF_COLS " FROM metric_values v "
	                      "JOIN metric_defs d ON d.id = v.def_id WHERE v.id = ?1",
	                      value_id, a, out, &found, err);
	if (rc == 0 && !found)
		rc = err_set(err, ERR_NOT_FOUND, "no metric value %" PRId64, value_id);
	return rc;
}
