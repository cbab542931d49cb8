/*
 * calsession: calibration sessions (see calsession.h).  Their times (made,
 * opened, closed, marked, changed, overridden) record when a change was made
 * on this machine: the system clock's, never PLUMB_NOW's business day.
 */
#include "calibrate/calsession.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/decimal.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/actor.h"
#include "core/audit.h"
#include "core/aup.h"
#include "core/authz.h"
#include "core/ctx.h"
#include "core/org.h"
#include "review/calendar.h"
#include "review/cycle.h"
#include "review/evaluation.h"
#include "review/feedback.h"
#include "review/score.h"
#include "store/store.h"

#define REASON_MAX   2000
#define EVIDENCE_MAX 20

#define FLAG_NAME_(id, name) name,
static const char *const flag_names[] = {CALSESSION_FLAG_TABLE(FLAG_NAME_) NULL};
#undef FLAG_NAME_
#define MARK_NAME_(id, name) name,
static const char *const mark_names[] = {CALSESSION_MARK_TABLE(MARK_NAME_) NULL};
#undef MARK_NAME_

const char *calsession_flag_name(enum calsession_flag f)
{
	return f < CALSESSION_FLAG_COUNT ? flag_names[f] : "?";
}

static int mark_parse(const char *s)
{
	for (int i = 0; mark_names[i]; i++)
		if (strcmp(mark_names[i], s) == 0)
			return i;
	return -1;
}

int calsession_round(const struct fw_scale *scale, double score)
{
	if (!scale || !isfinite(score) || !scale->npoints)
		return CALSESSION_UNRATED;
	/* The nearest point, the higher one halfway: a scale may skip values
	 * (1, 3, 5), and floor(score + 0.5) gave 2, no rating of the scale's
	 * (found in the calibrate hunt).  Points are ascending; midpoints of
	 * whole numbers are exact, and so are scores kept to nine decimals. */
	int v = scale->points[0].value;
	for (size_t i = 1; i < scale->npoints; i++)
		if (score >= (scale->points[i - 1].value + scale->points[i].value) / 2.0)
			v = scale->points[i].value;
	return v;
}

double calsession_step(const struct fw_scale *scale, double score)
{
	if (!scale || scale->npoints < 2)
		return 1;
	size_t i = 1;
	while (i + 1 < scale->npoints && score >= scale->points[i].value)
		i++;
	return scale->points[i].value - scale->points[i - 1].value;
}

static char *id_text(struct arena *a, int64_t id)
{
	return arena_printf(a, "%lld", (long long)id);
}

/* ---- guidance ---- */

/* A curve's usual shape on a five-point scale: guidance, not a quota. */
static const struct calsession_guidance default_guidance[] = {
        {1, 0, 10}, {2, 5, 20}, {3, 40, 70}, {4, 15, 30}, {5, 0, 10},
};

/* "RATING=LOW-HIGH": the rating in one or two digits, as --rating takes it,
 * and the percents as decimal_parse reads numbers (sscanf's %lf took hex,
 * "0x10" as 16, and blanks); the one '-' that splits two numbers (a LOW of
 * 1e-3 has another). */
static bool guidance_range(const char *text, int *rating, double *lo, double *hi)
{
	const char *eq = strchr(text, '=');
	size_t digits = eq ? (size_t)(eq - text) : 0;
	if (digits < 1 || digits > 2 || strspn(text, "0123456789") != digits)
		return false;
	*rating = digits == 2 ? (text[0] - '0') * 10 + (text[1] - '0') : text[0] - '0';
	char buf[64];
	if (!eq[1] || strlen(eq + 1) >= sizeof buf)
		return false;
	for (const char *dash = strchr(eq + 2, '-'); dash; dash = strchr(dash + 1, '-')) {
		size_t n = (size_t)(dash - (eq + 1));
		memcpy(buf, eq + 1, n);
		buf[n] = '\0';
		if (decimal_parse(buf, lo) && decimal_parse(dash + 1, hi))
			return true;
	}
	return false;
}

static int parse_guidance(const char **in, size_t n, struct calsession_guidance *out, size_t *nout,
                          struct error *err)
{
	if (!n) {
		*nout = sizeof default_guidance / sizeof default_guidance[0];
		memcpy(out, default_guidance, sizeof default_guidance);
		return 0;
	}
	if (n > CALSESSION_GUIDANCE_MAX)
		return err_set(err, ERR_USAGE, "at most %d --guidance ranges",
		               CALSESSION_GUIDANCE_MAX);
	double least = 0;
	for (size_t i = 0; i < n; i++) {
		int rating;
		double lo, hi;
		if (!guidance_range(in[i], &rating, &lo, &hi) || lo < 0 || hi > 100 || lo > hi) {
			err_set(err, ERR_USAGE,
			        "--guidance '%s': expected RATING=LOW-HIGH, a rating in digits and "
			        "percents",
			        in[i]);
			err_hint(err, "for example --guidance 3=40-70");
			return ERR_USAGE;
		}
		for (size_t j = 0; j < i; j++)
			if (out[j].rating == rating)
				return err_set(err, ERR_USAGE, "--guidance gives rating %d twice",
				               rating);
		out[i] = (struct calsession_guidance){rating, lo, hi};
		least += lo;
	}
	/* Found in review: such a curve was accepted, and no population meets it. */
	if (least > 100) {
		char sum[48];
		/* Not %g: 100.00001 read "100", no more than 100. */
		err_set(err, ERR_USAGE, "--guidance asks for at least %s%% in all, more than 100%%",
		        decimal_format(sum, sizeof sum, least, DECIMAL_EXACT));
		err_hint(err, "lower the LOW ends so that they sum to 100 or less");
		return ERR_USAGE;
	}
	*nout = n;
	return 0;
}

/* Each guidance rating a point of the cycle's performance scale: the
 * distribution and the curve count nothing else.  The default's too, which
 * is for a scale of 1 to 5: on one of 0 to 4 it asked 40-70% at 3 of a
 * scale without a 3 when its points are 0, 2 and 4, so every close was
 * outside it, and the curve placed people at 5 (found in the calibrate
 * hunt). */
/* A scale's points in words: "1 to 5", or "0, 2, 4" where it skips values. */
static const char *scale_points(struct arena *a, const struct fw_scale *scale)
{
	int lo = scale->points[0].value, hi = scale->points[scale->npoints - 1].value;
	if ((size_t)(hi - lo) + 1 == scale->npoints)
		return arena_printf(a, "%d to %d", lo, hi);
	struct sb b = SB_INIT;
	for (size_t i = 0; i < scale->npoints; i++)
		sb_printf(&b, "%s%d", i ? ", " : "", scale->points[i].value);
	const char *text = arena_strdup(a, b.buf);
	sb_release(&b);
	return text;
}

static int guidance_on_scale(struct ctx *ctx, const struct cycle_info *info,
                             const struct calsession_create_options *o,
                             const struct calsession_guidance *g, size_t n, struct error *err)
{
	const struct framework *fw;
	int rc = framework_load(ctx, info->framework_version, &fw, err);
	if (rc < 0)
		return rc;
	const struct fw_scale *scale = fw->axes[FW_AXIS_PERFORMANCE].scale;
	if (!scale || !scale->npoints)
		return 0;
	/* Points ascend without repeats: five from 1 to 5 are 1 to 5.  Each
	 * default rating a point was not enough: on 1 to 9 it asked 40-70% at 3
	 * and said nothing of 6 to 9 (found in the calibrate hunt). */
	if (!o->nguidance &&
	    !(scale->npoints == 5 && scale->points[0].value == 1 && scale->points[4].value == 5)) {
		err_set(err, ERR_USAGE,
		        "the default guidance is for a performance scale of 1 to 5, not %s (%s)",
		        scale->id, scale_points(ctx->arena, scale));
		err_hint(err, "give the target share of each of its ratings: --guidance "
		              "RATING=LOW-HIGH, repeated");
		return ERR_USAGE;
	}
	for (size_t i = 0; i < n; i++) {
		if (framework_scale_label(scale, g[i].rating))
			continue;
		err_set(err, ERR_USAGE,
		        "--guidance '%s': rating %d is not on the performance scale %s (%s)",
		        o->guidance[i], g[i].rating, scale->id, scale_points(ctx->arena, scale));
		return ERR_USAGE;
	}
	return 0;
}

static char *guidance_json(const struct calsession_guidance *g, size_t n)
{
	struct sb b = SB_INIT;
	struct jw w;
	jw_init(&w, &b, false);
	jw_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		jw_object_begin(&w);
		jw_kint(&w, "rating", g[i].rating);
		jw_key(&w, "lo");
		jw_double(&w, g[i].lo);
		jw_key(&w, "hi");
		jw_double(&w, g[i].hi);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	return b.buf;
}

static void guidance_load(const char *json, struct calsession *s)
{
	cJSON *doc = cJSON_Parse(json);
	const cJSON *it;
	s->nguidance = 0;
	cJSON_ArrayForEach(it, doc)
	{
		if (s->nguidance == CALSESSION_GUIDANCE_MAX)
			break;
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(it, "rating");
		const cJSON *lo = cJSON_GetObjectItemCaseSensitive(it, "lo");
		const cJSON *hi = cJSON_GetObjectItemCaseSensitive(it, "hi");
		if (cJSON_IsNumber(r) && cJSON_IsNumber(lo) && cJSON_IsNumber(hi))
			s->guidance[s->nguidance++] = (struct calsession_guidance){
			        r->valueint, lo->valuedouble, hi->valuedouble};
	}
	cJSON_Delete(doc);
}

/* ---- users ---- */

/* An active user who may take part: one with a manager, leader or people
 * partner role (calibration shows them other people's ratings). */
