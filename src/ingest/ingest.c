/* ingest: files into events (see ingest.h). */
#include "ingest/ingest.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/arena.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "core/ctx.h"
#include "ingest/run.h"

/* One document is one API page or one webhook body: large pages exist
 * (100 pull requests with bodies), anything past this is not one. */
#define INGEST_FILE_MAX ((size_t)64 << 20)
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

static int expand(struct file_list *l, const char *path, int depth, struct error *err)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return err_set(err, ERR_IO, "%s: cannot read: %s", path, strerror(errno));
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
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			size_t n = strlen(path) + strlen(e->d_name) + 2;
			char *p = xmalloc(n);
			snprintf(p, n, "%s/%s", path, e->d_name);
			add_path(&here, p);
			free(p);
		}
	closedir(d);
	if (here.n > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(here.paths, here.n, sizeof *here.paths, cmp_str);
	int rc = 0;
	for (size_t i = 0; i < here.n && rc == 0; i++)
		rc = expand(l, here.paths[i], depth + 1, err);
	free_list(&here);
	return rc;
}

struct stage_args {
	struct ingest_run *run;
	const struct ingest_files_opts *o;
	const struct file_list *files;
	size_t from, next;
};

/* Stage files from a->from until enough records for one transaction. */
static int stage_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct stage_args *a = arg;
	struct ingest_run *run = a->run;
	int64_t seq = run->next_seq, doc = run->next_doc, records = 0;
	struct ingest_counts saved = run->counts;
	ingest_stage_tx_begin(run);
	int rc = 0;
	size_t i = a->from;
	for (; i < a->files->n && records < STAGE_RECORDS && rc == 0; i++) {
		char *data = NULL;
		size_t len = 0;
		rc = file_read(a->files->paths[i], INGEST_FILE_MAX, &data, &len, err);
		if (rc < 0)
			break;
		struct ingest_doc d = {
		        .origin = a->files->paths[i],
		        .format = a->o->format,
		        .event_name = a->o->event_name,
		        .data = data,
		        .len = len,
		};
		struct parse_page page;
		rc = ingest_stage_doc_tx(run, &d, &page, err);
		free(data);
		records += page.records;
		ctx_progress(ctx, "ingest", (int64_t)i + 1, (int64_t)a->files->n);
	}
	if (rc == 0)
		rc = ingest_stage_tx_end(run, err);
	if (rc < 0) {
		ingest_stage_tx_abandon(run, seq, doc);
		run->counts = saved;
		return rc;
	}
	a->next = i;
	return 0;
}

int ingest_files(struct ctx *ctx, const struct ingest_files_opts *o, struct ingest_counts *counts,
                 int64_t *run_id, struct error *err)
{
	memset(counts, 0, sizeof *counts);
	*run_id = 0;
	/* Permission before reading anything. */
	int rc = ctx_op_check(ctx, OP_INGEST, err);
	struct file_list files = {0};
	for (size_t i = 0; i < o->npaths && rc == 0; i++)
		rc = expand(&files, o->paths[i], 0, err);
	if (rc == 0 && files.n == 0)
		rc = err_set(err, ERR_INVALID, "no files to ingest in %s", o->paths[0]);
	struct ingest_run run;
	if (rc == 0)
		rc = ingest_run_begin(ctx, o->source, "file", &run, err);
	if (rc < 0) {
		free_list(&files);
		return rc;
	}
	struct stage_args a = {&run, o, &files, 0, 0};
	while (rc == 0 && a.from < files.n) {
		rc = ctx_run(ctx, OP_INGEST_STAGE, stage_body, &a, err);
		a.from = a.next;
	}
	free_list(&files);
	if (rc == 0)
		rc = ingest_run_publish(&run, err);
	if (rc < 0) {
		ingest_run_fail(&run, err);
		return rc;
	}
	*counts = run.counts;
	*run_id = run.id;
	return 0;
}
