/*
 * dyncurl: libcurl, loaded on first use (base/dynlib.h), for the modules that speak
 * HTTP and SMTP (ingest/http, ingest/sync, review/mail).
 *
 * Include this instead of <curl/curl.h>, call dyncurl_load before the first libcurl call
 * of an entry point, then call libcurl.curl_easy_init() and so on.  curl's compile-time
 * type check of curl_easy_setopt (typecheck-gcc.h) is left out: it is a macro that
 * cannot wrap a call through a pointer.
 */
#ifndef PLUMB_DYNCURL_H
#define PLUMB_DYNCURL_H

#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

#include "base/dynlib.h"
#include "base/err.h"

#ifndef PLUMB_LIBCURL /* the Makefile gives the soname of the libcurl built against */
#define PLUMB_LIBCURL "libcurl.so.4"
#endif

#define DYNCURL_FUNCS(X)                                                                           \
	X(curl_easy_cleanup)                                                                       \
	X(curl_easy_escape)                                                                        \
	X(curl_easy_getinfo)                                                                       \
	X(curl_easy_header)                                                                        \
	X(curl_easy_init)                                                                          \
	X(curl_easy_perform)                                                                       \
	X(curl_easy_setopt)                                                                        \
	X(curl_easy_strerror)                                                                      \
	X(curl_free)                                                                               \
	X(curl_getdate)                                                                            \
	X(curl_global_init)                                                                        \
	X(curl_slist_append)                                                                       \
	X(curl_slist_free_all)                                                                     \
	X(curl_url)                                                                                \
	X(curl_url_cleanup)                                                                        \
	X(curl_url_get)                                                                            \
	X(curl_url_set)

struct dyncurl_fns {
	DYNCURL_FUNCS(DYNLIB_FIELD)
};

/* Filled by dyncurl_load; read-only after. */
extern struct dyncurl_fns libcurl;

/* Load libcurl and run its global init, once per process: 0, or ERR_IO naming the
 * library (ERR_FAILED when its init fails). */
int dyncurl_load(struct error *err);

#endif
