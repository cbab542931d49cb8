/*
 * parse_jenkins: Jenkins builds (a build's api/json, or a job's api/json
 * with its builds) into CI runs.  The job comes from the build's URL
 * (/job/A/job/B/12/ is job "A/B"), so folders and multibranch jobs keep
 * their full path; times are epoch milliseconds as Jenkins writes them.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/utf8.h"
#include "ingest/parse.h"
#include "ingest/pjson.h"

/* No build runs for a year: a longer duration is a bad number. */
#define JENKINS_MAX_DURATION_MS (366 * MS_PER_DAY)

#define USER_CAUSE "hudson.model.Cause$UserIdCause"

/* One commit of a build's change sets. */
struct jenkins_commit {
	const char *id, *author_email;
	int64_t at;
	bool has_at;
	bool git; /* id is a git sha (pj_sha), not another SCM's revision */
};

struct jenkins_changes {
	struct jenkins_commit *list;
	size_t count, alloc;
};

/* Keys only, not their types: a build with a wrong field is still a build,
 * and the parser then names the field where detection could only say it
 * cannot tell. */
static bool jenkins_build_detect(const cJSON *doc, const struct parse_input *in)
{
	(void)in;
	return pj_get(doc, "number") && pj_get(doc, "timestamp") &&
	       (cJSON_GetObjectItemCaseSensitive(doc, "result") ||
	        cJSON_GetObjectItemCaseSensitive(doc, "building"));
}

static bool jenkins_builds_detect(const cJSON *doc, const struct parse_input *in)
{
	(void)in;
	return cJSON_IsArray(pj_get(doc, "builds")) || cJSON_IsArray(pj_get(doc, "allBuilds"));
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append one URL path segment, percent-decoded ("my%20job" is "my job"). */
static void add_segment(struct sb *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		/* Control bytes stay escaped: a job name holds none. */
		if (s[i] == '%' && i + 2 < n && (hi = hex_value(s[i + 1])) >= 0 &&
		    (lo = hex_value(s[i + 2])) >= 0 && hi * 16 + lo >= 0x20) {
			sb_putc(sb, (char)(hi * 16 + lo));
			i += 2;
		} else {
			sb_putc(sb, s[i]);
		}
	}
}

/* Longest job path plumb takes from a URL, decoded. */
#define JENKINS_JOB_MAX 4096

/* The job path in a Jenkins URL ("https://h/job/A/job/B/12/" -> "A/B"), in
 * the arena; *job NULL when the URL names no job.  ERR_INVALID naming
 * path.field when the decoded path is not UTF-8 (it would make --json output
 * that is not JSON), holds a control character (it is part of the run's id,
 * as ids read are one line) or is longer than JENKINS_JOB_MAX. */
static int job_from_url(struct pj *pj, const char *path, const char *field, const char *url,
                        const char **job)
{
	*job = NULL;
	const char *p = strstr(url, "://");
	p = p ? strchr(p + 3, '/') : url;
	if (!p)
		return 0;
	struct sb sb;
	sb_init(&sb, JENKINS_JOB_MAX + 1);
	bool take_next = false;
	while (*p) {
		size_t n = strcspn(p, "/?#");
		/* "/job//42/": the empty name names no job, and the build number
		 * after it is none (found in review: stored as job 42). */
		if (take_next && n == 0) {
			sb_release(&sb);
			return 0;
		}
		if (take_next) {
			if (sb.len)
				sb_putc(&sb, '/');
			add_segment(&sb, p, n);
			take_next = false;
		} else {
			take_next = n == 3 && memcmp(p, "job", 3) == 0;
		}
		p += n;
		if (*p != '/')
			break;
		p++;
	}
	int rc = 0;
	if (sb.toobig || sb.len > JENKINS_JOB_MAX)
		rc = pj_fail(pj, path, field,
		             "'%.200s...' names a job over %d bytes long: expected a Jenkins build "
		             "or job url",
		             url, JENKINS_JOB_MAX);
	else if (!utf8_valid(sb.buf, sb.len))
		rc = pj_fail(
		        pj, path, field,
		        "'%.200s' names a job that is not UTF-8 once percent-decoded: expected "
		        "a Jenkins build or job url",
		        url);
	else if (sb.len && !pj_one_line(sb.buf))
		rc = pj_fail(pj, path, field, PJ_ONE_LINE);
	else if (sb.len)
		*job = arena_strdup(pj->arena, sb.buf);
	sb_release(&sb);
	return rc;
}

