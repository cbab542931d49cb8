/* signoff: requests, N-of-M votes and the standing of leadership sign-offs
 * on incentive-linked metrics, with audit entries. */
#include "core/signoff.h"

#include <inttypes.h>
#include <string.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/mask.h"
#include "core/org.h"
#include "core/policy.h"
#include "store/store.h"

/* A metric key's current version, as catalog_active picks it: the newest
 * active version, else the newest deprecated one. */
struct current {
	bool key_exists;
	int version; /* 0: no version may be computed */
	const char *status_of_newest;
	bool incentive_linked;
	int64_t next_review;
};

static int load_current(struct ctx *ctx, const char *key, struct current *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT version, status, incentive_linked, next_review FROM "
	                       "metric_defs WHERE key = ? ORDER BY version",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, key);
	bool best_active = false;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		const char *status = stmt_text(st, 1);
		out->key_exists = true;
		out->status_of_newest = arena_strdup(ctx->arena, status);
		bool active = !strcmp(status, "active");
		if (!active && strcmp(status, "deprecated") != 0)
			continue;
		if (active || !best_active) {
			best_active = active;
			out->version = (int)stmt_int(st, 0);
			out->incentive_linked = stmt_int(st, 2) != 0;
			out->next_review = stmt_int(st, 3);
		}
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The stored status says what the votes decided when they were cast; an
 * approval holds only while the policy in force still supports it, so
 * approved and pending are judged again from the approvals that count. */
static void set_state(struct signoff *s, const struct current *cur, int64_t now)
{
	if (!strcmp(s->status, "rejected"))
		s->state = "rejected";
	else if (s->expires_at && now >= s->expires_at)
		s->state = "expired";
	else if (s->metric_version != cur->version)
		s->state = "superseded";
	else if (s->required > 0 && s->approvals >= s->required)
		s->state = "approved";
	else
		s->state = "pending";
}

#define SIGNOFF_COLS                                                                               \
	"s.id, s.metric_key, s.metric_version, s.status, s.requested_at, s.requested_by, "         \
	"s.decided_at, s.expires_at"

static void row_to_signoff(struct store_stmt *st, struct arena *a, struct signoff *s)
{
	memset(s, 0, sizeof *s);
	s->id = stmt_int(st, 0);
	s->metric_key = stmt_text_dup(st, 1, a);
	s->metric_version = (int)stmt_int(st, 2);
	s->status = stmt_text_dup(st, 3, a);
	s->requested_at = stmt_int(st, 4);
	s->requested_by = stmt_text_dup(st, 5, a);
	s->decided_at = stmt_is_null(st, 6) ? 0 : stmt_int(st, 6);
	s->expires_at = stmt_is_null(st, 7) ? 0 : stmt_int(st, 7);
}

/* Votes, approvals, required and state of each of n sign-offs. */
static int complete(struct ctx *ctx, const struct policy *pol, struct signoff *s, size_t n,
                    struct error *err)
{
	int64_t now = ts_now_ms();
	const char *cur_key = NULL;
	struct current cur = {0};
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (!cur_key || strcmp(cur_key, s[i].metric_key) != 0) {
			cur_key = s[i].metric_key;
			if ((rc = load_current(ctx, cur_key, &cur, err)) < 0)
				break;
		}
		struct store_stmt *st;
		rc = store_prepare(ctx->store,
		                   "SELECT approver, decision, reason, at FROM signoff_votes "
		                   "WHERE signoff_id = ? ORDER BY at, approver",
		                   &st, err);
		if (rc < 0)
			break;
		stmt_bind_int(st, 1, s[i].id);
		size_t alloc = 0;
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			s[i].votes = arena_grow(ctx->arena, s[i].votes, s[i].nvotes, &alloc,
			                        sizeof *s[i].votes);
			struct signoff_vote *v = &s[i].votes[s[i].nvotes++];
			v->approver = stmt_text_dup(st, 0, ctx->arena);
			v->decision = stmt_text_dup(st, 1, ctx->arena);
			v->reason = stmt_text_dup(st, 2, ctx->arena);
			v->at = stmt_int(st, 3);
			v->counts = true;
			if (strcmp(v->decision, "approved") != 0)
				continue;
			enum signoff_voter standing = SIGNOFF_VOTER_LEADER;
			v->counts = policy_signoff_approver(pol, v->approver);
			if (v->counts &&
			    (rc = signoff_approver_standing(ctx, v->approver, &standing, err)) < 0)
				break;
			/* No name: an analyst sees the approver as a pseudonym. */
			if (!v->counts) {
				s[i].uncounted++;
				v->not_counted = arena_printf(
				        ctx->arena, "not a sign-off approver in policy version %d",
				        pol->version);
			} else if (standing != SIGNOFF_VOTER_LEADER) {
				/* A vote needs the role; losing it takes the approval back,
				 * as a policy that drops the approver does. */
				v->counts = false;
				s[i].unled++;
				v->not_counted = standing == SIGNOFF_VOTER_GONE
				                         ? "has left the organization"
				                 : standing == SIGNOFF_VOTER_NOT_STARTED
				                         ? "has not started yet"
				                         : "no longer holds the leader role";
			} else {
				s[i].approvals++;
			}
		}
		stmt_reset(st);
		rc = rc < 0 ? rc : 0;
		s[i].required = pol->signoff_required;
		set_state(&s[i], &cur, now);
	}
	return rc;
}

