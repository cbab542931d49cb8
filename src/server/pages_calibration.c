/* pages_calibration: a calibration session's page (see pages.h): the header,
 * the agenda with marks, flags and changed ratings (the original struck
 * through), the change log, the rater effects, a 9-box and the performance
 * distribution per manager, and while the session is open the form that
 * changes a rating.  Everything shown comes from calsession_status; the page
 * counts and bins what it shows and computes no statistic (the tests come
 * from calviews).  The service decides every permission and checks every
 * value; the form is offered to the facilitator and participants only
 * because nobody else could use it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/decimal.h"
#include "base/hmap.h"
#include "base/mem.h"
#include "calibrate/calsession.h"
#include "calibrate/calviews.h"
#include "core/ctx.h"
#include "server/pages_int.h"

#define EVIDENCE_MAX 16 /* KIND:REF lines one change carries */

/* What the change form holds: the values entered, kept when it is refused. */
struct change_form {
	const char *person, *dimension, *rating, *reason, *evidence;
};

/* ---- small pieces ------------------------------------------------------------------ */

static const char *session_path(struct page *p, const char *session, const char *what)
{
	struct sb s = SB_INIT;
	sb_puts(&s, "/calibration/");
	sb_url_encode(&s, session);
	if (what)
		sb_printf(&s, "/%s", what);
	char *out = arena_strdup(p->ctx->arena, s.buf);
	sb_release(&s);
	return out;
}

/* A rating of dimension as the agenda writes it on every face
 * (calsession_rating_text): "3.00", more digits only to keep its side of a
 * point. */
static void rating(struct page *p, const struct calsession *s, const char *dimension, double v)
{
	char buf[48];
	text(p, calsession_rating_text(buf, sizeof buf, s, dimension, v));
}

static const char *form_text(struct page *p, const char *name)
{
	const char *v = page_form(p, name);
	return v ? v : "";
}

/* ---- sections ---------------------------------------------------------------------- */

static void header(struct page *p, const struct calsession *s)
{
	raw(p, "<dl><dt>Cycle</dt><dd>");
	link_to(p, "/cycles/", s->cycle);
	raw(p, " (");
	text(p, s->cycle_phase);
	raw(p, " phase)</dd><dt>Status</dt><dd>");
	text(p, s->status);
	if (s->opened_at) {
		raw(p, "; opened ");
		when(p, s->opened_at, true);
	}
	if (s->closed_at) {
		raw(p, "; closed ");
		when(p, s->closed_at, true);
	}
	raw(p, "</dd><dt>Facilitator</dt><dd>");
	text(p, s->facilitator);
	raw(p, "</dd><dt>Participants</dt><dd>");
	for (size_t i = 0; i < s->nparticipants; i++) {
		raw(p, i ? ", " : "");
		text(p, s->participants[i]);
	}
	raw(p, "</dd><dt>Population</dt><dd>");
	for (size_t i = 0; i < s->nteams; i++) {
		raw(p, i ? ", " : "");
		link_to(p, "/teams/", s->teams[i]);
	}
	rawf(p, ": %zu %s", s->npeople, s->npeople == 1 ? "person" : "people");
	/* Every view below leaves the reader out: say so, the counts differ
	 * from another participant's. */
	if (s->reader_excluded)
		rawf(p, " (%zu of %zu people; you are not shown)", s->npeople, s->npeople_all);
	raw(p, "</dd></dl>");
}

/* A person's changed ratings: "Delivery <s>4.00</s> 3.00". */
static void changed_ratings(struct page *p, const struct calsession *s,
                            const struct calsession_person *x)
{
	bool any = false;
	for (size_t k = 0; k < x->nratings; k++) {
		const struct calsession_rating *r = &x->ratings[k];
		if (r->current == r->original)
			continue;
		raw(p, any ? "<br>" : "");
		text(p, r->name ? r->name : r->dimension);
		raw(p, " <s>");
		rating(p, s, r->dimension, r->original);
		raw(p, "</s> ");
		rating(p, s, r->dimension, r->current);
		any = true;
	}
	if (!any)
		raw(p, "-");
}