static int participant_user(struct ctx *ctx, const char *name, const char *flag, int64_t *id,
                            struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT u.id, u.disabled, (SELECT COUNT(*) FROM user_roles r WHERE"
	                       " r.user_id = u.id AND r.role IN ('manager', 'leader',"
	                       " 'people-partner')) FROM users u WHERE u.name = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, name);
	rc = stmt_step(st, err);
	bool disabled = false, people_role = false;
	*id = 0;
	if (rc == STORE_ROW) {
		*id = stmt_int(st, 0);
		disabled = stmt_int(st, 1) != 0;
		people_role = stmt_int(st, 2) > 0;
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (!*id) {
		err_set(err, ERR_NOT_FOUND, "%s: no user '%s'", flag, name);
		err_hint(err, "plumb user list shows the users");
		return ERR_NOT_FOUND;
	}
	if (disabled)
		return err_set(err, ERR_INVALID, "%s: user '%s' is disabled", flag, name);
	if (!people_role) {
		err_set(err, ERR_INVALID,
		        "%s: user '%s' is not a manager, leader or people partner, who take part "
		        "in calibration",
		        flag, name);
		return ERR_INVALID;
	}
	return 0;
}

/* ---- loading ---- */

static int find_session(struct ctx *ctx, const char *name_or_id, struct calsession *s,
                        int64_t *facilitator_id, struct error *err)
{
	struct arena *a = ctx->arena;
	/* An id only as plumb writes one: strtoll alone would also take " 1",
	 * "+1" and "01" for session 1, and clamp a longer number to the largest. */
	size_t len = strlen(name_or_id);
	bool digits = len > 0 && name_or_id[0] != '0' && strspn(name_or_id, "0123456789") == len;
	errno = 0;
	long long id = digits ? strtoll(name_or_id, NULL, 10) : -1;
	if (errno)
		id = -1;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT s.id, s.name, s.status, s.cycle_id, c.name, c.phase, s.facilitator_id,"
	        " u.name, s.guidance, s.scheduled_at, s.created_at, s.created_by, s.opened_at,"
	        " s.closed_at, s.closed_by, c.framework_version, s.curve_minimum"
	        " FROM calibration_sessions s JOIN cycles c ON c.id = s.cycle_id"
	        " JOIN users u ON u.id = s.facilitator_id WHERE s.name = ? OR s.id = ?",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, name_or_id);
	stmt_bind_int(st, 2, id);
	rc = stmt_step(st, err);
	int fw_version = 0;
	if (rc == STORE_ROW) {
		s->id = stmt_int(st, 0);
		s->name = stmt_text_dup(st, 1, a);
		s->status = stmt_text_dup(st, 2, a);
		s->cycle_id = stmt_int(st, 3);
		s->cycle = stmt_text_dup(st, 4, a);
		s->cycle_phase = stmt_text_dup(st, 5, a);
		*facilitator_id = stmt_int(st, 6);
		s->facilitator = stmt_text_dup(st, 7, a);
		guidance_load(stmt_text(st, 8), s);
		s->scheduled_at = stmt_is_null(st, 9) ? 0 : stmt_int(st, 9);
		s->created_at = stmt_int(st, 10);
		s->created_by = stmt_text_dup(st, 11, a);
		s->opened_at = stmt_is_null(st, 12) ? 0 : stmt_int(st, 12);
		s->closed_at = stmt_is_null(st, 13) ? 0 : stmt_int(st, 13);
		s->closed_by = stmt_text_dup(st, 14, a);
		fw_version = (int)stmt_int(st, 15);
		s->curve_minimum = (int)stmt_int(st, 16);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (rc == STORE_DONE) {
		err_set(err, ERR_NOT_FOUND, "no calibration session '%s'", name_or_id);
		err_hint(err, "plumb calibrate session list shows them");
		return ERR_NOT_FOUND;
	}
	if ((rc = framework_load(ctx, fw_version, &s->fw, err)) < 0)
		return rc;
	const struct fw_axis_def *perf = &s->fw->axes[FW_AXIS_PERFORMANCE];
	s->scale = perf->scale;
	return 0;
}

static int load_names(struct ctx *ctx, const char *sql, int64_t id, const char ***out, size_t *n,
                      struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, id);
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*out = arena_grow(ctx->arena, *out, *n, &alloc, sizeof **out);
		(*out)[(*n)++] = stmt_text_dup(st, 0, ctx->arena);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

#define PEOPLE_SELECT                                                                              \
	"SELECT m.person_id, p.employee_id, p.name, t.name, mp.employee_id, m.level,"              \
	" m.role_profile, p.country, pm.into_person_id FROM calibration_members c"                 \
	" JOIN cycle_members m ON m.cycle_id = ? AND m.person_id = c.person_id"                    \
	" JOIN people p ON p.id = m.person_id JOIN teams t ON t.id = m.team_id"                    \
	" LEFT JOIN people mp ON mp.id = m.manager_id"                                             \
	" LEFT JOIN person_merges pm ON pm.from_person_id = m.person_id WHERE c.session_id = ?"

/* The session's people: cycle members in its teams and their subteams; with
 * only (an employee id), that person alone when they are one. */
static int load_people(struct ctx *ctx, struct calsession *s, const char *only, struct error *err)
{
	struct arena *a = ctx->arena;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       only ? PEOPLE_SELECT " AND p.employee_id = ?"
	                            : PEOPLE_SELECT " ORDER BY p.employee_id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, s->cycle_id);
	stmt_bind_int(st, 2, s->id);
	if (only)
		stmt_bind_text(st, 3, only);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		s->people = arena_grow(a, s->people, s->npeople, &alloc, sizeof *s->people);
		struct calsession_person *p = &s->people[s->npeople++];
		memset(p, 0, sizeof *p);
		p->person_id = stmt_int(st, 0);
		p->employee_id = stmt_text_dup(st, 1, a);
		p->name = stmt_text_dup(st, 2, a);
		p->team = stmt_text_dup(st, 3, a);
		p->manager = stmt_text_dup(st, 4, a);
		p->level = stmt_text_dup(st, 5, a);
		p->role_profile = stmt_text_dup(st, 6, a);
		p->country = stmt_text_dup(st, 7, a);
		/* The reader, also as a record person merge folded into theirs. */
		int64_t me = ctx->actor.person_id;
		p->is_reader = me && (p->person_id == me ||
		                      (!stmt_is_null(st, 8) && stmt_int(st, 8) == me));
		p->peer_mean = NAN;
		p->performance = CALSESSION_UNRATED; /* until an evaluation rates them */
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The session's people in person id order, for the lookups of marks and
 * changes: a scan of the people per row was quadratic in the session. */
struct person_index {
	int64_t id;
	size_t at; /* in s->people */
};

static int cmp_person_index(const void *x, const void *y)
{
	const struct person_index *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

static struct person_index *person_index(struct arena *a, const struct calsession *s)
{
	struct person_index *ix = arena_array(a, s->npeople ? s->npeople : 1, sizeof *ix);
	for (size_t i = 0; i < s->npeople; i++)
		ix[i] = (struct person_index){s->people[i].person_id, i};
	if (s->npeople)
		qsort(ix, s->npeople, sizeof *ix, cmp_person_index);
	return ix;
}

static struct calsession_person *person_by_id(struct calsession *s, const struct person_index *ix,
                                              int64_t id)
{
	struct person_index key = {id, 0};
	const struct person_index *hit =
	        s->npeople ? bsearch(&key, ix, s->npeople, sizeof *ix, cmp_person_index) : NULL;
	return hit ? &s->people[hit->at] : NULL;
}

static struct calsession_rating *rating_of(struct calsession_person *p, const char *dimension)
{
	for (size_t i = 0; i < p->nratings; i++)
		if (strcmp(p->ratings[i].dimension, dimension) == 0)
			return &p->ratings[i];
	return NULL;
}

/* Who wrote the newest manager evaluation: the rater calibration weighs. */
static int load_rater(struct ctx *ctx, struct arena *keep, int64_t cycle_id,
                      struct calsession_person *p, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT " CALRATER_AUTHOR(
	                "created_by") " FROM evaluations WHERE cycle_id = ? AND"
	                              " person_id = ? AND source = 'manager' ORDER BY version DESC"
	                              " LIMIT 1",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle_id);
	stmt_bind_int(st, 2, p->person_id);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		p->rated_by = stmt_text_dup(st, 0, keep);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* p's ratings, rater, axis scores and peer mean.  What is read to get them
 * (the evaluation with its evidence, the score's terms, every peer
 * response's body) lives in ctx->arena, a scratch arena of this person's
 * (load_evaluation); what p keeps is allocated in keep, and so is the cycle
 * as feedback reads it (*feedback), loaded for the first person evaluated
 * and shared by the rest. */
static int read_evaluation(struct ctx *ctx, struct arena *keep, struct calsession *s,
                           const struct feedback_cycle **feedback, struct calsession_person *p,
                           struct error *err)
{
	struct evaluation ev;
	bool found;
	int rc = evaluation_load_tx(ctx, s->cycle_id, p->person_id, 0, s->fw, &ev, &found, err);
	if (rc < 0 || !found)
		return rc;
	p->evaluated = true;
	p->evaluation_version = ev.version;
	p->ratings = arena_array(keep, ev.nratings ? ev.nratings : 1, sizeof *p->ratings);
	for (size_t i = 0; i < ev.nratings; i++) {
		const struct evaluation_rating *r = &ev.ratings[i];
		/* The competency's id and name are the framework's, which outlives
		 * the command; a rating off the framework keeps a copy. */
		const struct fw_competency *c = framework_competency(s->fw, r->dimension);
		const char *dimension = c ? c->id : arena_strdup(keep, r->dimension);
		p->ratings[p->nratings++] = (struct calsession_rating){
		        .dimension = dimension,
		        .name = c ? c->name : dimension,
		        .original = r->rating,
		        .current = r->rating,
		        .stored = r->rating,
		        .recency_flag = r->recency_flag,
		        .nevidence = (int)r->nevidence,
		};
		p->evidence += (int)r->nevidence;
	}
	if ((rc = load_rater(ctx, keep, s->cycle_id, p, err)) < 0)
		return rc;
	/* The score of the evaluation just read: score_compute_tx would read the
	 * cycle, the member, the framework and the evaluation again, per person. */
	struct score sc;
	rc = score_of_evaluation(ctx->arena, s->fw, s->cycle, p->employee_id, p->level,
	                         p->role_profile, &ev, &sc, err);
	if (rc < 0)
		return rc;
	for (int x = 0; x < FW_AXIS_COUNT; x++) {
		p->scored[x] = sc.axes[x].sum.scored;
		p->axis[x] = p->scored[x] ? sc.axes[x].sum.score : NAN;
	}
	p->performance = calsession_round(s->scale, p->axis[FW_AXIS_PERFORMANCE]);
	/* Peer feedback as its readers see it: a group at the threshold. */
	if (!*feedback) {
		struct arena *scratch = ctx->arena;
		ctx->arena = keep;
		rc = feedback_cycle_load_tx(ctx, s->cycle_id, feedback, err);
		ctx->arena = scratch;
		if (rc < 0)
			return rc;
	}
	struct feedback_group *groups;
	size_t ngroups;
	if ((rc = feedback_groups_in_tx(ctx, *feedback, p->person_id, s->fw->anonymity_threshold,
	                                &groups, &ngroups, err)) < 0)
		return rc;
	for (size_t g = 0; g < ngroups; g++) {
		if (groups[g].relation != FW_REL_PEER || groups[g].withheld || !groups[g].nratings)
			continue;
		/* The competencies rated by fewer than the threshold carry no mean;
		 * nor do those on another scale than the performance axis's, which
		 * the flag compares the mean with: a potential competency on 1 to
		 * 9 beside performance on 1 to 5 lifted it off any point of either
		 * (found in the calibrate hunt). */
		double sum = 0;
		size_t shown = 0;
		for (size_t i = 0; i < groups[g].nratings; i++) {
			const struct fw_competency *c =
			        framework_competency(s->fw, groups[g].ratings[i].competency);
			if (groups[g].ratings[i].shown && c && c->scale == s->scale) {
				sum += groups[g].ratings[i].mean;
				shown++;
			}
		}
		if (shown)
			p->peer_mean = sum / (double)shown;
	}
	return 0;
}

/* read_evaluation with ctx->arena a scratch arena, destroyed after: the
 * reads behind a person's figures took about 37 KB of ctx->arena each,
 * kept until the command ended (1.9 GB for a 50,000-person session,
 * docs/PERFORMANCE.md).  None of the review reads keeps anything of ctx's
 * arena past its call (the framework's parse is cached apart), so the
 * scratch arena can go with the person. */
static int load_evaluation(struct ctx *ctx, struct calsession *s,
                           const struct feedback_cycle **feedback, struct calsession_person *p,
                           struct error *err)
{
	struct arena *keep = ctx->arena;
	ctx->arena = arena_create();
	int rc = read_evaluation(ctx, keep, s, feedback, p, err);
	arena_destroy(ctx->arena);
	ctx->arena = keep;
	return rc;
}

static int load_marks(struct ctx *ctx, struct calsession *s, const struct person_index *ix,
                      struct error *err)
{
	struct arena *a = ctx->arena;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT m.person_id, u.name, m.mark, m.comment, m.marked_at FROM"
	                       " calibration_marks m JOIN users u ON u.id = m.user_id WHERE"
	                       " m.session_id = ? ORDER BY u.name",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, s->id);
	size_t *allocs = arena_array(a, s->npeople ? s->npeople : 1, sizeof *allocs);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		struct calsession_person *p = person_by_id(s, ix, stmt_int(st, 0));
		int mark = mark_parse(stmt_text(st, 2));
		if (!p || mark < 0)
			continue;
		p->mark_rows = arena_grow(a, p->mark_rows, p->nmarks, &allocs[p - s->people],
		                          sizeof *p->mark_rows);
		p->mark_rows[p->nmarks++] = (struct calsession_mark_row){
		        stmt_text_dup(st, 1, a), (enum calsession_mark)mark,
		        stmt_text_dup(st, 3, a), stmt_int(st, 4)};
		p->marks[mark]++;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Re-rated in a newer evaluation version since the room took it up: the
 * stored rating is neither the one its changes started from nor where they
 * left it.  Each change starts from the last one's rating, so only the run's
 * start says what the room saw stored (found by a stress run: comparing with
 * the last change alone took 3->4->5 for a re-rating).  A version that holds
 * one of the run's middle ratings is a conflict too: which came later, the
 * version or the room's move past it, is not known, and a close would
 * overwrite it unseen. */
static bool rerated(const struct calsession_rating *r)
{
	return r->changed && r->stored != r->changed_from && r->stored != r->current;
}

static void evidence_list(struct arena *a, const char *json, struct calsession_change *c)
{
	cJSON *doc = cJSON_Parse(json);
	int n = cJSON_GetArraySize(doc);
	c->evidence = arena_array(a, n > 0 ? (size_t)n : 1, sizeof *c->evidence);
	const cJSON *it;
	cJSON_ArrayForEach(it, doc)
	{
		if (cJSON_IsString(it))
			c->evidence[c->nevidence++] = arena_strdup(a, it->valuestring);
	}
	cJSON_Delete(doc);
}

/* The session's changes, or (person_id not 0) one person's. */
static int load_changes(struct ctx *ctx, struct calsession *s, const struct person_index *ix,
                        int64_t person_id, struct error *err)
{
	struct arena *a = ctx->arena;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT c.id, c.person_id, p.employee_id, c.dimension, c.from_rating,"
	        " c.to_rating, c.reason, c.evidence, c.changed_by, c.changed_at,"
	        " CASE WHEN c.person_id = ?4 OR EXISTS (SELECT 1 FROM person_merges pm WHERE"
	        " pm.from_person_id = c.person_id AND pm.into_person_id = ?4) THEN 1 ELSE 0 END"
	        " FROM calibration_changes c JOIN people p ON p.id = c.person_id"
	        " WHERE c.session_id = ?1 AND (?2 = 0 OR c.person_id = ?3) ORDER BY c.id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, s->id);
	stmt_bind_int(st, 2, person_id);
	stmt_bind_int(st, 3, person_id);
	/* The reader, as load_people marks them (is_reader); 0 is no record. */
	stmt_bind_int(st, 4, ctx->actor.person_id);
	size_t alloc = 0, calloc_ = 0, conflicts_alloc = 0, whose_alloc = 0;
	struct calsession_person **whose = NULL; /* each change's person, NULL: gone */
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		whose = arena_grow(a, whose, s->nchanges, &whose_alloc, sizeof *whose);
		s->changes = arena_grow(a, s->changes, s->nchanges, &alloc, sizeof *s->changes);
		struct calsession_change *c = &s->changes[s->nchanges++];
		memset(c, 0, sizeof *c);
		c->id = stmt_int(st, 0);
		c->person = stmt_text_dup(st, 2, a);
		c->dimension = stmt_text_dup(st, 3, a);
		c->from = stmt_double(st, 4);
		c->to = stmt_double(st, 5);
		c->reason = stmt_text_dup(st, 6, a);
		evidence_list(a, stmt_text(st, 7), c);
		c->by = stmt_text_dup(st, 8, a);
		c->at = stmt_int(st, 9);
		c->about_reader = stmt_int(st, 10) != 0;
		/* The first change of a rating knows the original; the last, the current. */
		struct calsession_person *p = person_by_id(s, ix, stmt_int(st, 1));
		whose[s->nchanges - 1] = p;
		struct calsession_rating *r = p ? rating_of(p, c->dimension) : NULL;
		if (!r) {
			/* Once per rating: a rating changed twice is not written
			 * back once (found hunting: it was listed per change). */
			bool listed = false;
			for (size_t k = 0; k < s->ndropped && !listed; k++)
				listed = !strcmp(s->dropped[k].person, c->person) &&
				         !strcmp(s->dropped[k].dimension, c->dimension);
			if (listed)
				continue;
			s->dropped = arena_grow(a, s->dropped, s->ndropped, &calloc_,
			                        sizeof *s->dropped);
			s->dropped[s->ndropped++] = (struct calsession_dropped){
			        c->person, c->dimension,
			        arena_printf(a, "%s %s: %s", c->person, c->dimension,
			                     !p ? "no longer in the population"
			                        : "no longer rated on it in the newest evaluation"),
			        c->about_reader};
			continue;
		}
		if (!r->changed)
			r->original = c->from;
		/* A change not from the last one's rating took up a re-rating. */
		if (!r->changed || c->from != r->current)
			r->changed_from = c->from;
		r->changed = true;
		r->current = c->to;
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	/* A rating re-rated in a newer evaluation version after its last change
	 * in the room: writing the change back would overwrite it unseen. */
	for (size_t i = 0; strcmp(s->status, "open") == 0 && i < s->nchanges; i++) {
		const struct calsession_change *c = &s->changes[i];
		bool last = true;
		for (size_t k = i + 1; k < s->nchanges; k++)
			if (!strcmp(s->changes[k].person, c->person) &&
			    !strcmp(s->changes[k].dimension, c->dimension))
				last = false;
		struct calsession_person *p = whose[i];
		const struct calsession_rating *r = p ? rating_of(p, c->dimension) : NULL;
		if (!last || !r || !rerated(r))
			continue;
		s->conflicts = arena_grow(a, s->conflicts, s->nconflicts, &conflicts_alloc,
		                          sizeof *s->conflicts);
		s->conflicts[s->nconflicts++] = (struct calsession_conflict){
		        c->person,       c->dimension, r->stored, p->evaluation_version,
		        r->changed_from, r->current};
	}
	return 0;
}

static int load_overrides(struct ctx *ctx, struct calsession *s, struct error *err)
{
	struct arena *a = ctx->arena;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT kind, detail, reason, created_by, created_at FROM"
	                       " calibration_overrides WHERE session_id = ? ORDER BY id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, s->id);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		s->overrides =
		        arena_grow(a, s->overrides, s->noverrides, &alloc, sizeof *s->overrides);
		/* Closing refuses an empty reason: an empty one is retention's
		 * anonymize (retention.c), the only writer of one. */
		const char *reason = stmt_text_dup(st, 2, a);
		s->overrides[s->noverrides++] = (struct calsession_override){
		        stmt_text_dup(st, 0, a), stmt_text_dup(st, 1, a), reason,
		        stmt_text_dup(st, 3, a), stmt_int(st, 4),         !*reason};
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

const char *calsession_rating_text(char *buf, size_t n, const struct calsession *s,
                                   const char *dimension, double rating)
{
	const struct fw_competency *c = framework_competency(s->fw, dimension);
	return score_scale_text(buf, n, rating, c ? c->scale : s->scale);
}

/* A rating as calsession_rating_text writes it, in a. */
static const char *rating_in(struct arena *a, const struct calsession *s, const char *dimension,
                             double rating)
{
	char buf[48];
	return arena_strdup(a, calsession_rating_text(buf, sizeof buf, s, dimension, rating));
}

static void flag(struct ctx *ctx, struct calsession_person *p, enum calsession_flag f,
                 const char *why)
{
	p->flags |= 1u << f;
	p->flag_why[f] = arena_strdup(ctx->arena, why);
}

/* The steps of scale from one rating to another: its points past the lower
 * up to the higher.  A scale may skip values: on 0, 2 and 4, 2 to 4 is one
 * step, which the difference of 2 took for two (found in the calibrate
 * hunt).  Without the scale (a rating off the framework), the difference. */
static double scale_steps(const struct fw_scale *scale, double a, double b)
{
	double lo = fmin(a, b), hi = fmax(a, b);
	if (!scale)
		return hi - lo;
	int n = 0;
	for (size_t i = 0; i < scale->npoints; i++)
		n += scale->points[i].value > lo && scale->points[i].value <= hi;
	return n;
}

/* The edge cases worth the room's time (docs/calibration.md says why each). */
static void flag_edge_cases(struct ctx *ctx, const struct calsession *s,
                            struct calsession_person *p)
{
	struct arena *a = ctx->arena;
	/* Steps of the scale, not scale units: on 0, 2 and 4 one step above
	 * meets (2) is 4, where meets + 1 took 3 (found in the calibrate hunt). */
	double meets = s->scale ? s->scale->meets : 3, step = calsession_step(s->scale, meets);
	double perf = p->axis[FW_AXIS_PERFORMANCE], impact = p->axis[FW_AXIS_IMPACT];
	/* Impact against its own scale's meets: on 0, 2 and 4 beside a
	 * performance scale of 1 to 5, an impact at meets (2) was below the
	 * performance scale's 3 (found in the calibrate hunt). */
	const struct fw_scale *impact_scale = s->fw->axes[FW_AXIS_IMPACT].scale;
	double impact_meets = impact_scale ? impact_scale->meets : meets;
	if (p->scored[FW_AXIS_PERFORMANCE] && p->scored[FW_AXIS_IMPACT] && perf >= meets + step &&
	    impact < impact_meets)
		flag(ctx, p, CALSESSION_FLAG_HIGH_PERFORMER_LOW_IMPACT,
		     arena_printf(a, "performance %.2f but impact %.2f, below meets (%.0f)",
		                  score_reported(perf), score_reported(impact), impact_meets));
	if (p->evaluated && (size_t)p->evidence < p->nratings && isfinite(p->peer_mean) &&
	    p->peer_mean >= meets + step / 2 &&
	    (!p->scored[FW_AXIS_PERFORMANCE] ||
	     p->peer_mean >= perf + calsession_step(s->scale, perf) / 2))
		flag(ctx, p, CALSESSION_FLAG_LOW_VISIBILITY,
		     arena_printf(a,
		                  "%d evidence items for %zu ratings, but peers rate them %.2f on "
		                  "average",
		                  p->evidence, p->nratings, p->peer_mean));
	for (size_t i = 0; i < p->nratings; i++)
		if (p->ratings[i].recency_flag) {
			flag(ctx, p, CALSESSION_FLAG_RECENCY,
			     arena_printf(a,
			                  "%s: most of its dated evidence is from the period's "
			                  "last quarter",
			                  p->ratings[i].dimension));
			break;
		}
	for (size_t i = 0; i < p->nratings; i++) {
		const struct calsession_rating *r = &p->ratings[i];
		const struct fw_competency *c = framework_competency(s->fw, r->dimension);
		if (scale_steps(c ? c->scale : NULL, r->original, r->current) > 1) {
			flag(ctx, p, CALSESSION_FLAG_MOVED_MORE_THAN_ONE_STEP,
			     arena_printf(a, "%s moved from %s to %s", r->dimension,
			                  rating_in(a, s, r->dimension, r->original),
			                  rating_in(a, s, r->dimension, r->current)));
			break;
		}
	}
}

static int cmp_agenda(const void *x, const void *y)
{
	const struct calsession_person *a = x, *b = y;
	int qa = a->marks[CALSESSION_MARK_QUESTION], qb = b->marks[CALSESSION_MARK_QUESTION];
	if (qa != qb)
		return qb - qa;
	int fa = __builtin_popcount(a->flags), fb = __builtin_popcount(b->flags);
	if (fa != fb)
		return fb - fa;
	return strcmp(a->employee_id, b->employee_id);
}

static int people_partner_over_all(struct ctx *ctx, const struct calsession_person *people,
                                   size_t n, bool *out, struct error *err)
{
	*out = actor_has_role(&ctx->actor, ROLE_PEOPLE_PARTNER);
	for (size_t i = 0; *out && i < n; i++) {
		if (people[i].is_reader)
			continue;
		enum authz_review rel;
		int rc = authz_review_relation(ctx, people[i].person_id, 0, &rel, err);
		if (rc < 0)
			return rc;
		*out = rel == AUTHZ_REVIEW_PEOPLE_PARTNER;
	}
	return 0;
}

static int load_participants(struct ctx *ctx, struct calsession *s, struct error *err)
{
	int rc = load_names(ctx,
	                    "SELECT u.name FROM calibration_participants p JOIN users u ON u.id ="
	                    " p.user_id WHERE p.session_id = ? ORDER BY u.name",
	                    s->id, &s->participants, &s->nparticipants, err);
	if (rc == 0)
		rc = load_names(ctx,
		                "SELECT t.name FROM calibration_population p JOIN teams t ON t.id ="
		                " p.team_id WHERE p.session_id = ? ORDER BY t.name",
		                s->id, &s->teams, &s->nteams, err);
	return rc;
}

/* Whether the actor is named in the room, role or not. */
static bool named_in_room(const struct ctx *ctx, const struct calsession *s)
{
	if (strcmp(ctx->actor.name, s->facilitator) == 0)
		return true;
	for (size_t i = 0; i < s->nparticipants; i++)
		if (strcmp(ctx->actor.name, s->participants[i]) == 0)
			return true;
	return false;
}

/* The roles that take part in calibration (participant_user).  Held now,
 * not only when the session was created: a role revoked since takes the
 * user out of the room, as it takes every other right the role gave at
 * their next command (found by a sequence: a participant whose manager role
 * was revoked mid-session still read everyone's ratings and changed them). */
static bool room_role(const struct ctx *ctx)
{
	return actor_has_role(&ctx->actor, ROLE_MANAGER) ||
	       actor_has_role(&ctx->actor, ROLE_LEADER) ||
	       actor_has_role(&ctx->actor, ROLE_PEOPLE_PARTNER);
}

bool calsession_acts(const struct ctx *ctx, const struct calsession *s)
{
	return named_in_room(ctx, s) && room_role(ctx);
}

/* The hint of a refusal to someone named in the room who lost its roles. */
static void hint_lost_role(const struct ctx *ctx, const struct calsession *s, struct error *err)
{
	if (named_in_room(ctx, s) && !room_role(ctx))
		err_detail(err,
		           "%s is named in the session but no longer holds a manager, leader or "
		           "people partner role, who take part in calibration",
		           ctx->actor.name);
}

int calsession_may_read_tx(struct ctx *ctx, const struct calsession *s, bool *acts,
                           struct error *err)
{
	*acts = calsession_acts(ctx, s);
	if (*acts)
		return 0;
	bool pp;
	int rc = people_partner_over_all(ctx, s->people, s->npeople, &pp, err);
	if (rc < 0)
		return rc;
	if (pp)
		return 0;
	err_set(err, ERR_DENIED, "%s may not read calibration session '%s'", ctx->actor.name,
	        s->name);
	hint_lost_role(ctx, s, err);
	err_hint(err, "its facilitator, participants and people partners over its population "
	              "read it");
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

/* The session's row, people (or only the one, see load_people) and who
 * takes part, without the review content. */
static int load_frame(struct ctx *ctx, const char *session, const char *only, struct calsession *s,
                      struct error *err)
{
	memset(s, 0, sizeof *s);
	int64_t facilitator_id;
	int rc = find_session(ctx, session, s, &facilitator_id, err);
	if (rc == 0)
		rc = load_participants(ctx, s, err);
	if (rc == 0)
		rc = load_people(ctx, s, only, err);
	return rc;
}

/* Which of the session's people the room changed a rating of (*out[i] for
 * s->people[i]). */
static int changed_people(struct ctx *ctx, struct calsession *s, const struct person_index *ix,
                          bool **out, struct error *err)
{
	*out = arena_array(ctx->arena, s->npeople ? s->npeople : 1, sizeof **out);
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT DISTINCT person_id FROM calibration_changes WHERE"
	                       " session_id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, s->id);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		const struct calsession_person *p = person_by_id(s, ix, stmt_int(st, 0));
		if (p)
			(*out)[p - s->people] = true;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The review content, marks, changes, rater effects and flags, then the
 * agenda's order.  changed_only: the evaluations, figures and flags of the
 * people the room changed a rating of, and nobody else's, in the order the
 * whole load gives them among themselves (an unchanged person has no flags
 * and sorts as such): what closing writes back, checks for conflicts and
 * lists in its audit entry. */
static int load_content(struct ctx *ctx, struct calsession *s, const int64_t *left_out,
                        size_t nleft_out, bool changed_only, struct error *err)
{
	const struct person_index *ix = person_index(ctx->arena, s);
	const struct feedback_cycle *feedback = NULL;
	bool *changed = NULL;
	int rc = changed_only ? changed_people(ctx, s, ix, &changed, err) : 0;
	for (size_t i = 0; rc == 0 && i < s->npeople; i++)
		if (!changed || changed[i])
			rc = load_evaluation(ctx, s, &feedback, &s->people[i], err);
	if (rc == 0)
		rc = load_marks(ctx, s, ix, err);
	if (rc == 0)
		rc = load_changes(ctx, s, ix, 0, err);
	if (rc == 0)
		rc = load_overrides(ctx, s, err);
	if (rc == 0)
		rc = calrater_fit_tx(ctx, s->cycle_id, s->scale, left_out, nleft_out, &s->raters,
		                     err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < s->npeople; i++) {
		struct calsession_person *p = &s->people[i];
		if (changed && !changed[i])
			continue;
		flag_edge_cases(ctx, s, p);
		const struct ratereff_rater *r = calrater_find(&s->raters, p->rated_by);
		char effect[48];
		if (r && r->flagged)
			flag(ctx, p, CALSESSION_FLAG_RATER_FLAGGED,
			     arena_printf(ctx->arena,
			                  "rated by %s, whose ratings run %s against others' "
			                  "(%s, %zu ratings)",
			                  p->rated_by,
			                  decimal_signed(effect, sizeof effect, r->effect, 2),
			                  r->effect > 0 ? "lenient" : "severe", r->n));
	}
	if (s->npeople)
		qsort(s->people, s->npeople, sizeof *s->people, cmp_agenda);
	return 0;
}

/* The reader's records in the population: their own and any merged into
 * it (*n of them, in the arena). */
static const int64_t *readers_in(struct arena *a, const struct calsession *s, size_t *n)
{
	int64_t *ids = arena_array(a, s->npeople + 1, sizeof *ids);
	*n = 0;
	for (size_t i = 0; i < s->npeople; i++)
		if (s->people[i].is_reader)
			ids[(*n)++] = s->people[i].person_id;
	return ids;
}

static int load_tx(struct ctx *ctx, const char *session, struct calsession *out, bool hide,
                   struct error *err)
{
	bool acts;
	int rc = load_frame(ctx, session, NULL, out, err);
	if (rc == 0)
		rc = calsession_may_read_tx(ctx, out, &acts, err);
	if (rc == 0)
		ctx_subject(ctx, "calibration_session", id_text(ctx->arena, out->id));
	/* A hidden reader's ratings leave the rater model too, whose figures
	 * moved with the rating about them (found in review). */
	size_t nreaders = 0;
	const int64_t *readers = rc == 0 && hide ? readers_in(ctx->arena, out, &nreaders) : NULL;
	if (rc == 0)
		rc = load_content(ctx, out, readers, nreaders, false, err);
	return rc;
}

int calsession_load_whole_tx(struct ctx *ctx, const char *session, struct calsession *out,
                             struct error *err)
{
	return load_tx(ctx, session, out, false, err);
}

const char *calsession_conflict_text(struct arena *a, const struct calsession *s,
                                     const struct calsession_conflict *c)
{
	return arena_printf(a,
	                    "%s %s is %s in evaluation version %d; the session changed it from "
	                    "%s to %s",
	                    c->person, c->dimension, rating_in(a, s, c->dimension, c->stored),
	                    c->version, rating_in(a, s, c->dimension, c->from),
	                    rating_in(a, s, c->dimension, c->to));
}

/* A guidance line ("rating 4: 1 of 3 (33.3%), guidance 15-30%", as
 * check_guidance writes it) without its counts, for a reader in the
 * population: counted with their row, against their view's counts
 * without it, they would give the reader's own rating by difference
 * (found hunting).  "rating 4 outside guidance 15-30%". */
static const char *guidance_without_counts(struct arena *a, const char *line)
{
	const char *colon = strchr(line, ':'), *range = strstr(line, ", guidance ");
	if (strncmp(line, "rating ", 7) != 0 || !colon || !range || range < colon)
		return "a rating outside guidance";
	return arena_printf(a, "%.*s outside guidance %s", (int)(colon - line), line,
	                    range + strlen(", guidance "));
}

/* Whether employee_id is one of the n hidden records. */
static bool among(const char *const *ids, size_t n, const char *employee_id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], employee_id) == 0)
			return true;
	return false;
}

void calsession_hide_reader(const struct ctx *ctx, struct calsession *s)
{
	/* Who the reader is, load_people marked (is_reader): their record and
	 * any merged into it, all of whose changes stay hidden (found in
	 * review: only the last such record's were). */
	const char **selves = arena_array(ctx->arena, s->npeople + 1, sizeof *selves);
	size_t nselves = 0, kept = 0;
	s->npeople_all = s->npeople;
	for (size_t i = 0; i < s->npeople; i++) {
		if (s->people[i].is_reader)
			selves[nselves++] = s->people[i].employee_id;
		else
			s->people[kept++] = s->people[i];
	}
	s->npeople = kept;
	s->reader_excluded = nselves > 0;
	kept = 0;
	for (size_t i = 0; i < s->nchanges; i++)
		if (!s->changes[i].about_reader && !among(selves, nselves, s->changes[i].person))
			s->changes[kept++] = s->changes[i];
	s->nchanges = kept;
	kept = 0;
	for (size_t i = 0; i < s->nconflicts; i++)
		if (!among(selves, nselves, s->conflicts[i].person))
			s->conflicts[kept++] = s->conflicts[i];
	s->nconflicts = kept;
	for (size_t i = 0; s->reader_excluded && i < s->noverrides; i++)
		if (!strcmp(s->overrides[i].kind, "guidance"))
			s->overrides[i].detail =
			        guidance_without_counts(ctx->arena, s->overrides[i].detail);
	/* Not written back says the room changed it (found hunting: a
	 * facilitator calibrated alongside their reports was told theirs). */
	kept = 0;
	for (size_t i = 0; i < s->ndropped; i++)
		if (!s->dropped[i].about_reader)
			s->dropped[kept++] = s->dropped[i];
	s->ndropped = kept;
}

int calsession_load_tx(struct ctx *ctx, const char *session, struct calsession *out,
                       struct error *err)
{
	int rc = load_tx(ctx, session, out, true, err);
	if (rc == 0)
		calsession_hide_reader(ctx, out);
	return rc;
}

/* ---- status and list ---- */

struct load_args {
	const char *session;
	struct calsession *out;
};

static int status_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct load_args *a = arg;
	return calsession_load_tx(ctx, a->session, a->out, err);
}

int calsession_status(struct ctx *ctx, const char *session, struct calsession *out,
                      struct error *err)
{
	struct load_args a = {session, out};
	return ctx_run(ctx, OP_CALIBRATE_SESSION_STATUS, status_body, &a, err);
}

struct list_args {
	const char *cycle;
	struct calsession_summary **out;
	size_t *n;
};

static int list_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct list_args *a = arg;
	*a->out = NULL;
	*a->n = 0;
	int64_t cycle_id = 0;
	int rc = a->cycle ? cycle_find(ctx, a->cycle, &cycle_id, err) : 0;
	if (rc < 0)
		return rc;
	const char **names;
	size_t n;
	if ((rc = load_names(ctx,
	                     a->cycle ? "SELECT name FROM calibration_sessions WHERE cycle_id = ?"
	                                " ORDER BY id DESC"
	                              : "SELECT name FROM calibration_sessions WHERE id > ?"
	                                " ORDER BY id DESC",
	                     cycle_id, &names, &n, err)) < 0)
		return rc;
	*a->out = arena_array(ctx->arena, n ? n : 1, sizeof **a->out);
	for (size_t i = 0; i < n; i++) {
		struct calsession s;
		bool acts;
		struct error ignored = {0}; /* err_set writes only into a cleared error */
		if ((rc = load_frame(ctx, names[i], NULL, &s, err)) < 0)
			return rc;
		/* Sessions the actor may not read are left out, not refused. */
		rc = calsession_may_read_tx(ctx, &s, &acts, &ignored);
		if (rc == ERR_DENIED) {
			ctx->denied = false;
			continue;
		}
		if (rc < 0)
			return err_set(err, rc, "%s", ignored.message);
		(*a->out)[(*a->n)++] = (struct calsession_summary){
		        s.id, s.name, s.cycle, s.status, s.facilitator, (int)s.npeople};
	}
	return 0;
}

int calsession_list(struct ctx *ctx, const char *cycle, struct calsession_summary **out, size_t *n,
                    struct error *err)
{
	struct list_args a = {cycle, out, n};
	return ctx_run(ctx, OP_CALIBRATE_SESSION_LIST, list_body, &a, err);
}

/* ---- writes ---- */

static int audit(struct ctx *ctx, const char *action, int64_t id, struct jw *w, struct sb *detail,
                 struct error *err)
{
	jw_object_end(w);
	int rc = audit_append(ctx, action, "calibration_session", id_text(ctx->arena, id),
	                      detail->buf, err);
	sb_release(detail);
	return rc;
}

static bool cycle_calibrates(const struct cycle_info *c)
{
	for (size_t i = 0; i < c->nphases; i++)
		if (strcmp(c->phases[i].name, "calibration") == 0)
			return true;
	return false;
}

/* Whether phase comes after calibration (or is "closed"): cycles only move
 * forward, so a session there can never open, change or close. */
static bool past_calibration(const char *phase)
{
	int p = cycle_phase_parse(phase);
	return p < 0 ? strcmp(phase, "closed") == 0 : p > CYCLE_PHASE_CALIBRATION;
}

static int in_calibration(const struct calsession *s, const char *what, struct error *err)
{
	if (strcmp(s->cycle_phase, "calibration") == 0)
		return 0;
	err_set(err, ERR_CONFLICT,
	        "cannot %s calibration session '%s': cycle '%s' is in its %s phase", what, s->name,
	        s->cycle, s->cycle_phase);
	if (past_calibration(s->cycle_phase))
		err_hint(err, "cycles never move back: the session can no longer change ratings");
	else
		err_hint(err, "plumb cycle advance moves the cycle to its calibration phase");
	return ERR_CONFLICT;
}

static int must_be(const struct calsession *s, const char *status, const char *what,
                   struct error *err)
{
	if (strcmp(s->status, status) == 0)
		return 0;
	return err_set(err, ERR_CONFLICT, "cannot %s calibration session '%s': it is %s", what,
	               s->name, s->status);
}

/* The facilitator (holding a room role), or a people partner over the whole
 * population. */
static int may_run(struct ctx *ctx, const struct calsession *s, const char *what, struct error *err)
{
	if (strcmp(ctx->actor.name, s->facilitator) == 0 && room_role(ctx))
		return 0;
	bool pp;
	int rc = people_partner_over_all(ctx, s->people, s->npeople, &pp, err);
	if (rc < 0 || pp)
		return rc < 0 ? rc : 0;
	err_set(err, ERR_DENIED, "%s may not %s calibration session '%s'", ctx->actor.name, what,
	        s->name);
	hint_lost_role(ctx, s, err);
	err_hint(err, "its facilitator or a people partner over its population does");
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

static int may_act(struct ctx *ctx, const struct calsession *s, const char *what, struct error *err)
{
	if (calsession_acts(ctx, s))
		return 0;
	err_set(err, ERR_DENIED, "%s may not %s in calibration session '%s'", ctx->actor.name, what,
	        s->name);
	hint_lost_role(ctx, s, err);
	err_hint(err, "the facilitator and participants do");
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

struct create_args {
	const struct calsession_create_options *opt;
	struct calsession_create_result *out;
};

static int insert_member(struct ctx *ctx, const char *sql, int64_t session, int64_t id,
                         struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, session);
	stmt_bind_int(st, 2, id);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The cycle's members in the population teams and their subteams, as of now. */
static int insert_members(struct ctx *ctx, int64_t session, int64_t cycle_id, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "WITH RECURSIVE unit(id) AS (SELECT team_id FROM"
	                       " calibration_population WHERE session_id = ? UNION SELECT t.id"
	                       " FROM teams t JOIN unit u ON t.parent_id = u.id)"
	                       " INSERT INTO calibration_members(session_id, person_id)"
	                       " SELECT CAST(? AS BIGINT), person_id FROM cycle_members WHERE"
	                       " cycle_id = ? AND team_id IN (SELECT id FROM unit)",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, session);
	stmt_bind_int(st, 2, session);
	stmt_bind_int(st, 3, cycle_id);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int create_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct create_args *a = arg;
	const struct calsession_create_options *o = a->opt;
	struct calsession_create_result *out = a->out;
	memset(out, 0, sizeof *out);
	if (!actor_has_role(&ctx->actor, ROLE_ADMIN) &&
	    !actor_has_role(&ctx->actor, ROLE_PEOPLE_PARTNER)) {
		err_set(err, ERR_DENIED, "%s may not create a calibration session",
		        ctx->actor.name);
		err_hint(err, "people partners and admins create calibration sessions");
		ctx_note_denied(ctx, err);
		return ERR_DENIED;
	}
	struct calsession_guidance guidance[CALSESSION_GUIDANCE_MAX];
	size_t nguidance = 0;
	int rc = parse_guidance(o->guidance, o->nguidance, guidance, &nguidance, err);
	if (rc < 0)
		return rc;
	int64_t cycle_id, scheduled = 0;
	struct cycle_info info;
	if ((rc = cycle_find(ctx, o->cycle, &cycle_id, err)) < 0 ||
	    (rc = cycle_info(ctx, cycle_id, &info, err)) < 0)
		return rc;
	if (strcmp(info.phase, "closed") == 0)
		return err_set(err, ERR_CONFLICT, "review cycle '%s' is closed", info.name);
	if (past_calibration(info.phase)) {
		err_set(err, ERR_CONFLICT,
		        "review cycle '%s' is past its calibration phase (in %s)", info.name,
		        info.phase);
		err_detail(err, "a session opens, changes ratings and closes only in the cycle's "
		                "calibration phase, and cycles never move back");
		return ERR_CONFLICT;
	}
	if (!cycle_calibrates(&info) || !info.ratings) {
		err_set(err, ERR_INVALID, "review cycle '%s' (%s) has no calibration phase%s",
		        info.name, info.kind, info.ratings ? "" : " and collects no ratings");
		err_hint(err, "annual cycles with ratings are calibrated");
		return ERR_INVALID;
	}
	if ((rc = guidance_on_scale(ctx, &info, o, guidance, nguidance, err)) < 0)
		return rc;
	struct error date_err = {0};
	if (o->scheduled && ts_parse_date(o->scheduled, &scheduled, &date_err) < 0)
		return err_set(err, ERR_USAGE, "--date '%s': expected YYYY-MM-DD", o->scheduled);
	int64_t facilitator;
	if ((rc = participant_user(ctx, o->facilitator, "--facilitator", &facilitator, err)) < 0)
		return rc;
	int64_t *participants = arena_array(ctx->arena, o->nparticipants + 1, sizeof *participants);
	for (size_t i = 0; i < o->nparticipants; i++)
		if ((rc = participant_user(ctx, o->participants[i], "--participants",
		                           &participants[i], err)) < 0)
			return rc;
	int64_t *teams = arena_array(ctx->arena, o->nteams + 1, sizeof *teams);
	for (size_t i = 0; i < o->nteams; i++) {
		if ((rc = org_team_id(ctx, o->teams[i], &teams[i], err)) < 0)
			return rc;
	}
	const char *name =
	        o->name ? o->name : arena_printf(ctx->arena, "%s-%s", info.name, o->teams[0]);
	if (!org_valid_name(name) || strspn(name, "0123456789") == strlen(name))
		return err_set(
		        err, ERR_USAGE,
		        "--name '%s': use letters, digits, '.', '_' and '-', not only digits "
		        "(a number names a session by its id)",
		        name);
	char *gjson = guidance_json(guidance, nguidance);
	struct store_stmt *st;
	rc = store_prepare(
	        ctx->store,
	        "INSERT INTO calibration_sessions(name, cycle_id, status, facilitator_id,"
	        " guidance, curve_minimum, scheduled_at, created_at, created_by) VALUES (?, ?,"
	        " 'draft', ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id",
	        &st, err);
	if (rc < 0) {
		free(gjson);
		return rc;
	}
	stmt_bind_text(st, 1, name);
	stmt_bind_int(st, 2, cycle_id);
	stmt_bind_int(st, 3, facilitator);
	stmt_bind_text(st, 4, gjson);
	stmt_bind_int(st, 5,
	              o->curve_minimum > CALSESSION_CURVE_MINIMUM ? o->curve_minimum
	                                                          : CALSESSION_CURVE_MINIMUM);
	stmt_bind_opt_int(st, 6, scheduled, scheduled != 0);
	stmt_bind_int(st, 7, ts_clock_ms());
	stmt_bind_text(st, 8, ctx->actor.name);
	rc = stmt_step(st, err);
	out->id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	free(gjson);
	if (rc < 0)
		return rc;
	if (!out->id) {
		err_set(err, ERR_CONFLICT, "a calibration session named '%s' exists", name);
		err_hint(err, "give another with --name");
		return ERR_CONFLICT;
	}
	out->name = name;
	rc = 0;
	for (size_t i = 0; rc == 0 && i < o->nteams; i++)
		rc = insert_member(ctx,
		                   "INSERT INTO calibration_population(session_id, team_id) VALUES"
		                   " (?, ?) ON CONFLICT DO NOTHING",
		                   out->id, teams[i], err);
	if (rc == 0)
		rc = insert_members(ctx, out->id, cycle_id, err);
	for (size_t i = 0; rc == 0 && i < o->nparticipants; i++)
		rc = insert_member(
		        ctx,
		        "INSERT INTO calibration_participants(session_id, user_id) VALUES"
		        " (?, ?) ON CONFLICT DO NOTHING",
		        out->id, participants[i], err);
	struct calsession s;
	if (rc == 0)
		rc = load_frame(ctx, out->id ? id_text(ctx->arena, out->id) : name, NULL, &s, err);
	if (rc < 0)
		return rc;
	if (!s.npeople) {
		err_set(err, ERR_INVALID,
		        "nobody in review cycle '%s' is in the population's teams", info.name);
		err_hint(err, "plumb cycle status --cycle %s lists the cycle's teams", info.name);
		return ERR_INVALID;
	}
	/* A people partner's units must cover everyone they put in the room. */
	if (!actor_has_role(&ctx->actor, ROLE_ADMIN)) {
		bool pp;
		if ((rc = people_partner_over_all(ctx, s.people, s.npeople, &pp, err)) < 0)
			return rc;
		if (!pp) {
			err_set(err, ERR_DENIED,
			        "%s may not create this calibration session: its population has "
			        "people outside their org units",
			        ctx->actor.name);
			ctx_note_denied(ctx, err);
			return ERR_DENIED;
		}
	}
	out->people = (int)s.npeople;
	if (scheduled) {
		struct calendar_window *wins;
		size_t nwins;
		if ((rc = calendar_overlaps_tx(ctx, scheduled, scheduled + MS_PER_DAY, teams,
		                               o->nteams, &wins, &nwins, err)) < 0)
			return rc;
		out->warnings = arena_array(ctx->arena, nwins + 1, sizeof *out->warnings);
		char from[TS_BUF], to[TS_BUF];
		for (size_t i = 0; i < nwins; i++)
			out->warnings[out->nwarnings++] = arena_printf(
			        ctx->arena, "the session's day %s falls in %s window '%s' (%s..%s)",
			        o->scheduled, wins[i].kind, wins[i].name,
			        ts_format_date(wins[i].starts_at, from),
			        ts_format_date(wins[i].ends_at - 1, to));
	}
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "name", name);
	jw_kstr(&w, "cycle", info.name);
	jw_kstr(&w, "facilitator", o->facilitator);
	jw_key(&w, "population");
	jw_array_begin(&w);
	for (size_t i = 0; i < s.nteams; i++)
		jw_str(&w, s.teams[i]);
	jw_array_end(&w);
	jw_key(&w, "participants");
	jw_array_begin(&w);
	for (size_t i = 0; i < s.nparticipants; i++)
		jw_str(&w, s.participants[i]);
	jw_array_end(&w);
	jw_kint(&w, "people", out->people);
	return audit(ctx, "calibrate.session.create", out->id, &w, &detail, err);
}

int calsession_create(struct ctx *ctx, const struct calsession_create_options *opt,
                      struct calsession_create_result *out, struct error *err)
{
	if (!opt->nteams)
		return err_set(err, ERR_USAGE, "give the population with --population TEAM");
	struct create_args a = {opt, out};
	return ctx_run(ctx, OP_CALIBRATE_SESSION_CREATE, create_body, &a, err);
}

static int set_status(struct ctx *ctx, const struct calsession *s, const char *status,
                      struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       strcmp(status, "open") == 0
	                               ? "UPDATE calibration_sessions SET status = 'open',"
	                                 " opened_at = ? WHERE id = ?"
	                               : "UPDATE calibration_sessions SET status = 'closed',"
	                                 " closed_at = ?, closed_by = ? WHERE id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, ts_clock_ms());
	if (strcmp(status, "open") == 0) {
		stmt_bind_int(st, 2, s->id);
	} else {
		stmt_bind_text(st, 2, ctx->actor.name);
		stmt_bind_int(st, 3, s->id);
	}
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int open_body(struct ctx *ctx, void *arg, struct error *err)
{
	const char *session = arg;
	struct calsession s;
	int rc = load_frame(ctx, session, NULL, &s, err);
	if (rc == 0)
		rc = may_run(ctx, &s, "open", err);
	if (rc == 0)
		rc = must_be(&s, "draft", "open", err);
	if (rc == 0)
		rc = in_calibration(&s, "open", err);
	if (rc == 0)
		rc = set_status(ctx, &s, "open", err);
	if (rc < 0)
		return rc;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "name", s.name);
	return audit(ctx, "calibrate.session.open", s.id, &w, &detail, err);
}

int calsession_open(struct ctx *ctx, const char *session, struct error *err)
{
	return ctx_run(ctx, OP_CALIBRATE_SESSION_OPEN, open_body, (void *)session, err);
}

/* ---- marks ---- */

struct mark_args {
	const char *session, *person, *mark, *comment;
};

static int mark_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct mark_args *a = arg;
	struct calsession s;
	/* One person's mark needs that person only: may_act asks who takes
	 * part, not who is calibrated. */
	int rc = load_frame(ctx, a->session, a->person, &s, err);
	if (rc == 0)
		rc = may_act(ctx, &s, "mark ratings", err);
	if (rc < 0)
		return rc;
	if (strcmp(s.status, "draft") != 0) {
		err_set(err, ERR_CONFLICT,
		        "calibration session '%s' is %s: ratings are marked before it opens",
		        s.name, s.status);
		return ERR_CONFLICT;
	}
	int mark = mark_parse(a->mark);
	if (mark < 0)
		return err_set(err, ERR_USAGE, "--mark '%s': expected agree, question or none",
		               a->mark);
	const struct calsession_person *p = NULL;
	for (size_t i = 0; i < s.npeople; i++)
		if (strcmp(s.people[i].employee_id, a->person) == 0)
			p = &s.people[i];
	if (!p) {
		err_set(err, ERR_NOT_FOUND, "%s is not in calibration session '%s'", a->person,
		        s.name);
		return ERR_NOT_FOUND;
	}
	if (p->is_reader)
		return err_set(err, ERR_CONFLICT, "nobody marks their own rating");
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "INSERT INTO calibration_marks(session_id, person_id, user_id, mark,"
	                   " comment, marked_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT"
	                   " (session_id, person_id, user_id) DO UPDATE SET mark = excluded.mark,"
	                   " comment = excluded.comment, marked_at = excluded.marked_at",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, s.id);
	stmt_bind_int(st, 2, p->person_id);
	stmt_bind_int(st, 3, ctx->actor.user_id);
	stmt_bind_text(st, 4, mark_names[mark]);
	stmt_bind_text(st, 5, a->comment ? a->comment : "");
	stmt_bind_int(st, 6, ts_clock_ms());
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "person", p->employee_id);
	jw_kstr(&w, "mark", mark_names[mark]);
	return audit(ctx, "calibrate.mark", s.id, &w, &detail, err);
}

