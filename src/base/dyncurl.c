/* dyncurl: libcurl on first use; see dyncurl.h. */
#include "base/dyncurl.h"

#include <pthread.h>

struct dyncurl_fns libcurl;

static const char *const dyncurl_names[] = {DYNCURL_FUNCS(DYNLIB_NAME)};
_Static_assert(sizeof libcurl == sizeof dyncurl_names, "one pointer a function");

static struct dynlib dyncurl_lib = DYNLIB_INIT(
        PLUMB_LIBCURL, "HTTP and SMTP (sync, webhooks sent, mail)", dyncurl_names, libcurl);

static pthread_once_t dyncurl_once = PTHREAD_ONCE_INIT;
static CURLcode dyncurl_init_rc = CURLE_FAILED_INIT;

static void dyncurl_global_init(void)
{
	dyncurl_init_rc = libcurl.curl_global_init(CURL_GLOBAL_DEFAULT);
}

int dyncurl_load(struct error *err)
{
	int rc = dynlib_load(&dyncurl_lib, err);
	if (rc < 0)
		return rc;
	/* Once per process, before any other libcurl call, as libcurl asks. */
	pthread_once(&dyncurl_once, dyncurl_global_init);
	if (dyncurl_init_rc != CURLE_OK)
		return err_set(err, ERR_FAILED, "cannot start libcurl: %s",
		               libcurl.curl_easy_strerror(dyncurl_init_rc));
	return 0;
}