static void flags_cell(struct page *p, const struct calsession_person *x)
{
	if (!x->flags) {
		raw(p, "-");
		return;
	}
	raw(p, "<ul class=\"flags\">");
	for (int f = 0; f < CALSESSION_FLAG_COUNT; f++) {
		if (!(x->flags & (1u << f)))
			continue;
		raw(p, "<li><strong>");
		text(p, calsession_flag_name((enum calsession_flag)f));
		raw(p, "</strong>");
		if (x->flag_why[f]) {
			raw(p, ": ");
			text(p, x->flag_why[f]);
		}
		raw(p, "</li>");
	}
	raw(p, "</ul>");
}

static void agenda_table(struct page *p, const struct calsession *s)
{
	raw(p, "<table><caption>Agenda: questioned first, then the most flagged</caption><thead>"
	       "<tr><th scope=\"col\">Person</th><th scope=\"col\">Team</th>"
	       "<th scope=\"col\">Manager</th><th scope=\"col\">Level</th>");
	for (int a = 0; a < FW_AXIS_COUNT; a++) {
		raw(p, "<th scope=\"col\">");
		text(p, fw_axis_name((enum fw_axis)a));
		raw(p, "</th>");
	}
	raw(p, "<th scope=\"col\">Agree</th><th scope=\"col\">Question</th>"
	       "<th scope=\"col\">No opinion</th><th scope=\"col\">Changed ratings</th>"
	       "<th scope=\"col\">Flags</th></tr></thead><tbody>");
	char num[48];
	for (size_t i = 0; i < s->npeople; i++) {
		const struct calsession_person *x = &s->people[i];
		raw(p, "<tr><th scope=\"row\">");
		text(p, x->name && *x->name ? x->name : x->employee_id);
		raw(p, " (");
		text(p, x->employee_id);
		raw(p, ")</th><td>");
		text(p, x->team ? x->team : "-");
		raw(p, "</td><td>");
		text(p, x->manager ? x->manager : "-");
		raw(p, "</td><td>");
		text(p, x->level ? x->level : "-");
		raw(p, "</td>");
		for (int a = 0; a < FW_AXIS_COUNT; a++) {
			raw(p, "<td class=\"num\">");
			if (x->scored[a])
				raw(p, calviews_score_text(num, sizeof num, s, (enum fw_axis)a,
				                           x->axis[a]));
			else
				raw(p, "-");
			raw(p, "</td>");
		}
		rawf(p,
		     "<td class=\"num\">%d</td><td class=\"num\">%d</td><td "
		     "class=\"num\">%d</td><td>",
		     x->marks[CALSESSION_MARK_AGREE], x->marks[CALSESSION_MARK_QUESTION],
		     x->marks[CALSESSION_MARK_NONE]);
		if (x->evaluated)
			changed_ratings(p, s, x);
		else
			raw(p, "no evaluation yet");
		raw(p, "</td><td>");
		flags_cell(p, x);
		raw(p, "</td></tr>");
	}
	raw(p, "</tbody></table>");
}

/* Ratings re-rated in a newer evaluation version since the room took them
 * up: said before the log, as closing is refused until each is recorded again. */
static void conflicts_list(struct page *p, const struct calsession *s)
{
	if (!s->nconflicts)
		return;
	raw(p, "<div class=\"error\" role=\"alert\"><p>Closing is refused until each of "
	       "these is recorded again (a change starts from the new version's rating and may "
	       "keep it):</p><ul>");
	for (size_t i = 0; i < s->nconflicts; i++) {
		raw(p, "<li>");
		text(p, calsession_conflict_text(p->ctx->arena, s, &s->conflicts[i]));
		raw(p, "</li>");
	}
	raw(p, "</ul></div>");
}

