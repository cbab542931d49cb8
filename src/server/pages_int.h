/*
 * pages_int: what the page files share (pages.c: the chrome, the route
 * table and the data pages; pages_review.c: review cycles and their
 * forms): the page being rendered and the writers, which escape every
 * value.  Not for use outside src/server.  Strings returned live in
 * p->ctx->arena.
 */
#ifndef PLUMB_PAGES_INT_H
#define PLUMB_PAGES_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/hmap.h"
#include "base/sb.h"
#include "base/ts.h"
#include "server/pages.h"

struct framework;

#define PAGE_ARGS_MAX 2

struct page_form_value {
	const char *at; /* in the form's body, as sent */
	size_t len;
};

struct page {
	struct ctx *ctx;
	const struct page_request *req;
	struct page_answer *ans;
	struct sb *html;
	struct error *err;
	const char *arg; /* the path's last {segment}, for /teams/NAME and the like */
	const char *args[PAGE_ARGS_MAX]; /* every {segment}, in order */
	/* The posted form's fields, read once at the first page_form (by name as
	 * sent, to an index into form_values); released by pages_render. */
	bool form_read;
	struct hmap form;
	struct page_form_value *form_values;
};

static inline void text(struct page *p, const char *s)
{
	sb_html(p->html, s);
}

static inline void raw(struct page *p, const char *s)
{
	sb_puts(p->html, s);
}

static inline void rawf(struct page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void rawf(struct page *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(p->html, fmt, ap);
	va_end(ap);
}

/* A <textarea>'s content: HTML drops one newline right after the start
 * tag, so a value that starts with one gets another first (found hunting:
 * an answer's leading blank line was lost at every save). */
static inline void textarea_text(struct page *p, const char *s)
{
	if (s && (s[0] == '\n' || s[0] == '\r'))
		raw(p, "\n");
	text(p, s);
}

/* <a href="/PREFIX/NAME">NAME</a>, or "-" without a name. */
static inline void link_to(struct page *p, const char *prefix, const char *name)
{
	if (!name) {
		raw(p, "-");
		return;
	}
	rawf(p, "<a href=\"%s", prefix);
	sb_url_encode(p->html, name);
	raw(p, "\">");
	text(p, name);
	raw(p, "</a>");
}

/* An external link only for http(s) URLs; anything else as text. */
static inline void url_link(struct page *p, const char *url, const char *label)
{
	if (url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7))) {
		raw(p, "<a href=\"");
		text(p, url);
		raw(p, "\">");
		text(p, label ? label : url);
		raw(p, "</a>");
	} else {
		text(p, label);
	}
}

/* A day, or "-" when !has. */
static inline void date(struct page *p, int64_t ms, bool has)
{
	char b[TS_BUF];
	if (!has) {
		raw(p, "-");
		return;
	}
	rawf(p, "<time datetime=\"%s\">", ts_format(ms, b));
	raw(p, ts_format_date(ms, b));
	raw(p, "</time>");
}

/* A time to the minute, UTC, as every page shows one. */
static inline void time_html(struct sb *html, int64_t ms)
{
	char b[TS_BUF];
	ts_format(ms, b);
	sb_printf(html, "<time datetime=\"%s\">%.10s %.5s UTC</time>", b, b, b + 11);
}

/* A time to the minute, UTC, or "-" when !has. */
static inline void when(struct page *p, int64_t ms, bool has)
{
	if (has)
		time_html(p->html, ms);
	else
		raw(p, "-");
}

/* A service's words (an error's message, detail or hint), escaped, with
 * each time in them as ts_format writes it shown as when() shows one: a
 * closed phase's reason read "closed at 2026-03-31T00:00:00.000Z". */
void page_text_times(struct sb *html, const char *s);

