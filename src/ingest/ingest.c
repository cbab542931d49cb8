/* ingest: files into events (see ingest.h). */
#include "ingest/ingest.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/arena.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "core/ctx.h"
#include "ingest/run.h"
#include "store/store.h"

/* Records per staging transaction: short transactions, few commits. */
#define STAGE_RECORDS 20000

struct file_list {
	char **paths;
	size_t n, alloc;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_path(struct file_list *l, const char *p)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 64;
		l->paths = xreallocarray(l->paths, l->alloc, sizeof *l->paths);
	}
	l->paths[l->n++] = xstrdup(p);
}

static void free_list(struct file_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
}

/* ERR_INVALID for a file in dir whose name is not UTF-8, shown with '?'
 * for each byte that is not. */
static int not_utf8_name(const char *dir, const char *name, struct error *err)
{
	struct sb shown = SB_INIT;
	utf8_put_visible(&shown, name, false);
	err_set(err, ERR_INVALID, "%s: a file's name is not UTF-8 text: '%s'", dir, shown.buf);
	err_detail(err, "'?' stands for each byte that is not UTF-8");
	err_hint(err, "rename the file: plumb keeps a file's name with what it read from it");
	sb_release(&shown);
	return ERR_INVALID;
}

static int expand(struct file_list *l, const char *path, int depth, struct error *err)
{
	struct stat sb;
	/* Not found, as for every command that reads a file (exit status 4). */
	if (stat(path, &sb) != 0)
		return err_set(err, errno == ENOENT || errno == ENOTDIR ? ERR_NOT_FOUND : ERR_IO,
		               "%s: cannot read: %s", path, strerror(errno));
	if (!S_ISDIR(sb.st_mode)) {
		if (!S_ISREG(sb.st_mode))
			return err_set(err, ERR_INVALID, "%s: not a regular file", path);
		add_path(l, path);
		return 0;
	}
	if (depth > 16)
		return err_set(err, ERR_INVALID, "%s: directories nested too deep", path);
	DIR *d = opendir(path);
	if (!d)
		return err_set(err, ERR_IO, "%s: cannot read the directory: %s", path,
		               strerror(errno));
	struct file_list here = {0};
	struct dirent *e;
	/* A directory given as 'in/' (a shell completes it so) names its files
	 * 'in/x.json', not 'in//x.json': the name is in messages and is kept as
	 * the raw payload's origin. */
	size_t plen = strlen(path);
	const char *sep = plen && path[plen - 1] == '/' ? "" : "/";
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		/* The name is kept as the raw payload's origin and shown in messages
		 * and --json output: text, as a path on the command line must be
		 * (PostgreSQL keeps no other bytes as text). */
		if (!utf8_valid(e->d_name, strlen(e->d_name))) {
			rc = not_utf8_name(path, e->d_name, err);
			continue;
		}
		size_t n = plen + strlen(e->d_name) + 2;
		char *p = xmalloc(n);
		snprintf(p, n, "%s%s%s", path, sep, e->d_name);
		add_path(&here, p);
		free(p);
	}
	closedir(d);
	if (here.n > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(here.paths, here.n, sizeof *here.paths, cmp_str);
	for (size_t i = 0; i < here.n && rc == 0; i++)
		rc = expand(l, here.paths[i], depth + 1, err);
	free_list(&here);
	return rc;
}

/* Read-ahead: RA_WORKERS threads read, parse, hash and compress files
 * while the main thread writes the ones before them.  Parsing is the
 * larger half of staging: with one worker the main thread waited for it a
 * third of the time.  Documents are handed over in file order through a
 * ring of RA_SLOTS, which keeps memory flat. */
#define RA_SLOTS   8
#define RA_WORKERS 2

/* The documents of one run: files (read on the read-ahead threads), or one
 * body already in memory (a webhook's), borrowed from the caller. */
struct feed {
	struct file_list origins; /* file paths, or the body's origin */
	const char *format, *event_name;
	const char *body; /* non-NULL: the one document */
	size_t body_len;
};

