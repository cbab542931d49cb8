/*
 * slo_spec: reading OpenSLO v1 YAML into struct slo_spec (the subset plumb
 * understands, every other field refused by name), its canonical JSON as
 * stored in slos.spec, and the slo.import operation.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/decimal.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/yamldoc.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/org.h"
#include "metrics/slo.h"
#include "metrics/slo_int.h"
#include "store/store.h"

#define SLO_MAX_DOCS   256
#define SLO_QUERY_MAX  4000
#define SLO_WINDOW_MAX (INT64_C(366) * MS_PER_DAY)

/* A DataSource document of the file: a metricSource naming it in
 * metricSourceRef without a type takes its spec.type (NULL when it has
 * none). */
struct data_source {
	const char *name, *type;
	long line;
};

/* A walk over one document: errors are "FILE:LINE: field PATH: ...". */
struct walk {
	const char *file;
	yaml_document_t *doc;
	struct arena *a;
	struct error *err;
	const struct data_source *sources; /* the file's DataSource documents */
	size_t nsources;
};

static yaml_node_t *node_of(struct walk *w, int id)
{
	return yaml_document_get_node(w->doc, id);
}

static const char *join(struct walk *w, const char *path, const char *key)
{
	return *path ? arena_printf(w->a, "%s.%s", path, key) : key;
}

static int fail(struct walk *w, const yaml_node_t *n, const char *path, const char *what)
{
	return err_set(w->err, ERR_INVALID, "%s:%ld: field %s: %s", w->file, yamldoc_line(n), path,
	               what);
}

/* Refuse keys outside allowed (a misspelt field would be ignored silently)
 * and keys given twice. */
static int check_keys(struct walk *w, const yaml_node_t *map, const char *path,
                      const char *const *allowed)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node_of(w, p->key);
		if (!k || k->type != YAML_SCALAR_NODE)
			return fail(w, k, path, "expected text keys");
		const char *key = (const char *)k->data.scalar.value;
		if (yamldoc_repeated_key(w->doc, map, p))
			return fail(w, k, join(w, path, key), "given twice");
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, key) == 0;
		if (!ok) {
			struct sb list = SB_INIT;
			for (const char *const *a = allowed; *a; a++)
				sb_printf(&list, "%s%s", a == allowed ? "" : ", ", *a);
			int rc = fail(w, k, join(w, path, key),
			              arena_printf(w->a, "unknown field; expected one of %s",
			                           list.buf ? list.buf : ""));
			sb_release(&list);
			return rc;
		}
	}
	return 0;
}

static yaml_node_t *get(struct walk *w, const yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node_of(w, p->key);
		if (k && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return node_of(w, p->value);
	}
	return NULL;
}

/* A scalar node's text, NULL for another node or none (a lenient read of
 * documents plumb otherwise skips); empty text is NULL too. */
static const char *scalar_text(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE || !n->data.scalar.length)
		return NULL;
	return (const char *)n->data.scalar.value;
}

/* A mapping member; *out NULL when absent (an error when required). */
static int get_map(struct walk *w, const yaml_node_t *map, const char *path, const char *key,
                   bool required, yaml_node_t **out)
{
	*out = get(w, map, key);
	if (!*out && required)
		return fail(w, map, join(w, path, key), "missing; expected a mapping");
	if (*out && (*out)->type != YAML_MAPPING_NODE)
		return fail(w, *out, join(w, path, key), "expected a mapping");
	return 0;
}

static int get_str(struct walk *w, const yaml_node_t *map, const char *path, const char *key,
                   const char *expected, bool required, const char **out)
{
	*out = NULL;
	yaml_node_t *n = get(w, map, key);
	const char *field = join(w, path, key);
	if (!n) {
		if (required)
			return fail(w, map, field,
			            arena_printf(w->a, "missing; expected %s", expected));
		return 0;
	}
	const char *v;
	if (n->type != YAML_SCALAR_NODE || yamldoc_scalar(w->file, n, field, w->a, &v, w->err) < 0)
		return fail(w, n, field, arena_printf(w->a, "expected %s", expected));
	if (!*v && required)
		return fail(w, n, field, arena_printf(w->a, "expected %s, got nothing", expected));
	*out = *v ? v : NULL;
	return 0;
}

/* A YAML boolean: true, True, TRUE, false, False or FALSE unquoted (YAML
 * 1.2's core schema, yamldoc_bool); *has false when absent. */
static int get_bool(struct walk *w, const yaml_node_t *map, const char *path, const char *key,
                    bool *has, bool *out)
{
	static const char expected[] = "true or false, unquoted";
	const char *v;
	*has = false;
	int rc = get_str(w, map, path, key, expected, false, &v);
	if (rc < 0 || !v)
		return rc;
	int b = yamldoc_bool(get(w, map, key));
	if (b >= 0) {
		*has = true;
		*out = b == 1;
		return 0;
	}
	return fail(w, get(w, map, key), join(w, path, key),
	            arena_printf(w->a, "expected %s, got '%s'", expected, v));
}

/* A number lo < x < hi (x <= hi when hi_in); *has false when absent. */
static int get_num(struct walk *w, const yaml_node_t *map, const char *path, const char *key,
                   double lo, double hi, bool hi_in, const char *expected, bool *has, double *out)
{
	const char *v;
	*has = false;
	int rc = get_str(w, map, path, key, expected, false, &v);
	if (rc < 0 || !v)
		return rc;
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	/* A YAML number's characters only: strtod also reads C's hex floats
	 * (0x1p-1), inf and nan, which YAML does not. */
	bool decimal = strspn(v, "0123456789.eE+-") == strlen(v);
	if (!decimal || errno || end == v || *end || !isfinite(d) || d <= lo || d > hi ||
	    (d == hi && !hi_in))
		return fail(w, get(w, map, key), join(w, path, key),
		            arena_printf(w->a, "expected %s, got '%s'", expected, v));
	*has = true;
	*out = d;
	return 0;
}