static void change_log(struct page *p, const struct calsession *s)
{
	if (!s->nchanges) {
		raw(p, "<p>No rating has been changed in this session.</p>");
		return;
	}
	raw(p, "<table><caption>Change log, oldest first</caption><thead><tr>"
	       "<th scope=\"col\">Person</th><th scope=\"col\">Dimension</th>"
	       "<th scope=\"col\">Rating</th><th scope=\"col\">Who</th><th scope=\"col\">When</th>"
	       "<th scope=\"col\">Reason</th><th scope=\"col\">Evidence</th></tr></thead><tbody>");
	for (size_t i = 0; i < s->nchanges; i++) {
		const struct calsession_change *c = &s->changes[i];
		raw(p, "<tr><th scope=\"row\">");
		text(p, c->person);
		raw(p, "</th><td>");
		text(p, c->dimension);
		raw(p, "</td><td><s>");
		rating(p, s, c->dimension, c->from);
		raw(p, "</s> ");
		rating(p, s, c->dimension, c->to);
		raw(p, "</td><td>");
		text(p, c->by);
		raw(p, "</td><td>");
		when(p, c->at, true);
		raw(p, "</td><td>");
		text(p, c->reason);
		raw(p, "</td><td>");
		for (size_t e = 0; e < c->nevidence; e++) {
			raw(p, e ? "<br>" : "");
			const char *colon = strchr(c->evidence[e], ':');
			url_link(p, colon ? colon + 1 : c->evidence[e], c->evidence[e]);
		}
		raw(p, "</td></tr>");
	}
	raw(p, "</tbody></table>");
}

static void overrides_list(struct page *p, const struct calsession *s)
{
	if (!s->noverrides)
		return;
	raw(p, "<h2>Overrides</h2><ul>");
	for (size_t i = 0; i < s->noverrides; i++) {
		const struct calsession_override *o = &s->overrides[i];
		raw(p, "<li>");
		text(p, o->kind);
		raw(p, " (");
		text(p, o->detail);
		raw(p, "): ");
		text(p, o->reason_removed ? "(removed by retention)" : o->reason);
		raw(p, " - ");
		text(p, o->by);
		raw(p, ", ");
		when(p, o->at, true);
		raw(p, "</li>");
	}
	raw(p, "</ul>");
}

static void raters_table(struct page *p, const struct calsession *s)
{
	if (!s->raters.fit) {
		raw(p,
		    "<p>Too few ratings in this cycle to estimate rater effects from (none, or too "
		    "few to separate raters from ratees).</p>");
		return;
	}
	struct calviews_raters v = {.s = *s};
	calviews_fill_raters(p->ctx->arena, &v);
	raw(p,
	    "<table><caption>Rater effects of the managers who rated this session's people (on the "
	    "rating scale; shrunk toward 0 when a rater gave few ratings)</caption><thead><tr>"
	    "<th scope=\"col\">Rater</th><th scope=\"col\">Ratings</th>"
	    "<th scope=\"col\">Effect</th><th scope=\"col\">Direction</th>"
	    "<th scope=\"col\">Flagged</th></tr></thead><tbody>");
	for (size_t j = 0; j < v.nrows; j++) {
		const struct calviews_rater *r = &v.rows[j];
		raw(p, "<tr><th scope=\"row\">");
		text(p, r->rater);
		char effect[48];
		rawf(p, "</th><td class=\"num\">%zu</td><td class=\"num\">%s</td><td>", r->n,
		     decimal_signed(effect, sizeof effect, r->effect, 2));
		raw(p, r->direction);
		raw(p, r->flagged ? "</td><td><strong>flagged</strong></td></tr>"
		                  : "</td><td>-</td></tr>");
	}
	raw(p, "</tbody></table>");
}

static const char *const ninebox_bins[] = {"low", "moderate", "high"};

/* Who is in each box, as a table laid out as the 9-box is (potential high
 * first, performance low to high across) with a list per box: the SVG is
 * one image to assistive technology, and its tooltips reach only a mouse
 * (found hunting: a screen reader could not tell who was in a box). */
