/*
 * framework: the career framework a company evaluates engineers on, one
 * YAML file people review like code (docs/review.md describes the format,
 * examples/framework.yaml is a complete one).  Tracks and levels,
 * competencies with an expectation per level, rating scales with labels,
 * the three axes (performance, impact, potential), role profiles weighting
 * competencies and metrics per axis, the metrics allowed as evidence with
 * their bands, anonymity thresholds, assignment limits and the questions
 * feedback asks.
 *
 * framework_import validates a file (weights sum to 1 per axis and stay
 * under the cap, every level has an expectation for every competency,
 * evidence metrics exist and allow the individual scope) and stores it as a
 * new immutable version, the text as given; framework_load parses a stored
 * version again.  Errors name FILE:LINE: the path in the document: why.
 * A struct framework and its strings live in the arena the caller passes.
 */
#ifndef PLUMB_FRAMEWORK_H
#define PLUMB_FRAMEWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct arena;
struct ctx;
struct jw;

/* The three axes, never mixed into one number without saying so. */
#define FW_AXIS_TABLE(X)                                                                           \
	X(PERFORMANCE, "performance")                                                              \
	X(IMPACT, "impact")                                                                        \
	X(POTENTIAL, "potential")
#define FW_AXIS_ENUM_(id, name) FW_AXIS_##id,
enum fw_axis { FW_AXIS_TABLE(FW_AXIS_ENUM_) FW_AXIS_COUNT };
#undef FW_AXIS_ENUM_
const char *fw_axis_name(enum fw_axis axis);

/* Who writes feedback about whom. */
#define FW_RELATION_TABLE(X)                                                                       \
	X(SELF, "self")                                                                            \
	X(MANAGER, "manager")                                                                      \
	X(PEER, "peer")                                                                            \
	X(UPWARD, "upward")                                                                        \
	X(CROSS_FUNCTIONAL, "cross_functional")
#define FW_RELATION_ENUM_(id, name) FW_REL_##id,
enum fw_relation { FW_RELATION_TABLE(FW_RELATION_ENUM_) FW_REL_COUNT };
#undef FW_RELATION_ENUM_
const char *fw_relation_name(enum fw_relation rel);
/* -1 when text names no relation. */
int fw_relation_parse(const char *text);

#define FW_KIND_TABLE(X)                                                                           \
	X(CHECKIN, "checkin")                                                                      \
	X(ANNUAL, "annual")                                                                        \
	X(PROJECT, "project")
#define FW_KIND_ENUM_(id, name) FW_KIND_##id,
enum fw_kind { FW_KIND_TABLE(FW_KIND_ENUM_) FW_KIND_COUNT };
#undef FW_KIND_ENUM_
const char *fw_kind_name(enum fw_kind kind);
int fw_kind_parse(const char *text);

struct fw_scale_point {
	int value;
	const char *label;
};
struct fw_scale {
	const char *id;
	struct fw_scale_point *points; /* ascending by value */
	size_t npoints;
	int meets; /* the value meaning "meets the level's expectations" */
};

struct fw_level {
	const char *id, *name;
	const char *track; /* the track's id */
	int rank;          /* 0 for the track's most junior level */
};
struct fw_track {
	const char *id, *name;
	struct fw_level *levels; /* junior to senior */
	size_t nlevels;
};

struct fw_expectation {
	const char *level, *text;
};
struct fw_competency {
	const char *id, *name;
	const struct fw_scale *scale;
	struct fw_expectation *expectations; /* one per level of every track */
	size_t nexpectations;
};

struct fw_axis_def {
	const struct fw_scale *scale;
	const char *description;
};

/* A weight on an axis: a competency's, or a metric's from evidence.metrics. */
struct fw_weight {
	const char *dimension; /* competency id or metric key */
	bool is_metric;
	double weight;
};
struct fw_profile {
	const char *id, *name, *track;
	struct fw_weight *weights[FW_AXIS_COUNT];
	size_t nweights[FW_AXIS_COUNT];
	bool has_composite;
	double composite[FW_AXIS_COUNT]; /* sums to 1 when has_composite */
};

struct fw_band {
	bool has_at_most, has_at_least;
	double at_most, at_least;
	int rating;
	long line; /* the rating's line in the file */
};
struct fw_metric {
	const char *key;
	long line; /* where the file names it, for errors found at import */
	double max_weight;
	struct fw_band *bands; /* the first that matches wins; the last matches anything */
	size_t nbands;
};

struct fw_question {
	const char *id, *text;
	bool relations[FW_REL_COUNT];
	bool kinds[FW_KIND_COUNT];
};

struct framework {
	int version; /* 0 for a file not stored yet */
	const char *name, *description;
	const char *sha256; /* of the text; the stored version's */
	int64_t imported_at;
	const char *imported_by;
	struct fw_scale *scales;
	size_t nscales;
	struct fw_track *tracks;
	size_t ntracks;
	struct fw_competency *competencies;
	size_t ncompetencies;
	struct fw_axis_def axes[FW_AXIS_COUNT];
	struct fw_profile *profiles;
	size_t nprofiles;
	struct fw_metric *metrics;
	size_t nmetrics;
	double recent_share; /* evidence.recent_share: flag when more is from the last quarter */
	double cap;          /* scoring.cap */
	double dominance;    /* scoring.dominance */
	int anonymity_threshold;
	bool partner_sees_authors[FW_REL_COUNT];
	int peers_min, peers_max, reviewer_cap;
	bool checkin_ratings;
	struct fw_question *questions;
	size_t nquestions;
};

/* Parse and check a framework file without the database (metric checks
 * need it: framework_import does them).  name is used in errors. */
int framework_parse(const char *name, const char *data, size_t len, struct arena *a,
                    struct framework *out, struct error *err);

struct framework_import_result {
	int version;  /* the stored version, or the newest when unchanged */
	bool created; /* false: the newest version has the same text */
};
/* framework import: admins and people partners. */
int framework_import(struct ctx *ctx, const char *name, const char *data, size_t len,
                     struct framework_import_result *out, struct error *err);
/* The stored version (0: the newest), parsed into the ctx's unit arena.
 * For services inside their own operation: no permission check. */
int framework_load(struct ctx *ctx, int version, const struct framework **out, struct error *err);
/* framework show: any user (the framework is the company's published ladder). */
int framework_show(struct ctx *ctx, int version, const struct framework **out, struct error *err);
/* framework export: the text as imported. */
int framework_export(struct ctx *ctx, int version, const char **text, struct error *err);

/* framework diff: what changed from version a to version b, one line each. */
int framework_diff(struct ctx *ctx, int a, int b, const char ***lines, size_t *n,
                   struct error *err);

/* Lookups; NULL when absent. */
const struct fw_level *framework_level(const struct framework *fw, const char *id);
const struct fw_competency *framework_competency(const struct framework *fw, const char *id);
const struct fw_profile *framework_profile(const struct framework *fw, const char *id);
const struct fw_metric *framework_metric(const struct framework *fw, const char *key);
const char *framework_expectation(const struct fw_competency *c, const char *level);
const char *framework_scale_label(const struct fw_scale *s, int value);
/* The band rating of value under m (the last band when none matches first). */
int framework_band(const struct fw_metric *m, double value);

void framework_json(struct jw *w, const struct framework *fw);

#endif
