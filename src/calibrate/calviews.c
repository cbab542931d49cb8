/*
 * calviews: the calibration room's views (see calviews.h).
 */
#include "calibrate/calviews.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/sb.h"
#include "calibrate/calrater.h"
#include "calibrate/disttest.h"
#include "core/audit.h"
#include "core/aup.h"
#include "core/ctx.h"
#include "core/policy.h"
#include "review/feedback.h"
#include "review/score.h"
#include "store/store.h"

/* ---- rater effects ---- */

struct raters_args {
	const char *session;
	struct calviews_raters *out;
};

static int cmp_rater(const void *x, const void *y)
{
	const struct calviews_rater *a = x, *b = y;
	double da = fabs(a->effect), db = fabs(b->effect);
	if (da != db)
		return da < db ? 1 : -1;
	return strcmp(a->rater, b->rater);
}

const char *calviews_direction(double effect)
{
	return fabs(effect) < CALVIEWS_NEUTRAL ? "neutral" : effect > 0 ? "lenient" : "severe";
}

void calviews_fill_raters(struct arena *a, struct calviews_raters *out)
{
	const struct calsession *s = &out->s;
	out->fit = s->raters.fit;
	out->nrows = 0;
	out->adjusted = arena_array(a, s->npeople + 1, sizeof *out->adjusted);
	out->rows = arena_array(a, s->npeople + 1, sizeof *out->rows);
	for (size_t i = 0; i < s->npeople; i++) {
		const struct calsession_person *p = &s->people[i];
		const struct ratereff_rater *r = calrater_find(&s->raters, p->rated_by);
		out->adjusted[i] = r && p->scored[FW_AXIS_PERFORMANCE]
		                           ? p->axis[FW_AXIS_PERFORMANCE] - r->effect
		                           : NAN;
		if (!r)
			continue;
		size_t k = 0;
		while (k < out->nrows && strcmp(out->rows[k].rater, p->rated_by))
			k++;
		if (k == out->nrows)
			out->rows[out->nrows++] =
			        (struct calviews_rater){p->rated_by,
			                                r->n,
			                                r->raw_mean,
			                                r->effect,
			                                r->sd,
			                                r->crossed,
			                                r->flagged,
			                                calviews_direction(r->effect),
			                                0};
		out->rows[k].people++;
	}
	if (out->nrows)
		qsort(out->rows, out->nrows, sizeof *out->rows, cmp_rater);
}

static int raters_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct raters_args *a = arg;
	struct calviews_raters *out = a->out;
	memset(out, 0, sizeof *out);
	int rc = calsession_load_tx(ctx, a->session, &out->s, err);
	if (rc == 0)
		calviews_fill_raters(ctx->arena, out);
	return rc;
}

int calviews_raters(struct ctx *ctx, const char *session, struct calviews_raters *out,
                    struct error *err)
{
	struct raters_args a = {session, out};
	return ctx_run(ctx, OP_CALIBRATE_RATERS, raters_body, &a, err);
}

/* ---- distributions ---- */

#define BY_NAME_(id, name) name,
static const char *const by_names[] = {CALVIEWS_BY_TABLE(BY_NAME_) NULL};
#undef BY_NAME_

static const char *group_of(const struct calsession_person *p, enum calviews_by by)
{
	const char *g = by == CALVIEWS_BY_MANAGER   ? p->rated_by
	                : by == CALVIEWS_BY_TEAM    ? p->team
	                : by == CALVIEWS_BY_PROFILE ? p->role_profile
	                                            : p->level;
	return g && *g ? g : "(none)";
}

static int cmp_group(const void *x, const void *y)
{
	return strcmp(((const struct calviews_group *)x)->name,
	              ((const struct calviews_group *)y)->name);
}

struct dist_args {
	const char *session;
	enum calviews_by by;
	struct calviews_distribution *out;
};

