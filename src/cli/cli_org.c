/* cli_org: org import/show/tree, person show/list, identity resolve/link/unlink, service
 * set/list. */
#include <inttypes.h>

#include "base/ts.h"
#include "cli/cli.h"
#include "core/ctx.h"
#include "core/identities.h"
#include "core/org.h"
#include "metrics/catalog.h"

static int cmd_org_import(struct cli_run *r)
{
	struct org_import_options opts = {0};
	bool given;
	int rc = cli_opt_time(r, "effective", &opts.effective, &given);
	if (rc < 0)
		return rc;
	opts.full = cli_flag(r, "full");
	opts.dry_run = cli_flag(r, "dry-run");
	enum org_format format = ORG_FORMAT_AUTO;
	const char *f = cli_opt(r, "format");
	if (f && strcmp(f, "csv") == 0)
		format = ORG_FORMAT_CSV;
	else if (f && strcmp(f, "yaml") == 0)
		format = ORG_FORMAT_YAML;
	else if (f) {
		err_set(&r->err, ERR_USAGE, "--format: '%s' is not a format; expected csv or yaml",
		        f);
		return ERR_USAGE;
	}
	struct org_import_summary s;
	if ((rc = org_import_file(r->ctx, r->pos[0], format, &opts, &s, &r->err)) < 0)
		return rc;
	for (size_t i = 0; i < s.nignored; i++)
		cli_warn("%s:1: column '%s' is not used and was ignored", r->pos[0],
		         s.ignored_columns[i]);
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		char tbuf[TS_BUF];
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "file", r->pos[0]);
		jw_kbool(&w, "dry_run", opts.dry_run);
		jw_kstr(&w, "effective", ts_format(s.effective, tbuf));
		jw_kint(&w, "rows", s.rows);
		jw_kint(&w, "people_created", s.people_created);
		jw_kint(&w, "people_updated", s.people_updated);
		jw_kint(&w, "people_unchanged", s.people_unchanged);
		jw_kint(&w, "people_ended", s.people_ended);
		jw_kint(&w, "teams_created", s.teams_created);
		jw_kint(&w, "teams_updated", s.teams_updated);
		jw_kint(&w, "services_created", s.services_created);
		jw_kint(&w, "services_updated", s.services_updated);
		jw_kint(&w, "identities_added", s.identities_added);
		jw_kint(&w, "history_rows", s.history_rows);
		jw_kint(&w, "events_reattributed", s.events_reattributed);
		jw_kint(&w, "events_kept_by_hold", s.events_kept_by_hold);
		jw_kint(&w, "events_held", s.events_held);
		jw_kint(&w, "events_deleted_no_consent", s.events_deleted_no_consent);
		jw_kint(&w, "events_held_no_consent", s.events_held_no_consent);
		jw_kint(&w, "events_deleted_no_approval", s.events_deleted_no_approval);
		jw_key(&w, "ignored_columns");
		jw_array_begin(&w);
		for (size_t i = 0; i < s.nignored; i++)
			jw_str(&w, s.ignored_columns[i]);
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out,
	        "%s%s: %" PRId64 " rows: %" PRId64 " people created, %" PRId64 " updated, %" PRId64
	        " unchanged, %" PRId64 " ended; %" PRId64 " teams created, %" PRId64
	        " updated; %" PRId64 " identities added; %" PRId64 " history changes\n",
	        opts.dry_run ? "dry run (nothing written) " : "", r->pos[0], s.rows,
	        s.people_created, s.people_updated, s.people_unchanged, s.people_ended,
	        s.teams_created, s.teams_updated, s.identities_added, s.history_rows);
	if (s.services_created || s.services_updated)
		fprintf(r->out, "services: %" PRId64 " created, %" PRId64 " updated\n",
		        s.services_created, s.services_updated);
	if (s.events_reattributed || s.events_kept_by_hold)
		fprintf(r->out,
		        "events: %" PRId64 " attributed afresh, %" PRId64 " kept by legal holds\n",
		        s.events_reattributed, s.events_kept_by_hold);
	if (s.events_held)
		fprintf(r->out,
		        "events: %" PRId64
		        " matched to nobody now, held pseudonymized as the policy "
		        "says\n",
		        s.events_held);
	if (s.events_deleted_no_consent || s.events_held_no_consent)
		fprintf(r->out,
		        "events: kept back from the people they would go to for want of their "
		        "consent: %" PRId64 " deleted, %" PRId64 " held pseudonymized\n",
		        s.events_deleted_no_consent, s.events_held_no_consent);
	if (s.events_deleted_no_approval)
		fprintf(r->out,
		        "events: kept back from the people they would go to for want of their "
		        "country's approval: %" PRId64 " deleted\n",
		        s.events_deleted_no_approval);
	return 0;
}