/* A percentage's text as a fraction, rounded once: strtod of the text with
 * its decimal exponent lowered by 2 ("99.9" read as "99.9e-2"), so that
 * targetPercent: 99.9 gives the double target: 0.999 gives (99.9 / 100.0
 * rounds twice, to 0.9990000000000001).  False for text that is not a
 * decimal number. */
static bool percent_to_fraction(const char *text, struct arena *a, double *out)
{
	if (!*text || strspn(text, "0123456789.eE+-") != strlen(text))
		return false;
	size_t m = strcspn(text, "eE");
	long exp = 0;
	char *end;
	if (text[m]) {
		errno = 0;
		exp = strtol(text + m + 1, &end, 10);
		if (errno || end == text + m + 1 || *end || exp < -100000 || exp > 100000)
			return false;
	}
	const char *shifted = arena_printf(a, "%.*se%ld", (int)m, text, exp - 2);
	errno = 0;
	double d = strtod(shifted, &end);
	if (errno || end == shifted || *end || !isfinite(d))
		return false;
	*out = d;
	return true;
}

/* An OpenSLO duration shorthand: digits and one of s m h d w. */
static bool parse_duration(const char *s, int64_t *ms)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || s[0] < '0' || s[0] > '9' || v <= 0 || !end[0] || end[1])
		return false;
	int64_t unit;
	switch (*end) {
	case 's':
		unit = 1000;
		break;
	case 'm':
		unit = 60000;
		break;
	case 'h':
		unit = 3600000;
		break;
	case 'd':
		unit = MS_PER_DAY;
		break;
	case 'w':
		unit = 7 * MS_PER_DAY;
		break;
	default:
		return false;
	}
	if (v > SLO_WINDOW_MAX / unit)
		return false;
	*ms = (int64_t)v * unit;
	return true;
}

static int get_duration(struct walk *w, const yaml_node_t *map, const char *path, const char *key,
                        const char **text, int64_t *ms)
{
	static const char expected[] = "a duration such as 30s, 5m, 1h, 28d or 4w (at most 366d)";
	int rc = get_str(w, map, path, key, expected, true, text);
	if (rc == 0 && !parse_duration(*text, ms))
		rc = fail(w, get(w, map, key), join(w, path, key),
		          arena_printf(w->a, "expected %s, got '%s'", expected, *text));
	return rc;
}

/* timeSliceWindow: a duration, or a bare number of minutes (OpenSLO's
 * default unit for it), kept as written with the m ("5" as "5m") so both
 * spellings store the same spec. */
static int get_slice_window(struct walk *w, const yaml_node_t *o, const char *path,
                            struct slo_spec *s)
{
	static const char expected[] = "a duration such as 30s, 5m or 1h, or a number of minutes";
	const char *text;
	int rc = get_str(w, o, path, "timeSliceWindow", expected, true, &text);
	if (rc < 0)
		return rc;
	s->slice_text =
	        strspn(text, "0123456789") == strlen(text) ? arena_printf(w->a, "%sm", text) : text;
	if (!parse_duration(s->slice_text, &s->slice_ms))
		return fail(w, get(w, o, "timeSliceWindow"), join(w, path, "timeSliceWindow"),
		            arena_printf(w->a, "expected %s, got '%s'", expected, text));
	return 0;
}

/* metadata: name (required) and the descriptive fields. */
static int read_metadata(struct walk *w, const yaml_node_t *map, const char *path,
                         const char **name, const char **display)
{
	static const char *const keys[] = {"name", "displayName", "labels", "annotations", NULL};
	yaml_node_t *md;
	int rc = get_map(w, map, path, "metadata", true, &md);
	const char *mp = join(w, path, "metadata");
	if (rc == 0)
		rc = check_keys(w, md, mp, keys);
	if (rc == 0)
		rc = get_str(w, md, mp, "name",
		             "a name of 1 to 64 letters, digits, '-', '_' or '.'", true, name);
	if (rc == 0 && !org_valid_name(*name))
		rc = fail(w, get(w, md, "name"), join(w, mp, "name"),
		          arena_printf(w->a,
		                       "expected a name of 1 to 64 letters, digits, '-', '_' or "
		                       "'.', got '%s'",
		                       *name));
	if (rc == 0 && display)
		rc = get_str(w, md, mp, "displayName", "text", false, display);
	if (rc == 0 && display && *display && !org_valid_text(*display, 200))
		rc = fail(w, get(w, md, "displayName"), join(w, mp, "displayName"),
		          "expected one line of text, up to 200 bytes, without control characters");
	return rc;
}

/* A metricSource without a type: OpenSLO takes it from the DataSource its
 * metricSourceRef names; plumb reads those of the same file. */
static int type_from_ref(struct walk *w, const yaml_node_t *src, const char *path, const char *ref,
                         const char **type)
{
	const char *field = join(w, path, "type");
	if (!ref)
		return fail(w, src, field,
		            "missing; expected the metric source's type, such as Prometheus (or a "
		            "metricSourceRef naming a DataSource document of this file that has "
		            "spec.type)");
	for (size_t i = 0; i < w->nsources; i++) {
		const struct data_source *d = &w->sources[i];
		if (strcmp(d->name, ref) != 0)
			continue;
		if (d->type) {
			*type = d->type;
			return 0;
		}
		return fail(w, src, field,
		            arena_printf(w->a,
		                         "missing, and DataSource '%s' (line %ld) has no spec.type "
		                         "to take it from; expected the type, such as Prometheus, "
		                         "here or there",
		                         ref, d->line));
	}
	return fail(w, src, field,
	            arena_printf(w->a,
	                         "missing, and metricSourceRef '%s' names no DataSource document "
	                         "of this file to take it from; expected the type, such as "
	                         "Prometheus, or a DataSource document '%s' with spec.type",
	                         ref, ref));
}

/* metricSource: {type, spec: {query}} or {metricSourceRef, ...}; the type
 * may come from the DataSource metricSourceRef names. */
