/*
 * fileio: whole-file reads with a size cap, and exclusive creation.
 *
 * file_read returns a heap buffer (caller frees) with a NUL after the data;
 * file_create_new writes a new file (never an existing one) and fsyncs it.
 * Thread-safe.
 */
#ifndef PLUMB_FILEIO_H
#define PLUMB_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

#include "base/err.h"

int file_read(const char *path, size_t cap, char **data, size_t *len, struct error *err);
/* Create only if absent (O_EXCL); ERR_CONFLICT when the file exists. */
int file_create_new(const char *path, const void *data, size_t len, mode_t mode, struct error *err);

#endif
