/* me: a person's own view of what plumb holds about them (see me.h). */
#include "govern/me.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/consent.h"
#include "core/ctx.h"
#include "core/policy.h"
#include "core/retention.h"
#include "review/feedback.h"
#include "store/store.h"

#define ACCESS_MAX 500
#define DAY_MS     86400000LL

/* SQL: the person ?1 and the records merged into them: one human, whose
 * data a subject access request asks for, where a merge moved only their
 * accounts, events, consents and demographics (review data, metric values
 * and audit entries stay with the record they were made for).  person
 * merge keeps person_merges one step deep. */
#define ME_RECORDS                                                                                 \
	"(SELECT CAST(?1 AS BIGINT) UNION ALL SELECT from_person_id FROM person_merges WHERE "     \
	"into_person_id = ?1)"

static int need_person(struct ctx *ctx, struct error *err)
{
	if (ctx->actor.person_id)
		return 0;
	err_set(err, ERR_NOT_FOUND,
	        "user %s is not a person, so plumb holds no personal data "
	        "about them",
	        ctx->actor.name);
	err_hint(err, "plumb me shows the signed-in person's own data; use --as EMPLOYEE_ID");
	return ERR_NOT_FOUND;
}

/* A holding kept by the rule of country (the person's own, or for what
 * they wrote about others, the reviewee's, as retention applies it). */
static struct me_holding *holding_in(struct ctx *ctx, struct me_report *r, size_t *alloc,
                                     const struct policy *pol, enum policy_category cat,
                                     const char *country)
{
	r->holdings = arena_grow(ctx->arena, r->holdings, r->nholdings, alloc, sizeof *r->holdings);
	struct me_holding *h = &r->holdings[r->nholdings++];
	memset(h, 0, sizeof *h);
	h->category = policy_category_name(cat);
	struct policy_retention ret = policy_retention_for(pol, cat, country);
	h->retention_days = ret.days;
	h->retention_action = ret.action == POLICY_RETAIN_DELETE ? "delete" : "anonymize";
	return h;
}

static struct me_holding *add_holding(struct ctx *ctx, struct me_report *r, size_t *alloc,
                                      const struct policy *pol, enum policy_category cat)
{
	return holding_in(ctx, r, alloc, pol, cat, r->country);
}

/* When the oldest record still due goes: under an anonymize rule, the
 * oldest not anonymized yet, oldest_pending (0: none; found hunting: rows
 * anonymized long ago were shown as due since then). */
static void set_deletion(struct me_holding *h, int64_t oldest_pending, int64_t oldest)
{
	int64_t from = strcmp(h->retention_action, "anonymize") == 0 ? oldest_pending : oldest;
	h->next_deletion = h->retention_days && from ? from + h->retention_days * DAY_MS : 0;
}

static void set_next_deletion(struct me_holding *h, int64_t oldest_pending)
{
	set_deletion(h, oldest_pending, h->first);
}

/* The start of ms's UTC day (0 stays 0: no date). */
static int64_t start_of_day(int64_t ms)
{
	int64_t r = ms % DAY_MS;
	return ms - (r < 0 ? r + DAY_MS : r);
}

/* Review data waits for its cycle c to close (retention.c): the oldest row
 * retention may do is the oldest of a closed cycle; none while all of it
 * waits (next_deletion 0, not said). */
#define IN_CLOSED(time) "MIN(CASE WHEN c.phase = 'closed' THEN " time " END)"

/* The oldest time of the feedback responses f not anonymized in a closed
 * cycle, and how many are not anonymized. */
#define FEEDBACK_PENDING                                                                           \
	"MIN(CASE WHEN c.phase = 'closed' AND " RETENTION_FEEDBACK_NAMING                          \
	" THEN f.created_at END), COALESCE(SUM(CASE WHEN " RETENTION_FEEDBACK_NAMING               \
	" THEN 1 ELSE 0 END), 0)"

/* One aggregate row about the person into a holding: COUNT, MIN and MAX of
 * the times, the oldest time not anonymized and how many are (NOT_ANONYMIZED);
 * for review data (review), those of closed cycles, and then the oldest time
 * of a closed cycle (IN_CLOSED). */
