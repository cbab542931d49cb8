/* score: axis scores from an evaluation and a role profile, with their arithmetic. */
#include "review/score.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/decimal.h"
#include "base/mem.h"
#include "base/sb.h"
#include "core/ctx.h"
#include "metrics/catalog.h"
#include "review/cycle.h"
#include "store/store.h"

/* Shares and caps are compared with this much slack: 0.1 + 0.3 is not 0.4. */
#define SLACK 1e-9

static double tidy(double x)
{
	return round(x * 1e9) / 1e9;
}

void score_combine(struct score_term *t, size_t n, double cap, double dominance,
                   struct score_sum *out)
{
	memset(out, 0, sizeof *out);
	double rated = 0;
	bool unrated = false;
	for (size_t i = 0; i < n; i++) {
		if (t[i].rated)
			rated += t[i].weight;
		unrated |= !t[i].rated;
	}
	double score = 0;
	for (size_t i = 0; i < n; i++) {
		t[i].used_weight = t[i].rated && rated > 0 ? t[i].weight / rated : 0;
		t[i].contribution = t[i].rated ? t[i].used_weight * t[i].rating : 0;
		score += t[i].contribution;
	}
	out->scored = rated > 0;
	/* Weights a framework gives summing to 1 within its slack (0.3333 three
	 * times) are scaled too, and said to be, so that weight x rating adds up.
	 * Nothing rated is nothing scaled: not scored, not renormalized (found
	 * hunting: a packet said both). */
	out->renormalized = out->scored && (unrated || fabs(rated - 1) > SLACK);
	out->rated_weight = tidy(rated);
	out->score = tidy(score);
	for (size_t i = 0; i < n; i++) {
		t[i].share = score > 0 ? tidy(t[i].contribution / score) : 0;
		/* The cap is the framework's, which its weights keep: it is passed
		 * only when an unrated dimension's weight went to the others. */
		t[i].over_cap = unrated && t[i].used_weight > cap + SLACK;
		out->capped |= t[i].over_cap;
		if (t[i].share > out->top_share) {
			out->top_share = t[i].share;
			out->top = i;
		}
		t[i].used_weight = tidy(t[i].used_weight);
		t[i].contribution = tidy(t[i].contribution);
	}
	out->dominated = out->scored && out->top_share > dominance + SLACK;
}

double score_reported(double score)
{
	double out;
	if (!decimal_round_ratio(llround(score * 1e9), 1000000000, 2, &out))
		BUG("a score of %g cannot be rounded", score);
	return out;
}

const char *score_weight_text(char *buf, size_t n, const struct score_term *t, double cap)
{
	/* Only over the cap: a weight within the slack of it is not flagged,
	 * and reads as the cap. */
	return decimal_marked(buf, n, t->used_weight, 6, 0, &cap, t->over_cap ? 1 : 0);
}

const char *score_reported_text(char *buf, size_t n, double v, const double *marks, size_t nmarks)
{
	char plain[48];
	decimal_marked(buf, n, v, 0, 2, marks, nmarks);
	/* Two decimals that keep its side are score_reported's, which rounds
	 * 3.465 up where printf gives 3.46. */
	snprintf(plain, sizeof plain, "%.2f", v);
	if (!strcmp(buf, plain))
		snprintf(buf, n, "%.2f", score_reported(v));
	return buf;
}

const char *score_share_text(char *buf, size_t n, double share, double dominance)
{
	return decimal_percent_marked(buf, n, share, 0, 1, &dominance, 1);
}

/* scale's points (its first SCALE_MARKS) into marks; their count. */
#define SCALE_MARKS 16
static size_t scale_marks(const struct fw_scale *scale, double marks[SCALE_MARKS])
{
	size_t nmarks = 0;
	for (size_t i = 0; i < scale->npoints && nmarks < SCALE_MARKS; i++)
		marks[nmarks++] = scale->points[i].value;
	return nmarks;
}

