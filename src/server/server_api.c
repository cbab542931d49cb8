/* server_api: the /api/v1 routes, read from the ops table, each run as the
 * operation's CLI command with --json.
 *
 * A request becomes the command's arguments: a path parameter named like
 * one of the command's options fills that option, the others are its
 * positionals in order; query arguments are options (?team=x is
 * --team=x, ?dry-run is --dry-run); a POST body is the command's FILE when
 * it takes one (org import, metrics define, ingest, ...), else a JSON
 * object whose keys are options (strings, numbers, true for a flag, arrays
 * for repeatable ones) and whose "args" array adds positionals.  So the
 * API accepts exactly what the CLI accepts, with the same errors.
 * GET lists take ?per_page=N&cursor=C (a Link: rel="next" header gives the
 * next page), and every GET answer carries an ETag (If-None-Match: 304).
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "cli/cli.h"
#include "core/ctx.h"
#include "ingest/pjson.h"
#include "server/server_int.h"

#define MAX_SEGS     12
#define MAX_ARGS     128
#define PER_PAGE     100
#define PER_PAGE_MAX 1000

struct api_route {
	const struct op_def *op;
	const struct cli_command *cmd;
	char method[8];
	const char *path; /* the template, for logs and /metrics */
	char *buf;        /* the template's copy that segs point into */
	int nsegs;
	char *segs[MAX_SEGS + 1];
};

struct api_routes {
	struct api_route *rows;
	size_t n;
};

/* Cut path at its slashes, in place; more than MAX_SEGS segments give
 * MAX_SEGS + 1, which no route has. */
static int split_path(char *path, char **segs)
{
	int n = 0;
	for (char *p = path; *p;) {
		while (*p == '/')
			*p++ = '\0';
		if (!*p)
			break;
		if (n == MAX_SEGS)
			return MAX_SEGS + 1;
		segs[n++] = p;
		while (*p && *p != '/')
			p++;
	}
	return n;
}

struct api_routes *api_routes_new(void)
{
	int nops = 0;
	const struct op_def *ops = op_table(&nops);
	struct api_routes *r = xcalloc(1, sizeof *r);
	r->rows = xcalloc((size_t)nops, sizeof *r->rows);
	for (int i = 0; i < nops; i++) {
		if (!ops[i].route)
			continue;
		struct api_route *row = &r->rows[r->n++];
		row->op = &ops[i];
		row->cmd = cli_command_for_op(ops[i].id);
		if (!row->cmd)
			BUG("route %s has no command", ops[i].route);
		const char *space = strchr(ops[i].route, ' ');
		snprintf(row->method, sizeof row->method, "%.*s", (int)(space - ops[i].route),
		         ops[i].route);
		row->path = space + 1;
		row->buf = xstrdup(row->path);
		row->nsegs = split_path(row->buf, row->segs);
	}
	return r;
}

void api_routes_free(struct api_routes *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->rows[i].buf);
	free(r->rows);
	free(r);
}

/* The path as sent, cut into its decoded segments (in the arena); -1 for a
 * segment holding %00 or bytes that are not UTF-8; 0, which no route has,
 * for one with an empty segment. */
static int path_segments(struct arena *a, const char *path, char **segs)
{
	/* Segment for segment, as the pages match (found hunting: /api/v1//tokens
	 * and /api/v1/tokens/ were /api/v1/tokens, which a proxy's rule on that
	 * path does not see). */
	if (!path || strstr(path, "//") || (*path && path[strlen(path) - 1] == '/'))
		return 0;
	int n = split_path(arena_strdup(a, path ? path : ""), segs);
	for (int i = 0; i < n && i < MAX_SEGS; i++)
		if (!path_segment_decode(segs[i]))
			return -1;
	return n;
}

static bool route_matches(const struct api_route *row, char **segs, int n)
{
	if (row->nsegs != n)
		return false;
	for (int i = 0; i < n; i++)
		if (row->segs[i][0] != '{' && strcmp(row->segs[i], segs[i]) != 0)
			return false;
	return true;
}

static const struct cli_opt *command_option(const struct cli_command *c, const char *name, size_t n)
{
	for (const struct cli_opt *o = c->opts; o && o->name; o++)
		if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
			return o;
	return NULL;
}

struct args {
	struct arena *a;
	char *v[MAX_ARGS];
	int n;
	bool overflow;
	const char *bad_name; /* the first field or query argument named with '=' */
};

static void add_arg(struct args *x, const char *s)
{
	if (x->n == MAX_ARGS) {
		x->overflow = true;
		return;
	}
	x->v[x->n++] = arena_strdup(x->a, s);
}

static void add_opt(struct args *x, const char *key, const char *value)
{
	/* "--ratings=no" from a name is a value the request never gave as one
	 * (found hunting: {"ratings=no": true}). */
	if (strchr(key, '=')) {
		if (!x->bad_name)
			x->bad_name = arena_strdup(x->a, key);
		return;
	}
	add_arg(x, value ? arena_printf(x->a, "--%s=%s", key, value)
	                 : arena_printf(x->a, "--%s", key));
}

static enum MHD_Result add_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                     size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	(void)key_size;
	(void)value_size; /* request_query_check found no NUL in either */
	struct args *x = cls;
	if (strcmp(key, "per_page") == 0 || strcmp(key, "cursor") == 0)
		return MHD_YES; /* the API's paging, not the command's */
	add_opt(x, key, value && *value ? value : NULL);
	return MHD_YES;
}

/* Options the API does not take: they name a file, a directory or an
 * environment variable on the server's machine, which only its operator may
 * point plumb at.  The command's declaration says so by its placeholder
 * (--output FILE); the names catch an option a command does not declare. */
