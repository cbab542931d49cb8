/* auditops: permission frame and key handling around audit reads. */
#include "core/auditops.h"

#include <sodium.h>

#include "core/ctx.h"

struct log_args {
	const struct audit_filter *f;
	struct audit_entry **out;
	size_t *n;
};

static int log_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct log_args *a = arg;
	return audit_list(ctx, a->f, a->out, a->n, err);
}

int auditops_log(struct ctx *ctx, const struct audit_filter *f, struct audit_entry **out, size_t *n,
                 struct error *err)
{
	struct log_args a = {f, out, n};
	return ctx_run(ctx, OP_AUDIT_LOG, log_body, &a, err);
}

struct verify_args {
	const char *public_key_hex;
	const struct audit_head *head;
	struct audit_verify_report *rep;
};

static int verify_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct verify_args *a = arg;
	unsigned char pk[32], sk[64];
	int rc;
	if (a->public_key_hex)
		rc = audit_parse_public_key(a->public_key_hex, pk, err);
	else
		rc = audit_key_load(ctx->audit_key_path, sk, pk, err);
	sodium_memzero(sk, sizeof sk);
	memset(a->rep, 0, sizeof *a->rep);
	if (rc == 0)
		rc = audit_verify(ctx->store, pk, a->head, a->rep, err);
	return rc;
}

int auditops_verify(struct ctx *ctx, const char *public_key_hex, const char *head_text,
                    struct audit_verify_report *rep, struct error *err)
{
	memset(rep, 0, sizeof *rep);
	struct audit_head head;
	if (head_text && audit_parse_head(head_text, &head, err) < 0)
		return ERR_USAGE;
	struct verify_args a = {public_key_hex, head_text ? &head : NULL, rep};
	return ctx_run(ctx, OP_AUDIT_VERIFY, verify_body, &a, err);
}

static int checkpoint_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct audit_checkpoint *cp = arg;
	int rc = audit_latest_checkpoint(ctx, cp, err);
	unsigned char pk[32], sk[64];
	struct error ignored = {0};
	bool own_key = false;
	if (rc == 0 && audit_key_load(ctx->audit_key_path, sk, pk, &ignored) == 0) {
		char key_id[AUDIT_KEY_ID_HEX];
		audit_key_id(pk, key_id);
		own_key = strcmp(key_id, cp->key_id) == 0;
	}
	sodium_memzero(sk, sizeof sk);
	/* The line is for publishing: it must sign the log's head as it stands,
	 * with a signature that verifies when the key is at hand. */
	if (rc == 0)
		rc = audit_checkpoint_current(ctx->store, cp, own_key ? pk : NULL, err);
	if (rc == 0 && own_key)
		sodium_bin2hex(cp->public_key, sizeof cp->public_key, pk, sizeof pk);
	return rc;
}

int auditops_checkpoint(struct ctx *ctx, struct audit_checkpoint *cp, struct error *err)
{
	return ctx_run(ctx, OP_AUDIT_CHECKPOINT, checkpoint_body, cp, err);
}
