/* evaluation: rubric ratings with evidence, stored as versions. */
#include "review/evaluation.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/yamldoc.h"
#include "base/yamlread.h"
#include "core/actor.h"
#include "core/audit.h"
#include "core/aup.h"
#include "core/authz.h"
#include "core/ctx.h"
#include "core/org.h"
#include "core/sourceacl.h"
#include "metrics/catalog.h"
#include "metrics/metrics.h"
#include "review/cycle.h"
#include "review/feedback.h"
#include "review/framework.h"
#include "store/store.h"

#define CASE_MAX   20000
#define REASON_MAX 2000
#define REF_MAX    EVALUATION_REF_MAX
#define TITLE_MAX  500

#define KIND_NAME_(id, name) name,
static const char *const kind_names[] = {EVIDENCE_KIND_TABLE(KIND_NAME_) NULL};
#undef KIND_NAME_

static char *id_text(struct arena *a, int64_t id)
{
	return arena_printf(a, "%" PRId64, id);
}

bool evaluation_recency_flag(const int64_t *dated, size_t n, int64_t start, int64_t end,
                             double recent_share)
{
	if (n == 0 || end <= start)
		return false;
	int64_t last_quarter = end - (end - start) / 4;
	size_t recent = 0;
	for (size_t i = 0; i < n; i++)
		recent += dated[i] >= last_quarter &&
		          dated[i] < end; /* after it: not of the period */
	return (double)recent > recent_share * (double)n;
}

/* ---- the person in the cycle, and who may read about them ---- */

int evaluation_member(struct ctx *ctx, int64_t cycle_id, const char *cycle_name,
                      const char *employee_id, struct evaluation_member *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	struct store_stmt *st;
	int rc =
	        store_prepare(ctx->store,
	                      "SELECT p.id, cm.person_id, cm.manager_id, cm.level, cm.role_profile,"
	                      " (SELECT c.phase FROM cycles c WHERE c.id = cm.cycle_id)"
	                      " FROM people p LEFT JOIN cycle_members cm"
	                      " ON cm.person_id = p.id AND cm.cycle_id = ? WHERE p.employee_id = ?",
	                      &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle_id);
	stmt_bind_text(st, 2, employee_id);
	rc = stmt_step(st, err);
	bool in_cycle = false;
	if (rc == STORE_ROW) {
		out->person_id = stmt_int(st, 0);
		in_cycle = !stmt_is_null(st, 1);
		out->manager_id = stmt_is_null(st, 2) ? 0 : stmt_int(st, 2);
		out->level = stmt_text_dup(st, 3, ctx->arena);
		out->role_profile = stmt_text_dup(st, 4, ctx->arena);
		out->phase = stmt_is_null(st, 5) ? "" : stmt_text_dup(st, 5, ctx->arena);
		out->employee_id = arena_strdup(ctx->arena, employee_id);
	}
	stmt_reset(st);
	if (rc == STORE_DONE) /* said as for one outside the actor's scope */
		return authz_unknown_person(ctx, employee_id, err);
	if (rc < 0)
		return rc;
	/* Whether someone outside the actor's scope is in the cycle is theirs. */
	if (!in_cycle && (rc = authz_require_person(ctx, out->person_id, employee_id, err)) < 0)
		return rc;
	/* Not found, as feedback says it: a page or route naming the person in
	 * the cycle names nothing (found hunting: a 400 page). */
	if (!in_cycle)
		return err_set(err, ERR_NOT_FOUND, "%s is not reviewed in cycle '%s'", employee_id,
		               cycle_name);
	return 0;
}

int evaluation_may_read(struct ctx *ctx, const struct evaluation_member *m, const char *what,
                        struct error *err)
{
	enum authz_review rel;
	int rc = authz_review_relation(ctx, m->person_id, m->manager_id, &rel, err);
	if (rc < 0)
		return rc;
	/* The person reads their evaluation once it is delivered, as the manager's
	 * written feedback: not while it may still change in calibration. */
	if (rel == AUTHZ_REVIEW_SELF && !cycle_delivered(m->phase)) {
		err_set(err, ERR_DENIED, "%s's %s is shown to them from the delivery phase on",
		        m->employee_id, what);
		err_hint(err, "the cycle is in its %s phase", m->phase);
		ctx_note_denied(ctx, err);
		return ERR_DENIED;
	}
	if (rel != AUTHZ_REVIEW_NONE)
		return 0;
	/* Someone outside the actor's scope is refused as an unknown id is
	 * (authz_unknown_person), so the answer does not tell that they exist. */
	if ((rc = authz_require_person(ctx, m->person_id, m->employee_id, err)) < 0)
		return rc;
	err_set(err, ERR_DENIED, "%s may not read %s's %s", ctx->actor.name, m->employee_id, what);
	err_hint(err, "the person, their managers and people partners over them read it");
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

struct list_args {
	const char *person;
	struct evaluation_cycle **out;
	size_t *n;
};

static int list_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct list_args *a = arg;
	int64_t person_id;
	int rc = org_person_id(ctx, a->person, &person_id, err);
	if (rc == ERR_NOT_FOUND) {
		err_clear(err);
		return authz_unknown_person(ctx, a->person, err);
	}
	if (rc < 0)
		return rc;
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "SELECT c.name, c.kind, c.phase, c.period_start, c.period_end,"
	                   " cm.manager_id, e.version, e.created_at"
	                   " FROM cycle_members cm JOIN cycles c ON c.id = cm.cycle_id"
	                   " LEFT JOIN evaluations e ON e.cycle_id = cm.cycle_id"
	                   " AND e.person_id = cm.person_id AND e.version ="
	                   " (SELECT MAX(x.version) FROM evaluations x WHERE x.cycle_id ="
	                   " cm.cycle_id AND x.person_id = cm.person_id)"
	                   " WHERE cm.person_id = ? ORDER BY c.period_end DESC, c.id DESC",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, person_id);
	struct evaluation_cycle *rows = NULL;
	size_t n = 0, cap = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		enum authz_review rel;
		int64_t manager = stmt_is_null(st, 5) ? 0 : stmt_int(st, 5);
		if ((rc = authz_review_relation(ctx, person_id, manager, &rel, err)) < 0)
			break;
		if (rel == AUTHZ_REVIEW_NONE)
			continue;
		if (n == cap)
			rows = arena_grow(ctx->arena, rows, n, &cap, sizeof *rows);
		struct evaluation_cycle *c = &rows[n++];
		memset(c, 0, sizeof *c);
		c->cycle = stmt_text_dup(st, 0, ctx->arena);
		c->kind = stmt_text_dup(st, 1, ctx->arena);
		c->phase = stmt_text_dup(st, 2, ctx->arena);
		c->period_start = stmt_int(st, 3);
		c->period_end = stmt_int(st, 4);
		c->readable = rel != AUTHZ_REVIEW_SELF || cycle_delivered(c->phase);
		c->self = rel == AUTHZ_REVIEW_SELF;
		if (c->readable && !stmt_is_null(st, 6)) {
			c->latest_version = (int)stmt_int(st, 6);
			c->evaluated_at = stmt_int(st, 7);
		}
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	/* Whether someone outside the actor's scope is reviewed anywhere is theirs. */
	if (!n && (rc = authz_require_person(ctx, person_id, a->person, err)) < 0)
		return rc;
	ctx_subject(ctx, "person", a->person);
	*a->out = rows;
	*a->n = n;
	return 0;
}

