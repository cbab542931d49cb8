/*
 * signoff: leadership sign-off on incentive-linked metrics.
 *
 * A metric whose current version is marked incentive_linked may be used in
 * anything tied to compensation or promotion only once the leaders the
 * policy names (signoff.approvers, employee ids) have approved it, N of M
 * (signoff.required).  A request is for the metric's current version (the
 * one computed: catalog.h); it expires at that version's next review date,
 * so leaders sign again after each review.  Each approver votes once, with
 * a reason.  The required number of approvals approves it; one rejection
 * rejects it (a veto, as one stakeholder's objection blocks a metric
 * definition), and a new request starts over.  Only an approved, unexpired
 * sign-off of the current version counts (aup_check_incentive_use).
 *
 * Approval is judged on every read against the policy in force, not the
 * one under which the votes were cast: an approval counts only while its
 * approver is among the policy's approvers, against the policy's current
 * required count, so a policy that drops an approver or raises the quorum
 * takes back an approval it no longer supports (and every reader, from
 * policy check to evaluations, sees the same).  A rejection stays: it
 * ended that request when it was cast.
 *
 * The core reads metric_defs itself (the active version, its flag and next
 * review) because it sits below the metrics service.  Results live in
 * ctx->arena.  Every write appends an audit entry (signoff.request,
 * signoff.approve, signoff.reject) in its transaction.
 */
#ifndef PLUMB_SIGNOFF_H
#define PLUMB_SIGNOFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct arena;
struct ctx;

/* Longest vote reason, in bytes: one line, as a legal hold's reason. */
#define SIGNOFF_REASON_MAX 500

struct signoff_vote {
	const char *approver; /* employee id */
	const char *decision; /* approved or rejected */
	const char *reason;
	int64_t at;
	/* An approval whose approver the policy in force no longer names, or
	 * who no longer holds the leader role as an enabled user, does not
	 * count; not_counted says why (NULL when it counts). */
	bool counts;
	const char *not_counted;
};

struct signoff {
	int64_t id;
	const char *metric_key;
	int metric_version;
	const char *status; /* as stored: pending, approved or rejected */
	/* What it means now: pending or approved (by the approvals that count
	 * against the required count, both under the policy in force),
	 * rejected, expired (approved or pending past expires_at) or
	 * superseded (the metric's current version is another one). */
	const char *state;
	int64_t requested_at, decided_at, expires_at; /* decided_at 0 while pending */
	const char *requested_by;
	/* approvals: those that count under the policy in force; required:
	 * the policy's N at the time of reading; uncounted: approvals by
	 * people it no longer names; unled: approvals by approvers it names
	 * who have left, have not started yet or no longer hold the leader
	 * role (or whose user is disabled). */
	int approvals, required, uncounted, unled;
	struct signoff_vote *votes;
	size_t nvotes;
};

/* Operation signoff.request: a pending sign-off of key's current version.
 * ERR_NOT_FOUND for an unknown key; ERR_INVALID when that version is not
 * incentive_linked; ERR_CONFLICT when its review is overdue, when the
 * policy names no approvers, or when a pending or current approved
 * sign-off of that version exists (naming it). */
int signoff_request(struct ctx *ctx, const char *metric_key, struct signoff *out,
                    struct error *err);

/* Operations signoff.approve and signoff.reject: the actor's vote on
 * sign-off id, with a reason (required: ERR_INVALID when blank, ERR_USAGE
 * unless one line of at most SIGNOFF_REASON_MAX bytes).  ERR_DENIED
 * (audited) unless the actor's person is one of the policy's approvers;
 * ERR_CONFLICT when they voted already or the sign-off is decided (by the
 * approvals that count now) or expired.  *out is the sign-off afterwards. */
int signoff_vote(struct ctx *ctx, int64_t id, bool approve, const char *reason, struct signoff *out,
                 struct error *err);

/* Operation signoff.list: every sign-off, newest first; metric_key NULL
 * for all. */
int signoff_list(struct ctx *ctx, const char *metric_key, struct signoff **out, size_t *n,
                 struct error *err);

/* ", not counting N by people the policy no longer names as approvers"
 * and ", not counting N by approvers who have left, have not started yet or no
 * longer hold the leader role"
 * when s has such approvals, else "": for the texts that give s's count
 * of approvals.  In arena a. */
const char *signoff_uncounted_text(struct arena *a, const struct signoff *s);

/* Where an approver stands: what they must be (SIGNOFF_VOTER_LEADER) to
 * vote, and for their approval to count. */
enum signoff_voter {
	SIGNOFF_VOTER_NO_PERSON, /* no person has that employee id */
	SIGNOFF_VOTER_GONE,      /* left (end date passed) or merged into another record */
	/* start date ahead (a hire or a rehire): actor_load refuses their user */
	SIGNOFF_VOTER_NOT_STARTED,
	SIGNOFF_VOTER_NO_ROLE, /* no enabled user of theirs holds the leader role */
	SIGNOFF_VOTER_LEADER,
};
/* Where employee_id stands now (ts_now_ms), as actor_load would judge
 * their user.  Inside the caller's operation. */
int signoff_approver_standing(struct ctx *ctx, const char *employee_id, enum signoff_voter *out,
                              struct error *err);

/* Inside the caller's operation: key's current version (0 and *incentive
 * false when no version may be computed), whether it is incentive-linked,
 * and its newest sign-off (*found false when none), with state set. */
struct signoff_standing {
	int version;
	bool incentive_linked;
	int64_t next_review;
	bool found;
	struct signoff latest; /* the newest sign-off of any version of the key */
};
int signoff_standing_tx(struct ctx *ctx, const char *metric_key, struct signoff_standing *out,
                        struct error *err);

#endif
