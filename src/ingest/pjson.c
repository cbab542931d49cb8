#include "ingest/pjson.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "core/identities.h"
#include "core/org.h"

/* cJSON keeps numbers as doubles: integers are exact up to 2^53. */
#define PJ_EXACT_MAX 9007199254740992.0
#define SPELLED(x)   #x
#define TEXT_OF(x)   SPELLED(x)

int pj_fail(struct pj *pj, const char *path, const char *key, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const char *where = key ? pj_path(pj, path, key) : (path && *path ? path : "(document)");
	return err_set(pj->err, ERR_INVALID, "%s: %s: %s", pj->origin, where, msg);
}

/* cJSON allocates every node and string apart, and a page's parse spent
 * about as long in malloc and free as in parsing itself.  A tree pj_parse
 * builds comes from an arena instead (the parse alone runs 1.7 times as
 * fast, docs/PERFORMANCE.md): these hooks serve the calling thread from
 * tree_arena while pj_parse runs, and everything else from the heap. */
static _Thread_local struct arena *tree_arena;

static void *tree_malloc(size_t size)
{
	/* cJSON clears each node itself and writes every byte of a string. */
	return tree_arena ? arena_alloc_raw(tree_arena, size) : malloc(size);
}

static void tree_free(void *p)
{
	if (!tree_arena)
		free(p);
}

/* Before main: no other thread can be in cJSON while the hooks change. */
__attribute__((constructor)) static void tree_hooks(void)
{
	cJSON_Hooks hooks = {tree_malloc, tree_free};
	cJSON_InitHooks(&hooks);
}

/* Whether none of a word's 8 bytes is a backslash, a control character or
 * above 0x7F (the last test first: the others hold for ASCII bytes only). */
static bool word_plain(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	if (w & highs)
		return false;
	uint64_t x = w ^ (ones * '\\');
	return !(((x - ones) & ~x & highs) | ((w - ones * 0x20) & ~w & highs));
}

/* Whether an odd number of the n bytes at p are quotes.  Eight at a time: a
 * word's quote bytes become its bytes' high bits (exactly: the test adds no
 * carry across bytes), and the parity of a sum is that of the words' XOR. */
static bool quotes_odd(const char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	const uint64_t lows = ~highs;
	uint64_t quotes = 0;
	size_t i = 0;
	for (; n - i >= 8; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		uint64_t x = w ^ (ones * '"');
		quotes ^= ~(((x & lows) + lows) | x) & highs;
	}
	bool odd = (((quotes >> 7) * ones) >> 56) & 1; /* sums the high bits */
	for (; i < n; i++)
		odd ^= p[i] == '"';
	return odd;
}

/* Whether the byte at offset at lies in a string, read from the start with
 * escapes; false too when a backslash stands outside a string first: that is
 * not JSON, and the parser says where. */
static bool in_string_exactly(const char *data, size_t at)
{
	bool in = false;
	for (size_t i = 0; i < at; i++) {
		if (data[i] == '"')
			in = !in;
		else if (data[i] == '\\' && !in)
			return false;
		else if (data[i] == '\\')
			i++; /* the escaped character */
	}
	return in;
}

static const char *raw_space_in_string(unsigned char c)
{
	switch (c) {
	case '\t':
		return "a tab in a string: JSON spells it as the escape \\t";
	case '\n':
		return "a line break in a string: JSON spells it as the escape \\n";
	default:
		return "a carriage return in a string: JSON spells it as the escape \\r";
	}
}

/* What cJSON lets through: bytes that are not UTF-8 (stored, they would make
 * --json output that is not JSON), raw control characters, and the escape
 * \u0000, which cJSON turns into a NUL that ends the string early, so
 * "alice\u0000mallory" would be read as alice (so would a raw NUL).  A tab,
 * line feed or carriage return is white space between tokens, but in a string
 * (RFC 8259, section 7) as much an error as the others.  The offset of the
 * first, or len; *why says which.
 *
 * Whether the scan is in a string is worked out only at a tab or line break,
 * where the fast path stops anyway: from the parity of the quotes since the
 * last offset where it was known, so plain text costs nothing more.  After an
 * escape the scan is in a string, since a backslash outside one is not JSON
 * (in_string_exactly makes sure of it before such a document's error is
 * blamed on a line break). */
