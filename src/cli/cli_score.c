/* cli_score: a person's axis scores with their arithmetic (score show, and
 * plumb explain score:CYCLE:EID). */
#include <inttypes.h>
#include <string.h>

#include "base/arena.h"
#include "base/decimal.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "core/ctx.h"
#include "review/score.h"

/* "0.3 x 4 + 0.3 x 3 = 2.1": the axis's arithmetic over its rated dimensions,
 * each weight and the score as the table and the heading write them. */
static const char *arithmetic(struct sb *s, const struct score_axis *ax, double cap)
{
	sb_reset(s);
	bool first = true;
	char num[48];
	for (size_t i = 0; i < ax->ndims; i++) {
		const struct score_term *t = &ax->dims[i].term;
		if (!t->rated)
			continue;
		sb_printf(s, "%s%s x %g", first ? "" : " + ",
		          score_weight_text(num, sizeof num, t, cap), t->rating);
		first = false;
	}
	char score[48];
	sb_printf(s, " = %s", score_number(score, sizeof score, ax->sum.score, ax->scale));
	return s->buf;
}

static void dimension_json(struct jw *w, const struct score_dimension *d)
{
	jw_object_begin(w);
	jw_kstr(w, "dimension", d->dimension);
	jw_kstr(w, "name", d->name);
	jw_kbool(w, "metric", d->is_metric);
	jw_kbool(w, "rated", d->term.rated);
	jw_key(w, "rating");
	if (d->term.rated)
		jw_double(w, d->term.rating);
	else
		jw_null(w);
	jw_kstr(w, "label", d->label);
	jw_kstr(w, "unrated_reason", d->why_unrated);
	jw_key(w, "weight");
	jw_double(w, d->term.weight);
	jw_key(w, "used_weight");
	jw_double(w, d->term.used_weight);
	jw_key(w, "contribution");
	jw_double(w, d->term.contribution);
	jw_key(w, "share");
	jw_double(w, d->term.share);
	jw_kbool(w, "over_cap", d->term.over_cap);
	jw_kbool(w, "recency_flag", d->recency_flag);
	jw_kstr(w, "no_evidence_reason", d->no_evidence_reason);
	/* Every dimension has the same keys: a competency's are null. */
	bool valued = d->is_metric && d->has_value;
	jw_key(w, "metric_value");
	if (valued)
		jw_double(w, d->metric_value);
	else
		jw_null(w);
	char ref[40];
	snprintf(ref, sizeof ref, "metric-value:%" PRId64, d->metric_value_id);
	jw_kstr(w, "metric_value_id", valued ? ref : NULL);
	jw_kstr(w, "band", d->is_metric ? d->band : NULL);
	jw_key(w, "evidence");
	jw_array_begin(w);
	for (size_t i = 0; i < d->nevidence; i++)
		cli_evidence_json(w, &d->evidence[i]);
	jw_array_end(w);
	jw_object_end(w);
}

