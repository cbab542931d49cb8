/* cli_measure: metric values (metrics show, dora, explain) and the settings
 * definitions read (metrics settings, metrics set). */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/decimal.h"
#include "base/ts.h"
#include "base/tz.h"
#include "cli/cli.h"
#include "metrics/catalog.h"
#include "metrics/dora.h"
#include "metrics/metrics.h"

static int scope_opts(struct cli_run *r, struct metrics_query *q)
{
	q->team = cli_opt(r, "team");
	q->service = cli_opt(r, "service");
	q->person = cli_opt(r, "person");
	if ((q->team != NULL) + (q->service != NULL) + (q->person != NULL) + cli_flag(r, "org") >
	    1) {
		err_set(&r->err, ERR_USAGE, "give one of --team, --service, --person and --org");
		return ERR_USAGE;
	}
	int rc = cli_opt_time(r, "from", &q->from, &q->has_from);
	if (rc == 0)
		rc = cli_opt_time(r, "to", &q->to, &q->has_to);
	/* A bare date is a local day of the team's; a time is an instant. */
	q->from_date = q->has_from && strlen(cli_opt(r, "from")) == 10;
	q->to_date = q->has_to && strlen(cli_opt(r, "to")) == 10;
	return rc;
}

/* A value as text (catalog_value_text): a unit of percent is stored and
 * given in JSON as a fraction (docs/metrics.md), printed as a percentage. */
static const char *fmt_value(char *buf, size_t n, double v, const char *key, const char *unit)
{
	return catalog_value_text(buf, n, v, key, unit, false);
}

/* Hours to a tenth, and more digits for a duration other than 0 that a
 * tenth writes as 0 (a 2-minute recovery read "0.0 h") or on the other
 * side of one of key's band edges (dora_band_edges; NULL for none). */
static const char *hours_text(char *buf, size_t n, double h, const char *key)
{
	const double *edges;
	size_t nedges = dora_band_edges(key, &edges);
	return decimal_marked(buf, n, h, 0, 1, edges, nedges);
}

/* "the org", "team payments", "service api". */
static const char *scope_label(char *buf, size_t n, const char *scope, const char *name)
{
	if (!strcmp(scope, "org"))
		snprintf(buf, n, "the org");
	else
		snprintf(buf, n, "%s %s", scope, name);
	return buf;
}

/* A value's id, as `plumb explain` takes it. */
static const char *value_ref(char buf[40], int64_t id)
{
	snprintf(buf, 40, "metric-value:%" PRId64, id);
	return buf;
}

static void point_json(struct jw *w, const struct metrics_point *p)
{
	char ref[40];
	jw_object_begin(w);
	jw_kstr(w, "id", value_ref(ref, p->value_id));
	jw_key(w, "from");
	jw_time(w, p->start, true);
	jw_key(w, "to");
	jw_time(w, p->end, true);
	jw_key(w, "value");
	jw_double(w, p->value);
	jw_kstr(w, "statistic", p->statistic);
	jw_kint(w, "n", p->n);
	jw_key(w, "detail");
	if (p->detail)
		jw_raw(w, p->detail);
	else
		jw_null(w);
	if (p->suppressed) {
		jw_kbool(w, "suppressed", true);
		jw_kstr(w, "suppressed_reason", p->suppressed);
	}
	jw_object_end(w);
}

/* A point's value as text: "suppressed" when withheld from the actor. */
static const char *point_value(char *buf, size_t n, const struct metrics_point *p, const char *key,
                               const char *unit)
{
	if (p->suppressed) {
		snprintf(buf, n, "suppressed");
		return buf;
	}
	return fmt_value(buf, n, p->value, key, unit);
}

static void def_json(struct jw *w, const struct metric_def *d)
{
	jw_kstr(w, "key", d->key);
	jw_kint(w, "version", d->version);
	jw_kstr(w, "name", d->name);
	jw_kstr(w, "unit", d->unit);
	jw_kstr(w, "direction", d->direction);
	jw_kstr(w, "status", d->status);
}