int calsession_mark(struct ctx *ctx, const char *session, const char *person, const char *mark,
                    const char *comment, struct error *err)
{
	if (comment && !org_valid_text(comment, REASON_MAX))
		return err_set(
		        err, ERR_USAGE,
		        "--comment must be text of at most %d bytes without control characters",
		        REASON_MAX);
	struct mark_args a = {session, person, mark, comment};
	return ctx_run(ctx, OP_CALIBRATE_MARK, mark_body, &a, err);
}

/* ---- changes ---- */

/* An event cited as evidence: its kind, time and title, when it is the
 * person's, or with person_id 0 whoever's it is now (*found false
 * otherwise). */
static int event_detail(struct ctx *ctx, int64_t person_id, struct evaluation_evidence *ev,
                        const char **data_kind, bool *found, struct error *err)
{
	int64_t id;
	bool valid = evaluation_event_ref(ev->ref, &id);
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT kind, occurred_at, COALESCE(title, '') FROM events"
	        " WHERE id = ?1 AND (?2 = 0 OR " ORG_EVENT_OF_PERSON("person_id", "?2") ")",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, valid ? id : -1);
	stmt_bind_int(st, 2, person_id);
	rc = stmt_step(st, err);
	*found = rc == STORE_ROW;
	if (*found) {
		*data_kind = stmt_text_dup(st, 0, ctx->arena);
		ev->occurred_at = stmt_int(st, 1);
		ev->title = stmt_text_dup(st, 2, ctx->arena);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* How a refusal of a change names its field: the CLI's option ("--reason")
 * or the page's form and the field ("the form: reason:", which the page
 * ties to the field). */
