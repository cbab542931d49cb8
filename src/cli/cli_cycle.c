/* cli_cycle: review cycles: create, list, advance, status, nominations, assignments. */
#include <inttypes.h>
#include <string.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "core/ctx.h"
#include "review/calendar.h"
#include "review/cycle.h"

static int parse_due(struct cli_run *r, struct cycle_create_options *o)
{
	bool given[CYCLE_PHASE_COUNT] = {false};
	for (int i = 0; i < cli_opt_count(r, "due"); i++) {
		const char *v = cli_opt_at(r, "due", i);
		const char *eq = strchr(v, '=');
		char phase[32];
		size_t len = eq ? (size_t)(eq - v) : 0;
		if (!eq || len >= sizeof phase)
			return err_set(&r->err, ERR_USAGE, "--due '%s': expected PHASE=DATE", v);
		memcpy(phase, v, len);
		phase[len] = '\0';
		int p = cycle_phase_parse(phase);
		if (p < 0)
			return err_set(&r->err, ERR_USAGE,
			               "--due '%s': '%s' is not a phase (self_review, feedback, "
			               "manager_review, calibration, signoff, delivery)",
			               v, phase);
		if (given[p])
			return err_set(&r->err, ERR_USAGE, "--due: phase %s given more than once",
			               phase);
		given[p] = true;
		/* Into an error of its own: the first error wins, and this one names --due. */
		struct error why = {0};
		if (ts_parse_strict(eq + 1, &o->due[p], &why) < 0) {
			err_set(&r->err, ERR_USAGE, "--due '%s': %s", v, why.message);
			err_detail(&r->err, "%s", why.detail);
			return ERR_USAGE;
		}
		/* A day given alone is due by its end (UTC), not at its start. */
		if (strlen(eq + 1) == 10)
			o->due[p] += MS_PER_DAY - 1;
	}
	return 0;
}

/* A phase due before the cycle opens is late from its start: taken (a cycle
 * recorded after the fact has such dates), but said, as reminders go out at
 * once as overdue and escalated (found hunting packets: it was silent).
 * cycle_create finds them, for every face (past_due). */
static void warn_past_due(const struct cycle_create_result *res)
{
	char when[TS_BUF], at[TS_BUF];
	for (size_t i = 0; i < res->npast_due; i++) {
		const struct cycle_past_due *d = &res->past_due[i];
		cli_warn("--due %s: due %s, before the cycle opened (%s): its work is "
		         "overdue from the start, and plumb notify reminds and escalates "
		         "it at once",
		         cycle_phase_name(d->phase),
		         d->due_at % MS_PER_DAY == MS_PER_DAY - 1 ? ts_format_date(d->due_at, when)
		                                                  : ts_format(d->due_at, when),
		         ts_format(res->created_at, at));
	}
}

/* One overlap as check-calendar's JSON has it. */
static void json_overlap(struct jw *w, const struct calendar_overlap *o)
{
	const struct calendar_window *win = &o->window;
	jw_object_begin(w);
	jw_kstr(w, "phase", o->phase);
	jw_key(w, "phase_start");
	jw_date(w, o->phase_start, true);
	jw_key(w, "phase_end");
	jw_date(w, o->phase_end, true);
	jw_key(w, "window");
	jw_object_begin(w);
	jw_kint(w, "id", win->id);
	jw_kstr(w, "name", win->name);
	jw_kstr(w, "kind", win->kind);
	jw_key(w, "from");
	jw_date(w, win->starts_at, true);
	jw_key(w, "to");
	jw_date(w, win->ends_at - 1, true); /* the last day, as it was given */
	jw_kstr(w, "team", win->team);
	jw_object_end(w);
	jw_object_end(w);
}

/* One warning line per overlap, as check-calendar and create print them. */
/* One overlap of a phase with a blackout window, in words (no "warning: "),
 * into out (reset first). */