const char *score_number(char *buf, size_t n, double score, const struct fw_scale *scale)
{
	double marks[SCALE_MARKS];
	return decimal_marked(buf, n, score, 6, 0, marks, scale_marks(scale, marks));
}

const char *score_scale_text(char *buf, size_t n, double v, const struct fw_scale *scale)
{
	double marks[SCALE_MARKS];
	return score_reported_text(buf, n, v, marks, scale_marks(scale, marks));
}

const char *score_composite_text(struct arena *a, const struct score *s)
{
	struct sb out = SB_INIT;
	char num[48];
	const struct fw_scale *scale = NULL; /* of the axes it weighs: one, as imports require */
	for (int x = 0; x < FW_AXIS_COUNT; x++) {
		if (!scale && s->composite_weights[x] > 0)
			scale = s->axes[x].scale;
		sb_printf(&out, "%s%s x %s ", x ? " + " : "",
		          decimal_format(num, sizeof num, s->composite_weights[x], 6),
		          s->axes[x].name);
		/* An axis it gives no weight may have no score. */
		sb_puts(&out, s->axes[x].sum.scored
		                      ? score_number(num, sizeof num, s->axes[x].sum.score,
		                                     s->axes[x].scale)
		                      : "(no score)");
	}
	/* On its side of the points of that scale, as each axis score is
	 * (3.000001, not 3, beside an axis of 3.000002); no exponent. */
	sb_printf(&out, " = %s",
	          score_number(num, sizeof num, s->composite, scale ? scale : s->axes[0].scale));
	const char *text = arena_strdup(a, out.buf);
	sb_release(&out);
	return text;
}

/* ---- a person's score ---- */

/* A score in its scale's words: the label of a point it equals, else the two
 * points around it. */
static const char *scale_words(struct arena *a, const struct fw_scale *s, double v)
{
	for (size_t i = 0; i < s->npoints; i++) {
		if (fabs(v - s->points[i].value) < SLACK)
			return s->points[i].label;
		if (i + 1 < s->npoints && v > s->points[i].value && v < s->points[i + 1].value)
			return arena_printf(a, "between %s and %s", s->points[i].label,
			                    s->points[i + 1].label);
	}
	return NULL;
}

/* Which band rated value, in words. */
static const char *band_text(struct arena *a, const struct fw_metric *m, double value)
{
	for (size_t i = 0; i + 1 < m->nbands; i++) {
		const struct fw_band *b = &m->bands[i];
		if ((b->has_at_most && value <= b->at_most) ||
		    (b->has_at_least && value >= b->at_least)) {
			/* The bound as the file gives it: %g reads 1000001 as 1e+06. */
			struct sb s = SB_INIT;
			sb_puts(&s, b->has_at_most ? "at most " : "at least ");
			sb_double(&s, b->has_at_most ? b->at_most : b->at_least);
			const char *text = arena_strdup(a, s.buf);
			sb_release(&s);
			return text;
		}
	}
	return "the last band";
}

/* The metric evidence citing key in the evaluation, and its value. */
static void metric_dimension(struct arena *a, const struct evaluation *ev, const char *key,
                             struct score_dimension *d)
{
	size_t n = 0;
	for (size_t r = 0; r < ev->nratings; r++)
		for (size_t i = 0; i < ev->ratings[r].nevidence; i++) {
			const struct evaluation_evidence *e = &ev->ratings[r].evidence[i];
			n += strcmp(e->kind, "metric") == 0 && strcmp(e->ref, key) == 0;
		}
	struct evaluation_evidence *cited = arena_array(a, n ? n : 1, sizeof *cited);
	for (size_t r = 0; r < ev->nratings; r++)
		for (size_t i = 0; i < ev->ratings[r].nevidence; i++) {
			const struct evaluation_evidence *e = &ev->ratings[r].evidence[i];
			if (strcmp(e->kind, "metric") != 0 || strcmp(e->ref, key) != 0)
				continue;
			cited[d->nevidence++] = *e;
			if (*e->title)
				d->name = e->title;
			/* Every citation is the value over the same period: the first tells. */
			if (!d->has_value && e->has_metric_value && isfinite(e->metric_value)) {
				d->has_value = true;
				d->metric_value = e->metric_value;
				d->metric_value_id = e->metric_value_id;
			}
		}
	d->evidence = cited;
}

