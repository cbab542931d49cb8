/*
 * slo: the arithmetic of attainment, error budgets, burn rates and the
 * multiwindow multi-burn-rate alert, and the operations that read it
 * (slo.status, slo_service_summary).  See slo.h.
 */
#include "metrics/slo.h"

#include <math.h>
#include <string.h>

#include "base/arena.h"
#include "base/ts.h"
#include "core/ctx.h"
#include "metrics/slo_int.h"
#include "store/store.h"

#define MINUTE_MS INT64_C(60000)
#define HOUR_MS   (60 * MINUTE_MS)

const int64_t slo_burn_window_ms[SLO_NBURN] = {
        5 * MINUTE_MS, 30 * MINUTE_MS, HOUR_MS,        2 * HOUR_MS,
        6 * HOUR_MS,   MS_PER_DAY,     3 * MS_PER_DAY,
};
const char *const slo_burn_window_name[SLO_NBURN] = {"5m", "30m", "1h", "2h", "6h", "1d", "3d"};

enum { B5M, B30M, B1H, B2H, B6H, B1D, B3D };

const char *slo_alert_name(enum slo_alert a)
{
	return a == SLO_ALERT_PAGE ? "page" : a == SLO_ALERT_TICKET ? "ticket" : "none";
}

/* Floor division (times before 1970 stay aligned). */
static int64_t floor_div(int64_t at, int64_t len)
{
	int64_t q = at / len;
	return at % len < 0 ? q - 1 : q;
}

/* The slice of a sample at `at`: its counts are for the interval ending at
 * `at`, so slice k is (k * len, (k + 1) * len] and a sample at 10:05 is the
 * last of the slice ending then, not the first of the next. */
static int64_t slice_of(int64_t at, int64_t len)
{
	return floor_div(at - 1, len);
}

/* x to 12 significant digits.  A burn rate and a threshold are decimals
 * computed in binary: 14 bad of 100 against 0.95 burns 0.14 / 0.05 =
 * 2.8000000000000003, above the 28-day ticket threshold 3 x 28 / 30 = 2.8
 * however strict the comparison, so an SLO burning exactly at the threshold
 * alerted (found hunting).  An integer over a power of ten is the double
 * nearest the decimal, so equal decimals compare equal; no count is precise
 * to 12 digits of a rate. */
static double decimal12(double x)
{
	if (x == 0 || !isfinite(x))
		return x;
	int digits = 12 - (int)ceil(log10(fabs(x)));
	if (digits < -22 || digits > 22)
		return x;
	double scale = pow(10, abs(digits));
	return digits >= 0 ? nearbyint(x * scale) / scale : nearbyint(x / scale) * scale;
}

/* Whether a slice of good of total events is good: its ratio, as the
 * decimal it is, reaches timeSliceTarget.  Samples may be rates ("only
 * ratios matter"): 0.009 good of 0.01 is 90%, but 0.009 / 0.01 is
 * 0.8999999999999999 in binary, under 0.9 (found hunting). */
static double slice_good(const struct slo_spec *s, double good, double total)
{
	return decimal12(good / total) >= s->slice_target ? 1 : 0;
}

void slo_tally(const struct slo_spec *s, const struct slo_point *pts, size_t n, int64_t from,
               int64_t to, struct slo_tally *out)
{
	memset(out, 0, sizeof *out);
	bool slices = s->budgeting == SLO_TIMESLICES && s->slice_ms > 0;
	int64_t cur = 0;
	double sg = 0, st = 0;
	bool open = false;
	for (size_t i = 0; i < n; i++) {
		if (pts[i].total <= 0)
			continue;
		if (!slices) {
			if (pts[i].at <= from || pts[i].at > to)
				continue;
			out->good += pts[i].good;
			out->total += pts[i].total;
			out->has_data = true;
			continue;
		}
		/* The window's slices are those that ended in it, each whole: a
		 * window of N slice lengths holds N slices wherever now falls in
		 * a slice, and the running one counts once it has ended. */
		int64_t k = slice_of(pts[i].at, s->slice_ms);
		int64_t end = (k + 1) * s->slice_ms;
		if (end <= from || end > to)
			continue;
		if (open && k != cur) {
			out->total += 1;
			out->good += slice_good(s, sg, st);
			sg = st = 0;
		}
		cur = k;
		open = true;
		sg += pts[i].good;
		st += pts[i].total;
	}
	if (open) {
		out->total += 1;
		out->good += slice_good(s, sg, st);
	}
	if (slices)
		out->has_data = open;
}