static const char *change_field(struct ctx *ctx, const struct calsession_change_request *q,
                                const char *field)
{
	return q->form ? arena_printf(ctx->arena, "%s: %s:", q->form, field)
	               : arena_printf(ctx->arena, "--%s", field);
}

/* The start of a refusal about a field whose CLI wording names no option:
 * nothing for the CLI, "the form: reason: " for the page's form. */
static const char *change_field_prefix(struct ctx *ctx, const struct calsession_change_request *q,
                                       const char *field)
{
	return q->form ? arena_printf(ctx->arena, "%s: %s: ", q->form, field) : "";
}

/* KIND:REF as evaluation evidence.  An event must be the person's own; its
 * kind is what the blameless rule is asked about.  named: the evidence
 * field as refusals name it (change_field). */
static int change_evidence(struct ctx *ctx, const struct calsession_person *p, const char *text,
                           const char *named, bool negative, struct evaluation_evidence *ev,
                           struct error *err)
{
	const char *colon = strchr(text, ':');
	memset(ev, 0, sizeof *ev);
	ev->negative = ev->negative_said = negative;
	ev->title = "";
	if (!colon || colon == text || !colon[1]) {
		err_set(err, ERR_USAGE, "%s '%s': expected KIND:REF", named, text);
		err_hint(err,
		         "for example event:1234, pull_request:https://..., document:https://...");
		return ERR_USAGE;
	}
	ev->kind = arena_strndup(ctx->arena, text, (size_t)(colon - text));
	ev->ref = arena_strdup(ctx->arena, colon + 1);
	static const char *const kinds[] = {"pull_request", "document", "incident", "design_review",
	                                    "link",         "event",    NULL};
	bool known = false;
	for (int i = 0; kinds[i]; i++)
		known |= strcmp(kinds[i], ev->kind) == 0;
	if (!known)
		return err_set(err, ERR_USAGE,
		               "%s '%s': kind '%s' is not one of pull_request, document, "
		               "incident, design_review, link, event",
		               named, text, ev->kind);
	const char *data_kind = ev->kind;
	if (strcmp(ev->kind, "event") == 0) {
		bool found;
		int rc = event_detail(ctx, p->person_id, ev, &data_kind, &found, err);
		if (rc < 0)
			return rc;
		if (!found)
			return err_set(err, ERR_INVALID, "%s '%s': no event %s of %s's", named,
			               text, ev->ref, p->employee_id);
	}
	return aup_check_evidence(ctx, p->employee_id, data_kind, negative, err);
}

