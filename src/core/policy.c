/* policy: the governance policy file: parse, validate, store versions, diff. */
#include "core/policy.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/arena.h"
#include "base/facts.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/yamldoc.h"
#include "base/yamlread.h"
#include "core/actor.h"
#include "core/audit.h"
#include "core/aup.h"
#include "core/country.h"
#include "core/ctx.h"
#include "core/mask.h"
#include "store/store.h"

#define TEXT_MAX_LEN   2000
#define DAYS_MAX       36500
#define MIN_PEOPLE_MAX 1000
#define DEFAULT_MIN    5

/* The event kinds ingestion produces (src/ingest/event.h's table; the core
 * may not include it, so tests/unit/test_policy.c checks the two agree). */
const char *const policy_event_kinds[] = {"commit", "pull_request", "review",    "deployment",
                                          "ci_run", "incident",     "work_item", NULL};

#define CAT_NAME_(id, name) name,
static const char *const category_names[] = {POLICY_CATEGORY_TABLE(CAT_NAME_)};
#undef CAT_NAME_

const char *policy_category_name(enum policy_category c)
{
	return c >= 0 && c < POLICY_CAT_COUNT_ ? category_names[c] : "?";
}

int policy_category_parse(const char *text)
{
	for (int i = 0; i < POLICY_CAT_COUNT_; i++)
		if (strcmp(category_names[i], text) == 0)
			return i;
	return -1;
}

static const char *const approval_names[] = {"none", "works-council", "leadership", NULL};

const char *policy_approval_name(enum policy_approval a)
{
	return approval_names[a];
}

/* ---- parsing ---- */

static bool is_category(const char *s)
{
	return policy_category_parse(s) >= 0;
}

static bool is_event_kind(const char *s)
{
	return yread_in_list(policy_event_kinds, s);
}

static bool is_role(const char *s)
{
	for (int r = 0; r < ROLE_COUNT_; r++)
		if (strcmp(role_name((enum role)r), s) == 0)
			return true;
	return false;
}

static bool is_employee_id(const char *s)
{
	return *s && strlen(s) <= 64 && !strchr(s, ' ');
}

/* retention: {CATEGORY: {days: N, action: delete|anonymize}} */
struct retention_acc {
	struct policy_retention *rules;
	size_t n;
	const char *path; /* of the retention mapping, for errors */
	bool country;     /* a country's overrides */
};

static int retention_rule_field(struct yread *p, int f, const yaml_node_t *k, const yaml_node_t *v,
                                void *arg)
{
	(void)k;
	struct policy_retention *r = arg;
	static const char *const actions[] = {"delete", "anonymize", NULL};
	if (f == 0) {
		long days = 0;
		int rc = yread_int(p, v, yread_at(p, "days"), 0, DAYS_MAX, &days);
		r->days = days;
		return rc;
	}
	int a = 0;
	int rc = yread_choice(p, v, yread_at(p, "action"), actions, &a);
	r->action = (enum policy_retention_action)a;
	return rc;
}

static int retention_field(struct yread *p, int f, const yaml_node_t *k, const yaml_node_t *v,
                           void *arg)
{
	(void)f;
	struct retention_acc *acc = arg;
	const char *cat;
	int rc = yamldoc_scalar(p->name, k, "retention", p->a, &cat, p->err);
	if (rc < 0)
		return rc;
	int c = policy_category_parse(cat);
	if (c < 0) {
		struct sb list = SB_INIT;
		for (int i = 0; i < POLICY_CAT_COUNT_; i++)
			sb_printf(&list, "%s%s", i ? ", " : "", category_names[i]);
		rc = yread_err(p, k, "retention",
		               "unknown data category '%s'; the categories are: %s", cat, list.buf);
		sb_release(&list);
		return rc;
	}
	/* Taken and never applied, it told a works council its rule held (found
	 * in review: plumb me showed it to the country's employees). */
	if (acc->country && !policy_category_by_country((enum policy_category)c))
		return yread_err(p, k, arena_printf(p->a, "%s.%s", acc->path, cat),
		                 "%s follows the company rule only (%s): a country cannot "
		                 "override it",
		                 cat,
		                 c == POLICY_CAT_AUDIT_LOG
		                         ? "an entry names an actor and an object, often of "
		                           "different countries"
		                         : "a page holds many people's records");
	static const char *const fields[] = {"days", "action", NULL};
	struct policy_retention *r = &acc->rules[acc->n];
	r->category = (enum policy_category)c;
	r->action = c == POLICY_CAT_AUDIT_LOG ? POLICY_RETAIN_ANONYMIZE : POLICY_RETAIN_DELETE;
	rc = yread_each_field(p, v, arena_printf(p->a, "%s.%s", acc->path, cat),
	                      "a retention rule {days: N, action: delete|anonymize}", fields,
	                      retention_rule_field, r);
	if (rc == 0 && c == POLICY_CAT_AUDIT_LOG && r->action == POLICY_RETAIN_DELETE)
		rc = yread_err(
		        p, v, "retention.audit_log",
		        "audit log entries are anonymized, never deleted (the chain must verify)");
	acc->n++;
	return rc;
}

static int retention_map(struct yread *p, const yaml_node_t *v, const char *path, bool country,
                         struct policy_retention **out, size_t *n)
{
	/* Room for every entry: an unknown one is then refused by its name
	 * (a repeated one the YAML reader refuses), not as "given twice". */
	size_t pairs = v->type == YAML_MAPPING_NODE
	                       ? (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start)
	                       : 0;
	struct retention_acc acc = {arena_array(p->a, pairs + 1, sizeof *acc.rules), 0, path,
	                            country};
	int rc = yread_each_field(p, v, path, "retention (a mapping of data category to rule)",
	                          NULL, retention_field, &acc);
	*out = acc.rules;
	*n = acc.n;
	return rc;
}

