/* cli_ingest: ingest (files), events list, identity unmatched, reconcile,
 * sync (live pulls) and sync --status. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/ts.h"
#include "cli/cli.h"
#include "core/ctx.h"
#include "core/pseudonym.h"
#include "ingest/events.h"
#include "ingest/http.h"
#include "ingest/ingest.h"
#include "ingest/parse.h"
#include "ingest/reconcile.h"
#include "ingest/sync.h"

static void counts_json(struct jw *w, const struct ingest_counts *k)
{
	jw_kint(w, "documents", k->documents);
	jw_kint(w, "records", k->records);
	jw_kint(w, "inserted", k->inserted);
	jw_kint(w, "updated", k->updated);
	jw_kint(w, "unchanged", k->unchanged);
	jw_kint(w, "merged", k->merged);
	jw_kint(w, "moved", k->moved);
	jw_kint(w, "reassigned", k->reassigned); /* of moved: taken from another source */
	jw_kint(w, "services_created", k->services_created);
	jw_kint(w, "repos_renamed", k->repos_renamed);
	jw_kint(w, "unmatched_accounts", k->unmatched_accounts);
	jw_kint(w, "path_only_repos", k->path_only_repos);
	jw_kint(w, "path_only_events", k->path_only_events);
	jw_kint(w, "skipped", k->skipped);
	jw_kint(w, "pseudonymized", k->pseudonymized);
	jw_key(w, "governed");
	jw_array_begin(w);
	for (size_t i = 0; i < k->ngoverned; i++) {
		jw_object_begin(w);
		jw_kstr(w, "mechanism", k->governed[i].mechanism);
		jw_kstr(w, "reason", k->governed[i].reason);
		jw_kint(w, "skipped", k->governed[i].skipped);
		jw_kint(w, "pseudonymized", k->governed[i].pseudonymized);
		jw_object_end(w);
	}
	jw_array_end(w);
}

void cli_print_outcomes(struct cli_run *r, const struct cli_outcomes *o)
{
	fprintf(r->out,
	        "%" PRId64 " new, %" PRId64 " updated, %" PRId64 " unchanged, %" PRId64
	        " merged within the %s",
	        o->inserted, o->updated, o->unchanged, o->merged, o->within);
	if (o->skipped)
		fprintf(r->out, ", %" PRId64 " skipped by policy", o->skipped);
}

static void print_outcomes(struct cli_run *r, const struct ingest_counts *k)
{
	cli_print_outcomes(r, &(struct cli_outcomes){k->inserted, k->updated, k->unchanged,
	                                             k->merged, k->skipped, "run"});
}

/* What the policy kept out or pseudonymized, by mechanism and reason. */
static void print_governed(struct cli_run *r, const char *prefix, const struct ingest_counts *k)
{
	if (!k->ngoverned)
		return;
	fprintf(r->out,
	        "%sby policy: %" PRId64 " %s skipped, %" PRId64 " stored pseudonymized ('plumb "
	        "mechanism list')\n",
	        prefix, k->skipped, cli_plural(k->skipped, "record", "records"), k->pseudonymized);
	for (size_t i = 0; i < k->ngoverned; i++) {
		const struct ingest_governed *g = &k->governed[i];
		fprintf(r->out, "%s  %s: ", prefix, g->mechanism);
		if (g->skipped)
			fprintf(r->out, "%" PRId64 " skipped", g->skipped);
		if (g->pseudonymized)
			fprintf(r->out, "%s%" PRId64 " pseudonymized", g->skipped ? ", " : "",
			        g->pseudonymized);
		fprintf(r->out, " (%s)\n", g->reason);
	}
}

/* What a run did besides its counts: records and repositories that moved
 * upstream, services it made, accounts it matched to nobody.  Ingest and sync
 * both print these, since each is what an admin acts on next. */