/* One piece of evidence KIND:REF as aup_check_evidence is asked about it:
 * an event by its kind.  The evidence was the person's event when it was
 * cited (evaluation submit and change_evidence check that); whose it is now
 * does not change what it is: after a person merge moved the person's
 * events to the record they went into, an incident looked up as the
 * person's was not found and passed as a plain event (found by a sequence:
 * an incident event behind a 4, person merge, the room lowered it to 2). */
static int evidence_data_kind(struct ctx *ctx, const char *kind, const char *ref,
                              const char **data_kind, struct error *err)
{
	*data_kind = kind;
	if (strcmp(kind, "event") != 0)
		return 0;
	struct evaluation_evidence ev = {.kind = kind, .ref = ref, .title = ""};
	bool found;
	return event_detail(ctx, 0, &ev, data_kind, &found, err);
}

/* The blameless rule on a rating as the close would write it back, as
 * evaluation submit applies it: below the scale's meets all of a rating's
 * evidence counts against the person, so none of it may be incident data.
 * That is the newest evaluation's evidence, every change's in the room and
 * extra (KIND:REF, the change being recorded): the close writes them all. */
static int blameless_rating(struct ctx *ctx, const struct calsession *s,
                            const struct calsession_person *p, const char *dimension, double rating,
                            const char *const *extra, size_t nextra, struct error *err)
{
	const struct fw_competency *c = framework_competency(s->fw, dimension);
	if (!c || rating >= c->scale->meets)
		return 0;
	struct evaluation ev;
	bool found;
	int rc = evaluation_load_tx(ctx, s->cycle_id, p->person_id, 0, s->fw, &ev, &found, err);
	if (rc < 0)
		return rc;
	const struct evaluation_rating *stored = NULL;
	for (size_t i = 0; found && i < ev.nratings; i++)
		if (strcmp(ev.ratings[i].dimension, dimension) == 0)
			stored = &ev.ratings[i];
	/* Evidence in the order the version would carry it: stored, the changes', extra. */
	size_t nstored = stored ? stored->nevidence : 0, total = nstored + nextra;
	for (size_t i = 0; i < s->nchanges; i++)
		if (!strcmp(s->changes[i].person, p->employee_id) &&
		    !strcmp(s->changes[i].dimension, dimension))
			total += s->changes[i].nevidence;
	const char **cited = arena_array(ctx->arena, total + 1, sizeof *cited);
	size_t n = 0;
	for (size_t i = 0; i < nstored; i++)
		cited[n++] = arena_printf(ctx->arena, "%s:%s", stored->evidence[i].kind,
		                          stored->evidence[i].ref);
	for (size_t i = 0; i < s->nchanges; i++)
		if (!strcmp(s->changes[i].person, p->employee_id) &&
		    !strcmp(s->changes[i].dimension, dimension))
			for (size_t e = 0; e < s->changes[i].nevidence; e++)
				cited[n++] = s->changes[i].evidence[e];
	for (size_t i = 0; i < nextra; i++)
		cited[n++] = extra[i];
	for (size_t i = 0; i < n; i++) {
		const char *colon = strchr(cited[i], ':');
		if (!colon)
			continue;
		const char *kind = arena_strndup(ctx->arena, cited[i], (size_t)(colon - cited[i]));
		const char *data_kind;
		if ((rc = evidence_data_kind(ctx, kind, colon + 1, &data_kind, err)) < 0)
			return rc;
		if ((rc = aup_check_evidence(ctx, p->employee_id, data_kind, true, err)) == 0)
			continue;
		/* As the agenda and change log write ratings ("2.00"), not as
		 * %g did ("2"). */
		const char *as = rating_in(ctx->arena, s, dimension, rating),
		           *meets = rating_in(ctx->arena, s, dimension, c->scale->meets);
		size_t len = strlen(err->detail);
		snprintf(err->detail + len, sizeof err->detail - len,
		         "%s%s's %s would be written back as %s, below meets (%s), with %s among "
		         "its evidence",
		         len ? "; " : "", p->employee_id, dimension, as, meets, cited[i]);
		err_hint(err,
		         "evidence cited in the room stays with the rating: keep %s's %s at "
		         "meets (%s) or above",
		         p->employee_id, dimension, meets);
		return rc;
	}
	return 0;
}