static void json_team(struct jw *w, const struct org_team *t)
{
	jw_object_begin(w);
	jw_kstr(w, "name", t->name);
	jw_kstr(w, "kind", t->kind);
	jw_kstr(w, "parent", t->parent);
	jw_kint(w, "depth", t->depth);
	jw_kint(w, "members", t->members);
	jw_kint(w, "members_total", t->members_total);
	jw_kint(w, "services", t->services);
	jw_key(w, "lead");
	if (t->lead_id) {
		jw_object_begin(w);
		jw_kstr(w, "employee_id", t->lead_id);
		jw_kstr(w, "name", t->lead_name);
		jw_object_end(w);
	} else {
		jw_null(w);
	}
	jw_object_end(w);
}

static void print_tree(struct cli_run *r, const struct org_team *teams, size_t n)
{
	static const char *const headers[] = {"team",  "kind",     "parent", "members",
	                                      "total", "services", "lead"};
	if (r->global->csv) {
		struct cli_table t;
		cli_table_init(&t, headers, 7);
		for (size_t i = 0; i < n; i++) {
			char m[24], tot[24], s[24];
			snprintf(m, sizeof m, "%" PRId64, teams[i].members);
			snprintf(tot, sizeof tot, "%" PRId64, teams[i].members_total);
			snprintf(s, sizeof s, "%" PRId64, teams[i].services);
			cli_table_add(&t, teams[i].name, teams[i].kind, teams[i].parent, m, tot, s,
			              teams[i].lead_id);
		}
		cli_table_print(r, &t);
		cli_table_release(&t);
		return;
	}
	if (n == 0)
		fprintf(r->out, "no teams yet (plumb org import FILE)\n");
	for (size_t i = 0; i < n; i++) {
		const struct org_team *t = &teams[i];
		fprintf(r->out, "%*s%s%s  %" PRId64 " %s (%" PRId64 " with subteams)", t->depth * 2,
		        "", t->name, strcmp(t->kind, "project") == 0 ? " [project]" : "",
		        t->members, cli_plural(t->members, "person", "people"), t->members_total);
		if (t->services)
			fprintf(r->out, ", %" PRId64 " %s", t->services,
			        cli_plural(t->services, "service", "services"));
		if (t->lead_id)
			fprintf(r->out, ", lead %s%s%s", t->lead_id, t->lead_name ? " " : "",
			        t->lead_name ? t->lead_name : "");
		fputc('\n', r->out);
	}
}

static int cmd_org_show(struct cli_run *r)
{
	struct org_summary s;
	struct org_team *teams;
	size_t n;
	int rc = org_show(r->ctx, &s, &teams, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kint(&w, "people_active", s.people_active);
		jw_kint(&w, "people_ended", s.people_ended);
		jw_kint(&w, "people_starting", s.people_starting);
		jw_kint(&w, "people_merged", s.people_merged);
		jw_kint(&w, "teams", s.teams);
		jw_kint(&w, "project_teams", s.project_teams);
		jw_kint(&w, "services", s.services);
		jw_kint(&w, "identities", s.identities);
		jw_kint(&w, "users", s.users);
		jw_kint(&w, "countries", s.countries);
		jw_key(&w, "team_list");
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++)
			json_team(&w, &teams[i]);
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out, "%" PRId64 " people active (%" PRId64 " ended", s.people_active,
	        s.people_ended);
	if (s.people_starting)
		fprintf(r->out, ", %" PRId64 " starting later", s.people_starting);
	if (s.people_merged)
		fprintf(r->out, ", %" PRId64 " merged into another record", s.people_merged);
	fprintf(r->out,
	        "), %" PRId64 " countries\n"
	        "%" PRId64 " teams (%" PRId64 " project), %" PRId64 " services, %" PRId64
	        " identities, %" PRId64 " users\n\n",
	        s.countries, s.teams, s.project_teams, s.services, s.identities, s.users);
	print_tree(r, teams, n);
	return 0;
}