/* git: the change set's kind is "git", whose commit ids are shas (a
 * Subversion set's are revision numbers, kept as written, on one line as
 * every id is). */
static int commit_add(struct pj *pj, const cJSON *item, const char *path, bool git,
                      struct jenkins_changes *ch)
{
	struct jenkins_commit c = {.git = git};
	int64_t date;
	bool has_date;
	if (!cJSON_IsObject(item))
		return pj_fail(pj, path, NULL, "expected a change set item object");
	/* Jenkins writes -1 (ChangeLogSet.Entry's default) for an item whose
	 * SCM gave no time: none, so its date is read instead. */
	const cJSON *ts = pj_get(item, "timestamp");
	bool no_time = cJSON_IsNumber(ts) && ts->valuedouble <= 0;
	if ((git ? pj_sha(pj, item, path, "commitId", &c.id)
	         : pj_str(pj, item, path, "commitId", &c.id)) < 0 ||
	    pj_email(pj, item, path, "authorEmail", &c.author_email) < 0 ||
	    (!no_time && pj_epoch(pj, item, path, "timestamp", TS_MILLIS, &c.at, &c.has_at) < 0) ||
	    pj_time(pj, item, path, "date", &date, &has_date) < 0)
		return pj->err->code;
	if (!c.has_at) {
		c.at = date;
		c.has_at = has_date;
	}
	if (!c.id)
		return 0; /* Subversion and others: no commit id to keep */
	if (!git && !pj_one_line(c.id))
		return pj_fail(pj, path, "commitId", PJ_ONE_LINE);
	ch->list = arena_grow(pj->arena, ch->list, ch->count, &ch->alloc, sizeof *ch->list);
	ch->list[ch->count++] = c;
	return 0;
}

static int change_set(struct pj *pj, const cJSON *set, const char *path, struct jenkins_changes *ch)
{
	const cJSON *items;
	const char *kind;
	if (!cJSON_IsObject(set))
		return pj_fail(pj, path, NULL, "expected a change set object");
	if (pj_arr(pj, set, path, "items", &items) < 0 || pj_str(pj, set, path, "kind", &kind) < 0)
		return pj->err->code;
	bool git = kind && strcmp(kind, "git") == 0;
	const char *ipath = pj_path(pj, path, "items");
	size_t i = 0;
	for (const cJSON *it = items ? items->child : NULL; it; it = it->next, i++)
		if (commit_add(pj, it, pj_index(pj, ipath, i), git, ch) < 0)
			return pj->err->code;
	return 0;
}

/* changeSets (pipelines: an array) or changeSet (freestyle: one object). */
static int jenkins_changes(struct pj *pj, const cJSON *build, const char *path,
                           struct jenkins_changes *ch)
{
	const cJSON *sets, *one;
	if (pj_arr(pj, build, path, "changeSets", &sets) < 0 ||
	    pj_obj(pj, build, path, "changeSet", &one) < 0)
		return pj->err->code;
	if (one && change_set(pj, one, pj_path(pj, path, "changeSet"), ch) < 0)
		return pj->err->code;
	const char *spath = pj_path(pj, path, "changeSets");
	size_t i = 0;
	for (const cJSON *s = sets ? sets->child : NULL; s; s = s->next, i++)
		if (change_set(pj, s, pj_index(pj, spath, i), ch) < 0)
			return pj->err->code;
	return 0;
}

/* How deep in the job's path ("acme/api-server/main") a segment names the
 * repository a git remote ("https://h/acme/api-server.git",
 * "git@h:acme/api-server") names: 1 for the first segment, 0 for none.  The
 * deeper the better: a repository is named after a job or a multibranch
 * project, and a shared library may share a folder's name. */