static void ninebox_people(struct page *p, const struct calsession *s,
                           const struct calviews_ninebox *nb)
{
	struct hmap names;
	hmap_init(&names);
	for (size_t i = 0; i < s->npeople; i++)
		hmap_put(&names, s->people[i].employee_id, (int64_t)i);
	raw(p, "<table class=\"ninebox-people\"><caption>Who is in each box of the 9-box"
	       "</caption><thead><tr><td></td>");
	for (int bx = 0; bx < 3; bx++)
		rawf(p, "<th scope=\"col\">performance %s</th>", ninebox_bins[bx]);
	raw(p, "</tr></thead><tbody>");
	for (int by = 2; by >= 0; by--) {
		rawf(p, "<tr><th scope=\"row\">potential %s</th>", ninebox_bins[by]);
		for (int bx = 0; bx < 3; bx++) {
			const struct calviews_box *b = &nb->box[bx][by];
			rawf(p, "<td data-performance=\"%s\" data-potential=\"%s\">",
			     ninebox_bins[bx], ninebox_bins[by]);
			if (!b->n) {
				raw(p, "nobody</td>");
				continue;
			}
			rawf(p, "<ul aria-label=\"performance %s, potential %s: %zu %s\">",
			     ninebox_bins[bx], ninebox_bins[by], b->n,
			     b->n == 1 ? "person" : "people");
			for (size_t i = 0; i < b->n; i++) {
				int64_t at;
				const char *name = NULL;
				if (hmap_get(&names, b->people[i], &at))
					name = s->people[at].name;
				raw(p, "<li>");
				if (name && *name) {
					text(p, name);
					raw(p, " (");
					text(p, b->people[i]);
					raw(p, ")");
				} else {
					text(p, b->people[i]);
				}
				raw(p, "</li>");
			}
			raw(p, "</ul></td>");
		}
		raw(p, "</tr>");
	}
	raw(p, "</tbody></table>");
	hmap_release(&names);
}

/* Performance (x) against potential (y), three bins each: a picture of the
 * counts with names in tooltips, then who is in each box as a table. */
static void ninebox(struct page *p, const struct calsession *s)
{
	const char *const *bins = ninebox_bins;
	const int cell = 120, pad = 72;
	struct calviews_ninebox nb = {.s = *s};
	calviews_fill_ninebox(p->ctx->arena, &nb);
	size_t placed = s->npeople - nb.nunplaced;
	rawf(p,
	     "<svg class=\"ninebox\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	     "aria-labelledby=\"ninebox-title\"><title id=\"ninebox-title\">9-box: performance "
	     "(across) against potential (up), %zu people placed (the table below lists who is "
	     "in each box)</title>",
	     pad + 3 * cell, 3 * cell + pad, pad + 3 * cell, 3 * cell + pad, placed);
	for (int bx = 0; bx < 3; bx++)
		for (int by = 0; by < 3; by++) {
			int x = pad + bx * cell, y = (2 - by) * cell;
			rawf(p,
			     "<g class=\"box\" data-performance=\"%s\" "
			     "data-potential=\"%s\"><title>"
			     "performance %s, potential %s: %d",
			     bins[bx], bins[by], bins[bx], bins[by], (int)nb.box[bx][by].n);
			for (size_t i = 0; i < nb.box[bx][by].n; i++) {
				raw(p, i ? ", " : " - ");
				text(p, nb.box[bx][by].people[i]);
			}
			rawf(p,
			     "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			     "fill=\"#f4f6f8\" stroke=\"#888\"/><text x=\"%d\" y=\"%d\" "
			     "text-anchor=\"middle\" font-size=\"28\">%d</text></g>",
			     x, y, cell, cell, x + cell / 2, y + cell / 2 + 10,
			     (int)nb.box[bx][by].n);
		}
	for (int b = 0; b < 3; b++) {
		rawf(p, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">%s</text>",
		     pad + b * cell + cell / 2, 3 * cell + 16, bins[b]);
		rawf(p, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\">%s</text>",
		     pad - 4, (2 - b) * cell + cell / 2, bins[b]);
	}
	rawf(p,
	     "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">performance"
	     "</text><text x=\"12\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" "
	     "transform=\"rotate(-90 12 %d)\">potential</text></svg>",
	     pad + 3 * cell / 2, 3 * cell + 34, 3 * cell / 2, 3 * cell / 2);
	ninebox_people(p, s, &nb);
	const struct calviews_ninebox_axis *x = &nb.performance, *y = &nb.potential;
	if (x->moderate_from == y->moderate_from && x->high_from == y->high_from)
		rawf(p,
		     "<p class=\"note\">Low is below the scale's meets (%g), moderate from %g to "
		     "below %g, high from %g. People without both scores are left out.</p>",
		     x->moderate_from, x->moderate_from, x->high_from, x->high_from);
	else
		rawf(p,
		     "<p class=\"note\">Each axis on its own scale: low is below the scale's "
		     "meets, moderate from meets to below the scale's next point, high from it. "
		     "Performance: low below %g, moderate from %g to below %g, high from %g. "
		     "Potential: low below %g, moderate from %g to below %g, high from %g. People "
		     "without both scores are left out.</p>",
		     x->moderate_from, x->moderate_from, x->high_from, x->high_from,
		     y->moderate_from, y->moderate_from, y->high_from, y->high_from);
}

