/* sync: live pulls (see sync.h). */
#include "ingest/sync.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/dyncurl.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/sha256.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/sourceacl.h"
#include "ingest/http.h"
#include "ingest/run.h"
#include "ingest/source.h"
#include "metrics/slo.h"
#include "store/store.h"

#define PAGE_SIZE 100
/* A run reads at most so many pages per resource: a runaway Link chain
 * must end. */
#define MAX_PAGES 10000
/* Jira pages in a row that list no issues yet hand out a next page token:
 * so many mean a search that never ends rather than one skipping issues it
 * may not show (found in the sync hunt: a fresh token a page ran to
 * MAX_PAGES requests before failing). */
#define MAX_EMPTY_TOKEN_PAGES 20
/* Sources synced at once: enough to overlap network waits, few enough
 * for two cores and the APIs' own limits per token. */
#define SYNC_WORKERS 4

enum paging { PAGE_LINK, PAGE_JIRA, PAGE_PD, PAGE_RANGE };

/* One collection to read: its first page, how it pages, and how far back. */
struct fetch {
	const char *resource; /* "acme/api:pulls": the cursor's key */
	const char *format;
	const char *url;
	enum paging paging;
	bool use_etag;
	/* Newest first (pulls, deployments): stop at the first page that
	 * reaches back past the cursor. */
	bool stop_at_cursor;
	/* GitHub children to read for each item changed since the cursor. */
	enum { CHILD_NONE, CHILD_REVIEWS, CHILD_STATUSES } children;
	const char *repo;
	/* PAGE_RANGE: page N (from 1) is this followed by {N*100,(N+1)*100}. */
	const char *range_url;
	/* What the API's declared total counts, when not the whole resource
	 * (a PagerDuty window): the pages' resource in run_documents, which
	 * reconcile adds up against that total.  NULL: the resource. */
	const char *part;
	/* A resource read as several windows in turn (GitHub's runs by
	 * created): the newest change the windows before saw, which this one's
	 * cursor starts from and leaves its own in, so the last window staged
	 * holds the newest of all.  NULL: the resource is one walk. */
	int64_t *newest_across;
	/* The most records the API lists for one query (PagerDuty's 10,000 by
	 * offset, GitHub's 1,000 runs with created), and the first page's
	 * field declaring how many match: a first page declaring more sets
	 * syncer.too_many, and the walk stages nothing.  0: no such limit. */
	int64_t max_listed;
	const char *total_key;
};

struct syncer {
	struct ctx *ctx;
	const struct sync_opts *o;
	struct ingest_run *run;
	struct http_client *http;
	const char *token, *token_env, *auth_header, *accept;
	const char *api;
	cJSON *config;
	int64_t since_default;
	/* When the run began: no cursor is set later than this, so one item
	 * dated in the future (a commit's clock) cannot hold a resource back
	 * until that date. */
	int64_t started_ms;
	bool resumed;                    /* a resource went on from its stored cursor */
	bool org_matched_none;           /* see struct sync_result */
	int64_t open_unread;             /* see struct sync_result */
	char future_cursor[ERR_MSG_MAX]; /* see struct sync_result */
	const char *open_unread_error;
	int64_t deploys_unread; /* see struct sync_result */
	const char *deploys_unread_error;
	int64_t slo_times_unknown;               /* see struct sync_result */
	const char *slo_unknown_first;           /* its first SLO and time */
	struct slo_unread slo_unread;            /* see struct sync_result */
	struct sync_skipped_repo *repos_skipped; /* see struct sync_result */
	size_t nrepos_skipped, arepos_skipped;
	long last_status; /* the status of the last request that failed */
	/* A request failed as the run's waits passed --max-wait, or on a rate
	 * limit plumb will not wait out: the run fails, however that request's
	 * failure is taken otherwise. */
	bool out_of_wait, rate_limited;
	/* A PagerDuty listing declared more incidents than its offsets reach
	 * (fetch_all read none of them): the window is to be split. */
	bool too_many;
	/* The repository's commits listed in this run, and its merge commits'
	 * other parents (from, to), for merged_branches. */
	struct hmap commits_listed;
	struct merge *merges;
	size_t nmerges, amerges;
	/* The listing's first commit (the branch's head, when it moved past
	 * the cursor) and each listed commit's first parent, for mainline_gap. */
	const char *head_listed;
	const char **first_parents;
	size_t nfirst, afirst;
};

/* A merge commit's first parent and one of its others: compare from...to
 * lists the commits the merge brought. */
struct merge {
	const char *from, *to;
};

/* GET url as this source authenticates (a token, or its own header), its
 * attempts counted as the run's requests; accept NULL for the source's. */
static int syncer_get(struct syncer *s, const char *url, const char *if_none_match,
                      const char *accept, struct http_response *resp, struct error *err)
{
	struct http_request req = {
	        .url = url,
	        /* Given with auth_header too, which is what is sent: the token
	         * is then still redacted (a Basic USER:TOKEN's API token). */
	        .token = s->token,
	        .token_env = s->token_env,
	        .auth_header = s->auth_header,
	        .accept = accept ? accept : s->accept,
	        .if_none_match = if_none_match,
	};
	int rc = http_get(s->http, &req, resp, err);
	s->run->counts.requests += resp->attempts;
	if (rc < 0)
		s->last_status = resp->status;
	if (rc < 0 && resp->rate_limited)
		s->rate_limited = true;
	if (rc < 0 && resp->out_of_wait)
		s->out_of_wait = true;
	/* The run fails on either: the source is named, as the error line
	 * does not when it syncs alone (found in the sync hunt: a server down
	 * for maintenance named its URL alone). */
	if (rc < 0 && (resp->rate_limited || resp->out_of_wait)) {
		char message[ERR_MSG_MAX];
		snprintf(message, sizeof message, "%s", err->message);
		snprintf(err->message, sizeof err->message, "source %.60s: %.440s",
		         s->run->src.name, message);
	}
	if (rc < 0 && resp->out_of_wait)
		err_hint(err,
		         "nothing was published; sync again later, or let a sync wait longer in "
		         "all with --max-wait SECONDS (or PLUMB_SYNC_MAX_WAIT)");
	return rc;
}

/* The source's secrets (the token, the Authorization value sent) out of
 * err, as http_get leaves them out of its own: for errors quoting what an
 * API answered. */
static void syncer_redact(const struct syncer *s, struct error *err)
{
	struct http_request req = {.token = s->token, .auth_header = s->auth_header};
	http_redact_error(&req, err);
}

/* ---- cursors --------------------------------------------------------------- */

struct cursor {
	const char *value, *etag;
};

struct cursor_args {
	int64_t source_id;
	const char *resource;
	struct cursor *out;
	bool any_case;
};

static int cursor_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct cursor_args *a = arg;
	struct store_stmt *st;
	/* A GitHub repository's resources are named as the source spells it
	 * (OWNER/NAME:pulls), which GitHub does in any case: respelt (--repo
	 * Acme/Widgets for acme/widgets, an --org listing's spelling), it is
	 * the same repository, and goes on from its cursors. */
	int rc = store_prepare(ctx->store,
	                       a->any_case ? "SELECT cursor, etag FROM sync_cursors WHERE "
	                                     "source_id = ?1 AND lower(resource) = lower(?2) "
	                                     "ORDER BY CASE WHEN resource = ?2 THEN 0 ELSE 1 "
	                                     "END, updated_at DESC LIMIT 1"
	                                   : "SELECT cursor, etag FROM sync_cursors WHERE "
	                                     "source_id = ?1 AND resource = ?2",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->source_id);
	stmt_bind_text(st, 2, a->resource);
	rc = stmt_step(st, err);
	a->out->value = a->out->etag = NULL;
	if (rc == STORE_ROW) {
		a->out->value = stmt_text_dup(st, 0, ctx->arena);
		a->out->etag = stmt_text_dup(st, 1, ctx->arena);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int load_cursor(struct syncer *s, const char *resource, struct cursor *out,
                       struct error *err)
{
	struct cursor_args a = {s->run->src.id, resource, out,
	                        strcmp(s->run->src.kind, "github") == 0};
	return ctx_run(s->ctx, OP_SYNC_STATUS, cursor_body, &a, err);
}

/* ---- staging one page ------------------------------------------------------- */

struct page_args {
	struct ingest_run *run;
	struct ingest_doc doc;
	struct parse_page page;
	char records_sha256[SHA256_HEX_LEN + 1];
};

static int page_body(struct ctx *ctx, void *arg, struct error *err)
{
	(void)ctx;
	struct page_args *a = arg;
	struct ingest_run *run = a->run;
	ingest_stage_tx_begin(run);
	int rc = ingest_stage_doc_tx(run, &a->doc, &a->page, a->records_sha256, err);
	if (rc == 0)
		rc = ingest_stage_tx_end(run, err);
	if (rc < 0) {
		ingest_stage_tx_abandon(run);
	}
	return rc;
}

struct cursor_stage_args {
	struct ingest_run *run;
	const char *resource, *cursor, *etag;
};

static int cursor_stage_body(struct ctx *ctx, void *arg, struct error *err)
{
	(void)ctx;
	struct cursor_stage_args *a = arg;
	return ingest_stage_cursor_tx(a->run, a->resource, a->cursor, a->etag, err);
}

/* ---- URLs ------------------------------------------------------------------- */

static const char *escape(struct arena *a, const char *s)
{
	char *e = libcurl.curl_easy_escape(NULL, s, 0);
	const char *out = arena_strdup(a, e ? e : "");
	libcurl.curl_free(e);
	return out;
}

static const char *iso(struct arena *a, int64_t ms)
{
	char buf[TS_BUF];
	return arena_strdup(a, ts_format(ms, buf));
}

/* GitHub's `since` and `created` take seconds: "2024-03-01T10:00:00Z". */
static const char *iso_seconds(struct arena *a, int64_t ms)
{
	char buf[TS_BUF];
	ts_format(ms, buf);
	buf[19] = 'Z';
	buf[20] = '\0';
	return arena_strdup(a, buf);
}

static int64_t cursor_ms(const struct cursor *c, int64_t dflt)
{
	int64_t ms;
	struct error ignored = {0};
	if (c->value && ts_parse(c->value, &ms, &ignored) == 0)
		return ms;
	return dflt;
}

/* cursor_ms, but never later than the run's start: a cursor stored in the
 * future (this machine's clock ahead when it was set, a bad stored value)
 * is read as now, and the first such is noted for a warning.  Taken as it
 * was, Jira's and PagerDuty's next sync asked for changes since that time
 * and read nothing at all (found in the sync hunt). */
static int64_t cursor_until_start(struct syncer *s, const char *resource, const struct cursor *c,
                                  int64_t dflt)
{
	int64_t ms = cursor_ms(c, dflt);
	if (ms <= s->started_ms)
		return ms;
	if (c->value && !s->future_cursor[0])
		snprintf(s->future_cursor, sizeof s->future_cursor, "%s (%s)", resource, c->value);
	return s->started_ms;
}

/* ---- reading a collection ---------------------------------------------------- */

static void on_wait(void *data, const char *why, int64_t ms, bool retry)
{
	struct syncer *s = data;
	if (s->o->on_wait)
		s->o->on_wait(s->o->wait_data, s->run->src.name, why, ms, retry);
}

/* Tell the face another page was read: every page, since a sync reads
 * few and each can take seconds (ctx_progress shows one in 4096). */
static void on_page(const struct syncer *s, int64_t records)
{
	if (s->o->on_page)
		s->o->on_page(s->o->page_data, s->run->src.name, s->run->counts.documents, records);
}

/* The items of a page that changed since `since` (a GitHub array page):
 * their `number` (pulls) or `id` (deployments), for the child requests. */
static void changed_children(struct arena *a, const char *body, size_t len, const char *key,
                             int64_t since, const char ***out, size_t *n)
{
	cJSON *doc = cJSON_ParseWithLength(body, len);
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	const cJSON *item, *items = cJSON_IsArray(doc) ? doc : NULL;
	cJSON_ArrayForEach(item, items)
	{
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, key);
		const cJSON *upd = cJSON_GetObjectItemCaseSensitive(item, "updated_at");
		int64_t ms = 0;
		struct error ignored = {0};
		/* An id the parser takes as digits in a string is one too (found
		 * in review: such a deployment's statuses were never read). */
		bool digits = cJSON_IsString(id) && *id->valuestring &&
		              strspn(id->valuestring, "0123456789") == strlen(id->valuestring) &&
		              strlen(id->valuestring) <= 20;
		if ((!cJSON_IsNumber(id) && !digits) || !cJSON_IsString(upd) ||
		    ts_parse(upd->valuestring, &ms, &ignored) < 0 || ms < since)
			continue;
		*out = arena_grow(a, *out, *n, &alloc, sizeof **out);
		(*out)[(*n)++] = digits ? arena_strdup(a, id->valuestring)
		                        : arena_printf(a, "%.0f", id->valuedouble);
	}
	cJSON_Delete(doc);
}

/* One read of a commits page for what sync needs beyond the parser: the
 * newest commit date (commit.committer.date, else the author's), or dflt
 * when none has one; and, for merged_branches, the commits it lists and its
 * merge commits' other parents.  GitHub's `since` compares the commit
 * date; the parser dates a commit by its author, who may have written it
 * long before it landed (a rebase) or with a clock that is wrong. */
static int64_t commits_page(struct syncer *s, const char *body, size_t len, int64_t dflt)
{
	struct arena *a = s->ctx->arena;
	cJSON *doc = cJSON_ParseWithLength(body, len);
	int64_t newest = INT64_MIN;
	const cJSON *item, *items = cJSON_IsArray(doc) ? doc : NULL;
	cJSON_ArrayForEach(item, items)
	{
		const cJSON *commit = cJSON_GetObjectItemCaseSensitive(item, "commit");
		const cJSON *date = cJSON_GetObjectItemCaseSensitive(
		        cJSON_GetObjectItemCaseSensitive(commit, "committer"), "date");
		if (!cJSON_IsString(date))
			date = cJSON_GetObjectItemCaseSensitive(
			        cJSON_GetObjectItemCaseSensitive(commit, "author"), "date");
		int64_t ms;
		struct error ignored = {0};
		if (cJSON_IsString(date) && ts_parse(date->valuestring, &ms, &ignored) == 0 &&
		    ms > newest)
			newest = ms;
		const cJSON *sha = cJSON_GetObjectItemCaseSensitive(item, "sha");
		if (cJSON_IsString(sha)) {
			hmap_put(&s->commits_listed, sha->valuestring, 1);
			if (!s->head_listed)
				s->head_listed = arena_strdup(a, sha->valuestring);
		}
		const cJSON *parents = cJSON_GetObjectItemCaseSensitive(item, "parents");
		const cJSON *first = cJSON_IsArray(parents) ? parents->child : NULL;
		const cJSON *from = cJSON_GetObjectItemCaseSensitive(first, "sha");
		if (cJSON_IsString(from)) {
			s->first_parents = arena_grow(a, s->first_parents, s->nfirst, &s->afirst,
			                              sizeof *s->first_parents);
			s->first_parents[s->nfirst++] = arena_strdup(a, from->valuestring);
		}
		for (const cJSON *p = first ? first->next : NULL; p && cJSON_IsString(from);
		     p = p->next) {
			const cJSON *to = cJSON_GetObjectItemCaseSensitive(p, "sha");
			if (!cJSON_IsString(to))
				continue;
			s->merges = arena_grow(a, s->merges, s->nmerges, &s->amerges,
			                       sizeof *s->merges);
			s->merges[s->nmerges++] = (struct merge){arena_strdup(a, from->valuestring),
			                                         arena_strdup(a, to->valuestring)};
		}
	}
	cJSON_Delete(doc);
	return newest == INT64_MIN ? dflt : newest;
}

/* GitHub answers the commits of a repository without any with 409 "Git
 * Repository is empty.": a repository made but not pushed yet, an empty
 * last page rather than a failure of its whole source.  err holds the
 * status error, whose detail quotes the body. */
static bool github_repo_empty(const struct fetch *f, const struct http_response *resp,
                              const struct error *err)
{
	return resp->status == 409 && strcmp(f->format, "github-commits") == 0 &&
	       strstr(err->detail, "Git Repository is empty") != NULL;
}

static int fetch_all(struct syncer *s, const struct fetch *f, struct error *err);

/* ---- Jira changelogs --------------------------------------------------------- */

/* obj.id as text (Jira writes a string; a number is taken too), or NULL. */
static const char *json_id(const cJSON *h, char *buf, size_t size)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(h, "id");
	if (cJSON_IsString(id))
		return id->valuestring;
	if (cJSON_IsNumber(id)) {
		snprintf(buf, size, "%.0f", id->valuedouble);
		return buf;
	}
	return NULL;
}

static void json_set_number(cJSON *obj, const char *key, double v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	cJSON_AddNumberToObject(obj, key, v);
}

/* A walk's pages so far.  An API that ignores the paging parameter (a
 * PagerDuty offset, a Jira startAt, a Jenkins range, a GitHub page) answers
 * the same page again under each new URL, which page_loop cannot see: read
 * to MAX_PAGES (minutes), or, where a declared total ends the walk, taken
 * for the pages it never gave.  So does one whose next links lead back to
 * an earlier page under another URL (page=1&round=2, page=2&round=3 ...;
 * found in the sync hunt: 10,000 requests, then the failure).  Compared by
 * SHA-256 of what the page lists (its records' kinds, ids, times of change
 * and statuses, the repositories' names, the commits, the changelog's ids),
 * so a field that changes as the page repeats (a time, a request id, the
 * offset it echoes) does not hide it.  Pages that list nothing are not
 * compared: empty pages in a row are no error. */
