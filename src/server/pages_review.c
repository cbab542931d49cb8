/* pages_review: the review cycle pages (see pages.h): what the signed-in
 * person owes across open cycles, a cycle's progress, the feedback and
 * manager-review forms, a score with its arithmetic and the promotion
 * packet.  A form becomes the JSON document its service takes (JSON is
 * YAML), named "the form" so errors read "the form:4: answers.growth: ...";
 * the services decide every permission and check every value. */
#include <ctype.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/decimal.h"
#include "base/jw.h"
#include "base/mem.h"
#include "core/ctx.h"
#include "review/cycle.h"
#include "review/evaluation.h"
#include "review/feedback.h"
#include "review/framework.h"
#include "review/packet.h"
#include "review/score.h"
#include "server/pages_int.h"
#include "server/server_int.h"

#define EVIDENCE_BLANK 2 /* empty evidence rows offered per competency */
/* Evidence rows one competency's form holds: every item a rating may cite, so
 * that a version opened here keeps all of the last one's (found in review: 20
 * rows, and a rating citing 22 lost 4 in the next version), and the blanks. */
#define EVIDENCE_ROWS_MAX (EVALUATION_EVIDENCE_MAX + EVIDENCE_BLANK)

/* Labels the forms show, which the pages keeping a refused form's text
 * show too (page_feedback_label, page_review_label). */
static const char comments_label[] = "Comments (optional)";
static const char case_label[] = "Your case";
static const char reason_label[] = "Why this version (needed from version 2 on)";
/* An evidence row's columns: the field's last part, and its label's. */
static const struct ev_column {
	const char *field, *label;
} ev_columns[] = {
        {"kind", "kind"},
        {"ref", "reference"},
        {"date", "date"},
        {"title", "title"},
        {"negative", "counts against the person"},
};

static const char *const evidence_kinds[] = {
#define EVIDENCE_KIND_NAME_(id, name) name,
        EVIDENCE_KIND_TABLE(EVIDENCE_KIND_NAME_)
#undef EVIDENCE_KIND_NAME_
};

/* ---- small pieces ------------------------------------------------------------------ */

static const char *relation_title(const char *relation)
{
	static const char *const titles[][2] = {{"self", "Self review"},
	                                        {"manager", "Manager review"},
	                                        {"peer", "Peer feedback"},
	                                        {"upward", "Upward feedback"},
	                                        {"cross_functional", "Cross-functional feedback"}};
	for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
		if (strcmp(titles[i][0], relation) == 0)
			return titles[i][1];
	return relation;
}

/* What a feedback form of relation is called: the manager's review is their
 * written feedback and their ratings (the evaluation). */
static const char *feedback_title(const char *relation)
{
	return strcmp(relation, "manager") == 0 ? "Manager feedback" : relation_title(relation);
}

/* "peer feedback": a title in a sentence. */
static const char *relation_words(struct page *p, const char *relation)
{
	char *s = arena_strdup(p->ctx->arena, feedback_title(relation));
	s[0] = (char)tolower((unsigned char)s[0]);
	return s;
}

/* "Performance": a name as a heading. */
static const char *capitalized(struct page *p, const char *name)
{
	char *s = arena_strdup(p->ctx->arena, name);
	s[0] = (char)toupper((unsigned char)s[0]);
	return s;
}

/* "/cycles/C" or "/cycles/C/WHAT/EID", each name URL-encoded. */
static const char *cycle_path(struct page *p, const char *cycle, const char *what, const char *eid)
{
	struct sb s = SB_INIT;
	sb_puts(&s, "/cycles/");
	sb_url_encode(&s, cycle);
	if (what) {
		sb_printf(&s, "/%s/", what);
		sb_url_encode(&s, eid);
	}
	char *out = arena_strdup(p->ctx->arena, s.buf);
	sb_release(&s);
	return out;
}

static void a_href(struct page *p, const char *href, const char *label)
{
	raw(p, "<a href=\"");
	text(p, href);
	raw(p, "\">");
	text(p, label);
	raw(p, "</a>");
}

/* The reminders sent for an assignment, or an empty cell where they are
 * withheld from the reader (as when the reviewer wrote is). */
static void reminders_cell(struct page *p, int reminders)
{
	if (reminders < 0)
		raw(p, "</td><td class=\"num\"></td></tr>");
	else
		rawf(p, "</td><td class=\"num\">%d</td></tr>", reminders);
}

/* A person as the actor may see them: "Name (E101)", or "you". */
static void person(struct page *p, const char *name, const char *eid, bool me)
{
	if (me) {
		raw(p, "you");
		return;
	}
	text(p, name && *name ? name : eid);
	if (name && *name && eid && strcmp(name, eid) != 0) {
		raw(p, " (");
		text(p, eid);
		raw(p, ")");
	}
}

/* Where an assignment stands, in words. */
static void assignment_state(struct page *p, const struct cycle_assignment *x, int64_t now)
{
	if (strcmp(x->status, "declined") == 0)
		raw(p, "declined");
	else if (strcmp(x->status, "nominated") == 0)
		raw(p, "nominated; awaits the reviewee's manager's approval");
	else if (x->done) {
		raw(p, "<strong>done</strong>");
		/* A peer's time is theirs: others see done, not when (done_at 0). */
		if (x->done_at) {
			raw(p, " ");
			date(p, x->done_at, true);
		}
		/* Only a self review is covered once written (FEEDBACK_SELF_COVERED). */
		if (x->covered)
			raw(p, "; kept as history: the person's self review in this cycle is the "
			       "one they wrote as another record of theirs");
	} else if (x->covered && strcmp(x->relation, "self") == 0) {
		raw(p, "covered by the self review the same person wrote as another record of "
		       "theirs");
	} else if (x->covered) {
		raw(p, "covered by the same person's assignment as another record of theirs");
	} else if (x->withdrawn) {
		raw(p, x->reviewer_left_on ? "withdrawn: the reviewer has left"
		                           : "withdrawn: the reviewee has left");
	} else if (x->unowned) {
		raw(p, "owed by nobody yet: the manager in the cycle has left, and the person has "
		       "no manager now to stand in (a people partner over them may write the "
		       "evaluation)");
	} else {
		raw(p, x->draft ? "draft saved" : "not started");
		if (x->due_at && x->due_at < now)
			raw(p, "; <strong>late</strong>");
	}
}

/* The service's message on a form shown again: what is wrong, and where; a
 * detail the server keeps (a conflict's driver words) as server_error_conceal
 * keeps it. */
void page_form_error(struct page *p, const struct error *problem)
{
	struct error told = *problem;
	const struct error *e = &told;
	server_error_conceal(&told);
	raw(p, "<div class=\"error\" role=\"alert\"><p>");
	page_text_times(p->html, e->message);
	raw(p, "</p>");
	if (e->detail[0]) {
		raw(p, "<p>");
		page_text_times(p->html, e->detail);
		raw(p, "</p>");
	}
	page_hint(p->html, e->hint);
	raw(p, "</div>");
}

/* Whether a service's refusal belongs on the form shown again (bad input, an
 * acceptable-use rule, a closed phase) rather than on the error page (not
 * allowed, no such record, the server's trouble). */
bool page_form_shows(int rc)
{
	return rc == ERR_INVALID || rc == ERR_USAGE || rc == ERR_POLICY || rc == ERR_CONFLICT ||
	       rc == ERR_TOO_BIG;
}

static void csrf_field(struct page *p)
{
	raw(p, "<input type=\"hidden\" name=\"csrf\" value=\"");
	text(p, p->req->csrf);
	raw(p, "\">");
}

/* <option value="V">LABEL</option>, selected when V is current. */
void page_option(struct page *p, const char *value, const char *label, const char *current)
{
	raw(p, "<option value=\"");
	text(p, value);
	raw(p, current && strcmp(current, value) == 0 ? "\" selected>" : "\">");
	text(p, label);
	raw(p, "</option>");
}

/* A service's text about the page's own document past its "the form:LINE: "
 * (the lines are the page's, not the user's); NULL when it has none. */
static const char *past_form_line(const char *text)
{
	size_t n = strlen(PAGE_FORM_NAME);
	if (strncmp(text, PAGE_FORM_NAME ":", n + 1) != 0)
		return NULL;
	const char *at = text + n + 1;
	at += strspn(at, "0123456789");
	at += *at == ':';
	return at + strspn(at, " ");
}

struct page_form_problem page_form_problem_of(struct page *p, const struct error *e)
{
	struct page_form_problem fp = {NULL, NULL};
	const char *at = e ? past_form_line(e->message) : NULL;
	if (!at)
		return fp;
	const char *end = strstr(at, ": ");
	if (!end || end == at || memchr(at, ' ', (size_t)(end - at)))
		return fp;
	fp.path = arena_strndup(p->ctx->arena, at, (size_t)(end - at));
	fp.reason = end + 2;
	return fp;
}

const char *page_problem_at(const struct page_form_problem *fp, const char *prefix, const char *id)
{
	size_t np = strlen(prefix), ni = strlen(id);
	if (!fp->path || strncmp(fp->path, prefix, np) != 0 || strncmp(fp->path + np, id, ni) != 0)
		return NULL;
	char next = fp->path[np + ni];
	return next == '\0' || next == '.' || next == '[' ? fp->reason : NULL;
}

void page_invalid_attrs(struct page *p, const char *id, const char *reason)
{
	if (!reason)
		return;
	raw(p, "\" aria-invalid=\"true\" aria-describedby=\"");
	text(p, id);
	raw(p, "-problem");
}

void page_field_problem(struct page *p, const char *id, const char *reason)
{
	if (!reason)
		return;
	raw(p, "<p class=\"error\" id=\"");
	text(p, id);
	raw(p, "-problem\">");
	text(p, reason);
	raw(p, "</p>");
}

/* A rating select on scale s: "No rating", then "4 - Exceeds expectations";
 * problem: the form's refusal about it, or NULL. */
static void scale_select(struct page *p, const char *id, const char *name, const char *label,
                         const struct fw_scale *s, const char *current, const char *problem)
{
	raw(p, "<div class=\"field\"><label for=\"");
	text(p, id);
	raw(p, "\">");
	text(p, label);
	raw(p, "</label><select id=\"");
	text(p, id);
	raw(p, "\" name=\"");
	text(p, name);
	page_invalid_attrs(p, id, problem);
	raw(p, "\">");
	page_option(p, "", "No rating", current);
	for (size_t i = 0; i < s->npoints; i++) {
		char v[16];
		snprintf(v, sizeof v, "%d", s->points[i].value);
		page_option(p, v, arena_printf(p->ctx->arena, "%s - %s", v, s->points[i].label),
		            current);
	}
	raw(p, "</select>");
	page_field_problem(p, id, problem);
	raw(p, "</div>");
}

static void textarea(struct page *p, const char *id, const char *name, const char *label,
                     const char *value, int rows, const char *problem)
{
	raw(p, "<div class=\"field\"><label for=\"");
	text(p, id);
	raw(p, "\">");
	text(p, label);
	raw(p, "</label><textarea id=\"");
	text(p, id);
	rawf(p, "\" rows=\"%d\" name=\"", rows);
	text(p, name);
	page_invalid_attrs(p, id, problem);
	raw(p, "\">");
	textarea_text(p, value);
	raw(p, "</textarea>");
	page_field_problem(p, id, problem);
	raw(p, "</div>");
}

