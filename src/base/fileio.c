/* fileio: POSIX reads and writes with errors that name the file. */
#include "base/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"
#include "base/sb.h"

int file_read(const char *path, size_t cap, char **data, size_t *len, struct error *err)
{
	/* A named pipe nobody writes to would block the open for good, and one
	 * opened without waiting reads as empty until its writer comes (found
	 * in review: a FIFO as a key or an import file hung the command): it is
	 * refused.  bash's <(...) is a link to a pipe that has its writer, read
	 * as before; opened without waiting all the same, in case a link leads
	 * to a named pipe. */
	struct stat ls;
	if (lstat(path, &ls) == 0 && S_ISFIFO(ls.st_mode)) {
		err_set(err, ERR_INVALID, "%s is a named pipe, not a file", path);
		err_hint(err, "give a file, or pipe it in with <(...)");
		return ERR_INVALID;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		int code = errno == ENOENT ? ERR_NOT_FOUND : ERR_IO;
		err_set(err, code, "cannot open %s", path);
		err_detail(err, "%s", strerror(errno));
		return code;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags != -1)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	int rc = file_read_fd(fd, path, cap, data, len, err);
	close(fd);
	return rc;
}

int file_read_fd(int fd, const char *path, size_t cap, char **data, size_t *len, struct error *err)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		memset(&st, 0, sizeof st);
	if (S_ISDIR(st.st_mode)) {
		err_set(err, ERR_INVALID, "%s is a directory", path);
		return ERR_INVALID;
	}
	struct sb buf;
	sb_init(&buf, cap + 1);
	/* A regular file's size sizes the buffer: one allocation, no copies
	 * as it grows (a file read per ingested page adds up). */
	bool sized = S_ISREG(st.st_mode) && st.st_size >= 0 && (uint64_t)st.st_size < cap;
	if (sized)
		sb_grow(&buf, (size_t)st.st_size + 1);
	for (;;) {
		/* Read at most one byte past the cap, to tell "exactly cap" from "over". */
		size_t room = buf.alloc > buf.len + 1 ? buf.alloc - buf.len - 1 : 0;
		size_t chunk = room ? room : 65536;
		size_t want = cap + 1 - buf.len < chunk ? cap + 1 - buf.len : chunk;
		if (want == 0 || buf.len > cap) {
			sb_release(&buf);
			err_set(err, ERR_TOO_BIG, "%s is too large", path);
			err_detail(err, "the limit is %zu bytes", cap);
			return ERR_TOO_BIG;
		}
		sb_grow(&buf, want);
		ssize_t n = read(fd, buf.buf + buf.len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(err, ERR_IO, "cannot read %s", path);
			err_detail(err, "%s", strerror(errno));
			sb_release(&buf);
			return ERR_IO;
		}
		if (n == 0)
			break;
		buf.len += (size_t)n;
		buf.buf[buf.len] = '\0';
	}
	*data = sb_detach(&buf, len);
	return 0;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int file_create_new(const char *path, const void *data, size_t len, mode_t mode, struct error *err)
{
	/* Written beside it, then linked into place: link() fails when path
	 * exists, and a concurrent reader sees the whole file or none of it. */
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path) >= (int)sizeof tmp) {
		err_set(err, ERR_IO, "cannot create %s", path);
		err_detail(err, "the path is too long");
		return ERR_IO;
	}
	int fd = mkstemp(tmp);
	if (fd < 0) {
		err_set(err, ERR_IO, "cannot create %s", path);
		err_detail(err, "%s", strerror(errno));
		return ERR_IO;
	}
	int code = 0;
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		code = err_set(err, ERR_IO, "cannot write %s", path);
		err_detail(err, "%s", strerror(errno));
	}
	close(fd);
	if (code == 0 && link(tmp, path) < 0) {
		code = errno == EEXIST ? ERR_CONFLICT : ERR_IO;
		err_set(err, code, "cannot create %s", path);
		err_detail(err, "%s", strerror(errno));
	}
	unlink(tmp);
	return code;
}

int file_open_new(const char *path, mode_t mode, int *fd, struct error *err)
{
	*fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (*fd < 0 || fchmod(*fd, mode) < 0) { /* the mode as asked, whatever the umask */
		int code = errno == EEXIST ? ERR_CONFLICT : ERR_IO;
		err_set(err, code, "cannot create %s", path);
		err_detail(err, "%s", strerror(errno));
		if (*fd >= 0) {
			close(*fd);
			unlink(path);
			*fd = -1;
		}
		return code;
	}
	return 0;
}

int file_write_close(int fd, const char *path, const void *data, size_t len, struct error *err)
{
	int code = 0;
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		code = err_set(err, ERR_IO, "cannot write %s", path);
		err_detail(err, "%s", strerror(errno));
	}
	if (close(fd) < 0 && code == 0) {
		code = err_set(err, ERR_IO, "cannot write %s", path);
		err_detail(err, "%s", strerror(errno));
	}
	return code;
}