static bool server_local_option(const struct cli_command *cmd, const char *name, size_t n)
{
	static const char *const placeholders[] = {"FILE", "DIR", "VAR"};
	for (const struct cli_opt *o = cmd->opts; o && o->name; o++)
		if (o->arg && strlen(o->name) == n && strncmp(o->name, name, n) == 0)
			for (size_t i = 0; i < sizeof placeholders / sizeof placeholders[0]; i++)
				if (strcmp(o->arg, placeholders[i]) == 0)
					return true;
	static const char *const suffixes[] = {"-env", "-file", "file", "-dir"};
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		size_t k = strlen(suffixes[i]);
		if (n >= k && strncmp(name + n - k, suffixes[i], k) == 0)
			return true;
	}
	return false;
}

/* "--name" or "--name=value" against the command's declaration. */
static int check_api_option(const struct cli_command *cmd, const char *arg, struct error *err)
{
	const char *name = arg + 2, *eq = strchr(name, '=');
	size_t n = eq ? (size_t)(eq - name) : strlen(name);
	/* "--" would end the options, and what follows be read as positionals:
	 * a path ingest would open (found in review). */
	if (n == 0) {
		err_set(err, ERR_USAGE, "a query argument or body field has an empty name");
		err_hint(err, "name each option: ?limit=5 or {\"limit\": 5}");
		return ERR_USAGE;
	}
	if (server_local_option(cmd, name, n)) {
		err_set(err, ERR_USAGE, "option --%.*s is not taken over the API", (int)n, name);
		err_detail(err,
		           "it names a file or an environment variable on the server's machine");
		err_hint(err, "run 'plumb %s' on that machine instead", cmd->name);
		return ERR_USAGE;
	}
	for (const struct cli_opt *o = cmd->opts; o && o->name; o++)
		if (strlen(o->name) == n && strncmp(o->name, name, n) == 0 &&
		    (o->flags & OPT_VALUE) && !eq) {
			err_set(err, ERR_USAGE, "option %s needs a value", o->name);
			err_hint(err, "give it as ?%s=VALUE or \"%s\": \"VALUE\"", o->name,
			         o->name);
			return ERR_USAGE;
		}
	return 0;
}

/* A JSON number as the text an option takes: a whole number as its digits
 * (1e15 is 1000000000000000, which an integer option reads), another as the
 * shortest decimal that reads back the same, so 0.1 stays 0.1 (%.17g made
 * it 0.10000000000000001, stored so).  One no double holds exactly is
 * refused rather than sent changed: past the range (1e400 was "inf") or a
 * whole number from 2^53 on (12345678901234567890 was
 * 1.2345678901234567e+19). */
static int body_number(struct arena *a, const char *field, double d, const char **out,
                       struct error *err)
{
	if (!isfinite(d) || (floor(d) == d && fabs(d) >= 9007199254740992.0)) {
		err_set(err, ERR_INVALID, "field '%s' has a number too large to take exactly",
		        field);
		err_detail(err, "a whole number's digits are kept below 2^53 (9007199254740992)");
		err_hint(err, "send it as a string: \"%s\": \"12345678901234567890\"", field);
		return ERR_INVALID;
	}
	if (floor(d) == d) {
		*out = arena_printf(a, "%.0f", d);
		return 0;
	}
	struct sb text = SB_INIT;
	sb_double(&text, d);
	*out = arena_strdup(a, text.buf);
	sb_release(&text);
	return 0;
}

/* The body's fields as options into x and its "args" as positionals into pos
 * (found in review: positionals were read as options, "profile" as --ofile).
 * false leaves a flag of cmd out; any other option given false goes in as
 * true does, so the checks after refuse it (found hunting: {"ratings":
 * false} was dropped, and an annual cycle made that collects ratings). */
static int json_body_args(const struct cli_command *cmd, const struct request *req, struct args *x,
                          struct args *pos, struct error *err)
{
	/* As ingestion reads JSON: one document, UTF-8, no \u0000 or raw control
	 * character (either would cut a value short), its tree in the request's
	 * arena. */
	struct pj pj = {.origin = "the request body", .arena = x->a, .err = err};
	cJSON *doc = NULL;
	if (pj_parse(&pj, req->body.buf, req->body.len, &doc) < 0 || !cJSON_IsObject(doc)) {
		if (doc)
			err_set(err, ERR_INVALID, "the request body is not a JSON object");
		err_hint(err, "send {\"option\": \"value\", ...}, the command's options by name");
		return ERR_INVALID;
	}
	int rc = 0;
	for (cJSON *f = doc->child; f && rc == 0; f = f->next) {
		bool positional = strcmp(f->string, "args") == 0;
		cJSON *items = cJSON_IsArray(f) ? f->child : f;
		for (cJSON *it = items; it && rc == 0; it = cJSON_IsArray(f) ? it->next : NULL) {
			const char *v = NULL;
			if (cJSON_IsString(it))
				v = it->valuestring;
			else if (cJSON_IsNumber(it)) {
				if ((rc = body_number(x->a, f->string, it->valuedouble, &v, err)) <
				    0)
					break;
			} else if (cJSON_IsTrue(it) && !positional) {
				v = NULL;
			} else if (cJSON_IsFalse(it) && !positional) {
				const struct cli_opt *o =
				        command_option(cmd, f->string, strlen(f->string));
				if (o && !(o->flags & OPT_VALUE))
					continue;
				v = NULL;
			} else {
				rc = err_set(err, ERR_INVALID, "field '%s' has an unusable value",
				             f->string);
				err_detail(err, "expected a string, a number, true or false, or an "
				                "array of those");
				break;
			}
			if (positional)
				add_arg(pos, v);
			else
				add_opt(x, f->string, v);
		}
	}
	return rc;
}

