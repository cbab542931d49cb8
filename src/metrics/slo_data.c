/*
 * slo_data: SLI samples in: CSV files (time,good,total / time,bad,total /
 * time,value), Prometheus range-query JSON (a file, or pages a live sync
 * fetched), upserted by (SLO, time) in the slo.ingest operation.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/csv.h"
#include "base/decimal.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "ingest/pjson.h"
#include "metrics/slo.h"
#include "metrics/slo_int.h"
#include "store/store.h"

#define SLO_MAX_SAMPLES 10000000
/* Larger event counts are no measurement, and past 2^53 not exact; capped,
 * the sum of several series stays finite (found in review: two of 1e308
 * were summed to Inf, and slo status printed -nan%). */
#define SLO_MAX_COUNT 1e15

const char *slo_series_name(enum slo_series s)
{
	static const char *const names[] = {"good", "bad", "total", "value"};
	return names[s];
}

/* One sample as stored: the columns a file gave (has[]), by series. */
struct sample {
	int64_t at;
	double v[4];
	bool has[4];
	long line; /* CSV: where it was, for a repeated time */
};

/* A sample's time in unix seconds, as both formats write it: one before
 * 1973-03-03 is a time never set (0) or a count in another unit, and one
 * past 10^11 s is milliseconds; neither is read as a guess. */
static bool unix_seconds(double secs, int64_t *ms)
{
	if (!(secs < 1e11))
		return false;
	*ms = llround(secs * 1000.0);
	return *ms >= TS_EPOCH_PLAUSIBLE_MS;
}

/* ---- Prometheus ------------------------------------------------------------------- */

/* A point's value as Prometheus writes it: a decimal number, or NaN, +Inf
 * or -Inf (any case, as Go reads them).  strtod also read hex ("0x10" was
 * stored as 16) and leading blanks, which no Prometheus writes, as the
 * CSV's columns and the YAML's numbers refuse them (found hunting). */
static bool prom_value(const char *text, double *x)
{
	const char *t = text + (*text == '+' || *text == '-');
	if (!strcasecmp(t, "inf") || !strcasecmp(t, "infinity")) {
		*x = *text == '-' ? -INFINITY : INFINITY;
		return true;
	}
	if (!strcasecmp(text, "nan")) {
		*x = NAN;
		return true;
	}
	return decimal_read(text, x) == DECIMAL_OK;
}

