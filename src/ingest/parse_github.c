/*
 * parse_github: GitHub's REST pages (pulls, reviews, commits, deployments,
 * deployment statuses, Actions workflow runs) and webhook bodies (push,
 * pull_request, pull_request_review, deployment, deployment_status,
 * workflow_run) mapped onto plumb's events.  Every field is type-checked
 * through pjson, so a bad document fails with its JSON path and nothing a
 * fuzzer can write makes it crash.
 */
#include "ingest/parse.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "ingest/pjson.h"
#include "ingest/source.h"

/* One document being parsed: where events go and what they count in. */
struct gh {
	struct pj *pj;
	const struct parse_input *in;
	parse_emit_fn emit;
	void *data;
	struct parse_page *page;
};

/* attrs are small; a cap keeps a hostile document from growing them. */
#define ATTRS_CAP ((size_t)1 << 20)

static int emit(struct gh *gh, const char *path, const struct event *ev)
{
	return parse_emit_checked(gh->pj, path, ev, gh->emit, gh->data, gh->page);
}

/* ---- small readers -------------------------------------------------------- */

/* The first line of a commit message, copied to the arena. */
static const char *first_line(struct gh *gh, const char *msg)
{
	if (!msg)
		return NULL;
	return arena_strndup(gh->pj->arena, msg, strcspn(msg, "\r\n"));
}

/* An account object (user, author, creator, actor): its login, and whether
 * GitHub itself calls it a bot (type "Bot").  Absent or null: no account,
 * and so is GitHub's "ghost", which takes the place of every deleted
 * account (https://github.com/ghost): many people's work under one login,
 * which linked to a person would give them all of it. */
static int account(struct gh *gh, const cJSON *obj, const char *path, const char *key,
                   const char **login, bool *bot)
{
	const cJSON *user;
	const char *type;
	*login = NULL;
	*bot = false;
	if (pj_obj(gh->pj, obj, path, key, &user) < 0)
		return -1;
	if (!user)
		return 0;
	const char *upath = pj_path(gh->pj, path, key);
	if (pj_account(gh->pj, user, upath, "login", "github", login) < 0 ||
	    pj_str(gh->pj, user, upath, "type", &type) < 0)
		return -1;
	if (*login && strcasecmp(*login, "ghost") == 0)
		*login = NULL;
	*bot = *login && type && strcmp(type, "Bot") == 0;
	return 0;
}

/* obj.key.full_name, or NULL when obj.key is absent. */
static int full_name(struct gh *gh, const cJSON *obj, const char *path, const char *key,
                     const char **out)
{
	const cJSON *repo;
	*out = NULL;
	if (pj_obj(gh->pj, obj, path, key, &repo) < 0)
		return -1;
	if (!repo)
		return 0;
	const char *rpath = pj_path(gh->pj, path, key);
	if (pj_str(gh->pj, repo, rpath, "full_name", out) < 0)
		return -1;
	/* The key of a service and of its events: what source add --repo and
	 * service map take (found in review: "../.." renamed a repository). */
	if (*out && !source_valid_repo(*out))
		return pj_fail(gh->pj, rpath, "full_name", "'%.80s': expected OWNER/NAME", *out);
	return 0;
}

/* A pull request's number, part of its events' keys (OWNER/NAME#N): a
 * positive integer, as GitHub numbers them. */
static int pull_number(struct gh *gh, const cJSON *pr, const char *path, const char **out)
{
	/* Said as for 0, before pj_id's message for any negative id. */
	const cJSON *v = pj_get(pr, "number");
	if (cJSON_IsNumber(v) && v->valuedouble < 0)
		return pj_fail(gh->pj, path, "number", "'%.0f': expected a positive integer",
		               v->valuedouble);
	if (pj_id_req(gh->pj, pr, path, "number", out) < 0)
		return -1;
	const char *n = *out;
	if (n[0] == '0' || n[strspn(n, "0123456789")])
		return pj_fail(gh->pj, path, "number", "'%.40s': expected a positive integer", n);
	return 0;
}

/* The path of an API url after https://HOST, past GitHub Enterprise's
 * /api/v3 prefix, when it is /repos/...: the text after "/repos/". */
static const char *after_repos(const char *url)
{
	const char *p = url ? strstr(url, "://") : NULL;
	if (!p || !(p = strchr(p + 3, '/')))
		return NULL;
	if (strncmp(p, "/api/v3/", 8) == 0)
		p += 7;
	return strncmp(p, "/repos/", 7) == 0 ? p + 7 : NULL;
}

/* "OWNER/NAME" from an API url (https://HOST/repos/OWNER/NAME/...), in the
 * arena, or NULL when the url names no repository. */
static const char *repo_of_url(struct gh *gh, const char *url)
{
	const char *owner = after_repos(url);
	if (!owner)
		return NULL;
	size_t n = strcspn(owner, "/?#");
	if (n == 0 || owner[n] != '/')
		return NULL;
	const char *name = owner + n + 1;
	size_t m = strcspn(name, "/?#");
	const char *repo = m ? arena_strndup(gh->pj->arena, owner, n + 1 + m) : NULL;
	return repo && source_valid_repo(repo) ? repo : NULL;
}

/* The numeric id in an API url of a repository's collection
 * (https://HOST/repos/OWNER/NAME/<collection>/<id>[/...]: "/pulls/12",
 * "/deployments/42"), in the arena, or NULL. */
static const char *id_in_url(struct gh *gh, const char *url, const char *collection)
{
	const char *p = after_repos(url);
	for (int segment = 0; p && segment < 2; segment++) {
		size_t n = strcspn(p, "/?#");
		p = n && p[n] == '/' ? p + n + 1 : NULL;
	}
	size_t clen = strlen(collection);
	if (!p || strncmp(p, collection, clen) != 0 || p[clen] != '/')
		return NULL;
	const char *id = p + clen + 1;
	size_t n = strspn(id, "0123456789");
	if (n == 0 || (id[n] && !strchr("/?#", id[n])))
		return NULL;
	return arena_strndup(gh->pj->arena, id, n);
}

/* The repository an item belongs to, from the first of keys (API urls) that
 * names one; NULL when none does.  A key of the wrong type is an error. */
