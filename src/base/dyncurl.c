/* dyncurl: libcurl on first use; see dyncurl.h. */
#include "base/dyncurl.h"

struct dyncurl_fns libcurl;

static const char *const dyncurl_names[] = {DYNCURL_FUNCS(DYNLIB_NAME)};
_Static_assert(sizeof libcurl == sizeof dyncurl_names, "one pointer a function");

static struct dynlib dyncurl_lib = DYNLIB_INIT(
        PLUMB_LIBCURL, "HTTP and SMTP (sync, webhooks sent, mail)", dyncurl_names, libcurl);

int dyncurl_load(struct error *err)
{
	return dynlib_load(&dyncurl_lib, err);
}