static int aggregate(struct ctx *ctx, const char *sql, int64_t id, const char *text, bool review,
                     struct me_holding *h, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	if (text)
		stmt_bind_text(st, 1, text);
	else
		stmt_bind_int(st, 1, id);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		h->count = stmt_int(st, 0);
		h->first = stmt_int(st, 1);
		h->last = stmt_int(st, 2);
		h->anonymized = h->count - stmt_int(st, 4);
		int64_t pending = stmt_is_null(st, 3) ? 0 : stmt_int(st, 3);
		if (review)
			set_deletion(h, pending, stmt_is_null(st, 5) ? 0 : stmt_int(st, 5));
		else
			set_next_deletion(h, pending);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* What the ingestion gate would decide for this person's records of m, in words. */
static const char *mechanism_status(struct consent_gate *g, const struct policy_mechanism *m,
                                    const struct me_report *r, int64_t person_id, struct arena *a,
                                    struct error *err, int *rc)
{
	*rc = 0;
	if (m->prohibited)
		return "prohibited: never collected";
	if (!m->enabled)
		return "not collected: switched off by the policy";
	struct consent_decision d;
	*rc = consent_gate_decide_mechanism(g, m, CONSENT_PERSON, person_id, r->country, &d, err);
	if (*rc < 0)
		return NULL;
	switch (d.verdict) {
	case CONSENT_SKIP:
		if (strcmp(d.reason, "no consent") == 0)
			return "not collected: needs your consent";
		return arena_printf(a, "not collected: %s", d.reason);
	case CONSENT_PSEUDONYMIZE:
		return "collected without your name (pseudonymized) until you consent";
	case CONSENT_STORE:
		break;
	}
	return m->consent_required ? "collected with your consent"
	                           : "collected (no consent needed)";
}

static int person_row(struct ctx *ctx, struct me_report *r, struct error *err)
{
	struct store_stmt *st;
	int64_t now = ts_now_ms();
	int rc = store_prepare(ctx->store,
	                       "SELECT p.employee_id, p.name, p.email, p.title, p.country, "
	                       "(SELECT t.name FROM team_memberships m JOIN teams t ON t.id = "
	                       "m.team_id WHERE m.person_id = p.id AND m.valid_from <= ? AND "
	                       "(m.valid_to IS NULL OR m.valid_to > ?) ORDER BY m.valid_from DESC "
	                       "LIMIT 1) FROM people p WHERE p.id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, now);
	stmt_bind_int(st, 2, now);
	stmt_bind_int(st, 3, ctx->actor.person_id);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		r->employee_id = stmt_text_dup(st, 0, ctx->arena);
		r->name = stmt_text_dup(st, 1, ctx->arena);
		r->email = stmt_text_dup(st, 2, ctx->arena);
		r->title = stmt_text_dup(st, 3, ctx->arena);
		r->country = stmt_text_dup(st, 4, ctx->arena);
		r->team = stmt_text_dup(st, 5, ctx->arena);
	}
	stmt_reset(st);
	if (rc == STORE_DONE)
		return err_set(err, ERR_NOT_FOUND, "the person behind user %s no longer exists",
		               ctx->actor.name);
	return rc < 0 ? rc : 0;
}

/* The one text column a query about person pid gives, row by row. */
static int texts_of(struct ctx *ctx, const char *sql, int64_t pid, const char ***out, size_t *n,
                    struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, pid);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*out = arena_grow(ctx->arena, *out, *n, &alloc, sizeof **out);
		(*out)[(*n)++] = stmt_text_dup(st, 0, ctx->arena);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* A review cycle the person, or a record merged into them, is reviewed in. */
struct membership {
	int64_t cycle_id, person_id;
	const char *cycle, *employee_id; /* the record enrolled, maybe a merged one */
};

/* The review cycles person pid and the records merged into them are
 * reviewed in, oldest first. */
static int member_cycles(struct ctx *ctx, int64_t pid, struct membership **out, size_t *n,
                         struct error *err)
{
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT c.id, m.person_id, c.name, p.employee_id FROM cycle_members m "
	        "JOIN cycles c ON c.id = m.cycle_id JOIN people p ON p.id = "
	        "m.person_id WHERE m.person_id IN " ME_RECORDS " ORDER BY c.id, m.person_id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, pid);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*out = arena_grow(ctx->arena, *out, *n, &alloc, sizeof **out);
		(*out)[(*n)++] = (struct membership){stmt_int(st, 0), stmt_int(st, 1),
		                                     stmt_text_dup(st, 2, ctx->arena),
		                                     stmt_text_dup(st, 3, ctx->arena)};
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Responses others wrote about pid, one per writer, as far as the person
 * may know of them: a count that moved while a phase is open would tell
 * when each writer wrote, and an upward count below the threshold which
 * reports did.  So: the manager's once the cycle delivered it, and peer,
 * upward and cross-functional as feedback show counts its groups. */
static int feedback_about_count(struct ctx *ctx, int64_t pid, int64_t *count, struct error *err)
{
	*count = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT COUNT(*) FROM cycles c CROSS JOIN review_assignments a "
	                       "WHERE a.cycle_id = c.id AND a.reviewee_id IN " ME_RECORDS
	                       " AND a.relation = 'manager' AND "
	                       "a.status = 'active' AND c.phase IN ('delivery', 'closed') AND "
	                       "EXISTS (SELECT 1 FROM feedback_responses f WHERE f.assignment_id = "
	                       "a.id AND f.status = 'submitted')",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, pid);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		*count = stmt_int(st, 0);
	stmt_reset(st);
	rc = rc < 0 ? rc : 0;
	struct membership *cycles;
	size_t n = 0;
	if (rc == 0)
		rc = member_cycles(ctx, pid, &cycles, &n, err);
	for (size_t c = 0; rc == 0 && c < n; c++) {
		struct feedback_group *g = NULL;
		size_t ng = 0;
		rc = feedback_groups_tx(ctx, cycles[c].cycle_id, cycles[c].person_id, 0, &g, &ng,
		                        err);
		for (size_t i = 0; rc == 0 && i < ng; i++)
			if (g[i].responses > 0)
				*count += g[i].responses;
	}
	return rc < 0 ? rc : 0;
}

/* ---- audit entries about the person ---------------------------------------------- */

/* One audit entry about the person (docs/governance.md, "What employees see"). */
struct about_entry {
	int64_t seq, at;
	const char *actor, *action, *detail;
};

struct about_list {
	struct about_entry *v; /* oldest first */
	size_t n;
};

/* The phase of the cycle a query about id gives ("" when there is none). */
static int phase_of(struct ctx *ctx, const char *sql, int64_t id, const char **phase,
                    struct error *err)
{
	struct store_stmt *st;
	*phase = "";
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, id);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		*phase = stmt_text_dup(st, 0, ctx->arena);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static bool delivered(const char *phase)
{
	return !strcmp(phase, "delivery") || !strcmp(phase, "closed");
}

/* Whether detail's top-level key holds the string eid (or, for an array,
 * holds it among its strings). */
static bool names(const cJSON *detail, const char *key, const char *eid)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(detail, key);
	if (cJSON_IsString(v))
		return !strcmp(v->valuestring, eid);
	const cJSON *e;
	cJSON_ArrayForEach(e, v)
	{
		if (cJSON_IsString(e) && !strcmp(e->valuestring, eid))
			return true;
	}
	return false;
}

static int64_t object_number(const char *object_id)
{
	char *end;
	long long id = strtoll(object_id, &end, 10);
	return *end || id <= 0 ? 0 : (int64_t)id;
}

/* Whether an entry on another object than person:EID is about the person
 * and theirs to see.  Only a top-level detail key that names the subject of
 * the entry counts (person, reviewer, reviewee, recipient, facilitator,
 * participants): a person's manager field names the report's record, and a
 * list of everyone a session wrote back names others.  Within the anonymity
 * rules (docs/review.md): a nomination or decision of a peer, upward or
 * cross-functional reviewer never reaches the reviewee; an evaluation and a
 * calibration mark or change about the person only once their cycle
 * delivered (before, calibration may still change it and the time would
 * tell).  Legal holds are left out, as hold list refuses employees. */
