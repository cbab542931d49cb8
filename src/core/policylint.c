/* policylint: policy check, the catalogue, mechanisms and settings linted
 * against the policy in force (see policylint.h). */
#include "core/policylint.h"

#include <inttypes.h>
#include <string.h>

#include "base/arena.h"
#include "base/ts.h"
#include "base/yamldoc.h"
#include "core/aup.h"
#include "core/ctx.h"
#include "core/org.h"
#include "core/policy.h"
#include "core/signoff.h"
#include "store/store.h"

#define LINT_ENUM_(id, name, finds) LINT_##id,
enum lint_rule { POLICYLINT_TABLE(LINT_ENUM_) LINT_COUNT_ };
#undef LINT_ENUM_
#define LINT_NAME_(id, name, finds) name,
static const char *const lint_names[] = {POLICYLINT_TABLE(LINT_NAME_)};
#undef LINT_NAME_

struct lint {
	struct ctx *ctx;
	const struct policy *pol;
	struct policylint_report *out;
	size_t alloc, nalloc;
};

static void add(struct lint *l, const char *rule, const char *area, const char *object,
                const char *message)
{
	struct policylint_report *r = l->out;
	r->violations = arena_grow(l->ctx->arena, r->violations, r->nviolations, &l->alloc,
	                           sizeof *r->violations);
	r->violations[r->nviolations++] =
	        (struct policylint_violation){rule, area, object, message};
}

static void note(struct lint *l, const char *text)
{
	struct policylint_report *r = l->out;
	r->notes = arena_grow(l->ctx->arena, r->notes, r->nnotes, &l->nalloc, sizeof *r->notes);
	r->notes[r->nnotes++] = text;
}

#define OBJ(...) arena_printf(l->ctx->arena, __VA_ARGS__)

/* ---- metrics ---------------------------------------------------------------- */

struct metric_row {
	const char *key, *scopes, *audiences;
	int version;
	bool incentive_linked;
};