static int remote_names_job(const char *remote, const char *job)
{
	size_t n = strcspn(remote, "?#");
	while (n && remote[n - 1] == '/')
		n--;
	if (n >= 4 && strncasecmp(remote + n - 4, ".git", 4) == 0)
		n -= 4;
	size_t start = n;
	while (start && remote[start - 1] != '/' && remote[start - 1] != ':')
		start--;
	size_t len = n - start;
	int depth = 0, found = 0;
	for (const char *seg = job; len && *seg;) {
		const char *end = strchr(seg, '/');
		size_t seglen = end ? (size_t)(end - seg) : strlen(seg);
		depth++;
		if (seglen == len && strncasecmp(seg, remote + start, len) == 0)
			found = depth;
		if (!end)
			break;
		seg = end + 1;
	}
	return found;
}

/* From actions[]: who started it (a user cause) and the git revision built.
 * A pipeline has a BuildData per repository it checked out: a shared
 * library's too (JENKINS-53149: the library's is loaded first, and tools
 * that took the first reported the library's commit).  The revision is the
 * one whose remote is named as the deepest segment of the job's path (job
 * "acme/api-server/main", remote ".../api-server.git"); among equals, and
 * without one, the last checked out. */
static int jenkins_actions(struct pj *pj, const cJSON *build, const char *path, const char *job,
                           struct event *ev)
{
	const cJSON *actions;
	if (pj_arr(pj, build, path, "actions", &actions) < 0)
		return pj->err->code;
	const char *apath = pj_path(pj, path, "actions");
	const char *sha = NULL, *ref = NULL;
	int named = 0; /* the chosen revision's remote_names_job */
	size_t i = 0;
	for (const cJSON *a = actions ? actions->child : NULL; a; a = a->next, i++) {
		const char *p = pj_index(pj, apath, i);
		const cJSON *causes, *rev, *branches, *remotes;
		if (pj_arr(pj, a, p, "causes", &causes) < 0 ||
		    pj_obj(pj, a, p, "lastBuiltRevision", &rev) < 0 ||
		    pj_arr(pj, a, p, "remoteUrls", &remotes) < 0)
			return pj->err->code;
		size_t ci = 0;
		for (const cJSON *c = causes ? causes->child : NULL; c && !ev->account;
		     c = c->next, ci++) {
			const char *cp = pj_index(pj, pj_path(pj, p, "causes"), ci);
			const char *cls, *user;
			if (pj_str(pj, c, cp, "_class", &cls) < 0 ||
			    pj_account(pj, c, cp, "userId", "jenkins", &user) < 0)
				return pj->err->code;
			if (user && (!cls || strcmp(cls, USER_CAUSE) == 0))
				ev->account = user;
		}
		if (!rev)
			continue;
		const char *rp = pj_path(pj, p, "lastBuiltRevision");
		const char *this_sha, *this_ref = NULL;
		/* The git plugin's BuildData: a git commit's sha. */
		if (pj_sha(pj, rev, rp, "SHA1", &this_sha) < 0 ||
		    pj_arr(pj, rev, rp, "branch", &branches) < 0)
			return pj->err->code;
		if (branches && branches->child &&
		    pj_str(pj, branches->child, pj_index(pj, pj_path(pj, rp, "branch"), 0), "name",
		           &this_ref) < 0)
			return pj->err->code;
		int names_job = 0;
		size_t ri = 0;
		for (const cJSON *r = remotes ? remotes->child : NULL; r; r = r->next, ri++) {
			if (!cJSON_IsString(r))
				return pj_fail(pj, pj_index(pj, pj_path(pj, p, "remoteUrls"), ri),
				               NULL, "expected a git remote URL string");
			int depth = job ? remote_names_job(r->valuestring, job) : 0;
			if (depth > names_job)
				names_job = depth;
		}
		if (!this_sha || names_job < named)
			continue;
		sha = this_sha;
		ref = this_ref;
		named = names_job;
	}
	if (sha)
		ev->sha = sha;
	if (ref)
		ev->ref = ref;
	ev->account_system = ev->account ? "jenkins" : NULL;
	return 0;
}

