/*
 * replay: runs a fuzz target over every file of a corpus directory, so what
 * the fuzzer found is replayed in the normal test run (built with gcc and
 * ASan/UBSan, no libFuzzer).  Prints TAP: one line per file.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fileio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	struct dirent **names;
	int n = scandir(argv[1], &names, NULL, by_name);
	if (n < 0) {
		perror(argv[1]);
		return 1;
	}
	int count = 0;
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", argv[1], names[i]->d_name);
			char *data = NULL;
			size_t len = 0;
			struct error err = {0};
			if (file_read(path, (size_t)64 << 20, &data, &len, &err) == 0) {
				LLVMFuzzerTestOneInput((const uint8_t *)data, len);
				free(data);
				printf("ok %d - %s\n", ++count, names[i]->d_name);
			} else {
				printf("not ok %d - %s: %s\n", ++count, names[i]->d_name, err.message);
			}
		}
		free(names[i]);
	}
	free(names);
	printf("1..%d\n", count);
	return 0;
}