static int read_source(struct walk *w, const yaml_node_t *metric, const char *path,
                       struct slo_spec *s, const char **query)
{
	static const char *const mkeys[] = {"metricSource", NULL};
	static const char *const skeys[] = {"metricSourceRef", "type", "spec", NULL};
	static const char *const qkeys[] = {"query", NULL};
	yaml_node_t *src, *spec;
	const char *sp = join(w, path, "metricSource"), *type = NULL, *ref = NULL;
	int rc = check_keys(w, metric, path, mkeys);
	if (rc == 0)
		rc = get_map(w, metric, path, "metricSource", true, &src);
	if (rc == 0)
		rc = check_keys(w, src, sp, skeys);
	if (rc == 0)
		rc = get_str(w, src, sp, "type", "the metric source's type, such as Prometheus",
		             false, &type);
	if (rc == 0)
		rc = get_str(w, src, sp, "metricSourceRef", "the name of a plumb source", false,
		             &ref);
	if (rc == 0 && !type)
		rc = type_from_ref(w, src, sp, ref, &type);
	if (rc == 0)
		rc = get_map(w, src, sp, "spec", true, &spec);
	const char *qp = join(w, sp, "spec");
	if (rc == 0 && strcasecmp(type, "prometheus") == 0)
		rc = check_keys(w, spec, qp, qkeys);
	if (rc == 0)
		rc = get_str(w, spec, qp, "query", "a PromQL query",
		             strcasecmp(type, "prometheus") == 0, query);
	if (rc == 0 && *query && !org_valid_text(*query, SLO_QUERY_MAX))
		rc = fail(w, get(w, spec, "query"), join(w, qp, "query"),
		          "expected a query of at most 4000 bytes of text");
	if (rc < 0)
		return rc;
	/* The type as written (Prometheus stored as such), case aside. */
	if (s->source_type &&
	    (strcasecmp(s->source_type, type) != 0 ||
	     (s->source_ref != ref && (!s->source_ref || !ref || strcmp(s->source_ref, ref) != 0))))
		return fail(w, src, sp,
		            "expected the same type and metricSourceRef as the other query");
	if (!s->source_type) {
		s->source_line = yamldoc_line(src);
		s->source_path = sp;
	}
	s->source_type = strcasecmp(type, "prometheus") == 0 ? "Prometheus" : type;
	s->source_ref = ref;
	return 0;
}

/* An SLI's spec (inline under indicator, or of kind SLI). */
static int read_sli_spec(struct walk *w, const yaml_node_t *spec, const char *path,
                         struct slo_spec *s)
{
	static const char *const keys[] = {"description", "ratioMetric", "thresholdMetric", NULL};
	static const char *const rkeys[] = {"counter", "good", "bad", "total", NULL};
	int rc = check_keys(w, spec, path, keys);
	yaml_node_t *ratio = NULL, *thr = NULL;
	if (rc == 0)
		rc = get_map(w, spec, path, "ratioMetric", false, &ratio);
	if (rc == 0)
		rc = get_map(w, spec, path, "thresholdMetric", false, &thr);
	if (rc < 0)
		return rc;
	if (!ratio == !thr)
		return fail(w, spec, path, "expected one of ratioMetric and thresholdMetric");
	if (thr) {
		s->kind = SLO_THRESHOLD;
		return read_source(w, thr, join(w, path, "thresholdMetric"), s, &s->value_query);
	}
	s->kind = SLO_RATIO;
	const char *rp = join(w, path, "ratioMetric");
	rc = check_keys(w, ratio, rp, rkeys);
	bool has_counter, counter = false;
	if (rc == 0)
		rc = get_bool(w, ratio, rp, "counter", &has_counter, &counter);
	/* plumb adds a query's points up as the events of each step; a
	 * cumulative counter's values would be added up as such. */
	if (rc == 0 && counter)
		rc = fail(w, get(w, ratio, "counter"), join(w, rp, "counter"),
		          "true (cumulative counters) is not supported; expected false, or no "
		          "counter, with queries that return each step's events, such as "
		          "sum(increase(requests_total[1m])) or sum(rate(requests_total[1m]))");
	yaml_node_t *good = NULL, *bad = NULL, *total = NULL;
	if (rc == 0)
		rc = get_map(w, ratio, rp, "good", false, &good);
	if (rc == 0)
		rc = get_map(w, ratio, rp, "bad", false, &bad);
	if (rc == 0)
		rc = get_map(w, ratio, rp, "total", true, &total);
	if (rc < 0)
		return rc;
	if (!good == !bad)
		return fail(w, ratio, rp, "expected one of good and bad, beside total");
	s->numerator = good ? SLO_NUM_GOOD : SLO_NUM_BAD;
	rc = read_source(w, good ? good : bad, join(w, rp, good ? "good" : "bad"), s,
	                 good ? &s->good_query : &s->bad_query);
	if (rc == 0)
		rc = read_source(w, total, join(w, rp, "total"), s, &s->total_query);
	return rc;
}

/* An SLI document, or an inline indicator: metadata and spec. */
static int read_sli(struct walk *w, const yaml_node_t *map, const char *path, struct slo_spec *s)
{
	yaml_node_t *spec;
	int rc = read_metadata(w, map, path, &s->indicator, NULL);
	if (rc == 0)
		rc = get_map(w, map, path, "spec", true, &spec);
	if (rc == 0)
		rc = read_sli_spec(w, spec, join(w, path, "spec"), s);
	return rc;
}

struct sli_def {
	const char *name;
	struct slo_spec sli; /* only the indicator's fields */
	long line;
};