static void score_json(struct cli_run *r, const struct score *s)
{
	struct sb buf, text = SB_INIT;
	struct jw w;
	cli_json_begin(r, &buf, &w);
	jw_object_begin(&w);
	jw_kstr(&w, "cycle", s->cycle);
	jw_kstr(&w, "person", s->person);
	jw_kstr(&w, "level", s->level);
	jw_kstr(&w, "role_profile", s->role_profile);
	jw_kstr(&w, "profile_name", s->profile_name);
	jw_kint(&w, "framework_version", s->framework_version);
	jw_key(&w, "evaluation");
	jw_object_begin(&w);
	jw_kint(&w, "version", s->evaluation_version);
	jw_kstr(&w, "source", s->evaluation_source);
	jw_kstr(&w, "by", s->evaluated_by);
	jw_key(&w, "at");
	jw_time(&w, s->evaluated_at, true);
	jw_kstr(&w, "reason", s->evaluation_reason);
	jw_object_end(&w);
	jw_key(&w, "cap");
	jw_double(&w, s->cap);
	jw_key(&w, "dominance");
	jw_double(&w, s->dominance);
	jw_key(&w, "axes");
	jw_array_begin(&w);
	for (int x = 0; x < FW_AXIS_COUNT; x++) {
		const struct score_axis *ax = &s->axes[x];
		jw_object_begin(&w);
		jw_kstr(&w, "axis", ax->name);
		jw_kstr(&w, "scale", ax->scale->id);
		jw_key(&w, "score");
		if (ax->sum.scored)
			jw_double(&w, ax->sum.score);
		else
			jw_null(&w);
		jw_kstr(&w, "label", ax->label);
		jw_kstr(&w, "arithmetic", ax->sum.scored ? arithmetic(&text, ax, s->cap) : NULL);
		jw_kbool(&w, "renormalized", ax->sum.renormalized);
		jw_key(&w, "rated_weight");
		jw_double(&w, ax->sum.rated_weight);
		jw_kbool(&w, "dominated", ax->sum.dominated);
		jw_kstr(&w, "dominant", ax->sum.dominated ? ax->dims[ax->sum.top].dimension : NULL);
		jw_key(&w, "top_share");
		jw_double(&w, ax->sum.top_share);
		jw_kbool(&w, "capped", ax->sum.capped);
		jw_key(&w, "dimensions");
		jw_array_begin(&w);
		for (size_t i = 0; i < ax->ndims; i++)
			dimension_json(&w, &ax->dims[i]);
		jw_array_end(&w);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_key(&w, "composite");
	if (s->has_composite) {
		jw_object_begin(&w);
		jw_kstr(&w, "note", "shown beside the axes, never instead of them");
		jw_key(&w, "weights");
		jw_object_begin(&w);
		for (int x = 0; x < FW_AXIS_COUNT; x++) {
			jw_key(&w, fw_axis_name((enum fw_axis)x));
			jw_double(&w, s->composite_weights[x]);
		}
		jw_object_end(&w);
		jw_key(&w, "score");
		if (s->composite_scored)
			jw_double(&w, s->composite);
		else
			jw_null(&w);
		jw_object_end(&w);
	} else {
		jw_null(&w);
	}
	jw_object_end(&w);
	cli_json_end(r, &buf);
	sb_release(&text);
}

static void axis_text(FILE *o, const struct score *s, const struct score_axis *ax, struct sb *sb,
                      struct arena *a)
{
	if (!ax->sum.scored) {
		fprintf(o, "\n%s: no score: none of its dimensions is rated\n", ax->name);
		return;
	}
	char score[48];
	fprintf(o, "\n%s: %s (%s)\n", ax->name,
	        score_number(score, sizeof score, ax->sum.score, ax->scale),
	        ax->label ? ax->label : "");
	/* Cells first, so the columns fit what they hold. */
	enum { COLS = 5 };
	static const char *const headers[COLS] = {"dimension", "rating", "weight",
	                                          "weight x rating", "share"};
	const char **cells = arena_array(a, (ax->ndims + 1) * COLS, sizeof *cells);
	int width[COLS] = {0};
	for (int c = 0; c < COLS; c++)
		cells[c] = headers[c];
	for (size_t i = 0; i < ax->ndims; i++) {
		const struct score_dimension *d = &ax->dims[i];
		const char **row = &cells[(i + 1) * COLS];
		char value[48];
		row[0] = arena_printf(a, "%s%s", d->dimension, d->is_metric ? " (metric)" : "");
		if (!d->term.rated)
			row[1] = d->why_unrated;
		else if (d->is_metric)
			row[1] = arena_printf(
			        a, "%g %s (value %s, band: %s)", d->term.rating,
			        d->label ? d->label : "",
			        decimal_format(value, sizeof value, d->metric_value, DECIMAL_EXACT),
			        d->band);
		else
			row[1] = arena_printf(a, "%g %s", d->term.rating, d->label ? d->label : "");
		/* No exponent: a weight of 1e-06 is 0.000001 in the file. */
		char weight[48];
		decimal_format(weight, sizeof weight, d->term.weight, 6);
		row[2] = ax->sum.renormalized ? arena_printf(a, "%s -> %s", weight,
		                                             score_weight_text(value, sizeof value,
		                                                               &d->term, s->cap))
		                              : arena_strdup(a, weight);
		row[3] = d->term.rated ? arena_printf(a, "%g", d->term.contribution) : "-";
		/* On its side of the dominance threshold: 57.14% read "57.1%", flagged
		 * as above a threshold of 57.1%. */
		row[4] = d->term.rated ? arena_printf(a, "%s%%",
		                                      score_share_text(value, sizeof value,
		                                                       d->term.share, s->dominance))
		                       : "-";
	}
	for (size_t i = 0; i <= ax->ndims; i++)
		for (int c = 0; c < COLS; c++)
			if ((int)strlen(cells[i * COLS + c]) > width[c])
				width[c] = (int)strlen(cells[i * COLS + c]);
	for (size_t i = 0; i <= ax->ndims; i++) {
		const char **row = &cells[i * COLS];
		fprintf(o, "  %-*s  %-*s  %-*s  %-*s  %s\n", width[0], row[0], width[1], row[1],
		        width[2], row[2], width[3], row[3], row[4]);
	}
	fprintf(o, "  = %s\n", arithmetic(sb, ax, s->cap));
	if (ax->sum.renormalized)
		fprintf(o,
		        "  renormalized: the rated dimensions' weights (%g of 1) are scaled to sum "
		        "to 1\n",
		        ax->sum.rated_weight);
	if (ax->sum.dominated) {
		const struct score_dimension *d = &ax->dims[ax->sum.top];
		char share[48];
		fprintf(o,
		        "  flag: %s carries %s%% of the %s score, above the dominance threshold "
		        "%g%%: one dimension drives this axis\n",
		        d->dimension,
		        score_share_text(share, sizeof share, ax->sum.top_share, s->dominance),
		        ax->name, s->dominance * 100);
	}
	for (size_t i = 0; i < ax->ndims; i++)
		if (ax->dims[i].term.over_cap) {
			char weight[48];
			fprintf(o, "  flag: renormalized, %s weighs %s, above the cap %g\n",
			        ax->dims[i].dimension,
			        score_weight_text(weight, sizeof weight, &ax->dims[i].term, s->cap),
			        s->cap);
		}
}

static bool shown_before(const struct score *s, int axis, size_t dim)
{
	const char *id = s->axes[axis].dims[dim].dimension;
	for (int x = 0; x <= axis; x++)
		for (size_t i = 0; i < (x == axis ? dim : s->axes[x].ndims); i++)
			if (strcmp(s->axes[x].dims[i].dimension, id) == 0)
				return true;
	return false;
}

/* Each dimension's evidence, once, whatever axes it weighs in. */
static void evidence_text(FILE *o, const struct score *s, struct sb *sb)
{
	fprintf(o, "\nevidence\n");
	for (int x = 0; x < FW_AXIS_COUNT; x++)
		for (size_t i = 0; i < s->axes[x].ndims; i++) {
			const struct score_dimension *d = &s->axes[x].dims[i];
			if (shown_before(s, x, i) || (!d->term.rated && !d->nevidence))
				continue;
			fprintf(o, "  %s%s\n", d->dimension,
			        d->recency_flag ? " [recency: flagged for review, most of its "
			                          "evidence is from the last quarter of the period]"
			                        : "");
			if (d->no_evidence_reason)
				fprintf(o, "    no evidence: %s\n", d->no_evidence_reason);
			for (size_t e = 0; e < d->nevidence; e++)
				fprintf(o, "    %s\n", cli_evidence_text(sb, &d->evidence[e]));
		}
}

static void score_text(struct cli_run *r, const struct score *s)
{
	FILE *o = r->out;
	struct sb sb = SB_INIT;
	char t[TS_BUF];
	fprintf(o, "score of %s in cycle %s: role profile %s (%s), level %s\n", s->person, s->cycle,
	        s->role_profile, s->profile_name, s->level);
	fprintf(o, "framework version %d; evaluation version %d (%s) by %s at %s%s%s\n",
	        s->framework_version, s->evaluation_version, s->evaluation_source, s->evaluated_by,
	        ts_format(s->evaluated_at, t), *s->evaluation_reason ? ": " : "",
	        s->evaluation_reason);
	fprintf(o, "each axis is the sum of weight x rating over the role profile's weights; "
	           "the three are never mixed into one number\n");
	for (int x = 0; x < FW_AXIS_COUNT; x++)
		axis_text(o, s, &s->axes[x], &sb, r->ctx->arena);
	if (s->has_composite) {
		fprintf(o,
		        "\ncomposite (role profile %s), shown beside the axes, never instead of "
		        "them: ",
		        s->role_profile);
		if (!s->composite_scored) {
			fprintf(o, "none: an axis has no score\n");
		} else {
			fprintf(o, "%s\n", score_composite_text(r->ctx->arena, s));
		}
	}
	evidence_text(o, s, &sb);
	sb_release(&sb);
}

static int cmd_show(struct cli_run *r)
{
	struct score s;
	int rc = score_show(r->ctx, cli_opt(r, "cycle"), cli_opt(r, "person"), &s, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json)
		score_json(r, &s);
	else
		score_text(r, &s);
	return 0;
}

int cli_score_explain(struct cli_run *r, const char *ref)
{
	const char *rest = ref + strlen("score:");
	const char *colon = strrchr(rest, ':');
	if (!colon || colon == rest || !colon[1])
		return err_set(&r->err, ERR_USAGE, "expected score:CYCLE:EMPLOYEE_ID, not '%s'",
		               ref);
	char *cycle = arena_strndup(r->ctx->arena, rest, (size_t)(colon - rest));
	struct score s;
	int rc = score_show(r->ctx, cycle, colon + 1, &s, &r->err);
	if (rc < 0)
		return rc;
	/* The score was read (and audited) as score.show; explain's own check
	 * closes the command, as its row names metric.explain. */
	if ((rc = ctx_op_check(r->ctx, OP_METRIC_EXPLAIN, &r->err)) < 0)
		return rc;
	if (r->global->json)
		score_json(r, &s);
	else
		score_text(r, &s);
	return 0;
}

static const struct cli_opt show_opts[] = {
        {"cycle", "C", OPT_VALUE | OPT_REQUIRED, "the cycle, by name or id"},
        {"person", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the person scored"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"score show", OP_SCORE_SHOW, "", 0, 0, CMD_JSON, show_opts, cmd_show,
         "a person's axis scores with their arithmetic",
         "Performance, impact and potential, each the sum of weight x rating over the role "
         "profile's weights, from the newest evaluation version and the cycle's framework "
         "version: every rating with its label, weight, contribution, share and evidence. "
         "A dimension without a rating is left out and the rest renormalized; an axis one "
         "dimension drives (above scoring.dominance) and a weight above scoring.cap are "
         "flagged. The composite, when the profile has one, is shown beside the axes. For "
         "the person, their managers and people partners; each read is audited. `plumb "
         "explain score:CYCLE:EMPLOYEE_ID` prints the same."},
};

const struct cli_group cli_group_score = {"score", commands, sizeof commands / sizeof commands[0]};
