/*
 * aup: the acceptable-use rules, enforced in the core so that neither the
 * CLI nor the API can be used to get around them.
 *
 * Every rule is one row of AUP_RULE_TABLE: an id, the name refusals and
 * audit entries carry ("team-metric-on-person"), one line saying what it
 * forbids, and which objects it guards.  A service asks the engine through
 * the rule's check function below, inside its operation; a violation is
 * refused with ERR_POLICY (CLI exit 3, HTTP 403) whose message starts
 * "refused by acceptable-use rule NAME: ", and the refusal is recorded when
 * the operation ends, as an audit entry `policy.refused` on object
 * rule:NAME naming the operation and the reason (like permission refusals,
 * which are `access.denied`).  The operation's transaction is rolled back,
 * so nothing it wrote before the refusal stays.
 *
 * How a later issue registers a rule:
 *   1. add a row to AUP_RULE_TABLE (the name is what users and auditors
 *      see; never rename one, old audit entries carry it);
 *   2. add a check function here taking the facts the rule decides on (the
 *      caller's objects, not the engine's: the core sits below the
 *      services), which returns 0 or aup_refuse(ctx, AUP_..., err, why);
 *   3. call it from every service entry point that creates, changes or
 *      shows the guarded object, before it writes;
 *   4. a CLI case tests the refusal (exit 3, the name in the message,
 *      nothing written, the policy.refused entry), and policy check lints
 *      existing objects against the rule where they can already break it.
 * `plumb policy rules` lists the table; docs/governance.md explains it.
 *
 * Check functions run inside the caller's operation (ctx_run) and are used
 * by one thread at a time, like the ctx.  They own no memory.
 */
#ifndef PLUMB_AUP_H
#define PLUMB_AUP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

struct ctx;
struct policy;
struct policy_mechanism;

/* X(ID, name, what it forbids, what it applies to) */
#define AUP_RULE_TABLE(X)                                                                          \
	X(TEAM_METRIC_ON_PERSON, "team-metric-on-person",                                          \
	  "a metric whose allowed scopes do not include individual cannot be computed for, "       \
	  "shown for or attached to a person",                                                     \
	  "metric values (metrics show --person); evidence and evaluations (review cycles)")       \
	X(INCIDENT_NEGATIVE_EVIDENCE, "incident-negative-evidence",                                \
	  "incident data cannot be negative evidence about a person",                              \
	  "evidence in reviews (review cycles)")                                                   \
	X(METRICS_ONLY_EVALUATION, "metrics-only-evaluation",                                      \
	  "no evaluation may rest on metrics alone without a human rating",                        \
	  "evaluations (review cycles)")                                                           \
	X(PROHIBITED_MECHANISM, "prohibited-mechanism",                                            \
	  "a prohibited tracking mechanism cannot be enabled or approved",                         \
	  "policy import, mechanism approvals")                                                    \
	X(INCENTIVE_NEEDS_SIGNOFF, "incentive-needs-signoff",                                      \
	  "an incentive-linked metric cannot be used in anything tied to compensation or "         \
	  "promotion without a current approved leadership sign-off",                              \
	  "compensation and promotion decisions (review cycles, calibration)")                     \
	X(FORCED_RANKING_FORBIDDEN, "forced-ranking-forbidden",                                    \
	  "a forced distribution (curve) cannot be applied to people in a country whose policy "   \
	  "forbids forced ranking",                                                                \
	  "calibration curves")

#define AUP_ENUM_(id, name, forbids, applies) AUP_##id,
enum aup_rule { AUP_RULE_TABLE(AUP_ENUM_) AUP_RULE_COUNT_ };
#undef AUP_ENUM_

struct aup_rule_def {
	enum aup_rule id;
	const char *name;
	const char *forbids;
	const char *applies_to;
};

/* One rule's row, or the whole table (static storage; thread-safe). */
const struct aup_rule_def *aup_rule(enum aup_rule id);
const struct aup_rule_def *aup_rules(int *count);
/* Operation policy.rules: the table as aup_rules gives it, read as an
 * operation, so the actor's permission is checked and, with --as, the read
 * is recorded before anything is shown.  ERR_DENIED as the op's check. */
int aup_rules_read(struct ctx *ctx, const struct aup_rule_def **table, int *count,
                   struct error *err);

/* Refuse under rule: set ERR_POLICY with "refused by acceptable-use rule
 * NAME: " and the formatted reason, note the refusal on the ctx (recorded
 * as policy.refused when the operation ends) and return ERR_POLICY.  The
 * caller may add detail and hint to err afterwards. */
int aup_refuse(struct ctx *ctx, enum aup_rule rule, struct error *err, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* ---- the rules' checks -------------------------------------------------- */

/* team-metric-on-person: metric_key (its comma list of allowed scopes,
 * catalog.h) may be computed for, shown for or attached to person
 * employee_id only when the scopes include individual.  use says what was
 * attempted ("computed for", "attached as evidence to"). */
int aup_check_metric_for_person(struct ctx *ctx, const char *metric_key, const char *scopes,
                                const char *employee_id, const char *use, struct error *err);

/* incident-negative-evidence: evidence about employee_id drawn from data of
 * kind data_kind (an event kind, event.h; "incident" is incident data) may
 * not count against them.  negative: the evidence supports a lower rating
 * or a concern. */
int aup_check_evidence(struct ctx *ctx, const char *employee_id, const char *data_kind,
                       bool negative, struct error *err);

/* metrics-only-evaluation: an evaluation of employee_id that uses
 * metric_inputs metric values needs at least one human rating. */
int aup_check_evaluation_basis(struct ctx *ctx, const char *employee_id, int metric_inputs,
                               int human_ratings, struct error *err);

/* prohibited-mechanism: a mechanism the policy prohibits may not be
 * enabled (in a policy being imported) or approved (mechanism approve).
 * action: "enabled" or "approved". */
int aup_check_mechanism(struct ctx *ctx, const struct policy_mechanism *m, const char *action,
                        struct error *err);

/* incentive-needs-signoff: metric_key may be used in something tied to
 * compensation or promotion (use: "compensation", "promotion", ...) when
 * its current version is not incentive_linked, or when that version has an
 * approved sign-off that has not expired (signoff.h).  The refusal says
 * why: no sign-off requested, pending with how many approvals, rejected,
 * expired, or given for an older version.  ERR_NOT_FOUND for an unknown
 * key.  Reads metric_defs and signoffs in the caller's transaction. */
int aup_check_incentive_use(struct ctx *ctx, const char *metric_key, const char *use,
                            struct error *err);

/* forced-ranking-forbidden: a curve may be applied to people of country
 * (people.country; NULL or "" is the company default) only when pol
 * allows forced ranking there. */
int aup_check_forced_ranking(struct ctx *ctx, const struct policy *pol, const char *country,
                             struct error *err);

#endif