static void print_notes(struct cli_run *r, const char *prefix, const struct ingest_counts *k)
{
	/* Two kinds of move: a record that took a new key, and a PagerDuty
	 * incident that came from another source (found hunting: both were
	 * told as the first). */
	int64_t rekeyed = k->moved - k->reassigned;
	if (rekeyed)
		fprintf(r->out,
		        "%s"
		        "%" PRId64 " %s moved upstream (a Jira issue to another project, a pull "
		        "request's repository renamed): updated under the new key\n",
		        prefix, rekeyed, cli_plural(rekeyed, "record", "records"));
	if (k->reassigned)
		fprintf(r->out,
		        "%s"
		        "%" PRId64 " %s reassigned upstream to a service this source reads: moved "
		        "here from another PagerDuty source, updated\n",
		        prefix, k->reassigned, cli_plural(k->reassigned, "incident", "incidents"));
	if (k->repos_renamed)
		fprintf(r->out,
		        "%s"
		        "%" PRId64
		        " %s renamed upstream kept %s service ('plumb service mappings')\n",
		        prefix, k->repos_renamed,
		        cli_plural(k->repos_renamed, "repository", "repositories"),
		        k->repos_renamed == 1 ? "its" : "their");
	if (k->services_created)
		fprintf(r->out,
		        "%s"
		        "%" PRId64 " unmapped %s became %s of %s own, unowned until a team is "
		        "assigned ('plumb service unowned')\n",
		        prefix, k->services_created,
		        cli_plural(k->services_created, "thing", "things"),
		        cli_plural(k->services_created, "a service", "services"),
		        k->services_created == 1 ? "its" : "their");
	if (k->path_only_repos == 1)
		fprintf(r->out,
		        "%s"
		        "%" PRId64 " %s of %s have no service: only paths of it are mapped, and "
		        "events carry no paths ('plumb service map SERVICE --repo %s' maps it as a "
		        "whole)\n",
		        prefix, k->path_only_events,
		        cli_plural(k->path_only_events, "event", "events"), k->path_only_repo,
		        k->path_only_repo);
	else if (k->path_only_repos)
		fprintf(r->out,
		        "%s"
		        "%" PRId64 " %s of %" PRId64
		        " repositories (%s and others) have no service: "
		        "only paths of them are mapped, and events carry no paths ('plumb service "
		        "mappings'; map each as a whole)\n",
		        prefix, k->path_only_events,
		        cli_plural(k->path_only_events, "event", "events"), k->path_only_repos,
		        k->path_only_repo);
	if (k->unmatched_accounts)
		fprintf(r->out, "%s%" PRId64 " %s matched to nobody: 'plumb identity unmatched'\n",
		        prefix, k->unmatched_accounts,
		        cli_plural(k->unmatched_accounts, "account", "accounts"));
}

static int cmd_ingest(struct cli_run *r)
{
	struct ingest_files_opts o = {
	        .source = cli_opt(r, "source"),
	        .format = cli_opt(r, "format"),
	        .event_name = cli_opt(r, "event"),
	        .paths = r->pos,
	        .npaths = (size_t)r->npos,
	};
	struct ingest_counts k;
	int64_t run_id;
	int rc = ingest_files(r->ctx, &o, &k, &run_id, &r->err);
	if (rc < 0)
		return rc;
	/* For make bench: where the time went, on stderr. */
	if (getenv("PLUMB_INGEST_TIMING"))
		fprintf(stderr, "staging %.3f s, publishing %.3f s\n", k.staging_s, k.publish_s);
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "source", o.source);
		jw_kint(&w, "run", run_id);
		counts_json(&w, &k);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out, "ingested %" PRId64 " %s from %" PRId64 " %s into %s (run %" PRId64 "): ",
	        k.records, cli_plural(k.records, "record", "records"), k.documents,
	        cli_plural(k.documents, "document", "documents"), o.source, run_id);
	print_outcomes(r, &k);
	fputc('\n', r->out);
	print_notes(r, "", &k);
	print_governed(r, "", &k);
	return 0;
}

static void opt_time(struct jw *w, const char *key, int64_t ms, bool has)
{
	jw_key(w, key);
	jw_time(w, ms, has);
}

