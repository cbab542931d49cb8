/*
 * dynlib: a shared library loaded on first use (dlopen) rather than at start.
 *
 * libcurl, libpq and libmicrohttpd bring some thirty libraries with them (Kerberos,
 * LDAP, GnuTLS, ...), and loading them cost every command about 13 ms (release) and
 * 16 ms under ASan, though most commands use none of them (docs/PERFORMANCE.md, "The
 * test suite"). The module that uses such a library declares a struct dynlib with the
 * names of the functions it calls and a table of pointers that dynlib_load fills; the
 * library stays loaded to the end of the process. Thread-safe.
 */
#ifndef PLUMB_DYNLIB_H
#define PLUMB_DYNLIB_H

#include <stdatomic.h>
#include <stddef.h>

#include "base/err.h"

struct dynlib {
	const char *soname;       /* as the linker names it, say "libpq.so.5" */
	const char *what;         /* what needs it, for the error: "PostgreSQL databases" */
	const char *const *names; /* the functions, in the order of fns */
	size_t n;
	void **fns; /* n pointers, filled by dynlib_load */
	atomic_int state;
	char failure[ERR_MSG_MAX];
};

/* Load lib and look up each of its functions, once per process: 0, or ERR_IO naming the
 * library and what needs it. Later calls return the first call's result. */
int dynlib_load(struct dynlib *lib, struct error *err);

/* DYNLIB_FIELD and DYNLIB_NAME build the table and the name list from one X-macro list:
 *   #define PQ_FUNCS(X) X(PQexec) X(PQclear)
 *   static struct { PQ_FUNCS(DYNLIB_FIELD) } pq;
 *   static const char *const pq_names[] = {PQ_FUNCS(DYNLIB_NAME)};
 * Each field has the type of the library's own declaration. */
#define DYNLIB_FIELD(f) __typeof__(f) *f;
#define DYNLIB_NAME(f)  #f,
/* The struct dynlib for that table:
 *   static struct dynlib libpq = DYNLIB_INIT("libpq.so.5", "PostgreSQL", pq_names, pq); */
#define DYNLIB_INIT(soname_, what_, names_, table_)                                                \
	{                                                                                          \
		.soname = (soname_), .what = (what_), .names = (names_),                           \
		.n = sizeof(names_) / sizeof *(names_), .fns = (void **)&(table_)                  \
	}

#endif
