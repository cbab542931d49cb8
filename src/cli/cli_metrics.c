/* cli_metrics: the metric catalogue (metrics catalog, define, proposals,
 * approve, object, retire, map, unmap, reviewed, review-due, suggest,
 * show-def) and the business objectives (objectives, objectives add). */
#include <inttypes.h>

#include "base/fileio.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "core/ctx.h"
#include "metrics/catalog.h"

#define DEFINE_FILE_MAX ((size_t)1 << 20)

/* "a,b" as a JSON array of strings. */
static void json_list(struct jw *w, const char *key, const char *list)
{
	jw_key(w, key);
	jw_array_begin(w);
	for (const char *p = list ? list : ""; *p;) {
		size_t len = strcspn(p, ",");
		char word[256];
		snprintf(word, sizeof word, "%.*s", (int)len, p);
		jw_str(w, word);
		p += len;
		if (*p == ',')
			p++;
	}
	jw_array_end(w);
}

static void json_strings(struct jw *w, const char *key, const char *const *items, size_t n)
{
	jw_key(w, key);
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, items[i]);
	jw_array_end(w);
}

static void join_strings(struct sb *out, const char *const *items, size_t n, const char *sep)
{
	for (size_t i = 0; i < n; i++)
		sb_printf(out, "%s%s", i ? sep : "", items[i]);
}

/* "a,b" as "a, b". */
static void comma_list(struct sb *out, const char *list)
{
	for (const char *p = list; *p; p++)
		if (*p == ',')
			sb_puts(out, ", ");
		else
			sb_putc(out, *p);
}

/* Whether any stakeholder objected: the proposal is blocked. */
static bool blocked(const struct catalog_entry *e)
{
	for (size_t i = 0; i < e->napprovals; i++)
		if (strcmp(e->approvals[i].decision, "objected") == 0)
			return true;
	return false;
}

static void json_approvals(struct jw *w, const struct catalog_entry *e)
{
	jw_key(w, "approvals");
	jw_array_begin(w);
	for (size_t i = 0; i < e->napprovals; i++) {
		const struct catalog_approval *ap = &e->approvals[i];
		jw_object_begin(w);
		jw_kstr(w, "function", ap->function);
		jw_kstr(w, "decision", ap->decision);
		jw_kstr(w, "reason", ap->reason);
		jw_kstr(w, "decided_by", ap->decided_by);
		jw_key(w, "decided_at");
		jw_time(w, ap->decided_at, ap->decided_by != NULL);
		jw_object_end(w);
	}
	jw_array_end(w);
}

/* The fields every listing shares. */
static void json_def_summary(struct jw *w, const struct catalog_entry *e)
{
	const struct metric_def *d = &e->def;
	jw_kstr(w, "key", d->key);
	jw_kint(w, "version", d->version);
	jw_kstr(w, "name", d->name);
	jw_kstr(w, "status", d->status);
	jw_kstr(w, "indicator", d->indicator);
	jw_kstr(w, "direction", d->direction);
	jw_kstr(w, "unit", d->unit);
	jw_kstr(w, "owner", d->owner);
	json_strings(w, "objectives", e->objectives, e->nobjectives);
	json_list(w, "stages", d->stages);
	json_list(w, "scopes", d->scopes);
	jw_kint(w, "review_interval_days", d->review_interval_days);
	jw_key(w, "next_review");
	jw_date(w, d->next_review, true);
	jw_kbool(w, "incentive_linked", d->incentive_linked);
	jw_kbool(w, "builtin", d->builtin);
	jw_kint(w, "latest_version", e->latest_version);
	jw_kstr(w, "latest_status", e->latest_status);
}

static int cmd_catalog(struct cli_run *r)
{
	struct catalog_entry *items;
	size_t n;
	int rc = catalog_list(r->ctx, &items, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			json_def_summary(&w, &items[i]);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"key",   "version",    "status",     "indicator",
	                                      "owner", "objectives", "next review"};
	struct cli_table t;
	cli_table_init(&t, headers, 7);
	for (size_t i = 0; i < n; i++) {
		const struct catalog_entry *e = &items[i];
		char version[48], status[64], when[TS_BUF];
		snprintf(version, sizeof version, "%d", e->def.version);
		if (e->latest_version != e->def.version)
			snprintf(status, sizeof status, "%s (v%d %s)", e->def.status,
			         e->latest_version, e->latest_status);
		else
			snprintf(status, sizeof status, "%s", e->def.status);
		struct sb objectives = SB_INIT;
		join_strings(&objectives, e->objectives, e->nobjectives, ", ");
		cli_table_add(&t, e->def.key, version, status, e->def.indicator, e->def.owner,
		              objectives.buf, ts_format_date(e->def.next_review, when));
		sb_release(&objectives);
	}
	cli_table_print(r, &t);
	cli_table_release(&t);
	return 0;
}