struct page_prev {
	char sha256[SHA256_HEX_LEN + 1];
	bool items;         /* the page before listed some */
	struct hmap listed; /* each page that listed some: its hash, to its number (from 1) */
	int pages;
};

static void page_prev_init(struct page_prev *prev)
{
	memset(prev, 0, sizeof *prev);
	hmap_init(&prev->listed);
}

static void page_prev_release(struct page_prev *prev)
{
	hmap_release(&prev->listed);
}

/* The walk's next page, at url (asked for by param), listed what hashed to
 * sha256, some items or none: ERR_INVALID when it repeats the page before
 * it, or lists the items of an earlier one (the pages loop). */
static int page_check(struct page_prev *prev, const char sha256[SHA256_HEX_LEN + 1], bool items,
                      const char *url, const char *param, struct error *err)
{
	bool same = prev->items && strcmp(sha256, prev->sha256) == 0;
	memcpy(prev->sha256, sha256, sizeof prev->sha256);
	prev->items = items;
	int number = ++prev->pages;
	if (same) {
		err_set(err, ERR_INVALID,
		        "%s: the API repeated the page before it (it may be ignoring the %s "
		        "parameter)",
		        url, param);
		err_hint(err, "nothing was published; the source's paging is broken");
		return ERR_INVALID;
	}
	int64_t earlier = 0;
	if (!items)
		return 0;
	if (hmap_get(&prev->listed, sha256, &earlier)) {
		err_set(err, ERR_INVALID,
		        "%s: the page lists the records of page %lld of this walk again: the pages "
		        "loop",
		        url, (long long)earlier);
		err_hint(err, "nothing was published; the source's paging is broken");
		return ERR_INVALID;
	}
	hmap_put(&prev->listed, sha256, number);
	return 0;
}

/* Read the whole changelog of one issue (GET /rest/api/3/issue/ID/changelog,
 * oldest first, startAt paging until isLast) and add to histories those it
 * lacks, by history id; then the changelog says it holds them all.  An
 * issue gone since the search (404 on the first page) keeps what the page
 * gave, still marked cut. */
static int jira_issue_changelog(struct syncer *s, const char *issue, cJSON *changelog,
                                cJSON *histories, struct error *err)
{
	struct arena *a = s->ctx->arena;
	struct hmap seen;
	hmap_init(&seen);
	char buf[32];
	const cJSON *h;
	cJSON_ArrayForEach(h, histories)
	{
		const char *id = json_id(h, buf, sizeof buf);
		if (id)
			hmap_put(&seen, id, 1);
	}
	int64_t start = 0;
	bool last = false;
	int rc = 0, page;
	struct page_prev prev;
	page_prev_init(&prev);
	struct sb ids; /* a page's history ids, for the repeated-page check */
	sb_init(&ids, 0);
	for (page = 0; !last && page < MAX_PAGES && rc == 0; page++) {
		const char *url = arena_printf(
		        a, "%s/rest/api/3/issue/%s/changelog?startAt=%lld&maxResults=%d", s->api,
		        escape(a, issue), (long long)start, PAGE_SIZE);
		struct http_response resp;
		rc = syncer_get(s, url, NULL, NULL, &resp, err);
		if (rc == ERR_NOT_FOUND && page == 0) {
			http_response_free(&resp);
			hmap_release(&seen);
			sb_release(&ids);
			page_prev_release(&prev);
			err_clear(err);
			return 0;
		}
		cJSON *doc = rc == 0 ? cJSON_ParseWithLength(resp.body, resp.len) : NULL;
		http_response_free(&resp);
		const cJSON *values = cJSON_GetObjectItemCaseSensitive(doc, "values");
		if (rc == 0 && !cJSON_IsArray(values)) {
			rc = err_set(err, ERR_INVALID,
			             "%s: expected a page of changelogs (an object with values)",
			             url);
			err_hint(err, "nothing was published");
		}
		int64_t n = 0;
		const cJSON *v, *list = rc == 0 ? values : NULL;
		sb_reset(&ids);
		cJSON_ArrayForEach(v, list)
		{
			n++;
			const char *id = json_id(v, buf, sizeof buf);
			sb_printf(&ids, "%s\n", id ? id : "");
			if (id && !hmap_put(&seen, id, 1))
				continue; /* the search page gave it */
			cJSON_AddItemToArray(histories, cJSON_Duplicate(v, true));
		}
		char sha256[SHA256_HEX_LEN + 1];
		if (rc == 0) {
			sha256_hex(ids.buf ? ids.buf : "", ids.len, sha256);
			rc = page_check(&prev, sha256, n > 0, url, "startAt", err);
		}
		const cJSON *is_last = cJSON_GetObjectItemCaseSensitive(doc, "isLast");
		const cJSON *total = cJSON_GetObjectItemCaseSensitive(doc, "total");
		start += n;
		last = n == 0 || cJSON_IsTrue(is_last) ||
		       (!cJSON_IsBool(is_last) && cJSON_IsNumber(total) &&
		        (double)start >= total->valuedouble);
		cJSON_Delete(doc);
	}
	hmap_release(&seen);
	sb_release(&ids);
	page_prev_release(&prev);
	if (rc == 0 && !last)
		rc = err_set(
		        err, ERR_TOO_BIG,
		        "the changelog of Jira issue %s: more than %d pages; stopped there, and "
		        "nothing was published",
		        issue, MAX_PAGES);
	if (rc < 0)
		return rc;
	int count = cJSON_GetArraySize(histories);
	json_set_number(changelog, "startAt", 0);
	json_set_number(changelog, "maxResults", count);
	json_set_number(changelog, "total", count);
	return 0;
}

/* A Jira search page gives each issue's newest histories only (100 on
 * /search, 40 on /search/jql; changelog.total says how many there are): an
 * issue's cut changelog is completed from the issue's own.  *out gets the
 * page with them in place (to free with cJSON_free), or NULL when no issue
 * was cut (or the page is not one the parser will take: it says why). */
static int jira_complete_changelogs(struct syncer *s, const char *body, size_t len, char **out,
                                    struct error *err)
{
	*out = NULL;
	cJSON *doc = cJSON_ParseWithLength(body, len);
	const cJSON *issues = cJSON_GetObjectItemCaseSensitive(doc, "issues"), *issue;
	if (!cJSON_IsArray(issues))
		issues = NULL;
	bool changed = false;
	int rc = 0;
	cJSON_ArrayForEach(issue, issues)
	{
		cJSON *changelog = cJSON_GetObjectItemCaseSensitive(issue, "changelog");
		cJSON *histories = cJSON_GetObjectItemCaseSensitive(changelog, "histories");
		const cJSON *total = cJSON_GetObjectItemCaseSensitive(changelog, "total");
		const cJSON *key = cJSON_GetObjectItemCaseSensitive(issue, "key");
		char buf[32];
		/* By id, which a move to another project keeps; else by key. */
		const char *name = json_id(issue, buf, sizeof buf);
		if (!cJSON_IsArray(histories) || !cJSON_IsNumber(total) ||
		    total->valuedouble <= cJSON_GetArraySize(histories))
			continue;
		if (!name && cJSON_IsString(key))
			name = key->valuestring;
		if (!name || !*name)
			continue; /* the parser refuses an issue without a key */
		if ((rc = jira_issue_changelog(s, name, changelog, histories, err)) < 0)
			break;
		changed = true;
	}
	if (rc == 0 && changed)
		*out = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	return rc;
}

static int fetch_children(struct syncer *s, const struct fetch *f, const char *body, size_t len,
                          int64_t since, struct error *err)
{
	struct arena *a = s->ctx->arena;
	const char **ids;
	size_t n;
	bool reviews = f->children == CHILD_REVIEWS;
	changed_children(a, body, len, reviews ? "number" : "id", since, &ids, &n);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct fetch child = {
		        .resource = NULL,
		        .format = reviews ? "github-reviews" : "github-deployment-statuses",
		        .url = arena_printf(a, "%s/repos/%s/%s/%s/%s?per_page=%d", s->api, f->repo,
		                            reviews ? "pulls" : "deployments", ids[i],
		                            reviews ? "reviews" : "statuses", PAGE_SIZE),
		        .paging = PAGE_LINK,
		};
		rc = fetch_all(s, &child, err);
		/* Listed, then gone before its statuses or reviews were read (a
		 * deployment deleted, a pull request removed): nothing more to
		 * read, as a compare or a changelog gone (found in the sync hunt:
		 * the whole run failed).  The listing's host answered, so a 404 is
		 * no wrong URL. */
		if (rc == ERR_NOT_FOUND) {
			err_clear(err);
			rc = 0;
		}
	}
	return rc;
}

/* A page walk's guards: a next page read before is a loop (a Link or a
 * token pointing back), an error rather than MAX_PAGES requests (found in
 * review); and a walk stopped at MAX_PAGES with a next page left is an
 * error too, since published, a resource cut at the cap would look whole
 * and move its cursor past what was never read. */
static int page_loop(struct hmap *seen, const char *url, int page, struct error *err)
{
	if (hmap_put(seen, url, page))
		return 0;
	err_set(err, ERR_INVALID, "%s: the next page is one read before: the pages loop", url);
	err_hint(err, "nothing was published; the source's paging is broken");
	return ERR_INVALID;
}

static int pages_cut(const char *first, struct error *err)
{
	return err_set(err, ERR_TOO_BIG,
	               "%s: more than %d pages; stopped there, and nothing was published", first,
	               MAX_PAGES);
}

/* PagerDuty lists at most 10,000 records by offset (offset + limit): a
 * first page declaring more (total=true) is of a window too wide to read. */
#define PD_MAX_RECORDS 10000
/* Whether the first page of f declares more records (its f->total_key)
 * than the API lists for one query. */
static bool too_many_listed(const struct fetch *f, const char *body, size_t len)
{
	cJSON *doc = cJSON_ParseWithLength(body, len);
	const cJSON *total = cJSON_GetObjectItemCaseSensitive(doc, f->total_key);
	bool over = cJSON_IsNumber(total) && total->valuedouble > (double)f->max_listed;
	cJSON_Delete(doc);
	return over;
}

/* A PagerDuty walk whose next page lies past the records PagerDuty lists
 * by offset (offset + limit at most PD_MAX_RECORDS; it refuses more): the
 * pages said "more" on, and declared no total to split the window by, or
 * one they went past.  Read on, they went to MAX_PAGES, a million records,
 * past every offset PagerDuty answers (found in the sync hunt). */
static int pd_offsets_spent(const struct fetch *f, int64_t offset, struct error *err)
{
	err_set(err, ERR_FAILED,
	        "%s: PagerDuty lists at most %lld incidents by offset, and the pages go on "
	        "past offset %lld",
	        f->url, (long long)f->max_listed, (long long)offset);
	err_hint(err,
	         "the pages declared no total over %lld, by which plumb reads a window "
	         "in halves; nothing was published",
	         (long long)f->max_listed);
	return err->code;
}

/* Read every page of f, staging each; then stage the resource's new cursor
 * (the newest change seen) and the first page's ETag. */
static int fetch_all(struct syncer *s, const struct fetch *f, struct error *err)
{
	struct ctx *ctx = s->ctx;
	struct ingest_run *run = s->run;
	struct cursor cur = {NULL, NULL};
	int rc = f->resource ? load_cursor(s, f->resource, &cur, err) : 0;
	if (rc < 0)
		return rc;
	s->resumed |= cur.value != NULL;
	int64_t since = cursor_until_start(s, f->resource, &cur, s->since_default);
	int64_t newest = cursor_until_start(s, f->resource, &cur, 0);
	if (f->newest_across && *f->newest_across > newest)
		newest = *f->newest_across;
	const char *etag = NULL;
	const char *url = f->url;
	int64_t start_at = 0;
	struct hmap seen;
	hmap_init(&seen);
	struct page_prev prev;
	page_prev_init(&prev);
	const char *param = NULL; /* the parameter that asked for this page */
	int empty_tokens = 0;     /* pages in a row of no records but a next token */
	for (int page = 0; url && page < MAX_PAGES && rc == 0; page++) {
		if ((rc = page_loop(&seen, url, page, err)) < 0)
			break;
		const char *if_none_match = page == 0 && f->use_etag ? cur.etag : NULL;
		struct http_response resp;
		rc = syncer_get(s, url, if_none_match, NULL, &resp, err);
		if (rc < 0) {
			if (github_repo_empty(f, &resp, err)) {
				err_clear(err);
				rc = 0;
				url = NULL; /* nothing (more) to read */
			}
			http_response_free(&resp);
			break;
		}
		if (resp.status == 304 && !if_none_match) {
			rc = err_set(err, ERR_INVALID,
			             "%s: 304 Not Modified to a request that was not conditional",
			             url);
			err_hint(err, "nothing was published; the server answers as if plumb had "
			              "sent an ETag");
			http_response_free(&resp);
			break;
		}
		if (resp.status == 304) {
			run->counts.not_modified++;
			etag = cur.etag;
			http_response_free(&resp);
			url = NULL; /* nothing more to read */
			break;
		}
		if (page == 0 && f->max_listed && too_many_listed(f, resp.body, resp.len)) {
			s->too_many = true;
			http_response_free(&resp);
			url = NULL;
			break;
		}
		char sha256[SHA256_HEX_LEN + 1];
		sha256_hex(resp.body, resp.len, sha256);
		if (page == 0 && resp.etag)
			etag = arena_strdup(ctx->arena, resp.etag);
		char *completed = NULL;
		/* Jira search pages: each issue's cut changelog completed first. */
		if (strcmp(f->format, "jira-search") == 0 &&
		    jira_complete_changelogs(s, resp.body, resp.len, &completed, err) < 0) {
			rc = err->code;
			http_response_free(&resp);
			break;
		}
		struct page_args pa = {
		        .run = run,
		        .doc = {.origin = url,
		                .format = f->format,
		                .resource = f->part       ? f->part
		                            : f->resource ? f->resource
		                                          : f->format,
		                .data = completed ? completed : resp.body,
		                .len = completed ? strlen(completed) : resp.len,
		                .sha256 = completed ? NULL : sha256},
		};
		store_yield_to_writers(ctx->store);
		rc = ctx_run(ctx, OP_INGEST_STAGE, page_body, &pa, err);
		cJSON_free(completed);
		if (rc == 0)
			rc = page_check(&prev, pa.records_sha256, pa.page.records > 0, url, param,
			                err);
		on_page(s, run->counts.records);
		/* This page's own times, taken before its children (reviews,
		 * statuses) are staged over them: a review older than the cursor
		 * does not make its pull request's page the last. */
		int64_t page_min = run->doc_min_time, page_max = run->doc_max_time;
		if (rc == 0 && pa.page.records && strcmp(f->format, "github-commits") == 0) {
			page_max = commits_page(s, resp.body, resp.len, page_max);
		}
		if (rc == 0 && pa.page.records && page_max > newest)
			newest = page_max;
		if (rc == 0 && f->children != CHILD_NONE)
			rc = fetch_children(s, f, resp.body, resp.len, since, err);
		const char *next = NULL;
		bool reached = f->stop_at_cursor && pa.page.records && page_min < since;
		if (rc == 0 && !reached) {
			switch (f->paging) {
			case PAGE_LINK:
				next = resp.next_url ? arena_strdup(ctx->arena, resp.next_url)
				                     : NULL;
				param = "page";
				break;
			case PAGE_JIRA:
			case PAGE_PD:
				/* Offsets: a page of none that says more follow cannot
				 * be walked past (the next would ask the same offset),
				 * and ending there would publish a cut listing as whole
				 * (found in the sync hunt: PagerDuty's more: true on an
				 * empty page ended the walk silently). */
				if (!pa.page.records && !pa.page.next_token &&
				    ((pa.page.has_is_last && !pa.page.is_last) ||
				     (pa.page.has_total && start_at < pa.page.declared_total))) {
					rc = err_set(
					        err, ERR_INVALID,
					        "%s: a page at offset %lld listed no records but "
					        "says more follow",
					        url, (long long)start_at);
					err_hint(err,
					         "nothing was published; sync again later, and if "
					         "it repeats the API is answering inconsistently");
					break;
				}
				bool empty_more = !pa.page.records && pa.page.next_token &&
				                  !(pa.page.has_is_last && pa.page.is_last);
				empty_tokens = empty_more ? empty_tokens + 1 : 0;
				if (empty_tokens == MAX_EMPTY_TOKEN_PAGES) {
					rc = err_set(
					        err, ERR_INVALID,
					        "%s: %d pages in a row listed no records but gave "
					        "a next page token",
					        f->url, empty_tokens);
					err_hint(err,
					         "nothing was published; the API's paging does "
					         "not end: sync again later, and if it repeats, "
					         "narrow the source's --jql or --project");
					break;
				}
				start_at += pa.page.records;
				/* A page of none ends an offset's walk (the next would
				 * ask the same offset), not a token's: Jira's /search/jql
				 * may answer fewer issues than asked, none too, and go on
				 * (found in the sync hunt: the run published as whole). */
				if ((pa.page.records || pa.page.next_token) &&
				    !(pa.page.has_is_last && pa.page.is_last) &&
				    !(pa.page.has_total && start_at >= pa.page.declared_total)) {
					param = pa.page.next_token       ? "nextPageToken"
					        : f->paging == PAGE_JIRA ? "startAt"
					                                 : "offset";
					if (pa.page.next_token)
						next = arena_printf(
						        ctx->arena, "%s&nextPageToken=%s", f->url,
						        escape(ctx->arena, pa.page.next_token));
					else
						next = arena_printf(ctx->arena, "%s&%s=%lld",
						                    f->url, param,
						                    (long long)start_at);
				}
				break;
			case PAGE_RANGE: /* a short page is the last: one record a build */
				if (pa.page.records == PAGE_SIZE)
					next = arena_printf(ctx->arena, "%s{%d,%d}", f->range_url,
					                    (page + 1) * PAGE_SIZE,
					                    (page + 2) * PAGE_SIZE);
				param = "tree range";
				break;
			}
		}
		http_response_free(&resp);
		url = next;
		if (rc == 0 && next && f->paging == PAGE_PD && f->max_listed &&
		    start_at + PAGE_SIZE > f->max_listed)
			rc = pd_offsets_spent(f, start_at, err);
	}
	hmap_release(&seen);
	page_prev_release(&prev);
	if (rc == 0 && url)
		rc = pages_cut(f->url, err);
	if (newest > s->started_ms)
		newest = s->started_ms;
	if (f->newest_across)
		*f->newest_across = newest;
	if (rc == 0 && f->resource) {
		struct cursor_stage_args ca = {run, f->resource,
		                               newest ? iso(ctx->arena, newest) : cur.value, etag};
		rc = ctx_run(ctx, OP_INGEST_STAGE, cursor_stage_body, &ca, err);
	}
	return rc;
}