static void report_json(struct jw *w, const struct metrics_report *m)
{
	jw_object_begin(w);
	def_json(w, &m->def);
	jw_kstr(w, "scope", m->scope);
	jw_kstr(w, "scope_name", m->scope_name);
	jw_kstr(w, "time_zone", m->time_zone);
	jw_key(w, "from");
	jw_time(w, m->from, true);
	jw_key(w, "to");
	jw_time(w, m->to, true);
	jw_kstr(w, "normalize", m->normalize);
	jw_kbool(w, "reused", m->reused);
	jw_key(w, "value");
	point_json(w, &m->overall);
	jw_key(w, "points");
	jw_array_begin(w);
	for (size_t i = 0; i < m->npoints; i++)
		point_json(w, &m->points[i]);
	jw_array_end(w);
	jw_key(w, "notes");
	jw_array_begin(w);
	for (size_t i = 0; i < m->nnotes; i++)
		jw_str(w, m->notes[i]);
	jw_array_end(w);
	if (m->by_reviewer) {
		jw_key(w, "reviewers");
		jw_array_begin(w);
		for (size_t i = 0; i < m->nreviewers; i++) {
			jw_object_begin(w);
			jw_kstr(w, "reviewer", m->reviewers[i].reviewer);
			jw_kstr(w, "kind", m->reviewers[i].kind);
			jw_kint(w, "n", m->reviewers[i].n);
			jw_key(w, "median");
			jw_double(w, m->reviewers[i].median);
			jw_object_end(w);
		}
		jw_array_end(w);
		jw_kint(w, "reviews_not_shown", m->reviews_not_shown);
	}
	jw_object_end(w);
}

/* The items a value's detail says it left out (its "left_out": {"why": n}),
 * onto out as "; left out: n, why" (within) or a line of its own. */
static void print_left_out(FILE *out, const cJSON *detail, bool within)
{
	const cJSON *why;
	cJSON_ArrayForEach(why, cJSON_GetObjectItemCaseSensitive(detail, "left_out"))
	{
		if (!cJSON_IsNumber(why) || !why->string)
			continue;
		if (within)
			fprintf(out, "; left out: %.0f, %s", why->valuedouble, why->string);
		else
			fprintf(out, "  left out: %.0f %s (%s)\n", why->valuedouble,
			        why->valuedouble == 1 ? "item" : "items", why->string);
	}
}

/* The parts of a pull request cycle time, from the value's detail (the
 * stored arithmetic, parsed), one line each. */
static void print_parts(struct cli_run *r, const cJSON *d)
{
	static const char *const parts[][3] = {
	        {"to_first_review", "to first review", "without_review"},
	        {"review_to_approval", "review to approval", "without_approval"},
	        {"approval_to_merge", "approval to merge", "without_approval"},
	};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(d, parts[i][0]);
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(p, "n");
		const cJSON *without = cJSON_GetObjectItemCaseSensitive(p, parts[i][2]);
		const cJSON *median = cJSON_GetObjectItemCaseSensitive(p, "median");
		const cJSON *p90 = cJSON_GetObjectItemCaseSensitive(p, "p90");
		if (!cJSON_IsNumber(n) || !cJSON_IsNumber(without))
			continue;
		fprintf(r->out, "  %s: ", parts[i][1]);
		char h1[48], h2[48];
		if (cJSON_IsNumber(median) && cJSON_IsNumber(p90))
			fprintf(r->out, "median %s h, p90 %s h over ",
			        hours_text(h1, sizeof h1, median->valuedouble, NULL),
			        hours_text(h2, sizeof h2, p90->valuedouble, NULL));
		fprintf(r->out, "%.0f %s (%.0f %s", n->valuedouble,
		        n->valuedouble == 1 ? "item" : "items", without->valuedouble,
		        i ? "without an approval" : "without a review");
		print_left_out(r->out, p, true);
		fprintf(r->out, ")\n");
	}
}

