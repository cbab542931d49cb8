/*
 * org: the organization model.  People, teams (a tree of permanent and
 * project teams), reporting lines, levels, services and their owning teams,
 * and identities in other systems (github, jira, pagerduty, email).
 *
 * Team membership, manager, level and service ownership are effective-dated
 * history (valid_from inclusive, valid_to exclusive, NULL = current), so an
 * event can be attributed to the team a person or service belonged to on
 * that day (org_team_of_person_at, org_team_of_service_at).
 *
 * Entry points named org_*_tx run inside an operation the caller began
 * (ctx_op_begin) and leave committing to it; the others begin and commit
 * their own operation.  Everything returned lives in ctx->arena.
 */
#ifndef PLUMB_ORG_H
#define PLUMB_ORG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct ctx;

#define ORG_NAME_MAX 64

/* Employee ids and service names: letters, digits, '-', '_', '.'; 1 to 64. */
bool org_valid_name(const char *s);

#define ORG_TEXT_MAX        200  /* names, titles, team names, logins */
#define ORG_DESCRIPTION_MAX 1000 /* service descriptions */
/* Free text that ends up in tables, terminals and JSON: one line of UTF-8,
 * no control characters, at most max bytes. */
bool org_valid_text(const char *s, size_t max);
/* Whether s holds more than spaces, tabs and line breaks: a reason a rule asks for is
 * not given by "   " (found in review: accepted as one). */
bool org_has_text(const char *s);
/* A --reason a write records: one line of text of at most ORG_TEXT_MAX
 * bytes, not blank.  ERR_USAGE naming the rule it broke otherwise. */
int org_check_reason(const char *reason, struct error *err);
/* One address: something@something, valid UTF-8, no spaces (no-break and
 * zero-width ones too, utf8_blank_len) or list separators. */
bool org_valid_email(const char *s);

/* ---- import ---------------------------------------------------------- */

/* One person as read from a file; strings are "" when the field is empty. */
struct org_row {
	long line;
	const char *employee_id, *name, *email, *manager_id, *team, *title, *level, *track;
	const char *role_profile, *country, *start_date, *end_date, *parent_team, *team_kind;
	const char *github_login, *jira_account_id, *pagerduty_user_id, *emails;
};

/* Teams and services listed explicitly (YAML form). */
struct org_team_row {
	long line;
	const char *name, *kind, *parent;
};

struct org_service_row {
	long line;
	const char *name, *team, *description;
};

struct org_import_input {
	const char *file_name;
	struct org_row *rows;
	size_t nrows;
	struct org_team_row *teams;
	size_t nteams;
	struct org_service_row *services;
	size_t nservices;
	const char **ignored_columns; /* extra CSV columns, reported */
	size_t nignored;
};

enum org_format { ORG_FORMAT_AUTO, ORG_FORMAT_CSV, ORG_FORMAT_YAML };

struct org_import_options {
	int64_t effective; /* history changes take effect at this time; 0: today */
	bool full;         /* end people absent from the file */
	bool dry_run;      /* validate and count, write nothing */
	int64_t as_of;     /* "now" for who has left; 0: the clock (the demo pins it) */
};

struct org_import_summary {
	int64_t effective; /* the time changes took effect */
	int64_t rows;
	int64_t people_created, people_updated, people_unchanged, people_ended;
	int64_t teams_created, teams_updated;
	int64_t services_created, services_updated;
	int64_t identities_added;
	int64_t history_rows; /* effective-dated rows opened by changes */
	/* Stored events that new accounts or primary emails gave another
	 * person, those left with a person under a legal hold, and those now
	 * matched to nobody that the policy holds pseudonymized.  Those the
	 * consent gate of the person they would go to kept back: deleted, or
	 * held pseudonymized (consent_gate_reattributed_tx; the ones a hold kept
	 * from that are in events_kept_by_hold), for want of their consent, or
	 * deleted for want of the approval their country names. */
	int64_t events_reattributed, events_kept_by_hold, events_held;
	int64_t events_deleted_no_consent, events_held_no_consent, events_deleted_no_approval;
	const char **ignored_columns;
	size_t nignored;
};