static int cmp_raw(const void *a, const void *b)
{
	const struct slo_raw *x = a, *y = b;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* A point's time and its index in its series' values. */
struct point_at {
	int64_t at;
	size_t vi;
};

static int cmp_point_at(const void *a, const void *b)
{
	const struct point_at *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->vi < y->vi ? -1 : x->vi > y->vi;
}

/* A time twice in one series is refused, as a CSV's is: the series of a
 * result are added up per time, the points of one are not. */
static int check_series_times(const char *origin, const char *sp, struct point_at *seen, size_t n,
                              struct error *err)
{
	if (n)
		qsort(seen, n, sizeof *seen, cmp_point_at);
	for (size_t i = 1; i < n; i++)
		if (seen[i].at == seen[i - 1].at) {
			char buf[TS_BUF];
			return err_set(err, ERR_INVALID,
			               "%s: %s.values[%zu]: time %s given twice in this series "
			               "(values[%zu] too); expected each time once",
			               origin, sp, seen[i].vi, ts_format(seen[i].at, buf),
			               seen[i - 1].vi);
		}
	return 0;
}

/* A series' labels as PromQL writes them, {job="api", le="0.5"} (at most
 * 200 bytes, then "..."), or {} without any, in a. */
static const char *series_labels(struct arena *a, const cJSON *metric)
{
	struct sb out = SB_INIT;
	sb_puts(&out, "{");
	const cJSON *label;
	const char *sep = "";
	const cJSON *labels = cJSON_IsObject(metric) ? metric : NULL;
	cJSON_ArrayForEach(label, labels)
	{
		if (out.len > 200) {
			sb_puts(&out, ", ...");
			break;
		}
		sb_printf(&out, "%s%.60s=\"%.100s\"", sep, label->string,
		          cJSON_IsString(label) ? label->valuestring : "?");
		sep = ", ";
	}
	sb_puts(&out, "}");
	const char *text = arena_strdup(a, out.buf);
	sb_release(&out);
	return text;
}

int slo_parse_prometheus(const char *origin, const char *data, size_t len, bool one_series,
                         struct arena *a, struct slo_raw **out, size_t *n, int64_t **unknown,
                         size_t *nunknown, struct error *err)
{
	*out = NULL;
	*n = 0;
	size_t unknown_alloc = 0;
	if (unknown) {
		*unknown = NULL;
		*nunknown = 0;
	}
	/* The tree and the paths named in errors go with the page; only the
	 * points are kept, in a (a sync reads many pages into one arena). */
	struct arena *scratch = arena_create();
	struct pj pj = {.origin = origin, .arena = scratch, .err = err};
	cJSON *doc;
	int rc = pj_parse(&pj, data, len, &doc);
	if (rc < 0) {
		arena_destroy(scratch);
		return rc;
	}
	const char *status, *type;
	const cJSON *d = NULL, *result = NULL, *series;
	rc = pj_str_req(&pj, doc, "", "status", &status);
	if (rc == 0 && strcmp(status, "success") != 0) {
		const char *why = NULL;
		pj_str(&pj, doc, "", "error", &why);
		rc = pj_fail(&pj, "", "status", "expected success, got '%s'%s%s", status,
		             why ? ": " : "", why ? why : "");
	}
	if (rc == 0)
		rc = pj_obj(&pj, doc, "", "data", &d);
	if (rc == 0 && !d)
		rc = pj_fail(&pj, "", "data", "missing; expected a query_range result");
	if (rc == 0)
		rc = pj_str_req(&pj, d, "data", "resultType", &type);
	if (rc == 0 && strcmp(type, "matrix") != 0)
		rc = pj_fail(&pj, "data", "resultType",
		             "expected matrix (a range query's result), got '%s'", type);
	if (rc == 0)
		rc = pj_arr(&pj, d, "data", "result", &result);
	if (rc == 0 && !result)
		rc = pj_fail(&pj, "data", "result", "missing; expected a list of series");
	if (rc == 0 && one_series && cJSON_GetArraySize(result) > 1)
		rc = pj_fail(&pj, "data", "result",
		             "expected one series, got %d; aggregate them in the query",
		             cJSON_GetArraySize(result));
	size_t alloc = 0, si = 0;
	struct slo_raw *pts = NULL;
	const cJSON *all = rc == 0 ? result : NULL;
	cJSON_ArrayForEach(series, all)
	{
		const char *sp = pj_index(&pj, "data.result", si++);
		const cJSON *values, *pair;
		/* Native histograms come beside a series' values, or instead:
		 * left unread, a series summed with its histogram points missing
		 * (found hunting). */
		if (cJSON_HasObjectItem(series, "histograms")) {
			rc = pj_fail(&pj, sp, "histograms",
			             "series %s holds native histograms; expected numbers "
			             "(values): reduce them in the query (histogram_quantile, "
			             "histogram_count, histogram_sum)",
			             series_labels(scratch, cJSON_GetObjectItemCaseSensitive(
			                                            series, "metric")));
			break;
		}
		rc = pj_arr(&pj, series, sp, "values", &values);
		if (rc == 0 && !values)
			rc = pj_fail(&pj, sp, "values",
			             "missing; expected [[time, \"value\"], ...]");
		size_t vi = 0, nseen = 0, seen_alloc = 0;
		struct point_at *seen = NULL;
		const cJSON *list = rc == 0 ? values : NULL;
		cJSON_ArrayForEach(pair, list)
		{
			const char *vp = pj_index(&pj, pj_path(&pj, sp, "values"), vi++);
			const cJSON *t = cJSON_GetArrayItem(pair, 0),
			            *v = cJSON_GetArrayItem(pair, 1);
			if (!cJSON_IsArray(pair) || cJSON_GetArraySize(pair) != 2 ||
			    !cJSON_IsNumber(t) || !cJSON_IsString(v)) {
				rc = err_set(err, ERR_INVALID,
				             "%s: %s: expected [unix seconds, \"value\"]", origin,
				             vp);
				break;
			}
			double x;
			if (!prom_value(v->valuestring, &x)) {
				rc = err_set(err, ERR_INVALID,
				             "%s: %s: expected a number as text, got '%s'", origin,
				             vp, v->valuestring);
				break;
			}
			int64_t at = 0;
			if (!unix_seconds(t->valuedouble, &at)) {
				rc = err_set(err, ERR_INVALID,
				             "%s: %s: expected a time in unix seconds after "
				             "1973-03-03, got %.17g",
				             origin, vp, t->valuedouble);
				break;
			}
			if (nseen == SLO_MAX_SAMPLES) {
				rc = err_set(err, ERR_TOO_BIG, "%s: %s: more than %d points",
				             origin, vp, SLO_MAX_SAMPLES);
				break;
			}
			seen = arena_grow(scratch, seen, nseen, &seen_alloc, sizeof *seen);
			seen[nseen++] = (struct point_at){at, vi - 1};
			/* A threshold's NaN (histogram_quantile over no requests) is
			 * no measurement. A count is never NaN: skipped, the point's
			 * numerator would read as no such event (a good NaN as an
			 * outage) and a sum of series would lose one. */
			if (one_series && !isfinite(x))
				continue;
			/* A ratio SLO's series are event counts, as a CSV's columns are. */
			if (!one_series && !isfinite(x) && unknown) {
				*unknown = arena_grow(a, *unknown, *nunknown, &unknown_alloc,
				                      sizeof **unknown);
				(*unknown)[(*nunknown)++] = at;
				continue;
			}
			if (!one_series && !isfinite(x)) {
				rc = err_set(
				        err, ERR_INVALID,
				        "%s: %s: '%s': expected a count of events; a count "
				        "query gives no NaN or infinity (PromQL's 0/0 comes from "
				        "a division)",
				        origin, vp, v->valuestring);
				break;
			}
			if (!one_series && !(x >= 0 && x <= SLO_MAX_COUNT)) {
				rc = err_set(err, ERR_INVALID,
				             "%s: %s: '%s': expected a count of events, 0 to 10^15",
				             origin, vp, v->valuestring);
				break;
			}
			if (*n == SLO_MAX_SAMPLES) {
				rc = err_set(err, ERR_TOO_BIG, "%s: %s: more than %d points",
				             origin, vp, SLO_MAX_SAMPLES);
				break;
			}
			pts = arena_grow(a, pts, *n, &alloc, sizeof *pts);
			pts[(*n)++] = (struct slo_raw){at, x};
		}
		if (rc == 0)
			rc = check_series_times(origin, sp, seen, nseen, err);
		if (rc < 0)
			break;
	}
	arena_destroy(scratch);
	if (rc < 0) {
		*n = 0;
		return rc;
	}
	/* Several series (a query not aggregated): summed per time; a time one
	 * of them does not know is no sum. */
	if (*n)
		qsort(pts, *n, sizeof *pts, cmp_raw);
	if (unknown && *nunknown) {
		/* A set of times: two series may both not know one (the sync's
		 * warning counts them). */
		qsort(*unknown, *nunknown, sizeof **unknown, cmp_int64);
		size_t k = 1;
		for (size_t j = 1; j < *nunknown; j++)
			if ((*unknown)[j] != (*unknown)[k - 1])
				(*unknown)[k++] = (*unknown)[j];
		*nunknown = k;
	}
	size_t m = 0, u = 0;
	for (size_t i = 0; i < *n; i++) {
		while (unknown && u < *nunknown && (*unknown)[u] < pts[i].at)
			u++;
		if (unknown && u < *nunknown && (*unknown)[u] == pts[i].at)
			continue;
		if (m && pts[m - 1].at == pts[i].at)
			pts[m - 1].v += pts[i].v;
		else
			pts[m++] = pts[i];
	}
	*n = m;
	*out = pts;
	return 0;
}

/* ---- CSV ---------------------------------------------------------------------------- */

/* A CSV sample's time into *ms; false when it is none, with why (the time
 * parser's detail, such as where a second 60 may be) when there is one. */
static bool parse_time(const char *s, int64_t *ms, struct error *why)
{
	if (*s >= '0' && *s <= '9' && strspn(s, "0123456789.") == strlen(s)) {
		char *end;
		errno = 0;
		double secs = strtod(s, &end);
		return !errno && !*end && unix_seconds(secs, ms);
	}
	/* A sample's time says its zone and seconds, as an API payload's must. */
	return ts_parse_payload(s, ms, why) == 0;
}

/* The numerator the SLO defines, and the one it does not ("good" or "bad";
 * NULL when unknown). */
static const char *numerator_name(const struct slo_spec *s, bool defined)
{
	if (s->kind != SLO_RATIO || s->numerator == SLO_NUM_UNKNOWN)
		return NULL;
	return (s->numerator == SLO_NUM_GOOD) == defined ? "good" : "bad";
}

static int parse_csv(const char *file, const char *data, size_t len, const struct slo_spec *spec,
                     struct arena *a, struct sample **out, size_t *n, struct error *err)
{
	enum slo_kind kind = spec->kind;
	struct csv_reader r;
	csv_init(&r, file, data, len);
	int col[4] = {-1, -1, -1, -1}, tcol = -1;
	int rc = csv_next(&r, err);
	if (rc == 0)
		rc = err_set(err, ERR_INVALID, "%s: empty; expected a header line", file);
	static const char *const names[] = {"good", "bad", "total", "value"};
	for (size_t i = 0; rc == 1 && i < r.nfields; i++) {
		const char *h = r.fields[i];
		int k = -1;
		for (int j = 0; j < 4; j++)
			if (strcmp(h, names[j]) == 0)
				k = j;
		if (strcmp(h, "time") == 0 && tcol < 0)
			tcol = (int)i;
		else if (k >= 0 && col[k] < 0)
			col[k] = (int)i;
		else
			rc = err_set(err, ERR_INVALID, "%s:%ld: column '%s': %s", file,
			             r.record_line, h,
			             strcmp(h, "time") == 0 || k >= 0
			                     ? "given twice"
			                     : "unknown; expected time,good,total (or bad), or "
			                       "time,value");
	}
	if (rc == 1) {
		bool ok = tcol >= 0 &&
		          (kind == SLO_RATIO
		                   ? col[2] >= 0 && (col[0] >= 0) != (col[1] >= 0) && col[3] < 0
		                   : col[3] >= 0 && col[0] < 0 && col[1] < 0 && col[2] < 0);
		if (!ok)
			rc = err_set(err, ERR_INVALID, "%s:%ld: expected the header %s", file,
			             r.record_line,
			             kind == SLO_RATIO
			                     ? "time,good,total (or time,bad,total) for a "
			                       "ratio SLO"
			                     : "time,value for a threshold SLO");
	}
	/* A bad column for an SLO counting good events (or the reverse) would
	 * be stored beside what it means nothing to. */
	const char *other = numerator_name(spec, false);
	if (rc == 1 && other && col[strcmp(other, "good") == 0 ? 0 : 1] >= 0)
		rc = err_set(err, ERR_INVALID,
		             "%s:%ld: column %s: SLO %s counts %s events (its ratioMetric has %s "
		             "and total); expected the header time,%s,total",
		             file, r.record_line, other, spec->name, numerator_name(spec, true),
		             numerator_name(spec, true), numerator_name(spec, true));
	size_t alloc = 0, nheader = r.nfields;
	*out = NULL;
	*n = 0;
	while (rc == 1 && (rc = csv_next(&r, err)) == 1) {
		if (r.nfields == 1 && !*r.fields[0])
			continue; /* a blank line */
		/* As many fields as the header: one more would be dropped silently. */
		if (r.nfields != nheader) {
			rc = err_set(err, ERR_INVALID,
			             "%s:%ld: expected %zu fields, as the header names, got %zu",
			             file, r.record_line, nheader, r.nfields);
			break;
		}
		struct sample s = {.line = r.record_line};
		struct error why = {0};
		if ((int)r.nfields <= tcol || !parse_time(r.fields[tcol], &s.at, &why)) {
			rc = err_set(err, ERR_INVALID,
			             "%s:%ld: column time: expected an RFC 3339 time with its "
			             "seconds and "
			             "zone, or unix seconds, got '%s'",
			             file, r.record_line,
			             (int)r.nfields > tcol ? r.fields[tcol] : "");
			/* Why it is none, as an API payload's time says: a second
			 * 60 elsewhere than 23:59:60 UTC at a month's end was
			 * refused with no word of the leap-second rule. */
			if (*why.detail)
				err_detail(err, "%s", why.detail);
			break;
		}
		for (int k = 0; k < 4 && rc == 1; k++) {
			if (col[k] < 0)
				continue;
			const char *v = (int)r.nfields > col[k] ? r.fields[col[k]] : "";
			double x = 0;
			if (decimal_read(v, &x) == DECIMAL_UNDERFLOW) {
				rc = err_set(
				        err, ERR_INVALID,
				        "%s:%ld: column %s: '%s' is out of range: nonzero but too "
				        "close to 0 for a double to hold (write 0 for zero)",
				        file, r.record_line, names[k], v);
				break;
			}
			if (!decimal_parse(v, &x) || (k < 3 && !(x >= 0 && x <= SLO_MAX_COUNT))) {
				rc = err_set(err, ERR_INVALID,
				             "%s:%ld: column %s: expected %s, got '%s'", file,
				             r.record_line, names[k],
				             k < 3 ? "a count from 0 to 10^15" : "a number", v);
				break;
			}
			s.v[k] = x;
			s.has[k] = true;
		}
		if (rc == 1 && s.has[2] &&
		    ((s.has[0] && s.v[0] > s.v[2]) || (s.has[1] && s.v[1] > s.v[2])))
			rc = err_set(err, ERR_INVALID,
			             "%s:%ld: column %s: expected at most total (%g)", file,
			             r.record_line, s.has[0] ? "good" : "bad", s.v[2]);
		if (rc == 1 && *n == SLO_MAX_SAMPLES)
			rc = err_set(err, ERR_TOO_BIG, "%s:%ld: more than %d samples", file,
			             r.record_line, SLO_MAX_SAMPLES);
		if (rc != 1)
			break;
		*out = arena_grow(a, *out, *n, &alloc, sizeof **out);
		(*out)[(*n)++] = s;
	}
	csv_release(&r);
	return rc < 0 ? rc : 0;
}

static int cmp_sample(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* ---- storing ------------------------------------------------------------------------- */

static const char *origin_name(enum slo_origin origin)
{
	return origin == SLO_FROM_SYNC ? "sync" : "file";
}

/* Upsert samples (sorted by time) by (slo, time): the columns each gives
 * replace the stored ones, the others stay, except that good and bad are
 * one numerator: storing either clears the other (a correction written as
 * time,bad,total replaces an earlier good).  The sample takes the origin
 * of what wrote it last: a file's values restated by a sync are the
 * sync's, to clear when its query changes, and the reverse. */
static int store_samples(struct ctx *ctx, const char *slo, enum slo_origin origin,
                         const struct sample *s, size_t n, struct slo_ingest_result *res,
                         struct error *err)
{
	struct store_stmt *sel, *ins, *upd;
	int rc = store_prepare(ctx->store,
	                       "SELECT good, bad, total, value, origin FROM sli_samples WHERE "
	                       "slo_name = ?1 AND at = ?2",
	                       &sel, err);
	if (rc == 0)
		rc = store_prepare(ctx->store,
		                   "INSERT INTO sli_samples(slo_name, at, good, bad, total, value, "
		                   "origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		                   &ins, err);
	if (rc == 0)
		rc = store_prepare(
		        ctx->store,
		        "UPDATE sli_samples SET good = ?3, bad = ?4, total = ?5, value = ?6, "
		        "origin = ?7 WHERE slo_name = ?1 AND at = ?2",
		        &upd, err);
	const char *from = origin_name(origin);
	for (size_t i = 0; i < n && rc >= 0; i++) {
		double v[4] = {0};
		bool has[4] = {false}, found = false, same_origin = false;
		stmt_bind_text(sel, 1, slo);
		stmt_bind_int(sel, 2, s[i].at);
		rc = stmt_step(sel, err);
		if (rc == STORE_ROW) {
			found = true;
			for (int k = 0; k < 4; k++) {
				has[k] = !stmt_is_null(sel, k);
				v[k] = stmt_double(sel, k);
			}
			const char *stored = stmt_text(sel, 4);
			same_origin = stored && strcmp(stored, from) == 0;
		}
		stmt_reset(sel);
		if (rc < 0)
			break;
		bool same = found && same_origin;
		for (int k = 0; k < 4; k++)
			if (s[i].has[k]) {
				same = same && has[k] && v[k] == s[i].v[k];
				has[k] = true;
				v[k] = s[i].v[k];
			}
		for (int k = SLO_SERIES_GOOD; k <= SLO_SERIES_BAD; k++) {
			int other = k == SLO_SERIES_GOOD ? SLO_SERIES_BAD : SLO_SERIES_GOOD;
			if (s[i].has[k] && has[other]) {
				same = false;
				has[other] = false;
			}
		}
		res->samples++;
		if (!res->first || s[i].at < res->first)
			res->first = s[i].at;
		if (s[i].at > res->last)
			res->last = s[i].at;
		if (same) {
			res->unchanged++;
			continue;
		}
		struct store_stmt *st = found ? upd : ins;
		stmt_bind_text(st, 1, slo);
		stmt_bind_int(st, 2, s[i].at);
		for (int k = 0; k < 4; k++) {
			if (has[k])
				stmt_bind_double(st, 3 + k, v[k]);
			else
				stmt_bind_null(st, 3 + k);
		}
		stmt_bind_text(st, 7, from);
		rc = stmt_step(st, err);
		stmt_reset(st);
		if (found)
			res->updated++;
		else
			res->inserted++;
	}
	return rc < 0 ? rc : 0;
}

int slo_store_points_tx(struct ctx *ctx, const char *slo, enum slo_series series,
                        enum slo_origin origin, const struct slo_raw *pts, size_t n,
                        struct slo_ingest_result *res, struct error *err)
{
	/* On the heap, freed here: in the run's arena, each series' samples (56
	 * bytes a point) stayed until a sync of several SLOs ended. */
	struct sample *s = xcalloc(n ? n : 1, sizeof *s);
	for (size_t i = 0; i < n; i++) {
		s[i].at = pts[i].at;
		s[i].v[series] = pts[i].v;
		s[i].has[series] = true;
	}
	int rc = store_samples(ctx, slo, origin, s, n, res, err);
	free(s);
	return rc;
}

/* A sample a sync may remove: not one a file stored ('slo ingest': the
 * user's, which no query read), and one stored before samples kept their
 * origin (schema 25) only where the caller's bounds, its series' cursors,
 * say a sync read it. */
#define NOT_A_FILES "(origin IS NULL OR origin <> 'file')"

int slo_forget_points_tx(struct ctx *ctx, const char *slo, const int64_t *at, size_t n,
                         int64_t *removed, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "DELETE FROM sli_samples WHERE slo_name = ?1 AND at = ?2 AND " NOT_A_FILES
	        " RETURNING at",
	        &st, err);
	for (size_t i = 0; i < n && rc >= 0; i++) {
		stmt_bind_text(st, 1, slo);
		stmt_bind_int(st, 2, at[i]);
		while ((rc = stmt_step(st, err)) == STORE_ROW)
			(*removed)++;
		stmt_reset(st);
	}
	return rc < 0 ? rc : 0;
}

static int cmp_at(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

int slo_clear_series_tx(struct ctx *ctx, const char *slo, enum slo_series series, int64_t from,
                        int64_t to, const int64_t *keep, size_t nkeep, int64_t *cleared,
                        struct error *err)
{
	/* The column is one of four fixed names, never input. */
	const char *col = slo_series_name(series);
	struct arena *a = ctx->arena;
	struct store_stmt *sel, *upd, *del;
	int rc = store_prepare(
	        ctx->store,
	        arena_printf(a,
	                     "SELECT at FROM sli_samples WHERE slo_name = ?1 AND "
	                     "at >= ?2 AND at <= ?3 AND %s IS NOT NULL AND " NOT_A_FILES
	                     " ORDER BY at",
	                     col),
	        &sel, err);
	if (rc < 0)
		return rc;
	int64_t *at = NULL;
	size_t n = 0, alloc = 0;
	stmt_bind_text(sel, 1, slo);
	stmt_bind_int(sel, 2, from);
	stmt_bind_int(sel, 3, to);
	while ((rc = stmt_step(sel, err)) == STORE_ROW) {
		int64_t t = stmt_int(sel, 0);
		if (nkeep && bsearch(&t, keep, nkeep, sizeof *keep, cmp_at))
			continue;
		at = arena_grow(a, at, n, &alloc, sizeof *at);
		at[n++] = t;
	}
	stmt_reset(sel);
	if (rc < 0)
		return rc;
	rc = store_prepare(ctx->store,
	                   arena_printf(a,
	                                "UPDATE sli_samples SET %s = NULL WHERE slo_name = ?1 AND "
	                                "at = ?2",
	                                col),
	                   &upd, err);
	if (rc == 0)
		rc = store_prepare(
		        ctx->store,
		        "DELETE FROM sli_samples WHERE slo_name = ?1 AND at = ?2 AND good "
		        "IS NULL AND bad IS NULL AND total IS NULL AND value IS NULL",
		        &del, err);
	for (size_t i = 0; i < n && rc >= 0; i++) {
		stmt_bind_text(upd, 1, slo);
		stmt_bind_int(upd, 2, at[i]);
		rc = stmt_step(upd, err);
		stmt_reset(upd);
		if (rc < 0)
			break;
		stmt_bind_text(del, 1, slo);
		stmt_bind_int(del, 2, at[i]);
		rc = stmt_step(del, err);
		stmt_reset(del);
		(*cleared)++;
	}
	return rc < 0 ? rc : 0;
}

/* ---- slo.ingest ------------------------------------------------------------------------ */

struct ingest_args {
	const struct slo_ingest_opts *o;
	struct slo_ingest_result *res;
};

static int series_of(const char *name, enum slo_series *out)
{
	for (int k = 0; k < 4; k++)
		if (strcmp(name, slo_series_name((enum slo_series)k)) == 0) {
			*out = (enum slo_series)k;
			return 0;
		}
	return -1;
}

static int ingest_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct ingest_args *a = arg;
	const struct slo_ingest_opts *o = a->o;
	struct slo_ingest_result *res = a->res;
	memset(res, 0, sizeof *res);
	struct slo_row *rows;
	size_t nrows;
	int rc = slo_load_latest_tx(ctx, o->slo, 0, ctx->arena, &rows, &nrows, err);
	if (rc < 0)
		return rc;
	if (!nrows) {
		err_set(err, ERR_NOT_FOUND, "no SLO '%s'", o->slo);
		err_hint(err, "import it first with 'plumb slo import FILE.yaml'");
		return ERR_NOT_FOUND;
	}
	const struct slo_spec *spec = &rows[0].spec;
	const char *format = o->format;
	if (!format) {
		size_t i = 0;
		while (i < o->len && strchr(" \t\r\n", o->data[i]))
			i++;
		format = i < o->len && o->data[i] == '{' ? "prometheus" : "csv";
	}
	res->format = format;
	struct sample *s = NULL;
	size_t n = 0;
	if (strcmp(format, "csv") == 0) {
		if (o->series)
			return err_set(err, ERR_USAGE,
			               "--series goes with Prometheus JSON; a CSV file names its "
			               "columns in its header");
		rc = parse_csv(o->file, o->data, o->len, spec, ctx->arena, &s, &n, err);
		if (rc == 0 && n)
			qsort(s, n, sizeof *s, cmp_sample);
		for (size_t i = 1; rc == 0 && i < n; i++)
			if (s[i].at == s[i - 1].at)
				rc = err_set(err, ERR_INVALID,
				             "%s:%ld: column time: the time of line %ld again",
				             o->file, s[i].line, s[i - 1].line);
		if (rc == 0)
			rc = store_samples(ctx, spec->name, SLO_FROM_FILE, s, n, res, err);
	} else if (strcmp(format, "prometheus") == 0) {
		enum slo_series series = SLO_SERIES_VALUE;
		const char *want = spec->kind == SLO_RATIO ? "good, bad or total" : "value";
		if (!o->series && spec->kind == SLO_RATIO) {
			err_set(err, ERR_USAGE,
			        "SLO %s is a ratio: say which query %s holds with --series good, "
			        "bad "
			        "or total",
			        spec->name, o->file);
			return ERR_USAGE;
		}
		if (o->series && (series_of(o->series, &series) < 0 ||
		                  (spec->kind == SLO_RATIO) == (series == SLO_SERIES_VALUE))) {
			err_set(err, ERR_USAGE, "--series '%s': expected %s for SLO %s", o->series,
			        want, spec->name);
			return ERR_USAGE;
		}
		const char *other = numerator_name(spec, false);
		if (other && strcmp(o->series, other) == 0) {
			err_set(err, ERR_USAGE,
			        "--series '%s': SLO %s counts %s events (its ratioMetric has "
			        "%s and total); expected %s or total",
			        o->series, spec->name, numerator_name(spec, true),
			        numerator_name(spec, true), numerator_name(spec, true));
			return ERR_USAGE;
		}
		struct slo_raw *pts;
		size_t np;
		rc = slo_parse_prometheus(o->file, o->data, o->len, spec->kind == SLO_THRESHOLD,
		                          ctx->arena, &pts, &np, NULL, NULL, err);
		if (rc == 0)
			rc = slo_store_points_tx(ctx, spec->name, series, SLO_FROM_FILE, pts, np,
			                         res, err);
	} else {
		return err_set(err, ERR_USAGE, "--format '%s': expected csv or prometheus", format);
	}
	if (rc < 0)
		return rc;
	if (res->inserted + res->updated == 0)
		return CTX_ROLLBACK;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "file", o->file);
	jw_kstr(&w, "format", format);
	jw_kstr(&w, "series", o->series);
	jw_kint(&w, "samples", res->samples);
	jw_kint(&w, "inserted", res->inserted);
	jw_kint(&w, "updated", res->updated);
	jw_kint(&w, "unchanged", res->unchanged);
	jw_key(&w, "first");
	jw_time(&w, res->first, res->samples > 0);
	jw_key(&w, "last");
	jw_time(&w, res->last, res->samples > 0);
	jw_object_end(&w);
	rc = audit_append(ctx, "slo.ingest", "slo", spec->name, detail.buf, err);
	sb_release(&detail);
	return rc;
}

int slo_ingest(struct ctx *ctx, const struct slo_ingest_opts *o, struct slo_ingest_result *res,
               struct error *err)
{
	memset(res, 0, sizeof *res);
	struct ingest_args a = {o, res};
	int rc = ctx_run(ctx, OP_SLO_INGEST, ingest_body, &a, err);
	if (rc == ERR_INVALID)
		err_hint(err, "nothing was stored");
	return rc;
}

/* ---- live Prometheus --------------------------------------------------------------------- */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int slo_prometheus_sources_tx(struct ctx *ctx, const char ***out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT name FROM sources WHERE kind = 'prometheus'",
	                       &st, err);
	if (rc < 0)
		return rc;
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*out = arena_grow(ctx->arena, *out, *n, &alloc, sizeof **out);
		(*out)[(*n)++] = stmt_text_dup(st, 0, ctx->arena);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	/* Sorted here, not by the engine: both give the same message. */
	if (*n)
		qsort(*out, *n, sizeof **out, cmp_name);
	return 0;
}