/* A rating as the form sends it: a number when written in digits alone, as a
 * file's rating is (else the text, for the service to refuse by name; found
 * hunting: "+4" and " 4" were 4). */
static void json_rating(struct jw *w, const char *value)
{
	size_t n = strlen(value);
	if (n && n <= 2 && strspn(value, "0123456789") == n)
		jw_int(w, strtol(value, NULL, 10));
	else
		jw_str(w, value);
}

static const char *form_text(struct page *p, const char *name)
{
	const char *v = page_form(p, name);
	return v ? v : "";
}

/* Whether a form's posted action (NULL when none was sent: submit) is one
 * of its buttons, other or "submit"; if not, why says so as a form error. */
static bool form_action_ok(const char *action, const char *other, struct error *why)
{
	if (!action || strcmp(action, "submit") == 0 || strcmp(action, other) == 0)
		return true;
	err_set(why, ERR_USAGE, "the form: field 'action' must be %s or submit", other);
	err_hint(why, "send the form with one of its buttons; nothing was saved");
	return false;
}

/* The cycle named in the path, from the list every user may read. */
static int cycle_lookup(struct page *p, const char *name, struct cycle_info *out)
{
	struct cycle_info *cs;
	size_t n;
	int rc = cycle_list(p->ctx, &cs, &n, p->err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		char id[24];
		snprintf(id, sizeof id, "%" PRId64, cs[i].id);
		if (strcmp(cs[i].name, name) == 0 || strcmp(id, name) == 0) {
			*out = cs[i];
			return 0;
		}
	}
	return err_set(p->err, ERR_NOT_FOUND, "no review cycle '%s'", name);
}

/* ---- /reviews ---------------------------------------------------------------------- */

/* What a saved form's redirect says it saved: saved (draft, submitted or
 * evaluation), the cycle, the person, the relation ("" for an evaluation) and
 * the version, as they stand in the /reviews query. */
struct saved_what {
	const char *saved, *cycle, *who, *relation, *version;
	/* A saved review's warnings: evidence dated outside the cycle's period,
	 * a line each ("" for none), said with the notice as evaluation submit
	 * says them (found hunting: the page said nothing of them). */
	const char *outside;
};

#define SAVED_MAC_HEX (2 * crypto_auth_hmacsha256_BYTES + 1)

/* The session's MAC of what was saved, in hex into out: HMAC-SHA256 keyed
 * with the session's CSRF token (a secret of the server and this browser,
 * never in a URL), each field length-prefixed.  A /reviews link anyone may
 * send says "saved" only when this session's own form post made it (found
 * in review: the notice was built from the query alone, so a crafted link
 * told a user a review was saved that was not).  False without a session. */
static bool saved_mac(struct page *p, const struct saved_what *w, char out[SAVED_MAC_HEX])
{
	const char *key = p->req->csrf;
	if (!key || !*key)
		return false;
	const char *fields[] = {"plumb saved notice 1",
	                        w->saved,
	                        w->cycle,
	                        w->who,
	                        w->relation,
	                        w->version,
	                        w->outside};
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		char len[24];
		int n = snprintf(len, sizeof len, "%zu:", strlen(fields[i]));
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)len, (size_t)n);
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)fields[i],
		                              strlen(fields[i]));
	}
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, SAVED_MAC_HEX, mac, sizeof mac);
	return true;
}

/* The /reviews path a saved form sends the browser to, with the session's
 * MAC of what it says (in the arena). */
static const char *saved_location(struct page *p, const struct saved_what *w)
{
	struct sb to = SB_INIT;
	sb_puts(&to, "/reviews?saved=");
	sb_url_encode(&to, w->saved);
	sb_puts(&to, "&cycle=");
	sb_url_encode(&to, w->cycle);
	sb_puts(&to, "&for=");
	sb_url_encode(&to, w->who);
	if (*w->relation) {
		sb_puts(&to, "&relation=");
		sb_url_encode(&to, w->relation);
	}
	sb_puts(&to, "&version=");
	sb_url_encode(&to, w->version);
	if (*w->outside) {
		sb_puts(&to, "&outside=");
		sb_url_encode(&to, w->outside);
	}
	char mac[SAVED_MAC_HEX];
	if (saved_mac(p, w, mac))
		sb_printf(&to, "&mac=%s", mac);
	const char *out = arena_strdup(p->ctx->arena, to.buf);
	sb_release(&to);
	return out;
}

/* The confirmation a saved form sends the browser here with, shown only
 * when its MAC is this session's (saved_mac). */
static void saved_notice(struct page *p)
{
	const char *saved = page_query(p, "saved"), *cycle = page_query(p, "cycle");
	const char *who = page_query(p, "for"), *relation = page_query(p, "relation");
	const char *version = page_query(p, "version"), *mac = page_query(p, "mac");
	const char *outside = page_query(p, "outside");
	if (!saved || !cycle || !who || !version || !mac ||
	    strspn(version, "0123456789") != strlen(version))
		return;
	bool evaluation = strcmp(saved, "evaluation") == 0;
	bool draft = strcmp(saved, "draft") == 0;
	if (!evaluation && !draft && strcmp(saved, "submitted") != 0)
		return;
	if (!evaluation && (!relation || fw_relation_parse(relation) < 0))
		return;
	struct saved_what w = {
	        saved, cycle, who, evaluation ? "" : relation, version, outside ? outside : ""};
	char own[SAVED_MAC_HEX];
	if (!saved_mac(p, &w, own) || strlen(mac) != SAVED_MAC_HEX - 1 ||
	    sodium_memcmp(own, mac, SAVED_MAC_HEX - 1) != 0)
		return;
	raw(p, "<div class=\"saved\" role=\"status\"><p>");
	if (evaluation) {
		raw(p, "Your review of ");
		text(p, who);
		raw(p, " in cycle ");
		text(p, cycle);
		raw(p, " is saved as version ");
		text(p, version);
		raw(p, ". ");
		a_href(p, cycle_path(p, cycle, "scores", who), "See the score");
		raw(p, ".");
		if (outside && *outside) {
			raw(p, "</p><p>Evidence dated outside the cycle's period, kept all the "
			       "same (a rating may rest on older work): check its dates.</p><ul>");
			for (const char *line = outside; *line;) {
				size_t n = strcspn(line, "\n");
				raw(p, "<li>");
				text(p, arena_strndup(p->ctx->arena, line, n));
				raw(p, "</li>");
				line += n + (line[n] == '\n');
			}
			raw(p, "</ul><p>");
		}
	} else {
		raw(p, "Your ");
		text(p, relation_words(p, relation));
		if (strcmp(relation, "self") != 0) {
			raw(p, " about ");
			text(p, who);
		}
		raw(p, " in cycle ");
		text(p, cycle);
		raw(p, draft ? ": draft saved (version " : ": submitted (version ");
		text(p, version);
		raw(p, draft ? "); only you can read a draft." : ").");
	}
	raw(p, "</p></div>");
}

/* The form links of one of the actor's assignments. */
static void work_links(struct page *p, const struct cycle_info *info,
                       const struct cycle_assignment *x, bool me)
{
	if (strcmp(x->status, "active") != 0) {
		raw(p, "-");
		return;
	}
	const char *cycle = info->name;
	const char *name = x->reviewee_name && *x->reviewee_name ? x->reviewee_name : x->reviewee;
	const char *href = arena_printf(p->ctx->arena, "%s?relation=%s",
	                                cycle_path(p, cycle, "feedback", x->reviewee), x->relation);
	/* Its page is read-only once the phase takes no more saves. */
	struct error closed = {0};
	bool takes = feedback_phase_accepts(info, (enum fw_relation)fw_relation_parse(x->relation),
	                                    &closed) == 0;
	if (me)
		a_href(p, href,
		       !takes    ? "Read your self review"
		       : x->done ? "Amend your self review"
		                 : "Write your self review");
	else
		a_href(p, href,
		       arena_printf(p->ctx->arena, "%s for %s", feedback_title(x->relation), name));
	if (strcmp(x->relation, "manager") == 0) {
		raw(p, "<br>");
		a_href(p, cycle_path(p, cycle, "review", x->reviewee),
		       arena_printf(p->ctx->arena, "Manager review of %s", name));
	}
}

static void work_table(struct page *p, const struct cycle_status *st, int64_t now)
{
	int64_t me = p->ctx->actor.person_id;
	raw(p, "<table><caption>Cycle ");
	text(p, st->info.name);
	raw(p, " (");
	text(p, st->info.kind);
	raw(p, "), now in ");
	text(p, st->info.phase);
	raw(p, "</caption><thead><tr><th scope=\"col\">About</th><th scope=\"col\">What</th>"
	       "<th scope=\"col\">Due</th><th scope=\"col\">State</th>"
	       "<th scope=\"col\">Form</th></tr></thead><tbody>");
	for (size_t i = 0; i < st->nassignments; i++) {
		const struct cycle_assignment *x = &st->assignments[i];
		if (!x->mine || strcmp(x->status, "declined") == 0)
			continue;
		bool self = x->reviewee_id == me || strcmp(x->relation, "self") == 0;
		raw(p, "<tr><th scope=\"row\">");
		person(p, x->reviewee_name, x->reviewee, self);
		raw(p, "</th><td>");
		text(p, relation_title(x->relation));
		raw(p, "</td><td>");
		date(p, x->due_at, x->due_at != 0);
		raw(p, " <span class=\"note\">(");
		text(p, x->phase);
		raw(p, ")</span></td><td>");
		assignment_state(p, x, now);
		raw(p, "</td><td>");
		work_links(p, &st->info, x, self);
		raw(p, "</td></tr>");
	}
	raw(p, "</tbody></table>");
}

int page_reviews(struct page *p)
{
	struct cycle_info *cs;
	size_t ncs;
	int rc = cycle_list(p->ctx, &cs, &ncs, p->err);
	if (rc < 0)
		return rc;
	struct cycle_status *st = arena_array(p->ctx->arena, ncs ? ncs : 1, sizeof *st);
	for (size_t i = 0; i < ncs; i++)
		if ((rc = cycle_status(p->ctx, cs[i].name, &st[i], p->err)) < 0)
			return rc;
	int64_t me = p->ctx->actor.person_id, now = ts_now_ms();
	page_head(p->html, p->req, "Reviews");
	saved_notice(p);
	raw(p, "<h2>Your review work</h2>");
	size_t owed = 0;
	for (size_t i = 0; i < ncs; i++) {
		size_t mine = 0;
		for (size_t j = 0; me && j < st[i].nassignments; j++)
			mine += st[i].assignments[j].mine &&
			        strcmp(st[i].assignments[j].status, "declined") != 0;
		if (!mine || strcmp(st[i].info.phase, "closed") == 0)
			continue;
		owed += mine;
		work_table(p, &st[i], now);
	}
	if (!owed)
		raw(p, "<p>Nothing is assigned to you in an open review cycle.</p>");
	raw(p, "<h2>Review cycles</h2>");
	if (!ncs) {
		raw(p, "<p>No review cycle yet.</p>");
		page_foot(p->html);
		return 0;
	}
	raw(p, "<table><caption>Every cycle, with how many of its reviewees you may follow"
	       "</caption><thead><tr><th scope=\"col\">Cycle</th><th scope=\"col\">Kind</th>"
	       "<th scope=\"col\">Phase now</th><th scope=\"col\">Period</th>"
	       "<th scope=\"col\">Reviewees you see</th></tr></thead><tbody>");
	for (size_t i = 0; i < ncs; i++) {
		int seen = 0;
		for (size_t j = 0; j < st[i].nassignments; j++)
			seen += strcmp(st[i].assignments[j].relation, "self") == 0;
		raw(p, "<tr><th scope=\"row\">");
		a_href(p, cycle_path(p, cs[i].name, NULL, NULL), cs[i].name);
		raw(p, "</th><td>");
		text(p, cs[i].kind);
		raw(p, "</td><td>");
		text(p, cs[i].phase);
		raw(p, "</td><td>");
		date(p, cs[i].period_start, true);
		raw(p, " to ");
		date(p, cs[i].period_end, true);
		rawf(p, "</td><td class=\"num\">%d</td></tr>", seen);
	}
	raw(p, "</tbody></table>");
	page_calibration_sessions(p);
	page_foot(p->html);
	return 0;
}

