/*
 * identities: fixing by hand which person an account in another system
 * belongs to (the org import sets them from the HRIS file; connectors will
 * list the accounts they could not match).  Systems: github, jira,
 * pagerduty, email.  Both operations are audited writes.
 */
#ifndef PLUMB_IDENTITIES_H
#define PLUMB_IDENTITIES_H

#include <stdbool.h>

#include "base/err.h"

struct ctx;

/* Link SYSTEM LOGIN to the person; *changed is false when it was already.
 * An account linked to someone else is a conflict: unlink it first. */
int identity_link(struct ctx *ctx, const char *system, const char *login, const char *employee_id,
                  bool *changed, struct error *err);
/* Remove the link; ERR_NOT_FOUND when there is none.  *employee_id gets
 * whom it pointed to (ctx->arena). */
int identity_unlink(struct ctx *ctx, const char *system, const char *login,
                    const char **employee_id, struct error *err);

#endif