static int test_group(struct ctx *ctx, struct calviews_distribution *d, struct calviews_group *g,
                      struct error *err)
{
	size_t k = (size_t)(d->hi - d->lo + 1);
	uint32_t group[CALVIEWS_MAX_RATING + 1], rest[CALVIEWS_MAX_RATING + 1];
	for (size_t c = 0; c < k; c++) {
		group[c] = (uint32_t)g->counts[d->lo + (int)c];
		rest[c] = (uint32_t)(d->population[d->lo + (int)c] - g->counts[d->lo + (int)c]);
	}
	g->p = NAN;
	if (g->n == d->total)
		return 0;
	struct disttest_result r;
	struct error why = {0};
	/* Too large for the exact test is reported as untested, not as a failure. */
	if (disttest_fisher(ctx->arena, group, rest, k, NULL, &r, &why) < 0)
		return 0;
	(void)err;
	g->p = r.p;
	g->method = r.method == DISTTEST_EXACT ? "exact" : "monte-carlo";
	g->differs = r.p < CALVIEWS_ALPHA;
	return 0;
}

static int dist_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct dist_args *a = arg;
	struct calviews_distribution *d = a->out;
	memset(d, 0, sizeof *d);
	int rc = calsession_load_tx(ctx, a->session, &d->s, err);
	if (rc < 0)
		return rc;
	const struct calsession *s = &d->s;
	d->by = by_names[a->by];
	d->lo = s->scale && s->scale->npoints ? s->scale->points[0].value : 1;
	d->hi = s->scale && s->scale->npoints ? s->scale->points[s->scale->npoints - 1].value : 5;
	if (d->lo < 0 || d->hi > CALVIEWS_MAX_RATING || d->lo > d->hi)
		return err_set(err, ERR_INVALID, "the performance scale runs %d to %d: beyond %d",
		               d->lo, d->hi, CALVIEWS_MAX_RATING);
	d->groups = arena_array(ctx->arena, s->npeople + 1, sizeof *d->groups);
	double total_score = 0;
	for (size_t i = 0; i < s->npeople; i++) {
		const struct calsession_person *p = &s->people[i];
		if (p->performance == CALSESSION_UNRATED)
			continue;
		const char *name = group_of(p, a->by);
		size_t g = 0;
		while (g < d->ngroups && strcmp(d->groups[g].name, name))
			g++;
		if (g == d->ngroups)
			d->groups[d->ngroups++] = (struct calviews_group){.name = name};
		d->groups[g].n++;
		d->groups[g].counts[p->performance]++;
		d->groups[g].mean += p->axis[FW_AXIS_PERFORMANCE];
		d->population[p->performance]++;
		d->total++;
		total_score += p->axis[FW_AXIS_PERFORMANCE];
	}
	d->mean = d->total ? total_score / d->total : NAN;
	qsort(d->groups, d->ngroups, sizeof *d->groups, cmp_group);
	for (size_t g = 0; g < d->ngroups && rc == 0; g++) {
		d->groups[g].mean /= d->groups[g].n;
		rc = test_group(ctx, d, &d->groups[g], err);
	}
	return rc;
}

int calviews_distribution(struct ctx *ctx, const char *session, const char *by,
                          struct calviews_distribution *out, struct error *err)
{
	int k = 0;
	while (by_names[k] && strcmp(by_names[k], by ? by : "manager"))
		k++;
	if (!by_names[k])
		return err_set(err, ERR_USAGE,
		               "--by '%s': expected manager, team, profile or level", by);
	struct dist_args a = {session, (enum calviews_by)k, out};
	return ctx_run(ctx, OP_CALIBRATE_DISTRIBUTION, dist_body, &a, err);
}

/* ---- 9-box ---- */

static int bin(double score, const struct calviews_ninebox_axis *axis)
{
	return score >= axis->high_from ? 2 : score >= axis->moderate_from ? 1 : 0;
}

struct box_args {
	const char *session;
	struct calviews_ninebox *out;
};

/* The axis's bins on its own scale: a framework may rate potential on 0, 2
 * and 4 and performance on 1 to 5, and the performance scale's meets (3)
 * put a potential at meets (2) low (found in the calibrate hunt).  One step
 * of the scale above meets is its next point (on 0, 2 and 4, 4; meets + 1
 * took 3; found in the calibrate hunt). */
static struct calviews_ninebox_axis ninebox_axis(const struct calsession *s, enum fw_axis axis)
{
	const struct fw_scale *scale = s->fw ? s->fw->axes[axis].scale : NULL;
	double meets = scale ? scale->meets : 3;
	return (struct calviews_ninebox_axis){scale, meets, meets + calsession_step(scale, meets)};
}