static void scale_options(struct page *p, const struct fw_scale *scale, const char *current)
{
	for (size_t i = 0; i < scale->npoints; i++) {
		const char *v = arena_printf(p->ctx->arena, "%d", scale->points[i].value);
		page_option(p, v, arena_printf(p->ctx->arena, "%s - %s", v, scale->points[i].label),
		            current);
	}
}

/* Whether one of scale's values is written rating. */
static bool scale_offers(struct page *p, const struct fw_scale *scale, const char *rating)
{
	for (size_t i = 0; rating && i < scale->npoints; i++)
		if (!strcmp(arena_printf(p->ctx->arena, "%d", scale->points[i].value), rating))
			return true;
	return false;
}

/* The change form's ratings: the values of the scales the competencies are
 * rated on, a group per scale naming its competencies when there are
 * several.  Only the performance scale's were offered, so on a framework
 * rating potential on 1 to 9 beside performance on 1 to 5 a potential
 * competency could not be moved to 6 from the page, and 0, 2 and 4 were
 * offered as 1 to 5, refused (found in the calibrate hunt).  A rating sent
 * back after a refusal is selected in its dimension's group only: the
 * same value is in several. */
static void rating_options(struct page *p, const struct framework *fw, const struct change_form *f)
{
	const struct fw_competency *chosen =
	        f->dimension ? framework_competency(fw, f->dimension) : NULL;
	size_t used = 0;
	const struct fw_scale *only = NULL;
	for (size_t k = 0; k < fw->nscales; k++)
		for (size_t i = 0; i < fw->ncompetencies; i++)
			if (fw->competencies[i].scale == &fw->scales[k]) {
				used++;
				only = &fw->scales[k];
				break;
			}
	if (used == 1) {
		scale_options(p, only, f->rating);
		return;
	}
	bool selected = false;
	for (size_t k = 0; k < fw->nscales; k++) {
		const struct fw_scale *sc = &fw->scales[k];
		struct sb names = SB_INIT;
		for (size_t i = 0; i < fw->ncompetencies; i++)
			if (fw->competencies[i].scale == sc)
				sb_printf(&names, "%s%s", names.len ? ", " : "",
				          fw->competencies[i].name);
		if (names.len) {
			raw(p, "<optgroup label=\"");
			text(p, names.buf);
			raw(p, "\">");
			bool mine = !selected && (!chosen || chosen->scale == sc) &&
			            scale_offers(p, sc, f->rating);
			scale_options(p, sc, mine ? f->rating : NULL);
			selected |= mine;
			raw(p, "</optgroup>");
		}
		sb_release(&names);
	}
}

/* The rating's index on the scale, or -1. */
static int point_of(const struct fw_scale *scale, int rating)
{
	for (size_t i = 0; i < scale->npoints; i++)
		if (scale->points[i].value == rating)
			return (int)i;
	return -1;
}

/* One group's bars: each rating's share of the group, the population's share as a line. */
static void distribution_row(struct page *p, const struct calsession *s, const char *group,
                             const int *counts, int total, const int *all, int everyone, int top)
{
	const int bar = 28, height = 80;
	const struct fw_scale *sc = s->scale;
	rawf(p, "<g transform=\"translate(0,%d)\"><text x=\"0\" y=\"%d\" font-size=\"12\">", top,
	     height / 2);
	text(p, group);
	rawf(p, " (%d)</text>", total);
	for (size_t k = 0; k < sc->npoints; k++) {
		double share = total ? (double)counts[k] / total : 0;
		double pop = everyone ? (double)all[k] / everyone : 0;
		int x = 160 + (int)k * (bar + 8);
		int h = (int)lround(share * height);
		rawf(p,
		     "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#4a78b0\">"
		     "<title>",
		     x, height - h, bar, h);
		text(p, group);
		rawf(p, ": %d of %d rated %d (%.0f%%); everyone: %.0f%%</title></rect>", counts[k],
		     total, sc->points[k].value, share * 100, pop * 100);
		int py = height - (int)lround(pop * height);
		rawf(p,
		     "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#c0392b\" "
		     "stroke-width=\"2\"/>",
		     x - 2, x + bar + 2, py, py);
		rawf(p, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%d</text>",
		     x + bar / 2, height + 12, sc->points[k].value);
	}
	raw(p, "</g>");
}

