/*
 * calrater: the rater-effects model over a cycle's ratings (see calrater.h).
 */
#include "calibrate/calrater.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "core/ctx.h"
#include "review/feedback.h"
#include "review/framework.h"
#include "store/store.h"

struct builder {
	struct ctx *ctx;
	int64_t cycle;
	const struct fw_scale *to; /* the cycle's performance scale: every rating goes onto it */
	const int64_t *left_out;   /* the people whose ratings in cycle stay out */
	size_t nleft_out;
	struct hmap ratees, raters;
	struct ratereff_obs *obs;
	size_t nobs, alloc;
	const char **names;
	bool *evaluator;
	size_t nraters, names_alloc, evaluator_alloc;
	uint32_t nratees;
	const struct framework **frameworks; /* loaded, one per version */
	size_t nframeworks, frameworks_alloc;
};

static uint32_t index_of(struct builder *b, struct hmap *m, const char *key, bool rater)
{
	int64_t v;
	if (hmap_get(m, key, &v))
		return (uint32_t)v;
	if (!rater) {
		hmap_put(m, key, b->nratees);
		return b->nratees++;
	}
	struct arena *a = b->ctx->arena;
	b->names = arena_grow(a, b->names, b->nraters, &b->names_alloc, sizeof *b->names);
	b->evaluator =
	        arena_grow(a, b->evaluator, b->nraters, &b->evaluator_alloc, sizeof *b->evaluator);
	b->names[b->nraters] = arena_strdup(a, key);
	b->evaluator[b->nraters] = false;
	hmap_put(m, key, (int64_t)b->nraters);
	return (uint32_t)b->nraters++;
}

static void add(struct builder *b, int64_t cycle, int64_t person, const char *rater, double y,
                bool evaluation)
{
	for (size_t i = 0; cycle == b->cycle && i < b->nleft_out; i++)
		if (person == b->left_out[i])
			return;
	char key[48];
	snprintf(key, sizeof key, "%lld:%lld", (long long)cycle, (long long)person);
	uint32_t i = index_of(b, &b->ratees, key, false);
	uint32_t j = index_of(b, &b->raters, rater, true);
	b->evaluator[j] |= evaluation;
	b->obs = arena_grow(b->ctx->arena, b->obs, b->nobs, &b->alloc, sizeof *b->obs);
	b->obs[b->nobs++] = (struct ratereff_obs){i, j, y};
}

/* The framework version's parse, loaded once per run of the builder. */
static int framework_of(struct builder *b, int version, const struct framework **out,
                        struct error *err)
{
	for (size_t i = 0; i < b->nframeworks; i++)
		if (b->frameworks[i]->version == version) {
			*out = b->frameworks[i];
			return 0;
		}
	int rc = framework_load(b->ctx, version, out, err);
	if (rc < 0)
		return rc;
	b->frameworks = arena_grow(b->ctx->arena, b->frameworks, b->nframeworks,
	                           &b->frameworks_alloc, sizeof *b->frameworks);
	b->frameworks[b->nframeworks++] = *out;
	return 0;
}

/* Competencies can use other scales than the performance axis (a 1-9 one
 * beside 1-5), and an earlier cycle's framework version another performance
 * scale: averaged raw, a manager rating such a competency high looked
 * lenient on the axis the adjusted score is shown on. */
bool calrater_on_scale(const struct framework *fw, const char *dimension, double rating,
                       const struct fw_scale *to, double *out)
{
	const struct fw_competency *c = framework_competency(fw, dimension);
	if (!c)
		return false;
	const struct fw_scale *from = c->scale;
	double lo = from->points[0].value, hi = from->points[from->npoints - 1].value;
	double to_lo = to->points[0].value, to_hi = to->points[to->npoints - 1].value;
	if ((lo == to_lo && hi == to_hi) || hi <= lo)
		*out = rating;
	else
		*out = to_lo + (rating - lo) / (hi - lo) * (to_hi - to_lo);
	return true;
}

/* One observation per newest manager evaluation: the mean of its ratings
 * on the performance scale (rows come ordered by evaluation). */
static int read_evaluations(struct builder *b, int64_t cycle_id, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        b->ctx->store,
	        "SELECT e.id, e.cycle_id, e.person_id, " CALRATER_AUTHOR(
	                "e.created_by") ", e.framework_version, r.dimension, r.rating"
	                                " FROM evaluations e"
	                                " JOIN evaluation_ratings r ON r.evaluation_id = e.id"
	                                " JOIN cycles c ON c.id = e.cycle_id"
	                                " WHERE e.source = 'manager' AND c.period_start <= (SELECT "
	                                "period_start FROM"
	                                " cycles WHERE id = ?) AND e.version = (SELECT "
	                                "MAX(version) FROM evaluations x"
	                                " WHERE x.cycle_id = e.cycle_id AND x.person_id = "
	                                "e.person_id AND x.source ="
	                                " 'manager') ORDER BY e.id, r.dimension",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle_id);
	int64_t eval = 0, cycle = 0, person = 0;
	const char *author = NULL;
	double sum = 0;
	int n = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		if (n && stmt_int(st, 0) != eval) {
			add(b, cycle, person, author, sum / n, true);
			sum = 0;
			n = 0;
		}
		const struct framework *fw;
		double y;
		if ((rc = framework_of(b, (int)stmt_int(st, 4), &fw, err)) < 0)
			break;
		if (!calrater_on_scale(fw, stmt_text(st, 5), stmt_double(st, 6), b->to, &y))
			continue;
		if (!n) {
			eval = stmt_int(st, 0);
			cycle = stmt_int(st, 1);
			person = stmt_int(st, 2);
			author = arena_strdup(b->ctx->arena, stmt_text(st, 3));
		}
		sum += y;
		n++;
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (n)
		add(b, cycle, person, author, sum / n, true);
	return 0;
}

