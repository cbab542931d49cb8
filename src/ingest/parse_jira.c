/*
 * parse_jira: Jira Cloud search pages (REST v3 /search with expand=changelog,
 * and the newer /search/jql shape) into work items.  An issue's status comes
 * from its status category so every workflow maps to todo, in_progress and
 * done; its status transitions, in time order, go into attrs.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/sb.h"
#include "ingest/parse.h"
#include "ingest/pjson.h"

/* One status change from an issue's changelog. */
struct jira_transition {
	int64_t at;
	size_t order; /* position in the changelog, to keep ties stable */
	const char *from, *to, *by;
};

static int transition_cmp(const void *a, const void *b)
{
	const struct jira_transition *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Most moves one instant is put in their chain's order; past it they keep
 * the changelog's (the ordering is cubic in the worst case, and no workflow moves an
 * issue so often at once). */
#define JIRA_CHAIN_MAX 16

/* Whether some move of list[from, to) other than skip moves into status. */
static bool someone_enters(const struct jira_transition *list, size_t from, size_t to, size_t skip,
                           const char *status)
{
	for (size_t i = from; i < to; i++)
		if (i != skip && list[i].to && status && strcmp(list[i].to, status) == 0)
			return true;
	return false;
}

/* Put the moves list[from, to), all at one instant (a workflow's
 * automation, a bulk edit), in the order their statuses chain, whatever
 * order Jira listed them in: its histories come newest first.  Each next
 * is the move out of the status the one before entered (cur: the last
 * move's before the instant, or NULL), else one out of a status no other
 * move of the instant enters, else the first in the changelog.  (A pairwise
 * comparison for qsort cannot say it: found in review, three moves sorted
 * as done, then started, then in review, a finished issue read as
 * reopened.) */
static void chain_instant(struct jira_transition *list, size_t from, size_t to, const char *cur)
{
	for (size_t next = from; next + 1 < to; next++) {
		size_t pick = to;
		for (size_t i = next; i < to && pick == to; i++)
			if (cur && list[i].from && strcmp(list[i].from, cur) == 0)
				pick = i;
		for (size_t i = next; i < to && pick == to; i++)
			if (!someone_enters(list, next, to, i, list[i].from))
				pick = i;
		if (pick == to)
			pick = next;
		struct jira_transition t = list[pick];
		memmove(list + next + 1, list + next, (pick - next) * sizeof *list);
		list[next] = t;
		cur = t.to;
	}
}

/* Sort by time, then chain each instant's moves (chain_instant). */
static void transitions_sort(struct jira_transition *list, size_t n)
{
	qsort(list, n, sizeof *list, transition_cmp);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && list[j].at == list[i].at;)
			j++;
		if (j - i > 1 && j - i <= JIRA_CHAIN_MAX)
			chain_instant(list, i, j, i ? list[i - 1].to : NULL);
	}
}

static bool jira_search_detect(const cJSON *doc, const struct parse_input *in)
{
	(void)in;
	if (!cJSON_IsArray(pj_get(doc, "issues")))
		return false;
	return pj_get(doc, "startAt") || pj_get(doc, "total") || pj_get(doc, "isLast") ||
	       pj_get(doc, "nextPageToken") || pj_get(doc, "maxResults");
}

/* Jira's own statuses (its default workflows': software, Kanban, classic)
 * by name, for a page without status categories; among them the names of
 * the categories themselves (To Do, In Progress, Done). */
static const struct {
	const char *name, *status;
} jira_default_statuses[] = {
        {"To Do", "todo"},
        {"Open", "todo"},
        {"Backlog", "todo"},
        {"New", "todo"},
        {"Reopened", "todo"},
        {"Selected for Development", "todo"},
        {"In Progress", "in_progress"},
        {"In Review", "in_progress"},
        {"Done", "done"},
        {"Closed", "done"},
        {"Resolved", "done"},
};

#define JIRA_DEFAULT_NAMES                                                                         \
	"To Do, Open, Backlog, New, Reopened, Selected for Development, In Progress, In Review, "  \
	"Done, Closed, Resolved"

/* plumb's word for one of Jira's default statuses named name, in any case;
 * NULL for another name or none. */
static const char *jira_default_status(const char *name)
{
	for (size_t i = 0; name && i < sizeof jira_default_statuses / sizeof *jira_default_statuses;
	     i++)
		if (strcasecmp(name, jira_default_statuses[i].name) == 0)
			return jira_default_statuses[i].status;
	return NULL;
}

