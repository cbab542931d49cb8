/*
 * pages: the server-rendered web pages (dashboard, team, service, person,
 * metric catalogue and definitions, the explain view, sources, audit).  The
 * HTTP server (server/) decodes the request, signs the user in and calls
 * pages_render; pages call the services through their operations, so the
 * core's permission checks and audit decisions apply unchanged (no role is
 * checked here).  Plain HTML with one small inline stylesheet and inline
 * SVG sparklines, no JavaScript; every value is HTML-escaped.
 *
 * Output goes into the caller's sb; anything else lives in ctx->arena.
 * Thread-safe as far as a ctx is one thread's.
 */
#ifndef PLUMB_PAGES_H
#define PLUMB_PAGES_H

#include "base/err.h"
#include "base/sb.h"

struct ctx;

struct page_request {
	const char *path; /* decoded path, e.g. "/", "/teams/platform" */
	const char *(*query)(void *data, const char *key); /* a query parameter or NULL */
	void *query_data;
	const char *user; /* signed-in user name, shown in the header */
	const char *csrf; /* the session's CSRF token, put in every form (hidden input csrf) */
};

/* Render the page at req->path into html.  0, or ERR_NOT_FOUND (no such page or record),
 * ERR_DENIED (the actor's roles do not allow it; the core's check said so), other errors. */
int pages_render(struct ctx *ctx, const struct page_request *req, struct sb *html,
                 struct error *err);
/* A complete error page for status (403, 404, 500...) explaining err. */
void pages_error(const struct page_request *req, int status, const struct error *err,
                 struct sb *html);

#endif
