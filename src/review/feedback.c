/* feedback: 360 feedback: submit with versions, read within the anonymity rules. */
#include "review/feedback.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/arena.h"
#include "base/decimal.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/yamldoc.h"
#include "base/yamlread.h"
#include "core/actor.h"
#include "core/audit.h"
#include "core/authz.h"
#include "core/ctx.h"
#include "core/mask.h"
#include "core/org.h"
#include "review/cycle.h"
#include "store/store.h"

#define ITEMS_MAX 200 /* answers or ratings in one file */

/* The relations read only as groups, in the order they are shown. */
static const enum fw_relation grouped[] = {FW_REL_PEER, FW_REL_UPWARD, FW_REL_CROSS_FUNCTIONAL};
#define NGROUPED (sizeof grouped / sizeof grouped[0])

/* "cross-functional" reads better than the id in sentences. */
static const char *relation_words(enum fw_relation rel)
{
	return rel == FW_REL_CROSS_FUNCTIONAL ? "cross-functional" : fw_relation_name(rel);
}

/* ---- the cycle and the person ---- */

struct cyc {
	int64_t id;
	struct cycle_info info;
	enum fw_kind kind;
	const struct framework *fw;
};

static int load_cycle(struct ctx *ctx, const char *name, struct cyc *c, struct error *err)
{
	memset(c, 0, sizeof *c);
	int rc = cycle_find(ctx, name, &c->id, err);
	if (rc == 0)
		rc = cycle_info(ctx, c->id, &c->info, err);
	if (rc == 0)
		rc = framework_load(ctx, c->info.framework_version, &c->fw, err);
	if (rc < 0)
		return rc;
	int kind = fw_kind_parse(c->info.kind);
	if (kind < 0)
		return err_set(err, ERR_FAILED, "cycle '%s' has unknown kind '%s'", c->info.name,
		               c->info.kind);
	c->kind = (enum fw_kind)kind;
	return 0;
}

static int load_cycle_by_id(struct ctx *ctx, int64_t id, struct cyc *c, struct error *err)
{
	char text[24];
	snprintf(text, sizeof text, "%" PRId64, id);
	return load_cycle(ctx, text, c, err);
}

struct subject {
	int64_t person;
	const char *employee_id;
	bool member;     /* reviewed in the cycle */
	int64_t manager; /* the cycle's home manager, 0 when none */
};

/* An unknown id gets the refusal one outside the actor's scope gets
 * (authz_unknown_person), whether they read or write: a reviewer may write
 * about someone outside their scope only through an assignment to them
 * (pick_assignment), so no answer tells which ids exist. */
static int load_subject(struct ctx *ctx, const struct cyc *c, const char *employee_id,
                        struct subject *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	out->employee_id = employee_id;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT p.id, cm.person_id, cm.manager_id FROM people p"
	                       " LEFT JOIN cycle_members cm ON cm.person_id = p.id"
	                       " AND cm.cycle_id = ? WHERE p.employee_id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, c->id);
	stmt_bind_text(st, 2, employee_id);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		out->person = stmt_int(st, 0);
		out->member = !stmt_is_null(st, 1);
		out->manager = stmt_is_null(st, 2) ? 0 : stmt_int(st, 2);
	}
	stmt_reset(st);
	if (rc == STORE_DONE)
		return authz_unknown_person(ctx, employee_id, err);
	return rc < 0 ? rc : 0;
}

static int not_reviewed(const struct cyc *c, const char *employee_id, struct error *err)
{
	err_set(err, ERR_NOT_FOUND, "%s is not reviewed in cycle '%s'", employee_id, c->info.name);
	err_hint(err, "plumb cycle status --cycle %s lists who is", c->info.name);
	return ERR_NOT_FOUND;
}

/* ---- the file ---- */

struct entry {
	const char *key, *text; /* ratings: text unused */
	int value;
};

struct parsed {
	struct entry *answers, *ratings;
	size_t nanswers, nratings;
	const char *comments;
};

struct fparse {
	struct yread y;
	const struct cyc *c;
	enum fw_relation rel;
	struct parsed *out;
};

static size_t map_len(const yaml_node_t *n)
{
	return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
}

static const struct fw_question *find_question(const struct framework *fw, const char *id)
{
	for (size_t i = 0; i < fw->nquestions; i++)
		if (strcmp(fw->questions[i].id, id) == 0)
			return &fw->questions[i];
	return NULL;
}

static bool asked(const struct fw_question *q, enum fw_relation rel, enum fw_kind kind)
{
	return q && q->relations[rel] && q->kinds[kind];
}

static int on_answer(struct fparse *p, const yaml_node_t *k, const yaml_node_t *v, const char *id,
                     const char *where)
{
	struct yread *y = &p->y;
	const struct framework *fw = p->c->fw;
	if (!asked(find_question(fw, id), p->rel, p->c->kind)) {
		struct sb list = SB_INIT;
		for (size_t i = 0; i < fw->nquestions; i++)
			if (asked(&fw->questions[i], p->rel, p->c->kind))
				sb_printf(&list, "%s%s", list.len ? ", " : "", fw->questions[i].id);
		int rc = yread_err(y, k, where,
		                   "%s question for %s feedback in %s %s cycle; the questions "
		                   "are: %s",
		                   find_question(fw, id) ? "not a" : "unknown",
		                   fw_relation_name(p->rel),
		                   p->c->kind == FW_KIND_ANNUAL ? "an" : "a",
		                   fw_kind_name(p->c->kind), list.len ? list.buf : "(none)");
		sb_release(&list);
		return rc;
	}
	const char *text;
	int rc = yread_text(y, v, where, FEEDBACK_TEXT_MAX, &text);
	/* An empty answer, or one of spaces only, is a question left for later. */
	if (rc == 0 && org_has_text(text))
		p->out->answers[p->out->nanswers++] = (struct entry){id, text, 0};
	return rc;
}

static int on_rating(struct fparse *p, const yaml_node_t *k, const yaml_node_t *v, const char *id,
                     const char *where)
{
	struct yread *y = &p->y;
	const struct framework *fw = p->c->fw;
	const struct fw_competency *comp = framework_competency(fw, id);
	if (!comp) {
		struct sb list = SB_INIT;
		for (size_t i = 0; i < fw->ncompetencies; i++)
			sb_printf(&list, "%s%s", i ? ", " : "", fw->competencies[i].id);
		int rc = yread_err(y, k, where,
		                   "unknown competency in framework version %d; the competencies "
		                   "are: %s",
		                   fw->version, list.buf);
		sb_release(&list);
		return rc;
	}
	const char *text;
	int rc = yread_text(y, v, where, 32, &text);
	if (rc < 0)
		return rc;
	/* Digits only, as --rating takes: strtol alone also took ' 4' and '+4'. */
	char *end = NULL;
	long value = strtol(text, &end, 10);
	const struct fw_scale *s = comp->scale;
	bool on_scale = *text >= '0' && *text <= '9' && !*end && value >= 0 && value <= 10 &&
	                framework_scale_label(s, (int)value);
	if (!on_scale) {
		struct sb list = SB_INIT;
		for (size_t i = 0; i < s->npoints; i++)
			sb_printf(&list, "%s%d (%s)", i ? ", " : "", s->points[i].value,
			          s->points[i].label);
		rc = yread_err(y, v, where, "'%s' is not on the scale %s: expected one of %s", text,
		               s->id, list.buf);
		sb_release(&list);
		return rc;
	}
	p->out->ratings[p->out->nratings++] = (struct entry){id, NULL, (int)value};
	return 0;
}

typedef int (*entry_fn)(struct fparse *p, const yaml_node_t *k, const yaml_node_t *v,
                        const char *id, const char *where);