static const char *upload_suffix(const struct request *req)
{
	const char *type = request_header(req, "Content-Type");
	if (!type)
		return "";
	if (strstr(type, "json"))
		return ".json";
	if (strstr(type, "csv"))
		return ".csv";
	if (strstr(type, "yaml"))
		return ".yaml";
	return "";
}

/* The body into a private temporary file, named with the type's suffix so
 * format detection by extension works as for a file on the command line. */
static int body_to_file(const struct request *req, struct arena *a, char **path, struct error *err)
{
	const char *dir = getenv("TMPDIR");
	const char *suffix = upload_suffix(req);
	char *tmpl =
	        arena_printf(a, "%s/plumb-upload-XXXXXX%s", dir && *dir ? dir : "/tmp", suffix);
	int fd = mkstemps(tmpl, (int)strlen(suffix));
	if (fd < 0)
		return err_set(err, ERR_IO, "cannot store the request body: %s", strerror(errno));
	size_t off = 0;
	while (off < req->body.len) {
		ssize_t w = write(fd, req->body.buf + off, req->body.len - off);
		if (w <= 0) {
			close(fd);
			unlink(tmpl);
			return err_set(err, ERR_IO, "cannot store the request body");
		}
		off += (size_t)w;
	}
	close(fd);
	*path = tmpl;
	return 0;
}

/* What the answer calls an uploaded body: the temporary file's name means
 * nothing to the client and tells it about the server's disk. */
#define UPLOAD_NAME "request body"

/* text[0, len) into out with every occurrence of the upload's path named
 * UPLOAD_NAME instead ("request body:1: missing required column email"). */
static void add_renamed(struct sb *out, const char *text, size_t len, const char *path)
{
	size_t plen = strlen(path), done = 0;
	for (size_t i = 0; i + plen <= len;) {
		if (memcmp(text + i, path, plen) == 0) {
			sb_add(out, text + done, i - done);
			sb_puts(out, UPLOAD_NAME);
			done = i += plen;
		} else {
			i++;
		}
	}
	sb_add(out, text + done, len - done);
}

/* The Plumb-Warnings header's size at most, and a line's in it: a proxy
 * keeps an answer's headers in a buffer of 4 or 8 KB, and libmicrohttpd
 * builds them in the connection's pool, past which it drops the answer
 * unsent (found in review: an org file of 240 unused long columns was
 * imported and its client got no answer at all). */
#define WARNINGS_HEADER_MAX 4096
#define WARNING_LINE_MAX    512

/* The warnings and notes a command said (cli_gather_warnings: a line
 * each) as a JSON array of strings, "warning: ...", "note: ...", at most
 * WARNINGS_HEADER_MAX bytes: a line cut at WARNING_LINE_MAX, and those that
 * do not fit counted in a last note. */
static void warnings_json(struct sb *out, const struct sb *said)
{
	struct jw w;
	jw_init(&w, out, false);
	jw_array_begin(&w);
	struct sb line = SB_INIT, item = SB_INIT;
	size_t left = 0;
	for (const char *l = said->buf, *e; l && *l; l = e + 1) {
		e = strchr(l, '\n');
		size_t len = (size_t)(e - l), cut = 0;
		while (cut < len && cut < WARNING_LINE_MAX) {
			size_t n = utf8_seq_len(l + cut, len - cut);
			if (cut + n > WARNING_LINE_MAX)
				break;
			cut += n ? n : 1;
		}
		sb_reset(&line);
		sb_add(&line, l, cut);
		if (cut < len)
			sb_puts(&line, "...");
		sb_reset(&item);
		struct jw one;
		jw_init(&one, &item, false);
		jw_str(&one, line.buf);
		/* Room kept for the last note and the closing bracket. */
		if (left || out->len + item.len + 1 > WARNINGS_HEADER_MAX - 128)
			left++;
		else
			jw_raw(&w, item.buf);
	}
	if (left) {
		sb_reset(&line);
		sb_printf(&line, "note: %zu more %s left out here (this header keeps %d bytes)",
		          left, left == 1 ? "warning or note" : "warnings and notes",
		          WARNINGS_HEADER_MAX);
		jw_str(&w, line.buf);
	}
	sb_release(&line);
	sb_release(&item);
	jw_array_end(&w);
}

/* The same in a field of an error, cut to its size (it only shrinks). */
static void rename_field(char *field, size_t size, const char *path)
{
	struct sb b = SB_INIT;
	add_renamed(&b, field, strlen(field), path);
	snprintf(field, size, "%s", b.buf);
	sb_release(&b);
}

/* A value as the CLI's words give one after an option: a number or a
 * placeholder in capitals ("0", "TEXT", "KIND:REF"); its length, or 0. */
static size_t option_value_len(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:");
	if (n && s[n - 1] == ':')
		n--;
	return n && !isalnum((unsigned char)s[n]) ? n : 0;
}

/* The values a request gave with "--" in them (an option's, after its '=';
 * a positional), which a message may repeat unquoted ("no person with
 * employee id x --limit 0") or quoted with a quote of their own inside
 * ('zz' --limit 0'): option_words leaves them as sent (found in review:
 * they read "x ?limit=0", naming no id that was asked for). */
struct given {
	const char *v[2 * MAX_ARGS];
	size_t n;
};

/* Add x's values to g: options' (x->v up to its "--") or, with !options,
 * every one (positionals). */
static void given_add(struct given *g, const struct args *x, bool options)
{
	for (int i = 0; i < x->n && g->n < sizeof g->v / sizeof *g->v; i++) {
		const char *v = x->v[i];
		if (options) {
			if (strcmp(v, "--") == 0)
				break;
			v = strchr(v, '=');
			if (!v)
				continue;
			v++;
		}
		if (strstr(v, "--"))
			g->v[g->n++] = v;
	}
}