/* The error budget, 1 - target, as the decimal it is: in binary 1 - 0.9 is
 * 0.09999999999999998, so 90 good of 100 against 0.9 burnt at
 * 1.0000000000000002, a ticket at the threshold of 1 and a budget of -2e-16
 * left (found in review).  The difference is off by at most half a unit in
 * the last place of the target, about 1e-16, so it is rounded to 15
 * decimal places, more than any target is written with. */
static double error_budget(double target)
{
	double budget = nearbyint((1.0 - target) * 1e15) / 1e15;
	return budget > 0 ? budget : 1.0 - target;
}

double slo_burn_rate(const struct slo_tally *t, double target)
{
	if (!t->has_data || t->total <= 0)
		return 0;
	double bad = (t->total - t->good) / t->total;
	return decimal12(bad / error_budget(target));
}

void slo_alert_thresholds(int64_t window_ms, double thresholds[4])
{
	static const double workbook[4] = {14.4, 6, 3, 1};
	double scale = (double)window_ms / (double)(30 * MS_PER_DAY);
	/* Never 1 or below: such a burn spends no more than the budget over the
	 * window, and would alert on an SLO that is being met (a 28-day ticket
	 * threshold would be 0.93, a 1-day page 0.48). */
	for (int i = 0; i < 4; i++)
		thresholds[i] = decimal12(fmax(workbook[i] * scale, 1));
}

static bool above(const double burn[SLO_NBURN], const bool has[SLO_NBURN], int i, double t)
{
	return has[i] && burn[i] > t;
}

enum slo_alert slo_alert_eval(const double burn[SLO_NBURN], const bool has[SLO_NBURN],
                              const double thresholds[4], const char **why)
{
	static const struct {
		int longw, shortw, threshold;
		enum slo_alert level;
		const char *why;
	} rules[] = {
	        {B1H, B5M, 0, SLO_ALERT_PAGE, "1h and 5m burn rates above the page threshold"},
	        {B6H, B30M, 1, SLO_ALERT_PAGE, "6h and 30m burn rates above the page threshold"},
	        {B1D, B2H, 2, SLO_ALERT_TICKET, "1d and 2h burn rates above the ticket threshold"},
	        {B3D, B6H, 3, SLO_ALERT_TICKET, "3d and 6h burn rates above the ticket threshold"},
	};
	if (why)
		*why = NULL;
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		double t = thresholds[rules[i].threshold];
		if (above(burn, has, rules[i].longw, t) && above(burn, has, rules[i].shortw, t)) {
			if (why)
				*why = rules[i].why;
			return rules[i].level;
		}
	}
	return SLO_ALERT_NONE;
}

/* ---- loading ------------------------------------------------------------------- */

int slo_load_latest_tx(struct ctx *ctx, const char *name, int64_t service_id, struct arena *a,
                       struct slo_row **out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT s.version, s.spec, s.service_id, v.name FROM slos s "
	        "LEFT JOIN services v ON v.id = s.service_id "
	        "WHERE s.version = (SELECT MAX(x.version) FROM slos x WHERE x.name = s.name) "
	        "AND (CAST(?1 AS TEXT) IS NULL OR s.name = ?1) AND (?2 = 0 OR s.service_id = ?2) "
	        "ORDER BY s.name",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, name);
	stmt_bind_int(st, 2, service_id);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*out = arena_grow(a, *out, *n, &alloc, sizeof **out);
		struct slo_row *r = &(*out)[*n];
		memset(r, 0, sizeof *r);
		r->version = (int)stmt_int(st, 0);
		r->service_id = stmt_int(st, 2);
		r->service = stmt_text_dup(st, 3, a);
		rc = slo_spec_from_json(stmt_text(st, 1), a, &r->spec, err);
		if (rc < 0)
			break;
		(*n)++;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static bool meets(const struct slo_spec *s, double v)
{
	switch (s->op) {
	case SLO_OP_LT:
		return v < s->threshold;
	case SLO_OP_LTE:
		return v <= s->threshold;
	case SLO_OP_GT:
		return v > s->threshold;
	case SLO_OP_GTE:
		return v >= s->threshold;
	}
	return false;
}