void calviews_fill_ninebox(struct arena *a, struct calviews_ninebox *o)
{
	const struct calsession *s = &o->s;
	o->performance = ninebox_axis(s, FW_AXIS_PERFORMANCE);
	o->potential = ninebox_axis(s, FW_AXIS_POTENTIAL);
	size_t cap = s->npeople + 1;
	for (int x = 0; x < 3; x++)
		for (int y = 0; y < 3; y++)
			o->box[x][y] =
			        (struct calviews_box){arena_array(a, cap, sizeof(const char *)), 0};
	o->unplaced = arena_array(a, cap, sizeof *o->unplaced);
	o->nunplaced = 0;
	for (size_t i = 0; i < s->npeople; i++) {
		const struct calsession_person *p = &s->people[i];
		if (!p->scored[FW_AXIS_PERFORMANCE] || !p->scored[FW_AXIS_POTENTIAL]) {
			o->unplaced[o->nunplaced++] = p->employee_id;
			continue;
		}
		struct calviews_box *b = &o->box[bin(p->axis[FW_AXIS_PERFORMANCE], &o->performance)]
		                                [bin(p->axis[FW_AXIS_POTENTIAL], &o->potential)];
		b->people[b->n++] = p->employee_id;
	}
}

const char *calviews_score_text(char *buf, size_t n, const struct calsession *s, enum fw_axis axis,
                                double score)
{
	struct calviews_ninebox_axis x = ninebox_axis(s, axis);
	double bins[2] = {x.moderate_from, x.high_from};
	return score_reported_text(buf, n, score, bins, 2);
}

const char *calviews_rounded_score_text(char *buf, size_t n, const struct calsession *s,
                                        double score)
{
	double marks[CALVIEWS_MAX_RATING + 1];
	size_t nmarks = 0;
	/* No scale (a session whose framework has none loaded): no midpoints. */
	for (size_t i = 1;
	     s->scale && i < s->scale->npoints && nmarks < sizeof marks / sizeof *marks; i++)
		marks[nmarks++] = (s->scale->points[i - 1].value + s->scale->points[i].value) / 2.0;
	return score_reported_text(buf, n, score, marks, nmarks);
}

static int ninebox_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct box_args *a = arg;
	struct calviews_ninebox *o = a->out;
	memset(o, 0, sizeof *o);
	int rc = calsession_load_tx(ctx, a->session, &o->s, err);
	if (rc == 0)
		calviews_fill_ninebox(ctx->arena, o);
	return rc;
}

int calviews_ninebox(struct ctx *ctx, const char *session, struct calviews_ninebox *out,
                     struct error *err)
{
	struct box_args a = {session, out};
	return ctx_run(ctx, OP_CALIBRATE_NINEBOX, ninebox_body, &a, err);
}

/* ---- forced curve ---- */

struct curve_args {
	const char *session;
	struct calviews_curve *out;
};

static int cmp_curve(const void *x, const void *y)
{
	const struct calviews_curve_row *a = x, *b = y;
	if (a->score != b->score)
		return a->score < b->score ? 1 : -1;
	return strcmp(a->person, b->person);
}

/* The guidance's midpoints, scaled to the population: how many people
 * each rating gets, largest remainders rounding so the counts add up
 * (docs/calibration.md).
 * False when every midpoint is 0 (--guidance 5=0-0 alone): no rating has a
 * share, and the remainders handed the top ranks 15, 14, ... 1 and the rest
 * 0, mostly no ratings of the scale (found in the calibrate hunt). */
static bool curve_targets(const struct calsession *s, int n, int *target)
{
	double mid[CALVIEWS_MAX_RATING + 1] = {0}, sum = 0;
	for (size_t g = 0; g < s->nguidance; g++) {
		int r = s->guidance[g].rating;
		if (r < 0 || r > CALVIEWS_MAX_RATING)
			continue;
		mid[r] = (s->guidance[g].lo + s->guidance[g].hi) / 2;
		sum += mid[r];
	}
	if (!(sum > 0))
		return false;
	int given = 0;
	double rem[CALVIEWS_MAX_RATING + 1];
	for (int r = 0; r <= CALVIEWS_MAX_RATING; r++) {
		double want = sum > 0 ? n * mid[r] / sum : 0;
		target[r] = (int)floor(want);
		rem[r] = mid[r] > 0 ? want - target[r] : -1; /* no share, no extra person */
		given += target[r];
	}
	/* Equal remainders (.5 each for ratings 1 and 5 of 30 people at 5%,
	 * 90%, 5%) give the person to the rating nearest meets, then to the
	 * higher: a rounding tie should not push anyone to an extreme (the
	 * lowest took it). */
	int meets = s->scale->meets;
	while (given < n) {
		int best = 0;
		for (int r = 1; r <= CALVIEWS_MAX_RATING; r++) {
			if (rem[r] < 0 || rem[r] < rem[best] - 1e-9)
				continue;
			if (rem[r] > rem[best] + 1e-9 || abs(r - meets) <= abs(best - meets))
				best = r;
		}
		target[best]++;
		rem[best] = -1;
		given++;
	}
	return true;
}