struct change_args {
	const struct calsession_change_request *req;
	int rating; /* req->rating read */
	int64_t *id;
};

/* A rating as typed, in digits only: a scale's values are whole numbers
 * (docs/review.md), so "4.0", "4.5", "+4" or " 4" is a mistyped flag, refused
 * as a usage error rather than rounded or read past, whichever face sent it.
 * Whether it is on the competency's scale is the session's to say; the cap
 * only keeps a long run of digits (off every scale) from overflowing. */
static int rating_parse(const char *text, const char *named, int *rating, struct error *err)
{
	size_t n = text ? strspn(text, "0123456789") : 0;
	if (!n || text[n]) {
		err_set(err, ERR_USAGE,
		        "%s '%s': expected a whole number, a value of the competency's scale",
		        named, text ? text : "");
		err_hint(err, "write it in digits, such as --rating 4 (plumb framework show lists "
		              "each scale's values)");
		return ERR_USAGE;
	}
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v > 1000 ? v : v * 10 + (text[i] - '0');
	*rating = v;
	return 0;
}

static int change_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct change_args *a = arg;
	const struct calsession_change_request *q = a->req;
	struct calsession s;
	/* A change reads its person's evaluation and their changes in the room
	 * (the rating it starts from, a conflict, the evidence the blameless
	 * rule weighs), nothing of anyone else's: the frame holds that person
	 * only.  may_act asks who takes part, not who is calibrated. */
	int rc = load_frame(ctx, q->session, q->person, &s, err);
	if (rc == 0)
		rc = may_act(ctx, &s, "change ratings", err);
	if (rc == 0)
		rc = must_be(&s, "open", "change ratings in", err);
	if (rc == 0)
		rc = in_calibration(&s, "change ratings in", err);
	const struct feedback_cycle *feedback = NULL;
	for (size_t i = 0; rc == 0 && i < s.npeople; i++)
		rc = load_evaluation(ctx, &s, &feedback, &s.people[i], err);
	if (rc == 0 && s.npeople)
		rc = load_changes(ctx, &s, person_index(ctx->arena, &s), s.people[0].person_id,
		                  err);
	if (rc < 0)
		return rc;
	struct calsession_person *p = NULL;
	for (size_t i = 0; i < s.npeople; i++)
		if (strcmp(s.people[i].employee_id, q->person) == 0)
			p = &s.people[i];
	if (!p)
		return err_set(err, ERR_NOT_FOUND, "%s is not in calibration session '%s'",
		               q->person, s.name);
	if (p->is_reader)
		return err_set(err, ERR_CONFLICT, "nobody changes their own rating");
	struct calsession_rating *r = rating_of(p, q->dimension);
	const char *dimension = change_field(ctx, q, "dimension");
	if (!r)
		return err_set(err, ERR_INVALID,
		               "%s '%s': %s's evaluation rates no such competency", dimension,
		               q->dimension, p->employee_id);
	const struct fw_competency *c = framework_competency(s.fw, q->dimension);
	if (!c)
		return err_set(err, ERR_INVALID, "%s '%s' is not a competency of the framework",
		               dimension, q->dimension);
	if (!framework_scale_label(c->scale, a->rating))
		return err_set(err, ERR_INVALID, "%s %s is not on the %s scale of '%s'",
		               change_field(ctx, q, "rating"), q->rating, c->scale->id,
		               q->dimension);
	double rating = a->rating;
	/* Re-rated in a newer evaluation version since the room took it up: a
	 * new change starts from that version's rating and settles the conflict,
	 * also when the room keeps the version's rating. */
	bool conflict = rerated(r);
	double from = conflict ? r->stored : r->current;
	if (rating == from && !conflict)
		return err_set(err, ERR_INVALID, "%s%s's %s is %s already",
		               change_field_prefix(ctx, q, "rating"), p->employee_id, q->dimension,
		               rating_in(ctx->arena, &s, q->dimension, rating));
	struct evaluation_evidence *ev = arena_array(ctx->arena, q->nevidence + 1, sizeof *ev);
	bool lower = rating < from;
	const char *evidence = change_field(ctx, q, "evidence");
	for (size_t i = 0; i < q->nevidence; i++)
		if ((rc = change_evidence(ctx, p, q->evidence[i], evidence, lower, &ev[i], err)) <
		    0)
			return rc;
	if ((rc = blameless_rating(ctx, &s, p, q->dimension, rating, q->evidence, q->nevidence,
	                           err)) < 0)
		return rc;
	struct sb evjson = SB_INIT;
	struct jw w;
	jw_init(&w, &evjson, false);
	jw_array_begin(&w);
	for (size_t i = 0; i < q->nevidence; i++)
		jw_str(&w, q->evidence[i]);
	jw_array_end(&w);
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "INSERT INTO calibration_changes(session_id, person_id, dimension,"
	                   " from_rating, to_rating, reason, evidence, changed_at, changed_by)"
	                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                   &st, err);
	if (rc < 0) {
		sb_release(&evjson);
		return rc;
	}
	stmt_bind_int(st, 1, s.id);
	stmt_bind_int(st, 2, p->person_id);
	stmt_bind_text(st, 3, q->dimension);
	stmt_bind_double(st, 4, from);
	stmt_bind_double(st, 5, rating);
	stmt_bind_text(st, 6, q->reason);
	stmt_bind_text(st, 7, evjson.buf);
	stmt_bind_int(st, 8, ts_clock_ms());
	stmt_bind_text(st, 9, ctx->actor.name);
	rc = stmt_step(st, err);
	*a->id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	sb_release(&evjson);
	if (rc < 0)
		return rc;
	/* Which rating changed, not to what or why: admins read the audit log
	 * and no review content (docs/security.md); the session's readers read
	 * the values and the reason in calibration_changes. */
	struct sb detail = SB_INIT;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kint(&w, "change", *a->id);
	jw_kstr(&w, "person", p->employee_id);
	jw_kstr(&w, "dimension", q->dimension);
	return audit(ctx, "calibrate.change", s.id, &w, &detail, err);
}

