/*
 * pages: the server-rendered web pages (dashboard, team, service, person,
 * metric catalogue and definitions, the explain view, sources, audit, and
 * the review cycle pages and forms of pages_review.c).  The HTTP server
 * (server/) decodes the request, signs the user in and calls pages_render;
 * pages call the services through their operations, so the core's
 * permission checks and audit decisions apply unchanged (no role is
 * checked here).  Plain HTML with one small inline stylesheet and inline
 * SVG sparklines, no JavaScript; every value is HTML-escaped.  A form is
 * POSTed back to its page's own path with the session's CSRF token, which
 * pages_render checks before anything else.
 *
 * Output goes into the caller's sb; anything else lives in ctx->arena.
 * Thread-safe as far as a ctx is one thread's.
 */
#ifndef PLUMB_PAGES_H
#define PLUMB_PAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "base/sb.h"

struct ctx;

struct page_request {
	const char *path;   /* the path as sent, e.g. "/", "/teams/R%26D%2FInfra": each segment is
	                     * decoded once it is split off, so a name may hold a '/' */
	const char *target; /* the request-target as sent, path and query, or NULL: where a
	                     * link back to the page returns (pages_form_unsent) */
	const char *(*query)(void *data, const char *key); /* a query parameter or NULL */
	void *query_data;
	const char *user; /* signed-in user name, shown in the header; NULL: signed out, and
	                   * the header offers Sign in alone */
	const char *csrf; /* the session's CSRF token, put in every form (hidden input csrf);
	                   * NULL or "" (a bearer token): no form may be posted */
	bool post;        /* a form was POSTed to path */
	bool form_here;   /* and from one of this site's own pages, as the browser says: a
	                   * form refused for another session's CSRF token comes back with
	                   * what was typed (pages_render) */
	const char *form; /* then its application/x-www-form-urlencoded body */
	size_t form_len;
	const char *webhook_queue; /* the server's (webhook_queue.h), or NULL */
	/* The actor's: the navigation links only the pages whose operation
	 * their roles allow (ctx_op_allowed); NULL with a user links every page. */
	const struct ctx *ctx;
	/* No user because who is asking, who sent a credential, was not looked
	 * up (a 503 of a server too busy to): the header offers nothing, not
	 * Sign in to someone who may be signed in. */
	bool who_unknown;
};

/* How to answer besides the HTML: a form shown again with an error has
 * a 4xx status; a form that was saved sends the browser on (303). */
struct page_answer {
	int status;           /* 200 unless a page says otherwise */
	const char *location; /* set: answer 303 See Other to this path (in ctx->arena) */
};

/* Render the page at req->path into html, and fill *ans.  0, or ERR_NOT_FOUND (no such
 * page or record), ERR_DENIED (the actor's roles do not allow it; the core's check said so;
 * or a POST without the session's CSRF token, in which case nothing was written), other
 * errors.  A POST from this site (req->form_here) with another session's token is 0 with
 * ans->status 403: a page saying nothing was saved, with what was typed to copy back. */
int pages_render(struct ctx *ctx, const struct page_request *req, struct sb *html,
                 struct page_answer *ans, struct error *err);
/* The route template that path (as sent) matches ("/cycles/{cycle}/feedback/{id}"), for the
 * access log, or NULL; *posts says whether the page takes a POSTed form. */
const char *pages_route(const char *path, bool *posts);
/* A complete error page for status (403, 404, 500...) explaining err, all of it: the server's
 * own failure comes as server_error_conceal left it, without its words. */
void pages_error(const struct page_request *req, int status, const struct error *err,
                 struct sb *html);
/* The page for a form that arrived after its session ended (idle too long,
 * signed out in another tab): nothing was saved; a link to sign in again
 * and come back to the form at req->path, with req->target's query and the
 * form's fields that choose what the page shows (its relation), and the
 * fields req->form holds
 * (those a person typed, not the form's own hidden ones), each escaped in
 * a read-only text area to copy back, under the label its form shows: a
 * framework's question or competency as the form names it when reader
 * (NULL: none) may read the cycle's framework, else by its id.  req->form
 * must be checked UTF-8 (request_form_check). */
void pages_form_unsent(const struct page_request *req, struct ctx *reader, struct sb *html);

#endif
