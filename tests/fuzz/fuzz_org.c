/* Fuzz target: the org file parsers, CSV and YAML, on any input. */
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "core/ctx.h"
#include "core/org.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The parsers use only the ctx's arena. */
	struct ctx ctx = {0};
	ctx.arena = arena_create();
	struct org_import_input in;
	struct error err = {0};
	(void)org_parse(&ctx, "fuzz", ORG_FORMAT_CSV, (const char *)data, size, &in, &err);
	err_clear(&err);
	(void)org_parse(&ctx, "fuzz", ORG_FORMAT_YAML, (const char *)data, size, &in, &err);
	arena_destroy(ctx.arena);
	return 0;
}