/* ---- a person's reviews, on /people/EID ----------------------------------------------- */

int page_person_reviews(struct page *p, const char *eid, const char *name)
{
	struct evaluation_cycle *cs;
	size_t n;
	int rc = evaluation_list(p->ctx, eid, &cs, &n, p->err);
	if (rc < 0 || n == 0)
		return rc;
	bool self = cs[0].self;
	raw(p, "<h2>Reviews</h2><table><caption>");
	text(p, self ? "The review cycles you are in"
	             : arena_printf(p->ctx->arena, "The review cycles %s is in", name));
	raw(p, "</caption><thead><tr><th scope=\"col\">Cycle</th><th scope=\"col\">Kind</th>"
	       "<th scope=\"col\">Phase now</th><th scope=\"col\">Period</th>"
	       "<th scope=\"col\">Evaluation</th><th scope=\"col\">Pages</th></tr></thead>"
	       "<tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct evaluation_cycle *c = &cs[i];
		raw(p, "<tr><th scope=\"row\">");
		a_href(p, cycle_path(p, c->cycle, NULL, NULL), c->cycle);
		raw(p, "</th><td>");
		text(p, c->kind);
		raw(p, "</td><td>");
		text(p, c->phase);
		raw(p, "</td><td>");
		date(p, c->period_start, true);
		raw(p, " to ");
		date(p, c->period_end, true);
		raw(p, "</td><td>");
		if (!c->readable) {
			raw(p, "shown from the delivery phase");
		} else if (c->latest_version) {
			rawf(p, "version %d, ", c->latest_version);
			when(p, c->evaluated_at, true);
		} else {
			raw(p, "none yet");
		}
		raw(p, "</td><td>");
		if (!c->self)
			a_href(p, cycle_path(p, c->cycle, "review", eid), "Manager review");
		/* The score and the packet stand on an evaluation: with none yet
		 * (or none the actor may read yet) their pages would say not
		 * found or not allowed. */
		if (c->readable && c->latest_version) {
			raw(p, c->self ? "" : "<br>");
			a_href(p, cycle_path(p, c->cycle, "scores", eid),
			       self ? "Your score" : "Score");
			if (!c->self) {
				raw(p, "<br>");
				a_href(p, cycle_path(p, c->cycle, "packets", eid),
				       "Promotion packet");
			}
		} else if (c->self) {
			raw(p, "-");
		}
		raw(p, "</td></tr>");
	}
	raw(p, "</tbody></table>");
	return 0;
}

/* ---- /cycles/NAME ------------------------------------------------------------------ */

static void phases_table(struct page *p, const struct cycle_info *c)
{
	raw(p, "<table><caption>Phases, one open at a time</caption><thead><tr>"
	       "<th scope=\"col\">Phase</th><th scope=\"col\">Due</th>"
	       "<th scope=\"col\">State</th></tr></thead><tbody>");
	for (size_t i = 0; i < c->nphases; i++) {
		const struct cycle_phase_row *ph = &c->phases[i];
		raw(p, "<tr><th scope=\"row\">");
		text(p, ph->name);
		raw(p, "</th><td>");
		date(p, ph->due_at, ph->due_at != 0);
		raw(p, "</td><td>");
		if (ph->closed_at) {
			raw(p, "closed ");
			when(p, ph->closed_at, true);
		} else if (ph->opened_at) {
			raw(p, "<strong>open</strong> since ");
			when(p, ph->opened_at, true);
		} else {
			raw(p, "not yet");
		}
		raw(p, "</td></tr>");
	}
	raw(p, "</tbody></table>");
}

static void progress_table(struct page *p, const struct cycle_status *st)
{
	if (!st->nprogress) {
		raw(p, "<p>No active assignment you may see.</p>");
		return;
	}
	raw(p, "<table><caption>Active assignments done, by the phase they are due in and the "
	       "reviewee's team</caption><thead><tr><th scope=\"col\">Phase</th>"
	       "<th scope=\"col\">Team</th><th scope=\"col\">Done</th>"
	       "<th scope=\"col\">Of</th><th scope=\"col\">Drafts</th>"
	       "<th scope=\"col\">Complete</th></tr></thead><tbody>");
	for (size_t i = 0; i < st->nprogress; i++) {
		const struct cycle_progress *g = &st->progress[i];
		/* Never 100% while one is not done, nor 0% once one is (found
		 * hunting: 199 of 200 read "100%"): decimal_percent sees to both. */
		char share[48];
		decimal_percent(share, sizeof share, g->total ? (double)g->done / g->total : 0, 0,
		                0);
		raw(p, "<tr><th scope=\"row\">");
		text(p, g->phase);
		raw(p, "</th><td>");
		text(p, g->team);
		rawf(p,
		     "</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td "
		     "class=\"num\">%d</td><td class=\"num\">%s%%</td></tr>",
		     g->done, g->total, g->drafts, share);
	}
	raw(p, "</tbody></table>");
}

static void late_table(struct page *p, const struct cycle_status *st)
{
	if (!st->nlate) {
		raw(p, "<p>Nobody you may see is late.</p>");
		return;
	}
	raw(p, "<table><caption>Active assignments past their due date and not done</caption>"
	       "<thead><tr><th scope=\"col\">Reviewer</th><th scope=\"col\">Owes</th>"
	       "<th scope=\"col\">About</th><th scope=\"col\">Due</th>"
	       "<th scope=\"col\">Reminders sent</th></tr></thead><tbody>");
	for (size_t i = 0; i < st->nlate; i++) {
		const struct cycle_assignment *x = &st->late[i];
		raw(p, "<tr><th scope=\"row\">");
		/* The human to chase, as the record they sign in as (cli_cycle.c). */
		if (x->unowned)
			raw(p, "nobody yet");
		else
			person(p, x->writer_name, x->writer, false);
		raw(p, "</th><td>");
		text(p, relation_title(x->relation));
		if (strcmp(x->writer, x->reviewer) != 0) {
			raw(p, x->stand_in ? " in place of " : " as ");
			text(p, x->reviewer);
		}
		raw(p, x->draft ? " (draft saved)" : "");
		raw(p, "</td><td>");
		person(p, x->reviewee_name, x->reviewee, false);
		raw(p, "</td><td>");
		date(p, x->due_at, true);
		reminders_cell(p, x->reminders);
	}
	raw(p, "</tbody></table>");
}

/* cycle status's left list: who of the rows shown has left, and what of
 * theirs is withdrawn (a masked reader's are of their own rows only). */
static void leavers_list(struct page *p, const struct cycle_status *st)
{
	if (!st->nleavers) {
		raw(p, "<p>Nobody you may see has left during the cycle.</p>");
		return;
	}
	raw(p, "<ul class=\"leavers\">");
	for (size_t i = 0; i < st->nleavers; i++) {
		const struct cycle_leaver *l = &st->leavers[i];
		raw(p, "<li>");
		person(p, l->name, l->person, false);
		raw(p, " left on ");
		date(p, l->left_on, true);
		for (size_t k = 0; k < l->nwithdrawn; k++) {
			raw(p, k ? ", " : "; withdrawn: ");
			text(p, l->withdrawn[k]);
		}
		for (size_t k = 0; k < l->nmoved; k++) {
			raw(p, k ? ", " : "; moved: ");
			text(p, l->moved[k]);
		}
		raw(p, "</li>");
	}
	raw(p, "</ul>");
}

static void loads_table(struct page *p, const struct cycle_status *st)
{
	if (!st->nloads) {
		raw(p, "<p>No peer, upward or cross-functional assignment you may see.</p>");
		return;
	}
	raw(p, "<table><caption>Feedback assignments each reviewer holds (nominated ones "
	       "included)</caption><thead><tr><th scope=\"col\">Reviewer</th>"
	       "<th scope=\"col\">Load</th><th scope=\"col\">Cap</th></tr></thead><tbody>");
	for (size_t i = 0; i < st->nloads; i++) {
		const struct cycle_load *l = &st->loads[i];
		raw(p, "<tr><th scope=\"row\">");
		person(p, l->name, l->reviewer, false);
		rawf(p, "</th><td class=\"num\">%d%s</td><td class=\"num\">%d</td></tr>", l->load,
		     l->load >= l->cap ? " (at the cap)" : "", l->cap);
	}
	raw(p, "</tbody></table>");
}

/* One row per reviewee the actor may see, with the pages about them. */
static int people_table(struct page *p, const struct cycle_status *st, int64_t now)
{
	int64_t me = p->ctx->actor.person_id;
	const char *cycle = st->info.name;
	raw(p, "<table><caption>Reviewees you may see, with their self review, the manager's "
	       "review, and the pages about them</caption><thead><tr>"
	       "<th scope=\"col\">Person</th><th scope=\"col\">Team</th>"
	       "<th scope=\"col\">Self review</th><th scope=\"col\">Manager review</th>"
	       "<th scope=\"col\">Pages</th></tr></thead><tbody>");
	size_t shown = 0;
	for (size_t i = 0; i < st->nassignments; i++) {
		const struct cycle_assignment *x = &st->assignments[i];
		if (strcmp(x->relation, "self") != 0)
			continue;
		const struct cycle_assignment *mgr = NULL;
		for (size_t j = 0; j < st->nassignments && !mgr; j++)
			if (st->assignments[j].reviewee_id == x->reviewee_id &&
			    strcmp(st->assignments[j].relation, "manager") == 0)
				mgr = &st->assignments[j];
		bool self = me && x->reviewee_id == me;
		shown++;
		raw(p, "<tr><th scope=\"row\">");
		text(p, x->reviewee_name);
		if (strcmp(x->reviewee_name, x->reviewee) != 0) {
			raw(p, " (");
			text(p, x->reviewee);
			raw(p, ")");
		}
		raw(p, "</th><td>");
		text(p, x->team);
		raw(p, "</td><td>");
		assignment_state(p, x, now);
		raw(p, "</td><td>");
		if (mgr)
			assignment_state(p, mgr, now);
		else
			raw(p, "-");
		raw(p, "</td><td>");
		unsigned pages;
		int rc = cycle_review_pages(p->ctx, &st->info, x, &pages, p->err);
		if (rc < 0)
			return rc;
		const char *name = x->reviewee_name;
		const char *sep = "";
		if (pages & CYCLE_PAGE_REVIEW) {
			a_href(p, cycle_path(p, cycle, "review", x->reviewee),
			       arena_printf(p->ctx->arena, "Manager review of %s", name));
			sep = "<br>";
		}
		if (pages & CYCLE_PAGE_SCORE) {
			raw(p, sep);
			a_href(p, cycle_path(p, cycle, "scores", x->reviewee),
			       self ? "Your score"
			            : arena_printf(p->ctx->arena, "Score of %s", name));
			sep = "<br>";
		}
		if (pages & CYCLE_PAGE_PACKET) {
			raw(p, sep);
			a_href(p, cycle_path(p, cycle, "packets", x->reviewee),
			       arena_printf(p->ctx->arena, "Promotion packet for %s", name));
			sep = "<br>";
		}
		raw(p, *sep ? "</td></tr>" : "-</td></tr>");
	}
	raw(p, "</tbody></table>");
	if (!shown)
		raw(p, "<p>No reviewee you may see.</p>");
	return 0;
}