int evaluation_list(struct ctx *ctx, const char *person, struct evaluation_cycle **out, size_t *n,
                    struct error *err)
{
	*out = NULL;
	*n = 0;
	struct list_args a = {person, out, n};
	return ctx_run(ctx, OP_EVALUATION_LIST, list_body, &a, err);
}

/* ---- reading the file ---- */

struct item {
	struct evaluation_evidence ev;
	enum evidence_kind kind;
	long line;
	const char *where;
	const char *data_kind; /* what aup_check_evidence is told: the event's kind for events */
};

struct rating {
	struct evaluation_rating r;
	const struct fw_competency *competency;
	long line;
	const char *where;
	struct item *items;
	size_t nitems;
};

struct parsed {
	struct rating *ratings;
	size_t nratings;
	const char *manager_case;
	long ratings_line; /* of ratings:, or of the document when absent */
};

struct parse {
	struct yread y;
	const struct framework *fw;
	struct parsed *out;
};

static const char *path(struct arena *a, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
static const char *path(struct arena *a, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return arena_strdup(a, buf);
}

/* The fields of a mapping by name (known, NULL-terminated, at most 8); errors
 * name the full path (where is NULL for the document itself).  keys, when
 * given, receives each field's key node. */
static int read_fields(struct parse *p, const yaml_node_t *map, const char *where,
                       const char *const *known, const yaml_node_t **nodes,
                       const yaml_node_t **keys)
{
	memset(nodes, 0, 8 * sizeof *nodes);
	if (map->type != YAML_MAPPING_NODE)
		return yread_err(&p->y, map, where ? where : "the evaluation",
		                 "expected a mapping (key: value lines)");
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
	     pr++) {
		const yaml_node_t *k = yread_node(&p->y, pr->key);
		const char *field;
		int rc = yread_text(&p->y, k, where ? where : "field name", YREAD_NAME_MAX, &field);
		if (rc < 0)
			return rc;
		int f = 0;
		while (known[f] && strcmp(known[f], field) != 0)
			f++;
		if (!known[f]) {
			struct sb list = SB_INIT;
			for (int i = 0; known[i]; i++)
				sb_printf(&list, "%s%s", i ? ", " : "", known[i]);
			rc = yread_err(&p->y, k,
			               where ? path(p->y.a, "%s.%s", where, field) : field,
			               "unknown field; the fields are: %s", list.buf);
			sb_release(&list);
			return rc;
		}
		if (nodes[f])
			return yread_err(&p->y, k,
			                 where ? path(p->y.a, "%s.%s", where, field) : field,
			                 "given twice");
		nodes[f] = yread_node(&p->y, pr->value);
		if (keys)
			keys[f] = k;
	}
	return 0;
}

/* Where the time and title come from plumb, the file gives neither. */
static bool kind_from_plumb(enum evidence_kind k)
{
	return k == EVIDENCE_EVENT || k == EVIDENCE_METRIC || k == EVIDENCE_FEEDBACK;
}

bool evaluation_kind_from_plumb(const char *kind)
{
	for (int k = 0; kind && kind_names[k]; k++)
		if (strcmp(kind_names[k], kind) == 0)
			return kind_from_plumb((enum evidence_kind)k);
	return false;
}

static int parse_item(struct parse *p, const yaml_node_t *n, const char *where, struct item *it)
{
	static const char *const known[] = {"kind", "ref", "date", "title", "negative", NULL};
	const yaml_node_t *f[8];
	memset(it, 0, sizeof *it);
	it->where = where;
	it->line = yamldoc_line(n);
	int rc = read_fields(p, n, where, known, f, NULL);
	if (rc < 0)
		return rc;
	if (!f[0] || !f[1])
		return yread_err(&p->y, n, where, "missing required field '%s'",
		                 !f[0] ? "kind" : "ref");
	int kind;
	rc = yread_choice(&p->y, f[0], path(p->y.a, "%s.kind", where), kind_names, &kind);
	if (rc == 0)
		rc = yread_nonempty(&p->y, f[1], path(p->y.a, "%s.ref", where), REF_MAX,
		                    &it->ev.ref);
	if (rc < 0)
		return rc;
	it->kind = (enum evidence_kind)kind;
	it->ev.kind = kind_names[kind];
	it->ev.title = "";
	it->data_kind = it->ev.kind;
	for (int i = 2; i <= 3; i++)
		if (f[i] && kind_from_plumb(it->kind))
			return yread_err(&p->y, f[i], path(p->y.a, "%s.%s", where, known[i]),
			                 "the %s of %s evidence comes from plumb; leave it out",
			                 known[i], it->ev.kind);
	if (f[2]) {
		const char *text;
		const char *field = path(p->y.a, "%s.date", where);
		struct error why = {0};
		rc = yread_nonempty(&p->y, f[2], field, 64, &text);
		if (rc == 0 && ts_parse(text, &it->ev.occurred_at, &why) < 0)
			rc = yread_err(&p->y, f[2], field,
			               "'%s': expected a date (YYYY-MM-DD) or an RFC 3339 time",
			               text);
		/* Evidence is of what happened (found in review: 2099 was taken,
		 * and counted as recent). */
		else if (rc == 0 && it->ev.occurred_at > ts_now_ms())
			rc = yread_err(&p->y, f[2], field, "'%s' is still to come", text);
		if (rc < 0)
			return rc;
	}
	if (f[3] && (rc = yread_text(&p->y, f[3], path(p->y.a, "%s.title", where), TITLE_MAX,
	                             &it->ev.title)) < 0)
		return rc;
	if (f[4] && (rc = yread_bool(&p->y, f[4], path(p->y.a, "%s.negative", where),
	                             &it->ev.negative)) < 0)
		return rc;
	it->ev.negative_said = it->ev.negative;
	return 0;
}