/* What the actor may see of n sign-offs: for an analyst (mask.h), who
 * requested and who voted as pseudonyms, and no reasons. */
static int mask_signoffs(struct ctx *ctx, struct signoff *s, size_t n, struct error *err)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = mask_user(ctx, s[i].requested_by, &s[i].requested_by, err);
		for (size_t k = 0; rc == 0 && k < s[i].nvotes; k++) {
			struct signoff_vote *v = &s[i].votes[k];
			rc = mask_user(ctx, v->approver, &v->approver, err);
			v->reason = mask_text(ctx, v->reason);
		}
	}
	return rc;
}

/* Sign-offs of key (NULL: all) or the one with id (> 0), newest first. */
static int load(struct ctx *ctx, const struct policy *pol, const char *key, int64_t id,
                struct signoff **out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT " SIGNOFF_COLS " FROM signoffs s WHERE "
	                       "(CAST(?1 AS TEXT) IS NULL OR s.metric_key = ?1) AND "
	                       "(?2 = 0 OR s.id = ?2) ORDER BY s.metric_key, s.id DESC",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, key);
	stmt_bind_int(st, 2, id);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*out = arena_grow(ctx->arena, *out, *n, &alloc, sizeof **out);
		row_to_signoff(st, ctx->arena, &(*out)[(*n)++]);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	return complete(ctx, pol, *out, *n, err);
}

const char *signoff_uncounted_text(struct arena *a, const struct signoff *s)
{
	const char *named =
	        s->uncounted ? arena_printf(a,
	                                    ", not counting %d by people the policy no longer "
	                                    "names as approvers",
	                                    s->uncounted)
	                     : "";
	if (!s->unled)
		return named;
	return arena_printf(
	        a,
	        "%s, not counting %d by approvers who have left, have not started yet or no "
	        "longer hold the leader role",
	        named, s->unled);
}