static void assignments_table(struct page *p, const struct cycle_status *st, int64_t now)
{
	raw(p, "<table><caption>Every assignment you may see</caption><thead><tr>"
	       "<th scope=\"col\">About</th><th scope=\"col\">Reviewer</th>"
	       "<th scope=\"col\">Relation</th><th scope=\"col\">Due</th>"
	       "<th scope=\"col\">State</th><th scope=\"col\">Reminders sent</th></tr></thead>"
	       "<tbody>");
	for (size_t i = 0; i < st->nassignments; i++) {
		const struct cycle_assignment *x = &st->assignments[i];
		raw(p, "<tr><th scope=\"row\">");
		person(p, x->reviewee_name, x->reviewee, false);
		raw(p, "</th><td>");
		person(p, x->reviewer_name, x->reviewer, false);
		/* A manager review the leaver left undone is the stand-in's. */
		if (x->stand_in && strcmp(x->writer, x->reviewer) != 0) {
			raw(p, " (now ");
			person(p, x->writer_name, x->writer, false);
			raw(p, ")");
		} else if (x->in_place) {
			raw(p, " (written by ");
			person(p, x->writer_name, x->writer, false);
			raw(p, ")");
		}
		raw(p, "</td><td>");
		text(p, relation_title(x->relation));
		raw(p, "</td><td>");
		date(p, x->due_at, x->due_at != 0);
		raw(p, "</td><td>");
		assignment_state(p, x, now);
		reminders_cell(p, x->reminders);
	}
	raw(p, "</tbody></table>");
}

int page_cycle(struct page *p)
{
	struct cycle_status st;
	int rc = cycle_status(p->ctx, p->args[0], &st, p->err);
	if (rc < 0)
		return rc;
	const struct cycle_info *c = &st.info;
	int64_t now = ts_now_ms();
	page_head(p->html, p->req, arena_printf(p->ctx->arena, "Review cycle %s", c->name));
	raw(p, "<dl><dt>Kind</dt><dd>");
	text(p, c->kind);
	raw(p, c->ratings ? ", with ratings" : ", without ratings");
	raw(p, "</dd><dt>Period</dt><dd>");
	date(p, c->period_start, true);
	raw(p, " to ");
	date(p, c->period_end, true);
	raw(p, "</dd><dt>Phase now</dt><dd>");
	text(p, c->phase);
	rawf(p, "</dd><dt>Framework version</dt><dd>%d</dd><dt>Teams</dt><dd>",
	     c->framework_version);
	for (size_t i = 0; i < c->nteams; i++) {
		raw(p, i ? ", " : "");
		link_to(p, "/teams/", c->teams[i]);
	}
	rawf(p, "</dd><dt>Reviewer cap</dt><dd>%d feedback assignments</dd></dl>", c->reviewer_cap);
	raw(p, "<p class=\"note\">You see the rows your roles let you see; everyone sees their "
	       "own. <a href=\"/reviews\">Your review work</a>.</p>");
	raw(p, "<h2>Phases</h2>");
	phases_table(p, c);
	raw(p, "<h2>Completion by phase and team</h2>");
	progress_table(p, &st);
	raw(p, "<h2>Late</h2>");
	late_table(p, &st);
	if (strcmp(c->kind, "checkin") != 0) {
		raw(p, "<h2>Short of peers</h2>");
		if (!st.nshort_of_peers)
			raw(p, "<p>Every reviewee you may see has the framework's minimum of "
			       "approved peers.</p>");
		else
			raw(p, "<p>Fewer approved peers than the framework's minimum (approved of "
			       "minimum):</p><ul>");
		for (size_t i = 0; i < st.nshort_of_peers; i++) {
			raw(p, "<li>");
			text(p, st.short_of_peers[i]);
			raw(p, "</li>");
		}
		raw(p, st.nshort_of_peers ? "</ul>" : "");
	}
	raw(p, "<h2>Left</h2>");
	leavers_list(p, &st);
	raw(p, "<h2>Reviewer loads</h2>");
	loads_table(p, &st);
	raw(p, "<h2>People</h2>");
	if ((rc = people_table(p, &st, now)) < 0)
		return rc;
	raw(p, "<h2>Assignments</h2>");
	assignments_table(p, &st, now);
	page_foot(p->html);
	return 0;
}

/* ---- /cycles/NAME/feedback/EID ------------------------------------------------------- */

struct fb_form {
	const char *cycle, *eid; /* as the path names them */
	struct cycle_status st;
	const struct cycle_assignment *mine[FW_REL_COUNT]; /* the actor's active ones about eid */
	size_t nmine;
	const struct cycle_assignment *as; /* the one this form is for */
	const struct framework *fw;
	enum fw_kind kind;
	/* The values shown: per question and per competency of fw, "" when none. */
	const char **answers, **ratings, *comments;
	const struct feedback_response *shown; /* the stored version prefilled, or NULL */
};

/* The actor's assignment about the reviewee (of relation, when given) and
 * the framework it is answered on.  Refused when there is none: the form
 * has nothing to show, and feedback_submit would refuse it anyway. */
static int fb_load(struct page *p, const char *relation, struct fb_form *f)
{
	memset(f, 0, sizeof *f);
	f->cycle = p->args[0];
	f->eid = p->args[1];
	int rc = cycle_status(p->ctx, f->cycle, &f->st, p->err);
	if (rc < 0)
		return rc;
	int64_t me = p->ctx->actor.person_id;
	bool waiting = false;
	for (size_t i = 0; me && i < f->st.nassignments; i++) {
		const struct cycle_assignment *x = &f->st.assignments[i];
		if (!x->mine || strcmp(x->reviewee, f->eid) != 0)
			continue;
		if (strcmp(x->status, "active") == 0 && f->nmine < FW_REL_COUNT)
			f->mine[f->nmine++] = x;
		waiting |= strcmp(x->status, "nominated") == 0;
	}
	for (size_t i = 0; i < f->nmine && !f->as; i++)
		if (!relation || !*relation || strcmp(f->mine[i]->relation, relation) == 0)
			f->as = f->mine[i];
	if (!f->as) {
		bool named = relation && *relation;
		err_set(p->err, ERR_DENIED,
		        "%s holds no active %s%sreview assignment for %s in cycle '%s'",
		        p->ctx->actor.name, named ? relation : "", named ? " " : "", f->eid,
		        f->st.info.name);
		err_hint(p->err, "%s",
		         waiting ? "the nomination awaits the reviewee's manager's approval"
		                 : "the Reviews page lists what is assigned to you");
		return ERR_DENIED;
	}
	int kind = fw_kind_parse(f->st.info.kind);
	if (kind < 0)
		return err_set(p->err, ERR_FAILED, "cycle '%s' has unknown kind '%s'",
		               f->st.info.name, f->st.info.kind);
	f->kind = (enum fw_kind)kind;
	if ((rc = framework_show(p->ctx, f->st.info.framework_version, &f->fw, p->err)) < 0)
		return rc;
	f->answers = arena_array(p->ctx->arena, f->fw->nquestions + 1, sizeof *f->answers);
	f->ratings = arena_array(p->ctx->arena, f->fw->ncompetencies + 1, sizeof *f->ratings);
	for (size_t i = 0; i < f->fw->nquestions; i++)
		f->answers[i] = "";
	for (size_t i = 0; i < f->fw->ncompetencies; i++)
		f->ratings[i] = "";
	f->comments = "";
	return 0;
}

static bool fb_asks(const struct fb_form *f, const struct fw_question *q)
{
	int rel = fw_relation_parse(f->as->relation);
	return rel >= 0 && q->relations[rel] && q->kinds[f->kind];
}

/* The actor's newest version for this relation, into the values. */
static int fb_prefill(struct page *p, struct fb_form *f)
{
	struct feedback_view v;
	int rc = feedback_show(p->ctx, f->cycle, f->eid, true, &v, p->err);
	if (rc < 0)
		return rc;
	const struct feedback_response *responses = v.responses; /* in the arena */
	for (size_t i = 0; i < v.nresponses; i++)
		if (strcmp(responses[i].relation, f->as->relation) == 0)
			f->shown = &responses[i];
	if (!f->shown)
		return 0;
	const struct feedback_response *r = f->shown;
	for (size_t i = 0; i < f->fw->nquestions; i++)
		for (size_t j = 0; j < r->nanswers; j++)
			if (strcmp(r->answers[j].question, f->fw->questions[i].id) == 0)
				f->answers[i] = r->answers[j].answer;
	for (size_t i = 0; i < f->fw->ncompetencies; i++)
		for (size_t j = 0; j < r->nratings; j++)
			if (strcmp(r->ratings[j].competency, f->fw->competencies[i].id) == 0)
				f->ratings[i] =
				        arena_printf(p->ctx->arena, "%d", r->ratings[j].value);
	f->comments = r->comments ? r->comments : "";
	return 0;
}

/* The page's head and what it is for, with links to the actor's other
 * relations to the reviewee: the form and the read-only view share them. */
static void fb_head(struct page *p, const struct fb_form *f)
{
	const struct cycle_assignment *as = f->as;
	bool self = strcmp(as->relation, "self") == 0;
	const char *name = as->reviewee_name && *as->reviewee_name ? as->reviewee_name : f->eid;
	const char *title =
	        self ? "Self review"
	             : arena_printf(p->ctx->arena, "%s for %s", feedback_title(as->relation), name);
	const char *path = cycle_path(p, f->st.info.name, "feedback", f->eid);
	page_head(p->html, p->req, title);
	raw(p, "<p>Cycle ");
	a_href(p, cycle_path(p, f->st.info.name, NULL, NULL), f->st.info.name);
	raw(p, " (");
	text(p, f->st.info.kind);
	raw(p, "); due ");
	date(p, as->due_at, as->due_at != 0);
	raw(p, ", when the ");
	text(p, as->phase);
	raw(p, " phase ends. ");
	raw(p, self ? "Your self review is read by you, your managers and your people partners."
	            : "What you write is shown within the framework's anonymity rules.");
	raw(p, "</p>");
	if (f->nmine > 1) {
		raw(p, "<p>You review ");
		text(p, name);
		raw(p, " in several relations; this form is for ");
		text(p, relation_words(p, as->relation));
		raw(p, ". Switch to: ");
		for (size_t i = 0, k = 0; i < f->nmine; i++) {
			if (f->mine[i] == as)
				continue;
			raw(p, k++ ? ", " : "");
			a_href(p,
			       arena_printf(p->ctx->arena, "%s?relation=%s", path,
			                    f->mine[i]->relation),
			       relation_words(p, f->mine[i]->relation));
		}
		raw(p, ".</p>");
	}
}