int slo_load_points_tx(struct ctx *ctx, const struct slo_spec *s, int64_t from, int64_t to,
                       struct arena *a, struct slo_point **out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	/* The oldest slice ending after from began before it (slo_tally). */
	if (s->budgeting == SLO_TIMESLICES && s->slice_ms > 0)
		from -= s->slice_ms;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT at, good, bad, total, value FROM sli_samples "
	                       "WHERE slo_name = ?1 AND at > ?2 AND at <= ?3 ORDER BY at",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, s->name);
	stmt_bind_int(st, 2, from);
	stmt_bind_int(st, 3, to);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		struct slo_point p = {.at = stmt_int(st, 0)};
		if (s->kind == SLO_THRESHOLD) {
			if (stmt_is_null(st, 4))
				continue;
			p.total = 1;
			p.good = meets(s, stmt_double(st, 4)) ? 1 : 0;
		} else {
			if (stmt_is_null(st, 3))
				continue;
			p.total = stmt_double(st, 3);
			bool has_good = !stmt_is_null(st, 1), has_bad = !stmt_is_null(st, 2);
			/* The SLO's own numerator only: the other one in a row is an
			 * older version's (an SLO that counted good events now
			 * counting bad ones, a file of its bad events not covering
			 * that time), read as it, the old good count stood for the
			 * new SLO.  None: a query matching nothing returns no series
			 * (PromQL), so no event of the numerator happened in that
			 * interval: no good event (all bad), or no bad one (all
			 * good).  Unknown: whichever is stored. */
			if (s->numerator == SLO_NUM_GOOD)
				p.good = has_good ? stmt_double(st, 1) : 0;
			else if (s->numerator == SLO_NUM_BAD)
				p.good = p.total - (has_bad ? stmt_double(st, 2) : 0);
			else if (has_good)
				p.good = stmt_double(st, 1);
			else if (has_bad)
				p.good = p.total - stmt_double(st, 2);
			else
				continue;
			/* Counters sampled apart may disagree a little; a
			 * point counts at most all good and none below zero. */
			p.good = p.good < 0 ? 0 : p.good > p.total ? p.total : p.good;
		}
		*out = arena_grow(a, *out, *n, &alloc, sizeof **out);
		(*out)[(*n)++] = p;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- slo.status ------------------------------------------------------------------ */

/* How far apart the samples in (from, to] are: the least time from one to
 * the one before it (which may be before from); 0 when none has one before
 * it. */
static int64_t sample_gap(const struct slo_point *pts, size_t n, int64_t from, int64_t to)
{
	int64_t gap = 0;
	int64_t prev = INT64_MIN;
	for (size_t i = 0; i < n && pts[i].at <= to; i++) {
		if (pts[i].total <= 0)
			continue;
		if (pts[i].at > from && prev != INT64_MIN && (!gap || pts[i].at - prev < gap))
			gap = pts[i].at - prev;
		prev = pts[i].at;
	}
	return gap;
}

static void evaluate(const struct slo_spec *s, const struct slo_point *pts, size_t n, int64_t now,
                     struct slo_status *out)
{
	out->now = now;
	out->window_start = now - s->window_ms;
	slo_tally(s, pts, n, out->window_start, now, &out->tally);
	if (out->tally.has_data) {
		out->attainment = out->tally.good / out->tally.total;
		out->budget_remaining = decimal12(1.0 - slo_burn_rate(&out->tally, s->target));
	}
	bool slices = s->budgeting == SLO_TIMESLICES && s->slice_ms > 0;
	for (int i = 0; i < SLO_NBURN; i++) {
		struct slo_tally t;
		int64_t from = now - slo_burn_window_ms[i];
		slo_tally(s, pts, n, from, now, &t);
		/* A window shorter than a slice holds part of one slice, so its
		 * burn could only be 0 or the maximum: no rate, as without data. */
		out->has_burn[i] = t.has_data && !(slices && s->slice_ms > slo_burn_window_ms[i]);
		/* One shorter than the samples are apart counts a sample whole,
		 * its events as if all fell in the window: hourly samples gave
		 * the 5m, 30m and 1h rates one and the same value, with nothing
		 * said (found hunting).  Said, not left out: how far apart
		 * samples are does not tell how long each one's interval was
		 * (a quiet service's query returns no point for a minute with
		 * no requests), and split in proportion, an hour's sample would
		 * still give the hour's rate as the 5 minutes'. */
		/* How far apart the window's own samples are: the least spacing,
		 * so a gap in the data (no series for a while) does not make the
		 * samples after it coarse.  Judged over the last 3 days, minute
		 * samples there hid hourly ones since in the short windows (found
		 * hunting).  A longer window holds more samples, so a window is
		 * coarse only when every shorter one with a rate is too. */
		int64_t gap = out->has_burn[i] ? sample_gap(pts, n, from, now) : 0;
		if (gap > slo_burn_window_ms[i]) {
			out->coarse_mask |= 1u << i;
			out->coarse_widest = i;
			out->sample_gap_ms = gap;
		}
		out->burn[i] = out->has_burn[i] ? slo_burn_rate(&t, s->target) : 0;
	}
	slo_alert_thresholds(s->window_ms, out->thresholds);
	out->alert = slo_alert_eval(out->burn, out->has_burn, out->thresholds, &out->alert_reason);
}