int signoff_approver_standing(struct ctx *ctx, const char *employee_id, enum signoff_voter *out,
                              struct error *err)
{
	struct store_stmt *st;
	/* Who has left, was merged into another record or has not started yet
	 * (start date ahead: a hire, or a rehire) is disabled, as actor_load
	 * says (found in review: one not started yet counted as a voter). */
	int rc = store_prepare(
	        ctx->store,
	        "SELECT CASE WHEN NOT (" ORG_PERSON_CURRENT(
	                "p", "?2") ") THEN 1 WHEN "
	                           "p.start_date > ?2 THEN 2 ELSE 0 END, (SELECT COUNT(*) FROM "
	                           "users u JOIN "
	                           "user_roles r ON r.user_id = u.id WHERE u.person_id = p.id AND "
	                           "u.disabled = 0 "
	                           "AND r.role = 'leader') FROM people p WHERE p.employee_id = ?1",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, employee_id);
	stmt_bind_int(st, 2, ts_now_ms());
	rc = stmt_step(st, err);
	*out = rc != STORE_ROW        ? SIGNOFF_VOTER_NO_PERSON
	       : stmt_int(st, 0) == 1 ? SIGNOFF_VOTER_GONE
	       : stmt_int(st, 0) == 2 ? SIGNOFF_VOTER_NOT_STARTED
	       : stmt_int(st, 1) > 0  ? SIGNOFF_VOTER_LEADER
	                              : SIGNOFF_VOTER_NO_ROLE;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int metric_not_found(const char *key, struct error *err)
{
	err_set(err, ERR_NOT_FOUND, "no metric '%s'", key);
	err_hint(err, "'plumb metrics catalog' lists them");
	return ERR_NOT_FOUND;
}

int signoff_standing_tx(struct ctx *ctx, const char *metric_key, struct signoff_standing *out,
                        struct error *err)
{
	memset(out, 0, sizeof *out);
	const struct policy *pol;
	struct current cur;
	int rc = policy_load(ctx, &pol, err);
	if (rc == 0)
		rc = load_current(ctx, metric_key, &cur, err);
	if (rc < 0)
		return rc;
	if (!cur.key_exists)
		return metric_not_found(metric_key, err);
	out->version = cur.version;
	out->incentive_linked = cur.incentive_linked;
	out->next_review = cur.next_review;
	struct signoff *all;
	size_t n;
	if ((rc = load(ctx, pol, metric_key, 0, &all, &n, err)) < 0)
		return rc;
	/* The one that counts if any does, else the newest. */
	for (size_t i = 0; i < n && !out->found; i++)
		if (!strcmp(all[i].state, "approved")) {
			out->latest = all[i];
			out->found = true;
		}
	if (!out->found && n) {
		out->latest = all[0];
		out->found = true;
	}
	return 0;
}

/* ---- signoff request ----------------------------------------------------- */

struct request_args {
	const char *key;
	struct signoff *out;
};

static void signoff_json(struct jw *w, const struct signoff *s)
{
	jw_kstr(w, "metric", s->metric_key);
	jw_kint(w, "version", s->metric_version);
	/* What the request or vote left it at, which a vote short of the
	 * policy's approvals may leave below its stored status. */
	jw_kstr(w, "status", s->state);
	jw_kint(w, "approvals", s->approvals);
	jw_kint(w, "required", s->required);
	jw_key(w, "expires_at");
	jw_time(w, s->expires_at, s->expires_at != 0);
}

static int request_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct request_args *a = arg;
	const struct policy *pol;
	struct current cur;
	int rc = policy_load(ctx, &pol, err);
	if (rc == 0)
		rc = load_current(ctx, a->key, &cur, err);
	if (rc < 0)
		return rc;
	if (!cur.key_exists)
		return metric_not_found(a->key, err);
	if (!cur.version) {
		err_set(err, ERR_CONFLICT, "no version of %s is in use", a->key);
		err_detail(err, "its newest version is %s; sign-off is for the version computed",
		           cur.status_of_newest);
		return ERR_CONFLICT;
	}
	if (!cur.incentive_linked) {
		err_set(err, ERR_INVALID,
		        "metric '%s' version %d is not incentive-linked: sign-off is only for "
		        "incentive-linked metrics",
		        a->key, cur.version);
		err_hint(err, "a definition with incentive_linked: true (plumb metrics define) "
		              "needs sign-off before it is tied to compensation or promotion");
		return ERR_INVALID;
	}
	int64_t now = ts_now_ms();
	char date[TS_BUF];
	if (cur.next_review <= now) {
		err_set(err, ERR_CONFLICT, "metric '%s' is due for review since %s", a->key,
		        ts_format_date(cur.next_review, date));
		err_detail(err,
		           "a sign-off lasts until the metric's next review, which has passed");
		err_hint(err,
		         "record its review first: plumb metrics reviewed %s (or propose a new "
		         "version with plumb metrics define)",
		         a->key);
		return ERR_CONFLICT;
	}
	if (pol->nsignoff_approvers == 0 || pol->signoff_required <= 0) {
		err_set(err, ERR_CONFLICT, "the policy names no sign-off approvers");
		err_hint(err, "import a policy with signoff.approvers and signoff.required "
		              "(examples/policy.yaml)");
		return ERR_CONFLICT;
	}
	struct signoff *all;
	size_t n;
	if ((rc = load(ctx, pol, a->key, 0, &all, &n, err)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(all[i].state, "pending") || !strcmp(all[i].state, "approved")) {
			err_set(err, ERR_CONFLICT,
			        "metric '%s' version %d already has sign-off %" PRId64 " (%s)",
			        a->key, cur.version, all[i].id, all[i].state);
			return ERR_CONFLICT;
		}
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "INSERT INTO signoffs (metric_key, metric_version, requested_at, "
	                   "requested_by, status, expires_at) VALUES (?, ?, ?, ?, 'pending', ?) "
	                   "RETURNING id",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, a->key);
	stmt_bind_int(st, 2, cur.version);
	stmt_bind_int(st, 3, now);
	stmt_bind_text(st, 4, ctx->actor.name);
	stmt_bind_int(st, 5, cur.next_review);
	rc = stmt_step(st, err);
	int64_t id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	struct signoff *s = a->out;
	memset(s, 0, sizeof *s);
	s->id = id;
	s->metric_key = arena_strdup(ctx->arena, a->key);
	s->metric_version = cur.version;
	s->status = s->state = "pending";
	s->requested_at = now;
	s->requested_by = arena_strdup(ctx->arena, ctx->actor.name);
	s->expires_at = cur.next_review;
	s->required = pol->signoff_required;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	signoff_json(&w, s);
	jw_key(&w, "approvers");
	jw_array_begin(&w);
	for (size_t i = 0; i < pol->nsignoff_approvers; i++)
		jw_str(&w, pol->signoff_approvers[i]);
	jw_array_end(&w);
	jw_object_end(&w);
	char ref[24];
	snprintf(ref, sizeof ref, "%" PRId64, id);
	rc = audit_append(ctx, "signoff.request", "signoff", ref, detail.buf, err);
	sb_release(&detail);
	return rc;
}