/* metrics show --by-reviewer, as text. */
static void print_reviewers(struct cli_run *r, const struct metrics_report *m)
{
	if (m->overall.suppressed)
		return;
	fprintf(r->out,
	        "by reviewer, from a pull request's opening to their first review of it:\n");
	static const char *const headers[] = {"reviewer", "kind", "n", "median"};
	struct cli_table t;
	cli_table_init(&t, headers, 4);
	for (size_t i = 0; i < m->nreviewers; i++) {
		char n[24], v[64];
		snprintf(n, sizeof n, "%" PRId64, m->reviewers[i].n);
		cli_table_add(&t, m->reviewers[i].reviewer, m->reviewers[i].kind, n,
		              fmt_value(v, sizeof v, m->reviewers[i].median, NULL, "hours"));
	}
	if (m->nreviewers)
		cli_table_print(r, &t);
	cli_table_release(&t);
	if (m->reviews_not_shown)
		fprintf(r->out, "%" PRId64 " more reviews by people you may not see\n",
		        m->reviews_not_shown);
}

/* How fmt_value writes a report's values: a median is of hours. */
static const char *unit_of(const struct metrics_report *m)
{
	if (m->overall.statistic && !strcmp(m->overall.statistic, "median"))
		return "hours";
	return m->def.unit && !strcmp(m->def.unit, "percent") ? "percent" : NULL;
}

/* A period's bound as a user gives it back: its local date when it is a
 * local midnight, else the instant (a period given as times is not whole
 * days: found in review, an hour printed as a day). buf: TS_BUF. */
static const char *period_bound(const struct tz *z, int64_t ms, char *buf)
{
	return tz_day_start(z, ms) == ms ? tz_local_date(z, ms, buf) : ts_format(ms, buf);
}

static int cmd_metrics_show(struct cli_run *r)
{
	struct metrics_query q = {.key = r->pos[0],
	                          .by = cli_opt(r, "by"),
	                          .normalize = cli_opt(r, "normalize"),
	                          .by_reviewer = cli_flag(r, "by-reviewer")};
	int rc = scope_opts(r, &q);
	if (rc < 0)
		return rc;
	if (q.by && strcmp(q.by, "day") && strcmp(q.by, "week") && strcmp(q.by, "month")) {
		err_set(&r->err, ERR_USAGE, "--by takes day, week or month, not '%s'", q.by);
		return ERR_USAGE;
	}
	if (q.normalize && strcmp(q.normalize, "none") && strcmp(q.normalize, "per-engineer") &&
	    strcmp(q.normalize, "per-service")) {
		err_set(&r->err, ERR_USAGE,
		        "--normalize takes none, per-engineer or per-service, not '%s'",
		        q.normalize);
		return ERR_USAGE;
	}
	struct metrics_report m = {0};
	if ((rc = metrics_show(r->ctx, &q, &m, &r->err)) < 0)
		return rc;
	for (size_t i = 0; i < m.nnotes; i++)
		cli_note("%s", m.notes[i]);
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		report_json(&w, &m);
		cli_json_end(r, &buf);
		return 0;
	}
	struct tz *z = NULL;
	if ((rc = tz_load(m.time_zone, &z, &r->err)) < 0)
		return rc;
	char v[64], t1[TS_BUF], t2[TS_BUF], ref[40], sl[160];
	fprintf(r->out, "%s (%s, version %d) for %s, %s to %s (%s)\n", m.def.name, m.def.key,
	        m.def.version, scope_label(sl, sizeof sl, m.scope, m.scope_name),
	        period_bound(z, m.from, t1), period_bound(z, m.to, t2), m.time_zone);
	fprintf(r->out, "  %s: %s over %" PRId64 " %s  [%s]\n", m.overall.statistic,
	        point_value(v, sizeof v, &m.overall, m.def.key, unit_of(&m)), m.overall.n,
	        cli_plural(m.overall.n, "item", "items"), value_ref(ref, m.overall.value_id));
	if (m.overall.suppressed)
		fprintf(r->out, "  suppressed: %s\n", m.overall.suppressed);
	cJSON *detail = m.overall.detail ? cJSON_Parse(m.overall.detail) : NULL;
	print_left_out(r->out, detail, false);
	print_parts(r, detail);
	cJSON_Delete(detail);
	if (m.npoints) {
		static const char *const headers[] = {"period", "value", "n", "id"};
		struct cli_table t;
		cli_table_init(&t, headers, 4);
		for (size_t i = 0; i < m.npoints; i++) {
			char n[24];
			snprintf(n, sizeof n, "%" PRId64, m.points[i].n);
			cli_table_add(
			        &t, tz_local_date(z, m.points[i].start, t1),
			        point_value(v, sizeof v, &m.points[i], m.def.key, unit_of(&m)), n,
			        value_ref(ref, m.points[i].value_id));
		}
		cli_table_print(r, &t);
		cli_table_release(&t);
	}
	if (m.by_reviewer)
		print_reviewers(r, &m);
	tz_free(z);
	return 0;
}