static void overlap_text(struct sb *out, const struct calendar_overlap *o)
{
	const struct calendar_window *win = &o->window;
	char s1[TS_BUF], s2[TS_BUF], s3[TS_BUF], s4[TS_BUF];
	sb_reset(out);
	sb_printf(out, "phase %s (%s..%s) overlaps %s window %" PRId64 " '%s' (%s..%s, %s%s)",
	          o->phase, ts_format_date(o->phase_start, s1), ts_format_date(o->phase_end, s2),
	          win->kind, win->id, win->name, ts_format_date(win->starts_at, s3),
	          ts_format_date(win->ends_at - 1, s4), win->team ? "team " : "company-wide",
	          win->team ? win->team : "");
}

static int cmd_create(struct cli_run *r)
{
	struct cycle_create_options o;
	memset(&o, 0, sizeof o);
	o.name = r->pos[0];
	int kind = fw_kind_parse(cli_opt(r, "kind"));
	if (kind < 0)
		return err_set(&r->err, ERR_USAGE,
		               "--kind '%s': expected checkin, annual or project",
		               cli_opt(r, "kind"));
	o.kind = (enum fw_kind)kind;
	o.nteams = (size_t)cli_opt_count(r, "scope");
	const char *teams[CLI_MAX_VALUES];
	for (size_t i = 0; i < o.nteams; i++)
		teams[i] = cli_opt_at(r, "scope", (int)i);
	o.teams = teams;
	long long v = 0;
	bool given = false;
	int rc = cli_opt_int(r, "framework-version", 1, 1000000, &v, &given);
	o.framework_version = given ? (int)v : 0;
	if (rc == 0)
		rc = cli_opt_int(r, "reviewer-cap", 1, 100, &v, &given);
	o.reviewer_cap = given ? (int)v : 0;
	if (rc == 0)
		rc = cli_opt_time(r, "from", &o.period_start, &given);
	if (rc == 0)
		rc = cli_opt_time(r, "to", &o.period_end, &given);
	if (rc == 0)
		rc = parse_due(r, &o);
	o.ratings = -1;
	const char *ratings = cli_opt(r, "ratings");
	if (ratings && strcmp(ratings, "yes") && strcmp(ratings, "no"))
		rc = err_set(&r->err, ERR_USAGE, "--ratings '%s': expected yes or no", ratings);
	if (ratings)
		o.ratings = strcmp(ratings, "yes") == 0;
	struct cycle_create_result res;
	if (rc == 0)
		rc = cycle_create(r->ctx, &o, &res, &r->err);
	if (rc < 0)
		return rc;
	/* A blackout window warns and does not refuse: the calendar informs planning.
	 * A warning, so that an API client gets it and the server's log does not
	 * (found in review: it went to the server's stderr as it was). */
	struct sb text = SB_INIT;
	for (size_t i = 0; i < res.noverlaps; i++) {
		overlap_text(&text, &res.overlaps[i]);
		cli_warn("%s", text.buf);
	}
	sb_release(&text);
	warn_past_due(&res);
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kint(&w, "id", res.id);
		jw_kstr(&w, "name", o.name);
		jw_kint(&w, "members", res.members);
		jw_kint(&w, "assignments", res.assignments);
		jw_key(&w, "calendar_overlaps");
		jw_array_begin(&w);
		for (size_t i = 0; i < res.noverlaps; i++)
			json_overlap(&w, &res.overlaps[i]);
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out, "cycle %s created (id %" PRId64 "): %d %s, %d assignments\n", o.name,
	        res.id, res.members, cli_plural(res.members, "person", "people"), res.assignments);
	if (o.kind == FW_KIND_CHECKIN) /* no 360 feedback: nothing to nominate */
		fprintf(r->out, "next: self reviews, then plumb cycle advance --cycle %s\n",
		        o.name);
	else
		fprintf(r->out, "next: peers are nominated with plumb cycle nominate --cycle %s\n",
		        o.name);
	return 0;
}

