/*
 * source: the data sources plumb reads (GitHub, Jira, Jenkins, PagerDuty,
 * plain deploy events), each configured once under a name.  Credentials are
 * given as the *name* of an environment variable (a token, a webhook
 * secret) and only that name is stored, never its value.
 *
 * source_add validates everything before writing (each error names the
 * setting and what was expected) and records the change in the audit log;
 * results of source_list live in ctx->arena.
 */
#ifndef PLUMB_SOURCE_H
#define PLUMB_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct ctx;
typedef struct cJSON cJSON;

/* A list of strings given for a repeatable setting. */
struct source_list_arg {
	const char *const *items;
	size_t n;
};

/* What the caller asks for; NULL or empty lists for settings not given. */
struct source_spec {
	const char *kind; /* github, jira, jenkins, pagerduty, deploy */
	const char *name;
	const char *api_url; /* any kind: the API's base URL */
	const char *token_env;
	const char *webhook_secret_env;
	struct source_list_arg repos;            /* github: OWNER/NAME */
	const char *org;                         /* github: an organization ... */
	struct source_list_arg include, exclude; /* ... with repository name globs */
	const char *url;                         /* jira, jenkins: the server */
	const char *project;                     /* jira: a project key ... */
	const char *jql;                         /* ... or a JQL query */
	const char *job;                         /* jenkins */
	struct source_list_arg services;         /* pagerduty: service ids */
	/* Any kind: accounts to mark as bots besides the well-known ones (a
	 * company's own automation). */
	struct source_list_arg bots;
	/* Any kind: the team that owns the source's data (data ownership). */
	const char *owner;
};

int source_add(struct ctx *ctx, const struct source_spec *spec, struct error *err);

/* Change a source's settings: each given in changes (name, kind and owner
 * NULL) replaces the stored one, a list the whole list; each setting named
 * in unset (api-url, token-env, webhook-secret-env, bot, include, exclude,
 * service) is cleared.  The result is checked as source_add checks a new
 * source, in one transaction with its audit entry.  When the bots change,
 * the source's stored events are marked again: an account put on the list
 * becomes a bot's, one taken off a person's unless the built-in rules make
 * its login a bot's (event_login_is_bot).  out->kind lives in ctx->arena. */
struct source_set_result {
	const char *kind;
	int64_t marked, unmarked; /* events whose bot mark changed */
	int64_t held;             /* of unmarked, matched to nobody: held pseudonymized */
	int64_t cursors_reset;    /* a Jira, Jenkins or PagerDuty scope changed */
	bool unchanged;           /* the settings were so already: nothing written */
	/* The API URL the source's token now goes to, when the change gave it
	 * a token or moved where it goes; else NULL. */
	const char *token_to, *token_env;
};
int source_set(struct ctx *ctx, const char *name, const struct source_spec *changes,
               const char *const *unset, size_t nunset, struct source_set_result *out,
               struct error *err);

/* A source's pause: at 0 when it is not paused. */
struct source_pause {
	int64_t at;
	const char *by, *reason; /* reason: NULL when none was given */
};

/* The pause in columns col (paused_at), col + 1 (paused_by) and col + 2
 * (paused_reason) of st's row; its texts in a. */
struct store_stmt;
struct arena;
struct source_pause source_pause_read(struct store_stmt *st, int col, struct arena *a);

/* key: null, or {"at", "by", "reason"} (at as RFC 3339). */
struct jw;
void source_pause_json(struct jw *w, const char *key, const struct source_pause *p);
/* "since TIME by WHO[: REASON]", in a. */
const char *source_pause_text(struct arena *a, const struct source_pause *p);

/* Pause a source: no run of it (sync, file or webhook) begins until it is
 * resumed, and what it brought stays; a run going on finishes.  reason:
 * NULL or one line of text.  *changed is false when it was paused already
 * (nothing written); *state is the pause as stored.  Audited. */
int source_pause(struct ctx *ctx, const char *name, const char *reason, bool *changed,
                 struct source_pause *state, struct error *err);
/* Resume a paused source; *changed false when it was not paused.  *was is
 * the pause it ended (at 0 when none).  Audited. */
int source_resume(struct ctx *ctx, const char *name, bool *changed, struct source_pause *was,
                  struct error *err);
/* Forget source name's sync cursors, so that its next sync starts over,
 * from --since or the first sync's window (what it reads again is upserted
 * and changes nothing): after a window was missed (a cursor set in the
 * future, a bug since mended).  *cursors gets how many were forgotten (0:
 * nothing written, not audited).  Admin; audited with reason (NULL: none). */
int source_rewind(struct ctx *ctx, const char *name, const char *reason, int64_t *cursors,
                  struct error *err);

/* Remove a source that has brought no data (a name mistyped, a source added
 * by mistake), with its sharing.  One that has (a run, a payload, an event,
 * a delivery, a withheld record) is kept for its data's lineage:
 * ERR_CONFLICT, naming what it holds, nothing written; pause it instead.
 * Audited, with its settings. */
int source_remove(struct ctx *ctx, const char *name, struct error *err);

/* Over the API (a remote actor), a source's api-url or url, when given or
 * changed, must name a hosted API (api.github.com, api.pagerduty.com,
 * *.atlassian.net) or a host the server's operator allows (ctx's
 * source_hosts, plumb serve --source-host), else ERR_DENIED.  A pattern
 * there is HOST (any port), HOST:PORT, *.DOMAIN (any name under DOMAIN) or
 * an IPv6 address in brackets, compared in any case: ERR_USAGE otherwise. */
int source_host_pattern_check(const char *pattern, struct error *err);

/* GitHub OWNER/NAME: letters, digits, '-', '_', '.', neither part "." or "..". */
bool source_valid_repo(const char *repo);
/* A Jenkins job (folders as a/b): no empty, "." or ".." segment, no ?, # or
 * backslash, one line of at most 200 bytes. */
bool source_valid_job(const char *job);
/* A PagerDuty service id (PIJ90N7): upper-case letters and digits, at most 200, as source
 * add takes. */
bool source_valid_service_id(const char *id);
/* A Jira project key (PAY): upper-case letters, digits and '_', starting with
 * a letter, at most 64, as source add takes for --project. */
bool source_valid_project_key(const char *key);

/* Whether a github source whose settings are config (its stored config)
 * reads the repository OWNER/NAME: one of its --repo, or a repository of
 * its --org whose name matches an --include (when any is given) and no
 * --exclude.  Compared in any case, as GitHub compares names.  The one
 * scope for what sync fetches and which webhook deliveries are stored.
 * Pure; thread-safe. */
bool source_github_wants(const cJSON *config, const char *repository);
/* Whether a pagerduty source whose settings are config reads the service
 * whose id is service: one of its --service, or any when it names none, as
 * sync asks PagerDuty for.  Ids compare exactly, as PagerDuty's do.  Pure;
 * thread-safe. */
bool source_pagerduty_wants(const cJSON *config, const char *service);

struct source_info {
	const char *name;
	const char *kind;
	const char *config;                         /* the kind's settings, a JSON object */
	const char *token_env, *webhook_secret_env; /* NULL when not set */
	int64_t created_at;
	const char *owner;    /* the owning team, NULL when none */
	const char **readers; /* teams the owner lets read individual-level events */
	size_t nreaders;
	struct source_pause paused;
};

/* Every source, sorted by name. */
int source_list(struct ctx *ctx, struct source_info **out, size_t *n, struct error *err);

#endif