int calsession_change(struct ctx *ctx, const struct calsession_change_request *req, int64_t *id,
                      struct error *err)
{
	*id = 0;
	struct change_args a = {req, 0, id};
	int rc = rating_parse(req->rating, change_field(ctx, req, "rating"), &a.rating, err);
	if (rc < 0)
		return rc;
	if (!org_has_text(req->reason)) {
		err_set(err, ERR_USAGE, "%sa rating change in calibration needs a reason",
		        change_field_prefix(ctx, req, "reason"));
		err_hint(err, "say why with --reason TEXT and cite --evidence KIND:REF");
		return ERR_USAGE;
	}
	if (!org_valid_text(req->reason, REASON_MAX))
		return err_set(err, ERR_USAGE,
		               "%s must be text of at most %d bytes without control characters",
		               change_field(ctx, req, "reason"), REASON_MAX);
	if (!req->nevidence) {
		err_set(err, ERR_USAGE, "%sa rating change in calibration needs evidence",
		        change_field_prefix(ctx, req, "evidence"));
		err_hint(err, "cite it with --evidence KIND:REF (event:ID, pull_request:URL, ...)");
		return ERR_USAGE;
	}
	if (req->nevidence > EVIDENCE_MAX)
		return req->form ? err_set(err, ERR_USAGE, "%sat most %d lines",
		                           change_field_prefix(ctx, req, "evidence"), EVIDENCE_MAX)
		                 : err_set(err, ERR_USAGE, "at most %d --evidence items",
		                           EVIDENCE_MAX);
	/* The close writes them into an evaluation version: text as an
	 * evaluation file's ref, and one line as every option's (found
	 * hunting: a newline, a \x01 and 5000 bytes were stored). */
	for (size_t i = 0; i < req->nevidence; i++) {
		const char *colon = strchr(req->evidence[i], ':');
		if (colon && !org_valid_text(colon + 1, EVALUATION_REF_MAX)) {
			err_set(err, ERR_USAGE,
			        "%sa reference is text of at most %d bytes without control "
			        "characters",
			        req->form ? change_field_prefix(ctx, req, "evidence")
			                  : "--evidence: ",
			        EVALUATION_REF_MAX);
			err_detail(err,
			           req->form
			                   ? "the reference of evidence line %zu (blank lines not "
			                     "counted) is not"
			                   : "the reference of --evidence number %zu is not",
			           i + 1);
			return ERR_USAGE;
		}
	}
	return ctx_run(ctx, OP_CALIBRATE_CHANGE, change_body, &a, err);
}

/* ---- closing ---- */

struct close_args {
	const char *session, *override_reason;
	struct calsession_close_result *out;
};

