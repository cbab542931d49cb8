/* cli_dashboard: the leadership dashboard (plumb dashboard) and its refresh
 * (plumb dashboard refresh).  The JSON is dashboard_json's, the API's too. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/decimal.h"
#include "base/ts.h"
#include "base/tz.h"
#include "cli/cli.h"
#include "metrics/dashboard.h"
#include "metrics/dora.h"

#define MAX_TEAMS CLI_MAX_VALUES

/* "1.78/day elite", "110.5 h high", "0.019 elite", "-", "retired" */
static const char *key_cell(char *buf, size_t n, const struct dashboard_key *k)
{
	char num[48];
	if (!k->computable) {
		snprintf(buf, n, "%s", !strcmp(k->status, "retired") ? "retired" : "not computed");
		return buf;
	}
	if (k->suppressed) {
		snprintf(buf, n, "suppressed");
		return buf;
	}
	if (!k->stored || isnan(k->value)) {
		snprintf(buf, n, "%s", k->stored ? "- (none)" : "-");
		return buf;
	}
	const char *band = k->band ? k->band : "-";
	/* On its side of each band edge: 5.04% was "5.0% high" though 5% is elite. */
	const double *edges;
	size_t nedges = dora_band_edges(k->key, &edges);
	if (!strcmp(k->key, "deployment_frequency"))
		snprintf(buf, n, "%s/day %s", decimal_format(num, sizeof num, k->value, 3), band);
	else if (!strcmp(k->key, "change_failure_rate"))
		snprintf(buf, n, "%s%% %s",
		         decimal_percent_marked(num, sizeof num, k->value, 0, 1, edges, nedges),
		         band);
	else
		snprintf(buf, n, "%s h %s",
		         decimal_marked(num, sizeof num, k->value, 0, 1, edges, nedges), band);
	return buf;
}

static int print_text(struct cli_run *r, const struct dashboard *d)
{
	char t1[TS_BUF], t2[TS_BUF], t3[TS_BUF];
	if (d->to) {
		struct tz *z = NULL;
		int rc = tz_load(d->time_zone, &z, &r->err);
		if (rc < 0)
			return rc;
		fprintf(r->out, "The four keys over %d days, %s to %s (%s), computed %s\n",
		        DASHBOARD_WINDOW_DAYS, tz_local_date(z, d->from, t1),
		        tz_local_date(z, d->to, t2), d->time_zone, ts_format(d->computed_at, t3));
		tz_free(z);
	} else
		fprintf(r->out, "No values stored yet: 'plumb dashboard refresh' computes them.\n");
	static const char *const headers[] = {"team", "deployment frequency", "lead time",
	                                      "change failure rate", "recovery time"};
	struct cli_table t;
	cli_table_init(&t, headers, 5);
	for (size_t i = 0; i < d->nteams; i++) {
		const struct dashboard_team *team = &d->teams[i];
		char name[256], c[4][64];
		snprintf(name, sizeof name, "%*s%s", 2 * team->depth, "", team->name);
		for (int k = 0; k < 4; k++)
			key_cell(c[k], sizeof c[k], &team->keys[k]);
		cli_table_add(&t, name, c[0], c[1], c[2], c[3]);
	}
	cli_table_print_or(r, &t, "no teams yet (plumb org import FILE)");
	cli_table_release(&t);
	fprintf(r->out, "bands: %s\n", d->bands_source);

	fprintf(r->out, "\nSLOs\n");
	if (!d->nslos)
		fprintf(r->out, "  none ('plumb slo import' adds some)\n");
	else {
		static const char *const sh[] = {"slo",      "service",     "target", "window",
		                                 "attained", "budget left", "alert"};
		cli_table_init(&t, sh, 7);
		for (size_t i = 0; i < d->nslos; i++) {
			const struct dashboard_slo *s = &d->slos[i];
			char target[64], att[64], budget[64];
			/* The target as written: 4 significant digits made 99.999% read
			 * 100%.  The attainment on its side of it: 98.999999% read
			 * 99.000% beside a target of 99%. */
			cli_table_add(
			        &t, s->name, s->service,
			        cli_percent(target, sizeof target, s->target, true, 12, 0, NULL, 0),
			        s->window,
			        cli_percent(att, sizeof att, s->attainment, s->has_data, 0, 3,
			                    &s->target, 1),
			        cli_percent(budget, sizeof budget, s->budget_remaining, s->has_data,
			                    0, 1, NULL, 0),
			        s->alert);
		}
		cli_table_print(r, &t);
		cli_table_release(&t);
	}

	fprintf(r->out, "\nData freshness\n");
	if (!d->nsources)
		fprintf(r->out, "  no sources ('plumb source add' adds one)\n");
	else {
		static const char *const fh[] = {"source", "kind",         "last sync",
		                                 "age",    "newest event", "events"};
		cli_table_init(&t, fh, 6);
		for (size_t i = 0; i < d->nsources; i++) {
			const struct dashboard_source *s = &d->sources[i];
			char age[32] = "-", events[24];
			if (s->has_sync) {
				int64_t h = s->age_ms / 3600000;
				snprintf(age, sizeof age,
				         h >= 48 ? "%" PRId64 " days" : "%" PRId64 " h",
				         h >= 48 ? h / 24 : h);
			}
			snprintf(events, sizeof events, "%" PRId64, s->events);
			cli_table_add(&t, s->source, s->kind,
			              s->has_sync ? ts_format(s->last_sync, t1) : "never", age,
			              s->has_newest ? ts_format(s->newest_event, t2) : "-", events);
		}
		cli_table_print(r, &t);
		cli_table_release(&t);
	}
	return 0;
}