/* Ranks to ratings by cumulative cut-offs: from the top, each rating takes
 * the next target[r] ranks.  Equal scores are never split on an id: a group
 * goes to the rating whose ranks hold most of it (the higher on a tie), so
 * a rating holds a few more or fewer than its target only by what ties
 * move, and the cut-offs below stay where they are. */
static void curve_assign(struct calviews_curve_row *rows, size_t n, const int *target)
{
	for (size_t i = 0, end; i < n; i = end) {
		for (end = i + 1; end < n && rows[end].score == rows[i].score;)
			end++;
		int best = 0;
		size_t most = 0, from = 0;
		for (int r = CALVIEWS_MAX_RATING; r >= 0; r--) {
			size_t to = from + (size_t)target[r];
			size_t lo = i > from ? i : from, hi = end < to ? end : to;
			if (hi > lo && hi - lo > most) {
				most = hi - lo;
				best = r;
			}
			from = to;
		}
		for (size_t k = i; k < end; k++)
			rows[k].curve = best;
	}
}

static int curve_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct curve_args *a = arg;
	struct calviews_curve *o = a->out;
	memset(o, 0, sizeof *o);
	/* The guardrails look at the whole session, the reader's own row too: a
	 * reader in the population must not lift them for themselves. */
	int rc = calsession_load_whole_tx(ctx, a->session, &o->s, err);
	if (rc < 0)
		return rc;
	struct calsession *s = &o->s;
	size_t rated = 0;
	for (size_t i = 0; i < s->npeople; i++)
		rated += s->people[i].performance != CALSESSION_UNRATED;
	if ((int)rated < s->curve_minimum) {
		err_set(err, ERR_POLICY,
		        "a forced curve needs at least %d people; calibration session '%s' has %zu "
		        "with a performance rating",
		        s->curve_minimum, s->name, rated);
		err_detail(err, "on a small population a curve forces ratings the work does not "
		                "support: random variation alone moves several people a step");
		err_hint(err, "calibrate against the guidance ranges instead");
		return ERR_POLICY;
	}
	const struct policy *pol;
	if ((rc = policy_load(ctx, &pol, err)) < 0)
		return rc;
	struct hmap seen;
	hmap_init(&seen);
	for (size_t i = 0; rc == 0 && i < s->npeople; i++) {
		const char *country = s->people[i].country ? s->people[i].country : "";
		if (hmap_get(&seen, country, NULL))
			continue;
		hmap_put(&seen, country, 1);
		rc = aup_check_forced_ranking(ctx, pol, country, err);
	}
	hmap_release(&seen);
	if (rc < 0)
		return rc;
	calsession_hide_reader(ctx, s);
	o->rows = arena_array(ctx->arena, s->npeople + 1, sizeof *o->rows);
	for (size_t i = 0; i < s->npeople; i++)
		if (s->people[i].performance != CALSESSION_UNRATED)
			o->rows[o->nrows++] = (struct calviews_curve_row){
			        s->people[i].employee_id, s->people[i].axis[FW_AXIS_PERFORMANCE],
			        s->people[i].performance, 0};
	qsort(o->rows, o->nrows, sizeof *o->rows, cmp_curve);
	if (!curve_targets(s, (int)o->nrows, o->target)) {
		err_set(err, ERR_INVALID,
		        "calibration session '%s' has no rating a curve could place people in: "
		        "its guidance ranges are all 0%%",
		        s->name);
		err_hint(err,
		         "a curve follows the guidance ranges' midpoints: create a session whose "
		         "--guidance gives ratings a share");
		return ERR_INVALID;
	}
	curve_assign(o->rows, o->nrows, o->target);
	for (size_t i = 0; i < o->nrows; i++)
		o->moves += o->rows[i].curve != o->rows[i].current;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "session", s->name);
	jw_kint(&w, "people", (int64_t)o->nrows);
	jw_kint(&w, "moves", o->moves);
	jw_kstr(&w, "note", "a proposal: no rating changed");
	jw_object_end(&w);
	rc = audit_append(ctx, "calibrate.curve", "calibration_session",
	                  arena_printf(ctx->arena, "%lld", (long long)s->id), detail.buf, err);
	sb_release(&detail);
	return rc;
}