static size_t text_problem(const char *data, size_t len, const char **why)
{
	size_t i = 0;
	size_t known = 0; /* in_string holds at this offset */
	bool in_string = false;
	while (i < len) {
		if (len - i >= 8) {
			uint64_t w;
			memcpy(&w, data + i, 8);
			if (word_plain(w)) {
				i += 8;
				continue;
			}
		}
		unsigned char c = (unsigned char)data[i];
		if (c == '\\') {
			if (i + 1 < len && data[i + 1] == 'u' && len - i >= 6 &&
			    memcmp(data + i + 2, "0000", 4) == 0) {
				*why = "\\u0000 in a string: a NUL character is not text";
				return i;
			}
			i += 2; /* the escaped character, even a backslash or a quote */
			known = i;
			in_string = true;
		} else if (c >= 0x80) {
			size_t n = utf8_seq_len(data + i, len - i);
			if (!n) {
				*why = "not UTF-8";
				return i;
			}
			i += n;
		} else if (c == '\t' || c == '\n' || c == '\r') {
			in_string ^= quotes_odd(data + known, i - known);
			if (in_string) {
				if (!in_string_exactly(data, i))
					return len;
				*why = raw_space_in_string(c);
				return i;
			}
			known = ++i;
		} else if (c < 0x20) {
			/* Never JSON; a NUL would end the string as \u0000 does. */
			*why = "a control character: JSON spells it as an escape";
			return i;
		} else {
			i++;
		}
	}
	return len;
}

