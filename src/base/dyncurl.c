/* dyncurl: libcurl on first use; see dyncurl.h. */
#include "base/dyncurl.h"

struct dyncurl_fns libcurl;

static const char *const dyncurl_names[] = {DYNCURL_FUNCS(DYNLIB_NAME)};
_Static_assert(sizeof libcurl == sizeof dyncurl_names, "one pointer a function");

static struct dynlib dyncurl_lib = {
        .soname = PLUMB_LIBCURL,
        .what = "HTTP and SMTP (sync, webhooks sent, mail)",
        .names = dyncurl_names,
        .n = sizeof dyncurl_names / sizeof *dyncurl_names,
        .fns = (void **)&libcurl,
};

int dyncurl_load(struct error *err)
{
	return dynlib_load(&dyncurl_lib, err);
}