static int read_objective(struct walk *w, const yaml_node_t *spec, struct slo_spec *s)
{
	static const char *const okeys[] = {
	        "displayName",     "target",          "targetPercent",   "op", "value",
	        "timeSliceTarget", "timeSliceWindow", "compositeWeight", NULL};
	yaml_node_t *objs = get(w, spec, "objectives");
	if (!objs || objs->type != YAML_SEQUENCE_NODE ||
	    objs->data.sequence.items.top - objs->data.sequence.items.start != 1)
		return fail(w, objs ? objs : spec, "spec.objectives",
		            "expected a list of one objective (plumb reads one per SLO; write an "
		            "SLO per objective)");
	yaml_node_t *o = node_of(w, *objs->data.sequence.items.start);
	const char *p = "spec.objectives[0]";
	if (!o || o->type != YAML_MAPPING_NODE)
		return fail(w, o, p, "expected a mapping");
	int rc = check_keys(w, o, p, okeys);
	bool has_t, has_tp, has_v, has_st;
	double tp = 0;
	if (rc == 0)
		rc = get_num(w, o, p, "target", 0, 1, false,
		             "a number between 0 and 1, such as 0.999", &has_t, &s->target);
	if (rc == 0)
		rc = get_num(w, o, p, "targetPercent", 0, 100, false,
		             "a percentage between 0 and 100", &has_tp, &tp);
	if (rc < 0)
		return rc;
	if (has_t == has_tp)
		return fail(w, o, p, "expected one of target (0 to 1) and targetPercent");
	const char *tp_text = NULL;
	if (has_tp &&
	    (get_str(w, o, p, "targetPercent", "", false, &tp_text) < 0 ||
	     !percent_to_fraction(tp_text, w->a, &s->target) || s->target <= 0 || s->target >= 1))
		return fail(w, get(w, o, "targetPercent"), join(w, p, "targetPercent"),
		            arena_printf(w->a, "expected a percentage between 0 and 100, got '%s'",
		                         tp_text ? tp_text : ""));
	if (s->kind == SLO_THRESHOLD) {
		static const char *const ops[] = {"lt", "lte", "gt", "gte"};
		const char *op;
		rc = get_str(w, o, p, "op", "one of lt, lte, gt, gte", true, &op);
		bool found = false;
		for (int i = 0; rc == 0 && i < 4; i++)
			if (strcmp(op, ops[i]) == 0)
				s->op = (enum slo_op)i, found = true;
		if (rc == 0 && !found)
			rc = fail(w, get(w, o, "op"), join(w, p, "op"),
			          arena_printf(w->a, "expected one of lt, lte, gt, gte, got '%s'",
			                       op));
		if (rc == 0)
			rc = get_num(w, o, p, "value", -HUGE_VAL, HUGE_VAL, false, "a number",
			             &has_v, &s->threshold);
		if (rc == 0 && !has_v)
			rc = fail(w, o, join(w, p, "value"),
			          "missing; expected the threshold a sample is compared with");
	} else {
		for (const char *const *k = (const char *const[]){"op", "value", NULL}; *k; k++)
			if (rc == 0 && get(w, o, *k))
				rc = fail(w, get(w, o, *k), join(w, p, *k),
				          "applies to a thresholdMetric indicator only");
	}
	if (rc < 0)
		return rc;
	if (s->budgeting == SLO_TIMESLICES) {
		/* (0, 1] as OpenSLO's schema has it: at 0 every slice would be good. */
		rc = get_num(w, o, p, "timeSliceTarget", 0, 1, true,
		             "a number above 0 and at most 1, such as 0.95", &has_st,
		             &s->slice_target);
		if (rc == 0 && !has_st)
			rc = fail(w, o, join(w, p, "timeSliceTarget"),
			          "missing; Timeslices needs the share of good in a slice, such as "
			          "0.95");
		if (rc == 0)
			rc = get_slice_window(w, o, p, s);
		if (rc == 0 && s->slice_ms > s->window_ms)
			rc = fail(w, get(w, o, "timeSliceWindow"), join(w, p, "timeSliceWindow"),
			          "expected a slice no longer than the time window");
	} else {
		for (const char *const *k =
		             (const char *const[]){"timeSliceTarget", "timeSliceWindow", NULL};
		     *k; k++)
			if (rc == 0 && get(w, o, *k))
				rc = fail(w, get(w, o, *k), join(w, p, *k),
				          "applies to budgetingMethod Timeslices only");
	}
	return rc;
}

static int read_window(struct walk *w, const yaml_node_t *spec, struct slo_spec *s)
{
	static const char *const keys[] = {"duration", "isRolling", "calendar", NULL};
	yaml_node_t *tw = get(w, spec, "timeWindow");
	if (!tw || tw->type != YAML_SEQUENCE_NODE ||
	    tw->data.sequence.items.top - tw->data.sequence.items.start != 1)
		return fail(w, tw ? tw : spec, "spec.timeWindow",
		            "expected a list of one window, such as [{duration: 28d, isRolling: "
		            "true}]");
	yaml_node_t *t = node_of(w, *tw->data.sequence.items.start);
	const char *p = "spec.timeWindow[0]";
	bool has_rolling, rolling = true;
	if (!t || t->type != YAML_MAPPING_NODE)
		return fail(w, t, p, "expected a mapping");
	int rc = check_keys(w, t, p, keys);
	if (rc == 0)
		rc = get_duration(w, t, p, "duration", &s->window, &s->window_ms);
	if (rc == 0)
		rc = get_bool(w, t, p, "isRolling", &has_rolling, &rolling);
	if (rc == 0 && (!rolling || get(w, t, "calendar")))
		rc = fail(w, get(w, t, "calendar") ? get(w, t, "calendar") : get(w, t, "isRolling"),
		          join(w, p, get(w, t, "calendar") ? "calendar" : "isRolling"),
		          "calendar windows are not supported; expected isRolling: true");
	return rc;
}

