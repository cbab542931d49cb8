/* Fuzz target: every document parser (parse_document), for each source kind
 * with the format detected, then each format by name: never a crash, a hang
 * or a read out of bounds, and every emitted string readable. */
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "ingest/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int touch(void *data, const struct event *ev, struct error *err)
{
	(void)err;
	size_t *n = data;
	const char *strs[] = {
	        ev->external_id, ev->owner_system,  ev->owner_key,    ev->account_system,
	        ev->account,     ev->account_email, ev->account_name, ev->status,
	        ev->environment, ev->sha,           ev->ref,          ev->number,
	        ev->title,       ev->url,           ev->parent_id,    ev->attrs};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		if (strs[i])
			*n += strlen(strs[i]);
	return 0;
}

static void parse_as(const uint8_t *data, size_t size, const char *kind, const char *format)
{
	struct arena *arena = arena_create();
	struct parse_input in = {.source_kind = kind,
	                         .format = format,
	                         .origin = "fuzz",
	                         .data = (const char *)data,
	                         .len = size,
	                         .arena = arena};
	struct parse_page page;
	struct error err = {0};
	size_t n = 0;
	(void)parse_document(&in, touch, &n, &page, &err);
	arena_destroy(arena);
}

struct fuzz_doc {
	const uint8_t *data;
	size_t size;
};

static void each_format(void *data, const struct parse_format *f)
{
	const struct fuzz_doc *doc = data;
	parse_as(doc->data, doc->size, f->source_kind, f->name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = {"github", "jira", "jenkins", "pagerduty", "deploy"};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		parse_as(data, size, kinds[k], NULL);
	struct fuzz_doc doc = {data, size};
	parse_format_each(each_format, &doc);
	return 0;
}