struct prepared {
	size_t index;
	const char *data; /* the file read (owned, in file) or the feed's body */
	char *file;
	size_t len;
	struct ingest_parsed parsed;
	int rc;
	struct error err;
};

struct readahead {
	pthread_t threads[RA_WORKERS];
	size_t nthreads;
	pthread_mutex_t mu;
	pthread_cond_t can_put, can_take;
	/* Document i, once prepared, waits in ring[i % RA_SLOTS] until the
	 * main thread takes it; workers claim documents below end only. */
	struct prepared *ring[RA_SLOTS];
	size_t claimed, taken, end;
	bool stop;
	const struct feed *feed;
	const struct ingest_source *src;
};

static void prepared_free(struct prepared *p)
{
	if (!p)
		return;
	free(p->file);
	if (p->parsed.arena)
		ingest_parsed_release(&p->parsed);
	free(p);
}

static struct prepared *prepare(const struct readahead *ra, size_t index,
                                struct ingest_packer *packer)
{
	struct prepared *p = xcalloc(1, sizeof *p);
	const struct feed *feed = ra->feed;
	const char *origin = feed->origins.paths[index];
	p->index = index;
	if (feed->body) {
		p->data = feed->body;
		p->len = feed->body_len;
	} else {
		p->rc = file_read(origin, INGEST_DOCUMENT_MAX, &p->file, &p->len, &p->err);
		p->data = p->file;
	}
	if (p->rc == 0) {
		struct ingest_doc d = {.origin = origin,
		                       .format = feed->format,
		                       .event_name = feed->event_name,
		                       .data = p->data,
		                       .len = p->len};
		p->rc = ingest_parse_doc(ra->src, &d, &p->parsed, &p->err);
		if (p->rc == 0)
			p->rc = ingest_pack_doc(packer, &d, &p->parsed, &p->err);
	}
	return p;
}

static void *readahead_main(void *arg)
{
	struct readahead *ra = arg;
	struct ingest_packer packer = {0};
	pthread_mutex_lock(&ra->mu);
	for (;;) {
		/* A claimed document always has its slot free: claims stay
		 * within RA_SLOTS of what the main thread has taken. */
		while (!ra->stop && ra->claimed < ra->end && ra->claimed - ra->taken >= RA_SLOTS)
			pthread_cond_wait(&ra->can_put, &ra->mu);
		if (ra->stop || ra->claimed >= ra->end)
			break;
		size_t i = ra->claimed++;
		pthread_mutex_unlock(&ra->mu);
		struct prepared *p = prepare(ra, i, &packer);
		pthread_mutex_lock(&ra->mu);
		if (p->rc < 0 && i + 1 < ra->end) /* the main thread stops there */
			ra->end = i + 1;
		ra->ring[i % RA_SLOTS] = p;
		pthread_cond_broadcast(&ra->can_take);
	}
	pthread_mutex_unlock(&ra->mu);
	ingest_packer_release(&packer);
	return NULL;
}

static void readahead_stop(struct readahead *ra)
{
	pthread_mutex_lock(&ra->mu);
	ra->stop = true;
	pthread_cond_broadcast(&ra->can_put);
	pthread_mutex_unlock(&ra->mu);
	for (size_t i = 0; i < ra->nthreads; i++)
		pthread_join(ra->threads[i], NULL);
	for (size_t i = 0; i < RA_SLOTS; i++)
		prepared_free(ra->ring[i]);
	pthread_mutex_destroy(&ra->mu);
	pthread_cond_destroy(&ra->can_put);
	pthread_cond_destroy(&ra->can_take);
}

static int readahead_start(struct readahead *ra, const struct feed *feed,
                           const struct ingest_source *src, struct error *err)
{
	memset(ra, 0, sizeof *ra);
	ra->feed = feed;
	ra->src = src;
	ra->end = feed->origins.n;
	pthread_mutex_init(&ra->mu, NULL);
	pthread_cond_init(&ra->can_put, NULL);
	pthread_cond_init(&ra->can_take, NULL);
	size_t want = feed->origins.n < RA_WORKERS ? feed->origins.n : RA_WORKERS;
	for (; ra->nthreads < want; ra->nthreads++)
		if (pthread_create(&ra->threads[ra->nthreads], NULL, readahead_main, ra) != 0)
			break;
	if (ra->nthreads == 0 && want > 0) {
		readahead_stop(ra);
		return err_set(err, ERR_FAILED, "could not start the read-ahead thread");
	}
	return 0;
}

