/*
 * retention: the table of data categories (each a planner's SQL and an
 * applier), planning and applying the policy's retention rules in batches.
 * A category's rows SQL selects what is past its line's cutoff and not yet
 * done, as (id, person_id); holds, counts, batches and the applier's sets
 * are built around it, so a plan and its apply count the same rows.
 */
#include "core/retention.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <string.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/holds.h"
#include "core/mask.h"
#include "core/policy.h"
#include "store/store.h"

#define DAY_MS INT64_C(86400000)

struct category_def;

/* What every line of one plan or batch shares. */
struct run {
	struct ctx *ctx;
	int64_t as_of;
	const struct policy *pol; /* NULL: no policy imported, nothing expires */
	const char **countries;   /* every country people are employed in */
	size_t ncountries;
	bool events_held; /* a category hold on events: none is deleted */
	/* The active category holds on ratings, which keep the evaluation
	 * versions holding ratings from a delete (held_elsewhere). */
	int64_t *ratings_holds;
	size_t nratings_holds;
	/* The active category holds on metric_values, and whether any person
	 * is held: held values keep the events their lineage names
	 * (HOLDS_VALUE_HELD). */
	int64_t *metric_holds;
	size_t nmetric_holds;
	bool person_held;
	/* Rows the last apply took beyond its batch's ids, and their lowest and
	 * highest id: the other responses of the feedback groups it deleted
	 * (feedback_apply). */
	int64_t applied_beyond, beyond_lo, beyond_hi;
};

struct line_spec {
	const struct category_def *def;
	const char *country; /* "" for the company rule */
	struct policy_retention rule;
	int64_t cutoff; /* when rule.days > 0 (0 is the epoch, not "without limit") */
};

struct category_def {
	enum policy_category category;
	/* The rows past the line's cutoff still to do, as "SELECT id,
	 * person_id" with parameters ?1..?N (*nparams). */
	const char *(*rows)(const struct run *run, const struct line_spec *l, int *nparams);
	/* Review data: its rows past the cutoff of cycles closed (open false:
	 * what rows gives, review_rows) or not closed yet (left for later), as
	 * rows with the same parameters; NULL for other categories. */
	const char *(*review)(const struct run *run, const struct line_spec *l, bool open);
	void (*bind)(struct store_stmt *st, const struct run *run, const struct line_spec *l);
	/* The rows past the cutoff including those kept for other reasons
	 * than holds (raw payloads still referred to); NULL: the same as rows. */
	const char *past_sql;
	/* Do it to one batch: set_sql selects the batch's ids, with the rows'
	 * parameters and then lo and hi; ids are the same, in order. */
	int (*apply)(struct run *run, const struct line_spec *l, const char *set_sql, int64_t lo,
	             int64_t hi, const int64_t *ids, size_t n, struct error *err);
	const char *effect[2]; /* for delete, anonymize */
};

static const char *action_name(const struct line_spec *l)
{
	if (l->def->category == POLICY_CAT_AUDIT_LOG)
		return "redact";
	if (l->def->category == POLICY_CAT_RAW_PAYLOADS)
		return "empty";
	if (l->def->category == POLICY_CAT_RATINGS)
		return "delete"; /* a rating means nothing without its person */
	return l->rule.action == POLICY_RETAIN_ANONYMIZE ? "anonymize" : "delete";
}

/* ?1 the cutoff; by country, ?2 whether the line is a country's and ?3 which. */
static void bind_common(struct store_stmt *st, const struct run *run, const struct line_spec *l)
{
	(void)run;
	stmt_bind_int(st, 1, l->cutoff);
	if (policy_category_by_country(l->def->category)) {
		stmt_bind_int(st, 2, l->country[0] != '\0');
		stmt_bind_text(st, 3, l->country);
	}
}

