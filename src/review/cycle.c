/* cycle: review cycles, their phases, members and assignments. */
#include "review/cycle.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "core/actor.h"
#include "core/audit.h"
#include "core/authz.h"
#include "core/ctx.h"
#include "core/mask.h"
#include "core/org.h"
#include "review/calendar.h"
#include "review/feedback.h"
#include "store/store.h"

#define NAME_ARG_MAX      120
#define DECIDE_REASON_MAX 2000 /* as a rating change's reason in calibration */

#define PHASE_NAME_(id, name, days) name,
static const char *const phase_names[] = {CYCLE_PHASE_TABLE(PHASE_NAME_) NULL};
#undef PHASE_NAME_
#define PHASE_DAYS_(id, name, days) days,
static const int phase_days[] = {CYCLE_PHASE_TABLE(PHASE_DAYS_)};
#undef PHASE_DAYS_

const char *cycle_phase_name(enum cycle_phase p)
{
	return phase_names[p];
}

int cycle_phase_parse(const char *text)
{
	for (int i = 0; phase_names[i]; i++)
		if (strcmp(phase_names[i], text) == 0)
			return i;
	return -1;
}

bool cycle_delivered(const char *phase)
{
	return strcmp(phase, "delivery") == 0 || strcmp(phase, "closed") == 0;
}

enum cycle_phase cycle_phase_of_relation(enum fw_relation rel)
{
	switch (rel) {
	case FW_REL_SELF:
		return CYCLE_PHASE_SELF_REVIEW;
	case FW_REL_MANAGER:
		return CYCLE_PHASE_MANAGER_REVIEW;
	case FW_REL_PEER:
	case FW_REL_UPWARD:
	case FW_REL_CROSS_FUNCTIONAL:
	case FW_REL_COUNT:
		break;
	}
	return CYCLE_PHASE_FEEDBACK;
}

/* Which phases a kind runs: a check-in is light, a project has no
 * calibration or sign-off, an annual review has everything. */
static bool kind_has_phase(enum fw_kind kind, enum cycle_phase p)
{
	switch (kind) {
	case FW_KIND_CHECKIN:
		return p == CYCLE_PHASE_SELF_REVIEW || p == CYCLE_PHASE_MANAGER_REVIEW ||
		       p == CYCLE_PHASE_DELIVERY;
	case FW_KIND_PROJECT:
		return p != CYCLE_PHASE_CALIBRATION && p != CYCLE_PHASE_SIGNOFF;
	case FW_KIND_ANNUAL:
	case FW_KIND_COUNT:
		break;
	}
	return true;
}

static char *id_text(struct arena *a, int64_t id)
{
	return arena_printf(a, "%" PRId64, id);
}

/* ---- finding a cycle ---- */

int cycle_find(struct ctx *ctx, const char *name_or_id, int64_t *id, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT id FROM cycles WHERE name = ? OR "
	                       "CAST(id AS TEXT) = ? ORDER BY (name = ?) DESC LIMIT 1",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, name_or_id);
	stmt_bind_text(st, 2, name_or_id);
	stmt_bind_text(st, 3, name_or_id);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		*id = stmt_int(st, 0);
	stmt_reset(st);
	if (rc == STORE_DONE) {
		err_set(err, ERR_NOT_FOUND, "no review cycle is named '%s'", name_or_id);
		err_hint(err, "plumb cycle list shows the cycles");
		return ERR_NOT_FOUND;
	}
	return rc < 0 ? rc : 0;
}

int cycle_withdrawn_reviewee(struct ctx *ctx, int64_t cycle, int64_t person, const char **into,
                             const char **as, struct error *err)
{
	/* The enrolled record of the human nearer the one kept than person
	 * (ORG_RECORD_RANK): in a chain A into B, then B into C where C
	 * is not enrolled, B, not C (found hunting merges: B was withdrawn as
	 * well as A, and nobody could name the human's peers or evaluate them). */
	/* clang-format off */
	static const char withdrawn_sql[] =
	        "SELECT i.employee_id, q.employee_id FROM person_merges pm JOIN people i ON"
	        " i.id = pm.into_person_id JOIN cycle_members cm ON"
	        " cm.cycle_id = ?2 AND cm.person_id <> ?1 AND " ORG_HUMAN("cm.person_id")
	        " = pm.into_person_id JOIN people q ON q.id = cm.person_id WHERE"
	        " pm.from_person_id = ?1 AND " ORG_RECORD_RANK("cm.person_id")
	        " > pm.merged_at ORDER BY " ORG_RECORD_RANK("cm.person_id") " DESC LIMIT 1";
	/* clang-format on */
	*into = *as = NULL;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, withdrawn_sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, person);
	stmt_bind_int(st, 2, cycle);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		*into = stmt_text_dup(st, 0, ctx->arena);
		*as = stmt_text_dup(st, 1, ctx->arena);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int cycle_info(struct ctx *ctx, int64_t cycle_id, struct cycle_info *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	struct arena *a = ctx->arena;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT id, name, kind, phase, framework_version, period_start, "
	                       "period_end, created_at, ratings, reviewer_cap FROM cycles "
	                       "WHERE id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle_id);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		out->id = stmt_int(st, 0);
		out->name = stmt_text_dup(st, 1, a);
		out->kind = stmt_text_dup(st, 2, a);
		out->phase = stmt_text_dup(st, 3, a);
		out->framework_version = (int)stmt_int(st, 4);
		out->period_start = stmt_int(st, 5);
		out->period_end = stmt_int(st, 6);
		out->created_at = stmt_int(st, 7);
		out->ratings = stmt_int(st, 8) != 0;
		out->reviewer_cap = (int)stmt_int(st, 9);
	}
	stmt_reset(st);
	if (rc == STORE_DONE)
		return err_set(err, ERR_NOT_FOUND, "review cycle %" PRId64 " does not exist",
		               cycle_id);
	if (rc < 0)
		return rc;
	rc = store_prepare(ctx->store,
	                   "SELECT name, due_at, opened_at, closed_at FROM cycle_phases "
	                   "WHERE cycle_id = ? ORDER BY seq",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle_id);
	out->phases = arena_array(a, CYCLE_PHASE_COUNT, sizeof *out->phases);
	while ((rc = stmt_step(st, err)) == STORE_ROW && out->nphases < CYCLE_PHASE_COUNT) {
		struct cycle_phase_row *p = &out->phases[out->nphases++];
		p->name = stmt_text_dup(st, 0, a);
		p->due_at = stmt_int(st, 1);
		p->opened_at = stmt_is_null(st, 2) ? 0 : stmt_int(st, 2);
		p->closed_at = stmt_is_null(st, 3) ? 0 : stmt_int(st, 3);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	rc = store_prepare(ctx->store,
	                   "SELECT t.name FROM cycle_teams ct JOIN teams t ON t.id = ct.team_id "
	                   "WHERE ct.cycle_id = ? ORDER BY t.name",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle_id);
	size_t cap = 8;
	out->teams = arena_array(a, cap, sizeof *out->teams);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		if (out->nteams == cap) {
			const char **more = arena_array(a, cap * 2, sizeof *more);
			memcpy(more, out->teams, cap * sizeof *more);
			out->teams = more;
			cap *= 2;
		}
		out->teams[out->nteams++] = stmt_text_dup(st, 0, a);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int cycle_refuse_leaver(struct ctx *ctx, const struct cycle_info *info, int64_t person,
                        const char *employee_id, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT p.end_date FROM people p WHERE p.id = " ORG_HUMAN(
	                               "?1") " AND p.end_date <= ?2",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, person);
	stmt_bind_int(st, 2, ts_now_ms());
	int64_t left_on = 0;
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		left_on = stmt_int(st, 0);
	stmt_reset(st);
	if (rc < 0 || !left_on)
		return rc < 0 ? rc : 0;
	char d[TS_BUF];
	err_set(err, ERR_CONFLICT, "%s left on %s and is no longer reviewed in cycle '%s'",
	        employee_id, ts_format_date(left_on, d), info->name);
	err_hint(err, "what was written about them is kept; an org import without their end date "
	              "makes them owed again");
	return ERR_CONFLICT;
}

/* The stand-in as one query: the reviewee's human's manager now (as
 * ORG_HUMAN), where the home manager's human has left; whether that manager
 * is with the org now, and whom they report to now, for escalations. */
/* clang-format off */
static const char stand_in_sql[] =
	"SELECT mh.id, mh.employee_id, mh.name, mh.email, CASE WHEN ("
	ORG_PERSON_CURRENT("mh", "?3") ") AND mh.id <> " ORG_HUMAN("?2") " THEN 1 ELSE 0 END,"
	" " ORG_HUMAN("(SELECT u.manager_id FROM reporting_lines u WHERE u.person_id = mh.id"
	"   AND u.valid_from <= ?3 AND (u.valid_to IS NULL OR u.valid_to > ?3)"
	"   ORDER BY u.valid_from DESC LIMIT 1)")
	" FROM people hm JOIN reporting_lines r ON r.person_id = " ORG_HUMAN("?2")
	" AND r.valid_from <= ?3 AND (r.valid_to IS NULL OR r.valid_to > ?3)"
	" JOIN people mh ON mh.id = " ORG_HUMAN("r.manager_id")
	" WHERE hm.id = " ORG_HUMAN("?1") " AND hm.end_date <= ?3"
	" ORDER BY r.valid_from DESC LIMIT 1";
/* clang-format on */