int calviews_curve(struct ctx *ctx, const char *session, struct calviews_curve *out,
                   struct error *err)
{
	struct curve_args a = {session, out};
	return ctx_run(ctx, OP_CALIBRATE_CURVE, curve_body, &a, err);
}

/* ---- agreement of the 360 ratings ---- */

struct agree_args {
	const char *session;
	struct calviews_agreement *out;
};

static size_t index_of(struct hmap *m, const char *key, size_t *count)
{
	int64_t v;
	if (hmap_get(m, key, &v))
		return (size_t)v;
	hmap_put(m, key, (int64_t)*count);
	return (*count)++;
}

/* One submitted feedback rating: a writer's value for a reviewee's
 * competency, the writer as person merge resolves them (two records of one
 * human are one writer, as feedback show counts them). */
struct agree_rating {
	int64_t reviewee, writer;
	const char *relation, *competency;
	double value;
};

static int agree_ratings(struct ctx *ctx, const struct calsession *s, struct agree_rating **out,
                         size_t *n, struct error *err)
{
	struct hmap people;
	hmap_init(&people);
	for (size_t i = 0; i < s->npeople; i++) {
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)s->people[i].person_id);
		hmap_put(&people, key, 1);
	}
	/* The writer resolved one step, as feedback's stored_versions does:
	 * person merge keeps person_merges flat. */
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT a.reviewee_id, COALESCE(cm.into_person_id, a.reviewer_id),"
	        " f.body, a.relation FROM feedback_responses f"
	        " JOIN review_assignments a ON a.id = f.assignment_id"
	        " LEFT JOIN person_merges cm ON cm.from_person_id = a.reviewer_id"
	        " WHERE a.cycle_id = ? AND a.status = 'active' AND a.relation IN"
	        " ('peer', 'upward', 'manager', 'cross_functional') AND f.status ="
	        " 'submitted' AND f.version = (SELECT MAX(version) FROM"
	        " feedback_responses x WHERE x.assignment_id = f.assignment_id AND"
	        " x.status = 'submitted') AND NOT " FEEDBACK_ABOUT_SELF(
	                "COALESCE(cm.into_person_id, a.reviewer_id)") " ORDER BY f.id",
	        &st, err);
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	if (rc < 0) {
		hmap_release(&people);
		return rc;
	}
	stmt_bind_int(st, 1, s->cycle_id);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)stmt_int(st, 0));
		if (!hmap_get(&people, key, NULL))
			continue;
		const char *relation = stmt_text_dup(st, 3, ctx->arena);
		cJSON *doc = cJSON_Parse(stmt_text(st, 2));
		const cJSON *it;
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "ratings"))
		{
			if (!cJSON_IsNumber(it) || !it->string)
				continue;
			*out = arena_grow(ctx->arena, *out, *n, &alloc, sizeof **out);
			(*out)[(*n)++] = (struct agree_rating){
			        stmt_int(st, 0), stmt_int(st, 1), relation,
			        arena_strdup(ctx->arena, it->string), it->valuedouble};
		}
		cJSON_Delete(doc);
	}
	stmt_reset(st);
	hmap_release(&people);
	return rc < 0 ? rc : 0;
}

/* A writer's ratings of one competency in one group, averaged: a human
 * with two records in a group is one writer (feedback show's fill_group). */
struct agree_writer {
	const struct agree_rating *first;
	double sum;
	int count;
};

/* Each writer's ratings gathered (*out, one per writer, group and
 * competency, in the order they first came), leaving out the grouped
 * relations' groups the reader wrote in: feedback show withholds them from
 * that reader, who with their own ratings known would learn whether the
 * other few agreed. */