static int read_slo(struct walk *w, const yaml_node_t *root, const struct sli_def *slis,
                    size_t nslis, struct slo_spec *s)
{
	static const char *const keys[] = {"description",  "service",         "indicator",
	                                   "indicatorRef", "budgetingMethod", "timeWindow",
	                                   "objectives",   "alertPolicies",   NULL};
	memset(s, 0, sizeof *s);
	yaml_node_t *spec = NULL, *ind = NULL;
	const char *method, *ref = NULL;
	int rc = read_metadata(w, root, "", &s->name, &s->display_name);
	if (rc == 0)
		rc = get_map(w, root, "", "spec", true, &spec);
	if (rc == 0)
		rc = check_keys(w, spec, "spec", keys);
	if (rc == 0)
		rc = get_str(w, spec, "spec", "description", "text", false, &s->description);
	if (rc == 0)
		rc = get_str(w, spec, "spec", "service", "the name of a plumb service", true,
		             &s->service);
	if (rc == 0)
		s->service_line = yamldoc_line(get(w, spec, "service"));
	if (rc == 0)
		rc = get_map(w, spec, "spec", "indicator", false, &ind);
	if (rc == 0)
		rc = get_str(w, spec, "spec", "indicatorRef", "the name of an SLI in this file",
		             false, &ref);
	if (rc < 0)
		return rc;
	if (!ind == !ref)
		return fail(w, spec, "spec", "expected one of indicator and indicatorRef");
	if (ind) {
		rc = read_sli(w, ind, "spec.indicator", s);
	} else {
		const struct sli_def *d = NULL;
		for (size_t i = 0; i < nslis && !d; i++)
			if (strcmp(slis[i].name, ref) == 0)
				d = &slis[i];
		if (!d)
			return fail(w, get(w, spec, "indicatorRef"), "spec.indicatorRef",
			            arena_printf(w->a,
			                         "no SLI '%s' in this file; expected the name of "
			                         "a document of kind SLI",
			                         ref));
		s->indicator = d->name;
		s->kind = d->sli.kind;
		s->source_type = d->sli.source_type;
		s->source_ref = d->sli.source_ref;
		s->source_line = d->sli.source_line;
		s->source_path = d->sli.source_path;
		s->good_query = d->sli.good_query;
		s->bad_query = d->sli.bad_query;
		s->total_query = d->sli.total_query;
		s->value_query = d->sli.value_query;
		s->numerator = d->sli.numerator;
	}
	if (rc == 0)
		rc = get_str(w, spec, "spec", "budgetingMethod", "Occurrences or Timeslices", true,
		             &method);
	if (rc == 0) {
		if (strcmp(method, "Occurrences") == 0)
			s->budgeting = SLO_OCCURRENCES;
		else if (strcmp(method, "Timeslices") == 0)
			s->budgeting = SLO_TIMESLICES;
		else
			rc = fail(w, get(w, spec, "budgetingMethod"), "spec.budgetingMethod",
			          arena_printf(w->a, "expected Occurrences or Timeslices, got '%s'",
			                       method));
	}
	if (rc == 0)
		rc = read_window(w, spec, s);
	if (rc == 0)
		rc = read_objective(w, spec, s);
	return rc;
}

int slo_parse_file(const char *file, const char *data, size_t len, struct arena *a,
                   struct slo_spec **out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	yaml_document_t *docs = NULL;
	size_t ndocs = 0;
	int rc = yamldoc_load_all(file, data, len, SLO_MAX_DOCS, &docs, &ndocs, err);
	if (rc < 0)
		return rc;
	/* The DataSource documents first: a metricSource may name one written
	 * after it. */
	struct data_source *sources = arena_array(a, ndocs + 1, sizeof *sources);
	size_t nsources = 0;
	for (size_t i = 0; i < ndocs; i++) {
		struct walk w = {file, &docs[i], a, err, NULL, 0};
		const yaml_node_t *root = yaml_document_get_root_node(&docs[i]);
		const char *kind = scalar_text(get(&w, root, "kind"));
		const char *name = scalar_text(get(&w, get(&w, root, "metadata"), "name"));
		if (!kind || strcmp(kind, "DataSource") != 0 || !name)
			continue;
		const char *type = scalar_text(get(&w, get(&w, root, "spec"), "type"));
		sources[nsources++] = (struct data_source){arena_strdup(a, name),
		                                           type ? arena_strdup(a, type) : NULL,
		                                           yamldoc_line(root)};
	}
	struct sli_def *slis = arena_array(a, ndocs + 1, sizeof *slis);
	size_t nslis = 0, alloc = 0;
	const yaml_node_t **slo_roots = arena_array(a, ndocs + 1, sizeof *slo_roots);
	size_t nroots = 0;
	/* First every document's kind, and the SLIs (an SLO may name one
	 * written after it). */
	for (size_t i = 0; i < ndocs && rc == 0; i++) {
		struct walk w = {file, &docs[i], a, err, sources, nsources};
		yaml_node_t *root = yaml_document_get_root_node(&docs[i]);
		const char *api, *kind;
		if (!root || (root->type == YAML_SCALAR_NODE && !root->data.scalar.length))
			continue;
		if (root->type != YAML_MAPPING_NODE) {
			rc = fail(&w, root, "(document)",
			          "expected a mapping with apiVersion and kind");
			break;
		}
		rc = get_str(&w, root, "", "apiVersion", "openslo/v1", true, &api);
		if (rc == 0 && strcmp(api, "openslo/v1") != 0)
			rc = fail(&w, get(&w, root, "apiVersion"), "apiVersion",
			          arena_printf(a, "expected openslo/v1, got '%s'", api));
		if (rc == 0)
			rc = get_str(&w, root, "", "kind", "SLO or SLI", true, &kind);
		if (rc < 0)
			break;
		static const char *const keys[] = {"apiVersion", "kind", "metadata", "spec", NULL};
		if (strcmp(kind, "SLO") == 0 || strcmp(kind, "SLI") == 0)
			rc = check_keys(&w, root, "(document)", keys);
		if (rc < 0)
			break;
		if (strcmp(kind, "SLO") == 0) {
			slo_roots[nroots++] = root;
		} else if (strcmp(kind, "SLI") == 0) {
			struct sli_def *d = &slis[nslis];
			memset(d, 0, sizeof *d);
			d->line = yamldoc_line(root);
			rc = read_sli(&w, root, "", &d->sli);
			d->name = d->sli.indicator;
			for (size_t j = 0; rc == 0 && j < nslis; j++)
				if (strcmp(slis[j].name, d->name) == 0)
					rc = fail(&w, get(&w, get(&w, root, "metadata"), "name"),
					          "metadata.name",
					          arena_printf(a,
					                       "SLI '%s' is already defined "
					                       "on line %ld",
					                       d->name, slis[j].line));
			nslis++;
		} else if (strcmp(kind, "Service") == 0 || strcmp(kind, "DataSource") == 0 ||
		           strcmp(kind, "AlertPolicy") == 0 ||
		           strcmp(kind, "AlertCondition") == 0 ||
		           strcmp(kind, "AlertNotificationTarget") == 0) {
			continue; /* OpenSLO kinds plumb has no use for: skipped */
		} else {
			rc = fail(&w, get(&w, root, "kind"), "kind",
			          arena_printf(a, "expected SLO or SLI, got '%s'", kind));
		}
	}
	struct slo_spec *slos = NULL;
	for (size_t i = 0; i < nroots && rc == 0; i++) {
		size_t d = 0;
		while (yaml_document_get_root_node(&docs[d]) != slo_roots[i])
			d++;
		struct walk w = {file, &docs[d], a, err, sources, nsources};
		slos = arena_grow(a, slos, *n, &alloc, sizeof *slos);
		rc = read_slo(&w, slo_roots[i], slis, nslis, &slos[*n]);
		for (size_t j = 0; rc == 0 && j < *n; j++)
			if (strcmp(slos[j].name, slos[*n].name) == 0)
				rc = fail(&w, get(&w, get(&w, slo_roots[i], "metadata"), "name"),
				          "metadata.name",
				          arena_printf(a, "SLO '%s' is defined twice in this file",
				                       slos[j].name));
		if (rc == 0)
			(*n)++;
	}
	for (size_t i = 0; i < ndocs; i++)
		yaml_document_delete(&docs[i]);
	free(docs);
	if (rc == 0 && *n == 0)
		rc = err_set(err, ERR_INVALID, "%s: no document of kind SLO", file);
	if (rc < 0) {
		*n = 0;
		return rc;
	}
	*out = slos;
	return 0;
}

