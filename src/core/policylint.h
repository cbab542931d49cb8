/*
 * policylint: `plumb policy check`, what is configured linted against the
 * policy in force.  It reads the metric catalogue, the tracking mechanisms
 * (with their approvals and consents), the people and teams the policy
 * names and the policy's own settings, and lists every violation with the
 * rule it breaks and the object that breaks it.  Rules are the
 * acceptable-use engine's (aup.h) where one applies, else the lint's own
 * (POLICYLINT_TABLE below).  Nothing is written.
 *
 * The newest career framework is linted for the metrics it takes as
 * evidence (still defined, individual, signed off when incentive-linked).
 * Results live in ctx->arena.
 */
#ifndef PLUMB_POLICYLINT_H
#define PLUMB_POLICYLINT_H

#include <stddef.h>

#include "base/err.h"

struct ctx;

/* The lint's own rules, for what is misconfigured rather than forbidden.
 * X(ID, name, what it finds) */
#define POLICYLINT_TABLE(X)                                                                        \
	X(MECHANISM_APPROVAL, "mechanism-approval-missing",                                        \
	  "an enabled mechanism lacks an approval the policy requires for a country where people " \
	  "work")                                                                                  \
	X(CONSENT_NONE, "consent-none-granted",                                                    \
	  "an enabled mechanism requires consent and nobody has granted it, so it collects "       \
	  "nothing")                                                                               \
	X(INDIVIDUAL_AUDIENCE, "individual-audience-without-scope",                                \
	  "a metric is meant for individuals (audiences) but its scopes do not include "           \
	  "individual")                                                                            \
	X(SIGNOFF_QUORUM, "signoff-quorum-impossible",                                             \
	  "the sign-off quorum cannot be reached by the approvers who can vote")                   \
	X(SIGNOFF_APPROVER, "signoff-approver-invalid",                                            \
	  "a sign-off approver is not an existing person with the leader role")                    \
	X(MIN_AGGREGATE, "min-aggregate-too-small",                                                \
	  "aggregates over fewer than 2 people would show one person's data")                      \
	X(CENTRAL_OWNER, "central-owner-missing",                                                  \
	  "ownership is centralized but the owning team does not exist")                           \
	X(FRAMEWORK_METRIC, "framework-metric-missing",                                            \
	  "the career framework takes as evidence a metric no active version defines")

struct policylint_violation {
	const char *rule;    /* an aup rule's name or a POLICYLINT_TABLE name */
	const char *area;    /* framework, metrics, mechanisms or settings */
	const char *object;  /* "metric:KEY", "mechanism:KEY", "person:E001", "policy" */
	const char *message; /* one sentence */
};

struct policylint_report {
	int policy_version; /* 0: no policy imported, the defaults were checked */
	const char **notes; /* what could not be checked, and why */
	size_t nnotes;
	struct policylint_violation *violations;
	size_t nviolations;
};

/* Operation policy.check. */
int policylint_run(struct ctx *ctx, struct policylint_report *out, struct error *err);

#endif
