/*
 * policy: the data-governance policy, one YAML file people and a works
 * council can read (examples/policy.yaml is a commented starting point).
 * It says which tracking mechanisms exist and what each may collect, whose
 * consent or which approval each needs, how long each data category is
 * kept, who may read demographics, who signs off incentive-linked metrics,
 * how small an aggregate may be, how data ownership works, and per-country
 * overrides of all that.
 *
 * policy_import validates a file and stores it as a new immutable version
 * (the text as given, so export returns it byte for byte); the newest version
 * is in force.  Without any imported policy, policy_load gives the built-in
 * defaults (no mechanism registry: ingestion stores what it reads, as before
 * governance; minimum aggregate 5; demographics for people partners).
 *
 * Services ask the loaded policy through the query functions below rather
 * than reading its fields, so a country override is never forgotten.
 * A struct policy and its strings live in the arena the caller passes.
 */
#ifndef PLUMB_POLICY_H
#define PLUMB_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct arena;
struct ctx;
struct jw;

/* Data categories retention speaks of, in the order reports list them. */
#define POLICY_CATEGORY_TABLE(X)                                                                   \
	X(RAW_PAYLOADS, "raw_payloads")                                                            \
	X(EVENTS, "events")                                                                        \
	X(METRIC_VALUES, "metric_values")                                                          \
	X(FEEDBACK_TEXT, "feedback_text")                                                          \
	X(RATINGS, "ratings")                                                                      \
	X(EVALUATIONS, "evaluations")                                                              \
	X(AUDIT_LOG, "audit_log")

#define POLICY_CAT_ENUM_(id, name) POLICY_CAT_##id,
enum policy_category { POLICY_CATEGORY_TABLE(POLICY_CAT_ENUM_) POLICY_CAT_COUNT_ };
#undef POLICY_CAT_ENUM_

const char *policy_category_name(enum policy_category c);
/* Whether a category's rows are a person's, kept by the rule of their
 * country (events, metric values, review data); raw payloads and the audit
 * log are many people's at once and follow the company rule only. */
bool policy_category_by_country(enum policy_category c);
/* The event kinds a mechanism may name (NULL-terminated): ingestion's kinds,
 * which the core cannot include; tests/unit/test_policy.c checks they agree. */
extern const char *const policy_event_kinds[];
/* -1 when text names no category. */
int policy_category_parse(const char *text);

enum policy_without_consent {
	POLICY_SKIP,        /* not stored at all */
	POLICY_PSEUDONYMIZE /* stored without the person: account and names pseudonymized */
};

enum policy_approval {
	POLICY_APPROVAL_NONE = 0,
	POLICY_APPROVAL_WORKS_COUNCIL, /* "works-council" */
	POLICY_APPROVAL_LEADERSHIP     /* "leadership" */
};
const char *policy_approval_name(enum policy_approval a);

struct policy_mechanism {
	const char *key; /* commit_metadata, pull_request_activity, ... */
	const char *name, *purpose;
	const char **categories; /* data categories it produces */
	size_t ncategories;
	const char **event_kinds; /* ingested event kinds it covers (event.h names) */
	size_t nevent_kinds;
	bool enabled;          /* the policy switches it on */
	bool prohibited;       /* may never be enabled */
	bool consent_required; /* each person must have granted consent */
	enum policy_approval approval;
	enum policy_without_consent without_consent;
	bool delete_on_withdrawal; /* a withdrawal also removes earlier data */
};

enum policy_retention_action {
	POLICY_RETAIN_DELETE,
	POLICY_RETAIN_ANONYMIZE /* keep the row, drop what names a person */
};

struct policy_retention {
	enum policy_category category;
	int64_t days; /* 0: kept without limit */
	enum policy_retention_action action;
};

struct policy_country_approval {
	const char *mechanism;
	enum policy_approval approval;
};

struct policy_country {
	const char *code;   /* ISO 3166-1 alpha-2, as people.country */
	int forced_ranking; /* -1 as the company default, else 0 or 1 */
	struct policy_country_approval *approvals;
	size_t napprovals;
	struct policy_retention *retention;
	size_t nretention;
};

struct policy {
	int version; /* 0: no policy imported, these are the defaults */
	const char *name;
	const char *sha256;
	int64_t imported_at;
	const char *imported_by;
	bool federated;                    /* ownership: federated (else centralized) */
	const char *central_owner;         /* the owning team's name when centralized */
	int min_aggregate_people;          /* masking: smaller aggregates are suppressed */
	const char **demographics_readers; /* role names */
	size_t ndemographics_readers;
	const char **signoff_approvers; /* employee ids of the leaders who sign off */
	size_t nsignoff_approvers;
	int signoff_required; /* N of the approvers */
	bool forced_ranking;  /* company default */
	struct policy_mechanism *mechanisms;
	size_t nmechanisms;
	struct policy_retention *retention;
	size_t nretention;
	struct policy_country *countries;
	size_t ncountries;
};

/* The policy in force (or the defaults when none was imported), read in the
 * current operation's transaction.  Parsed once and kept on the ctx while
 * the audit head stays where it was (every import is audited); the struct
 * belongs to the ctx and is valid until the next policy_load or ctx_close. */
int policy_load(struct ctx *ctx, const struct policy **out, struct error *err);

/* Parse and validate a policy file without storing it (name is used in
 * messages: "NAME:LINE: ..."). */
int policy_parse(const char *name, const char *data, size_t len, struct arena *a,
                 struct policy *out, struct error *err);

struct policy_import_result {
	int version;
	bool unchanged; /* the same text as the version in force: nothing stored */
};
/* Operation policy.import. ERR_INVALID naming file, line and field for a
 * bad file; ERR_POLICY naming the rule for a policy that breaks an
 * acceptable-use rule (such as enabling a prohibited mechanism). */
int policy_import(struct ctx *ctx, const char *name, const char *data, size_t len,
                  struct policy_import_result *out, struct error *err);
/* Operation policy.show: the policy in force, or version (> 0). */
int policy_show(struct ctx *ctx, int version, const struct policy **out, struct error *err);
/* Operation policy.export: the text of a version as imported. */
int policy_export(struct ctx *ctx, int version, const char **text, struct error *err);
/* Operation policy.diff: what changed from version a to b, in readable
 * lines ("mechanism calendar_data: consent_required false -> true").  The
 * array and strings live in the ctx arena. */
int policy_diff(struct ctx *ctx, int a, int b, const char ***lines, size_t *n, struct error *err);
/* A policy as JSON (the shape of policy show --json). */
void policy_json(struct jw *w, const struct policy *p);

/* Queries.  country may be NULL or "" (the company default). */
const struct policy_mechanism *policy_mechanism(const struct policy *p, const char *key);
/* The mechanism that covers an ingested event kind; NULL when none does
 * (then governance does not restrict that kind). */
const struct policy_mechanism *policy_mechanism_for_kind(const struct policy *p, const char *kind);
/* The approval a mechanism needs before it may run for people in country. */
enum policy_approval policy_mechanism_approval(const struct policy *p,
                                               const struct policy_mechanism *m,
                                               const char *country);
/* Retention for a category in a country (a country override wins, for a
 * category kept by country). */
struct policy_retention policy_retention_for(const struct policy *p, enum policy_category c,
                                             const char *country);
bool policy_forced_ranking_allowed(const struct policy *p, const char *country);
bool policy_demographics_reader(const struct policy *p, const char *role);
bool policy_signoff_approver(const struct policy *p, const char *employee_id);

#endif
