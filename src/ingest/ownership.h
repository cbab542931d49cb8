/*
 * ownership: which plumb service a source's thing belongs to: a GitHub
 * repository (or a path prefix in it, for monorepos), a Jenkins job, a
 * PagerDuty service or a Jira project.  Events are attributed through it, then to the owning
 * team as of the event's time (org_team_of_service_at).
 *
 * A path matches the mapping with the longest prefix that equals it or
 * ends at a '/' of it; '' maps the whole repository.  Results live in
 * ctx->arena.
 */
#ifndef PLUMB_OWNERSHIP_H
#define PLUMB_OWNERSHIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct ctx;

/* system is "github" (key OWNER/NAME, path a prefix or NULL), "jenkins"
 * (key a job), "pagerduty" (key a service id, as PIJ90N7) or "jira" (key a
 * project key, as PAY). */
struct ownership_key {
	const char *system, *key, *path;
};

/* Map key to service (which must exist); a mapping of the same key and
 * path to another service moves.  *changed is false when it was so already;
 * *stored gets the key as stored (a GitHub repository in lower case) and the
 * path ("" for the whole repository), in ctx->arena. */
int ownership_map(struct ctx *ctx, const char *service, const struct ownership_key *k,
                  bool *changed, int64_t *moved, struct ownership_key *stored, struct error *err);

struct ownership_row {
	const char *system, *key, *path, *service;
	int64_t updated_at;
};
/* Every mapping, sorted by system, key, path. */
int ownership_list(struct ctx *ctx, struct ownership_row **out, size_t *n, struct error *err);

/* A service no team owns now (ingest makes one of each unmapped thing), with
 * what it holds, so an admin sees which need a team first. */
struct ownership_unowned {
	const char *service;
	int64_t events, newest; /* newest: the latest event's time, 0 when none */
	const char **mapped;    /* "github:acme/x", "github:acme/x/web", "jenkins:job" */
	size_t nmapped;
};
/* Every unowned service, most events first, then by name. */
int ownership_unowned(struct ctx *ctx, struct ownership_unowned **out, size_t *n,
                      struct error *err);

/* The service k belongs to (k->path: a file path in the repository, or
 * NULL); ERR_NOT_FOUND when no mapping covers it. */
int ownership_owner_of(struct ctx *ctx, const struct ownership_key *k, struct ownership_row *out,
                       struct error *err);
/* The same inside a caller's operation; *found false when none covers it. */
int ownership_resolve_tx(struct ctx *ctx, const struct ownership_key *k, struct ownership_row *out,
                         bool *found, struct error *err);

/* Many mappings from one YAML file, in one transaction, all or nothing:
 *
 *   services:
 *     payments:
 *       repos: [acme/payments, {repo: acme/mono, path: services/pay}]
 *       jobs: [payments/deploy]
 *       pagerduty: [PIJ90N7]
 *       jira_projects: [PAY]
 *
 * Each entry as ownership_map (audited as service.map when it changes);
 * mappings the file does not name are kept.  Errors say "FILE:LINE: ...". */
struct ownership_file_result {
	int64_t entries, changed, unchanged;
	int64_t moved; /* stored events that went to another service */
};
int ownership_map_file(struct ctx *ctx, const char *name, const char *data, size_t len,
                       struct ownership_file_result *res, struct error *err);
/* The checks ownership_map_file makes of the file before the database:
 * *entries is how many mappings it holds.  No database: only ctx's arena is
 * used (the fuzz target, tests/fuzz/fuzz_yaml.c, calls it so).  Errors as
 * ownership_map_file's. */
int ownership_check_file(struct ctx *ctx, const char *name, const char *data, size_t len,
                         size_t *entries, struct error *err);

/* The name of the service a thing no mapping covers becomes: "acme.payments"
 * for acme/payments, "jenkins.deploy-api", "pagerduty.PIJ90N7", "jira.PAY".  Bytes a
 * service name may not hold become '-' (a run of them one '-'), and a name
 * so altered, or longer than ORG_NAME_MAX, is cut to fit and ends in '-'
 * and the first 8 hex digits of SHA-256("SYSTEM:KEY"), so that two keys
 * never share a name ("jenkins.Deploy-Web-prod-1f0c9a2b").  Deterministic;
 * in ctx->arena. */
const char *ownership_adopted_name(struct ctx *ctx, const char *system, const char *key);

/* A thing no mapping covers (system github, jenkins, pagerduty or jira) becomes
 * a service of its own, unowned until a team is assigned: the service
 * named by ownership_adopted_name (an existing service of that name is
 * used, unless something else is mapped to it: then the name carries the
 * key's hash, as an altered one does), mapped as a whole.  Audited (service.create when created,
 * service.map); inside a write operation.  *created says whether the
 * service is new.  renamed_from: the key the thing had before a rename
 * upstream, or NULL; when that key is mapped as a whole, key is mapped to
 * its service instead (*inherited), so the rename keeps its team; when
 * only directories of it are mapped, key takes those mappings and no
 * service (*service_id 0, *service_name NULL), as a repository split on
 * purpose is not adopted. */
int ownership_adopt_tx(struct ctx *ctx, const char *system, const char *key,
                       const char *renamed_from, int64_t *service_id, const char **service_name,
                       bool *created, bool *inherited, struct error *err);

/* A thing renamed upstream (renamed_from: the key it had) that ingest made a
 * service of its own before the rename showed (a repository's push came
 * before its pull requests): when that service is still as ingest made it
 * (named for the key, never owned by a team, mapped from the key alone) and
 * renamed_from is mapped as a whole to another, key is mapped to that one
 * instead, its stored events following it (each with the team as of its
 * time), and takes renamed_from's directory mappings, as ownership_adopt_tx
 * maps an unmapped one (*inherited).  Audited as that; inside a write
 * operation. */
int ownership_rename_adopted_tx(struct ctx *ctx, const char *system, const char *key,
                                const char *renamed_from, bool *inherited, struct error *err);
/* Whether key is mapped to the service ingest made for it and nothing else
 * has changed that: what ownership_rename_adopted_tx may re-map. */
int ownership_adopted_as_made_tx(struct ctx *ctx, const char *system, const char *key, bool *bare,
                                 struct error *err);

#endif