static int cmd_dora(struct cli_run *r)
{
	struct metrics_query q = {0};
	int rc = scope_opts(r, &q);
	if (rc < 0)
		return rc;
	struct dora_summary d = {0};
	if ((rc = metrics_dora(r->ctx, &q, &d, &r->err)) < 0)
		return rc;
	for (int i = 0; i < 4; i++)
		for (size_t j = 0; j < d.keys[i].nnotes; j++)
			cli_note("%s", d.keys[i].notes[j]);
	/* For make bench: where the time went, on stderr. */
	if (getenv("PLUMB_METRICS_TIMING")) {
		double c = 0, s = 0, rd = 0, en = 0;
		for (int i = 0; i < 4; i++) {
			c += d.keys[i].compute_s;
			s += d.keys[i].store_s;
			rd += d.keys[i].read_s;
			en += d.keys[i].engine_s;
		}
		fprintf(stderr,
		        "computing %.3f s (reading events %.3f s, engine %.3f s, aggregating %.3f "
		        "s), "
		        "storing values and lineage %.3f s\n",
		        c, rd, en, c - rd - en, s);
	}
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "scope", d.keys[0].scope);
		jw_kstr(&w, "scope_name", d.keys[0].scope_name);
		jw_kstr(&w, "time_zone", d.keys[0].time_zone);
		jw_key(&w, "from");
		jw_time(&w, d.keys[0].from, true);
		jw_key(&w, "to");
		jw_time(&w, d.keys[0].to, true);
		jw_kstr(&w, "bands_source", d.bands_source);
		jw_kstr(&w, "frequency_bucket", d.frequency_bucket);
		jw_key(&w, "merge_to_deploy");
		if (d.merge_to_deploy.known) {
			jw_object_begin(&w);
			jw_kint(&w, "n", d.merge_to_deploy.n);
			jw_key(&w, "median_hours");
			jw_double(&w, d.merge_to_deploy.median);
			jw_key(&w, "p90_hours");
			jw_double(&w, d.merge_to_deploy.p90);
			jw_object_end(&w);
		} else {
			jw_null(&w);
		}
		jw_key(&w, "keys");
		jw_object_begin(&w);
		for (int i = 0; i < 4; i++) {
			jw_key(&w, d.keys[i].def.key);
			jw_object_begin(&w);
			jw_kint(&w, "version", d.keys[i].def.version);
			jw_kstr(&w, "status", d.keys[i].def.status);
			jw_kstr(&w, "band", d.bands[i]);
			jw_key(&w, "value");
			if (d.computed[i])
				point_json(&w, &d.keys[i].overall);
			else
				jw_null(&w);
			jw_key(&w, "notes");
			jw_array_begin(&w);
			for (size_t j = 0; j < d.keys[i].nnotes; j++)
				jw_str(&w, d.keys[i].notes[j]);
			jw_array_end(&w);
			jw_object_end(&w);
		}
		jw_object_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	struct tz *z = NULL;
	if ((rc = tz_load(d.keys[0].time_zone, &z, &r->err)) < 0)
		return rc;
	char v[64], t1[TS_BUF], t2[TS_BUF], ref[40], n[24], sl[160];
	fprintf(r->out, "DORA keys for %s, %s to %s (%s)\n",
	        scope_label(sl, sizeof sl, d.keys[0].scope, d.keys[0].scope_name),
	        period_bound(z, d.keys[0].from, t1), period_bound(z, d.keys[0].to, t2),
	        d.keys[0].time_zone);
	tz_free(z);
	static const char *const headers[] = {"key", "value", "statistic", "n", "band", "id"};
	struct cli_table t;
	cli_table_init(&t, headers, 6);
	for (int i = 0; i < 4; i++) {
		const struct metrics_report *m = &d.keys[i];
		if (!d.computed[i]) {
			cli_table_add(&t, m->def.key,
			              !strcmp(m->def.status, "retired") ? "retired"
			                                                : "not computed",
			              "-", "-", "-", "-");
			continue;
		}
		snprintf(n, sizeof n, "%" PRId64, m->overall.n);
		cli_table_add(
		        &t, m->def.key,
		        point_value(v, sizeof v, &m->overall, m->def.key, unit_of(m)),
		        i == 0 && d.frequency_bucket ? d.frequency_bucket : m->overall.statistic, n,
		        d.bands[i] ? d.bands[i] : "-", value_ref(ref, m->overall.value_id));
	}
	cli_table_print(r, &t);
	cli_table_release(&t);
	for (int i = 0; i < 4; i++)
		if (d.keys[i].overall.suppressed) {
			fprintf(r->out, "suppressed: %s\n", d.keys[i].overall.suppressed);
			break;
		}
	char h1[48], h2[48];
	if (d.merge_to_deploy.known)
		fprintf(r->out,
		        "lead time from merge to deploy: median %s h, p90 %s h (%" PRId64
		        " changes)\n",
		        hours_text(h1, sizeof h1, d.merge_to_deploy.median, "lead_time"),
		        hours_text(h2, sizeof h2, d.merge_to_deploy.p90, "lead_time"),
		        d.merge_to_deploy.n);
	fprintf(r->out, "bands: %s\n", d.bands_source);
	return 0;
}