/* Run SQL with the rows' parameters, then extra ints; no result. */
static int exec_set(struct run *run, const struct line_spec *l, const char *sql, int nparams,
                    int64_t lo, int64_t hi, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(run->ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	l->def->bind(st, run, l);
	stmt_bind_int(st, nparams + 1, lo);
	stmt_bind_int(st, nparams + 2, hi);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- events ---- */

#define EVENTS_ROWS                                                                                \
	"SELECT e.id AS id, e.person_id AS person_id FROM events e "                               \
	"LEFT JOIN people p ON p.id = e.person_id WHERE e.occurred_at < ?1 AND "                   \
	"((?2 = 0 AND e.person_id IS NULL) OR (?2 = 1 AND p.country = ?3))"
/* An anonymized event names no one: it is not due again.  Its attrs name
 * people while they hold a key mask_attrs_strip_people removes (written
 * without spaces, by jw and cJSON; a quote inside a string is escaped, so
 * the patterns match keys only). */
#define EVENTS_NAMING                                                                              \
	" AND (e.person_id IS NOT NULL OR e.account IS NOT NULL OR e.account_email IS NOT NULL "   \
	"OR e.account_name IS NOT NULL OR e.attrs LIKE '%\"reporter\":%' OR e.attrs LIKE "         \
	"'%\"by\":%' OR e.attrs LIKE '%\"commit_authors\":%')"
/* Nor does a later line delete it: anonymizing took the person out of
 * their country's line, and the company rule's line (events without a
 * person) must not delete what the country's rule kept anonymized. */
#define EVENTS_NOT_ANONYMIZED " AND e.anonymized_at IS NULL"
static const char *events_rows(const struct run *run, const struct line_spec *l, int *nparams)
{
	(void)run;
	*nparams = 3;
	return l->rule.action == POLICY_RETAIN_ANONYMIZE ? EVENTS_ROWS EVENTS_NAMING
	                                                 : EVENTS_ROWS EVENTS_NOT_ANONYMIZED;
}

/* Remember the latest cutoff events were deleted under, in meta
 * (RETENTION_META_EVENTS_CUTOFF): reconcile expects records of raw payloads
 * older than it to be missing from events. */
static int note_events_cutoff(struct run *run, int64_t cutoff, struct error *err)
{
	int64_t current = 0;
	bool found = false;
	int rc = store_query_int(run->ctx->store,
	                         "SELECT CAST(value AS BIGINT) FROM meta WHERE key = "
	                         "'" RETENTION_META_EVENTS_CUTOFF "'",
	                         &current, &found, err);
	if (rc < 0 || (found && current >= cutoff))
		return rc;
	struct store_stmt *st;
	if ((rc = store_prepare(
	             run->ctx->store,
	             "INSERT INTO meta(key, value) VALUES ('" RETENTION_META_EVENTS_CUTOFF
	             "', ?1) ON CONFLICT (key) DO UPDATE SET value = ?1",
	             &st, err)) < 0)
		return rc;
	char text[24];
	snprintf(text, sizeof text, "%" PRId64, cutoff);
	stmt_bind_text(st, 1, text);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Rewrite the attrs of table's rows whose column (event id) is id without
 * the keys that name people (mask_attrs_strip_people): SQL cannot edit the
 * JSON the same way on both engines, and metrics still read the rest (a
 * Jira issue's transitions, a commit's parents). */
static int strip_attrs(struct ctx *ctx, const char *select_sql, const char *update_sql, int64_t id,
                       struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, select_sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, id);
	int64_t *keys = NULL;
	const char **attrs = NULL;
	size_t n = 0, alloc = 0, alloc2 = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		const char *text = stmt_text(st, 1);
		const char *stripped = mask_attrs_strip_people(ctx->arena, text);
		if (stripped == text)
			continue; /* names no one (or NULL) */
		keys = arena_grow(ctx->arena, keys, n, &alloc, sizeof *keys);
		attrs = arena_grow(ctx->arena, attrs, n, &alloc2, sizeof *attrs);
		keys[n] = stmt_int(st, 0);
		attrs[n++] = stripped;
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (n && (rc = store_prepare(ctx->store, update_sql, &st, err)) < 0)
		return rc;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		stmt_bind_int(st, 1, id);
		stmt_bind_int(st, 2, keys[i]);
		stmt_bind_text(st, 3, attrs[i]);
		rc = stmt_step(st, err);
		stmt_reset(st);
	}
	return rc < 0 ? rc : 0;
}

static int events_apply(struct run *run, const struct line_spec *l, const char *set_sql, int64_t lo,
                        int64_t hi, const int64_t *ids, size_t n, struct error *err)
{
	static const char *const deletes[] = {
	        "DELETE FROM metric_lineage WHERE event_id IN (",
	        "DELETE FROM deploy_changes WHERE event_id IN (",
	        "DELETE FROM event_versions WHERE event_id IN (",
	        "DELETE FROM events WHERE id IN (",
	};
	/* Versions first: the set is read from events, which the last one changes. */
	/* A branch name often carries its author's login (alice/fix-login):
	 * gone too, but for a deployment's, which says what was deployed (a
	 * hotfix) and is a release's name more than a person's. */
	static const char *const anonymizes[] = {
	        "UPDATE event_versions SET person_id = NULL, account = NULL, account_email = NULL, "
	        "account_name = NULL, ref = CASE WHEN (SELECT k.kind FROM events k WHERE k.id = "
	        "event_versions.event_id) = 'deployment' THEN ref END WHERE event_id IN (",
	        "UPDATE events SET person_id = NULL, account = NULL, account_email = NULL, "
	        "account_name = NULL, ref = CASE WHEN kind = 'deployment' THEN ref END, "
	        "anonymized_at = COALESCE(anonymized_at, ",
	};
	bool anonymize = l->rule.action == POLICY_RETAIN_ANONYMIZE;
	if (!anonymize) {
		int rc = note_events_cutoff(run, l->cutoff, err);
		if (rc < 0)
			return rc;
	}
	/* An anonymized event's attributes name no one either. */
	for (size_t i = 0; anonymize && i < n; i++) {
		int rc = strip_attrs(
		        run->ctx, "SELECT version, attrs FROM event_versions WHERE event_id = ?1",
		        "UPDATE event_versions SET attrs = ?3 WHERE event_id = ?1 AND "
		        "version = ?2",
		        ids[i], err);
		if (rc == 0)
			rc = strip_attrs(run->ctx, "SELECT id, attrs FROM events WHERE id = ?1",
			                 "UPDATE events SET attrs = ?3 WHERE id = ?1 AND id = ?2",
			                 ids[i], err);
		if (rc < 0)
			return rc;
	}
	const char *const *sqls = anonymize ? anonymizes : deletes;
	size_t nsql = anonymize ? 2 : 4;
	for (size_t i = 0; i < nsql; i++) {
		/* The time anonymized, in the events update (a number, not input). */
		const char *head =
		        anonymize && i == 1
		                ? arena_printf(run->ctx->arena, "%s%" PRId64 ") WHERE id IN (",
		                               sqls[i], ts_clock_ms())
		                : sqls[i];
		int rc = exec_set(run, l, arena_printf(run->ctx->arena, "%s%s)", head, set_sql), 3,
		                  lo, hi, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- metric values ---- */

/* A value an evaluation cites as evidence is part of that evaluation, which
 * the evaluations rule governs: not due while a version cites it (found
 * hunting: deleting it left the evidence naming a value that was gone, and
 * the person's promotion packet failed on it).  Not correlated, so read
 * once: evaluation_evidence has no index on the value. */
#define METRIC_ROWS                                                                                \
	"SELECT v.id AS id, p.id AS person_id FROM metric_values v "                               \
	"LEFT JOIN people p ON v.scope = 'individual' AND p.id = v.scope_id WHERE v.period_end < " \
	"?1 "                                                                                      \
	"AND ((?2 = 0 AND v.scope <> 'individual') OR (?2 = 1 AND v.scope = 'individual' AND "     \
	"p.country = ?3)) AND v.id NOT IN (SELECT x.metric_value_id FROM evaluation_evidence x "   \
	"WHERE x.metric_value_id IS NOT NULL)"

/* Anonymizing a value about one person leaves nothing to keep: individual
 * values are deleted; team, service and org values name no one. */
static const char *metric_rows(const struct run *run, const struct line_spec *l, int *nparams)
{
	(void)run;
	*nparams = 3;
	return l->rule.action == POLICY_RETAIN_ANONYMIZE ? METRIC_ROWS " AND v.scope = 'individual'"
	                                                 : METRIC_ROWS;
}

static int metric_apply(struct run *run, const struct line_spec *l, const char *set_sql, int64_t lo,
                        int64_t hi, const int64_t *ids, size_t n, struct error *err)
{
	(void)ids;
	(void)n;
	int rc =
	        exec_set(run, l,
	                 arena_printf(run->ctx->arena,
	                              "DELETE FROM metric_lineage WHERE value_id IN (%s)", set_sql),
	                 3, lo, hi, err);
	if (rc == 0)
		rc = exec_set(run, l,
		              arena_printf(run->ctx->arena,
		                           "DELETE FROM metric_values WHERE id IN (%s)", set_sql),
		              3, lo, hi, err);
	return rc;
}

/* ---- raw payloads ---- */

/* A raw payload past its cutoff is emptied only when no event that keeps its
 * person refers to it: one its own line neither deletes nor anonymizes (kept
 * without limit, newer than its cutoff, or held).  An anonymized event's
 * payload would name whom the event no longer does (found in review: kept
 * without end).  The parameters after ?1 are, per event line, the cutoff
 * below which that line deletes or anonymizes (INT64_MIN when it does
 * neither). */
static const char *raw_rows(const struct run *run, const struct line_spec *l, int *nparams)
{
	(void)l;
	struct sb sql = SB_INIT;
	sb_puts(&sql, "SELECT r.id AS id, CAST(NULL AS BIGINT) AS person_id FROM raw_payloads r "
	              "WHERE r.fetched_at < ?1 AND r.encoding <> 'deleted' AND NOT EXISTS ("
	              "SELECT 1 FROM events e LEFT JOIN people p ON p.id = e.person_id "
	              "WHERE e.raw_id = r.id AND e.anonymized_at IS NULL AND (e.occurred_at >= "
	              "CASE WHEN e.person_id IS NULL "
	              "THEN CAST(?2 AS BIGINT)");
	int k = 3;
	for (size_t i = 0; i < run->ncountries; i++, k += 2)
		sb_printf(&sql, " WHEN p.country = ?%d THEN CAST(?%d AS BIGINT)", k, k + 1);
	sb_printf(&sql, " ELSE CAST(?%d AS BIGINT) END OR " HOLDS_PERSON_HELD("e.person_id"), k);
	if (run->nmetric_holds > 0 || run->person_held)
		sb_puts(&sql, " OR " HOLDS_VALUE_HELD("e.id"));
	sb_puts(&sql, "))");
	*nparams = k;
	char *text = arena_strdup(run->ctx->arena, sql.buf);
	sb_release(&sql);
	return text;
}

/* The cutoff below which the events line of country deletes or anonymizes. */
static int64_t events_person_cutoff(const struct run *run, const char *country, bool events_held)
{
	if (!run->pol || events_held)
		return INT64_MIN;
	struct policy_retention r = policy_retention_for(run->pol, POLICY_CAT_EVENTS, country);
	if (r.days <= 0)
		return INT64_MIN;
	return run->as_of - r.days * DAY_MS;
}

static void raw_bind(struct store_stmt *st, const struct run *run, const struct line_spec *l)
{
	stmt_bind_int(st, 1, l->cutoff);
	stmt_bind_int(st, 2, events_person_cutoff(run, "", run->events_held));
	int k = 3;
	for (size_t i = 0; i < run->ncountries; i++, k += 2) {
		stmt_bind_text(st, k, run->countries[i]);
		stmt_bind_int(st, k + 1,
		              events_person_cutoff(run, run->countries[i], run->events_held));
	}
	stmt_bind_int(st, k, INT64_MIN);
}

static int raw_apply(struct run *run, const struct line_spec *l, const char *set_sql, int64_t lo,
                     int64_t hi, const int64_t *ids, size_t n, struct error *err)
{
	(void)ids;
	(void)n;
	int nparams;
	raw_rows(run, l, &nparams);
	return exec_set(run, l,
	                arena_printf(run->ctx->arena,
	                             "UPDATE raw_payloads SET body = '', encoding = 'deleted' "
	                             "WHERE id IN (%s)",
	                             set_sql),
	                nparams, lo, hi, err);
}

/* ---- review data: feedback text, ratings, evaluations ----
 * Each is about the reviewee, whose country's rule applies; none exists
 * without a person, so only country lines select rows. */

/* The person a row is held for: the first of people (an SQL list) under a
 * hold in force, else otherwise.  Review data is held for its writer too, as
 * it is for its subject: a hold on a manager keeps the cases they wrote, one
 * on a peer the feedback they gave (found hunting: a hold kept only what was
 * written about the person).  A hold names one record of a human, and covers
 * the others person merge made one with it (HOLDS_RECORDS_OF): the human it
 * names (ORG_HUMAN) is one of people, or one of them went into it. */
#define HELD_HUMAN ORG_HUMAN("h.person_id")
#define HELD_AMONG(people, otherwise)                                                              \
	"COALESCE((SELECT h.person_id FROM legal_holds h WHERE h.released_at IS NULL AND "         \
	"(" HELD_HUMAN " IN (" people ") OR " HELD_HUMAN " IN (SELECT m.into_person_id FROM "      \
	"person_merges m WHERE m.from_person_id IN (" people                                       \
	"))) ORDER BY h.id LIMIT 1), " otherwise ")"

#define FEEDBACK_HELD_FOR HELD_AMONG("a.reviewee_id, a.reviewer_id", "a.reviewee_id")
#define FEEDBACK_ROWS                                                                              \
	"SELECT f.id AS id, " FEEDBACK_HELD_FOR " AS person_id FROM feedback_responses f JOIN "    \
	"review_assignments a ON a.id = f.assignment_id JOIN people p ON p.id = a.reviewee_id "    \
	"WHERE f.created_at < ?1 AND ?2 = 1 AND p.country = ?3"

/* Deleted, a peer, upward or cross-functional group goes whole once its
 * first response is due, and a hold on its reviewee or any of its writers
 * keeps it whole: deleted one by one, by when each was saved, the group read
 * before and after told the rating of the one that went (found hunting:
 * four peers at 2, 4, 4, 4 read 3.50, then 4.00 over three).  Self and
 * manager feedback are nobody else's and go one by one. */
static const char feedback_group_rows[] =
        "SELECT f.id AS id, COALESCE((SELECT h.person_id FROM legal_holds h WHERE "
        "h.released_at IS NULL AND (" HELD_HUMAN " IN (a.reviewee_id, a.reviewer_id) OR "
        "(a.relation IN ('peer', 'upward', 'cross_functional') AND " HELD_HUMAN " IN (SELECT "
        "g.reviewer_id FROM review_assignments g WHERE g.cycle_id = a.cycle_id AND "
        "g.reviewee_id = a.reviewee_id AND g.relation = a.relation)) OR " HELD_HUMAN " IN "
        "(SELECT m.into_person_id FROM person_merges m WHERE m.from_person_id IN "
        "(a.reviewee_id, a.reviewer_id) OR (a.relation IN ('peer', 'upward', "
        "'cross_functional') AND m.from_person_id IN (SELECT g.reviewer_id FROM "
        "review_assignments g WHERE g.cycle_id = a.cycle_id AND g.reviewee_id = "
        "a.reviewee_id AND g.relation = a.relation)))) ORDER BY h.id LIMIT 1), "
        "a.reviewee_id) AS person_id FROM feedback_responses f JOIN review_assignments a ON "
        "a.id = f.assignment_id JOIN people p ON p.id = a.reviewee_id WHERE ?2 = 1 AND "
        "p.country = ?3 AND (f.created_at < ?1 OR (a.relation IN ('peer', 'upward', "
        "'cross_functional') AND EXISTS (SELECT 1 FROM review_assignments g JOIN "
        "feedback_responses gf ON gf.assignment_id = g.id WHERE g.cycle_id = a.cycle_id AND "
        "g.reviewee_id = a.reviewee_id AND g.relation = a.relation AND gf.created_at < ?1)))";

/* A review cycle uses its review data until it closes: deleted, a
 * submitted response or manager's review counted as not done, and plumb
 * notify reminded its writer as overdue; anonymized, a manager still
 * writing the review lost the words they read, and calibration the case it
 * weighs.  So a cycle's review data waits for its close, and the plan
 * counts it as deferred. */
#define CYCLE_OPEN(cycle)                                                                          \
	"EXISTS (SELECT 1 FROM cycles oc WHERE oc.id = " cycle " AND oc.phase <> 'closed')"

/* An anonymized response keeps its ratings and loses its words.  open:
 * the rows of cycles not closed yet, instead of those of closed ones. */
static const char *feedback_sql(const struct run *run, const struct line_spec *l, bool open)
{
	return arena_printf(run->ctx->arena, "%s AND %s" CYCLE_OPEN("a.cycle_id"),
	                    l->rule.action == POLICY_RETAIN_ANONYMIZE ? FEEDBACK_ROWS
	                            " AND " RETENTION_FEEDBACK_NAMING
	                                                              : feedback_group_rows,
	                    open ? "" : "NOT ");
}

static int feedback_anonymize_one(struct ctx *ctx, int64_t id, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT body FROM feedback_responses WHERE id = ?1", &st,
	                       err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, id);
	rc = stmt_step(st, err);
	cJSON *body = rc == STORE_ROW ? cJSON_Parse(stmt_text(st, 0)) : NULL;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	struct sb out = SB_INIT;
	sb_puts(&out, RETENTION_FEEDBACK_ANONYMIZED_PREFIX);
	cJSON *ratings = cJSON_GetObjectItemCaseSensitive(body, "ratings");
	char *text = cJSON_IsObject(ratings) ? cJSON_PrintUnformatted(ratings) : NULL;
	if (text)
		sb_printf(&out, ",\"ratings\":%s", text);
	sb_putc(&out, '}');
	cJSON_free(text);
	cJSON_Delete(body);
	rc = store_prepare(ctx->store, "UPDATE feedback_responses SET body = ?2 WHERE id = ?1", &st,
	                   err);
	if (rc == 0) {
		stmt_bind_int(st, 1, id);
		stmt_bind_text(st, 2, out.buf);
		rc = stmt_step(st, err);
		stmt_reset(st);
	}
	sb_release(&out);
	return rc < 0 ? rc : 0;
}

static int feedback_apply(struct run *run, const struct line_spec *l, const char *set_sql,
                          int64_t lo, int64_t hi, const int64_t *ids, size_t n, struct error *err)
{
	if (l->rule.action == POLICY_RETAIN_ANONYMIZE) {
		for (size_t i = 0; i < n; i++) {
			int rc = feedback_anonymize_one(run->ctx, ids[i], err);
			if (rc < 0)
				return rc;
		}
		return 0;
	}
	/* A batch ends at a row count, not at a group's end, and once a group's
	 * first response is gone the rest no longer qualify: the batch takes
	 * its groups' other responses with it (found in review: at --batch 1 a
	 * group went one by one again). */
	const char *mates = arena_printf(
	        run->ctx->arena,
	        "SELECT g.id FROM review_assignments g JOIN review_assignments a ON g.cycle_id = "
	        "a.cycle_id AND g.reviewee_id = a.reviewee_id AND g.relation = a.relation JOIN "
	        "feedback_responses f ON f.assignment_id = a.id WHERE a.relation IN ('peer', "
	        "'upward', 'cross_functional') AND f.id IN (%s)",
	        set_sql);
	struct store_stmt *st;
	int rc = store_prepare(run->ctx->store,
	                       arena_printf(run->ctx->arena,
	                                    "SELECT COUNT(*), MIN(id), MAX(id) FROM "
	                                    "feedback_responses WHERE id NOT "
	                                    "IN (%s) AND assignment_id IN (%s)",
	                                    set_sql, mates),
	                       &st, err);
	if (rc < 0)
		return rc;
	l->def->bind(st, run, l);
	stmt_bind_int(st, 4, lo);
	stmt_bind_int(st, 5, hi);
	rc = stmt_step(st, err);
	run->applied_beyond = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	if (run->applied_beyond) {
		run->beyond_lo = stmt_int(st, 1);
		run->beyond_hi = stmt_int(st, 2);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	return exec_set(run, l,
	                arena_printf(run->ctx->arena,
	                             "DELETE FROM feedback_responses WHERE id IN (%s) OR "
	                             "assignment_id IN (%s)",
	                             set_sql, mates),
	                3, lo, hi, err);
}

#define EVALUATION_HELD_FOR                                                                        \
	HELD_AMONG("e.person_id, (SELECT u.person_id FROM users u WHERE u.name = e.created_by)",   \
	           "e.person_id")
#define EVALUATION_ROWS                                                                            \
	"SELECT e.id AS id, " EVALUATION_HELD_FOR " AS person_id FROM evaluations e JOIN people "  \
	"p ON p.id = e.person_id WHERE e.created_at < ?1 AND ?2 = 1 AND p.country = ?3"

/* Ratings about one person mean nothing without them: both actions delete.
 * open: the rows of cycles not closed yet, instead of those of closed ones. */
static const char *ratings_sql(const struct run *run, const struct line_spec *l, bool open)
{
	(void)l;
	return arena_printf(run->ctx->arena,
	                    EVALUATION_ROWS
	                    " AND EXISTS (SELECT 1 FROM evaluation_ratings r WHERE "
	                    "r.evaluation_id = e.id) AND %s" CYCLE_OPEN("e.cycle_id"),
	                    open ? "" : "NOT ");
}

static int ratings_apply(struct run *run, const struct line_spec *l, const char *set_sql,
                         int64_t lo, int64_t hi, const int64_t *ids, size_t n, struct error *err)
{
	(void)ids;
	(void)n;
	return exec_set(run, l,
	                arena_printf(run->ctx->arena,
	                             "DELETE FROM evaluation_ratings WHERE evaluation_id IN (%s)",
	                             set_sql),
	                3, lo, hi, err);
}

/* An anonymized evaluation keeps its version, dates and ratings (their own
 * category) and loses the manager's words and the evidence. */
static const char *evaluations_sql(const struct run *run, const struct line_spec *l, bool open)
{
	return arena_printf(run->ctx->arena, "%s AND %s" CYCLE_OPEN("e.cycle_id"),
	                    l->rule.action == POLICY_RETAIN_ANONYMIZE ? EVALUATION_ROWS
	                            " AND " RETENTION_EVALUATION_NAMING
	                                                              : EVALUATION_ROWS,
	                    open ? "" : "NOT ");
}

static int evaluations_apply(struct run *run, const struct line_spec *l, const char *set_sql,
                             int64_t lo, int64_t hi, const int64_t *ids, size_t n,
                             struct error *err)
{
	(void)ids;
	(void)n;
	static const char *const deletes[] = {
	        "DELETE FROM evaluation_evidence WHERE evaluation_id IN (",
	        "DELETE FROM evaluation_ratings WHERE evaluation_id IN (",
	        "DELETE FROM evaluations WHERE id IN (",
	};
	static const char *const anonymizes[] = {
	        "DELETE FROM evaluation_evidence WHERE evaluation_id IN (",
	        "UPDATE evaluations SET manager_case = '', reason = '' WHERE id IN (",
	};
	bool anonymize = l->rule.action == POLICY_RETAIN_ANONYMIZE;
	const char *const *sqls = anonymize ? anonymizes : deletes;
	size_t nsql = anonymize ? 2 : 3;
	for (size_t i = 0; i < nsql; i++) {
		int rc = exec_set(run, l, arena_printf(run->ctx->arena, "%s%s)", sqls[i], set_sql),
		                  3, lo, hi, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- calibration marks and changes ----
 * A calibration session's marks (a participant's agree or question, with a
 * comment) and changes (a rating from and to, the reason and the evidence)
 * about a person are part of that person's evaluation in the session's
 * cycle: the evaluations rule takes them (delete: the rows; anonymize: the
 * comment, the reason and the evidence), and the ratings rule the changes,
 * which hold ratings (found in the governance hunt: they belonged to no
 * category, and outlived the evaluations and ratings the rules took).  They
 * are due once the oldest evaluation version of their cycle and person is
 * (with it, as a change's from rating is that version's), or by their own
 * time when none is left; like the rest of review data, once the cycle has
 * closed.  A hold on the person or on the participant who wrote one keeps
 * it.  They have no id of their own to count a line's rows by (a mark's key
 * is its session, person and participant), so a line counts them apart and
 * does them before its evaluation versions, in batches of their own. */
/* clang-format off */
#define CALIBRATION_PAST(row, own_time)                                                            \
	" JOIN calibration_sessions s ON s.id = " row ".session_id JOIN people p ON p.id = " row   \
	".person_id WHERE ?2 = 1 AND p.country = ?3 AND NOT " CYCLE_OPEN("s.cycle_id")           \
	" AND COALESCE((SELECT MIN(ce.created_at) FROM evaluations ce WHERE ce.cycle_id = "       \
	"s.cycle_id AND ce.person_id = " row ".person_id), " own_time ") < ?1"
/* clang-format on */
#define CHANGE_HELD                                                                                \
	"(" HOLDS_PERSON_HELD("c.person_id") " OR " HOLDS_PERSON_HELD(                             \
	        "(SELECT u.person_id FROM users u WHERE u.name = c.changed_by)") ")"
#define MARK_HELD                                                                                  \
	"(" HOLDS_PERSON_HELD("m.person_id") " OR " HOLDS_PERSON_HELD(                             \
	        "(SELECT u.person_id FROM users u WHERE u.id = m.user_id)") ")"

static bool takes_calibration(const struct line_spec *l)
{
	return l->rule.days > 0 && (l->def->category == POLICY_CAT_RATINGS ||
	                            l->def->category == POLICY_CAT_EVALUATIONS);
}

/* The evaluations rule anonymizes; the ratings rule always deletes. */
static bool calibration_anonymized(const struct line_spec *l)
{
	return l->def->category == POLICY_CAT_EVALUATIONS &&
	       l->rule.action == POLICY_RETAIN_ANONYMIZE;
}

/* The line's calibration changes past its cutoff still to do, as (id,
 * held), with the rows' parameters.  A delete of the evaluations under a
 * hold on ratings keeps them all: they hold ratings. */
static const char *changes_sql(const struct run *run, const struct line_spec *l)
{
	bool anonymize = calibration_anonymized(l);
	bool ratings_held =
	        l->def->category == POLICY_CAT_EVALUATIONS && !anonymize && run->nratings_holds > 0;
	return arena_printf(run->ctx->arena,
	                    "SELECT c.id AS id, CASE WHEN %s THEN 1 ELSE 0 END AS held FROM "
	                    "calibration_changes c" CALIBRATION_PAST("c", "c.changed_at") "%s",
	                    ratings_held ? "1 = 1" : CHANGE_HELD,
	                    anonymize ? " AND (c.reason <> '' OR c.evidence <> '[]')" : "");
}

/* The same for its marks, as (session_id, person_id, user_id, held); NULL
 * for the ratings line, as a mark holds no rating. */
static const char *marks_sql(const struct run *run, const struct line_spec *l)
{
	if (l->def->category != POLICY_CAT_EVALUATIONS)
		return NULL;
	return arena_printf(
	        run->ctx->arena,
	        "SELECT m.session_id AS session_id, m.person_id AS person_id, "
	        "m.user_id AS user_id, CASE WHEN " MARK_HELD " THEN 1 ELSE 0 END AS "
	        "held FROM calibration_marks m" CALIBRATION_PAST("m", "m.marked_at") "%s",
	        calibration_anonymized(l) ? " AND m.comment <> ''" : "");
}

/* ---- calibration overrides ----
 * A session's departures from its distribution guidance keep the reason
 * its facilitator gave for closing outside it (calibration_overrides), free
 * text about the session's people.  It is evaluation data, so the
 * evaluations rule takes it (delete: the rows; anonymize: the reason), and,
 * as a session's people may be employed in several countries, by the
 * company rule, as the audit log's close entry that carries the same reason
 * is (found in the governance hunt: it belonged to no category).  Due by
 * when it was recorded, once the session's cycle has closed; a hold on any
 * of the session's people or on the user who closed it keeps it. */
#define OVERRIDE_HELD                                                                                   \
	"(" HOLDS_PERSON_HELD(                                                                          \
	        "(SELECT u.person_id FROM users u WHERE u.name = o.created_by)") " OR EXISTS "          \
	                                                                         "(SELECT 1 FROM "      \
	                                                                         "calibration_"         \
	                                                                         "members cm "          \
	                                                                         "WHERE "               \
	                                                                         "cm.session_id "       \
	                                                                         "= o.session_id "      \
	                                                                         "AND"                  \
	                                                                         " " HOLDS_PERSON_HELD( \
	                                                                                 "cm."          \
	                                                                                 "person_"      \
	                                                                                 "id") ")"      \
	                                                                                       ")"

/* The line's overrides past its cutoff still to do, as (id, held), with
 * the rows' parameters; NULL but for the evaluations rule's company line. */
static const char *overrides_sql(const struct run *run, const struct line_spec *l)
{
	if (l->def->category != POLICY_CAT_EVALUATIONS || l->country[0])
		return NULL;
	return arena_printf(run->ctx->arena,
	                    "SELECT o.id AS id, CASE WHEN " OVERRIDE_HELD " THEN 1 ELSE 0 END AS "
	                    "held FROM calibration_overrides o JOIN calibration_sessions s ON "
	                    "s.id = o.session_id WHERE ?2 = 0 AND ?3 = '' AND NOT " CYCLE_OPEN(
	                            "s.cycle_id") " AND o.created_at < ?1%s",
	                    calibration_anonymized(l) ? " AND o.reason <> ''" : "");
}

/* Add the due and held rows of sql (a changes_sql, marks_sql or
 * overrides_sql) to *due and *held. */
static int count_calibration_rows(struct run *run, const struct line_spec *l, const char *sql,
                                  int64_t *due, int64_t *held, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(run->ctx->store,
	                       arena_printf(run->ctx->arena,
	                                    "SELECT COUNT(*), COALESCE(SUM(d.held), 0) FROM (%s) d",
	                                    sql),
	                       &st, err);
	if (rc < 0)
		return rc;
	l->def->bind(st, run, l);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		*due += stmt_int(st, 0);
		*held += stmt_int(st, 1);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int category_holds(struct run *run, enum policy_category c, int64_t **ids, size_t *n,
                          struct error *err);

/* The plan's calibration counts of a line; a hold on its category keeps
 * all of them. */
static int count_calibration(struct run *run, const struct line_spec *l, struct retention_line *out,
                             struct error *err)
{
	if (!takes_calibration(l))
		return 0;
	int64_t due = 0, held = 0;
	int rc = count_calibration_rows(run, l, changes_sql(run, l), &due, &held, err);
	const char *marks = marks_sql(run, l);
	if (rc == 0 && marks)
		rc = count_calibration_rows(run, l, marks, &due, &held, err);
	const char *overrides = overrides_sql(run, l);
	if (rc == 0 && overrides)
		rc = count_calibration_rows(run, l, overrides, &due, &held, err);
	int64_t *cat;
	size_t ncat;
	if (rc == 0)
		rc = category_holds(run, l->def->category, &cat, &ncat, err);
	if (rc < 0)
		return rc;
	out->calibration_held = ncat > 0 ? due : held;
	out->calibration = due - out->calibration_held;
	return 0;
}

/* Do one batch of rows (a changes_sql or overrides_sql): *n of them, ids
 * lo to hi, changed by change, an UPDATE or DELETE of their table that
 * ends where its WHERE goes. */
static int calibration_ids_apply(struct run *run, const struct line_spec *l, const char *rows,
                                 const char *change, int64_t limit, int64_t *n, int64_t *lo,
                                 int64_t *hi, struct error *err)
{
	struct arena *a = run->ctx->arena;
	struct store_stmt *st;
	int rc = store_prepare(
	        run->ctx->store,
	        arena_printf(a,
	                     "SELECT COUNT(*), MIN(x.id), MAX(x.id) FROM (SELECT d.id FROM (%s) d "
	                     "WHERE d.held = 0 ORDER BY d.id LIMIT ?4) x",
	                     rows),
	        &st, err);
	if (rc < 0)
		return rc;
	l->def->bind(st, run, l);
	stmt_bind_int(st, 4, limit);
	rc = stmt_step(st, err);
	*n = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	if (*n) {
		*lo = stmt_int(st, 1);
		*hi = stmt_int(st, 2);
	}
	stmt_reset(st);
	if (rc < 0 || *n == 0)
		return rc < 0 ? rc : 0;
	return exec_set(run, l,
	                arena_printf(a,
	                             "%s WHERE id IN (SELECT d.id FROM (%s) d WHERE d.held = 0 "
	                             "AND d.id BETWEEN ?4 AND ?5)",
	                             change, rows),
	                3, *lo, *hi, err);
}

/* Do one batch of the line's calibration changes: *n of them, ids lo to hi. */
static int calibration_changes_apply(struct run *run, const struct line_spec *l, int64_t limit,
                                     int64_t *n, int64_t *lo, int64_t *hi, struct error *err)
{
	return calibration_ids_apply(run, l, changes_sql(run, l),
	                             calibration_anonymized(l)
	                                     ? "UPDATE calibration_changes SET reason = '', "
	                                       "evidence = '[]'"
	                                     : "DELETE FROM calibration_changes",
	                             limit, n, lo, hi, err);
}

/* Do one batch of the line's calibration overrides: *n of them, ids lo to hi. */
static int calibration_overrides_apply(struct run *run, const struct line_spec *l, int64_t limit,
                                       int64_t *n, int64_t *lo, int64_t *hi, struct error *err)
{
	*n = 0;
	const char *rows = overrides_sql(run, l);
	if (!rows)
		return 0;
	return calibration_ids_apply(run, l, rows,
	                             calibration_anonymized(l)
	                                     ? "UPDATE calibration_overrides SET reason = ''"
	                                     : "DELETE FROM calibration_overrides",
	                             limit, n, lo, hi, err);
}

/* Do one batch of the line's calibration marks: *n of them. */
static int calibration_marks_apply(struct run *run, const struct line_spec *l, int64_t limit,
                                   int64_t *n, struct error *err)
{
	*n = 0;
	const char *rows = marks_sql(run, l);
	if (!rows)
		return 0;
	struct arena *a = run->ctx->arena;
	struct store_stmt *st;
	int rc = store_prepare(run->ctx->store,
	                       arena_printf(a,
	                                    "SELECT d.session_id, d.person_id, d.user_id FROM (%s) "
	                                    "d WHERE d.held = 0 ORDER BY 1, 2, 3 LIMIT ?4",
	                                    rows),
	                       &st, err);
	if (rc < 0)
		return rc;
	l->def->bind(st, run, l);
	stmt_bind_int(st, 4, limit);
	int64_t(*keys)[3] = NULL;
	size_t nkeys = 0, alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		keys = arena_grow(a, keys, nkeys, &alloc, sizeof *keys);
		for (int k = 0; k < 3; k++)
			keys[nkeys][k] = stmt_int(st, k);
		nkeys++;
	}
	stmt_reset(st);
	if (rc < 0 || nkeys == 0)
		return rc < 0 ? rc : 0;
	if ((rc = store_prepare(run->ctx->store,
	                        calibration_anonymized(l)
	                                ? "UPDATE calibration_marks SET comment = '' WHERE "
	                                  "session_id = ?1 AND person_id = ?2 AND user_id = ?3"
	                                : "DELETE FROM calibration_marks WHERE session_id = ?1 "
	                                  "AND person_id = ?2 AND user_id = ?3",
	                        &st, err)) < 0)
		return rc;
	for (size_t i = 0; i < nkeys && rc >= 0; i++) {
		for (int k = 0; k < 3; k++)
			stmt_bind_int(st, k + 1, keys[i][k]);
		rc = stmt_step(st, err);
		stmt_reset(st);
	}
	*n = (int64_t)nkeys;
	return rc < 0 ? rc : 0;
}

/* ---- audit log ---- */

/* Whom an audit entry (a, with p the person it is on, u the user it is on,
 * ua the user who acted) is held for: see audit_rows.  Any record of a held
 * human counts, as HELD_AMONG. */
#define AUDIT_ENTRY_HUMANS                                                                         \
	ORG_HUMAN("p.id") ", " ORG_HUMAN("u.person_id") ", " ORG_HUMAN("ua.person_id")
#define HELD_RECORDS HOLDS_RECORDS_OF("h.person_id")
#define AUDIT_HELD_FOR                                                                             \
	"COALESCE((SELECT h.person_id FROM legal_holds h WHERE h.released_at IS NULL AND "         \
	"(" HELD_HUMAN " IN (" AUDIT_ENTRY_HUMANS                                                  \
	") OR EXISTS (SELECT 1 FROM people hp WHERE hp.id IN (" HELD_RECORDS                       \
	") AND a.detail LIKE '%\"' || hp.employee_id || '\"%')) ORDER BY h.id "                    \
	"LIMIT 1), p.id, u.person_id)"

/* Retention records are never redacted: they vouch for the redactions; nor
 * the entries of a hold in force (who placed it and why), which the hold
 * keeps as it keeps its person's. */
static const char *audit_rows(const struct run *run, const struct line_spec *l, int *nparams)
{
	(void)run;
	(void)l;
	*nparams = 1;
	/* Whom an entry is held for: a held person its detail names (an
	 * evaluation, a calibration mark, an identity link, a nomination, a
	 * report's record naming them as manager), the held person on
	 * person:EID or the held user's on user:NAME, or the held person who
	 * acted; else the person it is about.  Found in review: a hold kept
	 * only person:EID, and retention redacted the rest of the evidence
	 * about the very person held; found hunting: an entry on someone
	 * else's record naming the held person was redacted, and so was what
	 * the held person did. */
	return "SELECT a.seq AS id, " AUDIT_HELD_FOR " AS person_id FROM audit_log a "
	       "LEFT JOIN people p ON a.object_type = 'person' AND p.employee_id = a.object_id "
	       "LEFT JOIN users u ON a.object_type = 'user' AND u.name = a.object_id "
	       "LEFT JOIN users ua ON ua.name = a.actor "
	       "WHERE a.at < ?1 AND a.redacted IS NULL AND a.action <> '" AUDIT_REDACTION_ACTION
	       "' AND NOT (a.object_type = 'hold' AND EXISTS (SELECT 1 FROM legal_holds h WHERE "
	       "h.released_at IS NULL AND CAST(h.id AS TEXT) = a.object_id))";
}

static const char *line_rule(struct arena *a, const struct line_spec *l);
static const char *batch_detail(struct run *run, const struct line_spec *l, size_t n, int64_t lo,
                                int64_t hi);

static int audit_apply(struct run *run, const struct line_spec *l, const char *set_sql, int64_t lo,
                       int64_t hi, const int64_t *ids, size_t n, struct error *err)
{
	(void)set_sql;
	return audit_redact(run->ctx, ids, n, line_rule(run->ctx->arena, l),
	                    policy_category_name(l->def->category), batch_detail(run, l, n, lo, hi),
	                    err);
}

/* rows of the review categories: those of closed cycles. */
static const char *review_rows(const struct run *run, const struct line_spec *l, int *nparams)
{
	*nparams = 3;
	return l->def->review(run, l, false);
}

/* The categories, in the order they are applied: raw payloads after the
 * events that refer to them, ratings before the evaluations that hold them,
 * the audit log last. */
static const struct category_def categories[] = {
        {POLICY_CAT_EVENTS,
         events_rows,
         NULL,
         bind_common,
         NULL,
         events_apply,
         {"deleted, with their earlier versions and metric lineage",
          "person, account, account email and name removed"}},
        {POLICY_CAT_METRIC_VALUES,
         metric_rows,
         NULL,
         bind_common,
         NULL,
         metric_apply,
         {"deleted, with their lineage",
          "individual values deleted; team, service and org values kept"}},
        {POLICY_CAT_FEEDBACK_TEXT,
         review_rows,
         feedback_sql,
         bind_common,
         NULL,
         feedback_apply,
         {"feedback responses (every version) deleted",
          "answers and comments removed; the response's ratings kept"}},
        {POLICY_CAT_RATINGS,
         review_rows,
         ratings_sql,
         bind_common,
         NULL,
         ratings_apply,
         {"an evaluation version's rubric ratings deleted, and the calibration changes of its "
          "cycle and person",
          "an evaluation version's rubric ratings deleted, and the calibration changes of its "
          "cycle and person (a rating means nothing without its person)"}},
        {POLICY_CAT_EVALUATIONS,
         review_rows,
         evaluations_sql,
         bind_common,
         NULL,
         evaluations_apply,
         {"evaluation versions deleted with their ratings and evidence, and the calibration "
          "marks and changes of their cycle and person; company rule: calibration sessions' "
          "overrides of their guidance",
          "the manager's case, the reason and the evidence removed, and the comments, reasons "
          "and evidence of the calibration marks and changes of their cycle and person; "
          "versions, dates, ratings and marks kept; company rule: the reasons of calibration "
          "sessions' overrides of their guidance"}},
        {POLICY_CAT_RAW_PAYLOADS,
         raw_rows,
         NULL,
         raw_bind,
         "SELECT r.id AS id, CAST(NULL AS BIGINT) AS person_id FROM raw_payloads r "
         "WHERE r.fetched_at < ?1 AND r.encoding <> 'deleted'",
         raw_apply,
         {"body removed once no surviving event refers to it; the row stays as a lineage stub "
          "(encoding 'deleted', sha256 and size kept)",
          "body removed once no surviving event refers to it; the row stays as a lineage stub "
          "(encoding 'deleted', sha256 and size kept)"}},
        {POLICY_CAT_AUDIT_LOG,
         audit_rows,
         NULL,
         bind_common,
         NULL,
         audit_apply,
         {"redacted: actor and detail replaced; sequence, time, action, object and hashes kept",
          "redacted: actor and detail replaced; sequence, time, action, object and hashes "
          "kept"}},
};
#define NCATEGORIES (sizeof categories / sizeof categories[0])

static const struct category_def *category_def(const char *name)
{
	for (size_t i = 0; i < NCATEGORIES; i++)
		if (strcmp(policy_category_name(categories[i].category), name) == 0)
			return &categories[i];
	return NULL;
}

/* ---- shared ---- */

static int run_load(struct ctx *ctx, int64_t as_of, struct run *run, struct error *err)
{
	memset(run, 0, sizeof *run);
	run->ctx = ctx;
	run->as_of = as_of;
	const struct policy *pol;
	int rc = policy_load(ctx, &pol, err);
	if (rc < 0)
		return rc;
	run->pol = pol->version > 0 ? pol : NULL;
	struct store_stmt *st;
	if ((rc = store_prepare(ctx->store, "SELECT DISTINCT country FROM people ORDER BY country",
	                        &st, err)) < 0)
		return rc;
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		run->countries = arena_grow(ctx->arena, run->countries, run->ncountries, &alloc,
		                            sizeof(char *));
		run->countries[run->ncountries++] = stmt_text_dup(st, 0, ctx->arena);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	int64_t *held;
	size_t nheld;
	if ((rc = category_holds(run, POLICY_CAT_EVENTS, &held, &nheld, err)) < 0)
		return rc;
	run->events_held = nheld > 0;
	if ((rc = category_holds(run, POLICY_CAT_RATINGS, &run->ratings_holds, &run->nratings_holds,
	                         err)) < 0 ||
	    (rc = category_holds(run, POLICY_CAT_METRIC_VALUES, &run->metric_holds,
	                         &run->nmetric_holds, err)) < 0)
		return rc;
	int64_t npeople = 0;
	bool found = false;
	rc = store_query_int(ctx->store,
	                     "SELECT COUNT(*) FROM legal_holds WHERE released_at IS NULL AND "
	                     "person_id IS NOT NULL",
	                     &npeople, &found, err);
	run->person_held = npeople > 0;
	return rc < 0 ? rc : 0;
}

static void line_init(const struct run *run, const struct category_def *def, const char *country,
                      struct line_spec *l)
{
	memset(l, 0, sizeof *l);
	l->def = def;
	l->country = country;
	if (run->pol)
		l->rule = policy_retention_for(run->pol, def->category, country);
	else
		l->rule = (struct policy_retention){def->category, 0, POLICY_RETAIN_DELETE};
	l->cutoff = l->rule.days > 0 ? run->as_of - l->rule.days * DAY_MS : 0;
	/* Nothing is older than the year 1, and no time before it can be written
	 * (found hunting: --as-of 0001-01-01 printed cutoffs as "-002-01-02"). */
	if (l->rule.days > 0 && l->cutoff < TS_MIN_MS)
		l->cutoff = TS_MIN_MS;
}

/* "events, DE: 730 days, delete"; "events, company rule: ..." for rows
 * without a person; "audit_log: ..." for categories that are no one's. */
static const char *line_rule(struct arena *a, const struct line_spec *l)
{
	const char *name = policy_category_name(l->def->category);
	const char *where = !policy_category_by_country(l->def->category) ? ""
	                    : l->country[0] ? arena_printf(a, ", %s", l->country)
	                                    : ", company rule";
	if (l->rule.days <= 0)
		return arena_printf(a, "%s%s: kept without limit", name, where);
	return arena_printf(a, "%s%s: %" PRId64 " days, %s", name, where, l->rule.days,
	                    l->rule.action == POLICY_RETAIN_ANONYMIZE ? "anonymize" : "delete");
}

/* The ids of the active category holds on c. */
static int category_holds(struct run *run, enum policy_category c, int64_t **ids, size_t *n,
                          struct error *err)
{
	*ids = NULL;
	*n = 0;
	struct store_stmt *st;
	int rc = store_prepare(run->ctx->store,
	                       "SELECT id FROM legal_holds WHERE released_at IS NULL AND "
	                       "category = ?1 ORDER BY id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, policy_category_name(c));
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*ids = arena_grow(run->ctx->arena, *ids, *n, &alloc, sizeof **ids);
		(*ids)[(*n)++] = stmt_int(st, 0);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static const char *rows_sql(struct run *run, const struct line_spec *l, int *nparams)
{
	return l->def->rows(run, l, nparams);
}

#define NOT_HELD "NOT " HOLDS_PERSON_HELD("d.person_id")

/* The rows of a line that a hold on another category keeps, as a
 * condition on d.id; NULL: none.  Deleting an evaluation version deletes
 * its ratings, so a hold on ratings keeps the versions that hold ratings
 * (found hunting: a ratings hold listed them held while the evaluations
 * line deleted them with their versions).  A held metric value keeps the
 * events its lineage names, from both actions: who did the work is part
 * of the value's evidence. */
static const char *held_elsewhere(const struct run *run, const struct line_spec *l)
{
	if (l->def->category == POLICY_CAT_EVALUATIONS && l->rule.action == POLICY_RETAIN_DELETE &&
	    run->nratings_holds > 0)
		return "EXISTS (SELECT 1 FROM evaluation_ratings r WHERE r.evaluation_id = d.id)";
	if (l->def->category == POLICY_CAT_EVENTS && (run->nmetric_holds > 0 || run->person_held))
		return HOLDS_VALUE_HELD("d.id");
	return NULL;
}

/* The condition a row of the line is free of every hold under. */
static const char *not_held(const struct run *run, const struct line_spec *l)
{
	const char *elsewhere = held_elsewhere(run, l);
	return elsewhere ? arena_printf(run->ctx->arena, NOT_HELD " AND NOT %s", elsewhere)
	                 : NOT_HELD;
}

/* Add rows to person hold id's count in out, listing it if new: a person's
 * hold keeps both their own rows and those their held values name. */
static void add_person_held(struct arena *a, struct retention_line *out, size_t *alloc, int64_t id,
                            const char *employee_id, int64_t rows)
{
	for (size_t i = 0; i < out->nholds; i++)
		if (out->holds[i].hold_id == id) {
			out->holds[i].rows += rows;
			return;
		}
	out->holds = arena_grow(a, out->holds, out->nholds, alloc, sizeof *out->holds);
	out->holds[out->nholds++] =
	        (struct retention_held){id, arena_printf(a, "person %s", employee_id), rows};
}

/* SQL: the oldest person hold on the row d's person (any record of the
 * human, HOLDS_COVERS). */
#define OLDEST_HOLD_OF_ROW                                                                         \
	"(SELECT MIN(h2.id) FROM legal_holds h2 WHERE h2.released_at IS NULL AND " HOLDS_COVERS(   \
	        "h2", "d.person_id") ")"
/* The same for the event d: of its person, or of a person of an individual
 * metric value whose lineage names it. */
#define OLDEST_HOLD_OF_EVENT                                                                       \
	"(SELECT MIN(h2.id) FROM legal_holds h2 WHERE h2.released_at IS NULL AND (" HOLDS_COVERS(  \
	        "h2", "d.person_id") " OR EXISTS (SELECT 1 FROM metric_lineage ml JOIN "           \
	                             "metric_values v ON v.id = ml.value_id WHERE ml.event_id = "  \
	                             "d.id AND v.scope = "                                         \
	                             "'individual' AND " HOLDS_COVERS("h2", "v.scope_id") ")))"

/* Count under their holds the rows of a line another category's hold
 * keeps (held_elsewhere): under its category holds, or, for events held by
 * individual metric values only, once per event under the oldest hold of
 * the values' people and the event's own (found in review: an older hold
 * on the event's person was passed over). */
static int count_held_elsewhere(struct run *run, const struct line_spec *l, const char *rows,
                                const char *elsewhere, struct retention_line *out, size_t *alloc,
                                struct error *err)
{
	struct arena *a = run->ctx->arena;
	bool events = l->def->category == POLICY_CAT_EVENTS;
	const int64_t *cat = events ? run->metric_holds : run->ratings_holds;
	size_t ncat = events ? run->nmetric_holds : run->nratings_holds;
	enum policy_category held = events ? POLICY_CAT_METRIC_VALUES : POLICY_CAT_RATINGS;
	struct store_stmt *st;
	int rc;
	if (ncat > 0) {
		if ((rc = store_prepare(run->ctx->store,
		                        arena_printf(a, "SELECT COUNT(*) FROM (%s) d WHERE %s",
		                                     rows, elsewhere),
		                        &st, err)) < 0)
			return rc;
		l->def->bind(st, run, l);
		rc = stmt_step(st, err);
		int64_t kept = rc == STORE_ROW ? stmt_int(st, 0) : 0;
		stmt_reset(st);
		for (size_t i = 0; rc >= 0 && kept > 0 && i < ncat; i++) {
			out->holds =
			        arena_grow(a, out->holds, out->nholds, alloc, sizeof *out->holds);
			out->holds[out->nholds++] = (struct retention_held){
			        cat[i], arena_printf(a, "category %s", policy_category_name(held)),
			        kept};
		}
		return rc < 0 ? rc : 0;
	}
	if ((rc = store_prepare(
	             run->ctx->store,
	             arena_printf(a,
	                          "SELECT h.id, hp.employee_id, COUNT(*) FROM "
	                          "(SELECT " OLDEST_HOLD_OF_EVENT
	                          " AS hold FROM (%s) d WHERE %s) x JOIN "
	                          "legal_holds h ON h.id = x.hold JOIN people hp ON hp.id = "
	                          "h.person_id GROUP BY h.id, hp.employee_id ORDER BY h.id",
	                          rows, elsewhere),
	             &st, err)) < 0)
		return rc;
	l->def->bind(st, run, l);
	while ((rc = stmt_step(st, err)) == STORE_ROW)
		add_person_held(a, out, alloc, stmt_int(st, 0), stmt_text(st, 1), stmt_int(st, 2));
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int count_line(struct run *run, const struct line_spec *l, struct retention_line *out,
                      struct error *err)
{
	struct arena *a = run->ctx->arena;
	int np;
	const char *rows = rows_sql(run, l, &np);
	struct store_stmt *st;
	int rc = store_prepare(
	        run->ctx->store,
	        arena_printf(a,
	                     "SELECT COUNT(*), COALESCE(SUM(x.free), 0), MIN(CASE WHEN x.free = 1 "
	                     "THEN x.id END), MAX(CASE WHEN x.free = 1 THEN x.id END) FROM (SELECT "
	                     "d.id AS id, CASE WHEN %s THEN 1 ELSE 0 END AS free FROM (%s) "
	                     "d) x",
	                     not_held(run, l), rows),
	        &st, err);
	if (rc < 0)
		return rc;
	l->def->bind(st, run, l);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		out->due = stmt_int(st, 0);
		out->affected = stmt_int(st, 1);
		out->first_id = stmt_is_null(st, 2) ? 0 : stmt_int(st, 2);
		out->last_id = stmt_is_null(st, 3) ? 0 : stmt_int(st, 3);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	out->held = out->due - out->affected;
	if (l->def->past_sql) {
		int64_t past = 0;
		if ((rc = store_prepare(
		             run->ctx->store,
		             arena_printf(a, "SELECT COUNT(*) FROM (%s) d", l->def->past_sql), &st,
		             err)) < 0)
			return rc;
		stmt_bind_int(st, 1, l->cutoff);
		rc = stmt_step(st, err);
		past = rc == STORE_ROW ? stmt_int(st, 0) : 0;
		stmt_reset(st);
		if (rc < 0)
			return rc;
		out->referenced = past - out->due;
		out->due = past;
	}
	if (l->def->review) {
		if ((rc = store_prepare(run->ctx->store,
		                        arena_printf(a, "SELECT COUNT(*) FROM (%s) d",
		                                     l->def->review(run, l, true)),
		                        &st, err)) < 0)
			return rc;
		l->def->bind(st, run, l);
		rc = stmt_step(st, err);
		out->deferred = rc == STORE_ROW ? stmt_int(st, 0) : 0;
		stmt_reset(st);
		if (rc < 0)
			return rc;
		out->due += out->deferred;
		if (out->deferred)
			out->deferred_why = RETENTION_DEFERRED_WHY;
	}
	/* A category hold keeps all of it. */
	int64_t *cat_holds;
	size_t ncat;
	if ((rc = category_holds(run, l->def->category, &cat_holds, &ncat, err)) < 0)
		return rc;
	size_t alloc = 0;
	if (ncat > 0) {
		int64_t rows_held = out->due - out->referenced - out->deferred;
		for (size_t i = 0; i < ncat; i++) {
			out->holds =
			        arena_grow(a, out->holds, out->nholds, &alloc, sizeof *out->holds);
			out->holds[out->nholds++] = (struct retention_held){
			        cat_holds[i],
			        arena_printf(a, "category %s",
			                     policy_category_name(l->def->category)),
			        rows_held};
		}
		out->held = rows_held;
		out->affected = 0;
		out->first_id = out->last_id = 0;
		return 0;
	}
	if (out->held == 0)
		return 0;
	/* Rows another category's hold keeps count under it, as a row both a
	 * person and a category hold cover counts under the category hold. */
	const char *elsewhere = held_elsewhere(run, l);
	if (elsewhere && (rc = count_held_elsewhere(run, l, rows, elsewhere, out, &alloc, err)) < 0)
		return rc;
	rc = store_prepare(
	        run->ctx->store,
	        arena_printf(a,
	                     "SELECT h.id, hp.employee_id, COUNT(*) FROM (%s) d "
	                     "JOIN legal_holds h ON h.id = " OLDEST_HOLD_OF_ROW " "
	                     "JOIN people hp ON hp.id = h.person_id "
	                     "WHERE NOT (%s) GROUP BY h.id, hp.employee_id ORDER BY h.id",
	                     rows, elsewhere ? elsewhere : "1 = 0"),
	        &st, err);
	if (rc < 0)
		return rc;
	l->def->bind(st, run, l);
	while ((rc = stmt_step(st, err)) == STORE_ROW)
		add_person_held(a, out, &alloc, stmt_int(st, 0), stmt_text(st, 1), stmt_int(st, 2));
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static void line_out(struct run *run, const struct line_spec *l, struct retention_line *out)
{
	struct arena *a = run->ctx->arena;
	memset(out, 0, sizeof *out);
	out->category = policy_category_name(l->def->category);
	out->country = l->country;
	out->rule = line_rule(a, l);
	out->days = l->rule.days;
	out->action = action_name(l);
	out->effect = l->def->effect[l->rule.action == POLICY_RETAIN_ANONYMIZE];
	out->cutoff = l->cutoff;
}

/* Every line: a category's countries then its company rule, or one line. */
static int each_line(struct run *run,
                     int (*fn)(struct run *run, const struct line_spec *l, void *data,
                               struct error *err),
                     void *data, struct error *err)
{
	for (size_t i = 0; i < NCATEGORIES; i++) {
		const struct category_def *def = &categories[i];
		size_t n = policy_category_by_country(def->category) ? run->ncountries + 1 : 1;
		for (size_t k = 0; k < n; k++) {
			struct line_spec l;
			line_init(run, def,
			          k < run->ncountries && policy_category_by_country(def->category)
			                  ? run->countries[k]
			                  : "",
			          &l);
			int rc = fn(run, &l, data, err);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* ---- plan ---- */

struct plan_args {
	int64_t as_of;
	struct retention_report *out;
	size_t alloc;
};

static int plan_line(struct run *run, const struct line_spec *l, void *data, struct error *err)
{
	struct plan_args *p = data;
	struct retention_report *r = p->out;
	r->lines = arena_grow(run->ctx->arena, r->lines, r->nlines, &p->alloc, sizeof *r->lines);
	struct retention_line *out = &r->lines[r->nlines++];
	line_out(run, l, out);
	if (l->rule.days <= 0)
		return 0;
	int rc = count_line(run, l, out, err);
	if (rc == 0)
		rc = count_calibration(run, l, out, err);
	r->affected += out->affected;
	r->held += out->held;
	r->deferred += out->deferred;
	return rc;
}

static int plan_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct plan_args *p = arg;
	memset(p->out, 0, sizeof *p->out);
	p->alloc = 0;
	p->out->as_of = p->as_of;
	struct run run;
	int rc = run_load(ctx, p->as_of, &run, err);
	if (rc < 0)
		return rc;
	p->out->policy_version = run.pol ? run.pol->version : 0;
	return each_line(&run, plan_line, p, err);
}

int retention_plan(struct ctx *ctx, int64_t as_of, struct retention_report *out, struct error *err)
{
	struct plan_args p = {as_of, out, 0};
	return ctx_run(ctx, OP_RETENTION_PLAN, plan_body, &p, err);
}

/* ---- apply ---- */

static const char *batch_detail(struct run *run, const struct line_spec *l, size_t n, int64_t lo,
                                int64_t hi)
{
	struct sb out = SB_INIT;
	struct jw w;
	jw_init(&w, &out, false);
	jw_object_begin(&w);
	jw_kstr(&w, "category", policy_category_name(l->def->category));
	jw_kstr(&w, "country", l->country[0] ? l->country : NULL);
	jw_kstr(&w, "rule", line_rule(run->ctx->arena, l));
	jw_kint(&w, "days", l->rule.days);
	jw_kstr(&w, "action", action_name(l));
	jw_key(&w, "as_of");
	jw_time(&w, run->as_of, true);
	jw_key(&w, "cutoff");
	jw_time(&w, l->cutoff, true);
	jw_kint(&w, "count", (int64_t)n);
	jw_kint(&w, "first_id", lo);
	jw_kint(&w, "last_id", hi);
	if (run->pol)
		jw_kint(&w, "policy_version", run->pol->version);
	jw_object_end(&w);
	char *text = arena_strdup(run->ctx->arena, out.buf);
	sb_release(&out);
	return text;
}

struct batch_args {
	int64_t as_of, limit;
	const char *category, *country;
	/* out */
	int64_t count, lo, hi;
};

static int batch_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct batch_args *b = arg;
	b->count = b->lo = b->hi = 0;
	struct run run;
	int rc = run_load(ctx, b->as_of, &run, err);
	if (rc < 0)
		return rc;
	struct line_spec l;
	line_init(&run, category_def(b->category), b->country, &l);
	if (!l.def->rows || l.rule.days <= 0)
		return CTX_ROLLBACK;
	int64_t *cat;
	size_t ncat;
	if ((rc = category_holds(&run, l.def->category, &cat, &ncat, err)) < 0)
		return rc;
	if (ncat > 0)
		return CTX_ROLLBACK;
	int np;
	const char *rows = rows_sql(&run, &l, &np);
	struct store_stmt *st;
	const char *unheld = not_held(&run, &l);
	rc = store_prepare(ctx->store,
	                   arena_printf(ctx->arena,
	                                "SELECT d.id FROM (%s) d WHERE %s ORDER BY d.id LIMIT ?%d",
	                                rows, unheld, np + 1),
	                   &st, err);
	if (rc < 0)
		return rc;
	l.def->bind(st, &run, &l);
	stmt_bind_int(st, np + 1, b->limit);
	int64_t *ids = NULL;
	size_t n = 0, alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		ids = arena_grow(ctx->arena, ids, n, &alloc, sizeof *ids);
		ids[n++] = stmt_int(st, 0);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (n == 0)
		return CTX_ROLLBACK;
	b->lo = ids[0];
	b->hi = ids[n - 1];
	const char *set = arena_printf(
	        ctx->arena, "SELECT d.id FROM (%s) d WHERE %s AND d.id BETWEEN ?%d AND ?%d", rows,
	        unheld, np + 1, np + 2);
	run.applied_beyond = 0;
	if ((rc = l.def->apply(&run, &l, set, b->lo, b->hi, ids, n, err)) < 0)
		return rc;
	b->count = (int64_t)n + run.applied_beyond;
	/* The range names every row done, a group's others too. */
	if (run.applied_beyond) {
		b->lo = run.beyond_lo < b->lo ? run.beyond_lo : b->lo;
		b->hi = run.beyond_hi > b->hi ? run.beyond_hi : b->hi;
	}
	if (l.def->category == POLICY_CAT_AUDIT_LOG) /* audit_redact wrote the record */
		return 0;
	return audit_append(ctx, AUDIT_REDACTION_ACTION, "retention",
	                    policy_category_name(l.def->category),
	                    batch_detail(&run, &l, (size_t)b->count, b->lo, b->hi), err);
}

struct calibration_args {
	int64_t as_of, limit;
	const char *category, *country;
	/* out; lo and hi: of the changes' ids, olo and ohi of the overrides' */
	int64_t changes, marks, overrides, lo, hi, olo, ohi;
};

/* One transaction of a line's calibration marks, changes and overrides
 * (see "calibration marks and changes" and "calibration overrides"),
 * audited as a batch of the line is, with its counts and id ranges. */
static int calibration_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct calibration_args *c = arg;
	c->changes = c->marks = c->overrides = c->lo = c->hi = c->olo = c->ohi = 0;
	struct run run;
	int rc = run_load(ctx, c->as_of, &run, err);
	if (rc < 0)
		return rc;
	struct line_spec l;
	line_init(&run, category_def(c->category), c->country, &l);
	if (!takes_calibration(&l))
		return CTX_ROLLBACK;
	int64_t *cat;
	size_t ncat;
	if ((rc = category_holds(&run, l.def->category, &cat, &ncat, err)) < 0)
		return rc;
	if (ncat > 0)
		return CTX_ROLLBACK;
	if ((rc = calibration_changes_apply(&run, &l, c->limit, &c->changes, &c->lo, &c->hi, err)) <
	            0 ||
	    (rc = calibration_marks_apply(&run, &l, c->limit, &c->marks, err)) < 0 ||
	    (rc = calibration_overrides_apply(&run, &l, c->limit, &c->overrides, &c->olo, &c->ohi,
	                                      err)) < 0)
		return rc;
	if (c->changes + c->marks + c->overrides == 0)
		return CTX_ROLLBACK;
	struct sb out = SB_INIT;
	struct jw w;
	jw_init(&w, &out, false);
	jw_object_begin(&w);
	jw_kstr(&w, "category", c->category);
	jw_kstr(&w, "country", l.country[0] ? l.country : NULL);
	jw_kstr(&w, "rule", line_rule(ctx->arena, &l));
	jw_kint(&w, "days", l.rule.days);
	jw_kstr(&w, "action", action_name(&l));
	jw_key(&w, "as_of");
	jw_time(&w, run.as_of, true);
	jw_key(&w, "cutoff");
	jw_time(&w, l.cutoff, true);
	jw_kint(&w, "calibration_changes", c->changes);
	if (c->changes) {
		jw_kint(&w, "first_change_id", c->lo);
		jw_kint(&w, "last_change_id", c->hi);
	}
	jw_kint(&w, "calibration_marks", c->marks);
	if (c->overrides) {
		jw_kint(&w, "calibration_overrides", c->overrides);
		jw_kint(&w, "first_override_id", c->olo);
		jw_kint(&w, "last_override_id", c->ohi);
	}
	if (run.pol)
		jw_kint(&w, "policy_version", run.pol->version);
	jw_object_end(&w);
	const char *detail = arena_strdup(ctx->arena, out.buf);
	sb_release(&out);
	return audit_append(ctx, AUDIT_REDACTION_ACTION, "retention", c->category, detail, err);
}

/* The plan inside apply's write operation, which writes nothing itself. */
static int plan_then_rollback(struct ctx *ctx, void *arg, struct error *err)
{
	int rc = plan_body(ctx, arg, err);
	return rc < 0 ? rc : CTX_ROLLBACK;
}

/* A batch failed with rc: batches commit one by one, so say what already
 * happened (done rows); returns rc. */
static int applied_before(struct error *err, int rc, int64_t done)
{
	if (done)
		err_append_detail(err,
		                  "%" PRId64 " rows were deleted, anonymized or emptied in batches "
		                  "committed before this one, each audited as retention.apply; the "
		                  "rest is as it was: run 'plumb retention apply' again once the "
		                  "cause is fixed",
		                  done);
	return rc;
}

int retention_apply(struct ctx *ctx, int64_t as_of, int64_t batch, struct retention_report *out,
                    struct error *err)
{
	if (batch < 1 || batch > RETENTION_BATCH_MAX) {
		err_set(err, ERR_USAGE, "--batch: %" PRId64 " is out of range", batch);
		err_detail(err, "from 1 to %d rows a transaction", RETENTION_BATCH_MAX);
		return ERR_USAGE;
	}
	/* A date ahead would delete what the policy still keeps. */
	if (as_of > ts_now_ms()) {
		char when[TS_BUF];
		err_set(err, ERR_USAGE,
		        "--as-of %s is in the future: apply deletes only what is due now",
		        ts_format(as_of, when));
		err_hint(err,
		         "'plumb retention plan --as-of DATE' shows what a later date would do");
		return ERR_USAGE;
	}
	/* The lines and their rules, under apply's permission. */
	struct plan_args p = {as_of, out, 0};
	int rc = ctx_run(ctx, OP_RETENTION_APPLY, plan_then_rollback, &p, err);
	if (rc < 0)
		return rc;
	/* The counts the plan gave are replaced by what each line's batches do. */
	out->affected = 0;
	/* The lines' calibration rows done, counted apart from their rows
	 * (affected) but committed all the same. */
	int64_t calibrated = 0;
	for (size_t i = 0; i < out->nlines; i++) {
		struct retention_line *line = &out->lines[i];
		int64_t planned = line->affected;
		line->affected = line->first_id = line->last_id = 0;
		if (line->days <= 0)
			continue;
		char *phase = arena_printf(ctx->arena, "retention %s%s%s", line->category,
		                           line->country[0] ? " " : "", line->country);
		/* The line's calibration marks, changes and overrides first: the
		 * marks and changes are due with the oldest evaluation version of
		 * their cycle and person, which the line's batches may delete. */
		line->calibration = 0;
		for (;;) {
			struct calibration_args c = {
			        as_of, batch, line->category, line->country, 0, 0, 0, 0, 0, 0, 0};
			if ((rc = ctx_run(ctx, OP_RETENTION_APPLY, calibration_body, &c, err)) < 0)
				return applied_before(
				        err, rc, out->affected + calibrated + line->calibration);
			if (c.changes + c.marks + c.overrides == 0)
				break;
			line->calibration += c.changes + c.marks + c.overrides;
			line->batches++;
		}
		for (;;) {
			struct batch_args b = {as_of, batch, line->category, line->country, 0,
			                       0,     0};
			if ((rc = ctx_run(ctx, OP_RETENTION_APPLY, batch_body, &b, err)) < 0)
				return applied_before(err, rc,
				                      out->affected + calibrated +
				                              line->calibration + line->affected);
			if (b.count == 0)
				break;
			if (!line->first_id)
				line->first_id = b.lo;
			line->last_id = b.hi;
			line->affected += b.count;
			line->batches++;
			ctx_progress(ctx, phase, line->affected,
			             planned > line->affected ? planned : line->affected);
		}
		out->affected += line->affected;
		calibrated += line->calibration;
	}
	return 0;
}