static int repo_of_urls(struct gh *gh, const cJSON *obj, const char *path, const char *const *keys,
                        const char **out)
{
	*out = NULL;
	for (; *keys && !*out; keys++) {
		const char *url;
		if (pj_str(gh->pj, obj, path, *keys, &url) < 0)
			return -1;
		*out = repo_of_url(gh, url);
	}
	return 0;
}

static const char *const item_urls[] = {"url", "repository_url", "pull_request_url",
                                        "deployment_url", NULL};

static void set_owner(struct event *ev, const char *repo)
{
	ev->owner_system = repo ? "github" : NULL;
	ev->owner_key = repo;
}

static void set_account(struct event *ev, const char *login, bool bot)
{
	ev->account_system = login ? "github" : NULL;
	ev->account = login;
	ev->bot = login && bot;
}

/* A status word from a table of (GitHub's spelling, plumb's), compared
 * case-insensitively; NULL when the table has none. */
struct word_map {
	const char *github, *plumb;
};

static const char *map_word(const struct word_map *map, const char *s)
{
	for (; s && map->github; map++)
		if (strcasecmp(s, map->github) == 0)
			return map->plumb;
	return NULL;
}

static int map_status(struct gh *gh, const struct word_map *map, const cJSON *obj, const char *path,
                      const char *key, const char **out)
{
	const char *raw;
	if (pj_str_req(gh->pj, obj, path, key, &raw) < 0)
		return -1;
	if (!(*out = map_word(map, raw))) {
		struct sb known = SB_INIT;
		for (const struct word_map *m = map; m->github; m++)
			sb_printf(&known, "%s%s", m == map ? "" : ", ", m->github);
		pj_fail(gh->pj, path, key, "unknown value '%.80s': expected one of %s", raw,
		        known.buf);
		sb_release(&known);
		return -1;
	}
	return 0;
}

/* attrs: a JSON object written with jw, copied to the arena. */
static void attrs_begin(struct sb *sb, struct jw *w)
{
	sb_init(sb, ATTRS_CAP);
	jw_init(w, sb, false);
	jw_object_begin(w);
}

/* ERR_TOO_BIG naming the record at path when the attrs went over their cap:
 * dropped, they lost what ingestion matches a record by (attrs.id). */
static int attrs_end(struct gh *gh, const char *path, struct sb *sb, struct jw *w, const char **out)
{
	jw_object_end(w);
	return pj_sb_take(gh->pj, path, sb, out);
}

static void attrs_opt_str(struct jw *w, const char *key, const char *s)
{
	if (s)
		jw_kstr(w, key, s);
}

static void attrs_opt_int(struct jw *w, const char *key, int64_t v, bool has)
{
	if (has)
		jw_kint(w, key, v);
}

/* ---- pull requests ------------------------------------------------------- */

/* One pull request object (a REST pulls item, or a webhook's pull_request);
 * repo is the webhook's repository.full_name, used when base.repo has none. */
static int emit_pull(struct gh *gh, const cJSON *pr, const char *path, const char *repo)
{
	struct pj *pj = gh->pj;
	struct event ev = {.kind = EVENT_PULL_REQUEST};
	const cJSON *base, *head;
	const char *login, *state, *base_ref = NULL, *base_repo = NULL, *merge_sha, *id;
	bool bot, draft, has_draft, has_merged, has_closed;
	int64_t merged_at, closed_at;
	int64_t additions, deletions, commits, changed;
	bool has_add, has_del, has_commits, has_changed;

	if (pj_obj(pj, pr, path, "base", &base) < 0 || pj_obj(pj, pr, path, "head", &head) < 0)
		return -1;
	const char *base_path = pj_path(pj, path, "base"), *head_path = pj_path(pj, path, "head");
	if (pj_str(pj, base, base_path, "ref", &base_ref) < 0 ||
	    full_name(gh, base, base_path, "repo", &base_repo) < 0 ||
	    pj_sha(pj, head, head_path, "sha", &ev.sha) < 0 ||
	    pj_str(pj, head, head_path, "ref", &ev.ref) < 0)
		return -1;
	if (!repo && !base_repo && repo_of_urls(gh, pr, path, item_urls, &repo) < 0)
		return -1;
	repo = base_repo ? base_repo : repo;
	if (pull_number(gh, pr, path, &ev.number) < 0 || pj_id(pj, pr, path, "id", &id) < 0 ||
	    pj_str(pj, pr, path, "title", &ev.title) < 0 ||
	    account(gh, pr, path, "user", &login, &bot) < 0 ||
	    pj_time_req(pj, pr, path, "created_at", &ev.occurred_at) < 0 ||
	    pj_time(pj, pr, path, "updated_at", &ev.updated_at, &ev.has_updated) < 0 ||
	    pj_time(pj, pr, path, "merged_at", &merged_at, &has_merged) < 0 ||
	    pj_time(pj, pr, path, "closed_at", &closed_at, &has_closed) < 0 ||
	    pj_str(pj, pr, path, "state", &state) < 0 ||
	    pj_sha(pj, pr, path, "merge_commit_sha", &merge_sha) < 0 ||
	    pj_str(pj, pr, path, "html_url", &ev.url) < 0 ||
	    pj_bool(pj, pr, path, "draft", &draft, &has_draft) < 0 ||
	    pj_int(pj, pr, path, "additions", &additions, &has_add) < 0 ||
	    pj_int(pj, pr, path, "deletions", &deletions, &has_del) < 0 ||
	    pj_int(pj, pr, path, "commits", &commits, &has_commits) < 0 ||
	    pj_int(pj, pr, path, "changed_files", &changed, &has_changed) < 0)
		return -1;
	if (!repo)
		return pj_fail(pj, path, NULL,
		               "cannot tell the pull request's repository: no base.repo.full_name "
		               "and no API url naming /repos/OWNER/NAME");
	if (state && strcasecmp(state, "open") != 0 && strcasecmp(state, "closed") != 0)
		return pj_fail(pj, path, "state", "unknown value '%.80s': expected open or closed",
		               state);
	/* A pull request merged or closed before it was opened would give a
	 * negative cycle time. */
	const char *const end_keys[] = {"merged_at", "closed_at"};
	const int64_t ends[] = {merged_at, closed_at};
	const bool has_end[] = {has_merged, has_closed};
	for (int k = 0; k < 2; k++)
		if (has_end[k] && ends[k] < ev.occurred_at) {
			char at[TS_BUF], created[TS_BUF];
			return pj_fail(pj, path, end_keys[k],
			               "%s is before created_at %s: expected a time at or after "
			               "the pull request's creation",
			               ts_format(ends[k], at), ts_format(ev.occurred_at, created));
		}

	set_owner(&ev, repo);
	set_account(&ev, login, bot);
	ev.external_id = arena_printf(pj->arena, "%s#%s", repo, ev.number);
	if (has_merged)
		ev.status = "merged";
	else if (state ? strcasecmp(state, "closed") == 0 : has_closed)
		ev.status = "closed";
	else
		ev.status = "open";
	ev.has_ended = has_merged || has_closed;
	ev.ended_at = has_merged ? merged_at : closed_at;

	struct sb sb;
	struct jw w;
	attrs_begin(&sb, &w);
	/* GitHub's id of the pull request, which a renamed repository keeps
	 * while OWNER/NAME#N changes (ingestion matches it by this, rekey.h). */
	attrs_opt_str(&w, "id", id);
	attrs_opt_str(&w, "base", base_ref);
	if (has_draft)
		jw_kbool(&w, "draft", draft);
	jw_key(&w, "merged_at");
	jw_time(&w, merged_at, has_merged);
	jw_key(&w, "closed_at");
	jw_time(&w, closed_at, has_closed);
	/* Only a merged pull request's merge commit is real (an open one's is
	 * a test merge): it traces a squash or rebase merge back here. */
	if (has_merged)
		attrs_opt_str(&w, "merge_commit_sha", merge_sha);
	attrs_opt_int(&w, "additions", additions, has_add);
	attrs_opt_int(&w, "deletions", deletions, has_del);
	attrs_opt_int(&w, "commits", commits, has_commits);
	attrs_opt_int(&w, "changed_files", changed, has_changed);
	if (attrs_end(gh, path, &sb, &w, &ev.attrs) < 0)
		return -1;
	return emit(gh, path, &ev);
}

