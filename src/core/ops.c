/* ops: the operation table expanded into an array. */
#include "core/ops.h"

#include "base/mem.h"

#define OP_ROW_(id, name, perm, audit, route, help) {OP_##id, name, perm, audit, route, help},
static const struct op_def op_defs[] = {OPS_TABLE(OP_ROW_)};
#undef OP_ROW_

const struct op_def *op_get(enum op_id id)
{
	if ((int)id < 0 || id >= OP_COUNT_)
		BUG("unknown operation %d", (int)id);
	return &op_defs[id];
}

const struct op_def *op_table(int *count)
{
	*count = OP_COUNT_;
	return op_defs;
}