/* Status category key to plumb's word.  Without one (trimmed exports, such
 * as jira-cli's), an issue is done once resolved (a resolution date, or a
 * resolution: an object, null while unresolved), else the category's name
 * says it (an export that kept only the name), else its status's name when
 * it is one of Jira's defaults; another name is refused, not guessed (found
 * in the parsers' hunt: "In Progress" was stored todo).  An issue without
 * a status at all is todo until resolved. */
static int jira_status(struct pj *pj, const cJSON *fields, const char *fpath, const char *issue_key,
                       bool resolved, const char **status)
{
	const cJSON *st, *cat, *resolution;
	const char *spath = pj_path(pj, fpath, "status");
	const char *cpath = pj_path(pj, spath, "statusCategory");
	const char *key, *name, *cat_name;
	if (pj_obj(pj, fields, fpath, "status", &st) < 0 ||
	    pj_obj(pj, st, spath, "statusCategory", &cat) < 0 ||
	    pj_str(pj, cat, cpath, "key", &key) < 0 ||
	    pj_str(pj, cat, cpath, "name", &cat_name) < 0 ||
	    pj_str(pj, st, spath, "name", &name) < 0 ||
	    pj_obj(pj, fields, fpath, "resolution", &resolution) < 0)
		return pj->err->code;
	const char *by_name = jira_default_status(cat_name);
	if (!by_name)
		by_name = jira_default_status(name);
	if (!key && (resolved || resolution)) {
		*status = "done";
	} else if (!key && by_name) {
		*status = by_name;
	} else if (!key && name) {
		pj_fail(pj, spath, "name",
		        "'%.60s' of issue %.40s has no statusCategory, and is not one of Jira's "
		        "default statuses plumb reads by name (" JIRA_DEFAULT_NAMES ")",
		        name, issue_key);
		err_hint(pj->err, "export the issues with their status's statusCategory (the "
		                  "search API gives it with fields=status)");
		return pj->err->code;
	} else if (!key)
		*status = "todo";
	else if (strcmp(key, "new") == 0 || strcmp(key, "undefined") == 0)
		*status = "todo";
	else if (strcmp(key, "indeterminate") == 0)
		*status = "in_progress";
	else if (strcmp(key, "done") == 0)
		*status = "done";
	else
		return pj_fail(
		        pj, cpath, "key",
		        "unknown status category '%.40s': expected new, indeterminate or done",
		        key);
	return 0;
}

/* The status transitions of changelog.histories[].items[], sorted by time. */
static int jira_transitions(struct pj *pj, const cJSON *issue, const char *ipath,
                            struct jira_transition **out, size_t *count, bool *truncated)
{
	*out = NULL;
	*count = 0;
	*truncated = false;
	const cJSON *changelog, *histories;
	const char *cpath = pj_path(pj, ipath, "changelog");
	if (pj_obj(pj, issue, ipath, "changelog", &changelog) < 0 ||
	    pj_arr(pj, changelog, cpath, "histories", &histories) < 0)
		return pj->err->code;
	if (!histories)
		return 0;
	int64_t total;
	bool has_total;
	if (pj_int(pj, changelog, cpath, "total", &total, &has_total) < 0)
		return pj->err->code;
	*truncated = has_total && total > cJSON_GetArraySize(histories);
	const char *hpath = pj_path(pj, cpath, "histories");
	size_t alloc = 0, n = 0, hi = 0;
	struct jira_transition *list = NULL;
	for (const cJSON *h = histories->child; h; h = h->next, hi++) {
		const char *path = pj_index(pj, hpath, hi);
		if (!cJSON_IsObject(h))
			return pj_fail(pj, path, NULL, "expected a changelog history object");
		const cJSON *items, *author;
		if (pj_arr(pj, h, path, "items", &items) < 0 ||
		    pj_obj(pj, h, path, "author", &author) < 0)
			return pj->err->code;
		size_t ii = 0;
		for (const cJSON *it = items ? items->child : NULL; it; it = it->next, ii++) {
			const char *itpath = pj_index(pj, pj_path(pj, path, "items"), ii);
			const char *field;
			if (pj_str(pj, it, itpath, "field", &field) < 0)
				return pj->err->code;
			if (!field || strcmp(field, "status") != 0)
				continue;
			struct jira_transition t = {.order = n};
			if (pj_time_req(pj, h, path, "created", &t.at) < 0 ||
			    pj_str(pj, it, itpath, "fromString", &t.from) < 0 ||
			    pj_str(pj, it, itpath, "toString", &t.to) < 0 ||
			    pj_str(pj, author, pj_path(pj, path, "author"), "accountId", &t.by) < 0)
				return pj->err->code;
			list = arena_grow(pj->arena, list, n, &alloc, sizeof *list);
			list[n++] = t;
		}
	}
	if (n > 1)
		transitions_sort(list, n);
	*out = list;
	*count = n;
	return 0;
}

