/* auditops: permission frame and key handling around audit reads. */
#include "core/auditops.h"

#include <sodium.h>

#include "core/ctx.h"

int auditops_log(struct ctx *ctx, const struct audit_filter *f, struct audit_entry **out, size_t *n,
                 struct error *err)
{
	int rc = ctx_op_begin(ctx, OP_AUDIT_LOG, err);
	if (rc == 0)
		rc = audit_list(ctx, f, out, n, err);
	if (rc == 0)
		rc = ctx_op_commit(ctx, err);
	ctx_op_end(ctx);
	return rc;
}

int auditops_verify(struct ctx *ctx, const char *public_key_hex, const char *head_text,
                    struct audit_verify_report *rep, struct error *err)
{
	memset(rep, 0, sizeof *rep);
	struct audit_head head;
	if (head_text && audit_parse_head(head_text, &head, err) < 0)
		return ERR_USAGE;
	int rc = ctx_op_begin(ctx, OP_AUDIT_VERIFY, err);
	if (rc < 0)
		return rc;
	unsigned char pk[32], sk[64];
	if (public_key_hex)
		rc = audit_parse_public_key(public_key_hex, pk, err);
	else
		rc = audit_key_load(ctx->audit_key_path, sk, pk, err);
	sodium_memzero(sk, sizeof sk);
	if (rc == 0)
		rc = audit_verify(ctx->store, pk, head_text ? &head : NULL, rep, err);
	if (rc == 0)
		rc = ctx_op_commit(ctx, err);
	ctx_op_end(ctx);
	return rc;
}

int auditops_checkpoint(struct ctx *ctx, struct audit_checkpoint *cp, struct error *err)
{
	int rc = ctx_op_begin(ctx, OP_AUDIT_CHECKPOINT, err);
	if (rc < 0)
		return rc;
	rc = audit_latest_checkpoint(ctx, cp, err);
	unsigned char pk[32], sk[64];
	struct error ignored = {0};
	if (rc == 0 && audit_key_load(ctx->audit_key_path, sk, pk, &ignored) == 0) {
		char key_id[AUDIT_KEY_ID_HEX];
		audit_key_id(pk, key_id);
		if (strcmp(key_id, cp->key_id) == 0)
			sodium_bin2hex(cp->public_key, sizeof cp->public_key, pk, sizeof pk);
	}
	sodium_memzero(sk, sizeof sk);
	if (rc == 0)
		rc = ctx_op_commit(ctx, err);
	ctx_op_end(ctx);
	return rc;
}