/* ---- reviews ------------------------------------------------------------- */

static const struct word_map review_states[] = {
        {"APPROVED", "approved"},   {"CHANGES_REQUESTED", "changes_requested"},
        {"COMMENTED", "commented"}, {"DISMISSED", "dismissed"},
        {"PENDING", "pending"},     {NULL, NULL},
};

/* One review; parent is "OWNER/NAME#N" when the caller knows it (webhooks),
 * else it comes from pull_request_url.  A review not yet submitted (no
 * submitted_at: a PENDING draft only its author sees) emits nothing. */
static int emit_review(struct gh *gh, const cJSON *rv, const char *path, const char *repo,
                       const char *parent)
{
	struct pj *pj = gh->pj;
	struct event ev = {.kind = EVENT_REVIEW};
	const char *login, *pr_url;
	bool bot, submitted;

	if (pj_id_req(pj, rv, path, "id", &ev.external_id) < 0 ||
	    pj_time(pj, rv, path, "submitted_at", &ev.occurred_at, &submitted) < 0 ||
	    account(gh, rv, path, "user", &login, &bot) < 0 ||
	    map_status(gh, review_states, rv, path, "state", &ev.status) < 0 ||
	    pj_sha(pj, rv, path, "commit_id", &ev.sha) < 0 ||
	    pj_str(pj, rv, path, "html_url", &ev.url) < 0 ||
	    pj_str(pj, rv, path, "pull_request_url", &pr_url) < 0)
		return -1;
	if (!submitted)
		return 0;
	if (!parent) {
		const char *number = id_in_url(gh, pr_url, "pulls");
		repo = repo_of_url(gh, pr_url);
		if (!number || !repo)
			return pj_fail(pj, path, "pull_request_url",
			               "expected an API url .../repos/OWNER/NAME/pulls/NUMBER, got "
			               "'%.120s'",
			               pr_url ? pr_url : "nothing");
		parent = arena_printf(pj->arena, "%s#%s", repo, number);
	}
	set_owner(&ev, repo);
	set_account(&ev, login, bot);
	ev.parent_id = parent;
	return emit(gh, path, &ev);
}

/* ---- commits ------------------------------------------------------------- */

/* A REST list-commits item: git's author and committer under commit, the
 * GitHub accounts (when GitHub matched the email to one) at the top. */
static int emit_rest_commit(struct gh *gh, const cJSON *c, const char *path)
{
	struct pj *pj = gh->pj;
	struct event ev = {.kind = EVENT_COMMIT};
	const cJSON *commit, *author, *committer, *parents;
	const char *login, *message, *repo;
	bool bot;

	if (pj_sha_req(pj, c, path, "sha", &ev.external_id) < 0 ||
	    pj_obj(pj, c, path, "commit", &commit) < 0)
		return -1;
	const char *cpath = pj_path(pj, path, "commit");
	if (!commit)
		return pj_fail(pj, path, "commit", "missing: expected an object");
	if (pj_obj(pj, commit, cpath, "author", &author) < 0 ||
	    pj_obj(pj, commit, cpath, "committer", &committer) < 0 ||
	    pj_str(pj, commit, cpath, "message", &message) < 0)
		return -1;
	const char *apath = pj_path(pj, cpath, "author");
	const char *kpath = pj_path(pj, cpath, "committer");
	if (pj_email(pj, author, apath, "email", &ev.account_email) < 0 ||
	    pj_str(pj, author, apath, "name", &ev.account_name) < 0 ||
	    pj_time_req(pj, author, apath, "date", &ev.occurred_at) < 0 ||
	    pj_time(pj, committer, kpath, "date", &ev.ended_at, &ev.has_ended) < 0 ||
	    account(gh, c, path, "author", &login, &bot) < 0 ||
	    pj_str(pj, c, path, "html_url", &ev.url) < 0 ||
	    pj_arr(pj, c, path, "parents", &parents) < 0 ||
	    repo_of_urls(gh, c, path, item_urls, &repo) < 0)
		return -1;
	ev.sha = ev.external_id;
	set_owner(&ev, repo);
	set_account(&ev, login, bot);
	if (!login)
		ev.account_system = ev.account_email || ev.account_name ? "github" : NULL;
	ev.title = first_line(gh, message);

	const char *ppath = pj_path(pj, path, "parents");
	struct sb sb;
	struct jw w;
	attrs_begin(&sb, &w);
	jw_key(&w, "parents");
	jw_array_begin(&w);
	size_t i = 0;
	const cJSON *p;
	cJSON_ArrayForEach(p, parents)
	{
		const char *sha;
		const char *at = pj_index(pj, ppath, i++);
		if (!cJSON_IsObject(p)) {
			sb_release(&sb);
			return pj_fail(pj, at, NULL, "expected an object with a sha");
		}
		if (pj_sha_req(pj, p, at, "sha", &sha) < 0) {
			sb_release(&sb);
			return -1;
		}
		jw_str(&w, sha);
	}
	jw_array_end(&w);
	if (attrs_end(gh, path, &sb, &w, &ev.attrs) < 0)
		return -1;
	return emit(gh, path, &ev);
}