static int cmd_dashboard(struct cli_run *r)
{
	struct dashboard d = {0};
	int rc = dashboard_show(r->ctx, cli_opt(r, "team"), &d, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		dashboard_json(&w, &d);
		cli_json_end(r, &buf);
		return 0;
	}
	return print_text(r, &d);
}

static int cmd_refresh(struct cli_run *r)
{
	const char *teams[MAX_TEAMS];
	struct dashboard_refresh_opts o = {.teams = teams};
	o.nteams = (size_t)cli_opt_count(r, "team");
	for (size_t i = 0; i < o.nteams; i++)
		teams[i] = cli_opt_at(r, "team", (int)i);
	bool given;
	int rc = cli_opt_time(r, "to", &o.to, &given);
	if (rc < 0)
		return rc;
	/* A bare date is a local day of each team's, as for plumb dora. */
	o.to_date = given && strlen(cli_opt(r, "to")) == 10;
	struct dashboard_refresh_result res = {0};
	if ((rc = dashboard_refresh(r->ctx, &o, &res, &r->err)) < 0)
		return rc;
	char t1[TS_BUF], t2[TS_BUF];
	fprintf(r->out, "dashboard refreshed for %zu %s, %s to %s: %zu recomputed, %zu current\n",
	        res.nteams, cli_plural((int64_t)res.nteams, "team", "teams"),
	        ts_format(res.from, t1), ts_format(res.to, t2), res.computed,
	        res.nteams - res.computed);
	return 0;
}

static const struct cli_opt show_opts[] = {
        {"team", "TEAM", OPT_VALUE, "only this team"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt refresh_opts[] = {
        {"team", "TEAM", OPT_VALUE | OPT_REPEAT, "only this team (repeat for more; default: all)"},
        {"to", "TIME", OPT_VALUE,
         "the window's end, exclusive, not after today (default: the end of today, each "
         "team's time zone)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"dashboard", OP_DASHBOARD_SHOW, "", 0, 0, CMD_JSON, show_opts, cmd_dashboard,
         "the leadership dashboard: the four keys by team, SLOs, data freshness",
         "Reads what `plumb dashboard refresh` (or `plumb dora --team T`) stored: each "
         "team's four DORA keys over its newest default window (the 90 whole days to the end "
         "of today or an earlier day, the team's time zone) with their bands (and the "
         "refresh's 12 whole weeks as trend, in --json), "
         "every SLO's attainment, error budget and alert, and each source's last sync.  "
         "Nothing is computed or written.  Aggregates only, so every role may read it."},
        {"dashboard refresh", OP_DASHBOARD_REFRESH, "", 0, 0, 0, refresh_opts, cmd_refresh,
         "compute the dashboard's four keys for every team (or the teams given)",
         "The four keys over the 90 days up to the end of today (each team's time zone), "
         "stored with lineage as `plumb dora` "
         "stores them, and each key by week over the 12 whole weeks before this one.  One "
         "audit entry (dashboard.refresh); none when every value was current."},
};

const struct cli_group cli_group_dashboard = {"dashboard", commands,
                                              sizeof commands / sizeof commands[0]};