/* Performance ratings per group (by_team: the person's team, else the
 * manager who rated them, as calibrate distribution) against everyone:
 * counts, nothing tested. */
static void distribution(struct page *p, const struct calsession *s, bool by_team)
{
	const struct fw_scale *sc = s->scale;
	struct arena *a = p->ctx->arena;
	const char **managers = arena_array(a, s->npeople + 1, sizeof *managers);
	int **counts = arena_array(a, s->npeople + 1, sizeof *counts);
	int *totals = arena_array(a, s->npeople + 1, sizeof *totals);
	int *all = arena_array(a, sc->npoints, sizeof *all);
	size_t nmanagers = 0;
	int everyone = 0;
	for (size_t i = 0; i < s->npeople; i++) {
		const struct calsession_person *x = &s->people[i];
		int k = x->performance != CALSESSION_UNRATED ? point_of(sc, x->performance) : -1;
		if (k < 0)
			continue;
		const char *m = by_team ? x->team : x->rated_by;
		if (!m)
			m = "-";
		size_t j = 0;
		while (j < nmanagers && strcmp(managers[j], m) != 0)
			j++;
		if (j == nmanagers) {
			managers[nmanagers] = m;
			counts[nmanagers++] = arena_array(a, sc->npoints, sizeof **counts);
		}
		counts[j][k]++;
		totals[j]++;
		all[k]++;
		everyone++;
	}
	if (!everyone) {
		raw(p, "<p>No performance rating yet.</p>");
		return;
	}
	const int row = 110;
	int width = 160 + (int)sc->npoints * 36 + 20;
	const char *by = by_team ? "team" : "manager";
	rawf(p,
	     "<svg class=\"distribution\" data-by=\"%s\" role=\"img\" width=\"%d\" "
	     "height=\"%d\" viewBox=\"0 0 %d %d\" aria-labelledby=\"distribution-%s\">"
	     "<title id=\"distribution-%s\">Performance ratings: share of each %s's "
	     "people per rating (bars) against everyone (red lines)</title>",
	     by, width, row * (int)(nmanagers + 1), width, row * (int)(nmanagers + 1), by, by, by);
	distribution_row(p, s, "Everyone", all, everyone, all, everyone, 0);
	for (size_t j = 0; j < nmanagers; j++)
		distribution_row(p, s, managers[j], counts[j], totals[j], all, everyone,
		                 row * (int)(j + 1));
	raw(p, "</svg><p class=\"note\">Descriptive only: bars are each group's share of people "
	       "per performance rating, red lines everyone's. The number after a name is how many "
	       "of its people have a rating.</p>");
}

/* The change form's fields (each its id and name) and their labels, which
 * the pages keeping a refused form's text show too (page_calibration_label). */
static const struct change_field {
	const char *name, *label;
} change_fields[] = {
        {"person", "Person"},
        {"dimension", "Dimension"},
        {"rating", "New rating"},
        {"reason", "Reason (one line)"},
        {"evidence", "Evidence (KIND:REF, one a line)"},
};

static const char *change_label(const char *name)
{
	for (size_t i = 0; i < sizeof change_fields / sizeof *change_fields; i++)
		if (strcmp(change_fields[i].name, name) == 0)
			return change_fields[i].label;
	return NULL;
}

bool page_calibration_label(struct sb *out, const struct framework *fw, const char *name)
{
	(void)fw; /* the change form's labels name no framework's */
	const char *label = change_label(name);
	if (label)
		sb_puts(out, label);
	return label != NULL;
}

/* <div class="field"><label for="ID">LABEL</label> and the control's start
 * tag up to its name: <TAG id="ID" name="ID" (marked invalid when the
 * refusal is about it), closed by the caller; ID is a change_fields name. */
