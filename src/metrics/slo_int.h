/*
 * slo_int: what the slo_*.c files share and nobody else needs: the stored
 * spec's canonical JSON both ways, and loading an SLO's latest version
 * with its samples.  Results live in the arena given.
 */
#ifndef PLUMB_SLO_INT_H
#define PLUMB_SLO_INT_H

#include <stdint.h>

#include "base/err.h"
#include "metrics/slo.h"

struct arena;
struct ctx;
struct sb;

/* The spec as stored in slos.spec: canonical JSON (fixed key order, exact
 * doubles), so an unchanged SLO compares equal. */
void slo_spec_json(const struct slo_spec *s, struct sb *out);
int slo_spec_from_json(const char *json, struct arena *a, struct slo_spec *s, struct error *err);

/* The latest version of every SLO (only name's when not NULL), by name,
 * inside the caller's operation; service_id 0 for any service. */
struct slo_row {
	struct slo_spec spec;
	int version;
	int64_t service_id;
	const char *service;
};
int slo_load_latest_tx(struct ctx *ctx, const char *name, int64_t service_id, struct arena *a,
                       struct slo_row **out, size_t *n, struct error *err);
/* An SLO's samples with from < at <= to (by Timeslices from one slice
 * earlier, for the slice that ends after from), normalized into points (sorted by
 * time; samples that cannot count, such as a ratio without total, left
 * out; a ratio's total without its numerator counts that numerator as 0),
 * inside the caller's operation. */
int slo_load_points_tx(struct ctx *ctx, const struct slo_spec *s, int64_t from, int64_t to,
                       struct arena *a, struct slo_point **out, size_t *n, struct error *err);

/* The names of the Prometheus sources, sorted, in ctx->arena, inside the
 * caller's operation. */
int slo_prometheus_sources_tx(struct ctx *ctx, const char ***out, size_t *n, struct error *err);
/* names joined by ", ", in a. */
const char *slo_names_list(struct arena *a, const char *const *names, size_t n);

#endif