/* The length of the longest value of g that text p starts with, or 0. */
static size_t given_at(const struct given *g, const char *p)
{
	size_t longest = 0;
	for (size_t i = 0; i < g->n; i++) {
		size_t len = strlen(g->v[i]);
		if (len > longest && strncmp(p, g->v[i], len) == 0)
			longest = len;
	}
	return longest;
}

/* The length of the option name s starts with: letters of either case,
 * digits, '_', '-' and any byte of a UTF-8 sequence, as a request may name
 * one (found hunting: {"naéme": 1} was "unknown option \"na\"éme", and
 * {"Name": 1} kept its "--Name"). */
static size_t option_name_len(const char *s)
{
	size_t n = 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '-' ||
	       (unsigned char)s[n] >= 0x80)
		n++;
	return n;
}

/* Text in the API's terms, appended to out: the parser and the services name
 * an option as the CLI spells it ("unknown option --as_of", "needs --reason
 * TEXT", "--limit 0 shows all"), which a request gives as a query parameter
 * (?as_of, ?limit=0: a GET's only way) or a JSON field ("reason": TEXT).
 * Every error and warning of every route passes here, so no message needs
 * words for each face.  What is quoted ('plumb x --help', a value such as
 * '--extra'), a value the request gave (given) and a usage line ("usage:
 * plumb ...") keep their words. */
static void option_words(struct sb *out, const char *text, bool get, const struct given *given)
{
	bool quoted = false;
	for (const char *p = text; *p; p++) {
		size_t kept = given_at(given, p);
		if (kept) {
			sb_add(out, p, kept);
			p += kept - 1;
			continue;
		}
		bool after_word = p > text && isalnum((unsigned char)p[-1]);
		if (*p == '\'' && (quoted ? !isalnum((unsigned char)p[1]) : !after_word))
			quoted = !quoted;
		if (!quoted && strncmp(p, "usage: plumb ", 13) == 0) {
			sb_puts(out, p);
			return;
		}
		size_t n = 0;
		if (!quoted && !after_word && (p == text || (p[-1] != '-' && p[-1] != '_')) &&
		    p[0] == '-' && p[1] == '-' && isalpha((unsigned char)p[2]))
			n = option_name_len(p + 2);
		if (!n) {
			sb_putc(out, *p);
			continue;
		}
		const char *after = p + 2 + n;
		size_t v = *after == ' ' ? option_value_len(after + 1) : 0;
		if (get)
			sb_printf(out, "?%.*s%s%.*s", (int)n, p + 2, v ? "=" : "", (int)v,
			          after + 1);
		else
			sb_printf(out, "\"%.*s\"%s%.*s", (int)n, p + 2, v ? ": " : "", (int)v,
			          after + 1);
		p = after + (v ? v + 1 : 0) - 1;
	}
}

/* A field of an error in the API's terms (option_words), cut to its size. */
static void option_words_field(char *field, size_t size, bool get, const struct given *given)
{
	struct sb b = SB_INIT;
	option_words(&b, field, get, given);
	snprintf(field, size, "%s", b.buf ? b.buf : "");
	sb_release(&b);
}

static enum MHD_Result keep_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
	(void)kind;
	struct sb *q = cls;
	if (strcmp(key, "per_page") == 0 || strcmp(key, "cursor") == 0)
		return MHD_YES;
	sb_putc(q, '&');
	sb_url_encode(q, key);
	if (value && *value) {
		sb_putc(q, '=');
		sb_url_encode(q, value);
	}
	return MHD_YES;
}

#define MARK_BYTES 16

/* A cursor is the offset of the next page and, from a Link, a mark: the hash
 * of the entry that ended the page before ("100.HEX").  An entry added or
 * removed before it between two pages moves the offset, not the entry, so
 * the next page starts after that entry wherever it is now (found in
 * review: an offset alone repeated or skipped an entry). */
struct paging {
	bool asked; /* per_page or cursor given */
	bool marked;
	long long per_page, offset;
	unsigned char mark[MARK_BYTES];
};

static void entry_mark(const cJSON *item, unsigned char mark[MARK_BYTES])
{
	char *text = cJSON_PrintUnformatted(item);
	crypto_generichash(mark, MARK_BYTES, (const unsigned char *)(text ? text : ""),
	                   text ? strlen(text) : 0, NULL, 0);
	free(text);
}

/* Whether doc's entry i (may be out of range) carries mark. */
static bool entry_marked(const cJSON *doc, long long i, const unsigned char mark[MARK_BYTES])
{
	if (i < 0 || i >= cJSON_GetArraySize(doc))
		return false;
	unsigned char own[MARK_BYTES];
	entry_mark(cJSON_GetArrayItem(doc, (int)i), own);
	return sodium_memcmp(own, mark, MARK_BYTES) == 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* How often ?per_page and ?cursor are given, and how often without a value. */
struct paging_count {
	int per_page, cursor, bare_per_page, bare_cursor;
};

static enum MHD_Result count_paging_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                        const char *value)
{
	(void)kind;
	struct paging_count *c = cls;
	bool bare = !value || !*value;
	if (strcmp(key, "per_page") == 0)
		c->per_page++, c->bare_per_page += bare;
	else if (strcmp(key, "cursor") == 0)
		c->cursor++, c->bare_cursor += bare;
	return MHD_YES;
}

/* Whether the query names per_page or cursor, with a value or without. */
static bool paging_given(struct request *req)
{
	struct paging_count c = {0};
	mhd.MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, count_paging_arg, &c);
	return c.per_page || c.cursor;
}

