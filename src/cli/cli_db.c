/* cli_db: init, backup and demo. */
#include <inttypes.h>

#include "base/arena.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "core/ctx.h"
#include "core/db.h"
#include "demo/demo.h"

static int cmd_init(struct cli_run *r)
{
	struct db_init_result res;
	int rc = db_init(r->ctx, &res, &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "initialized %s (schema version %d, %s)\n", ctx_db_url(r->ctx),
	        res.schema_version, ctx_db_engine(r->ctx));
	fprintf(r->out, "audit signing key %s: %s (id %s)\n",
	        res.key_created ? "created" : "in use", res.key_path, res.key_id);
	fprintf(r->out, "pseudonym key %s: %s\n", res.pseudonym_key_created ? "created" : "in use",
	        res.pseudonym_key_path);
	fprintf(r->out, "next: plumb org import FILE.csv, or plumb demo\n");
	return 0;
}

static int cmd_backup(struct cli_run *r)
{
	struct db_backup_result res;
	int rc = db_backup(r->ctx, r->pos[0], &res, &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "backup written to %s; its audit chain verified %" PRId64 " entries\n",
	        r->pos[0], res.entries_verified);
	fprintf(r->out,
	        "keep these keys with it, safely and apart: they are not in the copy\n"
	        "  audit signing key  %s\n  pseudonym key      %s\n",
	        res.audit_key_path ? res.audit_key_path : "(unknown)",
	        res.pseudonym_key_path ? res.pseudonym_key_path : "(unknown)");
	return 0;
}

static int cmd_copy(struct cli_run *r)
{
	struct db_copy_result res;
	const char *to = cli_opt(r, "to");
	int rc = db_copy(r->ctx, to, &res, &r->err);
	if (rc < 0)
		return rc;
	if (res.source_not_recorded[0])
		cli_warn("the copy is not recorded in the source's audit log: %s",
		         res.source_not_recorded);
	if (r->global->json) {
		struct sb buf = SB_INIT;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "from", ctx_db_url(r->ctx));
		jw_kstr(&w, "from_engine", res.from_engine);
		jw_kstr(&w, "to", to);
		jw_kstr(&w, "to_engine", res.to_engine);
		jw_key(&w, "rows");
		jw_object_begin(&w);
		for (int i = 0; i < res.ntables; i++)
			jw_kint(&w, res.table[i], res.rows[i]);
		jw_object_end(&w);
		jw_kint(&w, "total_rows", res.total_rows);
		jw_kint(&w, "audit_entries_verified", res.entries_verified);
		jw_kbool(&w, "recorded_in_source", res.source_not_recorded[0] == '\0');
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out, "copied %s (%s) to %s (%s): %" PRId64 " rows in %d tables, counts match\n",
	        ctx_db_url(r->ctx), res.from_engine, to, res.to_engine, res.total_rows,
	        res.ntables);
	for (int i = 0; i < res.ntables; i++)
		fprintf(r->out, "  %-18s %" PRId64 "\n", res.table[i], res.rows[i]);
	fprintf(r->out, "the copy's audit chain verified %" PRId64 " entries\n",
	        res.entries_verified);
	return 0;
}

/* One line per source of the demo's data: what its ingest run published. */
static void print_demo_sources(struct cli_run *r, const struct demo_summary *s)
{
	const struct demo_sources_summary *d = &s->sources;
	char end[TS_BUF];
	ts_format_date(s->as_of_ms - 1, end); /* the last day, a Saturday */
	fprintf(r->out,
	        "  %" PRId64 " events of about six months to %s from %" PRId64
	        " files in %s%s, through %d sources:\n",
	        d->events, end, d->files, s->data_dir, s->data_dir_removed ? " (removed)" : "",
	        d->nsources);
	for (int i = 0; i < d->nsources; i++) {
		const struct demo_source_result *x = &d->sources[i];
		fprintf(r->out, "    %-10s %-9s %6" PRId64 " events from %4" PRId64 " %s", x->name,
		        x->kind, x->events, x->files, cli_plural(x->files, "file", "files"));
		if (x->bots)
			fprintf(r->out, ", %" PRId64 " by bots", x->bots);
		if (x->unmatched_accounts)
			fprintf(r->out, ", %" PRId64 " %s matched to nobody", x->unmatched_accounts,
			        cli_plural(x->unmatched_accounts, "account", "accounts"));
		if (x->services_created)
			fprintf(r->out, ", %" PRId64 " unmapped %s became %s", x->services_created,
			        cli_plural(x->services_created, "thing", "things"),
			        cli_plural(x->services_created, "a service", "services"));
		fputc('\n', r->out);
	}
	if (d->unmapped_repo)
		fprintf(r->out,
		        "  %" PRId64
		        " repositories, PagerDuty services and Jira projects mapped to "
		        "services; "
		        "%s left unmapped\n",
		        d->mappings, d->unmapped_repo);
	if (d->slos)
		fprintf(r->out,
		        "  %" PRId64 " SLOs of %s (examples/slo) with %" PRId64
		        " samples from slo/: plumb slo status\n",
		        d->slos, d->slo_service, d->slo_samples);
}

