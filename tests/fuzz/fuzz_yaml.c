/* Fuzz target: the parsers of the YAML files people edit, each on any input,
 * without a database: policies, career frameworks, metric definitions,
 * OpenSLO files, service maps, and evaluations and feedback (against the
 * example framework).  Org YAML has fuzz_org.  Never a crash, a hang, a leak
 * or a read out of bounds. */
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/mem.h"
#include "core/ctx.h"
#include "core/policy.h"
#include "demo/demo_examples.h"
#include "ingest/ownership.h"
#include "metrics/catalog.h"
#include "metrics/slo.h"
#include "review/cycle.h"
#include "review/evaluation.h"
#include "review/feedback.h"
#include "review/framework.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The framework evaluations and feedback are checked against: the example
 * one (demo_examples[0], examples/framework.yaml), parsed once. */
static const struct framework *example_framework(void)
{
	static struct framework fw;
	static struct arena *arena; /* kept for the process's life */
	if (!arena) {
		struct error err = {0};
		arena = arena_create();
		if (framework_parse(demo_examples[0].path, demo_examples[0].text,
		                    demo_examples[0].len, arena, &fw, &err) < 0)
			BUG("%s: %s", demo_examples[0].path, err.message);
	}
	return &fw;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = {"checkin", "annual", "project"};
	const char *text = (const char *)data;
	const struct framework *fw = example_framework();
	/* The parsers use only the ctx's arena. */
	struct ctx ctx = {0};
	ctx.arena = arena_create();
	struct error err = {0};

	struct policy policy;
	(void)policy_parse("fuzz", text, size, ctx.arena, &policy, &err);
	err_clear(&err);
	struct framework framework;
	(void)framework_parse("fuzz", text, size, ctx.arena, &framework, &err);
	err_clear(&err);
	struct catalog_file def;
	(void)catalog_parse("fuzz", text, size, ctx.arena, &def, &err);
	err_clear(&err);
	struct slo_spec *slos;
	size_t n;
	(void)slo_parse_file("fuzz", text, size, ctx.arena, &slos, &n, &err);
	err_clear(&err);
	(void)ownership_check_file(&ctx, "fuzz", text, size, &n, &err);
	err_clear(&err);

	/* The cycle's kind and the relation follow the input's length, so the
	 * corpus reaches each without a parse per combination. */
	struct cycle_info cycle = {
	        .name = "fuzz-cycle", .kind = kinds[size % 3], .ratings = size % 2 == 0};
	struct evaluation_submission sub = {"fuzz-cycle", "E1",  "fuzz", text, size,
	                                    NULL,         false, 0,      NULL};
	(void)evaluation_check_file(&ctx, &sub, fw, &cycle, &err);
	err_clear(&err);
	(void)feedback_check_file(&ctx, fw, &cycle, (enum fw_relation)(size % FW_REL_COUNT), "fuzz",
	                          text, size, &err);
	arena_destroy(ctx.arena);
	return 0;
}