static int cmd_define(struct cli_run *r)
{
	char *data = NULL;
	size_t len = 0;
	struct catalog_define_result res;
	int rc = file_read(r->pos[0], DEFINE_FILE_MAX, &data, &len, &r->err);
	if (rc == 0)
		rc = catalog_define(r->ctx, r->pos[0], data, len, &res, &r->err);
	free(data);
	if (rc < 0)
		return rc;
	if (res.created)
		fprintf(r->out, "metric %s version %d %s\n", res.key, res.version, res.status);
	else
		fprintf(r->out, "metric %s unchanged (version %d, %s)\n", res.key, res.version,
		        res.status);
	if (res.superseded)
		fprintf(r->out, "replaces the proposal of version %s\n", res.superseded);
	for (size_t i = 0; i < res.nmapped; i++)
		fprintf(r->out, "mapped to objective %s\n", res.mapped[i]);
	if (res.inherited && strcmp(res.status, "proposed") == 0) {
		struct sb all = SB_INIT, added = SB_INIT;
		comma_list(&all, res.approvers);
		comma_list(&added, res.inherited);
		fprintf(r->out,
		        "to approve: %s (%s as a stakeholder function of version %d, in use)\n",
		        all.buf, added.buf, res.in_use);
		sb_release(&all);
		sb_release(&added);
	}
	if (res.created)
		fprintf(r->out,
		        "each stakeholder function approves it with 'plumb metrics approve %s "
		        "--version %d --function NAME'\n",
		        res.key, res.version);
	return 0;
}

static int cmd_proposals(struct cli_run *r)
{
	struct catalog_entry *items;
	size_t n;
	int rc = catalog_proposals(r->ctx, &items, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			json_def_summary(&w, &items[i]);
			json_list(&w, "stakeholders", items[i].def.stakeholders);
			jw_kbool(&w, "blocked", blocked(&items[i]));
			json_approvals(&w, &items[i]);
			jw_kstr(&w, "created_by", items[i].created_by);
			jw_key(&w, "created_at");
			jw_time(&w, items[i].created_at, true);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"key",      "version", "state", "function",
	                                      "decision", "by",      "reason"};
	struct cli_table t;
	cli_table_init(&t, headers, 7);
	for (size_t i = 0; i < n; i++) {
		const struct catalog_entry *e = &items[i];
		char version[24];
		snprintf(version, sizeof version, "%d", e->def.version);
		for (size_t j = 0; j < e->napprovals; j++) {
			const struct catalog_approval *ap = &e->approvals[j];
			cli_table_add(&t, e->def.key, version, blocked(e) ? "blocked" : "proposed",
			              ap->function, ap->decision, ap->decided_by, ap->reason);
		}
	}
	cli_table_print_or(r, &t,
	                   "no proposed definitions (plumb metrics define FILE proposes one)");
	cli_table_release(&t);
	return 0;
}

static int decide(struct cli_run *r, enum catalog_decision decision)
{
	long long version;
	bool given;
	int rc = cli_opt_int(r, "version", 1, 1000000, &version, &given);
	struct catalog_decide_result res;
	if (rc == 0)
		rc = catalog_decide(r->ctx, r->pos[0], (int)version, cli_opt(r, "function"),
		                    decision, cli_opt(r, "reason"), &res, &r->err);
	if (rc < 0)
		return rc;
	const char *function = cli_opt(r, "function");
	if (decision == CATALOG_OBJECT) {
		fprintf(r->out,
		        "%s version %lld: %s objects; the proposal is blocked until %s "
		        "approves\n",
		        r->pos[0], version, function, function);
		return 0;
	}
	if (strcmp(res.status, "active") == 0) {
		char when[TS_BUF];
		fprintf(r->out, "%s version %lld approved by %s: now active", r->pos[0], version,
		        function);
		if (res.deprecated)
			fprintf(r->out, " (version %d deprecated)", res.deprecated);
		fprintf(r->out, "; next review %s\n", ts_format_date(res.next_review, when));
		return 0;
	}
	struct sb pending = SB_INIT;
	join_strings(&pending, res.pending, res.npending, ", ");
	fprintf(r->out, "%s version %lld approved by %s; %s%s\n", r->pos[0], version, function,
	        res.npending ? "waiting for " : "still blocked by an objection",
	        res.npending ? pending.buf : "");
	sb_release(&pending);
	return 0;
}