/* "origin:line:col: what" for the byte at offset at. */
static int fail_at(struct pj *pj, const char *data, size_t at, const char *what)
{
	int line = 1, col = 1;
	for (size_t i = 0; i < at; i++) {
		if (data[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	return err_set(pj->err, ERR_INVALID, "%s:%d:%d: %s", pj->origin, line, col, what);
}

int pj_check_utf8(struct pj *pj, const char *data, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len(data + i, len - i);
		if (!n)
			return fail_at(pj, data, i, "not UTF-8");
		i += n;
	}
	return 0;
}

static int check_text(struct pj *pj, const char *data, size_t len)
{
	const char *why = NULL;
	size_t bad = text_problem(data, len, &why);
	return bad < len ? fail_at(pj, data, bad, why) : 0;
}

/* Where a document cJSON refused goes deeper than CJSON_NESTING_LIMIT
 * arrays and objects, or len when it does not.  cJSON stops there, and says
 * only where: a well-formed document would be called invalid. */
static size_t too_deep_at(const char *data, size_t len)
{
	size_t depth = 0;
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == '{') {
			if (++depth > CJSON_NESTING_LIMIT)
				return i;
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return len;
}

int pj_parse(struct pj *pj, const char *data, size_t len, cJSON **out)
{
	const char *end = NULL;
	*out = NULL;
	/* White space, or a byte order mark alone, is no document either. */
	size_t first = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	while (first < len && (data[first] == ' ' || data[first] == '\t' || data[first] == '\n' ||
	                       data[first] == '\r'))
		first++;
	if (first == len)
		return err_set(pj->err, ERR_INVALID, "%s: empty file: expected a JSON document",
		               pj->origin);
	if (check_text(pj, data, len) < 0)
		return pj->err->code;
	tree_arena = pj->tree ? pj->tree : pj->arena;
	cJSON *doc = cJSON_ParseWithLengthOpts(data, len, &end, false);
	tree_arena = NULL;
	size_t at = end && end >= data && end <= data + len ? (size_t)(end - data) : 0;
	if (!doc) {
		size_t upto = at < len ? at + 1 : len, deep = too_deep_at(data, upto);
		if (deep < upto)
			return fail_at(
			        pj, data, deep,
			        "nested deeper than " TEXT_OF(
			                CJSON_NESTING_LIMIT) " arrays and objects: expected at "
			                                     "most " TEXT_OF(CJSON_NESTING_LIMIT));
		return fail_at(pj, data, at, "not valid JSON");
	}
	/* One document: what follows it may only be white space. */
	while (at < len &&
	       (data[at] == ' ' || data[at] == '\t' || data[at] == '\n' || data[at] == '\r'))
		at++;
	if (at < len)
		return fail_at(pj, data, at, "text after the JSON document");
	*out = doc;
	return 0;
}

/* Paths are built for every item read, in case one is named in an error:
 * by hand: through printf they were 3 to 5 % of the parsing workers'
 * samples at a million events (docs/PERFORMANCE.md). */
static char *path_join(struct pj *pj, const char *path, const char *sep, const char *tail,
                       const char *end)
{
	size_t np = path ? strlen(path) : 0, ns = strlen(sep), nt = strlen(tail), ne = strlen(end);
	char *out = arena_alloc_raw(pj->arena, np + ns + nt + ne + 1), *o = out;
	if (np)
		memcpy(o, path, np);
	memcpy(o += np, sep, ns);
	memcpy(o += ns, tail, nt);
	memcpy(o += nt, end, ne + 1);
	return out;
}

const char *pj_path(struct pj *pj, const char *path, const char *key)
{
	return path_join(pj, path, path && *path ? "." : "", key, "");
}

const char *pj_index(struct pj *pj, const char *path, size_t i)
{
	char digits[24], *d = digits + sizeof digits;
	*--d = 0;
	do
		*--d = (char)('0' + i % 10);
	while (i /= 10);
	return path_join(pj, path, "[", d, "]");
}

const cJSON *pj_get(const cJSON *obj, const char *key)
{
	if (!cJSON_IsObject(obj))
		return NULL;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return v && !cJSON_IsNull(v) ? v : NULL;
}

const cJSON *pj_at(const cJSON *obj, const char *dotted)
{
	char key[128];
	const char *p = dotted;
	while (obj && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof key)
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		obj = pj_get(obj, key);
		p += n + (dot ? 1 : 0);
	}
	return obj;
}

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "null";
}

static int missing(struct pj *pj, const char *path, const char *key, const char *what)
{
	return pj_fail(pj, path, key, "missing: expected %s", what);
}

int pj_str(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out)
{
	*out = NULL;
	const cJSON *v = pj_get(obj, key);
	if (!v)
		return 0;
	if (!cJSON_IsString(v))
		return pj_fail(pj, path, key, "expected a string, got %s", type_name(v));
	*out = v->valuestring;
	return 0;
}

int pj_str_req(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out)
{
	int rc = pj_str(pj, obj, path, key, out);
	if (rc == 0 && !*out)
		return missing(pj, path, key, "a string");
	return rc;
}

bool pj_one_line(const char *text)
{
	return org_valid_text(text, SIZE_MAX); /* the org's rule for one line of text */
}

/* The rule every id read as a string is held to.  spaces: whether it may
 * hold one (pj_text_id's may: a deploy event's id is free text; the
 * systems pj_id and pj_key_req read never write one). */
static int id_text(struct pj *pj, const char *path, const char *key, const char *id, bool spaces)
{
	size_t len = strlen(id);
	if (len > PJ_ID_MAX)
		return pj_fail(pj, path, key,
		               "expected an id of at most %d bytes, got %zu: '%.40s...'", PJ_ID_MAX,
		               len, id);
	if (!pj_one_line(id))
		return pj_fail(pj, path, key, PJ_ONE_LINE);
	if (!spaces && strchr(id, ' '))
		return pj_fail(pj, path, key, "'%.80s': expected an id without spaces", id);
	return 0;
}