/* mechanisms: a list of mappings */
enum mech_field {
	MF_KEY,
	MF_NAME,
	MF_PURPOSE,
	MF_CATEGORIES,
	MF_EVENT_KINDS,
	MF_ENABLED,
	MF_PROHIBITED,
	MF_CONSENT,
	MF_WITHOUT_CONSENT,
	MF_ON_WITHDRAWAL,
	MF_APPROVAL,
	MF_COUNT_
};
static const char *const mech_fields[] = {
        "key",        "name",    "purpose",         "categories",    "event_kinds", "enabled",
        "prohibited", "consent", "without_consent", "on_withdrawal", "approval",    NULL};

struct mech_parse {
	struct policy_mechanism *m;
	bool seen[MF_COUNT_];
	const yaml_node_t *approval; /* where the approval was given, for errors */
};

static int mech_field(struct yread *p, int f, const yaml_node_t *k, const yaml_node_t *v, void *arg)
{
	(void)k;
	struct mech_parse *mp = arg;
	struct policy_mechanism *m = mp->m;
	mp->seen[f] = true;
	const char *at = yread_at(p, mech_fields[f]); /* mechanisms[N].FIELD, for errors */
	static const char *const consent[] = {"not-required", "required", NULL};
	static const char *const without[] = {"skip", "pseudonymize", NULL};
	static const char *const withdrawal[] = {"keep", "delete", NULL};
	int i = 0, rc;
	switch ((enum mech_field)f) {
	case MF_KEY:
		rc = yread_nonempty(p, v, at, YREAD_NAME_MAX, &m->key);
		if (rc == 0 && !yread_valid_key(m->key))
			rc = yread_err(
			        p, v, at,
			        "'%s': expected lower-case letters, digits and '_', starting "
			        "with a "
			        "letter",
			        m->key);
		return rc;
	case MF_NAME:
		return yread_name(p, v, at, YREAD_NAME_MAX, &m->name);
	case MF_PURPOSE:
		return yread_nonempty(p, v, at, TEXT_MAX_LEN, &m->purpose);
	case MF_CATEGORIES:
		return yread_scalar_list(p, v, at, is_category, "a data category", &m->categories,
		                         &m->ncategories);
	case MF_EVENT_KINDS:
		return yread_scalar_list(
		        p, v, at, is_event_kind,
		        "an event kind (commit, pull_request, review, deployment, ci_run, "
		        "incident, work_item)",
		        &m->event_kinds, &m->nevent_kinds);
	case MF_ENABLED:
		return yread_bool(p, v, at, &m->enabled);
	case MF_PROHIBITED:
		return yread_bool(p, v, at, &m->prohibited);
	case MF_CONSENT:
		rc = yread_choice(p, v, at, consent, &i);
		m->consent_required = i == 1;
		return rc;
	case MF_WITHOUT_CONSENT:
		rc = yread_choice(p, v, at, without, &i);
		m->without_consent = (enum policy_without_consent)i;
		return rc;
	case MF_ON_WITHDRAWAL:
		rc = yread_choice(p, v, at, withdrawal, &i);
		m->delete_on_withdrawal = i == 1;
		return rc;
	case MF_APPROVAL:
		mp->approval = v;
		rc = yread_choice(p, v, at, approval_names, &i);
		m->approval = (enum policy_approval)i;
		return rc;
	case MF_COUNT_:
		break;
	}
	BUG("mechanism field %d", f);
}

static int mechanisms_list(struct yread *p, const yaml_node_t *v, struct policy *out)
{
	if (v->type != YAML_SEQUENCE_NODE)
		return yread_err(p, v, "mechanisms", "expected a list of mechanisms");
	size_t len = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (len > YREAD_LIST_MAX)
		return yread_err(p, v, "mechanisms", "more than %d entries", YREAD_LIST_MAX);
	out->mechanisms = arena_array(p->a, len ? len : 1, sizeof *out->mechanisms);
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
	     it++) {
		const yaml_node_t *item = yread_node(p, *it);
		struct mech_parse mp = {&out->mechanisms[out->nmechanisms], {false}, NULL};
		const char *at = arena_printf(p->a, "mechanisms[%zu]", out->nmechanisms);
		int rc = yread_each_field(p, item, at,
		                          "a mechanism (a mapping with key, name, purpose, ...)",
		                          mech_fields, mech_field, &mp);
		if (rc < 0)
			return rc;
		static const enum mech_field required[] = {MF_KEY, MF_NAME, MF_PURPOSE, MF_ENABLED};
		for (size_t r = 0; r < sizeof required / sizeof required[0]; r++)
			if (!mp.seen[required[r]])
				return yread_err(p, item, at, "field %s is missing",
				                 mech_fields[required[r]]);
		const struct policy_mechanism *m = mp.m;
		for (size_t j = 0; j < out->nmechanisms; j++) {
			const struct policy_mechanism *o = &out->mechanisms[j];
			if (strcmp(o->key, m->key) == 0)
				return yread_err(p, item, at, "key '%s' is given twice", m->key);
			for (size_t a = 0; a < o->nevent_kinds; a++)
				for (size_t b = 0; b < m->nevent_kinds; b++)
					if (strcmp(o->event_kinds[a], m->event_kinds[b]) == 0)
						return yread_err(
						        p, item,
						        arena_printf(p->a, "%s.event_kinds", at),
						        "'%s' is already covered by mechanism %s",
						        m->event_kinds[b], o->key);
		}
		if (!m->consent_required &&
		    (mp.seen[MF_WITHOUT_CONSENT] || mp.seen[MF_ON_WITHDRAWAL]))
			return yread_err(
			        p, item, at,
			        "without_consent and on_withdrawal apply only with consent: "
			        "required");
		/* A prohibited mechanism never runs: an approval for it would read
		 * as allowed once approved. */
		if (!p->stored && m->prohibited && m->approval != POLICY_APPROVAL_NONE)
			return yread_err(
			        p, mp.approval, arena_printf(p->a, "%s.approval", at),
			        "mechanism '%s' is prohibited: there is nothing to approve",
			        m->key);
		out->nmechanisms++;
	}
	return 0;
}

