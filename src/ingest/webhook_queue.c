/* webhook_queue: deliveries kept on disk while the database is busy (see
 * webhook_queue.h).  A file is one line of JSON saying what the delivery is,
 * then its body:
 *   {"kind":"github","source":"gh","format":"github-webhook",...,"length":N}\n
 *   N bytes of body
 * with "key", the name it was first queued under and a random part, when
 * it has no delivery id (stored by that: a move may rename the file).
 * Its name, RECEIVED_MS-PID-SEQ.delivery with each part zero-padded to a
 * fixed width, the time (or, the system clock set back since the newest
 * was queued, a millisecond after that one's) unique in the queue, sorts in
 * the order deliveries came. */
#include "ingest/webhook_queue.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/fileio.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "ingest/run.h"
#include "store/store.h"

#define SUFFIX ".delivery"

static bool is_delivery(const char *name)
{
	size_t n = strlen(name), s = strlen(SUFFIX);
	return name[0] != '.' && n > s && strcmp(name + n - s, SUFFIX) == 0;
}

static int dir_error(const char *dir, const char *what, struct error *err)
{
	err_set(err, ERR_IO, "cannot %s the webhook queue %s", what, dir);
	err_detail(err, "%s", strerror(errno));
	return ERR_IO;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool dir_safe(const struct stat *st)
{
	return st->st_uid == geteuid() && (st->st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

/* code: ERR_USAGE for a directory given to serve, ERR_IO for one found so
 * later. */
static int unsafe_error(const char *dir, int code, struct error *err)
{
	err_set(err, code, "other users may write %s", dir);
	err_detail(err, "a file put there would be stored as a delivery its source signed");
	err_hint(err, "make it this user's own and 'chmod go-w' it, or give another");
	return code;
}

int webhook_queue_usable(const char *dir, struct error *err)
{
	/* An empty name is no directory: the queue's files would be "/NAME". */
	if (!*dir) {
		err_set(err, ERR_USAGE, "an empty name is not a directory");
		err_hint(err, "give a directory this user may write");
		return ERR_USAGE;
	}
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode) && !dir_safe(&st))
			return unsafe_error(dir, ERR_USAGE, err);
		if (S_ISDIR(st.st_mode) && access(dir, W_OK | X_OK) == 0)
			return 0;
		return err_set(err, ERR_USAGE, "%s is not a directory this user may write", dir);
	}
	/* The parent of DIR, or of DIR/ (made the same). */
	char parent[4096];
	snprintf(parent, sizeof parent, "%s", dir);
	for (size_t n = strlen(parent); n > 1 && parent[n - 1] == '/'; n--)
		parent[n - 1] = '\0';
	char *slash = strrchr(parent, '/');
	const char *in = slash == parent ? "/" : slash ? (*slash = '\0', parent) : ".";
	if (access(in, W_OK | X_OK) == 0)
		return 0;
	err_set(err, ERR_USAGE, "cannot make %s", dir);
	err_detail(err, "%s: %s", in, strerror(errno));
	err_hint(err, "give a directory this user may write");
	return ERR_USAGE;
}

/* The names of dir's deliveries, oldest first (heap; free each and the
 * array), or only how many when names is NULL; *n 0 and no error when dir
 * does not exist; an error and *unsafe when others may write it. */
static int list(const char *dir, char ***names, size_t *n, bool *unsafe, struct error *err)
{
	if (names)
		*names = NULL;
	*n = 0;
	*unsafe = false;
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : dir_error(dir, "read", err);
	struct stat st;
	if (fstat(dirfd(d), &st) < 0 || !dir_safe(&st)) {
		closedir(d);
		*unsafe = true;
		return unsafe_error(dir, ERR_IO, err);
	}
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!is_delivery(e->d_name))
			continue;
		if (!names) {
			(*n)++;
			continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*names = xreallocarray(*names, cap, sizeof **names);
		}
		(*names)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (names && *n > 1)
		qsort(*names, *n, sizeof **names, by_name);
	return 0;
}