/* Each key's current version (as catalog_active picks it), by key. */
static int current_metrics(struct lint *l, struct metric_row **out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	struct store_stmt *st;
	int rc = store_prepare(l->ctx->store,
	                       "SELECT key, version, status, scopes, audiences, incentive_linked "
	                       "FROM metric_defs WHERE status IN ('active', 'deprecated') "
	                       "ORDER BY key, version",
	                       &st, err);
	if (rc < 0)
		return rc;
	size_t alloc = 0;
	bool best_active = false;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		const char *key = stmt_text(st, 0);
		bool active = !strcmp(stmt_text(st, 2), "active");
		struct metric_row *m = *n ? &(*out)[*n - 1] : NULL;
		if (!m || strcmp(m->key, key) != 0) {
			*out = arena_grow(l->ctx->arena, *out, *n, &alloc, sizeof **out);
			m = &(*out)[(*n)++];
			m->key = arena_strdup(l->ctx->arena, key);
			best_active = false;
		} else if (best_active && !active) {
			continue;
		}
		best_active = active;
		m->version = (int)stmt_int(st, 1);
		m->scopes = stmt_text_dup(st, 3, l->ctx->arena);
		m->audiences = stmt_text_dup(st, 4, l->ctx->arena);
		m->incentive_linked = stmt_int(st, 5) != 0;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

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

static int lint_metrics(struct lint *l, struct error *err)
{
	struct metric_row *m;
	size_t n;
	int rc = current_metrics(l, &m, &n, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const char *object = OBJ("metric:%s", m[i].key);
		if (list_has(m[i].audiences, "individual") && !list_has(m[i].scopes, "individual"))
			add(l, lint_names[LINT_INDIVIDUAL_AUDIENCE], "metrics", object,
			    OBJ("%s version %d lists the individual audience but its scopes are "
			        "%s: "
			        "it cannot be shown for a person (rule team-metric-on-person)",
			        m[i].key, m[i].version, m[i].scopes));
		if (!m[i].incentive_linked)
			continue;
		struct signoff_standing s;
		if ((rc = signoff_standing_tx(l->ctx, m[i].key, &s, err)) < 0)
			break;
		if (s.found && !strcmp(s.latest.state, "approved"))
			continue;
		const char *why =
		        !s.found ? "no sign-off was requested"
		        : !strcmp(s.latest.state, "pending")
		                ? OBJ("sign-off %" PRId64 " is pending (%d of %d approvals%s)",
		                      s.latest.id, s.latest.approvals, s.latest.required,
		                      signoff_uncounted_text(l->ctx->arena, &s.latest))
		                : OBJ("sign-off %" PRId64 " is %s", s.latest.id, s.latest.state);
		add(l, aup_rule(AUP_INCENTIVE_NEEDS_SIGNOFF)->name, "metrics", object,
		    OBJ("%s version %d is incentive-linked without an approved, unexpired "
		        "sign-off: "
		        "%s",
		        m[i].key, m[i].version, why));
	}
	return rc;
}

/* ---- mechanisms --------------------------------------------------------------- */

/* Countries where someone works today, sorted. */
static int people_countries(struct lint *l, const char ***out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	struct store_stmt *st;
	int rc = store_prepare(l->ctx->store,
	                       "SELECT DISTINCT country FROM people WHERE start_date <= ?1 "
	                       "AND " ORG_PERSON_CURRENT("people", "?1") " ORDER BY country",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, ts_now_ms());
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*out = arena_grow(l->ctx->arena, *out, *n, &alloc, sizeof **out);
		(*out)[(*n)++] = stmt_text_dup(st, 0, l->ctx->arena);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static bool country_overrides(const struct policy *p, const char *mechanism, const char *country)
{
	for (size_t i = 0; i < p->ncountries; i++) {
		if (strcmp(p->countries[i].code, country) != 0)
			continue;
		for (size_t k = 0; k < p->countries[i].napprovals; k++)
			if (!strcmp(p->countries[i].approvals[k].mechanism, mechanism))
				return true;
	}
	return false;
}

/* Whether an approval by body for mechanism is in force for country: one
 * recorded for that country, or a company-wide one ("") unless the policy
 * names the country's own approval for the mechanism. */
static int approved(struct lint *l, const char *mechanism, const char *body, const char *country,
                    bool *yes, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(l->ctx->store,
	                       "SELECT COUNT(*) FROM mechanism_approvals WHERE mechanism = ? AND "
	                       "body = ? AND revoked_at IS NULL AND (country = ? OR (country = '' "
	                       "AND ? = 0))",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, mechanism);
	stmt_bind_text(st, 2, body);
	stmt_bind_text(st, 3, country);
	stmt_bind_int(st, 4, country_overrides(l->pol, mechanism, country));
	rc = stmt_step(st, err);
	*yes = rc == STORE_ROW && stmt_int(st, 0) > 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* How many people still with the organization have a grant as their newest
 * consent record for mechanism (found hunting: leavers were counted). */
static int consenting(struct lint *l, const char *mechanism, int64_t *count, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        l->ctx->store,
	        "SELECT COUNT(*) FROM consents c JOIN people p ON p.id = c.person_id "
	        "WHERE c.mechanism = ?1 AND c.state = 'granted' AND " ORG_PERSON_CURRENT(
	                "p",
	                "?2") " AND NOT EXISTS (SELECT 1 FROM "
	                      "consents later WHERE later.person_id = c.person_id AND "
	                      "later.mechanism = ?1 AND (later.at > c.at OR (later.at = c.at AND "
	                      "later.id > c.id)))",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, mechanism);
	stmt_bind_int(st, 2, ts_now_ms());
	rc = stmt_step(st, err);
	*count = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* A prohibited mechanism with an approval in force breaks the rule too. */
static int approvals_of_prohibited(struct lint *l, const struct policy_mechanism *m,
                                   const char *object, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(l->ctx->store,
	                       "SELECT body, country FROM mechanism_approvals WHERE mechanism = ? "
	                       "AND revoked_at IS NULL ORDER BY id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, m->key);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		const char *country = stmt_text(st, 1);
		add(l, aup_rule(AUP_PROHIBITED_MECHANISM)->name, "mechanisms", object,
		    OBJ("%s is prohibited but has a %s approval in force%s%s", m->key,
		        stmt_text(st, 0), country && *country ? " for " : "",
		        country && *country ? country : ""));
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int lint_mechanisms(struct lint *l, struct error *err)
{
	const struct policy *p = l->pol;
	const char **countries;
	size_t ncountries;
	int rc = people_countries(l, &countries, &ncountries, err);
	for (size_t i = 0; rc == 0 && i < p->nmechanisms; i++) {
		const struct policy_mechanism *m = &p->mechanisms[i];
		const char *object = OBJ("mechanism:%s", m->key);
		if (m->prohibited) {
			if (m->enabled)
				add(l, aup_rule(AUP_PROHIBITED_MECHANISM)->name, "mechanisms",
				    object, OBJ("%s is prohibited but enabled", m->key));
			rc = approvals_of_prohibited(l, m, object, err);
			continue;
		}
		if (!m->enabled)
			continue;
		for (size_t c = 0; rc == 0 && c < ncountries; c++) {
			enum policy_approval need = policy_mechanism_approval(p, m, countries[c]);
			if (need == POLICY_APPROVAL_NONE)
				continue;
			bool yes = false;
			rc = approved(l, m->key, policy_approval_name(need), countries[c], &yes,
			              err);
			if (rc == 0 && !yes)
				add(l, lint_names[LINT_MECHANISM_APPROVAL], "mechanisms",
				    OBJ("mechanism:%s/%s", m->key, countries[c]),
				    OBJ("%s is enabled but has no %s approval for %s, where people "
				        "work",
				        m->key, policy_approval_name(need), countries[c]));
		}
		if (rc == 0 && m->consent_required) {
			int64_t granted = 0;
			rc = consenting(l, m->key, &granted, err);
			if (rc == 0 && granted == 0)
				add(l, lint_names[LINT_CONSENT_NONE], "mechanisms", object,
				    OBJ("%s is enabled and requires consent, and nobody has "
				        "granted "
				        "it",
				        m->key));
		}
	}
	return rc;
}

/* ---- settings ------------------------------------------------------------------ */

static int lint_settings(struct lint *l, struct error *err)
{
	const struct policy *p = l->pol;
	int rc = 0;
	size_t voters = 0;
	for (size_t i = 0; rc == 0 && i < p->nsignoff_approvers; i++) {
		const char *who = p->signoff_approvers[i];
		enum signoff_voter standing;
		rc = signoff_approver_standing(l->ctx, who, &standing, err);
		if (rc < 0)
			break;
		static const char *const why[] = {
		        [SIGNOFF_VOTER_NO_PERSON] = "is not a person in the organization",
		        [SIGNOFF_VOTER_GONE] = "has left the organization (or was merged into "
		                               "another record), so cannot vote",
		        [SIGNOFF_VOTER_NOT_STARTED] = "has not started yet, so cannot vote",
		        [SIGNOFF_VOTER_NO_ROLE] = "has no leader role",
		};
		if (standing == SIGNOFF_VOTER_LEADER)
			voters++;
		else
			add(l, lint_names[LINT_SIGNOFF_APPROVER], "settings", OBJ("person:%s", who),
			    OBJ("sign-off approver %s %s", who, why[standing]));
	}
	if (rc == 0 && p->signoff_required > 0 && (size_t)p->signoff_required > voters)
		add(l, lint_names[LINT_SIGNOFF_QUORUM], "settings", "policy:signoff",
		    OBJ("sign-off needs %d approvals but only %zu of the %zu approvers can vote",
		        p->signoff_required, voters, p->nsignoff_approvers));
	if (p->min_aggregate_people < 2)
		add(l, lint_names[LINT_MIN_AGGREGATE], "settings", "policy:masking",
		    OBJ("masking.min_aggregate_people is %d: an aggregate of one person is that "
		        "person's data",
		        p->min_aggregate_people));
	if (rc == 0 && !p->federated) {
		int64_t found = 0;
		struct store_stmt *st;
		rc = store_prepare(l->ctx->store,
		                   "SELECT COUNT(*) FROM teams WHERE name = ? AND ended_at IS NULL",
		                   &st, err);
		if (rc == 0) {
			stmt_bind_text(st, 1, p->central_owner ? p->central_owner : "");
			rc = stmt_step(st, err);
			found = rc == STORE_ROW ? stmt_int(st, 0) : 0;
			stmt_reset(st);
			rc = rc < 0 ? rc : 0;
		}
		if (rc == 0 && !found)
			add(l, lint_names[LINT_CENTRAL_OWNER], "settings", "policy:ownership",
			    OBJ("ownership is centralized in team '%s', which does not exist",
			        p->central_owner ? p->central_owner : ""));
	}
	return rc;
}

/* ---- the career framework ------------------------------------------------------ */

/* The keys of evidence.metrics in a framework's text (the review service
 * parses the rest; the lint needs only which metrics it names). */
static int framework_metric_keys(struct lint *l, const char *name, const char *text,
                                 const char ***keys, size_t *n, struct error *err)
{
	*keys = NULL;
	*n = 0;
	yaml_document_t doc;
	int rc = yamldoc_load(name, text, strlen(text), &doc, err);
	if (rc < 0)
		return rc;
	const yaml_node_t *root = yaml_document_get_root_node(&doc);
	const yaml_node_t *metrics = NULL;
	for (int depth = 0; root && root->type == YAML_MAPPING_NODE && depth < 2; depth++) {
		const char *want = depth == 0 ? "evidence" : "metrics";
		const yaml_node_t *next = NULL;
		for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
		     pr < root->data.mapping.pairs.top; pr++) {
			const yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
			if (k->type == YAML_SCALAR_NODE &&
			    strcmp((const char *)k->data.scalar.value, want) == 0)
				next = yaml_document_get_node(&doc, pr->value);
		}
		root = next;
		metrics = depth == 1 ? next : NULL;
	}
	size_t alloc = 0;
	for (yaml_node_pair_t *pr = metrics && metrics->type == YAML_MAPPING_NODE
	                                    ? metrics->data.mapping.pairs.start
	                                    : NULL;
	     pr && pr < metrics->data.mapping.pairs.top; pr++) {
		const yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
		if (k->type != YAML_SCALAR_NODE)
			continue;
		*keys = arena_grow(l->ctx->arena, *keys, *n, &alloc, sizeof **keys);
		(*keys)[(*n)++] = arena_strdup(l->ctx->arena, (const char *)k->data.scalar.value);
	}
	yaml_document_delete(&doc);
	return 0;
}

/* The newest framework's evidence metrics must still be computable for a
 * person, and incentive-linked ones signed off: both were checked when it
 * was imported, and metrics change afterwards. */
/* One framework version's evidence metrics against the metrics in force. */
static int lint_framework_version(struct lint *l, int version, const char *text,
                                  const struct metric_row *m, size_t n, struct error *err)
{
	const char **keys;
	size_t nkeys;
	int rc = framework_metric_keys(l, OBJ("framework version %d", version), text, &keys, &nkeys,
	                               err);
	for (size_t i = 0; rc == 0 && i < nkeys; i++) {
		const char *object = OBJ("framework:%d:%s", version, keys[i]);
		const struct metric_row *row = NULL;
		for (size_t j = 0; j < n && !row; j++)
			if (!strcmp(m[j].key, keys[i]))
				row = &m[j];
		if (!row) {
			add(l, lint_names[LINT_FRAMEWORK_METRIC], "framework", object,
			    OBJ("framework version %d takes %s as evidence, which no active "
			        "version "
			        "defines now",
			        version, keys[i]));
			continue;
		}
		if (!list_has(row->scopes, "individual"))
			add(l, aup_rule(AUP_TEAM_METRIC_ON_PERSON)->name, "framework", object,
			    OBJ("framework version %d takes %s as evidence about people, but "
			        "version "
			        "%d's scopes are %s",
			        version, keys[i], row->version, row->scopes));
		if (!row->incentive_linked)
			continue;
		struct signoff_standing sg;
		if ((rc = signoff_standing_tx(l->ctx, keys[i], &sg, err)) < 0)
			break;
		if (!sg.found || strcmp(sg.latest.state, "approved") != 0)
			add(l, aup_rule(AUP_INCENTIVE_NEEDS_SIGNOFF)->name, "framework", object,
			    OBJ("framework version %d weighs %s in evaluations and promotions, and "
			        "it "
			        "is incentive-linked without an approved sign-off",
			        version, keys[i]));
	}
	return rc;
}

/* The newest framework version, and every version a cycle not closed still
 * reviews under: its evidence metrics are read until the cycle closes
 * (found hunting: only the newest was checked, so a metric an open cycle
 * weighs could be retired unseen). */
static int lint_framework(struct lint *l, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(l->ctx->store,
	                       "SELECT version, text FROM frameworks WHERE version = (SELECT "
	                       "MAX(version) FROM frameworks) OR version IN (SELECT "
	                       "framework_version FROM cycles WHERE phase <> 'closed') ORDER BY "
	                       "version DESC",
	                       &st, err);
	if (rc < 0)
		return rc;
	int *versions = NULL;
	const char **texts = NULL;
	size_t nv = 0, a1 = 0, a2 = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		versions = arena_grow(l->ctx->arena, versions, nv, &a1, sizeof *versions);
		texts = arena_grow(l->ctx->arena, texts, nv, &a2, sizeof *texts);
		versions[nv] = (int)stmt_int(st, 0);
		texts[nv++] = stmt_text_dup(st, 1, l->ctx->arena);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (!nv) {
		note(l, "framework: no career framework imported (plumb framework import); nothing "
		        "to check");
		return 0;
	}
	struct metric_row *m = NULL;
	size_t n = 0;
	rc = current_metrics(l, &m, &n, err);
	for (size_t i = 0; rc == 0 && i < nv; i++)
		rc = lint_framework_version(l, versions[i], texts[i], m, n, err);
	return rc;
}

static int check_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct policylint_report *out = arg;
	memset(out, 0, sizeof *out);
	struct lint l = {ctx, NULL, out, 0, 0};
	int rc = policy_load(ctx, &l.pol, err);
	if (rc < 0)
		return rc;
	out->policy_version = l.pol->version;
	if (!l.pol->version)
		note(&l, "no policy imported: the built-in defaults were checked "
		         "(plumb policy import FILE)");
	rc = lint_framework(&l, err);
	if (rc == 0)
		rc = lint_metrics(&l, err);
	if (rc == 0)
		rc = lint_mechanisms(&l, err);
	if (rc == 0)
		rc = lint_settings(&l, err);
	return rc;
}

int policylint_run(struct ctx *ctx, struct policylint_report *out, struct error *err)
{
	return ctx_run(ctx, OP_POLICY_CHECK, check_body, out, err);
}
