/* cli_slo: slo import (OpenSLO YAML), slo ingest (SLI samples from CSV or
 * Prometheus JSON) and slo status (attainment, budget, burn rates, alerts). */
#include <inttypes.h>
#include <stdlib.h>

#include "base/decimal.h"
#include "base/fileio.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "core/ctx.h"
#include "metrics/slo.h"

#define SLO_FILE_MAX ((size_t)256 << 20)

static int cmd_slo_import(struct cli_run *r)
{
	char *data = NULL;
	size_t len = 0;
	struct slo_import_result res;
	int rc = file_read(r->pos[0], (size_t)16 << 20, &data, &len, &r->err);
	if (rc == 0)
		rc = slo_import(r->ctx, r->pos[0], data, len, &res, &r->err);
	free(data);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "file", r->pos[0]);
		jw_kint(&w, "slos", res.slos);
		jw_kint(&w, "created", res.created);
		jw_kint(&w, "changed", res.changed);
		jw_kint(&w, "unchanged", res.unchanged);
		jw_key(&w, "warnings");
		jw_array_begin(&w);
		for (size_t i = 0; i < res.nwarnings; i++)
			jw_str(&w, res.warnings[i]);
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out,
	        "%" PRId64 " %s in %s: %" PRId64 " new, %" PRId64
	        " changed (a new version), %" PRId64 " unchanged\n",
	        res.slos, cli_plural(res.slos, "SLO", "SLOs"), r->pos[0], res.created, res.changed,
	        res.unchanged);
	for (size_t i = 0; i < res.nwarnings; i++)
		cli_warn("%s", res.warnings[i]);
	return 0;
}

static int cmd_slo_ingest(struct cli_run *r)
{
	struct slo_ingest_opts o = {
	        .slo = cli_opt(r, "slo"),
	        .file = r->pos[0],
	        .format = cli_opt(r, "format"),
	        .series = cli_opt(r, "series"),
	};
	char *data = NULL;
	struct slo_ingest_result res;
	int rc = file_read(o.file, SLO_FILE_MAX, &data, &o.len, &r->err);
	o.data = data;
	if (rc == 0)
		rc = slo_ingest(r->ctx, &o, &res, &r->err);
	free(data);
	if (rc < 0)
		return rc;
	char t1[TS_BUF], t2[TS_BUF];
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "slo", o.slo);
		jw_kstr(&w, "file", o.file);
		jw_kstr(&w, "format", res.format);
		jw_kstr(&w, "series", o.series);
		jw_kint(&w, "samples", res.samples);
		jw_kint(&w, "inserted", res.inserted);
		jw_kint(&w, "updated", res.updated);
		jw_kint(&w, "unchanged", res.unchanged);
		jw_key(&w, "first");
		jw_time(&w, res.first, res.samples > 0);
		jw_key(&w, "last");
		jw_time(&w, res.last, res.samples > 0);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out,
	        "%" PRId64 " %s for %s from %s (%s): %" PRId64 " new, %" PRId64 " updated, %" PRId64
	        " unchanged\n",
	        res.samples, cli_plural(res.samples, "sample", "samples"), o.slo, o.file,
	        res.format, res.inserted, res.updated, res.unchanged);
	if (res.samples)
		fprintf(r->out, "from %s to %s\n", ts_format(res.first, t1),
		        ts_format(res.last, t2));
	return 0;
}

static void opt_double(struct jw *w, const char *key, double v, bool has)
{
	jw_key(w, key);
	if (has)
		jw_double(w, v);
	else
		jw_null(w);
}

static void status_json(struct jw *w, const struct slo_status *x)
{
	char when[TS_BUF];
	const struct slo_spec *s = x->spec;
	bool has = x->tally.has_data;
	jw_object_begin(w);
	jw_kstr(w, "name", x->name);
	jw_kint(w, "version", x->version);
	jw_kstr(w, "service", x->service);
	jw_kstr(w, "kind", x->kind);
	jw_kstr(w, "budgeting", x->budgeting);
	jw_key(w, "target");
	jw_double(w, s->target);
	jw_kstr(w, "window", x->window);
	jw_kstr(w, "now", ts_format(x->now, when));
	jw_kstr(w, "window_start", ts_format(x->window_start, when));
	jw_kstr(w, "unit", s->budgeting == SLO_TIMESLICES ? "slices" : "events");
	jw_key(w, "good");
	jw_double(w, x->tally.good);
	jw_key(w, "total");
	jw_double(w, x->tally.total);
	opt_double(w, "attainment", x->attainment, has);
	opt_double(w, "error_budget_remaining", x->budget_remaining, has);
	jw_key(w, "burn_rates");
	jw_object_begin(w);
	for (int i = 0; i < SLO_NBURN; i++)
		opt_double(w, slo_burn_window_name[i], x->burn[i], x->has_burn[i]);
	jw_object_end(w);
	jw_key(w, "thresholds");
	jw_object_begin(w);
	static const char *const names[] = {"page_1h_5m", "page_6h_30m", "ticket_1d_2h",
	                                    "ticket_3d_6h"};
	for (int i = 0; i < 4; i++)
		opt_double(w, names[i], x->thresholds[i], true);
	jw_object_end(w);
	jw_kstr(w, "alert", slo_alert_name(x->alert));
	jw_kstr(w, "alert_reason", x->alert_reason);
	jw_kstr(w, "burn_note", x->burn_note);
	jw_object_end(w);
}

