/*
 * sourceacl: data ownership of sources (federated or centralized, as the
 * policy says).  Every source has an owning team; the owner decides which
 * other org units may read the individual-level events the source brings
 * (who did what).  Aggregates over events are always allowed; this module
 * only answers whether the acting user may see the person behind an event.
 *
 * Under a centralized policy the policy's central owner owns every source.
 * A source without an owner (added before governance) is readable as
 * before.  Read with sourceacl_load once per operation; the struct lives in
 * the ctx arena.
 */
#ifndef PLUMB_SOURCEACL_H
#define PLUMB_SOURCEACL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* ERR_NOT_FOUND for a source name that names none, with the one hint every
 * command gives: how to configure it, and where the sources are listed. */
int sourceacl_no_source(const char *name, struct error *err);

struct arena;
struct ctx;
struct sourceacl;

/* What the actor may read, from the current transaction. */
int sourceacl_load(struct ctx *ctx, struct sourceacl **out, struct error *err);
/* May the actor see the person (person_id, 0 for none) behind an event of
 * source_id?  Admins, the person themselves and org-wide roles may. */
bool sourceacl_individual_ok(const struct sourceacl *acl, int64_t source_id, int64_t person_id);
/* The sources whose individual-level events of person_id the actor may not
 * read (sourceacl_individual_ok false), by ascending id: *n of them, in a
 * (NULL when none).  It depends on the configuration alone, not on whether
 * the person has events there. */
int64_t *sourceacl_withheld(const struct sourceacl *acl, int64_t person_id, struct arena *a,
                            size_t *n);

/* Operation source.owner: set the team that owns a source (admin). */
int sourceacl_set_owner(struct ctx *ctx, const char *source, const char *team, struct error *err);
/* Operations source.share / source.unshare: let team (an org unit, with its
 * subteams) read the source's individual-level events, or stop.  Admins and
 * leaders whose unit holds the owning team (under a centralized policy the
 * central owner, not the team stored with the source) may. */
int sourceacl_share(struct ctx *ctx, const char *source, const char *team, bool share,
                    bool *changed, struct error *err);

#endif
