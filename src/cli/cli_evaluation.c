/* cli_evaluation: rubric ratings with evidence: evaluation submit, history and list. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/decimal.h"
#include "base/fileio.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "review/evaluation.h"

#define EVALUATION_FILE_MAX (1 << 20)

static int cmd_submit(struct cli_run *r)
{
	struct evaluation_submission sub = {
	        .cycle = cli_opt(r, "cycle"),
	        .person = cli_opt(r, "person"),
	        .name = r->pos[0],
	        .reason = cli_opt(r, "reason"),
	};
	long long base = 0;
	int rc = cli_opt_int(r, "base-version", 0, 1000000, &base, &sub.based);
	if (rc < 0)
		return rc;
	sub.base_version = (int)base;
	char *data = NULL;
	struct evaluation_submit_result res;
	rc = file_read(r->pos[0], EVALUATION_FILE_MAX, &data, &sub.len, &r->err);
	sub.data = data;
	if (rc == 0)
		rc = evaluation_submit(r->ctx, &sub, &res, &r->err);
	free(data);
	if (rc < 0)
		return rc;
	/* Stored, but the committee reads it as of the cycle: said, as a warning. */
	for (size_t i = 0; i < res.noutside_period; i++)
		cli_warn("%s", res.outside_period[i]);
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kint(&w, "id", res.id);
		jw_kint(&w, "version", res.version);
		jw_kint(&w, "ratings", res.ratings);
		jw_kint(&w, "evidence", res.evidence);
		jw_kint(&w, "recency_flags", res.recency_flags);
		jw_kint(&w, "metric_values", res.metric_values);
		jw_key(&w, "outside_period");
		jw_array_begin(&w);
		for (size_t i = 0; i < res.noutside_period; i++)
			jw_str(&w, res.outside_period[i]);
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out, "evaluation of %s in cycle %s: version %d stored (%d %s, %d evidence %s)\n",
	        sub.person, sub.cycle, res.version, res.ratings,
	        cli_plural(res.ratings, "rating", "ratings"), res.evidence,
	        cli_plural(res.evidence, "item", "items"));
	if (res.recency_flags)
		fprintf(r->out,
		        "%d %s flagged for review: most of the evidence is from the last quarter "
		        "of "
		        "the period\n",
		        res.recency_flags, cli_plural(res.recency_flags, "rating", "ratings"));
	return 0;
}

/* A date alone when the time is midnight UTC, as files give them. */
static const char *when(char buf[TS_BUF], int64_t ms)
{
	return ms % MS_PER_DAY == 0 ? ts_format_date(ms, buf) : ts_format(ms, buf);
}

void cli_evidence_json(struct jw *w, const struct evaluation_evidence *e)
{
	jw_object_begin(w);
	jw_kstr(w, "kind", e->kind);
	jw_kstr(w, "ref", e->ref);
	jw_kstr(w, "title", e->title);
	jw_key(w, "date");
	jw_time(w, e->occurred_at, e->occurred_at != 0);
	jw_kbool(w, "negative", e->negative);
	if (e->has_metric_value) {
		char ref[40];
		snprintf(ref, sizeof ref, "metric-value:%" PRId64, e->metric_value_id);
		jw_kstr(w, "metric_value_id", ref);
		jw_key(w, "metric_value");
		jw_double(w, e->metric_value);
	}
	jw_object_end(w);
}

const char *cli_evidence_text(struct sb *s, const struct evaluation_evidence *e)
{
	char t[TS_BUF];
	sb_reset(s);
	sb_printf(s, "%s %s", e->kind, e->ref);
	if (e->occurred_at)
		sb_printf(s, " %s", when(t, e->occurred_at));
	if (*e->title)
		sb_printf(s, " \"%s\"", e->title);
	if (e->has_metric_value) {
		char value[48];
		if (isfinite(e->metric_value))
			sb_printf(s, " = %s",
			          decimal_format(value, sizeof value, e->metric_value,
			                         DECIMAL_EXACT));
		else
			sb_puts(s, " = nothing measured");
		sb_printf(s, " (plumb explain metric-value:%" PRId64 ")", e->metric_value_id);
	}
	if (e->negative)
		sb_puts(s, " [negative]");
	return s->buf;
}

