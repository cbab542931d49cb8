/*
 * demo_sources: about six months of source data for the demo organization,
 * written as the real API pages (GitHub REST, Jira search, PagerDuty
 * incidents, deploy JSON and CSV) and read back through `plumb ingest`'s
 * own path (ingest_files), so the demo database has events that came the
 * way a customer's do.  Deterministic: the same world and seed write the
 * same files and ingest the same events.
 */
#ifndef PLUMB_DEMO_SOURCES_H
#define PLUMB_DEMO_SOURCES_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

struct ctx;

/* What the generator needs of a demo person; indices are into the world's
 * teams; strings borrowed. */
struct demo_world_person {
	const char *name, *email, *github;
	const char *emails;    /* other addresses, ';'-separated, or "" */
	const char *jira;      /* account id or "" */
	const char *pagerduty; /* user id or "" */
	bool engineer;         /* writes code (not a manager or leader) */
	int team, team_mid;    /* until and from the mid-year re-org */
	int64_t end_day;       /* days since the epoch; 0: still here */
};

struct demo_world_service {
	const char *name;
	int team, team_mid; /* owning team until and from the re-org */
};

/* The organization as the demo built it; borrowed for the call. */
struct demo_world {
	const struct demo_world_person *people;
	int npeople;
	const char *const *teams; /* team names by index */
	int nteams;
	const struct demo_world_service *services;
	int nservices;
	int64_t midyear_ms; /* the re-org */
	int64_t end_ms;     /* the demo's today: the data ends here */
	uint64_t seed;
};

#define DEMO_SOURCES_MAX 4

/* One configured source and what its ingest run did. */
struct demo_source_result {
	const char *name, *kind; /* borrowed from static text */
	int64_t files, records, events, services_created, unmatched_accounts, bots;
};

struct demo_sources_summary {
	struct demo_source_result sources[DEMO_SOURCES_MAX];
	int nsources;
	int64_t events, files;    /* over all sources */
	int64_t start_ms, end_ms; /* the period the data covers */
	int64_t mappings;         /* ownership mappings made */
	const char *unmapped_repo;
	/* The example SLOs imported (examples/slo), of one service, and the
	 * samples ingested for them (files under slo/). */
	int64_t slos, slo_samples;
	const char *slo_service; /* static */
};

/* ERR_CONFLICT when dir exists and is not an empty directory: the demo
 * writes only into a directory of its own.  Touches nothing. */
int demo_sources_check_dir(const char *dir, struct error *err);

/* Configure the demo's sources, map their repositories and services to the
 * world's services (all but one repository), write the data files under dir
 * (created) and ingest each source's files.  Runs its own operations, so
 * call it outside any transaction, after the organization is committed.
 * *out gets the figures; its strings are static.  Not thread-safe. */
int demo_sources_create(struct ctx *ctx, const struct demo_world *world, const char *dir,
                        struct demo_sources_summary *out, struct error *err);

/* Remove dir and everything under it (the demo's temporary data); best
 * effort. */
void demo_sources_remove_dir(const char *dir);

#endif
