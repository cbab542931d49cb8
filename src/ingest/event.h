/*
 * event: the normalized record every parser produces and ingestion stores:
 * one change (commit), pull request, review, deployment, CI run, incident
 * or work item, in UTC milliseconds, with the source account behind it and
 * the thing (repository, job, incident service) that says which service it
 * belongs to.
 *
 * Parsers fill a struct event with strings borrowed from their document;
 * they are valid only during the emit call.  Statuses are normalized to a
 * small vocabulary per kind (event_status_valid) so metrics never see a
 * source's own spelling; the source's spelling goes into attrs.
 */
#ifndef PLUMB_EVENT_H
#define PLUMB_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

#define EVENT_KINDS(X)                                                                             \
	X(COMMIT, "commit")                                                                        \
	X(PULL_REQUEST, "pull_request")                                                            \
	X(REVIEW, "review")                                                                        \
	X(DEPLOYMENT, "deployment")                                                                \
	X(CI_RUN, "ci_run")                                                                        \
	X(INCIDENT, "incident")                                                                    \
	X(WORK_ITEM, "work_item")

#define EVENT_KIND_ENUM_(id, name) EVENT_##id,
enum event_kind { EVENT_KINDS(EVENT_KIND_ENUM_) EVENT_KIND_COUNT };
#undef EVENT_KIND_ENUM_

struct event {
	enum event_kind kind;
	/* Unique per source and kind: a commit's sha, "OWNER/NAME#12" for a
	 * pull request, a review's id, a deployment's id, a run's id, an
	 * incident's id, an issue key.  The last two change upstream (a
	 * renamed repository, a moved issue); their source's own id, which
	 * does not, goes into attrs.id, for ingestion to match by (rekey.h). */
	const char *external_id;
	/* What it belongs to, for ownership: owner_system "github" (owner_key
	 * OWNER/NAME), "jenkins" (a job), "pagerduty" (a service id), "deploy"
	 * (a plumb service name, given by the deploy event itself) or "jira"
	 * (a project key); NULL when the record names none. */
	const char *owner_system, *owner_key;
	/* Who: the account in the source system (account_system "github",
	 * "jira", "jenkins", "pagerduty"), with an email and display name when
	 * the source gives them.  All NULL when nobody is named. */
	const char *account_system, *account, *account_email, *account_name;
	bool bot; /* the source itself says the account is a bot */
	/* The source says nobody is named (a Jira issue's "assignee": null,
	 * unassigned), with account_system its system and no account: a newer
	 * snapshot then clears the account an older one gave, where one that
	 * merely lacks the field keeps it. */
	bool account_cleared;
	/* occurred_at: created, authored or started; ended_at: merged, closed,
	 * finished or resolved; updated_at: the source's last change. */
	int64_t occurred_at;
	int64_t ended_at, updated_at;
	bool has_ended, has_updated;
	/* ended_at is not the source's but implied (a deploy event's success
	 * without its finish, as it started): ingestion keeps a finish another
	 * delivery of the record gave over it. */
	bool end_implied;
	const char *status;      /* event_status_valid for the kind, or NULL */
	const char *environment; /* deployments, CI runs where known */
	const char *sha, *ref;   /* the commit it is about, the branch or tag */
	const char *number;      /* PR number, issue key, build or incident number */
	const char *title;
	const char *url;
	/* The record this one belongs to: a review's pull request
	 * ("OWNER/NAME#12"), a commit's pull request when known. */
	const char *parent_id;
	/* Kind-specific detail as one JSON object (parents of a commit, a work
	 * item's status transitions, a PR's merged flag), or NULL. */
	const char *attrs;
};

const char *event_kind_name(enum event_kind k);
/* ERR_INVALID naming the kinds when s is none of them. */
int event_kind_parse(const char *s, enum event_kind *out, struct error *err);

/* The normalized statuses:
 *   pull_request: open, merged, closed
 *   review:       approved, changes_requested, commented, dismissed, pending
 *   deployment:   success, failure, error, in_progress, pending, queued, inactive
 *   ci_run:       success, failure, cancelled, skipped, in_progress, queued
 *   incident:     triggered, acknowledged, resolved
 *   work_item:    todo, in_progress, done (Jira's status category)
 *   commit:       none (NULL) */
bool event_status_valid(enum event_kind k, const char *status);

/* Whether a login is a bot by name alone: "[bot]" suffix, dependabot,
 * renovate and the other well-known automation accounts, in any case of
 * their ASCII letters; so too a GitHub noreply address of one
 * ("49699333+dependabot[bot]@users.noreply.github.com"). */
bool event_login_is_bot(const char *login);

#endif