/* One commits[] item of a push webhook. */
static int emit_push_commit(struct gh *gh, const cJSON *c, const char *path, const char *repo,
                            const char *ref)
{
	struct pj *pj = gh->pj;
	struct event ev = {.kind = EVENT_COMMIT};
	const cJSON *author;
	const char *message;
	bool distinct, has_distinct;

	if (!cJSON_IsObject(c))
		return pj_fail(pj, path, NULL, "expected a commit object");
	if (pj_sha_req(pj, c, path, "id", &ev.external_id) < 0 ||
	    pj_time_req(pj, c, path, "timestamp", &ev.occurred_at) < 0 ||
	    pj_str(pj, c, path, "message", &message) < 0 ||
	    pj_str(pj, c, path, "url", &ev.url) < 0 ||
	    pj_bool(pj, c, path, "distinct", &distinct, &has_distinct) < 0 ||
	    pj_obj(pj, c, path, "author", &author) < 0)
		return -1;
	const char *apath = pj_path(pj, path, "author");
	if (pj_account(pj, author, apath, "username", "github", &ev.account) < 0 ||
	    pj_email(pj, author, apath, "email", &ev.account_email) < 0 ||
	    pj_str(pj, author, apath, "name", &ev.account_name) < 0)
		return -1;
	ev.sha = ev.external_id;
	ev.ref = ref;
	ev.title = first_line(gh, message);
	ev.account_system = ev.account || ev.account_email || ev.account_name ? "github" : NULL;
	set_owner(&ev, repo);

	struct sb sb;
	struct jw w;
	attrs_begin(&sb, &w);
	if (has_distinct)
		jw_kbool(&w, "distinct", distinct);
	if (attrs_end(gh, path, &sb, &w, &ev.attrs) < 0)
		return -1;
	return emit(gh, path, &ev);
}

/* ---- deployments --------------------------------------------------------- */

/* What a deployment object says beyond the event's own columns. */
struct deploy_extra {
	const char *task, *original;
	bool prod, has_prod;
};

/* A deployment object's fields (a REST item, a webhook's deployment, or the
 * deployment a status webhook embeds) into ev and x; not its updated_at,
 * which a status's own time stands in for. */
static int deployment_fields(struct gh *gh, const cJSON *d, const char *path, struct event *ev,
                             struct deploy_extra *x)
{
	struct pj *pj = gh->pj;
	const char *login;
	bool bot;
	if (pj_id_req(pj, d, path, "id", &ev->external_id) < 0 ||
	    account(gh, d, path, "creator", &login, &bot) < 0 ||
	    pj_time_req(pj, d, path, "created_at", &ev->occurred_at) < 0 ||
	    pj_str(pj, d, path, "environment", &ev->environment) < 0 ||
	    /* Every deployment names its commit: without one the object is not a
	     * deployment (a page given the wrong --format). */
	    pj_sha_req(pj, d, path, "sha", &ev->sha) < 0 ||
	    pj_str(pj, d, path, "ref", &ev->ref) < 0 ||
	    pj_str(pj, d, path, "description", &ev->title) < 0 ||
	    pj_str(pj, d, path, "task", &x->task) < 0 ||
	    pj_str(pj, d, path, "original_environment", &x->original) < 0 ||
	    pj_bool(pj, d, path, "production_environment", &x->prod, &x->has_prod) < 0)
		return -1;
	set_account(ev, login, bot);
	return 0;
}

static void deployment_attrs(struct jw *w, const struct deploy_extra *x)
{
	attrs_opt_str(w, "task", x->task);
	if (x->has_prod)
		jw_kbool(w, "production_environment", x->prod);
	attrs_opt_str(w, "original_environment", x->original);
}

/* One deployment object (REST item or webhook's deployment). */
static int emit_deployment(struct gh *gh, const cJSON *d, const char *path, const char *repo)
{
	struct event ev = {.kind = EVENT_DEPLOYMENT};
	struct deploy_extra x;
	if (!repo && repo_of_urls(gh, d, path, item_urls, &repo) < 0)
		return -1;
	if (deployment_fields(gh, d, path, &ev, &x) < 0 ||
	    pj_time(gh->pj, d, path, "updated_at", &ev.updated_at, &ev.has_updated) < 0)
		return -1;
	set_owner(&ev, repo);

	struct sb sb;
	struct jw w;
	attrs_begin(&sb, &w);
	deployment_attrs(&w, &x);
	if (attrs_end(gh, path, &sb, &w, &ev.attrs) < 0)
		return -1;
	return emit(gh, path, &ev);
}

/* GitHub's deployment states.  A deployment to an environment with
 * protection rules (required reviewers, a wait timer) gets a status
 * "waiting" until it may go, then "queued": not started, as a workflow
 * run "waiting" is queued (run_states). */
static const struct word_map deploy_states[] = {
        {"success", "success"},   {"failure", "failure"},         {"error", "error"},
        {"inactive", "inactive"}, {"in_progress", "in_progress"}, {"queued", "queued"},
        {"pending", "pending"},   {"waiting", "queued"},          {NULL, NULL},
};

/* A deployment status, as a deployment event that carries the status: the
 * deployment's id, its state and when it changed.  dep is the webhook's
 * embedded deployment (everything the deployment webhook would give comes
 * from it, so the order the two arrive in changes nothing), or NULL for a
 * REST statuses item, whose deployment is named by deployment_url. */