/* The demo's review cycles and whom they portray. */
static void print_demo_reviews(struct cli_run *r, const struct demo_summary *s)
{
	const struct demo_reviews_summary *v = &s->reviews;
	FILE *o = r->out;
	if (s->reviews_left_out) {
		if (cli_flag(r, "no-reviews"))
			fprintf(o, "  no review cycles (--no-reviews)\n");
		else
			fprintf(o,
			        "  no review cycles: the demo reviews everyone only up to %d "
			        "people\n",
			        DEMO_REVIEWS_MAX_PEOPLE);
		return;
	}
	char a[TS_BUF], b[TS_BUF];
	fprintf(o, "  review cycles on framework version %d (%s):\n", v->framework_version,
	        v->framework);
	fprintf(o,
	        "    %-16s annual review of %d people, %s..%s, %s: %d self reviews, %d peer "
	        "nominations (%d declined), %d cross-functional reviewers, %d feedback "
	        "responses, %d evaluations",
	        v->annual, v->annual_people, ts_format_date(v->annual_start, a),
	        ts_format_date(v->annual_end, b), v->annual_phase, v->self_reviews, v->nominations,
	        v->declined, v->cross_functional, v->feedback, v->evaluations);
	if (v->revised)
		fprintf(o, " (%d with a second version: %s)", v->revised, v->revised_people);
	fputc('\n', o);
	if (v->checkin)
		fprintf(o,
		        "    %-16s check-in of %d people in %s, %s..%s, in %s: %d self reviews "
		        "submitted, %d %s, %d not started (late: %s)\n",
		        v->checkin, v->checkin_people, v->checkin_teams,
		        ts_format_date(v->checkin_start, a), ts_format_date(v->checkin_end, b),
		        v->checkin_phase, v->checkin_submitted, v->checkin_drafts,
		        cli_plural(v->checkin_drafts, "draft", "drafts"), v->checkin_not_started,
		        *v->checkin_late ? v->checkin_late : "nobody");
	if (v->calibration)
		fprintf(o,
		        "    %-16s calibration of %s, facilitated by %s: %d marks before the "
		        "session, %d rating changes written back (plumb --as %s calibrate raters "
		        "--session %s)\n",
		        v->calibration, v->annual, v->calibration_facilitator, v->calibration_marks,
		        v->calibration_changes, v->calibration_facilitator, v->calibration);
	fprintf(o, "  portrayed in %s:\n", v->annual);
	if (*v->lenient || *v->severe)
		fprintf(o,
		        "    lenient managers: %s; severe managers: %s (every rating they gave "
		        "is higher or lower)\n",
		        *v->lenient ? v->lenient : "none", *v->severe ? v->severe : "none");
	if (v->small_team)
		fprintf(o,
		        "    %s (%s): too few peers for anonymity, their peer feedback is "
		        "withheld\n",
		        v->small_team, v->small_team_people);
	if (v->high_performer)
		fprintf(o, "    %s (manager %s): high performance on a project of low impact\n",
		        v->high_performer, v->high_performer_manager);
	if (v->quiet)
		fprintf(o,
		        "    %s (manager %s): a quiet contributor with little visible evidence\n",
		        v->quiet, v->quiet_manager);
}

/* --as-of, else PLUMB_DEMO_AS_OF when set and not empty (a test suite pins
 * the demo's week with it), else today. */
static int demo_as_of(struct cli_run *r, struct demo_options *opts)
{
	int rc = cli_opt_time(r, "as-of", &opts->as_of, &opts->has_as_of);
	const char *env = getenv("PLUMB_DEMO_AS_OF");
	if (rc < 0 || opts->has_as_of || !env || !*env)
		return rc;
	struct error e = {0};
	if (ts_parse_strict(env, &opts->as_of, &e) < 0) {
		err_set(&r->err, ERR_USAGE, "PLUMB_DEMO_AS_OF: %s", e.message);
		err_detail(&r->err, "%s", e.detail);
		return ERR_USAGE;
	}
	opts->has_as_of = true;
	return 0;
}