static int cmd_approve(struct cli_run *r)
{
	return decide(r, CATALOG_APPROVE);
}

static int cmd_object(struct cli_run *r)
{
	return decide(r, CATALOG_OBJECT);
}

static int cmd_retire(struct cli_run *r)
{
	int versions;
	int rc = catalog_retire(r->ctx, r->pos[0], cli_opt(r, "reason"), &versions, &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "metric %s retired (%d %s)\n", r->pos[0], versions,
	        cli_plural(versions, "version", "versions"));
	return 0;
}

static int cmd_map(struct cli_run *r)
{
	bool changed;
	const char *objective = cli_opt(r, "objective");
	int rc = catalog_map(r->ctx, r->pos[0], objective, &changed, &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "metric %s %s objective %s\n", r->pos[0],
	        changed ? "mapped to" : "was already mapped to", objective);
	return 0;
}

static int cmd_unmap(struct cli_run *r)
{
	const char *objective = cli_opt(r, "objective");
	int rc = catalog_unmap(r->ctx, r->pos[0], objective, &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "metric %s no longer mapped to objective %s\n", r->pos[0], objective);
	return 0;
}

static int cmd_reviewed(struct cli_run *r)
{
	struct catalog_review_result res;
	const char *note = cli_opt(r, "note");
	int rc = catalog_reviewed(r->ctx, r->pos[0], note, &res, &r->err);
	if (rc < 0)
		return rc;
	char on[TS_BUF], next[TS_BUF], previous[TS_BUF];
	ts_format_date(res.reviewed_on, on);
	ts_format_date(res.next_review, next);
	ts_format_date(res.previous_next, previous);
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "key", r->pos[0]);
		jw_kint(&w, "version", res.version);
		jw_kstr(&w, "reviewed_on", on);
		jw_kstr(&w, "note", note && *note ? note : NULL);
		jw_kstr(&w, "previous_next_review", previous);
		jw_kint(&w, "review_interval_days", res.review_interval_days);
		jw_kstr(&w, "next_review", next);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out, "metric %s version %d reviewed on %s; next review %s (was %s)\n", r->pos[0],
	        res.version, on, next, previous);
	return 0;
}

static int cmd_review_due(struct cli_run *r)
{
	struct catalog_entry *items;
	size_t n;
	int64_t now = ts_now_ms();
	int rc = catalog_review_due(r->ctx, now, &items, &n, &r->err);
	if (rc < 0)
		return rc;
	int64_t today = ts_day_floor(now);
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			json_def_summary(&w, &items[i]);
			jw_kint(&w, "days_overdue",
			        (today - items[i].def.next_review) / MS_PER_DAY);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"key", "version", "owner", "next review",
	                                      "days overdue"};
	struct cli_table t;
	cli_table_init(&t, headers, 5);
	for (size_t i = 0; i < n; i++) {
		char version[24], when[TS_BUF], days[24];
		snprintf(version, sizeof version, "%d", items[i].def.version);
		snprintf(days, sizeof days, "%" PRId64,
		         (today - items[i].def.next_review) / MS_PER_DAY);
		cli_table_add(&t, items[i].def.key, version, items[i].def.owner,
		              ts_format_date(items[i].def.next_review, when), days);
	}
	cli_table_print_or(r, &t, "no definition is due for review");
	cli_table_release(&t);
	return 0;
}

static void json_suggested(struct jw *w, const char *key, const struct metric_def *defs, size_t n)
{
	jw_key(w, key);
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		jw_object_begin(w);
		jw_kstr(w, "key", defs[i].key);
		jw_kint(w, "version", defs[i].version);
		jw_kstr(w, "name", defs[i].name);
		jw_kstr(w, "unit", defs[i].unit);
		jw_kstr(w, "direction", defs[i].direction);
		jw_kstr(w, "owner", defs[i].owner);
		jw_object_end(w);
	}
	jw_array_end(w);
}