/* ---- canonical JSON ------------------------------------------------------------ */

static const char *const op_names[] = {"lt", "lte", "gt", "gte"};

void slo_spec_json(const struct slo_spec *s, struct sb *out)
{
	struct jw w;
	jw_init(&w, out, false);
	jw_object_begin(&w);
	jw_kstr(&w, "name", s->name);
	jw_kstr(&w, "display_name", s->display_name);
	jw_kstr(&w, "description", s->description);
	jw_kstr(&w, "service", s->service);
	jw_kstr(&w, "indicator", s->indicator);
	jw_kstr(&w, "kind", s->kind == SLO_RATIO ? "ratio" : "threshold");
	jw_kstr(&w, "source_type", s->source_type);
	jw_kstr(&w, "source_ref", s->source_ref);
	jw_kstr(&w, "good_query", s->good_query);
	jw_kstr(&w, "bad_query", s->bad_query);
	jw_kstr(&w, "total_query", s->total_query);
	jw_kstr(&w, "value_query", s->value_query);
	/* Which numerator shows in its query; said only when neither has one,
	 * so the JSON of SLOs stored before it was kept stays the same. */
	if (s->kind == SLO_RATIO && !s->good_query && !s->bad_query)
		jw_kstr(&w, "numerator", s->numerator == SLO_NUM_BAD ? "bad" : "good");
	jw_kstr(&w, "budgeting", s->budgeting == SLO_OCCURRENCES ? "Occurrences" : "Timeslices");
	jw_key(&w, "target");
	jw_double(&w, s->target);
	if (s->kind == SLO_THRESHOLD) {
		jw_kstr(&w, "op", op_names[s->op]);
		jw_key(&w, "value");
		jw_double(&w, s->threshold);
	}
	jw_kstr(&w, "window", s->window);
	jw_kint(&w, "window_ms", s->window_ms);
	if (s->budgeting == SLO_TIMESLICES) {
		jw_key(&w, "slice_target");
		jw_double(&w, s->slice_target);
		jw_kstr(&w, "slice_window", s->slice_text);
		jw_kint(&w, "slice_ms", s->slice_ms);
	}
	jw_object_end(&w);
}

static const char *jstr(const cJSON *o, const char *key, struct arena *a)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? arena_strdup(a, v->valuestring) : NULL;
}

static double jnum(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

int slo_spec_from_json(const char *json, struct arena *a, struct slo_spec *s, struct error *err)
{
	memset(s, 0, sizeof *s);
	cJSON *o = cJSON_Parse(json);
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return err_set(err, ERR_FAILED, "a stored SLO spec is not JSON");
	}
	s->name = jstr(o, "name", a);
	s->display_name = jstr(o, "display_name", a);
	s->description = jstr(o, "description", a);
	s->service = jstr(o, "service", a);
	s->indicator = jstr(o, "indicator", a);
	const char *kind = jstr(o, "kind", a), *budgeting = jstr(o, "budgeting", a);
	s->kind = kind && strcmp(kind, "threshold") == 0 ? SLO_THRESHOLD : SLO_RATIO;
	s->source_type = jstr(o, "source_type", a);
	s->source_ref = jstr(o, "source_ref", a);
	s->good_query = jstr(o, "good_query", a);
	s->bad_query = jstr(o, "bad_query", a);
	s->total_query = jstr(o, "total_query", a);
	s->value_query = jstr(o, "value_query", a);
	const char *numerator = jstr(o, "numerator", a);
	if (s->kind == SLO_RATIO)
		s->numerator = s->good_query                                 ? SLO_NUM_GOOD
		               : s->bad_query                                ? SLO_NUM_BAD
		               : numerator && strcmp(numerator, "good") == 0 ? SLO_NUM_GOOD
		               : numerator && strcmp(numerator, "bad") == 0  ? SLO_NUM_BAD
		                                                             : SLO_NUM_UNKNOWN;
	s->budgeting = budgeting && strcmp(budgeting, "Timeslices") == 0 ? SLO_TIMESLICES
	                                                                 : SLO_OCCURRENCES;
	s->target = jnum(o, "target");
	const char *op = jstr(o, "op", a);
	for (int i = 0; op && i < 4; i++)
		if (strcmp(op, op_names[i]) == 0)
			s->op = (enum slo_op)i;
	s->threshold = jnum(o, "value");
	s->window = jstr(o, "window", a);
	s->window_ms = (int64_t)jnum(o, "window_ms");
	s->slice_target = jnum(o, "slice_target");
	s->slice_text = jstr(o, "slice_window", a);
	s->slice_ms = (int64_t)jnum(o, "slice_ms");
	cJSON_Delete(o);
	if (!s->name || s->window_ms <= 0 || (s->budgeting == SLO_TIMESLICES && s->slice_ms <= 0))
		return err_set(err, ERR_FAILED, "a stored SLO spec is incomplete");
	return 0;
}