static int emit_deploy_status(struct gh *gh, const cJSON *st, const char *path, const cJSON *dep,
                              const char *dep_path, const char *repo)
{
	struct pj *pj = gh->pj;
	struct event ev = {.kind = EVENT_DEPLOYMENT};
	struct deploy_extra x = {0};
	const char *status_id, *log_url, *dep_url, *status_env;
	int64_t at;

	if (pj_id(pj, st, path, "id", &status_id) < 0 ||
	    map_status(gh, deploy_states, st, path, "state", &ev.status) < 0 ||
	    pj_time_req(pj, st, path, "created_at", &at) < 0 ||
	    pj_str(pj, st, path, "environment", &status_env) < 0 ||
	    pj_str(pj, st, path, "log_url", &log_url) < 0 ||
	    pj_str(pj, st, path, "deployment_url", &dep_url) < 0)
		return -1;
	/* GitHub sends "" for a URL the status was created without, and older
	 * integrations set only target_url, which log_url replaced. */
	if ((!log_url || !*log_url) && pj_str(pj, st, path, "target_url", &log_url) < 0)
		return -1;
	if (log_url && !*log_url)
		log_url = NULL;
	if (!repo && repo_of_urls(gh, st, path, item_urls, &repo) < 0)
		return -1;
	if (dep) {
		if (deployment_fields(gh, dep, dep_path, &ev, &x) < 0)
			return -1;
	} else {
		ev.external_id = id_in_url(gh, dep_url, "deployments");
		if (!ev.external_id)
			return pj_fail(
			        pj, path, "deployment_url",
			        "expected an API url .../repos/OWNER/NAME/deployments/ID, got "
			        "'%.120s'",
			        dep_url ? dep_url : "nothing");
		ev.occurred_at = at;
	}
	if (status_env)
		ev.environment = status_env;
	ev.updated_at = at;
	ev.has_updated = true;
	if (!strcmp(ev.status, "success") || !strcmp(ev.status, "failure") ||
	    !strcmp(ev.status, "error")) {
		/* A status before its deployment was created would count the
		 * deployment before it existed (found in review). */
		if (at < ev.occurred_at) {
			char t0[TS_BUF], t1[TS_BUF];
			return pj_fail(
			        pj, path, "created_at",
			        "%s is before the deployment's created_at %s: expected a time "
			        "at or after it",
			        ts_format(at, t0), ts_format(ev.occurred_at, t1));
		}
		ev.ended_at = at;
		ev.has_ended = true;
	}
	set_owner(&ev, repo);

	struct sb sb;
	struct jw w;
	attrs_begin(&sb, &w);
	deployment_attrs(&w, &x);
	attrs_opt_str(&w, "status_id", status_id);
	attrs_opt_str(&w, "log_url", log_url);
	if (attrs_end(gh, path, &sb, &w, &ev.attrs) < 0)
		return -1;
	return emit(gh, path, &ev);
}

/* ---- workflow runs ------------------------------------------------------- */

/* A run still going: GitHub's status words. */
static const struct word_map run_states[] = {
        {"queued", "queued"},  {"requested", "queued"},        {"waiting", "queued"},
        {"pending", "queued"}, {"in_progress", "in_progress"}, {NULL, NULL},
};

/* A completed run's conclusion to plumb's ci_run status:
 *   success                                  -> success
 *   neutral (finished, judged neither way)   -> success
 *   failure, timed_out, startup_failure      -> failure
 *   action_required, stale (never got green) -> failure
 *   cancelled                                -> cancelled
 *   skipped                                  -> skipped
 * The raw conclusion stays in attrs.conclusion. */
static const struct word_map run_conclusions[] = {
        {"success", "success"},         {"neutral", "success"},
        {"failure", "failure"},         {"timed_out", "failure"},
        {"startup_failure", "failure"}, {"action_required", "failure"},
        {"stale", "failure"},           {"cancelled", "cancelled"},
        {"skipped", "skipped"},         {NULL, NULL},
};

/* One workflow run (REST item or webhook's workflow_run); repo is the
 * webhook's repository.full_name, used when the run carries none. */
static int emit_run(struct gh *gh, const cJSON *run, const char *path, const char *repo)
{
	struct pj *pj = gh->pj;
	struct event ev = {.kind = EVENT_CI_RUN};
	const char *login, *status, *conclusion, *event_name, *workflow_id, *run_repo;
	int64_t attempt, started;
	bool bot, has_attempt, has_started, has_created;

	if (pj_id_req(pj, run, path, "id", &ev.external_id) < 0 ||
	    full_name(gh, run, path, "repository", &run_repo) < 0 ||
	    account(gh, run, path, "actor", &login, &bot) < 0 ||
	    pj_time(pj, run, path, "run_started_at", &started, &has_started) < 0 ||
	    pj_time(pj, run, path, "created_at", &ev.occurred_at, &has_created) < 0 ||
	    pj_time(pj, run, path, "updated_at", &ev.updated_at, &ev.has_updated) < 0 ||
	    pj_str_req(pj, run, path, "status", &status) < 0 ||
	    pj_str(pj, run, path, "conclusion", &conclusion) < 0 ||
	    pj_sha(pj, run, path, "head_sha", &ev.sha) < 0 ||
	    pj_str(pj, run, path, "head_branch", &ev.ref) < 0 ||
	    pj_id(pj, run, path, "run_number", &ev.number) < 0 ||
	    pj_str(pj, run, path, "name", &ev.title) < 0 ||
	    pj_str(pj, run, path, "html_url", &ev.url) < 0 ||
	    pj_str(pj, run, path, "event", &event_name) < 0 ||
	    pj_id(pj, run, path, "workflow_id", &workflow_id) < 0 ||
	    pj_int(pj, run, path, "run_attempt", &attempt, &has_attempt) < 0)
		return -1;
	if (run_repo)
		repo = run_repo;
	else if (!repo && repo_of_urls(gh, run, path, item_urls, &repo) < 0)
		return -1;
	if (has_started)
		ev.occurred_at = started;
	else if (!has_created)
		return pj_fail(
		        pj, path, "created_at",
		        "missing: expected an RFC 3339 time (the run has no run_started_at)");
	if (strcasecmp(status, "completed") == 0) {
		if (!conclusion)
			return pj_fail(pj, path, "conclusion",
			               "missing: a completed run needs its conclusion");
		if (map_status(gh, run_conclusions, run, path, "conclusion", &ev.status) < 0)
			return -1;
		ev.ended_at = ev.updated_at;
		ev.has_ended = ev.has_updated;
		if (ev.has_ended && ev.ended_at < ev.occurred_at) {
			char t0[TS_BUF], t1[TS_BUF];
			return pj_fail(pj, path, "updated_at",
			               "%s is before the run's start %s: expected a completed run "
			               "to end at or after it",
			               ts_format(ev.ended_at, t0), ts_format(ev.occurred_at, t1));
		}
	} else if (!(ev.status = map_word(run_states, status))) {
		return pj_fail(pj, path, "status",
		               "unknown value '%.80s': expected one of queued, requested, waiting, "
		               "pending, in_progress, completed",
		               status);
	}
	set_owner(&ev, repo);
	set_account(&ev, login, bot);

	struct sb sb;
	struct jw w;
	attrs_begin(&sb, &w);
	attrs_opt_str(&w, "event", event_name);
	attrs_opt_str(&w, "workflow_id", workflow_id);
	attrs_opt_int(&w, "run_attempt", attempt, has_attempt);
	/* A run not completed has no conclusion, said so: a re-run (its id
	 * kept) would otherwise keep the attempt before's, key by key (found in
	 * session 39's ingestion hunt: queued, with conclusion failure). */
	if (strcasecmp(status, "completed") == 0) {
		attrs_opt_str(&w, "conclusion", conclusion);
	} else {
		jw_key(&w, "conclusion");
		jw_null(&w);
	}
	if (attrs_end(gh, path, &sb, &w, &ev.attrs) < 0)
		return -1;
	return emit(gh, path, &ev);
}

