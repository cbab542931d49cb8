/* packet: promotion packets in Markdown or HTML from one outline. */
#include "review/packet.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/decimal.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/actor.h"
#include "core/aup.h"
#include "core/authz.h"
#include "core/ctx.h"
#include "metrics/catalog.h"
#include "review/cycle.h"
#include "review/evaluation.h"
#include "review/feedback.h"
#include "review/framework.h"
#include "review/score.h"
#include "store/store.h"

/* ---- the outline, written as Markdown or HTML ---- */

struct out {
	struct sb sb;
	bool html;
	bool in_list;
};

/* Where Markdown text goes decides what a line break in it becomes: a space
 * in a block of one line (a heading, a table cell), a hard break in a
 * paragraph, and a hard break indented to stay inside a list item. */
enum md_block { MD_LINE, MD_PARA, MD_ITEM };

static bool md_word_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A list marker or setext underline ends at a blank or the line's end. */
static bool md_ends_marker(char c)
{
	return !c || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* At p, a line break: the last character of its run of breaks and blanks,
 * and in *lines how many lines that run ends ("\r\n" is one). */
static const char *line_breaks(const char *p, int *lines)
{
	*lines = 0;
	for (;; p++) {
		*lines += *p == '\n' || (*p == '\r' && p[1] != '\n');
		if (!p[1] || !strchr("\n\r \t", p[1]))
			return p;
	}
}

/* HTML text where a block may hold several lines keeps them, as md_text
 * does: a <br> for a line break, two for a blank line. */
static void html_text(struct sb *sb, const char *s, enum md_block block)
{
	struct sb line = SB_INIT;
	for (const char *p = s;; p++) {
		if (*p && (block == MD_LINE || (*p != '\n' && *p != '\r'))) {
			sb_putc(&line, *p);
			continue;
		}
		sb_html(sb, line.buf);
		sb_reset(&line);
		if (!*p)
			break;
		int lines;
		p = line_breaks(p, &lines);
		if (!p[1])
			break;
		sb_puts(sb, lines > 1 ? "<br>\n<br>\n" : "<br>\n");
	}
	sb_release(&line);
}

/* The length of a URL with a scheme (http, https, ftp) at p, ended as GFM
 * ends its autolinks: at a blank, a control character, `<`, `>` or `|` (a
 * table cell's end), less trailing punctuation and an unmatched `)`; 0 when
 * none starts there. */
static size_t md_url_len(const char *s, const char *p)
{
	static const char *const schemes[] = {"http://", "https://", "ftp://"};
	if (p > s && md_word_char(p[-1]))
		return 0;
	size_t scheme = 0;
	for (size_t i = 0; i < sizeof schemes / sizeof *schemes && !scheme; i++)
		if (strncasecmp(p, schemes[i], strlen(schemes[i])) == 0)
			scheme = strlen(schemes[i]);
	if (!scheme)
		return 0;
	size_t len = scheme;
	int unmatched = 0; /* ')' less '(' */
	for (; (unsigned char)p[len] > ' ' && p[len] != 0x7f && !strchr("<>|", p[len]); len++)
		unmatched += (p[len] == ')') - (p[len] == '(');
	for (; len > scheme; len--) {
		char c = p[len - 1];
		if (c == ')' && unmatched > 0)
			unmatched--;
		else if (!strchr(".,:;!?'\"*_~", c))
			break;
	}
	return len > scheme ? len : 0;
}

/* Markdown that reads as the characters written, whatever a name, comment or
 * answer holds: the punctuation that could open emphasis, code, a link, raw
 * HTML, an entity, a heading's closing or a table cell is backslash-escaped
 * (CommonMark 0.30, "Backslash escapes"; `|` in a GFM table cell), and so is
 * what would open a block at a line's start (a list, a quote, a setext
 * underline, a table's delimiter row). A URL is written as an autolink,
 * `<URL>`, whose text is taken as it is; a "www." without a scheme stays
 * text (GFM would link it). An `_` inside a word opens nothing, so
 * snake_case stays readable. Leading blanks are dropped (four would make
 * code), and a blank line, which would end the block, becomes a second
 * hard break. */
static void md_text(struct sb *sb, const char *s, enum md_block block)
{
	bool line_start = true;
	for (const char *p = s; *p; p++) {
		if (*p == '\n' || *p == '\r') {
			int lines;
			p = line_breaks(p, &lines);
			if (!p[1])
				break;
			const char *brk = block == MD_LINE   ? " "
			                  : block == MD_ITEM ? "\\\n  "
			                                     : "\\\n";
			sb_puts(sb, brk);
			if (lines > 1 && block != MD_LINE)
				sb_puts(sb, brk);
			line_start = block != MD_LINE;
			continue;
		}
		if (line_start) {
			if (*p == ' ' || *p == '\t')
				continue;
			line_start = false;
			const char *d = p;
			while (*d >= '0' && *d <= '9' && d - p < 9)
				d++;
			if (d > p && (*d == '.' || *d == ')') && md_ends_marker(d[1])) {
				sb_add(sb, p, (size_t)(d - p));
				sb_putc(sb, '\\');
				sb_putc(sb, *d);
				p = d;
				continue;
			}
			/* `-` and `:` may also start a table's delimiter row (`:-`, `-:`),
			 * which would make the line before a table's header. */
			if (*p == '-' || *p == ':' ||
			    (strchr("+=", *p) && (md_ends_marker(p[1]) || p[1] == *p)))
				sb_putc(sb, '\\');
		}
		/* A URL as a CommonMark autolink, where escapes would be read as
		 * part of it (GFM links a bare URL with its backslashes, and takes
		 * a hard break's `\` after it into the link). */
		size_t url = md_url_len(s, p);
		if (url) {
			sb_putc(sb, '<');
			sb_add(sb, p, url);
			sb_putc(sb, '>');
			p += url - 1;
			continue;
		}
		/* GFM links "www." without a scheme, taking escapes with it; as
		 * text it stays text. */
		if (strncasecmp(p, "www.", 4) == 0 && (p == s || !md_word_char(p[-1]))) {
			sb_add(sb, p, 3);
			sb_puts(sb, "\\.");
			p += 3;
			continue;
		}
		char c = *p;
		bool inside_word = c == '_' && p > s && md_word_char(p[-1]) && md_word_char(p[1]);
		bool entity = c == '&' && (p[1] == '#' || md_word_char(p[1]));
		if ((strchr("\\`*_[]<>|~#", c) && !inside_word) || entity)
			sb_putc(sb, '\\');
		sb_putc(sb, c);
	}
}

static void escaped(struct out *o, const char *s, enum md_block block)
{
	if (o->html)
		html_text(&o->sb, s, block);
	else
		md_text(&o->sb, s, block);
}

static const char *fmt_text(struct arena *a, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));
static const char *fmt_text(struct arena *a, const char *fmt, va_list ap)
{
	struct sb s = SB_INIT;
	sb_vprintf(&s, fmt, ap);
	const char *text = arena_strdup(a, s.buf ? s.buf : "");
	sb_release(&s);
	return text;
}