/* Samples a threshold SLI's slice is read in, at most, and in a window:
 * a 30-day window of 1-minute slices reads 432,000 points a series. */
#define SLO_SLICE_SAMPLES  10
#define SLO_WINDOW_SAMPLES 500000

/* See slo.h.  Read at the slice itself, each slice of a threshold SLI held
 * one sample, good or bad, and timeSliceTarget did nothing (found hunting).
 * The step divides the slice, so every slice holds the same points; a
 * ratio's step is the slice, each step's events (only the ratio matters). */
int64_t slo_query_step_ms(const struct slo_spec *s)
{
	if (s->budgeting != SLO_TIMESLICES || s->slice_ms <= 0)
		return 60000;
	if (s->kind != SLO_THRESHOLD)
		return s->slice_ms;
	for (int64_t per = SLO_SLICE_SAMPLES; per > 1; per--) {
		int64_t step = s->slice_ms / per;
		if (s->slice_ms % per == 0 && step >= 1000 &&
		    s->window_ms / step <= SLO_WINDOW_SAMPLES)
			return step;
	}
	return s->slice_ms;
}

int slo_version_at_tx(struct ctx *ctx, const char *slo, int64_t at, int64_t *window_ms,
                      int64_t *step_ms, struct error *err)
{
	*window_ms = *step_ms = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT spec FROM slos WHERE name = ?1 ORDER BY CASE WHEN "
	                       "created_at <= ?2 THEN 0 ELSE 1 END, CASE WHEN created_at <= ?2 "
	                       "THEN -version ELSE version END LIMIT 1",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, slo);
	stmt_bind_int(st, 2, at);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		struct slo_spec spec;
		rc = slo_spec_from_json(stmt_text(st, 0), ctx->arena, &spec, err);
		/* A cursor with no step was set before plumb kept it, and so
		 * before a threshold SLI was read finer than its slice: then every
		 * series was read at its slice by Timeslices, else at a minute.
		 * Taken as slo_query_step_ms's, its slices of one sample each went
		 * on with ten to a slice after the cursor, and timeSliceTarget
		 * judged each old slice on one sample (found in the sync hunt). */
		if (rc == 0) {
			*window_ms = spec.window_ms;
			*step_ms = spec.budgeting == SLO_TIMESLICES && spec.slice_ms > 0
			                   ? spec.slice_ms
			                   : 60000;
		}
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