static int cmd_events_list(struct cli_run *r)
{
	struct events_filter f = {.source = cli_opt(r, "source"), .service = cli_opt(r, "service")};
	long long limit = 10000;
	bool given;
	int rc = event_kind_parse(cli_opt(r, "kind"), &f.kind, &r->err);
	if (rc < 0) {
		r->err.code = ERR_USAGE;
		return ERR_USAGE;
	}
	if ((rc = cli_opt_time(r, "since", &f.since, &f.has_since)) < 0 ||
	    (rc = cli_opt_time(r, "until", &f.until, &f.has_until)) < 0 ||
	    (rc = cli_opt_int(r, "limit", 0, INT64_MAX, &limit, &given)) < 0)
		return rc;
	f.limit = limit;
	struct event_row *rows;
	size_t n;
	int64_t total;
	rc = events_list(r->ctx, &f, &rows, &n, &total, &r->err);
	if (rc < 0)
		return rc;
	if ((int64_t)n < total)
		cli_note("showing the first %zu of %" PRId64 " events; --limit 0 shows all", n,
		         total);
	char t1[TS_BUF], t2[TS_BUF];
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			const struct event_row *e = &rows[i];
			if (e->attrs_unreadable)
				cli_warn("%s %s of source %s: its stored attrs are not a JSON "
				         "object; "
				         "listed as null",
				         e->kind, e->external_id, e->source);
			jw_object_begin(&w);
			jw_kint(&w, "id", e->id);
			jw_kstr(&w, "kind", e->kind);
			jw_kstr(&w, "source", e->source);
			jw_kstr(&w, "external_id", e->external_id);
			jw_kstr(&w, "service", e->service);
			jw_kstr(&w, "team", e->team);
			jw_kstr(&w, "person", e->person);
			jw_kstr(&w, "account_system", e->account_system);
			jw_kstr(&w, "account", e->account);
			jw_kbool(&w, "bot", e->bot);
			opt_time(&w, "occurred_at", e->occurred_at, true);
			opt_time(&w, "ended_at", e->ended_at, e->has_ended);
			opt_time(&w, "updated_at", e->updated_at, e->has_updated);
			jw_kstr(&w, "status", e->status);
			jw_kstr(&w, "environment", e->environment);
			jw_kstr(&w, "sha", e->sha);
			jw_kstr(&w, "ref", e->ref);
			jw_kstr(&w, "number", e->number);
			jw_kstr(&w, "title", e->title);
			jw_kstr(&w, "url", e->url);
			jw_kstr(&w, "parent_id", e->parent_id);
			jw_key(&w, "attrs");
			if (e->attrs)
				jw_raw(&w, e->attrs);
			else
				jw_null(&w);
			jw_kint(&w, "version", e->version);
			jw_kint(&w, "raw_id", e->raw_id);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	/* event is plumb's id, which evaluations and calibration cite; id the source's. */
	static const char *const headers[] = {"event",   "occurred", "kind", "source",
	                                      "id",      "service",  "team", "person",
	                                      "account", "status",   "ended"};
	struct cli_table t;
	cli_table_init(&t, headers, sizeof headers / sizeof *headers);
	for (size_t i = 0; i < n; i++) {
		const struct event_row *e = &rows[i];
		char id[24];
		snprintf(id, sizeof id, "%" PRId64, e->id);
		/* The person and the account apart, as --json gives them: an
		 * account matched to nobody is no person. */
		cli_table_add(&t, id, ts_format(e->occurred_at, t1), e->kind, e->source,
		              e->external_id, e->service, e->team, e->person, e->account, e->status,
		              e->has_ended ? ts_format(e->ended_at, t2) : NULL);
	}
	bool filtered = f.source || f.service || f.has_since || f.has_until;
	char none[160];
	snprintf(none, sizeof none, "no %s events %s", cli_opt(r, "kind"),
	         filtered ? "match" : "yet (plumb sync, plumb ingest or a webhook brings them)");
	cli_table_print_or(r, &t, none);
	cli_table_release(&t);
	return 0;
}

static int cmd_identity_unmatched(struct cli_run *r)
{
	struct unmatched_account *rows;
	size_t n;
	int rc = identity_unmatched(r->ctx, cli_flag(r, "bots"), &rows, &n, &r->err);
	if (rc < 0)
		return rc;
	char t1[TS_BUF], t2[TS_BUF];
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "system", rows[i].system);
			jw_kstr(&w, "login", rows[i].login);
			jw_kstr(&w, "name", rows[i].name);
			jw_kstr(&w, "email", rows[i].email);
			jw_kbool(&w, "bot", rows[i].bot);
			jw_kint(&w, "events", rows[i].events);
			jw_kstr(&w, "first_seen", ts_format(rows[i].first, t1));
			jw_kstr(&w, "last_seen", ts_format(rows[i].last, t2));
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	/* With --bots, a column says which are bots, as --json's bot does. */
	bool bots = cli_flag(r, "bots");
	static const char *const headers[] = {"system", "login",  "name",
	                                      "email",  "events", "last seen"};
	static const char *const bot_headers[] = {"system", "login",  "name",     "email",
	                                          "bot",    "events", "last seen"};
	struct cli_table t;
	if (bots)
		cli_table_init(&t, bot_headers, sizeof bot_headers / sizeof *bot_headers);
	else
		cli_table_init(&t, headers, sizeof headers / sizeof *headers);
	for (size_t i = 0; i < n; i++) {
		char count[24];
		snprintf(count, sizeof count, "%" PRId64, rows[i].events);
		if (bots)
			cli_table_add(&t, rows[i].system, rows[i].login, rows[i].name,
			              rows[i].email, rows[i].bot ? "yes" : "no", count,
			              ts_format(rows[i].last, t2));
		else
			cli_table_add(&t, rows[i].system, rows[i].login, rows[i].name,
			              rows[i].email, count, ts_format(rows[i].last, t2));
	}
	cli_table_print_or(r, &t,
	                   bots ? "every account seen in events is matched to a person"
	                        : "every account seen in events, bots aside, is matched to a "
	                          "person (--bots lists the bots)");
	cli_table_release(&t);
	if (n && !r->global->csv) {
		fprintf(r->out, "link each with 'plumb identity link SYSTEM LOGIN --person ID'\n");
		bool pseudonyms = false;
		for (size_t i = 0; i < n && !pseudonyms; i++)
			pseudonyms = pseudonym_account_shaped(rows[i].login);
		if (pseudonyms)
			fprintf(r->out,
			        "H<generation>-... are accounts the policy holds pseudonymized: "
			        "link the account's own login or email, and its events under "
			        "the pseudonym are resolved with it\n");
	}
	return 0;
}