static void version_json(struct jw *w, const struct evaluation *e)
{
	jw_object_begin(w);
	jw_kint(w, "version", e->version);
	jw_kstr(w, "source", e->source);
	jw_kstr(w, "by", e->created_by);
	jw_key(w, "at");
	jw_time(w, e->created_at, true);
	jw_kstr(w, "reason", e->reason);
	jw_kint(w, "framework_version", e->framework_version);
	jw_kstr(w, "case", e->manager_case);
	jw_key(w, "ratings");
	jw_array_begin(w);
	for (size_t i = 0; i < e->nratings; i++) {
		const struct evaluation_rating *rt = &e->ratings[i];
		jw_object_begin(w);
		jw_kstr(w, "dimension", rt->dimension);
		jw_key(w, "rating");
		jw_double(w, rt->rating);
		jw_kstr(w, "label", rt->label);
		jw_kstr(w, "no_evidence_reason", rt->no_evidence_reason);
		jw_kbool(w, "recency_flag", rt->recency_flag);
		jw_key(w, "evidence");
		jw_array_begin(w);
		for (size_t j = 0; j < rt->nevidence; j++)
			cli_evidence_json(w, &rt->evidence[j]);
		jw_array_end(w);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

static int cmd_history(struct cli_run *r)
{
	struct evaluation_history h;
	int rc = evaluation_history(r->ctx, cli_opt(r, "cycle"), cli_opt(r, "person"), &h, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "cycle", h.cycle);
		jw_kstr(&w, "person", h.person);
		jw_key(&w, "versions");
		jw_array_begin(&w);
		for (size_t i = 0; i < h.nversions; i++)
			version_json(&w, &h.versions[i]);
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	if (h.nversions == 0) {
		fprintf(r->out, "%s has no evaluation in cycle %s yet\n", h.person, h.cycle);
		return 0;
	}
	struct sb line = SB_INIT;
	for (size_t i = 0; i < h.nversions; i++) {
		const struct evaluation *e = &h.versions[i];
		char t[TS_BUF];
		fprintf(r->out, "%sversion %d (%s) by %s at %s%s%s\n", i ? "\n" : "", e->version,
		        e->source, e->created_by, ts_format(e->created_at, t),
		        *e->reason ? ": " : "", e->reason);
		for (size_t j = 0; j < e->nratings; j++) {
			const struct evaluation_rating *rt = &e->ratings[j];
			fprintf(r->out, "  %s: %g %s%s\n", rt->dimension, rt->rating,
			        rt->label ? rt->label : "",
			        rt->recency_flag ? " [recency: flagged for review]" : "");
			if (rt->no_evidence_reason)
				fprintf(r->out, "    no evidence: %s\n", rt->no_evidence_reason);
			for (size_t k = 0; k < rt->nevidence; k++)
				fprintf(r->out, "    %s\n",
				        cli_evidence_text(&line, &rt->evidence[k]));
		}
		if (*e->manager_case)
			fprintf(r->out, "  case: %s%s", e->manager_case,
			        e->manager_case[strlen(e->manager_case) - 1] == '\n' ? "" : "\n");
	}
	sb_release(&line);
	return 0;
}

static int cmd_list(struct cli_run *r)
{
	const char *person = cli_opt(r, "person");
	struct evaluation_cycle *cs;
	size_t n;
	int rc = evaluation_list(r->ctx, person, &cs, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "person", person);
		jw_key(&w, "cycles");
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			const struct evaluation_cycle *c = &cs[i];
			jw_object_begin(&w);
			jw_kstr(&w, "cycle", c->cycle);
			jw_kstr(&w, "kind", c->kind);
			jw_kstr(&w, "phase", c->phase);
			jw_key(&w, "period_start");
			jw_date(&w, c->period_start, true);
			jw_key(&w, "period_end");
			jw_date(&w, c->period_end, true);
			jw_kbool(&w, "readable", c->readable);
			jw_key(&w, "latest_version");
			if (c->latest_version)
				jw_int(&w, c->latest_version);
			else
				jw_null(&w);
			jw_key(&w, "evaluated_at");
			jw_time(&w, c->evaluated_at, c->latest_version != 0);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	if (n == 0) {
		fprintf(r->out, "%s is in no review cycle whose evaluation you may read\n", person);
		return 0;
	}
	static const char *const headers[] = {"cycle", "kind", "phase", "period", "evaluation"};
	struct cli_table t;
	cli_table_init(&t, headers, 5);
	struct sb period = SB_INIT, eval = SB_INIT;
	for (size_t i = 0; i < n; i++) {
		const struct evaluation_cycle *c = &cs[i];
		char a[TS_BUF], b[TS_BUF];
		sb_reset(&period);
		sb_reset(&eval);
		sb_printf(&period, "%s..%s", ts_format_date(c->period_start, a),
		          ts_format_date(c->period_end, b));
		if (!c->readable)
			sb_puts(&eval, "shown from the delivery phase");
		else if (c->latest_version)
			sb_printf(&eval, "version %d, %s", c->latest_version,
			          ts_format(c->evaluated_at, a));
		else
			sb_puts(&eval, "none yet");
		cli_table_add(&t, c->cycle, c->kind, c->phase, period.buf, eval.buf);
	}
	sb_release(&period);
	sb_release(&eval);
	cli_table_print(r, &t);
	cli_table_release(&t);
	return 0;
}

static const struct cli_opt submit_opts[] = {
        {"cycle", "C", OPT_VALUE | OPT_REQUIRED, "the cycle, by name or id"},
        {"person", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the person rated"},
        {"reason", "TEXT", OPT_VALUE,
         "why this version changes the last (required from version 2)"},
        {"base-version", "N", OPT_VALUE,
         "the version FILE was written from (0: none yet); refused when a newer one is "
         "stored"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt history_opts[] = {
        {"cycle", "C", OPT_VALUE | OPT_REQUIRED, "the cycle, by name or id"},
        {"person", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the person rated"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt list_opts[] = {
        {"person", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the person reviewed"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"evaluation submit", OP_EVALUATION_SUBMIT, "FILE", 1, 1, CMD_JSON, submit_opts, cmd_submit,
         "record rubric ratings with evidence as a new evaluation version",
         "FILE rates each competency on its scale, citing evidence (pull_request, document, "
         "incident, design_review, feedback, metric, link, event) or saying why there is "
         "none, and gives the manager's case (docs/review.md). Metric evidence is computed "
         "for the person over the cycle's period and stored with its lineage. Each "
         "submission is a new version; from version 2 on --reason says why. With "
         "--base-version N it is stored only while N is still the newest version, so a "
         "change made on an older one does not replace another's unseen. The person's "
         "manager in the cycle, or a people partner over them, submits."},
        {"evaluation history", OP_EVALUATION_HISTORY, "", 0, 0, CMD_JSON, history_opts, cmd_history,
         "every version of an evaluation, with who, when and why",
         "For the person, their managers and people partners over them; each read is "
         "audited."},
        {"evaluation list", OP_EVALUATION_LIST, "", 0, 0, CMD_JSON, list_opts, cmd_list,
         "the review cycles a person is in, with the evaluations you may read",
         "The latest period first. Each cycle shows its newest evaluation version, or "
         "that there is none yet. The person's managers (the cycle's home manager "
         "counts) and people partners over them see these; the person sees their own "
         "cycles, each evaluation from its cycle's delivery phase on. Each read is "
         "audited."},
};

const struct cli_group cli_group_evaluation = {"evaluation", commands,
                                               sizeof commands / sizeof commands[0]};