/* ?per_page and ?cursor, read before the command runs: an audited read
 * refused for them afterwards had left its entry (found in fuzzing).  Each
 * at most once and with a value, as an option: a bare ?per_page was left
 * out and a second one dropped (found hunting). */
static int paging_parse(struct request *req, struct paging *pg, struct error *err)
{
	struct paging_count c = {0};
	mhd.MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, count_paging_arg, &c);
	const char *twice = c.per_page > 1 ? "per_page" : c.cursor > 1 ? "cursor" : NULL;
	const char *bare = c.bare_per_page ? "per_page" : c.bare_cursor ? "cursor" : NULL;
	if (twice) {
		err_set(err, ERR_USAGE, "%s given more than once", twice);
		return ERR_USAGE;
	}
	if (bare) {
		err_set(err, ERR_USAGE, "%s needs a value", bare);
		err_hint(err, "give it as ?%s=N", bare);
		return ERR_USAGE;
	}
	const char *pp = request_query(req, "per_page"), *cur = request_query(req, "cursor");
	pg->asked = pp || cur;
	char *end;
	pg->per_page = pp ? strtoll(pp, &end, 10) : PER_PAGE;
	/* Digits, as the CLI's numbers: strtoll took " 5" and "+5" (found
	 * hunting). */
	if (pp && (!is_digit(*pp) || *end || pg->per_page < 1 || pg->per_page > PER_PAGE_MAX)) {
		err_set(err, ERR_USAGE, "invalid per_page '%s'", pp);
		err_detail(err, "expected a number from 1 to %d", PER_PAGE_MAX);
		return ERR_USAGE;
	}
	pg->offset = cur ? strtoll(cur, &end, 10) : 0;
	if (cur && end != cur && *end == '.') {
		size_t got = 0;
		pg->marked = strlen(end + 1) == 2 * MARK_BYTES &&
		             sodium_hex2bin(pg->mark, sizeof pg->mark, end + 1, 2 * MARK_BYTES,
		                            NULL, &got, NULL) == 0 &&
		             got == MARK_BYTES;
		if (pg->marked)
			end += 1 + 2 * MARK_BYTES;
	}
	if (cur && (!is_digit(*cur) || *end || pg->offset < 0 || pg->offset > INT32_MAX)) {
		err_set(err, ERR_USAGE, "invalid cursor '%s'", cur);
		err_hint(err, "use the cursor from the Link header of the previous page");
		return ERR_USAGE;
	}
	return 0;
}

/* Cut a JSON array answer to one page; Link names the next. */
static int paginate(struct request *req, const struct paging *pg, struct reply *out,
                    struct error *err)
{
	if (!pg->asked)
		return 0;
	long long per_page = pg->per_page, offset = pg->offset;
	cJSON *doc = cJSON_ParseWithLength(out->body.buf, out->body.len);
	if (!cJSON_IsArray(doc)) {
		cJSON_Delete(doc);
		err_set(err, ERR_USAGE, "this route's answer is not a list");
		err_detail(err, "per_page and cursor page through lists only");
		return ERR_USAGE;
	}
	int total = cJSON_GetArraySize(doc);
	if (pg->marked && !entry_marked(doc, offset - 1, pg->mark)) {
		/* The entry moved: the nearest one with its mark.  Gone (or
		 * changed), the offset stands. */
		long long best = -1, i = 0;
		unsigned char own[MARK_BYTES];
		const cJSON *item;
		cJSON_ArrayForEach(item, doc)
		{
			entry_mark(item, own);
			if (sodium_memcmp(own, pg->mark, MARK_BYTES) == 0 &&
			    (best < 0 || llabs(i - (offset - 1)) < llabs(best - (offset - 1))))
				best = i;
			i++;
		}
		if (best >= 0)
			offset = best + 1;
	}
	cJSON *page = cJSON_CreateArray();
	for (long long i = offset; i < total && i < offset + per_page; i++)
		cJSON_AddItemToArray(page, cJSON_Duplicate(cJSON_GetArrayItem(doc, (int)i), 1));
	char *text = cJSON_PrintUnformatted(page);
	sb_reset(&out->body);
	sb_puts(&out->body, text);
	sb_putc(&out->body, '\n');
	free(text);
	cJSON_Delete(page);
	reply_header(out, "X-Total-Count", "%d", total);
	if (offset + per_page < total) {
		struct sb q = SB_INIT, path = SB_INIT;
		mhd.MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, keep_query, &q);
		/* The path as sent (a segment's own '/' stays encoded), but for what
		 * a URI may not hold raw: a '>' sent raw ended the Link's URI early
		 * (found hunting). */
		sb_url_encode_path(&path, req->path);
		unsigned char mark[MARK_BYTES];
		char hex[2 * MARK_BYTES + 1];
		entry_mark(cJSON_GetArrayItem(doc, (int)(offset + per_page - 1)), mark);
		sodium_bin2hex(hex, sizeof hex, mark, MARK_BYTES);
		reply_header(out, "Link", "<%s?per_page=%lld&cursor=%lld.%s%s>; rel=\"next\"",
		             path.buf ? path.buf : "", per_page, offset + per_page, hex,
		             q.len ? q.buf : "");
		sb_release(&q);
		sb_release(&path);
	}
	cJSON_Delete(doc);
	return 0;
}

struct etag_match {
	const char *etag;
	bool hit;
};

static const char *skip_ows(const char *p)
{
	return p + strspn(p, " \t");
}

/* The opaque-tag at p, its quotes included ("W/" before it is the caller's),
 * or NULL when p holds none (RFC 9110 section 8.8.3: etagc is a visible
 * character other than a DQUOTE, or obs-text); *len its length. */