/* ---- per kind --------------------------------------------------------------- */

static const char *config_str(const struct syncer *s, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(s->config, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* An organization's repositories, filtered by --include and --exclude.  Its
 * pages are walked as fetch_all walks a resource's: a next page read before
 * is a loop, a page repeating the one before is one under new URLs, and
 * more than MAX_PAGES is too many, each an error (a loop would list the
 * same repositories until the cap, then sync each that many times).  A
 * page is compared by the names it lists, all sync reads of it, so one
 * whose other fields or spacing change as it repeats is still caught. */
static int org_repos(struct syncer *s, const char *org, const char ***out, size_t *n,
                     struct error *err)
{
	struct arena *a = s->ctx->arena;
	const char *first =
	        arena_printf(a, "%s/orgs/%s/repos?per_page=%d&type=all", s->api, org, PAGE_SIZE);
	const char *url = first;
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	int rc = 0;
	struct hmap seen;
	hmap_init(&seen);
	struct page_prev prev;
	page_prev_init(&prev);
	struct sb names;
	sb_init(&names, 0);
	for (int page = 0; url && page < MAX_PAGES && rc == 0; page++) {
		if ((rc = page_loop(&seen, url, page, err)) < 0)
			break;
		const char *asked = url;
		sb_reset(&names);
		struct http_response resp;
		rc = syncer_get(s, url, NULL, NULL, &resp, err);
		url = NULL;
		cJSON *doc = rc == 0 ? cJSON_ParseWithLength(resp.body, resp.len) : NULL;
		if (rc == 0 && !cJSON_IsArray(doc))
			rc = err_set(err, ERR_INVALID, "%s: expected an array of repositories",
			             asked);
		const cJSON *item, *items = rc == 0 ? doc : NULL;
		int index = 0;
		cJSON_ArrayForEach(item, items)
		{
			const cJSON *full = cJSON_GetObjectItemCaseSensitive(item, "full_name");
			/* A name goes into the paths sync asks for with the token: one
			 * such as "acme/../../admin" would ask elsewhere on the API's
			 * host (found in review), as --repo refuses. */
			if (cJSON_IsString(full) && !source_valid_repo(full->valuestring)) {
				rc = err_set(
				        err, ERR_INVALID,
				        "%s: repository [%d]: full_name '%.80s' is not OWNER/NAME",
				        asked, index, full->valuestring);
				err_hint(err, "nothing was published");
				break;
			}
			index++;
			if (!cJSON_IsString(full))
				continue;
			/* A valid name holds no newline: the list reads one way. */
			sb_puts(&names, full->valuestring);
			sb_putc(&names, '\n');
			if (!source_github_wants(s->config, full->valuestring))
				continue;
			*out = arena_grow(a, *out, *n, &alloc, sizeof **out);
			(*out)[(*n)++] = arena_strdup(a, full->valuestring);
		}
		cJSON_Delete(doc);
		char sha256[SHA256_HEX_LEN + 1];
		if (rc == 0) {
			sha256_hex(names.buf, names.len, sha256);
			rc = page_check(&prev, sha256, names.len > 0, asked, "page", err);
		}
		if (rc == 0 && resp.next_url)
			url = arena_strdup(a, resp.next_url);
		http_response_free(&resp);
	}
	sb_release(&names);
	hmap_release(&seen);
	page_prev_release(&prev);
	if (rc == 0 && url)
		rc = pages_cut(first, err);
	return rc;
}

/* repos without the names met before, compared in any case as GitHub
 * compares them (a repository listed twice, by --repo or by an org's
 * pages, is synced once). */
static void distinct_repos(struct arena *a, const char **repos, size_t *n)
{
	struct hmap seen;
	hmap_init(&seen);
	size_t kept = 0;
	for (size_t i = 0; i < *n; i++)
		if (repos[i] && hmap_put(&seen, arena_strlower(a, repos[i]), 1))
			repos[kept++] = repos[i];
	hmap_release(&seen);
	*n = kept;
}

/* ---- Actions runs still open ------------------------------------------------ */

/* GitHub ends a workflow run at the latest 35 days after it was created
 * (before it started): a run stored open that started longer ago than this
 * (and a day for clocks) has ended, or is gone. */
#define OPEN_RUN_DAYS 36

/* A CI run not finished yet, as the parsers say it (Actions and Jenkins
 * alike): one stored so is read again until it ends. */
#define OPEN_STATUSES "('queued', 'in_progress')"

struct open_run {
	const char *repo; /* owner_key: lower case */
	const char *id;
};

struct open_runs_args {
	int64_t source_id, after;
	struct open_run **out;
	size_t *n;
};

static int open_runs_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct open_runs_args *a = arg;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT owner_key, external_id FROM events WHERE kind = 'ci_run' "
	                       "AND occurred_at >= ? AND source_id = ? AND owner_system = "
	                       "'github' AND status IN " OPEN_STATUSES " ORDER BY "
	                       "owner_key, external_id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->after);
	stmt_bind_int(st, 2, a->source_id);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*a->out = arena_grow(ctx->arena, *a->out, *a->n, &alloc, sizeof **a->out);
		struct open_run *r = &(*a->out)[(*a->n)++];
		r->repo = stmt_text_dup(st, 0, ctx->arena);
		r->id = stmt_text_dup(st, 1, ctx->arena);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The source's Actions runs stored queued or in progress (started in the
 * last OPEN_RUN_DAYS), into ctx->arena. */
static int open_runs(struct syncer *s, struct open_run **out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	struct open_runs_args a = {s->run->src.id, s->started_ms - OPEN_RUN_DAYS * MS_PER_DAY, out,
	                           n};
	return ctx_run(s->ctx, OP_SYNC_STATUS, open_runs_body, &a, err);
}

/* Stage a page read outside a walk (a Jenkins build read by number) or
 * made from what was read (a run read by id, a compare's commits), format
 * being its resource too; sha256 is the page's when the caller hashed it,
 * else NULL. */
static int stage_made_page(struct syncer *s, const char *url, const char *format, const char *page,
                           size_t len, const char *sha256, struct error *err)
{
	struct page_args pa = {
	        .run = s->run,
	        .doc = {.origin = url,
	                .format = format,
	                .resource = format,
	                .data = page,
	                .len = len,
	                .sha256 = sha256},
	};
	int rc = ctx_run(s->ctx, OP_INGEST_STAGE, page_body, &pa, err);
	on_page(s, s->run->counts.records);
	return rc;
}

/* The outcome rc of reading again, by itself, a CI run stored open (an
 * Actions run, a Jenkins build): gone (404), it is left as it was; one the
 * API will not give (a 5xx after the retries, a body refused) too, counted
 * with the first error, for the next sync to try again: failing the run, it
 * failed every sync for as long as it was stored open (found in review).
 * Refused credentials, a stop, the run's waits past --max-wait, a rate
 * limit plumb will not wait out (or a server down for longer, its 5xx's
 * Retry-After past the wait) and the database's errors still fail it:
 * taken as one run not read, the bound passed, each further run stored open
 * was tried once more (a timeout: 60 s each), and each further read went
 * into the spent limit (found in review). */
static int reread_outcome_of(struct syncer *s, int rc, int64_t *unread, const char **first,
                             struct error *err)
{
	bool stopping = s->o->stop && s->o->stop(s->o->stop_data);
	if (rc == ERR_NOT_FOUND || (!stopping && !s->out_of_wait && !s->rate_limited &&
	                            (rc == ERR_FAILED || rc == ERR_INVALID || rc == ERR_TOO_BIG))) {
		if (rc != ERR_NOT_FOUND && !(*unread)++) {
			syncer_redact(s, err);
			*first = arena_strdup(s->ctx->arena, err->message);
		}
		err_clear(err);
		return 0;
	}
	return rc;
}

/* reread_outcome_of for a CI run. */
static int reread_outcome(struct syncer *s, int rc, struct error *err)
{
	return reread_outcome_of(s, rc, &s->open_unread, &s->open_unread_error, err);
}

struct staged_args {
	int64_t run_id;
	const char *kind, *external_id;
	bool staged;
};

static int staged_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct staged_args *a = arg;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT 1 FROM ingest_staging WHERE run_id = ? AND kind = ? AND "
	                       "external_id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->run_id);
	stmt_bind_text(st, 2, a->kind);
	stmt_bind_text(st, 3, a->external_id);
	rc = stmt_step(st, err);
	a->staged = rc == STORE_ROW;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Whether this run staged a record of kind with that id already. */
static int staged_in_run(struct syncer *s, const char *kind, const char *external_id, bool *staged,
                         struct error *err)
{
	struct staged_args a = {s->run->id, kind, external_id, false};
	int rc = ctx_run(s->ctx, OP_SYNC_STATUS, staged_body, &a, err);
	*staged = a.staged;
	return rc;
}

/* Read again, by id, each run of repo that the last sync saw still open
 * and this run's walk did not list: the runs listing filters by creation
 * day (created>=, from the cursor), so a run created before the cursor's
 * day and finished since would otherwise stay open for good.  Each run
 * (GET .../actions/runs/ID) is staged as a page of one ({"workflow_runs":
 * [RUN]}, no total); see reread_outcome for one gone or not given. */
static int refetch_open_runs(struct syncer *s, const char *repo, const struct open_run *runs,
                             size_t n, struct error *err)
{
	struct arena *a = s->ctx->arena;
	const char *key = arena_strlower(a, repo);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (strcmp(runs[i].repo, key) != 0)
			continue;
		/* Listed by this run's walk: as new as a read by id would be
		 * (found in the sync hunt: a request of the hourly limit per open
		 * run, every sync, as docs/cli.md says it does not). */
		bool listed = false;
		if ((rc = staged_in_run(s, "ci_run", runs[i].id, &listed, err)) < 0 || listed)
			continue;
		const char *url = arena_printf(a, "%s/repos/%s/actions/runs/%s", s->api, repo,
		                               escape(a, runs[i].id));
		struct http_response resp;
		rc = syncer_get(s, url, NULL, NULL, &resp, err);
		cJSON *run = rc == 0 ? cJSON_ParseWithLength(resp.body, resp.len) : NULL;
		http_response_free(&resp);
		if (rc == 0 && !cJSON_IsObject(run)) {
			rc = err_set(err, ERR_INVALID, "%s: expected a workflow run object", url);
			err_hint(err, "nothing was published");
		}
		char *page = NULL;
		if (rc == 0) {
			cJSON *doc = cJSON_CreateObject();
			cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "workflow_runs"), run);
			run = NULL; /* doc owns it */
			page = cJSON_PrintUnformatted(doc);
			cJSON_Delete(doc);
		}
		cJSON_Delete(run);
		if (rc == 0)
			rc = stage_made_page(s, url, "github-workflow-runs", page, strlen(page),
			                     NULL, err);
		cJSON_free(page);
		rc = reread_outcome(s, rc, err);
	}
	return rc;
}

/* ---- deployments not finished ------------------------------------------------ */

/* GitHub lists deployments newest first, and a walk stops at the first page
 * reaching back past the cursor: a deployment 100 or more behind the newest
 * by the next sync, still queued or in progress then, was never read again
 * and stayed unfinished for good (found in the sync hunt), as Actions runs
 * and Jenkins builds did before they were read again.  Such deployments of
 * the last DEPLOY_OPEN_DAYS (a deployment waiting for an environment's
 * reviewers is refused after 30 days) have their statuses read again, at
 * most DEPLOY_REREAD_MAX a run, the newest first of all the source's
 * repositories (each a request: a hundred a repository, every sync for a
 * month, would spend an organization's hourly limit on deployments a tool
 * never finished; found in review); one with no status yet only within
 * DEPLOY_UNSTARTED_DAYS (many tools never post one). */
#define DEPLOY_OPEN_DAYS      31
#define DEPLOY_UNSTARTED_DAYS 1
#define DEPLOY_REREAD_MAX     100

/* A deployment to read again: its repository as walked, id and creation. */
struct open_deploy {
	const char *repo, *id;
	int64_t at;
};

struct open_deploys_args {
	int64_t source_id, run_id, after, unstarted_after;
	const char *repo, *key;   /* as walked, and as owner_key: lower case */
	struct open_deploy **out; /* appended to, in ctx->arena */
	size_t *n, *alloc;
};

static int open_deploys_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct open_deploys_args *a = arg;
	struct store_stmt *st;
	/* Not those this run staged: listed (or their statuses read) by the
	 * walk, as new as a read again would be. */
	int rc = store_prepare(
	        ctx->store,
	        "SELECT external_id, occurred_at FROM events e WHERE kind = 'deployment' AND "
	        "+occurred_at >= ? "
	        "AND source_id = ? AND owner_system = 'github' AND owner_key = ? AND (status IN "
	        "('queued', 'pending', 'in_progress') OR (status IS NULL AND +occurred_at >= ?)) "
	        "AND NOT EXISTS (SELECT 1 FROM ingest_staging g WHERE g.run_id = ? AND g.kind = "
	        "'deployment' AND g.external_id = e.external_id) ORDER BY +occurred_at DESC, "
	        "external_id LIMIT ?",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->after);
	stmt_bind_int(st, 2, a->source_id);
	stmt_bind_text(st, 3, a->key);
	stmt_bind_int(st, 4, a->unstarted_after);
	stmt_bind_int(st, 5, a->run_id);
	stmt_bind_int(st, 6, DEPLOY_REREAD_MAX);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*a->out = arena_grow(ctx->arena, *a->out, *a->n, a->alloc, sizeof **a->out);
		(*a->out)[(*a->n)++] = (struct open_deploy){
		        a->repo, stmt_text_dup(st, 0, ctx->arena), stmt_int(st, 1)};
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Add repo's deployments stored not finished that this run did not stage
 * (see DEPLOY_OPEN_DAYS) to those to read again. */
static int open_deploys(struct syncer *s, const char *repo, struct open_deploy **out, size_t *n,
                        size_t *alloc, struct error *err)
{
	struct arena *a = s->ctx->arena;
	struct open_deploys_args od = {s->run->src.id,
	                               s->run->id,
	                               s->started_ms - DEPLOY_OPEN_DAYS * MS_PER_DAY,
	                               s->started_ms - DEPLOY_UNSTARTED_DAYS * MS_PER_DAY,
	                               repo,
	                               arena_strlower(a, repo),
	                               out,
	                               n,
	                               alloc};
	return ctx_run(s->ctx, OP_SYNC_STATUS, open_deploys_body, &od, err);
}

static int cmp_open_deploy(const void *x, const void *y)
{
	const struct open_deploy *a = x, *b = y;
	if (a->at != b->at)
		return a->at > b->at ? -1 : 1;
	int c = strcmp(a->repo, b->repo);
	return c ? c : strcmp(a->id, b->id);
}

/* Read again the statuses of the newest DEPLOY_REREAD_MAX of them; one
 * gone since (404), or that the API will not give, as reread_outcome
 * says. */
static int refetch_open_deploys(struct syncer *s, struct open_deploy *d, size_t n,
                                struct error *err)
{
	struct arena *a = s->ctx->arena;
	if (n)
		qsort(d, n, sizeof *d, cmp_open_deploy);
	int rc = 0;
	for (size_t i = 0; i < n && i < DEPLOY_REREAD_MAX && rc == 0; i++) {
		struct fetch f = {
		        .format = "github-deployment-statuses",
		        .url = arena_printf(a, "%s/repos/%s/deployments/%s/statuses?per_page=%d",
		                            s->api, d[i].repo, escape(a, d[i].id), PAGE_SIZE),
		        .paging = PAGE_LINK,
		};
		rc = reread_outcome_of(s, fetch_all(s, &f, err), &s->deploys_unread,
		                       &s->deploys_unread_error, err);
	}
	return rc;
}

struct commit_known_args {
	int64_t source_id;
	const char *sha;
	bool known;
};

static int commit_known_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct commit_known_args *a = arg;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT 1 FROM events WHERE source_id = ? AND kind = 'commit' AND "
	                       "external_id = ?",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->source_id);
	stmt_bind_text(st, 2, a->sha);
	rc = stmt_step(st, err);
	a->known = rc == STORE_ROW;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Whether the commit sha is stored for this source already. */
static int commit_known(struct syncer *s, const char *sha, bool *known, struct error *err)
{
	struct commit_known_args k = {s->run->src.id, sha, false};
	int rc = ctx_run(s->ctx, OP_SYNC_STATUS, commit_known_body, &k, err);
	*known = k.known;
	return rc;
}

