/*
 * auditops: the audit log's user-facing operations (audit.log, audit.verify,
 * audit.checkpoint), each under its permission from the ops table.  The
 * chain mechanics live in audit.c.  Results live in ctx->arena.
 */
#ifndef PLUMB_AUDITOPS_H
#define PLUMB_AUDITOPS_H

#include "core/audit.h"

struct ctx;

int auditops_log(struct ctx *ctx, const struct audit_filter *f, struct audit_entry **out, size_t *n,
                 struct error *err);
/* Verify with public_key_hex when given, else with the key file's public
 * half; against head_text ("SEQ:HASH") when given. */
int auditops_verify(struct ctx *ctx, const char *public_key_hex, const char *head_text,
                    struct audit_verify_report *rep, struct error *err);
/* The latest checkpoint, with the public key filled in when the key file is readable. */
int auditops_checkpoint(struct ctx *ctx, struct audit_checkpoint *cp, struct error *err);

#endif
