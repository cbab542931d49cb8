/* aup: the acceptable-use rule table, refusals (ERR_POLICY, audited as
 * policy.refused) and each rule's check. */
#include "core/aup.h"

#include <stdarg.h>
#include <string.h>

#include "base/mem.h"
#include "base/ts.h"
#include "core/ctx.h"
#include "core/policy.h"
#include "core/signoff.h"

#define AUP_ROW_(id, name, forbids, applies) {AUP_##id, name, forbids, applies},
static const struct aup_rule_def rules[] = {AUP_RULE_TABLE(AUP_ROW_)};
#undef AUP_ROW_

const struct aup_rule_def *aup_rule(enum aup_rule id)
{
	if ((int)id < 0 || id >= AUP_RULE_COUNT_)
		BUG("acceptable-use rule %d is not in the table", (int)id);
	return &rules[id];
}

const struct aup_rule_def *aup_rules(int *count)
{
	*count = AUP_RULE_COUNT_;
	return rules;
}

struct rules_read {
	const struct aup_rule_def *rules;
	int count;
};

static int rules_body(struct ctx *ctx, void *arg, struct error *err)
{
	(void)ctx;
	(void)err;
	struct rules_read *a = arg;
	a->rules = aup_rules(&a->count);
	return 0;
}

int aup_rules_read(struct ctx *ctx, const struct aup_rule_def **table, int *count,
                   struct error *err)
{
	struct rules_read a = {NULL, 0};
	int rc = ctx_run(ctx, OP_POLICY_RULES, rules_body, &a, err);
	*table = a.rules;
	*count = a.count;
	return rc;
}

int aup_refuse(struct ctx *ctx, enum aup_rule rule, struct error *err, const char *fmt, ...)
{
	const struct aup_rule_def *r = aup_rule(rule);
	char why[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	err_set(err, ERR_POLICY, "refused by acceptable-use rule %s: %s", r->name, why);
	ctx_note_refused(ctx, r->name, err);
	return ERR_POLICY;
}

static const char *or_default(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

/* Whether comma list has word as a whole entry. */
static bool list_has(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list ? list : ""; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

int aup_check_metric_for_person(struct ctx *ctx, const char *metric_key, const char *scopes,
                                const char *employee_id, const char *use, struct error *err)
{
	if (list_has(scopes, "individual"))
		return 0;
	aup_refuse(ctx, AUP_TEAM_METRIC_ON_PERSON, err,
	           "metric '%s' cannot be %s person %s: its scopes are %s, not individual",
	           metric_key, or_default(use, "used for"), employee_id,
	           or_default(scopes, "none"));
	err_hint(err, "a metric describes a person only when its definition lists the individual "
	              "scope; use it for the team or service instead");
	return ERR_POLICY;
}

int aup_check_evidence(struct ctx *ctx, const char *employee_id, const char *data_kind,
                       bool negative, struct error *err)
{
	if (!negative || !data_kind || strcmp(data_kind, "incident") != 0)
		return 0;
	aup_refuse(ctx, AUP_INCIDENT_NEGATIVE_EVIDENCE, err,
	           "incident data cannot count against %s", employee_id);
	err_detail(err, "incidents are learned from blamelessly; taking part in one is never "
	                "evidence of poor performance");
	return ERR_POLICY;
}

int aup_check_evaluation_basis(struct ctx *ctx, const char *employee_id, int metric_inputs,
                               int human_ratings, struct error *err)
{
	if (human_ratings > 0 || metric_inputs <= 0)
		return 0;
	aup_refuse(ctx, AUP_METRICS_ONLY_EVALUATION, err,
	           "the evaluation of %s rests on %d metric value%s and no human rating",
	           employee_id, metric_inputs, metric_inputs == 1 ? "" : "s");
	err_hint(err, "a reviewer's rating must be part of every evaluation");
	return ERR_POLICY;
}

int aup_check_mechanism(struct ctx *ctx, const struct policy_mechanism *m, const char *action,
                        struct error *err)
{
	if (!m->prohibited)
		return 0;
	aup_refuse(ctx, AUP_PROHIBITED_MECHANISM, err,
	           "mechanism %s is prohibited and cannot be %s", m->key,
	           or_default(action, "enabled"));
	err_detail(err, "the policy marks %s (%s) prohibited: plumb never collects it", m->key,
	           or_default(m->name, m->key));
	return ERR_POLICY;
}

/* Why a standing does not count, for the refusal. */
static void why_not(struct ctx *ctx, const struct signoff_standing *s, char *buf, size_t n)
{
	const struct signoff *l = &s->latest;
	char date[TS_BUF];
	if (!s->found)
		snprintf(buf, n, "no sign-off was requested");
	else if (!strcmp(l->state, "pending"))
		snprintf(buf, n, "sign-off %lld is pending with %d of %d approvals%s",
		         (long long)l->id, l->approvals, l->required,
		         signoff_uncounted_text(ctx->arena, l));
	else if (!strcmp(l->state, "rejected"))
		snprintf(buf, n, "sign-off %lld was rejected", (long long)l->id);
	else if (!strcmp(l->state, "expired"))
		snprintf(buf, n, "sign-off %lld expired on %s, the metric's review date",
		         (long long)l->id, ts_format_date(l->expires_at, date));
	else if (!strcmp(l->state, "superseded"))
		snprintf(buf, n, "sign-off %lld is for version %d, not the current version %d",
		         (long long)l->id, l->metric_version, s->version);
	else
		snprintf(buf, n, "sign-off %lld is %s", (long long)l->id, l->state);
}

int aup_check_incentive_use(struct ctx *ctx, const char *metric_key, const char *use,
                            struct error *err)
{
	struct signoff_standing s;
	int rc = signoff_standing_tx(ctx, metric_key, &s, err);
	if (rc < 0)
		return rc;
	if (!s.incentive_linked || (s.found && !strcmp(s.latest.state, "approved")))
		return 0;
	char why[ERR_MSG_MAX / 2];
	why_not(ctx, &s, why, sizeof why);
	aup_refuse(ctx, AUP_INCENTIVE_NEEDS_SIGNOFF, err,
	           "metric '%s' is incentive-linked and cannot be used for %s: %s", metric_key,
	           or_default(use, "compensation or promotion"), why);
	if (!s.found || strcmp(s.latest.state, "pending") != 0)
		err_hint(err, "request one with 'plumb signoff request %s'", metric_key);
	else
		err_hint(err, "the policy's approvers vote with 'plumb signoff approve %lld'",
		         (long long)s.latest.id);
	return ERR_POLICY;
}

int aup_check_forced_ranking(struct ctx *ctx, const struct policy *pol, const char *country,
                             struct error *err)
{
	if (policy_forced_ranking_allowed(pol, country))
		return 0;
	return aup_refuse(ctx, AUP_FORCED_RANKING_FORBIDDEN, err,
	                  "a forced distribution cannot be applied to people in %s: the policy "
	                  "forbids forced ranking there",
	                  or_default(country, "the company"));
}