static int jenkins_status(struct pj *pj, const cJSON *build, const char *path, bool building,
                          const char **result, const char **status)
{
	static const struct {
		const char *result, *status;
	} map[] = {{"SUCCESS", "success"},   {"FAILURE", "failure"},   {"UNSTABLE", "failure"},
	           {"ABORTED", "cancelled"}, {"NOT_BUILT", "skipped"}, {NULL, NULL}};
	if (pj_str(pj, build, path, "result", result) < 0)
		return pj->err->code;
	/* A pipeline can set its result before it ends: still running. */
	if (building) {
		*status = "in_progress";
		return 0;
	}
	if (!*result) {
		*status = "queued";
		return 0;
	}
	for (size_t i = 0; map[i].result; i++)
		if (strcmp(*result, map[i].result) == 0) {
			*status = map[i].status;
			return 0;
		}
	return pj_fail(pj, path, "result",
	               "unknown result '%.40s': expected SUCCESS, FAILURE, UNSTABLE, ABORTED, "
	               "NOT_BUILT or null",
	               *result);
}

static int jenkins_attrs(struct pj *pj, const char *path, const char *result, int64_t duration,
                         bool has_duration, const struct jenkins_changes *ch, const char **out)
{
	struct sb sb;
	struct jw w;
	sb_init(&sb, 0);
	jw_init(&w, &sb, false);
	jw_object_begin(&w);
	jw_kstr(&w, "result", result);
	jw_key(&w, "duration_ms");
	if (has_duration)
		jw_int(&w, duration);
	else
		jw_null(&w);
	jw_key(&w, "commits");
	jw_array_begin(&w);
	for (size_t i = 0; i < ch->count; i++)
		jw_str(&w, ch->list[i].id);
	jw_array_end(&w);
	jw_key(&w, "commit_authors");
	jw_array_begin(&w);
	for (size_t i = 0; i < ch->count; i++)
		jw_str(&w, ch->list[i].author_email);
	jw_array_end(&w);
	jw_key(&w, "commit_times");
	jw_array_begin(&w);
	for (size_t i = 0; i < ch->count; i++)
		jw_time(&w, ch->list[i].at, ch->list[i].has_at);
	jw_array_end(&w);
	jw_object_end(&w);
	return pj_sb_take(pj, path, &sb, out);
}

/* One build; job_url is the job's own URL when reading a job's builds. */
static int jenkins_build(struct pj *pj, const cJSON *build, const char *path, const char *job_url,
                         const struct parse_input *in, parse_emit_fn emit, void *data,
                         struct parse_page *page)
{
	struct event ev = {.kind = EVENT_CI_RUN, .owner_system = "jenkins"};
	if (!cJSON_IsObject(build))
		return pj_fail(pj, path, NULL, "expected a build object");
	bool building, has_building, has_start, has_number;
	int64_t duration, number;
	bool has_duration;
	const char *result;
	struct jenkins_changes ch = {0};
	/* Jenkins numbers a job's builds 1, 2, ...: anything else is no build
	 * of its API, and would become an external id no later run matches. */
	if (pj_int(pj, build, path, "number", &number, &has_number) < 0)
		return pj->err->code;
	if (!has_number)
		return pj_fail(pj, path, "number",
		               "missing: expected the build's number, 1 or more");
	if (number < 1)
		return pj_fail(pj, path, "number", "%lld: expected the build's number, 1 or more",
		               (long long)number);
	ev.number = arena_printf(pj->arena, "%lld", (long long)number);
	if (pj_str(pj, build, path, "url", &ev.url) < 0 ||
	    pj_str(pj, build, path, "fullDisplayName", &ev.title) < 0 ||
	    pj_epoch(pj, build, path, "timestamp", TS_MILLIS, &ev.occurred_at, &has_start) < 0)
		return pj->err->code;
	if (!has_start)
		return pj_fail(pj, path, "timestamp",
		               "missing: expected the build's start in epoch milliseconds");
	if (pj_bool(pj, build, path, "building", &building, &has_building) < 0 ||
	    pj_int(pj, build, path, "duration", &duration, &has_duration) < 0 ||
	    jenkins_status(pj, build, path, building, &result, &ev.status) < 0 ||
	    jenkins_changes(pj, build, path, &ch) < 0)
		return pj->err->code;
	/* The run's sha is its last git commit's: another SCM's revision ("42"
	 * from Subversion) is no commit id the DORA keys could match. */
	for (size_t i = ch.count; i-- > 0 && !ev.sha;)
		if (ch.list[i].git)
			ev.sha = ch.list[i].id;
	const char *job = NULL;
	if (ev.url && job_from_url(pj, path, "url", ev.url, &job) < 0)
		return pj->err->code;
	if (!job && job_url && job_from_url(pj, "", "url", job_url, &job) < 0)
		return pj->err->code;
	if (!job)
		job = in->default_owner_key;
	if (!job)
		return pj_fail(pj, path, "url",
		               "cannot tell the job: no /job/NAME/ in the build's url and the "
		               "source names no default job");
	if (jenkins_actions(pj, build, path, job, &ev) < 0)
		return pj->err->code;
	/* Jenkins reports 0 while a build runs. */
	if (has_duration && duration < 0)
		return pj_fail(pj, path, "duration",
		               "%lld: expected the build's length in milliseconds, 0 or more",
		               (long long)duration);
	/* Only a build with its result has ended: one without is queued or
	 * running (a tree without building leaves only the result to say so),
	 * and an end would contradict its status (found in the parsers' hunt:
	 * a queued run with an end). */
	if (!building && result && has_duration && duration > 0) {
		if (duration > JENKINS_MAX_DURATION_MS)
			return pj_fail(pj, path, "duration",
			               "%lld ms is over a year: expected the build's length in "
			               "milliseconds",
			               (long long)duration);
		struct error terr = {0}; /* the message names the field, not the sum */
		if (ts_from_epoch(ev.occurred_at + duration, TS_MILLIS, &ev.ended_at, &terr) < 0)
			return pj_fail(pj, path, "duration",
			               "%lld ms: the build would end after the year 9999",
			               (long long)duration);
		ev.has_ended = true;
	}
	ev.owner_key = job;
	ev.external_id = arena_printf(pj->arena, "%s#%s", job, ev.number);
	if (jenkins_attrs(pj, path, result, duration, has_duration, &ch, &ev.attrs) < 0)
		return pj->err->code;
	return parse_emit_checked(pj, path, &ev, emit, data, page);
}

