/*
 * me: what plumb holds about the signed-in person, for them (plumb me, the
 * /me page) and as a subject access request export (plumb me export).
 *
 * The report lists every data category held about the person with its
 * sources, tracking mechanisms and retention (from the policy in force),
 * their accounts, consent records, demographic attributes held (names), and
 * who else read or changed their records (the audit entries on their record
 * and those whose detail names them, within the anonymity rules: me.c's
 * about_person, docs/governance.md).  Only the
 * person themselves: the actor's own person, never anyone else's.
 * The report lives in the ctx arena.
 */
#ifndef PLUMB_ME_H
#define PLUMB_ME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct ctx;
struct jw;
struct sb;

struct me_holding {
	const char *category;  /* policy data category: events, raw_payloads, ... */
	const char *what;      /* "pull_request events", "raw API documents", ... */
	const char *source;    /* NULL when not from one source */
	const char *mechanism; /* the tracking mechanism, NULL when none covers it */
	int64_t count;
	int64_t first, last;    /* times of the oldest and newest record; 0 for what
	                         * others wrote about the person (it would tell when) */
	int64_t retention_days; /* 0: kept without limit */
	const char *retention_action;
	int64_t next_deletion; /* when the oldest still due goes (0: never, or not said) */
	int64_t anonymized;    /* of count, those an anonymize has nothing left to take from */
};

struct me_consent {
	const char *mechanism, *state, *recorded_by, *note; /* note: NULL when none */
	int64_t at;
};

struct me_access {
	int64_t at;
	const char *actor, *action;
};

struct me_mechanism {
	const char *key, *name, *purpose;
	const char *status; /* collected, not collected: ..., prohibited */
};

struct me_report {
	const char *employee_id, *name, *email, *title, *country, *team;
	const char **accounts; /* "github:alice" */
	size_t naccounts;
	/* Records merged into the person's (person merge): what is held under
	 * them is counted and exported as the person's. */
	const char **merged;
	size_t nmerged;
	struct me_holding *holdings;
	size_t nholdings;
	struct me_mechanism *mechanisms;
	size_t nmechanisms;
	struct me_consent *consents;
	size_t nconsents;
	const char **demographics; /* attribute names held */
	size_t ndemographics;
	struct me_access *accesses; /* by others, newest first */
	size_t naccesses;
	int policy_version;
};

/* Operation me.show. ERR_NOT_FOUND for a user who is not a person. */
int me_show(struct ctx *ctx, struct me_report **out, struct error *err);
void me_report_json(struct jw *w, const struct me_report *r);
/* Operation me.export: the report and every record behind it (events in
 * full, consent records, demographic values, audit entries about the
 * person) as one JSON document, written to out (the caller's). */
int me_export(struct ctx *ctx, struct sb *out, bool pretty, struct error *err);

#endif
