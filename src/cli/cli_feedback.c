/* cli_feedback: 360 feedback: submit, show within the anonymity rules, authors. */
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "review/feedback.h"

#define FEEDBACK_FILE_MAX (256 * 1024)

static int cmd_submit(struct cli_run *r)
{
	struct feedback_submit_options o = {
	        .cycle = cli_opt(r, "cycle"),
	        .reviewee = cli_opt(r, "for"),
	        .relation = cli_opt(r, "relation"),
	        .draft = cli_flag(r, "draft"),
	        .name = r->pos[0],
	};
	char *data = NULL;
	struct feedback_submit_result res;
	int rc = file_read(r->pos[0], FEEDBACK_FILE_MAX, &data, &o.len, &r->err);
	o.data = data;
	if (rc == 0)
		rc = feedback_submit(r->ctx, &o, &res, &r->err);
	free(data);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kint(&w, "id", res.id);
		jw_kstr(&w, "relation", res.relation);
		jw_kint(&w, "version", res.version);
		jw_kstr(&w, "status", res.status);
		jw_kbool(&w, "amended", res.amended);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	if (strcmp(res.status, "draft") == 0)
		fprintf(r->out, "%s feedback on %s saved as a draft (version %d)\n", res.relation,
		        o.reviewee, res.version);
	else
		fprintf(r->out, "%s feedback on %s %s (version %d)\n", res.relation, o.reviewee,
		        res.amended ? "amended" : "submitted", res.version);
	return 0;
}

/* ---- --json ---- */