/* The mean of a response's ratings on the performance scale; false when it
 * has none. */
static bool response_mean(const struct framework *fw, const struct fw_scale *to, const char *body,
                          double *mean)
{
	cJSON *doc = cJSON_Parse(body);
	const cJSON *ratings = cJSON_GetObjectItemCaseSensitive(doc, "ratings"), *it;
	double sum = 0, y;
	int n = 0;
	cJSON_ArrayForEach(it, ratings)
	{
		if (cJSON_IsNumber(it) &&
		    calrater_on_scale(fw, it->string, it->valuedouble, to, &y)) {
			sum += y;
			n++;
		}
	}
	cJSON_Delete(doc);
	*mean = n ? sum / n : 0;
	return n > 0;
}

/* The 360 responses of the cycles whose feedback phase has closed: while it
 * is open the model would move with each response, and tell when each came
 * (found in review), as calibrate agreement is withheld until then.  Not
 * one a record wrote about another record of its own human, a self-rating
 * (FEEDBACK_ABOUT_SELF), as self reviews are not. */
static int read_feedback(struct builder *b, int64_t cycle_id, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        b->ctx->store,
	        "SELECT a.cycle_id, a.reviewee_id, p.employee_id, f.body, c.framework_version"
	        " FROM feedback_responses f"
	        " JOIN review_assignments a ON a.id = f.assignment_id"
	        " LEFT JOIN person_merges pm ON pm.from_person_id = a.reviewer_id"
	        " JOIN people p ON p.id = COALESCE(pm.into_person_id, a.reviewer_id)"
	        " JOIN cycles c ON c.id = a.cycle_id"
	        " WHERE a.relation IN ('peer', 'upward', 'cross_functional') AND f.status ="
	        " 'submitted' AND c.period_start <= (SELECT period_start FROM cycles WHERE id = ?)"
	        " AND f.version = (SELECT MAX(version) FROM feedback_responses x WHERE"
	        " x.assignment_id = f.assignment_id AND x.status = 'submitted')"
	        " AND NOT EXISTS (SELECT 1 FROM cycle_phases ph WHERE ph.cycle_id = c.id AND"
	        " ph.name = 'feedback' AND ph.closed_at IS NULL)"
	        " AND NOT " FEEDBACK_ABOUT_SELF(
	                "COALESCE(pm.into_person_id, a.reviewer_id)") " ORDER BY f.id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle_id);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		const struct framework *fw;
		double mean;
		if ((rc = framework_of(b, (int)stmt_int(st, 4), &fw, err)) < 0)
			break;
		if (response_mean(fw, b->to, stmt_text(st, 3), &mean))
			add(b, stmt_int(st, 0), stmt_int(st, 1), stmt_text(st, 2), mean, false);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int count_cycles(struct ctx *ctx, int64_t cycle_id, size_t *n, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT COUNT(*) FROM cycles WHERE period_start <= (SELECT"
	                       " period_start FROM cycles WHERE id = ?)",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle_id);
	rc = stmt_step(st, err);
	*n = rc == STORE_ROW ? (size_t)stmt_int(st, 0) : 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int calrater_fit_tx(struct ctx *ctx, int64_t cycle_id, const struct fw_scale *scale,
                    const int64_t *left_out, size_t nleft_out, struct calrater_model *out,
                    struct error *err)
{
	memset(out, 0, sizeof *out);
	struct builder b = {.ctx = ctx,
	                    .cycle = cycle_id,
	                    .to = scale,
	                    .left_out = left_out,
	                    .nleft_out = nleft_out};
	hmap_init(&b.ratees);
	hmap_init(&b.raters);
	int rc = read_evaluations(&b, cycle_id, err);
	if (rc == 0)
		rc = read_feedback(&b, cycle_id, err);
	if (rc == 0)
		rc = count_cycles(ctx, cycle_id, &out->cycles, err);
	hmap_release(&b.ratees);
	hmap_release(&b.raters);
	if (rc < 0 || !b.nobs)
		return rc;
	struct error fit_err;
	/* Too little data to fit is no model, not a failure of the view. */
	if (ratereff_fit(ctx->arena, b.obs, b.nobs, b.nratees, b.nraters, NULL, &out->fit,
	                 &fit_err) < 0) {
		out->fit = NULL;
		return 0;
	}
	out->raters = b.names;
	out->evaluator = b.evaluator;
	return 0;
}

const struct ratereff_rater *calrater_find(const struct calrater_model *m, const char *rater)
{
	if (!m->fit || !rater)
		return NULL;
	for (size_t j = 0; j < m->fit->n_raters; j++)
		if (m->evaluator[j] && strcmp(m->raters[j], rater) == 0)
			return &m->fit->raters[j];
	return NULL;
}