int pj_key(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out)
{
	int rc = pj_str(pj, obj, path, key, out);
	/* An empty one keyed a service of no name: a PagerDuty incident's
	 * service id or a Jira issue's project key "" (found in the parsers'
	 * hunt), as pj_id refuses it. */
	if (rc == 0 && *out && !**out)
		rc = pj_fail(pj, path, key, "expected an id, got an empty string");
	else if (rc == 0 && *out)
		rc = id_text(pj, path, key, *out, false);
	if (rc < 0)
		*out = NULL;
	return rc;
}

int pj_key_req(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out)
{
	int rc = pj_key(pj, obj, path, key, out);
	if (rc == 0 && !*out)
		return missing(pj, path, key, "a string");
	return rc;
}

const char *pj_sha_lower(struct arena *arena, const char *text)
{
	size_t n = strspn(text, "0123456789abcdefABCDEF");
	return text[n] || n < 7 || n > 64 ? NULL : arena_strlower(arena, text);
}

int pj_sha(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out)
{
	const char *text;
	int rc = pj_str(pj, obj, path, key, &text);
	*out = NULL;
	if (rc < 0 || !text)
		return rc;
	if (!(*out = pj_sha_lower(pj->arena, text)))
		return pj_one_line(text) ? pj_fail(pj, path, key, "'%.80s': " PJ_SHA_WANTED, text)
		                         : pj_fail(pj, path, key, PJ_ONE_LINE);
	return 0;
}

int pj_sha_req(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out)
{
	int rc = pj_sha(pj, obj, path, key, out);
	if (rc == 0 && !*out)
		return missing(pj, path, key, "a commit id");
	return rc;
}

/* None of the systems plumb reads issues a login, id or address with a
 * space, a no-break or a zero-width one at an end, so one there was added by
 * whatever copied it, and would otherwise fail the whole file (found in the
 * parsers' hunt). */
const char *pj_account_trimmed(struct pj *pj, const char *text)
{
	size_t start, end;
	utf8_trim_blanks(text, &start, &end);
	if (end == start)
		return NULL;
	return start || text[end] ? arena_strndup(pj->arena, text + start, end - start) : text;
}

/* Below 2^53, not up to it: cJSON reads 2^53 + 1 as 2^53, so a 2^53 may
 * stand for another number (found in review: two ids became one). */
int pj_account(struct pj *pj, const cJSON *obj, const char *path, const char *key,
               const char *system, const char **out)
{
	int rc = pj_str(pj, obj, path, key, out);
	/* Blanks alone are kept as they are, and so refused below. */
	const char *trimmed = rc == 0 && *out ? pj_account_trimmed(pj, *out) : NULL;
	if (trimmed)
		*out = trimmed;
	/* Stored, an account 'identity link' refuses could never be attributed
	 * to anyone. */
	if (rc == 0 && *out && !identity_account_valid(system, *out))
		return pj_fail(pj, path, key,
		               "expected a %s account: one line without spaces or control "
		               "characters, up to %d bytes (what 'plumb identity link %s' takes)",
		               system, ORG_TEXT_MAX, system);
	return rc;
}

int pj_email(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out)
{
	int rc = pj_str(pj, obj, path, key, out);
	if (rc < 0 || !*out)
		return rc;
	if (!pj_one_line(*out)) {
		*out = NULL;
		return pj_fail(pj, path, key, PJ_ONE_LINE);
	}
	if (!(*out = pj_account_trimmed(pj, *out)))
		return 0;
	/* git takes any text as an author's email ("unknown", a name): data
	 * nobody downstream can fix, so it attributes nothing rather than
	 * failing the page. */
	if (!identity_account_valid("email", *out))
		*out = NULL;
	return 0;
}

static bool exact_integer(double d)
{
	return isfinite(d) && floor(d) == d && fabs(d) < PJ_EXACT_MAX;
}