static int cmd_demo(struct cli_run *r)
{
	struct demo_options opts = {0};
	long long people = 0, seed = 1;
	bool given;
	int rc = cli_opt_int(r, "people", 10, 100000, &people, &given);
	if (rc == 0)
		rc = cli_opt_int(r, "seed", 0, INT64_MAX, &seed, &given);
	if (rc < 0)
		return rc;
	opts.people = (int)people;
	opts.seed = (uint64_t)seed;
	opts.data_dir = cli_opt(r, "data-dir");
	opts.org_only = cli_flag(r, "org-only");
	opts.no_reviews = cli_flag(r, "no-reviews");
	if ((rc = demo_as_of(r, &opts)) < 0)
		return rc;
	struct demo_summary s;
	if ((rc = demo_create(r->ctx, &opts, &s, &r->err)) < 0)
		return rc;
	fprintf(r->out,
	        "demo organization created in %s (seed %llu):\n"
	        "  %" PRId64 " people in %" PRId64 " teams (%" PRId64
	        " project team) under %" PRId64 " directors, %" PRId64 " managers\n"
	        "  %" PRId64 " services, %" PRId64 " countries, %" PRId64 " identities, %" PRId64
	        " people moved teams mid-year\n"
	        "  %" PRId64
	        " users (every person is an employee user; managers, leaders and a people "
	        "partner have their roles)\n",
	        ctx_db_url(r->ctx), (unsigned long long)opts.seed, s.people, s.teams,
	        s.project_teams, s.directors, s.managers, s.services, s.countries, s.identities,
	        s.movers, s.users);
	if (!opts.org_only) {
		print_demo_sources(r, &s);
		print_demo_reviews(r, &s);
	}
	const char *db = ctx_db_url(r->ctx), *p = r->global->prog;
	fprintf(r->out,
	        "\ntry:\n"
	        "  %s --db %s org show\n"
	        "  %s --db %s org tree\n"
	        "  %s --db %s person show %s --json\n"
	        "  %s --db %s --as %s person list        # a manager sees their reporting chain\n"
	        "  %s --db %s --as %s person show %s     # refused: outside an employee's scope\n"
	        "  %s --db %s audit log --object person:%s\n"
	        "  %s --db %s events list --kind deployment --limit 5\n"
	        "  %s --db %s identity unmatched\n"
	        "%s"
	        "  %s --db %s audit verify\n",
	        p, db, p, db, p, db, s.sample_employee, p, db, s.sample_manager, p, db,
	        s.sample_employee, s.sample_manager, p, db, s.sample_employee, p, db, p, db,
	        opts.org_only
	                ? ""
	                : arena_printf(r->ctx->arena,
	                               "  %s --db %s dora                      # the four keys "
	                               "with their bands\n"
	                               "  %s --db %s metrics show lead_time --by month\n"
	                               "  %s --db %s explain metric-value:ID   # an id dora "
	                               "printed: the records behind it\n"
	                               "  %s --db %s metrics catalog\n",
	                               p, db, p, db, p, db, p, db),
	        p, db);
	return 0;
}

static const struct cli_opt demo_opts[] = {
        {"people", "N", OPT_VALUE, "number of engineers (default 120)"},
        {"seed", "S", OPT_VALUE,
         "random seed; the same seed gives the same organization (default 1)"},
        {"data-dir", "DIR", OPT_VALUE,
         "where the source files go (default: NAME-data beside a SQLite NAME.db; a "
         "temporary directory, removed, for PostgreSQL)"},
        {"org-only", NULL, 0,
         "the organization only: no sources, source files, events or review cycles"},
        {"no-reviews", NULL, 0, "the organization and its source data, without review cycles"},
        {"as-of", "DATE", OPT_VALUE,
         "the data ends where this day's week (Sunday to Saturday) starts (default: "
         "$PLUMB_DEMO_AS_OF, else today)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt copy_opts[] = {
        {"from", "SRC", OPT_VALUE | OPT_REQUIRED,
         "the database to copy: a SQLite file or postgres://USER@HOST:PORT/DB"},
        {"to", "DST", OPT_VALUE | OPT_REQUIRED,
         "a new SQLite file, or an empty PostgreSQL database (createdb first)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"init", OP_DB_INIT, "", 0, 0, CMD_CREATE_DB, NULL, cmd_init, "create a plumb database",
         "Creates the database (--db, default ./plumb.db) with the current schema and, when "
         "absent, "
         "the audit signing key (mode 0600) that signs checkpoints of the audit chain."},
        {"backup", OP_DB_BACKUP, "FILE", 1, 1, 0, NULL, cmd_backup,
         "write a consistent copy of the database while it is in use",
         "The copy opens with --db FILE as is; its audit chain is verified before this returns."},
        {"db copy", OP_DB_COPY, "", 0, 0, CMD_DB_FROM | CMD_JSON, copy_opts, cmd_copy,
         "copy a whole plumb database between engines (SQLite, PostgreSQL)",
         "Every table is copied in one transaction on the target, each table's row count is "
         "checked on both sides, and the target's audit chain is verified before this "
         "returns. The copy is recorded in the audit chains of both databases. Passwords "
         "come from PGPASSWORD or ~/.pgpass, never from the URL."},
        {"demo", OP_DEMO, "", 0, 0, 0, demo_opts, cmd_demo,
         "create a realistic demo organization (deterministic from --seed)",
         "Run on a fresh database (plumb init first): about 120 engineers in 12 teams under 3 "
         "directors, 25 services, several countries, mid-year team changes, a project team and "
         "identities in GitHub, Jira and PagerDuty; then about six months of GitHub, Jira, "
         "PagerDuty and deploy data written as API pages and ingested through the real "
         "parsers; then, on the example career framework, a finished annual review of "
         "engineering with its calibration session and an open check-in, each step taken as "
         "the person who would take it."},
};

const struct cli_group cli_group_db = {"db", commands, sizeof commands / sizeof commands[0]};
