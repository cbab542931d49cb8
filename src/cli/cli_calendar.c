/* cli_calendar: the calendar of blackout windows: add, list, remove. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "review/calendar.h"

/* Option name as a day (YYYY-MM-DD, UTC): its midnight in *ms. */
static int opt_day(struct cli_run *r, const char *name, int64_t *ms, bool *given)
{
	const char *v = cli_opt(r, name);
	*given = v != NULL;
	*ms = 0;
	struct error ignore = {0};
	if (v && (strlen(v) != 10 || ts_parse_date(v, ms, &ignore) < 0))
		return err_set(&r->err, ERR_USAGE, "--%s '%s': expected a day, YYYY-MM-DD (UTC)",
		               name, v);
	return 0;
}

/* --from DAY and --to DAY as [start, end): --to is inclusive, so the span
 * ends at the end of that day. */
static int opt_span(struct cli_run *r, int64_t *start, int64_t *end)
{
	bool from_given, to_given;
	int rc = opt_day(r, "from", start, &from_given);
	if (rc == 0)
		rc = opt_day(r, "to", end, &to_given);
	if (rc < 0)
		return rc;
	if (to_given)
		*end += MS_PER_DAY;
	if (from_given && to_given && *end <= *start)
		return err_set(&r->err, ERR_USAGE, "--to %s is before --from %s", cli_opt(r, "to"),
		               cli_opt(r, "from"));
	return 0;
}

static void json_window(struct jw *w, const struct calendar_window *win)
{
	jw_object_begin(w);
	jw_kint(w, "id", win->id);
	jw_kstr(w, "name", win->name);
	jw_kstr(w, "kind", win->kind);
	jw_key(w, "from");
	jw_date(w, win->starts_at, true);
	jw_key(w, "to");
	jw_date(w, win->ends_at - 1, true);
	jw_kstr(w, "team", win->team);
	jw_kstr(w, "note", win->note);
	jw_key(w, "created_at");
	jw_time(w, win->created_at, true);
	jw_kstr(w, "created_by", win->created_by);
	jw_object_end(w);
}

/* "freeze 'year-end' (window 3, 2026-12-15..2026-12-31, company-wide)" */
static const char *window_text(struct sb *s, const struct calendar_window *win)
{
	char a[TS_BUF], b[TS_BUF];
	sb_reset(s);
	sb_printf(s, "%s '%s' (window %" PRId64 ", %s..%s, %s%s)", win->kind, win->name, win->id,
	          ts_format_date(win->starts_at, a), ts_format_date(win->ends_at - 1, b),
	          win->team ? "team " : "company-wide", win->team ? win->team : "");
	return s->buf;
}

static int cmd_add(struct cli_run *r)
{
	struct calendar_add_options o = {
	        .name = cli_opt(r, "name"),
	        .kind = cli_opt(r, "kind"),
	        .team = cli_opt(r, "team"),
	        .note = cli_opt(r, "note"),
	};
	int rc = opt_span(r, &o.starts_at, &o.ends_at);
	struct calendar_window win;
	if (rc == 0)
		rc = calendar_add(r->ctx, &o, &win, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		json_window(&w, &win);
		cli_json_end(r, &buf);
		return 0;
	}
	struct sb s = SB_INIT;
	fprintf(r->out, "added %s\n", window_text(&s, &win));
	sb_release(&s);
	return 0;
}

static int cmd_list(struct cli_run *r)
{
	int64_t from = 0, to = 0;
	int rc = opt_span(r, &from, &to);
	struct calendar_window *ws = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = calendar_list(r->ctx, from, to, &ws, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++)
			json_window(&w, &ws[i]);
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	if (n == 0) {
		fprintf(r->out, "no blackout windows%s (plumb calendar add)\n",
		        from || to ? " in that range" : "");
		return 0;
	}
	static const char *const headers[] = {"id", "name", "kind", "from", "to", "team", "note"};
	struct cli_table t;
	cli_table_init(&t, headers, 7);
	for (size_t i = 0; i < n; i++) {
		char id[24], a[TS_BUF], b[TS_BUF];
		snprintf(id, sizeof id, "%" PRId64, ws[i].id);
		cli_table_add(&t, id, ws[i].name, ws[i].kind, ts_format_date(ws[i].starts_at, a),
		              ts_format_date(ws[i].ends_at - 1, b),
		              ws[i].team ? ws[i].team : "(company-wide)", ws[i].note);
	}
	cli_table_print(r, &t);
	cli_table_release(&t);
	return 0;
}

static int cmd_remove(struct cli_run *r)
{
	int64_t id;
	if (!cli_parse_id(r->pos[0], &id))
		return err_set(&r->err, ERR_USAGE,
		               "'%s': expected a window id (plumb calendar list)", r->pos[0]);
	struct calendar_window win;
	int rc = calendar_remove(r->ctx, id, cli_opt(r, "reason"), &win, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		json_window(&w, &win);
		cli_json_end(r, &buf);
		return 0;
	}
	struct sb s = SB_INIT;
	fprintf(r->out, "removed %s\n", window_text(&s, &win));
	sb_release(&s);
	return 0;
}

static const struct cli_opt add_opts[] = {
        {"name", "NAME", OPT_VALUE | OPT_REQUIRED, "what the window is, e.g. 'Q4 launch'"},
        {"kind", "KIND", OPT_VALUE | OPT_REQUIRED, "launch, reorg, holiday, freeze or other"},
        {"from", "DAY", OPT_VALUE | OPT_REQUIRED, "the first day (YYYY-MM-DD, UTC)"},
        {"to", "DAY", OPT_VALUE | OPT_REQUIRED,
         "the last day, included: the window ends at the end of it"},
        {"team", "TEAM", OPT_VALUE,
         "the team it applies to, with the teams above and below it (default: company-wide)"},
        {"note", "TEXT", OPT_VALUE, "a line on the window"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt list_opts[] = {
        {"from", "DAY", OPT_VALUE, "only windows that last to this day or later"},
        {"to", "DAY", OPT_VALUE, "only windows that start on this day or earlier"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt remove_opts[] = {
        {"reason", "TEXT", OPT_VALUE, "why, kept in the audit entry"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"calendar add", OP_CALENDAR_ADD, "", 0, 0, CMD_JSON, add_opts, cmd_add,
         "add a blackout window (launch, reorg, holiday, freeze) to the calendar",
         "Review cycles are checked against the calendar: plumb cycle create warns when a "
         "phase overlaps a window, and plumb cycle check-calendar lists the overlaps. A window "
         "with --team applies to cycles over that team, the teams above it and its subteams; "
         "without, to every cycle. Admins add windows; people partners for teams in their org "
         "units, and company-wide ones only with a company-wide scope."},
        {"calendar list", OP_CALENDAR_LIST, "", 0, 0, CMD_JSON, list_opts, cmd_list,
         "list blackout windows", "Any signed-in user may read the calendar."},
        {"calendar remove", OP_CALENDAR_REMOVE, "ID", 1, 1, CMD_JSON, remove_opts, cmd_remove,
         "remove a blackout window", "Who may: as for add. The audit entry keeps the window."},
};

const struct cli_group cli_group_calendar = {"calendar", commands,
                                             sizeof commands / sizeof commands[0]};