static void free_list(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int webhook_queue_count(const char *dir, size_t *n, struct error *err)
{
	bool unsafe;
	struct error why = {0};
	int rc = list(dir, NULL, n, &unsafe, &why);
	/* Nothing there is trusted, so nothing there is waited for: a delivery
	 * is stored if it can be, and refused where it would be queued. */
	if (rc < 0 && unsafe)
		return 0;
	if (rc < 0 && !err->code)
		*err = why;
	return rc;
}

int webhook_queue_length(const char *dir, size_t *n, struct error *err)
{
	bool unsafe;
	return list(dir, NULL, n, &unsafe, err);
}

/* Make dir (and its failed/) when absent, for this user only. */
static int make_dirs(const char *dir, struct error *err)
{
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return dir_error(dir, "create", err);
	struct stat st;
	if (stat(dir, &st) < 0)
		return dir_error(dir, "read", err);
	if (!dir_safe(&st))
		return unsafe_error(dir, ERR_IO, err);
	char failed[4096];
	snprintf(failed, sizeof failed, "%s/%s", dir, WEBHOOK_QUEUE_FAILED);
	if (mkdir(failed, 0700) < 0 && errno != EEXIST)
		return dir_error(failed, "create", err);
	return 0;
}

/* A new entry's name in the directory is durable only once the directory
 * itself is synced. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* The latest time a queued delivery's name holds (0: none). */
static int64_t newest_named(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int64_t newest = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!is_delivery(e->d_name))
			continue;
		char *end;
		errno = 0;
		long long t = strtoll(e->d_name, &end, 10);
		if (!errno && end != e->d_name && *end == '-' && t > newest)
			newest = t;
	}
	closedir(d);
	return newest;
}

int webhook_queue_put(const char *dir, const struct webhook_queue_item *item, struct error *err)
{
	size_t n;
	int rc = webhook_queue_count(dir, &n, err);
	if (rc < 0)
		return rc;
	if (n >= WEBHOOK_QUEUE_MAX) {
		err_set(err, ERR_BUSY,
		        "the database is busy with another writer and the webhook queue is full");
		err_detail(err, "%s holds %zu deliveries, the most it keeps", dir, n);
		err_hint(err, "nothing was stored; the sender should deliver it again later");
		return ERR_BUSY;
	}
	rc = make_dirs(dir, err);
	if (rc < 0)
		return rc;
	/* Named after the newest: by its arrival time, a delivery that came
	 * after the system clock was set back sorted before those that came
	 * earlier, and was stored first.  The file keeps the time it came.
	 * Named and linked under the directory's lock: two servers sharing
	 * the queue both took the newest's time plus one, and their
	 * deliveries sorted by pid (unpadded, "10" before "9"), not as they
	 * came (found in the sync hunt). */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return dir_error(dir, "read", err);
	/* A file system without flock leaves the name unlocked, as before. */
	while (flock(dfd, LOCK_EX) < 0 && errno == EINTR)
		;
	int64_t named = item->received_at, newest = newest_named(dir);
	if (named <= newest)
		named = newest + 1;
	/* Fixed widths, and a sequence that does not wrap: names of one time
	 * sort as they were made. */
	static atomic_uint_fast64_t seq;
	char path[4096];
	int base = snprintf(path, sizeof path, "%s/", dir);
	snprintf(path + base, sizeof path - (size_t)base,
	         "%016" PRId64 "-%010ld-%020" PRIuFAST64 SUFFIX, named, (long)getpid(),
	         (uint_fast64_t)atomic_fetch_add(&seq, 1));
	struct sb file = SB_INIT;
	struct jw w;
	jw_init(&w, &file, false);
	jw_object_begin(&w);
	jw_kstr(&w, "kind", item->kind);
	jw_kstr(&w, "source", item->source);
	jw_kint(&w, "source_id", item->source_id);
	jw_kint(&w, "source_added", item->source_added);
	jw_kstr(&w, "format", item->format);
	jw_kstr(&w, "event", item->event_name);
	jw_kstr(&w, "delivery", item->delivery_id);
	/* Its name now: moved into failed/ and back, it may be renamed
	 * NAME-1.delivery, and stored by that it would be stored again.  A
	 * random part after it: the name is unique in the queue only, and
	 * after a restart with the same pid and the clock set back a new
	 * delivery could take a stored one's name and be dropped as it. */
	if (!item->delivery_id) {
		unsigned char nonce[8];
		char hex[2 * sizeof nonce + 1];
		randombytes_buf(nonce, sizeof nonce);
		sodium_bin2hex(hex, sizeof hex, nonce, sizeof nonce);
		const char *name = path + base;
		char key[4096 + sizeof hex];
		snprintf(key, sizeof key, "%.*s-%s", (int)(strlen(name) - strlen(SUFFIX)), name,
		         hex);
		jw_kstr(&w, "key", key);
	}
	jw_kstr(&w, "origin", item->origin);
	jw_kint(&w, "received_at", item->received_at);
	jw_kint(&w, "length", (int64_t)item->len);
	jw_object_end(&w);
	sb_putc(&file, '\n');
	sb_add(&file, item->body, item->len);
	rc = file_create_new(path, file.buf, file.len, 0600, err);
	sb_release(&file);
	if (rc == 0)
		sync_dir(dir);
	close(dfd); /* the lock with it */
	return rc < 0 ? rc : 0;
}