/* Stage the commits reachable from `to` and not from `from` (GET
 * .../compare/FROM...TO, 100 a page, following Link), each page as a
 * commits page.  A compare gone (404: a commit force-pushed away) stages
 * nothing and is no failure.  A page repeating the one before is an error,
 * as in fetch_all; compared as staged, the commits alone, so the compare's
 * other fields or spacing changing as it repeats do not hide it. */
static int stage_compare(struct syncer *s, const char *repo, const char *from, const char *to,
                         struct error *err)
{
	struct arena *a = s->ctx->arena;
	const char *first = arena_printf(a, "%s/repos/%s/compare/%s...%s?per_page=%d", s->api, repo,
	                                 escape(a, from), escape(a, to), PAGE_SIZE);
	const char *url = first;
	struct hmap seen;
	hmap_init(&seen);
	struct page_prev prev;
	page_prev_init(&prev);
	int rc = 0;
	for (int page = 0; url && page < MAX_PAGES && rc == 0; page++) {
		if ((rc = page_loop(&seen, url, page, err)) < 0)
			break;
		struct http_response resp;
		rc = syncer_get(s, url, NULL, NULL, &resp, err);
		if (rc == ERR_NOT_FOUND && page == 0) {
			http_response_free(&resp);
			err_clear(err);
			rc = 0;
			url = NULL;
			break;
		}
		const char *next = rc == 0 && resp.next_url ? arena_strdup(a, resp.next_url) : NULL;
		cJSON *doc = rc == 0 ? cJSON_ParseWithLength(resp.body, resp.len) : NULL;
		http_response_free(&resp);
		cJSON *commits = cJSON_DetachItemFromObjectCaseSensitive(doc, "commits");
		cJSON_Delete(doc);
		if (rc == 0 && !cJSON_IsArray(commits)) {
			rc = err_set(err, ERR_INVALID, "%s: expected an object with commits", url);
			err_hint(err, "nothing was published");
		}
		/* Listed now: another merge naming one of them, or a first parent
		 * among them, needs no compare of its own. */
		const cJSON *c, *listed = rc == 0 ? commits : NULL;
		cJSON_ArrayForEach(c, listed)
		{
			const cJSON *sha = cJSON_GetObjectItemCaseSensitive(c, "sha");
			if (cJSON_IsString(sha))
				hmap_put(&s->commits_listed, sha->valuestring, 1);
		}
		char *body = rc == 0 ? cJSON_PrintUnformatted(commits) : NULL;
		bool items = cJSON_GetArraySize(commits) > 0;
		cJSON_Delete(commits);
		char sha256[SHA256_HEX_LEN + 1];
		if (rc == 0) {
			sha256_hex(body, strlen(body), sha256);
			rc = page_check(&prev, sha256, items, url, "page", err);
		}
		if (rc == 0)
			rc = stage_made_page(s, url, "github-commits", body, strlen(body), sha256,
			                     err);
		cJSON_free(body);
		url = next;
	}
	hmap_release(&seen);
	page_prev_release(&prev);
	if (rc == 0 && url)
		rc = pages_cut(first, err);
	return rc;
}

/*
 * The branches the run's merge commits brought, read by comparing each
 * merge's first parent with its other, each staged as commits pages.
 * GitHub's `since` compares commit dates and a merged branch keeps its
 * own, older ones: past the cursor, its commits were never listed, so lead
 * time could not walk from the merge to them (found in acceptance).  A
 * branch whose head was listed in the run, or is stored, is known already.
 */
static int merged_branches(struct syncer *s, const char *repo, struct error *err)
{
	int rc = 0;
	/* Oldest first (the listing is newest first): a later merge of a
	 * branch an earlier one brought finds its head listed. */
	for (size_t i = s->nmerges; i-- > 0 && rc == 0;) {
		const struct merge *m = &s->merges[i];
		bool known = false;
		if (hmap_get(&s->commits_listed, m->to, NULL))
			continue;
		if ((rc = commit_known(s, m->to, &known, err)) < 0 || known)
			continue;
		rc = stage_compare(s, repo, m->from, m->to, err);
		/* Each branch once, however many merges name its head. */
		hmap_put(&s->commits_listed, m->to, 1);
	}
	return rc;
}

/*
 * Commits that reached the default branch without a merge commit but
 * dated before the cursor: a fast-forward push of commits made earlier, or
 * history rewritten with old dates.  `since` lists only what came after
 * them, and the oldest of those then names a first parent neither listed
 * nor stored.  That gap is filled by comparing the head the last sync saw
 * (resource REPO:head) with the one listed now.  A gap with nothing newer
 * on top of it is seen at the next commit that lands.  The head moves only
 * when the listing names one; a first sync, or one after an upgrade, only
 * records it.
 */
static int mainline_gap(struct syncer *s, const char *repo, struct error *err)
{
	struct arena *a = s->ctx->arena;
	const char *resource = arena_printf(a, "%s:head", repo);
	struct cursor old = {NULL, NULL};
	int rc = load_cursor(s, resource, &old, err);
	if (rc < 0 || !s->head_listed)
		return rc;
	bool gap = false;
	if (old.value && strcmp(old.value, s->head_listed) != 0) {
		for (size_t i = 0; i < s->nfirst && !gap && rc == 0; i++) {
			const char *p = s->first_parents[i];
			bool known = false;
			if (strcmp(p, old.value) == 0 || hmap_get(&s->commits_listed, p, NULL))
				continue;
			rc = commit_known(s, p, &known, err);
			gap = !known;
			/* Known or not, one lookup a parent. */
			hmap_put(&s->commits_listed, p, 1);
		}
	}
	if (rc == 0 && gap)
		rc = stage_compare(s, repo, old.value, s->head_listed, err);
	if (rc == 0) {
		struct cursor_stage_args ca = {s->run, resource, s->head_listed, NULL};
		rc = ctx_run(s->ctx, OP_INGEST_STAGE, cursor_stage_body, &ca, err);
	}
	return rc;
}

/* GitHub lists at most 1,000 workflow runs for a query with `created` (its
 * REST docs: "up to 1,000 results for each search when using ... created"),
 * and declares in total_count how many match. */
#define GH_RUNS_LISTED 1000
/* A window narrower than this holding more than GitHub lists is an error. */
#define GH_MIN_WINDOW_MS (60 * 1000LL)

/* The runs of repo created in [from, to] (whole seconds; open: created on
 * from's day or later, the one query of a repository with fewer than
 * GitHub lists, which keeps its ETag), a window GitHub lists whole, or its
 * halves in turn when it declares more: the newest 1,000 alone were read
 * (found in the sync hunt: 5.5 runs a day over a first sync's 180 days
 * lost the rest for good). */
static int github_runs_window(struct syncer *s, const char *repo, const char *resource,
                              int64_t from, int64_t to, bool open, int64_t *newest,
                              struct error *err)
{
	struct arena *a = s->ctx->arena;
	const char *since = iso_seconds(a, from), *until = iso_seconds(a, to);
	char day[TS_BUF];
	struct fetch f = {
	        .resource = resource,
	        .format = "github-workflow-runs",
	        .url = open ? arena_printf(
	                              a, "%s/repos/%s/actions/runs?per_page=%d&created=%%3E%%3D%s",
	                              s->api, repo, PAGE_SIZE, ts_format_date(from, day))
	                    : arena_printf(a, "%s/repos/%s/actions/runs?per_page=%d&created=%s..%s",
	                                   s->api, repo, PAGE_SIZE, since, until),
	        .paging = PAGE_LINK,
	        .use_etag = open,
	        .children = CHILD_NONE,
	        .repo = repo,
	        .part = open ? NULL : arena_printf(a, "%s created %s..%s", resource, since, until),
	        .newest_across = newest,
	        .max_listed = GH_RUNS_LISTED,
	        .total_key = "total_count",
	};
	s->too_many = false;
	int rc = fetch_all(s, &f, err);
	if (rc < 0 || !s->too_many)
		return rc;
	if (to - from <= GH_MIN_WINDOW_MS) {
		err_set(err, ERR_FAILED,
		        "%s: more than %d workflow runs created from %s to %s, more than GitHub "
		        "lists",
		        f.url, GH_RUNS_LISTED, since, until);
		err_hint(err,
		         "GitHub lists at most %d runs for a query by creation; nothing was "
		         "published",
		         GH_RUNS_LISTED);
		return err->code;
	}
	int64_t mid = from + (to - from) / 2;
	mid -= mid % 1000;
	rc = github_runs_window(s, repo, resource, from, mid - 1000, false, newest, err);
	return rc < 0 ? rc : github_runs_window(s, repo, resource, mid, to, false, newest, err);
}

/* The runs of repo created since the day of since: one query, or windows
 * (github_runs_window). */
static int github_runs(struct syncer *s, const char *repo, const char *resource, int64_t since,
                       struct error *err)
{
	int64_t day = since - since % MS_PER_DAY, to = s->started_ms - s->started_ms % 1000;
	if (since < 0 && since % MS_PER_DAY)
		day -= MS_PER_DAY;
	int64_t newest = 0;
	return github_runs_window(s, repo, resource, day, to < day ? day : to, true, &newest, err);
}

/* Whether repo, listed by the source's organization, is to be skipped
 * after its read failed with rc: its first request answered 404 (deleted
 * or made private since the listing), 451 (withheld for legal reasons) or
 * 403 "Repository access blocked" (GitHub's block for its terms of
 * service), the last two of which the listing names on every run, before
 * any page of it was staged.  Failing the source, the race failed every
 * repository's run, and a 451 did so for good (found in the sync hunt).
 * Then err is cleared and the repository is recorded for the summary.
 * Another 403 (a token without access) still fails: it is no repository's
 * own state; and so does a repository named by --repo: a name the API does
 * not know is the source's settings. */
static bool org_repo_skipped(struct syncer *s, const char *repo, int64_t pages_before, int rc,
                             struct error *err)
{
	bool gone = rc == ERR_NOT_FOUND && s->last_status == 404;
	bool withheld = rc != ERR_NOT_FOUND && s->last_status == 451;
	/* The detail quotes the start of the body, where GitHub's message is. */
	bool blocked = rc == ERR_DENIED && s->last_status == 403 &&
	               strstr(err->detail, "\"Repository access blocked\"");
	if (!config_str(s, "org") || s->run->counts.documents != pages_before ||
	    !(gone || withheld || blocked))
		return false;
	struct arena *a = s->ctx->arena;
	s->repos_skipped = arena_grow(a, s->repos_skipped, s->nrepos_skipped, &s->arepos_skipped,
	                              sizeof *s->repos_skipped);
	s->repos_skipped[s->nrepos_skipped++] =
	        (struct sync_skipped_repo){arena_strdup(a, repo), s->last_status};
	err_clear(err);
	return true;
}

static int sync_github(struct syncer *s, struct error *err)
{
	struct arena *a = s->ctx->arena;
	const char **repos = NULL;
	size_t n = 0, alloc = 0;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(s->config, "repos");
	const cJSON *r;
	cJSON_ArrayForEach(r, list)
	{
		repos = arena_grow(a, repos, n, &alloc, sizeof *repos);
		repos[n++] = r->valuestring;
	}
	int rc = 0;
	if (config_str(s, "org")) {
		rc = org_repos(s, config_str(s, "org"), &repos, &n, err);
		s->org_matched_none = rc == 0 && n == 0;
	}
	distinct_repos(a, repos, &n);
	struct open_run *open = NULL;
	size_t nopen = 0, nodeploys = 0, aodeploys = 0;
	struct open_deploy *odeploys = NULL;
	if (rc == 0)
		rc = open_runs(s, &open, &nopen, err);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *repo = repos[i];
		struct cursor c = {NULL, NULL};
		const char *res_commits = arena_printf(a, "%s:commits", repo);
		const char *res_runs = arena_printf(a, "%s:actions-runs", repo);
		rc = load_cursor(s, res_commits, &c, err);
		int64_t commits_since = cursor_until_start(s, res_commits, &c, s->since_default);
		if (rc == 0)
			rc = load_cursor(s, res_runs, &c, err);
		int64_t runs_since = cursor_until_start(s, res_runs, &c, s->since_default);
		struct fetch f[] = {
		        {arena_printf(a, "%s:pulls", repo), "github-pulls",
		         arena_printf(a,
		                      "%s/repos/%s/pulls?state=all&sort=updated&direction=desc&per_"
		                      "page=%d",
		                      s->api, repo, PAGE_SIZE),
		         PAGE_LINK, true, true, CHILD_REVIEWS, repo, NULL, NULL, NULL, 0, NULL},
		        {res_commits, "github-commits",
		         arena_printf(a, "%s/repos/%s/commits?per_page=%d&since=%s", s->api, repo,
		                      PAGE_SIZE, iso_seconds(a, commits_since)),
		         PAGE_LINK, true, false, CHILD_NONE, repo, NULL, NULL, NULL, 0, NULL},
		        {arena_printf(a, "%s:deployments", repo), "github-deployments",
		         arena_printf(a, "%s/repos/%s/deployments?per_page=%d", s->api, repo,
		                      PAGE_SIZE),
		         PAGE_LINK, true, true, CHILD_STATUSES, repo, NULL, NULL, NULL, 0, NULL},
		};
		hmap_init(&s->commits_listed);
		s->nmerges = 0;
		s->nfirst = 0;
		s->head_listed = NULL;
		int64_t pages_before = s->run->counts.documents;
		s->last_status = 0;
		for (size_t k = 0; k < sizeof f / sizeof f[0] && rc == 0; k++)
			rc = fetch_all(s, &f[k], err);
		if (rc < 0 && org_repo_skipped(s, repo, pages_before, rc, err)) {
			hmap_release(&s->commits_listed);
			rc = 0;
			continue;
		}
		if (rc == 0)
			rc = github_runs(s, repo, res_runs, runs_since, err);
		if (rc == 0)
			rc = merged_branches(s, repo, err);
		if (rc == 0)
			rc = mainline_gap(s, repo, err);
		hmap_release(&s->commits_listed);
		if (rc == 0)
			rc = refetch_open_runs(s, repo, open, nopen, err);
		if (rc == 0)
			rc = open_deploys(s, repo, &odeploys, &nodeploys, &aodeploys, err);
	}
	return rc < 0 ? rc : refetch_open_deploys(s, odeploys, nodeploys, err);
}

static int sync_jira(struct syncer *s, struct error *err)
{
	struct arena *a = s->ctx->arena;
	const char *project = config_str(s, "project"), *jql = config_str(s, "jql");
	const char *base = jql ? jql : arena_printf(a, "project = \"%s\"", project);
	const char *resource = "issues";
	struct cursor c = {NULL, NULL};
	int rc = load_cursor(s, resource, &c, err);
	if (rc < 0)
		return rc;
	/* Jira compares at minute precision in the user's zone: start a day
	 * early and let the upsert drop what is already known.  Ordered by
	 * what no update changes: by updated, an issue updated while the pages
	 * were read moved to the end, the others up one place, and with startAt
	 * paging the one that crossed the page boundary was never listed, the
	 * cursor moving past it for good (found in the sync hunt). */
	char day[TS_BUF];
	int64_t since = cursor_until_start(s, resource, &c, s->since_default) - MS_PER_DAY;
	const char *q = arena_printf(a, "(%s) AND updated >= \"%s\" ORDER BY created ASC, key ASC",
	                             base, ts_format_date(since, day));
	struct fetch f = {
	        resource,
	        "jira-search",
	        arena_printf(
	                a,
	                "%s/rest/api/3/search/jql?jql=%s&expand=changelog&maxResults=%d&fields="
	                "summary,status,created,updated,resolutiondate,assignee,reporter,"
	                "project,issuetype,priority",
	                s->api, escape(a, q), PAGE_SIZE),
	        PAGE_JIRA,
	        false,
	        false,
	        CHILD_NONE,
	        NULL,
	        NULL,
	        NULL,
	        NULL,
	        0,
	        NULL,
	};
	return fetch_all(s, &f, err);
}

/* A job's URL: folder/job is /job/folder/job/job. */
static const char *jenkins_job_url(const struct syncer *s, const char *job)
{
	struct arena *a = s->ctx->arena;
	struct sb path = SB_INIT;
	for (const char *p = job; p && *p;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		char *seg = arena_strndup(a, p, n);
		sb_printf(&path, "/job/%s", escape(a, seg));
		p += n + (slash ? 1 : 0);
	}
	const char *url = arena_printf(a, "%s%s", s->api, path.buf ? path.buf : "");
	sb_release(&path);
	return url;
}

/* The parser takes no build longer than a year (366 days): a build stored
 * open that started longer ago (and a day for clocks) has ended, or is
 * gone. */
#define OPEN_BUILD_DAYS 367

struct open_build {
	const char *job, *number;
};

struct open_builds_args {
	int64_t source_id, run_id, after;
	const char *job;        /* the source's --job: another job's builds are not its to read */
	struct open_build *out; /* into ctx->arena */
	size_t n;
};

