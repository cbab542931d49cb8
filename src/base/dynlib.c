/* dynlib: dlopen on first use; see dynlib.h. */
#include "base/dynlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { DYNLIB_UNTRIED, DYNLIB_READY, DYNLIB_FAILED };

static pthread_mutex_t dynlib_lock = PTHREAD_MUTEX_INITIALIZER;

static void dynlib_try(struct dynlib *lib)
{
	/* RTLD_NOW: a missing function is found here, not at its first call. */
	void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(lib->failure, sizeof lib->failure, "%s", dlerror());
		atomic_store(&lib->state, DYNLIB_FAILED);
		return;
	}
	for (size_t i = 0; i < lib->n; i++) {
		lib->fns[i] = dlsym(h, lib->names[i]);
		if (!lib->fns[i]) {
			snprintf(lib->failure, sizeof lib->failure, "%s has no %s", lib->soname,
			         lib->names[i]);
			atomic_store(&lib->state, DYNLIB_FAILED);
			return; /* h stays open: a library is never unloaded */
		}
	}
	atomic_store(&lib->state, DYNLIB_READY);
}

int dynlib_load(struct dynlib *lib, struct error *err)
{
	if (atomic_load(&lib->state) == DYNLIB_UNTRIED) {
		pthread_mutex_lock(&dynlib_lock);
		if (atomic_load(&lib->state) == DYNLIB_UNTRIED)
			dynlib_try(lib);
		pthread_mutex_unlock(&dynlib_lock);
	}
	if (atomic_load(&lib->state) == DYNLIB_READY)
		return 0;
	err_set(err, ERR_IO, "cannot load %s (needed by %s)", lib->soname, lib->what);
	err_detail(err, "%s", lib->failure);
	err_hint(err, "install it (make deps, or scripts/install-deps)");
	return ERR_IO;
}