static void print_suggested(FILE *out, const char *title, const struct metric_def *defs, size_t n)
{
	fprintf(out, "%s:\n", title);
	if (n == 0)
		fprintf(out, "  (none)\n");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %-24s %s (%s, %s is better)\n", defs[i].key, defs[i].name,
		        defs[i].unit, defs[i].direction);
}

static int cmd_suggest(struct cli_run *r)
{
	struct catalog_suggestion s;
	const char *service = cli_opt(r, "service"), *audience = cli_opt(r, "audience");
	int rc = catalog_suggest(r->ctx, service, audience, &s, &r->err);
	if (rc < 0)
		return rc;
	char since[TS_BUF];
	ts_format_date(s.stage_since, since);
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "service", service);
		jw_kstr(&w, "stage", s.stage);
		jw_kstr(&w, "stage_since", since);
		jw_kstr(&w, "audience", audience);
		json_suggested(&w, "leading", s.leading, s.nleading);
		json_suggested(&w, "lagging", s.lagging, s.nlagging);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out, "service %s is in stage %s (since %s); for %s:\n", service, s.stage, since,
	        audience);
	print_suggested(r->out, "leading", s.leading, s.nleading);
	print_suggested(r->out, "lagging", s.lagging, s.nlagging);
	return 0;
}

static int cmd_show_def(struct cli_run *r)
{
	long long version = 0;
	bool given;
	struct catalog_entry e;
	int rc = cli_opt_int(r, "version", 1, 1000000, &version, &given);
	if (rc == 0)
		rc = catalog_show(r->ctx, r->pos[0], (int)version, &e, &r->err);
	if (rc < 0)
		return rc;
	const struct metric_def *d = &e.def;
	char when[TS_BUF];
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		json_def_summary(&w, &e);
		jw_kstr(&w, "description", d->description);
		json_list(&w, "audiences", d->audiences);
		json_list(&w, "stakeholders", d->stakeholders);
		jw_key(&w, "formula");
		jw_raw(&w, d->formula);
		jw_kstr(&w, "status_reason", e.status_reason);
		json_approvals(&w, &e);
		jw_kstr(&w, "created_by", e.created_by);
		jw_key(&w, "created_at");
		jw_time(&w, e.created_at, true);
		jw_kstr(&w, "source", e.source_text);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	struct sb objectives = SB_INIT;
	join_strings(&objectives, e.objectives, e.nobjectives, ", ");
	FILE *o = r->out;
	fprintf(o, "%s version %d: %s\n", d->key, d->version, d->name);
	fprintf(o, "  %-22s %s\n", "description", d->description);
	fprintf(o, "  %-22s %s%s%s%s\n", "status", d->status, e.status_reason ? " (" : "",
	        e.status_reason ? e.status_reason : "", e.status_reason ? ")" : "");
	fprintf(o, "  %-22s %s, %s is better\n", "unit", d->unit, d->direction);
	fprintf(o, "  %-22s %s\n", "indicator", d->indicator);
	fprintf(o, "  %-22s %s\n", "stages", d->stages);
	fprintf(o, "  %-22s %s\n", "scopes", d->scopes);
	fprintf(o, "  %-22s %s\n", "audiences", d->audiences);
	fprintf(o, "  %-22s %s\n", "stakeholders", d->stakeholders);
	fprintf(o, "  %-22s %s\n", "owner", d->owner);
	fprintf(o, "  %-22s %s\n", "objectives", objectives.buf);
	fprintf(o, "  %-22s every %d days, next %s\n", "review", d->review_interval_days,
	        ts_format_date(d->next_review, when));
	fprintf(o, "  %-22s %s\n", "incentive linked", d->incentive_linked ? "yes" : "no");
	fprintf(o, "  %-22s %s\n", "formula", d->formula);
	fprintf(o, "  %-22s %s\n", "built in", d->builtin ? "yes" : "no");
	for (size_t i = 0; i < e.napprovals; i++) {
		const struct catalog_approval *ap = &e.approvals[i];
		fprintf(o, "  %-22s %s%s%s%s%s\n", i ? "" : "approvals", ap->function,
		        strcmp(ap->decision, "pending") ? " " : ": ", ap->decision,
		        ap->decided_by ? " by " : "", ap->decided_by ? ap->decided_by : "");
		if (ap->reason)
			fprintf(o, "  %-22s   reason: %s\n", "", ap->reason);
	}
	if (e.latest_version != d->version)
		fprintf(o, "  %-22s version %d is %s\n", "newest", e.latest_version,
		        e.latest_status);
	sb_release(&objectives);
	return 0;
}