/* countries: {CC: {approvals: {MECH: BODY}, forced_ranking: ..., retention: ...}} */
static const char *const ranking_words[] = {"forbidden", "allowed", NULL};

/* One country as parsed, with where its approvals' keys are in the file:
 * their mechanisms are checked once every field is read (mechanisms may
 * come later), and the error names the line of the key. */
struct country_parse {
	struct policy_country *c;
	const yaml_node_t **approval_keys; /* one for each of c->approvals */
};

static int country_approval(struct yread *p, int f, const yaml_node_t *k, const yaml_node_t *v,
                            void *arg)
{
	(void)f;
	struct country_parse *cp = arg;
	struct policy_country *c = cp->c;
	const char *mech;
	int rc = yamldoc_scalar(p->name, k, "approvals", p->a, &mech, p->err);
	if (rc < 0)
		return rc;
	if (c->napprovals == YREAD_LIST_MAX)
		return yread_err(p, k, p->at, "more than %d entries", YREAD_LIST_MAX);
	cp->approval_keys[c->napprovals] = k;
	struct policy_country_approval *ap = &c->approvals[c->napprovals++];
	ap->mechanism = mech;
	int i = 0;
	rc = yread_choice(p, v, yread_at(p, mech), approval_names, &i);
	ap->approval = (enum policy_approval)i;
	return rc;
}

static int country_field(struct yread *p, int f, const yaml_node_t *k, const yaml_node_t *v,
                         void *arg)
{
	(void)k;
	struct country_parse *cp = arg;
	struct policy_country *c = cp->c;
	int i = 0, rc;
	switch (f) {
	case 0:
		c->approvals = arena_array(p->a, YREAD_LIST_MAX, sizeof *c->approvals);
		cp->approval_keys = arena_array(p->a, YREAD_LIST_MAX, sizeof *cp->approval_keys);
		return yread_each_field(p, v, arena_printf(p->a, "countries.%s.approvals", c->code),
		                        "approvals (a mapping of mechanism to approval body)", NULL,
		                        country_approval, cp);
	case 1:
		rc = yread_choice(p, v, yread_at(p, "forced_ranking"), ranking_words, &i);
		c->forced_ranking = i;
		return rc;
	default:
		return retention_map(p, v, arena_printf(p->a, "countries.%s.retention", c->code),
		                     true, &c->retention, &c->nretention);
	}
}

/* The top level. */
enum top_field {
	TF_NAME,
	TF_OWNERSHIP,
	TF_MASKING,
	TF_DEMOGRAPHICS,
	TF_SIGNOFF,
	TF_FORCED_RANKING,
	TF_MECHANISMS,
	TF_RETENTION,
	TF_COUNTRIES,
	TF_COUNT_
};
static const char *const top_fields[] = {
        "name",           "ownership",  "masking",   "demographics", "signoff",
        "forced_ranking", "mechanisms", "retention", "countries",    NULL};

struct top_parse {
	struct policy *pol;
	bool seen[TF_COUNT_];
	const yaml_node_t *signoff_node;
	const yaml_node_t *signoff_required; /* its value, where a quorum error points */
	struct country_parse *countries;     /* one for each of pol->countries */
};

static int countries_field(struct yread *p, int f, const yaml_node_t *k, const yaml_node_t *v,
                           void *arg)
{
	(void)f;
	struct top_parse *tp = arg;
	struct policy *pol = tp->pol;
	const char *code;
	int rc = yamldoc_scalar(p->name, k, "countries", p->a, &code, p->err);
	if (rc < 0)
		return rc;
	if (!country_valid(code))
		return yread_err(p, k, "countries",
		                 "'%s' is not an ISO 3166-1 alpha-2 code (e.g. DE, US)", code);
	if (pol->ncountries == YREAD_LIST_MAX)
		return yread_err(p, k, "countries", "more than %d countries", YREAD_LIST_MAX);
	struct country_parse *cp = &tp->countries[pol->ncountries];
	struct policy_country *c = &pol->countries[pol->ncountries++];
	c->code = code;
	c->forced_ranking = -1;
	*cp = (struct country_parse){c, NULL};
	static const char *const fields[] = {"approvals", "forced_ranking", "retention", NULL};
	return yread_each_field(p, v, arena_printf(p->a, "countries.%s", code),
	                        "a country's overrides", fields, country_field, cp);
}

static int ownership_field(struct yread *p, int f, const yaml_node_t *k, const yaml_node_t *v,
                           void *arg)
{
	(void)k;
	struct policy *pol = arg;
	static const char *const models[] = {"federated", "centralized", NULL};
	if (f == 0) {
		int i = 0;
		int rc = yread_choice(p, v, "ownership.model", models, &i);
		pol->federated = i == 0;
		return rc;
	}
	return yread_name(p, v, "ownership.central_owner", YREAD_NAME_MAX, &pol->central_owner);
}

static int masking_field(struct yread *p, int f, const yaml_node_t *k, const yaml_node_t *v,
                         void *arg)
{
	(void)k;
	(void)f;
	struct policy *pol = arg;
	long n = 0;
	int rc = yread_int(p, v, "masking.min_aggregate_people", 2, MIN_PEOPLE_MAX, &n);
	pol->min_aggregate_people = (int)n;
	return rc;
}

