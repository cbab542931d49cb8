/*
 * slo: service level objectives in OpenSLO v1 YAML, their SLI samples
 * (Prometheus range queries, CSV, or a live Prometheus source), and what
 * they say now: attainment over the time window, error budget remaining,
 * burn rates over the standard windows and the multiwindow, multi-burn-rate
 * alert of the Google SRE workbook (ch. 5, "Alerting on SLOs").
 *
 * Strings and arrays handed out live in the arena given (or ctx->arena);
 * nothing here keeps state between calls.  The arithmetic (slo_tally,
 * slo_burn_rate, slo_alert_eval) is pure and thread-safe; the rest runs
 * on the caller's ctx, one thread at a time.
 */
#ifndef PLUMB_SLO_H
#define PLUMB_SLO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct arena;
struct ctx;

enum slo_kind { SLO_RATIO, SLO_THRESHOLD };
enum slo_budgeting { SLO_OCCURRENCES, SLO_TIMESLICES };
enum slo_op { SLO_OP_LT, SLO_OP_LTE, SLO_OP_GT, SLO_OP_GTE };
/* The events a ratio SLI counts beside total: good or bad ones.  Unknown
 * only for a version stored before plumb kept it whose numerator had no
 * query (a metric source other than Prometheus). */
enum slo_numerator { SLO_NUM_UNKNOWN, SLO_NUM_GOOD, SLO_NUM_BAD };

/* One SLO as plumb understands it (the subset of OpenSLO v1 it reads). */
struct slo_spec {
	const char *name, *display_name, *description;
	const char *service;   /* a plumb service's name */
	const char *indicator; /* the SLI's name */
	enum slo_kind kind;
	/* The metric source: its type ("Prometheus"), or a metricSourceRef
	 * naming a plumb source; the queries (NULL when not given). */
	const char *source_type, *source_ref;
	const char *good_query, *bad_query, *total_query, *value_query;
	enum slo_numerator numerator; /* ratio: good or bad (SLO_NUM_UNKNOWN otherwise) */
	enum slo_budgeting budgeting;
	double target;          /* 0 < target < 1 */
	enum slo_op op;         /* threshold: a sample is good when value op threshold */
	double threshold;       /* threshold */
	double slice_target;    /* timeslices: a slice is good when its ratio >= this */
	int64_t slice_ms;       /* timeslices: the slice length */
	int64_t window_ms;      /* rolling time window */
	const char *window;     /* as written: "28d" */
	const char *slice_text; /* as written: "1m" (timeslices) */
	long service_line;      /* where spec.service is in the file (import errors) */
	/* Where the (first) metricSource is, and its path (import errors). */
	long source_line;
	const char *source_path;
};

/* ---- the arithmetic ---------------------------------------------------------- */

/* A sample normalized for counting: good events of total.  A threshold
 * sample is one event, good when its value meets the condition. */
struct slo_point {
	int64_t at; /* ms */
	double good, total;
};

/* What a window holds.  Occurrences count events; Timeslices count slices
 * (slice_ms aligned to the epoch) holding data, a slice good when its
 * good/total reaches the slice target.  A sample's counts are for the
 * interval ending at its time, so slice k holds the samples with
 * k * slice_ms < at <= (k + 1) * slice_ms. */
struct slo_tally {
	double good, total; /* events, or slices */
	bool has_data;
};

/* Tally points (sorted by time) with from < at <= to; by Timeslices, the
 * slices that ended in (from, to], each with all its points (the oldest began
 * before from), so a window of N slice lengths holds N slices and a running
 * slice counts once it has ended. */
void slo_tally(const struct slo_spec *s, const struct slo_point *pts, size_t n, int64_t from,
               int64_t to, struct slo_tally *out);
/* Burn rate: the bad fraction (1 - good/total) over the allowed one
 * (1 - target): 1.0 spends the budget exactly over the time window. */
double slo_burn_rate(const struct slo_tally *t, double target);

/* The burn-rate windows, shortest first: 5m 30m 1h 2h 6h 1d 3d. */
#define SLO_NBURN 7
extern const int64_t slo_burn_window_ms[SLO_NBURN];
extern const char *const slo_burn_window_name[SLO_NBURN];

enum slo_alert { SLO_ALERT_NONE, SLO_ALERT_TICKET, SLO_ALERT_PAGE };
const char *slo_alert_name(enum slo_alert a); /* "none", "ticket", "page" */

/* The workbook's burn-rate thresholds (14.4, 6, 3, 1) are for a 30-day
 * window: each spends a fixed share of the budget (2% in 1h, 5% in 6h,
 * 10% in 1d, 10% in 3d).  For another window the same share takes
 * threshold * window / 30d: thresholds[] gets page_fast (1h and 5m),
 * page_slow (6h and 30m), ticket_fast (1d and 2h), ticket_slow (3d and
 * 6h). */
void slo_alert_thresholds(int64_t window_ms, double thresholds[4]);
/* Page if (1h > t0 and 5m > t0) or (6h > t1 and 30m > t1); else ticket if
 * (1d > t2 and 2h > t2) or (3d > t3 and 6h > t3).  A window without data
 * (has[i] false) meets no condition.  *why (may be NULL) names the pair
 * that fired, static text. */