static int cmd_explain(struct cli_run *r)
{
	const char *ref = r->pos[0];
	if (strncmp(ref, "score:", 6) == 0)
		return cli_score_explain(r, ref);
	if (strncmp(ref, "metric-value:", 13) != 0 || !ref[13]) {
		err_set(&r->err, ERR_USAGE,
		        "expected metric-value:ID or score:CYCLE:EMPLOYEE_ID, not '%s'", ref);
		return ERR_USAGE;
	}
	int64_t id;
	if (!cli_parse_id(ref + 13, &id)) {
		err_set(&r->err, ERR_USAGE,
		        "expected metric-value:ID with a positive number, not '%s'", ref);
		return ERR_USAGE;
	}
	struct metrics_explanation x = {0};
	int rc = metrics_explain(r->ctx, id, &x, &r->err);
	if (rc < 0)
		return rc;
	char t1[TS_BUF], t2[TS_BUF], v[64], sl[160];
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_key(&w, "definition");
		jw_object_begin(&w);
		def_json(&w, &x.def);
		jw_kstr(&w, "status_reason", x.def.status_reason);
		jw_key(&w, "version_in_use");
		if (x.version_in_use)
			jw_int(&w, x.version_in_use);
		else
			jw_null(&w);
		jw_kstr(&w, "description", x.def.description);
		jw_kstr(&w, "owner", x.def.owner);
		jw_key(&w, "formula");
		jw_raw(&w, x.def.formula);
		jw_object_end(&w);
		jw_kstr(&w, "scope", x.scope);
		jw_kstr(&w, "scope_name", x.scope_name);
		jw_kstr(&w, "grain", x.grain);
		jw_kstr(&w, "normalize", x.normalize);
		jw_key(&w, "computed_at");
		jw_time(&w, x.computed_at, true);
		jw_key(&w, "superseded_at");
		jw_time(&w, x.superseded_at, x.superseded_at != 0);
		jw_key(&w, "value");
		point_json(&w, &x.value);
		jw_kstr(&w, "inputs_from", x.inputs_from);
		jw_key(&w, "inputs");
		jw_array_begin(&w);
		for (size_t i = 0; i < x.ninputs; i++) {
			const struct metrics_input *in = &x.inputs[i];
			jw_object_begin(&w);
			jw_kstr(&w, "role", in->role);
			jw_kint(&w, "event_id", in->event_id);
			jw_kstr(&w, "kind", in->kind);
			jw_kstr(&w, "source", in->source);
			jw_kstr(&w, "external_id", in->external_id);
			jw_kstr(&w, "url", in->url);
			jw_kstr(&w, "title", in->title);
			jw_key(&w, "occurred_at");
			jw_time(&w, in->occurred_at, true);
			jw_key(&w, "ended_at");
			jw_time(&w, in->ended_at, in->ended_at != 0);
			/* Every field, null where it does not apply (a change range's,
			 * a work item's cycle), as the Output rules say. */
			bool range = in->from_sha || in->to_sha;
			jw_kstr(&w, "from_sha", in->from_sha);
			jw_kstr(&w, "to_sha", in->to_sha);
			/* An unknown range counted no commits, but may hold some. */
			jw_key(&w, "commits");
			if (!range || in->commits < 0)
				jw_null(&w);
			else
				jw_int(&w, in->commits);
			jw_key(&w, "range_unknown");
			if (range)
				jw_bool(&w, in->commits < 0);
			else
				jw_null(&w);
			jw_key(&w, "started_at");
			jw_time(&w, in->started_at, in->done_at != 0);
			jw_key(&w, "done_at");
			jw_time(&w, in->done_at, in->done_at != 0);
			jw_key(&w, "hours");
			if (in->done_at)
				jw_double(&w, (double)(in->done_at - in->started_at) / 3600000.0);
			else
				jw_null(&w);
			jw_kint(&w, "version", in->version);
			jw_kint(&w, "current_version", in->current_version);
			jw_key(&w, "raw_payload");
			jw_object_begin(&w);
			jw_kint(&w, "id", in->raw_id);
			jw_kstr(&w, "origin", in->raw_origin);
			jw_kstr(&w, "sha256", in->raw_sha256);
			jw_kbool(&w, "deleted", in->raw_deleted);
			jw_object_end(&w);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	/* The version the value was computed with, its status now and why, and
	 * the version computed now when that is another (or none). */
	bool in_use = x.version_in_use == x.def.version;
	fprintf(r->out, "%s (%s, version %d, %s%s%s%s): %s\n", x.def.name, x.def.key, x.def.version,
	        in_use ? "" : "now ", x.def.status, x.def.status_reason && !in_use ? ": " : "",
	        x.def.status_reason && !in_use ? x.def.status_reason : "", x.def.description);
	fprintf(r->out, "  formula: %s\n", x.def.formula);
	if (x.version_in_use && !in_use)
		fprintf(r->out, "  computed with version %d; version %d is the one computed now\n",
		        x.def.version, x.version_in_use);
	else if (!x.version_in_use)
		fprintf(r->out, "  computed with version %d; no version of %s is computed now\n",
		        x.def.version, x.def.key);
	/* Instants, not dates: a stored value does not record the time zone its
	 * days were counted in, so a date could name the wrong day. */
	fprintf(r->out, "  %s, %s to %s: %s = %s over %" PRId64 " %s\n",
	        scope_label(sl, sizeof sl, x.scope, x.scope_name), ts_format(x.value.start, t1),
	        ts_format(x.value.end, t2), x.value.statistic,
	        point_value(v, sizeof v, &x.value, x.def.key,
	                    x.def.unit && !strcmp(x.def.unit, "percent") ? "percent" : NULL),
	        x.value.n, cli_plural(x.value.n, "item", "items"));
	if (x.value.suppressed)
		fprintf(r->out, "  suppressed: %s; its inputs are not shown\n", x.value.suppressed);
	else
		fprintf(r->out, "  arithmetic: %s\n", x.value.detail);
	if (x.superseded_at)
		fprintf(r->out, "  superseded at %s by a later computation\n",
		        ts_format(x.superseded_at, t1));
	if (!strcmp(x.inputs_from, "sli_samples")) {
		fprintf(r->out,
		        "  inputs: the SLOs' SLI samples, not events: each SLO's samples, good "
		        "and total are in the arithmetic above ('plumb slo status' shows them "
		        "now)\n");
		return 0;
	}
	fprintf(r->out, "  %zu inputs:\n", x.ninputs);
	for (size_t i = 0; i < x.ninputs; i++) {
		const struct metrics_input *in = &x.inputs[i];
		fprintf(r->out, "    %-20s %s %s (%s) %s", in->role, in->kind, in->external_id,
		        in->source, ts_format(in->occurred_at, t1));
		if (in->from_sha || in->to_sha) {
			char n[24];
			snprintf(n, sizeof n, "%" PRId64, in->commits);
			fprintf(r->out, " commits %.12s..%.12s (%s)",
			        in->from_sha ? in->from_sha : "?", in->to_sha ? in->to_sha : "?",
			        in->commits < 0 ? "unknown" : n);
		}
		/* The hours as metrics show writes a value of this metric: to a
		 * tenth, on the side of its marks (46.9998 h is "47.0 h" there). */
		if (in->done_at)
			fprintf(r->out, " started %s done %s (%s)", ts_format(in->started_at, t1),
			        ts_format(in->done_at, t2),
			        fmt_value(v, sizeof v,
			                  (double)(in->done_at - in->started_at) / 3600000.0,
			                  x.def.key, "hours"));
		if (in->version != in->current_version)
			fprintf(r->out, " (as version %" PRId64 "; version %" PRId64 " since)",
			        in->version, in->current_version);
		fprintf(r->out, "%s%s  raw payload %" PRId64 " from %s%s\n", in->url ? "  " : "",
		        in->url ? in->url : "", in->raw_id, in->raw_origin,
		        in->raw_deleted ? " (emptied by retention: its bytes are deleted, its "
		                          "SHA-256 kept)"
		                        : "");
	}
	return 0;
}

static int cmd_settings(struct cli_run *r)
{
	struct metrics_setting *s;
	size_t n;
	int rc = metrics_settings(r->ctx, &s, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "scope", s[i].scope);
			jw_kstr(&w, "scope_name", s[i].scope_name);
			jw_kstr(&w, "key", s[i].key);
			jw_kstr(&w, "value", s[i].value);
			jw_kbool(&w, "default", s[i].is_default);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"scope", "name", "key", "value"};
	struct cli_table t;
	cli_table_init(&t, headers, 4);
	for (size_t i = 0; i < n; i++)
		cli_table_add(&t, s[i].scope, s[i].scope_name, s[i].key, s[i].value);
	cli_table_print(r, &t);
	cli_table_release(&t);
	return 0;
}