/* The next document, in file order. */
static struct prepared *readahead_take(struct readahead *ra)
{
	pthread_mutex_lock(&ra->mu);
	struct prepared **slot = &ra->ring[ra->taken % RA_SLOTS];
	while (!*slot)
		pthread_cond_wait(&ra->can_take, &ra->mu);
	struct prepared *p = *slot;
	*slot = NULL;
	ra->taken++;
	pthread_cond_broadcast(&ra->can_put);
	pthread_mutex_unlock(&ra->mu);
	return p;
}

struct stage_args {
	struct ingest_run *run;
	const struct feed *feed;
	struct readahead *ra;
	size_t taken; /* documents taken from the read-ahead */
	/* This transaction's documents, kept until it commits: a retried
	 * transaction stages them again. */
	struct prepared **held;
	size_t nheld, alloc;
};

static int stage_one(struct ctx *ctx, struct stage_args *a, const struct prepared *p,
                     int64_t *records, struct error *err)
{
	if (p->rc < 0) {
		*err = p->err;
		return p->rc;
	}
	struct ingest_doc d = {
	        .origin = a->feed->origins.paths[p->index],
	        .format = a->feed->format,
	        .event_name = a->feed->event_name,
	        .data = p->data,
	        .len = p->len,
	};
	int rc = ingest_stage_parsed_tx(a->run, &d, &p->parsed, err);
	const struct parse_page page = p->parsed.page;
	*records += page.records;
	ctx_progress(ctx, "ingest", (int64_t)p->index + 1, (int64_t)a->feed->origins.n);
	return rc;
}

/* Stage documents until enough records for one transaction. */
static int stage_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct stage_args *a = arg;
	struct ingest_run *run = a->run;
	int64_t records = 0;
	ingest_stage_tx_begin(run);
	int rc = 0;
	for (size_t i = 0; i < a->nheld && rc == 0; i++)
		rc = stage_one(ctx, a, a->held[i], &records, err);
	while (rc == 0 && a->taken < a->feed->origins.n && records < STAGE_RECORDS) {
		struct prepared *p = readahead_take(a->ra);
		a->taken++;
		if (a->nheld == a->alloc) {
			a->alloc = a->alloc ? 2 * a->alloc : 64;
			a->held = xreallocarray(a->held, a->alloc, sizeof *a->held);
		}
		a->held[a->nheld++] = p;
		rc = stage_one(ctx, a, p, &records, err);
	}
	if (rc == 0)
		rc = ingest_stage_tx_end(run, err);
	if (rc < 0) {
		ingest_stage_tx_abandon(run);
	}
	return rc;
}

static void release_held(struct stage_args *a)
{
	for (size_t i = 0; i < a->nheld; i++)
		prepared_free(a->held[i]);
	a->nheld = 0;
}

/* The one path every document takes: begin a run, stage the feed's
 * documents (parsed ahead by the read-ahead workers), publish; on any failure the
 * run is removed.  run is begun here and left for the caller to read. */