/* The calibrated ratings of one person as evaluation changes. */
static int write_back(struct ctx *ctx, const struct calsession *s,
                      const struct calsession_person *p, int *version, bool *wrote,
                      struct error *err)
{
	struct arena *a = ctx->arena;
	*wrote = false;
	int rc = 0;
	struct evaluation_change *ch = arena_array(a, p->nratings + 1, sizeof *ch);
	size_t nch = 0;
	struct sb reason = SB_INIT;
	sb_printf(&reason, "calibration session %s:", s->name);
	bool listed = false; /* a change is in the reason: the next goes after "; " */
	for (size_t i = 0; i < p->nratings; i++) {
		const struct calsession_rating *r = &p->ratings[i];
		size_t nev = 0, alloc = 0;
		struct evaluation_evidence *ev = NULL;
		bool touched = false;
		for (size_t c = 0; c < s->nchanges; c++) {
			const struct calsession_change *x = &s->changes[c];
			if (strcmp(x->person, p->employee_id) || strcmp(x->dimension, r->dimension))
				continue;
			touched = true;
			/* "...: delivery 3 to 4 (why); leadership 2 to 3 (why)" */
			sb_printf(&reason, "%s %s %s to %s (%s)", listed ? ";" : "", r->dimension,
			          rating_in(a, s, r->dimension, x->from),
			          rating_in(a, s, r->dimension, x->to), x->reason);
			listed = true;
			for (size_t e = 0; e < x->nevidence; e++) {
				const char *colon = strchr(x->evidence[e], ':');
				ev = arena_grow(a, ev, nev, &alloc, sizeof *ev);
				ev[nev++] = (struct evaluation_evidence){
				        .kind = arena_strndup(a, x->evidence[e],
				                              (size_t)(colon - x->evidence[e])),
				        .ref = colon + 1,
				        .title = "",
				        .negative = x->to < x->from,
				        .negative_said = x->to < x->from};
				const char *data_kind;
				bool found;
				/* Checked as the person's when the change was
				 * recorded; a merge since may have moved it. */
				if (!strcmp(ev[nev - 1].kind, "event") &&
				    (rc = event_detail(ctx, 0, &ev[nev - 1], &data_kind, &found,
				                       err)) < 0) {
					sb_release(&reason);
					return rc;
				}
			}
		}
		/* Where the newest version holds the room's rating already (the
		 * manager agreed), there is nothing to write. */
		if (!touched || r->current == r->stored)
			continue;
		rc = blameless_rating(ctx, s, p, r->dimension, r->current, NULL, 0, err);
		if (rc < 0) {
			sb_release(&reason);
			return rc;
		}
		ch[nch++] = (struct evaluation_change){r->dimension, r->current, ev, nev};
	}
	if (nch) {
		rc = evaluation_revise_tx(ctx, s->cycle_id, p->person_id, "calibration", reason.buf,
		                          ch, nch, version, err);
		if (rc == ERR_POLICY)
			err_detail(err,
			           "closing writes %s's calibrated evaluation, which carries the "
			           "evidence of version %d",
			           p->employee_id, p->evaluation_version);
		*wrote = rc == 0;
	}
	sb_release(&reason);
	return rc;
}

/* A percent to the digits a double holds, never an exponent: %g wrote a
 * --guidance share of 0.00001 as "1e-05". */
static const char *percent_text(struct arena *a, double share)
{
	char buf[48];
	return arena_strdup(a, decimal_format(buf, sizeof buf, share, DECIMAL_EXACT));
}

/* A share outside [lo, hi] in as few decimals as show it outside: 1 of 3
 * against 0-33% is 33.3, which whole percents printed as 33, inside the
 * range it is refused for (found in the calibrate hunt). */
static const char *share_text(struct arena *a, double share, double lo, double hi)
{
	for (int places = 0; places < 6; places++) {
		char *text = arena_printf(a, "%.*f", places, share);
		double shown = strtod(text, NULL);
		if (shown < lo || shown > hi)
			return text;
	}
	return percent_text(a, share);
}

/* The performance distribution after the write-back against the guidance. */
static int check_guidance(struct ctx *ctx, const struct calsession *s,
                          struct calsession_close_result *out, struct error *err)
{
	int counts[16] = {0}, scored = 0;
	struct arena *keep = ctx->arena;
	for (size_t i = 0; i < s->npeople; i++) {
		const struct calsession_person *p = &s->people[i];
		struct score sc = {0};
		struct evaluation ev;
		bool found;
		/* Not evaluated: left out.  Errors go to e first, as score_compute_tx's
		 * did, so that only a real one reaches err. */
		struct error e = {0};
		/* The newest version (the write-back's where there is one) and its
		 * score, as score_compute_tx reads them, without reading the cycle,
		 * member and framework again per person; in a scratch arena, as
		 * load_evaluation's: only the rating is kept. */
		ctx->arena = arena_create();
		int rc = evaluation_load_tx(ctx, s->cycle_id, p->person_id, 0, s->fw, &ev, &found,
		                            &e);
		if (rc == 0 && found)
			rc = score_of_evaluation(ctx->arena, s->fw, s->cycle, p->employee_id,
			                         p->level, p->role_profile, &ev, &sc, &e);
		bool shown = rc == 0 && found && sc.axes[FW_AXIS_PERFORMANCE].sum.scored;
		int v = shown ? calsession_round(s->scale, sc.axes[FW_AXIS_PERFORMANCE].sum.score)
		              : CALSESSION_UNRATED;
		arena_destroy(ctx->arena);
		ctx->arena = keep;
		if (rc == 0 && !found)
			continue;
		if (rc < 0) {
			*err = e;
			return rc;
		}
		if (!shown)
			continue;
		if (v >= 0 && v < 16)
			counts[v]++;
		scored++;
	}
	out->outside = arena_array(ctx->arena, s->nguidance + 1, sizeof *out->outside);
	for (size_t g = 0; scored && g < s->nguidance; g++) {
		const struct calsession_guidance *x = &s->guidance[g];
		int c = x->rating >= 0 && x->rating < 16 ? counts[x->rating] : 0;
		double share = 100.0 * c / scored;
		if (share < x->lo - 1e-9 || share > x->hi + 1e-9)
			out->outside[out->noutside++] = arena_printf(
			        ctx->arena, "rating %d: %d of %d (%s%%), guidance %s-%s%%",
			        x->rating, c, scored, share_text(ctx->arena, share, x->lo, x->hi),
			        percent_text(ctx->arena, x->lo), percent_text(ctx->arena, x->hi));
	}
	return 0;
}

static int close_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct close_args *a = arg;
	struct calsession_close_result *out = a->out;
	memset(out, 0, sizeof *out);
	struct calsession s;
	int rc = load_frame(ctx, a->session, NULL, &s, err);
	if (rc == 0)
		rc = may_run(ctx, &s, "close", err);
	if (rc == 0)
		rc = must_be(&s, "open", "close", err);
	if (rc == 0)
		rc = in_calibration(&s, "close", err);
	/* Only the changed people are written back; everyone's score is read
	 * again for the guidance (check_guidance), after the write-back. */
	if (rc == 0)
		rc = load_content(ctx, &s, NULL, 0, true, err);
	if (rc < 0)
		return rc;
	if (s.nconflicts) {
		/* A closer in the population is not told the ratings of theirs
		 * the room changed (found hunting: the refusal named them). */
		struct sb list = SB_INIT;
		size_t theirs = 0, listed = 0;
		for (size_t i = 0; i < s.nconflicts; i++) {
			bool reader = false;
			for (size_t k = 0; k < s.npeople && !reader; k++)
				reader = s.people[k].is_reader &&
				         !strcmp(s.people[k].employee_id, s.conflicts[i].person);
			if (reader) {
				theirs++;
				continue;
			}
			sb_printf(&list, "%s%s", listed++ ? "; " : "",
			          calsession_conflict_text(ctx->arena, &s, &s.conflicts[i]));
		}
		if (theirs)
			sb_printf(&list, "%s%zu %s you may not read", listed ? "; and " : "",
			          theirs, theirs == 1 ? "rating" : "ratings");
		err_set(err, ERR_CONFLICT,
		        "calibration session '%s' cannot write its changes back: %s", s.name,
		        list.buf);
		err_hint(err, "read the new version, record the change again if it still stands, "
		              "then close");
		sb_release(&list);
		return ERR_CONFLICT;
	}
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "name", s.name);
	jw_key(&w, "versions");
	jw_array_begin(&w);
	for (size_t i = 0; rc == 0 && i < s.npeople; i++) {
		int version;
		bool wrote;
		rc = write_back(ctx, &s, &s.people[i], &version, &wrote, err);
		/* A rule refusing the closer's own rating would tell them what the
		 * room made of it (found hunting: "M002's delivery would be written
		 * back as 2"); the refusal stays, audited as it was. */
		if ((rc == ERR_POLICY || rc == ERR_DENIED) && s.people[i].is_reader) {
			err_clear(err);
			err_set(err, rc,
			        "calibration session '%s' cannot write back a rating you may not "
			        "read",
			        s.name);
			err_detail(
			        err,
			        "a rule refuses the calibrated rating of your own record, which is "
			        "not yours to read before delivery");
			err_hint(err,
			         "a people partner over the population reads why in the session");
		}
		if (rc < 0 || !wrote)
			continue;
		out->versions += !s.people[i].is_reader;
		jw_object_begin(&w);
		jw_kstr(&w, "person", s.people[i].employee_id);
		jw_kint(&w, "version", version);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	/* What the closer is told leaves out what is about them, which they
	 * may not read in the session (calsession_hide_reader; found hunting:
	 * a facilitator in the population was told a change to their rating
	 * was not written back); the audit entry keeps the whole. */
	for (size_t i = 0; i < s.npeople; i++)
		out->reader_excluded = out->reader_excluded || s.people[i].is_reader;
	out->dropped = arena_array(ctx->arena, s.ndropped + 1, sizeof *out->dropped);
	for (size_t i = 0; i < s.ndropped; i++) {
		if (s.dropped[i].about_reader)
			out->reader_excluded = true;
		else
			out->dropped[out->ndropped++] = s.dropped[i].text;
	}
	for (size_t i = 0; i < s.nchanges; i++)
		out->changes += !s.changes[i].about_reader;
	if (rc == 0)
		rc = check_guidance(ctx, &s, out, err);
	if (rc == 0 && out->noutside && (!a->override_reason || !*a->override_reason)) {
		struct sb list = SB_INIT;
		for (size_t i = 0; i < out->noutside; i++)
			sb_printf(&list, "%s%s", i ? "; " : "",
			          out->reader_excluded
			                  ? guidance_without_counts(ctx->arena, out->outside[i])
			                  : out->outside[i]);
		err_set(err, ERR_POLICY,
		        "calibration session '%s' ends outside its distribution guidance: %s",
		        s.name, list.buf);
		err_hint(err, "close it with --override-reason TEXT to record why, or change "
		              "ratings first");
		sb_release(&list);
		rc = ERR_POLICY;
	}
	for (size_t i = 0; rc == 0 && i < out->noutside; i++) {
		struct store_stmt *st;
		rc = store_prepare(ctx->store,
		                   "INSERT INTO calibration_overrides(session_id, kind, detail,"
		                   " reason, created_at, created_by) VALUES (?, 'guidance', ?, ?,"
		                   " ?, ?)",
		                   &st, err);
		if (rc < 0)
			break;
		stmt_bind_int(st, 1, s.id);
		stmt_bind_text(st, 2, out->outside[i]);
		stmt_bind_text(st, 3, a->override_reason);
		stmt_bind_int(st, 4, ts_clock_ms());
		stmt_bind_text(st, 5, ctx->actor.name);
		rc = stmt_step(st, err);
		stmt_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	if (rc == 0)
		rc = set_status(ctx, &s, "closed", err);
	if (rc < 0) {
		sb_release(&detail);
		return rc;
	}
	for (size_t i = 0; out->reader_excluded && i < out->noutside; i++)
		out->outside[i] = guidance_without_counts(ctx->arena, out->outside[i]);
	jw_kint(&w, "changes", (int64_t)s.nchanges);
	if (s.ndropped) {
		jw_key(&w, "not_written");
		jw_array_begin(&w);
		for (size_t i = 0; i < s.ndropped; i++)
			jw_str(&w, s.dropped[i].text);
		jw_array_end(&w);
	}
	if (out->noutside) {
		/* How many ranges, not which: "rating 4: 1 of 1" in a small
		 * session is someone's rating, and the audit log's readers (an
		 * admin) see no review content (found in review).  The session's
		 * readers find the lines with the override. */
		jw_kint(&w, "outside_guidance", (int64_t)out->noutside);
		jw_kstr(&w, "override_reason", a->override_reason);
	}
	return audit(ctx, "calibrate.session.close", s.id, &w, &detail, err);
}

int calsession_close(struct ctx *ctx, const char *session, const char *override_reason,
                     struct calsession_close_result *out, struct error *err)
{
	if (override_reason && !org_valid_text(override_reason, REASON_MAX))
		return err_set(err, ERR_USAGE,
		               "--override-reason must be text of at most %d bytes without control "
		               "characters",
		               REASON_MAX);
	struct close_args a = {session, override_reason, out};
	return ctx_run(ctx, OP_CALIBRATE_SESSION_CLOSE, close_body, &a, err);
}