void webhook_queue_turns_init(struct webhook_queue_turns *t)
{
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->changed, NULL);
	t->next = t->serving = 0;
}

void webhook_queue_turns_destroy(struct webhook_queue_turns *t)
{
	pthread_cond_destroy(&t->changed);
	pthread_mutex_destroy(&t->lock);
}

void webhook_queue_turn_begin(struct webhook_queue_turns *t)
{
	pthread_mutex_lock(&t->lock);
	unsigned long long mine = t->next++;
	while (t->serving != mine)
		pthread_cond_wait(&t->changed, &t->lock);
	pthread_mutex_unlock(&t->lock);
}

void webhook_queue_turn_end(struct webhook_queue_turns *t)
{
	pthread_mutex_lock(&t->lock);
	t->serving++;
	pthread_cond_broadcast(&t->changed);
	pthread_mutex_unlock(&t->lock);
}

/* The header's string field, or NULL when absent or null. */
static const char *field(const cJSON *head, const char *name, struct arena *a)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(head, name);
	return cJSON_IsString(v) ? arena_strdup(a, v->valuestring) : NULL;
}

/* Fill *item from a file's first line (without its newline), its strings
 * in a, but for the body; false when the line is not a whole header. */
static bool parse_head(const char *line, size_t n, struct arena *a, struct webhook_queue_item *item)
{
	memset(item, 0, sizeof *item);
	cJSON *head = cJSON_ParseWithLength(line, n);
	const cJSON *length = cJSON_GetObjectItemCaseSensitive(head, "length");
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(head, "received_at");
	if (head) {
		item->kind = field(head, "kind", a);
		item->source = field(head, "source", a);
		item->format = field(head, "format", a);
		item->event_name = field(head, "event", a);
		item->delivery_id = field(head, "delivery", a);
		item->key = field(head, "key", a);
		item->origin = field(head, "origin", a);
	}
	bool whole = item->kind && item->source && item->origin && cJSON_IsNumber(length) &&
	             length->valuedouble >= 0 && length->valuedouble <= INGEST_DOCUMENT_MAX &&
	             cJSON_IsNumber(at);
	const cJSON *source_id = cJSON_GetObjectItemCaseSensitive(head, "source_id");
	const cJSON *source_added = cJSON_GetObjectItemCaseSensitive(head, "source_added");
	if (whole && cJSON_IsNumber(source_id) && cJSON_IsNumber(source_added)) {
		item->source_id = (int64_t)source_id->valuedouble;
		item->source_added = (int64_t)source_added->valuedouble;
	}
	if (whole) {
		item->len = (size_t)length->valuedouble;
		item->received_at = (int64_t)at->valuedouble;
	} else {
		memset(item, 0, sizeof *item); /* nothing of a header that does not read */
	}
	cJSON_Delete(head);
	return whole;
}