static int cmd_objectives(struct cli_run *r)
{
	struct catalog_objective *items;
	size_t n;
	int rc = catalog_objectives(r->ctx, &items, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "name", items[i].name);
			jw_kstr(&w, "description", items[i].description);
			jw_kbool(&w, "builtin", items[i].builtin);
			json_strings(&w, "leading", items[i].leading, items[i].nleading);
			json_strings(&w, "lagging", items[i].lagging, items[i].nlagging);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"objective", "leading", "lagging"};
	struct cli_table t;
	cli_table_init(&t, headers, 3);
	for (size_t i = 0; i < n; i++) {
		struct sb leading = SB_INIT, lagging = SB_INIT;
		join_strings(&leading, items[i].leading, items[i].nleading, ", ");
		join_strings(&lagging, items[i].lagging, items[i].nlagging, ", ");
		cli_table_add(&t, items[i].name, leading.buf, lagging.buf);
		sb_release(&leading);
		sb_release(&lagging);
	}
	cli_table_print(r, &t);
	cli_table_release(&t);
	return 0;
}

static int cmd_objective_add(struct cli_run *r)
{
	int rc = catalog_objective_add(r->ctx, r->pos[0], cli_opt(r, "description"), &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "objective %s added\n", r->pos[0]);
	return 0;
}