static int parse_rating(struct parse *p, const yaml_node_t *k, const yaml_node_t *v,
                        struct rating *r)
{
	static const char *const known[] = {"rating", "evidence", "no_evidence_reason", NULL};
	const char *id;
	int rc = yread_nonempty(&p->y, k, "ratings", 64, &id);
	if (rc < 0)
		return rc;
	const char *where = path(p->y.a, "ratings.%s", id);
	memset(r, 0, sizeof *r);
	r->where = where;
	r->line = yamldoc_line(k);
	r->competency = framework_competency(p->fw, id);
	if (!r->competency)
		return yread_err(&p->y, k, where,
		                 "'%s' is not a competency of framework version %d", id,
		                 p->fw->version);
	r->r.dimension = r->competency->id;
	const yaml_node_t *f[8];
	if ((rc = read_fields(p, v, where, known, f, NULL)) < 0)
		return rc;
	if (!f[0])
		return yread_err(&p->y, v, where, "missing required field 'rating'");
	const struct fw_scale *scale = r->competency->scale;
	long value;
	const char *field = path(p->y.a, "%s.rating", where);
	rc = yread_int(&p->y, f[0], field, 0, 10, &value);
	if (rc < 0)
		return rc;
	r->r.label = framework_scale_label(scale, (int)value);
	if (!r->r.label)
		return yread_err(&p->y, f[0], field, "%ld is not on scale %s (%d to %d)", value,
		                 scale->id, scale->points[0].value,
		                 scale->points[scale->npoints - 1].value);
	r->r.rating = (double)value;
	if (f[2]) {
		rc = yread_text(&p->y, f[2], path(p->y.a, "%s.no_evidence_reason", where),
		                REASON_MAX, &r->r.no_evidence_reason);
		if (rc < 0)
			return rc;
		if (!org_has_text(r->r.no_evidence_reason))
			r->r.no_evidence_reason = NULL;
	}
	const yaml_node_t *ev = f[1];
	size_t n = 0;
	if (ev) {
		const char *ewhere = path(p->y.a, "%s.evidence", where);
		if (ev->type != YAML_SEQUENCE_NODE)
			return yread_err(&p->y, ev, ewhere, "expected a list of evidence items");
		n = (size_t)(ev->data.sequence.items.top - ev->data.sequence.items.start);
		if (n > EVALUATION_EVIDENCE_MAX)
			return yread_err(&p->y, ev, ewhere, "more than %d items",
			                 EVALUATION_EVIDENCE_MAX);
	}
	if (n == 0 && !r->r.no_evidence_reason)
		return yread_err(&p->y, k, where,
		                 "the rating cites no evidence; cite some, or write a "
		                 "no_evidence_reason saying why there is none");
	if (n > 0 && r->r.no_evidence_reason)
		return yread_err(&p->y, f[2], path(p->y.a, "%s.no_evidence_reason", where),
		                 "the rating cites evidence; a reason for having none is for "
		                 "ratings without it");
	r->items = arena_array(p->y.a, n ? n : 1, sizeof *r->items);
	for (size_t i = 0; i < n; i++) {
		const yaml_node_t *item = yread_node(&p->y, ev->data.sequence.items.start[i]);
		rc = parse_item(p, item, path(p->y.a, "%s.evidence[%zu]", where, i), &r->items[i]);
		if (rc < 0)
			return rc;
		/* Evidence behind a rating below expectations counts against the person. */
		if (value < scale->meets)
			r->items[i].ev.negative = true;
	}
	r->nitems = n;
	return 0;
}

static int cmp_rating(const void *a, const void *b)
{
	const struct rating *x = a, *y = b;
	return (x->competency > y->competency) - (x->competency < y->competency);
}

static int parse_root(struct parse *p, const yaml_node_t *root, bool rated, const char *cycle)
{
	static const char *const known[] = {"ratings", "case", NULL};
	const yaml_node_t *f[8], *keys[8];
	int rc = read_fields(p, root, NULL, known, f, keys);
	if (rc < 0)
		return rc;
	struct parsed *out = p->out;
	out->manager_case = "";
	if (f[1] && (rc = yread_text(&p->y, f[1], "case", CASE_MAX, &out->manager_case)) < 0)
		return rc;
	const yaml_node_t *ratings = f[0];
	out->ratings_line = yamldoc_line(ratings ? keys[0] : root);
	size_t n = 0;
	if (ratings) {
		if (ratings->type != YAML_MAPPING_NODE)
			return yread_err(&p->y, ratings, "ratings",
			                 "expected a mapping of competency: {rating, evidence}");
		n = (size_t)(ratings->data.mapping.pairs.top - ratings->data.mapping.pairs.start);
	}
	if (n > 0 && !rated)
		return yread_err(&p->y, keys[0], "ratings",
		                 "cycle '%s' collects no ratings (a check-in without ratings); "
		                 "leave ratings out",
		                 cycle);
	out->ratings = arena_array(p->y.a, n ? n : 1, sizeof *out->ratings);
	for (size_t i = 0; i < n; i++) {
		const yaml_node_pair_t *pr = &ratings->data.mapping.pairs.start[i];
		const yaml_node_t *k = yread_node(&p->y, pr->key);
		if (yamldoc_repeated_key(p->y.doc, ratings, pr)) {
			const char *id;
			yread_text(&p->y, k, "ratings", 64, &id);
			return yread_err(&p->y, k, path(p->y.a, "ratings.%s", id), "given twice");
		}
		rc = parse_rating(p, k, yread_node(&p->y, pr->value), &out->ratings[i]);
		if (rc < 0)
			return rc;
	}
	out->nratings = n;
	/* A rated cycle rates every competency. */
	for (size_t c = 0; rated && c < p->fw->ncompetencies; c++) {
		const struct fw_competency *comp = &p->fw->competencies[c];
		bool found = false;
		for (size_t i = 0; i < n && !found; i++)
			found = out->ratings[i].competency == comp;
		if (!found)
			return err_set(p->y.err, ERR_INVALID,
			               "%s:%ld: ratings.%s: not rated; cycle '%s' rates every "
			               "competency of framework version %d",
			               p->y.name, out->ratings_line, comp->id, cycle,
			               p->fw->version);
	}
	qsort(out->ratings, n, sizeof *out->ratings, cmp_rating);
	return 0;
}

static int parse_file(struct ctx *ctx, const struct evaluation_submission *sub,
                      const struct framework *fw, const struct cycle_info *info, struct parsed *out,
                      struct error *err)
{
	memset(out, 0, sizeof *out);
	yaml_document_t doc;
	int rc = yamldoc_load(sub->name, sub->data, sub->len, &doc, err);
	if (rc < 0)
		return rc;
	struct parse p = {{sub->name, &doc, ctx->arena, err, NULL, false}, fw, out};
	const yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (!root)
		rc = err_set(err, ERR_INVALID, "%s: the file is empty; expected ratings and a case",
		             sub->name);
	else
		rc = parse_root(&p, root, info->ratings, info->name);
	yaml_document_delete(&doc);
	return rc;
}

int evaluation_check_file(struct ctx *ctx, const struct evaluation_submission *sub,
                          const struct framework *fw, const struct cycle_info *info,
                          struct error *err)
{
	struct parsed out;
	return parse_file(ctx, sub, fw, info, &out, err);
}

/* ---- checking evidence against the database ---- */

struct submit_args {
	const struct evaluation_submission *sub;
	struct evaluation_submit_result *out;
};

struct check {
	struct ctx *ctx;
	const struct evaluation_submission *sub;
	const struct framework *fw;
	const struct cycle_info *info;
	const struct evaluation_member *m;
	struct metrics_batch *batch;
	struct error *err;
	int64_t *value_ids; /* metric values computed, for the audit entry */
	size_t nvalues, values_alloc;
	const char **outside; /* evidence dated outside the period, as warnings */
	size_t noutside, outside_alloc;
};