/* Rate-limit waits and backoff: every wait on a terminal (over the
 * progress line); elsewhere (cron, a pipe) the waits of 10 s or more, so a
 * run that sleeps for long says so (found in review: silent), and every
 * retry after a failed attempt, which may have taken a minute itself (found
 * in acceptance: a server that never answered kept a sync silent for five
 * minutes). */
#define SYNC_WAIT_SAID_MS 10000
static void show_wait(void *data, const char *source, const char *why, int64_t ms, bool retry)
{
	(void)data;
	bool tty = isatty(STDERR_FILENO);
	/* why says how long itself ("retry 2 of 5 in 1.2 s", "waiting 30 s"). */
	if (tty || retry || ms >= SYNC_WAIT_SAID_MS)
		fprintf(stderr, "%splumb: sync %s: %s%s\n", tty ? "\r" : "", source, why,
		        tty ? "\033[K" : "");
}

/* Pages and records read so far, on a terminal only: one line rewritten
 * in place (sources syncing side by side take turns on it), cleared
 * before the summary. */
static void show_page(void *data, const char *source, int64_t pages, int64_t records)
{
	(void)data;
	fprintf(stderr, "\rplumb: sync %s: %" PRId64 " %s, %" PRId64 " %s\033[K", source, pages,
	        cli_plural(pages, "page", "pages"), records,
	        cli_plural(records, "record", "records"));
	fflush(stderr);
}

/* A run still staging, which the table's last run (finished runs only)
 * leaves out: going on, or left behind by a process that ended. */
static void print_staging(FILE *out, const struct sync_status *x)
{
	const struct sync_status_staging *g = &x->staging;
	char at[TS_BUF];
	fprintf(out, "%s: run %" PRId64 " (%s) %s since %s: %" PRId64 " %s, %" PRId64 " %s %s\n",
	        x->source, g->id, g->mode, g->live ? "staging" : "left staging",
	        ts_format(g->started_at, at), g->pages, cli_plural(g->pages, "page", "pages"),
	        g->records, cli_plural(g->records, "record", "records"),
	        g->live ? "so far"
	                : "staged; its process ended, and the next run of the source "
	                  "records it failed and removes them");
}