static int id_value(struct pj *pj, const cJSON *obj, const char *path, const char *key, bool spaces,
                    const char **out)
{
	*out = NULL;
	const cJSON *v = pj_get(obj, key);
	if (!v)
		return 0;
	if (cJSON_IsString(v)) {
		if (!*v->valuestring)
			return pj_fail(pj, path, key, "expected an id, got an empty string");
		if (id_text(pj, path, key, v->valuestring, spaces) < 0)
			return pj->err->code;
		*out = v->valuestring;
		return 0;
	}
	if (cJSON_IsNumber(v)) {
		if (!exact_integer(v->valuedouble))
			return pj_fail(
			        pj, path, key,
			        "expected an integer id below 2^53 (larger ones as strings)");
		/* No system plumb reads numbers its records below 0. */
		if (v->valuedouble < 0)
			return pj_fail(pj, path, key, "%.0f: expected an id, 0 or more",
			               v->valuedouble);
		*out = arena_printf(pj->arena, "%lld", (long long)v->valuedouble);
		return 0;
	}
	return pj_fail(pj, path, key, "expected an id (a number or string), got %s", type_name(v));
}

int pj_id(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out)
{
	return id_value(pj, obj, path, key, false, out);
}

int pj_text_id(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out)
{
	return id_value(pj, obj, path, key, true, out);
}

int pj_id_req(struct pj *pj, const cJSON *obj, const char *path, const char *key, const char **out)
{
	int rc = pj_id(pj, obj, path, key, out);
	if (rc == 0 && !*out)
		return missing(pj, path, key, "an id");
	return rc;
}

int pj_int(struct pj *pj, const cJSON *obj, const char *path, const char *key, int64_t *out,
           bool *has)
{
	*out = 0;
	*has = false;
	const cJSON *v = pj_get(obj, key);
	if (!v)
		return 0;
	if (!cJSON_IsNumber(v))
		return pj_fail(pj, path, key, "expected an integer, got %s", type_name(v));
	/* The number itself, so "got a number" does not read as a type error. */
	if (!exact_integer(v->valuedouble))
		return pj_fail(pj, path, key,
		               "expected a whole number between -2^53 and 2^53, got %.17g",
		               v->valuedouble);
	*out = (int64_t)v->valuedouble;
	*has = true;
	return 0;
}

int pj_bool(struct pj *pj, const cJSON *obj, const char *path, const char *key, bool *out,
            bool *has)
{
	*out = false;
	*has = false;
	const cJSON *v = pj_get(obj, key);
	if (!v)
		return 0;
	if (!cJSON_IsBool(v))
		return pj_fail(pj, path, key, "expected true or false, got %s", type_name(v));
	*out = cJSON_IsTrue(v);
	*has = true;
	return 0;
}

int pj_obj(struct pj *pj, const cJSON *obj, const char *path, const char *key, const cJSON **out)
{
	*out = pj_get(obj, key);
	if (*out && !cJSON_IsObject(*out))
		return pj_fail(pj, path, key, "expected an object, got %s", type_name(*out));
	return 0;
}

int pj_arr(struct pj *pj, const cJSON *obj, const char *path, const char *key, const cJSON **out)
{
	*out = pj_get(obj, key);
	if (*out && !cJSON_IsArray(*out))
		return pj_fail(pj, path, key, "expected an array, got %s", type_name(*out));
	return 0;
}

int pj_time(struct pj *pj, const cJSON *obj, const char *path, const char *key, int64_t *ms,
            bool *has)
{
	*ms = 0;
	*has = false;
	const cJSON *v = pj_get(obj, key);
	if (!v)
		return 0;
	if (!cJSON_IsString(v))
		return pj_fail(pj, path, key, "expected an RFC 3339 time, got %s", type_name(v));
	struct error terr = {0};
	if (ts_parse_payload(v->valuestring, ms, &terr) < 0) {
		pj_fail(pj, path, key, "expected an RFC 3339 time, got '%.80s'", v->valuestring);
		err_detail(pj->err, "%s", terr.detail);
		return pj->err->code;
	}
	*has = true;
	return 0;
}