int signoff_request(struct ctx *ctx, const char *metric_key, struct signoff *out, struct error *err)
{
	struct request_args a = {metric_key, out};
	return ctx_run(ctx, OP_SIGNOFF_REQUEST, request_body, &a, err);
}

/* ---- signoff approve / reject -------------------------------------------- */

struct vote_args {
	int64_t id;
	bool approve;
	const char *reason;
	struct signoff *out;
};

/* The actor's employee id, or NULL for users without a person. */
static int actor_employee_id(struct ctx *ctx, const char **out, struct error *err)
{
	*out = NULL;
	if (!ctx->actor.person_id)
		return 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT employee_id FROM people WHERE id = ?", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, ctx->actor.person_id);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		*out = stmt_text_dup(st, 0, ctx->arena);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int vote_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct vote_args *a = arg;
	const char *verb = a->approve ? "approve" : "reject";
	if (!a->reason || !*a->reason || strspn(a->reason, " \t\r\n") == strlen(a->reason))
		return err_set(err, ERR_INVALID, "--reason must say why you %s", verb);
	/* It is printed in lists and kept in the audit log, as a hold's reason is. */
	if (!org_valid_text(a->reason, SIGNOFF_REASON_MAX)) {
		err_set(err, ERR_USAGE, "--reason: the reason must be one line of text");
		err_detail(err, "up to %d bytes of UTF-8 without control characters",
		           SIGNOFF_REASON_MAX);
		return ERR_USAGE;
	}
	const struct policy *pol;
	const char *me = NULL;
	int rc = policy_load(ctx, &pol, err);
	if (rc == 0)
		rc = actor_employee_id(ctx, &me, err);
	if (rc < 0)
		return rc;
	if (!me || !policy_signoff_approver(pol, me)) {
		struct sb names = SB_INIT;
		for (size_t i = 0; i < pol->nsignoff_approvers; i++)
			sb_printf(&names, "%s%s", i ? ", " : "", pol->signoff_approvers[i]);
		err_set(err, ERR_DENIED,
		        "permission denied: only the policy's sign-off approvers "
		        "may %s a sign-off",
		        verb);
		/* The approvers are people: an analyst learns only that the
		 * actor is not one of them. */
		if (mask_people(ctx))
			err_detail(err, "user '%s' is not among them", ctx->actor.name);
		else
			err_detail(err, "user '%s' is not among them (%s)", ctx->actor.name,
			           names.len ? names.buf : "the policy names none");
		sb_release(&names);
		ctx_note_denied(ctx, err);
		return ERR_DENIED;
	}
	/* policy check counts only leaders as voters: the vote must agree. */
	if (!actor_has_role(&ctx->actor, ROLE_LEADER)) {
		err_set(err, ERR_DENIED,
		        "permission denied: only the policy's sign-off approvers who hold the "
		        "leader "
		        "role may %s a sign-off",
		        verb);
		err_detail(err, "user '%s' has no leader role", ctx->actor.name);
		err_hint(err, "an admin gives it with 'plumb user add --person %s --role leader'",
		         me);
		ctx_note_denied(ctx, err);
		return ERR_DENIED;
	}
	struct signoff *found;
	size_t n;
	if ((rc = load(ctx, pol, NULL, a->id, &found, &n, err)) < 0)
		return rc;
	if (n == 0) {
		err_set(err, ERR_NOT_FOUND, "no sign-off %" PRId64, a->id);
		err_hint(err, "'plumb signoff list' lists them");
		return ERR_NOT_FOUND;
	}
	struct signoff *s = &found[0];
	if (strcmp(s->state, "pending") != 0) {
		err_set(err, ERR_CONFLICT, "sign-off %" PRId64 " is %s: it takes no more votes",
		        s->id, s->state);
		if (!strcmp(s->state, "expired") || !strcmp(s->state, "superseded"))
			err_hint(err, "request a new one with 'plumb signoff request %s'",
			         s->metric_key);
		return ERR_CONFLICT;
	}
	for (size_t i = 0; i < s->nvotes; i++)
		if (!strcmp(s->votes[i].approver, me)) {
			err_set(err, ERR_CONFLICT,
			        "%s has already voted on sign-off %" PRId64 " (%s)", me, s->id,
			        s->votes[i].decision);
			return ERR_CONFLICT;
		}
	int64_t now = ts_now_ms();
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "INSERT INTO signoff_votes (signoff_id, approver, decision, reason, at) "
	                   "VALUES (?, ?, ?, ?, ?)",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, s->id);
	stmt_bind_text(st, 2, me);
	stmt_bind_text(st, 3, a->approve ? "approved" : "rejected");
	stmt_bind_text(st, 4, a->reason);
	stmt_bind_int(st, 5, now);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (a->approve)
		s->approvals++;
	const char *status = !a->approve                             ? "rejected"
	                     : s->approvals >= pol->signoff_required ? "approved"
	                                                             : "pending";
	if (strcmp(status, "pending") != 0) {
		rc = store_prepare(ctx->store,
		                   "UPDATE signoffs SET status = ?, decided_at = ? WHERE id = ?",
		                   &st, err);
		if (rc < 0)
			return rc;
		stmt_bind_text(st, 1, status);
		stmt_bind_int(st, 2, now);
		stmt_bind_int(st, 3, s->id);
		rc = stmt_step(st, err);
		stmt_reset(st);
		if (rc < 0)
			return rc;
		s->decided_at = now;
		s->status = status;
	}
	/* A vote short of the approvals that count leaves an approved status
	 * stored as it was, and the sign-off pending. */
	s->state = status;
	struct signoff_vote *votes = arena_array(ctx->arena, s->nvotes + 1, sizeof *votes);
	if (s->nvotes)
		memcpy(votes, s->votes, s->nvotes * sizeof *votes);
	s->votes = votes;
	s->votes[s->nvotes++] =
	        (struct signoff_vote){.approver = me,
	                              .decision = a->approve ? "approved" : "rejected",
	                              .reason = arena_strdup(ctx->arena, a->reason),
	                              .at = now,
	                              .counts = true};
	*a->out = *s;
	/* The voter sees the others' votes as an analyst would. */
	struct signoff_vote *shown = arena_array(ctx->arena, s->nvotes, sizeof *shown);
	memcpy(shown, s->votes, s->nvotes * sizeof *shown);
	a->out->votes = shown;
	if ((rc = mask_signoffs(ctx, a->out, 1, err)) < 0)
		return rc;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	signoff_json(&w, s);
	jw_kstr(&w, "approver", me);
	jw_kstr(&w, "reason", a->reason);
	jw_object_end(&w);
	char ref[24];
	snprintf(ref, sizeof ref, "%" PRId64, s->id);
	rc = audit_append(ctx, a->approve ? "signoff.approve" : "signoff.reject", "signoff", ref,
	                  detail.buf, err);
	sb_release(&detail);
	return rc;
}