/* The site's chrome around a page: head, navigation, sign-out form, <h1>title</h1>. */
void page_head(struct sb *html, const struct page_request *req, const char *title);
void page_foot(struct sb *html);
/* A query parameter, or NULL. */
const char *page_query(struct page *p, const char *key);
/* A field of the POSTed form, decoded, or NULL when absent or not text. */
const char *page_form(struct page *p, const char *name);
/* A service's hint, "<p>Hint: ...</p>", in words a page user can act on.
 * Services word their hints for the CLI (the CLI prints them as they are):
 * a command that a page does too ("plumb cycle list shows the cycles")
 * becomes a link to that page ("the Reviews page shows the cycles"); a
 * hint naming any other command, or an option ("--relation R"), is the
 * CLI's alone and nothing is written.  The one rule for every hint a page
 * shows (pages_error, page_form_error). */
void page_hint(struct sb *html, const char *hint);
/* A service's refusal on a form shown again: its message, detail and
 * hint (page_hint). */
void page_form_error(struct page *p, const struct error *e);
/* What a page names its form in the document or request it sends a
 * service, so that a refusal about a field reads "the form:3: ratings.X:
 * reason" (a document) or "the form: reason: reason" (a request's field). */
#define PAGE_FORM_NAME "the form"
/* Where a form's refusal points: the field its path names ("answers.growth",
 * "reason"), or NULL when it names none, and what follows the path. */
struct page_form_problem {
	const char *path;
	const char *reason;
};
struct page_form_problem page_form_problem_of(struct page *p, const struct error *e);
/* The refusal's reason when its path is prefix+id or inside it, else NULL. */
const char *page_problem_at(const struct page_form_problem *fp, const char *prefix, const char *id);
/* A control's attributes when the refusal is about it (reason not NULL):
 * invalid, and described by the reason page_field_problem writes after it
 * (ID-problem).  Written inside the control's last attribute's quotes. */
void page_invalid_attrs(struct page *p, const char *id, const char *reason);
/* The refusal's reason beside the control it is about, or nothing when
 * reason is NULL (a screen reader reads it with the control; the summary
 * above the form says it first). */
void page_field_problem(struct page *p, const char *id, const char *reason);
/* Whether a refusal belongs on the form shown again (bad input, an
 * acceptable-use rule, a closed phase) rather than on the error page. */
bool page_form_shows(int rc);
/* <option value="V">LABEL</option>, selected when V is current. */
void page_option(struct page *p, const char *value, const char *label, const char *current);

/* pages_review.c: review cycles (GET, and the POST of a form). */
int page_reviews(struct page *p);
/* The "Reviews" section of a person's page: nothing when the actor may read
 * none of their cycles. */
int page_person_reviews(struct page *p, const char *eid, const char *name);
int page_cycle(struct page *p);
int page_feedback(struct page *p);
int page_feedback_post(struct page *p);
int page_evaluation(struct page *p);
int page_evaluation_post(struct page *p);
int page_score(struct page *p);
int page_packet(struct page *p);
/* The framework the cycle named as in a path was opened with, as ctx's
 * actor may read it (in ctx's arena), or NULL when it may not or on any
 * error: the labels of a kept form's fields are no reason to refuse it. */
const struct framework *page_cycle_framework(struct ctx *ctx, const char *cycle);
/* Write to out the label the feedback form (the manager review form) shows
 * for the field name, and return true; false, writing nothing, for a field
 * it has none for.  A question or competency is named as fw names it (NULL,
 * or not in fw: by its id).  For the pages that keep a refused form's text
 * (pages_form_unsent).  Thread-safe. */
bool page_feedback_label(struct sb *out, const struct framework *fw, const char *name);
bool page_review_label(struct sb *out, const struct framework *fw, const char *name);

/* pages_calibration.c: a calibration session, and its change form. */
int page_calibration(struct page *p);
int page_calibration_post(struct page *p);
/* The same for the calibration change form's fields. */
bool page_calibration_label(struct sb *out, const struct framework *fw, const char *name);
/* The sessions the actor may read, as a section of a page (nothing when none). */
void page_calibration_sessions(struct page *p);

#endif