/* Each key: value of the mapping n under field, with the full path in errors. */
static int each_entry(struct fparse *p, const yaml_node_t *n, const char *field,
                      struct entry **into, entry_fn fn)
{
	if (n->type != YAML_MAPPING_NODE)
		return yread_err(&p->y, n, field, "expected a mapping (key: value lines)");
	if (map_len(n) > ITEMS_MAX)
		return yread_err(&p->y, n, field, "more than %d entries", ITEMS_MAX);
	*into = arena_array(p->y.a, map_len(n) + 1, sizeof **into);
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		const yaml_node_t *k = yread_node(&p->y, pr->key);
		const char *id; /* a copy: the document goes before the entries do */
		int rc = yread_text(&p->y, k, field, YREAD_NAME_MAX, &id);
		const char *where = arena_printf(p->y.a, "%s.%s", field, rc == 0 ? id : "");
		if (rc == 0 && yamldoc_repeated_key(p->y.doc, n, pr))
			rc = yread_err(&p->y, k, where, "given twice");
		if (rc == 0)
			rc = fn(p, k, yread_node(&p->y, pr->value), id, where);
		if (rc < 0)
			return rc;
	}
	return 0;
}

enum { F_ANSWERS, F_RATINGS, F_COMMENTS };

static int on_top(struct yread *y, int field, const yaml_node_t *k, const yaml_node_t *v, void *arg)
{
	(void)k;
	struct fparse *p = arg;
	switch (field) {
	case F_ANSWERS:
		return each_entry(p, v, "answers", &p->out->answers, on_answer);
	case F_RATINGS:
		if (!p->c->info.ratings)
			return yread_err(y, k, "ratings",
			                 "cycle '%s' collects no ratings; leave them out",
			                 p->c->info.name);
		return each_entry(p, v, "ratings", &p->out->ratings, on_rating);
	default: {
		int rc = yread_text(y, v, "comments", FEEDBACK_TEXT_MAX, &p->out->comments);
		if (rc == 0 && !org_has_text(p->out->comments))
			p->out->comments = ""; /* spaces are no comment (found in review) */
		return rc;
	}
	}
}

/* The file into *out, checked against the cycle's framework, relation and
 * kind.  Errors: ERR_INVALID "NAME:LINE: path: reason". */
static int parse_file(struct ctx *ctx, const struct cyc *c, enum fw_relation rel, const char *name,
                      const char *data, size_t len, struct parsed *out, struct error *err)
{
	static const char *const known[] = {"answers", "ratings", "comments", NULL};
	memset(out, 0, sizeof *out);
	out->comments = "";
	yaml_document_t doc;
	int rc = yamldoc_load(name, data, len, &doc, err);
	if (rc < 0)
		return rc;
	struct fparse p = {{name, &doc, ctx->arena, err, NULL, false}, c, rel, out};
	const yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (!root)
		rc = err_set(err, ERR_INVALID,
		             "%s:1: feedback: the file is empty; expected answers:, ratings: or "
		             "comments:",
		             name);
	else if (root->type != YAML_MAPPING_NODE)
		rc = yread_err(&p.y, root, "feedback",
		               "expected a mapping with answers:, ratings: or comments:");
	else
		rc = yread_each_field(&p.y, root, NULL, "a feedback file", known, on_top, &p);
	if (rc == 0 && !out->nanswers && !out->nratings && !*out->comments)
		rc = yread_err(&p.y, root, "feedback",
		               "the submission is empty: expected at least one answer, rating or "
		               "comment");
	yaml_document_delete(&doc);
	return rc;
}

int feedback_check_file(struct ctx *ctx, const struct framework *fw, const struct cycle_info *info,
                        enum fw_relation rel, const char *name, const char *data, size_t len,
                        struct error *err)
{
	int kind = fw_kind_parse(info->kind);
	if (kind < 0)
		return err_set(err, ERR_INVALID, "cycle '%s' has unknown kind '%s'", info->name,
		               info->kind);
	struct cyc c = {.info = *info, .kind = (enum fw_kind)kind, .fw = fw};
	struct parsed out;
	return parse_file(ctx, &c, rel, name, data, len, &out, err);
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

/* Canonical JSON: keys sorted, no spaces, empty parts left out. */
static char *canonical_body(struct arena *a, struct parsed *f)
{
	if (f->nanswers)
		qsort(f->answers, f->nanswers, sizeof *f->answers, cmp_entry);
	if (f->nratings)
		qsort(f->ratings, f->nratings, sizeof *f->ratings, cmp_entry);
	struct sb out = SB_INIT;
	struct jw w;
	jw_init(&w, &out, false);
	jw_object_begin(&w);
	if (f->nanswers) {
		jw_key(&w, "answers");
		jw_object_begin(&w);
		for (size_t i = 0; i < f->nanswers; i++)
			jw_kstr(&w, f->answers[i].key, f->answers[i].text);
		jw_object_end(&w);
	}
	if (*f->comments)
		jw_kstr(&w, "comments", f->comments);
	if (f->nratings) {
		jw_key(&w, "ratings");
		jw_object_begin(&w);
		for (size_t i = 0; i < f->nratings; i++)
			jw_kint(&w, f->ratings[i].key, f->ratings[i].value);
		jw_object_end(&w);
	}
	jw_object_end(&w);
	char *text = arena_strdup(a, out.buf);
	sb_release(&out);
	return text;
}

/* A stored body, read in the framework's order of questions and
 * competencies.  A body that does not parse is a broken invariant. */
static int decode_body(struct ctx *ctx, const struct framework *fw, const char *body,
                       struct feedback_response *r, struct error *err)
{
	struct arena *a = ctx->arena;
	cJSON *doc = cJSON_Parse(body);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return err_set(err, ERR_FAILED, "a stored feedback response is not a JSON object");
	}
	const cJSON *answers = cJSON_GetObjectItemCaseSensitive(doc, "answers");
	const cJSON *ratings = cJSON_GetObjectItemCaseSensitive(doc, "ratings");
	const cJSON *comments = cJSON_GetObjectItemCaseSensitive(doc, "comments");
	r->answers = arena_array(a, fw->nquestions + 1, sizeof *r->answers);
	r->nanswers = 0;
	for (size_t i = 0; i < fw->nquestions; i++) {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(answers, fw->questions[i].id);
		if (cJSON_IsString(t))
			r->answers[r->nanswers++] =
			        (struct feedback_answer){fw->questions[i].id, fw->questions[i].text,
			                                 arena_strdup(a, t->valuestring)};
	}
	r->ratings = arena_array(a, fw->ncompetencies + 1, sizeof *r->ratings);
	r->nratings = 0;
	for (size_t i = 0; i < fw->ncompetencies; i++) {
		const struct fw_competency *comp = &fw->competencies[i];
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(ratings, comp->id);
		if (cJSON_IsNumber(v))
			r->ratings[r->nratings++] = (struct feedback_rating){
			        comp->id, v->valueint,
			        framework_scale_label(comp->scale, v->valueint)};
	}
	r->comments = cJSON_IsString(comments) ? arena_strdup(a, comments->valuestring) : "";
	r->anonymized = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "anonymized"));
	cJSON_Delete(doc);
	return 0;
}

/* ---- submit ---- */

struct submit_args {
	const struct feedback_submit_options *opt;
	struct feedback_submit_result *out;
};

struct assignment {
	int64_t id;
	const char *relation, *status;
};

/* SQL: the person ?3 and the records person merge folded into theirs, whose
 * review assignments are the human's: the merged record keeps them while
 * its user acts no more (found hunting merges: the human could neither
 * write nor read back what was assigned to their earlier record, and a
 * merged home manager wrote no check-in's manager review).  person merge
 * keeps person_merges one step deep. */
#define WRITER_RECORDS                                                                             \
	"(SELECT CAST(?3 AS BIGINT) UNION ALL SELECT from_person_id FROM person_merges WHERE "     \
	"into_person_id = ?3)"

/* The assignments about reviewee of reviewer's records (WRITER_RECORDS),
 * in the order FEEDBACK_WRITER_RANK gives: of two of one relation, the
 * human writes on the one cycle status and reminders count
 * (FEEDBACK_TWIN_COVERED), the one written first, else reviewer's own
 * (found hunting merges: a response begun as the merged record was started
 * afresh on the current one, and the begun one stayed open for ever). */