/* cycle_stand_in as the org was at the time at. */
static int stand_in_as_of(struct ctx *ctx, int64_t home_manager, int64_t reviewee, int64_t at,
                          struct cycle_stand_in *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	if (!home_manager)
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, stand_in_sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, home_manager);
	stmt_bind_int(st, 2, reviewee);
	stmt_bind_int(st, 3, at);
	rc = stmt_step(st, err);
	/* A manager now who has left too, or is the reviewee's own human, is
	 * nobody to stand in. */
	if (rc == STORE_ROW && stmt_int(st, 4)) {
		out->person = stmt_int(st, 0);
		out->employee_id = stmt_text_dup(st, 1, ctx->arena);
		out->name = stmt_text_dup(st, 2, ctx->arena);
		out->email = stmt_text_dup(st, 3, ctx->arena);
		out->manager = stmt_is_null(st, 5) ? 0 : stmt_int(st, 5);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int cycle_stand_in(struct ctx *ctx, int64_t home_manager, int64_t reviewee,
                   struct cycle_stand_in *out, struct error *err)
{
	return stand_in_as_of(ctx, home_manager, reviewee, ts_now_ms(), out, err);
}

int cycle_is_manager(struct ctx *ctx, int64_t home_manager, int64_t reviewee, bool *yes,
                     struct error *err)
{
	int rc = authz_is_actor_record(ctx, home_manager, yes, err);
	if (rc < 0 || *yes)
		return rc;
	struct cycle_stand_in in;
	if ((rc = cycle_stand_in(ctx, home_manager, reviewee, &in, err)) < 0 || !in.person)
		return rc;
	return authz_is_actor_record(ctx, in.person, yes, err);
}

/* clang-format off */
static const char ever_managed_sql[] =
	"SELECT 1 FROM reporting_lines rl WHERE " ORG_HUMAN("rl.manager_id") " = " ORG_HUMAN("?1")
	" AND rl.person_id IN (SELECT " ORG_HUMAN("?2") " UNION ALL SELECT m.from_person_id FROM"
	" person_merges m WHERE m.into_person_id = " ORG_HUMAN("?2") ") AND rl.valid_from <= ?3 LIMIT 1";
/* clang-format on */

int cycle_ever_managed(struct ctx *ctx, int64_t manager, int64_t person, int64_t at, bool *yes,
                       struct error *err)
{
	*yes = false;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, ever_managed_sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, manager);
	stmt_bind_int(st, 2, person);
	stmt_bind_int(st, 3, at);
	rc = stmt_step(st, err);
	*yes = rc == STORE_ROW;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- who may run a cycle ---- */

/* Admins and people partners run cycles; checked before anything is read. */
static int may_run(struct ctx *ctx, const char *what, struct error *err)
{
	if (actor_has_role(&ctx->actor, ROLE_ADMIN) ||
	    actor_has_role(&ctx->actor, ROLE_PEOPLE_PARTNER))
		return 0;
	err_set(err, ERR_DENIED, "%s may not %s", ctx->actor.name, what);
	err_hint(err, "people partners and admins run review cycles");
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

static bool id_in(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* A people partner's units must cover every member: where they are now, or
 * (teams given) the team the cycle took them in. A member who moved to
 * another unit after the cycle was made still belongs to it (found in
 * review: one member's move away from payments left the partner who made
 * the payments cycle unable to advance it). */
static int may_run_for(struct ctx *ctx, const int64_t *members, const int64_t *teams, size_t n,
                       const char *what, struct error *err)
{
	if (actor_has_role(&ctx->actor, ROLE_ADMIN))
		return 0;
	struct hmap team_covered; /* team id: 1 covered, 0 not; asked once each */
	hmap_init(&team_covered);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		enum authz_review rel = AUTHZ_REVIEW_NONE;
		int64_t covered = 0;
		if (teams) {
			char key[24];
			snprintf(key, sizeof key, "%" PRId64, teams[i]);
			if (!hmap_get(&team_covered, key, &covered)) {
				bool yes = false;
				rc = authz_partner_of_team(ctx, teams[i], &yes, err);
				covered = yes;
				hmap_put(&team_covered, key, covered);
			}
		}
		if (rc == 0 && !covered)
			rc = authz_review_relation(ctx, members[i], 0, &rel, err);
		/* Running a cycle is process, not content: a partner's own unit includes
		 * them, and a record merged into theirs (SELF). */
		if (rc == 0 && !covered && rel != AUTHZ_REVIEW_PEOPLE_PARTNER &&
		    rel != AUTHZ_REVIEW_SELF) {
			err_set(err, ERR_DENIED,
			        "%s may not %s: it covers people outside their org units",
			        ctx->actor.name, what);
			ctx_note_denied(ctx, err);
			rc = ERR_DENIED;
		}
	}
	hmap_release(&team_covered);
	return rc;
}

/* ---- creating a cycle ---- */

struct member {
	int64_t person, team, manager;
	const char *employee_id, *level, *track, *profile;
};

struct create_args {
	const struct cycle_create_options *opt;
	struct cycle_create_result *out;
};

static int load_members(struct ctx *ctx, const int64_t *teams, size_t nteams, int64_t now,
                        struct member **out, size_t *n, struct error *err)
{
	static const char sql[] =
	        "WITH RECURSIVE unit(id) AS (SELECT id FROM teams WHERE id = ?"
	        "  UNION SELECT t.id FROM teams t JOIN unit u ON t.parent_id = u.id)"
	        " SELECT p.id, p.employee_id, p.track, p.role_profile, m.team_id,"
	        "  (SELECT l.level FROM levels l WHERE l.person_id = p.id AND l.valid_from <= ?"
	        "    AND (l.valid_to IS NULL OR l.valid_to > ?) ORDER BY l.valid_from DESC LIMIT "
	        "1),"
	        "  (SELECT r.manager_id FROM reporting_lines r WHERE r.person_id = p.id"
	        "    AND r.valid_from <= ? AND (r.valid_to IS NULL OR r.valid_to > ?)"
	        "    ORDER BY r.valid_from DESC LIMIT 1)"
	        " FROM team_memberships m JOIN unit u ON m.team_id = u.id"
	        " JOIN people p ON p.id = m.person_id"
	        " WHERE m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to > ?)"
	        "  AND " ORG_PERSON_CURRENT("p", "?") " ORDER BY p.employee_id";
	struct hmap seen;
	hmap_init(&seen);
	size_t cap = 64;
	*out = arena_array(ctx->arena, cap, sizeof **out);
	*n = 0;
	int rc = 0;
	for (size_t t = 0; t < nteams && rc == 0; t++) {
		struct store_stmt *st;
		rc = store_prepare(ctx->store, sql, &st, err);
		if (rc < 0)
			break;
		stmt_bind_int(st, 1, teams[t]);
		for (int i = 2; i <= 8; i++)
			stmt_bind_int(st, i, now);
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			const char *eid = stmt_text(st, 1);
			if (hmap_get(&seen, eid, NULL))
				continue;
			hmap_put(&seen, eid, 1);
			if (*n == cap) {
				struct member *more =
				        arena_array(ctx->arena, cap * 2, sizeof *more);
				memcpy(more, *out, cap * sizeof *more);
				*out = more;
				cap *= 2;
			}
			struct member *m = &(*out)[(*n)++];
			m->person = stmt_int(st, 0);
			m->employee_id = stmt_text_dup(st, 1, ctx->arena);
			m->track = stmt_text_dup(st, 2, ctx->arena);
			m->profile = stmt_text_dup(st, 3, ctx->arena);
			m->team = stmt_int(st, 4);
			m->level = stmt_is_null(st, 5) ? "" : stmt_text_dup(st, 5, ctx->arena);
			m->manager = stmt_is_null(st, 6) ? 0 : stmt_int(st, 6);
		}
		stmt_reset(st);
	}
	hmap_release(&seen);
	return rc < 0 ? rc : 0;
}

/* Every member must fit the framework, or the cycle cannot score them. */
static int check_members(const struct framework *fw, const struct member *m, size_t n,
                         struct error *err)
{
	struct sb bad = SB_INIT;
	int count = 0;
	for (size_t i = 0; i < n; i++) {
		const struct fw_level *lv = framework_level(fw, m[i].level);
		const struct fw_profile *pr = framework_profile(fw, m[i].profile);
		/* A profile of another track than the level's is no missing name
		 * (found hunting: it read "profile's track not in the framework"). */
		char mismatch[160];
		const char *why =
		        !lv   ? "level not in the framework"
		        : !pr ? "role profile not in the framework"
		        : !strcmp(pr->track, lv->track)
		                ? NULL
		                : (snprintf(mismatch, sizeof mismatch,
		                            "the profile's track, %s, is not the level's, %s",
		                            pr->track, lv->track),
		                   mismatch);
		if (!why)
			continue;
		if (count++ < 10)
			sb_printf(&bad, "%s%s (level '%s', role profile '%s': %s)",
			          bad.len ? "; " : "", m[i].employee_id, m[i].level, m[i].profile,
			          why);
	}
	if (!count) {
		sb_release(&bad);
		return 0;
	}
	err_set(err, ERR_INVALID,
	        "%d of the cycle's %zu people do not fit framework version %d: %s%s", count, n,
	        fw->version, bad.buf, count > 10 ? "; ..." : "");
	err_hint(err, "fix their level or role profile in the org file, or add them to the "
	              "framework");
	sb_release(&bad);
	return ERR_INVALID;
}

static int insert_assignment(struct ctx *ctx, int64_t cycle, int64_t reviewee, int64_t reviewer,
                             const char *relation, const char *status, int64_t now, int64_t *id,
                             struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "INSERT INTO review_assignments(cycle_id, reviewee_id, reviewer_id, "
	                       "relation, status, nominated_by, created_at) VALUES "
	                       "(?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	stmt_bind_int(st, 2, reviewee);
	stmt_bind_int(st, 3, reviewer);
	stmt_bind_text(st, 4, relation);
	stmt_bind_text(st, 5, status);
	stmt_bind_text(st, 6, ctx->actor.name);
	stmt_bind_int(st, 7, now);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW && id)
		*id = stmt_int(st, 0);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int exec(struct ctx *ctx, const char *sql, const int64_t *ints, int nints,
                const char *const *texts, int ntexts, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	for (int i = 0; i < nints; i++)
		stmt_bind_int(st, i + 1, ints[i]);
	for (int i = 0; i < ntexts; i++)
		stmt_bind_text(st, nints + i + 1, texts[i]);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int create_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct create_args *a = arg;
	const struct cycle_create_options *opt = a->opt;
	memset(a->out, 0, sizeof *a->out);
	int64_t now = ts_now_ms();
	const struct framework *fw;
	int rc = may_run(ctx, "create a review cycle", err);
	if (rc == 0)
		rc = framework_load(ctx, opt->framework_version, &fw, err);
	if (rc < 0)
		return rc;
	int64_t *teams = arena_array(ctx->arena, opt->nteams ? opt->nteams : 1, sizeof *teams);
	for (size_t i = 0; i < opt->nteams && rc == 0; i++) {
		rc = org_team_id(ctx, opt->teams[i], &teams[i], err);
		for (size_t j = 0; j < i && rc == 0; j++)
			if (teams[j] == teams[i]) /* it was a database error (found in review) */
				rc = err_set(err, ERR_USAGE, "--scope names team '%s' twice",
				             opt->teams[i]);
	}
	struct member *m = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = load_members(ctx, teams, opt->nteams, now, &m, &n, err);
	if (rc < 0)
		return rc;
	int64_t *ids = arena_array(ctx->arena, n ? n : 1, sizeof *ids);
	for (size_t i = 0; i < n; i++)
		ids[i] = m[i].person;
	rc = may_run_for(ctx, ids, NULL, n, "create a review cycle for these teams", err);
	if (rc < 0)
		return rc;
	if (n == 0)
		return err_set(err, ERR_INVALID, "the teams have no current members to review");
	rc = check_members(fw, m, n, err);
	if (rc < 0)
		return rc;
	int64_t dummy;
	struct error ignore = {0};
	if (cycle_find(ctx, opt->name, &dummy, &ignore) == 0) {
		err_set(err, ERR_CONFLICT, "a review cycle named '%s' exists already", opt->name);
		return ERR_CONFLICT;
	}
	int64_t start = opt->period_start, end = opt->period_end;
	if (!end)
		end = now;
	if (!start)
		start = end - (opt->kind == FW_KIND_ANNUAL ? 365 : 91) * MS_PER_DAY;
	int ratings = opt->ratings >= 0              ? opt->ratings
	              : opt->kind == FW_KIND_ANNUAL  ? 1
	              : opt->kind == FW_KIND_CHECKIN ? fw->checkin_ratings
	                                             : 0;
	int cap = opt->reviewer_cap ? opt->reviewer_cap : fw->reviewer_cap;
	const char *first = NULL;
	for (int p = 0; p < CYCLE_PHASE_COUNT && !first; p++)
		if (kind_has_phase(opt->kind, (enum cycle_phase)p))
			first = phase_names[p];
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "INSERT INTO cycles(name, kind, framework_version, period_start, "
	                   "period_end, ratings, reviewer_cap, phase, created_at, created_by) "
	                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, opt->name);
	stmt_bind_text(st, 2, fw_kind_name(opt->kind));
	stmt_bind_int(st, 3, fw->version);
	stmt_bind_int(st, 4, start);
	stmt_bind_int(st, 5, end);
	stmt_bind_int(st, 6, ratings);
	stmt_bind_int(st, 7, cap);
	stmt_bind_text(st, 8, first);
	stmt_bind_int(st, 9, now);
	stmt_bind_text(st, 10, ctx->actor.name);
	rc = stmt_step(st, err);
	int64_t cycle = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	rc = 0;
	a->out->id = cycle;
	a->out->created_at = now;
	a->out->npast_due = 0;
	int seq = 0;
	int64_t prev_due = 0;
	for (int p = 0; p < CYCLE_PHASE_COUNT && rc == 0; p++) {
		if (!kind_has_phase(opt->kind, (enum cycle_phase)p))
			continue;
		int64_t due = opt->due[p] ? opt->due[p] : now + phase_days[p] * MS_PER_DAY;
		/* A usage error as "the period ends before it starts" is: the
		 * dates given cannot make a cycle (found hunting: exit 1). */
		if (due < prev_due) {
			err_set(err, ERR_USAGE,
			        "--due: the %s phase is due before the phase ahead of it; phases "
			        "are "
			        "due in order",
			        phase_names[p]);
			err_hint(err, "a phase given no --due is due its default days from now");
			return ERR_USAGE;
		}
		prev_due = due;
		if (due < now)
			a->out->past_due[a->out->npast_due++] =
			        (struct cycle_past_due){(enum cycle_phase)p, due};
		int64_t ints[] = {cycle, seq, due};
		const char *texts[] = {phase_names[p]};
		rc = exec(ctx,
		          "INSERT INTO cycle_phases(cycle_id, seq, due_at, name) "
		          "VALUES (?, ?, ?, ?)",
		          ints, 3, texts, 1, err);
		if (rc == 0 && seq == 0) {
			int64_t open[] = {now, cycle};
			rc = exec(ctx,
			          "UPDATE cycle_phases SET opened_at = ? WHERE cycle_id = ? AND "
			          "seq = 0",
			          open, 2, NULL, 0, err);
		}
		seq++;
	}
	for (size_t t = 0; t < opt->nteams && rc == 0; t++) {
		int64_t ints[] = {cycle, teams[t]};
		rc = exec(ctx, "INSERT INTO cycle_teams(cycle_id, team_id) VALUES (?, ?)", ints, 2,
		          NULL, 0, err);
	}
	struct hmap in_cycle;
	hmap_init(&in_cycle);
	for (size_t i = 0; i < n && rc == 0; i++) {
		hmap_put(&in_cycle, id_text(ctx->arena, m[i].person), 1);
		int64_t ints[] = {cycle, m[i].person, m[i].team};
		const char *texts[] = {m[i].level, m[i].track, m[i].profile};
		if (m[i].manager) {
			int64_t with[] = {cycle, m[i].person, m[i].team, m[i].manager};
			rc = exec(ctx,
			          "INSERT INTO cycle_members(cycle_id, person_id, team_id, "
			          "manager_id, "
			          "level, track, role_profile) VALUES (?, ?, ?, ?, ?, ?, ?)",
			          with, 4, texts, 3, err);
		} else {
			rc = exec(ctx,
			          "INSERT INTO cycle_members(cycle_id, person_id, team_id, level, "
			          "track, role_profile) VALUES (?, ?, ?, ?, ?, ?)",
			          ints, 3, texts, 3, err);
		}
	}
	a->out->members = (int)n;
	/* Self and manager for everyone; upward from reports in the cycle to their
	 * manager in annual reviews (a check-in or project has none). */
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = insert_assignment(ctx, cycle, m[i].person, m[i].person, "self", "active", now,
		                       NULL, err);
		a->out->assignments++;
		if (rc == 0 && m[i].manager) {
			rc = insert_assignment(ctx, cycle, m[i].person, m[i].manager, "manager",
			                       "active", now, NULL, err);
			a->out->assignments++;
		}
		/* Not from a report who reads their manager's feedback (a people
		 * partner of the manager's unit): as a nomination, refused
		 * (may_write_in_group; found in review: cycle create made it). */
		enum authz_review reads = AUTHZ_REVIEW_NONE;
		if (rc == 0 && m[i].manager && opt->kind == FW_KIND_ANNUAL &&
		    hmap_get(&in_cycle, id_text(ctx->arena, m[i].manager), NULL) &&
		    (rc = authz_review_reader(ctx, m[i].person, m[i].manager, 0, &reads, err)) ==
		            0 &&
		    reads == AUTHZ_REVIEW_NONE) {
			rc = insert_assignment(ctx, cycle, m[i].manager, m[i].person, "upward",
			                       "active", now, NULL, err);
			a->out->assignments++;
		}
	}
	hmap_release(&in_cycle);
	if (rc == 0)
		rc = calendar_cycle_overlaps_tx(ctx, cycle, &a->out->overlaps, &a->out->noverlaps,
		                                err);
	if (rc < 0)
		return rc;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "name", opt->name);
	jw_kstr(&w, "kind", fw_kind_name(opt->kind));
	jw_kint(&w, "framework_version", fw->version);
	jw_key(&w, "teams");
	jw_array_begin(&w);
	for (size_t t = 0; t < opt->nteams; t++)
		jw_str(&w, opt->teams[t]);
	jw_array_end(&w);
	jw_kint(&w, "members", (int64_t)n);
	jw_kint(&w, "assignments", a->out->assignments);
	jw_object_end(&w);
	rc = audit_append(ctx, "cycle.create", "cycle", id_text(ctx->arena, cycle), detail.buf,
	                  err);
	sb_release(&detail);
	return rc;
}