static void end_list(struct out *o)
{
	if (o->in_list && o->html)
		sb_puts(&o->sb, "</ul>\n");
	else if (o->in_list)
		sb_putc(&o->sb, '\n');
	o->in_list = false;
}

static void heading(struct out *o, struct arena *a, int level, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static void heading(struct out *o, struct arena *a, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *text = fmt_text(a, fmt, ap);
	va_end(ap);
	end_list(o);
	if (o->html) {
		sb_printf(&o->sb, "<h%d>", level);
		escaped(o, text, MD_LINE);
		sb_printf(&o->sb, "</h%d>\n", level);
	} else {
		for (int i = 0; i < level; i++)
			sb_putc(&o->sb, '#');
		sb_putc(&o->sb, ' ');
		escaped(o, text, MD_LINE);
		sb_puts(&o->sb, "\n\n");
	}
}

static void para(struct out *o, struct arena *a, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static void para(struct out *o, struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *text = fmt_text(a, fmt, ap);
	va_end(ap);
	end_list(o);
	if (o->html)
		sb_puts(&o->sb, "<p>");
	escaped(o, text, MD_PARA);
	sb_puts(&o->sb, o->html ? "</p>\n" : "\n\n");
}

/* A labelled paragraph: "**Label:** text". */
static void labelled(struct out *o, const char *label, const char *text)
{
	end_list(o);
	if (o->html) {
		sb_puts(&o->sb, "<p><strong>");
		escaped(o, label, MD_LINE);
		sb_puts(&o->sb, ":</strong> ");
		escaped(o, text, MD_PARA);
		sb_puts(&o->sb, "</p>\n");
	} else {
		sb_puts(&o->sb, "**");
		escaped(o, label, MD_LINE);
		sb_puts(&o->sb, ":** ");
		escaped(o, text, MD_PARA);
		sb_puts(&o->sb, "\n\n");
	}
}

static void item(struct out *o, struct arena *a, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static void item(struct out *o, struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *text = fmt_text(a, fmt, ap);
	va_end(ap);
	if (!o->in_list && o->html)
		sb_puts(&o->sb, "<ul>\n");
	o->in_list = true;
	sb_puts(&o->sb, o->html ? "<li>" : "- ");
	escaped(o, text, MD_ITEM);
	sb_puts(&o->sb, o->html ? "</li>\n" : "\n");
}

/* A table: the header row, then rows of n cells each. */
static void table_row(struct out *o, const char *const *cells, size_t n, bool header)
{
	end_list(o);
	if (o->html) {
		sb_puts(&o->sb, "<tr>");
		for (size_t i = 0; i < n; i++) {
			sb_puts(&o->sb, header ? "<th>" : "<td>");
			escaped(o, cells[i], MD_LINE);
			sb_puts(&o->sb, header ? "</th>" : "</td>");
		}
		sb_puts(&o->sb, "</tr>\n");
		return;
	}
	sb_puts(&o->sb, "|");
	for (size_t i = 0; i < n; i++) {
		sb_putc(&o->sb, ' ');
		escaped(o, cells[i], MD_LINE);
		sb_puts(&o->sb, " |");
	}
	sb_putc(&o->sb, '\n');
	if (header) {
		sb_puts(&o->sb, "|");
		for (size_t i = 0; i < n; i++)
			sb_puts(&o->sb, " --- |");
		sb_putc(&o->sb, '\n');
	}
}

static void table_begin(struct out *o, const char *const *headers, size_t n)
{
	end_list(o);
	if (o->html)
		sb_puts(&o->sb, "<table>\n");
	table_row(o, headers, n, true);
}

static void table_end(struct out *o)
{
	sb_puts(&o->sb, o->html ? "</table>\n" : "\n");
}

/* ---- the packet ---- */

struct packet_args {
	const struct packet_request *req;
	struct packet *out;
};

struct facts {
	struct cycle_info cycle;
	const struct framework *fw;
	struct evaluation_member member;
	const char *name;
	int64_t left_on; /* the person's end date, once passed; 0 while with the org */
	const struct fw_level *current, *target;
	struct evaluation eval;
	struct score score;
	struct feedback_group *groups;
	size_t ngroups;
};

/* The person's name, and their end date once it has passed (*left_on 0
 * while they are with the org). */
static int person_name(struct ctx *ctx, int64_t id, const char **name, int64_t *left_on,
                       struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT name, end_date FROM people WHERE id = ?", &st,
	                       err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, id);
	rc = stmt_step(st, err);
	*name = rc == STORE_ROW ? stmt_text_dup(st, 0, ctx->arena) : "";
	*left_on = rc == STORE_ROW && !stmt_is_null(st, 1) ? stmt_int(st, 1) : 0;
	stmt_reset(st);
	if (*left_on > ts_now_ms())
		*left_on = 0;
	return rc < 0 ? rc : 0;
}

/* A committee document: the person's managers and people partners, not the
 * person (who reads their own evaluation and score) nor admins. */
static int may_write(struct ctx *ctx, const struct evaluation_member *m, struct error *err)
{
	enum authz_review rel;
	int rc = authz_review_relation(ctx, m->person_id, m->manager_id, &rel, err);
	if (rc < 0)
		return rc;
	if (rel == AUTHZ_REVIEW_MANAGER || rel == AUTHZ_REVIEW_PEOPLE_PARTNER)
		return 0;
	/* Someone outside the actor's scope is refused as an unknown id is, so the
	 * answer tells neither that they exist nor that they are in the cycle. */
	if ((rc = authz_require_person(ctx, m->person_id, m->employee_id, err)) < 0)
		return rc;
	err_set(err, ERR_DENIED, "%s may not write a promotion packet for %s", ctx->actor.name,
	        m->employee_id);
	err_hint(err, "the person's managers and people partners write packets");
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

/* A group the packet's writer wrote in is not shown to them, and a packet
 * that left it out saying so would tell its readers, the committee, who wrote
 * in it: such a writer is refused, and someone who did not write in it writes
 * the packet.  Not recorded as an access denial, whose entry keeps the reason
 * for the audit log's readers (admins, who read no review content): the
 * failed read is recorded as any other, without it. */
static int wrote_in_group(struct ctx *ctx, const struct evaluation_member *m, enum fw_relation rel,
                          struct error *err)
{
	const char *words =
	        rel == FW_REL_CROSS_FUNCTIONAL ? "cross-functional" : fw_relation_name(rel);
	err_set(err, ERR_DENIED,
	        "%s may not write a promotion packet for %s: they wrote in %s's %s "
	        "feedback",
	        ctx->actor.name, m->employee_id, m->employee_id, words);
	err_detail(err, "a packet leaves out a group its writer wrote in and says why, which would "
	                "tell its readers who wrote in it");
	err_hint(err,
	         "someone else who writes packets for %s (another of their managers, or a "
	         "people partner over them) and did not write in that feedback writes it",
	         m->employee_id);
	return ERR_DENIED;
}

/* The cycle and the person in it, once the actor may write their packet. */
static int packet_subject(struct ctx *ctx, const char *cycle_name, const char *person,
                          int64_t *cycle, struct cycle_info *info, struct evaluation_member *m,
                          struct error *err)
{
	int rc = cycle_find(ctx, cycle_name, cycle, err);
	if (rc == 0)
		rc = cycle_info(ctx, *cycle, info, err);
	if (rc == 0)
		rc = evaluation_member(ctx, *cycle, info->name, person, m, err);
	return rc < 0 ? rc : may_write(ctx, m, err);
}

static int gather(struct ctx *ctx, const struct packet_request *req, struct facts *f,
                  struct error *err)
{
	memset(f, 0, sizeof *f);
	int64_t cycle;
	int rc = packet_subject(ctx, req->cycle, req->person, &cycle, &f->cycle, &f->member, err);
	if (rc == 0)
		rc = framework_load(ctx, f->cycle.framework_version, &f->fw, err);
	if (rc < 0)
		return rc;
	f->current = framework_level(f->fw, f->member.level);
	f->target = framework_level(f->fw, req->target_level);
	if (!f->target)
		return err_set(err, ERR_INVALID,
		               "'%s' is not a level of framework version %d (cycle '%s')",
		               req->target_level, f->fw->version, f->cycle.name);
	if (f->current && strcmp(f->current->track, f->target->track) == 0 &&
	    f->target->rank <= f->current->rank) {
		/* The refusal tells the person's level, which elsewhere only an
		 * audited read of them tells (the packet page offers every level
		 * for that): a failed read of the person, not of no one (found
		 * hunting packets). */
		ctx_subject(ctx, "person", req->person);
		return err_set(err, ERR_INVALID,
		               "%s is at %s already; a promotion packet targets a level above it",
		               req->person, f->member.level);
	}
	bool found = false;
	rc = evaluation_load_tx(ctx, cycle, f->member.person_id, 0, f->fw, &f->eval, &found, err);
	if (rc == 0 && !found)
		return err_set(err, ERR_NOT_FOUND,
		               "%s has no evaluation in cycle '%s' yet: a packet stands on one",
		               req->person, f->cycle.name);
	if (rc == 0)
		rc = score_compute_tx(ctx, cycle, f->member.person_id, &f->score, err);
	if (rc == 0)
		rc = feedback_groups_tx(ctx, cycle, f->member.person_id, 0, &f->groups, &f->ngroups,
		                        err);
	for (size_t g = 0; rc == 0 && g < f->ngroups; g++)
		if (f->groups[g].reader_wrote)
			rc = wrote_in_group(ctx, &f->member, f->groups[g].relation, err);
	if (rc == 0)
		rc = person_name(ctx, f->member.person_id, &f->name, &f->left_on, err);
	/* Metrics in a promotion document pass the sign-off rule. */
	for (size_t i = 0; rc == 0 && i < f->eval.nratings; i++)
		for (size_t j = 0; rc == 0 && j < f->eval.ratings[i].nevidence; j++) {
			const struct evaluation_evidence *e = &f->eval.ratings[i].evidence[j];
			if (strcmp(e->kind, "metric") == 0)
				rc = aup_check_incentive_use(ctx, e->ref, "promotion", err);
		}
	/* Read in full: the audit entry names the person. */
	if (rc == 0)
		ctx_subject(ctx, "person", req->person);
	return rc;
}

static const char *date_text(struct arena *a, int64_t ms)
{
	char buf[TS_BUF];
	return ms ? arena_strdup(a, ts_format_date(ms, buf)) : "undated";
}

static const char *evidence_text(struct arena *a, const struct evaluation_evidence *e)
{
	struct sb s = SB_INIT;
	char value[48];
	sb_printf(&s, "%s", e->kind);
	if (e->title && *e->title)
		sb_printf(&s, ": %s", e->title);
	if (strcmp(e->kind, "metric") == 0 && e->has_metric_value && !isnan(e->metric_value))
		sb_printf(&s, ": %s = %s (plumb explain metric-value:%" PRId64 ")", e->ref,
		          decimal_format(value, sizeof value, e->metric_value, DECIMAL_EXACT),
		          e->metric_value_id);
	else if (strcmp(e->kind, "feedback") == 0)
		sb_printf(&s, " (the %s feedback of this cycle)", e->ref);
	else
		sb_printf(&s, " (%s)", e->ref);
	if (e->occurred_at)
		sb_printf(&s, ", %s", date_text(a, e->occurred_at));
	const char *text = arena_strdup(a, s.buf);
	sb_release(&s);
	return text;
}

static const char *level_text(struct arena *a, const struct fw_level *l, const char *id)
{
	return l ? arena_printf(a, "%s %s", l->id, l->name) : id;
}

/* A score to two decimals, rounded half away from zero, unless that would
 * put it on a point of its scale or past one, as 2.999 below "meets" would
 * read 3.00 beside "between Below and Meets expectations" (found hunting
 * packets): then with the digits that keep it on its side. */
static const char *score_text(struct arena *a, double v, const struct fw_scale *s)
{
	char buf[48];
	return arena_strdup(a, score_scale_text(buf, sizeof buf, v, s));
}

/* The scale of the axes a composite weighs: one, as imports require. */
static const struct fw_scale *composite_scale(const struct facts *f)
{
	for (int x = 0; x < FW_AXIS_COUNT; x++)
		if (f->score.composite_weights[x] > 0)
			return f->score.axes[x].scale;
	return f->score.axes[FW_AXIS_PERFORMANCE].scale;
}

static void write_summary(struct out *o, struct arena *a, const struct facts *f)
{
	heading(o, a, 1, "Promotion packet: %s (%s), %s to %s", f->name, f->member.employee_id,
	        level_text(a, f->current, f->member.level),
	        level_text(a, f->target, f->target->id));
	/* Someone gone is most likely a mistake, but a backfilled cycle may want
	 * the packet: said at its head, not refused. */
	if (f->left_on)
		para(o, a, "%s left on %s.", f->name, date_text(a, f->left_on));
	const struct fw_profile *prof = framework_profile(f->fw, f->member.role_profile);
	para(o, a,
	     "Cycle %s (%s, %s to %s), framework version %d (%s). Role profile: %s. "
	     "Evaluation version %d by %s on %s.",
	     f->cycle.name, f->cycle.kind, date_text(a, f->cycle.period_start),
	     date_text(a, f->cycle.period_end), f->fw->version, f->fw->name,
	     prof ? prof->name : f->member.role_profile, f->eval.version, f->eval.created_by,
	     date_text(a, f->eval.created_at));
	heading(o, a, 2, "The three axes");
	para(o, a,
	     "Each axis is scored on its own from the role profile's weights; the person's "
	     "score (plumb score show) gives the arithmetic.");
	static const char *const headers[] = {"axis", "score", "in words", "flags"};
	table_begin(o, headers, 4);
	for (int x = 0; x < FW_AXIS_COUNT; x++) {
		const struct score_axis *ax = &f->score.axes[x];
		/* The flags of score show, in its words and rounding. */
		struct sb flags = SB_INIT;
		char share[48];
		if (ax->sum.dominated)
			sb_printf(&flags,
			          "driven by one dimension: %s carries %s%%, above the "
			          "dominance threshold %g%%",
			          ax->dims[ax->sum.top].dimension,
			          score_share_text(share, sizeof share, ax->sum.top_share,
			                           f->score.dominance),
			          100 * f->score.dominance);
		if (ax->sum.renormalized)
			sb_printf(&flags, "%sweights renormalized over the rated dimensions",
			          flags.len ? "; " : "");
		for (size_t i = 0; ax->sum.capped && i < ax->ndims; i++)
			if (ax->dims[i].term.over_cap)
				sb_printf(&flags, "%s%s weighs %s, above the cap %g",
				          flags.len ? "; " : "", ax->dims[i].dimension,
				          score_weight_text(share, sizeof share, &ax->dims[i].term,
				                            f->score.cap),
				          f->score.cap);
		const char *cells[] = {
		        ax->name,
		        ax->sum.scored ? score_text(a, ax->sum.score, ax->scale) : "not scored",
		        ax->label ? ax->label : "", flags.buf ? arena_strdup(a, flags.buf) : ""};
		table_row(o, cells, 4, false);
		sb_release(&flags);
	}
	table_end(o);
	if (f->score.has_composite && f->score.composite_scored)
		para(o, a,
		     "Composite, shown beside the axes and never instead of them: %s "
		     "(performance %g, impact %g, potential %g).",
		     score_text(a, f->score.composite, composite_scale(f)),
		     f->score.composite_weights[FW_AXIS_PERFORMANCE],
		     f->score.composite_weights[FW_AXIS_IMPACT],
		     f->score.composite_weights[FW_AXIS_POTENTIAL]);
}

static const struct evaluation_rating *rating_of(const struct evaluation *e, const char *id)
{
	for (size_t i = 0; i < e->nratings; i++)
		if (strcmp(e->ratings[i].dimension, id) == 0)
			return &e->ratings[i];
	return NULL;
}

static void write_expectations(struct out *o, struct arena *a, const struct facts *f)
{
	heading(o, a, 2, "Expectations at %s and the evidence",
	        level_text(a, f->target, f->target->id));
	for (size_t i = 0; i < f->fw->ncompetencies; i++) {
		const struct fw_competency *c = &f->fw->competencies[i];
		const struct evaluation_rating *r = rating_of(&f->eval, c->id);
		if (r)
			heading(o, a, 3, "%s: rated %g (%s)", c->name, r->rating,
			        r->label ? r->label : "");
		else
			heading(o, a, 3, "%s: not rated", c->name);
		labelled(o, arena_printf(a, "Expected at %s (target)", f->target->id),
		         framework_expectation(c, f->target->id));
		const char *now = f->current ? framework_expectation(c, f->current->id) : NULL;
		if (now)
			labelled(o, arena_printf(a, "Expected at %s (now)", f->current->id), now);
		if (!r)
			continue;
		if (r->no_evidence_reason)
			labelled(o, "No evidence cited, because", r->no_evidence_reason);
		for (size_t j = 0; j < r->nevidence; j++)
			item(o, a, "%s", evidence_text(a, &r->evidence[j]));
		if (r->recency_flag)
			para(o, a,
			     "Flagged for review: most of this evidence is from the last "
			     "quarter of the period.");
	}
}

static void write_feedback(struct out *o, struct arena *a, const struct facts *f)
{
	heading(o, a, 2, "Feedback themes");
	para(o, a,
	     "Peer, upward and cross-functional feedback is shown only as a group of at "
	     "least the framework's threshold of responses, in no particular order and "
	     "without names or dates.");
	if (!f->ngroups)
		para(o, a, "No peer, upward or cross-functional feedback was asked for.");
	for (size_t g = 0; g < f->ngroups; g++) {
		const struct feedback_group *gr = &f->groups[g];
		const char *rel = fw_relation_name(gr->relation);
		if (gr->withheld) {
			heading(o, a, 3, "%s feedback: withheld", rel);
			para(o, a, "%s.", gr->why);
			continue;
		}
		heading(o, a, 3, "%s feedback (%d responses)", rel, gr->responses);
		if (gr->texts_withheld)
			para(o, a, "Answers and comments withheld: %s.", gr->texts_withheld);
		for (size_t q = 0; q < gr->nanswers; q++) {
			if (!gr->answers[q].n)
				continue;
			labelled(o, "Question", gr->answers[q].text);
			for (size_t k = 0; k < gr->answers[q].n; k++)
				item(o, a, "%s", gr->answers[q].answers[k]);
		}
		/* Each under a label of its own: right after the last question's
		 * answers they read as more answers to it (found walking the demo). */
		bool rated = false;
		for (size_t r = 0; r < gr->nratings && !rated; r++)
			rated = gr->ratings[r].shown;
		if (rated)
			labelled(o, "Ratings",
			         "the mean of each competency's ratings, over the responses that "
			         "gave one");
		for (size_t r = 0; r < gr->nratings; r++)
			if (gr->ratings[r].shown)
				item(o, a, "rating of %s: mean %.2f over %d responses",
				     gr->ratings[r].competency, gr->ratings[r].mean_reported,
				     gr->ratings[r].count);
		if (gr->ncomments)
			labelled(o, "Comments", "in no particular order");
		for (size_t k = 0; k < gr->ncomments; k++)
			item(o, a, "%s", gr->comments[k]);
	}
}

static int write_metrics(struct ctx *ctx, struct out *o, const struct facts *f, struct error *err)
{
	struct arena *a = ctx->arena;
	heading(o, a, 2, "Metrics cited");
	bool any = false;
	for (size_t i = 0; i < f->eval.nratings; i++)
		for (size_t j = 0; j < f->eval.ratings[i].nevidence; j++) {
			const struct evaluation_evidence *e = &f->eval.ratings[i].evidence[j];
			if (strcmp(e->kind, "metric") != 0)
				continue;
			/* The version that computed the value says what it means, even
			 * once a newer one is active or the metric is retired. */
			struct metric_def def;
			int rc = e->has_metric_value ? catalog_def_of_value(ctx, e->metric_value_id,
			                                                    a, &def, err)
			                             : catalog_active(ctx, e->ref, a, &def, err);
			if (rc < 0)
				return rc;
			any = true;
			heading(o, a, 3, "%s (%s), for %s", def.name, def.key,
			        f->eval.ratings[i].dimension);
			char value[96];
			if (e->has_metric_value && !isnan(e->metric_value))
				para(o, a,
				     "%s over the cycle's period. How it is computed: plumb "
				     "explain metric-value:%" PRId64 ".",
				     catalog_value_text(value, sizeof value, e->metric_value,
				                        def.key, def.unit, true),
				     e->metric_value_id);
			else
				para(o, a, "Nothing to measure over the cycle's period.");
			bool active = !strcmp(def.status, "active");
			para(o, a, "%s (definition version %d%s%s, owner %s; %s is better).",
			     def.description, def.version, active ? "" : ", now ",
			     active ? "" : def.status, def.owner, def.direction);
		}
	if (!any)
		para(o, a, "The evaluation cites no metrics.");
	return 0;
}

static const char html_head[] =
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>Promotion packet</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.45}table{border-collapse:collapse}td,th{border:1px solid #bbb;"
        "padding:.25rem .5rem;text-align:left}h3{margin-top:1.5rem}</style></head><body>\n";

static int packet_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct packet_args *pa = arg;
	struct facts f;
	int rc = gather(ctx, pa->req, &f, err);
	if (rc < 0)
		return rc;
	struct out o = {SB_INIT, pa->req->format == PACKET_HTML, false};
	struct arena *a = ctx->arena;
	if (o.html)
		sb_puts(&o.sb, html_head);
	write_summary(&o, a, &f);
	write_expectations(&o, a, &f);
	write_feedback(&o, a, &f);
	rc = write_metrics(ctx, &o, &f, err);
	heading(&o, a, 2, "The manager's case");
	if (*f.eval.manager_case)
		para(&o, a, "%s", f.eval.manager_case);
	else
		para(&o, a, "The manager wrote no case.");
	end_list(&o);
	if (o.html)
		sb_puts(&o.sb, "</body></html>\n");
	pa->out->text = rc == 0 ? arena_strdup(a, o.sb.buf) : NULL;
	pa->out->left_on = f.left_on;
	sb_release(&o.sb);
	return rc;
}

int packet_write(struct ctx *ctx, const struct packet_request *req, struct packet *out,
                 struct error *err)
{
	memset(out, 0, sizeof *out);
	struct packet_args pa = {req, out};
	return ctx_run(ctx, OP_PACKET, packet_body, &pa, err);
}

struct check_args {
	const char *cycle, *person;
};

static int check_body(struct ctx *ctx, void *arg, struct error *err)
{
	const struct check_args *a = arg;
	int64_t cycle;
	struct cycle_info info;
	struct evaluation_member m;
	return packet_subject(ctx, a->cycle, a->person, &cycle, &info, &m, err);
}

int packet_check(struct ctx *ctx, const char *cycle, const char *person, struct error *err)
{
	struct check_args a = {cycle, person};
	/* It reads what cycle status reads (the cycle's members and the actor's
	 * relation to one), not the person's record: no audited read of them. */
	return ctx_run(ctx, OP_CYCLE_STATUS, check_body, &a, err);
}