/* Read a queued file, open as fd, into *item, its strings and body in a. */
static int read_item(int fd, const char *path, struct arena *a, struct webhook_queue_item *item,
                     struct error *err)
{
	char *data;
	size_t len;
	int rc = file_read_fd(fd, path, INGEST_DOCUMENT_MAX + 65536, &data, &len, err);
	if (rc < 0)
		return rc;
	const char *nl = memchr(data, '\n', len);
	size_t body_len = nl ? len - (size_t)(nl + 1 - data) : 0;
	if (!nl || !parse_head(data, (size_t)(nl - data), a, item) || item->len != body_len) {
		rc = err_set(err, ERR_INVALID, "%s is not a queued webhook delivery", path);
		err_detail(err, "expected a line of JSON naming its kind, source, origin, "
		                "received_at and length, then that many bytes of body");
	} else {
		char *body = arena_alloc_raw(a, body_len + 1);
		memcpy(body, nl + 1, body_len);
		body[body_len] = '\0';
		item->body = body;
	}
	free(data);
	return rc;
}

/* Errors that a later try may not meet: the database busy or away. */
static bool passing(int code)
{
	return code == ERR_BUSY || code == ERR_TRANSIENT || code == ERR_STORE || code == ERR_IO ||
	       code == ERR_TIMEOUT;
}

/* name with -N before its suffix (NAME-N.delivery), or name itself for
 * n 0: the names a moved delivery takes in turn, in a. */
static const char *numbered(const char *name, unsigned n, struct arena *a)
{
	size_t base = strlen(name) - (is_delivery(name) ? strlen(SUFFIX) : 0);
	return n ? arena_printf(a, "%.*s-%u%s", (int)base, name, n, name + base) : name;
}

/* Move from_dir/name to to_dir/to_name, never replacing a file there:
 * linked, then unlinked (link() never replaces, and the queue's files are
 * linked into place already).  -1 with errno set, the file left where it
 * was. */
static int move_as(const char *from_dir, const char *name, const char *to_dir, const char *to_name,
                   struct arena *a)
{
	char *from = arena_printf(a, "%s/%s", from_dir, name);
	char *to = arena_printf(a, "%s/%s", to_dir, to_name);
	if (link(from, to) < 0)
		return -1;
	if (unlink(from) < 0) {
		int e = errno;
		unlink(to);
		errno = e;
		return -1;
	}
	return 0;
}

/* Move from_dir/name into to_dir under that name, or, when to_dir holds a
 * file of that name, under NAME-N.delivery (the first N free): a rename()
 * replaced it, and a delivery was lost without a word (found in the sync
 * hunt: the same pid after a container restart, the sequence restarted,
 * the same millisecond after the clock was set back).  The name it took in
 * *moved (in a); -1 with errno set, the file left where it was. */
static int move_noreplace(const char *from_dir, const char *name, const char *to_dir,
                          struct arena *a, const char **moved)
{
	for (unsigned n = 0; n < 1000; n++) {
		const char *to_name = numbered(name, n, a);
		if (move_as(from_dir, name, to_dir, to_name, a) < 0) {
			if (errno == EEXIST)
				continue;
			return -1;
		}
		*moved = to_name;
		return 0;
	}
	errno = EEXIST;
	return -1;
}

/* Move name out of the way into failed/ (made again if removed), its
 * reason beside it.  ERR_IO when it cannot be moved: left where it is, it
 * would be taken again at once, and for ever. */
static int keep_failed(const char *dir, const char *name, const struct error *why, struct arena *a,
                       const char **kept, struct error *err)
{
	char *failed = arena_printf(a, "%s/%s", dir, WEBHOOK_QUEUE_FAILED);
	if (mkdir(failed, 0700) < 0 && errno != EEXIST)
		return dir_error(failed, "create", err);
	const char *as;
	if (move_noreplace(dir, name, failed, a, &as) < 0) {
		err_set(err, ERR_IO, "cannot move %s/%s into %s", dir, name, failed);
		err_detail(err, "%s; it could not be stored: %s", strerror(errno), why->message);
		return ERR_IO;
	}
	char *to = arena_printf(a, "%s/%s", failed, as);
	/* The reason after the move, under the name it took: one written
	 * first would replace that of a failed delivery of the same name. */
	char *reason = arena_printf(a, "%s.error", to);
	struct sb text = SB_INIT;
	sb_printf(&text, "%s\n", why->message);
	if (why->detail[0])
		sb_printf(&text, "detail: %s\n", why->detail);
	if (why->hint[0])
		sb_printf(&text, "hint: %s\n", why->hint);
	struct error ignored = {0};
	unlink(reason); /* one left by a delivery of that name requeued since */
	(void)file_create_new(reason, text.buf, text.len, 0600, &ignored);
	sb_release(&text);
	*kept = to;
	sync_dir(failed);
	sync_dir(dir);
	return 0;
}