static int cmd_org_tree(struct cli_run *r)
{
	struct org_team *teams;
	size_t n;
	int rc = org_tree(r->ctx, r->npos ? r->pos[0] : NULL, &teams, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++)
			json_team(&w, &teams[i]);
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	print_tree(r, teams, n);
	return 0;
}

static void json_person(struct jw *w, const struct org_person *p, bool full)
{
	jw_object_begin(w);
	jw_kstr(w, "employee_id", p->employee_id);
	jw_kstr(w, "name", p->name);
	jw_kstr(w, "email", p->email);
	jw_kstr(w, "title", p->title);
	jw_kstr(w, "country", p->country);
	jw_kstr(w, "track", p->track);
	jw_kstr(w, "role_profile", p->role_profile);
	jw_kstr(w, "level", p->level);
	jw_kstr(w, "team", p->team);
	jw_kstr(w, "manager_id", p->manager_id);
	jw_key(w, "start_date");
	jw_date(w, p->start_date, true);
	jw_key(w, "end_date");
	jw_date(w, p->end_date, p->has_end_date);
	jw_kbool(w, "active", p->active);
	jw_kint(w, "direct_reports", p->direct_reports);
	if (full) {
		jw_kstr(w, "manager_name", p->manager_name);
		jw_kstr(w, "merged_into", p->merged_into);
		jw_key(w, "identities");
		jw_array_begin(w);
		for (size_t i = 0; i < p->nidentities; i++) {
			jw_object_begin(w);
			jw_kstr(w, "system", p->identities[i].system);
			jw_kstr(w, "login", p->identities[i].login);
			jw_object_end(w);
		}
		jw_array_end(w);
		jw_key(w, "history");
		jw_array_begin(w);
		for (size_t i = 0; i < p->nhistory; i++) {
			const struct org_history_row *h = &p->history[i];
			jw_object_begin(w);
			jw_kstr(w, "kind", h->kind);
			jw_kstr(w, "value", h->value);
			jw_key(w, "valid_from");
			jw_time(w, h->valid_from, true);
			jw_key(w, "valid_to");
			jw_time(w, h->valid_to, !h->open);
			jw_object_end(w);
		}
		jw_array_end(w);
	}
	jw_object_end(w);
}

static int print_person(struct cli_run *r, const struct org_person *p)
{
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		json_person(&w, p, true);
		cli_json_end(r, &buf);
		return 0;
	}
	char a[TS_BUF], b[TS_BUF];
	/* Name, email and title are null for an analyst (masked). */
	if (p->name)
		fprintf(r->out, "%s  %s <%s>\n", p->employee_id, p->name, p->email ? p->email : "");
	else
		fprintf(r->out, "%s\n", p->employee_id);
	if (p->title)
		fprintf(r->out, "  title       %s\n", p->title);
	fprintf(r->out, "  team        %s\n", p->team ? p->team : "-");
	fprintf(r->out, "  level       %s (%s track, %s)\n", p->level ? p->level : "-", p->track,
	        p->role_profile);
	if (p->manager_id)
		fprintf(r->out, "  manager     %s%s%s\n", p->manager_id, p->manager_name ? " " : "",
		        p->manager_name ? p->manager_name : "");
	fprintf(r->out, "  reports     %" PRId64 " direct\n", p->direct_reports);
	fprintf(r->out, "  country     %s\n", p->country);
	if (p->merged_into)
		fprintf(r->out, "  merged into %s: its accounts and events are there\n",
		        p->merged_into);
	/* Not active is one of three things: left, not started yet, merged. */
	int64_t now = ts_now_ms();
	const char *state = p->has_end_date && p->end_date <= now ? " (ended)"
	                    : p->start_date > now                 ? " (not started yet)"
	                    : p->merged_into                      ? " (merged)"
	                                                          : "";
	fprintf(r->out, "  employed    %s to %s%s\n", ts_format_date(p->start_date, a),
	        p->has_end_date ? ts_format_date(p->end_date, b) : "now", state);
	for (size_t i = 0; i < p->nidentities; i++)
		fprintf(r->out, "  %-11s %s\n", p->identities[i].system, p->identities[i].login);
	if (p->nhistory)
		fprintf(r->out, "  history:\n");
	for (size_t i = 0; i < p->nhistory; i++) {
		const struct org_history_row *h = &p->history[i];
		fprintf(r->out, "    %-8s %-16s from %s%s%s\n", h->kind, h->value,
		        ts_format_date(h->valid_from, a), h->open ? "" : " to ",
		        h->open ? "" : ts_format_date(h->valid_to, b));
	}
	return 0;
}