/* v to 3 decimals, on its side of the nmarks marks[] (cli_percent). */
static const char *fmt_pct(double v, bool has, const double *marks, size_t nmarks)
{
	static char buf[8][32];
	static int next;
	return cli_percent(buf[next++ % 8], sizeof buf[0], v, has, 0, 3, marks, nmarks);
}

/* A burn rate to 2 decimals, on its side of each alert threshold: 2.8004
 * read "2.80" beside a ticket for burning above 2.8. */
static const char *fmt_burn(double v, bool has, const double thresholds[4])
{
	static char buf[8][32];
	static int next;
	if (!has)
		return "-";
	return decimal_marked(buf[next++ % 8], sizeof buf[0], v, 0, 2, thresholds, 4);
}

static int cmd_slo_status(struct cli_run *r)
{
	struct slo_status *items;
	size_t n;
	int rc = slo_status(r->ctx, cli_opt(r, "slo"), &items, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++)
			status_json(&w, &items[i]);
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"slo",    "service", "target",  "window",  "attained",
	                                      "budget", "burn 1h", "burn 6h", "burn 1d", "alert"};
	struct cli_table t;
	cli_table_init(&t, headers, 10);
	for (size_t i = 0; i < n; i++) {
		const struct slo_status *x = &items[i];
		bool has = x->tally.has_data;
		/* A target as written (99.999%, 99.9%), to 12 significant digits:
		 * the binary product of 0.99999 and 100 is 99.99900000000001.  The
		 * attainment on its side of it: 98.999999% read 99.000%. */
		char target[64];
		cli_table_add(
		        &t, x->name, x->service,
		        cli_percent(target, sizeof target, x->spec->target, true, 12, 0, NULL, 0),
		        x->window, fmt_pct(x->attainment, has, &x->spec->target, 1),
		        fmt_pct(x->budget_remaining, has, NULL, 0),
		        fmt_burn(x->burn[2], x->has_burn[2], x->thresholds),
		        fmt_burn(x->burn[4], x->has_burn[4], x->thresholds),
		        fmt_burn(x->burn[5], x->has_burn[5], x->thresholds),
		        slo_alert_name(x->alert));
	}
	cli_table_print_or(r, &t, "no SLOs yet (plumb slo import FILE, an OpenSLO YAML file)");
	cli_table_release(&t);
	for (size_t i = 0; i < n; i++)
		if (items[i].burn_note)
			cli_note("%s", items[i].burn_note);
	return 0;
}

static const struct cli_opt ingest_opts[] = {
        {"slo", "NAME", OPT_VALUE | OPT_REQUIRED, "the SLO the samples are for"},
        {"format", "FORMAT", OPT_VALUE,
         "csv or prometheus (a query_range JSON response); default: by the file's content"},
        {"series", "SERIES", OPT_VALUE,
         "prometheus: which query the file answers: good, bad or total for a ratio SLO, "
         "value for a threshold one (the default there)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt status_opts[] = {
        {"slo", "NAME", OPT_VALUE, "only this SLO"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"slo import", OP_SLO_IMPORT, "FILE", 1, 1, CMD_JSON, NULL, cmd_slo_import,
         "import SLOs from an OpenSLO v1 YAML file (kinds SLO and SLI)",
         "Everything is validated first (errors name the file, line and field); an SLO that "
         "changed gets a new version, an unchanged one is left alone. See docs/cli.md for "
         "the subset of OpenSLO plumb reads."},
        {"slo ingest", OP_SLO_INGEST, "FILE", 1, 1, CMD_JSON, ingest_opts, cmd_slo_ingest,
         "load SLI samples for an SLO from CSV or Prometheus range-query JSON",
         "CSV: a header time,good,total (or time,bad,total) for a ratio SLO, time,value for "
         "a threshold one; times in RFC 3339 or unix seconds. Prometheus: the JSON of "
         "/api/v1/query_range, one query per file (--series). Samples are upserted by (SLO, "
         "time)."},
        {"slo status", OP_SLO_STATUS, "", 0, 0, CMD_JSON | CMD_CSV, status_opts, cmd_slo_status,
         "show each SLO's attainment, error budget, burn rates and alert state",
         "Burn rates over 5m, 30m, 1h, 2h, 6h, 1d and 3d; page when 1h and 5m, or 6h and 30m, "
         "burn above 14.4 and 6; ticket when 1d and 2h, or 3d and 6h, above 3 and 1 (the SRE "
         "workbook's thresholds for 30 days, scaled to the SLO's window)."},
};

const struct cli_group cli_group_slo = {"slo", commands, sizeof commands / sizeof commands[0]};