int cycle_create(struct ctx *ctx, const struct cycle_create_options *opt,
                 struct cycle_create_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	/* Characters, not bytes, as the message says; one line, no control
	 * characters (found in review: 61 accented letters were refused, a line
	 * break taken). */
	size_t chars = 0;
	if (!opt->name || !*opt->name || !utf8_count(opt->name, strlen(opt->name), &chars) ||
	    chars > NAME_ARG_MAX || !org_valid_text(opt->name, 4 * NAME_ARG_MAX))
		return err_set(err, ERR_USAGE,
		               "a cycle needs a name of 1 to %d characters, without control "
		               "characters",
		               NAME_ARG_MAX);
	/* --cycle takes a name or an id: a number as a name would later hide the
	 * cycle given that id (found in review), as calibration sessions refuse. */
	if (strspn(opt->name, "0123456789") == strlen(opt->name))
		return err_set(
		        err, ERR_USAGE,
		        "cycle name '%s': not only digits (a number names a cycle by its id)",
		        opt->name);
	/* It would look like the name without it in every listing, and a
	 * blank one like none, while --cycle must give it exactly (found
	 * hunting: ' ' and 'a26 ' were made cycles). */
	if (utf8_blank_at_an_end(opt->name))
		return err_set(err, ERR_USAGE,
		               "cycle name '%s' has a space at either end: listings do not show "
		               "it, and --cycle must give it exactly",
		               opt->name);
	if (!opt->nteams)
		return err_set(err, ERR_USAGE, "a cycle needs at least one team (--scope TEAM)");
	if (opt->period_start && opt->period_end && opt->period_start >= opt->period_end)
		return err_set(err, ERR_USAGE, "the period ends before it starts");
	for (int p = 0; p < CYCLE_PHASE_COUNT; p++)
		if (opt->due[p] && !kind_has_phase(opt->kind, (enum cycle_phase)p))
			return err_set(err, ERR_USAGE, "--due %s: a %s cycle has no %s phase",
			               phase_names[p], fw_kind_name(opt->kind), phase_names[p]);
	struct create_args a = {opt, out};
	return ctx_run(ctx, OP_CYCLE_CREATE, create_body, &a, err);
}

/* ---- advancing ---- */

struct advance_args {
	const char *cycle;
	struct cycle_advance_result *out;
};

/* The cycle's members and the team each was taken in, in two arrays. */
static int cycle_member_ids(struct ctx *ctx, int64_t cycle, int64_t **ids, int64_t **teams,
                            size_t *n, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT person_id, team_id FROM cycle_members WHERE cycle_id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	size_t cap = 64;
	*ids = arena_array(ctx->arena, cap, sizeof **ids);
	*teams = arena_array(ctx->arena, cap, sizeof **teams);
	*n = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		if (*n == cap) {
			int64_t *more = arena_array(ctx->arena, cap * 2, sizeof *more);
			memcpy(more, *ids, cap * sizeof *more);
			*ids = more;
			more = arena_array(ctx->arena, cap * 2, sizeof *more);
			memcpy(more, *teams, cap * sizeof *more);
			*teams = more;
			cap *= 2;
		}
		(*ids)[*n] = stmt_int(st, 0);
		(*teams)[(*n)++] = stmt_int(st, 1);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int set_phase(struct ctx *ctx, int64_t cycle, const char *phase, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "UPDATE cycles SET phase = ? WHERE id = ?", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, phase);
	stmt_bind_int(st, 2, cycle);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Leaving calibration while one of the cycle's calibration sessions is not
 * closed would strand it: sessions open, change and close only in that
 * phase, and their changes reach the evaluations when they close. */
static int sessions_closed(struct ctx *ctx, const struct cycle_info *info, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT name, status FROM calibration_sessions WHERE cycle_id = ?"
	                       " AND status <> 'closed' ORDER BY id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, info->id);
	struct sb names = SB_INIT;
	int n = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW && n++ < 10)
		sb_printf(&names, "%s'%s' (%s)", names.len ? ", " : "", stmt_text(st, 0),
		          stmt_text(st, 1));
	stmt_reset(st);
	if (rc < 0 || !n) {
		sb_release(&names);
		return rc < 0 ? rc : 0;
	}
	err_set(err, ERR_CONFLICT,
	        "review cycle '%s' cannot leave its calibration phase: calibration %s %s%s %s "
	        "not closed",
	        info->name, n > 1 ? "sessions" : "session", names.buf, n > 10 ? ", ..." : "",
	        n > 1 ? "are" : "is");
	err_detail(err, "a session's changes reach the evaluations when it closes, which it can "
	                "only do in the calibration phase; cycles never move back");
	err_hint(err, "close each with plumb calibrate session close --session NAME (a draft one "
	              "is opened first)");
	sb_release(&names);
	return ERR_CONFLICT;
}

static int advance_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct advance_args *a = arg;
	memset(a->out, 0, sizeof *a->out);
	int64_t cycle;
	int rc = may_run(ctx, "advance a review cycle", err);
	if (rc == 0)
		rc = cycle_find(ctx, a->cycle, &cycle, err);
	struct cycle_info info;
	if (rc == 0)
		rc = cycle_info(ctx, cycle, &info, err);
	int64_t *ids = NULL, *teams = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = cycle_member_ids(ctx, cycle, &ids, &teams, &n, err);
	if (rc == 0)
		rc = may_run_for(ctx, ids, teams, n, "advance this review cycle", err);
	if (rc < 0)
		return rc;
	if (strcmp(info.phase, "closed") == 0)
		return err_set(err, ERR_CONFLICT, "review cycle '%s' is closed already", info.name);
	size_t cur = 0;
	while (cur < info.nphases && strcmp(info.phases[cur].name, info.phase) != 0)
		cur++;
	if (cur == info.nphases)
		return err_set(err, ERR_FAILED, "cycle '%s' is in unknown phase '%s'", info.name,
		               info.phase);
	if (strcmp(info.phase, "calibration") == 0 && (rc = sessions_closed(ctx, &info, err)) < 0)
		return rc;
	int64_t now = ts_now_ms();
	const char *next = cur + 1 < info.nphases ? info.phases[cur + 1].name : "closed";
	int64_t close[] = {now, cycle, (int64_t)cur};
	rc = exec(ctx, "UPDATE cycle_phases SET closed_at = ? WHERE cycle_id = ? AND seq = ?",
	          close, 3, NULL, 0, err);
	if (rc == 0 && cur + 1 < info.nphases) {
		int64_t open[] = {now, cycle, (int64_t)cur + 1};
		rc = exec(ctx,
		          "UPDATE cycle_phases SET opened_at = ? WHERE cycle_id = ? AND seq = ?",
		          open, 3, NULL, 0, err);
	}
	if (rc == 0)
		rc = set_phase(ctx, cycle, next, err);
	if (rc < 0)
		return rc;
	/* What the closed phase left undone stays visible in status; a twin
	 * another assignment of its human stands for is none of it. */
	struct cycle_assignment *as = NULL;
	size_t nas = 0;
	rc = cycle_assignments(ctx, cycle, &as, &nas, err);
	for (size_t i = 0; rc == 0 && i < nas; i++)
		if (!as[i].done && !as[i].covered && !as[i].withdrawn &&
		    strcmp(as[i].status, "active") == 0 && strcmp(as[i].phase, info.phase) == 0)
			a->out->left_undone++;
	a->out->from = info.phase;
	a->out->to = arena_strdup(ctx->arena, next);
	a->out->name = info.name;
	if (rc < 0)
		return rc;
	char detail[256];
	snprintf(detail, sizeof detail, "{\"from\":\"%s\",\"to\":\"%s\",\"left_undone\":%d}",
	         info.phase, next, a->out->left_undone);
	return audit_append(ctx, "cycle.advance", "cycle", id_text(ctx->arena, cycle), detail, err);
}

int cycle_advance(struct ctx *ctx, const char *cycle, struct cycle_advance_result *out,
                  struct error *err)
{
	memset(out, 0, sizeof *out);
	struct advance_args a = {cycle, out};
	return ctx_run(ctx, OP_CYCLE_ADVANCE, advance_body, &a, err);
}

/* ---- assignments ---- */

static bool feedback_relation(const char *relation)
{
	return strcmp(relation, "peer") == 0 || strcmp(relation, "upward") == 0 ||
	       strcmp(relation, "cross_functional") == 0;
}

static int64_t phase_due(const struct cycle_info *info, const char *phase)
{
	for (size_t i = 0; i < info->nphases; i++)
		if (strcmp(info->phases[i].name, phase) == 0)
			return info->phases[i].due_at;
	return 0;
}

static bool visible_id(bool all, const struct hmap *visible, int64_t id)
{
	char key[24];
	snprintf(key, sizeof key, "%" PRId64, id);
	return all || hmap_get(visible, key, NULL);
}

/* The assignments of a cycle, and of one reviewer (an employee id, ?4): two
 * statements, as "?4 IS NULL OR ..." would keep SQLite off the reviewer's
 * index and read the whole cycle for one reviewer's rows.  ph is the
 * reviewer's human as their current record (ORG_HUMAN): a merged record is
 * no leaver, its work is written, and reminded, as the record it went into
 * (found hunting merges: it was a leaver's, its place free for another peer,
 * and its reminders skipped). */
/* clang-format off */
/* The manager of the reviewer's human (ph) now; ORG_HUMAN makes it the
 * record a merged manager went into (found hunting merges: an escalation
 * went to the merged record's address). */
#define WRITER_MANAGER \
	"(SELECT r.manager_id FROM reporting_lines r WHERE r.person_id = ph.id" \
	"   AND r.valid_from <= ?1 AND (r.valid_to IS NULL OR r.valid_to > ?2)" \
	"   ORDER BY r.valid_from DESC LIMIT 1)"
#define ASSIGNMENTS_SQL(reviewer_filter) \
	"SELECT a.id, a.relation, a.status, a.reviewee_id, a.reviewer_id, pe.employee_id," \
	" pr.employee_id, pe.name, pr.name, ph.email," \
	" " ORG_HUMAN(WRITER_MANAGER) "," \
	" t.name," \
	" (SELECT MAX(f.created_at) FROM feedback_responses f WHERE f.assignment_id = a.id" \
	"   AND f.status = 'submitted')," \
	" (SELECT COUNT(*) FROM feedback_responses f WHERE f.assignment_id = a.id" \
	"   AND f.status = 'draft')," \
	" (SELECT MIN(e.created_at) FROM evaluations e WHERE e.cycle_id = a.cycle_id" \
	"   AND e.person_id = a.reviewee_id AND e.source = 'manager')," \
	" (SELECT COUNT(*) FROM reminders rm WHERE rm.assignment_id = a.id)," \
	" CASE WHEN (" ORG_PERSON_CURRENT("ph", "?1") ") THEN 0 ELSE 1 END," \
	" cm.manager_id," \
	" CASE WHEN " FEEDBACK_ABOUT_SELF(ORG_HUMAN("a.reviewer_id")) " THEN 1 ELSE 0 END," \
	" ph.id, ph.employee_id, ph.name," \
	" CASE WHEN a.status = 'active' AND (" FEEDBACK_TWIN_COVERED("a") " OR" \
	" " FEEDBACK_SELF_COVERED("a") ") THEN 1 ELSE 0 END," \
	" " ORG_HUMAN("a.reviewee_id") "," \
	" " ORG_RECORD_RANK("a.reviewee_id") "," \
	" ph.end_date, hp.end_date, hp.employee_id, hp.name" \
	" FROM review_assignments a JOIN people pe ON pe.id = a.reviewee_id" \
	" JOIN people hp ON hp.id = " ORG_HUMAN("a.reviewee_id") \
	" JOIN people pr ON pr.id = a.reviewer_id" \
	" JOIN people ph ON ph.id = " ORG_HUMAN("a.reviewer_id") \
	" JOIN cycle_members cm ON cm.cycle_id = a.cycle_id AND cm.person_id = a.reviewee_id" \
	" JOIN teams t ON t.id = cm.team_id" \
	" WHERE a.cycle_id = ?3" reviewer_filter " ORDER BY t.name, pe.employee_id, a.id"
/* clang-format on */

/* Rows as a masked reader sees them: by team, then reviewee as shown.  The
 * query's order, by real employee id, put each pseudonym's rows beside the
 * reader's own rows about the same person under their real id (a manager's
 * review of E101 next to P-f0..'s self review), tying the two. */