static void json_info(struct jw *w, const struct cycle_info *c)
{
	jw_kint(w, "id", c->id);
	jw_kstr(w, "name", c->name);
	jw_kstr(w, "kind", c->kind);
	jw_kstr(w, "phase", c->phase);
	jw_kint(w, "framework_version", c->framework_version);
	jw_key(w, "period_start");
	jw_date(w, c->period_start, true);
	jw_key(w, "period_end");
	jw_date(w, c->period_end, true);
	jw_kbool(w, "ratings", c->ratings);
	jw_kint(w, "reviewer_cap", c->reviewer_cap);
	jw_key(w, "teams");
	jw_array_begin(w);
	for (size_t i = 0; i < c->nteams; i++)
		jw_str(w, c->teams[i]);
	jw_array_end(w);
	jw_key(w, "phases");
	jw_array_begin(w);
	for (size_t i = 0; i < c->nphases; i++) {
		const struct cycle_phase_row *p = &c->phases[i];
		jw_object_begin(w);
		jw_kstr(w, "name", p->name);
		jw_key(w, "due");
		jw_date(w, p->due_at, true);
		jw_key(w, "opened_at");
		jw_time(w, p->opened_at, p->opened_at != 0);
		jw_key(w, "closed_at");
		jw_time(w, p->closed_at, p->closed_at != 0);
		jw_object_end(w);
	}
	jw_array_end(w);
}

static int cmd_list(struct cli_run *r)
{
	struct cycle_info *cs = NULL;
	size_t n = 0;
	int rc = cycle_list(r->ctx, &cs, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(&w);
			json_info(&w, &cs[i]);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"name",   "kind",  "phase",
	                                      "period", "teams", "framework"};
	struct cli_table t;
	cli_table_init(&t, headers, 6);
	for (size_t i = 0; i < n; i++) {
		char a[TS_BUF], b[TS_BUF], fw[16];
		struct sb period = SB_INIT, teams = SB_INIT;
		sb_printf(&period, "%s..%s", ts_format_date(cs[i].period_start, a),
		          ts_format_date(cs[i].period_end, b));
		for (size_t j = 0; j < cs[i].nteams; j++)
			sb_printf(&teams, "%s%s", j ? ", " : "", cs[i].teams[j]);
		snprintf(fw, sizeof fw, "%d", cs[i].framework_version);
		cli_table_add(&t, cs[i].name, cs[i].kind, cs[i].phase, period.buf, teams.buf, fw);
		sb_release(&period);
		sb_release(&teams);
	}
	if (n == 0)
		fprintf(r->out,
		        "no review cycles yet (plumb cycle create NAME --kind K --scope TEAM)\n");
	else
		cli_table_print(r, &t);
	cli_table_release(&t);
	return 0;
}

static int cmd_advance(struct cli_run *r)
{
	struct cycle_advance_result res;
	int rc = cycle_advance(r->ctx, cli_opt(r, "cycle"), &res, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "cycle", res.name);
		jw_kstr(&w, "from", res.from);
		jw_kstr(&w, "to", res.to);
		jw_kint(&w, "left_undone", res.left_undone);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out, "cycle %s: %s closed, %s%s\n", res.name, res.from,
	        strcmp(res.to, "closed") == 0 ? "the cycle is closed" : "now in ",
	        strcmp(res.to, "closed") == 0 ? "" : res.to);
	if (res.left_undone)
		fprintf(r->out, "%d %s of the closed phase were not done (plumb cycle status)\n",
		        res.left_undone, cli_plural(res.left_undone, "assignment", "assignments"));
	return 0;
}