/* The actor's stored response, for a phase that takes no more saves
 * (closed says why, as feedback_phase_accepts words it): a form would
 * only be refused, and what was typed into it lost (found hunting: E021 was
 * offered their self review in a closed cycle). */
static void fb_view(struct page *p, const struct fb_form *f, const struct error *closed)
{
	fb_head(p, f);
	raw(p, "<p class=\"note\">");
	page_text_times(p->html, capitalized(p, closed->message));
	raw(p, ". It is shown here to read.</p>");
	const struct feedback_response *r = f->shown;
	if (!r) {
		raw(p, "<p>You saved no version of it.</p>");
		page_foot(p->html);
		return;
	}
	rawf(p, "<p>Your version %d, ", r->version);
	text(p, r->status);
	raw(p, ", saved ");
	when(p, r->saved_at, true);
	raw(p, ".</p>");
	/* Its words are gone, not unwritten (found hunting: each answer read
	 * "No answer."); the store keeps no date of it. */
	const char *gone = "Removed by the retention policy.";
	if (r->anonymized)
		raw(p, "<p class=\"note\">The retention policy has removed its answers and "
		       "comments since the cycle closed; its ratings are kept.</p>");
	for (size_t i = 0; i < f->fw->nquestions; i++) {
		const struct fw_question *q = &f->fw->questions[i];
		if (!fb_asks(f, q))
			continue;
		raw(p, "<h2>");
		text(p, q->text);
		raw(p, "</h2><p style=\"white-space:pre-wrap\">");
		text(p, *f->answers[i] ? f->answers[i] : r->anonymized ? gone : "No answer.");
		raw(p, "</p>");
	}
	if (r->nratings) {
		raw(p, "<table><caption>Your ratings</caption><thead><tr><th scope=\"col\">"
		       "Competency</th><th scope=\"col\">Rating</th></tr></thead><tbody>");
		for (size_t i = 0; i < r->nratings; i++) {
			const struct fw_competency *c =
			        framework_competency(f->fw, r->ratings[i].competency);
			raw(p, "<tr><th scope=\"row\">");
			text(p, c ? c->name : r->ratings[i].competency);
			rawf(p, "</th><td>%d ", r->ratings[i].value);
			text(p, r->ratings[i].label);
			raw(p, "</td></tr>");
		}
		raw(p, "</tbody></table>");
	}
	raw(p, "<h2>Comments</h2><p style=\"white-space:pre-wrap\">");
	text(p, *f->comments ? f->comments : r->anonymized ? gone : "None written.");
	raw(p, "</p>");
	page_foot(p->html);
}

static void fb_render(struct page *p, const struct fb_form *f, const struct error *problem)
{
	const struct cycle_assignment *as = f->as;
	const char *path = cycle_path(p, f->st.info.name, "feedback", f->eid);
	fb_head(p, f);
	if (problem)
		page_form_error(p, problem);
	if (f->shown && !problem) {
		rawf(p, "<p class=\"note\">Shown: your version %d, ", f->shown->version);
		text(p, f->shown->status);
		raw(p, ", saved ");
		when(p, f->shown->saved_at, true);
		raw(p, ". Saving again keeps it and adds a new version.</p>");
	}
	struct page_form_problem fp = page_form_problem_of(p, problem);
	raw(p, "<form method=\"post\" action=\"");
	text(p, path);
	raw(p, "\">");
	csrf_field(p);
	raw(p, "<input type=\"hidden\" name=\"relation\" value=\"");
	text(p, as->relation);
	raw(p, "\">");
	for (size_t i = 0; i < f->fw->nquestions; i++) {
		const struct fw_question *q = &f->fw->questions[i];
		if (!fb_asks(f, q))
			continue;
		textarea(p, arena_printf(p->ctx->arena, "answer-%s", q->id),
		         arena_printf(p->ctx->arena, "answer.%s", q->id), q->text, f->answers[i], 4,
		         page_problem_at(&fp, "answers.", q->id));
	}
	if (f->st.info.ratings) {
		raw(p, "<fieldset><legend>Ratings (optional)</legend>");
		for (size_t i = 0; i < f->fw->ncompetencies; i++) {
			const struct fw_competency *c = &f->fw->competencies[i];
			scale_select(p, arena_printf(p->ctx->arena, "rating-%s", c->id),
			             arena_printf(p->ctx->arena, "rating.%s", c->id), c->name,
			             c->scale, f->ratings[i],
			             page_problem_at(&fp, "ratings.", c->id));
		}
		raw(p, "</fieldset>");
	}
	textarea(p, "comments", "comments", comments_label, f->comments, 3,
	         page_problem_at(&fp, "comments", ""));
	raw(p, "<button type=\"submit\" name=\"action\" value=\"draft\">Save draft</button>"
	       "<button type=\"submit\" name=\"action\" value=\"submit\">Submit</button></form>");
	page_foot(p->html);
}

int page_feedback(struct page *p)
{
	struct fb_form f;
	int rc = fb_load(p, page_query(p, "relation"), &f);
	if (rc == 0)
		rc = fb_prefill(p, &f);
	if (rc < 0)
		return rc;
	struct error closed = {0};
	if (feedback_phase_accepts(&f.st.info, (enum fw_relation)fw_relation_parse(f.as->relation),
	                           &closed) < 0)
		fb_view(p, &f, &closed);
	else
		fb_render(p, &f, NULL);
	return 0;
}

int page_feedback_post(struct page *p)
{
	struct fb_form f;
	int rc = fb_load(p, page_form(p, "relation"), &f);
	if (rc < 0)
		return rc;
	struct arena *a = p->ctx->arena;
	struct sb doc = SB_INIT;
	struct jw w;
	jw_init(&w, &doc, true);
	jw_object_begin(&w);
	bool any = false;
	for (size_t i = 0; i < f.fw->nquestions; i++) {
		const struct fw_question *q = &f.fw->questions[i];
		if (!fb_asks(&f, q))
			continue;
		f.answers[i] = form_text(p, arena_printf(a, "answer.%s", q->id));
		if (!*f.answers[i])
			continue;
		if (!any)
			jw_key(&w, "answers"), jw_object_begin(&w);
		any = true;
		jw_kstr(&w, q->id, f.answers[i]);
	}
	if (any)
		jw_object_end(&w);
	any = false;
	for (size_t i = 0; f.st.info.ratings && i < f.fw->ncompetencies; i++) {
		const char *id = f.fw->competencies[i].id;
		f.ratings[i] = form_text(p, arena_printf(a, "rating.%s", id));
		if (!*f.ratings[i])
			continue;
		if (!any)
			jw_key(&w, "ratings"), jw_object_begin(&w);
		any = true;
		jw_key(&w, id);
		json_rating(&w, f.ratings[i]);
	}
	if (any)
		jw_object_end(&w);
	f.comments = form_text(p, "comments");
	if (*f.comments)
		jw_kstr(&w, "comments", f.comments);
	jw_object_end(&w);
	const char *action = page_form(p, "action");
	struct error why = {0};
	/* One of the form's buttons, or none (a client that sends the fields
	 * alone submits): any other value submitted the feedback, which the
	 * client may have meant as a draft (found hunting). */
	if (!form_action_ok(action, "draft", &why)) {
		sb_release(&doc);
		p->ans->status = err_http_status(ERR_USAGE);
		fb_render(p, &f, &why);
		return 0;
	}
	struct feedback_submit_options o = {
	        .cycle = f.cycle,
	        .reviewee = f.eid,
	        .relation = f.as->relation,
	        .draft = action && strcmp(action, "draft") == 0,
	        .name = PAGE_FORM_NAME,
	        .data = doc.buf,
	        .len = doc.len,
	};
	struct feedback_submit_result res;
	rc = feedback_submit(p->ctx, &o, &res, &why);
	sb_release(&doc);
	if (rc == 0) {
		struct saved_what saved = {res.status,
		                           f.st.info.name,
		                           f.eid,
		                           res.relation,
		                           arena_printf(a, "%d", res.version),
		                           ""};
		p->ans->location = saved_location(p, &saved);
		return 0;
	}
	if (!page_form_shows(rc)) {
		*p->err = why;
		return rc;
	}
	p->ans->status = err_http_status(rc);
	fb_render(p, &f, &why);
	return 0;
}

/* ---- /cycles/NAME/review/EID --------------------------------------------------------- */

struct ev_row {
	const char *kind, *ref, *date, *title;
	bool negative; /* "counts against the person" */
};
struct ev_comp {
	const char *rating, *reason;
	struct ev_row *rows;
	size_t nrows;
};
struct ev_form {
	const char *cycle, *eid;
	struct cycle_status st;
	const char *name; /* the person's, as the actor may see it */
	const struct framework *fw;
	struct evaluation_history h;
	struct ev_comp *comps; /* per competency of fw */
	const char *manager_case, *reason;
	/* The version the form was opened on (0: none yet; -1: a post that did
	 * not say), sent back with it so a submit on a version another has
	 * replaced since is refused rather than replacing theirs unseen. */
	int base;
	bool stale; /* refused as such: the form shows the newest version's number */
};

static void ev_rows(struct page *p, struct ev_comp *c, size_t n)
{
	c->nrows = n;
	c->rows = arena_array(p->ctx->arena, n, sizeof *c->rows);
	for (size_t i = 0; i < n; i++)
		c->rows[i] = (struct ev_row){"", "", "", "", false};
}

/* EVIDENCE_BLANK more empty rows, up to EVIDENCE_ROWS_MAX. */
static void ev_more_rows(struct page *p, struct ev_comp *c)
{
	size_t n = c->nrows + EVIDENCE_BLANK;
	if (n > EVIDENCE_ROWS_MAX)
		n = EVIDENCE_ROWS_MAX;
	struct ev_row *rows = c->rows;
	size_t had = c->nrows;
	ev_rows(p, c, n);
	memcpy(c->rows, rows, had * sizeof *rows);
}

/* The cycle, the person and their evaluation so far: evaluation history is
 * the service's read check (the person, their managers, people partners). */
static int ev_load(struct page *p, struct ev_form *f)
{
	memset(f, 0, sizeof *f);
	f->cycle = p->args[0];
	f->eid = p->args[1];
	int rc = evaluation_history(p->ctx, f->cycle, f->eid, &f->h, p->err);
	if (rc == 0)
		rc = cycle_status(p->ctx, f->cycle, &f->st, p->err);
	if (rc == 0)
		rc = framework_show(p->ctx, f->st.info.framework_version, &f->fw, p->err);
	if (rc < 0)
		return rc;
	f->name = f->eid;
	for (size_t i = 0; i < f->st.nassignments; i++)
		if (strcmp(f->st.assignments[i].reviewee, f->eid) == 0 &&
		    f->st.assignments[i].reviewee_name)
			f->name = f->st.assignments[i].reviewee_name;
	f->comps = arena_array(p->ctx->arena, f->fw->ncompetencies + 1, sizeof *f->comps);
	for (size_t i = 0; i < f->fw->ncompetencies; i++)
		f->comps[i] = (struct ev_comp){"", "", NULL, 0};
	f->manager_case = "";
	f->reason = "";
	f->base = f->h.nversions ? f->h.versions[f->h.nversions - 1].version : 0;
	return 0;
}

static const struct evaluation *ev_newest(const struct ev_form *f)
{
	return f->h.nversions ? &f->h.versions[f->h.nversions - 1] : NULL;
}