static const struct cli_opt show_opts[] = {
        {"version", "N", OPT_VALUE, "this version (default: the one computed, else the newest)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt approve_opts[] = {
        {"version", "N", OPT_VALUE | OPT_REQUIRED, "the proposed version"},
        {"function", "NAME", OPT_VALUE | OPT_REQUIRED,
         "the stakeholder function you approve for (development, operations, ...)"},
        {"reason", "TEXT", OPT_VALUE, "why (recorded)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt object_opts[] = {
        {"version", "N", OPT_VALUE | OPT_REQUIRED, "the proposed version"},
        {"function", "NAME", OPT_VALUE | OPT_REQUIRED, "the stakeholder function you object for"},
        {"reason", "TEXT", OPT_VALUE | OPT_REQUIRED, "what must change (shown in proposals)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt retire_opts[] = {
        {"reason", "TEXT", OPT_VALUE | OPT_REQUIRED, "why it is no longer used (recorded)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt map_opts[] = {
        {"objective", "NAME", OPT_VALUE | OPT_REQUIRED,
         "a known objective ('plumb objectives' lists them)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt unmap_opts[] = {
        {"objective", "NAME", OPT_VALUE | OPT_REQUIRED, "an objective the metric is mapped to"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt reviewed_opts[] = {
        {"note", "TEXT", OPT_VALUE, "what the review found (recorded)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt suggest_opts[] = {
        {"service", "SERVICE", OPT_VALUE | OPT_REQUIRED, "the service (its stage decides)"},
        {"audience", "AUDIENCE", OPT_VALUE | OPT_REQUIRED, "executives, team or individual"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt objective_opts[] = {
        {"description", "TEXT", OPT_VALUE, "what the objective is about"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"metrics catalog", OP_METRIC_CATALOG, "", 0, 0, CMD_JSON | CMD_CSV, NULL, cmd_catalog,
         "list every metric definition: current version, status, owner, objectives, next "
         "review",
         "The current version is the one reports compute (the newest active one); a newer "
         "proposed version shows beside its status."},
        {"metrics show-def", OP_METRIC_SHOW, "KEY", 1, 1, CMD_JSON, show_opts, cmd_show_def,
         "print one metric definition in full, with its approvals", NULL},
        {"metrics define", OP_METRIC_DEFINE, "FILE", 1, 1, 0, NULL, cmd_define,
         "propose a metric definition (or a new version of one) from a YAML file",
         "The file is one mapping:\n"
         "  key: deploy_rework_rate          # lower-case letters, digits, _\n"
         "  name: Deployment rework rate\n"
         "  description: Share of production deployments that were rollbacks.\n"
         "  unit: percent\n"
         "  direction: lower                 # higher or lower is better\n"
         "  indicator: lagging               # leading or lagging\n"
         "  stages: [growth, mature]         # new, growth, mature, sunset (default all)\n"
         "  scopes: [org, team, service]     # individual only when listed (default "
         "org, team, service)\n"
         "  audiences: [executives, team]    # executives, team, individual\n"
         "  stakeholders: [development, operations]   # functions that must approve\n"
         "  owner: platform-team\n"
         "  objectives: [reliability, quality]        # known objectives\n"
         "  review_interval_days: 90         # default 180\n"
         "  incentive_linked: false\n"
         "  formula:                         # one of:\n"
         "    builtin: change_failure_rate   #   a built-in computation, with params:\n"
         "    params: {environments: [production], failure_window_hours: 24}\n"
         "                                   #   environments, statistic or a metrics\n"
         "                                   #   setting's name, checked as it is\n"
         "    # count: deployment            #   or events of a kind (commit, pull_request,\n"
         "    # where: {status: failure}     #   review, deployment, ci_run, incident,\n"
         "                                   #   work_item) filtered on status,\n"
         "                                   #   environment, is_bot\n"
         "Required: key, name, description, unit, direction, indicator, stakeholders, owner, "
         "formula. A definition that differs from the key's newest version becomes a new "
         "version, proposed until each stakeholder function approves; the same definition "
         "again changes nothing. Errors name the file, line and field; nothing is written. "
         "See docs/cli.md and examples/metrics/."},
        {"metrics proposals", OP_METRIC_PROPOSALS, "", 0, 0, CMD_JSON | CMD_CSV, NULL,
         cmd_proposals, "list proposed definitions with each stakeholder function's decision",
         "A proposal with an objection is blocked until that function approves."},
        {"metrics approve", OP_METRIC_APPROVE, "KEY", 1, 1, 0, approve_opts, cmd_approve,
         "approve a proposed version for one stakeholder function",
         "A leader, people partner or admin approves for a function, and one user for one "
         "function of a version; the acting user is recorded. A new version of a key needs "
         "the functions of the version in use too. When the last function approves, the "
         "version becomes active (its next review counted from today) and an earlier "
         "active version deprecated."},
        {"metrics object", OP_METRIC_OBJECT, "KEY", 1, 1, 0, object_opts, cmd_object,
         "object to a proposed version for one stakeholder function, with a reason",
         "A leader, people partner or admin objects for a function, and one user for one "
         "function of a version. The proposal stays blocked until the same function "
         "approves."},
        {"metrics retire", OP_METRIC_RETIRE, "KEY", 1, 1, 0, retire_opts, cmd_retire,
         "retire a metric: no version of it is computed any more", NULL},
        {"metrics map", OP_METRIC_MAP, "KEY", 1, 1, 0, map_opts, cmd_map,
         "map a metric to a business objective", NULL},
        {"metrics unmap", OP_METRIC_UNMAP, "KEY", 1, 1, 0, unmap_opts, cmd_unmap,
         "remove a metric's mapping to a business objective",
         "An objective the metric is not mapped to is exit status 5."},
        {"metrics reviewed", OP_METRIC_REVIEWED, "KEY", 1, 1, CMD_JSON, reviewed_opts, cmd_reviewed,
         "record that the version of a metric in use was reviewed",
         "Its next review moves to today plus its review interval, so it leaves 'plumb "
         "metrics review-due'. A change to the definition is a new version instead "
         "(plumb metrics define)."},
        {"metrics review-due", OP_METRIC_REVIEW_DUE, "", 0, 0, CMD_JSON | CMD_CSV, NULL,
         cmd_review_due, "list definitions whose review date has come, with their owners", NULL},
        {"metrics suggest", OP_METRIC_SUGGEST, "", 0, 0, CMD_JSON, suggest_opts, cmd_suggest,
         "list the leading and lagging metrics fit for a service's stage and an audience",
         "Active definitions whose stages include the service's current stage, whose "
         "audiences include AUDIENCE and whose scopes allow a service."},
        {"objectives", OP_OBJECTIVE_LIST, "", 0, 0, CMD_JSON | CMD_CSV, NULL, cmd_objectives,
         "list the business objectives with their leading and lagging metrics", NULL},
        {"objectives add", OP_OBJECTIVE_ADD, "NAME", 1, 1, 0, objective_opts, cmd_objective_add,
         "add a business objective metrics can map to", NULL},
};

const struct cli_group cli_group_metrics = {"metrics", commands,
                                            sizeof commands / sizeof commands[0]};
