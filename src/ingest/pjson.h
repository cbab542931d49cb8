/*
 * pjson: reading source documents (cJSON trees) with errors that say where.
 * Every getter takes the JSON path of the object it reads from ("[3].user",
 * "" for the root) so a failure names origin, path and field, and what was
 * expected: "pulls.json: [3].merged_at: expected an RFC 3339 time, got
 * 'yesterday'".  A missing or null field is not an error for the optional
 * getters; a field of the wrong type always is.
 *
 * Strings returned borrow the cJSON tree.  Paths built with pj_path go to
 * the arena given.
 */
#ifndef PLUMB_PJSON_H
#define PLUMB_PJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/ts.h"
#include "ingest/event.h"

struct arena;
typedef struct cJSON cJSON;

struct pj {
	const char *origin; /* a file path or URL */
	struct arena *arena;
	struct arena *tree; /* where pj_parse builds trees; NULL: arena */
	struct error *err;
};

/* Parse len bytes (need not be NUL-terminated) into a tree that lives in
 * pj->tree (pj->arena when NULL) and goes with it: never cJSON_Delete it.
 * ERR_INVALID naming origin, line and column when it is not JSON. */
int pj_parse(struct pj *pj, const char *data, size_t len, cJSON **out);
/* Before it parses, pj_parse refuses (ERR_INVALID naming origin, line and
 * column) bytes that are not UTF-8, raw control characters (a tab, line
 * feed or carriage return only in a string) and the \u0000 escape: cJSON
 * would end a string there.  pj_check_utf8 does the first for
 * text that is not JSON (a CSV file). */
int pj_check_utf8(struct pj *pj, const char *data, size_t len);

/* "path.key" or "path[i]" in pj's arena. */
const char *pj_path(struct pj *pj, const char *path, const char *key);
const char *pj_index(struct pj *pj, const char *path, size_t i);

/* The member, or NULL when absent or null. */
const cJSON *pj_get(const cJSON *obj, const char *key);
/* Follow a dotted chain of members ("head.repo.full_name"); NULL when any
 * link is absent or null. */
const cJSON *pj_at(const cJSON *obj, const char *dotted);

/* Each sets *out (NULL/0 when absent or null) and returns 0, or an
 * ERR_INVALID naming origin, path.key and the type expected.  The _req
 * forms also refuse absent and null. */
int pj_str(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out);
int pj_str_req(struct pj *pj, const cJSON *obj, const char *path, const char *key,
               const char **out);
/* text without the blanks around it (spaces, no-break and zero-width ones,
 * tabs, line breaks), as accounts are read; NULL when nothing else is left.
 * Allocated in pj->arena when trimmed, else text itself. */
const char *pj_account_trimmed(struct pj *pj, const char *text);
/* A string naming an account in system ("github", "jira", ...), without the
 * blanks around it (pj_account_trimmed; one of blanks alone is kept): refused unless
 * 'plumb identity link' would take it (identity_account_valid). */
int pj_account(struct pj *pj, const cJSON *obj, const char *path, const char *key,
               const char *system, const char **out);
/* An email address (a commit's author's, an assignee's), without the
 * blanks around it; NULL when absent, empty or not one 'plumb identity link email' would take (git
 * writes whatever its user configured, "unknown" too: no one to attribute, not an error).  One with
 * a control character is refused (PJ_ONE_LINE). */
int pj_email(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out);
/* The longest id of a record plumb takes, in bytes: ids are indexed, and
 * PostgreSQL refuses an index entry past about 2.7 KB (a longer id failed
 * there, and a SQLite database holding one could not be copied there). */
#define PJ_ID_MAX 512
/* What text kept as written (an id, a deploy event's environment) is refused
 * with when it holds a control character: a line break in an id split its
 * record over two lines of `events list --csv` (found in review). */
#define PJ_ONE_LINE "expected one line of text without control characters"
/* Whether text is one line: no control character nor line separator
 * (org_valid_text, without its length limit). */