/* Parse CSV or YAML (by extension, or format) into input (arena memory). */
int org_parse(struct ctx *ctx, const char *name, enum org_format format, const char *data,
              size_t len, struct org_import_input *input, struct error *err);
/* Validate the whole input, then apply it; all-or-nothing.  Errors name
 * file, line and field.  Runs inside the caller's write operation. */
int org_import_tx(struct ctx *ctx, const struct org_import_input *input,
                  const struct org_import_options *opts, struct org_import_summary *summary,
                  struct error *err);
/* Read, parse and import a file as operation org.import. */
int org_import_file(struct ctx *ctx, const char *path, enum org_format format,
                    const struct org_import_options *opts, struct org_import_summary *summary,
                    struct error *err);

/* ---- services -------------------------------------------------------- */

/* Create a service or move it to team from `effective` on (0: today). */
/* Ids by name inside the caller's operation: ERR_NOT_FOUND naming the team
 * or employee id when there is none. */
int org_team_id(struct ctx *ctx, const char *name, int64_t *id, struct error *err);
int org_person_id(struct ctx *ctx, const char *employee_id, int64_t *id, struct error *err);
/* The employee id of the record person merge folded person_id into (in the
 * ctx's arena), or NULL when it was not merged. */
int org_merged_into(struct ctx *ctx, int64_t person_id, const char **employee_id,
                    struct error *err);

int org_service_set_tx(struct ctx *ctx, const char *name, const char *team, const char *description,
                       int64_t effective, bool *created, bool *changed, struct error *err);
/* As operation service.set; there, the current owner given an earlier
 * `effective` starts then, where no other team owned the service (ERR_CONFLICT
 * otherwise).  org_service_set_tx (imports, the demo) leaves the start. */
int org_service_set(struct ctx *ctx, const char *name, const char *team, const char *description,
                    int64_t effective, bool *created, bool *changed, struct error *err);

struct org_service {
	const char *name, *description, *team;
	int64_t owned_since;
};
int org_service_list(struct ctx *ctx, struct org_service **out, size_t *n, struct error *err);

/* ---- reads ----------------------------------------------------------- */

struct org_history_row {
	const char *kind;  /* "team", "manager", "level" */
	const char *value; /* team name, manager employee id, level */
	int64_t valid_from;
	int64_t valid_to;
	bool open; /* valid_to is NULL */
};

struct org_identity {
	const char *system, *login;
};

struct org_person {
	int64_t id;
	const char *employee_id, *name, *email, *title, *country, *track, *role_profile;
	int64_t start_date, end_date;
	bool has_end_date;
	bool active; /* employed now: started, no end date or one still ahead, not merged */
	const char *level, *team, *manager_id, *manager_name; /* current; NULL when none */
	int64_t direct_reports;
	struct org_identity *identities;
	size_t nidentities;
	struct org_history_row *history;
	size_t nhistory;
	const char *merged_into; /* person show: the record this one was merged into */
	bool manager_visible;    /* person show: the actor may see the manager's record too */
	/* Shown to a masked reader in clear as theirs (mask_own_person: their
	 * linked person or a record merged into it); false for other readers. */
	bool own;
};

/* One person with identities and history; checks the actor's scope. */
int org_person_show(struct ctx *ctx, const char *employee_id, struct org_person **out,
                    struct error *err);
/* People the actor may see (brief: no identities or history), sorted by
 * employee id; team limits to a team and its subteams. */
int org_person_list(struct ctx *ctx, const char *team, struct org_person **out, size_t *n,
                    struct error *err);
int org_identity_resolve(struct ctx *ctx, const char *system, const char *login,
                         struct org_person **out, struct error *err);