static int cmd_person_show(struct cli_run *r)
{
	struct org_person *p;
	int rc = org_person_show(r->ctx, r->pos[0], &p, &r->err);
	return rc < 0 ? rc : print_person(r, p);
}

/* "for want of CAUSE: N events deleted, ..." after lead, for what one
 * cause kept back; nothing when it kept nothing back. */
static void print_kept_back_cause(FILE *out, const char *lead, const char *cause, int64_t deleted,
                                  int64_t pseudonymized, int64_t hold_kept)
{
	if (!deleted && !pseudonymized && !hold_kept)
		return;
	fprintf(out, "%s for want of %s:", lead, cause);
	const char *sep = " ";
	if (deleted) {
		fprintf(out, "%s%" PRId64 " %s deleted", sep, deleted,
		        cli_plural(deleted, "event", "events"));
		sep = ", ";
	}
	if (pseudonymized) {
		fprintf(out, "%s%" PRId64 " %s held pseudonymized", sep, pseudonymized,
		        cli_plural(pseudonymized, "event", "events"));
		sep = ", ";
	}
	if (hold_kept)
		fprintf(out, "%s%" PRId64 " %s left to no one under a legal hold", sep, hold_kept,
		        cli_plural(hold_kept, "event", "events"));
}

/* What a person's consent gate kept back of the events a change of
 * identities gave them, after "; " on the command's line, by cause (their
 * consent, their country's approval); nothing when nothing was. */
static void print_kept_back(FILE *out, const struct consent_kept_back *k)
{
	if (!consent_kept_back_any(k))
		return;
	int64_t consent_deleted = k->deleted - k->deleted_no_approval;
	int64_t consent_hold_kept = k->hold_kept - k->hold_kept_no_approval;
	print_kept_back_cause(out, "; kept back", "their consent", consent_deleted,
	                      k->pseudonymized, consent_hold_kept);
	print_kept_back_cause(
	        out, consent_deleted || k->pseudonymized || consent_hold_kept ? ";" : "; kept back",
	        "their country's approval", k->deleted_no_approval, 0, k->hold_kept_no_approval);
}

static int cmd_person_merge(struct cli_run *r)
{
	struct identity_merge_result m;
	int rc = identity_merge_people(r->ctx, r->pos[0], cli_opt(r, "into"), cli_opt(r, "reason"),
	                               &m, &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "%s merged into %s: %" PRId64 " %s and %" PRId64 " %s moved\n", r->pos[0],
	        cli_opt(r, "into"), m.identities, cli_plural(m.identities, "account", "accounts"),
	        m.events, cli_plural(m.events, "event", "events"));
	if (consent_kept_back_any(&m.kept)) {
		fprintf(r->out, "events of %s's accounts", r->pos[0]);
		print_kept_back(r->out, &m.kept);
		fputc('\n', r->out);
	}
	/* What the human is no longer asked for, which its writers and their
	 * managers will miss from their lists. */
	if (m.assignments_declined)
		fprintf(r->out, "review cycles: %" PRId64 " %s declined as one human's\n",
		        m.assignments_declined,
		        cli_plural(m.assignments_declined, "assignment", "assignments"));
	if (m.cycles_withdrawn)
		fprintf(r->out,
		        "review cycles: %s withdrawn as a reviewee from %" PRId64 " running %s\n",
		        r->pos[0], m.cycles_withdrawn,
		        cli_plural(m.cycles_withdrawn, "cycle", "cycles"));
	return 0;
}

static int cmd_identity_resolve(struct cli_run *r)
{
	struct org_person *p;
	int rc = org_identity_resolve(r->ctx, r->pos[0], r->pos[1], &p, &r->err);
	return rc < 0 ? rc : print_person(r, p);
}

static int cmd_person_list(struct cli_run *r)
{
	struct org_person *people;
	size_t n;
	int rc = org_person_list(r->ctx, cli_opt(r, "team"), &people, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++)
			json_person(&w, &people[i], false);
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"employee_id", "name",         "team",    "level",
	                                      "manager_id",  "role_profile", "country", "active"};
	struct cli_table t;
	cli_table_init(&t, headers, 8);
	for (size_t i = 0; i < n; i++) {
		const struct org_person *p = &people[i];
		cli_table_add(&t, p->employee_id, p->name, p->team, p->level, p->manager_id,
		              p->role_profile, p->country, p->active ? "yes" : "no");
	}
	const char *team = cli_opt(r, "team");
	char none[256];
	/* With a team: none the actor may see, which is not a team with nobody in it. */
	snprintf(none, sizeof none, "no people%s%s",
	         team ? " you may see in team " : " yet (plumb org import FILE)", team ? team : "");
	cli_table_print_or(r, &t, none);
	cli_table_release(&t);
	return 0;
}

