/*
 * parse: the registry of document formats plumb reads, one parser per
 * format, shared by `plumb ingest` (files), `plumb sync` (API pages) and
 * webhooks.  A format names its source kind; parse_document detects the
 * format when none is given, parses one document (one API page or one
 * webhook body) and emits each normalized event through a callback.
 *
 * A parser validates as it goes and stops at the first bad field with an
 * error naming origin, JSON path and what was expected; the caller
 * discards what was emitted from that document (ingestion is all or
 * nothing).  Events borrow the document: copy what outlives emit.
 */
#ifndef PLUMB_PARSE_H
#define PLUMB_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* The format a raw payload is stored with when it holds nothing in any
 * format (an empty array, detected so): read again it is detected again,
 * as is "?", which databases written before the read-ahead parser stored. */
#define PARSE_FORMAT_EMPTY "empty"

#include "ingest/event.h"

struct arena;
struct pj;
struct sb;
typedef struct cJSON cJSON;

/* Called for each event; a non-zero return stops the parse with it. */
typedef int (*parse_emit_fn)(void *data, const struct event *ev, struct error *err);

struct parse_input {
	const char *source_kind; /* the source's kind: github, jira, ... */
	const char *format;      /* a format name, or NULL to detect */
	const char *event_name;  /* a webhook's event (X-GitHub-Event), or NULL */
	const char *origin;      /* file path or URL, for messages */
	const char *data;
	size_t len;
	/* The source's own setting where a document may not say it: the
	 * Jenkins job of a jenkins source; NULL otherwise. */
	const char *default_owner_key;
	struct arena *arena; /* scratch for this document */
};

/* What a page says about the collection it is part of, for pagination
 * and reconciliation. */
struct parse_page {
	const char *format;     /* the format used (detected or given); NULL for an
	                         * empty array, which holds nothing in any format */
	int64_t records;        /* events emitted */
	int64_t declared_total; /* the API's own total (Jira total, PagerDuty total) */
	bool has_total;
	bool is_last; /* the page says it is the last (Jira isLast, PagerDuty more=false) */
	bool has_is_last;
	const char *next_token; /* Jira nextPageToken, in arena */
	const char *event_name; /* a webhook body's event, given or told from the body;
	                         * NULL for an API page */
};

/* What a webhook delivery is, told before its body is read (see
 * parse_delivery_look); strings in the arena given. */
struct parse_delivery {
	const char *format;     /* the format its body is read in */
	const char *unread;     /* why plumb reads nothing of it (a ping, an event it
	                         * does not read), or NULL */
	const char *repository; /* the GitHub repository (OWNER/NAME) it is about, or NULL */
	const char *service;    /* the PagerDuty service (its id) it is about, or NULL */
};

struct parse_format {
	const char *name;        /* "github-pulls" */
	const char *source_kind; /* "github" */
	const char *help;        /* one line for docs and errors */
	bool json;               /* false: the parser reads the bytes (CSV) */
	/* Whether a document looks like this format, for detection (json
	 * formats get the tree, others NULL and the bytes). */
	bool (*detect)(const cJSON *doc, const struct parse_input *in);
	int (*parse)(struct pj *pj, const cJSON *doc, const struct parse_input *in,
	             parse_emit_fn emit, void *data, struct parse_page *page);
	/* A kind's webhook format: fills out->unread and what it is about
	 * (out->repository, out->service) from a delivery's body (doc NULL when it is not JSON) and
	 * its event name.  NULL for other formats. */
	void (*look)(const cJSON *doc, const struct parse_input *in, struct parse_delivery *out);
};

/* Each kind's parsers, terminated by a row with name NULL. */
extern const struct parse_format parse_github_formats[];
extern const struct parse_format parse_jira_formats[];
extern const struct parse_format parse_jenkins_formats[];
extern const struct parse_format parse_pagerduty_formats[];
extern const struct parse_format parse_deploy_formats[];

/* The format called name, or NULL. */
const struct parse_format *parse_format_find(const char *name);
/* Calls fn for every format, in the order of the docs. */
void parse_format_each(void (*fn)(void *data, const struct parse_format *f), void *data);
/* Appends the names of source_kind's formats to out, ", " between them, in
 * the order of the docs.  Thread-safe. */
void parse_formats_of(const char *source_kind, struct sb *out);
/* 0 when source_kind has formats; else ERR_USAGE saying that its source is
 * not read from files (a prometheus source: sync fetches its samples).
 * parse_format_check, parse_event_check and parse_document check it first,
 * so none lists an empty set of formats.  Thread-safe. */
int parse_kind_check(const char *source_kind, struct error *err);
/* 0 when name is a format of source_kind; else ERR_USAGE saying so and
 * listing the kind's formats: for a format given on a command line
 * (--format), checked before any document is read.  Thread-safe. */
int parse_format_check(const char *source_kind, const char *name, struct error *err);
/* 0 when a webhook's event name (ingest --event) can go with source_kind
 * and format (NULL: detected): the kind has a webhook format, and format is
 * it or NULL; else ERR_USAGE saying why, before any document is read (read
 * one by one, each would be refused as not a webhook body).  format must
 * have passed parse_format_check.  Thread-safe. */
int parse_event_check(const char *source_kind, const char *format, struct error *err);

/* Parse one document.  ERR_INVALID when the format is unknown, belongs to
 * another kind, cannot be detected (the message lists the kind's formats)
 * or the document is bad. */
int parse_document(const struct parse_input *in, parse_emit_fn emit, void *data,
                   struct parse_page *page, struct error *err);

/* Look at a webhook delivery of source_kind (event_name: its
 * X-GitHub-Event, or NULL) before it is read: the format to read it in
 * (the kind's webhook format; for a kind without one, deploy, its JSON
 * format when the body starts as JSON, else its other format), and for a
 * webhook format whether plumb reads it at all and what it is about.
 * Never fails: a body that does not parse says nothing here, and
 * parse_document then says what is wrong with it.  Thread-safe. */
void parse_delivery_look(const char *source_kind, const char *event_name, const char *data,
                         size_t len, struct arena *arena, struct parse_delivery *out);

/* Emit ev after checking what every parser must guarantee (an external
 * id, a known status; every text kept as written one line, an environment
 * without spaces around it, a sha as pj_sha_lower gives it, an account and
 * email 'plumb identity link' takes); ERR_INVALID naming the event's kind
 * and field otherwise.  For parsers. */
int parse_emit_checked(struct pj *pj, const char *path, const struct event *ev, parse_emit_fn emit,
                       void *data, struct parse_page *page);

#endif