/* How many outside-period warnings a saved notice's link carries; the rest
 * are counted. */
#define OUTSIDE_SHOWN 10

/* A saved review's outside-period warnings, a line each without the form's
 * "the form:LINE: " (its lines are the page's own document), for the saved
 * notice: "" for none.  In the arena. */
static const char *outside_lines(struct page *p, const struct evaluation_submit_result *res)
{
	struct sb lines = SB_INIT;
	for (size_t i = 0; i < res->noutside_period && i < OUTSIDE_SHOWN; i++) {
		const char *w = past_form_line(res->outside_period[i]);
		sb_printf(&lines, "%s%s", i ? "\n" : "", w ? w : res->outside_period[i]);
	}
	if (res->noutside_period > OUTSIDE_SHOWN)
		sb_printf(&lines, "\nand %zu more", res->noutside_period - OUTSIDE_SHOWN);
	const char *out = arena_strdup(p->ctx->arena, lines.buf ? lines.buf : "");
	sb_release(&lines);
	return out;
}

/* The posted form's base version: digits, else -1 (the service refuses it). */
static int ev_posted_base(struct page *p)
{
	const char *v = form_text(p, "base");
	if (!*v || strlen(v) > 7 || strspn(v, "0123456789") != strlen(v))
		return -1;
	return (int)strtol(v, NULL, 10);
}

static void ev_prefill(struct page *p, struct ev_form *f)
{
	const struct evaluation *e = ev_newest(f);
	for (size_t i = 0; i < f->fw->ncompetencies; i++) {
		struct ev_comp *c = &f->comps[i];
		const struct evaluation_rating *r = NULL;
		for (size_t j = 0; e && j < e->nratings && !r; j++)
			if (strcmp(e->ratings[j].dimension, f->fw->competencies[i].id) == 0)
				r = &e->ratings[j];
		size_t have = r ? r->nevidence : 0;
		if (have > EVIDENCE_ROWS_MAX - EVIDENCE_BLANK)
			have = EVIDENCE_ROWS_MAX - EVIDENCE_BLANK;
		ev_rows(p, c, have + EVIDENCE_BLANK);
		if (!r)
			continue;
		c->rating = arena_printf(p->ctx->arena, "%g", r->rating);
		c->reason = r->no_evidence_reason ? r->no_evidence_reason : "";
		for (size_t k = 0; k < have; k++) {
			const struct evaluation_evidence *ev = &r->evidence[k];
			struct ev_row *row = &c->rows[k];
			row->kind = ev->kind;
			row->ref = ev->ref;
			/* Kept, or the next version would count it for the person (found
			 * in review: the form had no such field, and dropped it). */
			row->negative = ev->negative_said;
			/* plumb fills these in for events, metrics and feedback. */
			if (evaluation_kind_from_plumb(ev->kind))
				continue;
			char b[TS_BUF];
			if (ev->occurred_at)
				row->date =
				        arena_strdup(p->ctx->arena,
				                     ev->occurred_at % MS_PER_DAY
				                             ? ts_format(ev->occurred_at, b)
				                             : ts_format_date(ev->occurred_at, b));
			row->title = ev->title ? ev->title : "";
		}
	}
	if (e)
		f->manager_case = e->manager_case ? e->manager_case : "";
}

static void input(struct page *p, const char *name, const char *label, const char *value,
                  const char *placeholder)
{
	raw(p, "<input name=\"");
	text(p, name);
	raw(p, "\" aria-label=\"");
	text(p, label);
	raw(p, "\" value=\"");
	text(p, value);
	if (placeholder) {
		raw(p, "\" placeholder=\"");
		text(p, placeholder);
	}
	raw(p, "\">");
}

/* One competency's fieldset; problem: the form's refusal about the
 * competency (its rating, evidence or reason), or NULL. */
static void ev_competency(struct page *p, const struct ev_form *f, size_t i, const char *problem)
{
	const struct fw_competency *comp = &f->fw->competencies[i];
	const struct ev_comp *c = &f->comps[i];
	struct arena *a = p->ctx->arena;
	raw(p, "<fieldset><legend>");
	text(p, comp->name);
	raw(p, "</legend>");
	scale_select(p, arena_printf(a, "rating-%s", comp->id),
	             arena_printf(a, "rating.%s", comp->id),
	             arena_printf(a, "%s: rating", comp->name), comp->scale, c->rating, problem);
	raw(p, "<table><caption>Evidence for ");
	text(p, comp->name);
	raw(p, " (leave a row empty to skip it)</caption><thead><tr><th scope=\"col\">Kind</th>"
	       "<th scope=\"col\">Reference: a link, an event id, a metric key or a feedback "
	       "relation</th><th scope=\"col\">Date</th><th scope=\"col\">Title</th>"
	       "<th scope=\"col\">Counts against the person</th></tr></thead><tbody>");
	for (size_t k = 0; k < c->nrows; k++) {
		const struct ev_row *row = &c->rows[k];
		const char *at = arena_printf(a, "ev.%s.%zu.", comp->id, k);
		const char *say = arena_printf(a, "%s evidence %zu: ", comp->name, k + 1);
		raw(p, "<tr><td><select name=\"");
		text(p, arena_printf(a, "%s%s", at, ev_columns[0].field));
		raw(p, "\" aria-label=\"");
		text(p, arena_printf(a, "%s%s", say, ev_columns[0].label));
		raw(p, "\">");
		page_option(p, "", "-", row->kind);
		for (size_t j = 0; j < sizeof evidence_kinds / sizeof evidence_kinds[0]; j++)
			page_option(p, evidence_kinds[j], evidence_kinds[j], row->kind);
		raw(p, "</select></td>");
		const char *values[] = {row->ref, row->date, row->title};
		for (size_t j = 1; j < 4; j++) {
			raw(p, "<td>");
			input(p, arena_printf(a, "%s%s", at, ev_columns[j].field),
			      arena_printf(a, "%s%s", say, ev_columns[j].label), values[j - 1],
			      j == 2 ? "YYYY-MM-DD" : NULL);
			raw(p, "</td>");
		}
		raw(p, "<td><input type=\"checkbox\" name=\"");
		text(p, arena_printf(a, "%s%s", at, ev_columns[4].field));
		raw(p, "\" value=\"true\" aria-label=\"");
		text(p, arena_printf(a, "%s%s", say, ev_columns[4].label));
		raw(p, row->negative ? "\" checked></td></tr>" : "\"></td></tr>");
	}
	raw(p, "</tbody></table><input type=\"hidden\" name=\"");
	text(p, arena_printf(a, "evrows.%s", comp->id));
	rawf(p, "\" value=\"%zu\">", c->nrows);
	raw(p, "<div class=\"field\"><label for=\"");
	text(p, arena_printf(a, "noev-%s", comp->id));
	raw(p, "\">");
	text(p, arena_printf(a, "%s: no evidence because", comp->name));
	raw(p, "</label><input id=\"");
	text(p, arena_printf(a, "noev-%s", comp->id));
	raw(p, "\" name=\"");
	text(p, arena_printf(a, "noev.%s", comp->id));
	raw(p, "\" size=\"60\" value=\"");
	text(p, c->reason);
	raw(p, "\"></div></fieldset>");
}

static void ev_render(struct page *p, const struct ev_form *f, const struct error *problem)
{
	const struct evaluation *e = ev_newest(f);
	page_head(p->html, p->req, arena_printf(p->ctx->arena, "Manager review of %s", f->name));
	raw(p, "<p>Cycle ");
	a_href(p, cycle_path(p, f->st.info.name, NULL, NULL), f->st.info.name);
	rawf(p, " (%s, framework version %d). ", f->st.info.kind, f->st.info.framework_version);
	if (f->stale && problem) {
		/* Said before the form: what is below is the actor's, not the newest. */
		raw(p, "</p>");
		page_form_error(p, problem);
		raw(p, "<p class=\"note\">The form below holds what you entered, not version ");
		rawf(p, "%d. ", f->base);
		a_href(p, cycle_path(p, f->st.info.name, "review", f->eid),
		       "Open the review again");
		rawf(p,
		     " to start from version %d, or submit these entries to store them as "
		     "version %d in its place.</p>",
		     f->base, f->base + 1);
		problem = NULL;
	} else if (e) {
		rawf(p, "Shown: version %d by ", e->version);
		text(p, e->created_by);
		raw(p, ", ");
		when(p, e->created_at, true);
		rawf(p, ". Submitting stores version %d, which needs a reason.", e->version + 1);
	} else {
		raw(p, "No version yet: submitting stores version 1.");
	}
	if (!f->stale)
		raw(p, f->st.info.ratings
		               ? " Every rating cites evidence or says why there is none.</p>"
		               : "</p>");
	if (problem)
		page_form_error(p, problem);
	struct page_form_problem fp = page_form_problem_of(p, problem);
	raw(p, "<form method=\"post\" action=\"");
	text(p, cycle_path(p, f->st.info.name, "review", f->eid));
	raw(p, "\">");
	csrf_field(p);
	rawf(p, "<input type=\"hidden\" name=\"base\" value=\"%d\">", f->base);
	if (f->st.info.ratings)
		for (size_t i = 0; i < f->fw->ncompetencies; i++)
			ev_competency(p, f, i,
			              page_problem_at(&fp, "ratings.", f->fw->competencies[i].id));
	else
		raw(p, "<p class=\"note\">This cycle collects no ratings: the review is your case "
		       "alone.</p>");
	textarea(p, "case", "case", case_label, f->manager_case, 8,
	         page_problem_at(&fp, "case", ""));
	const char *reason = page_problem_at(&fp, "reason", "");
	raw(p, "<div class=\"field\"><label for=\"reason\">");
	text(p, reason_label);
	raw(p, "</label><input id=\"reason\" name=\"reason\" size=\"60\" value=\"");
	text(p, f->reason);
	page_invalid_attrs(p, "reason", reason);
	raw(p, "\">");
	page_field_problem(p, "reason", reason);
	raw(p, "</div>");
	/* First, so that Enter in a field adds rows rather than submits. */
	if (f->st.info.ratings)
		raw(p, "<button type=\"submit\" name=\"action\" value=\"rows\">More evidence "
		       "rows</button>");
	raw(p, "<button type=\"submit\" name=\"action\" value=\"submit\">Submit review</button>"
	       "</form>");
	page_foot(p->html);
}

static void evidence_list(struct page *p, const struct evaluation_evidence *ev, size_t n);

/* The review as stored, for a reader who may not write it (the person from
 * delivery on, their other managers) or a writer once the phase that takes
 * it closed (closed says so, as evaluation_phase_accepts words it; else
 * NULL): a form they could fill in would only be refused, and what they
 * wrote lost with it (found hunting: the person was offered their own
 * manager's review, and the manager theirs in a closed cycle). */