static int cmd_service_set(struct cli_run *r)
{
	int64_t effective;
	bool given, created, changed;
	int rc = cli_opt_time(r, "effective", &effective, &given);
	if (rc < 0)
		return rc;
	if (!given)
		effective = 0;
	rc = org_service_set(r->ctx, r->pos[0], cli_opt(r, "team"), cli_opt(r, "description"),
	                     effective, &created, &changed, &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "service %s %s\n", r->pos[0],
	        created   ? "created"
	        : changed ? "updated"
	                  : "unchanged");
	return 0;
}

static int cmd_service_stage(struct cli_run *r)
{
	int64_t from;
	bool given, changed;
	const char *previous;
	int rc = cli_opt_time(r, "from", &from, &given);
	if (rc == 0)
		rc = catalog_stage_set(r->ctx, r->pos[0], cli_opt(r, "stage"), given ? from : 0,
		                       &changed, &previous, &r->err);
	if (rc < 0)
		return rc;
	if (changed)
		fprintf(r->out, "service %s: stage %s%s%s\n", r->pos[0], cli_opt(r, "stage"),
		        previous ? ", was " : "", previous ? previous : "");
	else
		fprintf(r->out, "service %s: stage was already %s\n", r->pos[0],
		        cli_opt(r, "stage"));
	return 0;
}

static int cmd_service_list(struct cli_run *r)
{
	struct org_service *items;
	size_t n;
	int rc = org_service_list(r->ctx, &items, &n, &r->err);
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
			jw_kstr(&w, "team", items[i].team);
			jw_key(&w, "owned_since");
			jw_time(&w, items[i].owned_since, items[i].team != NULL);
			jw_kstr(&w, "description", items[i].description);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"service", "team", "owned_since", "description"};
	struct cli_table t;
	cli_table_init(&t, headers, 4);
	for (size_t i = 0; i < n; i++) {
		char since[TS_BUF] = "";
		if (items[i].team)
			ts_format_date(items[i].owned_since, since);
		cli_table_add(&t, items[i].name, items[i].team, since, items[i].description);
	}
	cli_table_print_or(r, &t,
	                   "no services yet (plumb service set NAME --team TEAM; ingest adds those "
	                   "its events name)");
	cli_table_release(&t);
	return 0;
}