static int about_person(struct ctx *ctx, const char *eid, const char *action,
                        const char *object_type, const char *object_id, const char *detail_text,
                        bool *about, struct error *err)
{
	*about = false;
	cJSON *d = detail_text ? cJSON_Parse(detail_text) : NULL;
	if (!cJSON_IsObject(d)) {
		cJSON_Delete(d);
		return 0;
	}
	int rc = 0;
	const char *phase = "";
	int64_t object = object_number(object_id);
	if (!strcmp(object_type, "identity")) {
		*about = names(d, "person", eid);
	} else if (!strcmp(object_type, "evaluation")) {
		const cJSON *cycle = cJSON_GetObjectItemCaseSensitive(d, "cycle");
		if (!strcmp(action, "evaluation.submit") && names(d, "person", eid) &&
		    cJSON_IsNumber(cycle) &&
		    (rc = phase_of(ctx, "SELECT phase FROM cycles WHERE id = ?",
		                   (int64_t)cycle->valuedouble, &phase, err)) == 0)
			*about = delivered(phase);
	} else if (!strcmp(object_type, "calibration_session")) {
		if ((!strcmp(action, "calibrate.mark") || !strcmp(action, "calibrate.change")) &&
		    names(d, "person", eid) &&
		    (rc = phase_of(ctx,
		                   "SELECT c.phase FROM calibration_sessions s JOIN cycles c ON "
		                   "c.id = s.cycle_id WHERE s.id = ?",
		                   object, &phase, err)) == 0)
			*about = delivered(phase);
		else if (!strcmp(action, "calibrate.session.create"))
			*about = names(d, "facilitator", eid) || names(d, "participants", eid);
	} else if (!strcmp(object_type, "assignment")) {
		if (!strncmp(action, "notify.", 7)) {
			*about = names(d, "recipient", eid);
		} else if (!strcmp(action, "cycle.nominate") || !strcmp(action, "cycle.decide")) {
			if (names(d, "reviewer", eid)) {
				*about = true;
			} else if (names(d, "reviewee", eid)) {
				/* Only the assignments whose reviewer the reviewee knows. */
				const cJSON *rel = cJSON_GetObjectItemCaseSensitive(d, "relation");
				const char *relation =
				        cJSON_IsString(rel) ? rel->valuestring : NULL;
				if (!relation)
					rc = phase_of(ctx,
					              "SELECT relation FROM review_assignments "
					              "WHERE id = ?",
					              object, &relation, err);
				*about = rc == 0 && (!strcmp(relation, "self") ||
				                     !strcmp(relation, "manager"));
			}
		}
	}
	cJSON_Delete(d);
	return rc;
}

/* An audit entry found for one of the person's records. */
struct about_row {
	struct about_entry e;
	const char *object_type, *object_id, *eid;
};

static int by_seq(const void *x, const void *y)
{
	int64_t a = ((const struct about_row *)x)->e.seq, b = ((const struct about_row *)y)->e.seq;
	return (a > b) - (a < b);
}

/* Every audit entry about the person that they may see, oldest first: for
 * each of their records eids (their own and those merged into it), those
 * on person:EID and user:EID, and those on another object whose detail
 * names the record as about_person says; an entry about two of them once.
 * Redacted entries are left out.  Both kinds are found by index: the
 * object's, and audit_people's of the entries whose detail names the
 * person (a search of every such entry's detail grew with everyone's
 * history); only those are parsed. */
static int about_entries(struct ctx *ctx, const char *const *eids, size_t neids,
                         struct about_list *out, struct error *err)
{
	struct arena *a = ctx->arena;
	memset(out, 0, sizeof *out);
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT seq, at, actor, action, object_type, object_id, detail FROM audit_log "
	        "WHERE redacted IS NULL AND object_type IN ('person', 'user') AND object_id = ?1 "
	        "UNION ALL SELECT a.seq, a.at, a.actor, a.action, a.object_type, a.object_id, "
	        "a.detail FROM audit_people ap JOIN audit_log a ON a.seq = ap.seq "
	        "WHERE ap.employee_id = ?1 AND a.redacted IS NULL ORDER BY 1",
	        &st, err);
	if (rc < 0)
		return rc;
	/* Collected first: about_person queries while this statement is open. */
	struct about_row *rows = NULL;
	size_t n = 0, alloc = 0;
	for (size_t k = 0; rc >= 0 && k < neids; k++) {
		stmt_bind_text(st, 1, eids[k]);
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			rows = arena_grow(a, rows, n, &alloc, sizeof *rows);
			rows[n++] = (struct about_row){
			        {stmt_int(st, 0), stmt_int(st, 1), stmt_text_dup(st, 2, a),
			         stmt_text_dup(st, 3, a), stmt_text_dup(st, 6, a)},
			        stmt_text_dup(st, 4, a),
			        stmt_text_dup(st, 5, a),
			        eids[k]};
		}
		stmt_reset(st);
	}
	if (rc < 0)
		return rc;
	if (neids > 1)
		qsort(rows, n, sizeof *rows, by_seq);
	out->v = arena_array(a, n ? n : 1, sizeof *out->v);
	for (size_t i = 0; i < n; i++) {
		bool about = !strcmp(rows[i].object_type, "person") ||
		             !strcmp(rows[i].object_type, "user");
		if (!about &&
		    (rc = about_person(ctx, rows[i].eid, rows[i].e.action, rows[i].object_type,
		                       rows[i].object_id, rows[i].e.detail, &about, err)) < 0)
			return rc;
		if (about && !(out->n && out->v[out->n - 1].seq == rows[i].e.seq))
			out->v[out->n++] = rows[i].e;
	}
	return 0;
}

/* SQL: the calibration rows of table c about the person ?1 in cycles that
 * delivered: when made (at), when retention counts them from (due: the
 * oldest evaluation version of their cycle and person, or their own time),
 * whether their cycle closed, and whether they hold words (naming). */
#define ME_CALIBRATION(table, at, words)                                                           \
	"SELECT " at " AS at, COALESCE((SELECT MIN(e.created_at) FROM evaluations e WHERE "        \
	"e.cycle_id = s.cycle_id AND e.person_id = c.person_id), " at ") AS due, CASE WHEN "       \
	"cy.phase = 'closed' THEN 1 ELSE 0 END AS closed, CASE WHEN " words " THEN 1 ELSE 0 END "  \
	"AS naming FROM " table " c JOIN calibration_sessions s ON s.id = c.session_id JOIN "      \
	"cycles cy ON cy.id = s.cycle_id WHERE c.person_id IN " ME_RECORDS " AND cy.phase IN "     \
	"('delivery', 'closed')"

/* clang-format off */
/* SQL: the aggregate row of aggregate() over both calibration tables. */
#define ME_CALIBRATION_AGGREGATE                                                                   \
	"SELECT COUNT(*), MIN(x.at), MAX(x.at), MIN(CASE WHEN x.closed = 1 AND x.naming = 1 THEN " \
	"x.due END), COALESCE(SUM(x.naming), 0), MIN(CASE WHEN x.closed = 1 THEN x.due END) "      \
	"FROM (" ME_CALIBRATION("calibration_changes", "c.changed_at",                             \
	                        "c.reason <> '' OR c.evidence <> '[]'")                            \
	" UNION ALL " ME_CALIBRATION("calibration_marks", "c.marked_at", "c.comment <> ''") ") x"
/* clang-format on */