static int cmd_sync_status(struct cli_run *r)
{
	struct sync_status *rows;
	size_t n;
	int rc = sync_status(r->ctx, &rows, &n, &r->err);
	if (rc < 0)
		return rc;
	char t1[TS_BUF], t2[TS_BUF];
	int64_t now = ts_clock_ms();
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			const struct sync_status *x = &rows[i];
			jw_object_begin(&w);
			jw_kstr(&w, "source", x->source);
			jw_kstr(&w, "kind", x->kind);
			jw_key(&w, "last_run");
			if (x->has_last) {
				jw_object_begin(&w);
				jw_kint(&w, "id", x->last_run);
				jw_kstr(&w, "mode", x->last_mode);
				jw_kstr(&w, "status", x->last_status);
				jw_kstr(&w, "started_at", ts_format(x->last_started, t1));
				jw_kstr(&w, "finished_at", ts_format(x->last_finished, t2));
				jw_kint(&w, "duration_ms", x->last_finished - x->last_started);
				jw_kint(&w, "records", x->last_records);
				jw_kint(&w, "requests", x->last_requests);
				jw_kint(&w, "not_modified", x->last_not_modified);
				jw_kstr(&w, "error", x->last_error);
				jw_object_end(&w);
			} else {
				jw_null(&w);
			}
			jw_key(&w, "last_published_at");
			jw_time(&w, x->published_at, x->has_published);
			jw_kint(&w, "events", x->events);
			jw_key(&w, "newest_event_at");
			jw_time(&w, x->newest_event, x->has_newest);
			jw_key(&w, "freshness_seconds");
			if (x->has_published)
				jw_int(&w, (now - x->published_at) / 1000);
			else
				jw_null(&w);
			jw_key(&w, "resources");
			jw_array_begin(&w);
			for (size_t k = 0; k < x->nresources; k++) {
				jw_object_begin(&w);
				jw_kstr(&w, "resource", x->resources[k].resource);
				jw_kstr(&w, "cursor", x->resources[k].cursor);
				jw_kbool(&w, "etag", x->resources[k].has_etag);
				jw_kstr(&w, "updated_at",
				        ts_format(x->resources[k].updated_at, t1));
				jw_kbool(&w, "in_scope", x->resources[k].in_scope);
				jw_object_end(&w);
			}
			jw_array_end(&w);
			source_pause_json(&w, "paused", &x->paused);
			jw_key(&w, "last_sync");
			if (x->has_last_sync) {
				jw_object_begin(&w);
				jw_kint(&w, "id", x->last_sync.id);
				jw_kstr(&w, "status", x->last_sync.status);
				jw_kstr(&w, "started_at", ts_format(x->last_sync.started_at, t1));
				jw_kstr(&w, "finished_at", ts_format(x->last_sync.finished_at, t2));
				jw_kstr(&w, "error", x->last_sync.error);
				jw_object_end(&w);
			} else {
				jw_null(&w);
			}
			jw_key(&w, "staging_run");
			if (x->has_staging) {
				jw_object_begin(&w);
				jw_kint(&w, "id", x->staging.id);
				jw_kstr(&w, "mode", x->staging.mode);
				jw_kstr(&w, "started_at", ts_format(x->staging.started_at, t1));
				jw_kint(&w, "pages", x->staging.pages);
				jw_kint(&w, "records", x->staging.records);
				jw_kbool(&w, "live", x->staging.live);
				jw_object_end(&w);
			} else {
				jw_null(&w);
			}
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"source",       "kind",    "last run", "status",
	                                      "duration",     "records", "requests", "published",
	                                      "newest event", "paused"};
	struct cli_table t;
	cli_table_init(&t, headers, sizeof headers / sizeof *headers);
	for (size_t i = 0; i < n; i++) {
		const struct sync_status *x = &rows[i];
		char recs[24], reqs[24], dur[32], when[TS_BUF], paused[TS_BUF];
		snprintf(recs, sizeof recs, "%" PRId64, x->last_records);
		snprintf(reqs, sizeof reqs, "%" PRId64, x->last_requests);
		snprintf(dur, sizeof dur, "%.1f s",
		         (double)(x->last_finished - x->last_started) / 1000.0);
		cli_table_add(&t, x->source, x->kind,
		              x->has_last ? ts_format(x->last_finished, t1) : "never",
		              x->has_last ? x->last_status : NULL, x->has_last ? dur : NULL,
		              x->has_last ? recs : NULL, x->has_last ? reqs : NULL,
		              x->has_published ? ts_format(x->published_at, t2) : NULL,
		              x->has_newest ? ts_format(x->newest_event, when) : NULL,
		              x->paused.at ? ts_format(x->paused.at, paused) : NULL);
	}
	cli_table_print_or(r, &t, "no sources yet (plumb source add KIND --name NAME)");
	cli_table_release(&t);
	for (size_t i = 0; i < n && !r->global->csv; i++) {
		const struct sync_status *x = &rows[i];
		if (x->has_last && x->last_error)
			cli_print_visible(r->out, "%s: last run failed: %s", x->source,
			                  x->last_error);
		if (x->has_last_sync && x->last_sync.id != x->last_run && x->last_sync.error)
			cli_print_visible(r->out, "%s: last sync (run %" PRId64 ", %s) failed: %s",
			                  x->source, x->last_sync.id,
			                  ts_format(x->last_sync.finished_at, t1),
			                  x->last_sync.error);
		if (x->has_staging)
			print_staging(r->out, x);
	}
	for (size_t i = 0; i < n && !r->global->csv; i++)
		if (rows[i].paused.at)
			fprintf(r->out,
			        "%s: paused %s; not synced until 'plumb source resume %s'\n",
			        rows[i].source, source_pause_text(r->ctx->arena, &rows[i].paused),
			        rows[i].source);
	/* The cursors each source's next sync starts from, as the help says
	 * (found in acceptance: only --json showed them); CSV keeps one table. */
	static const char *const rheaders[] = {"source", "resource", "cursor",
	                                       "etag",   "updated",  "in scope"};
	size_t nres = 0;
	for (size_t i = 0; i < n; i++)
		nres += rows[i].nresources;
	if (nres && !r->global->csv) {
		cli_table_init(&t, rheaders, sizeof rheaders / sizeof *rheaders);
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < rows[i].nresources; k++) {
				const struct sync_status_resource *x = &rows[i].resources[k];
				cli_table_add(&t, rows[i].source, x->resource, x->cursor,
				              x->has_etag ? "yes" : "no",
				              ts_format(x->updated_at, t1),
				              x->in_scope ? "yes" : "no (not synced)");
			}
		fputc('\n', r->out);
		cli_table_print(r, &t);
		cli_table_release(&t);
	}
	return 0;
}

/* The longest a sync's source waits in all: a week at most, so that a
 * typo of one digit too many is refused rather than waited out. */
#define SYNC_MAX_WAIT_MAX_S (7 * 24 * 3600)

/* --max-wait, else $PLUMB_SYNC_MAX_WAIT, else 0 (sync's default): whole
 * seconds, as ms. */
static int sync_max_wait(struct cli_run *r, int64_t *ms)
{
	const char *opt = cli_opt(r, "max-wait"), *env = getenv("PLUMB_SYNC_MAX_WAIT");
	const char *text = opt ? opt : env && *env ? env : NULL;
	*ms = 0;
	if (!text)
		return 0;
	char *end = NULL;
	errno = 0;
	long long n = strtoll(text, &end, 10);
	if (!cli_number_start(text) || errno || *end || n < 1 || n > SYNC_MAX_WAIT_MAX_S) {
		cli_usage_error(&r->err, "%s: '%s' is not a number of seconds from 1 to %d",
		                opt ? "--max-wait" : "PLUMB_SYNC_MAX_WAIT", text,
		                SYNC_MAX_WAIT_MAX_S);
		return ERR_USAGE;
	}
	*ms = n * 1000;
	return 0;
}