static void json_response(struct jw *w, const struct feedback_response *x)
{
	jw_object_begin(w);
	jw_kstr(w, "relation", x->relation);
	jw_kstr(w, "author", x->author);
	jw_kint(w, "version", x->version);
	jw_kstr(w, "status", x->status);
	jw_key(w, "saved_at");
	jw_time(w, x->saved_at, x->saved_at != 0);
	jw_key(w, "answers");
	jw_array_begin(w);
	for (size_t i = 0; i < x->nanswers; i++) {
		jw_object_begin(w);
		jw_kstr(w, "question", x->answers[i].question);
		jw_kstr(w, "text", x->answers[i].text);
		jw_kstr(w, "answer", x->answers[i].answer);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "ratings");
	jw_array_begin(w);
	for (size_t i = 0; i < x->nratings; i++) {
		jw_object_begin(w);
		jw_kstr(w, "competency", x->ratings[i].competency);
		jw_kint(w, "rating", x->ratings[i].value);
		jw_kstr(w, "label", x->ratings[i].label);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_kstr(w, "comments", x->comments);
	/* Its words are gone, not unwritten: a reader, the API's too, can tell. */
	jw_kbool(w, "anonymized", x->anonymized);
	jw_object_end(w);
}

static void json_group(struct jw *w, const struct feedback_group *g)
{
	jw_object_begin(w);
	jw_kstr(w, "relation", fw_relation_name(g->relation));
	jw_key(w, "responses");
	if (g->responses < 0) /* withheld without a count */
		jw_null(w);
	else
		jw_int(w, g->responses);
	jw_kint(w, "threshold", g->threshold);
	jw_kbool(w, "shown", !g->withheld);
	if (g->withheld) {
		jw_kstr(w, "withheld", g->why);
		jw_object_end(w);
		return;
	}
	jw_key(w, "answers");
	jw_array_begin(w);
	for (size_t i = 0; i < g->nanswers; i++) {
		jw_object_begin(w);
		jw_kstr(w, "question", g->answers[i].question);
		jw_kstr(w, "text", g->answers[i].text);
		jw_key(w, "answers");
		jw_array_begin(w);
		for (size_t k = 0; k < g->answers[i].n; k++)
			jw_str(w, g->answers[i].answers[k]);
		jw_array_end(w);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "ratings");
	jw_array_begin(w);
	for (size_t i = 0; i < g->nratings; i++) {
		jw_object_begin(w);
		jw_kstr(w, "competency", g->ratings[i].competency);
		jw_kint(w, "count", g->ratings[i].count);
		jw_key(w, "mean");
		if (g->ratings[i].shown)
			jw_double(w, g->ratings[i].mean_reported);
		else
			jw_null(w);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "comments");
	jw_array_begin(w);
	for (size_t i = 0; i < g->ncomments; i++)
		jw_str(w, g->comments[i]);
	jw_array_end(w);
	jw_kstr(w, "texts_withheld", g->texts_withheld);
	jw_object_end(w);
}

/* ---- text ---- */

static const char *relation_title(const char *relation)
{
	return strcmp(relation, "self") == 0               ? "self review"
	       : strcmp(relation, "manager") == 0          ? "manager feedback"
	       : strcmp(relation, "peer") == 0             ? "peer feedback"
	       : strcmp(relation, "upward") == 0           ? "upward feedback"
	       : strcmp(relation, "cross_functional") == 0 ? "cross-functional feedback"
	                                                   : relation;
}

/* Text written by people, indented under its heading, line by line. */
static void print_block(FILE *o, const char *indent, const char *first, const char *text)
{
	fprintf(o, "%s%s", indent, first);
	for (const char *p = text; *p; p++) {
		fputc(*p, o);
		if (*p == '\n' && p[1])
			fprintf(o, "%s%*s", indent, (int)strlen(first), "");
	}
	if (!*text || text[strlen(text) - 1] != '\n')
		fputc('\n', o);
}

/* heading: what comes before ", version N, STATUS TIME:" on the response's first line. */
static void print_response(FILE *o, const char *indent, const char *heading,
                           const struct feedback_response *x)
{
	char when[TS_BUF];
	fprintf(o, "%s%s, version %d, %s %s:\n", indent, heading, x->version, x->status,
	        ts_format(x->saved_at, when));
	if (x->anonymized)
		fprintf(o, "%s  answers and comments removed by the retention policy\n", indent);
	for (size_t i = 0; i < x->nanswers; i++) {
		fprintf(o, "%s  %s (%s)\n", indent, x->answers[i].text, x->answers[i].question);
		char deeper[32];
		snprintf(deeper, sizeof deeper, "%s    ", indent);
		print_block(o, deeper, "", x->answers[i].answer);
	}
	for (size_t i = 0; i < x->nratings; i++)
		fprintf(o, "%s  rating %s: %d (%s)\n", indent, x->ratings[i].competency,
		        x->ratings[i].value, x->ratings[i].label);
	if (*x->comments) {
		char deeper[32];
		snprintf(deeper, sizeof deeper, "%s  ", indent);
		print_block(o, deeper, "comments: ", x->comments);
	}
}

static void print_group(FILE *o, const struct feedback_group *g)
{
	const char *title = relation_title(fw_relation_name(g->relation));
	if (g->withheld) {
		fprintf(o, "\n%s: withheld: %s\n", title, g->why);
		return;
	}
	fprintf(o, "\n%s, %d responses as a group (in a random order):\n", title, g->responses);
	if (g->texts_withheld)
		fprintf(o, "  answers and comments withheld: %s\n", g->texts_withheld);
	for (size_t i = 0; i < g->nanswers; i++) {
		fprintf(o, "  %s (%s)\n", g->answers[i].text, g->answers[i].question);
		for (size_t k = 0; k < g->answers[i].n; k++)
			print_block(o, "    ", "- ", g->answers[i].answers[k]);
	}
	for (size_t i = 0; i < g->nratings; i++) {
		const struct feedback_group_rating *x = &g->ratings[i];
		if (x->shown)
			fprintf(o, "  rating %s: mean %.2f of %d\n", x->competency,
			        x->mean_reported, x->count);
		else
			fprintf(o, "  rating %s: withheld, %d %s, fewer than the threshold of %d\n",
			        x->competency, x->count, cli_plural(x->count, "rating", "ratings"),
			        g->threshold);
	}
	if (g->ncomments)
		fprintf(o, "  comments:\n");
	for (size_t i = 0; i < g->ncomments; i++)
		print_block(o, "    ", "- ", g->comments[i]);
}

static int cmd_show(struct cli_run *r)
{
	struct feedback_view v;
	bool mine = cli_flag(r, "mine");
	int rc = feedback_show(r->ctx, cli_opt(r, "cycle"), cli_opt(r, "for"), mine, &v, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "cycle", v.cycle);
		jw_kstr(&w, "person", v.person);
		jw_kstr(&w, "phase", v.phase);
		jw_kint(&w, "framework_version", v.framework_version);
		jw_kstr(&w, "reader", v.reader);
		jw_key(&w, "responses");
		jw_array_begin(&w);
		for (size_t i = 0; i < v.nresponses; i++)
			json_response(&w, &v.responses[i]);
		jw_array_end(&w);
		if (!mine) {
			jw_key(&w, "groups");
			jw_array_begin(&w);
			for (size_t i = 0; i < v.ngroups; i++)
				json_group(&w, &v.groups[i]);
			jw_array_end(&w);
			jw_key(&w, "notes");
			jw_array_begin(&w);
			for (size_t i = 0; i < v.nnotes; i++)
				jw_str(&w, v.notes[i]);
			jw_array_end(&w);
		}
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	FILE *o = r->out;
	if (mine)
		fprintf(o, "your feedback on %s in cycle %s (%zu %s)\n", v.person, v.cycle,
		        v.nresponses, cli_plural((int64_t)v.nresponses, "version", "versions"));
	else
		fprintf(o, "feedback on %s in cycle %s (now in %s)\n", v.person, v.cycle, v.phase);
	for (size_t i = 0; i < v.nresponses; i++) {
		const struct feedback_response *x = &v.responses[i];
		char heading[128];
		snprintf(heading, sizeof heading, "%s%s%s", relation_title(x->relation),
		         mine ? "" : " by ", mine ? "" : x->author);
		fputc('\n', o);
		print_response(o, "", heading, x);
	}
	for (size_t i = 0; i < v.ngroups; i++)
		print_group(o, &v.groups[i]);
	if (v.nnotes)
		fputc('\n', o);
	for (size_t i = 0; i < v.nnotes; i++)
		fprintf(o, "note: %s\n", v.notes[i]);
	if (!mine && !v.nresponses && !v.ngroups && !v.nnotes)
		fprintf(o, "no feedback yet\n");
	return 0;
}

static int cmd_authors(struct cli_run *r)
{
	struct feedback_authors a;
	int rc = feedback_authors(r->ctx, cli_opt(r, "cycle"), cli_opt(r, "for"), &a, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "cycle", a.cycle);
		jw_kstr(&w, "person", a.person);
		jw_kint(&w, "framework_version", a.framework_version);
		jw_key(&w, "relations");
		jw_array_begin(&w);
		for (size_t i = 0; i < a.ngroups; i++) {
			const struct feedback_author_group *g = &a.groups[i];
			jw_object_begin(&w);
			jw_kstr(&w, "relation", fw_relation_name(g->relation));
			jw_key(&w, "responses");
			jw_array_begin(&w);
			for (size_t k = 0; k < g->n; k++) {
				jw_object_begin(&w);
				jw_kstr(&w, "author", g->items[k].author);
				jw_kstr(&w, "author_name", g->items[k].author_name);
				jw_key(&w, "response");
				json_response(&w, &g->items[k].response);
				jw_object_end(&w);
			}
			jw_array_end(&w);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		jw_key(&w, "not_shown");
		jw_array_begin(&w);
		for (size_t i = 0; i < a.nrefused; i++)
			jw_str(&w, a.refused[i]);
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	FILE *o = r->out;
	fprintf(o, "who wrote feedback on %s in cycle %s\n", a.person, a.cycle);
	for (size_t i = 0; i < a.ngroups; i++) {
		const struct feedback_author_group *g = &a.groups[i];
		fprintf(o, "\n%s: %zu submitted\n", relation_title(fw_relation_name(g->relation)),
		        g->n);
		for (size_t k = 0; k < g->n; k++) {
			char heading[256];
			snprintf(heading, sizeof heading, "%s (%s)", g->items[k].author,
			         g->items[k].author_name);
			print_response(o, "  ", heading, &g->items[k].response);
		}
	}
	if (a.nrefused)
		fputc('\n', o);
	for (size_t i = 0; i < a.nrefused; i++)
		fprintf(o, "not shown: %s\n", a.refused[i]);
	return 0;
}

static const struct cli_opt submit_opts[] = {
        {"cycle", "C", OPT_VALUE | OPT_REQUIRED, "the cycle, by name or id"},
        {"for", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the person the feedback is about"},
        {"relation", "R", OPT_VALUE,
         "self, manager, peer, upward or cross_functional, when you review them in several"},
        {"draft", NULL, 0, "keep it as a draft (default: submit)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt show_opts[] = {
        {"cycle", "C", OPT_VALUE | OPT_REQUIRED, "the cycle, by name or id"},
        {"for", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the person the feedback is about"},
        {"mine", NULL, 0, "only what you wrote about them, drafts and history included"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt authors_opts[] = {
        {"cycle", "C", OPT_VALUE | OPT_REQUIRED, "the cycle, by name or id"},
        {"for", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the person the feedback is about"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"feedback submit", OP_FEEDBACK_SUBMIT, "FILE.yaml", 1, 1, CMD_JSON, submit_opts,
         cmd_submit, "save a draft of, submit or amend feedback, as yourself (--as USER)",
         "FILE.yaml holds answers: (question id: text, the framework's questions for your "
         "relation and the cycle's kind), ratings: (competency id: a value of its scale; "
         "only in cycles that collect ratings) and comments: (free text). You need an "
         "active review assignment for the person. Every save is a new version; a "
         "submitted response can be amended until its phase closes."},
        {"feedback show", OP_FEEDBACK_SHOW, "", 0, 0, CMD_JSON, show_opts, cmd_show,
         "read feedback about a person, within the anonymity rules",
         "The reviewee, their managers and the people partners of their unit read the "
         "self review and the manager's feedback in full (the reviewee the manager's from "
         "the delivery phase on), and peer, upward and cross-functional feedback only as a "
         "group with at least the framework's threshold of submitted responses, in a "
         "random order, once the feedback phase closed; any other group is withheld whole. "
         "With --mine, any reviewer reads "
         "what they wrote. Every read is audited."},
        {"feedback authors", OP_FEEDBACK_AUTHORS, "", 0, 0, CMD_JSON, authors_opts, cmd_authors,
         "who wrote peer or cross-functional feedback (people partners)",
         "Only for people partners of the person's unit, and only for the relations the "
         "framework's anonymity.partner_sees_authors lists; upward feedback is never "
         "attributed. Every read is audited."},
};

const struct cli_group cli_group_feedback = {"feedback", commands,
                                             sizeof commands / sizeof commands[0]};