/* ERR_INVALID "FILE:LINE: PATH.field: reason" for an evidence item. */
static int bad(struct check *c, const struct item *it, const char *field, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static int bad(struct check *c, const struct item *it, const char *field, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(c->err, ERR_INVALID, "%s:%ld: %s.%s: %s", c->sub->name, it->line, it->where,
	               field, msg);
}

/* A refusal under an acceptable-use rule, or of a metric whose sources the
 * actor may not read of the person, says where the file asked for it, after
 * whatever detail the refusal gave; the latter keeps its hint (whom to ask). */
static int refused(struct check *c, const struct item *it, int rc)
{
	if (rc != ERR_POLICY && rc != ERR_DENIED)
		return rc;
	size_t len = strlen(c->err->detail);
	snprintf(c->err->detail + len, sizeof c->err->detail - len,
	         "%sthe evidence is at %s:%ld: %s", len ? "; " : "", c->sub->name, it->line,
	         it->where);
	if (rc == ERR_POLICY)
		err_hint(c->err, "remove that evidence and submit again");
	return rc;
}

bool evaluation_event_ref(const char *ref, int64_t *id)
{
	/* ' 7', '+7' and '07' were stored as written, and a withdrawal that
	 * deleted event 7 left them its title and time (found hunting). */
	if (ref[0] < '1' || ref[0] > '9' || strspn(ref, "0123456789") != strlen(ref))
		return false;
	errno = 0;
	long long v = strtoll(ref, NULL, 10);
	/* Past 64 bits strtoll says the largest id, which the answer then named
	 * (found in review). */
	if (errno == ERANGE)
		return false;
	*id = v;
	return true;
}

static int check_event(struct check *c, struct item *it)
{
	int64_t id;
	if (!evaluation_event_ref(it->ev.ref, &id))
		return bad(c, it, "ref",
		           "'%s': an event is cited by its plumb id, a positive number (plumb "
		           "events list shows them)",
		           it->ev.ref);
	struct store_stmt *st;
	int rc = store_prepare(
	        c->ctx->store,
	        "SELECT kind, occurred_at, COALESCE(title, ''), source_id FROM events "
	        "WHERE id = ?1 AND " ORG_EVENT_OF_PERSON("person_id", "?2"),
	        &st, c->err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, id);
	stmt_bind_int(st, 2, c->m->person_id);
	rc = stmt_step(st, c->err);
	bool theirs = rc == STORE_ROW;
	int64_t source_id = 0;
	if (theirs) {
		it->data_kind = stmt_text_dup(st, 0, c->ctx->arena);
		it->ev.occurred_at = stmt_int(st, 1);
		it->ev.title = stmt_text_dup(st, 2, c->ctx->arena);
		source_id = stmt_int(st, 3);
	}
	stmt_reset(st);
	/* Whose it is belongs to the source's owner to tell (sourceacl.h): one
	 * the actor may not see the person of is answered as someone else's. */
	if (theirs) {
		struct sourceacl *acl;
		int acl_rc = sourceacl_load(c->ctx, &acl, c->err);
		if (acl_rc < 0)
			return acl_rc;
		theirs = sourceacl_individual_ok(acl, source_id, c->m->person_id);
	}
	/* Only the person's own events: someone else's work is not theirs, and an
	 * event id is not a way to read titles outside the manager's scope. */
	if (rc == STORE_DONE || (rc == STORE_ROW && !theirs))
		return bad(c, it, "ref",
		           "no event %" PRId64 " of %s's (plumb events list shows whose each is)",
		           id, c->m->employee_id);
	return rc < 0 ? rc : 0;
}

/* Feedback is cited as the group of one relation: it must exist. */
static int check_feedback(struct check *c, struct item *it)
{
	int rel = fw_relation_parse(it->ev.ref);
	if (rel < 0)
		return bad(c, it, "ref",
		           "'%s' is not a feedback relation (self, manager, peer, upward, "
		           "cross_functional)",
		           it->ev.ref);
	/* Citable as feedback shows it: a group only once it may be read. */
	bool citable = false, wrote = false;
	int rc = feedback_exists_tx(c->ctx, c->info->id, c->m->person_id, (enum fw_relation)rel,
	                            &citable, &wrote, c->err);
	if (rc < 0)
		return rc;
	if (wrote)
		return bad(c, it, "ref",
		           "%s may not cite %s feedback about %s: you wrote in it, so it is not "
		           "shown to you (feedback show says so); another of their managers or "
		           "people partners, who did not write in it, may cite it",
		           c->ctx->actor.name, it->ev.ref, c->m->employee_id);
	if (!citable)
		return bad(
		        c, it, "ref",
		        "cycle '%s' has no %s feedback about %s that may be cited (a group needs "
		        "the framework's threshold of responses and a closed feedback phase)",
		        c->info->name, it->ev.ref, c->m->employee_id);
	it->ev.title = arena_printf(c->ctx->arena, "%s feedback", it->ev.ref);
	return 0;
}

/* A metric's value for the person over the cycle's period, computed and
 * stored with its lineage, once the rules allow it. */
static int check_metric(struct check *c, struct item *it)
{
	struct ctx *ctx = c->ctx;
	struct metric_def def;
	struct error why = {0};
	int rc = catalog_active(ctx, it->ev.ref, ctx->arena, &def, &why);
	if (rc == ERR_NOT_FOUND || rc == ERR_CONFLICT)
		return bad(c, it, "ref", "%s", why.message);
	if (rc < 0) {
		*c->err = why;
		return rc;
	}
	rc = aup_check_metric_for_person(ctx, def.key, def.scopes, c->m->employee_id,
	                                 "attached as evidence to", c->err);
	if (rc < 0)
		return refused(c, it, rc);
	if (!framework_metric(c->fw, def.key))
		return bad(c, it, "ref",
		           "metric '%s' is not among the evidence.metrics of framework version %d",
		           def.key, c->fw->version);
	if ((rc = aup_check_incentive_use(ctx, def.key, "promotion", c->err)) < 0)
		return refused(c, it, rc);
	struct metrics_query q = {
	        .key = def.key,
	        .person = c->m->employee_id,
	        .from = c->info->period_start,
	        .to = c->info->period_end,
	        .has_from = true,
	        .has_to = true,
	};
	struct metrics_report rep = {0};
	bool stored;
	if ((rc = metrics_batch_show(c->batch, &q, &rep, &stored, c->err)) < 0)
		return refused(c, it, rc);
	it->ev.has_metric_value = true;
	it->ev.metric_value_id = rep.overall.value_id;
	it->ev.metric_value = rep.overall.value;
	it->ev.title = def.name;
	c->value_ids = arena_grow(ctx->arena, c->value_ids, c->nvalues, &c->values_alloc,
	                          sizeof *c->value_ids);
	c->value_ids[c->nvalues++] = rep.overall.value_id;
	return 0;
}

/* A date alone for midnight UTC, else the time. */
static const char *day_or_time(int64_t at, char buf[TS_BUF])
{
	return at % MS_PER_DAY ? ts_format(at, buf) : ts_format_date(at, buf);
}

/* Evidence dated before the cycle's period or after it is kept, but said
 * (found hunting packets: it was taken silently, and a packet shows it as
 * of the cycle).  The period's end is excluded, as --to is everywhere and
 * as the metrics and the recency flag take it (found hunting: evidence at
 * the end was neither warned of nor counted). */
static void note_outside_period(struct check *c, const struct item *it)
{
	int64_t at = it->ev.occurred_at;
	if (at >= c->info->period_start && at < c->info->period_end)
		return;
	char when[TS_BUF], from[TS_BUF], to[TS_BUF];
	c->outside = arena_grow(c->ctx->arena, c->outside, c->noutside, &c->outside_alloc,
	                        sizeof *c->outside);
	c->outside[c->noutside++] = arena_printf(
	        c->ctx->arena,
	        "%s:%ld: %s.date: %s is %s the cycle's period (%s to %s, the "
	        "end excluded)",
	        c->sub->name, it->line, it->where, day_or_time(at, when),
	        at < c->info->period_start ? "before" : "after",
	        day_or_time(c->info->period_start, from), day_or_time(c->info->period_end, to));
}

static int check_items(struct check *c, struct parsed *p, int *metric_inputs)
{
	*metric_inputs = 0;
	for (size_t r = 0; r < p->nratings; r++) {
		struct rating *rt = &p->ratings[r];
		int64_t *dated =
		        arena_array(c->ctx->arena, rt->nitems ? rt->nitems : 1, sizeof *dated);
		size_t ndated = 0;
		for (size_t i = 0; i < rt->nitems; i++) {
			struct item *it = &rt->items[i];
			int rc = 0;
			if (it->kind == EVIDENCE_EVENT)
				rc = check_event(c, it);
			else if (it->kind == EVIDENCE_FEEDBACK)
				rc = check_feedback(c, it);
			else if (it->kind == EVIDENCE_METRIC) {
				rc = check_metric(c, it);
				++*metric_inputs;
			}
			if (rc == 0)
				rc = refused(c, it,
				             aup_check_evidence(c->ctx, c->m->employee_id,
				                                it->data_kind, it->ev.negative,
				                                c->err));
			if (rc < 0)
				return rc;
			if (it->ev.occurred_at) {
				dated[ndated++] = it->ev.occurred_at;
				note_outside_period(c, it);
			}
		}
		rt->r.recency_flag =
		        evaluation_recency_flag(dated, ndated, c->info->period_start,
		                                c->info->period_end, c->fw->recent_share);
	}
	return 0;
}

/* ---- storing a version ---- */

/* Whether the actor writes m's evaluation: their manager in the cycle, or
 * the one standing in for them once they have left (cycle_stand_in: found
 * in review, none but a people partner could, and the leaver's review of
 * them was withdrawn), or a people partner over them. */
static int writes_evaluation(struct ctx *ctx, const struct evaluation_member *m, bool *yes,
                             struct error *err)
{
	int rc = cycle_is_manager(ctx, m->manager_id, m->person_id, yes, err);
	if (rc < 0 || *yes)
		return rc;
	enum authz_review rel;
	if ((rc = authz_review_relation(ctx, m->person_id, 0, &rel, err)) < 0)
		return rc;
	*yes = rel == AUTHZ_REVIEW_PEOPLE_PARTNER;
	return 0;
}

int evaluation_writer(struct ctx *ctx, int64_t cycle_id, const char *cycle_name, const char *person,
                      bool *writes, struct error *err)
{
	*writes = false;
	struct evaluation_member m;
	int rc = evaluation_member(ctx, cycle_id, cycle_name, person, &m, err);
	return rc < 0 ? rc : writes_evaluation(ctx, &m, writes, err);
}

static int may_submit(struct ctx *ctx, const struct evaluation_member *m, struct error *err)
{
	bool writer = false;
	int rc = writes_evaluation(ctx, m, &writer, err);
	if (rc < 0 || writer)
		return rc;
	/* Someone outside the actor's scope is refused as an unknown id is, so the
	 * answer tells neither that they exist nor that they are in the cycle. */
	if ((rc = authz_require_person(ctx, m->person_id, m->employee_id, err)) < 0)
		return rc;
	err_set(err, ERR_DENIED, "%s may not submit an evaluation of %s", ctx->actor.name,
	        m->employee_id);
	err_hint(err, "the person's manager in the cycle, or a people partner over them, rates "
	              "them");
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

static int last_version(struct ctx *ctx, int64_t cycle, int64_t person, int *version,
                        struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT COALESCE(MAX(version), 0) FROM evaluations"
	                       " WHERE cycle_id = ? AND person_id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	stmt_bind_int(st, 2, person);
	rc = stmt_step(st, err);
	*version = rc == STORE_ROW ? (int)stmt_int(st, 0) : 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int insert_evidence(struct ctx *ctx, int64_t eval_id, const char *dimension,
                           const struct evaluation_evidence *ev, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "INSERT INTO evaluation_evidence(evaluation_id, dimension, kind, "
	                       "ref, title, occurred_at, negative, metric_value_id, "
	                       "metric_value, negative_said) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, eval_id);
	stmt_bind_text(st, 2, dimension);
	stmt_bind_text(st, 3, ev->kind);
	stmt_bind_text(st, 4, ev->ref);
	stmt_bind_text(st, 5, ev->title);
	stmt_bind_opt_int(st, 6, ev->occurred_at, ev->occurred_at != 0);
	stmt_bind_int(st, 7, ev->negative);
	stmt_bind_opt_int(st, 8, ev->metric_value_id, ev->has_metric_value);
	if (ev->has_metric_value && isfinite(ev->metric_value))
		stmt_bind_double(st, 9, ev->metric_value);
	else
		stmt_bind_null(st, 9);
	stmt_bind_int(st, 10, ev->negative_said);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* One rating row; its evidence is the caller's to add. */
static int insert_rating_row(struct ctx *ctx, int64_t eval_id, const struct evaluation_rating *r,
                             struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "INSERT INTO evaluation_ratings(evaluation_id, dimension, rating, "
	                       "no_evidence_reason, recency_flag) VALUES (?, ?, ?, ?, ?)",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, eval_id);
	stmt_bind_text(st, 2, r->dimension);
	stmt_bind_double(st, 3, r->rating);
	stmt_bind_text(st, 4, r->no_evidence_reason);
	stmt_bind_int(st, 5, r->recency_flag);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int insert_rating(struct ctx *ctx, int64_t eval_id, const struct rating *r,
                         struct error *err)
{
	int rc = insert_rating_row(ctx, eval_id, &r->r, err);
	for (size_t i = 0; rc == 0 && i < r->nitems; i++)
		rc = insert_evidence(ctx, eval_id, r->r.dimension, &r->items[i].ev, err);
	return rc;
}

/* The evaluations row of a new version; its id in *id. */
static int insert_version(struct ctx *ctx, int64_t cycle_id, int64_t person_id, int version,
                          int framework_version, const char *source, const char *reason,
                          const char *manager_case, int64_t *id, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "INSERT INTO evaluations(cycle_id, person_id, version, "
	                       "framework_version, source, reason, manager_case, created_at, "
	                       "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle_id);
	stmt_bind_int(st, 2, person_id);
	stmt_bind_int(st, 3, version);
	stmt_bind_int(st, 4, framework_version);
	stmt_bind_text(st, 5, source);
	stmt_bind_text(st, 6, reason);
	stmt_bind_text(st, 7, manager_case);
	stmt_bind_int(st, 8, ts_now_ms());
	stmt_bind_text(st, 9, ctx->actor.name);
	rc = stmt_step(st, err);
	*id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int evaluation_revise_tx(struct ctx *ctx, int64_t cycle_id, int64_t person_id, const char *source,
                         const char *reason, const struct evaluation_change *changes,
                         size_t nchanges, int *version, struct error *err)
{
	struct evaluation base;
	bool found;
	int rc = evaluation_load_tx(ctx, cycle_id, person_id, 0, NULL, &base, &found, err);
	if (rc < 0)
		return rc;
	if (!found)
		return err_set(err, ERR_NOT_FOUND, "there is no evaluation to revise");
	for (size_t c = 0; c < nchanges; c++) {
		size_t i = 0;
		while (i < base.nratings && strcmp(base.ratings[i].dimension, changes[c].dimension))
			i++;
		if (i == base.nratings)
			return err_set(err, ERR_INVALID, "the evaluation has no rating of '%s'",
			               changes[c].dimension);
	}
	/* The new version carries every metric the base cites, so an
	 * incentive-linked one needs a sign-off standing now, as at submission
	 * (one expired, superseded or outvoted since is refused). */
	for (size_t i = 0; i < base.nratings; i++)
		for (size_t e = 0; e < base.ratings[i].nevidence; e++) {
			const struct evaluation_evidence *ev = &base.ratings[i].evidence[e];
			if (strcmp(ev->kind, "metric") == 0 &&
			    (rc = aup_check_incentive_use(ctx, ev->ref, "promotion", err)) < 0)
				return rc;
		}
	struct cycle_info info;
	const struct framework *fw;
	if ((rc = cycle_info(ctx, cycle_id, &info, err)) < 0 ||
	    (rc = framework_load(ctx, base.framework_version, &fw, err)) < 0)
		return rc;
	int64_t id;
	if ((rc = insert_version(ctx, cycle_id, person_id, base.version + 1, base.framework_version,
	                         source, reason, base.manager_case, &id, err)) < 0)
		return rc;
	for (size_t i = 0; i < base.nratings && rc == 0; i++) {
		struct evaluation_rating r = base.ratings[i];
		const struct evaluation_change *ch = NULL;
		for (size_t c = 0; c < nchanges; c++)
			if (strcmp(changes[c].dimension, r.dimension) == 0)
				ch = &changes[c];
		if (ch) {
			r.rating = ch->rating;
			if (ch->nevidence)
				r.no_evidence_reason = NULL;
			/* The added evidence counts toward the recency flag too. */
			int64_t *dated = arena_array(ctx->arena, r.nevidence + ch->nevidence + 1,
			                             sizeof *dated);
			size_t ndated = 0;
			for (size_t e = 0; e < r.nevidence; e++)
				if (r.evidence[e].occurred_at)
					dated[ndated++] = r.evidence[e].occurred_at;
			for (size_t e = 0; e < ch->nevidence; e++)
				if (ch->evidence[e].occurred_at)
					dated[ndated++] = ch->evidence[e].occurred_at;
			r.recency_flag = evaluation_recency_flag(dated, ndated, info.period_start,
			                                         info.period_end, fw->recent_share);
		}
		/* Evidence behind a rating below expectations counts against the
		 * person, as a submission stores it: a revision that lowers a
		 * rating there takes its evidence along (found by a sequence: a
		 * rating calibrated 3 -> 2 kept its pull request as not counting
		 * against the person, behind a 2), and one that raises it to meets
		 * or above keeps only what was said to count against them (found
		 * by a sequence: a rating calibrated 2 -> 4 showed its evidence
		 * "counts against" beside the 4). */
		const struct fw_competency *comp = framework_competency(fw, r.dimension);
		bool below = comp && r.rating < comp->scale->meets;
		rc = insert_rating_row(ctx, id, &r, err);
		for (size_t e = 0; rc == 0 && e < r.nevidence; e++) {
			struct evaluation_evidence item = r.evidence[e];
			if (ch)
				item.negative = item.negative_said || below;
			rc = insert_evidence(ctx, id, r.dimension, &item, err);
		}
		for (size_t e = 0; ch && rc == 0 && e < ch->nevidence; e++) {
			struct evaluation_evidence item = ch->evidence[e];
			item.negative = item.negative_said || below;
			rc = insert_evidence(ctx, id, r.dimension, &item, err);
		}
	}
	*version = base.version + 1;
	return rc;
}

static int audit_submit(struct ctx *ctx, const struct check *c, int64_t id,
                        const struct evaluation_submit_result *out, struct error *err)
{
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kint(&w, "cycle", c->info->id);
	jw_kstr(&w, "person", c->m->employee_id);
	jw_kint(&w, "version", out->version);
	jw_kstr(&w, "source", "manager");
	jw_kint(&w, "framework_version", c->fw->version);
	jw_kint(&w, "ratings", out->ratings);
	jw_kint(&w, "evidence", out->evidence);
	jw_kint(&w, "recency_flags", out->recency_flags);
	jw_key(&w, "metric_values");
	jw_array_begin(&w);
	for (size_t i = 0; i < c->nvalues; i++)
		jw_int(&w, c->value_ids[i]);
	jw_array_end(&w);
	jw_object_end(&w);
	int rc = audit_append(ctx, "evaluation.submit", "evaluation", id_text(ctx->arena, id),
	                      detail.buf, err);
	sb_release(&detail);
	return rc;
}

/* The manager writes the evaluation in manager_review; once that phase has
 * closed only calibration changes it (evaluation_revise_tx), so what
 * calibration and sign-off saw is what the person is given. */
int evaluation_phase_accepts(const struct cycle_info *info, struct error *err)
{
	const char *phase = cycle_phase_name(CYCLE_PHASE_MANAGER_REVIEW);
	for (size_t i = 0; i < info->nphases; i++) {
		const struct cycle_phase_row *p = &info->phases[i];
		if (strcmp(p->name, phase) != 0 || !p->closed_at)
			continue;
		char when[TS_BUF];
		err_set(err, ERR_CONFLICT,
		        "the %s phase of cycle '%s' closed at %s: the evaluation can no longer "
		        "change",
		        phase, info->name, ts_format(p->closed_at, when));
		err_hint(err, "after manager review a rating changes only in an open "
		              "calibration session (plumb calibrate change)");
		return ERR_CONFLICT;
	}
	return 0;
}

/* ERR_CONFLICT unless sub's base version is the newest, last: what it was
 * made from changed since (found in review: two managers, or two tabs, each
 * stored a version on the one they had opened, and the second silently
 * replaced the first's ratings). */
static int base_is_newest(struct ctx *ctx, const struct evaluation_submission *sub,
                          int64_t cycle_id, int64_t person_id, const char *cycle, int last,
                          struct error *err)
{
	if (!sub->based || sub->base_version == last)
		return 0;
	struct evaluation newest = {0};
	bool found = false;
	int rc = last > 0 ? evaluation_load_tx(ctx, cycle_id, person_id, last, NULL, &newest,
	                                       &found, err)
	                  : 0;
	if (rc < 0)
		return rc;
	if (sub->base_version < 0)
		err_set(err, ERR_CONFLICT,
		        "the submission does not say which version of %s's evaluation in cycle "
		        "'%s' it starts from",
		        sub->person, cycle);
	else if (last == 0)
		err_set(err, ERR_CONFLICT,
		        "%s's evaluation in cycle '%s' has no version %d: it has none yet",
		        sub->person, cycle, sub->base_version);
	else
		err_set(err, ERR_CONFLICT,
		        "%s's evaluation in cycle '%s' is at version %d, not version %d this "
		        "submission starts from",
		        sub->person, cycle, last, sub->base_version);
	if (!found) {
		err_detail(err, "nothing was stored");
		err_hint(err, "submit again as the first version (--base-version 0)");
		return ERR_CONFLICT;
	}
	char when[TS_BUF];
	err_detail(err, "version %d was stored by %s at %s (%s); nothing was stored", last,
	           newest.created_by ? newest.created_by : "?", ts_format(newest.created_at, when),
	           newest.source ? newest.source : "?");
	err_hint(err,
	         "read version %d (plumb evaluation history), then submit again on it "
	         "(--base-version %d)",
	         last, last);
	return ERR_CONFLICT;
}

/* Another record of person's human (person merge) evaluated in the cycle
 * already: *as its employee id, else NULL.  The merge came after that
 * evaluation, so it stands for the human (found hunting merges: the
 * record it went into was evaluated a second time). */
static int evaluated_as(struct ctx *ctx, int64_t cycle_id, int64_t person, const char **as,
                        struct error *err)
{
	*as = NULL;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT q.employee_id FROM evaluations e JOIN people q ON q.id = "
	        "e.person_id WHERE e.cycle_id = ?2 AND e.person_id <> ?1 AND " ORG_HUMAN(
	                "e.person_id") " = " ORG_HUMAN("?1") " ORDER BY e.id LIMIT 1",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, person);
	stmt_bind_int(st, 2, cycle_id);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		*as = stmt_text_dup(st, 0, ctx->arena);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int submit_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct submit_args *a = arg;
	const struct evaluation_submission *sub = a->sub;
	struct evaluation_submit_result *out = a->out;
	memset(out, 0, sizeof *out);
	int64_t cycle_id;
	struct cycle_info info;
	struct evaluation_member m;
	int rc = cycle_find(ctx, sub->cycle, &cycle_id, err);
	if (rc == 0)
		rc = cycle_info(ctx, cycle_id, &info, err);
	if (rc == 0)
		rc = evaluation_member(ctx, cycle_id, info.name, sub->person, &m, err);
	if (rc == 0)
		rc = may_submit(ctx, &m, err);
	if (rc < 0)
		return rc;
	if ((rc = evaluation_phase_accepts(&info, err)) < 0)
		return rc;
	int last = 0;
	if ((rc = last_version(ctx, cycle_id, m.person_id, &last, err)) < 0)
		return rc;
	/* One human, one evaluation a cycle: a withdrawn record gets no first
	 * one (found hunting merges: the manager could evaluate the human
	 * twice); a version of one written before the merge may still follow. */
	const char *into = NULL, *as = NULL;
	if (last == 0 &&
	    (rc = cycle_withdrawn_reviewee(ctx, cycle_id, m.person_id, &into, &as, err)) < 0)
		return rc;
	if (into) {
		bool same = strcmp(into, as) == 0;
		err_set(err, ERR_CONFLICT,
		        "%s was merged into %s, whose human is reviewed in cycle '%s'%s%s",
		        m.employee_id, into, info.name, same ? "" : " as ", same ? "" : as);
		err_hint(err, "evaluate the human once, as %s: --person %s", as, as);
		return ERR_CONFLICT;
	}
	/* A leaver's review stands only on an evaluation written before they
	 * left: a new version of it may follow, not a first one. */
	if (last == 0 &&
	    (rc = cycle_refuse_leaver(ctx, &info, m.person_id, m.employee_id, err)) < 0)
		return rc;
	const char *evaluated = NULL;
	if (last == 0 && (rc = evaluated_as(ctx, cycle_id, m.person_id, &evaluated, err)) < 0)
		return rc;
	if (evaluated) {
		err_set(err, ERR_CONFLICT, "%s is evaluated in cycle '%s' already, as %s",
		        m.employee_id, info.name, evaluated);
		err_detail(err, "person merge made %s and %s one human", evaluated, m.employee_id);
		err_hint(err, "a new version of that evaluation: --person %s", evaluated);
		return ERR_CONFLICT;
	}
	if ((rc = base_is_newest(ctx, sub, cycle_id, m.person_id, info.name, last, err)) < 0) {
		out->stale = rc == ERR_CONFLICT;
		out->version = last;
		return rc;
	}
	if (last > 0 && !org_has_text(sub->reason)) {
		err_set(err, ERR_USAGE,
		        "%s%s%s's evaluation in cycle '%s' is at version %d: a new version needs a "
		        "reason",
		        sub->form ? sub->form : "", sub->form ? ": reason: " : "", sub->person,
		        info.name, last);
		err_hint(err, "say why it changes with --reason TEXT");
		return ERR_USAGE;
	}
	const struct framework *fw;
	struct parsed parsed;
	if ((rc = framework_load(ctx, info.framework_version, &fw, err)) < 0 ||
	    (rc = parse_file(ctx, sub, fw, &info, &parsed, err)) < 0)
		return rc;
	struct check c = {ctx, sub, fw,   &info, &m, metrics_batch_new(ctx), err, NULL,
	                  0,   0,   NULL, 0,     0};
	int metric_inputs = 0;
	if ((rc = check_items(&c, &parsed, &metric_inputs)) < 0)
		return rc;
	if ((rc = aup_check_evaluation_basis(ctx, m.employee_id, metric_inputs,
	                                     (int)parsed.nratings, err)) < 0)
		return rc;
	int64_t id;
	if ((rc = insert_version(ctx, cycle_id, m.person_id, last + 1, fw->version, "manager",
	                         sub->reason ? sub->reason : "", parsed.manager_case, &id, err)) <
	    0)
		return rc;
	rc = 0;
	out->id = id;
	out->version = last + 1;
	out->metric_values = (int)c.nvalues;
	out->outside_period = c.outside;
	out->noutside_period = c.noutside;
	for (size_t i = 0; i < parsed.nratings && rc == 0; i++) {
		const struct rating *r = &parsed.ratings[i];
		out->ratings++;
		out->evidence += (int)r->nitems;
		out->recency_flags += r->r.recency_flag;
		rc = insert_rating(ctx, id, r, err);
	}
	if (rc < 0)
		return rc;
	return audit_submit(ctx, &c, id, out, err);
}

int evaluation_submit(struct ctx *ctx, const struct evaluation_submission *sub,
                      struct evaluation_submit_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	/* Printed by evaluation history to its readers, one line a version
	 * (found hunting: a newline and a terminal escape were stored). */
	if (sub->reason && !org_valid_text(sub->reason, REASON_MAX))
		return err_set(err, ERR_USAGE,
		               "%s%s must be one line of text of at most %d bytes without "
		               "control characters",
		               sub->form ? sub->form : "--reason", sub->form ? ": reason:" : "",
		               REASON_MAX);
	struct submit_args a = {sub, out};
	return ctx_run(ctx, OP_EVALUATION_SUBMIT, submit_body, &a, err);
}

/* ---- reading versions ---- */

static int load_ratings(struct ctx *ctx, struct evaluation *ev, const struct framework *fw,
                        struct error *err)
{
	struct arena *a = ctx->arena;
	struct store_stmt *st;
	int rc =
	        store_prepare(ctx->store,
	                      "SELECT dimension, rating, no_evidence_reason, recency_flag"
	                      " FROM evaluation_ratings WHERE evaluation_id = ? ORDER BY dimension",
	                      &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, ev->id);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		ev->ratings = arena_grow(a, ev->ratings, ev->nratings, &alloc, sizeof *ev->ratings);
		struct evaluation_rating *r = &ev->ratings[ev->nratings++];
		memset(r, 0, sizeof *r);
		r->dimension = stmt_text_dup(st, 0, a);
		r->rating = stmt_double(st, 1);
		r->no_evidence_reason = stmt_text_dup(st, 2, a);
		r->recency_flag = stmt_int(st, 3) != 0;
		const struct fw_competency *c = framework_competency(fw, r->dimension);
		r->label = c ? framework_scale_label(c->scale, (int)r->rating) : NULL;
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	/* In the framework's order of competencies, as the file was read. */
	struct evaluation_rating *sorted =
	        arena_array(a, ev->nratings ? ev->nratings : 1, sizeof *sorted);
	size_t n = 0;
	for (size_t c = 0; c < fw->ncompetencies; c++)
		for (size_t i = 0; i < ev->nratings; i++)
			if (strcmp(ev->ratings[i].dimension, fw->competencies[c].id) == 0)
				sorted[n++] = ev->ratings[i];
	for (size_t i = 0; i < ev->nratings; i++)
		if (!framework_competency(fw, ev->ratings[i].dimension))
			sorted[n++] = ev->ratings[i];
	ev->ratings = sorted;
	rc = store_prepare(
	        ctx->store,
	        "SELECT dimension, kind, ref, title, occurred_at, negative, negative_said,"
	        " metric_value_id, metric_value FROM evaluation_evidence"
	        " WHERE evaluation_id = ? ORDER BY id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, ev->id);
	size_t *allocs = arena_array(a, ev->nratings ? ev->nratings : 1, sizeof *allocs);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		const char *dim = stmt_text(st, 0);
		size_t i = 0;
		while (i < ev->nratings && strcmp(ev->ratings[i].dimension, dim) != 0)
			i++;
		if (i == ev->nratings)
			continue;
		struct evaluation_rating *r = &ev->ratings[i];
		r->evidence =
		        arena_grow(a, r->evidence, r->nevidence, &allocs[i], sizeof *r->evidence);
		struct evaluation_evidence *e = &r->evidence[r->nevidence++];
		e->kind = stmt_text_dup(st, 1, a);
		e->ref = stmt_text_dup(st, 2, a);
		e->title = stmt_text_dup(st, 3, a);
		e->occurred_at = stmt_is_null(st, 4) ? 0 : stmt_int(st, 4);
		e->negative = stmt_int(st, 5) != 0;
		e->negative_said = stmt_int(st, 6) != 0;
		e->has_metric_value = !stmt_is_null(st, 7);
		e->metric_value_id = e->has_metric_value ? stmt_int(st, 7) : 0;
		e->metric_value = stmt_is_null(st, 8) ? NAN : stmt_double(st, 8);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int evaluation_load_tx(struct ctx *ctx, int64_t cycle_id, int64_t person_id, int version,
                       const struct framework *fw, struct evaluation *out, bool *found,
                       struct error *err)
{
	memset(out, 0, sizeof *out);
	*found = false;
	struct arena *a = ctx->arena;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT id, version, framework_version, source, reason, "
	                       "manager_case, created_at, created_by FROM evaluations"
	                       " WHERE cycle_id = ? AND person_id = ? AND (? = 0 OR version = ?)"
	                       " ORDER BY version DESC LIMIT 1",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle_id);
	stmt_bind_int(st, 2, person_id);
	stmt_bind_int(st, 3, version);
	stmt_bind_int(st, 4, version);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		*found = true;
		out->id = stmt_int(st, 0);
		out->version = (int)stmt_int(st, 1);
		out->framework_version = (int)stmt_int(st, 2);
		out->source = stmt_text_dup(st, 3, a);
		out->reason = stmt_text_dup(st, 4, a);
		out->manager_case = stmt_text_dup(st, 5, a);
		out->created_at = stmt_int(st, 6);
		out->created_by = stmt_text_dup(st, 7, a);
	}
	stmt_reset(st);
	if (rc < 0 || !*found)
		return rc < 0 ? rc : 0;
	if (!fw || fw->version != out->framework_version)
		rc = framework_load(ctx, out->framework_version, &fw, err);
	return rc < 0 ? rc : load_ratings(ctx, out, fw, err);
}

struct history_args {
	const char *cycle, *person;
	struct evaluation_history *out;
};

static int history_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct history_args *a = arg;
	struct evaluation_history *h = a->out;
	memset(h, 0, sizeof *h);
	int64_t cycle_id;
	struct cycle_info info;
	struct evaluation_member m;
	int rc = cycle_find(ctx, a->cycle, &cycle_id, err);
	if (rc == 0)
		rc = cycle_info(ctx, cycle_id, &info, err);
	if (rc == 0)
		rc = evaluation_member(ctx, cycle_id, info.name, a->person, &m, err);
	if (rc == 0)
		rc = evaluation_may_read(ctx, &m, "evaluation", err);
	if (rc < 0)
		return rc;
	ctx_subject(ctx, "person", m.employee_id);
	h->cycle = info.name;
	h->person = m.employee_id;
	int last = 0;
	if ((rc = last_version(ctx, cycle_id, m.person_id, &last, err)) < 0)
		return rc;
	h->versions = arena_array(ctx->arena, last ? (size_t)last : 1, sizeof *h->versions);
	const struct framework *fw = NULL;
	for (int v = 1; v <= last && rc == 0; v++) {
		bool found;
		struct evaluation *e = &h->versions[h->nversions];
		rc = evaluation_load_tx(ctx, cycle_id, m.person_id, v, fw, e, &found, err);
		if (rc == 0 && found) {
			h->nversions++;
			if (!fw || fw->version != e->framework_version)
				rc = framework_load(ctx, e->framework_version, &fw, err);
		}
	}
	return rc;
}

int evaluation_history(struct ctx *ctx, const char *cycle, const char *person,
                       struct evaluation_history *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	struct history_args a = {cycle, person, out};
	return ctx_run(ctx, OP_EVALUATION_HISTORY, history_body, &a, err);
}