/* What a queued delivery is recorded by when stored (ingest_body_opts):
 * its delivery id, or, with none, after "queued " (with a space, which no
 * delivery id has) the name it was first queued under, its key, or in a
 * file an older server wrote, without one, its file's name now. */
static const char *stored_key(const struct webhook_queue_item *it, const char *name,
                              struct arena *a)
{
	return it->delivery_id ? it->delivery_id
	                       : arena_printf(a, "queued %s", it->key ? it->key : name);
}

/* apply_one's answer for a delivery another process holds. */
#define HELD 2

static void forget_failing(struct webhook_queue_drain *d)
{
	free(d->failing);
	d->failing = NULL;
	d->tries = 0;
}

/* Whether the delivery name, whose storing failed with an error that may
 * pass (code), has failed long enough to be moved aside (webhook_queue.h):
 * counted here, unless the database was busy or does not answer. */
static bool give_up(struct ctx *ctx, struct webhook_queue_drain *d, const char *name, int code)
{
	if (code == ERR_BUSY || code == ERR_TRANSIENT)
		return false;
	int64_t seq;
	struct error ignored = {0};
	if (audit_head_seq(ctx->store, &seq, &ignored) < 0)
		return false;
	double now = ts_mono_s();
	if (!d->failing || strcmp(d->failing, name) != 0) {
		forget_failing(d);
		d->failing = xstrdup(name);
		d->failing_since = now;
	}
	d->tries++;
	unsigned max_tries = d->max_tries ? d->max_tries : WEBHOOK_QUEUE_TRIES;
	int64_t retry_ms = d->retry_ms ? d->retry_ms : WEBHOOK_QUEUE_RETRY_MS;
	return d->tries >= max_tries && (now - d->failing_since) * 1000 >= (double)retry_ms;
}

/* Try to store the delivery in file name: 1 done (stored or failed), 0
 * gone (stored or failed by another process since the list), HELD by another
 * process now, or an error that may pass. */
static int apply_one(struct ctx *ctx, const char *dir, struct webhook_queue_drain *d,
                     const char *name, struct webhook_queue_outcome *out, struct error *err)
{
	char *path = arena_printf(ctx->arena, "%s/%s", dir, name);
	/* Not blocking: a FIFO of that name would hold the thread, and shutdown. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT ? 0 : dir_error(path, "open", err);
	struct stat st;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return HELD;
	}
	/* Stored and removed by another process since the list. */
	if (fstat(fd, &st) < 0 || st.st_nlink == 0) {
		close(fd);
		return 0;
	}
	/* Or moved into failed/ by it between the open and the lock: still
	 * linked there, it was stored here too, and then not removed (found
	 * in the sync hunt). */
	struct stat named;
	if (stat(path, &named) < 0 || named.st_ino != st.st_ino || named.st_dev != st.st_dev) {
		close(fd);
		return 0;
	}
	memset(out, 0, sizeof *out);
	int rc = S_ISREG(st.st_mode)
	                 ? read_item(fd, path, ctx->arena, &out->item, &out->err)
	                 : err_set(&out->err, ERR_INVALID,
	                           "%s is not a queued webhook delivery: not a regular file", path);
	if (rc == 0) {
		const struct webhook_queue_item *it = &out->item;
		struct ingest_body_opts o = {
		        .source = it->source,
		        .source_id = it->source_id,
		        .source_added = it->source_added,
		        .origin = it->origin,
		        .event_name = it->event_name,
		        .format = it->format,
		        .delivery_id = it->delivery_id,
		        .delivery_key = it->delivery_id ? NULL : stored_key(it, name, ctx->arena),
		        .received_at = it->received_at,
		        .data = it->body,
		        .len = it->len,
		};
		rc = ingest_webhook_body(ctx, &o, &out->res, &out->err);
	}
	if (rc < 0 && passing(rc) && !give_up(ctx, d, name, rc)) {
		*err = out->err;
		close(fd);
		return rc;
	}
	if (rc < 0 && passing(rc)) {
		struct error last = out->err;
		err_clear(&out->err);
		err_set(&out->err, last.code, "%u tries over %.0f s failed, the last: %s", d->tries,
		        ts_mono_s() - d->failing_since, last.message);
		err_detail(&out->err, "%s", last.detail);
		err_hint(
		        &out->err,
		        "once the cause is fixed, 'plumb webhook requeue --dir %s %s' puts it back",
		        dir, name);
	}
	if (d->failing && strcmp(d->failing, name) == 0)
		forget_failing(d);
	if (rc == 0) {
		out->stored = true;
		/* Left in place, it would be taken again at once (a duplicate
		 * then, or with no delivery id stored again): stop here. */
		if (unlink(path) < 0) {
			err_set(err, ERR_IO, "cannot remove %s from the webhook queue", path);
			err_detail(err, "%s; it was stored, as run %" PRId64, strerror(errno),
			           out->res.run_id);
			close(fd);
			return ERR_IO;
		}
		sync_dir(dir);
	} else if ((rc = keep_failed(dir, name, &out->err, ctx->arena, &out->kept, err)) < 0) {
		close(fd);
		return rc;
	}
	close(fd); /* the lock goes with it, after the file has */
	return 1;
}

