/* cli_calsession: calibration sessions (calibrate session create|list|status|
 * open|close, calibrate mark, calibrate change). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/decimal.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "calibrate/calsession.h"
#include "calibrate/calviews.h"
#include "calibrate/disttest.h"
#include "cli/cli.h"
#include "core/ctx.h"
#include "review/score.h"

/* A repeatable option's values; split: each also split at commas ("--population a,b"). */
static const char **values(struct cli_run *r, const char *name, bool split, size_t *n)
{
	int count = cli_opt_count(r, name);
	size_t alloc = 0;
	const char **out = NULL;
	*n = 0;
	for (int i = 0; i < count; i++) {
		char *copy = arena_strdup(r->ctx->arena, cli_opt_at(r, name, i));
		for (char *save = NULL, *tok = split ? strtok_r(copy, ",", &save) : copy; tok;
		     tok = split ? strtok_r(NULL, ",", &save) : NULL) {
			out = arena_grow(r->ctx->arena, out, *n, &alloc, sizeof *out);
			out[(*n)++] = tok;
		}
	}
	return out;
}

static int cmd_create(struct cli_run *r)
{
	struct calsession_create_options o = {
	        .name = cli_opt(r, "name"),
	        .cycle = cli_opt(r, "cycle"),
	        .facilitator = cli_opt(r, "facilitator"),
	        .scheduled = cli_opt(r, "date"),
	};
	o.teams = values(r, "population", true, &o.nteams);
	o.participants = values(r, "participants", true, &o.nparticipants);
	o.guidance = values(r, "guidance", true, &o.nguidance);
	long long minimum = 0;
	bool given;
	int rc = cli_opt_int(r, "curve-minimum", CALSESSION_CURVE_MINIMUM, 1000000, &minimum,
	                     &given);
	if (rc < 0)
		return rc;
	o.curve_minimum = (int)minimum;
	struct calsession_create_result res;
	if ((rc = calsession_create(r->ctx, &o, &res, &r->err)) < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kint(&w, "id", res.id);
		jw_kstr(&w, "name", res.name);
		jw_kint(&w, "people", res.people);
		jw_key(&w, "warnings");
		jw_array_begin(&w);
		for (size_t i = 0; i < res.nwarnings; i++)
			jw_str(&w, res.warnings[i]);
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	for (size_t i = 0; i < res.nwarnings; i++)
		cli_warn("%s", res.warnings[i]);
	fprintf(r->out, "created calibration session %s (id %lld) over %d %s\n", res.name,
	        (long long)res.id, res.people, cli_plural(res.people, "person", "people"));
	return 0;
}

static int cmd_list(struct cli_run *r)
{
	struct calsession_summary *s;
	size_t n;
	int rc = calsession_list(r->ctx, cli_opt(r, "cycle"), &s, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			jw_kint(&w, "id", s[i].id);
			jw_kstr(&w, "name", s[i].name);
			jw_kstr(&w, "cycle", s[i].cycle);
			jw_kstr(&w, "status", s[i].status);
			jw_kstr(&w, "facilitator", s[i].facilitator);
			jw_kint(&w, "people", s[i].people);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"ID",     "NAME",        "CYCLE",
	                                      "STATUS", "FACILITATOR", "PEOPLE"};
	struct cli_table t;
	cli_table_init(&t, headers, 6);
	for (size_t i = 0; i < n; i++)
		cli_table_add(&t, arena_printf(r->ctx->arena, "%lld", (long long)s[i].id),
		              s[i].name, s[i].cycle, s[i].status, s[i].facilitator,
		              arena_printf(r->ctx->arena, "%d", s[i].people));
	const char *cycle = cli_opt(r, "cycle");
	char none[320];
	snprintf(none, sizeof none,
	         "no calibration sessions you may read%s%s (a session's facilitator, participants "
	         "and people partners over its population read it; plumb calibrate session create "
	         "--cycle CYCLE --population TEAM --facilitator USER makes one)",
	         cycle ? " in cycle " : "", cycle ? cycle : "");
	cli_table_print_or(r, &t, none);
	cli_table_release(&t);
	return 0;
}

/* A number, or null for NAN (unscored, undefined). */
static void num(struct jw *w, const char *key, double v)
{
	jw_key(w, key);
	if (v == v)
		jw_double(w, v);
	else
		jw_null(w);
}

static void person_json(struct jw *w, const struct calsession_person *p)
{
	jw_object_begin(w);
	jw_kstr(w, "person", p->employee_id);
	jw_kstr(w, "name", p->name);
	jw_kstr(w, "team", p->team);
	jw_kstr(w, "manager", p->manager);
	jw_kstr(w, "rated_by", p->rated_by);
	jw_kstr(w, "level", p->level);
	jw_kstr(w, "role_profile", p->role_profile);
	jw_kbool(w, "evaluated", p->evaluated);
	jw_key(w, "scores");
	jw_object_begin(w);
	for (int x = 0; x < FW_AXIS_COUNT; x++)
		num(w, fw_axis_name((enum fw_axis)x), p->scored[x] ? p->axis[x] : NAN);
	jw_object_end(w);
	num(w, "performance_rating", p->performance != CALSESSION_UNRATED ? p->performance : NAN);
	jw_key(w, "ratings");
	jw_array_begin(w);
	for (size_t i = 0; i < p->nratings; i++) {
		const struct calsession_rating *x = &p->ratings[i];
		jw_object_begin(w);
		jw_kstr(w, "dimension", x->dimension);
		jw_key(w, "original");
		jw_double(w, x->original);
		jw_key(w, "current");
		jw_double(w, x->current);
		jw_kint(w, "evidence", x->nevidence);
		jw_kbool(w, "recency_flag", x->recency_flag);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_kint(w, "evidence", p->evidence);
	num(w, "peer_feedback_mean", p->peer_mean);
	jw_key(w, "marks");
	jw_object_begin(w);
	jw_kint(w, "agree", p->marks[CALSESSION_MARK_AGREE]);
	jw_kint(w, "question", p->marks[CALSESSION_MARK_QUESTION]);
	jw_kint(w, "none", p->marks[CALSESSION_MARK_NONE]);
	jw_key(w, "by");
	jw_array_begin(w);
	static const char *const marks[] = {"agree", "question", "none"};
	for (size_t i = 0; i < p->nmarks; i++) {
		jw_object_begin(w);
		jw_kstr(w, "participant", p->mark_rows[i].participant);
		jw_kstr(w, "mark", marks[p->mark_rows[i].mark]);
		jw_kstr(w, "comment", p->mark_rows[i].comment);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
	jw_key(w, "flags");
	jw_array_begin(w);
	for (int f = 0; f < CALSESSION_FLAG_COUNT; f++) {
		if (!(p->flags & (1u << f)))
			continue;
		jw_object_begin(w);
		jw_kstr(w, "flag", calsession_flag_name((enum calsession_flag)f));
		jw_kstr(w, "why", p->flag_why[f]);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

static void change_json(struct jw *w, const struct calsession_change *c)
{
	jw_object_begin(w);
	jw_kint(w, "id", c->id);
	jw_kstr(w, "person", c->person);
	jw_kstr(w, "dimension", c->dimension);
	jw_key(w, "from");
	jw_double(w, c->from);
	jw_key(w, "to");
	jw_double(w, c->to);
	jw_kstr(w, "reason", c->reason);
	jw_key(w, "evidence");
	jw_array_begin(w);
	for (size_t i = 0; i < c->nevidence; i++)
		jw_str(w, c->evidence[i]);
	jw_array_end(w);
	jw_kstr(w, "by", c->by);
	jw_key(w, "at");
	jw_time(w, c->at, true);
	jw_object_end(w);
}

/* The session's header, for status and the views: with the reader left
 * out of the population (calsession_hide_reader), how many are shown. */
void cli_calsession_header_json(struct jw *w, const struct calsession *s)
{
	jw_kint(w, "id", s->id);
	jw_kstr(w, "session", s->name);
	jw_kstr(w, "cycle", s->cycle);
	jw_kstr(w, "cycle_phase", s->cycle_phase);
	jw_kstr(w, "status", s->status);
	jw_kstr(w, "facilitator", s->facilitator);
	jw_kbool(w, "reader_excluded", s->reader_excluded);
	jw_kint(w, "people_shown", (int64_t)s->npeople);
	jw_kint(w, "people_in_session", (int64_t)s->npeople_all);
}

/* " (N of M people; you are not shown)" when the reader's own row was left
 * out, so counts and tests differ from another participant's; else "". */
static const char *reader_note(struct cli_run *r, const struct calsession *s)
{
	if (!s->reader_excluded)
		return "";
	return arena_printf(r->ctx->arena, " (%zu of %zu people; you are not shown)", s->npeople,
	                    s->npeople_all);
}

static void status_json(struct cli_run *r, const struct calsession *s)
{
	struct sb buf;
	struct jw w;
	cli_json_begin(r, &buf, &w);
	jw_object_begin(&w);
	cli_calsession_header_json(&w, s);
	jw_key(&w, "participants");
	jw_array_begin(&w);
	for (size_t i = 0; i < s->nparticipants; i++)
		jw_str(&w, s->participants[i]);
	jw_array_end(&w);
	jw_key(&w, "population");
	jw_array_begin(&w);
	for (size_t i = 0; i < s->nteams; i++)
		jw_str(&w, s->teams[i]);
	jw_array_end(&w);
	jw_key(&w, "scheduled");
	jw_date(&w, s->scheduled_at, s->scheduled_at != 0);
	jw_key(&w, "opened_at");
	jw_time(&w, s->opened_at, s->opened_at != 0);
	jw_key(&w, "closed_at");
	jw_time(&w, s->closed_at, s->closed_at != 0);
	jw_key(&w, "guidance");
	jw_array_begin(&w);
	for (size_t i = 0; i < s->nguidance; i++) {
		jw_object_begin(&w);
		jw_kint(&w, "rating", s->guidance[i].rating);
		jw_key(&w, "lo");
		jw_double(&w, s->guidance[i].lo);
		jw_key(&w, "hi");
		jw_double(&w, s->guidance[i].hi);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_key(&w, "agenda");
	jw_array_begin(&w);
	for (size_t i = 0; i < s->npeople; i++) {
		person_json(&w, &s->people[i]);
		cli_json_flush(r, &buf);
	}
	jw_array_end(&w);
	jw_key(&w, "changes");
	jw_array_begin(&w);
	for (size_t i = 0; i < s->nchanges; i++)
		change_json(&w, &s->changes[i]);
	jw_array_end(&w);
	jw_key(&w, "conflicts");
	jw_array_begin(&w);
	for (size_t i = 0; i < s->nconflicts; i++) {
		const struct calsession_conflict *c = &s->conflicts[i];
		jw_object_begin(&w);
		jw_kstr(&w, "person", c->person);
		jw_kstr(&w, "dimension", c->dimension);
		jw_kint(&w, "version", c->version);
		jw_key(&w, "stored");
		jw_double(&w, c->stored);
		jw_key(&w, "from");
		jw_double(&w, c->from);
		jw_key(&w, "to");
		jw_double(&w, c->to);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_key(&w, "overrides");
	jw_array_begin(&w);
	for (size_t i = 0; i < s->noverrides; i++) {
		jw_object_begin(&w);
		jw_kstr(&w, "kind", s->overrides[i].kind);
		jw_kstr(&w, "detail", s->overrides[i].detail);
		jw_kstr(&w, "reason", s->overrides[i].reason);
		jw_kbool(&w, "reason_removed", s->overrides[i].reason_removed);
		jw_kstr(&w, "by", s->overrides[i].by);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	cli_json_end(r, &buf);
}

static void status_text(struct cli_run *r, const struct calsession *s)
{
	FILE *o = r->out;
	char t[TS_BUF], num[48], to[48];
	fprintf(o, "calibration session %s: cycle %s (%s phase), %s\n", s->name, s->cycle,
	        s->cycle_phase, s->status);
	fprintf(o, "facilitator %s; participants", s->facilitator);
	for (size_t i = 0; i < s->nparticipants; i++)
		fprintf(o, "%s %s", i ? "," : "", s->participants[i]);
	fprintf(o, "\npopulation");
	for (size_t i = 0; i < s->nteams; i++)
		fprintf(o, "%s %s", i ? "," : "", s->teams[i]);
	fprintf(o, ": %zu %s%s\n", s->npeople, cli_plural((int64_t)s->npeople, "person", "people"),
	        reader_note(r, s));
	fprintf(o, "\nagenda (questioned first, then the most flagged):\n");
	for (size_t i = 0; i < s->npeople; i++) {
		const struct calsession_person *p = &s->people[i];
		fprintf(o, "  %s (%s, %s, manager %s): ", p->employee_id, p->team, p->level,
		        p->manager ? p->manager : "-");
		if (!p->evaluated) {
			fprintf(o, "no evaluation yet\n");
			continue;
		}
		for (int x = 0; x < FW_AXIS_COUNT; x++) {
			if (p->scored[x])
				fprintf(o, "%s%s %s", x ? ", " : "", fw_axis_name((enum fw_axis)x),
				        calviews_score_text(num, sizeof num, s, (enum fw_axis)x,
				                            p->axis[x]));
			else
				fprintf(o, "%s%s -", x ? ", " : "", fw_axis_name((enum fw_axis)x));
		}
		fprintf(o, "; marks %d agree, %d question, %d none\n",
		        p->marks[CALSESSION_MARK_AGREE], p->marks[CALSESSION_MARK_QUESTION],
		        p->marks[CALSESSION_MARK_NONE]);
		for (size_t k = 0; k < p->nratings; k++) {
			const struct calsession_rating *x = &p->ratings[k];
			if (x->current != x->original)
				fprintf(o, "    %s: ~~%s~~ %s\n", x->dimension,
				        calsession_rating_text(num, sizeof num, s, x->dimension,
				                               x->original),
				        calsession_rating_text(to, sizeof to, s, x->dimension,
				                               x->current));
		}
		for (int f = 0; f < CALSESSION_FLAG_COUNT; f++)
			if (p->flags & (1u << f))
				fprintf(o, "    flag %s: %s\n",
				        calsession_flag_name((enum calsession_flag)f),
				        p->flag_why[f]);
	}
	if (s->nchanges)
		fprintf(o, "\nchanges, oldest first:\n");
	for (size_t i = 0; i < s->nchanges; i++) {
		const struct calsession_change *c = &s->changes[i];
		fprintf(o, "  %s %s %s: %s -> %s by %s: %s (evidence:", ts_format(c->at, t),
		        c->person, c->dimension,
		        calsession_rating_text(num, sizeof num, s, c->dimension, c->from),
		        calsession_rating_text(to, sizeof to, s, c->dimension, c->to), c->by,
		        c->reason);
		for (size_t e = 0; e < c->nevidence; e++)
			fprintf(o, " %s", c->evidence[e]);
		fprintf(o, ")\n");
	}
	if (s->nconflicts)
		fprintf(o, "\nconflicts (closing is refused until each is recorded again):\n");
	for (size_t i = 0; i < s->nconflicts; i++)
		fprintf(o, "  %s\n", calsession_conflict_text(r->ctx->arena, s, &s->conflicts[i]));
	for (size_t i = 0; i < s->noverrides; i++)
		fprintf(o, "override of %s: %s; reason: %s (by %s)\n", s->overrides[i].kind,
		        s->overrides[i].detail,
		        s->overrides[i].reason_removed ? "(removed by retention)"
		                                       : s->overrides[i].reason,
		        s->overrides[i].by);
}

static int cmd_status(struct cli_run *r)
{
	struct calsession s = {0};
	int rc = calsession_status(r->ctx, cli_opt(r, "session"), &s, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json)
		status_json(r, &s);
	else
		status_text(r, &s);
	return 0;
}

static int cmd_open(struct cli_run *r)
{
	int rc = calsession_open(r->ctx, cli_opt(r, "session"), &r->err);
	if (rc == 0)
		fprintf(r->out, "opened calibration session %s\n", cli_opt(r, "session"));
	return rc;
}

static int cmd_close(struct cli_run *r)
{
	struct calsession_close_result res = {0};
	int rc = calsession_close(r->ctx, cli_opt(r, "session"), cli_opt(r, "override-reason"),
	                          &res, &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "closed calibration session %s: %d %s, %d evaluation %s written%s\n",
	        cli_opt(r, "session"), res.changes, cli_plural(res.changes, "change", "changes"),
	        res.versions, cli_plural(res.versions, "version", "versions"),
	        res.reader_excluded ? " (about the others; you are not shown)" : "");
	for (size_t i = 0; i < res.noutside; i++)
		fprintf(r->out, "outside guidance (override recorded): %s\n", res.outside[i]);
	for (size_t i = 0; i < res.ndropped; i++)
		fprintf(r->out, "not written back: %s\n", res.dropped[i]);
	return 0;
}

static int cmd_mark(struct cli_run *r)
{
	int rc = calsession_mark(r->ctx, cli_opt(r, "session"), cli_opt(r, "person"),
	                         cli_opt(r, "mark"), cli_opt(r, "comment"), &r->err);
	if (rc == 0)
		fprintf(r->out, "marked %s: %s\n", cli_opt(r, "person"), cli_opt(r, "mark"));
	return rc;
}

static int cmd_change(struct cli_run *r)
{
	struct calsession_change_request q = {
	        .session = cli_opt(r, "session"),
	        .person = cli_opt(r, "person"),
	        .dimension = cli_opt(r, "dimension"),
	        .rating = cli_opt(r, "rating"),
	        .reason = cli_opt(r, "reason"),
	};
	q.evidence = values(r, "evidence", false, &q.nevidence);
	int64_t id;
	int rc = calsession_change(r->ctx, &q, &id, &r->err);
	if (rc == 0)
		fprintf(r->out, "change %lld recorded: %s %s to %ld\n", (long long)id, q.person,
		        q.dimension, strtol(q.rating, NULL, 10));
	return rc;
}

/* ---- the room's views ---- */

static int cmd_raters(struct cli_run *r)
{
	struct calviews_raters v = {0};
	int rc = calviews_raters(r->ctx, cli_opt(r, "session"), &v, &r->err);
	if (rc < 0)
		return rc;
	const struct ratereff_result *f = v.fit;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		cli_calsession_header_json(&w, &v.s);
		jw_key(&w, "model");
		if (!f) {
			jw_null(&w);
		} else {
			jw_object_begin(&w);
			jw_kstr(&w, "method",
			        "crossed random effects: Henderson's Method III variance "
			        "components, BLUP effects (empirical Bayes)");
			jw_kint(&w, "ratings", (int64_t)f->n_obs);
			jw_kint(&w, "ratees", (int64_t)f->n_ratees);
			jw_kint(&w, "raters", (int64_t)f->n_raters);
			jw_kint(&w, "cycles", (int64_t)v.s.raters.cycles);
			num(&w, "mean", f->mu);
			num(&w, "ratee_variance", f->ratee_var);
			num(&w, "rater_variance", f->rater_var);
			num(&w, "residual_variance", f->residual_var);
			jw_kbool(&w, "rater_identifiable", f->rater_identifiable);
			jw_kbool(&w, "converged", f->converged);
			jw_object_end(&w);
		}
		jw_key(&w, "raters");
		jw_array_begin(&w);
		for (size_t i = 0; i < v.nrows; i++) {
			const struct calviews_rater *x = &v.rows[i];
			jw_object_begin(&w);
			jw_kstr(&w, "rater", x->rater);
			jw_kint(&w, "ratings", (int64_t)x->n);
			jw_kint(&w, "people_in_session", x->people);
			num(&w, "raw", x->raw);
			num(&w, "effect", x->effect);
			num(&w, "sd", x->sd);
			jw_kint(&w, "crossed", (int64_t)x->crossed);
			jw_kstr(&w, "direction", x->direction);
			jw_kbool(&w, "flagged", x->flagged);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		jw_key(&w, "people");
		jw_array_begin(&w);
		for (size_t i = 0; i < v.s.npeople; i++) {
			const struct calsession_person *p = &v.s.people[i];
			jw_object_begin(&w);
			jw_kstr(&w, "person", p->employee_id);
			jw_kstr(&w, "rated_by", p->rated_by);
			num(&w, "performance",
			    p->scored[FW_AXIS_PERFORMANCE] ? p->axis[FW_AXIS_PERFORMANCE] : NAN);
			num(&w, "suggested_adjusted", v.adjusted[i]);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	FILE *o = r->out;
	if (!f) {
		fprintf(o, "too few ratings to estimate rater effects from (none, or too few to "
		           "separate raters from ratees)\n");
		return 0;
	}
	fprintf(o, "rater effects in %s: %zu %s of %zu %s by %zu %s over %zu %s%s\n", v.s.name,
	        f->n_obs, cli_plural((int64_t)f->n_obs, "rating", "ratings"), f->n_ratees,
	        cli_plural((int64_t)f->n_ratees, "person-in-cycle", "people-in-cycles"),
	        f->n_raters, cli_plural((int64_t)f->n_raters, "rater", "raters"), v.s.raters.cycles,
	        cli_plural((int64_t)v.s.raters.cycles, "cycle", "cycles"), reader_note(r, &v.s));
	fprintf(o, "variance: ratees %.3f, raters %.3f, residual %.3f%s\n", f->ratee_var,
	        f->rater_var, f->residual_var,
	        f->rater_identifiable ? ""
	                              : " (raters do not cross: leniency cannot be told apart "
	                                "from a team's strength)");
	static const char *const headers[] = {"RATER", "RATINGS",   "PEOPLE", "EFFECT",
	                                      "SD",    "DIRECTION", "FLAGGED"};
	struct cli_table t;
	cli_table_init(&t, headers, 7);
	struct arena *a = r->ctx->arena;
	for (size_t i = 0; i < v.nrows; i++) {
		const struct calviews_rater *x = &v.rows[i];
		cli_table_add(&t, x->rater, arena_printf(a, "%zu", x->n),
		              arena_printf(a, "%d", x->people),
		              decimal_signed(arena_alloc_raw(a, 48), 48, x->effect, 2),
		              isnan(x->sd) ? "-" : arena_printf(a, "%.2f", x->sd), x->direction,
		              x->flagged ? "yes" : "");
	}
	cli_table_print(r, &t);
	cli_table_release(&t);
	fprintf(o, "\nsuggested adjusted performance (original less the rater's effect; never "
	           "applied):\n");
	/* Each as the curve writes a score beside the rating it rounds to: a
	 * suggested 2.499 read "2.50", a rating of 3 by the eye, where it is 2. */
	char from[48], to[48];
	for (size_t i = 0; i < v.s.npeople; i++) {
		const struct calsession_person *p = &v.s.people[i];
		if (v.adjusted[i] == v.adjusted[i] &&
		    fabs(v.adjusted[i] - p->axis[FW_AXIS_PERFORMANCE]) >= 0.05)
			fprintf(o, "  %s (rated by %s): %s -> %s\n", p->employee_id, p->rated_by,
			        calviews_rounded_score_text(from, sizeof from, &v.s,
			                                    p->axis[FW_AXIS_PERFORMANCE]),
			        calviews_rounded_score_text(to, sizeof to, &v.s, v.adjusted[i]));
	}
	return 0;
}

/* A mean of performance scores as the curve writes a score beside the
 * ratings it is counted into (calviews_rounded_score_text): two decimals
 * (score_reported: a group of one reads 2.13 for 2.125, where "%.2f" gave
 * 2.12), more where those would read across a midpoint between two of the
 * scale's points (2.4995 read "2.50", a mean that rounds to 2 shown as one
 * that rounds to 3); "-" with nobody. */
static const char *mean_text(struct arena *a, const struct calviews_distribution *d, double mean)
{
	char buf[48];
	return isfinite(mean)
	               ? arena_strdup(a, calviews_rounded_score_text(buf, sizeof buf, &d->s, mean))
	               : "-";
}

/* The ratings a distribution lists: the scale's points, not the values a
 * scale of 0, 2 and 4 skips, which no one can be rated. */
static bool on_scale(const struct calviews_distribution *d, int v)
{
	return !d->s.scale || framework_scale_label(d->s.scale, v);
}

static int cmd_distribution(struct cli_run *r)
{
	struct calviews_distribution d = {0};
	int rc =
	        calviews_distribution(r->ctx, cli_opt(r, "session"), cli_opt(r, "by"), &d, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		cli_calsession_header_json(&w, &d.s);
		jw_kstr(&w, "by", d.by);
		jw_kint(&w, "people", d.total);
		num(&w, "mean", d.mean);
		jw_key(&w, "population");
		jw_object_begin(&w);
		for (int v = d.lo; v <= d.hi; v++)
			if (on_scale(&d, v))
				jw_kint(&w, arena_printf(r->ctx->arena, "%d", v), d.population[v]);
		jw_object_end(&w);
		jw_key(&w, "guidance");
		jw_array_begin(&w);
		for (size_t i = 0; i < d.s.nguidance; i++) {
			jw_object_begin(&w);
			jw_kint(&w, "rating", d.s.guidance[i].rating);
			num(&w, "lo", d.s.guidance[i].lo);
			num(&w, "hi", d.s.guidance[i].hi);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		jw_key(&w, "groups");
		jw_array_begin(&w);
		for (size_t g = 0; g < d.ngroups; g++) {
			const struct calviews_group *x = &d.groups[g];
			jw_object_begin(&w);
			jw_kstr(&w, "group", x->name);
			jw_kint(&w, "people", x->n);
			num(&w, "mean", x->mean);
			jw_key(&w, "counts");
			jw_object_begin(&w);
			for (int v = d.lo; v <= d.hi; v++)
				if (on_scale(&d, v))
					jw_kint(&w, arena_printf(r->ctx->arena, "%d", v),
					        x->counts[v]);
			jw_object_end(&w);
			num(&w, "p", x->p);
			jw_kstr(&w, "test", x->method ? "Fisher-Freeman-Halton" : NULL);
			jw_kstr(&w, "method", x->method);
			jw_kbool(&w, "differs", x->differs);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	FILE *o = r->out;
	struct arena *a = r->ctx->arena;
	fprintf(o, "performance ratings in %s by %s: %d %s, mean %s%s\n", d.s.name, d.by, d.total,
	        cli_plural(d.total, "person", "people"), mean_text(a, &d, d.mean),
	        reader_note(r, &d.s));
	fprintf(o, "%-16s %6s %6s", "GROUP", "PEOPLE", "MEAN");
	for (int v = d.lo; v <= d.hi; v++)
		if (on_scale(&d, v))
			fprintf(o, " %4d", v);
	fprintf(o, " %9s\n", "P");
	fprintf(o, "%-16s %6d %6s", "(everyone)", d.total, mean_text(a, &d, d.mean));
	for (int v = d.lo; v <= d.hi; v++)
		if (on_scale(&d, v))
			fprintf(o, " %4d", d.population[v]);
	fprintf(o, "\n");
	for (size_t g = 0; g < d.ngroups; g++) {
		const struct calviews_group *x = &d.groups[g];
		fprintf(o, "%-16s %6d %6s", x->name, x->n, mean_text(a, &d, x->mean));
		for (int v = d.lo; v <= d.hi; v++)
			if (on_scale(&d, v))
				fprintf(o, " %4d", x->counts[v]);
		char p[32];
		fprintf(o, " %9s%s\n", disttest_p_text(p, sizeof p, x->p, CALVIEWS_ALPHA),
		        x->differs ? "  differs from the rest" : "");
	}
	fprintf(o, "\np: Fisher-Freeman-Halton test of the group against everyone else (exact, "
	           "or Monte Carlo when too many tables); a low p flags a group for discussion, "
	           "nothing more\nguidance:");
	/* Each share as given, to the digits a double holds: %g wrote 0.00001
	 * as "1e-05". */
	for (size_t i = 0; i < d.s.nguidance; i++) {
		char lo[48], hi[48];
		fprintf(o, " %d=%s-%s%%", d.s.guidance[i].rating,
		        decimal_format(lo, sizeof lo, d.s.guidance[i].lo, DECIMAL_EXACT),
		        decimal_format(hi, sizeof hi, d.s.guidance[i].hi, DECIMAL_EXACT));
	}
	fprintf(o, "\n");
	return 0;
}

static const char *const box_level[] = {"low", "moderate", "high"};

static void ninebox_axis_json(struct jw *w, const char *key, const struct calviews_ninebox_axis *x)
{
	jw_key(w, key);
	jw_object_begin(w);
	jw_kstr(w, "scale", x->scale ? x->scale->id : NULL);
	num(w, "moderate_from", x->moderate_from);
	num(w, "high_from", x->high_from);
	jw_object_end(w);
}

static int cmd_ninebox(struct cli_run *r)
{
	struct calviews_ninebox b = {0};
	int rc = calviews_ninebox(r->ctx, cli_opt(r, "session"), &b, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		cli_calsession_header_json(&w, &b.s);
		/* The performance axis's, as before potential had its own. */
		num(&w, "moderate_from", b.performance.moderate_from);
		num(&w, "high_from", b.performance.high_from);
		jw_key(&w, "thresholds");
		jw_object_begin(&w);
		ninebox_axis_json(&w, "performance", &b.performance);
		ninebox_axis_json(&w, "potential", &b.potential);
		jw_object_end(&w);
		jw_key(&w, "boxes");
		jw_array_begin(&w);
		for (int x = 0; x < 3; x++)
			for (int y = 0; y < 3; y++) {
				jw_object_begin(&w);
				jw_kstr(&w, "performance", box_level[x]);
				jw_kstr(&w, "potential", box_level[y]);
				jw_kint(&w, "count", (int64_t)b.box[x][y].n);
				jw_key(&w, "people");
				jw_array_begin(&w);
				for (size_t i = 0; i < b.box[x][y].n; i++)
					jw_str(&w, b.box[x][y].people[i]);
				jw_array_end(&w);
				jw_object_end(&w);
			}
		jw_array_end(&w);
		jw_key(&w, "unplaced");
		jw_array_begin(&w);
		for (size_t i = 0; i < b.nunplaced; i++)
			jw_str(&w, b.unplaced[i]);
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	FILE *o = r->out;
	const struct calviews_ninebox_axis *perf = &b.performance, *pot = &b.potential;
	if (perf->moderate_from == pot->moderate_from && perf->high_from == pot->high_from)
		fprintf(o,
		        "9-box of %s: performance (rows) against potential (columns); low below "
		        "%g, high from %g%s\n",
		        b.s.name, perf->moderate_from, perf->high_from, reader_note(r, &b.s));
	else
		fprintf(o,
		        "9-box of %s: performance (rows) against potential (columns); "
		        "performance low below %g, high from %g; potential low below %g, high "
		        "from %g%s\n",
		        b.s.name, perf->moderate_from, perf->high_from, pot->moderate_from,
		        pot->high_from, reader_note(r, &b.s));
	for (int x = 2; x >= 0; x--)
		for (int y = 0; y < 3; y++) {
			fprintf(o, "  performance %-8s potential %-8s %3zu:", box_level[x],
			        box_level[y], b.box[x][y].n);
			for (size_t i = 0; i < b.box[x][y].n; i++)
				fprintf(o, " %s", b.box[x][y].people[i]);
			fprintf(o, "\n");
		}
	if (b.nunplaced)
		fprintf(o, "  not placed (no performance or potential score): %zu\n", b.nunplaced);
	return 0;
}

static int cmd_curve(struct cli_run *r)
{
	struct calviews_curve c = {0};
	int rc = calviews_curve(r->ctx, cli_opt(r, "session"), &c, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		cli_calsession_header_json(&w, &c.s);
		jw_kint(&w, "moves", c.moves);
		jw_key(&w, "people");
		jw_array_begin(&w);
		for (size_t i = 0; i < c.nrows; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "person", c.rows[i].person);
			num(&w, "score", c.rows[i].score);
			jw_kint(&w, "current", c.rows[i].current);
			jw_kint(&w, "curve", c.rows[i].curve);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out,
	        "forced curve over %s: %zu people, %d would move (a proposal: no rating "
	        "changed)%s\n",
	        c.s.name, c.nrows, c.moves, reader_note(r, &c.s));
	char num[48];
	for (size_t i = 0; i < c.nrows; i++)
		if (c.rows[i].curve != c.rows[i].current)
			fprintf(r->out, "  %s: score %s, rating %d, curve %d\n", c.rows[i].person,
			        calviews_rounded_score_text(num, sizeof num, &c.s, c.rows[i].score),
			        c.rows[i].current, c.rows[i].curve);
	return 0;
}

static void alpha_text(FILE *out, const char *name, double alpha)
{
	char buf[32];
	fprintf(out, " %s %s", name, cli_three_places(buf, sizeof buf, alpha));
}

static void by_scale_json(struct jw *w, const struct calviews_agreement *g)
{
	jw_array_begin(w);
	for (size_t k = 0; k < g->nscales; k++) {
		const struct calviews_agreement_scale *x = &g->by_scale[k];
		jw_object_begin(w);
		jw_kstr(w, "scale", x->scale);
		jw_kstrs(w, "competencies", x->competencies, x->ncompetencies);
		jw_kint(w, "units", (int64_t)x->units);
		jw_kint(w, "ratings", (int64_t)x->ratings);
		jw_key(w, "alpha");
		jw_object_begin(w);
		num(w, "nominal", x->nominal);
		num(w, "ordinal", x->ordinal);
		jw_object_end(w);
		jw_object_end(w);
	}
	jw_array_end(w);
}

static int cmd_agreement(struct cli_run *r)
{
	struct calviews_agreement g = {0};
	int rc = calviews_agreement(r->ctx, cli_opt(r, "session"), &g, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		cli_calsession_header_json(&w, &g.s);
		jw_kbool(&w, "withheld", g.withheld);
		jw_kstr(&w, "why", g.why);
		jw_kint(&w, "units", (int64_t)g.units);
		jw_kint(&w, "raters", g.withheld ? 0 : (int64_t)g.all.raters);
		jw_kint(&w, "ratings", g.withheld ? 0 : (int64_t)g.all.ratings);
		jw_key(&w, "alpha");
		if (g.withheld) {
			jw_null(&w);
		} else {
			jw_object_begin(&w);
			for (int m = 0; m < RELIABILITY_METRIC_COUNT; m++)
				num(&w, reliability_metric_name((enum reliability_metric)m),
				    g.all.alpha[m]);
			jw_object_end(&w);
		}
		cli_icc_json(&w, g.withheld ? NULL : &g.all);
		jw_kstr(&w, "scale", g.withheld ? NULL : g.common_scale);
		jw_key(&w, "by_scale");
		if (g.withheld)
			jw_null(&w);
		else
			by_scale_json(&w, &g);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	if (g.withheld) {
		fprintf(r->out, "agreement of %s's 360 ratings withheld: %s\n", g.s.name, g.why);
		return 0;
	}
	fprintf(r->out,
	        "agreement of %s's 360 ratings: %zu ratings of %zu (person, competency) units by "
	        "%zu raters%s\nKrippendorff's alpha:",
	        g.s.name, g.all.ratings, g.units, g.all.raters, reader_note(r, &g.s));
	/* With several scales nominal and ordinal are per scale, below. */
	int from = g.nscales > 1 ? RELIABILITY_INTERVAL : 0;
	for (int m = from; m < RELIABILITY_METRIC_COUNT; m++)
		alpha_text(r->out, reliability_metric_name((enum reliability_metric)m),
		           g.all.alpha[m]);
	if (g.nscales > 1 || (g.nscales == 1 && strcmp(g.by_scale[0].scale, g.common_scale)))
		fprintf(r->out, " (each rating carried onto the performance scale %s)",
		        g.common_scale);
	fprintf(r->out, "\n");
	if (g.nscales > 1) {
		fprintf(r->out, "nominal and ordinal, on each scale's own points:\n");
		for (size_t k = 0; k < g.nscales; k++) {
			const struct calviews_agreement_scale *x = &g.by_scale[k];
			fprintf(r->out, "  %s (", x->scale);
			for (size_t c = 0; c < x->ncompetencies; c++)
				fprintf(r->out, "%s%s", c ? ", " : "", x->competencies[c]);
			fprintf(r->out, "): %zu ratings of %zu units:", x->ratings, x->units);
			alpha_text(r->out, "nominal", x->nominal);
			alpha_text(r->out, "ordinal", x->ordinal);
			fprintf(r->out, "\n");
		}
	}
	/* Units as subjects, raters as judges, on the common scale as interval alpha. */
	cli_icc_text(r->out, &g.all);
	return 0;
}

static const struct cli_opt create_opts[] = {
        {"cycle", "CYCLE", OPT_VALUE | OPT_REQUIRED, "the review cycle (name or id)"},
        {"population", "TEAM", OPT_VALUE | OPT_REPEAT | OPT_REQUIRED,
         "a team whose cycle members (with its subteams') are calibrated; repeat or "
         "comma-separate"},
        {"facilitator", "USER", OPT_VALUE | OPT_REQUIRED, "who runs the session"},
        {"participants", "USER", OPT_VALUE | OPT_REPEAT,
         "who takes part (managers, leaders, people partners); repeat or comma-separate"},
        {"name", "NAME", OPT_VALUE, "the session's name (default CYCLE-TEAM)"},
        {"guidance", "RATING=LO-HI", OPT_VALUE | OPT_REPEAT,
         "target share of a performance rating in percent (default 1=0-10 2=5-20 3=40-70 "
         "4=15-30 5=0-10)"},
        {"date", "DAY", OPT_VALUE, "when the session meets (checked against the calendar)"},
        {"curve-minimum", "N", OPT_VALUE,
         "the smallest population a forced curve may be applied to (at least 30)"},
        {NULL, NULL, 0, NULL},
};
static const struct cli_opt cycle_opt[] = {
        {"cycle", "CYCLE", OPT_VALUE, "only this cycle's sessions"},
        {NULL, NULL, 0, NULL},
};
static const struct cli_opt session_opt[] = {
        {"session", "SESSION", OPT_VALUE | OPT_REQUIRED, "the session (name or id)"},
        {NULL, NULL, 0, NULL},
};
static const struct cli_opt by_opts[] = {
        {"session", "SESSION", OPT_VALUE | OPT_REQUIRED, "the session (name or id)"},
        {"by", "GROUPING", OPT_VALUE, "manager (the default), team, profile or level"},
        {NULL, NULL, 0, NULL},
};
static const struct cli_opt close_opts[] = {
        {"session", "SESSION", OPT_VALUE | OPT_REQUIRED, "the session (name or id)"},
        {"override-reason", "TEXT", OPT_VALUE,
         "why the distribution may end outside its guidance (recorded)"},
        {NULL, NULL, 0, NULL},
};
static const struct cli_opt mark_opts[] = {
        {"session", "SESSION", OPT_VALUE | OPT_REQUIRED, "the session (name or id)"},
        {"person", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "whose proposed ratings"},
        {"mark", "MARK", OPT_VALUE | OPT_REQUIRED, "agree, question or none (no opinion)"},
        {"comment", "TEXT", OPT_VALUE, "what to discuss"},
        {NULL, NULL, 0, NULL},
};
static const struct cli_opt change_opts[] = {
        {"session", "SESSION", OPT_VALUE | OPT_REQUIRED, "the session (name or id)"},
        {"person", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "whose rating"},
        {"dimension", "COMPETENCY", OPT_VALUE | OPT_REQUIRED, "the competency rated"},
        {"rating", "N", OPT_VALUE | OPT_REQUIRED, "the new rating, on the competency's scale"},
        {"reason", "TEXT", OPT_VALUE | OPT_REQUIRED_BY_COMMAND, "why"},
        {"evidence", "KIND:REF", OPT_VALUE | OPT_REPEAT | OPT_REQUIRED_BY_COMMAND,
         "what supports it: event:ID (as plumb events list shows it), pull_request:URL, "
         "document:URL, design_review:URL, incident:REF, link:URL"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"calibrate session create", OP_CALIBRATE_SESSION_CREATE, "", 0, 0, CMD_JSON, create_opts,
         cmd_create, "create a calibration session over a cycle's teams",
         "People partners (over the whole population) and admins create sessions.  The "
         "population is every member of the cycle in the given teams and their subteams; "
         "participants see their proposed ratings.  The cycle must calibrate (an annual "
         "cycle with ratings)."},
        {"calibrate session list", OP_CALIBRATE_SESSION_LIST, "", 0, 0, CMD_JSON, cycle_opt,
         cmd_list, "list the calibration sessions you may read", NULL},
        {"calibrate session status", OP_CALIBRATE_SESSION_STATUS, "", 0, 0, CMD_JSON, session_opt,
         cmd_status, "the agenda: people, proposed ratings, marks, changes and flags",
         "People come in agenda order: most questioned first, then the most flagged.  A "
         "changed rating shows its original struck through (~~3~~ 4); every change is listed "
         "with who, why and its evidence.  Read by the facilitator, participants and people "
         "partners over the population; audited."},
        {"calibrate session open", OP_CALIBRATE_SESSION_OPEN, "", 0, 0, 0, session_opt, cmd_open,
         "open a session (its cycle in the calibration phase)",
         "Marks are made before a session opens; changes while it is open."},
        {"calibrate session close", OP_CALIBRATE_SESSION_CLOSE, "", 0, 0, 0, close_opts, cmd_close,
         "close a session, writing calibrated ratings back as evaluation versions",
         "Each person with changed ratings gets a new evaluation version with source "
         "'calibration' naming the session and the reasons.  When the performance "
         "distribution then falls outside the session's guidance, closing needs "
         "--override-reason, which is recorded; without it nothing is written (exit 3)."},
        {"calibrate mark", OP_CALIBRATE_MARK, "", 0, 0, 0, mark_opts, cmd_mark,
         "mark a proposed rating agree, question or none, before the session",
         "Questioned people come first on the agenda.  A new mark replaces your last."},
        {"calibrate change", OP_CALIBRATE_CHANGE, "", 0, 0, 0, change_opts, cmd_change,
         "change a rating in an open session, with a reason and evidence",
         "The original and every change stay visible.  Incident data never supports a lower "
         "rating (the blameless rule, exit 3); taking part in incidents is evidence of "
         "operational work."},
        {"calibrate raters", OP_CALIBRATE_RATERS, "", 0, 0, CMD_JSON, session_opt, cmd_raters,
         "each rater's leniency or severity, with suggested adjusted scores",
         "A crossed random-effects model of every rating in the cycle and earlier ones "
         "(managers' evaluations, peer, upward and cross-functional feedback) separates each "
         "rater's effect from the ratees'; few ratings shrink an effect toward 0.  Raters "
         "with |effect| >= 0.3 and at least 5 ratings are flagged.  Suggested adjusted "
         "scores are shown beside the originals and never applied.  docs/calibration.md."},
        {"calibrate distribution", OP_CALIBRATE_DISTRIBUTION, "", 0, 0, CMD_JSON, by_opts,
         cmd_distribution, "performance ratings by manager, team, profile or level",
         "Each group's counts per rating against everyone else's, with the "
         "Fisher-Freeman-Halton exact test (Monte Carlo when there are too many tables) and "
         "the session's guidance ranges."},
        {"calibrate ninebox", OP_CALIBRATE_NINEBOX, "", 0, 0, CMD_JSON, session_opt, cmd_ninebox,
         "the 9-box: performance against potential, counts and names", NULL},
        {"calibrate curve", OP_CALIBRATE_CURVE, "", 0, 0, CMD_JSON, session_opt, cmd_curve,
         "propose a forced curve (populations of 30 or more, where policy allows)",
         "Ranks people by performance score and places them by the guidance ranges' "
         "midpoints.  Refused (exit 3) below the session's minimum population (default 30) "
         "and for people in a country whose policy forbids forced ranking.  Recorded in the "
         "audit log; no rating changes."},
        {"calibrate agreement", OP_CALIBRATE_AGREEMENT, "", 0, 0, CMD_JSON, session_opt,
         cmd_agreement, "inter-rater agreement of the session's 360 ratings",
         "Krippendorff's alpha over every submitted feedback rating of the session's people "
         "(units: person and competency; raters: the authors), withheld below the anonymity "
         "threshold of authors."},
};

const struct cli_group cli_group_calsession = {"calibration sessions", commands,
                                               sizeof commands / sizeof commands[0]};