/* ---- slo.import ----------------------------------------------------------------- */

struct import_args {
	const char *file;
	struct slo_spec *slos;
	size_t n;
	struct slo_import_result *res;
	/* By SLO: the service its stored version had, where this one names
	 * another (NULL: not moved). */
	const char **moved_from;
};

/* Whether s says what the stored spec old says.  A duration is kept as
 * written, but another spelling of the same length (720h for 30d, 60m for
 * 1h) is formatting, not meaning: compared in old's spelling, it stores no
 * new version (found hunting: it did, with an audit entry). */
static bool same_meaning(struct ctx *ctx, const struct slo_spec *s, const char *old)
{
	struct slo_spec prev, as_old = *s;
	struct error ignored = {0};
	if (slo_spec_from_json(old, ctx->arena, &prev, &ignored) == 0) {
		if (prev.window && prev.window_ms == s->window_ms)
			as_old.window = prev.window;
		if (prev.slice_text && prev.slice_ms == s->slice_ms)
			as_old.slice_text = prev.slice_text;
	}
	struct sb json = SB_INIT;
	slo_spec_json(&as_old, &json);
	bool same = strcmp(old, json.buf) == 0;
	sb_release(&json);
	return same;
}

/* A Prometheus SLO's metricSourceRef naming a source of another kind (a
 * deploy or GitHub source): no sync would read it, and nothing said so.  A
 * name no source has yet is taken (the source added after, as the hint of
 * a second Prometheus source asks); its syncs warn while none has it. */
static int source_kind_prometheus(struct ctx *ctx, const struct import_args *a,
                                  const struct slo_spec *s, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT kind FROM sources WHERE name = ?1", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, s->source_ref);
	const char *kind = NULL;
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		kind = stmt_text_dup(st, 0, ctx->arena);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (!kind || strcmp(kind, "prometheus") == 0)
		return 0;
	err_set(err, ERR_INVALID,
	        "%s:%ld: field %s.metricSourceRef: source '%s' is a %s source, not a Prometheus "
	        "one, so no sync would read SLO %s",
	        a->file, s->source_line, s->source_path, s->source_ref, kind, s->name);
	err_hint(err, "name the Prometheus source that reads it ('plumb source list'); nothing "
	              "was stored");
	return ERR_INVALID;
}

/* A Prometheus SLO naming no metricSourceRef is read by every Prometheus
 * source: with two or more, each sync would store its samples over
 * another's (they are kept by SLO and time).  An SLO stored before is
 * refused by their syncs (slo_prometheus_refs_check_tx). */
static int source_named(struct ctx *ctx, const struct import_args *a, const struct slo_spec *s,
                        struct error *err)
{
	if (!s->source_type || strcmp(s->source_type, "Prometheus") != 0)
		return 0;
	if (s->source_ref)
		return source_kind_prometheus(ctx, a, s, err);
	const char **sources;
	size_t n;
	int rc = slo_prometheus_sources_tx(ctx, &sources, &n, err);
	if (rc < 0 || n < 2)
		return rc;
	err_set(err, ERR_CONFLICT,
	        "%s:%ld: field %s.metricSourceRef: missing, and SLO %s would be read by each of "
	        "the Prometheus sources %s, which store their samples over one another's",
	        a->file, s->source_line, s->source_path, s->name,
	        slo_names_list(ctx->arena, sources, n));
	err_hint(err,
	         "name the source that reads it (metricSourceRef: %s, say); nothing was stored",
	         sources[0]);
	return ERR_CONFLICT;
}

static int import_one_tx(struct ctx *ctx, struct import_args *a, const struct slo_spec *s,
                         struct error *err)
{
	struct store_stmt *st;
	int64_t service_id = 0;
	a->moved_from[s - a->slos] = NULL; /* a retried transaction sets it again */
	int rc = store_prepare(ctx->store, "SELECT id FROM services WHERE name = ?1", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, s->service);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		service_id = stmt_int(st, 0);
	stmt_reset(st);
	if (rc == STORE_DONE) {
		err_set(err, ERR_NOT_FOUND, "%s:%ld: field spec.service: no service '%s' (SLO %s)",
		        a->file, s->service_line, s->service, s->name);
		err_hint(err,
		         "create it with 'plumb service set %s --team TEAM'; nothing was "
		         "stored",
		         s->service);
		return ERR_NOT_FOUND;
	}
	if (rc < 0)
		return rc;
	struct sb spec = SB_INIT;
	slo_spec_json(s, &spec);
	int version = 0;
	const char *old = NULL;
	rc = store_prepare(ctx->store,
	                   "SELECT version, spec FROM slos WHERE name = ?1 ORDER BY version DESC "
	                   "LIMIT 1",
	                   &st, err);
	if (rc == 0) {
		stmt_bind_text(st, 1, s->name);
		rc = stmt_step(st, err);
		if (rc == STORE_ROW) {
			version = (int)stmt_int(st, 0);
			old = stmt_text_dup(st, 1, ctx->arena);
		}
		stmt_reset(st);
	}
	if (rc >= 0 && old && same_meaning(ctx, s, old)) {
		a->res->unchanged++;
		sb_release(&spec);
		return 0;
	}
	struct slo_spec prev;
	struct error ignored = {0};
	if (rc >= 0 && old && slo_spec_from_json(old, ctx->arena, &prev, &ignored) == 0 &&
	    prev.service && strcmp(prev.service, s->service) != 0)
		a->moved_from[s - a->slos] = prev.service;
	if (rc >= 0)
		rc = source_named(ctx, a, s, err);
	if (rc >= 0)
		rc = store_prepare(ctx->store,
		                   "INSERT INTO slos(name, version, service_id, spec, created_at) "
		                   "VALUES (?1, ?2, ?3, ?4, ?5)",
		                   &st, err);
	if (rc >= 0) {
		stmt_bind_text(st, 1, s->name);
		stmt_bind_int(st, 2, version + 1);
		stmt_bind_int(st, 3, service_id);
		stmt_bind_text(st, 4, spec.buf);
		stmt_bind_int(st, 5, ts_clock_ms());
		rc = stmt_step(st, err);
		stmt_reset(st);
	}
	if (rc < 0) {
		sb_release(&spec);
		return rc;
	}
	if (version)
		a->res->changed++;
	else
		a->res->created++;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "file", a->file);
	jw_kint(&w, "version", version + 1);
	jw_kstr(&w, "service", s->service);
	jw_key(&w, "spec");
	jw_raw(&w, spec.buf);
	jw_object_end(&w);
	rc = audit_append(ctx, "slo.import", "slo", s->name, detail.buf, err);
	sb_release(&detail);
	sb_release(&spec);
	return rc;
}