bool pj_one_line(const char *text);
/* The JSON object text holds, written afresh in a (cJSON's compact form),
 * so that output quoting a stored column is JSON whatever the database
 * holds (a row an old version or a hand edit left); NULL when text is NULL,
 * not UTF-8, not JSON or not an object.  Thread-safe. */
const char *pj_object_text(struct arena *a, const char *text);
/* A number or a string, as its text (ids can exceed 2^53: cJSON keeps them
 * as doubles, so numbers past 2^53 are refused, and negative ones: no
 * system plumb reads writes one); a string over PJ_ID_MAX
 * bytes, with a control character (PJ_ONE_LINE) or with a space (no system
 * plumb reads writes one in an id) is refused. */
int pj_id(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out);
/* As pj_id, but a string may hold spaces: an id people write (a deploy
 * event's, which is free text). */
int pj_text_id(struct pj *pj, const cJSON *obj, const char *path, const char *key,
               const char **out);
int pj_id_req(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out);
/* A record's id that is a string (a Jira issue key, a PagerDuty incident
 * or service id): as pj_str_req, and refused as pj_id refuses a string, or
 * empty or with a space (neither system writes one in its ids).  pj_key: the same,
 * NULL when absent or null (a Jira issue's project key). */
int pj_key(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out);
int pj_key_req(struct pj *pj, const cJSON *obj, const char *path, const char *key,
               const char **out);
/* What a commit id that is not one is refused with. */
#define PJ_SHA_WANTED "expected a commit id, 7 to 64 hex digits"
/* text in lower case, in arena, when it is a commit id: 7 to 64 hex digits
 * (abbreviated as git does, or whole: 40 for SHA-1, 64 for SHA-256); else
 * NULL.  The DORA keys find a deployment's commits by its sha, so every
 * commit id read is held to this and stored as commits carry it. */
const char *pj_sha_lower(struct arena *arena, const char *text);
/* A commit id (as pj_sha_lower), in lower case; NULL when absent or null.
 * Another value is an error naming the field (PJ_SHA_WANTED, or
 * PJ_ONE_LINE for one with a control character, which is not echoed). */
int pj_sha(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out);
int pj_sha_req(struct pj *pj, const cJSON *obj, const char *path, const char *key,
               const char **out);
int pj_int(struct pj *pj, const cJSON *obj, const char *path, const char *key, int64_t *out,
           bool *has);
int pj_bool(struct pj *pj, const cJSON *obj, const char *path, const char *key, bool *out,
            bool *has);
/* An object or array member (NULL when absent or null). */
int pj_obj(struct pj *pj, const cJSON *obj, const char *path, const char *key, const cJSON **out);
int pj_arr(struct pj *pj, const cJSON *obj, const char *path, const char *key, const cJSON **out);

/* A time as text (ts_parse_payload: RFC 3339 and the other forms sources
 * write, with seconds and a zone) or, where the source writes one, an epoch
 * count in unit; *has false when absent or null.  Anything else is an error
 * naming the field, its detail saying what the text lacks. */
int pj_time(struct pj *pj, const cJSON *obj, const char *path, const char *key, int64_t *ms,
            bool *has);
int pj_time_req(struct pj *pj, const cJSON *obj, const char *path, const char *key, int64_t *ms);
int pj_epoch(struct pj *pj, const cJSON *obj, const char *path, const char *key, enum ts_unit unit,
             int64_t *ms, bool *has);

/* An error at path.key: "origin: path.key: message". */
int pj_fail(struct pj *pj, const char *path, const char *key, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

struct sb;
/* Copy the text built in sb (a parser's attrs object) into pj's arena as
 * *out and release sb either way; ERR_TOO_BIG naming path when sb went over
 * its cap. */
int pj_sb_take(struct pj *pj, const char *path, struct sb *sb, const char **out);

#endif
