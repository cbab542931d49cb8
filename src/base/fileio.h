/*
 * fileio: whole-file reads with a size cap, and exclusive creation.
 *
 * file_read returns a heap buffer (caller frees) with a NUL after the data;
 * file_create_new writes a new file (never an existing one) and fsyncs it;
 * file_open_new and file_write_close do the same in two steps.
 * Thread-safe.
 */
#ifndef PLUMB_FILEIO_H
#define PLUMB_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

#include "base/err.h"

int file_read(const char *path, size_t cap, char **data, size_t *len, struct error *err);
/* The same from an open fd, read from where it stands and left open; path
 * names it in errors. */
int file_read_fd(int fd, const char *path, size_t cap, char **data, size_t *len, struct error *err);
/* Create only if absent (O_EXCL); ERR_CONFLICT when the file exists. */
int file_create_new(const char *path, const void *data, size_t len, mode_t mode, struct error *err);
/* Create path for writing, only if absent (O_EXCL), with mode: for output
 * that is made before the work that fills it, so the work is not done when
 * the file cannot be.  *fd is the caller's: finish it with file_write_close,
 * or close it and unlink path.  ERR_CONFLICT when the file exists. */
int file_open_new(const char *path, mode_t mode, int *fd, struct error *err);
/* Write data to fd, fsync and close it (closed on failure too); ERR_IO
 * naming path. */
int file_write_close(int fd, const char *path, const void *data, size_t len, struct error *err);

#endif