static int cmd_sync(struct cli_run *r)
{
	bool tty = isatty(STDERR_FILENO);
	/* Its own line per source (show_page) is sync's progress: the generic
	 * one would show each source's publish as a line of its own naming no
	 * source, "publish: 0/1 (0%)", and clear the sources' line after it. */
	r->ctx->progress = NULL;
	struct sync_opts o = {.sources = r->pos,
	                      .nsources = (size_t)r->npos,
	                      .on_wait = show_wait,
	                      .on_page = tty ? show_page : NULL};
	bool given;
	long long backoff = 0;
	char when[TS_BUF];
	int rc = cli_opt_time(r, "since", &o.first_since, &given);
	/* A first sync from the future would read nothing and still set cursors
	 * (a pull request's page, not its reviews), which a later --since does
	 * not move back: refused, as the typo it is. */
	if (rc == 0 && given && o.first_since > ts_now_ms()) {
		rc = err_set(&r->err, ERR_USAGE, "--since: '%s' is in the future",
		             cli_opt(r, "since"));
		err_hint(&r->err, "a first sync reads from --since to now; nothing was read");
	}
	if (rc == 0)
		rc = sync_max_wait(r, &o.max_wait_ms);
	if (rc == 0 && getenv("PLUMB_SYNC_BACKOFF_MS"))
		backoff = strtoll(getenv("PLUMB_SYNC_BACKOFF_MS"), NULL, 10);
	o.backoff_ms = backoff;
	struct sync_result *res = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = sync_sources(r->ctx, &o, &res, &n, &r->err);
	if (tty && n)
		fputs("\r\033[K", stderr);
	/* --since is where a first sync starts: said when it was not used, so
	 * that asking for older data does not look done (found in acceptance). */
	for (size_t i = 0; i < n && given; i++)
		if (res[i].resumed)
			cli_warn("%s: --since applies to resources never synced; those synced "
			         "before went on from their cursors",
			         res[i].source);
	for (size_t i = 0; i < n; i++) {
		const char **said;
		size_t nsaid = sync_warnings(&res[i], r->ctx->arena, &said);
		for (size_t k = 0; k < nsaid; k++)
			cli_warn("%s", said[k]);
	}
	if (rc < 0 && n == 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "source", res[i].source);
			jw_kstr(&w, "kind", res[i].kind);
			jw_kstr(&w, "status",
			        res[i].paused_at ? "paused"
			        : res[i].skipped ? "skipped"
			        : res[i].ok      ? "ok"
			                         : "failed");
			jw_kstr(&w, "error", res[i].ok ? NULL : res[i].err.message);
			/* What the text's error line gives after its message (found
			 * hunting: a script saw the message alone). */
			jw_kstr(&w, "error_detail",
			        !res[i].ok && res[i].err.detail[0] ? res[i].err.detail : NULL);
			jw_kstr(&w, "error_hint",
			        !res[i].ok && res[i].err.hint[0] ? res[i].err.hint : NULL);
			jw_key(&w, "run"); /* null for a source no run was made for */
			if (res[i].run_id)
				jw_int(&w, res[i].run_id);
			else
				jw_null(&w);
			jw_kint(&w, "duration_ms", res[i].duration_ms);
			jw_kint(&w, "requests", res[i].counts.requests);
			jw_kint(&w, "not_modified", res[i].counts.not_modified);
			counts_json(&w, &res[i].counts);
			jw_key(&w, "repositories_skipped");
			jw_array_begin(&w);
			for (size_t k = 0; k < res[i].nrepos_skipped; k++) {
				jw_object_begin(&w);
				jw_kstr(&w, "repository", res[i].repos_skipped[k].repo);
				jw_kint(&w, "status", res[i].repos_skipped[k].status);
				jw_object_end(&w);
			}
			jw_array_end(&w);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
	} else {
		if (n == 0)
			fprintf(r->out,
			        "no sources to sync: add one with 'plumb source add KIND --name "
			        "NAME ...'\n");
		for (size_t i = 0; i < n; i++) {
			const struct sync_result *x = &res[i];
			if (x->paused_at)
				fprintf(r->out,
				        "%s: paused since %s, not synced ('plumb source resume "
				        "%s')\n",
				        x->source, ts_format(x->paused_at, when), x->source);
			else if (x->skipped)
				fprintf(r->out,
				        "%s: skipped (a %s source is fed by files and webhooks)\n",
				        x->source, x->kind);
			else if (x->ok) {
				fprintf(r->out,
				        "%s: %" PRId64 " %s (%" PRId64 " not modified), %" PRId64
				        " records: ",
				        x->source, x->counts.requests,
				        cli_plural(x->counts.requests, "request", "requests"),
				        x->counts.not_modified, x->counts.records);
				print_outcomes(r, &x->counts);
				fprintf(r->out, ", in %.1f s\n", (double)x->duration_ms / 1000.0);
			}
			if (x->ok && !x->skipped) {
				print_notes(r, "  ", &x->counts);
				print_governed(r, "  ", &x->counts);
			}
			if (!x->ok)
				cli_print_visible(r->out, "%s: failed: %s", x->source,
				                  x->err.message);
		}
	}
	return rc;
}