static void ev_view(struct page *p, const struct ev_form *f, const struct error *closed)
{
	const struct evaluation *e = ev_newest(f);
	page_head(p->html, p->req, arena_printf(p->ctx->arena, "Manager review of %s", f->name));
	raw(p, "<p>Cycle ");
	a_href(p, cycle_path(p, f->st.info.name, NULL, NULL), f->st.info.name);
	raw(p, " (");
	text(p, f->st.info.kind);
	rawf(p, ", framework version %d).", f->st.info.framework_version);
	if (closed) {
		raw(p, "</p><p class=\"note\">");
		page_text_times(p->html, capitalized(p, closed->message));
		raw(p, ". It is shown here to read.</p>");
	} else {
		raw(p, " The review is written by the person's managers and people partners; it is "
		       "shown here to read.</p>");
	}
	if (!e) {
		raw(p, "<p>No version yet.</p>");
		page_foot(p->html);
		return;
	}
	rawf(p, "<p>Version %d by ", e->version);
	text(p, e->created_by);
	raw(p, ", ");
	when(p, e->created_at, true);
	raw(p, ".</p>");
	if (e->nratings) {
		raw(p, "<table><caption>Ratings and the evidence each cites</caption><thead><tr>"
		       "<th scope=\"col\">Competency</th><th scope=\"col\">Rating</th>"
		       "<th scope=\"col\">Evidence</th></tr></thead><tbody>");
		for (size_t i = 0; i < e->nratings; i++) {
			const struct evaluation_rating *r = &e->ratings[i];
			const char *name = r->dimension;
			for (size_t k = 0; k < f->fw->ncompetencies; k++)
				if (strcmp(f->fw->competencies[k].id, r->dimension) == 0)
					name = f->fw->competencies[k].name;
			raw(p, "<tr><th scope=\"row\">");
			text(p, name);
			rawf(p, "</th><td>%g ", r->rating);
			text(p, r->label);
			raw(p, "</td><td>");
			if (r->no_evidence_reason) {
				raw(p, "No evidence, because: ");
				text(p, r->no_evidence_reason);
			} else {
				evidence_list(p, r->evidence, r->nevidence);
			}
			raw(p, "</td></tr>");
		}
		raw(p, "</tbody></table>");
	}
	raw(p, "<h2>The case</h2><p style=\"white-space:pre-wrap\">");
	text(p, e->manager_case && *e->manager_case ? e->manager_case : "None written.");
	raw(p, "</p>");
	page_foot(p->html);
}

int page_evaluation(struct page *p)
{
	struct ev_form f;
	bool writes = true;
	int rc = ev_load(p, &f);
	if (rc == 0)
		rc = evaluation_writer(p->ctx, f.st.info.id, f.st.info.name, f.eid, &writes,
		                       p->err);
	if (rc < 0)
		return rc;
	struct error closed = {0};
	if (!writes || evaluation_phase_accepts(&f.st.info, &closed) < 0) {
		ev_view(p, &f, writes ? &closed : NULL);
		return 0;
	}
	ev_prefill(p, &f);
	ev_render(p, &f, NULL);
	return 0;
}

/* One competency's rows as posted, kept for the form and written as JSON. */
static void ev_post_competency(struct page *p, struct ev_form *f, size_t i, struct jw *w, bool *any)
{
	struct arena *a = p->ctx->arena;
	const char *id = f->fw->competencies[i].id;
	struct ev_comp *c = &f->comps[i];
	long rows = strtol(form_text(p, arena_printf(a, "evrows.%s", id)), NULL, 10);
	ev_rows(p, c, rows >= 1 && rows <= EVIDENCE_ROWS_MAX ? (size_t)rows : EVIDENCE_BLANK);
	c->rating = form_text(p, arena_printf(a, "rating.%s", id));
	c->reason = form_text(p, arena_printf(a, "noev.%s", id));
	size_t given = 0;
	for (size_t k = 0; k < c->nrows; k++) {
		struct ev_row *row = &c->rows[k];
		const char *at = arena_printf(a, "ev.%s.%zu.", id, k);
		row->kind = form_text(p, arena_printf(a, "%skind", at));
		row->ref = form_text(p, arena_printf(a, "%sref", at));
		row->date = form_text(p, arena_printf(a, "%sdate", at));
		row->title = form_text(p, arena_printf(a, "%stitle", at));
		row->negative = *form_text(p, arena_printf(a, "%snegative", at)) != '\0';
		given += *row->kind || *row->ref || *row->date || *row->title;
	}
	if (!*c->rating && !*c->reason && !given)
		return;
	if (!*any)
		jw_key(w, "ratings"), jw_object_begin(w);
	*any = true;
	jw_key(w, id);
	jw_object_begin(w);
	if (*c->rating) {
		jw_key(w, "rating");
		json_rating(w, c->rating);
	}
	if (given) {
		jw_key(w, "evidence");
		jw_array_begin(w);
		for (size_t k = 0; k < c->nrows; k++) {
			const struct ev_row *row = &c->rows[k];
			if (!*row->kind && !*row->ref && !*row->date && !*row->title)
				continue;
			jw_object_begin(w);
			const char *fields[][2] = {{"kind", row->kind},
			                           {"ref", row->ref},
			                           {"date", row->date},
			                           {"title", row->title}};
			for (size_t j = 0; j < 4; j++)
				if (*fields[j][1])
					jw_kstr(w, fields[j][0], fields[j][1]);
			if (row->negative)
				jw_kbool(w, "negative", true);
			jw_object_end(w);
		}
		jw_array_end(w);
	}
	if (*c->reason)
		jw_kstr(w, "no_evidence_reason", c->reason);
	jw_object_end(w);
}

int page_evaluation_post(struct page *p)
{
	struct ev_form f;
	int rc = ev_load(p, &f);
	if (rc < 0)
		return rc;
	struct sb doc = SB_INIT;
	struct jw w;
	jw_init(&w, &doc, true);
	jw_object_begin(&w);
	bool any = false;
	for (size_t i = 0; f.st.info.ratings && i < f.fw->ncompetencies; i++)
		ev_post_competency(p, &f, i, &w, &any);
	if (any)
		jw_object_end(&w);
	f.manager_case = form_text(p, "case");
	if (*f.manager_case)
		jw_kstr(&w, "case", f.manager_case);
	jw_object_end(&w);
	f.reason = form_text(p, "reason");
	f.base = ev_posted_base(p);
	const char *action = page_form(p, "action");
	struct error why = {0};
	if (!form_action_ok(action, "rows", &why)) {
		sb_release(&doc);
		p->ans->status = err_http_status(ERR_USAGE);
		ev_render(p, &f, &why);
		return 0;
	}
	if (action && strcmp(action, "rows") == 0) {
		/* The same form with more empty rows; nothing is sent. */
		for (size_t i = 0; f.st.info.ratings && i < f.fw->ncompetencies; i++)
			ev_more_rows(p, &f.comps[i]);
		sb_release(&doc);
		ev_render(p, &f, NULL);
		return 0;
	}
	struct evaluation_submission sub = {
	        .cycle = f.cycle,
	        .person = f.eid,
	        .name = PAGE_FORM_NAME,
	        .data = doc.buf,
	        .len = doc.len,
	        .reason = *f.reason ? f.reason : NULL,
	        .based = true,
	        .base_version = f.base,
	        .form = PAGE_FORM_NAME,
	};
	struct evaluation_submit_result res;
	rc = evaluation_submit(p->ctx, &sub, &res, &why);
	sb_release(&doc);
	if (rc == 0) {
		struct saved_what saved = {"evaluation",
		                           f.st.info.name,
		                           f.eid,
		                           "",
		                           arena_printf(p->ctx->arena, "%d", res.version),
		                           outside_lines(p, &res)};
		p->ans->location = saved_location(p, &saved);
		return 0;
	}
	if (!page_form_shows(rc)) {
		*p->err = why;
		return rc;
	}
	p->ans->status = err_http_status(rc);
	if (rc == ERR_CONFLICT && res.stale) {
		/* Shown again on the newest version: submitting it again is a choice
		 * made knowing another's version is replaced. */
		f.stale = true;
		f.base = res.version;
	}
	ev_render(p, &f, &why);
	return 0;
}

/* ---- /cycles/NAME/scores/EID --------------------------------------------------------- */

static void evidence_list(struct page *p, const struct evaluation_evidence *ev, size_t n)
{
	if (!n) {
		raw(p, "-");
		return;
	}
	raw(p, "<ul>");
	for (size_t i = 0; i < n; i++) {
		const struct evaluation_evidence *x = &ev[i];
		raw(p, "<li>");
		text(p, x->kind);
		raw(p, ": ");
		if (x->title && *x->title) {
			text(p, x->title);
			raw(p, " (");
		}
		if (x->has_metric_value)
			rawf(p, "<a href=\"/metric-values/%" PRId64 "\">", x->metric_value_id);
		url_link(p, x->ref, x->ref);
		raw(p, x->has_metric_value ? "</a>" : "");
		raw(p, x->title && *x->title ? ")" : "");
		if (x->occurred_at) {
			raw(p, ", ");
			date(p, x->occurred_at, true);
		}
		raw(p, x->negative ? ", counts against" : "");
		raw(p, "</li>");
	}
	raw(p, "</ul>");
}

static void axis_section(struct page *p, const struct score *s, const struct score_axis *ax)
{
	raw(p, "<h2>");
	text(p, capitalized(p, ax->name));
	if (!ax->sum.scored) {
		raw(p, ": no score</h2><p>None of its dimensions is rated.</p>");
		return;
	}
	char score[48];
	rawf(p, ": %s</h2><p>", score_number(score, sizeof score, ax->sum.score, ax->scale));
	text(p, ax->label);
	raw(p, " on scale ");
	text(p, ax->scale->id);
	raw(p, ".</p><table><caption>How ");
	text(p, ax->name);
	raw(p, " is computed: the sum of weight x rating</caption><thead><tr>"
	       "<th scope=\"col\">Dimension</th><th scope=\"col\">Rating</th>"
	       "<th scope=\"col\">Weight</th><th scope=\"col\">Weight x rating</th>"
	       "<th scope=\"col\">Share</th><th scope=\"col\">Evidence</th></tr></thead><tbody>");
	for (size_t i = 0; i < ax->ndims; i++) {
		const struct score_dimension *d = &ax->dims[i];
		raw(p, "<tr><th scope=\"row\">");
		text(p, d->name);
		raw(p, d->is_metric ? " (metric)" : "");
		raw(p, "</th><td>");
		if (!d->term.rated) {
			text(p, d->why_unrated);
		} else {
			rawf(p, "%g ", d->term.rating);
			text(p, d->label);
			if (d->is_metric && d->has_value) {
				char value[48];
				rawf(p, " (value %s, band ",
				     decimal_format(value, sizeof value, d->metric_value,
				                    DECIMAL_EXACT));
				text(p, d->band);
				raw(p, ")");
			}
		}
		raw(p, d->recency_flag ? "<br><strong>flagged:</strong> most of its dated evidence "
		                         "is from the period's last quarter"
		                       : "");
		/* Weights and shares as score show writes them: on their side of
		 * the cap and of the dominance threshold. */
		char num[48];
		rawf(p, "</td><td class=\"num\">%s",
		     decimal_format(num, sizeof num, d->term.weight, 6));
		if (ax->sum.renormalized)
			rawf(p, " &rarr; %s", score_weight_text(num, sizeof num, &d->term, s->cap));
		raw(p, d->term.over_cap ? " (above the cap)" : "");
		/* A share on its side of the dominance threshold, as score show
		 * writes it: 57.14% read "57.1%" against 0.571 (found hunting). */
		if (d->term.rated)
			rawf(p, "</td><td class=\"num\">%g</td><td class=\"num\">%s%%</td><td>",
			     d->term.contribution,
			     score_share_text(num, sizeof num, d->term.share, s->dominance));
		else
			raw(p, "</td><td class=\"num\">-</td><td class=\"num\">-</td><td>");
		if (d->no_evidence_reason) {
			raw(p, "No evidence, because: ");
			text(p, d->no_evidence_reason);
		} else {
			evidence_list(p, d->evidence, d->nevidence);
		}
		raw(p, "</td></tr>");
	}
	raw(p, "</tbody></table><p><code>");
	text(p, ax->name);
	raw(p, " = ");
	bool first = true;
	for (size_t i = 0; i < ax->ndims; i++) {
		const struct score_term *t = &ax->dims[i].term;
		if (!t->rated)
			continue;
		char weight[48];
		rawf(p, "%s%s x %g", first ? "" : " + ",
		     score_weight_text(weight, sizeof weight, t, s->cap), t->rating);
		first = false;
	}
	rawf(p, " = %s</code></p>", score);
	if (ax->sum.renormalized)
		rawf(p,
		     "<p>Renormalized: the rated dimensions' weights (%g of 1) are scaled to sum "
		     "to 1.</p>",
		     ax->sum.rated_weight);
	if (ax->sum.dominated) {
		raw(p, "<p><strong>Flagged:</strong> ");
		text(p, ax->dims[ax->sum.top].name);
		char share[48];
		rawf(p,
		     " carries %s%% of the score, above the framework's dominance threshold "
		     "(%g%%).</p>",
		     score_share_text(share, sizeof share, ax->sum.top_share, s->dominance),
		     100 * s->dominance);
	}
	if (ax->sum.capped)
		raw(p,
		    "<p><strong>Flagged:</strong> a renormalized weight is above the framework's "
		    "cap.</p>");
}