static void fill_dimension(struct arena *a, const struct framework *fw, const struct evaluation *ev,
                           const struct fw_scale *axis_scale, const struct fw_weight *w,
                           struct score_dimension *d)
{
	memset(d, 0, sizeof *d);
	d->dimension = w->dimension;
	d->is_metric = w->is_metric;
	d->term.weight = w->weight;
	if (w->is_metric) {
		const struct fw_metric *m = framework_metric(fw, w->dimension);
		d->name = w->dimension; /* the metric's name when evidence gives it */
		metric_dimension(a, ev, w->dimension, d);
		if (!m || !d->has_value) {
			d->why_unrated = d->nevidence ? "the metric had nothing to measure"
			                              : "no rating cites this metric as evidence";
			return;
		}
		int band = framework_band(m, d->metric_value);
		d->term.rated = true;
		d->term.rating = band;
		d->band = band_text(a, m, d->metric_value);
		d->label = framework_scale_label(axis_scale, band);
		return;
	}
	const struct fw_competency *c = framework_competency(fw, w->dimension);
	d->name = c ? c->name : w->dimension;
	for (size_t r = 0; r < ev->nratings; r++) {
		const struct evaluation_rating *rt = &ev->ratings[r];
		if (strcmp(rt->dimension, w->dimension) != 0)
			continue;
		d->term.rated = true;
		d->term.rating = rt->rating;
		d->label = rt->label;
		d->recency_flag = rt->recency_flag;
		d->no_evidence_reason = rt->no_evidence_reason;
		d->evidence = rt->evidence;
		d->nevidence = rt->nevidence;
	}
	if (!d->term.rated)
		d->why_unrated = "not rated in the evaluation";
}

struct member_row {
	const char *employee_id, *level, *role_profile;
};

static int member_row(struct ctx *ctx, int64_t cycle_id, int64_t person_id, struct member_row *out,
                      struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT p.employee_id, cm.level, cm.role_profile FROM cycle_members cm"
	        " JOIN people p ON p.id = cm.person_id"
	        " WHERE cm.cycle_id = ? AND cm.person_id = ?",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle_id);
	stmt_bind_int(st, 2, person_id);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		out->employee_id = stmt_text_dup(st, 0, ctx->arena);
		out->level = stmt_text_dup(st, 1, ctx->arena);
		out->role_profile = stmt_text_dup(st, 2, ctx->arena);
	}
	stmt_reset(st);
	if (rc == STORE_DONE)
		return err_set(err, ERR_NOT_FOUND,
		               "person %" PRId64 " is not reviewed in cycle %" PRId64, person_id,
		               cycle_id);
	return rc < 0 ? rc : 0;
}

int score_compute_tx(struct ctx *ctx, int64_t cycle_id, int64_t person_id, struct score *out,
                     struct error *err)
{
	memset(out, 0, sizeof *out);
	struct arena *a = ctx->arena;
	struct cycle_info info;
	struct member_row m = {0};
	const struct framework *fw;
	int rc = cycle_info(ctx, cycle_id, &info, err);
	if (rc == 0)
		rc = member_row(ctx, cycle_id, person_id, &m, err);
	if (rc == 0)
		rc = framework_load(ctx, info.framework_version, &fw, err);
	struct evaluation ev;
	bool found = false;
	if (rc == 0)
		rc = evaluation_load_tx(ctx, cycle_id, person_id, 0, fw, &ev, &found, err);
	if (rc < 0)
		return rc;
	if (!found) {
		err_set(err, ERR_NOT_FOUND, "%s has no evaluation in cycle '%s' yet", m.employee_id,
		        info.name);
		err_hint(err,
		         "their manager submits one: plumb evaluation submit --cycle %s "
		         "--person %s FILE.yaml",
		         info.name, m.employee_id);
		return ERR_NOT_FOUND;
	}
	return score_of_evaluation(a, fw, info.name, m.employee_id, m.level, m.role_profile, &ev,
	                           out, err);
}

