/* Fuzz target: the CSV reader must never crash, hang or read out of bounds. */
#include <stddef.h>
#include <stdint.h>

#include "base/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader r;
	struct error err = {0};
	csv_init(&r, "fuzz.csv", (const char *)data, size);
	int rc;
	while ((rc = csv_next(&r, &err)) == 1)
		for (size_t i = 0; i < r.nfields; i++)
			(void)strlen(r.fields[i]);
	csv_release(&r);
	return 0;
}