static int cmd_reconcile(struct cli_run *r)
{
	struct reconcile_source *src;
	struct reconcile_mismatch *mm;
	size_t n, nm;
	struct reconcile_reporting rep;
	int rc = reconcile(r->ctx, r->npos ? r->pos[0] : NULL, &src, &n, &mm, &nm, &rep, &r->err);
	if (rc < 0)
		return rc;
	int64_t total = rep.unattributed;
	for (size_t i = 0; i < n; i++)
		total += src[i].mismatches;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kint(&w, "mismatches", total);
		jw_key(&w, "sources");
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "source", src[i].source);
			jw_kint(&w, "raw_payloads", src[i].raw_payloads);
			jw_kint(&w, "raw_records", src[i].raw_records);
			jw_kint(&w, "distinct_records", src[i].distinct_records);
			jw_kint(&w, "events", src[i].events);
			jw_kint(&w, "runs_with_totals", src[i].runs_checked);
			jw_kint(&w, "mismatches", src[i].mismatches);
			jw_kint(&w, "deleted_by_retention", src[i].retained_away);
			jw_kint(&w, "withheld_by_policy", src[i].withheld);
			jw_kint(&w, "moved_upstream", src[i].moved);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		jw_key(&w, "reporting");
		jw_object_begin(&w);
		jw_kstr(&w, "commit_packs", rep.packs);
		jw_kint(&w, "commits_in_events", rep.commits_in_events);
		jw_key(&w, "commits_in_packs");
		if (rep.commits_in_packs < 0)
			jw_null(&w);
		else
			jw_int(&w, rep.commits_in_packs);
		jw_kint(&w, "mismatches", rep.mismatches);
		jw_object_end(&w);
		jw_key(&w, "details");
		jw_array_begin(&w);
		for (size_t i = 0; i < nm; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "source", mm[i].source);
			jw_kstr(&w, "check", mm[i].check);
			jw_kstr(&w, "message", mm[i].message);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
	} else {
		for (size_t i = 0; i < n; i++) {
			fprintf(r->out,
			        "%s: %" PRId64 " raw %s, %" PRId64 " %s (%" PRId64
			        " distinct), %" PRId64 " %s: %" PRId64 " %s",
			        src[i].source, src[i].raw_payloads,
			        cli_plural(src[i].raw_payloads, "payload", "payloads"),
			        src[i].raw_records,
			        cli_plural(src[i].raw_records, "record", "records"),
			        src[i].distinct_records, src[i].events,
			        cli_plural(src[i].events, "event", "events"), src[i].mismatches,
			        cli_plural(src[i].mismatches, "mismatch", "mismatches"));
			if (src[i].retained_away)
				fprintf(r->out, " (%" PRId64 " %s deleted by retention)",
				        src[i].retained_away,
				        cli_plural(src[i].retained_away, "record", "records"));
			if (src[i].withheld)
				fprintf(r->out,
				        " (%" PRId64 " %s withheld by the governance policy)",
				        src[i].withheld,
				        cli_plural(src[i].withheld, "record", "records"));
			if (src[i].moved)
				fprintf(r->out, " (%" PRId64 " %s moved upstream%s)", src[i].moved,
				        cli_plural(src[i].moved, "record", "records"),
				        src[i].kind && !strcmp(src[i].kind, "pagerduty")
				                ? " to another PagerDuty source, which holds it now"
				                : ", in events under the new key");
			fputc('\n', r->out);
		}
		if (strcmp(rep.packs, "not kept") == 0)
			fprintf(r->out,
			        "reporting: the commit packs are not kept (the four keys read "
			        "the events): nothing to compare\n");
		else if (strcmp(rep.packs, "damaged") == 0)
			fprintf(r->out,
			        "reporting: %" PRId64
			        " %s in events; the commit packs the four keys "
			        "read could not be read: %" PRId64 " %s\n",
			        rep.commits_in_events,
			        cli_plural(rep.commits_in_events, "commit", "commits"),
			        rep.mismatches,
			        cli_plural(rep.mismatches, "mismatch", "mismatches"));
		else
			fprintf(r->out,
			        "reporting: %" PRId64 " %s in events, %" PRId64
			        " in the commit packs the four keys read: %" PRId64 " %s\n",
			        rep.commits_in_events,
			        cli_plural(rep.commits_in_events, "commit", "commits"),
			        rep.commits_in_packs, rep.mismatches,
			        cli_plural(rep.mismatches, "mismatch", "mismatches"));
		for (size_t i = 0; i < nm; i++)
			fprintf(r->out, "  %s: %s: %s\n",
			        mm[i].source ? mm[i].source : "(no source)", mm[i].check,
			        mm[i].message);
	}
	if (total) {
		r->found_status = 1; /* the report is the answer (cli.h) */
		return err_set(&r->err, ERR_FAILED, "%" PRId64 " %s", total,
		               cli_plural(total, "mismatch", "mismatches"));
	}
	return 0;
}