static int open_builds_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct open_builds_args *a = arg;
	struct store_stmt *st;
	/* +occurred_at: read through the source's own events (source_id, kind),
	 * not every source's CI runs of the year by time, which SQLite chose: a
	 * job's builds are a few of an org's (20 ms against 2 ms at 12,000
	 * Actions runs, and growing with them). */
	int rc = store_prepare(
	        ctx->store,
	        "SELECT owner_key, number FROM events e WHERE kind = 'ci_run' AND "
	        "+occurred_at >= ? AND source_id = ? AND owner_system = 'jenkins' AND "
	        "owner_key = ? AND number IS NOT NULL AND status IN " OPEN_STATUSES
	        " AND NOT EXISTS (SELECT 1 "
	        "FROM ingest_staging g WHERE g.run_id = ? AND g.kind = 'ci_run' AND "
	        "g.external_id = e.external_id) ORDER BY +occurred_at, external_id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->after);
	stmt_bind_int(st, 2, a->source_id);
	stmt_bind_text(st, 3, a->job);
	stmt_bind_int(st, 4, a->run_id);
	size_t alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		a->out = arena_grow(ctx->arena, a->out, a->n, &alloc, sizeof *a->out);
		struct open_build *b = &a->out[a->n++];
		b->job = stmt_text_dup(st, 0, ctx->arena);
		b->number = stmt_text_dup(st, 1, ctx->arena);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Read again, by number, each build of the source stored queued or in
 * progress (started in the last OPEN_BUILD_DAYS) that this run's walk did
 * not list: the walk stops at the cursor, so a build running when synced
 * and 100 builds or more behind it by the next sync would otherwise stay
 * open for good.  Builds of the source's --job only: after `source set
 * --job` those of the job it read before are not its to read (found in
 * review: one gone, or one Jenkins would not give, was asked for on every
 * sync for a year).  Each (GET JOB/N/api/json, the walk's fields; JOB the
 * build's own, as its url named it) is staged as Jenkins gave it, a
 * jenkins-build; see reread_outcome for one gone or not given. */
static int refetch_open_builds(struct syncer *s, const char *fields, struct error *err)
{
	struct arena *a = s->ctx->arena;
	struct open_builds_args ob = {
	        s->run->src.id,       s->run->id, s->started_ms - OPEN_BUILD_DAYS * MS_PER_DAY,
	        config_str(s, "job"), NULL,       0};
	int rc = ctx_run(s->ctx, OP_SYNC_STATUS, open_builds_body, &ob, err);
	for (size_t i = 0; i < ob.n && rc == 0; i++) {
		const char *url =
		        arena_printf(a, "%s/%s/api/json?tree=%s", jenkins_job_url(s, ob.out[i].job),
		                     escape(a, ob.out[i].number), fields);
		struct http_response resp;
		rc = syncer_get(s, url, NULL, NULL, &resp, err);
		if (rc == 0)
			rc = stage_made_page(s, url, "jenkins-build", resp.body, resp.len, NULL,
			                     err);
		http_response_free(&resp);
		rc = reread_outcome(s, rc, err);
	}
	return rc;
}

static int sync_jenkins(struct syncer *s, struct error *err)
{
	struct arena *a = s->ctx->arena;
	/* Every field parse_jenkins reads (found in review: without the change
	 * sets' kind, the causes' class, the revision's branch and the remotes
	 * a synced run lost what an ingested file of the same build had). */
	const char *fields = "number,url,result,building,timestamp,duration,fullDisplayName,"
	                     "actions[causes[_class,userId],lastBuiltRevision[SHA1,branch[name]],"
	                     "remoteUrls],changeSets[kind,items[commitId,authorEmail,timestamp,"
	                     "date]],changeSet[kind,items[commitId,authorEmail,timestamp,date]]";
	const char *job_url = jenkins_job_url(s, config_str(s, "job"));
	/* Newest first, until the first page that reaches back past the
	 * cursor: Jenkins lists the newest 100 as builds, the rest only as
	 * allBuilds (found in acceptance: a job with more than 100 builds
	 * since the last sync lost the rest for good). */
	struct fetch f = {
	        "builds",
	        "jenkins-builds",
	        arena_printf(a, "%s/api/json?tree=url,builds[%s]{0,%d}", job_url, fields,
	                     PAGE_SIZE),
	        PAGE_RANGE,
	        false,
	        true,
	        CHILD_NONE,
	        NULL,
	        arena_printf(a, "%s/api/json?tree=url,allBuilds[%s]", job_url, fields),
	        NULL,
	        NULL,
	        0,
	        NULL,
	};
	int rc = fetch_all(s, &f, err);
	return rc == 0 ? refetch_open_builds(s, fields, err) : rc;
}

/* PagerDuty's since and until select incidents by creation, over at most
 * six months a request; a cursor is where the last run's windows ended, a
 * little before it (an incident created then may not be listed yet). */
#define PD_WINDOW_MS (180 * MS_PER_DAY)
#define PD_SLACK_MS  (10 * 60 * 1000LL)

struct open_args {
	int64_t source_id, oldest;
	const cJSON *services; /* the source's --service list, or NULL: all */
	bool found;
};

/* The creation of the oldest incident of the source still open here, of
 * the services it reads now: one of a service taken off its list is never
 * listed again, and would pin every later sync to its creation (found in
 * session 39's hunt). */
static int open_incidents_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct open_args *o = arg;
	struct store_stmt *st;
	bool all = cJSON_GetArraySize(o->services) == 0;
	int rc =
	        store_prepare(ctx->store,
	                      all ? "SELECT MIN(occurred_at) FROM events WHERE source_id = ?1 AND "
	                            "kind = 'incident' AND (status IS NULL OR status <> "
	                            "'resolved')"
	                          : "SELECT MIN(occurred_at) FROM events WHERE source_id = ?1 AND "
	                            "kind = 'incident' AND (status IS NULL OR status <> "
	                            "'resolved') AND owner_system = 'pagerduty' AND owner_key = ?2",
	                      &st, err);
	if (rc < 0)
		return rc;
	o->found = false;
	const cJSON *v = all ? NULL : o->services->child;
	do {
		stmt_bind_int(st, 1, o->source_id);
		if (!all)
			stmt_bind_text(st, 2, cJSON_IsString(v) ? v->valuestring : NULL);
		rc = stmt_step(st, err);
		if (rc == STORE_ROW && !stmt_is_null(st, 0) &&
		    (!o->found || stmt_int(st, 0) < o->oldest)) {
			o->oldest = stmt_int(st, 0);
			o->found = true;
		}
		stmt_reset(st);
	} while (rc >= 0 && v && (v = v->next));
	return rc < 0 ? rc : 0;
}

/* Incidents created since the cursor, and since the oldest one still open
 * here (its resolution changes it, not its creation: found in review, an
 * incident open at one sync never got its end), in windows of six months. */
/* A window narrower than this holding more than PagerDuty lists is an error. */
#define PD_MIN_WINDOW_MS (60 * 1000LL)

/* The incidents created in [from, to), a window PagerDuty lists whole, or
 * its halves in turn when it declares more than its offsets reach. */
static int pd_window(struct syncer *s, int64_t from, int64_t to, const char *services,
                     struct error *err)
{
	struct arena *a = s->ctx->arena;
	const char *since = iso(a, from), *until = iso(a, to);
	struct fetch f = {
	        .resource = "incidents",
	        .format = "pagerduty-incidents",
	        .url = arena_printf(a, "%s/incidents?limit=%d&total=true&since=%s&until=%s%s",
	                            s->api, PAGE_SIZE, escape(a, since), escape(a, until),
	                            services ? services : ""),
	        .paging = PAGE_PD,
	        .children = CHILD_NONE,
	        .part = arena_printf(a, "incidents %s..%s", since, until),
	        .max_listed = PD_MAX_RECORDS,
	        .total_key = "total",
	};
	s->too_many = false;
	int rc = fetch_all(s, &f, err);
	if (rc < 0 || !s->too_many)
		return rc;
	if (to - from <= PD_MIN_WINDOW_MS) {
		err_set(err, ERR_FAILED,
		        "%s: more than %d incidents created from %s to %s, more than PagerDuty "
		        "lists",
		        f.url, PD_MAX_RECORDS, since, until);
		err_hint(err, "name fewer services with 'plumb source set NAME --service ID'; "
		              "nothing was published");
		return err->code;
	}
	int64_t mid = from + (to - from) / 2;
	rc = pd_window(s, from, mid, services, err);
	return rc < 0 ? rc : pd_window(s, mid, to, services, err);
}

static int sync_pagerduty(struct syncer *s, struct error *err)
{
	struct arena *a = s->ctx->arena;
	struct cursor c = {NULL, NULL};
	struct open_args open = {s->run->src.id, 0,
	                         cJSON_GetObjectItemCaseSensitive(s->config, "services"), false};
	int rc = load_cursor(s, "incidents", &c, err);
	if (rc == 0)
		rc = ctx_run(s->ctx, OP_SYNC_STATUS, open_incidents_body, &open, err);
	if (rc < 0)
		return rc;
	int64_t since = cursor_until_start(s, "incidents", &c, s->since_default);
	int64_t until = ts_now_ms();
	/* One read as now starts where a run ending now would set it. */
	if (cursor_ms(&c, since) > since)
		since -= PD_SLACK_MS;
	if (open.found && open.oldest < since)
		since = open.oldest;
	struct sb q = SB_INIT;
	const cJSON *v;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(s->config, "services"))
	{
		if (cJSON_IsString(v))
			sb_printf(&q, "&service_ids%%5B%%5D=%s", escape(a, v->valuestring));
	}
	for (int64_t from = since; rc == 0 && from < until; from += PD_WINDOW_MS)
		rc = pd_window(s, from, until - from > PD_WINDOW_MS ? from + PD_WINDOW_MS : until,
		               q.buf, err);
	sb_release(&q);
	if (rc == 0) {
		struct cursor_stage_args ca = {s->run, "incidents", iso(a, until - PD_SLACK_MS),
		                               NULL};
		rc = ctx_run(s->ctx, OP_INGEST_STAGE, cursor_stage_body, &ca, err);
	}
	return rc;
}

/* Prometheus: each SLO's queries over query_range since the last cursor
 * less PROM_LOOKBACK_MS (first: --since, else the SLO's time window), in
 * chunks Prometheus accepts (at most PROM_POINTS points a request), then
 * every series upserted in one audited transaction with the new cursors. */
#define PROM_POINTS 10000
/* A step read before is read again so far back: a sample that came late
 * (scraped or written behind, a federated server catching up) changes a
 * step already read, and read once it was lost.  The upsert leaves the
 * points that did not change as they were.  PagerDuty's windows go back as
 * far. */
#define PROM_LOOKBACK_MS (10 * 60000)
/* After a series' query hash in its cursor's ETag column: the SLO's times
 * that gave NaN or infinity which the next sync reads again (the
 * lookback), so it can tell one that was unknown then from one read then
 * with no point at all, which turning NaN is news. */
#define PROM_NAN_MARK " nan:"
/* Before it, after the hash: the step the series was read at and its
 * SLO's time window then, in ms. */
#define PROM_STEP_MARK   " step:"
#define PROM_WINDOW_MARK " window:"

/* The times one SLO's count queries gave NaN or infinity for. */
struct prom_unknown {
	const char *slo;
	int64_t *at; /* sorted, each once */
	/* Each to be warned of: not read before (the lookback reads a time
	 * again for 10 minutes, and each sync warned of it again), read
	 * before but not unknown then (prom_newly_unknown), or a sample
	 * stored there removed. */
	bool *said;
	size_t n;
	/* The latest cursor of the SLO's series: at a later time no sync of
	 * this source stored a sample, so one there is another's (a CSV that
	 * 'slo ingest' stored), not to be removed. */
	int64_t read_before;
};

struct prom_series {
	const struct slo_query *q;
	const char *resource;
	/* The query's SHA-256, kept beside the series' cursor (in its ETag
	 * column, which no Prometheus request sends). */
	char query_sha256[SHA256_HEX_LEN + 1];
	struct slo_raw *pts;
	size_t n;
	int64_t *unknown; /* times a count query gave NaN or infinity for */
	size_t nunknown;
	/* Its cursor: an earlier sync read the times up to it; INT64_MIN:
	 * none did (a first sync, a query changed). */
	int64_t read_until;
	/* Its query changed since its cursor was set: the window read again,
	 * from reread_from, whose samples of the old query go where the new
	 * one gave no point. */
	bool query_changed;
	int64_t reread_from;
	/* Where the old query's cursor stood: a later sample in the window is
	 * no sync's of it but a file's ('slo ingest'), spared as the NaN
	 * removal spares one (cleared, a CSV backfill was lost). */
	int64_t old_until;
	/* What its cursor kept of the SLO's unknown times the last sync read
	 * (PROM_NAN_MARK), sorted; nan_known false: a cursor from before it
	 * was kept. */
	bool nan_known;
	int64_t *nan_before;
	size_t nnan_before;
	int64_t step_ms;
	/* The SLO's window is longer than when its cursor was set. */
	bool window_grown;
	/* Its cursor, set by an older plumb, kept no window, or no step: the
	 * SLO's version in force when it was set says what they were. */
	bool window_unknown, step_unknown;
};

/* Whether time at, read before by the SLO of series[i] (and of others
 * after it), is unknown anew: a cursor of the SLO kept the unknown times
 * the last sync read, and at is not one.  Taken as warned of, a time read
 * then with no point in any series (a gap) that turned NaN was never
 * said. */
static bool prom_newly_unknown(const struct prom_series *series, size_t i, size_t n, int64_t at)
{
	bool known = false;
	for (size_t k = i; k < n; k++) {
		const struct prom_series *p = &series[k];
		if (strcmp(p->q->slo, series[i].q->slo) != 0 || !p->nan_known)
			continue;
		known = true;
		if (p->nnan_before &&
		    bsearch(&at, p->nan_before, p->nnan_before, sizeof at, cmp_int64))
			return false;
	}
	return known;
}

/* A time one of an SLO's count queries gave NaN or infinity for (a query
 * dividing 0 by 0) is no sample of that SLO: left out of every series of
 * it, since a total kept without its good would count as all bad, and
 * said once (prom_said).  Refused, as a file's is, it failed every sync
 * until the point left the window (found in review). */
static void drop_unknown_times(struct syncer *s, struct prom_series *series, size_t n,
                               struct prom_unknown **out, size_t *nout)
{
	struct arena *a = s->ctx->arena;
	bool *done = arena_array(a, n ? n : 1, sizeof *done);
	size_t alloc = 0;
	*out = NULL;
	*nout = 0;
	for (size_t i = 0; i < n; i++) {
		if (done[i])
			continue;
		/* The SLO's unknown times from all its series, sorted, once each:
		 * then each point is looked up, not each time against each point
		 * (a first sync of a quiet service can bring tens of thousands). */
		const char *slo = series[i].q->slo;
		size_t nt = 0;
		for (size_t k = i; k < n; k++)
			if (strcmp(series[k].q->slo, slo) == 0)
				nt += series[k].nunknown;
		int64_t *t = arena_array(a, nt ? nt : 1, sizeof *t);
		nt = 0;
		for (size_t k = i; k < n; k++)
			if (strcmp(series[k].q->slo, slo) == 0)
				for (size_t u = 0; u < series[k].nunknown; u++)
					t[nt++] = series[k].unknown[u];
		if (nt)
			qsort(t, nt, sizeof *t, cmp_int64);
		size_t m = 0;
		for (size_t u = 0; u < nt; u++)
			if (!m || t[m - 1] != t[u])
				t[m++] = t[u];
		/* A time past the cursor of one of its series is new to it: an
		 * earlier sync that read it in every series warned of it then. */
		int64_t read_until = INT64_MAX, read_before = INT64_MIN;
		for (size_t k = i; k < n; k++) {
			if (strcmp(series[k].q->slo, slo) != 0)
				continue;
			if (series[k].read_until < read_until)
				read_until = series[k].read_until;
			if (series[k].read_until > read_before)
				read_before = series[k].read_until;
		}
		if (m) {
			bool *said = arena_array(a, m, sizeof *said);
			for (size_t u = 0; u < m; u++)
				said[u] =
				        t[u] > read_until || prom_newly_unknown(series, i, n, t[u]);
			*out = arena_grow(a, *out, *nout, &alloc, sizeof **out);
			(*out)[(*nout)++] = (struct prom_unknown){slo, t, said, m, read_before};
		}
		for (size_t k = i; k < n; k++) {
			struct prom_series *p = &series[k];
			if (strcmp(p->q->slo, slo) != 0)
				continue;
			done[k] = true;
			size_t kept = 0;
			for (size_t j = 0; j < p->n; j++)
				if (!m || !bsearch(&p->pts[j].at, t, m, sizeof *t, cmp_int64))
					p->pts[kept++] = p->pts[j];
			p->n = kept;
		}
	}
}

/* The unknown times to warn of, counted, with the first. */
static void prom_said(struct syncer *s, const struct prom_unknown *unknown, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < unknown[i].n; j++) {
			if (!unknown[i].said[j])
				continue;
			if (!s->slo_times_unknown++) {
				char when[TS_BUF];
				s->slo_unknown_first =
				        arena_printf(s->ctx->arena, "SLO %s at %s", unknown[i].slo,
				                     ts_format(unknown[i].at[j], when));
			}
		}
}

/* The times after PROM_NAN_MARK ("1772319660000,1772319720000") into
 * p->nan_before, sorted; one that is no number is left out. */
static void prom_nan_parse(struct arena *a, const char *list, struct prom_series *p)
{
	size_t alloc = 0;
	p->nan_known = true;
	while (*list) {
		char *end;
		long long t = strtoll(list, &end, 10);
		if (end != list) {
			p->nan_before = arena_grow(a, p->nan_before, p->nnan_before, &alloc,
			                           sizeof *p->nan_before);
			p->nan_before[p->nnan_before++] = t;
		}
		list = *end == ',' ? end + 1 : end + strlen(end);
	}
	if (p->nnan_before)
		qsort(p->nan_before, p->nnan_before, sizeof *p->nan_before, cmp_int64);
}

/* A number after mark at *rest, into *value, *rest moved past it; none
 * there leaves both.  False when the mark has no number after it. */
static bool prom_cursor_field(const char **rest, const char *mark, long long *value)
{
	if (strncmp(*rest, mark, strlen(mark)) != 0)
		return true;
	const char *digits = *rest + strlen(mark);
	char *end;
	errno = 0;
	*value = strtoll(digits, &end, 10);
	*rest = end;
	return !errno && end != digits;
}

/* Whether p's cursor, whose ETag column holds etag (prom_cursor_etag), was
 * set by another query or at another step (a new version of the SLO
 * changed its timeSliceWindow or budgetingMethod): read on from it, the
 * window would hold the samples of two queries, or of two grids, one
 * sample of the old step among several of the new.  Else the unknown times
 * it keeps go into p, and whether the SLO's window grew since (its older
 * part never read), or that it kept no window or no step (set before plumb
 * kept them: prom_cursor_then); one set before it kept the unknown times
 * goes on as one of the same. */
static bool prom_cursor_changed(struct arena *a, const char *etag, struct prom_series *p)
{
	if (strncmp(etag, p->query_sha256, SHA256_HEX_LEN) != 0)
		return true;
	const char *rest = etag + SHA256_HEX_LEN;
	long long step = p->step_ms, window = p->q->window_ms;
	p->step_unknown = strncmp(rest, PROM_STEP_MARK, strlen(PROM_STEP_MARK)) != 0;
	if (!prom_cursor_field(&rest, PROM_STEP_MARK, &step))
		return true;
	p->window_unknown = strncmp(rest, PROM_WINDOW_MARK, strlen(PROM_WINDOW_MARK)) != 0;
	if (!prom_cursor_field(&rest, PROM_WINDOW_MARK, &window) || step != p->step_ms)
		return true;
	p->window_grown = p->q->window_ms > window;
	if (!*rest)
		return false;
	if (strncmp(rest, PROM_NAN_MARK, strlen(PROM_NAN_MARK)) != 0)
		return true;
	prom_nan_parse(a, rest + strlen(PROM_NAN_MARK), p);
	return false;
}

/* What p's cursor keeps in its ETag column: its query's hash, its step,
 * its SLO's window, then the SLO's unknown times the next sync reads again (from
 * PROM_LOOKBACK_MS and a step before now). */
static const char *prom_cursor_etag(struct arena *a, const struct prom_series *p,
                                    const struct prom_unknown *unknown, size_t nunknown,
                                    int64_t now)
{
	struct sb etag = SB_INIT;
	sb_printf(&etag, "%s%s%lld%s%lld%s", p->query_sha256, PROM_STEP_MARK, (long long)p->step_ms,
	          PROM_WINDOW_MARK, (long long)p->q->window_ms, PROM_NAN_MARK);
	const char *sep = "";
	for (size_t i = 0; i < nunknown; i++) {
		if (strcmp(unknown[i].slo, p->q->slo) != 0)
			continue;
		for (size_t j = 0; j < unknown[i].n; j++)
			if (unknown[i].at[j] >= now - PROM_LOOKBACK_MS - p->step_ms) {
				sb_printf(&etag, "%s%lld", sep, (long long)unknown[i].at[j]);
				sep = ",";
			}
	}
	const char *out = arena_strdup(a, etag.buf);
	sb_release(&etag);
	return out;
}

struct prom_then_args {
	int64_t source_id;
	const struct prom_series *p;
	int64_t window_ms, step_ms; /* out: 0 when unknown */
};

static int prom_then_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct prom_then_args *a = arg;
	struct store_stmt *st;
	a->window_ms = a->step_ms = 0;
	int rc = store_prepare(ctx->store,
	                       "SELECT updated_at FROM sync_cursors WHERE source_id = ?1 AND "
	                       "resource = ?2",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->source_id);
	stmt_bind_text(st, 2, a->p->resource);
	rc = stmt_step(st, err);
	int64_t set_at = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc == STORE_ROW)
		rc = slo_version_at_tx(ctx, a->p->q->slo, set_at, &a->window_ms, &a->step_ms, err);
	return rc < 0 ? rc : 0;
}

/* For p's cursor set by an older plumb, which kept no window or no step in
 * it: the window and step of the SLO's version in force when it was set.
 * Taken as the same, a window grown since was never read back, and a step
 * changed since left samples of two grids in the window (found in the sync
 * hunt).  A changed step starts over, as a changed query does. */
static int prom_cursor_then(struct syncer *s, struct prom_series *p, struct error *err)
{
	struct prom_then_args a = {s->run->src.id, p, 0, 0};
	int rc = ctx_run(s->ctx, OP_SYNC_STATUS, prom_then_body, &a, err);
	if (rc == 0 && p->window_unknown)
		p->window_grown = a.window_ms && p->q->window_ms > a.window_ms;
	if (rc == 0 && p->step_unknown)
		p->query_changed = a.step_ms && a.step_ms != p->step_ms;
	return rc;
}

struct prom_args {
	struct syncer *s;
	struct prom_series *series;
	size_t n;
	const struct prom_unknown *unknown;
	size_t nunknown;
	const char *cursor;
	int64_t now; /* the last time read */
};

/* A series whose query changed was read again over the window: the old
 * query's samples there where the new one gave no point go (left, the
 * window mixed the two queries until it passed them), up to its cursor
 * (old_until).  Again on a run that failed and is tried anew: the same
 * removal. */
static int prom_clear_old_query(struct ctx *ctx, const struct prom_series *p, int64_t now,
                                int64_t *cleared, struct error *err)
{
	int64_t *keep = arena_array(ctx->arena, p->n ? p->n : 1, sizeof *keep);
	for (size_t j = 0; j < p->n; j++)
		keep[j] = p->pts[j].at;
	if (p->n)
		qsort(keep, p->n, sizeof *keep, cmp_int64);
	int64_t to = p->old_until < now ? p->old_until : now;
	return slo_clear_series_tx(ctx, p->q->slo, p->q->series, p->reread_from, to, keep, p->n,
	                           cleared, err);
}

static int prom_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct prom_args *a = arg;
	struct ingest_run *run = a->s->run;
	struct ingest_counts *k = &run->counts;
	k->records = k->inserted = k->updated = k->unchanged = 0;
	int rc = 0;
	int64_t replaced = 0;
	for (size_t i = 0; i < a->n && rc == 0; i++) {
		struct prom_series *p = &a->series[i];
		struct slo_ingest_result res = {0};
		rc = slo_store_points_tx(ctx, p->q->slo, p->q->series, SLO_FROM_SYNC, p->pts, p->n,
		                         &res, err);
		if (rc == 0)
			rc = ingest_stage_cursor_tx(
			        run, p->resource, a->cursor,
			        prom_cursor_etag(ctx->arena, p, a->unknown, a->nunknown, a->now),
			        err);
		k->records += res.samples;
		k->inserted += res.inserted;
		k->updated += res.updated;
		k->unchanged += res.unchanged;
		if (rc == 0 && p->query_changed)
			rc = prom_clear_old_query(ctx, p, a->now, &replaced, err);
		/* A numerator read over the window anew (first, or its query
		 * changed): the other one's values there are an older version's
		 * (an SLO that counted good events now counting bad ones), which
		 * status read where this one gave no point (no event of it). */
		enum slo_series series = p->q->series;
		if (rc == 0 && p->read_until == INT64_MIN &&
		    (series == SLO_SERIES_GOOD || series == SLO_SERIES_BAD))
			rc = slo_clear_series_tx(ctx, p->q->slo,
			                         series == SLO_SERIES_GOOD ? SLO_SERIES_BAD
			                                                   : SLO_SERIES_GOOD,
			                         p->reread_from, a->now, NULL, 0, &replaced, err);
		if (rc < 0 || res.inserted + res.updated == 0)
			continue;
		struct sb detail = SB_INIT;
		struct jw w;
		jw_init(&w, &detail, false);
		jw_object_begin(&w);
		jw_kstr(&w, "source", run->src.name);
		jw_kint(&w, "run", run->id);
		jw_kstr(&w, "series", slo_series_name(p->q->series));
		jw_kint(&w, "samples", res.samples);
		jw_kint(&w, "inserted", res.inserted);
		jw_kint(&w, "updated", res.updated);
		jw_kint(&w, "unchanged", res.unchanged);
		jw_object_end(&w);
		rc = audit_append(ctx, "slo.ingest", "slo", p->q->slo, detail.buf, err);
		sb_release(&detail);
	}
	/* A sample stored before at an unknown time (one series' count read by
	 * an earlier sync whose cursor was behind or ahead of the other's, or
	 * both counts before the query gave NaN) goes too: left, its good
	 * stood without the total this run left out. */
	int64_t removed = 0;
	for (size_t i = 0; i < a->nunknown && rc == 0; i++) {
		const struct prom_unknown *u = &a->unknown[i];
		for (size_t j = 0; j < u->n && rc == 0 && u->at[j] <= u->read_before; j++) {
			int64_t before = removed;
			rc = slo_forget_points_tx(ctx, u->slo, &u->at[j], 1, &removed, err);
			u->said[j] |= removed > before;
		}
	}
	if (rc == 0)
		rc = ingest_run_close_tx(run, err);
	if (rc < 0)
		return rc;
	/* The run itself, changed or not (its record and cursors moved). */
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kint(&w, "run", run->id);
	jw_kstr(&w, "mode", run->mode);
	jw_kint(&w, "documents", k->documents);
	jw_kint(&w, "records", k->records);
	jw_kint(&w, "inserted", k->inserted);
	jw_kint(&w, "updated", k->updated);
	jw_kint(&w, "unchanged", k->unchanged);
	if (removed)
		jw_kint(&w, "removed_unknown", removed);
	if (replaced)
		jw_kint(&w, "removed_old_query", replaced);
	jw_object_end(&w);
	rc = audit_append(ctx, "slo.ingest", "source", run->src.name, detail.buf, err);
	sb_release(&detail);
	return rc;
}

static int sync_prometheus(struct syncer *s, struct error *err)
{
	struct ctx *ctx = s->ctx;
	struct arena *a = ctx->arena;
	struct slo_query *q;
	size_t nq;
	int rc = slo_prometheus_queries(ctx, s->run->src.name, &q, &nq, &s->slo_unread, err);
	if (rc < 0)
		return rc;
	int64_t now = ts_now_ms();
	struct prom_series *series = arena_array(a, nq ? nq : 1, sizeof *series);
	int64_t points = 0;
	for (size_t i = 0; i < nq && rc == 0; i++) {
		struct prom_series *p = &series[i];
		p->q = &q[i];
		p->resource = arena_printf(a, "slo:%s:%s", q[i].slo, slo_series_name(q[i].series));
		struct cursor c = {NULL, NULL};
		rc = load_cursor(s, p->resource, &c, err);
		/* A series whose query changed (a new version of its SLO) starts
		 * over: gone on from its cursor, its window held the old query's
		 * samples before the cursor and the new one's after, and its status
		 * mixed the two for a window's length.  A cursor stored without the
		 * query (before plumb kept it) goes on, unless its step changed
		 * (prom_cursor_then). */
		sha256_hex(q[i].query, strlen(q[i].query), p->query_sha256);
		int64_t step = q[i].step_ms;
		p->step_ms = step;
		p->query_changed = c.value && c.etag && prom_cursor_changed(a, c.etag, p);
		/* One stored with nothing beside it kept no window nor step. */
		p->window_unknown |= c.value && !c.etag;
		p->step_unknown |= c.value && !c.etag;
		if (rc == 0 && c.value && !p->query_changed &&
		    (p->window_unknown || p->step_unknown))
			rc = prom_cursor_then(s, p, err);
		p->old_until = p->query_changed ? cursor_ms(&c, INT64_MIN) : INT64_MIN;
		if (p->query_changed)
			c.value = NULL;
		s->resumed |= c.value != NULL;
		int64_t since = cursor_until_start(s, p->resource, &c,
		                                   s->o->first_since ? s->o->first_since
		                                                     : now - q[i].window_ms);
		p->read_until = c.value ? since : INT64_MIN;
		if (c.value)
			since -= PROM_LOOKBACK_MS;
		/* A window made longer (28d to 90d): its older part, never read,
		 * was missing from the status over it, the budget counting the
		 * days read only.  Read, not cleared: the query is the same. */
		bool whole = !c.value;
		if (c.value && p->window_grown && since > now - q[i].window_ms) {
			since = now - q[i].window_ms;
			whole = true;
		}
		since -= since % step; /* points on a grid, the same every sync */
		/* A window read anew starts at a slice's start: from the step at
		 * now - window, the oldest slice of a threshold SLI (read ten to a
		 * slice) was judged on the samples after it only.  The slice is on
		 * the step's grid (the step divides it). */
		if (whole && q[i].slice_ms > 0)
			since -= since % q[i].slice_ms;
		p->reread_from = since;
		/* A series' points grow on the heap and each response is parsed in
		 * an arena of its own, dropped once its points are copied: grown in
		 * the run's arena, every doubling of the array and every page's
		 * parse stayed until the run ended (about 200 bytes a point held,
		 * bench/slo-sync). */
		size_t alloc = 0, unknown_alloc = 0;
		for (int64_t t = since; rc == 0 && t <= now;) {
			int64_t end = t + step * (PROM_POINTS - 1);
			end = end < now ? end : now;
			const char *url = arena_printf(
			        a, "%s/api/v1/query_range?query=%s&start=%.3f&end=%.3f&step=%.3f",
			        s->api, escape(a, q[i].query), (double)t / 1000.0,
			        (double)end / 1000.0, (double)step / 1000.0);
			struct http_response resp;
			rc = syncer_get(s, url, NULL, "application/json", &resp, err);
			struct slo_raw *pts = NULL;
			size_t n = 0;
			struct arena *page = arena_create();
			if (rc == 0) {
				s->run->counts.documents++;
				int64_t *unknown;
				size_t nunknown;
				rc = slo_parse_prometheus(url, resp.body, resp.len,
				                          q[i].series == SLO_SERIES_VALUE, page,
				                          &pts, &n, &unknown, &nunknown, err);
				for (size_t j = 0; rc == 0 && j < nunknown; j++) {
					p->unknown = arena_grow(a, p->unknown, p->nunknown,
					                        &unknown_alloc, sizeof *p->unknown);
					p->unknown[p->nunknown++] = unknown[j];
				}
			}
			http_response_free(&resp);
			for (size_t j = 0; rc == 0 && j < n; j++) {
				p->pts = xgrow(p->pts, p->n, &alloc, sizeof *p->pts);
				p->pts[p->n++] = pts[j];
			}
			arena_destroy(page);
			points += (int64_t)n;
			on_page(s, points);
			t = end + step;
		}
		if (p->pts)
			arena_on_destroy(a, free, p->pts);
	}
	if (rc < 0)
		return rc;
	struct prom_unknown *unknown;
	size_t nunknown;
	drop_unknown_times(s, series, nq, &unknown, &nunknown);
	struct prom_args pa = {s, series, nq, unknown, nunknown, iso(a, now), now};
	rc = ctx_run(ctx, OP_SLO_INGEST, prom_body, &pa, err);
	if (rc == 0)
		prom_said(s, unknown, nunknown);
	return rc;
}

/* ---- a source ----------------------------------------------------------------- */

/* What every request of a source needs, from its stored settings: the API's
 * base URL, the token (checked), the Authorization header of kinds that
 * take user:token as Basic, and an HTTP client under the policy given (NULL:
 * sync's).  The caller frees s->http and s->config. */
static int syncer_open(struct syncer *s, const struct http_policy *given, struct error *err)
{
	int rc = 0;
	s->token_env = s->run->src.token_env;
	s->config = cJSON_Parse(s->run->src.config);
	s->api = config_str(s, "api_url");
	/* Paths are added as "/repos/...": a base URL given with a trailing
	 * slash (a site pasted from the browser) made "//repos/...", which
	 * GitHub Enterprise and proxies answer 404 (found in acceptance). */
	if (s->api) {
		size_t len = strlen(s->api);
		while (len > 0 && s->api[len - 1] == '/')
			len--;
		s->api = arena_strndup(s->ctx->arena, s->api, len);
	}
	if (s->run->src.token_env) {
		s->token = getenv(s->run->src.token_env);
		if (!s->token || !*s->token)
			rc = err_set(err, ERR_INVALID, "source %s: %s is not set", s->run->src.name,
			             s->run->src.token_env);
		/* A token read from a file with its line break (CRLF) was refused
		 * as "a request header holds a control character" (GitHub) or sent
		 * inside Basic and answered 401 (Jira): name the variable, never
		 * the value (found in acceptance). */
		for (const char *c = s->token; rc == 0 && c && *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				rc = err_set(err, ERR_INVALID,
				             "source %s: %s holds a control character (a line "
				             "break?) besides the token",
				             s->run->src.name, s->run->src.token_env);
		if (rc < 0)
			err_hint(err,
			         "set %s to the API token alone in the environment 'plumb sync' "
			         "runs in",
			         s->run->src.token_env);
	}
	const char *kind = s->run->src.kind;
	if (strcmp(kind, "github") == 0)
		s->accept = "application/vnd.github+json";
	if (strcmp(kind, "pagerduty") == 0) {
		s->accept = "application/vnd.pagerduty+json;version=2";
		if (s->token)
			s->auth_header = arena_printf(s->ctx->arena, "Token token=%s", s->token);
	}
	/* Jira Cloud and Jenkins take user:token as Basic auth. */
	if (rc == 0 && s->token && strchr(s->token, ':') &&
	    (strcmp(kind, "jira") == 0 || strcmp(kind, "jenkins") == 0)) {
		size_t len = strlen(s->token);
		size_t n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = arena_alloc(s->ctx->arena, n);
		sodium_bin2base64(b64, n, (const unsigned char *)s->token, len,
		                  sodium_base64_VARIANT_ORIGINAL);
		s->auth_header = arena_printf(s->ctx->arena, "Basic %s", b64);
	}
	struct http_policy policy = given ? *given : (struct http_policy){0};
	if (!given)
		policy.total_wait_ms = s->o->max_wait_ms ? s->o->max_wait_ms : SYNC_MAX_WAIT_MS;
	/* A run given longer than HTTP_MAX_WAIT_MS in all may wait as long at
	 * once: held to 65 min, a 90-minute reset failed a run given 3 h. */
	if (!given && s->o->max_wait_ms > HTTP_MAX_WAIT_MS)
		policy.max_wait_ms = s->o->max_wait_ms;
	policy.on_wait = on_wait;
	policy.wait_data = s;
	policy.backoff_ms = s->o->backoff_ms;
	policy.stopped = s->o->stop;
	policy.stop_data = s->o->stop_data;
	if (rc == 0)
		rc = http_client_new(&policy, &s->http, err);
	if (rc == 0 && !s->api)
		rc = err_set(err, ERR_INVALID, "source %s has no API URL", s->run->src.name);
	return rc;
}

static int sync_one(struct ctx *ctx, const struct sync_opts *o, const char *name,
                    struct sync_result *res, struct error *err)
{
	struct ingest_run run;
	/* Monotonic: how long it took, which the system clock set back or
	 * forward meanwhile (NTP) made negative or hours long. */
	double t0 = ts_mono_s();
	int rc = ingest_run_begin(ctx, name, "sync", NULL, NULL, &run, err);
	/* Paused after a sync of every source read the names and before its
	 * run began: left out, as if it had been paused before. */
	if (rc == ERR_CONFLICT && run.src.paused.at && o->nsources == 0) {
		err_clear(err);
		res->paused_at = run.src.paused.at;
		res->skipped = true;
		res->duration_ms = (int64_t)((ts_mono_s() - t0) * 1000.0);
		return 0;
	}
	if (rc < 0) {
		res->going_on_run = run.sync_going_on;
		return rc;
	}
	run.want_touched = o->touched;
	res->run_id = run.id;
	struct syncer s = {
	        .ctx = ctx,
	        .o = o,
	        .run = &run,
	        .since_default = o->first_since ? o->first_since
	                                        : ts_now_ms() - SYNC_FIRST_DAYS * MS_PER_DAY,
	        .started_ms = ts_now_ms(),
	};
	rc = syncer_open(&s, NULL, err);
	if (rc == 0) {
		if (strcmp(run.src.kind, "github") == 0)
			rc = sync_github(&s, err);
		else if (strcmp(run.src.kind, "jira") == 0)
			rc = sync_jira(&s, err);
		else if (strcmp(run.src.kind, "jenkins") == 0)
			rc = sync_jenkins(&s, err);
		else if (strcmp(run.src.kind, "pagerduty") == 0)
			rc = sync_pagerduty(&s, err);
		else if (strcmp(run.src.kind, "prometheus") == 0)
			rc = sync_prometheus(&s, err);
	}
	http_client_free(s.http);
	cJSON_Delete(s.config);
	/* A Prometheus run wrote its samples and closed itself. */
	if (rc == 0 && strcmp(run.src.kind, "prometheus") != 0)
		rc = ingest_run_publish(&run, err);
	if (rc < 0) {
		/* Before the error is recorded, audited or shown: a parser quotes
		 * the value it refuses, which an API echoing the token fills with
		 * it (found in the sync hunt: the audit log, never rewritten, held
		 * it). */
		syncer_redact(&s, err);
		err_detail(err, "nothing of this run was published; the next sync starts again "
		                "from the last published cursor");
		ingest_run_fail(&run, err);
	}
	res->counts = run.counts;
	if (rc == 0) {
		res->service_ids = run.touched.service_ids;
		res->nservices = run.touched.nservices;
	}
	res->resumed = s.resumed;
	res->org_matched_none = rc == 0 && s.org_matched_none;
	if (rc == 0) {
		res->repos_skipped = s.repos_skipped;
		res->nrepos_skipped = s.nrepos_skipped;
	}
	snprintf(res->future_cursor, sizeof res->future_cursor, "%s", s.future_cursor);
	res->open_unread = rc == 0 ? s.open_unread : 0;
	if (res->open_unread)
		snprintf(res->open_unread_error, sizeof res->open_unread_error, "%s",
		         s.open_unread_error);
	res->slo_times_unknown = rc == 0 ? s.slo_times_unknown : 0;
	if (res->slo_times_unknown)
		snprintf(res->slo_unknown_first, sizeof res->slo_unknown_first, "%s",
		         s.slo_unknown_first);
	res->slos_unread = s.slo_unread.n;
	if (res->slos_unread)
		snprintf(res->slo_unread_first, sizeof res->slo_unread_first, "%s",
		         s.slo_unread.first);
	res->deploys_unread = rc == 0 ? s.deploys_unread : 0;
	if (res->deploys_unread)
		snprintf(res->deploys_unread_error, sizeof res->deploys_unread_error, "%s",
		         s.deploys_unread_error);
	res->duration_ms = (int64_t)((ts_mono_s() - t0) * 1000.0);
	return rc;
}

struct names_args {
	const char ***names;
	const char ***kinds;
	int64_t **paused_at;
	size_t *n;
};

static int names_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct names_args *a = arg;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT name, kind, paused_at FROM sources ORDER BY name", &st, err);
	size_t alloc = 0, alloc2 = 0, alloc3 = 0;
	*a->n = 0;
	*a->names = *a->kinds = NULL;
	*a->paused_at = NULL;
	while (rc >= 0 && (rc = stmt_step(st, err)) == STORE_ROW) {
		*a->names = arena_grow(ctx->arena, *a->names, *a->n, &alloc, sizeof **a->names);
		*a->kinds = arena_grow(ctx->arena, *a->kinds, *a->n, &alloc2, sizeof **a->kinds);
		*a->paused_at = arena_grow(ctx->arena, *a->paused_at, *a->n, &alloc3,
		                           sizeof **a->paused_at);
		(*a->names)[*a->n] = stmt_text_dup(st, 0, ctx->arena);
		(*a->kinds)[*a->n] = stmt_text_dup(st, 1, ctx->arena);
		(*a->paused_at)[(*a->n)++] = stmt_is_null(st, 2) ? 0 : stmt_int(st, 2);
	}
	if (rc >= 0)
		stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Sources sync side by side, each worker with its own ctx (its own
 * connection): one slow or failing source does not hold up the others.
 * The write lock is taken per staged page and per publish, never for a
 * whole run, so workers interleave. */
struct pool {
	struct ctx *ctx; /* the command's: workers open siblings of it */
	const struct sync_opts *o;
	struct sync_result *res;
	size_t total, next;
	pthread_mutex_t mu;
};

static void *worker_main(void *arg)
{
	struct pool *p = arg;
	struct ctx *ctx = NULL;
	struct error open_err = {0};
	int open_rc = ctx_open_sibling(p->ctx, &ctx, &open_err);
	for (;;) {
		pthread_mutex_lock(&p->mu);
		size_t i = p->next;
		while (i < p->total && p->res[i].skipped)
			i++;
		p->next = i + 1;
		pthread_mutex_unlock(&p->mu);
		if (i >= p->total)
			break;
		struct sync_result *r = &p->res[i];
		int rc = open_rc;
		if (rc < 0)
			r->err = open_err;
		else if (p->o->stop && p->o->stop(p->o->stop_data)) {
			rc = err_set(&r->err, ERR_FAILED, "source %s: not synced: asked to stop",
			             r->source);
			r->stopped = true;
		} else
			rc = sync_one(ctx, p->o, r->source, r, &r->err);
		r->ok = rc == 0;
		/* Out of the worker's arena, which ends with it, into the caller's,
		 * which the workers share. */
		if (r->nservices) {
			pthread_mutex_lock(&p->mu);
			int64_t *ids = arena_array(p->ctx->arena, r->nservices, sizeof *ids);
			memcpy(ids, r->service_ids, r->nservices * sizeof *ids);
			r->service_ids = ids;
			pthread_mutex_unlock(&p->mu);
		} else {
			r->service_ids = NULL;
		}
		if (r->nrepos_skipped) {
			pthread_mutex_lock(&p->mu);
			struct sync_skipped_repo *skipped =
			        arena_array(p->ctx->arena, r->nrepos_skipped, sizeof *skipped);
			for (size_t k = 0; k < r->nrepos_skipped; k++)
				skipped[k] = (struct sync_skipped_repo){
				        arena_strdup(p->ctx->arena, r->repos_skipped[k].repo),
				        r->repos_skipped[k].status};
			r->repos_skipped = skipped;
			pthread_mutex_unlock(&p->mu);
		}
	}
	ctx_close(ctx);
	return NULL;
}

size_t sync_warnings(const struct sync_result *r, struct arena *a, const char ***out)
{
	size_t n = 0;
	const char **w = arena_array(a, r->nrepos_skipped + 6, sizeof *w);
	/* An organization whose listing no --include or --exclude takes any
	 * more (a repository renamed, a pattern mistyped) syncs nothing, and its
	 * summary alone looks like a quiet day; source check calls this a
	 * failure (found in acceptance). */
	if (r->org_matched_none)
		w[n++] = arena_printf(a,
		                      "%s: its organization listed no repository it reads (with "
		                      "--include and --exclude); nothing was read ('plumb source "
		                      "check %s' lists the repositories the token sees)",
		                      r->source, r->source);
	/* A repository its organization listed, then gone or withheld: the
	 * others were read, and the next sync lists it again (or not). */
	for (size_t k = 0; k < r->nrepos_skipped; k++) {
		char status[64];
		w[n++] = arena_printf(
		        a,
		        "%s: repository %s, listed by its organization, answered %s: "
		        "skipped (the others were read)",
		        r->source, r->repos_skipped[k].repo,
		        http_status_text(r->repos_skipped[k].status, status, sizeof status));
	}
	/* A cursor in the future read nothing newer than itself: read as now,
	 * and said, since what changed before now and after the last good sync
	 * may not be read (found in the sync hunt). */
	if (r->future_cursor[0])
		w[n++] =
		        arena_printf(a,
		                     "%s: the cursor of %s is in the future (a clock ahead when it "
		                     "was set?): read as now; changes since the last sync before "
		                     "then may be missing ('plumb source rewind %s', then 'plumb "
		                     "sync %s --since TIME', reads them again)",
		                     r->source, r->future_cursor, r->source, r->source);
	if (r->slo_times_unknown)
		w[n++] = arena_printf(a,
		                      "%s: %" PRId64 " %s of an SLO's count queries gave NaN or "
		                      "infinity (a query dividing 0 by 0?), first %s: left out of "
		                      "every series of that SLO",
		                      r->source, r->slo_times_unknown,
		                      r->slo_times_unknown == 1 ? "time" : "times",
		                      r->slo_unknown_first);
	if (r->slos_unread)
		w[n++] = arena_printf(
		        a,
		        "%s: %zu %s name%s no Prometheus source, so no sync reads "
		        "%s, first %s ('plumb source list' names the sources; import "
		        "%s again naming one)",
		        r->source, r->slos_unread, r->slos_unread == 1 ? "SLO" : "SLOs",
		        r->slos_unread == 1 ? "s" : "", r->slos_unread == 1 ? "it" : "them",
		        r->slo_unread_first, r->slos_unread == 1 ? "it" : "them");
	if (r->deploys_unread)
		w[n++] = arena_printf(a,
		                      "%s: %" PRId64 " %s stored as not finished could not be read "
		                      "again, left as %s (the next sync tries again): %s",
		                      r->source, r->deploys_unread,
		                      r->deploys_unread == 1 ? "deployment" : "deployments",
		                      r->deploys_unread == 1 ? "it was" : "they were",
		                      r->deploys_unread_error);
	if (r->open_unread)
		w[n++] = arena_printf(
		        a,
		        "%s: %" PRId64 " %s stored as still running could not be read "
		        "again, left as %s (the next sync tries again): %s",
		        r->source, r->open_unread, r->open_unread == 1 ? "CI run" : "CI runs",
		        r->open_unread == 1 ? "it was" : "they were", r->open_unread_error);
	*out = w;
	return n;
}

int sync_sources(struct ctx *ctx, const struct sync_opts *o, struct sync_result **results,
                 size_t *n, struct error *err)
{
	*results = NULL;
	*n = 0;
	const char **names = NULL, **kinds = NULL;
	int64_t *paused_at = NULL;
	size_t count = 0;
	struct names_args na = {&names, &kinds, &paused_at, &count};
	/* The permission first, so a refusal is audited as the sync it is;
	 * checked again after the names are read, to leave the sync the
	 * command's operation. */
	int rc = ctx_op_check(ctx, OP_INGEST, err);
	if (rc == 0)
		rc = ctx_run(ctx, OP_SYNC_STATUS, names_body, &na, err);
	if (rc == 0)
		rc = ctx_op_check(ctx, OP_INGEST, err);
	if (rc < 0)
		return rc;
	/* The sources named, each once: two runs of one source at once would
	 * only wait on each other's run lock. */
	const char **wanted =
	        arena_array(ctx->arena, o->nsources ? o->nsources : 1, sizeof *wanted);
	size_t nwanted = 0;
	for (size_t i = 0; i < o->nsources; i++) {
		bool found = false, again = false;
		for (size_t j = 0; j < count && !found; j++)
			found = strcmp(names[j], o->sources[i]) == 0;
		if (!found) {
			return sourceacl_no_source(o->sources[i], err);
		}
		for (size_t j = 0; j < nwanted && !again; j++)
			again = strcmp(wanted[j], o->sources[i]) == 0;
		if (!again)
			wanted[nwanted++] = o->sources[i];
	}
	size_t total = o->nsources ? nwanted : count, live = 0;
	struct sync_result *res = arena_array(ctx->arena, total ? total : 1, sizeof *res);
	for (size_t i = 0; i < total; i++) {
		const char *name = o->nsources ? wanted[i] : names[i];
		res[i].source = name;
		for (size_t j = 0; j < count; j++)
			if (strcmp(names[j], name) == 0) {
				res[i].kind = kinds[j];
				/* Named, it is tried, and its run says it is paused. */
				res[i].paused_at = o->nsources ? 0 : paused_at[j];
			}
		/* A deploy source has no API: it is fed by files and webhooks. */
		res[i].skipped = res[i].ok =
		        res[i].paused_at || (res[i].kind && strcmp(res[i].kind, "deploy") == 0);
		live += !res[i].skipped;
	}
	struct pool p = {.ctx = ctx, .o = o, .res = res, .total = total};
	pthread_mutex_init(&p.mu, NULL);
	size_t nworkers = live < SYNC_WORKERS ? live : SYNC_WORKERS;
	pthread_t threads[SYNC_WORKERS];
	size_t started = 0;
	for (; started < nworkers; started++)
		if (pthread_create(&threads[started], NULL, worker_main, &p) != 0)
			break;
	if (started == 0 && live)
		worker_main(&p); /* no thread to be had: one after another here */
	for (size_t i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&p.mu);
	int first = 0;
	for (size_t i = 0; i < total && !first; i++)
		if (!res[i].ok) {
			first = res[i].err.code ? res[i].err.code : ERR_FAILED;
			*err = res[i].err;
			/* Of several sources, the error names its own (found in the
			 * sync hunt: the summary said which, the error line not). */
			if (total > 1) {
				struct sb msg = SB_INIT;
				sb_printf(&msg, "%s: %s", res[i].source, res[i].err.message);
				snprintf(err->message, sizeof err->message, "%s", msg.buf);
				sb_release(&msg);
			}
		}
	*results = res;
	*n = total;
	return first;
}

/* ---- check -------------------------------------------------------------------- */

/* A check is quick: one retry, no long rate-limit wait (a limit further
 * off fails the item, naming when it resets). */
#define CHECK_ATTEMPTS   2
#define CHECK_WAIT_MS    10000
#define CHECK_TIMEOUT_MS 20000
#define CHECK_LISTED     10 /* repositories named in an organization's item */

struct checker {
	struct syncer *s;
	struct sync_check *c;
	size_t alloc;
	/* A request got no answer (a timeout, a refused connection): every
	 * other goes to the same host, so none is made. */
	bool unanswered;
};

/* The item what, its detail redacted of the source's secrets: it quotes
 * what the API answered (a name, a branch, an error's body), which an API
 * echoing the token fills with it, as a sync's errors (found in review:
 * source check showed a default branch the API echoed the token into). */
static void check_add(struct checker *k, const char *what, bool ok, const char *detail)
{
	struct sync_check *c = k->c;
	const struct http_request req = {.token = k->s->token, .auth_header = k->s->auth_header};
	detail = http_redact_str(k->s->ctx->arena, &req, detail);
	c->items = arena_grow(k->s->ctx->arena, c->items, c->nitems, &k->alloc, sizeof *c->items);
	c->items[c->nitems++] = (struct sync_check_item){what, detail, ok};
	c->ok = c->ok && ok;
}

/* GET url for the item what: the answer's JSON (the caller deletes it), or
 * NULL after adding the failed item. */
static cJSON *check_get(struct checker *k, const char *what, const char *url)
{
	if (k->unanswered) {
		check_add(k, what, false, "not tried: the API answered no earlier request");
		return NULL;
	}
	struct http_response resp;
	struct error e = {0};
	int rc = syncer_get(k->s, url, NULL, NULL, &resp, &e);
	cJSON *doc = rc == 0 ? cJSON_ParseWithLength(resp.body, resp.len) : NULL;
	/* Without this, a host that never answers cost each repository or
	 * service its attempts' timeouts in turn: minutes for one source. */
	k->unanswered = rc < 0 && resp.status == 0;
	http_response_free(&resp);
	/* The detail holds the start of the API's answer, its reasons. */
	if (rc < 0)
		check_add(k, what, false,
		          arena_printf(k->s->ctx->arena, "%s%s%s", e.message, *e.detail ? ": " : "",
		                       e.detail));
	else if (!doc)
		check_add(k, what, false,
		          arena_printf(k->s->ctx->arena, "%s: the answer is not JSON", url));
	return doc;
}

/* A string from an API's answer, in a's copy with each control character
 * (a terminal's escape sequence, a line break) as '?', as an error shows an
 * answer's excerpt: a service's name cannot redraw the screen or add a
 * line to the check's result. */
static const char *check_visible(struct arena *a, const char *text)
{
	struct sb out = SB_INIT;
	utf8_put_visible(&out, text, false);
	const char *copy = arena_strdup(a, out.buf);
	sb_release(&out);
	return copy;
}

/* The string at path ("service.name") in doc, or fallback. */
static const char *check_field(struct arena *a, const cJSON *doc, const char *path,
                               const char *fallback)
{
	while (doc && *path) {
		size_t n = strcspn(path, ".");
		doc = cJSON_GetObjectItemCaseSensitive(doc, arena_strndup(a, path, n));
		path += n + (path[n] == '.');
	}
	return cJSON_IsString(doc) ? check_visible(a, doc->valuestring) : fallback;
}

/* One GET whose answer names what was found: "LABEL NAME".  Whether it
 * answered. */
static bool check_found(struct checker *k, const char *what, const char *url, const char *path,
                        const char *label)
{
	struct arena *a = k->s->ctx->arena;
	cJSON *doc = check_get(k, what, url);
	if (doc)
		check_add(k, what, true,
		          arena_printf(a, "%s %s", label, check_field(a, doc, path, "(no name)")));
	cJSON_Delete(doc);
	return doc != NULL;
}

static void check_github(struct checker *k)
{
	struct syncer *s = k->s;
	struct arena *a = s->ctx->arena;
	const cJSON *repo, *repos = cJSON_GetObjectItemCaseSensitive(s->config, "repos");
	cJSON_ArrayForEach(repo, repos)
	{
		if (!cJSON_IsString(repo))
			continue;
		const char *what = arena_printf(a, "repository %s", repo->valuestring);
		cJSON *doc = check_get(k, what,
		                       arena_printf(a, "%s/repos/%s", s->api, repo->valuestring));
		bool private = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "private"));
		/* GitHub redirects a renamed repository's old name: readable, but
		 * its events and webhooks now name the new one, which the source
		 * does not read (found in acceptance). */
		const char *now = check_field(a, doc, "full_name", repo->valuestring);
		if (doc && strcasecmp(now, repo->valuestring) != 0)
			check_add(k, what, false,
			          arena_printf(a,
			                       "renamed upstream to %s: give the source --repo %s "
			                       "('plumb source set %s --repo ...')",
			                       now, now, s->run->src.name));
		else if (doc)
			check_add(k, what, true,
			          arena_printf(a, "readable (%s, default branch %s)",
			                       private ? "private" : "public",
			                       check_field(a, doc, "default_branch", "unknown")));
		cJSON_Delete(doc);
	}
	const char *org = config_str(s, "org");
	if (!org)
		return;
	const char *what = arena_printf(a, "organization %s", org);
	if (!check_found(k, what, arena_printf(a, "%s/orgs/%s", s->api, escape(a, org)), "login",
	                 "found:"))
		return;
	const char **names;
	size_t n;
	struct error e = {0};
	what = arena_printf(a, "repositories of %s it reads", org);
	if (org_repos(s, org, &names, &n, &e) < 0) {
		check_add(k, what, false, arena_strdup(a, e.message));
		return;
	}
	distinct_repos(a, names, &n);
	struct sb list = SB_INIT;
	for (size_t i = 0; i < n && i < CHECK_LISTED; i++)
		sb_printf(&list, "%s%s", i ? ", " : ": ", check_visible(a, names[i]));
	if (n > CHECK_LISTED)
		sb_printf(&list, " and %zu more", n - CHECK_LISTED);
	/* None is no error of the API, but a sync would read nothing. */
	check_add(k, what, n > 0,
	          n ? arena_printf(a, "%zu%s", n, list.buf)
	            : "none: no repository the token sees matches --include and --exclude");
	sb_release(&list);
}

static void check_jira(struct checker *k)
{
	struct syncer *s = k->s;
	struct arena *a = s->ctx->arena;
	check_found(k, "account", arena_printf(a, "%s/rest/api/3/myself", s->api), "displayName",
	            "signed in as");
	const char *project = config_str(s, "project"), *jql = config_str(s, "jql");
	if (project)
		check_found(k, arena_printf(a, "project %s", project),
		            arena_printf(a, "%s/rest/api/3/project/%s", s->api, escape(a, project)),
		            "name", "found:");
	if (!jql)
		return;
	/* Jira answers a query it cannot run with 400 and its reasons. */
	cJSON *doc =
	        check_get(k, "query",
	                  arena_printf(a, "%s/rest/api/3/search/jql?jql=%s&maxResults=1&fields=key",
	                               s->api, escape(a, jql)));
	if (doc)
		check_add(k, "query", true,
		          cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "issues")) > 0
		                  ? "runs; it finds issues"
		                  : "runs; it finds no issue yet");
	cJSON_Delete(doc);
}

static void check_api(struct checker *k)
{
	struct syncer *s = k->s;
	struct arena *a = s->ctx->arena;
	const char *kind = s->run->src.kind;
	if (strcmp(kind, "github") == 0) {
		check_github(k);
	} else if (strcmp(kind, "jira") == 0) {
		check_jira(k);
	} else if (strcmp(kind, "jenkins") == 0) {
		check_found(k, arena_printf(a, "job %s", config_str(s, "job")),
		            arena_printf(a, "%s/api/json?tree=fullName",
		                         jenkins_job_url(s, config_str(s, "job"))),
		            "fullName", "found:");
	} else if (strcmp(kind, "pagerduty") == 0) {
		const cJSON *id, *ids = cJSON_GetObjectItemCaseSensitive(s->config, "services");
		cJSON_ArrayForEach(id, ids)
		{
			if (cJSON_IsString(id))
				check_found(k, arena_printf(a, "service %s", id->valuestring),
				            arena_printf(a, "%s/services/%s", s->api,
				                         escape(a, id->valuestring)),
				            "service.name", "found:");
		}
	} else if (strcmp(kind, "prometheus") == 0) {
		check_found(k, "server", arena_printf(a, "%s/api/v1/status/buildinfo", s->api),
		            "data.version", "Prometheus");
	}
}

struct check_load_args {
	const char *name;
	struct ingest_source *src;
};

static int check_load_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct check_load_args *a = arg;
	int rc = ingest_source_load_tx(ctx, a->name, a->src, err);
	return rc < 0 ? rc : CTX_ROLLBACK;
}

static void check_one(struct ctx *ctx, struct ingest_source *src, struct sync_check *c)
{
	static const struct sync_opts none = {0};
	struct arena *a = ctx->arena;
	struct ingest_run run = {.ctx = ctx, .src = *src};
	struct syncer s = {.ctx = ctx, .o = &none, .run = &run};
	struct checker k = {.s = &s, .c = c};
	*c = (struct sync_check){
	        .source = src->name, .kind = src->kind, .paused = src->paused, .ok = true};
	if (src->webhook_secret_env) {
		const char *v = getenv(src->webhook_secret_env);
		check_add(&k, arena_printf(a, "webhook secret %s", src->webhook_secret_env),
		          v && *v,
		          v && *v ? "set" : "not set here (plumb serve reads it where it runs)");
	}
	if (strcmp(src->kind, "deploy") == 0) {
		check_add(&k, "API", true, "none: a deploy source is fed by files and webhooks");
		return;
	}
	struct http_policy quick = {.max_attempts = CHECK_ATTEMPTS,
	                            .max_wait_ms = CHECK_WAIT_MS,
	                            .timeout_ms = CHECK_TIMEOUT_MS};
	struct error e = {0};
	const char *token = src->token_env ? arena_printf(a, "token %s", src->token_env) : "token";
	/* The API is tried once the token is there, whatever the webhook
	 * secret's line says: that secret is read where plumb serve runs. */
	bool opened = syncer_open(&s, &quick, &e) == 0;
	if (!opened)
		check_add(&k, s.http ? "API" : token, false, arena_strdup(a, e.message));
	else
		check_add(&k, token, true,
		          src->token_env ? "set"
		                         : "none configured: requests carry no credentials");
	if (opened)
		check_api(&k);
	http_client_free(s.http);
	cJSON_Delete(s.config);
	c->requests = run.counts.requests;
}

int sync_check(struct ctx *ctx, const char *const *names, size_t n, struct sync_check **out,
               size_t *nout, struct error *err)
{
	*out = NULL;
	*nout = 0;
	const char **all = NULL, **kinds = NULL;
	int64_t *paused_at = NULL;
	size_t count = 0;
	struct names_args na = {&all, &kinds, &paused_at, &count};
	int rc = ctx_op_check(ctx, OP_SOURCE_CHECK, err);
	if (rc == 0 && n == 0) {
		rc = ctx_run(ctx, OP_SOURCE_CHECK, names_body, &na, err);
		names = all;
		n = count;
	}
	if (rc < 0)
		return rc;
	/* Every name first: an unknown one is an error before any request.  A
	 * name given twice is checked once, as sync syncs it once. */
	struct ingest_source *src = arena_array(ctx->arena, n ? n : 1, sizeof *src);
	size_t nsrc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		bool again = false;
		for (size_t j = 0; j < nsrc && !again; j++)
			again = strcmp(src[j].name, names[i]) == 0;
		struct check_load_args a = {names[i], &src[nsrc]};
		if (!again && (rc = ctx_run(ctx, OP_SOURCE_CHECK, check_load_body, &a, err)) == 0)
			nsrc++;
	}
	if (rc < 0)
		return rc;
	struct sync_check *res = arena_array(ctx->arena, nsrc ? nsrc : 1, sizeof *res);
	for (size_t i = 0; i < nsrc; i++)
		check_one(ctx, &src[i], &res[i]);
	*out = res;
	*nout = nsrc;
	return 0;
}

/* ---- status ------------------------------------------------------------------- */

struct status_args {
	struct sync_status **out;
	size_t *n;
};

static int status_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct status_args *a = arg;
	struct arena *ar = ctx->arena;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT s.id, s.name, s.kind, r.id, r.started_at, r.finished_at, r.records, "
	        "r.requests, r.not_modified, r.status, r.mode, r.error, "
	        "(SELECT MAX(p.finished_at) FROM ingest_runs p WHERE p.source_id = s.id AND "
	        "p.status = 'published'), "
	        "(SELECT COUNT(*) FROM events e WHERE e.source_id = s.id), "
	        "(SELECT MAX(e.occurred_at) FROM events e WHERE e.source_id = s.id), s.config, "
	        "s.paused_at, s.paused_by, s.paused_reason, q.id, q.status, q.started_at, "
	        "q.finished_at, q.error, g.id, g.mode, g.started_at, (SELECT COUNT(*) FROM "
	        "run_documents d WHERE d.run_id = g.id), (SELECT COALESCE(SUM(d.records), 0) FROM "
	        "run_documents d WHERE d.run_id = g.id) FROM sources s LEFT JOIN ingest_runs q "
	        "ON q.id = (SELECT MAX(y.id) FROM ingest_runs y WHERE y.source_id = s.id AND "
	        "y.mode = 'sync' AND y.status <> 'staging') LEFT JOIN ingest_runs r "
	        "ON r.id = (SELECT MAX(x.id) FROM "
	        "ingest_runs x WHERE x.source_id = s.id AND x.status <> 'staging') "
	        "LEFT JOIN ingest_runs g ON g.id = (SELECT MAX(z.id) FROM ingest_runs z WHERE "
	        "z.source_id = s.id AND z.status = 'staging') ORDER BY s.name",
	        &st, err);
	if (rc < 0)
		return rc;
	struct sync_status *rows = NULL;
	int64_t *ids = NULL;
	const char **configs = NULL;
	size_t n = 0, alloc = 0, alloc2 = 0, alloc3 = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		rows = arena_grow(ar, rows, n, &alloc, sizeof *rows);
		ids = arena_grow(ar, ids, n, &alloc2, sizeof *ids);
		configs = arena_grow(ar, configs, n, &alloc3, sizeof *configs);
		struct sync_status *x = &rows[n];
		memset(x, 0, sizeof *x);
		configs[n] = stmt_text_dup(st, 15, ar);
		ids[n++] = stmt_int(st, 0);
		x->source = stmt_text_dup(st, 1, ar);
		x->kind = stmt_text_dup(st, 2, ar);
		x->has_last = !stmt_is_null(st, 3);
		x->last_run = stmt_int(st, 3);
		x->last_started = stmt_int(st, 4);
		x->last_finished = stmt_int(st, 5);
		x->last_records = stmt_int(st, 6);
		x->last_requests = stmt_int(st, 7);
		x->last_not_modified = stmt_int(st, 8);
		x->last_status = stmt_text_dup(st, 9, ar);
		x->last_mode = stmt_text_dup(st, 10, ar);
		x->last_error = stmt_text_dup(st, 11, ar);
		x->has_published = !stmt_is_null(st, 12);
		x->published_at = stmt_int(st, 12);
		x->events = stmt_int(st, 13);
		x->has_newest = !stmt_is_null(st, 14);
		x->newest_event = stmt_int(st, 14);
		x->paused = source_pause_read(st, 16, ar);
		x->has_last_sync = !stmt_is_null(st, 19);
		x->last_sync = (struct sync_status_run){
		        .id = stmt_int(st, 19),
		        .status = stmt_text_dup(st, 20, ar),
		        .started_at = stmt_int(st, 21),
		        .finished_at = stmt_int(st, 22),
		        .error = stmt_text_dup(st, 23, ar),
		};
		x->has_staging = !stmt_is_null(st, 24);
		x->staging = (struct sync_status_staging){
		        .id = stmt_int(st, 24),
		        .mode = stmt_text_dup(st, 25, ar),
		        .started_at = stmt_int(st, 26),
		        .pages = stmt_int(st, 27),
		        .records = stmt_int(st, 28),
		};
	}
	stmt_reset(st);
	/* Whether its process still holds the run lock: a test of a lock
	 * (SQLite) or one query of pg_locks (PostgreSQL), as the next run asks. */
	for (size_t i = 0; i < n && rc >= 0; i++)
		if (rows[i].has_staging)
			rc = store_run_live(ctx->store, rows[i].staging.id, &rows[i].staging.live,
			                    err);
	if (rc < 0)
		return rc;
	rc = store_prepare(ctx->store,
	                   "SELECT resource, cursor, etag, updated_at FROM sync_cursors "
	                   "WHERE source_id = ? ORDER BY resource",
	                   &st, err);
	for (size_t i = 0; i < n && rc >= 0; i++) {
		stmt_bind_int(st, 1, ids[i]);
		size_t ralloc = 0;
		bool github = strcmp(rows[i].kind, "github") == 0;
		cJSON *config = github ? cJSON_Parse(configs[i]) : NULL;
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			struct sync_status *x = &rows[i];
			x->resources = arena_grow(ar, x->resources, x->nresources, &ralloc,
			                          sizeof *x->resources);
			struct sync_status_resource *r = &x->resources[x->nresources++];
			r->resource = stmt_text_dup(st, 0, ar);
			r->cursor = stmt_text_dup(st, 1, ar);
			/* A Prometheus series keeps its query's hash there, no ETag. */
			r->has_etag =
			        !stmt_is_null(st, 2) && strcmp(rows[i].kind, "prometheus") != 0;
			r->updated_at = stmt_int(st, 3);
			/* A repository's resources are OWNER/NAME:WHAT. */
			const char *colon = strrchr(r->resource, ':');
			r->in_scope = !github || !colon || !strchr(r->resource, '/') ||
			              source_github_wants(
			                      config, arena_strndup(ar, r->resource,
			                                            (size_t)(colon - r->resource)));
		}
		cJSON_Delete(config);
		stmt_reset(st);
	}
	if (rc < 0)
		return rc;
	*a->out = rows;
	*a->n = n;
	return 0;
}

int sync_status_tx(struct ctx *ctx, struct sync_status **out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	struct status_args a = {out, n};
	return status_body(ctx, &a, err);
}

int sync_status(struct ctx *ctx, struct sync_status **out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	struct status_args a = {out, n};
	return ctx_run(ctx, OP_SYNC_STATUS, status_body, &a, err);
}

int sync_each_last_published(struct store *s,
                             void (*fn)(void *data, const char *source, int64_t at), void *data,
                             struct error *err)
{
	struct store_stmt *st;
	int rc =
	        store_prepare(s,
	                      "SELECT s.name, MAX(r.finished_at) FROM sources s JOIN ingest_runs r "
	                      "ON r.source_id = s.id AND r.status = 'published' GROUP BY s.name "
	                      "ORDER BY s.name",
	                      &st, err);
	if (rc < 0)
		return rc;
	while ((rc = stmt_step(st, err)) == STORE_ROW)
		if (!stmt_is_null(st, 1))
			fn(data, stmt_text(st, 0), stmt_int(st, 1));
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}