struct org_team {
	int64_t id;
	const char *name, *kind, *parent;
	int depth;                       /* in the tree listing */
	int64_t members;                 /* current direct members */
	int64_t members_total;           /* with subteams */
	int64_t services;                /* currently owned */
	const char *lead_id, *lead_name; /* most common manager of members outside the team */
};

struct org_summary {
	int64_t people_active, people_ended, people_starting, people_merged, teams, project_teams,
	        services, identities, users;
	int64_t countries;
};

int org_show(struct ctx *ctx, struct org_summary *summary, struct org_team **teams, size_t *nteams,
             struct error *err);
/* Teams in tree order (children sorted by name) from root (NULL = all roots). */
int org_tree(struct ctx *ctx, const char *root, struct org_team **out, size_t *n,
             struct error *err);

/* Find or create a service without an owner (an unmapped repository met at
 * ingest); ERR_INVALID for a name services cannot have.  Inside a write
 * operation; the caller audits. */
int org_service_ensure_tx(struct ctx *ctx, const char *name, const char *description,
                          int64_t *service_id, bool *created, struct error *err);

/* SQL: the person row aliased p is still with the org at the moment the
 * SQL expression now gives: no end date or one after it, and not merged
 * into another record (person merge): a merged record's human is counted,
 * reviewed and managed as the record it went into, so it counts as having
 * left at its merge. */
#define ORG_PERSON_CURRENT(p, now)                                                                 \
	"(" p ".end_date IS NULL OR " p ".end_date > " now ") AND NOT EXISTS (SELECT 1 FROM "      \
	"person_merges pm WHERE pm.from_person_id = " p ".id)"

/* SQL: the person record that the SQL expression p (a person id) is one
 * human's: the record person merge kept, p's own or the one p went into.
 * person merge keeps person_merges one step deep (a merge into a merged
 * record is refused; merging a record moves those merged into it along). */
#define ORG_HUMAN(p)                                                                               \
	"COALESCE((SELECT hm.into_person_id FROM person_merges hm WHERE hm.from_person_id = " p    \
	"), " p ")"

/* SQL: how near the record the SQL expression p (a person id) is to the one
 * its human is reviewed as: the record person merge kept first, then the
 * records merged into it, the later merged first (in a chain A into B, then
 * B into C, B was the record A went into).  Of a human's records enrolled
 * in a cycle, person merge withdraws all but the nearest. */
#define ORG_RECORD_RANK(p)                                                                         \
	"COALESCE((SELECT rk.merged_at FROM person_merges rk WHERE rk.from_person_id = " p         \
	"), 9223372036854775807)"

/* SQL: the event person column col is the person the SQL expression p
 * gives, or the record that person was merged into: a merge moves a
 * record's events but leaves its review with it, so its evidence is still
 * the one human's events. */
#define ORG_EVENT_OF_PERSON(col, p)                                                                \
	"(" col " = " p " OR " col " = (SELECT pm.into_person_id FROM person_merges pm WHERE "     \
	"pm.from_person_id = " p "))"

/* The team that owned a service when something happened, as an SQL
 * expression over two SQL expressions: the service id and the time. */
#define ORG_TEAM_OF(service, at)                                                                   \
	"(SELECT o.team_id FROM service_owners o WHERE o.service_id = " service " AND "            \
	"o.valid_from <= " at " AND (o.valid_to IS NULL OR o.valid_to > " at ") "                  \
	"ORDER BY o.valid_from DESC LIMIT 1)"
#define ORG_TEAM_OF_EVENT ORG_TEAM_OF("events.service_id", "events.occurred_at")

/* Attribution: the team a person or service belonged to at time at
 * (0 when none).  Usable inside or outside an operation. */
int org_team_of_person_at(struct ctx *ctx, int64_t person_id, int64_t at, int64_t *team_id,
                          struct error *err);
int org_team_of_service_at(struct ctx *ctx, int64_t service_id, int64_t at, int64_t *team_id,
                           struct error *err);

#endif