static void json_assignment(struct jw *w, const struct cycle_assignment *x)
{
	jw_object_begin(w);
	jw_key(w, "id");
	if (x->id)
		jw_int(w, x->id);
	else
		jw_null(w);
	jw_kstr(w, "reviewee", x->reviewee);
	jw_kstr(w, "reviewee_name", x->reviewee_name);
	jw_kstr(w, "reviewer", x->reviewer);
	jw_kstr(w, "reviewer_name", x->reviewer_name);
	jw_kstr(w, "writer", x->writer);
	jw_kstr(w, "relation", x->relation);
	jw_kstr(w, "status", x->status);
	jw_kstr(w, "team", x->team);
	jw_kstr(w, "phase", x->phase);
	jw_key(w, "due");
	jw_date(w, x->due_at, x->due_at != 0);
	jw_kbool(w, "done", x->done);
	jw_kbool(w, "draft", x->draft);
	jw_kbool(w, "covered", x->covered);
	jw_kbool(w, "withdrawn", x->withdrawn);
	jw_kbool(w, "unowned", x->unowned);
	jw_kbool(w, "in_place", x->in_place);
	jw_key(w, "done_at");
	jw_time(w, x->done_at, x->done_at != 0);
	jw_key(w, "reminders");
	if (x->reminders < 0)
		jw_null(w);
	else
		jw_int(w, x->reminders);
	jw_object_end(w);
}

static void json_status(struct jw *w, const struct cycle_status *s)
{
	jw_object_begin(w);
	json_info(w, &s->info);
	jw_key(w, "progress");
	jw_array_begin(w);
	for (size_t i = 0; i < s->nprogress; i++) {
		jw_object_begin(w);
		jw_kstr(w, "phase", s->progress[i].phase);
		jw_kstr(w, "team", s->progress[i].team);
		jw_kint(w, "total", s->progress[i].total);
		jw_kint(w, "done", s->progress[i].done);
		jw_kint(w, "drafts", s->progress[i].drafts);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "late");
	jw_array_begin(w);
	for (size_t i = 0; i < s->nlate; i++)
		json_assignment(w, &s->late[i]);
	jw_array_end(w);
	jw_key(w, "short_of_peers");
	jw_array_begin(w);
	for (size_t i = 0; i < s->nshort_of_peers; i++)
		jw_str(w, s->short_of_peers[i]);
	jw_array_end(w);
	jw_key(w, "loads");
	jw_array_begin(w);
	for (size_t i = 0; i < s->nloads; i++) {
		jw_object_begin(w);
		jw_kstr(w, "reviewer", s->loads[i].reviewer);
		jw_kstr(w, "name", s->loads[i].name);
		jw_kint(w, "load", s->loads[i].load);
		jw_kint(w, "cap", s->loads[i].cap);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "left");
	jw_array_begin(w);
	for (size_t i = 0; i < s->nleavers; i++) {
		const struct cycle_leaver *l = &s->leavers[i];
		jw_object_begin(w);
		jw_kstr(w, "person", l->person);
		jw_kstr(w, "name", l->name);
		jw_key(w, "left_on");
		jw_date(w, l->left_on, true);
		jw_key(w, "withdrawn");
		jw_array_begin(w);
		for (size_t k = 0; k < l->nwithdrawn; k++)
			jw_str(w, l->withdrawn[k]);
		jw_array_end(w);
		jw_key(w, "moved");
		jw_array_begin(w);
		for (size_t k = 0; k < l->nmoved; k++)
			jw_str(w, l->moved[k]);
		jw_array_end(w);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "assignments");
	jw_array_begin(w);
	for (size_t i = 0; i < s->nassignments; i++)
		json_assignment(w, &s->assignments[i]);
	jw_array_end(w);
	jw_object_end(w);
}

static int newest_open(struct cli_run *r, const char **name)
{
	struct cycle_info *cs = NULL;
	size_t n = 0;
	int rc = cycle_list(r->ctx, &cs, &n, &r->err);
	if (rc < 0)
		return rc;
	*name = NULL;
	for (size_t i = n; i-- > 0 && !*name;)
		if (strcmp(cs[i].phase, "closed") != 0)
			*name = cs[i].name;
	if (!*name)
		return err_set(&r->err, ERR_NOT_FOUND,
		               "no review cycle is open; name one with "
		               "--cycle C");
	return 0;
}