int page_score(struct page *p)
{
	struct score s;
	int rc = score_show(p->ctx, p->args[0], p->args[1], &s, p->err);
	if (rc < 0)
		return rc;
	page_head(p->html, p->req,
	          arena_printf(p->ctx->arena, "Score of %s in cycle %s", s.person, s.cycle));
	raw(p, "<dl><dt>Person</dt><dd>");
	text(p, s.person);
	raw(p, "</dd><dt>Level</dt><dd>");
	text(p, s.level);
	raw(p, "</dd><dt>Role profile</dt><dd>");
	text(p, s.profile_name);
	raw(p, " (");
	text(p, s.role_profile);
	rawf(p, ")</dd><dt>Framework version</dt><dd>%d</dd><dt>Evaluation</dt><dd>version %d, ",
	     s.framework_version, s.evaluation_version);
	text(p, s.evaluation_source);
	raw(p, ", by ");
	text(p, s.evaluated_by);
	raw(p, ", ");
	when(p, s.evaluated_at, true);
	if (s.evaluation_reason && *s.evaluation_reason) {
		raw(p, "; why: ");
		text(p, s.evaluation_reason);
	}
	raw(p, "</dd></dl><p class=\"note\">Each axis is the sum of weight x rating over the role "
	       "profile's weights for it; the three are never mixed into one number without "
	       "saying so. <a href=\"");
	text(p, cycle_path(p, s.cycle, NULL, NULL));
	raw(p, "\">Back to the cycle</a>.</p>");
	for (int x = 0; x < FW_AXIS_COUNT; x++)
		axis_section(p, &s, &s.axes[x]);
	if (s.has_composite) {
		raw(p, "<h2>Composite</h2><p>Shown beside the axes, never instead of them: <code>");
		if (s.composite_scored) {
			text(p, score_composite_text(p->ctx->arena, &s));
			raw(p, "</code></p>");
		} else {
			for (int x = 0; x < FW_AXIS_COUNT; x++)
				rawf(p, "%s%g x %s", x ? " + " : "", s.composite_weights[x],
				     s.axes[x].name);
			raw(p, "</code>: not every axis has a score.</p>");
		}
	}
	page_foot(p->html);
	return 0;
}

/* ---- /cycles/NAME/packets/EID -------------------------------------------------------- */

/* The packet's own page, its body only, its headings one level down (the
 * site's <h1> is the page's): the packet escapes every value it writes, so a
 * "<h" in it is one of its tags. */
static void packet_body(struct page *p, const char *html)
{
	const char *body = strstr(html, "<body>");
	const char *end = strstr(html, "</body>");
	body = body ? body + 6 : html;
	if (!end || end < body)
		end = body + strlen(body);
	raw(p, "<article class=\"packet\" aria-label=\"Promotion packet\">");
	for (const char *s = body; s < end;) {
		const char *tag = s;
		while (tag < end &&
		       !(tag[0] == '<' && (tag[1] == 'h' || (tag[1] == '/' && tag[2] == 'h'))))
			tag++;
		sb_add(p->html, s, (size_t)(tag - s));
		if (tag >= end)
			break;
		size_t at = tag[1] == '/' ? 3 : 2;
		if (tag + at < end && tag[at] >= '1' && tag[at] <= '5') {
			sb_add(p->html, tag, at);
			sb_putc(p->html, (char)(tag[at] + 1));
			s = tag + at + 1;
		} else {
			sb_add(p->html, tag, at);
			s = tag + at;
		}
	}
	raw(p, "</article>");
}

int page_packet(struct page *p)
{
	const char *cycle = p->args[0], *eid = p->args[1];
	const char *target = page_query(p, "target-level");
	struct cycle_info info = {0};
	const struct framework *fw = NULL;
	int rc = cycle_lookup(p, cycle, &info);
	/* The form too is for who may write the packet: an id they may not
	 * see is refused as an unknown one, as the packet itself would be. */
	if (rc == 0)
		rc = packet_check(p->ctx, info.name, eid, p->err);
	if (rc == 0)
		rc = framework_show(p->ctx, info.framework_version, &fw, p->err);
	if (rc < 0)
		return rc;
	const char *packet = NULL;
	struct error why = {0};
	if (target && *target) {
		struct packet_request pr = {info.name, eid, target, PACKET_HTML};
		struct packet written;
		rc = packet_write(p->ctx, &pr, &written, &why);
		packet = written.text;
		if (rc < 0 && !page_form_shows(rc) && rc != ERR_NOT_FOUND) {
			*p->err = why;
			return rc;
		}
		if (rc < 0)
			p->ans->status = err_http_status(rc);
	}
	page_head(
	        p->html, p->req,
	        arena_printf(p->ctx->arena, "Promotion packet for %s in cycle %s", eid, info.name));
	/* Said above the form, as every form's refusal is; packet_write refuses
	 * only the level as invalid (none of its, or not above the person's),
	 * which is said beside the select too (found in review: the refusal
	 * was below the form, tied to nothing). */
	const char *level_problem = why.code == ERR_INVALID ? why.message : NULL;
	if (why.code)
		page_form_error(p, &why);
	raw(p, "<form method=\"get\" action=\"");
	text(p, cycle_path(p, info.name, "packets", eid));
	raw(p, "\"><div class=\"field\"><label for=\"target-level\">Target level</label>"
	       "<select id=\"target-level\" name=\"target-level");
	page_invalid_attrs(p, "target-level", level_problem);
	raw(p, "\">");
	page_option(p, "", "Choose a level", target);
	for (size_t t = 0; t < fw->ntracks; t++) {
		raw(p, "<optgroup label=\"");
		text(p, fw->tracks[t].name);
		raw(p, "\">");
		for (size_t l = 0; l < fw->tracks[t].nlevels; l++) {
			const struct fw_level *lv = &fw->tracks[t].levels[l];
			page_option(p, lv->id,
			            arena_printf(p->ctx->arena, "%s %s", lv->id, lv->name), target);
		}
		raw(p, "</optgroup>");
	}
	raw(p, "</select>");
	page_field_problem(p, "target-level", level_problem);
	raw(p, "</div><button type=\"submit\">Show the packet</button></form>");
	if (packet)
		packet_body(p, packet);
	else if (!why.code)
		raw(p,
		    "<p>Pick the level the packet argues for: it sets that level's "
		    "expectations beside the evidence. Each packet shown is an audited read.</p>");
	page_foot(p->html);
	return 0;
}

const struct framework *page_cycle_framework(struct ctx *ctx, const char *cycle)
{
	struct cycle_status st;
	const struct framework *fw = NULL;
	struct error ignored = {0};
	if (cycle_status(ctx, cycle, &st, &ignored) < 0 ||
	    framework_show(ctx, st.info.framework_version, &fw, &ignored) < 0)
		return NULL;
	return fw;
}

/* What a form calls the competency id names: its name in fw, else the id
 * (the page keeping the text could not read the framework). */
static void competency_said(struct sb *out, const struct framework *fw, const char *id, size_t n)
{
	char *own = xstrndup(id, n);
	const struct fw_competency *c = fw ? framework_competency(fw, own) : NULL;
	sb_puts(out, c ? c->name : own);
	free(own);
}

/* The label a feedback or review form shows for a field that names a
 * framework's question or competency, by fw (NULL: with its id for the
 * name).  rating_alone: the feedback form's rating, labelled by its
 * competency's name alone. */
static bool framework_field_label(struct sb *out, const struct framework *fw, const char *name,
                                  bool rating_alone)
{
	const char *dot;
	if (strncmp(name, "answer.", 7) == 0 && name[7]) {
		for (size_t i = 0; fw && i < fw->nquestions; i++)
			if (strcmp(fw->questions[i].id, name + 7) == 0) {
				sb_puts(out, fw->questions[i].text);
				return true;
			}
		sb_printf(out, "Question %s", name + 7);
	} else if (strncmp(name, "rating.", 7) == 0 && name[7]) {
		competency_said(out, fw, name + 7, strlen(name + 7));
		if (!rating_alone || !fw || !framework_competency(fw, name + 7))
			sb_puts(out, ": rating");
	} else if (strncmp(name, "noev.", 5) == 0 && name[5]) {
		competency_said(out, fw, name + 5, strlen(name + 5));
		sb_puts(out, ": no evidence because");
	} else if (strncmp(name, "ev.", 3) == 0 && (dot = strrchr(name + 3, '.')) != NULL) {
		/* ev.COMPETENCY.ROW.COLUMN, as ev_competency names them */
		const char *row = dot;
		while (row > name + 3 && row[-1] != '.')
			row--;
		size_t digits = strspn(row, "0123456789");
		if (row <= name + 4 || !digits || row + digits != dot || digits > 4)
			return false;
		for (size_t j = 0; j < sizeof ev_columns / sizeof *ev_columns; j++)
			if (strcmp(dot + 1, ev_columns[j].field) == 0) {
				competency_said(out, fw, name + 3, (size_t)(row - 1 - (name + 3)));
				sb_printf(out, " evidence %ld: %s", strtol(row, NULL, 10) + 1,
				          ev_columns[j].label);
				return true;
			}
		return false;
	} else {
		return false;
	}
	return true;
}

bool page_feedback_label(struct sb *out, const struct framework *fw, const char *name)
{
	if (strcmp(name, "comments") == 0) {
		sb_puts(out, comments_label);
		return true;
	}
	return strncmp(name, "answer.", 7) == 0 || strncmp(name, "rating.", 7) == 0
	               ? framework_field_label(out, fw, name, true)
	               : false;
}

bool page_review_label(struct sb *out, const struct framework *fw, const char *name)
{
	if (strcmp(name, "case") == 0 || strcmp(name, "reason") == 0) {
		sb_puts(out, name[0] == 'c' ? case_label : reason_label);
		return true;
	}
	return strncmp(name, "answer.", 7) != 0 && framework_field_label(out, fw, name, false);
}
