/*
 * disttest: is one group's rating distribution different from the rest of
 * the population?  The Fisher-Freeman-Halton exact test on the 2 x K table
 * (row 1: the group's count per rating category, row 2: everyone else's),
 * exact while the tables with the same margins are few enough to enumerate,
 * a Monte Carlo p-value with a fixed seed otherwise (as R's fisher.test with
 * simulate.p.value).  A small p flags a distribution for discussion; with
 * many groups compared some will be small by chance (docs/calibration.md).
 *
 * Pure: no database, no I/O.  The result's arrays live in the arena given;
 * scratch memory is freed before return.  Thread-safe on distinct arenas.
 */
#ifndef PLUMB_DISTTEST_H
#define PLUMB_DISTTEST_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct arena;

/* Enumerate exactly up to this many tables with the observed margins. */
#define DISTTEST_MAX_EXACT_TABLES 2000000.0
/* Otherwise draw this many tables, from this seed. */
#define DISTTEST_MC_TABLES 100000
#define DISTTEST_MC_SEED   20240611u
/* The smaller row may hold at most this many ratings and the table at most
 * DISTTEST_MAX_TOTAL: beyond, enumeration and draws get slow (and the
 * chi-square approximation is accurate anyway). */
#define DISTTEST_MAX_SMALL_ROW 20000u
#define DISTTEST_MAX_TOTAL     100000000u
/* A table counts as "at least as extreme" when its probability is at most
 * the observed one's times 1 + this (R's fisher.test uses 1e-7). */
#define DISTTEST_REL_TOL 1e-7
/* At most this many rating categories. */
#define DISTTEST_MAX_CATEGORIES 64

enum disttest_method { DISTTEST_EXACT, DISTTEST_MONTE_CARLO };

struct disttest_params {
	double max_exact_tables; /* enumerate up to this many tables, else simulate */
	size_t mc_tables;        /* tables drawn by the Monte Carlo */
	uint64_t seed;
};

struct disttest_result {
	double p; /* two-sided p-value */
	enum disttest_method method;
	double tables;     /* how many tables share the margins (counted exactly, as a double) */
	size_t simulated;  /* Monte Carlo: tables drawn; 0 when exact */
	double p_observed; /* the observed table's probability given the margins */
	uint64_t group_total, rest_total;
	size_t k;
	double *expected; /* [k] the group's expected count per category */
};

/* Test group[0..k) against rest[0..k) (counts per rating category); params
 * NULL means the defaults above.  On success fills *out (expected in arena
 * a) and returns 0; ERR_INVALID with detail when k is 0 or above
 * DISTTEST_MAX_CATEGORIES or the group has no ratings, ERR_TOO_BIG beyond
 * the size limits above.  Categories empty in both rows change nothing. */
int disttest_fisher(struct arena *a, const uint32_t *group, const uint32_t *rest, size_t k,
                    const struct disttest_params *params, struct disttest_result *out,
                    struct error *err);

/* Below this a p is written "< 0.0001". */
#define DISTTEST_P_FLOOR 0.0001
/* p as a person reads it beside the verdict p < alpha (alpha above
 * DISTTEST_P_FLOOR), in buf of n bytes (at least 32): four significant
 * digits, as R's print.htest writes a test's p (0.04996), never an
 * exponent; more digits where four would round across alpha (0.0499996,
 * which "%.4f" and four digits write as 0.05, is below it); "< 0.0001"
 * below DISTTEST_P_FLOOR ("%.4f" wrote 0.0000); "-" for NAN.  Returns buf.
 * Pure; thread-safe. */
const char *disttest_p_text(char *buf, size_t n, double p, double alpha);

#endif