static int cmd_status(struct cli_run *r)
{
	const char *cycle = cli_opt(r, "cycle");
	int rc = cycle ? 0 : newest_open(r, &cycle);
	struct cycle_status s;
	if (rc == 0)
		rc = cycle_status(r->ctx, cycle, &s, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		json_status(&w, &s);
		cli_json_end(r, &buf);
		return 0;
	}
	FILE *o = r->out;
	char a[TS_BUF], b[TS_BUF];
	fprintf(o, "cycle %s (%s, framework version %d): %s..%s, now in %s\n", s.info.name,
	        s.info.kind, s.info.framework_version, ts_format_date(s.info.period_start, a),
	        ts_format_date(s.info.period_end, b), s.info.phase);
	fprintf(o, "\nphases:\n");
	for (size_t i = 0; i < s.info.nphases; i++) {
		const struct cycle_phase_row *p = &s.info.phases[i];
		fprintf(o, "  %-15s due %s%s\n", p->name, ts_format_date(p->due_at, a),
		        p->closed_at   ? ", closed"
		        : p->opened_at ? ", open"
		                       : "");
	}
	fprintf(o, "\ncompletion by phase and team:\n");
	for (size_t i = 0; i < s.nprogress; i++) {
		const struct cycle_progress *p = &s.progress[i];
		fprintf(o, "  %-15s %-20s %d of %d done", p->phase, p->team, p->done, p->total);
		if (p->drafts)
			fprintf(o, ", %d in draft", p->drafts);
		fprintf(o, "\n");
	}
	if (s.nlate) {
		/* A closed cycle's is work nobody owes any more. */
		bool closed = strcmp(s.info.phase, "closed") == 0;
		fprintf(o, closed ? "\nnot done when the cycle closed (%zu):\n" : "\nlate (%zu):\n",
		        s.nlate);
		for (size_t i = 0; i < s.nlate; i++) {
			const struct cycle_assignment *x = &s.late[i];
			/* As the cycle's page says it (found by a walk: the CLI said
			 * the same of a saved draft as of nothing written). */
			/* The human to chase, as the record they sign in as: a record
			 * merged into it is no user any more (found hunting merges). */
			bool as_merged = strcmp(x->writer, x->reviewer) != 0;
			if (x->unowned)
				fprintf(o,
				        "  nobody %s manager feedback on %s (%s has left, and %s "
				        "has no manager now to stand in), due %s",
				        closed ? "gave" : "owes", x->reviewee, x->reviewer,
				        x->reviewee, ts_format_date(x->due_at, a));
			else
				fprintf(o, "  %s (%s) %s %s feedback on %s%s%s%s, due %s",
				        x->writer, x->writer_name, closed ? "did not give" : "owes",
				        x->relation, x->reviewee,
				        !as_merged    ? ""
				        : x->stand_in ? " in place of "
				                      : " as ",
				        as_merged ? x->reviewer : "",
				        x->draft ? " (draft saved)" : "",
				        ts_format_date(x->due_at, a));
			if (x->reminders >= 0)
				fprintf(o, "; %d %s sent", x->reminders,
				        cli_plural(x->reminders, "reminder", "reminders"));
			fprintf(o, "\n");
		}
	}
	if (s.nshort_of_peers) {
		fprintf(o, "\nfewer approved peers than the framework's minimum:\n");
		for (size_t i = 0; i < s.nshort_of_peers; i++)
			fprintf(o, "  %s\n", s.short_of_peers[i]);
	}
	if (s.nleavers) {
		fprintf(o, "\nleft:\n");
		for (size_t i = 0; i < s.nleavers; i++) {
			const struct cycle_leaver *l = &s.leavers[i];
			fprintf(o, "  %s (%s) left on %s", l->person, l->name,
			        ts_format_date(l->left_on, a));
			for (size_t k = 0; k < l->nwithdrawn; k++)
				fprintf(o, "%s%s", k ? ", " : "; withdrawn: ", l->withdrawn[k]);
			for (size_t k = 0; k < l->nmoved; k++)
				fprintf(o, "%s%s", k ? ", " : "; moved: ", l->moved[k]);
			fprintf(o, "\n");
		}
	}
	return 0;
}

