#include "ingest/parse.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "base/arena.h"
#include "base/sb.h"
#include "base/utf8.h"
#include "core/identities.h"
#include "ingest/pjson.h"

static const struct parse_format *const kinds[] = {
        parse_github_formats,    parse_jira_formats,   parse_jenkins_formats,
        parse_pagerduty_formats, parse_deploy_formats,
};

const struct parse_format *parse_format_find(const char *name)
{
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		for (const struct parse_format *f = kinds[k]; f->name; f++)
			if (name && strcmp(f->name, name) == 0)
				return f;
	return NULL;
}

void parse_format_each(void (*fn)(void *data, const struct parse_format *f), void *data)
{
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		for (const struct parse_format *f = kinds[k]; f->name; f++)
			fn(data, f);
}

static bool is_webhook(const struct parse_format *f)
{
	size_t n = strlen(f->name);
	return n > 8 && strcmp(f->name + n - 8, "-webhook") == 0;
}

void parse_formats_of(const char *source_kind, struct sb *out)
{
	size_t start = out->len;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		for (const struct parse_format *f = kinds[k]; f->name; f++)
			if (strcmp(f->source_kind, source_kind) == 0)
				sb_printf(out, "%s%s", out->len > start ? ", " : "", f->name);
}

/* The kind's formats as parse_formats_of lists them, in the arena.  (The
 * list once went through a builder capped at 128 bytes, which dropped
 * github-webhook, the seventh, from every message.) */
static const char *formats_of(struct arena *a, const char *kind)
{
	struct sb sb;
	sb_init(&sb, 0);
	parse_formats_of(kind, &sb);
	const char *s = arena_strdup(a, sb.buf);
	sb_release(&sb);
	return s;
}

int parse_kind_check(const char *source_kind, struct error *err)
{
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		for (const struct parse_format *f = kinds[k]; f->name; f++)
			if (strcmp(f->source_kind, source_kind) == 0)
				return 0;
	err_set(err, ERR_USAGE,
	        "a %s source is not read from files by 'plumb ingest': 'plumb sync' fetches its "
	        "data",
	        source_kind);
	err_hint(err, "samples of an SLO in a file go in with 'plumb slo ingest --slo NAME FILE'");
	return ERR_USAGE;
}

int parse_format_check(const char *source_kind, const char *name, struct error *err)
{
	if (parse_kind_check(source_kind, err) < 0)
		return err->code;
	const struct parse_format *f = parse_format_find(name);
	if (f && strcmp(f->source_kind, source_kind) == 0)
		return 0;
	struct sb sb;
	sb_init(&sb, 0);
	parse_formats_of(source_kind, &sb);
	err_set(err, ERR_USAGE, "unknown format '%.80s' for a %s source: expected one of %s", name,
	        source_kind, sb.buf);
	err_hint(err, "'plumb ingest --help' lists every format and its source kind");
	sb_release(&sb);
	return ERR_USAGE;
}

int parse_event_check(const char *source_kind, const char *format, struct error *err)
{
	if (parse_kind_check(source_kind, err) < 0)
		return err->code;
	const struct parse_format *hook = NULL;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] && !hook; k++)
		for (const struct parse_format *f = kinds[k]; f->name && !hook; f++)
			if (strcmp(f->source_kind, source_kind) == 0 && is_webhook(f))
				hook = f;
	const struct parse_format *given = format ? parse_format_find(format) : NULL;
	if (hook && (!given || is_webhook(given)))
		return 0;
	struct sb sb;
	sb_init(&sb, 0);
	if (!hook) {
		parse_formats_of(source_kind, &sb);
		err_set(err, ERR_USAGE,
		        "--event names a webhook's event, but a %s source reads no webhook bodies: "
		        "its formats are %s",
		        source_kind, sb.buf);
	} else {
		err_set(err, ERR_USAGE,
		        "--event names a webhook's event, but --format %.80s is not a webhook "
		        "format: expected --format %s or no --format",
		        format, hook->name);
	}
	err_hint(err, "'plumb ingest --help' lists every format and its source kind");
	sb_release(&sb);
	return ERR_USAGE;
}

/* Where a document's text starts: after a UTF-8 byte order mark (an
 * editor's or a spreadsheet's), which the JSON parser skips too. */