static int cmp_masked_row(const void *a, const void *b)
{
	const struct cycle_assignment *x = a, *y = b;
	int c = strcmp(x->team, y->team);
	if (!c)
		c = strcmp(x->reviewee, y->reviewee);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

int cycle_review_pages(struct ctx *ctx, const struct cycle_info *info,
                       const struct cycle_assignment *x, unsigned *pages, struct error *err)
{
	*pages = 0;
	enum authz_review rel;
	int rc = authz_review_relation(ctx, x->reviewee_id, x->home_manager_id, &rel, err);
	if (rc < 0)
		return rc;
	bool reader = rel == AUTHZ_REVIEW_MANAGER || rel == AUTHZ_REVIEW_PEOPLE_PARTNER;
	/* Checked here, not by whether the manager's row is shown: an admin
	 * sees that row before delivery (found in review). */
	bool self = rel == AUTHZ_REVIEW_SELF && cycle_delivered(info->phase);
	if (reader)
		*pages |= CYCLE_PAGE_REVIEW;
	if (x->evaluated && (reader || self))
		*pages |= CYCLE_PAGE_SCORE;
	if (x->evaluated && reader)
		*pages |= CYCLE_PAGE_PACKET;
	return 0;
}

/* What reading the rows of one statement of ASSIGNMENTS_SQL needs, and the
 * rows read so far (read_assignments). */
struct row_reader {
	struct ctx *ctx;
	const struct cycle_info *info;
	bool all, admin;
	const struct hmap *visible;
	const int64_t *mine_records;
	size_t nmine_records;
	int64_t now;
	struct cycle_assignment *out;
	size_t n, cap;
	/* Rows read only as the actor may stand in for their leaver: kept once
	 * stand_in_rows finds them the actor's (drop_not_standing_in). */
	bool *stand_in_only;
	size_t stand_in_cap;
};

/* The rows of st the actor may see, appended to r->out. */
static int read_rows(struct row_reader *r, struct store_stmt *st, struct error *err)
{
	int rc;
	struct arena *a = r->ctx->arena;
	const int64_t *mine_records = r->mine_records;
	size_t nmine_records = r->nmine_records;
	bool admin = r->admin;
	int64_t now = r->now;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		int64_t reviewee = stmt_int(st, 3), reviewer = stmt_int(st, 4);
		const char *relation = stmt_text(st, 1);
		bool mine = id_in(mine_records, nmine_records, reviewer);
		/* Who owes upward feedback is nobody's business but the writer's (and
		 * the admins', who send reminders): a manager up the chain could pair
		 * it with what the group says. */
		if (!mine && !admin && strcmp(relation, "upward") == 0)
			continue;
		/* The reviewee's manager in the cycle decides on their nominations and
		 * writes their review, also once the reviewee has moved to another
		 * manager (found in review: they then saw none of the rows they were
		 * to decide on). */
		bool home_manager = !stmt_is_null(st, 17) &&
		                    id_in(mine_records, nmine_records, stmt_int(st, 17));
		/* A record merged into the actor's is themselves: the rows about it
		 * are theirs to see as they were that record's (found hunting
		 * merges: none were, and cycle status called the record short of
		 * peers it had). */
		/* Nor are the rows of one outside the actor's scope, but for a
		 * manager review whose leaver the actor may stand in for: theirs to
		 * see as it is to write (found in review: a stand-in with the
		 * employee role saw none of it, yet could submit it). */
		bool stand_in_only = false;
		if (!mine && !home_manager && !visible_id(r->all, r->visible, reviewee) &&
		    !id_in(mine_records, nmine_records, reviewee)) {
			if (!nmine_records || strcmp(relation, "manager") != 0 ||
			    stmt_int(st, 16) == 0)
				continue;
			stand_in_only = true;
		}
		/* The reviewee learns of their manager's review at delivery, as
		 * evaluation history and plumb me have it: before, its row is not
		 * theirs, as whether and when it was done would tell (found in
		 * review: done_at was the evaluation's time). */
		if (id_in(mine_records, nmine_records, reviewee) && !mine && !admin &&
		    strcmp(relation, "manager") == 0 && !cycle_delivered(r->info->phase))
			continue;
		r->stand_in_only = arena_grow(a, r->stand_in_only, r->n, &r->stand_in_cap,
		                              sizeof *r->stand_in_only);
		r->stand_in_only[r->n] = stand_in_only;
		r->out = arena_grow(a, r->out, r->n, &r->cap, sizeof *r->out);
		struct cycle_assignment *x = &r->out[r->n++];
		memset(x, 0, sizeof *x);
		x->id = stmt_int(st, 0);
		x->relation = arena_strdup(a, relation);
		x->status = stmt_text_dup(st, 2, a);
		x->reviewee_id = reviewee;
		x->reviewer_id = reviewer;
		x->reviewee = stmt_text_dup(st, 5, a);
		x->reviewer = stmt_text_dup(st, 6, a);
		x->reviewee_name = stmt_text_dup(st, 7, a);
		x->reviewer_name = stmt_text_dup(st, 8, a);
		x->reviewer_email = stmt_text_dup(st, 9, a);
		x->reviewer_manager_id = stmt_is_null(st, 10) ? 0 : stmt_int(st, 10);
		x->team = stmt_text_dup(st, 11, a);
		x->phase =
		        cycle_phase_name(cycle_phase_of_relation(fw_relation_parse(x->relation)));
		x->due_at = phase_due(r->info, x->phase);
		bool by_evaluation = strcmp(x->relation, "manager") == 0 && r->info->ratings;
		int col = by_evaluation ? 14 : 12;
		x->done = !stmt_is_null(st, col) && strcmp(x->status, "active") == 0;
		x->done_at = x->done ? stmt_int(st, col) : 0;
		x->draft = !x->done && stmt_int(st, 13) > 0;
		x->reminders = (int)stmt_int(st, 15);
		/* When a peer wrote, or is writing, is theirs: others see done or not.
		 * The reminders sent tell it too (found in review: the reviewee saw a
		 * peer who was done had one reminder, so wrote after it went), and to
		 * the reviewee which of their reviewers were chased. */
		if (!mine && !admin && feedback_relation(x->relation)) {
			x->done_at = 0;
			x->draft = false;
			x->reminders = -1;
		}
		x->mine = mine;
		x->reviewer_left = stmt_int(st, 16) != 0;
		x->home_manager_id = stmt_is_null(st, 17) ? 0 : stmt_int(st, 17);
		x->about_self = stmt_int(st, 18) != 0;
		x->evaluated = !stmt_is_null(st, 14);
		x->writer_id = stmt_int(st, 19);
		x->writer = stmt_text_dup(st, 20, a);
		x->writer_name = stmt_text_dup(st, 21, a);
		x->covered = stmt_int(st, 22) != 0;
		x->reviewee_human_id = stmt_int(st, 23);
		x->reviewee_rank = stmt_int(st, 24);
		x->reviewer_left_on =
		        x->reviewer_left && !stmt_is_null(st, 25) ? stmt_int(st, 25) : 0;
		x->reviewee_left_on =
		        !stmt_is_null(st, 26) && stmt_int(st, 26) <= now ? stmt_int(st, 26) : 0;
		x->reviewee_human = stmt_text_dup(st, 27, a);
		x->reviewee_human_name = stmt_text_dup(st, 28, a);
		/* A leaver owes nothing more, and is owed nothing not yet written
		 * unless they were evaluated: the review then stands. */
		x->withdrawn = strcmp(x->status, "active") == 0 && !x->done && !x->covered &&
		               (x->reviewer_left || (x->reviewee_left_on && !x->evaluated));
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* x as owed or written by in instead of its leaver: named as its writer,
 * the leaver as its reviewer and leaver. */
static void replace_writer(struct row_reader *r, struct cycle_assignment *x,
                           const struct cycle_stand_in *in)
{
	x->leaver = x->writer;
	x->leaver_name = x->writer_name;
	x->leaver_left_on = x->reviewer_left_on;
	x->reviewer_left = false;
	x->reviewer_left_on = 0;
	x->writer_id = in->person;
	x->writer = in->employee_id;
	x->writer_name = in->name;
	x->reviewer_email = in->email;
	x->reviewer_manager_id = in->manager;
	x->mine = in->person && id_in(r->mine_records, r->nmine_records, in->person);
}

/* x as owed or written by the stand-in in.  Its reminders are those sent to
 * whoever owes it now (found in review: the leaver's, handed on, counted
 * as the stand-in's): to the stand-in, and escalations to a manager of
 * theirs sent once the leaver had left; one sent before was about the
 * leaver, also where their manager is the stand-in's too (found in
 * review). */
static int stand_in_writer(struct row_reader *r, struct cycle_assignment *x,
                           const struct cycle_stand_in *in, struct error *err)
{
	replace_writer(r, x, in);
	x->stand_in = true;
	if (x->reminders <= 0)
		return 0;
	struct store_stmt *st;
	/* clang-format off */
	int rc = store_prepare(r->ctx->store,
	                       "SELECT " ORG_HUMAN("recipient_id") ", kind, sent_at FROM reminders"
	                       " WHERE assignment_id = ?", &st, err);
	/* clang-format on */
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, x->id);
	int64_t escalated[8]; /* one record per kind and channel (notify): a few */
	size_t nescalated = 0;
	x->reminders = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		int64_t to = stmt_int(st, 0);
		if (to == in->person)
			x->reminders++;
		else if (strcmp(stmt_text(st, 1), "escalation") == 0 &&
		         stmt_int(st, 2) >= x->leaver_left_on &&
		         nescalated < sizeof escalated / sizeof *escalated)
			escalated[nescalated++] = to;
	}
	stmt_reset(st);
	for (size_t i = 0; rc >= 0 && i < nescalated; i++) {
		bool theirs = false;
		rc = cycle_ever_managed(r->ctx, escalated[i], in->person, r->now, &theirs, err);
		x->reminders += theirs;
	}
	return rc < 0 ? rc : 0;
}

/* Who wrote the manager review x that its leaver did not (by the user who
 * stored it), into by: their human (ORG_HUMAN) with its employee id, or,
 * where the user has no person (an admin), person 0 and the user's name as
 * employee id and name; *other false where the leaver wrote it.  *at: when
 * the version that stands was stored. */