static int cmd_assignments(struct cli_run *r)
{
	struct cycle_status s;
	const char *reviewer = cli_opt(r, "reviewer");
	int rc = cycle_assignment_list(r->ctx, cli_opt(r, "cycle"), reviewer, &s, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "cycle", s.info.name);
		jw_key(&w, "assignments");
		jw_array_begin(&w);
		for (size_t i = 0; i < s.nassignments; i++)
			json_assignment(&w, &s.assignments[i]);
		jw_array_end(&w);
		jw_key(&w, "loads");
		jw_array_begin(&w);
		for (size_t i = 0; i < s.nloads; i++) {
			jw_object_begin(&w);
			jw_kstr(&w, "reviewer", s.loads[i].reviewer);
			jw_kint(&w, "load", s.loads[i].load);
			jw_kint(&w, "cap", s.loads[i].cap);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"reviewee", "reviewer", "relation", "status",
	                                      "phase",    "due",      "done"};
	struct cli_table t;
	cli_table_init(&t, headers, 7);
	for (size_t i = 0; i < s.nassignments; i++) {
		const struct cycle_assignment *x = &s.assignments[i];
		char due[TS_BUF] = "", done[TS_BUF] = "";
		if (x->due_at)
			ts_format_date(x->due_at, due);
		if (x->done && x->done_at)
			ts_format_date(x->done_at, done);
		else if (x->done)
			snprintf(done, sizeof done, "done");
		/* A self review written and covered is kept as history. */
		if (x->done && x->covered)
			snprintf(done + strlen(done), sizeof done - strlen(done), ", covered");
		/* Who writes a manager review the manager in the cycle left undone:
		 * the one standing in, else nobody yet. */
		const char *writes =
		        x->stand_in
		                ? arena_printf(r->ctx->arena, "%s for %s", x->writer, x->reviewer)
		        : x->in_place ? arena_printf(r->ctx->arena, "written by %s in place of %s",
		                                     x->writer, x->reviewer)
		                      : x->reviewer;
		cli_table_add(&t, x->reviewee, writes, x->relation, x->status, x->phase, due,
		              x->done        ? done
		              : x->covered   ? "covered"
		              : x->withdrawn ? "withdrawn"
		              : x->unowned   ? "unowned"
		              : x->draft     ? "draft"
		                             : "");
	}
	char none[256];
	snprintf(none, sizeof none, "no assignments%s%s in cycle %s", reviewer ? " of " : "",
	         reviewer ? reviewer : "", s.info.name);
	cli_table_print_or(r, &t, none);
	cli_table_release(&t);
	if (s.nloads)
		fprintf(r->out, "\nfeedback load per reviewer (cap %d):\n", s.info.reviewer_cap);
	for (size_t i = 0; i < s.nloads; i++) {
		fprintf(r->out, "  %-10s %d%s\n", s.loads[i].reviewer, s.loads[i].load,
		        s.loads[i].load >= s.loads[i].cap ? " (at the cap)" : "");
	}
	return 0;
}