static int demographics_field(struct yread *p, int f, const yaml_node_t *k, const yaml_node_t *v,
                              void *arg)
{
	(void)k;
	(void)f;
	struct policy *pol = arg;
	return yread_scalar_list(
	        p, v, "demographics.readers", is_role,
	        "a role (admin, people-partner, leader, manager, employee, analyst)",
	        &pol->demographics_readers, &pol->ndemographics_readers);
}

static int signoff_field(struct yread *p, int f, const yaml_node_t *k, const yaml_node_t *v,
                         void *arg)
{
	(void)k;
	struct top_parse *tp = arg;
	struct policy *pol = tp->pol;
	if (f == 0)
		return yread_scalar_list(p, v, "signoff.approvers", is_employee_id,
		                         "an employee id", &pol->signoff_approvers,
		                         &pol->nsignoff_approvers);
	tp->signoff_required = v;
	long n = 0;
	int rc = yread_int(p, v, "signoff.required", 1, YREAD_LIST_MAX, &n);
	pol->signoff_required = (int)n;
	return rc;
}

static int top_field(struct yread *p, int f, const yaml_node_t *k, const yaml_node_t *v, void *arg)
{
	(void)k;
	struct top_parse *tp = arg;
	struct policy *pol = tp->pol;
	tp->seen[f] = true;
	int i = 0, rc;
	switch ((enum top_field)f) {
	case TF_NAME:
		return yread_name(p, v, "name", YREAD_NAME_MAX, &pol->name);
	case TF_OWNERSHIP: {
		static const char *const fields[] = {"model", "central_owner", NULL};
		return yread_each_field(p, v, "ownership", "ownership {model, central_owner}",
		                        fields, ownership_field, pol);
	}
	case TF_MASKING: {
		static const char *const fields[] = {"min_aggregate_people", NULL};
		return yread_each_field(p, v, "masking", "masking {min_aggregate_people}", fields,
		                        masking_field, pol);
	}
	case TF_DEMOGRAPHICS: {
		static const char *const fields[] = {"readers", NULL};
		return yread_each_field(p, v, "demographics", "demographics {readers}", fields,
		                        demographics_field, pol);
	}
	case TF_SIGNOFF: {
		static const char *const fields[] = {"approvers", "required", NULL};
		tp->signoff_node = v;
		return yread_each_field(p, v, "signoff", "signoff {approvers, required}", fields,
		                        signoff_field, tp);
	}
	case TF_FORCED_RANKING:
		rc = yread_choice(p, v, "forced_ranking", ranking_words, &i);
		pol->forced_ranking = i == 1;
		return rc;
	case TF_MECHANISMS:
		return mechanisms_list(p, v, pol);
	case TF_RETENTION:
		return retention_map(p, v, "retention", false, &pol->retention, &pol->nretention);
	case TF_COUNTRIES:
		pol->countries = arena_array(p->a, YREAD_LIST_MAX, sizeof *pol->countries);
		tp->countries = arena_array(p->a, YREAD_LIST_MAX, sizeof *tp->countries);
		return yread_each_field(p, v, "countries",
		                        "countries (a mapping of country code to overrides)", NULL,
		                        countries_field, tp);
	case TF_COUNT_:
		break;
	}
	BUG("policy field %d", f);
}

static void set_defaults(struct policy *pol)
{
	memset(pol, 0, sizeof *pol);
	pol->name = "built-in defaults (no policy imported)";
	pol->sha256 = "";
	pol->imported_by = "";
	pol->federated = true;
	pol->min_aggregate_people = DEFAULT_MIN;
	static const char *default_readers[] = {"people-partner"};
	pol->demographics_readers = default_readers;
	pol->ndemographics_readers = 1;
	pol->forced_ranking = true;
}

/* Cross-field checks, after every field is read. */
static int validate(struct yread *p, const yaml_node_t *root, struct top_parse *tp)
{
	struct policy *pol = tp->pol;
	if (!tp->seen[TF_NAME])
		return yread_err(p, root, "name", "field is missing");
	if (!tp->seen[TF_MECHANISMS])
		return yread_err(p, root, "mechanisms",
		                 "field is missing (list every tracking mechanism)");
	if (!tp->seen[TF_RETENTION])
		return yread_err(p, root, "retention",
		                 "field is missing (say how long each category is "
		                 "kept; 0 days keeps it without limit)");
	if (!pol->federated && !pol->central_owner)
		return yread_err(p, root, "ownership.central_owner",
		                 "a centralized policy names the owning team");
	if (pol->federated && pol->central_owner)
		return yread_err(p, root, "ownership.central_owner",
		                 "only a centralized policy has a central owner");
	if (tp->signoff_node) {
		if (!pol->nsignoff_approvers || !pol->signoff_required)
			return yread_err(p, tp->signoff_node, "signoff",
			                 "expected both approvers and required");
		if ((size_t)pol->signoff_required > pol->nsignoff_approvers)
			return yread_err(p, tp->signoff_required, "signoff.required",
			                 "%d of %zu approvers can never be reached",
			                 pol->signoff_required, pol->nsignoff_approvers);
	}
	for (size_t c = 0; c < pol->ncountries; c++) {
		const struct country_parse *cp = &tp->countries[c];
		const struct policy_country *co = cp->c;
		for (size_t a = 0; a < co->napprovals; a++) {
			const struct policy_mechanism *m =
			        policy_mechanism(pol, co->approvals[a].mechanism);
			const char *at = arena_printf(p->a, "countries.%s.approvals", co->code);
			if (!m)
				return yread_err(p, cp->approval_keys[a], at,
				                 "mechanism '%s' is not in mechanisms",
				                 co->approvals[a].mechanism);
			if (!p->stored && m->prohibited &&
			    co->approvals[a].approval != POLICY_APPROVAL_NONE)
				return yread_err(
				        p, cp->approval_keys[a], at,
				        "mechanism '%s' is prohibited: there is nothing to approve",
				        m->key);
		}
	}
	/* A prohibited mechanism that is enabled is valid YAML but refused at
	 * import by the acceptable-use engine (aup.h), which audits it. */
	return 0;
}