static const char *opaque_tag(const char *p, size_t *len)
{
	if (*p != '"')
		return NULL;
	const unsigned char *c = (const unsigned char *)p + 1;
	while (*c == 0x21 || (*c >= 0x23 && *c != 0x7f))
		c++;
	if (*c != '"')
		return NULL;
	*len = (size_t)((const char *)c + 1 - p);
	return p;
}

/* Whether one If-None-Match field line matches etag by the weak comparison
 * (RFC 9110 section 13.1.2): "*", or a list of entity-tags, each maybe "W/",
 * one of whose opaque-tags is etag's.  A line that is not such a list
 * matches nothing, as a header that cannot be read is ignored. */
static bool if_none_match_line(const char *line, const char *etag)
{
	const char *p = skip_ows(line);
	if (*p == '*')
		return *skip_ows(p + 1) == '\0';
	size_t want_len = 0, len = 0;
	const char *want = opaque_tag(strncmp(etag, "W/", 2) == 0 ? etag + 2 : etag, &want_len);
	bool hit = false;
	for (;;) {
		while (*p == ',' || *p == ' ' || *p == '\t') /* empty elements are allowed */
			p++;
		if (!*p)
			return hit;
		const char *tag = opaque_tag(strncmp(p, "W/", 2) == 0 ? p + 2 : p, &len);
		if (!tag)
			return false;
		hit = hit || (want && len == want_len && memcmp(tag, want, len) == 0);
		p = skip_ows(tag + len);
		if (*p && *p != ',')
			return false;
	}
}

static enum MHD_Result match_if_none_match(void *cls, enum MHD_ValueKind kind, const char *key,
                                           const char *value)
{
	(void)kind;
	struct etag_match *m = cls;
	if (value && strcasecmp(key, "If-None-Match") == 0)
		m->hit = m->hit || if_none_match_line(value, m->etag);
	return MHD_YES;
}

/* Whether any If-None-Match header names etag; "*" matches any current
 * representation (RFC 9110 13.1.2).  Every header line, not the first: a
 * list field sent as two lines is one list (RFC 9110 section 5.3; found
 * hunting: the etag on a second line was a 200).  Tags are compared whole
 * (found hunting: a tag holding etag's, "x\"etag\"y", or a bare part of
 * it, matched). */
static bool etag_matches(const struct request *req, const char *etag)
{
	struct etag_match m = {etag, false};
	if (etag)
		mhd.MHD_get_connection_values(req->conn, MHD_HEADER_KIND, match_if_none_match, &m);
	return m.hit;
}

static void set_etag(struct request *req, struct reply *out)
{
	/* A page is its body and its paging: a write past the page changes
	 * X-Total-Count and Link alone, and must not be 304 (found in review:
	 * the client kept a last page that no longer was).  Its warnings too:
	 * a cache updates from a 304 only the headers it carries, so warnings
	 * gone since would stay with the answer kept (found hunting). */
	unsigned char h[crypto_generichash_BYTES_MIN];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)out->body.buf, out->body.len);
	for (int i = 0; i < out->nheaders; i++) {
		if (strcmp(out->headers[i].name, "X-Total-Count") != 0 &&
		    strcmp(out->headers[i].name, "Link") != 0 &&
		    strcmp(out->headers[i].name, "Plumb-Warnings") != 0)
			continue;
		const char *v = out->headers[i].value;
		crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
		crypto_generichash_update(&st, (const unsigned char *)out->headers[i].name,
		                          strlen(out->headers[i].name));
		crypto_generichash_update(&st, (const unsigned char *)": ", 2);
		crypto_generichash_update(&st, (const unsigned char *)v, strlen(v));
	}
	crypto_generichash_final(&st, h, sizeof h);
	char hex[sizeof h * 2 + 1];
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	char etag[sizeof hex + 3];
	snprintf(etag, sizeof etag, "\"%s\"", hex);
	if (etag_matches(req, etag)) {
		out->status = 304;
		sb_reset(&out->body);
		out->type = NULL;
	}
	reply_header(out, "ETag", "%s", etag);
}

static enum MHD_Result cache_key_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
	(void)kind;
	sb_url_encode(cls, key);
	sb_putc(cls, '=');
	sb_url_encode(cls, value ? value : "");
	sb_putc(cls, '&');
	return MHD_YES;
}

static const char *perm_text(enum perm p)
{
	return p == PERM_ADMIN ? "admin" : p == PERM_PEOPLE_SCOPED ? "people-scoped" : "any";
}