/* id: the issue's own id, which a move to another project keeps while
 * its key changes (ingestion matches a moved issue by it, rekey.h). */
static int jira_attrs(struct pj *pj, const char *path, const char *id, const cJSON *fields,
                      const struct jira_transition *tr, size_t ntr, bool truncated,
                      const char **out)
{
	struct sb sb;
	struct jw w;
	sb_init(&sb, 0);
	jw_init(&w, &sb, false);
	jw_object_begin(&w);
	if (id)
		jw_kstr(&w, "id", id);
	const cJSON *v;
	v = pj_at(fields, "status.name");
	jw_kstr(&w, "status", cJSON_IsString(v) ? v->valuestring : NULL);
	v = pj_at(fields, "issuetype.name");
	jw_kstr(&w, "issuetype", cJSON_IsString(v) ? v->valuestring : NULL);
	v = pj_at(fields, "priority.name");
	jw_kstr(&w, "priority", cJSON_IsString(v) ? v->valuestring : NULL);
	v = pj_at(fields, "reporter.accountId");
	jw_kstr(&w, "reporter", cJSON_IsString(v) ? v->valuestring : NULL);
	jw_key(&w, "transitions");
	jw_array_begin(&w);
	for (size_t i = 0; i < ntr; i++) {
		jw_object_begin(&w);
		jw_key(&w, "at");
		jw_time(&w, tr[i].at, true);
		jw_kstr(&w, "from", tr[i].from);
		jw_kstr(&w, "to", tr[i].to);
		jw_kstr(&w, "by", tr[i].by);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	/* Always said: a later snapshot with the whole changelog must clear
	 * the flag an earlier cut one set (attrs merge key by key). */
	jw_kbool(&w, "transitions_truncated", truncated);
	jw_object_end(&w);
	return pj_sb_take(pj, path, &sb, out);
}

static int jira_assignee(struct pj *pj, const cJSON *fields, const char *fpath, struct event *ev)
{
	const cJSON *who;
	if (pj_obj(pj, fields, fpath, "assignee", &who) < 0)
		return pj->err->code;
	/* null: unassigned, which clears an earlier assignee; absent: the
	 * search did not ask for it, which says nothing (found in the parsers'
	 * hunt: an issue unassigned kept its assignee). */
	if (!who && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(fields, "assignee"))) {
		ev->account_system = "jira";
		ev->account_cleared = true;
	}
	if (!who)
		return 0;
	const char *apath = pj_path(pj, fpath, "assignee");
	if (pj_account(pj, who, apath, "accountId", "jira", &ev->account) < 0 ||
	    pj_email(pj, who, apath, "emailAddress", &ev->account_email) < 0 ||
	    pj_str(pj, who, apath, "displayName", &ev->account_name) < 0)
		return pj->err->code;
	/* Jira Server and Data Center name people by "name" instead. */
	if (!ev->account && pj_account(pj, who, apath, "name", "jira", &ev->account) < 0)
		return pj->err->code;
	ev->account_system = ev->account ? "jira" : NULL;
	/* Jira Cloud's own word for a bot: an app's account (Automation for
	 * Jira, an integration), as GitHub's type "Bot". */
	const char *type;
	if (pj_str(pj, who, apath, "accountType", &type) < 0)
		return pj->err->code;
	ev->bot = ev->account && type && strcmp(type, "app") == 0;
	return 0;
}

