/* keys: pseudonym key rotation as an audited operation (see keys.h). */
#include "core/keys.h"

#include <stdbool.h>
#include <string.h>

#include "base/jw.h"
#include "base/sb.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/pseudonym.h"

struct rotate_args {
	struct key_rotate_result *out;
	bool prepared; /* a new ring was written beside the old: remove it on failure */
};

static int rotate_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct rotate_args *a = arg;
	struct key_rotate_result *out = a->out;
	if (!out->path)
		return err_set(err, ERR_USAGE, "no pseudonym key path: HOME is not set");
	/* Each attempt writes the new ring afresh (an earlier one is replaced). */
	int rc = pseudonym_key_prepare_rotation(out->path, &out->generation, err);
	if (rc < 0)
		return rc;
	a->prepared = true;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kint(&w, "generation", out->generation);
	jw_object_end(&w);
	rc = audit_append(ctx, "key.rotate", "pseudonym_key", "pseudonym", detail.buf, err);
	sb_release(&detail);
	return rc;
}

int key_rotate(struct ctx *ctx, struct key_rotate_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	out->path = pseudonym_key_path(ctx->arena, ctx->audit_key_path);
	struct rotate_args a = {out, false};
	int rc = ctx_run(ctx, OP_KEY_ROTATE, rotate_body, &a, err);
	if (rc < 0) {
		if (a.prepared)
			pseudonym_key_abort_rotation(out->path);
		return rc;
	}
	rc = pseudonym_key_commit_rotation(out->path, err);
	if (rc < 0)
		err_hint(err,
		         "the audit log records generation %d; the old key is still in force: "
		         "rotate again once %s can be written",
		         out->generation, out->path);
	return rc;
}