/* GET /api/v1: every route, its operation, permission and whether it writes. */
static void route_index(const struct api_routes *routes, struct reply *out)
{
	struct jw w;
	jw_init(&w, &out->body, false);
	jw_array_begin(&w);
	for (size_t i = 0; i < routes->n; i++) {
		const struct api_route *r = &routes->rows[i];
		jw_object_begin(&w);
		jw_kstr(&w, "method", r->method);
		jw_kstr(&w, "path", r->path);
		jw_kstr(&w, "operation", r->op->name);
		jw_kstr(&w, "command", r->cmd->name);
		jw_kstr(&w, "permission", perm_text(r->op->perm));
		jw_kbool(&w, "writes", r->op->audit == OPA_WRITE || r->op->audit == OPA_STAGE);
		jw_kstr(&w, "help", r->op->help);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	sb_putc(&out->body, '\n');
	out->status = 200;
}

/* /api/v1 itself, the index of routes (not /api/v2 or /api/foo: found in
 * review). */
static bool is_index(char *const *segs, int n)
{
	return n == 2 && strcmp(segs[0], "api") == 0 && strcmp(segs[1], "v1") == 0;
}

bool api_route_known(const struct server *s, struct arena *a, const char *path)
{
	char *segs[MAX_SEGS + 1];
	int n = path_segments(a, path, segs);
	if (is_index(segs, n))
		return true;
	for (size_t i = 0; n > 0 && i < s->routes->n; i++)
		if (route_matches(&s->routes->rows[i], segs, n))
			return true;
	return false;
}

void api_handle(struct server *s, struct ctx *ctx, struct request *req, struct reply *out)
{
	struct error err = {0};
	out->type = "application/json";
	char *segs[MAX_SEGS + 1];
	int n = path_segments(ctx->arena, req->path, segs);
	if (n < 0) {
		req->route = "/api/{unknown}";
		err_set(&err, ERR_USAGE,
		        "a segment of the path holds a NUL character (%%00) or bytes that are not "
		        "UTF-8");
		reply_error(out, &err);
		return;
	}
	const struct api_route *route = NULL;
	/* HEAD is GET without the body (libmicrohttpd leaves it out). */
	const char *method = strcmp(req->method, "HEAD") == 0 ? "GET" : req->method;
	struct sb allow = SB_INIT;
	for (size_t i = 0; i < s->routes->n && !route; i++) {
		const struct api_route *row = &s->routes->rows[i];
		if (!route_matches(row, segs, n))
			continue;
		if (strcmp(row->method, method) == 0)
			route = row;
		else
			sb_printf(&allow, "%s%s%s", allow.len ? ", " : "", row->method,
			          strcmp(row->method, "GET") == 0 ? ", HEAD" : "");
	}
	if (!route && is_index(segs, n)) {
		if (strcmp(method, "GET") == 0) {
			req->route = "/api/v1";
			route_index(s->routes, out);
			/* Every GET answer carries one (found in review: not this). */
			set_etag(req, out);
			sb_release(&allow);
			return;
		}
		/* The index is read alone (found in review: another method was 404). */
		sb_reset(&allow);
		sb_puts(&allow, "GET, HEAD");
	}
	char *allowed = arena_strdup(ctx->arena, allow.len ? allow.buf : "");
	sb_release(&allow);
	if (!route) {
		req->route = "/api/{unknown}";
		if (allowed[0]) {
			err_set(&err, ERR_USAGE, "method %s is not allowed here", req->method);
			err_detail(&err, "this route takes %s", allowed);
			reply_error(out, &err);
			out->status = 405;
			reply_header(out, "Allow", "%s", allowed);
		} else {
			err_set(&err, ERR_NOT_FOUND, "no API route %s %s", req->method, req->path);
			err_hint(&err, "docs/api.md lists every route");
			reply_error(out, &err);
		}
		return;
	}
	req->route = route->path;
	const struct op_def *op = route->op;
	/* Refused once the route says which operation it would have run, and
	 * audited as any refusal is (found in review: it left no entry). */
	if (req->csrf_wrong) {
		err_set(&err, ERR_DENIED, "missing or wrong X-CSRF-Token");
		err_hint(&err, "a session's API writes carry the page's CSRF token in the "
		               "X-CSRF-Token header");
		ctx_record_denied(ctx, op->id, &err);
		reply_error(out, &err);
		return;
	}
	/* The operation's permission first: someone who may not run it learns
	 * nothing from how their arguments would have been judged. */
	if (ctx_op_check(ctx, op->id, &err) < 0) {
		reply_error(out, &err);
		return;
	}
	/* A plain read's answer may come from memory (server_cache.c). */
	bool cacheable = op->audit == OPA_READ && strcmp(method, "GET") == 0;
	if (strcmp(method, "GET") == 0 && req->body.len) {
		/* A read takes its arguments from the URL only (and is cached by it). */
		err_set(&err, ERR_USAGE, "a GET request takes no body");
		err_hint(&err, "give the options as query arguments: ?team=search");
		reply_error(out, &err);
		return;
	}
	/* Before the kept answers are looked up: they are found by the
	 * arguments as C strings, cut at a NUL, so ?team=x%00y was answered
	 * from ?team=x's (found hunting). */
	if (request_query_check(req, &err) < 0) {
		reply_error(out, &err);
		return;
	}
	char *key = NULL;
	/* The system clock's, as in handle_page: a pinned PLUMB_NOW never
	 * moves, and an answer would then be kept until the next write. */
	int64_t head = req->head, now = ts_clock_ms();
	if (cacheable) {
		struct sb k = SB_INIT;
		sb_printf(&k, "%s %s?", ctx->actor.name, req->path);
		mhd.MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, cache_key_arg, &k);
		key = arena_strdup(ctx->arena, k.buf);
		sb_release(&k);
		struct cached *hit = cache_get(s->cache, key, head, now);
		if (hit) {
			const char *etag = cached_header(hit, "ETag");
			/* Its headers as an answer made afresh has them (found
			 * hunting: a cached 304 carried its ETag alone). */
			if (etag_matches(req, etag))
				reply_not_modified_from_cache(out, hit);
			else
				reply_from_cache(out, hit);
			return;
		}
	}
	const struct cli_command *cmd = route->cmd;
	struct args x = {.a = ctx->arena};
	struct args pos = {.a = ctx->arena};
	for (int i = 0; i < n; i++) {
		const char *seg = route->segs[i];
		if (seg[0] != '{')
			continue;
		size_t len = strlen(seg) - 2;
		if (command_option(cmd, seg + 1, len))
			add_opt(&x, arena_strndup(ctx->arena, seg + 1, len), segs[i]);
		else
			add_arg(&pos, segs[i]);
	}
	char *upload = NULL;
	struct paging pg = {0};
	int rc = 0;
	mhd.MHD_get_connection_values_n(req->conn, MHD_GET_ARGUMENT_KIND, add_query_arg, &x);
	if (rc == 0 && strcmp(method, "GET") == 0) {
		rc = paging_parse(req, &pg, &err);
	} else if (rc == 0 && paging_given(req)) {
		/* A write's answer is no list: they were dropped (found hunting). */
		rc = err_set(&err, ERR_USAGE, "per_page and cursor page through GET lists only");
	}
	bool takes_file = cmd->synopsis && (strncmp(cmd->synopsis, "FILE", 4) == 0 ||
	                                    strncmp(cmd->synopsis, "PATH", 4) == 0);
	/* Said in the route's terms: the command would ask for its FILE
	 * argument and point at its --help (found in review). */
	if (rc == 0 && !req->body.len && takes_file && pos.n < cmd->min_pos) {
		err_set(&err, ERR_USAGE,
		        "this route needs a request body: the document 'plumb %s' "
		        "reads from %s",
		        cmd->name, cmd->synopsis);
		err_hint(&err, "send the file's bytes, with a Content-Type of application/yaml, "
		               "text/csv or application/json (docs/api.md)");
		rc = ERR_USAGE;
	}
	if (rc == 0 && req->body.len) {
		if (takes_file && pos.n < cmd->max_pos) {
			rc = body_to_file(req, ctx->arena, &upload, &err);
			if (rc == 0)
				add_arg(&pos, upload);
		} else {
			rc = json_body_args(cmd, req, &x, &pos, &err);
		}
	}
	if (rc == 0 && x.bad_name) {
		rc = err_set(&err, ERR_USAGE, "'%s' is not an option's name", x.bad_name);
		err_hint(&err,
		         "give the value as the option's: ?name=value or {\"name\": \"value\"}");
	}
	if (rc == 0 && (x.overflow || pos.n + x.n + 1 > MAX_ARGS))
		rc = err_set(&err, ERR_USAGE, "too many arguments");
	for (int i = 0; rc == 0 && i < x.n; i++)
		rc = check_api_option(cmd, x.v[i], &err);
	/* "--" ends the options: a positional from a path may start with dashes. */
	if (rc == 0) {
		add_arg(&x, "--");
		for (int i = 0; i < pos.n; i++)
			add_arg(&x, pos.v[i]);
	}

	struct cli_global global = {
	        .prog = "plumb", .json = (cmd->flags & CMD_JSON) != 0, .compact = true};
	struct cli_run *r = arena_alloc(ctx->arena, sizeof *r);
	r->cmd = cmd;
	r->global = &global;
	r->ctx = ctx;
	r->pos = arena_array(ctx->arena, (size_t)x.n + 1, sizeof *r->pos);
	char *text = NULL;
	size_t text_len = 0;
	r->out = open_memstream(&text, &text_len);
	if (!r->out)
		rc = rc ? rc : err_set(&err, ERR_IO, "out of memory");
	struct sb said = SB_INIT;
	cli_gather_warnings(&said);
	if (rc == 0)
		rc = cli_parse_args(r, x.n, x.v, &err);
	if (rc == 0)
		rc = cli_run_command(r, &err);
	cli_gather_warnings(NULL);
	if (r->out)
		fclose(r->out);
	if (upload) {
		unlink(upload);
		/* The command named the file it read: the client sent a body. */
		rename_field(err.message, sizeof err.message, upload);
		rename_field(err.detail, sizeof err.detail, upload);
		rename_field(err.hint, sizeof err.hint, upload);
		struct sb renamed = SB_INIT;
		add_renamed(&renamed, text ? text : "", text ? text_len : 0, upload);
		free(text);
		text_len = renamed.len;
		text = sb_detach(&renamed, NULL);
		renamed = (struct sb)SB_INIT;
		add_renamed(&renamed, said.buf ? said.buf : "", said.len, upload);
		sb_release(&said);
		said = renamed;
	}
	/* A report that found something is still the answer, as the CLI
	 * prints it before its error (found in fuzzing: reconcile's mismatches
	 * and a chain that did not verify were a 500 without the report). */
	if (rc < 0 && r->found_status && global.json && text_len) {
		rc = 0;
		err_clear(&err); /* err keeps its first error: paging's must not meet it */
	}
	bool get = strcmp(method, "GET") == 0;
	struct given given = {.n = 0};
	given_add(&given, &x, true);
	given_add(&given, &pos, false);
	if (rc < 0) {
		option_words_field(err.message, sizeof err.message, get, &given);
		option_words_field(err.detail, sizeof err.detail, get, &given);
		option_words_field(err.hint, sizeof err.hint, get, &given);
		reply_error(out, &err);
	} else if (global.json) {
		out->status = 200;
		sb_add(&out->body, text, text_len);
	} else {
		out->status = 200;
		struct jw w;
		jw_init(&w, &out->body, false);
		jw_object_begin(&w);
		jw_kbool(&w, "ok", true);
		jw_kstr(&w, "output", text ? text : "");
		jw_object_end(&w);
		sb_putc(&out->body, '\n');
	}
	/* The body is the command's own document: what the CLI says on stderr
	 * travels beside it (it landed on the server's stderr). */
	if (said.len) {
		struct sb h = SB_INIT, words = SB_INIT;
		option_words(&words, said.buf, get, &given);
		warnings_json(&h, &words);
		reply_header(out, "Plumb-Warnings", "%s", h.buf);
		sb_release(&h);
		sb_release(&words);
	}
	sb_release(&said);
	free(text);
	if (rc == 0 && strcmp(method, "GET") == 0) {
		if (paginate(req, &pg, out, &err) < 0) {
			reply_error(out, &err);
			return;
		}
		set_etag(req, out);
		if (cacheable && out->status == 200)
			cache_put(s->cache, key, head, now, out);
	}
}