const char *slo_names_list(struct arena *a, const char *const *names, size_t n)
{
	struct sb list = SB_INIT;
	for (size_t i = 0; i < n; i++)
		sb_printf(&list, "%s%s", i ? ", " : "", names[i]);
	const char *out = arena_strdup(a, list.buf);
	sb_release(&list);
	return out;
}

int slo_prometheus_refs_check_tx(struct ctx *ctx, const char *adding, struct error *err)
{
	const char **sources;
	size_t nsources;
	int rc = slo_prometheus_sources_tx(ctx, &sources, &nsources, err);
	if (rc < 0 || nsources < 2)
		return rc;
	struct slo_row *rows;
	size_t n;
	rc = slo_load_latest_tx(ctx, NULL, 0, ctx->arena, &rows, &n, err);
	if (rc < 0)
		return rc;
	const char **unnamed = arena_array(ctx->arena, n ? n : 1, sizeof *unnamed);
	size_t nunnamed = 0;
	for (size_t i = 0; i < n; i++) {
		const struct slo_spec *s = &rows[i].spec;
		if (s->source_type && strcmp(s->source_type, "Prometheus") == 0 && !s->source_ref)
			unnamed[nunnamed++] = s->name;
	}
	if (!nunnamed)
		return 0;
	err_set(err, ERR_CONFLICT,
	        "SLO %s names no metricSourceRef, so each of the Prometheus sources %s "
	        "reads it and stores its samples over the others'",
	        unnamed[0], slo_names_list(ctx->arena, sources, nsources));
	err_detail(err, "%zu SLO%s name%s none: %s", nunnamed, nunnamed == 1 ? "" : "s",
	           nunnamed == 1 ? "s" : "", slo_names_list(ctx->arena, unnamed, nunnamed));
	err_hint(err,
	         "give each Prometheus SLO the source that reads it (metricSourceRef: SOURCE "
	         "beside its metricSource's type) and import it again with 'plumb slo import'%s",
	         adding ? arena_printf(ctx->arena, ", then add %s; nothing was changed", adding)
	                : ", or remove the other sources; nothing was synced");
	return ERR_CONFLICT;
}