static int cmd_set(struct cli_run *r)
{
	const char *team = cli_opt(r, "team"), *service = cli_opt(r, "service");
	if (team && service) {
		err_set(&r->err, ERR_USAGE, "give --team or --service, not both");
		return ERR_USAGE;
	}
	bool unchanged = false;
	int rc = metrics_set(r->ctx, r->pos[0], r->pos[1], team, service, &unchanged, &r->err);
	if (rc == 0)
		fprintf(r->out, "%s = %s for %s%s%s\n", r->pos[0], r->pos[1],
		        team      ? team
		        : service ? service
		                  : "the org",
		        team ? " (team)" : "", unchanged ? " (unchanged)" : "");
	return rc;
}

#define SCOPE_OPTS                                                                                 \
	{"team", "TEAM", OPT_VALUE, "a team and its sub-teams (by each service's owner then)"},    \
	        {"service", "NAME", OPT_VALUE, "one service"},                                     \
	        {"person", "EMPLOYEE_ID", OPT_VALUE,                                               \
	         "one person: only metrics whose scopes include individual"},                      \
	        {"org", NULL, 0, "the whole organization (the default)"},                          \
	        {"from", "DATE", OPT_VALUE, "start of the period (default: 90 days before --to)"}, \
	{                                                                                          \
		"to", "DATE", OPT_VALUE,                                                           \
		        "end of the period, exclusive (default: the end of today)"                 \
	}