static int ingest_feed(struct ctx *ctx, const struct feed *feed, struct ingest_run *run,
                       struct error *err)
{
	struct readahead ra;
	struct stage_args a = {.run = run, .feed = feed, .ra = &ra};
	double t0 = ts_mono_s();
	int rc = readahead_start(&ra, feed, &run->src, err);
	if (rc < 0) {
		ingest_run_fail(run, err);
		return rc;
	}
	/* Staging checks no foreign keys, as publishing does not: a staged row
	 * refers only to its run, begun before, and the payloads and documents
	 * to the run and its source.  With none to check, and a conflict ending
	 * the transaction (store_batch_new_ending_tx), SQLite keeps no
	 * statement journal for the staging inserts (docs/PERFORMANCE.md).  Not
	 * for one document (a webhook): each switch costs the session its
	 * prepared statements (SQLite) or plans (PostgreSQL), and one page
	 * journals little. */
	bool unchecked = feed->origins.n > 1;
	if (rc == 0 && unchecked)
		rc = store_check_references(ctx->store, false, err);
	while (rc == 0 && a.taken < feed->origins.n) {
		/* Staging transactions follow each other at once: let a writer
		 * waiting meanwhile (a webhook, a service map) go first. */
		store_yield_to_writers(ctx->store);
		rc = ctx_run(ctx, OP_INGEST_STAGE, stage_body, &a, err);
		release_held(&a);
	}
	/* Checks that cannot come back make the store refuse the next
	 * transaction (store_check_references). */
	if (unchecked) {
		struct error ignored = {0};
		(void)store_check_references(ctx->store, true, &ignored);
	}
	readahead_stop(&ra);
	free(a.held);
	double t1 = ts_mono_s();
	if (rc == 0)
		rc = ingest_run_publish(run, err);
	run->counts.staging_s = t1 - t0;
	run->counts.publish_s = ts_mono_s() - t1;
	if (rc == 0 && run->duplicate) /* nothing published: drop what was staged */
		ingest_run_fail(run, NULL);
	if (rc < 0)
		ingest_run_fail(run, err);
	return rc;
}

int ingest_files(struct ctx *ctx, const struct ingest_files_opts *o, struct ingest_counts *counts,
                 int64_t *run_id, struct error *err)
{
	memset(counts, 0, sizeof *counts);
	*run_id = 0;
	/* Permission before reading anything. */
	int rc = ctx_op_check(ctx, OP_INGEST, err);
	struct feed feed = {.format = o->format, .event_name = o->event_name};
	for (size_t i = 0; i < o->npaths && rc == 0; i++)
		rc = expand(&feed.origins, o->paths[i], 0, err);
	if (rc == 0 && feed.origins.n == 0)
		rc = err_set(err, ERR_INVALID, "no files to ingest in %s", o->paths[0]);
	struct ingest_run run;
	if (rc == 0)
		rc = ingest_run_begin(ctx, o->source, "file", o->format, o->event_name, &run, err);
	if (rc == 0)
		rc = ingest_feed(ctx, &feed, &run, err);
	free_list(&feed.origins);
	if (rc < 0)
		return rc;
	*counts = run.counts;
	*run_id = run.id;
	return 0;
}

int ingest_webhook_body(struct ctx *ctx, const struct ingest_body_opts *o,
                        struct ingest_result *res, struct error *err)
{
	memset(res, 0, sizeof *res);
	int rc = ctx_op_check(ctx, OP_WEBHOOK_RECEIVE, err);
	if (rc == 0 && o->len > INGEST_DOCUMENT_MAX)
		rc = err_set(err, ERR_TOO_BIG,
		             "%s: %zu bytes: over the limit of %zu for one document", o->origin,
		             o->len, INGEST_DOCUMENT_MAX);
	struct ingest_run run;
	if (rc == 0)
		rc = ingest_run_begin_signed(ctx, o->source, o->source_id, o->source_added, &run,
		                             err);
	if (rc < 0)
		return rc;
	run.delivery_id = o->delivery_id;
	run.delivery_key = o->delivery_key;
	run.event_name = o->event_name;
	run.received_at = o->received_at;
	struct feed feed = {.format = o->format,
	                    .event_name = o->event_name,
	                    .body = o->data,
	                    .body_len = o->len};
	add_path(&feed.origins, o->origin);
	rc = ingest_feed(ctx, &feed, &run, err);
	free_list(&feed.origins);
	/* A redelivery caught at publish was cleaned up as staging: the
	 * operation still ends as itself. */
	if (rc == 0 && run.duplicate)
		rc = ctx_op_check(ctx, OP_WEBHOOK_RECEIVE, err);
	if (rc < 0)
		return rc;
	res->duplicate = run.duplicate;
	res->run_id = run.duplicate ? 0 : run.id;
	if (!run.duplicate) {
		res->counts = run.counts;
		res->touched = run.touched;
	}
	return 0;
}