/* ---- REST pages ---------------------------------------------------------- */

typedef int (*item_fn)(struct gh *gh, const cJSON *item, const char *path);

/* Each object of a REST array page through fn. */
static int each_item(struct gh *gh, const cJSON *doc, const char *what, item_fn fn)
{
	if (!cJSON_IsArray(doc))
		return pj_fail(gh->pj, "", NULL, "expected a JSON array of %s", what);
	size_t i = 0;
	const cJSON *item;
	cJSON_ArrayForEach(item, doc)
	{
		const char *path = pj_index(gh->pj, "", i++);
		if (!cJSON_IsObject(item))
			return pj_fail(gh->pj, path, NULL, "expected an object (one of the %s)",
			               what);
		int rc = fn(gh, item, path);
		if (rc)
			return rc;
	}
	return 0;
}

static int pull_item(struct gh *gh, const cJSON *item, const char *path)
{
	return emit_pull(gh, item, path, NULL);
}

static int review_item(struct gh *gh, const cJSON *item, const char *path)
{
	return emit_review(gh, item, path, NULL, NULL);
}

static int deployment_item(struct gh *gh, const cJSON *item, const char *path)
{
	return emit_deployment(gh, item, path, NULL);
}

static int status_item(struct gh *gh, const cJSON *item, const char *path)
{
	return emit_deploy_status(gh, item, path, NULL, NULL, NULL);
}

static int run_item(struct gh *gh, const cJSON *item, const char *path)
{
	return emit_run(gh, item, path, NULL);
}

#define GH_INIT                                                                                    \
	{                                                                                          \
		.pj = pj, .in = in, .emit = emit_fn, .data = data, .page = page                    \
	}

static int parse_pulls(struct pj *pj, const cJSON *doc, const struct parse_input *in,
                       parse_emit_fn emit_fn, void *data, struct parse_page *page)
{
	struct gh gh = GH_INIT;
	return each_item(&gh, doc, "pull requests (GET /repos/OWNER/NAME/pulls)", pull_item);
}

static int parse_reviews(struct pj *pj, const cJSON *doc, const struct parse_input *in,
                         parse_emit_fn emit_fn, void *data, struct parse_page *page)
{
	struct gh gh = GH_INIT;
	return each_item(&gh, doc, "reviews (GET /repos/OWNER/NAME/pulls/N/reviews)", review_item);
}

static int parse_commits(struct pj *pj, const cJSON *doc, const struct parse_input *in,
                         parse_emit_fn emit_fn, void *data, struct parse_page *page)
{
	struct gh gh = GH_INIT;
	return each_item(&gh, doc, "commits (GET /repos/OWNER/NAME/commits)", emit_rest_commit);
}

static int parse_deployments(struct pj *pj, const cJSON *doc, const struct parse_input *in,
                             parse_emit_fn emit_fn, void *data, struct parse_page *page)
{
	struct gh gh = GH_INIT;
	return each_item(&gh, doc, "deployments (GET /repos/OWNER/NAME/deployments)",
	                 deployment_item);
}

static int parse_statuses(struct pj *pj, const cJSON *doc, const struct parse_input *in,
                          parse_emit_fn emit_fn, void *data, struct parse_page *page)
{
	struct gh gh = GH_INIT;
	return each_item(&gh, doc, "deployment statuses (GET .../deployments/ID/statuses)",
	                 status_item);
}