static int parse_policy(const char *name, const char *data, size_t len, bool stored,
                        struct arena *a, struct policy *out, struct error *err)
{
	set_defaults(out);
	out->demographics_readers = NULL;
	out->ndemographics_readers = 0;
	out->name = NULL;
	yaml_document_t doc;
	int rc = stored ? yamldoc_load_stored(name, data, len, &doc, err)
	                : yamldoc_load(name, data, len, &doc, err);
	if (rc < 0)
		return rc;
	struct yread p = {name, &doc, a, err, NULL, stored};
	struct top_parse tp = {out, {false}, NULL, NULL, NULL};
	const yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (!root)
		rc = err_set(err, ERR_INVALID, "%s: the file is empty; expected a policy", name);
	if (rc == 0)
		rc = yread_each_field(&p, root, NULL,
		                      "a policy (a mapping with name, mechanisms, retention, ...)",
		                      top_fields, top_field, &tp);
	if (rc == 0)
		rc = validate(&p, root, &tp);
	yaml_document_delete(&doc);
	if (rc == 0 && !out->ndemographics_readers) {
		static const char *default_readers[] = {"people-partner"};
		out->demographics_readers = default_readers;
		out->ndemographics_readers = 1;
	}
	return rc;
}

int policy_parse(const char *name, const char *data, size_t len, struct arena *a,
                 struct policy *out, struct error *err)
{
	return parse_policy(name, data, len, false, a, out, err);
}

/* ---- queries ---- */

const struct policy_mechanism *policy_mechanism(const struct policy *p, const char *key)
{
	for (size_t i = 0; i < p->nmechanisms; i++)
		if (strcmp(p->mechanisms[i].key, key) == 0)
			return &p->mechanisms[i];
	return NULL;
}

const struct policy_mechanism *policy_mechanism_for_kind(const struct policy *p, const char *kind)
{
	for (size_t i = 0; i < p->nmechanisms; i++)
		for (size_t k = 0; k < p->mechanisms[i].nevent_kinds; k++)
			if (strcmp(p->mechanisms[i].event_kinds[k], kind) == 0)
				return &p->mechanisms[i];
	return NULL;
}

static const struct policy_country *country_of(const struct policy *p, const char *country)
{
	if (!country || !*country)
		return NULL;
	for (size_t i = 0; i < p->ncountries; i++)
		if (strcmp(p->countries[i].code, country) == 0)
			return &p->countries[i];
	return NULL;
}

enum policy_approval policy_mechanism_approval(const struct policy *p,
                                               const struct policy_mechanism *m,
                                               const char *country)
{
	const struct policy_country *c = country_of(p, country);
	for (size_t i = 0; c && i < c->napprovals; i++)
		if (strcmp(c->approvals[i].mechanism, m->key) == 0)
			return c->approvals[i].approval;
	return m->approval;
}

bool policy_category_by_country(enum policy_category c)
{
	return c != POLICY_CAT_RAW_PAYLOADS && c != POLICY_CAT_AUDIT_LOG;
}

struct policy_retention policy_retention_for(const struct policy *p, enum policy_category cat,
                                             const char *country)
{
	const struct policy_country *c =
	        policy_category_by_country(cat) ? country_of(p, country) : NULL;
	for (size_t i = 0; c && i < c->nretention; i++)
		if (c->retention[i].category == cat)
			return c->retention[i];
	for (size_t i = 0; i < p->nretention; i++)
		if (p->retention[i].category == cat)
			return p->retention[i];
	struct policy_retention keep = {cat, 0, POLICY_RETAIN_DELETE};
	return keep;
}

bool policy_forced_ranking_allowed(const struct policy *p, const char *country)
{
	const struct policy_country *c = country_of(p, country);
	if (c && c->forced_ranking >= 0)
		return c->forced_ranking == 1;
	return p->forced_ranking;
}

bool policy_demographics_reader(const struct policy *p, const char *role)
{
	for (size_t i = 0; i < p->ndemographics_readers; i++)
		if (strcmp(p->demographics_readers[i], role) == 0)
			return true;
	return false;
}

bool policy_signoff_approver(const struct policy *p, const char *employee_id)
{
	for (size_t i = 0; employee_id && i < p->nsignoff_approvers; i++)
		if (strcmp(p->signoff_approvers[i], employee_id) == 0)
			return true;
	return false;
}

/* ---- storage ---- */

struct stored {
	int version;
	const char *name, *text, *sha256, *imported_by;
	int64_t imported_at;
};