static const struct cli_opt import_opts[] = {
        {"effective", "DATE", OPT_VALUE,
         "when changes of team, manager and level take effect (default today)"},
        {"full", NULL, 0, "the file lists everyone: end people absent from it"},
        {"dry-run", NULL, 0, "validate and count, write nothing"},
        {"format", "FORMAT", OPT_VALUE, "csv or yaml (default: from the file name)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt list_opts[] = {
        {"team", "TEAM", OPT_VALUE, "only this team and its subteams"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt service_opts[] = {
        {"team", "TEAM", OPT_VALUE | OPT_REQUIRED, "the owning team"},
        {"description", "TEXT", OPT_VALUE, "what the service does"},
        {"effective", "DATE", OPT_VALUE, "when the ownership starts (default today)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt stage_opts[] = {
        {"stage", "STAGE", OPT_VALUE | OPT_REQUIRED, "new, growth, mature or sunset"},
        {"from", "DATE", OPT_VALUE, "when the stage starts (default today)"},
        {NULL, NULL, 0, NULL},
};

static int cmd_identity_link(struct cli_run *r)
{
	bool changed;
	int64_t events;
	struct consent_kept_back kept;
	const char *person = cli_opt(r, "person");
	int rc = identity_link(r->ctx, r->pos[0], r->pos[1], person, &changed, &events, &kept,
	                       &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "%s account %s %s %s", r->pos[0], r->pos[1],
	        changed ? "linked to" : "was already linked to", person);
	if (events)
		fprintf(r->out, "; %" PRId64 " event%s attributed to them afresh", events,
		        events == 1 ? "" : "s");
	print_kept_back(r->out, &kept);
	fputc('\n', r->out);
	return 0;
}

static int cmd_identity_unlink(struct cli_run *r)
{
	const char *person;
	int64_t events = 0, held = 0;
	struct consent_kept_back kept;
	int rc = identity_unlink(r->ctx, r->pos[0], r->pos[1], &person, &events, &held, &kept,
	                         &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "%s account %s unlinked from %s", r->pos[0], r->pos[1], person);
	if (events)
		fprintf(r->out, "; %" PRId64 " event%s attributed afresh", events,
		        events == 1 ? "" : "s");
	if (held)
		fprintf(r->out, ", %" PRId64 " of them held pseudonymized as the policy says",
		        held);
	print_kept_back(r->out, &kept);
	fputc('\n', r->out);
	return 0;
}

static const struct cli_opt link_opts[] = {
        {"person", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the person the account belongs to"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt merge_opts[] = {
        {"into", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the record that stays"},
        {"reason", "TEXT", OPT_VALUE | OPT_REQUIRED, "why they are one person (audited)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"org import", OP_ORG_IMPORT, "FILE", 1, 1, CMD_JSON, import_opts, cmd_org_import,
         "import people, teams and identities from an HRIS export (CSV) or YAML",
         "The CSV has a header row with employee_id,name,email,manager_id,team,title,level,track,"
         "role_profile,country,start_date and optionally "
         "end_date,parent_team,team_kind,github_login,"
         "jira_account_id,pagerduty_user_id,emails. The import is all-or-nothing: any bad row is "
         "an "
         "error naming file, line and field, and nothing is written. Re-importing updates in "
         "place; "
         "a changed team, manager or level becomes a new effective-dated history row. See "
         "docs/org-import.md."},
        {"org show", OP_ORG_SHOW, "", 0, 0, CMD_JSON, NULL, cmd_org_show,
         "summarize the organization and its teams", NULL},
        {"org tree", OP_ORG_TREE, "[TEAM]", 0, 1, CMD_JSON | CMD_CSV, NULL, cmd_org_tree,
         "show the team tree, or the subtree under TEAM", NULL},
        {"person merge", OP_PERSON_MERGE, "EMPLOYEE_ID", 1, 1, 0, merge_opts, cmd_person_merge,
         "merge two records of one person",
         "For two records found to be one human (a rehire under a new id, a contractor "
         "record): EMPLOYEE_ID's accounts move to --into, their events are attributed there, "
         "and the merge is recorded with its reason.  EMPLOYEE_ID's own history stays and "
         "'person show' says where it went.  An HRIS file that still names the moved "
         "accounts under EMPLOYEE_ID leaves them with --into; a new account there is "
         "refused."},
        {"person show", OP_PERSON_SHOW, "EMPLOYEE_ID", 1, 1, CMD_JSON, NULL, cmd_person_show,
         "show a person with identities and team, manager and level history", NULL},
        {"person list", OP_PERSON_LIST, "", 0, 0, CMD_JSON | CMD_CSV, list_opts, cmd_person_list,
         "list the people you may see", NULL},
        {"identity resolve", OP_IDENTITY_RESOLVE, "SYSTEM LOGIN", 2, 2, CMD_JSON, NULL,
         cmd_identity_resolve,
         "find the person behind an account (github, jira, pagerduty, jenkins, deploy, email)",
         NULL},
        {"identity link", OP_IDENTITY_LINK, "SYSTEM LOGIN", 2, 2, 0, link_opts, cmd_identity_link,
         "link an account (github, jira, pagerduty, jenkins, deploy, email) to a person by hand",
         "An account already linked to someone else is a conflict: unlink it first, so a "
         "move is always two audited steps."},
        {"identity unlink", OP_IDENTITY_UNLINK, "SYSTEM LOGIN", 2, 2, 0, NULL, cmd_identity_unlink,
         "remove an account's link to a person", NULL},
        {"service set", OP_SERVICE_SET, "NAME", 1, 1, 0, service_opts, cmd_service_set,
         "create a service or move it to another team from a date on", NULL},
        {"service stage", OP_SERVICE_STAGE, "SERVICE", 1, 1, 0, stage_opts, cmd_service_stage,
         "set a service's product lifecycle stage from a date on",
         "The stage is effective-dated history; 'plumb metrics suggest' reads the stage in "
         "effect today."},
        {"service list", OP_SERVICE_LIST, "", 0, 0, CMD_JSON | CMD_CSV, NULL, cmd_service_list,
         "list services and their owning teams", NULL},
};

const struct cli_group cli_group_org = {"org", commands, sizeof commands / sizeof commands[0]};