/* A delivery is written under a temporary name beside it (file_create_new:
 * NAME.delivery.tmp.XXXXXX) and linked into place within a second; one a
 * process killed meanwhile left behind, older than this, goes. */
#define LEFTOVER_AGE_S 600

static void sweep_leftovers(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	time_t before = time(NULL) - LEFTOVER_AGE_S;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		if (strstr(e->d_name, SUFFIX ".tmp.") &&
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && st.st_mtime < before)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

void webhook_queue_drain_free(struct webhook_queue_drain *d)
{
	free_list(d->names, d->n);
	forget_failing(d);
	d->names = NULL;
	d->n = d->next = 0;
}

int webhook_queue_apply_next(struct ctx *ctx, const char *dir, struct webhook_queue_drain *d,
                             struct webhook_queue_outcome *out, struct error *err)
{
	int rc = 0;
	if (d->next >= d->n) {
		/* Those listed are done: list again, for those queued since. */
		free_list(d->names, d->n);
		d->names = NULL;
		d->n = d->next = 0;
		bool unsafe;
		rc = list(dir, &d->names, &d->n, &unsafe, err);
		if (rc == 0) /* only in a directory found safe */
			sweep_leftovers(dir);
	}
	while (rc == 0 && d->next < d->n) {
		rc = apply_one(ctx, dir, d, d->names[d->next], out, err);
		if (rc == 0 || rc == 1) /* gone, or done: the next one's turn */
			d->next++;
	}
	/* Not the next one instead, which would race the holder's to the
	 * database, and might be stored first: this one's turn is over. */
	return rc == HELD ? 0 : rc;
}

char *webhook_queue_default(const char *db_url, struct arena *a)
{
	return store_url_is_postgres(db_url) ? NULL : arena_printf(a, "%s.webhooks", db_url);
}

/* A header is a few hundred bytes: a delivery id, an event, an origin. */
#define HEAD_MAX 16384

/* The first line of path, parsed; false when it does not read as one. */
static bool read_head(const char *path, struct arena *a, struct webhook_queue_item *item)
{
	memset(item, 0, sizeof *item);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return false;
	char *buf = arena_alloc_raw(a, HEAD_MAX);
	ssize_t got = read(fd, buf, HEAD_MAX);
	close(fd);
	const char *nl = got > 0 ? memchr(buf, '\n', (size_t)got) : NULL;
	return nl && parse_head(buf, (size_t)(nl - buf), a, item);
}

/* The reason beside a failed delivery: its NAME.error's first line. */
static const char *read_reason(const char *failed_dir, const char *name, struct arena *a)
{
	char *path = arena_printf(a, "%s/%s.error", failed_dir, name);
	char *data;
	size_t len;
	struct error ignored = {0};
	if (file_read(path, HEAD_MAX, &data, &len, &ignored) < 0)
		return NULL;
	char *reason = arena_strndup(a, data, strcspn(data, "\n"));
	free(data);
	return reason;
}

/* The queue's entries, as webhook_queue_list gives them, without checking
 * an operation: webhook_queue_requeue checks its own. */
static int list_entries(struct ctx *ctx, const char *dir, struct webhook_queue_entry **out,
                        size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	int rc = 0;
	const char *failed_dir = arena_printf(ctx->arena, "%s/%s", dir, WEBHOOK_QUEUE_FAILED);
	const char *dirs[] = {dir, failed_dir};
	size_t cap = 0;
	for (int d = 0; d < 2 && rc == 0; d++) {
		char **names;
		size_t k;
		bool unsafe;
		rc = list(dirs[d], &names, &k, &unsafe, err);
		for (size_t i = 0; rc == 0 && i < k; i++) {
			*out = arena_grow(ctx->arena, *out, *n, &cap, sizeof **out);
			struct webhook_queue_entry *e = &(*out)[(*n)++];
			memset(e, 0, sizeof *e);
			e->name = arena_strdup(ctx->arena, names[i]);
			e->failed = d == 1;
			(void)read_head(arena_printf(ctx->arena, "%s/%s", dirs[d], names[i]),
			                ctx->arena, &e->item);
			if (e->failed)
				e->reason = read_reason(failed_dir, names[i], ctx->arena);
		}
		free_list(names, k);
	}
	return rc;
}

int webhook_queue_list(struct ctx *ctx, const char *dir, struct webhook_queue_entry **out,
                       size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	int rc = ctx_op_check(ctx, OP_WEBHOOK_QUEUE, err);
	return rc < 0 ? rc : list_entries(ctx, dir, out, n, err);
}

struct requeue_args {
	const char *dir, *failed_dir;
	struct webhook_queue_entry *entries;
	const char **failed_names; /* each entry's name under failed/ */
	size_t n;
	int locked; /* the queue's directory, flocked while names are chosen and taken; -1 before */
};

/* Whether e's source, or another of its hook, has it stored already
 * (e->stored_before, stored_by, stored_run), as publishing will find it. */
static int stored_before(struct ctx *ctx, struct webhook_queue_entry *e, struct error *err)
{
	e->stored_before = false;
	e->stored_run = 0;
	if (!e->item.source)
		return 0;
	const char *by;
	int rc = ingest_delivery_stored_tx(ctx, e->item.source,
	                                   stored_key(&e->item, e->name, ctx->arena), &by,
	                                   &e->stored_run, err);
	e->stored_before = by != NULL;
	e->stored_by = by;
	return rc;
}

/* The name entry i of a will take in the queue: its name under failed/,
 * or, when a file in the queue or another entry before it has that,
 * NAME-N.delivery, the first N free (move_noreplace's names); in ar. */
static const char *free_name(const struct requeue_args *a, size_t i, struct arena *ar)
{
	for (unsigned n = 0;; n++) {
		const char *name = numbered(a->failed_names[i], n, ar);
		/* One that cannot be looked at is tried, and its move says why. */
		struct stat st;
		bool taken = fstatat(a->locked, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
		for (size_t j = 0; j < i && !taken; j++)
			taken = strcmp(a->entries[j].name, name) == 0;
		if (!taken)
			return name;
	}
}

static int requeue_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct requeue_args *a = arg;
	/* Taken here, with the database's write lock held already: taken
	 * before, a server queueing a delivery while another writer holds the
	 * database would wait for it too.  Held until the moves are done, so
	 * no delivery queued meanwhile takes a name chosen here. */
	if (a->locked < 0) {
		a->locked = open(a->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (a->locked < 0)
			return dir_error(a->dir, "read", err);
		/* A file system without flock leaves the names unlocked. */
		while (flock(a->locked, LOCK_EX) < 0 && errno == EINTR)
			;
	}
	/* Each named as it will be in the queue, what its entry, and the
	 * server storing one with neither a delivery id nor a key
	 * (stored_key), go by. */
	for (size_t i = 0; i < a->n; i++)
		a->entries[i].name = free_name(a, i, ctx->arena);
	for (size_t i = 0; i < a->n; i++) {
		struct webhook_queue_entry *e = &a->entries[i];
		int rc = stored_before(ctx, e, err);
		if (rc < 0)
			return rc;
		struct sb detail = SB_INIT;
		struct jw w;
		jw_init(&w, &detail, false);
		jw_object_begin(&w);
		jw_kstr(&w, "queue", a->dir);
		jw_kstr(&w, "source", e->item.source);
		jw_kstr(&w, "delivery", e->item.delivery_id);
		jw_kstr(&w, "failed", e->reason);
		if (strcmp(e->name, a->failed_names[i]) != 0)
			jw_kstr(&w, "failed_as", a->failed_names[i]);
		if (e->stored_before) {
			jw_key(&w, "stored_before");
			if (e->stored_run)
				jw_int(&w, e->stored_run);
			else
				jw_null(&w);
		}
		jw_object_end(&w);
		rc = audit_append(ctx, "webhook.requeue", "webhook_delivery", e->name, detail.buf,
		                  err);
		sb_release(&detail);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int webhook_queue_requeue(struct ctx *ctx, const char *dir, const char *const *names, size_t nnames,
                          bool all, const struct webhook_queue_entry **requeued, size_t *moved,
                          struct error *err)
{
	*requeued = NULL;
	*moved = 0;
	int rc = ctx_op_check(ctx, OP_WEBHOOK_REQUEUE, err);
	if (rc < 0)
		return rc;
	struct webhook_queue_entry *listed;
	size_t nlisted;
	rc = list_entries(ctx, dir, &listed, &nlisted, err);
	if (rc < 0)
		return rc;
	struct requeue_args a = {dir,
	                         arena_printf(ctx->arena, "%s/%s", dir, WEBHOOK_QUEUE_FAILED),
	                         arena_array(ctx->arena, nlisted ? nlisted : 1, sizeof *a.entries),
	                         NULL,
	                         0,
	                         -1};
	for (size_t i = 0; i < nlisted; i++)
		if (listed[i].failed && all)
			a.entries[a.n++] = listed[i];
	/* Each name once, and each a failed delivery, before anything moves. */
	for (size_t i = 0; !all && i < nnames; i++) {
		const struct webhook_queue_entry *found = NULL;
		for (size_t j = 0; j < nlisted && !found; j++)
			if (listed[j].failed && strcmp(listed[j].name, names[i]) == 0)
				found = &listed[j];
		if (!found) {
			err_set(err, ERR_NOT_FOUND,
			        "'%s' is not a failed delivery of the webhook queue %s", names[i],
			        dir);
			err_hint(err, "nothing was moved; 'plumb webhook queue' lists them");
			return ERR_NOT_FOUND;
		}
		bool twice = false;
		for (size_t j = 0; j < a.n; j++)
			twice |= a.entries[j].name == found->name;
		if (!twice)
			a.entries[a.n++] = *found;
	}
	if (a.n == 0)
		return 0;
	a.failed_names = arena_array(ctx->arena, a.n, sizeof *a.failed_names);
	for (size_t i = 0; i < a.n; i++)
		a.failed_names[i] = a.entries[i].name;
	rc = ctx_run(ctx, OP_WEBHOOK_REQUEUE, requeue_body, &a, err);
	if (rc == 0)
		*requeued = a.entries;
	/* Audited first, each under the name it takes: a move that then fails
	 * is said, and the rest stay. */
	for (size_t i = 0; rc == 0 && i < a.n; i++) {
		const char *from = a.failed_names[i];
		if (move_as(a.failed_dir, from, dir, a.entries[i].name, ctx->arena) < 0) {
			rc = err_set(err, ERR_IO, "cannot move %s/%s back into %s as %s",
			             a.failed_dir, from, dir, a.entries[i].name);
			err_detail(err, "%s; %zu of %zu moved", strerror(errno), *moved, a.n);
			break;
		}
		unlink(arena_printf(ctx->arena, "%s/%s.error", a.failed_dir, from));
		(*moved)++;
	}
	if (*moved) {
		sync_dir(dir);
		sync_dir(a.failed_dir);
	}
	if (a.locked >= 0)
		close(a.locked); /* the lock with it */
	return rc < 0 ? rc : 0;
}