/* The stored version (0: the newest); *found false when there is none. */
static int read_version(struct ctx *ctx, int version, struct stored *out, bool *found,
                        struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       version > 0
	                               ? "SELECT version, name, source_text, sha256, imported_at, "
	                                 "imported_by FROM policies WHERE version = ?"
	                               : "SELECT version, name, source_text, sha256, imported_at, "
	                                 "imported_by FROM policies ORDER BY version DESC LIMIT 1",
	                       &st, err);
	if (rc < 0)
		return rc;
	if (version > 0)
		stmt_bind_int(st, 1, version);
	*found = false;
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		*found = true;
		out->version = (int)stmt_int(st, 0);
		out->name = arena_strdup(ctx->arena, stmt_text(st, 1));
		out->text = arena_strdup(ctx->arena, stmt_text(st, 2));
		out->sha256 = arena_strdup(ctx->arena, stmt_text(st, 3));
		out->imported_at = stmt_int(st, 4);
		out->imported_by = arena_strdup(ctx->arena, stmt_text(st, 5));
		rc = 0;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int load_version(struct ctx *ctx, int version, struct policy *out, struct error *err)
{
	struct stored s;
	bool found;
	int rc = read_version(ctx, version, &s, &found, err);
	if (rc < 0)
		return rc;
	if (!found) {
		if (version > 0)
			return err_set(err, ERR_NOT_FOUND, "policy version %d does not exist",
			               version);
		set_defaults(out);
		return 0;
	}
	char label[64];
	snprintf(label, sizeof label, "policy version %d", s.version);
	/* As it was accepted when imported (yread.stored). */
	rc = parse_policy(label, s.text, strlen(s.text), true, ctx->arena, out, err);
	if (rc < 0)
		return rc;
	out->version = s.version;
	out->sha256 = s.sha256;
	out->imported_at = s.imported_at;
	out->imported_by = s.imported_by;
	return 0;
}

int policy_load(struct ctx *ctx, const struct policy **out, struct error *err)
{
	*out = NULL;
	int64_t head = 0;
	int rc = audit_head_seq(ctx->store, &head, err);
	if (rc < 0)
		return rc;
	/* Every import is audited, so an unchanged head means an unchanged policy. */
	if (ctx->policy && ctx->policy_head == head) {
		*out = ctx->policy;
		return 0;
	}
	struct arena *a = arena_create();
	struct arena *unit = ctx->arena;
	struct policy *pol = arena_alloc(a, sizeof *pol);
	ctx->arena = a; /* the parse and its strings go to the policy's own arena */
	rc = load_version(ctx, 0, pol, err);
	ctx->arena = unit;
	if (rc < 0) {
		arena_destroy(a);
		return rc;
	}
	if (ctx->policy_arena) {
		ctx->policy_retired =
		        xrealloc(ctx->policy_retired,
		                 (ctx->npolicy_retired + 1) * sizeof *ctx->policy_retired);
		ctx->policy_retired[ctx->npolicy_retired++] = ctx->policy_arena;
	}
	ctx->policy_arena = a;
	ctx->policy = pol;
	ctx->policy_head = head;
	*out = pol;
	return 0;
}

static void sha256_hex(const char *data, size_t len, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)data, len);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

struct import_args {
	const char *name, *data;
	size_t len;
	struct policy *parsed;
	struct policy_import_result *out;
};

static int import_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct import_args *a = arg;
	char sha[65];
	sha256_hex(a->data, a->len, sha);
	struct stored cur;
	bool found;
	int rc = read_version(ctx, 0, &cur, &found, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < a->parsed->nmechanisms; i++) {
		const struct policy_mechanism *m = &a->parsed->mechanisms[i];
		if (m->enabled && (rc = aup_check_mechanism(ctx, m, "enabled", err)) < 0)
			return rc;
	}
	a->out->unchanged = found && strcmp(cur.sha256, sha) == 0;
	a->out->version = found ? cur.version + (a->out->unchanged ? 0 : 1) : 1;
	if (a->out->unchanged)
		return CTX_ROLLBACK;
	char *text = arena_alloc(ctx->arena, a->len + 1);
	memcpy(text, a->data, a->len);
	text[a->len] = '\0';
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "INSERT INTO policies(version, name, source_text, sha256, imported_at, "
	                   "imported_by) VALUES (?, ?, ?, ?, ?, ?)",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->out->version);
	stmt_bind_text(st, 2, a->parsed->name);
	stmt_bind_text(st, 3, text);
	stmt_bind_text(st, 4, sha);
	stmt_bind_int(st, 5, ts_clock_ms()); /* when it was imported: never PLUMB_NOW */
	stmt_bind_text(st, 6, ctx->actor.name);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kint(&w, "version", a->out->version);
	jw_kstr(&w, "name", a->parsed->name);
	jw_kstr(&w, "sha256", sha);
	if (found)
		jw_kint(&w, "replaces", cur.version);
	jw_kint(&w, "mechanisms", (int64_t)a->parsed->nmechanisms);
	jw_object_end(&w);
	char id[24];
	snprintf(id, sizeof id, "%d", a->out->version);
	ctx->policy = NULL; /* a load later in this transaction reads the new version */
	rc = audit_append(ctx, "policy.import", "policy", id, detail.buf, err);
	sb_release(&detail);
	return rc;
}

int policy_import(struct ctx *ctx, const char *name, const char *data, size_t len,
                  struct policy_import_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	int rc = ctx_op_check(ctx, OP_POLICY_IMPORT, err);
	if (rc < 0)
		return rc;
	struct policy *parsed = arena_alloc(ctx->arena, sizeof *parsed);
	rc = policy_parse(name, data, len, ctx->arena, parsed, err);
	if (rc < 0)
		return rc;
	struct import_args a = {name, data, len, parsed, out};
	return ctx_run(ctx, OP_POLICY_IMPORT, import_body, &a, err);
}

struct show_args {
	int version;
	struct policy *pol;
	const char *text;
};