static void field_start(struct page *p, const char *tag, const char *id, const char *problem)
{
	const char *label = change_label(id);
	if (!label)
		BUG("no label for the change form's field %s", id);
	rawf(p, "<div class=\"field\"><label for=\"%s\">", id);
	text(p, label);
	rawf(p, "</label><%s id=\"%s\" name=\"%s", tag, id, id);
	page_invalid_attrs(p, id, problem);
	raw(p, "\"");
}

/* The control's end: the refusal's reason beside it, when about it. */
static void field_end(struct page *p, const char *id, const char *problem)
{
	page_field_problem(p, id, problem);
	raw(p, "</div>");
}

/* The change form; problem: its refusal, or NULL.  A refusal about one of
 * its fields (the service names it "the form: reason: ...") is also said
 * beside that field, which is marked invalid and described by it. */
static void change_form(struct page *p, const struct calsession *s, const struct change_form *f,
                        const struct error *problem)
{
	struct page_form_problem fp = page_form_problem_of(p, problem);
	const char *person = page_problem_at(&fp, "person", ""),
	           *dimension = page_problem_at(&fp, "dimension", ""),
	           *rating = page_problem_at(&fp, "rating", ""),
	           *reason = page_problem_at(&fp, "reason", ""),
	           *evidence = page_problem_at(&fp, "evidence", "");
	raw(p, "<form method=\"post\" action=\"");
	text(p, session_path(p, s->name, "changes"));
	raw(p, "\" class=\"change\"><input type=\"hidden\" name=\"csrf\" value=\"");
	text(p, p->req->csrf);
	raw(p, "\">");
	field_start(p, "select", "person", person);
	raw(p, ">");
	for (size_t i = 0; i < s->npeople; i++) {
		const struct calsession_person *x = &s->people[i];
		if (!x->evaluated)
			continue;
		page_option(p, x->employee_id,
		            arena_printf(p->ctx->arena, "%s (%s)",
		                         x->name ? x->name : x->employee_id, x->employee_id),
		            f->person);
	}
	raw(p, "</select>");
	field_end(p, "person", person);
	field_start(p, "select", "dimension", dimension);
	raw(p, ">");
	for (size_t i = 0; i < s->fw->ncompetencies; i++)
		page_option(p, s->fw->competencies[i].id, s->fw->competencies[i].name,
		            f->dimension);
	raw(p, "</select>");
	field_end(p, "dimension", dimension);
	field_start(p, "select", "rating", rating);
	raw(p, ">");
	rating_options(p, s->fw, f);
	raw(p, "</select>");
	field_end(p, "rating", rating);
	/* One line, as the service takes a reason (a text area invited line
	 * breaks it refused: found hunting). */
	field_start(p, "input", "reason", reason);
	raw(p, " size=\"60\" value=\"");
	text(p, f->reason);
	raw(p, "\">");
	field_end(p, "reason", reason);
	field_start(p, "textarea", "evidence", evidence);
	raw(p, " rows=\"3\">");
	textarea_text(p, f->evidence);
	raw(p, "</textarea>");
	field_end(p, "evidence", evidence);
	raw(p, "<p class=\"note\">Kinds: event, pull_request, document, design_review, incident, "
	       "link. Incident data never supports a lower rating.</p><button "
	       "type=\"submit\">Change the rating</button></form>");
}

static void render(struct page *p, const struct calsession *s, const struct change_form *f,
                   const struct error *problem)
{
	page_head(p->html, p->req, arena_printf(p->ctx->arena, "Calibration %s", s->name));
	header(p, s);
	raw(p, "<h2>Agenda</h2>");
	agenda_table(p, s);
	raw(p, "<h2>Changes</h2>");
	conflicts_list(p, s);
	change_log(p, s);
	if (strcmp(s->status, "open") == 0 && calsession_acts(p->ctx, s) && p->req->csrf &&
	    *p->req->csrf) {
		raw(p, "<h2>Change a rating</h2>");
		if (problem)
			page_form_error(p, problem);
		change_form(p, s, f, problem);
	} else if (problem) {
		/* A change refused because the session closed since the form was
		 * shown: the form is gone, its refusal must not go with it (found
		 * hunting: a 409 page that said nothing). */
		raw(p, "<h2>Change a rating</h2>");
		page_form_error(p, problem);
	}
	overrides_list(p, s);
	raw(p, "<h2>Rater effects</h2>");
	raters_table(p, s);
	raw(p, "<h2>9-box</h2>");
	ninebox(p, s);
	raw(p, "<h2>Performance ratings by manager</h2>");
	distribution(p, s, false);
	raw(p, "<h2>Performance ratings by team</h2>");
	distribution(p, s, true);
	page_foot(p->html);
}

