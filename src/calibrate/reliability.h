/*
 * reliability: how far several raters agree on the same subjects.  Pure
 * statistics over a list of (subject, rater, score) ratings; no database.
 *
 * Intraclass correlations ICC(1,1), ICC(2,1), ICC(3,1), ICC(1,k), ICC(2,k)
 * and ICC(3,k) of Shrout & Fleiss (1979) (McGraw & Wong 1996 call them
 * ICC(1), ICC(A,1), ICC(C,1), ICC(k), ICC(A,k), ICC(C,k)) with 95% F-based
 * confidence intervals computed as R's psych::ICC does (but for ICC(2,k)'s
 * past Spearman-Brown's pole, which psych prints above 1), for a complete
 * design only; and Krippendorff's alpha (Krippendorff 2011, "Computing
 * Krippendorff's Alpha-Reliability") for the nominal, ordinal, interval and
 * ratio metrics, for any design.  An undefined value is NAN.
 *
 * Cost, for n ratings on S subjects by R raters with V distinct pairable
 * scores: the ICCs are O(n + S + R); alpha sorts the pairable scores once,
 * O(n log n), after which nominal, interval and ordinal are O(n) (ordinal is
 * the interval metric on each value's cumulative mid-rank, so no V x V
 * table is built).  Ratio's expected disagreement is computed without its
 * V x V table too, as a one-dimensional integral evaluated by the trapezoid
 * rule in log space (relative error below 1e-13): about 100 + 4 ln(max /
 * smallest positive score) nodes, each O(V) at most.  A rating scale costs
 * nothing; 250,000 distinct continuous scores cost about 0.5 s rather than
 * V^2 / 2 = 3e10 pair terms.  Within a unit of more than 256 scores ratio's
 * pairs go the same way; smaller units are summed pairwise.
 *
 * Ownership: reliability_compute fills a caller's struct and allocates
 * nothing that outlives the call.  reliability_read_csv fills a struct
 * reliability_data whose arrays the caller frees with
 * reliability_data_release.  Everything here is thread-safe on distinct
 * arguments.
 */
#ifndef PLUMB_RELIABILITY_H
#define PLUMB_RELIABILITY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* At most this many ratings (the CSV reader's cap on input). */
#define RELIABILITY_MAX_RATINGS 10000000
/* A score's magnitude at most this (the CSV reader's cap): the sums of
 * squares of RELIABILITY_MAX_RATINGS such scores stay far from overflow. */
#define RELIABILITY_MAX_SCORE 1e9

struct reliability_rating {
	size_t subject; /* 0 .. nsubjects - 1 */
	size_t rater;   /* 0 .. nraters - 1 */
	double score;   /* finite */
};

enum reliability_icc_form {
	RELIABILITY_ICC1,  /* ICC(1,1): one-way random, single rater */
	RELIABILITY_ICC2,  /* ICC(2,1): two-way random, absolute agreement, single rater */
	RELIABILITY_ICC3,  /* ICC(3,1): two-way mixed, consistency, single rater */
	RELIABILITY_ICC1K, /* ICC(1,k): the mean of k raters, one-way */
	RELIABILITY_ICC2K, /* ICC(2,k): the mean of k raters, absolute agreement */
	RELIABILITY_ICC3K, /* ICC(3,k): the mean of k raters, consistency */
	RELIABILITY_ICC_COUNT
};

enum reliability_metric {
	RELIABILITY_NOMINAL,
	RELIABILITY_ORDINAL,
	RELIABILITY_INTERVAL,
	RELIABILITY_RATIO,
	RELIABILITY_METRIC_COUNT
};

/* An estimate with its 95% confidence interval; NAN where undefined. */
struct reliability_estimate {
	double value, lower, upper;
};

struct reliability_result {
	size_t subjects, raters, ratings;
	/* True when every rater rated every subject once (and there are at
	 * least 2 of each): icc[] holds the six forms.  Otherwise icc[] is
	 * all NAN and icc_note says why (static storage). */
	bool icc_complete;
	const char *icc_note;
	struct reliability_estimate icc[RELIABILITY_ICC_COUNT];
	/* Why no ICC has an interval although the design is complete (the
	 * subjects' means all equal: F = 0), static storage; NULL otherwise. */
	const char *icc_interval_note;
	/* Krippendorff's alpha by metric; NAN when undefined: no unit with 2
	 * or more scores, no variation among the pairable scores, or (ratio)
	 * a negative score. */
	double alpha[RELIABILITY_METRIC_COUNT];
	size_t pairable; /* scores in units with 2 or more scores (alpha's n..) */
};

/* The ICCs and alphas of n ratings.  ERR_INVALID when a rating's subject
 * or rater is out of range, its score is not finite, or one rater rated one
 * subject twice (the message names the rating's index).  Thread-safe. */
int reliability_compute(const struct reliability_rating *ratings, size_t n, size_t nsubjects,
                        size_t nraters, struct reliability_result *out, struct error *err);

/* Short names: "ICC1" .. "ICC3k" (as psych::ICC prints them) and
 * "ICC(1,1)" .. "ICC(3,k)" (Shrout & Fleiss); "nominal" .. "ratio". */
const char *reliability_icc_name(enum reliability_icc_form f);
const char *reliability_icc_label(enum reliability_icc_form f);
const char *reliability_metric_name(enum reliability_metric m);

/* Ratings read from CSV, subjects and raters numbered in order of first
 * appearance. */
struct reliability_data {
	struct reliability_rating *ratings; /* heap; reliability_data_release */
	size_t n, nsubjects, nraters;
	char **subject_names, **rater_names; /* by index, as the file spells them */
};

/* Read CSV with the header exactly subject,rater,score and one rating a
 * row (a missing rating is a missing row).  file names the input in
 * errors, which say FILE:LINE, the column and what was expected: a wrong
 * header, an empty file, a bad number, an empty subject or rater, a
 * repeated subject and rater (naming both lines).  On error out is left
 * empty.  Thread-safe. */
int reliability_read_csv(const char *file, const char *data, size_t len,
                         struct reliability_data *out, struct error *err);
void reliability_data_release(struct reliability_data *d);

#endif