static int import_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct import_args *a = arg;
	struct slo_import_result *r = a->res;
	r->created = r->changed = r->unchanged = 0;
	int rc = 0;
	for (size_t i = 0; i < a->n && rc == 0; i++)
		rc = import_one_tx(ctx, a, &a->slos[i], err);
	if (rc == 0 && r->created + r->changed == 0)
		return CTX_ROLLBACK;
	return rc;
}

/* The alert rules s's target leaves unable to fire, as a warning (NULL:
 * none).  A burn is at most 1 / (1 - target), every event (or slice) bad:
 * 10 at 90%, not above the 30-day page threshold of 14.4, so a 90% SLO in
 * a total outage never paged on its fast rule, and nothing said so (found
 * hunting). */
static const char *target_warning(struct arena *a, const struct slo_spec *s)
{
	static const char *const rules[4] = {"page on 1h and 5m", "page on 6h and 30m",
	                                     "ticket on 1d and 2h", "ticket on 3d and 6h"};
	struct slo_tally all_bad = {.good = 0, .total = 1, .has_data = true};
	double most = slo_burn_rate(&all_bad, s->target), thresholds[4];
	slo_alert_thresholds(s->window_ms, thresholds);
	struct sb list = SB_INIT;
	int never = 0;
	char num[64];
	for (int r = 0; r < 4; r++)
		if (most <= thresholds[r])
			sb_printf(&list, "%s%s above %s", never++ ? ", " : "", rules[r],
			          decimal_format(num, sizeof num, thresholds[r], 12));
	const char *out = NULL;
	if (never) {
		char pct[64];
		out = arena_printf(
		        a,
		        "SLO %s: at a target of %s%% a burn rate is at most %s (every %s "
		        "bad), so %d of the 4 alert rules can never fire (%s); a higher "
		        "target lets them",
		        s->name, decimal_percent(pct, sizeof pct, s->target, 12, 0),
		        decimal_format(num, sizeof num, most, 12),
		        s->budgeting == SLO_TIMESLICES ? "slice" : "event", never, list.buf);
	}
	sb_release(&list);
	return out;
}

int slo_import(struct ctx *ctx, const char *file, const char *data, size_t len,
               struct slo_import_result *res, struct error *err)
{
	memset(res, 0, sizeof *res);
	int rc = ctx_op_check(ctx, OP_SLO_IMPORT, err);
	struct import_args a = {file, NULL, 0, res, NULL};
	if (rc == 0)
		rc = slo_parse_file(file, data, len, ctx->arena, &a.slos, &a.n, err);
	if (rc < 0) {
		if (rc == ERR_INVALID)
			err_hint(err, "nothing was stored; see 'plumb help slo import'");
		return rc;
	}
	res->slos = (int64_t)a.n;
	a.moved_from = arena_array(ctx->arena, a.n, sizeof *a.moved_from);
	rc = ctx_run(ctx, OP_SLO_IMPORT, import_body, &a, err);
	if (rc < 0 && rc != CTX_ROLLBACK)
		return rc;
	res->warnings = arena_array(ctx->arena, 3 * a.n + 1, sizeof *res->warnings);
	for (size_t i = 0; i < a.n; i++) {
		const struct slo_spec *s = &a.slos[i];
		/* Samples are kept by SLO name: an SLO of another service given
		 * the same name (two teams' "availability") took the first one's
		 * place and its samples, in silence (found hunting). */
		if (a.moved_from[i])
			res->warnings[res->nwarnings++] = arena_printf(
			        ctx->arena,
			        "SLO %s: moved from service %s to %s; its samples, kept by SLO "
			        "name, go with it, and %s has it no longer (an SLO of another "
			        "service needs a name of its own)",
			        s->name, a.moved_from[i], s->service, a.moved_from[i]);
		const char *low = target_warning(ctx->arena, s);
		if (low)
			res->warnings[res->nwarnings++] = low;
		/* A burn window shorter than a slice has no rate (slo.c), and
		 * each page rule needs the 5m or the 30m one. */
		if (s->budgeting != SLO_TIMESLICES || s->slice_ms <= 5 * 60 * 1000)
			continue;
		int never = 0; /* rules that can never fire: both of a pair's windows needed */
		static const int64_t min_window[4] = {5, 30, 2 * 60, 6 * 60}; /* minutes */
		for (int r = 0; r < 4; r++)
			never += s->slice_ms > min_window[r] * 60 * 1000;
		res->warnings[res->nwarnings++] = arena_printf(
		        ctx->arena,
		        "SLO %s: slices of %lld s leave a burn window shorter than a slice "
		        "without a rate, so %d of the 4 alert rules can never fire (each "
		        "needs "
		        "the 5m, 30m, 2h or 6h rate); slices of 5 minutes or less keep "
		        "them all",
		        s->name, (long long)(s->slice_ms / 1000), never);
	}
	return 0;
}