/* What o's coarse burn windows are worth ("samples 1h apart ..."), in a. */
static const char *coarse_note(struct arena *a, const struct slo_status *o)
{
	int64_t g = o->sample_gap_ms;
	const char *apart =
	        g % MS_PER_DAY == 0  ? arena_printf(a, "%lldd", (long long)(g / MS_PER_DAY))
	        : g % HOUR_MS == 0   ? arena_printf(a, "%lldh", (long long)(g / HOUR_MS))
	        : g % MINUTE_MS == 0 ? arena_printf(a, "%lldm", (long long)(g / MINUTE_MS))
	                             : arena_printf(a, "%.3fs", (double)g / 1000.0);
	const char *windows = "";
	int named = 0, count = 0;
	for (int i = 0; i < SLO_NBURN; i++)
		count += (o->coarse_mask >> i) & 1;
	for (int i = 0; i < SLO_NBURN; i++)
		if ((o->coarse_mask >> i) & 1)
			windows = arena_printf(a, "%s%s%s", windows,
			                       !named++         ? ""
			                       : named == count ? " and "
			                                        : ", ",
			                       slo_burn_window_name[i]);
	return arena_printf(a,
	                    "%s: samples %s apart at least in the last %s: the %s burn "
	                    "rate%s count%s each sample whole, as if all its events fell in "
	                    "the window, so %s no finer than %s",
	                    o->name, apart, slo_burn_window_name[o->coarse_widest], windows,
	                    count > 1 ? "s" : "", count > 1 ? "" : "s",
	                    count > 1 ? "they are" : "it is", apart);
}

struct status_args {
	const char *name;
	struct slo_status **out;
	size_t *n;
};

static int status_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct status_args *a = arg;
	struct slo_row *rows;
	size_t n;
	int rc = slo_load_latest_tx(ctx, a->name, 0, ctx->arena, &rows, &n, err);
	if (rc < 0)
		return rc;
	if (a->name && n == 0) {
		err_set(err, ERR_NOT_FOUND, "no SLO '%s'", a->name);
		err_hint(err,
		         "'plumb slo status' lists every SLO; 'plumb slo import FILE' adds some");
		return ERR_NOT_FOUND;
	}
	int64_t now = ts_now_ms();
	struct slo_status *out = arena_array(ctx->arena, n ? n : 1, sizeof *out);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct slo_spec *s = &rows[i].spec;
		int64_t span = s->window_ms > slo_burn_window_ms[SLO_NBURN - 1]
		                       ? s->window_ms
		                       : slo_burn_window_ms[SLO_NBURN - 1];
		struct slo_point *pts;
		size_t np;
		rc = slo_load_points_tx(ctx, s, now - span, now, ctx->arena, &pts, &np, err);
		struct slo_status *o = &out[i];
		memset(o, 0, sizeof *o);
		o->name = s->name;
		o->service = rows[i].service;
		o->kind = s->kind == SLO_RATIO ? "ratio" : "threshold";
		o->budgeting = s->budgeting == SLO_OCCURRENCES ? "Occurrences" : "Timeslices";
		o->window = s->window;
		o->version = rows[i].version;
		o->spec = s;
		if (rc == 0)
			evaluate(s, pts, np, now, o);
		if (rc == 0 && o->coarse_mask)
			o->burn_note = coarse_note(ctx->arena, o);
	}
	if (rc < 0)
		return rc;
	*a->out = out;
	*a->n = n;
	return 0;
}