static int cmd_check_calendar(struct cli_run *r)
{
	struct calendar_check c;
	int rc = calendar_check_cycle(r->ctx, cli_opt(r, "cycle"), &c, &r->err);
	if (rc < 0)
		return rc;
	/* Like policy check: the report is the answer, and exit 1 says it found something. */
	if (c.noverlaps)
		r->found_status = 1;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "cycle", c.cycle);
		jw_key(&w, "overlaps");
		jw_array_begin(&w);
		for (size_t i = 0; i < c.noverlaps; i++)
			json_overlap(&w, &c.overlaps[i]);
		jw_array_end(&w);
		jw_kbool(&w, "ok", c.noverlaps == 0);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	struct sb text = SB_INIT;
	for (size_t i = 0; i < c.noverlaps; i++) {
		overlap_text(&text, &c.overlaps[i]);
		cli_print_visible(r->out, "warning: %s", text.buf);
	}
	sb_release(&text);
	if (c.noverlaps)
		fprintf(r->out, "cycle %s: %zu %s with blackout windows\n", c.cycle, c.noverlaps,
		        cli_plural((int64_t)c.noverlaps, "overlap", "overlaps"));
	else
		fprintf(r->out, "cycle %s: no phase overlaps a blackout window\n", c.cycle);
	return 0;
}

static void nomination_of(struct cli_run *r, struct cycle_nomination *n)
{
	n->cycle = cli_opt(r, "cycle");
	n->reviewee = cli_opt(r, "for");
	n->reviewer = cli_opt(r, "reviewer");
	n->relation = "peer";
}

static int cmd_nominate(struct cli_run *r)
{
	struct cycle_nomination n;
	nomination_of(r, &n);
	if (cli_opt(r, "relation"))
		n.relation = cli_opt(r, "relation");
	struct cycle_nominate_result res;
	int rc = cycle_nominate(r->ctx, &n, &res, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kint(&w, "id", res.id);
		jw_kstr(&w, "status", res.status);
		jw_kint(&w, "load", res.load);
		jw_kint(&w, "cap", res.cap);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out, "%s is %s %s reviewer of %s%s (their load: %d of %d)\n", n.reviewer,
	        strcmp(res.status, "active") == 0 ? "a" : "nominated as a", n.relation, n.reviewee,
	        strcmp(res.status, "active") == 0 ? "" : "; their manager approves", res.load,
	        res.cap);
	return 0;
}

static int cmd_decide(struct cli_run *r)
{
	struct cycle_nomination n;
	nomination_of(r, &n);
	const char *d = cli_opt(r, "decision");
	if (strcmp(d, "approve") != 0 && strcmp(d, "decline") != 0)
		return err_set(&r->err, ERR_USAGE, "--decision '%s': expected approve or decline",
		               d);
	bool approve = strcmp(d, "approve") == 0;
	int rc = cycle_decide(r->ctx, &n, approve, cli_opt(r, "reason"), &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "decision", approve ? "approved" : "declined");
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out, "%s as a peer reviewer of %s: %s\n", n.reviewer, n.reviewee,
	        approve ? "approved" : "declined");
	return 0;
}

