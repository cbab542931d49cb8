#include "ingest/event.h"

#include <string.h>
#include <strings.h>

#define EVENT_KIND_NAME_(id, name) name,
static const char *const kind_names[] = {EVENT_KINDS(EVENT_KIND_NAME_)};
#undef EVENT_KIND_NAME_

const char *event_kind_name(enum event_kind k)
{
	return (unsigned)k < EVENT_KIND_COUNT ? kind_names[k] : "?";
}

int event_kind_parse(const char *s, enum event_kind *out, struct error *err)
{
	for (int k = 0; k < EVENT_KIND_COUNT; k++)
		if (s && strcmp(s, kind_names[k]) == 0) {
			*out = (enum event_kind)k;
			return 0;
		}
	return err_set(
	        err, ERR_INVALID,
	        "unknown event kind '%s': expected commit, pull_request, review, deployment, "
	        "ci_run, incident or work_item",
	        s ? s : "");
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

bool event_status_valid(enum event_kind k, const char *status)
{
	static const char *const pr[] = {"open", "merged", "closed", NULL};
	static const char *const review[] = {"approved",  "changes_requested", "commented",
	                                     "dismissed", "pending",           NULL};
	static const char *const deploy[] = {"success", "failure", "error",    "in_progress",
	                                     "pending", "queued",  "inactive", NULL};
	static const char *const ci[] = {"success",     "failure", "cancelled", "skipped",
	                                 "in_progress", "queued",  NULL};
	static const char *const incident[] = {"triggered", "acknowledged", "resolved", NULL};
	static const char *const work[] = {"todo", "in_progress", "done", NULL};
	if (!status)
		return true;
	switch (k) {
	case EVENT_PULL_REQUEST:
		return in_list(status, pr);
	case EVENT_REVIEW:
		return in_list(status, review);
	case EVENT_DEPLOYMENT:
		return in_list(status, deploy);
	case EVENT_CI_RUN:
		return in_list(status, ci);
	case EVENT_INCIDENT:
		return in_list(status, incident);
	case EVENT_WORK_ITEM:
		return in_list(status, work);
	default:
		return false;
	}
}

bool event_login_is_bot(const char *login)
{
	static const char *const known[] = {
	        "dependabot", "dependabot-preview", "renovate", "renovate-bot", "github-actions",
	        "snyk-bot",   "greenkeeper",        "mergify",  "codecov",      NULL};
	if (!login)
		return false;
	/* In any case of their ASCII letters: "Dependabot", "deploy[BOT]". */
	size_t n = strlen(login);
	/* A GitHub noreply address names its account: ID+LOGIN@ or LOGIN@ (a
	 * commit GitHub tied to no account, known by its email alone). */
	static const char noreply[] = "@users.noreply.github.com";
	size_t nr = sizeof noreply - 1;
	if (n > nr && strcasecmp(login + n - nr, noreply) == 0) {
		n -= nr;
		const char *plus = memchr(login, '+', n);
		if (plus) {
			n -= (size_t)(plus + 1 - login);
			login = plus + 1;
		}
	}
	if (n > 5 && strncasecmp(login + n - 5, "[bot]", 5) == 0)
		return true;
	for (const char *const *k = known; *k; k++)
		if (strlen(*k) == n && strncasecmp(login, *k, n) == 0)
			return true;
	return false;
}