int score_of_evaluation(struct arena *a, const struct framework *fw, const char *cycle,
                        const char *employee_id, const char *level, const char *role_profile,
                        const struct evaluation *ev, struct score *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	const struct fw_profile *p = framework_profile(fw, role_profile);
	if (!p)
		return err_set(err, ERR_INVALID,
		               "%s's role profile '%s' is not in framework version %d", employee_id,
		               role_profile, fw->version);
	out->cycle = cycle;
	out->person = employee_id;
	out->level = level;
	out->role_profile = p->id;
	out->profile_name = p->name;
	out->framework_version = fw->version;
	out->evaluation_version = ev->version;
	out->evaluated_by = ev->created_by;
	out->evaluation_source = ev->source;
	out->evaluation_reason = ev->reason;
	out->evaluated_at = ev->created_at;
	out->cap = fw->cap;
	out->dominance = fw->dominance;
	/* Of the axes the composite weighs: one it gives no weight takes no part
	 * in it, scored or not (found hunting scores). */
	bool weighed_scored = true;
	for (int x = 0; x < FW_AXIS_COUNT; x++) {
		struct score_axis *ax = &out->axes[x];
		size_t n = p->nweights[x];
		ax->name = fw_axis_name((enum fw_axis)x);
		ax->scale = fw->axes[x].scale;
		ax->dims = arena_array(a, n ? n : 1, sizeof *ax->dims);
		ax->ndims = n;
		struct score_term *terms = arena_array(a, n ? n : 1, sizeof *terms);
		for (size_t i = 0; i < n; i++) {
			fill_dimension(a, fw, ev, ax->scale, &p->weights[x][i], &ax->dims[i]);
			terms[i] = ax->dims[i].term;
		}
		score_combine(terms, n, fw->cap, fw->dominance, &ax->sum);
		for (size_t i = 0; i < n; i++)
			ax->dims[i].term = terms[i];
		ax->label = ax->sum.scored ? scale_words(a, ax->scale, ax->sum.score) : NULL;
		weighed_scored &= ax->sum.scored || !p->has_composite || p->composite[x] <= 0;
	}
	out->has_composite = p->has_composite;
	if (p->has_composite) {
		memcpy(out->composite_weights, p->composite, sizeof out->composite_weights);
		out->composite_scored = weighed_scored;
		double c = 0;
		for (int x = 0; x < FW_AXIS_COUNT; x++)
			c += p->composite[x] * out->axes[x].sum.score;
		out->composite = weighed_scored ? tidy(c) : 0;
	}
	return 0;
}

struct show_args {
	const char *cycle, *person;
	struct score *out;
};

static int show_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct show_args *s = arg;
	int64_t cycle_id;
	struct cycle_info info;
	struct evaluation_member m;
	int rc = cycle_find(ctx, s->cycle, &cycle_id, err);
	if (rc == 0)
		rc = cycle_info(ctx, cycle_id, &info, err);
	if (rc == 0)
		rc = evaluation_member(ctx, cycle_id, info.name, s->person, &m, err);
	if (rc == 0)
		rc = evaluation_may_read(ctx, &m, "score", err);
	if (rc < 0)
		return rc;
	ctx_subject(ctx, "person", m.employee_id);
	return score_compute_tx(ctx, cycle_id, m.person_id, s->out, err);
}

int score_show(struct ctx *ctx, const char *cycle, const char *person, struct score *out,
               struct error *err)
{
	memset(out, 0, sizeof *out);
	struct show_args s = {cycle, person, out};
	return ctx_run(ctx, OP_SCORE_SHOW, show_body, &s, err);
}