static size_t text_start(const char *data, size_t len)
{
	return len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* An empty document, for a kind that reads some format as bytes (deploy's
 * CSV): not only a JSON document was expected. */
static bool kind_reads_bytes(const char *kind)
{
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		for (const struct parse_format *f = kinds[k]; f->name; f++)
			if (strcmp(f->source_kind, kind) == 0 && !f->json)
				return true;
	return false;
}

static int read_document(struct pj *pj, const struct parse_input *in, parse_emit_fn emit,
                         void *data, struct parse_page *page, struct error *err)
{
	memset(page, 0, sizeof *page);
	if (parse_kind_check(in->source_kind, err) < 0)
		return err->code;
	const struct parse_format *f = NULL;
	if (in->format) {
		f = parse_format_find(in->format);
		if (!f || strcmp(f->source_kind, in->source_kind) != 0)
			return err_set(
			        err, ERR_INVALID,
			        "%s: unknown format '%s' for a %s source: expected one of %s",
			        in->origin, in->format, in->source_kind,
			        formats_of(in->arena, in->source_kind));
	}
	cJSON *doc = NULL;
	bool want_json = f ? f->json : true;
	size_t at = text_start(in->data, in->len);
	/* What the first byte after any blank lines starts (found in review:
	 * a CSV after a blank line was read as JSON). */
	while (at < in->len && in->data[at] && strchr(" \n\t\r", in->data[at]))
		at++;
	/* Blank lines, or a byte order mark alone, are as empty as no bytes
	 * (found in the parsers' hunt: "not valid JSON" for a deploy source). */
	if (!f && at == in->len && kind_reads_bytes(in->source_kind))
		return err_set(err, ERR_INVALID,
		               "%s: empty file: expected one of the %s formats %s", in->origin,
		               in->source_kind, formats_of(in->arena, in->source_kind));
	if (want_json) {
		/* Not JSON: only a byte format can take it.  A kind with none
		 * has the JSON parser say where the text goes wrong. */
		if (!f && at < in->len && in->data[at] != '{' && in->data[at] != '[' &&
		    kind_reads_bytes(in->source_kind))
			want_json = false;
		else if (pj_parse(pj, in->data, in->len, &doc) < 0)
			return err->code;
	}
	if (!f) {
		/* A webhook's event name says the document is a webhook body. */
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] && !f; k++)
			for (const struct parse_format *c = kinds[k]; c->name && !f; c++)
				if (strcmp(c->source_kind, in->source_kind) == 0 &&
				    c->json == (doc != NULL) &&
				    (!in->event_name || is_webhook(c)) && c->detect(doc, in))
					f = c;
		/* An empty page (the last of an export, often) holds nothing in
		 * any format. */
		if (!f && cJSON_IsArray(doc) && cJSON_GetArraySize(doc) == 0 && !in->event_name) {
			page->format = NULL;
			return 0;
		}
		if (!f) {
			if (in->event_name)
				return err_set(err, ERR_INVALID,
				               "%s: not a %s webhook body (--event %s)", in->origin,
				               in->source_kind, in->event_name);
			return err_set(
			        err, ERR_INVALID,
			        "%s: cannot tell which %s format this is: give --format, one "
			        "of %s",
			        in->origin, in->source_kind,
			        formats_of(in->arena, in->source_kind));
		}
	}
	if (in->event_name && !is_webhook(f))
		return err_set(err, ERR_INVALID,
		               "%s: --event names a webhook's event, but this is a %s document",
		               in->origin, f->name);
	/* PagerDuty's body says its event itself: one given must be it (it is
	 * recorded with the raw payload). */
	const cJSON *type = pj_at(doc, "event.event_type");
	if (in->event_name && strcmp(f->source_kind, "pagerduty") == 0 && cJSON_IsString(type) &&
	    strcmp(type->valuestring, in->event_name) != 0)
		return err_set(err, ERR_INVALID,
		               "%s: the event given is '%.80s' (--event), but the body's "
		               "event.event_type is '%.80s'",
		               in->origin, in->event_name, type->valuestring);
	page->format = f->name;
	if (is_webhook(f))
		page->event_name = in->event_name ? in->event_name
		                   : cJSON_IsString(type)
		                           ? arena_strdup(in->arena, type->valuestring)
		                           : NULL;
	int rc = f->parse(pj, doc, in, emit, data, page);
	if (rc < 0 && !err->code)
		err_set(err, rc, "%s: could not be read as %s", in->origin, f->name);
	return rc < 0 ? err->code : 0;
}

void parse_delivery_look(const char *source_kind, const char *event_name, const char *data,
                         size_t len, struct arena *arena, struct parse_delivery *out)
{
	memset(out, 0, sizeof *out);
	const struct parse_format *hook = NULL, *json = NULL, *bytes = NULL;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		for (const struct parse_format *f = kinds[k]; f->name; f++) {
			if (strcmp(f->source_kind, source_kind) != 0)
				continue;
			if (f->look && !hook)
				hook = f;
			else if (f->json && !json)
				json = f;
			else if (!f->json && !bytes)
				bytes = f;
		}
	if (!hook) {
		size_t i = text_start(data, len);
		while (i < len && strchr(" \t\r\n", data[i]))
			i++;
		bool starts_json = i < len && (data[i] == '{' || data[i] == '[');
		const struct parse_format *f = (starts_json || !bytes) ? json : bytes;
		out->format = f ? f->name : NULL;
		return;
	}
	out->format = hook->name;
	struct error ignored = {0};
	struct pj pj = {.origin = "", .arena = arena, .tree = arena_create(), .err = &ignored};
	cJSON *doc = NULL;
	if (pj_parse(&pj, data, len, &doc) < 0)
		doc = NULL;
	struct parse_input in = {.source_kind = source_kind,
	                         .format = hook->name,
	                         .event_name = event_name,
	                         .origin = "",
	                         .data = data,
	                         .len = len,
	                         .arena = arena};
	hook->look(doc, &in, out);
	arena_destroy(pj.tree);
}

