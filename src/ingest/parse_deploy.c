/*
 * parse_deploy: deployments written by a team's own CI/CD (no connector),
 * as JSON or CSV with one field set.  Being hand-written, the input is read
 * strictly: an unknown field or column is an error naming it (a typo must
 * not drop data silently), times are RFC 3339 text and statuses plumb's own.
 */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/csv.h"
#include "base/hmap.h"
#include "base/mem.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "core/identities.h"
#include "core/org.h"
#include "ingest/parse.h"
#include "ingest/pjson.h"

#define DEPLOY_FIELDS(X)                                                                           \
	X(ID, "id", false)                                                                         \
	X(SERVICE, "service", true)                                                                \
	X(ENVIRONMENT, "environment", true)                                                        \
	X(SHA, "sha", false)                                                                       \
	X(REF, "ref", false)                                                                       \
	X(STARTED, "started", true)                                                                \
	X(FINISHED, "finished", false)                                                             \
	X(STATUS, "status", true)                                                                  \
	X(ACTOR, "actor", false)                                                                   \
	X(URL, "url", false)

#define DF_ENUM_(id, name, req) DF_##id,
enum deploy_field { DEPLOY_FIELDS(DF_ENUM_) DF_COUNT };
#undef DF_ENUM_

#define DF_ROW_(id, name, req) {name, req},
static const struct {
	const char *name;
	bool required;
} deploy_fields[] = {DEPLOY_FIELDS(DF_ROW_)};
#undef DF_ROW_

#define DEPLOY_FIELD_LIST                                                                          \
	"id, service, environment, sha, ref, started, finished, status, actor, url"
#define DEPLOY_STATUS_LIST "success, failure, error, in_progress, pending, queued or inactive"

/* The deployment each id of a file named first: one id given to two
 * services or environments would fold them into one event, the later
 * silently replacing the earlier (found in review). */
struct deploy_first {
	const char *service, *environment, *sha, *where;
};

struct deploy_ids {
	struct hmap index;   /* id -> slot in first */
	struct hmap unnamed; /* the id made for one without: service/environment/start */
	struct deploy_first *first;
	size_t n, cap;
};

/* Where a deployment was read, for errors: a JSON path, or a CSV line. */
struct deploy_at {
	struct pj *pj;
	const char *path; /* JSON */
	long line;        /* CSV, when > 0 */
	struct deploy_ids *ids;
};

