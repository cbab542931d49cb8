/* bench/json-mbps: cJSON's own parse rate over every file in a directory,
 * files read into memory first, so only parsing is timed.  With a second
 * argument "arena", trees are allocated as plumb allocates them (pjson.c:
 * bump allocation, freed whole) instead of by malloc and free per node. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *bump;
static size_t bump_used, bump_size;

static void *bump_alloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (bump_used + n > bump_size)
		return NULL;
	void *p = bump + bump_used;
	bump_used += n;
	return p;
}

static void bump_free(void *p)
{
	(void)p;
}

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 3)
		return 2;
	bool arena = argc == 3 && strcmp(argv[2], "arena") == 0;
	DIR *d = opendir(argv[1]);
	if (!d)
		return 1;
	struct dirent *e;
	char **bufs = NULL;
	size_t *lens = NULL, n = 0, total = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f)
			return 1;
		fseek(f, 0, SEEK_END);
		long len = ftell(f);
		fseek(f, 0, SEEK_SET);
		bufs = realloc(bufs, (n + 1) * sizeof *bufs);
		lens = realloc(lens, (n + 1) * sizeof *lens);
		bufs[n] = malloc((size_t)len);
		lens[n] = fread(bufs[n], 1, (size_t)len, f);
		total += lens[n++];
		fclose(f);
	}
	closedir(d);
	struct timespec a, b;
	if (arena) {
		bump_size = (size_t)1 << 30;
		bump = malloc(bump_size);
		cJSON_Hooks hooks = {bump_alloc, bump_free};
		cJSON_InitHooks(&hooks);
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (size_t i = 0; i < n; i++) {
		bump_used = 0;
		cJSON *doc = cJSON_ParseWithLength(bufs[i], lens[i]);
		if (!doc)
			return 1;
		if (!arena)
			cJSON_Delete(doc);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("%.1f %zu %.3f\n", (double)total / 1e6 / s, total, s);
	for (size_t i = 0; i < n; i++)
		free(bufs[i]);
	free(bufs);
	free(lens);
	free(bump);
	return 0;
}
