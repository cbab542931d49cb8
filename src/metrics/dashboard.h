/*
 * dashboard: the leadership dashboard.  The four DORA keys of every team
 * (a team with its sub-teams) over the last 90 days with their DORA bands
 * and a weekly trend, each SLO's attainment, error budget and alert, and
 * how fresh each source's data is.
 *
 * Computing the keys is a write (values stored with lineage), so it is an
 * operation of its own, dashboard.refresh (admin), which the CLI, the
 * server's refresh endpoint and the server after a webhook run.  Reading
 * the dashboard, dashboard.show, only reads what is stored: it never
 * computes.  The dashboard holds aggregates only (team-level values, SLOs,
 * source freshness), never a person's data, so every role may read it; an
 * analyst's values over too few people are withheld (mask.h).
 *
 * Everything returned lives in ctx->arena.  A ctx is one thread's.
 */
#ifndef PLUMB_DASHBOARD_H
#define PLUMB_DASHBOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct arena;
struct ctx;
struct jw;

#define DASHBOARD_WINDOW_DAYS 90 /* the four keys over the 90 days up to the end of today */
#define DASHBOARD_TREND_WEEKS 12 /* the trend: the 12 whole weeks before the refresh's week */
#define DASHBOARD_NKEYS       4

/* The four keys in the dashboard's order. */
extern const char *const dashboard_keys[DASHBOARD_NKEYS];

/* ---- dashboard.refresh -------------------------------------------------------- */

/* Most teams or services one refresh takes by name or id. */
#define DASHBOARD_REFRESH_MAX 1000

struct dashboard_refresh_opts {
	const char *const *teams; /* names; with no teams and no services: every current team */
	size_t nteams;
	const int64_t *service_ids; /* also every team that owned one of these services in the
	                               window (the org's, widened by the most a team's own can
	                               lie from it), with the teams above them then (a
	                               deployment counts for its owner at the time, and changes
	                               their keys) */
	size_t nservices;
	int64_t to;   /* the window's end (ms); 0: the end of today in each team's time zone;
	                 after the end of today (the org's zone): ERR_USAGE */
	bool to_date; /* to is a date's UTC midnight: local midnight in each team's zone */
};

struct dashboard_refresh_result {
	int64_t from, to;   /* the 90-day window in the org's time zone (a team with its
	                       own zone has the same local days in that zone) */
	const char **teams; /* refreshed, in tree order */
	size_t nteams;
	size_t computed; /* teams of which a value was stored (others were current) */
};

/* dashboard.refresh: for each team asked (unknown names: ERR_NOT_FOUND,
 * nothing written), the four keys over the 90 days to o->to (by default
 * the 90 whole days up to the end of today, the team's time zone) exactly
 * as `plumb dora --team T` computes and stores them over that window, and
 * each key by week over the 12 whole weeks (the team's time zone) before
 * the week holding o->to (by default, today's week).  One transaction, one
 * audit entry (dashboard.refresh, listing the teams and the value ids);
 * none when every value was current.  The events are read once for all
 * teams. */
int dashboard_refresh(struct ctx *ctx, const struct dashboard_refresh_opts *o,
                      struct dashboard_refresh_result *out, struct error *err);

/* ---- dashboard.show ----------------------------------------------------------- */

struct dashboard_point {
	int64_t value_id;
	int64_t start, end; /* [start, end) */
	double value;       /* NAN when there was nothing to measure */
	int64_t n;
	/* Why the value is withheld from this actor (mask.h): value NAN, n 0.
	 * NULL when shown. */
	const char *suppressed;
};

struct dashboard_key {
	const char *key, *name, *unit, *direction; /* from the active definition */
	const char *status;                        /* that definition's: active, deprecated */
	bool computable;                           /* false: retired (below) */
	bool stored;                               /* a value was found (else the rest is 0) */
	int64_t value_id;                          /* for metrics_explain */
	double value;                              /* NAN when there was nothing to measure */
	int64_t n;
	const char *statistic;
	const char *band;   /* elite, high, medium, low; NULL when none */
	const char *bucket; /* deployment_frequency: daily, weekly, monthly, yearly */
	int64_t from, to, computed_at;
	/* Why the value is withheld from this actor (mask.h: too few people,
	 * for an analyst): value NAN, n 0, no band.  NULL when shown. */
	const char *suppressed;
	struct dashboard_point *trend; /* the refresh's whole weeks, oldest first */
	size_t ntrend;
	/* computable is false when no version of the key may be computed
	 * (retired): name, unit, direction and status are then its newest
	 * version's, and no value is shown, not even one stored before (stored
	 * false, no trend). */
};

struct dashboard_team {
	int64_t id;
	const char *name, *kind, *parent; /* parent NULL for a root */
	int depth;                        /* in the tree */
	struct dashboard_key keys[DASHBOARD_NKEYS];
};

struct dashboard_slo {
	const char *name, *service, *window;
	double target;
	bool has_data;
	double attainment, budget_remaining; /* valid when has_data */
	const char *alert;                   /* none, ticket, page */
	const char *alert_reason;            /* NULL when none */
};

struct dashboard_source {
	const char *source, *kind;
	bool has_sync; /* a published run: last_sync is its end */
	int64_t last_sync;
	/* generated_at - last_sync (both the system clock's), 0 when it ended later */
	int64_t age_ms;
	bool has_newest; /* newest_event: the latest event's time */
	int64_t newest_event;
	int64_t events;
};

struct dashboard {
	int64_t generated_at;  /* when this was read, by the system clock */
	int64_t from, to;      /* the newest window shown (0 when nothing is stored) */
	const char *time_zone; /* the zone that window's days are local to (NULL: none) */
	int64_t computed_at;   /* the newest value's computation (0 when none) */
	const char *bands_source;
	struct dashboard_team *teams; /* current teams in tree order (children by name) */
	size_t nteams;
	struct dashboard_slo *slos; /* by name */
	size_t nslos;
	struct dashboard_source *sources; /* by name */
	size_t nsources;
};

/* dashboard.show: per team and key the stored value (active definition
 * version, not superseded; none for a key no version of which may be
 * computed) over the newest of the team's default windows
 * ending by the end of today (90 whole local days in its time zone now, as
 * the refresh and `plumb dora --team T` compute them; a value over any
 * other window, whoever stored it, is not shown), with its band and as
 * trend the refresh's 12 whole weeks before the week holding the window's
 * last day; every SLO's status now; each source's freshness.
 * team non-NULL: that team only (ERR_NOT_FOUND when there is none).
 * Reads only. */
int dashboard_show(struct ctx *ctx, const char *team, struct dashboard *out, struct error *err);

/* The dashboard as the stable JSON object `plumb dashboard --json` prints
 * and GET /api/v1/dashboard serves (docs/cli.md lists the fields). */
void dashboard_json(struct jw *w, const struct dashboard *d);

#endif
