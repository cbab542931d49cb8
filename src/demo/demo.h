/*
 * demo: a realistic organization generated deterministically from a seed,
 * through the same import path a customer's HRIS export takes.
 *
 * Default: about 120 engineers in 12 teams under 3 directors (and a VP),
 * 25 services, several countries, managers with large and small teams,
 * people who changed teams mid-year, a short-lived project team, identities
 * in GitHub, Jira and PagerDuty, and users for each role.  Runs as operation
 * demo.create; refuses a database that already holds people.  Then, once
 * that is committed, about six months of source data (demo_sources) is
 * written as API pages and ingested through the real parsers, and review
 * cycles on the example framework are run on it (demo_reviews): a finished
 * annual review and an open check-in.
 */
#ifndef PLUMB_DEMO_H
#define PLUMB_DEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "demo/demo_reviews.h"
#include "demo/demo_sources.h"

struct ctx;

struct demo_options {
	int people;    /* engineers, 0 = default 120 */
	uint64_t seed; /* same seed, same organization */
	/* Where the source files go; NULL: "NAME-data" beside a SQLite file
	 * NAME.db, or a temporary directory removed afterwards for PostgreSQL. */
	const char *data_dir;
	/* The organization only: no sources, files or events (tests of the org
	 * model, which need no delivery data, run faster). */
	bool org_only;
	/* The organization and its source data without the review cycles (tests
	 * of delivery data, which need no reviews, run faster). */
	bool no_reviews;
	/* The data ends where this day's week (UTC, Sunday to Saturday) starts;
	 * not after today; without it, today.  The same seed and week give the
	 * same demo, every date moved by whole weeks from another week's. */
	int64_t as_of;
	bool has_as_of;
};

struct demo_summary {
	int64_t people, teams, project_teams, directors, managers, services, countries;
	int64_t movers, identities, users;
	const char *sample_employee, *sample_manager, *sample_leader, *sample_partner;
	struct demo_sources_summary sources;
	struct demo_reviews_summary reviews;
	bool reviews_left_out; /* asked for none, or a demo too large to review everyone in */
	int64_t as_of_ms;      /* the data's end, a Sunday's start: today for the imports */
	const char *data_dir;  /* ctx->arena */
	bool data_dir_removed; /* a temporary directory, gone */
};

/* The largest demo whose people are all reviewed: the cycles take every
 * step as a person, a few operations each. */
#define DEMO_REVIEWS_MAX_PEOPLE 1000

/* *out's strings live in ctx->arena.  A failure after the organization is
 * committed (writing or ingesting the data, running the review cycles)
 * leaves what was committed before it. */
int demo_create(struct ctx *ctx, const struct demo_options *opts, struct demo_summary *out,
                struct error *err);

#endif