static const struct cli_opt show_opts[] = {
        SCOPE_OPTS,
        {"by", "GRAIN", OPT_VALUE, "also one value per day, week or month (team's time zone)"},
        {"normalize", "HOW", OPT_VALUE,
         "none, per-engineer (FTE from the org history) or per-service; counts only"},
        {"by-reviewer", NULL, 0,
         "review_turnaround: also each reviewer's median, for the people you may see"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt dora_opts[] = {
        SCOPE_OPTS,
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt set_opts[] = {
        {"team", "TEAM", OPT_VALUE, "set it for one team (time_zone)"},
        {"service", "NAME", OPT_VALUE, "set it for one service (production_environments)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"metrics show", OP_METRIC_COMPUTE, "KEY", 1, 1, CMD_JSON, show_opts, cmd_metrics_show,
         "compute a metric for the org, a team or a service",
         "The active version of KEY's definition is computed from stored events and the "
         "value stored with the records it used; `plumb explain metric-value:ID` shows them. "
         "Asked again with nothing changed, the stored values are served.  Durations are in "
         "hours, as a median (R type 7) with p90 and mean in the detail; pr_cycle_time's "
         "detail adds its parts.  --by-reviewer gives review_turnaround per reviewer, for "
         "the people you may see (not stored)."},
        {"dora", OP_DORA_COMPUTE, "", 0, 0, CMD_JSON, dora_opts, cmd_dora,
         "the four DORA keys with their performance bands",
         "Deployment frequency, lead time for changes, change failure rate and failed "
         "deployment recovery time, as written out in docs/metrics.md, each with the band "
         "of the DORA report named in the output.  A retired key is not computed, and says "
         "so; each key's notes go to stderr."},
        {"explain", OP_METRIC_EXPLAIN, "metric-value:ID|score:CYCLE:EMPLOYEE_ID", 1, 1, CMD_JSON,
         NULL, cmd_explain, "show how a stored metric value or a score was computed",
         "For a metric value: the definition and version, the arithmetic, and every record "
         "the value used, with its source, url and the raw payload it came from. For a "
         "score: what plumb score show prints (its readers only; audited as score.show)."},
        {"metrics settings", OP_METRIC_SETTINGS, "", 0, 0, CMD_JSON, NULL, cmd_settings,
         "list what metric definitions read: environments, time zones, windows", NULL},
        {"metrics set", OP_METRIC_SET, "KEY VALUE", 2, 2, 0, set_opts, cmd_set,
         "change a metric setting for the org, a team or a service",
         "Keys: production_environments (org or service), time_zone (org or team), "
         "failure_window_hours, work_started_statuses, work_done_statuses and min_team_size "
         "(org)."},
};

const struct cli_group cli_group_measure = {"metric values", commands,
                                            sizeof commands / sizeof commands[0]};