static int deploy_fail(const struct deploy_at *at, const char *field, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int deploy_fail(const struct deploy_at *at, const char *field, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (at->line > 0)
		return err_set(at->pj->err, ERR_INVALID, "%s:%ld: %s: %s", at->pj->origin, at->line,
		               field, msg);
	return pj_fail(at->pj, at->path, field, "%s", msg);
}

static int deploy_field_find(const char *name)
{
	for (int f = 0; f < DF_COUNT; f++)
		if (strcasecmp(name, deploy_fields[f].name) == 0)
			return f;
	return -1;
}

static int deploy_time(const struct deploy_at *at, enum deploy_field f, const char *text,
                       int64_t *ms)
{
	struct error terr = {0};
	if (ts_parse_payload(text, ms, &terr) < 0) {
		int rc = deploy_fail(
		        at, deploy_fields[f].name,
		        "expected an RFC 3339 time (2024-05-01T09:30:00Z), got '%.80s'", text);
		if (terr.detail[0]) /* what the time lacks: a zone, its seconds */
			err_detail(at->pj->err, "%s", terr.detail);
		return rc;
	}
	return 0;
}

static int deploy_status(const struct deploy_at *at, const char *text, const char **status)
{
	static const char *const words[] = {"success", "failure", "error",   "in_progress",
	                                    "pending", "queued",  "inactive"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasecmp(text, words[i]) == 0) {
			*status = words[i];
			return 0;
		}
	return deploy_fail(at, "status", "unknown status '%.40s': expected " DEPLOY_STATUS_LIST,
	                   text);
}

/* The actor without the blanks around it, as `plumb identity link deploy`
 * takes it; NULL when nothing is left.  A no-break or zero-width space as
 * well as a space (found in the parsers' hunt: "alice" and a no-break
 * space, as a spreadsheet copies it, matched no person, and identity link
 * refuses such a name). */
static const char *deploy_actor(struct pj *pj, const char *actor)
{
	return actor ? pj_account_trimmed(pj, actor) : NULL;
}

/* A text field kept as written (id, environment, sha, ref, url): refused
 * with spaces around it or a control character, since nothing would tell:
 * ' production' is no production environment to the DORA keys, a sha with
 * a space matches no commit, and the id (or the environment in the id made
 * for an event without one) would make the corrected file's event another. */
static int deploy_text(const struct deploy_at *at, enum deploy_field f, const char *text)
{
	if (!text || !*text)
		return 0;
	size_t n = strlen(text);
	/* A no-break space too, as a spreadsheet copies one from a web page:
	 * listings do not show it (found in the parsers' hunt). */
	if (text[0] == '\t' || text[n - 1] == '\t' || utf8_blank_at_an_end(text))
		return deploy_fail(at, deploy_fields[f].name,
		                   "'%.80s': expected no spaces around it", text);
	if (!pj_one_line(text))
		return deploy_fail(at, deploy_fields[f].name, PJ_ONE_LINE);
	return 0;
}

static void deploy_ids_init(struct deploy_ids *ids)
{
	memset(ids, 0, sizeof *ids);
	hmap_init(&ids->index);
	hmap_init(&ids->unnamed);
}

static void deploy_ids_release(struct deploy_ids *ids)
{
	hmap_release(&ids->index);
	hmap_release(&ids->unnamed);
	free(ids->first);
}

/* Where a deployment is read, as a message names it. */
static const char *deploy_where(const struct deploy_at *at)
{
	return at->line > 0 ? arena_printf(at->pj->arena, "line %ld", at->line)
	                    : (*at->path ? at->path : "the top");
}

/* Keep the first deployment key names, a copy (a CSV reader's fields last
 * one row), in map. */
static void deploy_first_add(const struct deploy_at *at, struct hmap *map, const char *key,
                             const char *const v[DF_COUNT], const char *sha)
{
	struct deploy_ids *ids = at->ids;
	struct arena *a = at->pj->arena;
	if (ids->n == ids->cap) {
		ids->cap = ids->cap ? 2 * ids->cap : 64;
		ids->first = xrealloc(ids->first, ids->cap * sizeof *ids->first);
	}
	ids->first[ids->n] = (struct deploy_first){
	        arena_strdup(a, v[DF_SERVICE]), arena_strdup(a, v[DF_ENVIRONMENT]),
	        sha ? arena_strdup(a, sha) : NULL, deploy_where(at)};
	hmap_put(map, key, (int64_t)ids->n++);
}

/* ERR_INVALID when a deployment without an id has the service,
 * environment and start of an earlier one of another commit: the id made
 * of those names both, and the fold would keep one of the two (found in
 * the parsers' hunt: a success of one commit replaced by the failure of
 * another started in the same second).  Two rows of one deployment (in
 * progress, then its success) name one commit (abbreviated or whole), or
 * one of them none. */
static int deploy_unnamed_once(const struct deploy_at *at, const char *key,
                               const char *const v[DF_COUNT], const char *sha)
{
	int64_t slot;
	if (!hmap_get(&at->ids->unnamed, key, &slot)) {
		deploy_first_add(at, &at->ids->unnamed, key, v, sha);
		return 0;
	}
	struct deploy_first *f = &at->ids->first[slot];
	if (!sha)
		return 0;
	size_t n = strlen(sha), fn = f->sha ? strlen(f->sha) : 0;
	/* An abbreviated sha is its commit's too; the longest says the most. */
	if (!f->sha || strncmp(f->sha, sha, n < fn ? n : fn) == 0) {
		if (n > fn)
			f->sha = arena_strdup(at->pj->arena, sha);
		return 0;
	}
	return deploy_fail(at, "sha",
	                   "'%.80s': a deployment of %.80s to %.80s started at %.40s, as one of "
	                   "commit %.80s at %s; without an id the two are one deployment "
	                   "(give each its own id)",
	                   sha, v[DF_SERVICE], v[DF_ENVIRONMENT], v[DF_STARTED], f->sha, f->where);
}

/* ERR_INVALID when the id named another service or environment before. */
static int deploy_id_once(const struct deploy_at *at, const char *const v[DF_COUNT])
{
	struct deploy_ids *ids = at->ids;
	int64_t slot;
	if (hmap_get(&ids->index, v[DF_ID], &slot)) {
		const struct deploy_first *f = &ids->first[slot];
		if (strcmp(f->service, v[DF_SERVICE]) != 0 ||
		    strcmp(f->environment, v[DF_ENVIRONMENT]) != 0)
			return deploy_fail(
			        at, "id",
			        "'%.80s' names a deployment of %.80s to %.80s at %s; one id "
			        "names one deployment (give this one its own id, or none)",
			        v[DF_ID], f->service, f->environment, f->where);
		return 0;
	}
	deploy_first_add(at, &ids->index, v[DF_ID], v, NULL);
	return 0;
}

/* Check one deployment's fields (empty means absent) and emit it. */
static int deploy_emit(const struct deploy_at *at, const char *const v[DF_COUNT],
                       parse_emit_fn emit, void *data, struct parse_page *page)
{
	struct pj *pj = at->pj;
	for (int f = 0; f < DF_COUNT; f++)
		if (deploy_fields[f].required && !v[f])
			return deploy_fail(at, deploy_fields[f].name, "missing: required");
	/* The service is created by this name when new: checked here, where
	 * the line or path can be named, not when the run publishes. */
	if (!org_valid_name(v[DF_SERVICE]))
		return deploy_fail(at, "service",
		                   "'%.80s' is not a valid service name: expected letters, digits, "
		                   "'-', '_' and '.', 1 to %d",
		                   v[DF_SERVICE], ORG_NAME_MAX);
	static const enum deploy_field kept[] = {DF_ID, DF_ENVIRONMENT, DF_SHA, DF_REF, DF_URL};
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
		if (deploy_text(at, kept[i], v[kept[i]]) < 0)
			return pj->err->code;
	if (v[DF_ID] && strlen(v[DF_ID]) > PJ_ID_MAX) /* a CSV's; JSON's pj_id checks */
		return deploy_fail(at, "id", "expected an id of at most %d bytes, got %zu",
		                   PJ_ID_MAX, strlen(v[DF_ID]));
	/* A tag or a version would be stored matching no commit, and its lead
	 * times go missing; an upper-case sha matched no commit (found in
	 * review). */
	const char *sha = v[DF_SHA] ? pj_sha_lower(pj->arena, v[DF_SHA]) : NULL;
	if (v[DF_SHA] && !sha)
		return deploy_fail(at, "sha", "'%.80s': " PJ_SHA_WANTED, v[DF_SHA]);
	const char *actor = deploy_actor(pj, v[DF_ACTOR]);
	/* Stored, an account `identity link` refuses could never be attributed. */
	if (actor && !identity_account_valid("deploy", actor))
		return deploy_fail(at, "actor",
		                   "expected one line of text without control characters, up to %d "
		                   "bytes (an account 'plumb identity link deploy' takes)",
		                   ORG_TEXT_MAX);
	struct event ev = {
	        .kind = EVENT_DEPLOYMENT,
	        .owner_system = "deploy",
	        .owner_key = v[DF_SERVICE],
	        .environment = v[DF_ENVIRONMENT],
	        .sha = sha,
	        .ref = v[DF_REF],
	        .url = v[DF_URL],
	        .account = actor,
	        .account_system = actor ? "deploy" : NULL,
	        /* An actor that is an address finds its person by email too. */
	        .account_email = actor && org_valid_email(actor) ? actor : NULL,
	};
	if (deploy_time(at, DF_STARTED, v[DF_STARTED], &ev.occurred_at) < 0 ||
	    deploy_status(at, v[DF_STATUS], &ev.status) < 0)
		return pj->err->code;
	if (v[DF_FINISHED]) {
		if (deploy_time(at, DF_FINISHED, v[DF_FINISHED], &ev.ended_at) < 0)
			return pj->err->code;
		if (ev.ended_at < ev.occurred_at)
			return deploy_fail(at, "finished", "'%s' is before started ('%s')",
			                   v[DF_FINISHED], v[DF_STARTED]);
		ev.has_ended = true;
	} else if (!strcmp(ev.status, "success")) {
		/* A success without its finish finished as it started: the DORA
		 * keys count a deployment at its finish, and dropped it before
		 * (found in review). */
		ev.ended_at = ev.occurred_at;
		ev.has_ended = true;
		ev.end_implied = true;
	}
	if (v[DF_ID]) {
		if (deploy_id_once(at, v) < 0)
			return pj->err->code;
		ev.external_id = v[DF_ID];
	} else {
		char buf[TS_BUF];
		ev.external_id = arena_printf(pj->arena, "%s/%s/%s", v[DF_SERVICE],
		                              v[DF_ENVIRONMENT], ts_format(ev.occurred_at, buf));
		if (deploy_unnamed_once(at, ev.external_id, v, sha) < 0)
			return pj->err->code;
	}
	const char *path = at->line > 0 ? arena_printf(pj->arena, "line %ld", at->line) : at->path;
	return parse_emit_checked(pj, path, &ev, emit, data, page);
}

/* ---- JSON ---- */

/* Whether obj is meant as a deploy event: its service, or an environment
 * and a start.  Lenient on purpose: the parser then names the field that
 * is missing or wrong, where detection could only say it cannot tell. */
static bool has_deploy_keys(const cJSON *obj)
{
	return cJSON_IsObject(obj) && (cJSON_GetObjectItemCaseSensitive(obj, "service") ||
	                               (cJSON_GetObjectItemCaseSensitive(obj, "environment") &&
	                                cJSON_GetObjectItemCaseSensitive(obj, "started")));
}

static bool deploy_json_detect(const cJSON *doc, const struct parse_input *in)
{
	(void)in;
	const cJSON *list = pj_get(doc, "deployments");
	if (cJSON_IsArray(list) && !list->child)
		return true; /* the wrapper is this format's own, empty or not */
	if (cJSON_IsArray(list))
		doc = list;
	if (cJSON_IsArray(doc))
		return has_deploy_keys(doc->child);
	return has_deploy_keys(doc);
}

/* One deployment object's fields as text, refusing unknown keys and epoch numbers. */
static int deploy_json_one(struct pj *pj, struct deploy_ids *ids, const cJSON *obj,
                           const char *path, parse_emit_fn emit, void *data,
                           struct parse_page *page)
{
	struct deploy_at at = {.pj = pj, .path = path, .ids = ids};
	const char *v[DF_COUNT] = {0};
	if (!cJSON_IsObject(obj))
		return pj_fail(pj, path, NULL, "expected a deployment object");
	bool seen[DF_COUNT] = {0};
	for (const cJSON *m = obj->child; m; m = m->next) {
		int f = deploy_field_find(m->string);
		if (f < 0 || strcmp(m->string, deploy_fields[f].name) != 0)
			return pj_fail(pj, path, m->string,
			               "unknown field: expected " DEPLOY_FIELD_LIST);
		/* A repeated key: the first wins, as everywhere plumb reads JSON
		 * (pj_get), so a later one is not read, nor refused. */
		if (seen[f])
			continue;
		seen[f] = true;
		if ((f == DF_STARTED || f == DF_FINISHED) && cJSON_IsNumber(m))
			return pj_fail(pj, path, m->string,
			               "expected an RFC 3339 time, got a number: an epoch number "
			               "does not say its unit");
		int rc = f == DF_ID ? pj_text_id(pj, obj, path, m->string, &v[f])
		                    : pj_str(pj, obj, path, m->string, &v[f]);
		if (rc < 0)
			return rc;
		if (v[f] && !*v[f])
			v[f] = NULL;
	}
	return deploy_emit(&at, v, emit, data, page);
}

static int deploy_json_parse(struct pj *pj, const cJSON *doc, const struct parse_input *in,
                             parse_emit_fn emit, void *data, struct parse_page *page)
{
	(void)in;
	const char *base = "";
	if (cJSON_IsObject(doc) && cJSON_GetObjectItemCaseSensitive(doc, "deployments")) {
		for (const cJSON *m = doc->child; m; m = m->next)
			if (strcmp(m->string, "deployments") != 0)
				return pj_fail(pj, "", m->string,
				               "unknown field: expected only deployments");
		if (pj_arr(pj, doc, "", "deployments", &doc) < 0)
			return pj->err->code;
		if (!doc)
			return pj_fail(pj, "", "deployments", "expected an array, got null");
		base = "deployments";
	}
	struct deploy_ids ids;
	deploy_ids_init(&ids);
	int rc = 0;
	if (!cJSON_IsArray(doc)) {
		rc = deploy_json_one(pj, &ids, doc, "", emit, data, page);
	} else {
		size_t i = 0;
		for (const cJSON *d = doc->child; d && rc == 0; d = d->next, i++)
			rc = deploy_json_one(pj, &ids, d, pj_index(pj, base, i), emit, data, page);
	}
	deploy_ids_release(&ids);
	if (rc < 0)
		return rc;
	page->is_last = page->has_is_last = true;
	return 0;
}

/* ---- CSV ---- */

/* The header's columns as fields; ERR_INVALID naming an unknown, repeated
 * or missing column. */
static int deploy_csv_header(struct pj *pj, const struct csv_reader *r, int cols[CSV_MAX_FIELDS])
{
	struct deploy_at at = {.pj = pj, .line = r->record_line};
	bool seen[DF_COUNT] = {0};
	for (size_t i = 0; i < r->nfields; i++) {
		int f = deploy_field_find(r->fields[i]);
		/* A spreadsheet's export often ends its header with a comma. */
		if (!*r->fields[i])
			return deploy_fail(&at, arena_printf(pj->arena, "column %zu", i + 1),
			                   "no name in the header: expected " DEPLOY_FIELD_LIST);
		/* A header written with a space after each comma: the name is
		 * said quoted, and what is wrong with it (found in the parsers'
		 * hunt: "t.csv:1:  environment: unknown column", its space unseen). */
		const char *name = r->fields[i];
		size_t lead = strspn(name, " \t"), len = strlen(name);
		while (len > lead && strchr(" \t", name[len - 1]))
			len--;
		if (f < 0 && (lead || name[len]) &&
		    deploy_field_find(arena_strndup(pj->arena, name + lead, len - lead)) >= 0)
			return deploy_fail(&at, arena_printf(pj->arena, "column %zu", i + 1),
			                   "'%.80s': expected no spaces around a column's name",
			                   name);
		if (f < 0)
			return deploy_fail(&at, r->fields[i],
			                   "unknown column: expected " DEPLOY_FIELD_LIST);
		if (seen[f])
			return deploy_fail(&at, r->fields[i], "column given twice");
		seen[f] = true;
		cols[i] = f;
	}
	for (int f = 0; f < DF_COUNT; f++)
		if (deploy_fields[f].required && !seen[f])
			return deploy_fail(&at, deploy_fields[f].name,
			                   "missing column: the header needs service, environment, "
			                   "started and status");
	return 0;
}

static int deploy_csv_rows(struct pj *pj, struct deploy_ids *ids, struct csv_reader *r,
                           parse_emit_fn emit, void *data, struct parse_page *page)
{
	int cols[CSV_MAX_FIELDS];
	int rc = csv_next(r, pj->err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(pj->err, ERR_INVALID,
		               "%s: empty file: expected a header row with "
		               "service, environment, started and status",
		               pj->origin);
	if (deploy_csv_header(pj, r, cols) < 0)
		return pj->err->code;
	size_t ncols = r->nfields;
	while ((rc = csv_next(r, pj->err)) > 0) {
		struct deploy_at at = {.pj = pj, .line = r->record_line, .ids = ids};
		if (r->nfields != ncols)
			return err_set(pj->err, ERR_INVALID, "%s:%ld: expected %zu fields, got %zu",
			               pj->origin, r->record_line, ncols, r->nfields);
		const char *v[DF_COUNT] = {0};
		bool blank = true;
		for (size_t i = 0; i < ncols; i++) {
			v[cols[i]] = *r->fields[i] ? r->fields[i] : NULL;
			blank = blank && !v[cols[i]];
		}
		/* A row of empty fields (",,,", as a spreadsheet writes a row it
		 * kept) holds no deployment, as a blank line holds none. */
		if (blank)
			continue;
		if (deploy_emit(&at, v, emit, data, page) < 0)
			return pj->err->code;
	}
	return rc;
}

/* A header row naming a deploy field: the parse then says what else it
 * lacks (a missing column), where detection could only say it cannot tell. */
static bool deploy_csv_detect(const cJSON *doc, const struct parse_input *in)
{
	(void)doc;
	struct csv_reader r;
	struct error err = {0};
	bool known = false;
	csv_init(&r, in->origin, in->data, in->len);
	if (csv_next(&r, &err) > 0)
		for (size_t i = 0; i < r.nfields && !known; i++)
			known = deploy_field_find(r.fields[i]) >= 0;
	csv_release(&r);
	return known;
}

static int deploy_csv_parse(struct pj *pj, const cJSON *doc, const struct parse_input *in,
                            parse_emit_fn emit, void *data, struct parse_page *page)
{
	(void)doc;
	if (pj_check_utf8(pj, in->data, in->len) < 0)
		return pj->err->code;
	struct csv_reader r;
	csv_init(&r, pj->origin, in->data, in->len);
	struct deploy_ids ids;
	deploy_ids_init(&ids);
	int rc = deploy_csv_rows(pj, &ids, &r, emit, data, page);
	deploy_ids_release(&ids);
	csv_release(&r);
	if (rc < 0)
		return rc;
	page->is_last = page->has_is_last = true;
	return 0;
}

const struct parse_format parse_deploy_formats[] = {
        {.name = "deploy-json",
         .source_kind = "deploy",
         .help = "deployments as JSON (an object, an array, or {\"deployments\": [...]}) with "
                 "service, environment, started, status and optionally id, sha, ref, "
                 "finished, actor, url",
         .json = true,
         .detect = deploy_json_detect,
         .parse = deploy_json_parse},
        {.name = "deploy-csv",
         .source_kind = "deploy",
         .help = "deployments as CSV with a header row naming the deploy-json fields, in any "
                 "order",
         .json = false,
         .detect = deploy_csv_detect,
         .parse = deploy_csv_parse},
        {0},
};