/* The ratings rule deletes the calibration changes (they hold ratings), with
 * or without words, by the same due time: when it is the shorter, h (the
 * evaluations rule's) says the date it takes the oldest of them (found in
 * review: the default policy's 1825 days for ratings went before the 2555
 * of evaluations that plumb me gave). */
static int calibration_ratings_due(struct ctx *ctx, const struct policy *pol, const char *country,
                                   int64_t pid, struct me_holding *h, struct error *err)
{
	struct policy_retention rr = policy_retention_for(pol, POLICY_CAT_RATINGS, country);
	if (rr.days <= 0)
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT MIN(x.due) FROM (" ME_CALIBRATION("calibration_changes", "c.changed_at",
	                                                  "1 = 1") ") x WHERE x.closed = 1",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, pid);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW && !stmt_is_null(st, 0)) {
		int64_t at = stmt_int(st, 0) + rr.days * DAY_MS;
		if (!h->next_deletion || at < h->next_deletion)
			h->next_deletion = at;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int report_tx(struct ctx *ctx, struct me_report *r, struct about_list *about,
                     struct error *err)
{
	memset(r, 0, sizeof *r);
	const struct policy *pol;
	int rc = need_person(ctx, err);
	if (rc == 0)
		rc = policy_load(ctx, &pol, err);
	if (rc == 0)
		rc = person_row(ctx, r, err);
	if (rc < 0)
		return rc;
	r->policy_version = pol->version;
	struct arena *a = ctx->arena;
	int64_t pid = ctx->actor.person_id;
	struct store_stmt *st;
	rc = texts_of(ctx,
	              "SELECT system || ':' || login FROM identities WHERE person_id = ? "
	              "ORDER BY system, login",
	              pid, &r->accounts, &r->naccounts, err);
	if (rc < 0)
		return rc;

	size_t halloc = 0;
	rc = store_prepare(
	        ctx->store,
	        "SELECT e.kind, s.name, COUNT(*), MIN(e.occurred_at), MAX(e.occurred_at) "
	        "FROM events e JOIN sources s ON s.id = e.source_id WHERE e.person_id = ? "
	        "GROUP BY e.kind, s.name ORDER BY e.kind, s.name",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, pid);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		struct me_holding *h = add_holding(ctx, r, &halloc, pol, POLICY_CAT_EVENTS);
		const char *kind = stmt_text_dup(st, 0, a);
		h->what = arena_printf(a, "%s events", kind);
		h->source = stmt_text_dup(st, 1, a);
		const struct policy_mechanism *m = policy_mechanism_for_kind(pol, kind);
		h->mechanism = m ? m->key : NULL;
		h->count = stmt_int(st, 2);
		h->first = stmt_int(st, 3);
		h->last = stmt_int(st, 4);
		set_next_deletion(h, h->first);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	struct me_holding *h = add_holding(ctx, r, &halloc, pol, POLICY_CAT_RAW_PAYLOADS);
	h->what = "raw API documents that name you";
	rc = aggregate(ctx,
	               "SELECT COUNT(DISTINCT r.id), MIN(r.fetched_at), MAX(r.fetched_at), "
	               "MIN(r.fetched_at), COUNT(DISTINCT r.id) FROM "
	               "events e JOIN raw_payloads r ON r.id = e.raw_id WHERE e.person_id = ?",
	               pid, NULL, false, h, err);
	if (rc < 0)
		return rc;
	/* A value's time is its period's end, as retention reads it. */
	h = add_holding(ctx, r, &halloc, pol, POLICY_CAT_METRIC_VALUES);
	h->what = "metric values about you alone (dated by the end of their periods)";
	rc = aggregate(ctx,
	               "SELECT COUNT(*), MIN(period_end), MAX(period_end), MIN(period_end), "
	               "COUNT(*) FROM metric_values "
	               "WHERE scope = 'individual' AND scope_id IN " ME_RECORDS,
	               pid, NULL, false, h, err);
	if (rc < 0)
		return rc;
	/* Review data: what you wrote with its times; what others wrote about you
	 * as feedback show tells you of it (counted, never when or by whom); your
	 * evaluations once delivered, as evaluation history gives them. */
	h = add_holding(ctx, r, &halloc, pol, POLICY_CAT_FEEDBACK_TEXT);
	h->what = "feedback others wrote about you, counted once the anonymity rules let you "
	          "know of it";
	rc = feedback_about_count(ctx, pid, &h->count, err);
	if (rc < 0)
		return rc;
	static const struct {
		enum policy_category cat;
		const char *what, *sql;
	} reviews[] = {
	        /* clang-format off */
	        {POLICY_CAT_FEEDBACK_TEXT, "self reviews you wrote",
	         "SELECT COUNT(*), MIN(f.created_at), MAX(f.created_at), " FEEDBACK_PENDING ", "
	         IN_CLOSED("f.created_at") " FROM cycles c CROSS JOIN review_assignments a JOIN "
	         "feedback_responses f ON f.assignment_id = a.id WHERE a.cycle_id = c.id AND "
	         "a.reviewer_id IN " ME_RECORDS " AND a.relation = 'self'"},
	        {POLICY_CAT_RATINGS, "rubric ratings about you",
	         "SELECT COUNT(*), MIN(e.created_at), MAX(e.created_at), " IN_CLOSED("e.created_at")
	         ", COUNT(*), " IN_CLOSED("e.created_at") " FROM cycles c CROSS JOIN evaluations e "
	         "JOIN evaluation_ratings r ON r.evaluation_id = e.id WHERE e.cycle_id = c.id AND "
	         "e.person_id IN " ME_RECORDS " AND c.phase IN ('delivery', 'closed')"},
	        {POLICY_CAT_EVALUATIONS, "evaluation versions about you",
	         /* A version that never had a case, a reason or evidence looks
	          * like an anonymized one: none is counted as anonymized. */
	         "SELECT COUNT(*), MIN(e.created_at), MAX(e.created_at), MIN(CASE "
	         "WHEN c.phase = 'closed' AND " RETENTION_EVALUATION_NAMING
	         " THEN e.created_at END), COUNT(*), " IN_CLOSED("e.created_at") " FROM cycles c "
	         "CROSS JOIN evaluations e WHERE e.cycle_id = c.id AND e.person_id IN " ME_RECORDS
	         " AND c.phase IN ('delivery', 'closed')"},
	        /* clang-format on */
	};
	for (size_t i = 0; i < sizeof reviews / sizeof reviews[0]; i++) {
		h = add_holding(ctx, r, &halloc, pol, reviews[i].cat);
		h->what = reviews[i].what;
		rc = aggregate(ctx, reviews[i].sql, pid, NULL, true, h, err);
		if (rc < 0)
			return rc;
	}
	/* Calibration is part of the evaluation, and shown with it once
	 * delivered; retention takes it with the oldest version of its cycle
	 * (retention.c, "calibration marks and changes"). */
	h = add_holding(ctx, r, &halloc, pol, POLICY_CAT_EVALUATIONS);
	h->what = "calibration marks and changes about you (the ratings rule also deletes the "
	          "changes)";
	rc = aggregate(ctx, ME_CALIBRATION_AGGREGATE, pid, NULL, true, h, err);
	if (rc == 0)
		rc = calibration_ratings_due(ctx, pol, r->country, pid, h, err);
	if (rc < 0)
		return rc;
	/* Kept by the rule of the reviewee's country (found in review: the
	 * writer's was shown), so one holding a country. */
	/* Column 6: deleted, a peer, upward or cross-functional group goes whole
	 * when its first response is due (retention.c, feedback_group_rows), so
	 * theirs may go before their own time says (found in review). */
	rc = store_prepare(ctx->store,
	                   "SELECT p.country, COUNT(*), MIN(f.created_at), "
	                   "MAX(f.created_at), " FEEDBACK_PENDING ", MIN(CASE WHEN c.phase <> "
	                   "'closed' THEN NULL WHEN a.relation IN "
	                   "('peer', 'upward', 'cross_functional') THEN (SELECT MIN(gf.created_at) "
	                   "FROM review_assignments g JOIN feedback_responses gf ON "
	                   "gf.assignment_id = g.id WHERE g.cycle_id = a.cycle_id AND "
	                   "g.reviewee_id = a.reviewee_id AND g.relation = a.relation) ELSE "
	                   "f.created_at END) FROM "
	                   "cycles c CROSS JOIN review_assignments a JOIN feedback_responses f ON "
	                   "f.assignment_id = a.id JOIN people p ON p.id = a.reviewee_id WHERE "
	                   "a.cycle_id = c.id AND a.reviewer_id IN " ME_RECORDS
	                   " AND a.relation <> 'self' "
	                   "GROUP BY p.country "
	                   "ORDER BY p.country",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, pid);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		const char *country = stmt_text_dup(st, 0, a);
		h = holding_in(ctx, r, &halloc, pol, POLICY_CAT_FEEDBACK_TEXT, country);
		h->what = arena_printf(a,
		                       "feedback you wrote about others employed in %s "
		                       "(kept by that country's rule)",
		                       country);
		h->count = stmt_int(st, 1);
		h->first = stmt_int(st, 2);
		h->last = stmt_int(st, 3);
		h->anonymized = h->count - stmt_int(st, 5);
		set_deletion(h, stmt_is_null(st, 4) ? 0 : stmt_int(st, 4),
		             stmt_is_null(st, 6) ? 0 : stmt_int(st, 6));
		/* The day it goes, as the text says it: a group's first response
		 * may be another writer's, and its time to the millisecond would
		 * tell when they wrote (found in the governance hunt: --json and
		 * the page's datetime gave it). */
		h->next_deletion = start_of_day(h->next_deletion);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	h = add_holding(ctx, r, &halloc, pol, POLICY_CAT_AUDIT_LOG);
	h->what = "audit log entries about you";
	const char **eids = NULL;
	size_t neids = 0;
	rc = texts_of(ctx,
	              "SELECT employee_id FROM people WHERE id IN " ME_RECORDS
	              " ORDER BY id = ?1 DESC, employee_id",
	              pid, &eids, &neids, err);
	if (rc < 0 || (rc = about_entries(ctx, eids, neids, about, err)) < 0)
		return rc;
	r->merged = neids ? eids + 1 : NULL; /* the person's own record first */
	r->nmerged = neids ? neids - 1 : 0;
	h->count = (int64_t)about->n;
	if (about->n) {
		h->first = about->v[0].at;
		h->last = about->v[about->n - 1].at;
		set_next_deletion(h, h->first);
	}

	size_t calloc_ = 0;
	rc = store_prepare(ctx->store,
	                   "SELECT c.mechanism, c.state, c.at, c.recorded_by, " CONSENT_NOTE
	                   " FROM consents c WHERE c.person_id = ? ORDER BY c.at, c.id",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, pid);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		r->consents =
		        arena_grow(a, r->consents, r->nconsents, &calloc_, sizeof *r->consents);
		struct me_consent *c = &r->consents[r->nconsents++];
		c->mechanism = stmt_text_dup(st, 0, a);
		c->state = stmt_text_dup(st, 1, a);
		c->at = stmt_int(st, 2);
		c->recorded_by = stmt_text_dup(st, 3, a);
		c->note = stmt_text_dup(st, 4, a);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	r->mechanisms =
	        arena_array(a, pol->nmechanisms ? pol->nmechanisms : 1, sizeof *r->mechanisms);
	struct consent_gate *gate = NULL;
	if (pol->nmechanisms && (rc = consent_gate_open(ctx, &gate, err)) < 0)
		return rc;
	for (size_t i = 0; i < pol->nmechanisms; i++) {
		const struct policy_mechanism *m = &pol->mechanisms[i];
		struct me_mechanism *mm = &r->mechanisms[r->nmechanisms++];
		mm->key = m->key;
		mm->name = m->name;
		mm->purpose = m->purpose;
		mm->status = mechanism_status(gate, m, r, pid, a, err, &rc);
		if (rc < 0)
			return rc;
	}

	rc = texts_of(ctx,
	              "SELECT attribute FROM person_demographics WHERE person_id = ? ORDER BY "
	              "attribute",
	              pid, &r->demographics, &r->ndemographics, err);
	if (rc < 0)
		return rc;

	/* Who else: the entries about them by another actor, newest first.
	 * The users of the records merged into theirs are themselves too
	 * (found hunting merges: what the human did as the record merged away
	 * was listed as another's doing). */
	const char **own_users = NULL;
	size_t nown_users = 0;
	if ((rc = texts_of(ctx, "SELECT name FROM users WHERE person_id IN " ME_RECORDS, pid,
	                   &own_users, &nown_users, err)) < 0)
		return rc;
	size_t aalloc = 0;
	for (size_t i = about->n; i-- > 0 && r->naccesses < ACCESS_MAX;) {
		const struct about_entry *e = &about->v[i];
		bool own = !strcmp(e->actor, ctx->actor.name);
		for (size_t k = 0; k < nown_users && !own; k++)
			own = !strcmp(e->actor, own_users[k]);
		if (own)
			continue;
		r->accesses =
		        arena_grow(a, r->accesses, r->naccesses, &aalloc, sizeof *r->accesses);
		r->accesses[r->naccesses++] = (struct me_access){e->at, e->actor, e->action};
	}
	return 0;
}

static int show_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct me_report **out = arg;
	*out = arena_alloc(ctx->arena, sizeof **out);
	struct about_list about;
	return report_tx(ctx, *out, &about, err);
}