struct queries_args {
	const char *source;
	struct slo_query **out;
	size_t *n;
	struct slo_unread *unread;
};

static bool name_listed(const char *name, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

static int queries_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct queries_args *a = arg;
	struct slo_row *rows;
	size_t n = 0, alloc = 0;
	*a->out = NULL;
	*a->n = 0;
	/* Samples are kept by SLO and time, not by source. */
	int rc = slo_prometheus_refs_check_tx(ctx, NULL, err);
	const char **sources = NULL;
	size_t nsources = 0;
	memset(a->unread, 0, sizeof *a->unread);
	if (rc == 0)
		rc = slo_prometheus_sources_tx(ctx, &sources, &nsources, err);
	if (rc == 0)
		rc = slo_load_latest_tx(ctx, NULL, 0, ctx->arena, &rows, &n, err);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct slo_spec *s = &rows[i].spec;
		if (!s->source_type || strcmp(s->source_type, "Prometheus") != 0)
			continue;
		/* Skipped in silence, its status went stale with nothing said. */
		if (s->source_ref && !name_listed(s->source_ref, sources, nsources) &&
		    !a->unread->n++)
			a->unread->first = arena_printf(ctx->arena, "SLO %s (metricSourceRef %s)",
			                                s->name, s->source_ref);
		if (s->source_ref && strcmp(s->source_ref, a->source) != 0)
			continue;
		const char *q[4] = {s->good_query, s->bad_query, s->total_query, s->value_query};
		for (int k = 0; k < 4; k++) {
			if (!q[k])
				continue;
			*a->out = arena_grow(ctx->arena, *a->out, *a->n, &alloc, sizeof **a->out);
			(*a->out)[(*a->n)++] = (struct slo_query){
			        .slo = s->name,
			        .query = q[k],
			        .series = (enum slo_series)k,
			        .step_ms = slo_query_step_ms(s),
			        .slice_ms = s->budgeting == SLO_TIMESLICES ? s->slice_ms : 0,
			        .window_ms = s->window_ms,
			};
		}
	}
	return rc;
}

int slo_prometheus_queries(struct ctx *ctx, const char *source, struct slo_query **out, size_t *n,
                           struct slo_unread *unread, struct error *err)
{
	struct queries_args a = {source, out, n, unread};
	return ctx_run(ctx, OP_SLO_STATUS, queries_body, &a, err);
}