static int reviewer_assignments(struct ctx *ctx, int64_t cycle, int64_t reviewee, int64_t reviewer,
                                struct assignment **out, size_t *n, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT ra.id, ra.relation, ra.status FROM review_assignments ra WHERE "
	        "ra.cycle_id = ?1 AND ra.reviewee_id = ?2 AND ra.reviewer_id IN " WRITER_RECORDS
	        " ORDER BY " FEEDBACK_WRITER_RANK("ra") " DESC, ra.id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	stmt_bind_int(st, 2, reviewee);
	stmt_bind_int(st, 3, reviewer);
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*out = arena_grow(ctx->arena, *out, *n, &alloc, sizeof **out);
		struct assignment *x = &(*out)[(*n)++];
		x->id = stmt_int(st, 0);
		x->relation = stmt_text_dup(st, 1, ctx->arena);
		x->status = stmt_text_dup(st, 2, ctx->arena);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Why the actor's assignment x for the reviewee was declined, where person
 * merge declined it: the reviewee withdrawn from the cycle, or the two one
 * human.  Their draft stays theirs to read (feedback show --mine) and can
 * not be finished, so the refusal says why and what to write instead (found
 * hunting merges: it said only that no active assignment was held).
 * Returns 0 where the merge is not why, for the caller's refusal. */
static int merge_declined(struct ctx *ctx, const struct cyc *c, const struct subject *who,
                          const struct assignment *x, struct error *err)
{
	const char *into, *as;
	int rc = cycle_withdrawn_reviewee(ctx, c->id, who->person, &into, &as, err);
	if (rc < 0)
		return rc;
	enum authz_review reads = AUTHZ_REVIEW_NONE;
	if (!into && (rc = authz_review_reader(ctx, ctx->actor.person_id, who->person, who->manager,
	                                       &reads, err)) < 0)
		return rc;
	if (!into && reads != AUTHZ_REVIEW_SELF)
		return 0;
	err_set(err, ERR_CONFLICT, "%s's %s review of %s in cycle '%s' was declined",
	        ctx->actor.name, x->relation, who->employee_id, c->info.name);
	if (into) {
		err_detail(err,
		           "person merge withdrew %s from the cycle: its human is reviewed there "
		           "as %s",
		           who->employee_id, as);
		err_hint(err,
		         "write about them with --for %s where it is assigned to you; a draft "
		         "begun stays readable with feedback show --mine",
		         as);
	} else {
		err_detail(err, "person merge made the two records one human's: feedback about "
		                "oneself is not written");
		err_hint(err, "a draft begun stays readable with feedback show --mine");
	}
	return ERR_CONFLICT;
}

/* The manager review of who, appended to as where the actor stands in for
 * their manager in the cycle, who has left (cycle_stand_in): it is the
 * actor's to write now (found in review: in a cycle without ratings, where
 * the manager's written review is what is owed, nobody could write it). */
static int stand_in_assignment(struct ctx *ctx, const struct cyc *c, const struct subject *who,
                               struct assignment **as, size_t *n, struct error *err)
{
	struct cycle_stand_in in;
	bool stands_in = false;
	int rc = cycle_stand_in(ctx, who->manager, who->person, &in, err);
	if (rc == 0 && in.person)
		rc = authz_is_actor_record(ctx, in.person, &stands_in, err);
	if (rc < 0 || !stands_in)
		return rc;
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "SELECT id, status FROM review_assignments WHERE cycle_id = ? AND "
	                   "reviewee_id = ? AND reviewer_id = ? AND relation = 'manager'",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, c->id);
	stmt_bind_int(st, 2, who->person);
	stmt_bind_int(st, 3, who->manager);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		struct assignment *more = arena_array(ctx->arena, *n + 1, sizeof *more);
		if (*n)
			memcpy(more, *as, *n * sizeof *more);
		more[*n].id = stmt_int(st, 0);
		more[*n].relation = "manager";
		more[*n].status = stmt_text_dup(st, 1, ctx->arena);
		*as = more;
		(*n)++;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The actor's active assignment for the reviewee (of relation, when given). */
static int pick_assignment(struct ctx *ctx, const struct cyc *c, const struct subject *who,
                           const char *relation, struct assignment *out, struct error *err)
{
	struct assignment *as;
	size_t n;
	int rc = reviewer_assignments(ctx, c->id, who->person, ctx->actor.person_id, &as, &n, err);
	if (rc == 0)
		rc = stand_in_assignment(ctx, c, who, &as, &n, err);
	if (rc < 0)
		return rc;
	struct sb active = SB_INIT, waiting = SB_INIT;
	size_t nactive = 0;
	const struct assignment *declined = NULL;
	for (size_t i = 0; i < n; i++) {
		if (relation && strcmp(as[i].relation, relation) != 0)
			continue;
		if (strcmp(as[i].status, "declined") == 0 && !declined)
			declined = &as[i];
		if (strcmp(as[i].status, "active") == 0) {
			/* The same relation again is another record's of the
			 * human: one human writes once, as their own record
			 * (listed first) when it is assigned. */
			if (nactive && strcmp(out->relation, as[i].relation) == 0)
				continue;
			sb_printf(&active, "%s%s", active.len ? ", " : "", as[i].relation);
			if (!nactive)
				*out = as[i];
			nactive++;
		} else if (strcmp(as[i].status, "nominated") == 0) {
			sb_printf(&waiting, "%s%s", waiting.len ? ", " : "", as[i].relation);
		}
	}
	if (nactive > 1) {
		err_set(err, ERR_USAGE, "%s reviews %s in several relations in cycle '%s' (%s)",
		        ctx->actor.name, who->employee_id, c->info.name, active.buf);
		err_hint(err, "choose one with --relation R");
		rc = ERR_USAGE;
	} else if (nactive == 0) {
		/* Without any assignment to them, someone outside the actor's scope
		 * is refused as an unknown id is (load_subject). */
		if (n == 0 &&
		    (rc = authz_require_person(ctx, who->person, who->employee_id, err)) < 0) {
			sb_release(&active);
			sb_release(&waiting);
			return rc;
		}
		if (declined && !waiting.len)
			rc = merge_declined(ctx, c, who, declined, err);
		if (rc == 0)
			rc = ctx_deny(
			        ctx, err,
			        waiting.len
			                ? "the nomination awaits the reviewee's manager's approval"
			                : "plumb cycle assignments --cycle C --reviewer ID lists "
			                  "what is assigned to you",
			        "%s holds no active %s%sreview assignment for %s in cycle '%s'",
			        ctx->actor.name, relation ? relation : "", relation ? " " : "",
			        who->employee_id, c->info.name);
	}
	sb_release(&active);
	sb_release(&waiting);
	return rc;
}

int feedback_phase_accepts(const struct cycle_info *info, enum fw_relation rel, struct error *err)
{
	const char *phase = cycle_phase_name(cycle_phase_of_relation(rel));
	char when[TS_BUF];
	for (size_t i = 0; i < info->nphases; i++) {
		const struct cycle_phase_row *p = &info->phases[i];
		if (strcmp(p->name, phase) != 0 || !p->closed_at)
			continue;
		err_set(err, ERR_CONFLICT,
		        "the %s phase of cycle '%s' closed at %s: %s feedback can no longer change",
		        phase, info->name, ts_format(p->closed_at, when), fw_relation_name(rel));
		return ERR_CONFLICT;
	}
	if (strcmp(info->phase, "closed") == 0)
		return err_set(err, ERR_CONFLICT,
		               "cycle '%s' is closed: feedback can no longer change", info->name);
	return 0;
}

/* Nobody who reads the group may write in it (cycle nominate refuses them
 * as reviewers): with their own response taken out, the rest would tell the
 * other writers apart.  Checked again here, as they write, for a reader who
 * became one after the assignment was made (found in review: a peer whose
 * reviewee came to report to them wrote in the group all the same, and it
 * was then withheld from them). */
static int reader_writes(struct ctx *ctx, const struct subject *who, enum fw_relation rel,
                         struct error *err)
{
	enum authz_review reads;
	int rc = authz_review_reader(ctx, ctx->actor.person_id, who->person, who->manager, &reads,
	                             err);
	if (rc < 0 || reads == AUTHZ_REVIEW_NONE)
		return rc;
	if (reads == AUTHZ_REVIEW_SELF) {
		err_set(err, ERR_INVALID,
		        "%s cannot write %s feedback about %s: they are one person",
		        ctx->actor.name, relation_words(rel), who->employee_id);
		err_detail(err, "person merge made the two records one human's");
		err_hint(err,
		         "%s's manager in the cycle, or a people partner, names another reviewer",
		         who->employee_id);
		return ERR_INVALID;
	}
	err_set(err, ERR_INVALID,
	        "%s cannot write %s feedback about %s: they read the feedback about %s as %s",
	        ctx->actor.name, relation_words(rel), who->employee_id, who->employee_id,
	        reads == AUTHZ_REVIEW_PEOPLE_PARTNER ? "a people partner of their unit"
	                                             : "one of their managers");
	err_detail(err, "a reader who also wrote in the group could tell the other writers apart "
	                "by taking out their own response");
	err_hint(err, "%s's manager in the cycle, or a people partner, names another reviewer",
	         who->employee_id);
	return ERR_INVALID;
}

/* The record whose self review is the human's in cycle, where the self
 * assignment of person (a record of theirs) is not (FEEDBACK_SELF_COVERED):
 * the nearest record to the one they are reviewed as that submitted its own,
 * its employee id in *as_record and, as_person not NULL, its id there.
 * *as_record NULL when person's self review is the human's, or person has
 * none in the cycle. */
static int self_review_written_as(struct ctx *ctx, int64_t cycle, int64_t person,
                                  const char **as_record, int64_t *as_person, struct error *err)
{
	/* clang-format off */
	static const char sql[] =
	        "SELECT p.employee_id, p.id FROM review_assignments a JOIN review_assignments so ON"
	        " so.cycle_id = a.cycle_id AND so.relation = 'self' AND so.id <> a.id JOIN"
	        " feedback_responses sf ON sf.assignment_id = so.id AND sf.status = 'submitted'"
	        " JOIN people p ON p.id = so.reviewee_id WHERE a.cycle_id = ?1 AND"
	        " a.reviewee_id = ?2 AND a.relation = 'self' AND " FEEDBACK_SELF_COVERED("a")
	        " AND " ORG_HUMAN("so.reviewee_id") " = " ORG_HUMAN("a.reviewee_id")
	        " ORDER BY " ORG_RECORD_RANK("so.reviewee_id") " DESC, so.id LIMIT 1";
	/* clang-format on */
	*as_record = NULL;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	stmt_bind_int(st, 2, person);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		*as_record = stmt_text_dup(st, 0, ctx->arena);
		if (as_person)
			*as_person = stmt_int(st, 1);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The human reviews themselves once: a self review is refused where another
 * record of the reviewee's human submitted the one that stands for it in the
 * cycle (person merge, FEEDBACK_SELF_COVERED), also a revision of one kept
 * as history; the human revises that one instead (found hunting merges: a
 * second self review was taken after the first was counted as the
 * human's). */
static int self_written_elsewhere(struct ctx *ctx, const struct cyc *c, const struct subject *who,
                                  struct error *err)
{
	const char *as_record = NULL;
	int rc = self_review_written_as(ctx, c->id, who->person, &as_record, NULL, err);
	if (rc < 0 || !as_record)
		return rc;
	err_set(err, ERR_CONFLICT, "the self review of %s's human in cycle '%s' was written as %s",
	        who->employee_id, c->info.name, as_record);
	err_detail(err, "person merge made the records one human's, who reviews themselves once");
	err_hint(err, "revise it with --for %s", as_record);
	return ERR_CONFLICT;
}

static int submit_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct submit_args *a = arg;
	const struct feedback_submit_options *opt = a->opt;
	memset(a->out, 0, sizeof *a->out);
	if (!ctx->actor.person_id)
		return ctx_deny(
		        ctx, err, "feedback is written by reviewers as themselves (--as USER)",
		        "%s is not a person and holds no review assignments", ctx->actor.name);
	struct cyc c;
	struct subject who;
	int rc = load_cycle(ctx, opt->cycle, &c, err);
	if (rc == 0)
		rc = load_subject(ctx, &c, opt->reviewee, &who, err);
	struct assignment as = {0, NULL, NULL};
	if (rc == 0)
		rc = pick_assignment(ctx, &c, &who, opt->relation, &as, err);
	if (rc < 0)
		return rc;
	enum fw_relation rel = (enum fw_relation)fw_relation_parse(as.relation);
	rc = feedback_phase_accepts(&c.info, rel, err);
	if (rc == 0 && rel == FW_REL_SELF)
		rc = self_written_elsewhere(ctx, &c, &who, err);
	if (rc == 0 && rel != FW_REL_SELF && rel != FW_REL_MANAGER)
		rc = reader_writes(ctx, &who, rel, err);
	struct parsed f;
	if (rc == 0)
		rc = parse_file(ctx, &c, rel, opt->name, opt->data, opt->len, &f, err);
	if (rc < 0)
		return rc;
	const char *body = canonical_body(ctx->arena, &f);
	struct store_stmt *st;
	rc = store_prepare(
	        ctx->store,
	        "SELECT COALESCE(MAX(version), 0), COUNT(CASE WHEN status = "
	        "'submitted' THEN 1 END) FROM feedback_responses WHERE assignment_id = ?",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, as.id);
	rc = stmt_step(st, err);
	int version = rc == STORE_ROW ? (int)stmt_int(st, 0) + 1 : 1;
	bool amended = rc == STORE_ROW && stmt_int(st, 1) > 0;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	const char *status = opt->draft ? "draft" : "submitted";
	rc = store_prepare(ctx->store,
	                   "INSERT INTO feedback_responses(assignment_id, version, status, body, "
	                   "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, as.id);
	stmt_bind_int(st, 2, version);
	stmt_bind_text(st, 3, status);
	stmt_bind_text(st, 4, body);
	stmt_bind_int(st, 5, ts_now_ms());
	stmt_bind_text(st, 6, ctx->actor.name);
	rc = stmt_step(st, err);
	int64_t id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	a->out->id = id;
	a->out->version = version;
	a->out->relation = fw_relation_name(rel);
	a->out->status = status;
	a->out->amended = amended && !opt->draft;
	/* Ids, version and status only: the text stays out of the audit log. */
	char detail[256], object[24];
	snprintf(detail, sizeof detail,
	         "{\"cycle\":%" PRId64 ",\"assignment\":%" PRId64 ",\"version\":%d,"
	         "\"status\":\"%s\"}",
	         c.id, as.id, version, status);
	snprintf(object, sizeof object, "%" PRId64, id);
	return audit_append(ctx, "feedback.submit", "feedback", object, detail, err);
}

int feedback_submit(struct ctx *ctx, const struct feedback_submit_options *opt,
                    struct feedback_submit_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	if (opt->relation && fw_relation_parse(opt->relation) < 0)
		return err_set(err, ERR_USAGE,
		               "--relation '%s': expected self, manager, peer, upward or "
		               "cross_functional",
		               opt->relation);
	struct submit_args a = {opt, out};
	return ctx_run(ctx, OP_FEEDBACK_SUBMIT, submit_body, &a, err);
}

/* ---- reading responses ---- */

/* One stored version, with who wrote it and when. */
struct stored {
	int64_t assignment;
	int64_t reviewer; /* the writer's person, as person merges resolve it */
	const char *relation, *author, *author_name, *status, *body;
	int version;
	int64_t saved_at;
};

/* The response of the row aliased a is its reviewee's own (FEEDBACK_ABOUT_SELF). */
#define WRITTEN_BY_REVIEWEE FEEDBACK_ABOUT_SELF("COALESCE(cm.into_person_id, a.reviewer_id)")

/* SQL: the person (sp) who wrote the version f of a manager review
 * standing in for the manager in the cycle, who had left (cycle_stand_in):
 * its author, not the assignment's reviewer (found in review: the stand-in
 * could not read back what they wrote, shown as the leaver's).  None where
 * the reviewer wrote it, as any record of their human. */
#define STAND_IN_JOIN                                                                              \
	" LEFT JOIN users su ON su.name = f.created_by AND a.relation = 'manager'"                 \
	" LEFT JOIN people sp ON sp.id = su.person_id AND sp.id <> a.reviewer_id"                  \
	" AND sp.id <> COALESCE(cm.into_person_id, a.reviewer_id)"
#define STAND_IN_AUTHOR "COALESCE(sp.employee_id, p.employee_id), COALESCE(sp.name, p.name)"

/* Versions about reviewee in cycle, as the query's WHERE picks them:
 * newest submitted per active assignment (newest_submitted) or every
 * version written by reviewer (reviewer > 0), as any of their records
 * (WRITER_RECORDS), oldest first. */
static int stored_versions(struct ctx *ctx, int64_t cycle, int64_t reviewee, int64_t reviewer,
                           struct stored **out, size_t *n, struct error *err)
{
	/* The writer as merges resolve them: one step, as person merge keeps
	 * person_merges flat (a merge into a merged record is refused). */
	static const char newest[] =
	        "SELECT a.id, a.relation, " STAND_IN_AUTHOR ","
	        " f.status, f.body, f.version, f.created_at, COALESCE(sp.id, cm.into_person_id,"
	        " a.reviewer_id)"
	        " FROM review_assignments a JOIN people p ON p.id = a.reviewer_id"
	        " LEFT JOIN person_merges cm ON cm.from_person_id = a.reviewer_id"
	        " JOIN feedback_responses f ON f.assignment_id = a.id" STAND_IN_JOIN
	        " WHERE a.cycle_id = ? AND a.reviewee_id = ? AND a.status = 'active'"
	        " AND f.status = 'submitted' AND f.version = (SELECT MAX(g.version) FROM"
	        " feedback_responses g WHERE g.assignment_id = a.id AND g.status = 'submitted')"
	        " AND NOT " WRITTEN_BY_REVIEWEE " ORDER BY a.id";
	static const char mine[] =
	        "SELECT a.id, a.relation, " STAND_IN_AUTHOR ","
	        " f.status, f.body, f.version, f.created_at, COALESCE(sp.id, cm.into_person_id,"
	        " a.reviewer_id)"
	        " FROM review_assignments a JOIN people p ON p.id = a.reviewer_id"
	        " LEFT JOIN person_merges cm ON cm.from_person_id = a.reviewer_id"
	        " JOIN feedback_responses f ON f.assignment_id = a.id" STAND_IN_JOIN
	        " WHERE a.cycle_id = ?1 AND a.reviewee_id = ?2 AND ((a.reviewer_id "
	        "IN " WRITER_RECORDS " AND sp.id IS NULL) OR sp.id = ?3)"
	        " ORDER BY a.id, f.version";
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, reviewer ? mine : newest, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	stmt_bind_int(st, 2, reviewee);
	if (reviewer)
		stmt_bind_int(st, 3, reviewer);
	struct arena *a = ctx->arena;
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*out = arena_grow(a, *out, *n, &alloc, sizeof **out);
		struct stored *s = &(*out)[(*n)++];
		s->assignment = stmt_int(st, 0);
		s->relation = stmt_text_dup(st, 1, a);
		s->author = stmt_text_dup(st, 2, a);
		s->author_name = stmt_text_dup(st, 3, a);
		s->status = stmt_text_dup(st, 4, a);
		s->body = stmt_text_dup(st, 5, a);
		s->version = (int)stmt_int(st, 6);
		s->saved_at = stmt_int(st, 7);
		s->reviewer = stmt_int(st, 8);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int response_of(struct ctx *ctx, const struct framework *fw, const struct stored *s,
                       struct feedback_response *r, struct error *err)
{
	memset(r, 0, sizeof *r);
	r->relation = s->relation;
	r->author = s->author;
	r->version = s->version;
	r->status = s->status;
	r->saved_at = s->saved_at;
	return decode_body(ctx, fw, s->body, r, err);
}

/* ---- groups ---- */

static void shuffle(const char **items, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = randombytes_uniform((uint32_t)i);
		const char *t = items[i - 1];
		items[i - 1] = items[j];
		items[j] = t;
	}
}

/* Active reviewers per grouped relation, submitted or not: a group with
 * none is not shown at all.  A record of the reviewee's own human is none
 * (FEEDBACK_ABOUT_SELF). */
static int active_reviewers(struct ctx *ctx, int64_t cycle, int64_t person,
                            int counts[FW_REL_COUNT], struct error *err)
{
	memset(counts, 0, FW_REL_COUNT * sizeof *counts);
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT a.relation, COUNT(*) FROM review_assignments a LEFT JOIN person_merges "
	        "cm ON cm.from_person_id = a.reviewer_id WHERE a.cycle_id = ? AND a.reviewee_id = "
	        "? AND a.status = 'active' AND NOT " WRITTEN_BY_REVIEWEE " GROUP BY a.relation",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	stmt_bind_int(st, 2, person);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		int rel = fw_relation_parse(stmt_text(st, 0));
		if (rel >= 0)
			counts[rel] = (int)stmt_int(st, 1);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a < 0 ? -a : a;
}

/* *num / *den += add / by (by > 0), kept reduced; false when it would
 * overflow (a writer merged from dozens of records: never in practice). */
static bool ratio_add(int64_t *num, int64_t *den, int64_t add, int64_t by)
{
	int64_t g = gcd64(*den, by), lcm, left, right;
	if (__builtin_mul_overflow(*den / g, by, &lcm) ||
	    __builtin_mul_overflow(*num, lcm / *den, &left) ||
	    __builtin_mul_overflow(add, lcm / by, &right) ||
	    __builtin_add_overflow(left, right, num))
		return false;
	*den = lcm;
	int64_t r = gcd64(*num, *den);
	if (r > 1) {
		*num /= r;
		*den /= r;
	}
	return true;
}

/* The mean (sum_num / sum_den) / count as reports show it (docs/review.md):
 * rounded once, on the exact value.  Should the exact sum have overflowed,
 * the computed mean to nine decimals stands in for it. */
static double mean_reported(int64_t sum_num, int64_t sum_den, bool exact, int count, double mean)
{
	double out;
	int64_t den;
	if (exact && !__builtin_mul_overflow(sum_den, (int64_t)count, &den) &&
	    decimal_round_ratio(sum_num, den, FEEDBACK_MEAN_DECIMALS, &out))
		return out;
	if (decimal_round_ratio(llround(mean * 1e9), 1000000000, FEEDBACK_MEAN_DECIMALS, &out))
		return out;
	BUG("a rating mean of %g cannot be rounded", mean);
}

/* Whether response i's writer wrote one of the responses before it: a
 * merged writer's responses are gathered under their first. */
static bool written_before(const int64_t *writers, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (writers[j] == writers[i])
			return true;
	return false;
}

/* Each writer counts once (docs/review.md): writers[i] is the person, as
 * person merges resolve them, who wrote rs[i].  Two records merged into one
 * human are one writer, whose ratings of a competency are averaged first. */
static void fill_group(struct arena *a, const struct framework *fw, struct feedback_group *g,
                       const struct feedback_response *rs, const int64_t *writers, size_t nrs)
{
	g->answers = arena_array(a, fw->nquestions + 1, sizeof *g->answers);
	for (size_t q = 0; q < fw->nquestions; q++) {
		struct feedback_group_answer *ga = &g->answers[g->nanswers];
		ga->question = fw->questions[q].id;
		ga->text = fw->questions[q].text;
		ga->answers = arena_array(a, nrs + 1, sizeof *ga->answers);
		/* One answer a writer, or the answers would outnumber the writers
		 * the group says it has (found in review): a merged writer's
		 * newest.  Not theirs joined, which told that text apart as the
		 * merged human's, whom person show names (found hunting). */
		for (size_t i = 0; i < nrs; i++) {
			if (written_before(writers, i))
				continue;
			const char *newest = NULL;
			int64_t at = 0;
			for (size_t j = i; j < nrs; j++)
				for (size_t k = 0; writers[j] == writers[i] && k < rs[j].nanswers;
				     k++)
					if (strcmp(rs[j].answers[k].question, ga->question) == 0 &&
					    (!newest || rs[j].saved_at >= at)) {
						newest = rs[j].answers[k].answer;
						at = rs[j].saved_at;
					}
			if (newest)
				ga->answers[ga->n++] = newest;
		}
		if (ga->n) {
			shuffle(ga->answers, ga->n);
			g->nanswers++;
		}
	}
	g->ratings = arena_array(a, fw->ncompetencies + 1, sizeof *g->ratings);
	for (size_t c = 0; c < fw->ncompetencies; c++) {
		struct feedback_group_rating *gr = &g->ratings[g->nratings];
		gr->competency = fw->competencies[c].id;
		/* The sum of the writers' own means, exactly: sum_num / sum_den. */
		int64_t sum_num = 0, sum_den = 1;
		bool exact = true;
		double sum = 0;
		for (size_t i = 0; i < nrs; i++) {
			/* The first response of each writer gathers all of theirs. */
			if (written_before(writers, i))
				continue;
			int64_t own = 0;
			int nown = 0;
			for (size_t j = i; j < nrs; j++)
				for (size_t k = 0; writers[j] == writers[i] && k < rs[j].nratings;
				     k++)
					if (strcmp(rs[j].ratings[k].competency, gr->competency) ==
					    0) {
						own += rs[j].ratings[k].value;
						nown++;
					}
			if (nown) {
				sum += (double)own / nown;
				exact = exact && ratio_add(&sum_num, &sum_den, own, nown);
				gr->count++;
			}
		}
		if (!gr->count)
			continue;
		/* A mean over fewer than the threshold would come close to one
		 * writer's rating. */
		gr->shown = gr->count >= g->threshold;
		gr->mean = gr->shown ? sum / gr->count : 0;
		if (gr->shown)
			gr->mean_reported =
			        mean_reported(sum_num, sum_den, exact, gr->count, gr->mean);
		g->nratings++;
	}
	/* One comment a writer, as one answer: a merged writer's newest, or the
	 * comments would outnumber the writers (found hunting packets). */
	g->comments = arena_array(a, nrs + 1, sizeof *g->comments);
	for (size_t i = 0; i < nrs; i++) {
		if (written_before(writers, i))
			continue;
		const char *newest = NULL;
		int64_t at = 0;
		for (size_t j = i; j < nrs; j++)
			if (writers[j] == writers[i] && *rs[j].comments &&
			    (!newest || rs[j].saved_at >= at)) {
				newest = rs[j].comments;
				at = rs[j].saved_at;
			}
		if (newest)
			g->comments[g->ncomments++] = newest;
	}
	shuffle(g->comments, g->ncomments);
}

/* The feedback phase's due date while it has not closed, else NULL (also
 * for a kind without one): groups are frozen, so shown, only once it closed. */
static const char *feedback_open_due(struct arena *a, const struct cyc *c)
{
	for (size_t i = 0; i < c->info.nphases; i++)
		if (strcmp(c->info.phases[i].name, cycle_phase_name(CYCLE_PHASE_FEEDBACK)) == 0 &&
		    !c->info.phases[i].closed_at) {
			char day[TS_BUF];
			return arena_strdup(a, ts_format_date(c->info.phases[i].due_at, day));
		}
	return NULL;
}

static int groups_of(struct ctx *ctx, const struct cyc *c, int64_t person, int threshold,
                     struct feedback_group **out, size_t *n, struct error *err)
{
	struct arena *a = ctx->arena;
	*out = arena_array(a, NGROUPED, sizeof **out);
	*n = 0;
	if (threshold <= 0)
		threshold = c->fw->anonymity_threshold;
	int reviewers[FW_REL_COUNT];
	struct stored *s = NULL;
	size_t ns = 0;
	int rc = active_reviewers(ctx, c->id, person, reviewers, err);
	if (rc == 0)
		rc = stored_versions(ctx, c->id, person, 0, &s, &ns, err);
	if (rc < 0)
		return rc;
	const char *open_due = feedback_open_due(a, c);
	struct feedback_response *rs = arena_array(a, ns + 1, sizeof *rs);
	int64_t *writers = arena_array(a, ns + 1, sizeof *writers);
	for (size_t gi = 0; gi < NGROUPED; gi++) {
		enum fw_relation rel = grouped[gi];
		if (!reviewers[rel])
			continue;
		size_t nrs = 0, nwriters = 0;
		bool wrote = false, anonymized = false;
		/* Compared as merges resolve the writer: assignments keep the
		 * record they were made for, and a record merged into the reader's
		 * is the reader (found in review).  The reader's own record is
		 * never a merged one: actor_load refuses its user. */
		for (size_t i = 0; i < ns && rc == 0; i++)
			if (fw_relation_parse(s[i].relation) == (int)rel) {
				wrote |= ctx->actor.person_id &&
				         s[i].reviewer == ctx->actor.person_id;
				/* Each writer counts once, also two records merged into
				 * one human (found in review: a merge after they wrote
				 * left a group of two writers shown as three). */
				bool again = false;
				for (size_t j = 0; j < nrs && !again; j++)
					again = writers[j] == s[i].reviewer;
				nwriters += !again;
				writers[nrs] = s[i].reviewer;
				rc = response_of(ctx, c->fw, &s[i], &rs[nrs], err);
				anonymized |= rs[nrs++].anonymized;
			}
		if (rc < 0)
			return rc;
		struct feedback_group *g = &(*out)[(*n)++];
		memset(g, 0, sizeof *g);
		g->relation = rel;
		g->responses = (int)nwriters;
		g->threshold = threshold;
		/* A reader who wrote in the group could take out their own response
		 * and tell the others' apart (found in review: a people partner who
		 * owed their manager upward feedback, a peer made a manager or a
		 * partner later, a calibration participant who was a peer reviewer). */
		if (wrote) {
			g->withheld = g->reader_wrote = true;
			g->responses = -1;
			g->why = arena_printf(
			        a,
			        "%s feedback is not shown to you: you wrote in it, and "
			        "with your own response taken out the rest would tell "
			        "the other writers apart",
			        relation_words(rel));
			continue;
		}
		/* While responses may still change, a group read twice would show what one
		 * writer changed, and its count when each wrote: until the phase closes
		 * neither is shown, whatever the count. */
		if (open_due) {
			g->withheld = true;
			g->responses = -1;
			g->why = arena_printf(
			        a,
			        "%s feedback is shown once the feedback phase closes "
			        "(due %s), if it then has at least %d responses; until "
			        "then not even their number is shown, so that no "
			        "response can be told apart by when it came or changed",
			        relation_words(rel), open_due, threshold);
			continue;
		}
		if ((int)nwriters < threshold) {
			g->withheld = true;
			/* A manager knows their reports: a count of upward responses below the
			 * threshold comes close to naming who wrote. */
			if (rel == FW_REL_UPWARD) {
				g->responses = -1;
				g->why =
				        arena_printf(a,
				                     "fewer upward responses than the threshold of "
				                     "%d; how many is not said, as it could tell "
				                     "which reports wrote",
				                     threshold);
			} else
				g->why = arena_printf(
				        a, "%zu %s %s, fewer than the threshold of %d", nwriters,
				        relation_words(rel),
				        nwriters == 1 ? "response" : "responses", threshold);
			continue;
		}
		fill_group(a, c->fw, g, rs, writers, nrs);
		/* Retention anonymizes by when each response was saved, and a hold
		 * keeps what its writer wrote: the texts some responses kept would
		 * be a held writer's, or tell those written first from the rest,
		 * read before and after a run (found hunting: a group of three
		 * showed a held writer's answer alone).  Ratings are kept whole by
		 * anonymizing, so they stay. */
		if (anonymized) {
			g->nanswers = g->ncomments = 0;
			g->texts_withheld = "retention anonymized some of its responses: the "
			                    "answers and comments left would tell whose they are, "
			                    "or which were written first";
		}
	}
	return 0;
}

int feedback_groups_tx(struct ctx *ctx, int64_t cycle_id, int64_t person_id, int threshold,
                       struct feedback_group **out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	struct cyc c;
	int rc = load_cycle_by_id(ctx, cycle_id, &c, err);
	return rc < 0 ? rc : groups_of(ctx, &c, person_id, threshold, out, n, err);
}

struct feedback_cycle {
	struct cyc c;
};

int feedback_cycle_load_tx(struct ctx *ctx, int64_t cycle_id, const struct feedback_cycle **out,
                           struct error *err)
{
	struct feedback_cycle *fc = arena_alloc(ctx->arena, sizeof *fc);
	*out = NULL;
	int rc = load_cycle_by_id(ctx, cycle_id, &fc->c, err);
	if (rc == 0)
		*out = fc;
	return rc;
}

int feedback_groups_in_tx(struct ctx *ctx, const struct feedback_cycle *cycle, int64_t person_id,
                          int threshold, struct feedback_group **out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	return groups_of(ctx, &cycle->c, person_id, threshold, out, n, err);
}

int feedback_count_tx(struct ctx *ctx, int64_t cycle_id, int64_t person_id, enum fw_relation rel,
                      int *count, struct error *err)
{
	*count = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT COUNT(DISTINCT COALESCE(cm.into_person_id, a.reviewer_id))"
	                       " FROM review_assignments a LEFT JOIN person_merges cm ON"
	                       " cm.from_person_id = a.reviewer_id WHERE a.cycle_id = ? AND "
	                       "a.reviewee_id = ? AND a.relation = ? AND a.status = 'active' AND "
	                       "EXISTS (SELECT 1 FROM feedback_responses f WHERE f.assignment_id = "
	                       "a.id AND f.status = 'submitted')",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle_id);
	stmt_bind_int(st, 2, person_id);
	stmt_bind_text(st, 3, fw_relation_name(rel));
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		*count = (int)stmt_int(st, 0);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int feedback_exists_tx(struct ctx *ctx, int64_t cycle_id, int64_t person_id, enum fw_relation rel,
                       bool *out, bool *reader_wrote, struct error *err)
{
	*out = *reader_wrote = false;
	if (rel == FW_REL_SELF || rel == FW_REL_MANAGER) {
		int count = 0;
		int rc = feedback_count_tx(ctx, cycle_id, person_id, rel, &count, err);
		/* The human's self review, also one written as another record of
		 * theirs (found hunting merges: not citable where the merged record
		 * had written it, the cited record's covered). */
		const char *as_record = NULL;
		if (rc == 0 && rel == FW_REL_SELF && !count)
			rc = self_review_written_as(ctx, cycle_id, person_id, &as_record, NULL,
			                            err);
		*out = count > 0 || as_record;
		return rc < 0 ? rc : 0;
	}
	/* A group is citable only as it is shown to the actor: at the
	 * threshold, the phase closed, and not to one who wrote in it (found in
	 * review: a people partner who wrote in a peer group before their role
	 * was granted cited it, and learned from being let whether it reached
	 * the threshold, which its withholding from them hides). */
	struct feedback_group *groups;
	size_t n;
	int rc = feedback_groups_tx(ctx, cycle_id, person_id, 0, &groups, &n, err);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (groups[i].relation == rel) {
			*out = !groups[i].withheld;
			*reader_wrote = groups[i].reader_wrote;
		}
	return rc < 0 ? rc : 0;
}

int feedback_phase_open_tx(struct ctx *ctx, int64_t cycle_id, bool *open, struct error *err)
{
	*open = false;
	struct cyc c;
	int rc = load_cycle_by_id(ctx, cycle_id, &c, err);
	if (rc < 0)
		return rc;
	*open = feedback_open_due(ctx->arena, &c) != NULL;
	return 0;
}

/* ---- show ---- */

struct show_args {
	const char *cycle, *reviewee;
	bool mine;
	struct feedback_view *out;
};

static void add_note(struct ctx *ctx, struct feedback_view *v, const char *note)
{
	const char **more = arena_array(ctx->arena, v->nnotes + 1, sizeof *more);
	if (v->nnotes)
		memcpy(more, v->notes, v->nnotes * sizeof *more);
	more[v->nnotes++] = note;
	v->notes = more;
}

/* A note on the self review of who in cycle c where it is not their
 * human's (self_review_written_as): kept as history when written, else
 * where the human's is.  With human, the human's is added to v's
 * responses: who's readers read it, as it stands for who's and is cited
 * there (found hunting merges: the note sent a manager to a record outside
 * their scope). */
static int self_review_note(struct ctx *ctx, const struct cyc *c, const struct subject *who,
                            struct feedback_view *v, bool written, bool human, struct error *err)
{
	const char *as_record = NULL;
	int64_t as_person = 0;
	int rc = self_review_written_as(ctx, c->id, who->person, &as_record, &as_person, err);
	if (rc < 0 || !as_record)
		return rc;
	const char *shown = human ? ", shown here" : "";
	if (written)
		add_note(
		        ctx, v,
		        arena_printf(ctx->arena,
		                     "the self review written as %s is kept as history: person "
		                     "merge made %s and %s one human's, whose self review in cycle "
		                     "'%s' is the one written as %s%s",
		                     who->employee_id, who->employee_id, as_record, c->info.name,
		                     as_record, shown));
	else
		add_note(ctx, v,
		         arena_printf(ctx->arena,
		                      "%s's human wrote their self review in cycle '%s' as %s%s "
		                      "(person merge made the records one human's)",
		                      who->employee_id, c->info.name, as_record, shown));
	if (!human)
		return 0;
	struct stored *s = NULL;
	size_t ns = 0;
	rc = stored_versions(ctx, c->id, as_person, 0, &s, &ns, err);
	for (size_t i = 0; rc == 0 && i < ns; i++) {
		if (fw_relation_parse(s[i].relation) != FW_REL_SELF)
			continue;
		struct feedback_response *more =
		        arena_array(ctx->arena, v->nresponses + 1, sizeof *more);
		if (v->nresponses)
			memcpy(more, v->responses, v->nresponses * sizeof *more);
		v->responses = more;
		rc = response_of(ctx, c->fw, &s[i], &v->responses[v->nresponses++], err);
	}
	return rc;
}

static int has_assignment(struct ctx *ctx, int64_t cycle, int64_t reviewee, int64_t reviewer,
                          bool *out, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT 1 FROM review_assignments WHERE cycle_id = ?1 AND "
	                       "reviewee_id = ?2 AND reviewer_id IN " WRITER_RECORDS,
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	stmt_bind_int(st, 2, reviewee);
	stmt_bind_int(st, 3, reviewer);
	rc = stmt_step(st, err);
	*out = rc == STORE_ROW;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int show_mine(struct ctx *ctx, const struct cyc *c, const struct subject *who,
                     struct feedback_view *v, struct error *err)
{
	char id[24];
	snprintf(id, sizeof id, "%" PRId64, c->id);
	ctx_subject(ctx, "cycle", id);
	v->reader = "mine";
	if (!ctx->actor.person_id)
		return 0;
	struct stored *s = NULL;
	size_t ns = 0;
	int rc = stored_versions(ctx, c->id, who->person, ctx->actor.person_id, &s, &ns, err);
	/* Without an assignment to them, someone outside the actor's scope is
	 * refused as an unknown id is, so the answer does not tell they exist. */
	bool assigned = false;
	if (rc == 0 && !ns)
		rc = has_assignment(ctx, c->id, who->person, ctx->actor.person_id, &assigned, err);
	if (rc == 0 && !ns && !assigned)
		rc = authz_require_person(ctx, who->person, who->employee_id, err);
	v->responses = arena_array(ctx->arena, ns + 1, sizeof *v->responses);
	bool self = false;
	for (size_t i = 0; rc == 0 && i < ns; i++) {
		self |= fw_relation_parse(s[i].relation) == FW_REL_SELF;
		rc = response_of(ctx, c->fw, &s[i], &v->responses[v->nresponses++], err);
	}
	return rc == 0 && self ? self_review_note(ctx, c, who, v, true, false, err) : rc;
}

static int show_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct show_args *a = arg;
	struct feedback_view *v = a->out;
	memset(v, 0, sizeof *v);
	static const char hint[] =
	        "the reviewee, their managers and the people partners of their unit read it; "
	        "reviewers read what they wrote with --mine";
	/* A masked reader (an analyst) reads the feedback about no one but
	 * themselves, as their evaluation and score (found hunting: they were
	 * refused their own).  Their own as everywhere (mask_own_person): the
	 * person their user is linked to and the records merged into it,
	 * whatever the user's name (found in review: the user's name was taken
	 * for their employee id, so a merged record of theirs was refused). */
	bool own = false;
	int rc = 0;
	if (!a->mine && mask_people(ctx) && (rc = mask_own_person(ctx, a->reviewee, &own, err)) < 0)
		return rc;
	if (!a->mine &&
	    ((mask_people(ctx) && !own) ||
	     (!ctx->actor.person_id && !actor_has_role(&ctx->actor, ROLE_PEOPLE_PARTNER))))
		return ctx_deny(ctx, err, hint, "%s may not read review feedback", ctx->actor.name);
	struct cyc c;
	struct subject who;
	rc = load_cycle(ctx, a->cycle, &c, err);
	if (rc == 0)
		rc = load_subject(ctx, &c, a->reviewee, &who, err);
	if (rc < 0)
		return rc;
	v->cycle = c.info.name;
	v->person = who.employee_id;
	v->phase = c.info.phase;
	v->framework_version = c.fw->version;
	if (a->mine)
		return show_mine(ctx, &c, &who, v, err);
	enum authz_review rel;
	rc = authz_review_relation(ctx, who.person, who.manager, &rel, err);
	if (rc < 0)
		return rc;
	/* Someone outside the actor's scope is refused as an unknown id is
	 * (authz_unknown_person), so the answer does not tell that they exist. */
	if (rel == AUTHZ_REVIEW_NONE &&
	    (rc = authz_require_person(ctx, who.person, who.employee_id, err)) < 0)
		return rc;
	if (rel == AUTHZ_REVIEW_NONE)
		return ctx_deny(ctx, err, hint, "%s may not read the feedback about %s",
		                ctx->actor.name, who.employee_id);
	if (!who.member)
		return not_reviewed(&c, who.employee_id, err);
	ctx_subject(ctx, "person", who.employee_id);
	v->reader = rel == AUTHZ_REVIEW_SELF      ? "self"
	            : rel == AUTHZ_REVIEW_MANAGER ? "manager"
	                                          : "people_partner";
	struct stored *s = NULL;
	size_t ns = 0;
	rc = stored_versions(ctx, c.id, who.person, 0, &s, &ns, err);
	if (rc < 0)
		return rc;
	v->responses = arena_array(ctx->arena, ns + 1, sizeof *v->responses);
	bool manager_held = false, self = false;
	for (size_t i = 0; i < ns && rc == 0; i++) {
		int r = fw_relation_parse(s[i].relation);
		if (r != FW_REL_SELF && r != FW_REL_MANAGER)
			continue;
		self |= r == FW_REL_SELF;
		if (r == FW_REL_MANAGER && rel == AUTHZ_REVIEW_SELF &&
		    !cycle_delivered(c.info.phase)) {
			manager_held = true;
			continue;
		}
		rc = response_of(ctx, c.fw, &s[i], &v->responses[v->nresponses++], err);
	}
	/* Which of the human's self reviews is theirs (person merge). */
	if (rc == 0)
		rc = self_review_note(ctx, &c, &who, v, self, true, err);
	if (rc < 0)
		return rc;
	/* Said whether or not the manager has written yet, so the note does not
	 * tell when they did (found in review: it came with the submission). */
	if (rel == AUTHZ_REVIEW_SELF && who.manager && !cycle_delivered(c.info.phase))
		manager_held = true;
	if (manager_held)
		add_note(ctx, v,
		         arena_printf(ctx->arena,
		                      "your manager's feedback is shared with you once cycle '%s' "
		                      "reaches its delivery phase (now: %s)",
		                      c.info.name, c.info.phase));
	return groups_of(ctx, &c, who.person, 0, &v->groups, &v->ngroups, err);
}

int feedback_show(struct ctx *ctx, const char *cycle, const char *reviewee, bool mine,
                  struct feedback_view *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	struct show_args a = {cycle, reviewee, mine, out};
	return ctx_run(ctx, OP_FEEDBACK_SHOW, show_body, &a, err);
}

/* ---- authors ---- */

struct authors_args {
	const char *cycle, *reviewee;
	struct feedback_authors *out;
};

static int authors_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct authors_args *a = arg;
	struct feedback_authors *out = a->out;
	memset(out, 0, sizeof *out);
	static const char hint[] = "people partners of the reviewee's unit look up authors, where "
	                           "the framework allows it";
	if (mask_people(ctx) || !actor_has_role(&ctx->actor, ROLE_PEOPLE_PARTNER))
		return ctx_deny(ctx, err, hint, "%s may not see who wrote feedback",
		                ctx->actor.name);
	struct cyc c;
	struct subject who;
	int rc = load_cycle(ctx, a->cycle, &c, err);
	if (rc == 0)
		rc = load_subject(ctx, &c, a->reviewee, &who, err);
	enum authz_review rel = AUTHZ_REVIEW_NONE;
	if (rc == 0)
		rc = authz_review_relation(ctx, who.person, who.manager, &rel, err);
	/* Someone outside the actor's scope is refused as an unknown id is. */
	if (rc == 0 && rel != AUTHZ_REVIEW_PEOPLE_PARTNER)
		rc = authz_require_person(ctx, who.person, who.employee_id, err);
	if (rc < 0)
		return rc;
	if (rel != AUTHZ_REVIEW_PEOPLE_PARTNER)
		return ctx_deny(ctx, err, hint, "%s may not see who wrote the feedback about %s",
		                ctx->actor.name, who.employee_id);
	if (!who.member)
		return not_reviewed(&c, who.employee_id, err);
	ctx_subject(ctx, "person", who.employee_id);
	out->cycle = c.info.name;
	out->person = who.employee_id;
	out->framework_version = c.fw->version;
	struct stored *s = NULL;
	size_t ns = 0;
	rc = stored_versions(ctx, c.id, who.person, 0, &s, &ns, err);
	if (rc < 0)
		return rc;
	out->groups = arena_array(ctx->arena, NGROUPED, sizeof *out->groups);
	out->refused = arena_array(ctx->arena, NGROUPED, sizeof *out->refused);
	for (size_t gi = 0; gi < NGROUPED && rc == 0; gi++) {
		enum fw_relation r = grouped[gi];
		if (r == FW_REL_UPWARD) {
			out->refused[out->nrefused++] =
			        "upward feedback is never attributed to anyone";
			continue;
		}
		if (!c.fw->partner_sees_authors[r]) {
			out->refused[out->nrefused++] =
			        arena_printf(ctx->arena,
			                     "framework version %d does not let people partners "
			                     "see who wrote %s "
			                     "feedback (anonymity.partner_sees_authors)",
			                     c.fw->version, relation_words(r));
			continue;
		}
		struct feedback_author_group *g = &out->groups[out->ngroups++];
		g->relation = r;
		g->items = arena_array(ctx->arena, ns + 1, sizeof *g->items);
		for (size_t i = 0; i < ns && rc == 0; i++) {
			if (fw_relation_parse(s[i].relation) != (int)r)
				continue;
			struct feedback_authored *x = &g->items[g->n++];
			x->author = s[i].author;
			x->author_name = s[i].author_name;
			rc = response_of(ctx, c.fw, &s[i], &x->response, err);
		}
	}
	return rc;
}

int feedback_authors(struct ctx *ctx, const char *cycle, const char *reviewee,
                     struct feedback_authors *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	struct authors_args a = {cycle, reviewee, out};
	return ctx_run(ctx, OP_FEEDBACK_AUTHORS, authors_body, &a, err);
}