enum slo_alert slo_alert_eval(const double burn[SLO_NBURN], const bool has[SLO_NBURN],
                              const double thresholds[4], const char **why);

/* ---- import ------------------------------------------------------------------ */

/* Parse an OpenSLO v1 file (documents of kind SLO and SLI; Service,
 * DataSource and alerting kinds are skipped).  Errors name file, line,
 * field and what was expected.  *out, *n in a. */
int slo_parse_file(const char *file, const char *data, size_t len, struct arena *a,
                   struct slo_spec **out, size_t *n, struct error *err);

struct slo_import_result {
	int64_t slos, created, changed, unchanged;
	/* SLOs that cannot raise every alert (a target whose largest burn is
	 * not above a rule's threshold; Timeslices slices longer than a short
	 * burn window), and SLOs whose new version moved them to another service,
	 * a line per cause, in the context's arena. */
	const char **warnings;
	size_t nwarnings;
};
/* slo.import: parse and validate everything, then store a new version of
 * each SLO that is new or changed, in one audited transaction; nothing is
 * written on any error, nothing at all when every SLO is unchanged. */
int slo_import(struct ctx *ctx, const char *file, const char *data, size_t len,
               struct slo_import_result *res, struct error *err);

/* ---- samples ------------------------------------------------------------------ */

/* Which column of a sample a series fills. */
enum slo_series { SLO_SERIES_GOOD, SLO_SERIES_BAD, SLO_SERIES_TOTAL, SLO_SERIES_VALUE };
const char *slo_series_name(enum slo_series s);

/* A Prometheus range query's points, summed across series per time (a
 * time given twice within one series refused).  v in *out, *n; ERR_INVALID
 * naming origin and JSON path.  one_series (a threshold's value) refuses a
 * result of several series and skips NaN and infinite points (no
 * measurement).  A count series' NaN or infinity is refused, unless
 * unknown is given: then the times of such points go into *unknown,
 * *nunknown (in a; each time once), and no point is given for them. */
struct slo_raw {
	int64_t at;
	double v;
};
int slo_parse_prometheus(const char *origin, const char *data, size_t len, bool one_series,
                         struct arena *a, struct slo_raw **out, size_t *n, int64_t **unknown,
                         size_t *nunknown, struct error *err);

struct slo_ingest_opts {
	const char *slo;
	const char *file; /* for errors and the audit entry */
	const char *data;
	size_t len;
	const char *format; /* "csv", "prometheus", or NULL: by content */
	const char *series; /* prometheus: good, bad, total or value; NULL: value for a
	                       threshold SLO, required for a ratio one */
};
struct slo_ingest_result {
	int64_t samples, inserted, updated, unchanged;
	int64_t first, last; /* ms, when samples > 0 */
	const char *format;
};
/* slo.ingest: upsert a file's samples by (SLO, time), audited; nothing
 * written when nothing changed or on any error. */
int slo_ingest(struct ctx *ctx, const struct slo_ingest_opts *o, struct slo_ingest_result *res,
               struct error *err);

/* For a live Prometheus source (sync.c): the queries of every SLO whose
 * metric source is Prometheus and which either names this source in
 * metricSourceRef or names none, and into *unread those naming no
 * Prometheus source.  Runs its own read operation; refused as
 * slo_prometheus_refs_check_tx refuses. */
struct slo_query {
	const char *slo, *query;
	enum slo_series series;
	int64_t step_ms, window_ms;
	int64_t slice_ms; /* by Timeslices; 0 by Occurrences */
};
/* The step (ms) s's Prometheus series are read at: a minute by Occurrences;
 * by Timeslices the slice for a ratio, and for a threshold SLI a tenth of
 * the slice (whole ms dividing it, at least a second, fewer samples a slice
 * when the window would hold more than 500,000), so that a slice is judged
 * on the share of its samples meeting the threshold.  Thread-safe. */
int64_t slo_query_step_ms(const struct slo_spec *s);
/* SLOs whose metricSourceRef names no Prometheus source (one removed, or
 * stored before slo import refused it): no sync reads them. */
struct slo_unread {
	size_t n;
	const char *first; /* "SLO NAME (metricSourceRef REF)" */
};
int slo_prometheus_queries(struct ctx *ctx, const char *source, struct slo_query **out, size_t *n,
                           struct slo_unread *unread, struct error *err);
/* Into *window_ms and *step_ms the time window of slo's version in force
 * at time at (the latest created by then; the first when all came later, a
 * clock set back) and the step an older plumb, one that kept no step in a
 * series cursor, read its series at (its slice by Timeslices, else a
 * minute: not slo_query_step_ms's, finer for a threshold SLI), both 0 when
 * no version of it is stored: for a series cursor such a plumb set, which
 * kept no window or step, whether they changed since.  Inside the caller's
 * operation. */
int slo_version_at_tx(struct ctx *ctx, const char *slo, int64_t at, int64_t *window_ms,
                      int64_t *step_ms, struct error *err);