static int jira_issue(struct pj *pj, const cJSON *issue, const char *path, parse_emit_fn emit,
                      void *data, struct parse_page *page)
{
	struct event ev = {.kind = EVENT_WORK_ITEM, .owner_system = "jira"};
	if (!cJSON_IsObject(issue))
		return pj_fail(pj, path, NULL, "expected an issue object");
	const cJSON *fields, *project;
	const char *fpath = pj_path(pj, path, "fields");
	const char *id;
	if (pj_key_req(pj, issue, path, "key", &ev.external_id) < 0 ||
	    pj_id(pj, issue, path, "id", &id) < 0 || pj_str(pj, issue, path, "self", &ev.url) < 0 ||
	    pj_obj(pj, issue, path, "fields", &fields) < 0)
		return pj->err->code;
	if (!fields) {
		pj_fail(pj, path, "fields", "missing: expected the issue's fields");
		err_hint(pj->err, "request the fields created, updated, status, resolutiondate, "
		                  "summary, assignee, project in the search");
		return pj->err->code;
	}
	ev.number = ev.external_id;
	if (pj_time_req(pj, fields, fpath, "created", &ev.occurred_at) < 0) {
		/* Only a missing field means the search did not ask for it. */
		const cJSON *created = pj_get(fields, "created");
		if (!created || cJSON_IsNull(created))
			err_hint(pj->err, "the search must request the fields created, updated, "
			                  "status, resolutiondate "
			                  "(fields=created,updated,status,resolutiondate,...)");
		return pj->err->code;
	}
	if (pj_time(pj, fields, fpath, "updated", &ev.updated_at, &ev.has_updated) < 0 ||
	    pj_time(pj, fields, fpath, "resolutiondate", &ev.ended_at, &ev.has_ended) < 0)
		return pj->err->code;
	/* As a deploy event's finish before its start: a record that ends
	 * before it begins would count a negative cycle time. */
	if (ev.has_ended && ev.ended_at < ev.occurred_at)
		return pj_fail(pj, fpath, "resolutiondate",
		               "'%.40s' is before created ('%.40s') of issue %.40s",
		               pj_get(fields, "resolutiondate")->valuestring,
		               pj_get(fields, "created")->valuestring, ev.external_id);
	if (pj_str(pj, fields, fpath, "summary", &ev.title) < 0 ||
	    pj_obj(pj, fields, fpath, "project", &project) < 0 ||
	    pj_key(pj, project, pj_path(pj, fpath, "project"), "key", &ev.owner_key) < 0 ||
	    jira_status(pj, fields, fpath, ev.external_id, ev.has_ended, &ev.status) < 0 ||
	    jira_assignee(pj, fields, fpath, &ev) < 0)
		return pj->err->code;
	if (!ev.owner_key) {
		const char *dash = strchr(ev.external_id, '-');
		if (!dash || dash == ev.external_id)
			return pj_fail(pj, path, "key",
			               "'%.40s' is not a Jira issue key (PROJECT-123) and "
			               "fields.project.key is absent",
			               ev.external_id);
		ev.owner_key =
		        arena_strndup(pj->arena, ev.external_id, (size_t)(dash - ev.external_id));
	}
	struct jira_transition *tr;
	size_t ntr;
	bool truncated;
	if (jira_transitions(pj, issue, path, &tr, &ntr, &truncated) < 0 ||
	    jira_attrs(pj, path, id, fields, tr, ntr, truncated, &ev.attrs) < 0)
		return pj->err->code;
	return parse_emit_checked(pj, path, &ev, emit, data, page);
}

static int jira_page_info(struct pj *pj, const cJSON *doc, size_t nissues, struct parse_page *page)
{
	int64_t start;
	bool has_start, last;
	const char *token;
	if (pj_int(pj, doc, "", "total", &page->declared_total, &page->has_total) < 0 ||
	    pj_int(pj, doc, "", "startAt", &start, &has_start) < 0 ||
	    pj_bool(pj, doc, "", "isLast", &last, &page->has_is_last) < 0 ||
	    pj_str(pj, doc, "", "nextPageToken", &token) < 0)
		return pj->err->code;
	if (page->has_total && page->declared_total < 0)
		return pj_fail(pj, "", "total", "%" PRId64 ": expected a count, 0 or more",
		               page->declared_total);
	if (page->has_is_last) {
		page->is_last = last;
	} else if (page->has_total) {
		page->is_last = (has_start ? start : 0) + (int64_t)nissues >= page->declared_total;
		page->has_is_last = true;
	}
	page->next_token = token ? arena_strdup(pj->arena, token) : NULL;
	return 0;
}

static int jira_search_parse(struct pj *pj, const cJSON *doc, const struct parse_input *in,
                             parse_emit_fn emit, void *data, struct parse_page *page)
{
	(void)in;
	const cJSON *issues;
	if (!cJSON_IsObject(doc))
		return pj_fail(pj, "", NULL, "expected a Jira search page (an object with issues)");
	if (pj_arr(pj, doc, "", "issues", &issues) < 0)
		return pj->err->code;
	if (!issues)
		return pj_fail(pj, "", "issues", "missing: expected an array of issues");
	size_t i = 0;
	for (const cJSON *issue = issues->child; issue; issue = issue->next, i++)
		if (jira_issue(pj, issue, pj_index(pj, "issues", i), emit, data, page) < 0)
			return pj->err->code;
	return jira_page_info(pj, doc, i, page);
}

const struct parse_format parse_jira_formats[] = {
        {.name = "jira-search",
         .source_kind = "jira",
         .help = "a Jira Cloud search page (/rest/api/3/search or /search/jql, "
                 "expand=changelog): issues as work items",
         .json = true,
         .detect = jira_search_detect,
         .parse = jira_search_parse},
        {0},
};