int signoff_vote(struct ctx *ctx, int64_t id, bool approve, const char *reason, struct signoff *out,
                 struct error *err)
{
	struct vote_args a = {id, approve, reason, out};
	return ctx_run(ctx, approve ? OP_SIGNOFF_APPROVE : OP_SIGNOFF_REJECT, vote_body, &a, err);
}

/* ---- signoff list ---------------------------------------------------------- */

struct list_args {
	const char *key;
	struct signoff **out;
	size_t *n;
};

static int list_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct list_args *a = arg;
	const struct policy *pol;
	int rc = policy_load(ctx, &pol, err);
	if (rc == 0 && a->key) {
		struct current cur;
		if ((rc = load_current(ctx, a->key, &cur, err)) == 0 && !cur.key_exists)
			rc = metric_not_found(a->key, err);
	}
	if (rc == 0)
		rc = load(ctx, pol, a->key, 0, a->out, a->n, err);
	if (rc == 0)
		rc = mask_signoffs(ctx, *a->out, *a->n, err);
	return rc;
}

int signoff_list(struct ctx *ctx, const char *metric_key, struct signoff **out, size_t *n,
                 struct error *err)
{
	struct list_args a = {metric_key, out, n};
	return ctx_run(ctx, OP_SIGNOFF_LIST, list_body, &a, err);
}