static size_t agree_writers(struct ctx *ctx, const struct agree_rating *all, size_t nall,
                            struct agree_writer *out, bool *left_out)
{
	*left_out = false;
	int64_t me = ctx->actor.person_id;
	struct hmap wrote, seen;
	hmap_init(&wrote);
	hmap_init(&seen);
	char key[200];
	for (size_t i = 0; me && i < nall; i++)
		if (all[i].writer == me) {
			snprintf(key, sizeof key, "%lld:%s", (long long)all[i].reviewee,
			         all[i].relation);
			hmap_put(&wrote, key, 1);
		}
	size_t n = 0;
	for (size_t i = 0; i < nall; i++) {
		snprintf(key, sizeof key, "%lld:%s", (long long)all[i].reviewee, all[i].relation);
		if (strcmp(all[i].relation, "manager") != 0 && hmap_get(&wrote, key, NULL)) {
			*left_out = true;
			continue;
		}
		snprintf(key, sizeof key, "%lld:%s:%s:%lld", (long long)all[i].reviewee,
		         all[i].relation, all[i].competency, (long long)all[i].writer);
		int64_t at;
		if (!hmap_get(&seen, key, &at)) {
			at = (int64_t)n++;
			hmap_put(&seen, key, at);
			out[at] = (struct agree_writer){&all[i], 0, 0};
		}
		out[at].sum += all[i].value;
		out[at].count++;
	}
	hmap_release(&wrote);
	hmap_release(&seen);
	return n;
}

static void group_key(char *key, size_t size, const struct agree_rating *r)
{
	snprintf(key, size, "%lld:%s:%s", (long long)r->reviewee, r->relation, r->competency);
}

/* Nominal and ordinal alpha scale by scale (o->by_scale), over the
 * ratings' own points: pooled, a 1-9 scale's points beside a 1-5 one's are
 * neither one set of categories nor one order (3 of 1-9 is not 3 of 1-5),
 * and the disagreement expected by chance came from the mixture (found in
 * the calibrate hunt).  With more than one scale, o->all has neither.  all[i] is rating i on the
 * common scale, own[i] its value on its competency's (comp[i]) own scale. */
static int agree_by_scale(struct arena *a, const struct framework *fw,
                          const struct reliability_rating *all, const double *own,
                          const size_t *comp, size_t n, size_t nunits, size_t nraters,
                          struct calviews_agreement *o, struct error *err)
{
	o->by_scale = arena_array(a, fw->nscales + 1, sizeof *o->by_scale);
	struct reliability_rating *sub = arena_array(a, n + 1, sizeof *sub);
	size_t *unit = arena_array(a, nunits + 1, sizeof *unit);
	size_t *rater = arena_array(a, nraters + 1, sizeof *rater);
	bool *rated = arena_array(a, fw->ncompetencies + 1, sizeof *rated);
	for (size_t k = 0; k < fw->nscales; k++) {
		const struct fw_scale *scale = &fw->scales[k];
		size_t m = 0, mu = 0, mr = 0;
		/* Units and raters numbered anew: 0 means not seen, else index + 1. */
		memset(unit, 0, nunits * sizeof *unit);
		memset(rater, 0, nraters * sizeof *rater);
		memset(rated, 0, fw->ncompetencies * sizeof *rated);
		for (size_t i = 0; i < n; i++) {
			if (fw->competencies[comp[i]].scale != scale)
				continue;
			rated[comp[i]] = true;
			if (!unit[all[i].subject])
				unit[all[i].subject] = ++mu;
			if (!rater[all[i].rater])
				rater[all[i].rater] = ++mr;
			sub[m++] = (struct reliability_rating){unit[all[i].subject] - 1,
			                                       rater[all[i].rater] - 1, own[i]};
		}
		if (!m)
			continue;
		struct reliability_result res;
		int rc = reliability_compute(sub, m, mu, mr, &res, err);
		if (rc < 0)
			return rc;
		struct calviews_agreement_scale *x = &o->by_scale[o->nscales++];
		x->scale = scale->id;
		x->units = mu;
		x->ratings = m;
		x->nominal = res.alpha[RELIABILITY_NOMINAL];
		x->ordinal = res.alpha[RELIABILITY_ORDINAL];
		x->competencies = arena_array(a, fw->ncompetencies + 1, sizeof *x->competencies);
		for (size_t c = 0; c < fw->ncompetencies; c++)
			if (rated[c])
				x->competencies[x->ncompetencies++] = fw->competencies[c].id;
	}
	if (o->nscales > 1)
		o->all.alpha[RELIABILITY_NOMINAL] = o->all.alpha[RELIABILITY_ORDINAL] = NAN;
	return 0;
}