static const struct cli_opt create_opts[] = {
        {"kind", "KIND", OPT_VALUE | OPT_REQUIRED, "checkin, annual or project"},
        {"scope", "TEAM", OPT_VALUE | OPT_REPEAT | OPT_REQUIRED,
         "a team whose members (with its subteams') are reviewed"},
        {"framework-version", "N", OPT_VALUE, "the framework version (default: the newest)"},
        {"from", "DATE", OPT_VALUE, "the period's start (default: a year or a quarter back)"},
        {"to", "DATE", OPT_VALUE, "the period's end (default: now)"},
        {"due", "PHASE=DATE", OPT_VALUE | OPT_REPEAT,
         "a phase's due date (a date alone: by its end, UTC; default: 2, 4, 6, 8, 9 and 10 weeks "
         "from now)"},
        {"ratings", "yes|no", OPT_VALUE,
         "collect rubric ratings (default: annual yes, check-in as the framework says, "
         "project no)"},
        {"reviewer-cap", "N", OPT_VALUE,
         "the most feedback assignments one reviewer may hold (default: the framework's)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt cycle_opt[] = {
        {"cycle", "C", OPT_VALUE | OPT_REQUIRED, "the cycle, by name or id"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt status_opts[] = {
        {"cycle", "C", OPT_VALUE, "the cycle, by name or id (default: the newest open one)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt assignments_opts[] = {
        {"cycle", "C", OPT_VALUE | OPT_REQUIRED, "the cycle, by name or id"},
        {"reviewer", "EMPLOYEE_ID", OPT_VALUE, "only this reviewer's assignments"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt nominate_opts[] = {
        {"cycle", "C", OPT_VALUE | OPT_REQUIRED, "the cycle, by name or id"},
        {"for", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the person reviewed"},
        {"reviewer", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the reviewer"},
        {"relation", "REL", OPT_VALUE, "peer (default) or cross_functional"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt decide_opts[] = {
        {"cycle", "C", OPT_VALUE | OPT_REQUIRED, "the cycle, by name or id"},
        {"for", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the person reviewed"},
        {"reviewer", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the nominated peer"},
        {"decision", "approve|decline", OPT_VALUE | OPT_REQUIRED, "the manager's decision"},
        {"reason", "TEXT", OPT_VALUE, "why (required to decline)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"cycle create", OP_CYCLE_CREATE, "NAME", 1, 1, CMD_JSON, create_opts, cmd_create,
         "create a review cycle with its phases and assignments",
         "A check-in is light (self and manager, a few questions, no ratings unless "
         "configured); an annual review has rubric ratings on every competency, 360 "
         "feedback and calibration; a project cycle serves a short-lived team and reports to "
         "each member's home manager. The teams' current members are reviewed, on the "
         "framework version given (their level and role profile must be in it). Self and "
         "manager assignments are made at once, and upward ones in annual reviews; peers are "
         "nominated afterwards. People partners (over every member) and admins create "
         "cycles."},
        {"cycle list", OP_CYCLE_LIST, "", 0, 0, CMD_JSON, NULL, cmd_list, "list review cycles",
         NULL},
        {"cycle advance", OP_CYCLE_ADVANCE, "", 0, 0, CMD_JSON, cycle_opt, cmd_advance,
         "close a cycle's current phase and open the next", NULL},
        {"cycle status", OP_CYCLE_STATUS, "", 0, 0, CMD_JSON, status_opts, cmd_status,
         "completion by phase and team, who is late, reminders sent",
         "Each reader sees the assignments about the people they may see, and their own."},
        {"cycle nominate", OP_CYCLE_NOMINATE, "", 0, 0, CMD_JSON, nominate_opts, cmd_nominate,
         "nominate a peer reviewer, or name a cross-functional one",
         "The reviewee nominates peers and their manager approves them (plumb cycle "
         "decide); the manager's own nominations and cross-functional reviewers need no "
         "approval. A reviewee has at most the framework's maximum of peers, and a reviewer "
         "at most the cycle's cap of feedback assignments."},
        {"cycle decide", OP_CYCLE_DECIDE, "", 0, 0, CMD_JSON, decide_opts, cmd_decide,
         "approve or decline a peer nomination (the reviewee's manager)", NULL},
        {"cycle check-calendar", OP_CYCLE_CHECK_CALENDAR, "", 0, 0, CMD_JSON, cycle_opt,
         cmd_check_calendar, "list the blackout windows a cycle's phases overlap",
         "A phase runs from the previous phase's due date (the first: the cycle's creation) to "
         "its own. A window applies when it is company-wide or its team is one of the cycle's "
         "teams, above one or below one (plumb calendar). One warning line per overlap, then "
         "a summary; exit status 1 when there is any overlap. Anyone who may read the "
         "cycle's status may check it."},
        {"cycle assignments", OP_CYCLE_ASSIGNMENTS, "", 0, 0, CMD_JSON, assignments_opts,
         cmd_assignments, "list review assignments and each reviewer's load", NULL},
};

const struct cli_group cli_group_cycle = {"cycle", commands, sizeof commands / sizeof commands[0]};