/* The sign-off approvers are people: an analyst sees their pseudonyms. */
static int mask_approvers(struct ctx *ctx, struct policy *pol, struct error *err)
{
	if (!mask_people(ctx) || !pol->nsignoff_approvers)
		return 0;
	const char **masked = arena_array(ctx->arena, pol->nsignoff_approvers, sizeof *masked);
	int rc = 0;
	for (size_t i = 0; i < pol->nsignoff_approvers && rc == 0; i++)
		rc = mask_person(ctx, pol->signoff_approvers[i], &masked[i], err);
	pol->signoff_approvers = masked;
	return rc;
}

static int show_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct show_args *a = arg;
	int rc = load_version(ctx, a->version, a->pol, err);
	if (rc == 0)
		rc = mask_approvers(ctx, a->pol, err);
	/* Who imported it is a person's user: an analyst sees a pseudonym (the
	 * built-in defaults were imported by no one). */
	if (rc == 0 && *a->pol->imported_by)
		rc = mask_user(ctx, a->pol->imported_by, &a->pol->imported_by, err);
	return rc;
}

int policy_show(struct ctx *ctx, int version, const struct policy **out, struct error *err)
{
	struct show_args a = {version, arena_alloc(ctx->arena, sizeof(struct policy)), NULL};
	int rc = ctx_run(ctx, OP_POLICY_SHOW, show_body, &a, err);
	*out = rc == 0 ? a.pol : NULL;
	return rc;
}

static int export_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct show_args *a = arg;
	if (mask_people(ctx)) {
		err_set(err, ERR_DENIED,
		        "the policy file names people, and %s sees people only as "
		        "pseudonyms",
		        ctx->actor.name);
		err_hint(err, "'plumb policy show' gives the same policy with pseudonyms");
		ctx_note_denied(ctx, err);
		return ERR_DENIED;
	}
	struct stored s;
	bool found;
	int rc = read_version(ctx, a->version, &s, &found, err);
	if (rc < 0)
		return rc;
	if (!found) {
		if (a->version > 0)
			return err_set(err, ERR_NOT_FOUND, "policy version %d does not exist",
			               a->version);
		err_set(err, ERR_NOT_FOUND, "no policy has been imported");
		err_hint(err, "start from examples/policy.yaml: plumb policy import FILE.yaml");
		return ERR_NOT_FOUND;
	}
	a->text = s.text;
	return 0;
}

int policy_export(struct ctx *ctx, int version, const char **text, struct error *err)
{
	struct show_args a = {version, NULL, NULL};
	int rc = ctx_run(ctx, OP_POLICY_EXPORT, export_body, &a, err);
	*text = a.text;
	return rc;
}

/* ---- JSON and diff ---- */

static void json_retention(struct jw *w, const struct policy_retention *r, size_t n)
{
	jw_object_begin(w);
	for (size_t i = 0; i < n; i++) {
		jw_key(w, policy_category_name(r[i].category));
		jw_object_begin(w);
		jw_kint(w, "days", r[i].days);
		jw_kstr(w, "action", r[i].action == POLICY_RETAIN_DELETE ? "delete" : "anonymize");
		jw_object_end(w);
	}
	jw_object_end(w);
}

static void json_strings(struct jw *w, const char *key, const char **list, size_t n)
{
	jw_key(w, key);
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, list[i]);
	jw_array_end(w);
}

void policy_json(struct jw *w, const struct policy *p)
{
	jw_object_begin(w);
	jw_kint(w, "version", p->version);
	jw_kstr(w, "name", p->name);
	if (p->version) {
		jw_kstr(w, "sha256", p->sha256);
		jw_kstr(w, "imported_by", p->imported_by);
		char when[40];
		jw_kstr(w, "imported_at", ts_format(p->imported_at, when));
	}
	jw_key(w, "ownership");
	jw_object_begin(w);
	jw_kstr(w, "model", p->federated ? "federated" : "centralized");
	if (p->central_owner)
		jw_kstr(w, "central_owner", p->central_owner);
	jw_object_end(w);
	jw_key(w, "masking");
	jw_object_begin(w);
	jw_kint(w, "min_aggregate_people", p->min_aggregate_people);
	jw_object_end(w);
	jw_key(w, "demographics");
	jw_object_begin(w);
	json_strings(w, "readers", p->demographics_readers, p->ndemographics_readers);
	jw_object_end(w);
	jw_key(w, "signoff");
	jw_object_begin(w);
	json_strings(w, "approvers", p->signoff_approvers, p->nsignoff_approvers);
	jw_kint(w, "required", p->signoff_required);
	jw_object_end(w);
	jw_kstr(w, "forced_ranking", p->forced_ranking ? "allowed" : "forbidden");
	jw_key(w, "mechanisms");
	jw_array_begin(w);
	for (size_t i = 0; i < p->nmechanisms; i++) {
		const struct policy_mechanism *m = &p->mechanisms[i];
		jw_object_begin(w);
		jw_kstr(w, "key", m->key);
		jw_kstr(w, "name", m->name);
		jw_kstr(w, "purpose", m->purpose);
		json_strings(w, "categories", m->categories, m->ncategories);
		json_strings(w, "event_kinds", m->event_kinds, m->nevent_kinds);
		jw_kbool(w, "enabled", m->enabled);
		jw_kbool(w, "prohibited", m->prohibited);
		jw_kstr(w, "consent", m->consent_required ? "required" : "not-required");
		if (m->consent_required) {
			jw_kstr(w, "without_consent",
			        m->without_consent == POLICY_SKIP ? "skip" : "pseudonymize");
			jw_kstr(w, "on_withdrawal", m->delete_on_withdrawal ? "delete" : "keep");
		}
		jw_kstr(w, "approval", policy_approval_name(m->approval));
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "retention");
	json_retention(w, p->retention, p->nretention);
	jw_key(w, "countries");
	jw_object_begin(w);
	for (size_t i = 0; i < p->ncountries; i++) {
		const struct policy_country *c = &p->countries[i];
		jw_key(w, c->code);
		jw_object_begin(w);
		jw_key(w, "approvals");
		jw_object_begin(w);
		for (size_t a = 0; a < c->napprovals; a++)
			jw_kstr(w, c->approvals[a].mechanism,
			        policy_approval_name(c->approvals[a].approval));
		jw_object_end(w);
		if (c->forced_ranking >= 0)
			jw_kstr(w, "forced_ranking", c->forced_ranking ? "allowed" : "forbidden");
		jw_key(w, "retention");
		json_retention(w, c->retention, c->nretention);
		jw_object_end(w);
	}
	jw_object_end(w);
	jw_object_end(w);
}