int pj_time_req(struct pj *pj, const cJSON *obj, const char *path, const char *key, int64_t *ms)
{
	bool has;
	int rc = pj_time(pj, obj, path, key, ms, &has);
	if (rc == 0 && !has)
		return missing(pj, path, key, "an RFC 3339 time");
	return rc;
}

/* A count as the file has it where a double holds it exactly; past 2^53
 * the digits read are not all the file's, so it is said to be about so
 * much rather than printed as a number the file does not hold. */
static const char *epoch_text(double v, char *buf, size_t size)
{
	if (fabs(v) < 9007199254740992.0)
		snprintf(buf, size, "%.0f", v);
	else
		snprintf(buf, size, "about %.6g", v);
	return buf;
}

int pj_epoch(struct pj *pj, const cJSON *obj, const char *path, const char *key, enum ts_unit unit,
             int64_t *ms, bool *has)
{
	static const char *const unit_names[] = {"seconds", "milliseconds", "microseconds",
	                                         "nanoseconds"};
	*ms = 0;
	*has = false;
	const cJSON *v = pj_get(obj, key);
	if (!v)
		return 0;
	/* Nanosecond counts pass 2^53; a double still holds them to well under
	 * a millisecond, which is all plumb keeps. */
	if (!cJSON_IsNumber(v))
		return pj_fail(pj, path, key, "expected an integer count of %s since 1970, got %s",
		               unit_names[unit], type_name(v));
	if (!isfinite(v->valuedouble) || floor(v->valuedouble) != v->valuedouble ||
	    fabs(v->valuedouble) > 9.2e18)
		return pj_fail(pj, path, key,
		               "expected a whole count of %s since 1970 within the years 1 to "
		               "9999, got %.17g",
		               unit_names[unit], v->valuedouble);
	struct error terr = {0};
	char num[40];
	if (ts_from_epoch((int64_t)v->valuedouble, unit, ms, &terr) < 0)
		return pj_fail(pj, path, key, "%s %s since 1970 is out of range (years 1 to 9999)",
		               epoch_text(v->valuedouble, num, sizeof num), unit_names[unit]);
	/* A count read in the wrong unit lands near 1970 (seconds read as
	 * milliseconds: January 1970), and no tool plumb reads wrote a time
	 * before 1973: refused rather than stored as a guess (found in review). */
	if (*ms < TS_EPOCH_PLAUSIBLE_MS)
		return pj_fail(pj, path, key,
		               "%s is before 1973-03-03 as %s since 1970: expected %s (a count "
		               "in another unit?)",
		               epoch_text(v->valuedouble, num, sizeof num), unit_names[unit],
		               unit_names[unit]);
	/* As ts_parse_payload refuses the year 9999 written as text. */
	if (ts_is_year9999(*ms))
		return pj_fail(pj, path, key,
		               "%s %s since 1970 is in the year 9999, how a date type writes "
		               "\"no end\": expected when it happened, or the field left out",
		               epoch_text(v->valuedouble, num, sizeof num), unit_names[unit]);
	*has = true;
	return 0;
}

int pj_sb_take(struct pj *pj, const char *path, struct sb *sb, const char **out)
{
	*out = NULL;
	if (sb->toobig) {
		sb_release(sb);
		return err_set(pj->err, ERR_TOO_BIG, "%s: %s: too large (over %zu bytes)",
		               pj->origin, path && *path ? path : "(document)", sb->cap);
	}
	*out = arena_strdup(pj->arena, sb->buf);
	sb_release(sb);
	return 0;
}

const char *pj_object_text(struct arena *a, const char *text)
{
	if (!text)
		return NULL;
	cJSON *obj = utf8_valid(text, strlen(text)) ? cJSON_ParseWithOpts(text, NULL, true) : NULL;
	const char *out = NULL;
	if (cJSON_IsObject(obj)) {
		char *printed = cJSON_PrintUnformatted(obj);
		out = printed ? arena_strdup(a, printed) : NULL;
		cJSON_free(printed);
	}
	cJSON_Delete(obj);
	return out;
}