int me_show(struct ctx *ctx, struct me_report **out, struct error *err)
{
	*out = NULL;
	return ctx_run(ctx, OP_ME_SHOW, show_body, out, err);
}

static void kstr_time(struct jw *w, const char *key, int64_t ms)
{
	char buf[TS_BUF];
	jw_key(w, key);
	if (ms)
		jw_str(w, ts_format(ms, buf));
	else
		jw_null(w);
}

void me_report_json(struct jw *w, const struct me_report *r)
{
	jw_object_begin(w);
	jw_kstr(w, "employee_id", r->employee_id);
	jw_kstr(w, "name", r->name);
	jw_kstr(w, "email", r->email);
	jw_kstr(w, "title", r->title);
	jw_kstr(w, "country", r->country);
	jw_kstr(w, "team", r->team);
	jw_kint(w, "policy_version", r->policy_version);
	jw_key(w, "merged_records");
	jw_array_begin(w);
	for (size_t i = 0; i < r->nmerged; i++)
		jw_str(w, r->merged[i]);
	jw_array_end(w);
	jw_key(w, "accounts");
	jw_array_begin(w);
	for (size_t i = 0; i < r->naccounts; i++)
		jw_str(w, r->accounts[i]);
	jw_array_end(w);
	jw_key(w, "holdings");
	jw_array_begin(w);
	for (size_t i = 0; i < r->nholdings; i++) {
		const struct me_holding *h = &r->holdings[i];
		jw_object_begin(w);
		jw_kstr(w, "category", h->category);
		jw_kstr(w, "what", h->what);
		jw_kstr(w, "source", h->source);
		jw_kstr(w, "mechanism", h->mechanism);
		jw_kint(w, "count", h->count);
		kstr_time(w, "first", h->count ? h->first : 0);
		kstr_time(w, "last", h->count ? h->last : 0);
		jw_key(w, "retention");
		jw_object_begin(w);
		jw_kint(w, "days", h->retention_days);
		jw_kstr(w, "action", h->retention_action);
		kstr_time(w, "next", h->count ? h->next_deletion : 0);
		jw_kint(w, "anonymized", h->anonymized);
		jw_object_end(w);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "mechanisms");
	jw_array_begin(w);
	for (size_t i = 0; i < r->nmechanisms; i++) {
		jw_object_begin(w);
		jw_kstr(w, "key", r->mechanisms[i].key);
		jw_kstr(w, "name", r->mechanisms[i].name);
		jw_kstr(w, "purpose", r->mechanisms[i].purpose);
		jw_kstr(w, "status", r->mechanisms[i].status);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "consents");
	jw_array_begin(w);
	for (size_t i = 0; i < r->nconsents; i++) {
		const struct me_consent *c = &r->consents[i];
		jw_object_begin(w);
		jw_kstr(w, "mechanism", c->mechanism);
		jw_kstr(w, "state", c->state);
		kstr_time(w, "at", c->at);
		jw_kstr(w, "recorded_by", c->recorded_by);
		jw_kstr(w, "note", c->note);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "demographics");
	jw_array_begin(w);
	for (size_t i = 0; i < r->ndemographics; i++)
		jw_str(w, r->demographics[i]);
	jw_array_end(w);
	jw_key(w, "read_by_others");
	jw_array_begin(w);
	for (size_t i = 0; i < r->naccesses; i++) {
		jw_object_begin(w);
		kstr_time(w, "at", r->accesses[i].at);
		jw_kstr(w, "actor", r->accesses[i].actor);
		jw_kstr(w, "action", r->accesses[i].action);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

struct export_args {
	struct sb *out;
	bool pretty;
};

/* Rows of a query about the person as JSON objects, one key per column;
 * is_time[c] is 1 for a time, 2 for JSON text, 3 for a number stored as a
 * double (a rating: 5, not SQLite's text of it, 5.0), 0 for text. */
static int rows_json(struct ctx *ctx, struct jw *w, const char *key, const char *sql,
                     const char *const *cols, const unsigned char *is_time, int ncols, int64_t id,
                     const char *text, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	if (text)
		stmt_bind_text(st, 1, text);
	else
		stmt_bind_int(st, 1, id);
	jw_key(w, key);
	jw_array_begin(w);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		jw_object_begin(w);
		for (int c = 0; c < ncols; c++) {
			if (is_time[c] == 1 && !stmt_is_null(st, c))
				kstr_time(w, cols[c], stmt_int(st, c));
			else if (is_time[c] == 3) {
				jw_key(w, cols[c]);
				jw_double(w, stmt_double(st, c));
			} else if (is_time[c] == 2) { /* JSON as text: an object or a number */
				jw_key(w, cols[c]);
				jw_raw(w, stmt_text(st, c));
			} else
				jw_kstr(w, cols[c], stmt_text(st, c)); /* null stays null */
		}
		jw_object_end(w);
	}
	jw_array_end(w);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Feedback about you as your own reading of it shows it: peer, upward and
 * cross-functional only as groups at the framework's threshold. */
static int feedback_received_json(struct ctx *ctx, struct jw *w, int64_t pid, struct error *err)
{
	struct membership *cycles;
	size_t n = 0;
	int rc = member_cycles(ctx, pid, &cycles, &n, err);
	if (rc < 0)
		return rc;
	jw_key(w, "feedback_received");
	jw_array_begin(w);
	for (size_t c = 0; rc >= 0 && c < n; c++) {
		struct feedback_group *g = NULL;
		size_t ng = 0;
		rc = feedback_groups_tx(ctx, cycles[c].cycle_id, cycles[c].person_id, 0, &g, &ng,
		                        err);
		for (size_t i = 0; rc == 0 && i < ng; i++) {
			jw_object_begin(w);
			jw_kstr(w, "cycle", cycles[c].cycle);
			/* A merge can leave the human enrolled twice in one cycle, as
			 * their own record and a merged one that feedback was written
			 * about: each entry says which (found in review). */
			jw_kstr(w, "employee_id", cycles[c].employee_id);
			jw_kstr(w, "relation", fw_relation_name(g[i].relation));
			jw_key(w, "responses");
			if (g[i].responses < 0) /* withheld without a count */
				jw_null(w);
			else
				jw_int(w, g[i].responses);
			jw_kbool(w, "withheld", g[i].withheld);
			if (g[i].withheld)
				jw_kstr(w, "why", g[i].why);
			jw_key(w, "answers");
			jw_array_begin(w);
			for (size_t q = 0; q < g[i].nanswers; q++)
				for (size_t k = 0; k < g[i].answers[q].n; k++) {
					jw_object_begin(w);
					jw_kstr(w, "question", g[i].answers[q].text);
					jw_kstr(w, "answer", g[i].answers[q].answers[k]);
					jw_object_end(w);
				}
			for (size_t k = 0; k < g[i].ncomments; k++) {
				jw_object_begin(w);
				jw_kstr(w, "comment", g[i].comments[k]);
				jw_object_end(w);
			}
			jw_array_end(w);
			if (!g[i].withheld)
				jw_kstr(w, "texts_withheld", g[i].texts_withheld);
			jw_object_end(w);
		}
	}
	jw_array_end(w);
	return rc < 0 ? rc : 0;
}

/* An audit entry's detail as the person it is about may read it: the
 * counts of what legal holds kept of a consent withdrawal, and of an
 * account's held records resolved to them, go, as holds are left out of
 * what a person sees of themselves (found in the governance hunt: the
 * export told them of a hold on them).  The detail is valid JSON, as
 * audit_append wrote it. */
static const char *detail_for_subject(struct arena *a, const char *action, const char *detail)
{
	if (strcmp(action, "consent.withdraw") != 0 && strcmp(action, "consent.resolve-held") != 0)
		return detail;
	cJSON *d = cJSON_Parse(detail);
	if (!cJSON_IsObject(d)) {
		cJSON_Delete(d);
		return detail;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(d, "held_kept");
	cJSON_DeleteItemFromObjectCaseSensitive(d, "event_versions_held_kept");
	char *text = cJSON_PrintUnformatted(d);
	const char *out = text ? arena_strdup(a, text) : detail;
	cJSON_free(text);
	cJSON_Delete(d);
	return out;
}

static int export_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct export_args *ea = arg;
	sb_reset(ea->out); /* the body may run again */
	struct jw jw;
	struct jw *w = &jw;
	jw_init(w, ea->out, ea->pretty);
	struct me_report r;
	struct about_list about;
	int rc = report_tx(ctx, &r, &about, err);
	if (rc < 0)
		return rc;
	ctx_subject(ctx, "person", r.employee_id);
	int64_t pid = ctx->actor.person_id;
	jw_object_begin(w);
	jw_kstr(w, "format", "plumb subject access export v1");
	kstr_time(w, "exported_at", ts_clock_ms()); /* when, by the system clock */
	jw_key(w, "report");
	me_report_json(w, &r);
	static const char *const ev_cols[] = {"kind",           "source",   "external_id",
	                                      "occurred_at",    "ended_at", "status",
	                                      "environment",    "title",    "url",
	                                      "account_system", "account",  "account_email"};
	static const unsigned char ev_time[] = {0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0};
	rc = rows_json(
	        ctx, w, "events",
	        "SELECT e.kind, s.name, e.external_id, e.occurred_at, e.ended_at, e.status, "
	        "e.environment, e.title, e.url, e.account_system, e.account, e.account_email "
	        "FROM events e JOIN sources s ON s.id = e.source_id WHERE e.person_id = ? "
	        "ORDER BY e.occurred_at, e.id",
	        ev_cols, ev_time, 12, pid, NULL, err);
	/* Earlier versions of others' events (or nobody's) that still name
	 * them: a deployment they started and someone else finished (found
	 * hunting: the export left them out, though a withdrawal treats them as
	 * the person's data). */
	static const char *const v_cols[] = {
	        "kind",   "source",         "external_id", "version",       "occurred_at",
	        "status", "account_system", "account",     "account_email", "account_name"};
	static const unsigned char v_time[] = {0, 0, 0, 2, 1, 0, 0, 0, 0, 0};
	if (rc == 0)
		rc = rows_json(
		        ctx, w, "event_versions",
		        "SELECT e.kind, s.name, e.external_id, CAST(v.version AS TEXT), "
		        "v.occurred_at, v.status, v.account_system, v.account, v.account_email, "
		        "v.account_name FROM event_versions v JOIN events e ON e.id = v.event_id "
		        "JOIN sources s ON s.id = e.source_id WHERE v.person_id = ? AND "
		        "(e.person_id IS NULL OR e.person_id <> v.person_id) ORDER BY e.id, "
		        "v.version",
		        v_cols, v_time, 10, pid, NULL, err);
	static const char *const d_cols[] = {"attribute", "value", "updated_at"};
	static const unsigned char d_time[] = {0, 0, 1};
	if (rc == 0)
		rc = rows_json(ctx, w, "demographics",
		               "SELECT attribute, value, updated_at FROM person_demographics WHERE "
		               "person_id = ? ORDER BY attribute",
		               d_cols, d_time, 3, pid, NULL, err);
	static const char *const e_cols[] = {"cycle",        "version",    "source",    "reason",
	                                     "manager_case", "created_by", "created_at"};
	static const unsigned char e_time[] = {0, 2, 0, 0, 0, 0, 1};
	if (rc == 0)
		rc = rows_json(
		        ctx, w, "evaluations",
		        "SELECT c.name, CAST(e.version AS TEXT), e.source, e.reason, "
		        "e.manager_case, e.created_by, e.created_at FROM cycles c CROSS JOIN "
		        "evaluations e WHERE e.cycle_id = c.id AND e.person_id IN " ME_RECORDS
		        " AND c.phase IN ('delivery', 'closed') ORDER BY c.id, e.version",
		        e_cols, e_time, 7, pid, NULL, err);
	static const char *const r_cols[] = {"cycle", "version", "dimension", "rating",
	                                     "no_evidence_reason"};
	static const unsigned char r_time[] = {0, 2, 0, 3, 0}; /* numbers as JSON numbers */
	if (rc == 0)
		rc = rows_json(
		        ctx, w, "ratings",
		        "SELECT c.name, CAST(e.version AS TEXT), r.dimension, r.rating, "
		        "r.no_evidence_reason FROM cycles c CROSS JOIN evaluations e JOIN "
		        "evaluation_ratings r ON r.evaluation_id = e.id WHERE e.cycle_id = c.id "
		        "AND "
		        "e.person_id IN " ME_RECORDS " AND c.phase IN ('delivery', 'closed') "
		        "ORDER BY c.id, e.version, r.dimension",
		        r_cols, r_time, 5, pid, NULL, err);
	static const char *const x_cols[] = {"cycle", "version", "dimension",  "kind",
	                                     "ref",   "title",   "occurred_at"};
	static const unsigned char x_time[] = {0, 2, 0, 0, 0, 0, 1};
	if (rc == 0)
		rc = rows_json(
		        ctx, w, "evidence",
		        "SELECT c.name, CAST(e.version AS TEXT), x.dimension, x.kind, x.ref, "
		        "x.title, x.occurred_at FROM cycles c CROSS JOIN evaluations e JOIN "
		        "evaluation_evidence x ON x.evaluation_id = e.id WHERE e.cycle_id = c.id "
		        "AND "
		        "e.person_id IN " ME_RECORDS " AND c.phase IN ('delivery', 'closed') "
		        "ORDER BY c.id, e.version, x.id",
		        x_cols, x_time, 7, pid, NULL, err);
	/* Calibration of their ratings, once delivered, as their audit entries
	 * (calibrate.change, calibrate.mark) are given. */
	static const char *const cc_cols[] = {"cycle",  "session",  "dimension",  "from",      "to",
	                                      "reason", "evidence", "changed_by", "changed_at"};
	static const unsigned char cc_time[] = {0, 0, 0, 3, 3, 0, 2, 0, 1};
	if (rc == 0)
		rc = rows_json(
		        ctx, w, "calibration_changes",
		        "SELECT cy.name, s.name, c.dimension, c.from_rating, c.to_rating, "
		        "c.reason, c.evidence, c.changed_by, c.changed_at FROM "
		        "calibration_changes c JOIN calibration_sessions s ON s.id = "
		        "c.session_id JOIN cycles cy ON cy.id = s.cycle_id WHERE c.person_id "
		        "IN " ME_RECORDS " AND cy.phase IN ('delivery', 'closed') ORDER BY "
		        "cy.id, s.id, c.id",
		        cc_cols, cc_time, 9, pid, NULL, err);
	static const char *const cm_cols[] = {"cycle", "session", "marked_by",
	                                      "mark",  "comment", "marked_at"};
	static const unsigned char cm_time[] = {0, 0, 0, 0, 0, 1};
	/* A participant who also wrote anonymous feedback about the person in
	 * that cycle (a peer, upward or cross-functional reviewer): their
	 * comment, in their words beside their name, could tell which response
	 * was theirs; null (found in review). */
	if (rc == 0)
		rc = rows_json(
		        ctx, w, "calibration_marks",
		        "SELECT cy.name, s.name, u.name, m.mark, CASE WHEN EXISTS (SELECT 1 FROM "
		        "review_assignments ra WHERE ra.cycle_id = s.cycle_id AND ra.reviewee_id "
		        "IN " ME_RECORDS " AND ra.reviewer_id = u.person_id AND ra.relation IN "
		        "('peer', 'upward', 'cross_functional')) THEN NULL ELSE m.comment END, "
		        "m.marked_at FROM "
		        "calibration_marks m JOIN users u ON u.id = m.user_id JOIN "
		        "calibration_sessions s ON s.id = m.session_id JOIN cycles cy ON "
		        "cy.id = s.cycle_id WHERE m.person_id IN " ME_RECORDS
		        " AND cy.phase IN ('delivery', 'closed') ORDER BY cy.id, s.id, m.user_id",
		        cm_cols, cm_time, 6, pid, NULL, err);
	/* The manager's written feedback, once delivered, as feedback show gives it,
	 * with the record it is about: after a merge the manager may have written
	 * about both records in one cycle (found in review). */
	static const char *const m_cols[] = {"cycle", "employee_id", "version", "body", "saved_at"};
	static const unsigned char m_time[] = {0, 0, 2, 2, 1};
	if (rc == 0)
		rc = rows_json(
		        ctx, w, "manager_feedback",
		        "SELECT c.name, p.employee_id, CAST(f.version AS TEXT), f.body, "
		        "f.created_at FROM cycles c CROSS JOIN review_assignments a JOIN "
		        "feedback_responses f ON f.assignment_id = a.id JOIN people p ON p.id = "
		        "a.reviewee_id WHERE a.cycle_id = c.id AND "
		        "a.reviewee_id IN " ME_RECORDS " AND a.relation = 'manager' AND f.status = "
		        "'submitted' AND c.phase IN ('delivery', 'closed') ORDER BY c.id, f.id",
		        m_cols, m_time, 5, pid, NULL, err);
	/* Evaluations come once delivered, as plumb evaluation history gives them.
	 * What you wrote is yours; whom a peer response was about is left out. */
	/* covered: a self review kept as history, another record's standing for
	 * the human's (FEEDBACK_SELF_COVERED), as cycle assignments says (found
	 * hunting merges: the two read as two self reviews of the cycle). */
	static const char *const f_cols[] = {"cycle", "relation", "version", "status",
	                                     "body",  "saved_at", "covered"};
	static const unsigned char f_time[] = {0, 0, 2, 0, 2, 1, 2};
	if (rc == 0)
		rc = rows_json(
		        ctx, w, "feedback_written",
		        "SELECT c.name, a.relation, CAST(f.version AS TEXT), f.status, f.body, "
		        "f.created_at, CASE WHEN a.status = 'active' AND " FEEDBACK_SELF_COVERED(
		                "a") " THEN 'true' ELSE 'false' END FROM cycles c CROSS JOIN "
		                     "review_assignments a JOIN feedback_responses f ON "
		                     "f.assignment_id = a.id WHERE a.cycle_id = c.id AND "
		                     "a.reviewer_id IN " ME_RECORDS " ORDER BY c.id, f.id",
		        f_cols, f_time, 7, pid, NULL, err);
	if (rc == 0)
		rc = feedback_received_json(ctx, w, pid, err);
	if (rc == 0) {
		jw_key(w, "audit_entries");
		jw_array_begin(w);
		for (size_t i = 0; i < about.n; i++) {
			const struct about_entry *e = &about.v[i];
			jw_object_begin(w);
			jw_kstr(w, "seq", arena_printf(ctx->arena, "%" PRId64, e->seq));
			kstr_time(w, "at", e->at);
			jw_kstr(w, "actor", e->actor);
			jw_kstr(w, "action", e->action);
			jw_key(w, "detail");
			if (e->detail)
				jw_raw(w, detail_for_subject(ctx->arena, e->action, e->detail));
			else
				jw_null(w);
			jw_object_end(w);
		}
		jw_array_end(w);
	}
	jw_object_end(w);
	return rc;
}

int me_export(struct ctx *ctx, struct sb *out, bool pretty, struct error *err)
{
	struct export_args a = {out, pretty};
	return ctx_run(ctx, OP_ME_EXPORT, export_body, &a, err);
}