static const char *joined(struct arena *a, const char **list, size_t n)
{
	struct sb s = SB_INIT;
	sb_puts(&s, "[");
	for (size_t i = 0; i < n; i++)
		sb_printf(&s, "%s%s", i ? ", " : "", list[i]);
	sb_puts(&s, "]");
	const char *out = arena_strdup(a, s.buf);
	sb_release(&s);
	return out;
}

static void retention_facts(struct facts *f, const char *prefix, const struct policy_retention *r,
                            size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char what[128];
		snprintf(what, sizeof what, "%sretention %s", prefix,
		         policy_category_name(r[i].category));
		facts_add(f, what, "%" PRId64 " days, %s", r[i].days,
		          r[i].action == POLICY_RETAIN_DELETE ? "delete" : "anonymize");
	}
}

static void policy_facts(const struct policy *p, struct facts *f)
{
	facts_add(f, "name", "%s", p->name);
	facts_add(f, "ownership", "%s%s%s", p->federated ? "federated" : "centralized",
	          p->central_owner ? ", owner " : "", p->central_owner ? p->central_owner : "");
	facts_add(f, "masking min_aggregate_people", "%d", p->min_aggregate_people);
	facts_add(f, "demographics readers", "%s",
	          joined(f->a, p->demographics_readers, p->ndemographics_readers));
	facts_add(f, "signoff", "%d of %s", p->signoff_required,
	          joined(f->a, p->signoff_approvers, p->nsignoff_approvers));
	facts_add(f, "forced_ranking", "%s", p->forced_ranking ? "allowed" : "forbidden");
	for (size_t i = 0; i < p->nmechanisms; i++) {
		const struct policy_mechanism *m = &p->mechanisms[i];
		char what[160];
#define MFACT(field, ...)                                                                          \
	do {                                                                                       \
		snprintf(what, sizeof what, "mechanism %s: %s", m->key, field);                    \
		facts_add(f, what, __VA_ARGS__);                                                   \
	} while (0)
		MFACT("name", "%s", m->name);
		MFACT("purpose", "%s", m->purpose);
		MFACT("categories", "%s", joined(f->a, m->categories, m->ncategories));
		MFACT("event_kinds", "%s", joined(f->a, m->event_kinds, m->nevent_kinds));
		MFACT("enabled", "%s", m->enabled ? "true" : "false");
		MFACT("prohibited", "%s", m->prohibited ? "true" : "false");
		MFACT("consent", "%s", m->consent_required ? "required" : "not-required");
		if (m->consent_required) {
			MFACT("without_consent", "%s",
			      m->without_consent == POLICY_SKIP ? "skip" : "pseudonymize");
			MFACT("on_withdrawal", "%s", m->delete_on_withdrawal ? "delete" : "keep");
		}
		MFACT("approval", "%s", policy_approval_name(m->approval));
#undef MFACT
	}
	retention_facts(f, "", p->retention, p->nretention);
	for (size_t i = 0; i < p->ncountries; i++) {
		const struct policy_country *c = &p->countries[i];
		char prefix[64], what[160];
		snprintf(prefix, sizeof prefix, "country %s: ", c->code);
		for (size_t a = 0; a < c->napprovals; a++) {
			snprintf(what, sizeof what, "%sapproval for %s", prefix,
			         c->approvals[a].mechanism);
			facts_add(f, what, "%s", policy_approval_name(c->approvals[a].approval));
		}
		if (c->forced_ranking >= 0) {
			snprintf(what, sizeof what, "%sforced_ranking", prefix);
			facts_add(f, what, "%s", c->forced_ranking ? "allowed" : "forbidden");
		}
		retention_facts(f, prefix, c->retention, c->nretention);
	}
}

struct diff_args {
	int a, b;
	const char **lines;
	size_t n;
};

static int diff_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct diff_args *d = arg;
	struct policy pa, pb;
	int rc = load_version(ctx, d->a, &pa, err);
	if (rc == 0)
		rc = load_version(ctx, d->b, &pb, err);
	if (rc == 0)
		rc = mask_approvers(ctx, &pa, err);
	if (rc == 0)
		rc = mask_approvers(ctx, &pb, err);
	if (rc < 0)
		return rc;
	struct facts fa = {.a = ctx->arena}, fb = {.a = ctx->arena}, out = {.a = ctx->arena};
	policy_facts(&pa, &fa);
	policy_facts(&pb, &fb);
	facts_diff(&fa, &fb, &out);
	d->lines = out.value;
	d->n = out.n;
	return 0;
}

int policy_diff(struct ctx *ctx, int a, int b, const char ***lines, size_t *n, struct error *err)
{
	if (a <= 0 || b <= 0)
		return err_set(err, ERR_USAGE, "policy versions are numbers from 1");
	struct diff_args d = {a, b, NULL, 0};
	int rc = ctx_run(ctx, OP_POLICY_DIFF, diff_body, &d, err);
	*lines = d.lines;
	*n = d.n;
	return rc;
}