int slo_status_tx(struct ctx *ctx, const char *name, struct slo_status **out, size_t *n,
                  struct error *err)
{
	*out = NULL;
	*n = 0;
	struct status_args a = {name, out, n};
	return status_body(ctx, &a, err);
}

int slo_status(struct ctx *ctx, const char *name, struct slo_status **out, size_t *n,
               struct error *err)
{
	*out = NULL;
	*n = 0;
	struct status_args a = {name, out, n};
	return ctx_run(ctx, OP_SLO_STATUS, status_body, &a, err);
}

/* ---- the catalogue's view --------------------------------------------------------- */

int slo_clock_state_tx(struct ctx *ctx, int64_t now, struct arena *a, const char **out,
                       struct error *err)
{
	*out = "";
	struct slo_row *rows;
	size_t n;
	int rc = slo_load_latest_tx(ctx, NULL, 0, a, &rows, &n, err);
	if (rc < 0)
		return rc;
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "SELECT MAX(at) FROM sli_samples WHERE slo_name = ?1 AND at <= ?2", &st,
	                   err);
	if (rc < 0)
		return rc;
	const char *text = "";
	for (size_t i = 0; i < n; i++) {
		const struct slo_spec *s = &rows[i].spec;
		stmt_bind_text(st, 1, s->name);
		stmt_bind_int(st, 2, now);
		rc = stmt_step(st, err);
		bool has = rc == STORE_ROW && !stmt_is_null(st, 0);
		int64_t at = has ? stmt_int(st, 0) : 0;
		stmt_reset(st);
		if (rc < 0)
			return rc;
		if (!has)
			continue;
		bool ended = true;
		if (s->budgeting == SLO_TIMESLICES && s->slice_ms > 0)
			ended = (slice_of(at, s->slice_ms) + 1) * s->slice_ms <= now;
		text = arena_printf(a, "%s|%s %lld %d", text, s->name, (long long)at, ended);
	}
	*out = text;
	return 0;
}

int slo_service_summary(struct ctx *ctx, int64_t service_id, int64_t from, int64_t to,
                        struct arena *a, struct slo_service_summary *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	if (service_id <= 0 || to <= from)
		return err_set(err, ERR_USAGE,
		               "slo_service_summary: expected a service and from < to");
	/* A period not yet over is counted up to now: its running slice, not
	 * ended, counted whole with the samples it had so far (a minute in,
	 * one bad sample made the slice bad), and a sample dated after now is
	 * none yet (found hunting). */
	int64_t now = ts_now_ms();
	if (to > now)
		to = now > from ? now : from;
	struct slo_row *rows;
	size_t n;
	int rc = slo_load_latest_tx(ctx, NULL, service_id, a, &rows, &n, err);
	if (rc < 0)
		return rc;
	out->slos = arena_array(a, n ? n : 1, sizeof *out->slos);
	for (size_t i = 0; i < n; i++) {
		const struct slo_spec *s = &rows[i].spec;
		struct slo_period *p = &out->slos[out->n++];
		memset(p, 0, sizeof *p);
		p->name = s->name;
		p->version = rows[i].version;
		p->target = s->target;
		p->slices = s->budgeting == SLO_TIMESLICES;
		struct slo_point *pts;
		size_t np;
		/* The period [from, to) holds the intervals ending in (from, to]:
		 * a sample's counts are for the interval ending at its time, so the
		 * one at from is the previous period's last. */
		rc = slo_load_points_tx(ctx, s, from, to, a, &pts, &np, err);
		if (rc < 0)
			return rc;
		for (size_t j = 0; j < np; j++)
			p->samples += pts[j].at > from; /* not the slice read before from */
		struct slo_tally t;
		slo_tally(s, pts, np, from, to, &t);
		p->has_data = t.has_data;
		if (!t.has_data)
			continue;
		p->good = t.good;
		p->total = t.total;
		p->attainment = t.good / t.total;
		p->budget_remaining = decimal12(1.0 - slo_burn_rate(&t, s->target));
	}
	return 0;
}