/* ---- /calibration/SESSION ----------------------------------------------------------- */

int page_calibration(struct page *p)
{
	struct calsession s = {0};
	int rc = calsession_status(p->ctx, p->args[0], &s, p->err);
	if (rc < 0)
		return rc;
	struct change_form f = {"", "", "", "", ""};
	render(p, &s, &f, NULL);
	return 0;
}

/* The evidence textarea's lines, blank ones skipped: how many there are; the first
 * cap of them in out. */
static size_t evidence_lines(struct page *p, const char *text_in, const char **out, size_t cap)
{
	size_t n = 0;
	for (const char *at = text_in; *at;) {
		size_t len = strcspn(at, "\r\n");
		size_t lead = strspn(at, " \t");
		if (len > lead) {
			size_t end = len;
			while (end > lead && (at[end - 1] == ' ' || at[end - 1] == '\t'))
				end--;
			if (n < cap)
				out[n] = arena_strndup(p->ctx->arena, at + lead, end - lead);
			n++;
		}
		at += len;
		at += strspn(at, "\r\n");
	}
	return n;
}

int page_calibration_post(struct page *p)
{
	struct change_form f = {form_text(p, "person"), form_text(p, "dimension"),
	                        form_text(p, "rating"), form_text(p, "reason"),
	                        form_text(p, "evidence")};
	const char *evidence[EVIDENCE_MAX];
	struct error why = {0};
	int rc;
	size_t nevidence = evidence_lines(p, f.evidence, evidence, EVIDENCE_MAX);
	if (nevidence > EVIDENCE_MAX)
		rc = err_set(&why, ERR_USAGE,
		             PAGE_FORM_NAME ": evidence: at most %d lines, not %zu", EVIDENCE_MAX,
		             nevidence);
	else {
		struct calsession_change_request q = {
		        .session = p->args[0],
		        .person = f.person,
		        .dimension = f.dimension,
		        .rating = f.rating,
		        .reason = *f.reason ? f.reason : NULL,
		        .evidence = evidence,
		        .nevidence = nevidence,
		        .form = PAGE_FORM_NAME,
		};
		int64_t id;
		rc = calsession_change(p->ctx, &q, &id, &why);
	}
	if (rc == 0) {
		p->ans->location = session_path(p, p->args[0], NULL);
		return 0;
	}
	if (!page_form_shows(rc)) {
		*p->err = why;
		return rc;
	}
	struct calsession s = {0};
	int load = calsession_status(p->ctx, p->args[0], &s, p->err);
	if (load < 0)
		return load;
	p->ans->status = err_http_status(rc);
	render(p, &s, &f, &why);
	return 0;
}

void page_calibration_sessions(struct page *p)
{
	struct calsession_summary *ss;
	size_t n;
	struct error ignored = {0};
	/* Sessions are an aside on /reviews: a refusal leaves them out. */
	if (calsession_list(p->ctx, NULL, &ss, &n, &ignored) < 0 || !n)
		return;
	raw(p, "<h2>Calibration sessions</h2><table><caption>Calibration sessions you may read"
	       "</caption><thead><tr><th scope=\"col\">Session</th><th scope=\"col\">Cycle</th>"
	       "<th scope=\"col\">Status</th><th scope=\"col\">Facilitator</th>"
	       "<th scope=\"col\">People</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		raw(p, "<tr><th scope=\"row\">");
		link_to(p, "/calibration/", ss[i].name);
		raw(p, "</th><td>");
		link_to(p, "/cycles/", ss[i].cycle);
		raw(p, "</td><td>");
		text(p, ss[i].status);
		raw(p, "</td><td>");
		text(p, ss[i].facilitator);
		rawf(p, "</td><td class=\"num\">%d</td></tr>", ss[i].people);
	}
	raw(p, "</tbody></table>");
}