int parse_document(const struct parse_input *in, parse_emit_fn emit, void *data,
                   struct parse_page *page, struct error *err)
{
	/* Rows are emitted as copies, so the tree goes when the page is read. */
	struct pj pj = {
	        .origin = in->origin, .arena = in->arena, .tree = arena_create(), .err = err};
	int rc = read_document(&pj, in, emit, data, page, err);
	arena_destroy(pj.tree);
	return rc;
}

/* The text an event keeps as written is one line, whatever parser made it:
 * a line break in a ref or url split a record over two lines of `events
 * list --csv` (found in review).  A parser that checks a field names it
 * better first; this catches what none did.  A rejected value is echoed
 * only when it is one line. */
static int text_fields_check(struct pj *pj, const char *path, const struct event *ev)
{
	const char *kind = event_kind_name(ev->kind);
	const struct {
		const char *what, *text;
	} kept[] = {
	        {"id", ev->external_id},
	        {"parent", ev->parent_id},
	        {"owner", ev->owner_key},
	        {"number", ev->number},
	        {"environment", ev->environment},
	        {"ref", ev->ref},
	        {"url", ev->url},
	        {"sha", ev->sha},
	        {"account", ev->account},
	        {"account email", ev->account_email},
	        {"account name", ev->account_name},
	};
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
		if (kept[i].text && !pj_one_line(kept[i].text))
			return pj_fail(pj, path, NULL, "the %s's %s: " PJ_ONE_LINE, kind,
			               kept[i].what);
	/* As a deploy event's: " production" would count apart from production. */
	const char *env = ev->environment;
	if (env && utf8_blank_at_an_end(env))
		return pj_fail(pj, path, NULL,
		               "the %s's environment: '%.80s': expected no spaces around it", kind,
		               env);
	const char *sha = ev->sha ? pj_sha_lower(pj->arena, ev->sha) : NULL;
	if (ev->sha && (!sha || strcmp(sha, ev->sha) != 0))
		return pj_fail(pj, path, NULL, "the %s's sha: '%.80s': " PJ_SHA_WANTED, kind,
		               ev->sha);
	/* Stored, an account 'identity link' refuses could never be attributed. */
	if (ev->account &&
	    (!ev->account_system || !identity_account_valid(ev->account_system, ev->account)))
		return pj_fail(pj, path, NULL,
		               "the %s's account: '%.80s': expected a %s account (what 'plumb "
		               "identity link' takes)",
		               kind, ev->account,
		               ev->account_system ? ev->account_system : "named");
	if (ev->account_email && !identity_account_valid("email", ev->account_email))
		return pj_fail(pj, path, NULL,
		               "the %s's account email: '%.80s': expected an email address (what "
		               "'plumb identity link email' takes)",
		               kind, ev->account_email);
	return 0;
}

int parse_emit_checked(struct pj *pj, const char *path, const struct event *ev, parse_emit_fn emit,
                       void *data, struct parse_page *page)
{
	if (!ev->external_id || !*ev->external_id) {
		const char *kind = event_kind_name(ev->kind);
		/* Every kind's name sounds as it is spelled: a vowel takes "an". */
		return pj_fail(pj, path, NULL, "%s %s without an id",
		               strchr("aeiou", kind[0]) ? "an" : "a", kind);
	}
	/* Ids a parser made of parts (OWNER/NAME#12, a job and its build, a
	 * deployment's service, environment and start), and what names the
	 * record's owner or parent, are indexed as the ids read are (PJ_ID_MAX). */
	const struct {
		const char *what, *text;
	} keys[] = {{"id", ev->external_id}, {"parent", ev->parent_id}, {"owner", ev->owner_key}};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (keys[i].text && strlen(keys[i].text) > PJ_ID_MAX)
			return pj_fail(pj, path, NULL,
			               "the %s's %s is %zu bytes: expected at most %d ('%.40s...')",
			               event_kind_name(ev->kind), keys[i].what,
			               strlen(keys[i].text), PJ_ID_MAX, keys[i].text);
	if (!event_status_valid(ev->kind, ev->status))
		return pj_fail(pj, path, NULL, "status '%s' is not one of plumb's for a %s",
		               ev->status, event_kind_name(ev->kind));
	if (text_fields_check(pj, path, ev) < 0)
		return pj->err->code;
	int rc = emit(data, ev, pj->err);
	if (rc == 0)
		page->records++;
	return rc;
}