static int agree_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct agree_args *a = arg;
	struct calviews_agreement *o = a->out;
	memset(o, 0, sizeof *o);
	int rc = calsession_load_tx(ctx, a->session, &o->s, err);
	if (rc < 0)
		return rc;
	const struct calsession *s = &o->s;
	int threshold = s->fw ? s->fw->anonymity_threshold : 3;
	/* While feedback may still arrive, a statistic that moves with each
	 * response would tell who just answered: feedback show withholds its
	 * groups then too. */
	bool open = false;
	if ((rc = feedback_phase_open_tx(ctx, s->cycle_id, &open, err)) < 0)
		return rc;
	if (open) {
		o->withheld = true;
		o->why = "the cycle's feedback phase has not closed";
		return 0;
	}
	struct agree_rating *all;
	size_t nall;
	if ((rc = agree_ratings(ctx, s, &all, &nall, err)) < 0)
		return rc;
	struct agree_writer *writers = arena_array(ctx->arena, nall + 1, sizeof *writers);
	bool left_out;
	size_t nwriters = agree_writers(ctx, all, nall, writers, &left_out);
	/* A rating counts only as feedback show would show it: a manager's by
	 * name, a peer, upward or cross-functional one in a group where at least
	 * the threshold of writers rated that competency.  Below it, the
	 * statistic would say whether the few who did agreed. */
	struct hmap groups, units, raters;
	hmap_init(&groups);
	hmap_init(&units);
	hmap_init(&raters);
	char key[160];
	for (size_t i = 0; i < nwriters; i++) {
		int64_t count = 0;
		group_key(key, sizeof key, writers[i].first);
		hmap_get(&groups, key, &count);
		hmap_put(&groups, key, count + 1);
	}
	struct reliability_rating *ratings = arena_array(ctx->arena, nwriters + 1, sizeof *ratings);
	/* Each counted rating's value on its own scale and its competency's
	 * index in the framework, for the nominal and ordinal alphas. */
	double *own = arena_array(ctx->arena, nwriters + 1, sizeof *own);
	size_t *comp = arena_array(ctx->arena, nwriters + 1, sizeof *comp);
	size_t n = 0, nunits = 0, nraters = 0;
	for (size_t i = 0; i < nwriters; i++) {
		const struct agree_rating *r = writers[i].first;
		int64_t count = 0;
		group_key(key, sizeof key, r);
		hmap_get(&groups, key, &count);
		if (strcmp(r->relation, "manager") != 0 && count < threshold)
			continue;
		double value = writers[i].sum / writers[i].count, common;
		if (!calrater_on_scale(s->fw, r->competency, value, s->scale, &common))
			continue;
		/* A reviewer in two relations to one person (peer and
		 * cross-functional) answered twice: two raters, so no unit is
		 * rated twice by one. */
		snprintf(key, sizeof key, "%lld:%s", (long long)r->writer, r->relation);
		size_t rater = index_of(&raters, key, &nraters);
		snprintf(key, sizeof key, "%lld:%s", (long long)r->reviewee, r->competency);
		own[n] = value;
		comp[n] =
		        (size_t)(framework_competency(s->fw, r->competency) - s->fw->competencies);
		ratings[n++] =
		        (struct reliability_rating){index_of(&units, key, &nunits), rater, common};
	}
	hmap_release(&groups);
	hmap_release(&units);
	hmap_release(&raters);
	o->units = nunits;
	if (!n) {
		o->withheld = true;
		o->why = arena_printf(ctx->arena,
		                      "no rating is shown: none by a manager, and no competency "
		                      "rated by at least %d in a peer, upward or cross-functional "
		                      "group%s",
		                      threshold,
		                      left_out ? " but those you wrote in, which are not shown "
		                                 "to you"
		                               : "");
		return 0;
	}
	o->common_scale = s->scale->id;
	if ((rc = reliability_compute(ratings, n, nunits, nraters, &o->all, err)) < 0)
		return rc;
	return agree_by_scale(ctx->arena, s->fw, ratings, own, comp, n, nunits, nraters, o, err);
}

int calviews_agreement(struct ctx *ctx, const char *session, struct calviews_agreement *out,
                       struct error *err)
{
	struct agree_args a = {session, out};
	return ctx_run(ctx, OP_CALIBRATE_AGREEMENT, agree_body, &a, err);
}