static int jenkins_build_parse(struct pj *pj, const cJSON *doc, const struct parse_input *in,
                               parse_emit_fn emit, void *data, struct parse_page *page)
{
	if (!cJSON_IsObject(doc))
		return pj_fail(pj, "", NULL, "expected a Jenkins build (an object with number)");
	if (jenkins_build(pj, doc, "", NULL, in, emit, data, page) < 0)
		return pj->err->code;
	page->is_last = page->has_is_last = true;
	return 0;
}

static int jenkins_builds_parse(struct pj *pj, const cJSON *doc, const struct parse_input *in,
                                parse_emit_fn emit, void *data, struct parse_page *page)
{
	const cJSON *builds;
	const char *job_url;
	if (!cJSON_IsObject(doc))
		return pj_fail(pj, "", NULL, "expected a Jenkins job (an object with builds)");
	/* builds holds the newest 100 only; a sync reads further pages as
	 * allBuilds{M,N}. */
	const char *key = pj_get(doc, "builds") ? "builds" : "allBuilds";
	if (pj_arr(pj, doc, "", key, &builds) < 0 || pj_str(pj, doc, "", "url", &job_url) < 0)
		return pj->err->code;
	if (!builds)
		return pj_fail(pj, "", "builds", "missing: expected an array of builds");
	size_t i = 0;
	for (const cJSON *b = builds->child; b; b = b->next, i++)
		if (jenkins_build(pj, b, pj_index(pj, key, i), job_url, in, emit, data, page) < 0)
			return pj->err->code;
	return 0;
}

const struct parse_format parse_jenkins_formats[] = {
        {.name = "jenkins-build",
         .source_kind = "jenkins",
         .help = "one Jenkins build's api/json (job/NAME/N/api/json): a CI run",
         .json = true,
         .detect = jenkins_build_detect,
         .parse = jenkins_build_parse},
        {.name = "jenkins-builds",
         .source_kind = "jenkins",
         .help = "a Jenkins job's api/json with tree=builds[...] (or allBuilds[...]): each build a "
                 "CI "
                 "run",
         .json = true,
         .detect = jenkins_builds_detect,
         .parse = jenkins_builds_parse},
        {0},
};