static const struct cli_opt ingest_opts[] = {
        {"source", "NAME", OPT_VALUE | OPT_REQUIRED, "the source the files came from"},
        {"format", "FORMAT", OPT_VALUE,
         "the files' format, one of the source kind's below (default: detected per file)"},
        {"event", "NAME", OPT_VALUE,
         "the webhook event of every file (the X-GitHub-Event header), when they are "
         "webhook bodies"},
        {NULL, NULL, 0, NULL},
};

static void print_format(void *data, const struct parse_format *f)
{
	fprintf(data, "  %-27s %-10s %s\n", f->name, f->source_kind, f->help);
}

void cli_ingest_formats_help(FILE *out)
{
	fprintf(out, "formats (--format):\n");
	parse_format_each(print_format, out);
}

static const struct cli_opt events_opts[] = {
        {"kind", "KIND", OPT_VALUE | OPT_REQUIRED,
         "commit, pull_request, review, deployment, ci_run, incident or work_item"},
        {"source", "NAME", OPT_VALUE, "only this source's events"},
        {"service", "NAME", OPT_VALUE, "only this service's events"},
        {"since", "TIME", OPT_VALUE, "occurred at or after TIME (RFC 3339 or YYYY-MM-DD)"},
        {"until", "TIME", OPT_VALUE, "occurred before TIME"},
        {"limit", "N", OPT_VALUE, "at most N events, oldest first (default 10000; 0: all)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt unmatched_opts[] = {
        {"bots", NULL, 0, "list bot accounts too"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt sync_opts[] = {
        {"since", "TIME", OPT_VALUE,
         "where a first sync of a resource starts (default: 180 days ago)"},
        {"max-wait", "SECONDS", OPT_VALUE,
         "the longest each source's run waits in all for rate limits and retries, "
         "and over 3900 also at once (default $PLUMB_SYNC_MAX_WAIT, else 7200)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"ingest", OP_INGEST, "PATH...", 1, INT32_MAX, CMD_JSON, ingest_opts, cmd_ingest,
         "read exported API pages or webhook bodies from files",
         "Each file is one API page or one webhook body, in the source's real format; a "
         "directory stands for the files in it.  All or nothing: a bad file publishes "
         "nothing and names the file, the field and what was expected.  Ingesting the same "
         "files again changes nothing; an edited record is updated and its earlier version "
         "kept."},
        {"events list", OP_EVENTS_LIST, "", 0, 0, CMD_JSON | CMD_CSV, events_opts, cmd_events_list,
         "list normalized events of one kind",
         "Times are UTC.  person is the employee id behind the account, or null when the "
         "account is matched to nobody or the person is outside what you may see."},
        {"identity unmatched", OP_IDENTITY_UNMATCHED, "", 0, 0, CMD_JSON | CMD_CSV, unmatched_opts,
         cmd_identity_unmatched, "list source accounts matched to nobody",
         "Accounts seen in events that no identity or email ties to a person, most active "
         "first.  Their events are kept; linking the account attributes them."},
        {"sync", OP_INGEST, "[NAME...]", 0, INT32_MAX, CMD_JSON, sync_opts, cmd_sync,
         "pull new data from the sources' APIs",
         "Each source (all when none is named) is read page by page from its cursor and "
         "published at the end of its run, all or nothing; a failing source does not stop "
         "the others.  The token comes from the source's --token-env variable.  'plumb "
         "sync --status' shows each source's last run, cursors and freshness."},
        {"reconcile", OP_RECONCILE, "[NAME]", 0, 1, CMD_JSON, NULL, cmd_reconcile,
         "check sources, raw payloads and events against each other",
         "For each source (or NAME): a sync run's pages against the totals the API "
         "declared; every raw payload against its SHA-256 and its record count when read; "
         "the records the raw payloads hold against the events table, both ways; each "
         "event's raw payload; and the events against what the reporting layer reads of "
         "them (the commit graph the four keys read).  Prints each mismatch and exits 1 "
         "when there is one."},
        {"sync --status", OP_SYNC_STATUS, "", 0, 0, CMD_JSON | CMD_CSV, NULL, cmd_sync_status,
         "show each source's last sync, cursors and data freshness",
         "Per source: the last run (sync, file or webhook) with its outcome, duration, "
         "records and requests, when data was last published and the newest event's time "
         "(--json: how many events it holds); a run still staging, going on or left behind "
         "by a process that ended; per resource: the cursor the next sync starts from and "
         "when it last moved."},
};

const struct cli_group cli_group_ingest = {"ingest", commands,
                                           sizeof commands / sizeof commands[0]};