/* An SLO's samples are kept by SLO and time, not by the source that read
 * them: an SLO that every Prometheus source reads (one naming no
 * metricSourceRef) while there are two or more of them would have each
 * sync store its samples over another's.  ERR_CONFLICT naming the SLOs and
 * the sources then, else 0; inside the caller's operation.  adding: the
 * source being added (stored already in this operation), for the hint, or
 * NULL. */
int slo_prometheus_refs_check_tx(struct ctx *ctx, const char *adding, struct error *err);
/* What stored a sample: a sync removes its own samples (a query changed,
 * a NaN time), never a file's. */
enum slo_origin { SLO_FROM_FILE, SLO_FROM_SYNC };

/* Upsert one series' points inside the caller's write operation; adds to
 * *res's counts.  No audit entry: the caller writes one. */
int slo_store_points_tx(struct ctx *ctx, const char *slo, enum slo_series series,
                        enum slo_origin origin, const struct slo_raw *pts, size_t n,
                        struct slo_ingest_result *res, struct error *err);

/* Remove slo's samples at the n times at (a time its count queries gave
 * NaN for is no sample of it: a count stored there before would stand
 * without the other), but those a file stored, inside the caller's write
 * operation; adds the rows
 * removed to *removed.  No audit entry: the caller writes one. */
int slo_forget_points_tx(struct ctx *ctx, const char *slo, const int64_t *at, size_t n,
                         int64_t *removed, struct error *err);

/* Clear column series of slo's samples timed from..to (inclusive) but at
 * the times keep lists (sorted) and those a file stored, removing a sample left with no
 * column, inside the caller's write operation: a series whose query changed
 * and was read again over the window, where the new query gave no point.
 * Adds the samples cleared to *cleared.  No audit entry: the caller writes
 * one. */
int slo_clear_series_tx(struct ctx *ctx, const char *slo, enum slo_series series, int64_t from,
                        int64_t to, const int64_t *keep, size_t nkeep, int64_t *cleared,
                        struct error *err);

/* ---- status ------------------------------------------------------------------ */

struct slo_status {
	const char *name, *service, *kind, *budgeting, *window;
	int version;
	const struct slo_spec *spec;
	int64_t now, window_start;
	struct slo_tally tally;  /* over the time window */
	double attainment;       /* good / total; valid when tally.has_data */
	double budget_remaining; /* 1 - burn rate over the time window; < 0 overspent */
	double burn[SLO_NBURN];
	bool has_burn[SLO_NBURN];
	/* The burn windows (bit i: slo_burn_window_ms[i]) that have a rate but
	 * are shorter than their own samples are apart at least: their rates
	 * count each sample whole, as if all its events fell in the window.
	 * coarse_widest is the longest of them, sample_gap_ms its samples'
	 * spacing (the shorter ones' are as far apart or further). */
	unsigned coarse_mask;
	int coarse_widest;
	int64_t sample_gap_ms;
	const char *burn_note; /* says so, naming the SLO; NULL when none */
	double thresholds[4];
	enum slo_alert alert;
	const char *alert_reason; /* NULL when none */
};
/* slo.status: each SLO's latest version (only name's when not NULL;
 * ERR_NOT_FOUND when it does not exist), as of ts_now_ms(). */
int slo_status(struct ctx *ctx, const char *name, struct slo_status **out, size_t *n,
               struct error *err);
/* The same inside the caller's operation (the dashboard's). */
int slo_status_tx(struct ctx *ctx, const char *name, struct slo_status **out, size_t *n,
                  struct error *err);

/* ---- for the metrics catalogue --------------------------------------------------- */

struct slo_period {
	const char *name;
	int version; /* the SLO's version counted */
	double target;
	bool has_data;
	size_t samples;          /* its SLI samples in the period that could count */
	bool slices;             /* good and total count time slices (Timeslices), not events */
	double good, total;      /* the tally over the period */
	double attainment;       /* good / total over the period */
	double budget_remaining; /* 1 - bad fraction / (1 - target) over the period */
};
/* The catalogue's SLO metrics take the worst of the SLOs of every service
 * in scope (metrics.c), so the summary gives each SLO, not a service's. */
struct slo_service_summary {
	struct slo_period *slos; /* each SLO of the service (latest version), by name */
	size_t n;
};
/* Attainment and error budget remaining of the SLOs of service_id over
 * [from, to) (ms): the samples with from < at <= to, each a count for the
 * interval ending at its time; each budget the period's allowance (1 -
 * target of its events or slices).  A period not over yet counts up to
 * now (to is taken as now): by Timeslices, the slices ended by now.
 * Runs inside the caller's operation (no transaction of its own); results
 * in a. */
int slo_service_summary(struct ctx *ctx, int64_t service_id, int64_t from, int64_t to,
                        struct arena *a, struct slo_service_summary *out, struct error *err);
/* What a period reaching past now counts as the clock moves, with no
 * write: per SLO, its newest sample at or before now and, by Timeslices,
 * whether that sample's slice has ended (a period's tally changes only when
 * one of these does).  A text for a cache key, in a; inside the caller's
 * operation. */
int slo_clock_state_tx(struct ctx *ctx, int64_t now, struct arena *a, const char **out,
                       struct error *err);

#endif