static int parse_runs(struct pj *pj, const cJSON *doc, const struct parse_input *in,
                      parse_emit_fn emit_fn, void *data, struct parse_page *page)
{
	struct gh gh = GH_INIT;
	const cJSON *runs;
	int64_t total;
	bool has_total;
	if (!cJSON_IsObject(doc))
		return pj_fail(pj, "", NULL,
		               "expected an object {total_count, workflow_runs} (GET "
		               "/repos/OWNER/NAME/actions/runs)");
	if (pj_int(pj, doc, "", "total_count", &total, &has_total) < 0 ||
	    pj_arr(pj, doc, "", "workflow_runs", &runs) < 0)
		return -1;
	if (!runs)
		return pj_fail(pj, "", "workflow_runs", "missing: expected an array");
	/* As Jira's and PagerDuty's total: a sync checks what it read by it. */
	if (has_total && total < 0)
		return pj_fail(pj, "", "total_count", "%" PRId64 ": expected a count, 0 or more",
		               total);
	page->declared_total = total;
	page->has_total = has_total;
	size_t i = 0;
	const cJSON *run;
	cJSON_ArrayForEach(run, runs)
	{
		const char *path = pj_index(pj, "workflow_runs", i++);
		if (!cJSON_IsObject(run))
			return pj_fail(pj, path, NULL, "expected a workflow run object");
		int rc = run_item(&gh, run, path);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- webhooks ------------------------------------------------------------ */

/* The member key of body as a required object, with its path. */
static int hook_obj(struct gh *gh, const cJSON *body, const char *key, const cJSON **out)
{
	if (pj_obj(gh->pj, body, "", key, out) < 0)
		return -1;
	if (!*out)
		return pj_fail(gh->pj, "", key, "missing: expected an object");
	return 0;
}

static int hook_push(struct gh *gh, const cJSON *body, const char *repo)
{
	const cJSON *commits;
	const char *ref;
	/* Every push body has both: without them it is another event's body
	 * under the wrong --event. */
	if (pj_str_req(gh->pj, body, "", "ref", &ref) < 0 ||
	    pj_arr(gh->pj, body, "", "commits", &commits) < 0)
		return -1;
	if (!commits)
		return pj_fail(gh->pj, "", "commits", "missing: expected the array of a push body");
	size_t i = 0;
	const cJSON *c;
	cJSON_ArrayForEach(c, commits)
	{
		int rc = emit_push_commit(gh, c, pj_index(gh->pj, "commits", i++), repo, ref);
		if (rc)
			return rc;
	}
	return 0;
}

static int hook_pull_request(struct gh *gh, const cJSON *body, const char *repo)
{
	const cJSON *pr;
	if (hook_obj(gh, body, "pull_request", &pr) < 0)
		return -1;
	return emit_pull(gh, pr, "pull_request", repo);
}

/* The review, and the pull request it is on (the payload has it whole). */
static int hook_review(struct gh *gh, const cJSON *body, const char *repo)
{
	const cJSON *pr, *review, *base;
	const char *number, *base_repo;
	if (hook_obj(gh, body, "pull_request", &pr) < 0 ||
	    hook_obj(gh, body, "review", &review) < 0 ||
	    pull_number(gh, pr, "pull_request", &number) < 0 ||
	    pj_obj(gh->pj, pr, "pull_request", "base", &base) < 0 ||
	    full_name(gh, base, "pull_request.base", "repo", &base_repo) < 0)
		return -1;
	/* The pull request is stored under its base repository, the review's
	 * parent under the webhook's: GitHub sends one repository in both, and
	 * a body naming two would leave the review's parent naming no record. */
	if (base_repo && strcmp(base_repo, repo) != 0)
		return pj_fail(gh->pj, "pull_request.base.repo", "full_name",
		               "'%.80s' is not the webhook's repository '%.80s': expected the "
		               "repository the pull request is on",
		               base_repo, repo);
	int rc = emit_pull(gh, pr, "pull_request", repo);
	if (rc)
		return rc;
	return emit_review(gh, review, "review", repo,
	                   arena_printf(gh->pj->arena, "%s#%s", repo, number));
}

static int hook_deployment(struct gh *gh, const cJSON *body, const char *repo)
{
	const cJSON *dep;
	if (hook_obj(gh, body, "deployment", &dep) < 0)
		return -1;
	return emit_deployment(gh, dep, "deployment", repo);
}

static int hook_deployment_status(struct gh *gh, const cJSON *body, const char *repo)
{
	const cJSON *st, *dep;
	if (hook_obj(gh, body, "deployment_status", &st) < 0 ||
	    hook_obj(gh, body, "deployment", &dep) < 0)
		return -1;
	return emit_deploy_status(gh, st, "deployment_status", dep, "deployment", repo);
}

static int hook_workflow_run(struct gh *gh, const cJSON *body, const char *repo)
{
	const cJSON *run;
	if (hook_obj(gh, body, "workflow_run", &run) < 0)
		return -1;
	return emit_run(gh, run, "workflow_run", repo);
}

/* The webhook events plumb reads (X-GitHub-Event), one row each. */
static const struct gh_hook {
	const char *event;
	int (*parse)(struct gh *gh, const cJSON *body, const char *repo);
} hooks[] = {
        {"push", hook_push},
        {"pull_request", hook_pull_request},
        {"pull_request_review", hook_review},
        {"deployment", hook_deployment},
        {"deployment_status", hook_deployment_status},
        {"workflow_run", hook_workflow_run},
        {NULL, NULL},
};

#define SUPPORTED_HOOKS                                                                            \
	"push, pull_request, pull_request_review, deployment, deployment_status, workflow_run"

/* Telling an event from its body when no X-GitHub-Event came with it: the
 * first row whose top-level members are all present names it.  Order
 * matters: a deployment body also carries workflow_run, a review body its
 * pull_request, and a workflow_job body a deployment when its job deploys
 * to an environment (found in the parsers' hunt: stored as a deployment).
 * So too a deployment_protection_rule body, which carries the deployment
 * waiting on the rule, and a deployment_review body, the run waiting on
 * the review (found in the parsers' hunt: read as a deployment and as the
 * run); their own members are GitHub's webhook docs'.  Unsupported events
 * are here too, so the refusal can name them. */
static const struct gh_shape {
	const char *key, *also, *event;
} shapes[] = {
        {"review", "pull_request", "pull_request_review"},
        {"comment", "pull_request", "pull_request_review_comment"},
        {"thread", "pull_request", "pull_request_review_thread"},
        {"deployment_status", NULL, "deployment_status"},
        {"deployment_callback_url", NULL, "deployment_protection_rule"},
        {"workflow_job_run", NULL, "deployment_review"},
        {"workflow_job_runs", NULL, "deployment_review"},
        {"since", "workflow_run", "deployment_review"},
        {"workflow_job", NULL, "workflow_job"},
        {"deployment", NULL, "deployment"},
        {"workflow_run", NULL, "workflow_run"},
        {"check_run", NULL, "check_run"},
        {"check_suite", NULL, "check_suite"},
        {"pull_request", NULL, "pull_request"},
        {"comment", "issue", "issue_comment"},
        {"issue", NULL, "issues"},
        {"commits", "ref", "push"},
        {"master_branch", "ref_type", "create"},
        {"ref_type", "ref", "delete"},
        {"release", NULL, "release"},
        {"zen", NULL, "ping"},
        {NULL, NULL, NULL},
};

static const char *shape_event(const cJSON *body)
{
	for (const struct gh_shape *s = shapes; s->key; s++)
		if (pj_get(body, s->key) && (!s->also || pj_get(body, s->also)))
			return s->event;
	return NULL;
}

static int parse_webhook(struct pj *pj, const cJSON *doc, const struct parse_input *in,
                         parse_emit_fn emit_fn, void *data, struct parse_page *page)
{
	struct gh gh = GH_INIT;
	if (!cJSON_IsObject(doc))
		return pj_fail(pj, "", NULL, "expected a webhook body (a JSON object)");
	const char *event = in->event_name ? in->event_name : shape_event(doc);
	if (!event)
		return pj_fail(pj, "", NULL,
		               "cannot tell which GitHub webhook event this is: expected its "
		               "X-GitHub-Event, one of " SUPPORTED_HOOKS);
	const struct gh_hook *h = hooks;
	while (h->event && strcmp(h->event, event) != 0)
		h++;
	if (!h->event)
		return err_set(pj->err, ERR_INVALID,
		               "%s: GitHub webhook event '%.80s' is not one plumb reads: expected "
		               "one of " SUPPORTED_HOOKS,
		               pj->origin, event);
	/* An event given that the body's members contradict would read it as
	 * something else (a review's body as its pull request: no review). */
	const char *shape = in->event_name ? shape_event(doc) : NULL;
	if (shape && strcmp(shape, event) != 0)
		return err_set(pj->err, ERR_INVALID,
		               "%s: the event named is '%.80s', but the body is a '%s' event's, by "
		               "its members",
		               pj->origin, event, shape);
	page->event_name = h->event;
	const char *repo;
	if (full_name(&gh, doc, "", "repository", &repo) < 0)
		return -1;
	/* GitHub sends it with every event plumb reads; without it a delivery
	 * had no service and slipped past the source's repository scope
	 * (found in acceptance). */
	if (!repo)
		return pj_fail(gh.pj, "", "repository",
		               "missing: a %s webhook names its repository", h->event);
	return h->parse(&gh, doc, repo);
}

static void look_webhook(const cJSON *doc, const struct parse_input *in, struct parse_delivery *out)
{
	const char *event = in->event_name ? in->event_name : shape_event(doc);
	const struct gh_hook *h = hooks;
	while (event && h->event && strcmp(h->event, event) != 0)
		h++;
	if (event && !h->event)
		out->unread = strcmp(event, "ping") == 0
		                      ? "a ping (GitHub sends one when a hook is made)"
		                      : arena_printf(in->arena,
		                                     "GitHub event '%.80s' is not one plumb reads",
		                                     event);
	const cJSON *full = pj_at(doc, "repository.full_name");
	if (cJSON_IsString(full))
		out->repository = arena_strdup(in->arena, full->valuestring);
}

/* ---- detection ----------------------------------------------------------- */

/* The first element of a REST array page, when it is an object. */
static const cJSON *first_item(const cJSON *doc)
{
	if (!cJSON_IsArray(doc) || !doc->child || !cJSON_IsObject(doc->child))
		return NULL;
	return doc->child;
}

static bool has(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key) != NULL;
}

static bool detect_pulls(const cJSON *doc, const struct parse_input *in)
{
	(void)in;
	const cJSON *it = first_item(doc);
	return it && has(it, "number") && has(it, "head") && has(it, "base");
}

static bool detect_reviews(const cJSON *doc, const struct parse_input *in)
{
	(void)in;
	const cJSON *it = first_item(doc);
	return it && has(it, "pull_request_url") && has(it, "commit_id") && has(it, "state");
}

static bool detect_commits(const cJSON *doc, const struct parse_input *in)
{
	(void)in;
	const cJSON *it = first_item(doc);
	return it && has(it, "sha") && cJSON_IsObject(pj_get(it, "commit")) && has(it, "parents");
}

static bool detect_deployments(const cJSON *doc, const struct parse_input *in)
{
	(void)in;
	const cJSON *it = first_item(doc);
	return it && has(it, "statuses_url") && has(it, "environment") && !has(it, "state");
}

static bool detect_statuses(const cJSON *doc, const struct parse_input *in)
{
	(void)in;
	const cJSON *it = first_item(doc);
	return it && has(it, "deployment_url") && has(it, "state");
}

static bool detect_runs(const cJSON *doc, const struct parse_input *in)
{
	(void)in;
	return cJSON_IsObject(doc) && cJSON_IsArray(pj_get(doc, "workflow_runs")) &&
	       has(doc, "total_count");
}

static bool detect_webhook(const cJSON *doc, const struct parse_input *in)
{
	if (!cJSON_IsObject(doc) || detect_runs(doc, in))
		return false;
	return in->event_name || shape_event(doc) || has(doc, "repository");
}

const struct parse_format parse_github_formats[] = {
        {"github-pulls", "github", "a page of GET /repos/OWNER/NAME/pulls: pull requests", true,
         detect_pulls, parse_pulls, NULL},
        {"github-reviews", "github", "a page of GET /repos/OWNER/NAME/pulls/N/reviews: reviews",
         true, detect_reviews, parse_reviews, NULL},
        {"github-commits", "github", "a page of GET /repos/OWNER/NAME/commits: commits", true,
         detect_commits, parse_commits, NULL},
        {"github-deployments", "github", "a page of GET /repos/OWNER/NAME/deployments", true,
         detect_deployments, parse_deployments, NULL},
        {"github-deployment-statuses", "github",
         "a page of GET .../deployments/ID/statuses: deployment outcomes", true, detect_statuses,
         parse_statuses, NULL},
        {"github-workflow-runs", "github",
         "a page of GET /repos/OWNER/NAME/actions/runs: Actions runs", true, detect_runs,
         parse_runs, NULL},
        {"github-webhook", "github", "one webhook body (X-GitHub-Event: " SUPPORTED_HOOKS ")", true,
         detect_webhook, parse_webhook, look_webhook},
        {0},
};