static int written_by_other(struct row_reader *r, const struct cycle_assignment *x,
                            struct cycle_stand_in *by, bool *other, int64_t *at, struct error *err)
{
	/* The version that stands: the newest. */
	/* clang-format off */
	static const char by_evaluation[] =
	        "SELECT sp.id, sp.employee_id, sp.name, sp.email, e.created_by, e.created_at"
	        " FROM evaluations e"
	        " LEFT JOIN users su ON su.name = e.created_by LEFT JOIN people sp ON sp.id = "
	        ORG_HUMAN("su.person_id") " WHERE e.cycle_id = ? AND e.person_id = ? AND"
	        " e.source = 'manager' ORDER BY e.version DESC LIMIT 1";
	static const char by_feedback[] =
	        "SELECT sp.id, sp.employee_id, sp.name, sp.email, f.created_by, f.created_at"
	        " FROM feedback_responses f LEFT JOIN users su ON su.name = f.created_by LEFT JOIN"
	        " people sp ON sp.id = " ORG_HUMAN("su.person_id") " WHERE f.assignment_id = ?"
	        " AND f.status = 'submitted' ORDER BY f.version DESC LIMIT 1";
	/* clang-format on */
	memset(by, 0, sizeof *by);
	*other = false;
	*at = 0;
	bool evaluated = r->info->ratings;
	struct store_stmt *st;
	int rc = store_prepare(r->ctx->store, evaluated ? by_evaluation : by_feedback, &st, err);
	if (rc < 0)
		return rc;
	if (evaluated) {
		stmt_bind_int(st, 1, r->info->id);
		stmt_bind_int(st, 2, x->reviewee_id);
	} else {
		stmt_bind_int(st, 1, x->id);
	}
	rc = stmt_step(st, err);
	struct arena *a = r->ctx->arena;
	if (rc == STORE_ROW)
		*at = stmt_int(st, 5);
	if (rc == STORE_ROW && stmt_is_null(st, 0)) {
		/* A user with no person wrote it (found in review: shown as the
		 * leaver's own). */
		*other = true;
		by->employee_id = by->name = stmt_text_dup(st, 4, a);
		by->email = "";
	} else if (rc == STORE_ROW && stmt_int(st, 0) != x->writer_id) {
		/* The leaver as any record of their human wrote it themselves. */
		*other = true;
		by->person = stmt_int(st, 0);
		by->employee_id = stmt_text_dup(st, 1, a);
		by->name = stmt_text_dup(st, 2, a);
		by->email = stmt_text_dup(st, 3, a);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Whether the stand-in person saved a draft of assignment: the leaver's is
 * not theirs. */
static int stand_in_draft(struct ctx *ctx, int64_t assignment, int64_t person, bool *yes,
                          struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT COUNT(*) FROM feedback_responses f JOIN users su ON "
	                       "su.name = f.created_by WHERE f.assignment_id = ? AND f.status = "
	                       "'draft' AND su.person_id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, assignment);
	stmt_bind_int(st, 2, person);
	rc = stmt_step(st, err);
	*yes = rc == STORE_ROW && stmt_int(st, 0) > 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* A manager review the manager in the cycle left undone is still owed, by
 * the one who stands in for them (cycle_stand_in), else by nobody yet: so
 * shown, not withdrawn (found in review: it stayed under the leaver,
 * withdrawn, and nobody was shown owing it nor reminded).  Once written,
 * it names who wrote it (found in review: the leaver, once the stand-in
 * had written it). */
static int stand_in_rows(struct row_reader *r, struct error *err)
{
	for (size_t i = 0; i < r->n; i++) {
		struct cycle_assignment *x = &r->out[i];
		if (strcmp(x->relation, "manager") != 0 || !x->reviewer_left)
			continue;
		struct cycle_stand_in in;
		int rc = 0;
		if (x->done) {
			/* Written by the stand-in, or by another in the leaver's
			 * place: a people partner, or a user with no person, stands
			 * in for nobody (found in review: shown as "PP for M001", and
			 * an admin's as the leaver's own). */
			struct cycle_stand_in by;
			bool other = false;
			int64_t written_at = 0;
			if ((rc = written_by_other(r, x, &by, &other, &written_at, err)) < 0)
				return rc;
			if (!other)
				continue;
			/* Who stood in when it was written, not who does now (found
			 * in review: the reviewee's move to another manager since
			 * showed the stand-in's review as "in place of" the
			 * leaver). */
			if (by.person &&
			    (rc = stand_in_as_of(r->ctx, x->reviewer_id, x->reviewee_id, written_at,
			                         &in, err)) < 0)
				return rc;
			if (by.person && by.person == in.person) {
				if ((rc = stand_in_writer(r, x, &in, err)) < 0)
					return rc;
			} else {
				replace_writer(r, x, &by);
				x->in_place = true;
			}
			continue;
		}
		if (!x->withdrawn || (x->reviewee_left_on && !x->evaluated))
			continue;
		if ((rc = cycle_stand_in(r->ctx, x->reviewer_id, x->reviewee_id, &in, err)) < 0)
			return rc;
		x->withdrawn = false;
		if (!in.person) {
			x->unowned = true;
			continue;
		}
		if ((rc = stand_in_writer(r, x, &in, err)) < 0)
			return rc;
		bool theirs = false;
		if (x->draft && (rc = stand_in_draft(r->ctx, x->id, in.person, &theirs, err)) < 0)
			return rc;
		x->draft = theirs;
	}
	return 0;
}

/* Drops the rows read only as the actor might stand in (read_rows) where
 * they do not; *first_rows, the count of the first statement's rows, is
 * kept in step. */
static void drop_not_standing_in(struct row_reader *r, size_t *first_rows)
{
	size_t kept = 0, first = *first_rows;
	for (size_t i = 0; i < r->n; i++) {
		if (r->stand_in_only[i] && !r->out[i].mine) {
			*first_rows -= i < first;
			continue;
		}
		r->out[kept++] = r->out[i];
	}
	r->n = kept;
}

/* Per human (reviewee_human_id), the index in rows of their self row of
 * highest ORG_RECORD_RANK, into best, and, when standing is not NULL, of the
 * one not covered; declined rows, and with skip_mine the actor's own, are
 * not looked at. */
static void self_rows_by_human(const struct cycle_assignment *rows, size_t n, bool skip_mine,
                               struct hmap *best, struct hmap *standing)
{
	for (size_t i = 0; i < n; i++) {
		const struct cycle_assignment *x = &rows[i];
		if ((skip_mine && x->mine) || strcmp(x->relation, "self") != 0 ||
		    strcmp(x->status, "declined") == 0)
			continue;
		char key[HMAP_ID_KEY_SIZE];
		int64_t at;
		hmap_id_key(key, x->reviewee_human_id);
		if (!hmap_get(best, key, &at) || rows[at].reviewee_rank < x->reviewee_rank)
			hmap_put(best, key, (int64_t)i);
		if (standing && !x->covered)
			hmap_put(standing, key, (int64_t)i);
	}
}

/* The rows about a record merged into another, each under the record its
 * human is reviewed as (their self row of highest ORG_RECORD_RANK, the one
 * a masked reader is shown): under the merged record's pseudonym, with no
 * self row, they told it is one (found in review).  reviewee_id stays, as
 * what is counted by it (short_of_peers) is each record's. */
static void current_reviewees(struct cycle_assignment *rows, size_t n)
{
	struct hmap self;
	hmap_init(&self);
	self_rows_by_human(rows, n, false, &self, NULL);
	for (size_t i = 0; i < n; i++) {
		struct cycle_assignment *x = &rows[i];
		char key[HMAP_ID_KEY_SIZE];
		int64_t at;
		if (x->mine || strcmp(x->relation, "self") == 0 ||
		    !hmap_get(&self, hmap_id_key(key, x->reviewee_human_id), &at))
			continue;
		x->reviewee = rows[at].reviewee;
		x->reviewee_name = rows[at].reviewee_name;
	}
	hmap_release(&self);
}

/* cycle_assignments, of of_reviewer (an employee id as the actor sees it, or
 * NULL for all).  Unmasked, the filter is the statement's; a masked actor
 * names a reviewer by pseudonym, so their rows are kept after masking. */
static int read_assignments(struct ctx *ctx, int64_t cycle_id, const char *of_reviewer,
                            struct cycle_assignment **out, size_t *n, struct error *err)
{
	static const char sql_all[] = ASSIGNMENTS_SQL("");
	/* A reviewer's rows include those of records merged into theirs, which
	 * are theirs to write (found in review: --reviewer listed none of
	 * them). */
	static const char sql_reviewer[] = ASSIGNMENTS_SQL(
	        " AND (pr.employee_id = ?4 OR a.reviewer_id IN (SELECT m.from_person_id FROM "
	        "person_merges m JOIN people x ON x.id = m.into_person_id WHERE x.employee_id = "
	        "?4))");
	/* And the manager reviews they stand in for (stand_in_rows): those of a
	 * manager who has left about the reviewer's reports now, read along the
	 * reporting lines' manager index; kept only where they stand in. */
	static const char sql_stand_in[] = ASSIGNMENTS_SQL(
	        " AND a.relation = 'manager' AND ph.end_date <= ?1 AND a.reviewee_id IN (SELECT "
	        "rl.person_id FROM reporting_lines rl WHERE rl.valid_from <= ?1 AND (rl.valid_to "
	        "IS NULL OR rl.valid_to > ?2) AND rl.manager_id IN (SELECT x.id FROM people x "
	        "WHERE x.employee_id = ?4 UNION ALL SELECT m.from_person_id FROM person_merges m "
	        "JOIN people x ON x.id = m.into_person_id WHERE x.employee_id = ?4))");
	*out = NULL;
	*n = 0;
	struct cycle_info info;
	int rc = cycle_info(ctx, cycle_id, &info, err);
	if (rc < 0)
		return rc;
	bool all = false;
	struct hmap visible;
	hmap_init(&visible);
	rc = authz_visible_people(ctx, &all, &visible, err);
	bool masked = mask_people(ctx);
	bool admin = actor_has_role(&ctx->actor, ROLE_ADMIN);
	/* A reviewer nobody has as employee id is an error to a reader who sees
	 * everyone (a typo is not "no assignments"); to a scoped reader it stays
	 * an empty list, as for someone outside their scope, so the answer does
	 * not tell which ids exist. */
	if (rc == 0 && of_reviewer && !masked && all) {
		int64_t reviewer_id;
		rc = org_person_id(ctx, of_reviewer, &reviewer_id, err);
	}
	/* The actor's rows, also of a record of theirs merged since: the
	 * reviewer's (found hunting merges: their upward work as that record
	 * was hidden from them, and when they wrote was another's) and the home
	 * manager's. */
	struct row_reader r = {ctx,         &info, all, admin, &visible, NULL, 0,
	                       ts_now_ms(), NULL,  0,   0,     NULL,     0};
	if (rc == 0) {
		int64_t *records;
		rc = authz_actor_records(ctx, &records, &r.nmine_records, err);
		r.mine_records = records;
	}
	bool by_reviewer = of_reviewer && !masked;
	size_t reviewer_rows = 0;
	for (int pass = 0; rc == 0 && pass < (by_reviewer ? 2 : 1); pass++) {
		struct store_stmt *st;
		const char *sql = !by_reviewer ? sql_all : pass ? sql_stand_in : sql_reviewer;
		if ((rc = store_prepare(ctx->store, sql, &st, err)) < 0)
			break;
		stmt_bind_int(st, 1, r.now);
		stmt_bind_int(st, 2, r.now);
		stmt_bind_int(st, 3, cycle_id);
		if (by_reviewer)
			stmt_bind_text(st, 4, of_reviewer);
		rc = read_rows(&r, st, err);
		if (!pass)
			reviewer_rows = r.n;
	}
	hmap_release(&visible);
	if (rc == 0)
		rc = stand_in_rows(&r, err);
	if (rc == 0)
		drop_not_standing_in(&r, &reviewer_rows);
	/* The second statement's rows are the reviewer's only where they stand
	 * in; the first's all are (the stand-in is never the leaver). */
	if (rc == 0 && by_reviewer) {
		size_t kept = reviewer_rows;
		for (size_t i = reviewer_rows; i < r.n; i++)
			if (r.out[i].stand_in && strcmp(r.out[i].writer, of_reviewer) == 0)
				r.out[kept++] = r.out[i];
		r.n = kept;
		if (kept > reviewer_rows) /* the statement's order */
			qsort(r.out, kept, sizeof *r.out, cmp_masked_row);
	}
	*out = r.out;
	*n = r.n;
	if (rc >= 0 && masked)
		current_reviewees(*out, *n);
	for (size_t i = 0; rc >= 0 && masked && i < *n; i++) {
		struct cycle_assignment *x = &(*out)[i];
		/* Nor is the reviewee tied to another record of their human: their
		 * human is named as the reviewee is, in clear in the actor's own
		 * rows, else by pseudonym (set again once masked below; found in
		 * review: the clear id was kept there). */
		x->reviewee_human = x->reviewee;
		x->reviewee_human_name = x->reviewee_name;
		/* A masked actor's own work names whom they review, as they name them
		 * to write it (found hunting: an analyst who was also a peer reviewer
		 * got pseudonyms, and the review pages found no form for them). */
		if (x->mine)
			continue;
		/* Others by their pseudonym, as id and name; the reader, in a row
		 * about them, by their id and name (found in review: their id as
		 * name). */
		rc = mask_person_named(ctx, &x->reviewee, &x->reviewee_name, err);
		x->reviewee_human = x->reviewee;
		x->reviewee_human_name = x->reviewee_name;
		if (rc == 0)
			rc = mask_person_named(ctx, &x->reviewer, &x->reviewer_name, err);
		/* Each record under its own pseudonym only: the writer, a record
		 * person merge folded the reviewer into, named beside it would tie
		 * the two pseudonyms to one human (found hunting merges: "P-2e.. owes
		 * peer feedback on P-41.. as P-a3.."), and so would a load counted
		 * over both. */
		x->reviewer_email = "";
		/* A stand-in writes in place of the leaver, a human of their own:
		 * named by their own pseudonym (found in review: the leaver's was
		 * shown owing the review). */
		if (x->stand_in || (x->in_place && x->writer_id)) {
			if (rc == 0)
				rc = mask_person(ctx, x->writer, &x->writer_name, err);
			x->writer = x->writer_name;
			continue;
		}
		if (x->in_place) /* a user with no person: no one to mask */
			continue;
		x->writer = x->writer_name = x->reviewer;
		x->writer_id = x->reviewer_id;
	}
	/* Nor is a covered twin shown beside the row that stands for it: the two
	 * about one reviewee and relation would tie their reviewers' pseudonyms
	 * to one human (found hunting merges).  It is no work (cycle status
	 * skips it), so nothing it counted is lost. */
	if (rc >= 0 && masked) {
		size_t kept = 0;
		for (size_t i = 0; i < *n; i++) {
			const struct cycle_assignment *x = &(*out)[i];
			bool twin = x->covered && !x->mine && strcmp(x->relation, "self") != 0;
			/* The reviewer's rows and those they owe now, as a stand-in
			 * (the writer), as the unmasked statements read them. */
			bool of = !of_reviewer || strcmp(x->reviewer, of_reviewer) == 0 ||
			          strcmp(x->writer, of_reviewer) == 0;
			if (!twin && of)
				(*out)[kept++] = *x;
		}
		*n = kept;
		if (kept)
			qsort(*out, kept, sizeof **out, cmp_masked_row);
		/* Ids run in sequence per reviewee as the cycle made the rows: a
		 * pseudonym's self review numbered next to the reader's own manager
		 * review of the same person tied the two (found in review).  Withheld
		 * once sorted, as the order reads them. */
		for (size_t i = 0; i < kept; i++)
			if (!(*out)[i].mine)
				(*out)[i].id = 0;
	}
	return rc < 0 ? rc : 0;
}

int cycle_assignments(struct ctx *ctx, int64_t cycle_id, struct cycle_assignment **out, size_t *n,
                      struct error *err)
{
	return read_assignments(ctx, cycle_id, NULL, out, n, err);
}

int cycle_reviewer_assignments(struct ctx *ctx, int64_t cycle_id, const char *reviewer,
                               struct cycle_assignment **out, size_t *n, struct error *err)
{
	return read_assignments(ctx, cycle_id, reviewer, out, n, err);
}

/* ---- nominations ---- */

struct member_row {
	int64_t person, manager;
	bool in_cycle, active;
	const char *employee_id;
	/* The record person merge folded this one into (NULL: none), and
	 * whether the human is still with the org as that record: a merged
	 * reviewer's work is theirs to write there. */
	const char *merged_into;
	bool human_active;
};

/* A person by employee id (?3): their id, cycle membership (?2), whether
 * they are with the org now (?1), and as person merge left them (ph). */
/* clang-format off */
static const char member_sql[] =
	"SELECT p.id, cm.person_id, cm.manager_id, (" ORG_PERSON_CURRENT("p", "?1") "),"
	" CASE WHEN ph.id <> p.id THEN ph.employee_id END,"
	" (" ORG_PERSON_CURRENT("ph", "?1") ")"
	" FROM people p JOIN people ph ON ph.id = " ORG_HUMAN("p.id")
	" LEFT JOIN cycle_members cm ON cm.person_id = p.id AND cm.cycle_id = ?2"
	" WHERE p.employee_id = ?3";
/* clang-format on */

static int member_of(struct ctx *ctx, int64_t cycle, const char *employee_id,
                     struct member_row *out, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, member_sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, ts_now_ms());
	stmt_bind_int(st, 2, cycle);
	stmt_bind_text(st, 3, employee_id);
	memset(out, 0, sizeof *out);
	out->employee_id = employee_id;
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		out->person = stmt_int(st, 0);
		out->in_cycle = !stmt_is_null(st, 1);
		out->manager = stmt_is_null(st, 2) ? 0 : stmt_int(st, 2);
		out->active = stmt_int(st, 3) != 0;
		out->merged_into = stmt_text_dup(st, 4, ctx->arena);
		out->human_active = stmt_int(st, 5) != 0;
	}
	stmt_reset(st);
	if (rc == STORE_DONE)
		return err_set(err, ERR_NOT_FOUND, "no person has employee id '%s'", employee_id);
	return rc < 0 ? rc : 0;
}

/* The reviewee of a nomination or decision, told apart only as the actor may:
 * an unknown id, someone outside the actor's scope and (for them) whether they
 * are in the cycle all get the same refusal.  One the actor sees outside the
 * cycle is ERR_INVALID, not the ERR_NOT_FOUND of a person a path names
 * (evaluation.c, feedback.c): here they are a field of the request (--for,
 * the body's "for"), a value given wrongly (docs/cli.md). */
static int reviewee_of(struct ctx *ctx, int64_t cycle, const char *cycle_name,
                       const char *employee_id, struct member_row *out, struct error *err)
{
	int rc = member_of(ctx, cycle, employee_id, out, err);
	if (rc == ERR_NOT_FOUND) {
		err_clear(err);
		return authz_unknown_person(ctx, employee_id, err);
	}
	if (rc == 0 && !out->in_cycle &&
	    (rc = authz_require_person(ctx, out->person, employee_id, err)) == 0)
		return err_set(err, ERR_INVALID, "%s is not reviewed in cycle '%s'", employee_id,
		               cycle_name);
	return rc;
}

/* The reviewer named in a nomination or decision.  An unknown id gets the
 * refusal one outside the actor's scope gets (authz_unknown_person), so
 * that, with the callers' own checks, nothing tells an unknown id from a
 * leaver or a colleague the actor may not see. */
static int reviewer_of(struct ctx *ctx, int64_t cycle, const char *employee_id,
                       struct member_row *out, struct error *err)
{
	int rc = member_of(ctx, cycle, employee_id, out, err);
	if (rc == ERR_NOT_FOUND) {
		err_clear(err);
		return authz_unknown_person(ctx, employee_id, err);
	}
	return rc;
}

/* A refusal to someone the actor may not see says only that (as for an
 * unknown id); to one they see, what the rule is. */
static int deny_over(struct ctx *ctx, const struct member_row *who, const char *hint,
                     const char *rule, struct error *err)
{
	int rc = authz_require_person(ctx, who->person, who->employee_id, err);
	return rc < 0 ? rc : ctx_deny(ctx, err, hint, "%s", rule);
}

static int count_where(struct ctx *ctx, const char *sql, int64_t cycle, int64_t person,
                       int64_t *count, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	stmt_bind_int(st, 2, person);
	rc = stmt_step(st, err);
	*count = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The peer places a reviewee's assignments take: named or approved, less a
 * peer who has left without writing (found in review: one who left after
 * being named kept the reviewee at the maximum, and nobody could be named in
 * their stead), and less a record of the reviewee's own human, whose
 * response is no peer's (FEEDBACK_ABOUT_SELF).  A peer is a human: a record
 * merged into another has not left, as its human writes its work as that
 * one (p), and two records of one human hold one place. */
/* clang-format off */
static const char count_peers_sql[] =
	"SELECT COUNT(DISTINCT p.id) FROM review_assignments a"
	" JOIN people p ON p.id = " ORG_HUMAN("a.reviewer_id")
	" WHERE a.cycle_id = ?1 AND a.reviewee_id = ?2 AND a.relation = 'peer'"
	" AND a.status <> 'declined' AND ((" ORG_PERSON_CURRENT("p", "?3") ")"
	" OR EXISTS (SELECT 1 FROM feedback_responses f WHERE f.assignment_id = a.id"
	" AND f.status = 'submitted')) AND NOT " FEEDBACK_ABOUT_SELF(ORG_HUMAN("a.reviewer_id"));
/* clang-format on */

static int count_peers(struct ctx *ctx, int64_t cycle, int64_t reviewee, int64_t *count,
                       struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, count_peers_sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	stmt_bind_int(st, 2, reviewee);
	stmt_bind_int(st, 3, ts_now_ms());
	rc = stmt_step(st, err);
	*count = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The peer assignments of a reviewee that hold no place: not declined, the
 * peer's human has left (as their current record: a merged record's has
 * not) and submitted nothing; oldest first. */
/* clang-format off */
static const char leaver_places_sql[] =
	"SELECT a.id, p.employee_id FROM review_assignments a JOIN people p ON p.id = a.reviewer_id"
	" JOIN people ph ON ph.id = " ORG_HUMAN("a.reviewer_id")
	" WHERE a.cycle_id = ?1 AND a.reviewee_id = ?2 AND a.relation = 'peer'"
	" AND a.status <> 'declined' AND NOT (" ORG_PERSON_CURRENT("ph", "?3") ")"
	" AND NOT EXISTS (SELECT 1 FROM feedback_responses f WHERE f.assignment_id = a.id"
	" AND f.status = 'submitted') ORDER BY a.id";
/* clang-format on */

/* The humans (ORG_HUMAN) a reviewee's peer assignments not declined are of. */
/* clang-format off */
static const char peer_humans_sql[] =
	"SELECT COUNT(DISTINCT " ORG_HUMAN("reviewer_id") ") FROM review_assignments"
	" WHERE cycle_id = ?1 AND reviewee_id = ?2 AND relation = 'peer' AND status <> 'declined'";
/* clang-format on */

/* A peer named in the place of one who left without writing takes that place
 * for good: the leaver's assignment is declined (found in review: the leaver's
 * end date removed by a later org import, their assignment held a place again
 * and the reviewee had more peers than the framework's maximum). Only as many
 * are declined as the new peer needs, oldest first; each is audited. */
static int release_leaver_places(struct ctx *ctx, int64_t cycle, const struct member_row *who,
                                 int64_t peers_max, const char *taken_by, struct error *err)
{
	int64_t all = 0;
	int rc = count_where(ctx, peer_humans_sql, cycle, who->person, &all, err);
	if (rc < 0)
		return rc;
	int64_t need = all + 1 - peers_max;
	if (need <= 0)
		return 0;
	struct store_stmt *st;
	if ((rc = store_prepare(ctx->store, leaver_places_sql, &st, err)) < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	stmt_bind_int(st, 2, who->person);
	stmt_bind_int(st, 3, ts_now_ms());
	int64_t *ids = arena_array(ctx->arena, (size_t)need, sizeof *ids);
	const char **eids = arena_array(ctx->arena, (size_t)need, sizeof *eids);
	int64_t n = 0;
	while (n < need && (rc = stmt_step(st, err)) == STORE_ROW) {
		ids[n] = stmt_int(st, 0);
		eids[n++] = stmt_text_dup(st, 1, ctx->arena);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	for (int64_t i = 0; i < n; i++) {
		rc = store_prepare(
		        ctx->store,
		        "UPDATE review_assignments SET status = 'declined', decided_by = ? "
		        "WHERE id = ?",
		        &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_text(st, 1, ctx->actor.name);
		stmt_bind_int(st, 2, ids[i]);
		rc = stmt_step(st, err);
		stmt_reset(st);
		if (rc < 0)
			return rc;
		struct sb detail = SB_INIT;
		struct jw w;
		jw_init(&w, &detail, false);
		jw_object_begin(&w);
		jw_kstr(&w, "decision", "released");
		jw_kstr(&w, "reviewee", who->employee_id);
		jw_kstr(&w, "reviewer", eids[i]);
		jw_kstr(&w, "reason",
		        arena_printf(ctx->arena, "left without writing; the place went to %s",
		                     taken_by));
		jw_object_end(&w);
		rc = audit_append(ctx, "cycle.decide", "assignment", id_text(ctx->arena, ids[i]),
		                  detail.buf, err);
		sb_release(&detail);
		if (rc < 0)
			return rc;
	}
	return 0;
}

struct nominate_args {
	const struct cycle_nomination *nom;
	struct cycle_nominate_result *out;
};

static bool is_partner_for(struct ctx *ctx, int64_t person, struct error *err, int *rc)
{
	enum authz_review rel;
	*rc = authz_review_relation(ctx, person, 0, &rel, err);
	return *rc == 0 && rel == AUTHZ_REVIEW_PEOPLE_PARTNER;
}

/* Peers and cross-functional reviewers are named, and decided on, until the
 * feedback phase closes: an assignment made later could never be done. */
static int takes_nominations(const struct cycle_info *info, const char *what, struct error *err)
{
	bool checkin = strcmp(info->kind, "checkin") == 0;
	if (checkin ||
	    (strcmp(info->phase, "self_review") != 0 && strcmp(info->phase, "feedback") != 0))
		return err_set(err, ERR_CONFLICT, "cycle '%s' takes no %s %s", info->name, what,
		               checkin ? "(a check-in has no 360 feedback)"
		                       : "after its feedback phase");
	return 0;
}

/* Whoever reads the group a reviewer would write in (the reviewee's managers,
 * the people partners of their unit) could tell the other writers apart
 * from their own response: read the group, take out what they wrote. */
static int may_write_in_group(struct ctx *ctx, const struct member_row *who,
                              const struct member_row *by, const char *relation, struct error *err)
{
	enum authz_review reads;
	int rc = authz_review_reader(ctx, by->person, who->person, who->manager, &reads, err);
	if (rc < 0 || reads == AUTHZ_REVIEW_NONE)
		return rc;
	if (reads == AUTHZ_REVIEW_SELF) {
		err_set(err, ERR_INVALID, "%s cannot be a %s reviewer of %s: they are one person",
		        by->employee_id, relation, who->employee_id);
		err_detail(err, "person merge made the two records one human's");
		err_hint(err, "choose someone else");
		return ERR_INVALID;
	}
	err_set(err, ERR_INVALID,
	        "%s cannot be a %s reviewer of %s: they read the feedback about %s as %s",
	        by->employee_id, relation, who->employee_id, who->employee_id,
	        reads == AUTHZ_REVIEW_PEOPLE_PARTNER ? "a people partner of their unit"
	                                             : "one of their managers");
	err_detail(err, "a reader who also wrote in the group could tell the other writers apart "
	                "by taking out their own response");
	err_hint(err, "choose someone outside %s's reporting line and people partners",
	         who->employee_id);
	return ERR_INVALID;
}

/* The declined assignment of by as who's reviewer in relation, if any: its
 * id (0: none) and who declined it. */
static int declined_nomination(struct ctx *ctx, int64_t cycle, const struct member_row *who,
                               const struct member_row *by, const char *relation, int64_t *id,
                               const char **decided_by, struct error *err)
{
	*id = 0;
	*decided_by = NULL;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT id, decided_by FROM review_assignments WHERE cycle_id = ? AND "
	        "reviewee_id = ? AND reviewer_id = ? AND relation = ? AND status = "
	        "'declined'",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	stmt_bind_int(st, 2, who->person);
	stmt_bind_int(st, 3, by->person);
	stmt_bind_text(st, 4, relation);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		*id = stmt_int(st, 0);
		*decided_by = stmt_text_dup(st, 1, ctx->arena);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* A declined nomination named again by the manager: active, nominated by them. */
static int reopen_nomination(struct ctx *ctx, int64_t id, const char *status, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "UPDATE review_assignments SET status = ?, nominated_by = ?, "
	                       "decided_by = NULL WHERE id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, status);
	stmt_bind_text(st, 2, ctx->actor.name);
	stmt_bind_int(st, 3, id);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* A reviewer's load in a cycle (?1): the feedback assignments not declined
 * of their human's records, ?2 (not merged away) and those person merge
 * folded into it. */
/* clang-format off */
static const char load_sql[] =
	"SELECT COUNT(*) FROM review_assignments WHERE cycle_id = ?1 AND reviewer_id IN"
	" (SELECT CAST(?2 AS BIGINT) UNION ALL SELECT hr.from_person_id FROM person_merges hr"
	" WHERE hr.into_person_id = ?2)"
	" AND relation IN ('peer', 'upward', 'cross_functional') AND status <> 'declined'";
/* clang-format on */

/* One human, one response per reviewee and relation: by's human holding the
 * assignment already as another record of theirs (person merge), active or
 * (unless approving, where only an active one counts) nominated, is
 * ERR_CONFLICT naming it (found hunting merges: the second was made, and
 * one of the two stayed open for ever). */
static int refuse_twin(struct ctx *ctx, int64_t cycle, const struct member_row *who,
                       const struct member_row *by, const char *relation, bool approving,
                       struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT p.employee_id FROM review_assignments a JOIN people p ON "
	        "p.id = a.reviewer_id WHERE a.cycle_id = ?1 AND a.reviewee_id = ?2 "
	        "AND a.relation = ?3 AND a.status IN ('active', ?5) AND a.reviewer_id "
	        "<> ?4 AND " ORG_HUMAN("a.reviewer_id") " = " ORG_HUMAN("?4") " ORDER BY a.id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	stmt_bind_int(st, 2, who->person);
	stmt_bind_text(st, 3, relation);
	stmt_bind_int(st, 4, by->person);
	stmt_bind_text(st, 5, approving ? "active" : "nominated");
	rc = stmt_step(st, err);
	const char *as = rc == STORE_ROW ? stmt_text_dup(st, 0, ctx->arena) : NULL;
	stmt_reset(st);
	if (rc < 0 || !as)
		return rc < 0 ? rc : 0;
	err_set(err, ERR_CONFLICT, "%s is already a %s reviewer of %s, as %s", by->employee_id,
	        relation, who->employee_id, as);
	err_detail(err, "person merge made %s and %s one human's, who writes it as %s", as,
	           by->employee_id, by->merged_into ? by->merged_into : by->employee_id);
	return ERR_CONFLICT;
}

static int nominate_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct nominate_args *a = arg;
	const struct cycle_nomination *nom = a->nom;
	memset(a->out, 0, sizeof *a->out);
	int64_t cycle;
	int rc = cycle_find(ctx, nom->cycle, &cycle, err);
	struct cycle_info info;
	if (rc == 0)
		rc = cycle_info(ctx, cycle, &info, err);
	struct member_row who, by;
	if (rc == 0)
		rc = reviewee_of(ctx, cycle, info.name, nom->reviewee, &who, err);
	if (rc < 0)
		return rc;
	/* Who may name reviewers comes first: the answers below tell who exists,
	 * who has left and who is in the cycle. */
	bool peer = strcmp(nom->relation, "peer") == 0;
	int64_t me = ctx->actor.person_id;
	bool self = me && me == who.person;
	/* About yourself you are only the person, even when your manager's
	 * record was merged into yours (found in review).  The manager in the
	 * cycle is, once they have left, the one standing in for them
	 * (cycle_stand_in: found in review, only the leaver could approve). */
	bool manager = false;
	if (!self && (rc = cycle_is_manager(ctx, who.manager, who.person, &manager, err)) < 0)
		return rc;
	bool partner = !manager && is_partner_for(ctx, who.person, err, &rc);
	if (rc < 0)
		return rc;
	if (!(manager || partner || (self && peer)))
		return deny_over(ctx, &who,
		                 peer ? "the reviewee nominates peers; their manager approves them"
		                      : "the manager names cross-functional reviewers",
		                 arena_printf(ctx->arena, "%s may not name %s reviewers for %s",
		                              ctx->actor.name, nom->relation, nom->reviewee),
		                 err);
	if (!peer && strcmp(nom->relation, "cross_functional") != 0)
		return err_set(err, ERR_USAGE,
		               "'%s': nominations are for peer or cross_functional reviewers",
		               nom->relation);
	/* The phase before the reviewer: a closed cycle answers alike whoever is
	 * named. */
	if ((rc = takes_nominations(&info, "nominations", err)) < 0)
		return rc;
	/* One human, one reviewee: reviewers are named for the record the
	 * human is reviewed as (found hunting merges: a peer could be named
	 * for the withdrawn record, a second group about the human). */
	const char *into = NULL, *as = NULL;
	if ((rc = cycle_withdrawn_reviewee(ctx, cycle, who.person, &into, &as, err)) < 0)
		return rc;
	if (into) {
		bool same = strcmp(into, as) == 0;
		err_set(err, ERR_CONFLICT,
		        "%s was merged into %s, whose human is reviewed in cycle '%s'%s%s",
		        nom->reviewee, into, info.name, same ? "" : " as ", same ? "" : as);
		err_hint(err, "name the human's reviewers for %s: --for %s", as, as);
		return ERR_CONFLICT;
	}
	if ((rc = cycle_refuse_leaver(ctx, &info, who.person, nom->reviewee, err)) < 0)
		return rc;
	if ((rc = reviewer_of(ctx, cycle, nom->reviewer, &by, err)) < 0)
		return rc;
	/* Only to whom the actor may see is a leaver told apart from an unknown id. */
	if (!by.active && (rc = authz_require_person(ctx, by.person, nom->reviewer, err)) < 0)
		return rc;
	/* A merged record's human reviews as the record they use now (found
	 * hunting merges: told only that the record "has left"). */
	if (!by.active && by.merged_into && by.human_active) {
		err_set(err, ERR_INVALID, "%s was merged into %s", nom->reviewer, by.merged_into);
		err_hint(err, "name the human as %s: --reviewer %s", by.merged_into,
		         by.merged_into);
		return ERR_INVALID;
	}
	if (!by.active)
		return err_set(err, ERR_INVALID, "%s has left and cannot review anyone",
		               nom->reviewer);
	if (who.person == by.person)
		return err_set(err, ERR_INVALID, "%s cannot be their own %s reviewer",
		               nom->reviewee, nom->relation);
	if ((rc = may_write_in_group(ctx, &who, &by, nom->relation, err)) < 0)
		return rc;
	const struct framework *fw;
	rc = framework_load(ctx, info.framework_version, &fw, err);
	int64_t peers = 0, load = 0;
	if (rc == 0 && peer)
		rc = count_peers(ctx, cycle, who.person, &peers, err);
	if (rc == 0)
		rc = count_where(ctx, load_sql, cycle, by.person, &load, err);
	if (rc == 0)
		rc = refuse_twin(ctx, cycle, &who, &by, nom->relation, false, err);
	if (rc < 0)
		return rc;
	if (peer && peers >= fw->peers_max)
		return err_set(err, ERR_CONFLICT,
		               "%s has %" PRId64 " peer reviewers already, the framework's maximum",
		               nom->reviewee, peers);
	if (load >= info.reviewer_cap) {
		err_set(err, ERR_CONFLICT,
		        "%s holds %" PRId64 " feedback assignments in cycle '%s' already, the cap",
		        nom->reviewer, load, info.name);
		err_hint(err,
		         "choose someone else; plumb cycle assignments --cycle %s shows each "
		         "reviewer's load",
		         info.name);
		return ERR_CONFLICT;
	}
	/* A manager's own nomination needs no second approval. */
	const char *status = manager || partner ? "active" : "nominated";
	int64_t id = 0;
	const char *declined_by = NULL;
	if ((rc = declined_nomination(ctx, cycle, &who, &by, nom->relation, &id, &declined_by,
	                              err)) < 0)
		return rc;
	/* One row per reviewer and relation: the manager (or a people partner) may
	 * name a declined nominee after all, which reopens it; the reviewee may not
	 * ask again over the decision. */
	if (id && !(manager || partner)) {
		err_set(err, ERR_CONFLICT, "%s was declined as a %s reviewer of %s by %s",
		        nom->reviewer, nom->relation, nom->reviewee, declined_by);
		err_hint(err,
		         "their manager may still name %s (plumb cycle nominate), which reopens "
		         "the nomination",
		         nom->reviewer);
		return ERR_CONFLICT;
	}
	if (peer &&
	    (rc = release_leaver_places(ctx, cycle, &who, fw->peers_max, nom->reviewer, err)) < 0)
		return rc;
	bool reopened = id != 0;
	if (reopened) {
		rc = reopen_nomination(ctx, id, status, err);
	} else {
		struct error dup = {0};
		rc = insert_assignment(ctx, cycle, who.person, by.person, nom->relation, status,
		                       ts_now_ms(), &id, &dup);
		if (rc == ERR_CONFLICT)
			return err_set(err, ERR_CONFLICT, "%s is already a %s reviewer of %s",
			               nom->reviewer, nom->relation, nom->reviewee);
		if (rc < 0)
			*err = dup;
	}
	if (rc < 0)
		return rc;
	a->out->id = id;
	a->out->status = status;
	a->out->load = (int)load + 1;
	a->out->cap = info.reviewer_cap;
	char detail[512];
	snprintf(detail, sizeof detail,
	         "{\"cycle\":%" PRId64 ",\"reviewee\":\"%s\",\"reviewer\":\"%s\","
	         "\"relation\":\"%s\",\"status\":\"%s\"%s}",
	         cycle, nom->reviewee, nom->reviewer, nom->relation, status,
	         reopened ? ",\"reopened\":true" : "");
	return audit_append(ctx, "cycle.nominate", "assignment", id_text(ctx->arena, id), detail,
	                    err);
}

int cycle_nominate(struct ctx *ctx, const struct cycle_nomination *nom,
                   struct cycle_nominate_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	struct nominate_args a = {nom, out};
	return ctx_run(ctx, OP_CYCLE_NOMINATE, nominate_body, &a, err);
}

struct decide_args {
	const struct cycle_nomination *nom;
	bool approve;
	const char *reason;
};

static int decide_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct decide_args *a = arg;
	int64_t cycle;
	int rc = cycle_find(ctx, a->nom->cycle, &cycle, err);
	struct cycle_info info;
	if (rc == 0)
		rc = cycle_info(ctx, cycle, &info, err);
	struct member_row who, by;
	if (rc == 0)
		rc = reviewee_of(ctx, cycle, info.name, a->nom->reviewee, &who, err);
	if (rc < 0)
		return rc;
	/* Who may decide comes first, as for nominations. */
	bool self = ctx->actor.person_id && ctx->actor.person_id == who.person;
	bool manager = false;
	if (!self && (rc = cycle_is_manager(ctx, who.manager, who.person, &manager, err)) < 0)
		return rc;
	if (!manager && !is_partner_for(ctx, who.person, err, &rc)) {
		if (rc < 0)
			return rc;
		return deny_over(
		        ctx, &who, NULL,
		        arena_printf(ctx->arena,
		                     "%s may not decide on %s's reviewers: their manager in the "
		                     "cycle does",
		                     ctx->actor.name, a->nom->reviewee),
		        err);
	}
	/* The phase before the reviewer, as for nominations. */
	if (rc == 0)
		rc = takes_nominations(&info, "decisions on nominations", err);
	if (rc == 0)
		rc = reviewer_of(ctx, cycle, a->nom->reviewer, &by, err);
	if (rc < 0)
		return rc;
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "SELECT id, status FROM review_assignments WHERE cycle_id = ? AND "
	                   "reviewee_id = ? AND reviewer_id = ? AND relation = 'peer'",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	stmt_bind_int(st, 2, who.person);
	stmt_bind_int(st, 3, by.person);
	rc = stmt_step(st, err);
	int64_t id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	const char *status = rc == STORE_ROW ? stmt_text_dup(st, 1, ctx->arena) : NULL;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	/* Someone the actor may not see is known to them only by a nomination:
	 * without one, refused as an unknown id is. */
	if (!id && (rc = authz_require_person(ctx, by.person, a->nom->reviewer, err)) < 0)
		return rc;
	if (!id)
		return err_set(err, ERR_NOT_FOUND, "%s is not nominated as a peer reviewer of %s",
		               a->nom->reviewer, a->nom->reviewee);
	if (strcmp(status, "nominated") != 0)
		return err_set(err, ERR_CONFLICT, "the nomination was decided already (%s)",
		               status);
	/* A nominee who has left since could never write (found in review: approved
	 * all the same, an active assignment that took a peer's place); told apart
	 * from someone outside the actor's scope only as cycle nominate tells it.
	 * A record merged since is no leaver: its human writes it as the record
	 * they use now (found hunting merges: refused as one who had left, while
	 * naming that record instead was refused as the same human's). */
	if (a->approve && !by.human_active &&
	    (rc = authz_require_person(ctx, by.person, a->nom->reviewer, err)) < 0)
		return rc;
	if (a->approve && !by.human_active)
		return err_set(err, ERR_INVALID, "%s has left and cannot review anyone",
		               a->nom->reviewer);
	if (a->approve && (rc = may_write_in_group(ctx, &who, &by, "peer", err)) < 0)
		return rc;
	if (a->approve && (rc = refuse_twin(ctx, cycle, &who, &by, "peer", true, err)) < 0)
		return rc;
	const char *to = a->approve ? "active" : "declined";
	rc = store_prepare(ctx->store,
	                   "UPDATE review_assignments SET status = ?, decided_by = ? WHERE id = ?",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, to);
	stmt_bind_text(st, 2, ctx->actor.name);
	stmt_bind_int(st, 3, id);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "decision", a->approve ? "approved" : "declined");
	jw_kstr(&w, "reviewee", a->nom->reviewee);
	jw_kstr(&w, "reviewer", a->nom->reviewer);
	if (a->reason)
		jw_kstr(&w, "reason", a->reason);
	jw_object_end(&w);
	rc = audit_append(ctx, "cycle.decide", "assignment", id_text(ctx->arena, id), detail.buf,
	                  err);
	sb_release(&detail);
	return rc;
}

int cycle_decide(struct ctx *ctx, const struct cycle_nomination *nom, bool approve,
                 const char *reason, struct error *err)
{
	if (!approve && !org_has_text(reason))
		return err_set(err, ERR_USAGE, "declining a nomination needs --reason TEXT");
	/* The audit entry keeps it: text, as every other reason is. */
	if (reason && !org_valid_text(reason, DECIDE_REASON_MAX))
		return err_set(err, ERR_USAGE,
		               "--reason must be one line of text of at most %d bytes without "
		               "control characters",
		               DECIDE_REASON_MAX);
	struct decide_args a = {nom, approve, reason};
	return ctx_run(ctx, OP_CYCLE_DECIDE, decide_body, &a, err);
}

/* ---- status and list ---- */

struct status_args {
	const char *cycle;
	const char *reviewer; /* cycle_assignment_list's filter, or NULL */
	struct cycle_status *out;
};

/* The row of (phase, team), found through rows ("PHASE\nTEAM" to its
 * index): a scan of the rows for each assignment took time in assignments
 * times teams (7.3 s for 50,000 people in 5,000 teams). */
static struct cycle_progress *progress_row(struct cycle_status *s, struct hmap *rows,
                                           const char *phase, const char *team, size_t *cap,
                                           struct arena *a)
{
	const char *key = arena_printf(a, "%s\n%s", phase, team);
	int64_t at;
	if (hmap_get(rows, key, &at))
		return &s->progress[at];
	s->progress = arena_grow(a, s->progress, s->nprogress, cap, sizeof *s->progress);
	hmap_put(rows, key, (int64_t)s->nprogress);
	struct cycle_progress *p = &s->progress[s->nprogress++];
	memset(p, 0, sizeof *p);
	p->phase = phase;
	p->team = team;
	return p;
}

static int cmp_progress(const void *a, const void *b)
{
	const struct cycle_progress *x = a, *y = b;
	int px = cycle_phase_parse(x->phase), py = cycle_phase_parse(y->phase);
	return px != py ? px - py : strcmp(x->team, y->team);
}

/* person's row in s->leavers, added when new (at: employee id to index). */
static struct cycle_leaver *leaver_row(struct cycle_status *s, struct hmap *at, size_t *cap,
                                       const char *person, const char *name, int64_t left_on,
                                       struct arena *a)
{
	int64_t i;
	if (hmap_get(at, person, &i))
		return &s->leavers[i];
	s->leavers = arena_grow(a, s->leavers, s->nleavers, cap, sizeof *s->leavers);
	hmap_put(at, person, (int64_t)s->nleavers);
	struct cycle_leaver *l = &s->leavers[s->nleavers++];
	memset(l, 0, sizeof *l);
	l->person = person;
	l->name = name;
	l->left_on = left_on;
	return l;
}

/* what onto one of a leaver's lists (withdrawn, moved), of at most most. */
static void leaver_list_add(const char ***list, size_t *n, const char *what, size_t most,
                            struct arena *a)
{
	if (!*list)
		*list = arena_array(a, most, sizeof **list);
	(*list)[(*n)++] = what;
}

static int cmp_leaver(const void *a, const void *b)
{
	return strcmp(((const struct cycle_leaver *)a)->person,
	              ((const struct cycle_leaver *)b)->person);
}

/* Who of the rows shown has left, and what of theirs is withdrawn: the
 * writer (the human as the record they use now) of a row they owe, the
 * reviewee of a row about them. */
static void status_leavers(struct ctx *ctx, struct cycle_status *s)
{
	struct hmap at;
	hmap_init(&at);
	size_t cap = 0;
	struct arena *a = ctx->arena;
	/* A masked reader learns of leavers from their own rows only: the rows
	 * not theirs name the same human by a pseudonym, and an entry of each
	 * with one end date tied the two (found in review). */
	bool masked = mask_people(ctx);
	for (size_t i = 0; i < s->nassignments; i++) {
		const struct cycle_assignment *x = &s->assignments[i];
		if (masked && !x->mine)
			continue;
		const char *what = strcmp(x->relation, "self") == 0
		                           ? arena_printf(a, "self review of %s", x->reviewee)
		                   : strcmp(x->relation, "manager") == 0
		                           ? arena_printf(a, "manager review of %s by %s",
		                                          x->reviewee, x->writer)
		                           : arena_printf(a, "%s feedback on %s by %s", x->relation,
		                                          x->reviewee, x->writer);
		struct cycle_leaver *by = NULL, *about = NULL;
		if (x->reviewer_left_on)
			by = leaver_row(s, &at, &cap, x->writer, x->writer_name,
			                x->reviewer_left_on, a);
		/* A manager review gone from a leaver to another is listed under
		 * them too, saying where it went (found in review: it was gone
		 * from their entry, and a people partner did not see where). */
		else if (x->leaver_left_on)
			by = leaver_row(s, &at, &cap, x->leaver, x->leaver_name, x->leaver_left_on,
			                a);
		if (by && (x->stand_in || x->in_place || x->unowned))
			leaver_list_add(
			        &by->moved, &by->nmoved,
			        x->unowned
			                ? arena_printf(a, "manager review of %s owed by nobody yet",
			                               x->reviewee)
			        : x->stand_in
			                ? arena_printf(a, "manager review of %s to %s", x->reviewee,
			                               x->writer)
			                : arena_printf(a, "manager review of %s written by %s",
			                               x->reviewee, x->writer),
			        s->nassignments, a);
		/* One human, one leaver: a reviewee merged into a record the
		 * cycle does not enrol left as that record, the writer of their
		 * work (found in review: listed twice, as each record). */
		if (x->reviewee_left_on)
			about = leaver_row(s, &at, &cap, x->reviewee_human, x->reviewee_human_name,
			                   x->reviewee_left_on, a);
		if (!x->withdrawn)
			continue;
		if (by)
			leaver_list_add(&by->withdrawn, &by->nwithdrawn, what, s->nassignments, a);
		/* A self review is the one leaver's, named once. */
		if (about && about != by && !x->evaluated)
			leaver_list_add(&about->withdrawn, &about->nwithdrawn, what,
			                s->nassignments, a);
	}
	hmap_release(&at);
	if (s->nleavers)
		qsort(s->leavers, s->nleavers, sizeof *s->leavers, cmp_leaver);
}

/* The rows a masked reader is shown, once counted, of those not theirs
 * (their own are in clear).  A human's self reviews as several records
 * (person merge) are one row, under the record the human is reviewed as
 * (the one short_of_peers names), done as the self review that stands for
 * the human: a covered row beside the written one told that the two
 * pseudonyms are one human.  A withdrawn row, a leaver's, is not shown (it
 * is no work): beside the reader's own row about the same leaver, withdrawn
 * too, and the leaver named under left, it tied the pseudonym to the
 * employee id (both found in review).  Nor is a declined one, such as a
 * row person merge declined: under its human's pseudonym beside their
 * other rows it told that the human was merged (found in review). */
static void mask_status_rows(struct ctx *ctx, struct cycle_status *s)
{
	if (!mask_people(ctx))
		return;
	/* Per human, the index of their row (highest rank) and of the row that
	 * stands (not covered). */
	struct hmap row, standing;
	hmap_init(&row);
	hmap_init(&standing);
	self_rows_by_human(s->assignments, s->nassignments, true, &row, &standing);
	/* Pairs of row and the row standing for it, before any moves. */
	for (size_t i = 0; i < s->nassignments; i++) {
		struct cycle_assignment *x = &s->assignments[i];
		char key[HMAP_ID_KEY_SIZE];
		int64_t at, by;
		if (x->mine || !x->covered || strcmp(x->relation, "self") != 0 ||
		    !hmap_get(&row, hmap_id_key(key, x->reviewee_human_id), &at) ||
		    at != (int64_t)i || !hmap_get(&standing, key, &by))
			continue;
		const struct cycle_assignment *y = &s->assignments[by];
		x->done = y->done;
		x->done_at = y->done_at;
		x->draft = y->draft;
		x->withdrawn = y->withdrawn;
		x->covered = false;
	}
	size_t kept = 0;
	for (size_t i = 0; i < s->nassignments; i++) {
		const struct cycle_assignment *x = &s->assignments[i];
		char key[HMAP_ID_KEY_SIZE];
		int64_t at;
		if (!x->mine && strcmp(x->relation, "self") == 0 &&
		    strcmp(x->status, "declined") != 0 &&
		    hmap_get(&row, hmap_id_key(key, x->reviewee_human_id), &at) && at != (int64_t)i)
			continue;
		if (!x->mine && (x->withdrawn || strcmp(x->status, "declined") == 0))
			continue;
		s->assignments[kept++] = *x;
	}
	s->nassignments = kept;
	hmap_release(&row);
	hmap_release(&standing);
}

/* Progress and lateness of the rows shown: counted after mask_status_rows,
 * so a masked reader's totals agree with their rows (found in review: they
 * counted the self rows of a human's other records, hidden). */
static void status_progress(struct ctx *ctx, struct cycle_status *s)
{
	int64_t now = ts_now_ms();
	size_t cap = 0;
	struct hmap rows;
	hmap_init(&rows);
	s->late = arena_array(ctx->arena, s->nassignments ? s->nassignments : 1, sizeof *s->late);
	for (size_t i = 0; i < s->nassignments; i++) {
		const struct cycle_assignment *x = &s->assignments[i];
		if (strcmp(x->status, "active") != 0 || x->covered || x->withdrawn)
			continue;
		struct cycle_progress *p =
		        progress_row(s, &rows, x->phase, x->team, &cap, ctx->arena);
		p->total++;
		p->done += x->done;
		p->drafts += x->draft;
		if (!x->done && x->due_at && x->due_at < now)
			s->late[s->nlate++] = *x;
	}
	hmap_release(&rows); /* its indexes are the order before sorting */
	if (s->nprogress)    /* qsort must not be given NULL, even for 0 rows */
		qsort(s->progress, s->nprogress, sizeof *s->progress, cmp_progress);
}

static int status_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct status_args *a = arg;
	struct cycle_status *s = a->out;
	memset(s, 0, sizeof *s);
	int64_t cycle;
	int rc = cycle_find(ctx, a->cycle, &cycle, err);
	if (rc == 0)
		rc = cycle_info(ctx, cycle, &s->info, err);
	const struct framework *fw = NULL;
	if (rc == 0)
		rc = framework_load(ctx, s->info.framework_version, &fw, err);
	if (rc == 0)
		rc = read_assignments(ctx, cycle, a->reviewer, &s->assignments, &s->nassignments,
		                      err);
	if (rc < 0)
		return rc;
	struct hmap peers, load;
	hmap_init(&peers);
	hmap_init(&load);
	for (size_t i = 0; i < s->nassignments; i++) {
		const struct cycle_assignment *x = &s->assignments[i];
		/* One human writes once: a twin another record of theirs stands for
		 * is neither work to do nor a second place or load. */
		if (strcmp(x->status, "declined") == 0 || x->covered)
			continue;
		/* Counted by person, not by what a row shows: a masked reader's own
		 * rows name them, the others about them a pseudonym (found hunting:
		 * an analyst with their peers approved was told they were short).
		 * A reviewer's load is their human's, as the record they use now. */
		char key[HMAP_ID_KEY_SIZE];
		if (feedback_relation(x->relation)) {
			int64_t v = 0;
			hmap_get(&load, hmap_id_key(key, x->writer_id), &v);
			hmap_put(&load, key, v + 1);
		}
		/* A peer who left without writing never will (their place is free
		 * again: nominate_body). */
		if (strcmp(x->relation, "peer") == 0 && strcmp(x->status, "active") == 0 &&
		    !(x->reviewer_left && !x->done) && !x->about_self) {
			int64_t v = 0;
			hmap_get(&peers, hmap_id_key(key, x->reviewee_id), &v);
			hmap_put(&peers, key, v + 1);
		}
	}
	/* Who is short of peers, and each reviewer's load against the cap. */
	if (strcmp(s->info.kind, "checkin") != 0) {
		s->short_of_peers = arena_array(ctx->arena, s->nassignments + 1, sizeof(char *));
		/* Each human's row is their self row nearest the record they are
		 * reviewed as (ORG_RECORD_RANK): a record merged into it is
		 * withdrawn, also where its self review was written and so not
		 * declined (found in review: listed short of peers beside the
		 * human's own row), and so is one merged before it where the human
		 * was merged on into a record the cycle does not enrol (found
		 * hunting merges: A into B, then B into C, listed both A and B). */
		struct hmap current;
		hmap_init(&current);
		for (size_t i = 0; i < s->nassignments; i++) {
			const struct cycle_assignment *x = &s->assignments[i];
			char key[HMAP_ID_KEY_SIZE];
			int64_t rank = 0;
			if (strcmp(x->relation, "self") != 0 || strcmp(x->status, "declined") == 0)
				continue;
			hmap_id_key(key, x->reviewee_human_id);
			if (!hmap_get(&current, key, &rank) || rank < x->reviewee_rank)
				hmap_put(&current, key, x->reviewee_rank);
		}
		for (size_t i = 0; i < s->nassignments; i++) {
			const struct cycle_assignment *x = &s->assignments[i];
			int64_t v = 0, rank = 0;
			char key[HMAP_ID_KEY_SIZE];
			/* A reviewee withdrawn (person merge) is owed no peers. */
			if (strcmp(x->relation, "self") != 0 || strcmp(x->status, "declined") == 0)
				continue;
			hmap_get(&current, hmap_id_key(key, x->reviewee_human_id), &rank);
			if (x->reviewee_rank < rank)
				continue;
			/* Nor is one who has left: none may be named for them. */
			if (x->reviewee_left_on)
				continue;
			hmap_get(&peers, hmap_id_key(key, x->reviewee_id), &v);
			if (v < fw->peers_min)
				s->short_of_peers[s->nshort_of_peers++] =
				        arena_printf(ctx->arena, "%s (%" PRId64 " of %d)",
				                     x->reviewee, v, fw->peers_min);
		}
		hmap_release(&current);
	}
	s->loads = arena_array(ctx->arena, s->nassignments + 1, sizeof *s->loads);
	for (size_t i = 0; i < s->nassignments; i++) {
		const struct cycle_assignment *x = &s->assignments[i];
		int64_t v = 0;
		char key[HMAP_ID_KEY_SIZE];
		if (!hmap_get(&load, hmap_id_key(key, x->writer_id), &v))
			continue;
		hmap_put(&load, key, -1);
		if (v < 0)
			continue;
		struct cycle_load *l = &s->loads[s->nloads++];
		l->reviewer = x->writer;
		l->name = x->writer_name;
		l->load = (int)v;
		l->cap = s->info.reviewer_cap;
	}
	hmap_release(&peers);
	hmap_release(&load);
	status_leavers(ctx, s);
	mask_status_rows(ctx, s);
	status_progress(ctx, s);
	return 0;
}

int cycle_status(struct ctx *ctx, const char *cycle, struct cycle_status *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	struct status_args a = {cycle, NULL, out};
	return ctx_run(ctx, OP_CYCLE_STATUS, status_body, &a, err);
}

int cycle_assignment_list(struct ctx *ctx, const char *cycle, const char *reviewer,
                          struct cycle_status *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	struct status_args a = {cycle, reviewer, out};
	return ctx_run(ctx, OP_CYCLE_ASSIGNMENTS, status_body, &a, err);
}

struct list_args {
	struct cycle_info *out;
	size_t n;
};

static int list_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct list_args *a = arg;
	a->n = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT id FROM cycles ORDER BY created_at, id", &st,
	                       err);
	if (rc < 0)
		return rc;
	size_t cap = 16;
	int64_t *ids = arena_array(ctx->arena, cap, sizeof *ids);
	size_t n = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		if (n == cap) {
			int64_t *more = arena_array(ctx->arena, cap * 2, sizeof *more);
			memcpy(more, ids, cap * sizeof *more);
			ids = more;
			cap *= 2;
		}
		ids[n++] = stmt_int(st, 0);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	a->out = arena_array(ctx->arena, n ? n : 1, sizeof *a->out);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = cycle_info(ctx, ids[i], &a->out[a->n++], err);
	return rc;
}

int cycle_list(struct ctx *ctx, struct cycle_info **out, size_t *n, struct error *err)
{
	struct list_args a = {NULL, 0};
	int rc = ctx_run(ctx, OP_CYCLE_LIST, list_body, &a, err);
	*out = a.out;
	*n = a.n;
	return rc;
}
